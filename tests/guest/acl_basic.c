/*
 * acl_basic.c - access ACLs through system.posix_acl_access: an ACL with
 * named entries is stored and read back (ids of the owner, group, mask
 * and other entries read as -1), sets the mode (group bits from the
 * mask); an ACL that says no more than the mode is stored as no
 * attribute, the mode set from it; chmod rewrites the owner, mask and
 * other entries; removing the ACL keeps the mode; a header alone removes.
 */
#include "acl_t.h"

static void basic(int i)
{
	char f[1024], name[96];
	const char *L = x_labels[i];
	unsigned char acl[256];
	size_t n;

#define N(s) (snprintf(name, sizeof(name), "%s %s", L, s), name)
	x_file(f, i, "f", 0644);
	CHECK_ERR(getxattr(f, ACL_ACCESS, acl, sizeof(acl)), ENODATA, N("no ACL yet"));
	{
		struct x_ace e[] = { { X_UOBJ, 6, 1234 }, { X_USER, 4, 1000 }, { X_USER, 6, 1001 },
				     { X_GOBJ, 4, 99 }, { X_GROUP, 5, 100 }, { X_MASK, 7, 0 },
				     { X_OTHER, 0, 0 } };
		n = x_acl(acl, e, 7);
	}
	CHECK_OK(setxattr(f, ACL_ACCESS, acl, n, 0), N("set ACL"));
	check(!strcmp(x_acl_text(f, ACL_ACCESS), "u::rw-,u:1000:r--,u:1001:rw-,g::r--,g:100:r-x,m::rwx,o::---"),
	      N("ACL back"), "%s", x_acl_text(f, ACL_ACCESS));
	check(acl_mode(f) == 0670, N("mode from ACL (group = mask)"), "%o", acl_mode(f));
	check(getxattr(f, ACL_ACCESS, NULL, 0) == 4 + 7 * 8, N("ACL size query"), "errno %d", errno);
	CHECK_ERR(getxattr(f, ACL_ACCESS, acl, 20), ERANGE, N("ACL ERANGE"));
	check(!strcmp(x_list(f), ACL_ACCESS), N("ACL listed"), "%s", x_list(f));
	CHECK_OK(chmod(f, 0751), N("chmod"));
	check(!strcmp(x_acl_text(f, ACL_ACCESS), "u::rwx,u:1000:r--,u:1001:rw-,g::r--,g:100:r-x,m::r-x,o::--x"),
	      N("chmod rewrote owner, mask, other"), "%s", x_acl_text(f, ACL_ACCESS));
	check(acl_mode(f) == 0751, N("mode after chmod"), "%o", acl_mode(f));
	CHECK_OK(removexattr(f, ACL_ACCESS), N("remove ACL"));
	CHECK_ERR(getxattr(f, ACL_ACCESS, acl, sizeof(acl)), ENODATA, N("ACL gone"));
	check(acl_mode(f) == 0751, N("mode kept after removal"), "%o", acl_mode(f));
	CHECK_OK(removexattr(f, ACL_ACCESS), N("remove absent ACL"));

	/* Equivalent to a mode: no attribute, the mode changes. */
	{
		struct x_ace e[] = { { X_UOBJ, 7, 0 }, { X_GOBJ, 5, 0 }, { X_OTHER, 1, 0 } };
		n = x_acl(acl, e, 3);
	}
	CHECK_OK(setxattr(f, ACL_ACCESS, acl, n, 0), N("set minimal ACL"));
	CHECK_ERR(getxattr(f, ACL_ACCESS, acl, sizeof(acl)), ENODATA, N("minimal ACL stored as none"));
	check(acl_mode(f) == 0751, N("minimal ACL set the mode"), "%o", acl_mode(f));
	{
		struct x_ace e[] = { { X_UOBJ, 4, 0 }, { X_GOBJ, 0, 0 }, { X_OTHER, 0, 0 } };
		n = x_acl(acl, e, 3);
	}
	CHECK_OK(setxattr(f, ACL_ACCESS, acl, n, 0), N("set 0400 as ACL"));
	check(acl_mode(f) == 0400, N("mode 0400"), "%o", acl_mode(f));
	check(!strcmp(x_list(f), ""), N("no attribute listed"), "%s", x_list(f));
	/* A mask without named entries is kept: the mode's group bits are the mask's. */
	{
		struct x_ace e[] = { { X_UOBJ, 6, 0 }, { X_GOBJ, 6, 0 }, { X_MASK, 4, 0 }, { X_OTHER, 4, 0 } };
		n = x_acl(acl, e, 4);
	}
	CHECK_OK(setxattr(f, ACL_ACCESS, acl, n, 0), N("ACL with a mask only"));
	check(!strcmp(x_acl_text(f, ACL_ACCESS), "u::rw-,g::rw-,m::r--,o::r--"), N("mask-only ACL kept"),
	      "%s", x_acl_text(f, ACL_ACCESS));
	check(acl_mode(f) == 0644, N("mode from the mask"), "%o", acl_mode(f));
	/* A header alone: no ACL. */
	n = x_acl(acl, NULL, 0);
	CHECK_OK(setxattr(f, ACL_ACCESS, acl, n, 0), N("empty ACL"));
	CHECK_ERR(getxattr(f, ACL_ACCESS, acl, sizeof(acl)), ENODATA, N("empty ACL removes"));
	check(acl_mode(f) == 0644, N("empty ACL keeps the mode"), "%o", acl_mode(f));
	/* on a directory */
	x_path(f, i, "d");
	mkdir(f, 0700);
	{
		struct x_ace e[] = { { X_UOBJ, 7, 0 }, { X_USER, 5, 4242 }, { X_GOBJ, 0, 0 },
				     { X_MASK, 5, 0 }, { X_OTHER, 0, 0 } };
		n = x_acl(acl, e, 5);
	}
	CHECK_OK(setxattr(f, ACL_ACCESS, acl, n, 0), N("directory ACL"));
	check(acl_mode(f) == 0750, N("directory mode"), "%o", acl_mode(f));
#undef N
}

int main(void)
{
	return acl_main("acl_basic", 022, basic);
}
