/*
 * uapi/linux/utime.h - <linux/utime.h>: utime(2)'s struct utimbuf.
 * The layouts the kernel copies to or from guests, checked here against
 * the x86_64 ABI (sizes and offsets worked out from the declarations).
 */
#ifndef UAPI_LINUX_UTIME_H
#define UAPI_LINUX_UTIME_H

#include <stddef.h>
#include <linux/utime.h>

_Static_assert(sizeof(struct utimbuf) == 16, "struct utimbuf (<linux/utime.h>): 16 bytes");
_Static_assert(offsetof(struct utimbuf, actime) == 0, "struct utimbuf.actime (<linux/utime.h>) at 0");
_Static_assert(offsetof(struct utimbuf, modtime) == 8, "struct utimbuf.modtime (<linux/utime.h>) at 8");

#endif
