/*
 * pgtable.c - software page tables and the "TLB flush" into the stub.
 *
 * Four levels of 512 entries, each table one physmem page, indexed like
 * x86-64.  A changed PTE carries PTE_NEW (frame or presence changed: the
 * host needs mmap or munmap) or PTE_NEWPROT (only protection changed:
 * mprotect), and mm->flush_lo/hi bound the changed range.  mm_flush()
 * walks that range, coalesces runs that are contiguous both in guest
 * addresses and in physmem, and has the stub execute them in batches.
 */
#include "kernel/mm.h"
#include "kernel/sched.h"
#include "kernel/kernel.h"
#include "kernel/page.h"
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

/* Sets the PTE at ptep (for addr) to val and records what the host must redo. */
void pte_set(struct mm *mm, u64 addr, pte_t *ptep, pte_t val)
{
	pte_t old = *ptep;

	val &= ~(PTE_NEW | PTE_NEWPROT);
	if ((old & ~(PTE_NEW | PTE_NEWPROT)) == val)
		return;
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
	struct stub_data *d;
	int err;
};

static int run_ops(struct flush_state *fs);

static void emit(struct flush_state *fs, u64 op, u64 addr, pte_t e)
{
	struct stub_data *d = fs->d;
	struct stub_op *last = d->nops ? &d->ops[d->nops - 1] : NULL;
	u64 prot = host_prot(e), off = e & PAGE_MASK;

	if (last && last->op == op && last->addr + last->len == addr &&
	    (op == STUB_OP_MUNMAP || last->prot == prot) &&
	    (op != STUB_OP_MMAP || last->off + last->len == off)) {
		last->len += PAGE_SIZE;
		return;
	}
	if (d->nops == STUB_MAX_OPS && run_ops(fs) < 0)
		return;
	d->ops[d->nops++] = (struct stub_op){ op, addr, PAGE_SIZE, prot, off };
}

/* Why the op loop failed, and the stub is dead. */
static void oploop_failed(struct mm *mm, int err, const struct os_event *ev)
{
	if (err == -ESRCH && (ev->status & 0x7f) == SIGSYS)
		printk(KERN_ERR "stub %d: killed by its seccomp filter: a host syscall "
		       "outside the op loop's\n", mm->stub_pid);
	else if (err == -ESRCH)
		printk(KERN_ERR "stub %d: died in the op loop (wait status 0x%x)\n",
		       mm->stub_pid, ev->status);
	else if (ev->kind == OS_EV_SIGNAL && ev->sig == 0)
		printk(KERN_ERR "stub %d: cannot load the op loop's registers (error %d): killed\n",
		       mm->stub_pid, ev->code);
	else
		printk(KERN_ERR "stub %d: unexpected stop in the op loop (signal %d code %d "
		       "addr 0x%llx): killed\n", mm->stub_pid, ev->sig, ev->code,
		       (unsigned long long)ev->addr);
}

/*
 * Runs the queued ops in the stub; 0 or -errno.  The registers are the
 * platform's own (os_stub_run_ops), never the guest's.  A stub that fails
 * there is dead: mm->stub_pid becomes -1 and every task on the mm gets
 * -ESRCH from now on, so the guest process is killed, nothing else.
 */
static int run_ops(struct flush_state *fs)
{
	struct mm *mm = fs->mm;
	struct os_event ev;
	int err;

	if (fs->d->nops == 0)
		return 0;
	if (mm->stub_pid <= 0) {
		fs->err = -ESRCH;
		return -ESRCH;
	}
	fs->d->err = -EINTR;	/* the stub clears it when its loop starts */
	err = os_stub_run_ops(mm->stub_pid, &mm->stub_entry, mm->stub_odd_base, &ev);
	if (err) {
		oploop_failed(mm, err, &ev);
		mm->stub_pid = -1;
		err = -ESRCH;
	} else if (fs->d->err) {
		printk(KERN_ERR "stub %d: op %llu failed: %lld\n", mm->stub_pid,
		       (unsigned long long)fs->d->failed, (long long)fs->d->err);
		err = (int)fs->d->err;
	}
	fs->d->nops = 0;
	if (err)
		fs->err = err;
	return err;
}

static void flush_pte(struct flush_state *fs, u64 addr, pte_t *e)
{
	pte_t v = *e;

	if (v & PTE_NEW) {
		if (v & PTE_PRESENT)
			emit(fs, STUB_OP_MMAP, addr, v);
		else
			emit(fs, STUB_OP_MUNMAP, addr, v);
	} else if (v & PTE_NEWPROT) {
		emit(fs, STUB_OP_MPROTECT, addr, v);
	} else {
		return;
	}
	*e = (v & PTE_PRESENT) ? v & ~(PTE_NEW | PTE_NEWPROT) : 0;
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

/* Mirrors every changed PTE into the stub process.  0 or -errno. */
int mm_flush(struct mm *mm)
{
	struct flush_state fs = { mm, page_address(mm->stub_data), 0 };

	if (mm->flush_lo >= mm->flush_hi && !mm->stub_dirty)
		return 0;
	fs.d->nops = 0;
	if (mm->stub_dirty) {		/* first clear what an old image left */
		fs.d->ops[fs.d->nops++] = (struct stub_op){ STUB_OP_MUNMAP, 0, TASK_SIZE, 0, 0 };
		mm->stub_dirty = false;
	}
	flush_level(&fs, mm->pgd, 3, 0, mm->flush_lo, mm->flush_hi);
	run_ops(&fs);
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
