/*
 * uapi/linux/fcntl.h - <linux/fcntl.h>: the O_*, F_* and AT_* numbers, struct flock of F_GETLK/F_SETLK,
 * struct open_how of openat2 (<linux/openat2.h>, which it includes).
 * The layouts the kernel copies to or from guests, checked here against
 * the x86_64 ABI (sizes and offsets worked out from the declarations).
 */
#ifndef UAPI_LINUX_FCNTL_H
#define UAPI_LINUX_FCNTL_H

#include <stddef.h>
#include <linux/fcntl.h>

_Static_assert(sizeof(struct flock) == 32, "struct flock (<linux/fcntl.h>): 32 bytes");
_Static_assert(offsetof(struct flock, l_type) == 0, "struct flock.l_type (<linux/fcntl.h>) at 0");
_Static_assert(offsetof(struct flock, l_whence) == 2, "struct flock.l_whence (<linux/fcntl.h>) at 2");
_Static_assert(offsetof(struct flock, l_start) == 8, "struct flock.l_start (<linux/fcntl.h>) at 8");
_Static_assert(offsetof(struct flock, l_len) == 16, "struct flock.l_len (<linux/fcntl.h>) at 16");
_Static_assert(offsetof(struct flock, l_pid) == 24, "struct flock.l_pid (<linux/fcntl.h>) at 24");

_Static_assert(sizeof(struct f_owner_ex) == 8, "struct f_owner_ex (<asm-generic/fcntl.h>): 8 bytes");
_Static_assert(offsetof(struct f_owner_ex, type) == 0, "struct f_owner_ex.type at 0");
_Static_assert(offsetof(struct f_owner_ex, pid) == 4, "struct f_owner_ex.pid at 4");
_Static_assert(sizeof(struct open_how) == 24, "struct open_how (<linux/openat2.h>): 24 bytes");
_Static_assert(offsetof(struct open_how, flags) == 0, "struct open_how.flags at 0");
_Static_assert(offsetof(struct open_how, mode) == 8, "struct open_how.mode at 8");
_Static_assert(offsetof(struct open_how, resolve) == 16, "struct open_how.resolve at 16");

#endif
