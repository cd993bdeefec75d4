/*
 * itimer_cpu.c - ITIMER_VIRTUAL and ITIMER_PROF count CPU time: a spinning
 * process gets SIGVTALRM / SIGPROF (periodic ones again and again), a
 * sleeping one does not; getitimer reads the time left (armed: more than
 * 0, at most what was set) and the period; setitimer returns the old
 * value; a thread's work counts for the process; errors EINVAL/EFAULT.
 */
#include "t.h"
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>

static volatile sig_atomic_t vt, prof;

static void on_sig(int sig)
{
	if (sig == SIGVTALRM)
		vt++;
	else
		prof++;
}

static unsigned long long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000 + (unsigned long long)ts.tv_nsec / 1000000;
}

/* Spins until *flag reaches n; 0, or -1 after 20 s of wall time. */
static int spin_until(volatile sig_atomic_t *flag, int n)
{
	unsigned long long start = mono_ms();
	volatile unsigned long x = 0;

	while (*flag < n) {
		x++;
		if ((x & 0xffff) == 0 && mono_ms() - start > 20000)
			return -1;
	}
	return 0;
}

static atomic_int thread_stop;

static void *worker(void *arg)
{
	while (!atomic_load(&thread_stop) && vt == 0)
		;
	return arg;
}

static struct itimerval itv(long vs, long vus, long is, long ius)
{
	struct itimerval v = { { is, ius }, { vs, vus } };

	return v;
}

int main(void)
{
	struct itimerval v, old;
	pthread_t th;

	t_start();
	signal(SIGVTALRM, on_sig);
	signal(SIGPROF, on_sig);

	v = itv(0, 200000, 0, 0);
	CHECK_OK(setitimer(ITIMER_VIRTUAL, &v, NULL), "setitimer VIRTUAL 200 ms");
	getitimer(ITIMER_VIRTUAL, &old);
	check(old.it_value.tv_sec == 0 && old.it_value.tv_usec > 0 && old.it_value.tv_usec <= 250000 &&
	      old.it_interval.tv_usec == 0, "getitimer: armed, about 200 ms left (Linux adds a tick)", "%ld.%06ld",
	      (long)old.it_value.tv_sec, (long)old.it_value.tv_usec);
	usleep(300000);
	check(vt == 0, "no SIGVTALRM while asleep", "got %d", (int)vt);
	check(spin_until(&vt, 1) == 0, "SIGVTALRM after spinning", "none in 20 s");
	getitimer(ITIMER_VIRTUAL, &old);
	check(old.it_value.tv_sec == 0 && old.it_value.tv_usec == 0, "one-shot disarmed after it fired",
	      "%ld us left", (long)old.it_value.tv_usec);

	v = itv(0, 20000, 0, 20000);
	CHECK_OK(setitimer(ITIMER_PROF, &v, NULL), "setitimer PROF 20 ms every 20 ms");
	check(spin_until(&prof, 3) == 0, "SIGPROF three times", "got %d", (int)prof);
	v = itv(0, 0, 0, 0);
	CHECK_OK(setitimer(ITIMER_PROF, &v, &old), "disarm PROF");
	check(old.it_interval.tv_usec == 20000, "old value: the 20 ms period", "%ld", (long)old.it_interval.tv_usec);
	getitimer(ITIMER_PROF, &old);
	check(old.it_value.tv_usec == 0 && old.it_interval.tv_usec == 0, "disarmed reads 0", "not 0");

	/* A thread's CPU time counts for the process. */
	vt = 0;
	v = itv(0, 100000, 0, 0);
	setitimer(ITIMER_VIRTUAL, &v, NULL);
	pthread_create(&th, NULL, worker, NULL);
	unsigned long long start = mono_ms();
	while (vt == 0 && mono_ms() - start < 20000)
		usleep(10000);
	atomic_store(&thread_stop, 1);
	pthread_join(th, NULL);
	check(vt == 1, "a thread's work fires the process's ITIMER_VIRTUAL", "got %d", (int)vt);

	v = itv(0, 1000000, 0, 0);
	CHECK_ERR(setitimer(ITIMER_VIRTUAL, &v, NULL), EINVAL, "usec 1000000");
	v = itv(-1, 0, 0, 0);
	CHECK_ERR(setitimer(ITIMER_PROF, &v, NULL), EINVAL, "negative seconds");
	CHECK_ERR(syscall(SYS_getitimer, 3, &old), EINVAL, "getitimer(3)");
	CHECK_ERR(syscall(SYS_setitimer, 7, &v, NULL), EINVAL, "setitimer(7)");
	CHECK_ERR(syscall(SYS_getitimer, ITIMER_VIRTUAL, (void *)8), EFAULT, "getitimer bad pointer");
	CHECK_ERR(syscall(SYS_setitimer, ITIMER_VIRTUAL, (void *)8, NULL), EFAULT, "setitimer bad pointer");
	return t_failed != 0;
}
