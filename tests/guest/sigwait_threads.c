/*
 * sigwait_threads: sigtimedwait among threads: a process-directed signal
 * that every other thread blocks goes to the thread waiting for it; a
 * thread's private pending signal is not another thread's to take; the
 * shared one is whoever's asks first; a signal aimed (tgkill) at the
 * waiter is taken by its wait, not by another thread's handler; a handled
 * signal outside the set interrupts the wait with EINTR after its handler
 * ran in that thread; timeouts (EAGAIN), a bad timespec (EINVAL), and
 * SIGKILL/SIGSTOP in the set are ignored.
 */
#include "t.h"
#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>
#include <time.h>

static pid_t waiter_tid, handler_tid;
static volatile pid_t handled_in;
static volatile int phase;
static int wait_result, wait_errno, wait_code;

static struct timespec wait_for = { 30, 0 };

/* The raw call: glibc's sigtimedwait shows SI_TKILL as SI_USER. */
static int stw(const sigset_t *set, siginfo_t *si, const struct timespec *ts)
{
	return (int)syscall(SYS_rt_sigtimedwait, set, si, ts, 8);
}

static pid_t tid(void)
{
	return (pid_t)syscall(SYS_gettid);
}

static void on_sig(int s)
{
	(void)s;
	handled_in = tid();
}

static void *waiter(void *a)
{
	sigset_t set;
	siginfo_t si;
	waiter_tid = tid();
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	while (phase == 0)
		usleep(1000);
	memset(&si, 0, sizeof(si));
	errno = 0;
	wait_result = stw(&set, &si, &wait_for);
	wait_errno = errno;
	wait_code = si.si_code;
	return a;
}

static void *handler_thread(void *a)
{
	sigset_t set;

	handler_tid = tid();
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);	/* it would take SIGUSR1 */
	while (phase < 9)
		usleep(1000);
	return a;
}

/* Start a waiter, let it reach its wait, run send, join, report. */
static void round_trip(void (*send)(void), int want, int want_errno, const char *name)
{
	pthread_t th;

	phase = 0;
	wait_result = -2;
	pthread_create(&th, NULL, waiter, NULL);
	while (waiter_tid == 0)
		usleep(1000);
	phase = 1;
	usleep(30000);			/* in its wait by now (else it takes it on entry) */
	send();
	pthread_join(th, NULL);
	check(wait_result == want && (want != -1 || wait_errno == want_errno), name,
	      "result %d errno %d", wait_result, wait_errno);
	waiter_tid = 0;
}

static void send_process(void)
{
	kill(getpid(), SIGUSR1);
}

static void send_to_waiter(void)
{
	syscall(SYS_tgkill, getpid(), waiter_tid, SIGUSR1);
}

static void send_usr2_to_waiter(void)
{
	syscall(SYS_tgkill, getpid(), waiter_tid, SIGUSR2);
}

int main(void)
{
	sigset_t set, pend;
	siginfo_t si;
	struct timespec zero = { 0, 0 }, bad = { 0, 1000000000 };
	pthread_t h;

	t_start();
	signal(SIGUSR1, on_sig);
	signal(SIGUSR2, on_sig);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);	/* threads inherit the block */

	round_trip(send_process, SIGUSR1, 0, "a process signal goes to the thread waiting for it");
	check(wait_code == SI_USER, "with kill's SI_USER", "%d", wait_code);

	pthread_create(&h, NULL, handler_thread, NULL);
	while (handler_tid == 0)
		usleep(1000);
	handled_in = 0;
	round_trip(send_to_waiter, SIGUSR1, 0, "tgkill to the waiter: its wait takes it");
	check(wait_code == SI_TKILL, "with SI_TKILL", "%d", wait_code);
	check(handled_in == 0, "the other thread's handler did not run", "it did");

	handled_in = 0;
	round_trip(send_usr2_to_waiter, -1, EINTR, "a handled SIGUSR2 interrupts the wait: EINTR");
	check(handled_in != 0 && handled_in != handler_tid && handled_in != tid(),
	      "its handler ran in the waiter", "%s", handled_in == 0 ? "not at all" : "elsewhere");
	phase = 9;
	pthread_join(h, NULL);

	/* Private pending signals are the thread's own. */
	syscall(SYS_tgkill, getpid(), tid(), SIGUSR1);
	{
		pthread_t th;

		phase = 2;		/* the waiter waits at once, 20 ms */
		wait_for.tv_sec = 0;
		wait_for.tv_nsec = 20000000;
		wait_result = -2;
		pthread_create(&th, NULL, waiter, NULL);
		pthread_join(th, NULL);
		check(wait_result == -1 && wait_errno == EAGAIN,
		      "another thread's private signal is not ours to wait for", "%d errno %d",
		      wait_result, wait_errno);
	}
	sigpending(&pend);
	check(sigismember(&pend, SIGUSR1), "our private SIGUSR1 is still ours", "taken");
	memset(&si, 0, sizeof(si));
	check(stw(&set, &si, &zero) == SIGUSR1 && si.si_code == SI_TKILL, "and we take it",
	      "code %d errno %d", si.si_code, errno);
	CHECK_ERR(stw(&set, &si, &zero), EAGAIN, "nothing left: EAGAIN");
	CHECK_ERR(stw(&set, &si, &bad), EINVAL, "tv_nsec 1e9: EINVAL");
	CHECK_ERR(syscall(SYS_rt_sigtimedwait, &set, &si, &zero, 4), EINVAL, "sigsetsize 4: EINVAL");
	sigaddset(&set, SIGKILL);
	sigaddset(&set, SIGSTOP);
	kill(getpid(), SIGUSR1);
	check(stw(&set, &si, &zero) == SIGUSR1, "SIGKILL and SIGSTOP in the set are ignored",
	      "errno %d", errno);
	return t_done();
}
