/*
 * uapi/linux/seccomp.h - <linux/seccomp.h>: the stub's seccomp filter: SECCOMP_* and struct seccomp_data.
 * The layouts the kernel copies to or from guests, checked here against
 * the x86_64 ABI (sizes and offsets worked out from the declarations).
 */
#ifndef UAPI_LINUX_SECCOMP_H
#define UAPI_LINUX_SECCOMP_H

#include <stddef.h>
#include <linux/seccomp.h>

_Static_assert(sizeof(struct seccomp_data) == 64, "struct seccomp_data (<linux/seccomp.h>): 64 bytes");
_Static_assert(offsetof(struct seccomp_data, nr) == 0, "struct seccomp_data.nr (<linux/seccomp.h>) at 0");
_Static_assert(offsetof(struct seccomp_data, arch) == 4, "struct seccomp_data.arch (<linux/seccomp.h>) at 4");
_Static_assert(offsetof(struct seccomp_data, instruction_pointer) == 8, "struct seccomp_data.instruction_pointer (<linux/seccomp.h>) at 8");
_Static_assert(offsetof(struct seccomp_data, args) == 16, "struct seccomp_data.args (<linux/seccomp.h>) at 16");

#endif
