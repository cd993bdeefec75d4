/*
 * stats.c - mconsole's "stats": what the machine is doing, for a host
 * tool that does not enter the guest: counters since boot, and rates per
 * second since the previous "stats" (or since boot, the first time).
 */
#include "kernel/sched.h"
#include "kernel/page.h"
#include "kernel/stats.h"
#include "mconsole.h"

struct kstat_counters kstat;

static void show_tasks(struct mc_out *o)
{
	unsigned running = 0, sleeping = 0, zombie = 0, kthreads = 0, total = 0;
	struct task *t;

	list_for_each_entry(t, &all_tasks, tasks) {
		if (t->pid == 0 || t->state == TASK_DEAD)
			continue;
		total++;
		if (!t->mm && t->state != TASK_ZOMBIE)
			kthreads++;
		if (t->state == TASK_RUNNING || t->state == TASK_USER)
			running++;
		else if (t->state == TASK_ZOMBIE)
			zombie++;
		else
			sleeping++;
	}
	mc_printf(o, "tasks: %u total, %u running, %u sleeping, %u zombie, %u kernel threads\n",
		  total, running, sleeping, zombie, kthreads);
}

/* The counters at the previous "stats", for rates. */
static struct { u64 ns, calls, faults, reads, writes, forks; } prev;

static u64 per_sec(u64 now, u64 then, u64 dt_ns)
{
	return dt_ns ? (now - then) * 1000000000ULL / dt_ns : 0;
}

static void show_rates(struct mc_out *o, u64 calls)
{
	u64 now = os_monotonic_ns() - ktime_boot_ns(), dt = now - prev.ns;

	mc_printf(o, "rates over the last %llu ms: %llu syscalls/s, %llu faults/s, "
		  "%llu disk reads/s, %llu disk writes/s, %llu tasks created/s\n",
		  (unsigned long long)(dt / 1000000),
		  (unsigned long long)per_sec(calls, prev.calls, dt),
		  (unsigned long long)per_sec(kstat.page_faults, prev.faults, dt),
		  (unsigned long long)per_sec(kstat.disk_reads, prev.reads, dt),
		  (unsigned long long)per_sec(kstat.disk_writes, prev.writes, dt),
		  (unsigned long long)per_sec(kstat.forks, prev.forks, dt));
	prev.ns = now;
	prev.calls = calls;
	prev.faults = kstat.page_faults;
	prev.reads = kstat.disk_reads;
	prev.writes = kstat.disk_writes;
	prev.forks = kstat.forks;
}

void kstats_show(struct mc_out *o)
{
	u64 free = nr_free_pages(), total_calls = 0;
	const char *name;

	mc_printf(o, "uptime_ms: %llu\n",
		  (unsigned long long)((os_monotonic_ns() - ktime_boot_ns()) / 1000000));
	mc_printf(o, "memory: %llu kB total, %llu kB used, %llu kB free\n",
		  (unsigned long long)(nr_pages * PAGE_SIZE / 1024),
		  (unsigned long long)((nr_pages - free) * PAGE_SIZE / 1024),
		  (unsigned long long)(free * PAGE_SIZE / 1024));
	show_tasks(o);
	mc_printf(o, "tasks created: %llu\n", (unsigned long long)kstat.forks);
	mc_printf(o, "page_faults: %llu\n", (unsigned long long)kstat.page_faults);
	mc_printf(o, "disk: %llu reads (%llu bytes), %llu writes (%llu bytes)\n",
		  (unsigned long long)kstat.disk_reads, (unsigned long long)kstat.disk_read_bytes,
		  (unsigned long long)kstat.disk_writes, (unsigned long long)kstat.disk_write_bytes);
	for (u64 nr = 0; nr < NR_SYSCALLS; nr++)
		total_calls += syscall_count(nr, &name);
	mc_printf(o, "syscalls: %llu\n", (unsigned long long)total_calls);
	show_rates(o, total_calls);
	for (u64 nr = 0; nr < NR_SYSCALLS; nr++) {
		u64 c = syscall_count(nr, &name);

		if (c)
			mc_printf(o, "syscall %s: %llu\n", name ? name : "?", (unsigned long long)c);
	}
}
