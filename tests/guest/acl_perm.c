/*
 * acl_perm.c - ACLs enforced (acl(5) "ACCESS CHECK ALGORITHM"): a named
 * user entry grants what the mask lets through; a named group entry or
 * the owning group, matched, decides (and a match that does not grant
 * denies even if "other" would); the owner is judged by the owner entry
 * alone; directories' search and read permissions; access(2) agrees.
 */
#include "acl_t.h"
#include <dirent.h>

static int try_access(void *arg)
{
	return access(acl_target, (int)(long)arg) < 0 ? errno : 0;
}

static int try_opendir(void *arg)
{
	DIR *d = opendir(acl_target);

	if (!d)
		return errno;
	closedir(d);
	return 0;
}

#define R	((void *)(long)O_RDONLY)
#define W	((void *)(long)O_WRONLY)
#define RW	((void *)(long)O_RDWR)

static void perm(int i)
{
	char f[1024], d[1024], name[96];
	const char *L = x_labels[i];

#define N(s) (snprintf(name, sizeof(name), "%s %s", L, s), name)
	x_file(f, i, "f", 0600);
	acl_target = f;
	check(x_as(NOBODY, NOBODY, acl_try_open, R) == EACCES, N("0600 without ACL"), "-");
	{
		struct x_ace e[] = { { X_UOBJ, 6 }, { X_USER, 4, NOBODY }, { X_GOBJ, 0 }, { X_MASK, 4 },
				     { X_OTHER, 0 } };
		acl_set(f, ACL_ACCESS, e, 5);
	}
	check(x_as(NOBODY, NOBODY, acl_try_open, R) == 0, N("named user may read"), "-");
	check(x_as(NOBODY, NOBODY, acl_try_open, W) == EACCES, N("named user may not write"), "-");
	check(x_as(NOBODY, NOBODY, try_access, (void *)R_OK) == 0, N("access R_OK"), "-");
	check(x_as(NOBODY, NOBODY, try_access, (void *)W_OK) == EACCES, N("access W_OK"), "-");
	check(x_as(1234, 1234, acl_try_open, R) == EACCES, N("another user may not read"), "-");
	{
		struct x_ace e[] = { { X_UOBJ, 6 }, { X_USER, 6, NOBODY }, { X_GOBJ, 0 }, { X_MASK, 4 },
				     { X_OTHER, 0 } };
		acl_set(f, ACL_ACCESS, e, 5);
	}
	check(x_as(NOBODY, NOBODY, acl_try_open, RW) == EACCES, N("mask removes write"), "-");
	chmod(f, 0660);	/* the mask becomes rw- */
	check(x_as(NOBODY, NOBODY, acl_try_open, RW) == 0, N("chmod widened the mask"), "-");
	chmod(f, 0600);	/* the mask becomes --- */
	check(x_as(NOBODY, NOBODY, acl_try_open, R) == EACCES, N("chmod g-rw closes the mask"), "-");

	/* named groups and the owning group */
	x_file(f, i, "g", 0600);
	chown(f, 0, 4242);
	{
		struct x_ace e[] = { { X_UOBJ, 6 }, { X_GOBJ, 0 }, { X_GROUP, 6, 5000 }, { X_MASK, 6 },
				     { X_OTHER, 4 } };
		acl_set(f, ACL_ACCESS, e, 5);
	}
	check(x_as(NOBODY, 5000, acl_try_open, RW) == 0, N("named group grants rw"), "-");
	check(x_as(NOBODY, 4242, acl_try_open, R) == EACCES, N("owning group matched, denies over other"), "-");
	check(x_as(NOBODY, 1, acl_try_open, R) == 0, N("no group matched: other"), "-");
	check(x_as(NOBODY, 1, acl_try_open, W) == EACCES, N("other may not write"), "-");

	/* the owner is judged by the owner entry only */
	x_file(f, i, "o", 0600);
	chown(f, NOBODY, 0);
	{
		struct x_ace e[] = { { X_UOBJ, 0 }, { X_USER, 7, NOBODY }, { X_GOBJ, 0 }, { X_MASK, 7 },
				     { X_OTHER, 7 } };
		acl_set(f, ACL_ACCESS, e, 5);
	}
	check(x_as(NOBODY, NOBODY, acl_try_open, R) == EACCES, N("owner entry --- wins"), "-");
	check(x_as(1234, 1234, acl_try_open, RW) == 0, N("other rwx"), "-");

	/* directories: search without read */
	x_path(d, i, "dir");
	mkdir(d, 0700);
	{
		struct x_ace e[] = { { X_UOBJ, 7 }, { X_USER, 1, NOBODY }, { X_GOBJ, 0 }, { X_MASK, 1 },
				     { X_OTHER, 0 } };
		acl_set(d, ACL_ACCESS, e, 5);
	}
	x_path(f, i, "dir/in");
	close(open(f, O_CREAT | O_WRONLY, 0644));
	chmod(f, 0644);
	acl_target = f;
	check(x_as(NOBODY, NOBODY, acl_try_open, R) == 0, N("search through the named entry"), "-");
	check(x_as(1234, 1234, acl_try_open, R) == EACCES, N("others cannot search"), "-");
	acl_target = d;
	check(x_as(NOBODY, NOBODY, try_opendir, NULL) == EACCES, N("but cannot list"), "-");
	x_path(f, i, "dir/new");
	acl_target = f;
	check(x_as(NOBODY, NOBODY, acl_try_open, (void *)(long)(O_CREAT | O_WRONLY)) == EACCES,
	      N("nor create"), "-");
#undef N
}

int main(void)
{
	return acl_main("acl_perm", 022, perm);
}
