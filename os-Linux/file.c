/* file.c - host file output for the console and kernel messages. */
#include <errno.h>
#include <time.h>
#include <unistd.h>
#include "shared/os.h"

static int64_t write_once(int fd, const void *buf, uint64_t len)
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
		int64_t n = write_once(fd, (const char *)buf + done, len - done);

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

int os_isatty(int fd)
{
	return isatty(fd);
}
