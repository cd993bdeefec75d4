/*
 * xattr.h - extended attributes and POSIX ACLs (fs/xattr.c, fs/posix_acl.c,
 * fs/simple_xattr.c).
 *
 * Layers: the syscalls and the per-namespace rules (fs/xattr.c) call a
 * filesystem's struct xattr_operations (sb->s_xattr), which store
 * (name index, suffix, value) triples: on disk (fs/ext2/xattr.c) or in
 * memory (fs/simple_xattr.c, for tmpfs).  A name is split into ext4's
 * name index and what follows the prefix ("user.foo" is index 1, "foo").
 * ACLs (fs/posix_acl.c) are the system.posix_acl_* values, in the guest
 * format (struct posix_acl_xattr_*), decoded into struct posix_acl and
 * cached on the inode for the permission check.
 */
#ifndef KERNEL_XATTR_H
#define KERNEL_XATTR_H

#include "kernel/types.h"

struct inode;
struct dentry;

/* Name indexes, ext4's numbering (fs/ext4/xattr.h), used by every backend. */
#define XATTR_INDEX_USER		1
#define XATTR_INDEX_POSIX_ACL_ACCESS	2
#define XATTR_INDEX_POSIX_ACL_DEFAULT	3
#define XATTR_INDEX_TRUSTED		4
#define XATTR_INDEX_SECURITY		6
#define XATTR_INDEX_SYSTEM		7	/* system.data (inline data) */

#define XATTR_NAME_MAX_		255
#define XATTR_SIZE_MAX_		65536
#define XATTR_LIST_MAX_		65536

/* list callback: 0 to go on; nonzero stops the walk and is returned. */
typedef int (*xattr_list_fn)(void *arg, int index, const char *name, size_t len);

/* What a filesystem with xattrs provides (sb->s_xattr). */
struct xattr_operations {
	/* Copies the value into buf, or only sizes it when size is 0:
	 * its length, -ENODATA, -ERANGE (buf too small), -EIO. May sleep. */
	int (*get)(struct inode *inode, int index, const char *name, void *buf, size_t size);
	/* Stores value (NULL: removes the name).  flags XATTR_CREATE
	 * (-EEXIST) / XATTR_REPLACE (-ENODATA); -ENOSPC when it does not
	 * fit, -EROFS, -EIO.  The VFS checked names and permissions. May sleep. */
	int (*set)(struct inode *inode, int index, const char *name, const void *value,
		   size_t size, int flags);
	/* Calls fn for every stored name. May sleep. */
	int (*list)(struct inode *inode, xattr_list_fn fn, void *arg);
};

/* fs/xattr.c: the checked operations (current's rights), kernel buffers. */
int vfs_getxattr(struct inode *inode, const char *name, void *buf, size_t size);
int vfs_setxattr(struct dentry *d, const char *name, const void *value, size_t size,
		 int flags);
int vfs_removexattr(struct dentry *d, const char *name);
bool xattr_capable(void);		/* CAP_SYS_ADMIN */

/* A file's capabilities (security.capability), as exec applies them. */
struct fcaps {
	u64 permitted, inheritable;
	bool effective;		/* the effective bit: raise them at exec */
};

int vfs_get_fcaps(struct inode *inode, struct fcaps *c);	/* 0, -ENODATA, -EINVAL */
int inode_killpriv(struct inode *inode);	/* drops security.capability */
void inode_new_nosec(struct inode *inode);	/* a new file: no capabilities to look for */

/* fs/posix_acl.c */
struct posix_acl_entry {
	u16 e_tag;
	u16 e_perm;
	u32 e_id;		/* ACL_USER, ACL_GROUP: the uid or gid */
};

/* An ACL: a reference count (the inode's cache holds one) and entries. */
struct posix_acl {
	int a_count;
	unsigned a_entries;
	struct posix_acl_entry a_entry[];
};

#define ACL_NOT_CACHED	((struct posix_acl *)-1)

struct posix_acl *get_acl(struct inode *inode, int type);	/* ref, NULL, ERR_PTR */
void posix_acl_put(struct posix_acl *acl);
void posix_acl_forget(struct inode *inode);	/* drops the cached ACLs */
int posix_acl_permission(struct inode *inode, int mask);	/* -EAGAIN: no ACL */
int posix_acl_chmod(struct dentry *d);
int posix_acl_set(struct dentry *d, int type, const void *value, size_t size);
int posix_acl_prepare(struct inode *dir, umode_t *mode, umode_t umask,
		      struct posix_acl **acl, struct posix_acl **dacl);
void posix_acl_inherit(struct inode *inode, struct posix_acl *acl, struct posix_acl *dacl);
/* For backends converting to their own formats. */
struct posix_acl *posix_acl_from_xattr(const void *value, size_t size);
int posix_acl_to_xattr(const struct posix_acl *acl, void *buf, size_t size);
struct posix_acl *posix_acl_alloc(unsigned entries);

/* fs/simple_xattr.c: attributes kept in memory (tmpfs). */
struct simple_xattrs {
	struct simple_xattr *head;
	size_t bytes;		/* names and values, for a limit */
};
int simple_xattr_get(struct simple_xattrs *xs, int index, const char *name, void *buf,
		     size_t size);
int simple_xattr_set(struct simple_xattrs *xs, int index, const char *name,
		     const void *value, size_t size, int flags);
int simple_xattr_list(struct simple_xattrs *xs, xattr_list_fn fn, void *arg);
void simple_xattrs_free(struct simple_xattrs *xs);

#endif
