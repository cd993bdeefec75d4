/*
 * pipe_hup.c - the ends of a pipe as poll, select and epoll see them
 * (pipe(7)): an empty pipe with a writer is not readable; with no writer
 * left the reader gets POLLHUP (EPOLLHUP, select readable) and reads 0,
 * after the data still queued; with no reader the writer gets POLLERR
 * (EPOLLERR, select writable), EPIPE and SIGPIPE, or only EPIPE with
 * SIGPIPE blocked (it stays pending); a full pipe is not writable until
 * PIPE_BUF bytes are free; O_NONBLOCK reads EAGAIN with a writer alive.
 */
#include "t.h"
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/select.h>

static volatile sig_atomic_t pipes;

static void on_pipe(int sig)
{
	(void)sig;
	pipes++;
}

static short revents(int fd, short events)
{
	struct pollfd p = { .fd = fd, .events = events };

	return poll(&p, 1, 0) == 1 ? p.revents : 0;
}

static unsigned ep_events(int fd, unsigned want)
{
	struct epoll_event ev = { .events = want }, out;
	int ep = epoll_create1(0), n;

	epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
	n = epoll_wait(ep, &out, 1, 0);
	close(ep);
	return n == 1 ? out.events : 0;
}

static int sel(int fd, bool wr)
{
	fd_set s;
	struct timeval tv = { 0, 0 };

	FD_ZERO(&s);
	FD_SET(fd, &s);
	return select(fd + 1, wr ? NULL : &s, wr ? &s : NULL, NULL, &tv) == 1;
}

int main(void)
{
	char buf[65536];
	int p[2], n, fl;
	sigset_t set, pend;
	short ev;

	t_start();
	signal(SIGPIPE, on_pipe);
	pipe(p);
	ev = revents(p[0], POLLIN);
	check(ev == 0, "an empty pipe with a writer: not readable", "%#x", ev);
	fl = fcntl(p[0], F_GETFL);
	fcntl(p[0], F_SETFL, fl | O_NONBLOCK);
	CHECK_ERR(read(p[0], buf, 1), EAGAIN, "O_NONBLOCK read: EAGAIN");
	fcntl(p[0], F_SETFL, fl);
	write(p[1], "tail", 4);
	close(p[1]);
	ev = revents(p[0], POLLIN);
	check(ev == (POLLIN | POLLHUP), "data and no writer: POLLIN|POLLHUP", "%#x", ev);
	check(read(p[0], buf, sizeof(buf)) == 4, "the queued data first", "errno %d", errno);
	ev = revents(p[0], POLLIN);
	check(ev == POLLHUP, "then POLLHUP alone", "%#x", ev);
	check(ep_events(p[0], EPOLLIN) == EPOLLHUP, "epoll: EPOLLHUP", "%#x", ep_events(p[0], EPOLLIN));
	check(sel(p[0], false), "select: readable", "no");
	check(read(p[0], buf, sizeof(buf)) == 0, "and end of file", "errno %d", errno);
	close(p[0]);

	pipe(p);
	close(p[0]);
	ev = revents(p[1], POLLOUT);
	check(ev == (POLLOUT | POLLERR), "no reader: POLLOUT|POLLERR", "%#x", ev);
	check(ep_events(p[1], EPOLLOUT) == (EPOLLOUT | EPOLLERR), "epoll: EPOLLOUT|EPOLLERR", "%#x",
	      ep_events(p[1], EPOLLOUT));
	check(sel(p[1], true), "select: writable", "no");
	CHECK_ERR(write(p[1], "x", 1), EPIPE, "write: EPIPE");
	check(pipes == 1, "and SIGPIPE", "%d", (int)pipes);
	sigemptyset(&set);
	sigaddset(&set, SIGPIPE);
	sigprocmask(SIG_BLOCK, &set, NULL);
	CHECK_ERR(write(p[1], "x", 1), EPIPE, "with SIGPIPE blocked: still EPIPE");
	sigpending(&pend);
	check(sigismember(&pend, SIGPIPE) && pipes == 1, "and SIGPIPE stays pending", "pipes %d", (int)pipes);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	check(pipes == 2, "delivered once unblocked", "%d", (int)pipes);
	close(p[1]);

	pipe(p);
	fcntl(p[1], F_SETFL, O_NONBLOCK);
	memset(buf, 'f', sizeof(buf));
	n = 0;
	while (write(p[1], buf, 4096) == 4096)
		n++;
	check(n == 16 && errno == EAGAIN, "a full pipe (16 pages): EAGAIN", "n %d errno %d", n, errno);
	ev = revents(p[1], POLLOUT);
	check(ev == 0, "a full pipe is not writable", "%#x", ev);
	read(p[0], buf, 100);
	ev = revents(p[1], POLLOUT);
	check(ev == 0, "nor with only 100 bytes free (it takes a free page)", "%#x", ev);
	read(p[0], buf, 8192);
	ev = revents(p[1], POLLOUT);
	check(ev == POLLOUT, "writable again once a page is free", "%#x", ev);
	close(p[0]);
	close(p[1]);
	return t_done();
}
