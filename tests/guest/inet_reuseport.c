/*
 * inet_reuseport.c - SO_REUSEPORT spreads the load (socket(7)): two UDP
 * sockets bound to one port with it both receive some of the datagrams
 * that 64 senders (64 source ports) send there, and each datagram
 * reaches exactly one of them; two TCP listeners on one port both accept
 * some of 32 connections, and every connection is accepted once.  The
 * option reads back as set.  (The flow hash picks the socket: that all
 * 64 or 32 pick one is a chance of 2^-63 or 2^-31.)
 */
#include "inet.h"
#include <poll.h>

static int reuse_sock(int type, struct sockaddr_in *a)
{
	int fd = socket(AF_INET, type, 0), on = 1;

	setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof(on));
	if (bind(fd, SA(a), sizeof(*a)) < 0)
		return -1;
	return fd;
}

/* Everything waiting on fd now (non-blocking reads or accepts): the count. */
static int drain(int fd, int type)
{
	int n = 0;
	char b[8];

	for (;;) {
		struct pollfd p = { fd, POLLIN, 0 };

		if (poll(&p, 1, 200) != 1)
			return n;
		if (type == SOCK_DGRAM) {
			if (recv(fd, b, sizeof(b), MSG_DONTWAIT) != 1)
				return n;
		} else {
			int s = accept(fd, NULL, NULL);

			if (s < 0)
				return n;
			close(s);
		}
		n++;
	}
}

int main(void)
{
	struct sockaddr_in a = lo4(0);
	socklen_t len = sizeof(a);
	int u1, u2, t1, t2, i, v = 0, n1, n2, c[32];

	net_start();
	u1 = reuse_sock(SOCK_DGRAM, &a);
	getsockname(u1, SA(&a), &len);
	u2 = reuse_sock(SOCK_DGRAM, &a);
	check(u1 >= 0 && u2 >= 0, "two UDP sockets with SO_REUSEPORT on one port", "%s", strerror(errno));
	len = sizeof(v);
	getsockopt(u1, SOL_SOCKET, SO_REUSEPORT, &v, &len);
	check(v == 1, "SO_REUSEPORT reads back 1", "%d", v);
	for (i = 0; i < 64; i++) {
		int s = socket(AF_INET, SOCK_DGRAM, 0);

		sendto(s, "d", 1, 0, SA(&a), sizeof(a));
		close(s);
	}
	n1 = drain(u1, SOCK_DGRAM);
	n2 = drain(u2, SOCK_DGRAM);
	check(n1 + n2 == 64, "each datagram reached one socket", "%d + %d", n1, n2);
	check(n1 > 0 && n2 > 0, "both sockets got some", "%d and %d", n1, n2);
	close(u1);
	close(u2);

	a = lo4(0);
	len = sizeof(a);
	t1 = reuse_sock(SOCK_STREAM, &a);
	getsockname(t1, SA(&a), &len);
	t2 = reuse_sock(SOCK_STREAM, &a);
	check(t1 >= 0 && t2 >= 0 && listen(t1, 64) == 0 && listen(t2, 64) == 0,
	      "two TCP listeners with SO_REUSEPORT on one port", "%s", strerror(errno));
	for (i = 0; i < 32; i++) {
		c[i] = socket(AF_INET, SOCK_STREAM, 0);
		if (connect(c[i], SA(&a), sizeof(a)) < 0)
			break;
	}
	check(i == 32, "32 connections", "%d: %s", i, strerror(errno));
	n1 = drain(t1, SOCK_STREAM);
	n2 = drain(t2, SOCK_STREAM);
	check(n1 + n2 == 32, "each connection accepted once", "%d + %d", n1, n2);
	check(n1 > 0 && n2 > 0, "both listeners accepted some", "%d and %d", n1, n2);
	while (i-- > 0)
		close(c[i]);
	close(t1);
	close(t2);
	return t_done();
}
