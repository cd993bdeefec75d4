/*
 * waitid_pgid: waiting by process group: waitid(P_PGID) for a named
 * group and for the caller's own (id 0), wait4(0) and wait4(-pgid), which
 * see only the group's children; a child that moves to another group
 * leaves the caller's; ECHILD for a group with no children of ours,
 * EINVAL for a negative id; WNOWAIT with WSTOPPED leaves the stop to
 * report again, and WEXITED|WSTOPPED reports whichever happens.
 */
#include "t.h"
#include <signal.h>
#include <sys/wait.h>

/* A child in process group pgid (0: a group of its own) that waits on a
 * pipe, then exits with code. */
static pid_t child(pid_t pgid, int fd, int code)
{
	pid_t pid = fork();
	char c;

	if (pid == 0) {
		if (pgid >= 0)
			setpgid(0, pgid);
		read(fd, &c, 1);
		_exit(code);
	}
	if (pgid >= 0)
		setpgid(pid, pgid);	/* both sides, so either order works */
	return pid;
}

int main(void)
{
	int go[2], st;
	pid_t a, b, c, r;
	siginfo_t si;

	t_start();
	setpgid(0, 0);			/* our own group, as a shell would */
	pipe(go);
	a = child(0, go[0], 1);		/* group a */
	b = child(a, go[0], 2);		/* joins group a */
	c = child(-1, go[0], 3);		/* stays in ours */
	CHECK_ERR(waitid(P_PGID, (id_t)getpid() + 100000, &si, WEXITED | WNOHANG), ECHILD,
		  "P_PGID of a group with none of our children");
	CHECK_ERR(waitid(P_PGID, (id_t)-5, &si, WEXITED), EINVAL, "P_PGID negative");
	memset(&si, 0xff, sizeof(si));
	CHECK_OK(waitid(P_PGID, (id_t)a, &si, WEXITED | WNOHANG), "P_PGID WNOHANG, none exited");
	check(si.si_pid == 0, "nothing reported yet", "%d", si.si_pid);
	write(go[1], "xxx", 3);
	memset(&si, 0, sizeof(si));
	CHECK_OK(waitid(P_PGID, 0, &si, WEXITED), "P_PGID 0: our own group");
	check(si.si_pid == c && si.si_status == 3, "finds the child still in our group",
	      "pid %s status %d", si.si_pid == a ? "a" : si.si_pid == b ? "b" : "?", si.si_status);
	CHECK_ERR(waitpid(0, &st, 0), ECHILD, "wait4(0): none left in our group");
	memset(&si, 0, sizeof(si));
	CHECK_OK(waitid(P_PGID, (id_t)a, &si, WEXITED | WNOWAIT), "P_PGID a WNOWAIT");
	r = si.si_pid;
	check(r == a || r == b, "a child of group a", "%d", r);
	r = waitpid(-a, &st, 0);
	check((r == a || r == b) && WIFEXITED(st) && WEXITSTATUS(st) == (r == a ? 1 : 2),
	      "wait4(-pgid) reaps one", "%d %#x", r, st);
	r = waitpid(-a, &st, 0);
	check((r == a || r == b) && WEXITSTATUS(st) == (r == a ? 1 : 2), "and the other", "%d", r);
	CHECK_ERR(waitpid(-a, &st, WNOHANG), ECHILD, "group a has no children left");

	/* Stops: WNOWAIT leaves the report; WEXITED|WSTOPPED takes it. */
	a = fork();
	if (a == 0) {
		setpgid(0, 0);
		for (;;)
			pause();
	}
	setpgid(a, a);
	kill(a, SIGSTOP);
	memset(&si, 0, sizeof(si));
	CHECK_OK(waitid(P_PGID, (id_t)a, &si, WSTOPPED | WNOWAIT), "WSTOPPED|WNOWAIT");
	check(si.si_code == CLD_STOPPED && si.si_status == SIGSTOP, "CLD_STOPPED", "%d %d",
	      si.si_code, si.si_status);
	memset(&si, 0, sizeof(si));
	CHECK_OK(waitid(P_PGID, (id_t)a, &si, WSTOPPED | WNOHANG), "the stop is still there");
	check(si.si_pid == a && si.si_code == CLD_STOPPED, "reported again", "%d", si.si_pid);
	memset(&si, 0, sizeof(si));
	CHECK_OK(waitid(P_PGID, (id_t)a, &si, WSTOPPED | WNOHANG), "then taken");
	check(si.si_pid == 0, "and gone", "%d", si.si_pid);
	kill(a, SIGKILL);
	memset(&si, 0, sizeof(si));
	CHECK_OK(waitid(P_PGID, (id_t)a, &si, WEXITED | WSTOPPED), "WEXITED|WSTOPPED");
	check(si.si_code == CLD_KILLED && si.si_status == SIGKILL, "CLD_KILLED by SIGKILL",
	      "%d %d", si.si_code, si.si_status);

	/* A child that changes group after fork leaves ours. */
	a = fork();
	if (a == 0) {
		char ch;

		setpgid(0, 0);
		read(go[0], &ch, 1);
		_exit(4);
	}
	setpgid(a, a);
	write(go[1], "x", 1);
	CHECK_ERR(waitpid(0, &st, 0), ECHILD, "a child in another group is not wait4(0)'s");
	check(waitpid(-1, &st, 0) == a && WEXITSTATUS(st) == 4, "wait4(-1) reaps it", "%#x", st);
	return t_done();
}
