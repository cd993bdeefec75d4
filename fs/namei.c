/*
 * namei.c - the path walk: from a name to a (mount, dentry) pair.
 *
 * A walk starts at the task's root ("/..."), its cwd or a directory fd,
 * and takes one component at a time: "." stays, ".." goes to the parent
 * but never above the task's root and crosses from a mount's root to the
 * dentry it covers; other names are looked up in the dcache, else asked
 * of the filesystem, and then cross into whatever is mounted there.  A
 * symlink met on the way is expanded in place: its target, a "/" and the
 * rest of the path become the new path text (nd->buf), at most
 * MAX_SYMLINKS times.  link_path_walk stops before the last component so
 * that create/unlink/rename can act on it; walk_last finishes a lookup.
 */
#include "kernel/kernel.h"
#include "kernel/groups.h"
#include "kernel/fs.h"
#include "kernel/mm.h"
#include "kernel/page.h"
#include "kernel/sched.h"
#include "kernel/xattr.h"
#include "internal.h"

/*
 * Checks mask (MAY_READ | MAY_WRITE | MAY_EXEC) against the mode bits
 * for current's effective ids, and the access ACL for the group class:
 * 0 or -EACCES.  uid 0 passes, except that executing a non-directory
 * needs some x bit.  May sleep (an ACL read from disk).
 */
int inode_permission(struct inode *inode, int mask)
{
	uid_t uid = current ? current->euid : 0;
	gid_t gid = current ? current->egid : 0;
	umode_t mode = inode->i_mode;

	if (uid == 0) {
		if ((mask & MAY_EXEC) && !S_ISDIR(mode) && !(mode & 0111))
			return -EACCES;
		return 0;
	}
	if (uid == inode->i_uid)
		return ((int)(mode >> 6) & mask & 7) == mask ? 0 : -EACCES;
	if (mode & 070) {	/* acl(5): the group class decides through the ACL */
		int err = posix_acl_permission(inode, mask);

		if (err != -EAGAIN)
			return err;
	}
	if (gid == inode->i_gid || in_group_p(inode->i_gid))
		mode >>= 3;
	return ((int)mode & mask & 7) == mask ? 0 : -EACCES;
}

/* Returns the task's root (the global root for tasks without one) as a new reference. */
void task_root(struct path *out)
{
	if (current != NULL && current->fs != NULL && current->fs->root.dentry != NULL) {
		*out = current->fs->root;
	} else {
		out->mnt = root_mnt;
		out->dentry = root_mnt ? root_mnt->mnt_root : NULL;
	}
	path_get(out);
}

static void task_pwd(struct path *out)
{
	if (current != NULL && current->fs != NULL && current->fs->pwd.dentry != NULL) {
		*out = current->fs->pwd;
		path_get(out);
	} else {
		task_root(out);
	}
}

/* Prepares an empty walk. */
void nd_init(struct nameidata *nd, unsigned flags)
{
	memset(nd, 0, sizeof(*nd));
	nd->flags = flags;
}

/* Drops everything the walk holds.  May sleep. */
void nd_release(struct nameidata *nd)
{
	if (nd->path.dentry != NULL)
		path_put(&nd->path);
	if (nd->root.dentry != NULL)
		path_put(&nd->root);
	kfree(nd->buf);
	nd->path.dentry = NULL;
	nd->root.dentry = NULL;
	nd->buf = NULL;
}

/*
 * Sets the walk's root and starting point for name relative to dfd:
 * 0, -EBADF for a bad dfd, -ENOTDIR if a non-empty relative name starts
 * at a file that is not a directory, -ENOENT with no root mounted.
 * A scoped walk (RESOLVE_BENEATH, RESOLVE_IN_ROOT) takes its start as
 * its root; BENEATH refuses an absolute name (-EXDEV).
 */
int nd_start(struct nameidata *nd, int dfd, const char *name)
{
	struct file *f;

	if (name[0] == '/' && (nd->flags & LOOKUP_BENEATH))
		return -EXDEV;
	task_root(&nd->root);
	if (nd->root.dentry == NULL)
		return -ENOENT;
	if (name[0] == '/' && !(nd->flags & LOOKUP_IN_ROOT)) {
		nd->path = nd->root;
		path_get(&nd->path);
		return 0;
	}
	if (dfd == AT_FDCWD) {
		task_pwd(&nd->path);
	} else {
		f = fd_get_file(dfd);
		if (f == NULL)
			return -EBADF;
		nd->path = f->f_path;
		path_get(&nd->path);
		fput(f);
		if (name[0] != '\0' && (nd->path.dentry->d_inode == NULL ||
					!S_ISDIR(nd->path.dentry->d_inode->i_mode)))
			return -ENOTDIR;
	}
	if (nd->flags & LOOKUP_IS_SCOPED) {
		path_put(&nd->root);
		nd->root = nd->path;
		path_get(&nd->root);
	}
	return 0;
}

/* Whether p is root or below it (through dentry parents and mounts). */
static bool path_beneath(const struct path *p, const struct path *root)
{
	struct vfsmount *mnt = p->mnt;
	struct dentry *d = p->dentry;

	for (;;) {
		if (mnt == root->mnt && d_is_ancestor(root->dentry, d))
			return true;
		if (mnt->mnt_parent == mnt)
			return false;
		d = mnt->mnt_mountpoint;
		mnt = mnt->mnt_parent;
	}
}

/* "/" met in the path text (an absolute symlink): back to the walk's root. */
static int nd_jump_root(struct nameidata *nd)
{
	if (nd->flags & LOOKUP_BENEATH)
		return -EXDEV;
	if ((nd->flags & LOOKUP_NO_XDEV) && nd->path.mnt != nd->root.mnt)
		return -EXDEV;
	path_put(&nd->path);
	nd->path = nd->root;
	path_get(&nd->path);
	return 0;
}

/* Whether d is a magic link: one that names an object, not a path (procfs). */
bool d_is_magic_link(const struct dentry *d)
{
	const struct inode *inode = d->d_inode;

	return inode != NULL && S_ISLNK(inode->i_mode) && inode->i_op != NULL &&
	       inode->i_op->get_link != NULL;
}

/*
 * Follows the magic link link: nd->path becomes its object.  -ELOOP
 * when RESOLVE_NO_MAGICLINKS/NO_SYMLINKS or past MAX_SYMLINKS, -EXDEV
 * in a scoped walk or across a mount with RESOLVE_NO_XDEV (Linux's
 * nd_jump_link).  May sleep.
 */
int nd_jump_link(struct nameidata *nd, struct dentry *link)
{
	struct inode *inode = link->d_inode;
	struct path target;
	int err;

	if (nd->flags & (LOOKUP_NO_MAGICLINKS | LOOKUP_NO_SYMLINKS))
		return -ELOOP;
	if (nd->flags & LOOKUP_IS_SCOPED)
		return -EXDEV;
	if (++nd->links > MAX_SYMLINKS)
		return -ELOOP;
	err = inode->i_op->get_link(inode, &target);
	if (err < 0)
		return err;
	if ((nd->flags & LOOKUP_NO_XDEV) && target.mnt != nd->path.mnt) {
		path_put(&target);
		return -EXDEV;
	}
	path_put(&nd->path);
	nd->path = target;
	return 0;
}

/* Moves p into whatever is mounted on it, repeatedly. */
void follow_mounts(struct path *p)
{
	while (p->dentry->d_mounted) {
		struct vfsmount *m = lookup_mnt(p);

		if (m == NULL)
			break;		/* mounted on in another mount of the same tree */
		dget(m->mnt_root);
		dput(p->dentry);
		p->mnt = m;
		p->dentry = m->mnt_root;
	}
}

/*
 * "..": to the parent, across mount roots, never above nd->root (where
 * RESOLVE_BENEATH says -EXDEV; RESOLVE_NO_XDEV refuses to cross a
 * mount).  A scoped walk that finds itself outside its root afterwards
 * (a rename moved a directory out while the walk slept) is -EAGAIN, as
 * on Linux.  May sleep.
 */
static int follow_dotdot(struct nameidata *nd)
{
	for (;;) {
		struct dentry *d = nd->path.dentry;
		struct vfsmount *mnt = nd->path.mnt;

		if (d == nd->root.dentry && mnt == nd->root.mnt) {
			if (nd->flags & LOOKUP_BENEATH)
				return -EXDEV;
			break;
		}
		if (d != mnt->mnt_root) {
			nd->path.dentry = dget(d->d_parent);
			dput(d);
			break;
		}
		if (mnt->mnt_parent == mnt)
			break;		/* the top of everything */
		if (nd->flags & LOOKUP_NO_XDEV)
			return -EXDEV;
		nd->path.dentry = dget(mnt->mnt_mountpoint);
		nd->path.mnt = mnt->mnt_parent;
		dput(d);
	}
	if (nd->path.dentry->d_mounted && lookup_mnt(&nd->path) && (nd->flags & LOOKUP_NO_XDEV))
		return -EXDEV;
	follow_mounts(&nd->path);
	if ((nd->flags & LOOKUP_IS_SCOPED) && !path_beneath(&nd->path, &nd->root))
		return -EAGAIN;
	return 0;
}

/*
 * Returns the child name of dir as a positive dentry (a new reference):
 * from the cache, else from the filesystem's lookup.  ERR_PTR(-ENOENT)
 * if it does not exist, -ENOTDIR if dir is not a directory.  May sleep.
 */
struct dentry *lookup_child(struct dentry *dir, const char *name, int len)
{
	struct inode *di = dir->d_inode;
	struct inode *inode;
	struct dentry *d;

	if (di == NULL)
		return ERR_PTR(-ENOENT);
	if (!S_ISDIR(di->i_mode))
		return ERR_PTR(-ENOTDIR);
	if (d_dead(dir))
		return ERR_PTR(-ENOENT);	/* a removed directory is empty */
	d = d_lookup(dir, name, len);
	if (d != NULL && d->d_inode != NULL)
		return d;
	if (d != NULL) {		/* a cached negative entry: known absent */
		dput(d);
		return ERR_PTR(-ENOENT);
	}
	if (di->i_op == NULL || di->i_op->lookup == NULL)
		return ERR_PTR(-ENOENT);
	inode = di->i_op->lookup(di, name, len);
	if (inode == NULL || (IS_ERR(inode) && PTR_ERR(inode) == -ENOENT)) {
		d_cache_negative(dir, name, len);
		return ERR_PTR(-ENOENT);
	}
	if (IS_ERR(inode))
		return (struct dentry *)inode;
	if (d_dead(dir)) {		/* dir removed while we slept */
		iput(inode);
		return ERR_PTR(-ENOENT);
	}
	d = d_add_child(dir, name, len, inode);
	return d ? d : ERR_PTR(-ENOMEM);
}

/* RESOLVE_CACHED: the child from the dcache only, else -EAGAIN. */
static struct dentry *lookup_cached(struct dentry *dir, const char *name, int len)
{
	struct dentry *d;

	if (d_dead(dir))
		return ERR_PTR(-ENOENT);
	d = d_lookup(dir, name, len);
	if (d == NULL)
		return ERR_PTR(-EAGAIN);
	if (d->d_inode == NULL) {
		dput(d);
		return ERR_PTR(-ENOENT);
	}
	return d;
}

/* Looks up one normal component under nd->path into out (a reference). */
static int walk_child(struct nameidata *nd, const char *name, int len, struct path *out)
{
	struct dentry *d;

	if (nd->flags & LOOKUP_CACHED)
		d = lookup_cached(nd->path.dentry, name, len);
	else
		d = lookup_child(nd->path.dentry, name, len);
	if (IS_ERR(d))
		return (int)PTR_ERR(d);
	out->mnt = nd->path.mnt;
	out->dentry = d;
	if (d->d_mounted && lookup_mnt(out) && (nd->flags & LOOKUP_NO_XDEV)) {
		path_put(out);
		return -EXDEV;
	}
	follow_mounts(out);
	return 0;
}

/*
 * Replaces the path text by link's target followed by "/" and rest
 * (rest may point into the old text).  *out is the new text.  -ELOOP
 * past MAX_SYMLINKS, -ENAMETOOLONG if it does not fit.  May sleep.
 */
static int expand_link(struct nameidata *nd, struct dentry *link, const char *rest,
		       const char **out)
{
	struct inode *inode = link->d_inode;
	size_t restlen = strlen(rest);
	char *buf;
	int n;

	if (++nd->links > MAX_SYMLINKS)
		return -ELOOP;
	if (inode->i_op == NULL || inode->i_op->readlink == NULL)
		return -EINVAL;
	buf = kmalloc(PATH_MAX + 1);
	if (buf == NULL)
		return -ENOMEM;
	n = inode->i_op->readlink(inode, buf, PATH_MAX);
	if (n <= 0 || (size_t)n + 1 + restlen >= PATH_MAX) {
		kfree(buf);
		return n < 0 ? n : (n == 0 ? -ENOENT : -ENAMETOOLONG);
	}
	if (restlen > 0) {
		buf[n++] = '/';
		memcpy(buf + n, rest, restlen);
		n += (int)restlen;
	}
	buf[n] = '\0';
	kfree(nd->buf);
	nd->buf = buf;
	*out = buf;
	return 0;
}

static int may_lookup(struct nameidata *nd)
{
	struct inode *inode = nd->path.dentry->d_inode;

	if (inode == NULL)
		return -ENOENT;
	if (!S_ISDIR(inode->i_mode))
		return -ENOTDIR;
	return inode_permission(inode, MAY_EXEC);
}

static void set_last(struct nameidata *nd, const char *name, int len, bool slash)
{
	nd->last = name;
	nd->last_len = len;
	nd->trailing_slash = slash;
	if (len == 1 && name[0] == '.')
		nd->last_type = LAST_DOT;
	else if (len == 2 && name[0] == '.' && name[1] == '.')
		nd->last_type = LAST_DOTDOT;
	else
		nd->last_type = LAST_NORM;
}

/* Takes one intermediate component; name is updated to what is left. */
static int walk_step(struct nameidata *nd, const char **name, int len, const char *rest)
{
	const char *c = *name;
	struct path next;
	int err;

	*name = rest;
	if (len == 1 && c[0] == '.')
		return 0;
	if (len == 2 && c[0] == '.' && c[1] == '.')
		return follow_dotdot(nd);
	err = walk_child(nd, c, len, &next);
	if (err < 0)
		return err;
	if (S_ISLNK(next.dentry->d_inode->i_mode)) {
		if (d_is_magic_link(next.dentry))
			err = nd_jump_link(nd, next.dentry);
		else if (nd->flags & LOOKUP_NO_SYMLINKS)
			err = -ELOOP;
		else
			err = expand_link(nd, next.dentry, rest, name);
		path_put(&next);
		return err;
	}
	if (!S_ISDIR(next.dentry->d_inode->i_mode)) {
		path_put(&next);
		return -ENOTDIR;
	}
	path_put(&nd->path);
	nd->path = next;
	return 0;
}

/*
 * Walks every component of name but the last, which it records in
 * nd->last (LAST_ROOT for "/").  nd->path ends at the parent directory.
 * Errors: -ENOENT, -ENOTDIR, -EACCES, -ELOOP, -ENAMETOOLONG.  May sleep.
 */
int link_path_walk(struct nameidata *nd, const char *name)
{
	for (;;) {
		const char *rest;
		int len, err;

		if (*name == '/') {
			err = nd_jump_root(nd);
			if (err < 0)
				return err;
			while (*name == '/')
				name++;
		}
		if (*name == '\0') {
			nd->last = name;
			nd->last_len = 0;
			nd->last_type = LAST_ROOT;
			nd->trailing_slash = false;
			return 0;
		}
		err = may_lookup(nd);
		if (err < 0)
			return err;
		for (len = 0; name[len] != '\0' && name[len] != '/'; len++)
			;
		if (len > NAME_MAX)
			return -ENAMETOOLONG;
		for (rest = name + len; *rest == '/'; rest++)
			;
		if (*rest == '\0') {
			set_last(nd, name, len, rest != name + len);
			return 0;
		}
		err = walk_step(nd, &name, len, rest);
		if (err < 0)
			return err;
	}
}

static int walk_last_norm(struct nameidata *nd, bool *again)
{
	struct path next;
	const char *text;
	bool slash = nd->trailing_slash;
	int err;

	*again = false;
	err = walk_child(nd, nd->last, nd->last_len, &next);
	if (err < 0)
		return err;
	if (S_ISLNK(next.dentry->d_inode->i_mode) &&
	    ((nd->flags & LOOKUP_FOLLOW) || slash)) {
		if (d_is_magic_link(next.dentry)) {
			err = nd_jump_link(nd, next.dentry);
			path_put(&next);
			return err;
		}
		err = (nd->flags & LOOKUP_NO_SYMLINKS) ? -ELOOP
		      : expand_link(nd, next.dentry, "", &text);
		path_put(&next);
		if (err == 0)
			err = link_path_walk(nd, text);
		nd->trailing_slash |= slash;
		*again = err == 0;
		return err;
	}
	path_put(&nd->path);
	nd->path = next;
	return 0;
}

/*
 * Finishes a walk after link_path_walk: nd->path becomes the object the
 * last component names, following a final symlink if LOOKUP_FOLLOW (or
 * a trailing slash) asks.  May sleep.
 */
int walk_last(struct nameidata *nd)
{
	bool again = true;
	struct inode *inode;
	int err = 0;

	while (again) {
		again = false;
		if (nd->last_type == LAST_DOTDOT)
			err = follow_dotdot(nd);
		else if (nd->last_type == LAST_NORM)
			err = walk_last_norm(nd, &again);
		if (err < 0)
			return err;
	}
	inode = nd->path.dentry->d_inode;
	if (inode == NULL)
		return -ENOENT;
	if ((nd->trailing_slash || (nd->flags & LOOKUP_DIRECTORY)) && !S_ISDIR(inode->i_mode))
		return -ENOTDIR;
	return 0;
}

/*
 * Resolves name relative to dfd into out (a reference): 0 or -errno.
 * An empty name is -ENOENT unless LOOKUP_EMPTY, which names dfd itself.
 * May sleep.
 */
int kern_path(int dfd, const char *name, unsigned flags, struct path *out)
{
	struct nameidata nd;
	int err;

	if (name[0] == '\0' && !(flags & LOOKUP_EMPTY))
		return -ENOENT;
	if (strnlen(name, PATH_MAX) >= PATH_MAX)
		return -ENAMETOOLONG;
	nd_init(&nd, flags);
	err = nd_start(&nd, dfd, name);
	if (err == 0 && name[0] != '\0') {
		err = link_path_walk(&nd, name);
		if (err == 0)
			err = walk_last(&nd);
	}
	if (err == 0 && nd.path.dentry->d_inode == NULL)
		err = -ENOENT;
	if (err == 0) {
		*out = nd.path;
		nd.path.dentry = NULL;
	}
	nd_release(&nd);
	return err;
}

/*
 * Copies a path name from the guest into a new PATH_MAX buffer: the
 * buffer, or ERR_PTR(-EFAULT / -ENAMETOOLONG / -ENOENT for "" unless
 * empty_ok).  Free it with putname.  May sleep.
 */
char *getname(uaddr_t uname, bool empty_ok)
{
	char *buf = kmalloc(PATH_MAX);
	long n;

	if (buf == NULL)
		return ERR_PTR(-ENOMEM);
	n = strncpy_from_user(buf, uname, PATH_MAX);
	if (n >= PATH_MAX)
		n = -ENAMETOOLONG;
	if (n == 0 && !empty_ok)
		n = -ENOENT;
	if (n < 0) {
		kfree(buf);
		return ERR_PTR(n);
	}
	buf[n] = '\0';
	return buf;
}

/* Frees a name from getname. */
void putname(char *name)
{
	kfree(name);
}

/* kern_path for a guest name.  May sleep. */
int user_path(int dfd, uaddr_t uname, unsigned flags, struct path *out)
{
	char *name = getname(uname, flags & LOOKUP_EMPTY);
	int err;

	if (IS_ERR(name))
		return (int)PTR_ERR(name);
	err = kern_path(dfd, name, flags, out);
	putname(name);
	return err;
}

/*
 * Walks name to its parent directory for an operation on the last
 * component (nd->last).  0 or -errno; the caller nd_release()s.
 * May sleep.
 */
int path_parent(struct nameidata *nd, int dfd, const char *name)
{
	return path_parent_flags(nd, dfd, name, 0);
}

/* path_parent with walk flags (openat2's RESOLVE_*).  May sleep. */
int path_parent_flags(struct nameidata *nd, int dfd, const char *name, unsigned flags)
{
	int err;

	nd_init(nd, flags);
	if (name[0] == '\0')
		return -ENOENT;
	if (strnlen(name, PATH_MAX) >= PATH_MAX)
		return -ENAMETOOLONG;
	err = nd_start(nd, dfd, name);
	if (err < 0)
		return err;
	return link_path_walk(nd, name);
}

/*
 * Continues a walk through the symlink link found as nd's last
 * component: nd->last becomes the last component of its target.
 * -ELOOP past MAX_SYMLINKS.  May sleep.
 */
int walk_follow_link(struct nameidata *nd, struct dentry *link)
{
	bool slash = nd->trailing_slash;
	const char *text;
	int err;

	if (nd->flags & LOOKUP_NO_SYMLINKS)
		return -ELOOP;
	err = expand_link(nd, link, "", &text);
	if (err == 0)
		err = link_path_walk(nd, text);
	nd->trailing_slash |= slash;
	return err;
}
