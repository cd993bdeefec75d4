/*
 * fs_truncate.c - truncate(2)/ftruncate(2) edge cases: growing reads
 * back zeros, shrinking, negative lengths, a read-only descriptor, a
 * directory, a pipe, O_APPEND descriptors, trailing slashes, and the
 * offset left beyond the new end.
 */
#include "t.h"
#include "fs.h"

int main(void)
{
	char buf[64];
	int fd, p[2], i, zero;

	t_start();
	fs_scratch("fs_truncate");
	fs_put("f", "hello world");
	CHECK_OK(truncate("f", 5), "shrink");
	check(fs_size("f") == 5, "size 5", "size %ld", fs_size("f"));
	CHECK_OK(truncate("f", 40000), "grow");
	check(fs_size("f") == 40000, "size 40000", "size %ld", fs_size("f"));
	fd = open("f", O_RDONLY);
	check(pread(fd, buf, 5, 0) == 5 && !memcmp(buf, "hello", 5), "old bytes kept", "bad");
	zero = 1;
	for (i = 0; i < 40000 && zero; i += 64)
		if (pread(fd, buf, sizeof(buf), 5 + i) > 0)
			for (int j = 0; j < 64 && 5 + i + j < 40000; j++)
				zero &= buf[j] == 0;
	check(zero, "grown part reads zeros", "non-zero byte");
	CHECK_ERR(ftruncate(fd, 0), EINVAL, "ftruncate read-only fd");
	close(fd);
	CHECK_ERR(truncate("f", -1), EINVAL, "negative length");
	fd = open("f", O_RDWR);
	CHECK_ERR(ftruncate(fd, -5), EINVAL, "ftruncate negative");
	lseek(fd, 30000, SEEK_SET);
	CHECK_OK(ftruncate(fd, 10), "ftruncate 10");
	check(lseek(fd, 0, SEEK_CUR) == 30000, "offset not moved", "offset %ld", (long)lseek(fd, 0, SEEK_CUR));
	check(write(fd, "Z", 1) == 1 && fs_size("f") == 30001, "write past end grows", "size %ld", fs_size("f"));
	close(fd);
	fd = open("f", O_WRONLY | O_APPEND);
	CHECK_OK(ftruncate(fd, 3), "ftruncate O_APPEND fd");
	close(fd);
	check(fs_size("f") == 3, "size 3", "size %ld", fs_size("f"));
	mkdir("d", 0755);
	CHECK_ERR(truncate("d", 0), EISDIR, "truncate directory");
	fd = open("d", O_RDONLY);
	CHECK_ERR(ftruncate(fd, 0), EINVAL, "ftruncate directory fd");
	close(fd);
	pipe(p);
	CHECK_ERR(ftruncate(p[1], 0), EINVAL, "ftruncate pipe");
	close(p[0]);
	close(p[1]);
	CHECK_ERR(truncate("missing", 0), ENOENT, "truncate missing");
	CHECK_ERR(truncate("f/", 0), ENOTDIR, "truncate trailing slash");
	CHECK_ERR(truncate("", 0), ENOENT, "truncate empty name");
	CHECK_ERR(ftruncate(-1, 0), EBADF, "ftruncate -1");
	symlink("f", "ln");
	CHECK_OK(truncate("ln", 1), "truncate through symlink");
	check(fs_size("f") == 1, "target truncated", "size %ld", fs_size("f"));
	CHECK_OK(truncate("f", 0x7fffffffLL + 10), "grow past 2 GiB (sparse)");
	check(fs_size("f") == 0x7fffffffLL + 10, "large size", "size %ld", fs_size("f"));
	CHECK_OK(truncate("f", 0), "back to 0");
	return t_done();
}
