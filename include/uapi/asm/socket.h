/*
 * uapi/asm/socket.h - <asm/socket.h>: the SOL_SOCKET option numbers.
 * Numbers only: the option values cross as ints, timevals and struct
 * ucred, checked where they are declared (uapi/linux/time_types.h) or
 * copied (net/socket.c).
 */
#ifndef UAPI_ASM_SOCKET_H
#define UAPI_ASM_SOCKET_H

#include <asm/socket.h>

#endif
