/*
 * uapi/linux/sched_types.h - <linux/sched/types.h>: struct sched_attr of
 * sched_setattr(2)/sched_getattr(2), checked against the x86_64 ABI
 * (SCHED_ATTR_SIZE_VER0 48 bytes, VER1 56 with the utilization clamps).
 */
#ifndef UAPI_LINUX_SCHED_TYPES_H
#define UAPI_LINUX_SCHED_TYPES_H

#include <stddef.h>
#include <linux/sched/types.h>

#define SCHED_ATTR_SIZE_VER0	48
#define SCHED_ATTR_SIZE_VER1	56

_Static_assert(sizeof(struct sched_attr) == SCHED_ATTR_SIZE_VER1, "struct sched_attr: 56 bytes");
_Static_assert(offsetof(struct sched_attr, sched_flags) == 8, "struct sched_attr.sched_flags at 8");
_Static_assert(offsetof(struct sched_attr, sched_nice) == 16, "struct sched_attr.sched_nice at 16");
_Static_assert(offsetof(struct sched_attr, sched_priority) == 20, "struct sched_attr.sched_priority at 20");
_Static_assert(offsetof(struct sched_attr, sched_runtime) == 24, "struct sched_attr.sched_runtime at 24");
_Static_assert(offsetof(struct sched_attr, sched_deadline) == 32, "struct sched_attr.sched_deadline at 32");
_Static_assert(offsetof(struct sched_attr, sched_period) == 40, "struct sched_attr.sched_period at 40");
_Static_assert(offsetof(struct sched_attr, sched_util_min) == 48, "struct sched_attr.sched_util_min at 48");

#endif
