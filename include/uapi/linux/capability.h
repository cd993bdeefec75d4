/*
 * uapi/linux/capability.h - <linux/capability.h>: capget/capset's header
 * and data, the versions and CAP_LAST_CAP; security.capability's
 * vfs_cap_data (v2) and vfs_ns_cap_data (v3).
 */
#ifndef UAPI_LINUX_CAPABILITY_H
#define UAPI_LINUX_CAPABILITY_H

#include <stddef.h>
#include <linux/capability.h>

_Static_assert(sizeof(struct vfs_cap_data) == XATTR_CAPS_SZ_2, "vfs_cap_data (security.capability v2): 20 bytes");
_Static_assert(sizeof(struct vfs_ns_cap_data) == XATTR_CAPS_SZ_3, "vfs_ns_cap_data (v3): 24 bytes");
_Static_assert(offsetof(struct vfs_ns_cap_data, rootid) == 20, "vfs_ns_cap_data.rootid at 20");
_Static_assert(sizeof(struct __user_cap_header_struct) == 8, "cap header (<linux/capability.h>): 8 bytes");
_Static_assert(offsetof(struct __user_cap_header_struct, pid) == 4, "cap header.pid at 4");
_Static_assert(sizeof(struct __user_cap_data_struct) == 12, "cap data (<linux/capability.h>): 12 bytes");
_Static_assert(offsetof(struct __user_cap_data_struct, permitted) == 4, "cap data.permitted at 4");
_Static_assert(offsetof(struct __user_cap_data_struct, inheritable) == 8, "cap data.inheritable at 8");

#endif
