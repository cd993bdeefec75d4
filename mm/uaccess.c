/*
 * uaccess.c - the kernel's access to guest memory.  Guest addresses are
 * translated through the software page tables (faulting pages in as the
 * guest would) and the bytes are reached through the kernel's mapping of
 * physmem.  A bad address is -EFAULT, never a host fault.
 */
#include "kernel/mm.h"
#include "kernel/sched.h"
#include "kernel/fs.h"
#include "kernel/overflow.h"

/*
 * Returns the kernel address of guest addr in mm, faulting it in; c (or
 * NULL) remembers the last page's PTE.  The remembered translation is
 * used only while that PTE still holds the same value: page tables live
 * as long as their mm, so the pointer stays valid, and any change to
 * the page (unmapped, another frame, rights taken) changes the value.
 */
static u8 *user_page_tlb(struct mm *mm, struct user_tlb *c, u64 addr, bool write)
{
	pte_t need = write ? PTE_WRITE : PTE_READ;
	pte_t *e;

	if (c && c->mm == mm && c->page == (addr & PAGE_MASK) && *c->pte == c->val &&
	    (c->val & need))
		return (u8 *)phys_to_virt(c->val & PAGE_MASK) + (addr & ~PAGE_MASK);
	e = pte_lookup(mm, addr & PAGE_MASK, false);
	if (!e || !(*e & PTE_PRESENT) || !(*e & need)) {
		if (handle_mm_fault(mm, addr, write) < 0)
			return NULL;
		e = pte_lookup(mm, addr & PAGE_MASK, false);
		if (!e || !(*e & PTE_PRESENT) || !(*e & need))
			return NULL;
	}
	if (c)
		*c = (struct user_tlb){ .mm = mm, .page = addr & PAGE_MASK, .pte = e, .val = *e };
	return (u8 *)phys_to_virt(*e & PAGE_MASK) + (addr & ~PAGE_MASK);
}

static u8 *user_page(struct mm *mm, u64 addr, bool write)
{
	return user_page_tlb(mm, NULL, addr, write);
}

static bool range_ok(u64 addr, size_t n)
{
	return guest_range_ok(addr, n);
}

/*
 * Copies n bytes from src (NULL: zeros) to guest udst in mm, translating
 * through tlb (a caller's one-page cache, kept across calls on the same
 * buffer: a read copying block after block into one guest page walks the
 * page table once).  0 or -EFAULT.  May sleep.
 */
long mm_copy_to_tlb(struct mm *mm, struct user_tlb *tlb, uaddr_t udst, const void *src, size_t n)
{
	const u8 *s = src;
	u64 dst = uaddr_val(udst);

	if (!mm || !range_ok(dst, n))
		return -EFAULT;
	while (n) {
		size_t c = min(n, PAGE_SIZE - (dst & ~PAGE_MASK));
		u8 *k = user_page_tlb(mm, tlb, dst, true);

		if (!k)
			return -EFAULT;
		if (s) {
			memcpy(k, s, c);
			s += c;
		} else {
			memset(k, 0, c);
		}
		dst += c;
		n -= c;
	}
	return 0;
}

long mm_copy_to(struct mm *mm, uaddr_t udst, const void *src, size_t n)
{
	const u8 *s = src;
	u64 dst = uaddr_val(udst);

	if (!mm || !range_ok(dst, n))
		return -EFAULT;
	while (n) {
		size_t c = min(n, PAGE_SIZE - (dst & ~PAGE_MASK));
		u8 *k = user_page(mm, dst, true);

		if (!k)
			return -EFAULT;
		memcpy(k, s, c);
		s += c;
		dst += c;
		n -= c;
	}
	return 0;
}

long mm_copy_from(struct mm *mm, void *dst, uaddr_t usrc, size_t n)
{
	u8 *d = dst;
	u64 src = uaddr_val(usrc);

	if (!mm || !range_ok(src, n))
		return -EFAULT;
	while (n) {
		size_t c = min(n, PAGE_SIZE - (src & ~PAGE_MASK));
		u8 *k = user_page(mm, src, false);

		if (!k)
			return -EFAULT;
		memcpy(d, k, c);
		d += c;
		src += c;
		n -= c;
	}
	return 0;
}

/* True if every page of [addr, addr + len) is mapped in mm's page tables
 * with the access: a copy of it neither faults nor sleeps. */
bool user_range_present(struct mm *mm, u64 addr, u64 len, bool write)
{
	pte_t need = write ? PTE_WRITE : PTE_READ;
	u64 a;

	if (!mm || !range_ok(addr, len))
		return false;
	for (a = addr & PAGE_MASK; a < addr + len; a += PAGE_SIZE) {
		pte_t *e = pte_lookup(mm, a, false);

		if (!e || !(*e & PTE_PRESENT) || !(*e & need))
			return false;
	}
	return true;
}

/*
 * How many bytes from addr (of len) lie in consecutive VMAs that allow
 * the access: a copy of that prefix can fault only for want of memory.
 * Linux's copies stop at the first unresolvable fault with a short
 * count; reads and writes ask this first to give the same count.
 */
u64 user_access_prefix(struct mm *mm, u64 addr, u64 len, bool write)
{
	u32 need = write ? VM_WRITE : VM_READ | VM_WRITE | VM_EXEC;
	u64 a = addr, end;
	struct vma *v;

	if (!mm || !range_ok(addr, len))
		return 0;
	end = addr + len;
	while (a < end) {
		v = find_vma(mm, a);
		if (!v || v->start > a || !(v->flags & need))
			break;
		a = v->end;
	}
	return min(a, end) - addr;
}

long copy_to_user(uaddr_t dst, const void *src, size_t n)
{
	return mm_copy_to(current->mm, dst, src, n);
}

long copy_from_user(void *dst, uaddr_t src, size_t n)
{
	return mm_copy_from(current->mm, dst, src, n);
}

long clear_user(uaddr_t dst, size_t n)
{
	static const u8 zeros[256];

	while (n) {
		size_t c = min(n, sizeof(zeros));

		if (copy_to_user(dst, zeros, c))
			return -EFAULT;
		dst = uaddr_off(dst, c);
		n -= c;
	}
	return 0;
}

/* Copies a NUL-terminated string of at most n-1 bytes: its length, -EFAULT or -ENAMETOOLONG. */
long strncpy_from_user(char *dst, uaddr_t usrc, size_t n)
{
	size_t i = 0;
	u64 src = uaddr_val(usrc);

	while (i < n) {
		size_t c = min(n - i, PAGE_SIZE - (src & ~PAGE_MASK));
		u8 *k;

		if (!range_ok(src, 1) || !(k = user_page(current->mm, src, false)))
			return -EFAULT;
		for (size_t j = 0; j < c; j++) {
			dst[i] = (char)k[j];
			if (!k[j])
				return (long)i;
			i++;
		}
		src += c;
	}
	return -ENAMETOOLONG;
}
