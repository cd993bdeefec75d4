/*
 * string.c - the kernel's own memory and string primitives.
 *
 * gcc emits calls to memcpy, memset, memmove and memcmp by itself (struct
 * copies, zeroing, loops it recognises), so those names must exist inside
 * the kernel.  They are ordinary global definitions here; the Makefile
 * links the kernel side into one relocatable object (build/kernel.o) and
 * makes these names local to it (objcopy --localize-symbol), so kernel
 * code calls these, while os-Linux and libc keep libc's own copies in the
 * same binary.  The build then fails if kernel.o still needs any symbol
 * besides os_*, the stub image and tools/kernel-undefined.allow.
 *
 * Bulk copies and fills use `rep movsb` / `rep stosb` when the CPU has
 * ERMS (fast for large sizes) or FSRM (fast for short ones too); without
 * them, 8-byte words and a byte tail.  This file is compiled with
 * -fno-builtin -fno-tree-loop-distribute-patterns so that gcc does not
 * turn its loops back into calls to the functions they implement.
 */
#include "kernel/string.h"
#include "kernel/types.h"

static bool has_erms, has_fsrm;

/* CPUID leaf 7, subleaf 0: EBX bit 9 ERMS, EDX bit 4 FSRM. */
__attribute__((constructor)) static void string_probe_cpu(void)
{
	unsigned int a = 0, b, c, d;

	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "=c"(c), "=d"(d));
	if (a < 7)
		return;
	a = 7;
	c = 0;
	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	has_erms = (b >> 9) & 1;
	has_fsrm = (d >> 4) & 1;
}

/* Whether rep movsb/stosb is the right tool for n bytes. */
static inline bool use_rep(size_t n)
{
	return has_fsrm || (has_erms && n >= 128);
}

static inline void rep_movsb(void *d, const void *s, size_t n)
{
	__asm__ volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
}

void *memcpy(void *d, const void *s, size_t n)
{
	unsigned char *dp = d;
	const unsigned char *sp = s;

	if (use_rep(n)) {
		rep_movsb(d, s, n);
		return d;
	}
	for (; n >= 8; n -= 8, dp += 8, sp += 8) {
		u64 w;

		__builtin_memcpy(&w, sp, 8);	/* a single unaligned load */
		__builtin_memcpy(dp, &w, 8);
	}
	while (n--)
		*dp++ = *sp++;
	return d;
}

void *memmove(void *d, const void *s, size_t n)
{
	unsigned char *dp = d;
	const unsigned char *sp = s;

	if (dp == sp || n == 0)
		return d;
	/* Forward copying is safe unless d starts inside [s, s + n). */
	if ((uintptr_t)dp - (uintptr_t)sp >= n)
		return memcpy(d, s, n);
	dp += n;
	sp += n;
	for (; n >= 8; n -= 8) {
		u64 w;

		dp -= 8;
		sp -= 8;
		__builtin_memcpy(&w, sp, 8);
		__builtin_memcpy(dp, &w, 8);
	}
	while (n--)
		*--dp = *--sp;
	return d;
}

void *memset(void *d, int c, size_t n)
{
	unsigned char *dp = d;
	u64 w = 0x0101010101010101ull * (unsigned char)c;

	if (use_rep(n)) {
		void *p = d;

		__asm__ volatile("rep stosb" : "+D"(p), "+c"(n) : "a"(c) : "memory");
		return d;
	}
	for (; n >= 8; n -= 8, dp += 8)
		__builtin_memcpy(dp, &w, 8);
	while (n--)
		*dp++ = (unsigned char)c;
	return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;

	for (; n >= 8; n -= 8, p += 8, q += 8) {
		u64 x, y;

		__builtin_memcpy(&x, p, 8);
		__builtin_memcpy(&y, q, 8);
		if (x != y)
			break;	/* the byte loop finds which byte differs */
	}
	for (; n; n--, p++, q++)
		if (*p != *q)
			return *p - *q;
	return 0;
}

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

size_t strnlen(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && s[i])
		i++;
	return i;
}

int strcmp(const char *a, const char *b)
{
	const unsigned char *p = (const unsigned char *)a, *q = (const unsigned char *)b;

	while (*p && *p == *q)
		p++, q++;
	return *p - *q;
}

int strncmp(const char *a, const char *b, size_t n)
{
	const unsigned char *p = (const unsigned char *)a, *q = (const unsigned char *)b;

	for (; n; n--, p++, q++) {
		if (*p != *q)
			return *p - *q;
		if (!*p)
			return 0;
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}
