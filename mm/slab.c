/*
 * slab.c - kmalloc: power-of-two size classes from 16 to 2048 bytes carved
 * out of single pages; larger requests take whole page blocks.  A page's
 * struct page says which: PG_SLAB (index = class | objects in use << 8,
 * owner = its list of free objects), or PG_HEAD with its order.
 *
 * Each class keeps the pages that have a free object on a partial list
 * (struct page.lru); a page whose objects are all free again goes back
 * to the page allocator, except one per class kept for the next
 * allocations, so memory used briefly (the buffer cache before a
 * drop_caches, say) is given back.
 */
#include "kernel/page.h"
#include "kernel/kernel.h"

#define MIN_SHIFT 4
#define NR_CLASSES 8			/* 16 .. 2048 */
#define INUSE_SHIFT 8

struct free_obj {
	struct free_obj *next;
};

static struct list_head partial[NR_CLASSES];
static int nr_empty[NR_CLASSES];	/* pages on partial[] with nothing in use */
static bool slab_ready;

static int size_class(size_t size)
{
	int c = 0;

	while ((1UL << (c + MIN_SHIFT)) < size)
		c++;
	return c;
}

static u64 slab_inuse(const struct page *p)
{
	return p->index >> INUSE_SHIFT;
}

static void slab_set_inuse(struct page *p, u64 n)
{
	p->index = (p->index & ((1u << INUSE_SHIFT) - 1)) | (n << INUSE_SHIFT);
}

static void slab_init(void)
{
	for (int c = 0; c < NR_CLASSES; c++)
		INIT_LIST_HEAD(&partial[c]);
	slab_ready = true;
}

static bool slab_grow(int c)
{
	struct page *p = alloc_pages(0);
	size_t sz = 1UL << (c + MIN_SHIFT);
	struct free_obj *head = NULL;
	u8 *base;

	if (!p)
		return false;
	p->flags |= PG_SLAB;
	p->index = (u64)c;
	base = page_address(p);
	for (size_t off = PAGE_SIZE; off >= sz; off -= sz) {
		struct free_obj *o = (struct free_obj *)(base + off - sz);

		o->next = head;
		head = o;
	}
	p->owner = head;
	list_add(&p->lru, &partial[c]);
	nr_empty[c]++;
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
			return vmalloc(size);	/* fragmented: scattered frames */
		p->flags |= PG_HEAD;
		return page_address(p);
	}
	int c = size_class(size);
	struct free_obj *o;
	struct page *p;

	if (!slab_ready)
		slab_init();
	if (list_empty(&partial[c]) && !slab_grow(c))
		return NULL;
	p = list_first_entry(&partial[c], struct page, lru);
	o = p->owner;
	p->owner = o->next;
	if (slab_inuse(p) == 0)
		nr_empty[c]--;
	slab_set_inuse(p, slab_inuse(p) + 1);
	if (p->owner == NULL)
		list_del(&p->lru);		/* full */
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
	if (is_vmalloc_addr(ptr)) {
		vfree(ptr);
		return;
	}
	p = virt_to_page(ptr);
	if (p->flags & PG_SLAB) {
		struct free_obj *o = (struct free_obj *)ptr;
		int c = (int)(p->index & ((1u << INUSE_SHIFT) - 1));

		BUG_ON(slab_inuse(p) == 0);
		if (p->owner == NULL)
			list_add(&p->lru, &partial[c]);	/* was full */
		o->next = p->owner;
		p->owner = o;
		slab_set_inuse(p, slab_inuse(p) - 1);
		if (slab_inuse(p) == 0 && ++nr_empty[c] > 1) {
			list_del(&p->lru);		/* one empty page per class is enough */
			nr_empty[c]--;
			p->owner = NULL;
			p->index = 0;
			free_pages(p, 0);
		}
		return;
	}
	BUG_ON(!(p->flags & PG_HEAD));
	free_pages(p, p->order);
}
