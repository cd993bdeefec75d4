/*
 * pgrp_orphan.c - the orphaned process group rule at exit (POSIX
 * 3.2.2.2): when a process's exit leaves a process group orphaned (no
 * member has a parent in another group of the same session) while a
 * member is stopped, the group gets SIGHUP then SIGCONT (si_code
 * SI_KERNEL).  Both groups Linux checks: the exiting process's children's
 * groups and its own.  And where the rule must not fire: the group is not
 * stopped, another member still links it to the session, SIGHUP ignored.
 *
 * Each scenario runs in a session of its own (S, a child of main, which
 * is a child subreaper natively and init inside ./linux: either way the
 * orphans' new parent is outside the session).  The watched process Y
 * reports on a pipe what it received, then exits 3 once it runs again.
 */
#include "t.h"
#include <poll.h>
#include <stdbool.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>

enum { R_PID, R_SIG, R_RESUMED };

struct rec {
	int kind, a, b;
};

static int report = -1;

static void put(int kind, int a, int b)
{
	struct rec r = { kind, a, b };

	if (write(report, &r, sizeof(r)) != sizeof(r))
		_exit(20);
}

static void on_sig(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	put(R_SIG, sig, si->si_code);
}

enum hup { HUP_HANDLED, HUP_DEFAULT, HUP_IGNORED };

/* Y: its handlers, then it stops (or, with stop false, waits on go). */
static void watched(enum hup hup, bool stop, int go)
{
	struct sigaction sa;
	char c;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sig;
	sa.sa_flags = SA_SIGINFO;
	sigfillset(&sa.sa_mask);
	sigaction(SIGCONT, &sa, NULL);
	if (hup == HUP_HANDLED)
		sigaction(SIGHUP, &sa, NULL);
	else
		signal(SIGHUP, hup == HUP_IGNORED ? SIG_IGN : SIG_DFL);
	put(R_PID, getpid(), 0);
	if (stop)
		raise(SIGSTOP);
	else
		while (read(go, &c, 1) < 0 && errno == EINTR)
			;
	put(R_RESUMED, 0, 0);
	_exit(3);
}

/* X forks Y and exits once Y is stopped (at once when Y does not stop). */
static void exiting_parent(bool own_group, enum hup hup, bool stop, int go, int start)
{
	pid_t y;
	int st;
	char c;

	if (read(start, &c, 1) != 1)
		_exit(21);
	y = fork();
	if (y == 0) {
		if (!own_group)
			setpgid(0, 0);
		watched(hup, stop, go);
	}
	close(report);
	if (!own_group)
		setpgid(y, y);
	if (stop && (waitpid(y, &st, WUNTRACED) != y || !WIFSTOPPED(st)))
		_exit(22);
	_exit(0);
}

/*
 * The session: S forks X (X in its own group when own_group, where Y
 * stays), optionally W joining X's group as a second link; S waits for X,
 * tells main on done, and stays (so that W keeps its parent) until go
 * is closed.
 */
static void session(bool own_group, bool second_link, enum hup hup, bool stop, int go, int done)
{
	int start[2];
	pid_t x, w = 0;
	char c;

	setsid();
	if (pipe(start) < 0)
		_exit(30);
	x = fork();
	if (x == 0) {
		close(start[1]);
		if (own_group)
			setpgid(0, 0);
		exiting_parent(own_group, hup, stop, go, start[0]);
	}
	close(report);
	if (own_group)
		setpgid(x, x);
	if (second_link) {
		w = fork();
		if (w == 0) {
			setpgid(0, x);
			while (read(go, &c, 1) < 0 && errno == EINTR)
				;
			_exit(0);
		}
		if (setpgid(w, x) < 0 && errno != EACCES)
			_exit(31);
	}
	if (write(start[1], "g", 1) != 1)
		_exit(32);
	if (waitpid(x, NULL, 0) != x)
		_exit(33);
	if (write(done, "d", 1) != 1)
		_exit(34);
	while (read(go, &c, 1) < 0 && errno == EINTR)
		;
	if (w)
		waitpid(w, NULL, 0);
	_exit(0);
}

/*
 * One scenario: what Y received, in order, and how it ended.  cont: main
 * continues Y itself once X is gone (where the rule must not fire).
 */
static void scenario(const char *name, bool own_group, bool second_link, enum hup hup,
		     bool stop, bool cont, const char *want)
{
	int rp[2], gp[2], dp[2], st, n = 0;
	char got[256] = "", c;
	pid_t s, y = 0, k;
	struct rec r;

	if (pipe(rp) < 0 || pipe(gp) < 0 || pipe(dp) < 0) {
		check(0, name, "pipe: %s", strerror(errno));
		return;
	}
	report = rp[1];
	s = fork();
	if (s == 0) {
		close(rp[0]);
		close(gp[1]);
		close(dp[0]);
		session(own_group, second_link, hup, stop, gp[0], dp[1]);
	}
	close(rp[1]);
	close(gp[0]);
	close(dp[1]);
	/* X is gone: every signal of the rule for its exit has been sent. */
	if (read(dp[0], &c, 1) != 1)
		n += snprintf(got + n, sizeof(got) - (size_t)n, " (the session failed)");
	close(dp[0]);
	if (!stop) {
		close(gp[1]);	/* Y reads EOF and goes on */
		gp[1] = -1;
	}
	for (;;) {
		struct pollfd p = { .fd = rp[0], .events = POLLIN };

		/* A guard, not a timing check: Y left stopped would hang us. */
		if (poll(&p, 1, 10000) != 1) {
			n += snprintf(got + n, sizeof(got) - (size_t)n, " (still stopped)");
			if (y)
				kill(y, SIGKILL);
			break;
		}
		if (read(rp[0], &r, sizeof(r)) != sizeof(r))
			break;
		if (r.kind == R_PID) {
			y = r.a;
			if (cont)
				kill(y, SIGCONT);
		} else if (r.kind == R_SIG) {
			n += snprintf(got + n, sizeof(got) - (size_t)n, " %s/%s",
				      r.a == SIGHUP ? "HUP" : r.a == SIGCONT ? "CONT" : "?",
				      r.b == SI_KERNEL ? "kernel" : r.b == SI_USER ? "user" : "other");
		} else {
			n += snprintf(got + n, sizeof(got) - (size_t)n, " resumed");
		}
	}
	close(rp[0]);
	if (y && waitpid(y, &st, 0) == y)
		n += snprintf(got + n, sizeof(got) - (size_t)n, WIFEXITED(st) ? " exit %d" :
			      WIFSIGNALED(st) ? " killed by %d" : " status %d",
			      WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? WTERMSIG(st) : st);
	if (gp[1] >= 0)
		close(gp[1]);	/* S and W go */
	while ((k = wait(&st)) > 0)
		if (k == s && (!WIFEXITED(st) || WEXITSTATUS(st) != 0))
			n += snprintf(got + n, sizeof(got) - (size_t)n, " (session status %#x)", st);
	check(strcmp(got, want) == 0, name, "got '%s', want '%s'", got, want);
}

int main(void)
{
	t_start();
	if (getpid() != 1 && prctl(PR_SET_CHILD_SUBREAPER, 1) < 0) {
		printf("not ok 0 PR_SET_CHILD_SUBREAPER: %s\n", strerror(errno));
		return 1;
	}
	scenario("a child's group orphaned with a stopped member: SIGHUP, SIGCONT", false, false,
		 HUP_HANDLED, true, false, " HUP/kernel CONT/kernel resumed exit 3");
	scenario("the same with SIGHUP at its default: killed by SIGHUP", false, false,
		 HUP_DEFAULT, true, false, " killed by 1");
	scenario("the same with SIGHUP ignored: SIGCONT alone continues it", false, false,
		 HUP_IGNORED, true, false, " CONT/kernel resumed exit 3");
	scenario("a child's group orphaned with no member stopped: nothing", false, false,
		 HUP_HANDLED, false, false, " resumed exit 3");
	scenario("the exiting process's own group orphaned with a stopped member", true, false,
		 HUP_HANDLED, true, false, " HUP/kernel CONT/kernel resumed exit 3");
	scenario("own group still linked by another member: nothing until continued", true, true,
		 HUP_HANDLED, true, true, " CONT/user resumed exit 3");
	return t_done();
}
