/*
 * inet_poll.c - poll and select readiness on TCP: a fresh socket is
 * POLLOUT|POLLHUP, a listener POLLIN only with a connection queued, a
 * connected socket POLLOUT, POLLIN with data, POLLIN|POLLRDHUP after
 * the peer's FIN, POLLERR|POLLHUP after its RST; select agrees, and a
 * poller sleeping in poll is woken by the data.
 */
#include "inet.h"
#include <sys/select.h>

static int sel(int fd, int *r, int *w)
{
	fd_set rs, ws;
	struct timeval tv = { 0, 0 };
	int n;

	FD_ZERO(&rs);
	FD_ZERO(&ws);
	FD_SET(fd, &rs);
	FD_SET(fd, &ws);
	n = select(fd + 1, &rs, &ws, NULL, &tv);
	*r = FD_ISSET(fd, &rs) != 0;
	*w = FD_ISSET(fd, &ws) != 0;
	return n;
}

int main(void)
{
	struct linger lg = { 1, 0 };
	struct sockaddr_in a;
	int fd, l, c, s, ev, r, w, n;
	char buf[8];
	pid_t pid;

	net_start();
	fd = socket(AF_INET, SOCK_STREAM, 0);
	ev = wait_ev(fd, POLLIN | POLLOUT | POLLRDHUP, 0);
	check(ev == (POLLOUT | POLLHUP), "fresh socket: POLLOUT|POLLHUP", "%#x", ev);
	close(fd);
	l = listener4(&a, 4);
	ev = wait_ev(l, POLLIN | POLLOUT, 0);
	check(ev == 0, "idle listener: nothing", "%#x", ev);
	c = connect4(&a);
	ev = wait_ev(l, POLLIN | POLLOUT, 5000);
	check(ev == POLLIN, "listener with a connection queued: POLLIN", "%#x", ev);
	n = sel(l, &r, &w);
	check(n == 1 && r && !w, "select: the listener is readable", "%d %d", r, w);
	s = accept(l, NULL, NULL);
	ev = wait_ev(s, POLLIN | POLLOUT | POLLRDHUP, 0);
	check(ev == POLLOUT, "connected: POLLOUT", "%#x", ev);
	n = sel(s, &r, &w);
	check(n == 1 && !r && w, "select: writable only", "%d %d", r, w);
	pid = fork();
	if (pid == 0) {
		usleep(50000);
		_exit(write(c, "wake", 4) == 4 ? 0 : 1);
	}
	ev = wait_ev(s, POLLIN, 20000);
	check(ev == POLLIN, "a sleeping poll wakes for data", "%#x", ev);
	reap(pid);
	n = sel(s, &r, &w);
	check(n == 2 && r && w, "select: readable and writable", "%d %d", r, w);
	read(s, buf, sizeof(buf));
	shutdown(c, SHUT_WR);
	ev = wait_ev(s, POLLIN | POLLOUT | POLLRDHUP, 5000);
	check(ev == (POLLIN | POLLOUT | POLLRDHUP), "after the peer's FIN: POLLIN|POLLOUT|POLLRDHUP", "%#x", ev);
	setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(c);
	ev = wait_ev(s, POLLIN | POLLOUT | POLLRDHUP, 5000);
	check((ev & (POLLERR | POLLHUP | POLLIN | POLLRDHUP)) == (POLLERR | POLLHUP | POLLIN | POLLRDHUP),
	      "after its RST: POLLERR|POLLHUP|POLLIN|POLLRDHUP", "%#x", ev);
	close(s);
	close(l);
	return t_done();
}
