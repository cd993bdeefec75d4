/*
 * mmap.c - address spaces: VMAs and the mmap family.
 *
 * An mm's VMAs are a list sorted by address.  Pages are only mapped by
 * faults (mm/fault.c); unmapping drops them here.  Guest addresses live
 * in [PAGE_SIZE, TASK_SIZE); mmap without a hint searches top-down from
 * mmap_base, as Linux does.
 */
#include "kernel/mm.h"
#include "kernel/fs.h"
#include "kernel/sched.h"
#include "kernel/syscalls.h"
#include "kernel/overflow.h"
#include "kernel/platform.h"
#include "kernel/page.h"
#include "uapi/linux/capability.h"
#include "uapi/linux/mman.h"
#include "uapi/linux/resource.h"

#define STACK_LIMIT	(8ULL << 20)

u64 vma_pte_prot(u32 f)
{
	u64 p = 0;

	if (f & VM_READ)
		p |= PTE_READ;
	if (f & VM_WRITE)
		p |= PTE_WRITE | PTE_READ;
	if (f & VM_EXEC)
		p |= PTE_EXEC | PTE_READ;
	return p;
}

struct mm *mm_alloc(void)
{
	struct mm *mm = kzalloc(sizeof(*mm));
	struct page *pgd;

	if (!mm)
		return NULL;
	pgd = alloc_page_zeroed();
	if (!pgd || arch_mm_init(mm) < 0) {
		if (pgd)
			page_put(pgd);
		kfree(mm);
		return NULL;
	}
	mm->pgd = page_address(pgd);
	mm->users = 1;
	init_waitqueue(&mm->host_wait);
	live.mms++;
	INIT_LIST_HEAD(&mm->vmas);
	mm->mmap_base = TASK_SIZE - (1ULL << 30);	/* below the stack gap */
	return mm;
}

void mm_get(struct mm *mm)
{
	mm->users++;
}

struct vma *find_vma(struct mm *mm, u64 addr)
{
	struct vma *v;

	list_for_each_entry(v, &mm->vmas, list)
		if (v->end > addr)
			return v;
	return NULL;
}

static struct vma *vma_new(u64 start, u64 end, u32 flags, struct file *f, u64 pgoff)
{
	struct vma *v = kzalloc(sizeof(*v));

	if (!v)
		return NULL;
	v->start = start;
	v->end = end;
	v->flags = flags;
	v->file = f ? fget(f) : NULL;
	v->pgoff = pgoff;
	if (f && f->f_op && f->f_op->vm_open)
		f->f_op->vm_open(f);
	INIT_LIST_HEAD(&v->list);
	return v;
}

static void vma_free(struct vma *v)
{
	list_del(&v->list);
	if (v->file && v->file->f_op && v->file->f_op->vm_close)
		v->file->f_op->vm_close(v->file);
	if (v->file)
		fput(v->file);
	kfree(v);
}

static void vma_insert(struct mm *mm, struct vma *nv)
{
	struct vma *v;

	list_for_each_entry(v, &mm->vmas, list)
		if (v->start >= nv->end)
			break;
	list_add_tail(&nv->list, &v->list);
}

/* Splits v at addr (inside it); v keeps the lower part.  0 or -ENOMEM. */
static int vma_split(struct vma *v, u64 addr)
{
	struct vma *hi = vma_new(addr, v->end, v->flags, v->file,
				 v->pgoff + ((addr - v->start) >> PAGE_SHIFT));

	if (!hi)
		return -ENOMEM;
	v->end = addr;
	list_add(&hi->list, &v->list);
	return 0;
}

static void zap_pte(struct mm *mm, u64 addr, pte_t *e, void *arg)
{
	if (*e & PTE_PRESENT) {
		page_put(pfn_to_page(*e >> PAGE_SHIFT));
		mm->rss--;
	}
	if (*e)
		pte_set(mm, addr, e, 0);
}

/*
 * inode's size went down to size (Linux's truncate_pagecache): every
 * mapping of it, shared or private (copies included, as even_cows),
 * loses the pages wholly past the new end, so that a touch there is
 * SIGBUS; the page cache forgets them and zeroes the last page's tail.
 */
void mm_truncate_mappings(struct inode *inode, u64 size)
{
	u64 first = DIV_ROUND_UP(size, PAGE_SIZE);	/* the first page past the end */
	struct task *t;
	struct vma *v;

	list_for_each_entry(t, &all_tasks, tasks) {
		if (t->mm == NULL)
			continue;
		list_for_each_entry(v, &t->mm->vmas, list) {
			u64 from = v->start;

			if (v->file == NULL || v->file->f_inode != inode)
				continue;
			if (first > v->pgoff)
				from = v->start + ((first - v->pgoff) << PAGE_SHIFT);
			if (from < v->end && from >= v->start)
				pte_walk(t->mm, from, v->end, zap_pte, NULL);
		}
	}
	filemap_truncate(inode, size);
}

/* Removes every mapping in [start, end); both page aligned. */
static int unmap_range(struct mm *mm, u64 start, u64 end)
{
	struct vma *v, *n;

	list_for_each_entry_safe(v, n, &mm->vmas, list) {
		if (v->end <= start || v->start >= end)
			continue;
		if (v->start < start) {
			if (vma_split(v, start) < 0)
				return -ENOMEM;
			n = list_entry(v->list.next, struct vma, list);
			continue;	/* the upper part comes next */
		}
		if (v->end > end && vma_split(v, end) < 0)
			return -ENOMEM;
		n = list_entry(v->list.next, struct vma, list);
		if ((v->flags & VM_SHARED) && v->file)
			filemap_writeback(v->file->f_inode);
		pte_walk(mm, v->start, v->end, zap_pte, NULL);
		vma_free(v);
	}
	return 0;
}

/* As Linux's do_vmi_munmap: the whole range, before rounding, must be guest space. */
long mm_munmap(struct mm *mm, u64 addr, u64 len)
{
	u64 end;

	if ((addr & ~PAGE_MASK) || addr > TASK_SIZE || len > TASK_SIZE - addr)
		return -EINVAL;
	if (!page_align_ok(len, &len) || len == 0)
		return -EINVAL;
	if (check_add_overflow(addr, len, &end) || end > TASK_SIZE)
		return -EINVAL;
	return unmap_range(mm, addr, end);
}

static bool range_free(struct mm *mm, u64 start, u64 end)
{
	struct vma *v = find_vma(mm, start);

	return start >= MMAP_MIN_ADDR && end <= TASK_SIZE && (!v || v->start >= end);
}

/* Finds a free range of len bytes, top-down below mmap_base. 0 if none. */
static u64 get_unmapped_area(struct mm *mm, u64 len)
{
	u64 top = mm->mmap_base;
	struct vma *v;

	for (;;) {
		u64 start;
		bool clash = false;

		if (top < len + MMAP_MIN_ADDR)
			return 0;
		start = top - len;
		list_for_each_entry(v, &mm->vmas, list) {
			if (v->start < top && v->end > start) {
				top = v->start;
				clash = true;
			}
		}
		if (!clash)
			return start;
	}
}

static u32 prot_to_vm(int prot)
{
	u32 f = 0;

	if (prot & PROT_READ)
		f |= VM_READ;
	if (prot & PROT_WRITE)
		f |= VM_WRITE;
	if (prot & PROT_EXEC)
		f |= VM_EXEC;
	return f;
}

static void populate(struct mm *mm, u64 start, u64 end)
{
	for (u64 a = start; a < end; a += PAGE_SIZE)
		if (handle_mm_fault(mm, a, true) < 0)
			break;
}

/* The largest file offset a mapping may reach: Linux's MAX_LFS_FILESIZE. */
#define MAX_MAP_OFFSET	0x7fffffffffffffffULL

/*
 * Linux's file_mmap_ok(): the pages [off, off + len) of the file must be
 * addressable, else -EOVERFLOW (an offset of -4096 is not "the last page").
 */
static bool file_range_ok(u64 off, u64 len)
{
	u64 end;

	return !check_add_overflow(off, len, &end) && end <= MAX_MAP_OFFSET;
}

/*
 * What a mapping may become by mprotect: a shared mapping of a file that
 * was not opened for writing can never be made writable (Linux clears
 * VM_MAYWRITE in do_mmap), or a reader could write the file through it.
 * Private mappings keep VM_MAYWRITE: their writes go to private copies.
 */
static u32 may_flags(int flags, struct file *f)
{
	u32 may = VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;

	if (f && (flags & MAP_TYPE) != MAP_PRIVATE &&
	    (!(f->f_mode & FMODE_WRITE) || memfd_write_sealed(f)))
		may &= ~VM_MAYWRITE;	/* and a write-sealed memfd (fs/memfd.c), as Linux */
	return may;
}

int sysctl_overcommit_memory;		/* OVERCOMMIT_GUESS */
int sysctl_overcommit_ratio = 50;
u64 sysctl_overcommit_kbytes;

static u64 vma_pages(const struct vma *v)
{
	return (v->end - v->start) >> PAGE_SHIFT;
}

static u64 mm_accounted(struct mm *mm, u64 lo, u64 hi)
{
	struct vma *v;
	u64 n = 0;

	list_for_each_entry(v, &mm->vmas, list)
		if ((v->flags & VM_ACCOUNT) && v->end > lo && v->start < hi)
			n += (min(v->end, hi) - max(v->start, lo)) >> PAGE_SHIFT;
	return n;
}

/* CommitLimit: overcommit_kbytes, else overcommit_ratio percent of memory (no swap). */
u64 vm_commit_limit(void)
{
	if (sysctl_overcommit_kbytes)
		return sysctl_overcommit_kbytes >> (PAGE_SHIFT - 10);
	return nr_pages * (u64)sysctl_overcommit_ratio / 100;
}

/* Committed_AS, summed over every address space a task has now. */
u64 vm_committed_pages(void)
{
	static u64 gen;
	struct task *t;
	u64 n = 0;

	gen++;
	list_for_each_entry(t, &all_tasks, tasks) {
		if (t->mm == NULL || t->mm->acct_gen == gen)
			continue;
		t->mm->acct_gen = gen;
		n += mm_accounted(t->mm, 0, TASK_SIZE);
	}
	return n;
}

int vm_enough_memory(struct mm *mm, u64 pages)
{
	u64 allowed, committed, admin = min(nr_pages * 3 / 100, (u64)(8 << 20) >> PAGE_SHIFT);
	u64 user = min(nr_pages * 3 / 100, (u64)(128 << 20) >> PAGE_SHIFT);

	if (sysctl_overcommit_memory == 1)	/* OVERCOMMIT_ALWAYS */
		return 0;
	if (sysctl_overcommit_memory == 0)	/* OVERCOMMIT_GUESS: no swap to add */
		return pages > nr_pages ? -ENOMEM : 0;
	allowed = vm_commit_limit();
	if (current == NULL || !(current->cap_effective & (1ULL << CAP_SYS_ADMIN)))
		allowed = allowed > admin ? allowed - admin : 0;
	if (mm != NULL) {
		u64 total = 0, r;
		struct vma *v;

		list_for_each_entry(v, &mm->vmas, list)
			total += vma_pages(v);
		r = min(total / 32, user);
		allowed = allowed > r ? allowed - r : 0;
	}
	committed = vm_committed_pages();
	if (mm != NULL && (current == NULL || current->mm != mm))
		committed += mm_accounted(mm, 0, TASK_SIZE);	/* an exec's new mm */
	return committed + pages < allowed ? 0 : -ENOMEM;
}

/* Whether a new mapping is committed memory, as Linux's accountable_mapping. */
static bool accountable(u32 vmf, int flags, struct file *f)
{
	if ((flags & MAP_NORESERVE) && sysctl_overcommit_memory != 2)
		return false;
	if (vmf & VM_SHARED)
		return f == NULL;	/* shared anonymous memory is shmem's, committed */
	return (vmf & VM_WRITE) != 0;
}

/*
 * Maps len bytes of f at off (or anonymous memory if f is NULL).  Returns
 * the address or -errno.  The caller has validated flags.  May sleep.
 */
long mm_mmap(struct mm *mm, u64 addr, u64 len, int prot, int flags, struct file *f, u64 off)
{
	u32 vmf = prot_to_vm(prot) | may_flags(flags, f);
	struct vma *v;
	u64 end;

	if (len == 0 || (off & ~PAGE_MASK))
		return -EINVAL;
	if (!page_align_ok(len, &len) || len == 0 || len > TASK_SIZE)
		return -ENOMEM;
	if (f && !file_range_ok(off, len))
		return -EOVERFLOW;
	if ((vmf & (VM_READ | VM_WRITE | VM_EXEC)) & ~(vmf >> 4))
		return -EACCES;		/* asks for more than the file allows */
	if (flags & MAP_SHARED)
		vmf |= VM_SHARED;
	if (flags & MAP_GROWSDOWN)
		vmf |= VM_GROWSDOWN;
	if (flags & MAP_FIXED) {
		if (addr & ~PAGE_MASK)
			return -EINVAL;
		if (check_add_overflow(addr, len, &end) || end > TASK_SIZE)
			return -ENOMEM;		/* past the end of the address space */
		if (addr < MMAP_MIN_ADDR)
			return -EPERM;		/* vm.mmap_min_addr, as Linux */
		if ((flags & MAP_FIXED_NOREPLACE) && !range_free(mm, addr, end))
			return -EEXIST;
		/* What it replaces was committed already (Linux's nr_accounted). */
		if (accountable(vmf, flags, f) &&
		    vm_enough_memory(mm, (len >> PAGE_SHIFT) - mm_accounted(mm, addr, end)) < 0)
			return -ENOMEM;
		if (unmap_range(mm, addr, end) < 0)
			return -ENOMEM;
	} else {
		addr = ALIGN_DOWN(addr, PAGE_SIZE);
		if (!addr || check_add_overflow(addr, len, &end) || !range_free(mm, addr, end))
			addr = get_unmapped_area(mm, len);
		if (!addr)
			return -ENOMEM;
		end = addr + len;
		if (accountable(vmf, flags, f) && vm_enough_memory(mm, len >> PAGE_SHIFT) < 0)
			return -ENOMEM;
	}
	if (accountable(vmf, flags, f))
		vmf |= VM_ACCOUNT;
	v = vma_new(addr, end, vmf | mm->def_flags, f, off >> PAGE_SHIFT);
	if (!v)
		return -ENOMEM;
	vma_insert(mm, v);
	/* Shared anonymous memory must be the same pages in every fork child. */
	if ((vmf & VM_SHARED) && !f)
		populate(mm, addr, end);
	else if (flags & MAP_POPULATE)
		populate(mm, addr, end);
	return (long)addr;
}

/* Gives a present PTE of VMA `arg` the VMA's new protection. */
static void reprotect_pte(struct mm *mm, u64 addr, pte_t *e, void *arg)
{
	struct vma *vma = arg;
	struct page *page;
	pte_t v = *e;
	u64 prot = vma_pte_prot(vma->flags);

	if (!(v & PTE_PRESENT))
		return;
	page = pfn_to_page(v >> PAGE_SHIFT);
	if (vma->flags & VM_SHARED) {
		if ((prot & PTE_WRITE) && vma->file)
			filemap_mark_dirty(page);	/* written back from now on */
	} else if (page->refcount > 1 || page->owner) {
		prot &= ~PTE_WRITE;	/* shared frames wait for the copy-on-write fault */
	}
	pte_set(mm, addr, e, (v & ~(u64)(PTE_READ | PTE_WRITE | PTE_EXEC)) | prot);
}

long mm_mprotect(struct mm *mm, u64 addr, u64 len, int prot)
{
	u64 end;
	struct vma *v, *n;

	if ((addr & ~PAGE_MASK) || (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC |
					      PROT_GROWSDOWN | PROT_GROWSUP)))
		return -EINVAL;
	if (!page_align_ok(len, &len) || check_add_overflow(addr, len, &end) || end > TASK_SIZE)
		return -ENOMEM;
	if (len == 0)
		return 0;
	/*
	 * Every page of the range must be mapped (-ENOMEM), and each VMA
	 * must allow the new protection (VM_MAY*: -EACCES), before any
	 * VMA changes: validate, then commit.
	 */
	u64 charge = 0;

	for (u64 a = addr; a < end;) {
		v = find_vma(mm, a);
		if (!v || v->start > a)
			return -ENOMEM;
		if (prot_to_vm(prot) & ~(v->flags >> 4))
			return -EACCES;
		if ((prot & PROT_WRITE) && !(v->flags & (VM_ACCOUNT | VM_SHARED)))
			charge += (min(v->end, end) - max(v->start, addr)) >> PAGE_SHIFT;
		a = v->end;
	}
	/* A private mapping made writable is committed from now on (mprotect_fixup). */
	if (charge && vm_enough_memory(mm, charge) < 0)
		return -ENOMEM;
	list_for_each_entry_safe(v, n, &mm->vmas, list) {
		if (v->end <= addr || v->start >= end)
			continue;
		if (v->start < addr) {
			if (vma_split(v, addr) < 0)
				return -ENOMEM;
			n = list_entry(v->list.next, struct vma, list);
			continue;
		}
		if (v->end > end && vma_split(v, end) < 0)
			return -ENOMEM;
		n = list_entry(v->list.next, struct vma, list);
		v->flags = (v->flags & ~(VM_READ | VM_WRITE | VM_EXEC)) | prot_to_vm(prot);
		if ((prot & PROT_WRITE) && !(v->flags & VM_SHARED))
			v->flags |= VM_ACCOUNT;
		pte_walk(mm, v->start, v->end, reprotect_pte, v);
	}
	return 0;
}

long mm_brk(struct mm *mm, u64 brk)
{
	u64 old_end = ALIGN_UP(mm->brk, PAGE_SIZE), new_end = ALIGN_UP(brk, PAGE_SIZE);

	if (brk < mm->brk_start || brk > TASK_SIZE)
		return (long)mm->brk;
	if (new_end < old_end) {
		if (unmap_range(mm, new_end, old_end) < 0)
			return (long)mm->brk;
	} else if (new_end > old_end) {
		struct vma *v;

		if (!range_free(mm, old_end, new_end))
			return (long)mm->brk;
		if (vm_enough_memory(mm, (new_end - old_end) >> PAGE_SHIFT) < 0)
			return (long)mm->brk;
		v = find_vma(mm, old_end - 1);
		if (v && v->end == old_end && !v->file && v->flags == (VM_READ | VM_WRITE |
		    VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC | VM_ACCOUNT | mm->def_flags)) {
			v->end = new_end;	/* grow the heap VMA */
		} else {
			v = vma_new(old_end, new_end, VM_READ | VM_WRITE | VM_MAYREAD |
				    VM_MAYWRITE | VM_MAYEXEC | VM_ACCOUNT | mm->def_flags, NULL, 0);
			if (!v)
				return (long)mm->brk;
			vma_insert(mm, v);
		}
	}
	mm->brk = brk;
	return (long)brk;
}

struct fork_arg {
	struct mm *child;
	bool shared;
	int err;
};

static void fork_pte(struct mm *mm, u64 addr, pte_t *e, void *arg)
{
	struct fork_arg *fa = arg;
	pte_t v = *e, cv;
	pte_t *ce;

	if (!(v & PTE_PRESENT) || fa->err)
		return;
	ce = pte_lookup(fa->child, addr, true);
	if (!ce) {
		fa->err = -ENOMEM;
		return;
	}
	if (!fa->shared && (v & PTE_WRITE)) {
		v &= ~(u64)PTE_WRITE;		/* copy-on-write from now on */
		pte_set(mm, addr, e, v);
	}
	cv = v & ~(u64)(PTE_NEW | PTE_NEWPROT);
	page_get(pfn_to_page(v >> PAGE_SHIFT));
	pte_set(fa->child, addr, ce, cv);
	fa->child->rss++;
}

/*
 * The child commits what the parent has, as Linux's dup_mmap charges each
 * VM_ACCOUNT VMA: in mode 2 the sum must fit, in mode 0 each VMA.
 */
static int fork_charge(struct mm *old)
{
	u64 total = 0, largest = 0;
	struct vma *v;

	list_for_each_entry(v, &old->vmas, list) {
		if (!(v->flags & VM_ACCOUNT))
			continue;
		total += vma_pages(v);
		largest = max(largest, vma_pages(v));
	}
	return vm_enough_memory(old, sysctl_overcommit_memory == 2 ? total : largest);
}

/* A copy-on-write copy of old for fork; NULL when out of memory. */
struct mm *mm_fork(struct mm *old)
{
	struct mm *mm = mm_alloc();
	struct vma *v;

	if (!mm)
		return NULL;
	if (fork_charge(old) < 0) {
		mm_put(mm);
		return NULL;
	}
	mm->brk_start = old->brk_start;
	mm->brk = old->brk;
	mm->stack_start = old->stack_start;
	mm->arg_start = old->arg_start;
	mm->arg_end = old->arg_end;
	mm->env_start = old->env_start;
	mm->env_end = old->env_end;
	mm->mmap_base = old->mmap_base;
	mm->vdso_base = old->vdso_base;
	if (old->exe_file) {		/* denied already: cannot fail */
		mm->exe_file = fget(old->exe_file);
		mm->exe_file->f_inode->i_denywrite++;
	}
	mm->membarrier = old->membarrier;	/* inherited, as dup_mm's copy; exec clears it */
	list_for_each_entry(v, &old->vmas, list) {
		/* Locks are not inherited (mlock(2)). */
		struct vma *nv = vma_new(v->start, v->end, v->flags & ~(VM_LOCKED | VM_LOCKONFAULT),
					 v->file, v->pgoff);
		struct fork_arg fa = { mm, (v->flags & VM_SHARED) != 0, 0 };

		if (!nv)
			goto fail;
		list_add_tail(&nv->list, &mm->vmas);
		pte_walk(old, v->start, v->end, fork_pte, &fa);
		if (fa.err)
			goto fail;
	}
	return mm;
fail:
	mm_put(mm);
	return NULL;
}

void mm_put(struct mm *mm)
{
	if (--mm->users > 0)
		return;
	while (!list_empty(&mm->vmas)) {
		struct vma *v = list_first_entry(&mm->vmas, struct vma, list);

		if ((v->flags & VM_SHARED) && v->file)
			filemap_writeback(v->file->f_inode);
		pte_walk(mm, v->start, v->end, zap_pte, NULL);
		vma_free(v);
	}
	if (mm->exe_file) {
		allow_write_access(mm->exe_file);
		fput(mm->exe_file);
	}
	arch_mm_destroy(mm);
	pgtable_free(mm);
	if (leak_test(mms))
		return;
	kfree(mm);
	live.mms--;
}

/* The program a new address space runs (exec, before its point of no
 * return): its file becomes unwritable while mm lives. */
int mm_set_exe_file(struct mm *mm, struct file *f)
{
	int err = deny_write_access(f);

	if (err < 0)
		return err;
	mm->exe_file = fget(f);
	return 0;
}

/* The syscalls. */

SYSCALL(brk)
{
	return mm_brk(t->mm, (u64)a[0]);
}

SYSCALL(mmap)
{
	u64 addr = a[0], len = a[1], off = a[5];
	int prot = (int)a[2], flags = (int)a[3], fd = (int)a[4];
	const int known = MAP_SHARED | MAP_PRIVATE | MAP_SHARED_VALIDATE | MAP_FIXED |
		MAP_ANONYMOUS | MAP_GROWSDOWN | MAP_DENYWRITE | MAP_EXECUTABLE |
		MAP_LOCKED | MAP_NORESERVE | MAP_POPULATE | MAP_NONBLOCK | MAP_STACK |
		MAP_HUGETLB | MAP_FIXED_NOREPLACE | MAP_32BIT;
	struct file *f = NULL;
	int type = flags & MAP_TYPE;
	long r;

	if (type != MAP_SHARED && type != MAP_PRIVATE && type != MAP_SHARED_VALIDATE)
		return -EINVAL;
	if (type == MAP_SHARED_VALIDATE && (flags & ~known))
		return -EOPNOTSUPP;
	if (flags & MAP_FIXED_NOREPLACE)
		flags |= MAP_FIXED;
	if (flags & MAP_HUGETLB)
		return -EINVAL;
	/* Linux's do_mmap: an anonymous mapping is MAP_SHARED or MAP_PRIVATE
	 * exactly; MAP_SHARED_VALIDATE is for files. */
	if ((flags & MAP_ANONYMOUS) && type == MAP_SHARED_VALIDATE)
		return -EINVAL;
	if (!(flags & MAP_ANONYMOUS)) {
		f = fd_get_file(fd);
		if (!f)
			return -EBADF;
		r = -EBADF;	/* Linux's fget() does not see O_PATH files */
		if (f->f_flags & O_PATH)
			goto out;
		r = -EACCES;
		if (!(f->f_mode & FMODE_READ))
			goto out;
		/* /dev/zero maps as anonymous memory, as on Linux. */
		if (S_ISCHR(f->f_inode->i_mode) && f->f_inode->i_rdev == MKDEV(1, 5)) {
			fput(f);
			f = NULL;
			flags |= MAP_ANONYMOUS;
			goto map;
		}
		r = -ENODEV;
		if (!S_ISREG(f->f_inode->i_mode))
			goto out;
		r = -EACCES;
		if (type != MAP_PRIVATE && (prot & PROT_WRITE) && !(f->f_mode & FMODE_WRITE))
			goto out;
		r = -EPERM;	/* a sealed memfd (fs/memfd.c) */
		if (type != MAP_PRIVATE && (prot & PROT_WRITE) && memfd_write_sealed(f))
			goto out;
		if ((prot & PROT_EXEC) && path_noexec(&f->f_path))
			goto out;	/* -EPERM: a noexec mount */
	}
map:
	r = mm_mmap(t->mm, addr, len, prot, flags, f, off);
out:
	if (f)
		fput(f);
	return r;
}

SYSCALL(munmap)
{
	return mm_munmap(t->mm, (u64)a[0], (u64)a[1]);
}

SYSCALL(mprotect)
{
	return mm_mprotect(t->mm, (u64)a[0], (u64)a[1], (int)a[2]);
}

struct move_arg {
	u64 delta;
	struct mm *mm;
	int err;
};

static void move_pte(struct mm *mm, u64 addr, pte_t *e, void *arg)
{
	struct move_arg *ma = arg;
	pte_t v = *e, *ne;

	if (!(v & PTE_PRESENT) || ma->err)
		return;
	ne = pte_lookup(mm, addr + ma->delta, true);
	if (!ne) {
		ma->err = -ENOMEM;
		return;
	}
	pte_set(mm, addr + ma->delta, ne, v & ~(u64)(PTE_NEW | PTE_NEWPROT));
	pte_set(mm, addr, e, 0);
}

/*
 * Moves [old, old+olen) of v to `to`, olen growing or shrinking to nlen
 * there (the caller made room).  dontunmap: the old range stays mapped,
 * empty (private anonymous pages read zeros, file pages the file again).
 */
static long move_range(struct mm *mm, struct vma *v, u64 old, u64 olen, u64 nlen, u64 to,
		       bool dontunmap)
{
	struct move_arg ma = { 0, mm, 0 };
	u64 oend = old + olen;
	struct vma *stay = NULL;

	if (v->start < old && vma_split(v, old) < 0)
		return -ENOMEM;
	v = find_vma(mm, old);
	if (v->end > oend && vma_split(v, oend) < 0)
		return -ENOMEM;
	if (dontunmap) {
		stay = vma_new(old, oend, v->flags, v->file, v->pgoff);
		if (!stay)
			return -ENOMEM;
	}
	ma.delta = to - old;
	pte_walk(mm, old, oend, move_pte, &ma);
	if (ma.err) {
		if (stay)
			vma_free(stay);
		return ma.err;
	}
	list_del(&v->list);
	v->start = to;
	v->end = to + nlen;
	vma_insert(mm, v);
	if (stay)
		vma_insert(mm, stay);
	return (long)to;
}

/*
 * mremap(old, old_len, new_len, flags, new_addr), checked as Linux's
 * check_mremap_params(): page-aligned old, lengths that round up
 * without wrapping and a new length no larger than the address space
 * (-EINVAL); FIXED and DONTUNMAP only with MAYMOVE, DONTUNMAP only with
 * equal lengths, FIXED's new_addr aligned and not overlapping the old
 * range (-EINVAL); then the old range must lie in one VMA (-EFAULT).
 */
SYSCALL(mremap)
{
	u64 old = a[0], olen, nlen, naddr = a[4];
	int flags = (int)a[3];
	struct mm *mm = t->mm;
	struct vma *v;
	u64 to, oend, nend;

	if ((old & ~PAGE_MASK) || (flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP)))
		return -EINVAL;
	if ((flags & (MREMAP_FIXED | MREMAP_DONTUNMAP)) && !(flags & MREMAP_MAYMOVE))
		return -EINVAL;
	if (!page_align_ok((u64)a[1], &olen) || !page_align_ok((u64)a[2], &nlen))
		return -EINVAL;
	if ((flags & MREMAP_DONTUNMAP) && olen != nlen)
		return -EINVAL;
	if (nlen == 0 || nlen > TASK_SIZE || olen > TASK_SIZE)
		return -EINVAL;
	if (flags & MREMAP_FIXED) {
		if ((naddr & ~PAGE_MASK) || naddr > TASK_SIZE - nlen)
			return -EINVAL;
		if (naddr < old + olen && old < naddr + nlen)
			return -EINVAL;		/* the ranges overlap */
	}
	v = find_vma(mm, old);
	if (!v || v->start > old || olen == 0 || check_add_overflow(old, olen, &oend) ||
	    oend > v->end)
		return -EFAULT;
	if ((v->flags & VM_ACCOUNT) && nlen > olen &&
	    vm_enough_memory(mm, (nlen - olen) >> PAGE_SHIFT) < 0)
		return -ENOMEM;		/* the growth is committed */
	if (flags & MREMAP_FIXED) {
		if (unmap_range(mm, naddr, naddr + nlen) < 0)
			return -ENOMEM;
		if (nlen < olen) {	/* the tail goes first, the rest moves */
			if (unmap_range(mm, old + nlen, oend) < 0)
				return -ENOMEM;
			olen = nlen;
		}
		v = find_vma(mm, old);
		return move_range(mm, v, old, olen, nlen, naddr, flags & MREMAP_DONTUNMAP);
	}
	if (!(flags & MREMAP_DONTUNMAP)) {
		if (nlen <= olen) {
			if (nlen < olen && unmap_range(mm, old + nlen, oend) < 0)
				return -ENOMEM;
			return (long)old;
		}
		if (!check_add_overflow(old, nlen, &nend) && oend == v->end &&
		    range_free(mm, v->end, nend)) {
			v->end = nend;
			return (long)old;
		}
		if (!(flags & MREMAP_MAYMOVE))
			return -ENOMEM;
	}
	to = get_unmapped_area(mm, nlen);
	if (!to)
		return -ENOMEM;
	return move_range(mm, v, old, olen, nlen, to, flags & MREMAP_DONTUNMAP);
}

/* ---- mlock family: locks are VMA flags, only accounted ---- */

u64 mm_locked_bytes(struct mm *mm)
{
	struct vma *v;
	u64 n = 0;

	list_for_each_entry(v, &mm->vmas, list)
		if (v->flags & VM_LOCKED)
			n += v->end - v->start;
	return n;
}

/*
 * Sets (lock) or clears the lock flags on [start, end), splitting VMAs
 * at its ends; a hole in the range is -ENOMEM, checked first.
 */
static long lock_range(struct mm *mm, u64 start, u64 end, u32 set)
{
	struct vma *v;
	u64 p;

	for (p = start; p < end; p = v->end) {
		v = find_vma(mm, p);
		if (!v || v->start > p)
			return -ENOMEM;
	}
	for (p = start; p < end; p = v->end) {
		v = find_vma(mm, p);
		if (v->start < p && vma_split(v, p) < 0)
			return -ENOMEM;
		v = find_vma(mm, p);
		if (v->end > end && vma_split(v, end) < 0)
			return -ENOMEM;
		v->flags = (v->flags & ~(VM_LOCKED | VM_LOCKONFAULT)) | set;
	}
	return 0;
}

/* RLIMIT_MEMLOCK, as Linux's do_mlock: root (CAP_IPC_LOCK) is not limited. */
static long lock_allowed(struct task *t, u64 more)
{
	u64 lim = task_rlimit(t, RLIMIT_MEMLOCK);

	if (t->euid == 0 || lim == RLIM_INFINITY)
		return 0;
	if (lim == 0)
		return -EPERM;
	return mm_locked_bytes(t->mm) + more > lim ? -ENOMEM : 0;
}

/* mlock/mlock2/munlock's range: addr rounded down, the length up with it. */
static long lock_bounds(u64 addr, u64 len, u64 *start, u64 *end)
{
	*start = addr & PAGE_MASK;
	if (check_add_overflow(len, addr - *start, &len) || !page_align_ok(len, &len) ||
	    check_add_overflow(*start, len, end) || *end > TASK_SIZE)
		return -ENOMEM;
	return 0;
}

static long do_mlock(struct task *t, u64 addr, u64 len, u32 set)
{
	u64 start, end;
	long r = lock_bounds(addr, len, &start, &end);

	if (r == 0 && set)
		r = lock_allowed(t, end - start);
	return r ? r : lock_range(t->mm, start, end, set);
}

SYSCALL(mlock)
{
	return do_mlock(t, a[0], a[1], VM_LOCKED);
}

SYSCALL(mlock2)
{
	unsigned flags = (unsigned)a[2];

	if (flags & ~MLOCK_ONFAULT)
		return -EINVAL;
	return do_mlock(t, a[0], a[1], VM_LOCKED | ((flags & MLOCK_ONFAULT) ? VM_LOCKONFAULT : 0));
}

SYSCALL(munlock)
{
	return do_mlock(t, a[0], a[1], 0);
}

/* MCL_CURRENT locks what is mapped, MCL_FUTURE what will be; ONFAULT not alone. */
SYSCALL(mlockall)
{
	int flags = (int)a[0];
	u32 set;
	struct vma *v;
	long r;

	if (!flags || (flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) ||
	    flags == MCL_ONFAULT)
		return -EINVAL;
	set = VM_LOCKED | ((flags & MCL_ONFAULT) ? VM_LOCKONFAULT : 0);
	r = lock_allowed(t, 0);
	if (r == 0 && (flags & MCL_CURRENT) && t->euid != 0) {
		u64 all = 0;

		list_for_each_entry(v, &t->mm->vmas, list)
			all += v->end - v->start;
		if (all > task_rlimit(t, RLIMIT_MEMLOCK))
			r = -ENOMEM;
	}
	if (r)
		return r;
	t->mm->def_flags = (flags & MCL_FUTURE) ? set : 0;
	if (flags & MCL_CURRENT)
		list_for_each_entry(v, &t->mm->vmas, list)
			v->flags = (v->flags & ~(VM_LOCKED | VM_LOCKONFAULT)) | set;
	return 0;
}

SYSCALL(munlockall)
{
	struct vma *v;

	t->mm->def_flags = 0;
	list_for_each_entry(v, &t->mm->vmas, list)
		v->flags &= ~(VM_LOCKED | VM_LOCKONFAULT);
	return 0;
}

SYSCALL(madvise)
{
	u64 addr = a[0], len, end, p;
	int advice = (int)a[2];
	struct vma *v;

	if (addr & ~PAGE_MASK)
		return -EINVAL;
	/* A length that wraps when rounded, or a range that wraps: -EINVAL. */
	if (!page_align_ok((u64)a[1], &len) || (a[1] && !len) ||
	    check_add_overflow(addr, len, &end))
		return -EINVAL;
	switch (advice) {
	case MADV_NORMAL: case MADV_RANDOM: case MADV_SEQUENTIAL: case MADV_WILLNEED:
	case MADV_DONTNEED: case MADV_FREE: case MADV_DONTFORK: case MADV_DOFORK:
	case MADV_MERGEABLE: case MADV_UNMERGEABLE: case MADV_HUGEPAGE:
	case MADV_NOHUGEPAGE: case MADV_DONTDUMP: case MADV_DODUMP:
		break;
	default:
		return -EINVAL;
	}
	if (end > TASK_SIZE)
		return -ENOMEM;
	/* Every page of the range must be mapped (else ENOMEM, as Linux). */
	for (p = addr; p < end; p = v->end) {
		v = find_vma(t->mm, p);
		if (!v || v->start > p)
			return -ENOMEM;
		/* Linux: MADV_FREE is for private anonymous memory only, and
		 * neither drops locked pages. */
		if ((advice == MADV_FREE && (v->file || (v->flags & VM_SHARED))) ||
		    ((advice == MADV_FREE || advice == MADV_DONTNEED) && (v->flags & VM_LOCKED)))
			return -EINVAL;
	}
	if (advice != MADV_DONTNEED && advice != MADV_FREE)
		return 0;	/* hints: nothing to do for memory that is never swapped */
	for (p = addr; p < end; p = v->end) {
		v = find_vma(t->mm, p);
		/* Private pages read back as zeros or file contents again. */
		if (!(v->flags & VM_SHARED))
			pte_walk(t->mm, max(p, v->start), min(end, v->end), zap_pte, NULL);
	}
	return 0;
}

SYSCALL(msync)
{
	u64 addr = a[0], end;
	int flags = (int)a[2];
	struct vma *v;

	if ((addr & ~PAGE_MASK) || (flags & ~(MS_ASYNC | MS_SYNC | MS_INVALIDATE)) ||
	    ((flags & MS_ASYNC) && (flags & MS_SYNC)))
		return -EINVAL;
	/* As Linux: a length that wraps when rounded up is an empty range. */
	if (check_add_overflow(addr, ALIGN_UP((u64)a[1], PAGE_SIZE), &end))
		return -ENOMEM;
	for (u64 p = addr; p < end; p = v->end) {
		v = find_vma(t->mm, p);
		if (!v || v->start > p)
			return -ENOMEM;
		if ((v->flags & VM_SHARED) && v->file)
			filemap_writeback(v->file->f_inode);
	}
	return 0;
}

SYSCALL(mincore)
{
	u64 addr = a[0], len;
	uaddr_t vec = UADDR(a[2]);

	if (addr & ~PAGE_MASK)
		return -EINVAL;
	/* Linux checks the range with access_ok: -ENOMEM past the guest's space. */
	if (!guest_range_ok(addr, (u64)a[1]) || !page_align_ok((u64)a[1], &len))
		return -ENOMEM;
	for (u64 p = addr; p < addr + len; p += PAGE_SIZE) {
		struct vma *v = find_vma(t->mm, p);
		pte_t *e;
		u8 in;

		if (!v || v->start > p)
			return -ENOMEM;
		e = pte_lookup(t->mm, p, false);
		in = e && (*e & PTE_PRESENT);
		if (copy_to_user(uaddr_off(vec, ((p - addr) >> PAGE_SHIFT)), &in, 1))
			return -EFAULT;
	}
	return 0;
}

/*
 * Moves from's host side to the new address space `to` (exec of a
 * process that owns its mm): starting a host process costs far more than
 * forgetting the old image's mappings.
 */
void mm_take_host(struct mm *to, struct mm *from)
{
	if (from->users == 1)
		arch_mm_exec(to, from);
}
