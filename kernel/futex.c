/*
 * futex.c - fast user-space locking: futex(2), robust lists, and the
 * clear_child_tid wake-up at thread exit.
 *
 * A waiter is a struct futex_q on the caller's kernel stack, hashed by
 * its key: (mm, address) for a private futex or one in a private mapping,
 * (physical address of the word) for one in a shared mapping, so that
 * processes mapping the same page at different addresses meet.  The
 * kernel is uniprocessor and non-preemptive: reading the word, comparing
 * and queueing happen with no guest code running, which is all the
 * atomicity FUTEX_WAIT needs.  PI futexes keep Linux's word protocol
 * (owner tid, FUTEX_WAITERS, FUTEX_OWNER_DIED); with one CPU and no
 * priorities there is nothing to boost, so UNLOCK_PI hands the lock to
 * the first waiter directly.
 */
#include "kernel/sched.h"
#include "kernel/mm.h"
#include "kernel/syscalls.h"
#include "kernel/kernel.h"
#include "uapi/linux/futex.h"
#include "uapi/linux/time_types.h"

#define NSEC		1000000000ULL
#define FUTEX_HASH	64
#define ROBUST_LIST_LIMIT 2048		/* Linux's bound on a robust list walk */

struct futex_key {
	const void *mm;		/* NULL for a shared key */
	u64 off;		/* address, or physical address for shared */
};

struct futex_q {
	struct list_head list;	/* on its hash bucket while queued */
	struct futex_key key;
	u32 bitset;
	struct task *task;
	bool woken;		/* dequeued by a wake, requeue or unlock */
	bool pi;		/* sleeping in LOCK_PI */
	bool handoff;		/* UNLOCK_PI made it the owner */
};

static struct list_head futex_hash[FUTEX_HASH];

static struct list_head *bucket(const struct futex_key *k)
{
	u64 h;

	if (!futex_hash[0].next)
		for (int i = 0; i < FUTEX_HASH; i++)
			INIT_LIST_HEAD(&futex_hash[i]);
	h = ((u64)(uintptr_t)k->mm >> 4) ^ (k->off >> 2);

	h ^= h >> 17;
	return &futex_hash[h % FUTEX_HASH];
}

long futex_waiters(void)
{
	struct futex_q *q;
	long n = 0;

	for (int i = 0; i < FUTEX_HASH && futex_hash[0].next; i++)
		list_for_each_entry(q, &futex_hash[i], list)
			n++;
	return n;
}

static bool key_eq(const struct futex_key *a, const struct futex_key *b)
{
	return a->mm == b->mm && a->off == b->off;
}

/*
 * The key of the futex word at uaddr in current's address space.
 * -EINVAL if misaligned, -EFAULT if no mapping holds it.  May sleep
 * (a shared page is faulted in to learn its frame).
 */
static int get_key(uaddr_t uptr, bool shared, struct futex_key *k)
{
	u64 uaddr = uaddr_val(uptr);
	struct mm *mm = current->mm;
	struct vma *v;
	pte_t *e;

	if (uaddr & 3)
		return -EINVAL;
	if (uaddr >= TASK_SIZE || uaddr + 4 > TASK_SIZE)
		return -EFAULT;
	k->mm = mm;
	k->off = uaddr;
	if (!shared)
		return 0;
	v = find_vma(mm, uaddr);
	if (!v || v->start > uaddr)
		return -EFAULT;
	if (!(v->flags & VM_SHARED))
		return 0;		/* a private page: (mm, address), as Linux */
	e = pte_lookup(mm, uaddr & PAGE_MASK, false);
	if (!e || !(*e & PTE_PRESENT)) {
		if (handle_mm_fault(mm, uaddr & PAGE_MASK, false) < 0)
			return -EFAULT;
		e = pte_lookup(mm, uaddr & PAGE_MASK, false);
		if (!e || !(*e & PTE_PRESENT))
			return -EFAULT;
	}
	k->mm = NULL;
	k->off = (*e & ~(pte_t)PTE_FLAGS) + (uaddr & ~PAGE_MASK);
	return 0;
}

static void queue_q(struct futex_q *q)
{
	q->task = current;
	q->woken = false;
	q->handoff = false;
	list_add_tail(&q->list, bucket(&q->key));
}

static void wake_q(struct futex_q *q)
{
	list_del(&q->list);
	q->woken = true;
	wake_up_task(q->task);
}

/*
 * Sleeps until q is woken, the deadline (monotonic ns, 0 = none) passes
 * or a signal comes.  Returns 0, -ETIMEDOUT or -EINTR; q is off its
 * bucket either way.  May sleep.
 */
static int futex_sleep(struct futex_q *q, u64 deadline)
{
	int r = 0;

	while (!q->woken) {
		r = deadline ? sleep_on_timeout(NULL, true, deadline) : sleep_on(NULL, true);
		if (q->woken)
			break;		/* woken and interrupted at once: the wake counts */
		if (r == -ETIMEDOUT)
			goto out_dequeue;
		if (r == -ERESTARTSYS) {
			r = -EINTR;
			goto out_dequeue;
		}
	}
	return 0;
out_dequeue:
	list_del(&q->list);
	return r;
}

static long futex_wait_restart(struct task *t);

/* FUTEX_WAIT(_BITSET): sleep if *uaddr == val.  May sleep. */
static long futex_wait(uaddr_t uaddr, bool shared, u32 val, u64 deadline, u32 bitset)
{
	struct futex_q q = { .bitset = bitset, .pi = false };
	struct task *t = current;
	u32 cur;
	int r;

	if (!bitset)
		return -EINVAL;
	r = get_key(uaddr, shared, &q.key);
	if (r)
		return r;
	if (get_user(cur, uaddr))
		return -EFAULT;
	if (cur != val)
		return -EAGAIN;
	queue_q(&q);
	r = futex_sleep(&q, deadline);
	if (r != -EINTR)
		return r;
	if (!deadline)
		return -ERESTARTSYS;	/* restarted under SA_RESTART, as Linux */
	t->futex_restart.uaddr = uaddr;
	t->futex_restart.val = val;
	t->futex_restart.bitset = bitset;
	t->futex_restart.flags = shared;
	t->restart_deadline = deadline;
	t->restart_fn = futex_wait_restart;
	return -ERESTART_RESTARTBLOCK;
}

/* A timed wait stopped by a signal without a handler goes on to its deadline. */
static long futex_wait_restart(struct task *t)
{
	struct futex_restart *fr = &t->futex_restart;

	return futex_wait(fr->uaddr, fr->flags, fr->val, t->restart_deadline, fr->bitset);
}

/* Wakes up to nr (at least one, as Linux) waiters of key matching bitset. */
static int wake_key(const struct futex_key *k, int nr, u32 bitset)
{
	struct futex_q *q, *n;
	int woken = 0;

	list_for_each_entry_safe(q, n, bucket(k), list) {
		if (!key_eq(&q->key, k))
			continue;
		if (q->pi)
			return -EINVAL;		/* FUTEX_WAKE on a PI futex */
		if (!(q->bitset & bitset))
			continue;
		wake_q(q);
		if (++woken >= nr)
			break;
	}
	return woken;
}

/* FUTEX_WAKE(_BITSET).  Returns how many were woken, or -errno. */
int futex_wake(uaddr_t uaddr, bool shared, int nr, u32 bitset)
{
	struct futex_key k;
	int r;

	if (!bitset)
		return -EINVAL;
	r = get_key(uaddr, shared, &k);
	return r ? r : wake_key(&k, nr, bitset);
}

/* FUTEX_(CMP_)REQUEUE: wake nr_wake, move up to nr_requeue to uaddr2. */
static long futex_requeue(uaddr_t uaddr, uaddr_t uaddr2, bool shared, int nr_wake,
			  int nr_requeue, bool cmp, u32 cmpval)
{
	struct futex_key k1, k2;
	struct futex_q *q, *n;
	int r, woken = 0, moved = 0;
	u32 cur;

	if (nr_wake < 0 || nr_requeue < 0)
		return -EINVAL;
	r = get_key(uaddr, shared, &k1);
	if (!r)
		r = get_key(uaddr2, shared, &k2);
	if (r)
		return r;
	if (cmp) {
		if (get_user(cur, uaddr))
			return -EFAULT;
		if (cur != cmpval)
			return -EAGAIN;
	}
	list_for_each_entry_safe(q, n, bucket(&k1), list) {
		if (!key_eq(&q->key, &k1))
			continue;
		if (q->pi)
			return -EINVAL;
		if (woken < nr_wake) {
			wake_q(q);
			woken++;
		} else if (moved < nr_requeue) {
			list_del(&q->list);
			q->key = k2;
			list_add_tail(&q->list, bucket(&k2));
			moved++;
		} else {
			break;
		}
	}
	return woken + moved;
}

static int sign_extend12(u32 v)
{
	return (int)(v << 20) >> 20;
}

/* The read-modify-write of FUTEX_WAKE_OP; *old gets the word before.  0 or -errno. */
static int wake_op_apply(uaddr_t uaddr, u32 encoded, u32 *old)
{
	int op = (encoded >> 28) & 7, oparg = sign_extend12(encoded >> 12);
	u32 v, nv;

	if (encoded & ((u32)FUTEX_OP_OPARG_SHIFT << 28))
		oparg = (int)(1U << (oparg & 31));
	if (get_user(v, uaddr))
		return -EFAULT;
	switch (op) {
	case FUTEX_OP_SET: nv = (u32)oparg; break;
	case FUTEX_OP_ADD: nv = v + (u32)oparg; break;
	case FUTEX_OP_OR: nv = v | (u32)oparg; break;
	case FUTEX_OP_ANDN: nv = v & ~(u32)oparg; break;
	case FUTEX_OP_XOR: nv = v ^ (u32)oparg; break;
	default: return -ENOSYS;
	}
	if (put_user(nv, uaddr))
		return -EFAULT;
	*old = v;
	return 0;
}

static int wake_op_cmp(u32 encoded, int old)
{
	int cmparg = sign_extend12(encoded);

	switch ((encoded >> 24) & 15) {
	case FUTEX_OP_CMP_EQ: return old == cmparg;
	case FUTEX_OP_CMP_NE: return old != cmparg;
	case FUTEX_OP_CMP_LT: return old < cmparg;
	case FUTEX_OP_CMP_LE: return old <= cmparg;
	case FUTEX_OP_CMP_GT: return old > cmparg;
	case FUTEX_OP_CMP_GE: return old >= cmparg;
	default: return -ENOSYS;
	}
}

/* FUTEX_WAKE_OP: change *uaddr2, wake on uaddr, and on uaddr2 if the old value passes. */
static long futex_wake_op(uaddr_t uaddr, uaddr_t uaddr2, bool shared, int nr, int nr2,
			  u32 encoded)
{
	struct futex_key k1, k2;
	int r, c, woken, woken2 = 0;
	u32 old;

	r = get_key(uaddr, shared, &k1);
	if (!r)
		r = get_key(uaddr2, shared, &k2);
	if (!r)
		r = wake_op_apply(uaddr2, encoded, &old);
	if (r)
		return r;
	c = wake_op_cmp(encoded, (int)old);	/* after the write, as Linux */
	if (c < 0)
		return c;
	woken = wake_key(&k1, nr, FUTEX_BITSET_MATCH_ANY);
	if (woken < 0)
		return woken;
	if (c)
		woken2 = wake_key(&k2, nr2, FUTEX_BITSET_MATCH_ANY);
	return woken2 < 0 ? woken2 : woken + woken2;
}

/* The first PI waiter of k after skip, or NULL. */
static struct futex_q *pi_waiter(const struct futex_key *k, const struct futex_q *skip)
{
	struct futex_q *q;

	list_for_each_entry(q, bucket(k), list)
		if (key_eq(&q->key, k) && q->pi && q != skip)
			return q;
	return NULL;
}

/*
 * One attempt at a PI lock: 1 if taken, 0 if another live task owns it
 * (FUTEX_WAITERS is then set), or -errno.
 */
static int lock_pi_atomic(uaddr_t uaddr, const struct futex_key *k)
{
	pid_t tid = current->pid;
	struct task *owner;
	u32 v, nv;

	if (get_user(v, uaddr))
		return -EFAULT;
	if ((v & FUTEX_TID_MASK) == (u32)tid)
		return -EDEADLK;
	if (!(v & FUTEX_TID_MASK)) {
		/* Free, or its owner died: take it, keeping FUTEX_OWNER_DIED. */
		nv = (u32)tid | (v & FUTEX_OWNER_DIED) | (pi_waiter(k, NULL) ? FUTEX_WAITERS : 0);
		return put_user(nv, uaddr) ? -EFAULT : 1;
	}
	owner = find_task((pid_t)(v & FUTEX_TID_MASK));
	if (!owner || !owner->mm || owner->state == TASK_ZOMBIE)
		return -ESRCH;
	nv = v | FUTEX_WAITERS;
	if (nv != v && put_user(nv, uaddr))
		return -EFAULT;
	return 0;
}

/* FUTEX_LOCK_PI / TRYLOCK_PI.  deadline: monotonic ns or 0.  May sleep. */
static long futex_lock_pi(uaddr_t uaddr, bool shared, u64 deadline, bool trylock)
{
	struct futex_q q = { .bitset = FUTEX_BITSET_MATCH_ANY, .pi = true };
	int r;

	r = get_key(uaddr, shared, &q.key);
	if (r)
		return r;
	for (;;) {
		r = lock_pi_atomic(uaddr, &q.key);
		if (r == 1)
			return 0;
		if (r < 0)
			return r;
		if (trylock)
			return -EAGAIN;
		queue_q(&q);
		r = futex_sleep(&q, deadline);
		if (q.handoff)
			return 0;
		if (r == -EINTR)
			return -ERESTARTNOINTR;	/* Linux restarts LOCK_PI after a handler */
		if (r)
			return r;
		/* Woken without the lock (its owner died): try again. */
	}
}

/* FUTEX_UNLOCK_PI: the first waiter, if any, becomes the owner. */
static long futex_unlock_pi(uaddr_t uaddr, bool shared)
{
	struct futex_key k;
	struct futex_q *q;
	u32 v, nv = 0;
	int r;

	r = get_key(uaddr, shared, &k);
	if (r)
		return r;
	if (get_user(v, uaddr))
		return -EFAULT;
	if ((v & FUTEX_TID_MASK) != (u32)current->pid)
		return -EPERM;
	q = pi_waiter(&k, NULL);
	if (q)
		nv = (u32)q->task->pid | (pi_waiter(&k, q) ? FUTEX_WAITERS : 0);
	if (put_user(nv, uaddr))
		return -EFAULT;
	if (q) {
		q->handoff = true;
		wake_q(q);
	}
	return 0;
}

static bool cmd_has_timeout(int cmd)
{
	return cmd == FUTEX_WAIT || cmd == FUTEX_LOCK_PI || cmd == FUTEX_LOCK_PI2 ||
	       cmd == FUTEX_WAIT_BITSET;
}

/*
 * The deadline, as a monotonic time, of the timeout at uts: relative for
 * FUTEX_WAIT, absolute for the others (CLOCK_REALTIME for LOCK_PI or
 * with FUTEX_CLOCK_REALTIME, else CLOCK_MONOTONIC).
 */
static long futex_deadline(int cmd, int op, uaddr_t uts, u64 *deadline)
{
	struct __kernel_timespec ts;
	u64 ns, now = os_monotonic_ns();

	if (copy_from_user(&ts, uts, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (long long)NSEC)
		return -EINVAL;
	ns = (u64)ts.tv_sec > (~0ULL >> 2) / NSEC ? (~0ULL >> 2) : (u64)ts.tv_sec * NSEC + (u64)ts.tv_nsec;
	if (cmd == FUTEX_WAIT) {
		*deadline = now + ns;
	} else if (cmd == FUTEX_LOCK_PI || (op & FUTEX_CLOCK_REALTIME)) {
		u64 real = os_realtime_ns();

		*deadline = ns > real ? now + (ns - real) : now;
	} else {
		u64 boot = ktime_boot_ns();	/* guest CLOCK_MONOTONIC counts from boot */

		*deadline = ns + boot;
	}
	if (!*deadline)
		*deadline = 1;
	return 0;
}

SYSCALL(futex)
{
	uaddr_t uaddr = UADDR(a[0]), uaddr2 = UADDR(a[4]);
	int op = (int)a[1], cmd = op & FUTEX_CMD_MASK;
	u32 val = (u32)a[2], val3 = (u32)a[5];
	bool shared = !(op & FUTEX_PRIVATE_FLAG);
	u64 deadline = 0;
	long r;

	if (a[3] && cmd_has_timeout(cmd)) {
		r = futex_deadline(cmd, op, UADDR(a[3]), &deadline);
		if (r)
			return r;
	}
	/* Not FUTEX_WAIT either, whatever futex(2) says: Linux 6.x refuses it. */
	if ((op & FUTEX_CLOCK_REALTIME) && cmd != FUTEX_WAIT_BITSET && cmd != FUTEX_LOCK_PI2)
		return -ENOSYS;
	switch (cmd) {
	case FUTEX_WAIT:
		return futex_wait(uaddr, shared, val, deadline, FUTEX_BITSET_MATCH_ANY);
	case FUTEX_WAIT_BITSET:
		return futex_wait(uaddr, shared, val, deadline, val3);
	case FUTEX_WAKE:
		return futex_wake(uaddr, shared, (int)val, FUTEX_BITSET_MATCH_ANY);
	case FUTEX_WAKE_BITSET:
		return futex_wake(uaddr, shared, (int)val, val3);
	case FUTEX_REQUEUE:
		return futex_requeue(uaddr, uaddr2, shared, (int)val, (int)a[3], false, 0);
	case FUTEX_CMP_REQUEUE:
		return futex_requeue(uaddr, uaddr2, shared, (int)val, (int)a[3], true, val3);
	case FUTEX_WAKE_OP:
		return futex_wake_op(uaddr, uaddr2, shared, (int)val, (int)a[3], val3);
	case FUTEX_LOCK_PI:
	case FUTEX_LOCK_PI2:
		return futex_lock_pi(uaddr, shared, deadline, false);
	case FUTEX_TRYLOCK_PI:
		return futex_lock_pi(uaddr, shared, 0, true);
	case FUTEX_UNLOCK_PI:
		return futex_unlock_pi(uaddr, shared);
	default:
		return -ENOSYS;
	}
}

/* Robust lists (Documentation/locking/robust-futex-ABI). */

struct robust_head {
	u64 next;		/* struct robust_list *: the first entry, or the head */
	s64 futex_offset;	/* from an entry to its futex word */
	u64 list_op_pending;	/* an entry being added or removed */
};
_Static_assert(sizeof(struct robust_head) == 24, "struct robust_list_head");

/* The owner tid died holding the futex at uaddr: mark it and wake a waiter. */
static void futex_owner_died(uaddr_t uaddr, pid_t tid, bool pi, bool pending_op)
{
	struct futex_key k;
	struct futex_q *q;
	u32 v, nv;

	if ((uaddr_val(uaddr) & 3) || get_user(v, uaddr))
		return;
	if (pending_op && !pi && !v) {
		/* Died between unlocking and removing it: pass the wake-up on. */
		futex_wake(uaddr, true, 1, FUTEX_BITSET_MATCH_ANY);
		return;
	}
	if ((v & FUTEX_TID_MASK) != (u32)tid)
		return;
	nv = (v & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
	if (put_user(nv, uaddr) || !(v & FUTEX_WAITERS))
		return;
	if (!pi) {
		futex_wake(uaddr, true, 1, FUTEX_BITSET_MATCH_ANY);
		return;
	}
	if (get_key(uaddr, true, &k) == 0 && (q = pi_waiter(&k, NULL)) != NULL)
		wake_q(q);		/* it retries, takes the lock, sees OWNER_DIED */
}

static void exit_robust_list(struct task *t)
{
	struct robust_head h;
	u64 head = uaddr_val(t->robust_list), entry, next;
	int limit = ROBUST_LIST_LIMIT;

	if (copy_from_user(&h, t->robust_list, sizeof(h)))
		return;
	entry = h.next;
	while (entry != head && limit-- > 0) {
		if (get_user(next, UADDR(entry & ~1ULL)))
			return;
		if (entry != h.list_op_pending)
			futex_owner_died(UADDR((entry & ~1ULL) + (u64)h.futex_offset), t->pid,
					 entry & 1, false);
		entry = next;
	}
	if (h.list_op_pending)
		futex_owner_died(UADDR((h.list_op_pending & ~1ULL) + (u64)h.futex_offset), t->pid,
				 h.list_op_pending & 1, true);
}

/*
 * At exit and exec, while current's mm is still there: robust futexes it
 * holds are marked FUTEX_OWNER_DIED, and clear_child_tid is zeroed and
 * woken if others share the mm (pthread_join waits on it).
 */
void futex_mm_release(struct task *t)
{
	u32 zero = 0;

	if (t != current || !t->mm)
		return;
	if (!uaddr_is_null(t->robust_list))
		exit_robust_list(t);
	t->robust_list = UADDR_NULL;
	if (!uaddr_is_null(t->clear_child_tid) && t->mm->users > 1 && put_user(zero, t->clear_child_tid) == 0)
		futex_wake(t->clear_child_tid, true, 1, FUTEX_BITSET_MATCH_ANY);
	t->clear_child_tid = UADDR_NULL;
}
