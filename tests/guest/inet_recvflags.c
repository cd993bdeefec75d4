/*
 * inet_recvflags.c - recv flags on TCP: MSG_PEEK leaves the bytes
 * queued, MSG_DONTWAIT on an empty blocking socket is EAGAIN, MSG_WAITALL
 * waits until the whole length came in several segments (or returns the
 * short count at EOF), MSG_TRUNC on TCP discards bytes without copying.
 */
#include "inet.h"

int main(void)
{
	char buf[64];
	int c, s;
	ssize_t n;
	pid_t pid;

	net_start();
	check(tcp_pair(&c, &s) == 0, "connected pair", "%s", strerror(errno));
	CHECK_ERR(recv(s, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN, "MSG_DONTWAIT with nothing queued");
	check(write(c, "peekaboo", 8) == 8, "write 8 bytes", "short");
	n = recv(s, buf, 4, MSG_PEEK);
	check(n == 4 && !memcmp(buf, "peek", 4), "MSG_PEEK 4", "%zd", n);
	n = recv(s, buf, sizeof(buf), MSG_PEEK);
	check(n == 8 && !memcmp(buf, "peekaboo", 8), "MSG_PEEK again sees all 8", "%zd", n);
	n = recv(s, buf, 2, MSG_TRUNC);
	check(n == 2, "MSG_TRUNC discards 2", "%zd", n);
	n = recv(s, buf, sizeof(buf), MSG_DONTWAIT);
	check(n == 6 && !memcmp(buf, "ekaboo", 6), "then the remaining 6", "%zd", n);
	CHECK_ERR(recv(s, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN, "queue empty again");

	pid = fork();
	if (pid == 0) {		/* three segments with pauses between them */
		for (int i = 0; i < 3; i++) {
			usleep(20000);
			if (write(c, "0123456789", 10) != 10)
				_exit(1);
		}
		_exit(0);
	}
	n = recv(s, buf, 30, MSG_WAITALL);
	check(n == 30 && !memcmp(buf + 20, "0123456789", 10), "MSG_WAITALL gathers 30 bytes", "%zd", n);
	check(reap(pid) == 0, "writer done", "failed");
	check(write(c, "tail", 4) == 4, "write 4 more", "short");
	CHECK_OK(shutdown(c, SHUT_WR), "then shut down");
	n = recv(s, buf, 30, MSG_WAITALL);
	check(n == 4, "MSG_WAITALL returns the short count at EOF", "%zd", n);
	n = recv(s, buf, 30, MSG_WAITALL);
	check(n == 0, "then 0", "%zd", n);
	n = recv(s, buf, 0, 0);
	check(n == 0, "recv of 0 bytes", "%zd", n);
	close(c);
	close(s);
	return t_done();
}
