/*
 * blkdev.h - block devices and the buffer cache.
 *
 * A block device serves requests asynchronously: submit() queues one and
 * returns; the driver's IRQ handler calls blk_complete() which wakes the
 * sleeper.  The buffer cache (fs/buffer.c) keeps blocks of a device in
 * kmalloc'd buffers, sized from free memory; dirty buffers are written back by sync (sync_all,
 * fsync, unmount, power-off) and every few seconds by a kernel thread.
 */
#ifndef KERNEL_BLKDEV_H
#define KERNEL_BLKDEV_H

#include "kernel/wait.h"

#define BIO_READ	0
#define BIO_WRITE	1
#define BIO_FLUSH	2
#define BIO_DISCARD	3	/* the range's data may go: it reads back as zeros */

/* One piece of a vectored request: len bytes of kernel memory at buf. */
struct blk_seg {
	void *buf;
	u64 len;
};

struct bio {
	int op;
	u64 offset;		/* bytes from the start of the device */
	u64 len;		/* the segments' sum when nsegs > 0 */
	void *buf;		/* kernel memory (nsegs == 0) */
	const struct blk_seg *segs;	/* else consecutive pieces on disk */
	unsigned nsegs;
	int error;		/* 0 or -errno, valid when done */
	bool done;
	struct wait_queue wait;
	void *driver;		/* the driver's own */
	/* blk_submit's: called (IRQ context, never sleeping) when the bio
	 * completes, instead of a wake-up; it may free the bio. */
	void (*end_io)(struct bio *bio);
	void *private;		/* end_io's */
	struct block_device *bdev;	/* set by the block layer */
	u64 start_ns;		/* when it went in flight (the disk's counters) */
};

/*
 * A disk's I/O counters, as Linux's part_stat (Documentation/admin-guide/
 * iostats.rst), counted when a request completes, indexed by BIO_*:
 * requests, 512-byte sectors and nanoseconds spent; busy_ns is the time
 * with at least one request in flight.
 */
struct blk_stats {
	u64 ios[4], sectors[4], ns[4];
	u64 in_flight, busy_ns, busy_since;
	u64 op_in_flight[4];
};

struct block_device;
struct block_device_operations {
	void (*submit)(struct block_device *bdev, struct bio *bio);
};

struct block_device {
	char name[16];		/* "ubda" */
	dev_t dev;
	u64 size;		/* bytes */
	bool read_only;
	u32 discard_granularity;	/* /sys/block/<disk>/queue/: bytes; 0 cannot discard */
	u64 discard_max;		/* the largest discard request in bytes; 0 none */
	bool unflushed;		/* written (or discarded) since the last flush was sent */
	int openers;		/* mounts and open device files (hot-unplug waits for 0) */
	int mounts;		/* superblocks on it */
	const struct file *holder;	/* the O_EXCL open holding it, or NULL */
	bool ro_set;		/* BLKROSET: its device file refuses writes (EPERM) */
	unsigned block_size;	/* BLKBSZGET/BLKBSZSET's soft block size (fs/block_dev.c) */
	u32 cached_sizes;	/* the sizes (powers of two, OR'ed) its buffers ever had */
	const struct block_device_operations *ops;
	void *private_data;
	struct list_head list;
	struct blk_stats stats;
	u32 ra_kb;		/* /sys/block/<disk>/queue/read_ahead_kb: the readahead window's limit */
	u64 ra_next;		/* the block after the last read the buffer cache sent */
	u32 ra_blocks;		/* the size of its last readahead window, 0 none */
	/* Readahead markers (fs/buffer.c): reaching block sends win blocks
	 * at next, none past limit.  A few streams at once; the oldest goes. */
	struct ra_mark { u64 block, next, limit; u32 win; } ra_marks[4];
	unsigned ra_mark_last;
	/* Called before the first write or discard reaches the device, then
	 * cleared (blk_set_before_write): a filesystem makes its "mounted"
	 * superblock durable there instead of at mount.  Other writers wait
	 * while it runs; its own requests pass. */
	int (*before_write)(struct block_device *bdev, void *arg);
	void *before_write_arg;
	struct task *before_write_task;	/* running it, or NULL */
};

/* Sets (fn) or cancels (NULL) bdev's before-write hook.  Never sleeps. */
void blk_set_before_write(struct block_device *bdev,
			  int (*fn)(struct block_device *bdev, void *arg), void *arg);

/*
 * The 17 numbers of a /sys/block/<disk>/stat line (and of the disk's
 * /proc/diskstats line after its name), in that order: reads, merges,
 * sectors, ms; writes ...; in flight, io ms, weighted ms; discards ...;
 * flushes, ms.
 */
#define BLK_STAT_FIELDS	17
void blk_stat_fields(const struct block_device *bdev, u64 out[BLK_STAT_FIELDS]);

int register_blkdev(struct block_device *bdev);	/* also makes /dev/<name> later */
struct block_device *blkdev_lookup(dev_t dev);
struct block_device *blkdev_by_name(const char *name);	/* "ubda", "/dev/ubda" */
extern struct list_head all_blkdevs;
void unregister_blkdev(struct block_device *bdev);

/*
 * Hot-plug (mconsole's config/remove): "ubdN[r]=FILE" adds a disk and
 * its /dev node; "ubdN" names one.  0 or -errno, with msg saying why.
 * May sleep.
 */
int ubd_config(const char *spec, char *msg, size_t len);
int ubd_get_config(const char *name, char *msg, size_t len);
int ubd_remove(const char *name, char *msg, size_t len);

/* Synchronous I/O: submit and sleep until done.  May sleep. */
int blk_rw(struct block_device *bdev, int op, u64 offset, void *buf, u64 len);
/* The same for a read or write of segs[0..n) at offset: one request. */
int blk_rw_vec(struct block_device *bdev, int op, u64 offset, const struct blk_seg *segs,
	       unsigned n);
void blk_complete(struct bio *bio, int error);	/* from IRQ context */
/* Asynchronous read: sends bio (op, offset, segs, nsegs, end_io set)
 * without sleeping; bio->end_io runs at completion, also for an error
 * found here.  The bio must live until then. */
void blk_submit_read(struct block_device *bdev, struct bio *bio);
/* Waits until none of bdev's requests is in flight.  May sleep. */
void blk_drain(struct block_device *bdev);

struct buffer_head {
	struct block_device *b_bdev;
	u64 b_blocknr;
	unsigned b_size;
	u8 *b_data;
	int b_count;		/* references; 0 = only cached */
	bool b_uptodate, b_dirty, b_busy;
	bool b_writing;		/* b_busy with a write of its (valid) bytes: a
				 * reader that only copies them need not wait */
	/*
	 * What a filesystem checked the bytes as since they were read or
	 * last changed (Linux's buffer_verified, with a kind): 0 for nothing.
	 * Any change clears it (mark_buffer_dirty, a new read); the checker
	 * sets it again after its own changes, which keep the block valid.
	 */
	u8 b_verified;
	bool b_file;		/* holds a file's data (buffer_mark_file): meminfo's Cached, not Buffers */
	bool b_ra_mark;		/* a readahead marker: its window is in b_bdev->ra_marks */
	const void *b_owner;	/* b_file: the inode (never dereferenced) and */
	u64 b_index;		/* the page index in it, that meminfo looks up */
	struct wait_queue b_wait;
	struct buffer_head *b_hnext, **b_hpprev;	/* the hash chain */
	struct list_head b_lru;
	struct list_head b_dirty_list;	/* on the dirty list while b_dirty */
};

/* bread: the block, read if needed; a reference, or NULL on I/O error. May sleep. */
struct buffer_head *bread(struct block_device *bdev, u64 block, unsigned size);
/* The same for a reader that only copies the bytes out (read(2), a page
 * fill): a block being written back is read meanwhile, not waited for. */
struct buffer_head *bread_shared(struct block_device *bdev, u64 block, unsigned size);
/* The same for a file read of want blocks consecutive on disk from block
 * (one request on a miss); seq: it starts the file; left: the file's
 * blocks from there to its end (readahead stops there).  May sleep. */
struct buffer_head *bread_file(struct block_device *bdev, u64 block, unsigned size, u32 want,
			       bool seq, u64 left);
/* Readahead's window sizes in blocks (pure, for the unit tests): the
 * first for a request of want, and the one after a window of cur. */
u32 ra_init_blocks(u32 want, u32 max);
u32 ra_next_blocks(u32 cur, u32 max);
/* getblk: the buffer without reading (for blocks about to be overwritten). */
struct buffer_head *getblk(struct block_device *bdev, u64 block, unsigned size);
void brelse(struct buffer_head *bh);
/* bget_cached: the cached up-to-date buffer or NULL, never reads. May sleep. */
struct buffer_head *bget_cached(struct block_device *bdev, u64 block, unsigned size);
struct buffer_head *bget_cached_shared(struct block_device *bdev, u64 block, unsigned size);
/* bupdate_clean: bytes written to the disk directly reach a clean cached buffer. */
void bupdate_clean(struct block_device *bdev, u64 block, unsigned size, unsigned off,
		   const void *data, unsigned len);
void mark_buffer_dirty(struct buffer_head *bh);
int sync_dirty_buffer(struct buffer_head *bh);	/* May sleep. */
int sync_blockdev(struct block_device *bdev);	/* write dirty + flush. May sleep. */
int write_dirty_buffers(struct block_device *bdev);	/* write dirty, no flush. May sleep. */
void invalidate_bdev(struct block_device *bdev);
/* Freed blocks being discarded: their idle buffers go unwritten. */
void bforget_range(struct block_device *bdev, u64 block, u64 n, unsigned size);
/*
 * The device file's coherence with the buffer cache (fs/block_dev.c
 * reads and writes the disk directly), over every buffer size bdev's
 * buffers had: overlay copies the up-to-date cached bytes of [off,
 * off + len) over buf (just read from the disk); update gives data (NULL:
 * zeros) to every up-to-date cached buffer about to be written over
 * directly, clean or dirty.  Neither sleeps; wait_reads sleeps until no
 * buffer of the range has a read in flight (it would bring older bytes).
 */
void bdev_cache_overlay(struct block_device *bdev, u64 off, void *buf, u64 len);
void bdev_cache_update(struct block_device *bdev, u64 off, const void *data, u64 len);
void bdev_cache_wait_reads(struct block_device *bdev, u64 off, u64 len);
u64 buffer_cache_bytes(void);
struct inode;
/* bh holds file data, not metadata: inode's page index's bytes. */
void buffer_mark_file(struct buffer_head *bh, const struct inode *inode, u64 index);
u64 buffer_file_bytes(void);			/* of buffer_cache_bytes(), the file data */
/* Of those, the bytes whose page cached() says the page cache holds too. */
u64 buffer_file_twin_bytes(bool (*cached)(const void *arg, const void *owner, u64 index),
			   const void *arg);
void buffer_drop_clean(void);			/* never sleeps */
u64 buffer_shrink(u64 want_pages);		/* reclaim: pages freed. Never sleeps. */
void buffer_init(void);

#endif
