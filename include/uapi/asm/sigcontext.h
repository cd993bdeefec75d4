/*
 * uapi/asm/sigcontext.h - <asm/sigcontext.h>: struct sigcontext (x86_64) in the signal frame, the fxsave software bytes.
 * The layouts the kernel copies to or from guests, checked here against
 * the x86_64 ABI (sizes and offsets worked out from the declarations).
 */
#ifndef UAPI_ASM_SIGCONTEXT_H
#define UAPI_ASM_SIGCONTEXT_H

#include <stddef.h>
#include <asm/sigcontext.h>

_Static_assert(sizeof(struct sigcontext) == 256, "struct sigcontext (<asm/sigcontext.h>): 256 bytes");
_Static_assert(offsetof(struct sigcontext, r8) == 0, "struct sigcontext.r8 (<asm/sigcontext.h>) at 0");
_Static_assert(offsetof(struct sigcontext, r15) == 56, "struct sigcontext.r15 (<asm/sigcontext.h>) at 56");
_Static_assert(offsetof(struct sigcontext, rdi) == 64, "struct sigcontext.rdi (<asm/sigcontext.h>) at 64");
_Static_assert(offsetof(struct sigcontext, rsi) == 72, "struct sigcontext.rsi (<asm/sigcontext.h>) at 72");
_Static_assert(offsetof(struct sigcontext, rbp) == 80, "struct sigcontext.rbp (<asm/sigcontext.h>) at 80");
_Static_assert(offsetof(struct sigcontext, rbx) == 88, "struct sigcontext.rbx (<asm/sigcontext.h>) at 88");
_Static_assert(offsetof(struct sigcontext, rdx) == 96, "struct sigcontext.rdx (<asm/sigcontext.h>) at 96");
_Static_assert(offsetof(struct sigcontext, rax) == 104, "struct sigcontext.rax (<asm/sigcontext.h>) at 104");
_Static_assert(offsetof(struct sigcontext, rcx) == 112, "struct sigcontext.rcx (<asm/sigcontext.h>) at 112");
_Static_assert(offsetof(struct sigcontext, rsp) == 120, "struct sigcontext.rsp (<asm/sigcontext.h>) at 120");
_Static_assert(offsetof(struct sigcontext, rip) == 128, "struct sigcontext.rip (<asm/sigcontext.h>) at 128");
_Static_assert(offsetof(struct sigcontext, eflags) == 136, "struct sigcontext.eflags (<asm/sigcontext.h>) at 136");
_Static_assert(offsetof(struct sigcontext, cs) == 144, "struct sigcontext.cs (<asm/sigcontext.h>) at 144");
_Static_assert(offsetof(struct sigcontext, gs) == 146, "struct sigcontext.gs (<asm/sigcontext.h>) at 146");
_Static_assert(offsetof(struct sigcontext, fs) == 148, "struct sigcontext.fs (<asm/sigcontext.h>) at 148");
_Static_assert(offsetof(struct sigcontext, ss) == 150, "struct sigcontext.ss (<asm/sigcontext.h>) at 150");
_Static_assert(offsetof(struct sigcontext, err) == 152, "struct sigcontext.err (<asm/sigcontext.h>) at 152");
_Static_assert(offsetof(struct sigcontext, trapno) == 160, "struct sigcontext.trapno (<asm/sigcontext.h>) at 160");
_Static_assert(offsetof(struct sigcontext, oldmask) == 168, "struct sigcontext.oldmask (<asm/sigcontext.h>) at 168");
_Static_assert(offsetof(struct sigcontext, cr2) == 176, "struct sigcontext.cr2 (<asm/sigcontext.h>) at 176");
_Static_assert(offsetof(struct sigcontext, fpstate) == 184, "struct sigcontext.fpstate (<asm/sigcontext.h>) at 184");
_Static_assert(offsetof(struct sigcontext, reserved1) == 192, "struct sigcontext.reserved1 (<asm/sigcontext.h>) at 192");
_Static_assert(sizeof(struct _fpx_sw_bytes) == 48, "struct _fpx_sw_bytes (<asm/sigcontext.h>): 48 bytes");
_Static_assert(offsetof(struct _fpx_sw_bytes, magic1) == 0, "struct _fpx_sw_bytes.magic1 (<asm/sigcontext.h>) at 0");
_Static_assert(offsetof(struct _fpx_sw_bytes, extended_size) == 4, "struct _fpx_sw_bytes.extended_size (<asm/sigcontext.h>) at 4");
_Static_assert(offsetof(struct _fpx_sw_bytes, xfeatures) == 8, "struct _fpx_sw_bytes.xfeatures (<asm/sigcontext.h>) at 8");
_Static_assert(offsetof(struct _fpx_sw_bytes, xstate_size) == 16, "struct _fpx_sw_bytes.xstate_size (<asm/sigcontext.h>) at 16");
_Static_assert(offsetof(struct _fpx_sw_bytes, padding) == 20, "struct _fpx_sw_bytes.padding (<asm/sigcontext.h>) at 20");

#endif
