/*
 * os.h - the kernel-to-host contract.
 *
 * Every host call the kernel makes goes through a function declared here
 * and defined in os-Linux/.  Only fixed-width types cross this line; every
 * function returns 0 or a non-negative result, or a negative host errno
 * (host and guest errno values are the same numbers on x86_64 Linux).
 * EINTR is retried inside os_* unless the function says otherwise.
 */
#ifndef SHARED_OS_H
#define SHARED_OS_H

#include <stdint.h>
#include <stdarg.h>

/* Process. */
void os_exit(int status) __attribute__((noreturn));
/* Runs ./linux again with its own command line (reboot); returns only on failure. */
int os_reexec(void);
void os_abort(void) __attribute__((noreturn));
const char *os_strerror(int err);	/* the text of errno err (or -err) */

/* Host files: the console and kernel messages. */
int64_t os_write_all(int fd, const void *buf, uint64_t len);
int os_isatty(int fd);

/* Memory. */
int os_physmem_create(uint64_t size, void **base);	/* returns the fd */
void os_physmem_populate(void *addr, uint64_t len);	/* best effort */
void *os_alloc_stack(uint64_t size);	/* with a guard page below; NULL on failure */
void os_free_stack(void *base, uint64_t size);
/* A window of host address space with nothing behind it (NULL on failure);
 * os_vm_map puts physmem [off, off + len) at addr in it, os_vm_unmap
 * takes it away again (the window stays reserved). */
void *os_vm_reserve(uint64_t size);
int os_vm_map(void *addr, int physmem_fd, uint64_t off, uint64_t len);
void os_vm_unmap(void *addr, uint64_t len);
int os_xstate_size(void);		/* bytes of the host's XSAVE area */
uint64_t os_cpu_hwcap(void);
int os_tsc_is_clocksource(void);	/* 1: the host keeps its clocks on a synchronised TSC */
		/* CPUID.1:EDX, Linux's AT_HWCAP on x86 */

/*
 * Keeps the kernel thread (and so every thread and stub it starts) on one
 * host CPU: cpu >= 0 names it, -1 picks the allowed CPU the fewest other
 * instances of this user are pinned to (os-Linux/pin.c).  Returns the
 * CPU or -errno.
 */
int os_pin_cpu(int cpu);
int os_cpus_allowed(void);		/* host CPUs this thread may run on (1 when pinned) */
int64_t os_host_nproc_limit(void);	/* the host's RLIMIT_NPROC for us, or -1 */
void os_pin_forget(void);		/* at exit: leave the instance registry */

/* Time. */
uint64_t os_monotonic_ns(void);
uint64_t os_realtime_ns(void);
int os_timer_start(uint64_t period_ns);	/* periodic SIGALRM to the kernel thread */
/* One SIGALRM to the kernel thread at the host monotonic time abs_ns (replaces the last). */
int os_timer_oneshot(uint64_t abs_ns);
int64_t os_process_cputime_ns(int pid);	/* host CPU time of a process (a stub), or -errno */
void os_getrandom(void *buf, uint64_t len);

/*
 * Interrupts.  Host signal handlers only set bits in a pending mask; the
 * kernel takes them at safe points.  Helper threads raise an IRQ with
 * os_raise_irq(), which sets the bit and interrupts the kernel thread.
 */
#define OS_IRQ_TIMER	(1u << 0)
#define OS_IRQ_UBD	(1u << 1)
#define OS_IRQ_CONSOLE	(1u << 2)
#define OS_IRQ_TERM	(1u << 4)	/* a host signal asked ./linux to end */
#define OS_IRQ_MCONSOLE	(1u << 5)	/* a request on the mconsole socket */
#define OS_IRQ_WINCH	(1u << 6)	/* the host terminal changed size (SIGWINCH) */
#define OS_IRQ_NET	(1u << 7)	/* network: the receive backlog, a transport's frames */
#define OS_IRQ_LINE	(1u << 8)	/* consoles and serial lines: input or a peer came or went */
int os_signals_init(void);
int os_term_signal(void);		/* which signal that was (the first one) */
const char *os_signal_name(int sig);	/* "TERM", "HUP", ... */
void os_raise_irq(uint32_t bit);
uint32_t os_irq_take(void);		/* fetch and clear the pending mask */
void os_idle_wait(void);		/* sleep until an IRQ is pending */

/* Printing from the host side (before the kernel is up, fatal errors). */
void os_print_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Console host half (drivers/tty/console.c's partner). */
int os_console_init(int in_fd, int out_fd);	/* raw mode, reader thread */
int64_t os_console_read(uint8_t *buf, uint64_t len);	/* -EAGAIN when empty */
void os_console_restore(void);			/* put the host terminal back */
int os_console_winsize(uint16_t *rows, uint16_t *cols);
/* Consoles and serial lines (drivers/tty/line.c's partner). */
#include "shared/chan.h"

/*
 * Stub processes: the ptrace platform's host half (os-Linux/ptrace.c;
 * arch/um/ptrace/ is its kernel half).  One host process per guest
 * address space runs guest code.  Registers cross as struct os_regs, the
 * layout of the host's struct user_regs_struct (27 words).
 */
struct os_regs {
	uint64_t r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
	uint64_t rax, rcx, rdx, rsi, rdi, orig_rax, rip, cs, eflags, rsp, ss;
	uint64_t fs_base, gs_base, ds, es, fs, gs;
};

/* The host's 64-bit user code and stack selectors (__USER_CS, __USER_DS):
 * guest code runs with these and no others (docs/security.md). */
#define OS_USER_CS	0x33
#define OS_USER_DS	0x2b
/* The host's TASK_SIZE_MAX: ptrace refuses fs/gs bases at or above it,
 * though a guest may load one itself (wrfsbase). */
#define OS_BASE_LIMIT	0x7ffffffff000ULL

enum os_event_kind {
	OS_EV_SYSCALL = 1,	/* a guest syscall, not executed by the host */
	OS_EV_SIGNAL,		/* the host would deliver a signal: fault, trap, ... */
	OS_EV_EXITED,		/* the stub process died */
};

struct os_event {
	int kind;
	int sig;		/* OS_EV_SIGNAL: host signal number */
	int code;		/* its si_code */
	uint64_t addr;		/* its si_addr (SIGSYS: si_call_addr) */
	int nr;			/* SIGSYS: si_syscall */
	int from_us;		/* sent by this process (our preemption signal) */
	int compat;		/* OS_EV_SYSCALL: a 32-bit entry (int $0x80, ...) */
	int status;		/* OS_EV_EXITED: wait status */
	int info;		/* OS_EV_SYSCALL: nr, args, ip, sp are the call's */
	uint64_t args[6], ip, sp;
};

/* What the stub reported at its first stop, before guest code ran. */
struct os_stub_entry {
	uint64_t run_ops, ops_done, stack_top;
};

/* sc_region_off: seccomp mode's region (its physmem offset), or -1 for
 * the ptrace platform's stub. */
int os_stub_start(const void *image, uint64_t image_len, int physmem_fd,
		  uint64_t data_off, int64_t sc_region_off);	/* returns a pid, stopped */
void os_stub_kill(int pid);
int os_stub_set_regs(int pid, const struct os_regs *regs);
int os_stub_get_regs(int pid, struct os_regs *regs);
int os_stub_set_rax(int pid, uint64_t rax);	/* the one register a call's result needs */
int os_stub_set_xstate(int pid, const void *buf, uint64_t len);
int os_stub_get_xstate(int pid, void *buf, uint64_t len);
int os_stub_resume(int pid, int sysemu);	/* PTRACE_SYSEMU or PTRACE_CONT */
/* Waits for the next stop.  Returns -EINTR if an IRQ arrived first. */
int os_stub_wait(int pid, struct os_event *ev, int interruptible);
void os_stub_interrupt(int pid);		/* make a running stub stop */
/* The next event of any stub: its pid, 0 (none, !block), -EINTR (an IRQ
 * is pending: never sleeps through one), -ECHILD (no stub at all). */
int os_stub_wait_any(struct os_event *ev, int block);
/* wait4(-1, status, options): -EINTR at once if an IRQ is pending or
 * comes before the host wait began (os-Linux/signal.c).  Host side only. */
int os_wait_any(int *status, int options);
/* Runs the op loop with kernel-built registers; see os-Linux/process.c.
 * keep_bases: the stub holds a guest fs/gs base at or above
 * OS_BASE_LIMIT, which ptrace could not write back. */
int os_stub_run_ops(int pid, const struct os_stub_entry *e, int keep_bases,
		    struct os_event *ev);

/*
 * Seccomp mode's host half (os-Linux/seccomp.c; arch/um/seccomp/ is its
 * platform).  The frame is the host's signal frame in the guest thread's
 * region, reached through the kernel's own mapping of it (kregion, at
 * STUB_SC_REGION in the stub).
 */
struct os_sc_frame {
	uint64_t uc;		/* the ucontext's offset in the region */
	uint64_t fp;		/* the XSAVE area's offset in the region */
	uint32_t xsize;		/* its bytes */
	uint64_t xfeatures;	/* the components the host may restore */
	uint64_t err;		/* the trap's error code (page faults: the access) */
};
/* 0, or -errno with *why saying what the host lacks. */
int os_sc_probe(const char **why);
int os_sc_init(void);		/* once, before the first stub: the SIGCHLD wake-up */
/* Reads the frame the handler reported at ucontext address uc: -EINVAL if
 * it is not inside the region.  Copies it once, then validates. */
int os_sc_frame_read(const void *kregion, uint64_t uc, struct os_sc_frame *f,
		     struct os_regs *r);
/* Writes r into the frame, with the fixed fields the resume needs. */
void os_sc_frame_write(void *kregion, const struct os_sc_frame *f, const struct os_regs *r);
int os_sc_get_xstate(const void *kregion, const struct os_sc_frame *f, void *buf, uint32_t len);
int os_sc_set_xstate(void *kregion, const struct os_sc_frame *f, const void *buf, uint32_t len);
void os_sc_wake(volatile uint32_t *word);	/* FUTEX_WAKE, shared */
/* Waits until one of the n words differs from STUB_SC_RUN, a child died,
 * since seq, an IRQ is pending (-EINTR; only if irqs) or timeout_ns passed (< 0: no
 * timeout). */
int os_sc_wait(volatile uint32_t *const *words, int n, int64_t timeout_ns, int irqs,
	       uint32_t seq);
uint32_t os_sc_child_seq(void);	/* read before reaping, passed to os_sc_wait */
int os_sc_reap(int *status);	/* waitpid(-1, WNOHANG): a pid, 0 or -errno */
int os_sc_reap_pid(int pid, int *status);	/* the same for one pid */
void os_sc_interrupt(int pid, int tid);	/* the preemption signal */
/* What the host says of a guest thread that leaves the preemption signal
 * unanswered (/proc/PID/task/TID): 0, or -errno if it cannot tell. */
struct os_sc_thread {
	char state;		/* R, S, D, T...: its host scheduler state */
	int blocked;		/* the preemption signal is in its host mask */
	uint64_t cpu_ns;	/* the CPU time it ran so far */
};
int os_sc_thread_probe(int pid, int tid, struct os_sc_thread *t);
/* Runs the mm thread's op loop over n ops at ops (its address in the
 * stub): 0, or the result of the failing op; -ESRCH/-EPERM (the stub is
 * dead or was killed, ev says why). */
int os_sc_run_ops(int pid, uint64_t oploop, uint64_t done, uint64_t ops, uint64_t n,
		  uint64_t *failed, struct os_event *ev);

/*
 * Seccomp mode's notification path (os-Linux/seccomp_notif.c): the
 * listener of a stub's guest thread, in the kernel only.
 */
struct os_scn_req {
	uint64_t id;		/* the notification's cookie */
	uint32_t pid;		/* the host thread that made the call */
	int32_t nr;		/* the syscall, its arch, where it returns to */
	uint32_t arch;
	uint64_t ip;
	uint64_t args[6];
};
int os_scn_probe(void);		/* 0: the host has USER_NOTIF and pidfd_getfd */
int os_scn_take(int pid, int fd);	/* the kernel's copy of pid's fd, or -errno */
void os_scn_close(int fd);
int os_scn_recv(int fd, struct os_scn_req *r);	/* one notification: 0 or -errno */
int os_scn_send(int fd, uint64_t id, int64_t val);	/* its reply: -ENOENT if it is gone */
/* One notification of fd, waiting for it: 0, -EINTR (an IRQ is pending),
 * -EAGAIN (a child died since seq, or another signal), -ENOENT (its
 * thread left the call), other -errno. */
int os_scn_recv_wait(int fd, struct os_scn_req *r, uint32_t seq);
/* Waits until one of the n fds is readable (revents), an IRQ is pending
 * (-EINTR; only if irqs), a child died since seq (0) or timeout_ns passed
 * (< 0: none; 0: just looks).  The number of fds ready, 0 or -EINTR. */
int os_scn_wait(const int *fds, int n, short *revents, int64_t timeout_ns, int irqs,
		uint32_t seq);

/* Block device host half (drivers/block/ubd.c's partner). */
#include "shared/ubd.h"

/* Management console host half (drivers/mconsole's partner). */
#include "shared/mconsole.h"

/*
 * Restart and crash (os-Linux/oops.c).  os_request_restart makes the
 * next os_exit start ./linux again from /proc/self/exe with the same
 * arguments.  os_symbolize writes one "func+0xoff (file:line)" line per
 * kernel address, with the host's addr2line; returns the bytes written.
 */
void os_request_restart(void);
int os_symbolize(const uint64_t *pcs, int n, char *out, uint64_t outlen);
void os_panic(void) __attribute__((noreturn));	/* after panic()'s message */
int os_open_log(const char *path);	/* created/truncated for writing: fd or -errno */
void os_shutdown_host(void);		/* os_exit's last steps (umid, restart) */

#endif
