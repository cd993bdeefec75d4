/*
 * oom.c - the out-of-memory killer.
 *
 * A guest page fault that finds no free page (after the page cache gave
 * back what it could) does not kill the faulting process silently: as
 * Linux's out_of_memory(), it prints a report (who asked, the memory
 * left, one line per process) and kills the process with the most
 * resident pages, never init and never a kernel thread, and every other
 * process sharing its address space.  The faulting task then waits for
 * the victim to die and retries its fault.  While a victim is still
 * dying no second one is chosen.  When nothing but init can be killed,
 * the machine stops as Linux's panic "System is deadlocked on memory",
 * with the disks synced and exit status 137.
 */
#include "kernel/mm.h"
#include "kernel/sched.h"
#include "kernel/kernel.h"
#include "kernel/fs.h"

static bool oom_candidate(struct task *t)
{
	return t->mm && t->pid != 1 && t->state != TASK_ZOMBIE && t->state != TASK_DEAD;
}

struct rss_split {
	u64 anon, file;
};

static void count_pte(struct mm *mm, u64 addr, pte_t *e, void *arg)
{
	u64 *n = arg;

	if (*e & PTE_PRESENT)
		(*n)++;
}

/* The victim's resident pages, anonymous and file-backed, for the report. */
static struct rss_split rss_split(struct mm *mm)
{
	struct rss_split s = { 0, 0 };
	struct vma *v;

	list_for_each_entry(v, &mm->vmas, list)
		pte_walk(mm, v->start, v->end, count_pte, v->file ? &s.file : &s.anon);
	return s;
}

static u64 total_vm(struct mm *mm)
{
	struct vma *v;
	u64 pages = 0;

	list_for_each_entry(v, &mm->vmas, list)
		pages += (v->end - v->start) >> PAGE_SHIFT;
	return pages;
}

static void dump_tasks(void)
{
	struct task *t;

	printk(KERN_INFO "Tasks state (memory values in pages):\n");
	printk(KERN_INFO "[  pid  ]   uid  tgid total_vm      rss name\n");
	list_for_each_entry(t, &all_tasks, tasks)
		if (t->mm && t->state != TASK_ZOMBIE)
			printk(KERN_INFO "[%7d] %5u %5d %8llu %8llu %s\n", t->pid, t->uid, t->tgid,
			       (unsigned long long)total_vm(t->mm),
			       (unsigned long long)t->mm->rss, t->comm);
}

static bool victim_dying(void)
{
	struct task *t;

	list_for_each_entry(t, &all_tasks, tasks)
		if (t->oom_victim && t->state != TASK_ZOMBIE && t->state != TASK_DEAD)
			return true;
	return false;
}

static struct task *select_victim(void)
{
	struct task *t, *best = NULL;

	list_for_each_entry(t, &all_tasks, tasks)
		if (oom_candidate(t) && (!best || t->mm->rss > best->mm->rss))
			best = t;
	return best;
}

static void kill_victim(struct task *v)
{
	struct rss_split s = rss_split(v->mm);
	struct task *t;

	printk(KERN_ERR "Out of memory: Killed process %d (%s) total-vm:%llukB, anon-rss:%llukB, "
	       "file-rss:%llukB, shmem-rss:0kB, UID:%u pgtables:0kB oom_score_adj:0\n",
	       v->pid, v->comm, (unsigned long long)total_vm(v->mm) * 4,
	       (unsigned long long)s.anon * 4, (unsigned long long)s.file * 4, v->uid);
	list_for_each_entry(t, &all_tasks, tasks) {
		if (t->mm != v->mm || !oom_candidate(t))
			continue;
		if (t != v)
			printk(KERN_ERR "oom_reaper: killed process %d (%s) sharing the same memory\n",
			       t->pid, t->comm);
		t->oom_victim = true;
		send_sig(t, SIGKILL);
	}
}

/*
 * A guest fault of t found no memory (Linux's pagefault_out_of_memory).
 * On return t retries its fault, unless it is the victim (its SIGKILL is
 * pending).  May sleep.
 */
void pagefault_out_of_memory(struct task *t)
{
	u64 before = nr_free_pages();
	struct task *v;

	/* Dirty data first: once written back it can be reclaimed, and a
	 * retried fault may find its page without anyone dying. */
	if (!victim_dying() && jiffies - t->oom_retry_jiffies > HZ) {
		t->oom_retry_jiffies = jiffies;	/* once a second at most */
		reclaim_writeback();
		if (nr_free_pages() > before + 16)
			return;
	}
	if (!victim_dying()) {
		printk(KERN_WARNING "%s invoked oom-killer: order=0, oom_score_adj=0\n", t->comm);
		printk(KERN_INFO "Mem-Info: free:%llu of %llu pages\n",
		       (unsigned long long)nr_free_pages(), (unsigned long long)nr_pages);
		dump_tasks();
		v = select_victim();
		if (!v) {
			printk(KERN_EMERG "Out of memory and no killable processes...\n");
			printk(KERN_EMERG "Kernel panic - not syncing: System is deadlocked on memory\n");
			machine_halt(128 + SIGKILL);
		}
		kill_victim(v);
	}
	if (!t->oom_victim)	/* let the victim run to its exit */
		sleep_until(os_monotonic_ns() + 10000000ULL, false);
}
