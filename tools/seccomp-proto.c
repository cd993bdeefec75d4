/*
 * seccomp-proto - a standalone prototype of the seccomp platform of issue
 * #11, measured against the ptrace platform's round trip on this host.
 *
 * The "kernel" is this process; the "guest" is a forked child that runs
 * guest code under a seccomp filter of its own:
 *
 *  - from the stub's two syscall instructions (their exact addresses) only
 *    futex(FUTEX_WAIT or FUTEX_WAKE) on the calling thread's own control
 *    word, and rt_sigreturn;  any other call from there kills the guest
 *    process (SECCOMP_RET_KILL_PROCESS);
 *  - anything not x86_64 (int $0x80, sysenter, a 32-bit code segment) and
 *    the x32 range kill the guest process;
 *  - every other syscall from anywhere traps (SECCOMP_RET_TRAP): the host
 *    runs nothing, the stub's SIGSYS handler takes it to the kernel.  In
 *    notif mode, getppid is SECCOMP_RET_USER_NOTIF instead: an
 *    argument-only call the kernel answers through the listener fd.
 *
 * Preemption: a time slice (50 ms here) with no request makes the kernel
 * send the thread a host signal whose handler is the same; a thread that
 * leaves it unanswered for 20 slices is killed with its process.
 *
 * Address-space changes: only the mm thread makes them, a thread of the
 * guest process started before any guest code, seized by the kernel with
 * ptrace and run only by it, from registers it makes from nothing,
 * through an op loop that keeps its state in registers and reads its
 * operations from a page mapped read-only in the guest.
 *
 * The trap path: each guest thread has a region of REGION bytes, aligned
 * to REGION, mapped from a memfd in both processes: page 0 is the control
 * block (a futex word and what the handler reports), the rest is the
 * thread's sigaltstack.  The host writes the signal frame, registers and
 * the XSAVE image with its XSTATE_BV, straight into that region, so the
 * handler copies nothing: it stores the frame's offset, sets the word to
 * REQUEST, wakes the kernel and waits on the word for RESUME.  The kernel
 * reads the frame through its own mapping (the offset bounds-checked, the
 * registers copied once before use), writes the result into the frame's
 * rax and wakes the guest, which returns through rt_sigreturn: the
 * registers the kernel wrote are the ones the guest resumes with.  The
 * handler finds its control block from its own stack pointer (the region
 * is REGION-aligned), so a guest that moves the altstack only points its
 * futex at a word the filter refuses.
 *
 * Usage:
 *   seccomp-proto bench N   getppid round trips in each mode (trap, notif,
 *                           ptrace with and without the xstate regset), and
 *                           first touches of fresh pages through the trap and
 *                           the mm thread: BENCH lines in ns per trip
 *   seccomp-proto test      correctness and hostile cases; exit 0 if all pass
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/elf.h>
#include <linux/filter.h>
#include <linux/futex.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#define REGION		(64 * 1024)
#define FAKE_PPID	4242	/* what the "kernel" answers to getppid */

enum { ST_RUNNING, ST_REQUEST, ST_RESUME };

struct ctl {
	volatile uint32_t state;	/* the futex word */
	uint32_t signo;
	volatile uint64_t frame_off;	/* ucontext, from the region's start */
	uint64_t fault_addr;
	uint64_t hello;			/* the listener fd, at the start */
	volatile int32_t mm_tid;	/* the mm thread, at the start */
	volatile uint32_t preempted;	/* written by the kernel: preemptions served */
};

#define PREEMPT_SIG	SIGVTALRM
#define SLICE_NS	(50 * 1000 * 1000)	/* a time slice: a tick of the kernel's wait */
#define PREEMPT_GRACE	20	/* ticks a thread may leave its preemption signal unanswered */

/* The mm thread's operations: written by the kernel through its own
 * mapping, read-only in the guest. */
struct op {
	uint64_t nr, a[6];
};
#define OPS_MAX ((4096 - 8) / sizeof(struct op))
struct ops {
	uint64_t count;
	struct op op[OPS_MAX];
};
#define PHYS_PAGES	256	/* the prototype's physmem: 1 MiB, fd 3 in the guest */
#define PHYS_MAGIC	0x5ec0deULL
#define FAULT_AREA	(64UL << 20)	/* PROT_NONE in the guest: faults map pages */

/* --- the stub: the only code whose syscalls the filter lets through ---- */

extern char stub_futex_ret[], stub_sigreturn[], stub_sigreturn_ret[];
long stub_futex(volatile uint32_t *w, long op, long val);
__asm__(".text\n"
	".globl stub_futex\n"
	"stub_futex:\n"
	"	mov $202, %eax\n"
	"	xor %r10d, %r10d\n"
	"	syscall\n"
	".globl stub_futex_ret\n"
	"stub_futex_ret:\n"
	"	ret\n"
	".globl stub_sigreturn\n"
	"stub_sigreturn:\n"
	"	mov $15, %eax\n"
	"	syscall\n"
	".globl stub_sigreturn_ret\n"
	"stub_sigreturn_ret:\n"
	"	ud2\n");

/* The mm thread's op loop: rbx = struct ops (read-only); no stack, no
 * memory but the ops; r12 counts the failed operations; int3 at the end
 * stops it for the kernel. */
extern char oploop[], oploop_syscall_ret[], oploop_end[];
__asm__(".text\n"
	".globl oploop\n"
	"oploop:\n"
	"	mov (%rbx), %r13\n"
	"	lea 8(%rbx), %r14\n"
	"	xor %r12d, %r12d\n"
	"	cmp $73, %r13\n"	/* OPS_MAX: never past the page */
	"	jbe 1f\n"
	"	mov $73, %r13\n"
	"1:	test %r13, %r13\n"
	"	jz 2f\n"
	"	mov (%r14), %rax\n"
	"	mov 8(%r14), %rdi\n"
	"	mov 16(%r14), %rsi\n"
	"	mov 24(%r14), %rdx\n"
	"	mov 32(%r14), %r10\n"
	"	mov 40(%r14), %r8\n"
	"	mov 48(%r14), %r9\n"
	"	syscall\n"
	".globl oploop_syscall_ret\n"
	"oploop_syscall_ret:\n"
	"	cmp $-4095, %rax\n"
	"	jb 3f\n"
	"	inc %r12\n"
	"3:	add $56, %r14\n"
	"	dec %r13\n"
	"	jmp 1b\n"
	"2:	int3\n"
	".globl oploop_end\n"
	"oploop_end:\n"
	"	ud2\n");
_Static_assert(OPS_MAX == 73, "the op loop's bound");

static void stub_handler(int sig, siginfo_t *si, void *uc)
{
	struct ctl *c = (struct ctl *)((uintptr_t)uc & ~(uintptr_t)(REGION - 1));

	c->signo = sig;
	c->frame_off = (uintptr_t)uc - (uintptr_t)c;
	c->fault_addr = (uintptr_t)si->si_addr;
	__atomic_store_n(&c->state, ST_REQUEST, __ATOMIC_RELEASE);
	stub_futex(&c->state, FUTEX_WAKE, 1);
	while (__atomic_load_n(&c->state, __ATOMIC_ACQUIRE) != ST_RESUME)
		stub_futex(&c->state, FUTEX_WAIT, ST_REQUEST);
	c->state = ST_RUNNING;
}

/* --- the filter ----------------------------------------------------------- */

struct prog {
	struct sock_filter f[64];
	int n;
};

static void emit(struct prog *p, uint16_t code, uint8_t jt, uint8_t jf, uint32_t k)
{
	p->f[p->n++] = (struct sock_filter){ code, jt, jf, k };
}

#define LD(p, off) emit(p, BPF_LD | BPF_W | BPF_ABS, 0, 0, (off))
#define RET(p, v) emit(p, BPF_RET | BPF_K, 0, 0, (v))
#define LO(off) (off)
#define HI(off) ((off) + 4)
#define D(f) offsetof(struct seccomp_data, f)

/* if (A != k) skip the next n instructions */
#define JNE(p, k, n) emit(p, BPF_JMP | BPF_JEQ | BPF_K, 0, (n), (k))

static void build_filter(struct prog *p, volatile uint32_t *word, int notif)
{
	uint64_t fr = (uintptr_t)stub_futex_ret, sr = (uintptr_t)stub_sigreturn_ret;
	uint64_t w = (uintptr_t)word;

	p->n = 0;
	LD(p, D(arch));
	JNE(p, AUDIT_ARCH_X86_64, 0);
	p->f[p->n - 1].jf = 1;
	emit(p, BPF_JMP | BPF_JA, 0, 0, 1);
	RET(p, SECCOMP_RET_KILL_PROCESS);
	LD(p, D(nr));
	emit(p, BPF_JMP | BPF_JGE | BPF_K, 0, 1, 0x40000000);
	RET(p, SECCOMP_RET_KILL_PROCESS);
	/* From stub_futex's syscall: futex(own word, WAIT or WAKE) only. */
	LD(p, HI(D(instruction_pointer)));
	JNE(p, fr >> 32, 14);
	LD(p, LO(D(instruction_pointer)));
	JNE(p, (uint32_t)fr, 12);
	LD(p, D(nr));
	JNE(p, SYS_futex, 9);
	LD(p, LO(D(args[0])));
	JNE(p, (uint32_t)w, 7);
	LD(p, HI(D(args[0])));
	JNE(p, w >> 32, 5);
	LD(p, HI(D(args[1])));
	JNE(p, 0, 3);
	LD(p, LO(D(args[1])));
	emit(p, BPF_JMP | BPF_JGT | BPF_K, 1, 0, FUTEX_WAKE);	/* WAIT 0, WAKE 1 */
	RET(p, SECCOMP_RET_ALLOW);
	RET(p, SECCOMP_RET_KILL_PROCESS);
	/* From stub_sigreturn's syscall: rt_sigreturn only. */
	LD(p, HI(D(instruction_pointer)));
	JNE(p, sr >> 32, 6);
	LD(p, LO(D(instruction_pointer)));
	JNE(p, (uint32_t)sr, 4);
	LD(p, D(nr));
	JNE(p, SYS_rt_sigreturn, 1);
	RET(p, SECCOMP_RET_ALLOW);
	RET(p, SECCOMP_RET_KILL_PROCESS);
	if (notif) {
		LD(p, D(nr));
		JNE(p, SYS_getppid, 1);
		RET(p, SECCOMP_RET_USER_NOTIF);
	}
	RET(p, SECCOMP_RET_TRAP);
}

/* The mm thread's filter: the op loop's mmap (fd 3, MAP_SHARED|MAP_FIXED),
 * munmap and mprotect, below 0x7fff00000000 and under 4 GiB long, from
 * the op loop's syscall only; anything else kills the process. */
static void build_mm_filter(struct prog *p)
{
	uint64_t ip = (uintptr_t)oploop_syscall_ret;

	p->n = 0;
	LD(p, D(arch));
	JNE(p, AUDIT_ARCH_X86_64, 22);
	LD(p, HI(D(instruction_pointer)));
	JNE(p, ip >> 32, 20);
	LD(p, LO(D(instruction_pointer)));
	JNE(p, (uint32_t)ip, 18);
	LD(p, HI(D(args[0])));
	emit(p, BPF_JMP | BPF_JGE | BPF_K, 16, 0, 0x7fff);
	LD(p, HI(D(args[1])));
	JNE(p, 0, 14);
	LD(p, D(nr));
	emit(p, BPF_JMP | BPF_JEQ | BPF_K, 11, 0, SYS_munmap);	/* -> ALLOW */
	emit(p, BPF_JMP | BPF_JEQ | BPF_K, 10, 0, SYS_mprotect);
	JNE(p, SYS_mmap, 10);
	LD(p, LO(D(args[4])));
	JNE(p, 3, 8);
	LD(p, HI(D(args[4])));
	JNE(p, 0, 6);
	LD(p, LO(D(args[3])));
	JNE(p, MAP_SHARED | MAP_FIXED, 4);
	LD(p, HI(D(args[3])));
	JNE(p, 0, 2);
	emit(p, BPF_JMP | BPF_JA, 0, 0, 0);
	RET(p, SECCOMP_RET_ALLOW);
	RET(p, SECCOMP_RET_KILL_PROCESS);
}

static char *region;	/* the guest's view; the kernel maps the same memfd */
static struct ops *ops_ro;	/* the ops page, read-only, at the same address in both */
static char *fault_area;	/* PROT_NONE in the guest: its faults map pages */
static int phys_fd = -1;	/* the prototype's physmem; fd 3 in the guest */
static volatile int scribbler_ready;

/* --- the guest side --------------------------------------------------------- */

enum { MODE_TRAP, MODE_NOTIF, MODE_PTRACE, MODE_PTRACE_XSTATE, MODE_TRAP_XSTATE };

/* A hostile or ordinary guest body, chosen by name; returns its exit code
 * (the "kernel" answers exit/exit_group by killing it, see serve()). */
typedef long (*guest_fn)(long n);

static long raw6(long nr, long a, long b, long c, long d, long e, long f)
{
	long r;
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;

	__asm__ volatile("syscall" : "=a"(r) : "0"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return r;
}

static char arena[8 * 4096] __attribute__((aligned(4096)));

static void guest_exit(long code)
{
	raw6(SYS_exit_group, code, 0, 0, 0, 0, 0);
	for (;;)
		;
}

static long g_getppid(long n)
{
	for (long i = 0; i < n; i++)
		if (raw6(SYS_getppid, 0, 0, 0, 0, 0, 0) != FAKE_PPID)
			return 1;
	return 0;
}

extern char spin_site[];
__asm__(".text\n"
	"spin_site:\n"
	"	jmp spin_site\n");

/* mmap through the kernel: it maps a physmem page marked with its
 * address, through the mm thread, before the trap returns. */
static long g_mmap(long n)
{
	(void)n;
	for (int i = 0; i < 8; i++) {
		char *want = arena + i * 4096;
		long r = raw6(SYS_mmap, (long)want, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		if (r != (long)want || *(volatile uint64_t *)want != ((uint64_t)(uintptr_t)want ^ PHYS_MAGIC))
			return 1;
		*(volatile char *)(want + 8) = 1;	/* and writable */
	}
	return 0;
}

/* Page faults: the first touch of each page of the fault area. */
static long g_fault(long n)
{
	if (n > (long)(FAULT_AREA / 4096))
		n = FAULT_AREA / 4096;
	for (long i = 0; i < n; i++) {
		volatile uint64_t *p = (volatile uint64_t *)(fault_area + i * 4096);
		if (*p != ((uint64_t)(uintptr_t)p ^ PHYS_MAGIC))
			return 1;
	}
	return 0;
}

/* Write the mm thread's operations: the page is read-only here, the
 * fault is outside the fault area, the guest is killed. */
static long g_opswrite(long n)
{
	(void)n;
	ops_ro->count = 1;
	return 0;	/* not reached */
}

/* Run the op loop ourselves with our own operations: mmap of the
 * kernel's page 0.  From a guest thread the op loop's syscall is just a
 * guest syscall: it traps, the kernel maps a page of its choosing, and the
 * int3 at the end kills us (no handler).  The secret never shows. */
static struct ops fake_ops;
static long g_oploop_jump(long n)
{
	(void)n;
	fake_ops.count = 1;
	fake_ops.op[0] = (struct op){ SYS_mmap, { (uintptr_t)arena, 4096, PROT_READ, MAP_SHARED | MAP_FIXED, 3, 0 } };
	__asm__ volatile("mov %0, %%rbx\n"
			 "jmp oploop\n" :: "r"(&fake_ops) : "rbx", "memory");
	return 0;	/* not reached */
}

/* A computing guest makes no syscall: it is preempted by the kernel's
 * signal, through the same path, and its registers and vector state
 * survive each preemption.  It runs until it has been preempted twice
 * (the kernel tells it in the control block). */
static long g_compute(long n)
{
	volatile struct ctl *c = (volatile struct ctl *)region;
	uint64_t x = 88172645463325252ULL, y = x;

	(void)n;
	while (c->preempted < 2) {
		uint64_t in[4] = { x, ~x, x * 3, x ^ 0x5555 }, out[4];
		register uint64_t r13 __asm__("r13") = x;

		__asm__ volatile("vmovdqu (%[in]), %%ymm5\n"
				 "mov $2000, %%ecx\n"
				 "1: pause\n"
				 "dec %%ecx\n"
				 "jnz 1b\n"
				 "vmovdqu %%ymm5, (%[out])\n"
				 : "+r"(r13) : [in] "r"(in), [out] "r"(out) : "rcx", "memory", "xmm5");
		if (r13 != x || memcmp(in, out, sizeof(in)))
			return 1;
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		y++;
	}
	return 0;
}

/* Block the preemption signal with a forged rt_sigreturn, then spin:
 * the kernel gets no answer to its signal and kills the process. */
static long g_mask_preempt(long n)
{
	static char stack[16384] __attribute__((aligned(16)));
	ucontext_t *uc = (ucontext_t *)(stack + sizeof(stack) - sizeof(ucontext_t) - 64);

	(void)n;
	memset(uc, 0, sizeof(*uc));
	uc->uc_mcontext.gregs[REG_RIP] = (long)spin_site;
	uc->uc_mcontext.gregs[REG_RSP] = (long)stack + 4096;
	uc->uc_mcontext.gregs[REG_CSGSFS] = 0x33 | (0x2bL << 48);
	sigfillset(&uc->uc_sigmask);
	__asm__ volatile("mov %0, %%rsp\n"
			 "jmp stub_sigreturn\n"
			 :: "r"(uc) : "memory");
	return 0;	/* not reached */
}

/* Registers and vector state survive a trap: callee-visible values set
 * before the syscall must be there after it. */
static long g_regs(long n)
{
	for (long i = 0; i < n; i++) {
		long r, x = 0x1234567800 + i;
		uint64_t out[4], in[4] = { (uint64_t)i, ~(uint64_t)i, 0x5555, 0xaaaa };
		register long r12 __asm__("r12") = x;
		register long r15 __asm__("r15") = ~x;

		__asm__ volatile("vmovdqu (%[in]), %%ymm7\n"
				 "mov $110, %%eax\n"
				 "syscall\n"
				 "vmovdqu %%ymm7, (%[out])\n"
				 : "=a"(r), "+r"(r12), "+r"(r15)
				 : [in] "r"(in), [out] "r"(out)
				 : "rcx", "r11", "memory", "xmm7");
		if (r != FAKE_PPID || r12 != x || r15 != ~x || memcmp(in, out, sizeof(in)))
			return 1;
	}
	return 0;
}

/* A raw host syscall that must not run: open of a host path with O_CREAT. */
static const char *forbidden_path;
static long g_hostopen(long n)
{
	(void)n;
	long r = raw6(SYS_open, (long)forbidden_path, O_CREAT | O_WRONLY, 0600, 0, 0, 0);
	return r == -ENOSYS ? 0 : 1;
}

/* mmap of fd 3 (the physmem fd in ./linux), kill of the kernel, ptrace,
 * socket, execve, mprotect/munmap of the stub: all trapped, none run. */
static long g_hostcalls(long n)
{
	(void)n;
	long page = (long)stub_futex_ret & ~4095L;

	/* The kernel serves mmap with a page of its own choosing: never its
	 * page 0, whatever fd and offset the guest names. */
	char *at = arena + 7 * 4096;
	long r = raw6(SYS_mmap, (long)at, 4096, PROT_READ, MAP_SHARED | MAP_FIXED, 3, 0);
	if (r == (long)at && !memcmp(at, "the kernel's secret", 19))
		return 1;
	if (raw6(SYS_kill, getppid(), SIGKILL, 0, 0, 0, 0) != -ENOSYS)
		return 2;
	if (raw6(SYS_ptrace, PTRACE_TRACEME, 0, 0, 0, 0, 0) != -ENOSYS)
		return 3;
	if (raw6(SYS_socket, AF_INET, 1, 0, 0, 0, 0) != -ENOSYS)
		return 4;
	if (raw6(SYS_mprotect, page, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, 0, 0, 0) != -ENOSYS)
		return 5;
	if (raw6(SYS_munmap, page, 4096, 0, 0, 0, 0) != -ENOSYS)
		return 6;
	if (raw6(SYS_execve, (long)"/bin/true", 0, 0, 0, 0, 0) != -ENOSYS)
		return 7;
	return 0;
}

/* Jump into the stub's futex syscall with forged registers: another word. */
static uint32_t other_word;
static long g_forge_futex(long n)
{
	(void)n;
	stub_futex(&other_word, FUTEX_WAKE, 1);
	return 0;	/* not reached: killed */
}

/* The stub's futex instruction with a dangerous call in rax: mmap of fd 3. */
static long g_forge_nr(long n)
{
	long r;
	register long r10 __asm__("r10") = MAP_SHARED;
	register long r8 __asm__("r8") = 3;
	register long r9 __asm__("r9") = 0;

	(void)n;
	/* Push a return address and jump to the syscall instruction itself. */
	__asm__ volatile("lea 1f(%%rip), %%rcx\n"
			 "push %%rcx\n"
			 "lea stub_futex_ret(%%rip), %%rcx\n"
			 "sub $2, %%rcx\n"
			 "jmp *%%rcx\n"
			 "1:\n"
			 : "=a"(r)
			 : "0"((long)SYS_mmap), "D"(0L), "S"(4096L), "d"((long)PROT_READ), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return 0;	/* not reached */
}

extern char int80_site[];
__asm__(".text\n"
	"int80_site:\n"
	"	int $0x80\n"
	"	ud2\n");

/* rt_sigreturn through the stub with a forged frame: a 32-bit code segment,
 * then int $0x80 there.  Killed: no IA32 syscall reaches the host. */
static long g_forge_sigreturn(long n)
{
	static char stack[16384] __attribute__((aligned(16)));
	ucontext_t *uc = (ucontext_t *)(stack + sizeof(stack) - sizeof(ucontext_t) - 64);

	(void)n;
	memset(uc, 0, sizeof(*uc));
	uc->uc_mcontext.gregs[REG_RIP] = (long)int80_site;	/* int $0x80, in 32-bit mode */
	uc->uc_mcontext.gregs[REG_RAX] = 20;	/* IA32 getpid */
	uc->uc_mcontext.gregs[REG_RSP] = (long)stack + 4096;
	uc->uc_mcontext.gregs[REG_CSGSFS] = 0x23 | (0x2bL << 48);	/* cs 0x23, ss 0x2b */
	__asm__ volatile("mov %0, %%rsp\n"
			 "jmp stub_sigreturn\n"
			 :: "r"(uc) : "memory");
	return 0;	/* not reached */
}

static long g_int80(long n)
{
	long r = 20;	/* getpid, IA32 */

	(void)n;
	__asm__ volatile("int $0x80" : "+a"(r) :: "memory");
	return 0;	/* not reached */
}

static long g_vsyscall(long n)
{
	long (*vtime)(long *) = (long (*)(long *))0xffffffffff600400;

	(void)n;
	/* Trapped (seccomp runs on the vsyscall emulation path): the kernel
	 * answers -ENOSYS here; a host with vsyscall=none faults instead. */
	long r = vtime(NULL);
	return r == -ENOSYS ? 0 : 1;
}

/* A second thread scribbles over the control block while the first one
 * makes syscalls: the kernel bounds-checks what it reads, so the worst is
 * that this guest process is killed or served wrong answers. */
static struct ctl *g_ctl;
/* The scribbler installs the guest filter itself (so no TSYNC is needed,
 * which the mm thread's different filter would refuse). */
static int scribbler(void *arg)
{
	struct prog p;

	(void)arg;
	build_filter(&p, &g_ctl->state, 0);
	struct sock_fprog fp = { (unsigned short)p.n, p.f };
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fp) < 0)
		_exit(106);
	scribbler_ready = 1;
	for (uint64_t i = 0;; i++) {
		g_ctl->frame_off = i * 0x9e3779b97f4a7c15ULL;
		g_ctl->state = (uint32_t)i % 3;
	}
	return 0;
}

/* The scribbler thread starts before the filter (see guest_main): the
 * "kernel" here does not emulate clone. */
static long g_scribble(long n)
{
	for (long i = 0; i < n; i++)
		raw6(SYS_getppid, 0, 0, 0, 0, 0, 0);
	return 0;
}


static void mm_spin(void) __attribute__((noreturn));
static void mm_spin(void)
{
	for (;;)
		__builtin_ia32_pause();
}

/* The mm thread: all signals blocked, its own filter, then it waits for
 * the kernel to seize it; from then on it runs only the op loop. */
static int mm_thread(void *arg)
{
	struct ctl *c = arg;
	uint64_t all = ~0ULL;
	struct prog p;

	syscall(SYS_rt_sigprocmask, SIG_SETMASK, &all, NULL, 8);
	build_mm_filter(&p);
	struct sock_fprog fp = { (unsigned short)p.n, p.f };
	pid_t tid = (pid_t)syscall(SYS_gettid);
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fp) < 0)
		tid = -1;
	__atomic_store_n(&c->mm_tid, tid, __ATOMIC_RELEASE);
	mm_spin();
}


static void guest_main(int mode, guest_fn fn, long n, int scribble)
{
	struct ctl *c = (struct ctl *)region;

	/* A guest outlives no kernel (as ./linux's stubs). */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() == 1)
		_exit(105);
	if (mode == MODE_PTRACE || mode == MODE_PTRACE_XSTATE) {
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		raise(SIGSTOP);
		guest_exit(fn(n));
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || dup2(phys_fd, 3) != 3)
		_exit(102);
	stack_t ss = { .ss_sp = region + 4096, .ss_size = REGION - 4096 };
	if (sigaltstack(&ss, NULL) < 0)
		_exit(100);
	/* The handler returns through the stub's rt_sigreturn (SA_RESTORER). */
	struct {
		void *handler;
		unsigned long flags;
		void *restorer;
		uint64_t mask;
	} ksa = { (void *)stub_handler, SA_SIGINFO | SA_ONSTACK | 0x04000000 /* SA_RESTORER */, stub_sigreturn,
		  ~0ULL & ~((1ULL << (SIGKILL - 1)) | (1ULL << (SIGSTOP - 1))) };
	if (syscall(SYS_rt_sigaction, SIGSYS, &ksa, NULL, 8) < 0 ||
	    syscall(SYS_rt_sigaction, SIGSEGV, &ksa, NULL, 8) < 0 ||
	    syscall(SYS_rt_sigaction, PREEMPT_SIG, &ksa, NULL, 8) < 0)
		_exit(101);
	static char mm_stack[16384] __attribute__((aligned(16)));
	if (clone(mm_thread, mm_stack + sizeof(mm_stack),
		  CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM, c) < 0)
		_exit(107);
	while (__atomic_load_n(&c->mm_tid, __ATOMIC_ACQUIRE) == 0)
		__builtin_ia32_pause();
	if (scribble) {
		static char stk[65536] __attribute__((aligned(16)));

		g_ctl = c;
		if (clone(scribbler, stk + sizeof(stk), CLONE_VM | CLONE_THREAD | CLONE_SIGHAND, NULL) < 0)
			_exit(104);
		while (!scribbler_ready)
			__builtin_ia32_pause();
	}
	struct prog p;
	build_filter(&p, &c->state, mode == MODE_NOTIF);
	struct sock_fprog fp = { (unsigned short)p.n, p.f };
	long fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
			  mode == MODE_NOTIF ? SECCOMP_FILTER_FLAG_NEW_LISTENER : 0, &fp);
	if (fd < 0)
		_exit(103);
	/* Hello: the kernel seizes the mm thread and, in notif mode, takes
	 * the listener with pidfd_getfd (this process never uses it: every
	 * syscall of ours traps from now on).  No guest code has run yet,
	 * so the kernel may believe what this request says. */
	c->hello = (uint64_t)fd;
	c->signo = 0;
	__atomic_store_n(&c->state, ST_REQUEST, __ATOMIC_RELEASE);
	stub_futex(&c->state, FUTEX_WAKE, 1);
	while (__atomic_load_n(&c->state, __ATOMIC_ACQUIRE) != ST_RESUME)
		stub_futex(&c->state, FUTEX_WAIT, ST_REQUEST);
	c->state = ST_RUNNING;
	guest_exit(fn(n));
}

/* --- the kernel side ----------------------------------------------------- */


struct guest {
	pid_t pid;
	char *kregion;	/* the kernel's mapping of the region */
	int exit_code;	/* set when the guest asked to exit */
	int spin;
	long budget;	/* requests served before it is killed (0: no limit) */
	pid_t mm_tid;	/* its mm thread, seized (0: none) */
	struct ops *kops;	/* the kernel's (writable) mapping of the ops page */
	char *kphys;	/* the kernel's mapping of the physmem */
	unsigned next_phys;
	int started;	/* the hello is done: preemption may begin */
	int unanswered;	/* ticks since a preemption signal went unanswered */
	unsigned preempts;
	int xcopy;	/* copy the xstate in use out of the frame and back */
	uint64_t xbytes, xtraps;	/* bytes so copied, traps */
};

/* Never kill(0) or kill(-1): a pid that is not a live guest's is refused. */
static void kill_pid(pid_t pid)
{
	if (pid > 0)
		kill(pid, SIGKILL);
}

static void kill_guest(struct guest *g, const char *why)
{
	fprintf(stderr, "seccomp-proto: guest %d: %s: killed\n", g->pid, why);
	kill_pid(g->pid);
}

/* Runs the op loop in the mm thread with registers made from nothing.
 * Returns 0, -ENOMEM when an operation failed, or -1 when the guest had
 * to be killed (the mm thread did not stop where it must). */
static int mm_run(struct guest *g)
{
	struct user_regs_struct r;
	int st;

	memset(&r, 0, sizeof(r));
	r.rip = (uintptr_t)oploop;
	r.rbx = (uintptr_t)ops_ro;
	r.cs = 0x33;
	r.ss = 0x2b;
	r.eflags = 0x202;
	r.orig_rax = -1;
	if (g->mm_tid <= 0 || ptrace(PTRACE_SETREGS, g->mm_tid, 0, &r) < 0 ||
	    ptrace(PTRACE_CONT, g->mm_tid, 0, 0) < 0 || waitpid(g->mm_tid, &st, __WALL) != g->mm_tid ||
	    !WIFSTOPPED(st) || WSTOPSIG(st) != SIGTRAP || ptrace(PTRACE_GETREGS, g->mm_tid, 0, &r) < 0 ||
	    r.rip != (uintptr_t)oploop_end) {
		kill_guest(g, "its mm thread did not finish the op loop");
		return -1;
	}
	return r.r12 ? -ENOMEM : 0;
}

/* Maps a fresh physmem page, marked with its address, at addr. */
static int map_page(struct guest *g, uint64_t addr, int prot)
{
	unsigned page = 1 + g->next_phys++ % (PHYS_PAGES - 1);	/* page 0 stays the kernel's */

	*(uint64_t *)(g->kphys + (size_t)page * 4096) = addr ^ PHYS_MAGIC;
	g->kops->count = 1;
	g->kops->op[0] = (struct op){ SYS_mmap, { addr, 4096, (uint64_t)(prot & (PROT_READ | PROT_WRITE)),
						  MAP_SHARED | MAP_FIXED, 3, (uint64_t)page * 4096 } };
	return mm_run(g);
}

/* Serves syscall nr; returns 1 when the guest asked to exit, -1 when it
 * was killed, else 0 with *ret the result. */
static long serve_nr(struct guest *g, long nr, const uint64_t a[6], long *ret)
{
	switch (nr) {
	case SYS_getppid:
		*ret = FAKE_PPID;
		return 0;
	case SYS_exit:
	case SYS_exit_group:
		return 1;	/* the caller ends the guest */
	case SYS_mmap:
		/* One page at a page-aligned address below 0x7fff00000000;
		 * the guest's fd and flags are not used. */
		if (!g || !g->mm_tid) {
			*ret = -ENOSYS;
			return 0;
		}
		if (a[0] % 4096 || a[1] != 4096 || a[0] >= 0x7fff00000000ULL || a[0] < 0x10000) {
			*ret = -EINVAL;
			return 0;
		}
		int r = map_page(g, a[0], (int)a[2]);
		if (r < 0 && r != -ENOMEM)
			return -1;
		*ret = r ? r : (long)a[0];
		return 0;
	default:
		*ret = -ENOSYS;
		return 0;
	}
}

/* Reaps the mm thread if the process died (a traced thread must be
 * reaped by its tracer before its leader's status is reported), then
 * the leader.  Returns 1 with *st when the guest is gone. */
static int guest_gone(struct guest *g, int *st, int options)
{
	int x;

	if (g->mm_tid > 0 && waitpid(g->mm_tid, &x, __WALL | options) == g->mm_tid)
		g->mm_tid = -1;
	return waitpid(g->pid, st, options) == g->pid;
}

/* The XSAVE (standard format) components in use, per the frame's
 * XSTATE_BV: the kernel copies the legacy area, the header and the
 * components whose bit is set, nothing else; offsets and sizes from
 * CPUID leaf 0xd.  Returns -1 (the guest is killed) for a frame whose
 * fpstate pointer or components lie outside the region. */
static unsigned char task_xstate[16384];
static char xstate_note[64];	/* bench: bytes copied per trap, of the last run */
/* CPUID leaf 0xd, once: cpuid is a VM exit under a hypervisor, about a
 * microsecond each on this host, so it is never run per trap. */
static unsigned xsize[64], xoff[64];
static void xstate_layout(void)
{
	for (unsigned i = 2; i < 64; i++) {
		unsigned eax, ebx, ecx, edx;

		__asm__("cpuid" : "=a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx) : "a"(0xd), "c"(i));
		xsize[i] = eax;
		xoff[i] = ebx;
	}
}

static int xstate_copy(struct guest *g, const ucontext_t *uc, int back)
{
	uint64_t fp = (uintptr_t)uc->uc_mcontext.fpregs, base = (uintptr_t)region;

	if (fp < base + 4096 || fp - base > REGION - 576 || fp % 64) {
		kill_guest(g, "its frame's xstate pointer is outside its region");
		return -1;
	}
	unsigned char *x = (unsigned char *)g->kregion + (fp - base);
	uint64_t bv;
	memcpy(&bv, x + 512, 8);	/* read once */
	size_t n = 576;
	if (back)
		memcpy(x, task_xstate, 576);
	else
		memcpy(task_xstate, x, 576);
	for (unsigned i = 2; i < 64; i++) {
		if (!(bv & (1ULL << i)))
			continue;
		unsigned eax = xsize[i], ebx = xoff[i];
		if (!eax || ebx + (uint64_t)eax > sizeof(task_xstate) || fp - base + ebx + eax > REGION) {
			kill_guest(g, "its frame's XSTATE_BV names a component that does not fit");
			return -1;
		}
		if (back) {
			memcpy(x + ebx, task_xstate + ebx, eax);
		} else {
			memcpy(task_xstate + ebx, x + ebx, eax);
			memset(x + ebx, 0xa5, eax);	/* the resume must come from our copy */
		}
		n += eax;
	}
	if (!back)
		memset(x + 160, 0xa5, 256);	/* XMM0-15: likewise */
	g->xbytes += n;
	return 0;
}

/* One trap: the guest's request is in its region.  Returns 1 when the
 * guest is gone (killed or exited). */
static int serve_trap(struct guest *g)
{
	struct ctl *c = (struct ctl *)g->kregion;
	uint64_t off = c->frame_off;	/* read once */
	ucontext_t uc;

	if (g->budget && --g->budget == 0) {
		kill_guest(g, "request budget spent");
		return 1;
	}
	if (off < 4096 || off > REGION - sizeof(ucontext_t) || off % 8) {
		kill_guest(g, "frame outside its region");
		return 1;
	}
	memcpy(&uc, g->kregion + off, sizeof(uc));	/* copied once, then validated */
	greg_t *gr = uc.uc_mcontext.gregs;
	long nr = gr[REG_RAX], ret;
	if (g->xcopy) {
		g->xtraps++;
		if (xstate_copy(g, &uc, 0) || xstate_copy(g, &uc, 1))
			return 1;
	}
	uint32_t signo = __atomic_load_n(&c->signo, __ATOMIC_RELAXED);
	uint64_t fault = c->fault_addr;	/* read once */
	if (signo == SIGSEGV) {
		/* A fault in the fault area maps a fresh page there (any
		 * address in it the guest names is as good as another);
		 * any other fault kills the guest. */
		if (fault < (uintptr_t)fault_area || fault - (uintptr_t)fault_area >= FAULT_AREA) {
			kill_guest(g, "a fault outside its fault area");
			return 1;
		}
		if (map_page(g, fault & ~4095ULL, PROT_READ | PROT_WRITE))
			return 1;
	} else if (signo == PREEMPT_SIG) {
		/* Preempted: a real kernel would schedule here; this one
		 * counts it and resumes the thread where it was. */
		g->unanswered = 0;
		c->preempted = ++g->preempts;
	} else if (signo != SIGSYS) {
		kill_guest(g, "a request with no known cause");
		return 1;
	} else {
		uint64_t a[6] = { (uint64_t)gr[REG_RDI], (uint64_t)gr[REG_RSI], (uint64_t)gr[REG_RDX],
				  (uint64_t)gr[REG_R10], (uint64_t)gr[REG_R8], (uint64_t)gr[REG_R9] };
		long r = serve_nr(g, nr, a, &ret);
		if (r) {
			if (r > 0) {
				g->exit_code = (int)gr[REG_RDI];
				kill_pid(g->pid);
			}
			return 1;
		}
		/* The result goes into the frame the guest resumes from. */
		((ucontext_t *)(g->kregion + off))->uc_mcontext.gregs[REG_RAX] = ret;
	}
	__atomic_store_n(&c->state, ST_RESUME, __ATOMIC_RELEASE);
	syscall(SYS_futex, &c->state, FUTEX_WAKE, 1, NULL, NULL, 0);
	return 0;
}

/* A time slice passed with no request: preempt the guest thread with a
 * host signal, whose handler takes the same path as a syscall.  A thread
 * that leaves it unanswered for PREEMPT_GRACE slices (it blocked the
 * signal through a forged rt_sigreturn) is killed with its process.
 * Returns 1 when the guest was killed. */
static int tick(struct guest *g)
{
	if (!g->started || g->unanswered > PREEMPT_GRACE)
		return 0;	/* not yet started, or already killed */
	if (g->unanswered && ++g->unanswered > PREEMPT_GRACE) {
		kill_guest(g, "did not answer its preemption signal");
		return 1;
	}
	if (!g->unanswered)
		g->unanswered = 1;
	syscall(SYS_tgkill, g->pid, g->pid, PREEMPT_SIG);
	return 0;
}

static int wait_request(struct guest *g)
{
	struct ctl *c = (struct ctl *)g->kregion;
	struct timespec ts = { 0, SLICE_NS };

	for (int i = 0; i < g->spin; i++) {
		if (__atomic_load_n(&c->state, __ATOMIC_ACQUIRE) == ST_REQUEST)
			return 0;
		__builtin_ia32_pause();
	}
	while (__atomic_load_n(&c->state, __ATOMIC_ACQUIRE) != ST_REQUEST) {
		long r = syscall(SYS_futex, &c->state, FUTEX_WAIT, c->state, &ts, NULL, 0);
		int st;
		if (r < 0 && errno == ETIMEDOUT)
			tick(g);	/* a kill is reaped below */
		if (guest_gone(g, &st, WNOHANG)) {
			g->pid = -st - 1;	/* gone: its status, encoded */
			return 1;
		}
	}
	return 0;
}

static int run_guest_budget(int mode, guest_fn fn, long n, int scribble, int spin, long budget, double *ns);

/* Runs a guest to its end; returns its wait status (exit code of the
 * guest body as a normal exit, or the signal that killed it). */
static int run_guest(int mode, guest_fn fn, long n, int scribble, int spin, double *ns)
{
	return run_guest_budget(mode, fn, n, scribble, spin, 0, ns);
}

static int run_guest_budget(int mode, guest_fn fn, long n, int scribble, int spin, long budget, double *ns)
{
	int mfd = memfd_create("seccomp-proto", 0);
	struct guest g = { .exit_code = -1, .spin = spin, .budget = budget, .xcopy = mode == MODE_TRAP_XSTATE };

	if (mfd < 0 || ftruncate(mfd, REGION) < 0)
		return -1;
	/* The guest's view: REGION-aligned. */
	char *area = mmap(NULL, 2 * REGION, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	region = (char *)(((uintptr_t)area + REGION - 1) & ~(uintptr_t)(REGION - 1));
	if (area == MAP_FAILED || mmap(region, REGION, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, mfd, 0) == MAP_FAILED)
		return -1;
	g.kregion = mmap(NULL, REGION, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
	if (g.kregion == MAP_FAILED)
		return -1;
	memset(g.kregion, 0, 4096);
	/* The physmem (fd 3 in the guest; page 0 a "secret" of the kernel's),
	 * the ops page (read-only at ops_ro in both processes, writable at
	 * g.kops here) and the fault area, all made before the fork. */
	int ofd = memfd_create("seccomp-proto-ops", 0);
	phys_fd = memfd_create("seccomp-proto-phys", 0);
	if (ofd < 0 || phys_fd < 0 || ftruncate(ofd, 4096) < 0 || ftruncate(phys_fd, PHYS_PAGES * 4096) < 0)
		return -1;
	ops_ro = mmap(NULL, 4096, PROT_READ, MAP_SHARED, ofd, 0);
	g.kops = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, ofd, 0);
	g.kphys = mmap(NULL, PHYS_PAGES * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, phys_fd, 0);
	fault_area = mmap(NULL, FAULT_AREA, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (ops_ro == MAP_FAILED || g.kops == MAP_FAILED || g.kphys == MAP_FAILED || fault_area == MAP_FAILED)
		return -1;
	strcpy(g.kphys, "the kernel's secret");
	fflush(NULL);
	g.pid = fork();
	if (g.pid < 0)
		return -1;
	if (g.pid == 0)
		guest_main(mode, fn, n, scribble);
	struct timespec t0, t1;
	int st = -1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (mode == MODE_PTRACE || mode == MODE_PTRACE_XSTATE) {
		static char xs[65536];
		struct iovec iov = { xs, sizeof(xs) };
		struct user_regs_struct r;

		waitpid(g.pid, &st, 0);
		ptrace(PTRACE_SETOPTIONS, g.pid, 0, PTRACE_O_EXITKILL | PTRACE_O_TRACESYSGOOD);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		for (;;) {
			ptrace(PTRACE_SYSEMU, g.pid, 0, 0);
			if (waitpid(g.pid, &st, 0) != g.pid || !WIFSTOPPED(st))
				break;
			if (WSTOPSIG(st) != (SIGTRAP | 0x80)) {
				kill_pid(g.pid);
				continue;
			}
			ptrace(PTRACE_GETREGS, g.pid, 0, &r);
			if (mode == MODE_PTRACE_XSTATE) {
				iov.iov_len = sizeof(xs);
				ptrace(PTRACE_GETREGSET, g.pid, NT_X86_XSTATE, &iov);
			}
			long ret;
			uint64_t a[6] = { r.rdi, r.rsi, r.rdx, r.r10, r.r8, r.r9 };
			if (serve_nr(NULL, (long)r.orig_rax, a, &ret)) {
				g.exit_code = (int)r.rdi;
				kill_pid(g.pid);
				continue;
			}
			r.rax = ret;
			ptrace(PTRACE_SETREGS, g.pid, 0, &r);
			if (mode == MODE_PTRACE_XSTATE)
				ptrace(PTRACE_SETREGSET, g.pid, NT_X86_XSTATE, &iov);
		}
	} else {
		int nfd = -1;
		long idle_polls = 0;
		struct ctl *c = (struct ctl *)g.kregion;
		/* The hello: nothing but stub code has run in the guest. */
		if (wait_request(&g))
			goto gone;
		pid_t tid = c->mm_tid;
		char task[64];
		snprintf(task, sizeof(task), "/proc/%d/task/%d", g.pid, tid);
		if (c->signo != 0 || tid <= 0 || tid == g.pid || access(task, F_OK) < 0 ||
		    ptrace(PTRACE_SEIZE, tid, 0, PTRACE_O_EXITKILL) < 0) {
			kill_guest(&g, "no mm thread");
		} else {
			int mst;
			g.mm_tid = tid;
			if (ptrace(PTRACE_INTERRUPT, tid, 0, 0) < 0 || waitpid(tid, &mst, __WALL) != tid ||
			    !WIFSTOPPED(mst))
				kill_guest(&g, "its mm thread did not stop");
		}
		if (mode == MODE_NOTIF) {
			int pfd = (int)syscall(SYS_pidfd_open, g.pid, 0);
			nfd = pfd < 0 ? -1 : (int)syscall(SYS_pidfd_getfd, pfd, (int)c->hello, 0);
			if (pfd >= 0)
				close(pfd);
			if (nfd < 0)
				kill_guest(&g, "no listener");
#ifdef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
			else
				ioctl(nfd, SECCOMP_IOCTL_NOTIF_SET_FLAGS, SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP);
#endif
		}
		g.started = 1;
		__atomic_store_n(&c->state, ST_RESUME, __ATOMIC_RELEASE);
		syscall(SYS_futex, &c->state, FUTEX_WAKE, 1, NULL, NULL, 0);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		for (;;) {
			if (mode == MODE_NOTIF && nfd >= 0) {
				/* getppid arrives on the listener; traps on the word. */
				struct seccomp_notif req;
				struct seccomp_notif_resp resp;
				struct ctl *c = (struct ctl *)g.kregion;

				if (__atomic_load_n(&c->state, __ATOMIC_ACQUIRE) == ST_REQUEST) {
					if (serve_trap(&g))
						break;
					continue;
				}
				/* A trap sets the word but makes no notification:
				 * poll the listener with a short timeout, look at
				 * the word in between (a real kernel would wait for
				 * both in its event loop). */
				struct pollfd pfd = { nfd, POLLIN, 0 };
				int pr = poll(&pfd, 1, 1);
				if (pr == 0 || (pr < 0 && errno == EINTR)) {
					int wst;
					if (pr == 0 && ++idle_polls % (SLICE_NS / 1000000) == 0)
						tick(&g);
					if (guest_gone(&g, &wst, WNOHANG)) {
						g.pid = -wst - 1;
						goto gone;
					}
					continue;
				}
				if (pr < 0 || (pfd.revents & (POLLHUP | POLLERR)))
					break;	/* no task uses the filter: gone */
				memset(&req, 0, sizeof(req));
				if (ioctl(nfd, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0) {
					if (errno == EINTR || errno == ENOENT)
						continue;	/* interrupted, or the caller died */
					if (wait_request(&g))
						goto gone;
					if (serve_trap(&g))
						break;
					continue;
				}
				long ret;
				memset(&resp, 0, sizeof(resp));
				resp.id = req.id;
				uint64_t a[6];
				memcpy(a, req.data.args, sizeof(a));
				if (serve_nr(&g, req.data.nr, a, &ret)) {
					kill_pid(g.pid);
					break;
				}
				resp.val = ret;
				ioctl(nfd, SECCOMP_IOCTL_NOTIF_SEND, &resp);
				continue;
			}
			if (wait_request(&g))
				goto gone;
			if (serve_trap(&g))
				break;
		}
		if (nfd >= 0)
			close(nfd);
	}
	if (g.pid > 0)
		guest_gone(&g, &st, 0);
	if (0) {
gone:
		st = -g.pid - 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (ns)
		*ns = (t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec);
	if (g.xtraps)
		snprintf(xstate_note, sizeof(xstate_note), " xstate_bytes_per_trap=%llu",
			 (unsigned long long)(g.xbytes / g.xtraps / 2));
	munmap(g.kregion, REGION);
	munmap(ops_ro, 4096);
	munmap(g.kops, 4096);
	munmap(g.kphys, PHYS_PAGES * 4096);
	munmap(fault_area, FAULT_AREA);
	close(ofd);
	close(phys_fd);
	munmap(area, 2 * REGION);
	close(mfd);
	/* Killed by us after an exit request: report the exit code. */
	if (g.exit_code >= 0 && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL)
		return g.exit_code << 8;
	return st;
}

static const char *mode_name[] = { "trap", "notif", "ptrace", "ptrace+xstate", "trap+xstate" };

static int bench(long n)
{
	int spin = 0;
	const char *s = getenv("SPIN");
	double ns;

	if (s)
		spin = atoi(s);
	for (int m = 0; m < 5; m++) {
		int st = run_guest(m, g_getppid, n, 0, spin, &ns);

		if (st != 0)
			printf("BENCH proto-%s error status=%#x\n", mode_name[m], st);
		else
			printf("BENCH proto-%s ns_per_op=%.1f n=%ld%s\n", mode_name[m], ns / n, n,
			       m == MODE_TRAP_XSTATE ? xstate_note : "");
	}
	/* Page faults: SIGSEGV -> the kernel -> the mm thread maps the page
	 * -> resume (the time includes the guest's start and end). */
	long pages = n < (long)(FAULT_AREA / 4096) ? n : (long)(FAULT_AREA / 4096);
	int st = run_guest(MODE_TRAP, g_fault, pages, 0, spin, &ns);
	if (st != 0)
		printf("BENCH proto-fault error status=%#x\n", st);
	else
		printf("BENCH proto-fault ns_per_op=%.1f n=%ld\n", ns / pages, pages);
	return 0;
}

static int failures;

static void expect(const char *what, int mode, int st, int want_exit, int want_sig)
{
	int ok = want_sig ? WIFSIGNALED(st) && WTERMSIG(st) == want_sig : WIFEXITED(st) && WEXITSTATUS(st) == want_exit;

	printf("%s %s/%s: status %#x\n", ok ? "ok" : "not ok", mode_name[mode], what, st);
	failures += !ok;
}

static int test(void)
{
	char path[] = "/tmp/seccomp-proto.XXXXXX";
	int fd = mkstemp(path);

	if (fd < 0)
		return 1;
	close(fd);
	unlink(path);
	forbidden_path = path;
	for (int m = MODE_TRAP; m <= MODE_NOTIF; m++) {
		expect("getppid", m, run_guest(m, g_getppid, 1000, 0, 0, NULL), 0, 0);
		expect("regs+ymm", m, run_guest(m, g_regs, 200, 0, 0, NULL), 0, 0);
		if (m == MODE_TRAP)
			expect("regs+ymm, xstate copied", MODE_TRAP_XSTATE,
			       run_guest(MODE_TRAP_XSTATE, g_regs, 200, 0, 0, NULL), 0, 0);
		expect("hostopen", m, run_guest(m, g_hostopen, 1, 0, 0, NULL), 0, 0);
		if (access(path, F_OK) == 0) {
			printf("not ok %s/hostopen: the host file was created\n", mode_name[m]);
			unlink(path);
			failures++;
		}
		expect("hostcalls", m, run_guest(m, g_hostcalls, 1, 0, 0, NULL), 0, 0);
		expect("forge_futex", m, run_guest(m, g_forge_futex, 1, 0, 0, NULL), 0, SIGSYS);
		expect("forge_nr", m, run_guest(m, g_forge_nr, 1, 0, 0, NULL), 0, SIGSYS);
		expect("forge_sigreturn", m, run_guest(m, g_forge_sigreturn, 1, 0, 0, NULL), 0, SIGSYS);
		expect("int80", m, run_guest(m, g_int80, 1, 0, 0, NULL), 0, SIGSYS);
		expect("vsyscall", m, run_guest(m, g_vsyscall, 1, 0, 0, NULL), 0, 0);
		expect("mmap", m, run_guest(m, g_mmap, 1, 0, 0, NULL), 0, 0);
		expect("preempt", m, run_guest(m, g_compute, 1, 0, 0, NULL), 0, 0);
		expect("mask_preempt", m, run_guest(m, g_mask_preempt, 1, 0, 0, NULL), 0, SIGKILL);
		expect("fault", m, run_guest(m, g_fault, 300, 0, 0, NULL), 0, 0);
		expect("opswrite", m, run_guest(m, g_opswrite, 1, 0, 0, NULL), 0, SIGKILL);
		expect("oploop_jump", m, run_guest(m, g_oploop_jump, 1, 0, 0, NULL), 0, SIGTRAP);
		/* The scribbler makes the kernel refuse the frame (killed) or,
		 * if it loses every race, the guest finishes: either way the
		 * kernel stays up and serves the next guest. */
		int st = run_guest_budget(m, g_scribble, 1000, 1, 0, 100000, NULL);
		int ok = (WIFSIGNALED(st) && (WTERMSIG(st) == SIGKILL || WTERMSIG(st) == SIGSYS)) ||
			 (WIFEXITED(st) && WEXITSTATUS(st) == 0);
		printf("%s %s/scribble: status %#x\n", ok ? "ok" : "not ok", mode_name[m], st);
		failures += !ok;
		expect("getppid after", m, run_guest(m, g_getppid, 1000, 0, 0, NULL), 0, 0);
	}
	printf(failures ? "%d failed\n" : "PASSED\n", failures);
	return failures != 0;
}

int main(int argc, char **argv)
{
	xstate_layout();
	if (argc > 1 && !strcmp(argv[1], "bench"))
		return bench(argc > 2 ? atol(argv[2]) : 100000);
	if (argc > 1 && !strcmp(argv[1], "test"))
		return test();
	fprintf(stderr, "usage: seccomp-proto bench N | test\n");
	return 2;
}
