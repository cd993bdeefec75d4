/*
 * eventfd.c - eventfd(2): a 64-bit counter as a file.
 *
 * write adds to the counter (blocking while it would pass
 * 0xfffffffffffffffe), read takes it all and resets it to 0 (or, with
 * EFD_SEMAPHORE, takes 1), blocking while it is 0.  One wait queue
 * serves both directions; wake-ups name POLLIN or POLLOUT.
 */
#include "kernel/kernel.h"
#include "kernel/fs.h"
#include "kernel/mm.h"
#include "kernel/sched.h"
#include "kernel/syscalls.h"
#include "internal.h"

#define EFD_SEMAPHORE	1
#define EFD_CLOEXEC	O_CLOEXEC
#define EFD_NONBLOCK	O_NONBLOCK
#define EFD_MAX		0xfffffffffffffffeULL

struct eventfd {
	u64 count;
	bool semaphore;
	struct wait_queue wq;
};

/* May sleep. */
static ssize_t eventfd_read(struct file *f, struct uio *u, loff_t *pos)
{
	struct eventfd *e = f->private_data;
	u64 v;
	int r;

	if (u->len - u->done < sizeof(v))
		return -EINVAL;
	while (e->count == 0) {
		if (f->f_flags & O_NONBLOCK)
			return -EAGAIN;
		r = sleep_on(&e->wq, true);
		if (r)
			return r;
	}
	v = e->semaphore ? 1 : e->count;
	if (uio_copy_out(u, &v, sizeof(v)) < 0)
		return -EFAULT;
	e->count -= v;
	wake_up_poll(&e->wq, POLLOUT | POLLWRNORM);
	return sizeof(v);
}

/* May sleep. */
static ssize_t eventfd_write(struct file *f, struct uio *u, loff_t *pos)
{
	struct eventfd *e = f->private_data;
	u64 v;
	int r;

	if (u->len - u->done < sizeof(v))
		return -EINVAL;
	if (uio_copy_in(u, &v, sizeof(v)) < 0)
		return -EFAULT;
	if (v == ~0ULL)
		return -EINVAL;
	while (EFD_MAX - e->count < v) {
		if (f->f_flags & O_NONBLOCK)
			return -EAGAIN;
		r = sleep_on(&e->wq, true);
		if (r)
			return r;
	}
	e->count += v;
	if (v)
		wake_up_poll(&e->wq, POLLIN | POLLRDNORM);
	return sizeof(v);
}

static unsigned eventfd_poll(struct file *f, struct poll_table *pt)
{
	struct eventfd *e = f->private_data;
	unsigned mask = 0;

	poll_wait(f, &e->wq, pt);
	if (e->count > 0)
		mask |= POLLIN | POLLRDNORM;
	if (e->count < EFD_MAX)
		mask |= POLLOUT | POLLWRNORM;
	return mask;
}

static void eventfd_release(struct inode *inode, struct file *f)
{
	kfree(f->private_data);
}

/* Linux's eventfd_show_fdinfo; the id is the inode number here (one
 * inode serves every anonymous file), Linux's is an IDA number. */
static void eventfd_show_fdinfo(struct file *f, struct proc_buf *b)
{
	struct eventfd *e = f->private_data;

	pb_printf(b, "eventfd-count: %16llx\n", (unsigned long long)e->count);
	pb_printf(b, "eventfd-id: %llu\n", (unsigned long long)f->f_inode->i_ino);
	pb_printf(b, "eventfd-semaphore: %d\n", e->semaphore ? 1 : 0);
}

static const struct file_operations eventfd_fops = {
	.show_fdinfo = eventfd_show_fdinfo,
	.read = eventfd_read,
	.write = eventfd_write,
	.poll = eventfd_poll,
	.llseek = noop_llseek,
	.release = eventfd_release,
};

static long do_eventfd(unsigned initval, int flags)
{
	struct eventfd *e;
	struct file *f;

	if (flags & ~(EFD_SEMAPHORE | EFD_CLOEXEC | EFD_NONBLOCK))
		return -EINVAL;
	e = kzalloc(sizeof(*e));
	if (e == NULL)
		return -ENOMEM;
	e->count = initval;
	e->semaphore = (flags & EFD_SEMAPHORE) != 0;
	init_waitqueue(&e->wq);
	f = anon_file_create("[eventfd]", &eventfd_fops, e, O_RDWR | (flags & O_NONBLOCK), NULL);
	if (IS_ERR(f)) {
		kfree(e);
		return PTR_ERR(f);
	}
	return anon_fd_install(f, (flags & EFD_CLOEXEC) != 0);
}

SYSCALL(eventfd2)
{
	return do_eventfd((unsigned)a[0], (int)a[1]);
}

SYSCALL(eventfd)
{
	return do_eventfd((unsigned)a[0], 0);
}
