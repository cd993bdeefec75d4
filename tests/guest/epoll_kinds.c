/*
 * epoll_kinds.c - one epoll instance watching a descriptor of every kind
 * the issue lists: pipe, FIFO, pty master and slave, AF_UNIX stream and
 * datagram sockets, eventfd, timerfd, signalfd, inotify, a POSIX message
 * queue and a nested epoll; each reports nothing while idle and exactly
 * its own event once made ready, then nothing again once drained.
 * Regular files and directories are refused (EPERM).
 */
#include "pty.h"
#include <mqueue.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>

enum { PIPE, FIFO, PTM, PTS, USTREAM, UDGRAM, EVENTFD, TIMERFD, SIGNALFD, INOTIFY, MQUEUE, NESTED, NKINDS };
static const char *const names[NKINDS] = {
	"pipe", "FIFO", "pty master", "pty slave", "AF_UNIX stream", "AF_UNIX datagram",
	"eventfd", "timerfd", "signalfd", "inotify", "mqueue", "nested epoll",
};
static int rfd[NKINDS], wfd[NKINDS];	/* what epoll watches; what makes it ready */

/* Which kinds epoll reports ready now, as a bit mask. */
static unsigned ready_set(int ep)
{
	struct epoll_event ev[NKINDS + 2];
	unsigned set = 0;
	int n = epoll_wait(ep, ev, NKINDS + 2, 0);

	for (int i = 0; i < n; i++)
		if (ev[i].events & EPOLLIN)
			set |= 1u << ev[i].data.u32;
	return set;
}

static void make_ready(int k, const char *dir)
{
	uint64_t one = 1;
	struct itimerspec its = { .it_value = { 0, 1000 } };
	char path[512];

	switch (k) {
	case EVENTFD:
		write(rfd[k], &one, 8);
		break;
	case TIMERFD:
		timerfd_settime(rfd[k], 0, &its, NULL);
		break;
	case SIGNALFD:
		kill(getpid(), SIGUSR1);
		break;
	case INOTIFY:
		snprintf(path, sizeof(path), "%s/f", dir);
		close(open(path, O_CREAT | O_WRONLY, 0600));
		break;
	case MQUEUE:
		mq_send(wfd[k], "m", 1, 0);
		break;
	case NESTED:
		write(wfd[k], &one, 8);
		break;
	case PTS:
		write(wfd[k], "l\n", 2);
		break;
	default:
		write(wfd[k], "x", 1);
		break;
	}
}

static void drain(int k)
{
	char buf[4096];
	uint64_t v;

	switch (k) {
	case EVENTFD: case TIMERFD: case NESTED:
		read(k == NESTED ? wfd[k] : rfd[k], &v, 8);
		break;
	case MQUEUE:
		mq_receive(rfd[k], buf, sizeof(buf), NULL);
		break;
	default:
		read(rfd[k], buf, sizeof(buf));
		break;
	}
}

int main(void)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct mq_attr at = { .mq_maxmsg = 2, .mq_msgsize = 16 };
	char dir[256], fifo[300], qname[64];
	int ep, p[2], sv[2], dv[2], inner, fd, t;
	unsigned set;
	sigset_t mask;

	t_start();
	if (pty_setup() < 0)
		printf("# devpts: %s\n", strerror(errno));
	snprintf(dir, sizeof(dir), "%s/epoll_kinds.XXXXXX", t_tmpdir());
	if (!mkdtemp(dir)) {
		printf("not ok 0 mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	pipe(p);
	rfd[PIPE] = p[0], wfd[PIPE] = p[1];
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	mkfifo(fifo, 0600);
	rfd[FIFO] = open(fifo, O_RDONLY | O_NONBLOCK);
	wfd[FIFO] = open(fifo, O_WRONLY);
	rfd[PTM] = pty_pair(&wfd[PTM], O_RDWR | O_NOCTTY);
	{
		struct termios tt;

		tcgetattr(wfd[PTM], &tt);
		tt.c_lflag &= ~ECHO;		/* no echo back to the master */
		tcsetattr(wfd[PTM], TCSANOW, &tt);
	}
	wfd[PTS] = pty_pair(&rfd[PTS], O_RDWR | O_NOCTTY);
	{
		struct termios tt;

		tcgetattr(rfd[PTS], &tt);
		tt.c_lflag &= ~ECHO;
		tcsetattr(rfd[PTS], TCSANOW, &tt);
	}
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	rfd[USTREAM] = sv[0], wfd[USTREAM] = sv[1];
	socketpair(AF_UNIX, SOCK_DGRAM, 0, dv);
	rfd[UDGRAM] = dv[0], wfd[UDGRAM] = dv[1];
	rfd[EVENTFD] = eventfd(0, EFD_NONBLOCK);
	rfd[TIMERFD] = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR1);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	rfd[SIGNALFD] = signalfd(-1, &mask, SFD_NONBLOCK);
	rfd[INOTIFY] = inotify_init1(IN_NONBLOCK);
	inotify_add_watch(rfd[INOTIFY], dir, IN_CREATE);
	snprintf(qname, sizeof(qname), "/epoll_kinds%d", getpid());
	mq_unlink(qname);
	rfd[MQUEUE] = wfd[MQUEUE] = mq_open(qname, O_RDWR | O_CREAT | O_NONBLOCK, 0600, &at);
	inner = epoll_create1(0);
	wfd[NESTED] = eventfd(0, EFD_NONBLOCK);
	epoll_ctl(inner, EPOLL_CTL_ADD, wfd[NESTED], &ev);
	rfd[NESTED] = inner;
	ep = epoll_create1(0);
	for (int k = 0; k < NKINDS; k++) {
		ev.data.u32 = (uint32_t)k;
		if (rfd[k] < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, rfd[k], &ev) < 0)
			printf("not ok 0 %s: setup: %s\n", names[k], strerror(errno));
	}
	set = ready_set(ep);
	check(set == 0, "all idle: nothing ready", "%#x", set);
	for (int k = 0; k < NKINDS; k++) {
		char name[96];

		make_ready(k, dir);
		for (int i = 0; i < 2000 && !(ready_set(ep) & (1u << k)); i++)
			usleep(1000);	/* timerfd, the pty, the signal take a moment */
		set = ready_set(ep);
		snprintf(name, sizeof(name), "%s: ready, alone", names[k]);
		check(set == 1u << k, name, "%#x", set);
		drain(k);
		set = ready_set(ep);
		snprintf(name, sizeof(name), "%s: drained, idle", names[k]);
		check(set == 0, name, "%#x", set);
	}
	snprintf(fifo, sizeof(fifo), "%s/plain", dir);
	fd = open(fifo, O_CREAT | O_RDWR, 0600);
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev), EPERM, "a regular file: EPERM");
	t = open(dir, O_RDONLY | O_DIRECTORY);
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, t, &ev), EPERM, "a directory: EPERM");
	unlink(fifo);
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	unlink(fifo);
	snprintf(fifo, sizeof(fifo), "%s/f", dir);
	unlink(fifo);
	rmdir(dir);
	mq_unlink(qname);
	return t_done();
}
