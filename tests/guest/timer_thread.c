/*
 * timer_thread.c - timers and threads: SIGEV_THREAD_ID sends to the thread
 * named (its handler runs there); glibc's SIGEV_THREAD (a helper thread
 * through SIGEV_THREAD_ID) calls the function with sigev_value, again
 * and again for a periodic timer; timers on CPU clocks: the process clock
 * fires after the process worked, a thread's clock after that thread did
 * (pthread_getcpuclockid), not while it sleeps.
 */
#include "t.h"
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/syscall.h>
#include <time.h>

static volatile pid_t got_tid;
static volatile sig_atomic_t got;
static sem_t sem;
static atomic_int calls;
static void *seen_ptr;
static atomic_int stop;

static void on_usr1(int sig)
{
	(void)sig;
	got_tid = (pid_t)syscall(SYS_gettid);
	got++;
}

static void *sleeper(void *arg)
{
	while (!atomic_load(&stop))
		usleep(1000);
	return arg;
}

static volatile pid_t spinner_tid;

static void *spinner(void *arg)
{
	spinner_tid = (pid_t)syscall(SYS_gettid);
	while (!atomic_load(&stop))
		;
	return arg;
}

static void notify(union sigval v)
{
	seen_ptr = v.sival_ptr;
	atomic_fetch_add(&calls, 1);
	sem_post(&sem);
}

static int sem_wait_s(int secs)
{
	struct timespec to;

	clock_gettime(CLOCK_REALTIME, &to);
	to.tv_sec += secs;
	return sem_timedwait(&sem, &to);
}

static struct itimerspec its(long ms, long ims)
{
	struct itimerspec v = { { ims / 1000, ims % 1000 * 1000000 }, { ms / 1000, ms % 1000 * 1000000 } };

	return v;
}

/* Waits up to 20 s of wall time for got to reach n, the main thread spinning if spin. */
static int wait_got(int n, int spin)
{
	struct timespec a, b;

	clock_gettime(CLOCK_MONOTONIC, &a);
	for (;;) {
		if (got >= n)
			return 0;
		if (!spin)
			usleep(1000);
		clock_gettime(CLOCK_MONOTONIC, &b);
		if (b.tv_sec - a.tv_sec > 20)
			return -1;
	}
}

int main(void)
{
	pthread_t th, sp;
	struct sigevent e;
	struct itimerspec v;
	timer_t tm;
	clockid_t c;
	pid_t sleeper_tid;

	t_start();
	signal(SIGUSR1, on_usr1);
	sem_init(&sem, 0, 0);

	/* SIGEV_THREAD_ID: to the thread named. */
	pthread_create(&th, NULL, sleeper, NULL);
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	sigprocmask(SIG_BLOCK, &s, NULL);	/* main never takes it */
	/* Its tid, from its CPU clock's id (~tid << 3 | 6). */
	pthread_getcpuclockid(th, &c);
	sleeper_tid = (pid_t)~(c >> 3);
	memset(&e, 0, sizeof(e));
	e.sigev_notify = SIGEV_THREAD_ID;
	e.sigev_signo = SIGUSR1;
	e._sigev_un._tid = sleeper_tid;
	CHECK_OK(timer_create(CLOCK_MONOTONIC, &e, &tm), "create SIGEV_THREAD_ID");
	v = its(10, 0);
	timer_settime(tm, 0, &v, NULL);
	check(wait_got(1, 0) == 0 && got_tid == sleeper_tid, "the named thread takes the signal",
	      "got %d in %d, want %d", (int)got, (int)got_tid, (int)sleeper_tid);
	timer_delete(tm);

	/* glibc's SIGEV_THREAD. */
	memset(&e, 0, sizeof(e));
	e.sigev_notify = SIGEV_THREAD;
	e.sigev_notify_function = notify;
	e.sigev_value.sival_ptr = &sem;
	CHECK_OK(timer_create(CLOCK_MONOTONIC, &e, &tm), "create SIGEV_THREAD");
	v = its(10, 0);
	timer_settime(tm, 0, &v, NULL);
	check(sem_wait_s(10) == 0 && seen_ptr == &sem, "SIGEV_THREAD calls the function with the value",
	      "calls %d", atomic_load(&calls));
	v = its(5, 5);
	timer_settime(tm, 0, &v, NULL);
	int ok = sem_wait_s(10) == 0 && sem_wait_s(10) == 0 && sem_wait_s(10) == 0;
	v = its(0, 0);
	timer_settime(tm, 0, &v, NULL);
	check(ok, "periodic SIGEV_THREAD: called again and again", "calls %d", atomic_load(&calls));
	timer_delete(tm);

	/* The process CPU clock: fires after work. */
	sigprocmask(SIG_UNBLOCK, &s, NULL);
	got = 0;
	memset(&e, 0, sizeof(e));
	e.sigev_notify = SIGEV_SIGNAL;
	e.sigev_signo = SIGUSR1;
	CHECK_OK(timer_create(CLOCK_PROCESS_CPUTIME_ID, &e, &tm), "create on CLOCK_PROCESS_CPUTIME_ID");
	v = its(50, 0);
	timer_settime(tm, 0, &v, NULL);
	check(wait_got(1, 1) == 0, "process CPU timer fires after 50 ms of work", "got none");
	timer_delete(tm);

	/* A thread's CPU clock: the spinner's fires; the sleeper's does not. */
	atomic_store(&stop, 1);
	pthread_join(th, NULL);
	atomic_store(&stop, 0);
	sigaddset(&s, SIGUSR2);
	sigprocmask(SIG_BLOCK, &s, NULL);	/* in every thread: main waits for them */
	pthread_create(&th, NULL, sleeper, NULL);
	pthread_create(&sp, NULL, spinner, NULL);
	got = 0;
	pthread_getcpuclockid(th, &c);
	timer_t tsleep, tspin;
	e.sigev_signo = SIGUSR1;
	CHECK_OK(timer_create(c, &e, &tsleep), "create on the sleeper's thread clock");
	pthread_getcpuclockid(sp, &c);
	e.sigev_signo = SIGUSR2;
	signal(SIGUSR2, on_usr1);
	CHECK_OK(timer_create(c, &e, &tspin), "create on the spinner's thread clock");
	v = its(50, 0);
	timer_settime(tsleep, 0, &v, NULL);
	timer_settime(tspin, 0, &v, NULL);
	sigset_t s2;
	sigemptyset(&s2);
	sigaddset(&s2, SIGUSR2);
	siginfo_t info;
	struct timespec to = { 20, 0 };
	check(sigtimedwait(&s2, &info, &to) == SIGUSR2 && info.si_code == SI_TIMER,
	      "the spinner's thread-clock timer fires", "none");
	struct itimerspec cur;
	timer_gettime(tsleep, &cur);
	check(cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec > 0, "the sleeper's is still armed", "not armed");
	CHECK_ERR(timer_create((clockid_t)((~0x3ffffff0u << 3) | 6), &e, &tm), EINVAL,
		  "a thread clock of no thread");
	atomic_store(&stop, 1);
	pthread_join(th, NULL);
	pthread_join(sp, NULL);
	return t_failed != 0;
}
