/*
 * misc.c - the static part of /proc: machine-wide files (meminfo,
 * uptime, stat, mounts...) and /proc/sys/kernel, in Linux's formats
 * (proc(5)), rendered from kernel state at open.
 */
#include "kernel/cputime.h"
#include "kernel/stats.h"
#include "kernel/inet.h"
#include "kernel/init.h"
#include "kernel/page.h"
#include "kernel/mm.h"
#include "kernel/blkdev.h"
#include "../internal.h"
#include "internal.h"
#include "uapi/linux/utsname.h"
#include "kernel/ipc.h"
#include "kernel/timer.h"
#include "shared/os.h"

#define NSEC		1000000000ULL
#define TICK_NS		(NSEC / 100)	/* USER_HZ */


/* Nanoseconds since boot. */
static u64 uptime_ns(void)
{
	return os_monotonic_ns() - ktime_boot_ns();
}

static int link_self(struct task *t, char *buf, int size)
{
	char s[16];

	ksnprintf(s, sizeof(s), "%d", current->tgid);
	return proc_link_copy(buf, size, s);
}

static int link_mounts(struct task *t, char *buf, int size)
{
	return proc_link_copy(buf, size, "self/mounts");
}

static void kb_line(struct proc_buf *b, const char *name, u64 kb)
{
	pb_printf(b, "%-16s%8llu kB\n", name, (unsigned long long)kb);
}

/*
 * The page cache is all file-backed (no swap).  Cached
 * is it plus the buffer cache's file data (ext2 keeps file blocks there),
 * Buffers the rest of the buffer cache (metadata), as Linux splits file
 * pages from the block device's.  A file block both in a buffer and in a
 * cached page (a mapping filled from the buffers, a read(2) after a
 * fault) is counted in Cached once, as Linux has one copy: the second
 * copy, the buffer, counts in Buffers (buffer_file_twin_bytes).  Active is the page cache's active list;
 * Inactive its inactive list plus the buffer cache (one LRU of idle
 * buffers), so Active + Inactive = Cached + Buffers as on Linux.
 * tmpfs pages are Shmem, in Cached and on the anon list as on Linux,
 * ramfs/devtmpfs pages in Cached on the file list; neither is
 * reclaimable.  MemAvailable is what is free plus the cache pages that
 * reclaim could free now (clean, unmapped).  Slab is never given back:
 * all of it is SUnreclaim.
 */
static int show_meminfo(struct proc_buf *b, struct task *unused)
{
	const u64 kb = PAGE_SIZE / 1024;
	u64 total = physmem_size / 1024, free = nr_free_pages() * kb;
	u64 bufs = buffer_cache_bytes() / 1024, filebufs = buffer_file_bytes() / 1024, shmem, ram;
	u64 twins = 0;
	struct filemap_stats fs;
	struct page_census pc;
	struct cache_set set;

	if (filemap_set_build(&set) == 0) {
		twins = buffer_file_twin_bytes(cache_set_has, &set) / 1024;
		cache_set_free(&set);
	}
	filemap_stats(&fs);
	page_census(&pc);
	ramfs_page_stats(&shmem, &ram);
	shmem *= kb;
	ram *= kb;
	kb_line(b, "MemTotal:", total);
	kb_line(b, "MemFree:", free);
	kb_line(b, "MemAvailable:", free + fs.reclaimable * kb);
	kb_line(b, "Buffers:", bufs - filebufs + twins);
	kb_line(b, "Cached:", (fs.active + fs.inactive) * kb + filebufs - twins + shmem + ram);
	kb_line(b, "SwapCached:", 0);
	kb_line(b, "Active:", fs.active * kb);
	kb_line(b, "Inactive:", fs.inactive * kb + bufs + shmem + ram);
	kb_line(b, "Active(anon):", 0);
	kb_line(b, "Inactive(anon):", shmem);
	kb_line(b, "Active(file):", fs.active * kb);
	kb_line(b, "Inactive(file):", fs.inactive * kb + bufs + ram);
	kb_line(b, "SwapTotal:", 0);
	kb_line(b, "SwapFree:", 0);
	kb_line(b, "Dirty:", fs.dirty * kb);
	kb_line(b, "Writeback:", 0);
	kb_line(b, "Mapped:", fs.mapped * kb);
	kb_line(b, "Shmem:", shmem);
	kb_line(b, "Slab:", pc.slab * kb);
	kb_line(b, "SReclaimable:", 0);
	kb_line(b, "SUnreclaim:", pc.slab * kb);
	kb_line(b, "CommitLimit:", vm_commit_limit() * kb);
	kb_line(b, "Committed_AS:", vm_committed_pages() * kb);
	return 0;
}

/* /proc/sys/vm/drop_caches: 1, 2 or 3 (and 4, which Linux uses to silence its message). */
static int store_drop_caches(const char *buf, size_t len)
{
	u64 v;
	int r = proc_parse_nums(buf, len, &v, 1, 1, 4);

	if (r < 0)
		return r;
	drop_caches((int)v & 3);
	return 0;
}

/* Sums the CPU time of every task, in ns. */
static void cpu_times(u64 *user, u64 *sys)
{
	struct task *t;

	*user = *sys = 0;
	list_for_each_entry(t, &all_tasks, tasks) {
		if (t->pid <= 0 || t->state == TASK_DEAD)
			continue;	/* the idle task; the dead counted in their parents */
		cputime_sync(t);
		*user += t->utime_ns;
		*sys += t->stime_ns;
		if (t == t->signal->leader) {
			*user += t->signal->cutime_ns;
			*sys += t->signal->cstime_ns;
		}
	}
}

static u64 idle_ns(u64 up)
{
	u64 user, sys;

	cpu_times(&user, &sys);
	return up > user + sys ? up - user - sys : 0;
}

static int show_uptime(struct proc_buf *b, struct task *unused)
{
	u64 up = uptime_ns(), idle = idle_ns(up);

	pb_printf(b, "%llu.%02llu %llu.%02llu\n",
		  (unsigned long long)(up / NSEC), (unsigned long long)(up % NSEC / TICK_NS),
		  (unsigned long long)(idle / NSEC), (unsigned long long)(idle % NSEC / TICK_NS));
	return 0;
}

/* Counts tasks: all live ones, the runnable ones, and the largest pid. */
static void task_counts(int *total, int *running, pid_t *maxpid)
{
	struct task *t;

	*total = *running = 0;
	*maxpid = 0;
	list_for_each_entry(t, &all_tasks, tasks) {
		if (t->state == TASK_DEAD || t->pid <= 0)
			continue;
		(*total)++;
		*running += (t->state == TASK_RUNNING || t->state == TASK_USER) && !t->stopped;
		*maxpid = max(*maxpid, t->pid);
	}
}

/*
 * The load averages, as Linux's calc_global_load: every 5 s plus a tick
 * (LOAD_FREQ) the tasks running or in uninterruptible sleep are sampled
 * into three exponentially decaying averages (1, 5 and 15 minutes), in
 * fixed point with FSHIFT fraction bits; a sample the kernel missed (a
 * late timer) counts what is active at the next one, as calc_load_n.
 */
#define FSHIFT		11
#define FIXED_1		(1ULL << FSHIFT)
#define LOAD_FREQ_NS	(5 * NSEC + TICK_NS)
static const u64 load_exp[3] = { 1884, 2014, 2037 };	/* 1/exp(5s/1min) ... in fixed point */
static u64 avenrun[3];
static struct ktimer load_timer;

static u64 calc_load(u64 load, u64 exp, u64 active)
{
	u64 newload = load * exp + active * (FIXED_1 - exp);

	if (active >= load)
		newload += FIXED_1 - 1;
	return newload / FIXED_1;
}

static u64 nr_active(void)
{
	struct task *t;
	u64 n = 0;

	list_for_each_entry(t, &all_tasks, tasks) {
		if (t->state == TASK_DEAD || t->pid <= 0 || t->stopped)
			continue;
		n += t->state == TASK_RUNNING || t->state == TASK_USER ||
		     t->state == TASK_UNINTERRUPTIBLE;
	}
	return n;
}

/* The timer: one sample per period that has passed, then the next. */
static void load_sample(struct ktimer *kt)
{
	u64 active = nr_active() * FIXED_1, now = os_monotonic_ns();
	int n = 0;

	do {
		for (int i = 0; i < 3; i++)
			avenrun[i] = calc_load(avenrun[i], load_exp[i], active);
		kt->expires += LOAD_FREQ_NS;
	} while (kt->expires <= now && ++n < 1000);
	if (kt->expires <= now)
		kt->expires = now + LOAD_FREQ_NS;
	ktimer_start(kt, kt->expires);
}

/* Starts the sampling (procfs init). */
void proc_loadavg_init(void)
{
	ktimer_init(&load_timer, load_sample, NULL);
	ktimer_start(&load_timer, os_monotonic_ns() + LOAD_FREQ_NS);
}

/* Linux's format: the averages rounded to hundredths, running/threads, the last pid. */
static int show_loadavg(struct proc_buf *b, struct task *unused)
{
	int total, running;
	pid_t maxpid;

	task_counts(&total, &running, &maxpid);
	for (int i = 0; i < 3; i++) {
		u64 v = avenrun[i] + FIXED_1 / 200;

		pb_printf(b, "%llu.%02llu ", (unsigned long long)(v >> FSHIFT),
			  (unsigned long long)(((v & (FIXED_1 - 1)) * 100) >> FSHIFT));
	}
	pb_printf(b, "%d/%d %d\n", running, total, pid_last());
	return 0;
}

static int show_stat(struct proc_buf *b, struct task *unused)
{
	u64 up = uptime_ns(), user, sys, idle = idle_ns(up);
	u64 btime = (os_realtime_ns() - up) / NSEC;
	int total, running;
	pid_t maxpid;

	cpu_times(&user, &sys);
	task_counts(&total, &running, &maxpid);
	for (int i = 0; i < 2; i++)
		pb_printf(b, "%s %llu 0 %llu %llu 0 0 0 0 0 0\n", i ? "cpu0" : "cpu ",
			  (unsigned long long)(user / TICK_NS), (unsigned long long)(sys / TICK_NS),
			  (unsigned long long)(idle / TICK_NS));
	pb_printf(b, "intr 0\nctxt %llu\nbtime %llu\nprocesses %llu\n",
		  (unsigned long long)kstat.context_switches, (unsigned long long)btime,
		  (unsigned long long)kstat.forks);
	pb_printf(b, "procs_running %d\nprocs_blocked 0\nsoftirq 0 0 0 0 0 0 0 0 0 0 0\n",
		  running);
	return 0;
}

/*
 * /proc/vmstat: the page counters as Linux names them (what procps'
 * vmstat and free read); swap and the reclaim counters this kernel
 * does not have are 0, as on a Linux without swap.
 */
static int show_vmstat(struct proc_buf *b, struct task *unused)
{
	struct filemap_stats fs;
	struct page_census pc;
	const struct { const char *name; u64 v; } *l, lines[] = {
		{ "nr_free_pages", 0 }, { "nr_inactive_anon", 0 }, { "nr_active_anon", 0 },
		{ "nr_inactive_file", 0 }, { "nr_active_file", 0 }, { "nr_unevictable", 0 },
		{ "nr_mlock", 0 }, { "nr_anon_pages", 0 }, { "nr_mapped", 0 },
		{ "nr_file_pages", 0 }, { "nr_dirty", 0 }, { "nr_writeback", 0 },
		{ "nr_shmem", 0 }, { "nr_slab_reclaimable", 0 }, { "nr_slab_unreclaimable", 0 },
		{ "pgpgin", 0 }, { "pgpgout", 0 }, { "pswpin", 0 }, { "pswpout", 0 },
		{ "pgfault", 0 }, { "pgmajfault", 0 },
	};
	u64 v[ARRAY_SIZE(lines)];

	filemap_stats(&fs);
	page_census(&pc);
	for (size_t i = 0; i < ARRAY_SIZE(lines); i++)
		v[i] = 0;
	v[0] = nr_free_pages();
	v[3] = fs.inactive;
	v[4] = fs.active;
	v[7] = pc.other;		/* anonymous memory, with page tables and stub data */
	v[8] = fs.mapped;
	v[9] = fs.active + fs.inactive;
	v[10] = fs.dirty;
	v[14] = pc.slab;
	v[15] = kstat.disk_read_bytes / 1024;	/* pgpgin/out count KiB, as Linux's */
	v[16] = kstat.disk_write_bytes / 1024;
	v[19] = kstat.page_faults;
	for (l = lines; l < lines + ARRAY_SIZE(lines); l++)
		pb_printf(b, "%s %llu\n", l->name, (unsigned long long)v[l - lines]);
	return 0;
}

/* CPUID.1:EDX bit names, for the flags line. */
static const char *const cpu_flags[32] = {
	"fpu", "vme", "de", "pse", "tsc", "msr", "pae", "mce", "cx8", "apic", NULL, "sep",
	"mtrr", "pge", "mca", "cmov", "pat", "pse36", NULL, "clflush", NULL, NULL, NULL,
	"mmx", "fxsr", "sse", "sse2", "ss", "ht", NULL, NULL, NULL,
};

static int show_cpuinfo(struct proc_buf *b, struct task *unused)
{
	u64 hw = os_cpu_hwcap();

	pb_printf(b, "processor\t: 0\nvendor_id\t: User Mode Linux\ncpu family\t: 6\n"
		  "model\t\t: 0\nmodel name\t: UML\nstepping\t: 0\ncpu MHz\t\t: 1000.000\n"
		  "cache size\t: 0 KB\nphysical id\t: 0\nsiblings\t: 1\ncore id\t\t: 0\n"
		  "cpu cores\t: 1\nfpu\t\t: yes\nfpu_exception\t: yes\nwp\t\t: yes\nflags\t\t:");
	for (int i = 0; i < 32; i++)
		if (cpu_flags[i] != NULL && (hw & (1ULL << i)))
			pb_printf(b, " %s", cpu_flags[i]);
	pb_printf(b, " lm\nbogomips\t: 2000.00\nclflush size\t: 64\ncache_alignment\t: 64\n"
		  "address sizes\t: 48 bits physical, 48 bits virtual\n\n");
	return 0;
}

/*
 * /proc/platform (this kernel's own, like UML's /proc/exitcode): how
 * guest code runs, mode= and the platform's counters, one "name value"
 * a line (the seccomp platform's: how many calls its fast path took).
 */
static int show_platform(struct proc_buf *b, struct task *unused)
{
	char buf[512];

	platform_stats(buf, sizeof(buf));
	pb_printf(b, "mode %s\n%s", platform->name, buf);
	return 0;
}

static int show_version(struct proc_buf *b, struct task *unused)
{
	const struct new_utsname *u = utsname_get();

	pb_printf(b, "%s version %s (um@localhost) (gcc) %s\n", u->sysname, u->release,
		  u->version);
	return 0;
}

static int show_filesystems(struct proc_buf *b, struct task *unused)
{
	struct file_system_type *t = NULL;

	while ((t = next_fs_type(t)) != NULL)
		pb_printf(b, "%s\t%s\n", t->requires_dev ? "" : "nodev", t->name);
	return 0;
}

static int show_cmdline(struct proc_buf *b, struct task *unused)
{
	pb_printf(b, "%s\n", boot_params.cmdline);
	return 0;
}

static int show_hostname(struct proc_buf *b, struct task *unused)
{
	pb_printf(b, "%s\n", utsname_get()->nodename);
	return 0;
}

static int show_domainname(struct proc_buf *b, struct task *unused)
{
	pb_printf(b, "%s\n", utsname_get()->domainname);
	return 0;
}

static int show_osrelease(struct proc_buf *b, struct task *unused)
{
	pb_printf(b, "%s\n", utsname_get()->release);
	return 0;
}

static int show_ostype(struct proc_buf *b, struct task *unused)
{
	pb_printf(b, "%s\n", utsname_get()->sysname);
	return 0;
}

/* /proc/partitions: every disk, as Linux's show_partition. */
static int show_partitions(struct proc_buf *b, struct task *unused)
{
	struct block_device *bdev;

	pb_printf(b, "major minor  #blocks  name\n\n");
	list_for_each_entry(bdev, &all_blkdevs, list)
		pb_printf(b, "%4u  %7u %10llu %s\n", MAJOR(bdev->dev), MINOR(bdev->dev),
			  (unsigned long long)(bdev->size / 1024), bdev->name);
	return 0;
}

/* /proc/diskstats: every disk, as Linux 5.5+'s diskstats_show (17 counters). */
static int show_diskstats(struct proc_buf *b, struct task *unused)
{
	struct block_device *bdev;
	u64 f[BLK_STAT_FIELDS];

	list_for_each_entry(bdev, &all_blkdevs, list) {
		blk_stat_fields(bdev, f);
		pb_printf(b, "%4u %7u %s", MAJOR(bdev->dev), MINOR(bdev->dev), bdev->name);
		for (int i = 0; i < BLK_STAT_FIELDS; i++)
			pb_printf(b, " %llu", (unsigned long long)f[i]);
		pb_printf(b, "\n");
	}
	return 0;
}

static void lock_line(void *arg, const struct lock_info *li)
{
	struct proc_buf *b = arg;

	if (li->lease_state != NULL) {	/* Linux: "1: LEASE  ACTIVE    READ  pid dev:ino 0 EOF" */
		pb_printf(b, "%d: %s %s%s %d %02x:%02x:%llu 0 EOF\n", li->id, li->kind, li->lease_state,
			  li->unlck ? "UNLCK" : li->write ? "WRITE" : "READ ", li->pid, MAJOR(li->dev),
			  MINOR(li->dev), (unsigned long long)li->ino);
		return;
	}
	pb_printf(b, "%d: %s ADVISORY  %s %d %02x:%02x:%llu ", li->id, li->kind,
		  li->write ? "WRITE" : "READ ", li->pid, MAJOR(li->dev), MINOR(li->dev),
		  (unsigned long long)li->ino);
	if (!li->range || li->to_eof)
		pb_printf(b, "%llu EOF\n", li->range ? (unsigned long long)li->start : 0ULL);
	else
		pb_printf(b, "%llu %llu\n", (unsigned long long)li->start,
			  (unsigned long long)li->end);
}

/* /proc/locks: every advisory lock, as Linux's lock_get_status prints it. */
static int show_locks(struct proc_buf *b, struct task *unused)
{
	locks_for_each(lock_line, b);
	return 0;
}

/* /proc/swaps: the header; there is no swap. */
static int show_swaps(struct proc_buf *b, struct task *unused)
{
	pb_printf(b, "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n");
	return 0;
}

static int show_pid_max(struct proc_buf *b, struct task *unused)
{
	pb_printf(b, "4194304\n");
	return 0;
}

static int show_ip_local_port_range(struct proc_buf *b, struct task *unused)
{
	pb_printf(b, "%d\t%d\n", INET_PORT_LOW, INET_PORT_HIGH);
	return 0;
}

static int show_ping_group_range(struct proc_buf *b, struct task *unused)
{
	char buf[32];

	pb_write(b, buf, ping_group_range_show(buf, sizeof(buf)));
	return 0;
}

/* Two numbers, 0..GID_T_MAX (Linux's ipv4_ping_group_range). */
static int store_ping_group_range(const char *buf, size_t len)
{
	u64 v[2];
	int r = proc_parse_nums(buf, len, v, 2, 0, PING_GID_MAX);

	if (r < 0)
		return r;
	if (r != 2)
		return -EINVAL;
	ping_group_range_set((gid_t)v[0], (gid_t)v[1]);
	return 0;
}

/* /proc/net: the stack writes each table into a buffer of 64 KiB. */
static int show_net(struct proc_buf *b, size_t (*fn)(char *buf, size_t len))
{
	char *buf = kmalloc(65536);

	if (buf == NULL)
		return -ENOMEM;
	pb_write(b, buf, fn(buf, 65536));
	kfree(buf);
	return 0;
}
static int show_net_dev(struct proc_buf *b, struct task *unused) { return show_net(b, net_proc_dev); }
static int show_net_tcp(struct proc_buf *b, struct task *unused) { return show_net(b, net_proc_tcp); }
static int show_net_udp(struct proc_buf *b, struct task *unused) { return show_net(b, net_proc_udp); }
static int show_net_route(struct proc_buf *b, struct task *unused) { return show_net(b, net_proc_route); }
static int show_net_arp(struct proc_buf *b, struct task *unused) { return show_net(b, net_proc_arp); }
static int show_net_pnp(struct proc_buf *b, struct task *unused) { return show_net(b, net_proc_pnp); }
static int show_net_tcp6(struct proc_buf *b, struct task *unused) { return show_net(b, net_proc_tcp6); }
static int show_net_udp6(struct proc_buf *b, struct task *unused) { return show_net(b, net_proc_udp6); }
static int show_net_if_inet6(struct proc_buf *b, struct task *unused) { return show_net(b, net_proc_if_inet6); }

/* net.ipv6.bindv6only: IPV6_V6ONLY of new AF_INET6 sockets (0 or 1; others: Linux's proc_dointvec keeps them, read as true). */
static int show_bindv6only(struct proc_buf *b, struct task *unused)
{
	pb_printf(b, "%d\n", ipv6_bindv6only ? 1 : 0);
	return 0;
}

static int store_bindv6only(const char *buf, size_t len)
{
	char num[24];
	unsigned long long v;
	size_t n = 0;

	while (n < len && n < sizeof(num) - 1 && buf[n] >= '0' && buf[n] <= '9') {
		num[n] = buf[n];
		n++;
	}
	num[n] = '\0';
	if (n == 0 || kstrtou64(num, 10, &v) < 0 || v > 0x7fffffff)
		return -EINVAL;
	ipv6_bindv6only = v != 0;
	return 0;
}

/* /proc/sys/fs/dentry-state: Linux's six numbers (dentries, unused ones,
 * age_limit 45, want_pages 0, negative ones, 0). */
static int show_dentry_state(struct proc_buf *b, struct task *unused)
{
	pb_printf(b, "%llu\t%llu\t45\t0\t%llu\t0\n", (unsigned long long)live.dentries,
		  (unsigned long long)nr_unused_dentries, (unsigned long long)nr_negative_dentries);
	return 0;
}

/* /proc/sys/fs/inode-nr and inode-state: inodes and the unused ones. */
static int show_inode_nr(struct proc_buf *b, struct task *unused)
{
	pb_printf(b, "%llu\t%llu\n", (unsigned long long)live.inodes,
		  (unsigned long long)nr_unused_inodes);
	return 0;
}

static int show_inode_state(struct proc_buf *b, struct task *unused)
{
	pb_printf(b, "%llu\t%llu\t0\t0\t0\t0\t0\n", (unsigned long long)live.inodes,
		  (unsigned long long)nr_unused_inodes);
	return 0;
}

/*
 * An integer sysctl as Linux's proc_do*vec_minmax: show prints VAR, store
 * takes one number in [MIN, MAX] (else -EINVAL, the value kept) and then
 * runs THEN.  Signed when MIN is negative.
 */
#define PROC_INT(fn, var, min, max, then)					\
	static int show_##fn(struct proc_buf *b, struct task *unused)		\
	{									\
		if ((s64)(min) < 0)						\
			pb_printf(b, "%lld\n", (long long)(var));		\
		else								\
			pb_printf(b, "%llu\n", (unsigned long long)(var));	\
		return 0;							\
	}									\
	static int store_##fn(const char *buf, size_t len)			\
	{									\
		u64 v;								\
		int r = proc_parse_nums(buf, len, &v, 1, min, max);		\
										\
		if (r < 0)							\
			return r;						\
		var = (__typeof__(var))v;					\
		then;								\
		return 0;							\
	}

/* fs.lease-break-time: the seconds a lease holder has to give way (an int:
 * 0 or less breaks at once). */
PROC_INT(lease_break_time, lease_break_time, -0x80000000LL, 0x7fffffff, )

/* /proc/sys/fs/pipe-max-size: F_SETPIPE_SZ's limit without privilege. */
static int show_pipe_max_size(struct proc_buf *b, struct task *unused)
{
	pb_printf(b, "%u\n", pipe_max_size);
	return 0;
}

/*
 * A number as Linux's round_pipe_size takes it: below a page a page,
 * else the next power of two; past 2^31 (or not a number) -EINVAL.
 */
static int store_pipe_max_size(const char *buf, size_t len)
{
	unsigned long long v;
	char num[PROC_STORE_MAX + 1];
	size_t n = 0;
	u32 size = PAGE_SIZE;

	while (n < len && n < PROC_STORE_MAX && buf[n] != '\n' && buf[n] != ' ' && buf[n] != '\t') {
		num[n] = buf[n];
		n++;
	}
	num[n] = '\0';
	if (kstrtou64(num, 10, &v) < 0 || v > (1ULL << 31))
		return -EINVAL;
	while (size < v)
		size <<= 1;
	pipe_max_size = size;
	return 0;
}

/* /proc/sys/fs/file-nr: open files, 0 (Linux stopped counting free ones), file-max. */
static int show_file_nr(struct proc_buf *b, struct task *unused)
{
	pb_printf(b, "%llu\t0\t%llu\n", (unsigned long long)live.files,
		  (unsigned long long)files_max);
	return 0;
}

/* fs.file-max: an unsigned long up to LONG_MAX (proc_doulongvec_minmax). */
PROC_INT(file_max, files_max, 0, 0x7fffffffffffffffULL, )
/* fs.nr_open: within [64, 2147483584], Linux's sysctl_nr_open_min/max. */
PROC_INT(nr_open, sysctl_nr_open, NR_OPEN_MIN, NR_OPEN_MAX, )
/* vm.overcommit_memory: 0, 1 or 2. */
PROC_INT(overcommit_memory, sysctl_overcommit_memory, 0, 2, )
/* overcommit_ratio and overcommit_kbytes: writing one sets the other to 0, as Linux. */
PROC_INT(overcommit_ratio, sysctl_overcommit_ratio, 0, 0x7fffffff, sysctl_overcommit_kbytes = 0)
PROC_INT(overcommit_kbytes, sysctl_overcommit_kbytes, 0, ~0ULL, sysctl_overcommit_ratio = 0)
/* vm.dirty_writeback_centisecs: bdflush's period, 0 none (Linux: an int, at least 0). */
PROC_INT(dirty_writeback_centisecs, sysctl_dirty_writeback_centisecs, 0, 0x7fffffff,
	 bdflush_period_changed())

#define DIR(name, parent)	{ name, S_IFDIR | 0555, parent, NULL, NULL }
#define FILE(name, parent, fn)	{ name, S_IFREG | 0444, parent, fn, NULL }
#define LINK(name, parent, fn)	{ name, S_IFLNK | 0777, parent, NULL, fn }
#define WFILE(name, parent, fn)	{ name, S_IFREG | 0200, parent, NULL, NULL, fn }
#define RWFILE(name, parent, show, store) { name, S_IFREG | 0644, parent, show, NULL, store }

/* The static tree; entry 0 is /proc, the others name their directory. */
const struct proc_node proc_root_nodes[] = {
	DIR("", -1),
	LINK("self", 0, link_self),
	LINK("mounts", 0, link_mounts),
	FILE("meminfo", 0, show_meminfo),
	FILE("uptime", 0, show_uptime),
	FILE("loadavg", 0, show_loadavg),
	FILE("stat", 0, show_stat),
	FILE("cpuinfo", 0, show_cpuinfo),
	FILE("version", 0, show_version),
	FILE("filesystems", 0, show_filesystems),
	FILE("cmdline", 0, show_cmdline),
	DIR("sys", 0),				/* 11 */
	DIR("kernel", 11),			/* 12 */
	FILE("hostname", 12, show_hostname),
	FILE("domainname", 12, show_domainname),
	FILE("osrelease", 12, show_osrelease),
	FILE("ostype", 12, show_ostype),
	FILE("pid_max", 12, show_pid_max),
	DIR("vm", 11),				/* 18 */
	WFILE("drop_caches", 18, store_drop_caches),
	DIR("sysvipc", 0),			/* 20 */
	FILE("shm", 20, show_sysvipc_shm),
	FILE("sem", 20, show_sysvipc_sem),
	FILE("msg", 20, show_sysvipc_msg),
#define IPC_NODE(n) RWFILE(#n, 12, show_##n, store_##n),
	IPC_SYSCTL(IPC_NODE)
#undef IPC_NODE
	DIR("fs", 11),				/* 31 */
	DIR("mqueue", 31),			/* 32 */
#define MQ_NODE(n) RWFILE(#n, 32, show_mq_##n, store_mq_##n),
	MQ_SYSCTL(MQ_NODE)
#undef MQ_NODE
	FILE("partitions", 0, show_partitions),
	FILE("swaps", 0, show_swaps),
	FILE("locks", 0, show_locks),
	DIR("net", 0),				/* 41: after fs/mqueue, its 5 nodes and locks */
	FILE("dev", 41, show_net_dev),
	FILE("tcp", 41, show_net_tcp),
	FILE("udp", 41, show_net_udp),
	FILE("route", 41, show_net_route),
	FILE("arp", 41, show_net_arp),
	DIR("net", 11),				/* 47: /proc/sys/net */
	DIR("ipv4", 47),			/* 48 */
	FILE("ip_local_port_range", 48, show_ip_local_port_range),
	FILE("dentry-state", 31, show_dentry_state),
	FILE("inode-nr", 31, show_inode_nr),
	FILE("inode-state", 31, show_inode_state),
	RWFILE("lease-break-time", 31, show_lease_break_time, store_lease_break_time),
	RWFILE("ping_group_range", 48, show_ping_group_range, store_ping_group_range),
	FILE("vmstat", 0, show_vmstat),
	FILE("pnp", 41, show_net_pnp),		/* 56; nothing above moves */
	FILE("tcp6", 41, show_net_tcp6),
	FILE("udp6", 41, show_net_udp6),
	FILE("if_inet6", 41, show_net_if_inet6),
	DIR("ipv6", 47),			/* 60: /proc/sys/net/ipv6 */
	RWFILE("bindv6only", 60, show_bindv6only, store_bindv6only),
	RWFILE("pipe-max-size", 31, show_pipe_max_size, store_pipe_max_size),
	FILE("platform", 0, show_platform),	/* 63 */
	FILE("diskstats", 0, show_diskstats),	/* 64 */
	FILE("file-nr", 31, show_file_nr),
	RWFILE("file-max", 31, show_file_max, store_file_max),
	RWFILE("nr_open", 31, show_nr_open, store_nr_open),
	RWFILE("overcommit_memory", 18, show_overcommit_memory, store_overcommit_memory),
	RWFILE("overcommit_ratio", 18, show_overcommit_ratio, store_overcommit_ratio),
	RWFILE("overcommit_kbytes", 18, show_overcommit_kbytes, store_overcommit_kbytes),
	RWFILE("dirty_writeback_centisecs", 18, show_dirty_writeback_centisecs,
	       store_dirty_writeback_centisecs),
	/* new nodes go last: no index above moves */
};
const int proc_root_nr = ARRAY_SIZE(proc_root_nodes);
