/*
 * uapi/linux/xattr.h - <linux/xattr.h>: the XATTR_* flags.
 * Numbers only: no structure of it crosses to a guest.
 */
#ifndef UAPI_LINUX_XATTR_H
#define UAPI_LINUX_XATTR_H

#include <linux/xattr.h>

#endif
