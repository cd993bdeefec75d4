/*
 * uapi/asm-generic/errno.h - <asm-generic/errno.h>: the errno values.
 * Numbers only: no structure of it crosses to a guest.
 */
#ifndef UAPI_ASM_GENERIC_ERRNO_H
#define UAPI_ASM_GENERIC_ERRNO_H

#include <asm-generic/errno.h>

#endif
