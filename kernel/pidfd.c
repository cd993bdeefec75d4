/*
 * pidfd.c - file descriptors that name a process: pidfd_open(2),
 * clone(2)'s CLONE_PIDFD, and what pidfd_send_signal(2) and
 * waitid(P_PIDFD) look up through them (kernel/signal.c, kernel/exit.c).
 *
 * A pidfd holds the pid of a thread-group leader and that task's start
 * time: tasks are not reference counted, so a pid reused by a later
 * process (the start time differs) is not mistaken for the one the fd
 * was opened on; once that one is reaped the fd names nothing (ESRCH).
 * It polls readable (POLLIN) once the whole process has exited, as
 * Linux's; every process exit wakes the one queue pidfd pollers wait on.
 */
#include "kernel/kernel.h"
#include "kernel/fs.h"
#include "kernel/mm.h"
#include "kernel/pidfd.h"
#include "kernel/sched.h"
#include "kernel/syscalls.h"

struct pidfd {
	pid_t pid;
	u64 start_ns;		/* of the task pid named when the fd was made */
};

static struct wait_queue pidfd_wq = WAIT_QUEUE_INIT(pidfd_wq);

/* The leader pf names, or NULL once it has been reaped. */
static struct task *pidfd_leader(const struct pidfd *pf)
{
	struct task *p = find_task(pf->pid);

	if (p == NULL || p->start_ns != pf->start_ns || p->state == TASK_DEAD)
		return NULL;
	return p;
}

static unsigned pidfd_poll(struct file *f, struct poll_table *pt)
{
	struct task *p = pidfd_leader(f->private_data);

	poll_wait(f, &pidfd_wq, pt);
	if (p == NULL)
		return POLLIN | POLLRDNORM | POLLHUP;
	if (p->state == TASK_ZOMBIE && !thread_group_alive(p))
		return POLLIN | POLLRDNORM;
	return 0;
}

static void pidfd_release(struct inode *inode, struct file *f)
{
	(void)inode;
	if (leak_test(pidfds))
		return;
	live.pidfds--;
	kfree(f->private_data);
}

static const struct file_operations pidfd_fops = {
	.poll = pidfd_poll,
	.llseek = noop_llseek,
	.release = pidfd_release,
};

void pidfd_notify_exit(void)
{
	wake_up_poll(&pidfd_wq, POLLIN | POLLRDNORM);
}

int pidfd_create(struct task *p, unsigned flags)
{
	struct pidfd *pf = kzalloc(sizeof(*pf));
	struct file *f;

	if (pf == NULL)
		return -ENOMEM;
	live.pidfds++;
	pf->pid = p->pid;
	pf->start_ns = p->start_ns;
	f = anon_file_create("[pidfd]", &pidfd_fops, pf, O_RDWR | (flags & O_NONBLOCK), NULL);
	if (IS_ERR(f)) {
		live.pidfds--;
		kfree(pf);
		return (int)PTR_ERR(f);
	}
	return anon_fd_install(f, true);	/* a pidfd is always close-on-exec */
}

struct task *pidfd_task(int fd, int *err, bool *nonblock)
{
	struct file *f = fd_get_file(fd);
	struct task *p = NULL;

	*err = 0;
	if (f == NULL || f->f_op != &pidfd_fops) {
		*err = -EBADF;
	} else {
		p = pidfd_leader(f->private_data);
		if (nonblock)
			*nonblock = (f->f_flags & O_NONBLOCK) != 0;
	}
	if (f)
		fput(f);
	return p;
}

/*
 * pidfd_open(pid, flags): flags only PIDFD_NONBLOCK (O_NONBLOCK); a
 * thread's tid that is not its process's is -ENOENT (PIDFD_THREAD is
 * not supported), a pid nobody has -ESRCH.
 */
SYSCALL(pidfd_open)
{
	pid_t pid = (pid_t)a[0];
	unsigned flags = (unsigned)a[1];
	struct task *p;

	if (flags & ~(unsigned)O_NONBLOCK)
		return -EINVAL;
	if (pid <= 0)
		return -EINVAL;
	p = find_task(pid);
	if (p == NULL || p->state == TASK_DEAD || (p->mm == NULL && p->state != TASK_ZOMBIE))
		return -ESRCH;
	if (p->group_leader != p)
		return -ENOENT;
	return pidfd_create(p, flags);
}
