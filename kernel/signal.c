/*
 * signal.c - guest signals: sending, masks, actions and delivery.
 *
 * Pending signals are a bit set plus a queue of siginfo (one entry per
 * standard signal, one per send for real-time ones).  Delivery happens in
 * do_signal() on the way back to the guest: restart or fail the
 * interrupted syscall, then run the default action or build a handler
 * frame (arch/um/kernel/signal.c).
 */
#include "kernel/sched.h"
#include "kernel/pidfd.h"
#include "kernel/mm.h"
#include "kernel/syscalls.h"
#include "kernel/kernel.h"
#include "kernel/platform.h"
#include "uapi/linux/time_types.h"
#include "uapi/asm/unistd_64.h"

#define SIG_DFL_ 0
#define SIG_IGN_ 1

static const ksigset_t sig_ignore_default = sigmask(SIGCHLD) | sigmask(SIGURG) |
	sigmask(SIGWINCH) | sigmask(SIGCONT);
static const ksigset_t sig_stop_default = sigmask(SIGSTOP) | sigmask(SIGTSTP) |
	sigmask(SIGTTIN) | sigmask(SIGTTOU);
static const ksigset_t sig_sync = sigmask(SIGSEGV) | sigmask(SIGBUS) | sigmask(SIGILL) |
	sigmask(SIGFPE) | sigmask(SIGTRAP);

struct sighand *sighand_alloc(void)
{
	struct sighand *sh = kzalloc(sizeof(*sh));

	if (sh)
		sh->count = 1;
	return sh;
}

void sighand_put(struct sighand *sh)
{
	if (sh && --sh->count == 0)
		kfree(sh);
}

/* Caught signals go back to their default action; ignored ones stay so. */
void flush_signal_handlers_only(struct sighand *sh)
{
	for (int i = 0; i < KNSIG; i++) {
		struct k_sigaction *ka = &sh->action[i];

		if (ka->handler != SIG_IGN_)
			ka->handler = SIG_DFL_;
		ka->flags = 0;
		ka->restorer = 0;
		ka->mask = 0;
	}
}

/* At exec: the handlers as above, and no alternate stack. */
void flush_signal_handlers(struct task *t)
{
	flush_signal_handlers_only(t->sighand);
	t->altstack_sp = t->altstack_size = 0;
	t->altstack_flags = 0;
}

/* Signals are pending for t: its own, its group's, a group stop to join. */
bool signal_pending(struct task *t)
{
	struct signal_struct *sg = t->signal;
	ksigset_t p = t->pending.signal | sg->shared_pending.signal;

	return (p & ~t->blocked) != 0 || (t->pending.signal & sigmask(SIGKILL)) ||
	       (sg->stop_sig && !t->stopped);
}

/*
 * init is immune to the signals it has no handler for (Linux's
 * SIGNAL_UNKILLABLE), except SIGKILL/SIGSTOP sent by the kernel itself
 * (the halt) and faults, which make it killable (force_sig_fault).
 */
static bool init_immune(struct task *t, int sig)
{
	return t->tgid == 1 && !t->init_killable &&
	       t->sighand->action[sig - 1].handler == SIG_DFL_;
}

/*
 * Whether sig, sent to t, is dropped at once.  As in Linux: a blocked
 * signal never is (its handler may change before it is unblocked, or
 * sigtimedwait takes it), and real_blocked counts as blocked while
 * rt_sigtimedwait has lifted the mask.  `force`: the kernel sends it.
 */
static bool sig_ignored(struct task *t, int sig, bool force)
{
	u64 h = t->sighand->action[sig - 1].handler;

	if ((t->blocked | t->real_blocked) & sigmask(sig))
		return false;
	if (init_immune(t, sig) && !(force && (SIG_KERNEL_ONLY & sigmask(sig))))
		return true;
	return h == SIG_IGN_ || (h == SIG_DFL_ && (sig_ignore_default & sigmask(sig)));
}

/* Removes the signals of mask, bits and queued siginfo, from p. */
static void flush_sigqueue_mask(struct sigpending *p, ksigset_t mask)
{
	struct sigqueue *q, *n;

	if (!(p->signal & mask))
		return;
	p->signal &= ~mask;
	list_for_each_entry_safe(q, n, &p->queue, list) {
		if (mask & sigmask(q->info.si_signo)) {
			list_del(&q->list);
			kfree(q);
		}
	}
}

/* The same for the group's set and every thread's. */
static void flush_group_mask(struct signal_struct *sg, ksigset_t mask)
{
	struct task *q;

	flush_sigqueue_mask(&sg->shared_pending, mask);
	for_each_thread(sg, q)
		flush_sigqueue_mask(&q->pending, mask);
}

static bool task_exited(struct task *t)
{
	return t->state == TASK_ZOMBIE || t->state == TASK_DEAD;
}

/* Makes t notice a new signal: wake it from an interruptible sleep, or
 * from user mode. */
static void signal_wake(struct task *t)
{
	if (t->state == TASK_INTERRUPTIBLE ||
	    (t->killable && t->state == TASK_UNINTERRUPTIBLE && fatal_signal_pending(t)))
		wake_up_task(t);
	else if (t->state == TASK_USER)
		arch_kick(t);		/* its guest code runs: make it stop */
	else if (t != current && t->state == TASK_RUNNING)
		need_resched = true;
}

/* SIGKILL to every thread of the group but except, at once. */
void zap_other_threads(struct task *except)
{
	struct task *q;

	for_each_thread(except->signal, q) {
		if (q == except || task_exited(q))
			continue;
		q->pending.signal |= sigmask(SIGKILL);
		signal_wake(q);
	}
}

/* SIGKILL and SIGCONT end a group stop; a stop signal cancels SIGCONT. */
static void prepare_signal(struct task *t, int sig)
{
	struct signal_struct *sg = t->signal;
	struct task *q;

	if (sig == SIGKILL || sig == SIGCONT) {
		flush_group_mask(sg, sig_stop_default);
		if (sg->stop_sig) {
			sg->stop_sig = 0;
			sg->cont_report = true;
			for_each_thread(sg, q)
				if (!task_exited(q))
					signal_wake(q);
		}
	}
	if (sig_stop_default & sigmask(sig))
		flush_group_mask(sg, sigmask(SIGCONT));
}

static bool wants_signal(struct task *q, int sig)
{
	return !task_exited(q) && q->mm && !(q->blocked & sigmask(sig));
}

/*
 * After queueing: SIGKILL takes the whole group down now; another signal
 * wakes t if it does not block it, else (process-directed) any thread
 * that does not, as Linux's complete_signal().
 */
static void complete_signal(struct task *t, int sig, bool group)
{
	struct signal_struct *sg = t->signal;
	struct task *q;

	if (sig == SIGKILL) {
		if (!sg->group_exit && !sg->group_exec_task) {
			sg->group_exit = true;
			sg->group_exit_code = SIGKILL;
		}
		if (!task_exited(t))
			t->pending.signal |= sigmask(SIGKILL);
		signal_wake(t);
		zap_other_threads(t);
		return;
	}
	if (wants_signal(t, sig)) {
		signal_wake(t);
		return;
	}
	if (!group)
		return;
	for_each_thread(sg, q) {
		if (wants_signal(q, sig)) {
			signal_wake(q);
			return;
		}
	}
}

static int do_send_signal(struct task *t, int sig, siginfo_t *info, bool group)
{
	struct sigpending *pend = group ? &t->signal->shared_pending : &t->pending;
	struct sigqueue *q;

	if (sig < 1 || sig > KNSIG)
		return -EINVAL;
	if ((group ? !thread_group_alive(t) : task_exited(t)) || !t->sighand)
		return 0;
	prepare_signal(t, sig);
	if (sig_ignored(t, sig, info->si_code == SI_KERNEL))
		return 0;
	if (sig < SIGRTMIN && (pend->signal & sigmask(sig)))
		return 0;		/* standard signals do not queue twice */
	q = kzalloc(sizeof(*q));
	if (q) {
		q->info = *info;
		list_add_tail(&q->list, &pend->queue);
	}
	pend->signal |= sigmask(sig);
	signalfd_notify(t);
	complete_signal(t, sig, group);
	return 0;
}

/* Queues sig for t's process (any of its threads may take it).  0 or -errno. */
int send_signal(struct task *t, int sig, siginfo_t *info)
{
	return do_send_signal(t, sig, info, true);
}

/* Queues sig for the thread t itself (tgkill, faults).  0 or -errno. */
int send_signal_thread(struct task *t, int sig, siginfo_t *info)
{
	return do_send_signal(t, sig, info, false);
}

/* sig with SI_KERNEL info for the thread t itself (SIGPIPE goes to the writer). */
int send_sig_thread(struct task *t, int sig)
{
	siginfo_t info;

	memset(&info, 0, sizeof(info));
	info.si_signo = sig;
	info.si_code = SI_KERNEL;
	return send_signal_thread(t, sig, &info);
}

int send_sig(struct task *t, int sig)
{
	siginfo_t info;

	memset(&info, 0, sizeof(info));
	info.si_signo = sig;
	info.si_code = SI_KERNEL;
	return send_signal(t, sig, &info);
}

/* t leads a process (not a kernel thread) with a thread still running. */
bool user_process_alive(struct task *t)
{
	struct task *q;

	if (t != t->group_leader)
		return false;
	for_each_thread(t->signal, q)
		if (q->mm && !task_exited(q))
			return true;
	return false;
}

int kill_pgrp(pid_t pgid, int sig, siginfo_t *info)
{
	struct task *t;
	int found = -ESRCH;

	list_for_each_entry(t, &all_tasks, tasks) {
		if (t->pgid == pgid && user_process_alive(t)) {
			send_signal(t, sig, info);
			found = 0;
		}
	}
	return found;
}

/* A synchronous fault: deliver sig now, even if blocked or ignored (as Linux). */
void force_sig_fault(int sig, int code, u64 addr)
{
	struct task *t = current;
	struct k_sigaction *ka = &t->sighand->action[sig - 1];
	siginfo_t info;

	if ((t->blocked & sigmask(sig)) || ka->handler == SIG_IGN_) {
		t->blocked &= ~sigmask(sig);
		ka->handler = SIG_DFL_;
	}
	if (ka->handler == SIG_DFL_)
		t->init_killable = true;	/* a fault kills even init */
	memset(&info, 0, sizeof(info));
	info.si_signo = sig;
	info.si_code = code;
	info.si_addr = (void *)addr;
	send_signal_thread(t, sig, &info);
}

/* Takes the lowest pending signal of `allowed` from one set, filling info. */
static int dequeue_from(struct sigpending *pend, ksigset_t allowed, siginfo_t *info)
{
	ksigset_t ready = pend->signal & allowed;
	struct sigqueue *q;
	int sig;
	bool more = false;

	if (!ready)
		return 0;
	/* Synchronous (fault) signals first, as Linux does; then the lowest. */
	if (ready & sig_sync)
		ready &= sig_sync;
	sig = __builtin_ctzll(ready) + 1;
	memset(info, 0, sizeof(*info));
	info->si_signo = sig;
	info->si_code = SI_KERNEL;
	list_for_each_entry(q, &pend->queue, list) {
		if (q->info.si_signo != sig)
			continue;
		*info = q->info;
		list_del(&q->list);
		kfree(q);
		break;
	}
	list_for_each_entry(q, &pend->queue, list)
		if (q->info.si_signo == sig)
			more = true;
	if (!more)
		pend->signal &= ~sigmask(sig);
	return sig;
}

/* The thread's own signals first, then the group's (as Linux). */
static int dequeue_mask(struct task *t, ksigset_t allowed, siginfo_t *info)
{
	int sig = dequeue_from(&t->pending, allowed, info);

	return sig ? sig : dequeue_from(&t->signal->shared_pending, allowed, info);
}

/* Takes the lowest pending unblocked signal, filling info. */
static int dequeue_signal(struct task *t, siginfo_t *info)
{
	return dequeue_mask(t, ~(t->blocked & ~SIG_KERNEL_ONLY), info);
}

/* For signalfd: the lowest pending signal in mask (0 if none), filling info. */
int dequeue_signal_mask(struct task *t, ksigset_t mask, siginfo_t *info)
{
	return dequeue_mask(t, mask, info);
}

void notify_parent_stop(struct task *t, int why, int status);

/* Parks t until the group stop ends (SIGCONT) or SIGKILL comes. */
static void stop_park(struct task *t)
{
	t->stopped = true;
	while (t->signal->stop_sig && !(t->pending.signal & sigmask(SIGKILL))) {
		t->state = TASK_INTERRUPTIBLE;
		schedule();
		t->state = TASK_RUNNING;
	}
	t->stopped = false;
}

/* A stop signal taken by one thread stops the whole group. */
static void do_stop(struct task *t, int sig)
{
	struct signal_struct *sg = t->signal;
	struct task *q;

	sg->stop_sig = sig;
	sg->stop_report = true;
	notify_parent_stop(sg->leader, CLD_STOPPED, sig);
	for_each_thread(sg, q)
		if (q != t && !task_exited(q))
			signal_wake(q);
	stop_park(t);
}

/* Restarts or fails the interrupted syscall, as the action requires. */
static void syscall_restart(struct task *t, struct k_sigaction *ka)
{
	arch_syscall_restart(t, ka != NULL, ka && (ka->flags & SA_RESTART));
}

/* Delivers pending signals before the return to the guest. */
void do_signal(void)
{
	struct task *t = current;
	siginfo_t info;
	int sig;

	for (;;) {
		struct k_sigaction *ka;
		ksigset_t oldmask = t->restore_mask ? t->saved_mask : t->blocked;

		if (t->signal->stop_sig && !t->stopped &&
		    !(t->pending.signal & sigmask(SIGKILL))) {
			stop_park(t);
			continue;
		}
		sig = dequeue_signal(t, &info);
		if (!sig)
			break;
		ka = &t->sighand->action[sig - 1];

		if (ka->handler == SIG_IGN_)
			continue;
		if (ka->handler == SIG_DFL_) {
			if (sig_ignore_default & sigmask(sig))
				continue;
			/* Queued while blocked, now unblocked: init still refuses it. */
			if (init_immune(t, sig) && !(SIG_KERNEL_ONLY & sigmask(sig)))
				continue;
			if (sig_stop_default & sigmask(sig)) {
				do_stop(t, sig);
				continue;
			}
			if (info.si_code > 0 && (sig == SIGSEGV || sig == SIGBUS ||
						 sig == SIGILL || sig == SIGFPE))
				printk(KERN_INFO "%s[%d]: %s at %llx ip %llx sp %llx code %d\n",
				       t->comm, t->pid, sig == SIGSEGV ? "segfault" : "fatal trap",
				       (unsigned long long)(u64)info.si_addr,
				       (unsigned long long)regs_user_ip(&t->regs),
				       (unsigned long long)regs_user_sp(&t->regs), info.si_code);
			/*
			 * No WCOREDUMP bit: Linux sets it only when a core
			 * file was written (never under RLIMIT_CORE 0, the
			 * default), and this kernel writes none.
			 */
			do_exit_group(sig);
		}
		syscall_restart(t, ka);
		if (arch_setup_frame(t, sig, ka, &info, oldmask) < 0) {
			force_sig_fault(SIGSEGV, SI_KERNEL, 0);
			t->sighand->action[SIGSEGV - 1].handler = SIG_DFL_;
			continue;
		}
		t->restore_mask = false;
		t->blocked |= ka->mask;
		if (!(ka->flags & SA_NODEFER))
			t->blocked |= sigmask(sig);
		t->blocked &= ~SIG_KERNEL_ONLY;
		if (ka->flags & SA_RESETHAND)
			ka->handler = SIG_DFL_;
		return;
	}
	syscall_restart(t, NULL);
	if (t->restore_mask) {
		t->restore_mask = false;
		t->blocked = t->saved_mask;
	}
}

/* The syscalls. */

SYSCALL(rt_sigaction)
{
	int sig = (int)a[0];
	uaddr_t act = UADDR(a[1]), oact = UADDR(a[2]);
	struct k_sigaction ka, old;

	if ((size_t)a[3] != sizeof(ksigset_t))
		return -EINVAL;
	if (sig < 1 || sig > KNSIG)
		return -EINVAL;
	if (!uaddr_is_null(act) && (sig == SIGKILL || sig == SIGSTOP))
		return -EINVAL;
	if (!uaddr_is_null(act) && copy_from_user(&ka, act, sizeof(ka)))
		return -EFAULT;
	old = t->sighand->action[sig - 1];
	if (!uaddr_is_null(oact) && copy_to_user(oact, &old, sizeof(old)))
		return -EFAULT;
	if (!uaddr_is_null(act)) {
		ka.mask &= ~SIG_KERNEL_ONLY;
		t->sighand->action[sig - 1] = ka;
		/* Setting SIG_IGN discards what is pending (POSIX). */
		if (ka.handler == SIG_IGN_ ||
		    (ka.handler == SIG_DFL_ && (sig_ignore_default & sigmask(sig)))) {
			flush_group_mask(t->signal, sigmask(sig));
		}
	}
	return 0;
}

SYSCALL(rt_sigprocmask)
{
	int how = (int)a[0];
	uaddr_t set = UADDR(a[1]), oset = UADDR(a[2]);
	ksigset_t new, old = t->blocked;

	if ((size_t)a[3] != sizeof(ksigset_t))
		return -EINVAL;
	if (!uaddr_is_null(set)) {
		if (copy_from_user(&new, set, sizeof(new)))
			return -EFAULT;
		new &= ~SIG_KERNEL_ONLY;
		switch (how) {
		case SIG_BLOCK: t->blocked |= new; break;
		case SIG_UNBLOCK: t->blocked &= ~new; break;
		case SIG_SETMASK: t->blocked = new; break;
		default: return -EINVAL;
		}
	}
	if (!uaddr_is_null(oset) && copy_to_user(oset, &old, sizeof(old))) {
		t->blocked = old;
		return -EFAULT;
	}
	return 0;
}

SYSCALL(rt_sigpending)
{
	ksigset_t p = (t->pending.signal | t->signal->shared_pending.signal) & t->blocked;

	if ((size_t)a[1] > sizeof(ksigset_t))
		return -EINVAL;
	return copy_to_user(UADDR(a[0]), &p, (size_t)a[1]) ? -EFAULT : 0;
}

SYSCALL(rt_sigsuspend)
{
	ksigset_t mask;

	if ((size_t)a[1] != sizeof(ksigset_t))
		return -EINVAL;
	if (copy_from_user(&mask, UADDR(a[0]), sizeof(mask)))
		return -EFAULT;
	t->saved_mask = t->blocked;
	t->restore_mask = true;
	t->blocked = mask & ~SIG_KERNEL_ONLY;
	while (!signal_pending(t)) {
		t->state = TASK_INTERRUPTIBLE;
		schedule();
		t->state = TASK_RUNNING;
	}
	return -ERESTARTNOHAND;
}

SYSCALL(pause)
{
	while (!signal_pending(t)) {
		t->state = TASK_INTERRUPTIBLE;
		schedule();
		t->state = TASK_RUNNING;
	}
	return -ERESTARTNOHAND;
}

/*
 * Linux's do_sigaltstack: the new alternate stack n for t, whose stack
 * pointer is sp.  -EPERM while t runs on the current one; the mode (the
 * flags but SS_AUTODISARM) 0, SS_ONSTACK or SS_DISABLE, else -EINVAL;
 * -ENOMEM below MINSIGSTKSZ.  SS_AUTODISARM: the stack is forgotten each
 * time a handler starts on it (arch_setup_frame), so a handler may
 * swapcontext away; rt_sigreturn sets the saved one again.
 */
int altstack_set(struct task *t, const stack_t *n, u64 sp)
{
	int mode = n->ss_flags & ~SS_AUTODISARM;

	if (t->altstack_size && sp - t->altstack_sp < t->altstack_size)
		return -EPERM;
	if (mode != 0 && mode != SS_ONSTACK && mode != SS_DISABLE)
		return -EINVAL;
	if (mode == SS_DISABLE) {
		t->altstack_sp = t->altstack_size = 0;
		t->altstack_flags = 0;
		return 0;
	}
	if (n->ss_size < 2048)	/* MINSIGSTKSZ */
		return -ENOMEM;
	t->altstack_sp = (u64)n->ss_sp;
	t->altstack_size = n->ss_size;
	t->altstack_flags = n->ss_flags & SS_AUTODISARM;
	return 0;
}

SYSCALL(sigaltstack)
{
	uaddr_t ss = UADDR(a[0]), oss = UADDR(a[1]);
	stack_t n, o;
	bool on = t->altstack_size && regs_user_sp(&t->regs) - t->altstack_sp < t->altstack_size;
	int r;

	o.ss_sp = (void *)t->altstack_sp;
	o.ss_size = t->altstack_size;
	o.ss_flags = t->altstack_size ? (on ? SS_ONSTACK : 0) | t->altstack_flags : SS_DISABLE;
	if (!uaddr_is_null(ss)) {
		if (copy_from_user(&n, ss, sizeof(n)))
			return -EFAULT;
		r = altstack_set(t, &n, regs_user_sp(&t->regs));
		if (r)
			return r;
	}
	if (!uaddr_is_null(oss) && copy_to_user(oss, &o, sizeof(o)))
		return -EFAULT;
	return 0;
}

static void fill_kill_info(siginfo_t *info, struct task *t, int sig, int code)
{
	memset(info, 0, sizeof(*info));
	info->si_signo = sig;
	info->si_code = code;
	info->si_pid = t->tgid;
	info->si_uid = t->uid;
}

/* Linux's check_kill_permission: its own group, root, a matching uid, or
 * SIGCONT within the caller's session. */
static bool may_signal(struct task *t, struct task *target, int sig)
{
	if (t->signal == target->signal)
		return true;
	if (t->euid == 0 || t->uid == target->uid || t->euid == target->uid ||
	    t->uid == target->suid || t->euid == target->suid)
		return true;
	return sig == SIGCONT && target->group_leader->sid == t->group_leader->sid;
}

SYSCALL(kill)
{
	pid_t pid = (pid_t)a[0];
	int sig = (int)a[1];
	siginfo_t info;
	struct task *p;
	int ret = -ESRCH, sent = 0;

	if (sig < 0 || sig > KNSIG)
		return -EINVAL;
	fill_kill_info(&info, t, sig, SI_USER);
	if (pid > 0) {
		p = find_task(pid);	/* a thread's tid names its process too */
		/* An unreaped zombie still exists: kill says 0 and sends nothing. */
		if (!p || !(user_process_alive(p->group_leader) ||
			    p->group_leader->state == TASK_ZOMBIE))
			return -ESRCH;
		if (!may_signal(t, p, sig))
			return -EPERM;
		return sig ? send_signal(p, sig, &info) : 0;
	}
	list_for_each_entry(p, &all_tasks, tasks) {
		if (!user_process_alive(p))	/* each process once, by its leader */
			continue;
		if (pid == 0 && p->pgid != t->pgid)
			continue;
		if (pid < -1 && p->pgid != -pid)
			continue;
		if (pid == -1 && (p->pid == 1 || p->signal == t->signal))
			continue;
		if (!may_signal(t, p, sig)) {
			ret = -EPERM;
			continue;
		}
		sent++;
		if (sig)
			send_signal(p, sig, &info);
	}
	return sent ? 0 : ret;
}

SYSCALL(tgkill)
{
	pid_t tgid = (pid_t)a[0], tid = (pid_t)a[1];
	int sig = (int)a[2];
	struct task *p;
	siginfo_t info;

	if (tid <= 0 || tgid <= 0)
		return -EINVAL;
	p = find_task(tid);
	/* A zombie leader, not yet reaped, is still there (0, nothing sent). */
	if (!p || p->tgid != tgid || (p->state == TASK_ZOMBIE ? p != p->group_leader :
				      !p->mm || task_exited(p)))
		return -ESRCH;
	if (sig < 0 || sig > KNSIG)
		return -EINVAL;		/* after the lookup, as Linux */
	if (!may_signal(t, p, sig))
		return -EPERM;
	fill_kill_info(&info, t, sig, SI_TKILL);
	return sig ? send_signal_thread(p, sig, &info) : 0;
}

SYSCALL(tkill)
{
	long b[3] = { 0, a[0], a[1] };
	struct task *p = find_task((pid_t)a[0]);

	if ((pid_t)a[0] <= 0)
		return -EINVAL;
	if (!p)
		return -ESRCH;
	b[0] = p->tgid;
	return sys_tgkill(t, b);
}

/*
 * Waits for one of the signals in `set` (normally blocked) and takes it
 * without running a handler.  While waiting they count as unblocked, so
 * sending one wakes us; the mask they had stays in real_blocked, so one
 * that was blocked is not dropped as ignored (SIGCHLD).  May sleep.
 */
SYSCALL(rt_sigtimedwait)
{
	uaddr_t uset = UADDR(a[0]), uinfo = UADDR(a[1]), uts = UADDR(a[2]);
	ksigset_t set, saved;
	struct __kernel_timespec ts;
	u64 deadline = 0;
	siginfo_t info;
	int sig, r = 0;

	if ((size_t)a[3] != sizeof(ksigset_t))
		return -EINVAL;
	if (copy_from_user(&set, uset, sizeof(set)))
		return -EFAULT;
	set &= ~SIG_KERNEL_ONLY;
	if (!uaddr_is_null(uts)) {
		if (copy_from_user(&ts, uts, sizeof(ts)))
			return -EFAULT;
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
			return -EINVAL;
		deadline = os_monotonic_ns() + (u64)ts.tv_sec * 1000000000ULL + (u64)ts.tv_nsec;
	}
	saved = t->blocked;
	while (!(sig = dequeue_mask(t, set, &info))) {
		if (!uaddr_is_null(uts) && os_monotonic_ns() >= deadline) {
			r = -EAGAIN;
			break;
		}
		t->real_blocked = saved;
		t->blocked = saved & ~set;
		r = !uaddr_is_null(uts) ? sleep_on_timeout(NULL, true, deadline) : sleep_on(NULL, true);
		t->blocked = saved;
		t->real_blocked = 0;
		if (r == -ETIMEDOUT)
			r = 0;
		if (r == -ERESTARTSYS &&
		    !((t->pending.signal | t->signal->shared_pending.signal) & set)) {
			r = -EINTR;
			break;
		}
		r = 0;
	}
	t->blocked = saved;
	if (!sig)
		return r ? r : -EAGAIN;
	if (!uaddr_is_null(uinfo) && copy_to_user(uinfo, &info, sizeof(info)))
		return -EFAULT;
	return sig;
}

/*
 * The continuation of a syscall that returned -ERESTART_RESTARTBLOCK and
 * was interrupted by a signal without a handler (SIGSTOP, then SIGCONT):
 * it runs what the syscall left in t->restart_fn.
 */
SYSCALL(restart_syscall)
{
	long (*fn)(struct task *) = t->restart_fn;

	t->restart_fn = NULL;
	return fn ? fn(t) : -EINTR;
}

bool fatal_signal_pending(struct task *t)
{
	return (t->pending.signal & sigmask(SIGKILL)) || t->signal->group_exit;
}

/*
 * The siginfo a POSIX timer (SI_TIMER, id) still has queued for t's
 * process (group) or for the thread t, or NULL: a timer that expires
 * again counts an overrun there instead of queueing twice.
 */
siginfo_t *pending_timer_info(struct task *t, bool group, int id)
{
	struct sigpending *pend = group ? &t->signal->shared_pending : &t->pending;
	struct sigqueue *q;

	list_for_each_entry(q, &pend->queue, list)
		if (q->info.si_code == SI_TIMER && q->info.si_tid == id)
			return &q->info;
	return NULL;
}

/*
 * The siginfo a guest queues itself with rt_sigqueueinfo and
 * rt_tgsigqueueinfo: si_signo is forced to sig.  0 or -EFAULT.
 */
static long sigqueue_copy(int sig, uaddr_t uinfo, siginfo_t *info)
{
	if (copy_from_user(info, uinfo, sizeof(*info)))
		return -EFAULT;
	info->si_signo = sig;
	return 0;
}

/*
 * As Linux: nobody, root included, may pretend to be the kernel or
 * kill()/tgkill() (a non-negative si_code, or SI_TKILL) towards a task
 * other than itself.
 */
static bool sigqueue_code_ok(struct task *t, pid_t target_tid, const siginfo_t *info)
{
	return !(info->si_code >= 0 || info->si_code == SI_TKILL) || t->pid == target_tid;
}

SYSCALL(rt_sigqueueinfo)
{
	pid_t pid = (pid_t)a[0];
	int sig = (int)a[1];
	siginfo_t info;
	struct task *p;

	if (sigqueue_copy(sig, UADDR(a[2]), &info))
		return -EFAULT;
	if (!sigqueue_code_ok(t, pid, &info))
		return -EPERM;
	p = pid > 0 ? find_task(pid) : NULL;
	if (!p || !user_process_alive(p->group_leader))
		return -ESRCH;
	if (sig < 0 || sig > KNSIG)
		return -EINVAL;
	if (!may_signal(t, p, sig))
		return -EPERM;
	return sig ? send_signal(p, sig, &info) : 0;
}

/*
 * pidfd_send_signal(fd, sig, info, flags), in Linux's order: flags (none
 * supported) -EINVAL, not a pidfd -EBADF, the info's signal not sig
 * -EINVAL, an info that pretends to be kill() or the kernel towards
 * another process -EPERM; then the process reaped -ESRCH, a bad signal
 * -EINVAL, no permission -EPERM.  A zombie not yet reaped takes it (0).
 */
SYSCALL(pidfd_send_signal)
{
	int fd = (int)a[0], sig = (int)a[1], err;
	uaddr_t uinfo = UADDR(a[2]);
	unsigned flags = (unsigned)a[3];
	siginfo_t info;
	struct task *p;

	if (flags)
		return -EINVAL;
	p = pidfd_task(fd, &err, NULL);
	if (err)
		return err;
	if (!uaddr_is_null(uinfo)) {
		if (copy_from_user(&info, uinfo, sizeof(info)))
			return -EFAULT;
		if (info.si_signo != sig)
			return -EINVAL;
		if ((p == NULL || p->pid != t->pid) &&
		    (info.si_code >= 0 || info.si_code == SI_TKILL))
			return -EPERM;
	} else {
		fill_kill_info(&info, t, sig, SI_USER);
	}
	if (p == NULL)
		return -ESRCH;
	if (sig < 0 || sig > KNSIG)
		return -EINVAL;
	if (!may_signal(t, p, sig))
		return -EPERM;
	if (sig == 0 || p->state == TASK_ZOMBIE)
		return 0;
	return send_signal(p, sig, &info);
}

SYSCALL(rt_tgsigqueueinfo)
{
	pid_t tgid = (pid_t)a[0], tid = (pid_t)a[1];
	int sig = (int)a[2];
	siginfo_t info;
	struct task *p;

	if (sigqueue_copy(sig, UADDR(a[3]), &info))
		return -EFAULT;
	if (tid <= 0 || tgid <= 0)
		return -EINVAL;
	if (!sigqueue_code_ok(t, tid, &info))
		return -EPERM;
	p = find_task(tid);
	if (!p || p->tgid != tgid || !p->mm || task_exited(p))
		return -ESRCH;
	if (sig < 0 || sig > KNSIG)
		return -EINVAL;
	if (!may_signal(t, p, sig))
		return -EPERM;
	return sig ? send_signal_thread(p, sig, &info) : 0;
}
