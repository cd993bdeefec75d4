/*
 * timer.h - kernel timers: one-shot callbacks at a time on the kernel's
 * monotonic clock (os_monotonic_ns), with nanosecond resolution.
 *
 * Any number of timers may be armed; they sit on one list ordered by
 * expiry.  The host timer is programmed for the earliest one (plus the
 * periodic tick), and the timer interrupt runs every callback whose time
 * has come.  A callback runs in interrupt context: it must not sleep; it
 * may re-arm its own timer (intervals) or wake tasks.  Users: timed
 * sleeps, ITIMER_REAL/alarm, poll/epoll timeouts, timerfd (and TCP).
 */
#ifndef KERNEL_TIMER_H
#define KERNEL_TIMER_H

#include "kernel/list.h"

struct ktimer {
	struct list_head link;		/* on the ordered list while armed */
	u64 expires;			/* monotonic ns */
	void (*fn)(struct ktimer *t);
	void *data;			/* the owner's */
};

static inline void ktimer_init(struct ktimer *t, void (*fn)(struct ktimer *), void *data)
{
	INIT_LIST_HEAD(&t->link);
	t->expires = 0;
	t->fn = fn;
	t->data = data;
}
static inline bool ktimer_armed(const struct ktimer *t)
{
	return !list_empty(&t->link);
}
/* Arms (or re-arms) t to fire at the monotonic time expires. */
void ktimer_start(struct ktimer *t, u64 expires);
/* Disarms t; true if it was armed.  After this its callback will not run. */
bool ktimer_cancel(struct ktimer *t);
/* Runs every callback due at now (the timer interrupt). */
void ktimers_run(u64 now);

#endif
