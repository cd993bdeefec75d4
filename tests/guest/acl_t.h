/*
 * acl_t.h - the setup the acl_* guest programs share (over xattr_t.h):
 * a file's permission bits, an ACL set from entries, an open tried as
 * another user (x_as) on acl_target, and the main that runs a program's
 * checks in each scratch folder (disk and tmpfs).
 */
#ifndef GUEST_ACL_T_H
#define GUEST_ACL_T_H

#include "xattr_t.h"

/* The path the try_* functions given to x_as work on. */
static const char *acl_target;

/* The permission bits of p itself (not what a symlink points at), or -1. */
__attribute__((unused)) static mode_t acl_mode(const char *p)
{
	struct stat st;

	return lstat(p, &st) < 0 ? (mode_t)-1 : st.st_mode & 07777;
}

/* Sets the ACL name (ACL_ACCESS or ACL_DEFAULT) of p to entries e[n];
 * a failure is printed as a comment line (the checks after it show it). */
__attribute__((unused)) static void acl_set(const char *p, const char *name,
					    const struct x_ace *e, int n)
{
	unsigned char buf[256];

	if (setxattr(p, name, buf, x_acl(buf, e, n), 0) < 0)
		printf("# setxattr %s: %s\n", p, strerror(errno));
}

/* open(acl_target, flags arg): 0 or the errno, for x_as. */
__attribute__((unused)) static int acl_try_open(void *arg)
{
	int fd = open(acl_target, (int)(long)arg);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

/* main: checks(i) in folder i of each kind, with umask mask (-1: the
 * one inherited). */
static int acl_main(const char *prog, int mask, void (*checks)(int))
{
	t_start();
	if (mask >= 0)
		umask((mode_t)mask);
	x_setup(prog);
	for (int i = 0; i < 2; i++)
		checks(i);
	x_cleanup();
	return t_done();
}

#endif
