/*
 * ext2.h - the second extended filesystem: on-disk format and the
 * in-memory state shared by the files of fs/ext2.
 *
 * Layers: super.c (mount, superblock, group descriptors, statfs, sync),
 * balloc.c (block and inode bitmaps), inode.c (inodes on disk, the block
 * map through direct and indirect blocks, truncate, setattr), dir.c
 * (directory entries), namei.c (inode_operations), file.c (read/write),
 * xattr.c (extended attributes and ACLs in the inode body and a block).
 * Every operation runs under the per-superblock lock ext2_lock().
 * On-disk numbers are little-endian, as is the host.
 */
#ifndef FS_EXT2_EXT2_H
#define FS_EXT2_EXT2_H

#include "kernel/blkdev.h"
#include "kernel/fs.h"

#define EXT2_MAGIC		0xEF53
#define EXT2_ROOT_INO		2

/* What a buffer was checked as (buffer_head.b_verified): trusted only by that reader. */
#define EXT2_BV_BITMAP		1	/* a bitmap, its checksum matched */
#define EXT2_BV_DIR_LEAF	2	/* directory leaf: entries chain to the end, checksum */
#define EXT2_BV_DX_ROOT		3	/* htree root block (block 0 of an indexed directory) */
#define EXT2_BV_DX_NODE		4	/* htree interior index block */
#define EXT2_BV_EXTENT(depth)	(8 + (depth))	/* extent tree node at that depth (0-5), unchanged */
#define EXT2_RESIZE_INO		7
#define EXT2_JOURNAL_INO	8
#define EXT2_GOOD_OLD_INODE_SIZE 128
#define EXT2_GOOD_OLD_FIRST_INO	11
#define EXT2_NDIR_BLOCKS	12
#define EXT2_IND_BLOCK		12
#define EXT2_DIND_BLOCK		13
#define EXT2_TIND_BLOCK		14
#define EXT2_N_BLOCKS		15
#define EXT2_VALID_FS		0x0001
#define EXT2_ERROR_FS		0x0002
#define EXT2_FAST_LINK_MAX	60

/* i_flags */
#define EXT2_INDEX_FL		0x00001000
#define EXT4_HUGE_FILE_FL	0x00040000
#define EXT4_EXTENTS_FL		0x00080000
#define EXT4_EA_INODE_FL	0x00200000
#define EXT4_INLINE_DATA_FL	0x10000000

/* Features: compat (safe to ignore), incompat (refuse), ro_compat (read-only). */
#define EXT3_FEATURE_COMPAT_HAS_JOURNAL		0x0004
#define EXT4_FEATURE_COMPAT_ORPHAN_FILE		0x1000
#define EXT2_FEATURE_INCOMPAT_FILETYPE		0x0002
#define EXT3_FEATURE_INCOMPAT_RECOVER		0x0004
#define EXT3_FEATURE_INCOMPAT_JOURNAL_DEV	0x0008
#define EXT2_FEATURE_INCOMPAT_META_BG		0x0010
#define EXT4_FEATURE_INCOMPAT_EXTENTS		0x0040
#define EXT4_FEATURE_INCOMPAT_64BIT		0x0080
#define EXT4_FEATURE_INCOMPAT_MMP		0x0100
#define EXT4_FEATURE_INCOMPAT_FLEX_BG		0x0200
#define EXT4_FEATURE_INCOMPAT_EA_INODE		0x0400
#define EXT4_FEATURE_INCOMPAT_DIRDATA		0x1000
#define EXT4_FEATURE_INCOMPAT_CSUM_SEED		0x2000
#define EXT4_FEATURE_INCOMPAT_LARGEDIR		0x4000
#define EXT4_FEATURE_INCOMPAT_INLINE_DATA	0x8000
#define EXT4_FEATURE_INCOMPAT_ENCRYPT		0x10000
#define EXT4_FEATURE_INCOMPAT_CASEFOLD		0x20000
#define EXT2_SUPP_INCOMPAT	(EXT2_FEATURE_INCOMPAT_FILETYPE | EXT3_FEATURE_INCOMPAT_RECOVER | \
				 EXT4_FEATURE_INCOMPAT_EXTENTS | EXT4_FEATURE_INCOMPAT_64BIT | \
				 EXT4_FEATURE_INCOMPAT_FLEX_BG | EXT4_FEATURE_INCOMPAT_CSUM_SEED | \
				 EXT4_FEATURE_INCOMPAT_LARGEDIR | EXT4_FEATURE_INCOMPAT_INLINE_DATA | \
				 EXT4_FEATURE_INCOMPAT_EA_INODE)
#define EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER	0x0001
#define EXT2_FEATURE_RO_COMPAT_LARGE_FILE	0x0002
#define EXT2_FEATURE_RO_COMPAT_BTREE_DIR	0x0004
#define EXT4_FEATURE_RO_COMPAT_HUGE_FILE	0x0008
#define EXT4_FEATURE_RO_COMPAT_GDT_CSUM		0x0010
#define EXT4_FEATURE_RO_COMPAT_DIR_NLINK	0x0020
#define EXT4_FEATURE_RO_COMPAT_EXTRA_ISIZE	0x0040
#define EXT4_FEATURE_RO_COMPAT_QUOTA		0x0100
#define EXT4_FEATURE_RO_COMPAT_BIGALLOC		0x0200
#define EXT4_FEATURE_RO_COMPAT_METADATA_CSUM	0x0400
#define EXT4_FEATURE_RO_COMPAT_READONLY		0x1000
#define EXT4_FEATURE_RO_COMPAT_PROJECT		0x2000
#define EXT4_FEATURE_RO_COMPAT_VERITY		0x8000
#define EXT4_FEATURE_RO_COMPAT_ORPHAN_PRESENT	0x10000
#define EXT2_SUPP_RO_COMPAT	(EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER | \
				 EXT2_FEATURE_RO_COMPAT_LARGE_FILE | \
				 EXT4_FEATURE_RO_COMPAT_HUGE_FILE | EXT4_FEATURE_RO_COMPAT_GDT_CSUM | \
				 EXT4_FEATURE_RO_COMPAT_DIR_NLINK | \
				 EXT4_FEATURE_RO_COMPAT_EXTRA_ISIZE | \
				 EXT4_FEATURE_RO_COMPAT_METADATA_CSUM | \
				 EXT4_FEATURE_RO_COMPAT_ORPHAN_PRESENT)

/* Group descriptor flags (bg_flags). */
#define EXT4_BG_INODE_UNINIT	0x0001
#define EXT4_BG_BLOCK_UNINIT	0x0002
#define EXT4_BG_INODE_ZEROED	0x0004

/* Directory entry file types (with the filetype feature). */
#define EXT2_FT_UNKNOWN	0
#define EXT2_FT_REG	1
#define EXT2_FT_DIR	2
#define EXT2_FT_CHRDEV	3
#define EXT2_FT_BLKDEV	4
#define EXT2_FT_FIFO	5
#define EXT2_FT_SOCK	6
#define EXT2_FT_SYMLINK	7
#define EXT4_FT_DIR_CSUM 0xDE

/*
 * The superblock, 1024 bytes at byte 1024 of the device (the ext4 layout;
 * ext2 uses the head of it).
 */
struct ext2_super_block {
	u32 s_inodes_count;
	u32 s_blocks_count;
	u32 s_r_blocks_count;
	u32 s_free_blocks_count;
	u32 s_free_inodes_count;
	u32 s_first_data_block;
	u32 s_log_block_size;
	u32 s_log_cluster_size;
	u32 s_blocks_per_group;
	u32 s_clusters_per_group;
	u32 s_inodes_per_group;
	u32 s_mtime;
	u32 s_wtime;
	u16 s_mnt_count;
	s16 s_max_mnt_count;
	u16 s_magic;
	u16 s_state;
	u16 s_errors;
	u16 s_minor_rev_level;
	u32 s_lastcheck;
	u32 s_checkinterval;
	u32 s_creator_os;
	u32 s_rev_level;
	u16 s_def_resuid;
	u16 s_def_resgid;
	u32 s_first_ino;		/* 0x54 */
	u16 s_inode_size;
	u16 s_block_group_nr;
	u32 s_feature_compat;		/* 0x5c */
	u32 s_feature_incompat;
	u32 s_feature_ro_compat;
	u8 s_uuid[16];			/* 0x68 */
	char s_volume_name[16];
	char s_last_mounted[64];
	u32 s_algorithm_usage_bitmap;	/* 0xc8 */
	u8 s_prealloc_blocks;
	u8 s_prealloc_dir_blocks;
	u16 s_reserved_gdt_blocks;
	u8 s_journal_uuid[16];		/* 0xd0 */
	u32 s_journal_inum;		/* 0xe0 */
	u32 s_journal_dev;
	u32 s_last_orphan;
	u32 s_hash_seed[4];		/* 0xec */
	u8 s_def_hash_version;		/* 0xfc */
	u8 s_jnl_backup_type;
	u16 s_desc_size;
	u32 s_default_mount_opts;	/* 0x100 */
	u32 s_first_meta_bg;
	u32 s_mkfs_time;
	u32 s_jnl_blocks[17];
	u32 s_blocks_count_hi;		/* 0x150 */
	u32 s_r_blocks_count_hi;
	u32 s_free_blocks_count_hi;
	u16 s_min_extra_isize;		/* 0x15c */
	u16 s_want_extra_isize;
	u32 s_flags;			/* 0x160 */
	u16 s_raid_stride;
	u16 s_mmp_interval;
	u64 s_mmp_block;
	u32 s_raid_stripe_width;	/* 0x170 */
	u8 s_log_groups_per_flex;
	u8 s_checksum_type;
	u8 s_encryption_level;
	u8 s_reserved_pad;
	u64 s_kbytes_written;		/* 0x178 */
	u8 s_pad1[0x270 - 0x180];
	u32 s_checksum_seed;		/* 0x270 */
	u8 s_pad2[0x280 - 0x274];
	u32 s_orphan_file_inum;		/* 0x280 */
	u8 s_pad3[0x3fc - 0x284];
	u32 s_checksum;			/* 0x3fc */
};
_Static_assert(sizeof(struct ext2_super_block) == 1024, "ext2 superblock");
_Static_assert(__builtin_offsetof(struct ext2_super_block, s_desc_size) == 0xfe, "s_desc_size");
_Static_assert(__builtin_offsetof(struct ext2_super_block, s_log_groups_per_flex) == 0x174,
	       "s_log_groups_per_flex");
_Static_assert(__builtin_offsetof(struct ext2_super_block, s_orphan_file_inum) == 0x280,
	       "s_orphan_file_inum");

/* An orphan file block: inode numbers, then this tail in its last 8 bytes. */
#define EXT4_ORPHAN_BLOCK_MAGIC	0x0b10ca04
struct ext4_orphan_block_tail {
	u32 ob_magic;
	u32 ob_checksum;		/* crc32c(seed, ino, generation, block, entries) */
};

/* A group descriptor: 32 bytes, or 64 (s_desc_size) with the 64bit feature. */
struct ext2_group_desc {
	u32 bg_block_bitmap;
	u32 bg_inode_bitmap;
	u32 bg_inode_table;
	u16 bg_free_blocks_count;
	u16 bg_free_inodes_count;
	u16 bg_used_dirs_count;
	u16 bg_flags;
	u32 bg_exclude_bitmap;
	u16 bg_block_bitmap_csum;
	u16 bg_inode_bitmap_csum;
	u16 bg_itable_unused;
	u16 bg_checksum;		/* 0x1e */
	u32 bg_block_bitmap_hi;		/* 0x20: the rest only with 64-byte descriptors */
	u32 bg_inode_bitmap_hi;
	u32 bg_inode_table_hi;
	u16 bg_free_blocks_count_hi;
	u16 bg_free_inodes_count_hi;
	u16 bg_used_dirs_count_hi;
	u16 bg_itable_unused_hi;
	u32 bg_exclude_bitmap_hi;
	u16 bg_block_bitmap_csum_hi;
	u16 bg_inode_bitmap_csum_hi;
	u32 bg_reserved;
};
_Static_assert(sizeof(struct ext2_group_desc) == 64, "ext4 group descriptor");
#define EXT2_MIN_DESC_SIZE	32

/* An inode: 128 bytes, then i_extra_isize bytes of ext4 fields. */
struct ext2_inode {
	u16 i_mode;
	u16 i_uid;
	u32 i_size;
	u32 i_atime;
	u32 i_ctime;
	u32 i_mtime;
	u32 i_dtime;
	u16 i_gid;
	u16 i_links_count;
	u32 i_blocks;
	u32 i_flags;
	u32 i_osd1;
	u32 i_block[EXT2_N_BLOCKS];
	u32 i_generation;
	u32 i_file_acl;
	u32 i_size_high;
	u32 i_faddr;
	u16 i_blocks_high;		/* 0x74 */
	u16 i_file_acl_high;
	u16 i_uid_high;
	u16 i_gid_high;
	u16 i_checksum_lo;		/* 0x7c */
	u16 i_reserved;
	u16 i_extra_isize;		/* 0x80 */
	u16 i_checksum_hi;
	u32 i_ctime_extra;
	u32 i_mtime_extra;
	u32 i_atime_extra;
	u32 i_crtime;
	u32 i_crtime_extra;
	u32 i_version_hi;
	u32 i_projid;
};
_Static_assert(sizeof(struct ext2_inode) == 160, "ext4 inode");
_Static_assert(__builtin_offsetof(struct ext2_inode, i_extra_isize) == 128, "i_extra_isize");
#define EXT2_INODE_FIELD_END(f)	(__builtin_offsetof(struct ext2_inode, f) + \
				 sizeof(((struct ext2_inode *)0)->f) - EXT2_GOOD_OLD_INODE_SIZE)

struct ext2_dirent {
	u32 inode;
	u16 rec_len;
	u8 name_len;
	u8 file_type;		/* high byte of name_len without filetype */
	char name[];
};
#define EXT2_DIRENT_LEN(n)	(((n) + 8 + 3) & ~3u)

/* Extent tree nodes: a header, then entries (index or leaf), then a tail. */
#define EXT4_EXT_MAGIC		0xF30A
#define EXT4_EXT_MAX_LEN	32768	/* longer lengths mark unwritten extents */
#define EXT4_EXT_MAX_DEPTH	5
struct ext4_extent_header {
	u16 eh_magic;
	u16 eh_entries;
	u16 eh_max;
	u16 eh_depth;
	u32 eh_generation;
};
struct ext4_extent {		/* leaf: ee_len blocks from ee_block at ee_start */
	u32 ee_block;
	u16 ee_len;
	u16 ee_start_hi;
	u32 ee_start_lo;
};
struct ext4_extent_idx {	/* index: the subtree from ei_block on at ei_leaf */
	u32 ei_block;
	u32 ei_leaf_lo;
	u16 ei_leaf_hi;
	u16 ei_unused;
};
_Static_assert(sizeof(struct ext4_extent) == 12 && sizeof(struct ext4_extent_idx) == 12 &&
	       sizeof(struct ext4_extent_header) == 12, "extent entries");

/* The checksummed tail of a directory leaf block (a fake entry). */
struct ext4_dir_tail {
	u32 det_reserved_zero1;
	u16 det_rec_len;		/* 12 */
	u8 det_reserved_zero2;
	u8 det_reserved_ft;		/* EXT4_FT_DIR_CSUM */
	u32 det_checksum;
};
#define EXT4_DIR_TAIL_LEN	12

struct jtrans;

/* Per-mount state (sb->s_fs_info). */
struct ext2_sb_info {
	struct jtrans *journal;		/* the running transaction, when journalling */
	u8 **busy;			/* per group: blocks freed, not yet committed */
	/* Per group, block bitmap then inode bitmap (2g, 2g+1): the pinned
	 * buffer of a changed bitmap whose checksum is still to be stored
	 * in the descriptor (at the next commit: ext2_bitmap_csum_flush). */
	struct buffer_head **csum_stale;
	struct ext2_super_block es;	/* in-memory copy, written at sync */
	/* The superblock as mounted (not clean, needs_recovery), written by
	 * the device's before-write hook ahead of anything else; NULL once
	 * on disk or when nothing is pending. */
	struct ext2_super_block *mount_es;
	const char *name;		/* the type mounted as: ext2, ext3 or ext4 */
	struct buffer_head **gd_bh;	/* group descriptor blocks, referenced */
	u32 gd_blocks;
	u32 reserved_gdt;		/* blocks reserved after them for growth */
	u32 groups;
	u32 blocksize;
	u32 desc_size;			/* 32, or 64 with 64bit */
	u32 addr_per_block;		/* block numbers per indirect block */
	u32 inode_size;
	u32 inodes_per_block;
	u32 first_ino;
	u32 csum_seed;			/* crc32c of the uuid (or s_checksum_seed) */
	bool filetype;
	bool flex_bg;
	bool is64;
	bool extents;			/* new files get extent trees */
	bool metadata_csum;
	bool gdt_csum;			/* crc16 descriptor checksums (uninit_bg) */
	bool huge_file;
	bool sb_dirty;
	bool orphan_scan;		/* reading the orphan list: nlink 0 is allowed */
	bool ea_iget;			/* reading an EA inode (xattr value): only those */
	bool discard;			/* -o discard: freed blocks are TRIMmed */
	u64 overhead;			/* metadata blocks statfs leaves out; 0: not counted yet */
	u64 pend_start, pend_n;		/* freed, to discard at ext2_unlock (no journal) */
	struct inode *orphan_file;	/* orphan_file: the inode listing orphans, held */
	u64 *orphan_blocks;		/* its blocks on disk */
	u32 orphan_nblocks;
	u32 orphan_used;		/* entries in use */
	struct list_head orphans;	/* s_last_orphan chain in memory, newest first */
	struct kmutex lock;
	struct task *owner;		/* holder of lock, for re-entry */
	int depth;
};

/* Per-inode state (inode->i_private). */
struct dindex;

struct ext2_inode_info {
	u32 i_block[EXT2_N_BLOCKS];	/* block map, extent root, or inline data */
	u32 i_flags;
	u64 i_file_acl;
	u32 i_dtime;
	u32 i_generation;
	u32 i_faddr;
	u32 i_osd1;
	u16 i_extra_isize;
	u32 i_crtime, i_crtime_extra;
	u32 csum_seed;			/* crc32c of fs seed, ino, generation */
	u32 group;			/* for allocation goals */
	u64 last_block;			/* last block allocated: goal for the next */
	struct inode *inode;		/* back pointer, for the orphan chain */
	struct list_head orphan;	/* on sbi->orphans while on_chain */
	bool on_chain;			/* in the s_last_orphan chain (i_dtime = next) */
	u32 orphan_slot;		/* 1 + its entry in the orphan file, or 0 */
	struct dindex *dindex;		/* a linear directory's name index (dindex.c), or NULL */
};

static inline struct ext2_sb_info *EXT2_SB(struct super_block *sb)
{
	return sb->s_fs_info;
}
static inline struct ext2_inode_info *EXT2_I(struct inode *inode)
{
	return inode->i_private;
}

static inline bool ext2_has_extents(struct inode *inode)
{
	return EXT2_I(inode)->i_flags & EXT4_EXTENTS_FL;
}

static inline u64 ext2_blocks_count(struct ext2_sb_info *sbi)
{
	return sbi->es.s_blocks_count | (sbi->is64 ? (u64)sbi->es.s_blocks_count_hi << 32 : 0);
}

static inline bool ext2_bit(const u8 *map, u32 bit)
{
	return map[bit >> 3] & (1u << (bit & 7));
}

/* super.c */
void ext2_lock(struct super_block *sb);		/* May sleep. */
int ext2_commit(struct super_block *sb);
void ext2_unlock(struct super_block *sb);
struct ext2_group_desc *ext2_gd(struct super_block *sb, u32 group);
void ext2_gd_dirty(struct super_block *sb, u32 group);
int ext2_error(struct super_block *sb, const char *what, u64 num);
bool ext2_group_has_super(struct super_block *sb, u32 g);
u64 ext2_group_first(struct super_block *sb, u32 g);
u64 ext2_group_overhead(struct super_block *sb, u32 g);
u64 ext2_block_bitmap(struct super_block *sb, const struct ext2_group_desc *gd);
u64 ext2_inode_bitmap(struct super_block *sb, const struct ext2_group_desc *gd);
u64 ext2_inode_table(struct super_block *sb, const struct ext2_group_desc *gd);
u32 ext2_gd_free_blocks(struct super_block *sb, const struct ext2_group_desc *gd);
u32 ext2_gd_free_inodes(struct super_block *sb, const struct ext2_group_desc *gd);
u32 ext2_gd_used_dirs(struct super_block *sb, const struct ext2_group_desc *gd);
u32 ext2_gd_itable_unused(struct super_block *sb, const struct ext2_group_desc *gd);
void ext2_gd_set_free_blocks(struct super_block *sb, struct ext2_group_desc *gd, u32 n);
void ext2_gd_set_free_inodes(struct super_block *sb, struct ext2_group_desc *gd, u32 n);
void ext2_gd_set_used_dirs(struct super_block *sb, struct ext2_group_desc *gd, u32 n);
void ext2_gd_set_itable_unused(struct super_block *sb, struct ext2_group_desc *gd, u32 n);
u64 ext2_free_blocks_count(struct ext2_sb_info *sbi);
void ext2_set_free_blocks_count(struct ext2_sb_info *sbi, u64 n);

/* csum.c */
u32 ext2_crc32c(u32 crc, const void *buf, size_t len);
u32 ext2_crc32c_sw(u32 crc, const void *buf, size_t len);	/* the table, any CPU */
u16 ext2_crc16(u16 crc, const void *buf, size_t len);
u32 ext2_sb_csum(const struct ext2_super_block *es);
u16 ext2_gd_csum(struct super_block *sb, u32 group, const struct ext2_group_desc *gd);
u32 ext2_bitmap_csum(struct super_block *sb, const u8 *map, u32 bytes);
u32 ext2_inode_seed(struct super_block *sb, u32 ino, u32 generation);
u32 ext2_inode_csum(struct super_block *sb, u32 seed, const u8 *raw);
bool ext2_inode_csum_ok(struct super_block *sb, u32 ino, const u8 *raw);
void ext2_inode_csum_set(struct super_block *sb, u32 seed, u8 *raw);
void ext2_block_csum_set(struct inode *inode, struct buffer_head *bh);
int ext2_block_csum_check(struct inode *inode, struct buffer_head *bh, const char *what);
void ext2_dirblock_csum_set(struct inode *dir, struct buffer_head *bh);
int ext2_dx_hash(const char *name, int len, unsigned ver, const u32 *seed, u32 *out);
int ext2_dirblock_csum_check(struct inode *dir, struct buffer_head *bh);

/* balloc.c */
int ext2_new_block(struct super_block *sb, u32 goal_group, u64 goal, u64 *out);
void ext2_free_blocks(struct super_block *sb, u64 block, u64 count);
int ext2_new_inode_no(struct super_block *sb, u32 goal_group, bool dir, u32 *out);
void ext2_free_inode_no(struct super_block *sb, u32 ino, bool dir);
bool ext2_inode_block_alone(struct super_block *sb, u32 ino);
bool ext2_block_valid(struct super_block *sb, u64 block);
bool ext2_range_valid(struct super_block *sb, u64 block, u64 count);
int ext2_discard_blocks(struct super_block *sb, u64 block, u64 n);
void ext2_discard_flush(struct super_block *sb);
long ext2_trim_fs(struct super_block *sb, u64 start, u64 len, u64 minlen, u64 *trimmed);
long ext2_ioctl(struct file *f, unsigned cmd, u64 arg);
void ext2_busy_clear(struct super_block *sb);
bool ext2_has_busy(struct super_block *sb);	/* freed blocks wait for a commit */
void ext2_bitmap_csum_flush(struct super_block *sb);

/* inode.c */
extern const struct super_operations ext2_sops;
int ext2_read_inode(struct inode *inode);
int ext2_write_inode(struct inode *inode);
void ext2_evict_inode(struct inode *inode);
/* ext2_get_block's create: 0 looks up only; EXT2_GET_CREATE allocates
 * missing blocks zeroed; EXT2_GET_NEW leaves a new data block (not an
 * indirect or index block) unzeroed and returns 1 for it: the caller
 * fills all of its buffer (zeros included) before anything can read it. */
#define EXT2_GET_CREATE	1
#define EXT2_GET_NEW	2
int ext2_get_block(struct inode *inode, u64 lblk, int create, u64 *out);
long ext2_map_run(struct inode *inode, u64 lblk, u64 max, u64 *out);
u64 ext2_max_size(struct super_block *sb, bool extents);	/* the largest file size */
int ext2_truncate(struct inode *inode, u64 size);
int ext2_trim_blocks(struct inode *inode);
int ext2_setattr(struct inode *inode, struct iattr *attr);
struct inode *ext2_new_inode(struct inode *dir, umode_t mode);
void ext2_set_ops(struct inode *inode);
bool ext2_fast_symlink(struct inode *inode);
void ext2_add_blocks(struct inode *inode, long n);
int ext2_alloc_zeroed(struct inode *inode, u64 goal, u64 *out);
int ext2_alloc_block(struct inode *inode, u64 goal, bool zero, u64 *out);

/* bmap.c: the ext2/ext3 indirect block map */
int ext2_bmap_get(struct inode *inode, u64 lblk, int create, u64 *out);
long ext2_bmap_run(struct inode *inode, u64 lblk, u64 max, u64 *out);
int ext2_bmap_truncate(struct inode *inode, u64 start);
u64 ext2_bmap_max_blocks(struct super_block *sb);

/* extents.c: the ext4 extent tree */
void ext4_ext_init(struct inode *inode);
int ext4_ext_check_root(struct inode *inode);
int ext4_ext_get(struct inode *inode, u64 lblk, int create, u64 *out);
long ext4_ext_run(struct inode *inode, u64 lblk, u64 max, u64 *out);
int ext4_ext_truncate(struct inode *inode, u64 start);

/* journal.c */
int ext2_journal_check(struct super_block *sb);
int ext2_journal_start(struct super_block *sb);
int ext2_journal_commit(struct super_block *sb);
int ext2_journal_stop(struct super_block *sb);
bool ext2_journal_full(struct super_block *sb);
bool ext2_journal_pending(struct super_block *sb);
void ext2_dirty_meta(struct super_block *sb, struct buffer_head *bh);
bool ext2_dirty_meta_pinned(struct super_block *sb, struct buffer_head *bh);
struct buffer_head *ext2_bread_meta(struct super_block *sb, u64 block);

/* dir.c */
extern const struct file_operations ext2_dir_fops;
int ext2_find_entry(struct inode *dir, const char *name, int len, u32 *ino);
void ext2_dindex_drop(struct inode *dir);
u64 ext2_dindex_shrink(struct super_block *sb);
int ext2_add_entry(struct inode *dir, const char *name, int len, struct inode *inode);
int ext2_delete_entry(struct inode *dir, const char *name, int len);
int ext2_set_entry(struct inode *dir, const char *name, int len, struct inode *inode);
int ext2_dir_empty(struct inode *dir);
int ext2_make_empty(struct inode *dir, struct inode *parent);
unsigned ext2_dtype(unsigned ft);	/* EXT2_FT_* to DT_* */

/* inline.c: inline-data directories, read only */
bool ext2_inline_dir(struct inode *dir);
int ext2_inline_find(struct inode *dir, const char *name, int len, u32 *ino);
int ext2_inline_iterate(struct inode *dir, struct dir_context *ctx);
int ext2_inline_empty(struct inode *dir);

/* orphan.c: inodes with no link still open, listed for a crash */
int ext2_orphan_load(struct super_block *sb);
int ext2_orphan_file_cleanup(struct super_block *sb);
void ext2_orphan_release(struct super_block *sb);
void ext2_orphan_add(struct inode *inode);
void ext2_orphan_del(struct inode *inode);

/* xattr.c */
struct xattr_operations;
extern const struct xattr_operations ext2_xattr_ops;
void ext2_xattr_delete_inode(struct inode *inode);
void ext2_xattr_forget(struct super_block *sb);

/* namei.c, file.c */
extern const struct inode_operations ext2_dir_iops, ext2_file_iops, ext2_symlink_iops,
	ext2_special_iops;
extern const struct file_operations ext2_file_fops;
int ext2_read_inline(struct inode *inode, u8 *buf, size_t len);
int ext2_fsync(struct file *f);

#endif
