/*
 * wait.c - sleeping and waking: wait queues, timed sleeps, kmutex.
 * Sleepers re-check their condition after waking; a wake-up only makes
 * a task runnable.
 */
#include "kernel/sched.h"
#include "kernel/kernel.h"

void waiter_add(struct wait_queue *wq, struct waiter *w)
{
	w->task = current;
	w->woken = false;
	list_add_tail(&w->link, &wq->head);
}

void waiter_del(struct waiter *w)
{
	list_del(&w->link);
}

void wake_up(struct wait_queue *wq)
{
	struct waiter *w;

	list_for_each_entry(w, &wq->head, link) {
		w->woken = true;
		wake_up_task(w->task);
	}
}

static int do_sleep(struct wait_queue *wq, bool intr, u64 deadline)
{
	struct waiter w;
	int r = 0;

	if (intr && signal_pending(current))
		return -ERESTARTSYS;
	if (wq)
		waiter_add(wq, &w);
	if (deadline)
		timer_arm(current, deadline);
	current->state = intr ? TASK_INTERRUPTIBLE : TASK_UNINTERRUPTIBLE;
	schedule();
	current->state = TASK_RUNNING;
	if (deadline) {
		if (current->timed_out)
			r = -ETIMEDOUT;
		timer_disarm(current);
	}
	if (wq)
		waiter_del(&w);
	if (intr && signal_pending(current) && !(wq && w.woken))
		r = -ERESTARTSYS;
	return r;
}

int sleep_on(struct wait_queue *wq, bool interruptible)
{
	return do_sleep(wq, interruptible, 0);
}

int sleep_on_timeout(struct wait_queue *wq, bool interruptible, u64 deadline_ns)
{
	if (deadline_ns <= os_monotonic_ns())
		return -ETIMEDOUT;
	return do_sleep(wq, interruptible, deadline_ns);
}

/* Sleeps until the deadline: 0, or -ERESTARTSYS if a signal came first. */
int sleep_until(u64 deadline_ns, bool interruptible)
{
	while (os_monotonic_ns() < deadline_ns) {
		int r = do_sleep(NULL, interruptible, deadline_ns);

		if (r == -ERESTARTSYS)
			return r;
	}
	return 0;
}

void kmutex_lock(struct kmutex *m)
{
	while (m->locked)
		sleep_on(&m->wq, false);
	m->locked = true;
}

void kmutex_unlock(struct kmutex *m)
{
	m->locked = false;
	wake_up(&m->wq);
}
