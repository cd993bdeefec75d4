/*
 * uapi/linux/futex.h - <linux/futex.h>: futex operations and flags, and the
 * robust-list structures the kernel reads from guests at thread exit.
 * The layouts checked here against the x86_64 ABI (sizes and offsets
 * worked out from the declarations: three pointers, a long between).
 */
#ifndef UAPI_LINUX_FUTEX_H
#define UAPI_LINUX_FUTEX_H

#include <stddef.h>
#include <linux/futex.h>

_Static_assert(sizeof(struct robust_list) == 8, "struct robust_list (<linux/futex.h>): 8 bytes");
_Static_assert(sizeof(struct robust_list_head) == 24, "struct robust_list_head (<linux/futex.h>): 24 bytes");
_Static_assert(offsetof(struct robust_list_head, list) == 0, "struct robust_list_head.list (<linux/futex.h>) at 0");
_Static_assert(offsetof(struct robust_list_head, futex_offset) == 8, "struct robust_list_head.futex_offset (<linux/futex.h>) at 8");
_Static_assert(offsetof(struct robust_list_head, list_op_pending) == 16, "struct robust_list_head.list_op_pending (<linux/futex.h>) at 16");

#endif
