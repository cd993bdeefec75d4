/*
 * fs_stat.c - the stat family's error paths: missing names, a file used
 * as a directory, empty and over-long names, bad descriptors and flags,
 * symlinks followed or not, statx masks and its own flag checks.
 */
#include "t.h"
#include "fs.h"
#include <limits.h>
#include <sys/syscall.h>

int main(void)
{
	struct stat st, st2;
	struct statx sx;
	char longname[PATH_MAX + 10];

	t_start();
	fs_scratch("fs_stat");
	fs_put("f", "hello");
	symlink("f", "ln");
	symlink("nowhere", "dangle");
	CHECK_ERR(stat("missing", &st), ENOENT, "stat missing");
	CHECK_ERR(stat("f/x", &st), ENOTDIR, "stat through a file");
	CHECK_ERR(stat("f/", &st), ENOTDIR, "stat file with trailing slash");
	CHECK_ERR(stat("", &st), ENOENT, "stat empty name");
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = 0;
	CHECK_ERR(stat(longname, &st), ENAMETOOLONG, "stat path too long");
	memset(longname, 'b', 300);
	longname[300] = 0;
	CHECK_ERR(stat(longname, &st), ENAMETOOLONG, "stat component too long");
	CHECK_ERR(fstat(-1, &st), EBADF, "fstat -1");
	CHECK_ERR(fstat(999, &st), EBADF, "fstat unopened fd");
	CHECK_ERR(stat("dangle", &st), ENOENT, "stat dangling symlink");
	CHECK_OK(lstat("dangle", &st), "lstat dangling symlink");
	check(S_ISLNK(st.st_mode) && st.st_size == 7, "lstat symlink size is target length",
	      "mode %o size %ld", st.st_mode, (long)st.st_size);
	CHECK_OK(stat("ln", &st), "stat through symlink");
	check(S_ISREG(st.st_mode) && st.st_size == 5, "stat follows symlink", "mode %o", st.st_mode);
	CHECK_OK(fstatat(AT_FDCWD, "ln", &st2, AT_SYMLINK_NOFOLLOW), "fstatat NOFOLLOW");
	check(S_ISLNK(st2.st_mode), "fstatat NOFOLLOW gives the link", "mode %o", st2.st_mode);
	CHECK_ERR(fstatat(AT_FDCWD, "f", &st, 0x4000000), EINVAL, "fstatat unknown flag");
	CHECK_ERR(fstatat(12345, "f", &st, 0), EBADF, "fstatat bad dirfd relative");
	CHECK_OK(fstatat(12345, "/", &st, 0), "fstatat bad dirfd absolute is ignored");
	{
		int fd = open("f", O_RDONLY);

		CHECK_ERR(fstatat(fd, "x", &st, 0), ENOTDIR, "fstatat dirfd is a file");
		close(fd);
	}
	CHECK_ERR(syscall(SYS_newfstatat, AT_FDCWD, "f", (void *)8, 0), EFAULT, "fstatat bad buffer");
	CHECK_ERR(syscall(SYS_newfstatat, AT_FDCWD, (void *)8, &st, 0), EFAULT, "fstatat bad name");
	CHECK_OK(statx(AT_FDCWD, "f", 0, STATX_SIZE, &sx), "statx size");
	check((sx.stx_mask & STATX_SIZE) && sx.stx_size == 5, "statx mask has size", "mask %x", sx.stx_mask);
	CHECK_ERR(statx(AT_FDCWD, "f", 0, 0x80000000u, &sx), EINVAL, "statx reserved mask bit");
	CHECK_ERR(statx(AT_FDCWD, "f", 0x6000, STATX_BASIC_STATS, &sx), EINVAL, "statx both sync flags");
	CHECK_OK(statx(AT_FDCWD, "ln", AT_SYMLINK_NOFOLLOW, STATX_TYPE, &sx), "statx NOFOLLOW");
	check(S_ISLNK(sx.stx_mode), "statx NOFOLLOW gives the link", "mode %o", sx.stx_mode);
	CHECK_ERR(statx(AT_FDCWD, "", 0, STATX_BASIC_STATS, &sx), ENOENT, "statx empty name");
	CHECK_ERR(stat("f/.", &st), ENOTDIR, "stat file/.");
	CHECK_OK(stat("./././f", &st), "stat ./././f");
	CHECK_ERR(stat("ln/", &st), ENOTDIR, "stat symlink-to-file with slash");
	return t_done();
}
