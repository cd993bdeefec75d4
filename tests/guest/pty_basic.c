/*
 * pty_basic.c - a pseudo-terminal pair: /dev/ptmx, the locked slave,
 * ptsname and TIOCGPTN, a line in each direction with the default
 * termios (echo, ICRNL, ONLCR), FIONREAD, and both ways of ending it:
 * the slave's close (master reads EIO, poll POLLHUP) and the master's
 * (slave hung up, its node gone).
 */
#include "pty.h"

static void test_open(void)
{
	int m, s, n = -1, lock = -1;
	char *name;

	m = posix_openpt(O_RDWR | O_NOCTTY);
	CHECK_OK(m, "posix_openpt");
	CHECK_OK(grantpt(m), "grantpt");
	name = ptsname(m);
	check(name != NULL && strncmp(name, "/dev/pts/", 9) == 0, "ptsname", "%s", name ? name : "NULL");
	CHECK_OK(ioctl(m, TIOCGPTN, &n), "TIOCGPTN");
	check(name != NULL && n >= 0 && atoi(name + 9) == n, "TIOCGPTN is the name", "%d", n);
	CHECK_OK(ioctl(m, TIOCGPTLCK, &lock), "TIOCGPTLCK");
	check(lock == 1, "starts locked", "%d", lock);
	CHECK_ERR(open(name, O_RDWR | O_NOCTTY), EIO, "locked slave: EIO");
	CHECK_OK(unlockpt(m), "unlockpt");
	s = open(name, O_RDWR | O_NOCTTY);
	CHECK_OK(s, "open slave");
	check(isatty(m) && isatty(s), "both are terminals", "%d %d", isatty(m), isatty(s));
	check(ttyname(s) != NULL && strcmp(ttyname(s), name) == 0, "ttyname(slave)", "%s",
	      ttyname(s) ? ttyname(s) : strerror(errno));
	close(s);
	close(m);
}

static void test_lines(void)
{
	char buf[256];
	int m, s, q = -1;
	ssize_t r;

	m = pty_pair(&s, O_RDWR | O_NOCTTY);
	CHECK_OK(write(m, "hello\r", 6), "master writes a line");
	r = read(s, buf, sizeof(buf));
	check(r == 6 && memcmp(buf, "hello\n", 6) == 0, "slave reads it, CR mapped", "%zd", r);
	r = pty_drain(m, buf, sizeof(buf));
	check(strcmp(buf, "hello\r\n") == 0, "echo with ONLCR", "'%s'", vis(buf));
	CHECK_OK(write(s, "out\nput\n", 8), "slave writes");
	pty_drain(m, buf, sizeof(buf));
	check(strcmp(buf, "out\r\nput\r\n") == 0, "master reads ONLCR output", "'%s'", vis(buf));
	CHECK_OK(write(m, "ab", 2), "partial line");
	usleep(10000);
	CHECK_OK(ioctl(s, FIONREAD, &q), "FIONREAD");
	check(q == 0, "a partial line is not readable", "%d", q);
	CHECK_OK(write(m, "\n", 1), "ends it");
	/* Linux's line discipline takes pty input from a work queue: wait for it */
	{
		struct pollfd pf = { .fd = s, .events = POLLIN };

		poll(&pf, 1, 5000);
	}
	ioctl(s, FIONREAD, &q);
	check(q == 3, "FIONREAD counts the line", "%d", q);
	r = read(s, buf, 2);
	check(r == 2, "a short read takes part of the line", "%zd", r);
	r = read(s, buf, sizeof(buf));
	check(r == 1 && buf[0] == '\n', "the rest of the line", "%zd", r);
	close(s);
	close(m);
}

static void test_slave_close(void)
{
	struct pollfd p;
	char buf[64];
	int m, s;

	m = pty_pair(&s, O_RDWR | O_NOCTTY);
	CHECK_OK(write(s, "bye", 3), "slave writes before closing");
	close(s);
	pty_drain(m, buf, 4);
	check(strcmp(buf, "bye") == 0, "data written before the close is read", "'%s'", buf);
	p.fd = m;
	p.events = POLLIN | POLLOUT;
	check(poll(&p, 1, 0) == 1 && (p.revents & POLLHUP) && !(p.revents & POLLIN), "POLLHUP",
	      "%#x", p.revents);
	CHECK_ERR(read(m, buf, sizeof(buf)), EIO, "master read: EIO");
	CHECK_OK(write(m, "x", 1), "master write still goes in");
	s = open(ptsname(m), O_RDWR | O_NOCTTY);
	CHECK_OK(s, "slave reopened");
	p.revents = 0;
	poll(&p, 1, 0);
	check(!(p.revents & POLLHUP), "no POLLHUP once reopened", "%#x", p.revents);
	close(s);
	close(m);
}

static void test_master_close(void)
{
	struct termios t;
	struct pollfd p;
	char name[64], buf[8];
	int m, s;

	m = pty_pair(&s, O_RDWR | O_NOCTTY);
	snprintf(name, sizeof(name), "%s", ptsname(m));
	CHECK_OK(write(m, "pending\n", 8), "input pending");
	close(m);
	check(read(s, buf, sizeof(buf)) == 0, "slave read: 0 after hangup", "%s", strerror(errno));
	CHECK_ERR(write(s, "x", 1), EIO, "slave write: EIO");
	CHECK_ERR(tcgetattr(s, &t), EIO, "slave ioctl: EIO");
	p.fd = s;
	p.events = POLLIN | POLLOUT;
	check(poll(&p, 1, 0) == 1 && (p.revents & (POLLHUP | POLLERR | POLLIN | POLLOUT)) ==
	      (POLLHUP | POLLERR | POLLIN | POLLOUT), "slave poll: everything", "%#x", p.revents);
	CHECK_ERR(open(name, O_RDWR | O_NOCTTY), ENOENT, "the node is gone");
	close(s);
}

int main(void)
{
	t_start();
	check(pty_setup() == 0, "devpts on /dev/pts", "%s", strerror(errno));
	test_open();
	test_lines();
	test_slave_close();
	test_master_close();
	return t_done();
}
