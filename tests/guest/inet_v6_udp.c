/*
 * inet_v6_udp.c - AF_INET6 UDP over ::1: sendto/recvfrom with
 * sockaddr_in6, connected send, IPV6_V6ONLY set refuses a v4-mapped
 * peer (ENETUNREACH), IPV6_UNICAST_HOPS default 64 and round trip.
 * Skips visibly where there is no AF_INET6 or no ::1.
 */
#include "inet.h"

static int udp6_lo(struct sockaddr_in6 *a)
{
	socklen_t len = sizeof(*a);
	int fd = socket(AF_INET6, SOCK_DGRAM, 0);

	if (fd < 0)
		return -1;
	memset(a, 0, sizeof(*a));
	a->sin6_family = AF_INET6;
	a->sin6_addr = in6addr_loopback;
	if (bind(fd, SA(a), sizeof(*a)) < 0 || getsockname(fd, SA(a), &len) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

int main(void)
{
	struct sockaddr_in6 a, b, from, mapped;
	socklen_t len;
	char buf[16];
	int x, y, v, on = 1;
	ssize_t n;

	net_start();
	x = udp6_lo(&a);
	if (x < 0 && (errno == EAFNOSUPPORT || errno == EADDRNOTAVAIL)) {
		skip("inet6", errno == EAFNOSUPPORT ? "no AF_INET6 here" : "no ::1 here");
		return t_done();
	}
	y = udp6_lo(&b);
	check(x >= 0 && y >= 0, "two UDP sockets on ::1", "%s", strerror(errno));
	check(sendto(x, "hello6", 6, 0, SA(&b), sizeof(b)) == 6, "sendto [::1]", "%s", strerror(errno));
	len = sizeof(from);
	n = recvfrom(y, buf, sizeof(buf), 0, SA(&from), &len);
	check(n == 6 && !memcmp(buf, "hello6", 6) && len == sizeof(from) && from.sin6_family == AF_INET6 &&
	      from.sin6_port == a.sin6_port && IN6_IS_ADDR_LOOPBACK(&from.sin6_addr), "recvfrom says who", "%zd", n);
	CHECK_OK(connect(y, SA(&a), sizeof(a)), "connect");
	check(send(y, "back", 4, 0) == 4 && recv(x, buf, sizeof(buf), 0) == 4, "connected send", "%s",
	      strerror(errno));
	len = sizeof(v);
	v = -1;
	CHECK_OK(getsockopt(x, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &v, &len), "get IPV6_UNICAST_HOPS");
	check(v == 64, "64 by default", "%d", v);
	v = 9;
	setsockopt(x, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &v, sizeof(v));
	len = sizeof(v);
	getsockopt(x, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &v, &len);
	check(v == 9, "reads back 9", "%d", v);
	close(x);
	x = socket(AF_INET6, SOCK_DGRAM, 0);
	CHECK_OK(setsockopt(x, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on)), "set IPV6_V6ONLY");
	memset(&mapped, 0, sizeof(mapped));
	mapped.sin6_family = AF_INET6;
	mapped.sin6_port = htons(9);
	mapped.sin6_addr.s6_addr[10] = mapped.sin6_addr.s6_addr[11] = 0xff;
	mapped.sin6_addr.s6_addr[12] = 127;
	mapped.sin6_addr.s6_addr[15] = 1;
	CHECK_ERR(sendto(x, "v4", 2, 0, SA(&mapped), sizeof(mapped)), ENETUNREACH,
		  "V6ONLY: sendto ::ffff:127.0.0.1 is ENETUNREACH");
	close(x);
	close(y);
	return t_done();
}
