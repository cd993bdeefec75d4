/*
 * pty_epoll.c - waiting on both ends of a pty: epoll sees EPOLLIN on the
 * master for slave output and on the slave only for a whole line (it is
 * canonical), EPOLLOUT while there is room; a master written into a full
 * slave gets EAGAIN (O_NONBLOCK; Linux may still say EPOLLOUT then, its
 * buffers are larger than the line discipline's) and EPOLLOUT once the
 * slave reads; EPOLLHUP on the master when the slave closes, and the hung-up
 * slave reports EPOLLIN|EPOLLOUT|EPOLLERR|EPOLLHUP.
 */
#include "pty.h"
#include <sys/epoll.h>

static unsigned events_of(int ep, int fd)
{
	struct epoll_event ev;
	int n = epoll_wait(ep, &ev, 1, 100);

	return n == 1 && ev.data.fd == fd ? ev.events : 0;
}

/*
 * The events once those in want are there (up to 5 s): Linux hands pty
 * input to the line discipline from a work queue, so on a loaded host a
 * line written to the master is not readable at once.
 */
static unsigned events_for(int ep, int fd, unsigned want)
{
	unsigned ev = 0;

	for (int i = 0; i < 50 && (ev & want) != want; i++)
		ev = events_of(ep, fd);
	return ev;
}

static int watch(int fd, unsigned events)
{
	struct epoll_event ev = { .events = events, .data.fd = fd };
	int ep = epoll_create1(0);

	epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
	return ep;
}

int main(void)
{
	char buf[4096];
	struct termios t;
	int m, s, epm, eps, full = 0, fl;
	unsigned ev;
	long total = 0;
	ssize_t r;

	t_start();
	check(pty_setup() == 0, "devpts on /dev/pts", "%s", strerror(errno));
	m = pty_pair(&s, O_RDWR | O_NOCTTY);
	epm = watch(m, EPOLLIN | EPOLLOUT | EPOLLRDHUP);
	eps = watch(s, EPOLLIN);
	ev = events_for(epm, m, EPOLLOUT);
	check(ev == EPOLLOUT, "an idle master: EPOLLOUT", "%#x", ev);
	check(events_of(eps, s) == 0, "an idle slave: nothing", "%s", "");
	if (write(m, "abc", 3) != 3)
		perror("write");
	check(events_of(eps, s) == 0, "a partial line is not readable", "%s", "");
	if (write(m, "\n", 1) != 1)
		perror("write");
	check(events_for(eps, s, EPOLLIN) == EPOLLIN, "a line: EPOLLIN", "%s", "");
	r = read(s, buf, sizeof(buf));
	check(r == 4, "read the line", "%zd", r);
	ev = events_for(epm, m, EPOLLIN | EPOLLOUT);
	check(ev == (EPOLLIN | EPOLLOUT), "the echo: master EPOLLIN", "%#x", ev);
	pty_drain(m, buf, sizeof(buf));

	tcgetattr(s, &t);
	cfmakeraw(&t);
	tcsetattr(s, TCSANOW, &t);
	fl = fcntl(m, F_GETFL);
	fcntl(m, F_SETFL, fl | O_NONBLOCK);
	memset(buf, 'x', sizeof(buf));
	while (total < (1L << 22)) {
		r = write(m, buf, sizeof(buf));
		if (r < 0) {
			full = errno == EAGAIN;
			break;
		}
		total += r;
	}
	check(full, "a full slave: EAGAIN", "after %ld bytes: %s", total, strerror(errno));
	fcntl(s, F_SETFL, fcntl(s, F_GETFL) | O_NONBLOCK);
	while (read(s, buf, sizeof(buf)) > 0)
		;
	ev = events_for(epm, m, EPOLLOUT);
	check(ev & EPOLLOUT, "drained: EPOLLOUT again", "%#x", ev);
	fcntl(m, F_SETFL, fl);

	close(s);
	ev = events_for(epm, m, EPOLLHUP);
	check((ev & EPOLLHUP) && !(ev & EPOLLIN), "slave closed: EPOLLHUP", "%#x", ev);
	s = open(ptsname(m), O_RDWR | O_NOCTTY);
	close(eps);
	eps = watch(s, EPOLLIN | EPOLLOUT);
	close(m);
	ev = events_for(eps, s, EPOLLIN | EPOLLOUT | EPOLLERR | EPOLLHUP);
	check(ev == (EPOLLIN | EPOLLOUT | EPOLLERR | EPOLLHUP), "master closed: everything", "%#x", ev);
	close(s);
	return t_done();
}
