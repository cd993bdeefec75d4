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
 *
 * security.capability holds file capabilities as Linux stores them
 * (struct vfs_cap_data, v2, or vfs_ns_cap_data, v3, little-endian):
 * setting or removing it needs CAP_SETFCAP, a value of neither shape is
 * -EINVAL; a v3 value of root id 0 is read back as v2, as Linux shows a
 * v3 value whose root is the caller's, and one of another root id (a user
 * namespace's file capabilities; there are none here) is kept and shown
 * but not applied.
 * Writes, truncation and chown remove it (file_remove_privs, inode_killpriv);
 * exec reads it through vfs_get_fcaps (kernel/capability.c applies it).
 */
#include "kernel/fs.h"
#include "kernel/groups.h"
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

static bool has_cap(int cap)
{
	return current == NULL || (current->cap_effective & (1ULL << cap));
}

/* Whether current has CAP_SYS_ADMIN (trusted.*, security.* writes). */
bool xattr_capable(void)
{
	return has_cap(CAP_SYS_ADMIN);
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
	if (strcmp(name, XATTR_NAME_CAPS) == 0)
		return (w && !has_cap(CAP_SETFCAP)) ? -EPERM : 0;
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

/* The raw security.capability value into v: its length or -errno. */
static int caps_raw(struct inode *inode, struct vfs_ns_cap_data *v)
{
	int n;

	memset(v, 0, sizeof(*v));
	n = inode->i_sb->s_xattr->get(inode, XATTR_INDEX_SECURITY, "capability", v, sizeof(*v));
	return n == -ERANGE ? -EINVAL : n;
}

static u32 caps_revision(const struct vfs_ns_cap_data *v)
{
	return v->magic_etc & VFS_CAP_REVISION_MASK;
}

/* Linux's validheader: a v2 value of v2's size or a v3 value of v3's. */
static bool caps_valid(const struct vfs_ns_cap_data *v, size_t size)
{
	return (size == XATTR_CAPS_SZ_2 && caps_revision(v) == VFS_CAP_REVISION_2) ||
	       (size == XATTR_CAPS_SZ_3 && caps_revision(v) == VFS_CAP_REVISION_3);
}

/*
 * security.capability as getxattr shows it (Linux's
 * cap_inode_getsecurity, in the initial user namespace): a v3 value of
 * root id 0 as v2 (the effective flag kept), another v3 value with its
 * root id; another shape is -EINVAL.
 */
static int getxattr_caps(struct inode *inode, void *buf, size_t size)
{
	struct vfs_ns_cap_data v;
	int n = caps_raw(inode, &v);

	if (n < 0)
		return n;
	if (!caps_valid(&v, (size_t)n))
		return -EINVAL;
	if (n == XATTR_CAPS_SZ_3 && v.rootid == (u32)-1)
		return -EOVERFLOW;	/* a root no namespace maps */
	if (n == XATTR_CAPS_SZ_3 && v.rootid == 0) {
		v.magic_etc = VFS_CAP_REVISION_2 | (v.magic_etc & VFS_CAP_FLAGS_EFFECTIVE);
		n = XATTR_CAPS_SZ_2;
	}
	if (size == 0)
		return n;
	if (size < (size_t)n)
		return -ERANGE;
	memcpy(buf, &v, (size_t)n);
	return n;
}

/*
 * The file capabilities exec applies (Linux's get_vfs_caps_from_disk):
 * 0 with *c filled, -ENODATA for none (or a v3 root id no namespace here
 * maps), -EINVAL for a malformed value.  v1 values (32 bits) are read too.
 */
int vfs_get_fcaps(struct inode *inode, struct fcaps *c)
{
	struct vfs_ns_cap_data v;
	int n;

	if (inode->i_sb->s_xattr == NULL)
		return -ENODATA;
	n = caps_raw(inode, &v);
	if (n < 0)
		return n;
	switch (caps_revision(&v)) {
	case VFS_CAP_REVISION_1:
		if (n != XATTR_CAPS_SZ_1)
			return -EINVAL;
		v.data[1].permitted = v.data[1].inheritable = 0;
		break;
	case VFS_CAP_REVISION_2:
		if (n != XATTR_CAPS_SZ_2)
			return -EINVAL;
		break;
	case VFS_CAP_REVISION_3:
		if (n != XATTR_CAPS_SZ_3)
			return -EINVAL;
		if (v.rootid != 0)
			return -ENODATA;	/* a namespace's root: not ours */
		break;
	default:
		return -EINVAL;
	}
	c->permitted = v.data[0].permitted | (u64)v.data[1].permitted << 32;
	c->inheritable = v.data[0].inheritable | (u64)v.data[1].inheritable << 32;
	c->effective = v.magic_etc & VFS_CAP_FLAGS_EFFECTIVE;
	return 0;
}

/*
 * Checks a security.capability value being set (Linux's
 * cap_convert_nscap): -EINVAL for neither shape, -EPERM without
 * CAP_SETFCAP, -EINVAL for a v3 root id that is no uid.  A v3 value is
 * stored with only its revision and effective flag in magic_etc, and its
 * root id (0: file capabilities for everyone; another: for the namespace
 * that uid is root of, none here, so exec ignores them).
 */
static int caps_check(const void *value, size_t size, struct vfs_ns_cap_data *v)
{
	memset(v, 0, sizeof(*v));
	if (size > sizeof(*v))
		return -EINVAL;
	memcpy(v, value, size);
	if (!caps_valid(v, size))
		return -EINVAL;
	if (!has_cap(CAP_SETFCAP))
		return -EPERM;
	if (size == XATTR_CAPS_SZ_2)
		return 0;
	if (v->rootid == (u32)-1)
		return -EINVAL;		/* no valid uid */
	v->magic_etc = VFS_CAP_REVISION_3 | (v->magic_etc & VFS_CAP_FLAGS_EFFECTIVE);
	return 0;
}

/* Whether inode has a security.capability value: 1, 0 or -errno. */
static int has_fcaps(struct inode *inode)
{
	int n;

	if (inode->i_sb->s_xattr == NULL)
		return 0;
	n = inode->i_sb->s_xattr->get(inode, XATTR_INDEX_SECURITY, "capability", NULL, 0);
	if (n == -ENODATA || n == -EOPNOTSUPP)
		return 0;
	return n < 0 ? n : 1;
}

/*
 * Removes a regular file's file capabilities (Linux's cap_inode_killpriv,
 * whoever the caller): 0 or -errno.  May sleep.
 */
int inode_killpriv(struct inode *inode)
{
	int err;

	if (!S_ISREG(inode->i_mode) || inode->i_nosec || inode->i_sb->s_xattr == NULL)
		return 0;
	err = inode->i_sb->s_xattr->set(inode, XATTR_INDEX_SECURITY, "capability", NULL, 0,
					XATTR_REPLACE);
	if (err == -ENODATA || err == -EOPNOTSUPP)
		return 0;
	if (err == 0) {
		inode->i_ctime = current_time();
		mark_inode_dirty(inode);
	}
	return err;
}

/*
 * What a write or truncation takes away (Linux's dentry_needs_remove_privs
 * and __remove_privs): a caller without CAP_FSETID clears the set-user-ID
 * bit, and the set-group-ID bit of a group-executable file or one whose
 * group is not the caller's; file capabilities go whoever the caller.
 * Regular files only.  0 or -errno.  May sleep.
 */
int dentry_remove_privs(struct dentry *d)
{
	struct inode *inode = d->d_inode;
	struct iattr attr = { 0 };
	int caps, err;

	if (inode == NULL || !S_ISREG(inode->i_mode))
		return 0;
	caps = has_fcaps(inode);
	if (caps < 0)
		return caps;
	if (!has_cap(CAP_FSETID)) {
		attr.mode = inode->i_mode & 07777;
		if (inode->i_mode & S_ISUID)
			attr.mode &= ~(umode_t)S_ISUID;
		if ((inode->i_mode & S_ISGID) &&
		    ((inode->i_mode & S_IXGRP) || !in_group_p(inode->i_gid)))
			attr.mode &= ~(umode_t)S_ISGID;
		if (attr.mode != (inode->i_mode & 07777))
			attr.valid = ATTR_MODE;
	}
	if (attr.valid) {
		err = notify_change(d, &attr);
		if (err)
			return err;
	}
	if (caps) {
		err = inode_killpriv(inode);
		if (err)
			return err;
	}
	/* Set-id bits kept only for a CAP_FSETID caller: look again next time. */
	inode->i_nosec = !(inode->i_mode & (S_ISUID | S_ISGID));
	return 0;
}

/*
 * A regular file just created has no xattr but the ACLs it inherited, so
 * no file capabilities: without set-id bits its first write and a chown
 * need not look for them (tar: create, write, chown, chmod).
 */
void inode_new_nosec(struct inode *inode)
{
	if (S_ISREG(inode->i_mode))
		inode->i_nosec = !(inode->i_mode & (S_ISUID | S_ISGID));
}

/* Before a write to f (Linux's file_remove_privs); once per file while i_nosec holds. */
int file_remove_privs(struct file *f)
{
	struct inode *inode = f->f_inode;

	if (inode == NULL || inode->i_nosec || !S_ISREG(inode->i_mode) || f->f_path.dentry == NULL)
		return 0;
	return dentry_remove_privs(f->f_path.dentry);
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
	if (strcmp(name, XATTR_NAME_CAPS) == 0)
		return getxattr_caps(inode, buf, size);
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
	struct vfs_ns_cap_data caps;
	const char *suffix;
	int index;
	int err = 0;

	if (value && strcmp(name, XATTR_NAME_CAPS) == 0) {
		err = caps_check(value, size, &caps);
		value = &caps;
	}
	if (!err)
		err = xattr_permission(inode, name, MAY_WRITE);
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
		if (index == XATTR_INDEX_SECURITY)
			inode->i_nosec = false;
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

/*
 * getxattr (name) or listxattr (name NULL) on the path or fd in target,
 * through a kernel buffer of up to max bytes copied out to ubuf: the
 * length or -errno; -ERANGE becomes -E2BIG once usize reaches max.
 */
static long read_attrs(long target, bool is_fd, bool follow, const char *name, uaddr_t ubuf,
		       size_t usize, size_t max)
{
	size_t size = min(usize, max);
	void *kbuf = NULL;
	struct path p;
	long err = get_target(target, is_fd, follow, &p);

	if (err)
		return err;
	err = -ENOMEM;
	if (size && (kbuf = kmalloc(size)) == NULL)
		goto out;
	if (name)
		err = vfs_getxattr(p.dentry->d_inode, name, kbuf, size);
	else
		err = vfs_listxattr(p.dentry->d_inode, kbuf, size);
	if (err > 0 && size && copy_to_user(ubuf, kbuf, (size_t)err) < 0)
		err = -EFAULT;
	if (err == -ERANGE && usize >= max)
		err = -E2BIG;
	kfree(kbuf);
out:
	path_put(&p);
	return err;
}

static long do_get(const long *a, bool is_fd, bool follow)
{
	char name[XATTR_NAME_MAX_ + 1];
	long err = get_name(name, UADDR(a[1]));

	if (err)
		return err;
	return read_attrs(a[0], is_fd, follow, name, UADDR(a[2]), (size_t)a[3], XATTR_SIZE_MAX_);
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
	return read_attrs(a[0], is_fd, follow, NULL, UADDR(a[1]), (size_t)a[2], XATTR_LIST_MAX_);
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
