/*
 * fs_statx.c - statx(2) agrees with fstat on every kind of object (a
 * file, a directory, a symlink with and without AT_SYMLINK_NOFOLLOW, a
 * FIFO, /dev/null where present): mode, inode, links, owner, size,
 * blocks, block size, device numbers split in major/minor, times to the
 * nanosecond; what was asked for is in stx_mask; both sync flags at
 * once and STATX__RESERVED are EINVAL; an fd with AT_EMPTY_PATH and ""
 * or a NULL name works.
 */
#include "t.h"
#include "fs.h"
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <linux/stat.h>
#include <sys/syscall.h>

static long sx(int dfd, const char *name, int flags, unsigned mask, struct statx *x)
{
	return syscall(SYS_statx, dfd, name, flags, mask, x);
}

static int same(const struct stat *s, const struct statx *x)
{
	if ((x->stx_mask & STATX_BASIC_STATS) != STATX_BASIC_STATS)
		return 1;
	if (x->stx_mode != s->st_mode || x->stx_ino != s->st_ino || x->stx_nlink != s->st_nlink)
		return 2;
	if (x->stx_uid != s->st_uid || x->stx_gid != s->st_gid || (off_t)x->stx_size != s->st_size)
		return 3;
	if ((blkcnt_t)x->stx_blocks != s->st_blocks || (blksize_t)x->stx_blksize != s->st_blksize)
		return 4;
	if (makedev(x->stx_dev_major, x->stx_dev_minor) != s->st_dev ||
	    makedev(x->stx_rdev_major, x->stx_rdev_minor) != s->st_rdev)
		return 5;
	if (x->stx_mtime.tv_sec != s->st_mtim.tv_sec || x->stx_mtime.tv_nsec != (unsigned)s->st_mtim.tv_nsec ||
	    x->stx_atime.tv_sec != s->st_atim.tv_sec || x->stx_atime.tv_nsec != (unsigned)s->st_atim.tv_nsec ||
	    x->stx_ctime.tv_sec != s->st_ctim.tv_sec || x->stx_ctime.tv_nsec != (unsigned)s->st_ctim.tv_nsec)
		return 6;
	return 0;
}

static void one(const char *label, const char *name, int nofollow)
{
	struct stat s;
	struct statx x;
	char t[96];
	int r;

	memset(&x, 0xa5, sizeof(x));
	if ((nofollow ? lstat(name, &s) : stat(name, &s)) < 0) {
		printf("not ok 0 %s: %s\n", name, strerror(errno));
		return;
	}
	snprintf(t, sizeof(t), "%s: statx agrees with stat", label);
	r = (int)sx(AT_FDCWD, name, nofollow ? AT_SYMLINK_NOFOLLOW : 0, STATX_BASIC_STATS, &x);
	check(r == 0 && same(&s, &x) == 0, t, "r %d field group %d", r, same(&s, &x));
}

int main(void)
{
	const struct timespec ts[2] = { { 1234567, 111111111 }, { 7654321, 987654321 } };
	struct statx x;
	struct stat s;
	int fd;

	t_start();
	fs_scratch("fs_statx");
	CHECK_OK(fs_put("f", "some bytes here"), "create");
	CHECK_OK(utimensat(AT_FDCWD, "f", ts, 0), "nanosecond times");
	CHECK_OK(mkdir("d", 0750), "mkdir");
	CHECK_OK(symlink("f", "l"), "symlink");
	CHECK_OK(mkfifo("p", 0600), "mkfifo");
	one("file", "f", 0);
	one("directory", "d", 0);
	one("symlink followed", "l", 0);
	one("symlink itself", "l", 1);
	one("fifo", "p", 0);
	if (access("/dev/null", F_OK) == 0)
		one("/dev/null", "/dev/null", 0);
	else
		one("/dev/null (absent: the file again)", "f", 0);
	CHECK_OK(sx(AT_FDCWD, "f", 0, STATX_BASIC_STATS, &x), "statx");
	check(x.stx_mtime.tv_sec == 7654321 && x.stx_mtime.tv_nsec == 987654321 &&
	      x.stx_atime.tv_nsec == 111111111, "the nanoseconds set", "%lld.%u",
	      (long long)x.stx_mtime.tv_sec, x.stx_mtime.tv_nsec);
	memset(&x, 0, sizeof(x));
	CHECK_OK(sx(AT_FDCWD, "f", 0, STATX_SIZE, &x), "asking for the size only");
	check((x.stx_mask & STATX_SIZE) && x.stx_size == 15, "the size there", "%x", x.stx_mask);
	memset(&x, 0, sizeof(x));
	CHECK_OK(sx(AT_FDCWD, "f", 0, 0, &x), "mask 0");
	check(x.stx_size == 15, "mask 0 still fills in", "%llu", (unsigned long long)x.stx_size);
	CHECK_ERR(sx(AT_FDCWD, "f", AT_STATX_FORCE_SYNC | AT_STATX_DONT_SYNC, STATX_BASIC_STATS, &x),
		  EINVAL, "both sync flags: EINVAL");
	CHECK_ERR(sx(AT_FDCWD, "f", 0, STATX__RESERVED, &x), EINVAL, "STATX__RESERVED: EINVAL");
	fd = open("f", O_RDONLY);
	CHECK_OK(fstat(fd, &s), "fstat");
	CHECK_OK(sx(fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &x), "AT_EMPTY_PATH on an fd");
	check(same(&s, &x) == 0, "the fd's file", "%d", same(&s, &x));
	memset(&x, 0, sizeof(x));
	CHECK_OK(sx(fd, NULL, AT_EMPTY_PATH, STATX_BASIC_STATS, &x),
		 "a NULL name with AT_EMPTY_PATH (Linux 6.11+): the fd");
	check(same(&s, &x) == 0, "the fd's file again", "%d", same(&s, &x));
	CHECK_ERR(sx(fd, "", 0, STATX_BASIC_STATS, &x), ENOENT, "\"\" without AT_EMPTY_PATH: ENOENT");
	close(fd);
	return t_done();
}
