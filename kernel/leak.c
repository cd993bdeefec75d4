/*
 * leak.c - the leak check at halt.
 *
 * machine_halt calls check_leaks once every process has ended and every
 * filesystem is unmounted.  By then no process but the halting one may
 * still run, each refcounted kind (LIVE_KINDS in kernel/kernel.h) must be
 * back to what the kernel keeps for its whole run, and no frame of memory
 * may be held by the page cache or as user memory (anonymous pages, page
 * tables, stub data): every leftover is logged as a "leak:" line, which
 * the boot and security tests fail on (tests/lib.sh, KERNEL_BAD).
 */
#include "kernel/kernel.h"
#include "kernel/page.h"
#include "kernel/sched.h"

int leak_test_kind = -1;

/* leak_test=KIND: this object of KIND is kept (once), so halt reports it. */
bool leak_test_fire(void)
{
	printk(KERN_INFO "leak_test: keeping one of %s, on purpose\n", live_kind_names[leak_test_kind]);
	leak_test_kind = -1;
	return true;
}

void check_leaks(void)
{
	struct page_census c;
	struct task *t;
	long running = 0, n;

	/* Every process but the halting one has ended (zombies may stay). */
	list_for_each_entry(t, &all_tasks, tasks)
		if (t != current && t->mm && t->state != TASK_ZOMBIE && t->state != TASK_DEAD)
			running++;
	if (running)
		printk(KERN_ERR "leak: %ld processes still running at halt\n", running);

#define CHECK_KIND(k)								\
	if (live.k != live_kernel.k)						\
		printk(KERN_ERR "leak: %ld " #k " left at halt\n", live.k - live_kernel.k);
	LIVE_KINDS(CHECK_KIND)
#undef CHECK_KIND
	n = futex_waiters();
	if (n)
		printk(KERN_ERR "leak: %ld futex waiters still hashed at halt\n", n);
	page_census(&c);
	if (c.cache)
		printk(KERN_ERR "leak: %llu page-cache pages left at halt\n",
		       (unsigned long long)c.cache);
	if (c.other)
		printk(KERN_ERR "leak: %llu pages of user memory (anonymous, page tables, stub data) left at halt\n",
		       (unsigned long long)c.other);
	if (c.unknown)
		printk(KERN_ERR "leak: %llu frames in no block (mem_map corrupt)\n",
		       (unsigned long long)c.unknown);
	printk(KERN_DEBUG "halt: %ld tasks, %ld mms, %ld files, %ld pipes, %ld dentries, %ld inodes; "
	       "pages: %llu free, %llu slab, %llu kmalloc, %llu cache, %llu other\n",
	       live.tasks, live.mms, live.files, live.pipes, live.dentries, live.inodes,
	       (unsigned long long)c.free, (unsigned long long)c.slab, (unsigned long long)c.kmalloc,
	       (unsigned long long)c.cache, (unsigned long long)c.other);
}
