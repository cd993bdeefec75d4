/*
 * tty_errors.c - the errors of the terminal ioctls: ENOTTY on files that
 * are not terminals and for job control on a terminal that is not the
 * caller's, EPERM from TIOCSCTTY for a non-leader, for a leader that has
 * a terminal and for a terminal another session holds, ENXIO from
 * /dev/tty without one, EFAULT for bad pointers, EINVAL for bad
 * arguments, and the pty master ioctls refused on a slave; TIOCGPTPEER.
 */
#include "pty.h"

static int m, s;

/* Runs fn in a child and returns its exit status (fn returns an errno). */
static int in_child(int (*fn)(void))
{
	int st = -1;
	pid_t pid = fork();

	if (pid == 0)
		_exit(fn());
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 255;
}

static int sctty_not_leader(void)
{
	setpgid(0, 0);			/* a group leader, not a session leader */
	return ioctl(s, TIOCSCTTY, 0) < 0 ? errno : 0;
}

static int devtty_none(void)
{
	setsid();
	return open("/dev/tty", O_RDWR) < 0 ? errno : 0;
}

static int sctty_has_one(void)
{
	int m2, s2;

	setsid();
	m2 = pty_pair(&s2, O_RDWR);	/* without O_NOCTTY: its terminal now */
	if (tcgetsid(s2) != getpid())
		return 200;
	(void)m2;
	return ioctl(s, TIOCSCTTY, 0) < 0 ? errno : 0;
}

static int ready[2], done[2];

/* Holds s as its session's terminal until told to go. */
static void holder(void)
{
	char c;

	setsid();
	if (ioctl(s, TIOCSCTTY, 0) < 0 || write(ready[1], "r", 1) != 1)
		_exit(1);
	if (read(done[0], &c, 1) < 0)
		_exit(1);
	_exit(0);
}

static int sctty_taken(void)
{
	setsid();
	return ioctl(s, TIOCSCTTY, 0) < 0 ? errno : 0;
}

static void test_not_a_tty(void)
{
	struct termios t;
	struct winsize ws;
	int p[2], fd;

	if (pipe(p) < 0)
		return;
	CHECK_ERR(tcgetattr(p[0], &t), ENOTTY, "TCGETS on a pipe: ENOTTY");
	CHECK_ERR(ioctl(p[1], TIOCGWINSZ, &ws), ENOTTY, "TIOCGWINSZ on a pipe: ENOTTY");
	fd = open("/dev/null", O_RDWR);
	CHECK_ERR(tcgetattr(fd, &t), ENOTTY, "TCGETS on /dev/null: ENOTTY");
	CHECK_ERR(tcgetpgrp(fd), ENOTTY, "tcgetpgrp on /dev/null: ENOTTY");
	check(!isatty(fd) && errno == ENOTTY, "isatty(/dev/null)", "%d", errno);
	CHECK_ERR(tcgetattr(99, &t), EBADF, "TCGETS on a closed fd: EBADF");
	close(fd);
	close(p[0]);
	close(p[1]);
}

static void test_not_mine(void)
{
	CHECK_ERR(tcgetpgrp(s), ENOTTY, "tcgetpgrp, not my terminal: ENOTTY");
	CHECK_ERR(tcgetsid(s), ENOTTY, "tcgetsid, not my terminal: ENOTTY");
	CHECK_ERR(tcsetpgrp(s, getpgrp()), ENOTTY, "tcsetpgrp, not my terminal: ENOTTY");
	CHECK_ERR(ioctl(s, TIOCNOTTY), ENOTTY, "TIOCNOTTY, not my terminal: ENOTTY");
	check(in_child(sctty_not_leader) == EPERM, "TIOCSCTTY, not a session leader: EPERM", "%s", "");
	check(in_child(devtty_none) == ENXIO, "/dev/tty without a terminal: ENXIO", "%s", "");
	check(in_child(sctty_has_one) == EPERM, "TIOCSCTTY, a leader with one: EPERM", "%s", "");
}

static void test_taken(void)
{
	pid_t pid;
	char c;
	int st;

	if (pipe(ready) < 0 || pipe(done) < 0)
		return;
	pid = fork();
	if (pid == 0)
		holder();
	check(read(ready[0], &c, 1) == 1, "another session holds the slave", "%s", "");
	check(in_child(sctty_taken) == EPERM, "TIOCSCTTY, another session's: EPERM", "%s", "");
	if (write(done[1], "d", 1) != 1)
		perror("write");
	waitpid(pid, &st, 0);
	check(in_child(sctty_taken) == 0, "free again once that session ended", "%s", "");
}

static void test_args(void)
{
	int v;

	CHECK_ERR(ioctl(s, TCGETS, NULL), EFAULT, "TCGETS NULL: EFAULT");
	CHECK_ERR(ioctl(s, TCSETS, (void *)16), EFAULT, "TCSETS bad pointer: EFAULT");
	CHECK_ERR(ioctl(s, FIONREAD, NULL), EFAULT, "FIONREAD NULL: EFAULT");
	CHECK_ERR(ioctl(m, TIOCSPTLCK, NULL), EFAULT, "TIOCSPTLCK NULL: EFAULT");
	CHECK_ERR(ioctl(s, TCFLSH, 3), EINVAL, "TCFLSH 3: EINVAL");
	CHECK_ERR(ioctl(s, TCXONC, 4), EINVAL, "TCXONC 4: EINVAL");
	CHECK_ERR(ioctl(s, TIOCGPTN, &v), ENOTTY, "TIOCGPTN on a slave: ENOTTY");
	CHECK_ERR(ioctl(s, TIOCSPTLCK, &v), ENOTTY, "TIOCSPTLCK on a slave: ENOTTY");
	CHECK_ERR(ioctl(m, TIOCSIG, 0), EINVAL, "TIOCSIG 0: EINVAL");
	CHECK_ERR(ioctl(s, 0x54ff, 0), ENOTTY, "an unknown ioctl: ENOTTY");
	v = -1;
	CHECK_OK(ioctl(s, TIOCGETD, &v), "TIOCGETD");
	check(v == 0, "the line discipline is N_TTY", "%d", v);
	CHECK_OK(ioctl(s, TIOCEXCL), "TIOCEXCL");
	v = -1;
	CHECK_OK(ioctl(s, TIOCGEXCL, &v), "TIOCGEXCL");
	check(v == 1, "exclusive", "%d", v);
	CHECK_OK(ioctl(s, TIOCNXCL), "TIOCNXCL");
	ioctl(s, TIOCGEXCL, &v);
	check(v == 0, "not exclusive", "%d", v);
	CHECK_OK(tcsendbreak(s, 0), "TCSBRK");
	CHECK_OK(tcdrain(s), "tcdrain");
	v = -1;
	CHECK_OK(ioctl(s, TIOCOUTQ, &v), "TIOCOUTQ");
	check(v == 0, "nothing queued for output", "%d", v);
}

static void test_peer(void)
{
	char c = 0;
	int p, fl;

	p = ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	CHECK_OK(p, "TIOCGPTPEER");
	check(p >= 0 && strcmp(ttyname(p), ptsname(m)) == 0, "it is the slave", "%s", ttyname(p));
	fl = fcntl(p, F_GETFD);
	check(fl == FD_CLOEXEC, "with O_CLOEXEC", "%d", fl);
	if (write(p, "p", 1) != 1)
		perror("write");
	check(read(m, &c, 1) == 1 && c == 'p', "and talks to the master", "%c", c);
	close(p);
	fl = 1;
	ioctl(m, TIOCSPTLCK, &fl);
	CHECK_ERR(ioctl(m, TIOCGPTPEER, O_RDWR), EIO, "TIOCGPTPEER locked: EIO");
	fl = 0;
	ioctl(m, TIOCSPTLCK, &fl);
	fl = fcntl(m, F_GETFL);
	fcntl(m, F_SETFL, fl | O_NONBLOCK);
	CHECK_ERR(read(m, &c, 1), EAGAIN, "empty master, O_NONBLOCK: EAGAIN");
	fcntl(m, F_SETFL, fl);
}

int main(void)
{
	t_start();
	check(pty_setup() == 0, "devpts on /dev/pts", "%s", strerror(errno));
	m = pty_pair(&s, O_RDWR | O_NOCTTY);
	test_not_a_tty();
	test_not_mine();
	test_taken();
	test_args();
	test_peer();
	return t_done();
}
