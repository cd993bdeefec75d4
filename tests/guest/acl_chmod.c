/*
 * acl_chmod.c - ACLs and the mode: chmod without a mask entry rewrites
 * the owning group's entry, with one the mask (named entries keep their
 * bits); fchmod does the same; chown keeps the ACL, whose owner entry
 * then judges the new owner; a mode-only ACL set through fsetxattr.
 */
#include "acl_t.h"

static void modes(int i)
{
	char f[1024], name[96];
	const char *L = x_labels[i];
	unsigned char buf[256];
	int fd;

#define N(s) (snprintf(name, sizeof(name), "%s %s", L, s), name)
	x_file(f, i, "nomask", 0644);
	{
		struct x_ace e[] = { { X_UOBJ, 6 }, { X_GOBJ, 4 }, { X_MASK, 4 }, { X_OTHER, 4 } };
		acl_set(f, ACL_ACCESS, e, 4);
	}
	CHECK_OK(chmod(f, 0750), N("chmod"));
	check(!strcmp(x_acl_text(f, ACL_ACCESS), "u::rwx,g::r--,m::r-x,o::---"), N("mask follows chmod"),
	      "%s", x_acl_text(f, ACL_ACCESS));
	x_file(f, i, "named", 0644);
	{
		struct x_ace e[] = { { X_UOBJ, 6 }, { X_USER, 7, NOBODY }, { X_GOBJ, 4 }, { X_GROUP, 2, 77 },
				     { X_MASK, 7 }, { X_OTHER, 4 } };
		acl_set(f, ACL_ACCESS, e, 6);
	}
	fd = open(f, O_RDONLY);
	CHECK_OK(fchmod(fd, 0604), N("fchmod"));
	close(fd);
	check(!strcmp(x_acl_text(f, ACL_ACCESS), "u::rw-,u:65534:rwx,g::r--,g:77:-w-,m::---,o::r--"),
	      N("named entries keep their bits"), "%s", x_acl_text(f, ACL_ACCESS));
	check(acl_mode(f) == 0604, N("mode 0604"), "%o", acl_mode(f));
	acl_target = f;
	check(x_as(NOBODY, NOBODY, acl_try_open, (void *)(long)O_RDONLY) == 0, N("group class 0: the ACL is not consulted, other bits decide"),
	      "-");
	CHECK_OK(chmod(f, 04660), N("chmod with set-user-ID"));
	check(acl_mode(f) == 04660, N("mode 04660"), "%o", acl_mode(f));
	check(!strcmp(x_acl_text(f, ACL_ACCESS), "u::rw-,u:65534:rwx,g::r--,g:77:-w-,m::rw-,o::---"),
	      N("ACL after 04660"), "%s", x_acl_text(f, ACL_ACCESS));
	check(x_as(NOBODY, NOBODY, acl_try_open, (void *)(long)O_RDWR) == 0, N("named user rw through mask"),
	      "-");
	/* chown: the owner entry judges the new owner */
	CHECK_OK(chown(f, NOBODY, 0), N("chown"));
	check(!strcmp(x_acl_text(f, ACL_ACCESS), "u::rw-,u:65534:rwx,g::r--,g:77:-w-,m::rw-,o::---"),
	      N("chown keeps the ACL"), "%s", x_acl_text(f, ACL_ACCESS));
	chmod(f, 0460);
	check(x_as(NOBODY, NOBODY, acl_try_open, (void *)(long)O_RDWR) == EACCES, N("new owner by u:: only"),
	      "-");
	check(x_as(NOBODY, NOBODY, acl_try_open, (void *)(long)O_RDONLY) == 0, N("new owner reads"), "-");
	/* through an fd, a mode-only ACL */
	x_file(f, i, "viafd", 0644);
	fd = open(f, O_RDONLY);
	{
		struct x_ace e[] = { { X_UOBJ, 5 }, { X_GOBJ, 1 }, { X_OTHER, 0 } };
		CHECK_OK(fsetxattr(fd, ACL_ACCESS, buf, x_acl(buf, e, 3), 0), N("fsetxattr ACL"));
	}
	close(fd);
	check(acl_mode(f) == 0510, N("mode from fsetxattr ACL"), "%o", acl_mode(f));
	CHECK_ERR(getxattr(f, ACL_ACCESS, buf, sizeof(buf)), ENODATA, N("stored as no ACL"));
	CHECK_OK(chmod(f, 0644), N("chmod without an ACL"));
	CHECK_ERR(getxattr(f, ACL_ACCESS, buf, sizeof(buf)), ENODATA, N("still no ACL"));
#undef N
}

int main(void)
{
	return acl_main("acl_chmod", 022, modes);
}
