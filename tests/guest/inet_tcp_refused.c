/*
 * inet_tcp_refused.c - a SYN to a port with no listener gets a RST:
 * connect fails with ECONNREFUSED (the port is held by a bound socket
 * that does not listen, so nothing else can take it meanwhile); the
 * socket can connect again afterwards to a real listener.
 */
#include "inet.h"

int main(void)
{
	struct sockaddr_in closed, a;
	int b, fd, l, s, e;

	net_start();
	b = bound4(SOCK_STREAM, &closed);
	check(b >= 0, "bind a port without listening", "%s", strerror(errno));
	fd = socket(AF_INET, SOCK_STREAM, 0);
	CHECK_ERR(connect(fd, SA(&closed), sizeof(closed)), ECONNREFUSED, "connect to a closed port");
	socklen_t len = sizeof(e);
	e = -1;
	CHECK_OK(getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &len), "getsockopt SO_ERROR");
	check(e == 0, "SO_ERROR already reported", "SO_ERROR %d", e);
	CHECK_ERR(connect(fd, SA(&closed), sizeof(closed)), ECONNREFUSED, "connect again is refused again");
	l = listener4(&a, 1);
	CHECK_OK(connect(fd, SA(&a), sizeof(a)), "the same socket then connects to a listener");
	s = accept(l, NULL, NULL);
	check(s >= 0 && write(fd, "z", 1) == 1, "and carries data", "%s", strerror(errno));
	close(s);
	close(l);
	close(fd);
	close(b);
	return t_done();
}
