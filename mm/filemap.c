/*
 * filemap.c - the page cache: file pages shared by mappings.
 *
 * Each inode keeps its cached pages on inode->i_pages (struct page.lru:
 * owner = inode, index = page number, one reference held by the cache).
 * Read-only and shared mappings map these pages directly; private
 * writable ones copy them.  Shared writable pages are written back on
 * msync, munmap, fsync and before a read(2) of the file, and write(2)
 * refreshes the cached copy of what it wrote, so mappings and read/write
 * see the same bytes.  The filesystem is reached through its own
 * read/write file operations.
 *
 * Reclaim: every cached page is also on one of two machine-wide lists
 * (struct page.cache_lru), oldest first.  A new page starts inactive; a
 * second lookup while it is inactive and referenced moves it to the
 * active list.  When the page allocator runs dry it calls filemap_shrink,
 * which frees inactive pages that no mapping holds (refcount 1: only the
 * cache's) and that are clean, moves mapped or referenced ones to the
 * active list, and refills the inactive list from the active one's old
 * end so that it stays at least as long.  /proc/meminfo shows the counts.
 */
#include "kernel/mm.h"
#include "kernel/fs.h"
#include "kernel/kernel.h"

/* A throwaway open file on inode, for calling the filesystem's ops. */
static void pseudo_file(struct file *f, struct inode *inode)
{
	memset(f, 0, sizeof(*f));
	f->f_count = 1;
	f->f_mode = FMODE_READ | FMODE_WRITE;
	f->f_inode = inode;
	f->f_op = inode->i_fop;
}

static LIST_HEAD(lru_active);		/* oldest first */
static LIST_HEAD(lru_inactive);
static u64 nr_active, nr_inactive;

static void lru_del(struct page *p)
{
	list_del(&p->cache_lru);
	if (p->flags & PG_ACTIVE)
		nr_active--;
	else
		nr_inactive--;
	p->flags &= ~(PG_ACTIVE | PG_REFERENCED);
}

static void lru_add_active(struct page *p)
{
	p->flags |= PG_ACTIVE;
	p->flags &= ~PG_REFERENCED;
	list_add_tail(&p->cache_lru, &lru_active);
	nr_active++;
}

static void lru_add_inactive(struct page *p)
{
	p->flags &= ~(PG_ACTIVE | PG_REFERENCED);
	list_add_tail(&p->cache_lru, &lru_inactive);
	nr_inactive++;
}

/* A lookup found p: the second one while inactive makes it active. */
static void mark_accessed(struct page *p)
{
	if (p->flags & PG_ACTIVE)
		return;
	if (p->flags & PG_REFERENCED) {
		lru_del(p);
		lru_add_active(p);
	} else {
		p->flags |= PG_REFERENCED;
	}
}

/* Takes p out of the cache and drops the cache's reference. */
static void cache_remove(struct page *p)
{
	list_del(&p->lru);
	lru_del(p);
	p->owner = NULL;
	p->flags &= ~PG_DIRTY;
	page_put(p);
}

static struct page *find_page(struct inode *inode, u64 index)
{
	struct page *p;

	list_for_each_entry(p, &inode->i_pages, lru)
		if (p->index == index)
			return p;
	return NULL;
}

/* Reads the file's bytes [pos, pos + len) into buf through its read op. */
static int read_through(struct inode *inode, u8 *buf, u64 pos, size_t len)
{
	struct file f;
	struct uio u = { .kernel = true, .kbuf = buf, .len = len };
	loff_t off = (loff_t)pos;
	ssize_t n;

	pseudo_file(&f, inode);
	n = f.f_op && f.f_op->read ? f.f_op->read(&f, &u, &off) : -EINVAL;
	if (n < 0)
		return (int)n;
	memset(buf + n, 0, len - (size_t)n);
	return 0;
}

/* Fills pages[0..n) (consecutive indexes): the filesystem's readpages
 * (straight from the disk) or its read.  0 or -errno.  May sleep. */
static int fill_pages(struct inode *inode, struct page **pages, unsigned n)
{
	if (inode->i_fop && inode->i_fop->readpages)
		return inode->i_fop->readpages(inode, pages, n);
	for (unsigned i = 0; i < n; i++) {
		int err = read_through(inode, page_address(pages[i]),
				       pages[i]->index << PAGE_SHIFT, PAGE_SIZE);

		if (err)
			return err;
	}
	return 0;
}

/*
 * The pages of inode cached at indexes [first, first + n), n <= 64, in one
 * pass over its cache: out[i] is page first + i with a new reference, or
 * NULL where it is not cached.  Reads nothing and never sleeps.  Returns
 * how many it found.
 */
unsigned filemap_find_cached(struct inode *inode, u64 first, unsigned n, struct page **out)
{
	struct page *p;
	unsigned found = 0;

	for (unsigned i = 0; i < n; i++)
		out[i] = NULL;
	list_for_each_entry(p, &inode->i_pages, lru) {
		if (p->index < first || p->index >= first + n || out[p->index - first])
			continue;
		mark_accessed(p);
		page_get(p);
		out[p->index - first] = p;
		if (++found == n)
			break;
	}
	return found;
}

/*
 * Readahead.  A miss reads a window of pages from the missing one on, up
 * to the first page already cached or the end of the file, with one fill
 * (for a block filesystem one request per contiguous run on disk): a
 * request to the host I/O thread costs a hand-off each way, far more than
 * the extra bytes.  A miss at the page right after the previous window is
 * a sequential pattern and gets RA_PAGES pages; another miss reads to the
 * end of its aligned block of RA_PAGES (Linux's mmap read-around, and
 * the window a fault maps: mm/fault.c's FILE_AROUND).
 */
#define RA_PAGES		32	/* ext2_readpages' RP_MAX_PAGES */

/* Which of the pages [first, first + n), n <= 32, are cached: bit i for
 * first + i, in one pass over the inode's list. */
static u32 cached_mask(struct inode *inode, u64 first, unsigned n)
{
	struct page *p;
	u32 mask = 0;

	list_for_each_entry(p, &inode->i_pages, lru)
		if (p->index >= first && p->index < first + n)
			mask |= 1u << (p->index - first);
	return mask;
}

static void cache_insert(struct inode *inode, struct page *p)
{
	p->owner = inode;
	list_add(&p->lru, &inode->i_pages);
	lru_add_inactive(p);
}

/*
 * The frames of a readahead window win[0..n): spare[k] (the caller's
 * run, consecutive frames for consecutive indexes) where the caller has
 * one, each gap filled from one physically consecutive run of its own.
 * So a window's file pages sit in consecutive frames and a mapping of
 * them is one host mmap, not one per page (mm/fault.c, exec's prefault).
 * Returns how many frames it got from the start (the window shrinks to
 * that under memory pressure); never sleeps.
 */
/* n frames, consecutive where a free block allows (the allocator's
 * reclaim may free cached pages for one); while memory is short, as
 * map_range's window, single frames, which reclaim less.  How many. */
static int frames_run(struct page **pages, int n)
{
	int got = 0;

	if (n > 1 && nr_free_pages() >= nr_pages / 8)
		return alloc_pages_run(pages, n);
	while (got < n && (pages[got] = alloc_pages(0)) != NULL)
		got++;
	return got;
}

static unsigned window_frames(struct page **win, unsigned n, struct page **spare,
			      unsigned nspare)
{
	unsigned k = 0;

	while (k < n) {
		unsigned e = k + 1;
		int got;

		if (k < nspare && spare[k]) {
			win[k] = spare[k];
			spare[k++] = NULL;
			continue;
		}
		while (e < n && !(e < nspare && spare[e]))
			e++;
		got = frames_run(&win[k], (int)(e - k));
		if (got < (int)(e - k))
			return k + (unsigned)got;
		k = e;
	}
	return n;
}

/* How many pages from index on a miss reads (see Readahead above): at
 * most to the first cached page and to the end of the file. */
static unsigned window_size(struct inode *inode, u64 index, u64 npages)
{
	unsigned n = 1, max;
	u32 cached;

	max = index == inode->i_ra_next ? RA_PAGES : RA_PAGES - (unsigned)(index % RA_PAGES);
	max = (unsigned)min((u64)max, npages - index);
	if (max <= 1)
		return 1;
	cached = cached_mask(inode, index, max);
	while (n < max && !(cached & (1u << n)))
		n++;
	return n;
}

/*
 * filemap_get_page with a run of spare frames: spare[0..nspare) are for
 * the pages index, index + 1, ... (NULL where the caller has none); the
 * ones the read uses are set to NULL, the rest stay the caller's.
 * May sleep.
 */
struct page *filemap_get_page_run(struct inode *inode, u64 index, struct page **spare,
				  unsigned nspare, int *err)
{
	struct page *p, *win[RA_PAGES];
	u64 npages = DIV_ROUND_UP(inode->i_size, PAGE_SIZE);
	unsigned n;

	if (index >= npages) {
		*err = -EIO;
		return NULL;
	}
	p = find_page(inode, index);
	if (p) {
		mark_accessed(p);
		page_get(p);
		return p;
	}
	n = window_frames(win, window_size(inode, index, npages), spare, nspare);
	if (n == 0) {
		*err = -ENOMEM;
		return NULL;
	}
	p = win[0];
	for (unsigned i = 0; i < n; i++)
		win[i]->index = index + i;
	inode->i_ra_next = index + n;
	*err = fill_pages(inode, win, n);
	npages = DIV_ROUND_UP(inode->i_size, PAGE_SIZE);	/* a truncate while it slept */
	if (!*err && index >= npages)
		*err = -EIO;
	if (n > 1) {
		/* Readahead pages: cached unless the fill failed, someone
		 * filled the same page while it slept or it is past the end. */
		u32 cached = cached_mask(inode, index, n);

		for (unsigned i = 1; i < n; i++) {
			if (*err || (cached & (1u << i)) || win[i]->index >= npages)
				page_put(win[i]);
			else
				cache_insert(inode, win[i]);
		}
	}
	if (*err) {
		page_put(p);
		return NULL;
	}
	if (find_page(inode, index)) {		/* someone filled it while we slept */
		page_put(p);
		return filemap_get_page_run(inode, index, NULL, 0, err);
	}
	cache_insert(inode, p);
	page_get(p);				/* the caller's; the cache keeps one */
	return p;
}

/*
 * Returns the cached page `index` of inode with a new reference, reading
 * it if needed (into *spare if the caller has one ready: then *spare is
 * NULL afterwards) with the pages after it not cached yet (readahead);
 * NULL with *err = -EIO past the end of the file (SIGBUS), -ENOMEM or the
 * read error.  May sleep.
 */
struct page *filemap_get_page(struct inode *inode, u64 index, struct page **spare, int *err)
{
	return filemap_get_page_run(inode, index, spare, spare ? 1 : 0, err);
}

void filemap_mark_dirty(struct page *p)
{
	p->flags |= PG_DIRTY;
}

/* Writes back every page mapped shared and writable.  May sleep. */
int filemap_writeback(struct inode *inode)
{
	struct page *p;
	struct file f;
	int err = 0;

	pseudo_file(&f, inode);
	list_for_each_entry(p, &inode->i_pages, lru) {
		loff_t pos = (loff_t)(p->index << PAGE_SHIFT);
		u64 n;
		struct uio u = { .kernel = true, .kbuf = page_address(p) };
		ssize_t r;

		if (!(p->flags & PG_DIRTY) || (u64)pos >= inode->i_size)
			continue;
		n = min((u64)PAGE_SIZE, inode->i_size - (u64)pos);
		u.len = n;
		r = f.f_op && f.f_op->write ? f.f_op->write(&f, &u, &pos) : -EINVAL;
		if (r < 0 && !err)
			err = (int)r;
		/* Still mapped writable somewhere: it may be dirtied again. */
		if (p->refcount == 1)
			p->flags &= ~PG_DIRTY;
	}
	return err;
}

/* After write(2) changed [pos, pos+len): the cached pages' bytes of that
 * range are read again through the filesystem's read (the rest of each
 * page did not change).  May sleep. */
void filemap_update(struct inode *inode, u64 pos, u64 len)
{
	struct page *p;

	if (list_empty(&inode->i_pages) || len == 0)
		return;
	list_for_each_entry(p, &inode->i_pages, lru) {
		u64 start = p->index << PAGE_SHIFT, a, b;

		if (start >= pos + len || start + PAGE_SIZE <= pos)
			continue;
		a = max(start, pos);
		b = min(start + PAGE_SIZE, pos + len);
		read_through(inode, (u8 *)page_address(p) + (a - start), a, (size_t)(b - a));
	}
}

/* Pages wholly past size leave the cache; the last one's tail is zeroed. */
void filemap_truncate(struct inode *inode, u64 size)
{
	u64 first = DIV_ROUND_UP(size, PAGE_SIZE);
	struct page *p, *n;

	list_for_each_entry_safe(p, n, &inode->i_pages, lru) {
		if (p->index >= first)
			cache_remove(p);
		else if (p->index == size >> PAGE_SHIFT && (size & (PAGE_SIZE - 1)))
			memset((u8 *)page_address(p) + (size & (PAGE_SIZE - 1)), 0,
			       PAGE_SIZE - (size & (PAGE_SIZE - 1)));
	}
}

/* The inode is going away: drop the cache's references. */
void filemap_drop(struct inode *inode)
{
	while (!list_empty(&inode->i_pages))
		cache_remove(list_first_entry(&inode->i_pages, struct page, lru));
}

/* Moves the oldest active page to the inactive list. */
static void lru_demote_one(void)
{
	struct page *p = list_first_entry(&lru_active, struct page, cache_lru);

	lru_del(p);
	lru_add_inactive(p);
}

/*
 * Frees up to `want` cached pages that no mapping uses, coldest first:
 * the page allocator's reclaim hook when it runs dry, and drop_caches.
 * Never sleeps.  Returns how many it freed.
 */
u64 filemap_shrink(u64 want)
{
	u64 freed = 0, budget = 2 * (nr_active + nr_inactive) + 16;

	while (freed < want && budget--) {
		struct page *p;

		if (nr_active && (nr_inactive < nr_active || list_empty(&lru_inactive)))
			lru_demote_one();
		if (list_empty(&lru_inactive))
			break;
		p = list_first_entry(&lru_inactive, struct page, cache_lru);
		if (p->refcount != 1 || (p->flags & PG_REFERENCED)) {
			lru_del(p);		/* mapped, or used again lately */
			lru_add_active(p);
		} else if (p->flags & PG_DIRTY) {
			lru_del(p);		/* not written back yet: later */
			lru_add_inactive(p);
		} else {
			cache_remove(p);
			freed++;
		}
	}
	return freed;
}

/*
 * Frees p if it is a cached page nothing else holds (clean, unmapped), or
 * with dry_run only says whether it could: the page allocator's way to
 * free one particular block.  Never sleeps.
 */
bool filemap_evict_page(struct page *p, bool dry_run)
{
	if ((p->flags & (PG_FREE | PG_SLAB | PG_HEAD | PG_DIRTY)) || p->refcount != 1 ||
	    p->owner == NULL || list_empty(&p->cache_lru))
		return false;
	if (!dry_run)
		cache_remove(p);
	return true;
}

static u64 set_hash(const void *owner, u64 index)
{
	return ((u64)(uintptr_t)owner >> 4 ^ index) * 0x9e3779b97f4a7c15ull;
}

int filemap_set_build(struct cache_set *s)
{
	struct list_head *lists[] = { &lru_active, &lru_inactive };
	u64 n = 64;
	struct page *p;

	while (n < 2 * (nr_active + nr_inactive))
		n *= 2;
	s->mask = n - 1;
	s->slot = vmalloc(n * sizeof(*s->slot));
	if (s->slot == NULL)
		return -ENOMEM;
	memset(s->slot, 0, n * sizeof(*s->slot));
	for (size_t i = 0; i < ARRAY_SIZE(lists); i++)
		list_for_each_entry(p, lists[i], cache_lru) {
			u64 h = set_hash(p->owner, p->index) >> 20;

			while (s->slot[h & s->mask] != NULL)
				h++;
			s->slot[h & s->mask] = p;
		}
	return 0;
}

bool cache_set_has(const void *set, const void *owner, u64 index)
{
	const struct cache_set *s = set;
	u64 h = set_hash(owner, index) >> 20;
	struct page *p;

	while ((p = s->slot[h & s->mask]) != NULL) {
		if (p->owner == owner && p->index == index)
			return true;
		h++;
	}
	return false;
}

void cache_set_free(struct cache_set *s)
{
	vfree(s->slot);
	s->slot = NULL;
}

/* The counts /proc/meminfo shows, in pages. */
void filemap_stats(struct filemap_stats *st)
{
	struct list_head *lists[] = { &lru_active, &lru_inactive };
	struct page *p;

	*st = (struct filemap_stats){ .active = nr_active, .inactive = nr_inactive };
	for (size_t i = 0; i < ARRAY_SIZE(lists); i++)
		list_for_each_entry(p, lists[i], cache_lru) {
			if (p->refcount > 1)
				st->mapped++;
			if (p->flags & PG_DIRTY)
				st->dirty++;
			else if (p->refcount == 1)
				st->reclaimable++;
		}
}
