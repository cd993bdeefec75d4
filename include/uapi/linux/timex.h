/*
 * uapi/linux/timex.h - <linux/timex.h>: adjtimex(2)'s struct __kernel_timex
 * and its ADJ_ / STA_ / TIME_ values.
 */
#ifndef UAPI_LINUX_TIMEX_H
#define UAPI_LINUX_TIMEX_H

#include <stddef.h>
#include <linux/timex.h>

_Static_assert(sizeof(struct __kernel_timex) == 208, "struct __kernel_timex (<linux/timex.h>): 208 bytes");
_Static_assert(offsetof(struct __kernel_timex, status) == 40, "__kernel_timex.status at 40");
_Static_assert(offsetof(struct __kernel_timex, time) == 72, "__kernel_timex.time at 72");
_Static_assert(offsetof(struct __kernel_timex, tick) == 88, "__kernel_timex.tick at 88");
_Static_assert(offsetof(struct __kernel_timex, tai) == 160, "__kernel_timex.tai at 160");

#endif
