/*
 * fs_lseek.c - lseek(2): SEEK_SET/CUR/END, past the end, negative
 * results (EINVAL), unknown whence (EINVAL), SEEK_DATA/SEEK_HOLE on a
 * file with data everywhere (the hole is at EOF) and at or past EOF
 * (ENXIO), pipes (ESPIPE), directories.  (The largest offset depends on
 * the filesystem's s_maxbytes, so it is not tried.)
 */
#include "t.h"
#include "fs.h"

int main(void)
{
	int fd, p[2];

	t_start();
	fs_scratch("fs_lseek");
	fs_put("f", "0123456789");
	fd = open("f", O_RDONLY);
	check(lseek(fd, 4, SEEK_SET) == 4, "SEEK_SET", "bad");
	check(lseek(fd, 3, SEEK_CUR) == 7, "SEEK_CUR", "bad");
	check(lseek(fd, -2, SEEK_END) == 8, "SEEK_END", "bad");
	check(lseek(fd, 100, SEEK_END) == 110, "past the end", "bad");
	CHECK_ERR(lseek(fd, -1, SEEK_SET), EINVAL, "negative SEEK_SET");
	check(lseek(fd, 0, SEEK_CUR) == 110, "failed seek keeps offset", "offset %ld", (long)lseek(fd, 0, SEEK_CUR));
	CHECK_ERR(lseek(fd, -200, SEEK_CUR), EINVAL, "negative SEEK_CUR");
	CHECK_ERR(lseek(fd, -11, SEEK_END), EINVAL, "negative SEEK_END");
	CHECK_ERR(lseek(fd, 0, 5), EINVAL, "whence 5");
	CHECK_ERR(lseek(fd, 0, -1), EINVAL, "whence -1");
	check(lseek(fd, 0, SEEK_DATA) == 0, "SEEK_DATA at 0", "got %ld", (long)lseek(fd, 0, SEEK_DATA));
	check(lseek(fd, 3, SEEK_HOLE) == 10, "SEEK_HOLE is EOF", "got %ld", (long)lseek(fd, 3, SEEK_HOLE));
	CHECK_ERR(lseek(fd, 10, SEEK_DATA), ENXIO, "SEEK_DATA at EOF");
	CHECK_ERR(lseek(fd, 11, SEEK_HOLE), ENXIO, "SEEK_HOLE past EOF");
	CHECK_ERR(lseek(fd, -1, SEEK_DATA), ENXIO, "SEEK_DATA negative");
	close(fd);
	pipe(p);
	CHECK_ERR(lseek(p[0], 0, SEEK_SET), ESPIPE, "pipe read end");
	CHECK_ERR(lseek(p[1], 0, SEEK_END), ESPIPE, "pipe write end");
	close(p[0]);
	close(p[1]);
	CHECK_ERR(lseek(-1, 0, SEEK_SET), EBADF, "bad fd");
	fd = open(".", O_RDONLY);
	check(lseek(fd, 0, SEEK_SET) == 0, "directory SEEK_SET 0", "errno %d", errno);
	close(fd);
	return t_done();
}
