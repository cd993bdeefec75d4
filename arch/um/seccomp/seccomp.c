/*
 * seccomp.c - the seccomp platform (mode=seccomp): its table of operations.
 *
 * Every address space's host side is a stub process with two threads
 * (include/shared/stub.h).  Its guest thread runs guest code under a
 * seccomp filter that traps every syscall: the trap, like a fault or the
 * kernel's preemption signal, runs the stub's handler on the thread's
 * sigaltstack, in its region (physmem the kernel maps too), which reports
 * it in the control page and waits on the futex word there.  The kernel
 * reads the registers from the signal frame the host wrote, serves the
 * event, writes the registers back into that frame and sets the word:
 * the handler returns through rt_sigreturn into the guest.  No ptrace
 * stop, no register-set syscall: one futex hand-off each way.
 *
 * Address-space changes are made by the other thread, the mm thread,
 * which the kernel traces and runs (os_sc_run_ops) through an op loop
 * that keeps its state in registers and reads its operations from the
 * data pages, read-only in the stub, while the guest thread waits in its
 * handler: the changes pending when a thread is resumed are applied in
 * the same trip (mm_flush before resume).
 *
 * Everything in the region is the guest's to write: the frame's address
 * and contents are read once and checked (os_sc_frame_read); a frame the
 * kernel cannot use kills that guest process only.  docs/security.md has
 * the threat model.
 */
#include "kernel/platform.h"
#include "kernel/sched.h"
#include "kernel/mm.h"
#include "kernel/kernel.h"
#include "kernel/host_mm.h"
#include "kernel/string.h"
#include "uapi/asm-generic/siginfo.h"
#include "notif.h"

#define VSYSCALL_ADDR	0xffffffffff600000ULL
#define AUDIT_ARCH_X86_64_ 0xc000003eU
/*
 * A guest thread that leaves the preemption signal unanswered is looked
 * at every KICK_CHECK_NS (the signal sent again, its host state read):
 * a slow host only delays it, so it is killed only once the host shows it
 * blocked the signal (which only a forged rt_sigreturn does): it ran
 * KICK_CPU_NS of CPU time with the signal pending (the handler answers
 * within microseconds of CPU time once the signal is delivered), or two
 * looks in a row found it asleep with the signal blocked (a correct
 * thread sleeps with it blocked only in the handler, after it answered).
 */
#define KICK_CHECK_NS	(1000000000ULL)
#define KICK_CPU_NS	(100 * 1000000ULL)
/* The stub's own start (no guest code ran yet): a broken host only. */
#define HELLO_NS	(60 * 1000000000ULL)
#define REGION_ORDER	4
_Static_assert((1 << REGION_ORDER) == STUB_SC_REGION_PAGES, "region order");

extern const char stub_image[], stub_image_end[];

struct sc_host {
	struct host_mm h;	/* first: mm->host; data: the mm thread's operations
				 * (read-only there); running: its request not collected */
	int tid;		/* its guest thread */
	struct page *region;	/* control page and sigaltstack */
	u64 oploop, oploop_done;	/* read once, before guest code ran */
	struct os_sc_frame f;	/* the frame of the last request, checked */
	struct os_regs regs;	/* its registers */
	u64 kicked;		/* when an unanswered preemption signal went */
	u64 next_check;		/* when to look at that thread again */
	u64 first_cpu;		/* its CPU time at the first look */
	int looks;		/* looks so far since the signal went */
	int asleep;		/* looks in a row: asleep with the signal blocked */
	struct scn n;		/* its listener, if any (notif.c) */
};

static LIST_HEAD(hosts);
static u32 reaped_seq = ~0U;	/* child_seq when sc_wait last reaped them all */
static int sc_stop(struct mm *mm, struct plat_event *ev);
static int take_trap(struct sc_host *s, u64 rax, u64 orig_rax, u64 ip);

static inline struct sc_host *host_of(struct mm *mm)
{
	return container_of((struct host_mm *)mm->host, struct sc_host, h);
}

static inline struct stub_sc_ctl *ctl_of(struct sc_host *s)
{
	return page_address(s->region);
}

static int sc_mm_create(struct mm *mm)
{
	struct sc_host *s = kzalloc(sizeof(*s));

	if (!s)
		return -ENOMEM;
	s->region = alloc_pages(REGION_ORDER);
	if (!s->region || host_mm_init(&s->h, mm) < 0) {
		if (s->region)
			free_pages(s->region, REGION_ORDER);
		kfree(s);
		return -ENOMEM;
	}
	scn_init(&s->n);
	return 0;
}

/* Its host process is gone: its listener too. */
static void sc_host_dead(struct sc_host *s)
{
	scn_detach(&s->n);
	host_mm_dead(&s->h);
}

/*
 * The process first, its listener after: a thread that waits in a
 * notification returns -ENOSYS from it once the listener is gone, and
 * the stub's handler calls its futex again at once.  Closed first, that
 * spun until the kill came, a whole time slice where the kernel shares
 * the stub's CPU (a fork+exit+wait cost 10x ptrace's pinned).
 */
static void sc_kill(struct mm *mm)
{
	host_mm_kill(mm);
	scn_detach(&host_of(mm)->n);
}

/* Takes the request the handler made: its frame, its registers, what
 * kind of event it is.  false: the request is not usable (the guest
 * forged it): the process is killed. */
static bool take_request(struct sc_host *s, struct plat_event *e)
{
	struct stub_sc_ctl c;

	memcpy(&c, ctl_of(s), sizeof(c));	/* once */
	memset(e, 0, sizeof(*e));
	if (os_sc_frame_read(page_address(s->region), c.frame, &s->f, &s->regs) < 0) {
		printk(KERN_ERR "stub %d: a request with a frame outside its region: killed\n",
		       s->h.pid);
		sc_kill(s->h.mm);
		e->kind = PLAT_EV_EXIT;
		return false;
	}
	s->regs.fs_base = c.fs_base;
	s->regs.gs_base = c.gs_base;
	s->kicked = 0;
	s->looks = 0;
	e->sig = (int)c.signo;
	e->code = c.code;
	e->addr = c.addr;
	if (c.signo == SIGSYS && c.code == SYS_SECCOMP && (c.addr & PAGE_MASK) != VSYSCALL_ADDR) {
		/* A trapped syscall: the host rolled rax back to its number. */
		e->kind = PLAT_EV_SYSCALL;
		e->compat = c.arch != AUDIT_ARCH_X86_64_;
		e->sig = e->code = 0;
		e->addr = 0;
		s->regs.orig_rax = s->regs.rax;
		s->regs.rax = (u64)-ENOSYS;
	} else if (c.signo == SIGVTALRM) {
		e->kind = PLAT_EV_INTERRUPTED;
	} else if (c.signo == SIGSEGV && c.code != SI_KERNEL) {
		e->kind = PLAT_EV_FAULT;
		e->access = (s->f.err & 0x10) ? PLAT_ACC_EXEC :
			    (s->f.err & 0x2) ? PLAT_ACC_WRITE : PLAT_ACC_READ;
	} else {
		e->kind = PLAT_EV_SIGNAL;	/* the vsyscall page's SIGSYS among them */
		if (c.signo == SIGSYS)
			e->nr = c.nr;
	}
	return true;
}

static void start_failed(int err)
{
	if (err == -EPERM) {
		printk(KERN_ERR "linux: cannot start a stub process: ./linux is traced together "
		       "with its children (strace -f, or a debugger following forks), and the "
		       "seccomp platform must trace its stubs' mm threads itself; trace ./linux "
		       "alone (strace without -f)\n");
		machine_halt(1);
	} else if (err == -ENOSYS) {
		printk(KERN_ERR "cannot start a stub process: it could not install its "
		       "seccomp filters\n");
	} else {
		printk(KERN_ERR "cannot start a stub process: error %d\n", err);
	}
}

/* Waits for the guest thread's first request, its hello (no guest code
 * has run yet): true once it came. */
static bool hello(struct sc_host *s)
{
	volatile u32 *word = &ctl_of(s)->state;
	u64 start = os_monotonic_ns();
	int status;

	for (;;) {
		u32 seq = os_sc_child_seq();

		if (__atomic_load_n(word, __ATOMIC_ACQUIRE) == STUB_SC_REQ)
			return true;
		if (os_sc_reap_pid(s->h.pid, &status) == s->h.pid) {
			printk(KERN_ERR "stub %d: died at its start (wait status 0x%x)\n",
			       s->h.pid, status);
			sc_host_dead(s);
			return false;
		}
		if (os_monotonic_ns() - start >= HELLO_NS)
			return false;
		os_sc_wait(&word, 1, 10 * 1000000, false, seq);
	}
}

/*
 * With a listener: the guest thread's first request hands it over (its
 * fd in the control page, read before guest code ran); the kernel takes
 * it, lets the thread go on (it closes its copy) and answers the bell.
 * true once the thread's next request, the hello, is there.
 */
static bool notif_hello(struct sc_host *s)
{
	struct stub_sc_ctl *c = ctl_of(s);
	volatile u32 *word = &c->state;
	struct os_scn_req req;
	struct plat_event e;
	u64 start;
	int status;

	int r;

	if (!hello(s) || (s->tid = c->tid) <= 0 || s->tid == s->h.pid)
		return false;
	r = scn_attach(&s->n, s->h.pid, c);
	if (r < 0) {
		printk(KERN_ERR "stub %d: cannot take its listener (fd %d): error %d\n", s->h.pid,
		       (int)c->listener, r);
		return false;
	}
	if (!take_request(s, &e) || e.kind != PLAT_EV_SYSCALL)
		return false;
	os_sc_frame_write(page_address(s->region), &s->f, &s->regs);
	__atomic_store_n(word, STUB_SC_RUN, __ATOMIC_RELEASE);
	os_sc_wake(word);
	for (start = os_monotonic_ns();;) {
		u32 seq = os_sc_child_seq();
		short rev;

		if (__atomic_load_n(word, __ATOMIC_ACQUIRE) == STUB_SC_REQ) {
			s->n.bell_due = !s->n.bell_held;
			return true;
		}
		if (os_sc_reap_pid(s->h.pid, &status) == s->h.pid) {
			sc_host_dead(s);
			return false;
		}
		if (os_monotonic_ns() - start >= HELLO_NS)
			return false;
		if (os_scn_wait(&s->n.fd, 1, &rev, 10 * 1000000, false, seq) > 0 &&
		    scn_take(&s->n, __atomic_load_n(word, __ATOMIC_ACQUIRE) == STUB_SC_REQ,
			     s->tid, &req) > 0)
			return false;	/* a guest call before any guest code */
	}
}

static int sc_mm_start(struct mm *mm)
{
	struct sc_host *s = host_of(mm);
	struct stub_data *d = page_address(s->h.data);
	struct stub_sc_ctl *c = ctl_of(s);
	struct plat_event e;
	int pid;

	if (s->h.pid > 0)
		return 0;
	if (s->h.pid < 0)
		return -ESRCH;
	memset(c, 0, PAGE_SIZE);
	scn_request(c);
	pid = os_stub_start(stub_image, stub_image_end - stub_image, physmem_fd,
			    page_to_phys(s->h.data), (s64)page_to_phys(s->region));
	if (pid < 0) {
		start_failed(pid);
		return pid;
	}
	host_mm_attach(&s->h, pid, &hosts);
	/* Read once now, before guest code ran: the stub's own words. */
	s->oploop = d->sc_oploop;
	s->oploop_done = d->sc_oploop_done;
	if (c->notif && !notif_hello(s)) {
		if (s->h.pid > 0) {
			printk(KERN_ERR "stub %d: no listener at its start: killed\n", pid);
			sc_kill(mm);
		}
		return -ESRCH;
	}
	if (!hello(s) || (s->tid = c->tid) <= 0 || s->tid == pid || !take_request(s, &e) ||
	    e.kind != PLAT_EV_SYSCALL) {
		if (s->h.pid > 0) {
			printk(KERN_ERR "stub %d: no guest thread at its start: killed\n", pid);
			sc_kill(mm);
		}
		return -ESRCH;
	}
	return 0;
}

static void sc_mm_destroy(struct mm *mm)
{
	struct sc_host *s = host_of(mm);

	sc_kill(mm);
	host_mm_release(&s->h);
	free_pages(s->region, REGION_ORDER);
	kfree(s);
}

static int sc_apply_batch(struct mm *mm, const struct map_op *ops, unsigned int n)
{
	struct sc_host *s = host_of(mm);
	struct stub_data *d = page_address(s->h.data);
	struct os_event ev;
	u64 failed = 0, k = 0;
	int err;

	if (n > MAP_BATCH_MAX)
		return -EINVAL;
	if (n == 0 && !s->h.dirty)
		return 0;
	if (s->h.pid <= 0)
		return -ESRCH;
	if (s->h.running)
		return -EBUSY;
	if (s->h.dirty)
		d->ops[k++] = (struct stub_op){ STUB_OP_MUNMAP, 0, TASK_SIZE, 0, 0 };
	memcpy(&d->ops[k], ops, n * sizeof(*ops));
	k += n;
	err = os_sc_run_ops(s->h.pid, s->oploop, s->oploop_done,
			    STUB_DATA + offsetof(struct stub_data, ops), k, &failed, &ev);
	if (err == -ESRCH || err == -EPERM) {
		if (err == -ESRCH && ev.kind == OS_EV_EXITED && (ev.status & 0x7f) == SIGSYS)
			printk(KERN_ERR "stub %d: killed by its seccomp filter\n", s->h.pid);
		else
			printk(KERN_ERR "stub %d: its mm thread stopped outside the op loop "
			       "(signal %d code %d): killed\n", s->h.pid, ev.sig, ev.code);
		sc_kill(mm);
		return -ESRCH;
	}
	if (err) {
		printk(KERN_ERR "stub %d: op %llu failed: %d\n", s->h.pid,
		       (unsigned long long)failed, err);
		return err;
	}
	s->h.dirty = false;
	return 0;
}

static bool canonical(u64 a)
{
	return (u64)((s64)(a << 16) >> 16) == a;
}

static int sc_set_regs(struct mm *mm, const struct os_regs *r)
{
	struct sc_host *s = host_of(mm);
	struct stub_sc_ctl *c = ctl_of(s);

	if (s->h.pid <= 0 || s->h.running)
		return -ESRCH;
	if (!canonical(r->fs_base) || !canonical(r->gs_base))
		return -EINVAL;
	if (s->n.held) {	/* the reply takes rax alone (sc_resume) */
		s->regs = *r;
		return 0;
	}
	os_sc_frame_write(page_address(s->region), &s->f, r);
	c->fs_base = r->fs_base;
	c->gs_base = r->gs_base;
	s->regs = *r;
	return 0;
}

static int sc_get_regs(struct mm *mm, struct os_regs *r)
{
	struct sc_host *s = host_of(mm);

	if (s->h.pid <= 0)
		return -ESRCH;
	*r = s->regs;
	return 0;
}

static int sc_get_fpu(struct mm *mm, void *buf, u32 len)
{
	struct sc_host *s = host_of(mm);

	if (s->h.pid <= 0 || s->h.running)
		return -ESRCH;
	if (s->n.held)		/* in the thread, not in a frame: sc_complete first */
		return -EBUSY;
	return os_sc_get_xstate(page_address(s->region), &s->f, buf, len);
}

static int sc_set_fpu(struct mm *mm, const void *buf, u32 len)
{
	struct sc_host *s = host_of(mm);

	if (s->h.pid <= 0 || s->h.running)
		return -ESRCH;
	if (s->n.held)
		return -EBUSY;
	return os_sc_set_xstate(page_address(s->region), &s->f, buf, len);
}

static int sc_resume(struct mm *mm)
{
	struct sc_host *s = host_of(mm);
	struct stub_sc_ctl *c;

	if (s->h.pid <= 0)
		return -ESRCH;
	if (s->h.dirty) {
		int r = sc_apply_batch(mm, NULL, 0);

		if (r < 0)
			return r;
	}
	if (s->n.held) {
		/* A notification: its reply is the resume. */
		if (scn_reply(&s->n, (s64)s->regs.rax) == 0) {
			s->h.running = true;
			s->kicked = 0;
			s->looks = 0;
			return 0;
		}
		/* Its thread left the call for a preemption signal: its trap
		 * comes with the registers; the result goes into them. */
		scn_stats.lost++;
		if (take_trap(s, s->regs.rax, s->regs.orig_rax, s->n.ip) < 0)
			return -ESRCH;
	}
	c = ctl_of(s);
	s->h.running = true;
	s->kicked = 0;
	s->looks = 0;
	__atomic_store_n(&c->state, STUB_SC_RUN, __ATOMIC_RELEASE);
	os_sc_wake(&c->state);
	scn_ring(&s->n, true);
	return 0;
}

/* A guest call that came as a notification: the event, with the
 * registers it gives (the arguments, the number, where it returns). */
static void notif_event(struct sc_host *s, const struct os_scn_req *q, struct plat_event *e)
{
	struct os_regs *r = &s->regs;

	s->h.running = false;
	s->n.doomed = s->kicked != 0;	/* a preemption signal is on its way */
	s->kicked = 0;
	s->looks = 0;
	memset(e, 0, sizeof(*e));
	e->kind = PLAT_EV_SYSCALL;
	e->partial = true;
	r->rdi = q->args[0];
	r->rsi = q->args[1];
	r->rdx = q->args[2];
	r->r10 = q->args[3];
	r->r8 = q->args[4];
	r->r9 = q->args[5];
	r->orig_rax = (u64)q->nr;
	r->rax = (u64)-ENOSYS;
	r->rip = q->ip;
}

/*
 * Waits for the trap of a thread that waits in a notification (kicked out
 * of it by sc_stop's preemption signal, or by an earlier one): its
 * registers, with the call's result rax, orig_rax and return address ip
 * (the host may have rolled it back to restart the call).
 */
static int take_trap(struct sc_host *s, u64 rax, u64 orig_rax, u64 ip)
{
	struct plat_event ev;

	s->h.running = true;
	if (sc_stop(s->h.mm, &ev) < 0 || ev.kind == PLAT_EV_EXIT)
		return -ESRCH;
	s->regs.rax = rax;
	s->regs.orig_rax = orig_rax;
	s->regs.rip = ip;
	os_sc_frame_write(page_address(s->region), &s->f, &s->regs);
	return 0;
}

/* The whole register set of the thread whose call waits as a
 * notification: *r keeps its rax and orig_rax (the call's). */
static int sc_complete(struct mm *mm, struct os_regs *r)
{
	struct sc_host *s = host_of(mm);

	if (!s->n.held)
		return 0;
	s->n.held = false;
	if (s->h.pid <= 0)
		return -ESRCH;
	scn_stats.completions++;
	if (take_trap(s, r->rax, r->orig_rax, s->n.ip) < 0)
		return -ESRCH;
	*r = s->regs;
	return 0;
}

static struct sc_host *host_by_pid(int pid)
{
	struct host_mm *h = host_mm_by_pid(&hosts, pid);

	return h ? container_of(h, struct sc_host, h) : NULL;
}

static bool answered(struct sc_host *s)
{
	return __atomic_load_n(&ctl_of(s)->state, __ATOMIC_ACQUIRE) == STUB_SC_REQ;
}

/*
 * A look at a running thread that leaves the preemption signal
 * unanswered (KICK_CHECK_NS apart): sends it again and reads what the
 * host says of the thread.  true: the thread provably blocked the signal
 * (the caller kills its process).  A host that cannot tell: never.
 */
static bool kick_look(struct sc_host *s, u64 now)
{
	struct os_sc_thread t;

	if (!s->kicked || now < s->next_check)
		return false;
	s->next_check = now + KICK_CHECK_NS;
	os_sc_interrupt(s->h.pid, s->tid);
	if (os_sc_thread_probe(s->h.pid, s->tid, &t) < 0 || answered(s)) {
		s->asleep = 0;
		return false;	/* read after the probe: a request made meanwhile */
	}
	if (s->looks++ == 0) {
		s->first_cpu = t.cpu_ns;
		s->asleep = 0;
	}
	s->asleep = t.state == 'S' && t.blocked ? s->asleep + 1 : 0;
	if (s->asleep >= 2) {
		printk(KERN_ERR "stub %d: its guest thread sleeps with the preemption signal "
		       "blocked: killed\n", s->h.pid);
		return true;
	}
	if (t.cpu_ns - s->first_cpu >= KICK_CPU_NS) {
		printk(KERN_ERR "stub %d: its guest thread runs with the preemption signal "
		       "blocked: killed\n", s->h.pid);
		return true;
	}
	return false;
}

/* The request of s if it made one: true with *e. */
static bool collect(struct sc_host *s, struct plat_event *e)
{
	if (__atomic_load_n(&ctl_of(s)->state, __ATOMIC_ACQUIRE) != STUB_SC_REQ)
		return false;
	s->h.running = false;
	s->n.bell_due = !s->n.bell_held;
	take_request(s, e);
	return true;
}

static void exit_event(struct plat_event *e, int status)
{
	memset(e, 0, sizeof(*e));
	e->kind = PLAT_EV_EXIT;
	e->status = status;
}

/*
 * The one thread running guest code, when it alone can bring the next
 * event: the others wait in the kernel (in a notification, or in the
 * handler with their request taken), so their listeners have nothing to
 * tell but a bell the resume takes (scn_ring).  NULL: none, or more.
 */
static struct sc_host *sole_runner(void)
{
	struct sc_host *s, *one = NULL;

	list_for_each_entry(s, &hosts, h.node) {
		if (!s->h.running || s->h.pid <= 0)
			continue;
		if (one || s->n.fd < 0)
			return NULL;
		one = s;
	}
	return one;
}

/* Its next notification, waited for in the receive: one host syscall
 * per event instead of a ppoll and a receive.  As notif_wait. */
static int sole_wait(struct sc_host *s, struct mm **who, struct plat_event *ev, u32 seq)
{
	struct os_scn_req req;
	int r = scn_take_wait(&s->n, &ctl_of(s)->state, s->tid, &req, seq);

	if (r <= 0)
		return r < 0 ? r : 1;	/* an IRQ; a bell, a signal: look again */
	notif_event(s, &req, ev);
	*who = s->h.mm;
	return 0;
}

/*
 * The wait with listeners: on them (the bells tell of the traps), and a
 * guest call that came is the event.  0 with an event, 1: look again,
 * -EAGAIN (nothing, without block), -EINTR (an IRQ).
 */
static int notif_wait(struct mm **who, struct plat_event *ev, bool block, s64 timeout,
		      u32 seq)
{
	static struct sc_host *of[128];
	static int fds[128];
	static int first;	/* with more listeners than that: where to start */
	short rev[128];
	struct os_scn_req req;
	struct sc_host *s;
	int n = 0, r, i = 0, total = 0;

	if (block && timeout < 0 && (s = sole_runner()) != NULL)
		return sole_wait(s, who, ev, seq);
	list_for_each_entry(s, &hosts, h.node)
		total += s->n.fd >= 0;
	if (first >= total)
		first = 0;
	list_for_each_entry(s, &hosts, h.node) {
		if (s->n.fd < 0)
			continue;
		if (i++ >= first && n < (int)ARRAY_SIZE(fds)) {
			of[n] = s;
			fds[n++] = s->n.fd;
		}
	}
	/* More than fit in one wait: the next ones next time, and each wait
	 * at most a millisecond, so that every listener is looked at. */
	if (i > (int)ARRAY_SIZE(fds)) {
		first = first + n >= i ? 0 : first + n;
		if (timeout < 0 || timeout > 1000000)
			timeout = 1000000;
	} else {
		first = 0;
	}
	if (n == 0 && !block)
		return -EAGAIN;
	r = os_scn_wait(fds, n, rev, block ? timeout : 0, true, seq);
	if (r < 0)
		return r;
	if (r == 0)
		return block ? 1 : -EAGAIN;
	for (int i = 0; i < n; i++) {
		s = of[i];
		if (!(rev[i] & 1) || s->h.pid <= 0)	/* POLLIN */
			continue;
		r = scn_take(&s->n, __atomic_load_n(&ctl_of(s)->state, __ATOMIC_ACQUIRE) ==
				    STUB_SC_REQ, s->tid, &req);
		if (r <= 0)
			continue;
		if (!s->h.running) {	/* it cannot be: the thread is not in guest code */
			scn_reply(&s->n, -ENOSYS);
			continue;
		}
		notif_event(s, &req, ev);
		list_del(&s->h.node);	/* the others first next time */
		list_add_tail(&s->h.node, &hosts);
		*who = s->h.mm;
		return 0;
	}
	return 1;
}

/*
 * Spinning before the host wait.  With the kernel free to run on another
 * CPU than its guest threads (pin=off), a thread it just resumed often
 * makes its next request within microseconds: looking for it for up to
 * SPIN_NS (its word, and the listeners without blocking) saves the host
 * sleep and wake-up of the kernel.  Only while it pays: a spin that finds
 * nothing makes the kernel skip the next 1, 2, 4 ... SPIN_SKIP_MAX host
 * waits' spins, so a guest that computes or sleeps (or that the host runs
 * on the kernel's own CPU, behind the spinning kernel) costs at most one
 * failed spin in SPIN_SKIP_MAX waits; a blocked guest (sleep 10: nothing
 * running) none.  Pinned to one CPU (pin=auto, the default) never: the
 * guest runs only once the kernel sleeps.  The guest controls nothing of
 * it but how soon it asks: the spin is bounded by the kernel's clock.
 */
#define SPIN_NS		5000
#define SPIN_SKIP_MAX	64

static int spin_cpus;		/* host CPUs the kernel may run on; 0: not asked yet */
static u32 spin_skip, spin_backoff;
static u64 spin_hits, spin_misses;

static inline void cpu_relax(void)
{
	__asm__ volatile("pause" ::: "memory");
}

static bool spin_worth(void)
{
	struct sc_host *s;

	if (!spin_cpus)
		spin_cpus = os_cpus_allowed();
	if (spin_cpus < 2)
		return false;
	if (spin_skip) {
		spin_skip--;
		return false;
	}
	list_for_each_entry(s, &hosts, h.node)
		if (s->h.running)
			return true;
	return false;
}

/* Tells the handlers of the running threads that the kernel spins (n
 * pauses to look for the reply before they sleep) or no longer (0). */
static void spin_tell(u32 n)
{
	struct sc_host *s;

	list_for_each_entry(s, &hosts, h.node)
		if (s->h.pid > 0)
			__atomic_store_n(&ctl_of(s)->spin, s->h.running ? n : 0, __ATOMIC_RELAXED);
}

static bool spin_look(struct mm **who, struct plat_event *ev, u32 seq)
{
	u64 start = os_monotonic_ns();
	struct sc_host *s;

	spin_tell(STUB_SC_SPIN_ITERS);

	do {
		list_for_each_entry(s, &hosts, h.node)
			if (s->h.running && collect(s, ev)) {
				list_del(&s->h.node);	/* the others first next time */
				list_add_tail(&s->h.node, &hosts);
				*who = s->h.mm;
				return true;
			}
		if (seccomp_notif && notif_wait(who, ev, false, 0, seq) == 0)
			return true;
		if (os_sc_child_seq() != seq)
			return false;	/* a stub died: reaped first */
		cpu_relax();
	} while (os_monotonic_ns() - start < SPIN_NS);
	return false;
}

/* true with *who and *ev: a request came while the kernel spun. */
static bool spin_for_event(struct mm **who, struct plat_event *ev, u32 seq)
{
	bool hit = spin_look(who, ev, seq);

	spin_tell(0);
	if (!hit) {
		spin_misses++;
		spin_backoff = spin_backoff ? spin_backoff * 2 : 1;
		if (spin_backoff > SPIN_SKIP_MAX)
			spin_backoff = SPIN_SKIP_MAX;
		spin_skip = spin_backoff;
		return false;
	}
	spin_hits++;
	spin_backoff = 0;
	return true;
}

static int sc_wait(struct mm **who, struct plat_event *ev, bool block)
{
	volatile u32 *words[128];
	bool spun = false;

	*who = NULL;
	for (;;) {
		struct sc_host *s, *tmp;
		u64 now = 0, deadline = 0;	/* now: read only for a kicked thread */
		u32 seq = os_sc_child_seq();
		int n = 0, pid, status;

		list_for_each_entry(s, &hosts, h.node)
			if (s->h.running && collect(s, ev)) {
				if (s->h.pid > 0) {	/* the others first next time */
					list_del(&s->h.node);
					list_add_tail(&s->h.node, &hosts);
				}
				*who = s->h.mm;
				return 0;
			}
		/* Only when a child died since the last look (SIGCHLD bumps
		 * seq): a waitpid per event is a syscall for nothing. */
		while (seq != reaped_seq && (pid = os_sc_reap(&status)) > 0) {
			s = host_by_pid(pid);
			if (!s)
				continue;	/* not a stub (an oops report's helper, say) */
			if (s->h.running) {
				sc_host_dead(s);
				exit_event(ev, status);
				*who = s->h.mm;
				return 0;
			}
			sc_host_dead(s);	/* killed from outside while stopped */
		}
		reaped_seq = seq;
		list_for_each_entry_safe(s, tmp, &hosts, h.node) {
			if (!s->h.running || !s->kicked)
				continue;
			if (!now)
				now = os_monotonic_ns();
			if (kick_look(s, now)) {
				sc_kill(s->h.mm);
				exit_event(ev, 0);
				*who = s->h.mm;
				return 0;
			}
			if (!deadline || s->next_check < deadline)
				deadline = s->next_check;
		}
		if (block && !spun && spin_worth()) {
			spun = true;
			if (spin_for_event(who, ev, seq))
				return 0;
			continue;	/* reap, look again, then wait */
		}
		if (seccomp_notif) {
			int r = notif_wait(who, ev, block, deadline ? (s64)(deadline - now) : -1,
					   seq);

			if (r == 0 || r == -EINTR || r == -EAGAIN)
				return r;
			continue;
		}
		if (!block)
			return -EAGAIN;
		list_for_each_entry(s, &hosts, h.node)
			if (s->h.running && n < (int)ARRAY_SIZE(words))
				words[n++] = &ctl_of(s)->state;
		if (n == 0)
			return -EAGAIN;
		if (os_sc_wait(words, n, deadline ? (s64)(deadline - now) : -1, true, seq) < 0)
			return -EINTR;
	}
}

static void sc_interrupt(struct mm *mm)
{
	struct sc_host *s = host_of(mm);

	if (!s->h.running || s->h.pid <= 0)
		return;
	if (__atomic_load_n(&ctl_of(s)->state, __ATOMIC_ACQUIRE) == STUB_SC_REQ)
		return;		/* it stopped already: its request is there */
	if (!s->kicked) {
		s->kicked = os_monotonic_ns();
		s->next_check = s->kicked + KICK_CHECK_NS;
	}
	os_sc_interrupt(s->h.pid, s->tid);
}

/* Stops a running guest thread now: its next request, whatever it is. */
static int sc_stop(struct mm *mm, struct plat_event *ev)
{
	struct sc_host *s = host_of(mm);
	volatile u32 *word;

	if (!s->h.running)
		return -EAGAIN;
	sc_interrupt(mm);
	word = &ctl_of(s)->state;
	for (;;) {
		u32 seq = os_sc_child_seq();
		int status;

		if (collect(s, ev))
			return 0;
		if (os_sc_reap_pid(s->h.pid, &status) == s->h.pid) {
			sc_host_dead(s);
			exit_event(ev, status);
			return 0;
		}
		if (kick_look(s, os_monotonic_ns())) {
			sc_kill(mm);
			exit_event(ev, 0);
			return 0;
		}
		os_sc_wait(&word, 1, 10 * 1000000, false, seq);	/* IRQs wait for the stop */
	}
}

static s64 sc_cputime(struct mm *mm, int *who)
{
	struct sc_host *s = host_of(mm);

	if (s == NULL || s->h.pid <= 0)
		return -ESRCH;
	*who = s->h.pid;
	return os_process_cputime_ns(s->h.pid);
}

static int sc_probe(const char **why)
{
	int r = os_sc_probe(why);

	if (r == 0 && os_sc_init() < 0) {
		*why = "cannot install the SIGCHLD handler";
		r = -ENOSYS;
	}
	if (r == 0 && seccomp_notif && os_scn_probe() < 0) {
		printk(KERN_INFO "seccomp: no user notification here (SECCOMP_RET_USER_NOTIF, "
		       "pidfd_getfd): every syscall traps\n");
		seccomp_notif = false;
	}
	return r;
}

static void sc_stats(char *buf, size_t len)
{
	size_t n;

	scn_show(buf, len);
	n = strlen(buf);
	ksnprintf(buf + n, len - n, "spin_hits %llu\nspin_misses %llu\n",
		  (unsigned long long)spin_hits, (unsigned long long)spin_misses);
}

const struct platform_ops seccomp_platform = {
	.name = "seccomp",
	.probe = sc_probe,
	.mm_create = sc_mm_create,
	.mm_start = sc_mm_start,
	.mm_destroy = sc_mm_destroy,
	.mm_exec = host_mm_exec,
	.mm_started = host_mm_started,
	.apply_batch = sc_apply_batch,
	.set_regs = sc_set_regs,
	.get_regs = sc_get_regs,
	.get_fpu = sc_get_fpu,
	.set_fpu = sc_set_fpu,
	.resume = sc_resume,
	.wait = sc_wait,
	.interrupt = sc_interrupt,
	.stop = sc_stop,
	.kill = sc_kill,
	.cputime = sc_cputime,
	.complete = sc_complete,
	.stats = sc_stats,
};
