/*
 * uapi/asm/prctl.h - <asm/prctl.h>: the arch_prctl(2) codes.
 * Numbers only: no structure of it crosses to a guest.
 */
#ifndef UAPI_ASM_PRCTL_H
#define UAPI_ASM_PRCTL_H

#include <asm/prctl.h>

#endif
