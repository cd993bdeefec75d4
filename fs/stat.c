/*
 * stat.c - reporting inode and filesystem attributes: stat, lstat,
 * fstat, newfstatat, statx, statfs, fstatfs.
 *
 * Each resolves a path or an fd to an inode and converts it into the
 * guest's layout (<asm/stat.h>, <linux/stat.h>, <asm/statfs.h>).
 */
#include "kernel/kernel.h"
#include "kernel/fs.h"
#include "kernel/mm.h"
#include "kernel/sched.h"
#include "kernel/syscalls.h"
#include "uapi/asm/statfs.h"
#include "internal.h"

/* statvfs f_flag bits (<sys/statvfs.h>); Linux statfs sets ST_VALID. */
#define ST_RDONLY	0x0001
#define ST_VALID	0x0020

static void fill_stat(const struct inode *i, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = dev_to_user(i->i_sb->s_dev);
	st->st_ino = i->i_ino;
	st->st_nlink = i->i_nlink;
	st->st_mode = i->i_mode;
	st->st_uid = i->i_uid;
	st->st_gid = i->i_gid;
	st->st_rdev = dev_to_user(i->i_rdev);
	st->st_size = (long)i->i_size;
	st->st_blksize = i->i_sb->s_blocksize;
	st->st_blocks = (long)i->i_blocks;
	st->st_atime = i->i_atime.sec;
	st->st_atime_nsec = (unsigned long)i->i_atime.nsec;
	st->st_mtime = i->i_mtime.sec;
	st->st_mtime_nsec = (unsigned long)i->i_mtime.nsec;
	st->st_ctime = i->i_ctime.sec;
	st->st_ctime_nsec = (unsigned long)i->i_ctime.nsec;
}

static long put_stat(const struct inode *inode, uaddr_t ubuf)
{
	struct stat st;

	fill_stat(inode, &st);
	return copy_to_user(ubuf, &st, sizeof(st)) < 0 ? -EFAULT : 0;
}

static long stat_at(int dfd, uaddr_t uname, uaddr_t ubuf, int flags)
{
	unsigned lf = (flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW;
	struct path p;
	long err;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT))
		return -EINVAL;
	if (flags & AT_EMPTY_PATH)
		lf |= LOOKUP_EMPTY;
	err = user_path(dfd, uname, lf, &p);
	if (err < 0)
		return err;
	err = put_stat(p.dentry->d_inode, ubuf);
	path_put(&p);
	return err;
}

SYSCALL(stat)
{
	return stat_at(AT_FDCWD, UADDR(a[0]), UADDR(a[1]), 0);
}

SYSCALL(lstat)
{
	return stat_at(AT_FDCWD, UADDR(a[0]), UADDR(a[1]), AT_SYMLINK_NOFOLLOW);
}

SYSCALL(newfstatat)
{
	return stat_at((int)a[0], UADDR(a[1]), UADDR(a[2]), (int)a[3]);
}

SYSCALL(fstat)
{
	struct file *f = fd_get_file((int)a[0]);
	long err;

	if (f == NULL)
		return -EBADF;
	err = put_stat(f->f_inode, UADDR(a[1]));
	fput(f);
	return err;
}

static struct statx_timestamp stx_time(struct ktimespec t)
{
	struct statx_timestamp s = { .tv_sec = t.sec, .tv_nsec = (u32)t.nsec };

	return s;
}

static void fill_statx(const struct inode *i, struct statx *sx)
{
	memset(sx, 0, sizeof(*sx));
	sx->stx_mask = STATX_BASIC_STATS;
	sx->stx_blksize = i->i_sb->s_blocksize;
	sx->stx_nlink = i->i_nlink;
	sx->stx_uid = i->i_uid;
	sx->stx_gid = i->i_gid;
	sx->stx_mode = (u16)i->i_mode;
	sx->stx_ino = i->i_ino;
	sx->stx_size = i->i_size;
	sx->stx_blocks = i->i_blocks;
	sx->stx_atime = stx_time(i->i_atime);
	sx->stx_ctime = stx_time(i->i_ctime);
	sx->stx_mtime = stx_time(i->i_mtime);
	sx->stx_rdev_major = MAJOR(i->i_rdev);
	sx->stx_rdev_minor = MINOR(i->i_rdev);
	sx->stx_dev_major = MAJOR(i->i_sb->s_dev);
	sx->stx_dev_minor = MINOR(i->i_sb->s_dev);
}

static long statx_inode(const struct inode *inode, uaddr_t ubuf)
{
	struct statx sx;

	fill_statx(inode, &sx);
	return copy_to_user(ubuf, &sx, sizeof(sx)) < 0 ? -EFAULT : 0;
}

/* statx(dfd, path, flags, mask, buf): the basic fields whatever mask asks. */
SYSCALL(statx)
{
	int dfd = (int)a[0], flags = (int)a[2];
	uaddr_t uname = UADDR(a[1]), ubuf = UADDR(a[4]);
	unsigned mask = (unsigned)a[3];
	unsigned lf = (flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW;
	struct file *f;
	struct path p;
	long err;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT | AT_STATX_SYNC_TYPE))
		return -EINVAL;
	if ((flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE || (mask & STATX__RESERVED))
		return -EINVAL;
	if (flags & AT_EMPTY_PATH) {
		char c = 0;

		if (!uaddr_is_null(uname) && get_user(c, uname))
			return -EFAULT;
		if (c != '\0' || (!uaddr_is_null(uname) && dfd == AT_FDCWD))
			goto walk;
		/* "" or NULL names dfd itself. */
		f = dfd == AT_FDCWD ? NULL : fd_get_file(dfd);
		if (f == NULL)
			return dfd == AT_FDCWD ? -EFAULT : -EBADF;
		err = statx_inode(f->f_inode, ubuf);
		fput(f);
		return err;
	}
walk:
	if (flags & AT_EMPTY_PATH)
		lf |= LOOKUP_EMPTY;
	err = user_path(dfd, uname, lf, &p);
	if (err < 0)
		return err;
	err = statx_inode(p.dentry->d_inode, ubuf);
	path_put(&p);
	return err;
}

/* Asks sb's filesystem for its statistics, with defaults filled in: 0 or -errno. */
int vfs_statfs(struct super_block *sb, struct kstatfs *st)
{
	int err = 0;

	memset(st, 0, sizeof(*st));
	st->f_type = sb->s_magic;
	st->f_bsize = sb->s_blocksize;
	st->f_namelen = NAME_MAX;
	if (sb->s_op != NULL && sb->s_op->statfs != NULL)
		err = sb->s_op->statfs(sb, st);
	if (st->f_frsize == 0)
		st->f_frsize = st->f_bsize;
	return err;
}

static long put_statfs(const struct path *p, uaddr_t ubuf)
{
	struct super_block *sb = p->dentry->d_sb;
	struct kstatfs k;
	struct statfs st;
	long err = vfs_statfs(sb, &k);

	if (err < 0)
		return err;
	memset(&st, 0, sizeof(st));
	st.f_type = (long)k.f_type;
	st.f_bsize = (long)k.f_bsize;
	st.f_blocks = (long)k.f_blocks;
	st.f_bfree = (long)k.f_bfree;
	st.f_bavail = (long)k.f_bavail;
	st.f_files = (long)k.f_files;
	st.f_ffree = (long)k.f_ffree;
	st.f_fsid.val[0] = (int)(u32)dev_to_user(sb->s_dev);
	st.f_fsid.val[1] = (int)(u32)(dev_to_user(sb->s_dev) >> 32);
	st.f_namelen = (long)k.f_namelen;
	st.f_frsize = (long)k.f_frsize;
	st.f_flags = (long)k.f_flags | ST_VALID | (mnt_is_rdonly(p->mnt) ? ST_RDONLY : 0);
	return copy_to_user(ubuf, &st, sizeof(st)) < 0 ? -EFAULT : 0;
}

SYSCALL(statfs)
{
	struct path p;
	long err = user_path(AT_FDCWD, UADDR(a[0]), LOOKUP_FOLLOW, &p);

	if (err < 0)
		return err;
	err = put_statfs(&p, UADDR(a[1]));
	path_put(&p);
	return err;
}

SYSCALL(fstatfs)
{
	struct file *f = fd_get_file((int)a[0]);
	long err;

	if (f == NULL)
		return -EBADF;
	err = f->f_path.dentry ? put_statfs(&f->f_path, UADDR(a[1])) : -EINVAL;
	fput(f);
	return err;
}
