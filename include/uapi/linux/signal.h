/*
 * uapi/linux/signal.h - <linux/signal.h>: the signal numbers, sigset_t, stack_t, SA_* and SS_* flags.
 * The layouts the kernel copies to or from guests, checked here against
 * the x86_64 ABI (sizes and offsets worked out from the declarations).
 */
#ifndef UAPI_LINUX_SIGNAL_H
#define UAPI_LINUX_SIGNAL_H

#include <stddef.h>
#include <linux/signal.h>

_Static_assert(sizeof(stack_t) == 24, "stack_t (<linux/signal.h>): 24 bytes");
_Static_assert(offsetof(stack_t, ss_sp) == 0, "stack_t.ss_sp (<linux/signal.h>) at 0");
_Static_assert(offsetof(stack_t, ss_flags) == 8, "stack_t.ss_flags (<linux/signal.h>) at 8");
_Static_assert(offsetof(stack_t, ss_size) == 16, "stack_t.ss_size (<linux/signal.h>) at 16");
_Static_assert(sizeof(sigset_t) == 8, "sigset_t (<linux/signal.h>): 8 bytes");

#endif
