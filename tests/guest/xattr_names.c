/*
 * xattr_names.c - names: empty and longer than 255 bytes are ERANGE
 * (before the path is looked at), a bare prefix "user." is EINVAL,
 * unknown namespaces and other system.* names are EOPNOTSUPP, and the
 * longest name works.
 */
#include "xattr_t.h"

static void names(int i)
{
	char f[1024], buf[64], name[96], n255[300], n256[300];
	const char *L = x_labels[i];

	x_file(f, i, "f", 0644);
#define N(s) (snprintf(name, sizeof(name), "%s %s", L, s), name)
	memset(n255, 'a', sizeof(n255));
	memcpy(n255, "user.", 5);
	n255[255] = 0;
	memcpy(n256, n255, 255);
	n256[255] = 'b';
	n256[256] = 0;
	CHECK_ERR(setxattr(f, "", "1", 1, 0), ERANGE, N("empty name set"));
	CHECK_ERR(getxattr(f, "", buf, sizeof(buf)), ERANGE, N("empty name get"));
	CHECK_ERR(removexattr(f, ""), ERANGE, N("empty name remove"));
	CHECK_ERR(setxattr(f, n256, "1", 1, 0), ERANGE, N("256-byte name set"));
	CHECK_ERR(getxattr(f, n256, buf, sizeof(buf)), ERANGE, N("256-byte name get"));
	CHECK_ERR(removexattr(f, n256), ERANGE, N("256-byte name remove"));
	CHECK_ERR(getxattr("/nonexistent", n256, buf, sizeof(buf)), ERANGE, N("ERANGE before ENOENT"));
	CHECK_OK(setxattr(f, n255, "1", 1, 0), N("255-byte name"));
	check(getxattr(f, n255, buf, sizeof(buf)) == 1, N("255-byte name back"), "errno %d", errno);
	CHECK_ERR(setxattr(f, "user.", "1", 1, 0), EINVAL, N("bare user."));
	CHECK_ERR(getxattr(f, "user.", buf, sizeof(buf)), EINVAL, N("get bare user."));
	CHECK_ERR(setxattr(f, "trusted.", "1", 1, 0), EINVAL, N("bare trusted."));
	CHECK_ERR(setxattr(f, "foo.bar", "1", 1, 0), EOPNOTSUPP, N("unknown namespace set"));
	CHECK_ERR(getxattr(f, "foo.bar", buf, sizeof(buf)), EOPNOTSUPP, N("unknown namespace get"));
	CHECK_ERR(removexattr(f, "foo.bar"), EOPNOTSUPP, N("unknown namespace remove"));
	CHECK_ERR(setxattr(f, "user", "1", 1, 0), EOPNOTSUPP, N("no dot"));
	CHECK_ERR(setxattr(f, "USER.x", "1", 1, 0), EOPNOTSUPP, N("prefix is case sensitive"));
	CHECK_ERR(setxattr(f, "system.foo", "1", 1, 0), EOPNOTSUPP, N("system.foo"));
	CHECK_ERR(getxattr(f, "system.posix_acl_accessX", buf, sizeof(buf)), EOPNOTSUPP,
		  N("system.posix_acl_access with a suffix"));
	CHECK_OK(setxattr(f, "user.with space/and:colon", "1", 1, 0), N("odd characters"));
	CHECK_OK(setxattr(f, "user.user.nested", "1", 1, 0), N("user.user."));
	CHECK_OK(setxattr(f, "user.\xc3\xa9t\xc3\xa9", "1", 1, 0), N("UTF-8 name"));
	{
		char want[600];
		snprintf(want, sizeof(want), "%s,%s", n255,
			 "user.user.nested,user.with space/and:colon,user.\xc3\xa9t\xc3\xa9");
		check(!strcmp(x_list(f), want), N("list has all four"), "%s", x_list(f));
	}
#undef N
}

int main(void)
{
	t_start();
	x_setup("xattr_names");
	for (int i = 0; i < 2; i++)
		names(i);
	x_cleanup();
	return t_done();
}
