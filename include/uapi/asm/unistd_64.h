/*
 * uapi/asm/unistd_64.h - <asm/unistd_64.h>: the x86_64 syscall numbers.
 * Numbers only: no structure of it crosses to a guest.
 */
#ifndef UAPI_ASM_UNISTD_64_H
#define UAPI_ASM_UNISTD_64_H

#include <asm/unistd_64.h>

#endif
