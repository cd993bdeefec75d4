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
 * MAP_FIXED), munmap and mprotect inside the guest's range [0, TASK_SIZE),
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
		r = stub_op_syscall(op->addr, op->len, op->prot, MAP_SHARED | MAP_FIXED,
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

enum { L_KILL, L_TRAP, L_ALLOW, L_VSYS, L_MMAP, L_PROT, L_RANGE, L_NOCARRY, L_SUM, L_MAX };

struct bpf_prog_buf {
	struct sock_filter ins[96];
	unsigned n, nfix, bad;
	int label[L_MAX];
	struct { unsigned at, which; int label; } fix[48];
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

static void build_filter(struct bpf_prog_buf *b)
{
	uint64_t ret = (uint64_t)stub_op_syscall_ret;

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
	jump(b, BPF_JEQ | BPF_K, MAP_SHARED | MAP_FIXED, -1, L_KILL);
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

static int install_filter(void)
{
	struct sock_fprog prog;

	build_filter(&filter);
	if (filter.bad)
		return -22;
	prog.len = filter.n;
	prog.filter = filter.ins;
	if (stub_syscall6(__NR_prctl, PR_SET_NO_NEW_PRIVS_, 1, 0, 0, 0, 0) < 0)
		return -1;
	return stub_syscall6(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, (long)&prog, 0, 0, 0);
}

void __attribute__((noreturn, used)) stub_main(uint64_t data_off)
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
	if (install_filter() != 0)
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
