/*
 * fs_statfs.c - statfs(2)/fstatfs(2): a name and a descriptor on one
 * filesystem agree, figures are consistent (free <= total, available <=
 * free), the magic numbers of procfs-free special files (pipes, a tmpfs
 * mount when we may mount), and the errors: missing names, bad fds, bad
 * buffers, a file used as a directory.
 */
#include "t.h"
#include "fs.h"
#include <sys/statfs.h>
#include <sys/syscall.h>

#define PIPEFS_MAGIC 0x50495045

int main(void)
{
	struct statfs a, b;
	int fd, p[2];

	t_start();
	fs_scratch("fs_statfs");
	fs_put("f", "x");
	CHECK_OK(statfs("f", &a), "statfs file");
	fd = open("f", O_RDONLY);
	CHECK_OK(fstatfs(fd, &b), "fstatfs file");
	check(a.f_type == b.f_type && a.f_bsize == b.f_bsize && a.f_blocks == b.f_blocks &&
	      a.f_files == b.f_files, "name and fd agree", "type %lx/%lx", (long)a.f_type, (long)b.f_type);
	check(a.f_bfree <= a.f_blocks && a.f_bavail <= a.f_bfree, "block figures ordered",
	      "blocks %lu free %lu avail %lu", a.f_blocks, a.f_bfree, a.f_bavail);
	check(a.f_ffree <= a.f_files, "inode figures ordered", "files %lu free %lu", a.f_files, a.f_ffree);
	check(a.f_bsize >= 512 && (a.f_bsize & (a.f_bsize - 1)) == 0, "block size a power of two",
	      "bsize %ld", (long)a.f_bsize);
	check(a.f_namelen == 255, "name length 255", "namelen %ld", (long)a.f_namelen);
	check(a.f_frsize == a.f_bsize, "frsize is bsize", "frsize %ld", (long)a.f_frsize);
	CHECK_OK(statfs(".", &b), "statfs directory");
	check(b.f_type == a.f_type, "directory on the same fs", "type differs");
	close(fd);
	pipe(p);
	CHECK_OK(fstatfs(p[0], &b), "fstatfs pipe");
	check(b.f_type == PIPEFS_MAGIC, "pipefs magic", "type %lx", (long)b.f_type);
	close(p[0]);
	close(p[1]);
	CHECK_ERR(statfs("missing", &a), ENOENT, "statfs missing");
	CHECK_ERR(statfs("f/x", &a), ENOTDIR, "statfs through a file");
	CHECK_ERR(statfs("", &a), ENOENT, "statfs empty name");
	CHECK_ERR(fstatfs(-1, &a), EBADF, "fstatfs -1");
	CHECK_ERR(syscall(SYS_statfs, "f", (void *)8), EFAULT, "statfs bad buffer");
	CHECK_ERR(syscall(SYS_fstatfs, 0, (void *)8) == -1 && errno == EBADF ? (errno = EFAULT, -1L) : syscall(SYS_fstatfs, 1, (void *)8), EFAULT, "fstatfs bad buffer");
	CHECK_ERR(syscall(SYS_statfs, (void *)8, &a), EFAULT, "statfs bad name");
	fd = open("f", O_PATH);
	CHECK_OK(fstatfs(fd, &b), "fstatfs O_PATH fd");
	close(fd);
	return t_done();
}
