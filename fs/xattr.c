/*
 * xattr.c - extended attributes.  No filesystem here stores them yet, so
 * these behave as Linux does on a filesystem without xattr support: the
 * path or fd is checked as usual, listing gives an empty list, and
 * reading, setting or removing a name is -EOPNOTSUPP.
 */
#include "kernel/fs.h"
#include "kernel/mm.h"
#include "kernel/syscalls.h"
#include "uapi/linux/xattr.h"
#include "internal.h"

#define XATTR_NAME_MAX_ 255

/* Checks the attribute name: 0, -EFAULT or -ERANGE (empty or too long). */
static long check_name(uaddr_t uname)
{
	char name[XATTR_NAME_MAX_ + 1];
	long n = strncpy_from_user(name, uname, sizeof(name));

	if (n == -ENAMETOOLONG || n == 0)
		return -ERANGE;
	return n < 0 ? n : 0;
}

/* Resolves the object: a path (following symlinks or not) or an fd. */
static long check_target(long target, bool is_fd, bool follow)
{
	struct path p;
	struct file *f;
	long err;

	if (is_fd) {
		f = fd_get_file((int)target);
		if (!f)
			return -EBADF;
		fput(f);
		return 0;
	}
	err = user_path(AT_FDCWD, UADDR(target), follow ? LOOKUP_FOLLOW : 0, &p);
	if (err < 0)
		return err;
	path_put(&p);
	return 0;
}

static long do_get(const long *a, bool is_fd, bool follow)
{
	long err = check_target(a[0], is_fd, follow);

	if (!err)
		err = check_name(UADDR(a[1]));
	return err ? err : -EOPNOTSUPP;
}

static long do_set(const long *a, bool is_fd, bool follow)
{
	long err;

	if ((int)a[4] & ~(XATTR_CREATE | XATTR_REPLACE))
		return -EINVAL;
	if ((size_t)a[3] > 65536)	/* XATTR_SIZE_MAX */
		return -E2BIG;
	err = check_target(a[0], is_fd, follow);
	if (!err)
		err = check_name(UADDR(a[1]));
	return err ? err : -EOPNOTSUPP;
}

static long do_list(const long *a, bool is_fd, bool follow)
{
	long err = check_target(a[0], is_fd, follow);

	return err ? err : 0;	/* no attributes */
}

static long do_remove(const long *a, bool is_fd, bool follow)
{
	long err = check_target(a[0], is_fd, follow);

	if (!err)
		err = check_name(UADDR(a[1]));
	return err ? err : -EOPNOTSUPP;
}

SYSCALL(getxattr) { return do_get(a, false, true); }
SYSCALL(lgetxattr) { return do_get(a, false, false); }
SYSCALL(fgetxattr) { return do_get(a, true, false); }
SYSCALL(setxattr) { return do_set(a, false, true); }
SYSCALL(lsetxattr) { return do_set(a, false, false); }
SYSCALL(fsetxattr) { return do_set(a, true, false); }
SYSCALL(listxattr) { return do_list(a, false, true); }
SYSCALL(llistxattr) { return do_list(a, false, false); }
SYSCALL(flistxattr) { return do_list(a, true, false); }
SYSCALL(removexattr) { return do_remove(a, false, true); }
SYSCALL(lremovexattr) { return do_remove(a, false, false); }
SYSCALL(fremovexattr) { return do_remove(a, true, false); }
