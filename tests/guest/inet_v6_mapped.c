/*
 * inet_v6_mapped.c - v4-mapped addresses on AF_INET6 sockets: a v6
 * socket connects to an AF_INET listener through ::ffff:127.0.0.1 and
 * names both ends in that form; a v6 UDP socket exchanges datagrams
 * with an AF_INET one (sendto a mapped address, recvfrom showing one);
 * an AF_INET6 socket bound to ::ffff:127.0.0.1 takes IPv4 only.
 */
#include "inet.h"

static struct sockaddr_in6 mapped(const struct sockaddr_in *v4)
{
	struct sockaddr_in6 a;

	memset(&a, 0, sizeof(a));
	a.sin6_family = AF_INET6;
	a.sin6_port = v4->sin_port;
	a.sin6_addr.s6_addr[10] = a.sin6_addr.s6_addr[11] = 0xff;
	memcpy(&a.sin6_addr.s6_addr[12], &v4->sin_addr, 4);
	return a;
}

static int is_mapped_lo(const struct sockaddr_in6 *a)
{
	return a->sin6_family == AF_INET6 && IN6_IS_ADDR_V4MAPPED(&a->sin6_addr) &&
	       a->sin6_addr.s6_addr[12] == 127 && a->sin6_addr.s6_addr[15] == 1;
}

int main(void)
{
	struct sockaddr_in l4, u4, from4;
	struct sockaddr_in6 m, n, p, from6;
	socklen_t len;
	char buf[8];
	int l, c, s, x, y;

	net_start();
	if (!have_ipv6())
		return t_done();
	l = listener4(&l4, 2);
	m = mapped(&l4);
	c = socket(AF_INET6, SOCK_STREAM, 0);
	CHECK_OK(connect(c, SA(&m), sizeof(m)), "a v6 socket connects to an AF_INET listener via ::ffff:127.0.0.1");
	len = sizeof(from4);
	s = accept(l, SA(&from4), &len);
	check(s >= 0 && len == sizeof(from4) && from4.sin_family == AF_INET &&
	      from4.sin_addr.s_addr == htonl(INADDR_LOOPBACK), "the listener sees an IPv4 peer", "%s", strerror(errno));
	len = sizeof(n);
	CHECK_OK(getsockname(c, SA(&n), &len), "getsockname");
	check(len == sizeof(n) && is_mapped_lo(&n) && n.sin6_port == from4.sin_port,
	      "the client's own address is ::ffff:127.0.0.1 and its port", "len %u", len);
	len = sizeof(p);
	CHECK_OK(getpeername(c, SA(&p), &len), "getpeername");
	check(is_mapped_lo(&p) && p.sin6_port == l4.sin_port, "its peer is ::ffff:127.0.0.1 and the port", "differs");
	check(write(c, "map", 3) == 3 && read_full(s, buf, 3) == 3 && !memcmp(buf, "map", 3) &&
	      write(s, "pam", 3) == 3 && read_full(c, buf, 3) == 3 && !memcmp(buf, "pam", 3),
	      "echo both ways", "%s", strerror(errno));
	close(c);
	close(s);
	close(l);

	/* UDP: a v6 socket and an AF_INET one */
	x = bound4(SOCK_DGRAM, &u4);
	y = socket(AF_INET6, SOCK_DGRAM, 0);
	m = mapped(&u4);
	check(sendto(y, "v6>v4", 5, 0, SA(&m), sizeof(m)) == 5, "v6 UDP sendto a mapped address", "%s", strerror(errno));
	len = sizeof(from4);
	check(recvfrom(x, buf, sizeof(buf), 0, SA(&from4), &len) == 5 && !memcmp(buf, "v6>v4", 5) &&
	      from4.sin_family == AF_INET, "the AF_INET socket gets it from an IPv4 address", "%s", strerror(errno));
	check(sendto(x, "v4>v6", 5, 0, SA(&from4), sizeof(from4)) == 5, "and answers", "%s", strerror(errno));
	len = sizeof(from6);
	check(recvfrom(y, buf, sizeof(buf), 0, SA(&from6), &len) == 5 && len == sizeof(from6) &&
	      is_mapped_lo(&from6) && from6.sin6_port == u4.sin_port,
	      "recvfrom on the v6 socket names ::ffff:127.0.0.1", "len %u", len);
	/* An AF_INET sockaddr works for a v6 datagram socket's sendto too (udpv6_sendmsg) */
	check(sendto(y, "plain", 5, 0, SA(&u4), sizeof(u4)) == 5 &&
	      recv(x, buf, sizeof(buf), 0) == 5 && !memcmp(buf, "plain", 5),
	      "sendto with a sockaddr_in from a v6 socket", "%s", strerror(errno));
	close(x);
	close(y);

	/* Bound to ::ffff:127.0.0.1: an IPv4 socket in v6 clothing */
	l4 = lo4(0);
	m = mapped(&l4);
	l = bound6(SOCK_STREAM, &m);
	check(l >= 0 && is_mapped_lo(&m), "bind ::ffff:127.0.0.1", "%s", strerror(errno));
	CHECK_OK(listen(l, 1), "listen on it");
	l4.sin_port = m.sin6_port;
	c = connect4(&l4);
	check(c >= 0, "an AF_INET client reaches it", "%s", strerror(errno));
	p = lo6(ntohs(m.sin6_port));
	x = socket(AF_INET6, SOCK_STREAM, 0);
	CHECK_ERR(connect(x, SA(&p), sizeof(p)), ECONNREFUSED, "[::1] on that port is refused: it takes IPv4 only");
	close(x);
	close(c);
	close(l);
	return t_done();
}
