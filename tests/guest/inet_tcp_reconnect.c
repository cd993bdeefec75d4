/*
 * inet_tcp_reconnect.c - what connect(2) says on a TCP socket that has
 * been used: a non-blocking connect to a port nobody listens on fails
 * (at once, or later through poll and SO_ERROR = ECONNREFUSED); after
 * it the socket connects to a listener (Linux's inet_stream_connect may
 * first answer one ECONNABORTED when SO_ERROR already took the error);
 * a socket that was connected stays EISCONN after its connection ended;
 * connect(AF_UNSPEC) dissolves a connection (the peer sees a reset) and
 * the socket may connect again.
 */
#include "inet.h"
#include <fcntl.h>
#include <poll.h>

/* connect, once more after ECONNABORTED: 0 or -1 (errno) */
static int connect_again(int fd, const struct sockaddr_in *a)
{
	if (connect(fd, SA(a), sizeof(*a)) == 0)
		return 0;
	if (errno != ECONNABORTED)
		return -1;
	return connect(fd, SA(a), sizeof(*a));
}

int main(void)
{
	struct sockaddr_in closed, a;
	struct sockaddr_in un = { .sin_family = AF_UNSPEC };
	int b, fd, l, s, e = -1, r, flags;
	socklen_t len = sizeof(e);
	char c;

	net_start();
	b = bound4(SOCK_STREAM, &closed);	/* holds the port; never listens */
	l = listener4(&a, 4);
	check(b >= 0 && l >= 0, "a bound port and a listener", "%s", strerror(errno));

	fd = socket(AF_INET, SOCK_STREAM, 0);
	flags = fcntl(fd, F_GETFL);
	fcntl(fd, F_SETFL, flags | O_NONBLOCK);
	errno = 0;
	r = connect(fd, SA(&closed), sizeof(closed));
	check(r == -1 && (errno == EINPROGRESS || errno == ECONNREFUSED),
	      "non-blocking connect to a closed port: EINPROGRESS or ECONNREFUSED", "%d %s", r, strerror(errno));
	if (errno == EINPROGRESS) {
		struct pollfd p = { fd, POLLOUT, 0 };

		poll(&p, 1, 10000);
		getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &len);
	} else {
		e = ECONNREFUSED;	/* already said by connect */
	}
	check(e == ECONNREFUSED, "the refusal is reported (SO_ERROR ECONNREFUSED)", "%d", e);
	fcntl(fd, F_SETFL, flags);
	check(connect_again(fd, &a) == 0, "the same socket then connects to the listener", "%s", strerror(errno));
	s = accept(l, NULL, NULL);
	check(s >= 0 && write(fd, "x", 1) == 1 && read(s, &c, 1) == 1 && c == 'x', "and carries data", "%s",
	      strerror(errno));
	CHECK_ERR(connect(fd, SA(&a), sizeof(a)), EISCONN, "connect while connected: EISCONN");

	/* The connection ends both ways: still EISCONN. */
	close(s);
	check(read(fd, &c, 1) == 0, "the peer closed: EOF", "%s", strerror(errno));
	shutdown(fd, SHUT_WR);
	CHECK_ERR(connect(fd, SA(&a), sizeof(a)), EISCONN, "after the connection ended: still EISCONN");
	close(fd);

	/* AF_UNSPEC dissolves a connection; connect works again. */
	fd = socket(AF_INET, SOCK_STREAM, 0);
	CHECK_OK(connect(fd, SA(&a), sizeof(a)), "connect");
	s = accept(l, NULL, NULL);
	CHECK_OK(connect(fd, SA(&un), sizeof(un)), "connect(AF_UNSPEC) on a connected socket");
	CHECK_ERR(read(s, &c, 1), ECONNRESET, "the peer sees a reset");
	close(s);
	CHECK_OK(connect(fd, SA(&a), sizeof(a)), "the socket connects again");
	s = accept(l, NULL, NULL);
	check(s >= 0 && write(fd, "y", 1) == 1 && read(s, &c, 1) == 1 && c == 'y', "and carries data", "%s",
	      strerror(errno));
	close(s);
	close(fd);
	close(l);
	close(b);
	return t_done();
}
