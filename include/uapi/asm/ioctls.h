/*
 * uapi/asm/ioctls.h - <asm/ioctls.h>: the terminal ioctl numbers.
 * Numbers only: no structure of it crosses to a guest.
 */
#ifndef UAPI_ASM_IOCTLS_H
#define UAPI_ASM_IOCTLS_H

#include <asm/ioctls.h>

#endif
