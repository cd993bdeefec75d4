/*
 * fs_mmapfile.c - mmap(2) of files, the error paths: a zero length
 * (EINVAL), a write-only fd (EACCES), MAP_SHARED|PROT_WRITE of a
 * read-only fd (EACCES) and mprotect adding PROT_WRITE to such a
 * mapping (EACCES) while MAP_PRIVATE may, an offset not page-aligned
 * (EINVAL), a directory (ENODEV), a pipe (ENODEV), a bad fd (EBADF); a shared mapping
 * seeing write(2)s and msync writing back; mapping past EOF (SIGBUS on
 * touch is not tried: it kills).  Also close_range's flags.
 */
#include "t.h"
#include "fs.h"
#include <sys/mman.h>
#include <sys/syscall.h>

int main(void)
{
	char *m;
	int fd, wfd, dfd, p[2];

	t_start();
	fs_scratch("fs_mmapfile");
	fs_put("f", "0123456789");
	truncate("f", 8192);
	fd = open("f", O_RDONLY);
	wfd = open("f", O_WRONLY);
	check(mmap(NULL, 0, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED && errno == EINVAL, "zero length",
	      "errno %d", errno);
	check(mmap(NULL, 4096, PROT_READ, MAP_SHARED, wfd, 0) == MAP_FAILED && errno == EACCES,
	      "write-only fd", "errno %d", errno);
	check(mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) == MAP_FAILED && errno == EACCES,
	      "shared writable of a read-only fd", "errno %d", errno);
	m = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	check(m != MAP_FAILED && m[0] == '0', "shared read-only mapping", "errno %d", errno);
	check(mprotect(m, 4096, PROT_READ | PROT_WRITE) == -1 && errno == EACCES,
	      "mprotect PROT_WRITE on it", "errno %d", errno);
	munmap(m, 4096);
	m = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	check(m != MAP_FAILED && mprotect(m, 4096, PROT_READ | PROT_WRITE) == 0, "private: mprotect may add write",
	      "errno %d", errno);
	m[0] = 'X';
	munmap(m, 4096);
	check(mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 100) == MAP_FAILED && errno == EINVAL,
	      "offset not page-aligned", "errno %d", errno);
	dfd = open(".", O_RDONLY);
	check(mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, dfd, 0) == MAP_FAILED && errno == ENODEV, "directory",
	      "errno %d", errno);
	pipe(p);
	check(mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, p[0], 0) == MAP_FAILED && errno == ENODEV, "pipe",
	      "errno %d", errno);
	check(mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 999, 0) == MAP_FAILED && errno == EBADF, "bad fd",
	      "errno %d", errno);
	close(fd);
	fd = open("f", O_RDWR);
	m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	check(m != MAP_FAILED, "shared writable of an O_RDWR fd", "errno %d", errno);
	pwrite(fd, "W", 1, 5);
	check(m[5] == 'W', "the mapping sees write(2)", "got %c", m[5]);
	m[6] = 'M';
	CHECK_OK(msync(m, 8192, MS_SYNC), "msync");
	{
		char c = 0;

		pread(fd, &c, 1, 6);
		check(c == 'M', "read(2) sees the mapping's store", "got %c", c);
	}
	CHECK_ERR(msync(m + 1, 4096, MS_SYNC), EINVAL, "msync misaligned");
	CHECK_ERR(msync(m, 4096, MS_SYNC | MS_ASYNC), EINVAL, "msync SYNC|ASYNC");
	munmap(m, 8192);
	close(fd);
	close(wfd);
	close(dfd);
	/* close_range(2). */
	fd = open("f", O_RDONLY);
	dup2(fd, 40);
	dup2(fd, 41);
	CHECK_ERR(syscall(SYS_close_range, 41, 40, 0), EINVAL, "close_range first > last");
	CHECK_ERR(syscall(SYS_close_range, 40, 41, 0x80), EINVAL, "close_range unknown flag");
	CHECK_OK(syscall(SYS_close_range, 40, 41, 4 /* CLOSE_RANGE_CLOEXEC */), "close_range CLOEXEC");
	check(fcntl(40, F_GETFD) == FD_CLOEXEC && fcntl(41, F_GETFD) == FD_CLOEXEC, "both close-on-exec", "bad");
	CHECK_OK(syscall(SYS_close_range, 40, ~0U, 0), "close_range to the end");
	check(fcntl(40, F_GETFD) == -1 && errno == EBADF && fcntl(fd, F_GETFD) == 0, "40, 41 closed, fd kept",
	      "errno %d", errno);
	return t_done();
}
