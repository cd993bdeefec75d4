/*
 * uapi/linux/times.h - <linux/times.h>: times(2)'s struct tms.
 * The layouts the kernel copies to or from guests, checked here against
 * the x86_64 ABI (sizes and offsets worked out from the declarations).
 */
#ifndef UAPI_LINUX_TIMES_H
#define UAPI_LINUX_TIMES_H

#include <stddef.h>
#include <linux/times.h>

_Static_assert(sizeof(struct tms) == 32, "struct tms (<linux/times.h>): 32 bytes");
_Static_assert(offsetof(struct tms, tms_utime) == 0, "struct tms.tms_utime (<linux/times.h>) at 0");
_Static_assert(offsetof(struct tms, tms_stime) == 8, "struct tms.tms_stime (<linux/times.h>) at 8");
_Static_assert(offsetof(struct tms, tms_cutime) == 16, "struct tms.tms_cutime (<linux/times.h>) at 16");
_Static_assert(offsetof(struct tms, tms_cstime) == 24, "struct tms.tms_cstime (<linux/times.h>) at 24");

#endif
