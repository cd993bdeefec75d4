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
 * A buffer is "busy" while its I/O is in flight: a synchronous I/O
 * sleeps, a readahead request completes on its own (ra_end_io), and
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
 * Readahead, as Linux's on-demand readahead (mm/readahead.c) but over a
 * device's blocks.  A miss reads the blocks its caller asked for (a
 * read(2)'s run of consecutive blocks) with one request; a miss that
 * continues the device's last read (or that a caller says starts a file)
 * is sequential and reads a window ahead too: its first one sized from
 * the request (ra_init_blocks), each next one twice the last, up to
 * /sys/block/<disk>/queue/read_ahead_kb (0: none).  The block after the
 * request carries a marker; a reader that reaches it sends the next
 * window without waiting (ra_async), a request per run of blocks not
 * cached, and that window's first block carries the next marker, so
 * the disk reads a window ahead while the reader copies.  A reader waits
 * only for the request holding its block.  A miss that continues nothing
 * reads only what was asked: a random pattern costs no readahead.
 */
#define RA_REQ_MAX_BYTES	(1u << 20)	/* the largest request */
#define RA_REQ_BLOCKS(size)	(RA_REQ_MAX_BYTES / (size))
#define RA_WIN_MAX_BYTES	(16u << 20)	/* the largest window read_ahead_kb gets */

/* The window limit of bdev in blocks of size bytes: 0 for no readahead. */
static u32 ra_max_blocks(const struct block_device *bdev, unsigned size)
{
	return (u32)(min((u64)bdev->ra_kb * 1024, (u64)RA_WIN_MAX_BYTES) / size);
}

/* The first window for a request of want blocks, as Linux's
 * get_init_ra_size: 4x a small request, 2x a middling one, else max. */
u32 ra_init_blocks(u32 want, u32 max)
{
	u32 n = 1;

	while (n < want && n < (1u << 30))
		n <<= 1;
	if (n <= max / 32)
		n *= 4;
	else if (n <= max / 4)
		n *= 2;
	else
		n = max;
	return max(n, want);
}

/* The window after one of cur blocks: twice it, at most max. */
u32 ra_next_blocks(u32 cur, u32 max)
{
	return cur >= max / 2 ? max : cur * 2;
}

/* Makes bh a marker: a reader reaching it sends win blocks at next
 * (none past limit).  The device's oldest marker makes room.  Never
 * sleeps. */
static void ra_set_mark(struct buffer_head *bh, u64 next, u32 win, u64 limit)
{
	struct block_device *bdev = bh->b_bdev;
	unsigned i = (bdev->ra_mark_last + 1) % ARRAY_SIZE(bdev->ra_marks);

	bdev->ra_mark_last = i;
	bdev->ra_marks[i] = (struct ra_mark){ .block = bh->b_blocknr, .next = next,
					      .limit = limit, .win = win };
	bh->b_ra_mark = true;
}

/* An asynchronous readahead request: its bio, its busy buffers. */
struct ra_req {
	struct bio bio;
	unsigned n;
	struct buffer_head **bhs;	/* n, then the n segments */
};

/* A readahead request completed (IRQ context): its buffers are up to
 * date, or not (a reader that needs one reads it again and reports the
 * error).  Never sleeps. */
static void ra_end_io(struct bio *bio)
{
	struct ra_req *rq = bio->private;

	for (unsigned i = 0; i < rq->n; i++) {
		struct buffer_head *bh = rq->bhs[i];

		bh->b_busy = false;
		bh->b_uptodate = !bio->error;
		wake_up(&bh->b_wait);
		brelse(bh);
	}
	kfree(rq);
}

/* New busy buffers for the uncached blocks [block, block + n) (stops at
 * a cached one, at the device's end or out of memory): how many, in
 * bhs[first..].  Never sleeps. */
static unsigned ra_alloc_run(struct block_device *bdev, u64 block, unsigned size,
			     struct buffer_head **bhs, unsigned first, unsigned n)
{
	unsigned i = first;

	for (; i < n; i++) {
		u64 b = block + i;

		if ((b + 1) * size > bdev->size || bh_find(bdev, b, size))
			break;
		if (bh_over_budget(size))	/* as getblk: cold clean buffers make room */
			bh_free_cold((u64)size * 64);
		if ((bhs[i] = bh_alloc(bdev, b, size)) == NULL)
			break;
		bhs[i]->b_busy = true;
		bhs[i]->b_verified = 0;	/* new bytes: a check is due again */
	}
	return i;
}

/* Sends one request for the uncached run at block, up to n blocks:
 * the blocks it took (0: block is cached or no memory).  Never sleeps. */
static unsigned ra_submit_run(struct block_device *bdev, u64 block, unsigned size, unsigned n)
{
	struct ra_req *rq = kmalloc(sizeof(*rq) + n * (sizeof(void *) + sizeof(struct blk_seg)));
	struct blk_seg *segs;

	if (!rq)
		return 0;
	rq->bhs = (struct buffer_head **)(rq + 1);
	segs = (struct blk_seg *)(rq->bhs + n);
	rq->n = ra_alloc_run(bdev, block, size, rq->bhs, 0, n);
	if (!rq->n) {
		kfree(rq);
		return 0;
	}
	for (unsigned i = 0; i < rq->n; i++)
		segs[i] = (struct blk_seg){ .buf = rq->bhs[i]->b_data, .len = size };
	if (current != NULL)
		current->ioac.read_bytes += (u64)rq->n * size;	/* /proc/PID/io */
	memset(&rq->bio, 0, sizeof(rq->bio));
	rq->bio.offset = block * size;
	rq->bio.segs = segs;
	rq->bio.nsegs = rq->n;
	rq->bio.end_io = ra_end_io;
	rq->bio.private = rq;
	n = rq->n;		/* rq may be gone once sent */
	blk_submit_read(bdev, &rq->bio);
	return n;
}

/*
 * Sends the window [start, start + win) without waiting: a request per
 * run of blocks not cached.  Its first block carries the marker for the
 * next window.  Never sleeps.
 */
static void ra_async(struct block_device *bdev, u64 start, u32 win, unsigned size, u64 limit)
{
	u32 max = ra_max_blocks(bdev, size);
	struct buffer_head *mark;
	u64 b = start, end = min(start + win, limit);

	if (!max || !win || start >= end)
		return;
	while (b < end && (b + 1) * size <= bdev->size) {
		unsigned got;

		if (bh_find(bdev, b, size)) {
			b++;
			continue;
		}
		got = ra_submit_run(bdev, b, size, (unsigned)min(end - b, (u64)RA_REQ_BLOCKS(size)));
		if (!got)
			break;		/* out of memory: the rest later, by a miss */
		b += got;
	}
	bdev->ra_next = b;
	bdev->ra_blocks = win;
	mark = bh_find(bdev, start, size);
	if (mark && b == end && end < limit)
		ra_set_mark(mark, end, ra_next_blocks(win, max), limit);
}

/* bh, found by a reader: if it carries a readahead marker, the next
 * window goes out now.  Never sleeps. */
static void ra_hit(struct buffer_head *bh)
{
	struct block_device *bdev = bh->b_bdev;

	bh->b_ra_mark = false;
	for (unsigned i = 0; i < ARRAY_SIZE(bdev->ra_marks); i++) {
		struct ra_mark m = bdev->ra_marks[i];

		if (m.win && m.block == bh->b_blocknr) {
			bdev->ra_marks[i].win = 0;
			ra_async(bdev, m.next, m.win, bh->b_size, m.limit);
			return;
		}
	}
}

/* Reads blocks [block, block+n) into bhs[0..n) (all busy) with one
 * vectored request, straight into the buffers. May sleep. */
static int read_run(struct block_device *bdev, struct buffer_head **bhs, unsigned n,
		    u64 block, unsigned size)
{
	struct blk_seg *segs;
	int err;

	if (n == 1)
		return blk_rw(bdev, BIO_READ, block * size, bhs[0]->b_data, size);
	segs = kmalloc(n * sizeof(*segs));
	if (!segs) {		/* no memory for the vector: a request a block */
		err = 0;
		for (unsigned i = 0; i < n && !err; i++)
			err = blk_rw(bdev, BIO_READ, (block + i) * size, bhs[i]->b_data, size);
		return err;
	}
	for (unsigned i = 0; i < n; i++)
		segs[i] = (struct blk_seg){ .buf = bhs[i]->b_data, .len = size };
	err = blk_rw_vec(bdev, BIO_READ, block * size, segs, n);
	kfree(segs);
	return err;
}

/* The window a miss at block for want blocks reads: want alone, or with
 * readahead when sequential (seq: the caller knows it starts a file),
 * never past limit blocks. */
static u32 miss_window(struct block_device *bdev, u64 block, unsigned size, u32 want, bool seq,
		       u64 limit)
{
	u32 max = ra_max_blocks(bdev, size), win;

	want = min(max(want, 1u), RA_REQ_BLOCKS(size));
	if (!max || (!seq && block != bdev->ra_next)) {
		bdev->ra_blocks = 0;
		return want;
	}
	if (bdev->ra_blocks && block == bdev->ra_next)
		win = ra_next_blocks(bdev->ra_blocks, max);
	else
		win = ra_init_blocks(want, max);
	win = min(max(win, want), RA_REQ_BLOCKS(size));
	bdev->ra_blocks = win;
	return (u32)max(min((u64)win, limit), (u64)want);
}

/* Reads bh (busy, its block not up to date) and the blocks of its window
 * after it: bh, or NULL on error (bh released).  May sleep. */
static struct buffer_head *bread_miss(struct block_device *bdev, struct buffer_head *bh,
				      u32 want, bool seq, u64 left)
{
	u64 block = bh->b_blocknr;
	unsigned size = bh->b_size;
	u32 win = miss_window(bdev, block, size, want, seq, left);
	struct buffer_head **bhs = win > 1 ? kmalloc(win * sizeof(*bhs)) : &bh;
	unsigned n = 1;
	int err;

	if (!bhs)
		bhs = &bh, win = 1;
	bhs[0] = bh;
	bh->b_busy = true;
	bh->b_verified = 0;
	n = ra_alloc_run(bdev, block, size, bhs, 1, win);
	bdev->ra_next = block + n;
	if (n > want && want < win && win < left) {	/* the marker: the next window */
		ra_set_mark(bhs[want], block + win, ra_next_blocks(win, ra_max_blocks(bdev, size)),
			    left > ~0ULL - block ? ~0ULL : block + left);
	}
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
	if (bhs != &bh)
		kfree(bhs);
	if (err) {
		printk(KERN_ERR "%s: read error %d at block %llu\n", bdev->name,
		       err, (unsigned long long)block);
		brelse(bh);
		return NULL;
	}
	return bh;
}

/* The block, read from disk if needed: a reference, or NULL. May sleep. */
static struct buffer_head *bread_wait(struct block_device *bdev, u64 block, unsigned size,
				      bool shared, u32 want, bool seq, u64 left)
{
	struct buffer_head *bh = bh_find(bdev, block, size);
	u64 off;

	if (bh && bh->b_ra_mark) {
		ra_hit(bh);
		bh = bh_find(bdev, block, size);	/* making room may have freed it */
	}
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
	return bread_miss(bdev, bh, want, seq, max(left, (u64)want));
}

struct buffer_head *bread(struct block_device *bdev, u64 block, unsigned size)
{
	return bread_wait(bdev, block, size, false, 1, false, ~0ULL);
}

struct buffer_head *bread_shared(struct block_device *bdev, u64 block, unsigned size)
{
	return bread_wait(bdev, block, size, true, 1, false, ~0ULL);
}

/*
 * bread_shared for a file read that goes on for want blocks from block,
 * consecutive on disk (a miss reads them with one request); seq when
 * the read starts the file (Linux's readahead takes offset 0 as
 * sequential); left: the file's blocks from this one to its end, which
 * bounds the readahead (the file taken as laid out in order on disk, as
 * a file written in order is).  May sleep.
 */
struct buffer_head *bread_file(struct block_device *bdev, u64 block, unsigned size, u32 want,
			       bool seq, u64 left)
{
	return bread_wait(bdev, block, size, true, want, seq, left);
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
