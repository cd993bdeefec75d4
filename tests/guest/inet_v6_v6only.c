/*
 * inet_v6_v6only.c - IPV6_V6ONLY and the port space two families share:
 * a dual-stack [::] listener holds the IPv4 port too (an AF_INET bind
 * of it is EADDRINUSE, and the other way round); with IPV6_V6ONLY both
 * bind and each family's connections go to its own socket; the option
 * is fixed once bound (EINVAL); a V6ONLY socket refuses v4-mapped
 * addresses (bind EINVAL, connect ENETUNREACH); bindv6only reads 0.
 */
#include "inet.h"
#include <sys/mount.h>

static int sock6(int v6only)
{
	int fd = socket(AF_INET6, SOCK_STREAM, 0);

	if (fd >= 0 && v6only >= 0)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof(v6only));
	return fd;
}

int main(void)
{
	struct sockaddr_in6 any6, a6, m;
	struct sockaddr_in a4;
	socklen_t len;
	char buf[4];
	int l6, l4, c, s, on = 1, v;
	FILE *f;

	net_start();
	if (!have_ipv6())
		return t_done();
	if (getpid() == 1)	/* init inside ./linux: nothing mounted yet */
		mount("proc", "/proc", "proc", 0, NULL);
	f = fopen("/proc/sys/net/ipv6/bindv6only", "r");
	check(f != NULL && fscanf(f, "%d", &v) == 1 && v == 0, "/proc/sys/net/ipv6/bindv6only is 0",
	      "%s", strerror(errno));
	if (f)
		fclose(f);

	/* dual-stack [::]:P first, then 0.0.0.0:P */
	memset(&any6, 0, sizeof(any6));
	any6.sin6_family = AF_INET6;
	any6.sin6_addr = in6addr_any;
	l6 = sock6(-1);
	a6 = any6;
	CHECK_OK(bind(l6, SA(&a6), sizeof(a6)), "bind [::]:0");
	len = sizeof(a6);
	getsockname(l6, SA(&a6), &len);
	CHECK_OK(listen(l6, 2), "listen");
	a4 = lo4(ntohs(a6.sin6_port));
	a4.sin_addr.s_addr = htonl(INADDR_ANY);
	l4 = socket(AF_INET, SOCK_STREAM, 0);
	CHECK_ERR(bind(l4, SA(&a4), sizeof(a4)), EADDRINUSE, "0.0.0.0 on the port of a dual-stack [::]: EADDRINUSE");
	a4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	CHECK_ERR(bind(l4, SA(&a4), sizeof(a4)), EADDRINUSE, "127.0.0.1 on it too");
	CHECK_ERR(setsockopt(l6, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on)), EINVAL, "IPV6_V6ONLY once bound: EINVAL");
	close(l4);
	close(l6);

	/* 0.0.0.0:P first, then a dual-stack [::]:P */
	a4 = lo4(0);
	a4.sin_addr.s_addr = htonl(INADDR_ANY);
	l4 = bound4(SOCK_STREAM, &a4);
	a6 = any6;
	a6.sin6_port = a4.sin_port;
	l6 = sock6(-1);
	CHECK_ERR(bind(l6, SA(&a6), sizeof(a6)), EADDRINUSE, "dual-stack [::] on an IPv4 wildcard's port: EADDRINUSE");
	close(l6);

	/* with IPV6_V6ONLY they share the port */
	l6 = sock6(1);
	CHECK_OK(bind(l6, SA(&a6), sizeof(a6)), "V6ONLY [::] on that port binds");
	CHECK_OK(listen(l6, 2), "listen v6");
	CHECK_OK(listen(l4, 2), "listen v4");
	a4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	c = connect4(&a4);
	s = accept(l4, NULL, NULL);
	check(c >= 0 && s >= 0 && write(c, "4", 1) == 1 && read(s, buf, 1) == 1 && buf[0] == '4',
	      "an IPv4 client lands on the AF_INET socket", "%s", strerror(errno));
	close(c);
	close(s);
	a6 = lo6(ntohs(a4.sin_port));
	c = socket(AF_INET6, SOCK_STREAM, 0);
	CHECK_OK(connect(c, SA(&a6), sizeof(a6)), "connect [::1] on the shared port");
	len = sizeof(m);
	s = accept(l6, SA(&m), &len);
	check(s >= 0 && IN6_IS_ADDR_LOOPBACK(&m.sin6_addr) && write(c, "6", 1) == 1 && read(s, buf, 1) == 1 &&
	      buf[0] == '6', "an IPv6 client lands on the V6ONLY socket", "%s", strerror(errno));
	close(c);
	close(s);
	close(l6);
	close(l4);

	/* a V6ONLY socket and v4-mapped addresses */
	memset(&m, 0, sizeof(m));
	m.sin6_family = AF_INET6;
	m.sin6_addr.s6_addr[10] = m.sin6_addr.s6_addr[11] = 0xff;
	m.sin6_addr.s6_addr[12] = 127;
	m.sin6_addr.s6_addr[15] = 1;
	l6 = sock6(1);
	CHECK_ERR(bind(l6, SA(&m), sizeof(m)), EINVAL, "V6ONLY: bind ::ffff:127.0.0.1 is EINVAL");
	m.sin6_port = htons(9);
	CHECK_ERR(connect(l6, SA(&m), sizeof(m)), ENETUNREACH, "V6ONLY: connect ::ffff:127.0.0.1 is ENETUNREACH");
	len = sizeof(v);
	v = -1;
	getsockopt(l6, IPPROTO_IPV6, IPV6_V6ONLY, &v, &len);
	check(v == 1, "IPV6_V6ONLY reads back 1", "%d", v);
	close(l6);
	return t_done();
}
