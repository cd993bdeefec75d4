/*
 * uapi/linux/socket.h - <linux/socket.h>: struct __kernel_sockaddr_storage and sa_family_t.
 * The layouts the kernel copies to or from guests, checked here against
 * the x86_64 ABI (sizes and offsets worked out from the declarations).
 */
#ifndef UAPI_LINUX_SOCKET_H
#define UAPI_LINUX_SOCKET_H

#include <stddef.h>
#include <linux/socket.h>

_Static_assert(sizeof(struct __kernel_sockaddr_storage) == 128, "struct __kernel_sockaddr_storage (<linux/socket.h>): 128 bytes");
_Static_assert(offsetof(struct __kernel_sockaddr_storage, ss_family) == 0, "struct __kernel_sockaddr_storage.ss_family (<linux/socket.h>) at 0");

#endif
