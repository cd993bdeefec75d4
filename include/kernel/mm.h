/*
 * mm.h - address spaces.  Each mm has a list of VMAs and a 4-level
 * software page table (x86-64 shape: 9 bits per level over 48 bits).
 * Host mappings in the platform's host side (a stub process) are only a
 * cache of those tables: PTE changes set PTE_NEW and widen
 * mm->flush_lo/hi; mm_flush() turns the changed PTEs into batched
 * mmap/munmap/mprotect operations for the platform to apply.
 */
#ifndef KERNEL_MM_H
#define KERNEL_MM_H

#include "kernel/page.h"
#include "kernel/wait.h"
#include "shared/stub.h"
#include "shared/os.h"

/* No guest mapping starts below this (vm.mmap_min_addr), stacks included. */
#define MMAP_MIN_ADDR	0x10000ULL
/* What a growing stack keeps free above the next lower mapping (Linux's
 * default stack_guard_gap, 256 pages). */
#define STACK_GUARD_GAP	(256ULL << PAGE_SHIFT)

/* PTE bits (software format; the frame number lives above bit 12). */
#define PTE_PRESENT	0x001
#define PTE_WRITE	0x002
#define PTE_EXEC	0x004
#define PTE_READ	0x008
#define PTE_NEW		0x010	/* not yet mirrored into the host */
#define PTE_NEWPROT	0x040	/* only its protection changed: mprotect */
#define PTE_DIRTY	0x020
#define PTE_POPULATE	0x080	/* mirror it with the host's page tables filled at
				 * once (MAP_OP_MMAP_POPULATE); mm_flush clears it */
#define PTE_FLAGS	0xfff
typedef u64 pte_t;

/* VMA flags. */
#define VM_READ		0x0001
#define VM_WRITE	0x0002
#define VM_EXEC		0x0004
#define VM_SHARED	0x0008
#define VM_MAYREAD	0x0010
#define VM_MAYWRITE	0x0020
#define VM_MAYEXEC	0x0040
#define VM_GROWSDOWN	0x0100
#define VM_STACK	VM_GROWSDOWN
#define VM_LOCKED	0x2000		/* mlock: counted in VmLck (nothing is swapped anyway) */
#define VM_LOCKONFAULT	0x4000		/* MLOCK_ONFAULT, MCL_ONFAULT */
#define VM_ACCOUNT	0x00100000	/* committed memory (overcommit accounting) */

struct file;
struct task;

struct vma {
	u64 start, end;		/* [start, end), page aligned */
	u32 flags;
	struct file *file;	/* a reference, or NULL for anonymous */
	u64 pgoff;		/* file offset of start, in pages */
	struct list_head list;	/* mm->vmas, sorted by start */
	u64 fa_next;		/* anonymous fault-around (mm/fault.c): the page */
	u32 fa_pages;		/* after the last run mapped, and that run's size */
};

struct mm {
	int users;		/* tasks sharing it (vfork, threads) */
	pte_t *pgd;		/* top-level table, a physmem page */
	struct list_head vmas;
	u64 brk_start, brk;
	u64 stack_start, arg_start, arg_end, env_start, env_end;
	u64 mmap_base;
	u64 vdso_base;		/* the vDSO's ELF header (AT_SYSINFO_EHDR), 0 if none */
	u64 flush_lo, flush_hi;	/* range with PTE_NEW entries */
	void *host;		/* the platform's host side (include/kernel/platform.h) */
	struct task *loaded;	/* whose FPU state the host side holds */
	struct task *running;	/* the thread in user mode on it, or NULL */
	struct task *partial;	/* whose registers are partial (a notification) */
	struct wait_queue host_wait;	/* threads waiting to run on it */
	u64 run_start;		/* when the thread last_runner took it from another */
	int last_runner;	/* the pid of the thread that ran on it last */
	u64 acct_start;		/* its user time counted up to here (kernel/cputime.c) */
	u64 rss;		/* pages mapped */
	int cputime_pid;	/* the stub whose CPU time cputime_seen is (kernel/cputime.c) */
	u64 cputime_seen;
	u64 cputime_at;		/* when (wall time) it was sampled */
	struct task *cputime_lazy;	/* whose stops since were not sampled (cputime.c) */
	u32 def_flags;		/* mlockall(MCL_FUTURE): VM_LOCKED for every new mapping */
	u64 acct_gen;		/* vm_committed_pages' walk has counted it */
	struct file *exe_file;	/* the program it runs (a reference, write-denied), or NULL */
	u32 membarrier;		/* membarrier(2) registrations (kernel/membarrier.c); inherited at fork, 0 after exec */
};

u64 mm_locked_bytes(struct mm *mm);	/* VmLck */

struct mm *mm_alloc(void);
struct mm *mm_fork(struct mm *old);	/* copy-on-write copy, or NULL */
void mm_get(struct mm *mm);
void mm_put(struct mm *mm);
void mm_take_host(struct mm *to, struct mm *from);	/* exec reuses the host side */
int mm_set_exe_file(struct mm *mm, struct file *f);	/* at exec: 0 or -ETXTBSY */

/* VMAs and the mmap family (mm/mmap.c).  Return -errno on failure. */
struct vma *find_vma(struct mm *mm, u64 addr);	/* first with end > addr */
long mm_mmap(struct mm *mm, u64 addr, u64 len, int prot, int flags,
	     struct file *f, u64 off);
long mm_munmap(struct mm *mm, u64 addr, u64 len);
long mm_mprotect(struct mm *mm, u64 addr, u64 len, int prot);
long mm_brk(struct mm *mm, u64 brk);

/*
 * Overcommit (vm.overcommit_memory, _ratio, _kbytes; Linux's
 * Documentation/mm/overcommit-accounting.rst): memory a VMA with
 * VM_ACCOUNT may come to use is committed.  vm_enough_memory says whether
 * pages more may be committed for mm (0 or -ENOMEM): mode 0 refuses one
 * request larger than all memory, mode 1 never refuses, mode 2 refuses
 * past CommitLimit less Linux's admin and user reserves.
 */
extern int sysctl_overcommit_memory, sysctl_overcommit_ratio;
extern u64 sysctl_overcommit_kbytes;
int vm_enough_memory(struct mm *mm, u64 pages);
u64 vm_commit_limit(void);		/* pages */
u64 vm_committed_pages(void);		/* every address space's VM_ACCOUNT pages */

/* Page tables and faults (mm/pgtable.c, mm/fault.c). */
pte_t *pte_lookup(struct mm *mm, u64 addr, bool create);
void pte_set(struct mm *mm, u64 addr, pte_t *ptep, pte_t val);
void mm_prefault_cached(struct mm *mm, u64 addr);
int handle_mm_fault(struct mm *mm, u64 addr, bool write);	/* May sleep. */
int mm_flush(struct mm *mm);		/* push PTE changes into the host side */
void pagefault_out_of_memory(struct task *t);	/* the OOM killer (mm/oom.c). May sleep. */
typedef void (*pte_walk_fn)(struct mm *mm, u64 addr, pte_t *pte, void *arg);
void pte_walk(struct mm *mm, u64 lo, u64 hi, pte_walk_fn fn, void *arg);
void pgtable_free(struct mm *mm);
u64 vma_pte_prot(u32 vmflags);		/* PTE_READ/WRITE/EXEC for a VMA */

/* The page cache (mm/filemap.c). */
struct inode;
struct page *filemap_get_page(struct inode *inode, u64 index, struct page **spare, int *err);
struct page *filemap_get_page_run(struct inode *inode, u64 index, struct page **spare,
				  unsigned nspare, int *err);	/* May sleep. */
unsigned filemap_find_cached(struct inode *inode, u64 first, unsigned n, struct page **out);
void filemap_mark_dirty(struct page *p);
int filemap_writeback(struct inode *inode);		/* May sleep. */
void filemap_update(struct inode *inode, u64 pos, u64 len);
void filemap_drop(struct inode *inode);
void filemap_truncate(struct inode *inode, u64 size);	/* mm_truncate_mappings' cache part */
void mm_truncate_mappings(struct inode *inode, u64 size);	/* the file shrank to size */
u64 filemap_shrink(u64 want);			/* never sleeps */
bool filemap_evict_page(struct page *p, bool dry_run);	/* never sleeps */
struct filemap_stats {
	u64 active, inactive;	/* the two reclaim lists; their sum is Cached */
	u64 mapped;		/* held by a mapping too */
	u64 dirty;		/* to be written back */
	u64 reclaimable;	/* clean and unmapped: filemap_shrink can free them */
};
void filemap_stats(struct filemap_stats *st);
/*
 * The cached pages as a set of (inode, index), for meminfo to tell which
 * file buffers a cached page duplicates: filemap_set_build fills s (0, or
 * -ENOMEM), cache_set_has asks it, cache_set_free frees it.  Nothing may
 * change the cache between the build and the last question (no sleep).
 */
struct cache_set {
	struct page **slot;
	u64 mask;
};
int filemap_set_build(struct cache_set *s);
bool cache_set_has(const void *set, const void *owner, u64 index);	/* set: a struct cache_set */
void cache_set_free(struct cache_set *s);

/* Guest memory access (mm/uaccess.c).  May sleep (faults pages in). */
long copy_from_user(void *dst, uaddr_t src, size_t n);	/* 0 or -EFAULT */
long copy_to_user(uaddr_t dst, const void *src, size_t n);
long clear_user(uaddr_t dst, size_t n);
u64 user_access_prefix(struct mm *mm, u64 addr, u64 len, bool write);	/* mapped bytes from addr */
bool user_range_present(struct mm *mm, u64 addr, u64 len, bool write);	/* a copy cannot fault */
long strncpy_from_user(char *dst, uaddr_t src, size_t n); /* length or -EFAULT/-ENAMETOOLONG */
/* Copy from an explicit mm (exec builds the new stack before switching). */
long mm_copy_to(struct mm *mm, uaddr_t dst, const void *src, size_t n);
long mm_copy_from(struct mm *mm, void *dst, uaddr_t src, size_t n);
/* The same through a one-page translation cache kept across calls (a
 * uio's, struct user_tlb in kernel/fs.h): src NULL writes zeros. */
struct user_tlb;
long mm_copy_to_tlb(struct mm *mm, struct user_tlb *tlb, uaddr_t dst, const void *src, size_t n);

#define get_user(var, uaddr) copy_from_user(&(var), (uaddr), sizeof(var))
#define put_user(var, uaddr) copy_to_user((uaddr), &(var), sizeof(var))

#endif
