/*
 * splice.c - moving bytes between files without a guest buffer:
 * splice(2) and tee(2) (a pipe at one end, or both), copy_file_range(2)
 * (two regular files).
 *
 * Bytes go through a kernel bounce buffer with vfs_read/vfs_write, in
 * chunks.  Into a pipe no more is moved than it has room for at that
 * moment, and out of one no more than it holds, so a splice never
 * blocks on the pipe once it has moved something, as on Linux; the
 * pipe end honours SPLICE_F_NONBLOCK, the file end does not.
 */
#include "kernel/kernel.h"
#include "kernel/fs.h"
#include "kernel/mm.h"
#include "kernel/sched.h"
#include "kernel/syscalls.h"
#include "internal.h"

#define SPLICE_F_MOVE		0x01	/* <linux/splice.h> */
#define SPLICE_F_NONBLOCK	0x02
#define SPLICE_F_MORE		0x04
#define SPLICE_F_GIFT		0x08
#define SPLICE_F_ALL		(SPLICE_F_MOVE | SPLICE_F_NONBLOCK | SPLICE_F_MORE | SPLICE_F_GIFT)
#define SPLICE_CHUNK		65536
#define LOFF_MAX		0x7fffffffffffffffLL
#define MAX_RW_COUNT		(0x7fffffffL & (long)PAGE_MASK)


/* Reads an offset argument: NULL means the file position (*given false). */
static int get_off(uaddr_t uoff, struct file *f, loff_t *pos, bool *given)
{
	*given = !uaddr_is_null(uoff);
	if (!*given) {
		*pos = f->f_pos;
		return 0;
	}
	if (copy_from_user(pos, uoff, sizeof(*pos)) < 0)
		return -EFAULT;
	return 0;
}

static int put_off(uaddr_t uoff, struct file *f, loff_t pos, bool given)
{
	if (!given) {
		f->f_pos = pos;
		return 0;
	}
	return copy_to_user(uoff, &pos, sizeof(pos)) < 0 ? -EFAULT : 0;
}

/* splice with both files in hand and the flags checked. */
static long do_splice(struct file *in, uaddr_t uoff_in, struct file *out, uaddr_t uoff_out,
		      size_t len, unsigned flags)
{
	bool nonblock = flags & SPLICE_F_NONBLOCK, gin, gout;
	bool pin = file_is_pipe(in), pout = file_is_pipe(out);
	loff_t ipos, opos;
	long ret, max;

	if (!pin && !pout)
		return -EINVAL;
	if (!(in->f_mode & FMODE_READ) || !(out->f_mode & FMODE_WRITE))
		return -EBADF;
	if ((pin && !uaddr_is_null(uoff_in)) || (pout && !uaddr_is_null(uoff_out)))
		return -ESPIPE;
	if (pin && pout && in->f_inode->i_pipe == out->f_inode->i_pipe)
		return -EINVAL;
	if (!pout && (out->f_flags & O_APPEND))
		return -EINVAL;
	ret = get_off(uoff_in, in, &ipos, &gin);
	if (ret == 0)
		ret = get_off(uoff_out, out, &opos, &gout);
	if (ret < 0)
		return ret;
	if (ipos < 0 || opos < 0)
		return -EINVAL;
	if (len == 0)
		return 0;
	len = min(len, (size_t)MAX_RW_COUNT);
	max = SPLICE_CHUNK;
	if (pin) {
		ret = pipe_splice_avail(in, nonblock);
		if (ret <= 0)
			return ret;
		max = min(max, ret);
		len = min(len, (size_t)ret);
	}
	if (pout) {
		ret = pipe_splice_room(out, nonblock);
		if (ret < 0)
			return ret;
		max = min(max, ret);
		len = min(len, (size_t)ret);
	}
	ret = copy_chunks(in, &ipos, out, &opos, len, (size_t)max);
	if (ret > 0 && (put_off(uoff_in, in, ipos, gin) < 0 ||
			put_off(uoff_out, out, opos, gout) < 0))
		ret = -EFAULT;
	return ret;
}

/* splice(fd_in, off_in, fd_out, off_out, len, flags) */
SYSCALL(splice)
{
	struct file *in, *out;
	unsigned flags = (unsigned)a[5];
	long ret;

	if (flags & ~SPLICE_F_ALL)
		return -EINVAL;
	in = fd_get_file((int)a[0]);
	out = fd_get_file((int)a[2]);
	ret = -EBADF;
	if (in != NULL && out != NULL)
		ret = do_splice(in, UADDR(a[1]), out, UADDR(a[3]), (size_t)a[4], flags);
	if (in != NULL)
		fput(in);
	if (out != NULL)
		fput(out);
	return ret;
}

/* tee(fd_in, fd_out, len, flags): both pipes. */
SYSCALL(tee)
{
	struct file *in, *out;
	unsigned flags = (unsigned)a[3];
	long ret;

	if (flags & ~SPLICE_F_ALL)
		return -EINVAL;
	in = fd_get_file((int)a[0]);
	out = fd_get_file((int)a[1]);
	ret = -EBADF;
	if (in == NULL || out == NULL)
		goto out;
	if (!(in->f_mode & FMODE_READ) || !(out->f_mode & FMODE_WRITE))
		goto out;
	ret = -EINVAL;
	if (!file_is_pipe(in) || !file_is_pipe(out))
		goto out;
	ret = (size_t)a[2] == 0 ? 0 : pipe_tee(in, out, (size_t)a[2], flags & SPLICE_F_NONBLOCK);
out:
	if (in != NULL)
		fput(in);
	if (out != NULL)
		fput(out);
	return ret;
}

/* copy_file_range's checks, in the order of Linux's generic_copy_file_checks. */
static long copy_range_check(struct file *in, loff_t ipos, struct file *out, loff_t opos,
			     size_t *len)
{
	struct inode *ii = in->f_inode, *oi = out->f_inode;
	u64 max = oi->i_sb->s_maxbytes ? oi->i_sb->s_maxbytes : (u64)LOFF_MAX;

	if (S_ISDIR(ii->i_mode) || S_ISDIR(oi->i_mode))
		return -EISDIR;
	if (!S_ISREG(ii->i_mode) || !S_ISREG(oi->i_mode))
		return -EINVAL;
	if (!(in->f_mode & FMODE_READ) || !(out->f_mode & FMODE_WRITE) ||
	    (out->f_flags & O_APPEND))
		return -EBADF;
	/* No filesystem here has a copy_file_range of its own: one superblock only. */
	if (ii->i_sb != oi->i_sb)
		return -EXDEV;
	/* Unsigned, as Linux adds a size_t: a negative offset wraps here. */
	if ((u64)ipos + *len < (u64)ipos || (u64)opos + *len < (u64)opos)
		return -EOVERFLOW;
	if (ipos >= 0 && (u64)ipos >= ii->i_size)
		*len = 0;
	else if (ipos >= 0)
		*len = (size_t)min((u64)*len, ii->i_size - (u64)ipos);
	if (opos >= 0 && (u64)opos >= max)
		return -EFBIG;
	if (opos >= 0)
		*len = (size_t)min((u64)*len, max - (u64)opos);
	if (ii == oi && opos + (loff_t)*len > ipos && opos < ipos + (loff_t)*len)
		return -EINVAL;
	if (ipos < 0 || opos < 0)
		return -EINVAL;		/* rw_verify_area */
	return 0;
}

/* copy_file_range(fd_in, off_in, fd_out, off_out, len, flags) */
SYSCALL(copy_file_range)
{
	uaddr_t uoff_in = UADDR(a[1]), uoff_out = UADDR(a[3]);
	size_t len = (size_t)a[4];
	struct file *in, *out;
	loff_t ipos, opos;
	bool gin, gout;
	long ret;

	if ((unsigned)a[5] != 0)
		return -EINVAL;
	in = fd_get_file((int)a[0]);
	out = fd_get_file((int)a[2]);
	ret = -EBADF;
	if (in == NULL || out == NULL || in->f_inode == NULL || out->f_inode == NULL)
		goto out;
	ret = get_off(uoff_in, in, &ipos, &gin);
	if (ret == 0)
		ret = get_off(uoff_out, out, &opos, &gout);
	if (ret == 0)
		ret = copy_range_check(in, ipos, out, opos, &len);
	if (ret < 0 || len == 0)
		goto out;
	ret = copy_chunks(in, &ipos, out, &opos, min(len, (size_t)MAX_RW_COUNT), SPLICE_CHUNK);
	io_account_rw(ret, false);
	io_account_rw(ret, true);
	if (ret > 0 && (put_off(uoff_in, in, ipos, gin) < 0 ||
			put_off(uoff_out, out, opos, gout) < 0))
		ret = -EFAULT;
out:
	if (in != NULL)
		fput(in);
	if (out != NULL)
		fput(out);
	return ret;
}
