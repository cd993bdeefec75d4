/*
 * uapi/linux/resource.h - <linux/resource.h>: struct rlimit, rlimit64 and rusage, the RLIMIT_* numbers.
 * The layouts the kernel copies to or from guests, checked here against
 * the x86_64 ABI (sizes and offsets worked out from the declarations).
 */
#ifndef UAPI_LINUX_RESOURCE_H
#define UAPI_LINUX_RESOURCE_H

#include <stddef.h>
#include <linux/resource.h>

_Static_assert(sizeof(struct rlimit) == 16, "struct rlimit (<linux/resource.h>): 16 bytes");
_Static_assert(offsetof(struct rlimit, rlim_cur) == 0, "struct rlimit.rlim_cur (<linux/resource.h>) at 0");
_Static_assert(offsetof(struct rlimit, rlim_max) == 8, "struct rlimit.rlim_max (<linux/resource.h>) at 8");
_Static_assert(sizeof(struct rlimit64) == 16, "struct rlimit64 (<linux/resource.h>): 16 bytes");
_Static_assert(offsetof(struct rlimit64, rlim_cur) == 0, "struct rlimit64.rlim_cur (<linux/resource.h>) at 0");
_Static_assert(offsetof(struct rlimit64, rlim_max) == 8, "struct rlimit64.rlim_max (<linux/resource.h>) at 8");
_Static_assert(sizeof(struct rusage) == 144, "struct rusage (<linux/resource.h>): 144 bytes");
_Static_assert(offsetof(struct rusage, ru_utime) == 0, "struct rusage.ru_utime (<linux/resource.h>) at 0");
_Static_assert(offsetof(struct rusage, ru_stime) == 16, "struct rusage.ru_stime (<linux/resource.h>) at 16");
_Static_assert(offsetof(struct rusage, ru_maxrss) == 32, "struct rusage.ru_maxrss (<linux/resource.h>) at 32");
_Static_assert(offsetof(struct rusage, ru_ixrss) == 40, "struct rusage.ru_ixrss (<linux/resource.h>) at 40");
_Static_assert(offsetof(struct rusage, ru_minflt) == 64, "struct rusage.ru_minflt (<linux/resource.h>) at 64");
_Static_assert(offsetof(struct rusage, ru_majflt) == 72, "struct rusage.ru_majflt (<linux/resource.h>) at 72");
_Static_assert(offsetof(struct rusage, ru_nvcsw) == 128, "struct rusage.ru_nvcsw (<linux/resource.h>) at 128");
_Static_assert(offsetof(struct rusage, ru_nivcsw) == 136, "struct rusage.ru_nivcsw (<linux/resource.h>) at 136");

#endif
