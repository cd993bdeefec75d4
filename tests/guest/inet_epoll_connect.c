/*
 * inet_epoll_connect.c - epoll on TCP: a non-blocking connect reported
 * by EPOLLOUT, a listener's pending connection by EPOLLIN, data by
 * EPOLLIN (edge-triggered: once per arrival), the peer's close by
 * EPOLLRDHUP, and a refused connect by EPOLLERR|EPOLLHUP.
 */
#include "inet.h"
#include <sys/epoll.h>

static unsigned wait1(int ep, int ms)
{
	struct epoll_event e;

	return epoll_wait(ep, &e, 1, ms) == 1 ? e.events : 0;
}

int main(void)
{
	struct sockaddr_in a, closed;
	struct epoll_event ev;
	int ep, l, fd, s, b;
	unsigned got;
	char buf[8];

	net_start();
	ep = epoll_create1(EPOLL_CLOEXEC);
	l = listener4(&a, 4);
	ev.events = EPOLLIN;
	ev.data.fd = l;
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_ADD, l, &ev), "watch the listener");
	check(wait1(ep, 0) == 0, "listener idle", "ready");
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	CHECK_ERR(connect(fd, SA(&a), sizeof(a)), EINPROGRESS, "non-blocking connect");
	got = wait1(ep, 10000);
	check(got == EPOLLIN, "EPOLLIN on the listener", "%#x", got);
	s = accept(l, NULL, NULL);
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_DEL, l, NULL), "unwatch the listener");
	ev.events = EPOLLOUT | EPOLLIN | EPOLLRDHUP | EPOLLET;
	ev.data.fd = fd;
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev), "watch the client, edge-triggered");
	got = wait1(ep, 10000);
	check(got == EPOLLOUT, "EPOLLOUT: connected", "%#x", got);
	check(wait1(ep, 0) == 0, "edge-triggered: not again", "again");
	check(write(s, "abc", 3) == 3, "server writes", "short");
	got = wait1(ep, 10000);
	check(got == (EPOLLIN | EPOLLOUT), "EPOLLIN on data", "%#x", got);
	check(read(fd, buf, sizeof(buf)) == 3, "read it", "bad read");
	close(s);
	got = wait1(ep, 10000);
	check((got & (EPOLLIN | EPOLLRDHUP)) == (EPOLLIN | EPOLLRDHUP), "EPOLLIN|EPOLLRDHUP on the peer's close",
	      "%#x", got);
	check(read(fd, buf, sizeof(buf)) == 0, "EOF", "no EOF");
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL), "unwatch");
	close(fd);

	b = bound4(SOCK_STREAM, &closed);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	ev.events = EPOLLOUT;
	ev.data.fd = fd;
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev), "watch a connect to a closed port");
	CHECK_ERR(connect(fd, SA(&closed), sizeof(closed)), EINPROGRESS, "non-blocking connect");
	got = wait1(ep, 10000);
	check((got & (EPOLLERR | EPOLLHUP | EPOLLOUT)) == (EPOLLERR | EPOLLHUP | EPOLLOUT),
	      "EPOLLOUT|EPOLLERR|EPOLLHUP on the refusal", "%#x", got);
	close(fd);
	close(b);
	close(l);
	close(ep);
	return t_done();
}
