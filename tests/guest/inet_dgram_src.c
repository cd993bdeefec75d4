/*
 * inet_dgram_src.c - the local address a datagram connect(2) gives an
 * unbound socket: the route's source, which getsockname shows (v4-mapped
 * on an AF_INET6 socket connected to an IPv4 peer, 0.0.0.0 meaning
 * IPv4's loopback), given back by an AF_UNSPEC disconnect; a bound
 * address stays.  glibc's getaddrinfo sorts its answers by it (and
 * asserts the v4-mapped form): getaddrinfo(NULL, port, AI_PASSIVE), as
 * servers such as dropbear call it, must return both families.
 */
#include "inet.h"
#include <arpa/inet.h>
#include <netdb.h>

static const char *local(int fd)
{
	static char b[INET6_ADDRSTRLEN + 8];
	struct sockaddr_storage s;
	socklen_t l = sizeof(s);

	memset(&s, 0, sizeof(s));
	if (getsockname(fd, (struct sockaddr *)&s, &l) < 0)
		return "getsockname failed";
	if (s.ss_family == AF_INET6)
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&s)->sin6_addr, b, sizeof(b));
	else
		inet_ntop(AF_INET, &((struct sockaddr_in *)&s)->sin_addr, b, sizeof(b));
	return b;
}

int main(void)
{
	struct sockaddr un = { .sa_family = AF_UNSPEC };
	struct sockaddr_in v4 = lo4(9), any4 = lo4(9);
	struct sockaddr_in6 v6 = lo6(9);
	struct addrinfo h = { .ai_flags = AI_PASSIVE, .ai_socktype = SOCK_STREAM }, *res, *p;
	int fd, fams = 0;

	net_start();
	any4.sin_addr.s_addr = 0;
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	check(strcmp(local(fd), "0.0.0.0") == 0, "an AF_INET socket starts at 0.0.0.0", "%s", local(fd));
	CHECK_OK(connect(fd, SA(&v4), sizeof(v4)), "connect to 127.0.0.1");
	check(strcmp(local(fd), "127.0.0.1") == 0, "its local address is the route's source", "%s", local(fd));
	CHECK_OK(connect(fd, &un, sizeof(un)), "AF_UNSPEC disconnects");
	check(strcmp(local(fd), "0.0.0.0") == 0, "and gives the address back", "%s", local(fd));
	close(fd);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	CHECK_OK(bind(fd, SA(&v4), sizeof(v4)), "bind to 127.0.0.1");
	CHECK_OK(connect(fd, &un, sizeof(un)), "AF_UNSPEC on a bound socket");
	check(strcmp(local(fd), "127.0.0.1") == 0, "keeps the address bind named", "%s", local(fd));
	close(fd);
	if (!have_ipv6())
		return t_done();
	fd = socket(AF_INET6, SOCK_DGRAM, 0);
	CHECK_OK(connect(fd, SA(&v6), sizeof(v6)), "AF_INET6: connect to ::1");
	check(strcmp(local(fd), "::1") == 0, "its local address is ::1", "%s", local(fd));
	CHECK_OK(connect(fd, &un, sizeof(un)), "AF_UNSPEC disconnects");
	check(strcmp(local(fd), "::") == 0, "and gives the address back", "%s", local(fd));
	CHECK_OK(connect(fd, SA(&v4), sizeof(v4)), "connect to an IPv4 peer");
	check(strcmp(local(fd), "::ffff:127.0.0.1") == 0, "its source, v4-mapped", "%s", local(fd));
	connect(fd, &un, sizeof(un));
	CHECK_OK(connect(fd, SA(&any4), sizeof(any4)), "connect to 0.0.0.0");
	check(strcmp(local(fd), "::ffff:127.0.0.1") == 0, "is IPv4's loopback, v4-mapped", "%s", local(fd));
	close(fd);
	check(getaddrinfo(NULL, "2222", &h, &res) == 0, "getaddrinfo(NULL, AI_PASSIVE)", "failed");
	for (p = res; p; p = p->ai_next)
		fams |= p->ai_family == AF_INET ? 1 : p->ai_family == AF_INET6 ? 2 : 4;
	check(fams == 3, "gives an IPv4 and an IPv6 wildcard", "%d", fams);
	freeaddrinfo(res);
	return t_done();
}
