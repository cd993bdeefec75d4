/*
 * fasync.c - signal-driven I/O: O_ASYNC, F_SETOWN, F_SETSIG (fcntl(2)).
 *
 * A file with O_ASYNC set has a struct fasync with a callback entry on
 * every wait queue its f_op->poll names (the same hooks epoll uses), so
 * no driver needs code of its own: when a waker says input (or, named
 * explicitly, output room) arrived and poll agrees, the owner gets
 * SIGIO, or the F_SETSIG signal with si_code POLL_IN..., si_band and
 * si_fd.  The owner is a process (F_SETOWN pid) or a process group
 * (negative); the state lives until the file's last fput.
 */
#include "kernel/kernel.h"
#include "kernel/fs.h"
#include "kernel/mm.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "internal.h"

struct fasync_hook {
	struct waiter w;
	struct fasync_hook *next;
};

struct fasync {
	struct poll_table pt;		/* for registering the hooks */
	struct file *file;
	int owner_type;			/* F_OWNER_TID, F_OWNER_PID or F_OWNER_PGRP */
	pid_t owner;			/* 0: nobody */
	int sig;			/* F_SETSIG: 0 means SIGIO without details */
	int fd;				/* the fd O_ASYNC was set through, for si_fd */
	bool on;
	struct fasync_hook *hooks;
};

static struct fasync *fasync_get(struct file *f)
{
	if (f->f_async == NULL) {
		f->f_async = kzalloc(sizeof(struct fasync));
		if (f->f_async != NULL) {
			f->f_async->file = f;
			f->f_async->owner_type = F_OWNER_PID;
		}
	}
	return f->f_async;
}

/* POLL_IN..POLL_HUP for a ready mask, and the si_band Linux gives each. */
static int poll_reason(unsigned mask, long *band)
{
	if (mask & (POLLIN | POLLRDNORM)) {
		*band = POLLIN | POLLRDNORM;
		return POLL_IN;
	}
	if (mask & POLLHUP) {
		*band = POLLHUP | POLLERR;
		return POLL_HUP;
	}
	if (mask & POLLERR) {
		*band = POLLERR;
		return POLL_ERR;
	}
	if (mask & POLLPRI) {
		*band = POLLPRI | POLLRDBAND;
		return POLL_PRI;
	}
	*band = POLLOUT | POLLWRNORM | POLLWRBAND;
	return POLL_OUT;
}

static void fasync_send(struct fasync *fa, unsigned mask)
{
	siginfo_t info;
	siginfo_t *ip = NULL;
	int sig = fa->sig ? fa->sig : SIGIO;
	struct task *t;

	if (fa->sig) {
		long band;

		memset(&info, 0, sizeof(info));
		info.si_signo = fa->sig;
		info.si_code = poll_reason(mask, &band);
		info.si_band = band;
		info.si_fd = fa->fd;
		ip = &info;
	}
	if (fa->owner_type == F_OWNER_PGRP) {
		kill_pgrp(fa->owner, sig, ip);
		return;
	}
	t = find_task(fa->owner);
	if (t != NULL && t->mm != NULL && t->state != TASK_ZOMBIE)
		ip ? send_signal(t, sig, ip) : send_sig(t, sig);
}

/*
 * A lease on f (set through fd) is being broken: its owner (made the
 * lease setter by F_SETLEASE) gets F_SETSIG's signal with POLL_MSG and
 * si_fd, or SIGIO, as Linux's lease_break_callback.  Never sleeps.
 */
void fasync_lease_break(struct file *f, int fd)
{
	struct fasync *fa = f->f_async;
	siginfo_t info;
	struct task *t;
	int sig;

	if (fa == NULL || fa->owner == 0)
		return;
	sig = fa->sig ? fa->sig : SIGIO;
	memset(&info, 0, sizeof(info));
	info.si_signo = sig;
	info.si_code = 3;		/* POLL_MSG */
	info.si_band = POLLIN | POLLRDNORM | 0x400;	/* POLLMSG */
	info.si_fd = fd;
	if (fa->owner_type == F_OWNER_PGRP) {
		kill_pgrp(fa->owner, sig, fa->sig ? &info : NULL);
		return;
	}
	t = find_task(fa->owner);
	if (t != NULL && t->mm != NULL && t->state != TASK_ZOMBIE)
		fa->sig ? send_signal(t, sig, &info) : send_sig(t, sig);
}

/* A wake-up on one of the file's queues: signal the owner if poll agrees. */
static int fasync_wake(struct waiter *w, unsigned key)
{
	struct fasync *fa = w->priv;
	unsigned want = POLLIN | POLLRDNORM | POLLPRI | POLLHUP | POLLERR | POLLRDHUP;
	unsigned mask;

	if (!fa->on || fa->owner == 0)
		return 0;
	if (key & (POLLOUT | POLLWRNORM))
		want |= POLLOUT | POLLWRNORM;
	if (key)
		want &= key | POLLHUP | POLLERR;
	mask = vfs_poll(fa->file, NULL) & want;
	if (mask)
		fasync_send(fa, mask);
	return mask != 0;
}

static void fasync_queue(struct file *f, struct wait_queue *wq, struct poll_table *pt)
{
	struct fasync *fa = container_of(pt, struct fasync, pt);
	struct fasync_hook *h = kmalloc(sizeof(*h));

	if (h == NULL)
		return;
	waiter_add_func(wq, &h->w, fasync_wake, fa, false);
	h->next = fa->hooks;
	fa->hooks = h;
}

static void fasync_unhook(struct fasync *fa)
{
	while (fa->hooks != NULL) {
		struct fasync_hook *h = fa->hooks;

		fa->hooks = h->next;
		waiter_del(&h->w);
		kfree(h);
	}
}

int fasync_set(struct file *f, int fd, bool on)
{
	struct fasync *fa;

	if (!on && f->f_async == NULL)
		return 0;
	fa = fasync_get(f);
	if (fa == NULL)
		return -ENOMEM;
	fa->fd = fd;
	if (on && !fa->on) {
		fa->pt.qproc = fasync_queue;
		vfs_poll(f, &fa->pt);
	} else if (!on && fa->on) {
		fasync_unhook(fa);
	}
	fa->on = on;
	return 0;
}

void fasync_release(struct file *f)
{
	if (f->f_async == NULL)
		return;
	fasync_unhook(f->f_async);
	kfree(f->f_async);
	f->f_async = NULL;
}

/* F_SETOWN's rule: a positive pid or negative process group that exists, or 0. */
static long fasync_setown(struct file *f, int type, pid_t who)
{
	struct fasync *fa;

	if (who != 0 && type != F_OWNER_PGRP && find_task(who) == NULL)
		return -ESRCH;
	fa = fasync_get(f);
	if (fa == NULL)
		return -ENOMEM;
	fa->owner_type = type;
	fa->owner = who;
	return 0;
}

static long fasync_owner_ex(struct file *f, unsigned cmd, uaddr_t uarg)
{
	struct f_owner_ex ex;
	struct fasync *fa = f->f_async;

	if (cmd == F_GETOWN_EX) {
		ex.type = fa ? fa->owner_type : F_OWNER_PID;
		ex.pid = fa ? fa->owner : 0;
		return copy_to_user(uarg, &ex, sizeof(ex)) ? -EFAULT : 0;
	}
	if (copy_from_user(&ex, uarg, sizeof(ex)))
		return -EFAULT;
	if (ex.type != F_OWNER_TID && ex.type != F_OWNER_PID && ex.type != F_OWNER_PGRP)
		return -EINVAL;
	if (ex.pid < 0)
		return -EINVAL;
	return fasync_setown(f, ex.type, ex.pid);
}

long fasync_fcntl(struct file *f, unsigned cmd, long arg)
{
	struct fasync *fa = f->f_async;
	int who = (int)arg;

	switch (cmd) {
	case F_GETOWN:
		if (fa == NULL)
			return 0;
		return fa->owner_type == F_OWNER_PGRP ? -fa->owner : fa->owner;
	case F_SETOWN:
		if (who == INT32_MIN)
			return -EINVAL;
		return who < 0 ? fasync_setown(f, F_OWNER_PGRP, -who) :
				 fasync_setown(f, F_OWNER_PID, who);
	case F_GETSIG:
		return fa ? fa->sig : 0;
	case F_SETSIG:
		if (arg < 0 || arg > KNSIG)
			return -EINVAL;
		fa = fasync_get(f);
		if (fa == NULL)
			return -ENOMEM;
		fa->sig = (int)arg;
		return 0;
	case F_GETOWN_EX:
	case F_SETOWN_EX:
		return fasync_owner_ex(f, cmd, UADDR(arg));
	}
	return -EINVAL;
}
