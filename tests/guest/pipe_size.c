/*
 * pipe_size.c - pipe capacity and packets: F_GETPIPE_SZ/F_SETPIPE_SZ
 * (rounding up to a power of two pages, EBUSY when the data would not
 * fit, EBADF on other files), FIONREAD, a full pipe, data kept across a
 * resize, FIFOs.
 */
#include "t.h"
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

int main(void)
{
	int p[2], n, q = 0;
	char buf[8192];

	t_start();
	pipe(p);
	check(fcntl(p[0], F_GETPIPE_SZ) == 65536, "default size 64 KiB", "%d", fcntl(p[0], F_GETPIPE_SZ));
	check(fcntl(p[1], F_SETPIPE_SZ, 5000) == 8192, "5000 rounds up to 8192", "%d", fcntl(p[0], F_GETPIPE_SZ));
	check(fcntl(p[0], F_GETPIPE_SZ) == 8192, "both ends see the new size", "no");
	check(fcntl(p[0], F_SETPIPE_SZ, 1) == 4096, "1 rounds up to a page", "no");
	memset(buf, 'a', sizeof(buf));
	fcntl(p[1], F_SETFL, O_NONBLOCK);
	n = write(p[1], buf, sizeof(buf));
	check(n == 4096, "a one-page pipe takes 4096 bytes", "n=%d", n);
	ioctl(p[0], FIONREAD, &q);
	check(q == 4096, "FIONREAD", "%d", q);
	CHECK_ERR(write(p[1], buf, 1), EAGAIN, "full: EAGAIN");
	check(fcntl(p[0], F_SETPIPE_SZ, 65536) == 65536, "grow to 64 KiB with data queued", "no");
	ioctl(p[0], FIONREAD, &q);
	check(q == 4096, "data kept across the resize", "%d", q);
	check(write(p[1], buf, 4096) == 4096, "room for more after growing", "no");
	CHECK_ERR(fcntl(p[0], F_SETPIPE_SZ, 4096), EBUSY, "shrinking below the data queued EBUSY");
	n = read(p[0], buf, sizeof(buf));
	check(n == 8192, "read it all back", "n=%d", n);
	CHECK_ERR(fcntl(0, F_GETPIPE_SZ), EBADF, "F_GETPIPE_SZ on a non-pipe EBADF");
	check(fcntl(p[0], F_SETPIPE_SZ, 1 << 20) == 1 << 20, "1 MiB allowed", "no");
	close(p[0]);
	close(p[1]);
	char path[200];
	t_path(path, sizeof(path), "psz.fifo");
	unlink(path);
	mkfifo(path, 0600);
	int r = open(path, O_RDONLY | O_NONBLOCK), w = open(path, O_WRONLY);
	check(fcntl(w, F_SETPIPE_SZ, 16384) == 16384 && fcntl(r, F_GETPIPE_SZ) == 16384, "FIFOs too", "no");
	close(r);
	close(w);
	unlink(path);
	return t_done();
}
