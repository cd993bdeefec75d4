/*
 * platform.h - how guest code runs: the platform interface.
 *
 * A platform gives every guest address space (struct mm) a host side,
 * keeps that host side's mappings in step with the software page tables,
 * runs one thread of it at a time until its next event and moves the
 * thread's registers and FPU/xstate in and out.  One table of operations
 * per platform (arch/um/ptrace/ is the ptrace one); `mode=` picks it at
 * boot.  Only arch/um calls these operations: mm/, kernel/ and fs/ use
 * the arch_* helpers below, which know nothing of the platform.
 *
 * The event loop (arch/um/kernel/process.c) is the only caller of resume
 * and wait: a task in user mode is the scheduler state TASK_USER, and one
 * wait collects the events of every address space (docs/architecture.md,
 * "Platform interface and event loop").
 */
#ifndef KERNEL_PLATFORM_H
#define KERNEL_PLATFORM_H

#include "kernel/types.h"
#include "shared/os.h"

struct mm;
struct task;

/* One host mapping change, a run of pages (mm/pgtable.c builds them). */
enum map_op_kind {
	MAP_OP_MMAP = 1,	/* physmem [off, off + len) at addr, with prot */
	MAP_OP_MUNMAP,
	MAP_OP_MPROTECT,
	MAP_OP_MMAP_POPULATE,	/* MAP_OP_MMAP, and the host fills its page tables
				 * at once: pages the guest is about to touch */
};

struct map_op {
	u64 op, addr, len, prot, off;
};

/* Most ops one apply_batch call takes. */
#define MAP_BATCH_MAX	128

enum plat_event_kind {
	PLAT_EV_SYSCALL = 1,	/* a guest syscall, not executed by the host */
	PLAT_EV_FAULT,		/* a page fault at addr */
	PLAT_EV_SIGNAL,		/* another trap or exception: sig, code, addr */
	PLAT_EV_INTERRUPTED,	/* stopped because the kernel asked (interrupt) */
	PLAT_EV_EXIT,		/* the host side died: the address space is gone */
};

enum plat_access {
	PLAT_ACC_UNKNOWN,	/* the platform cannot tell (ptrace) */
	PLAT_ACC_READ,
	PLAT_ACC_WRITE,
	PLAT_ACC_EXEC,
};

struct plat_event {
	int kind;
	int sig, code;		/* FAULT/SIGNAL: host signal number and si_code */
	u64 addr;		/* FAULT/SIGNAL: si_addr (SIGSYS: the call site) */
	int access;		/* FAULT: enum plat_access */
	int nr;			/* SIGSYS: the syscall number */
	bool compat;		/* SYSCALL: a 32-bit entry (int $0x80, sysenter) */
	bool partial;		/* SYSCALL: a notification (seccomp): only the
				 * arguments, orig_rax and rip are in the
				 * registers until platform->complete */
	bool partial_sp;	/* SYSCALL, partial: rsp is there too (ptrace's
				 * PTRACE_GET_SYSCALL_INFO has it, a seccomp
				 * notification has not) */
	int status;		/* EXIT: host wait status */
};

/*
 * The operations.  0 or -errno unless said otherwise; -ESRCH means the
 * host side is dead (the guest process gets killed, nothing else).  None
 * of them sleeps in the kernel's sense: they may wait in the host for the
 * host side they drive, never for anything else.
 */
struct platform_ops {
	const char *name;		/* what mode= says */
	/* Whether the host can run it (NULL: always): 0, or -errno with
	 * *why; mode= then falls back to ptrace, saying so. */
	int (*probe)(const char **why);
	/* Host side of an address space: its state (mm_create), its host
	 * process or thread (mm_start, lazily, at the first run), its end.
	 * mm_exec hands from's started host side to to (exec reuses it). */
	int (*mm_create)(struct mm *mm);
	int (*mm_start)(struct mm *mm);
	void (*mm_destroy)(struct mm *mm);
	void (*mm_exec)(struct mm *to, struct mm *from);
	bool (*mm_started)(struct mm *mm);
	/* Apply n mapping changes, in order, to a stopped host side. */
	int (*apply_batch)(struct mm *mm, const struct map_op *ops, unsigned int n);
	/* Registers and FPU/xstate of the thread the host side holds. */
	int (*set_regs)(struct mm *mm, const struct os_regs *r);
	int (*get_regs)(struct mm *mm, struct os_regs *r);
	int (*get_fpu)(struct mm *mm, void *buf, u32 len);	/* bytes or -errno */
	int (*set_fpu)(struct mm *mm, const void *buf, u32 len);
	/* Let the loaded thread run; its next event comes from wait. */
	int (*resume)(struct mm *mm);
	/*
	 * The next event of any running host side: *who says whose (NULL:
	 * host noise, nothing to do).  block: wait in the host until one
	 * comes or an interrupt is pending (-EINTR).  Without: -EAGAIN when
	 * none is there.  The platform's one host wait.
	 */
	int (*wait)(struct mm **who, struct plat_event *ev, bool block);
	/* Make a running host side stop soon (its event comes from wait). */
	void (*interrupt)(struct mm *mm);
	/* Make it stop now and return its event (a TLB shootdown). */
	int (*stop)(struct mm *mm, struct plat_event *ev);
	/* Kill the host side (it stays dead; mm_destroy frees it). */
	void (*kill)(struct mm *mm);
	/* The CPU time the host charged the host side so far (ns), with the
	 * host process it was read from (*who: a new one restarts the count),
	 * or -errno.  kernel/cputime.c makes the guest's CPU times of it. */
	s64 (*cputime)(struct mm *mm, int *who);
	/* After a partial event: the whole register set into *r, whose rax
	 * and orig_rax (the call's) it keeps; then the host side holds the
	 * thread as after any other event (NULL: never partial). */
	int (*complete)(struct mm *mm, struct os_regs *r);
	/* Its counters, "name value" lines into buf (NULL: none). */
	void (*stats)(char *buf, size_t len);
};

extern const struct platform_ops *platform;	/* the one mode= chose */
extern const struct platform_ops ptrace_platform;
extern const struct platform_ops seccomp_platform;
/* seccomp_notif= (on by default): mode=seccomp's notification fast path. */
extern bool seccomp_notif;

/* Picks the platform by name; -EINVAL (and the names known in known). */
int platform_select(const char *name);
void platform_stats(char *buf, size_t len);	/* /proc/platform's lines */
const char *platform_names(void);	/* "seccomp, ptrace": the default first */

/* What mm/, kernel/ and fs/ call (arch/um/kernel/process.c). */
int arch_mm_init(struct mm *mm);		/* at mm_alloc */
void arch_mm_destroy(struct mm *mm);		/* at the last mm_put */
void arch_mm_exec(struct mm *to, struct mm *from);	/* exec reuses the host side */
void arch_mm_kill(struct mm *mm);		/* halt: its threads get EXIT */
int arch_mm_apply(struct mm *mm, const struct map_op *ops, unsigned int n);
void arch_mm_shootdown(struct mm *mm);		/* before access is taken away */
void arch_kick(struct task *t);			/* a signal came: leave user mode */
void arch_regs_full(struct task *t);		/* before t->regs is used whole */
/* Whether syscall nr is served from its arguments alone (STUB_SC_NOTIF_NRS):
 * the calls a platform may hand over as a partial event. */
bool arch_args_only_nr(int nr);

/* x86 register edits (arch/um/kernel/signal.c). */
void arch_start_thread(struct task *t, u64 ip, u64 sp);	/* exec */
void arch_copy_thread(struct task *c, const struct task *p, u64 sp, bool set_tls, u64 tls);
/* After a syscall interrupted by a signal: restart it or fail it with
 * -EINTR.  has_handler: a handler runs; sa_restart: it has SA_RESTART. */
void arch_syscall_restart(struct task *t, bool has_handler, bool sa_restart);
static inline u64 regs_user_sp(const struct os_regs *r) { return r->rsp; }
static inline u64 regs_user_ip(const struct os_regs *r) { return r->rip; }

#endif
