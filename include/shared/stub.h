/*
 * stub.h - the layout shared by the kernel and the stub process.
 *
 * Every guest address space is a host process running the stub program,
 * linked at STUB_START.  The guest owns [0, TASK_SIZE); above it sit the
 * stub's code and its data pages, which are physmem pages the kernel can
 * write.  The kernel fills stub_data with mapping operations, points the
 * stub at stub_run_ops with registers it builds itself and lets it run to
 * its int3.  The guest can write the data pages too: the kernel reads the
 * addresses below once, at the stub's first stop, before guest code ran.
 */
#ifndef SHARED_STUB_H
#define SHARED_STUB_H

#include <stdint.h>

#define TASK_SIZE	0x7fc000000000ULL
#define STUB_START	0x7fc000000000ULL
#define STUB_CODE	STUB_START
#define STUB_DATA	(STUB_START + 0x100000ULL)
#define STUB_DATA_PAGES	4
#define STUB_PHYSMEM_FD	3

/* Exit codes of a stub that could not start. */
#define STUB_EXIT_NODATA	100	/* mapping its data pages failed */
#define STUB_EXIT_NOFILTER	101	/* installing its seccomp filter failed */
#define STUB_EXIT_TRACED	120	/* PTRACE_TRACEME failed: traced already */

#define STUB_OP_MMAP	1
#define STUB_OP_MUNMAP	2
#define STUB_OP_MPROTECT 3

struct stub_op {
	uint64_t op, addr, len, prot, off;
};

#define STUB_MAX_OPS ((STUB_DATA_PAGES * 4096 - 64) / sizeof(struct stub_op))

struct stub_data {
	uint64_t nops;
	int64_t err;		/* first failure, or 0 */
	uint64_t failed;	/* index of the failing op */
	uint64_t run_ops;	/* address of the stub's op loop (set by the stub) */
	uint64_t stack_top;	/* stack for the op loop (set by the stub) */
	uint64_t ops_done;	/* address after the op loop's final int3 */
	uint64_t pad[2];
	struct stub_op ops[STUB_MAX_OPS];
};

#endif
