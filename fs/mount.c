/*
 * mount.c - mounts: the tree of filesystems the path walk sees.
 *
 * A vfsmount shows a tree of a superblock (all of it, or from any of
 * its directories for a bind mount: several mounts may share one
 * superblock and its dentries) over a directory of its parent mount.  It
 * holds a reference on its root dentry and on the dentry it covers,
 * whose d_mounted counts the mounts on it; which one covers a path is
 * found by (parent mount, dentry) in lookup_mnt, so a mount seen through
 * one bind is not seen through another.  The root mount is its own
 * parent.  mounts lists them parents before children.  A superblock
 * lives while any mount of it does (sb_in_use).
 *
 * Busy: with no reference counts on mounts, a mount is busy when a dentry
 * of its tree has more references than its cached children, the mounts
 * rooted at or over it and the open files and task roots and cwds
 * through other mounts account for (mnt_busy): a file open through one
 * bind mount does not keep another bind of the same files busy.
 * umount2(MNT_DETACH) takes a mount and everything under it out of the
 * tree at once; each is freed (mnt_reap_detached) once nothing uses it:
 * checked at every umount, at each last fput of a file on a detached
 * mount, and at halt.
 */
#include "kernel/kernel.h"
#include "kernel/fs.h"
#include "kernel/blkdev.h"
#include "kernel/mm.h"
#include "kernel/page.h"
#include "kernel/sched.h"
#include "kernel/syscalls.h"
#include "uapi/linux/mount.h"
#include "internal.h"
#include "kernel/fsnotify.h"

/* umount2 flags (<sys/mount.h>, not in the uapi headers). */
#define MNT_FORCE	1
#define MNT_DETACH	2
#define MNT_EXPIRE	4
#define UMOUNT_NOFOLLOW	8

/* Per-mount flags, kept in mnt_flags (MNT_*); the rest accepted and ignored. */
#define MS_MNT_FLAGS	(MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME | \
			 MS_NODIRATIME | MS_STRICTATIME | MS_NOSYMFOLLOW)
#define MS_IGNORED	(MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_SYNCHRONOUS | \
			 MS_MANDLOCK | MS_DIRSYNC | MS_NOATIME | MS_NODIRATIME | \
			 MS_SILENT | MS_POSIXACL | MS_RELATIME | MS_STRICTATIME | \
			 MS_LAZYTIME | MS_I_VERSION | MS_NOSYMFOLLOW)
#define MS_PROPAGATION	(MS_UNBINDABLE | MS_PRIVATE | MS_SLAVE | MS_SHARED)
#define MS_KNOWN	(MS_RDONLY | MS_REMOUNT | MS_BIND | MS_MOVE | MS_REC | \
			 MS_IGNORED | MS_PROPAGATION)

struct vfsmount *root_mnt;
static LIST_HEAD(mounts);
static LIST_HEAD(detached);	/* umount -l'd, waiting for their users to go */
static unsigned anon_minor = 1;
static int next_mnt_id = 20;	/* Linux's first ids are in the twenties too */

/* Returns true if writes through mnt must fail with -EROFS. */
bool mnt_is_rdonly(const struct vfsmount *mnt)
{
	return (mnt->mnt_flags & MNT_RDONLY) || mnt->mnt_sb->s_rdonly;
}

/* Returns 0 if p may be modified, else -EROFS. */
int mnt_want_write(const struct path *p)
{
	return mnt_is_rdonly(p->mnt) ? -EROFS : 0;
}

/* Whether files at p may not be executed or mapped executable (MS_NOEXEC). */
bool path_noexec(const struct path *p)
{
	return p->mnt != NULL && (p->mnt->mnt_flags & MNT_NOEXEC);
}

/* Whether set-user-ID bits at p are to be ignored (MS_NOSUID). */
bool path_nosuid(const struct path *p)
{
	return p->mnt != NULL && (p->mnt->mnt_flags & MNT_NOSUID);
}

/* The options /proc/mounts shows for mnt, as Linux's show_mnt_opts orders them. */
void mnt_options(const struct vfsmount *mnt, char *buf, int size)
{
	static const struct { int flag; const char *name; } opts[] = {
		{ MNT_NOSUID, ",nosuid" }, { MNT_NODEV, ",nodev" }, { MNT_NOEXEC, ",noexec" },
		{ MNT_NOATIME, ",noatime" }, { MNT_NODIRATIME, ",nodiratime" },
		{ MNT_NOSYMFOLLOW, ",nosymfollow" },
	};
	size_t i, n;

	kstrlcpy(buf, mnt_is_rdonly(mnt) ? "ro" : "rw", (size_t)size);
	for (i = 0; i < ARRAY_SIZE(opts); i++) {
		n = strlen(buf);
		if ((mnt->mnt_flags & opts[i].flag) && n + strlen(opts[i].name) < (size_t)size)
			kstrlcpy(buf + n, opts[i].name, (size_t)size - n);
	}
	n = strlen(buf);
	if (!(mnt->mnt_flags & (MNT_NOATIME | MNT_STRICTATIME)) && n + 9 < (size_t)size)
		kstrlcpy(buf + n, ",relatime", (size_t)size - n);
}

/* Frees a mount (mnt_alloc's or mnt_clone's) no one refers to any more. */
static void mnt_free(struct vfsmount *mnt)
{
	kfree(mnt->mnt_devname);
	if (leak_test(mounts))
		return;
	live.mounts--;
	kfree(mnt);
}

/* Returns a mount of sb with a fresh root dentry, not attached, or NULL. */
struct vfsmount *mnt_alloc(struct super_block *sb, const char *devname)
{
	struct vfsmount *mnt = kzalloc(sizeof(*mnt));

	if (mnt == NULL)
		return NULL;
	live.mounts++;
	mnt->mnt_devname = kstrdup(devname ? devname : "none");
	if (mnt->mnt_devname == NULL)
		goto fail;
	ihold(sb->s_root);
	mnt->mnt_root = d_alloc_root(sb->s_root);
	if (mnt->mnt_root == NULL) {
		iput(sb->s_root);
		goto fail;
	}
	mnt->mnt_sb = sb;
	mnt->mnt_parent = mnt;
	mnt->mnt_id = next_mnt_id++;
	INIT_LIST_HEAD(&mnt->mnt_list);
	return mnt;
fail:
	mnt_free(mnt);
	return NULL;
}

static bool bdev_in_use(struct block_device *bdev)
{
	struct vfsmount *m;

	list_for_each_entry(m, &mounts, mnt_list)
		if (m->mnt_sb->s_bdev == bdev)
			return true;
	list_for_each_entry(m, &detached, mnt_list)
		if (m->mnt_sb->s_bdev == bdev)
			return true;
	return false;
}

/*
 * Reads a superblock of type from bdev (NULL for types without a
 * device): the superblock, registered, or ERR_PTR.  May sleep.
 */
static struct super_block *sb_read(struct file_system_type *type,
				   struct block_device *bdev, bool ro,
				   const char *data, bool silent)
{
	struct super_block *sb;
	int ret;

	sb = sb_alloc();
	if (sb == NULL)
		return ERR_PTR(-ENOMEM);
	sb->s_bdev = bdev;
	sb->s_type = type;
	sb->s_dev = bdev ? bdev->dev : MKDEV(0, anon_minor++);
	sb->s_rdonly = ro || (bdev && bdev->read_only);
	ret = type->fill_super(sb, data, silent);
	if (ret == 0 && sb->s_root == NULL)
		ret = -EINVAL;
	if (ret < 0) {
		sb_free(sb);
		return ERR_PTR(ret);
	}
	sb_register(sb);
	if (bdev) {
		bdev->openers++;
		bdev->mounts++;
		if (sb->s_blocksize >= 512 && sb->s_blocksize <= PAGE_SIZE)
			bdev->block_size = sb->s_blocksize;	/* Linux's sb_set_blocksize */
	}
	return sb;
}

/*
 * Undoes sb_read: the VFS drops the root inode reference (s_root) and
 * the unused inodes, then put_super releases the filesystem's own state.
 * May sleep.
 */
static void sb_kill(struct super_block *sb)
{
	struct inode *root = sb->s_root;

	sb_begin_kill(sb);
	fsnotify_unmount(sb);		/* watches hold inodes: they go first */
	sb->s_root = NULL;
	if (root != NULL)
		iput(root);
	evict_inodes(sb);
	if (sb->s_op != NULL && sb->s_op->put_super != NULL)
		sb->s_op->put_super(sb);
	if (sb->s_bdev != NULL) {
		sync_blockdev(sb->s_bdev);
		invalidate_bdev(sb->s_bdev);
		sb->s_bdev->openers--;
		sb->s_bdev->mounts--;
	}
	sb_end_kill(sb);
	sb_unregister(sb);
}

/* Reads sb with type, or with every device type when type is NULL. May sleep. */
static struct super_block *sb_read_any(const char *type, struct block_device *bdev,
				       bool ro, const char *data)
{
	struct file_system_type *t = NULL;
	struct super_block *sb = ERR_PTR(-EINVAL);

	if (type != NULL) {
		t = get_fs_type(type);
		if (t == NULL)
			return ERR_PTR(-ENODEV);
		if (t->requires_dev && bdev == NULL)
			return ERR_PTR(-ENOTBLK);
		return sb_read(t, t->requires_dev ? bdev : NULL, ro, data, false);
	}
	while ((t = next_fs_type(t)) != NULL) {
		if (!t->requires_dev)
			continue;
		sb = sb_read(t, bdev, ro, data, true);
		if (!IS_ERR(sb))
			return sb;
	}
	return sb;
}

/*
 * A mount of a device-less filesystem attached nowhere, for the kernel's
 * own use (mconsole reads /proc through one even when the guest has not
 * mounted it).  A mount, or an ERR_PTR.  May sleep.
 */
struct vfsmount *kern_mount(const char *type)
{
	struct super_block *sb = sb_read_any(type, NULL, false, NULL);
	struct vfsmount *mnt;

	if (IS_ERR(sb))
		return (struct vfsmount *)sb;
	mnt = mnt_alloc(sb, type);
	return mnt ? mnt : ERR_PTR(-ENOMEM);
}

/* Undoes kern_mount once nothing in it is in use.  May sleep. */
void kern_umount(struct vfsmount *mnt)
{
	struct super_block *sb = mnt->mnt_sb;

	d_prune_tree(mnt->mnt_root);
	mnt_free(mnt);
	sb_kill(sb);
}

/* MS_* flags of mount(2) as MNT_* flags. */
static int ms_to_mnt(unsigned long flags)
{
	int f = 0;

	f |= (flags & MS_RDONLY) ? MNT_RDONLY : 0;
	f |= (flags & MS_NOSUID) ? MNT_NOSUID : 0;
	f |= (flags & MS_NODEV) ? MNT_NODEV : 0;
	f |= (flags & MS_NOEXEC) ? MNT_NOEXEC : 0;
	f |= (flags & MS_NOATIME) ? MNT_NOATIME : 0;
	f |= (flags & MS_NODIRATIME) ? MNT_NODIRATIME : 0;
	f |= (flags & MS_STRICTATIME) ? MNT_STRICTATIME : 0;
	f |= (flags & MS_NOSYMFOLLOW) ? MNT_NOSYMFOLLOW : 0;
	return f;
}

/* Hangs mnt over the directory at p (or makes it the root when p is NULL). */
static void mnt_attach(struct vfsmount *mnt, const struct path *p, unsigned long flags)
{
	mnt->mnt_flags |= ms_to_mnt(flags);
	if (p == NULL) {
		mnt->mnt_parent = mnt;
		mnt->mnt_mountpoint = dget(mnt->mnt_root);
	} else {
		mnt->mnt_parent = p->mnt;
		mnt->mnt_mountpoint = dget(p->dentry);
		p->dentry->d_mounted++;
	}
	list_add_tail(&mnt->mnt_list, &mounts);
}

/* Takes mnt off its mount point (the caller puts it somewhere else). */
static void mnt_unhang(struct vfsmount *mnt)
{
	struct dentry *mp = mnt->mnt_mountpoint;

	if (mnt->mnt_parent != mnt)
		mp->d_mounted--;
	mnt->mnt_mountpoint = NULL;
	mnt->mnt_parent = mnt;
	dput(mp);
}

/* The mount on top of p (p's mount, p's dentry), or NULL. */
struct vfsmount *lookup_mnt(const struct path *p)
{
	struct vfsmount *m;

	if (!p->dentry->d_mounted)
		return NULL;
	list_for_each_entry(m, &mounts, mnt_list) {
		if (m->mnt_parent != m && m->mnt_parent == p->mnt &&
		    m->mnt_mountpoint == p->dentry)
			return m;
	}
	return NULL;
}

/* Whether any mount (attached or detached but for skip) shows sb. */
static bool sb_in_use(struct super_block *sb, struct vfsmount *skip)
{
	struct vfsmount *m;

	list_for_each_entry(m, &mounts, mnt_list)
		if (m != skip && m->mnt_sb == sb)
			return true;
	list_for_each_entry(m, &detached, mnt_list)
		if (m != skip && m->mnt_sb == sb)
			return true;
	return false;
}

/* The references mounts hold on d; *child set if a mount of parent hangs on it. */
static int mnt_refs(struct dentry *d, struct vfsmount *parent, bool *child)
{
	struct list_head *lists[2] = { &mounts, &detached };
	struct vfsmount *m;
	int i, n = 0;

	for (i = 0; i < 2; i++) {
		list_for_each_entry(m, lists[i], mnt_list) {
			n += m->mnt_root == d;
			if (m->mnt_mountpoint == d) {
				n++;
				if (m->mnt_parent == parent && m != parent)
					*child = true;
			}
		}
	}
	return n;
}

/* Whether an earlier task of all_tasks than t has t's fs_struct. */
static bool fs_seen(struct task *t)
{
	struct task *o;

	list_for_each_entry(o, &all_tasks, tasks) {
		if (o == t)
			return false;
		if (o->fs == t->fs)
			return true;
	}
	return false;
}

/*
 * The references on d held through a mount other than mnt by the holders
 * umount knows: open files (all_files) and the tasks' root and cwd (each
 * fs_struct once).  Linux counts a mount's users per mount, so a file
 * open through a bind mount does not keep another bind of the same tree
 * busy; the other holders of d (transient ones, a bound socket) count
 * against every mount of it.
 */
static int other_mnt_refs(struct dentry *d, struct vfsmount *mnt)
{
	struct file *f;
	struct task *t;
	int n = 0;

	list_for_each_entry(f, &all_files, f_all)
		n += f->f_path.dentry == d && f->f_path.mnt != mnt;
	list_for_each_entry(t, &all_tasks, tasks) {
		if (t->fs == NULL || fs_seen(t))
			continue;
		n += t->fs->root.dentry == d && t->fs->root.mnt != mnt;
		n += t->fs->pwd.dentry == d && t->fs->pwd.mnt != mnt;
	}
	return n;
}

/*
 * Whether the tree under root (mnt's, or the whole superblock's) is in
 * use beyond what the mounts and the users through other mounts account
 * for, or (children) has a mount of mnt on it.
 */
static bool mnt_busy(struct vfsmount *mnt, struct dentry *root, bool children)
{
	struct dentry *d;

	for (d = root; d != NULL; d = d_tree_next(d, root)) {
		bool child = false;
		int expect = d_nr_children(d) + mnt_refs(d, mnt, &child);

		if (children && child)
			return true;
		if (d->d_count > expect && d->d_count > expect + other_mnt_refs(d, mnt))
			return true;
	}
	return false;
}

/* The top of the dentry tree d is in. */
static struct dentry *d_top(struct dentry *d)
{
	while (d->d_parent != d)
		d = d->d_parent;
	return d;
}

/*
 * Frees mnt (off every list, off its mount point); the superblock goes
 * with its last mount, after its whole tree is freed.  The caller has
 * checked that nothing uses it.  May sleep.
 */
static void mnt_release(struct vfsmount *mnt)
{
	struct super_block *sb = mnt->mnt_sb;
	struct dentry *root = mnt->mnt_root;

	if (mnt->mnt_mountpoint != NULL)
		mnt_unhang(mnt);
	list_del(&mnt->mnt_list);
	mnt_free(mnt);
	if (sb_in_use(sb, NULL)) {
		dput(root);
		return;
	}
	root = d_top(root);
	d_prune_tree(root);
	sb_kill(sb);
}

/* Frees the detached mounts nothing uses any more.  May sleep. */
void mnt_reap_detached(void)
{
	struct vfsmount *m, *tmp;
	bool again = true;

	while (again) {
		again = false;
		list_for_each_entry_safe(m, tmp, &detached, mnt_list) {
			bool last = !sb_in_use(m->mnt_sb, m);

			if (mnt_busy(m, last ? d_top(m->mnt_root) : m->mnt_root, false))
				continue;
			sync_sb(m->mnt_sb);
			if (!mnt_busy(m, last ? d_top(m->mnt_root) : m->mnt_root, false)) {
				mnt_release(m);
				again = true;	/* the list changed under us */
				break;
			}
		}
	}
}

/*
 * Finds the block device named dev: through the path walk (a block
 * device node) or by its name ("ubda", "/dev/ubda").  NULL if none.
 * May sleep.
 */
static struct block_device *bdev_resolve(const char *dev, int *err)
{
	struct block_device *bdev;
	struct path p;

	*err = -ENOENT;
	if (dev == NULL || *dev == '\0')
		return NULL;
	if (root_mnt != NULL && kern_path(AT_FDCWD, dev, LOOKUP_FOLLOW, &p) == 0) {
		struct inode *inode = p.dentry->d_inode;

		bdev = NULL;
		*err = -ENOTBLK;
		if (inode != NULL && S_ISBLK(inode->i_mode)) {
			bdev = blkdev_lookup(inode->i_rdev);
			*err = -ENXIO;
		}
		path_put(&p);
		if (bdev != NULL || *err == -ENOTBLK)
			return bdev;
	}
	bdev = blkdev_by_name(dev);
	return bdev;
}

/*
 * A filesystem with one instance (devtmpfs) already mounted: a new mount
 * of its whole tree, as Linux's get_tree_single hands back the one
 * superblock and its root (a second dentry tree over the same inodes
 * would make each directory two names).  NULL if none is mounted.
 */
static struct vfsmount *mnt_clone(struct vfsmount *src, struct dentry *root);

static struct vfsmount *mnt_single(struct file_system_type *t, const char *dev)
{
	struct vfsmount *m, *mnt;

	list_for_each_entry(m, &mounts, mnt_list) {
		if (m->mnt_sb->s_type != t || m->mnt_root->d_parent != m->mnt_root)
			continue;
		mnt = mnt_clone(m, m->mnt_root);
		if (mnt == NULL)
			return ERR_PTR(-ENOMEM);
		kfree(mnt->mnt_devname);
		mnt->mnt_devname = kstrdup(dev ? dev : "none");
		mnt->mnt_flags = 0;
		if (mnt->mnt_devname == NULL) {
			dput(mnt->mnt_root);
			mnt_free(mnt);
			return ERR_PTR(-ENOMEM);
		}
		return mnt;
	}
	return NULL;
}

static int do_new_mount(const char *dev, const struct path *at, const char *type,
			unsigned long flags, const char *data)
{
	struct file_system_type *t = get_fs_type(type);
	struct block_device *bdev = NULL;
	struct super_block *sb;
	struct vfsmount *mnt;
	int err;

	if (t == NULL)
		return -ENODEV;
	if (at->dentry->d_inode == NULL || !S_ISDIR(at->dentry->d_inode->i_mode))
		return -ENOTDIR;
	if (d_dead(at->dentry))
		return -ENOENT;
	if (t->requires_dev) {
		bdev = bdev_resolve(dev, &err);
		if (bdev == NULL)
			return err;
		if (bdev_in_use(bdev) || bdev->holder != NULL)
			return -EBUSY;	/* mounted, or claimed by an O_EXCL open */
		if ((bdev->read_only || bdev->ro_set) && !(flags & MS_RDONLY))
			flags |= MS_RDONLY;
	}
	mnt = t->single ? mnt_single(t, dev) : NULL;
	if (IS_ERR(mnt))
		return (int)PTR_ERR(mnt);
	if (mnt != NULL) {
		mnt_attach(mnt, at, flags);
		return 0;
	}
	sb = sb_read(t, bdev, flags & MS_RDONLY, data, flags & MS_SILENT);
	if (IS_ERR(sb))
		return (int)PTR_ERR(sb);
	mnt = mnt_alloc(sb, dev);
	if (mnt == NULL) {
		sb_kill(sb);
		return -ENOMEM;
	}
	if (lookup_mnt(at) != NULL) {	/* mounted while we slept */
		d_prune_tree(mnt->mnt_root);
		mnt_free(mnt);
		sb_kill(sb);
		return -EBUSY;
	}
	mnt_attach(mnt, at, flags);
	return 0;
}

/*
 * MS_REMOUNT: the mount's flags become those given (MNT_* kept in the
 * mount); without MS_BIND the superblock goes read-only or read-write
 * too.  May sleep.
 */
static int do_remount(const struct path *p, unsigned long flags, const char *data)
{
	struct vfsmount *mnt = p->mnt;
	struct super_block *sb = mnt->mnt_sb;
	int err;

	if (p->dentry != mnt->mnt_root)
		return -EINVAL;
	if (!(flags & MS_RDONLY) && sb->s_bdev != NULL && sb->s_bdev->read_only)
		return -EACCES;
	/* Read-only while written is EBUSY, as Linux's mnt_make_readonly
	 * (this mount's writers) and sb_prepare_remount_readonly (every
	 * mount's, and files unlinked but still in use). */
	if ((flags & MS_RDONLY) && (flags & MS_BIND) && !(mnt->mnt_flags & MNT_RDONLY) &&
	    mnt->mnt_writers > 0)
		return -EBUSY;
	if ((flags & MS_RDONLY) && !(flags & MS_BIND) && !sb->s_rdonly &&
	    (sb->s_writers > 0 || sb_has_unlinked(sb)))
		return -EBUSY;
	if (!(flags & MS_BIND) && data != NULL && sb->s_op != NULL && sb->s_op->remount != NULL) {
		err = sb->s_op->remount(sb, data);	/* the options first: it may refuse */
		if (err < 0)
			return err;
	}
	if (!(flags & MS_BIND)) {
		if (flags & MS_RDONLY) {
			sync_sb(sb);
			sb->s_rdonly = true;
		} else {
			sb->s_rdonly = false;
		}
	}
	mnt->mnt_flags = (mnt->mnt_flags & ~(MNT_RDONLY | MNT_NOSUID | MNT_NODEV | MNT_NOEXEC |
					     MNT_NOATIME | MNT_NODIRATIME | MNT_STRICTATIME |
					     MNT_NOSYMFOLLOW)) | ms_to_mnt(flags);
	return 0;
}

/* A new mount showing src's tree from src's dentry, hung nowhere yet. */
static struct vfsmount *mnt_clone(struct vfsmount *src, struct dentry *root)
{
	struct vfsmount *mnt = kzalloc(sizeof(*mnt));

	if (mnt == NULL)
		return NULL;
	live.mounts++;
	mnt->mnt_devname = kstrdup(src->mnt_devname);
	if (mnt->mnt_devname == NULL) {
		mnt_free(mnt);
		return NULL;
	}
	mnt->mnt_root = dget(root);
	mnt->mnt_sb = src->mnt_sb;
	mnt->mnt_flags = src->mnt_flags & ~(MNT_DETACHED | MNT_EXPIRY_MARK);
	mnt->mnt_parent = mnt;
	mnt->mnt_id = next_mnt_id++;
	INIT_LIST_HEAD(&mnt->mnt_list);
	return mnt;
}

/*
 * MS_REC: copies of the mounts under orig (inside its tree from root),
 * hung on copy, recursively; the list has parents first, so one pass in
 * order over the mounts that were there before finds every parent's
 * copy made.  May sleep.
 */
static int bind_children(struct vfsmount *orig, struct dentry *root, struct vfsmount *copy)
{
	struct vfsmount *m, *end = copy, **from, **to;
	int n = 0, k = 0, err = 0;

	list_for_each_entry(m, &mounts, mnt_list)
		n++;
	from = kcalloc((size_t)n + 1, sizeof(*from));
	to = kcalloc((size_t)n + 1, sizeof(*to));
	if (from == NULL || to == NULL) {
		err = -ENOMEM;
		goto out;
	}
	from[k] = orig;
	to[k++] = copy;
	list_for_each_entry(m, &mounts, mnt_list) {
		struct vfsmount *c, *pc = NULL;
		struct path hp;
		int i;

		if (m == end)
			break;		/* the copies start here */
		if (m->mnt_parent == m)
			continue;
		for (i = 0; i < k; i++)
			if (from[i] == m->mnt_parent)
				pc = to[i];
		if (pc == NULL || (m->mnt_parent == orig && !d_is_ancestor(root, m->mnt_mountpoint)))
			continue;
		c = mnt_clone(m, m->mnt_root);
		if (c == NULL) {
			err = -ENOMEM;
			break;
		}
		hp.mnt = pc;
		hp.dentry = m->mnt_mountpoint;
		mnt_attach(c, &hp, 0);
		from[k] = m;
		to[k++] = c;
	}
out:
	kfree(from);
	kfree(to);
	return err;
}

/*
 * MS_BIND: the tree at from (a directory or a file) appears at at too;
 * with MS_REC, the mounts inside it come along (copied in list order, so
 * parents first).  May sleep.
 */
static int do_bind(const char *from, const struct path *at, unsigned long flags)
{
	struct vfsmount *top;
	struct path src;
	int err;

	if (from == NULL)
		return -EINVAL;
	err = kern_path(AT_FDCWD, from, LOOKUP_FOLLOW, &src);
	if (err < 0)
		return err;
	err = -EINVAL;
	if (src.mnt->mnt_flags & MNT_DETACHED)
		goto out;
	err = -ENOTDIR;
	if (S_ISDIR(src.dentry->d_inode->i_mode) != S_ISDIR(at->dentry->d_inode->i_mode))
		goto out;
	err = -ENOENT;
	if (d_dead(at->dentry) || d_unhashed(src.dentry))
		goto out;
	err = -ENOMEM;
	top = mnt_clone(src.mnt, src.dentry);
	if (top == NULL)
		goto out;
	mnt_attach(top, at, 0);
	err = 0;
	if (flags & MS_REC)
		err = bind_children(src.mnt, src.dentry, top);
out:
	path_put(&src);
	return err;
}

/* MS_MOVE: the mount whose root is from moves to at.  May sleep. */
static int do_move(const char *from, const struct path *at)
{
	struct vfsmount *mnt;
	struct path src;
	int err;

	if (from == NULL)
		return -EINVAL;
	err = kern_path(AT_FDCWD, from, LOOKUP_FOLLOW, &src);
	if (err < 0)
		return err;
	mnt = src.mnt;
	err = -EINVAL;
	if (src.dentry != mnt->mnt_root || mnt->mnt_parent == mnt || (mnt->mnt_flags & MNT_DETACHED))
		goto out;
	/* Not into itself: at must not be on mnt or a mount under it (ELOOP, as Linux). */
	{
		struct vfsmount *m = at->mnt;

		for (;;) {
			if (m == mnt) {
				err = -ELOOP;
				goto out;
			}
			if (m->mnt_parent == m)
				break;
			m = m->mnt_parent;
		}
	}
	err = -ENOENT;
	if (d_dead(at->dentry))
		goto out;
	mnt_unhang(mnt);
	list_del(&mnt->mnt_list);
	mnt_attach(mnt, at, 0);
	/* Its descendants must stay after it in the list: move them behind it. */
	{
		struct vfsmount *m, *tmp;

		list_for_each_entry_safe(m, tmp, &mounts, mnt_list) {
			struct vfsmount *a = m;

			if (m == mnt)
				break;
			while (a->mnt_parent != a && a != mnt)
				a = a->mnt_parent;
			if (a == mnt) {
				list_del(&m->mnt_list);
				list_add_tail(&m->mnt_list, &mounts);
			}
		}
	}
	err = 0;
out:
	path_put(&src);
	return err;
}

/* The mount logic shared by sys_mount and vfs_mount.  May sleep. */
static int do_mount(const char *dev, const struct path *at, const char *type,
		    unsigned long flags, const char *data)
{
	if ((flags & MS_MGC_MSK) == MS_MGC_VAL)
		flags &= ~(unsigned long)MS_MGC_MSK;
	if (flags & ~(unsigned long)MS_KNOWN)
		return -EINVAL;
	if (at->mnt->mnt_flags & MNT_DETACHED)
		return -EINVAL;
	if (flags & MS_REMOUNT)
		return do_remount(at, flags, data);
	if (flags & MS_BIND)
		return do_bind(dev, at, flags);
	if (flags & MS_PROPAGATION)
		return 0;		/* one namespace: nothing propagates */
	if (flags & MS_MOVE)
		return do_move(dev, at);
	if (type == NULL)
		return -EINVAL;
	return do_new_mount(dev, at, type, flags, data);
}

/* Mounts for kernel code (devtmpfs at boot): 0 or -errno.  May sleep. */
int vfs_mount(const char *dev, const char *dir, const char *type, unsigned long flags,
	      const char *data)
{
	struct path p;
	int ret;

	ret = kern_path(AT_FDCWD, dir, LOOKUP_FOLLOW, &p);
	if (ret < 0)
		return ret;
	ret = do_mount(dev, &p, type, flags, data);
	path_put(&p);
	return ret;
}

/*
 * Mounts the root filesystem from the block device dev (type NULL:
 * try every device type), or, for a type without a device (UML's
 * hostfs root: rootfstype=hostfs rootflags=DIR), from data alone; makes
 * it the root and cwd of the calling task.  Returns 0 or -errno.  May
 * sleep.
 */
int mount_root(const char *dev, const char *type, bool ro, const char *data)
{
	struct file_system_type *t = type != NULL ? get_fs_type(type) : NULL;
	struct block_device *bdev = NULL;
	struct super_block *sb;
	struct vfsmount *mnt;
	struct path p;

	if (root_mnt != NULL)
		return -EBUSY;
	if (t != NULL && !t->requires_dev) {
		sb = sb_read(t, NULL, ro, data, false);
	} else {
		bdev = blkdev_by_name(dev);
		if (bdev == NULL)
			return -ENXIO;
		sb = sb_read_any(type, bdev, ro || bdev->read_only, data);
	}
	if (IS_ERR(sb))
		return (int)PTR_ERR(sb);
	mnt = mnt_alloc(sb, bdev != NULL ? dev : "/dev/root");
	if (mnt == NULL) {
		sb_kill(sb);
		return -ENOMEM;
	}
	mnt_attach(mnt, NULL, sb->s_rdonly ? MS_RDONLY : 0);
	root_mnt = mnt;
	p.mnt = mnt;
	p.dentry = mnt->mnt_root;
	if (current != NULL && current->fs != NULL) {
		path_replace(&current->fs->root, &p);
		path_replace(&current->fs->pwd, &p);
	}
	printk("VFS: mounted root from %s%s\n", bdev != NULL ? bdev->name : t->name,
	       sb->s_rdonly ? " read-only" : "");
	return 0;
}

/* Calls fn on every mount, parents first.  fn must not sleep. */
void for_each_mount(void (*fn)(struct vfsmount *mnt, void *arg), void *arg)
{
	struct vfsmount *m;

	list_for_each_entry(m, &mounts, mnt_list)
		fn(m, arg);
}

/* The tree whose use decides whether mnt may go: its own, or all of its sb's if it is the last. */
static struct dentry *mnt_scope(struct vfsmount *mnt)
{
	return sb_in_use(mnt->mnt_sb, mnt) ? mnt->mnt_root : d_top(mnt->mnt_root);
}

/* Unmounts mnt if nothing uses it: 0, or -EBUSY.  May sleep. */
static int do_umount(struct vfsmount *mnt)
{
	int ret;

	if (mnt == root_mnt || mnt_busy(mnt, mnt_scope(mnt), true))
		return -EBUSY;
	ret = sync_sb(mnt->mnt_sb);
	if (ret < 0)
		return ret;
	if (mnt_busy(mnt, mnt_scope(mnt), true))	/* someone came in while we slept */
		return -EBUSY;
	mnt_release(mnt);
	mnt_reap_detached();
	return 0;
}

/* umount -l: mnt and the mounts under it leave the tree now, go when unused. */
static int do_umount_detach(struct vfsmount *mnt)
{
	struct vfsmount *m, *tmp;

	if (mnt == root_mnt)
		return -EINVAL;
	/* Children follow their parents in the list: one pass takes the subtree. */
	mnt->mnt_flags |= MNT_DETACHED;
	list_for_each_entry_safe(m, tmp, &mounts, mnt_list) {
		if (m == mnt || (m->mnt_parent->mnt_flags & MNT_DETACHED)) {
			m->mnt_flags |= MNT_DETACHED;
			list_del(&m->mnt_list);
			list_add_tail(&m->mnt_list, &detached);
		}
	}
	list_for_each_entry(m, &detached, mnt_list)
		if (m->mnt_mountpoint != NULL && (m == mnt || m->mnt_parent->mnt_flags & MNT_DETACHED))
			mnt_unhang(m);
	mnt_reap_detached();
	return 0;
}

/*
 * Shutdown: every filesystem synced and put, children first; the trees
 * nothing uses any more are freed with their superblocks.  Returns 0 or
 * the first error.  May sleep.
 */
int umount_all(void)
{
	int ret = 0;

	mnt_reap_detached();
	while (!list_empty(&detached)) {	/* still used: keep them, write them */
		struct vfsmount *mnt = list_entry(detached.next, struct vfsmount, mnt_list);

		list_del(&mnt->mnt_list);
		list_add_tail(&mnt->mnt_list, &mounts);
	}
	while (!list_empty(&mounts)) {
		struct vfsmount *mnt = list_entry(mounts.prev, struct vfsmount, mnt_list);
		struct super_block *sb = mnt->mnt_sb;
		bool last = !sb_in_use(sb, mnt);
		int err;

		err = sync_sb(sb);
		if (err < 0 && ret == 0)
			ret = err;
		if (!mnt_busy(mnt, last ? d_top(mnt->mnt_root) : mnt->mnt_root, false)) {
			if (mnt == root_mnt)
				root_mnt = NULL;
			mnt_release(mnt);
			continue;
		}
		list_del(&mnt->mnt_list);
		if (!last)
			continue;
		sb_begin_kill(sb);
		if (sb->s_op != NULL && sb->s_op->put_super != NULL)
			sb->s_op->put_super(sb);
		if (sb->s_bdev != NULL) {
			err = sync_blockdev(sb->s_bdev);
			if (err < 0 && ret == 0)
				ret = err;
		}
		sb_end_kill(sb);
		/* Still used by a busy mount that halt leaves: it stays in
		 * memory, dying, off every walk. */
		sb->s_count++;
		sb_unregister(sb);
	}
	return ret;
}

static char *copy_mount_string(uaddr_t u, size_t max, long *err)
{
	char *s;
	long n;

	*err = 0;
	if (uaddr_is_null(u))
		return NULL;
	s = kmalloc(max);
	if (s == NULL) {
		*err = -ENOMEM;
		return NULL;
	}
	n = strncpy_from_user(s, u, max);
	if (n < 0) {
		kfree(s);
		*err = n;
		return NULL;
	}
	return s;
}

/* mount(source, target, fstype, flags, data) */
SYSCALL(mount)
{
	unsigned long flags = (unsigned long)a[3];
	char *dev = NULL, *type = NULL, *data = NULL;
	struct path at;
	long ret;

	if (t->euid != 0)
		return -EPERM;
	ret = user_path(AT_FDCWD, UADDR(a[1]), LOOKUP_FOLLOW, &at);
	if (ret < 0)
		return ret;
	dev = copy_mount_string(UADDR(a[0]), PATH_MAX, &ret);
	if (ret < 0)
		goto out;
	type = copy_mount_string(UADDR(a[2]), 256, &ret);
	if (ret < 0)
		goto out;
	data = copy_mount_string(UADDR(a[4]), PAGE_SIZE, &ret);
	if (ret == -ENAMETOOLONG)
		ret = -EINVAL;
	if (ret < 0)
		goto out;
	ret = do_mount(dev, &at, type, flags, data);
out:
	kfree(data);
	kfree(type);
	kfree(dev);
	path_put(&at);
	return ret;
}

/* umount2(target, flags); MNT_FORCE behaves as a plain umount. */
/*
 * umount2(MNT_EXPIRE), as umount(2) says: a mount in use is EBUSY; an
 * unused one is marked and EAGAIN the first time, unmounted the second,
 * unless something used it in between (path_put clears the mark).  The
 * caller's root mount: EINVAL.  May sleep.
 */
static long umount_expire(struct task *t, struct vfsmount *mnt)
{
	if (t->fs != NULL && mnt == t->fs->root.mnt)
		return -EINVAL;
	if (mnt == root_mnt || mnt_busy(mnt, mnt_scope(mnt), true))
		return -EBUSY;
	if (!(mnt->mnt_flags & MNT_EXPIRY_MARK)) {
		mnt->mnt_flags |= MNT_EXPIRY_MARK;
		return -EAGAIN;
	}
	return do_umount(mnt);
}

SYSCALL(umount2)
{
	int flags = (int)a[1];
	struct vfsmount *mnt;
	struct path p;
	long ret;

	if (flags & ~(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW))
		return -EINVAL;
	if ((flags & MNT_EXPIRE) && (flags & (MNT_FORCE | MNT_DETACH)))
		return -EINVAL;
	if (t->euid != 0)
		return -EPERM;
	ret = user_path(AT_FDCWD, UADDR(a[0]),
			(flags & UMOUNT_NOFOLLOW) ? 0 : LOOKUP_FOLLOW, &p);
	if (ret < 0)
		return ret;
	mnt = p.mnt;
	ret = p.dentry == mnt->mnt_root ? 0 : -EINVAL;
	dput(p.dentry);		/* not path_put: looking it up is no use of it */
	if (ret < 0)
		return ret;
	if (flags & MNT_EXPIRE)
		return umount_expire(t, mnt);
	if (flags & MNT_DETACH)
		return do_umount_detach(mnt);
	return do_umount(mnt);
}

/* Every task whose root or cwd is old moves to new (Linux's chroot_fs_refs). */
static void fs_refs_move(const struct path *old, const struct path *new)
{
	struct task *t;

	list_for_each_entry(t, &all_tasks, tasks) {
		struct fs_struct *fs = t->fs;

		if (fs == NULL)
			continue;
		if (fs->root.dentry == old->dentry && fs->root.mnt == old->mnt)
			path_replace(&fs->root, new);
		if (fs->pwd.dentry == old->dentry && fs->pwd.mnt == old->mnt)
			path_replace(&fs->pwd, new);
	}
}

/*
 * pivot_root(new_root, put_old): the mount at new_root becomes the root
 * mount and the old root mount hangs at put_old (which is at or under
 * new_root); tasks whose root or cwd was the old root move to the new
 * one.  Linux's checks: EINVAL unless new_root is a mount's root and the
 * caller's root is the root mount's, EBUSY when either is the current
 * root mount, EINVAL when put_old is not under new_root.  May sleep.
 */
static long do_pivot_root(const struct path *nw, const struct path *old)
{
	struct vfsmount *nm = nw->mnt, *rm = root_mnt, *m;
	struct path root, oldroot, newroot;
	long err;

	task_root(&root);
	err = -EINVAL;
	if (root.mnt != rm || root.dentry != rm->mnt_root)
		goto out;		/* chrooted below the root mount */
	if (nw->dentry != nm->mnt_root || (nm->mnt_flags & MNT_DETACHED))
		goto out;
	err = -EBUSY;
	if (nm == rm || old->mnt == rm)
		goto out;
	err = -EINVAL;
	for (m = old->mnt; m != nm; m = m->mnt_parent)
		if (m->mnt_parent == m)
			goto out;	/* put_old is not under new_root */
	if (!d_is_ancestor(nm->mnt_root, old->dentry) && old->mnt == nm)
		goto out;
	if (!S_ISDIR(old->dentry->d_inode->i_mode))
		goto out;
	/* Nothing fails from here. */
	mnt_unhang(nm);
	nm->mnt_mountpoint = dget(nm->mnt_root);
	dput(rm->mnt_mountpoint);		/* the root's own */
	rm->mnt_parent = old->mnt;
	rm->mnt_mountpoint = dget(old->dentry);
	old->dentry->d_mounted++;
	root_mnt = nm;
	list_del(&nm->mnt_list);
	list_add(&nm->mnt_list, &mounts);	/* parents first: the new root leads */
	oldroot = root;
	newroot.mnt = nm;
	newroot.dentry = nm->mnt_root;
	fs_refs_move(&oldroot, &newroot);
	err = 0;
out:
	path_put(&root);
	return err;
}

SYSCALL(pivot_root)
{
	struct path nw, old;
	long err;

	if (t->euid != 0)
		return -EPERM;
	err = user_path(AT_FDCWD, UADDR(a[0]), LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &nw);
	if (err < 0)
		return err;
	err = user_path(AT_FDCWD, UADDR(a[1]), LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &old);
	if (err == 0) {
		err = do_pivot_root(&nw, &old);
		path_put(&old);
	}
	path_put(&nw);
	return err;
}

/*
 * Calls fn(mnt, arg) for each mount, parents before children, until it
 * returns nonzero; returns that value, or 0.  fn must not sleep or
 * change the mount list.
 */
int mounts_for_each(int (*fn)(struct vfsmount *mnt, void *arg), void *arg)
{
	struct vfsmount *m;
	int ret;

	list_for_each_entry(m, &mounts, mnt_list) {
		ret = fn(m, arg);
		if (ret != 0)
			return ret;
	}
	return 0;
}

/*
 * Writes the path of mnt's root inside its filesystem ("/" for a whole
 * mount, "/sub" for a bind of sub) into buf: the offset of the text in
 * buf, or -ENAMETOOLONG.
 */
int mnt_root_path(struct vfsmount *mnt, char *buf, int size)
{
	struct dentry *d = mnt->mnt_root;
	int pos = size - 1;

	buf[pos] = '\0';
	for (; d->d_parent != d; d = d->d_parent) {
		if (pos < d->d_len + 1)
			return -ENAMETOOLONG;
		pos -= d->d_len;
		memcpy(buf + pos, d->d_name, (size_t)d->d_len);
		buf[--pos] = '/';
	}
	if (pos == size - 1)
		buf[--pos] = '/';
	return pos;
}

/*
 * Writes where mnt is mounted, as the calling task sees it, into buf
 * (size bytes): the offset of the NUL-terminated text in buf, as
 * d_path, or -errno.
 */
int mnt_path(struct vfsmount *mnt, char *buf, int size)
{
	struct path p = { mnt, mnt->mnt_root }, root;
	int ret;

	task_root(&root);
	ret = d_path(&p, &root, buf, size);
	path_put(&root);
	return ret;
}
