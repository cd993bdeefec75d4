/*
 * inet_v6_poll.c - readiness of AF_INET6 sockets: poll and epoll on a
 * [::1] listener (POLLIN once a connection is pending), a connected
 * stream (POLLOUT, POLLIN with data, POLLRDHUP at the peer's shutdown),
 * a UDP socket (POLLIN once a datagram waits), with epoll_wait naming
 * which fd is ready.
 */
#include "inet.h"
#include <sys/epoll.h>

int main(void)
{
	struct sockaddr_in6 a, u = lo6(0);
	struct epoll_event ev, out[4];
	char buf[8];
	int l, c, s, x, ep, n;

	net_start();
	if (!have_ipv6())
		return t_done();
	l = listener6(&a, 2);
	check(wait_ev(l, POLLIN, 0) == 0, "an idle listener is not readable", "ready");
	ep = epoll_create1(0);
	ev.events = EPOLLIN;
	ev.data.u32 = 1;
	epoll_ctl(ep, EPOLL_CTL_ADD, l, &ev);
	check(epoll_wait(ep, out, 4, 0) == 0, "epoll: nothing yet", "ready");
	c = socket(AF_INET6, SOCK_STREAM, 0);
	CHECK_OK(connect(c, SA(&a), sizeof(a)), "connect [::1]");
	n = epoll_wait(ep, out, 4, 5000);
	check(n == 1 && out[0].data.u32 == 1 && (out[0].events & EPOLLIN), "epoll: the listener is ready", "%d", n);
	check(wait_ev(l, POLLIN, 0) & POLLIN, "poll: POLLIN on the listener", "no");
	s = accept(l, NULL, NULL);
	check(wait_ev(c, POLLOUT, 0) & POLLOUT, "the connected client is writable", "no");
	check(!(wait_ev(s, POLLIN, 0) & POLLIN), "the server side has nothing to read", "ready");
	ev.events = EPOLLIN | EPOLLRDHUP;
	ev.data.u32 = 2;
	epoll_ctl(ep, EPOLL_CTL_ADD, s, &ev);
	write(c, "ping", 4);
	n = epoll_wait(ep, out, 4, 5000);
	check(n == 1 && out[0].data.u32 == 2 && (out[0].events & EPOLLIN), "epoll: data makes it readable", "%d", n);
	check(read(s, buf, sizeof(buf)) == 4, "read it", "%s", strerror(errno));
	shutdown(c, SHUT_WR);
	n = epoll_wait(ep, out, 4, 5000);
	check(n == 1 && (out[0].events & EPOLLRDHUP), "the peer's shutdown: EPOLLRDHUP", "%d %x", n,
	      n > 0 ? out[0].events : 0);
	close(c);
	close(s);
	close(l);

	x = bound6(SOCK_DGRAM, &u);
	c = socket(AF_INET6, SOCK_DGRAM, 0);
	ev.events = EPOLLIN;
	ev.data.u32 = 3;
	epoll_ctl(ep, EPOLL_CTL_ADD, x, &ev);
	check(epoll_wait(ep, out, 4, 0) == 0, "an empty UDP socket is not ready", "ready");
	sendto(c, "d", 1, 0, SA(&u), sizeof(u));
	n = epoll_wait(ep, out, 4, 5000);
	check(n == 1 && out[0].data.u32 == 3, "epoll: a datagram makes it ready", "%d", n);
	check(wait_ev(x, POLLIN, 0) & POLLIN, "poll agrees", "no");
	recv(x, buf, sizeof(buf), 0);
	check(wait_ev(x, POLLIN, 0) == 0, "read: not ready again", "ready");
	close(x);
	close(c);
	close(ep);
	return t_done();
}
