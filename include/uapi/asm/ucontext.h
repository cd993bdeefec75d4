/*
 * uapi/asm/ucontext.h - <asm/ucontext.h>: struct ucontext (asm-generic layout) of the rt signal frame.
 * The layouts the kernel copies to or from guests, checked here against
 * the x86_64 ABI (sizes and offsets worked out from the declarations).
 */
#ifndef UAPI_ASM_UCONTEXT_H
#define UAPI_ASM_UCONTEXT_H

#include <stddef.h>
#include <linux/signal.h>
#include <asm/sigcontext.h>
#include <asm/ucontext.h>

_Static_assert(sizeof(struct ucontext) == 304, "struct ucontext (<asm/ucontext.h>): 304 bytes");
_Static_assert(offsetof(struct ucontext, uc_flags) == 0, "struct ucontext.uc_flags (<asm/ucontext.h>) at 0");
_Static_assert(offsetof(struct ucontext, uc_link) == 8, "struct ucontext.uc_link (<asm/ucontext.h>) at 8");
_Static_assert(offsetof(struct ucontext, uc_stack) == 16, "struct ucontext.uc_stack (<asm/ucontext.h>) at 16");
_Static_assert(offsetof(struct ucontext, uc_mcontext) == 40, "struct ucontext.uc_mcontext (<asm/ucontext.h>) at 40");
_Static_assert(offsetof(struct ucontext, uc_sigmask) == 296, "struct ucontext.uc_sigmask (<asm/ucontext.h>) at 296");

#endif
