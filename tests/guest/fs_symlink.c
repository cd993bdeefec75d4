/*
 * fs_symlink.c - symlink/readlink: an empty target (ENOENT), an existing
 * name (EEXIST), readlink of a non-symlink (EINVAL), a short buffer
 * truncating without a NUL, bufsiz 0 and negative (EINVAL), relative
 * links resolved from their directory, a trailing slash on a link to a
 * directory following it, long targets, and lstat's size.
 */
#include "t.h"
#include "fs.h"
#include <limits.h>
#include <sys/syscall.h>

int main(void)
{
	char buf[PATH_MAX + 8], longt[1000];
	struct stat st;

	t_start();
	fs_scratch("fs_symlink");
	fs_put("f", "x");
	mkdir("d", 0755);
	fs_put("d/in", "inner");
	CHECK_ERR(symlink("", "empty"), ENOENT, "empty target");
	CHECK_OK(symlink("f", "l"), "symlink");
	CHECK_ERR(symlink("g", "l"), EEXIST, "existing name");
	CHECK_ERR(symlink("g", "f"), EEXIST, "over a file");
	CHECK_ERR(symlink("g", "no/l"), ENOENT, "missing parent");
	CHECK_ERR(readlink("f", buf, sizeof(buf)), EINVAL, "readlink a file");
	CHECK_ERR(readlink("missing", buf, sizeof(buf)), ENOENT, "readlink missing");
	CHECK_OK(symlink("a-long-target", "lt"), "symlink long");
	memset(buf, '#', 8);
	check(readlink("lt", buf, 4) == 4 && !memcmp(buf, "a-lo#", 5), "short buffer truncates",
	      "got %.8s", buf);
	CHECK_ERR(syscall(SYS_readlink, "lt", buf, 0), EINVAL, "bufsiz 0");
	CHECK_ERR(syscall(SYS_readlink, "lt", buf, -1), EINVAL, "bufsiz negative");
	CHECK_ERR(syscall(SYS_readlink, "lt", (void *)8, 100), EFAULT, "bad buffer");
	CHECK_OK(symlink("in", "d/rel"), "relative link");
	check(open("d/rel", O_RDONLY) >= 0, "resolved from its directory", "errno %d", errno);
	CHECK_OK(symlink("d", "ld"), "link to dir");
	CHECK_OK(lstat("ld/", &st), "lstat with trailing slash follows");
	check(S_ISDIR(st.st_mode), "gives the directory", "mode %o", st.st_mode);
	CHECK_OK(lstat("ld", &st), "lstat the link");
	check(S_ISLNK(st.st_mode) && st.st_size == 1, "the link, size 1", "mode %o", st.st_mode);
	memset(longt, 'x', sizeof(longt) - 1);
	longt[sizeof(longt) - 1] = 0;
	/* 999 bytes: a block's worth on any block size (ext2 limits a
	 * target to its block size). */
	CHECK_OK(symlink(longt, "big"), "999-byte target");
	check(readlink("big", buf, sizeof(buf)) == 999, "read back whole", "bad");
	check(lstat("big", &st) == 0 && st.st_size == 999, "size 999", "size %ld", (long)st.st_size);
	memset(buf, 'y', PATH_MAX);
	buf[PATH_MAX] = 0;
	CHECK_ERR(symlink(buf, "huge"), ENAMETOOLONG, "target of PATH_MAX bytes");
	CHECK_ERR(unlink("ld/"), ENOTDIR, "unlink link/");
	CHECK_OK(unlink("ld"), "unlink the link");
	check(stat("d", &st) == 0, "target stays", "gone");
	return t_done();
}
