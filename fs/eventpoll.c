/*
 * eventpoll.c - epoll(7): epoll_create1, epoll_ctl, epoll_wait and the
 * pwait variants.
 *
 * An epoll instance (struct eventpoll) is a file holding one struct
 * epitem per watched (file, fd) pair.  Adding an item polls its file
 * once with a poll table whose qproc puts a callback entry (ep_hook)
 * on each wait queue the file names; from then on a wake-up on any of
 * them runs ep_wake, which puts the item on the ready list and wakes
 * the epoll_wait sleepers and any epoll watching this one (nesting).
 * epoll_wait takes items off the ready list, asks each file's poll for
 * its events now, reports those that are set and puts level-triggered
 * items back, so the next call looks again; edge-triggered items come
 * back only with the next wake-up; one-shot items are disabled until
 * EPOLL_CTL_MOD.  So epoll_wait costs the ready items, not the watched.
 *
 * Lifetimes: an item belongs to the open file description, not the fd:
 * it holds no reference on its file and goes away when the file's last
 * reference does (eventpoll_release, called by fput), or with the epoll
 * instance, or by EPOLL_CTL_DEL.  Closing one of two dup'd fds keeps it.
 */
#include "kernel/kernel.h"
#include "kernel/fs.h"
#include "kernel/overflow.h"
#include "kernel/mm.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/syscalls.h"
#include "uapi/linux/eventpoll.h"
#include "uapi/linux/time_types.h"
#include "internal.h"

_Static_assert(sizeof(struct epoll_event) == 12, "x86_64 epoll_event is packed");

#define EP_MAX_NESTS	4
#define EP_MAX_EVENTS	(0x7fffffff / sizeof(struct epoll_event))
#define EP_PRIVATE_BITS	(EPOLLWAKEUP | EPOLLONESHOT | EPOLLET | EPOLLEXCLUSIVE)
#define EPOLLEXCLUSIVE_OK_BITS	(EPOLLIN | EPOLLOUT | EPOLLERR | EPOLLHUP | EPOLLWAKEUP | \
				 EPOLLET | EPOLLEXCLUSIVE)
#define NO_DEADLINE	UINT64_MAX

struct eventpoll {
	struct list_head items;		/* every epitem */
	struct list_head rdlist;	/* items that may be ready */
	struct wait_queue wq;		/* tasks in epoll_wait */
	struct wait_queue poll_wq;	/* poll on this epoll file (an outer epoll) */
	struct file *file;
};

struct epitem;
struct ep_hook {
	struct waiter w;
	struct epitem *epi;
	struct ep_hook *next;
};

struct epitem {
	struct list_head link;		/* on ep->items */
	struct list_head rdlink;	/* on ep->rdlist while queued */
	struct eventpoll *ep;
	struct file *file;		/* no reference: see the file comment */
	int fd;
	u32 events;
	u64 data;
	struct epitem *f_next;		/* the file's chain (file->f_ep) */
	struct ep_hook *hooks;
	struct poll_table pt;
};

static const struct file_operations eventpoll_fops;

static bool is_file_epoll(const struct file *f)
{
	return f->f_op == &eventpoll_fops;
}

static void ep_queue_ready(struct epitem *epi)
{
	struct eventpoll *ep = epi->ep;

	if (list_empty(&epi->rdlink))
		list_add_tail(&epi->rdlink, &ep->rdlist);
	wake_up(&ep->wq);
	wake_up_poll(&ep->poll_wq, POLLIN | POLLRDNORM);
}

/* A wake-up on a watched file's queue (see wait_func_t). */
static int ep_wake(struct waiter *w, unsigned key)
{
	struct epitem *epi = ((struct ep_hook *)w->priv)->epi;

	if (!(epi->events & ~EP_PRIVATE_BITS))
		return 0;		/* a one-shot item that fired */
	if (key && !(key & epi->events))
		return 0;
	ep_queue_ready(epi);
	return 1;
}

static void ep_ptable_queue(struct file *f, struct wait_queue *wq, struct poll_table *pt)
{
	struct epitem *epi = container_of(pt, struct epitem, pt);
	struct ep_hook *h = kmalloc(sizeof(*h));

	if (h == NULL)
		return;		/* the item then only sees level changes at ctl time */
	h->epi = epi;
	waiter_add_func(wq, &h->w, ep_wake, h, (epi->events & EPOLLEXCLUSIVE) != 0);
	h->next = epi->hooks;
	epi->hooks = h;
}

static unsigned ep_item_poll(struct epitem *epi, struct poll_table *pt)
{
	return vfs_poll(epi->file, pt) & epi->events;
}

/* Takes epi off every list and frees it. */
static void ep_remove(struct epitem *epi)
{
	struct epitem **pp;

	while (epi->hooks != NULL) {
		struct ep_hook *h = epi->hooks;

		epi->hooks = h->next;
		waiter_del(&h->w);
		kfree(h);
	}
	for (pp = &epi->file->f_ep; *pp != NULL; pp = &(*pp)->f_next) {
		if (*pp == epi) {
			*pp = epi->f_next;
			break;
		}
	}
	list_del(&epi->rdlink);
	list_del(&epi->link);
	if (leak_test(epitems))
		return;
	live.epitems--;
	kfree(epi);
}

void eventpoll_release(struct file *f)
{
	while (f->f_ep != NULL)
		ep_remove(f->f_ep);
}

static struct epitem *ep_find(struct eventpoll *ep, struct file *f, int fd)
{
	struct epitem *epi;

	list_for_each_entry(epi, &ep->items, link)
		if (epi->file == f && epi->fd == fd)
			return epi;
	return NULL;
}

static int ep_insert(struct eventpoll *ep, struct file *tf, int fd, const struct epoll_event *ev)
{
	struct epitem *epi = kzalloc(sizeof(*epi));

	if (epi == NULL)
		return -ENOMEM;
	live.epitems++;
	INIT_LIST_HEAD(&epi->rdlink);
	epi->ep = ep;
	epi->file = tf;
	epi->fd = fd;
	epi->events = ev->events | EPOLLERR | EPOLLHUP;
	epi->data = ev->data;
	epi->pt.qproc = ep_ptable_queue;
	list_add_tail(&epi->link, &ep->items);
	epi->f_next = tf->f_ep;
	tf->f_ep = epi;
	if (ep_item_poll(epi, &epi->pt))
		ep_queue_ready(epi);
	return 0;
}

static int ep_modify(struct epitem *epi, const struct epoll_event *ev)
{
	epi->events = ev->events | EPOLLERR | EPOLLHUP;
	epi->data = ev->data;
	if (ep_item_poll(epi, NULL))
		ep_queue_ready(epi);
	return 0;
}

/* Would watching target from ep make a loop or nest too deep?  -ELOOP then. */
static int ep_loop_check(struct eventpoll *ep, struct eventpoll *target, int depth)
{
	struct epitem *epi;

	if (target == ep || depth > EP_MAX_NESTS)
		return -ELOOP;
	list_for_each_entry(epi, &target->items, link) {
		if (is_file_epoll(epi->file)) {
			int err = ep_loop_check(ep, epi->file->private_data, depth + 1);

			if (err)
				return err;
		}
	}
	return 0;
}

/* How deep ep already sits inside other epolls (the outer chain). */
static int ep_outer_depth(struct eventpoll *ep, int depth)
{
	struct epitem *epi;
	int best = depth;

	if (depth > EP_MAX_NESTS)
		return depth;
	for (epi = ep->file->f_ep; epi != NULL; epi = epi->f_next) {
		int d = ep_outer_depth(epi->ep, depth + 1);

		if (d > best)
			best = d;
	}
	return best;
}

/* The checks of epoll_ctl(2) that need both files: 0 or -errno. */
static int ep_ctl_check(int op, struct file *ef, struct file *tf, const struct epoll_event *ev)
{
	if (tf->f_op == NULL || tf->f_op->poll == NULL)
		return -EPERM;
	if (ef == tf || !is_file_epoll(ef))
		return -EINVAL;
	if (op != EPOLL_CTL_DEL && (ev->events & EPOLLEXCLUSIVE)) {
		if (op == EPOLL_CTL_MOD)
			return -EINVAL;
		if (op == EPOLL_CTL_ADD &&
		    (is_file_epoll(tf) || (ev->events & ~EPOLLEXCLUSIVE_OK_BITS)))
			return -EINVAL;
	}
	if (op == EPOLL_CTL_ADD && is_file_epoll(tf)) {
		struct eventpoll *ep = ef->private_data;

		if (ep_loop_check(ep, tf->private_data, 1) < 0 ||
		    ep_outer_depth(ep, 0) + 1 > EP_MAX_NESTS)
			return -ELOOP;
	}
	return 0;
}

static long do_epoll_ctl(int epfd, int op, int fd, const struct epoll_event *ev)
{
	struct file *ef, *tf;
	struct eventpoll *ep;
	struct epitem *epi;
	long err = -EBADF;

	ef = fd_get_file(epfd);
	if (ef == NULL)
		return -EBADF;
	tf = fd_get_file(fd);
	if (tf == NULL)
		goto out_ef;
	err = ep_ctl_check(op, ef, tf, ev);
	if (err)
		goto out_tf;
	ep = ef->private_data;
	epi = ep_find(ep, tf, fd);
	switch (op) {
	case EPOLL_CTL_ADD:
		err = epi ? -EEXIST : ep_insert(ep, tf, fd, ev);
		break;
	case EPOLL_CTL_DEL:
		err = -ENOENT;
		if (epi) {
			ep_remove(epi);
			err = 0;
		}
		break;
	case EPOLL_CTL_MOD:
		err = -ENOENT;
		if (epi)
			err = (epi->events & EPOLLEXCLUSIVE) ? -EINVAL : ep_modify(epi, ev);
		break;
	default:
		err = -EINVAL;
	}
out_tf:
	fput(tf);
out_ef:
	fput(ef);
	return err;
}

SYSCALL(epoll_ctl)
{
	int epfd = (int)a[0], op = (int)a[1], fd = (int)a[2];
	uaddr_t uev = UADDR(a[3]);
	struct epoll_event ev = { 0, 0 };

	if (op != EPOLL_CTL_DEL && copy_from_user(&ev, uev, sizeof(ev)) < 0)
		return -EFAULT;
	return do_epoll_ctl(epfd, op, fd, &ev);
}

/*
 * Reports up to max ready items into uev: how many, or -EFAULT if none
 * could be written.  Level-triggered items go back on the ready list.
 */
static long ep_send_events(struct eventpoll *ep, uaddr_t uev, int max)
{
	LIST_HEAD(txlist);
	struct epitem *epi;
	long n = 0;

	while (!list_empty(&ep->rdlist)) {	/* move, keeping the order */
		epi = list_first_entry(&ep->rdlist, struct epitem, rdlink);
		list_del(&epi->rdlink);
		list_add_tail(&epi->rdlink, &txlist);
	}
	while (!list_empty(&txlist) && n < max) {
		struct epoll_event ev;

		epi = list_first_entry(&txlist, struct epitem, rdlink);
		list_del(&epi->rdlink);
		ev.events = ep_item_poll(epi, NULL);
		if (ev.events == 0)
			continue;
		ev.data = epi->data;
		if (copy_to_user(uaddr_off(uev, (u64)n * sizeof(ev)), &ev, sizeof(ev)) < 0) {
			list_add(&epi->rdlink, &ep->rdlist);
			if (n == 0)
				n = -EFAULT;
			break;
		}
		n++;
		if (epi->events & EPOLLONESHOT)
			epi->events &= EP_PRIVATE_BITS;
		else if (!(epi->events & EPOLLET))
			list_add_tail(&epi->rdlink, &ep->rdlist);
	}
	while (!list_empty(&txlist)) {		/* not looked at: first next time */
		epi = list_entry(txlist.prev, struct epitem, rdlink);
		list_del(&epi->rdlink);
		list_add(&epi->rdlink, &ep->rdlist);
	}
	return n;
}

/* Waits for events until the deadline: count, 0, -EINTR or -EFAULT.  May sleep. */
static long ep_poll(struct eventpoll *ep, uaddr_t uev, int max, u64 deadline)
{
	for (;;) {
		long n = ep_send_events(ep, uev, max);
		int r;

		if (n != 0)
			return n;
		if (signal_pending(current))
			return -EINTR;
		if (deadline != NO_DEADLINE && os_monotonic_ns() >= deadline)
			return 0;
		if (deadline == NO_DEADLINE)
			r = sleep_on(&ep->wq, true);
		else
			r = sleep_on_timeout(&ep->wq, true, deadline);
		if (r == -ETIMEDOUT)
			return ep_send_events(ep, uev, max);
	}
}

static long do_epoll_wait(int epfd, uaddr_t uev, int max, u64 deadline)
{
	struct file *f;
	long ret;

	if (max <= 0 || (u64)max > EP_MAX_EVENTS)
		return -EINVAL;
	if (uaddr_is_null(uev) || !guest_range_ok(uaddr_val(uev), (u64)max * sizeof(struct epoll_event)))
		return -EFAULT;
	f = fd_get_file(epfd);
	if (f == NULL)
		return -EBADF;
	ret = -EINVAL;
	if (is_file_epoll(f))
		ret = ep_poll(f->private_data, uev, max, deadline);
	fput(f);
	return ret;
}

static u64 ms_deadline(int ms)
{
	if (ms < 0)
		return NO_DEADLINE;
	return os_monotonic_ns() + (u64)ms * 1000000ULL;
}

SYSCALL(epoll_wait)
{
	return do_epoll_wait((int)a[0], UADDR(a[1]), (int)a[2], ms_deadline((int)a[3]));
}

/*
 * epoll_pwait and pwait2: the mask stays in force for a handler that
 * interrupts the wait (set_restore_sigmask), else it is put back.
 */
static long epoll_pwait_common(struct task *t, const long *a, u64 deadline)
{
	uaddr_t umask = UADDR(a[4]);
	sigset_t m, saved = t->blocked;
	long ret;

	if (!uaddr_is_null(umask)) {
		if ((size_t)a[5] != sizeof(sigset_t))
			return -EINVAL;
		if (copy_from_user(&m, umask, sizeof(m)) < 0)
			return -EFAULT;
		t->blocked = m & ~(sigset_t)SIG_KERNEL_ONLY;
	}
	ret = do_epoll_wait((int)a[0], UADDR(a[1]), (int)a[2], deadline);
	if (uaddr_is_null(umask))
		return ret;
	if (ret == -EINTR) {
		t->saved_mask = saved;
		t->restore_mask = true;
	} else {
		t->blocked = saved;
	}
	return ret;
}

SYSCALL(epoll_pwait)
{
	return epoll_pwait_common(t, a, ms_deadline((int)a[3]));
}

SYSCALL(epoll_pwait2)
{
	uaddr_t uts = UADDR(a[3]);
	struct __kernel_timespec ts;
	u64 deadline = NO_DEADLINE, ns;

	if (!uaddr_is_null(uts)) {
		if (copy_from_user(&ts, uts, sizeof(ts)) < 0)
			return -EFAULT;
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
			return -EINVAL;
		if (__builtin_mul_overflow((u64)ts.tv_sec, 1000000000ULL, &ns) ||
		    __builtin_add_overflow(ns, (u64)ts.tv_nsec, &ns) ||
		    __builtin_add_overflow(ns, os_monotonic_ns(), &deadline))
			deadline = NO_DEADLINE;
	}
	return epoll_pwait_common(t, a, deadline);
}

/* poll on an epoll file: readable when a watched item is ready (nesting). */
static unsigned ep_eventpoll_poll(struct file *f, struct poll_table *pt)
{
	struct eventpoll *ep = f->private_data;
	struct epitem *epi, *n;

	poll_wait(f, &ep->poll_wq, pt);
	list_for_each_entry_safe(epi, n, &ep->rdlist, rdlink) {
		if (ep_item_poll(epi, NULL))
			return POLLIN | POLLRDNORM;
		list_del(&epi->rdlink);		/* not ready after all */
	}
	return 0;
}

static void ep_release(struct inode *inode, struct file *f)
{
	struct eventpoll *ep = f->private_data;

	while (!list_empty(&ep->items))
		ep_remove(list_first_entry(&ep->items, struct epitem, link));
	kfree(ep);
}

/* Linux's ep_show_fdinfo: one line per watched descriptor. */
static void ep_show_fdinfo(struct file *f, struct proc_buf *b)
{
	struct eventpoll *ep = f->private_data;
	struct epitem *epi;

	list_for_each_entry(epi, &ep->items, link) {
		struct inode *inode = epi->file->f_inode;

		pb_printf(b, "tfd: %8d events: %8x data: %16llx  pos:%lli ino:%llx sdev:%x\n",
			  epi->fd, epi->events, (unsigned long long)epi->data,
			  (long long)epi->file->f_pos,
			  (unsigned long long)(inode ? inode->i_ino : 0),
			  inode && inode->i_sb ? (unsigned)inode->i_sb->s_dev : 0);
	}
}

static const struct file_operations eventpoll_fops = {
	.show_fdinfo = ep_show_fdinfo,
	.poll = ep_eventpoll_poll,
	.llseek = noop_llseek,
	.release = ep_release,
};

static long do_epoll_create(int flags)
{
	struct eventpoll *ep;
	struct file *f;

	if (flags & ~EPOLL_CLOEXEC)
		return -EINVAL;
	ep = kzalloc(sizeof(*ep));
	if (ep == NULL)
		return -ENOMEM;
	INIT_LIST_HEAD(&ep->items);
	INIT_LIST_HEAD(&ep->rdlist);
	init_waitqueue(&ep->wq);
	init_waitqueue(&ep->poll_wq);
	f = anon_file_create("[eventpoll]", &eventpoll_fops, ep, O_RDWR, NULL);
	if (IS_ERR(f)) {
		kfree(ep);
		return PTR_ERR(f);
	}
	ep->file = f;
	return anon_fd_install(f, (flags & EPOLL_CLOEXEC) != 0);
}

SYSCALL(epoll_create1)
{
	return do_epoll_create((int)a[0]);
}

SYSCALL(epoll_create)
{
	if ((int)a[0] <= 0)
		return -EINVAL;
	return do_epoll_create(0);
}
