/*
 * inet_accept4.c - accept4 flags on TCP: SOCK_NONBLOCK and SOCK_CLOEXEC
 * land on the new socket (not inherited from the listener, as Linux),
 * unknown flags are EINVAL, a non-blocking listener with nothing queued
 * is EAGAIN, the peer address comes back with its true length, accept
 * on a socket that does not listen is EINVAL.
 */
#include "inet.h"

int main(void)
{
	struct sockaddr_in a, peer, mine;
	socklen_t len;
	int l, c1, c2, s, fl, fd;

	net_start();
	l = listener4(&a, 4);
	c1 = connect4(&a);
	c2 = connect4(&a);
	check(c1 >= 0 && c2 >= 0, "two clients connect", "%s", strerror(errno));
	CHECK_ERR(accept4(l, NULL, NULL, 0x40000000), EINVAL, "accept4 unknown flag");
	len = sizeof(peer);
	s = accept4(l, SA(&peer), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
	check(s >= 0, "accept4 NONBLOCK|CLOEXEC", "%s", strerror(errno));
	fl = fcntl(s, F_GETFL);
	check(fl >= 0 && (fl & O_NONBLOCK), "O_NONBLOCK set", "flags %#x", fl);
	fl = fcntl(s, F_GETFD);
	check(fl == FD_CLOEXEC, "FD_CLOEXEC set", "fd flags %#x", fl);
	len = sizeof(mine);
	getsockname(c1, SA(&mine), &len);
	check(len == sizeof(peer) && peer.sin_family == AF_INET && peer.sin_port == mine.sin_port &&
	      peer.sin_addr.s_addr == htonl(INADDR_LOOPBACK), "peer address is the first client", "len %u", len);
	close(s);
	s = accept4(l, NULL, NULL, 0);
	check(s >= 0 && !(fcntl(s, F_GETFL) & O_NONBLOCK) && fcntl(s, F_GETFD) == 0,
	      "accept4 with 0: blocking, no CLOEXEC", "%s", strerror(errno));
	close(s);
	fcntl(l, F_SETFL, O_NONBLOCK);
	CHECK_ERR(accept(l, NULL, NULL), EAGAIN, "non-blocking listener, nothing queued");
	s = connect4(&a);
	fd = accept(l, NULL, NULL);
	check(fd >= 0 && !(fcntl(fd, F_GETFL) & O_NONBLOCK), "accepted socket does not inherit O_NONBLOCK",
	      "%s", strerror(errno));
	close(fd);
	close(s);
	len = 2;
	s = connect4(&a);
	fd = accept(l, SA(&peer), &len);
	check(fd >= 0 && len == sizeof(peer), "short addrlen: truncated, true length back", "len %u", len);
	close(fd);
	close(s);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	CHECK_ERR(accept(fd, NULL, NULL), EINVAL, "accept on a socket that does not listen");
	CHECK_ERR(accept(c1, NULL, NULL), EINVAL, "accept on a connected socket");
	fl = socket(AF_INET, SOCK_DGRAM, 0);
	CHECK_ERR(accept(fl, NULL, NULL), EOPNOTSUPP, "accept on UDP");
	CHECK_ERR(listen(fl, 1), EOPNOTSUPP, "listen on UDP");
	close(fl);
	close(fd);
	close(c1);
	close(c2);
	close(l);
	return t_done();
}
