/*
 * timer.c - the one-shot host timer behind the kernel's timers
 * (kernel/time.c).  A POSIX timer on CLOCK_MONOTONIC delivers SIGALRM to
 * the kernel thread, like the periodic tick, so it arrives as
 * OS_IRQ_TIMER; it is created on first use, by the kernel thread.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include "shared/os.h"

static timer_t oneshot;
static int oneshot_ready;

static int oneshot_create(void)
{
	struct sigevent sev;

	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_THREAD_ID;
	sev.sigev_signo = SIGALRM;
	sev._sigev_un._tid = (pid_t)syscall(SYS_gettid);
	if (timer_create(CLOCK_MONOTONIC, &sev, &oneshot) < 0)
		return -errno;
	oneshot_ready = 1;
	return 0;
}

int os_timer_oneshot(uint64_t abs_ns)
{
	struct itimerspec its;

	if (!oneshot_ready) {
		int r = oneshot_create();

		if (r < 0)
			return r;
	}
	memset(&its, 0, sizeof(its));
	if (abs_ns == 0)
		abs_ns = 1;	/* 0 would disarm: fire at once instead */
	its.it_value.tv_sec = (time_t)(abs_ns / 1000000000ULL);
	its.it_value.tv_nsec = (long)(abs_ns % 1000000000ULL);
	if (timer_settime(oneshot, TIMER_ABSTIME, &its, NULL) < 0)
		return -errno;
	return 0;
}

/*
 * The CPU time (user + system) the host has charged to process pid so
 * far, read through its process CPU clock (clock_getcpuclockid(3)'s
 * encoding), or -errno.  The guest's CPU times are this for its stub.
 */
int64_t os_process_cputime_ns(int pid)
{
	clockid_t clk = (clockid_t)((~(unsigned)pid << 3) | 2);	/* CPUCLOCK_SCHED */
	struct timespec ts;

	if (clock_gettime(clk, &ts) < 0)
		return -errno;
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}
