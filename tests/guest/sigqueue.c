/*
 * sigqueue.c - rt_sigqueueinfo and rt_tgsigqueueinfo: values carried
 * to an SA_SIGINFO handler and to sigwaitinfo, real-time signals queued
 * in order and not merged (standard ones merged), a child queueing to
 * its parent, si_code rules (a non-negative code or SI_TKILL towards
 * another process: EPERM; towards oneself: allowed), and errors (bad
 * pointer, signal number, tid, tgid, no such process).
 */
#include "t.h"
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static volatile int got_sig, got_val, got_code, got_pid;

static void handler(int sig, siginfo_t *si, void *uc)
{
	got_sig = sig;
	got_val = si->si_value.sival_int;
	got_code = si->si_code;
	got_pid = si->si_pid;
}

static long qinfo(pid_t pid, int sig, int code, int val)
{
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	si.si_code = code;
	si.si_pid = getpid();
	si.si_uid = getuid();
	si.si_value.sival_int = val;
	return syscall(SYS_rt_sigqueueinfo, pid, sig, &si);
}

static long tgqinfo(pid_t tgid, pid_t tid, int sig, int code, int val)
{
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	si.si_code = code;
	si.si_value.sival_int = val;
	return syscall(SYS_rt_tgsigqueueinfo, tgid, tid, sig, &si);
}

static void test_handler(void)
{
	struct sigaction sa = { .sa_sigaction = handler, .sa_flags = SA_SIGINFO };
	union sigval v = { .sival_int = 4242 };

	sigaction(SIGUSR1, &sa, NULL);
	check(sigqueue(getpid(), SIGUSR1, v) == 0, "sigqueue to ourselves", "errno %d", errno);
	check(got_sig == SIGUSR1 && got_val == 4242 && got_code == SI_QUEUE && got_pid == getpid(),
	      "handler sees the value, SI_QUEUE and our pid", "sig %d val %d code %d", got_sig, got_val, got_code);
	got_sig = 0;
	check(tgqinfo(getpid(), gettid(), SIGUSR1, SI_QUEUE, 77) == 0, "rt_tgsigqueueinfo to our thread",
	      "errno %d", errno);
	check(got_sig == SIGUSR1 && got_val == 77, "its value arrives", "val %d", got_val);
	got_sig = 0;
	check(qinfo(getpid(), SIGUSR1, SI_USER, 5) == 0, "SI_USER towards ourselves is allowed", "errno %d", errno);
	check(got_sig == SIGUSR1 && got_code == SI_USER && got_val == 5, "and kept as given", "code %d", got_code);
	signal(SIGUSR1, SIG_DFL);
}

static void test_queueing(void)
{
	sigset_t set;
	siginfo_t si;
	int order_ok = 1, n = 0;

	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN + 1);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	for (int i = 0; i < 5; i++) {
		union sigval v = { .sival_int = 100 + i };

		sigqueue(getpid(), SIGRTMIN + 1, v);
	}
	for (int i = 0; i < 3; i++) {
		union sigval v = { .sival_int = 200 + i };

		sigqueue(getpid(), SIGUSR2, v);
	}
	struct timespec zero = { 0, 0 };
	int rt = 0, usr2 = 0, first_usr2 = -1;
	while (sigtimedwait(&set, &si, &zero) > 0) {
		n++;
		if (si.si_signo == SIGRTMIN + 1) {
			if (si.si_value.sival_int != 100 + rt)
				order_ok = 0;
			rt++;
		} else {
			if (first_usr2 < 0)
				first_usr2 = si.si_value.sival_int;
			usr2++;
		}
	}
	check(rt == 5 && order_ok, "five real-time signals queued, in order", "%d, order %d", rt, order_ok);
	check(usr2 == 1 && first_usr2 == 200, "a standard signal is merged: the first value", "%d (%d)", usr2,
	      first_usr2);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

static void test_child(void)
{
	sigset_t set;
	siginfo_t si;
	pid_t parent = getpid(), c;
	int st;

	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN);
	sigprocmask(SIG_BLOCK, &set, NULL);
	c = fork();
	if (c == 0) {
		union sigval v = { .sival_int = 31337 };
		int bad = 0;

		if (qinfo(parent, SIGRTMIN, SI_USER, 1) != -1 || errno != EPERM)
			bad |= 1;
		if (qinfo(parent, SIGRTMIN, SI_KERNEL, 1) != -1 || errno != EPERM)
			bad |= 2;
		if (qinfo(parent, SIGRTMIN, SI_TKILL, 1) != -1 || errno != EPERM)
			bad |= 4;
		if (tgqinfo(parent, parent, SIGRTMIN, 0, 1) != -1 || errno != EPERM)
			bad |= 8;
		if (sigqueue(parent, SIGRTMIN, v) != 0)
			bad |= 16;
		_exit(bad);
	}
	waitpid(c, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "to another process: SI_USER, SI_KERNEL, SI_TKILL, code 0 are EPERM; SI_QUEUE goes", "status %#x", st);
	struct timespec ts = { 5, 0 };
	int s = sigtimedwait(&set, &si, &ts);
	check(s == SIGRTMIN && si.si_value.sival_int == 31337 && si.si_pid == c && si.si_code == SI_QUEUE,
	      "the parent takes the child's value", "sig %d val %d", s, si.si_value.sival_int);
	CHECK_ERR(sigtimedwait(&set, &si, &(struct timespec){ 0, 0 }), EAGAIN, "only that one");
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

static void test_errors(void)
{
	CHECK_ERR(syscall(SYS_rt_sigqueueinfo, getpid(), SIGUSR1, (void *)8), EFAULT, "bad siginfo: EFAULT");
	CHECK_ERR(qinfo(getpid(), 65, SI_QUEUE, 0), EINVAL, "signal 65: EINVAL");
	CHECK_ERR(qinfo(0x3ffffff0, SIGUSR1, SI_QUEUE, 0), ESRCH, "no such process: ESRCH");
	CHECK_ERR(qinfo(-1, SIGUSR1, SI_QUEUE, 0), ESRCH, "pid -1: ESRCH");
	check(qinfo(getpid(), 0, SI_QUEUE, 0) == 0, "signal 0 checks only", "errno %d", errno);
	CHECK_ERR(tgqinfo(getpid(), -1, SIGUSR1, SI_QUEUE, 0), EINVAL, "tid -1: EINVAL");
	CHECK_ERR(tgqinfo(0, gettid(), SIGUSR1, SI_QUEUE, 0), EINVAL, "tgid 0: EINVAL");
	CHECK_ERR(tgqinfo(getpid() + 1, gettid(), SIGUSR1, SI_QUEUE, 0), ESRCH, "tgid mismatch: ESRCH");
	CHECK_ERR(tgqinfo(getpid(), gettid(), 65, SI_QUEUE, 0), EINVAL, "tg: signal 65: EINVAL");
	CHECK_ERR(syscall(SYS_rt_tgsigqueueinfo, getpid(), gettid(), SIGUSR1, (void *)8), EFAULT,
		  "tg: bad siginfo: EFAULT");
}

int main(void)
{
	t_start();
	test_handler();
	test_queueing();
	test_child();
	test_errors();
	return t_done();
}
