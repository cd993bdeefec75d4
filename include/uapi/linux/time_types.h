/*
 * uapi/linux/time_types.h - <linux/time_types.h>: the __kernel_ time structures of the time syscalls.
 * The layouts the kernel copies to or from guests, checked here against
 * the x86_64 ABI (sizes and offsets worked out from the declarations).
 */
#ifndef UAPI_LINUX_TIME_TYPES_H
#define UAPI_LINUX_TIME_TYPES_H

#include <stddef.h>
#include <linux/time_types.h>

_Static_assert(sizeof(struct __kernel_timespec) == 16, "struct __kernel_timespec (<linux/time_types.h>): 16 bytes");
_Static_assert(offsetof(struct __kernel_timespec, tv_sec) == 0, "struct __kernel_timespec.tv_sec (<linux/time_types.h>) at 0");
_Static_assert(offsetof(struct __kernel_timespec, tv_nsec) == 8, "struct __kernel_timespec.tv_nsec (<linux/time_types.h>) at 8");
_Static_assert(sizeof(struct __kernel_itimerspec) == 32, "struct __kernel_itimerspec (<linux/time_types.h>): 32 bytes");
_Static_assert(offsetof(struct __kernel_itimerspec, it_interval) == 0, "struct __kernel_itimerspec.it_interval (<linux/time_types.h>) at 0");
_Static_assert(offsetof(struct __kernel_itimerspec, it_value) == 16, "struct __kernel_itimerspec.it_value (<linux/time_types.h>) at 16");
_Static_assert(sizeof(struct __kernel_old_timeval) == 16, "struct __kernel_old_timeval (<linux/time_types.h>): 16 bytes");
_Static_assert(offsetof(struct __kernel_old_timeval, tv_sec) == 0, "struct __kernel_old_timeval.tv_sec (<linux/time_types.h>) at 0");
_Static_assert(offsetof(struct __kernel_old_timeval, tv_usec) == 8, "struct __kernel_old_timeval.tv_usec (<linux/time_types.h>) at 8");
_Static_assert(sizeof(struct __kernel_old_timespec) == 16, "struct __kernel_old_timespec (<linux/time_types.h>): 16 bytes");
_Static_assert(offsetof(struct __kernel_old_timespec, tv_sec) == 0, "struct __kernel_old_timespec.tv_sec (<linux/time_types.h>) at 0");
_Static_assert(offsetof(struct __kernel_old_timespec, tv_nsec) == 8, "struct __kernel_old_timespec.tv_nsec (<linux/time_types.h>) at 8");
_Static_assert(sizeof(struct __kernel_old_itimerval) == 32, "struct __kernel_old_itimerval (<linux/time_types.h>): 32 bytes");
_Static_assert(offsetof(struct __kernel_old_itimerval, it_interval) == 0, "struct __kernel_old_itimerval.it_interval (<linux/time_types.h>) at 0");
_Static_assert(offsetof(struct __kernel_old_itimerval, it_value) == 16, "struct __kernel_old_itimerval.it_value (<linux/time_types.h>) at 16");

#endif
