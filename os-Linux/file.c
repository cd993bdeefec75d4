/* file.c - host file I/O for disks, the console and kernel messages. */
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "shared/os.h"

int os_open_file(const char *path, int mode)
{
	int fd;

	do {
		fd = open(path, (mode == OS_OPEN_RDWR ? O_RDWR : O_RDONLY) | O_CLOEXEC);
	} while (fd < 0 && errno == EINTR);
	return fd < 0 ? -errno : fd;
}

int64_t os_write(int fd, const void *buf, uint64_t len)
{
	ssize_t n;

	do {
		n = write(fd, buf, len);
	} while (n < 0 && errno == EINTR);
	return n < 0 ? -errno : n;
}

int64_t os_write_all(int fd, const void *buf, uint64_t len)
{
	uint64_t done = 0;

	while (done < len) {
		int64_t n = os_write(fd, (const char *)buf + done, len - done);

		if (n == -EAGAIN) {
			struct timespec ts = { 0, 1000000 };
			nanosleep(&ts, NULL);
			continue;
		}
		if (n <= 0)
			return done ? (int64_t)done : n;
		done += n;
	}
	return done;
}

int os_file_size(int fd, uint64_t *size)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return -errno;
	if (S_ISBLK(st.st_mode)) {
		off_t end = lseek(fd, 0, SEEK_END);

		if (end < 0)
			return -errno;
		*size = end;
		return 0;
	}
	*size = st.st_size;
	return 0;
}

int os_lock_file(int fd, int exclusive)
{
	if (flock(fd, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	return 0;
}

int os_close(int fd)
{
	return close(fd) < 0 && errno != EINTR ? -errno : 0;
}

int os_fsync(int fd)
{
	while (fsync(fd) < 0) {
		if (errno != EINTR)
			return -errno;
	}
	return 0;
}

int os_isatty(int fd)
{
	return isatty(fd);
}
