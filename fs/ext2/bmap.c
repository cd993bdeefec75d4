/*
 * bmap.c - ext2's block map: logical block -> disk block through the
 * direct, single, double and triple indirect pointers of i_block, with
 * allocation on write and freeing on truncate.
 */
#include "ext2.h"

/* Splits lblk into a path of indexes: its depth (1..4) or -EFBIG. */
static int ext2_block_path(struct super_block *sb, u64 lblk, u32 path[4])
{
	u64 apb = EXT2_SB(sb)->addr_per_block;

	if (lblk < EXT2_NDIR_BLOCKS) {
		path[0] = (u32)lblk;
		return 1;
	}
	lblk -= EXT2_NDIR_BLOCKS;
	if (lblk < apb) {
		path[0] = EXT2_IND_BLOCK;
		path[1] = (u32)lblk;
		return 2;
	}
	lblk -= apb;
	if (lblk < apb * apb) {
		path[0] = EXT2_DIND_BLOCK;
		path[1] = (u32)(lblk / apb);
		path[2] = (u32)(lblk % apb);
		return 3;
	}
	lblk -= apb * apb;
	if (lblk < apb * apb * apb) {
		path[0] = EXT2_TIND_BLOCK;
		path[1] = (u32)(lblk / (apb * apb));
		path[2] = (u32)(lblk / apb % apb);
		path[3] = (u32)(lblk % apb);
		return 4;
	}
	return -EFBIG;
}

/* Allocates a block for inode into the 32-bit *slot, zeroed if zero. May sleep. */
static int ext2_alloc_slot(struct inode *inode, u32 *slot, bool zero)
{
	u64 block;
	int err = ext2_alloc_block(inode, EXT2_I(inode)->last_block, zero, &block);

	if (err)
		return err;
	if (block >> 32) {	/* the block map holds 32-bit numbers only */
		ext2_free_blocks(inode->i_sb, block, 1);
		ext2_add_blocks(inode, -1);
		return -ENOSPC;
	}
	*slot = (u32)block;
	return 0;
}

/*
 * Maps logical block lblk of inode to a disk block in *out (0 for a hole
 * when !create); with create, allocates missing blocks (the data block
 * unzeroed with EXT2_GET_NEW, see ext2.h).  Returns 0 (1: a new unzeroed
 * data block) or -EIO, -ENOSPC, -EFBIG.  Caller holds the fs lock. May sleep.
 */
int ext2_bmap_get(struct inode *inode, u64 lblk, int create, u64 *out)
{
	struct super_block *sb = inode->i_sb;
	struct ext2_inode_info *ei = EXT2_I(inode);
	struct buffer_head *bh;
	u32 path[4], block, *slot;
	int depth, i, err, fresh = 0;

	depth = ext2_block_path(sb, lblk, path);
	if (depth < 0)
		return depth;
	slot = &ei->i_block[path[0]];
	for (i = 0;; i++) {
		if (!*slot) {
			if (!create) {
				*out = 0;
				return 0;
			}
			fresh = create == EXT2_GET_NEW && i + 1 == depth;
			err = ext2_alloc_slot(inode, slot, !fresh);
			if (err)
				return err;
			mark_inode_dirty(inode);
		}
		block = *slot;
		if (!ext2_block_valid(sb, block))
			return ext2_error(sb, "bad block pointer in inode", inode->i_ino);
		if (i + 1 == depth)
			break;
		bh = create ? ext2_bread_meta(sb, block) :
			      bread_shared(sb->s_bdev, block, sb->s_blocksize);
		if (!bh)
			return -EIO;
		slot = (u32 *)bh->b_data + path[i + 1];
		if (!*slot && create) {
			fresh = create == EXT2_GET_NEW && i + 2 == depth;
			err = ext2_alloc_slot(inode, slot, !fresh);
			if (!err)
				ext2_dirty_meta(inode->i_sb, bh);
		} else {
			err = 0;
		}
		/* The slot stays valid: the buffer is only freed when unreferenced
		 * and nothing below sleeps before we read it. */
		block = *slot;
		brelse(bh);
		if (err)
			return err;
		if (!block) {
			*out = 0;
			return 0;
		}
		slot = &block;
	}
	*out = block;
	EXT2_I(inode)->last_block = block;
	return fresh;
}

/* How many of the n slots from v[0] continue v[0]'s run: all holes, or
 * consecutive disk blocks. */
static u64 bmap_run_len(const u32 *v, u64 n)
{
	u64 k = 1;

	if (!v[0]) {
		while (k < n && !v[k])
			k++;
		return k;
	}
	while (k < n && v[k] == v[0] + k)
		k++;
	return k;
}

/* The blocks from the one at path to the end of the subtree that the
 * missing pointer at level i (of depth levels) would map: a hole. */
static u64 bmap_hole_left(struct super_block *sb, const u32 path[4], int i, int depth)
{
	u64 apb = EXT2_SB(sb)->addr_per_block, span = 1, off = 0;

	for (int k = depth - 1; k > i; k--) {
		off += path[k] * span;
		span *= apb;
	}
	return span - off;
}

/*
 * Maps the run of logical blocks from lblk (at most max, >= 1) that lie
 * in consecutive disk blocks, or in a hole, from one block-map look-up:
 * its length, with its first disk block in *out (0 for a hole), or
 * -errno.  Never allocates.  Caller holds the fs lock.  May sleep.
 */
long ext2_bmap_run(struct inode *inode, u64 lblk, u64 max, u64 *out)
{
	struct super_block *sb = inode->i_sb;
	struct buffer_head *bh = NULL;
	u32 path[4], block, *leaf = EXT2_I(inode)->i_block;
	u64 limit = EXT2_NDIR_BLOCKS, n;
	int depth, i;

	depth = ext2_block_path(sb, lblk, path);
	if (depth < 0)
		return depth;
	for (i = 0; i + 1 < depth; i++) {
		block = leaf[path[i]];
		if (bh)
			brelse(bh);
		bh = NULL;
		if (!block) {
			*out = 0;
			return (long)min(max, bmap_hole_left(sb, path, i, depth));
		}
		if (!ext2_block_valid(sb, block))
			return ext2_error(sb, "bad block pointer in inode", inode->i_ino);
		bh = bread_shared(sb->s_bdev, block, sb->s_blocksize);	/* a look-up */
		if (!bh)
			return -EIO;
		leaf = (u32 *)bh->b_data;
		limit = EXT2_SB(sb)->addr_per_block;
	}
	n = bmap_run_len(leaf + path[depth - 1], min(max, limit - path[depth - 1]));
	*out = leaf[path[depth - 1]];
	if (bh)
		brelse(bh);
	if (*out && !ext2_range_valid(sb, *out, n))
		return ext2_error(sb, "bad block pointer in inode", inode->i_ino);
	return (long)n;
}

/*
 * Blocks a truncate frees, gathered into runs of consecutive numbers:
 * one bitmap, descriptor and buffer-cache pass a run instead of one a
 * block (a file written in order is a few runs between its indirect
 * blocks).
 */
struct free_run {
	u64 start, n;
};

static void free_run_flush(struct inode *inode, struct free_run *r)
{
	if (!r->n)
		return;
	ext2_free_blocks(inode->i_sb, r->start, r->n);
	ext2_add_blocks(inode, -(long)r->n);
	r->n = 0;
}

/* Frees block, now or with the run it continues. May sleep. */
static void free_run_add(struct inode *inode, struct free_run *r, u64 block)
{
	if (r->n && block == r->start + r->n && ext2_block_valid(inode->i_sb, block)) {
		r->n++;
		return;
	}
	free_run_flush(inode, r);
	r->start = block;
	r->n = 1;
	if (!ext2_block_valid(inode->i_sb, block))
		free_run_flush(inode, r);	/* alone: ext2_free_blocks reports it */
}

/*
 * Frees the blocks of the subtree at *slot (an indirect block of depth
 * levels whose first logical block is first) that map logical blocks at
 * or above start; frees the indirect block itself if it maps none below.
 */
static int ext2_trunc_tree(struct inode *inode, struct free_run *r, u32 *slot, int depth,
			   u64 first, u64 start)
{
	struct super_block *sb = inode->i_sb;
	u64 span = 1, apb = EXT2_SB(sb)->addr_per_block;
	struct buffer_head *bh;
	u32 *v, i;
	int d, err = 0;

	if (!*slot)
		return 0;
	if (!ext2_block_valid(sb, *slot))
		return ext2_error(sb, "bad indirect block in inode", inode->i_ino);
	for (d = 1; d < depth; d++)
		span *= apb;
	bh = bread(sb->s_bdev, *slot, sb->s_blocksize);
	if (!bh)
		return -EIO;
	v = (u32 *)bh->b_data;
	for (i = 0; i < apb; i++) {
		u64 cfirst = first + i * span;

		if (cfirst + span <= start || !v[i])
			continue;
		if (depth == 1) {
			free_run_add(inode, r, v[i]);
			v[i] = 0;
		} else {
			err = ext2_trunc_tree(inode, r, &v[i], depth - 1, cfirst, start);
		}
		ext2_dirty_meta(sb, bh);
		if (err)
			break;
	}
	brelse(bh);
	if (!err && start <= first) {
		free_run_add(inode, r, *slot);
		*slot = 0;
	}
	return err;
}

/* Frees the blocks that map logical blocks start and above. Lock held. May sleep. */
int ext2_bmap_truncate(struct inode *inode, u64 start)
{
	struct super_block *sb = inode->i_sb;
	struct ext2_inode_info *ei = EXT2_I(inode);
	u64 apb = EXT2_SB(sb)->addr_per_block;
	u64 first = EXT2_NDIR_BLOCKS;
	struct free_run r = { 0, 0 };
	int i, err;

	for (i = (int)min(start, (u64)EXT2_NDIR_BLOCKS); i < EXT2_NDIR_BLOCKS; i++) {
		if (ei->i_block[i]) {
			free_run_add(inode, &r, ei->i_block[i]);
			ei->i_block[i] = 0;
		}
	}
	err = ext2_trunc_tree(inode, &r, &ei->i_block[EXT2_IND_BLOCK], 1, first, start);
	first += apb;
	if (!err)
		err = ext2_trunc_tree(inode, &r, &ei->i_block[EXT2_DIND_BLOCK], 2, first, start);
	first += apb * apb;
	if (!err)
		err = ext2_trunc_tree(inode, &r, &ei->i_block[EXT2_TIND_BLOCK], 3, first, start);
	free_run_flush(inode, &r);
	return err;
}

/* The number of logical blocks the block map can address. */
u64 ext2_bmap_max_blocks(struct super_block *sb)
{
	u64 apb = EXT2_SB(sb)->addr_per_block;

	return EXT2_NDIR_BLOCKS + apb + apb * apb + apb * apb * apb;
}
