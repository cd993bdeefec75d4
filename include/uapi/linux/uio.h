/*
 * uapi/linux/uio.h - <linux/uio.h>: struct iovec of readv(2) and friends, UIO_MAXIOV.
 * The layouts the kernel copies to or from guests, checked here against
 * the x86_64 ABI (sizes and offsets worked out from the declarations).
 */
#ifndef UAPI_LINUX_UIO_H
#define UAPI_LINUX_UIO_H

#include <stddef.h>
#include <linux/uio.h>

_Static_assert(sizeof(struct iovec) == 16, "struct iovec (<linux/uio.h>): 16 bytes");
_Static_assert(offsetof(struct iovec, iov_base) == 0, "struct iovec.iov_base (<linux/uio.h>) at 0");
_Static_assert(offsetof(struct iovec, iov_len) == 8, "struct iovec.iov_len (<linux/uio.h>) at 8");

#endif
