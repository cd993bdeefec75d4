/*
 * xattr_perm.c - who may do what (xattr(7)): user.* needs read
 * permission to read and write permission to write (EACCES); a sticky
 * directory's user.* only its owner (EPERM); trusted.* without
 * CAP_SYS_ADMIN is EPERM to write, ENODATA to read, and missing from
 * lists; security.* can be read by anyone but written only with
 * CAP_SYS_ADMIN; listing needs no permission on the file.
 */
#include "xattr_t.h"

static const char *target;

static int try_get(void *arg)
{
	char buf[16];

	return getxattr(target, arg, buf, sizeof(buf)) < 0 ? errno : 0;
}

static int try_set(void *arg)
{
	return setxattr(target, arg, "v", 1, 0) < 0 ? errno : 0;
}

static int try_remove(void *arg)
{
	return removexattr(target, arg) < 0 ? errno : 0;
}

/* The sorted list nobody sees, as an exit status: 0 if it equals arg. */
static int try_list(void *arg)
{
	return strcmp(x_list(target), arg) ? 1 : 0;
}

static void perm(int i)
{
	char f[1024], d[1024], s[1024], name[96];
	const char *L = x_labels[i];

#define N(s) (snprintf(name, sizeof(name), "%s %s", L, s), name)
	x_file(f, i, "ro", 0644);
	target = f;
	CHECK_OK(setxattr(f, "user.a", "1", 1, 0), N("root sets user.a"));
	CHECK_OK(setxattr(f, "trusted.t", "1", 1, 0), N("root sets trusted.t"));
	CHECK_OK(setxattr(f, "security.s", "1", 1, 0), N("root sets security.s"));
	check(x_as(NOBODY, NOBODY, try_get, "user.a") == 0, N("nobody reads user.a of 0644"), "-");
	check(x_as(NOBODY, NOBODY, try_set, "user.a") == EACCES, N("nobody writes user.a of 0644"), "-");
	check(x_as(NOBODY, NOBODY, try_remove, "user.a") == EACCES, N("nobody removes user.a"), "-");
	check(x_as(NOBODY, NOBODY, try_get, "trusted.t") == ENODATA, N("nobody reads trusted.t"), "-");
	check(x_as(NOBODY, NOBODY, try_set, "trusted.t") == EPERM, N("nobody writes trusted.t"), "-");
	check(x_as(NOBODY, NOBODY, try_remove, "trusted.t") == EPERM, N("nobody removes trusted.t"), "-");
	check(x_as(NOBODY, NOBODY, try_get, "security.s") == 0, N("nobody reads security.s"), "-");
	check(x_as(NOBODY, NOBODY, try_set, "security.s") == EPERM, N("nobody writes security.s"), "-");
	check(x_as(NOBODY, NOBODY, try_list, "security.s,user.a") == 0, N("nobody's list hides trusted"), "-");
	check(!strcmp(x_list(f), "security.s,trusted.t,user.a"), N("root's list"), "%s", x_list(f));
	check(x_as(NOBODY, NOBODY, try_get, "foo.bar") == EOPNOTSUPP, N("nobody unknown namespace"), "-");

	chmod(f, 0600);
	check(x_as(NOBODY, NOBODY, try_get, "user.a") == EACCES, N("nobody reads user.a of 0600"), "-");
	check(x_as(NOBODY, NOBODY, try_list, "security.s,user.a") == 0, N("nobody lists 0600"), "-");
	chmod(f, 0666);
	check(x_as(NOBODY, NOBODY, try_set, "user.b") == 0, N("nobody writes user.b of 0666"), "-");
	check(x_as(NOBODY, NOBODY, try_remove, "user.b") == 0, N("nobody removes user.b of 0666"), "-");
	chmod(f, 0222);
	check(x_as(NOBODY, NOBODY, try_set, "user.c") == 0, N("write-only file: set"), "-");
	check(x_as(NOBODY, NOBODY, try_get, "user.c") == EACCES, N("write-only file: get"), "-");

	/* Owner: own file with no permission bits is still EACCES for user.* */
	x_file(f, i, "own", 0644);
	chown(f, NOBODY, NOBODY);
	chmod(f, 0);
	check(x_as(NOBODY, NOBODY, try_set, "user.o") == EACCES, N("owner without w bit"), "-");
	chmod(f, 0200);
	check(x_as(NOBODY, NOBODY, try_set, "user.o") == 0, N("owner with w bit"), "-");

	/* A sticky directory: writable by all, user.* only by its owner. */
	x_path(s, i, "sticky");
	mkdir(s, 0777);
	chmod(s, 01777);
	target = s;
	check(x_as(NOBODY, NOBODY, try_set, "user.s") == EPERM, N("sticky dir, not owner"), "-");
	chown(s, NOBODY, NOBODY);
	check(x_as(NOBODY, NOBODY, try_set, "user.s") == 0, N("sticky dir, owner"), "-");
	CHECK_OK(setxattr(s, "user.root", "1", 1, 0), N("sticky dir, root"));
	x_path(d, i, "plain");
	mkdir(d, 0777);
	chmod(d, 0777);
	target = d;
	check(x_as(NOBODY, NOBODY, try_set, "user.p") == 0, N("0777 dir, not owner"), "-");
	/* search permission on the way */
	x_path(d, i, "closed");
	mkdir(d, 0700);
	x_path(f, i, "closed/f");
	close(open(f, O_CREAT | O_WRONLY, 0666));
	chmod(f, 0666);
	target = f;
	check(x_as(NOBODY, NOBODY, try_get, "user.x") == EACCES, N("no search permission"), "-");
#undef N
}

int main(void)
{
	t_start();
	x_setup("xattr_perm");
	for (int i = 0; i < 2; i++)
		perm(i);
	x_cleanup();
	return t_done();
}
