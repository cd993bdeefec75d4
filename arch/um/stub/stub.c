/*
 * stub.c - the program every guest address space runs in.
 *
 * Freestanding, linked at STUB_CODE.  At start (rdi = physmem offset of
 * its data pages, set by the kernel at the exec stop) it maps the data
 * pages, unmaps everything else the host gave it, closes all fds but the
 * physmem one, installs a seccomp filter on itself and stops.  Afterwards
 * the kernel runs guest code in this process under PTRACE_SYSEMU, and
 * sends it to stub_run_ops, with every register set by the kernel, to
 * change its mappings.
 *
 * The filter is the backstop behind those registers: the only host
 * syscalls it lets through are mmap (of the physmem fd, MAP_SHARED |
 * MAP_FIXED, with or without MAP_POPULATE), munmap and mprotect inside the guest's range [0, TASK_SIZE),
 * made from the op loop's one syscall instruction.  Anything else kills
 * the process.  Guest syscalls never reach it: a PTRACE_SYSEMU stop comes
 * before seccomp and the syscall is skipped.  The one exception is the
 * host's vsyscall page, whose emulation runs seccomp without a ptrace
 * stop: calls from there get SECCOMP_RET_TRAP, so the host runs nothing
 * and the kernel sees a SIGSYS stop it emulates (docs/security.md).
 */
#include "shared/stub.h"
#include "uapi/asm/unistd.h"
#include "uapi/linux/audit.h"
#include "uapi/linux/filter.h"
#include "uapi/linux/mman.h"
#include "uapi/linux/seccomp.h"
#include <stddef.h>

#define HOST_TOP 0x7ffffffff000ULL
#define PR_SET_NO_NEW_PRIVS_ 38
#define VSYSCALL_PAGE 0xffffffffff600000ULL

static char stub_stack[16384] __attribute__((aligned(16)));

/* The op loop's only syscall instruction, and the address after it, which
 * is what seccomp sees as the instruction pointer.  Arguments as for a
 * SysV call of (a0, a1, a2, a3, a4, a5, nr). */
long stub_op_syscall(long a0, long a1, long a2, long a3, long a4, long a5, long nr);
extern const char stub_op_syscall_ret[];
__asm__(".text\n"
	".globl stub_op_syscall, stub_op_syscall_ret\n"
	".type stub_op_syscall,@function\n"
	"stub_op_syscall:\n"
	"	mov 8(%rsp), %rax\n"
	"	mov %rcx, %r10\n"
	"	syscall\n"
	"stub_op_syscall_ret:\n"
	"	ret\n");

/* Where the kernel points rip: a fresh call of the op loop on the stub's
 * own stack, then the int3 the kernel waits for, then nothing. */
extern const char stub_run_ops[], stub_ops_done[];
__asm__(".text\n"
	".globl stub_run_ops, stub_ops_done\n"
	"stub_run_ops:\n"
	"	and $-16, %rsp\n"
	"	call stub_do_ops\n"
	"	int3\n"
	"stub_ops_done:\n"
	"	ud2\n");

/* Startup syscalls, before the filter exists. */
static inline long stub_syscall6(long n, long a, long b, long c, long d, long e, long f)
{
	long ret;
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;

	__asm__ volatile("syscall" : "=a"(ret)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

static long do_op(const struct stub_op *op)
{
	long r;

	switch (op->op) {
	case STUB_OP_MMAP:
	case STUB_OP_MMAP_POPULATE:
		r = stub_op_syscall(op->addr, op->len, op->prot, MAP_SHARED | MAP_FIXED |
				    (op->op == STUB_OP_MMAP_POPULATE ? MAP_POPULATE : 0),
				    STUB_PHYSMEM_FD, op->off, __NR_mmap);
		return r == (long)op->addr ? 0 : r;
	case STUB_OP_MUNMAP:
		return stub_op_syscall(op->addr, op->len, 0, 0, 0, 0, __NR_munmap);
	case STUB_OP_MPROTECT:
		return stub_op_syscall(op->addr, op->len, op->prot, 0, 0, 0, __NR_mprotect);
	}
	return -22;
}

/* Executes the queued mapping operations. */
void __attribute__((used)) stub_do_ops(void)
{
	struct stub_data *d = (struct stub_data *)STUB_DATA;
	uint64_t i, n = d->nops;

	d->err = 0;
	for (i = 0; i < n && i < STUB_MAX_OPS; i++) {
		long r = do_op(&d->ops[i]);

		if (r) {
			d->err = r;
			d->failed = i;
			return;
		}
	}
}

/* --- the seccomp filter: a tiny assembler with forward labels ------------ */

enum { L_KILL, L_TRAP, L_ALLOW, L_VSYS, L_MMAP, L_MMAPFD, L_PROT, L_RANGE, L_NOCARRY, L_SUM,
       L_MAX };

struct bpf_prog_buf {
	struct sock_filter ins[160];
	unsigned n, nfix, bad;
	int label[L_MAX];
	struct { unsigned at, which; int label; } fix[128];
};

static void emit(struct bpf_prog_buf *b, uint16_t code, uint32_t k)
{
	if (b->n == sizeof(b->ins) / sizeof(b->ins[0])) {
		b->bad = 1;
		return;
	}
	b->ins[b->n++] = (struct sock_filter){ code, 0, 0, k };
}

/* A jump: lt/lf are labels, or -1 for the next instruction. */
static void jump(struct bpf_prog_buf *b, uint16_t code, uint32_t k, int lt, int lf)
{
	int l[2] = { lt, lf };

	emit(b, BPF_JMP | code, k);
	for (unsigned w = 0; w < 2; w++) {
		if (l[w] < 0)
			continue;
		if (b->nfix == sizeof(b->fix) / sizeof(b->fix[0])) {
			b->bad = 1;
			return;
		}
		b->fix[b->nfix].at = b->n - 1;
		b->fix[b->nfix].which = code == BPF_JA ? 2 : w;
		b->fix[b->nfix++].label = l[w];
	}
}

static void label(struct bpf_prog_buf *b, int l)
{
	b->label[l] = b->n;
}

static void link(struct bpf_prog_buf *b)
{
	for (unsigned i = 0; i < b->nfix; i++) {
		struct sock_filter *f = &b->ins[b->fix[i].at];
		int off = b->label[b->fix[i].label] - (int)b->fix[i].at - 1;

		if (b->label[b->fix[i].label] < 0 || off < 0 || off > 255)
			b->bad = 1;
		else if (b->fix[i].which == 2)
			f->k = off;
		else if (b->fix[i].which == 0)
			f->jt = off;
		else
			f->jf = off;
	}
}

#define LD(off)		emit(b, BPF_LD | BPF_W | BPF_ABS, (off))
#define LO(off)		((off) + 0)		/* little-endian halves of a u64 */
#define HI(off)		((off) + 4)
#define ARG(i)		offsetof(struct seccomp_data, args[(i)])
#define GUEST_HI	((uint32_t)(TASK_SIZE >> 32))

_Static_assert((TASK_SIZE & 0xffffffffULL) == 0, "the range check assumes TASK_SIZE's low half is 0");

/* Accepts iff args[0] + args[1] <= TASK_SIZE, in 32-bit halves with carry. */
static void range_check(struct bpf_prog_buf *b)
{
	LD(HI(ARG(0)));
	jump(b, BPF_JGT | BPF_K, GUEST_HI, L_KILL, -1);
	LD(HI(ARG(1)));
	jump(b, BPF_JGT | BPF_K, GUEST_HI, L_KILL, -1);
	LD(LO(ARG(0)));
	emit(b, BPF_ST, 0);				/* M0 = addr lo */
	LD(LO(ARG(1)));
	emit(b, BPF_MISC | BPF_TAX, 0);
	emit(b, BPF_LD | BPF_MEM, 0);
	emit(b, BPF_ALU | BPF_ADD | BPF_X, 0);		/* A = sum lo */
	emit(b, BPF_ST, 1);				/* M1 = sum lo */
	emit(b, BPF_LDX | BPF_MEM, 0);
	jump(b, BPF_JGE | BPF_X, 0, L_NOCARRY, -1);
	emit(b, BPF_LD | BPF_IMM, 1);
	jump(b, BPF_JA, 0, L_SUM, -1);
	label(b, L_NOCARRY);
	emit(b, BPF_LD | BPF_IMM, 0);
	label(b, L_SUM);
	emit(b, BPF_ST, 2);				/* M2 = carry */
	LD(HI(ARG(0)));
	emit(b, BPF_MISC | BPF_TAX, 0);
	LD(HI(ARG(1)));
	emit(b, BPF_ALU | BPF_ADD | BPF_X, 0);
	emit(b, BPF_MISC | BPF_TAX, 0);
	emit(b, BPF_LD | BPF_MEM, 2);
	emit(b, BPF_ALU | BPF_ADD | BPF_X, 0);		/* A = sum hi */
	jump(b, BPF_JGT | BPF_K, GUEST_HI, L_KILL, -1);
	jump(b, BPF_JEQ | BPF_K, GUEST_HI, -1, L_ALLOW);
	emit(b, BPF_LD | BPF_MEM, 1);
	jump(b, BPF_JEQ | BPF_K, 0, L_ALLOW, L_KILL);
}

/* The op loop's filter: ret is the address after its one syscall. */
static void build_filter(struct bpf_prog_buf *b, uint64_t ret)
{

	for (unsigned i = 0; i < L_MAX; i++)
		b->label[i] = -1;
	LD(offsetof(struct seccomp_data, arch));
	jump(b, BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, -1, L_KILL);
	LD(HI(offsetof(struct seccomp_data, instruction_pointer)));
	jump(b, BPF_JEQ | BPF_K, (uint32_t)(VSYSCALL_PAGE >> 32), L_VSYS, -1);
	jump(b, BPF_JEQ | BPF_K, (uint32_t)(ret >> 32), -1, L_KILL);
	LD(LO(offsetof(struct seccomp_data, instruction_pointer)));
	jump(b, BPF_JEQ | BPF_K, (uint32_t)ret, -1, L_KILL);
	LD(offsetof(struct seccomp_data, nr));
	jump(b, BPF_JEQ | BPF_K, __NR_mmap, L_MMAP, -1);
	jump(b, BPF_JEQ | BPF_K, __NR_mprotect, L_PROT, -1);
	jump(b, BPF_JEQ | BPF_K, __NR_munmap, L_RANGE, L_KILL);

	label(b, L_VSYS);
	LD(LO(offsetof(struct seccomp_data, instruction_pointer)));
	jump(b, BPF_JGE | BPF_K, (uint32_t)VSYSCALL_PAGE, -1, L_KILL);
	jump(b, BPF_JGE | BPF_K, (uint32_t)VSYSCALL_PAGE + 4096, L_KILL, L_TRAP);

	label(b, L_MMAP);		/* flags, fd; then prot and range */
	LD(LO(ARG(3)));
	jump(b, BPF_JEQ | BPF_K, MAP_SHARED | MAP_FIXED, L_MMAPFD, -1);
	jump(b, BPF_JEQ | BPF_K, MAP_SHARED | MAP_FIXED | MAP_POPULATE, -1, L_KILL);
	label(b, L_MMAPFD);
	LD(HI(ARG(3)));
	jump(b, BPF_JEQ | BPF_K, 0, -1, L_KILL);
	LD(LO(ARG(4)));
	jump(b, BPF_JEQ | BPF_K, STUB_PHYSMEM_FD, -1, L_KILL);
	LD(HI(ARG(4)));
	jump(b, BPF_JEQ | BPF_K, 0, -1, L_KILL);
	label(b, L_PROT);		/* prot within rwx; then range */
	LD(LO(ARG(2)));
	jump(b, BPF_JSET | BPF_K, ~(uint32_t)(PROT_READ | PROT_WRITE | PROT_EXEC), L_KILL, -1);
	LD(HI(ARG(2)));
	jump(b, BPF_JEQ | BPF_K, 0, -1, L_KILL);
	label(b, L_RANGE);
	range_check(b);

	label(b, L_KILL);
	emit(b, BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
	label(b, L_TRAP);
	emit(b, BPF_RET | BPF_K, SECCOMP_RET_TRAP);
	label(b, L_ALLOW);
	emit(b, BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	link(b);
}

static struct bpf_prog_buf filter;

static int load_filter_flags(struct bpf_prog_buf *b, unsigned long flags)
{
	struct sock_fprog prog;

	if (b->bad)
		return -22;
	prog.len = b->n;
	prog.filter = b->ins;
	if (stub_syscall6(__NR_prctl, PR_SET_NO_NEW_PRIVS_, 1, 0, 0, 0, 0) < 0)
		return -1;
	return stub_syscall6(__NR_seccomp, SECCOMP_SET_MODE_FILTER, flags, (long)&prog, 0, 0, 0);
}

static int load_filter(struct bpf_prog_buf *b)
{
	return load_filter_flags(b, 0);
}

static int install_filter(uint64_t ret)
{
	build_filter(&filter, ret);
	return load_filter(&filter);
}

/* --- seccomp mode ---------------------------------------------------------
 *
 * The guest thread's handler, for every signal the kernel must see: the
 * traps of its filter (SIGSYS), faults, and the kernel's preemption signal.
 * It reports the signal in the control page, stores the fs/gs bases, sets
 * the word to STUB_SC_REQ, wakes the kernel and waits until the kernel
 * sets it back to STUB_SC_RUN; then it loads the bases the kernel left
 * there and returns through rt_sigreturn from the frame, which the kernel
 * rewrote: the guest resumes with the kernel's registers.  Its only
 * syscalls are stub_sc_futex's and stub_sc_sigreturn's, the two the guest
 * filter lets through (from those addresses only).
 */
extern const char stub_sc_handler[], stub_sc_futex_ret[], stub_sc_sigreturn[],
	stub_sc_sigreturn_ret[];
_Static_assert(STUB_SC_REGION == 0x7fc000200000ULL, "the handler's movabs");
_Static_assert(offsetof(struct stub_sc_ctl, state) == 0, "ctl layout");
_Static_assert(offsetof(struct stub_sc_ctl, signo) == 4, "ctl layout");
_Static_assert(offsetof(struct stub_sc_ctl, code) == 8, "ctl layout");
_Static_assert(offsetof(struct stub_sc_ctl, nr) == 12, "ctl layout");
_Static_assert(offsetof(struct stub_sc_ctl, addr) == 16, "ctl layout");
_Static_assert(offsetof(struct stub_sc_ctl, arch) == 24, "ctl layout");
_Static_assert(offsetof(struct stub_sc_ctl, frame) == 32, "ctl layout");
_Static_assert(offsetof(struct stub_sc_ctl, fs_base) == 40, "ctl layout");
_Static_assert(offsetof(struct stub_sc_ctl, gs_base) == 48, "ctl layout");
_Static_assert(offsetof(struct stub_sc_ctl, spin) == 72, "ctl layout");
_Static_assert(STUB_SC_SPIN_MAX == 256, "the handler's bound");
__asm__(".text\n"
	".globl stub_sc_handler, stub_sc_futex_ret, stub_sc_sigreturn, stub_sc_sigreturn_ret\n"
	"stub_sc_handler:\n"		/* rdi signo, rsi siginfo, rdx ucontext */
	"	movabs $0x7fc000200000, %rbx\n"
	"	mov %edi, 4(%rbx)\n"
	"	mov 8(%rsi), %eax\n"		/* si_code */
	"	mov %eax, 8(%rbx)\n"
	"	mov 24(%rsi), %eax\n"		/* si_syscall */
	"	mov %eax, 12(%rbx)\n"
	"	mov 16(%rsi), %rax\n"		/* si_addr, si_call_addr */
	"	mov %rax, 16(%rbx)\n"
	"	mov 28(%rsi), %eax\n"		/* si_arch */
	"	mov %eax, 24(%rbx)\n"
	"	mov %rdx, 32(%rbx)\n"
	"	rdfsbase %rax\n"
	"	mov %rax, 40(%rbx)\n"
	"	rdgsbase %rax\n"
	"	mov %rax, 48(%rbx)\n"
	"	mov %rdx, %r12\n"
	"	movl $1, (%rbx)\n"		/* STUB_SC_REQ */
	"	mov $1, %esi\n"		/* FUTEX_WAKE */
	"	call 2f\n"
	"	mov 72(%rbx), %ecx\n"		/* the kernel spins: look a while first */
	"	cmp $256, %ecx\n"		/* STUB_SC_SPIN_MAX, whatever the word says */
	"	jbe 4f\n"
	"	mov $256, %ecx\n"
	"4:	jecxz 1f\n"
	"	cmpl $1, (%rbx)\n"
	"	jne 3f\n"
	"	pause\n"
	"	dec %ecx\n"
	"	jmp 4b\n"
	"1:	cmpl $1, (%rbx)\n"
	"	jne 3f\n"
	"	xor %esi, %esi\n"		/* FUTEX_WAIT while REQ */
	"	call 2f\n"
	"	jmp 1b\n"
	"2:	mov %rbx, %rdi\n"
	"	mov $1, %edx\n"
	"	xor %r10d, %r10d\n"
	"	mov $202, %eax\n"		/* __NR_futex */
	"	syscall\n"
	"stub_sc_futex_ret:\n"
	"	ret\n"
	"3:	mov 40(%rbx), %rax\n"
	"	wrfsbase %rax\n"
	"	mov 48(%rbx), %rax\n"
	"	wrgsbase %rax\n"
	"	mov %r12, %rsp\n"		/* rt_sigreturn takes the frame at rsp - 8 */
	"stub_sc_sigreturn:\n"
	"	mov $15, %eax\n"		/* __NR_rt_sigreturn */
	"	syscall\n"
	"stub_sc_sigreturn_ret:\n"
	"	ud2\n");

/*
 * The mm thread's op loop: registers only, no stack, no memory but the
 * operations, in the read-only data pages.  The kernel sets rbx to the
 * first operation and r13 to their number; r12 counts those done, rax
 * holds the failing one's result.  The one syscall instruction is the
 * only one the mm thread's filter lets through.
 */
extern const char stub_sc_oploop[], stub_sc_oploop_ret[], stub_sc_oploop_done[];
_Static_assert(sizeof(struct stub_op) == 40, "the op loop's stride");
__asm__(".text\n"
	".globl stub_sc_oploop, stub_sc_oploop_ret, stub_sc_oploop_done\n"
	"stub_sc_oploop:\n"
	"	xor %r12d, %r12d\n"
	"	xor %eax, %eax\n"
	"1:	cmp %r13, %r12\n"
	"	jae 9f\n"
	"	mov (%rbx), %rcx\n"
	"	mov 8(%rbx), %rdi\n"
	"	mov 16(%rbx), %rsi\n"
	"	mov 24(%rbx), %rdx\n"
	"	mov 32(%rbx), %r9\n"
	"	mov $0x11, %r10d\n"		/* MAP_SHARED | MAP_FIXED */
	"	mov $3, %r8d\n"		/* STUB_PHYSMEM_FD */
	"	mov $9, %eax\n"		/* mmap */
	"	cmp $1, %rcx\n"
	"	je 2f\n"
	"	mov $0x8011, %r10d\n"		/* MAP_SHARED | MAP_FIXED | MAP_POPULATE */
	"	cmp $4, %rcx\n"
	"	je 2f\n"
	"	mov $11, %eax\n"		/* munmap */
	"	cmp $2, %rcx\n"
	"	je 2f\n"
	"	mov $10, %eax\n"		/* mprotect */
	"	cmp $3, %rcx\n"
	"	je 2f\n"
	"	mov $-22, %rax\n"
	"	jmp 9f\n"
	"2:	syscall\n"
	"stub_sc_oploop_ret:\n"
	"	mov (%rbx), %rcx\n"
	"	cmp $1, %rcx\n"
	"	je 4f\n"
	"	cmp $4, %rcx\n"
	"	jne 3f\n"
	"4:	cmp %rdi, %rax\n"		/* mmap: the address asked for */
	"	jne 9f\n"
	"	xor %eax, %eax\n"
	"3:	test %rax, %rax\n"
	"	jnz 9f\n"
	"	add $40, %rbx\n"
	"	inc %r12\n"
	"	jmp 1b\n"
	"9:	int3\n"
	"stub_sc_oploop_done:\n"
	"	ud2\n");

/* The guest thread's one close, of its copy of the listener (fd 0, the
 * lowest free one: the stub keeps only fd 3), once the kernel took it. */
extern const char stub_sc_close_ret[];
extern void stub_sc_close(void);
__asm__(".text\n"
	".globl stub_sc_close, stub_sc_close_ret\n"
	"stub_sc_close:\n"
	"	mov $3, %eax\n"		/* __NR_close */
	"	xor %edi, %edi\n"
	"	syscall\n"
	"stub_sc_close_ret:\n"
	"	ret\n");

/* Startup of the guest thread: a raw clone onto its own stack. */
extern long stub_sc_clone(long flags, void *stack);
__asm__(".text\n"
	"stub_sc_clone:\n"
	"	mov $56, %eax\n"		/* __NR_clone */
	"	xor %edx, %edx\n"
	"	xor %r10d, %r10d\n"
	"	xor %r8d, %r8d\n"
	"	syscall\n"
	"	test %rax, %rax\n"
	"	jnz 1f\n"
	"	call stub_sc_thread\n"
	"	hlt\n"
	"1:	ret\n");

/*
 * The guest thread's filter: from stub_sc_futex's syscall only futex
 * FUTEX_WAIT or FUTEX_WAKE on its own word, from stub_sc_sigreturn's only
 * rt_sigreturn, both in 64-bit mode (else the process dies); any other
 * syscall from anywhere, 32-bit entries and x32 numbers included, traps:
 * the host runs nothing and the handler takes it to the kernel.
 *
 * With a listener (notif, arch/um/seccomp/notif.c): the 64-bit calls of
 * STUB_SC_NOTIF_NRS from guest code are SECCOMP_RET_USER_NOTIF instead,
 * and so is the handler's FUTEX_WAIT (its "bell": the kernel, which then
 * waits on the listeners rather than on the words, learns of the request
 * from it and answers it when it lets the thread run).
 */
enum { G_TRAP, G_KILL, G_ALLOW, G_FUTEX, G_SIGRET, G_SITE, G_NOTIF, G_GUEST, G_MAX };
_Static_assert((int)G_MAX <= (int)L_MAX, "the guest filter's labels");

static const uint16_t notif_nrs[] = { STUB_SC_NOTIF_NRS };

/*
 * Whether the number is one of STUB_SC_NOTIF_NRS, as a bitmap of 32-bit
 * words (a number of STUB_SC_NOTIF_LIMIT or more, x32's among them,
 * traps): M0 = 1 << (nr & 31), A = nr >> 5, then for each word with a
 * bit set, "A == i and M0 & word i" goes to G_NOTIF.  About twenty
 * instructions on the longest path, where a compare per number was one
 * hundred and forty.
 */
static void notif_bitmap(struct bpf_prog_buf *b)
{
	uint32_t word[STUB_SC_NOTIF_LIMIT / 32] = { 0 };

	for (unsigned i = 0; i < sizeof(notif_nrs) / sizeof(notif_nrs[0]); i++) {
		if (notif_nrs[i] >= STUB_SC_NOTIF_LIMIT) {
			b->bad = 1;
			return;
		}
		word[notif_nrs[i] / 32] |= 1u << (notif_nrs[i] % 32);
	}
	LD(offsetof(struct seccomp_data, nr));
	jump(b, BPF_JGE | BPF_K, STUB_SC_NOTIF_LIMIT, G_TRAP, -1);
	emit(b, BPF_ALU | BPF_AND | BPF_K, 31);
	emit(b, BPF_MISC | BPF_TAX, 0);			/* X = nr & 31 */
	emit(b, BPF_LD | BPF_IMM, 1);
	emit(b, BPF_ALU | BPF_LSH | BPF_X, 0);
	emit(b, BPF_ST, 0);				/* M0 = its bit */
	LD(offsetof(struct seccomp_data, nr));
	emit(b, BPF_ALU | BPF_RSH | BPF_K, 5);		/* A = its word */
	for (unsigned i = 0; i < STUB_SC_NOTIF_LIMIT / 32; i++) {
		if (!word[i])
			continue;
		emit(b, BPF_JMP | BPF_JEQ | BPF_K, i);	/* not i: past the next two */
		if (!b->bad)
			b->ins[b->n - 1].jf = 2;
		emit(b, BPF_LD | BPF_MEM, 0);
		jump(b, BPF_JSET | BPF_K, word[i], G_NOTIF, G_TRAP);
	}
	jump(b, BPF_JA, 0, G_TRAP, -1);
}

static void build_guest_filter(struct bpf_prog_buf *b, int notif)
{
	uint64_t fr = (uint64_t)stub_sc_futex_ret, sr = (uint64_t)stub_sc_sigreturn_ret;
	uint64_t cr = (uint64_t)stub_sc_close_ret, w = STUB_SC_REGION;
	int guest = notif ? G_GUEST : G_TRAP;

	for (unsigned i = 0; i < L_MAX; i++)
		b->label[i] = -1;
	LD(offsetof(struct seccomp_data, arch));
	jump(b, BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, -1, G_TRAP);
	LD(HI(offsetof(struct seccomp_data, instruction_pointer)));
	jump(b, BPF_JEQ | BPF_K, (uint32_t)(fr >> 32), -1, guest);
	jump(b, BPF_JEQ | BPF_K, (uint32_t)(sr >> 32), -1, guest);
	jump(b, BPF_JEQ | BPF_K, (uint32_t)(cr >> 32), -1, guest);
	LD(LO(offsetof(struct seccomp_data, instruction_pointer)));
	jump(b, BPF_JEQ | BPF_K, (uint32_t)fr, G_FUTEX, -1);
	if (notif)	/* close(0) only: the listener's copy */
		jump(b, BPF_JEQ | BPF_K, (uint32_t)cr, G_SITE, -1);
	jump(b, BPF_JEQ | BPF_K, (uint32_t)sr, G_SIGRET, guest);

	if (notif) {
		label(b, G_SITE);
		LD(offsetof(struct seccomp_data, nr));
		jump(b, BPF_JEQ | BPF_K, __NR_close, -1, G_KILL);
		LD(LO(ARG(0)));
		jump(b, BPF_JEQ | BPF_K, 0, -1, G_KILL);
		LD(HI(ARG(0)));
		jump(b, BPF_JEQ | BPF_K, 0, G_ALLOW, G_KILL);
	}

	label(b, G_SIGRET);
	LD(offsetof(struct seccomp_data, nr));
	jump(b, BPF_JEQ | BPF_K, __NR_rt_sigreturn, G_ALLOW, G_KILL);

	label(b, G_FUTEX);
	LD(offsetof(struct seccomp_data, nr));
	jump(b, BPF_JEQ | BPF_K, __NR_futex, -1, G_KILL);
	LD(LO(ARG(0)));
	jump(b, BPF_JEQ | BPF_K, (uint32_t)w, -1, G_KILL);
	LD(HI(ARG(0)));
	jump(b, BPF_JEQ | BPF_K, (uint32_t)(w >> 32), -1, G_KILL);
	LD(HI(ARG(1)));
	jump(b, BPF_JEQ | BPF_K, 0, -1, G_KILL);
	LD(LO(ARG(1)));
	if (notif)	/* FUTEX_WAIT 0: the bell; FUTEX_WAKE 1 */
		jump(b, BPF_JEQ | BPF_K, 0, G_NOTIF, -1);
	jump(b, BPF_JGT | BPF_K, 1, G_KILL, G_ALLOW);

	if (notif) {	/* guest code in 64-bit mode: the calls the kernel takes so */
		label(b, G_GUEST);
		/* The host's vsyscall emulation asks too: those calls trap,
		 * as without a listener (the kernel answers them as Linux's
		 * vsyscall=xonly does: SIGSEGV on a bad pointer). */
		LD(HI(offsetof(struct seccomp_data, instruction_pointer)));
		jump(b, BPF_JEQ | BPF_K, (uint32_t)(VSYSCALL_PAGE >> 32), G_TRAP, -1);
		notif_bitmap(b);
		label(b, G_NOTIF);
		emit(b, BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF);
	}
	label(b, G_TRAP);
	emit(b, BPF_RET | BPF_K, SECCOMP_RET_TRAP);
	label(b, G_KILL);
	emit(b, BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
	label(b, G_ALLOW);
	emit(b, BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	link(b);
}

static struct bpf_prog_buf guest_filter;
static char sc_thread_stack[16384] __attribute__((aligned(16)));

/* The guest thread, before any guest code: its mask, its altstack, its
 * filter; then a trapped syscall makes the first request (the hello),
 * whose frame the kernel fills with the guest's first registers. */
void __attribute__((noreturn, used)) stub_sc_thread(void)
{
	struct stub_sc_ctl *c = (struct stub_sc_ctl *)STUB_SC_REGION;
	uint64_t none = 0;
	struct { uint64_t sp; int32_t flags; int32_t pad; uint64_t size; } ss = {
		STUB_SC_STACK, 0, 0, STUB_SC_REGION_SIZE - 4096 };

	c->tid = (int32_t)stub_syscall6(__NR_gettid, 0, 0, 0, 0, 0, 0);
	if (stub_syscall6(__NR_sigaltstack, (long)&ss, 0, 0, 0, 0, 0) < 0)
		stub_syscall6(__NR_exit_group, STUB_EXIT_NODATA, 0, 0, 0, 0, 0);
	/* The kernel asked for a listener (before any guest code: its word
	 * to believe); the fd is the kernel's to take (pidfd_getfd) and this
	 * thread's to close once it has (the hello's first reply). */
	/* No signal blocked from here on (before the filter: this call
	 * would trap after it). */
	stub_syscall6(__NR_rt_sigprocmask, 2 /* SIG_SETMASK */, (long)&none, 0, 8, 0, 0);
	build_guest_filter(&guest_filter, c->notif == 1);
	if (c->notif == 1) {
		long fd = load_filter_flags(&guest_filter, SECCOMP_FILTER_FLAG_NEW_LISTENER);

		if (fd < 0)
			stub_syscall6(__NR_exit_group, STUB_EXIT_NOFILTER, 0, 0, 0, 0, 0);
		c->listener = (int32_t)fd;
		c->bell = (uint64_t)stub_sc_futex_ret;
	} else if (load_filter(&guest_filter) != 0) {
		stub_syscall6(__NR_exit_group, STUB_EXIT_NOFILTER, 0, 0, 0, 0, 0);
	}
	if (c->notif == 1) {
		/* A first trapped getpgrp: the kernel takes the listener and
		 * resumes here; then this thread's copy goes. */
		__asm__ volatile("mov $111, %%eax\n syscall" ::: "rax", "rcx", "r11", "memory");
		stub_sc_close();
	}
	/* The hello: a trapped getpgrp (never a notification; a guest that
	 * jumps here gets its pgrp, then SIGILL); the kernel resumes into
	 * guest code. */
	__asm__ volatile("mov $111, %%eax\n syscall\n ud2" ::: "rax", "rcx", "r11", "memory");
	__builtin_unreachable();
}

#define SA_SIGINFO_	4
#define SA_ONSTACK_	0x08000000
#define SA_RESTORER_	0x04000000
/* A preemption signal that interrupts a notification not yet answered
 * makes the host restart the call after the handler (rip back on the
 * syscall, rax its number): the kernel never saw it, the guest makes it
 * again.  No other call of the guest thread's can be interrupted. */
#define SA_RESTART_	0x10000000

/* Seccomp mode's start, after the data pages are mapped: the handler for
 * every signal the kernel must see, the region, the guest thread; then
 * the data pages go read-only and the mm thread takes its own filter. */
static void stub_sc_main(struct stub_data *d, uint64_t region_off)
{
	static const int sigs[] = { 4 /* ILL */, 5 /* TRAP */, 7 /* BUS */, 8 /* FPE */,
				    11 /* SEGV */, 26 /* VTALRM */, 31 /* SYS */ };
	struct { uint64_t handler, flags, restorer, mask; } sa = {
		(uint64_t)stub_sc_handler, SA_SIGINFO_ | SA_ONSTACK_ | SA_RESTORER_ | SA_RESTART_,
		(uint64_t)stub_sc_sigreturn, ~0ULL };
	uint64_t mask = ~0ULL;
	long r;

	r = stub_syscall6(__NR_mmap, STUB_SC_REGION, STUB_SC_REGION_SIZE, PROT_READ | PROT_WRITE,
			  MAP_SHARED | MAP_FIXED, STUB_PHYSMEM_FD, region_off);
	if (r != (long)STUB_SC_REGION)
		stub_syscall6(__NR_exit_group, STUB_EXIT_NODATA, 0, 0, 0, 0, 0);
	for (unsigned i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (stub_syscall6(__NR_rt_sigaction, sigs[i], (long)&sa, 0, 8, 0, 0) < 0)
			stub_syscall6(__NR_exit_group, STUB_EXIT_NODATA, 0, 0, 0, 0, 0);
	d->sc_oploop = (uint64_t)stub_sc_oploop;
	d->sc_oploop_done = (uint64_t)stub_sc_oploop_done;
	if (stub_syscall6(__NR_mprotect, STUB_DATA, STUB_DATA_PAGES * 4096, PROT_READ, 0, 0, 0) < 0)
		stub_syscall6(__NR_exit_group, STUB_EXIT_NODATA, 0, 0, 0, 0, 0);
	/* The mm thread takes no signal but its own traps (which ptrace
	 * stops and the kernel discards: blocking them would reset their
	 * handlers, shared with the guest thread). */
	mask &= ~((1ULL << (4 - 1)) | (1ULL << (5 - 1)) | (1ULL << (7 - 1)) | (1ULL << (8 - 1)) |
		  (1ULL << (11 - 1)) | (1ULL << (31 - 1)));
	stub_syscall6(__NR_rt_sigprocmask, 2 /* SIG_SETMASK */, (long)&mask, 0, 8, 0, 0);
	if (stub_sc_clone(0x00000100 | 0x00000200 | 0x00000400 | 0x00000800 | 0x00010000 | 0x00040000,
			  sc_thread_stack + sizeof(sc_thread_stack)) < 0)
		stub_syscall6(__NR_exit_group, STUB_EXIT_NODATA, 0, 0, 0, 0, 0);
	/* The kernel waits for the guest thread's hello itself. */
	if (install_filter((uint64_t)stub_sc_oploop_ret) != 0)
		stub_syscall6(__NR_exit_group, STUB_EXIT_NOFILTER, 0, 0, 0, 0, 0);
	__asm__ volatile("int3\n ud2" ::: "memory");
	__builtin_unreachable();
}

void __attribute__((noreturn, used)) stub_main(uint64_t data_off, uint64_t region_off,
						uint64_t seccomp)
{
	struct stub_data *d = (struct stub_data *)STUB_DATA;
	long r;

	r = stub_syscall6(__NR_mmap, STUB_DATA, STUB_DATA_PAGES * 4096,
			  PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
			  STUB_PHYSMEM_FD, data_off);
	if (r != (long)STUB_DATA)
		stub_syscall6(__NR_exit_group, STUB_EXIT_NODATA, 0, 0, 0, 0, 0);
	stub_syscall6(__NR_munmap, 0, STUB_START, 0, 0, 0, 0);
	stub_syscall6(__NR_munmap, STUB_DATA + STUB_DATA_PAGES * 4096,
		      HOST_TOP - (STUB_DATA + STUB_DATA_PAGES * 4096), 0, 0, 0, 0);
	stub_syscall6(__NR_close_range, 0, STUB_PHYSMEM_FD - 1, 0, 0, 0, 0);
	stub_syscall6(__NR_close_range, STUB_PHYSMEM_FD + 1, ~0U, 0, 0, 0, 0);
	d->run_ops = (uint64_t)stub_run_ops;
	d->ops_done = (uint64_t)stub_ops_done;
	d->stack_top = (uint64_t)(stub_stack + sizeof(stub_stack));
	if (seccomp)
		stub_sc_main(d, region_off);
	if (install_filter((uint64_t)stub_op_syscall_ret) != 0)
		stub_syscall6(__NR_exit_group, STUB_EXIT_NOFILTER, 0, 0, 0, 0, 0);
	/* From here on, no syscall but the op loop's can succeed. */
	__asm__ volatile("int3\n ud2" ::: "memory");
	__builtin_unreachable();
}

__asm__(".globl _start\n"
	"_start:\n"
	"	lea stub_stack+16384(%rip), %rsp\n"
	"	call stub_main\n"
	"	hlt\n");
