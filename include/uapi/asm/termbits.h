/*
 * uapi/asm/termbits.h - <asm/termbits.h>: struct termios and termios2 of the TCGETS/TCGETS2 ioctls, the c_*flag bits.
 * The layouts the kernel copies to or from guests, checked here against
 * the x86_64 ABI (sizes and offsets worked out from the declarations).
 */
#ifndef UAPI_ASM_TERMBITS_H
#define UAPI_ASM_TERMBITS_H

#include <stddef.h>
#include <asm/termbits.h>

_Static_assert(sizeof(struct termios) == 36, "struct termios (<asm/termbits.h>): 36 bytes");
_Static_assert(offsetof(struct termios, c_iflag) == 0, "struct termios.c_iflag (<asm/termbits.h>) at 0");
_Static_assert(offsetof(struct termios, c_oflag) == 4, "struct termios.c_oflag (<asm/termbits.h>) at 4");
_Static_assert(offsetof(struct termios, c_cflag) == 8, "struct termios.c_cflag (<asm/termbits.h>) at 8");
_Static_assert(offsetof(struct termios, c_lflag) == 12, "struct termios.c_lflag (<asm/termbits.h>) at 12");
_Static_assert(offsetof(struct termios, c_line) == 16, "struct termios.c_line (<asm/termbits.h>) at 16");
_Static_assert(offsetof(struct termios, c_cc) == 17, "struct termios.c_cc (<asm/termbits.h>) at 17");
_Static_assert(sizeof(struct termios2) == 44, "struct termios2 (<asm/termbits.h>): 44 bytes");
_Static_assert(offsetof(struct termios2, c_iflag) == 0, "struct termios2.c_iflag (<asm/termbits.h>) at 0");
_Static_assert(offsetof(struct termios2, c_line) == 16, "struct termios2.c_line (<asm/termbits.h>) at 16");
_Static_assert(offsetof(struct termios2, c_cc) == 17, "struct termios2.c_cc (<asm/termbits.h>) at 17");
_Static_assert(offsetof(struct termios2, c_ispeed) == 36, "struct termios2.c_ispeed (<asm/termbits.h>) at 36");
_Static_assert(offsetof(struct termios2, c_ospeed) == 40, "struct termios2.c_ospeed (<asm/termbits.h>) at 40");

#endif
