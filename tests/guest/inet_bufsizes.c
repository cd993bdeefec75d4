/*
 * inet_bufsizes.c - SO_RCVBUF and SO_SNDBUF as Linux reports them: the
 * kernel doubles what is set (for its bookkeeping), on TCP and UDP, and
 * the doubled value caps how much a receiver queues: a peer that stops
 * reading lets a non-blocking writer fill up to EAGAIN, then POLLOUT
 * comes back once it drains.
 */
#include "inet.h"

static int geti(int fd, int opt)
{
	int v = -1;
	socklen_t len = sizeof(v);

	getsockopt(fd, SOL_SOCKET, opt, &v, &len);
	return v;
}

static int seti(int fd, int opt, int v)
{
	return setsockopt(fd, SOL_SOCKET, opt, &v, sizeof(v));
}

int main(void)
{
	static char buf[65536];
	int c, s, u, v;
	long total = 0, drained = 0;
	ssize_t n;

	net_start();
	check(tcp_pair(&c, &s) == 0, "connected pair", "%s", strerror(errno));
	check(geti(c, SO_RCVBUF) > 0 && geti(c, SO_SNDBUF) > 0, "defaults are positive", "%d %d",
	      geti(c, SO_RCVBUF), geti(c, SO_SNDBUF));
	CHECK_OK(seti(s, SO_RCVBUF, 65536), "set SO_RCVBUF 65536");
	v = geti(s, SO_RCVBUF);
	check(v == 131072, "reads back doubled: 131072", "%d", v);
	CHECK_OK(seti(c, SO_SNDBUF, 32768), "set SO_SNDBUF 32768");
	v = geti(c, SO_SNDBUF);
	check(v == 65536, "reads back doubled: 65536", "%d", v);
	u = socket(AF_INET, SOCK_DGRAM, 0);
	seti(u, SO_RCVBUF, 50000);
	seti(u, SO_SNDBUF, 40000);
	check(geti(u, SO_RCVBUF) == 100000 && geti(u, SO_SNDBUF) == 80000, "UDP doubles too", "%d %d",
	      geti(u, SO_RCVBUF), geti(u, SO_SNDBUF));
	CHECK_ERR(setsockopt(u, SOL_SOCKET, SO_RCVBUF, &v, 2), EINVAL, "optlen 2: EINVAL");
	close(u);

	fcntl(c, F_SETFL, O_NONBLOCK);
	memset(buf, 'b', sizeof(buf));
	while ((n = write(c, buf, sizeof(buf))) > 0)
		total += n;
	check(n < 0 && errno == EAGAIN, "a non-blocking writer fills up to EAGAIN", "%s", strerror(errno));
	check(total > 0 && total < 4L * 1024 * 1024, "after a bounded amount", "%ld bytes", total);
	check(!(wait_ev(c, POLLOUT, 0) & POLLOUT), "no POLLOUT while full", "POLLOUT");
	while (drained < total) {
		n = read(s, buf, sizeof(buf));
		if (n <= 0)
			break;
		drained += n;
	}
	check(drained == total, "the reader gets every byte", "%ld of %ld", drained, total);
	check(wait_ev(c, POLLOUT, 5000) & POLLOUT, "POLLOUT once drained", "not writable");
	close(c);
	close(s);
	return t_done();
}
