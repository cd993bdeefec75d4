/*
 * page_alloc.c - the buddy allocator over physmem frames.
 *
 * mem_map (one struct page per frame) sits at the start of physmem and is
 * reserved with the other boot-time allocations; everything after it is
 * handed out in power-of-two blocks of frames, up to order MAX_ORDER.
 */
#include "kernel/page.h"
#include "kernel/kernel.h"
#include "shared/os.h"

u8 *physmem_base;
u64 physmem_size;
int physmem_fd;
struct page *mem_map;
u64 nr_pages;

static struct list_head free_area[MAX_ORDER + 1];
static u64 free_count;
static u64 first_pfn;		/* below: mem_map and boot-time allocations */
static u64 (*reclaim)(u64 want);
static bool (*evict)(struct page *p, bool dry_run);

/* Sets the function alloc_pages calls to free cached pages when it runs dry. */
void page_alloc_set_reclaim(u64 (*fn)(u64 want))
{
	reclaim = fn;
}

/*
 * Sets the function that frees one given cached page (or, dry_run, says
 * whether it could): how a block of order > 0 is made when free memory
 * is scattered between cache pages.
 */
void page_alloc_set_evict(bool (*fn)(struct page *p, bool dry_run))
{
	evict = fn;
}

/*
 * Host backing ahead of use: the first time a frame of a 256 KiB chunk
 * is handed out, the whole chunk is populated with one host call rather
 * than a host page fault for each frame's first touch.
 */
#define POP_SHIFT	6			/* 64 frames a chunk */
#define POP_CHUNKS	((64ULL << 30) >> (PAGE_SHIFT + POP_SHIFT))	/* up to 64 GiB */
static u64 populated[POP_CHUNKS / 64];

static void populate(u64 pfn, int order)
{
	u64 c = pfn >> POP_SHIFT, last = (pfn + (1ULL << order) - 1) >> POP_SHIFT;

	for (; c <= last && c < POP_CHUNKS; c++) {
		if (populated[c / 64] & (1ULL << (c % 64)))
			continue;
		populated[c / 64] |= 1ULL << (c % 64);
		os_physmem_populate(physmem_base + (c << (POP_SHIFT + PAGE_SHIFT)),
				    min((u64)PAGE_SIZE << POP_SHIFT,
					physmem_size - (c << (POP_SHIFT + PAGE_SHIFT))));
	}
}

/*
 * Frames handed out at least once since physmem was created.  The others
 * are still as the fresh memfd gave them, all zero: a page that must
 * start zeroed needs no memset then, and a fresh frame for guest memory
 * need not even be populated here: the host backs it, zeroed, at its
 * first access, the stub's populated mmap of it (MAP_OP_MMAP_POPULATE)
 * or a touch, instead of once here and again in the stub's page tables.
 */
#define FRAMES_MAX	((64ULL << 30) >> PAGE_SHIFT)
static u64 used[FRAMES_MAX / 64];

static bool frame_used(u64 pfn)
{
	return pfn >= FRAMES_MAX || (used[pfn / 64] & (1ULL << (pfn % 64)));
}

static void mark_used(u64 pfn, int order)
{
	for (u64 i = pfn, end = pfn + (1ULL << order); i < end && i < FRAMES_MAX; i++)
		used[i / 64] |= 1ULL << (i % 64);
}

static void free_block(u64 pfn, int order)
{
	while (order < MAX_ORDER) {
		u64 buddy = pfn ^ (1ULL << order);
		struct page *b = pfn_to_page(buddy);

		if (buddy + (1ULL << order) > nr_pages || !(b->flags & PG_FREE) ||
		    b->order != order)
			break;
		list_del(&b->lru);
		b->flags &= ~PG_FREE;
		pfn &= ~(1ULL << order);
		order++;
	}
	pfn_to_page(pfn)->flags |= PG_FREE;
	pfn_to_page(pfn)->order = order;
	list_add(&pfn_to_page(pfn)->lru, &free_area[order]);
}

/*
 * Sets up mem_map and frees every frame above the first reserved bytes.
 * Physmem must be all zero (a fresh memfd): its frames count as zero-filled
 * until first handed out (used[]), and a zero struct page
 * is a frame inside a free block, so only the reserved frames' entries and
 * the head of each free block are written.  The rest of mem_map is not
 * touched, and its host pages not even allocated, until blocks are split:
 * a boot does not pay for the struct pages of memory it never uses.
 */
void page_alloc_init(u64 reserved)
{
	u64 pfn, first;
	int o;

	nr_pages = physmem_size >> PAGE_SHIFT;
	mem_map = (struct page *)physmem_base;
	first = ALIGN_UP(reserved + nr_pages * sizeof(struct page), PAGE_SIZE) >> PAGE_SHIFT;
	first_pfn = first;
	for (o = 0; o <= MAX_ORDER; o++)
		INIT_LIST_HEAD(&free_area[o]);
	memset(used, 0, min(nr_pages, FRAMES_MAX) / 8);	/* a fresh memfd */
	for (pfn = 0; pfn < first && pfn < nr_pages; pfn++) {
		mem_map[pfn].refcount = 1;
		INIT_LIST_HEAD(&mem_map[pfn].lru);
		INIT_LIST_HEAD(&mem_map[pfn].cache_lru);
	}
	/* The largest aligned blocks that fit, each freed whole. */
	for (pfn = first; pfn < nr_pages; pfn += 1ULL << o) {
		o = MAX_ORDER;
		while (o > 0 && ((pfn & ((1ULL << o) - 1)) || pfn + (1ULL << o) > nr_pages))
			o--;
		free_block(pfn, o);
	}
	free_count = first < nr_pages ? nr_pages - first : 0;
}

static int find_order(int order)
{
	int o;

	for (o = order; o <= MAX_ORDER && list_empty(&free_area[o]); o++)
		;
	return o;
}

/*
 * Finds an aligned block of 2^order frames that are all free or cached
 * pages evict can drop, and drops them, so that the block merges in the
 * free lists.  Scans mem_map once; only when an allocation would fail.
 */
static bool reclaim_block(int order)
{
	u64 n = 1ULL << order;

	for (u64 pfn = ALIGN_UP(first_pfn, n); pfn + n <= nr_pages; pfn += n) {
		u64 i = 0;

		while (i < n) {
			struct page *p = pfn_to_page(pfn + i);

			if (p->flags & PG_FREE)
				i += 1ULL << p->order;
			else if (p->order == 0 && evict(p, true))
				i++;
			else
				break;
		}
		if (i < n)
			continue;
		for (i = 0; i < n; i++) {
			struct page *p = pfn_to_page(pfn + i);

			if (!(p->flags & PG_FREE))
				evict(p, false);
		}
		return true;
	}
	return false;
}

/* A block of 2^order frames (refcount 1), or NULL, its host pages not
 * yet populated.  Never sleeps. */
static struct page *alloc_block(int order)
{
	int o = find_order(order);
	struct page *p;

	/*
	 * Drop unused page cache, coldest first: a few times what we need,
	 * for the next ones too.  For a block of order > 0 that is not
	 * enough when the free pages lie between cached ones: then free the
	 * cached pages of one aligned block that holds nothing else.
	 */
	if (o > MAX_ORDER && reclaim) {
		reclaim(16ULL << order);
		o = find_order(order);
	}
	if (o > MAX_ORDER && order > 0 && evict && reclaim_block(order))
		o = find_order(order);
	/*
	 * Still nothing: free frames and cached ones are mixed with pages in
	 * use throughout.  Drop every unused cached page, so what is free can
	 * merge, before failing the allocation (a fork, an exec) with -ENOMEM.
	 */
	if (o > MAX_ORDER && reclaim) {
		reclaim(~0ULL);
		o = find_order(order);
	}
	if (o > MAX_ORDER)
		return NULL;
	p = list_first_entry(&free_area[o], struct page, lru);
	list_del(&p->lru);
	p->flags &= ~PG_FREE;
	while (o > order) {		/* split, freeing the upper halves */
		o--;
		struct page *b = p + (1ULL << o);

		b->flags |= PG_FREE;
		b->order = o;
		list_add(&b->lru, &free_area[o]);
	}
	p->order = order;
	p->refcount = 1;
	INIT_LIST_HEAD(&p->cache_lru);
	p->owner = NULL;
	p->index = 0;
	free_count -= 1ULL << order;
	return p;
}

/* A block of 2^order frames (refcount 1), or NULL.  Never sleeps. */
struct page *alloc_pages(int order)
{
	struct page *p = alloc_block(order);

	if (p) {
		populate(page_to_pfn(p), order);
		mark_used(page_to_pfn(p), order);
	}
	return p;
}

struct page *alloc_page_zeroed(void)
{
	struct page *p = alloc_block(0);
	bool fresh;

	if (!p)
		return NULL;
	fresh = !frame_used(page_to_pfn(p));
	populate(page_to_pfn(p), 0);
	mark_used(page_to_pfn(p), 0);
	if (!fresh)
		memset(page_address(p), 0, PAGE_SIZE);
	return p;
}

void free_pages(struct page *p, int order)
{
	p->refcount = 0;
	p->flags = 0;
	free_count += 1ULL << order;
	free_block(page_to_pfn(p), order);
}

void page_get(struct page *p)
{
	p->refcount++;
}

void page_put(struct page *p)
{
	BUG_ON(p->refcount <= 0);
	if (--p->refcount == 0)
		free_pages(p, 0);
}

u64 nr_free_pages(void)
{
	return free_count;
}

/*
 * Fills pages[0..n) with order-0 pages that are physically consecutive
 * when a block is free (so the host can map them as one run), else with
 * whatever single pages there are.  Returns how many it got.
 */
static int pages_run(struct page **pages, int n, bool zeroed)
{
	int order = 0, got = 0;
	struct page *p;

	while ((1 << order) < n && order < MAX_ORDER)
		order++;
	p = zeroed ? alloc_block(order) : alloc_pages(order);
	if (p && zeroed) {
		u64 pfn = page_to_pfn(p);

		for (int i = 0; i < (1 << order) && i < n; i++) {
			if (frame_used(pfn + i)) {
				populate(pfn + i, 0);
				memset(page_address(&p[i]), 0, PAGE_SIZE);
			}
		}
		mark_used(pfn, order);
	}
	if (p) {
		for (int i = 0; i < (1 << order); i++) {
			p[i].order = 0;
			p[i].refcount = 1;
			p[i].flags = 0;
			p[i].owner = NULL;
			p[i].index = 0;
			INIT_LIST_HEAD(&p[i].lru);
			INIT_LIST_HEAD(&p[i].cache_lru);
			if (i < n)
				pages[got++] = &p[i];
			else
				page_put(&p[i]);	/* the tail we do not need */
		}
		return got;
	}
	while (got < n && (p = zeroed ? alloc_page_zeroed() : alloc_pages(0)) != NULL)
		pages[got++] = p;
	return got;
}

int alloc_pages_run(struct page **pages, int n)
{
	return pages_run(pages, n, false);
}

/*
 * alloc_pages_run, each page zero-filled, for guest memory only: a frame
 * never handed out before is not populated here (the kernel need not
 * touch it), the host backs it at its first access in the stub.
 */
int alloc_pages_run_zeroed(struct page **pages, int n)
{
	return pages_run(pages, n, true);
}

/*
 * Counts every frame by what holds it, walking mem_map block by block
 * (a free block and an allocated one both start with a page that gives
 * their order): the halt leak check and /proc/meminfo.
 */
void page_census(struct page_census *c)
{
	u64 pfn = first_pfn;

	*c = (struct page_census){ .reserved = first_pfn };
	while (pfn < nr_pages) {
		struct page *p = pfn_to_page(pfn);
		u64 n = 1ULL << p->order;

		if (p->flags & PG_FREE)
			c->free += n;
		else if (p->refcount <= 0)
			n = 1, c->unknown++;	/* inside a block: a census bug */
		else if (p->flags & PG_SLAB)
			c->slab += n;
		else if (p->flags & PG_HEAD)
			c->kmalloc += n;
		else if (p->owner)
			c->cache += n;
		else
			c->other += n;
		pfn += n;
	}
}
