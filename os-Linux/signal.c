/*
 * signal.c - host signals become kernel interrupts.
 *
 * Handlers only set bits in irq_pending; the kernel takes them at safe
 * points with os_irq_take().  Helper threads raise an IRQ by setting the
 * bit and sending SIGUSR1 to the kernel thread, so a kernel sleeping in
 * the host (idle, or in os_wait_any for the stubs) wakes up.  The periodic timer is a
 * POSIX timer delivering SIGALRM to the kernel thread only.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <stdlib.h>
#include <unistd.h>
#include <ucontext.h>
#include <sys/syscall.h>
#include "shared/os.h"

volatile uint32_t irq_pending;		/* also read by os_wait_any */
static volatile sig_atomic_t term_sig;	/* the first host signal that asked us to end */
static pid_t kernel_tid;
static sigset_t irq_sigs;

/*
 * Every host signal whose default action would end ./linux, and that is
 * neither used as an interrupt nor a fault, shuts it down cleanly
 * (OS_IRQ_TERM): disks written back, terminal restored.  The real-time
 * signals glibc leaves to programs too.  SIGXFSZ is ignored (the write
 * fails with EFBIG and the I/O error is reported), SIGPIPE likewise.
 */
static const int term_sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR2, SIGPWR,
				 SIGXCPU, SIGVTALRM, SIGPROF, SIGSTKFLT };

static void note_term(int sig)
{
	if (!term_sig)
		term_sig = sig;
	__atomic_or_fetch(&irq_pending, OS_IRQ_TERM, __ATOMIC_SEQ_CST);
}

void os_oops(int sig, siginfo_t *si, void *uc);	/* oops.c */

/*
 * os_wait_any(status, options): wait4(-1, status, options, NULL), the
 * event loop's one blocking host wait, that never sleeps through an IRQ.
 * It checks irq_pending, then enters wait4; an IRQ signal whose handler
 * finds the thread between that check and the syscall instruction moves
 * it to os_wait_abort (as musl's cancellation points do), so the wait
 * returns -EINTR at once instead of sleeping until the next signal.  A
 * signal during the syscall makes it return -EINTR itself (no SA_RESTART).
 */
extern char os_wait_window[], os_wait_syscall[], os_wait_abort[];
__asm__(".text\n"
	".globl os_wait_any\n"
	".type os_wait_any, @function\n"
	"os_wait_any:\n"
	"	mov %esi, %edx\n"		/* options */
	"	mov %rdi, %rsi\n"		/* status */
	"	mov $-1, %rdi\n"		/* any child */
	"	xor %r10d, %r10d\n"	/* no rusage */
	"	lea irq_pending(%rip), %r8\n"
	"	mov $61, %eax\n"		/* __NR_wait4 */
	"os_wait_window:\n"
	"	cmpl $0, (%r8)\n"
	"	jne os_wait_abort\n"
	"os_wait_syscall:\n"
	"	syscall\n"
	"	ret\n"
	"os_wait_abort:\n"
	"	mov $-4, %rax\n"		/* -EINTR */
	"	ret\n"
	".size os_wait_any, .-os_wait_any\n");

/*
 * os_ppoll_irq(fds, nfds, timeout, seq, seqword): ppoll(fds, nfds,
 * timeout, NULL), the seccomp platform's wait on its listeners, in the
 * same shape: it returns -EINTR at once if irq_pending is set or *seqword
 * (the SIGCHLD count) is no longer seq, and a signal handler that finds
 * the thread between those checks and the syscall moves it to the abort.
 * So no signal mask is changed around the wait (two host syscalls per
 * wait fewer than blocking the signals and letting ppoll unblock them).
 */
extern char os_ppoll_window[], os_ppoll_syscall[], os_ppoll_abort[];
__asm__(".text\n"
	".globl os_ppoll_irq\n"
	".type os_ppoll_irq, @function\n"
	"os_ppoll_irq:\n"
	"	mov %r8, %r9\n"		/* the SIGCHLD count's word */
	"	mov %ecx, %r11d\n"	/* the count the caller saw */
	"	xor %r10d, %r10d\n"	/* no signal mask */
	"	xor %r8d, %r8d\n"
	"	lea irq_pending(%rip), %rcx\n"
	"	mov $271, %eax\n"		/* __NR_ppoll */
	"os_ppoll_window:\n"
	"	cmpl $0, (%rcx)\n"
	"	jne os_ppoll_abort\n"
	"	cmpl %r11d, (%r9)\n"
	"	jne os_ppoll_abort\n"
	"os_ppoll_syscall:\n"
	"	syscall\n"
	"	ret\n"
	"os_ppoll_abort:\n"
	"	mov $-4, %rax\n"		/* -EINTR */
	"	ret\n"
	".size os_ppoll_irq, .-os_ppoll_irq\n");

/*
 * os_ioctl_irq(fd, req, arg, seq, seqword): ioctl(fd, req, arg) in the
 * same shape, for a blocking SECCOMP_IOCTL_NOTIF_RECV (seccomp_notif.c),
 * the wait when one listener alone can make the next event: -EINTR at
 * once when an IRQ is pending or a stub died since seq, and a signal in
 * the call ends it with -EINTR (the host's down_interruptible).
 */
extern char os_ioctl_window[], os_ioctl_syscall[], os_ioctl_abort[];
__asm__(".text\n"
	".globl os_ioctl_irq\n"
	".type os_ioctl_irq, @function\n"
	"os_ioctl_irq:\n"
	"	mov %ecx, %r11d\n"	/* the count the caller saw */
	"	lea irq_pending(%rip), %rcx\n"
	"	mov $16, %eax\n"		/* __NR_ioctl */
	"os_ioctl_window:\n"
	"	cmpl $0, (%rcx)\n"
	"	jne os_ioctl_abort\n"
	"	cmpl %r11d, (%r8)\n"
	"	jne os_ioctl_abort\n"
	"os_ioctl_syscall:\n"
	"	syscall\n"
	"	ret\n"
	"os_ioctl_abort:\n"
	"	mov $-4, %rax\n"		/* -EINTR */
	"	ret\n"
	".size os_ioctl_irq, .-os_ioctl_irq\n");

void os_wait_window_fix(void *ucv);	/* also seccomp.c's SIGCHLD handler */
void os_wait_window_fix(void *ucv)
{
	ucontext_t *uc = ucv;
	greg_t ip = uc->uc_mcontext.gregs[REG_RIP];

	if (ip >= (greg_t)os_wait_window && ip <= (greg_t)os_wait_syscall)
		uc->uc_mcontext.gregs[REG_RIP] = (greg_t)os_wait_abort;
	else if (ip >= (greg_t)os_ppoll_window && ip <= (greg_t)os_ppoll_syscall)
		uc->uc_mcontext.gregs[REG_RIP] = (greg_t)os_ppoll_abort;
	else if (ip >= (greg_t)os_ioctl_window && ip <= (greg_t)os_ioctl_syscall)
		uc->uc_mcontext.gregs[REG_RIP] = (greg_t)os_ioctl_abort;
}

static void irq_handler(int sig, siginfo_t *si, void *ucv)
{
	(void)si;
	os_wait_window_fix(ucv);
	switch (sig) {
	case SIGALRM: __atomic_or_fetch(&irq_pending, OS_IRQ_TIMER, __ATOMIC_SEQ_CST); break;
	case SIGUSR1: case SIGIO: break;	/* the bits are already set */
	case SIGWINCH:
		/* Process-directed: it may land on a helper thread. */
		__atomic_or_fetch(&irq_pending, OS_IRQ_WINCH, __ATOMIC_SEQ_CST);
		if (syscall(SYS_gettid) != kernel_tid)
			syscall(SYS_tgkill, getpid(), kernel_tid, SIGUSR1);
		break;
	default: note_term(sig); break;
	}
}

int os_term_signal(void)
{
	return term_sig;
}

const char *os_signal_name(int sig)
{
	static char rt[16];
	const char *s = sigabbrev_np(sig);

	if (s)
		return s;
	if (sig >= SIGRTMIN && sig <= SIGRTMAX) {
		snprintf(rt, sizeof(rt), "RTMIN+%d", sig - SIGRTMIN);
		return rt;
	}
	return "?";
}

static void fatal_handler(int sig, siginfo_t *si, void *uc)
{
	/*
	 * kill -SEGV from another process is a request to end, not a crash
	 * (the kernel's own abort() comes from this process).
	 */
	if (si->si_code <= 0 && si->si_pid != getpid()) {
		note_term(sig);
		if (syscall(SYS_gettid) != kernel_tid)
			syscall(SYS_tgkill, getpid(), kernel_tid, SIGUSR1);
		return;
	}
	/* A crash of the kernel itself: the oops report (oops.c). */
	os_oops(sig, si, uc);
}

int os_signals_init(void)
{
	/*
	 * No SIGCHLD handler: every ptrace stop of a stub would raise one, a
	 * signal delivery per guest syscall for nothing, since the kernel
	 * waits for its stubs with waitpid anyway.  Left at SIG_DFL (not
	 * SIG_IGN, which would reap the stubs behind our back).
	 */
	static const int irqs[] = { SIGALRM, SIGUSR1, SIGIO, SIGWINCH };
	static const int fatal[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGSYS, SIGTRAP };
	struct sigaction sa;
	unsigned i;
	int sig;

	static char altstack[65536];
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };

	kernel_tid = syscall(SYS_gettid);
	/* Handlers run on their own stack, not on whichever task stack is live. */
	if (sigaltstack(&ss, NULL) < 0)
		return -errno;
	sigemptyset(&irq_sigs);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = irq_handler;
	sa.sa_flags = SA_ONSTACK | SA_SIGINFO;
	sigfillset(&sa.sa_mask);
	for (i = 0; i < sizeof(irqs) / sizeof(irqs[0]); i++) {
		sigaddset(&irq_sigs, irqs[i]);
		if (sigaction(irqs[i], &sa, NULL) < 0)	/* no SA_RESTART */
			return -errno;
	}
	for (i = 0; i < sizeof(term_sigs) / sizeof(term_sigs[0]); i++) {
		sigaddset(&irq_sigs, term_sigs[i]);
		if (sigaction(term_sigs[i], &sa, NULL) < 0)
			return -errno;
	}
	for (sig = SIGRTMIN; sig <= SIGRTMAX; sig++) {
		sigaddset(&irq_sigs, sig);
		if (sigaction(sig, &sa, NULL) < 0)
			return -errno;
	}
	sa.sa_sigaction = fatal_handler;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER | SA_ONSTACK;
	for (i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++)
		sigaction(fatal[i], &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGXFSZ, SIG_IGN);
	signal(SIGTTOU, SIG_IGN);
	signal(SIGTTIN, SIG_IGN);
	return 0;
}

void os_raise_irq(uint32_t bit)
{
	__atomic_or_fetch(&irq_pending, bit, __ATOMIC_SEQ_CST);
	if (syscall(SYS_gettid) != kernel_tid)
		syscall(SYS_tgkill, getpid(), kernel_tid, SIGUSR1);
}

uint32_t os_irq_take(void)
{
	return __atomic_exchange_n(&irq_pending, 0, __ATOMIC_SEQ_CST);
}

void os_idle_wait(void)
{
	sigset_t old;

	sigprocmask(SIG_BLOCK, &irq_sigs, &old);
	if (__atomic_load_n(&irq_pending, __ATOMIC_SEQ_CST) == 0) {
		sigset_t wait = old;
		int i;

		for (i = 1; i < NSIG; i++)
			if (sigismember(&irq_sigs, i))
				sigdelset(&wait, i);
		sigsuspend(&wait);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
}

uint64_t os_monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

uint64_t os_realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

int os_timer_start(uint64_t period_ns)
{
	struct sigevent sev;
	struct itimerspec its;
	timer_t timer;

	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_THREAD_ID;
	sev.sigev_signo = SIGALRM;
	sev._sigev_un._tid = kernel_tid;
	if (timer_create(CLOCK_MONOTONIC, &sev, &timer) < 0)
		return -errno;
	its.it_interval.tv_sec = period_ns / 1000000000ULL;
	its.it_interval.tv_nsec = period_ns % 1000000000ULL;
	its.it_value = its.it_interval;
	if (timer_settime(timer, 0, &its, NULL) < 0)
		return -errno;
	return 0;
}
