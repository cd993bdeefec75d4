/*
 * signalfd.c - signalfd(2), signalfd4: pending signals read as files.
 *
 * A signalfd holds a signal mask; read takes the caller's pending
 * signals of that mask (dequeue_signal_mask, kernel/signal.c) and turns
 * each siginfo into the 128-byte struct signalfd_siginfo, filling the
 * fields its layout has, as Linux's signalfd_copyinfo does.  Readiness
 * is the reader's own pending set, so poll and epoll look at the task
 * that asks.  Every queued signal wakes one queue shared by all
 * signalfds (signalfd_notify); the waiters look again.
 */
#include "kernel/kernel.h"
#include "kernel/fs.h"
#include "kernel/mm.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/syscalls.h"
#include "uapi/linux/signalfd.h"
#include "internal.h"

_Static_assert(sizeof(struct signalfd_siginfo) == 128, "signalfd_siginfo is 128 bytes");

struct signalfd_ctx {
	ksigset_t mask;
};

static struct wait_queue signalfd_wq = WAIT_QUEUE_INIT(signalfd_wq);
static const struct file_operations signalfd_fops;

/*
 * A signal was queued.  Not re-entered: a wake-up can send a signal
 * itself (O_ASYNC on a signalfd, or on an epoll watching one, with an
 * F_SETSIG real-time signal in the mask), which would come back here
 * without end; the outer wake-up already covers it.
 */
void signalfd_notify(struct task *t)
{
	static bool notifying;

	if (notifying || !waitqueue_active(&signalfd_wq))
		return;
	notifying = true;
	wake_up_poll(&signalfd_wq, POLLIN | POLLRDNORM);
	notifying = false;
}

static void copy_kill(struct signalfd_siginfo *s, const siginfo_t *i)
{
	s->ssi_pid = (u32)i->si_pid;
	s->ssi_uid = i->si_uid;
}

/* siginfo -> signalfd_siginfo by the layout of (signo, code), as Linux. */
static void signalfd_copyinfo(struct signalfd_siginfo *s, const siginfo_t *i)
{
	int sig = i->si_signo, code = i->si_code;

	memset(s, 0, sizeof(*s));
	s->ssi_signo = (u32)sig;
	s->ssi_errno = i->si_errno;
	s->ssi_code = code;
	if (code <= SI_USER || code >= SI_KERNEL) {
		if (code < 0 && code != SI_TIMER && code != SI_SIGIO) {
			copy_kill(s, i);		/* SIL_RT */
			s->ssi_int = i->si_int;
			s->ssi_ptr = (u64)(uintptr_t)i->si_ptr;
		} else if (code == SI_TIMER) {
			s->ssi_tid = (u32)i->si_tid;
			s->ssi_overrun = (u32)i->si_overrun;
			s->ssi_int = i->si_int;
			s->ssi_ptr = (u64)(uintptr_t)i->si_ptr;
		} else if (code == SI_SIGIO) {
			s->ssi_band = (u32)i->si_band;
			s->ssi_fd = i->si_fd;
		} else {
			copy_kill(s, i);		/* SIL_KILL */
		}
		return;
	}
	switch (sig) {
	case SIGCHLD:
		copy_kill(s, i);
		s->ssi_status = i->si_status;
		s->ssi_utime = (u64)i->si_utime;
		s->ssi_stime = (u64)i->si_stime;
		break;
	case SIGSEGV: case SIGBUS: case SIGILL: case SIGFPE: case SIGTRAP:
		s->ssi_addr = (u64)(uintptr_t)i->si_addr;
		break;
	case SIGIO:
		s->ssi_band = (u32)i->si_band;
		s->ssi_fd = i->si_fd;
		break;
	default:
		copy_kill(s, i);
		if (sig >= SIGRTMIN) {
			s->ssi_int = i->si_int;
			s->ssi_ptr = (u64)(uintptr_t)i->si_ptr;
		}
	}
}

/* Reads as many pending signals as fit; blocks for the first.  May sleep. */
static ssize_t signalfd_read(struct file *f, struct uio *u, loff_t *pos)
{
	struct signalfd_ctx *c = f->private_data;
	struct signalfd_siginfo ssi;
	size_t n = 0, max = (u->len - u->done) / sizeof(ssi);
	siginfo_t info;
	int r;

	if (max == 0)
		return -EINVAL;
	while (n < max) {
		if (dequeue_signal_mask(current, c->mask, &info) == 0) {
			if (n > 0)
				break;
			if (f->f_flags & O_NONBLOCK)
				return -EAGAIN;
			r = sleep_on(&signalfd_wq, true);
			if (r)
				return r;
			continue;
		}
		signalfd_copyinfo(&ssi, &info);
		if (uio_copy_out(u, &ssi, sizeof(ssi)) < 0)
			return n ? (ssize_t)(n * sizeof(ssi)) : -EFAULT;
		n++;
	}
	return (ssize_t)(n * sizeof(ssi));
}

static unsigned signalfd_poll(struct file *f, struct poll_table *pt)
{
	struct signalfd_ctx *c = f->private_data;
	ksigset_t pending = current->pending.signal | current->signal->shared_pending.signal;

	poll_wait(f, &signalfd_wq, pt);
	return (pending & c->mask) ? POLLIN | POLLRDNORM : 0;
}

static void signalfd_release(struct inode *inode, struct file *f)
{
	kfree(f->private_data);
}

/* Linux's signalfd_show_fdinfo: the mask, signal 1 in bit 0. */
static void signalfd_show_fdinfo(struct file *f, struct proc_buf *b)
{
	struct signalfd_ctx *c = f->private_data;

	pb_printf(b, "sigmask:\t%016llx\n", (unsigned long long)c->mask);
}

static const struct file_operations signalfd_fops = {
	.show_fdinfo = signalfd_show_fdinfo,
	.read = signalfd_read,
	.poll = signalfd_poll,
	.llseek = noop_llseek,
	.release = signalfd_release,
};

/* Changes the mask of the signalfd behind ufd: 0, -EBADF or -EINVAL. */
static long signalfd_update(int ufd, ksigset_t mask)
{
	struct file *f = fd_get_file(ufd);
	long ret = -EINVAL;

	if (f == NULL)
		return -EBADF;
	if (f->f_op == &signalfd_fops) {
		((struct signalfd_ctx *)f->private_data)->mask = mask;
		wake_up_poll(&signalfd_wq, POLLIN | POLLRDNORM);
		ret = ufd;
	}
	fput(f);
	return ret;
}

static long do_signalfd4(int ufd, uaddr_t umask, size_t size, int flags)
{
	struct signalfd_ctx *c;
	struct file *f;
	ksigset_t mask;

	if (flags & ~(SFD_CLOEXEC | SFD_NONBLOCK))
		return -EINVAL;
	if (size != sizeof(ksigset_t))
		return -EINVAL;
	if (copy_from_user(&mask, umask, sizeof(mask)) < 0)
		return -EFAULT;
	mask &= ~SIG_KERNEL_ONLY;
	if (ufd != -1)
		return signalfd_update(ufd, mask);
	c = kzalloc(sizeof(*c));
	if (c == NULL)
		return -ENOMEM;
	c->mask = mask;
	f = anon_file_create("[signalfd]", &signalfd_fops, c, O_RDWR | (flags & O_NONBLOCK), NULL);
	if (IS_ERR(f)) {
		kfree(c);
		return PTR_ERR(f);
	}
	return anon_fd_install(f, (flags & SFD_CLOEXEC) != 0);
}

SYSCALL(signalfd4)
{
	return do_signalfd4((int)a[0], UADDR(a[1]), (size_t)a[2], (int)a[3]);
}

SYSCALL(signalfd)
{
	return do_signalfd4((int)a[0], UADDR(a[1]), (size_t)a[2], 0);
}
