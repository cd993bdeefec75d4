/*
 * pgtable.c - software page tables and the "TLB flush" into the host side.
 *
 * Four levels of 512 entries, each table one physmem page, indexed like
 * x86-64.  A changed PTE carries PTE_NEW (frame or presence changed: the
 * host needs mmap or munmap) or PTE_NEWPROT (only protection changed:
 * mprotect), and mm->flush_lo/hi bound the changed range.  mm_flush()
 * walks that range, coalesces runs that are contiguous both in guest
 * addresses and in physmem, and hands them to the platform in batches.
 * A PTE a fault set in a writable VMA also carries PTE_POPULATE: the
 * guest is about to write it, and the host fills its own page tables for
 * the run in the mmap (MAP_OP_MMAP_POPULATE) instead of taking a host
 * page fault at each page's first write.
 * A change that takes access away from a running host side first stops
 * it (arch_mm_shootdown), as a TLB shootdown would: no guest thread may
 * keep using a page after the kernel freed or write-protected it.
 */
#include "kernel/mm.h"
#include "kernel/sched.h"
#include "kernel/kernel.h"
#include "kernel/page.h"
#include "kernel/platform.h"
#include "uapi/linux/mman.h"

#define PTRS 512
#define LEVEL_SHIFT(l) (PAGE_SHIFT + 9 * (l))

static inline pte_t *table_of(pte_t e)
{
	return (pte_t *)phys_to_virt(e & PAGE_MASK);
}

/* Returns the PTE for addr, allocating tables if create; NULL if absent. */
pte_t *pte_lookup(struct mm *mm, u64 addr, bool create)
{
	pte_t *t = mm->pgd;

	for (int l = 3; l > 0; l--) {
		pte_t *e = &t[(addr >> LEVEL_SHIFT(l)) & (PTRS - 1)];

		if (!(*e & PTE_PRESENT)) {
			struct page *p;

			if (!create || !(p = alloc_page_zeroed()))
				return NULL;
			*e = page_to_phys(p) | PTE_PRESENT;
		}
		t = table_of(*e);
	}
	return &t[(addr >> PAGE_SHIFT) & (PTRS - 1)];
}

static void flush_range_add(struct mm *mm, u64 addr)
{
	if (mm->flush_lo >= mm->flush_hi) {
		mm->flush_lo = addr;
		mm->flush_hi = addr + PAGE_SIZE;
		return;
	}
	if (addr < mm->flush_lo)
		mm->flush_lo = addr;
	if (addr + PAGE_SIZE > mm->flush_hi)
		mm->flush_hi = addr + PAGE_SIZE;
}

/*
 * Whether going from old to val may take away access the host side has.
 * It has at most what old grants (changes that only add are not stopped
 * for, and one that takes away stops the host side until the next flush).
 */
static bool takes_access(pte_t old, pte_t val)
{
	const pte_t acc = PTE_READ | PTE_WRITE | PTE_EXEC;

	if (!(old & PTE_PRESENT))
		return false;
	if (!(val & PTE_PRESENT) || (old & PAGE_MASK) != (val & PAGE_MASK))
		return true;
	return (old & acc & ~val) != 0;
}

/* Sets the PTE at ptep (for addr) to val and records what the host must redo. */
void pte_set(struct mm *mm, u64 addr, pte_t *ptep, pte_t val)
{
	pte_t old = *ptep;

	val &= ~(PTE_NEW | PTE_NEWPROT);
	if ((old & ~(PTE_NEW | PTE_NEWPROT)) == val)
		return;
	if (mm->running && takes_access(old, val))
		arch_mm_shootdown(mm);
	if ((old & PTE_PRESENT) && (val & PTE_PRESENT) && !(old & PTE_NEW) &&
	    (old & PAGE_MASK) == (val & PAGE_MASK))
		val |= PTE_NEWPROT;
	else if ((old & PTE_PRESENT) || (old & PTE_NEW) || (val & PTE_PRESENT))
		val |= PTE_NEW;
	*ptep = val;
	flush_range_add(mm, addr);
}

static u64 host_prot(pte_t e)
{
	u64 p = 0;

	if (e & PTE_READ)
		p |= PROT_READ;
	if (e & PTE_WRITE)
		p |= PROT_WRITE;
	if (e & PTE_EXEC)
		p |= PROT_EXEC;
	return p;
}

struct flush_state {
	struct mm *mm;
	unsigned int n;
	int err;
	struct map_op ops[MAP_BATCH_MAX];
};

/* Hands the queued ops to the platform; 0 or -errno (the first kept). */
static int flush_batch(struct flush_state *fs)
{
	int err;

	if (fs->n == 0)
		return 0;
	err = arch_mm_apply(fs->mm, fs->ops, fs->n);
	fs->n = 0;
	if (err && !fs->err)
		fs->err = err;
	return err;
}

static void emit(struct flush_state *fs, u64 op, u64 addr, pte_t e)
{
	struct map_op *last = fs->n ? &fs->ops[fs->n - 1] : NULL;
	u64 prot = host_prot(e), off = e & PAGE_MASK;

	if (last && last->op == op && last->addr + last->len == addr &&
	    (op == MAP_OP_MUNMAP || last->prot == prot) &&
	    (op == MAP_OP_MUNMAP || op == MAP_OP_MPROTECT || last->off + last->len == off)) {
		last->len += PAGE_SIZE;
		return;
	}
	if (fs->n == MAP_BATCH_MAX && flush_batch(fs) < 0)
		return;
	fs->ops[fs->n++] = (struct map_op){ op, addr, PAGE_SIZE, prot, off };
}

static void flush_pte(struct flush_state *fs, u64 addr, pte_t *e)
{
	pte_t v = *e;

	if (v & PTE_NEW) {
		if (v & PTE_PRESENT)
			emit(fs, (v & PTE_POPULATE) ? MAP_OP_MMAP_POPULATE : MAP_OP_MMAP, addr, v);
		else
			emit(fs, MAP_OP_MUNMAP, addr, v);
	} else if (v & PTE_NEWPROT) {
		emit(fs, MAP_OP_MPROTECT, addr, v);
	} else {
		return;
	}
	*e = (v & PTE_PRESENT) ? v & ~(PTE_NEW | PTE_NEWPROT | PTE_POPULATE) : 0;
}

static void flush_level(struct flush_state *fs, pte_t *t, int l, u64 base, u64 lo, u64 hi)
{
	u64 span = 1ULL << LEVEL_SHIFT(l);
	u64 i = lo > base ? (lo - base) >> LEVEL_SHIFT(l) : 0;

	for (; i < PTRS; i++) {
		u64 a = base + i * span;

		if (a >= hi)
			break;
		if (l == 0) {
			flush_pte(fs, a, &t[i]);
			continue;
		}
		if (t[i] & PTE_PRESENT)
			flush_level(fs, table_of(t[i]), l - 1, a, lo, hi);
	}
}

/* Mirrors every changed PTE into the platform's host side.  0 or -errno.
 * The batch lives on the kernel stack (5 KiB of its 64). */
int mm_flush(struct mm *mm)
{
	struct flush_state fs;

	if (mm->flush_lo >= mm->flush_hi)
		return 0;
	fs.mm = mm;
	fs.n = 0;
	fs.err = 0;
	flush_level(&fs, mm->pgd, 3, 0, mm->flush_lo, mm->flush_hi);
	flush_batch(&fs);
	mm->flush_lo = mm->flush_hi = 0;
	return fs.err;
}

static void free_level(pte_t *t, int l)
{
	for (int i = 0; i < PTRS; i++) {
		if (!(t[i] & PTE_PRESENT))
			continue;
		if (l > 1)
			free_level(table_of(t[i]), l - 1);
		page_put(virt_to_page(table_of(t[i])));
	}
}

/* Frees the page tables themselves (the pages they map are already gone). */
void pgtable_free(struct mm *mm)
{
	free_level(mm->pgd, 3);
	page_put(virt_to_page(mm->pgd));
	mm->pgd = NULL;
}

static void walk_level(struct mm *mm, pte_t *t, int l, u64 base, u64 lo, u64 hi,
		       pte_walk_fn fn, void *arg)
{
	u64 span = 1ULL << LEVEL_SHIFT(l);
	u64 i = lo > base ? (lo - base) >> LEVEL_SHIFT(l) : 0;

	for (; i < PTRS; i++) {
		u64 a = base + i * span;

		if (a >= hi)
			break;
		if (l == 0)
			fn(mm, a, &t[i], arg);
		else if (t[i] & PTE_PRESENT)
			walk_level(mm, table_of(t[i]), l - 1, a, lo, hi, fn, arg);
	}
}

/* Calls fn for every PTE slot in [lo, hi) whose table exists. */
void pte_walk(struct mm *mm, u64 lo, u64 hi, pte_walk_fn fn, void *arg)
{
	walk_level(mm, mm->pgd, 3, 0, lo, hi, fn, arg);
}
