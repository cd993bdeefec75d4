/*
 * posix_acl.c - POSIX access control lists (acl(5)), kept in the
 * system.posix_acl_access and system.posix_acl_default attributes.
 *
 * Layers: the guest format (struct posix_acl_xattr_*) is decoded into a
 * struct posix_acl and checked as Linux's posix_acl_valid does; the
 * inode caches its two ACLs (i_acl, i_default_acl) once read from the
 * filesystem's xattr_operations, and this file is the only writer of
 * those names, so the cache stays true.  On top: the permission check
 * (inode_permission asks here for the group class), chmod rewriting the
 * owner, mask (or group) and other entries, setting an access ACL
 * updating the mode (an ACL that says no more than the mode is stored as
 * no xattr at all), and a directory's default ACL inherited by what is
 * created in it, the umask ignored then (acl(5), "OBJECT CREATION AND
 * DEFAULT ACLs").
 */
#include "kernel/fs.h"
#include "kernel/groups.h"
#include "kernel/page.h"
#include "kernel/sched.h"
#include "kernel/xattr.h"
#include "uapi/linux/capability.h"
#include "uapi/linux/posix_acl_xattr.h"
#include "internal.h"

#define ACL_MAX_ENTRIES	((XATTR_SIZE_MAX_ - 4) / 8)

/* A new ACL of entries entries (zeroed), one reference; NULL without memory. */
struct posix_acl *posix_acl_alloc(unsigned entries)
{
	struct posix_acl *acl = kzalloc(sizeof(*acl) + entries * sizeof(acl->a_entry[0]));

	if (acl) {
		acl->a_count = 1;
		acl->a_entries = entries;
	}
	return acl;
}

/* Drops a reference (NULL allowed). */
void posix_acl_put(struct posix_acl *acl)
{
	if (acl && --acl->a_count == 0)
		kfree(acl);
}

static struct posix_acl *acl_clone(const struct posix_acl *acl)
{
	struct posix_acl *c = posix_acl_alloc(acl->a_entries);

	if (c)
		memcpy(c->a_entry, acl->a_entry, acl->a_entries * sizeof(acl->a_entry[0]));
	return c;
}

/* Linux's posix_acl_valid: the entries in the order acl(5) requires. */
static int acl_valid(const struct posix_acl *acl)
{
	int state = ACL_USER_OBJ;
	bool needs_mask = false;

	for (unsigned i = 0; i < acl->a_entries; i++) {
		const struct posix_acl_entry *e = &acl->a_entry[i];

		if (e->e_perm & ~(ACL_READ | ACL_WRITE | ACL_EXECUTE))
			return -EINVAL;
		switch (e->e_tag) {
		case ACL_USER_OBJ:
			if (state != ACL_USER_OBJ)
				return -EINVAL;
			state = ACL_USER;
			break;
		case ACL_USER:
		case ACL_GROUP:
			if (state != e->e_tag || e->e_id == (u32)ACL_UNDEFINED_ID)
				return -EINVAL;
			needs_mask = true;
			break;
		case ACL_GROUP_OBJ:
			if (state != ACL_USER)
				return -EINVAL;
			state = ACL_GROUP;
			break;
		case ACL_MASK:
			if (state != ACL_GROUP)
				return -EINVAL;
			state = ACL_OTHER;
			break;
		case ACL_OTHER:
			if (state != ACL_OTHER && (state != ACL_GROUP || needs_mask))
				return -EINVAL;
			state = 0;
			break;
		default:
			return -EINVAL;
		}
	}
	return state == 0 ? 0 : -EINVAL;
}

/*
 * Decodes a guest-format value: the ACL (a reference), NULL for an empty
 * one (no entries), ERR_PTR(-EINVAL) for a bad size, tag or order,
 * ERR_PTR(-EOPNOTSUPP) for another version.
 */
struct posix_acl *posix_acl_from_xattr(const void *value, size_t size)
{
	const struct posix_acl_xattr_header *h = value;
	const struct posix_acl_xattr_entry *e = (const void *)(h + 1);
	struct posix_acl *acl;
	size_t n;

	if (value == NULL || size < sizeof(*h))
		return ERR_PTR(-EINVAL);
	if (h->a_version != POSIX_ACL_XATTR_VERSION)
		return ERR_PTR(-EOPNOTSUPP);
	if ((size - sizeof(*h)) % sizeof(*e))
		return ERR_PTR(-EINVAL);
	n = (size - sizeof(*h)) / sizeof(*e);
	if (n == 0)
		return NULL;
	acl = posix_acl_alloc((unsigned)n);
	if (!acl)
		return ERR_PTR(-ENOMEM);
	for (size_t i = 0; i < n; i++) {
		acl->a_entry[i].e_tag = e[i].e_tag;
		acl->a_entry[i].e_perm = e[i].e_perm;
		acl->a_entry[i].e_id = (e[i].e_tag == ACL_USER || e[i].e_tag == ACL_GROUP) ?
				       e[i].e_id : (u32)ACL_UNDEFINED_ID;
	}
	if (acl_valid(acl)) {
		posix_acl_put(acl);
		return ERR_PTR(-EINVAL);
	}
	return acl;
}

/* Encodes acl in the guest format into buf (size 0: only the length): length or -ERANGE. */
int posix_acl_to_xattr(const struct posix_acl *acl, void *buf, size_t size)
{
	size_t len = sizeof(struct posix_acl_xattr_header) +
		     acl->a_entries * sizeof(struct posix_acl_xattr_entry);
	struct posix_acl_xattr_header *h = buf;
	struct posix_acl_xattr_entry *e = (void *)(h + 1);

	if (size == 0)
		return (int)len;
	if (size < len)
		return -ERANGE;
	h->a_version = POSIX_ACL_XATTR_VERSION;
	for (unsigned i = 0; i < acl->a_entries; i++) {
		e[i].e_tag = acl->a_entry[i].e_tag;
		e[i].e_perm = acl->a_entry[i].e_perm;
		e[i].e_id = acl->a_entry[i].e_id;
	}
	return (int)len;
}

static struct posix_acl **acl_slot(struct inode *inode, int type)
{
	return type == ACL_TYPE_ACCESS ? &inode->i_acl : &inode->i_default_acl;
}

static int acl_index(int type)
{
	return type == ACL_TYPE_ACCESS ? XATTR_INDEX_POSIX_ACL_ACCESS :
	       XATTR_INDEX_POSIX_ACL_DEFAULT;
}

/* Reads the ACL from the filesystem: a reference, NULL or ERR_PTR. May sleep. */
static struct posix_acl *acl_read(struct inode *inode, int type)
{
	const struct xattr_operations *xo = inode->i_sb->s_xattr;
	struct posix_acl *acl;
	void *buf;
	int len = xo->get(inode, acl_index(type), "", NULL, 0);

	if (len == -ENODATA)
		return NULL;
	if (len < 0)
		return ERR_PTR(len);
	buf = kmalloc((size_t)len + 1);
	if (!buf)
		return ERR_PTR(-ENOMEM);
	len = xo->get(inode, acl_index(type), "", buf, (size_t)len);
	acl = len < 0 ? ERR_PTR(len) : posix_acl_from_xattr(buf, (size_t)len);
	kfree(buf);
	if (len == -ENODATA)
		return NULL;
	return IS_ERR(acl) && PTR_ERR(acl) != -ENOMEM ? ERR_PTR(-EIO) : acl;
}

/* Replaces the cached ACL of type (taking a reference to acl). */
static void acl_cache(struct inode *inode, int type, struct posix_acl *acl)
{
	struct posix_acl **slot = acl_slot(inode, type);

	if (*slot != ACL_NOT_CACHED)
		posix_acl_put(*slot);
	if (acl)
		acl->a_count++;
	*slot = acl;
}

/*
 * inode's ACL of type (ACL_TYPE_ACCESS or _DEFAULT): a new reference,
 * NULL when there is none (or the filesystem keeps none), or ERR_PTR
 * (-EIO, -ENOMEM).  May sleep.
 */
struct posix_acl *get_acl(struct inode *inode, int type)
{
	struct posix_acl **slot = acl_slot(inode, type);
	struct posix_acl *acl;

	if (inode->i_sb->s_xattr == NULL || S_ISLNK(inode->i_mode))
		return NULL;
	if (*slot != ACL_NOT_CACHED) {
		if (*slot)
			(*slot)->a_count++;
		return *slot;
	}
	acl = acl_read(inode, type);
	if (IS_ERR(acl))
		return acl;
	if (*slot == ACL_NOT_CACHED)	/* not filled while acl_read slept */
		acl_cache(inode, type, acl);
	return acl;
}

/* Drops inode's cached ACLs (inode going away). */
void posix_acl_forget(struct inode *inode)
{
	if (inode->i_acl != ACL_NOT_CACHED)
		posix_acl_put(inode->i_acl);
	if (inode->i_default_acl != ACL_NOT_CACHED)
		posix_acl_put(inode->i_default_acl);
	inode->i_acl = inode->i_default_acl = ACL_NOT_CACHED;
}

/* Writes acl (NULL: removes the attribute) and caches it: 0 or -errno. May sleep. */
static int acl_store(struct inode *inode, int type, struct posix_acl *acl)
{
	const struct xattr_operations *xo = inode->i_sb->s_xattr;
	void *buf = NULL;
	int len = 0, err;

	if (acl) {
		len = posix_acl_to_xattr(acl, NULL, 0);
		buf = kmalloc((size_t)len);
		if (!buf)
			return -ENOMEM;
		posix_acl_to_xattr(acl, buf, (size_t)len);
	}
	err = xo->set(inode, acl_index(type), "", buf, (size_t)len, 0);
	kfree(buf);
	if (err == -ENODATA && acl == NULL)
		err = 0;
	if (err == 0)
		acl_cache(inode, type, acl);
	else
		posix_acl_forget(inode);	/* read it again next time */
	return err;
}

/* The entry that limits e's permissions: the mask, if any. */
static const struct posix_acl_entry *acl_mask(const struct posix_acl *acl)
{
	for (unsigned i = 0; i < acl->a_entries; i++)
		if (acl->a_entry[i].e_tag == ACL_MASK)
			return &acl->a_entry[i];
	return NULL;
}

static int acl_check(const struct posix_acl *acl, const struct posix_acl_entry *e,
		     int want, bool masked)
{
	const struct posix_acl_entry *m = masked ? acl_mask(acl) : NULL;
	int perm = e->e_perm & (m ? m->e_perm : 7);

	return (perm & want) == want ? 0 : -EACCES;
}

/* acl(5) "ACCESS CHECK ALGORITHM" past the owner: 0 or -EACCES. */
static int acl_permission(struct inode *inode, const struct posix_acl *acl, int want)
{
	uid_t uid = current ? current->euid : 0;
	bool found = false;

	for (unsigned i = 0; i < acl->a_entries; i++) {
		const struct posix_acl_entry *e = &acl->a_entry[i];

		switch (e->e_tag) {
		case ACL_USER_OBJ:
			if (uid == inode->i_uid)
				return acl_check(acl, e, want, false);
			break;
		case ACL_USER:
			if (uid == e->e_id)
				return acl_check(acl, e, want, true);
			break;
		case ACL_GROUP_OBJ:
		case ACL_GROUP:
			if (!in_group_p(e->e_tag == ACL_GROUP ? e->e_id : inode->i_gid))
				break;
			found = true;
			if ((e->e_perm & want) == want)
				return acl_check(acl, e, want, true);
			break;
		case ACL_OTHER:
			return found ? -EACCES : acl_check(acl, e, want, false);
		}
	}
	return -EACCES;
}

/*
 * The ACL's answer for current and mask (MAY_*, the ACL bits): 0,
 * -EACCES, -EIO; -EAGAIN when inode has no access ACL (the mode decides).
 * May sleep.
 */
int posix_acl_permission(struct inode *inode, int mask)
{
	struct posix_acl *acl;
	int err;

	if (inode->i_sb->s_xattr == NULL)
		return -EAGAIN;
	acl = get_acl(inode, ACL_TYPE_ACCESS);
	if (IS_ERR(acl))
		return (int)PTR_ERR(acl);
	if (acl == NULL)
		return -EAGAIN;
	err = acl_permission(inode, acl, mask & 7);
	posix_acl_put(acl);
	return err;
}

/*
 * The mode bits acl stands for into *mode (the rest of *mode kept):
 * 0 if the ACL says no more than them, 1 if it needs storing.
 */
static int acl_equiv_mode(const struct posix_acl *acl, umode_t *mode)
{
	umode_t m = 0;
	int not_equiv = 0;

	for (unsigned i = 0; i < acl->a_entries; i++) {
		const struct posix_acl_entry *e = &acl->a_entry[i];

		switch (e->e_tag) {
		case ACL_USER_OBJ:
			m |= (umode_t)((e->e_perm & 7) << 6);
			break;
		case ACL_GROUP_OBJ:
			m |= (umode_t)((e->e_perm & 7) << 3);
			break;
		case ACL_OTHER:
			m |= e->e_perm & 7;
			break;
		case ACL_MASK:
			m = (umode_t)((m & ~070) | ((e->e_perm & 7) << 3));
			not_equiv = 1;
			break;
		default:
			not_equiv = 1;
			break;
		}
	}
	*mode = (umode_t)((*mode & ~0777) | m);
	return not_equiv;
}

static bool fowner_capable(const struct inode *inode)
{
	return current == NULL || current->euid == inode->i_uid ||
	       (current->cap_effective & (1ULL << CAP_FOWNER));
}

/* The mode change an access ACL brings, through the filesystem's setattr. */
static int acl_set_mode(struct dentry *d, umode_t mode)
{
	struct inode *inode = d->d_inode;
	struct iattr attr = { .valid = ATTR_MODE };

	if (current && !in_group_p(inode->i_gid) &&
	    !(current->cap_effective & (1ULL << CAP_FSETID)))
		mode &= (umode_t)~S_ISGID;
	attr.mode = (inode->i_mode & S_IFMT) | (mode & 07777);
	return notify_change(d, &attr);
}

/*
 * setxattr/removexattr of system.posix_acl_* on d (value NULL: remove):
 * 0, -EINVAL (malformed), -EOPNOTSUPP (another version), -EPERM (not
 * the owner), -EACCES (a default ACL on a non-directory), or the
 * backend's error.  May sleep.
 */
int posix_acl_set(struct dentry *d, int type, const void *value, size_t size)
{
	struct inode *inode = d->d_inode;
	/* An empty value, as a NULL one, removes the ACL (Linux's do_set_acl). */
	struct posix_acl *acl = value && size ? posix_acl_from_xattr(value, size) : NULL;
	umode_t mode = inode->i_mode;
	bool set_mode = type == ACL_TYPE_ACCESS && !IS_ERR_OR_NULL(acl);
	int err;

	if (IS_ERR(acl))
		return (int)PTR_ERR(acl);
	err = -EPERM;
	if (!fowner_capable(inode))
		goto out;
	err = acl ? -EACCES : 0;
	if (type == ACL_TYPE_DEFAULT && !S_ISDIR(inode->i_mode))
		goto out;
	if (type == ACL_TYPE_ACCESS && acl && acl_equiv_mode(acl, &mode) == 0) {
		posix_acl_put(acl);
		acl = NULL;
	}
	err = acl_store(inode, type, acl);
	if (err == 0 && set_mode)
		err = acl_set_mode(d, mode);
	if (err == 0 && type == ACL_TYPE_DEFAULT) {
		inode->i_ctime = current_time();
		mark_inode_dirty(inode);
	}
out:
	posix_acl_put(acl);
	return err;
}

/* Rewrites the ACL's owner, group class and other entries from mode. */
static void acl_chmod_entries(struct posix_acl *acl, umode_t mode)
{
	struct posix_acl_entry *group = NULL, *mask = NULL;

	for (unsigned i = 0; i < acl->a_entries; i++) {
		struct posix_acl_entry *e = &acl->a_entry[i];

		if (e->e_tag == ACL_USER_OBJ)
			e->e_perm = (mode >> 6) & 7;
		else if (e->e_tag == ACL_GROUP_OBJ)
			group = e;
		else if (e->e_tag == ACL_MASK)
			mask = e;
		else if (e->e_tag == ACL_OTHER)
			e->e_perm = mode & 7;
	}
	if (mask)
		mask->e_perm = (mode >> 3) & 7;
	else if (group)
		group->e_perm = (mode >> 3) & 7;
}

/* After a chmod of d: the access ACL follows the new mode. 0 or -errno. May sleep. */
int posix_acl_chmod(struct dentry *d)
{
	struct inode *inode = d->d_inode;
	struct posix_acl *acl = get_acl(inode, ACL_TYPE_ACCESS), *c;
	int err;

	if (IS_ERR_OR_NULL(acl))
		return acl ? (int)PTR_ERR(acl) : 0;
	c = acl_clone(acl);
	posix_acl_put(acl);
	if (!c)
		return -ENOMEM;
	acl_chmod_entries(c, inode->i_mode);
	err = acl_store(inode, ACL_TYPE_ACCESS, c);
	posix_acl_put(c);
	return err;
}

/* Linux's posix_acl_create_masq: acl limited by *mode, *mode by acl. */
static int acl_create_masq(struct posix_acl *acl, umode_t *mode_p)
{
	struct posix_acl_entry *group = NULL, *mask = NULL;
	umode_t mode = *mode_p;
	int not_equiv = 0;

	for (unsigned i = 0; i < acl->a_entries; i++) {
		struct posix_acl_entry *e = &acl->a_entry[i];

		switch (e->e_tag) {
		case ACL_USER_OBJ:
			e->e_perm &= (mode >> 6) | ~7;
			mode &= (umode_t)((e->e_perm << 6) | ~0700);
			break;
		case ACL_GROUP_OBJ:
			group = e;
			break;
		case ACL_OTHER:
			e->e_perm &= mode | ~7;
			mode &= (umode_t)(e->e_perm | ~07);
			break;
		case ACL_MASK:
			mask = e;
			not_equiv = 1;
			break;
		default:
			not_equiv = 1;
			break;
		}
	}
	if (mask == NULL)
		mask = group;
	if (mask == NULL)
		return -EIO;
	mask->e_perm &= (mode >> 3) | ~7;
	mode &= (umode_t)((mask->e_perm << 3) | ~070);
	*mode_p = (umode_t)((*mode_p & ~0777) | mode);
	return not_equiv;
}

/*
 * Before creating a mode (file type included) object in dir: without a
 * default ACL on dir, *mode loses the umask; with one, *mode is limited
 * by it instead and *acl, *dacl get what the new inode inherits (access
 * ACL unless the mode says it all; the default ACL for a directory).
 * 0 or -ENOMEM, -EIO.  May sleep.
 */
int posix_acl_prepare(struct inode *dir, umode_t *mode, umode_t umask,
		      struct posix_acl **acl, struct posix_acl **dacl)
{
	struct posix_acl *p = NULL, *c;
	int ret;

	*acl = *dacl = NULL;
	if (!S_ISLNK(*mode))
		p = get_acl(dir, ACL_TYPE_DEFAULT);
	if (IS_ERR(p))
		return (int)PTR_ERR(p);
	if (p == NULL) {
		*mode &= (umode_t)~umask;
		return 0;
	}
	c = acl_clone(p);
	if (!c) {
		posix_acl_put(p);
		return -ENOMEM;
	}
	ret = acl_create_masq(c, mode);
	if (ret <= 0) {
		posix_acl_put(c);
		c = NULL;
	}
	if (ret < 0) {
		posix_acl_put(p);
		return ret;
	}
	*acl = c;
	if (S_ISDIR(*mode))
		*dacl = p;
	else
		posix_acl_put(p);
	return 0;
}

/*
 * Gives a new inode the ACLs posix_acl_prepare chose and drops the
 * references.  A failure to store them leaves the inode with its mode,
 * which posix_acl_prepare already limited.  May sleep.
 */
void posix_acl_inherit(struct inode *inode, struct posix_acl *acl, struct posix_acl *dacl)
{
	if (!IS_ERR_OR_NULL(inode) && inode->i_sb->s_xattr) {
		if (acl)
			acl_store(inode, ACL_TYPE_ACCESS, acl);
		if (dacl)
			acl_store(inode, ACL_TYPE_DEFAULT, dacl);
	}
	posix_acl_put(acl);
	posix_acl_put(dacl);
}
