/*
 * xattr_size.c - sizes: getxattr and listxattr with size 0 report the
 * length; a buffer one byte short is ERANGE, an exact one fits; a value
 * over 64 KiB is E2BIG; a bad buffer is EFAULT; size 0 with a NULL
 * buffer works.
 */
#include "xattr_t.h"
#include <sys/mman.h>
#include <sys/syscall.h>

static char huge[70000];

static void sizes(int i)
{
	char f[1024], buf[256], name[96];
	const char *L = x_labels[i];
	ssize_t n;

	x_file(f, i, "f", 0644);
#define N(s) (snprintf(name, sizeof(name), "%s %s", L, s), name)
	CHECK_OK(setxattr(f, "user.ten", "0123456789", 10, 0), N("set 10"));
	check(getxattr(f, "user.ten", NULL, 0) == 10, N("size query"), "errno %d", errno);
	CHECK_ERR(getxattr(f, "user.ten", buf, 9), ERANGE, N("9-byte buffer"));
	check(getxattr(f, "user.ten", buf, 10) == 10, N("exact buffer"), "errno %d", errno);
	CHECK_ERR(getxattr(f, "user.ten", buf, 1), ERANGE, N("1-byte buffer"));
	CHECK_OK(setxattr(f, "user.two", "ab", 2, 0), N("set two"));
	n = listxattr(f, NULL, 0);
	check(n == 18, N("list size"), "%zd", n);
	CHECK_ERR(listxattr(f, buf, (size_t)n - 1), ERANGE, N("list one short"));
	check(listxattr(f, buf, (size_t)n) == n, N("list exact"), "errno %d", errno);
	CHECK_ERR(setxattr(f, "user.huge", huge, 65537, 0), E2BIG, N("65537 bytes"));
	CHECK_ERR(setxattr("/nonexistent", "user.huge", huge, 70000, 0), E2BIG, N("E2BIG before ENOENT"));
	CHECK_ERR(syscall(SYS_setxattr, f, "user.bad", 8L, 5L, 0L), EFAULT, N("bad value pointer"));
	CHECK_ERR(syscall(SYS_getxattr, f, "user.ten", 8L, 10L), EFAULT, N("bad get buffer"));
	CHECK_ERR(syscall(SYS_listxattr, f, 8L, 100L), EFAULT, N("bad list buffer"));
	CHECK_ERR(syscall(SYS_getxattr, f, 8L, buf, 10L), EFAULT, N("bad name pointer"));
	CHECK_OK(setxattr(f, "user.null", NULL, 0, 0), N("NULL value size 0"));
	check(getxattr(f, "user.null", NULL, 0) == 0, N("NULL value reads empty"), "errno %d", errno);
	/* A value up to the end of a mapping, and one crossing into an unmapped page. */
	char *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(m + 4096, 4096);
	memset(m, 'x', 4096);
	CHECK_OK(setxattr(f, "user.edge", m + 4096 - 8, 8, 0), N("value at page end"));
	CHECK_ERR(setxattr(f, "user.cross", m + 4096 - 8, 9, 0), EFAULT, N("value crossing page"));
	CHECK_ERR(getxattr(f, "user.cross", buf, sizeof(buf)), ENODATA, N("failed set made nothing"));
	munmap(m, 4096);
#undef N
}

int main(void)
{
	t_start();
	x_setup("xattr_size");
	for (int i = 0; i < 2; i++)
		sizes(i);
	x_cleanup();
	return t_done();
}
