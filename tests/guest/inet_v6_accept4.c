/*
 * inet_v6_accept4.c - accept4 on an AF_INET6 listener: SOCK_NONBLOCK and
 * SOCK_CLOEXEC on the new socket, the peer as a 28-byte sockaddr_in6, a
 * short address buffer truncated with the full length reported, EAGAIN
 * on an empty non-blocking listener, EINVAL for unknown flags, and the
 * accepted socket's own name ::1.
 */
#include "inet.h"

int main(void)
{
	struct sockaddr_in6 a, p, n;
	socklen_t len;
	char small[8];
	int l, c, s, fl;

	net_start();
	if (!have_ipv6())
		return t_done();
	l = listener6(&a, 4);
	check(l >= 0, "a listener on [::1]", "%s", strerror(errno));
	fcntl(l, F_SETFL, O_NONBLOCK);
	CHECK_ERR(accept4(l, NULL, NULL, 0), EAGAIN, "nothing pending, non-blocking: EAGAIN");
	fcntl(l, F_SETFL, 0);
	CHECK_ERR(accept4(l, NULL, NULL, 0x40000000), EINVAL, "unknown flags: EINVAL");
	c = socket(AF_INET6, SOCK_STREAM, 0);
	CHECK_OK(connect(c, SA(&a), sizeof(a)), "connect");
	len = sizeof(p);
	s = accept4(l, SA(&p), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
	check(s >= 0 && len == sizeof(p) && p.sin6_family == AF_INET6 && IN6_IS_ADDR_LOOPBACK(&p.sin6_addr) &&
	      p.sin6_flowinfo == 0 && p.sin6_scope_id == 0, "accept4: the peer as sockaddr_in6", "len %u", len);
	fl = fcntl(s, F_GETFL);
	check(fl >= 0 && (fl & O_NONBLOCK), "SOCK_NONBLOCK", "%x", fl);
	fl = fcntl(s, F_GETFD);
	check(fl >= 0 && (fl & FD_CLOEXEC), "SOCK_CLOEXEC", "%x", fl);
	CHECK_ERR(read(s, small, 1), EAGAIN, "the new socket does not block");
	len = sizeof(n);
	getsockname(s, SA(&n), &len);
	check(len == sizeof(n) && IN6_IS_ADDR_LOOPBACK(&n.sin6_addr) && n.sin6_port == a.sin6_port,
	      "its own name is the listener's [::1]:port", "len %u", len);
	close(c);
	close(s);

	c = socket(AF_INET6, SOCK_STREAM, 0);
	connect(c, SA(&a), sizeof(a));
	len = sizeof(small);
	memset(small, 0x5a, sizeof(small));
	s = accept4(l, SA(small), &len, 0);
	check(s >= 0 && len == sizeof(struct sockaddr_in6) && small[0] == AF_INET6,
	      "a short buffer: truncated, the full length reported", "len %u", len);
	fl = fcntl(s, F_GETFL);
	check(fl >= 0 && !(fl & O_NONBLOCK), "no flags: blocking", "%x", fl);
	close(c);
	close(s);
	close(l);
	return t_done();
}
