/*
 * pollkinds.c - poll, ppoll, select and epoll over the new kinds of
 * file: eventfd, timerfd, signalfd, epoll, AF_UNIX stream, datagram and
 * listening sockets, next to pipes and regular files; EPOLLRDHUP and
 * EPOLLHUP on sockets; EPOLLEXCLUSIVE items still see events; ppoll
 * and select interrupted by a signal (EINTR).
 */
#include "t.h"
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <sys/wait.h>

static short revents(int fd, short events)
{
	struct pollfd pf = { fd, events, 0 };

	return poll(&pf, 1, 0) < 0 ? -1 : pf.revents;
}

static void on_usr1(int sig) { }

static void test_poll_kinds(void)
{
	int e = eventfd(0, 0), t = timerfd_create(CLOCK_MONOTONIC, 0), ep = epoll_create1(0), sv[2], d[2];
	char path[200];
	sigset_t m;

	check(revents(e, POLLIN | POLLOUT) == POLLOUT, "eventfd empty: OUT", "%#x", revents(e, POLLIN | POLLOUT));
	check(revents(t, POLLIN) == 0, "timerfd disarmed: nothing", "%#x", revents(t, POLLIN));
	struct itimerspec its = { { 0, 0 }, { 0, 1000000 } };
	timerfd_settime(t, 0, &its, NULL);
	struct pollfd pf = { t, POLLIN, 0 };
	check(poll(&pf, 1, 5000) == 1 && pf.revents == POLLIN, "timerfd expired: IN", "%#x", pf.revents);
	sigemptyset(&m);
	sigaddset(&m, SIGUSR1);
	int sfd = signalfd(-1, &m, 0);
	check(revents(sfd, POLLIN) == 0, "signalfd, nothing pending", "%#x", revents(sfd, POLLIN));
	check(revents(ep, POLLIN | POLLOUT) == 0, "empty epoll: nothing", "%#x", revents(ep, POLLIN | POLLOUT));
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	socketpair(AF_UNIX, SOCK_DGRAM, 0, d);
	check(revents(sv[0], POLLIN | POLLOUT) == POLLOUT, "stream pair: OUT", "%#x", revents(sv[0], POLLIN | POLLOUT));
	check(revents(d[0], POLLIN | POLLOUT) == POLLOUT, "dgram pair: OUT", "%#x", revents(d[0], POLLIN | POLLOUT));
	send(d[1], "x", 1, 0);
	check(revents(d[0], POLLIN | POLLOUT) == (POLLIN | POLLOUT), "dgram with data: IN|OUT", "%#x",
	      revents(d[0], POLLIN | POLLOUT));
	int l = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un a = { AF_UNIX };
	t_path(path, sizeof(path), "pk.sock");
	unlink(path);
	strncpy(a.sun_path, path, sizeof(a.sun_path) - 1);
	bind(l, (struct sockaddr *)&a, sizeof(a));
	listen(l, 4);
	check(revents(l, POLLIN | POLLOUT) == 0, "listening, nobody waiting: nothing", "%#x", revents(l, POLLIN | POLLOUT));
	int c = socket(AF_UNIX, SOCK_STREAM, 0);
	connect(c, (struct sockaddr *)&a, sizeof(a));
	check(revents(l, POLLIN) == POLLIN, "listening with a connection: IN", "%#x", revents(l, POLLIN));
	t_path(path, sizeof(path), "pk.file");
	int f = open(path, O_CREAT | O_RDWR, 0600);
	check(revents(f, POLLIN | POLLOUT) == (POLLIN | POLLOUT), "regular file: IN|OUT", "%#x",
	      revents(f, POLLIN | POLLOUT));
	close(f);
	unlink(path);

	/* select over several kinds at once */
	uint64_t one = 1;
	write(e, &one, 8);
	fd_set rs, ws;
	FD_ZERO(&rs);
	FD_ZERO(&ws);
	FD_SET(e, &rs);
	FD_SET(sv[0], &rs);
	FD_SET(d[0], &rs);
	FD_SET(l, &rs);
	FD_SET(sv[1], &ws);
	int maxfd = e;
	int all[] = { sv[0], sv[1], d[0], l };
	for (int i = 0; i < 4; i++)
		if (all[i] > maxfd)
			maxfd = all[i];
	struct timeval tv = { 1, 0 };
	int n = select(maxfd + 1, &rs, &ws, NULL, &tv);
	check(n == 4 && FD_ISSET(e, &rs) && FD_ISSET(d[0], &rs) && FD_ISSET(l, &rs) && !FD_ISSET(sv[0], &rs) &&
	      FD_ISSET(sv[1], &ws), "select: eventfd, dgram, listener readable; stream writable", "n=%d", n);

	/* epoll over sockets: RDHUP and HUP */
	struct epoll_event ev = { .events = EPOLLIN | EPOLLRDHUP | EPOLLET, .data.u64 = 1 }, out[4];
	epoll_ctl(ep, EPOLL_CTL_ADD, sv[0], &ev);
	check(epoll_wait(ep, out, 4, 0) == 0, "epoll stream: nothing", "ready");
	shutdown(sv[1], SHUT_WR);
	n = epoll_wait(ep, out, 4, 0);
	check(n == 1 && out[0].events == (EPOLLIN | EPOLLRDHUP), "peer SHUT_WR: IN|RDHUP", "n=%d ev=%#x", n,
	      out[0].events);
	close(sv[1]);
	n = epoll_wait(ep, out, 4, 0);
	check(n == 1 && out[0].events == (EPOLLIN | EPOLLRDHUP | EPOLLHUP), "peer closed: IN|RDHUP|HUP (edge)", "n=%d ev=%#x",
	      n, out[0].events);
	ev.events = EPOLLIN | EPOLLEXCLUSIVE;
	ev.data.u64 = 2;
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_ADD, e, &ev), "EPOLLEXCLUSIVE on an eventfd");
	n = epoll_wait(ep, out, 4, 0);
	check(n == 1 && out[0].data.u64 == 2, "exclusive item reports", "n=%d", n);
	close(sv[0]);
	close(d[0]);
	close(d[1]);
	close(c);
	close(l);
	close(t);
	close(e);
	close(ep);
	close(sfd);
}

static void test_interrupts(void)
{
	struct sigaction sa = { 0 };
	sigset_t block, none;
	int p[2];
	pid_t parent = getpid();

	sa.sa_handler = on_usr1;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGUSR1, &sa, NULL);
	pipe(p);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, NULL);
	kill(parent, SIGUSR1);
	sigemptyset(&none);
	struct pollfd pf = { p[0], POLLIN, 0 };
	errno = 0;
	int n = ppoll(&pf, 1, NULL, &none);
	check(n == -1 && errno == EINTR, "ppoll: EINTR even with SA_RESTART", "n=%d errno %d", n, errno);
	sigprocmask(SIG_UNBLOCK, &block, NULL);
	pid_t c = fork();
	if (c == 0) {
		usleep(20000);
		kill(parent, SIGUSR1);
		_exit(0);
	}
	fd_set rs;
	FD_ZERO(&rs);
	FD_SET(p[0], &rs);
	errno = 0;
	n = select(p[0] + 1, &rs, NULL, NULL, NULL);
	check(n == -1 && errno == EINTR, "select: EINTR", "n=%d errno %d", n, errno);
	waitpid(c, NULL, 0);
	c = fork();
	if (c == 0) {
		usleep(20000);
		kill(parent, SIGUSR1);
		_exit(0);
	}
	errno = 0;
	n = poll(&pf, 1, -1);
	check(n == -1 && errno == EINTR, "poll: EINTR", "n=%d errno %d", n, errno);
	waitpid(c, NULL, 0);
	close(p[0]);
	close(p[1]);
}

int main(void)
{
	t_start();
	test_poll_kinds();
	test_interrupts();
	return t_done();
}
