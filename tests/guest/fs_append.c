/*
 * fs_append.c - O_APPEND: every write at the end whatever the offset,
 * the offset left at the end, pwrite on an O_APPEND file appending too
 * (the Linux bug pwrite(2) documents), F_SETFL turning it on and off;
 * pread/pwrite errors: negative offsets, pipes (ESPIPE), write-only and
 * read-only descriptors.
 */
#include "t.h"
#include "fs.h"

int main(void)
{
	char buf[32];
	int fd, p[2];

	t_start();
	fs_scratch("fs_append");
	fs_put("f", "0123456789");
	fd = open("f", O_WRONLY | O_APPEND);
	lseek(fd, 2, SEEK_SET);
	check(write(fd, "ab", 2) == 2 && fs_size("f") == 12, "write appends", "size %ld", fs_size("f"));
	check(lseek(fd, 0, SEEK_CUR) == 12, "offset at end", "offset %ld", (long)lseek(fd, 0, SEEK_CUR));
	check(pwrite(fd, "cd", 2, 0) == 2 && fs_size("f") == 14, "pwrite appends with O_APPEND",
	      "size %ld", fs_size("f"));
	check(lseek(fd, 0, SEEK_CUR) == 12, "pwrite leaves the offset", "offset %ld", (long)lseek(fd, 0, SEEK_CUR));
	CHECK_ERR(pread(fd, buf, 2, 0), EBADF, "pread on write-only");
	CHECK_OK(fcntl(fd, F_SETFL, 0), "F_SETFL clears O_APPEND");
	check(!(fcntl(fd, F_GETFL) & O_APPEND), "cleared", "flags %o", fcntl(fd, F_GETFL));
	check(pwrite(fd, "XY", 2, 0) == 2 && fs_size("f") == 14, "pwrite at 0 now", "size %ld", fs_size("f"));
	CHECK_OK(fcntl(fd, F_SETFL, O_APPEND), "F_SETFL sets O_APPEND");
	check(write(fd, "!", 1) == 1 && fs_size("f") == 15, "append again", "size %ld", fs_size("f"));
	close(fd);
	fd = open("f", O_RDONLY);
	memset(buf, 0, sizeof(buf));
	check(read(fd, buf, sizeof(buf)) == 15 && !strcmp(buf, "XY23456789abcd!"), "content",
	      "got %s", buf);
	CHECK_ERR(pread(fd, buf, 1, -1), EINVAL, "pread negative offset");
	CHECK_ERR(pwrite(fd, buf, 1, 0), EBADF, "pwrite on read-only");
	check(pread(fd, buf, 4, 100) == 0, "pread past end 0", "bad");
	close(fd);
	fd = open("f", O_RDWR);
	CHECK_ERR(pwrite(fd, "z", 1, -4096), EINVAL, "pwrite negative offset");
	check(pwrite(fd, "z", 1, 20) == 1 && fs_size("f") == 21, "pwrite past end extends",
	      "size %ld", fs_size("f"));
	check(pread(fd, buf, 5, 15) == 5 && buf[0] == 0 && buf[4] == 0, "gap reads zeros", "bad");
	close(fd);
	pipe(p);
	CHECK_ERR(pwrite(p[1], "a", 1, 0), ESPIPE, "pwrite on pipe");
	write(p[1], "a", 1);
	CHECK_ERR(pread(p[0], buf, 1, 0), ESPIPE, "pread on pipe");
	CHECK_ERR(lseek(p[0], 0, SEEK_CUR), ESPIPE, "lseek on pipe");
	close(p[0]);
	close(p[1]);
	CHECK_ERR(pread(-1, buf, 1, 0), EBADF, "pread -1");
	CHECK_ERR(pwrite(-1, buf, 1, -1), EINVAL, "pwrite negative before bad fd");
	return t_done();
}
