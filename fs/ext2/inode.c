/*
 * inode.c - ext2 inodes: on-disk inode I/O, the block map, truncate.
 *
 * A file's blocks are found through i_block: twelve direct pointers, then
 * a single, double and triple indirect block.  A zero pointer is a hole,
 * read as zeros.  Blocks are allocated near the inode's group and zeroed
 * in the buffer cache when new, so a partial write never exposes old
 * data.  i_blocks counts 512-byte sectors, indirect blocks included.
 */
#include "ext2.h"
#include "kernel/page.h"
#include "kernel/sched.h"

/* Finds inode ino's on-disk slot: its table block and byte offset. */
static int ext2_inode_loc(struct super_block *sb, u64 ino, u32 *block, u32 *off)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	u32 g, idx;

	if (ino < 1 || ino > sbi->es.s_inodes_count)
		return ext2_error(sb, "inode number out of range", ino);
	g = (u32)(ino - 1) / sbi->es.s_inodes_per_group;
	idx = (u32)(ino - 1) % sbi->es.s_inodes_per_group;
	*block = ext2_gd(sb, g)->bg_inode_table + idx / sbi->inodes_per_block;
	*off = (idx % sbi->inodes_per_block) * sbi->inode_size;
	return 0;
}

/* True if inode is a symlink whose target lives in i_block. */
bool ext2_fast_symlink(struct inode *inode)
{
	struct ext2_inode_info *ei = EXT2_I(inode);
	u64 ea = ei->i_file_acl ? inode->i_sb->s_blocksize / 512 : 0;

	return S_ISLNK(inode->i_mode) && inode->i_blocks == ea;
}

/* True if i_block holds block pointers. */
static bool ext2_has_blocks(struct inode *inode)
{
	umode_t m = inode->i_mode;

	return S_ISREG(m) || S_ISDIR(m) || (S_ISLNK(m) && !ext2_fast_symlink(inode));
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
	} else if (S_ISCHR(m) || S_ISBLK(m)) {
		inode->i_fop = &def_chr_fops;
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

static void ext2_fill_inode(struct inode *inode, const struct ext2_inode *raw)
{
	struct ext2_inode_info *ei = EXT2_I(inode);

	inode->i_mode = raw->i_mode;
	inode->i_uid = raw->i_uid | ((uid_t)raw->i_uid_high << 16);
	inode->i_gid = raw->i_gid | ((gid_t)raw->i_gid_high << 16);
	inode->i_nlink = raw->i_links_count;
	inode->i_size = raw->i_size;
	if (S_ISREG(raw->i_mode))
		inode->i_size |= (u64)raw->i_size_high << 32;
	inode->i_blocks = raw->i_blocks;
	inode->i_atime.sec = raw->i_atime;
	inode->i_mtime.sec = raw->i_mtime;
	inode->i_ctime.sec = raw->i_ctime;
	memcpy(ei->i_block, raw->i_block, sizeof(ei->i_block));
	ei->i_flags = raw->i_flags;
	ei->i_file_acl = raw->i_file_acl;
	ei->i_dtime = raw->i_dtime;
	ei->i_generation = raw->i_generation;
	if (S_ISCHR(inode->i_mode) || S_ISBLK(inode->i_mode))
		inode->i_rdev = ext2_decode_dev(raw->i_block);
	ei->group = (u32)(inode->i_ino - 1) / EXT2_SB(inode->i_sb)->es.s_inodes_per_group;
}

/* Reads inode->i_ino from disk: 0, -EIO (corrupt) or -ENOMEM. May sleep. */
int ext2_read_inode(struct inode *inode)
{
	struct super_block *sb = inode->i_sb;
	struct ext2_inode_info *ei;
	struct buffer_head *bh;
	struct ext2_inode raw;
	u32 block, off;
	int err;

	err = ext2_inode_loc(sb, inode->i_ino, &block, &off);
	if (err)
		return err;
	bh = bread(sb->s_bdev, block, EXT2_SB(sb)->blocksize);
	if (!bh)
		return -EIO;
	memcpy(&raw, bh->b_data + off, sizeof(raw));
	brelse(bh);
	if (!raw.i_mode || !raw.i_links_count)
		return ext2_error(sb, "reference to a deleted inode", inode->i_ino);
	if (S_ISDIR(raw.i_mode) && raw.i_size % EXT2_SB(sb)->blocksize)
		return ext2_error(sb, "directory size not a multiple of blocks", inode->i_ino);
	ei = kzalloc(sizeof(*ei));
	if (!ei)
		return -ENOMEM;
	inode->i_private = ei;
	ext2_fill_inode(inode, &raw);
	ext2_set_ops(inode);
	return 0;
}

static void ext2_fill_raw(struct inode *inode, struct ext2_inode *raw)
{
	struct ext2_inode_info *ei = EXT2_I(inode);

	raw->i_mode = (u16)inode->i_mode;
	raw->i_uid = (u16)inode->i_uid;
	raw->i_uid_high = (u16)(inode->i_uid >> 16);
	raw->i_gid = (u16)inode->i_gid;
	raw->i_gid_high = (u16)(inode->i_gid >> 16);
	raw->i_links_count = (u16)inode->i_nlink;
	raw->i_size = (u32)inode->i_size;
	if (S_ISREG(inode->i_mode))
		raw->i_size_high = (u32)(inode->i_size >> 32);
	raw->i_blocks = (u32)inode->i_blocks;
	raw->i_atime = (u32)inode->i_atime.sec;
	raw->i_mtime = (u32)inode->i_mtime.sec;
	raw->i_ctime = (u32)inode->i_ctime.sec;
	raw->i_dtime = ei->i_dtime;
	raw->i_flags = ei->i_flags;
	raw->i_file_acl = ei->i_file_acl;
	raw->i_generation = ei->i_generation;
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
	struct buffer_head *bh;
	struct ext2_inode raw;
	u32 block, off;
	int err;

	if (sb->s_rdonly || !inode->i_private)
		return 0;
	ext2_lock(sb);
	err = ext2_inode_loc(sb, inode->i_ino, &block, &off);
	if (err)
		goto out;
	err = -EIO;
	bh = bread(sb->s_bdev, block, EXT2_SB(sb)->blocksize);
	if (!bh)
		goto out;
	memcpy(&raw, bh->b_data + off, sizeof(raw));
	ext2_fill_raw(inode, &raw);
	ext2_note_large(inode);
	memcpy(bh->b_data + off, &raw, sizeof(raw));
	mark_buffer_dirty(bh);
	brelse(bh);
	err = 0;
out:
	ext2_unlock(sb);
	return err;
}

/* Drops one reference to the extended attribute block, freeing it at 0. */
static void ext2_put_xattr_block(struct inode *inode)
{
	struct super_block *sb = inode->i_sb;
	struct ext2_inode_info *ei = EXT2_I(inode);
	struct buffer_head *bh;
	u32 *refcount;

	if (!ei->i_file_acl)
		return;
	if (!ext2_block_valid(sb, ei->i_file_acl)) {
		ext2_error(sb, "bad xattr block", ei->i_file_acl);
		return;
	}
	bh = bread(sb->s_bdev, ei->i_file_acl, sb->s_blocksize);
	if (!bh)
		return;
	refcount = (u32 *)(bh->b_data + 4);
	if (*refcount > 1) {
		(*refcount)--;
		mark_buffer_dirty(bh);
	} else {
		ext2_free_block(sb, ei->i_file_acl);
	}
	brelse(bh);
	ext2_add_blocks(inode, -1);
	ei->i_file_acl = 0;
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
		if (ext2_has_blocks(inode))
			ext2_truncate(inode, 0);
		inode->i_size = 0;
		ext2_put_xattr_block(inode);
		ei->i_dtime = (u32)current_time().sec;
		inode->i_dirty = true;
		ext2_write_inode(inode);
		ext2_free_inode_no(sb, (u32)inode->i_ino, S_ISDIR(inode->i_mode));
		ext2_unlock(sb);
	}
	kfree(ei);
	inode->i_private = NULL;
}

/* The largest file size the block map and i_blocks can describe. */
u64 ext2_max_size(struct super_block *sb)
{
	u64 apb = EXT2_SB(sb)->addr_per_block;
	u64 blocks = EXT2_NDIR_BLOCKS + apb + apb * apb + apb * apb * apb;
	u64 limit = (1ull << 32) * 512 / sb->s_blocksize - (1 + apb + apb * apb);

	return min(blocks, limit) * sb->s_blocksize;
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
	if (attr->size > ext2_max_size(inode->i_sb))
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

/* Clears inode ino's on-disk slot, so no old field survives. May sleep. */
static int ext2_clear_slot(struct super_block *sb, u32 ino)
{
	struct buffer_head *bh;
	u32 block, off;
	int err;

	err = ext2_inode_loc(sb, ino, &block, &off);
	if (err)
		return err;
	bh = bread(sb->s_bdev, block, sb->s_blocksize);
	if (!bh)
		return -EIO;
	memset(bh->b_data + off, 0, EXT2_SB(sb)->inode_size);
	mark_buffer_dirty(bh);
	brelse(bh);
	return 0;
}

static void ext2_init_new(struct inode *inode, struct inode *dir, umode_t mode)
{
	static u32 generation;
	struct ext2_inode_info *ei = EXT2_I(inode);

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
