/*
 * uapi/asm-generic/poll.h - <asm-generic/poll.h>: poll(2)'s struct pollfd and the POLL* bits.
 * The layouts the kernel copies to or from guests, checked here against
 * the x86_64 ABI (sizes and offsets worked out from the declarations).
 */
#ifndef UAPI_ASM_GENERIC_POLL_H
#define UAPI_ASM_GENERIC_POLL_H

#include <stddef.h>
#include <asm-generic/poll.h>

_Static_assert(sizeof(struct pollfd) == 8, "struct pollfd (<asm-generic/poll.h>): 8 bytes");
_Static_assert(offsetof(struct pollfd, fd) == 0, "struct pollfd.fd (<asm-generic/poll.h>) at 0");
_Static_assert(offsetof(struct pollfd, events) == 4, "struct pollfd.events (<asm-generic/poll.h>) at 4");
_Static_assert(offsetof(struct pollfd, revents) == 6, "struct pollfd.revents (<asm-generic/poll.h>) at 6");

#endif
