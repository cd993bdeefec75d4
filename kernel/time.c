/*
 * time.c - clocks, kernel timers, sleeps and interval timers.  Time
 * comes from the host's clocks; boot time is subtracted for
 * CLOCK_BOOTTIME-like uptime.
 *
 * Kernel timers (include/kernel/timer.h) sit on one list ordered by
 * expiry; the host's one-shot timer is kept programmed for the head, so
 * a timer fires within the host's timer slack, not at the next tick.
 * The list is walked to insert (O(n) in armed timers, a handful per task).
 */
#include "kernel/sched.h"
#include "kernel/mm.h"
#include "kernel/syscalls.h"
#include "uapi/linux/time.h"
#include "uapi/linux/times.h"

#define NSEC 1000000000ULL

static u64 boot_ns;
static LIST_HEAD(ktimer_list);
static u64 programmed;		/* what the host one-shot is set for, or 0 */

/* Keeps the host one-shot timer at or before the earliest expiry. */
static void ktimer_program(void)
{
	struct ktimer *first;

	if (list_empty(&ktimer_list))
		return;
	first = list_first_entry(&ktimer_list, struct ktimer, link);
	if (programmed != 0 && programmed <= first->expires)
		return;
	if (os_timer_oneshot(first->expires) == 0)
		programmed = first->expires;
}

void ktimer_start(struct ktimer *t, u64 expires)
{
	struct ktimer *pos;

	list_del(&t->link);
	t->expires = expires;
	list_for_each_entry(pos, &ktimer_list, link)
		if (pos->expires > expires)
			break;
	list_add_tail(&t->link, &pos->link);	/* before pos, or at the tail */
	ktimer_program();
}

bool ktimer_cancel(struct ktimer *t)
{
	bool was = ktimer_armed(t);

	list_del(&t->link);
	return was;
}

void ktimers_run(u64 now)
{
	if (programmed != 0 && programmed <= now)
		programmed = 0;
	while (!list_empty(&ktimer_list)) {
		struct ktimer *t = list_first_entry(&ktimer_list, struct ktimer, link);

		if (t->expires > now)
			break;
		list_del(&t->link);
		t->fn(t);		/* may re-arm t */
	}
	ktimer_program();
}

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
	case CLOCK_PROCESS_CPUTIME_ID: {
		u64 u, s;

		thread_group_times(current, &u, &s);
		*ns = u + s;
		return 0;
	}
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

	return r ? r : put_ts(UADDR(a[1]), ns);
}

SYSCALL(clock_getres)
{
	u64 ns;
	long r = clock_now((int)a[0], &ns);

	if (r)
		return r;
	return a[1] ? put_ts(UADDR(a[1]), 1) : 0;
}

SYSCALL(gettimeofday)
{
	u64 ns = os_realtime_ns();
	struct __kernel_old_timeval tv = { (long)(ns / NSEC), (long)((ns % NSEC) / 1000) };
	struct timezone tz = { 0, 0 };

	if (a[0] && copy_to_user(UADDR(a[0]), &tv, sizeof(tv)))
		return -EFAULT;
	if (a[1] && copy_to_user(UADDR(a[1]), &tz, sizeof(tz)))
		return -EFAULT;
	return 0;
}

SYSCALL(time)
{
	long now = (long)(os_realtime_ns() / NSEC);

	if (a[0] && put_user(now, UADDR(a[0])))
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
	if (!uaddr_is_null(rem)) {
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
	long r = get_ts(UADDR(a[0]), &ns);

	if (r)
		return r;
	return do_nanosleep(os_monotonic_ns() + ns, UADDR(a[1]));
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
	r = get_ts(UADDR(a[2]), &ns);
	if (r)
		return r;
	if (flags & TIMER_ABSTIME)
		deadline = os_monotonic_ns() + (ns > now ? ns - now : 0);
	else
		deadline = os_monotonic_ns() + ns;
	return do_nanosleep(deadline, (flags & TIMER_ABSTIME) ? UADDR_NULL : UADDR(a[3]));
}

/*
 * ITIMER_REAL belongs to the process (its signal_struct), not to a
 * thread: SIGALRM goes to the process, any thread may take it.
 */

/* ITIMER_REAL expired: SIGALRM, and the next period if there is one. */
static void itimer_real_fire(struct ktimer *k)
{
	struct signal_struct *sig = k->data;

	if (!sig->live || !sig->leader->sighand)
		return;
	if (sig->itimer_real_interval)
		ktimer_start(k, k->expires + sig->itimer_real_interval);
	send_sig(sig->leader, SIGALRM);
}

/* t has a group of its own (task_alloc): its timer starts disarmed. */
void itimer_init(struct task *t)
{
	ktimer_init(&t->signal->itimer_real, itimer_real_fire, t->signal);
	t->signal->itimer_real_interval = 0;
}

/* t is exiting or freed: once its group is gone, the timers must not fire. */
void timer_disarm(struct task *t)
{
	if (t->signal->live == 0 || t->signal->count == 1)
		ktimer_cancel(&t->signal->itimer_real);
}

/* Nanoseconds left on ITIMER_REAL (0: disarmed; 1 us at least if armed). */
static u64 itimer_left(struct task *t)
{
	struct ktimer *k = &t->signal->itimer_real;
	u64 now = os_monotonic_ns();

	if (!ktimer_armed(k))
		return 0;
	return k->expires > now ? k->expires - now : 1000;
}

static void itimer_get(struct task *t, struct __kernel_old_itimerval *v)
{
	u64 left = itimer_left(t);

	v->it_value.tv_sec = left / NSEC;
	v->it_value.tv_usec = (left % NSEC) / 1000;
	v->it_interval.tv_sec = t->signal->itimer_real_interval / NSEC;
	v->it_interval.tv_usec = (t->signal->itimer_real_interval % NSEC) / 1000;
}

/* Arms ITIMER_REAL val ns from now (0 disarms) with period iv. */
static void itimer_set(struct task *t, u64 val, u64 iv)
{
	t->signal->itimer_real_interval = iv;
	if (val)
		ktimer_start(&t->signal->itimer_real, os_monotonic_ns() + val);
	else
		ktimer_cancel(&t->signal->itimer_real);
}

SYSCALL(getitimer)
{
	struct __kernel_old_itimerval v;

	memset(&v, 0, sizeof(v));
	if ((int)a[0] == ITIMER_REAL)
		itimer_get(t, &v);
	else if ((int)a[0] != ITIMER_VIRTUAL && (int)a[0] != ITIMER_PROF)
		return -EINVAL;
	return copy_to_user(UADDR(a[1]), &v, sizeof(v)) ? -EFAULT : 0;
}

SYSCALL(setitimer)
{
	struct __kernel_old_itimerval v, old;
	u64 val, iv;

	if ((int)a[0] != ITIMER_REAL)
		return ((int)a[0] == ITIMER_VIRTUAL || (int)a[0] == ITIMER_PROF) ? 0 : -EINVAL;
	memset(&v, 0, sizeof(v));
	if (a[1] && copy_from_user(&v, UADDR(a[1]), sizeof(v)))
		return -EFAULT;
	if (v.it_value.tv_usec < 0 || v.it_value.tv_usec >= 1000000 || v.it_value.tv_sec < 0 ||
	    v.it_interval.tv_usec < 0 || v.it_interval.tv_usec >= 1000000 || v.it_interval.tv_sec < 0)
		return -EINVAL;
	itimer_get(t, &old);
	val = (u64)v.it_value.tv_sec * NSEC + (u64)v.it_value.tv_usec * 1000;
	iv = (u64)v.it_interval.tv_sec * NSEC + (u64)v.it_interval.tv_usec * 1000;
	itimer_set(t, val, iv);
	if (a[2] && copy_to_user(UADDR(a[2]), &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

SYSCALL(alarm)
{
	unsigned secs = (unsigned)a[0];
	u64 ns = itimer_left(t);
	long left = (long)((ns + NSEC / 2) / NSEC);

	if (ns && left == 0)
		left = 1;
	itimer_set(t, (u64)secs * NSEC, 0);
	return left;
}

SYSCALL(times)
{
	struct tms tms;
	u64 ticks_ns = NSEC / 100;	/* USER_HZ */
	u64 u, s;

	thread_group_times(t, &u, &s);
	tms.tms_utime = (long)(u / ticks_ns);
	tms.tms_stime = (long)(s / ticks_ns);
	tms.tms_cutime = (long)(t->signal->cutime_ns / ticks_ns);
	tms.tms_cstime = (long)(t->signal->cstime_ns / ticks_ns);
	if (a[0] && copy_to_user(UADDR(a[0]), &tms, sizeof(tms)))
		return -EFAULT;
	return (long)((os_monotonic_ns() - boot_ns) / ticks_ns);
}
