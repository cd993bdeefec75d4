/*
 * uapi/linux/sched.h - <linux/sched.h>: the CLONE_* flags and clone3(2)'s struct clone_args.
 * The layouts the kernel copies to or from guests, checked here against
 * the x86_64 ABI (sizes and offsets worked out from the declarations).
 */
#ifndef UAPI_LINUX_SCHED_H
#define UAPI_LINUX_SCHED_H

#include <stddef.h>
#include <linux/sched.h>

_Static_assert(sizeof(struct clone_args) == 88, "struct clone_args (<linux/sched.h>): 88 bytes");
_Static_assert(offsetof(struct clone_args, flags) == 0, "struct clone_args.flags (<linux/sched.h>) at 0");
_Static_assert(offsetof(struct clone_args, pidfd) == 8, "struct clone_args.pidfd (<linux/sched.h>) at 8");
_Static_assert(offsetof(struct clone_args, child_tid) == 16, "struct clone_args.child_tid (<linux/sched.h>) at 16");
_Static_assert(offsetof(struct clone_args, parent_tid) == 24, "struct clone_args.parent_tid (<linux/sched.h>) at 24");
_Static_assert(offsetof(struct clone_args, exit_signal) == 32, "struct clone_args.exit_signal (<linux/sched.h>) at 32");
_Static_assert(offsetof(struct clone_args, stack) == 40, "struct clone_args.stack (<linux/sched.h>) at 40");
_Static_assert(offsetof(struct clone_args, stack_size) == 48, "struct clone_args.stack_size (<linux/sched.h>) at 48");
_Static_assert(offsetof(struct clone_args, tls) == 56, "struct clone_args.tls (<linux/sched.h>) at 56");
_Static_assert(offsetof(struct clone_args, set_tid) == 64, "struct clone_args.set_tid (<linux/sched.h>) at 64");
_Static_assert(offsetof(struct clone_args, set_tid_size) == 72, "struct clone_args.set_tid_size (<linux/sched.h>) at 72");
_Static_assert(offsetof(struct clone_args, cgroup) == 80, "struct clone_args.cgroup (<linux/sched.h>) at 80");

#endif
