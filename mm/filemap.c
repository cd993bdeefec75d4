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

static int fill_page(struct inode *inode, struct page *p)
{
	struct file f;
	struct uio u = { .kernel = true, .kbuf = page_address(p), .len = PAGE_SIZE };
	loff_t pos = (loff_t)(p->index << PAGE_SHIFT);
	ssize_t n;

	pseudo_file(&f, inode);
	n = f.f_op && f.f_op->read ? f.f_op->read(&f, &u, &pos) : -EINVAL;
	if (n < 0)
		return (int)n;
	memset((u8 *)page_address(p) + n, 0, PAGE_SIZE - n);
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
 * Returns the cached page `index` of inode with a new reference, reading
 * it if needed (into *spare if the caller has one ready: then *spare is
 * NULL afterwards); NULL with *err = -EIO past the end of the file
 * (SIGBUS), -ENOMEM or the read error.  May sleep.
 */
struct page *filemap_get_page(struct inode *inode, u64 index, struct page **spare, int *err)
{
	struct page *p;

	if (index >= DIV_ROUND_UP(inode->i_size, PAGE_SIZE)) {
		*err = -EIO;
		return NULL;
	}
	p = find_page(inode, index);
	if (p) {
		mark_accessed(p);
		page_get(p);
		return p;
	}
	if (spare && *spare) {
		p = *spare;
		*spare = NULL;
	} else if (!(p = alloc_pages(0))) {
		*err = -ENOMEM;
		return NULL;
	}
	p->index = index;
	*err = fill_page(inode, p);
	if (*err) {
		page_put(p);
		return NULL;
	}
	if (find_page(inode, index)) {		/* someone filled it while we slept */
		page_put(p);
		return filemap_get_page(inode, index, NULL, err);
	}
	p->owner = inode;
	list_add(&p->lru, &inode->i_pages);
	lru_add_inactive(p);
	page_get(p);				/* the caller's; the cache keeps one */
	return p;
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

/* After write(2) changed [pos, pos+len): refresh the cached copies.  May sleep. */
void filemap_update(struct inode *inode, u64 pos, u64 len)
{
	struct page *p;

	if (list_empty(&inode->i_pages) || len == 0)
		return;
	list_for_each_entry(p, &inode->i_pages, lru) {
		u64 start = p->index << PAGE_SHIFT;

		if (start < pos + len && start + PAGE_SIZE > pos)
			fill_page(inode, p);
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
