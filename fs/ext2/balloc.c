/*
 * balloc.c - block and inode allocation (ext2, ext3, ext4).
 *
 * Each group has a block bitmap and an inode bitmap, one block each,
 * anywhere in the flex group with flex_bg.  Allocation searches from the
 * goal (a block next to the file's last one, or the goal group) onwards;
 * every change keeps the bitmap, its checksum, the group's free count,
 * its descriptor checksum and the superblock's free count in step, so
 * e2fsck finds them exact.  With uninit_bg or metadata_csum a group may
 * be marked BLOCK_UNINIT / INODE_UNINIT: its bitmap on disk is not
 * written yet and is computed here (as e2fsck and Linux compute it) the
 * first time the group is used; bg_itable_unused follows the highest
 * inode ever used in the group.
 */
#include "ext2.h"
#include "kernel/page.h"

static bool ext2_uninit_ok(struct ext2_sb_info *sbi)
{
	return sbi->metadata_csum || sbi->gdt_csum;
}

/* Number of blocks in group g. */
static u32 ext2_group_blocks(struct super_block *sb, u32 g)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	u64 left = ext2_blocks_count(sbi) - ext2_group_first(sb, g);

	return left < sbi->es.s_blocks_per_group ? (u32)left : sbi->es.s_blocks_per_group;
}

/* Number of inodes in group g. */
static u32 ext2_group_inodes(struct ext2_sb_info *sbi, u32 g)
{
	u32 ipg = sbi->es.s_inodes_per_group;

	return min(ipg, sbi->es.s_inodes_count - g * ipg);
}

/* The first clear bit in [from, n) of map, or -1. */
static long find_zero_bit(const u8 *map, u32 from, u32 n)
{
	u32 i;

	for (i = from; i < n; i++) {
		if ((i & 7) == 0 && i + 8 <= n && map[i >> 3] == 0xff) {
			i += 7;
			continue;
		}
		if (!ext2_bit(map, i))
			return i;
	}
	return -1;
}

static void set_bits(u8 *map, u64 from, u64 to)
{
	for (; from < to; from++)
		map[from >> 3] |= (u8)(1u << (from & 7));
}

/* True if block may hold file data, an indirect, extent or xattr block. */
bool ext2_block_valid(struct super_block *sb, u64 block)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);

	return block > sbi->es.s_first_data_block + sbi->gd_blocks &&
	       block < ext2_blocks_count(sbi);
}

/* True if all of [block, block + count) may hold data. */
bool ext2_range_valid(struct super_block *sb, u64 block, u64 count)
{
	return count && ext2_block_valid(sb, block) && block + count >= block &&
	       ext2_block_valid(sb, block + count - 1);
}

/* Marks in map (group g's block bitmap) the blocks in g of metadata range [b, b+n). */
static void ext2_mark_in_group(struct super_block *sb, u32 g, u8 *map, u64 b, u64 n)
{
	u64 first = ext2_group_first(sb, g), end = first + ext2_group_blocks(sb, g);
	u64 lo = max(b, first), hi = min(b + n, end);

	if (lo < hi)
		set_bits(map, lo - first, hi - first);
}

/* Computes the block bitmap of a BLOCK_UNINIT group: its metadata in use, the rest free. */
static void ext2_init_block_bitmap(struct super_block *sb, u32 g, u8 *map)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	u64 itb = sbi->es.s_inodes_per_group / sbi->inodes_per_block;
	u32 h;

	memset(map, 0, sbi->blocksize);
	set_bits(map, 0, ext2_group_overhead(sb, g));
	for (h = 0; h < sbi->groups; h++) {
		struct ext2_group_desc *gd = ext2_gd(sb, h);

		ext2_mark_in_group(sb, g, map, ext2_block_bitmap(sb, gd), 1);
		ext2_mark_in_group(sb, g, map, ext2_inode_bitmap(sb, gd), 1);
		ext2_mark_in_group(sb, g, map, ext2_inode_table(sb, gd), itb);
	}
	set_bits(map, ext2_group_blocks(sb, g), 8ull * sbi->blocksize);
}

static u32 ext2_block_bitmap_csum_of(struct super_block *sb, const struct ext2_group_desc *gd)
{
	u32 c = gd->bg_block_bitmap_csum;

	if (EXT2_SB(sb)->desc_size >= 64)
		c |= (u32)gd->bg_block_bitmap_csum_hi << 16;
	return c;
}

static u32 ext2_inode_bitmap_csum_of(struct super_block *sb, const struct ext2_group_desc *gd)
{
	u32 c = gd->bg_inode_bitmap_csum;

	if (EXT2_SB(sb)->desc_size >= 64)
		c |= (u32)gd->bg_inode_bitmap_csum_hi << 16;
	return c;
}

/* The crc32c of group g's block (inode: !block) bitmap, cut to the descriptor's width. */
static u32 ext2_map_csum(struct super_block *sb, const u8 *map, bool block)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	u32 bits = block ? sbi->es.s_blocks_per_group : sbi->es.s_inodes_per_group;
	u32 c = ext2_bitmap_csum(sb, map, bits / 8);

	return sbi->desc_size >= 64 ? c : c & 0xffff;
}

/* Stores the checksum of group g's bitmap (block or inode) in its descriptor. */
static void ext2_set_map_csum(struct super_block *sb, struct ext2_group_desc *gd,
			      const u8 *map, bool block)
{
	u32 c;

	if (!EXT2_SB(sb)->metadata_csum)
		return;
	c = ext2_map_csum(sb, map, block);
	if (block) {
		gd->bg_block_bitmap_csum = (u16)c;
		if (EXT2_SB(sb)->desc_size >= 64)
			gd->bg_block_bitmap_csum_hi = (u16)(c >> 16);
	} else {
		gd->bg_inode_bitmap_csum = (u16)c;
		if (EXT2_SB(sb)->desc_size >= 64)
			gd->bg_inode_bitmap_csum_hi = (u16)(c >> 16);
	}
}

/*
 * Group g's block (or inode) bitmap, computed if the group is uninit,
 * its checksum verified otherwise: a reference or NULL (-EIO reported).
 */
static struct buffer_head *ext2_read_bitmap(struct super_block *sb, u32 g, bool block)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	struct ext2_group_desc *gd = ext2_gd(sb, g);
	u64 where = block ? ext2_block_bitmap(sb, gd) : ext2_inode_bitmap(sb, gd);
	u16 flag = block ? EXT4_BG_BLOCK_UNINIT : EXT4_BG_INODE_UNINIT;
	struct buffer_head *bh;

	if (ext2_uninit_ok(sbi) && (gd->bg_flags & flag)) {
		bh = getblk(sb->s_bdev, where, sbi->blocksize);
		if (!bh)
			return NULL;
		if (block) {
			ext2_init_block_bitmap(sb, g, bh->b_data);
		} else {
			memset(bh->b_data, 0, sbi->blocksize);
			set_bits(bh->b_data, sbi->es.s_inodes_per_group, 8ull * sbi->blocksize);
		}
		bh->b_uptodate = true;
		/* Computed, not read: nothing to check it against (and its
		 * checksum may wait for the commit once it changes). */
		bh->b_verified = EXT2_BV_BITMAP;
		return bh;
	}
	bh = ext2_bread_meta(sb, where);	/* to change: see there */
	/* Verified once when read: every change since kept the checksum. */
	if (!bh || !sbi->metadata_csum || bh->b_verified == EXT2_BV_BITMAP)
		return bh;
	if (ext2_map_csum(sb, bh->b_data, block) !=
	    (block ? ext2_block_bitmap_csum_of(sb, gd) : ext2_inode_bitmap_csum_of(sb, gd))) {
		printk(KERN_ERR "ext4: group %u: %s bitmap checksum wrong\n", g,
		       block ? "block" : "inode");
		ext2_error(sb, "bitmap checksum error in group", g);
		brelse(bh);
		return NULL;
	}
	bh->b_verified = EXT2_BV_BITMAP;
	return bh;
}

/*
 * Records a change to group g's bitmap bh: checksum, flag, descriptor.
 * A bitmap the running transaction holds gets its checksum at the commit
 * instead (ext2_bitmap_csum_flush, before anything is copied into the
 * log): one crc32c of the bitmap a transaction, not one a block or inode
 * taken (8% of a 64 MiB write on ext4).  Pinned, the buffer is neither
 * written home nor dropped and read back against the old checksum
 * before then.  Not journalled (or the transaction full), at once.
 */
static void ext2_bitmap_changed(struct super_block *sb, u32 g, struct buffer_head *bh, bool block)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	struct ext2_group_desc *gd = ext2_gd(sb, g);
	u32 slot = 2 * g + (block ? 0 : 1);

	gd->bg_flags &= (u16)~(block ? EXT4_BG_BLOCK_UNINIT : EXT4_BG_INODE_UNINIT);
	if (ext2_dirty_meta_pinned(sb, bh) && sbi->metadata_csum) {
		if (!sbi->csum_stale)
			sbi->csum_stale = kcalloc(2 * (size_t)sbi->groups, sizeof(*sbi->csum_stale));
		if (sbi->csum_stale && (!sbi->csum_stale[slot] || sbi->csum_stale[slot] == bh)) {
			sbi->csum_stale[slot] = bh;
			/* our change kept it a valid bitmap; its checksum waits */
			bh->b_verified = EXT2_BV_BITMAP;
			ext2_gd_dirty(sb, g);
			return;
		}
	}
	if (sbi->csum_stale && sbi->csum_stale[slot] == bh)
		sbi->csum_stale[slot] = NULL;
	ext2_set_map_csum(sb, gd, bh->b_data, block);
	if (sbi->metadata_csum)
		bh->b_verified = EXT2_BV_BITMAP;	/* its checksum is the one just set */
	ext2_gd_dirty(sb, g);
}

/*
 * Stores the checksums ext2_bitmap_changed left for the commit, with the
 * descriptors' own.  Caller holds the lock; ext2_commit, before the
 * superblock and the log are written.  Never sleeps.
 */
void ext2_bitmap_csum_flush(struct super_block *sb)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);

	if (!sbi->csum_stale)
		return;
	for (u32 slot = 0; slot < 2 * sbi->groups; slot++) {
		struct buffer_head *bh = sbi->csum_stale[slot];

		if (!bh)
			continue;
		sbi->csum_stale[slot] = NULL;
		ext2_set_map_csum(sb, ext2_gd(sb, slot / 2), bh->b_data, !(slot & 1));
		ext2_gd_dirty(sb, slot / 2);
	}
}

/*
 * The busy map of group g: blocks freed in the running transaction, which
 * must not be reused before it commits (committed metadata may still
 * point at them).  NULL when not journalling or out of memory.
 */
static u8 *ext2_busy(struct super_block *sb, u32 g, bool create)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);

	if (!sbi->journal)
		return NULL;
	if (!sbi->busy) {
		if (!create)
			return NULL;
		sbi->busy = kcalloc(sbi->groups, sizeof(*sbi->busy));
		if (!sbi->busy)
			return NULL;
	}
	if (!sbi->busy[g] && create)
		sbi->busy[g] = kzalloc(sbi->blocksize);
	return sbi->busy[g];
}

/*
 * TRIM of [block, block + n), blocks nothing uses any more: their cached
 * buffers go unwritten, then the device drops the range (ubd punches a
 * hole in the host file).  0 or -errno (-EOPNOTSUPP: the disk cannot).
 * May sleep.
 */
int ext2_discard_blocks(struct super_block *sb, u64 block, u64 n)
{
	u64 bs = EXT2_SB(sb)->blocksize;

	bforget_range(sb->s_bdev, block, n, (unsigned)bs);
	return blk_rw(sb->s_bdev, BIO_DISCARD, block * bs, NULL, n * bs);
}

/* Discards each run of set bits of map (n bits) in group g. May sleep. */
static void discard_runs(struct super_block *sb, u32 g, const u8 *map, u32 n)
{
	u64 first = ext2_group_first(sb, g);
	u32 i = 0;

	while (i < n) {
		u32 j;

		if (!ext2_bit(map, i)) {
			i++;
			continue;
		}
		for (j = i; j < n && ext2_bit(map, j); j++)
			;
		if (ext2_discard_blocks(sb, first + i, j - i) == -EOPNOTSUPP)
			return;
		i = j;
	}
}

/* Whether blocks freed in the running transaction wait for its commit. */
bool ext2_has_busy(struct super_block *sb)
{
	return EXT2_SB(sb)->busy != NULL;
}

/* Forgets the busy maps (the transaction that freed the blocks committed);
 * with -o discard those blocks are TRIMmed first, now that nothing
 * committed can point at them.  May sleep. */
void ext2_busy_clear(struct super_block *sb)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	u32 g;

	if (!sbi->busy)
		return;
	for (g = 0; g < sbi->groups; g++) {
		if (sbi->discard && sbi->busy[g])
			discard_runs(sb, g, sbi->busy[g], ext2_group_blocks(sb, g));
		kfree(sbi->busy[g]);
	}
	kfree(sbi->busy);
	sbi->busy = NULL;
}

/* The first bit in [from, n) clear in map and not busy, or -1. */
static long find_free_bit(const u8 *map, const u8 *busy, u32 from, u32 n)
{
	long bit = find_zero_bit(map, from, n);

	while (busy && bit >= 0 && ext2_bit(busy, (u32)bit))
		bit = find_zero_bit(map, (u32)bit + 1, n);
	return bit;
}

/* Takes a free block in group g at or after bit from: 0 with *out, -ENOSPC or -EIO. */
static int ext2_take_block(struct super_block *sb, u32 g, u32 from, u64 *out)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	struct ext2_group_desc *gd = ext2_gd(sb, g);
	struct buffer_head *bh;
	u32 n = ext2_group_blocks(sb, g);
	long bit;

	bh = ext2_read_bitmap(sb, g, true);
	if (!bh)
		return -EIO;
	bit = find_free_bit(bh->b_data, ext2_busy(sb, g, false), from, n);
	if (bit < 0 && from)
		bit = find_free_bit(bh->b_data, ext2_busy(sb, g, false), 0, from);
	if (bit < 0) {
		brelse(bh);
		return -ENOSPC;
	}
	bh->b_data[bit >> 3] |= (u8)(1u << (bit & 7));
	ext2_gd_set_free_blocks(sb, gd, ext2_gd_free_blocks(sb, gd) - 1);
	ext2_set_free_blocks_count(sbi, ext2_free_blocks_count(sbi) - 1);
	ext2_bitmap_changed(sb, g, bh, true);
	brelse(bh);
	*out = ext2_group_first(sb, g) + (u64)bit;
	return 0;
}

/*
 * Allocates a block into *out: at goal if free (or after it in its group),
 * else in goal_group or a later group.  0, -ENOSPC or -EIO. May sleep.
 */
int ext2_new_block(struct super_block *sb, u32 goal_group, u64 goal, u64 *out)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	u32 i, g, from = 0;

	if (goal && ext2_block_valid(sb, goal)) {
		goal_group = (u32)((goal - sbi->es.s_first_data_block) / sbi->es.s_blocks_per_group);
		from = (u32)((goal - sbi->es.s_first_data_block) % sbi->es.s_blocks_per_group);
	}
	if (goal_group >= sbi->groups)
		goal_group = 0;
	ext2_discard_flush(sb);		/* a pending run must not be reused first */
	for (i = 0; i < sbi->groups; i++) {
		int err;

		g = (goal_group + i) % sbi->groups;
		if (!ext2_gd_free_blocks(sb, ext2_gd(sb, g)))
			continue;
		err = ext2_take_block(sb, g, i ? 0 : from, out);
		if (err == -ENOSPC && ext2_busy(sb, g, false))
			continue;	/* its free blocks wait for a commit */
		if (err == -ENOSPC)
			return ext2_error(sb, "free block count wrong in group", g);
		return err;
	}
	return -ENOSPC;
}

static void discard_later(struct super_block *sb, u64 block, u32 n);

/* Frees [block, block + n) within group g. May sleep. */
static void ext2_free_in_group(struct super_block *sb, u32 g, u64 block, u32 n)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	struct ext2_group_desc *gd = ext2_gd(sb, g);
	u32 bit = (u32)(block - ext2_group_first(sb, g)), i, freed = 0;
	struct buffer_head *bh;
	u8 *busy = ext2_busy(sb, g, true);

	bh = ext2_read_bitmap(sb, g, true);
	if (!bh)
		return;
	for (i = bit; i < bit + n; i++) {
		if (!ext2_bit(bh->b_data, i)) {
			ext2_error(sb, "freeing free block", ext2_group_first(sb, g) + i);
			continue;
		}
		bh->b_data[i >> 3] &= (u8)~(1u << (i & 7));
		if (busy)
			busy[i >> 3] |= (u8)(1u << (i & 7));
		freed++;
	}
	if (freed) {
		ext2_gd_set_free_blocks(sb, gd, ext2_gd_free_blocks(sb, gd) + freed);
		ext2_set_free_blocks_count(sbi, ext2_free_blocks_count(sbi) + freed);
		ext2_bitmap_changed(sb, g, bh, true);
	}
	brelse(bh);
	/* Without a journal the blocks are free at once: TRIM them now
	 * (with one, when the transaction commits: ext2_busy_clear). */
	if (sbi->discard && !sbi->journal && freed == n)
		discard_later(sb, block, n);
}

/*
 * Without a journal, freed blocks are discarded when the operation ends
 * (ext2_discard_flush from ext2_unlock) or before the next allocation,
 * whichever comes first, so nothing reallocated is ever discarded; the
 * blocks a truncate frees one by one merge into runs on the way, and a
 * host file system can only punch whole blocks of its own.
 */
static void discard_later(struct super_block *sb, u64 block, u32 n)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);

	if (sbi->pend_n && block == sbi->pend_start + sbi->pend_n) {
		sbi->pend_n += n;
		return;
	}
	ext2_discard_flush(sb);
	sbi->pend_start = block;
	sbi->pend_n = n;
}

/* Issues the pending discard run.  Caller holds ext2_lock.  May sleep. */
void ext2_discard_flush(struct super_block *sb)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	u64 start = sbi->pend_start, n = sbi->pend_n;

	if (n == 0)
		return;
	sbi->pend_n = 0;
	ext2_discard_blocks(sb, start, n);
}

/*
 * FITRIM: discards every free block run of at least minlen blocks in
 * [start, start + len) (blocks), group by group under the fs lock;
 * *trimmed gets the blocks discarded.  0 or -errno.  May sleep.
 */
long ext2_trim_fs(struct super_block *sb, u64 start, u64 len, u64 minlen, u64 *trimmed)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	u64 end = start + len;
	long err = 0;

	*trimmed = 0;
	for (u32 g = 0; g < sbi->groups && !err; g++) {
		u64 first = ext2_group_first(sb, g);
		u32 n = ext2_group_blocks(sb, g), i = 0;
		struct buffer_head *bh;
		const u8 *busy;

		if (first + n <= start || first >= end)
			continue;
		ext2_lock(sb);
		bh = ext2_read_bitmap(sb, g, true);
		busy = ext2_busy(sb, g, false);
		while (bh && i < n && !err) {
			u32 j;

			if (ext2_bit(bh->b_data, i) || (busy && ext2_bit(busy, i)) ||
			    first + i < start || first + i >= end) {
				i++;
				continue;
			}
			for (j = i; j < n && first + j < end && !ext2_bit(bh->b_data, j) &&
			     !(busy && ext2_bit(busy, j)); j++)
				;
			if (j - i >= minlen) {
				err = ext2_discard_blocks(sb, first + i, j - i);
				if (!err)
					*trimmed += j - i;
			}
			i = j;
		}
		brelse(bh);
		ext2_unlock(sb);
	}
	return err;
}

/* Returns the count blocks from block to their groups' free pools. May sleep. */
void ext2_free_blocks(struct super_block *sb, u64 block, u64 count)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);

	if (!ext2_range_valid(sb, block, count)) {
		ext2_error(sb, "freeing invalid block", block);
		return;
	}
	/* Their idle buffers go, unwritten if dirty, as Linux drops a deleted
	 * file's page cache: the memory is free again (MemFree) and dead data
	 * costs no write-back.  Buffers in use (a journalled metadata block
	 * pinned until its commit) stay. */
	bforget_range(sb->s_bdev, block, count, sbi->blocksize);
	while (count) {
		u32 g = (u32)((block - sbi->es.s_first_data_block) / sbi->es.s_blocks_per_group);
		u64 end = ext2_group_first(sb, g) + ext2_group_blocks(sb, g);
		u32 n = (u32)min(count, end - block);

		ext2_free_in_group(sb, g, block, n);
		block += n;
		count -= n;
	}
}

/* Directories go to the group with the most free inodes, files stay near. */
static u32 ext2_inode_goal(struct super_block *sb, u32 goal, bool dir)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	u32 g, best = goal, most = 0;

	if (!dir)
		return goal;
	for (g = 0; g < sbi->groups; g++) {
		u32 n = ext2_gd_free_inodes(sb, ext2_gd(sb, g));

		if (n > most) {
			most = n;
			best = g;
		}
	}
	return best;
}

/* A group that gets its first inode gets its block bitmap written too, as Linux does. */
static int ext2_init_group_blocks(struct super_block *sb, u32 g)
{
	struct buffer_head *bh;

	if (!ext2_uninit_ok(EXT2_SB(sb)) || !(ext2_gd(sb, g)->bg_flags & EXT4_BG_BLOCK_UNINIT))
		return 0;
	bh = ext2_read_bitmap(sb, g, true);
	if (!bh)
		return -EIO;
	ext2_bitmap_changed(sb, g, bh, true);
	brelse(bh);
	return 0;
}

/* Takes inode bit in group g (clear in bh): counts, itable_unused, checksums. */
static void ext2_take_inode(struct super_block *sb, u32 g, struct buffer_head *bh, u32 bit,
			    bool dir)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	struct ext2_group_desc *gd = ext2_gd(sb, g);
	u32 ipg = sbi->es.s_inodes_per_group;

	bh->b_data[bit >> 3] |= (u8)(1u << (bit & 7));
	ext2_gd_set_free_inodes(sb, gd, ext2_gd_free_inodes(sb, gd) - 1);
	sbi->es.s_free_inodes_count--;
	if (dir)
		ext2_gd_set_used_dirs(sb, gd, ext2_gd_used_dirs(sb, gd) + 1);
	if (ext2_uninit_ok(sbi) && bit >= ipg - ext2_gd_itable_unused(sb, gd))
		ext2_gd_set_itable_unused(sb, gd, ipg - bit - 1);
	ext2_bitmap_changed(sb, g, bh, false);
}

/* Allocates an inode number into *out: 0, -ENOSPC or -EIO. May sleep. */
int ext2_new_inode_no(struct super_block *sb, u32 goal_group, bool dir, u32 *out)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	u32 i, g, start = ext2_inode_goal(sb, goal_group, dir);

	for (i = 0; i < sbi->groups; i++) {
		struct buffer_head *bh;
		u32 skip;
		long bit;
		int err;

		g = (start + i) % sbi->groups;
		if (!ext2_gd_free_inodes(sb, ext2_gd(sb, g)))
			continue;
		err = ext2_init_group_blocks(sb, g);
		if (err)
			return err;
		bh = ext2_read_bitmap(sb, g, false);
		if (!bh)
			return -EIO;
		skip = g == 0 ? sbi->first_ino - 1 : 0;
		bit = find_zero_bit(bh->b_data, skip, ext2_group_inodes(sbi, g));
		if (bit >= 0)
			ext2_take_inode(sb, g, bh, (u32)bit, dir);
		brelse(bh);
		if (bit < 0)
			continue;
		*out = g * sbi->es.s_inodes_per_group + (u32)bit + 1;
		return 0;
	}
	return -ENOSPC;
}

/* Releases inode number ino (of a directory if dir). May sleep. */
void ext2_free_inode_no(struct super_block *sb, u32 ino, bool dir)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	u32 ipg = sbi->es.s_inodes_per_group;
	struct ext2_group_desc *gd;
	struct buffer_head *bh;
	u32 g, bit;

	if (ino < sbi->first_ino || ino > sbi->es.s_inodes_count) {
		ext2_error(sb, "freeing reserved or invalid inode", ino);
		return;
	}
	g = (ino - 1) / ipg;
	bit = (ino - 1) % ipg;
	gd = ext2_gd(sb, g);
	bh = ext2_read_bitmap(sb, g, false);
	if (!bh)
		return;
	if (!ext2_bit(bh->b_data, bit)) {
		ext2_error(sb, "freeing free inode", ino);
	} else {
		bh->b_data[bit >> 3] &= (u8)~(1u << (bit & 7));
		ext2_gd_set_free_inodes(sb, gd, ext2_gd_free_inodes(sb, gd) + 1);
		sbi->es.s_free_inodes_count++;
		if (dir && ext2_gd_used_dirs(sb, gd))
			ext2_gd_set_used_dirs(sb, gd, ext2_gd_used_dirs(sb, gd) - 1);
		ext2_bitmap_changed(sb, g, bh, false);
	}
	brelse(bh);
}

/*
 * Whether every inode sharing inode ino's inode-table block but ino is
 * free in its group's bitmap: then the block holds no inode to keep and
 * a new inode's caller may zero it instead of reading it (ext4's
 * __ext4_get_inode_loc with in_mem).  False when the bitmap cannot be
 * read.  May sleep.
 */
bool ext2_inode_block_alone(struct super_block *sb, u32 ino)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	u32 ipg = sbi->es.s_inodes_per_group;
	u32 g = (ino - 1) / ipg, bit = (ino - 1) % ipg;
	u32 i, first = bit - bit % sbi->inodes_per_block;
	struct buffer_head *bh;
	bool alone = true;

	bh = ext2_read_bitmap(sb, g, false);
	if (!bh)
		return false;
	for (i = first; i < first + sbi->inodes_per_block && i < ipg; i++) {
		if (i != bit && ext2_bit(bh->b_data, i)) {
			alone = false;
			break;
		}
	}
	brelse(bh);
	return alone;
}
