/*
 * xattr.c - extended attributes: the twelve syscalls and the rules of
 * each namespace, over a filesystem's xattr_operations (sb->s_xattr).
 *
 * Layers: the syscalls copy the name (checked first, as Linux 6.x does:
 * -ERANGE for an empty or too long name, -E2BIG for a value over 64 KiB,
 * -EINVAL for unknown flags) and resolve the path or fd; vfs_*xattr apply
 * xattr(7)'s permission rules (user.* only on regular files and
 * directories, by the file's read or write permission, a sticky
 * directory's only by its owner; trusted.* only with CAP_SYS_ADMIN and
 * hidden from others' lists; security.* writable with CAP_SYS_ADMIN;
 * system.posix_acl_* through fs/posix_acl.c) and split the name into
 * (index, suffix) for the backend.  A filesystem without s_xattr answers
 * -EOPNOTSUPP and lists nothing.
 */
#include "kernel/fs.h"
#include "kernel/mm.h"
#include "kernel/page.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/syscalls.h"
#include "kernel/xattr.h"
#include "uapi/linux/capability.h"
#include "uapi/linux/posix_acl_xattr.h"
#include "uapi/linux/xattr.h"
#include "internal.h"

static const struct {
	const char *prefix;
	int index;
} prefixes[] = {
	{ XATTR_USER_PREFIX, XATTR_INDEX_USER },
	{ XATTR_TRUSTED_PREFIX, XATTR_INDEX_TRUSTED },
	{ XATTR_SECURITY_PREFIX, XATTR_INDEX_SECURITY },
};

static bool has_prefix(const char *name, const char *prefix)
{
	return strncmp(name, prefix, strlen(prefix)) == 0;
}

/* Whether current has CAP_SYS_ADMIN (trusted.*, security.* writes). */
bool xattr_capable(void)
{
	return current == NULL || (current->cap_effective & (1ULL << CAP_SYS_ADMIN));
}

/*
 * Splits name into ext4's name index and the suffix: 0, -EINVAL for a
 * bare prefix ("user."), -EOPNOTSUPP for a namespace no filesystem here
 * stores (os2., other system.* names).
 */
static int xattr_resolve(const char *name, int *index, const char **suffix)
{
	for (size_t i = 0; i < ARRAY_SIZE(prefixes); i++) {
		if (!has_prefix(name, prefixes[i].prefix))
			continue;
		*suffix = name + strlen(prefixes[i].prefix);
		*index = prefixes[i].index;
		return **suffix ? 0 : -EINVAL;
	}
	*suffix = "";
	if (strcmp(name, XATTR_NAME_POSIX_ACL_ACCESS) == 0)
		*index = XATTR_INDEX_POSIX_ACL_ACCESS;
	else if (strcmp(name, XATTR_NAME_POSIX_ACL_DEFAULT) == 0)
		*index = XATTR_INDEX_POSIX_ACL_DEFAULT;
	else
		return -EOPNOTSUPP;
	return 0;
}

/* Whether current owns inode or has CAP_FOWNER. */
static bool owner_or_capable(const struct inode *inode)
{
	return current == NULL || current->euid == inode->i_uid ||
	       (current->cap_effective & (1ULL << CAP_FOWNER));
}

/*
 * The namespace rules before the backend is asked (Linux's
 * xattr_permission): 0 or -EPERM, -EACCES, -ENODATA.
 */
static int xattr_permission(struct inode *inode, const char *name, int mask)
{
	bool w = mask & MAY_WRITE;

	if (has_prefix(name, XATTR_SYSTEM_PREFIX))
		return 0;
	if (has_prefix(name, XATTR_SECURITY_PREFIX))
		return (w && !xattr_capable()) ? -EPERM : 0;
	if (has_prefix(name, XATTR_TRUSTED_PREFIX)) {
		if (!xattr_capable())
			return w ? -EPERM : -ENODATA;
		return 0;
	}
	if (has_prefix(name, XATTR_USER_PREFIX)) {
		if (!S_ISREG(inode->i_mode) && !S_ISDIR(inode->i_mode))
			return w ? -EPERM : -ENODATA;
		if (w && S_ISDIR(inode->i_mode) && (inode->i_mode & S_ISVTX) &&
		    !owner_or_capable(inode))
			return -EPERM;
	}
	return inode_permission(inode, mask);
}

static bool is_acl_index(int index)
{
	return index == XATTR_INDEX_POSIX_ACL_ACCESS || index == XATTR_INDEX_POSIX_ACL_DEFAULT;
}

static int acl_type(int index)
{
	return index == XATTR_INDEX_POSIX_ACL_ACCESS ? ACL_TYPE_ACCESS : ACL_TYPE_DEFAULT;
}

/* An ACL read back in the guest format, from the inode's cache. */
static int getxattr_acl(struct inode *inode, int index, void *buf, size_t size)
{
	struct posix_acl *acl;
	int ret;

	if (S_ISLNK(inode->i_mode))
		return -EOPNOTSUPP;
	acl = get_acl(inode, acl_type(index));
	if (IS_ERR(acl))
		return (int)PTR_ERR(acl);
	if (acl == NULL)
		return -ENODATA;
	ret = posix_acl_to_xattr(acl, buf, size);
	posix_acl_put(acl);
	return ret;
}

/*
 * The value of name into buf (size 0: its length): the length, or
 * -ENODATA, -ERANGE, -EOPNOTSUPP, -EACCES.  May sleep.
 */
int vfs_getxattr(struct inode *inode, const char *name, void *buf, size_t size)
{
	const char *suffix;
	int index;
	int err = xattr_permission(inode, name, MAY_READ);

	if (err)
		return err;
	err = xattr_resolve(name, &index, &suffix);
	if (err)
		return err;
	if (inode->i_sb->s_xattr == NULL)
		return -EOPNOTSUPP;
	if (is_acl_index(index))
		return getxattr_acl(inode, index, buf, size);
	return inode->i_sb->s_xattr->get(inode, index, suffix, buf, size);
}

/*
 * Sets name to value (NULL: removes it) on d's inode, as current:
 * 0 or -errno.  Caller checked the mount is writable. May sleep.
 */
static int do_setxattr(struct dentry *d, const char *name, const void *value, size_t size,
		       int flags)
{
	struct inode *inode = d->d_inode;
	const char *suffix;
	int index;
	int err = xattr_permission(inode, name, MAY_WRITE);

	if (err)
		return err;
	err = xattr_resolve(name, &index, &suffix);
	if (err)
		return err;
	if (inode->i_sb->s_xattr == NULL)
		return -EOPNOTSUPP;
	if (is_acl_index(index)) {
		if (S_ISLNK(inode->i_mode))
			return -EOPNOTSUPP;
		return posix_acl_set(d, acl_type(index), value, value ? size : 0);
	}
	err = inode->i_sb->s_xattr->set(inode, index, suffix, value, size, flags);
	if (err == 0) {
		inode->i_ctime = current_time();
		mark_inode_dirty(inode);
	}
	return err;
}

/* Sets name on d's inode: 0 or -errno. May sleep. */
int vfs_setxattr(struct dentry *d, const char *name, const void *value, size_t size, int flags)
{
	return do_setxattr(d, name, value ? value : "", size, flags);
}

/* Removes name from d's inode: 0, -ENODATA or -errno. May sleep. */
int vfs_removexattr(struct dentry *d, const char *name)
{
	return do_setxattr(d, name, NULL, 0, XATTR_REPLACE);
}

/* Builds listxattr's NUL-separated names into buf (size 0: only counts). */
struct list_ctx {
	char *buf;
	size_t size, used;
	bool trusted;		/* may see trusted.* */
	bool acl;		/* the filesystem keeps ACLs in its xattrs */
};

static const char *index_prefix(int index)
{
	switch (index) {
	case XATTR_INDEX_USER:
		return XATTR_USER_PREFIX;
	case XATTR_INDEX_TRUSTED:
		return XATTR_TRUSTED_PREFIX;
	case XATTR_INDEX_SECURITY:
		return XATTR_SECURITY_PREFIX;
	case XATTR_INDEX_POSIX_ACL_ACCESS:
		return XATTR_NAME_POSIX_ACL_ACCESS;
	case XATTR_INDEX_POSIX_ACL_DEFAULT:
		return XATTR_NAME_POSIX_ACL_DEFAULT;
	default:
		return NULL;	/* system.data and others Linux does not list */
	}
}

static int list_one(void *arg, int index, const char *name, size_t len)
{
	struct list_ctx *c = arg;
	const char *prefix = index_prefix(index);
	size_t plen, total;

	if (prefix == NULL || (index == XATTR_INDEX_TRUSTED && !c->trusted))
		return 0;
	if (is_acl_index(index))
		len = 0;
	plen = strlen(prefix);
	total = plen + len + 1;
	if (c->size) {
		if (c->used + total > c->size)
			return -ERANGE;
		memcpy(c->buf + c->used, prefix, plen);
		memcpy(c->buf + c->used + plen, name, len);
		c->buf[c->used + plen + len] = 0;
	}
	c->used += total;
	return 0;
}

/* The names of inode's attributes into buf (size 0: the length needed). */
static int vfs_listxattr(struct inode *inode, char *buf, size_t size)
{
	struct list_ctx c = { buf, size, 0, xattr_capable(), true };
	int err;

	if (inode->i_sb->s_xattr == NULL)
		return 0;
	err = inode->i_sb->s_xattr->list(inode, list_one, &c);
	if (err)
		return err;
	return (int)c.used;
}

/* The syscall layer: guest names, paths and fds. */

/* Copies the name: 0, -EFAULT or -ERANGE (empty or longer than 255). */
static long get_name(char *name, uaddr_t uname)
{
	long n = strncpy_from_user(name, uname, XATTR_NAME_MAX_ + 1);

	if (n == -ENAMETOOLONG || n == 0)
		return -ERANGE;
	return n < 0 ? n : 0;
}

/* The object: a path (following symlinks or not) or an fd; a reference in *p. */
static long get_target(long target, bool is_fd, bool follow, struct path *p)
{
	struct file *f;

	if (!is_fd)
		return user_path(AT_FDCWD, UADDR(target), follow ? LOOKUP_FOLLOW : 0, p);
	f = fd_get_file((int)target);
	if (!f)
		return -EBADF;
	if (f->f_flags & O_PATH) {
		fput(f);
		return -EBADF;
	}
	*p = f->f_path;
	path_get(p);
	fput(f);
	return 0;
}

static long do_get(const long *a, bool is_fd, bool follow)
{
	char name[XATTR_NAME_MAX_ + 1];
	size_t size = min((size_t)a[3], (size_t)XATTR_SIZE_MAX_);
	void *kbuf = NULL;
	struct path p;
	long err = get_name(name, UADDR(a[1]));

	if (!err)
		err = get_target(a[0], is_fd, follow, &p);
	if (err)
		return err;
	err = -ENOMEM;
	if (size && (kbuf = kmalloc(size)) == NULL)
		goto out;
	err = vfs_getxattr(p.dentry->d_inode, name, kbuf, size);
	if (err > 0 && size && copy_to_user(UADDR(a[2]), kbuf, (size_t)err) < 0)
		err = -EFAULT;
	if (err == -ERANGE && (size_t)a[3] >= XATTR_SIZE_MAX_)
		err = -E2BIG;
	kfree(kbuf);
out:
	path_put(&p);
	return err;
}

/* The value of a set: copied before the path is walked, as Linux does. */
static long get_value(uaddr_t uvalue, size_t size, void **out)
{
	*out = NULL;
	if (size > XATTR_SIZE_MAX_)
		return -E2BIG;
	if (size == 0)
		return 0;
	*out = kmalloc(size);
	if (*out == NULL)
		return -ENOMEM;
	if (copy_from_user(*out, uvalue, size) < 0) {
		kfree(*out);
		*out = NULL;
		return -EFAULT;
	}
	return 0;
}

static long do_set(const long *a, bool is_fd, bool follow)
{
	char name[XATTR_NAME_MAX_ + 1];
	int flags = (int)a[4];
	size_t size = (size_t)a[3];
	void *value = NULL;
	struct path p;
	long err;

	if (flags & ~(XATTR_CREATE | XATTR_REPLACE))
		return -EINVAL;
	err = get_name(name, UADDR(a[1]));
	if (!err)
		err = get_value(UADDR(a[2]), size, &value);
	if (err)
		return err;
	err = get_target(a[0], is_fd, follow, &p);
	if (err)
		goto out_value;
	err = mnt_want_write(&p);
	if (!err)
		err = vfs_setxattr(p.dentry, name, value, size, flags);
	path_put(&p);
out_value:
	kfree(value);
	return err;
}

static long do_list(const long *a, bool is_fd, bool follow)
{
	size_t size = min((size_t)a[2], (size_t)XATTR_LIST_MAX_);
	char *kbuf = NULL;
	struct path p;
	long err = get_target(a[0], is_fd, follow, &p);

	if (err)
		return err;
	err = -ENOMEM;
	if (size && (kbuf = kmalloc(size)) == NULL)
		goto out;
	err = vfs_listxattr(p.dentry->d_inode, kbuf, size);
	if (err > 0 && size && copy_to_user(UADDR(a[1]), kbuf, (size_t)err) < 0)
		err = -EFAULT;
	if (err == -ERANGE && (size_t)a[2] >= XATTR_LIST_MAX_)
		err = -E2BIG;
	kfree(kbuf);
out:
	path_put(&p);
	return err;
}

static long do_remove(const long *a, bool is_fd, bool follow)
{
	char name[XATTR_NAME_MAX_ + 1];
	struct path p;
	long err = get_name(name, UADDR(a[1]));

	if (!err)
		err = get_target(a[0], is_fd, follow, &p);
	if (err)
		return err;
	err = mnt_want_write(&p);
	if (!err)
		err = vfs_removexattr(p.dentry, name);
	path_put(&p);
	return err;
}

SYSCALL(getxattr) { return do_get(a, false, true); }
SYSCALL(lgetxattr) { return do_get(a, false, false); }
SYSCALL(fgetxattr) { return do_get(a, true, false); }
SYSCALL(setxattr) { return do_set(a, false, true); }
SYSCALL(lsetxattr) { return do_set(a, false, false); }
SYSCALL(fsetxattr) { return do_set(a, true, false); }
SYSCALL(listxattr) { return do_list(a, false, true); }
SYSCALL(llistxattr) { return do_list(a, false, false); }
SYSCALL(flistxattr) { return do_list(a, true, false); }
SYSCALL(removexattr) { return do_remove(a, false, true); }
SYSCALL(lremovexattr) { return do_remove(a, false, false); }
SYSCALL(fremovexattr) { return do_remove(a, true, false); }
