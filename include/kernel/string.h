/*
 * string.h - memory and string primitives, the kernel's own
 * (kernel/string.c: rep movsb/stosb where the CPU has ERMS/FSRM).  They
 * keep the standard names because gcc calls memcpy, memset, memmove and
 * memcmp by itself; the build makes them local to the kernel object, so
 * libc's copies (used by os-Linux/) coexist in the same binary.  Other
 * kernel helpers carry a k prefix.
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
