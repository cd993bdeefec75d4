/*
 * membarrier.c - membarrier(2) as Linux's kernel/sched/membarrier.c sees
 * it from a guest: the commands, their flags, the per-mm registrations
 * (fresh at fork and exec, shared by threads) and the EPERM of an
 * expedited barrier the process has not registered for.
 *
 * The barrier itself needs no work here: one guest thread runs at a time
 * on this uniprocessor kernel and each of them enters the kernel (a host
 * ptrace or signal stop, a full barrier) before another runs, so every
 * thread of every process has passed a barrier by the time the caller is
 * back.  This kernel has no rseq (sys_rseq is -ENOSYS), so the RSEQ
 * commands are not in the QUERY mask and are -EINVAL, as on a Linux built
 * without CONFIG_RSEQ.
 */
#include "kernel/kernel.h"
#include "kernel/mm.h"
#include "kernel/sched.h"
#include "kernel/syscalls.h"
#include "uapi/linux/membarrier.h"

/* The registrations an mm holds (struct mm's membarrier field). */
#define MB_GLOBAL_EXPEDITED	(1u << 0)
#define MB_PRIVATE_EXPEDITED	(1u << 1)
#define MB_SYNC_CORE		(1u << 2)

#define MB_SUPPORTED	(MEMBARRIER_CMD_GLOBAL | MEMBARRIER_CMD_GLOBAL_EXPEDITED | \
			 MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED | \
			 MEMBARRIER_CMD_PRIVATE_EXPEDITED | \
			 MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED | \
			 MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE | \
			 MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE | \
			 MEMBARRIER_CMD_GET_REGISTRATIONS)

static long mb_registrations(u32 state)
{
	long mask = 0;

	if (state & MB_GLOBAL_EXPEDITED)
		mask |= MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED;
	if (state & MB_PRIVATE_EXPEDITED)
		mask |= MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED;
	if (state & MB_SYNC_CORE)
		mask |= MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE;
	return mask;
}

SYSCALL(membarrier)
{
	int cmd = (int)a[0];
	unsigned int flags = (unsigned int)a[1];
	struct mm *mm = t->mm;

	/* Only the RSEQ command takes a flag (MEMBARRIER_CMD_FLAG_CPU); here
	 * it is unknown, which the switch below answers with -EINVAL. */
	if (flags && !(cmd == MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ &&
		       flags == MEMBARRIER_CMD_FLAG_CPU))
		return -EINVAL;
	switch (cmd) {
	case MEMBARRIER_CMD_QUERY:
		return MB_SUPPORTED;
	case MEMBARRIER_CMD_GLOBAL:
	case MEMBARRIER_CMD_GLOBAL_EXPEDITED:
		return 0;		/* no registration needed by the caller */
	case MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED:
		mm->membarrier |= MB_GLOBAL_EXPEDITED;
		return 0;
	case MEMBARRIER_CMD_PRIVATE_EXPEDITED:
		return (mm->membarrier & MB_PRIVATE_EXPEDITED) ? 0 : -EPERM;
	case MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED:
		mm->membarrier |= MB_PRIVATE_EXPEDITED;
		return 0;
	case MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE:
		return (mm->membarrier & MB_SYNC_CORE) ? 0 : -EPERM;
	case MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE:
		mm->membarrier |= MB_SYNC_CORE;
		return 0;
	case MEMBARRIER_CMD_GET_REGISTRATIONS:
		return mb_registrations(mm->membarrier);
	default:
		return -EINVAL;
	}
}
