/*
 * tty_pgrp.c - a terminal's foreground process group and session:
 * TIOCGPGRP/TIOCSPGRP and TIOCGSID on the controlling terminal, through
 * the slave and the master (which act on the slave), and their errors:
 * EINVAL for a negative group, ESRCH for one that does not exist, EPERM
 * for a group of another session, ENOTTY on a terminal that is not the
 * caller's, EFAULT for bad pointers; the group stays after its leader
 * exits while a member lives.
 */
#include "pty.h"

static int m, s;

static int session(void)
{
	pid_t pg, sid, other, outsider;
	int r, p[2];

	if (pty_take_ctty(s) < 0)
		return 10;
	check(ioctl(s, TIOCGPGRP, &pg) == 0 && pg == getpid(), "the leader's group is foreground",
	      "pg %d errno %d", pg, errno);
	check(ioctl(m, TIOCGPGRP, &pg) == 0 && pg == getpid(), "the master reports the slave's group",
	      "pg %d", pg);
	check(ioctl(s, TIOCGSID, &sid) == 0 && sid == getpid(), "TIOCGSID is the session", "sid %d", sid);
	check(ioctl(m, TIOCGSID, &sid) == 0 && sid == getpid(), "TIOCGSID through the master", "sid %d", sid);
	pg = -5;
	CHECK_ERR(ioctl(s, TIOCSPGRP, &pg), EINVAL, "a negative group: EINVAL");
	pg = 999999;
	CHECK_ERR(ioctl(s, TIOCSPGRP, &pg), ESRCH, "a group that does not exist: ESRCH");
	CHECK_ERR(ioctl(s, TIOCSPGRP, (void *)8), EFAULT, "TIOCSPGRP bad pointer: EFAULT");
	CHECK_ERR(ioctl(s, TIOCGPGRP, (void *)8), EFAULT, "TIOCGPGRP bad pointer: EFAULT");
	CHECK_ERR(ioctl(s, TIOCGSID, (void *)8), EFAULT, "TIOCGSID bad pointer: EFAULT");
	/* A process in a session of its own: its group is not ours. */
	pipe(p);
	outsider = fork();
	if (outsider == 0) {
		setsid();
		write(p[1], "x", 1);
		pause();	/* until killed */
		_exit(0);
	}
	{
		char c;

		read(p[0], &c, 1);
	}
	CHECK_ERR(ioctl(s, TIOCSPGRP, &outsider), EPERM, "a group of another session: EPERM");
	/* A new group of ours becomes foreground, and stays while a member lives. */
	other = fork();
	if (other == 0) {
		setpgid(0, 0);
		pause();
		_exit(0);
	}
	setpgid(other, other);
	r = ioctl(s, TIOCSPGRP, &other);
	check(r == 0 && tcgetpgrp(s) == other, "TIOCSPGRP to a group of the session", "r %d errno %d", r, errno);
	check(tcgetpgrp(m) == other, "the master sees the new foreground", "%d", tcgetpgrp(m));
	signal(SIGTTOU, SIG_IGN);
	pg = getpgrp();
	check(ioctl(m, TIOCSPGRP, &pg) == 0 && tcgetpgrp(s) == getpgrp(), "TIOCSPGRP through the master",
	      "errno %d", errno);
	kill(other, SIGKILL);
	kill(outsider, SIGKILL);
	waitpid(other, NULL, 0);
	waitpid(outsider, NULL, 0);
	pg = other;
	CHECK_ERR(ioctl(s, TIOCSPGRP, &pg), ESRCH, "the group is gone with its last member: ESRCH");
	return t_failed;
}

/* Not the caller's terminal: ENOTTY for the job control ioctls. */
static int stranger(void)
{
	pid_t pg = getpgrp(), sid;

	setsid();
	CHECK_ERR(ioctl(s, TIOCGSID, &sid), ENOTTY, "TIOCGSID on a terminal with no session: ENOTTY");
	CHECK_ERR(ioctl(s, TIOCSPGRP, &pg), ENOTTY, "TIOCSPGRP on a terminal not ours: ENOTTY");
	CHECK_ERR(ioctl(s, TIOCGPGRP, &pg), ENOTTY, "TIOCGPGRP on a terminal not ours: ENOTTY");
	return t_failed;
}

int main(void)
{
	t_start();
	pty_open_ctty_pair(&m, &s);
	pty_in_child(stranger, "the stranger's checks");
	pty_in_child(session, "the session's checks");
	return t_done();
}
