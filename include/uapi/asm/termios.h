/*
 * uapi/asm/termios.h - <asm/termios.h>: struct winsize of TIOCGWINSZ.
 * The layouts the kernel copies to or from guests, checked here against
 * the x86_64 ABI (sizes and offsets worked out from the declarations).
 */
#ifndef UAPI_ASM_TERMIOS_H
#define UAPI_ASM_TERMIOS_H

#include <stddef.h>
#include <asm/termios.h>

_Static_assert(sizeof(struct winsize) == 8, "struct winsize (<asm/termios.h>): 8 bytes");
_Static_assert(offsetof(struct winsize, ws_row) == 0, "struct winsize.ws_row (<asm/termios.h>) at 0");
_Static_assert(offsetof(struct winsize, ws_col) == 2, "struct winsize.ws_col (<asm/termios.h>) at 2");
_Static_assert(offsetof(struct winsize, ws_xpixel) == 4, "struct winsize.ws_xpixel (<asm/termios.h>) at 4");
_Static_assert(offsetof(struct winsize, ws_ypixel) == 6, "struct winsize.ws_ypixel (<asm/termios.h>) at 6");

#endif
