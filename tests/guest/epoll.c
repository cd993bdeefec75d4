/*
 * epoll.c - epoll(7): level and edge triggered, EPOLLONESHOT,
 * EPOLLEXCLUSIVE and EPOLLRDHUP rules, nested epoll and its loop
 * checks, items that belong to the open file description (close of one
 * of two dup'd fds keeps the item, the last close drops it), readiness
 * of pipes, FIFOs, eventfd and epoll files, regular files and
 * directories refused, epoll_ctl misuse, epoll_wait interrupted by a
 * signal (EINTR, never restarted), epoll_pwait's mask.
 */
#include "t.h"
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static int wait_n(int ep, struct epoll_event *ev, int max)
{
	return epoll_wait(ep, ev, max, 0);
}

static int add(int ep, int fd, unsigned events, unsigned long data)
{
	struct epoll_event ev = { .events = events, .data.u64 = data };

	return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
}

static void test_create(void)
{
	int ep;

	CHECK_ERR(epoll_create(0), EINVAL, "epoll_create(0) EINVAL");
	CHECK_ERR(epoll_create(-1), EINVAL, "epoll_create(-1) EINVAL");
	CHECK_ERR(epoll_create1(1), EINVAL, "epoll_create1 bad flags EINVAL");
	ep = epoll_create1(EPOLL_CLOEXEC);
	CHECK_OK(ep, "epoll_create1(EPOLL_CLOEXEC)");
	check(fcntl(ep, F_GETFD) == FD_CLOEXEC, "epoll fd close-on-exec", "F_GETFD %d", fcntl(ep, F_GETFD));
	check((fcntl(ep, F_GETFL) & O_ACCMODE) == O_RDWR, "epoll fd is O_RDWR", "flags %#x",
	      fcntl(ep, F_GETFL));
	close(ep);
	ep = epoll_create(1);
	CHECK_OK(ep, "epoll_create(1)");
	check(fcntl(ep, F_GETFD) == 0, "epoll_create: no close-on-exec", "F_GETFD %d", fcntl(ep, F_GETFD));
	close(ep);
}

static void test_ctl_errors(void)
{
	int ep = epoll_create1(0), ep2 = epoll_create1(0), p[2], fd;
	struct epoll_event ev = { .events = EPOLLIN };
	char path[256];

	pipe(p);
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, 999, &ev), EBADF, "ctl ADD bad fd EBADF");
	CHECK_ERR(epoll_ctl(999, EPOLL_CTL_ADD, p[0], &ev), EBADF, "ctl bad epfd EBADF");
	CHECK_ERR(epoll_ctl(p[1], EPOLL_CTL_ADD, p[0], &ev), EINVAL, "ctl on a non-epoll fd EINVAL");
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, ep, &ev), EINVAL, "ctl ADD epoll into itself EINVAL");
	CHECK_ERR(epoll_ctl(ep, 99, p[0], &ev), EINVAL, "ctl unknown op EINVAL");
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], NULL), EFAULT, "ctl ADD NULL event EFAULT");
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], &ev), ENOENT, "ctl DEL not added ENOENT");
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev), ENOENT, "ctl MOD not added ENOENT");
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev), "ctl ADD pipe");
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev), EEXIST, "ctl ADD twice EEXIST");
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL), "ctl DEL with NULL event");
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL), ENOENT, "ctl DEL twice ENOENT");

	ev.events = EPOLLIN | EPOLLEXCLUSIVE | EPOLLONESHOT;
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev), EINVAL, "EXCLUSIVE|ONESHOT EINVAL");
	ev.events = EPOLLIN | EPOLLEXCLUSIVE | EPOLLRDHUP;
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev), EINVAL, "EXCLUSIVE|RDHUP EINVAL");
	ev.events = EPOLLIN | EPOLLEXCLUSIVE;
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, ep2, &ev), EINVAL, "EXCLUSIVE on an epoll fd EINVAL");
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev), "ctl ADD EPOLLEXCLUSIVE");
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev), EINVAL, "MOD with EXCLUSIVE EINVAL");
	ev.events = EPOLLIN;
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev), EINVAL, "MOD of an EXCLUSIVE item EINVAL");

	t_path(path, sizeof(path), "epoll_file");
	fd = open(path, O_CREAT | O_RDWR, 0600);
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev), EPERM, "ctl ADD regular file EPERM");
	close(fd);
	unlink(path);
	fd = open(".", O_RDONLY | O_DIRECTORY);
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev), EPERM, "ctl ADD directory EPERM");
	close(fd);

	struct epoll_event out[4];
	CHECK_ERR(epoll_wait(ep, out, 0, 0), EINVAL, "epoll_wait maxevents 0 EINVAL");
	CHECK_ERR(syscall(SYS_epoll_wait, ep, out, -1, 0), EINVAL, "epoll_wait maxevents -1 EINVAL");
	CHECK_ERR(epoll_wait(p[0], out, 4, 0), EINVAL, "epoll_wait on a pipe EINVAL");
	CHECK_ERR(epoll_wait(999, out, 4, 0), EBADF, "epoll_wait bad fd EBADF");
	write(p[1], "r", 1);
	CHECK_ERR(syscall(SYS_epoll_wait, ep, (void *)16, 4, 0), EFAULT, "epoll_wait bad events EFAULT");
	check(epoll_wait(ep, out, 4, 0) == 1, "the event is still there after EFAULT", "lost");
	close(p[0]);
	close(p[1]);
	close(ep);
	close(ep2);
}

static void test_level_edge(void)
{
	int ep = epoll_create1(0), p[2], q[2], n;
	struct epoll_event ev[4];
	char buf[8];

	pipe(p);
	pipe(q);
	add(ep, p[0], EPOLLIN, 1);
	add(ep, q[0], EPOLLIN | EPOLLET, 2);
	check(wait_n(ep, ev, 4) == 0, "nothing ready", "got events");
	write(p[1], "ab", 2);
	write(q[1], "ab", 2);
	n = wait_n(ep, ev, 4);
	check(n == 2, "both ready", "n=%d", n);
	n = wait_n(ep, ev, 4);
	check(n == 1 && ev[0].data.u64 == 1 && ev[0].events == EPOLLIN, "level: reported again, edge: not",
	      "n=%d data=%llu ev=%#x", n, (unsigned long long)ev[0].data.u64, ev[0].events);
	read(q[0], buf, 1);
	n = wait_n(ep, ev, 4);
	check(n == 1 && ev[0].data.u64 == 1, "edge: a partial read is no new edge", "n=%d", n);
	write(q[1], "c", 1);
	n = wait_n(ep, ev, 4);
	check(n == 2, "edge: a new write is a new edge", "n=%d", n);
	read(p[0], buf, 2);
	n = wait_n(ep, ev, 4);
	check(n == 0, "level: drained is not ready", "n=%d", n);
	/* maxevents 1 takes them in turn */
	write(p[1], "x", 1);
	write(q[1], "y", 1);
	n = epoll_wait(ep, ev, 1, 0);
	check(n == 1, "maxevents 1", "n=%d", n);
	unsigned long long first = ev[0].data.u64;
	n = epoll_wait(ep, ev, 1, 0);
	check(n == 1 && ev[0].data.u64 != first, "maxevents 1: the other one next", "n=%d", n);
	/* writer side */
	add(ep, p[1], EPOLLOUT, 3);
	n = wait_n(ep, ev, 4);
	int sawout = 0;
	for (int i = 0; i < n; i++)
		if (ev[i].data.u64 == 3 && ev[i].events == EPOLLOUT)
			sawout = 1;
	check(sawout, "pipe write end EPOLLOUT", "n=%d", n);
	close(p[0]);
	n = wait_n(ep, ev, 4);
	sawout = 0;
	for (int i = 0; i < n; i++)
		if (ev[i].data.u64 == 3)
			sawout = ev[i].events;
	check(sawout == (EPOLLOUT | EPOLLERR), "write end after the reader closed: OUT|ERR",
	      "events %#x", sawout);
	close(q[1]);
	n = wait_n(ep, ev, 4);
	int hup = 0;
	for (int i = 0; i < n; i++)
		if (ev[i].data.u64 == 2)
			hup = ev[i].events;
	check(hup == (EPOLLIN | EPOLLHUP), "read end after the writer closed: IN|HUP (data left)",
	      "events %#x", hup);
	close(p[1]);
	close(q[0]);
	close(ep);
}

static void test_oneshot(void)
{
	int ep = epoll_create1(0), e = eventfd(0, EFD_NONBLOCK), n;
	struct epoll_event ev[2], m = { .events = EPOLLIN | EPOLLONESHOT, .data.u64 = 7 };
	uint64_t v = 1;

	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_ADD, e, &m), "ADD oneshot eventfd");
	check(wait_n(ep, ev, 2) == 0, "oneshot: not yet", "ready");
	write(e, &v, 8);
	n = wait_n(ep, ev, 2);
	check(n == 1 && ev[0].data.u64 == 7, "oneshot fires", "n=%d", n);
	n = wait_n(ep, ev, 2);
	check(n == 0, "oneshot: disabled after firing", "n=%d", n);
	write(e, &v, 8);
	check(wait_n(ep, ev, 2) == 0, "oneshot: new events ignored while disabled", "ready");
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, e, &m), EEXIST, "disabled oneshot item still there");
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_MOD, e, &m), "MOD re-arms");
	n = wait_n(ep, ev, 2);
	check(n == 1, "re-armed oneshot fires at once (still readable)", "n=%d", n);
	close(e);
	close(ep);
}

static void test_close_dup(void)
{
	int ep = epoll_create1(0), p[2], d, n;
	struct epoll_event ev[2];

	pipe(p);
	d = dup(p[0]);
	add(ep, p[0], EPOLLIN, 11);
	write(p[1], "z", 1);
	close(p[0]);
	n = wait_n(ep, ev, 2);
	check(n == 1 && ev[0].data.u64 == 11, "item outlives the close of one of two dup'd fds", "n=%d", n);
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL), EBADF, "DEL through the closed fd EBADF");
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_DEL, d, NULL), ENOENT, "DEL through the dup: not its (file, fd)");
	CHECK_OK(add(ep, d, EPOLLIN, 12), "ADD the dup as its own item");
	n = wait_n(ep, ev, 2);
	check(n == 2, "both items report", "n=%d", n);
	close(d);
	n = wait_n(ep, ev, 2);
	check(n == 0, "last close drops every item of the file", "n=%d", n);
	/* a closed fd number reused by another file is a new item */
	int e = eventfd(0, 0);
	CHECK_OK(add(ep, e, EPOLLIN, 13), "ADD a reused fd number");
	close(e);
	close(p[1]);
	close(ep);
}

static void test_nested(void)
{
	int outer = epoll_create1(0), inner = epoll_create1(0), p[2], n;
	struct epoll_event ev[2];
	int chain[7];

	pipe(p);
	add(inner, p[0], EPOLLIN, 1);
	CHECK_OK(add(outer, inner, EPOLLIN, 2), "ADD an epoll fd into another");
	check(wait_n(outer, ev, 2) == 0, "nested: nothing ready", "ready");
	write(p[1], "q", 1);
	n = wait_n(outer, ev, 2);
	check(n == 1 && ev[0].data.u64 == 2 && ev[0].events == EPOLLIN, "nested: outer sees inner ready",
	      "n=%d", n);
	struct pollfd pf = { .fd = inner, .events = POLLIN };
	check(poll(&pf, 1, 0) == 1 && pf.revents == POLLIN, "poll on an epoll fd", "revents %#x", pf.revents);
	CHECK_ERR(add(inner, outer, EPOLLIN, 3), ELOOP, "a loop of two ELOOP");
	n = wait_n(inner, ev, 2);
	check(n == 1 && ev[0].data.u64 == 1, "inner reports the pipe", "n=%d", n);
	char c;
	read(p[0], &c, 1);
	check(wait_n(outer, ev, 2) == 0, "nested: drained", "ready");
	/* depth limit: a chain of epolls */
	chain[0] = epoll_create1(0);
	int deep = -1;
	for (int i = 1; i < 7; i++) {
		chain[i] = epoll_create1(0);
		if (add(chain[i], chain[i - 1], EPOLLIN, i) < 0 && deep < 0)
			deep = i;
	}
	check(deep == 5 && errno == ELOOP, "nesting deeper than 5 levels ELOOP", "failed at %d errno %d", deep,
	      errno);
	for (int i = 0; i < 7; i++)
		close(chain[i]);
	close(inner);
	n = wait_n(outer, ev, 2);
	check(n == 0, "closing the inner epoll drops it from the outer", "n=%d", n);
	close(outer);
	close(p[0]);
	close(p[1]);
}

static void test_fifo_rdhup(void)
{
	char path[256];
	int ep = epoll_create1(0), r, w, n;
	struct epoll_event ev[2];

	t_path(path, sizeof(path), "epoll_fifo");
	unlink(path);
	mkfifo(path, 0600);
	r = open(path, O_RDONLY | O_NONBLOCK);
	w = open(path, O_WRONLY | O_NONBLOCK);
	add(ep, r, EPOLLIN | EPOLLRDHUP, 1);
	check(wait_n(ep, ev, 2) == 0, "fifo: empty", "ready");
	write(w, "x", 1);
	n = wait_n(ep, ev, 2);
	check(n == 1 && ev[0].events == EPOLLIN, "fifo: readable", "n=%d ev=%#x", n, ev[0].events);
	close(w);
	n = wait_n(ep, ev, 2);
	check(n == 1 && ev[0].events == (EPOLLIN | EPOLLHUP), "fifo: writer gone IN|HUP", "n=%d ev=%#x", n,
	      ev[0].events);
	close(r);
	unlink(path);
	close(ep);
}

static void on_usr1(int sig) { }

static void test_signal(void)
{
	int ep = epoll_create1(0), p[2];
	struct epoll_event ev[2];
	struct sigaction sa = { 0 };
	pid_t parent = getpid(), c;
	sigset_t block, old;

	pipe(p);
	add(ep, p[0], EPOLLIN, 1);
	sa.sa_handler = on_usr1;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGUSR1, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, &old);
	c = fork();
	if (c == 0) {
		kill(parent, SIGUSR1);
		_exit(0);
	}
	waitpid(c, NULL, 0);
	/* the signal is pending; epoll_pwait unblocks it: EINTR even with SA_RESTART */
	sigset_t none;
	sigemptyset(&none);
	errno = 0;
	int n = epoll_pwait(ep, ev, 2, -1, &none);
	check(n == -1 && errno == EINTR, "epoll_pwait interrupted: EINTR despite SA_RESTART", "n=%d errno %d",
	      n, errno);
	sigset_t now;
	sigprocmask(SIG_SETMASK, NULL, &now);
	check(sigismember(&now, SIGUSR1), "epoll_pwait put the mask back", "not blocked");
	sigprocmask(SIG_SETMASK, &old, NULL);
	c = fork();
	if (c == 0) {
		usleep(20000);
		kill(parent, SIGUSR1);
		_exit(0);
	}
	errno = 0;
	n = epoll_wait(ep, ev, 2, -1);
	check(n == -1 && errno == EINTR, "epoll_wait interrupted: EINTR", "n=%d errno %d", n, errno);
	waitpid(c, NULL, 0);
	c = fork();
	if (c == 0) {
		usleep(20000);
		write(p[1], "w", 1);
		_exit(0);
	}
	n = epoll_wait(ep, ev, 2, -1);
	check(n == 1, "epoll_wait woken by a write from another process", "n=%d", n);
	waitpid(c, NULL, 0);
	n = epoll_wait(ep, ev, 2, 30);
	check(n == 1, "still readable", "n=%d", n);
	char b;
	read(p[0], &b, 1);
	n = epoll_wait(ep, ev, 2, 30);
	check(n == 0, "timeout returns 0", "n=%d", n);
	struct timespec ts = { 0, 20000000 };
	n = syscall(SYS_epoll_pwait2, ep, ev, 2, &ts, NULL, 8);
	check(n == 0, "epoll_pwait2 timeout returns 0", "n=%d", n);
	ts.tv_nsec = 1000000000;
	errno = 0;
	n = syscall(SYS_epoll_pwait2, ep, ev, 2, &ts, NULL, 8);
	check(n == -1 && errno == EINVAL, "epoll_pwait2 bad timespec EINVAL", "n=%d errno %d", n, errno);
	errno = 0;
	n = syscall(SYS_epoll_pwait, ep, ev, 2, 0, &none, 4);
	check(n == -1 && errno == EINVAL, "epoll_pwait bad sigsetsize EINVAL", "n=%d errno %d", n, errno);
	close(p[0]);
	close(p[1]);
	close(ep);
}

static void test_many(void)
{
	enum { N = 200 };
	int ep = epoll_create1(0), fds[N][2], n, ok = 1;
	struct epoll_event ev[N];

	for (int i = 0; i < N; i++) {
		if (pipe(fds[i]) < 0 || add(ep, fds[i][0], EPOLLIN, i) < 0)
			ok = 0;
	}
	check(ok, "200 pipes added", "failed");
	for (int i = 0; i < N; i += 10)
		write(fds[i][1], "k", 1);
	n = epoll_wait(ep, ev, N, 0);
	int sum = 0;
	for (int i = 0; i < n; i++)
		sum += (int)ev[i].data.u64;
	check(n == 20 && sum == 1900, "20 of 200 ready", "n=%d sum=%d", n, sum);
	for (int i = 0; i < N; i++) {
		close(fds[i][0]);
		close(fds[i][1]);
	}
	check(epoll_wait(ep, ev, N, 0) == 0, "all closed: none", "ready");
	close(ep);
}

int main(void)
{
	t_start();
	test_create();
	test_ctl_errors();
	test_level_edge();
	test_oneshot();
	test_close_dup();
	test_nested();
	test_fifo_rdhup();
	test_signal();
	test_many();
	return t_done();
}
