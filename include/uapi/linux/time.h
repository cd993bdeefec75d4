/*
 * uapi/linux/time.h - <linux/time.h>: struct timespec, timeval, itimerspec, itimerval, timezone.
 * The layouts the kernel copies to or from guests, checked here against
 * the x86_64 ABI (sizes and offsets worked out from the declarations).
 */
#ifndef UAPI_LINUX_TIME_H
#define UAPI_LINUX_TIME_H

#include <stddef.h>
#include <linux/time.h>

_Static_assert(sizeof(struct timespec) == 16, "struct timespec (<linux/time.h>): 16 bytes");
_Static_assert(offsetof(struct timespec, tv_sec) == 0, "struct timespec.tv_sec (<linux/time.h>) at 0");
_Static_assert(offsetof(struct timespec, tv_nsec) == 8, "struct timespec.tv_nsec (<linux/time.h>) at 8");
_Static_assert(sizeof(struct timeval) == 16, "struct timeval (<linux/time.h>): 16 bytes");
_Static_assert(offsetof(struct timeval, tv_sec) == 0, "struct timeval.tv_sec (<linux/time.h>) at 0");
_Static_assert(offsetof(struct timeval, tv_usec) == 8, "struct timeval.tv_usec (<linux/time.h>) at 8");
_Static_assert(sizeof(struct itimerspec) == 32, "struct itimerspec (<linux/time.h>): 32 bytes");
_Static_assert(offsetof(struct itimerspec, it_interval) == 0, "struct itimerspec.it_interval (<linux/time.h>) at 0");
_Static_assert(offsetof(struct itimerspec, it_value) == 16, "struct itimerspec.it_value (<linux/time.h>) at 16");
_Static_assert(sizeof(struct itimerval) == 32, "struct itimerval (<linux/time.h>): 32 bytes");
_Static_assert(offsetof(struct itimerval, it_interval) == 0, "struct itimerval.it_interval (<linux/time.h>) at 0");
_Static_assert(offsetof(struct itimerval, it_value) == 16, "struct itimerval.it_value (<linux/time.h>) at 16");
_Static_assert(sizeof(struct timezone) == 8, "struct timezone (<linux/time.h>): 8 bytes");
_Static_assert(offsetof(struct timezone, tz_minuteswest) == 0, "struct timezone.tz_minuteswest (<linux/time.h>) at 0");
_Static_assert(offsetof(struct timezone, tz_dsttime) == 4, "struct timezone.tz_dsttime (<linux/time.h>) at 4");

#endif
