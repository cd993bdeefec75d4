/*
 * fs_access.c - access/faccessat/faccessat2: F_OK on names that exist
 * or not, unknown mode bits and flags (EINVAL), X_OK on a file with no
 * execute bit (EACCES, even for root), AT_SYMLINK_NOFOLLOW on a dangling
 * link, ENOTDIR, EFAULT and a bad dirfd.
 */
#include "t.h"
#include "fs.h"
#include <sys/syscall.h>

int main(void)
{
	t_start();
	fs_scratch("fs_access");
	fs_put("f", "x");
	chmod("f", 0600);
	fs_put("x", "#!/bin/sh\n");
	chmod("x", 0700);
	symlink("nowhere", "dangle");
	CHECK_OK(access("f", F_OK), "F_OK existing");
	CHECK_OK(access("f", R_OK | W_OK), "R_OK|W_OK owner");
	CHECK_ERR(access("f", X_OK), EACCES, "X_OK without any x bit");
	CHECK_OK(access("x", X_OK), "X_OK with x bit");
	CHECK_OK(access(".", X_OK), "X_OK directory");
	CHECK_ERR(access("f", 8), EINVAL, "unknown mode bit");
	CHECK_ERR(access("missing", F_OK), ENOENT, "missing");
	CHECK_ERR(access("f/x", F_OK), ENOTDIR, "through a file");
	CHECK_ERR(access("dangle", F_OK), ENOENT, "dangling symlink followed");
	CHECK_OK(syscall(SYS_faccessat2, AT_FDCWD, "dangle", F_OK, AT_SYMLINK_NOFOLLOW),
		 "faccessat2 NOFOLLOW on dangling link");
	CHECK_ERR(syscall(SYS_faccessat2, AT_FDCWD, "f", F_OK, 0x1), EINVAL, "faccessat2 flag 1");
	CHECK_OK(syscall(SYS_faccessat2, AT_FDCWD, "f", R_OK, AT_EACCESS), "faccessat2 AT_EACCESS");
	CHECK_ERR(syscall(SYS_faccessat, -3, "f", F_OK), EBADF, "faccessat bad dirfd");
	CHECK_ERR(syscall(SYS_access, (void *)8, F_OK), EFAULT, "bad name");
	CHECK_ERR(access("", F_OK), ENOENT, "empty name");
	CHECK_OK(syscall(SYS_faccessat2, AT_FDCWD, "", F_OK, AT_EMPTY_PATH), "faccessat2 empty cwd");
	return t_done();
}
