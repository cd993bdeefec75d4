/*
 * buffer.c - the block buffer cache.
 *
 * Blocks of a device live in kmalloc'd buffers, found by (device, block
 * number, size) in a hash table.  Every buffer is also on an LRU list,
 * and a dirty one on the dirty list too.
 *
 * Sizing: the cache has no fixed budget.  It grows while free memory
 * stays above a reserve (a sixteenth of memory, at least 4 MiB); past
 * that, a new buffer first frees clean unreferenced buffers from the cold
 * end.  When the page allocator runs dry its reclaim hook calls
 * buffer_shrink(), which frees cold clean buffers the same way.  Dirty
 * bytes are held under a fifth of memory (Linux's dirty_ratio): past it,
 * the writer that dirties more writes the dirty buffers back first, in
 * block order and in runs of contiguous blocks, one request a run.  Past
 * a tenth (dirty_background_ratio) the bdflush thread starts writing them
 * back while the writer goes on, so the disk works while the writer
 * computes instead of after it (the next fsync finds less to write).
 *
 * A buffer is "busy" while its I/O is in flight: the I/O sleeps, and
 * another task that finds the buffer then waits on b_wait.  Dirty
 * buffers go back to disk on sync_blockdev() and from a kernel thread
 * every five seconds.
 */
#include "kernel/blkdev.h"
#include "kernel/fs.h"
#include "kernel/page.h"
#include "kernel/sched.h"

/*
 * The hash table has a bucket for every 2 KiB of memory (the cache fills
 * memory but a reserve: one 1 KiB buffer or less a bucket on average),
 * at most BH_HASH_MAX.  A bucket is one pointer, NULL when empty, so the
 * table needs no initialisation and the host backs only the pages of it
 * that are used (16384 list heads made chains of 12 with 256 MiB of
 * 1 KiB blocks: bh_find was 15% of a 64 MiB write).
 */
#define BH_HASH_MAX	(1u << 21)
/* Free memory the cache leaves alone: a sixteenth of it, at least 4 MiB. */
#define BH_RESERVE	max(physmem_size / 16, 4ULL << 20)
/* Dirty bytes past which a writer writes back first: a fifth of memory. */
#define BH_DIRTY_MAX	(physmem_size / 5)
/* Dirty bytes past which bdflush writes back in the background: a tenth. */
#define BH_DIRTY_BG	(physmem_size / 10)
/* vm.dirty_writeback_centisecs: bdflush's period (0: none), Linux's default. */
unsigned sysctl_dirty_writeback_centisecs = 500;

static struct buffer_head *bh_hash[BH_HASH_MAX];
static unsigned bh_hash_mask;	/* buckets - 1 */
static LIST_HEAD(bh_lru);		/* coldest first */
static LIST_HEAD(bh_dirty);		/* the dirty buffers, in no order */
static u64 bh_bytes, bh_dirty_bytes;
static u64 bh_file_bytes;		/* of bh_bytes, in buffers marked b_file */

static void bg_writeback_kick(void);

static void bh_set_dirty(struct buffer_head *bh)
{
	if (bh->b_dirty)
		return;
	bh->b_dirty = true;
	list_add_tail(&bh->b_dirty_list, &bh_dirty);
	bh_dirty_bytes += bh->b_size;
	if (bh_dirty_bytes > BH_DIRTY_BG)
		bg_writeback_kick();
}

static void bh_clear_dirty(struct buffer_head *bh)
{
	if (!bh->b_dirty)
		return;
	bh->b_dirty = false;
	list_del(&bh->b_dirty_list);
	bh_dirty_bytes -= bh->b_size;
}

static int writeback_dirty(struct block_device *bdev);

/* Past the dirty limit: writes back the dirty buffers, a device at a
 * time, until under it or a write fails (no flush).  True when it wrote
 * (and so may have slept).  May sleep. */
static bool balance_dirty(void)
{
	bool wrote = false;

	while (bh_dirty_bytes > BH_DIRTY_MAX && !list_empty(&bh_dirty)) {
		u64 before = bh_dirty_bytes;

		wrote = true;
		writeback_dirty(list_first_entry(&bh_dirty, struct buffer_head,
						 b_dirty_list)->b_bdev);
		if (bh_dirty_bytes >= before)
			break;		/* I/O errors: the buffers stay dirty */
	}
	return wrote;
}

/* True when a new buffer of size bytes should first free cold ones. */
static bool bh_over_budget(unsigned size)
{
	return nr_free_pages() * PAGE_SIZE < BH_RESERVE + size;
}

static void bh_hash_init(void)
{
	u64 want = physmem_size >> 11;
	unsigned n = 1024;

	if (bh_hash_mask)
		return;
	while (n < BH_HASH_MAX && n < want)
		n <<= 1;
	bh_hash_mask = n - 1;
}

/*
 * Consecutive blocks of a device go to consecutive buckets (the device
 * picks where its run starts): a file written or read in order walks the
 * table in order, a cache line for eight blocks, instead of a cache and
 * TLB miss for each (a scattered hash made bh_find 9% of a 64 MiB write).
 */
static struct buffer_head **bh_bucket(struct block_device *bdev, u64 block)
{
	u64 salt = ((u64)(uintptr_t)bdev >> 4) * 0x9e3779b97f4a7c15ull;

	bh_hash_init();
	return &bh_hash[(unsigned)((salt >> 40) + block) & bh_hash_mask];
}

static struct buffer_head *bh_find(struct block_device *bdev, u64 block, unsigned size)
{
	struct buffer_head *bh;

	for (bh = *bh_bucket(bdev, block); bh; bh = bh->b_hnext) {
		if (bh->b_bdev == bdev && bh->b_blocknr == block && bh->b_size == size)
			return bh;
	}
	return NULL;
}

static void bh_hash_add(struct buffer_head *bh)
{
	struct buffer_head **head = bh_bucket(bh->b_bdev, bh->b_blocknr);

	bh->b_hnext = *head;
	if (*head)
		(*head)->b_hpprev = &bh->b_hnext;
	bh->b_hpprev = head;
	*head = bh;
}

static void bh_hash_del(struct buffer_head *bh)
{
	*bh->b_hpprev = bh->b_hnext;
	if (bh->b_hnext)
		bh->b_hnext->b_hpprev = bh->b_hpprev;
}

static void bh_free(struct buffer_head *bh)
{
	bh_clear_dirty(bh);
	bh_hash_del(bh);
	list_del(&bh->b_lru);
	bh_bytes -= bh->b_size;
	if (bh->b_file)
		bh_file_bytes -= bh->b_size;
	kfree(bh->b_data);
	kfree(bh);
}

static void bh_wait_idle(struct buffer_head *bh)
{
	wait_event(bh->b_wait, !bh->b_busy);
}

/* For a reader that only copies bh's bytes: a write in flight leaves
 * them valid (a change meanwhile re-dirties the buffer), so only a read
 * in flight is waited for.  Linux reads a page under writeback too. */
static void bh_wait_readable(struct buffer_head *bh)
{
	wait_event(bh->b_wait, !bh->b_busy || bh->b_writing);
}

static void bh_start_write(struct buffer_head *bh)
{
	bh->b_busy = true;
	bh->b_writing = true;
	bh_clear_dirty(bh);	/* a change made during the write re-dirties */
}

static void bh_end_write(struct buffer_head *bh, int err)
{
	if (err)
		bh_set_dirty(bh);
	bh->b_busy = false;
	bh->b_writing = false;
	wake_up(&bh->b_wait);
}

/* Writes bh if dirty; the caller holds a reference. May sleep. */
static int bh_write(struct buffer_head *bh)
{
	int err;

	bh_wait_idle(bh);
	if (!bh->b_dirty)
		return 0;
	bh_start_write(bh);
	err = blk_rw(bh->b_bdev, BIO_WRITE, bh->b_blocknr * bh->b_size,
		     bh->b_data, bh->b_size);
	bh_end_write(bh, err);
	return err;
}

/*
 * Frees clean idle buffers from the cold end until `want` bytes are freed
 * or none is left.  Returns the bytes freed.  Never sleeps.
 */
static u64 bh_free_cold(u64 want)
{
	struct buffer_head *bh, *next;
	u64 freed = 0;

	list_for_each_entry_safe(bh, next, &bh_lru, b_lru) {
		if (freed >= want)
			break;
		if (bh->b_count || bh->b_busy || bh->b_dirty)
			continue;
		freed += bh->b_size;
		bh_free(bh);
	}
	return freed;
}

/*
 * The page allocator's reclaim, after the page cache: frees cold clean
 * buffers worth `want` pages (~0: every one).  Returns the pages' worth
 * freed.  Never sleeps.
 */
u64 buffer_shrink(u64 want)
{
	u64 bytes = want > (~0ULL >> PAGE_SHIFT) ? ~0ULL : want << PAGE_SHIFT;

	return bh_free_cold(bytes) >> PAGE_SHIFT;
}

/* Bytes of block data in the cache, file data and metadata. */
u64 buffer_cache_bytes(void)
{
	return bh_bytes;
}

/*
 * Marks bh as holding a regular file's data (a filesystem's read or
 * write path calls it): /proc/meminfo counts such buffers in Cached, as
 * Linux counts file pages, and the rest (metadata, raw device reads) in
 * Buffers.  The mark stays until the buffer is freed.  Never sleeps.
 */
void buffer_mark_file(struct buffer_head *bh, const struct inode *inode, u64 index)
{
	bh->b_owner = inode;	/* a freed block may come back as another file's */
	bh->b_index = index;
	if (bh->b_file)
		return;
	bh->b_file = true;
	bh_file_bytes += bh->b_size;
}

/*
 * Bytes of the file data buffers whose page cached(arg, inode, index)
 * says is in the page cache too (a page filled from the buffers, or a
 * buffer read after the page): the same bytes twice, which meminfo
 * counts in Cached once.  Never sleeps (nor may cached).
 */
u64 buffer_file_twin_bytes(bool (*cached)(const void *arg, const void *owner, u64 index),
			   const void *arg)
{
	struct buffer_head *bh;
	u64 n = 0;

	list_for_each_entry(bh, &bh_lru, b_lru)
		if (bh->b_file && cached(arg, bh->b_owner, bh->b_index))
			n += bh->b_size;
	return n;
}

/* Bytes of file data in the cache (marked buffers). */
u64 buffer_file_bytes(void)
{
	return bh_file_bytes;
}

/* Frees every clean, idle buffer nothing references (drop_caches). Never sleeps. */
void buffer_drop_clean(void)
{
	bh_free_cold(~0ULL);
}

static struct buffer_head *bh_alloc(struct block_device *bdev, u64 block, unsigned size)
{
	struct buffer_head *bh = kzalloc(sizeof(*bh));

	if (!bh)
		return NULL;
	bh->b_data = kmalloc(size);
	if (!bh->b_data) {
		kfree(bh);
		return NULL;
	}
	bh->b_bdev = bdev;
	bh->b_blocknr = block;
	bh->b_size = size;
	bh->b_count = 1;
	bdev->cached_sizes |= size;	/* the device file's look-ups (bdev_cache_*) */
	init_waitqueue(&bh->b_wait);
	INIT_LIST_HEAD(&bh->b_dirty_list);
	bh_hash_add(bh);
	list_add_tail(&bh->b_lru, &bh_lru);
	bh_bytes += size;
	return bh;
}

/* A look-up found bh: a new reference, and it is the most recently used. */
static void bh_hit(struct buffer_head *bh)
{
	bh->b_count++;
	list_del(&bh->b_lru);
	list_add_tail(&bh->b_lru, &bh_lru);
}

/*
 * The buffer for block (of size bytes), possibly not up to date: a new
 * reference, or NULL when out of memory.  May sleep.
 */
struct buffer_head *getblk(struct block_device *bdev, u64 block, unsigned size)
{
	struct buffer_head *bh;

	bh = bh_find(bdev, block, size);
	if (bh) {
		bh_hit(bh);
		/* A read (perhaps readahead) in flight would overwrite the caller's bytes. */
		bh_wait_idle(bh);
		return bh;
	}
	if (bh_over_budget(size))
		bh_free_cold((u64)size * 64);	/* a few for the next ones too */
	/* Writing back may have slept: someone may have made the buffer. */
	if (balance_dirty() && (bh = bh_find(bdev, block, size)) != NULL) {
		bh->b_count++;
		bh_wait_idle(bh);
		return bh;
	}
	return bh_alloc(bdev, block, size);
}

/*
 * Sequential readahead.  A read of the block right after the previous
 * miss on the same device is taken as a sequential pattern (a file being
 * read, an executable being paged in): the next RA_BLOCKS blocks that are
 * not cached yet come in with the same request.  One request to the host
 * I/O thread costs a cross-thread hand-off each way, far more than the
 * extra bytes.
 */
#define RA_BYTES	BLK_READAHEAD_BYTES

static struct block_device *ra_bdev;
static u64 ra_next;

/* How many blocks from `block` on to read now: 1, or a readahead run. */
static unsigned ra_window(struct block_device *bdev, u64 block, unsigned size)
{
	unsigned n = 1, max = RA_BYTES / size;

	if (bdev != ra_bdev || block != ra_next)
		return 1;
	while (n < max && (block + n + 1) * size <= bdev->size &&
	       !bh_find(bdev, block + n, size))
		n++;
	return n;
}

/* Reads blocks [block, block+n) into bhs[0..n) (all busy) with one
 * vectored request, straight into the buffers. */
static int read_run(struct block_device *bdev, struct buffer_head **bhs, unsigned n,
		    u64 block, unsigned size)
{
	struct blk_seg segs[RA_BYTES / 512];

	if (n == 1)
		return blk_rw(bdev, BIO_READ, block * size, bhs[0]->b_data, size);
	for (unsigned i = 0; i < n; i++)
		segs[i] = (struct blk_seg){ .buf = bhs[i]->b_data, .len = size };
	return blk_rw_vec(bdev, BIO_READ, block * size, segs, n);
}

/* The block, read from disk if needed: a reference, or NULL. May sleep. */
static struct buffer_head *bread_wait(struct block_device *bdev, u64 block, unsigned size,
				      bool shared)
{
	struct buffer_head *bh = bh_find(bdev, block, size), *bhs[RA_BYTES / 512];
	unsigned n;
	u64 off;
	int err;

	if (shared && bh && bh->b_uptodate) {
		bh_hit(bh);
		bh_wait_readable(bh);
		if (bh->b_uptodate)
			return bh;
		brelse(bh);
	}
	bh = getblk(bdev, block, size);
	if (!bh)
		return NULL;
	bh_wait_idle(bh);
	if (bh->b_uptodate)
		return bh;
	if (__builtin_mul_overflow(block, (u64)size, &off)) {
		brelse(bh);
		return NULL;
	}
	n = ra_window(bdev, block, size);
	bhs[0] = bh;
	for (unsigned i = 1; i < n; i++) {
		bhs[i] = bh_alloc(bdev, block + i, size);	/* not cached: checked */
		if (!bhs[i]) {
			n = i;
			break;
		}
	}
	for (unsigned i = 0; i < n; i++) {
		bhs[i]->b_busy = true;
		bhs[i]->b_verified = 0;	/* new bytes: a check is due again */
	}
	ra_bdev = bdev;
	ra_next = block + n;
	err = read_run(bdev, bhs, n, block, size);
	if (!err && current != NULL)
		current->ioac.read_bytes += (u64)n * size;	/* /proc/PID/io */
	for (unsigned i = 0; i < n; i++) {
		bhs[i]->b_busy = false;
		bhs[i]->b_uptodate = !err;
		wake_up(&bhs[i]->b_wait);
		if (i)
			brelse(bhs[i]);
	}
	if (err) {
		printk(KERN_ERR "%s: read error %d at block %llu\n", bdev->name,
		       err, (unsigned long long)block);
		brelse(bh);
		return NULL;
	}
	return bh;
}

struct buffer_head *bread(struct block_device *bdev, u64 block, unsigned size)
{
	return bread_wait(bdev, block, size, false);
}

struct buffer_head *bread_shared(struct block_device *bdev, u64 block, unsigned size)
{
	return bread_wait(bdev, block, size, true);
}

/*
 * The cached, up-to-date buffer of block if there is one (a new
 * reference; an I/O in flight on it is waited for), else NULL: never
 * makes a buffer nor reads.  The page cache's direct fills ask it first,
 * so that a block written through the buffer cache and not yet on disk
 * (or being written) is taken from here, never read stale.  May sleep.
 */
static struct buffer_head *bget_wait(struct block_device *bdev, u64 block, unsigned size,
				     bool shared)
{
	struct buffer_head *bh = bh_find(bdev, block, size);

	if (!bh)
		return NULL;
	bh->b_count++;
	if (shared)
		bh_wait_readable(bh);
	else
		bh_wait_idle(bh);
	if (!bh->b_uptodate) {
		brelse(bh);
		return NULL;
	}
	return bh;
}

struct buffer_head *bget_cached(struct block_device *bdev, u64 block, unsigned size)
{
	return bget_wait(bdev, block, size, false);
}

struct buffer_head *bget_cached_shared(struct block_device *bdev, u64 block, unsigned size)
{
	return bget_wait(bdev, block, size, true);
}

/*
 * Bytes [off, off + len) of block were written to the device directly:
 * an idle, clean cached buffer of it takes them too (a dirty or busy one
 * holds newer bytes that will be written over them).  Never sleeps.
 */
void bupdate_clean(struct block_device *bdev, u64 block, unsigned size, unsigned off,
		   const void *data, unsigned len)
{
	struct buffer_head *bh = bh_find(bdev, block, size);

	if (bh && !bh->b_busy && !bh->b_dirty && bh->b_uptodate && off <= size && len <= size - off)
		memcpy(bh->b_data + off, data, len);
}

/*
 * The device file's view of the cache.  Its I/O goes to the disk
 * directly; these keep it and the buffers one picture, whatever block
 * size a filesystem (or the 1 KiB superblock read) used: the cached
 * buffers of each size bdev ever had that hold bytes of the range are
 * found by hash, a look-up a block.  Nothing here is on the
 * filesystems' paths.
 */
#define BH_SIZE_MAX	(64u << 10)

/* The bytes bh and [off, off + len) share: their length (0: none), with
 * *boff their start in the buffer and *roff in the range. */
static u64 bh_overlap(const struct buffer_head *bh, u64 off, u64 len, unsigned *boff, u64 *roff)
{
	u64 b0 = bh->b_blocknr * bh->b_size, s = max(b0, off);
	u64 e = min(b0 + bh->b_size, off + len);

	if (s >= e)
		return 0;
	*boff = (unsigned)(s - b0);
	*roff = s - off;
	return e - s;
}

/* The next cached buffer of bdev over [off, off + len) after (*size,
 * *block), which it advances: start with *size 0.  NULL at the end. */
static struct buffer_head *bh_next_in_range(struct block_device *bdev, u64 off, u64 len,
					    unsigned *size, u64 *block)
{
	for (;;) {
		if (*size == 0 || ++*block * *size >= off + len) {
			do
				*size = *size ? *size << 1 : 512;
			while (*size <= BH_SIZE_MAX && !(bdev->cached_sizes & *size));
			if (*size > BH_SIZE_MAX || len == 0)
				return NULL;
			*block = off / *size;
		}
		struct buffer_head *bh = bh_find(bdev, *block, *size);

		if (bh)
			return bh;
	}
}

/* A buffer whose bytes are the newest of its block: up to date, and
 * not being read in (a write in flight leaves them valid). */
static bool bh_current(const struct buffer_head *bh)
{
	return bh->b_uptodate && (!bh->b_busy || bh->b_writing);
}

void bdev_cache_overlay(struct block_device *bdev, u64 off, void *buf, u64 len)
{
	struct buffer_head *bh;
	unsigned size = 0, boff;
	u64 block = 0, roff, n;

	while ((bh = bh_next_in_range(bdev, off, len, &size, &block)) != NULL) {
		if (bh_current(bh) && (n = bh_overlap(bh, off, len, &boff, &roff)) != 0)
			memcpy((u8 *)buf + roff, bh->b_data + boff, n);
	}
}

void bdev_cache_update(struct block_device *bdev, u64 off, const void *data, u64 len)
{
	struct buffer_head *bh;
	unsigned size = 0, boff;
	u64 block = 0, roff, n;

	while ((bh = bh_next_in_range(bdev, off, len, &size, &block)) != NULL) {
		if (!bh_current(bh) || (n = bh_overlap(bh, off, len, &boff, &roff)) == 0)
			continue;
		if (data)
			memcpy(bh->b_data + boff, (const u8 *)data + roff, n);
		else
			memset(bh->b_data + boff, 0, n);
		bh->b_verified = 0;	/* changed under its filesystem: check again */
	}
}

void bdev_cache_wait_reads(struct block_device *bdev, u64 off, u64 len)
{
	struct buffer_head *bh;
	unsigned size = 0;
	u64 block = 0;

	while ((bh = bh_next_in_range(bdev, off, len, &size, &block)) != NULL) {
		if (!bh->b_busy || bh->b_writing)
			continue;
		bh->b_count++;
		bh_wait_readable(bh);
		brelse(bh);
		size = 0;	/* the cache may have changed meanwhile: again */
	}
}

/* Drops a reference from bread/getblk; NULL is allowed. */
void brelse(struct buffer_head *bh)
{
	if (bh && bh->b_count > 0)
		bh->b_count--;
}

/* Marks bh's data as changed (and valid) so it is written back. */
void mark_buffer_dirty(struct buffer_head *bh)
{
	/* /proc/PID/io's write_bytes: cache the task made dirty, counted
	 * when it turns dirty, as Linux counts a folio. */
	if (!bh->b_dirty && current != NULL)
		current->ioac.write_bytes += bh->b_size;
	bh->b_uptodate = true;
	bh->b_verified = 0;	/* changed: whoever checked it must again */
	bh_set_dirty(bh);
}

/*
 * The blocks [block, block + n) of bdev were freed and are being
 * discarded: their idle cached buffers go without being written (a dirty
 * one's data is dead: /proc/PID/io's cancelled_write_bytes).  Buffers in
 * use stay.  Never sleeps.
 */
void bforget_range(struct block_device *bdev, u64 block, u64 n, unsigned size)
{
	for (u64 b = block; b < block + n; b++) {
		struct buffer_head *bh = bh_find(bdev, b, size);

		if (bh == NULL || bh->b_count || bh->b_busy)
			continue;
		if (bh->b_dirty && current != NULL)
			current->ioac.cancelled_write_bytes += bh->b_size;
		bh_free(bh);
	}
}

/* Writes bh now if dirty: 0 or -errno. Caller holds a reference. May sleep. */
int sync_dirty_buffer(struct buffer_head *bh)
{
	return bh_write(bh);
}

static int bh_cmp_block(const struct buffer_head *a, const struct buffer_head *b)
{
	return a->b_blocknr < b->b_blocknr ? -1 : a->b_blocknr > b->b_blocknr;
}

/* Shell sort: without memory for merge_sort's second array. */
static void bh_shell_sort(struct buffer_head **v, size_t n)
{
	size_t gap, i, j;

	for (gap = n / 2; gap > 0; gap /= 2) {
		for (i = gap; i < n; i++) {
			struct buffer_head *t = v[i];

			for (j = i; j >= gap && bh_cmp_block(v[j - gap], t) > 0; j -= gap)
				v[j] = v[j - gap];
			v[j] = t;
		}
	}
}

/* Sorts v[0..n) by block through tmp[0..n): a merge of two sorted halves
 * that are already in order is skipped, so a list dirtied in block order
 * (a file written sequentially) costs n comparisons. */
static void bh_merge_sort(struct buffer_head **v, struct buffer_head **tmp, size_t n)
{
	size_t mid = n / 2, i = 0, j = mid, k = 0;

	if (n < 2)
		return;
	bh_merge_sort(v, tmp, mid);
	bh_merge_sort(v + mid, tmp, n - mid);
	if (bh_cmp_block(v[mid - 1], v[mid]) <= 0)
		return;
	while (i < mid && j < n)
		tmp[k++] = bh_cmp_block(v[j], v[i]) < 0 ? v[j++] : v[i++];
	while (i < mid)
		tmp[k++] = v[i++];
	/* v[j..n) is in place already */
	memcpy(v, tmp, k * sizeof(*v));
}

/* In block order: O(n log n) (the shell sort was n^1.5 with a cache miss
 * a comparison: 6% of a 64 MiB write with 50,000 dirty buffers). */
static void bh_sort(struct buffer_head **v, size_t n)
{
	struct buffer_head **tmp;

	if (n < 2)
		return;
	tmp = kmalloc(n * sizeof(*tmp));
	if (!tmp) {
		bh_shell_sort(v, n);
		return;
	}
	bh_merge_sort(v, tmp, n);
	kfree(tmp);
}

/* Referenced array of bdev's dirty buffers, in block order; NULL if none. */
static struct buffer_head **bh_collect_dirty(struct block_device *bdev, size_t *np)
{
	struct buffer_head *bh, **v;
	size_t n = 0, i = 0;

	list_for_each_entry(bh, &bh_dirty, b_dirty_list)
		n += bh->b_bdev == bdev;
	*np = 0;
	if (!n)
		return NULL;
	v = kcalloc(n, sizeof(*v));
	if (!v)
		return NULL;
	list_for_each_entry(bh, &bh_dirty, b_dirty_list) {
		if (bh->b_bdev == bdev && i < n) {
			bh->b_count++;
			v[i++] = bh;
		}
	}
	bh_sort(v, i);
	*np = i;
	return v;
}

/* Slow path without memory for a sorted array: one buffer per scan. */
static int bh_write_each(struct block_device *bdev, int err)
{
	struct buffer_head *bh;
	int e;

again:
	list_for_each_entry(bh, &bh_dirty, b_dirty_list) {
		if (bh->b_bdev != bdev)
			continue;
		bh->b_count++;
		e = bh_write(bh);
		brelse(bh);
		if (e)
			return err ? err : e;
		goto again;
	}
	return err;
}

#define WRITE_RUN_BYTES	(1u << 20)

/*
 * Writes v[0] and the dirty buffers after it that continue it on disk
 * (same size, next block numbers, up to 1 MiB) with one vectored
 * request from the buffers themselves.  Returns how many of v it
 * handled; *err gets 0 or -errno.  May sleep.
 */
static size_t write_run(struct buffer_head **v, size_t n, int *err)
{
	size_t run = 1, max = WRITE_RUN_BYTES / v[0]->b_size;
	struct blk_seg *sv;

	while (run < n && run < max && v[run]->b_size == v[0]->b_size &&
	       v[run]->b_blocknr == v[0]->b_blocknr + run && !v[run]->b_busy)
		run++;
	if (run == 1 || v[0]->b_busy || !(sv = kmalloc(run * sizeof(*sv)))) {
		*err = bh_write(v[0]);
		return 1;
	}
	for (size_t i = 0; i < run; i++) {
		sv[i] = (struct blk_seg){ .buf = v[i]->b_data, .len = v[i]->b_size };
		bh_start_write(v[i]);
	}
	*err = blk_rw_vec(v[0]->b_bdev, BIO_WRITE, v[0]->b_blocknr * v[0]->b_size, sv,
			  (unsigned)run);
	for (size_t i = 0; i < run; i++)
		bh_end_write(v[i], *err);
	kfree(sv);
	return run;
}

/* Writes every dirty buffer of bdev in block order, in runs: 0 or the
 * first -errno.  May sleep. */
static int writeback_dirty(struct block_device *bdev)
{
	struct buffer_head **v;
	size_t n, i;
	int err = 0, e;

	v = bh_collect_dirty(bdev, &n);
	for (i = 0; i < n; ) {
		size_t run = write_run(v + i, n - i, &e);

		if (e && !err)
			err = e;
		while (run--)
			brelse(v[i++]);
	}
	kfree(v);
	/* Out of memory for the array: write one at a time instead. */
	if (!v && n == 0)
		err = bh_write_each(bdev, err);
	return err;
}

/* Writes every dirty buffer of bdev in block order, in runs, without a
 * flush (a journal's checkpoint, durable at the next flush): 0 or the
 * first -errno.  May sleep. */
int write_dirty_buffers(struct block_device *bdev)
{
	return writeback_dirty(bdev);
}

/* Writes every dirty buffer of bdev in block order, then flushes the
 * device: 0 or the first -errno. May sleep. */
int sync_blockdev(struct block_device *bdev)
{
	int err = writeback_dirty(bdev), e;

	if (bdev->read_only)
		return err;
	e = blk_rw(bdev, BIO_FLUSH, 0, NULL, 0);
	return err ? err : e;
}

/* Forgets the unreferenced clean buffers of bdev (after unmount). */
void invalidate_bdev(struct block_device *bdev)
{
	struct buffer_head *bh, *next;

	list_for_each_entry_safe(bh, next, &bh_lru, b_lru) {
		if (bh->b_bdev == bdev && !bh->b_count && !bh->b_busy && !bh->b_dirty)
			bh_free(bh);
	}
}

static struct wait_queue bdflush_wq = WAIT_QUEUE_INIT(bdflush_wq);
static bool bdflush_kicked;
static bool bg_wanted;		/* past the background mark: bdflush writes back */
static bool period_changed;	/* vm.dirty_writeback_centisecs was written */

/* The sysctl changed: bdflush takes the new period at once.  Never sleeps. */
void bdflush_period_changed(void)
{
	period_changed = true;
	wake_up(&bdflush_wq);
}

/* When the next periodic sync is due, or ~0 for never. */
static u64 bdflush_due(void)
{
	if (!sysctl_dirty_writeback_centisecs)
		return ~0ULL;
	return os_monotonic_ns() + sysctl_dirty_writeback_centisecs * 10000000ULL;
}

/* Past the background mark: wakes bdflush once for a pass.  Never sleeps. */
static void bg_writeback_kick(void)
{
	if (bg_wanted)
		return;
	bg_wanted = true;
	wake_up(&bdflush_wq);
}

/*
 * The background pass: dirty buffers written back, a device at a time,
 * until under half the mark, or a pass that cleans nothing (I/O errors,
 * or every buffer busy).  No flush: durability is still fsync's and
 * sync's.  Writers go on meanwhile; what they dirty during a pass is
 * taken by the next.  May sleep.
 */
static void bg_writeback(void)
{
	while (bh_dirty_bytes > BH_DIRTY_BG / 2 && !list_empty(&bh_dirty)) {
		u64 before = bh_dirty_bytes;

		writeback_dirty(list_first_entry(&bh_dirty, struct buffer_head,
						 b_dirty_list)->b_bdev);
		if (bh_dirty_bytes >= before)
			break;
	}
	bg_wanted = false;
}

/* Asks bdflush to write everything back now (memory pressure: dirty data
 * cannot be reclaimed until it is clean).  Never sleeps. */
void wakeup_flusher(void)
{
	bdflush_kicked = true;
	wake_up(&bdflush_wq);
}

/*
 * sync_all every vm.dirty_writeback_centisecs (five seconds; 0: never,
 * as Linux) and when kicked; background passes in between.
 */
static void bdflush(void *arg)
{
	u64 due = bdflush_due();

	for (;;) {
		if (!bdflush_kicked && !bg_wanted && !period_changed) {
			if (due == ~0ULL)
				sleep_on(&bdflush_wq, false);
			else
				sleep_on_timeout(&bdflush_wq, false, due);
		}
		if (period_changed) {
			period_changed = false;
			due = bdflush_due();
			continue;
		}
		if (!bdflush_kicked && bg_wanted && os_monotonic_ns() < due) {
			bg_writeback();
			continue;
		}
		if (!bdflush_kicked && os_monotonic_ns() < due)
			continue;	/* woken early, for nothing */
		bdflush_kicked = false;
		sync_all();
		due = bdflush_due();
	}
}

/* Sets up the hash table and starts the periodic writeback thread. */
void buffer_init(void)
{
	struct task *t;

	t = kthread_create(bdflush, NULL, "bdflush");
	if (IS_ERR_OR_NULL(t))
		printk(KERN_ERR "buffer: cannot start the writeback thread\n");
}
