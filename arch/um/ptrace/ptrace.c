/*
 * ptrace.c - the ptrace platform (mode=ptrace): its table of operations.
 *
 * Every address space's host side is a stub process (arch/um/stub, host
 * half in os-Linux/ptrace.c) traced by the kernel thread.  Guest code
 * runs there under PTRACE_SYSEMU: a guest syscall is a syscall stop, a
 * fault or trap a signal-delivery stop with its siginfo.  Mapping changes
 * go through the stub's data pages (physmem the kernel writes) and its op
 * loop, run under PTRACE_CONT with registers built from scratch.  All
 * stubs are children of the kernel thread, so one wait4(-1) collects the
 * events of every one of them: that is this platform's event loop wait.
 */
#include "kernel/platform.h"
#include "kernel/sched.h"
#include "kernel/mm.h"
#include "kernel/kernel.h"
#include "kernel/host_mm.h"
#include "uapi/asm-generic/siginfo.h"

extern const char stub_image[], stub_image_end[];

/*
 * A partial event: a syscall stop of a call served from its arguments
 * alone (arch_args_only_nr) is taken from PTRACE_GET_SYSCALL_INFO, which
 * the stop needs anyway (the entry's arch), without PTRACE_GETREGS; its
 * result goes back with one POKEUSER of rax instead of PTRACE_SETREGS.
 * The thread's other registers stay in the host, untouched: what needs
 * them first completes the event (pt_complete, a PTRACE_GETREGS); an op
 * loop run meanwhile (which loads registers of its own) saves them first.
 */
struct stub {
	struct host_mm h;	/* first: mm->host; running: under SYSEMU, its stop not collected */
	bool odd_base;		/* it holds a guest fs/gs base ptrace cannot set */
	bool partial;		/* its stop is a partial event, its registers in the host... */
	bool saved_valid;	/* ...or in saved (an op loop ran since) */
	struct os_regs regs;	/* the registers last set or fetched, the call's over them */
	struct os_regs saved;
	struct os_stub_entry entry;	/* read once at its start: never trusted later */
};

static u64 partial_calls, partial_completions;
_Static_assert(MAP_BATCH_MAX <= STUB_MAX_OPS - 1, "a batch and the dirty munmap fit");
_Static_assert(sizeof(struct map_op) == sizeof(struct stub_op), "map_op is a stub_op");

static LIST_HEAD(stubs);	/* every started stub, to find a pid's */

static inline struct stub *stub_of(struct mm *mm)
{
	return container_of((struct host_mm *)mm->host, struct stub, h);
}

static int pt_mm_create(struct mm *mm)
{
	struct stub *s = kzalloc(sizeof(*s));

	if (!s)
		return -ENOMEM;
	if (host_mm_init(&s->h, mm) < 0) {
		kfree(s);
		return -ENOMEM;
	}
	return 0;
}

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

static int pt_mm_start(struct mm *mm)
{
	struct stub *s = stub_of(mm);
	struct stub_data *d = page_address(s->h.data);
	int pid;

	if (s->h.pid > 0)
		return 0;
	if (s->h.pid < 0)
		return -ESRCH;		/* killed: the address space is dead */
	pid = os_stub_start(stub_image, stub_image_end - stub_image, physmem_fd,
			    page_to_phys(s->h.data), -1);
	if (pid < 0) {
		stub_start_failed(pid);
		return pid;
	}
	host_mm_attach(&s->h, pid, &stubs);
	/* Read once now, before guest code can write the data pages. */
	s->entry.run_ops = d->run_ops;
	s->entry.ops_done = d->ops_done;
	s->entry.stack_top = d->stack_top;
	return 0;
}

static void pt_mm_destroy(struct mm *mm)
{
	struct stub *s = stub_of(mm);

	host_mm_kill(mm);
	host_mm_release(&s->h);
	kfree(s);
}

/* Whether regs hold an fs/gs base the host's ptrace cannot write. */
static bool regs_odd_base(const struct os_regs *r)
{
	return r->fs_base >= OS_BASE_LIMIT || r->gs_base >= OS_BASE_LIMIT;
}

/* Why the op loop failed, and the stub is dead. */
static void oploop_failed(struct stub *s, int err, const struct os_event *ev)
{
	if (err == -ESRCH && (ev->status & 0x7f) == SIGSYS)
		printk(KERN_ERR "stub %d: killed by its seccomp filter: a host syscall "
		       "outside the op loop's\n", s->h.pid);
	else if (err == -ESRCH)
		printk(KERN_ERR "stub %d: died in the op loop (wait status 0x%x)\n",
		       s->h.pid, ev->status);
	else if (ev->kind == OS_EV_SIGNAL && ev->sig == 0)
		printk(KERN_ERR "stub %d: cannot load the op loop's registers (error %d): killed\n",
		       s->h.pid, ev->code);
	else
		printk(KERN_ERR "stub %d: unexpected stop in the op loop (signal %d code %d "
		       "addr 0x%llx): killed\n", s->h.pid, ev->sig, ev->code,
		       (unsigned long long)ev->addr);
}

/*
 * Runs ops in the stub; 0 or -errno.  The registers are the platform's
 * own (os_stub_run_ops), never the guest's.  A stub that fails there is
 * dead: every task on the mm gets -ESRCH from now on, so the guest
 * process is killed, nothing else.
 */
static int pt_apply_batch(struct mm *mm, const struct map_op *ops, unsigned int n)
{
	struct stub *s = stub_of(mm);
	struct stub_data *d = page_address(s->h.data);
	struct os_event ev;
	int err;

	if (n > MAP_BATCH_MAX)
		return -EINVAL;
	if (n == 0 && !s->h.dirty)
		return 0;
	if (s->h.pid <= 0)
		return -ESRCH;
	if (s->h.running)
		return -EBUSY;		/* the loop stops it first */
	d->nops = 0;
	if (s->h.dirty)		/* first clear what an old image left */
		d->ops[d->nops++] = (struct stub_op){ STUB_OP_MUNMAP, 0, TASK_SIZE, 0, 0 };
	memcpy(&d->ops[d->nops], ops, n * sizeof(*ops));
	d->nops += n;
	d->err = -EINTR;	/* the stub clears it when its loop starts */
	if (s->partial && !s->saved_valid) {	/* the loop loads its own registers */
		if (os_stub_get_regs(s->h.pid, &s->saved) < 0)
			return -ESRCH;
		s->odd_base = regs_odd_base(&s->saved);
		s->saved_valid = true;
	}
	err = os_stub_run_ops(s->h.pid, &s->entry, s->odd_base, &ev);
	if (err) {
		oploop_failed(s, err, &ev);
		host_mm_dead(&s->h);
		err = -ESRCH;
	} else if (d->err) {
		printk(KERN_ERR "stub %d: op %llu failed: %lld\n", s->h.pid,
		       (unsigned long long)d->failed, (long long)d->err);
		err = (int)d->err;
	} else {
		s->h.dirty = false;
	}
	d->nops = 0;
	return err;
}

/* A partial event's answer: its result alone (the thread's own registers
 * are in the host, or saved across an op loop). */
static int set_result(struct stub *s, u64 rax)
{
	if (!s->saved_valid)
		return os_stub_set_rax(s->h.pid, rax) < 0 ? -ESRCH : 0;
	s->saved.rax = rax;
	if (os_stub_set_regs(s->h.pid, &s->saved) < 0)
		return -ESRCH;
	s->saved_valid = false;
	return 0;
}

static int pt_set_regs(struct mm *mm, const struct os_regs *r)
{
	struct stub *s = stub_of(mm);

	if (s->h.pid <= 0)
		return -ESRCH;
	if (s->partial) {
		if (set_result(s, r->rax) < 0)
			return -ESRCH;
		s->regs.rax = r->rax;
		return 0;
	}
	if (os_stub_set_regs(s->h.pid, r) < 0)
		return -ESRCH;
	s->odd_base = regs_odd_base(r);
	s->regs = *r;
	return 0;
}

static int pt_get_regs(struct mm *mm, struct os_regs *r)
{
	struct stub *s = stub_of(mm);

	if (s->h.pid <= 0)
		return -ESRCH;
	if (s->partial) {
		*r = s->regs;
		return 0;
	}
	if (os_stub_get_regs(s->h.pid, r) < 0)
		return -ESRCH;
	s->odd_base = regs_odd_base(r);	/* wrfsbase, say */
	s->regs = *r;
	return 0;
}

/* The whole register set of a partial event's thread: *r keeps its rax
 * and orig_rax (the call's); from now on it is an ordinary stop. */
static int pt_complete(struct mm *mm, struct os_regs *r)
{
	struct stub *s = stub_of(mm);
	struct os_regs full;

	if (!s->partial)
		return 0;
	s->partial = false;
	if (s->h.pid <= 0)
		return -ESRCH;
	if (s->saved_valid)
		full = s->saved;
	else if (os_stub_get_regs(s->h.pid, &full) < 0)
		return -ESRCH;
	s->saved_valid = false;
	s->odd_base = regs_odd_base(&full);
	full.rax = r->rax;
	full.orig_rax = r->orig_rax;
	partial_completions++;
	*r = s->regs = full;
	return 0;
}

/* A syscall stop with its call's registers over the last known ones. */
static bool partial_event(struct stub *s, const struct os_event *o, struct plat_event *e)
{
	struct os_regs *r = &s->regs;

	if (!o->info || !arch_args_only_nr(o->nr))
		return false;
	s->partial = true;
	s->saved_valid = false;
	e->partial = true;
	e->partial_sp = true;
	r->rdi = o->args[0];
	r->rsi = o->args[1];
	r->rdx = o->args[2];
	r->r10 = o->args[3];
	r->r8 = o->args[4];
	r->r9 = o->args[5];
	r->orig_rax = (u64)o->nr;
	r->rax = (u64)-ENOSYS;
	r->rip = o->ip;
	r->rsp = o->sp;
	partial_calls++;
	return true;
}

static int pt_get_fpu(struct mm *mm, void *buf, u32 len)
{
	struct stub *s = stub_of(mm);

	if (s->h.pid <= 0 || s->h.running)
		return -ESRCH;
	return os_stub_get_xstate(s->h.pid, buf, len);
}

static int pt_set_fpu(struct mm *mm, const void *buf, u32 len)
{
	struct stub *s = stub_of(mm);

	if (s->h.pid <= 0 || s->h.running)
		return -ESRCH;
	return os_stub_set_xstate(s->h.pid, buf, len) < 0 ? -EINVAL : 0;
}

static int pt_resume(struct mm *mm)
{
	struct stub *s = stub_of(mm);

	if (s->h.pid <= 0)
		return -ESRCH;
	if (s->h.dirty) {		/* exec mapped nothing before running */
		int r = pt_apply_batch(mm, NULL, 0);

		if (r < 0)
			return r;
	}
	if (s->partial && s->saved_valid && set_result(s, s->regs.rax) < 0)
		return -ESRCH;		/* an op loop after the answer */
	if (os_stub_resume(s->h.pid, 1) < 0)
		return -ESRCH;
	s->partial = false;
	s->h.running = true;
	return 0;
}

static void convert(const struct os_event *o, struct plat_event *e)
{
	memset(e, 0, sizeof(*e));
	switch (o->kind) {
	case OS_EV_SYSCALL:
		e->kind = PLAT_EV_SYSCALL;
		e->compat = o->compat;
		return;
	case OS_EV_EXITED:
		e->kind = PLAT_EV_EXIT;
		e->status = o->status;
		return;
	}
	e->sig = o->sig;
	e->code = o->code;
	e->addr = o->addr;
	e->nr = o->nr;
	if (o->sig == SIGVTALRM && o->from_us)
		e->kind = PLAT_EV_INTERRUPTED;	/* our own os_stub_interrupt */
	else if (o->sig == SIGSEGV && o->code != SI_KERNEL)
		e->kind = PLAT_EV_FAULT;	/* SI_KERNEL: a general protection fault */
	else
		e->kind = PLAT_EV_SIGNAL;
	e->access = PLAT_ACC_UNKNOWN;	/* siginfo does not say */
}

static struct stub *stub_by_pid(int pid)
{
	struct host_mm *h = host_mm_by_pid(&stubs, pid);

	return h ? container_of(h, struct stub, h) : NULL;
}

static int pt_wait(struct mm **who, struct plat_event *ev, bool block)
{
	struct os_event oe;
	struct stub *s;
	int pid = os_stub_wait_any(&oe, block);

	*who = NULL;
	if (pid == 0 || pid == -ECHILD)
		return -EAGAIN;
	if (pid < 0)
		return pid;
	s = stub_by_pid(pid);
	if (!s)
		return 0;	/* not a stub (an oops report's helper, say) */
	if (oe.kind == OS_EV_EXITED) {
		bool was_running = s->h.running;

		host_mm_dead(&s->h);
		if (!was_running)
			return 0;	/* killed from outside while stopped */
	} else if (!s->h.running) {
		return 0;	/* cannot happen: a stopped stub does not stop again */
	}
	s->h.running = false;
	convert(&oe, ev);
	if (ev->kind == PLAT_EV_SYSCALL && !ev->compat)
		partial_event(s, &oe, ev);
	*who = s->h.mm;
	return 0;
}

static void pt_interrupt(struct mm *mm)
{
	struct stub *s = stub_of(mm);

	if (s->h.running)
		os_stub_interrupt(s->h.pid);
}

static int pt_stop(struct mm *mm, struct plat_event *ev)
{
	struct stub *s = stub_of(mm);
	struct os_event oe;

	if (!s->h.running)
		return -EAGAIN;
	os_stub_interrupt(s->h.pid);
	if (os_stub_wait(s->h.pid, &oe, 0) < 0) {
		oe.kind = OS_EV_EXITED;
		oe.status = 0;
	}
	s->h.running = false;
	if (oe.kind == OS_EV_EXITED)
		host_mm_dead(&s->h);
	convert(&oe, ev);
	return 0;
}

/* The stub's CPU time, through its process CPU clock. */
static s64 pt_cputime(struct mm *mm, int *who)
{
	struct stub *s = stub_of(mm);

	if (s == NULL || s->h.pid <= 0)
		return -ESRCH;
	*who = s->h.pid;
	return os_process_cputime_ns(s->h.pid);
}

static void pt_stats(char *buf, size_t len)
{
	ksnprintf(buf, len, "partial_calls %llu\npartial_completions %llu\n",
		  (unsigned long long)partial_calls, (unsigned long long)partial_completions);
}

const struct platform_ops ptrace_platform = {
	.name = "ptrace",
	.mm_create = pt_mm_create,
	.mm_start = pt_mm_start,
	.mm_destroy = pt_mm_destroy,
	.mm_exec = host_mm_exec,
	.mm_started = host_mm_started,
	.apply_batch = pt_apply_batch,
	.set_regs = pt_set_regs,
	.get_regs = pt_get_regs,
	.get_fpu = pt_get_fpu,
	.set_fpu = pt_set_fpu,
	.resume = pt_resume,
	.wait = pt_wait,
	.interrupt = pt_interrupt,
	.stop = pt_stop,
	.kill = host_mm_kill,
	.cputime = pt_cputime,
	.complete = pt_complete,
	.stats = pt_stats,
};
