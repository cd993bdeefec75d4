/*
 * xattr_flags.c - setxattr's XATTR_CREATE and XATTR_REPLACE (EEXIST,
 * ENODATA), unknown flag bits (EINVAL, checked before the path), and a
 * failed set leaving the old value, on disk and on tmpfs.
 */
#include "xattr_t.h"

static void flags(int i)
{
	char f[1024], buf[64], name[96];
	const char *L = x_labels[i];

	x_file(f, i, "f", 0644);
#define N(s) (snprintf(name, sizeof(name), "%s %s", L, s), name)
	CHECK_ERR(setxattr(f, "user.a", "1", 1, XATTR_REPLACE), ENODATA, N("REPLACE absent"));
	CHECK_ERR(getxattr(f, "user.a", buf, sizeof(buf)), ENODATA, N("REPLACE absent made nothing"));
	CHECK_OK(setxattr(f, "user.a", "1", 1, XATTR_CREATE), N("CREATE absent"));
	CHECK_ERR(setxattr(f, "user.a", "2", 1, XATTR_CREATE), EEXIST, N("CREATE present"));
	check(getxattr(f, "user.a", buf, sizeof(buf)) == 1 && buf[0] == '1', N("value kept after EEXIST"),
	      "errno %d", errno);
	CHECK_OK(setxattr(f, "user.a", "33", 2, XATTR_REPLACE), N("REPLACE present"));
	check(getxattr(f, "user.a", buf, sizeof(buf)) == 2 && !memcmp(buf, "33", 2), N("replaced"),
	      "errno %d", errno);
	CHECK_ERR(setxattr(f, "user.a", "4", 1, XATTR_CREATE | XATTR_REPLACE), EEXIST,
		  N("CREATE|REPLACE present"));
	CHECK_ERR(setxattr(f, "user.b", "4", 1, XATTR_CREATE | XATTR_REPLACE), ENODATA,
		  N("CREATE|REPLACE absent"));
	CHECK_ERR(setxattr(f, "user.a", "5", 1, 4), EINVAL, N("flag 4"));
	CHECK_ERR(setxattr(f, "user.a", "5", 1, -1), EINVAL, N("flags -1"));
	CHECK_ERR(setxattr("/nonexistent/x", "user.a", "5", 1, 8), EINVAL, N("bad flags before ENOENT"));
	CHECK_ERR(setxattr("/nonexistent/x", "user.a", "5", 1, 0), ENOENT, N("ENOENT"));
	CHECK_OK(setxattr(f, "user.a", "6", 1, 0), N("flags 0 replaces"));
	CHECK_OK(setxattr(f, "user.c", "7", 1, 0), N("flags 0 creates"));
	CHECK_OK(removexattr(f, "user.c"), N("remove"));
	CHECK_OK(setxattr(f, "user.c", "8", 1, XATTR_CREATE), N("CREATE after remove"));
	check(!strcmp(x_list(f), "user.a,user.c"), N("list"), "%s", x_list(f));
#undef N
}

int main(void)
{
	t_start();
	x_setup("xattr_flags");
	for (int i = 0; i < 2; i++)
		flags(i);
	x_cleanup();
	return t_done();
}
