/*
 * nameops.c - operations on directory entries: mkdir, mknod, symlink,
 * link, unlink, rmdir, rename, readlink.
 *
 * Each walks to the parent directory (path_parent), checks the last
 * component, the mount's writability and the directory's permissions,
 * calls the filesystem's inode operation and then brings the dcache in
 * line: new names are cached, removed ones d_delete()d, renamed ones
 * d_move()d.  The kern_* entries take kernel strings; the syscalls copy
 * the guest's names and apply the umask.
 */
#include "kernel/kernel.h"
#include "kernel/fs.h"
#include "kernel/mm.h"
#include "kernel/page.h"
#include "kernel/sched.h"
#include "kernel/syscalls.h"
#include "kernel/xattr.h"
#include "uapi/linux/capability.h"
#include "internal.h"
#include "kernel/fsnotify.h"


static umode_t cur_umask(void)
{
	return (current && current->fs) ? current->fs->umask : 022;
}

/* Decodes stat(2)'s device encoding (glibc gnu_dev_major/minor). */
static dev_t dev_from_user(u64 d)
{
	u64 ma = ((d >> 8) & 0xfff) | ((d >> 32) & ~0xfffULL);
	u64 mi = (d & 0xff) | ((d >> 12) & ~0xffULL);

	return MKDEV((unsigned)ma, (unsigned)(mi & ((1U << MINORBITS) - 1)));
}

/*
 * Walks name for creating its last component: on 0, nd->path is the
 * parent, writable, and the name is free.  -EEXIST if it exists,
 * -ENOENT for a trailing slash on a non-directory.  May sleep.
 */
static int create_prepare(struct nameidata *nd, int dfd, const char *name, bool is_dir)
{
	struct dentry *d;
	int err;

	err = path_parent(nd, dfd, name);
	if (err < 0)
		return err;
	if (d_dead(nd->path.dentry))
		return -ENOENT;		/* the directory was removed */
	if (nd->last_type != LAST_NORM)
		return -EEXIST;
	d = lookup_child(nd->path.dentry, nd->last, nd->last_len);
	if (!IS_ERR(d)) {
		dput(d);
		return -EEXIST;
	}
	if (PTR_ERR(d) != -ENOENT)
		return (int)PTR_ERR(d);
	if (nd->trailing_slash && !is_dir)
		return -ENOENT;
	err = mnt_want_write(&nd->path);
	if (err < 0)
		return err;
	return inode_permission(nd->path.dentry->d_inode, MAY_WRITE | MAY_EXEC);
}

/* Caches a newly created inode under nd's last name. */
static int create_finish(struct nameidata *nd, struct inode *inode)
{
	struct dentry *d;

	if (IS_ERR(inode))
		return (int)PTR_ERR(inode);
	fsnotify_create(nd->path.dentry->d_inode, nd->last, nd->last_len, inode);
	d = d_add_child(nd->path.dentry, nd->last, nd->last_len, inode);
	if (d == NULL || IS_ERR(d))
		return 0;	/* created; only the cache entry is missing */
	dput(d);
	return 0;
}

/*
 * The new inode's mode and inherited ACLs: umask applies unless dir has
 * a default ACL (fs/posix_acl.c).
 */
static struct inode *create_inode(struct inode *dir, struct nameidata *nd, umode_t mode,
				  umode_t umask, dev_t dev)
{
	struct posix_acl *acl, *dacl;
	struct inode *inode;
	int err = posix_acl_prepare(dir, &mode, umask, &acl, &dacl);

	if (err < 0)
		return ERR_PTR(err);
	if (S_ISDIR(mode))
		inode = dir->i_op->mkdir(dir, nd->last, nd->last_len, mode);
	else if (S_ISREG(mode) && dir->i_op->create != NULL)
		inode = dir->i_op->create(dir, nd->last, nd->last_len, mode);
	else
		inode = dir->i_op->mknod(dir, nd->last, nd->last_len, mode, dev);
	posix_acl_inherit(inode, acl, dacl);
	if (!IS_ERR(inode))
		inode_new_nosec(inode);
	return inode;
}

static long do_mkdirat(int dfd, const char *name, umode_t mode, umode_t umask)
{
	struct nameidata nd;
	struct inode *dir;
	int err;

	err = create_prepare(&nd, dfd, name, true);
	if (err < 0)
		goto out;
	dir = nd.path.dentry->d_inode;
	err = -EPERM;
	if (dir->i_op == NULL || dir->i_op->mkdir == NULL)
		goto out;
	err = create_finish(&nd, create_inode(dir, &nd, (mode & 07777) | S_IFDIR, umask, 0));
out:
	nd_release(&nd);
	return err;
}

/* Makes directory name with mode (umask already applied): 0 or -errno. May sleep. */
long kern_mkdirat(int dfd, const char *name, umode_t mode)
{
	return do_mkdirat(dfd, name, mode, 0);
}

static long mknod_check(umode_t mode)
{
	switch (mode & S_IFMT) {
	case 0:
	case S_IFREG:
	case S_IFIFO:
	case S_IFSOCK:
		return 0;
	case S_IFCHR:
	case S_IFBLK:
		return (current && current->euid != 0) ? -EPERM : 0;
	case S_IFDIR:
		return -EPERM;
	default:
		return -EINVAL;
	}
}

static long do_mknodat(int dfd, const char *name, umode_t mode, dev_t dev, umode_t umask)
{
	struct nameidata nd;
	struct inode *dir;
	int err;

	err = (int)mknod_check(mode);
	if (err < 0)
		return err;
	if ((mode & S_IFMT) == 0)
		mode |= S_IFREG;
	err = create_prepare(&nd, dfd, name, false);
	if (err < 0)
		goto out;
	dir = nd.path.dentry->d_inode;
	err = -EPERM;
	if (dir->i_op == NULL ||
	    ((!S_ISREG(mode) || dir->i_op->create == NULL) && dir->i_op->mknod == NULL))
		goto out;
	err = create_finish(&nd, create_inode(dir, &nd, mode, umask, dev));
out:
	nd_release(&nd);
	return err;
}

/* Makes a node (regular, fifo, socket, device) with mode as given. May sleep. */
long kern_mknodat(int dfd, const char *name, umode_t mode, dev_t dev)
{
	return do_mknodat(dfd, name, mode, dev, 0);
}

static long do_symlinkat(const char *target, int dfd, const char *name)
{
	struct nameidata nd;
	struct inode *dir;
	int err;

	err = create_prepare(&nd, dfd, name, false);
	if (err < 0)
		goto out;
	dir = nd.path.dentry->d_inode;
	err = -EPERM;
	if (dir->i_op == NULL || dir->i_op->symlink == NULL)
		goto out;
	err = create_finish(&nd, dir->i_op->symlink(dir, nd.last, nd.last_len, target));
out:
	nd_release(&nd);
	return err;
}

/*
 * linkat(fd, "", AT_EMPTY_PATH) (Linux's LOOKUP_LINKAT_EMPTY): with
 * CAP_DAC_READ_SEARCH, or on a file opened with the caller's own
 * credentials (Linux compares the cred itself; here the euid and egid),
 * so that a descriptor passed to another user cannot be given a name by
 * it.  0, -EBADF or -ENOENT.
 */
static int linkat_empty_allowed(int fd)
{
	struct file *f = fd_get_file(fd);
	int err = 0;

	if (f == NULL)
		return -EBADF;
	if (current && !(current->cap_effective & (1ULL << CAP_DAC_READ_SEARCH)) &&
	    (f->f_uid != current->euid || f->f_gid != current->egid))
		err = -ENOENT;
	fput(f);
	return err;
}

static long do_linkat(int odfd, const char *oname, int ndfd, const char *nname, int flags)
{
	struct nameidata nd;
	struct path old;
	struct inode *dir, *inode;
	unsigned lf = 0;
	int err;

	if (flags & AT_SYMLINK_FOLLOW)
		lf |= LOOKUP_FOLLOW;
	if (flags & AT_EMPTY_PATH)
		lf |= LOOKUP_EMPTY;
	if ((flags & AT_EMPTY_PATH) && oname[0] == '\0' && odfd != AT_FDCWD) {
		err = linkat_empty_allowed(odfd);
		if (err)
			return err;
	}
	err = kern_path(odfd, oname, lf, &old);
	if (err < 0)
		return err;
	inode = old.dentry->d_inode;
	err = create_prepare(&nd, ndfd, nname, false);
	if (err < 0)
		goto out;
	dir = nd.path.dentry->d_inode;
	err = -EXDEV;
	if (nd.path.mnt != old.mnt)
		goto out;
	err = -EPERM;
	if (S_ISDIR(inode->i_mode) || dir->i_op == NULL || dir->i_op->link == NULL)
		goto out;
	err = -ENOENT;		/* unlinked, or O_TMPFILE with O_EXCL */
	if (inode->i_nlink == 0 && !inode->i_linkable)
		goto out;
	err = dir->i_op->link(inode, dir, nd.last, nd.last_len);
	if (err < 0)
		goto out;
	inode->i_linkable = false;
	ihold(inode);
	fsnotify_inode(inode, IN_ATTRIB);	/* its link count, then the new name */
	err = create_finish(&nd, inode);
out:
	nd_release(&nd);
	path_put(&old);
	return err;
}

/* Sticky directories: only the owner of the file or of dir may remove. */
static int may_delete(struct inode *dir, struct inode *victim)
{
	uid_t uid = current ? current->euid : 0;
	int err = inode_permission(dir, MAY_WRITE | MAY_EXEC);

	if (err < 0)
		return err;
	if ((dir->i_mode & S_ISVTX) && uid != 0 && uid != dir->i_uid && uid != victim->i_uid)
		return -EPERM;
	return 0;
}

/* Finds the victim of unlink/rmdir: nd is walked, *out a reference. */
static int remove_prepare(struct nameidata *nd, int dfd, const char *name, bool dir,
			  struct dentry **out)
{
	struct dentry *d;
	int err;

	err = path_parent(nd, dfd, name);
	if (err < 0)
		return err;
	if (nd->last_type != LAST_NORM) {
		if (!dir)
			return -EISDIR;
		return nd->last_type == LAST_DOT ? -EINVAL :
		       nd->last_type == LAST_DOTDOT ? -ENOTEMPTY : -EBUSY;
	}
	d = lookup_child(nd->path.dentry, nd->last, nd->last_len);
	if (IS_ERR(d))
		return (int)PTR_ERR(d);
	*out = d;
	if (dir && !S_ISDIR(d->d_inode->i_mode))
		return -ENOTDIR;
	if (!dir && S_ISDIR(d->d_inode->i_mode))
		return -EISDIR;
	if (!dir && nd->trailing_slash)
		return -ENOTDIR;
	if (d->d_mounted)
		return -EBUSY;
	err = mnt_want_write(&nd->path);
	if (err < 0)
		return err;
	return may_delete(nd->path.dentry->d_inode, d->d_inode);
}

static long do_unlinkat(int dfd, const char *name, bool dir)
{
	struct nameidata nd;
	struct dentry *d = NULL;
	struct inode *di;
	int err;

	err = remove_prepare(&nd, dfd, name, dir, &d);
	if (err < 0)
		goto out;
	di = nd.path.dentry->d_inode;
	err = -EPERM;
	if (di->i_op == NULL || (dir ? di->i_op->rmdir : di->i_op->unlink) == NULL)
		goto out;
	if (dir)
		err = di->i_op->rmdir(di, nd.last, nd.last_len, d->d_inode);
	else
		err = di->i_op->unlink(di, nd.last, nd.last_len, d->d_inode);
	if (err == 0) {
		fsnotify_delete(di, nd.last, nd.last_len, d->d_inode);
		d_delete(d);
	}
out:
	if (d != NULL)
		dput(d);
	nd_release(&nd);
	return err;
}

/* unlink(2) for kernel code (a hot-unplugged disk's /dev node). May sleep. */
long kern_unlink(const char *path)
{
	return do_unlinkat(AT_FDCWD, path, false);
}

/* RENAME_EXCHANGE: neither may be mounted on nor hold the other's parent. */
static int exchange_check(struct dentry *od, struct dentry *nd_, struct dentry *odir,
			  struct dentry *ndir)
{
	if (od->d_mounted || nd_->d_mounted)
		return -EBUSY;
	if (S_ISDIR(od->d_inode->i_mode) && d_is_ancestor(od, ndir))
		return -EINVAL;
	if (S_ISDIR(nd_->d_inode->i_mode) && d_is_ancestor(nd_, odir))
		return -EINVAL;
	return 0;
}

static int rename_check_types(struct dentry *od, struct dentry *nd_, struct dentry *ndir,
			      unsigned flags)
{
	bool isdir = S_ISDIR(od->d_inode->i_mode);

	if (od->d_mounted)
		return -EBUSY;
	if (isdir && d_is_ancestor(od, ndir))
		return -EINVAL;		/* into its own subtree */
	if (nd_ == NULL)
		return 0;
	if (flags & RENAME_NOREPLACE)
		return -EEXIST;
	if (nd_->d_mounted)
		return -EBUSY;
	if (nd_->d_inode == od->d_inode)
		return 0;	/* one inode (or one name): nothing to do */
	if (d_is_ancestor(nd_, od))
		return -ENOTEMPTY;	/* the target contains the source */
	if (isdir && !S_ISDIR(nd_->d_inode->i_mode))
		return -ENOTDIR;
	if (!isdir && S_ISDIR(nd_->d_inode->i_mode))
		return -EISDIR;
	return 0;
}

/* Looks up source and (maybe missing) target of a rename, and checks them. */
static int rename_lookup(struct nameidata *o, struct nameidata *n, unsigned flags,
			 struct dentry **od, struct dentry **nd_)
{
	struct dentry *d;
	int err;

	if (o->last_type != LAST_NORM || n->last_type != LAST_NORM)
		return (flags & RENAME_NOREPLACE) && n->last_type != LAST_NORM ? -EEXIST : -EBUSY;
	d = lookup_child(o->path.dentry, o->last, o->last_len);
	if (IS_ERR(d))
		return (int)PTR_ERR(d);
	*od = d;
	d = lookup_child(n->path.dentry, n->last, n->last_len);
	if (IS_ERR(d) && (PTR_ERR(d) != -ENOENT || (flags & RENAME_EXCHANGE)))
		return (int)PTR_ERR(d);
	if (!IS_ERR(d))
		*nd_ = d;
	if (d_dead(n->path.dentry))
		return -ENOENT;
	if (o->path.mnt != n->path.mnt)
		return -EXDEV;
	if (flags & RENAME_EXCHANGE) {
		if ((o->trailing_slash && !S_ISDIR((*od)->d_inode->i_mode)) ||
		    (n->trailing_slash && !S_ISDIR((*nd_)->d_inode->i_mode)))
			return -ENOTDIR;
	} else if ((o->trailing_slash || n->trailing_slash) &&
		   !S_ISDIR((*od)->d_inode->i_mode)) {
		return -ENOTDIR;
	}
	err = mnt_want_write(&o->path);
	if (err == 0)
		err = may_delete(o->path.dentry->d_inode, (*od)->d_inode);
	if (err == 0 && *nd_ != NULL)
		err = may_delete(n->path.dentry->d_inode, (*nd_)->d_inode);
	if (err == 0 && *nd_ == NULL)
		err = inode_permission(n->path.dentry->d_inode, MAY_WRITE | MAY_EXEC);
	if (err == 0 && (flags & RENAME_EXCHANGE))
		return exchange_check(*od, *nd_, o->path.dentry, n->path.dentry);
	if (err == 0)
		err = rename_check_types(*od, *nd_, n->path.dentry, flags);
	return err;
}

static long do_renameat2(int odfd, const char *oname, int ndfd, const char *nname,
			 unsigned flags)
{
	struct nameidata o, n;
	struct dentry *od = NULL, *nd_ = NULL;
	struct inode *odir;
	int err;

	if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT))
		return -EINVAL;
	if ((flags & RENAME_EXCHANGE) && (flags & (RENAME_NOREPLACE | RENAME_WHITEOUT)))
		return -EINVAL;
	if ((flags & RENAME_WHITEOUT) && current->euid != 0)
		return -EPERM;		/* CAP_MKNOD */
	nd_init(&n, 0);
	err = path_parent(&o, odfd, oname);
	if (err == 0)
		err = path_parent(&n, ndfd, nname);
	if (err == 0)
		err = rename_lookup(&o, &n, flags, &od, &nd_);
	if (err < 0 || (nd_ != NULL && nd_->d_inode == od->d_inode))
		goto out;	/* two names of one inode: nothing to do */
	odir = o.path.dentry->d_inode;
	err = -EPERM;
	if (odir->i_op == NULL || odir->i_op->rename == NULL)
		goto out;
	err = odir->i_op->rename(odir, o.last, o.last_len, n.path.dentry->d_inode,
				 n.last, n.last_len, flags & (RENAME_EXCHANGE | RENAME_WHITEOUT));
	if (err < 0)
		goto out;
	fsnotify_move(odir, o.last, o.last_len, n.path.dentry->d_inode, n.last, n.last_len,
		      od->d_inode, nd_ && !(flags & RENAME_EXCHANGE) ? nd_->d_inode : NULL);
	if (flags & RENAME_EXCHANGE)
		d_move(nd_, o.path.dentry, o.last, o.last_len);	/* then od leaves */
	else if (nd_ != NULL)
		d_delete(nd_);
	d_move(od, n.path.dentry, n.last, n.last_len);
out:
	if (nd_ != NULL)
		dput(nd_);
	if (od != NULL)
		dput(od);
	nd_release(&n);
	nd_release(&o);
	return err;
}

static long do_readlinkat(int dfd, const char *name, uaddr_t ubuf, int size)
{
	struct inode *inode;
	struct path p;
	char *buf;
	long err;

	if (size <= 0)
		return -EINVAL;
	err = kern_path(dfd, name, LOOKUP_EMPTY, &p);
	if (err < 0)
		return err;
	inode = p.dentry->d_inode;
	/* Linux: an empty name (the descriptor itself) that is no symlink
	 * is ENOENT, a named non-symlink EINVAL. */
	err = name[0] == 0 ? -ENOENT : -EINVAL;
	if (!S_ISLNK(inode->i_mode) || inode->i_op == NULL || inode->i_op->readlink == NULL)
		goto out;
	err = -ENOMEM;
	buf = kmalloc(PATH_MAX);
	if (buf == NULL)
		goto out;
	err = inode->i_op->readlink(inode, buf, min(size, PATH_MAX));
	if (err > 0 && copy_to_user(ubuf, buf, (size_t)err) < 0)
		err = -EFAULT;
	kfree(buf);
out:
	path_put(&p);
	return err;
}

/* Runs fn on the guest name at a[idx]. */
#define WITH_NAME(var, uaddr, empty, call) ({				\
	char *var = getname((uaddr), (empty));				\
	long __r = IS_ERR(var) ? PTR_ERR(var) : (call);			\
	if (!IS_ERR(var))						\
		putname(var);						\
	__r; })

/* mkdir keeps the permission and sticky bits only (Linux's vfs_mkdir);
 * setgid comes from the parent. */
#define MKDIR_MODE	(0777 | S_ISVTX)

SYSCALL(mkdirat)
{
	umode_t mode = (umode_t)a[2] & MKDIR_MODE;

	return WITH_NAME(name, UADDR(a[1]), false,
			 do_mkdirat((int)a[0], name, mode, cur_umask()));
}

SYSCALL(mkdir)
{
	umode_t mode = (umode_t)a[1] & MKDIR_MODE;

	return WITH_NAME(name, UADDR(a[0]), false, do_mkdirat(AT_FDCWD, name, mode, cur_umask()));
}

static long sys_mknod_common(int dfd, uaddr_t uname, umode_t mode, u64 dev)
{
	mode = (mode & S_IFMT) | (mode & 07777);
	return WITH_NAME(name, uname, false,
			 do_mknodat(dfd, name, mode, dev_from_user(dev), cur_umask()));
}

SYSCALL(mknodat)
{
	return sys_mknod_common((int)a[0], UADDR(a[1]), (umode_t)a[2], (u64)a[3]);
}

SYSCALL(mknod)
{
	return sys_mknod_common(AT_FDCWD, UADDR(a[0]), (umode_t)a[1], (u64)a[2]);
}

static long sys_unlink_common(int dfd, uaddr_t uname, int flags)
{
	if (flags & ~AT_REMOVEDIR)
		return -EINVAL;
	return WITH_NAME(name, uname, false, do_unlinkat(dfd, name, flags & AT_REMOVEDIR));
}

SYSCALL(unlinkat)
{
	return sys_unlink_common((int)a[0], UADDR(a[1]), (int)a[2]);
}

SYSCALL(unlink)
{
	return sys_unlink_common(AT_FDCWD, UADDR(a[0]), 0);
}

SYSCALL(rmdir)
{
	return sys_unlink_common(AT_FDCWD, UADDR(a[0]), AT_REMOVEDIR);
}

static long sys_symlink_common(uaddr_t utarget, int dfd, uaddr_t uname)
{
	char *target = getname(utarget, false);
	long ret;

	if (IS_ERR(target))
		return PTR_ERR(target);
	ret = WITH_NAME(name, uname, false, do_symlinkat(target, dfd, name));
	putname(target);
	return ret;
}

SYSCALL(symlinkat)
{
	return sys_symlink_common(UADDR(a[0]), (int)a[1], UADDR(a[2]));
}

SYSCALL(symlink)
{
	return sys_symlink_common(UADDR(a[0]), AT_FDCWD, UADDR(a[1]));
}

static long sys_link_common(int odfd, uaddr_t uold, int ndfd, uaddr_t unew, int flags)
{
	char *old;
	long ret;

	if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	old = getname(uold, flags & AT_EMPTY_PATH);
	if (IS_ERR(old))
		return PTR_ERR(old);
	ret = WITH_NAME(name, unew, false, do_linkat(odfd, old, ndfd, name, flags));
	putname(old);
	return ret;
}

SYSCALL(linkat)
{
	return sys_link_common((int)a[0], UADDR(a[1]), (int)a[2], UADDR(a[3]), (int)a[4]);
}

SYSCALL(link)
{
	return sys_link_common(AT_FDCWD, UADDR(a[0]), AT_FDCWD, UADDR(a[1]), 0);
}

static long sys_rename_common(int odfd, uaddr_t uold, int ndfd, uaddr_t unew, unsigned flags)
{
	char *old = getname(uold, false);
	long ret;

	if (IS_ERR(old))
		return PTR_ERR(old);
	ret = WITH_NAME(name, unew, false, do_renameat2(odfd, old, ndfd, name, flags));
	putname(old);
	return ret;
}

SYSCALL(renameat2)
{
	return sys_rename_common((int)a[0], UADDR(a[1]), (int)a[2], UADDR(a[3]),
				 (unsigned)a[4]);
}

SYSCALL(renameat)
{
	return sys_rename_common((int)a[0], UADDR(a[1]), (int)a[2], UADDR(a[3]), 0);
}

SYSCALL(rename)
{
	return sys_rename_common(AT_FDCWD, UADDR(a[0]), AT_FDCWD, UADDR(a[1]), 0);
}

SYSCALL(readlinkat)
{
	return WITH_NAME(name, UADDR(a[1]), true,
			 do_readlinkat((int)a[0], name, UADDR(a[2]), (int)a[3]));
}

SYSCALL(readlink)
{
	return WITH_NAME(name, UADDR(a[0]), false,
			 do_readlinkat(AT_FDCWD, name, UADDR(a[1]), (int)a[2]));
}
