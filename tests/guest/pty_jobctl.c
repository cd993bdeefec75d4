/*
 * pty_jobctl.c - job control on a pty, as a shell does it: a session
 * leader takes the slave as its controlling terminal, puts jobs in
 * process groups and moves the foreground (tcsetpgrp).  Background
 * reads stop with SIGTTIN (EIO when ignored), background writes with
 * SIGTTOU under TOSTOP, background termios changes always; ^C, ^Z and
 * ^\ typed on the master signal the foreground group; TIOCNOTTY hangs
 * it up.  The session runs in a child; the parent only waits for it.
 */
#include "pty.h"

static int m, s;

/* Forks a job in its own process group running fn; returns its pid. */
static pid_t job(void (*fn)(void), bool foreground)
{
	pid_t pid = fork();

	if (pid == 0) {
		setpgid(0, 0);
		signal(SIGTTOU, SIG_DFL);
		signal(SIGTTIN, SIG_DFL);
		fn();
		_exit(0);
	}
	setpgid(pid, pid);
	if (foreground)
		tcsetpgrp(s, pid);
	return pid;
}

static int wait_status(pid_t pid)
{
	int st = -1;

	waitpid(pid, &st, WUNTRACED);
	return st;
}

static void do_read(void)
{
	char c;

	_exit(read(s, &c, 1) < 0 ? errno : 0);
}

static void do_read_ign(void)
{
	signal(SIGTTIN, SIG_IGN);
	do_read();
}

static void do_write(void)
{
	_exit(write(s, "bg\n", 3) == 3 ? 0 : errno);
}

static void do_setattr(void)
{
	struct termios t;

	tcgetattr(s, &t);
	_exit(tcsetattr(s, TCSANOW, &t) < 0 ? errno : 0);
}

static void do_take_fg(void)
{
	signal(SIGTTOU, SIG_IGN);
	_exit(tcsetpgrp(s, getpid()) < 0 ? errno : 0);
}

static int ready[2];

static void on_sig(int sig)
{
	_exit(100 + sig);
}

/* A foreground job that waits for a signal, with handlers for the ISIG ones. */
static void do_wait_sig(void)
{
	signal(SIGINT, on_sig);
	signal(SIGQUIT, on_sig);
	signal(SIGHUP, on_sig);
	if (write(ready[1], "r", 1) != 1)
		_exit(2);
	for (;;)
		pause();
}

static void do_wait_stop(void)
{
	if (write(ready[1], "r", 1) != 1)
		_exit(2);
	for (;;)
		pause();
}

/* Starts a foreground job, waits until it is ready, types c on the master. */
static pid_t type_at(void (*fn)(void), const char *c)
{
	pid_t pid = job(fn, true);
	char r;

	if (read(ready[0], &r, 1) != 1)
		perror("read");
	if (c != NULL && write(m, c, 1) != 1)
		perror("write");
	return pid;
}

/* Runs a background job; a stopped one is killed and reaped. Its status. */
static int background(void (*fn)(void))
{
	pid_t pid = job(fn, false);
	int st = wait_status(pid);

	if (WIFSTOPPED(st)) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	return st;
}

static void test_background(void)
{
	struct termios t;
	int st;

	st = background(do_read);
	check(WIFSTOPPED(st) && WSTOPSIG(st) == SIGTTIN, "background read: SIGTTIN", "%#x", st);
	st = background(do_read_ign);
	check(WIFEXITED(st) && WEXITSTATUS(st) == EIO, "SIGTTIN ignored: EIO", "%#x", st);
	st = background(do_write);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "background write without TOSTOP", "%#x", st);
	tcgetattr(s, &t);
	t.c_lflag |= TOSTOP;
	tcsetattr(s, TCSANOW, &t);
	st = background(do_write);
	check(WIFSTOPPED(st) && WSTOPSIG(st) == SIGTTOU, "TOSTOP: SIGTTOU", "%#x", st);
	t.c_lflag &= ~TOSTOP;
	tcsetattr(s, TCSANOW, &t);
	st = background(do_setattr);
	check(WIFSTOPPED(st) && WSTOPSIG(st) == SIGTTOU, "background tcsetattr: SIGTTOU", "%#x", st);
	st = background(do_take_fg);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "SIGTTOU ignored: tcsetpgrp allowed", "%#x", st);
	check(tcgetpgrp(s) != getpid(), "the job took the foreground", "%d", tcgetpgrp(s));
	CHECK_OK(tcsetpgrp(s, getpid()), "the shell takes it back");
}

static void test_isig(void)
{
	int st;
	pid_t pid;

	st = wait_status(type_at(do_wait_sig, "\x03"));
	check(WIFEXITED(st) && WEXITSTATUS(st) == 100 + SIGINT, "^C: SIGINT", "%#x", st);
	st = wait_status(type_at(do_wait_sig, "\x1c"));
	check(WIFEXITED(st) && WEXITSTATUS(st) == 100 + SIGQUIT, "^\\: SIGQUIT", "%#x", st);
	pid = type_at(do_wait_stop, "\x1a");
	st = wait_status(pid);
	check(WIFSTOPPED(st) && WSTOPSIG(st) == SIGTSTP, "^Z: SIGTSTP stops it", "%#x", st);
	CHECK_OK(tcsetpgrp(s, getpid()), "the shell is foreground again");
	tcsetpgrp(s, pid);
	kill(-pid, SIGCONT);		/* fg */
	st = -1;
	waitpid(pid, &st, WCONTINUED);
	check(WIFCONTINUED(st), "fg: SIGCONT", "%#x", st);
	if (write(m, "\x03", 1) != 1)
		perror("write");
	st = wait_status(pid);
	check(WIFSIGNALED(st) && WTERMSIG(st) == SIGINT, "^C ends it", "%#x", st);
	CHECK_OK(tcsetpgrp(s, getpid()), "back to the shell");
}

static void test_errors(pid_t other_session)
{
	CHECK_ERR(tcsetpgrp(s, -1), EINVAL, "tcsetpgrp -1: EINVAL");
	CHECK_ERR(tcsetpgrp(s, 0x3ffffff0), ESRCH, "no such group: ESRCH");
	CHECK_ERR(tcsetpgrp(s, other_session), EPERM, "another session's group: EPERM");
}

static void test_notty(void)
{
	char name[64];
	int st, fd;
	pid_t pid;

	pid = type_at(do_wait_sig, NULL);
	CHECK_OK(ioctl(s, TIOCNOTTY), "TIOCNOTTY");
	st = wait_status(pid);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 100 + SIGHUP, "the foreground got SIGHUP",
	      "%#x", st);
	CHECK_ERR(tcgetpgrp(s), ENOTTY, "no controlling terminal now");
	CHECK_ERR(open("/dev/tty", O_RDWR), ENXIO, "/dev/tty: ENXIO");
	snprintf(name, sizeof(name), "%s", ptsname(m));
	fd = open(name, O_RDWR);
	CHECK_OK(fd, "reopen the slave");
	check(tcgetsid(fd) == getpid(), "an open without O_NOCTTY takes it again", "%d",
	      (int)tcgetsid(fd));
	close(fd);
}

static void session(pid_t other_session)
{
	char name[64];
	int fd;

	setsid();
	signal(SIGTTOU, SIG_IGN);
	snprintf(name, sizeof(name), "%s", ptsname(m));
	s = open(name, O_RDWR);
	CHECK_OK(s, "the session leader opens the slave");
	check(tcgetsid(s) == getpid(), "it is the controlling terminal (TIOCGSID)", "%d",
	      (int)tcgetsid(s));
	check(tcgetpgrp(s) == getpid(), "the leader's group is foreground", "%d", tcgetpgrp(s));
	CHECK_OK(ioctl(s, TIOCSCTTY, 0), "TIOCSCTTY on its own terminal");
	fd = open("/dev/tty", O_RDWR);
	CHECK_OK(fd, "/dev/tty");
	check(fd >= 0 && tcgetsid(fd) == getpid(), "/dev/tty is the same terminal", "");
	close(fd);
	check(tcgetpgrp(m) == getpid(), "TIOCGPGRP on the master answers for the slave", "%d",
	      tcgetpgrp(m));
	test_background();
}

int main(void)
{
	pid_t pid, other;
	int st = -1;

	t_start();
	check(pty_setup() == 0, "devpts on /dev/pts", "%s", strerror(errno));
	m = pty_pair(&s, -1);
	if (pipe(ready) < 0)
		return 1;
	other = fork();
	if (other == 0) {
		setsid();
		for (;;)
			pause();
	}
	pid = fork();
	if (pid == 0) {
		session(other);
		test_isig();
		test_errors(other);
		test_notty();
		_exit(t_failed != 0);
	}
	waitpid(pid, &st, 0);
	kill(other, SIGKILL);
	waitpid(other, NULL, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the session's checks passed", "%#x", st);
	return t_failed != 0;
}
