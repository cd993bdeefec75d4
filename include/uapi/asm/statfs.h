/*
 * uapi/asm/statfs.h - <asm/statfs.h>: statfs(2)'s struct statfs (asm-generic layout, 8-byte words on x86_64).
 * The layouts the kernel copies to or from guests, checked here against
 * the x86_64 ABI (sizes and offsets worked out from the declarations).
 */
#ifndef UAPI_ASM_STATFS_H
#define UAPI_ASM_STATFS_H

#include <stddef.h>
#include <asm/statfs.h>

_Static_assert(sizeof(struct statfs) == 120, "struct statfs (<asm/statfs.h>): 120 bytes");
_Static_assert(offsetof(struct statfs, f_type) == 0, "struct statfs.f_type (<asm/statfs.h>) at 0");
_Static_assert(offsetof(struct statfs, f_bsize) == 8, "struct statfs.f_bsize (<asm/statfs.h>) at 8");
_Static_assert(offsetof(struct statfs, f_blocks) == 16, "struct statfs.f_blocks (<asm/statfs.h>) at 16");
_Static_assert(offsetof(struct statfs, f_bfree) == 24, "struct statfs.f_bfree (<asm/statfs.h>) at 24");
_Static_assert(offsetof(struct statfs, f_bavail) == 32, "struct statfs.f_bavail (<asm/statfs.h>) at 32");
_Static_assert(offsetof(struct statfs, f_files) == 40, "struct statfs.f_files (<asm/statfs.h>) at 40");
_Static_assert(offsetof(struct statfs, f_ffree) == 48, "struct statfs.f_ffree (<asm/statfs.h>) at 48");
_Static_assert(offsetof(struct statfs, f_fsid) == 56, "struct statfs.f_fsid (<asm/statfs.h>) at 56");
_Static_assert(offsetof(struct statfs, f_namelen) == 64, "struct statfs.f_namelen (<asm/statfs.h>) at 64");
_Static_assert(offsetof(struct statfs, f_frsize) == 72, "struct statfs.f_frsize (<asm/statfs.h>) at 72");
_Static_assert(offsetof(struct statfs, f_flags) == 80, "struct statfs.f_flags (<asm/statfs.h>) at 80");
_Static_assert(offsetof(struct statfs, f_spare) == 88, "struct statfs.f_spare (<asm/statfs.h>) at 88");

#endif
