/*
 * prctl.c - prctl as libcs and Python use it: PR_SET/GET_NAME (15 bytes
 * kept), PR_SET/GET_PDEATHSIG (sent when the parent dies, not inherited
 * by fork, 65 EINVAL), PR_SET/GET_CHILD_SUBREAPER (an orphan below it is
 * reparented to it, and it reaps it), DUMPABLE, NO_NEW_PRIVS (inherited;
 * its argument checks), KEEPCAPS, CAPBSET_READ, CAP_AMBIENT, TIMERSLACK,
 * GET_TID_ADDRESS, GET_SECCOMP, THP_DISABLE, an unknown option EINVAL.
 */
#include "t.h"
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

static volatile sig_atomic_t usr1;
static void on_usr1(int s) { (void)s; usr1 = 1; }

/* A child whose parent (an intermediate process) dies: it reports SIGUSR1 on fd. */
static void pdeath_case(int *got)
{
	int p[2], st;
	pid_t mid;
	char c = 'n';

	pipe(p);
	mid = fork();
	if (mid == 0) {
		pid_t kid = fork();

		if (kid == 0) {
			sigset_t s;
			struct timespec to = { 10, 0 };

			sigemptyset(&s);
			sigaddset(&s, SIGUSR1);
			sigprocmask(SIG_BLOCK, &s, NULL);
			prctl(PR_SET_PDEATHSIG, SIGUSR1);
			write(p[1], "r", 1);		/* ready */
			c = sigtimedwait(&s, NULL, &to) == SIGUSR1 ? 'y' : 'n';
			write(p[1], &c, 1);
			_exit(0);
		}
		read(p[0], &c, 1);
		_exit(0);			/* the parent dies */
	}
	waitpid(mid, &st, 0);
	read(p[0], &c, 1);
	*got = c == 'y';
	close(p[0]);
	close(p[1]);
}

static int pdeath_not_inherited(void)
{
	int sig = -1;

	prctl(PR_SET_PDEATHSIG, SIGUSR2);
	pid_t pid = fork();
	if (pid == 0) {
		prctl(PR_GET_PDEATHSIG, &sig);
		_exit(sig == 0 ? 0 : 1);
	}
	int st;
	waitpid(pid, &st, 0);
	prctl(PR_GET_PDEATHSIG, &sig);
	return WEXITSTATUS(st) == 0 && sig == SIGUSR2 ? 0 : 1;
}

/* As a subreaper: a grandchild orphaned by its parent becomes ours. */
static int subreaper_case(void)
{
	int p[2], q[2], st, v = -1;
	pid_t mid, gc = 0;
	char c;

	if (prctl(PR_SET_CHILD_SUBREAPER, 1) || prctl(PR_GET_CHILD_SUBREAPER, &v) || v != 1)
		return 1;
	pipe(p);
	pipe(q);
	mid = fork();
	if (mid == 0) {
		pid_t kid = fork();

		if (kid == 0) {
			read(q[0], &c, 1);	/* the parent is gone by now */
			_exit(getppid() == (pid_t)syscall(SYS_getppid) ? 40 : 41);
		}
		write(p[1], &kid, sizeof(kid));
		_exit(0);
	}
	read(p[0], &gc, sizeof(gc));
	waitpid(mid, &st, 0);
	write(q[1], "x", 1);
	if (waitpid(gc, &st, 0) != gc)	/* it is our child now */
		return 2;
	return WIFEXITED(st) && WEXITSTATUS(st) == 40 ? 0 : 3;
}

int main(void)
{
	char name[32];
	int v = -1, got = 0, st;

	t_start();
	signal(SIGUSR1, on_usr1);
	CHECK_OK(prctl(PR_SET_NAME, "a-rather-long-thread-name"), "PR_SET_NAME");
	prctl(PR_GET_NAME, name);
	check(!strcmp(name, "a-rather-long-t"), "PR_GET_NAME: 15 bytes kept", "'%s'", name);
	CHECK_ERR(prctl(PR_SET_NAME, (void *)8), EFAULT, "PR_SET_NAME bad pointer");

	check(prctl(PR_GET_PDEATHSIG, &v) == 0 && v == 0, "PR_GET_PDEATHSIG: 0 at first", "%d", v);
	CHECK_ERR(prctl(PR_SET_PDEATHSIG, 65), EINVAL, "PR_SET_PDEATHSIG 65");
	CHECK_ERR(prctl(PR_GET_PDEATHSIG, (void *)8), EFAULT, "PR_GET_PDEATHSIG bad pointer");
	pdeath_case(&got);
	check(got, "the pdeath signal comes when the parent dies", "none");
	pid_t pid = fork();
	if (pid == 0)
		_exit(pdeath_not_inherited());
	waitpid(pid, &st, 0);
	check(WEXITSTATUS(st) == 0, "PR_SET_PDEATHSIG is not inherited by fork", "it is");

	pid = fork();
	if (pid == 0)
		_exit(subreaper_case());
	waitpid(pid, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "a subreaper adopts and reaps its orphaned grandchild",
	      "step %d", WEXITSTATUS(st));
	v = -1;
	check(prctl(PR_GET_CHILD_SUBREAPER, &v) == 0 && v == 0, "not a subreaper here", "%d", v);

	check(prctl(PR_GET_DUMPABLE) == 1, "dumpable", "not");
	CHECK_OK(prctl(PR_SET_DUMPABLE, 0), "PR_SET_DUMPABLE 0");
	check(prctl(PR_GET_DUMPABLE) == 0, "now not dumpable", "is");
	CHECK_ERR(prctl(PR_SET_DUMPABLE, 2), EINVAL, "PR_SET_DUMPABLE 2");
	prctl(PR_SET_DUMPABLE, 1);

	check(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 0, "no_new_privs 0", "1");
	CHECK_ERR(prctl(PR_SET_NO_NEW_PRIVS, 2, 0, 0, 0), EINVAL, "PR_SET_NO_NEW_PRIVS 2");
	CHECK_ERR(prctl(PR_SET_NO_NEW_PRIVS, 1, 1, 0, 0), EINVAL, "PR_SET_NO_NEW_PRIVS extra argument");
	CHECK_ERR(prctl(PR_GET_NO_NEW_PRIVS, 1, 0, 0, 0), EINVAL, "PR_GET_NO_NEW_PRIVS extra argument");
	pid = fork();
	if (pid == 0) {
		prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
		pid_t g = fork();
		if (g == 0)
			_exit(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1 ? 0 : 1);
		waitpid(g, &st, 0);
		_exit(WEXITSTATUS(st));
	}
	waitpid(pid, &st, 0);
	check(WEXITSTATUS(st) == 0, "no_new_privs is inherited", "not");

	check(prctl(PR_GET_KEEPCAPS) == 0, "keepcaps 0", "1");
	CHECK_OK(prctl(PR_SET_KEEPCAPS, 1), "PR_SET_KEEPCAPS 1");
	check(prctl(PR_GET_KEEPCAPS) == 1, "keepcaps 1", "0");
	CHECK_ERR(prctl(PR_SET_KEEPCAPS, 2), EINVAL, "PR_SET_KEEPCAPS 2");
	prctl(PR_SET_KEEPCAPS, 0);

	check(prctl(PR_CAPBSET_READ, 0) == 1, "CAPBSET_READ(CAP_CHOWN) 1", "0");
	CHECK_ERR(prctl(PR_CAPBSET_READ, 99), EINVAL, "CAPBSET_READ(99)");
	check(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, 0, 0, 0) == 0, "CAP_AMBIENT_IS_SET 0", "set");
	CHECK_ERR(prctl(PR_CAP_AMBIENT, 99, 0, 0, 0), EINVAL, "CAP_AMBIENT op 99");
	CHECK_ERR(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, 99, 0, 0), EINVAL, "CAP_AMBIENT cap 99");
	CHECK_OK(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0), "CAP_AMBIENT_CLEAR_ALL");

	check(prctl(PR_GET_TIMERSLACK) == 50000, "timer slack 50 us", "%d", prctl(PR_GET_TIMERSLACK));
	prctl(PR_SET_TIMERSLACK, 1000);
	check(prctl(PR_GET_TIMERSLACK) == 1000, "timer slack set", "%d", prctl(PR_GET_TIMERSLACK));
	prctl(PR_SET_TIMERSLACK, 0);
	check(prctl(PR_GET_TIMERSLACK) == 50000, "0 restores the default", "%d", prctl(PR_GET_TIMERSLACK));

	unsigned long tidaddr = 0;
	check(prctl(PR_GET_TID_ADDRESS, &tidaddr) == 0 && tidaddr != 0, "PR_GET_TID_ADDRESS: libc's", "0");
	check(prctl(PR_GET_SECCOMP) == 0, "PR_GET_SECCOMP 0", "other");
	check(prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0) == 0, "THP not disabled", "is");
	CHECK_OK(prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0), "PR_SET_THP_DISABLE");
	check(prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0) == 1, "THP disabled", "not");
	CHECK_ERR(prctl(9999), EINVAL, "unknown option");
	return t_failed != 0;
}
