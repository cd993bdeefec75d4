/*
 * uapi/linux/posix_acl_xattr.h - <linux/posix_acl.h> and
 * <linux/posix_acl_xattr.h>: the ACL tags and permission bits and the
 * value of the system.posix_acl_access/default attributes as guests read
 * and write them (a version header, then 8-byte entries).
 */
#ifndef UAPI_LINUX_POSIX_ACL_XATTR_H
#define UAPI_LINUX_POSIX_ACL_XATTR_H

#include <stddef.h>
#include <linux/posix_acl.h>
#include <linux/posix_acl_xattr.h>

_Static_assert(sizeof(struct posix_acl_xattr_header) == 4,
	       "struct posix_acl_xattr_header (<linux/posix_acl_xattr.h>): 4 bytes");
_Static_assert(sizeof(struct posix_acl_xattr_entry) == 8,
	       "struct posix_acl_xattr_entry (<linux/posix_acl_xattr.h>): 8 bytes");
_Static_assert(offsetof(struct posix_acl_xattr_entry, e_perm) == 2, "e_perm at 2");
_Static_assert(offsetof(struct posix_acl_xattr_entry, e_id) == 4, "e_id at 4");

#endif
