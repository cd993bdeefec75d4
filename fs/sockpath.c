/*
 * sockpath.c - the filesystem side of AF_UNIX addresses: making the
 * S_IFSOCK node bind(2) creates and finding the one connect(2) names.
 * (net/ sees only these two calls, not the path walker.)
 */
#include "kernel/kernel.h"
#include "kernel/fs.h"
#include "kernel/sched.h"
#include "internal.h"

static umode_t sock_umask(void)
{
	return (current && current->fs) ? current->fs->umask : 022;
}

/*
 * Makes the socket node name (relative to the cwd) and returns its path
 * in *out (references).  -EADDRINUSE if the name exists, else -errno.
 * May sleep.
 */
int vfs_mksock(const char *name, struct path *out)
{
	long err = kern_mknodat(AT_FDCWD, name, S_IFSOCK | (0777 & ~sock_umask()), 0);

	if (err == -EEXIST)
		return -EADDRINUSE;
	if (err < 0)
		return (int)err;
	return kern_path(AT_FDCWD, name, 0, out);
}

/*
 * Finds the socket node name for connect/sendto, which needs write
 * permission on it: its path in *out, -ECONNREFUSED if it is not a
 * socket, else the walk's error.  May sleep.
 */
int vfs_find_sock(const char *name, struct path *out)
{
	int err = kern_path(AT_FDCWD, name, LOOKUP_FOLLOW, out);

	if (err < 0)
		return err;
	if (!S_ISSOCK(out->dentry->d_inode->i_mode))
		err = -ECONNREFUSED;
	else
		err = inode_permission(out->dentry->d_inode, MAY_WRITE);
	if (err < 0)
		path_put(out);
	return err;
}
