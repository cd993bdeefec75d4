/*
 * inet_v6_errors.c - the errors AF_INET6 sockets give: a short or
 * wrong-family sockaddr, an address not ours, a link-local one without
 * its interface, a port in use, TCP over a UDP protocol, IPPROTO_IPV6
 * options on an AF_INET socket, a refused connect, and ICMPv6 port
 * unreachable reaching a connected UDP socket as ECONNREFUSED.
 */
#include "inet.h"

int main(void)
{
	struct sockaddr_in6 a, b;
	struct sockaddr_in v4;
	socklen_t len;
	char buf[4];
	int fd, l, u, v;

	net_start();
	if (!have_ipv6())
		return t_done();
	CHECK_ERR(socket(AF_INET6, SOCK_STREAM, IPPROTO_UDP), EPROTONOSUPPORT, "SOCK_STREAM with IPPROTO_UDP");
	fd = socket(AF_INET6, SOCK_STREAM, 0);
	a = lo6(0);
	CHECK_ERR(bind(fd, SA(&a), 23), EINVAL, "bind with 23 bytes: EINVAL");
	v4 = lo4(0);
	CHECK_ERR(bind(fd, SA(&v4), sizeof(v4)), EINVAL, "bind a 16-byte sockaddr_in: EINVAL");
	memset(buf, 0, sizeof(buf));
	{
		struct sockaddr_in6 w = a;

		w.sin6_family = AF_INET;
		CHECK_ERR(bind(fd, SA(&w), sizeof(w)), EAFNOSUPPORT, "bind a 28-byte one of family AF_INET: EAFNOSUPPORT");
		inet_pton(AF_INET6, "2001:db8::1", &w.sin6_addr);
		w.sin6_family = AF_INET6;
		CHECK_ERR(bind(fd, SA(&w), sizeof(w)), EADDRNOTAVAIL, "bind 2001:db8::1 (not ours): EADDRNOTAVAIL");
		inet_pton(AF_INET6, "fe80::1", &w.sin6_addr);
		CHECK_ERR(bind(fd, SA(&w), sizeof(w)), EINVAL, "bind fe80::1 with no scope id: EINVAL");
	}
	CHECK_OK(bind(fd, SA(&a), sizeof(a)), "bind [::1]:0 after all that");
	len = sizeof(a);
	getsockname(fd, SA(&a), &len);
	CHECK_ERR(bind(fd, SA(&a), sizeof(a)), EINVAL, "bind again: EINVAL");
	l = socket(AF_INET6, SOCK_STREAM, 0);
	CHECK_ERR(bind(l, SA(&a), sizeof(a)), EADDRINUSE, "another socket on the same [::1]:port: EADDRINUSE");
	close(l);
	l = socket(AF_INET6, SOCK_STREAM, 0);
	CHECK_ERR(connect(l, SA(&a), sizeof(a)), ECONNREFUSED, "connect to a bound but not listening port: ECONNREFUSED");
	close(l);
	close(fd);

	fd = socket(AF_INET, SOCK_STREAM, 0);
	len = sizeof(v);
	CHECK_ERR(getsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v, &len), EOPNOTSUPP,
		  "getsockopt IPV6_V6ONLY on AF_INET: EOPNOTSUPP (ip_getsockopt)");
	v = 1;
	CHECK_ERR(setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &v, sizeof(v)), ENOPROTOOPT,
		  "setsockopt IPV6_UNICAST_HOPS on AF_INET: ENOPROTOOPT");
	close(fd);
	fd = socket(AF_INET6, SOCK_DGRAM, 0);
	len = sizeof(v);
	CHECK_ERR(getsockopt(fd, IPPROTO_IPV6, 9999, &v, &len), ENOPROTOOPT, "an unknown IPv6 option: ENOPROTOOPT");
	CHECK_ERR(sendto(fd, "x", 1, 0, SA(&a), 8), EINVAL, "sendto with 8 bytes of address: EINVAL");
	close(fd);

	/* ICMPv6 port unreachable -> ECONNREFUSED on a connected UDP socket */
	b = lo6(0);
	fd = bound6(SOCK_DGRAM, &b);
	close(fd);			/* nobody on b's port now */
	u = socket(AF_INET6, SOCK_DGRAM, 0);
	CHECK_OK(connect(u, SA(&b), sizeof(b)), "connect UDP to a closed port");
	check(send(u, "?", 1, 0) == 1, "the first send goes", "%s", strerror(errno));
	check(wait_ev(u, POLLIN, 5000) & POLLERR, "an error arrives", "none");
	CHECK_ERR(recv(u, buf, sizeof(buf), 0), ECONNREFUSED, "recv: ECONNREFUSED");
	close(u);
	return t_done();
}
