/*
 * pty_poll_hup.c - poll and select on a pty at hangup: the master sees
 * POLLHUP (and select readable, the read EIO) once the last slave file
 * closes, and loses it when the slave is opened again; the slave, after
 * the master's close, polls POLLIN|POLLHUP, select shows it readable
 * and writable, reads give 0 and writes EIO, and its node is gone; a
 * poll asleep on the master wakes at the slave's close.
 */
#include "pty.h"
#include <sys/select.h>

static short revents(int fd, short events)
{
	struct pollfd p = { .fd = fd, .events = events };

	return poll(&p, 1, 0) == 1 ? p.revents : 0;
}

static int sel(int fd, int *rd, int *wr, int *ex)
{
	fd_set r, w, e;
	struct timeval tv = { 0, 0 };
	int n;

	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_ZERO(&e);
	FD_SET(fd, &r);
	FD_SET(fd, &w);
	FD_SET(fd, &e);
	n = select(fd + 1, &r, &w, &e, &tv);
	*rd = FD_ISSET(fd, &r);
	*wr = FD_ISSET(fd, &w);
	*ex = FD_ISSET(fd, &e);
	return n;
}

int main(void)
{
	char name[64], c;
	int m, s, rd, wr, ex, n;
	short ev;
	pid_t pid;

	t_start();
	if (pty_setup() < 0)
		printf("# devpts: %s\n", strerror(errno));
	m = pty_pair(&s, O_RDWR | O_NOCTTY);
	snprintf(name, sizeof(name), "%s", ptsname(m));
	ev = revents(m, POLLIN | POLLOUT);
	check(ev == POLLOUT, "an idle master: POLLOUT only", "%#x", ev);
	/* A poll asleep on the master wakes when the slave closes. */
	pid = fork();
	if (pid == 0) {
		usleep(20000);
		close(s);
		_exit(0);
	}
	close(s);
	{
		struct pollfd p = { .fd = m, .events = POLLIN };

		n = poll(&p, 1, 20000);
		check(n == 1 && (p.revents & POLLHUP), "a sleeping poll wakes with POLLHUP at the slave's close",
		      "n %d revents %#x", n, p.revents);
	}
	waitpid(pid, NULL, 0);
	ev = revents(m, POLLIN | POLLOUT);
	check(ev & POLLHUP, "the master: POLLHUP while no slave is open", "%#x", ev);
	n = sel(m, &rd, &wr, &ex);
	check(rd, "select: the master is readable", "n %d rd %d wr %d ex %d", n, rd, wr, ex);
	CHECK_ERR(read(m, &c, 1), EIO, "and its read: EIO");
	s = open(name, O_RDWR | O_NOCTTY);
	check(s >= 0, "the slave opens again", "errno %d", errno);
	ev = revents(m, POLLIN | POLLOUT);
	check(ev == POLLOUT, "and the master's POLLHUP is gone", "%#x", ev);
	ev = revents(s, POLLIN | POLLOUT);
	check(ev == POLLOUT, "an idle slave: POLLOUT only", "%#x", ev);
	close(m);
	ev = revents(s, POLLIN | POLLOUT);
	check((ev & POLLHUP) && (ev & POLLIN), "the slave after the master's close: POLLHUP|POLLIN", "%#x", ev);
	n = sel(s, &rd, &wr, &ex);
	check(rd && wr, "select: readable and writable", "n %d rd %d wr %d ex %d", n, rd, wr, ex);
	check(read(s, &c, 1) == 0, "its read: 0 (end of file)", "errno %d", errno);
	CHECK_ERR(write(s, "x", 1), EIO, "its write: EIO");
	CHECK_ERR(open(name, O_RDWR | O_NOCTTY), ENOENT, "its node is gone");
	close(s);
	return t_done();
}
