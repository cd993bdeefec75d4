/* lib.c - small string helpers for the kernel. */
#include "kernel/kernel.h"
#include "kernel/page.h"

size_t kstrlcpy(char *d, const char *s, size_t size)
{
	size_t n = strlen(s);

	if (size) {
		size_t c = n < size - 1 ? n : size - 1;

		memcpy(d, s, c);
		d[c] = '\0';
	}
	return n;
}

char *kstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = kmalloc(n);

	if (d)
		memcpy(d, s, n);
	return d;
}

/* Parses an unsigned number (base 0: 0x.. hex, 0.. octal, else decimal). */
int kstrtou64(const char *s, int base, unsigned long long *out)
{
	unsigned long long v = 0;

	if (base == 0) {
		base = 10;
		if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
			base = 16;
			s += 2;
		} else if (s[0] == '0' && s[1]) {
			base = 8;
		}
	}
	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		int d;

		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			return -EINVAL;
		if (d >= base)
			return -EINVAL;
		if (__builtin_mul_overflow(v, (unsigned long long)base, &v) ||
		    __builtin_add_overflow(v, (unsigned long long)d, &v))
			return -ERANGE;
	}
	*out = v;
	return 0;
}
