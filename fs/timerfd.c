/*
 * timerfd.c - timerfd_create(2), timerfd_settime, timerfd_gettime.
 *
 * Each timerfd is a kernel timer (include/kernel/timer.h) on the
 * monotonic clock: an absolute time on CLOCK_REALTIME is turned into a
 * monotonic deadline when it is set.  Each expiry counts a tick and
 * re-arms an interval timer (counting the periods missed when late);
 * read returns the ticks and resets them.  CLOCK_BOOTTIME is
 * CLOCK_MONOTONIC here (the machine never suspends) and the _ALARM
 * clocks behave as their plain ones, as on a Linux host without an RTC
 * wake-up, but need privilege (CAP_WAKE_ALARM: euid 0).  The realtime
 * clock cannot be set inside the machine, so a TFD_TIMER_CANCEL_ON_SET
 * timer is never cancelled.
 */
#include "kernel/kernel.h"
#include "kernel/fs.h"
#include "kernel/mm.h"
#include "kernel/sched.h"
#include "kernel/syscalls.h"
#include "kernel/timer.h"
#include "uapi/linux/time.h"
#include "uapi/linux/time_types.h"
#include "internal.h"

#define TFD_TIMER_ABSTIME	(1 << 0)
#define TFD_TIMER_CANCEL_ON_SET	(1 << 1)
#define TFD_CREATE_FLAGS	(O_CLOEXEC | O_NONBLOCK)
#define NSEC			1000000000ULL

struct timerfd {
	struct ktimer timer;
	int clockid;
	u64 interval;		/* ns, 0 for one-shot */
	u64 ticks;		/* expiries not yet read */
	bool cancel_on_set;
	int settime_flags;	/* of the last timerfd_settime, for fdinfo */
	struct wait_queue wq;
};

static const struct file_operations timerfd_fops;

static void timerfd_fire(struct ktimer *k)
{
	struct timerfd *tf = k->data;
	u64 now = os_monotonic_ns();

	tf->ticks++;
	if (tf->interval) {
		u64 missed = now > k->expires ? (now - k->expires) / tf->interval : 0;

		tf->ticks += missed;
		ktimer_start(k, k->expires + (missed + 1) * tf->interval);
	}
	wake_up_poll(&tf->wq, POLLIN | POLLRDNORM);
}

/* May sleep. */
static ssize_t timerfd_read(struct file *f, struct uio *u, loff_t *pos)
{
	struct timerfd *tf = f->private_data;
	u64 v;
	int r;

	if (u->len - u->done < sizeof(v))
		return -EINVAL;
	while (tf->ticks == 0) {
		if (f->f_flags & O_NONBLOCK)
			return -EAGAIN;
		r = sleep_on(&tf->wq, true);
		if (r)
			return r;
	}
	v = tf->ticks;
	if (uio_copy_out(u, &v, sizeof(v)) < 0)
		return -EFAULT;
	tf->ticks = 0;
	return sizeof(v);
}

static unsigned timerfd_poll(struct file *f, struct poll_table *pt)
{
	struct timerfd *tf = f->private_data;

	poll_wait(f, &tf->wq, pt);
	return tf->ticks ? POLLIN | POLLRDNORM : 0;
}

static void timerfd_release(struct inode *inode, struct file *f)
{
	struct timerfd *tf = f->private_data;

	ktimer_cancel(&tf->timer);
	kfree(tf);
}

static void timerfd_get(struct timerfd *tf, struct __kernel_itimerspec *v);

/* Linux's timerfd_show: the clock, unread expiries, the time left. */
static void timerfd_show_fdinfo(struct file *f, struct proc_buf *b)
{
	struct timerfd *tf = f->private_data;
	struct __kernel_itimerspec v;

	timerfd_get(tf, &v);
	pb_printf(b, "clockid: %d\nticks: %llu\nsettime flags: 0%o\n", tf->clockid,
		  (unsigned long long)tf->ticks, (unsigned)tf->settime_flags);
	pb_printf(b, "it_value: (%llu, %llu)\nit_interval: (%llu, %llu)\n",
		  (unsigned long long)v.it_value.tv_sec, (unsigned long long)v.it_value.tv_nsec,
		  (unsigned long long)v.it_interval.tv_sec, (unsigned long long)v.it_interval.tv_nsec);
}

static const struct file_operations timerfd_fops = {
	.show_fdinfo = timerfd_show_fdinfo,
	.read = timerfd_read,
	.poll = timerfd_poll,
	.llseek = noop_llseek,
	.release = timerfd_release,
};

static bool clock_is_real(int clockid)
{
	return clockid == CLOCK_REALTIME || clockid == CLOCK_REALTIME_ALARM;
}

SYSCALL(timerfd_create)
{
	int clockid = (int)a[0], flags = (int)a[1];
	struct timerfd *tf;
	struct file *f;

	if (flags & ~TFD_CREATE_FLAGS)
		return -EINVAL;
	if (clockid != CLOCK_REALTIME && clockid != CLOCK_MONOTONIC &&
	    clockid != CLOCK_BOOTTIME && clockid != CLOCK_REALTIME_ALARM &&
	    clockid != CLOCK_BOOTTIME_ALARM)
		return -EINVAL;
	if ((clockid == CLOCK_REALTIME_ALARM || clockid == CLOCK_BOOTTIME_ALARM) && t->euid != 0)
		return -EPERM;
	tf = kzalloc(sizeof(*tf));
	if (tf == NULL)
		return -ENOMEM;
	ktimer_init(&tf->timer, timerfd_fire, tf);
	tf->clockid = clockid;
	init_waitqueue(&tf->wq);
	f = anon_file_create("[timerfd]", &timerfd_fops, tf, O_RDWR | (flags & O_NONBLOCK), NULL);
	if (IS_ERR(f)) {
		kfree(tf);
		return PTR_ERR(f);
	}
	return anon_fd_install(f, (flags & O_CLOEXEC) != 0);
}

/* A timespec as ns, or -EINVAL; huge values saturate. */
static long ts_to_ns(const struct __kernel_timespec *ts, u64 *ns)
{
	if (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= (long long)NSEC)
		return -EINVAL;
	if ((u64)ts->tv_sec > (~0ULL >> 2) / NSEC)
		*ns = ~0ULL >> 2;
	else
		*ns = (u64)ts->tv_sec * NSEC + (u64)ts->tv_nsec;
	return 0;
}

static void ns_to_ts(u64 ns, struct __kernel_timespec *ts)
{
	ts->tv_sec = (long long)(ns / NSEC);
	ts->tv_nsec = (long long)(ns % NSEC);
}

static void timerfd_get(struct timerfd *tf, struct __kernel_itimerspec *v)
{
	u64 now = os_monotonic_ns(), left = 0;

	if (ktimer_armed(&tf->timer))
		left = tf->timer.expires > now ? tf->timer.expires - now : 1;
	ns_to_ts(left, &v->it_value);
	ns_to_ts(tf->interval, &v->it_interval);
}

/* The timerfd behind fd: a new file reference, or ERR_PTR(-EBADF/-EINVAL). */
static struct file *timerfd_fget(int fd)
{
	struct file *f = fd_get_file(fd);

	if (f == NULL)
		return ERR_PTR(-EBADF);
	if (f->f_op != &timerfd_fops) {
		fput(f);
		return ERR_PTR(-EINVAL);
	}
	return f;
}

/* Arms tf for value (absolute on its clock if abs) with period iv; 0 disarms. */
static void timerfd_arm(struct timerfd *tf, u64 value, u64 iv, bool abs)
{
	u64 mono = os_monotonic_ns(), now, deadline;

	tf->ticks = 0;
	tf->interval = iv;
	if (value == 0) {
		ktimer_cancel(&tf->timer);
		return;
	}
	if (!abs) {
		deadline = mono + value;
	} else {
		now = clock_is_real(tf->clockid) ? os_realtime_ns() : mono - ktime_boot_ns();
		deadline = mono + (value > now ? value - now : 0);
	}
	ktimer_start(&tf->timer, deadline);
}

SYSCALL(timerfd_settime)
{
	int fd = (int)a[0], flags = (int)a[1];
	uaddr_t unew = UADDR(a[2]), uold = UADDR(a[3]);
	struct __kernel_itimerspec nv, ov;
	struct timerfd *tf;
	struct file *f;
	u64 value, iv;

	if (flags & ~(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET))
		return -EINVAL;
	if (copy_from_user(&nv, unew, sizeof(nv)) < 0)
		return -EFAULT;
	if (ts_to_ns(&nv.it_value, &value) < 0 || ts_to_ns(&nv.it_interval, &iv) < 0)
		return -EINVAL;
	f = timerfd_fget(fd);
	if (IS_ERR(f))
		return PTR_ERR(f);
	tf = f->private_data;
	timerfd_get(tf, &ov);
	tf->cancel_on_set = clock_is_real(tf->clockid) && (flags & TFD_TIMER_ABSTIME) &&
			    (flags & TFD_TIMER_CANCEL_ON_SET);
	timerfd_arm(tf, value, iv, (flags & TFD_TIMER_ABSTIME) != 0);
	tf->settime_flags = flags;
	fput(f);
	if (!uaddr_is_null(uold) && copy_to_user(uold, &ov, sizeof(ov)) < 0)
		return -EFAULT;
	return 0;
}

SYSCALL(timerfd_gettime)
{
	struct __kernel_itimerspec v;
	struct file *f = timerfd_fget((int)a[0]);

	if (IS_ERR(f))
		return PTR_ERR(f);
	timerfd_get(f->private_data, &v);
	fput(f);
	return copy_to_user(UADDR(a[1]), &v, sizeof(v)) < 0 ? -EFAULT : 0;
}
