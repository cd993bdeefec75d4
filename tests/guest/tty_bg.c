/*
 * tty_bg.c - background process groups and their terminal (termios(3),
 * "Job control"): a background write goes through without TOSTOP and
 * stops the group with SIGTTOU under it, unless SIGTTOU is ignored or
 * blocked; tcsetattr and tcsetpgrp from the background stop it even
 * without TOSTOP (EIO-free when ignored); a background read stops it
 * with SIGTTIN, or fails with EIO when SIGTTIN is ignored; an orphaned
 * background group gets EIO instead of stopping.
 */
#include "pty.h"
#include <sched.h>

static int m, s;

/* Runs fn in a new background group of the session; how it ended. */
static int in_background(int (*fn)(void), bool orphan)
{
	int st = -1;
	pid_t pid = fork();

	if (pid == 0) {
		setpgid(0, 0);
		if (orphan) {	/* a grandchild whose parent left: an orphaned group */
			pid_t mid = getpid();

			if (fork() != 0)
				_exit(0);
			while (getppid() == mid)
				sched_yield();
			_exit(fn());
		}
		_exit(fn());
	}
	setpgid(pid, pid);
	if (orphan) {
		waitpid(pid, &st, 0);
		return -1;
	}
	waitpid(pid, &st, WUNTRACED);
	if (WIFSTOPPED(st)) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return 1000 + WSTOPSIG(st);
	}
	return WIFEXITED(st) ? WEXITSTATUS(st) : 2000 + WTERMSIG(st);
}

static int bg_write(void)
{
	return write(s, "x", 1) == 1 ? 0 : 100 + errno;
}

static int bg_write_ign(void)
{
	signal(SIGTTOU, SIG_IGN);
	return bg_write();
}

static int bg_write_blocked(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTTOU);
	sigprocmask(SIG_BLOCK, &set, NULL);
	return bg_write();
}

static int bg_tcsetattr(void)
{
	struct termios t;

	tcgetattr(s, &t);
	return tcsetattr(s, TCSANOW, &t) == 0 ? 0 : 100 + errno;
}

static int bg_tcsetattr_ign(void)
{
	signal(SIGTTOU, SIG_IGN);
	return bg_tcsetattr();
}

static int bg_tcsetpgrp(void)
{
	return tcsetpgrp(s, getpgrp()) == 0 ? 0 : 100 + errno;
}

static int bg_read(void)
{
	char c;

	return read(s, &c, 1) >= 0 ? 0 : 100 + errno;
}

static int bg_read_ign(void)
{
	signal(SIGTTIN, SIG_IGN);
	return bg_read();
}

static int orphan_report[2];

static int bg_read_orphan(void)
{
	char c, r = (char)(read(s, &c, 1) < 0 ? errno : 0);

	write(orphan_report[1], &r, 1);
	return 0;
}

static int bg_write_orphan(void)
{
	char r = (char)(write(s, "o", 1) < 0 ? errno : 0);

	write(orphan_report[1], &r, 1);
	return 0;
}

static void tostop(bool on)
{
	struct termios t;

	tcgetattr(s, &t);
	if (on)
		t.c_lflag |= TOSTOP;
	else
		t.c_lflag &= ~TOSTOP;
	tcsetattr(s, TCSANOW, &t);
}

static int session(void)
{
	char buf[64], r;
	int v;

	if (pty_take_ctty(s) < 0)
		return 99;
	tostop(false);
	v = in_background(bg_write, false);
	check(v == 0, "a background write without TOSTOP goes through", "%d", v);
	pty_drain(m, buf, sizeof(buf));
	tostop(true);
	v = in_background(bg_write, false);
	check(v == 1000 + SIGTTOU, "with TOSTOP it stops the group (SIGTTOU)", "%d", v);
	v = in_background(bg_write_ign, false);
	check(v == 0, "unless SIGTTOU is ignored", "%d", v);
	v = in_background(bg_write_blocked, false);
	check(v == 0, "or blocked", "%d", v);
	pty_drain(m, buf, sizeof(buf));
	tostop(false);
	v = in_background(bg_tcsetattr, false);
	check(v == 1000 + SIGTTOU, "a background tcsetattr stops it even without TOSTOP", "%d", v);
	v = in_background(bg_tcsetattr_ign, false);
	check(v == 0, "and succeeds with SIGTTOU ignored", "%d", v);
	v = in_background(bg_tcsetpgrp, false);
	check(v == 1000 + SIGTTOU, "a background tcsetpgrp stops it", "%d", v);
	check(tcgetpgrp(s) == getpgrp(), "and did not change the foreground", "%d", tcgetpgrp(s));
	v = in_background(bg_read, false);
	check(v == 1000 + SIGTTIN, "a background read stops it (SIGTTIN)", "%d", v);
	v = in_background(bg_read_ign, false);
	check(v == 100 + EIO, "with SIGTTIN ignored it fails with EIO", "%d", v);
	pipe(orphan_report);
	in_background(bg_read_orphan, true);
	r = 0;
	read(orphan_report[0], &r, 1);
	check(r == EIO, "an orphaned group's read: EIO", "%d", r);
	tostop(true);
	in_background(bg_write_orphan, true);
	r = 0;
	read(orphan_report[0], &r, 1);
	check(r == EIO, "an orphaned group's write under TOSTOP: EIO", "%d", r);
	return t_failed;
}

int main(void)
{
	t_start();
	pty_open_ctty_pair(&m, &s);
	pty_in_child(session, "the session's checks");
	return t_done();
}
