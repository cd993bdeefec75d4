/* unit-sources: kernel/printk.c */
/*
 * test_printk.c - the kernel's own formatter (ksnprintf): the conversions
 * the kernel uses, widths, padding, precision from the format and from an
 * argument (%.*s), truncation and the returned length.
 */
#include "kernel/kernel.h"
#include "kernel/init.h"
#include "kernel/fs.h"
#include "kernel/mm.h"
#include "kernel/wait.h"

int printf(const char *fmt, ...);
int strcmp(const char *a, const char *b);

static int failures, count;

/* What the rest of printk.c (the log, syslog, /dev/kmsg) links against:
 * never reached by these tests. */
struct boot_params boot_params;
void console_write(const char *s, int n) { }
void os_abort(void) { for (;;); }
void os_panic(void) { for (;;); }
uint64_t os_monotonic_ns(void) { return 0; }
long copy_to_user(uaddr_t dst, const void *src, size_t n) { return -EFAULT; }
void *kzalloc(size_t size) { return NULL; }
void kfree(const void *p) { }
int sleep_on(struct wait_queue *wq, bool interruptible) { return -EINTR; }
void wake_up(struct wait_queue *wq) { }
void poll_wait(struct file *f, struct wait_queue *wq, struct poll_table *pt) { }
long uio_copy_in(struct uio *u, void *dst, size_t n) { return -EFAULT; }
long uio_copy_out(struct uio *u, const void *src, size_t n) { return -EFAULT; }

static void expect(const char *name, const char *got, int n, const char *want, int wantn)
{
	count++;
	if (!strcmp(got, want) && n == wantn) {
		printf("ok %d %s\n", count, name);
	} else {
		failures++;
		printf("not ok %d %s: got '%s' (%d), want '%s' (%d)\n", count, name, got, n, want, wantn);
	}
}

#define T(name, want, wantn, ...) do {					\
	char b[64];							\
	int n = ksnprintf(b, sizeof(b), __VA_ARGS__);			\
	expect(name, b, n, want, wantn);				\
} while (0)

int main(void)
{
	char small[4];
	int n;

	T("decimal", "-42 7", 5, "%d %u", -42, 7u);
	T("long long", "-9223372036854775808", 20, "%lld", (long long)(-9223372036854775807LL - 1));
	T("hex", "ff FF 0x10", 10, "%x %X %p", 255u, 255u, (void *)16);
	T("width and zero pad", "   42 00042", 11, "%5d %05d", 42, 42);
	T("left", "ab   |", 6, "%-5s|", "ab");
	T("star width", "   ab", 5, "%*s", 5, "ab");
	T("precision", "abc", 3, "%.3s", "abcdef");
	T("star precision", "ab|", 3, "%.*s|", 2, "abcdef");
	T("star precision zero", "|", 1, "%.*s|", 0, "abcdef");
	T("star precision negative is none", "abcdef", 6, "%.*s", -1, "abcdef");
	T("star precision then more args", "abc 5", 5, "%.*s %d", 3, "abcdef", 5);
	T("size_t", "123", 3, "%zu", (size_t)123);
	T("percent", "100%", 4, "100%%");
	n = ksnprintf(small, sizeof(small), "%s", "abcdef");
	expect("truncated, full length returned", small, n, "abc", 6);
	printf("%s: %d checks, %d failed\n", failures ? "FAILED" : "PASSED", count, failures);
	return failures != 0;
}
