/*
 * inet_nonblock_connect.c - a non-blocking connect: EINPROGRESS, then
 * POLLOUT and SO_ERROR 0 when it completes, 0 from a second connect and EISCONN from a third;
 * to a closed port: EINPROGRESS, then POLLERR
 * and SO_ERROR ECONNREFUSED, which reading clears.
 */
#include "inet.h"

static int so_error(int fd)
{
	int e = -1;
	socklen_t len = sizeof(e);

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &len) < 0)
		return -2;
	return e;
}

int main(void)
{
	struct sockaddr_in a, closed;
	char buf[4];
	int l, fd, b, ev, s, e;

	net_start();
	l = listener4(&a, 4);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	CHECK_ERR(connect(fd, SA(&a), sizeof(a)), EINPROGRESS, "non-blocking connect");
	ev = wait_ev(fd, POLLOUT, 10000);
	check(ev & POLLOUT, "POLLOUT when connected", "revents %#x", ev);
	e = so_error(fd);
	check(e == 0, "SO_ERROR 0", "%d", e);
	CHECK_OK(connect(fd, SA(&a), sizeof(a)), "connect again reports the success");
	CHECK_ERR(connect(fd, SA(&a), sizeof(a)), EISCONN, "then EISCONN");
	s = accept(l, NULL, NULL);
	check(s >= 0, "accepted", "%s", strerror(errno));
	CHECK_ERR(read(fd, buf, 1), EAGAIN, "read with nothing there: EAGAIN");
	check(write(s, "hi", 2) == 2, "server writes", "short");
	ev = wait_ev(fd, POLLIN, 10000);
	check(ev & POLLIN, "POLLIN when data arrives", "revents %#x", ev);
	check(read(fd, buf, 4) == 2, "non-blocking read gets it", "bad read");
	close(fd);
	close(s);

	b = bound4(SOCK_STREAM, &closed);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	CHECK_ERR(connect(fd, SA(&closed), sizeof(closed)), EINPROGRESS, "connect to a closed port");
	ev = wait_ev(fd, POLLOUT, 10000);
	check((ev & (POLLOUT | POLLERR | POLLHUP)) == (POLLOUT | POLLERR | POLLHUP),
	      "POLLOUT|POLLERR|POLLHUP on the refusal", "revents %#x", ev);
	e = so_error(fd);
	check(e == ECONNREFUSED, "SO_ERROR ECONNREFUSED", "%d", e);
	e = so_error(fd);
	check(e == 0, "SO_ERROR reads once", "%d", e);
	close(fd);
	close(b);
	close(l);
	return t_done();
}
