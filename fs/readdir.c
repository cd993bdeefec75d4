/*
 * readdir.c - getdents64 and getdents: the filesystem's f_op->iterate
 * fills a kernel staging buffer through a dir_context actor, in struct
 * linux_dirent64 layout (or the old struct linux_dirent, d_type in the
 * record's last byte), which is then copied to the guest in one piece.
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

/* struct linux_dirent (getdents(2)): d_off at the same offset as in
 * linux_dirent64, so one patch of the previous record serves both. */
struct linux_dirent {
	u64 d_ino;
	u64 d_off;
	u16 d_reclen;
	char d_name[];	/* NUL, padding, then d_type in the last byte */
};
_Static_assert(offsetof(struct linux_dirent, d_off) == 8 &&
	       offsetof(struct linux_dirent, d_reclen) == 16 &&
	       offsetof(struct linux_dirent, d_name) == 18, "dirent layout (getdents(2))");

struct getdents_ctx {
	struct dir_context ctx;
	u8 *buf;
	size_t size, used;
	struct linux_dirent64 *prev;
	int error;
	bool old;	/* getdents: struct linux_dirent records */
};

/* A record's length: Linux's, the name's NUL (and d_type for the old
 * layout) included, rounded to 8 bytes. */
static size_t rec_len(const struct getdents_ctx *g, int len)
{
	if (g->old)
		return ALIGN_UP(offsetof(struct linux_dirent, d_name) + (size_t)len + 2, 8);
	return ALIGN_UP(offsetof(struct linux_dirent64, d_name) + (size_t)len + 1, 8);
}

/* Writes one record at d (reclen bytes, zeroed). */
static void put_rec(const struct getdents_ctx *g, void *d, size_t reclen, const char *name,
		    int len, u64 ino, unsigned dtype, s64 pos)
{
	if (g->old) {
		struct linux_dirent *o = d;

		o->d_ino = ino;
		o->d_off = (u64)pos;
		o->d_reclen = (u16)reclen;
		memcpy(o->d_name, name, (size_t)len);
		((u8 *)d)[reclen - 1] = (u8)dtype;
		return;
	}
	struct linux_dirent64 *n = d;

	n->d_ino = ino;
	n->d_off = pos;
	n->d_reclen = (u16)reclen;
	n->d_type = (u8)dtype;
	memcpy(n->d_name, name, (size_t)len);
}

static int filldir64(struct dir_context *c, const char *name, int len, u64 ino,
		     unsigned dtype)
{
	struct getdents_ctx *g = container_of(c, struct getdents_ctx, ctx);
	size_t reclen = rec_len(g, len);
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
	put_rec(g, d, reclen, name, len, ino, dtype, c->pos);
	g->prev = d;
	g->used += reclen;
	return 0;
}

static long iterate_into(struct file *f, uaddr_t ubuf, size_t count, bool old)
{
	struct getdents_ctx g = { .ctx.actor = filldir64, .old = old };
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

/* getdents64/getdents(fd, dirp, count): bytes filled, 0 at the end,
 * -EINVAL if one entry does not fit. */
static long do_getdents(int fd, uaddr_t dirp, size_t count, bool old)
{
	struct file *f = fd_get_file(fd);
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
	ret = iterate_into(f, dirp, count, old);
out:
	fput(f);
	return ret;
}

SYSCALL(getdents64)
{
	return do_getdents((int)a[0], UADDR(a[1]), (size_t)a[2], false);
}

SYSCALL(getdents)
{
	return do_getdents((int)a[0], UADDR(a[1]), (size_t)a[2], true);
}
