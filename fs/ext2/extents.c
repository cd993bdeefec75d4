/*
 * extents.c - the ext4 extent tree: logical block -> disk block through
 * a B-tree rooted in i_block (a header and four entries), whose interior
 * nodes hold index entries and whose leaves hold extents (a run of up to
 * 32768 contiguous blocks; longer ee_len values mark unwritten extents,
 * read as zeros).
 *
 * Lookups walk a path from the root, checking every node's header and
 * checksum.  Allocation extends the neighbouring extent when the new
 * block follows it on disk, or inserts a new extent; a full leaf is
 * split (an append moves only the last extent, so sequential files pack
 * their leaves), a full index node likewise, and a full root moves into
 * a new block one level down (depth growth).  Truncation frees the
 * extents and nodes past the new end and collapses a one-leaf tree back
 * into the inode.  Index keys always equal the first key of their child.
 */
#include "ext2.h"

struct ext_path {
	struct buffer_head *bh;		/* NULL at the root (in the inode) */
	struct ext4_extent_header *eh;
	int pos;			/* entry followed (index) or found (leaf), or -1 */
};

static struct ext4_extent_header *ext_root(struct inode *inode)
{
	return (struct ext4_extent_header *)EXT2_I(inode)->i_block;
}

static struct ext4_extent *ext_first(struct ext4_extent_header *eh)
{
	return (struct ext4_extent *)(eh + 1);
}

static struct ext4_extent_idx *idx_first(struct ext4_extent_header *eh)
{
	return (struct ext4_extent_idx *)(eh + 1);
}

static u64 ext_pblock(const struct ext4_extent *ex)
{
	return ex->ee_start_lo | (u64)ex->ee_start_hi << 32;
}

static void ext_set_pblock(struct ext4_extent *ex, u64 b)
{
	ex->ee_start_lo = (u32)b;
	ex->ee_start_hi = (u16)(b >> 32);
}

static u64 idx_pblock(const struct ext4_extent_idx *ix)
{
	return ix->ei_leaf_lo | (u64)ix->ei_leaf_hi << 32;
}

static void idx_set_pblock(struct ext4_extent_idx *ix, u64 b)
{
	ix->ei_leaf_lo = (u32)b;
	ix->ei_leaf_hi = (u16)(b >> 32);
}

static bool ext_unwritten(const struct ext4_extent *ex)
{
	return ex->ee_len > EXT4_EXT_MAX_LEN;
}

static u32 ext_len(const struct ext4_extent *ex)
{
	return ext_unwritten(ex) ? ex->ee_len - EXT4_EXT_MAX_LEN : ex->ee_len;
}

/* The first logical block a node covers (its first entry's key). */
static u32 node_key(struct ext4_extent_header *eh)
{
	if (!eh->eh_entries)
		return 0;
	return eh->eh_depth ? idx_first(eh)->ei_block : ext_first(eh)->ee_block;
}

static u16 ext_block_max(struct super_block *sb)
{
	return (u16)((sb->s_blocksize - sizeof(struct ext4_extent_header)) / 12);
}

static void ext_init_header(struct ext4_extent_header *eh, u16 max, u16 depth)
{
	eh->eh_magic = EXT4_EXT_MAGIC;
	eh->eh_entries = 0;
	eh->eh_max = max;
	eh->eh_depth = depth;
	eh->eh_generation = 0;
}

/* Gives a new inode an empty extent tree. */
void ext4_ext_init(struct inode *inode)
{
	memset(EXT2_I(inode)->i_block, 0, sizeof(EXT2_I(inode)->i_block));
	ext_init_header(ext_root(inode), 4, 0);
	EXT2_I(inode)->i_flags |= EXT4_EXTENTS_FL;
}

static int ext_check(struct inode *inode, struct ext4_extent_header *eh, int depth, u16 max)
{
	if (eh->eh_magic != EXT4_EXT_MAGIC || eh->eh_max > max || eh->eh_entries > eh->eh_max ||
	    eh->eh_depth != depth || !eh->eh_max)
		return ext2_error(inode->i_sb, "bad extent tree node in inode", inode->i_ino);
	return 0;
}

/* Checks the root node of inode's tree (at read_inode): 0 or -EIO. */
int ext4_ext_check_root(struct inode *inode)
{
	struct ext4_extent_header *eh = ext_root(inode);

	if (eh->eh_depth > EXT4_EXT_MAX_DEPTH)
		return ext2_error(inode->i_sb, "extent tree too deep in inode", inode->i_ino);
	return ext_check(inode, eh, eh->eh_depth, 4);
}

static void ext_path_release(struct ext_path *path, int depth)
{
	int i;

	for (i = 0; i <= depth; i++) {
		brelse(path[i].bh);
		path[i].bh = NULL;
	}
}

/* The last entry of an index node whose key is <= lblk (the first if none). */
static int idx_search(struct ext4_extent_header *eh, u64 lblk)
{
	struct ext4_extent_idx *ix = idx_first(eh);
	int lo = 1, hi = eh->eh_entries - 1, r = 0;

	while (lo <= hi) {
		int mid = (lo + hi) / 2;

		if (ix[mid].ei_block <= lblk) {
			r = mid;
			lo = mid + 1;
		} else {
			hi = mid - 1;
		}
	}
	return r;
}

/* The last extent of a leaf starting at or before lblk, or -1. */
static int ext_search(struct ext4_extent_header *eh, u64 lblk)
{
	struct ext4_extent *ex = ext_first(eh);
	int lo = 0, hi = eh->eh_entries - 1, r = -1;

	while (lo <= hi) {
		int mid = (lo + hi) / 2;

		if (ex[mid].ee_block <= lblk) {
			r = mid;
			lo = mid + 1;
		} else {
			hi = mid - 1;
		}
	}
	return r;
}

/* Reads child node blk at depth (for inode): a reference or ERR_PTR. */
static struct buffer_head *ext_read_node(struct inode *inode, u64 blk, int depth)
{
	struct buffer_head *bh;
	int err;

	if (!ext2_block_valid(inode->i_sb, blk))
		return ERR_PTR(ext2_error(inode->i_sb, "bad extent node block in inode",
					  inode->i_ino));
	bh = bread(inode->i_sb->s_bdev, blk, inode->i_sb->s_blocksize);
	if (!bh)
		return ERR_PTR(-EIO);
	if (bh->b_verified == EXT2_BV_EXTENT(depth))
		return bh;	/* checked at this depth, unchanged since (a change clears it) */
	err = ext2_block_csum_check(inode, bh, "extent tree") ?:
	      ext_check(inode, (void *)bh->b_data, depth, ext_block_max(inode->i_sb));
	if (err) {
		brelse(bh);
		return ERR_PTR(err);
	}
	bh->b_verified = (u8)EXT2_BV_EXTENT(depth);
	return bh;
}

/* Walks from the root towards lblk, filling path[0..depth]; returns depth or -errno. */
static int ext_find(struct inode *inode, u64 lblk, struct ext_path *path)
{
	struct ext4_extent_header *eh = ext_root(inode);
	int depth, i;
	int err = ext4_ext_check_root(inode);

	if (err)
		return err;
	depth = eh->eh_depth;
	for (i = 0;; i++) {
		struct buffer_head *bh;

		path[i].eh = eh;
		if (i == depth) {
			path[i].pos = ext_search(eh, lblk);
			return depth;
		}
		if (!eh->eh_entries) {
			ext_path_release(path, i);
			return ext2_error(inode->i_sb, "empty extent index in inode", inode->i_ino);
		}
		path[i].pos = idx_search(eh, lblk);
		bh = ext_read_node(inode, idx_pblock(&idx_first(eh)[path[i].pos]), depth - i - 1);
		if (IS_ERR(bh)) {
			ext_path_release(path, i);
			return (int)PTR_ERR(bh);
		}
		path[i + 1].bh = bh;
		eh = (struct ext4_extent_header *)bh->b_data;
	}
}

/* Marks node k of path changed: its checksum, then the buffer or the inode. */
static void ext_dirty(struct inode *inode, struct ext_path *path, int k)
{
	if (path[k].bh) {
		ext2_block_csum_set(inode, path[k].bh);
		ext2_dirty_meta(inode->i_sb, path[k].bh);
	} else {
		mark_inode_dirty(inode);
	}
}

/* Node k's first key changed: carry it into the index entries above. */
static void ext_fix_keys(struct inode *inode, struct ext_path *path, int k)
{
	for (; k > 0; k--) {
		struct ext4_extent_idx *ix = &idx_first(path[k - 1].eh)[path[k - 1].pos];

		if (ix->ei_block == node_key(path[k].eh))
			return;
		ix->ei_block = node_key(path[k].eh);
		ext_dirty(inode, path, k - 1);
		if (path[k - 1].pos != 0)
			return;
	}
}

/* A zeroed block for a new tree node: its buffer (a reference) in *bhp. */
static int ext_new_node(struct inode *inode, u64 goal, struct buffer_head **bhp)
{
	struct super_block *sb = inode->i_sb;
	u64 blk;
	int err = ext2_new_block(sb, EXT2_I(inode)->group, goal, &blk);

	if (err)
		return err;
	*bhp = getblk(sb->s_bdev, blk, sb->s_blocksize);
	if (!*bhp) {
		ext2_free_blocks(sb, blk, 1);
		return -ENOMEM;
	}
	memset((*bhp)->b_data, 0, sb->s_blocksize);
	(*bhp)->b_uptodate = true;
	ext2_add_blocks(inode, 1);
	return 0;
}

/* The root is full: move it into a new block one level down. */
static int ext_grow(struct inode *inode)
{
	struct ext4_extent_header *root = ext_root(inode), *eh;
	struct buffer_head *bh;
	struct ext4_extent_idx *ix;
	int err = ext_new_node(inode, EXT2_I(inode)->last_block, &bh);

	if (err)
		return err;
	eh = (struct ext4_extent_header *)bh->b_data;
	memcpy(eh, root, sizeof(*eh) + root->eh_entries * 12u);
	eh->eh_max = ext_block_max(inode->i_sb);
	ext2_block_csum_set(inode, bh);
	ext2_dirty_meta(inode->i_sb, bh);
	root->eh_depth++;
	root->eh_entries = 1;
	ix = idx_first(root);
	ix->ei_block = node_key(eh);
	idx_set_pblock(ix, bh->b_blocknr);
	ix->ei_unused = 0;
	brelse(bh);
	mark_inode_dirty(inode);
	return 0;
}

/* Splits full node k of path (k > 0) into two; its parent has room. */
static int ext_split(struct inode *inode, struct ext_path *path, int k)
{
	struct ext4_extent_header *eh = path[k].eh, *neh, *parent = path[k - 1].eh;
	struct ext4_extent_idx *ix;
	struct buffer_head *bh;
	int n = eh->eh_entries, m = path[k].pos >= n - 1 ? n - 1 : n / 2, p;
	int err = ext_new_node(inode, path[k].bh->b_blocknr, &bh);

	if (err)
		return err;
	neh = (struct ext4_extent_header *)bh->b_data;
	ext_init_header(neh, ext_block_max(inode->i_sb), eh->eh_depth);
	memcpy(neh + 1, (u8 *)(eh + 1) + m * 12, (size_t)(n - m) * 12);
	neh->eh_entries = (u16)(n - m);
	eh->eh_entries = (u16)m;
	ext2_block_csum_set(inode, bh);
	ext2_dirty_meta(inode->i_sb, bh);
	ext_dirty(inode, path, k);
	p = path[k - 1].pos + 1;
	ix = idx_first(parent);
	memmove(&ix[p + 1], &ix[p], (size_t)(parent->eh_entries - p) * sizeof(*ix));
	ix[p].ei_block = node_key(neh);
	idx_set_pblock(&ix[p], bh->b_blocknr);
	ix[p].ei_unused = 0;
	parent->eh_entries++;
	ext_dirty(inode, path, k - 1);
	brelse(bh);
	return 0;
}

/* Makes room in the leaf on lblk's path: a split or a new level. */
static int ext_make_room(struct inode *inode, struct ext_path *path, int depth)
{
	int k;

	for (k = depth - 1; k >= 0; k--)
		if (path[k].eh->eh_entries < path[k].eh->eh_max)
			return ext_split(inode, path, k + 1);
	if (depth >= EXT4_EXT_MAX_DEPTH)
		return -EFBIG;
	return ext_grow(inode);
}

/* Adds block lblk -> pblk to leaf k of path if it fits: 1 if added, 0 if full. */
static int ext_add_to_leaf(struct inode *inode, struct ext_path *path, int k, u64 lblk, u64 pblk)
{
	struct ext4_extent_header *eh = path[k].eh;
	struct ext4_extent *ex = ext_first(eh);
	int p = path[k].pos;

	if (p >= 0 && !ext_unwritten(&ex[p]) && ex[p].ee_len < EXT4_EXT_MAX_LEN &&
	    ex[p].ee_block + ex[p].ee_len == lblk && ext_pblock(&ex[p]) + ex[p].ee_len == pblk) {
		ex[p].ee_len++;
		ext_dirty(inode, path, k);
		return 1;
	}
	if (p + 1 < eh->eh_entries && !ext_unwritten(&ex[p + 1]) &&
	    ex[p + 1].ee_len < EXT4_EXT_MAX_LEN && lblk + 1 == ex[p + 1].ee_block &&
	    pblk + 1 == ext_pblock(&ex[p + 1])) {
		ex[p + 1].ee_block--;
		ext_set_pblock(&ex[p + 1], pblk);
		ex[p + 1].ee_len++;
	} else if (eh->eh_entries < eh->eh_max) {
		memmove(&ex[p + 2], &ex[p + 1], (size_t)(eh->eh_entries - p - 1) * sizeof(*ex));
		ex[p + 1].ee_block = (u32)lblk;
		ex[p + 1].ee_len = 1;
		ext_set_pblock(&ex[p + 1], pblk);
		eh->eh_entries++;
	} else {
		return 0;
	}
	ext_dirty(inode, path, k);
	if (p + 1 == 0)
		ext_fix_keys(inode, path, k);
	return 1;
}

/* Maps lblk (a hole) to the new block pblk in the tree. May sleep. */
static int ext_insert(struct inode *inode, u64 lblk, u64 pblk)
{
	struct ext_path path[EXT4_EXT_MAX_DEPTH + 1] = { { 0 } };
	int depth, err, i;

	for (i = 0; i < 4 * (EXT4_EXT_MAX_DEPTH + 1); i++) {
		depth = ext_find(inode, lblk, path);
		if (depth < 0)
			return depth;
		err = ext_add_to_leaf(inode, path, depth, lblk, pblk);
		if (!err)
			err = ext_make_room(inode, path, depth);
		else
			err = err > 0 ? 1 : err;
		ext_path_release(path, depth);
		if (err)
			return err < 0 ? err : 0;
	}
	return ext2_error(inode->i_sb, "extent tree will not take a block in inode", inode->i_ino);
}

/* Writes zeros over an unwritten extent and marks it written. May sleep. */
static int ext_zero_unwritten(struct inode *inode, struct ext_path *path, int k)
{
	struct super_block *sb = inode->i_sb;
	struct ext4_extent *ex = &ext_first(path[k].eh)[path[k].pos];
	u32 i, n = ext_len(ex);

	for (i = 0; i < n; i++) {
		struct buffer_head *bh = getblk(sb->s_bdev, ext_pblock(ex) + i, sb->s_blocksize);

		if (!bh)
			return -ENOMEM;
		memset(bh->b_data, 0, sb->s_blocksize);
		bh->b_uptodate = true;
		mark_buffer_dirty(bh);
		brelse(bh);
	}
	ex->ee_len = (u16)n;
	ext_dirty(inode, path, k);
	return 0;
}

/* Looks lblk up: 0 with *out (0 for a hole), or -errno; 1 if in an unwritten extent. */
static int ext_lookup(struct inode *inode, u64 lblk, bool create, u64 *out)
{
	struct ext_path path[EXT4_EXT_MAX_DEPTH + 1] = { { 0 } };
	struct ext4_extent *ex;
	int depth, err = 0;

	*out = 0;
	depth = ext_find(inode, lblk, path);
	if (depth < 0)
		return depth;
	if (path[depth].pos < 0)
		goto out;
	ex = &ext_first(path[depth].eh)[path[depth].pos];
	if (lblk >= (u64)ex->ee_block + ext_len(ex))
		goto out;
	if (!ext2_range_valid(inode->i_sb, ext_pblock(ex), ext_len(ex))) {
		err = ext2_error(inode->i_sb, "bad extent in inode", inode->i_ino);
		goto out;
	}
	if (ext_unwritten(ex) && create)
		err = ext_zero_unwritten(inode, path, depth);
	if (!ext_unwritten(ex))
		*out = ext_pblock(ex) + (lblk - ex->ee_block);
out:
	ext_path_release(path, depth);
	return err;
}

/*
 * Maps the run of logical blocks from lblk (at most max, >= 1) that one
 * extent maps, or that lie before the next extent of the leaf (a hole; an
 * unwritten extent reads as one too), from one look-up: its length, with
 * its first disk block in *out (0 for a hole), or -errno.  Never
 * allocates.  Caller holds the fs lock.  May sleep.
 */
long ext4_ext_run(struct inode *inode, u64 lblk, u64 max, u64 *out)
{
	struct ext_path path[EXT4_EXT_MAX_DEPTH + 1] = { { 0 } };
	struct ext4_extent_header *eh;
	struct ext4_extent *ex;
	long n = 1;
	int depth, pos;

	*out = 0;
	if (lblk >= 0xffffffffull)
		return -EFBIG;
	depth = ext_find(inode, lblk, path);
	if (depth < 0)
		return depth;
	eh = path[depth].eh;
	pos = path[depth].pos;
	ex = pos >= 0 ? &ext_first(eh)[pos] : NULL;
	if (ex && lblk < (u64)ex->ee_block + ext_len(ex)) {
		n = (long)min(max, (u64)ex->ee_block + ext_len(ex) - lblk);
		if (!ext2_range_valid(inode->i_sb, ext_pblock(ex), ext_len(ex)))
			n = ext2_error(inode->i_sb, "bad extent in inode", inode->i_ino);
		else if (!ext_unwritten(ex))
			*out = ext_pblock(ex) + (lblk - ex->ee_block);
	} else if (pos + 1 < eh->eh_entries) {
		n = (long)min(max, (u64)ext_first(eh)[pos + 1].ee_block - lblk);
	}
	ext_path_release(path, depth);
	return n;
}

/*
 * Maps logical block lblk of inode to a disk block in *out (0 for a hole
 * when !create); with create, allocates a block there, zeroed unless
 * EXT2_GET_NEW (see ext2.h).  Returns 0 (1: a new unzeroed block),
 * -EIO, -ENOSPC or -EFBIG.  Caller holds the fs lock. May sleep.
 */
int ext4_ext_get(struct inode *inode, u64 lblk, int create, u64 *out)
{
	struct ext2_inode_info *ei = EXT2_I(inode);
	u64 pblk;
	int err;

	if (lblk >= 0xffffffffull)
		return -EFBIG;
	err = ext_lookup(inode, lblk, create != 0, out);
	if (err || *out || !create)
		return err;
	err = ext2_alloc_block(inode, ei->last_block ? ei->last_block + 1 : 0,
			       create != EXT2_GET_NEW, &pblk);
	if (err)
		return err;
	err = ext_insert(inode, lblk, pblk);
	if (err) {
		ext2_free_blocks(inode->i_sb, pblk, 1);
		ext2_add_blocks(inode, -1);
		return err;
	}
	ei->last_block = pblk;
	*out = pblk;
	return create == EXT2_GET_NEW;
}

/* Frees the part of leaf eh at or past start. */
static int ext_trunc_leaf(struct inode *inode, struct ext4_extent_header *eh, u64 start)
{
	struct ext4_extent *ex = ext_first(eh);

	while (eh->eh_entries) {
		struct ext4_extent *e = &ex[eh->eh_entries - 1];
		u32 len = ext_len(e), keep;

		if ((u64)e->ee_block + len <= start)
			break;
		if (!ext2_range_valid(inode->i_sb, ext_pblock(e), len))
			return ext2_error(inode->i_sb, "bad extent in inode", inode->i_ino);
		keep = e->ee_block >= start ? 0 : (u32)(start - e->ee_block);
		ext2_free_blocks(inode->i_sb, ext_pblock(e) + keep, len - keep);
		ext2_add_blocks(inode, -(long)(len - keep));
		if (keep) {
			e->ee_len = (u16)(keep + (ext_unwritten(e) ? EXT4_EXT_MAX_LEN : 0));
			break;
		}
		eh->eh_entries--;
	}
	return 0;
}

static int ext_trunc_node(struct inode *inode, struct ext4_extent_header *eh, u64 start);

/* Truncates child i of index node eh; frees it and drops its entry when empty. */
static int ext_trunc_child(struct inode *inode, struct ext4_extent_header *eh, int i, u64 start)
{
	struct ext4_extent_idx *ix = &idx_first(eh)[i];
	struct buffer_head *bh = ext_read_node(inode, idx_pblock(ix), eh->eh_depth - 1);
	struct ext4_extent_header *ceh;
	int err;

	if (IS_ERR(bh))
		return (int)PTR_ERR(bh);
	ceh = (struct ext4_extent_header *)bh->b_data;
	err = ext_trunc_node(inode, ceh, start);
	if (!err && !ceh->eh_entries) {
		u64 blk = bh->b_blocknr;

		/* Not written: the committed tree may still use the old contents. */
		brelse(bh);
		ext2_free_blocks(inode->i_sb, blk, 1);
		ext2_add_blocks(inode, -1);
		memmove(ix, ix + 1, (size_t)(eh->eh_entries - i - 1) * sizeof(*ix));
		eh->eh_entries--;
		return 0;
	}
	ext2_block_csum_set(inode, bh);
	ext2_dirty_meta(inode->i_sb, bh);
	brelse(bh);
	return err;
}

/* Frees everything node eh maps at or past start. */
static int ext_trunc_node(struct inode *inode, struct ext4_extent_header *eh, u64 start)
{
	int i, err;

	if (!eh->eh_depth)
		return ext_trunc_leaf(inode, eh, start);
	for (i = eh->eh_entries - 1; i >= 0; i--) {
		u32 key = idx_first(eh)[i].ei_block;

		err = ext_trunc_child(inode, eh, i, start);
		if (err)
			return err;
		if (key <= start)
			break;
	}
	return 0;
}

/* A tree of one leaf that fits in the inode goes back into the inode. */
static int ext_collapse(struct inode *inode)
{
	struct ext4_extent_header *root = ext_root(inode), *ceh;
	struct buffer_head *bh;
	u64 blk;

	if (root->eh_depth != 1 || root->eh_entries != 1)
		return 0;
	blk = idx_pblock(idx_first(root));
	bh = ext_read_node(inode, blk, 0);
	if (IS_ERR(bh))
		return (int)PTR_ERR(bh);
	ceh = (struct ext4_extent_header *)bh->b_data;
	if (ceh->eh_entries <= 4) {
		memcpy(root + 1, ceh + 1, ceh->eh_entries * 12u);
		root->eh_entries = ceh->eh_entries;
		root->eh_depth = 0;
		brelse(bh);	/* freed, not written: see ext_trunc_child */
		ext2_free_blocks(inode->i_sb, blk, 1);
		ext2_add_blocks(inode, -1);
		return 0;
	}
	brelse(bh);
	return 0;
}

/* Frees the blocks that map logical blocks start and above. Lock held. May sleep. */
int ext4_ext_truncate(struct inode *inode, u64 start)
{
	struct ext4_extent_header *root = ext_root(inode);
	int err = ext4_ext_check_root(inode);

	if (err)
		return err;
	err = ext_trunc_node(inode, root, start);
	if (!err && root->eh_depth && !root->eh_entries)
		root->eh_depth = 0;
	if (!err)
		err = ext_collapse(inode);
	mark_inode_dirty(inode);
	return err;
}
