/*
 * uapi/linux/stat.h - <linux/stat.h>: statx(2)'s struct statx and the S_* mode bits.
 * The layouts the kernel copies to or from guests, checked here against
 * the x86_64 ABI (sizes and offsets worked out from the declarations).
 */
#ifndef UAPI_LINUX_STAT_H
#define UAPI_LINUX_STAT_H

#include <stddef.h>
#include <linux/stat.h>

_Static_assert(sizeof(struct statx_timestamp) == 16, "struct statx_timestamp (<linux/stat.h>): 16 bytes");
_Static_assert(offsetof(struct statx_timestamp, tv_sec) == 0, "struct statx_timestamp.tv_sec (<linux/stat.h>) at 0");
_Static_assert(offsetof(struct statx_timestamp, tv_nsec) == 8, "struct statx_timestamp.tv_nsec (<linux/stat.h>) at 8");
_Static_assert(sizeof(struct statx) == 256, "struct statx (<linux/stat.h>): 256 bytes");
_Static_assert(offsetof(struct statx, stx_mask) == 0, "struct statx.stx_mask (<linux/stat.h>) at 0");
_Static_assert(offsetof(struct statx, stx_blksize) == 4, "struct statx.stx_blksize (<linux/stat.h>) at 4");
_Static_assert(offsetof(struct statx, stx_attributes) == 8, "struct statx.stx_attributes (<linux/stat.h>) at 8");
_Static_assert(offsetof(struct statx, stx_nlink) == 16, "struct statx.stx_nlink (<linux/stat.h>) at 16");
_Static_assert(offsetof(struct statx, stx_uid) == 20, "struct statx.stx_uid (<linux/stat.h>) at 20");
_Static_assert(offsetof(struct statx, stx_gid) == 24, "struct statx.stx_gid (<linux/stat.h>) at 24");
_Static_assert(offsetof(struct statx, stx_mode) == 28, "struct statx.stx_mode (<linux/stat.h>) at 28");
_Static_assert(offsetof(struct statx, stx_ino) == 32, "struct statx.stx_ino (<linux/stat.h>) at 32");
_Static_assert(offsetof(struct statx, stx_size) == 40, "struct statx.stx_size (<linux/stat.h>) at 40");
_Static_assert(offsetof(struct statx, stx_blocks) == 48, "struct statx.stx_blocks (<linux/stat.h>) at 48");
_Static_assert(offsetof(struct statx, stx_attributes_mask) == 56, "struct statx.stx_attributes_mask (<linux/stat.h>) at 56");
_Static_assert(offsetof(struct statx, stx_atime) == 64, "struct statx.stx_atime (<linux/stat.h>) at 64");
_Static_assert(offsetof(struct statx, stx_btime) == 80, "struct statx.stx_btime (<linux/stat.h>) at 80");
_Static_assert(offsetof(struct statx, stx_ctime) == 96, "struct statx.stx_ctime (<linux/stat.h>) at 96");
_Static_assert(offsetof(struct statx, stx_mtime) == 112, "struct statx.stx_mtime (<linux/stat.h>) at 112");
_Static_assert(offsetof(struct statx, stx_rdev_major) == 128, "struct statx.stx_rdev_major (<linux/stat.h>) at 128");
_Static_assert(offsetof(struct statx, stx_rdev_minor) == 132, "struct statx.stx_rdev_minor (<linux/stat.h>) at 132");
_Static_assert(offsetof(struct statx, stx_dev_major) == 136, "struct statx.stx_dev_major (<linux/stat.h>) at 136");
_Static_assert(offsetof(struct statx, stx_dev_minor) == 140, "struct statx.stx_dev_minor (<linux/stat.h>) at 140");
_Static_assert(offsetof(struct statx, stx_mnt_id) == 144, "struct statx.stx_mnt_id (<linux/stat.h>) at 144");

#endif
