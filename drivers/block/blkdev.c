/*
 * blkdev.c - the block device registry and synchronous block I/O.
 *
 * Drivers register a struct block_device; filesystems find it by dev_t
 * or by name and read or write through blk_rw(), which queues one bio on
 * the driver and sleeps until the driver's IRQ handler calls
 * blk_complete().
 */
#include "kernel/blkdev.h"
#include "kernel/sched.h"
#include "shared/os.h"

LIST_HEAD(all_blkdevs);

/*
 * Adds bdev to the registry: 0, or -EEXIST if its dev or name is taken.
 * The driver sets unflushed if the device was written before (a COW
 * file made at open); else its first flush goes only after a write.
 */
int register_blkdev(struct block_device *bdev)
{
	struct block_device *b;

	list_for_each_entry(b, &all_blkdevs, list) {
		if (b->dev == bdev->dev || !strcmp(b->name, bdev->name))
			return -EEXIST;
	}
	list_add_tail(&bdev->list, &all_blkdevs);
	bdev->ra_kb = 128;	/* Linux's VM_READAHEAD_PAGES, 128 KiB */
	bdev->ra_next = ~0ULL;
	bdev->ra_blocks = 0;
	return 0;
}

/* Takes bdev out of the registry (its driver unplugged it). */
void unregister_blkdev(struct block_device *bdev)
{
	list_del(&bdev->list);
	INIT_LIST_HEAD(&bdev->list);
}

/* The device numbered dev, or NULL. */
struct block_device *blkdev_lookup(dev_t dev)
{
	struct block_device *b;

	list_for_each_entry(b, &all_blkdevs, list) {
		if (b->dev == dev)
			return b;
	}
	return NULL;
}

/* The device called name ("ubda" or "/dev/ubda"), or NULL. */
struct block_device *blkdev_by_name(const char *name)
{
	struct block_device *b;

	if (!name)
		return NULL;
	if (!strncmp(name, "/dev/", 5))
		name += 5;
	list_for_each_entry(b, &all_blkdevs, list) {
		if (!strcmp(b->name, name))
			return b;
	}
	return NULL;
}

static struct wait_queue blk_idle_wait = WAIT_QUEUE_INIT(blk_idle_wait);

/* A request goes in flight: its start time. */
static u64 blk_stat_start(struct block_device *bdev, int op)
{
	u64 now = os_monotonic_ns();

	bdev->stats.op_in_flight[op]++;
	if (bdev->stats.in_flight++ == 0)
		bdev->stats.busy_since = now;
	return now;
}

/* It completed: counted as Linux counts a request (a failed one too). */
static void blk_stat_done(struct block_device *bdev, const struct bio *bio)
{
	struct blk_stats *st = &bdev->stats;
	u64 now = os_monotonic_ns();

	st->op_in_flight[bio->op]--;
	st->ios[bio->op]++;
	st->sectors[bio->op] += bio->op == BIO_FLUSH ? 0 : bio->len / 512;
	st->ns[bio->op] += now - bio->start_ns;
	if (--st->in_flight == 0) {
		st->busy_ns += now - st->busy_since;
		wake_up(&blk_idle_wait);
	}
}

/* Waits until no request of bdev is in flight (readahead sends some
 * that nobody waits for): before its driver lets it go.  May sleep. */
void blk_drain(struct block_device *bdev)
{
	wait_event(blk_idle_wait, bdev->stats.in_flight == 0);
}

void blk_stat_fields(const struct block_device *bdev, u64 out[BLK_STAT_FIELDS])
{
	const struct blk_stats *st = &bdev->stats;
	static const int order[3] = { BIO_READ, BIO_WRITE, BIO_DISCARD };
	u64 busy = st->busy_ns, weighted = 0;
	int k = 0;

	if (st->in_flight > 0)
		busy += os_monotonic_ns() - st->busy_since;
	for (int i = 0; i < 4; i++)
		weighted += st->ns[i];
	for (int i = 0; i < 3; i++) {
		int op = order[i];

		out[k++] = st->ios[op];
		out[k++] = 0;			/* merges: every request goes alone */
		out[k++] = st->sectors[op];
		out[k++] = st->ns[op] / 1000000;
		if (i == 1) {
			out[k++] = st->in_flight;
			out[k++] = busy / 1000000;
			out[k++] = weighted / 1000000;
		}
	}
	out[k++] = st->ios[BIO_FLUSH];
	out[k++] = st->ns[BIO_FLUSH] / 1000000;
}

/*
 * Reads or writes len bytes at offset, flushes, or discards the range: 0
 * or -errno (-EIO for a short transfer, -EINVAL past the end of the
 * device, -EOPNOTSUPP for a discard the device cannot do).  May sleep.
 *
 * A flush with nothing written since the last one is not sent: a host
 * fdatasync costs a disk cache flush (a millisecond or more) even on a
 * clean file, and sync, fsync of a clean file and each step of a journal
 * commit ask for one.  The driver does requests in order (ubd's one I/O
 * thread), so a write sent before a flush is covered by it, and one sent
 * while it is in flight sets the flag again for the next.
 */
static struct wait_queue before_write_wait = WAIT_QUEUE_INIT(before_write_wait);

void blk_set_before_write(struct block_device *bdev,
			  int (*fn)(struct block_device *bdev, void *arg), void *arg)
{
	bdev->before_write = fn;
	bdev->before_write_arg = arg;
	if (!fn)
		wake_up(&before_write_wait);
}

/*
 * A write or discard is about to go to bdev: its before-write hook runs
 * first, once (it stays set if it fails, and the write fails with it);
 * a writer that comes while it runs waits for it.  May sleep.
 */
static int blk_before_write(struct block_device *bdev)
{
	int (*fn)(struct block_device *, void *);
	int err;

	for (;;) {
		if (!bdev->before_write || bdev->before_write_task == current)
			return 0;
		if (!bdev->before_write_task)
			break;
		wait_event(before_write_wait, !bdev->before_write_task);
	}
	fn = bdev->before_write;
	bdev->before_write_task = current;
	err = fn(bdev, bdev->before_write_arg);
	bdev->before_write_task = NULL;
	if (!err)
		bdev->before_write = NULL;
	wake_up(&before_write_wait);
	return err;
}

static int blk_do(struct block_device *bdev, int op, u64 offset, void *buf, u64 len,
		  const struct blk_seg *segs, unsigned nsegs)
{
	struct bio bio;
	u64 end;
	int err;

	if (op != BIO_READ && op != BIO_WRITE && op != BIO_FLUSH && op != BIO_DISCARD)
		return -EINVAL;
	if (op != BIO_FLUSH &&
	    (__builtin_add_overflow(offset, len, &end) || end > bdev->size))
		return -EINVAL;
	if ((op == BIO_WRITE || op == BIO_DISCARD) && bdev->read_only)
		return -EROFS;
	if ((op == BIO_WRITE || op == BIO_DISCARD) && (err = blk_before_write(bdev)) != 0)
		return err;
	if (op == BIO_FLUSH) {
		if (!bdev->unflushed)
			return 0;
		bdev->unflushed = false;
	} else if (op != BIO_READ) {
		bdev->unflushed = true;
	}
	memset(&bio, 0, sizeof(bio));
	bio.op = op;
	bio.offset = offset;
	bio.len = len;
	bio.buf = buf;
	bio.segs = segs;
	bio.nsegs = nsegs;
	init_waitqueue(&bio.wait);
	bio.bdev = bdev;
	bio.start_ns = blk_stat_start(bdev, op);
	bdev->ops->submit(bdev, &bio);
	wait_event(bio.wait, bio.done);
	if (op == BIO_FLUSH && bio.error)
		bdev->unflushed = true;	/* not durable: the next flush tries again */
	return bio.error;
}

int blk_rw(struct block_device *bdev, int op, u64 offset, void *buf, u64 len)
{
	return blk_do(bdev, op, offset, buf, len, NULL, 0);
}

/*
 * Reads or writes the pieces segs[0..n), consecutive on the device from
 * offset, with one request (no copy into one buffer): 0 or -errno as
 * blk_rw.  May sleep.
 */
int blk_rw_vec(struct block_device *bdev, int op, u64 offset, const struct blk_seg *segs,
	       unsigned n)
{
	u64 len = 0;

	if ((op != BIO_READ && op != BIO_WRITE) || n == 0)
		return -EINVAL;
	for (unsigned i = 0; i < n; i++)
		if (__builtin_add_overflow(len, segs[i].len, &len))
			return -EINVAL;
	return blk_do(bdev, op, offset, NULL, len, segs, n);
}

/*
 * Sends a read of segs[0..nsegs) at offset and returns at once; end_io
 * runs when it completes (or now, with -EINVAL past the device's end).
 * The caller set op, offset, segs, nsegs, end_io and private.  Never
 * sleeps.
 */
void blk_submit_read(struct block_device *bdev, struct bio *bio)
{
	u64 len = 0, end;

	for (unsigned i = 0; i < bio->nsegs; i++)
		if (__builtin_add_overflow(len, bio->segs[i].len, &len))
			len = ~0ULL;
	bio->op = BIO_READ;
	bio->len = len;
	bio->buf = NULL;
	bio->done = false;
	bio->bdev = NULL;	/* not counted: nothing went in flight */
	init_waitqueue(&bio->wait);
	if (bio->nsegs == 0 || __builtin_add_overflow(bio->offset, len, &end) ||
	    end > bdev->size) {
		blk_complete(bio, -EINVAL);
		return;
	}
	bio->bdev = bdev;
	bio->start_ns = blk_stat_start(bdev, BIO_READ);
	bdev->ops->submit(bdev, bio);
}

/* Ends bio with error (0 or -errno): counts it and wakes its sleeper or
 * calls its end_io. IRQ context. */
void blk_complete(struct bio *bio, int error)
{
	if (bio->bdev)
		blk_stat_done(bio->bdev, bio);
	bio->error = error;
	bio->done = true;
	if (bio->end_io)
		bio->end_io(bio);	/* may free it */
	else
		wake_up(&bio->wait);
}
