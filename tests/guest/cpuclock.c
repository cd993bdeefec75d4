/*
 * cpuclock.c - the CPU-time clocks: CLOCK_PROCESS_CPUTIME_ID and
 * CLOCK_THREAD_CPUTIME_ID advance with work and not with sleep;
 * clock_getcpuclockid and pthread_getcpuclockid give Linux's encodings
 * (~pid << 3 | 2, ~tid << 3 | 6), readable for the caller's threads and any
 * process; a spinning thread's clock runs while the sleeping main
 * thread's does not; PROF/VIRT encodings; bad pids, a thread of another
 * process, a non-leader as a process, which == 3 are EINVAL (ESRCH from
 * clock_getcpuclockid).
 */
#include "t.h"
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

static atomic_int stop_spin;
static atomic_int spun;

static unsigned long long now_ns(clockid_t c)
{
	struct timespec ts;

	if (syscall(SYS_clock_gettime, c, &ts) < 0)
		return 0;
	return (unsigned long long)ts.tv_sec * 1000000000ULL + (unsigned long long)ts.tv_nsec;
}

/* Work until clk advanced by ns (bounded: 20 s of wall time). */
static int spin_for(clockid_t clk, unsigned long long ns)
{
	unsigned long long start = now_ns(clk), wall = now_ns(CLOCK_MONOTONIC);

	while (now_ns(clk) - start < ns)
		if (now_ns(CLOCK_MONOTONIC) - wall > 20000000000ULL)
			return -1;
	return 0;
}

static volatile pid_t tid_of_spinner;

static void *spinner(void *arg)
{
	volatile unsigned long x = 0;

	tid_of_spinner = (pid_t)syscall(SYS_gettid);
	while (!atomic_load(&stop_spin))
		x++;
	atomic_store(&spun, 1);
	return arg;
}

static clockid_t proc_clock(pid_t pid, int which) { return (clockid_t)((~(unsigned)pid << 3) | (unsigned)which); }
static clockid_t thread_clock(pid_t tid, int which) { return (clockid_t)((~(unsigned)tid << 3) | 4u | (unsigned)which); }

int main(void)
{
	clockid_t c;
	pthread_t th;
	struct timespec ts;
	unsigned long long a, b, main0, main1;

	t_start();
	a = now_ns(CLOCK_PROCESS_CPUTIME_ID);
	check(spin_for(CLOCK_PROCESS_CPUTIME_ID, 30000000) == 0, "process CPU clock advances with work", "did not");
	b = now_ns(CLOCK_THREAD_CPUTIME_ID);
	check(b >= 30000000, "thread CPU clock counted that work", "%llu", b);
	a = now_ns(CLOCK_THREAD_CPUTIME_ID);
	usleep(100000);
	b = now_ns(CLOCK_THREAD_CPUTIME_ID);
	check(b - a < 50000000, "sleeping costs (almost) no CPU time", "%llu ns", b - a);

	check(clock_getcpuclockid(0, &c) == 0 && c == proc_clock(0, 2), "clock_getcpuclockid(0)", "%d", (int)c);
	check(clock_getcpuclockid(getpid(), &c) == 0 && c == proc_clock(getpid(), 2),
	      "clock_getcpuclockid(getpid()) = ~pid << 3 | 2", "%d", (int)c);
	check(clock_gettime(c, &ts) == 0, "its clock reads", "errno %d", errno);
	check(clock_getcpuclockid(0x3ffffff0, &c) == ESRCH, "clock_getcpuclockid(no such pid) ESRCH", "other");
	check(clock_getres(proc_clock(0, 2), &ts) == 0 && ts.tv_sec == 0 && ts.tv_nsec == 1,
	      "getres of a SCHED CPU clock: 1 ns", "%ld", ts.tv_nsec);

	/* A spinning thread's clock runs; the main thread's, asleep, does not. */
	pthread_create(&th, NULL, spinner, NULL);
	while (tid_of_spinner == 0)
		sched_yield();
	check(pthread_getcpuclockid(th, &c) == 0 && c == thread_clock(tid_of_spinner, 2),
	      "pthread_getcpuclockid = ~tid << 3 | 6", "%d vs tid %d", (int)c, tid_of_spinner);
	main0 = now_ns(CLOCK_THREAD_CPUTIME_ID);
	a = now_ns(c);
	while (now_ns(c) - a < 50000000)
		usleep(10000);
	b = now_ns(c);
	main1 = now_ns(CLOCK_THREAD_CPUTIME_ID);
	check(b - a >= 50000000, "the spinner's clock ran while main slept", "%llu", b - a);
	check(main1 - main0 < b - a, "main's own clock ran less", "%llu vs %llu", main1 - main0, b - a);
	check(now_ns(CLOCK_PROCESS_CPUTIME_ID) >= b, "process clock covers its threads", "less");
	check(now_ns(thread_clock(tid_of_spinner, 1)) <= now_ns(thread_clock(tid_of_spinner, 0)),
	      "VIRT (user) <= PROF (user+system)", "more");
	CHECK_ERR(syscall(SYS_clock_gettime, proc_clock(tid_of_spinner, 2), &ts), EINVAL,
		  "a non-leader thread as a process clock");
	atomic_store(&stop_spin, 1);
	pthread_join(th, NULL);

	CHECK_ERR(syscall(SYS_clock_gettime, proc_clock(0, 3), &ts), EINVAL, "which == 3");
	CHECK_ERR(syscall(SYS_clock_gettime, proc_clock(0x3ffffff0, 2), &ts), EINVAL, "no such pid");
	CHECK_ERR(syscall(SYS_clock_getres, thread_clock(0x3ffffff0, 2), &ts), EINVAL, "getres: no such tid");

	int p[2];
	pid_t pid;

	pipe(p);
	pid = fork();
	if (pid == 0) {
		char ch;

		read(p[0], &ch, 1);
		_exit(0);
	}
	CHECK_ERR(syscall(SYS_clock_gettime, thread_clock(pid, 2), &ts), EINVAL,
		  "a thread clock of another process");
	CHECK_OK(syscall(SYS_clock_gettime, proc_clock(pid, 2), &ts), "another process's clock reads");
	write(p[1], "x", 1);
	waitpid(pid, NULL, 0);
	CHECK_ERR(syscall(SYS_clock_gettime, proc_clock(pid, 2), &ts), EINVAL, "a reaped process's clock");
	CHECK_ERR(syscall(SYS_clock_gettime, CLOCK_PROCESS_CPUTIME_ID, (void *)8), EFAULT, "bad pointer");
	return t_failed != 0;
}
