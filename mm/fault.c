/*
 * fault.c - page faults, from the guest (host SIGSEGV in the stub) and
 * from the kernel's own guest accesses (copy_{from,to}_user).
 *
 * Anonymous pages start zeroed; file pages come from the page cache
 * (mm/filemap.c), copied for private writable mappings; after fork,
 * private pages are shared read-only and copied on the first write.
 * Host SIGSEGV does not tell a read from a write, so a fault on an absent page of a writable VMA maps it writable
 * at once, and a fault on a present read-only page of a writable VMA is
 * the copy-on-write case.
 */
#include "kernel/mm.h"
#include "kernel/fs.h"
#include "kernel/sched.h"
#include "kernel/stats.h"

/*
 * Grows a VM_GROWSDOWN VMA down to addr if the stack limit allows, never
 * below MMAP_MIN_ADDR (the limit mmap enforces: a stack must not become
 * the mapping at page 0 that mmap refuses) and never within
 * STACK_GUARD_GAP of the next lower mapping.  NULL if it cannot grow.
 */
static struct vma *grow_stack(struct mm *mm, struct vma *v, u64 addr)
{
	struct vma *prev;

	addr = ALIGN_DOWN(addr, PAGE_SIZE);
	if (!(v->flags & VM_GROWSDOWN) || addr < MMAP_MIN_ADDR || v->end - addr > (8ULL << 20))
		return NULL;
	if (v->list.prev != &mm->vmas) {
		prev = list_entry(v->list.prev, struct vma, list);
		if (prev->end > addr || addr - prev->end < STACK_GUARD_GAP)
			return NULL;
	}
	if ((v->flags & VM_ACCOUNT) && vm_enough_memory(mm, (v->start - addr) >> PAGE_SHIFT) < 0)
		return NULL;		/* acct_stack_growth */
	v->start = addr;
	return v;
}

/*
 * v still maps addr: a fault that slept (reading a file page) may come
 * back to an address space another thread of the process changed.
 */
static bool vma_still(struct mm *mm, struct vma *v, u64 addr)
{
	struct vma *now = find_vma(mm, addr);

	return now == v && now->start <= addr;
}

/*
 * The PTE a fault gives page p in v.  In a writable VMA the guest is
 * about to write the page (or, mapped ahead, the next ones): the host
 * maps it populated (PTE_POPULATE), one host call for the run instead of
 * a host page fault per page (read faults on the host's file mapping of
 * physmem are mapped around by the host itself; write faults are not).
 */
static pte_t fault_pte(struct vma *v, struct page *p)
{
	return page_to_phys(p) | PTE_PRESENT | vma_pte_prot(v->flags) |
	       ((v->flags & VM_WRITE) ? PTE_POPULATE : 0);
}

/*
 * Maps the file page for addr: the page cache page itself for shared and
 * read-only mappings, a private copy for private writable ones.  New
 * cache pages (the one for addr and its readahead) come from
 * spare[0..nspare), the caller's consecutive frames for addr and the
 * pages after it, where it has them.
 */
static int map_file_page(struct mm *mm, struct vma *v, u64 addr, pte_t *e,
			 struct page **spare, unsigned nspare)
{
	u64 index = v->pgoff + ((addr - v->start) >> PAGE_SHIFT);
	struct page *cp, *p;
	int err = 0;

	cp = filemap_get_page_run(v->file->f_inode, index, spare, nspare, &err);	/* may sleep */
	if (!cp)
		return err;
	if (!vma_still(mm, v, addr) || (*e & PTE_PRESENT)) {
		page_put(cp);	/* a thread changed or mapped it meanwhile: retry the access */
		return 0;
	}
	p = cp;
	if ((v->flags & VM_SHARED) && (v->flags & VM_WRITE)) {
		filemap_mark_dirty(cp);
	} else if (v->flags & VM_WRITE) {
		/* The copy goes to the caller's frame when the cache did not
		 * take it: a run's copies then sit in consecutive frames. */
		if (nspare && *spare) {
			p = *spare;
			*spare = NULL;
		} else {
			p = alloc_pages(0);
		}
		if (!p) {
			page_put(cp);
			return -ENOMEM;
		}
		memcpy(page_address(p), page_address(cp), PAGE_SIZE);
		page_put(cp);
	}
	pte_set(mm, addr, e, fault_pte(v, p));
	mm->rss++;
	return 0;
}

/* *spare, when the caller has one, is zero-filled (alloc_pages_run_zeroed). */
static int map_anon_page(struct mm *mm, struct vma *v, u64 addr, pte_t *e,
			 struct page **spare)
{
	struct page *p = NULL;

	if (spare && *spare) {
		p = *spare;
		*spare = NULL;
	} else if (alloc_pages_run_zeroed(&p, 1) != 1) {
		return -ENOMEM;
	}
	pte_set(mm, addr, e, fault_pte(v, p));
	mm->rss++;
	return 0;
}

/*
 * A fault costs a round trip through the host (stop, resolve, mirror the
 * PTE into the stub, resume), far more than mapping a page.  So a fault
 * on a file mapping also maps the absent neighbours in its aligned
 * window, as Linux's fault-around does for file pages, and takes the new
 * pages from one physically consecutive run, so that the host maps the
 * window with one mmap instead of one per page.
 *
 * Anonymous private memory gets no such window blindly (a sparse access
 * pattern would allocate memory it never touches): only a fault at the
 * page right after the last run the VMA's faults mapped (vma->fa_next)
 * maps ahead, a run twice the last one's size (2, 4, ... ANON_AROUND
 * pages), within the VMA and only over absent pages; any other fault maps
 * its page alone and starts again at one page.  The run only goes up from
 * the fault: a VM_GROWSDOWN stack is never grown by it, and nothing is
 * mapped below a fault.  The pages mapped ahead are resident like any
 * other (RSS, mincore); the VMA's memory was committed at mmap.
 */
#define FILE_AROUND	(32 * PAGE_SIZE)
#define ANON_AROUND	(16 * PAGE_SIZE)

#define SMALL_PRIVATE	(16 * PAGE_SIZE)

/* Maps the absent pages of [lo, hi) (at most 32 pages, addr among them). */
static int map_range(struct mm *mm, struct vma *v, u64 addr, u64 lo, u64 hi)
{
	struct page *pages[32] = { 0 };
	int n, err = 0;

	if (v->file) {		/* not past the end of the file */
		u64 npages = DIV_ROUND_UP(v->file->f_inode->i_size, PAGE_SIZE);
		u64 last = v->start + ((npages > v->pgoff ? npages - v->pgoff : 0) << PAGE_SHIFT);

		hi = max(min(hi, last), addr + PAGE_SIZE);
	}
	if (nr_free_pages() < nr_pages / 8) {	/* memory is short: no extras */
		lo = addr;
		hi = addr + PAGE_SIZE;
	}
	n = (int)((hi - lo) >> PAGE_SHIFT);
	if (v->file)
		alloc_pages_run(pages, n);
	else
		alloc_pages_run_zeroed(pages, n);
	for (u64 a = lo; a < hi; a += PAGE_SIZE) {
		struct page **spare = &pages[(a - lo) >> PAGE_SHIFT];
		pte_t *e;
		int r;

		if (!vma_still(mm, v, a))
			break;		/* unmapped while an earlier page was read */
		e = pte_lookup(mm, a, true);
		if (e && (*e & PTE_PRESENT))
			continue;
		if (!e)
			r = -ENOMEM;
		else if (v->file)
			r = map_file_page(mm, v, a, e, spare,
					  (unsigned)(n - ((a - lo) >> PAGE_SHIFT)));
		else
			r = map_anon_page(mm, v, a, e, spare);
		if (a == addr)
			err = r;
		else if (r < 0 && a > addr)
			break;
	}
	for (int i = 0; i < n; i++)
		if (pages[i])
			page_put(pages[i]);
	return err;
}

static int map_window(struct mm *mm, struct vma *v, u64 addr, u64 window)
{
	return map_range(mm, v, addr, max(v->start, ALIGN_DOWN(addr, window)),
			 min(v->end, ALIGN_DOWN(addr, window) + window));
}

/* A fault on a private anonymous VMA: its page, or a sequential run. */
static int map_anon_run(struct mm *mm, struct vma *v, u64 addr, pte_t *e)
{
	u64 n = 1, hi;
	int r;

	if (addr == v->fa_next && v->fa_pages)
		n = min((u64)v->fa_pages * 2, (u64)(ANON_AROUND >> PAGE_SHIFT));
	hi = min(v->end, addr + (n << PAGE_SHIFT));
	r = n == 1 ? map_anon_page(mm, v, addr, e, NULL) : map_range(mm, v, addr, addr, hi);
	if (r == 0 && vma_still(mm, v, addr)) {
		v->fa_next = hi;
		v->fa_pages = (u32)((hi - addr) >> PAGE_SHIFT);
	}
	return r;
}

/*
 * Beyond the window it reads, a fault on a read-only file mapping also
 * maps the pages of [the aligned CACHED_AROUND around addr] that are in
 * the page cache already: no read, no new memory, and the new PTEs go to
 * the host in the same flush (consecutive frames coalesced).  An exec'd
 * program's text and rodata are then mapped by a fault or two per
 * segment instead of one per 128 KiB (a fault here is a host round trip,
 * tens of times a native one).
 */
#define CACHED_AROUND	(256 * PAGE_SIZE)
#define CACHED_BATCH	64

static void map_cached_around(struct mm *mm, struct vma *v, u64 addr)
{
	struct page *pages[CACHED_BATCH];
	u64 lo = max(v->start, ALIGN_DOWN(addr, CACHED_AROUND));
	u64 hi = min(v->end, ALIGN_DOWN(addr, CACHED_AROUND) + CACHED_AROUND);
	u64 npages = DIV_ROUND_UP(v->file->f_inode->i_size, PAGE_SIZE);

	if (nr_free_pages() < nr_pages / 8)
		return;
	for (u64 a = lo; a < hi; a += (u64)CACHED_BATCH << PAGE_SHIFT) {
		u64 index = v->pgoff + ((a - v->start) >> PAGE_SHIFT);
		unsigned n = (unsigned)min((u64)CACHED_BATCH, (hi - a) >> PAGE_SHIFT);

		if (index >= npages)
			break;
		n = (unsigned)min((u64)n, npages - index);
		if (!filemap_find_cached(v->file->f_inode, index, n, pages))
			continue;
		for (unsigned i = 0; i < n; i++) {
			u64 pa = a + ((u64)i << PAGE_SHIFT);
			pte_t *e;

			if (!pages[i])
				continue;
			e = pte_lookup(mm, pa, true);
			if (!e || (*e & PTE_PRESENT)) {
				page_put(pages[i]);
				continue;
			}
			/* The reference goes to the PTE, as map_file_page's. */
			pte_set(mm, pa, e, page_to_phys(pages[i]) | PTE_PRESENT | vma_pte_prot(v->flags));
			mm->rss++;
		}
	}
}

static int map_new_page(struct mm *mm, struct vma *v, u64 addr, pte_t *e)
{
	if (v->file && !(v->flags & VM_WRITE)) {
		int r = map_window(mm, v, addr, FILE_AROUND);

		if (r == 0 && vma_still(mm, v, addr))
			map_cached_around(mm, v, addr);
		return r;
	}
	/* A small private writable file mapping (a program's data segment)
	 * is copied whole at its first fault: its pages are written one
	 * after the other at start-up, a fault each otherwise. */
	if (v->file && !(v->flags & VM_SHARED) && v->end - v->start <= SMALL_PRIVATE)
		return map_range(mm, v, addr, v->start, v->end);
	if (v->file)
		return map_file_page(mm, v, addr, e, NULL, 0);
	if (!(v->flags & VM_SHARED) && (v->flags & VM_WRITE))
		return map_anon_run(mm, v, addr, e);
	return map_anon_page(mm, v, addr, e, NULL);
}

static int break_cow(struct mm *mm, struct vma *v, u64 addr, pte_t *e)
{
	struct page *old = pfn_to_page(*e >> PAGE_SHIFT), *p;

	if ((v->flags & VM_SHARED) && v->file) {
		filemap_mark_dirty(old);	/* shared: write to the cache page */
		p = old;
	} else if (old->refcount > 1 || old->owner) {
		p = alloc_pages(0);
		if (!p)
			return -ENOMEM;
		memcpy(page_address(p), page_address(old), PAGE_SIZE);
		page_put(old);
	} else {
		p = old;
	}
	pte_set(mm, addr, e, fault_pte(v, p));
	return 0;
}

/*
 * Maps the cached pages of the read-only file mapping at addr ahead of
 * use (exec: the new program's text, rodata and headers, the vDSO), as
 * its first fault would, without reading anything: what is not in the
 * page cache is left to the faults.  Best effort.  Never sleeps.
 */
void mm_prefault_cached(struct mm *mm, u64 addr)
{
	struct vma *v = addr < TASK_SIZE ? find_vma(mm, addr) : NULL;

	if (!v || v->start > addr || !v->file || (v->flags & VM_WRITE) ||
	    !(v->flags & (VM_READ | VM_EXEC)))
		return;
	map_cached_around(mm, v, addr & PAGE_MASK);
}

/*
 * Resolves a fault at addr.  Returns 0, -EFAULT (no mapping: SEGV_MAPERR),
 * -EACCES (protection: SEGV_ACCERR), -EIO (SIGBUS) or -ENOMEM.  May sleep.
 */
int handle_mm_fault(struct mm *mm, u64 addr, bool write)
{
	struct vma *v;
	pte_t *e;

	kstat.page_faults++;
	if (addr >= TASK_SIZE)
		return -EFAULT;
	v = find_vma(mm, addr);
	if (!v)
		return -EFAULT;
	if (v->start > addr && !grow_stack(mm, v, addr))
		return -EFAULT;
	if (write && !(v->flags & VM_WRITE))
		return -EACCES;
	if (!(v->flags & (VM_READ | VM_WRITE | VM_EXEC)))
		return -EACCES;
	e = pte_lookup(mm, addr & PAGE_MASK, true);
	if (!e)
		return -ENOMEM;
	if (!(*e & PTE_PRESENT))
		return map_new_page(mm, v, addr & PAGE_MASK, e);
	if ((v->flags & VM_WRITE) && !(*e & PTE_WRITE))
		return break_cow(mm, v, addr & PAGE_MASK, e);
	return 0;		/* already mapped; the flush will tell the host */
}
