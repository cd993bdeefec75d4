/*
 * time.c - clocks, sleeps and interval timers.  Time comes from the
 * host's clocks; boot time is subtracted for CLOCK_BOOTTIME-like uptime.
 */
#include "kernel/sched.h"
#include "kernel/mm.h"
#include "kernel/syscalls.h"
#include "uapi/linux/time.h"
#include "uapi/linux/times.h"

#define NSEC 1000000000ULL

static u64 boot_ns;

void time_init(void)
{
	boot_ns = os_monotonic_ns();
}

/* The host's monotonic time when the kernel booted. */
u64 ktime_boot_ns(void)
{
	return boot_ns;
}

static long clock_now(int clk, u64 *ns)
{
	switch (clk) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_TAI:
		*ns = os_realtime_ns();
		return 0;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
		*ns = os_monotonic_ns() - boot_ns;
		return 0;
	case CLOCK_PROCESS_CPUTIME_ID:
	case CLOCK_THREAD_CPUTIME_ID:
		*ns = current->utime_ns + current->stime_ns;
		return 0;
	default:
		return -EINVAL;
	}
}

static long put_ts(uaddr_t u, u64 ns)
{
	struct __kernel_timespec ts = { (s64)(ns / NSEC), (s64)(ns % NSEC) };

	return copy_to_user(u, &ts, sizeof(ts)) ? -EFAULT : 0;
}

/* Reads a timespec; -EFAULT or -EINVAL for a bad one. */
static long get_ts(uaddr_t u, u64 *ns)
{
	struct __kernel_timespec ts;

	if (copy_from_user(&ts, u, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (s64)NSEC)
		return -EINVAL;
	if ((u64)ts.tv_sec > (~0ULL - NSEC) / NSEC)
		*ns = ~0ULL >> 1;
	else
		*ns = (u64)ts.tv_sec * NSEC + (u64)ts.tv_nsec;
	return 0;
}

SYSCALL(clock_gettime)
{
	u64 ns;
	long r = clock_now((int)a[0], &ns);

	return r ? r : put_ts(a[1], ns);
}

SYSCALL(clock_getres)
{
	u64 ns;
	long r = clock_now((int)a[0], &ns);

	if (r)
		return r;
	return a[1] ? put_ts(a[1], 1) : 0;
}

SYSCALL(gettimeofday)
{
	u64 ns = os_realtime_ns();
	struct __kernel_old_timeval tv = { (long)(ns / NSEC), (long)((ns % NSEC) / 1000) };
	struct timezone tz = { 0, 0 };

	if (a[0] && copy_to_user(a[0], &tv, sizeof(tv)))
		return -EFAULT;
	if (a[1] && copy_to_user(a[1], &tz, sizeof(tz)))
		return -EFAULT;
	return 0;
}

SYSCALL(time)
{
	long now = (long)(os_realtime_ns() / NSEC);

	if (a[0] && put_user(now, a[0]))
		return -EFAULT;
	return now;
}

/* Sleeps until the monotonic deadline; writes what is left on a signal. */
static long nanosleep_restart(struct task *t);

/*
 * Sleeps until the monotonic deadline.  Interrupted, it writes what is
 * left to rem and returns -ERESTART_RESTARTBLOCK: EINTR for a handler,
 * or, after a stop and continue, a restart that sleeps the rest.
 */
static long do_nanosleep(u64 deadline, uaddr_t rem)
{
	struct task *t = current;

	if (sleep_until(deadline, true) == 0)
		return 0;
	if (rem) {
		u64 now = os_monotonic_ns();

		if (put_ts(rem, deadline > now ? deadline - now : 0))
			return -EFAULT;
	}
	t->restart_fn = nanosleep_restart;
	t->restart_deadline = deadline;
	t->restart_rem = rem;
	return -ERESTART_RESTARTBLOCK;
}

static long nanosleep_restart(struct task *t)
{
	return do_nanosleep(t->restart_deadline, t->restart_rem);
}

SYSCALL(nanosleep)
{
	u64 ns;
	long r = get_ts(a[0], &ns);

	if (r)
		return r;
	return do_nanosleep(os_monotonic_ns() + ns, a[1]);
}

SYSCALL(clock_nanosleep)
{
	int clk = (int)a[0], flags = (int)a[1];
	u64 ns, now, deadline;
	long r;

	if (flags & ~TIMER_ABSTIME)
		return -EINVAL;
	r = clock_now(clk, &now);
	if (r || clk == CLOCK_PROCESS_CPUTIME_ID || clk == CLOCK_THREAD_CPUTIME_ID)
		return r ? r : -EINVAL;
	r = get_ts(a[2], &ns);
	if (r)
		return r;
	if (flags & TIMER_ABSTIME)
		deadline = os_monotonic_ns() + (ns > now ? ns - now : 0);
	else
		deadline = os_monotonic_ns() + ns;
	return do_nanosleep(deadline, (flags & TIMER_ABSTIME) ? 0 : a[3]);
}

/* Checks every task's ITIMER_REAL; called from the timer interrupt. */
void itimers_run(u64 now)
{
	struct task *p;

	list_for_each_entry(p, &all_tasks, tasks) {
		if (!p->itimer_real_ns || p->itimer_real_ns > now || !p->mm)
			continue;
		p->itimer_real_ns = p->itimer_real_interval ? now + p->itimer_real_interval : 0;
		send_sig(p, SIGALRM);
	}
}

static void itimer_get(struct task *t, struct __kernel_old_itimerval *v)
{
	u64 now = os_monotonic_ns(), left;

	left = t->itimer_real_ns > now ? t->itimer_real_ns - now : (t->itimer_real_ns ? 1000 : 0);
	v->it_value.tv_sec = left / NSEC;
	v->it_value.tv_usec = (left % NSEC) / 1000;
	v->it_interval.tv_sec = t->itimer_real_interval / NSEC;
	v->it_interval.tv_usec = (t->itimer_real_interval % NSEC) / 1000;
}

SYSCALL(getitimer)
{
	struct __kernel_old_itimerval v;

	memset(&v, 0, sizeof(v));
	if ((int)a[0] == ITIMER_REAL)
		itimer_get(t, &v);
	else if ((int)a[0] != ITIMER_VIRTUAL && (int)a[0] != ITIMER_PROF)
		return -EINVAL;
	return copy_to_user(a[1], &v, sizeof(v)) ? -EFAULT : 0;
}

SYSCALL(setitimer)
{
	struct __kernel_old_itimerval v, old;
	u64 val, iv;

	if ((int)a[0] != ITIMER_REAL)
		return ((int)a[0] == ITIMER_VIRTUAL || (int)a[0] == ITIMER_PROF) ? 0 : -EINVAL;
	memset(&v, 0, sizeof(v));
	if (a[1] && copy_from_user(&v, a[1], sizeof(v)))
		return -EFAULT;
	if (v.it_value.tv_usec < 0 || v.it_value.tv_usec >= 1000000 || v.it_value.tv_sec < 0 ||
	    v.it_interval.tv_usec < 0 || v.it_interval.tv_usec >= 1000000 || v.it_interval.tv_sec < 0)
		return -EINVAL;
	itimer_get(t, &old);
	val = (u64)v.it_value.tv_sec * NSEC + (u64)v.it_value.tv_usec * 1000;
	iv = (u64)v.it_interval.tv_sec * NSEC + (u64)v.it_interval.tv_usec * 1000;
	t->itimer_real_ns = val ? os_monotonic_ns() + val : 0;
	t->itimer_real_interval = iv;
	if (a[2] && copy_to_user(a[2], &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

SYSCALL(alarm)
{
	u64 now = os_monotonic_ns();
	unsigned secs = (unsigned)a[0];
	long left = t->itimer_real_ns > now ? (long)((t->itimer_real_ns - now + NSEC / 2) / NSEC) : 0;

	if (t->itimer_real_ns && left == 0)
		left = 1;
	t->itimer_real_ns = secs ? now + (u64)secs * NSEC : 0;
	t->itimer_real_interval = 0;
	return left;
}

SYSCALL(times)
{
	struct tms tms;
	u64 ticks_ns = NSEC / 100;	/* USER_HZ */

	tms.tms_utime = (long)(t->utime_ns / ticks_ns);
	tms.tms_stime = (long)(t->stime_ns / ticks_ns);
	tms.tms_cutime = (long)(t->cutime_ns / ticks_ns);
	tms.tms_cstime = (long)(t->cstime_ns / ticks_ns);
	if (a[0] && copy_to_user(a[0], &tms, sizeof(tms)))
		return -EFAULT;
	return (long)((os_monotonic_ns() - boot_ns) / ticks_ns);
}
