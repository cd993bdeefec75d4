/*
 * inet_ephemeral.c - ephemeral ports: bind to port 0, connect without
 * bind, and a UDP sendto without bind all get a port inside
 * net.ipv4.ip_local_port_range; twenty live connections get twenty
 * different ports.
 */
#include <sys/mount.h>
#include "inet.h"

static int lo_port, hi_port;

static int in_range(int fd)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);

	if (getsockname(fd, SA(&a), &len) < 0)
		return 0;
	return ntohs(a.sin_port) >= lo_port && ntohs(a.sin_port) <= hi_port;
}

int main(void)
{
	struct sockaddr_in a, u;
	int l, fd, c[20], s[20], ok, us, ud;
	FILE *f;

	net_start();
	if (getpid() == 1)	/* init inside ./linux: nothing mounted yet */
		mount("proc", "/proc", "proc", 0, NULL);
	f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "r");
	check(f && fscanf(f, "%d %d", &lo_port, &hi_port) == 2 && lo_port > 0 && lo_port <= hi_port &&
	      hi_port <= 65535, "read ip_local_port_range", "%s", strerror(errno));
	if (f)
		fclose(f);
	fd = bound4(SOCK_STREAM, &a);
	check(in_range(fd), "bind port 0 picks a port in the range", "out of range");
	close(fd);
	l = listener4(&a, 32);
	ok = 1;
	for (int i = 0; i < 20; i++) {
		c[i] = connect4(&a);
		s[i] = accept(l, NULL, NULL);
		ok &= c[i] >= 0 && s[i] >= 0 && in_range(c[i]);
	}
	check(ok, "connect without bind: ports in the range", "out of range or failed");
	ok = 1;
	for (int i = 0; i < 20; i++)
		for (int j = 0; j < i; j++) {
			struct sockaddr_in x, y;
			socklen_t lx = sizeof(x), ly = sizeof(y);

			getsockname(c[i], SA(&x), &lx);
			getsockname(c[j], SA(&y), &ly);
			ok &= x.sin_port != y.sin_port;
		}
	check(ok, "twenty connections, twenty ports", "a port used twice");
	for (int i = 0; i < 20; i++) {
		close(c[i]);
		close(s[i]);
	}
	close(l);
	ud = bound4(SOCK_DGRAM, &u);
	us = socket(AF_INET, SOCK_DGRAM, 0);
	check(sendto(us, "x", 1, 0, SA(&u), sizeof(u)) == 1, "UDP sendto without bind", "%s", strerror(errno));
	check(in_range(us), "autobound to a port in the range", "out of range");
	close(us);
	close(ud);
	return t_done();
}
