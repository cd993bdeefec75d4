/*
 * fork.c - new processes and threads: fork, vfork, clone, clone3.
 *
 * A child gets a copy-on-write copy of the address space or shares it
 * (CLONE_VM: vfork, threads), copies of the fd table, fs context and
 * signal actions or shares them, and a kernel stack prepared to enter
 * userspace_loop() with the parent's registers and rax = 0.  CLONE_THREAD
 * puts it in the caller's thread group (struct signal_struct); threads
 * of one mm share its stub process, the kernel switches their registers.
 */
#include "kernel/cputime.h"
#include "kernel/sched.h"
#include "kernel/groups.h"
#include "kernel/pidfd.h"
#include "kernel/posix-timers.h"
#include "kernel/overflow.h"
#include "kernel/mm.h"
#include "kernel/platform.h"
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
	c->mm = NULL;
	c->files = NULL;
	c->fs = NULL;	/* task_free() drops the sighand */
}

/* A new thread group whose only member (and leader) is t.  NULL on failure. */
struct signal_struct *signal_alloc(struct task *leader)
{
	struct signal_struct *sig = kzalloc(sizeof(*sig));

	if (!sig)
		return NULL;
	sig->count = sig->live = 1;
	sig->dumpable = 1;
	sig->leader = leader;
	INIT_LIST_HEAD(&sig->threads);
	INIT_LIST_HEAD(&sig->shared_pending.queue);
	INIT_LIST_HEAD(&sig->posix_timers);
	init_waitqueue(&sig->thread_exit);
	return sig;
}

/* Drops a task's reference; the last one frees the group's pending signals. */
void signal_put(struct signal_struct *sig)
{
	if (!sig || --sig->count > 0)
		return;
	posix_timers_exit(sig);
	while (!list_empty(&sig->shared_pending.queue)) {
		struct sigqueue *q = list_first_entry(&sig->shared_pending.queue,
						      struct sigqueue, list);

		list_del(&q->list);
		kfree(q);
	}
	kfree(sig);
}

bool thread_group_alive(struct task *t)
{
	return t->signal->live > 0;
}

/* CPU time of the whole process: its threads' and those that exited. */
void thread_group_times(struct task *t, u64 *utime, u64 *stime)
{
	struct task *q;

	*utime = t->signal->utime_ns;
	*stime = t->signal->stime_ns;
	for_each_thread(t->signal, q) {
		if (q->state == TASK_ZOMBIE || q->state == TASK_DEAD)
			continue;	/* already counted in signal's */
		cputime_sync(q);
		*utime += q->utime_ns;
		*stime += q->stime_ns;
	}
}

/* The parent of t's process (threads have none of their own). */
struct task *group_parent(struct task *t)
{
	struct task *p = t->group_leader->parent;

	return p && p != t->group_leader ? p : NULL;
}

/* c joins p's thread group, leaving the one task_alloc gave it. */
static void join_thread_group(struct task *c, struct task *p)
{
	list_del(&c->thread_node);
	signal_put(c->signal);
	c->signal = p->signal;
	c->signal->count++;
	c->signal->live++;
	c->group_leader = p->group_leader;
	c->tgid = p->tgid;
	list_add_tail(&c->thread_node, &c->signal->threads);
}

static void copy_identity(struct task *c, struct task *p, u64 flags)
{
	c->pgid = p->pgid;
	c->sid = p->sid;
	c->signal->no_ctty = p->signal->no_ctty;
	c->uid = p->uid; c->euid = p->euid; c->suid = p->suid;
	c->gid = p->gid; c->egid = p->egid; c->sgid = p->sgid;
	c->groups = groups_get(p->groups);
	sched_fork_policy(c, p);
	c->cap_effective = p->cap_effective;
	c->cap_permitted = p->cap_permitted;
	c->cap_inheritable = p->cap_inheritable;
	c->cap_bset = p->cap_bset;
	c->no_new_privs = p->no_new_privs;
	c->timer_slack_ns = p->timer_slack_ns;	/* pdeath_signal and keepcaps start clear */
	c->blocked = p->blocked;
	if (c->signal != p->signal) {	/* a new process: the parent's limits, dumpable, THP */
		memcpy(c->signal->rlim, p->signal->rlim, sizeof(c->signal->rlim));
		c->signal->dumpable = p->signal->dumpable;
		c->signal->thp_disable = p->signal->thp_disable;
	}
	/* A new thread on its own stack does not inherit the altstack (Linux). */
	if ((flags & (CLONE_VM | CLONE_VFORK)) != CLONE_VM) {
		c->altstack_sp = p->altstack_sp;
		c->altstack_size = p->altstack_size;
		c->altstack_flags = p->altstack_flags;
	}
	memcpy(c->comm, p->comm, sizeof(c->comm));
}

/*
 * Whether current may have another process: at most max_procs guest
 * processes for everyone (each is a host process: a fork bomb must not
 * exhaust the host's pids), and per real uid RLIMIT_NPROC, from which
 * root is exempt as on Linux (INIT_USER, CAP_SYS_RESOURCE/CAP_SYS_ADMIN).
 * Zombies count until they are reaped, as on Linux.  Threads share their
 * process's host process and do not count; a vfork child does, since it
 * gets a host process of its own when it execs.
 */
static int fork_allowed(struct task *p, u64 flags)
{
	static bool warned;
	u64 all = 0, mine = 0;
	struct task *t;

	list_for_each_entry(t, &all_tasks, tasks) {
		if (!t->mm && t->state != TASK_ZOMBIE)
			continue;		/* kernel threads */
		all += t == t->group_leader;	/* threads share a host process */
		if (t->uid == p->uid)
			mine++;		/* RLIMIT_NPROC counts threads, as Linux */
	}
	if (!(flags & CLONE_THREAD) && all >= boot_params.max_procs) {
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

/* What clone(2) and clone3(2) ask for, decoded. */
struct clone_req {
	u64 flags;		/* without the exit signal */
	int exit_signal;
	uaddr_t stack, ptid, ctid;
	uaddr_t pidfd;		/* CLONE_PIDFD: where the new fd goes */
	u64 tls;
	bool has_tid;		/* clone3's set_tid: the child's pid is set_tid */
	pid_t set_tid;
};

/* Namespaces and cgroups: valid requests this kernel cannot honour. */
#define CLONE_UNSUPPORTED (CLONE_NEWNS | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | \
			   CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWCGROUP | CLONE_NEWTIME | \
			   CLONE_INTO_CGROUP)

/* The consistency rules of Linux's copy_process(), in its order. */
static int clone_flags_check(struct task *p, u64 f)
{
	if ((f & (CLONE_NEWNS | CLONE_FS)) == (CLONE_NEWNS | CLONE_FS))
		return -EINVAL;
	if ((f & (CLONE_NEWUSER | CLONE_FS)) == (CLONE_NEWUSER | CLONE_FS))
		return -EINVAL;
	if ((f & CLONE_THREAD) && !(f & CLONE_SIGHAND))
		return -EINVAL;
	if ((f & CLONE_SIGHAND) && !(f & CLONE_VM))
		return -EINVAL;
	if ((f & CLONE_PARENT) && p->tgid == 1)
		return -EINVAL;		/* init's siblings would never be reaped */
	if ((f & CLONE_THREAD) && (f & (CLONE_NEWUSER | CLONE_NEWPID)))
		return -EINVAL;
	if ((f & CLONE_SIGHAND) && (f & CLONE_CLEAR_SIGHAND))
		return -EINVAL;
	if ((f & CLONE_PIDFD) && (f & (CLONE_DETACHED | CLONE_THREAD)))
		return -EINVAL;		/* a thread's pidfd (PIDFD_THREAD): not here */
	if (f & CLONE_UNSUPPORTED)
		return -EINVAL;
	return 0;
}

/* Where the child hangs in the process tree, and what it sends at exit. */
static void attach_child(struct task *c, struct task *p, const struct clone_req *r)
{
	if (r->flags & CLONE_THREAD) {
		c->parent = NULL;	/* group_parent() goes through the leader */
		c->exit_signal = -1;	/* threads are reaped at exit */
		return;
	}
	c->signal->self_exec_id = p->signal->self_exec_id;
	if (r->flags & CLONE_PARENT) {
		c->parent = group_parent(p);
		c->exit_signal = p->group_leader->exit_signal;
		c->parent_exec_id = p->group_leader->parent_exec_id;
	} else {
		c->parent = p->group_leader;
		c->exit_signal = r->exit_signal;
		c->parent_exec_id = p->signal->self_exec_id;
	}
	if (c->parent)
		list_add_tail(&c->sibling, &c->parent->children);
}

static void copy_cpu_state(struct task *c, struct task *p, const struct clone_req *r)
{
	arch_fpu_sync(p);
	memcpy(c->xstate, p->xstate, p->xstate_len);
	c->xstate_len = p->xstate_len;
	c->xstate_valid = p->xstate_valid;
	arch_copy_thread(c, p, uaddr_val(r->stack), r->flags & CLONE_SETTLS, r->tls);
}

/* Creates a child of current.  Returns its pid or -errno.  May sleep (vfork). */
static long kernel_clone(const struct clone_req *r)
{
	struct task *p = current, *c;
	u64 flags = r->flags;
	pid_t pid;
	int err, no_fd = -1;

	err = clone_flags_check(p, flags);
	if (!err)
		err = fork_allowed(p, flags);
	if (err)
		return err;
	if ((flags & CLONE_SETTLS) && r->tls >= TASK_SIZE)
		return -EPERM;		/* as arch_prctl(ARCH_SET_FS) */
	/* The pidfd's slot is written now: a bad pointer fails the clone. */
	if ((flags & CLONE_PIDFD) && put_user(no_fd, r->pidfd))
		return -EFAULT;
	if (r->has_tid) {
		/* Linux's alloc_pid with set_tid: range, privilege, then in use. */
		err = r->set_tid < 1 || r->set_tid >= PID_MAX ? -EINVAL :
		      p->euid != 0 ? -EPERM : pid_in_use(r->set_tid) ? -EEXIST : 0;
		if (err)
			return err;
	}
	c = task_alloc();
	if (!c)
		return -EAGAIN;
	if (r->has_tid)
		c->pid = c->tgid = r->set_tid;
	err = copy_resources(c, p, flags);
	if (err)
		goto fail;
	if (flags & CLONE_PIDFD) {
		err = pidfd_create(c, 0);
		if (err < 0)
			goto fail;
		put_user(err, r->pidfd);	/* written above: it does not fault */
	}
	/* Commit: nothing fails after this point. */
	if (flags & CLONE_CLEAR_SIGHAND)
		flush_signal_handlers_only(c->sighand);
	if (flags & CLONE_THREAD)
		join_thread_group(c, p);
	copy_identity(c, p, flags);
	copy_cpu_state(c, p, r);
	pid = c->pid;
	/* Linux ignores faults on both tid pointers. */
	if (flags & CLONE_CHILD_SETTID)
		mm_copy_to(c->mm, r->ctid, &pid, sizeof(pid));
	if (flags & CLONE_CHILD_CLEARTID)
		c->clear_child_tid = r->ctid;
	if (flags & CLONE_PARENT_SETTID)
		put_user(pid, r->ptid);
	attach_child(c, p, r);
	arch_task_init_kernel(c, ret_from_fork);
	if (flags & CLONE_VFORK)
		c->vfork_parent = p;
	wake_up_task(c);
	/*
	 * Linux's wait_for_vfork_done is killable: a fatal signal ends the
	 * wait (the child runs on, no longer tied to us) and we die on return.
	 */
	if (flags & CLONE_VFORK) {
		p->killable = true;
		while (!c->vfork_done && !fatal_signal_pending(p))
			sleep_on(&p->wait_child, false);
		p->killable = false;
		if (!c->vfork_done)
			c->vfork_parent = NULL;
	}
	return pid;
fail:
	release_resources(c);
	task_free(c);
	return err;
}

/* kernel_clone, tried once more after writing dirty data back when
 * memory ran out (the child's half-made state was released).  May sleep. */
static long kernel_clone_retry(struct clone_req *r)
{
	long pid = kernel_clone(r);

	if (pid == -ENOMEM && !signal_pending(current)) {
		reclaim_writeback();
		pid = kernel_clone(r);
	}
	return pid;
}

long do_fork(unsigned long flags, uaddr_t newsp, uaddr_t ptid, uaddr_t ctid, u64 tls)
{
	struct clone_req r = {
		.flags = flags & ~(u64)CSIGNAL, .exit_signal = (int)(flags & CSIGNAL),
		.stack = newsp, .ptid = ptid, .ctid = ctid, .tls = tls,
	};

	/*
	 * Legacy clone: the high half is ignored, CLONE_DETACHED too, and the
	 * exit signal is not checked (one past 64 is simply never sent).
	 */
	r.flags &= 0xffffffffULL & ~(u64)CLONE_DETACHED;
	/* clone(2) returns the pidfd through parent_tid: not both. */
	if ((r.flags & CLONE_PIDFD) && (r.flags & CLONE_PARENT_SETTID))
		return -EINVAL;
	r.pidfd = ptid;
	return kernel_clone_retry(&r);
}

SYSCALL(fork)
{
	return do_fork(SIGCHLD, UADDR(0), UADDR(0), UADDR(0), 0);
}

SYSCALL(vfork)
{
	return do_fork(CLONE_VM | CLONE_VFORK | SIGCHLD, UADDR(0), UADDR(0), UADDR(0), 0);
}

SYSCALL(clone)
{
	/* x86-64 order: flags, newsp, parent_tid, child_tid, tls. */
	return do_fork((unsigned long)a[0], UADDR(a[1]), UADDR(a[2]), UADDR(a[3]), (u64)a[4]);
}

/* clone3: a versioned struct, unknown bits and trailing bytes rejected. */
SYSCALL(clone3)
{
	struct clone_args ca;
	size_t size = (size_t)a[1];
	struct clone_req r;
	u8 tail[64];

	if (size < CLONE_ARGS_SIZE_VER0)
		return -EINVAL;
	if (size > 4096)
		return -E2BIG;
	memset(&ca, 0, sizeof(ca));
	if (copy_from_user(&ca, UADDR(a[0]), min(size, sizeof(ca))))
		return -EFAULT;
	for (size_t off = sizeof(ca); off < size; off += sizeof(tail)) {
		size_t n = min(size - off, sizeof(tail));

		if (copy_from_user(tail, uaddr_off(UADDR(a[0]), off), n))
			return -EFAULT;
		for (size_t i = 0; i < n; i++)
			if (tail[i])
				return -E2BIG;
	}
	if (ca.flags & ~(0xffffffffULL | CLONE_CLEAR_SIGHAND | CLONE_INTO_CGROUP))
		return -EINVAL;
	if (ca.flags & (CLONE_DETACHED | (CSIGNAL & ~CLONE_NEWTIME)))
		return -EINVAL;
	/* set_tid: one level (no pid namespaces), so at most one pid. */
	if (ca.set_tid_size > 32 || !ca.set_tid != !ca.set_tid_size)
		return -EINVAL;
	if (ca.exit_signal > KNSIG)
		return -EINVAL;
	if ((ca.flags & (CLONE_THREAD | CLONE_PARENT)) && ca.exit_signal)
		return -EINVAL;
	if (!ca.stack != !ca.stack_size)
		return -EINVAL;
	if (ca.stack && !guest_range_ok(ca.stack, ca.stack_size))
		return -EINVAL;		/* Linux's access_ok(stack, stack_size) */
	r.flags = ca.flags;
	r.exit_signal = (int)ca.exit_signal;
	r.stack = ca.stack ? UADDR(ca.stack + ca.stack_size) : UADDR_NULL;
	r.ptid = UADDR(ca.parent_tid);
	r.pidfd = UADDR(ca.pidfd);
	r.ctid = UADDR(ca.child_tid);
	r.tls = ca.tls;
	r.has_tid = ca.set_tid_size != 0;
	r.set_tid = 0;
	if (ca.set_tid_size) {
		pid_t tids[32];

		if (copy_from_user(tids, UADDR(ca.set_tid), ca.set_tid_size * sizeof(pid_t)))
			return -EFAULT;
		if (ca.set_tid_size > 1)
			return -EINVAL;	/* more levels than the one namespace */
		r.set_tid = tids[0];
	}
	return kernel_clone_retry(&r);
}
