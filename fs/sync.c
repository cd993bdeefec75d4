/*
 * sync.c - writing back: sync, syncfs, fsync, fdatasync, and
 * fadvise64, which only validates its advice.
 */
#include "kernel/kernel.h"
#include "kernel/fs.h"
#include "kernel/mm.h"
#include "kernel/sched.h"
#include "kernel/syscalls.h"
#include "uapi/linux/fadvise.h"
#include "internal.h"

SYSCALL(sync)
{
	sync_all();
	return 0;
}

static struct super_block *file_sb(struct file *f)
{
	return f->f_inode ? f->f_inode->i_sb : NULL;
}

SYSCALL(syncfs)
{
	struct file *f = fd_get_file((int)a[0]);
	struct super_block *sb;
	long ret = 0;

	if (f == NULL)
		return -EBADF;
	sb = file_sb(f);
	if (sb != NULL)
		ret = sync_sb(sb);
	fput(f);
	return ret;
}

/*
 * fsync: the file's own fsync, else, for files of a filesystem, the
 * inode and the device under it; -EINVAL for files that cannot sync.
 * May sleep.
 */
static long do_fsync(int fd)
{
	struct file *f = fd_get_file(fd);
	struct inode *inode;
	long ret = -EINVAL;

	if (f == NULL)
		return -EBADF;
	inode = f->f_inode;
	if (inode != NULL && S_ISREG(inode->i_mode) && !(f->f_flags & O_PATH))
		filemap_writeback(inode);	/* shared writable mappings */
	if (f->f_flags & O_PATH) {
		ret = -EBADF;
	} else if (f->f_op != NULL && f->f_op->fsync != NULL) {
		ret = f->f_op->fsync(f);
	} else if (inode != NULL && (S_ISREG(inode->i_mode) || S_ISDIR(inode->i_mode))) {
		ret = write_inode_now(inode);
		if (ret == 0)
			ret = sync_sb(inode->i_sb);
	}
	fput(f);
	return ret;
}

SYSCALL(fsync)
{
	return do_fsync((int)a[0]);
}

SYSCALL(fdatasync)
{
	return do_fsync((int)a[0]);
}

/* fadvise64(fd, offset, len, advice): advice is accepted and ignored. */
SYSCALL(fadvise64)
{
	struct file *f = fd_get_file((int)a[0]);
	long len = a[2];
	int advice = (int)a[3];
	long ret = 0;

	if (f == NULL)
		return -EBADF;
	if (f->f_inode == NULL || S_ISFIFO(f->f_inode->i_mode))
		ret = -ESPIPE;
	else if (len < 0 || advice < POSIX_FADV_NORMAL || advice > POSIX_FADV_NOREUSE)
		ret = -EINVAL;
	fput(f);
	return ret;
}
