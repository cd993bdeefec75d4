/*
 * sigwait.c - sigtimedwait/sigwaitinfo with blocked and ignored signals.
 *
 * A blocked signal is never dropped, whatever its action (SIG_DFL whose
 * default is to ignore, as SIGCHLD, or SIG_IGN): sigtimedwait takes it.
 * One that is not blocked and ignored is dropped when sent, even if a
 * sigtimedwait for it is under way.  A child that exits while its parent
 * has SIGCHLD blocked and waits for it in sigtimedwait (busybox init's
 * main loop) is reported.  Runs as init inside ./linux: init gets the
 * blocked signals too.
 */
#include "t.h"
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

static const struct timespec zero_ts = { 0, 0 };
static const struct timespec long_ts = { 30, 0 };

static void set_action(int sig, void (*h)(int))
{
	struct sigaction sa = { 0 };

	sa.sa_handler = h;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

static void mask_only(int how, int sig)
{
	sigset_t s;

	sigemptyset(&s);
	sigaddset(&s, sig);
	sigprocmask(how, &s, NULL);
}

static int wait_one(int sig, const struct timespec *ts, siginfo_t *si)
{
	sigset_t s;

	sigemptyset(&s);
	sigaddset(&s, sig);
	memset(si, 0, sizeof(*si));
	return ts ? sigtimedwait(&s, si, ts) : sigwaitinfo(&s, si);
}

/* A child that sends sig to its parent, or (sig 0) exits with status 3. */
static pid_t child_signals(int sig)
{
	pid_t pid = fork();

	if (pid == 0) {
		if (sig)
			kill(getppid(), sig);
		usleep(20000);
		_exit(3);
	}
	return pid;
}

static void test_blocked_usr2(void)
{
	siginfo_t si;
	pid_t pid;
	int r;

	set_action(SIGUSR2, SIG_DFL);
	mask_only(SIG_BLOCK, SIGUSR2);
	pid = child_signals(SIGUSR2);
	r = wait_one(SIGUSR2, &long_ts, &si);
	check(r == SIGUSR2, "blocked SIGUSR2 (SIG_DFL) taken by sigtimedwait", "got %d errno %d", r, errno);
	check(si.si_code == SI_USER && si.si_pid == pid, "its siginfo: SI_USER from the child",
	      "code %d, pid %s", si.si_code, si.si_pid == pid ? "the child" : "another");
	waitpid(pid, NULL, 0);
	mask_only(SIG_UNBLOCK, SIGUSR2);
}

static void test_blocked_ignored(void)
{
	siginfo_t si;
	sigset_t pend;
	int r;

	set_action(SIGUSR2, SIG_IGN);
	mask_only(SIG_BLOCK, SIGUSR2);
	kill(getpid(), SIGUSR2);
	sigpending(&pend);
	check(sigismember(&pend, SIGUSR2), "blocked SIG_IGN signal stays pending", "not pending");
	r = wait_one(SIGUSR2, &zero_ts, &si);
	check(r == SIGUSR2, "blocked SIG_IGN signal taken by sigtimedwait", "got %d errno %d", r, errno);
	mask_only(SIG_UNBLOCK, SIGUSR2);

	kill(getpid(), SIGUSR2);
	sigpending(&pend);
	check(!sigismember(&pend, SIGUSR2), "unblocked SIG_IGN signal dropped", "pending");
	errno = 0;
	r = wait_one(SIGUSR2, &zero_ts, &si);
	check(r == -1 && errno == EAGAIN, "sigtimedwait then finds nothing: EAGAIN", "got %d errno %d", r, errno);

	mask_only(SIG_BLOCK, SIGUSR2);
	kill(getpid(), SIGUSR2);
	set_action(SIGUSR2, SIG_IGN);		/* setting SIG_IGN discards it */
	sigpending(&pend);
	check(!sigismember(&pend, SIGUSR2), "sigaction SIG_IGN discards a pending blocked signal", "pending");
	mask_only(SIG_UNBLOCK, SIGUSR2);
	set_action(SIGUSR2, SIG_DFL);
}

static void test_blocked_chld(void)
{
	siginfo_t si;
	pid_t pid;
	int r, st;

	set_action(SIGCHLD, SIG_DFL);
	mask_only(SIG_BLOCK, SIGCHLD);
	pid = child_signals(0);
	r = wait_one(SIGCHLD, &long_ts, &si);
	check(r == SIGCHLD, "blocked SIGCHLD (default: ignore) taken by sigtimedwait",
	      "got %d errno %d", r, errno);
	check(si.si_code == CLD_EXITED && si.si_status == 3 && si.si_pid == pid,
	      "its siginfo: CLD_EXITED, status 3, the child", "code %d status %d", si.si_code, si.si_status);
	r = waitpid(pid, &st, 0);
	check(r == pid && WIFEXITED(st) && WEXITSTATUS(st) == 3, "the child is then reaped",
	      "waitpid %d status %#x", r, st);

	pid = child_signals(0);
	r = wait_one(SIGCHLD, NULL, &si);
	check(r == SIGCHLD && si.si_pid == pid, "sigwaitinfo takes a blocked SIGCHLD", "got %d errno %d", r, errno);
	waitpid(pid, NULL, 0);
	mask_only(SIG_UNBLOCK, SIGCHLD);
}

static void test_unblocked_chld(void)
{
	siginfo_t si, wi;
	pid_t pid;
	int r;

	/* Not blocked, default action ignore: dropped when the child exits. */
	set_action(SIGCHLD, SIG_DFL);
	pid = child_signals(0);
	memset(&wi, 0, sizeof(wi));
	r = waitid(P_PID, pid, &wi, WEXITED | WNOWAIT);
	check(r == 0 && wi.si_pid == pid, "waitid WNOWAIT sees the zombie", "got %d errno %d", r, errno);
	errno = 0;
	r = wait_one(SIGCHLD, &zero_ts, &si);
	check(r == -1 && errno == EAGAIN, "unblocked SIGCHLD was dropped: EAGAIN", "got %d errno %d", r, errno);
	waitpid(pid, NULL, 0);

	/* SIG_IGN: children are reaped at once and send no SIGCHLD at all. */
	set_action(SIGCHLD, SIG_IGN);
	mask_only(SIG_BLOCK, SIGCHLD);
	pid = child_signals(0);
	errno = 0;
	r = waitpid(pid, NULL, 0);
	check(r == -1 && errno == ECHILD, "SIGCHLD SIG_IGN: wait finds no child (ECHILD)", "got %d errno %d", r, errno);
	errno = 0;
	r = wait_one(SIGCHLD, &zero_ts, &si);
	check(r == -1 && errno == EAGAIN, "SIGCHLD SIG_IGN: no SIGCHLD queued", "got %d errno %d", r, errno);
	mask_only(SIG_UNBLOCK, SIGCHLD);
	set_action(SIGCHLD, SIG_DFL);
}

static void test_errors(void)
{
	struct timespec bad = { 0, 1000000000 };
	sigset_t s;
	siginfo_t si;
	long r;

	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	CHECK_ERR(sigtimedwait(&s, &si, &bad), EINVAL, "tv_nsec 1e9: EINVAL");
	bad.tv_nsec = 0;
	bad.tv_sec = -1;
	CHECK_ERR(sigtimedwait(&s, &si, &bad), EINVAL, "negative tv_sec: EINVAL");
	errno = 0;
	r = syscall(SYS_rt_sigtimedwait, &s, NULL, &zero_ts, 4);
	check(r == -1 && errno == EINVAL, "sigsetsize 4: EINVAL", "got %ld errno %d", r, errno);
	errno = 0;
	r = syscall(SYS_rt_sigtimedwait, (void *)8, NULL, &zero_ts, 8);
	check(r == -1 && errno == EFAULT, "bad set pointer: EFAULT", "got %ld errno %d", r, errno);
	bad.tv_sec = 0;
	bad.tv_nsec = 10000000;
	CHECK_ERR(sigtimedwait(&s, &si, &bad), EAGAIN, "nothing arrives: EAGAIN after the timeout");
}

int main(void)
{
	t_start();
	test_blocked_usr2();
	test_blocked_ignored();
	test_blocked_chld();
	test_unblocked_chld();
	test_errors();
	return t_done();
}
