/*
 * inet_addrinuse.c - bind conflicts: a second bind of a bound TCP or UDP
 * port is EADDRINUSE (also with SO_REUSEADDR on both when one listens),
 * INADDR_ANY conflicts with 127.0.0.1, TCP and UDP ports are separate,
 * SO_REUSEPORT on both sockets shares a port, binding a socket twice is
 * EINVAL, a non-local address is EADDRNOTAVAIL.
 */
#include "inet.h"

static int sock_opt(int type, int opt)
{
	int fd = socket(AF_INET, type, 0), on = 1;

	if (opt)
		setsockopt(fd, SOL_SOCKET, opt, &on, sizeof(on));
	return fd;
}

int main(void)
{
	struct sockaddr_in a, any, other;
	int fd, fd2, l, u;

	net_start();
	fd = bound4(SOCK_STREAM, &a);
	fd2 = socket(AF_INET, SOCK_STREAM, 0);
	CHECK_ERR(bind(fd2, SA(&a), sizeof(a)), EADDRINUSE, "TCP port bound twice");
	any = a;
	any.sin_addr.s_addr = htonl(INADDR_ANY);
	CHECK_ERR(bind(fd2, SA(&any), sizeof(any)), EADDRINUSE, "INADDR_ANY on a port bound to 127.0.0.1");
	u = socket(AF_INET, SOCK_DGRAM, 0);
	CHECK_OK(bind(u, SA(&a), sizeof(a)), "UDP may take the same port number");
	fd2 = socket(AF_INET, SOCK_DGRAM, 0);
	CHECK_ERR(bind(fd2, SA(&a), sizeof(a)), EADDRINUSE, "UDP port bound twice");
	close(fd2);
	CHECK_ERR(bind(fd, SA(&a), sizeof(a)), EINVAL, "bind a bound socket again");
	close(fd);
	close(u);

	l = sock_opt(SOCK_STREAM, SO_REUSEADDR);
	a = lo4(0);
	bind(l, SA(&a), sizeof(a));
	socklen_t len = sizeof(a);
	getsockname(l, SA(&a), &len);
	CHECK_OK(listen(l, 1), "listener with SO_REUSEADDR");
	fd2 = sock_opt(SOCK_STREAM, SO_REUSEADDR);
	CHECK_ERR(bind(fd2, SA(&a), sizeof(a)), EADDRINUSE, "SO_REUSEADDR does not share a listening port");
	close(fd2);
	close(l);

	fd = sock_opt(SOCK_STREAM, SO_REUSEPORT);
	a = lo4(0);
	bind(fd, SA(&a), sizeof(a));
	len = sizeof(a);
	getsockname(fd, SA(&a), &len);
	CHECK_OK(listen(fd, 1), "listener with SO_REUSEPORT");
	fd2 = sock_opt(SOCK_STREAM, SO_REUSEPORT);
	CHECK_OK(bind(fd2, SA(&a), sizeof(a)), "a second SO_REUSEPORT socket binds the port");
	CHECK_OK(listen(fd2, 1), "and listens");
	l = socket(AF_INET, SOCK_STREAM, 0);
	CHECK_ERR(bind(l, SA(&a), sizeof(a)), EADDRINUSE, "a socket without SO_REUSEPORT may not");
	close(l);
	close(fd2);
	close(fd);

	fd = socket(AF_INET, SOCK_STREAM, 0);
	other = lo4(0);
	other.sin_addr.s_addr = inet_addr("192.0.2.1");
	CHECK_ERR(bind(fd, SA(&other), sizeof(other)), EADDRNOTAVAIL, "bind a non-local address");
	other.sin_addr.s_addr = inet_addr("127.0.0.7");
	CHECK_OK(bind(fd, SA(&other), sizeof(other)), "any 127/8 address is local");
	close(fd);
	return t_done();
}
