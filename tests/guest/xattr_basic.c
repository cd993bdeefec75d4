/*
 * xattr_basic.c - user.* attributes on a regular file and a directory,
 * on disk and on tmpfs: set, get, list, replace, remove, values with
 * NULs, an empty value, attributes surviving close and reopen.
 */
#include "xattr_t.h"

static void basic(int i)
{
	char f[1024], d[1024], buf[256], name[64];
	const char *L = x_labels[i];
	ssize_t n;

	x_file(f, i, "f", 0644);
	snprintf(name, sizeof(name), "%s set user.a", L);
	CHECK_OK(setxattr(f, "user.a", "hello", 5, 0), name);
	memset(buf, 0, sizeof(buf));
	n = getxattr(f, "user.a", buf, sizeof(buf));
	snprintf(name, sizeof(name), "%s get user.a", L);
	check(n == 5 && !memcmp(buf, "hello", 5), name, "n=%zd buf=%s errno=%d", n, buf, errno);
	snprintf(name, sizeof(name), "%s size query", L);
	check(getxattr(f, "user.a", NULL, 0) == 5, name, "errno %d", errno);
	snprintf(name, sizeof(name), "%s overwrite shorter", L);
	CHECK_OK(setxattr(f, "user.a", "hi", 2, 0), name);
	n = getxattr(f, "user.a", buf, sizeof(buf));
	snprintf(name, sizeof(name), "%s get after overwrite", L);
	check(n == 2 && !memcmp(buf, "hi", 2), name, "n=%zd", n);
	snprintf(name, sizeof(name), "%s binary value", L);
	CHECK_OK(setxattr(f, "user.bin", "a\0b\0\377", 5, 0), name);
	n = getxattr(f, "user.bin", buf, sizeof(buf));
	snprintf(name, sizeof(name), "%s binary value back", L);
	check(n == 5 && !memcmp(buf, "a\0b\0\377", 5), name, "n=%zd", n);
	snprintf(name, sizeof(name), "%s empty value", L);
	CHECK_OK(setxattr(f, "user.empty", "", 0, 0), name);
	snprintf(name, sizeof(name), "%s empty value size 0", L);
	check(getxattr(f, "user.empty", buf, sizeof(buf)) == 0, name, "errno %d", errno);
	snprintf(name, sizeof(name), "%s list", L);
	check(!strcmp(x_list(f), "user.a,user.bin,user.empty"), name, "%s", x_list(f));
	snprintf(name, sizeof(name), "%s list size query", L);
	check(listxattr(f, NULL, 0) == (ssize_t)strlen("user.a0user.bin0user.empty0"), name,
	      "%zd", listxattr(f, NULL, 0));
	snprintf(name, sizeof(name), "%s remove", L);
	CHECK_OK(removexattr(f, "user.bin"), name);
	snprintf(name, sizeof(name), "%s get removed", L);
	CHECK_ERR(getxattr(f, "user.bin", buf, sizeof(buf)), ENODATA, name);
	snprintf(name, sizeof(name), "%s remove again", L);
	CHECK_ERR(removexattr(f, "user.bin"), ENODATA, name);
	snprintf(name, sizeof(name), "%s get never set", L);
	CHECK_ERR(getxattr(f, "user.nope", buf, sizeof(buf)), ENODATA, name);
	snprintf(name, sizeof(name), "%s list after remove", L);
	check(!strcmp(x_list(f), "user.a,user.empty"), name, "%s", x_list(f));

	x_path(d, i, "dir");
	mkdir(d, 0755);
	snprintf(name, sizeof(name), "%s directory attr", L);
	CHECK_OK(setxattr(d, "user.dir", "D", 1, 0), name);
	snprintf(name, sizeof(name), "%s directory attr back", L);
	check(getxattr(d, "user.dir", buf, sizeof(buf)) == 1 && buf[0] == 'D', name, "errno %d", errno);
	snprintf(name, sizeof(name), "%s empty list", L);
	x_file(f, i, "g", 0644);
	check(listxattr(f, buf, sizeof(buf)) == 0, name, "not empty");
	snprintf(name, sizeof(name), "%s names are case sensitive", L);
	setxattr(f, "user.Case", "1", 1, 0);
	CHECK_ERR(getxattr(f, "user.case", buf, sizeof(buf)), ENODATA, name);
	/* a long name and a value of 900 bytes */
	char longname[256], val[900];
	memset(longname, 'n', 255);
	memcpy(longname, "user.", 5);
	longname[255] = 0;
	for (int k = 0; k < 900; k++)
		val[k] = (char)k;
	snprintf(name, sizeof(name), "%s 255-byte name", L);
	CHECK_OK(setxattr(f, longname, val, 100, 0), name);
	x_file(f, i, "h", 0644);	/* on its own: 1 KiB blocks hold one such value */
	snprintf(name, sizeof(name), "%s 900-byte value", L);
	CHECK_OK(setxattr(f, "user.big", val, sizeof(val), 0), name);
	char back[900];
	n = getxattr(f, "user.big", back, sizeof(back));
	snprintf(name, sizeof(name), "%s 900-byte value back", L);
	check(n == 900 && !memcmp(back, val, 900), name, "n=%zd", n);
	x_path(f, i, "g");
	n = getxattr(f, longname, back, sizeof(back));
	snprintf(name, sizeof(name), "%s long name back", L);
	check(n == 100 && !memcmp(back, val, 100), name, "n=%zd", n);
}

int main(void)
{
	t_start();
	x_setup("xattr_basic");
	for (int i = 0; i < 2; i++)
		basic(i);
	x_cleanup();
	return t_done();
}
