/*
 * fork.c - new processes: fork, vfork, clone.
 *
 * A child gets a copy-on-write copy of the address space (or shares it
 * for vfork), copies of the fd table, fs context and signal actions, and
 * a kernel stack prepared to enter userspace_loop() with the parent's
 * registers and rax = 0.
 */
#include "kernel/sched.h"
#include "kernel/mm.h"
#include "kernel/fs.h"
#include "kernel/syscalls.h"
#include "kernel/init.h"
#include "uapi/linux/sched.h"
#include "uapi/linux/resource.h"

static struct fs_struct *fs_copy(struct fs_struct *old)
{
	struct fs_struct *fs = kzalloc(sizeof(*fs));

	if (!fs)
		return NULL;
	fs->count = 1;
	fs->root = old->root;
	fs->pwd = old->pwd;
	path_get(&fs->root);
	path_get(&fs->pwd);
	fs->umask = old->umask;
	return fs;
}

void fs_struct_put(struct fs_struct *fs)
{
	if (!fs || --fs->count > 0)
		return;
	path_put(&fs->root);
	path_put(&fs->pwd);
	kfree(fs);
}

static int copy_resources(struct task *c, struct task *p, unsigned long flags)
{
	if (flags & CLONE_VM) {
		c->mm = p->mm;
		mm_get(c->mm);
	} else if (!(c->mm = mm_fork(p->mm))) {
		return -ENOMEM;
	}
	if (flags & CLONE_FILES) {
		c->files = p->files;
		c->files->count++;
	} else if (!(c->files = files_dup(p->files))) {
		return -ENOMEM;
	}
	if (flags & CLONE_FS) {
		c->fs = p->fs;
		c->fs->count++;
	} else if (!(c->fs = fs_copy(p->fs))) {
		return -ENOMEM;
	}
	if (flags & CLONE_SIGHAND) {
		c->sighand = p->sighand;
		c->sighand->count++;
	} else {
		if (!(c->sighand = sighand_alloc()))
			return -ENOMEM;
		memcpy(c->sighand->action, p->sighand->action, sizeof(c->sighand->action));
	}
	return 0;
}

static void release_resources(struct task *c)
{
	if (c->mm)
		mm_put(c->mm);
	if (c->files)
		files_put(c->files);
	fs_struct_put(c->fs);
	sighand_put(c->sighand);
}

static void copy_identity(struct task *c, struct task *p)
{
	c->tgid = c->pid;
	c->pgid = p->pgid;
	c->sid = p->sid;
	c->uid = p->uid; c->euid = p->euid; c->suid = p->suid;
	c->gid = p->gid; c->egid = p->egid; c->sgid = p->sgid;
	c->blocked = p->blocked;
	memcpy(c->rlim, p->rlim, sizeof(c->rlim));
	c->altstack_sp = p->altstack_sp;
	c->altstack_size = p->altstack_size;
	memcpy(c->comm, p->comm, sizeof(c->comm));
}

/*
 * Whether current may have another process: at most max_procs guest
 * processes for everyone (each is a host process: a fork bomb must not
 * exhaust the host's pids), and per real uid RLIMIT_NPROC, from which
 * root is exempt as on Linux (INIT_USER, CAP_SYS_RESOURCE/CAP_SYS_ADMIN).
 * Zombies count until they are reaped, as on Linux.
 */
static int fork_allowed(struct task *p)
{
	static bool warned;
	u64 all = 0, mine = 0;
	struct task *t;

	list_for_each_entry(t, &all_tasks, tasks) {
		if (!t->mm && t->state != TASK_ZOMBIE)
			continue;		/* kernel threads */
		all++;
		if (t->uid == p->uid)
			mine++;
	}
	if (all >= boot_params.max_procs) {
		if (!warned)
			printk(KERN_WARNING "fork: max_procs=%u guest processes reached\n",
			       boot_params.max_procs);
		warned = true;
		return -EAGAIN;
	}
	if (mine >= task_rlimit(p, RLIMIT_NPROC) && p->uid != 0 && p->euid != 0)
		return -EAGAIN;
	return 0;
}

/* Creates a child of current.  Returns its pid or -errno.  May sleep (vfork). */
long do_fork(unsigned long flags, uaddr_t newsp, uaddr_t ptid, uaddr_t ctid, u64 tls)
{
	struct task *p = current, *c;
	pid_t pid;
	int err;

	if (flags & (CLONE_THREAD | CLONE_NEWNS | CLONE_NEWUSER | CLONE_NEWPID |
		     CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWCGROUP |
		     CLONE_PIDFD | CLONE_PTRACE | CLONE_UNTRACED | CLONE_IO))
		return -EINVAL;
	if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM))
		return -EINVAL;
	if ((flags & CLONE_VM) && !(flags & CLONE_VFORK))
		return -EINVAL;		/* threads come with the full process model */
	if ((flags & 0xff) > KNSIG)
		return -EINVAL;
	err = fork_allowed(p);
	if (err)
		return err;
	c = task_alloc();
	if (!c)
		return -EAGAIN;
	err = copy_resources(c, p, flags);
	if (err)
		goto fail;
	copy_identity(c, p);
	arch_fpu_sync(p);
	memcpy(c->xstate, p->xstate, p->xstate_len);
	c->xstate_len = p->xstate_len;
	c->xstate_valid = p->xstate_valid;
	c->regs = p->regs;
	c->regs.rax = 0;
	if (newsp)
		c->regs.rsp = newsp;
	if (flags & CLONE_SETTLS)
		c->regs.fs_base = tls;
	c->exit_signal = flags & 0xff;
	pid = c->pid;
	if ((flags & CLONE_PARENT_SETTID) && put_user(pid, ptid)) {
		err = -EFAULT;
		goto fail;
	}
	if ((flags & CLONE_CHILD_SETTID) && mm_copy_to(c->mm, ctid, &pid, sizeof(pid))) {
		err = -EFAULT;
		goto fail;
	}
	if (flags & CLONE_CHILD_CLEARTID)
		c->clear_child_tid = ctid;
	/* Commit: nothing fails after this point. */
	c->parent = (flags & CLONE_PARENT) ? p->parent : p;
	list_add_tail(&c->sibling, &c->parent->children);
	arch_task_init_kernel(c, ret_from_fork);
	if (flags & CLONE_VFORK)
		c->vfork_parent = p;
	wake_up_task(c);
	if (flags & CLONE_VFORK) {
		while (!c->vfork_done)
			sleep_on(&p->wait_child, false);
	}
	return pid;
fail:
	release_resources(c);
	task_free(c);
	return err;
}

SYSCALL(fork)
{
	return do_fork(SIGCHLD, 0, 0, 0, 0);
}

SYSCALL(vfork)
{
	return do_fork(CLONE_VM | CLONE_VFORK | SIGCHLD, 0, 0, 0, 0);
}

SYSCALL(clone)
{
	/* x86-64 order: flags, newsp, parent_tid, child_tid, tls. */
	return do_fork((unsigned long)a[0], a[1], a[2], a[3], (u64)a[4]);
}

SYSCALL(clone3)
{
	struct clone_args ca;
	size_t size = (size_t)a[1];

	if (size < CLONE_ARGS_SIZE_VER0 || size > 4096)
		return -EINVAL;
	memset(&ca, 0, sizeof(ca));
	if (copy_from_user(&ca, a[0], min(size, sizeof(ca))))
		return -EFAULT;
	if (ca.exit_signal > KNSIG || ca.set_tid || ca.cgroup || (ca.flags & 0xff))
		return -EINVAL;
	if (ca.stack && ca.stack_size)
		ca.stack += ca.stack_size;
	return do_fork(ca.flags | ca.exit_signal, ca.stack, ca.parent_tid, ca.child_tid, ca.tls);
}
