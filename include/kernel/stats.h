/*
 * stats.h - counters a host tool reads through mconsole's "stats"
 * (drivers/mconsole/stats.c) without entering the guest.
 */
#ifndef KERNEL_STATS_H
#define KERNEL_STATS_H

#include "kernel/types.h"

struct kstat_counters {
	u64 page_faults;		/* guest page faults handled */
	u64 disk_reads, disk_writes;	/* ubd requests */
	u64 disk_read_bytes, disk_write_bytes;
	u64 forks;
	u64 context_switches;		/* /proc/stat ctxt */
};
extern struct kstat_counters kstat;

/* Syscalls served, by number (arch/um/kernel/syscall.c). */
u64 syscall_count(u64 nr, const char **name);
#define NR_SYSCALLS 512

struct mc_out;
void kstats_show(struct mc_out *o);

#endif
