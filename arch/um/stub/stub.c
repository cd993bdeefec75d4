/*
 * stub.c - the program every guest address space runs in.
 *
 * Freestanding, linked at STUB_CODE.  At start (rdi = physmem offset of
 * its data pages, set by the kernel at the exec stop) it maps the data
 * pages, unmaps everything else the host gave it, closes all fds but the
 * physmem one, and stops.  Afterwards the kernel runs guest code in this
 * process, and sends it to stub_run_ops to change its mappings.
 */
#include "shared/stub.h"
#include "uapi/asm/unistd.h"
#include "uapi/linux/mman.h"

#define HOST_TOP 0x7ffffffff000ULL

static char stub_stack[16384] __attribute__((aligned(16)));

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

/* Executes the queued mapping operations, then traps to the kernel. */
void __attribute__((noreturn, used)) stub_run_ops(void)
{
	struct stub_data *d = (struct stub_data *)STUB_DATA;

	for (;;) {
		uint64_t i, n = d->nops;
		long r = 0;

		d->err = 0;
		for (i = 0; i < n && i < STUB_MAX_OPS; i++) {
			struct stub_op *op = &d->ops[i];

			switch (op->op) {
			case STUB_OP_MMAP:
				r = stub_syscall6(__NR_mmap, op->addr, op->len, op->prot,
						  MAP_SHARED | MAP_FIXED, STUB_PHYSMEM_FD, op->off);
				if (r == (long)op->addr)
					r = 0;
				break;
			case STUB_OP_MUNMAP:
				r = stub_syscall6(__NR_munmap, op->addr, op->len, 0, 0, 0, 0);
				break;
			case STUB_OP_MPROTECT:
				r = stub_syscall6(__NR_mprotect, op->addr, op->len, op->prot, 0, 0, 0);
				break;
			default:
				r = -22;
			}
			if (r) {
				d->err = r;
				d->failed = i;
				break;
			}
		}
		__asm__ volatile("int3" ::: "memory");
	}
}

void __attribute__((noreturn, used)) stub_main(uint64_t data_off)
{
	struct stub_data *d = (struct stub_data *)STUB_DATA;
	long r;

	r = stub_syscall6(__NR_mmap, STUB_DATA, STUB_DATA_PAGES * 4096,
			  PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
			  STUB_PHYSMEM_FD, data_off);
	if (r != (long)STUB_DATA)
		stub_syscall6(__NR_exit_group, 100, 0, 0, 0, 0, 0);
	stub_syscall6(__NR_munmap, 0, STUB_START, 0, 0, 0, 0);
	stub_syscall6(__NR_munmap, STUB_DATA + STUB_DATA_PAGES * 4096,
		      HOST_TOP - (STUB_DATA + STUB_DATA_PAGES * 4096), 0, 0, 0, 0);
	stub_syscall6(__NR_close_range, 0, STUB_PHYSMEM_FD - 1, 0, 0, 0, 0);
	stub_syscall6(__NR_close_range, STUB_PHYSMEM_FD + 1, ~0U, 0, 0, 0, 0);
	d->run_ops = (uint64_t)stub_run_ops;
	d->stack_top = (uint64_t)(stub_stack + sizeof(stub_stack));
	__asm__ volatile("int3" ::: "memory");
	stub_run_ops();
}

__asm__(".globl _start\n"
	"_start:\n"
	"	lea stub_stack+16384(%rip), %rsp\n"
	"	call stub_main\n"
	"	hlt\n");
