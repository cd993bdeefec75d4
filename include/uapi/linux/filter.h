/*
 * uapi/linux/filter.h - <linux/filter.h>: classic BPF: struct sock_filter and sock_fprog of the stub's filter.
 * The layouts the kernel copies to or from guests, checked here against
 * the x86_64 ABI (sizes and offsets worked out from the declarations).
 */
#ifndef UAPI_LINUX_FILTER_H
#define UAPI_LINUX_FILTER_H

#include <stddef.h>
#include <linux/filter.h>

_Static_assert(sizeof(struct sock_filter) == 8, "struct sock_filter (<linux/filter.h>): 8 bytes");
_Static_assert(offsetof(struct sock_filter, code) == 0, "struct sock_filter.code (<linux/filter.h>) at 0");
_Static_assert(offsetof(struct sock_filter, jt) == 2, "struct sock_filter.jt (<linux/filter.h>) at 2");
_Static_assert(offsetof(struct sock_filter, jf) == 3, "struct sock_filter.jf (<linux/filter.h>) at 3");
_Static_assert(offsetof(struct sock_filter, k) == 4, "struct sock_filter.k (<linux/filter.h>) at 4");
_Static_assert(sizeof(struct sock_fprog) == 16, "struct sock_fprog (<linux/filter.h>): 16 bytes");
_Static_assert(offsetof(struct sock_fprog, len) == 0, "struct sock_fprog.len (<linux/filter.h>) at 0");
_Static_assert(offsetof(struct sock_fprog, filter) == 8, "struct sock_fprog.filter (<linux/filter.h>) at 8");

#endif
