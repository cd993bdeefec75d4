/*
 * uapi/linux/sysinfo.h - <linux/sysinfo.h>: sysinfo(2)'s struct sysinfo.
 * The layouts the kernel copies to or from guests, checked here against
 * the x86_64 ABI (sizes and offsets worked out from the declarations).
 */
#ifndef UAPI_LINUX_SYSINFO_H
#define UAPI_LINUX_SYSINFO_H

#include <stddef.h>
#include <linux/sysinfo.h>

_Static_assert(sizeof(struct sysinfo) == 112, "struct sysinfo (<linux/sysinfo.h>): 112 bytes");
_Static_assert(offsetof(struct sysinfo, uptime) == 0, "struct sysinfo.uptime (<linux/sysinfo.h>) at 0");
_Static_assert(offsetof(struct sysinfo, loads) == 8, "struct sysinfo.loads (<linux/sysinfo.h>) at 8");
_Static_assert(offsetof(struct sysinfo, totalram) == 32, "struct sysinfo.totalram (<linux/sysinfo.h>) at 32");
_Static_assert(offsetof(struct sysinfo, freeram) == 40, "struct sysinfo.freeram (<linux/sysinfo.h>) at 40");
_Static_assert(offsetof(struct sysinfo, sharedram) == 48, "struct sysinfo.sharedram (<linux/sysinfo.h>) at 48");
_Static_assert(offsetof(struct sysinfo, bufferram) == 56, "struct sysinfo.bufferram (<linux/sysinfo.h>) at 56");
_Static_assert(offsetof(struct sysinfo, totalswap) == 64, "struct sysinfo.totalswap (<linux/sysinfo.h>) at 64");
_Static_assert(offsetof(struct sysinfo, freeswap) == 72, "struct sysinfo.freeswap (<linux/sysinfo.h>) at 72");
_Static_assert(offsetof(struct sysinfo, procs) == 80, "struct sysinfo.procs (<linux/sysinfo.h>) at 80");
_Static_assert(offsetof(struct sysinfo, totalhigh) == 88, "struct sysinfo.totalhigh (<linux/sysinfo.h>) at 88");
_Static_assert(offsetof(struct sysinfo, freehigh) == 96, "struct sysinfo.freehigh (<linux/sysinfo.h>) at 96");
_Static_assert(offsetof(struct sysinfo, mem_unit) == 104, "struct sysinfo.mem_unit (<linux/sysinfo.h>) at 104");

#endif
