/*
 * fault.c - page faults, from the guest (host SIGSEGV in the stub) and
 * from the kernel's own guest accesses (copy_{from,to}_user).
 *
 * Anonymous pages start zeroed; private file pages are read from the file
 * into a page of their own; after fork, pages are shared read-only and
 * copied on the first write.  Host SIGSEGV does not tell a read from a
 * write, so a fault on an absent page of a writable VMA maps it writable
 * at once, and a fault on a present read-only page of a writable VMA is
 * the copy-on-write case.
 */
#include "kernel/mm.h"
#include "kernel/fs.h"
#include "kernel/sched.h"

/* Grows a VM_GROWSDOWN VMA down to addr if the stack limit allows. */
static struct vma *grow_stack(struct mm *mm, struct vma *v, u64 addr)
{
	struct vma *prev;

	addr = ALIGN_DOWN(addr, PAGE_SIZE);
	if (!(v->flags & VM_GROWSDOWN) || v->end - addr > (8ULL << 20))
		return NULL;
	if (v->list.prev != &mm->vmas) {
		prev = list_entry(v->list.prev, struct vma, list);
		if (prev->end > addr - PAGE_SIZE)	/* keep a guard gap */
			return NULL;
	}
	v->start = addr;
	return v;
}

static struct page *file_page(struct vma *v, u64 addr, int *err)
{
	struct page *p = alloc_pages(0);
	loff_t pos = (loff_t)((v->pgoff + ((addr - v->start) >> PAGE_SHIFT)) << PAGE_SHIFT);
	ssize_t n;

	if (!p) {
		*err = -ENOMEM;
		return NULL;
	}
	if (pos >= (loff_t)ALIGN_UP(v->file->f_inode->i_size, PAGE_SIZE)) {
		page_put(p);
		*err = -EIO;		/* past the end of the file: SIGBUS */
		return NULL;
	}
	n = kernel_read(v->file, page_address(p), PAGE_SIZE, pos);
	if (n < 0) {
		page_put(p);
		*err = (int)n;
		return NULL;
	}
	memset((u8 *)page_address(p) + n, 0, PAGE_SIZE - n);
	return p;
}

static int map_new_page(struct mm *mm, struct vma *v, u64 addr, pte_t *e)
{
	struct page *p;
	int err = 0;

	if (v->file)
		p = file_page(v, addr, &err);
	else
		p = alloc_page_zeroed();
	if (!p)
		return err ? err : -ENOMEM;
	pte_set(mm, addr, e, page_to_phys(p) | PTE_PRESENT | vma_pte_prot(v->flags));
	mm->rss++;
	return 0;
}

static int break_cow(struct mm *mm, struct vma *v, u64 addr, pte_t *e)
{
	struct page *old = pfn_to_page(*e >> PAGE_SHIFT), *p;

	if (old->refcount > 1) {
		p = alloc_pages(0);
		if (!p)
			return -ENOMEM;
		memcpy(page_address(p), page_address(old), PAGE_SIZE);
		page_put(old);
	} else {
		p = old;
	}
	pte_set(mm, addr, e, page_to_phys(p) | PTE_PRESENT | vma_pte_prot(v->flags));
	return 0;
}

/*
 * Resolves a fault at addr.  Returns 0, -EFAULT (no mapping: SEGV_MAPERR),
 * -EACCES (protection: SEGV_ACCERR), -EIO (SIGBUS) or -ENOMEM.  May sleep.
 */
int handle_mm_fault(struct mm *mm, u64 addr, bool write)
{
	struct vma *v;
	pte_t *e;

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
