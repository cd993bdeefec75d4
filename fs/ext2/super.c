/*
 * super.c - ext2 mount, superblock and group descriptors.
 *
 * fill_super reads and checks the superblock and every group descriptor
 * (a corrupt image is refused with -EINVAL, never trusted), keeps the
 * descriptor blocks referenced in the buffer cache, and marks the
 * filesystem "not clean" on disk while it is mounted read-write.  sync_fs
 * writes inodes, free counts and the superblock, then the dirty buffers.
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
}

/* Releases one level of ext2_lock. */
void ext2_unlock(struct super_block *sb)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);

	if (--sbi->depth == 0) {
		sbi->owner = NULL;
		kmutex_unlock(&sbi->lock);
	}
}

/* Reports on-disk corruption; returns -EIO for the caller to pass on. */
int ext2_error(struct super_block *sb, const char *what, u64 num)
{
	printk(KERN_ERR "ext2: corrupt filesystem: %s %llu\n", what,
	       (unsigned long long)num);
	EXT2_SB(sb)->es.s_state |= EXT2_ERROR_FS;
	return -EIO;
}

/* The descriptor of group (which the caller has range-checked). */
struct ext2_group_desc *ext2_gd(struct super_block *sb, u32 group)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	u32 per = sbi->blocksize / sizeof(struct ext2_group_desc);

	return (struct ext2_group_desc *)sbi->gd_bh[group / per]->b_data + group % per;
}

/* Marks group's descriptor block and the superblock for write-back. */
void ext2_gd_dirty(struct super_block *sb, u32 group)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	u32 per = sbi->blocksize / sizeof(struct ext2_group_desc);

	mark_buffer_dirty(sbi->gd_bh[group / per]);
	sbi->sb_dirty = true;
}

/* Copies the in-memory superblock into its buffer. May sleep. */
static int ext2_write_super(struct super_block *sb)
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
	memcpy(bh->b_data + off, &sbi->es, sizeof(sbi->es));
	mark_buffer_dirty(bh);
	brelse(bh);
	sbi->sb_dirty = false;
	return 0;
}

static int ext2_sync_fs(struct super_block *sb)
{
	int err, e;

	if (sb->s_rdonly)
		return 0;
	ext2_lock(sb);
	err = sync_inodes_sb(sb);
	e = ext2_write_super(sb);
	err = err ? err : e;
	e = sync_blockdev(sb->s_bdev);
	ext2_unlock(sb);
	return err ? err : e;
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

static void ext2_put_super(struct super_block *sb)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);

	if (!sb->s_rdonly) {
		ext2_sync_fs(sb);
		if (!(sbi->es.s_state & EXT2_ERROR_FS))
			sbi->es.s_state |= EXT2_VALID_FS;
		ext2_write_super(sb);
		sync_blockdev(sb->s_bdev);
	}
	evict_inodes(sb);
	ext2_release_gd(sbi);
	invalidate_bdev(sb->s_bdev);
	kfree(sbi);
	sb->s_fs_info = NULL;
}

static int ext2_statfs(struct super_block *sb, struct kstatfs *st)
{
	struct ext2_super_block *es = &EXT2_SB(sb)->es;

	memset(st, 0, sizeof(*st));
	st->f_type = EXT2_MAGIC;
	st->f_bsize = st->f_frsize = EXT2_SB(sb)->blocksize;
	st->f_blocks = es->s_blocks_count - es->s_first_data_block;
	st->f_bfree = es->s_free_blocks_count;
	st->f_bavail = es->s_free_blocks_count > es->s_r_blocks_count ?
		       es->s_free_blocks_count - es->s_r_blocks_count : 0;
	st->f_files = es->s_inodes_count;
	st->f_ffree = es->s_free_inodes_count;
	st->f_namelen = NAME_MAX;
	return 0;
}

const struct super_operations ext2_sops = {
	.read_inode = ext2_read_inode,
	.write_inode = ext2_write_inode,
	.evict_inode = ext2_evict_inode,
	.sync_fs = ext2_sync_fs,
	.put_super = ext2_put_super,
	.statfs = ext2_statfs,
};

static int ext2_bad(bool silent, const char *why)
{
	if (!silent)
		printk(KERN_ERR "ext2: cannot mount: %s\n", why);
	return -EINVAL;
}

/* Checks the superblock's geometry and fills sbi's derived fields. */
static int ext2_check_geometry(struct ext2_sb_info *sbi, u64 devsize, bool silent)
{
	struct ext2_super_block *es = &sbi->es;
	u64 groups;

	if (es->s_magic != EXT2_MAGIC)
		return ext2_bad(silent, "no ext2 magic number");
	if (es->s_log_block_size > 2)
		return ext2_bad(silent, "block size not 1K, 2K or 4K");
	sbi->blocksize = 1024u << es->s_log_block_size;
	sbi->addr_per_block = sbi->blocksize / 4;
	if (es->s_rev_level > 1)
		return ext2_bad(silent, "unknown revision");
	sbi->inode_size = es->s_rev_level ? es->s_inode_size : EXT2_GOOD_OLD_INODE_SIZE;
	sbi->first_ino = es->s_rev_level ? es->s_first_ino : EXT2_GOOD_OLD_FIRST_INO;
	if (sbi->inode_size < EXT2_GOOD_OLD_INODE_SIZE || sbi->inode_size > sbi->blocksize ||
	    (sbi->inode_size & (sbi->inode_size - 1)))
		return ext2_bad(silent, "bad inode size");
	sbi->inodes_per_block = sbi->blocksize / sbi->inode_size;
	if (es->s_first_data_block != (sbi->blocksize == 1024 ? 1u : 0u))
		return ext2_bad(silent, "bad first data block");
	if (!es->s_blocks_per_group || es->s_blocks_per_group > 8 * sbi->blocksize ||
	    !es->s_inodes_per_group || es->s_inodes_per_group > 8 * sbi->blocksize ||
	    es->s_inodes_per_group % sbi->inodes_per_block)
		return ext2_bad(silent, "bad group geometry");
	if (es->s_blocks_count <= es->s_first_data_block ||
	    (u64)es->s_blocks_count * sbi->blocksize > devsize)
		return ext2_bad(silent, "block count beyond the device");
	groups = DIV_ROUND_UP((u64)es->s_blocks_count - es->s_first_data_block,
			      es->s_blocks_per_group);
	if ((u64)es->s_inodes_count > groups * es->s_inodes_per_group ||
	    es->s_inodes_count < EXT2_ROOT_INO || sbi->first_ino <= EXT2_ROOT_INO ||
	    sbi->first_ino > es->s_inodes_count)
		return ext2_bad(silent, "bad inode count");
	sbi->groups = (u32)groups;
	sbi->gd_blocks = (u32)DIV_ROUND_UP(groups * sizeof(struct ext2_group_desc),
					  sbi->blocksize);
	return 0;
}

static bool ext2_range_ok(struct ext2_sb_info *sbi, u64 start, u64 n)
{
	return start > (u64)sbi->es.s_first_data_block + sbi->gd_blocks &&
	       start + n <= sbi->es.s_blocks_count;
}

/* Reads and checks the group descriptors; sums the free counts. */
static int ext2_load_groups(struct super_block *sb, bool silent)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	u64 itb = sbi->es.s_inodes_per_group / sbi->inodes_per_block;
	u64 free_blocks = 0, free_inodes = 0;
	u32 i;

	if ((u64)sbi->es.s_first_data_block + 1 + sbi->gd_blocks > sbi->es.s_blocks_count)
		return ext2_bad(silent, "group descriptors beyond the end");
	sbi->gd_bh = kcalloc(sbi->gd_blocks, sizeof(*sbi->gd_bh));
	if (!sbi->gd_bh)
		return -ENOMEM;
	for (i = 0; i < sbi->gd_blocks; i++) {
		sbi->gd_bh[i] = bread(sb->s_bdev, sbi->es.s_first_data_block + 1 + i,
				      sbi->blocksize);
		if (!sbi->gd_bh[i])
			return -EIO;
	}
	for (i = 0; i < sbi->groups; i++) {
		struct ext2_group_desc *gd = ext2_gd(sb, i);

		if (!ext2_range_ok(sbi, gd->bg_block_bitmap, 1) ||
		    !ext2_range_ok(sbi, gd->bg_inode_bitmap, 1) ||
		    !ext2_range_ok(sbi, gd->bg_inode_table, itb) ||
		    gd->bg_free_blocks_count > sbi->es.s_blocks_per_group ||
		    gd->bg_free_inodes_count > sbi->es.s_inodes_per_group)
			return ext2_bad(silent, "bad group descriptor");
		free_blocks += gd->bg_free_blocks_count;
		free_inodes += gd->bg_free_inodes_count;
	}
	if (free_blocks > sbi->es.s_blocks_count || free_inodes > sbi->es.s_inodes_count)
		return ext2_bad(silent, "bad free counts");
	sbi->es.s_free_blocks_count = (u32)free_blocks;
	sbi->es.s_free_inodes_count = (u32)free_inodes;
	return 0;
}

/* The names of feature bits, as e2fsprogs (mke2fs -O, dumpe2fs) gives them. */
struct feature_name {
	u32 bit;
	const char *name;
};

static const struct feature_name incompat_names[] = {
	{ 0x0001, "compression" }, { 0x0002, "filetype" }, { 0x0004, "needs_recovery" },
	{ 0x0008, "journal_dev" }, { 0x0010, "meta_bg" }, { 0x0040, "extent" },
	{ 0x0080, "64bit" }, { 0x0100, "mmp" }, { 0x0200, "flex_bg" },
	{ 0x0400, "ea_inode" }, { 0x1000, "dirdata" }, { 0x2000, "metadata_csum_seed" },
	{ 0x4000, "large_dir" }, { 0x8000, "inline_data" }, { 0x10000, "encrypt" },
	{ 0x20000, "casefold" },
};

static const struct feature_name ro_compat_names[] = {
	{ 0x0001, "sparse_super" }, { 0x0002, "large_file" }, { 0x0004, "btree_dir" },
	{ 0x0008, "huge_file" }, { 0x0010, "uninit_bg" }, { 0x0020, "dir_nlink" },
	{ 0x0040, "extra_isize" }, { 0x0080, "snapshot" }, { 0x0100, "quota" },
	{ 0x0200, "bigalloc" }, { 0x0400, "metadata_csum" }, { 0x0800, "replica" },
	{ 0x1000, "read-only" }, { 0x2000, "project" }, { 0x4000, "shared_blocks" },
	{ 0x8000, "verity" }, { 0x10000, "orphan_present" },
};

static void append_word(char *buf, size_t len, const char *w)
{
	size_t used = strlen(buf), n = strlen(w);

	if (used + (used ? 1 : 0) + n + 1 > len)
		return;
	if (used)
		buf[used++] = ' ';
	memcpy(buf + used, w, n + 1);
}

/*
 * Writes the names of the bits of mask ("extent 64bit"; bits without a
 * name: "unknown") into buf.  ro_compat picks the table.  Returns buf.
 */
static const char *ext2_feature_names(char *buf, size_t len, u32 mask, bool ro_compat)
{
	const struct feature_name *t = ro_compat ? ro_compat_names : incompat_names;
	size_t n = ro_compat ? ARRAY_SIZE(ro_compat_names) : ARRAY_SIZE(incompat_names);

	buf[0] = 0;
	for (size_t i = 0; i < n; i++) {
		if (mask & t[i].bit)
			append_word(buf, len, t[i].name);
		mask &= ~t[i].bit;
	}
	if (mask)
		append_word(buf, len, "unknown");
	return buf;
}

static int ext2_check_features(struct super_block *sb, bool silent)
{
	struct ext2_super_block *es = &EXT2_SB(sb)->es;
	char names[160];

	if (es->s_rev_level == 0)
		return 0;
	/* Said even when probing: the magic matched, this is ours but cannot be mounted. */
	if (es->s_feature_incompat & ~EXT2_SUPP_INCOMPAT) {
		printk(KERN_ERR "ext2: cannot mount: unsupported features: %s (0x%x)\n",
		       ext2_feature_names(names, sizeof(names),
					  es->s_feature_incompat & ~EXT2_SUPP_INCOMPAT, false),
		       es->s_feature_incompat & ~EXT2_SUPP_INCOMPAT);
		return -EINVAL;
	}
	EXT2_SB(sb)->filetype = es->s_feature_incompat & EXT2_FEATURE_INCOMPAT_FILETYPE;
	if ((es->s_feature_ro_compat & ~EXT2_SUPP_RO_COMPAT) && !sb->s_rdonly) {
		printk(KERN_WARNING "ext2: unsupported features: %s (0x%x): mounting read-only\n",
		       ext2_feature_names(names, sizeof(names),
					  es->s_feature_ro_compat & ~EXT2_SUPP_RO_COMPAT, true),
		       es->s_feature_ro_compat & ~EXT2_SUPP_RO_COMPAT);
		sb->s_rdonly = true;
	}
	return 0;
}

/* Marks the filesystem mounted on disk (not clean until unmount). */
static int ext2_mark_mounted(struct super_block *sb)
{
	struct ext2_super_block *es = &EXT2_SB(sb)->es;

	if (sb->s_rdonly)
		return 0;
	if (!(es->s_state & EXT2_VALID_FS))
		printk(KERN_WARNING "ext2: mounting a filesystem that was not cleanly "
		       "unmounted; run e2fsck\n");
	es->s_state &= ~EXT2_VALID_FS;
	es->s_mnt_count++;
	es->s_mtime = (u32)current_time().sec;
	return ext2_write_super(sb) ?: sync_blockdev(sb->s_bdev);
}

static int ext2_get_root(struct super_block *sb, bool silent)
{
	struct inode *root = iget(sb, EXT2_ROOT_INO);

	if (IS_ERR(root)) {
		ext2_bad(silent, "cannot read the root inode");
		return PTR_ERR(root);
	}
	if (!S_ISDIR(root->i_mode)) {
		iput(root);
		return ext2_bad(silent, "root is not a directory");
	}
	sb->s_root = root;
	return 0;
}

static int ext2_fill_super(struct super_block *sb, const char *data, bool silent)
{
	struct ext2_sb_info *sbi;
	int err;

	if (!sb->s_bdev || sb->s_bdev->size < 2048)
		return ext2_bad(silent, "no device or device too small");
	sbi = kzalloc(sizeof(*sbi));
	if (!sbi)
		return -ENOMEM;
	kmutex_init(&sbi->lock);
	sb->s_fs_info = sbi;
	err = blk_rw(sb->s_bdev, BIO_READ, 1024, &sbi->es, sizeof(sbi->es));
	if (err)
		goto out_free;
	if (sb->s_bdev->read_only)
		sb->s_rdonly = true;
	err = ext2_check_geometry(sbi, sb->s_bdev->size, silent) ?:
	      ext2_check_features(sb, silent) ?: ext2_load_groups(sb, silent);
	if (err)
		goto out_free;
	sb->s_op = &ext2_sops;
	sb->s_blocksize = sbi->blocksize;
	sb->s_magic = EXT2_MAGIC;
	err = ext2_get_root(sb, silent);
	if (err)
		goto out_inodes;
	err = ext2_mark_mounted(sb);
	if (err)
		goto out_root;
	return 0;
out_root:
	iput(sb->s_root);
	sb->s_root = NULL;
out_inodes:
	evict_inodes(sb);
out_free:
	ext2_release_gd(sbi);
	kfree(sbi);
	sb->s_fs_info = NULL;
	return err;
}

static struct file_system_type ext2_fs_type = {
	.name = "ext2",
	.requires_dev = true,
	.fill_super = ext2_fill_super,
};

/* Registers the ext2 filesystem type. */
void ext2_init(void)
{
	register_filesystem(&ext2_fs_type);
}
