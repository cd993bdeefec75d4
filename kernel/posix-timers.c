/*
 * posix-timers.c - timer_create, timer_settime, timer_gettime,
 * timer_getoverrun, timer_delete.
 *
 * A process's timers hang on its signal_struct, with ids from 0 up.  On
 * the wall clocks (REALTIME, MONOTONIC, BOOTTIME, TAI and the _ALARM ones)
 * a timer is a kernel timer on the monotonic clock; on a CPU clock (of
 * the caller's threads, its process or another process) it is a value of
 * that clock, checked whenever a guest of that process stops
 * (kernel/cputime.c): the owner's stops walk its own list, the target's
 * stops the foreign list, which holds the timers on other processes'
 * clocks.  clock_nanosleep on a CPU clock waits the same way, on the
 * sleepers' list.  Expiry sends sigev_signo to
 * the process (SIGEV_SIGNAL, and SIGEV_THREAD which the kernel treats
 * alike) or to one thread (SIGEV_THREAD_ID: glibc's SIGEV_THREAD helper),
 * with si_code SI_TIMER; while that signal is still queued, further
 * expiries only count in its si_overrun.  SIGEV_NONE timers arm nothing:
 * timer_gettime works their state out.  exec and the process's end delete
 * them; fork does not copy them.
 */
#include "kernel/kernel.h"
#include "kernel/mm.h"
#include "kernel/page.h"
#include "kernel/posix-timers.h"
#include "kernel/sched.h"
#include "kernel/syscalls.h"
#include "uapi/linux/time.h"

#define NSEC		1000000000ULL
#define TIMERS_MAX	4096		/* per process (Linux: RLIMIT_SIGPENDING) */
#define DELAYTIMER_MAX	0x7fffffff

long kclock_now(int clk, u64 *ns);	/* kernel/time.c */

static LIST_HEAD(foreign_cpu_timers);	/* k_itimer.cpu_node */
static LIST_HEAD(cpu_sleepers);		/* cpu_sleeper.link */

/* A task in clock_nanosleep on a CPU clock. */
struct cpu_sleeper {
	struct list_head link;
	struct cpu_clock cc;
	u64 expires;			/* the clock's value it waits for */
	struct wait_queue wq;
};

static void timer_send(struct k_itimer *k, u64 extra)
{
	bool group = !(k->notify & SIGEV_THREAD_ID);
	struct task *to = group ? k->sig->leader : find_task(k->tid);
	siginfo_t *q, info;

	if (k->notify == SIGEV_NONE || to == NULL || to->signal != k->sig)
		return;		/* the thread is gone */
	if (extra > DELAYTIMER_MAX)
		extra = DELAYTIMER_MAX;
	q = pending_timer_info(to, group, k->id);
	if (q != NULL) {
		u64 n = (u64)q->si_overrun + 1 + extra;

		q->si_overrun = n > DELAYTIMER_MAX ? DELAYTIMER_MAX : (int)n;
		k->overrun_queued = q->si_overrun;
		return;
	}
	memset(&info, 0, sizeof(info));
	info.si_signo = k->signo;
	info.si_code = SI_TIMER;
	info.si_tid = k->id;
	info.si_overrun = (int)extra;
	info.si_ptr = (void *)k->value;
	k->overrun_last = k->overrun_queued;
	k->overrun_queued = (int)extra;
	if (group)
		send_signal(to, k->signo, &info);
	else
		send_signal_thread(to, k->signo, &info);
}

/* *expires (now or before) has come: the next period, and the signal. */
static void timer_expire(struct k_itimer *k, u64 now, u64 *expires)
{
	u64 missed = 0;

	if (k->interval) {
		missed = (now - *expires) / k->interval;
		*expires += (missed + 1) * k->interval;
	} else {
		*expires = 0;
	}
	timer_send(k, missed);
}

/* The timer's signal still queued, or NULL. */
static siginfo_t *timer_queued(struct k_itimer *k)
{
	bool group = !(k->notify & SIGEV_THREAD_ID);
	struct task *to = group ? k->sig->leader : find_task(k->tid);

	if (to == NULL || to->signal != k->sig)
		return NULL;
	return pending_timer_info(to, group, k->id);
}

/*
 * While its last signal waits (or when it was dropped: ignored, its thread
 * gone), a short period would fire the kernel timer over and over for
 * nothing but overruns: it steps whole periods to the next tick instead,
 * counting them (Linux re-arms such a timer only when the signal is
 * delivered).
 */
static void timer_wall_fire(struct ktimer *kt)
{
	struct k_itimer *k = kt->data;
	u64 now = os_monotonic_ns(), skip;
	bool waiting = timer_queued(k) != NULL;	/* the last signal not taken yet */
	siginfo_t *q;

	timer_expire(k, now, &kt->expires);
	if (kt->expires == 0)
		return;
	q = timer_queued(k);
	if ((waiting || q == NULL) && kt->expires < now + NSEC / HZ) {	/* waiting, or dropped */
		skip = (now + NSEC / HZ - kt->expires) / k->interval + 1;
		kt->expires += skip * k->interval;
		if (q != NULL) {
			skip += (u64)q->si_overrun;
			q->si_overrun = skip > DELAYTIMER_MAX ? DELAYTIMER_MAX : (int)skip;
			k->overrun_queued = q->si_overrun;
		}
	}
	ktimer_start(kt, kt->expires);
}

void posix_cpu_timers_check(struct task *t)
{
	struct k_itimer *k;
	u64 now;

	list_for_each_entry(k, &t->signal->posix_timers, list) {
		if (!k->cpu || k->cpu_expires == 0 || k->notify == SIGEV_NONE)
			continue;
		if (cpu_clock_sample(&k->cc, &now) == 0 && now >= k->cpu_expires)
			timer_expire(k, now, &k->cpu_expires);
	}
}

/* Whether the CPU clock cc counts t's time. */
static bool clock_counts(const struct cpu_clock *cc, const struct task *t)
{
	return cc->thread ? cc->pid == t->pid : cc->pid == t->tgid;
}

bool posix_cpu_others_any(void)
{
	return !list_empty(&foreign_cpu_timers) || !list_empty(&cpu_sleepers);
}

void posix_cpu_others_check(struct task *t)
{
	struct k_itimer *k;
	struct cpu_sleeper *s;
	u64 now;

	list_for_each_entry(k, &foreign_cpu_timers, cpu_node) {
		if (k->cpu_expires == 0 || k->notify == SIGEV_NONE || !clock_counts(&k->cc, t))
			continue;
		if (cpu_clock_sample(&k->cc, &now) == 0 && now >= k->cpu_expires)
			timer_expire(k, now, &k->cpu_expires);
	}
	list_for_each_entry(s, &cpu_sleepers, link)
		if (clock_counts(&s->cc, t) && cpu_clock_sample(&s->cc, &now) == 0 &&
		    now >= s->expires)
			wake_up(&s->wq);
}

/*
 * Sleeps until cc reaches expires: 0, or -EINTR (a signal).  A clock whose
 * process is gone never gets there (Linux leaves such a sleeper asleep
 * too).  May sleep.
 */
static long cpu_sleep_until(const struct cpu_clock *cc, u64 expires)
{
	struct cpu_sleeper s = { .cc = *cc, .expires = expires };
	long r = 0;
	u64 now;

	init_waitqueue(&s.wq);
	list_add_tail(&s.link, &cpu_sleepers);
	while (cpu_clock_sample(cc, &now) < 0 || now < expires)
		if (sleep_on(&s.wq, true) < 0) {
			r = -EINTR;
			break;
		}
	list_del(&s.link);
	return r;
}

static long cpu_nanosleep_restart(struct task *t)
{
	struct cpu_clock cc;

	if (cpu_clock_decode(t->restart_clock, &cc) != 0)
		return -EINVAL;
	return cpu_clock_nanosleep(&cc, true, t->restart_deadline, t->restart_rem);
}

/*
 * Linux's posix_cpu_nsleep: a thread cannot sleep on its own clock
 * (-EINVAL); a relative sleep interrupted writes what is left to rem and
 * restarts for the rest after a stop, an absolute one restarts as it was
 * (-ERESTARTNOHAND).  The caller has decoded the clock and read ns.
 */
long cpu_clock_nanosleep(const struct cpu_clock *cc, bool abs, u64 ns, uaddr_t rem)
{
	struct task *t = current;
	u64 now, expires;

	if (cc->thread && cc->pid == t->pid)
		return -EINVAL;
	if (cpu_clock_sample(cc, &now) < 0)
		return -EINVAL;
	expires = abs ? ns : now + ns;
	if (cpu_sleep_until(cc, expires) == 0)
		return 0;
	if (abs)
		return -ERESTARTNOHAND;
	cpu_clock_sample(cc, &now);
	if (!uaddr_is_null(rem)) {
		struct __kernel_timespec ts;
		u64 left = expires > now ? expires - now : 0;

		ts.tv_sec = (s64)(left / NSEC);
		ts.tv_nsec = (s64)(left % NSEC);
		if (copy_to_user(rem, &ts, sizeof(ts)))
			return -EFAULT;
	}
	t->restart_fn = cpu_nanosleep_restart;
	t->restart_clock = cc->thread ? (int)((~(unsigned)cc->pid << 3) | 4 | (unsigned)cc->which)
				      : (int)((~(unsigned)cc->pid << 3) | (unsigned)cc->which);
	t->restart_deadline = expires;
	t->restart_rem = rem;
	return -ERESTART_RESTARTBLOCK;
}

static void timer_free(struct k_itimer *k)
{
	ktimer_cancel(&k->kt);
	list_del(&k->list);
	list_del(&k->cpu_node);
	if (leak_test(posix_timers))
		return;
	live.posix_timers--;
	kfree(k);
}

void posix_timers_exit(struct signal_struct *sig)
{
	while (!list_empty(&sig->posix_timers))
		timer_free(list_first_entry(&sig->posix_timers, struct k_itimer, list));
}

static struct k_itimer *timer_find(struct task *t, int id)
{
	struct k_itimer *k;

	list_for_each_entry(k, &t->signal->posix_timers, list)
		if (k->id == id)
			return k;
	return NULL;
}

/* The clock: -EINVAL unknown, -EOPNOTSUPP for those Linux has no timers on. */
static int timer_clock_ok(struct k_itimer *k, int clk)
{
	int r = cpu_clock_decode(clk, &k->cc);

	if (r < 0)
		return r;
	if (r == 0) {	/* a thread of the caller's process, or any process */
		k->cpu = true;
		return 0;
	}
	switch (clk) {
	case CLOCK_REALTIME: case CLOCK_MONOTONIC: case CLOCK_BOOTTIME: case CLOCK_TAI:
	case CLOCK_REALTIME_ALARM: case CLOCK_BOOTTIME_ALARM:
		return 0;
	case CLOCK_MONOTONIC_RAW: case CLOCK_REALTIME_COARSE: case CLOCK_MONOTONIC_COARSE:
		return -EOPNOTSUPP;
	default:
		return -EINVAL;
	}
}

/* Linux's good_sigevent: the notification and the thread it names. */
static int timer_sigevent_ok(struct k_itimer *k, const struct sigevent *ev)
{
	struct task *p;

	k->notify = ev->sigev_notify;
	k->signo = ev->sigev_signo;
	k->value = (u64)ev->sigev_value.sival_ptr;
	switch (ev->sigev_notify) {
	case SIGEV_SIGNAL | SIGEV_THREAD_ID:
		p = find_task(ev->sigev_notify_thread_id);
		if (p == NULL || p->signal != current->signal || p->state == TASK_ZOMBIE ||
		    p->state == TASK_DEAD)
			return -EINVAL;
		k->tid = p->pid;
		/* fall through */
	case SIGEV_SIGNAL:
	case SIGEV_THREAD:
		return k->signo <= 0 || k->signo > KNSIG ? -EINVAL : 0;
	case SIGEV_NONE:
		return 0;
	default:
		return -EINVAL;
	}
}

/* The lowest id free, from where the last one was given. */
static int timer_new_id(struct task *t)
{
	struct signal_struct *sig = t->signal;

	for (;;) {
		int id = sig->next_timer_id;

		sig->next_timer_id = id == 0x7fffffff ? 0 : id + 1;
		if (timer_find(t, id) == NULL)
			return id;
	}
}

SYSCALL(timer_create)
{
	int clk = (int)a[0], n = 0;
	uaddr_t evp = UADDR(a[1]), idp = UADDR(a[2]);
	struct sigevent ev;
	struct k_itimer *k, *i;
	long err;

	if (!uaddr_is_null(evp) && copy_from_user(&ev, evp, sizeof(ev)))
		return -EFAULT;
	k = kzalloc(sizeof(*k));
	if (k == NULL)
		return -EAGAIN;
	ktimer_init(&k->kt, timer_wall_fire, k);
	INIT_LIST_HEAD(&k->cpu_node);
	err = timer_clock_ok(k, clk);
	list_for_each_entry(i, &t->signal->posix_timers, list)
		n++;
	if (err == 0 && n >= TIMERS_MAX)
		err = -EAGAIN;
	k->id = err ? 0 : timer_new_id(t);
	if (err == 0 && !uaddr_is_null(evp))
		err = timer_sigevent_ok(k, &ev);
	else if (err == 0) {	/* no sigevent: SIGALRM with the id as its value */
		k->notify = SIGEV_SIGNAL;
		k->signo = SIGALRM;
		k->value = (u64)k->id;
	}
	if (err == 0 && put_user(k->id, idp))
		err = -EFAULT;
	if (err) {
		kfree(k);
		return err;
	}
	live.posix_timers++;
	k->clock = clk;
	k->sig = t->signal;
	list_add_tail(&k->list, &t->signal->posix_timers);
	if (k->cpu && !k->cc.thread && k->cc.pid != t->tgid)	/* another process's */
		list_add_tail(&k->cpu_node, &foreign_cpu_timers);
	return 0;
}

/* ns to the timer's next expiry (0 disarmed), working SIGEV_NONE ones forward. */
static u64 timer_left(struct k_itimer *k)
{
	u64 now, *exp;

	if (k->cpu) {
		exp = &k->cpu_expires;
		if (cpu_clock_sample(&k->cc, &now) < 0)
			return 0;
	} else {
		exp = &k->kt.expires;
		now = os_monotonic_ns();
	}
	if (*exp == 0)
		return 0;
	if (now < *exp)
		return *exp - now;
	if (k->notify != SIGEV_NONE)
		return 1;		/* due, its signal on the way (Linux says 1 ns) */
	if (k->interval == 0) {
		*exp = 0;
		return 0;
	}
	*exp += ((now - *exp) / k->interval + 1) * k->interval;
	return *exp - now;
}

static void ns_to_ts(u64 ns, struct __kernel_timespec *ts)
{
	ts->tv_sec = (s64)(ns / NSEC);
	ts->tv_nsec = (s64)(ns % NSEC);
}

static void timer_get(struct k_itimer *k, struct __kernel_itimerspec *cur)
{
	ns_to_ts(timer_left(k), &cur->it_value);
	ns_to_ts(k->interval, &cur->it_interval);
}

static bool ts_valid(const struct __kernel_timespec *ts)
{
	return ts->tv_sec >= 0 && ts->tv_nsec >= 0 && ts->tv_nsec < (s64)NSEC;
}

static u64 ts_ns(const struct __kernel_timespec *ts)
{
	if ((u64)ts->tv_sec > (~0ULL >> 2) / NSEC)
		return ~0ULL >> 2;	/* far enough */
	return (u64)ts->tv_sec * NSEC + (u64)ts->tv_nsec;
}

/*
 * Arms k for value (absolute on its clock if abs) or disarms it (0).
 * -ESRCH: k's CPU clock counts a process or thread that is gone (nothing
 * changed, as Linux's posix_cpu_timer_set).
 */
static int timer_arm(struct k_itimer *k, u64 value, bool abs)
{
	u64 now;

	if (k->cpu && cpu_clock_sample(&k->cc, &now) < 0)
		return -ESRCH;
	ktimer_cancel(&k->kt);
	k->kt.expires = k->cpu_expires = 0;
	if (value == 0)
		return 0;
	if (k->cpu) {
		k->cpu_expires = abs ? value : now + value;
		if (k->notify != SIGEV_NONE && now >= k->cpu_expires)	/* due already */
			timer_expire(k, now, &k->cpu_expires);
		return 0;
	}
	if (kclock_now(k->clock == CLOCK_REALTIME_ALARM ? CLOCK_REALTIME :
		       k->clock == CLOCK_BOOTTIME_ALARM ? CLOCK_BOOTTIME : k->clock, &now) < 0)
		return 0;
	value = abs ? (value > now ? value - now : 0) : value;
	k->kt.expires = os_monotonic_ns() + value;
	if (k->notify != SIGEV_NONE)
		ktimer_start(&k->kt, k->kt.expires);
	return 0;
}

SYSCALL(timer_settime)
{
	int id = (int)a[0], flags = (int)a[1];
	uaddr_t newp = UADDR(a[2]), oldp = UADDR(a[3]);
	struct __kernel_itimerspec nv, old;
	struct k_itimer *k;

	if (uaddr_is_null(newp))
		return -EINVAL;
	if (copy_from_user(&nv, newp, sizeof(nv)))
		return -EFAULT;
	if (!ts_valid(&nv.it_value) || !ts_valid(&nv.it_interval))
		return -EINVAL;
	k = timer_find(t, id);
	if (k == NULL)
		return -EINVAL;
	timer_get(k, &old);
	if (k->cpu && cpu_clock_sample(&k->cc, &(u64){ 0 }) < 0)
		return -ESRCH;
	k->interval = ts_ns(&nv.it_interval);
	k->overrun_queued = k->overrun_last = 0;
	timer_arm(k, ts_ns(&nv.it_value), flags & TIMER_ABSTIME);
	if (!uaddr_is_null(oldp) && copy_to_user(oldp, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

SYSCALL(timer_gettime)
{
	struct k_itimer *k = timer_find(t, (int)a[0]);
	struct __kernel_itimerspec cur;

	if (k == NULL)
		return -EINVAL;
	timer_get(k, &cur);
	return copy_to_user(UADDR(a[1]), &cur, sizeof(cur)) ? -EFAULT : 0;
}

/* The overruns of the last signal delivered (the queued one's are still counting). */
SYSCALL(timer_getoverrun)
{
	struct k_itimer *k = timer_find(t, (int)a[0]);
	bool group;
	struct task *to;

	if (k == NULL)
		return -EINVAL;
	group = !(k->notify & SIGEV_THREAD_ID);
	to = group ? k->sig->leader : find_task(k->tid);
	if (to != NULL && to->signal == k->sig && pending_timer_info(to, group, k->id))
		return k->overrun_last;
	return k->overrun_queued;
}

SYSCALL(timer_delete)
{
	struct k_itimer *k = timer_find(t, (int)a[0]);

	if (k == NULL)
		return -EINVAL;
	timer_free(k);
	return 0;
}
