/*
 * process.c - running guest code: the ptrace platform's run loop.
 *
 * A task in user mode lives in userspace_loop(): on the way out it takes
 * interrupts, reschedules, delivers signals, mirrors page-table changes
 * into its stub and loads its registers (and its FPU state, if another
 * task used the stub last); then it resumes the stub under PTRACE_SYSEMU
 * and waits for the next event: a syscall, a fault or another signal.
 */
#include "kernel/sched.h"
#include "kernel/cputime.h"
#include "kernel/mm.h"
#include "kernel/kernel.h"
#include "uapi/asm/unistd_64.h"
#include "uapi/asm-generic/siginfo.h"

extern const char stub_image[], stub_image_end[];

#define VSYSCALL_ADDR	0xffffffffff600000ULL
void do_syscall(struct task *t);

/* May sleep (and not return: a machine that cannot run guests halts). */
static void stub_start_failed(int err)
{
	if (err == -EPERM) {
		/* Every stub would fail the same way: stop now, say why. */
		printk(KERN_ERR "linux: cannot start a stub process: ./linux is traced together "
		       "with its children (strace -f, or a debugger following forks), and the "
		       "ptrace platform must trace its stubs itself; trace ./linux alone "
		       "(strace without -f)\n");
		machine_halt(1);
	} else if (err == -ENOSYS)
		printk(KERN_ERR "cannot start a stub process: it could not install its "
		       "seccomp filter (the host needs seccomp-bpf)\n");
	else
		printk(KERN_ERR "cannot start a stub process: error %d\n", err);
}

int arch_mm_activate(struct mm *mm)
{
	struct stub_data *d = page_address(mm->stub_data);
	int pid;

	if (mm->stub_pid > 0)
		return 0;
	if (mm->stub_pid < 0)
		return -ESRCH;		/* killed: the address space is dead */
	pid = os_stub_start(stub_image, stub_image_end - stub_image, physmem_fd,
			    page_to_phys(mm->stub_data));
	if (pid < 0) {
		stub_start_failed(pid);
		return pid;
	}
	mm->stub_pid = pid;
	/* Read once now, before guest code can write the data pages. */
	mm->stub_entry.run_ops = d->run_ops;
	mm->stub_entry.ops_done = d->ops_done;
	mm->stub_entry.stack_top = d->stack_top;
	mm->loaded = NULL;
	return 0;
}

void arch_fpu_sync(struct task *t)
{
	int n;

	if (!t->mm || !t->mm->stub_pid || t->mm->loaded != t)
		return;
	n = os_stub_get_xstate(t->mm->stub_pid, t->xstate, os_xstate_size());
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

/* Makes the stub hold t's FPU state. */
static int fpu_load(struct task *t)
{
	struct mm *mm = t->mm;

	if (mm->loaded == t)
		return 0;
	if (mm->loaded)
		arch_fpu_sync(mm->loaded);
	/* A task with no saved state yet takes the state the stub holds. */
	if (t->xstate_valid && os_stub_set_xstate(mm->stub_pid, t->xstate, t->xstate_len) < 0)
		return -EINVAL;
	mm->loaded = t;
	return 0;
}

static void guest_fault(struct task *t, const struct os_event *ev)
{
	pte_t *e = pte_lookup(t->mm, ev->addr & PAGE_MASK, false);
	pte_t before = e ? *e : 0;
	int r;

	if (ev->code == SI_KERNEL || ev->addr >= TASK_SIZE) {
		/* A general protection fault, not a page fault. */
		force_sig_fault(SIGSEGV, SI_KERNEL, 0);
		return;
	}
	r = handle_mm_fault(t->mm, ev->addr, false);
	if (r == 0) {
		e = pte_lookup(t->mm, ev->addr & PAGE_MASK, false);
		if (!(before & PTE_PRESENT) || !e || *e != before)
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
static void vsyscall_call(struct task *t, const struct os_event *ev)
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

static bool is_vsyscall_trap(const struct os_event *ev)
{
	return ev->sig == SIGSYS && ev->code == SYS_SECCOMP &&
	       (ev->addr & PAGE_MASK) == VSYSCALL_ADDR;
}

static void say_32bit(struct task *t, const struct os_event *ev, bool last)
{
	const char *more = last ? " (further such messages suppressed)" : "";

	if (ev->kind == OS_EV_SYSCALL && t->regs.cs == OS_USER_CS)
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
static void refuse_32bit(struct task *t, const struct os_event *ev)
{
	static int told;

	if (told < 20)		/* a ratelimit, as Linux's for segfault messages */
		say_32bit(t, ev, ++told == 20);
	t->regs.orig_rax = (u64)-1;
	t->sighand->action[SIGSEGV - 1].handler = 0;	/* SIG_DFL: no handler runs */
	force_sig_fault(SIGSEGV, SI_KERNEL, 0);
}

static void guest_signal(struct task *t, const struct os_event *ev)
{
	t->regs.orig_rax = (u64)-1;
	if (is_vsyscall_trap(ev)) {
		vsyscall_call(t, ev);
		return;
	}
	switch (ev->sig) {
	case SIGSEGV:
		guest_fault(t, ev);
		break;
	case SIGTRAP:
		force_sig_fault(SIGTRAP, ev->code, ev->addr);
		break;
	case SIGBUS: case SIGILL: case SIGFPE:
		force_sig_fault(ev->sig, ev->code, ev->addr);
		break;
	default:	/* our own preemption signal, or noise from the host */
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
		if (signal_pending(t))
			do_signal();
		if (!need_resched && !signal_pending(t))
			break;
	}
}

/* Whether regs hold an fs/gs base the host's ptrace cannot write. */
static bool regs_odd_base(const struct os_regs *r)
{
	return r->fs_base >= OS_BASE_LIMIT || r->gs_base >= OS_BASE_LIMIT;
}

/* Runs t's guest code until the next event. */
static int run_guest(struct task *t, struct os_event *ev)
{
	struct mm *mm = t->mm;
	u64 start;
	int pid, r;

	r = arch_mm_activate(mm);
	if (r == 0)
		r = mm_flush(mm);
	if (r == 0)
		r = fpu_load(t);
	if (r < 0)
		return r;
	pid = mm->stub_pid;
	if (os_stub_set_regs(pid, &t->regs) < 0 || os_stub_resume(pid, 1) < 0)
		return -ESRCH;
	mm->stub_odd_base = regs_odd_base(&t->regs);
	start = os_monotonic_ns();
	for (;;) {
		r = os_stub_wait(pid, ev, 1);
		if (r == 0)
			break;
		if (r != -EINTR)
			return r;
		irq_process();
		account_guest(t, os_monotonic_ns() - start);	/* a spinning guest's timers */
		start = os_monotonic_ns();
		if (need_resched || signal_pending(t))
			os_stub_interrupt(pid);
	}
	account_guest(t, os_monotonic_ns() - start);	/* the guest ran all along */
	if (ev->kind == OS_EV_EXITED)
		return -ESRCH;
	if (os_stub_get_regs(pid, &t->regs) < 0)
		return -ESRCH;
	mm->stub_odd_base = regs_odd_base(&t->regs);	/* wrfsbase, say */
	return 0;
}

void __noreturn userspace_loop(void)
{
	struct task *t = current;
	struct os_event ev;

	for (;;) {
		prepare_return(t);
		int r = run_guest(t, &ev);

		if (r < 0) {
			if (!system_halting)	/* else the stubs are gone on purpose */
				printk(KERN_ERR "pid %d: cannot run the guest (error %d): killed\n",
				       t->pid, r);
			do_exit_group(SIGKILL);
		}
		if (t->regs.cs != OS_USER_CS || t->regs.ss != OS_USER_DS ||
		    (ev.kind == OS_EV_SYSCALL && ev.compat))
			refuse_32bit(t, &ev);
		else if (ev.kind == OS_EV_SYSCALL)
			do_syscall(t);
		else
			guest_signal(t, &ev);
	}
}

void __noreturn ret_from_fork(void)
{
	userspace_loop();
}
