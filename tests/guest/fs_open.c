/*
 * fs_open.c - open(2)'s errors: O_CREAT|O_DIRECTORY (EINVAL), a
 * directory opened for writing (EISDIR), O_CREAT on a directory or with
 * a trailing slash, O_DIRECTORY on a file, O_EXCL on a dangling symlink
 * (EEXIST) while O_CREAT alone creates its target, symlink loops (ELOOP),
 * bad dirfds, NULL and empty names, O_TMPFILE's own rules, O_TRUNC with
 * O_RDONLY truncating, unknown flags ignored by open and refused by
 * openat2.
 */
#include "t.h"
#include "fs.h"
#include <linux/openat2.h>
#include <sys/syscall.h>

int main(void)
{
	struct open_how how = { 0 };
	int fd;

	t_start();
	fs_scratch("fs_open");
	fs_put("f", "hello");
	mkdir("d", 0755);
	symlink("target", "dangle");
	symlink("loop1", "loop2");
	symlink("loop2", "loop1");
	CHECK_ERR(open("new", O_CREAT | O_DIRECTORY | O_RDONLY, 0644), EINVAL, "O_CREAT|O_DIRECTORY");
	check(access("new", F_OK) != 0, "nothing created", "created");
	CHECK_ERR(open("d", O_WRONLY), EISDIR, "directory O_WRONLY");
	CHECK_ERR(open("d", O_RDWR), EISDIR, "directory O_RDWR");
	CHECK_ERR(open("d", O_RDONLY | O_TRUNC), EISDIR, "directory O_TRUNC");
	CHECK_ERR(open("d", O_CREAT | O_RDONLY, 0644), EISDIR, "O_CREAT on a directory");
	CHECK_ERR(open("g/", O_CREAT | O_RDWR, 0644), EISDIR, "O_CREAT with trailing slash");
	CHECK_ERR(open("f", O_RDONLY | O_DIRECTORY), ENOTDIR, "O_DIRECTORY on a file");
	CHECK_ERR(open("f/", O_RDONLY), ENOTDIR, "file with trailing slash");
	CHECK_ERR(open("dangle", O_CREAT | O_EXCL | O_WRONLY, 0644), EEXIST, "O_EXCL on dangling symlink");
	fd = open("dangle", O_CREAT | O_WRONLY, 0644);
	CHECK_OK(fd, "O_CREAT through dangling symlink");
	close(fd);
	check(access("target", F_OK) == 0, "target created", "missing");
	CHECK_ERR(open("loop1", O_RDONLY), ELOOP, "symlink loop");
	CHECK_ERR(open("loop1", O_RDONLY | O_NOFOLLOW), ELOOP, "O_NOFOLLOW on link");
	CHECK_ERR(open("missing", O_RDONLY), ENOENT, "missing");
	CHECK_ERR(open("", O_RDONLY), ENOENT, "empty name");
	CHECK_ERR(syscall(SYS_open, NULL, O_RDONLY), EFAULT, "NULL name");
	CHECK_ERR(openat(-5, "f", O_RDONLY), EBADF, "bad dirfd");
	fd = open("f", O_RDONLY);
	CHECK_ERR(openat(fd, "x", O_RDONLY), ENOTDIR, "dirfd is a file");
	close(fd);
	CHECK_ERR(open("d", O_TMPFILE | O_RDONLY, 0600), EINVAL, "O_TMPFILE read-only");
	CHECK_ERR(open("f", O_TMPFILE | O_RDWR, 0600), ENOTDIR, "O_TMPFILE on a file");
	CHECK_ERR(open("d", O_TMPFILE | O_CREAT | O_RDWR, 0600), EINVAL, "O_TMPFILE|O_CREAT");
	fd = open("d", O_TMPFILE | O_RDWR, 0600);
	CHECK_OK(fd, "O_TMPFILE");
	check(write(fd, "abc", 3) == 3, "write tmpfile", "errno %d", errno);
	close(fd);
	fd = open("f", O_RDONLY | O_TRUNC);
	CHECK_OK(fd, "O_RDONLY|O_TRUNC");
	close(fd);
	check(fs_size("f") == 0, "O_RDONLY|O_TRUNC truncated", "size %ld", fs_size("f"));
	fd = open("f", O_RDONLY | 0x40000000);
	CHECK_OK(fd, "open ignores unknown flags");
	close(fd);
	how.flags = O_RDONLY | 0x40000000;
	CHECK_ERR(syscall(SYS_openat2, AT_FDCWD, "f", &how, sizeof(how)), EINVAL, "openat2 refuses them");
	how.flags = O_RDONLY;
	how.mode = 0644;
	CHECK_ERR(syscall(SYS_openat2, AT_FDCWD, "f", &how, sizeof(how)), EINVAL, "openat2 mode without O_CREAT");
	how.mode = 0;
	CHECK_ERR(syscall(SYS_openat2, AT_FDCWD, "f", &how, 8), EINVAL, "openat2 size too small");
	CHECK_ERR(open("d/../f/..", O_RDONLY), ENOTDIR, "file/.. is ENOTDIR");
	return t_done();
}
