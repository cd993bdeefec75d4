/*
 * page.h - physical memory.  Physical memory is the physmem file, mapped
 * once at physmem_base; a physical address is an offset in that file and
 * the kernel reaches it at physmem_base + pa.  One struct page per frame.
 */
#ifndef KERNEL_PAGE_H
#define KERNEL_PAGE_H

#include "kernel/list.h"

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))
#define MAX_ORDER	10

struct page {
	int refcount;		/* 0: free; owners hold references */
	u8 order;		/* buddy order while free or head of a block */
	u8 flags;
	struct list_head lru;	/* free list, or the owner's list */
	struct list_head cache_lru;	/* page cache: active or inactive list */
	void *owner;		/* page cache: the inode; else NULL */
	u64 index;		/* page cache: page index in the file */
};

#define PG_FREE		0x01
#define PG_HEAD		0x02
#define PG_SLAB		0x04
#define PG_DIRTY	0x08	/* page cache: mapped shared-writable, to write back */
#define PG_ACTIVE	0x10	/* page cache: on the active list (else inactive) */
#define PG_REFERENCED	0x20	/* page cache: looked up again while inactive */

extern u8 *physmem_base;
extern u64 physmem_size;
extern int physmem_fd;
extern struct page *mem_map;
extern u64 nr_pages;

static inline u64 page_to_pfn(const struct page *p) { return (u64)(p - mem_map); }
static inline struct page *pfn_to_page(u64 pfn) { return &mem_map[pfn]; }
static inline u64 page_to_phys(const struct page *p) { return page_to_pfn(p) << PAGE_SHIFT; }
static inline void *page_address(const struct page *p)
{
	return physmem_base + page_to_phys(p);
}
static inline struct page *virt_to_page(const void *v)
{
	return pfn_to_page((u64)((const u8 *)v - physmem_base) >> PAGE_SHIFT);
}
static inline void *phys_to_virt(u64 pa) { return physmem_base + pa; }

void page_alloc_init(u64 reserved_bytes);
struct page *alloc_pages(int order);	/* refcount 1, or NULL */
struct page *alloc_page_zeroed(void);
int alloc_pages_run(struct page **pages, int n);	/* consecutive if possible */
int alloc_pages_run_zeroed(struct page **pages, int n);	/* guest memory, zero-filled */
void page_alloc_set_reclaim(u64 (*fn)(u64 want));
void page_alloc_set_evict(bool (*fn)(struct page *p, bool dry_run));
void free_pages(struct page *p, int order);
void page_get(struct page *p);
void page_put(struct page *p);		/* frees an order-0 page at 0 */
u64 nr_free_pages(void);
struct page_census {
	u64 reserved;		/* mem_map and boot-time allocations */
	u64 free, slab;		/* slab: pages carved into kmalloc objects */
	u64 kmalloc;		/* kmalloc blocks larger than 2 KiB */
	u64 cache;		/* page cache (owner: an inode) */
	u64 other;		/* anonymous memory, page tables, stub data, file data of ramfs */
	u64 unknown;		/* not the start of a block: must stay 0 */
};
void page_census(struct page_census *c);

/* Slab-style allocator for kernel objects, from physmem pages. */
void *kmalloc(size_t size);
void *kzalloc(size_t size);
void *kcalloc(size_t n, size_t size);	/* NULL on overflow */
void kfree(const void *p);
/* Large buffers from scattered frames (mm/vmalloc.c): kmalloc's fallback
 * when no block of the order it needs is free; kfree frees them too. */
void *vmalloc(size_t size);
void vfree(const void *p);
bool is_vmalloc_addr(const void *p);

#endif
