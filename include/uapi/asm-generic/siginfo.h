/*
 * uapi/asm-generic/siginfo.h - <asm-generic/siginfo.h>: siginfo_t and the si_code values.
 * The layouts the kernel copies to or from guests, checked here against
 * the x86_64 ABI (sizes and offsets worked out from the declarations).
 */
#ifndef UAPI_ASM_GENERIC_SIGINFO_H
#define UAPI_ASM_GENERIC_SIGINFO_H

#include <stddef.h>
#include <asm-generic/siginfo.h>

_Static_assert(sizeof(siginfo_t) == 128, "siginfo_t (<asm-generic/siginfo.h>): 128 bytes");
_Static_assert(offsetof(siginfo_t, si_signo) == 0, "siginfo_t.si_signo (<asm-generic/siginfo.h>) at 0");
_Static_assert(offsetof(siginfo_t, si_errno) == 4, "siginfo_t.si_errno (<asm-generic/siginfo.h>) at 4");
_Static_assert(offsetof(siginfo_t, si_code) == 8, "siginfo_t.si_code (<asm-generic/siginfo.h>) at 8");
_Static_assert(offsetof(siginfo_t, si_pid) == 16, "siginfo_t.si_pid (<asm-generic/siginfo.h>) at 16");
_Static_assert(offsetof(siginfo_t, si_uid) == 20, "siginfo_t.si_uid (<asm-generic/siginfo.h>) at 20");
_Static_assert(offsetof(siginfo_t, si_status) == 24, "siginfo_t.si_status (<asm-generic/siginfo.h>) at 24");
_Static_assert(offsetof(siginfo_t, si_utime) == 32, "siginfo_t.si_utime (<asm-generic/siginfo.h>) at 32");
_Static_assert(offsetof(siginfo_t, si_stime) == 40, "siginfo_t.si_stime (<asm-generic/siginfo.h>) at 40");
_Static_assert(offsetof(siginfo_t, si_value) == 24, "siginfo_t.si_value (<asm-generic/siginfo.h>) at 24");
_Static_assert(offsetof(siginfo_t, si_int) == 24, "siginfo_t.si_int (<asm-generic/siginfo.h>) at 24");
_Static_assert(offsetof(siginfo_t, si_addr) == 16, "siginfo_t.si_addr (<asm-generic/siginfo.h>) at 16");
_Static_assert(offsetof(siginfo_t, si_band) == 16, "siginfo_t.si_band (<asm-generic/siginfo.h>) at 16");
_Static_assert(offsetof(siginfo_t, si_fd) == 24, "siginfo_t.si_fd (<asm-generic/siginfo.h>) at 24");
_Static_assert(offsetof(siginfo_t, si_overrun) == 20, "siginfo_t.si_overrun (<asm-generic/siginfo.h>) at 20");
_Static_assert(offsetof(siginfo_t, si_tid) == 16, "siginfo_t.si_tid (the timer id) (<asm-generic/siginfo.h>) at 16");
/* struct sigevent of timer_create(2). */
_Static_assert(sizeof(struct sigevent) == 64, "struct sigevent (<asm-generic/siginfo.h>): 64 bytes");
_Static_assert(offsetof(struct sigevent, sigev_signo) == 8, "sigevent.sigev_signo at 8");
_Static_assert(offsetof(struct sigevent, sigev_notify) == 12, "sigevent.sigev_notify at 12");
_Static_assert(offsetof(struct sigevent, sigev_notify_thread_id) == 16, "sigevent._tid at 16");

#endif
