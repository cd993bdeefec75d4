/*
 * acl_errors.c - malformed ACL values (EINVAL: short, ragged, bad
 * order, missing or repeated entries, a named entry without a mask,
 * unknown tags or permission bits, an undefined id; EOPNOTSUPP: another
 * version), who may set ACLs (the owner, else EPERM), and a set-group-ID
 * bit cleared when the owner outside the group sets an access ACL.
 */
#include "acl_t.h"

static unsigned char val[256];
static size_t vlen;

static int try_set(void *arg)
{
	return setxattr(acl_target, arg, val, vlen, 0) < 0 ? errno : 0;
}

static int try_remove(void *arg)
{
	return removexattr(acl_target, arg) < 0 ? errno : 0;
}

static int set_raw(const char *f, const void *v, size_t n)
{
	errno = 0;
	return setxattr(f, ACL_ACCESS, v, n, 0) < 0 ? errno : 0;
}

static int set_aces(const char *f, const struct x_ace *e, int n)
{
	unsigned char buf[256];

	return set_raw(f, buf, x_acl(buf, e, n));
}

static void errors(int i)
{
	char f[1024], d[1024], name[96];
	const char *L = x_labels[i];
	unsigned char buf[256];
	struct stat st;

#define N(s) (snprintf(name, sizeof(name), "%s %s", L, s), name)
#define ACES(...) ((struct x_ace[]){ __VA_ARGS__ }), \
	(int)(sizeof((struct x_ace[]){ __VA_ARGS__ }) / sizeof(struct x_ace))
	x_file(f, i, "f", 0644);
	check(set_raw(f, "\2\0", 2) == EINVAL, N("2 bytes"), "%d", errno);
	check(set_raw(f, "", 0) == 0, N("0 bytes: no ACL"), "%d", errno);
	x_acl(buf, ACES({ X_UOBJ, 6 }, { X_GOBJ, 4 }, { X_OTHER, 4 }));
	check(set_raw(f, buf, 4 + 8 * 3 - 1) == EINVAL, N("ragged length"), "%d", errno);
	buf[0] = 1;
	check(set_raw(f, buf, 4 + 8 * 3) == EOPNOTSUPP, N("version 1"), "%d", errno);
	buf[0] = 3;
	check(set_raw(f, buf, 4 + 8 * 3) == EOPNOTSUPP, N("version 3"), "%d", errno);
	check(set_aces(f, ACES({ X_GOBJ, 4 }, { X_OTHER, 4 })) == EINVAL, N("no owner entry"), "%d", errno);
	check(set_aces(f, ACES({ X_UOBJ, 6 }, { X_OTHER, 4 })) == EINVAL, N("no group entry"), "%d", errno);
	check(set_aces(f, ACES({ X_UOBJ, 6 }, { X_GOBJ, 4 })) == EINVAL, N("no other entry"), "%d", errno);
	check(set_aces(f, ACES({ X_GOBJ, 4 }, { X_UOBJ, 6 }, { X_OTHER, 4 })) == EINVAL, N("group first"),
	      "%d", errno);
	check(set_aces(f, ACES({ X_UOBJ, 6 }, { X_UOBJ, 6 }, { X_GOBJ, 4 }, { X_OTHER, 4 })) == EINVAL,
	      N("two owner entries"), "%d", errno);
	check(set_aces(f, ACES({ X_UOBJ, 6 }, { X_GOBJ, 4 }, { X_OTHER, 4 }, { X_OTHER, 4 })) == EINVAL,
	      N("two other entries"), "%d", errno);
	check(set_aces(f, ACES({ X_UOBJ, 6 }, { X_USER, 4, 7 }, { X_GOBJ, 4 }, { X_OTHER, 4 })) == EINVAL,
	      N("named user, no mask"), "%d", errno);
	check(set_aces(f, ACES({ X_UOBJ, 6 }, { X_GOBJ, 4 }, { X_GROUP, 4, 7 }, { X_OTHER, 4 })) == EINVAL,
	      N("named group, no mask"), "%d", errno);
	check(set_aces(f, ACES({ X_UOBJ, 6 }, { X_GOBJ, 4 }, { X_USER, 4, 7 }, { X_MASK, 4 },
			       { X_OTHER, 4 })) == EINVAL, N("named user after the group"), "%d", errno);
	check(set_aces(f, ACES({ X_UOBJ, 6 }, { X_GOBJ, 4 }, { X_OTHER, 4 }, { X_MASK, 4 })) == EINVAL,
	      N("mask after other"), "%d", errno);
	check(set_aces(f, ACES({ X_UOBJ, 6 }, { X_GOBJ, 4 }, { X_MASK, 4 }, { X_MASK, 4 },
			       { X_OTHER, 4 })) == EINVAL, N("two masks"), "%d", errno);
	check(set_aces(f, ACES({ X_UOBJ, 8 }, { X_GOBJ, 4 }, { X_OTHER, 4 })) == EINVAL, N("perm bit 8"),
	      "%d", errno);
	check(set_aces(f, ACES({ X_UOBJ, 6 }, { 0x40, 4 }, { X_GOBJ, 4 }, { X_OTHER, 4 })) == EINVAL,
	      N("unknown tag"), "%d", errno);
	check(set_aces(f, ACES({ X_UOBJ, 6 }, { X_USER, 4, X_UNDEF }, { X_GOBJ, 4 }, { X_MASK, 4 },
			       { X_OTHER, 4 })) == EINVAL, N("named user -1"), "%d", errno);
	CHECK_ERR(getxattr(f, ACL_ACCESS, buf, sizeof(buf)), ENODATA, N("nothing was stored"));
	check(stat(f, &st) == 0 && (st.st_mode & 07777) == 0644, N("mode untouched"), "%o", st.st_mode);
	check(set_aces(f, ACES({ X_UOBJ, 6 }, { X_USER, 4, 9 }, { X_USER, 4, 8 }, { X_GOBJ, 4 },
			       { X_MASK, 4 }, { X_OTHER, 4 })) == 0, N("named users in any order"), "%d", errno);

	/* who may set */
	x_file(f, i, "root", 0666);
	acl_target = f;
	vlen = x_acl(val, ACES({ X_UOBJ, 6 }, { X_USER, 4, 7 }, { X_GOBJ, 4 }, { X_MASK, 4 }, { X_OTHER, 4 }));
	check(x_as(NOBODY, NOBODY, try_set, ACL_ACCESS) == EPERM, N("not the owner"), "-");
	check(set_raw(f, val, vlen) == 0, N("root may"), "%d", errno);
	check(x_as(NOBODY, NOBODY, try_remove, ACL_ACCESS) == EPERM, N("not the owner removes"), "-");
	x_path(d, i, "dir");
	mkdir(d, 0777);
	chmod(d, 0777);
	acl_target = d;
	check(x_as(NOBODY, NOBODY, try_set, ACL_DEFAULT) == EPERM, N("not the owner, default ACL"), "-");
	chown(d, NOBODY, NOBODY);
	check(x_as(NOBODY, NOBODY, try_set, ACL_DEFAULT) == 0, N("owner sets a default ACL"), "-");
	x_file(f, i, "mine", 0600);
	chown(f, NOBODY, 4242);
	chmod(f, 02770);
	acl_target = f;
	check(x_as(NOBODY, NOBODY, try_set, ACL_ACCESS) == 0, N("owner sets an access ACL"), "-");
	check(stat(f, &st) == 0 && (st.st_mode & 07777) == 0644, N("set-group-ID cleared"), "%o",
	      st.st_mode & 07777);
	chmod(f, 02770);
	check(set_raw(f, val, vlen) == 0 && stat(f, &st) == 0 && (st.st_mode & 07777) == 02644,
	      N("root keeps set-group-ID"), "%o", st.st_mode & 07777);
#undef N
}

int main(void)
{
	return acl_main("acl_errors", 022, errors);
}
