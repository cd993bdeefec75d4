/*
 * poll.c - waiting for several files: poll, ppoll, select, pselect6.
 *
 * One core loop (do_poll) serves all four: it asks each file's
 * f_op->poll for its ready events, and each poll method names the wait
 * queues it can be woken from with poll_wait, which puts a waiter for
 * the current task on each.  If nothing is ready the task sleeps until a
 * wake-up on any of those queues, the deadline or a signal, then takes
 * its waiters off and asks again.  A file without f_op->poll is always
 * ready for reading and writing.
 */
#include "kernel/kernel.h"
#include "kernel/fs.h"
#include "kernel/mm.h"
#include "kernel/page.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/syscalls.h"
#include "uapi/linux/resource.h"
#include "uapi/linux/time_types.h"
#include "internal.h"

#define DEFAULT_POLLMASK	(POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM)
#define POLLIN_SET	(POLLRDNORM | POLLRDBAND | POLLIN | POLLHUP | POLLERR)
#define POLLOUT_SET	(POLLWRBAND | POLLWRNORM | POLLOUT | POLLERR)
#define POLLEX_SET	(POLLPRI)
#define NO_DEADLINE	UINT64_MAX
/* With more queues than the table holds, re-poll at least this often. */
#define OVERFLOW_SLICE_NS	10000000ULL

#define POLL_MAX_WAITERS	128

/* poll and select's table: the current task on every queue named. */
struct poll_wqueues {
	struct poll_table pt;
	int n;
	bool overflow;		/* more queues than w[] holds */
	struct waiter w[POLL_MAX_WAITERS];
};

/* Hands wq to the poll table's owner (pt may be NULL: no waiting). */
void poll_wait(struct file *f, struct wait_queue *wq, struct poll_table *pt)
{
	if (pt != NULL && wq != NULL && pt->qproc != NULL)
		pt->qproc(f, wq, pt);
}

unsigned vfs_poll(struct file *f, struct poll_table *pt)
{
	if (f->f_op != NULL && f->f_op->poll != NULL)
		return f->f_op->poll(f, pt);
	return DEFAULT_POLLMASK;
}

static void pollwq_queue(struct file *f, struct wait_queue *wq, struct poll_table *pt)
{
	struct poll_wqueues *p = container_of(pt, struct poll_wqueues, pt);

	if (p->n >= POLL_MAX_WAITERS) {
		p->overflow = true;
		return;
	}
	waiter_add(wq, &p->w[p->n++]);
}

static void poll_freewait(struct poll_wqueues *p)
{
	int i;

	for (i = 0; i < p->n; i++)
		waiter_del(&p->w[i]);
	p->n = 0;
	p->overflow = false;
}

/* One pass over fds: the number with events; files[] keeps them alive. */
static int poll_pass(struct pollfd *fds, struct file **files, unsigned nfds,
		     struct poll_table *pt)
{
	int count = 0;
	unsigned i;

	for (i = 0; i < nfds; i++) {
		struct file *f = files[i];
		unsigned mask;

		fds[i].revents = 0;
		if (fds[i].fd < 0)
			continue;
		if (f == NULL) {
			mask = POLLNVAL;
		} else {
			mask = vfs_poll(f, pt);
			mask &= (unsigned)(unsigned short)fds[i].events | POLLERR | POLLHUP;
		}
		fds[i].revents = (short)mask;
		if (mask)
			count++;
	}
	return count;
}

/* Sleeps until a wake-up, the deadline or a signal: 0, -ETIMEDOUT, -ERESTARTSYS. */
static int poll_sleep(u64 deadline, bool overflow)
{
	if (overflow) {
		u64 slice = os_monotonic_ns() + OVERFLOW_SLICE_NS;
		int r = sleep_on_timeout(NULL, true, min(slice, deadline));

		if (r == -ETIMEDOUT && os_monotonic_ns() < deadline)
			r = 0;
		return r;
	}
	if (deadline == NO_DEADLINE)
		return sleep_on(NULL, true);
	return sleep_on_timeout(NULL, true, deadline);
}

/*
 * The core of poll and select: fills revents, returns the number of
 * ready entries, 0 at the deadline, or -EINTR for a signal.  May sleep.
 */
static long do_poll(struct pollfd *fds, unsigned nfds, u64 deadline)
{
	struct poll_wqueues *pt = kmalloc(sizeof(*pt));
	struct file **files = kcalloc(nfds ? nfds : 1, sizeof(*files));
	long ret = -ENOMEM;
	unsigned i;

	if (pt == NULL || files == NULL)
		goto out;
	pt->pt.qproc = pollwq_queue;
	pt->n = 0;
	pt->overflow = false;
	for (i = 0; i < nfds; i++)
		files[i] = fds[i].fd >= 0 ? fd_get_file(fds[i].fd) : NULL;
	for (;;) {
		bool timed_out = deadline != NO_DEADLINE && os_monotonic_ns() >= deadline;
		int r;

		ret = poll_pass(fds, files, nfds, timed_out ? NULL : &pt->pt);
		if (ret > 0 || timed_out)
			break;
		ret = -EINTR;
		if (signal_pending(current))
			break;
		r = poll_sleep(deadline, pt->overflow);
		poll_freewait(pt);
		if (r == -ERESTARTSYS && signal_pending(current)) {
			ret = poll_pass(fds, files, nfds, NULL);
			if (ret == 0)
				ret = -EINTR;
			break;
		}
	}
	poll_freewait(pt);
	for (i = 0; i < nfds; i++)
		if (files[i] != NULL)
			fput(files[i]);
out:
	kfree(files);
	kfree(pt);
	return ret;
}

/* Converts a relative timeout into a monotonic deadline. */
static u64 deadline_after(s64 sec, s64 nsec)
{
	u64 now = os_monotonic_ns(), ns, d;

	if (__builtin_mul_overflow((u64)sec, 1000000000ULL, &ns) ||
	    __builtin_add_overflow(ns, (u64)nsec, &ns) ||
	    __builtin_add_overflow(now, ns, &d) || d == NO_DEADLINE)
		return NO_DEADLINE;
	return d;
}

static u64 remaining_ns(u64 deadline)
{
	u64 now = os_monotonic_ns();

	return deadline > now ? deadline - now : 0;
}

static long poll_user(uaddr_t ufds, unsigned long nfds, u64 deadline)
{
	struct pollfd *fds;
	size_t size;
	long ret;

	if (nfds > task_rlimit(current, RLIMIT_NOFILE))
		return -EINVAL;		/* as Linux */
	size = nfds * sizeof(*fds);
	fds = kmalloc(size ? size : 1);
	if (fds == NULL)
		return -ENOMEM;
	ret = -EFAULT;
	if (copy_from_user(fds, ufds, size) < 0)
		goto out;
	ret = do_poll(fds, (unsigned)nfds, deadline);
	if (ret >= 0 && copy_to_user(ufds, fds, size) < 0)
		ret = -EFAULT;
out:
	kfree(fds);
	return ret;
}

/* poll(fds, nfds, timeout_ms) */
SYSCALL(poll)
{
	int ms = (int)a[2];
	u64 deadline = ms < 0 ? NO_DEADLINE : deadline_after(ms / 1000, (s64)(ms % 1000) * 1000000);

	long ret = poll_user(UADDR(a[0]), (unsigned long)a[1], deadline);

	/* Linux restarts a poll stopped and continued (restart block); a handler sees EINTR. */
	return ret == -EINTR ? -ERESTARTNOHAND : ret;
}

/* Installs a guest signal mask for the wait; *saved gets the old one. */
static long sigmask_enter(struct task *t, uaddr_t umask, size_t size, sigset_t *saved,
			  bool *changed)
{
	sigset_t m;

	*changed = false;
	if (uaddr_is_null(umask))
		return 0;
	if (size != sizeof(sigset_t))
		return -EINVAL;
	if (copy_from_user(&m, umask, sizeof(m)) < 0)
		return -EFAULT;
	*saved = t->blocked;
	t->blocked = m & ~(sigset_t)SIG_KERNEL_ONLY;
	*changed = true;
	return 0;
}

/*
 * Puts the old mask back, or, when a signal interrupted the wait, leaves
 * that to signal delivery so the handler runs under the temporary mask.
 */
static void sigmask_leave(struct task *t, const sigset_t *saved, bool changed, long ret)
{
	if (!changed)
		return;
	if (ret == -ERESTARTNOHAND) {
		t->saved_mask = *saved;
		t->restore_mask = true;
	} else {
		t->blocked = *saved;
	}
}

static long get_timespec_deadline(uaddr_t uts, u64 *deadline)
{
	struct __kernel_timespec ts;

	*deadline = NO_DEADLINE;
	if (uaddr_is_null(uts))
		return 0;
	if (copy_from_user(&ts, uts, sizeof(ts)) < 0)
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
		return -EINVAL;
	*deadline = deadline_after(ts.tv_sec, ts.tv_nsec);
	return 0;
}

static void put_timespec_remaining(uaddr_t uts, u64 deadline)
{
	struct __kernel_timespec ts;
	u64 left;

	if (uaddr_is_null(uts) || deadline == NO_DEADLINE)
		return;
	left = remaining_ns(deadline);
	ts.tv_sec = (long long)(left / 1000000000ULL);
	ts.tv_nsec = (long long)(left % 1000000000ULL);
	copy_to_user(uts, &ts, sizeof(ts));	/* Linux ignores a fault here too */
}

/* ppoll(fds, nfds, tsp, sigmask, sigsetsize) */
SYSCALL(ppoll)
{
	uaddr_t uts = UADDR(a[2]);
	sigset_t saved = 0;
	bool changed = false;
	u64 deadline;
	long ret;

	ret = get_timespec_deadline(uts, &deadline);
	if (ret == 0)
		ret = sigmask_enter(t, UADDR(a[3]), (size_t)a[4], &saved, &changed);
	if (ret < 0)
		return ret;
	ret = poll_user(UADDR(a[0]), (unsigned long)a[1], deadline);
	if (ret == -EINTR)
		ret = -ERESTARTNOHAND;
	put_timespec_remaining(uts, deadline);
	sigmask_leave(t, &saved, changed, ret);
	return ret;
}

/* select's three bitmaps, in kernel memory. */
struct fdsets {
	unsigned long *in, *out, *ex;
	size_t words;
};

static long fdsets_get(struct fdsets *s, const uaddr_t u[3])
{
	unsigned long **sets[3] = { &s->in, &s->out, &s->ex };
	size_t bytes = s->words * sizeof(unsigned long);
	int i;

	for (i = 0; i < 3; i++) {
		*sets[i] = kcalloc(s->words ? s->words : 1, sizeof(unsigned long));
		if (*sets[i] == NULL)
			return -ENOMEM;
		if (!uaddr_is_null(u[i]) && copy_from_user(*sets[i], u[i], bytes) < 0)
			return -EFAULT;
	}
	return 0;
}

static void fdsets_free(struct fdsets *s)
{
	kfree(s->in);
	kfree(s->out);
	kfree(s->ex);
}

static bool bit(const unsigned long *set, int fd)
{
	return (set[fd / 64] >> (fd % 64)) & 1;
}

/* Builds the pollfd list of the fds named in any set: its length, or -errno. */
static long select_to_poll(const struct fdsets *s, int n, struct pollfd *fds)
{
	long nfds = 0;
	int fd;

	for (fd = 0; fd < n; fd++) {
		short ev = 0;

		if (bit(s->in, fd))
			ev |= POLLIN_SET;
		if (bit(s->out, fd))
			ev |= POLLOUT_SET;
		if (bit(s->ex, fd))
			ev |= POLLEX_SET;
		if (ev == 0)
			continue;
		fds[nfds].fd = fd;
		fds[nfds].events = ev;
		fds[nfds].revents = 0;
		nfds++;
	}
	return nfds;
}

static void set_bit_if(unsigned long *dst, const unsigned long *asked, int fd, bool ready,
		       long *count)
{
	if (ready && bit(asked, fd)) {
		dst[fd / 64] |= 1UL << (fd % 64);
		(*count)++;
	}
}

/*
 * Turns poll results back into the three sets, replacing the asked ones:
 * the number of bits set, or -EBADF if an fd in a set is not open.
 */
static long poll_to_select(struct fdsets *s, const struct pollfd *fds, long nfds)
{
	struct fdsets asked = *s;
	size_t w = s->words ? s->words : 1;
	long count = 0, i;

	s->in = kcalloc(w, sizeof(unsigned long));
	s->out = kcalloc(w, sizeof(unsigned long));
	s->ex = kcalloc(w, sizeof(unsigned long));
	if (s->in == NULL || s->out == NULL || s->ex == NULL)
		count = -ENOMEM;
	for (i = 0; i < nfds && count >= 0; i++) {
		int fd = fds[i].fd;
		unsigned re = (unsigned short)fds[i].revents;

		if (re & POLLNVAL) {
			count = -EBADF;
			break;
		}
		set_bit_if(s->in, asked.in, fd, re & POLLIN_SET, &count);
		set_bit_if(s->out, asked.out, fd, re & POLLOUT_SET, &count);
		set_bit_if(s->ex, asked.ex, fd, re & POLLEX_SET, &count);
	}
	fdsets_free(&asked);
	return count;
}

static long fdsets_put(const struct fdsets *s, const uaddr_t u[3])
{
	const unsigned long *sets[3] = { s->in, s->out, s->ex };
	size_t bytes = s->words * sizeof(unsigned long);
	int i;

	for (i = 0; i < 3; i++)
		if (!uaddr_is_null(u[i]) && copy_to_user(u[i], sets[i], bytes) < 0)
			return -EFAULT;
	return 0;
}

/* select and pselect6 without the timeout and mask handling. May sleep. */
static long do_select(int n, const uaddr_t u[3], u64 deadline)
{
	struct fdsets s = { 0 };
	struct pollfd *fds = NULL;
	long nfds, ret;

	if (n < 0)
		return -EINVAL;
	if (current->files && n > current->files->max_fds)
		n = current->files->max_fds;	/* as Linux: past the table is nothing */
	s.words = DIV_ROUND_UP((size_t)n, 64);
	ret = fdsets_get(&s, u);
	if (ret < 0)
		goto out;
	ret = -ENOMEM;
	fds = kcalloc(n ? (size_t)n : 1, sizeof(*fds));
	if (fds == NULL)
		goto out;
	nfds = select_to_poll(&s, n, fds);
	ret = do_poll(fds, (unsigned)nfds, deadline);
	if (ret >= 0)
		ret = poll_to_select(&s, fds, nfds);
	if (ret >= 0 && fdsets_put(&s, u) < 0)
		ret = -EFAULT;
out:
	kfree(fds);
	fdsets_free(&s);
	return ret;
}

/* select(n, in, out, ex, timeval) */
SYSCALL(select)
{
	uaddr_t u[3] = { UADDR(a[1]), UADDR(a[2]), UADDR(a[3]) };
	uaddr_t utv = UADDR(a[4]);
	struct __kernel_old_timeval tv;
	u64 deadline = NO_DEADLINE, left;
	long ret;

	if (!uaddr_is_null(utv)) {
		if (copy_from_user(&tv, utv, sizeof(tv)) < 0)
			return -EFAULT;
		if (tv.tv_sec < 0 || tv.tv_usec < 0)
			return -EINVAL;
		deadline = deadline_after(tv.tv_sec + tv.tv_usec / 1000000,
					  (tv.tv_usec % 1000000) * 1000);
	}
	ret = do_select((int)a[0], u, deadline);
	if (ret == -EINTR)
		ret = -ERESTARTNOHAND;
	if (!uaddr_is_null(utv) && deadline != NO_DEADLINE) {
		left = remaining_ns(deadline);
		tv.tv_sec = (long)(left / 1000000000ULL);
		tv.tv_usec = (long)(left % 1000000000ULL / 1000);
		copy_to_user(utv, &tv, sizeof(tv));
	}
	return ret;
}

/* pselect6(n, in, out, ex, timespec, {sigmask, size}) */
SYSCALL(pselect6)
{
	uaddr_t u[3] = { UADDR(a[1]), UADDR(a[2]), UADDR(a[3]) };
	uaddr_t uts = UADDR(a[4]), usig = UADDR(a[5]);
	struct { u64 mask; u64 size; } sig = { 0, 0 };
	sigset_t saved = 0;
	bool changed = false;
	u64 deadline;
	long ret;

	ret = get_timespec_deadline(uts, &deadline);
	if (ret < 0)
		return ret;
	if (!uaddr_is_null(usig) && copy_from_user(&sig, usig, sizeof(sig)) < 0)
		return -EFAULT;
	ret = sigmask_enter(t, UADDR(sig.mask), (size_t)sig.size, &saved, &changed);
	if (ret < 0)
		return ret;
	ret = do_select((int)a[0], u, deadline);
	if (ret == -EINTR)
		ret = -ERESTARTNOHAND;
	put_timespec_remaining(uts, deadline);
	sigmask_leave(t, &saved, changed, ret);
	return ret;
}
