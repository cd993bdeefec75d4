/*
 * cwd.c - a task's place in the tree: chdir, fchdir, chroot, getcwd.
 *
 * The cwd and root live in the task's fs_struct as path references.
 * getcwd rebuilds the name by climbing d_parent, crossing from mount
 * roots to the dentries they cover, up to the task's root.
 */
#include "kernel/kernel.h"
#include "kernel/fs.h"
#include "kernel/mm.h"
#include "kernel/page.h"
#include "kernel/sched.h"
#include "kernel/syscalls.h"
#include "internal.h"

static int may_chdir(const struct path *p)
{
	struct inode *inode = p->dentry->d_inode;

	if (inode == NULL)
		return -ENOENT;
	if (!S_ISDIR(inode->i_mode))
		return -ENOTDIR;
	return inode_permission(inode, MAY_EXEC);
}

static long set_dir(struct task *t, uaddr_t uname, bool root)
{
	struct path p;
	long err;

	if (t->fs == NULL)
		return -EINVAL;
	err = user_path(AT_FDCWD, uname, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &p);
	if (err < 0)
		return err;
	err = may_chdir(&p);
	if (err == 0)
		path_replace(root ? &t->fs->root : &t->fs->pwd, &p);
	path_put(&p);
	return err;
}

SYSCALL(chdir)
{
	return set_dir(t, UADDR(a[0]), false);
}

SYSCALL(chroot)
{
	if (t->euid != 0)
		return -EPERM;
	return set_dir(t, UADDR(a[0]), true);
}

SYSCALL(fchdir)
{
	struct file *f = fd_get_file((int)a[0]);
	long err;

	if (f == NULL)
		return -EBADF;
	err = t->fs == NULL ? -EINVAL : may_chdir(&f->f_path);
	if (err == 0)
		path_replace(&t->fs->pwd, &f->f_path);
	fput(f);
	return err;
}

/* Prepends "/name" to the text that ends at buf + *pos. */
static int prepend(char *buf, int *pos, const char *name, int len)
{
	if (*pos < len + 1)
		return -ENAMETOOLONG;
	*pos -= len;
	memcpy(buf + *pos, name, (size_t)len);
	buf[--*pos] = '/';
	return 0;
}

static int d_path_reach(const struct path *p, const struct path *root, char *buf, int size,
			bool *outside);

/*
 * Writes the name of p as seen from root into buf (size bytes) and
 * returns its offset in buf; the text runs to buf[size - 1] = NUL.
 * -ENOENT if p was removed, -ENAMETOOLONG if it does not fit.
 */
int d_path(const struct path *p, const struct path *root, char *buf, int size)
{
	return d_path_reach(p, root, buf, size, NULL);
}

/* d_path, and *outside (if not NULL) whether p lies outside root (the
 * name is then the one from the global root). */
static int d_path_reach(const struct path *p, const struct path *root, char *buf, int size,
			bool *outside)
{
	struct dentry *d = p->dentry;
	struct vfsmount *mnt = p->mnt;
	int pos = size - 1;

	buf[pos] = '\0';
	if (outside)
		*outside = false;
	if (d_unhashed(d) || d->d_inode == NULL)
		return -ENOENT;
	while (!(d == root->dentry && mnt == root->mnt)) {
		if (d == mnt->mnt_root) {
			if (mnt->mnt_parent == mnt) {
				if (outside)
					*outside = true;
				break;	/* outside the task's root */
			}
			d = mnt->mnt_mountpoint;
			mnt = mnt->mnt_parent;
			continue;
		}
		if (prepend(buf, &pos, d->d_name, d->d_len) < 0)
			return -ENAMETOOLONG;
		d = d->d_parent;
	}
	if (pos == size - 1)
		buf[--pos] = '/';
	return pos;
}

/*
 * getcwd(buf, size): the length including the NUL, -ERANGE if size is
 * too small.  A directory outside the caller's root (chroot without
 * chdir) is named "(unreachable)/..." as Linux names it (glibc's getcwd
 * then says ENOENT).
 */
SYSCALL(getcwd)
{
	static const char unreachable[] = "(unreachable)";
	uaddr_t ubuf = UADDR(a[0]);
	size_t size = (size_t)a[1];
	struct path root;
	bool outside;
	char *buf;
	long ret, len;

	if (t->fs == NULL || t->fs->pwd.dentry == NULL)
		return -ENOENT;
	buf = kmalloc(PATH_MAX);
	if (buf == NULL)
		return -ENOMEM;
	task_root(&root);
	ret = d_path_reach(&t->fs->pwd, &root, buf, PATH_MAX, &outside);
	path_put(&root);
	if (ret < 0)
		goto out;
	if (outside) {
		if (ret < (long)sizeof(unreachable) - 1) {
			ret = -ENAMETOOLONG;
			goto out;
		}
		ret -= (long)sizeof(unreachable) - 1;
		memcpy(buf + ret, unreachable, sizeof(unreachable) - 1);
	}
	len = PATH_MAX - ret;
	if ((size_t)len > size)
		ret = -ERANGE;
	else if (copy_to_user(ubuf, buf + ret, (size_t)len) < 0)
		ret = -EFAULT;
	else
		ret = len;
out:
	kfree(buf);
	return ret;
}
