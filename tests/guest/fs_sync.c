/*
 * fs_sync.c - fsync, fdatasync, syncfs, sync_file_range: a file, a
 * directory, a pipe (EINVAL for fsync, syncfs fine), O_PATH and bad fds
 * (EBADF), sync_file_range's flag and range checks.
 */
#include "t.h"
#include "fs.h"
#include <sys/syscall.h>

int main(void)
{
	int fd, dfd, p[2], pfd;

	t_start();
	fs_scratch("fs_sync");
	fs_put("f", "hello");
	fd = open("f", O_RDWR);
	dfd = open(".", O_RDONLY | O_DIRECTORY);
	pfd = open("f", O_PATH);
	pipe(p);
	CHECK_OK(fsync(fd), "fsync file");
	CHECK_OK(fdatasync(fd), "fdatasync file");
	CHECK_OK(fsync(dfd), "fsync directory");
	CHECK_OK(syncfs(fd), "syncfs file");
	CHECK_OK(syncfs(dfd), "syncfs directory");
	CHECK_ERR(fsync(p[0]), EINVAL, "fsync pipe");
	CHECK_ERR(fdatasync(p[1]), EINVAL, "fdatasync pipe");
	CHECK_OK(syncfs(p[0]), "syncfs pipe");
	CHECK_ERR(fsync(pfd), EBADF, "fsync O_PATH");
	CHECK_ERR(syncfs(pfd), EBADF, "syncfs O_PATH");
	CHECK_ERR(fsync(-1), EBADF, "fsync -1");
	CHECK_ERR(syncfs(1234), EBADF, "syncfs closed fd");
	CHECK_OK(sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE), "sync_file_range whole file");
	CHECK_OK(sync_file_range(fd, 0, 5, SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE |
				 SYNC_FILE_RANGE_WAIT_AFTER), "sync_file_range all flags");
	CHECK_ERR(sync_file_range(fd, 0, 0, 8), EINVAL, "sync_file_range unknown flag");
	CHECK_ERR(sync_file_range(fd, -1, 0, 0), EINVAL, "sync_file_range negative offset");
	CHECK_ERR(sync_file_range(fd, 0, -1, 0), EINVAL, "sync_file_range negative length");
	CHECK_ERR(sync_file_range(fd, 0x7fffffffffffffffLL, 10, 0), EINVAL, "sync_file_range overflow");
	CHECK_ERR(sync_file_range(p[0], 0, 0, SYNC_FILE_RANGE_WRITE), ESPIPE, "sync_file_range pipe");
	CHECK_ERR(sync_file_range(-1, 0, 0, 0), EBADF, "sync_file_range -1");
	CHECK_OK(sync_file_range(dfd, 0, 0, 0), "sync_file_range directory, no flags");
	sync();
	check(1 + fs_size("f") == 6, "sync returns and data stays", "size %ld", fs_size("f"));
	close(fd);
	close(dfd);
	close(pfd);
	return t_done();
}
