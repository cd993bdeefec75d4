/*
 * orphan.c - inodes that lost their last link while still in use, listed
 * on disk so that the mount after a crash frees them.
 *
 * Two lists, as ext4 has them: with the orphan_file feature, an entry in
 * the orphan file (an inode of s_orphan_file_inum whose blocks are arrays
 * of inode numbers with a checksummed tail), and RO_COMPAT_ORPHAN_PRESENT
 * set while any entry may be in use; without it (or when the file is
 * full), the s_last_orphan chain through i_dtime.  Only a journalled
 * filesystem lists orphans, as Linux's ext4: without a journal e2fsck
 * finds them after a crash anyway.  Every change goes through the journal
 * in the transaction of the unlink or of the final release.
 */
#include "ext2.h"
#include "kernel/kernel.h"
#include "kernel/page.h"
#include "kernel/string.h"

#define EXT2_ORPHAN_MAX_BLOCKS	65536	/* far above what mke2fs makes (512) */

static u32 ext2_orphan_per_block(struct super_block *sb)
{
	return (sb->s_blocksize - sizeof(struct ext4_orphan_block_tail)) / 4;
}

static struct ext4_orphan_block_tail *ext2_orphan_tail(struct super_block *sb, u8 *b)
{
	return (struct ext4_orphan_block_tail *)(b + sb->s_blocksize -
						 sizeof(struct ext4_orphan_block_tail));
}

/* The checksum of orphan block b at pblk: the orphan file's inode seed, the block, the entries. */
static u32 ext2_orphan_csum(struct super_block *sb, u64 pblk, const u8 *b)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	u32 crc = EXT2_I(sbi->orphan_file)->csum_seed;

	crc = ext2_crc32c(crc, &pblk, sizeof(pblk));
	return ext2_crc32c(crc, b, ext2_orphan_per_block(sb) * 4);
}

/* Reads orphan block i and checks its magic and checksum: the buffer, or NULL. */
static struct buffer_head *ext2_orphan_read(struct super_block *sb, u32 i)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	struct buffer_head *bh = bread(sb->s_bdev, sbi->orphan_blocks[i], sb->s_blocksize);
	struct ext4_orphan_block_tail *t;

	if (!bh) {
		ext2_error(sb, "cannot read orphan file block", sbi->orphan_blocks[i]);
		return NULL;
	}
	t = ext2_orphan_tail(sb, bh->b_data);
	if (t->ob_magic != EXT4_ORPHAN_BLOCK_MAGIC ||
	    (sbi->metadata_csum &&
	     t->ob_checksum != ext2_orphan_csum(sb, sbi->orphan_blocks[i], bh->b_data))) {
		ext2_error(sb, t->ob_magic != EXT4_ORPHAN_BLOCK_MAGIC ?
			   "bad magic in orphan file block" : "checksum wrong in orphan file block",
			   sbi->orphan_blocks[i]);
		brelse(bh);
		return NULL;
	}
	return bh;
}

/* Seals a changed orphan block and gives it to the journal. */
static void ext2_orphan_dirty(struct super_block *sb, u32 i, struct buffer_head *bh)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);

	if (sbi->metadata_csum)
		ext2_orphan_tail(sb, bh->b_data)->ob_checksum =
			ext2_orphan_csum(sb, sbi->orphan_blocks[i], bh->b_data);
	ext2_dirty_meta(sb, bh);
}

void ext2_orphan_release(struct super_block *sb)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);

	iput(sbi->orphan_file);
	sbi->orphan_file = NULL;
	kfree(sbi->orphan_blocks);
	sbi->orphan_blocks = NULL;
	sbi->orphan_nblocks = sbi->orphan_used = 0;
}

/* Says why the orphan file cannot be used and drops what was loaded: -EIO. */
static int ext2_orphan_bad(struct super_block *sb, const char *why, u64 num)
{
	ext2_orphan_release(sb);
	return ext2_error(sb, why, num);
}

/*
 * Finds the orphan file of an orphan_file filesystem and checks every
 * block of it (magic, checksum), counting the entries in use.  0 without
 * the feature; -EIO (said) for a broken one, which the caller makes a
 * read-only mount. May sleep.
 */
int ext2_orphan_load(struct super_block *sb)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	struct ext2_super_block *es = &sbi->es;
	u32 ino = es->s_orphan_file_inum, i, k, per = ext2_orphan_per_block(sb);
	struct inode *inode;
	u64 n;
	int err;

	INIT_LIST_HEAD(&sbi->orphans);
	if (!(es->s_feature_compat & EXT4_FEATURE_COMPAT_ORPHAN_FILE)) {
		if (es->s_feature_ro_compat & EXT4_FEATURE_RO_COMPAT_ORPHAN_PRESENT)
			return ext2_error(sb, "orphan_present without an orphan file, feature", 0);
		return 0;
	}
	if (ino < sbi->first_ino || ino > es->s_inodes_count)
		return ext2_error(sb, "bad orphan file inode", ino);
	inode = iget(sb, ino);
	if (IS_ERR(inode))
		return ext2_error(sb, "cannot read the orphan file inode", ino);
	sbi->orphan_file = inode;
	n = inode->i_size / sb->s_blocksize;
	if (!S_ISREG(inode->i_mode) || !inode->i_nlink || inode->i_size % sb->s_blocksize ||
	    n == 0 || n > EXT2_ORPHAN_MAX_BLOCKS ||
	    (EXT2_I(inode)->i_flags & EXT4_INLINE_DATA_FL))
		return ext2_orphan_bad(sb, "bad orphan file (mode, size or links) in inode", ino);
	sbi->orphan_blocks = kcalloc(n, sizeof(u64));
	if (!sbi->orphan_blocks) {
		ext2_orphan_release(sb);
		return -ENOMEM;
	}
	sbi->orphan_nblocks = (u32)n;
	for (i = 0; i < n; i++) {
		struct buffer_head *bh;
		u64 pblk = 0;

		err = ext2_get_block(inode, i, false, &pblk);
		if (err || !pblk)
			return ext2_orphan_bad(sb, "hole or bad block in orphan file at", i);
		sbi->orphan_blocks[i] = pblk;
		bh = ext2_orphan_read(sb, i);
		if (!bh) {
			ext2_orphan_release(sb);
			return -EIO;
		}
		for (k = 0; k < per; k++)
			sbi->orphan_used += ((u32 *)bh->b_data)[k] != 0;
		brelse(bh);
	}
	return 0;
}

/*
 * Finishes the orphans a crashed kernel left in the orphan file: each
 * unlinked inode freed, each linked one cut to its size, its entry
 * cleared; then orphan_present is cleared.  The journal is not running
 * yet: the writes go home at once. May sleep.
 */
int ext2_orphan_file_cleanup(struct super_block *sb)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	u32 i, k, per = ext2_orphan_per_block(sb), freed = 0, trimmed = 0;
	int err = 0;

	if (!sbi->orphan_file || sb->s_rdonly)
		return 0;
	if (!sbi->orphan_used) {
		if (sbi->es.s_feature_ro_compat & EXT4_FEATURE_RO_COMPAT_ORPHAN_PRESENT) {
			sbi->es.s_feature_ro_compat &= ~EXT4_FEATURE_RO_COMPAT_ORPHAN_PRESENT;
			sbi->sb_dirty = true;
		}
		return 0;
	}
	sbi->orphan_scan = true;
	for (i = 0; i < sbi->orphan_nblocks && !err; i++) {
		struct buffer_head *bh = ext2_orphan_read(sb, i);
		bool changed = false;
		u32 *e;

		if (!bh) {
			err = -EIO;
			break;
		}
		e = (u32 *)bh->b_data;
		for (k = 0; k < per && !err; k++) {
			struct inode *inode;
			u32 ino = e[k];

			if (!ino)
				continue;
			if (ino < sbi->first_ino || ino > sbi->es.s_inodes_count ||
			    ino == sbi->orphan_file->i_ino) {
				err = ext2_error(sb, "bad inode in the orphan file", ino);
				break;
			}
			inode = iget(sb, ino);
			if (IS_ERR(inode)) {
				err = (int)PTR_ERR(inode);
				break;
			}
			if (inode->i_nlink) {
				ext2_lock(sb);
				err = ext2_trim_blocks(inode);
				ext2_unlock(sb);
				trimmed++;
			} else {
				freed++;
			}
			iput(inode);	/* the last reference frees an unlinked inode */
			e[k] = 0;
			sbi->orphan_used--;
			changed = true;
		}
		if (changed)	/* even on an error: those entries are done */
			ext2_orphan_dirty(sb, i, bh);
		brelse(bh);
	}
	sbi->orphan_scan = false;
	if (err)
		return err;
	printk(KERN_INFO "%s: orphan file: %u inodes freed, %u truncated\n", sbi->name, freed,
	       trimmed);
	sbi->es.s_feature_ro_compat &= ~EXT4_FEATURE_RO_COMPAT_ORPHAN_PRESENT;
	sbi->sb_dirty = true;
	return sync_inodes_sb(sb);
}

/* Puts inode in a free entry of the orphan file: true, or false when it is full or broken. */
static bool ext2_orphan_file_add(struct inode *inode)
{
	struct super_block *sb = inode->i_sb;
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	u32 i, k, per = ext2_orphan_per_block(sb);

	if (!sbi->orphan_file || sbi->orphan_used >= sbi->orphan_nblocks * per)
		return false;
	for (i = 0; i < sbi->orphan_nblocks; i++) {
		struct buffer_head *bh = ext2_orphan_read(sb, i);
		u32 *e;

		if (!bh)
			return false;
		e = (u32 *)bh->b_data;
		for (k = 0; k < per && e[k]; k++)
			;
		if (k == per) {
			brelse(bh);
			continue;
		}
		e[k] = (u32)inode->i_ino;
		ext2_orphan_dirty(sb, i, bh);
		brelse(bh);
		sbi->orphan_used++;
		EXT2_I(inode)->orphan_slot = i * per + k + 1;
		if (!(sbi->es.s_feature_ro_compat & EXT4_FEATURE_RO_COMPAT_ORPHAN_PRESENT)) {
			sbi->es.s_feature_ro_compat |= EXT4_FEATURE_RO_COMPAT_ORPHAN_PRESENT;
			sbi->sb_dirty = true;
		}
		return true;
	}
	return false;
}

/*
 * Lists inode, whose last link just went (an unlink, rmdir, rename over
 * it, O_TMPFILE), so that a crash before its release frees it at the
 * next mount.  Lock held. May sleep.
 */
void ext2_orphan_add(struct inode *inode)
{
	struct super_block *sb = inode->i_sb;
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	struct ext2_inode_info *ei = EXT2_I(inode);

	if (!sbi->journal || sb->s_rdonly || inode->i_nlink || ei->on_chain || ei->orphan_slot)
		return;
	if (ext2_orphan_file_add(inode))
		return;
	ei->inode = inode;
	ei->i_dtime = sbi->es.s_last_orphan;
	sbi->es.s_last_orphan = (u32)inode->i_ino;
	sbi->sb_dirty = true;
	list_add(&ei->orphan, &sbi->orphans);
	ei->on_chain = true;
	mark_inode_dirty(inode);
}

/* Takes inode off its orphan list (it is being freed). Lock held. May sleep. */
void ext2_orphan_del(struct inode *inode)
{
	struct super_block *sb = inode->i_sb;
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	struct ext2_inode_info *ei = EXT2_I(inode);

	if (ei->orphan_slot) {
		u32 per = ext2_orphan_per_block(sb), i = (ei->orphan_slot - 1) / per;
		u32 k = (ei->orphan_slot - 1) % per;
		struct buffer_head *bh = sbi->orphan_file && i < sbi->orphan_nblocks ?
					 ext2_orphan_read(sb, i) : NULL;

		ei->orphan_slot = 0;
		if (!bh)
			return;
		if (((u32 *)bh->b_data)[k] == inode->i_ino) {
			((u32 *)bh->b_data)[k] = 0;
			ext2_orphan_dirty(sb, i, bh);
			sbi->orphan_used--;
		}
		brelse(bh);
		return;
	}
	if (!ei->on_chain)
		return;
	/* The newer neighbour (nearer s_last_orphan) points at this one. */
	if (ei->orphan.prev == &sbi->orphans) {
		sbi->es.s_last_orphan = ei->i_dtime;
		sbi->sb_dirty = true;
	} else {
		struct ext2_inode_info *prev = list_entry(ei->orphan.prev, struct ext2_inode_info,
							  orphan);

		prev->i_dtime = ei->i_dtime;
		mark_inode_dirty(prev->inode);
	}
	list_del(&ei->orphan);
	ei->on_chain = false;
	ei->i_dtime = 0;
}
