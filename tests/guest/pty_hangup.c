/*
 * pty_hangup.c - hangups: the master's close sends the slave's session
 * leader SIGHUP then SIGCONT and leaves the slave hung up; a session
 * leader's exit sends its terminal's foreground group SIGHUP and the
 * session loses the terminal.
 */
#include "pty.h"

static int report[2];

static void note(int sig)
{
	char c = sig == SIGHUP ? 'H' : sig == SIGCONT ? 'C' : '?';

	if (write(report[1], &c, 1) != 1)
		_exit(3);
}

static void leader(int m)
{
	char name[64], c;
	int s;

	snprintf(name, sizeof(name), "%s", ptsname(m));
	close(m);			/* only the parent holds the master */
	setsid();
	signal(SIGHUP, note);
	signal(SIGCONT, note);
	s = open(name, O_RDWR);
	if (s < 0 || write(report[1], "R", 1) != 1)
		_exit(2);
	while (read(s, &c, 1) != 0)	/* until the hangup's end of file */
		;
	_exit(write(s, "x", 1) < 0 && errno == EIO ? 0 : 4);
}

static void test_master_close(void)
{
	char buf[8] = "";
	int m, s, st = -1;
	pid_t pid;

	m = pty_pair(&s, -1);
	pid = fork();
	if (pid == 0)
		leader(m);
	check(read(report[0], buf, 1) == 1 && buf[0] == 'R', "leader on the slave", "'%s'", buf);
	close(m);
	memset(buf, 0, sizeof(buf));
	check(read(report[0], buf, 2) >= 1, "a signal came", "");
	if (strlen(buf) == 1 && read(report[0], buf + 1, 1) != 1)
		buf[1] = '?';
	/* Linux runs the SIGCONT handler first; the order is not the ABI. */
	check(strcmp(buf, "HC") == 0 || strcmp(buf, "CH") == 0, "SIGHUP and SIGCONT", "'%s'", buf);
	waitpid(pid, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "it read end of file, then EIO", "%#x", st);
}

/* The foreground member: reports SIGHUP and whether the terminal is still its own. */
static void member(int s, int up)
{
	sigset_t hup, old;

	signal(SIGHUP, note);
	sigemptyset(&hup);
	sigaddset(&hup, SIGHUP);
	sigprocmask(SIG_BLOCK, &hup, &old);	/* no SIGHUP lost before the wait */
	if (write(up, "R", 1) != 1)
		_exit(2);
	sigsuspend(&old);
	if (write(report[1], tcgetpgrp(s) < 0 && errno == ENOTTY ? "O" : "X", 1) != 1)
		_exit(2);
	_exit(0);
}

static void test_leader_exit(void)
{
	char buf[4] = "";
	int m, s, pfd[2], up[2], st = -1;
	pid_t pid, mem = 0;

	m = pty_pair(&s, -1);
	if (pipe(pfd) < 0 || pipe(up) < 0)
		return;
	pid = fork();
	if (pid == 0) {
		setsid();
		s = open(ptsname(m), O_RDWR);
		mem = fork();
		if (mem == 0)
			member(s, up[1]);
		/* The leader exits only once the member handles SIGHUP. */
		if (read(up[0], buf, 1) != 1 || write(pfd[1], &mem, sizeof(mem)) != sizeof(mem))
			_exit(2);
		_exit(0);
	}
	check(read(pfd[0], &mem, sizeof(mem)) == sizeof(mem), "member started", "%s", strerror(errno));
	waitpid(pid, &st, 0);
	check(read(report[0], buf, 1) == 1 && buf[0] == 'H', "the leader's exit: SIGHUP", "'%s'", buf);
	check(read(report[0], buf, 1) == 1 && buf[0] == 'O', "the session lost its terminal",
	      "'%s'", buf);
	close(m);
}

int main(void)
{
	t_start();
	check(pty_setup() == 0, "devpts on /dev/pts", "%s", strerror(errno));
	if (pipe(report) < 0)
		return 1;
	test_master_close();
	test_leader_exit();
	return t_done();
}
