/*
 * readdir.c - getdents64: the filesystem's f_op->iterate fills a kernel
 * staging buffer through a dir_context actor, in struct linux_dirent64
 * layout, which is then copied to the guest in one piece.
 *
 * As in Linux, each record's d_off is the position just after it,
 * known only when the filesystem moves on (ctx->pos), so a record's
 * d_off is patched when the next one arrives and once at the end.
 */
#include "kernel/kernel.h"
#include "kernel/fs.h"
#include "kernel/mm.h"
#include "kernel/page.h"
#include "kernel/syscalls.h"
#include "internal.h"

#define STAGE_MAX	(64 * 1024)

/* struct linux_dirent64 (include/linux/dirent.h in Linux; not in the uapi). */
struct linux_dirent64 {
	u64 d_ino;
	s64 d_off;
	u16 d_reclen;
	u8 d_type;
	char d_name[];
};
_Static_assert(offsetof(struct linux_dirent64, d_off) == 8 &&
	       offsetof(struct linux_dirent64, d_reclen) == 16 &&
	       offsetof(struct linux_dirent64, d_type) == 18 &&
	       offsetof(struct linux_dirent64, d_name) == 19, "dirent64 layout (getdents64(2))");

struct getdents_ctx {
	struct dir_context ctx;
	u8 *buf;
	size_t size, used;
	struct linux_dirent64 *prev;
	int error;
};

static int filldir64(struct dir_context *c, const char *name, int len, u64 ino,
		     unsigned dtype)
{
	struct getdents_ctx *g = container_of(c, struct getdents_ctx, ctx);
	size_t reclen = ALIGN_UP(offsetof(struct linux_dirent64, d_name) + (size_t)len + 1, 8);
	struct linux_dirent64 *d;

	if (len <= 0 || len > NAME_MAX) {
		g->error = -EIO;
		return 1;
	}
	if (reclen > g->size - g->used) {
		if (g->used == 0)
			g->error = -EINVAL;
		return 1;
	}
	if (g->prev != NULL)
		g->prev->d_off = c->pos;
	d = (struct linux_dirent64 *)(g->buf + g->used);
	memset(d, 0, reclen);
	d->d_ino = ino;
	d->d_off = c->pos;
	d->d_reclen = (u16)reclen;
	d->d_type = (u8)dtype;
	memcpy(d->d_name, name, (size_t)len);
	g->prev = d;
	g->used += reclen;
	return 0;
}

static long iterate_into(struct file *f, uaddr_t ubuf, size_t count)
{
	struct getdents_ctx g = { .ctx.actor = filldir64 };
	long ret;

	g.size = min(count, (size_t)STAGE_MAX);
	g.buf = kmalloc(g.size);
	if (g.buf == NULL)
		return -ENOMEM;
	g.ctx.pos = f->f_pos;
	ret = f->f_op->iterate(f, &g.ctx);
	if (g.prev != NULL)
		g.prev->d_off = g.ctx.pos;
	if (g.used > 0) {
		ret = copy_to_user(ubuf, g.buf, g.used) < 0 ? -EFAULT : (long)g.used;
	} else if (ret == 0) {
		ret = g.error;
	}
	if (ret >= 0)
		f->f_pos = g.ctx.pos;
	kfree(g.buf);
	return ret;
}

/* getdents64(fd, dirp, count): bytes filled, 0 at the end, -EINVAL if one entry does not fit. */
SYSCALL(getdents64)
{
	struct file *f = fd_get_file((int)a[0]);
	size_t count = (size_t)a[2];
	long ret;

	if (f == NULL)
		return -EBADF;
	ret = -EBADF;
	if (f->f_flags & O_PATH)
		goto out;
	ret = -ENOTDIR;
	if (f->f_inode == NULL || !S_ISDIR(f->f_inode->i_mode) ||
	    f->f_op == NULL || f->f_op->iterate == NULL)
		goto out;
	ret = -ENOENT;
	if (f->f_path.dentry != NULL && d_dead(f->f_path.dentry))
		goto out;	/* the directory was removed */
	ret = -EINVAL;
	/* Linux keeps the count in an int: a negative one fits no entry. */
	if ((int)count < 0 || count < offsetof(struct linux_dirent64, d_name) + 2)
		goto out;
	ret = iterate_into(f, UADDR(a[1]), count);
out:
	fput(f);
	return ret;
}
