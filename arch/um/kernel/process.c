/*
 * process.c - running guest code: the event loop over the platform.
 *
 * A task in user mode lives in userspace_loop(): on the way out it takes
 * interrupts, reschedules and delivers signals (prepare_return), then
 * run_guest() takes its address space's host side (threads of one mm
 * share it, one runs at a time), mirrors page-table changes into it,
 * loads its registers and FPU state and resumes it.  The task is then
 * TASK_USER: off the run queue, it waits for its next event, and the
 * kernel runs whatever else is runnable.  When nothing is, the idle loop
 * calls arch_events(), the one host wait for the events of every host
 * side (platform->wait); deliver() gives each event to its task with the
 * registers fetched and makes the task runnable, and it serves the event
 * on its own kernel stack: a syscall, a fault, a signal.
 *
 * What stops a guest thread besides its own events: a signal for it
 * (arch_kick), another thread of its process waiting a whole tick for
 * the host side (arch_tick), a page-table change that takes access away
 * (arch_mm_shootdown, which stops it at once) and the halt (arch_mm_kill).
 */
#include "kernel/sched.h"
#include "kernel/cputime.h"
#include "kernel/mm.h"
#include "kernel/kernel.h"
#include "kernel/platform.h"
#include "kernel/string.h"
#include "shared/stub.h"
#include "uapi/asm/unistd_64.h"
#include "uapi/asm-generic/siginfo.h"

#define VSYSCALL_ADDR	0xffffffffff600000ULL
#define TICK_NS		(1000000000ULL / HZ)
void do_syscall(struct task *t);
extern void task_trampoline(void);

/* ---- choosing the platform ---- */

/* The first is the default: seccomp, where the host can run it. */
static const struct platform_ops *const platforms[] = { &seccomp_platform, &ptrace_platform };
const struct platform_ops *platform = &ptrace_platform;

/* Takes p if the host can run it, else ptrace, with a one-line message. */
static void platform_use(const struct platform_ops *p)
{
	const char *why = "";

	if (p->probe && p->probe(&why) < 0) {
		os_print_err("linux: mode=%s is not available here (%s): using mode=ptrace\n",
			     p->name, why);
		p = &ptrace_platform;
	}
	platform = p;
}

/* NULL or "": the default, the first of the table. */
int platform_select(const char *name)
{
	if (!name || !*name) {
		platform_use(platforms[0]);
		return 0;
	}
	for (size_t i = 0; i < ARRAY_SIZE(platforms); i++)
		if (!strcmp(platforms[i]->name, name)) {
			platform_use(platforms[i]);
			return 0;
		}
	return -EINVAL;
}

const char *platform_names(void)
{
	static char buf[64];

	if (!buf[0])
		for (size_t i = 0; i < ARRAY_SIZE(platforms); i++) {
			size_t n = strlen(buf);

			ksnprintf(buf + n, sizeof(buf) - n, "%s%s", i ? ", " : "",
				 platforms[i]->name);
		}
	return buf;
}

void platform_stats(char *buf, size_t len)
{
	buf[0] = '\0';
	if (platform->stats)
		platform->stats(buf, len);
}

/* ---- what mm/, kernel/ and fs/ call ---- */

int arch_mm_init(struct mm *mm)
{
	return platform->mm_create(mm);
}

void arch_mm_destroy(struct mm *mm)
{
	platform->mm_destroy(mm);
}

void arch_mm_exec(struct mm *to, struct mm *from)
{
	if (from->cputime_lazy)
		cputime_sync(from->cputime_lazy);	/* its stub's clock goes on in to */
	if (from->running || !platform->mm_started(from))
		return;
	platform->mm_exec(to, from);
	to->loaded = NULL;
}

/* Hands t the event its guest code stopped with and makes it runnable. */
static void deliver(struct mm *mm, const struct plat_event *ev)
{
	struct task *t = mm->running;
	bool preempted = ev->kind == PLAT_EV_INTERRUPTED;
	u64 now;

	if (!t)
		return;
	mm->running = NULL;
	now = os_monotonic_ns();
	account_guest(t, now - mm->acct_start, now);	/* the guest ran all along */
	t->event = *ev;
	if (ev->kind != PLAT_EV_EXIT && platform->get_regs(mm, &t->regs) < 0)
		t->event.kind = PLAT_EV_EXIT;
	mm->partial = t->event.kind == PLAT_EV_SYSCALL && ev->partial ? t : NULL;
	/* Preempted for them: the threads waiting for the host side go first. */
	if (preempted)
		wake_up(&mm->host_wait);
	wake_up_user(t);
	if (!preempted)
		wake_up(&mm->host_wait);
}

/*
 * Serves the events that came: false if none did (-EINTR: an IRQ is due).
 * block: waits for one and serves it (the idle loop comes back for the
 * next one when nothing is runnable, so no extra wait4 per event).
 * Without: serves every event already there.
 */
bool arch_events(bool block)
{
	struct plat_event ev;
	struct mm *mm;
	bool any = false;

	for (;;) {
		int r = platform->wait(&mm, &ev, block);

		if (r < 0)
			return any;
		if (mm) {
			deliver(mm, &ev);
			if (block)
				return true;
			any = true;
		}
	}
}

void arch_mm_shootdown(struct mm *mm)
{
	struct plat_event ev;

	if (mm->running && platform->stop(mm, &ev) == 0)
		deliver(mm, &ev);
}

/*
 * A notification (the seccomp platform's fast path) gave only part of the
 * registers: the arguments, orig_rax and rip.  The call is answered with
 * its result alone unless something needs the rest first: a signal frame,
 * a restart, the FPU state, another thread of the process taking the host
 * side.  Then the platform fetches them (a trap) and keeps the result.
 */
static int regs_complete(struct mm *mm)
{
	struct task *t = mm->partial;

	if (!t)
		return 0;
	mm->partial = NULL;
	return platform->complete ? platform->complete(mm, &t->regs) : 0;
}

void arch_regs_full(struct task *t)
{
	if (t->mm && t->mm->partial == t)
		regs_complete(t->mm);
}

static const u16 args_only_nrs[] = { STUB_SC_NOTIF_NRS };
static u32 args_only_map[STUB_SC_NOTIF_LIMIT / 32];	/* the seccomp filter's bitmap */
static bool args_only_ready;

bool arch_args_only_nr(int nr)
{
	if (!args_only_ready) {
		for (size_t i = 0; i < ARRAY_SIZE(args_only_nrs); i++)
			if (args_only_nrs[i] < STUB_SC_NOTIF_LIMIT)
				args_only_map[args_only_nrs[i] / 32] |= 1u << (args_only_nrs[i] % 32);
		args_only_ready = true;
	}
	return nr >= 0 && nr < STUB_SC_NOTIF_LIMIT &&
	       (args_only_map[nr / 32] >> (nr % 32) & 1);
}

void arch_mm_kill(struct mm *mm)
{
	struct plat_event ev = { .kind = PLAT_EV_EXIT };

	mm->partial = NULL;
	platform->kill(mm);
	if (mm->running)
		deliver(mm, &ev);
}

int arch_mm_apply(struct mm *mm, const struct map_op *ops, unsigned int n)
{
	if (mm->running)
		arch_mm_shootdown(mm);
	return platform->apply_batch(mm, ops, n);
}

void arch_kick(struct task *t)
{
	if (t->state == TASK_USER && t->mm && t->mm->running == t)
		platform->interrupt(t->mm);
}

/*
 * The tick: a thread that held its host side a whole tick while another
 * thread of its process waits for it gives way, whether it computed all
 * along or made calls that never slept (run_start: when it took it).  And the events that
 * came are served, should the kernel have been too busy to be idle for
 * a tick (the idle loop is where they are waited for).
 */
void arch_tick(void)
{
	u64 now = os_monotonic_ns();
	struct task *t;

	if (list_empty(&user_tasks))
		return;
	list_for_each_entry(t, &user_tasks, run_list) {
		struct mm *mm = t->mm;

		if (mm->running == t) {	/* a spinning guest's CPU timers */
			account_guest(t, now - mm->acct_start, now);
			mm->acct_start = now;
		}

		if (mm->running == t && !list_empty(&mm->host_wait.head) &&
		    now - mm->run_start >= TICK_NS)
			platform->interrupt(mm);
	}
	arch_events(false);
}

/* Prepares t's kernel stack so that switching to it calls entry(). */
void arch_task_init_kernel(struct task *t, void (*entry)(void))
{
	u64 *sp = (u64 *)((u8 *)t->kstack + t->kstack_size);

	/* The trampoline runs with rsp = top, so entry sees rsp%16 == 8. */
	*--sp = (u64)task_trampoline;		/* switch_to's ret */
	*--sp = 0;				/* rbp */
	*--sp = (u64)entry;			/* rbx */
	*--sp = 0; *--sp = 0; *--sp = 0; *--sp = 0;	/* r12-r15 */
	t->ctx.rsp = (u64)sp;
}

/* ---- FPU state, lazily: the host side holds the last runner's ---- */

void arch_fpu_sync(struct task *t)
{
	int n;

	arch_regs_full(t);
	if (!t->mm || t->mm->loaded != t || !platform->mm_started(t->mm))
		return;
	n = platform->get_fpu(t->mm, t->xstate, os_xstate_size());
	if (n > 0) {
		t->xstate_len = n;
		t->xstate_valid = true;
	}
}

void arch_fpu_dirty(struct task *t)
{
	t->xstate_valid = true;
	if (t->mm && t->mm->loaded == t)
		t->mm->loaded = NULL;
}

/* Makes the host side hold t's FPU state. */
static int fpu_load(struct task *t)
{
	struct mm *mm = t->mm;

	if (mm->loaded == t)
		return 0;
	if (mm->loaded)
		arch_fpu_sync(mm->loaded);
	/* A task with no saved state yet takes the state the host side holds. */
	if (t->xstate_valid && platform->set_fpu(mm, t->xstate, t->xstate_len) < 0)
		return -EINVAL;
	mm->loaded = t;
	return 0;
}

static void guest_fault(struct task *t, const struct plat_event *ev)
{
	pte_t *e = pte_lookup(t->mm, ev->addr & PAGE_MASK, false);
	pte_t before = e ? *e : 0;
	int r;

	if (ev->addr >= TASK_SIZE) {
		/* A general protection fault, not a page fault. */
		force_sig_fault(SIGSEGV, SI_KERNEL, 0);
		return;
	}
	r = handle_mm_fault(t->mm, ev->addr, false);
	if (r == 0) {
		e = pte_lookup(t->mm, ev->addr & PAGE_MASK, false);
		/* Fixed, or changed since the host side last took the tables
		 * (by another thread): the flush before the retry puts it in. */
		if (!(before & PTE_PRESENT) || (before & (PTE_NEW | PTE_NEWPROT)) ||
		    !e || *e != before)
			return;
		r = -EACCES;		/* nothing to fix: the access is not allowed */
	}
	if (r == -EIO)
		force_sig_fault(SIGBUS, BUS_ADRERR, ev->addr);
	else if (r == -ENOMEM)
		pagefault_out_of_memory(t);	/* a report, a victim; then retry */
	else
		force_sig_fault(SIGSEGV, r == -EACCES ? SEGV_ACCERR : SEGV_MAPERR, ev->addr);
}

/*
 * A call into the host's vsyscall page (gettimeofday, time, getcpu at
 * 0xffffffffff600000 + 0x400 * n).  The host emulates those calls itself,
 * but asks seccomp first: the stub's filter answers SECCOMP_RET_TRAP, so
 * the host runs nothing, emulates the `ret` (rip = the caller, rsp + 8)
 * and stops the stub with SIGSYS naming the syscall.  We answer it as
 * Linux's vsyscall=xonly does: the syscall, and SIGSEGV if it faults.
 */
static void vsyscall_call(struct task *t, const struct plat_event *ev)
{
	if (ev->nr != __NR_gettimeofday && ev->nr != __NR_time && ev->nr != __NR_getcpu) {
		force_sig_fault(SIGSEGV, SEGV_MAPERR, ev->addr);
		return;
	}
	t->regs.orig_rax = (u64)ev->nr;
	do_syscall(t);
	t->regs.orig_rax = (u64)-1;	/* never restarted */
	if ((long)t->regs.rax == -EFAULT)
		force_sig_fault(SIGSEGV, SEGV_MAPERR, 0);
}

static bool is_vsyscall_trap(const struct plat_event *ev)
{
	return ev->sig == SIGSYS && ev->code == SYS_SECCOMP &&
	       (ev->addr & PAGE_MASK) == VSYSCALL_ADDR;
}

static void say_32bit(struct task *t, const struct plat_event *ev, bool last)
{
	const char *more = last ? " (further such messages suppressed)" : "";

	if (ev->kind == PLAT_EV_SYSCALL && t->regs.cs == OS_USER_CS)
		printk(KERN_ERR "%s[%d]: 32-bit syscall (int $0x80) at ip %llx: no IA32 "
		       "emulation, killed with SIGSEGV%s\n", t->comm, t->pid,
		       (unsigned long long)t->regs.rip, more);
	else
		printk(KERN_ERR "%s[%d]: running with code segment 0x%llx, stack segment 0x%llx "
		       "at ip %llx: no IA32 emulation, killed with SIGSEGV%s\n", t->comm, t->pid,
		       (unsigned long long)t->regs.cs, (unsigned long long)t->regs.ss,
		       (unsigned long long)t->regs.rip, more);
}

/*
 * The guest left 64-bit mode: a far jump, call or return to the 32-bit
 * code segment, or a 32-bit syscall entry (int $0x80, sysenter).  We have
 * no IA32 emulation, so the process dies with SIGSEGV as on a Linux built
 * without it; nothing of what it asked is done.
 */
static void refuse_32bit(struct task *t, const struct plat_event *ev)
{
	static int told;

	if (told < 20)		/* a ratelimit, as Linux's for segfault messages */
		say_32bit(t, ev, ++told == 20);
	t->regs.orig_rax = (u64)-1;
	t->sighand->action[SIGSEGV - 1].handler = 0;	/* SIG_DFL: no handler runs */
	force_sig_fault(SIGSEGV, SI_KERNEL, 0);
}

static void guest_signal(struct task *t, const struct plat_event *ev)
{
	t->regs.orig_rax = (u64)-1;
	if (is_vsyscall_trap(ev)) {
		vsyscall_call(t, ev);
		return;
	}
	switch (ev->sig) {
	case SIGSEGV:	/* SI_KERNEL: a general protection fault */
		force_sig_fault(SIGSEGV, SI_KERNEL, 0);
		break;
	case SIGTRAP:
		force_sig_fault(SIGTRAP, ev->code, ev->addr);
		break;
	case SIGBUS: case SIGILL: case SIGFPE:
		force_sig_fault(ev->sig, ev->code, ev->addr);
		break;
	default:	/* noise from the host */
		break;
	}
}

/* Work before the return to the guest.  May sleep. */
static void prepare_return(struct task *t)
{
	for (;;) {
		irq_process();
		if (need_resched)
			schedule();
		if (signal_pending(t)) {
			arch_regs_full(t);	/* the frame needs them all */
			do_signal();
		}
		if (!need_resched && !signal_pending(t))
			break;
	}
}

/*
 * Runs t's guest code until its next event (in t->event, registers in
 * t->regs).  -EAGAIN: a signal came while t waited for its host side (go
 * round again); other errors: the host side is dead.  May sleep.
 */
static int run_guest(struct task *t)
{
	struct mm *mm = t->mm;
	int r;

	while (mm->running && mm->running != t)	/* another thread of t's process */
		if (sleep_on(&mm->host_wait, true) < 0)
			return -EAGAIN;
	/* Only t's own call, with t's FPU state in place, is answered alone. */
	r = mm->partial && (mm->partial != t || mm->loaded != t) ? regs_complete(mm) : 0;
	if (r == 0)
		r = platform->mm_start(mm);
	if (r == 0)
		r = mm_flush(mm);
	if (r == 0)
		r = fpu_load(t);
	if (r == 0)
		r = platform->set_regs(mm, &t->regs);
	if (r < 0)
		return r;
	/* TASK_USER before the resume: an event may come at once. */
	mm->running = t;
	mm->partial = NULL;	/* its next event brings them all, or again a part */
	mm->acct_start = os_monotonic_ns();
	/* Held since it took the host side from another thread: the calls it
	 * makes on the way (each served and resumed without the host side
	 * going to anyone else) do not restart the tick it may hold it for. */
	if (mm->last_runner != t->pid || list_empty(&mm->host_wait.head)) {
		mm->last_runner = t->pid;
		mm->run_start = mm->acct_start;
	}
	t->state = TASK_USER;
	r = platform->resume(mm);
	if (r < 0) {
		mm->running = NULL;
		t->state = TASK_RUNNING;
		wake_up(&mm->host_wait);
		return r;
	}
	while (t->state == TASK_USER)
		schedule();
	return t->event.kind == PLAT_EV_EXIT ? -ESRCH : 0;
}

void __noreturn userspace_loop(void)
{
	struct task *t = current;

	for (;;) {
		prepare_return(t);
		int r = run_guest(t);
		const struct plat_event *ev = &t->event;

		if (r == -EAGAIN)
			continue;
		/*
		 * SIGKILL came while the event waited to be served (the halt,
		 * a group exit: both send it to each thread): the task dies
		 * without serving it, as Linux gives up a fault on a fatal
		 * signal.  prepare_return() always takes a thread's SIGKILL.
		 */
		if (r == 0 && (t->pending.signal & sigmask(SIGKILL)))
			continue;
		if (r < 0) {
			if (!system_halting)	/* else the host sides are gone on purpose */
				printk(KERN_ERR "pid %d: cannot run the guest (error %d): killed\n",
				       t->pid, r);
			do_exit_group(SIGKILL);
		}
		if (t->regs.cs != OS_USER_CS || t->regs.ss != OS_USER_DS ||
		    (ev->kind == PLAT_EV_SYSCALL && ev->compat))
			refuse_32bit(t, ev);
		else if (ev->kind == PLAT_EV_SYSCALL)
			do_syscall(t);
		else if (ev->kind == PLAT_EV_FAULT) {
			t->regs.orig_rax = (u64)-1;
			guest_fault(t, ev);
		} else if (ev->kind == PLAT_EV_SIGNAL)
			guest_signal(t, ev);
		else		/* PLAT_EV_INTERRUPTED: a signal, a tick, a shootdown */
			t->regs.orig_rax = (u64)-1;
	}
}

void __noreturn ret_from_fork(void)
{
	userspace_loop();
}
