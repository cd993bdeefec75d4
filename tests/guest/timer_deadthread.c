/*
 * timer_deadthread: a POSIX timer whose SIGEV_THREAD_ID target has
 * exited: the timer belongs to the process and lives on (gettime and
 * getoverrun answer, settime rearms, delete works), but its expiries
 * reach nobody: neither the process nor another thread sees the signal;
 * creating a new timer for the dead tid is EINVAL; a timer aimed at a
 * live thread still reaches exactly it.
 */
#include "t.h"
#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>
#include <time.h>

#ifndef sigev_notify_thread_id
#define sigev_notify_thread_id _sigev_un._tid
#endif

static timer_t tm;
static pid_t dead_tid;
static volatile pid_t got_by;

static void on_usr1(int s)
{
	(void)s;
	got_by = (pid_t)syscall(SYS_gettid);
}

static void *make_and_exit(void *a)
{
	struct sigevent e;

	memset(&e, 0, sizeof(e));
	e.sigev_notify = SIGEV_THREAD_ID;
	e.sigev_signo = SIGUSR1;
	e.sigev_notify_thread_id = (pid_t)syscall(SYS_gettid);
	dead_tid = e.sigev_notify_thread_id;
	if (timer_create(CLOCK_MONOTONIC, &e, &tm) != 0)
		return (void *)1;
	return a;
}

static volatile int stop;

static void *waiter(void *a)
{
	while (!stop)
		pause();
	return a;
}

int main(void)
{
	struct itimerspec v = { { 0, 5000000 }, { 0, 5000000 } }, cur;
	struct sigevent e;
	pthread_t th;
	void *ret = NULL;
	timer_t tm2;
	sigset_t pend;

	t_start();
	signal(SIGUSR1, on_usr1);
	check(pthread_create(&th, NULL, make_and_exit, NULL) == 0 && pthread_join(th, &ret) == 0 &&
	      ret == NULL, "a thread makes a timer aimed at itself, then exits", "%p", ret);
	usleep(20000);			/* the tid is gone for sure now */
	CHECK_OK(timer_settime(tm, 0, &v, NULL), "the timer still takes settime");
	usleep(60000);			/* a dozen expiries */
	check(got_by == 0, "no thread got the dead thread's signal", "tid %s",
	      got_by == (pid_t)syscall(SYS_gettid) ? "main" : "other");
	sigpending(&pend);
	check(!sigismember(&pend, SIGUSR1), "nothing pending for the process", "pending");
	memset(&cur, 0, sizeof(cur));
	CHECK_OK(timer_gettime(tm, &cur), "gettime answers");
	check(cur.it_interval.tv_nsec == 5000000, "the interval stays", "%ld", cur.it_interval.tv_nsec);
	CHECK_OK(timer_getoverrun(tm), "getoverrun answers");
	CHECK_OK(timer_delete(tm), "delete works");
	memset(&e, 0, sizeof(e));
	e.sigev_notify = SIGEV_THREAD_ID;
	e.sigev_signo = SIGUSR1;
	e.sigev_notify_thread_id = dead_tid;
	CHECK_ERR(timer_create(CLOCK_MONOTONIC, &e, &tm2), EINVAL, "a new timer for the dead tid");

	/* A live target: only it takes the signal. */
	stop = 0;
	pthread_create(&th, NULL, waiter, NULL);
	usleep(20000);
	e.sigev_notify_thread_id = 0;
	{
		/* the waiter's tid, from /proc-free means: ask it by signal */
		sigset_t b;

		sigemptyset(&b);
		sigaddset(&b, SIGUSR1);
		pthread_sigmask(SIG_BLOCK, &b, NULL);	/* main cannot take it */
	}
	got_by = 0;
	pthread_kill(th, SIGUSR1);
	while (got_by == 0)
		usleep(1000);
	e.sigev_notify_thread_id = got_by;
	pid_t want = got_by;

	got_by = 0;
	CHECK_OK(timer_create(CLOCK_MONOTONIC, &e, &tm2), "a timer for a live thread");
	v.it_interval.tv_nsec = 0;
	CHECK_OK(timer_settime(tm2, 0, &v, NULL), "armed once");
	while (got_by == 0)
		usleep(1000);
	check(got_by == want, "the live thread took it", "another");
	stop = 1;
	pthread_kill(th, SIGUSR1);
	pthread_join(th, NULL);
	return t_done();
}
