/*
 * tty_sctty.c - TIOCSCTTY's steal rules (tty_ioctl(4)): a terminal
 * another session holds is taken only with arg 1 by a privileged caller
 * (EPERM with arg 0), and the old session then has no terminal
 * (/dev/tty: ENXIO, TIOCGSID: ENOTTY); a leader asking again for its own
 * terminal succeeds; a terminal whose session ended is free to take
 * with arg 0; opening a terminal without O_NOCTTY makes it the leader's
 * only when it has none.
 */
#include "pty.h"

static int m, s;
static int ready[2], go[2], back[2];

/* Holds s, waits for "go", then reports what it has left. */
static void holder(void)
{
	char c, r;
	pid_t sid;

	setsid();
	if (ioctl(s, TIOCSCTTY, 0) < 0)
		_exit(1);
	write(ready[1], "r", 1);
	read(go[0], &c, 1);
	r = (char)(open("/dev/tty", O_RDWR) < 0 && errno == ENXIO);
	r |= (char)((ioctl(s, TIOCGSID, &sid) < 0 && errno == ENOTTY) << 1);
	write(back[1], &r, 1);
	_exit(0);
}

static int thief(void)
{
	pid_t sid;
	int fd, m2, s2;

	setsid();
	CHECK_ERR(ioctl(s, TIOCSCTTY, 0), EPERM, "arg 0 does not steal: EPERM");
	check(ioctl(s, TIOCSCTTY, 1) == 0, "arg 1 by root steals it", "errno %d", errno);
	check(ioctl(s, TIOCGSID, &sid) == 0 && sid == getpid(), "the terminal is the thief's session",
	      "sid %d", sid);
	check(tcgetpgrp(s) == getpgrp(), "its foreground is the thief's group", "%d", tcgetpgrp(s));
	check(ioctl(s, TIOCSCTTY, 0) == 0, "asking again for its own terminal succeeds", "errno %d", errno);
	fd = open("/dev/tty", O_RDWR);
	check(fd >= 0, "/dev/tty opens for the thief", "errno %d", errno);
	close(fd);
	/* A second terminal opened without O_NOCTTY does not replace the first. */
	signal(SIGHUP, SIG_IGN);
	m2 = pty_pair(&s2, O_RDWR);
	check(tcgetsid(s2) < 0 && tcgetsid(s) == getpid(), "a second open does not change the terminal",
	      "sid2 %d", tcgetsid(s2));
	close(s2);
	close(m2);
	return t_failed;
}

static int after_exit(void)
{
	pid_t sid;

	setsid();
	check(ioctl(s, TIOCSCTTY, 0) == 0, "a terminal whose session ended is free (arg 0)", "errno %d", errno);
	check(ioctl(s, TIOCGSID, &sid) == 0 && sid == getpid(), "and is ours", "sid %d", sid);
	return t_failed;
}

static int open_takes(void)
{
	int m2, s2;

	setsid();
	signal(SIGHUP, SIG_IGN);	/* the master's close hangs our terminal up */
	m2 = pty_pair(&s2, O_RDWR);
	check(tcgetsid(s2) == getpid(), "an open without O_NOCTTY by a leader with none takes it",
	      "sid %d errno %d", tcgetsid(s2), errno);
	close(s2);
	close(m2);
	m2 = pty_pair(&s2, O_RDWR | O_NOCTTY);
	check(tcgetsid(s2) < 0, "with O_NOCTTY it does not", "sid %d", tcgetsid(s2));
	return t_failed;
}

static int in_child(int (*fn)(void))
{
	int st = -1;
	pid_t pid = fork();

	if (pid == 0)
		_exit(fn());
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 255;
}

int main(void)
{
	pid_t h;
	char c = 0;
	int st;

	t_start();
	if (pty_setup() < 0)
		printf("# devpts: %s\n", strerror(errno));
	if (geteuid() != 0) {
		skip("TIOCSCTTY steal", "needs root (CAP_SYS_ADMIN)");
		return t_done();
	}
	m = pty_pair(&s, O_RDWR | O_NOCTTY);
	pipe(ready);
	pipe(go);
	pipe(back);
	h = fork();
	if (h == 0)
		holder();
	read(ready[0], &c, 1);
	check(in_child(thief) == 0, "the thief's checks", "failed");
	write(go[1], "g", 1);
	c = 0;
	read(back[0], &c, 1);
	check(c & 1, "the robbed session's /dev/tty: ENXIO", "%d", c);
	check(c & 2, "and TIOCGSID on its old terminal: ENOTTY", "%d", c);
	waitpid(h, &st, 0);
	check(in_child(after_exit) == 0, "the free terminal's checks", "failed");
	check(in_child(open_takes) == 0, "the open's checks", "failed");
	return t_done();
}
