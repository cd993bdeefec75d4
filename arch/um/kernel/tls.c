/* tls.c - arch_prctl: the guest's fs/gs bases live in its saved registers. */
#include "kernel/sched.h"
#include "kernel/mm.h"
#include "kernel/syscalls.h"
#include "uapi/asm/prctl.h"

SYSCALL(arch_prctl)
{
	int code = (int)a[0];
	u64 addr = a[1];

	switch (code) {
	case ARCH_SET_FS:
		if (addr >= TASK_SIZE)
			return -EPERM;
		t->regs.fs_base = addr;
		return 0;
	case ARCH_SET_GS:
		if (addr >= TASK_SIZE)
			return -EPERM;
		t->regs.gs_base = addr;
		return 0;
	case ARCH_GET_FS:
		return put_user(t->regs.fs_base, UADDR(addr)) ? -EFAULT : 0;
	case ARCH_GET_GS:
		return put_user(t->regs.gs_base, UADDR(addr)) ? -EFAULT : 0;
	case ARCH_GET_CPUID:
		return 1;
	default:
		return -EINVAL;
	}
}
