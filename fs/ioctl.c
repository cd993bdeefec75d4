/*
 * ioctl.c - ioctl(2): the generic fd commands are served here, the rest
 * go to the file's f_op->ioctl (ttys, block devices...).
 */
#include "kernel/kernel.h"
#include "kernel/fs.h"
#include "kernel/mm.h"
#include "kernel/sched.h"
#include "kernel/syscalls.h"
#include "uapi/asm/ioctls.h"
#include "internal.h"

static long set_flag_from_user(struct file *f, uaddr_t uarg, unsigned flag)
{
	int on;

	if (get_user(on, uarg) < 0)
		return -EFAULT;
	if (on)
		f->f_flags |= flag;
	else
		f->f_flags &= ~flag;
	return 0;
}

static long ioctl_generic(struct task *t, int fd, struct file *f, unsigned cmd, u64 arg)
{
	switch (cmd) {
	case FIOCLEX:
	case FIONCLEX:
		t->files->cloexec[fd] = cmd == FIOCLEX;
		return 0;
	case FIONBIO:
		return set_flag_from_user(f, UADDR(arg), O_NONBLOCK);
	case FIOASYNC: {
		int on;

		if (get_user(on, UADDR(arg)) < 0)
			return -EFAULT;
		if (fasync_set(f, fd, on != 0) < 0)
			return -ENOMEM;
		return set_flag_from_user(f, UADDR(arg), O_ASYNC);
	}
	}
	if (f->f_flags & O_PATH)
		return -EBADF;
	if (f->f_op != NULL && f->f_op->ioctl != NULL)
		return f->f_op->ioctl(f, cmd, arg);
	return -ENOTTY;
}

/* ioctl(fd, cmd, arg) */
SYSCALL(ioctl)
{
	int fd = (int)a[0];
	struct file *f = fd_get_file(fd);
	long ret;

	if (f == NULL)
		return -EBADF;
	ret = ioctl_generic(t, fd, f, (unsigned)a[1], (u64)a[2]);
	fput(f);
	return ret;
}
