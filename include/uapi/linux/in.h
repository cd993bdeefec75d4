/*
 * uapi/linux/in.h - <linux/in.h>: struct sockaddr_in, IPPROTO_*, the
 * IPPROTO_IP option numbers, and <linux/tcp.h>'s IPPROTO_TCP option
 * numbers (TCP_NODELAY...).  The layouts the kernel copies to or from
 * guests, checked here against the x86_64 ABI.
 */
#ifndef UAPI_LINUX_IN_H
#define UAPI_LINUX_IN_H

#include <stddef.h>
#include <linux/in.h>
#include <linux/tcp.h>

_Static_assert(sizeof(struct sockaddr_in) == 16, "struct sockaddr_in (<linux/in.h>): 16 bytes");
_Static_assert(offsetof(struct sockaddr_in, sin_family) == 0, "struct sockaddr_in.sin_family at 0");
_Static_assert(offsetof(struct sockaddr_in, sin_port) == 2, "struct sockaddr_in.sin_port at 2");
_Static_assert(offsetof(struct sockaddr_in, sin_addr) == 4, "struct sockaddr_in.sin_addr at 4");

#endif
