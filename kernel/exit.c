/*
 * exit.c - process and thread exit, exec's de_thread, wait4/waitid, and
 * power-off.
 *
 * An exiting task drops its address space, files and fs context.  A
 * thread other than the leader is then released; the leader becomes a
 * zombie, and once the group's last thread is gone its children go to
 * init and its parent is told (SIGCHLD, a wake-up on parent->wait_child).
 * The parent's wait4 reaps it.  When init itself exits, the machine halts
 * with init's status.
 */
#include "kernel/cputime.h"
#include "kernel/sched.h"
#include "kernel/mm.h"
#include "kernel/vdso.h"
#include "kernel/platform.h"
#include "kernel/fs.h"
#include "kernel/pidfd.h"
#include "kernel/posix-timers.h"
#include "kernel/syscalls.h"
#include "kernel/kernel.h"
#include "kernel/inet.h"
#include "kernel/ipc.h"
#include "kernel/tty.h"
#include "uapi/linux/wait.h"
#include "uapi/linux/resource.h"

void fs_struct_put(struct fs_struct *fs);
int umount_all(void);
void console_shutdown(void);

static struct task *init_task(void)
{
	return find_task(1);
}

/* Called once a vfork child no longer uses its parent's memory. */
void vfork_release(struct task *t)
{
	if (t->vfork_parent) {
		t->vfork_done = true;
		wake_up(&t->vfork_parent->wait_child);
		t->vfork_parent = NULL;
	}
}

static void fill_chld_info(siginfo_t *info, struct task *t, int why, int status)
{
	memset(info, 0, sizeof(*info));
	info->si_signo = SIGCHLD;
	info->si_code = why;
	info->si_pid = t->pid;
	info->si_uid = t->uid;
	info->si_status = status;
}

void notify_parent_stop(struct task *t, int why, int status)
{
	struct task *p = group_parent(t);
	siginfo_t info;

	if (!p || p == t)
		return;
	fill_chld_info(&info, t, why, status);
	if (!(p->sighand && (p->sighand->action[SIGCHLD - 1].flags & SA_NOCLDSTOP)))
		send_signal(p, SIGCHLD, &info);
	wake_up(&p->wait_child);
}

/* Whether p can still reap children: alive and able to take SIGCHLD. */
static bool can_reap(struct task *p)
{
	return p->state != TASK_ZOMBIE && p->state != TASK_DEAD && p->sighand;
}

/*
 * Who takes t's orphans: the nearest live ancestor process that set
 * PR_SET_CHILD_SUBREAPER, else init; NULL when that is t itself or
 * cannot reap (the machine is halting).
 */
static struct task *find_reaper(struct task *t)
{
	struct task *p, *init = init_task();

	for (p = group_parent(t); p != NULL && p != init; p = group_parent(p))
		if (p->signal->is_child_subreaper && can_reap(p))
			return p;
	return init && init != t && can_reap(init) ? init : NULL;
}

/* PR_SET_PDEATHSIG: each thread of c's process that asked hears of its parent's death. */
static void send_pdeath(struct task *c)
{
	struct task *q;

	for_each_thread(c->signal, q)
		if (q->pdeath_signal && q->state != TASK_ZOMBIE && q->state != TASK_DEAD)
			send_sig(q, q->pdeath_signal);
}

/*
 * Whether process group pgid is orphaned (POSIX 3.2.2.2): no member but
 * ignored has a parent in another group of the same session.  Exited
 * processes and children of init do not count, as in Linux's
 * will_become_orphaned_pgrp.
 */
bool pgrp_orphaned(pid_t pgid, struct task *ignored)
{
	struct task *t, *p;

	list_for_each_entry(t, &all_tasks, tasks) {
		if (t->pgid != pgid || t == ignored || !user_process_alive(t))
			continue;
		p = group_parent(t);
		if (p == NULL || p->tgid == 1)
			continue;
		if (p->pgid != pgid && p->sid == t->sid)
			return false;
	}
	return true;
}

/* Whether a live process of group pgid is in a group stop. */
static bool pgrp_has_stopped(pid_t pgid)
{
	struct task *t;

	list_for_each_entry(t, &all_tasks, tasks)
		if (t->pgid == pgid && t->signal->stop_sig && user_process_alive(t))
			return true;
	return false;
}

/*
 * The orphaned process group rule at exit: a group that t's exit leaves
 * orphaned while a member is stopped gets SIGHUP then SIGCONT, since no
 * job control shell is left to continue it.  With parent NULL, t is the
 * exiting process and its own group is checked (t was the link from its
 * parent's group); otherwise t is a child of the exiting parent, just
 * handed to its reaper, and t's group is checked.
 */
static void kill_orphaned_pgrp(struct task *t, struct task *parent)
{
	struct task *ignored = t;
	siginfo_t info;

	if (parent == NULL)
		parent = group_parent(t);
	else
		ignored = NULL;
	if (parent == NULL || parent->pgid == t->pgid || parent->sid != t->sid ||
	    !pgrp_orphaned(t->pgid, ignored) || !pgrp_has_stopped(t->pgid))
		return;
	memset(&info, 0, sizeof(info));
	info.si_code = SI_KERNEL;
	info.si_signo = SIGHUP;
	kill_pgrp(t->pgid, SIGHUP, &info);
	info.si_signo = SIGCONT;
	kill_pgrp(t->pgid, SIGCONT, &info);
}

/*
 * Hands t's children to their reaper (find_reaper).  With none (the
 * machine is halting), they get no parent: a zombie among them is freed
 * now, the others free themselves when they exit.
 */
static void reparent_children(struct task *t)
{
	struct task *c, *n, *init = find_reaper(t);

	list_for_each_entry_safe(c, n, &t->children, sibling) {
		if (c->state != TASK_ZOMBIE)
			send_pdeath(c);
		list_del(&c->sibling);
		INIT_LIST_HEAD(&c->sibling);
		c->parent = init;
		c->exit_signal = SIGCHLD;	/* as Linux: the reaper hears of it */
		if (init) {
			list_add_tail(&c->sibling, &init->children);
			if (c->state == TASK_ZOMBIE)
				wake_up(&init->wait_child);
			kill_orphaned_pgrp(c, t);
		} else if (c->state == TASK_ZOMBIE) {
			task_free(c);
		}
	}
}

static void notify_parent_exit(struct task *t)
{
	struct task *p = t->parent;
	struct k_sigaction *ka;
	siginfo_t info;
	int st = t->exit_code, sig;

	pidfd_notify_exit();
	/* No parent, or one that exited first (init during a halt, a kernel thread). */
	if (!p || p == t || !can_reap(p)) {
		task_free(t);
		return;
	}
	/* The boot task (init's parent) has no handlers at all. */
	ka = p->sighand ? &p->sighand->action[SIGCHLD - 1] : NULL;
	sig = t->exit_signal;
	if (p->signal && t->parent_exec_id != p->signal->self_exec_id)
		sig = SIGCHLD;		/* the parent exec'd since the fork */
	if (sig == SIGCHLD && ka && (ka->handler == 1 /* SIG_IGN */ ||
						(ka->flags & SA_NOCLDWAIT))) {
		task_free(t);		/* nobody will wait: reap now */
		wake_up(&p->wait_child);
		return;
	}
	if (sig) {
		fill_chld_info(&info, t, (st & 0x7f) ? ((st & 0x80) ? CLD_DUMPED : CLD_KILLED) :
			       CLD_EXITED, (st & 0x7f) ? (st & 0x7f) : (st >> 8) & 0xff);
		info.si_signo = sig;	/* as do_notify_parent: the signal sent */
		send_signal(p, sig, &info);
	}
	wake_up(&p->wait_child);
}

/* The address space goes: robust futexes, clear_child_tid, then the mm. */
static void exit_mm(struct task *t)
{
	if (!t->mm)
		return;
	futex_mm_release(t);
	arch_fpu_sync(t);
	if (t->mm->loaded == t)
		t->mm->loaded = NULL;
	mm_put(t->mm);
	t->mm = NULL;
}

/* The last thread of a group is gone: the leader's parent learns of it. */
static void group_dead(struct signal_struct *sg)
{
	struct task *leader = sg->leader;

	if (sg->group_exit)
		leader->exit_code = sg->group_exit_code;
	reparent_children(leader);
	if (!system_halting)
		kill_orphaned_pgrp(leader, NULL);
	notify_parent_exit(leader);
}

/*
 * Ends the current task with wait status `status`.  A thread other than
 * the leader is released at once; the leader stays a zombie for its
 * parent, which hears of it only once every thread has exited.  Never
 * returns.
 */
void do_exit(int status)
{
	struct task *t = current;
	struct signal_struct *sg = t->signal;

	if (t->tgid == 1 && !system_halting && sg->live == 1) {
		if (sg->group_exit)
			status = sg->group_exit_code;
		machine_halt((status & 0x7f) ? 128 + (status & 0x7f) : (status >> 8) & 0xff);
	}
	t->exit_code = status;
	if (sg->live == 1 && t->tgid == t->sid)
		tty_session_exit(t->sid);	/* a session leader's last thread */
	cputime_sync(t);		/* while its mm is there */
	exit_mm(t);
	vfork_release(t);
	if (t->files)
		files_put(t->files);
	t->files = NULL;
	fs_struct_put(t->fs);
	t->fs = NULL;
	/* Nothing below sleeps: de_thread() relies on live and the state together. */
	if (sg->live == 1)
		exit_sem(sg);		/* the process's SEM_UNDO adjustments */
	sg->utime_ns += t->utime_ns;
	sg->stime_ns += t->stime_ns;
	ioac_add(&sg->ioac, &t->ioac);
	sg->live--;
	timer_disarm(t);		/* the group's ITIMER_REAL, once it is gone */
	t->state = TASK_ZOMBIE;
	wake_up(&sg->thread_exit);
	if (t != sg->leader) {
		if (sg->live == 0 && sg->leader->state == TASK_ZOMBIE)
			group_dead(sg);
		task_free(t);		/* threads are reaped at exit */
	} else if (sg->live == 0) {
		group_dead(sg);
	}
	schedule();
	panic("zombie %d ran again", t->pid);
}

/* Ends the whole thread group: every other thread gets SIGKILL.  Never returns. */
void do_exit_group(int status)
{
	struct signal_struct *sg = current->signal;

	if (sg->group_exit) {
		status = sg->group_exit_code;
	} else if (sg->group_exec_task && sg->group_exec_task != current) {
		status = 0;		/* an exec in another thread is ending us */
	} else {
		sg->group_exit = true;
		sg->group_exit_code = status;
		zap_other_threads(current);
	}
	do_exit(status);
}

/* The leader's place goes to t, a thread that is exec'ing: pid, parent, children. */
static void take_leadership(struct task *t)
{
	struct signal_struct *sg = t->signal;
	struct task *leader = sg->leader, *c;
	pid_t tid = t->pid;

	t->pid = leader->pid;
	leader->pid = tid;
	t->parent = leader->parent;
	t->pgid = leader->pgid;
	t->sid = leader->sid;
	t->start_ns = leader->start_ns;
	t->exit_signal = SIGCHLD;
	t->parent_exec_id = leader->parent_exec_id;
	list_del(&t->sibling);
	list_add(&t->sibling, &leader->sibling);
	list_del(&leader->sibling);
	INIT_LIST_HEAD(&leader->sibling);
	while (!list_empty(&leader->children)) {
		c = list_first_entry(&leader->children, struct task, sibling);
		list_del(&c->sibling);
		list_add_tail(&c->sibling, &t->children);
		c->parent = t;
	}
	sg->leader = t;
	for_each_thread(sg, c)
		c->group_leader = t;
	list_del(&t->thread_node);
	list_add(&t->thread_node, &sg->threads);
	leader->exit_signal = -1;
	task_free(leader);
}

/*
 * exec from a multi-threaded process: every other thread is killed and
 * waited for, and a non-leader takes the leader's pid, as Linux.  A
 * sighand shared with another process (CLONE_SIGHAND) is unshared, since
 * exec resets the handlers.  May sleep.
 */
/*
 * An exec changes the execution domain, which an exit signal other than
 * SIGCHLD (0 included) does not cross, as on Linux: the process's own
 * becomes SIGCHLD, and its children's exits send SIGCHLD from now on
 * (notify_parent_exit compares their parent_exec_id with the count).
 */
static void exec_reset_exit_signals(struct task *t)
{
	if (t->exit_signal >= 0)	/* -1: a thread, reaped at exit */
		t->exit_signal = SIGCHLD;
	t->signal->self_exec_id++;
}

void de_thread(void)
{
	struct task *t = current;
	struct signal_struct *sg = t->signal;

	if (sg->group_exit)
		return;			/* the whole group is dying anyway */
	if (sg->live > 1 || t != sg->leader) {
		sg->group_exec_task = t;
		zap_other_threads(t);
		while (sg->live > 1 && !sg->group_exit)
			sleep_on(&sg->thread_exit, false);
		sg->group_exec_task = NULL;
		if (sg->group_exit)
			return;
		if (t != sg->leader)
			take_leadership(t);
	}
	exec_reset_exit_signals(t);
	if (t->sighand->count > 1) {
		struct sighand *sh = sighand_alloc();

		if (sh) {	/* else keep sharing: exec must not fail now */
			memcpy(sh->action, t->sighand->action, sizeof(sh->action));
			sighand_put(t->sighand);
			t->sighand = sh;
		}
	}
}

SYSCALL(exit)
{
	do_exit(((int)a[0] & 0xff) << 8);
}

SYSCALL(exit_group)
{
	do_exit_group(((int)a[0] & 0xff) << 8);
}

static bool child_matches(struct task *t, struct task *c, pid_t pid)
{
	if (pid > 0)
		return c->pid == pid;
	if (pid == 0)
		return c->pgid == t->pgid;
	if (pid < -1)
		return c->pgid == -pid;
	return true;
}

struct wait_result {
	pid_t pid;
	int status;		/* wait status */
	int code;		/* CLD_* for waitid */
	uid_t uid;
	u64 utime_ns, stime_ns;
};

/* One pass over the children.  Returns a pid, 0 if some could still report, or -ECHILD. */
static pid_t wait_scan(struct task *t, pid_t pid, int options, struct wait_result *r)
{
	struct task *c;
	bool any = false;

	list_for_each_entry(c, &t->group_leader->children, sibling) {
		struct signal_struct *cs = c->signal;

		if (!child_matches(t, c, pid))
			continue;
		/*
		 * A "clone" child (its exit signal not SIGCHLD) is seen only
		 * with __WCLONE, the others only without; __WALL sees both.
		 */
		if (!(options & __WALL) && (c->exit_signal != SIGCHLD) != !!(options & __WCLONE))
			continue;
		any = true;
		r->pid = c->pid;
		r->uid = c->uid;
		if (c->state == TASK_ZOMBIE && !thread_group_alive(c) && (options & WEXITED)) {
			r->status = c->exit_code;
			r->code = (c->exit_code & 0x7f) ? CLD_KILLED : CLD_EXITED;
			r->utime_ns = cs->utime_ns + cs->cutime_ns;
			r->stime_ns = cs->stime_ns + cs->cstime_ns;
			if (!(options & WNOWAIT)) {
				t->signal->cutime_ns += r->utime_ns;
				t->signal->cstime_ns += r->stime_ns;
				ioac_add(&t->signal->ioac, &cs->ioac);
				task_free(c);
			}
			return r->pid;
		}
		if (cs->stop_sig && cs->stop_report && (options & WUNTRACED)) {
			if (!(options & WNOWAIT))
				cs->stop_report = false;
			r->status = (cs->stop_sig << 8) | 0x7f;
			r->code = CLD_STOPPED;
			return r->pid;
		}
		if (cs->cont_report && (options & WCONTINUED)) {
			if (!(options & WNOWAIT))
				cs->cont_report = false;
			r->status = 0xffff;
			r->code = CLD_CONTINUED;
			return r->pid;
		}
	}
	return any ? 0 : -ECHILD;
}

/* Waits for a child's state change.  May sleep. */
static long do_wait(struct task *t, pid_t pid, int options, struct wait_result *r)
{
	for (;;) {
		pid_t got = wait_scan(t, pid, options, r);

		if (got != 0 || (options & WNOHANG))
			return got;
		if (sleep_on(&t->group_leader->wait_child, true) == -ERESTARTSYS)
			return -ERESTARTSYS;
	}
}

static void ns_to_timeval(u64 ns, struct __kernel_old_timeval *tv)
{
	tv->tv_sec = ns / 1000000000ULL;
	tv->tv_usec = (ns % 1000000000ULL) / 1000;
}

SYSCALL(wait4)
{
	pid_t pid = (pid_t)a[0];
	uaddr_t ustatus = UADDR(a[1]), uru = UADDR(a[3]);
	int options = (int)a[2];
	struct wait_result r;
	long got;

	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WCLONE | __WALL))
		return -EINVAL;
	if (pid == INT32_MIN)
		return -ESRCH;
	memset(&r, 0, sizeof(r));
	got = do_wait(t, pid, options | WEXITED, &r);
	if (got <= 0)
		return got;
	if (!uaddr_is_null(ustatus) && put_user(r.status, ustatus))
		return -EFAULT;
	if (!uaddr_is_null(uru)) {
		struct rusage ru;

		memset(&ru, 0, sizeof(ru));
		ns_to_timeval(r.utime_ns, &ru.ru_utime);
		ns_to_timeval(r.stime_ns, &ru.ru_stime);
		if (copy_to_user(uru, &ru, sizeof(ru)))
			return -EFAULT;
	}
	return got;
}

SYSCALL(waitid)
{
	int which = (int)a[0], options = (int)a[3];
	pid_t id = (pid_t)a[1], pid;
	uaddr_t uinfo = UADDR(a[2]);
	struct wait_result r;
	siginfo_t info;
	bool nonblock = false;
	long got;

	if (options & ~(WNOHANG | WNOWAIT | WEXITED | WSTOPPED | WCONTINUED |
			__WNOTHREAD | __WCLONE | __WALL))
		return -EINVAL;
	if (!(options & (WEXITED | WSTOPPED | WCONTINUED)))
		return -EINVAL;
	switch (which) {
	case P_ALL: pid = -1; break;
	case P_PID: if (id <= 0) return -EINVAL; pid = id; break;
	case P_PGID: if (id < 0) return -EINVAL; pid = id ? -id : 0; break;
	case P_PIDFD: {
		int err;
		struct task *p;

		if (id < 0)
			return -EINVAL;
		p = pidfd_task(id, &err, &nonblock);
		if (err)
			return err;
		if (p == NULL)
			return -ECHILD;		/* reaped already */
		pid = p->pid;
		break;
	}
	default: return -EINVAL;
	}
	memset(&r, 0, sizeof(r));
	got = do_wait(t, pid, options | (nonblock ? WNOHANG : 0), &r);
	if (got < 0)
		return got;
	if (got == 0 && nonblock && !(options & WNOHANG))
		return -EAGAIN;		/* PIDFD_NONBLOCK, nothing to report yet */
	memset(&info, 0, sizeof(info));
	if (got > 0) {
		info.si_signo = SIGCHLD;
		info.si_code = r.code;
		info.si_pid = r.pid;
		info.si_uid = r.uid;
		info.si_status = r.code == CLD_EXITED ? (r.status >> 8) & 0xff :
			r.code == CLD_STOPPED ? (r.status >> 8) & 0xff :
			r.code == CLD_CONTINUED ? SIGCONT : r.status & 0x7f;
	}
	if (!uaddr_is_null(uinfo) && copy_to_user(uinfo, &info, sizeof(info)))
		return -EFAULT;
	return 0;
}

bool system_halting;

static bool others_alive(void)
{
	struct task *t;

	list_for_each_entry(t, &all_tasks, tasks)
		if (t != current && t->mm && t->state != TASK_ZOMBIE && t->state != TASK_DEAD)
			return true;
	return false;
}

/*
 * Ends every process but the caller and lets them exit, then drops the
 * caller's own files and memory: whatever they held open (a running
 * program that was unlinked, say) is released and freed on disk before
 * the filesystems are unmounted.  May sleep.
 */
static void release_all_processes(void)
{
	struct task *t;
	u64 deadline = os_monotonic_ns() + 2000000000ULL;

	/*
	 * A vfork parent waits, unkillable, until its child execs or exits;
	 * the halt may come from that child (busybox init reboots from one):
	 * let the parents go, so that they take their SIGKILL.
	 */
	list_for_each_entry(t, &all_tasks, tasks)
		vfork_release(t);
	list_for_each_entry(t, &all_tasks, tasks)
		if (t->mm)
			arch_mm_kill(t->mm);
	list_for_each_entry(t, &all_tasks, tasks)
		if (t != current && t->mm)
			send_sig(t, SIGKILL);
	while (others_alive() && os_monotonic_ns() < deadline)
		sleep_until(os_monotonic_ns() + 5000000ULL, false);
	t = current;
	if (t->mm) {
		if (t->mm->loaded == t)
			t->mm->loaded = NULL;
		mm_put(t->mm);
		t->mm = NULL;
	}
	if (t->files) {
		files_put(t->files);
		t->files = NULL;
	}
	if (t->fs) {		/* its cwd and root: the trees can be freed */
		fs_struct_put(t->fs);
		t->fs = NULL;
	}
	if (t->signal)		/* its process's POSIX timers: none may fire now */
		posix_timers_exit(t->signal);
}

/*
 * Stops the machine: every guest process is ended, every disk written
 * back and unmounted clean, the host terminal restored.  May sleep.
 */
static void machine_stop(void)
{
	system_halting = true;
	release_all_processes();
	ipc_shutdown();
	sync_all();
	umount_all();
	vdso_release();
	net_quiesce();		/* the backlog run, half-kept datagrams dropped */
	check_leaks();
	console_shutdown();
}

/* Stops the machine and ./linux exits with status.  May sleep. */
void machine_halt(int status)
{
	if (system_halting)
		os_exit(status);
	machine_stop();
	printk(KERN_INFO "linux: halted, exit status %d\n", status);
	os_exit(status);
}

/*
 * reboot(2) RESTART: stops the machine, then ./linux starts again with
 * the same command line, as UML does.  May sleep.
 */
void machine_restart(void)
{
	int r;

	if (system_halting)
		os_exit(0);
	machine_stop();
	printk(KERN_INFO "linux: restarting\n");
	r = os_reexec();
	printk(KERN_EMERG "linux: cannot start again: error %d (%s)\n", r, os_strerror(r));
	os_exit(1);
}
