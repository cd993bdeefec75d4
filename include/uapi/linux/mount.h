/*
 * uapi/linux/mount.h - <linux/mount.h>: the MS_* mount flags.
 * Numbers only: no structure of it crosses to a guest.
 */
#ifndef UAPI_LINUX_MOUNT_H
#define UAPI_LINUX_MOUNT_H

#include <linux/mount.h>

#endif
