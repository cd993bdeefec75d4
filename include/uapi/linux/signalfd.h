/*
 * uapi/linux/signalfd.h - <linux/signalfd.h>: signalfd(2)'s struct signalfd_siginfo and flags.
 * The layouts the kernel copies to or from guests, checked here against
 * the x86_64 ABI (sizes and offsets worked out from the declarations).
 */
#ifndef UAPI_LINUX_SIGNALFD_H
#define UAPI_LINUX_SIGNALFD_H

#include <stddef.h>
#include <linux/signalfd.h>

_Static_assert(sizeof(struct signalfd_siginfo) == 128, "struct signalfd_siginfo (<linux/signalfd.h>): 128 bytes");
_Static_assert(offsetof(struct signalfd_siginfo, ssi_signo) == 0, "struct signalfd_siginfo.ssi_signo (<linux/signalfd.h>) at 0");
_Static_assert(offsetof(struct signalfd_siginfo, ssi_errno) == 4, "struct signalfd_siginfo.ssi_errno (<linux/signalfd.h>) at 4");
_Static_assert(offsetof(struct signalfd_siginfo, ssi_code) == 8, "struct signalfd_siginfo.ssi_code (<linux/signalfd.h>) at 8");
_Static_assert(offsetof(struct signalfd_siginfo, ssi_pid) == 12, "struct signalfd_siginfo.ssi_pid (<linux/signalfd.h>) at 12");
_Static_assert(offsetof(struct signalfd_siginfo, ssi_uid) == 16, "struct signalfd_siginfo.ssi_uid (<linux/signalfd.h>) at 16");
_Static_assert(offsetof(struct signalfd_siginfo, ssi_fd) == 20, "struct signalfd_siginfo.ssi_fd (<linux/signalfd.h>) at 20");
_Static_assert(offsetof(struct signalfd_siginfo, ssi_tid) == 24, "struct signalfd_siginfo.ssi_tid (<linux/signalfd.h>) at 24");
_Static_assert(offsetof(struct signalfd_siginfo, ssi_band) == 28, "struct signalfd_siginfo.ssi_band (<linux/signalfd.h>) at 28");
_Static_assert(offsetof(struct signalfd_siginfo, ssi_overrun) == 32, "struct signalfd_siginfo.ssi_overrun (<linux/signalfd.h>) at 32");
_Static_assert(offsetof(struct signalfd_siginfo, ssi_trapno) == 36, "struct signalfd_siginfo.ssi_trapno (<linux/signalfd.h>) at 36");
_Static_assert(offsetof(struct signalfd_siginfo, ssi_status) == 40, "struct signalfd_siginfo.ssi_status (<linux/signalfd.h>) at 40");
_Static_assert(offsetof(struct signalfd_siginfo, ssi_int) == 44, "struct signalfd_siginfo.ssi_int (<linux/signalfd.h>) at 44");
_Static_assert(offsetof(struct signalfd_siginfo, ssi_ptr) == 48, "struct signalfd_siginfo.ssi_ptr (<linux/signalfd.h>) at 48");
_Static_assert(offsetof(struct signalfd_siginfo, ssi_utime) == 56, "struct signalfd_siginfo.ssi_utime (<linux/signalfd.h>) at 56");
_Static_assert(offsetof(struct signalfd_siginfo, ssi_stime) == 64, "struct signalfd_siginfo.ssi_stime (<linux/signalfd.h>) at 64");
_Static_assert(offsetof(struct signalfd_siginfo, ssi_addr) == 72, "struct signalfd_siginfo.ssi_addr (<linux/signalfd.h>) at 72");
_Static_assert(offsetof(struct signalfd_siginfo, ssi_addr_lsb) == 80, "struct signalfd_siginfo.ssi_addr_lsb (<linux/signalfd.h>) at 80");
_Static_assert(offsetof(struct signalfd_siginfo, ssi_syscall) == 84, "struct signalfd_siginfo.ssi_syscall (<linux/signalfd.h>) at 84");
_Static_assert(offsetof(struct signalfd_siginfo, ssi_call_addr) == 88, "struct signalfd_siginfo.ssi_call_addr (<linux/signalfd.h>) at 88");
_Static_assert(offsetof(struct signalfd_siginfo, ssi_arch) == 96, "struct signalfd_siginfo.ssi_arch (<linux/signalfd.h>) at 96");

#endif
