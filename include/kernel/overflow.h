/*
 * overflow.h - checked arithmetic for values a guest chose.
 *
 * Every length, offset, count or index that comes from a syscall
 * argument and sizes or places something goes through one of these
 * before it is used: they return true when the result does not fit
 * (Linux's check_*_overflow), and the caller then fails with the errno
 * Linux gives for that call.
 */
#ifndef KERNEL_OVERFLOW_H
#define KERNEL_OVERFLOW_H

#include "kernel/types.h"
#include "shared/stub.h"

#define check_add_overflow(a, b, d)	__builtin_add_overflow(a, b, d)
#define check_sub_overflow(a, b, d)	__builtin_sub_overflow(a, b, d)
#define check_mul_overflow(a, b, d)	__builtin_mul_overflow(a, b, d)

/*
 * Whether [addr, addr + len) lies inside the guest's address space,
 * without wrapping: Linux's access_ok(), checked before any byte of a
 * read, write or iovec segment moves.
 */
static inline bool guest_range_ok(u64 addr, u64 len)
{
	u64 end;

	return !check_add_overflow(addr, len, &end) && end <= TASK_SIZE;
}

/* Rounds len up to a whole number of pages; false when that wraps. */
static inline bool page_align_ok(u64 len, u64 *out)
{
	if (check_add_overflow(len, (u64)4095, out))
		return false;
	*out &= ~(u64)4095;
	return true;
}

/* Whether a guest number indexes a table of n entries (signed or not). */
static inline bool index_ok(s64 i, u64 n)
{
	return i >= 0 && (u64)i < n;
}

#endif
