/*
 * inet_v6.c - AF_INET6 TCP over ::1: bind, listen, connect, echo,
 * getsockname/getpeername as sockaddr_in6; IPV6_V6ONLY off by default,
 * so a v6 listener on :: also accepts a v4 client, whose address shows
 * as ::ffff:127.0.0.1.  Skips visibly where there is no AF_INET6 or no ::1.
 */
#include "inet.h"

int main(void)
{
	struct sockaddr_in6 a, n, p;
	struct sockaddr_in v4;
	socklen_t len;
	char buf[8];
	int l, c, s, v, c4;

	net_start();
	l = socket(AF_INET6, SOCK_STREAM, 0);
	if (l < 0 && errno == EAFNOSUPPORT) {
		skip("inet6", "no AF_INET6 here");
		return t_done();
	}
	memset(&a, 0, sizeof(a));
	a.sin6_family = AF_INET6;
	a.sin6_addr = in6addr_loopback;
	if (bind(l, SA(&a), sizeof(a)) < 0 && errno == EADDRNOTAVAIL) {
		skip("inet6", "no ::1 here");
		return t_done();
	}
	check(l >= 0, "AF_INET6 stream socket bound to ::1", "%s", strerror(errno));
	len = sizeof(a);
	CHECK_OK(getsockname(l, SA(&a), &len), "getsockname");
	check(len == sizeof(a) && a.sin6_family == AF_INET6 && a.sin6_port != 0 &&
	      IN6_IS_ADDR_LOOPBACK(&a.sin6_addr), "::1 and a port", "len %u", len);
	CHECK_OK(listen(l, 2), "listen");
	c = socket(AF_INET6, SOCK_STREAM, 0);
	CHECK_OK(connect(c, SA(&a), sizeof(a)), "connect to [::1]");
	s = accept(l, NULL, NULL);
	check(s >= 0 && write(c, "six", 3) == 3 && read_full(s, buf, 3) == 3 && !memcmp(buf, "six", 3) &&
	      write(s, "xis", 3) == 3 && read_full(c, buf, 3) == 3 && !memcmp(buf, "xis", 3),
	      "echo both ways", "%s", strerror(errno));
	len = sizeof(n);
	getsockname(c, SA(&n), &len);
	len = sizeof(p);
	getpeername(s, SA(&p), &len);
	check(len == sizeof(p) && p.sin6_port == n.sin6_port && IN6_IS_ADDR_LOOPBACK(&p.sin6_addr),
	      "the server's peer is the client", "differs");
	close(c);
	close(s);
	close(l);
	CHECK_ERR(connect(socket(AF_INET6, SOCK_STREAM, 0), SA(&a), 23), EINVAL, "connect addrlen 23 (24 is the RFC 2133 minimum)");

	l = socket(AF_INET6, SOCK_STREAM, 0);
	len = sizeof(v);
	v = -1;
	CHECK_OK(getsockopt(l, IPPROTO_IPV6, IPV6_V6ONLY, &v, &len), "get IPV6_V6ONLY");
	check(v == 0, "off by default", "%d", v);
	a.sin6_addr = in6addr_any;
	a.sin6_port = 0;
	bind(l, SA(&a), sizeof(a));
	len = sizeof(a);
	getsockname(l, SA(&a), &len);
	CHECK_OK(listen(l, 2), "listen on [::]");
	v4 = lo4(ntohs(a.sin6_port));
	c4 = connect4(&v4);
	check(c4 >= 0, "an AF_INET client connects to it", "%s", strerror(errno));
	len = sizeof(p);
	s = accept(l, SA(&p), &len);
	check(s >= 0 && p.sin6_family == AF_INET6 && IN6_IS_ADDR_V4MAPPED(&p.sin6_addr) &&
	      p.sin6_addr.s6_addr[12] == 127 && p.sin6_addr.s6_addr[15] == 1,
	      "its address is ::ffff:127.0.0.1", "%s", strerror(errno));
	check(write(c4, "m", 1) == 1 && read(s, buf, 1) == 1 && buf[0] == 'm', "and data flows", "no");
	close(c4);
	close(s);
	close(l);
	return t_done();
}
