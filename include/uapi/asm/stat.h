/*
 * uapi/asm/stat.h - <asm/stat.h>: the stat(2) family's struct stat (x86_64 layout).
 * The layouts the kernel copies to or from guests, checked here against
 * the x86_64 ABI (sizes and offsets worked out from the declarations).
 */
#ifndef UAPI_ASM_STAT_H
#define UAPI_ASM_STAT_H

#include <stddef.h>
#include <asm/stat.h>

_Static_assert(sizeof(struct stat) == 144, "struct stat (<asm/stat.h>): 144 bytes");
_Static_assert(offsetof(struct stat, st_dev) == 0, "struct stat.st_dev (<asm/stat.h>) at 0");
_Static_assert(offsetof(struct stat, st_ino) == 8, "struct stat.st_ino (<asm/stat.h>) at 8");
_Static_assert(offsetof(struct stat, st_nlink) == 16, "struct stat.st_nlink (<asm/stat.h>) at 16");
_Static_assert(offsetof(struct stat, st_mode) == 24, "struct stat.st_mode (<asm/stat.h>) at 24");
_Static_assert(offsetof(struct stat, st_uid) == 28, "struct stat.st_uid (<asm/stat.h>) at 28");
_Static_assert(offsetof(struct stat, st_gid) == 32, "struct stat.st_gid (<asm/stat.h>) at 32");
_Static_assert(offsetof(struct stat, st_rdev) == 40, "struct stat.st_rdev (<asm/stat.h>) at 40");
_Static_assert(offsetof(struct stat, st_size) == 48, "struct stat.st_size (<asm/stat.h>) at 48");
_Static_assert(offsetof(struct stat, st_blksize) == 56, "struct stat.st_blksize (<asm/stat.h>) at 56");
_Static_assert(offsetof(struct stat, st_blocks) == 64, "struct stat.st_blocks (<asm/stat.h>) at 64");
_Static_assert(offsetof(struct stat, st_atime) == 72, "struct stat.st_atime (<asm/stat.h>) at 72");
_Static_assert(offsetof(struct stat, st_atime_nsec) == 80, "struct stat.st_atime_nsec (<asm/stat.h>) at 80");
_Static_assert(offsetof(struct stat, st_mtime) == 88, "struct stat.st_mtime (<asm/stat.h>) at 88");
_Static_assert(offsetof(struct stat, st_mtime_nsec) == 96, "struct stat.st_mtime_nsec (<asm/stat.h>) at 96");
_Static_assert(offsetof(struct stat, st_ctime) == 104, "struct stat.st_ctime (<asm/stat.h>) at 104");
_Static_assert(offsetof(struct stat, st_ctime_nsec) == 112, "struct stat.st_ctime_nsec (<asm/stat.h>) at 112");

#endif
