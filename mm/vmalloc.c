/*
 * vmalloc.c - large kernel buffers from scattered frames.
 *
 * kmalloc of more than a page wants a buddy block of 2^order frames.
 * When memory is fragmented (free frames between cached and used ones)
 * no such block exists although enough frames are free; kmalloc then
 * comes here: order-0 frames, mapped one after the other into a window
 * of the kernel's host address space reserved at the first use, as
 * Linux's vmalloc maps pages into its vmalloc area.  Slower to make and
 * free (a host mmap per run of consecutive frames), so only the fallback.
 *
 * The window is as large as physical memory (one reservation, no host
 * memory behind it until mapped); areas are kept in a list sorted by
 * address and placed first-fit.
 */
#include "kernel/kernel.h"
#include "kernel/page.h"
#include "kernel/mm.h"
#include "kernel/list.h"
#include "shared/os.h"

struct vm_area {
	struct list_head list;
	u64 start, npages;	/* in pages from the window's base */
	struct page **pages;
};

static u8 *window;
static u64 window_pages;
static LIST_HEAD(areas);

/* Whether p lies in the window (so kfree hands it to vfree). */
bool is_vmalloc_addr(const void *p)
{
	return window != NULL && (const u8 *)p >= window &&
	       (const u8 *)p < window + (window_pages << PAGE_SHIFT);
}

static bool window_init(void)
{
	void *w;

	if (window != NULL)
		return true;
	w = os_vm_reserve(nr_pages << PAGE_SHIFT);
	if (w == NULL)
		return false;
	window = w;
	window_pages = nr_pages;
	return true;
}

/* First fit: the area goes into the list before the returned position. */
static struct list_head *find_gap(u64 n, u64 *start)
{
	struct vm_area *a;
	u64 at = 0;

	list_for_each_entry(a, &areas, list) {
		if (a->start - at >= n) {
			*start = at;
			return &a->list;
		}
		at = a->start + a->npages;
	}
	if (window_pages - at < n)
		return NULL;
	*start = at;
	return &areas;
}

static void unmap_pages(struct vm_area *a, u64 mapped)
{
	u64 i;

	if (mapped)
		os_vm_unmap(window + (a->start << PAGE_SHIFT), mapped << PAGE_SHIFT);
	for (i = 0; i < a->npages; i++)
		if (a->pages[i] != NULL)
			free_pages(a->pages[i], 0);
}

void *vmalloc(size_t size)
{
	u64 n = (size + PAGE_SIZE - 1) >> PAGE_SHIFT, i, run;
	struct list_head *pos;
	struct vm_area *a;

	if (n == 0 || !window_init())
		return NULL;
	a = kzalloc(sizeof(*a));
	if (a == NULL)
		return NULL;
	a->npages = n;
	a->pages = n * sizeof(*a->pages) <= PAGE_SIZE ? kzalloc(n * sizeof(*a->pages)) : NULL;
	pos = a->pages ? find_gap(n, &a->start) : NULL;
	if (pos == NULL)
		goto fail;
	for (i = 0; i < n; i++) {
		a->pages[i] = alloc_pages(0);
		if (a->pages[i] == NULL)
			goto fail_pages;
	}
	/* One host mapping per run of consecutive frames. */
	for (i = 0; i < n; i += run) {
		for (run = 1; i + run < n &&
		     page_to_pfn(a->pages[i + run]) == page_to_pfn(a->pages[i]) + run; run++)
			;
		if (os_vm_map(window + ((a->start + i) << PAGE_SHIFT), physmem_fd,
			      page_to_phys(a->pages[i]), run << PAGE_SHIFT) < 0) {
			unmap_pages(a, i);
			goto fail;
		}
	}
	list_add_tail(&a->list, pos);
	live.vmallocs++;
	return window + (a->start << PAGE_SHIFT);
fail_pages:
	unmap_pages(a, 0);
fail:
	kfree(a->pages);
	kfree(a);
	return NULL;
}

void vfree(const void *p)
{
	u64 start = (u64)((const u8 *)p - window) >> PAGE_SHIFT;
	struct vm_area *a;

	list_for_each_entry(a, &areas, list) {
		if (a->start == start) {
			list_del(&a->list);
			unmap_pages(a, a->npages);
			kfree(a->pages);
			if (leak_test(vmallocs))
				return;
			live.vmallocs--;
			kfree(a);
			return;
		}
	}
	panic("vfree: %p is not the start of a vmalloc area", p);
}
