/* unit-sources: */
/*
 * test_string.c - the kernel's own memory and string functions (kernel/string.c), compiled
 * here under k_ names so they can be compared with libc's in one program:
 * every size 0..300 at every alignment 0..7 of source and destination,
 * overlapping memmove both ways, the sign of memcmp/strcmp/strncmp, and
 * each of the three code paths (FSRM, ERMS, plain words).
 */
#define memcpy k_memcpy
#define memmove k_memmove
#define memset k_memset
#define memcmp k_memcmp
#define strlen k_strlen
#define strnlen k_strnlen
#define strcmp k_strcmp
#define strncmp k_strncmp
#define strchr k_strchr
#include "../../kernel/string.c"
#undef memcpy
#undef memmove
#undef memset
#undef memcmp
#undef strlen
#undef strnlen
#undef strcmp
#undef strncmp
#undef strchr

int printf(const char *fmt, ...);
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);

static int failures, count;

static void check(int ok, const char *name, const char *why)
{
	count++;
	if (ok) {
		printf("ok %d %s\n", count, name);
	} else {
		failures++;
		printf("not ok %d %s: %s\n", count, name, why);
	}
}

static int sign(int x) { return (x > 0) - (x < 0); }

#define N 320
static unsigned char src[N + 16], a[N + 16], b[N + 16];

static void fill(unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(seed * 31 + i * 7 + (i >> 3));
}

static void test_paths(const char *path)
{
	char name[96];
	bool ok;

	/* memcpy and memset against libc, every size and alignment. */
	ok = true;
	for (size_t n = 0; n <= 300 && ok; n++)
		for (int so = 0; so < 8; so++)
			for (int dd = 0; dd < 8; dd++) {
				fill(src, sizeof(src), (unsigned)n);
				memset(a, 0x5a, sizeof(a));
				memset(b, 0x5a, sizeof(b));
				void *r = k_memcpy(a + dd, src + so, n);
				memcpy(b + dd, src + so, n);
				if (r != a + dd || memcmp(a, b, sizeof(a)))
					ok = false;
			}
	__builtin_snprintf(name, sizeof(name), "memcpy all sizes/alignments (%s)", path);
	check(ok, name, "differs from libc");

	ok = true;
	for (size_t n = 0; n <= 300 && ok; n++)
		for (int dd = 0; dd < 8; dd++) {
			memset(a, 0x11, sizeof(a));
			memset(b, 0x11, sizeof(b));
			void *r = k_memset(a + dd, 0x1c3, n);	/* only the low byte counts */
			memset(b + dd, 0xc3, n);
			if (r != a + dd || memcmp(a, b, sizeof(a)))
				ok = false;
		}
	__builtin_snprintf(name, sizeof(name), "memset all sizes/alignments (%s)", path);
	check(ok, name, "differs from libc");

	/* memmove overlapping either way, and disjoint. */
	ok = true;
	for (size_t n = 0; n <= 200 && ok; n++)
		for (int off = -9; off <= 9; off++) {
			fill(a, sizeof(a), (unsigned)n + 3);
			memcpy(b, a, sizeof(a));
			void *r = k_memmove(a + 40 + off, a + 40, n);
			memmove(b + 40 + off, b + 40, n);
			if (r != a + 40 + off || memcmp(a, b, sizeof(a)))
				ok = false;
		}
	__builtin_snprintf(name, sizeof(name), "memmove overlapping (%s)", path);
	check(ok, name, "differs from libc");
}

static void test_compare(void)
{
	bool ok = true;

	for (size_t n = 1; n <= 100; n++)
		for (size_t at = 0; at < n; at++) {
			fill(a, n, 1);
			memcpy(b, a, n);
			if (k_memcmp(a, b, n) != 0)
				ok = false;
			b[at] = (unsigned char)(a[at] + 1);	/* may wrap: sign from the bytes */
			if (sign(k_memcmp(a, b, n)) != sign(memcmp(a, b, n)) ||
			    sign(k_memcmp(b, a, n)) != sign(memcmp(b, a, n)) ||
			    k_memcmp(a, b, at) != 0)
				ok = false;
		}
	check(ok, "memcmp finds the first differing byte, unsigned", "wrong sign or position");

	check(k_memcmp("\x80", "\x01", 1) > 0, "memcmp compares bytes as unsigned", "signed");
	check(k_strlen("") == 0 && k_strlen("hello") == 5, "strlen", "wrong length");
	check(k_strnlen("hello", 3) == 3 && k_strnlen("hi", 10) == 2 && k_strnlen("x", 0) == 0,
	      "strnlen stops at the bound or the NUL", "wrong length");
	check(k_strcmp("abc", "abc") == 0 && sign(k_strcmp("abc", "abd")) == -1 &&
	      sign(k_strcmp("abd", "abc")) == 1 && sign(k_strcmp("ab", "abc")) == -1 &&
	      sign(k_strcmp("\xff", "a")) == 1,
	      "strcmp order, prefixes, unsigned bytes", "wrong order");
	check(k_strncmp("abcX", "abcY", 3) == 0 && sign(k_strncmp("abcX", "abcY", 4)) == -1 &&
	      k_strncmp("ab", "ab\0z", 4) == 0 && k_strncmp("a", "b", 0) == 0,
	      "strncmp bound and NUL", "wrong result");
	const char *s = "path/to/x";
	check(k_strchr(s, '/') == s + 4 && k_strchr(s, 'q') == NULL && k_strchr(s, 0) == s + 9,
	      "strchr first match, none, the NUL", "wrong pointer");
}

int main(void)
{
	has_fsrm = true, has_erms = true;
	test_paths("fsrm");
	has_fsrm = false, has_erms = true;
	test_paths("erms");
	has_fsrm = false, has_erms = false;
	test_paths("words");
	test_compare();
	printf("%s: %d checks, %d failed\n", failures ? "FAILED" : "PASSED", count, failures);
	return failures != 0;
}
