/*
 * inode.c - the inode cache.
 *
 * Each superblock keeps its in-memory inodes on sb->inodes.  iget() finds
 * one or reads it through the filesystem's read_inode; iput() drops a
 * reference.  An unreferenced inode with links stays cached (its page
 * cache with it) until the filesystem goes away; one without links is
 * evicted at once, which frees it on disk.  Dirty inodes are written by
 * write_inode_now() and sync_inodes_sb().
 *
 * Lookups go through a hash of (sb, ino).  The unused linked inodes of
 * disk filesystems are also on inode_lru, least recently used first,
 * which the memory-pressure shrinker (prune_icache_lru) frees from;
 * memory filesystems keep theirs, the inodes are their content.
 */
#include "kernel/fs.h"
#include "kernel/mm.h"
#include "kernel/page.h"
#include "kernel/vdso.h"
#include "kernel/xattr.h"

#define IHASH_BITS	14
static struct list_head inode_hashtable[1u << IHASH_BITS];
static LIST_HEAD(inode_lru);
u64 nr_unused_inodes;

static struct list_head *ihash_head(struct super_block *sb, u64 ino)
{
	u64 h = (ino ^ ((u64)(unsigned long)sb >> 6)) * 0x9e3779b97f4a7c15ULL;
	struct list_head *head = &inode_hashtable[h >> (64 - IHASH_BITS)];

	if (head->next == NULL)
		INIT_LIST_HEAD(head);	/* first use of the bucket */
	return head;
}

static struct inode *inode_find(struct super_block *sb, u64 ino)
{
	struct inode *inode;

	list_for_each_entry(inode, ihash_head(sb, ino), i_hnode) {
		if (inode->i_ino == ino && inode->i_sb == sb)
			return inode;
	}
	return NULL;
}

/* The inode is in use again: off the unused list. */
static void inode_lru_del(struct inode *inode)
{
	if (!list_empty(&inode->i_lru)) {
		list_del(&inode->i_lru);
		nr_unused_inodes--;
	}
}

/* Whether the shrinker may drop inode when unused: a disk filesystem's. */
static bool inode_reclaimable(const struct inode *inode)
{
	return inode->i_sb->s_bdev != NULL && inode != inode->i_sb->s_root;
}

/* A new in-memory inode of sb with one reference, not yet in the cache. */
struct inode *new_inode(struct super_block *sb)
{
	struct inode *inode = kzalloc(sizeof(*inode));

	if (!inode)
		return NULL;
	inode->i_sb = sb;
	inode->i_count = 1;
	INIT_LIST_HEAD(&inode->i_hash);
	INIT_LIST_HEAD(&inode->i_hnode);
	INIT_LIST_HEAD(&inode->i_lru);
	INIT_LIST_HEAD(&inode->i_pages);
	inode->i_acl = inode->i_default_acl = ACL_NOT_CACHED;
	return inode;
}

/* Puts inode (i_ino set) into its superblock's cache. */
void inode_insert(struct inode *inode)
{
	list_add(&inode->i_hash, &inode->i_sb->inodes);
	list_add(&inode->i_hnode, ihash_head(inode->i_sb, inode->i_ino));
	live.inodes++;
}

/*
 * Inode ino of sb: a new reference, or ERR_PTR(-errno) from read_inode
 * or -ENOMEM.  May sleep.
 */
struct inode *iget(struct super_block *sb, u64 ino)
{
	struct inode *inode, *other;
	int err;

	inode = inode_find(sb, ino);
	if (inode) {
		inode_lru_del(inode);
		inode->i_count++;
		return inode;
	}
	inode = new_inode(sb);
	if (!inode)
		return ERR_PTR(-ENOMEM);
	inode->i_ino = ino;
	err = sb->s_op->read_inode(inode);
	if (err) {
		kfree(inode);
		return ERR_PTR(err);
	}
	/* read_inode slept: another task may have read the same inode. */
	other = inode_find(sb, ino);
	if (other) {
		inode->i_nlink = 1;	/* release private data only */
		if (sb->s_op->evict_inode)
			sb->s_op->evict_inode(inode);
		kfree(inode);
		inode_lru_del(other);
		other->i_count++;
		return other;
	}
	inode_insert(inode);
	return inode;
}

/* Takes another reference to inode. */
void ihold(struct inode *inode)
{
	inode_lru_del(inode);
	inode->i_count++;
}

static void inode_evict(struct inode *inode)
{
	inode_lru_del(inode);
	filemap_drop(inode);
	if (inode->i_nlink)
		write_inode_now(inode);
	list_del(&inode->i_hash);
	list_del(&inode->i_hnode);
	if (inode->i_sb->s_op->evict_inode)
		inode->i_sb->s_op->evict_inode(inode);
	posix_acl_forget(inode);
	if (leak_test(inodes))
		return;
	live.inodes--;
	kfree(inode);
}

/*
 * Drops a reference; at the last one an unlinked inode is freed on disk
 * and in memory, a linked one stays cached.  NULL is allowed. May sleep.
 */
void iput(struct inode *inode)
{
	if (!inode)
		return;
	if (--inode->i_count > 0)
		return;
	if (inode->i_nlink == 0) {
		inode_evict(inode);
	} else if (inode_reclaimable(inode) && list_empty(&inode->i_lru)) {
		list_add_tail(&inode->i_lru, &inode_lru);
		nr_unused_inodes++;
	}
}

/*
 * Frees up to nr unused inodes of disk filesystems, least recently used
 * first; a dirty one (its write-back would sleep) moves to the tail for
 * bdflush to clean.  Never sleeps.
 */
u64 prune_icache_lru(u64 nr)
{
	u64 freed = 0, budget = nr_unused_inodes;

	while (freed < nr && budget-- && !list_empty(&inode_lru)) {
		struct inode *inode = list_first_entry(&inode_lru, struct inode, i_lru);

		if (inode->i_count != 0 || inode->i_nlink == 0) {
			inode_lru_del(inode);	/* not unused after all */
			continue;
		}
		if (inode->i_dirty) {
			list_del(&inode->i_lru);
			list_add_tail(&inode->i_lru, &inode_lru);
			continue;
		}
		inode_evict(inode);
		freed++;
	}
	return freed;
}

/* Marks inode as needing write-back. */
void mark_inode_dirty(struct inode *inode)
{
	inode->i_dirty = true;
}

/* Writes inode back if dirty: 0 or -errno. Caller holds a reference. May sleep. */
int write_inode_now(struct inode *inode)
{
	const struct super_operations *op = inode->i_sb->s_op;
	int err;

	if (!inode->i_dirty || !op->write_inode)
		return 0;
	inode->i_dirty = false;
	err = op->write_inode(inode);
	if (err)
		inode->i_dirty = true;
	return err;
}

/*
 * The wall-clock time for timestamps: the guest's CLOCK_REALTIME (the
 * vDSO's clock, kernel/time.c), so a settimeofday or clock_settime moves
 * file times too, as on Linux, and a timestamp costs no host call.
 */
struct ktimespec current_time(void)
{
	u64 ns = vdso_mono_ns() + (u64)vdso_real_offset_ns();
	struct ktimespec t = { (s64)(ns / 1000000000u), (s64)(ns % 1000000000u) };

	return t;
}

/* Whether sb has an inode without a name still in use (an unlinked open
 * file, a removed directory someone is in): Linux's s_remove_count. */
bool sb_has_unlinked(struct super_block *sb)
{
	struct inode *inode;

	list_for_each_entry(inode, &sb->inodes, i_hash)
		if (inode->i_nlink == 0 && inode->i_count > 0)
			return true;
	return false;
}

/* Writes every dirty inode of sb: 0 or the first -errno. May sleep. */
int sync_inodes_sb(struct super_block *sb)
{
	struct inode *inode, **v;
	size_t n = 0, i = 0;
	int err = 0, e;

	list_for_each_entry(inode, &sb->inodes, i_hash)
		n += inode->i_dirty;
	if (!n)
		return 0;
	v = kcalloc(n, sizeof(*v));
	if (!v)
		return -ENOMEM;
	list_for_each_entry(inode, &sb->inodes, i_hash) {
		if (inode->i_dirty && i < n) {
			ihold(inode);
			v[i++] = inode;
		}
	}
	n = i;
	for (i = 0; i < n; i++) {
		e = write_inode_now(v[i]);
		if (e && !err)
			err = e;
	}
	for (i = 0; i < n; i++)
		iput(v[i]);
	kfree(v);
	return err;
}

/*
 * Frees every unreferenced inode of sb from memory (unmount); an unlinked
 * one is freed on disk too.  Returns how many stay referenced. May sleep.
 */
int evict_inodes(struct super_block *sb)
{
	struct inode *inode, *next;
	int busy = 0;

again:
	list_for_each_entry_safe(inode, next, &sb->inodes, i_hash) {
		if (inode->i_count) {
			busy++;
			continue;
		}
		inode_evict(inode);
		busy = 0;
		goto again;	/* eviction may sleep and change the list */
	}
	return busy;
}

/*
 * Frees the clean, linked inodes of sb that nothing references (their
 * page cache with them), for drop_caches.  Never sleeps: nothing is
 * written and nothing freed on disk.
 */
void prune_icache_sb(struct super_block *sb)
{
	struct inode *inode, *next;

	list_for_each_entry_safe(inode, next, &sb->inodes, i_hash)
		if (inode->i_count == 0 && inode->i_nlink > 0 && !inode->i_dirty &&
		    inode != sb->s_root)
			inode_evict(inode);
}

/*
 * Copies the non-size attributes named in attr->valid into inode (the
 * file type bits of i_mode stay) and sets ctime: the common tail of
 * every filesystem's setattr.
 */
void setattr_copy(struct inode *inode, const struct iattr *attr)
{
	if (attr->valid & ATTR_MODE)
		inode->i_mode = (inode->i_mode & S_IFMT) | (attr->mode & 07777);
	if (attr->valid & ATTR_UID)
		inode->i_uid = attr->uid;
	if (attr->valid & ATTR_GID)
		inode->i_gid = attr->gid;
	if (attr->valid & ATTR_ATIME)
		inode->i_atime = attr->atime;
	if (attr->valid & ATTR_MTIME)
		inode->i_mtime = attr->mtime;
	inode->i_ctime = (attr->valid & ATTR_CTIME) ? attr->ctime : current_time();
}
