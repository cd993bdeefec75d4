/* types.h - kernel scalar types.  Freestanding: no libc. */
#ifndef KERNEL_TYPES_H
#define KERNEL_TYPES_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdarg.h>
#include "uapi/linux/types.h"

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;
typedef long ssize_t;
typedef long long loff_t;
typedef int pid_t;
typedef unsigned int uid_t;
typedef unsigned int gid_t;
typedef unsigned int umode_t;
typedef unsigned int dev_t;	/* kernel encoding: MKDEV(major, minor) */

/*
 * A guest virtual address.  Deliberately not a pointer: the kernel can
 * only reach guest memory through copy_{from,to}_user.  Make one from a raw
 * syscall word or a computed address with UADDR(x); read its value with
 * uaddr_val(p); move within guest memory with uaddr_off()/uaddr_index(),
 * which saturate to UADDR_FAULT (never mapped: copies give -EFAULT) on
 * overflow instead of wrapping.
 */
typedef struct { uint64_t addr; } uaddr_t;

#define UADDR(x)	((uaddr_t){ (uint64_t)(x) })
#define UADDR_FAULT	UADDR(~0ULL)
#define UADDR_NULL	UADDR(0)

static inline uint64_t uaddr_val(uaddr_t p)
{
	return p.addr;
}

static inline bool uaddr_is_null(uaddr_t p)
{
	return uaddr_val(p) == 0;
}

/* p + off, or UADDR_FAULT when that wraps. */
static inline uaddr_t uaddr_off(uaddr_t p, uint64_t off)
{
	uint64_t r;

	if (__builtin_add_overflow(uaddr_val(p), off, &r))
		return UADDR_FAULT;
	return UADDR(r);
}

/* &p[i] for elements of size sz, or UADDR_FAULT when that overflows. */
static inline uaddr_t uaddr_index(uaddr_t p, uint64_t i, uint64_t sz)
{
	uint64_t off;

	if (__builtin_mul_overflow(i, sz, &off))
		return UADDR_FAULT;
	return uaddr_off(p, off);
}

#define MINORBITS	20
#define MKDEV(ma, mi)	(((dev_t)(ma) << MINORBITS) | (mi))
#define MAJOR(d)	((unsigned)((d) >> MINORBITS))
#define MINOR(d)	((unsigned)((d) & ((1U << MINORBITS) - 1)))
/* The encoding stat(2) reports (glibc's gnu_dev_makedev). */
static inline u64 dev_to_user(dev_t d)
{
	u64 ma = MAJOR(d), mi = MINOR(d);
	return (mi & 0xff) | ((ma & 0xfff) << 8) | ((mi & ~0xffULL) << 12) |
	       ((ma & ~0xfffULL) << 32);
}

#endif
