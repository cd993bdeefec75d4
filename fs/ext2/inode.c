/*
 * inode.c - inodes: on-disk inode I/O (ext2's 128 bytes and ext4's
 * extra fields: nanosecond times, creation time, checksum), the mapping
 * of file blocks (the block map of bmap.c or the extent tree of
 * extents.c, by the inode's EXTENTS flag), truncate, setattr.
 *
 * A hole reads as zeros.  Blocks are allocated near the file's last block
 * and zeroed in the buffer cache when new, so a partial write never
 * exposes old data.  i_blocks counts 512-byte sectors, tree blocks
 * included.  With metadata_csum every inode read is verified and every
 * inode written gets its checksum.
 */
#include "ext2.h"
#include "kernel/page.h"
#include "kernel/sched.h"

/* Finds inode ino's on-disk slot: its table block and byte offset. */
static int ext2_inode_loc(struct super_block *sb, u64 ino, u64 *block, u32 *off)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	u32 g, idx;

	if (ino < 1 || ino > sbi->es.s_inodes_count)
		return ext2_error(sb, "inode number out of range", ino);
	g = (u32)(ino - 1) / sbi->es.s_inodes_per_group;
	idx = (u32)(ino - 1) % sbi->es.s_inodes_per_group;
	*block = ext2_inode_table(sb, ext2_gd(sb, g)) + idx / sbi->inodes_per_block;
	*off = (idx % sbi->inodes_per_block) * sbi->inode_size;
	return 0;
}

/* True if inode is a symlink whose target lives in i_block. */
bool ext2_fast_symlink(struct inode *inode)
{
	struct ext2_inode_info *ei = EXT2_I(inode);
	u64 ea = ei->i_file_acl ? inode->i_sb->s_blocksize / 512 : 0;

	if (ei->i_flags & (EXT4_EXTENTS_FL | EXT4_INLINE_DATA_FL))
		return false;
	return S_ISLNK(inode->i_mode) && inode->i_blocks == ea;
}

/* True if i_block holds block pointers. */
static bool ext2_has_blocks(struct inode *inode)
{
	umode_t m = inode->i_mode;

	if (EXT2_I(inode)->i_flags & EXT4_INLINE_DATA_FL)
		return false;
	return S_ISREG(m) || S_ISDIR(m) || (S_ISLNK(m) && !ext2_fast_symlink(inode));
}

/*
 * Allocates a block near goal for inode into *out: zeroed in the buffer
 * cache (and dirty) when zero, else left for the caller to fill (no
 * buffer is made: a data block that a write covers, which the write
 * fills).  May sleep.
 */
int ext2_alloc_block(struct inode *inode, u64 goal, bool zero, u64 *out)
{
	struct super_block *sb = inode->i_sb;
	struct buffer_head *bh;
	u64 block;
	int err;

	err = ext2_new_block(sb, EXT2_I(inode)->group, goal, &block);
	if (err)
		return err;
	if (zero) {
		bh = getblk(sb->s_bdev, block, sb->s_blocksize);
		if (!bh) {
			ext2_free_blocks(sb, block, 1);
			return -ENOMEM;
		}
		memset(bh->b_data, 0, sb->s_blocksize);
		bh->b_uptodate = true;
		mark_buffer_dirty(bh);
		brelse(bh);
	}
	*out = block;
	ext2_add_blocks(inode, 1);
	return 0;
}

/* Allocates a zeroed block near goal for inode into *out. May sleep. */
int ext2_alloc_zeroed(struct inode *inode, u64 goal, u64 *out)
{
	return ext2_alloc_block(inode, goal, true, out);
}

/*
 * Maps logical block lblk of inode to a disk block in *out (0 for a hole
 * when !create); with create, allocates missing blocks (EXT2_GET_CREATE,
 * EXT2_GET_NEW: see ext2.h).  Returns 0 (1: a new unzeroed data block)
 * or -EIO, -ENOSPC, -EFBIG.  Caller holds the fs lock. May sleep.
 */
int ext2_get_block(struct inode *inode, u64 lblk, int create, u64 *out)
{
	if (EXT2_I(inode)->i_flags & EXT4_INLINE_DATA_FL)
		return create ? -EROFS : ext2_error(inode->i_sb, "block of inline inode",
						    inode->i_ino);
	if (ext2_has_extents(inode))
		return ext4_ext_get(inode, lblk, create, out);
	return ext2_bmap_get(inode, lblk, create, out);
}

/*
 * Maps the run of logical blocks from lblk (at most max, >= 1) that lie
 * in consecutive disk blocks or in one hole, with one look-up: its
 * length, with its first disk block in *out (0 for a hole), or -errno.
 * Never allocates (reads only).  Caller holds the fs lock.  May sleep.
 */
long ext2_map_run(struct inode *inode, u64 lblk, u64 max, u64 *out)
{
	if (EXT2_I(inode)->i_flags & EXT4_INLINE_DATA_FL)
		return ext2_error(inode->i_sb, "block of inline inode", inode->i_ino);
	if (ext2_has_extents(inode))
		return ext4_ext_run(inode, lblk, max, out);
	return ext2_bmap_run(inode, lblk, max, out);
}

/* Adds n (possibly negative) blocks to i_blocks. */
void ext2_add_blocks(struct inode *inode, long n)
{
	inode->i_blocks += (u64)(n * (long)(inode->i_sb->s_blocksize / 512));
	mark_inode_dirty(inode);
}

/* Sets i_op/i_fop from the file type. */
void ext2_set_ops(struct inode *inode)
{
	umode_t m = inode->i_mode;

	inode->i_op = &ext2_special_iops;
	inode->i_fop = NULL;
	if (S_ISREG(m)) {
		inode->i_op = &ext2_file_iops;
		inode->i_fop = &ext2_file_fops;
	} else if (S_ISDIR(m)) {
		inode->i_op = &ext2_dir_iops;
		inode->i_fop = &ext2_dir_fops;
	} else if (S_ISLNK(m)) {
		inode->i_op = &ext2_symlink_iops;
	} else if (S_ISCHR(m)) {
		inode->i_fop = &def_chr_fops;
	} else if (S_ISBLK(m)) {
		inode->i_fop = &def_blk_fops;
	} else if (S_ISFIFO(m)) {
		inode->i_fop = &def_fifo_fops;
	}
}

static dev_t ext2_decode_dev(const u32 *blk)
{
	u32 x;

	if (blk[0])
		return MKDEV((blk[0] >> 8) & 0xff, blk[0] & 0xff);
	x = blk[1];
	return MKDEV((x & 0xfff00) >> 8, (x & 0xff) | ((x >> 12) & 0xfff00));
}

static void ext2_encode_dev(dev_t dev, u32 *blk)
{
	unsigned ma = MAJOR(dev), mi = MINOR(dev);

	if (ma < 256 && mi < 256) {
		blk[0] = (ma << 8) | mi;
		blk[1] = 0;
	} else {
		blk[0] = 0;
		blk[1] = (mi & 0xff) | (ma << 8) | ((mi & ~0xffu) << 12);
	}
	blk[2] = 0;
}

/* True if the inode's extra space holds field end (bytes past 128). */
static bool ext2_fits(struct ext2_inode_info *ei, unsigned end)
{
	return ei->i_extra_isize >= end;
}

static void ext2_decode_time(struct ktimespec *t, u32 lo, u32 extra, bool has_extra)
{
	t->sec = (s32)lo;
	t->nsec = 0;
	if (has_extra) {
		t->sec += (s64)(extra & 3) << 32;
		t->nsec = extra >> 2;
	}
}

static u32 ext2_encode_time(const struct ktimespec *t, u32 *extra)
{
	*extra = (u32)(((t->sec - (s32)t->sec) >> 32) & 3) | (u32)(t->nsec << 2);
	return (u32)t->sec;
}

static void ext2_fill_times(struct inode *inode, const struct ext2_inode *raw)
{
	struct ext2_inode_info *ei = EXT2_I(inode);

	ext2_decode_time(&inode->i_atime, raw->i_atime, raw->i_atime_extra,
			 ext2_fits(ei, EXT2_INODE_FIELD_END(i_atime_extra)));
	ext2_decode_time(&inode->i_mtime, raw->i_mtime, raw->i_mtime_extra,
			 ext2_fits(ei, EXT2_INODE_FIELD_END(i_mtime_extra)));
	ext2_decode_time(&inode->i_ctime, raw->i_ctime, raw->i_ctime_extra,
			 ext2_fits(ei, EXT2_INODE_FIELD_END(i_ctime_extra)));
	if (ext2_fits(ei, EXT2_INODE_FIELD_END(i_crtime_extra))) {
		ei->i_crtime = raw->i_crtime;
		ei->i_crtime_extra = raw->i_crtime_extra;
	}
}

static void ext2_fill_inode(struct inode *inode, const struct ext2_inode *raw)
{
	struct ext2_inode_info *ei = EXT2_I(inode);
	struct ext2_sb_info *sbi = EXT2_SB(inode->i_sb);

	inode->i_mode = raw->i_mode;
	inode->i_uid = raw->i_uid | ((uid_t)raw->i_uid_high << 16);
	inode->i_gid = raw->i_gid | ((gid_t)raw->i_gid_high << 16);
	inode->i_nlink = raw->i_links_count;
	inode->i_size = raw->i_size;
	if (S_ISREG(raw->i_mode) ||
	    (S_ISDIR(raw->i_mode) &&
	     (sbi->es.s_feature_incompat & EXT4_FEATURE_INCOMPAT_LARGEDIR)))
		inode->i_size |= (u64)raw->i_size_high << 32;
	inode->i_blocks = raw->i_blocks;
	if (sbi->huge_file) {
		inode->i_blocks |= (u64)raw->i_blocks_high << 32;
		if (raw->i_flags & EXT4_HUGE_FILE_FL)
			inode->i_blocks *= sbi->blocksize / 512;
	}
	memcpy(ei->i_block, raw->i_block, sizeof(ei->i_block));
	ei->i_flags = raw->i_flags & ~EXT4_HUGE_FILE_FL;
	ei->i_file_acl = raw->i_file_acl;
	if (sbi->is64)
		ei->i_file_acl |= (u64)raw->i_file_acl_high << 32;
	ei->i_dtime = raw->i_dtime;
	ei->i_generation = raw->i_generation;
	ei->i_osd1 = raw->i_osd1;
	ei->i_faddr = raw->i_faddr;
	ei->csum_seed = ext2_inode_seed(inode->i_sb, (u32)inode->i_ino, raw->i_generation);
	ext2_fill_times(inode, raw);
	if (S_ISCHR(inode->i_mode) || S_ISBLK(inode->i_mode))
		inode->i_rdev = ext2_decode_dev(raw->i_block);
	ei->group = (u32)(inode->i_ino - 1) / sbi->es.s_inodes_per_group;
}

/* Checks a raw inode before use: checksum, sizes, flags. 0 or -EIO. */
static int ext2_check_raw(struct inode *inode, const u8 *slot, const struct ext2_inode *raw)
{
	struct super_block *sb = inode->i_sb;
	struct ext2_sb_info *sbi = EXT2_SB(sb);

	if (!ext2_inode_csum_ok(sb, (u32)inode->i_ino, slot)) {
		printk(KERN_ERR "ext4: inode %llu: checksum wrong\n",
		       (unsigned long long)inode->i_ino);
		return ext2_error(sb, "inode checksum error", inode->i_ino);
	}
	if (!raw->i_mode || (!raw->i_links_count && !sbi->orphan_scan))
		return ext2_error(sb, "reference to a deleted inode", inode->i_ino);
	if (sbi->inode_size > EXT2_GOOD_OLD_INODE_SIZE &&
	    (raw->i_extra_isize % 4 ||
	     raw->i_extra_isize > sbi->inode_size - EXT2_GOOD_OLD_INODE_SIZE))
		return ext2_error(sb, "bad extra inode size in inode", inode->i_ino);
	if ((raw->i_flags & EXT4_EXTENTS_FL) && !sbi->extents)
		return ext2_error(sb, "extents without the extent feature in inode", inode->i_ino);
	if ((raw->i_flags & EXT4_INLINE_DATA_FL) &&
	    !(sbi->es.s_feature_incompat & EXT4_FEATURE_INCOMPAT_INLINE_DATA))
		return ext2_error(sb, "inline data without the feature in inode", inode->i_ino);
	if (!(raw->i_flags & EXT4_EA_INODE_FL) != !sbi->ea_iget)
		return ext2_error(sb, sbi->ea_iget ? "xattr value in an inode without EA_INODE_FL" :
				  "reference to an xattr inode", inode->i_ino);
	return 0;
}

/* Reads the raw inode (the first 160 bytes, zero-padded) into raw; keeps inline data. */
static int ext2_read_raw(struct inode *inode, struct ext2_inode *raw)
{
	struct super_block *sb = inode->i_sb;
	struct buffer_head *bh;
	u64 block;
	u32 off;
	int err;

	err = ext2_inode_loc(sb, inode->i_ino, &block, &off);
	if (err)
		return err;
	bh = bread(sb->s_bdev, block, EXT2_SB(sb)->blocksize);
	if (!bh)
		return -EIO;
	memset(raw, 0, sizeof(*raw));
	memcpy(raw, bh->b_data + off, min((u32)sizeof(*raw), EXT2_SB(sb)->inode_size));
	if (EXT2_SB(sb)->inode_size <= EXT2_GOOD_OLD_INODE_SIZE)
		raw->i_extra_isize = 0;
	err = ext2_check_raw(inode, bh->b_data + off, raw);
	brelse(bh);
	return err;
}

/* Reads inode->i_ino from disk: 0, -EIO (corrupt) or -ENOMEM. May sleep. */
int ext2_read_inode(struct inode *inode)
{
	struct super_block *sb = inode->i_sb;
	struct ext2_inode_info *ei;
	struct ext2_inode raw;
	int err;

	err = ext2_read_raw(inode, &raw);
	if (err)
		return err;
	if (S_ISDIR(raw.i_mode) && raw.i_size % EXT2_SB(sb)->blocksize &&
	    !(raw.i_flags & EXT4_INLINE_DATA_FL))
		return ext2_error(sb, "directory size not a multiple of blocks", inode->i_ino);
	ei = kzalloc(sizeof(*ei));
	if (!ei)
		return -ENOMEM;
	inode->i_private = ei;
	ei->i_extra_isize = raw.i_extra_isize;
	ext2_fill_inode(inode, &raw);
	if (ext2_has_extents(inode) && ext4_ext_check_root(inode)) {
		kfree(ei);
		inode->i_private = NULL;
		return -EIO;
	}
	ext2_set_ops(inode);
	return 0;
}

static void ext2_fill_raw_times(struct inode *inode, struct ext2_inode *raw)
{
	struct ext2_inode_info *ei = EXT2_I(inode);
	u32 a, m, c;

	raw->i_atime = ext2_encode_time(&inode->i_atime, &a);
	raw->i_mtime = ext2_encode_time(&inode->i_mtime, &m);
	raw->i_ctime = ext2_encode_time(&inode->i_ctime, &c);
	if (ext2_fits(ei, EXT2_INODE_FIELD_END(i_ctime_extra)))
		raw->i_ctime_extra = c;
	if (ext2_fits(ei, EXT2_INODE_FIELD_END(i_mtime_extra)))
		raw->i_mtime_extra = m;
	if (ext2_fits(ei, EXT2_INODE_FIELD_END(i_atime_extra)))
		raw->i_atime_extra = a;
	if (ext2_fits(ei, EXT2_INODE_FIELD_END(i_crtime_extra))) {
		raw->i_crtime = ei->i_crtime;
		raw->i_crtime_extra = ei->i_crtime_extra;
	}
}

static void ext2_fill_raw(struct inode *inode, struct ext2_inode *raw)
{
	struct ext2_inode_info *ei = EXT2_I(inode);
	struct ext2_sb_info *sbi = EXT2_SB(inode->i_sb);

	raw->i_mode = (u16)inode->i_mode;
	raw->i_uid = (u16)inode->i_uid;
	raw->i_uid_high = (u16)(inode->i_uid >> 16);
	raw->i_gid = (u16)inode->i_gid;
	raw->i_gid_high = (u16)(inode->i_gid >> 16);
	raw->i_links_count = (u16)inode->i_nlink;
	raw->i_size = (u32)inode->i_size;
	if (S_ISREG(inode->i_mode) || (S_ISDIR(inode->i_mode) && sbi->extents))
		raw->i_size_high = (u32)(inode->i_size >> 32);
	raw->i_blocks = (u32)inode->i_blocks;
	if (sbi->huge_file)
		raw->i_blocks_high = (u16)(inode->i_blocks >> 32);
	raw->i_dtime = ei->i_dtime;
	raw->i_flags = ei->i_flags;
	raw->i_osd1 = ei->i_osd1;	/* i_version's low half; an EA inode's reference count */
	raw->i_file_acl = (u32)ei->i_file_acl;
	if (sbi->is64)
		raw->i_file_acl_high = (u16)(ei->i_file_acl >> 32);
	raw->i_generation = ei->i_generation;
	raw->i_extra_isize = ei->i_extra_isize;
	ext2_fill_raw_times(inode, raw);
	memcpy(raw->i_block, ei->i_block, sizeof(raw->i_block));
	if (S_ISCHR(inode->i_mode) || S_ISBLK(inode->i_mode))
		ext2_encode_dev(inode->i_rdev, raw->i_block);
}

/* A file of 2 GiB or more needs the large_file feature on disk. */
static void ext2_note_large(struct inode *inode)
{
	struct ext2_sb_info *sbi = EXT2_SB(inode->i_sb);

	if (inode->i_size < (1ull << 31) || !S_ISREG(inode->i_mode) ||
	    (sbi->es.s_feature_ro_compat & EXT2_FEATURE_RO_COMPAT_LARGE_FILE))
		return;
	sbi->es.s_feature_ro_compat |= EXT2_FEATURE_RO_COMPAT_LARGE_FILE;
	sbi->sb_dirty = true;
}

/* Writes inode to its slot in the inode table: 0 or -errno. May sleep. */
int ext2_write_inode(struct inode *inode)
{
	struct super_block *sb = inode->i_sb;
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	unsigned len = min((u32)sizeof(struct ext2_inode), sbi->inode_size);
	struct buffer_head *bh;
	struct ext2_inode raw;
	u64 block;
	u32 off;
	int err;

	if (sb->s_rdonly || !inode->i_private)
		return 0;
	ext2_lock(sb);
	err = ext2_inode_loc(sb, inode->i_ino, &block, &off);
	if (err)
		goto out;
	err = -EIO;
	bh = bread(sb->s_bdev, block, sbi->blocksize);
	if (!bh)
		goto out;
	memset(&raw, 0, sizeof(raw));
	memcpy(&raw, bh->b_data + off, len);
	ext2_fill_raw(inode, &raw);
	ext2_note_large(inode);
	memcpy(bh->b_data + off, &raw, len);
	ext2_inode_csum_set(sb, EXT2_I(inode)->csum_seed, bh->b_data + off);
	ext2_dirty_meta(sb, bh);
	brelse(bh);
	err = 0;
out:
	ext2_unlock(sb);
	return err;
}

/* Finds the in-inode xattr system.data (inline data past i_block) in slot: its bytes. */
static const u8 *ext2_inline_xattr(struct super_block *sb, const u8 *slot, u16 extra, u32 *len)
{
	u32 start = EXT2_GOOD_OLD_INODE_SIZE + extra + 4, end = EXT2_SB(sb)->inode_size, off;

	*len = 0;
	if (start > end || *(const u32 *)(slot + start - 4) != 0xEA020000u)
		return NULL;
	for (off = start; off + 16 <= end && *(const u32 *)(slot + off); ) {
		const u8 *e = slot + off;
		u8 nlen = e[0], index = e[1];
		u16 voff = *(const u16 *)(e + 2);
		u32 vsize = *(const u32 *)(e + 8);

		if (off + 16 + nlen > end)
			break;
		if (index == 7 && nlen == 4 && !memcmp(e + 16, "data", 4)) {
			if ((u64)start + voff + vsize > end)
				return NULL;
			*len = vsize;
			return slot + start + voff;
		}
		off += (16u + nlen + 3) & ~3u;
	}
	return NULL;
}

/*
 * Copies the first len bytes of an inline-data inode (i_block, then the
 * system.data xattr in the inode) into buf: the count copied or -errno.
 */
int ext2_read_inline(struct inode *inode, u8 *buf, size_t len)
{
	struct super_block *sb = inode->i_sb;
	struct buffer_head *bh;
	const u8 *more;
	u64 block;
	u32 off, mlen;
	size_t n = min(len, (size_t)EXT2_FAST_LINK_MAX);
	int err = ext2_inode_loc(sb, inode->i_ino, &block, &off);

	if (err)
		return err;
	memcpy(buf, EXT2_I(inode)->i_block, n);
	if (len <= n)
		return (int)n;
	bh = bread(sb->s_bdev, block, sb->s_blocksize);
	if (!bh)
		return -EIO;
	more = ext2_inline_xattr(sb, bh->b_data + off, EXT2_I(inode)->i_extra_isize, &mlen);
	mlen = (u32)min((size_t)mlen, len - n);
	if (more)
		memcpy(buf + n, more, mlen);
	brelse(bh);
	return (int)(n + (more ? mlen : 0));
}

/* Frees the on-disk inode (no links left) and the memory. May sleep. */
void ext2_evict_inode(struct inode *inode)
{
	struct super_block *sb = inode->i_sb;
	struct ext2_inode_info *ei = EXT2_I(inode);

	if (!ei)
		return;
	if (inode->i_nlink == 0 && !sb->s_rdonly) {
		ext2_lock(sb);
		ext2_orphan_del(inode);
		if (ext2_has_blocks(inode))
			ext2_truncate(inode, 0);
		inode->i_size = 0;
		ext2_xattr_delete_inode(inode);
		ei->i_dtime = (u32)current_time().sec;
		inode->i_dirty = true;
		ext2_write_inode(inode);
		ext2_free_inode_no(sb, (u32)inode->i_ino, S_ISDIR(inode->i_mode));
		ext2_unlock(sb);
	}
	ext2_dindex_drop(inode);
	kfree(ei);
	inode->i_private = NULL;
}

/* The largest file size a block map (or, with extents, an extent tree) and i_blocks can describe. */
u64 ext2_max_size(struct super_block *sb, bool extents)
{
	u64 apb = EXT2_SB(sb)->addr_per_block;
	u64 blocks = ext2_bmap_max_blocks(sb);
	u64 limit = (1ull << 32) * 512 / sb->s_blocksize - (1 + apb + apb * apb);

	if (extents) {
		blocks = 0xffffffffull;
		limit = EXT2_SB(sb)->huge_file ? blocks :
			(1ull << 32) * 512 / sb->s_blocksize - (blocks / 300 + 8);
	}
	return min(blocks, limit) * sb->s_blocksize;
}

/* Zeroes the bytes of the last block past size, so a later grow reads zeros. */
static int ext2_zero_tail(struct inode *inode, u64 size)
{
	struct super_block *sb = inode->i_sb;
	unsigned off = (unsigned)(size % sb->s_blocksize);
	struct buffer_head *bh;
	u64 block;
	int err;

	if (!off)
		return 0;
	err = ext2_get_block(inode, size / sb->s_blocksize, false, &block);
	if (err || !block)
		return err;
	bh = bread(sb->s_bdev, block, sb->s_blocksize);
	if (!bh)
		return -EIO;
	memset(bh->b_data + off, 0, sb->s_blocksize - off);
	mark_buffer_dirty(bh);
	brelse(bh);
	return 0;
}

/* Frees the blocks past i_size (an orphan's, after a crash). Lock held. May sleep. */
int ext2_trim_blocks(struct inode *inode)
{
	u64 start = DIV_ROUND_UP(inode->i_size, inode->i_sb->s_blocksize);

	if (!ext2_has_blocks(inode))
		return 0;
	if (ext2_has_extents(inode))
		return ext4_ext_truncate(inode, start);
	return ext2_bmap_truncate(inode, start);
}

/*
 * Sets inode's size: shrinking frees the blocks past the end, growing
 * leaves a hole.  Caller holds the fs lock. May sleep.
 */
int ext2_truncate(struct inode *inode, u64 size)
{
	u64 start = DIV_ROUND_UP(size, inode->i_sb->s_blocksize);
	int err;

	if (EXT2_I(inode)->i_flags & EXT4_INLINE_DATA_FL)
		return -EROFS;
	if (size >= inode->i_size) {
		/* Blocks past the old size may hold stale bytes of the last block. */
		err = ext2_zero_tail(inode, inode->i_size);
		if (!err)
			inode->i_size = size;
		mark_inode_dirty(inode);
		return err;
	}
	err = ext2_zero_tail(inode, size);
	inode->i_size = size;
	mark_inode_dirty(inode);
	if (err)
		return err;
	if (ext2_has_extents(inode))
		return ext4_ext_truncate(inode, start);
	return ext2_bmap_truncate(inode, start);
}

static int ext2_check_setattr(struct inode *inode, struct iattr *attr)
{
	if (inode->i_sb->s_rdonly)
		return -EROFS;
	if (attr->valid & ~(ATTR_MODE | ATTR_UID | ATTR_GID | ATTR_SIZE | ATTR_ATIME |
			    ATTR_MTIME | ATTR_CTIME))
		return -EINVAL;
	if (!(attr->valid & ATTR_SIZE))
		return 0;
	if (S_ISDIR(inode->i_mode))
		return -EISDIR;
	if (!S_ISREG(inode->i_mode))
		return -EINVAL;
	if (attr->size > ext2_max_size(inode->i_sb, ext2_has_extents(inode)))
		return -EFBIG;
	return 0;
}

/* Changes the attributes named in attr->valid: 0 or -errno. May sleep. */
int ext2_setattr(struct inode *inode, struct iattr *attr)
{
	struct ktimespec now = current_time();
	int err;

	err = ext2_check_setattr(inode, attr);
	if (err)
		return err;
	ext2_lock(inode->i_sb);
	if (attr->valid & ATTR_SIZE) {
		if (attr->size != inode->i_size)
			err = ext2_truncate(inode, attr->size);
		inode->i_mtime = now;
	}
	setattr_copy(inode, attr);
	mark_inode_dirty(inode);
	ext2_unlock(inode->i_sb);
	return err;
}

/*
 * Clears inode ino's on-disk slot, so no old field survives.  A block not
 * cached whose other inodes are all free is zeroed whole instead of read:
 * an untar's new inodes fill fresh inode-table blocks, and each read was a
 * synchronous trip to the disk.  May sleep.
 */
static int ext2_clear_slot(struct super_block *sb, u32 ino)
{
	struct buffer_head *bh;
	u64 block;
	u32 off;
	int err;

	err = ext2_inode_loc(sb, ino, &block, &off);
	if (err)
		return err;
	bh = bget_cached(sb->s_bdev, block, sb->s_blocksize);
	if (!bh && ext2_inode_block_alone(sb, ino)) {
		/* getblk waits for a read in flight: none can land after the memset. */
		bh = getblk(sb->s_bdev, block, sb->s_blocksize);
		if (bh && !bh->b_uptodate) {
			memset(bh->b_data, 0, sb->s_blocksize);
			bh->b_uptodate = true;
		}
	}
	if (!bh)
		bh = bread(sb->s_bdev, block, sb->s_blocksize);
	if (!bh)
		return -EIO;
	memset(bh->b_data + off, 0, EXT2_SB(sb)->inode_size);
	ext2_dirty_meta(sb, bh);
	brelse(bh);
	return 0;
}

static void ext2_init_new(struct inode *inode, struct inode *dir, umode_t mode)
{
	static u32 generation;
	struct ext2_inode_info *ei = EXT2_I(inode);
	struct ext2_sb_info *sbi = EXT2_SB(inode->i_sb);

	inode->i_mode = mode;
	inode->i_uid = current ? current->euid : 0;
	inode->i_gid = current ? current->egid : 0;
	if (dir->i_mode & S_ISGID) {
		inode->i_gid = dir->i_gid;
		if (S_ISDIR(mode))
			inode->i_mode |= S_ISGID;
	}
	inode->i_nlink = 1;
	inode->i_atime = inode->i_mtime = inode->i_ctime = current_time();
	ei->group = (u32)(inode->i_ino - 1) / EXT2_SB(inode->i_sb)->es.s_inodes_per_group;
	ei->i_generation = ++generation ^ (u32)inode->i_ctime.nsec;
	ei->csum_seed = ext2_inode_seed(inode->i_sb, (u32)inode->i_ino, ei->i_generation);
	if (sbi->inode_size > EXT2_GOOD_OLD_INODE_SIZE) {
		u32 want = max((u32)sbi->es.s_want_extra_isize,
			       (u32)EXT2_INODE_FIELD_END(i_crtime_extra));

		ei->i_extra_isize = (u16)min(want, sbi->inode_size - EXT2_GOOD_OLD_INODE_SIZE);
		ei->i_crtime = (u32)inode->i_ctime.sec;
		ei->i_crtime_extra = ((u32)(inode->i_ctime.sec >> 32) & 3) |
				     (u32)(inode->i_ctime.nsec << 2);
	}
	if (sbi->extents && (S_ISREG(mode) || S_ISDIR(mode)))
		ext4_ext_init(inode);
	ext2_set_ops(inode);
	mark_inode_dirty(inode);
}

/*
 * A new inode of mode (file type included) for a new entry in dir, with
 * one link, in the cache: a reference or ERR_PTR. Caller holds the lock.
 */
struct inode *ext2_new_inode(struct inode *dir, umode_t mode)
{
	struct super_block *sb = dir->i_sb;
	struct inode *inode;
	u32 ino;
	int err;

	err = ext2_new_inode_no(sb, EXT2_I(dir)->group, S_ISDIR(mode), &ino);
	if (err)
		return ERR_PTR(err);
	err = -ENOMEM;
	inode = new_inode(sb);
	if (!inode)
		goto out_ino;
	inode->i_private = kzalloc(sizeof(struct ext2_inode_info));
	if (!inode->i_private)
		goto out_inode;
	inode->i_ino = ino;
	err = ext2_clear_slot(sb, ino);
	if (err)
		goto out_private;
	ext2_init_new(inode, dir, mode);
	inode_insert(inode);
	return inode;
out_private:
	kfree(inode->i_private);
out_inode:
	kfree(inode);
out_ino:
	ext2_free_inode_no(sb, ino, S_ISDIR(mode));
	return ERR_PTR(err);
}
