/*
 * file.c - ext2 regular files.  read(2) and write(2) go through the
 * buffer cache; holes read as zeros.  A read maps each run of
 * consecutive disk blocks (or of a hole) with one look-up, then copies
 * the blocks' bytes out of their buffers; a write goes a block at a
 * time.  Page cache pages (mappings, exec) are filled straight from the disk instead
 * (ext2_readpages): the page's blocks are mapped, and each physically
 * contiguous run of them is read with one request into the page frames
 * themselves, without a buffer-cache copy; a block the buffer cache holds
 * up to date is copied from there (it may be newer than the disk).
 */
#include "ext2.h"
#include "kernel/mm.h"
#include "kernel/sched.h"
#include "uapi/linux/fs.h"

#define RD_BATCH	32	/* blocks mapped before they are copied */

/*
 * One batch of a read: the buffers (NULL for a hole) of consecutive
 * blocks and the bytes of each that the read takes, mapped a run of
 * blocks per look-up (one walk of the block map or extent tree for up
 * to RD_BATCH blocks instead of one per block), then copied out.
 */
struct rd_batch {
	struct buffer_head *bh[RD_BATCH];
	u32 off[RD_BATCH], len[RD_BATCH];
	unsigned n;
};

/* Maps and reads the blocks of up to RD_BATCH pieces of [pos, end) into
 * b, a run of blocks per look-up: 0, or -errno for the block after the
 * last one b holds.  Caller holds the fs lock.  May sleep. */
static long rd_map(struct inode *inode, struct rd_batch *b, u64 pos, u64 end)
{
	struct super_block *sb = inode->i_sb;
	unsigned bs = sb->s_blocksize;
	u64 block = 0;
	long run = 0;

	for (b->n = 0; b->n < RD_BATCH && pos < end; b->n++, run--) {
		u32 off = (u32)(pos % bs), len = (u32)min((u64)(bs - off), end - pos);
		struct buffer_head *bh = NULL;

		if (!run) {
			run = ext2_map_run(inode, pos / bs, min((u64)(RD_BATCH - b->n),
						DIV_ROUND_UP(end, bs) - pos / bs), &block);
			if (run < 0)
				return run;
		} else if (block) {
			block++;
		}
		if (block) {
			/* the run's rest is read with it on a miss; the file's
			 * first block starts a sequential read */
			bh = bread_file(sb->s_bdev, block, bs, (u32)min(run, (long)RD_BATCH),
					pos < bs, DIV_ROUND_UP(inode->i_size, bs) - pos / bs);
			if (!bh)
				return -EIO;
			buffer_mark_file(bh, inode, pos >> PAGE_SHIFT);
		}
		b->bh[b->n] = bh;
		b->off[b->n] = off;
		b->len[b->n] = len;
		pos += len;
	}
	return 0;
}

/* Copies b's pieces out to u (holes as zeros) and releases its buffers:
 * 0 or -EFAULT (u->done counts what was copied).  May sleep. */
static long rd_copy(struct uio *u, struct rd_batch *b)
{
	long err = 0;

	for (unsigned i = 0; i < b->n; i++) {
		struct buffer_head *bh = b->bh[i];

		if (!err && bh)
			err = uio_copy_out(u, bh->b_data + b->off[i], b->len[i]);
		else if (!err)
			err = uio_zero_out(u, b->len[i]);
		if (bh)
			brelse(bh);
	}
	b->n = 0;
	return err;
}

/* Reads an inline-data file (a few hundred bytes at most) at pos. */
static long ext2_read_inline_file(struct inode *inode, struct uio *u, u64 pos)
{
	u8 buf[EXT2_FAST_LINK_MAX + 1024];
	size_t n;
	int got;

	if (pos >= inode->i_size)
		return 0;
	got = ext2_read_inline(inode, buf, (size_t)min(inode->i_size, (u64)sizeof(buf)));
	if (got < 0)
		return got;
	if ((u64)got < inode->i_size)
		return ext2_error(inode->i_sb, "inline data shorter than the file in inode",
				  inode->i_ino);
	n = (size_t)min((u64)(u->len - u->done), (u64)got - pos);
	return uio_copy_out(u, buf + pos, n);
}

static ssize_t ext2_file_read(struct file *f, struct uio *u, loff_t *ppos)
{
	struct inode *inode = f->f_inode;
	size_t start = u->done;
	u64 pos = (u64)*ppos;
	long err = 0;

	if (*ppos < 0)
		return -EINVAL;
	ext2_lock(inode->i_sb);
	if (EXT2_I(inode)->i_flags & EXT4_INLINE_DATA_FL) {
		err = ext2_read_inline_file(inode, u, pos);
		pos += u->done - start;
	}
	while (!(EXT2_I(inode)->i_flags & EXT4_INLINE_DATA_FL) && !err && u->done < u->len &&
	       pos < inode->i_size) {
		struct rd_batch b;
		size_t before = u->done;
		long cerr;

		err = rd_map(inode, &b, pos, pos + min((u64)(u->len - u->done), inode->i_size - pos));
		cerr = rd_copy(u, &b);
		pos += u->done - before;
		if (cerr)
			err = cerr;
	}
	ext2_unlock(inode->i_sb);
	*ppos = (loff_t)pos;
	if (u->done > start)
		return (ssize_t)(u->done - start);
	return err;
}

#define RP_MAX_PAGES	32	/* filemap's largest window */

struct rp_run {
	struct block_device *bdev;
	unsigned bs;
	u64 first, next;		/* disk blocks [first, next) */
	struct blk_seg segs[RP_MAX_PAGES];
	unsigned nsegs;
};

/* Reads the pending run into its page frames: 0 or -EIO. May sleep. */
static int rp_flush(struct rp_run *r)
{
	int err;

	if (!r->nsegs)
		return 0;
	err = blk_rw_vec(r->bdev, BIO_READ, r->first * r->bs, r->segs, r->nsegs);
	if (!err && current != NULL)
		current->ioac.read_bytes += (r->next - r->first) * r->bs;	/* /proc/PID/io */
	r->nsegs = 0;
	if (err) {
		printk(KERN_ERR "%s: read error %d at block %llu\n", r->bdev->name, err,
		       (unsigned long long)r->first);
		return -EIO;
	}
	return 0;
}

/* Adds disk block pblk, to be read to dst, to the run (flushing a run it
 * does not continue): 0 or -EIO.  May sleep. */
static int rp_add(struct rp_run *r, u64 pblk, u8 *dst)
{
	struct blk_seg *last = r->nsegs ? &r->segs[r->nsegs - 1] : NULL;
	int err;

	if (last && pblk == r->next) {
		if ((u8 *)last->buf + last->len == dst) {
			last->len += r->bs;
			r->next++;
			return 0;
		}
		if (r->nsegs < RP_MAX_PAGES) {
			r->segs[r->nsegs++] = (struct blk_seg){ .buf = dst, .len = r->bs };
			r->next++;
			return 0;
		}
	}
	err = rp_flush(r);
	if (err)
		return err;
	r->first = pblk;
	r->next = pblk + 1;
	r->segs[r->nsegs++] = (struct blk_seg){ .buf = dst, .len = r->bs };
	return 0;
}

/*
 * Fills pages[0..n) (consecutive indexes) of a block-mapped file from the
 * disk: holes and bytes past the end read as zeros, blocks the buffer
 * cache holds are copied from it, the rest read in runs of consecutive
 * disk blocks.  Inline-data files go through ext2_file_read.  The fs lock
 * is held throughout, so no write can change a block or the mapping
 * between the look-up and the read.  0 or -errno.  May sleep.
 */
static int ext2_readpages(struct inode *inode, struct page **pages, unsigned n)
{
	struct super_block *sb = inode->i_sb;
	struct rp_run r = { .bdev = sb->s_bdev, .bs = sb->s_blocksize };
	unsigned per = PAGE_SIZE / r.bs;
	int err = 0;

	if (n > RP_MAX_PAGES)
		return -EINVAL;
	ext2_lock(sb);
	for (unsigned i = 0; i < n && !err; i++) {
		u8 *base = page_address(pages[i]);
		u64 start = pages[i]->index << PAGE_SHIFT;

		if (EXT2_I(inode)->i_flags & EXT4_INLINE_DATA_FL) {
			struct uio u = { .kernel = true, .kbuf = base, .len = PAGE_SIZE };
			struct file f = { .f_count = 1, .f_mode = FMODE_READ, .f_inode = inode };
			loff_t pos = (loff_t)start;
			ssize_t got = ext2_file_read(&f, &u, &pos);

			if (got < 0)
				err = (int)got;
			else
				memset(base + got, 0, PAGE_SIZE - (size_t)got);
			continue;
		}
		for (unsigned j = 0; j < per && !err; j++) {
			u64 lblk = start / r.bs + j, pblk;
			u8 *dst = base + j * r.bs;
			struct buffer_head *bh;

			if (lblk * r.bs >= inode->i_size) {
				memset(dst, 0, PAGE_SIZE - j * r.bs);
				break;
			}
			err = ext2_get_block(inode, lblk, false, &pblk);
			if (err)
				break;
			if (!pblk) {
				memset(dst, 0, r.bs);
				continue;
			}
			bh = bget_cached_shared(r.bdev, pblk, r.bs);
			if (bh) {
				memcpy(dst, bh->b_data, r.bs);
				brelse(bh);
				continue;
			}
			err = rp_add(&r, pblk, dst);
		}
	}
	if (!err)
		err = rp_flush(&r);
	ext2_unlock(sb);
	if (err)
		return err;
	/* What the disk holds past the end of the file within its last block
	 * is not the file's: zeros, as Linux's page cache shows. */
	for (unsigned i = 0; i < n; i++) {
		u64 start = pages[i]->index << PAGE_SHIFT;

		if (start < inode->i_size && inode->i_size - start < PAGE_SIZE)
			memset((u8 *)page_address(pages[i]) + (inode->i_size - start), 0,
			       PAGE_SIZE - (inode->i_size - start));
	}
	return 0;
}

/* Zeros for a new block that gets no buffer (the largest block size: 4 KiB). */
static u8 zero_block[4096] __attribute__((aligned(4096)));

/* No buffer for the new, unzeroed block (out of memory): zeros go
 * straight to its place on the disk, so its old bytes never show
 * through the file; -ENOMEM (-EIO if even that fails).  May sleep. */
static long ext2_write_unfilled(struct super_block *sb, u64 block)
{
	if (blk_rw(sb->s_bdev, BIO_WRITE, block * sb->s_blocksize, zero_block, sb->s_blocksize))
		return -EIO;
	return -ENOMEM;
}

/*
 * Copies n bytes of u into the file at pos (within one block). A block
 * the write allocates is not zeroed first and then overwritten: only
 * the bytes around the write are zeroed, and if the copy faults the
 * whole block is, as Linux zeroes a new block whose copy fell short
 * (the disk's old bytes never show).  May sleep.
 */
static long ext2_write_block(struct inode *inode, struct uio *u, u64 pos, size_t n)
{
	struct super_block *sb = inode->i_sb;
	unsigned bs = sb->s_blocksize, off = (unsigned)(pos % bs);
	struct buffer_head *bh;
	u64 block;
	long err, fresh;

	fresh = ext2_get_block(inode, pos / bs, EXT2_GET_NEW, &block);
	if (fresh < 0)
		return fresh;
	if (n == bs || fresh)
		bh = getblk(sb->s_bdev, block, bs);
	else
		bh = bread(sb->s_bdev, block, bs);
	if (!bh)
		return fresh ? ext2_write_unfilled(sb, block) : -EIO;
	buffer_mark_file(bh, inode, pos >> PAGE_SHIFT);
	if (fresh && !uio_in_present(u, n)) {
		/* The copy may sleep in a page fault that reads this very
		 * block through a mapping of the file: all zeros meanwhile. */
		memset(bh->b_data, 0, bs);
		bh->b_uptodate = true;
	} else if (fresh) {
		memset(bh->b_data, 0, off);
		memset(bh->b_data + off + n, 0, bs - off - n);
	}
	err = uio_copy_in(u, bh->b_data + off, n);
	if (err && fresh)
		memset(bh->b_data + off, 0, n);
	if (!err || bh->b_uptodate || fresh)
		mark_buffer_dirty(bh);
	brelse(bh);
	return err;
}

/*
 * A write found no free block, but blocks freed in the running
 * transaction (an rm just before) wait for its commit: commit it now,
 * what this write did so far included (its size too), and say to try
 * again, as Linux's ext4_should_retry_alloc forces a commit.  Only at
 * the outermost lock level, where no other operation is half done.
 * May sleep.
 */
static bool ext2_enospc_retry(struct inode *inode)
{
	struct super_block *sb = inode->i_sb;

	if (!ext2_has_busy(sb) || EXT2_SB(sb)->depth != 1)
		return false;
	mark_inode_dirty(inode);
	return ext2_commit(sb) == 0;
}

static ssize_t ext2_file_write(struct file *f, struct uio *u, loff_t *ppos)
{
	struct inode *inode = f->f_inode;
	unsigned bs = inode->i_sb->s_blocksize;
	size_t start = u->done;
	u64 pos = (u64)*ppos, end;
	long err = 0;

	if (inode->i_sb->s_rdonly)
		return -EROFS;
	if (*ppos < 0 || __builtin_add_overflow(pos, (u64)(u->len - u->done), &end))
		return -EINVAL;
	ext2_lock(inode->i_sb);
	while (u->done < u->len) {
		size_t n = min((u64)(u->len - u->done), (u64)(bs - pos % bs));

		err = ext2_write_block(inode, u, pos, n);
		if (err == -ENOSPC && ext2_enospc_retry(inode))
			continue;
		if (err)
			break;
		pos += n;
		if (pos > inode->i_size)
			inode->i_size = pos;
	}
	if (err && pos / bs >= DIV_ROUND_UP(inode->i_size, bs)) {
		/* The failed copy (EFAULT) may have allocated a block past the
		 * end: give it back, or the size does not cover it. */
		u64 size = inode->i_size;

		inode->i_size = pos + 1;
		ext2_truncate(inode, size);
	}
	if (u->done > start) {
		inode->i_mtime = inode->i_ctime = current_time();
		mark_inode_dirty(inode);
	}
	ext2_unlock(inode->i_sb);
	*ppos = (loff_t)pos;
	if (u->done > start)
		return (ssize_t)(u->done - start);
	return err;
}

/* Makes the file durable: with a journal, the whole running transaction commits. */
int ext2_fsync(struct file *f)
{
	struct super_block *sb = f->f_inode->i_sb;
	int err;

	if (sb->s_rdonly)
		return 0;
	ext2_lock(sb);
	err = ext2_commit(sb);
	ext2_unlock(sb);
	return err;
}

/* Files mapped by extents (ext4) take every mode ext4 has; ext2/3 maps none, as Linux's. */
static long ext2_fallocate(struct file *f, int mode, loff_t off, loff_t len)
{
	if (!ext2_has_extents(f->f_inode))
		return -EOPNOTSUPP;
	return generic_fallocate(f, mode, off, len, FALLOC_FL_PUNCH_HOLE |
				 FALLOC_FL_COLLAPSE_RANGE | FALLOC_FL_ZERO_RANGE | FALLOC_FL_INSERT_RANGE);
}

/*
 * ioctl on an ext2/3/4 file or directory: FITRIM (fstrim(8)), root only,
 * as Linux's ext4_ioctl_trim: the range in bytes in, the bytes trimmed
 * back in range.len.  Anything else -ENOTTY.  May sleep.
 */
long ext2_ioctl(struct file *f, unsigned cmd, u64 arg)
{
	struct super_block *sb = f->f_inode->i_sb;
	u64 bs = EXT2_SB(sb)->blocksize, blocks = sb->s_bdev->size / bs, trimmed, start, len;
	struct fstrim_range r;
	long err;

	if (cmd != FITRIM)
		return -ENOTTY;
	if (current->euid != 0)
		return -EPERM;
	if (copy_from_user(&r, UADDR(arg), sizeof(r)) < 0)
		return -EFAULT;
	if (sb->s_rdonly)
		return -EROFS;
	start = r.start / bs;
	if (start >= blocks || r.minlen > (blocks * bs) / 2)
		return -EINVAL;
	len = min(r.len / bs, blocks - start);
	err = ext2_trim_fs(sb, start, len, max(DIV_ROUND_UP(r.minlen, bs), (u64)1), &trimmed);
	if (err < 0)
		return err;
	r.len = trimmed * bs;
	return copy_to_user(UADDR(arg), &r, sizeof(r)) < 0 ? -EFAULT : 0;
}

const struct file_operations ext2_file_fops = {
	.ioctl = ext2_ioctl,
	.fallocate = ext2_fallocate,
	.read = ext2_file_read,
	.write = ext2_file_write,
	.llseek = generic_file_llseek,
	.fsync = ext2_fsync,
	.readpages = ext2_readpages,
};

const struct inode_operations ext2_file_iops = {
	.setattr = ext2_setattr,
};

const struct inode_operations ext2_special_iops = {
	.setattr = ext2_setattr,
};
