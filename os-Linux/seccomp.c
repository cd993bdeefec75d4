/*
 * seccomp.c - the seccomp platform's host half (arch/um/seccomp/).
 *
 * The stub process is started as the ptrace platform's (os_stub_start,
 * with the region's offset): its leader, the mm thread, stays traced and
 * runs only the register-only op loop (os_sc_run_ops); its guest thread
 * runs guest code, and every trap, fault or preemption of it is a signal
 * frame the host writes into the thread's region, which the kernel reads
 * and rewrites here.  Everything in the region is guest-writable: each
 * value is read once, into a copy, and checked before use.
 *
 * The kernel's one host wait is futex_waitv over the futex words of the
 * guest threads that run, the IRQ word (irq_pending, os-Linux/signal.c)
 * and a word a SIGCHLD handler bumps when a stub process dies.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cpuid.h>
#include <linux/futex.h>
#include <linux/seccomp.h>
#include <sys/auxv.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include "shared/os.h"
#include "shared/stub.h"

#ifndef SYS_futex_waitv
#define SYS_futex_waitv 449
#endif
#define WAITV_MAX	128
#define FUTEX2_SIZE_U32_	0x02
#define FUTEX2_PRIVATE_	128
#define FP_XSTATE_MAGIC1_	0x46505853U
#define UC_FP_XSTATE_		0x1
#define UC_SIGCONTEXT_SS_	0x2
#define UC_STRICT_RESTORE_SS_	0x4
#define HWCAP2_FSGSBASE_	(1 << 1)

extern volatile uint32_t irq_pending;	/* signal.c */
void os_wait_window_fix(void *uc);	/* signal.c */
volatile uint32_t *os_sc_child_word(void);

/* The kernel's struct ucontext on x86_64 (not glibc's: its sigset is 8 bytes). */
struct k_ucontext {
	uint64_t flags, link;
	struct { uint64_t sp; int32_t flags, pad; uint64_t size; } stack;
	uint64_t gregs[23];	/* struct sigcontext, up to fpstate */
	uint64_t fpstate;
	uint64_t reserved[8];
	uint64_t sigmask;
};
_Static_assert(sizeof(struct k_ucontext) == 304, "the x86_64 ucontext");

enum { G_R8, G_R9, G_R10, G_R11, G_R12, G_R13, G_R14, G_R15, G_RDI, G_RSI, G_RBP, G_RBX,
       G_RDX, G_RAX, G_RCX, G_RSP, G_RIP, G_EFL, G_CSGSFS, G_ERR, G_TRAPNO, G_OLDMASK, G_CR2 };

static volatile uint32_t child_seq;	/* bumped by every SIGCHLD */
static uint32_t xoff[64], xsize[64];	/* CPUID leaf 0xd: standard-format layout */

int os_sc_probe(const char **why)
{
	unsigned int act;

	if (getenv("LINUX_TEST_NO_SECCOMP")) {
		*why = "LINUX_TEST_NO_SECCOMP is set";
		return -ENOSYS;
	}
	if (prctl(PR_GET_SECCOMP, 0, 0, 0, 0) < 0) {
		*why = "the host has no seccomp";
		return -ENOSYS;
	}
	act = SECCOMP_RET_TRAP;
	if (syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &act) < 0) {
		*why = "the host's seccomp has no SECCOMP_RET_TRAP";
		return -ENOSYS;
	}
	act = SECCOMP_RET_KILL_PROCESS;
	if (syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &act) < 0) {
		*why = "the host's seccomp has no SECCOMP_RET_KILL_PROCESS";
		return -ENOSYS;
	}
	if (syscall(SYS_futex_waitv, NULL, 0, 0, NULL, CLOCK_MONOTONIC) < 0 && errno == ENOSYS) {
		*why = "the host has no futex_waitv (Linux 5.16)";
		return -ENOSYS;
	}
	if (!(getauxval(AT_HWCAP2) & HWCAP2_FSGSBASE_)) {
		*why = "the host does not allow FSGSBASE instructions";
		return -ENOSYS;
	}
	return 0;
}

static void child_handler(int sig, siginfo_t *si, void *uc)
{
	int e = errno;

	(void)sig;
	(void)si;
	os_wait_window_fix(uc);		/* a wait about to start ends at once */
	__atomic_add_fetch(&child_seq, 1, __ATOMIC_SEQ_CST);
	syscall(SYS_futex, &child_seq, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
	errno = e;
}

int os_sc_init(void)
{
	struct sigaction sa;

	for (unsigned i = 2; i < 64; i++) {
		unsigned a = 0, b = 0, c = 0, d = 0;

		if (__get_cpuid_count(0xd, i, &a, &b, &c, &d) && !(c & 1)) {	/* user components */
			xsize[i] = a;
			xoff[i] = b;
		}
	}
	/* SA_NOCLDSTOP: the mm threads' ptrace stops wake nothing; SA_RESTART:
	 * no other host call of the kernel sees EINTR for it. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = child_handler;
	sa.sa_flags = SA_RESTART | SA_NOCLDSTOP | SA_ONSTACK | SA_SIGINFO;
	sigfillset(&sa.sa_mask);
	return sigaction(SIGCHLD, &sa, NULL) < 0 ? -errno : 0;
}

int os_sc_frame_read(const void *kregion, uint64_t uc, struct os_sc_frame *f,
		     struct os_regs *r)
{
	const char *k = kregion;
	struct k_ucontext u;
	uint64_t fp, xf = 3;
	uint32_t magic, xs = 512;
	const uint64_t *g = u.gregs;

	if (uc < STUB_SC_STACK || uc % 8 ||
	    uc > STUB_SC_REGION + STUB_SC_REGION_SIZE - sizeof(u))
		return -EINVAL;
	memcpy(&u, k + (uc - STUB_SC_REGION), sizeof(u));	/* once */
	fp = u.fpstate;
	if (fp < STUB_SC_STACK || fp % 64 || fp > STUB_SC_REGION + STUB_SC_REGION_SIZE - 512)
		return -EINVAL;
	fp -= STUB_SC_REGION;
	memcpy(&magic, k + fp + 464, 4);
	if (magic == FP_XSTATE_MAGIC1_) {
		memcpy(&xf, k + fp + 472, 8);
		memcpy(&xs, k + fp + 480, 4);
		if (xs < 576 || fp + xs + 4 > STUB_SC_REGION_SIZE)
			return -EINVAL;
	}
	f->uc = uc - STUB_SC_REGION;
	f->fp = fp;
	f->xsize = xs;
	f->xfeatures = xf;
	f->err = g[G_ERR];
	memset(r, 0, sizeof(*r));
	r->r8 = g[G_R8]; r->r9 = g[G_R9]; r->r10 = g[G_R10]; r->r11 = g[G_R11];
	r->r12 = g[G_R12]; r->r13 = g[G_R13]; r->r14 = g[G_R14]; r->r15 = g[G_R15];
	r->rdi = g[G_RDI]; r->rsi = g[G_RSI]; r->rbp = g[G_RBP]; r->rbx = g[G_RBX];
	r->rdx = g[G_RDX]; r->rax = g[G_RAX]; r->rcx = g[G_RCX]; r->rsp = g[G_RSP];
	r->rip = g[G_RIP]; r->eflags = g[G_EFL];
	r->cs = g[G_CSGSFS] & 0xffff;
	r->ss = (g[G_CSGSFS] >> 48) & 0xffff;
	r->orig_rax = (uint64_t)-1;
	return 0;
}

void os_sc_frame_write(void *kregion, const struct os_sc_frame *f, const struct os_regs *r)
{
	struct k_ucontext *u = (struct k_ucontext *)((char *)kregion + f->uc);
	uint64_t *g = u->gregs;

	g[G_R8] = r->r8; g[G_R9] = r->r9; g[G_R10] = r->r10; g[G_R11] = r->r11;
	g[G_R12] = r->r12; g[G_R13] = r->r13; g[G_R14] = r->r14; g[G_R15] = r->r15;
	g[G_RDI] = r->rdi; g[G_RSI] = r->rsi; g[G_RBP] = r->rbp; g[G_RBX] = r->rbx;
	g[G_RDX] = r->rdx; g[G_RAX] = r->rax; g[G_RCX] = r->rcx; g[G_RSP] = r->rsp;
	g[G_RIP] = r->rip; g[G_EFL] = r->eflags;
	g[G_CSGSFS] = (r->cs & 0xffff) | ((r->ss & 0xffff) << 48);
	/* What rt_sigreturn takes besides the registers: never the guest's. */
	u->flags = (f->xsize > 512 ? UC_FP_XSTATE_ : 0) | UC_SIGCONTEXT_SS_ | UC_STRICT_RESTORE_SS_;
	u->link = 0;
	u->stack.sp = STUB_SC_STACK;
	u->stack.flags = 0;
	u->stack.pad = 0;
	u->stack.size = STUB_SC_REGION_SIZE - 4096;
	u->fpstate = STUB_SC_REGION + f->fp;
	u->sigmask = 0;
}

/* The components of bv, each [off, off + size) inside limit: calls fn. */
#define FOR_COMPONENTS(bv, limit, i)					\
	for (unsigned i = 2; i < 64; i++)				\
		if (((bv) >> i & 1) && xsize[i] && xoff[i] >= 576 &&	\
		    (uint64_t)xoff[i] + xsize[i] <= (limit))

int os_sc_get_xstate(const void *kregion, const struct os_sc_frame *f, void *buf, uint32_t len)
{
	const unsigned char *x = (const unsigned char *)kregion + f->fp;
	unsigned char *b = buf;
	uint32_t n = f->xsize < len ? f->xsize : len;
	uint64_t bv;

	if (n < 512)
		return -EINVAL;
	if (n < 576) {
		memcpy(b, x, 512);
		return 512;
	}
	memcpy(b, x, 576);
	memcpy(&bv, b + 512, 8);		/* the copy: read once */
	bv &= f->xfeatures;
	memcpy(b + 512, &bv, 8);
	/* Only the components in use: the rest is in its init state. */
	FOR_COMPONENTS(bv, n, i)
		memcpy(b + xoff[i], x + xoff[i], xsize[i]);
	return n;
}

int os_sc_set_xstate(void *kregion, const struct os_sc_frame *f, const void *buf, uint32_t len)
{
	unsigned char *x = (unsigned char *)kregion + f->fp;
	const unsigned char *b = buf;
	uint32_t mxcsr, mask, n = f->xsize < len ? f->xsize : len;
	uint64_t bv, hdr[8] = { 0 };

	if (n < 512)
		return -EINVAL;
	memcpy(&mxcsr, b + 24, 4);
	memcpy(&mask, x + 28, 4);		/* the host's, in the frame */
	if (!mask)
		mask = 0xffbf;
	if (mxcsr & ~mask)
		return -EINVAL;		/* rt_sigreturn would refuse it */
	memcpy(x, b, 28);
	memcpy(x + 32, b + 32, 464 - 32);	/* not the mask, not the software bytes */
	if (n < 576)
		return 0;
	memcpy(&bv, b + 512, 8);
	bv &= f->xfeatures;
	hdr[0] = bv;			/* xcomp_bv 0: the standard format */
	memcpy(x + 512, hdr, sizeof(hdr));
	FOR_COMPONENTS(bv, n, i)
		memcpy(x + xoff[i], b + xoff[i], xsize[i]);
	return 0;
}

void os_sc_wake(volatile uint32_t *word)
{
	syscall(SYS_futex, word, FUTEX_WAKE, 1, NULL, NULL, 0);
}

struct waitv {
	uint64_t val, uaddr;
	uint32_t flags, reserved;
};

volatile uint32_t *os_sc_child_word(void)
{
	return &child_seq;
}

uint32_t os_sc_child_seq(void)
{
	return __atomic_load_n(&child_seq, __ATOMIC_SEQ_CST);
}

int os_sc_wait(volatile uint32_t *const *words, int n, int64_t timeout_ns, int irqs,
	       uint32_t seq)
{
	static struct waitv w[WAITV_MAX];
	struct timespec ts, *tp = NULL;
	int m = 0;

	if (irqs)
		w[m++] = (struct waitv){ 0, (uint64_t)&irq_pending, FUTEX2_SIZE_U32_ | FUTEX2_PRIVATE_, 0 };
	w[m++] = (struct waitv){ seq, (uint64_t)&child_seq,
				 FUTEX2_SIZE_U32_ | FUTEX2_PRIVATE_, 0 };
	for (int i = 0; i < n && m < WAITV_MAX; i++)
		w[m++] = (struct waitv){ STUB_SC_RUN, (uint64_t)words[i], FUTEX2_SIZE_U32_, 0 };
	if (n > WAITV_MAX - 2 + !irqs && (timeout_ns < 0 || timeout_ns > 1000000))
		timeout_ns = 1000000;	/* the rest: looked at every millisecond */
	if (timeout_ns >= 0) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_sec += timeout_ns / 1000000000;
		ts.tv_nsec += timeout_ns % 1000000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		tp = &ts;
	}
	/* seq was read before the caller reaped: a child that died since
	 * makes the wait return at once. */
	syscall(SYS_futex_waitv, w, m, 0, tp, CLOCK_MONOTONIC);
	return irqs && irq_pending ? -EINTR : 0;
}

int os_sc_reap(int *status)
{
	int pid = waitpid(-1, status, WNOHANG | __WALL);

	return pid < 0 ? -errno : pid;
}

int os_sc_reap_pid(int pid, int *status)
{
	int r = waitpid(pid, status, WNOHANG | __WALL);

	return r < 0 ? -errno : r;
}

void os_sc_interrupt(int pid, int tid)
{
	syscall(SYS_tgkill, pid, tid, SIGVTALRM);
}

/* Reads up to len - 1 bytes of a small /proc file into buf: 0 or -errno. */
static int read_small(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), e;
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	e = errno;
	close(fd);
	if (n < 0)
		return -e;
	buf[n] = 0;
	return 0;
}

int os_sc_thread_probe(int pid, int tid, struct os_sc_thread *t)
{
	char path[64], buf[2048], *p;
	unsigned long long blk, a, b;
	int r;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/status", pid, tid);
	if ((r = read_small(path, buf, sizeof(buf))) < 0)
		return r;
	p = strstr(buf, "\nState:\t");
	if (!p || !p[8])
		return -EINVAL;
	t->state = p[8];
	p = strstr(buf, "\nSigBlk:\t");
	if (!p || sscanf(p + 9, "%llx", &blk) != 1)
		return -EINVAL;
	t->blocked = (blk >> (SIGVTALRM - 1)) & 1;
	/* Its CPU time: schedstat in ns where the host has it, else the
	 * clock ticks of stat (utime and stime, after the command). */
	snprintf(path, sizeof(path), "/proc/%d/task/%d/schedstat", pid, tid);
	if (read_small(path, buf, sizeof(buf)) == 0 && sscanf(buf, "%llu", &a) == 1) {
		t->cpu_ns = a;
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", pid, tid);
	if ((r = read_small(path, buf, sizeof(buf))) < 0)
		return r;
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &a, &b) != 2)
		return -EINVAL;
	t->cpu_ns = (a + b) * (1000000000ULL / (unsigned long long)sysconf(_SC_CLK_TCK));
	return 0;
}

int os_sc_run_ops(int pid, uint64_t oploop, uint64_t done, uint64_t ops, uint64_t n,
		  uint64_t *failed, struct os_event *ev)
{
	struct user_regs_struct r;

	/* Every register from nothing: 64-bit segments, IF only, no syscall
	 * to restart, rip at the op loop, the operations in rbx and r13. */
	memset(&r, 0, sizeof(r));
	r.rip = oploop;
	r.rbx = ops;
	r.r13 = n;
	r.cs = OS_USER_CS;
	r.ss = OS_USER_DS;
	r.eflags = 0x202;
	r.orig_rax = (uint64_t)-1;
	if (ptrace(PTRACE_SETREGS, pid, 0, &r) < 0 || ptrace(PTRACE_CONT, pid, 0, 0) < 0) {
		ev->kind = OS_EV_SIGNAL;
		ev->sig = 0;
		ev->code = -errno;
		goto kill;
	}
	if (os_stub_wait(pid, ev, 0) < 0 || ev->kind == OS_EV_EXITED)
		return -ESRCH;
	if (ev->kind == OS_EV_SIGNAL && ev->sig == SIGTRAP && ev->code == SI_KERNEL &&
	    ptrace(PTRACE_GETREGS, pid, 0, &r) == 0 && r.rip == done &&
	    r.cs == OS_USER_CS && r.r12 <= n) {
		*failed = r.r12;
		return r.r12 == n ? 0 : ((int64_t)r.rax < 0 ? (int)(int64_t)r.rax : -EINVAL);
	}
kill:
	kill(pid, SIGKILL);
	return -EPERM;
}
