/*
 * super.c - filesystem types and superblocks.
 *
 * The bottom of the VFS core: a list of registered filesystem types
 * (ext2, ramfs, tmpfs...) and a list of live superblocks, which sync
 * walks.  Mounting (fs/mount.c) allocates a superblock here and asks the
 * type's fill_super to read it.
 */
#include "kernel/kernel.h"
#include "kernel/fs.h"
#include "kernel/blkdev.h"
#include "kernel/page.h"
#include "internal.h"

static struct file_system_type *file_systems;
static LIST_HEAD(super_blocks);

/* Adds fs to the list of known types; registering twice is ignored. */
void register_filesystem(struct file_system_type *fs)
{
	struct file_system_type *p;

	for (p = file_systems; p != NULL; p = p->next)
		if (p == fs || strcmp(p->name, fs->name) == 0)
			return;
	fs->next = NULL;
	if (file_systems == NULL) {
		file_systems = fs;
		return;
	}
	for (p = file_systems; p->next != NULL; p = p->next)
		;
	p->next = fs;
}

/* Returns the registered type called name, or NULL. */
struct file_system_type *get_fs_type(const char *name)
{
	struct file_system_type *p;

	for (p = file_systems; p != NULL; p = p->next)
		if (strcmp(p->name, name) == 0)
			return p;
	return NULL;
}

/* Returns the next registered type after p (the first for NULL). */
struct file_system_type *next_fs_type(struct file_system_type *p)
{
	return p == NULL ? file_systems : p->next;
}

/* Returns a zeroed superblock, not yet on the list, or NULL. */
struct super_block *sb_alloc(void)
{
	struct super_block *sb = kzalloc(sizeof(*sb));

	if (sb == NULL)
		return NULL;
	live.superblocks++;
	INIT_LIST_HEAD(&sb->inodes);
	INIT_LIST_HEAD(&sb->s_list);
	sb->s_blocksize = PAGE_SIZE;
	sb->s_count = 1;
	kmutex_init(&sb->s_umount);
	return sb;
}

/* Frees a superblock that never was on the list (a failed mount). */
void sb_free(struct super_block *sb)
{
	if (leak_test(superblocks))
		return;
	live.superblocks--;
	kfree(sb);
}

/* Puts a filled superblock on the list that sync walks. */
void sb_register(struct super_block *sb)
{
	list_add_tail(&sb->s_list, &super_blocks);
}

/* Drops a count; the last takes sb off the list and frees it. */
static void sb_put(struct super_block *sb)
{
	if (--sb->s_count > 0)
		return;
	list_del(&sb->s_list);
	if (leak_test(superblocks))
		return;
	live.superblocks--;
	kfree(sb);
}

/*
 * Starts a teardown: waits for a sync of sb in progress, then marks it
 * dying so no walker starts another.  sb_end_kill ends it.  May sleep.
 */
void sb_begin_kill(struct super_block *sb)
{
	kmutex_lock(&sb->s_umount);
	sb->s_dying = true;
}

void sb_end_kill(struct super_block *sb)
{
	kmutex_unlock(&sb->s_umount);
}

/* The mount's count is gone: sb leaves the list and memory once no walker
 * holds it. */
void sb_unregister(struct super_block *sb)
{
	sb->s_dying = true;
	sb_put(sb);
}

/*
 * Calls fn for every live superblock, with sb->s_umount held so no
 * teardown runs under it.  fn may sleep: the count keeps sb (and so the
 * place in the list) valid meanwhile, and one unmounted while fn slept
 * is skipped.  0 or fn's first error.
 */
static int each_sb(int (*fn)(struct super_block *sb))
{
	struct super_block *sb, *next;
	int ret = 0, err;

	if (list_empty(&super_blocks))
		return 0;
	sb = list_entry(super_blocks.next, struct super_block, s_list);
	sb->s_count++;
	for (;;) {
		if (!sb->s_dying) {
			kmutex_lock(&sb->s_umount);
			if (!sb->s_dying) {
				err = fn(sb);
				if (err < 0 && ret == 0)
					ret = err;
			}
			kmutex_unlock(&sb->s_umount);
		}
		next = sb->s_list.next == &super_blocks ? NULL :
			list_entry(sb->s_list.next, struct super_block, s_list);
		if (next != NULL)
			next->s_count++;
		sb_put(sb);
		if (next == NULL)
			return ret;
		sb = next;
	}
}

/* Writes back one filesystem: its inodes, its own metadata, its device. May sleep. */
int sync_sb(struct super_block *sb)
{
	int ret = 0, err;

	if (sb->s_rdonly)
		return 0;
	err = sync_inodes_sb(sb);
	if (err < 0)
		ret = err;
	if (sb->s_op != NULL && sb->s_op->sync_fs != NULL) {
		err = sb->s_op->sync_fs(sb);
		if (err < 0 && ret == 0)
			ret = err;
	}
	if (sb->s_bdev != NULL) {
		err = sync_blockdev(sb->s_bdev);
		if (err < 0 && ret == 0)
			ret = err;
	}
	return ret;
}

/*
 * SysRq 'u': every filesystem written back and made read-only, so a
 * reset that follows leaves the disks consistent.  May sleep.
 */
static int remount_ro_one(struct super_block *sb)
{
	sync_sb(sb);
	sb->s_rdonly = true;
	return 0;
}

void emergency_remount_ro(void)
{
	each_sb(remount_ro_one);
}

/* Writes back every filesystem and then every block device: 0 or the
 * first error.  May sleep. */
int sync_all(void)
{
	struct block_device *bdev;
	int ret, err;

	ret = each_sb(sync_sb);
	list_for_each_entry(bdev, &all_blkdevs, list) {
		err = sync_blockdev(bdev);
		if (err < 0 && ret == 0)
			ret = err;
	}
	return ret;
}

/* Sets up the VFS core; filesystems register themselves in their own inits. */
void vfs_init(void)
{
	root_mnt = NULL;
}

/* Calls fn for every cached inode of every mounted filesystem.  fn must not sleep. */
void iterate_inodes(void (*fn)(struct inode *inode, void *arg), void *arg)
{
	struct super_block *sb;
	struct inode *inode;

	list_for_each_entry(sb, &super_blocks, s_list)
		if (!sb->s_dying)
			list_for_each_entry(inode, &sb->inodes, i_hash)
				fn(inode, arg);
}
