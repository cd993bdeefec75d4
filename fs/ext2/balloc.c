/*
 * balloc.c - ext2 block and inode allocation.
 *
 * Each group has a block bitmap and an inode bitmap, one block each.
 * Allocation searches the goal group first, then the following ones;
 * every change keeps the bitmap, the group's free count and the
 * superblock's free count in step, so e2fsck finds them exact.
 */
#include "ext2.h"

/* Number of bits in use in group g's block bitmap. */
static u32 ext2_group_blocks(struct ext2_sb_info *sbi, u32 g)
{
	u64 start = (u64)sbi->es.s_first_data_block + (u64)g * sbi->es.s_blocks_per_group;
	u64 left = sbi->es.s_blocks_count - start;

	return left < sbi->es.s_blocks_per_group ? (u32)left : sbi->es.s_blocks_per_group;
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
		if (!(map[i >> 3] & (1u << (i & 7))))
			return i;
	}
	return -1;
}

/* True if block may hold file data or an indirect block. */
bool ext2_block_valid(struct super_block *sb, u32 block)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);

	return block > sbi->es.s_first_data_block + sbi->gd_blocks &&
	       block < sbi->es.s_blocks_count;
}

/* Takes a free bit at or above skip in a bitmap: its index or -errno. */
static long ext2_take_bit(struct super_block *sb, u32 bitmap_block, u32 nbits, u32 skip)
{
	struct buffer_head *bh = bread(sb->s_bdev, bitmap_block, EXT2_SB(sb)->blocksize);
	long bit;

	if (!bh)
		return -EIO;
	bit = find_zero_bit(bh->b_data, skip, nbits);
	if (bit >= 0) {
		bh->b_data[bit >> 3] |= (u8)(1u << (bit & 7));
		mark_buffer_dirty(bh);
	} else {
		bit = -ENOSPC;
	}
	brelse(bh);
	return bit;
}

/* Allocates a block near goal_group into *out: 0, -ENOSPC or -EIO. May sleep. */
int ext2_new_block(struct super_block *sb, u32 goal_group, u32 *out)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	u32 i, g;

	for (i = 0; i < sbi->groups; i++) {
		struct ext2_group_desc *gd;
		long bit;

		g = (goal_group + i) % sbi->groups;
		gd = ext2_gd(sb, g);
		if (!gd->bg_free_blocks_count)
			continue;
		bit = ext2_take_bit(sb, gd->bg_block_bitmap, ext2_group_blocks(sbi, g), 0);
		if (bit == -ENOSPC)
			return ext2_error(sb, "free block count wrong in group", g);
		if (bit < 0)
			return (int)bit;
		gd->bg_free_blocks_count--;
		sbi->es.s_free_blocks_count--;
		ext2_gd_dirty(sb, g);
		*out = sbi->es.s_first_data_block + g * sbi->es.s_blocks_per_group + (u32)bit;
		return 0;
	}
	return -ENOSPC;
}

/* Returns block to its group's free pool. May sleep. */
void ext2_free_block(struct super_block *sb, u32 block)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	struct ext2_group_desc *gd;
	struct buffer_head *bh;
	u32 g, bit;

	if (!ext2_block_valid(sb, block)) {
		ext2_error(sb, "freeing invalid block", block);
		return;
	}
	g = (block - sbi->es.s_first_data_block) / sbi->es.s_blocks_per_group;
	bit = (block - sbi->es.s_first_data_block) % sbi->es.s_blocks_per_group;
	gd = ext2_gd(sb, g);
	bh = bread(sb->s_bdev, gd->bg_block_bitmap, sbi->blocksize);
	if (!bh)
		return;
	if (!(bh->b_data[bit >> 3] & (1u << (bit & 7)))) {
		ext2_error(sb, "freeing free block", block);
	} else {
		bh->b_data[bit >> 3] &= (u8)~(1u << (bit & 7));
		mark_buffer_dirty(bh);
		gd->bg_free_blocks_count++;
		sbi->es.s_free_blocks_count++;
		ext2_gd_dirty(sb, g);
	}
	brelse(bh);
}

/* Directories go to the group with the most free inodes, files stay near. */
static u32 ext2_inode_goal(struct super_block *sb, u32 goal, bool dir)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	u32 g, best = goal, most = 0;

	if (!dir)
		return goal;
	for (g = 0; g < sbi->groups; g++) {
		u32 n = ext2_gd(sb, g)->bg_free_inodes_count;

		if (n > most) {
			most = n;
			best = g;
		}
	}
	return best;
}

/* Allocates an inode number into *out: 0, -ENOSPC or -EIO. May sleep. */
int ext2_new_inode_no(struct super_block *sb, u32 goal_group, bool dir, u32 *out)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	u32 ipg = sbi->es.s_inodes_per_group;
	u32 i, g, start = ext2_inode_goal(sb, goal_group, dir);

	for (i = 0; i < sbi->groups; i++) {
		struct ext2_group_desc *gd;
		u32 nbits, skip;
		long bit;

		g = (start + i) % sbi->groups;
		gd = ext2_gd(sb, g);
		if (!gd->bg_free_inodes_count)
			continue;
		nbits = min(ipg, sbi->es.s_inodes_count - g * ipg);
		skip = g == 0 ? sbi->first_ino - 1 : 0;
		bit = ext2_take_bit(sb, gd->bg_inode_bitmap, nbits, skip);
		if (bit == -ENOSPC)
			continue;
		if (bit < 0)
			return (int)bit;
		gd->bg_free_inodes_count--;
		sbi->es.s_free_inodes_count--;
		if (dir)
			gd->bg_used_dirs_count++;
		ext2_gd_dirty(sb, g);
		*out = g * ipg + (u32)bit + 1;
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
	bh = bread(sb->s_bdev, gd->bg_inode_bitmap, sbi->blocksize);
	if (!bh)
		return;
	if (!(bh->b_data[bit >> 3] & (1u << (bit & 7)))) {
		ext2_error(sb, "freeing free inode", ino);
	} else {
		bh->b_data[bit >> 3] &= (u8)~(1u << (bit & 7));
		mark_buffer_dirty(bh);
		gd->bg_free_inodes_count++;
		sbi->es.s_free_inodes_count++;
		if (dir && gd->bg_used_dirs_count)
			gd->bg_used_dirs_count--;
		ext2_gd_dirty(sb, g);
	}
	brelse(bh);
}
