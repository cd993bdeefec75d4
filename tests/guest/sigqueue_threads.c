/*
 * sigqueue_threads.c - rt_tgsigqueueinfo aims a queued value at one
 * thread: that thread's sigwaitinfo gets it (value, SI_QUEUE) while a
 * process-directed sigqueue to the same signal is taken by whichever
 * thread waits; values queue in order per thread; a thread of another
 * process is ESRCH by tgid.
 */
#include "t.h"
#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>

static pid_t worker_tid;
static int got[4], ngot;
static pthread_barrier_t bar;

static void *worker(void *arg)
{
	sigset_t set;
	siginfo_t si;

	worker_tid = gettid();
	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN + 2);
	pthread_barrier_wait(&bar);
	for (int i = 0; i < 3; i++)
		if (sigwaitinfo(&set, &si) == SIGRTMIN + 2 && si.si_code == SI_QUEUE)
			got[ngot++] = si.si_value.sival_int;
	return NULL;
}

static long tgq(pid_t tgid, pid_t tid, int sig, int val)
{
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	si.si_code = SI_QUEUE;
	si.si_pid = getpid();
	si.si_uid = getuid();
	si.si_value.sival_int = val;
	return syscall(SYS_rt_tgsigqueueinfo, tgid, tid, sig, &si);
}

int main(void)
{
	sigset_t set, pend;
	pthread_t th;

	t_start();
	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN + 2);
	pthread_sigmask(SIG_BLOCK, &set, NULL);	/* inherited by the worker */
	pthread_barrier_init(&bar, NULL, 2);
	pthread_create(&th, NULL, worker, NULL);
	pthread_barrier_wait(&bar);
	check(tgq(getpid(), worker_tid, SIGRTMIN + 2, 1) == 0 && tgq(getpid(), worker_tid, SIGRTMIN + 2, 2) == 0,
	      "two values queued to the worker", "errno %d", errno);
	union sigval v = { .sival_int = 3 };
	sigqueue(getpid(), SIGRTMIN + 2, v);	/* the process's: the worker is the one waiting */
	pthread_join(th, NULL);
	check(ngot == 3 && got[0] == 1 && got[1] == 2 && got[2] == 3, "the worker took 1, 2 (its own) then 3",
	      "%d: %d %d %d", ngot, got[0], got[1], got[2]);
	sigpending(&pend);
	check(!sigismember(&pend, SIGRTMIN + 2), "nothing left pending for the main thread", "pending");
	CHECK_ERR(tgq(0x3ffffff0, gettid(), SIGRTMIN + 2, 0), ESRCH, "wrong tgid: ESRCH");
	check(tgq(getpid(), gettid(), SIGRTMIN + 2, 9) == 0, "to ourselves", "errno %d", errno);
	siginfo_t si;
	struct timespec z = { 0, 0 };
	check(sigtimedwait(&set, &si, &z) == SIGRTMIN + 2 && si.si_value.sival_int == 9, "and taken here",
	      "value %d", si.si_value.sival_int);
	return t_done();
}
