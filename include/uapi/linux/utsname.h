/*
 * uapi/linux/utsname.h - <linux/utsname.h>: uname(2)'s struct new_utsname.
 * The layouts the kernel copies to or from guests, checked here against
 * the x86_64 ABI (sizes and offsets worked out from the declarations).
 */
#ifndef UAPI_LINUX_UTSNAME_H
#define UAPI_LINUX_UTSNAME_H

#include <stddef.h>
#include <linux/utsname.h>

_Static_assert(sizeof(struct new_utsname) == 390, "struct new_utsname (<linux/utsname.h>): 390 bytes");
_Static_assert(offsetof(struct new_utsname, sysname) == 0, "struct new_utsname.sysname (<linux/utsname.h>) at 0");
_Static_assert(offsetof(struct new_utsname, nodename) == 65, "struct new_utsname.nodename (<linux/utsname.h>) at 65");
_Static_assert(offsetof(struct new_utsname, release) == 130, "struct new_utsname.release (<linux/utsname.h>) at 130");
_Static_assert(offsetof(struct new_utsname, version) == 195, "struct new_utsname.version (<linux/utsname.h>) at 195");
_Static_assert(offsetof(struct new_utsname, machine) == 260, "struct new_utsname.machine (<linux/utsname.h>) at 260");
_Static_assert(offsetof(struct new_utsname, domainname) == 325, "struct new_utsname.domainname (<linux/utsname.h>) at 325");

#endif
