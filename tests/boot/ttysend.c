/*
 * ttysend.c - sendfile from a terminal in canonical mode (busybox cat).
 *
 * stdin must be a terminal: natively a pty (tests/boot/run runs it under
 * script(1)), in ./linux the console.  Echo is turned off and "ready"
 * printed; the test then types "abc\n", "defgh\n" and ^D at once.  Each
 * sendfile must return one line (a short read ends it), and the ^D must
 * give 0, not be swallowed by a sendfile that read on.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/sendfile.h>
#include <termios.h>
#include <unistd.h>

int main(void)
{
	struct termios t;
	char buf[64];
	int fd, i;
	ssize_t r, n;

	setvbuf(stdout, NULL, _IONBF, 0);
	if (!isatty(0) || tcgetattr(0, &t) < 0) {
		printf("stdin is not a terminal\n");
		return 2;
	}
	t.c_lflag &= ~(ECHO | ECHONL);
	t.c_lflag |= ICANON;
	tcsetattr(0, TCSANOW, &t);
	fd = open("/tmp", O_TMPFILE | O_RDWR, 0600);
	if (fd < 0) {
		snprintf(buf, sizeof(buf), "/tmp/ttysend.%d", (int)getpid());
		fd = open(buf, O_CREAT | O_RDWR | O_TRUNC, 0600);
		unlink(buf);
	}
	if (fd < 0) {
		printf("open: %s\n", strerror(errno));
		return 2;
	}
	printf("ready\n");
	for (i = 0; i < 3; i++) {
		r = sendfile(fd, 0, NULL, 100);
		printf("sendfile %d: %zd%s%s\n", i, r, r < 0 ? " " : "", r < 0 ? strerror(errno) : "");
	}
	n = pread(fd, buf, sizeof(buf) - 1, 0);
	buf[n > 0 ? n : 0] = 0;
	printf("copied %zd bytes: %s", n, buf);
	return 0;
}
