/*
 * string.h - memory and string primitives.  These are the compiler's
 * builtins (pure functions with no host effect); the kernel's own helpers
 * carry a k prefix so they never clash with libc names.
 */
#ifndef KERNEL_STRING_H
#define KERNEL_STRING_H

#include <stddef.h>

void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t n);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);

size_t kstrlcpy(char *d, const char *s, size_t size);
char *kstrdup(const char *s);
int kstrtou64(const char *s, int base, unsigned long long *out);

#endif
