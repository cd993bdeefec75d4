/*
 * dcache.c - the dentry cache.
 *
 * A dentry names one inode in one directory; the dentries of a
 * superblock form a tree under its root dentry (d_parent / d_children).
 * References: every child holds one on its parent, a dentry holds one on
 * its inode, walkers, open files (f_path), cwd/root and mounts hold the
 * rest.  A positive dentry that is still in its parent's list ("hashed")
 * stays cached when its count drops to zero, and so does a negative one
 * of a disk filesystem (d_cache_negative: a name the filesystem said is
 * not there); an unhashed one (unlinked) is freed then.  Umount frees a
 * whole tree.
 *
 * Lookups go through a hash of (parent, name), as Linux's
 * dentry_hashtable: a directory of 10,000 cached names was a list walk
 * of thousands of compares per lookup, two thirds of a file create.  A
 * dentry is on its chain from d_alloc (rehashed by d_move) until it is
 * freed; a chain entry counts only while it is still in its parent's
 * list, so whatever takes a dentry off that list (d_delete, and the
 * pseudo filesystems that do it by hand) hides it from lookups too.
 */
#include "kernel/kernel.h"
#include "kernel/fs.h"
#include "kernel/page.h"
#include "internal.h"

#define D_HASH_BITS	14
static struct list_head d_hash_table[1 << D_HASH_BITS];

/* The chain of name (len bytes) under parent: FNV-1a of the name, mixed with the parent. */
static struct list_head *d_hash_chain(const struct dentry *parent, const char *name, int len)
{
	u64 h = 0xcbf29ce484222325ull ^ ((u64)(uintptr_t)parent * 0x9e3779b97f4a7c15ull);

	for (int i = 0; i < len; i++)
		h = (h ^ (u8)name[i]) * 0x100000001b3ull;
	h ^= h >> 29;
	return &d_hash_table[h & ((1u << D_HASH_BITS) - 1)];
}

static void d_hash_add(struct dentry *d)
{
	struct list_head *chain = d_hash_chain(d->d_parent, d->d_name, d->d_len);

	if (chain->next == NULL)	/* the table starts zeroed: chains are made on first use */
		INIT_LIST_HEAD(chain);
	list_add(&d->d_hash, chain);
}

static bool d_is_root(const struct dentry *d)
{
	return d->d_parent == d;
}

/* Returns true if d has left its parent's list (deleted or never added). */
bool d_unhashed(const struct dentry *d)
{
	return !d_is_root(d) && list_empty(&d->d_child);
}

/* Takes a reference on d (NULL passes through). */
static LIST_HEAD(dentry_lru);	/* unused cached dentries, least recently used first */
u64 nr_unused_dentries;
u64 nr_negative_dentries;	/* no inode: /proc/sys/fs/dentry-state's fifth */

static void d_lru_del(struct dentry *d)
{
	if (!list_empty(&d->d_lru)) {
		list_del(&d->d_lru);
		nr_unused_dentries--;
	}
}

/*
 * Negative dentries ("name is not in this directory") are kept on disk
 * filesystems only, as the memory of a lookup that failed: the next
 * lookup of that name (a create after its failed lookup, a PATH search)
 * does not ask the filesystem again.  Everything that makes a name goes
 * through d_add_child or d_move, which replace the negative entry.  The
 * pseudo filesystems (procfs, sysfs, hostfs's host-side changes) keep
 * none: their names come and go without the VFS.
 */
static bool d_keeps_negative(const struct dentry *d)
{
	return d->d_sb != NULL && d->d_sb->s_bdev != NULL;
}

/* d became unused and stays cached: the shrinker's, if of a disk filesystem. */
static void d_lru_add(struct dentry *d)
{
	if (d->d_sb != NULL && d->d_sb->s_bdev != NULL && list_empty(&d->d_lru)) {
		list_add_tail(&d->d_lru, &dentry_lru);
		nr_unused_dentries++;
	}
}

struct dentry *dget(struct dentry *d)
{
	if (d != NULL) {
		if (d->d_count++ == 0)
			d_lru_del(d);
	}
	return d;
}

/* d no longer names its inode in the tree: forget it as the directory's alias. */
static void d_unalias(struct dentry *d)
{
	if (d->d_inode != NULL && d->d_inode->i_dentry == d)
		d->d_inode->i_dentry = NULL;
}

static void d_free(struct dentry *d)
{
	if (d->d_inode == NULL && d->d_parent != d)
		nr_negative_dentries--;
	list_del(&d->d_hash);
	d_lru_del(d);
	d_unalias(d);
	if (d->d_inode != NULL)
		iput(d->d_inode);
	if (leak_test(dentries))
		return;
	kfree(d->d_name);
	kfree(d);
	live.dentries--;
}

/*
 * Drops a reference.  At zero an unhashed or negative dentry is freed
 * and its reference on the parent dropped in turn.  May sleep (iput).
 */
void dput(struct dentry *d)
{
	while (d != NULL) {
		struct dentry *parent;

		BUG_ON(d->d_count <= 0);
		if (--d->d_count > 0 || d_is_root(d))
			return;
		if (!d_unhashed(d) && (d->d_inode != NULL || d_keeps_negative(d))) {
			d_lru_add(d);	/* stays cached */
			return;
		}
		parent = d->d_parent;
		if (!d_unhashed(d))
			list_del(&d->d_child);
		d_free(d);
		d = parent;
	}
}

/* Takes a reference on both halves of p. */
void path_get(struct path *p)
{
	dget(p->dentry);
}

/*
 * Drops the references of p.  The mount has been used: a mark that
 * umount2(MNT_EXPIRE) left goes, as Linux's mntput clears it.  May sleep.
 */
void path_put(struct path *p)
{
	if (p->mnt != NULL)
		p->mnt->mnt_flags &= ~MNT_EXPIRY_MARK;
	dput(p->dentry);
}

/* Stores p (taking a new reference) in slot, dropping what slot held. May sleep. */
void path_replace(struct path *slot, const struct path *p)
{
	struct path old = *slot;

	*slot = *p;
	path_get(slot);
	if (old.dentry != NULL)
		path_put(&old);
}

static struct dentry *d_new(const char *name, int len)
{
	struct dentry *d = kzalloc(sizeof(*d));

	if (d == NULL)
		return NULL;
	d->d_name = kmalloc((size_t)len + 1);
	if (d->d_name == NULL) {
		kfree(d);
		return NULL;
	}
	memcpy(d->d_name, name, (size_t)len);
	d->d_name[len] = '\0';
	d->d_len = len;
	d->d_count = 1;
	INIT_LIST_HEAD(&d->d_children);
	INIT_LIST_HEAD(&d->d_child);
	INIT_LIST_HEAD(&d->d_lru);
	INIT_LIST_HEAD(&d->d_hash);
	live.dentries++;
	return d;
}

/* Returns a new negative dentry for name in parent (hashed), or NULL. */
struct dentry *d_alloc(struct dentry *parent, const char *name, int len)
{
	struct dentry *d = d_new(name, len);

	if (d == NULL)
		return NULL;
	d->d_parent = dget(parent);
	d->d_sb = parent->d_sb;
	list_add_tail(&d->d_child, &parent->d_children);
	d_hash_add(d);
	nr_negative_dentries++;		/* until d_instantiate */
	return d;
}

/*
 * The filesystem said name is not in dir: remember it (a negative dentry
 * on the LRU) where negatives are kept, unless dir was removed or the
 * name was cached meanwhile.  Never sleeps.
 */
void d_cache_negative(struct dentry *dir, const char *name, int len)
{
	struct dentry *d;

	if (!d_keeps_negative(dir) || d_dead(dir))
		return;
	d = d_lookup(dir, name, len);
	if (d == NULL)
		d = d_alloc(dir, name, len);
	dput(d);	/* unused: cached on the LRU */
}

/* Returns the root dentry of a tree, taking over the caller's inode reference. */
struct dentry *d_alloc_root(struct inode *root_inode)
{
	struct dentry *d = d_new("/", 1);

	if (d == NULL)
		return NULL;
	d->d_parent = d;
	d->d_inode = root_inode;
	d->d_sb = root_inode->i_sb;
	if (root_inode->i_dentry == NULL)
		root_inode->i_dentry = d;
	return d;
}

/* Returns the cached child name of dir (a new reference), or NULL. */
struct dentry *d_lookup(struct dentry *dir, const char *name, int len)
{
	struct list_head *chain = d_hash_chain(dir, name, len);
	struct dentry *d;

	if (chain->next == NULL)
		return NULL;
	list_for_each_entry(d, chain, d_hash)
		if (d->d_parent == dir && d->d_len == len && !d_unhashed(d) &&
		    memcmp(d->d_name, name, (size_t)len) == 0)
			return dget(d);
	return NULL;
}

/*
 * A directory that already has a name in the tree gets no second one:
 * -ELOOP if the other name is parent or one of its ancestors (the loop
 * Linux's d_splice_alias refuses), -EIO otherwise; the caller's inode
 * reference is dropped then.  Only a corrupt filesystem links directories.
 */
static int d_check_alias(struct dentry *parent, const char *name, int len,
			 struct inode *inode)
{
	struct dentry *alias = inode->i_dentry;
	char shown[64];
	bool loop;

	if (!S_ISDIR(inode->i_mode) || alias == NULL)
		return 0;
	loop = alias->d_sb == parent->d_sb && d_is_ancestor(alias, parent);
	len = len < (int)sizeof(shown) - 1 ? len : (int)sizeof(shown) - 1;
	memcpy(shown, name, (size_t)len);
	shown[len] = '\0';
	printk(KERN_ERR "VFS: lookup of '%s' in directory '%s' found directory inode %llu, "
	       "which is already '%s': %s\n", shown, parent->d_name,
	       (unsigned long long)inode->i_ino, alias->d_name,
	       loop ? "it would make a loop" : "a directory hard link (corrupt filesystem?)");
	iput(inode);
	return loop ? -ELOOP : -EIO;
}

/*
 * Caches inode (the caller's reference, taken over) as name in parent
 * and returns the dentry (a new reference), ERR_PTR(-ELOOP/-EIO) for a
 * second name of a directory, or NULL without memory.  If another task
 * cached the name while the caller slept, that dentry wins.
 */
struct dentry *d_add_child(struct dentry *parent, const char *name, int len,
			   struct inode *inode)
{
	struct dentry *d = d_lookup(parent, name, len);
	int err;

	if (d != NULL && d->d_inode != NULL) {
		iput(inode);
		return d;
	}
	err = d_check_alias(parent, name, len, inode);
	if (err) {
		dput(d);
		return ERR_PTR(err);
	}
	if (d != NULL) {	/* a stale negative entry */
		d_delete(d);
		dput(d);
	}
	d = d_alloc(parent, name, len);
	if (d == NULL) {
		iput(inode);
		return NULL;
	}
	d_instantiate(d, inode);
	return d;
}

/* Gives a negative dentry its inode; takes over the caller's reference. */
void d_instantiate(struct dentry *d, struct inode *inode)
{
	if (d->d_inode == NULL)
		nr_negative_dentries--;
	d->d_inode = inode;
	if (S_ISDIR(inode->i_mode) && inode->i_dentry == NULL && !d_unhashed(d))
		inode->i_dentry = d;
}

/*
 * The name is gone from the filesystem: unhash d, so that no lookup finds
 * it.  It keeps its inode while open files, a cwd or other references
 * still use it (fchmod, fstatat(fd, "") and the like work on an unlinked
 * file as on Linux); the last dput frees both.
 */
void d_delete(struct dentry *d)
{
	struct dentry *c, *next;

	if (!d_unhashed(d))
		list_del(&d->d_child);
	d_unalias(d);
	/* A removed directory is empty: its unused negative entries go now
	 * (nothing could look them up, and an unhashed parent is never on
	 * the LRU to be freed after them). */
	list_for_each_entry_safe(c, next, &d->d_children, d_child) {
		if (c->d_count == 0 && c->d_inode == NULL && list_empty(&c->d_children)) {
			list_del(&c->d_child);
			d_free(c);
			d->d_count--;
		}
	}
}

/*
 * True if nothing can be created or looked up under d: it is negative,
 * or a directory that was removed (rmdir, or replaced by rename).
 */
bool d_dead(const struct dentry *d)
{
	return d->d_inode == NULL || (S_ISDIR(d->d_inode->i_mode) && d_unhashed(d));
}

/*
 * Renames d to name in newparent.  Any other dentry with that name
 * must already be deleted.  On allocation failure d keeps the old name,
 * which only costs a stale cache entry, so d is unhashed instead.
 */
void d_move(struct dentry *d, struct dentry *newparent, const char *name, int len)
{
	struct dentry *oldparent = d->d_parent, *neg = d_lookup(newparent, name, len);
	char *nn = kmalloc((size_t)len + 1);

	if (neg != NULL) {		/* the name exists now: no negative entry may say otherwise */
		if (neg->d_inode == NULL)
			d_delete(neg);
		dput(neg);
	}

	if (!d_unhashed(d))
		list_del(&d->d_child);
	if (nn == NULL) {
		d_unalias(d);
		return;		/* unhashed: looked up afresh next time */
	}
	memcpy(nn, name, (size_t)len);
	nn[len] = '\0';
	kfree(d->d_name);
	d->d_name = nn;
	d->d_len = len;
	d->d_parent = dget(newparent);
	list_add_tail(&d->d_child, &newparent->d_children);
	list_del(&d->d_hash);
	d_hash_add(d);
	dput(oldparent);
}

/* Returns true if anc is d or one of its ancestors (within one tree). */
bool d_is_ancestor(struct dentry *anc, struct dentry *d)
{
	for (;;) {
		if (d == anc)
			return true;
		if (d_is_root(d))
			return false;
		d = d->d_parent;
	}
}

/* Pre-order successor of d in the tree under root, or NULL at the end. */
static struct dentry *d_next(struct dentry *d, struct dentry *root)
{
	if (!list_empty(&d->d_children))
		return list_first_entry(&d->d_children, struct dentry, d_child);
	while (d != root) {
		struct dentry *p = d->d_parent;

		if (d->d_child.next != &p->d_children)
			return list_entry(d->d_child.next, struct dentry, d_child);
		d = p;
	}
	return NULL;
}

/* Pre-order walk of the tree under root: the dentry after d, or NULL. */
struct dentry *d_tree_next(struct dentry *d, struct dentry *root)
{
	return d_next(d, root);
}

int d_nr_children(struct dentry *d)
{
	struct list_head *l;
	int n = 0;

	for (l = d->d_children.next; l != &d->d_children; l = l->next)
		n++;
	return n;
}

/*
 * Returns true if any dentry of the tree under root is in use: more
 * references than its cached children account for (plus extra at the
 * root, the references the caller knows about), or a mount on it.
 */
bool d_tree_busy(struct dentry *root, int extra)
{
	struct dentry *d;

	for (d = root; d != NULL; d = d_next(d, root)) {
		int expect = d_nr_children(d) + (d == root ? extra : 0);

		if (d->d_count > expect)
			return true;
		if (d != root && d->d_mounted)
			return true;
	}
	return false;
}

/*
 * Frees every dentry of the tree under root, root included; the caller
 * has checked that none is in use.  May sleep (iput).
 */
void d_prune_tree(struct dentry *root)
{
	struct dentry *d = root;

	for (;;) {
		struct dentry *p;

		if (!list_empty(&d->d_children)) {
			d = list_first_entry(&d->d_children, struct dentry, d_child);
			continue;
		}
		if (d == root)
			break;
		p = d->d_parent;
		list_del(&d->d_child);
		d_free(d);
		p->d_count--;
		d = p;
	}
	d_free(root);
}

/*
 * Frees the cached dentries of the tree under root that nothing uses (no
 * reference but their cached children's, no mount on them), leaves first,
 * for drop_caches.  Never sleeps: their inodes are linked, so iput only
 * drops a reference.
 */
/*
 * Frees up to nr unused dentries of disk filesystems, least recently
 * used first (their inodes' references go, so prune_icache_lru can free
 * those next); a parent left unused joins the list's tail.  Memory
 * filesystems' dentries are not on the list.  Never sleeps: the inode of
 * a cached dentry is linked, so its iput only drops the count.
 */
u64 shrink_dcache_lru(u64 nr)
{
	u64 freed = 0, budget = nr_unused_dentries;

	while (freed < nr && budget-- && !list_empty(&dentry_lru)) {
		struct dentry *d = list_first_entry(&dentry_lru, struct dentry, d_lru), *p;

		d_lru_del(d);
		if (d->d_count != 0 || !list_empty(&d->d_children) || d->d_mounted ||
		    d_unhashed(d) || d_is_root(d))
			continue;	/* in use again, or not ours to free */
		if (d->d_inode != NULL && d->d_inode->i_nlink == 0)
			continue;	/* its iput would free it on disk (sleeps) */
		p = d->d_parent;
		list_del(&d->d_child);
		d_free(d);
		freed++;
		if (--p->d_count == 0 && !d_is_root(p) && !d_unhashed(p))
			d_lru_add(p);
	}
	return freed;
}

void d_shrink_unused(struct dentry *root)
{
	struct dentry *d = root;

	while (d != NULL) {
		struct dentry *p = d->d_parent;

		if (d != root && d->d_count == 0 && list_empty(&d->d_children) &&
		    !d->d_mounted && !d_unhashed(d)) {
			list_del(&d->d_child);
			d_free(d);
			p->d_count--;
			d = p;		/* the parent may be unused now */
			continue;
		}
		d = d_next(d, root);
	}
}
