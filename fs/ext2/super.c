/*
 * super.c - ext2/ext3/ext4 mount, superblock and group descriptors.
 *
 * One driver registered three times.  fill_super reads and checks the
 * superblock (and its checksum) and every group descriptor (checksums,
 * and where its bitmaps and inode table lie: a corrupt image is refused
 * with -EINVAL, never trusted), decides from the feature sets whether to
 * mount at all, read-only or read-write, keeps the descriptor blocks
 * referenced in the buffer cache, and marks the filesystem "not clean" on
 * disk while it is mounted read-write.  sync_fs writes inodes, free
 * counts and the superblock, then the dirty buffers.
 */
#include "ext2.h"
#include "kernel/init.h"
#include "kernel/page.h"
#include "kernel/sched.h"

/* Takes the filesystem's big lock; re-entrant for its holder. May sleep. */
void ext2_lock(struct super_block *sb)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);

	if (sbi->depth && sbi->owner == current) {
		sbi->depth++;
		return;
	}
	kmutex_lock(&sbi->lock);
	sbi->owner = current;
	sbi->depth = 1;
	/* No operation is half done here: a big transaction commits now. */
	if (ext2_journal_full(sb))
		ext2_commit(sb);
}

/* Releases one level of ext2_lock. */
void ext2_unlock(struct super_block *sb)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);

	if (sbi->depth == 1 && sbi->pend_n)
		ext2_discard_flush(sb);	/* still ours: nothing allocated them since */
	if (--sbi->depth == 0) {
		sbi->owner = NULL;
		kmutex_unlock(&sbi->lock);
	}
}

/* Reports on-disk corruption; returns -EIO for the caller to pass on. */
int ext2_error(struct super_block *sb, const char *what, u64 num)
{
	printk(KERN_ERR "%s: corrupt filesystem: %s %llu\n", EXT2_SB(sb)->name, what,
	       (unsigned long long)num);
	EXT2_SB(sb)->es.s_state |= EXT2_ERROR_FS;
	return -EIO;
}

/* The descriptor of group (which the caller has range-checked). */
struct ext2_group_desc *ext2_gd(struct super_block *sb, u32 group)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	/* Both powers of two (1024 << s_log_block_size; checked at mount):
	 * shifts, not the three divisions that made this 2% of a write. */
	unsigned shift = (unsigned)(__builtin_ctz(sbi->blocksize) - __builtin_ctz(sbi->desc_size));

	return (struct ext2_group_desc *)(sbi->gd_bh[group >> shift]->b_data +
					  (group & ((1u << shift) - 1)) * sbi->desc_size);
}

/* Updates group's descriptor checksum and marks it and the superblock for write-back. */
void ext2_gd_dirty(struct super_block *sb, u32 group)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	u32 per = sbi->blocksize / sbi->desc_size;

	if (sbi->metadata_csum || sbi->gdt_csum)
		ext2_gd(sb, group)->bg_checksum = ext2_gd_csum(sb, group, ext2_gd(sb, group));
	ext2_dirty_meta(sb, sbi->gd_bh[group / per]);
	sbi->sb_dirty = true;
}

/* The 64-bit descriptor fields: the _hi halves exist with 64-byte descriptors. */
static bool ext2_gd_hi(struct super_block *sb)
{
	return EXT2_SB(sb)->desc_size >= 64;
}

u64 ext2_block_bitmap(struct super_block *sb, const struct ext2_group_desc *gd)
{
	return gd->bg_block_bitmap | (ext2_gd_hi(sb) ? (u64)gd->bg_block_bitmap_hi << 32 : 0);
}

u64 ext2_inode_bitmap(struct super_block *sb, const struct ext2_group_desc *gd)
{
	return gd->bg_inode_bitmap | (ext2_gd_hi(sb) ? (u64)gd->bg_inode_bitmap_hi << 32 : 0);
}

u64 ext2_inode_table(struct super_block *sb, const struct ext2_group_desc *gd)
{
	return gd->bg_inode_table | (ext2_gd_hi(sb) ? (u64)gd->bg_inode_table_hi << 32 : 0);
}

u32 ext2_gd_free_blocks(struct super_block *sb, const struct ext2_group_desc *gd)
{
	return gd->bg_free_blocks_count |
	       (ext2_gd_hi(sb) ? (u32)gd->bg_free_blocks_count_hi << 16 : 0);
}

u32 ext2_gd_free_inodes(struct super_block *sb, const struct ext2_group_desc *gd)
{
	return gd->bg_free_inodes_count |
	       (ext2_gd_hi(sb) ? (u32)gd->bg_free_inodes_count_hi << 16 : 0);
}

u32 ext2_gd_used_dirs(struct super_block *sb, const struct ext2_group_desc *gd)
{
	return gd->bg_used_dirs_count |
	       (ext2_gd_hi(sb) ? (u32)gd->bg_used_dirs_count_hi << 16 : 0);
}

u32 ext2_gd_itable_unused(struct super_block *sb, const struct ext2_group_desc *gd)
{
	return gd->bg_itable_unused |
	       (ext2_gd_hi(sb) ? (u32)gd->bg_itable_unused_hi << 16 : 0);
}

void ext2_gd_set_free_blocks(struct super_block *sb, struct ext2_group_desc *gd, u32 n)
{
	gd->bg_free_blocks_count = (u16)n;
	if (ext2_gd_hi(sb))
		gd->bg_free_blocks_count_hi = (u16)(n >> 16);
}

void ext2_gd_set_free_inodes(struct super_block *sb, struct ext2_group_desc *gd, u32 n)
{
	gd->bg_free_inodes_count = (u16)n;
	if (ext2_gd_hi(sb))
		gd->bg_free_inodes_count_hi = (u16)(n >> 16);
}

void ext2_gd_set_used_dirs(struct super_block *sb, struct ext2_group_desc *gd, u32 n)
{
	gd->bg_used_dirs_count = (u16)n;
	if (ext2_gd_hi(sb))
		gd->bg_used_dirs_count_hi = (u16)(n >> 16);
}

void ext2_gd_set_itable_unused(struct super_block *sb, struct ext2_group_desc *gd, u32 n)
{
	gd->bg_itable_unused = (u16)n;
	if (ext2_gd_hi(sb))
		gd->bg_itable_unused_hi = (u16)(n >> 16);
}

/* The superblock's free block count (64-bit with the 64bit feature). */
u64 ext2_free_blocks_count(struct ext2_sb_info *sbi)
{
	return sbi->es.s_free_blocks_count |
	       (sbi->is64 ? (u64)sbi->es.s_free_blocks_count_hi << 32 : 0);
}

void ext2_set_free_blocks_count(struct ext2_sb_info *sbi, u64 n)
{
	sbi->es.s_free_blocks_count = (u32)n;
	if (sbi->is64)
		sbi->es.s_free_blocks_count_hi = (u32)(n >> 32);
}

static u64 ext2_r_blocks_count(struct ext2_sb_info *sbi)
{
	return sbi->es.s_r_blocks_count |
	       (sbi->is64 ? (u64)sbi->es.s_r_blocks_count_hi << 32 : 0);
}

/*
 * Copies the in-memory superblock into its buffer, for the journal or
 * (direct) for writeback at once. May sleep.
 */
static int ext2_write_super_to(struct super_block *sb, bool direct)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	u64 block = sbi->blocksize == 1024 ? 1 : 0;
	unsigned off = sbi->blocksize == 1024 ? 0 : 1024;
	struct buffer_head *bh;

	if (sb->s_rdonly)
		return 0;
	bh = bread(sb->s_bdev, block, sbi->blocksize);
	if (!bh)
		return -EIO;
	sbi->es.s_wtime = (u32)current_time().sec;
	if (sbi->metadata_csum)
		sbi->es.s_checksum = ext2_sb_csum(&sbi->es);
	memcpy(bh->b_data + off, &sbi->es, sizeof(sbi->es));
	if (direct)
		mark_buffer_dirty(bh);
	else
		ext2_dirty_meta(sb, bh);
	brelse(bh);
	sbi->sb_dirty = false;
	return 0;
}

static int ext2_write_super(struct super_block *sb)
{
	return ext2_write_super_to(sb, false);
}

/*
 * Writes everything back: dirty inodes and the superblock into their
 * buffers, then the journal commit (or, unjournalled, all dirty buffers).
 * Caller holds the lock. May sleep.
 */
int ext2_commit(struct super_block *sb)
{
	int err, e;

	err = sync_inodes_sb(sb);
	ext2_bitmap_csum_flush(sb);
	/* An idle filesystem commits nothing (and writes no superblock). */
	if (EXT2_SB(sb)->sb_dirty || ext2_journal_pending(sb)) {
		e = ext2_write_super(sb);
		err = err ? err : e;
	}
	e = ext2_journal_commit(sb);
	return err ? err : e;
}

static int ext2_sync_fs(struct super_block *sb)
{
	int err;

	/* Walkers skip a dying superblock (fs/super.c each_sb); a sync_sb
	 * after put_super, on the unmount paths themselves, finds nothing. */
	if (sb->s_rdonly || EXT2_SB(sb) == NULL)
		return 0;
	ext2_lock(sb);
	err = ext2_commit(sb);
	ext2_unlock(sb);
	return err;
}

static void ext2_release_gd(struct ext2_sb_info *sbi)
{
	u32 i;

	if (!sbi->gd_bh)
		return;
	for (i = 0; i < sbi->gd_blocks; i++)
		brelse(sbi->gd_bh[i]);
	kfree(sbi->gd_bh);
	sbi->gd_bh = NULL;
}

static void ext2_mount_cancel(struct super_block *sb);

static void ext2_put_super(struct super_block *sb)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);

	if (!sb->s_rdonly) {
		ext2_lock(sb);
		ext2_commit(sb);
		ext2_journal_stop(sb);	/* from here on, writes go home directly */
		if (sbi->orphan_file && !sbi->orphan_used)
			sbi->es.s_feature_ro_compat &= ~EXT4_FEATURE_RO_COMPAT_ORPHAN_PRESENT;
		if (!(sbi->es.s_state & EXT2_ERROR_FS))
			sbi->es.s_state |= EXT2_VALID_FS;
		/* Nothing reached the disk since the mount: the clean
		 * superblock replaces the one mounted from directly. */
		ext2_mount_cancel(sb);
		ext2_write_super(sb);
		sync_blockdev(sb->s_bdev);
		ext2_unlock(sb);
	}
	ext2_mount_cancel(sb);	/* remounted read-only before any write: the hook goes too */
	ext2_busy_clear(sb);
	kfree(sbi->csum_stale);		/* empty: ext2_commit stored them */
	ext2_orphan_release(sb);
	evict_inodes(sb);
	ext2_xattr_forget(sb);
	ext2_release_gd(sbi);
	invalidate_bdev(sb->s_bdev);
	kfree(sbi);
	sb->s_fs_info = NULL;
}

/*
 * The blocks statfs leaves out of the size, as Linux's ext4 (which
 * mounts ext2 and ext3 too) counts them in ext4_calculate_overhead: those
 * before the first group, each group's superblock and descriptor copies
 * with the reserved GDT blocks, its bitmaps and inode table, and the
 * internal journal.  Equal to what mke2fs records as s_overhead_clusters.
 */
static u64 ext2_overhead(struct super_block *sb)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	u64 itb = ((u64)sbi->es.s_inodes_per_group * sbi->inode_size + sbi->blocksize - 1) / sbi->blocksize;
	u64 n = sbi->es.s_first_data_block + (u64)sbi->groups * (2 + itb);

	for (u32 g = 0; g < sbi->groups; g++)
		n += ext2_group_overhead(sb, g);
	if ((sbi->es.s_feature_compat & EXT3_FEATURE_COMPAT_HAS_JOURNAL) &&
	    sbi->es.s_journal_inum == EXT2_JOURNAL_INO) {
		struct inode *j = iget(sb, EXT2_JOURNAL_INO);

		if (!IS_ERR(j)) {
			n += j->i_size / sbi->blocksize;
			iput(j);
		}
	}
	return n;
}

static int ext2_statfs(struct super_block *sb, struct kstatfs *st)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	u64 free = ext2_free_blocks_count(sbi), r = ext2_r_blocks_count(sbi);
	u64 count = ext2_blocks_count(sbi);

	if (sbi->overhead == 0)
		sbi->overhead = ext2_overhead(sb);
	/* With extents, ext4 keeps 2% or 4096 blocks, whichever is fewer,
	 * from every user (ext4_calculate_resv_clusters). */
	if (sbi->es.s_feature_incompat & EXT4_FEATURE_INCOMPAT_EXTENTS)
		r += count / 50 < 4096 ? count / 50 : 4096;
	memset(st, 0, sizeof(*st));
	st->f_type = EXT2_MAGIC;
	st->f_bsize = st->f_frsize = sbi->blocksize;
	st->f_blocks = count > sbi->overhead ? count - sbi->overhead : 0;
	st->f_bfree = free;
	st->f_bavail = free > r ? free - r : 0;
	st->f_files = sbi->es.s_inodes_count;
	st->f_ffree = sbi->es.s_free_inodes_count;
	st->f_namelen = NAME_MAX;
	return 0;
}

/* Whether the option string data names opt as one of its words. */
static bool has_option(const char *data, const char *opt)
{
	size_t n = strlen(opt);

	for (const char *p = data; p != NULL && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
		if (!strncmp(p, opt, n) && (p[n] == ',' || p[n] == 0))
			return true;
	return false;
}

/* The mount options ext2 acts on: discard/nodiscard (the rest are
 * accepted and ignored, as before). */
static void ext2_parse_options(struct super_block *sb, const char *data)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);

	if (has_option(data, "discard"))
		sbi->discard = true;
	if (has_option(data, "nodiscard"))
		sbi->discard = false;
}

static int ext2_remount(struct super_block *sb, const char *data)
{
	ext2_parse_options(sb, data);
	return 0;
}

/* /proc/mounts: discard when on (Linux shows it among the fs options). */
static void ext2_show_options(struct super_block *sb, char *buf, size_t size)
{
	size_t n = strlen(buf);

	if (EXT2_SB(sb)->discard && n + 8 < size)
		kstrlcpy(buf + n, ",discard", size - n);
}

const struct super_operations ext2_sops = {
	.remount = ext2_remount,
	.show_options = ext2_show_options,
	.read_inode = ext2_read_inode,
	.write_inode = ext2_write_inode,
	.evict_inode = ext2_evict_inode,
	.sync_fs = ext2_sync_fs,
	.put_super = ext2_put_super,
	.statfs = ext2_statfs,
	.free_cached = ext2_dindex_shrink,
};

static int ext2_bad(struct ext2_sb_info *sbi, bool silent, const char *why)
{
	if (!silent)
		printk(KERN_ERR "%s: cannot mount: %s\n", sbi->name, why);
	return -EINVAL;
}

/* Checks the block and inode sizes and fills sbi's derived fields. */
static int ext2_check_sizes(struct ext2_sb_info *sbi, bool silent)
{
	struct ext2_super_block *es = &sbi->es;

	if (es->s_log_block_size > 2)
		return ext2_bad(sbi, silent, "block size not 1K, 2K or 4K");
	sbi->blocksize = 1024u << es->s_log_block_size;
	sbi->addr_per_block = sbi->blocksize / 4;
	if (es->s_rev_level > 1)
		return ext2_bad(sbi, silent, "unknown revision");
	sbi->inode_size = es->s_rev_level ? es->s_inode_size : EXT2_GOOD_OLD_INODE_SIZE;
	sbi->first_ino = es->s_rev_level ? es->s_first_ino : EXT2_GOOD_OLD_FIRST_INO;
	if (sbi->inode_size < EXT2_GOOD_OLD_INODE_SIZE || sbi->inode_size > sbi->blocksize ||
	    (sbi->inode_size & (sbi->inode_size - 1)))
		return ext2_bad(sbi, silent, "bad inode size");
	sbi->inodes_per_block = sbi->blocksize / sbi->inode_size;
	sbi->is64 = es->s_feature_incompat & EXT4_FEATURE_INCOMPAT_64BIT;
	sbi->desc_size = EXT2_MIN_DESC_SIZE;
	if (sbi->is64) {
		sbi->desc_size = es->s_desc_size;
		if (sbi->desc_size < 64 || sbi->desc_size > 1024 ||
		    (sbi->desc_size & (sbi->desc_size - 1)))
			return ext2_bad(sbi, silent, "bad group descriptor size");
	}
	if (es->s_first_data_block != (sbi->blocksize == 1024 ? 1u : 0u))
		return ext2_bad(sbi, silent, "bad first data block");
	return 0;
}

/* Checks the superblock's geometry and fills sbi's derived fields. */
static int ext2_check_geometry(struct ext2_sb_info *sbi, u64 devsize, bool silent)
{
	struct ext2_super_block *es = &sbi->es;
	u64 groups, blocks;
	int err = ext2_check_sizes(sbi, silent);

	if (err)
		return err;
	blocks = ext2_blocks_count(sbi);
	if (!es->s_blocks_per_group || es->s_blocks_per_group > 8 * sbi->blocksize ||
	    !es->s_inodes_per_group || es->s_inodes_per_group > 8 * sbi->blocksize ||
	    es->s_inodes_per_group % sbi->inodes_per_block ||
	    (es->s_rev_level && es->s_log_cluster_size != es->s_log_block_size))
		return ext2_bad(sbi, silent, "bad group geometry");
	if (blocks <= es->s_first_data_block || blocks > devsize / sbi->blocksize)
		return ext2_bad(sbi, silent, "block count beyond the device");
	groups = DIV_ROUND_UP(blocks - es->s_first_data_block, es->s_blocks_per_group);
	if (groups > 0xffffffffull ||
	    (u64)es->s_inodes_count > groups * es->s_inodes_per_group ||
	    es->s_inodes_count < EXT2_ROOT_INO || sbi->first_ino <= EXT2_ROOT_INO ||
	    sbi->first_ino > es->s_inodes_count)
		return ext2_bad(sbi, silent, "bad inode count");
	sbi->groups = (u32)groups;
	sbi->gd_blocks = (u32)DIV_ROUND_UP(groups * sbi->desc_size, sbi->blocksize);
	sbi->reserved_gdt = es->s_rev_level ? es->s_reserved_gdt_blocks : 0;
	if (sbi->reserved_gdt > sbi->addr_per_block)
		return ext2_bad(sbi, silent, "too many reserved descriptor blocks");
	return 0;
}

/* True if group g holds a copy of the superblock and descriptors. */
bool ext2_group_has_super(struct super_block *sb, u32 g)
{
	u32 p;

	if (g <= 1 || !(EXT2_SB(sb)->es.s_feature_ro_compat & EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER))
		return true;
	for (p = 3; p <= 7; p += 2) {
		u64 n = p;

		while (n < g)
			n *= p;
		if (n == g)
			return true;
	}
	return false;
}

/* The first block of group g. */
u64 ext2_group_first(struct super_block *sb, u32 g)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);

	return sbi->es.s_first_data_block + (u64)g * sbi->es.s_blocks_per_group;
}

/* Blocks at the start of group g taken by the superblock and descriptor copies. */
u64 ext2_group_overhead(struct super_block *sb, u32 g)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);

	if (!ext2_group_has_super(sb, g))
		return 0;
	return 1 + sbi->gd_blocks + sbi->reserved_gdt;
}

/* One piece of metadata a group descriptor places: for the overlap check. */
struct ext2_extent_use {
	u64 start, len;
	u32 group;
	const char *what;
};

static int ext2_meta_bad(struct ext2_sb_info *sbi, bool silent, const struct ext2_extent_use *u,
			 const char *why, const struct ext2_extent_use *other)
{
	if (silent)
		return -EINVAL;
	if (other)
		printk(KERN_ERR "%s: cannot mount: group %u: %s (block %llu, %llu blocks) "
		       "overlaps group %u's %s\n", sbi->name, u->group, u->what,
		       (unsigned long long)u->start, (unsigned long long)u->len, other->group,
		       other->what);
	else
		printk(KERN_ERR "%s: cannot mount: group %u: %s (block %llu, %llu blocks) %s\n",
		       sbi->name, u->group, u->what, (unsigned long long)u->start,
		       (unsigned long long)u->len, why);
	return -EINVAL;
}

/* Sorts uses by start block (Shell sort: no recursion, no extra memory). */
static void ext2_sort_uses(struct ext2_extent_use *u, u32 n)
{
	u32 gap, i, j;

	for (gap = n / 2; gap; gap /= 2) {
		for (i = gap; i < n; i++) {
			struct ext2_extent_use t = u[i];

			for (j = i; j >= gap && u[j - gap].start > t.start; j -= gap)
				u[j] = u[j - gap];
			u[j] = t;
		}
	}
}

/* Checks that u lies in its own group, or anywhere in the fs with flex_bg. */
static int ext2_check_place(struct super_block *sb, const struct ext2_extent_use *u, bool silent)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	u64 lo = sbi->es.s_first_data_block, hi = ext2_blocks_count(sbi);

	if (!sbi->flex_bg) {
		lo = ext2_group_first(sb, u->group);
		hi = min(hi, lo + sbi->es.s_blocks_per_group);
	}
	if (u->start < lo || u->start >= hi || u->len > hi - u->start)
		return ext2_meta_bad(sbi, silent, u, sbi->flex_bg ? "is outside the filesystem" :
				     "is outside its group", NULL);
	return 0;
}

/*
 * As Linux's ext4_check_descriptors: every group's bitmaps and inode table
 * lie in that group (anywhere with flex_bg) and overlap nothing else the
 * descriptors place, nor a superblock or descriptor copy.  A descriptor
 * that points into another group's inode table would let new inodes
 * overwrite old ones.
 */
static int ext2_check_descriptors(struct super_block *sb, bool silent)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	u64 itb = sbi->es.s_inodes_per_group / sbi->inodes_per_block;
	struct ext2_extent_use *u;
	u32 g, n = 0, i;
	int err = 0;

	u = kcalloc((size_t)sbi->groups * 4, sizeof(*u));
	if (!u)
		return -ENOMEM;
	for (g = 0; g < sbi->groups; g++) {
		struct ext2_group_desc *gd = ext2_gd(sb, g);

		if (ext2_group_overhead(sb, g))
			u[n++] = (struct ext2_extent_use){ ext2_group_first(sb, g),
				ext2_group_overhead(sb, g), g, "superblock and descriptors" };
		u[n++] = (struct ext2_extent_use){ ext2_block_bitmap(sb, gd), 1, g, "block bitmap" };
		u[n++] = (struct ext2_extent_use){ ext2_inode_bitmap(sb, gd), 1, g, "inode bitmap" };
		u[n++] = (struct ext2_extent_use){ ext2_inode_table(sb, gd), itb, g, "inode table" };
		for (i = n - 3; i < n && !err; i++)
			err = ext2_check_place(sb, &u[i], silent);
		if (err)
			goto out;
	}
	ext2_sort_uses(u, n);
	for (i = 1; i < n; i++) {
		if (u[i].start < u[i - 1].start + u[i - 1].len) {
			err = ext2_meta_bad(sbi, silent, &u[i], NULL, &u[i - 1]);
			break;
		}
	}
out:
	kfree(u);
	return err;
}

/* Checks each descriptor's checksum and counts: 0 or -EINVAL with a message. */
static int ext2_check_groups(struct super_block *sb, bool silent)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	u64 free_blocks = 0, free_inodes = 0;
	u32 i;

	for (i = 0; i < sbi->groups; i++) {
		struct ext2_group_desc *gd = ext2_gd(sb, i);

		if ((sbi->metadata_csum || sbi->gdt_csum) &&
		    gd->bg_checksum != ext2_gd_csum(sb, i, gd)) {
			if (!silent)
				printk(KERN_ERR "%s: cannot mount: group %u: descriptor "
				       "checksum wrong\n", sbi->name, i);
			return -EINVAL;
		}
		if (ext2_gd_free_blocks(sb, gd) > sbi->es.s_blocks_per_group ||
		    ext2_gd_free_inodes(sb, gd) > sbi->es.s_inodes_per_group ||
		    ext2_gd_itable_unused(sb, gd) > sbi->es.s_inodes_per_group) {
			if (!silent)
				printk(KERN_ERR "%s: cannot mount: group %u: free counts "
				       "beyond the group\n", sbi->name, i);
			return -EINVAL;
		}
		free_blocks += ext2_gd_free_blocks(sb, gd);
		free_inodes += ext2_gd_free_inodes(sb, gd);
	}
	if (free_blocks > ext2_blocks_count(sbi) || free_inodes > sbi->es.s_inodes_count)
		return ext2_bad(sbi, silent, "bad free counts");
	ext2_set_free_blocks_count(sbi, free_blocks);
	sbi->es.s_free_inodes_count = (u32)free_inodes;
	return 0;
}

/* Reads and checks the group descriptors; sums the free counts. */
static int ext2_load_groups(struct super_block *sb, bool silent)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	u32 i;

	if ((u64)sbi->es.s_first_data_block + 1 + sbi->gd_blocks + sbi->reserved_gdt >
	    ext2_blocks_count(sbi))
		return ext2_bad(sbi, silent, "group descriptors beyond the end");
	sbi->gd_bh = kcalloc(sbi->gd_blocks, sizeof(*sbi->gd_bh));
	if (!sbi->gd_bh)
		return -ENOMEM;
	for (i = 0; i < sbi->gd_blocks; i++) {
		sbi->gd_bh[i] = bread(sb->s_bdev, sbi->es.s_first_data_block + 1 + i,
				      sbi->blocksize);
		if (!sbi->gd_bh[i])
			return -EIO;
	}
	return ext2_check_groups(sb, silent) ?: ext2_check_descriptors(sb, silent);
}

struct ext2_feature_name {
	u32 mask;
	const char *name;
};

static const struct ext2_feature_name ext2_incompat_names[] = {
	{ 0x0001, "compression" }, { EXT2_FEATURE_INCOMPAT_FILETYPE, "filetype" },
	{ EXT3_FEATURE_INCOMPAT_RECOVER, "needs_recovery" },
	{ EXT3_FEATURE_INCOMPAT_JOURNAL_DEV, "journal_dev" },
	{ EXT2_FEATURE_INCOMPAT_META_BG, "meta_bg" }, { EXT4_FEATURE_INCOMPAT_EXTENTS, "extent" },
	{ EXT4_FEATURE_INCOMPAT_64BIT, "64bit" }, { EXT4_FEATURE_INCOMPAT_MMP, "mmp" },
	{ EXT4_FEATURE_INCOMPAT_FLEX_BG, "flex_bg" }, { EXT4_FEATURE_INCOMPAT_EA_INODE, "ea_inode" },
	{ EXT4_FEATURE_INCOMPAT_DIRDATA, "dirdata" }, { EXT4_FEATURE_INCOMPAT_CSUM_SEED, "metadata_csum_seed" },
	{ EXT4_FEATURE_INCOMPAT_LARGEDIR, "large_dir" },
	{ EXT4_FEATURE_INCOMPAT_INLINE_DATA, "inline_data" },
	{ EXT4_FEATURE_INCOMPAT_ENCRYPT, "encrypt" }, { EXT4_FEATURE_INCOMPAT_CASEFOLD, "casefold" },
	{ 0 , NULL }
};

static const struct ext2_feature_name ext2_ro_compat_names[] = {
	{ EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER, "sparse_super" },
	{ EXT2_FEATURE_RO_COMPAT_LARGE_FILE, "large_file" },
	{ EXT2_FEATURE_RO_COMPAT_BTREE_DIR, "btree_dir" },
	{ EXT4_FEATURE_RO_COMPAT_HUGE_FILE, "huge_file" },
	{ EXT4_FEATURE_RO_COMPAT_GDT_CSUM, "uninit_bg" },
	{ EXT4_FEATURE_RO_COMPAT_DIR_NLINK, "dir_nlink" },
	{ EXT4_FEATURE_RO_COMPAT_EXTRA_ISIZE, "extra_isize" },
	{ EXT4_FEATURE_RO_COMPAT_QUOTA, "quota" }, { EXT4_FEATURE_RO_COMPAT_BIGALLOC, "bigalloc" },
	{ EXT4_FEATURE_RO_COMPAT_METADATA_CSUM, "metadata_csum" },
	{ 0x0800, "replica" }, { EXT4_FEATURE_RO_COMPAT_READONLY, "read-only" },
	{ EXT4_FEATURE_RO_COMPAT_PROJECT, "project" }, { 0x4000, "shared_blocks" },
	{ EXT4_FEATURE_RO_COMPAT_VERITY, "verity" },
	{ EXT4_FEATURE_RO_COMPAT_ORPHAN_PRESENT, "orphan_present" },
	{ 0, NULL }
};

/* Appends " name" to buf (of size n, holding a string). */
static void ext2_append(char *buf, size_t n, const char *name)
{
	size_t l = strlen(buf), k = strlen(name);

	if (l + 1 + k + 1 > n)
		return;
	buf[l] = ' ';
	memcpy(buf + l + 1, name, k + 1);
}

/*
 * Prints "fs: what", then the names of the features in mask; a bit without a
 * name is shown as e2fsprogs shows it (FEATURE_I23, FEATURE_R23).
 */
static void ext2_print_features(const char *fs, const char *what, u32 mask,
				const struct ext2_feature_name *t)
{
	char buf[320], unk[16];
	u32 left = mask;
	int i;

	buf[0] = '\0';
	for (i = 0; t[i].name; i++) {
		if (mask & t[i].mask) {
			ext2_append(buf, sizeof(buf), t[i].name);
			left &= ~t[i].mask;
		}
	}
	for (i = 0; i < 32; i++) {
		if (left & (1u << i)) {
			memcpy(unk, "FEATURE_?", 10);
			unk[8] = t == ext2_incompat_names ? 'I' : 'R';
			unk[9] = (char)(i >= 10 ? '0' + i / 10 : '0' + i);
			unk[10] = (char)(i >= 10 ? '0' + i % 10 : '\0');
			unk[11] = '\0';
			ext2_append(buf, sizeof(buf), unk);
		}
	}
	printk(KERN_ERR "%s: %s%s\n", fs, what, buf);
}

#define EXT4_ONLY_INCOMPAT (EXT4_FEATURE_INCOMPAT_EXTENTS | EXT4_FEATURE_INCOMPAT_64BIT | \
			    EXT4_FEATURE_INCOMPAT_FLEX_BG | EXT4_FEATURE_INCOMPAT_CSUM_SEED | \
			    EXT4_FEATURE_INCOMPAT_LARGEDIR | EXT4_FEATURE_INCOMPAT_INLINE_DATA)

/*
 * Whether the registered type (ext2, ext3 or ext4) takes this image.
 * When the type is being guessed (silent), ext2 takes only images without
 * a journal, ext3 those with one, ext4 those with ext4 features, so one
 * type claims each image; named explicitly, ext4 takes all, ext2 and ext3
 * refuse only the ext4 incompatible features, as Linux's do.
 */
static int ext2_check_type(struct super_block *sb, bool silent)
{
	struct ext2_super_block *es = &EXT2_SB(sb)->es;
	const char *type = sb->s_type ? sb->s_type->name : "ext4";
	bool journal = es->s_feature_compat & EXT3_FEATURE_COMPAT_HAS_JOURNAL;
	u32 ext4 = es->s_rev_level ? es->s_feature_incompat & EXT4_ONLY_INCOMPAT : 0;

	if (silent && !strcmp(type, "ext4"))
		return ext4 ? 0 : -EINVAL;
	if (!strcmp(type, "ext4"))
		return 0;
	if (silent && (ext4 || journal != !strcmp(type, "ext3")))
		return -EINVAL;
	if (ext4) {
		if (!silent)
			ext2_print_features(type, "cannot mount: ext4 features:", ext4,
					    ext2_incompat_names);
		return -EINVAL;
	}
	return 0;
}

/* Sets the flags derived from the feature sets. */
static void ext2_note_features(struct ext2_sb_info *sbi)
{
	struct ext2_super_block *es = &sbi->es;

	sbi->filetype = es->s_feature_incompat & EXT2_FEATURE_INCOMPAT_FILETYPE;
	sbi->flex_bg = es->s_feature_incompat & EXT4_FEATURE_INCOMPAT_FLEX_BG;
	sbi->extents = es->s_feature_incompat & EXT4_FEATURE_INCOMPAT_EXTENTS;
	sbi->huge_file = es->s_feature_ro_compat & EXT4_FEATURE_RO_COMPAT_HUGE_FILE;
	sbi->metadata_csum = es->s_feature_ro_compat & EXT4_FEATURE_RO_COMPAT_METADATA_CSUM;
	sbi->gdt_csum = !sbi->metadata_csum &&
			(es->s_feature_ro_compat & EXT4_FEATURE_RO_COMPAT_GDT_CSUM);
	if (es->s_feature_incompat & EXT4_FEATURE_INCOMPAT_CSUM_SEED)
		sbi->csum_seed = es->s_checksum_seed;
	else
		sbi->csum_seed = ext2_crc32c(~0u, es->s_uuid, sizeof(es->s_uuid));
}

/* Features that make us mount read-only although we know them, and why. */
static const char *ext2_ro_reason(struct ext2_super_block *es)
{
	if (es->s_feature_incompat & EXT4_FEATURE_INCOMPAT_INLINE_DATA)
		return "inline_data files and directories are read, not written";
	return NULL;
}

/*
 * Refuses unknown incompatible features (naming them), mounts read-only
 * with unknown read-only-compatible ones, checks the superblock checksum.
 */
static int ext2_check_features(struct super_block *sb, bool silent)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	struct ext2_super_block *es = &sbi->es;
	const char *why;

	if (es->s_rev_level == 0)
		return 0;
	/* Said even when probing: the magic matched, this is ours but cannot be mounted. */
	if (es->s_feature_incompat & ~EXT2_SUPP_INCOMPAT) {
		ext2_print_features(sbi->name, "cannot mount: unsupported incompatible features:",
				    es->s_feature_incompat & ~EXT2_SUPP_INCOMPAT,
				    ext2_incompat_names);
		return -EINVAL;
	}
	if (es->s_feature_ro_compat & EXT4_FEATURE_RO_COMPAT_BIGALLOC) {
		printk(KERN_ERR "ext4: cannot mount: bigalloc (clusters) is not supported\n");
		return -EINVAL;
	}
	ext2_note_features(sbi);
	if (sbi->metadata_csum && (es->s_checksum_type != 1 || es->s_checksum != ext2_sb_csum(es))) {
		printk(KERN_ERR "%s: cannot mount: superblock checksum wrong\n", sbi->name);
		return -EINVAL;
	}
	if ((es->s_feature_ro_compat & ~EXT2_SUPP_RO_COMPAT) && !sb->s_rdonly) {
		ext2_print_features(sbi->name, "mounting read-only: unsupported features:",
				    es->s_feature_ro_compat & ~EXT2_SUPP_RO_COMPAT,
				    ext2_ro_compat_names);
		sb->s_rdonly = true;
	}
	why = ext2_ro_reason(es);
	if (why && !sb->s_rdonly) {
		printk(KERN_WARNING "%s: mounting read-only: %s\n", sbi->name, why);
		sb->s_rdonly = true;
	}
	return 0;
}

/*
 * Finishes what a crashed kernel left in the orphan list (inodes chained
 * through i_dtime from s_last_orphan): an unlinked inode is freed, a
 * linked one loses its blocks past i_size (an interrupted truncate).
 * Returns 0 or -EIO. May sleep.
 */
static int ext2_orphan_cleanup(struct super_block *sb)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	u32 ino = sbi->es.s_last_orphan, n = 0, freed = 0, trimmed = 0;
	int err = 0;

	if (!ino || sb->s_rdonly)
		return 0;
	sbi->orphan_scan = true;
	while (ino && !err) {
		struct inode *inode;

		if (++n > sbi->es.s_inodes_count || ino < sbi->first_ino) {
			err = ext2_error(sb, "bad orphan list at inode", ino);
			break;
		}
		inode = iget(sb, ino);
		if (IS_ERR(inode)) {
			err = (int)PTR_ERR(inode);
			break;
		}
		ino = EXT2_I(inode)->i_dtime;
		if (inode->i_nlink) {
			ext2_lock(sb);
			err = ext2_trim_blocks(inode);
			EXT2_I(inode)->i_dtime = 0;
			mark_inode_dirty(inode);
			ext2_unlock(sb);
			trimmed++;
		} else {
			freed++;
		}
		iput(inode);	/* the last reference frees an unlinked inode */
	}
	sbi->orphan_scan = false;
	if (err)
		return err;
	printk(KERN_INFO "%s: orphan list: %u inodes freed, %u truncated\n", sbi->name, freed,
	       trimmed);
	sbi->es.s_last_orphan = 0;
	sbi->sb_dirty = true;
	return sync_inodes_sb(sb);
}

/*
 * The device's before-write hook: the superblock as mounted reaches the
 * disk, durably, before any other write does (a crash before it leaves
 * the image as it was, clean).  Takes no lock and waits for no buffer:
 * it runs inside whatever write comes first (bdflush's, a journal
 * commit's, perhaps the superblock buffer's own).  The cached superblock
 * buffer, when clean, is given the same bytes.  May sleep.
 */
static int ext2_mount_durable(struct block_device *bdev, void *arg)
{
	struct ext2_sb_info *sbi = EXT2_SB((struct super_block *)arg);
	struct ext2_super_block *es = sbi->mount_es;
	int err;

	if (!es)
		return 0;
	err = blk_rw(bdev, BIO_WRITE, 1024, es, sizeof(*es)) ?: blk_rw(bdev, BIO_FLUSH, 0, NULL, 0);
	if (err) {
		printk(KERN_ERR "%s: cannot write the superblock: error %d\n", sbi->name, err);
		return err;
	}
	/* Without waiting: the write that called us may be that buffer's. */
	bupdate_clean(bdev, sbi->blocksize == 1024 ? 1 : 0, sbi->blocksize,
		      sbi->blocksize == 1024 ? 0 : 1024, es, sizeof(*es));
	sbi->mount_es = NULL;
	kfree(es);
	return 0;
}

/* Nothing was written since the mount (the hook never ran): the disk
 * still holds the superblock it was mounted from.  Never sleeps. */
static void ext2_mount_cancel(struct super_block *sb)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);

	if (!sbi->mount_es)
		return;
	blk_set_before_write(sb->s_bdev, NULL, NULL);
	kfree(sbi->mount_es);
	sbi->mount_es = NULL;
}

/*
 * Marks the filesystem mounted (not clean until unmount; needs_recovery
 * with a journal).  As Linux, it reaches the disk with the first write,
 * not at mount: a read-only workload never waits for it, and no write
 * (no journal block, no metadata) can come before it (the hook above).
 */
static int ext2_mark_mounted(struct super_block *sb)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	struct ext2_super_block *es = &sbi->es;

	if (sb->s_rdonly)
		return 0;
	if (!(es->s_state & EXT2_VALID_FS))
		printk(KERN_WARNING "%s: mounting a filesystem that was not cleanly "
		       "unmounted; run e2fsck\n", sbi->name);
	es->s_state &= ~EXT2_VALID_FS;
	es->s_mnt_count++;
	es->s_mtime = (u32)current_time().sec;
	if (ext2_journal_start(sb))
		printk(KERN_WARNING "%s: cannot use the journal: writing without it\n",
		       sbi->name);
	/* What mounting changed: written by the first write (needs_recovery
	 * reaches the disk before any transaction does), or in place by the
	 * first commit that writes the superblock. */
	es->s_wtime = (u32)current_time().sec;
	if (sbi->metadata_csum)
		es->s_checksum = ext2_sb_csum(es);
	sbi->mount_es = kmalloc(sizeof(*es));
	if (!sbi->mount_es)
		return ext2_write_super_to(sb, true) ?: sync_blockdev(sb->s_bdev);
	memcpy(sbi->mount_es, es, sizeof(*es));
	blk_set_before_write(sb->s_bdev, ext2_mount_durable, sb);
	return 0;
}

static int ext2_get_root(struct super_block *sb, bool silent)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	struct inode *root = iget(sb, EXT2_ROOT_INO);

	if (IS_ERR(root)) {
		ext2_bad(sbi, silent, "cannot read the root inode");
		return PTR_ERR(root);
	}
	if (!S_ISDIR(root->i_mode)) {
		iput(root);
		return ext2_bad(sbi, silent, "root is not a directory");
	}
	sb->s_root = root;
	return 0;
}

/* Reads the superblock and descriptors and checks them all. */
static int ext2_read_fs(struct super_block *sb, bool silent)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	int err;

	err = blk_rw(sb->s_bdev, BIO_READ, 1024, &sbi->es, sizeof(sbi->es));
	if (err)
		return err;
	if (sbi->es.s_magic != EXT2_MAGIC && !silent)
		printk(KERN_ERR "%s: cannot mount: no ext2 magic number\n", sbi->name);
	if (sbi->es.s_magic != EXT2_MAGIC || ext2_check_type(sb, silent))
		return -EINVAL;
	/* The image is ours: from here on, say why it is refused. */
	return ext2_check_geometry(sbi, sb->s_bdev->size, false) ?:
	       ext2_check_features(sb, false) ?: ext2_load_groups(sb, false);
}

/* Forgets what ext2_read_fs read, for a second reading after a journal replay. */
static void ext2_forget_fs(struct super_block *sb)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);

	evict_inodes(sb);
	ext2_release_gd(sbi);
	invalidate_bdev(sb->s_bdev);
}

static int ext2_fill_super(struct super_block *sb, const char *data, bool silent)
{
	struct ext2_sb_info *sbi;
	bool ro;
	int err, pass;

	if (!sb->s_bdev || sb->s_bdev->size < 2048) {
		if (!silent)
			printk(KERN_ERR "%s: cannot mount: no device or device too small\n",
			       sb->s_type ? sb->s_type->name : "ext4");
		return -EINVAL;
	}
	ro = sb->s_rdonly || sb->s_bdev->read_only;
	sbi = kzalloc(sizeof(*sbi));
	if (!sbi)
		return -ENOMEM;
	kmutex_init(&sbi->lock);
	sbi->name = sb->s_type ? sb->s_type->name : "ext4";
	sb->s_fs_info = sbi;
	for (pass = 0;; pass++) {
		sb->s_rdonly = ro;
		err = ext2_read_fs(sb, silent);
		if (err)
			goto out_free;
		sb->s_op = &ext2_sops;
		sb->s_xattr = &ext2_xattr_ops;
		sb->s_blocksize = sbi->blocksize;
		sb->s_maxbytes = ext2_max_size(sb, sbi->extents);	/* lseek/pread/pwrite limits */
		sb->s_magic = EXT2_MAGIC;
		err = ext2_journal_check(sb);
		if (err <= 0 || pass)
			break;
		ext2_forget_fs(sb);	/* replayed: read it all again */
	}
	if (err < 0)
		goto out_inodes;
	err = ext2_get_root(sb, silent);
	if (err)
		goto out_inodes;
	ext2_parse_options(sb, data);
	err = ext2_orphan_load(sb);
	if (err == -EIO && !sb->s_rdonly) {
		printk(KERN_WARNING "%s: mounting read-only: the orphan file is unusable\n",
		       sbi->name);
		sb->s_rdonly = true;
	}
	if (err && err != -EIO)
		goto out_root;
	err = ext2_orphan_cleanup(sb) ?: ext2_orphan_file_cleanup(sb) ?: ext2_mark_mounted(sb);
	if (err)
		goto out_root;
	return 0;
out_root:
	ext2_orphan_release(sb);
	iput(sb->s_root);
	sb->s_root = NULL;
out_inodes:
	evict_inodes(sb);
out_free:
	kfree(sbi->csum_stale);
	ext2_release_gd(sbi);
	invalidate_bdev(sb->s_bdev);	/* nothing of a refused image stays cached */
	kfree(sbi);
	sb->s_fs_info = NULL;
	return err;
}

static struct file_system_type ext2_fs_type = {
	.name = "ext2",
	.requires_dev = true,
	.fill_super = ext2_fill_super,
};

static struct file_system_type ext3_fs_type = {
	.name = "ext3",
	.requires_dev = true,
	.fill_super = ext2_fill_super,
};

static struct file_system_type ext4_fs_type = {
	.name = "ext4",
	.requires_dev = true,
	.fill_super = ext2_fill_super,
};

/* Registers the ext2, ext3 and ext4 filesystem types (one driver). */
void ext2_init(void)
{
	register_filesystem(&ext2_fs_type);
	register_filesystem(&ext3_fs_type);
	register_filesystem(&ext4_fs_type);
}
