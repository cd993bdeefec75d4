/*
 * uapi/asm/unistd.h - <asm/unistd.h>: the x86_64 syscall numbers.
 * Numbers only: no structure of it crosses to a guest.
 */
#ifndef UAPI_ASM_UNISTD_H
#define UAPI_ASM_UNISTD_H

#include <asm/unistd.h>

#endif
