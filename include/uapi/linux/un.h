/*
 * uapi/linux/un.h - <linux/un.h>: struct sockaddr_un of AF_UNIX sockets.
 * The layouts the kernel copies to or from guests, checked here against
 * the x86_64 ABI (sizes and offsets worked out from the declarations).
 */
#ifndef UAPI_LINUX_UN_H
#define UAPI_LINUX_UN_H

#include <stddef.h>
#include <linux/un.h>

_Static_assert(sizeof(struct sockaddr_un) == 110, "struct sockaddr_un (<linux/un.h>): 110 bytes");
_Static_assert(offsetof(struct sockaddr_un, sun_family) == 0, "struct sockaddr_un.sun_family (<linux/un.h>) at 0");
_Static_assert(offsetof(struct sockaddr_un, sun_path) == 2, "struct sockaddr_un.sun_path (<linux/un.h>) at 2");

#endif
