/*
 * sync.c - writing back: sync, syncfs, fsync, fdatasync,
 * sync_file_range (which writes the whole file back, a superset of the
 * range), and fadvise64, which only validates its advice.
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
	if (f->f_flags & O_PATH)
		ret = -EBADF;	/* Linux's fdget() does not see O_PATH files */
	else if (sb != NULL)
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

#define SYNC_FILE_RANGE_WAIT_BEFORE	1	/* <linux/fs.h> */
#define SYNC_FILE_RANGE_WRITE		2
#define SYNC_FILE_RANGE_WAIT_AFTER	4

/*
 * sync_file_range(fd, offset, nbytes, flags): Linux's checks; with
 * SYNC_FILE_RANGE_WRITE the file is written back as fsync does (our
 * writes complete before they return, so the waits have nothing more to
 * wait for).
 */
SYSCALL(sync_file_range)
{
	loff_t off = a[1], n = a[2];
	unsigned flags = (unsigned)a[3];
	struct file *f;
	umode_t mode;
	long ret = 0;

	if (flags & ~(unsigned)(SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE |
				SYNC_FILE_RANGE_WAIT_AFTER))
		return -EINVAL;
	if (off < 0 || n < 0 || n > 0x7fffffffffffffffLL - off)
		return -EINVAL;
	f = fd_get_file((int)a[0]);
	if (f == NULL)
		return -EBADF;
	mode = f->f_inode ? f->f_inode->i_mode : 0;
	if (f->f_flags & O_PATH)
		ret = -EBADF;
	else if (!S_ISREG(mode) && !S_ISBLK(mode) && !S_ISDIR(mode) && !S_ISLNK(mode))
		ret = -ESPIPE;
	fput(f);
	if (ret == 0 && (flags & SYNC_FILE_RANGE_WRITE))
		ret = do_fsync((int)a[0]);
	return ret == -EINVAL ? 0 : ret;	/* a file that cannot sync has nothing to write */
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
