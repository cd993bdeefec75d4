/*
 * wait.c - sleeping and waking: wait queues, timed sleeps, kmutex.
 * Sleepers re-check their condition after waking; a wake-up only makes
 * a task runnable, or runs an entry's callback (poll, epoll, O_ASYNC).
 * Timed sleeps arm a kernel timer (kernel/time.c) on the sleeper's stack.
 */
#include "kernel/sched.h"
#include "kernel/kernel.h"
#include "kernel/timer.h"

void waiter_add(struct wait_queue *wq, struct waiter *w)
{
	w->task = current;
	w->func = NULL;
	w->priv = NULL;
	w->woken = false;
	w->exclusive = false;
	list_add_tail(&w->link, &wq->head);
}

void waiter_add_func(struct wait_queue *wq, struct waiter *w, wait_func_t fn, void *priv,
		     bool exclusive)
{
	w->task = NULL;
	w->func = fn;
	w->priv = priv;
	w->woken = false;
	w->exclusive = exclusive;
	if (exclusive)
		list_add_tail(&w->link, &wq->head);
	else
		list_add(&w->link, &wq->head);
}

void waiter_del(struct waiter *w)
{
	list_del(&w->link);
}

void wake_up_poll(struct wait_queue *wq, unsigned key)
{
	struct waiter *w, *n;
	bool exclusive_done = false;

	list_for_each_entry_safe(w, n, &wq->head, link) {
		if (w->func == NULL) {
			w->woken = true;
			wake_up_task(w->task);
			continue;
		}
		if (w->exclusive && exclusive_done)
			continue;
		if (w->func(w, key) > 0 && w->exclusive)
			exclusive_done = true;
	}
}

void wake_up(struct wait_queue *wq)
{
	wake_up_poll(wq, 0);
}

static void sleep_timeout(struct ktimer *k)
{
	struct task *t = k->data;

	t->timed_out = true;
	wake_up_task(t);
}

static int do_sleep(struct wait_queue *wq, bool intr, u64 deadline)
{
	struct waiter w;
	struct ktimer kt;
	int r = 0;

	if (intr && signal_pending(current))
		return -ERESTARTSYS;
	if (wq)
		waiter_add(wq, &w);
	current->timed_out = false;
	if (deadline) {
		ktimer_init(&kt, sleep_timeout, current);
		ktimer_start(&kt, deadline);
	}
	current->sleep_wq = wq;
	current->sleep_deadline = deadline;
	current->state = intr ? TASK_INTERRUPTIBLE : TASK_UNINTERRUPTIBLE;
	schedule();
	current->state = TASK_RUNNING;
	current->sleep_wq = NULL;
	current->sleep_deadline = 0;
	if (deadline) {
		ktimer_cancel(&kt);
		if (current->timed_out)
			r = -ETIMEDOUT;
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
