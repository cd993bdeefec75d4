/*
 * slab.c - kmalloc: power-of-two size classes from 16 to 2048 bytes carved
 * out of single pages; larger requests take whole page blocks.  A page's
 * struct page says which: PG_SLAB with index = class, or PG_HEAD with its
 * order.
 */
#include "kernel/page.h"
#include "kernel/kernel.h"

#define MIN_SHIFT 4
#define NR_CLASSES 8			/* 16 .. 2048 */

struct free_obj {
	struct free_obj *next;
};

static struct free_obj *free_list[NR_CLASSES];

static int size_class(size_t size)
{
	int c = 0;

	while ((1UL << (c + MIN_SHIFT)) < size)
		c++;
	return c;
}

static bool slab_grow(int c)
{
	struct page *p = alloc_pages(0);
	size_t sz = 1UL << (c + MIN_SHIFT);
	u8 *base;

	if (!p)
		return false;
	p->flags |= PG_SLAB;
	p->index = c;
	base = page_address(p);
	for (size_t off = 0; off + sz <= PAGE_SIZE; off += sz) {
		struct free_obj *o = (struct free_obj *)(base + off);

		o->next = free_list[c];
		free_list[c] = o;
	}
	return true;
}

void *kmalloc(size_t size)
{
	if (size == 0)
		size = 1;
	if (size > (1UL << (NR_CLASSES - 1 + MIN_SHIFT))) {
		int order = 0;
		struct page *p;

		while (order <= MAX_ORDER && (PAGE_SIZE << order) < size)
			order++;
		if (order > MAX_ORDER)
			return NULL;
		p = alloc_pages(order);
		if (!p)
			return NULL;
		p->flags |= PG_HEAD;
		return page_address(p);
	}
	int c = size_class(size);
	struct free_obj *o;

	if (!free_list[c] && !slab_grow(c))
		return NULL;
	o = free_list[c];
	free_list[c] = o->next;
	return o;
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

void *kcalloc(size_t n, size_t size)
{
	size_t total;

	if (__builtin_mul_overflow(n, size, &total))
		return NULL;
	return kzalloc(total);
}

void kfree(const void *ptr)
{
	struct page *p;

	if (!ptr)
		return;
	p = virt_to_page(ptr);
	if (p->flags & PG_SLAB) {
		struct free_obj *o = (struct free_obj *)ptr;

		o->next = free_list[p->index];
		free_list[p->index] = o;
		return;
	}
	BUG_ON(!(p->flags & PG_HEAD));
	free_pages(p, p->order);
}
