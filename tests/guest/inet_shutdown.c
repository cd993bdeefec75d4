/*
 * inet_shutdown.c - shutdown variants on TCP: SHUT_RD makes reads
 * return 0 while the peer can still be written to; SHUT_RDWR ends both
 * and the peer reads EOF; a bad how is EINVAL, an unconnected socket is
 * ENOTCONN, a non-socket ENOTSOCK; shutting down twice is fine.
 */
#include "inet.h"

int main(void)
{
	char buf[16];
	int c, s, fd, p[2];

	net_start();
	signal(SIGPIPE, SIG_IGN);
	check(tcp_pair(&c, &s) == 0, "connected pair", "%s", strerror(errno));
	CHECK_ERR(shutdown(c, 3), EINVAL, "how 3");
	CHECK_ERR(shutdown(c, -1), EINVAL, "how -1");
	CHECK_OK(shutdown(c, SHUT_RD), "SHUT_RD");
	check(read(c, buf, sizeof(buf)) == 0, "read after SHUT_RD is 0", "not 0");
	check(wait_ev(c, POLLIN, 0) & POLLIN, "POLLIN after SHUT_RD", "not readable");
	check(write(c, "out", 3) == 3, "write still works", "%s", strerror(errno));
	check(read_full(s, buf, 3) == 3, "peer receives it", "short");
	CHECK_OK(shutdown(c, SHUT_RD), "SHUT_RD twice");
	CHECK_OK(shutdown(s, SHUT_RDWR), "peer SHUT_RDWR");
	check(read(c, buf, sizeof(buf)) == 0, "we read EOF", "no EOF");
	CHECK_ERR(write(s, "x", 1), EPIPE, "peer's write after SHUT_RDWR");
	check(read(s, buf, sizeof(buf)) == 0, "peer's read after SHUT_RDWR is 0", "not 0");
	CHECK_OK(shutdown(c, SHUT_WR), "SHUT_WR after the peer closed");
	close(c);
	close(s);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	CHECK_ERR(shutdown(fd, SHUT_RDWR), ENOTCONN, "unconnected socket");
	close(fd);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	CHECK_ERR(shutdown(fd, SHUT_RD), ENOTCONN, "unconnected UDP socket");
	close(fd);
	pipe(p);
	CHECK_ERR(shutdown(p[0], SHUT_RD), ENOTSOCK, "a pipe");
	CHECK_ERR(shutdown(999, SHUT_RD), EBADF, "a bad fd");
	return t_done();
}
