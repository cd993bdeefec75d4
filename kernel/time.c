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
#include "kernel/vdso.h"
#include "kernel/cputime.h"
#include "kernel/posix-timers.h"
#include "kernel/syscalls.h"
#include "uapi/linux/time.h"
#include "uapi/linux/times.h"
#include "uapi/linux/timex.h"

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

/*
 * The guest's clocks are the vDSO's (arch/um/kernel/vdso.c), so a syscall
 * and a vDSO read agree to the nanosecond; the _COARSE ones stand still
 * between ticks, as Linux's.  The CPU-time clocks: kernel/cputime.c.
 * 0 or -EINVAL.
 */
long kclock_now(int clk, u64 *ns)
{
	switch (clk) {
	case CLOCK_REALTIME:
	case CLOCK_TAI:
		*ns = vdso_mono_ns() + (u64)vdso_real_offset_ns();
		return 0;
	case CLOCK_REALTIME_COARSE:
		*ns = vdso_mono_coarse_ns() + (u64)vdso_real_offset_ns();
		return 0;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_BOOTTIME:
		*ns = vdso_mono_ns();
		return 0;
	case CLOCK_MONOTONIC_COARSE:
		*ns = vdso_mono_coarse_ns();
		return 0;
	default: {
		struct cpu_clock cc;
		int r = cpu_clock_decode(clk, &cc);

		if (r != 0)
			return -EINVAL;
		return cpu_clock_sample(&cc, ns) < 0 ? -EINVAL : 0;
	}
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
	long r = kclock_now((int)a[0], &ns);

	return r ? r : put_ts(UADDR(a[1]), ns);
}

SYSCALL(clock_getres)
{
	int clk = (int)a[0];
	u64 ns;
	long r = kclock_now(clk, &ns);

	if (r)
		return r;
	if (clk == CLOCK_REALTIME_COARSE || clk == CLOCK_MONOTONIC_COARSE)
		return a[1] ? put_ts(UADDR(a[1]), NSEC / HZ) : 0;	/* a tick */
	return a[1] ? put_ts(UADDR(a[1]), 1) : 0;
}

static struct timezone sys_tz;		/* settimeofday's, for gettimeofday */

/* The guest's CLOCK_REALTIME in ns. */
static u64 realtime_ns(void)
{
	return vdso_mono_ns() + (u64)vdso_real_offset_ns();
}

SYSCALL(gettimeofday)
{
	u64 ns = realtime_ns();
	struct __kernel_old_timeval tv = { (long)(ns / NSEC), (long)((ns % NSEC) / 1000) };
	struct timezone tz = sys_tz;

	if (a[0] && copy_to_user(UADDR(a[0]), &tv, sizeof(tv)))
		return -EFAULT;
	if (a[1] && copy_to_user(UADDR(a[1]), &tz, sizeof(tz)))
		return -EFAULT;
	return 0;
}

/*
 * Linux's do_sys_settimeofday64 checks: a time before the epoch or past
 * the settable range -EINVAL, then CAP_SYS_TIME (euid 0 here) -EPERM.
 * Only the guest's clock moves (vdso_set_realtime), never the host's.
 */
static long set_realtime(struct task *t, const struct __kernel_timespec *ts)
{
	if (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= (s64)NSEC ||
	    (u64)ts->tv_sec > (1ULL << 62) / NSEC)
		return -EINVAL;
	if (t->euid != 0)
		return -EPERM;
	vdso_set_realtime((u64)ts->tv_sec * NSEC + (u64)ts->tv_nsec);
	return 0;
}

SYSCALL(clock_settime)
{
	struct __kernel_timespec ts;

	if ((int)a[0] != CLOCK_REALTIME)
		return -EINVAL;		/* the only settable clock */
	if (copy_from_user(&ts, UADDR(a[1]), sizeof(ts)))
		return -EFAULT;
	return set_realtime(t, &ts);
}

SYSCALL(settimeofday)
{
	uaddr_t tvp = UADDR(a[0]), tzp = UADDR(a[1]);
	struct __kernel_old_timeval tv;
	struct __kernel_timespec ts;
	struct timezone tz;
	long r;

	if (!uaddr_is_null(tvp)) {
		if (copy_from_user(&tv, tvp, sizeof(tv)))
			return -EFAULT;
		if (tv.tv_usec < 0 || tv.tv_usec >= 1000000)
			return -EINVAL;
	}
	if (!uaddr_is_null(tzp) && copy_from_user(&tz, tzp, sizeof(tz)))
		return -EFAULT;
	if (t->euid != 0)
		return -EPERM;		/* CAP_SYS_TIME, even for (NULL, NULL) */
	if (!uaddr_is_null(tzp) && (tz.tz_minuteswest > 15 * 60 || tz.tz_minuteswest < -15 * 60))
		return -EINVAL;
	if (!uaddr_is_null(tvp)) {
		ts.tv_sec = tv.tv_sec;
		ts.tv_nsec = tv.tv_usec * 1000;
		r = set_realtime(t, &ts);
		if (r)
			return r;
	}
	if (!uaddr_is_null(tzp)) {
		sys_tz = tz;
		vdso_set_timezone(tz.tz_minuteswest, tz.tz_dsttime);
	}
	return 0;
}

#define ADJ_KNOWN	(ADJ_OFFSET | ADJ_FREQUENCY | ADJ_MAXERROR | ADJ_ESTERROR | ADJ_STATUS | \
			 ADJ_TIMECONST | ADJ_TAI | ADJ_SETOFFSET | ADJ_MICRO | ADJ_NANO | ADJ_TICK | \
			 ADJ_OFFSET_SINGLESHOT | ADJ_OFFSET_SS_READ)

/*
 * adjtimex on the guest's CLOCK_REALTIME: there is no NTP state to steer
 * (the host's clock is the reference), so the clock reads unsynchronised
 * (TIME_ERROR, STA_UNSYNC) as a fresh Linux does; root may step it with
 * ADJ_SETOFFSET, other modes are accepted and change nothing.
 */
static long do_adjtimex(struct task *t, uaddr_t u)
{
	struct __kernel_timex tx;
	u64 real;

	if (copy_from_user(&tx, u, sizeof(tx)))
		return -EFAULT;
	if (tx.modes & ~ADJ_KNOWN)
		return -EINVAL;
	if (tx.modes && tx.modes != ADJ_OFFSET_SS_READ && t->euid != 0)
		return -EPERM;
	if ((tx.modes & ADJ_SETOFFSET) && tx.modes != ADJ_OFFSET_SINGLESHOT) {
		s64 off = tx.time.tv_sec * (s64)NSEC +
			  tx.time.tv_usec * ((tx.modes & ADJ_NANO) ? 1 : 1000);

		if (tx.time.tv_usec < 0 || tx.time.tv_usec >= ((tx.modes & ADJ_NANO) ? (s64)NSEC : 1000000))
			return -EINVAL;
		vdso_set_realtime(realtime_ns() + (u64)off);
	}
	real = realtime_ns();
	memset(&tx, 0, sizeof(tx));
	tx.status = STA_UNSYNC;
	tx.maxerror = tx.esterror = 16000000;	/* NTP_PHASE_LIMIT */
	tx.constant = 2;
	tx.precision = 1;
	tx.tolerance = 500LL << 16;		/* MAXFREQ_SCALED */
	tx.tick = 1000000 / HZ;
	tx.time.tv_sec = (s64)(real / NSEC);
	tx.time.tv_usec = (s64)(real % NSEC / 1000);
	if (copy_to_user(u, &tx, sizeof(tx)))
		return -EFAULT;
	return TIME_ERROR;
}

SYSCALL(adjtimex)
{
	return do_adjtimex(t, UADDR(a[0]));
}

SYSCALL(clock_adjtime)
{
	int clk = (int)a[0];

	if (clk == CLOCK_REALTIME)
		return do_adjtimex(t, UADDR(a[1]));
	return kclock_now(clk, &(u64){ 0 }) < 0 ? -EINVAL : -EOPNOTSUPP;
}

SYSCALL(time)
{
	long now = (long)(realtime_ns() / NSEC);

	if (a[0] && put_user(now, UADDR(a[0])))
		return -EFAULT;
	return now;
}

static long nanosleep_restart(struct task *t);

/*
 * Sleeps until the guest's CLOCK_MONOTONIC (the vDSO's line) reaches
 * deadline: kernel timers run on the host's clock, which the line follows
 * only within its slew, so the sleep is re-armed for what the guest's
 * clock still lacks; a guest never sees a sleep end early.  0, or -EINTR
 * (a signal) with what is left in *left.
 */
static int sleep_guest_clock(u64 deadline, u64 *left)
{
	for (;;) {
		u64 now = vdso_mono_ns();

		if (now >= deadline)
			return 0;
		if (sleep_until(os_monotonic_ns() + (deadline - now), true) != 0) {
			now = vdso_mono_ns();
			*left = deadline > now ? deadline - now : 0;
			return -EINTR;
		}
	}
}

/*
 * Sleeps until the guest-clock deadline.  Interrupted, it writes what is
 * left to rem and returns -ERESTART_RESTARTBLOCK: EINTR for a handler,
 * or, after a stop and continue, a restart that sleeps the rest.
 */
static long do_nanosleep(u64 deadline, uaddr_t rem)
{
	struct task *t = current;
	u64 left;

	if (sleep_guest_clock(deadline, &left) == 0)
		return 0;
	if (!uaddr_is_null(rem) && put_ts(rem, left))
		return -EFAULT;
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
	return do_nanosleep(vdso_mono_ns() + ns, UADDR(a[1]));
}

/*
 * Linux's order: a clock with no sleep (the thread CPU clock, the _RAW and
 * _COARSE ones) is -EOPNOTSUPP before the timespec is read; then -EFAULT,
 * -EINVAL for a bad timespec; then the clock's own checks.
 */
SYSCALL(clock_nanosleep)
{
	int clk = (int)a[0], flags = (int)a[1];
	u64 ns, now, deadline;
	struct cpu_clock cc;
	long r;

	flags &= TIMER_ABSTIME;		/* Linux ignores the other bits */
	if (clk == CLOCK_THREAD_CPUTIME_ID || clk == CLOCK_MONOTONIC_RAW ||
	    clk == CLOCK_REALTIME_COARSE || clk == CLOCK_MONOTONIC_COARSE ||
	    (clk < 0 && (clk & 7) == 3))	/* 3: a posix clock fd (CLOCKFD) */
		return -EOPNOTSUPP;
	if (clk >= 0 && kclock_now(clk, &now) < 0 && clk != CLOCK_PROCESS_CPUTIME_ID)
		return -EINVAL;
	r = get_ts(UADDR(a[2]), &ns);
	if (r)
		return r;
	if (clk < 0 || clk == CLOCK_PROCESS_CPUTIME_ID) {
		if (cpu_clock_decode(clk, &cc) != 0)
			return -EINVAL;
		return cpu_clock_nanosleep(&cc, flags & TIMER_ABSTIME, ns,
					   (flags & TIMER_ABSTIME) ? UADDR_NULL : UADDR(a[3]));
	}
	kclock_now(clk, &now);
	if (flags & TIMER_ABSTIME)
		deadline = vdso_mono_ns() + (ns > now ? ns - now : 0);
	else
		deadline = vdso_mono_ns() + ns;
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
	if (t->signal->live == 0 || t->signal->count == 1) {
		ktimer_cancel(&t->signal->itimer_real);
		posix_timers_exit(t->signal);	/* and its POSIX timers */
	}
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

/* ITIMER_VIRTUAL and ITIMER_PROF count CPU time: kernel/cputime.c. */
static void cpu_itimer_read(struct task *t, int which, struct __kernel_old_itimerval *v)
{
	u64 val, iv;

	cpu_itimer_get(t, which, &val, &iv);
	v->it_value.tv_sec = (long)(val / NSEC);
	v->it_value.tv_usec = (long)(val % NSEC / 1000);
	if (val && v->it_value.tv_sec == 0 && v->it_value.tv_usec == 0)
		v->it_value.tv_usec = 1;
	v->it_interval.tv_sec = (long)(iv / NSEC);
	v->it_interval.tv_usec = (long)(iv % NSEC / 1000);
}

static void itimer_read(struct task *t, int which, struct __kernel_old_itimerval *v)
{
	if (which == ITIMER_REAL)
		itimer_get(t, v);
	else
		cpu_itimer_read(t, which, v);
}

SYSCALL(getitimer)
{
	int which = (int)a[0];
	struct __kernel_old_itimerval v;

	if (which != ITIMER_REAL && which != ITIMER_VIRTUAL && which != ITIMER_PROF)
		return -EINVAL;
	memset(&v, 0, sizeof(v));
	itimer_read(t, which, &v);
	return copy_to_user(UADDR(a[1]), &v, sizeof(v)) ? -EFAULT : 0;
}

static bool tv_valid(const struct __kernel_old_timeval *tv)
{
	return tv->tv_sec >= 0 && tv->tv_usec >= 0 && tv->tv_usec < 1000000;
}

/* A timeval in ns; Linux rounds a value below the tick up to it: we need not. */
static u64 tv_ns(const struct __kernel_old_timeval *tv)
{
	if ((u64)tv->tv_sec > (~0ULL >> 2) / NSEC)
		return ~0ULL >> 2;
	return (u64)tv->tv_sec * NSEC + (u64)tv->tv_usec * 1000;
}

SYSCALL(setitimer)
{
	int which = (int)a[0];
	uaddr_t newp = UADDR(a[1]), oldp = UADDR(a[2]);
	struct __kernel_old_itimerval v, old;

	if (which != ITIMER_REAL && which != ITIMER_VIRTUAL && which != ITIMER_PROF)
		return -EINVAL;
	memset(&v, 0, sizeof(v));
	if (!uaddr_is_null(newp) && copy_from_user(&v, newp, sizeof(v)))
		return -EFAULT;
	if (!tv_valid(&v.it_value) || !tv_valid(&v.it_interval))
		return -EINVAL;
	memset(&old, 0, sizeof(old));
	itimer_read(t, which, &old);
	if (which == ITIMER_REAL)
		itimer_set(t, tv_ns(&v.it_value), tv_ns(&v.it_interval));
	else
		cpu_itimer_set(t, which, tv_ns(&v.it_value), tv_ns(&v.it_interval));
	if (!uaddr_is_null(oldp) && copy_to_user(oldp, &old, sizeof(old)))
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
