/*
 * ext2.h - the second extended filesystem: on-disk format and the
 * in-memory state shared by the files of fs/ext2.
 *
 * Layers: super.c (mount, superblock, group descriptors, statfs, sync),
 * balloc.c (block and inode bitmaps), inode.c (inodes on disk, the block
 * map through direct and indirect blocks, truncate, setattr), dir.c
 * (directory entries), namei.c (inode_operations), file.c (read/write).
 * Every operation runs under the per-superblock lock ext2_lock().
 * On-disk numbers are little-endian, as is the host.
 */
#ifndef FS_EXT2_EXT2_H
#define FS_EXT2_EXT2_H

#include "kernel/blkdev.h"
#include "kernel/fs.h"

#define EXT2_MAGIC		0xEF53
#define EXT2_ROOT_INO		2
#define EXT2_GOOD_OLD_INODE_SIZE 128
#define EXT2_GOOD_OLD_FIRST_INO	11
#define EXT2_NDIR_BLOCKS	12
#define EXT2_IND_BLOCK		12
#define EXT2_DIND_BLOCK		13
#define EXT2_TIND_BLOCK		14
#define EXT2_N_BLOCKS		15
#define EXT2_VALID_FS		0x0001
#define EXT2_ERROR_FS		0x0002
#define EXT2_INDEX_FL		0x00001000
#define EXT2_FAST_LINK_MAX	60

#define EXT2_FEATURE_INCOMPAT_FILETYPE	0x0002
#define EXT2_SUPP_INCOMPAT		EXT2_FEATURE_INCOMPAT_FILETYPE
#define EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER 0x0001
#define EXT2_FEATURE_RO_COMPAT_LARGE_FILE 0x0002
#define EXT2_SUPP_RO_COMPAT	(EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER | \
				 EXT2_FEATURE_RO_COMPAT_LARGE_FILE)

/* Directory entry file types (with the filetype feature). */
#define EXT2_FT_UNKNOWN	0
#define EXT2_FT_REG	1
#define EXT2_FT_DIR	2
#define EXT2_FT_CHRDEV	3
#define EXT2_FT_BLKDEV	4
#define EXT2_FT_FIFO	5
#define EXT2_FT_SOCK	6
#define EXT2_FT_SYMLINK	7

/* The superblock, 1024 bytes at byte 1024 of the device. */
struct ext2_super_block {
	u32 s_inodes_count;
	u32 s_blocks_count;
	u32 s_r_blocks_count;
	u32 s_free_blocks_count;
	u32 s_free_inodes_count;
	u32 s_first_data_block;
	u32 s_log_block_size;
	u32 s_log_frag_size;
	u32 s_blocks_per_group;
	u32 s_frags_per_group;
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
	u32 s_first_ino;
	u16 s_inode_size;
	u16 s_block_group_nr;
	u32 s_feature_compat;
	u32 s_feature_incompat;
	u32 s_feature_ro_compat;
	u8 s_rest[1024 - 104];
};
_Static_assert(sizeof(struct ext2_super_block) == 1024, "ext2 superblock");

struct ext2_group_desc {
	u32 bg_block_bitmap;
	u32 bg_inode_bitmap;
	u32 bg_inode_table;
	u16 bg_free_blocks_count;
	u16 bg_free_inodes_count;
	u16 bg_used_dirs_count;
	u16 bg_flags;
	u32 bg_reserved[3];
};
_Static_assert(sizeof(struct ext2_group_desc) == 32, "ext2 group descriptor");

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
	u8 i_frag, i_fsize;
	u16 i_pad1;
	u16 i_uid_high;
	u16 i_gid_high;
	u32 i_reserved2;
};
_Static_assert(sizeof(struct ext2_inode) == 128, "ext2 inode");

struct ext2_dirent {
	u32 inode;
	u16 rec_len;
	u8 name_len;
	u8 file_type;		/* high byte of name_len without filetype */
	char name[];
};
#define EXT2_DIRENT_LEN(n)	(((n) + 8 + 3) & ~3u)

/* Per-mount state (sb->s_fs_info). */
struct ext2_sb_info {
	struct ext2_super_block es;	/* in-memory copy, written at sync */
	struct buffer_head **gd_bh;	/* group descriptor blocks, referenced */
	u32 gd_blocks;
	u32 groups;
	u32 blocksize;
	u32 addr_per_block;		/* block numbers per indirect block */
	u32 inode_size;
	u32 inodes_per_block;
	u32 first_ino;
	bool filetype;
	bool sb_dirty;
	struct kmutex lock;
	struct task *owner;		/* holder of lock, for re-entry */
	int depth;
};

/* Per-inode state (inode->i_private). */
struct ext2_inode_info {
	u32 i_block[EXT2_N_BLOCKS];
	u32 i_flags;
	u32 i_file_acl;
	u32 i_dtime;
	u32 i_generation;
	u32 i_faddr;
	u32 i_osd1;
	u32 group;			/* for allocation goals */
};

static inline struct ext2_sb_info *EXT2_SB(struct super_block *sb)
{
	return sb->s_fs_info;
}
static inline struct ext2_inode_info *EXT2_I(struct inode *inode)
{
	return inode->i_private;
}

/* super.c */
void ext2_lock(struct super_block *sb);		/* May sleep. */
void ext2_unlock(struct super_block *sb);
struct ext2_group_desc *ext2_gd(struct super_block *sb, u32 group);
void ext2_gd_dirty(struct super_block *sb, u32 group);
int ext2_error(struct super_block *sb, const char *what, u64 num);

/* balloc.c */
int ext2_new_block(struct super_block *sb, u32 goal_group, u32 *out);
void ext2_free_block(struct super_block *sb, u32 block);
int ext2_new_inode_no(struct super_block *sb, u32 goal_group, bool dir, u32 *out);
void ext2_free_inode_no(struct super_block *sb, u32 ino, bool dir);
bool ext2_block_valid(struct super_block *sb, u32 block);

/* inode.c */
extern const struct super_operations ext2_sops;
int ext2_read_inode(struct inode *inode);
int ext2_write_inode(struct inode *inode);
void ext2_evict_inode(struct inode *inode);
int ext2_get_block(struct inode *inode, u64 lblk, bool create, u32 *out);
int ext2_truncate(struct inode *inode, u64 size);
int ext2_setattr(struct inode *inode, struct iattr *attr);
struct inode *ext2_new_inode(struct inode *dir, umode_t mode);
void ext2_set_ops(struct inode *inode);
bool ext2_fast_symlink(struct inode *inode);
void ext2_add_blocks(struct inode *inode, long n);

/* dir.c */
extern const struct file_operations ext2_dir_fops;
int ext2_find_entry(struct inode *dir, const char *name, int len, u32 *ino);
int ext2_add_entry(struct inode *dir, const char *name, int len, struct inode *inode);
int ext2_delete_entry(struct inode *dir, const char *name, int len);
int ext2_set_entry(struct inode *dir, const char *name, int len, struct inode *inode);
int ext2_dir_empty(struct inode *dir);
int ext2_make_empty(struct inode *dir, struct inode *parent);

/* namei.c, file.c */
extern const struct inode_operations ext2_dir_iops, ext2_file_iops, ext2_symlink_iops,
	ext2_special_iops;
extern const struct file_operations ext2_file_fops;

#endif
