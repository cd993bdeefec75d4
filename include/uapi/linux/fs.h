/*
 * uapi/linux/fs.h - <linux/fs.h>: FITRIM and its struct fstrim_range
 * (the ioctl fstrim(8) sends to a mounted filesystem).
 */
#ifndef UAPI_LINUX_FS_H
#define UAPI_LINUX_FS_H

#include <linux/fs.h>

_Static_assert(sizeof(struct fstrim_range) == 24 &&
	       __builtin_offsetof(struct fstrim_range, len) == 8 &&
	       __builtin_offsetof(struct fstrim_range, minlen) == 16,
	       "fstrim_range layout (linux/fs.h)");

#endif
