/*
 * uapi/linux/types.h - <linux/types.h>: the __u8..__u64 and __kernel_* scalar types.
 * Numbers only: no structure of it crosses to a guest.
 */
#ifndef UAPI_LINUX_TYPES_H
#define UAPI_LINUX_TYPES_H

#include <linux/types.h>

#endif
