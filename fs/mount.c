/*
 * mount.c - mounts: the tree of filesystems the path walk sees.
 *
 * One vfsmount per mounted superblock (no bind mounts yet).  A vfsmount
 * holds a reference on its root dentry and on the dentry it covers; the
 * covered dentry points back through d_mounted, and a mount on top of
 * another mount's root stacks the same way.  The root mount is its own
 * parent.  mounts lists them in mounting order, so parents come before
 * their children.
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

/* umount2 flags (<sys/mount.h>, not in the uapi headers). */
#define MNT_FORCE	1
#define MNT_DETACH	2
#define MNT_EXPIRE	4
#define UMOUNT_NOFOLLOW	8

/* Propagation and atime flags we accept and ignore: there is one namespace. */
#define MS_IGNORED	(MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_SYNCHRONOUS | \
			 MS_MANDLOCK | MS_DIRSYNC | MS_NOATIME | MS_NODIRATIME | \
			 MS_SILENT | MS_POSIXACL | MS_RELATIME | MS_STRICTATIME | \
			 MS_LAZYTIME | MS_I_VERSION | MS_NOSYMFOLLOW)
#define MS_PROPAGATION	(MS_UNBINDABLE | MS_PRIVATE | MS_SLAVE | MS_SHARED)
#define MS_KNOWN	(MS_RDONLY | MS_REMOUNT | MS_BIND | MS_MOVE | MS_REC | \
			 MS_IGNORED | MS_PROPAGATION)

struct vfsmount *root_mnt;
static LIST_HEAD(mounts);
static unsigned anon_minor = 1;

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

/* Returns a mount of sb with a fresh root dentry, not attached, or NULL. */
struct vfsmount *mnt_alloc(struct super_block *sb, const char *devname)
{
	struct vfsmount *mnt = kzalloc(sizeof(*mnt));

	if (mnt == NULL)
		return NULL;
	mnt->mnt_devname = kstrdup(devname ? devname : "none");
	if (mnt->mnt_devname == NULL)
		goto out_free;
	ihold(sb->s_root);
	mnt->mnt_root = d_alloc_root(sb->s_root);
	if (mnt->mnt_root == NULL) {
		iput(sb->s_root);
		goto out_name;
	}
	mnt->mnt_sb = sb;
	mnt->mnt_parent = mnt;
	INIT_LIST_HEAD(&mnt->mnt_list);
	return mnt;
out_name:
	kfree(mnt->mnt_devname);
out_free:
	kfree(mnt);
	return NULL;
}

static bool bdev_in_use(struct block_device *bdev)
{
	struct vfsmount *m;

	list_for_each_entry(m, &mounts, mnt_list)
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
	if (bdev)
		bdev->openers++;
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
	}
	sb_unregister(sb);
	sb_free(sb);
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
	kfree(mnt->mnt_devname);
	kfree(mnt);
	sb_kill(sb);
}

/* Hangs mnt over the directory at p (or makes it the root when p is NULL). */
static void mnt_attach(struct vfsmount *mnt, const struct path *p, unsigned long flags)
{
	if (flags & MS_RDONLY)
		mnt->mnt_flags |= MNT_RDONLY;
	if (p == NULL) {
		mnt->mnt_parent = mnt;
		mnt->mnt_mountpoint = dget(mnt->mnt_root);
	} else {
		mnt->mnt_parent = p->mnt;
		mnt->mnt_mountpoint = dget(p->dentry);
		p->dentry->d_mounted = mnt;
	}
	list_add_tail(&mnt->mnt_list, &mounts);
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
		if (bdev_in_use(bdev))
			return -EBUSY;
		if (bdev->read_only && !(flags & MS_RDONLY))
			flags |= MS_RDONLY;
	}
	sb = sb_read(t, bdev, flags & MS_RDONLY, data, flags & MS_SILENT);
	if (IS_ERR(sb))
		return (int)PTR_ERR(sb);
	mnt = mnt_alloc(sb, dev);
	if (mnt == NULL) {
		sb_kill(sb);
		return -ENOMEM;
	}
	if (at->dentry->d_mounted != NULL) {	/* mounted while we slept */
		d_prune_tree(mnt->mnt_root);
		kfree(mnt->mnt_devname);
		kfree(mnt);
		sb_kill(sb);
		return -EBUSY;
	}
	mnt_attach(mnt, at, flags);
	return 0;
}

static int do_remount(const struct path *p, unsigned long flags)
{
	struct vfsmount *mnt = p->mnt;
	struct super_block *sb = mnt->mnt_sb;

	if (p->dentry != mnt->mnt_root)
		return -EINVAL;
	if (!(flags & MS_RDONLY) && sb->s_bdev != NULL && sb->s_bdev->read_only)
		return -EACCES;
	if (flags & MS_RDONLY) {
		sync_sb(sb);
		sb->s_rdonly = true;
		mnt->mnt_flags |= MNT_RDONLY;
	} else {
		sb->s_rdonly = false;
		mnt->mnt_flags &= ~MNT_RDONLY;
	}
	return 0;
}

/* The mount logic shared by sys_mount and vfs_mount.  May sleep. */
static int do_mount(const char *dev, const struct path *at, const char *type,
		    unsigned long flags, const char *data)
{
	if ((flags & MS_MGC_MSK) == MS_MGC_VAL)
		flags &= ~(unsigned long)MS_MGC_MSK;
	if (flags & ~(unsigned long)MS_KNOWN)
		return -EINVAL;
	if (flags & MS_REMOUNT)
		return do_remount(at, flags);
	if (flags & (MS_BIND | MS_MOVE))
		return -EINVAL;		/* not supported yet */
	if (flags & MS_PROPAGATION)
		return 0;		/* one namespace: nothing propagates */
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
 * try every device type), and makes it the root and cwd of the calling
 * task.  Returns 0 or -errno.  May sleep.
 */
int mount_root(const char *dev, const char *type, bool ro)
{
	struct block_device *bdev = blkdev_by_name(dev);
	struct super_block *sb;
	struct vfsmount *mnt;
	struct path p;

	if (bdev == NULL)
		return -ENXIO;
	if (root_mnt != NULL)
		return -EBUSY;
	sb = sb_read_any(type, bdev, ro || bdev->read_only, NULL);
	if (IS_ERR(sb))
		return (int)PTR_ERR(sb);
	mnt = mnt_alloc(sb, dev);
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
	printk("VFS: mounted root from %s%s\n", bdev->name, sb->s_rdonly ? " read-only" : "");
	return 0;
}

static bool mnt_has_children(struct vfsmount *mnt)
{
	struct vfsmount *m;

	list_for_each_entry(m, &mounts, mnt_list)
		if (m != mnt && m->mnt_parent == mnt)
			return true;
	return false;
}

/* Calls fn on every mount, parents first.  fn must not sleep. */
void for_each_mount(void (*fn)(struct vfsmount *mnt, void *arg), void *arg)
{
	struct vfsmount *m;

	list_for_each_entry(m, &mounts, mnt_list)
		fn(m, arg);
}

/* Unmounts mnt if nothing uses it: 0, or -EBUSY.  May sleep. */
static int do_umount(struct vfsmount *mnt)
{
	struct super_block *sb = mnt->mnt_sb;
	struct dentry *mp = mnt->mnt_mountpoint;
	int ret;

	if (mnt == root_mnt || mnt_has_children(mnt))
		return -EBUSY;
	if (d_tree_busy(mnt->mnt_root, 1))
		return -EBUSY;
	ret = sync_sb(sb);
	if (ret < 0)
		return ret;
	if (d_tree_busy(mnt->mnt_root, 1))	/* someone came in while we slept */
		return -EBUSY;
	list_del(&mnt->mnt_list);
	mp->d_mounted = NULL;
	d_prune_tree(mnt->mnt_root);
	sb_kill(sb);
	kfree(mnt->mnt_devname);
	kfree(mnt);
	dput(mp);
	return 0;
}

/*
 * Shutdown: syncs every filesystem and unmounts it, children before
 * parents.  Once the processes are gone nothing should use a tree: it is
 * freed with its superblock (dentries, inodes, page cache), so that the
 * halt leak check sees what was not released.  A tree still in use is
 * only synced and put_super'd, and its memory stays (the leak check then
 * reports it).  Returns 0 or the first error.  May sleep.
 */
int umount_all(void)
{
	int ret = 0;

	while (!list_empty(&mounts)) {
		struct vfsmount *mnt = list_entry(mounts.prev, struct vfsmount, mnt_list);
		struct super_block *sb = mnt->mnt_sb;
		struct dentry *mp = mnt->mnt_mountpoint;
		int err;

		list_del(&mnt->mnt_list);
		err = sync_sb(sb);
		if (err < 0 && ret == 0)
			ret = err;
		/* The mount's reference, and the root's own mountpoint one. */
		if (!d_tree_busy(mnt->mnt_root, mnt == root_mnt ? 2 : 1)) {
			if (mnt == root_mnt)
				root_mnt = NULL;
			else
				mp->d_mounted = NULL;
			dput(mp);
			d_prune_tree(mnt->mnt_root);
			sb_kill(sb);
			kfree(mnt->mnt_devname);
			kfree(mnt);
			continue;
		}
		if (sb->s_op != NULL && sb->s_op->put_super != NULL)
			sb->s_op->put_super(sb);
		if (sb->s_bdev != NULL) {
			err = sync_blockdev(sb->s_bdev);
			if (err < 0 && ret == 0)
				ret = err;
		}
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

/* umount2(target, flags); MNT_DETACH and MNT_FORCE behave as a plain umount. */
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
	path_put(&p);
	if (ret < 0)
		return ret;
	if (flags & MNT_EXPIRE)
		return -EAGAIN;
	return do_umount(mnt);
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
