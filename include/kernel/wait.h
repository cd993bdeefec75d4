/*
 * wait.h - wait queues and sleeping locks.  The kernel is uniprocessor
 * and non-preemptive: a kernel path runs until it sleeps.  Sleepers always
 * re-check their condition in a loop after waking (xv6 sleep/wakeup).
 *
 * An entry on a queue either wakes a task (waiter_add) or runs a
 * callback (waiter_add_func): that is how poll, epoll and O_ASYNC
 * learn that a file may have changed without a task sleeping on it.
 */
#ifndef KERNEL_WAIT_H
#define KERNEL_WAIT_H

#include "kernel/list.h"

struct wait_queue {
	struct list_head head;		/* struct waiter entries */
};

struct task;
struct waiter;
/*
 * A wake-up callback: key is the poll mask the waker names (POLLIN...)
 * or 0 for "anything may have changed".  Returns > 0 if it took the
 * event (that counts against an exclusive wake-up), else 0.  It must
 * not add or remove entries of the queue it is called from, other than
 * its own.
 */
typedef int (*wait_func_t)(struct waiter *w, unsigned key);

/* One entry on one queue.  poll() puts one on several queues. */
struct waiter {
	struct list_head link;
	struct task *task;		/* woken when func is NULL */
	wait_func_t func;
	void *priv;			/* the callback's own */
	bool woken;
	bool exclusive;			/* EPOLLEXCLUSIVE: one of them is woken */
};
/* Put current on wq (w lives on the caller's stack); waiter_del takes it off. */
void waiter_add(struct wait_queue *wq, struct waiter *w);
/* Put a callback entry on wq; exclusive entries go to the tail. */
void waiter_add_func(struct wait_queue *wq, struct waiter *w, wait_func_t fn, void *priv,
		     bool exclusive);
void waiter_del(struct waiter *w);

#define WAIT_QUEUE_INIT(n) { LIST_HEAD_INIT((n).head) }
static inline void init_waitqueue(struct wait_queue *wq) { INIT_LIST_HEAD(&wq->head); }

/*
 * Sleeps on wq until woken.  Interruptible sleeps return -ERESTARTSYS if
 * a signal is pending (before or after sleeping), else 0.  May sleep.
 */
int sleep_on(struct wait_queue *wq, bool interruptible);
/* Same, giving up at the monotonic time deadline_ns: returns -ETIMEDOUT. */
int sleep_on_timeout(struct wait_queue *wq, bool interruptible, u64 deadline_ns);
void wake_up(struct wait_queue *wq);		/* wakes every sleeper */
/*
 * Wakes every sleeping task and runs the callbacks with key; of the
 * exclusive callbacks only the first that takes the event runs.
 */
void wake_up_poll(struct wait_queue *wq, unsigned key);
static inline bool waitqueue_active(const struct wait_queue *wq)
{
	return !list_empty(&wq->head);
}

/* wait_event: sleep until cond holds.  Evaluates to 0 or -ERESTARTSYS. */
#define wait_event_interruptible(wq, cond) ({				\
	int __r = 0;							\
	while (!(cond)) {						\
		__r = sleep_on(&(wq), true);				\
		if (__r)						\
			break;						\
	}								\
	__r; })
#define wait_event(wq, cond) do {					\
	while (!(cond))							\
		sleep_on(&(wq), false);					\
} while (0)

/* A sleeping mutex, for a filesystem's big lock and the like. */
struct kmutex {
	bool locked;
	struct wait_queue wq;
};
#define KMUTEX_INIT(n) { false, WAIT_QUEUE_INIT((n).wq) }
static inline void kmutex_init(struct kmutex *m) { m->locked = false; init_waitqueue(&m->wq); }
void kmutex_lock(struct kmutex *m);	/* May sleep. */
void kmutex_unlock(struct kmutex *m);

#endif
