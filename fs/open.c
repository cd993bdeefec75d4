/*
 * open.c - opening and closing files, and changing inode attributes:
 * open/openat/openat2/creat/close, O_TMPFILE, truncate, chmod, chown, access, utimensat,
 * umask.
 *
 * open resolves the name (creating the last component for O_CREAT),
 * checks the access the flags ask for, then dentry_open makes the struct
 * file and calls the inode's i_fop->open (device and FIFO opens replace
 * f_op there).  Attribute changes funnel through notify_change, which
 * calls the filesystem's setattr.
 */
#include "kernel/kernel.h"
#include "kernel/groups.h"
#include "kernel/fs.h"
#include "kernel/mm.h"
#include "kernel/page.h"
#include "kernel/sched.h"
#include "kernel/syscalls.h"
#include "uapi/linux/utime.h"
#include "uapi/linux/resource.h"
#include "kernel/xattr.h"
#include "internal.h"
#include "kernel/fsnotify.h"

#define TMPFS_SUPER_MAGIC	0x01021994
#define UTIME_NOW	((1L << 30) - 1L)
#define UTIME_OMIT	((1L << 30) - 2L)

static umode_t cur_umask(void)
{
	return (current && current->fs) ? current->fs->umask : 022;
}

static int acc_mask(int flags)
{
	switch (flags & O_ACCMODE) {
	case O_RDONLY:
		return MAY_READ;
	case O_WRONLY:
		return MAY_WRITE;
	default:
		return MAY_READ | MAY_WRITE;
	}
}

/*
 * Makes an open file for p with flags (O_*), calling i_fop->open:
 * the file (a reference) or ERR_PTR.  Permissions are the caller's
 * business.  May sleep.
 */
struct file *dentry_open(const struct path *p, int flags)
{
	struct inode *inode = p->dentry->d_inode;
	struct file *f = file_alloc();
	int err;

	if (IS_ERR(f))
		return f;
	f->f_path = *p;
	path_get(&f->f_path);
	ihold(inode);
	f->f_inode = inode;
	/* O_NOCTTY stays for ->open (a terminal's), then goes, as in Linux's do_dentry_open. */
	/* O_EXCL too stays for ->open (a block device's exclusive claim). */
	f->f_flags = (unsigned)flags & ~(unsigned)(O_CREAT | O_TRUNC | O_CLOEXEC);
	if (flags & O_PATH) {
		f->f_flags &= O_PATH | O_DIRECTORY | O_NOFOLLOW | O_LARGEFILE;
		return f;
	}
	if ((flags & O_ACCMODE) != O_WRONLY && (flags & O_ACCMODE) != 3)
		f->f_mode |= FMODE_READ;
	if ((flags & O_ACCMODE) != O_RDONLY && (flags & O_ACCMODE) != 3)
		f->f_mode |= FMODE_WRITE;
	/* A program an address space runs takes no writer (ETXTBSY). */
	if ((f->f_mode & FMODE_WRITE) && inode->i_denywrite > 0) {
		fput(f);
		return ERR_PTR(-ETXTBSY);
	}
	/* The open counts leases look at (Linux's i_readcount/i_writecount). */
	if (f->f_mode & FMODE_WRITE)
		inode->i_writecount++;
	else if (f->f_mode & FMODE_READ)
		inode->i_readcount++;
	f->f_mode |= FMODE_COUNTED;
	/* A writer of the mount and its filesystem, which then stay
	 * read-write (remount ro: EBUSY); devices, FIFOs and sockets write
	 * elsewhere, as in Linux's do_dentry_open (special_file). */
	if ((f->f_mode & FMODE_WRITE) && p->mnt != NULL &&
	    (S_ISREG(inode->i_mode) || S_ISDIR(inode->i_mode) || S_ISLNK(inode->i_mode))) {
		p->mnt->mnt_writers++;
		p->mnt->mnt_sb->s_writers++;
		f->f_mode |= FMODE_MNT_WRITE;
	}
	/* Linux's FMODE_CAN_ODIRECT: only what has direct I/O; O_DIRECT on
	 * anything else (procfs, devices, FIFOs, directories) is EINVAL. */
	if ((S_ISREG(inode->i_mode) && (inode->i_sb->s_bdev != NULL ||
					inode->i_sb->s_magic == TMPFS_SUPER_MAGIC)) ||
	    S_ISBLK(inode->i_mode))
		f->f_mode |= FMODE_CAN_ODIRECT;
	f->f_op = inode->i_fop;
	if ((flags & O_DIRECT) && !(f->f_mode & FMODE_CAN_ODIRECT)) {
		f->f_op = NULL;
		fput(f);
		return ERR_PTR(-EINVAL);
	}
	if (f->f_op != NULL && f->f_op->open != NULL) {
		err = f->f_op->open(inode, f);
		if (err < 0) {
			f->f_op = NULL;		/* no release for a failed open */
			fput(f);
			return ERR_PTR(err);
		}
	}
	f->f_flags &= ~(unsigned)(O_NOCTTY | O_EXCL);
	return f;
}

/* Checks an existing inode against the open flags. */
static int may_open(const struct path *p, int flags, bool created)
{
	struct inode *inode = p->dentry->d_inode;
	bool writes = (flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC);
	int mask = acc_mask(flags) | ((flags & O_TRUNC) ? MAY_WRITE : 0);
	int err;

	if (flags & O_PATH)
		return 0;
	if (S_ISLNK(inode->i_mode))
		return -ELOOP;
	if ((flags & O_DIRECTORY) && !S_ISDIR(inode->i_mode))
		return -ENOTDIR;
	if (S_ISDIR(inode->i_mode) && writes)
		return -EISDIR;
	if ((S_ISCHR(inode->i_mode) || S_ISBLK(inode->i_mode)) && (p->mnt->mnt_flags & MNT_NODEV))
		return -EACCES;
	if (!created) {
		err = inode_permission(inode, mask);
		if (err < 0)
			return err;
	}
	if (S_ISSOCK(inode->i_mode))
		return -ENXIO;	/* a socket node is connected to, never opened */
	if ((flags & O_NOATIME) && !inode_owner_or_capable(inode))
		return -EPERM;
	if (writes && (S_ISREG(inode->i_mode) || S_ISDIR(inode->i_mode)))
		return mnt_want_write(p);
	return 0;
}

/* Creates nd's last component as a regular file; *out gets its path. */
static int open_create_new(struct nameidata *nd, umode_t mode, struct path *out)
{
	struct inode *dir = nd->path.dentry->d_inode;
	struct posix_acl *acl, *dacl;
	struct inode *inode;
	struct dentry *d;
	int err;

	if (nd->trailing_slash)
		return -EISDIR;
	err = mnt_want_write(&nd->path);
	if (err == 0)
		err = inode_permission(dir, MAY_WRITE | MAY_EXEC);
	if (err < 0)
		return err;
	if (dir->i_op == NULL || dir->i_op->create == NULL)
		return -EACCES;
	mode = (mode & 07777) | S_IFREG;
	err = posix_acl_prepare(dir, &mode, cur_umask(), &acl, &dacl);
	if (err < 0)
		return err;
	inode = dir->i_op->create(dir, nd->last, nd->last_len, mode);
	posix_acl_inherit(inode, acl, dacl);
	if (IS_ERR(inode))
		return (int)PTR_ERR(inode);
	inode_new_nosec(inode);
	fsnotify_create(dir, nd->last, nd->last_len, inode);
	d = d_add_child(nd->path.dentry, nd->last, nd->last_len, inode);
	if (d == NULL)
		return -ENOMEM;
	out->mnt = nd->path.mnt;
	out->dentry = d;
	return 0;
}

/*
 * O_CREAT: finds or creates the last component, following a final
 * symlink (even to a name that does not exist yet) unless O_EXCL or
 * O_NOFOLLOW.  *created says whether the file is new.  May sleep.
 */
static int open_create(int dfd, const char *name, int flags, umode_t mode, unsigned lf,
		       struct path *out, bool *created)
{
	struct nameidata nd;
	struct dentry *d;
	int err;

	err = path_parent_flags(&nd, dfd, name, lf);
	while (err == 0) {
		err = -ENOENT;
		if (d_dead(nd.path.dentry))
			break;		/* the directory was removed */
		err = -EISDIR;
		if (nd.last_type != LAST_NORM)
			break;
		d = lookup_child(nd.path.dentry, nd.last, nd.last_len);
		if (IS_ERR(d)) {
			err = (int)PTR_ERR(d);
			if (err == -ENOENT)
				err = open_create_new(&nd, mode, out);
			*created = err == 0;
			break;
		}
		err = -EEXIST;
		if ((flags & O_EXCL) || (S_ISLNK(d->d_inode->i_mode) && (flags & O_NOFOLLOW))) {
			err = (flags & O_EXCL) ? -EEXIST : -ELOOP;
			dput(d);
			break;
		}
		if (d_is_magic_link(d)) {
			/* /dev/stdout and the like: the open file's own object. */
			err = nd_jump_link(&nd, d);
			dput(d);
			if (err < 0)
				break;
			*out = nd.path;
			path_get(out);
		} else if (S_ISLNK(d->d_inode->i_mode)) {
			err = walk_follow_link(&nd, d);
			dput(d);
			continue;
		} else {
			out->mnt = nd.path.mnt;
			out->dentry = d;
			follow_mounts(out);
		}
		err = S_ISDIR(out->dentry->d_inode->i_mode) ? -EISDIR : 0;
		if (err == 0 && nd.trailing_slash)
			err = -ENOTDIR;
		if (err < 0)
			path_put(out);
		break;
	}
	nd_release(&nd);
	return err;
}

/* "#INO", the name Linux gives an O_TMPFILE's dentry. */
static void tmpfile_tag(char tag[24], u64 ino)
{
	char digits[21];
	int n = 0, i = 0;

	do {
		digits[n++] = (char)('0' + ino % 10);
		ino /= 10;
	} while (ino != 0);
	tag[i++] = '#';
	while (n > 0)
		tag[i++] = digits[--n];
	tag[i] = '\0';
}

/*
 * O_TMPFILE: a new unnamed regular file in the directory name, open for
 * writing; linkat can name it later unless O_EXCL.  May sleep.
 */
static int open_tmpfile(int dfd, const char *name, int flags, umode_t mode, unsigned lf,
			struct path *out)
{
	struct posix_acl *acl, *dacl;
	struct inode *dir, *inode;
	struct path p;
	struct dentry *d;
	char tag[24];
	int err;

	err = kern_path(dfd, name, lf | LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &p);
	if (err < 0)
		return err;
	dir = p.dentry->d_inode;
	err = inode_permission(dir, MAY_WRITE | MAY_EXEC);
	if (err == 0)
		err = mnt_want_write(&p);
	if (err == 0 && (dir->i_op == NULL || dir->i_op->tmpfile == NULL))
		err = -EOPNOTSUPP;
	if (err < 0)
		goto out;
	mode = (mode & 07777) | S_IFREG;
	err = posix_acl_prepare(dir, &mode, cur_umask(), &acl, &dacl);
	if (err < 0)
		goto out;
	inode = dir->i_op->tmpfile(dir, mode);
	posix_acl_inherit(inode, acl, dacl);
	err = IS_ERR(inode) ? (int)PTR_ERR(inode) : 0;
	if (err < 0)
		goto out;
	inode->i_linkable = !(flags & O_EXCL);
	/* A dentry that no lookup finds, named as Linux names it. */
	tmpfile_tag(tag, inode->i_ino);
	err = -ENOMEM;
	d = d_alloc(p.dentry, tag, (int)strlen(tag));
	if (d == NULL) {
		iput(inode);
		goto out;
	}
	d_instantiate(d, inode);
	d_delete(d);
	out->mnt = p.mnt;
	out->dentry = d;
	err = 0;
out:
	path_put(&p);
	return err;
}

/*
 * Breaks the leases an open with flags conflicts with.  The opener counts
 * as an open file while it waits, as in Linux (which counts it first), so
 * a holder cannot take a lease it would conflict with.  May sleep.
 */
static int open_break_lease(struct inode *inode, int flags)
{
	int *count = (flags & O_ACCMODE) != O_RDONLY ? &inode->i_writecount : &inode->i_readcount;
	int err;

	if (inode->i_flctx == NULL)
		return 0;
	(*count)++;		/* the caller's path holds the inode */
	err = break_lease(inode, (unsigned)flags);
	(*count)--;
	return err;
}

/*
 * Opens name relative to dfd as open(2) does, with lf the walk flags
 * (openat2's RESOLVE_*): the file (a reference) or ERR_PTR(-errno).
 * May sleep.
 */
struct file *do_file_open(int dfd, const char *name, int flags, umode_t mode, unsigned lf)
{
	bool created = false;
	struct path p;
	struct file *f;
	int err;

	/* Linux 6.4+: O_DIRECTORY|O_CREAT is refused (it also keeps
	 * O_TMPFILE, which contains O_DIRECTORY, from meeting O_CREAT). */
	if ((flags & (O_DIRECTORY | O_CREAT)) == (O_DIRECTORY | O_CREAT))
		return ERR_PTR(-EINVAL);
	if (flags & O_PATH)
		flags &= O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
	if (flags & __O_TMPFILE) {
		if ((flags & (__O_TMPFILE | O_DIRECTORY | O_CREAT)) != O_TMPFILE ||
		    !(acc_mask(flags) & MAY_WRITE))
			return ERR_PTR(-EINVAL);
		err = open_tmpfile(dfd, name, flags, mode, lf, &p);
		created = true;
		flags &= ~(O_DIRECTORY | __O_TMPFILE);
	} else if (flags & O_CREAT) {
		err = open_create(dfd, name, flags, mode, lf, &p, &created);
	} else {
		if (!(flags & O_NOFOLLOW))
			lf |= LOOKUP_FOLLOW;
		if (flags & O_DIRECTORY)
			lf |= LOOKUP_DIRECTORY;
		err = kern_path(dfd, name, lf, &p);
	}
	if (err < 0)
		return ERR_PTR(err);
	err = may_open(&p, flags, created);
	if (err == 0 && !(flags & O_PATH) && !created)
		err = open_break_lease(p.dentry->d_inode, flags);
	f = err < 0 ? ERR_PTR(err) : dentry_open(&p, flags);
	if (!IS_ERR(f) && (flags & O_TRUNC) && !created && S_ISREG(f->f_inode->i_mode)) {
		err = do_truncate(p.dentry, 0);
		if (err < 0) {
			fput(f);
			f = ERR_PTR(err);
		}
	}
	path_put(&p);
	return f;
}

/* open(2) of name relative to dfd: the file or ERR_PTR(-errno).  May sleep. */
struct file *do_filp_open(int dfd, const char *name, int flags, umode_t mode)
{
	return do_file_open(dfd, name, flags, mode, 0);
}

/* Opens path for kernel use (exec, boot): the file or ERR_PTR.  May sleep. */
struct file *vfs_open(const char *path, int flags, umode_t mode)
{
	return do_filp_open(AT_FDCWD, path, flags | O_LARGEFILE, mode);
}

static long do_sys_open(int dfd, uaddr_t uname, int flags, umode_t mode, unsigned lf)
{
	char *name = getname(uname, false);
	struct file *f;
	long fd;

	if (IS_ERR(name))
		return PTR_ERR(name);
	f = do_file_open(dfd, name, flags | O_LARGEFILE, mode, lf);
	putname(name);
	if (IS_ERR(f))
		return PTR_ERR(f);
	fsnotify_file(f, IN_OPEN);
	fd = fd_install(f, flags & O_CLOEXEC);
	if (fd < 0)
		fput(f);
	return fd;
}

SYSCALL(openat)
{
	return do_sys_open((int)a[0], UADDR(a[1]), (int)a[2], (umode_t)a[3], 0);
}

#define OPEN_HOW_SIZE_VER0	24
#define VALID_OPEN_FLAGS	(O_ACCMODE | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | \
				 O_APPEND | O_NONBLOCK | O_DSYNC | O_SYNC | FASYNC | \
				 O_DIRECT | O_LARGEFILE | O_DIRECTORY | O_NOFOLLOW | \
				 O_NOATIME | O_CLOEXEC | O_PATH | __O_TMPFILE)
#define VALID_RESOLVE_FLAGS	(RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS | \
				 RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH | RESOLVE_IN_ROOT | \
				 RESOLVE_CACHED)

/*
 * Reads a struct open_how of usize bytes as Linux's copy_struct_from_user
 * does: a shorter one than version 0 is -EINVAL, a longer one must have
 * only zeros past what we know (-E2BIG).  May sleep.
 */
static int get_open_how(uaddr_t uhow, u64 usize, struct open_how *how)
{
	u8 rest[64];
	u64 off;

	if (usize < OPEN_HOW_SIZE_VER0)
		return -EINVAL;
	if (usize > PAGE_SIZE)
		return -E2BIG;
	memset(how, 0, sizeof(*how));
	if (copy_from_user(how, uhow, min(usize, (u64)sizeof(*how))) < 0)
		return -EFAULT;
	for (off = sizeof(*how); off < usize; off += sizeof(rest)) {
		u64 n = min(usize - off, (u64)sizeof(rest)), i;

		if (copy_from_user(rest, uaddr_off(uhow, off), n) < 0)
			return -EFAULT;
		for (i = 0; i < n; i++)
			if (rest[i] != 0)
				return -E2BIG;
	}
	return 0;
}

/* openat2's checks (Linux's build_open_flags): the walk flags, or -EINVAL. */
static long open_how_check(const struct open_how *how, unsigned *lf)
{
	u64 flags = how->flags;

	if (flags & ~(u64)VALID_OPEN_FLAGS)
		return -EINVAL;
	if (how->resolve & ~(u64)VALID_RESOLVE_FLAGS)
		return -EINVAL;
	if ((how->resolve & RESOLVE_BENEATH) && (how->resolve & RESOLVE_IN_ROOT))
		return -EINVAL;
	if ((flags & O_CREAT) || (flags & __O_TMPFILE) == __O_TMPFILE) {
		if (how->mode & ~(u64)07777)
			return -EINVAL;
	} else if (how->mode != 0) {
		return -EINVAL;
	}
	if ((flags & O_PATH) && (flags & ~(u64)(O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)))
		return -EINVAL;
	if ((flags & O_CREAT) && (flags & O_DIRECTORY))
		return -EINVAL;
	if ((how->resolve & RESOLVE_CACHED) && (flags & (O_TRUNC | O_CREAT | __O_TMPFILE)))
		return -EAGAIN;
	*lf = 0;
	if (how->resolve & RESOLVE_NO_XDEV)
		*lf |= LOOKUP_NO_XDEV;
	if (how->resolve & RESOLVE_NO_MAGICLINKS)
		*lf |= LOOKUP_NO_MAGICLINKS;
	if (how->resolve & RESOLVE_NO_SYMLINKS)
		*lf |= LOOKUP_NO_SYMLINKS;
	if (how->resolve & RESOLVE_BENEATH)
		*lf |= LOOKUP_BENEATH;
	if (how->resolve & RESOLVE_IN_ROOT)
		*lf |= LOOKUP_IN_ROOT;
	if (how->resolve & RESOLVE_CACHED)
		*lf |= LOOKUP_CACHED;
	return 0;
}

SYSCALL(openat2)
{
	struct open_how how;
	unsigned lf;
	long err;

	err = get_open_how(UADDR(a[2]), (u64)a[3], &how);
	if (err == 0)
		err = open_how_check(&how, &lf);
	if (err < 0)
		return err;
	return do_sys_open((int)a[0], UADDR(a[1]), (int)how.flags, (umode_t)how.mode, lf);
}

SYSCALL(open)
{
	return do_sys_open(AT_FDCWD, UADDR(a[0]), (int)a[1], (umode_t)a[2], 0);
}

SYSCALL(creat)
{
	return do_sys_open(AT_FDCWD, UADDR(a[0]), O_CREAT | O_WRONLY | O_TRUNC,
			   (umode_t)a[1], 0);
}

SYSCALL(close)
{
	struct file *f = fd_detach((int)a[0]);

	if (f == NULL)
		return -EBADF;
	filp_close(f, t->files);
	return 0;
}

/*
 * Applies attr to d's inode through the filesystem's setattr (or in
 * memory when it has none), stamping ctime: 0 or -errno.  May sleep.
 */
int notify_change(struct dentry *d, struct iattr *attr)
{
	struct inode *inode = d->d_inode;

	if (inode == NULL)
		return -ENOENT;
	unsigned valid = attr->valid;
	u64 old_size = inode->i_size;
	int err;

	attr->ctime = current_time();
	attr->valid |= ATTR_CTIME;
	if (valid & ATTR_MODE)
		inode->i_nosec = false;
	if (inode->i_op != NULL && inode->i_op->setattr != NULL) {
		err = inode->i_op->setattr(inode, attr);
	} else if (attr->valid & ATTR_SIZE) {
		err = -EPERM;
	} else {
		setattr_copy(inode, attr);
		mark_inode_dirty(inode);
		err = 0;
	}
	if (err == 0 && (valid & ATTR_SIZE) && attr->size < old_size)
		mm_truncate_mappings(inode, attr->size);
	if (err == 0)
		fsnotify_change(d, valid);
	return err;
}

/* Sets the size of d's regular file to len.  May sleep. */
int do_truncate(struct dentry *d, u64 len)
{
	struct iattr attr = { .valid = ATTR_SIZE | ATTR_MTIME, .size = len };
	u64 lim = current ? task_rlimit(current, RLIMIT_FSIZE) : RLIM_INFINITY;
	int err;

	if (d->d_inode->i_denywrite > 0)
		return -ETXTBSY;	/* truncate(2), O_TRUNC: a running program */
	/* Linux's inode_newsize_ok: growing past RLIMIT_FSIZE. */
	if (len > d->d_inode->i_size && lim != RLIM_INFINITY && len > lim)
		return fsize_exceeded();
	attr.mtime = current_time();
	err = dentry_remove_privs(d);
	if (err)
		return err;
	return notify_change(d, &attr);
}

int deny_write_access(struct file *f)
{
	struct inode *inode = f->f_inode;

	if (inode->i_writecount > 0)
		return -ETXTBSY;
	inode->i_denywrite++;
	return 0;
}

void allow_write_access(struct file *f)
{
	f->f_inode->i_denywrite--;
}

static long truncate_path(const struct path *p, long len)
{
	struct inode *inode = p->dentry->d_inode;
	long err;

	if (S_ISDIR(inode->i_mode))
		return -EISDIR;
	if (!S_ISREG(inode->i_mode))
		return -EINVAL;
	err = mnt_want_write(p);
	if (err == 0)
		err = inode_permission(inode, MAY_WRITE);
	if (err == 0)
		err = break_lease(inode, O_WRONLY);	/* Linux's vfs_truncate */
	if (err == 0)
		err = do_truncate(p->dentry, (u64)len);
	return err;
}

SYSCALL(truncate)
{
	long len = a[1];
	struct path p;
	long err;

	if (len < 0)
		return -EINVAL;
	err = user_path(AT_FDCWD, UADDR(a[0]), LOOKUP_FOLLOW, &p);
	if (err < 0)
		return err;
	err = truncate_path(&p, len);
	path_put(&p);
	return err;
}

SYSCALL(ftruncate)
{
	struct file *f = fd_get_file((int)a[0]);
	long len = a[1];
	long err = -EINVAL;

	if (f == NULL)
		return -EBADF;
	if (f->f_flags & O_PATH)
		err = -EBADF;
	else if (len >= 0 && (f->f_mode & FMODE_WRITE) && S_ISREG(f->f_inode->i_mode))
		err = do_truncate(f->f_path.dentry, (u64)len);
	fput(f);
	return err;
}

/* True if the caller owns inode or is root (Linux's inode_owner_or_capable). */
bool inode_owner_or_capable(const struct inode *inode)
{
	return current == NULL || current->euid == 0 || current->euid == inode->i_uid;
}

static long chmod_path(const struct path *p, umode_t mode)
{
	struct inode *inode = p->dentry->d_inode;
	struct iattr attr = { .valid = ATTR_MODE };
	long err = mnt_want_write(p);

	if (err < 0)
		return err;
	if (!inode_owner_or_capable(inode))
		return -EPERM;
	mode &= 07777;
	if (current && current->euid != 0 && !in_group_p(inode->i_gid))
		mode &= ~(umode_t)S_ISGID;
	attr.mode = mode | (inode->i_mode & S_IFMT);
	err = notify_change(p->dentry, &attr);
	return err ? err : posix_acl_chmod(p->dentry);
}

static long chmod_at(int dfd, uaddr_t uname, umode_t mode, unsigned lf)
{
	struct path p;
	long err = user_path(dfd, uname, lf, &p);

	if (err < 0)
		return err;
	err = chmod_path(&p, mode);
	path_put(&p);
	return err;
}

SYSCALL(chmod)
{
	return chmod_at(AT_FDCWD, UADDR(a[0]), (umode_t)a[1], LOOKUP_FOLLOW);
}

SYSCALL(fchmodat)
{
	return chmod_at((int)a[0], UADDR(a[1]), (umode_t)a[2], LOOKUP_FOLLOW);
}

SYSCALL(fchmod)
{
	struct file *f = fd_get_file((int)a[0]);
	long err;

	if (f == NULL)
		return -EBADF;
	err = (f->f_flags & O_PATH) ? -EBADF : chmod_path(&f->f_path, (umode_t)a[1]);
	fput(f);
	return err;
}

static long chown_path(const struct path *p, uid_t uid, gid_t gid)
{
	struct inode *inode = p->dentry->d_inode;
	struct iattr attr = { 0 };
	bool root = current == NULL || current->euid == 0;
	long err = mnt_want_write(p);

	if (err < 0)
		return err;
	if (uid != (uid_t)-1 && uid != inode->i_uid && !root)
		return -EPERM;
	if (gid != (gid_t)-1 && gid != inode->i_gid && !root &&
	    (current->euid != inode->i_uid || !in_group_p(gid)))
		return -EPERM;
	if (uid != (uid_t)-1) {
		attr.valid |= ATTR_UID;
		attr.uid = uid;
	}
	if (gid != (gid_t)-1) {
		attr.valid |= ATTR_GID;
		attr.gid = gid;
	}
	if (attr.valid && !S_ISDIR(inode->i_mode) && (inode->i_mode & (S_ISUID | S_ISGID))) {
		/* chown(2): a change of owner clears set-user-ID and set-group-ID. */
		attr.valid |= ATTR_MODE;
		attr.mode = inode->i_mode & ~(umode_t)S_ISUID;
		if (inode->i_mode & S_IXGRP)
			attr.mode &= ~(umode_t)S_ISGID;
	}
	err = notify_change(p->dentry, &attr);
	/* Linux's setattr_prepare: any chown of a non-directory drops file capabilities. */
	if (err == 0 && !S_ISDIR(inode->i_mode))
		err = inode_killpriv(inode);
	return err;
}

static long chown_at(int dfd, uaddr_t uname, uid_t uid, gid_t gid, int flags)
{
	unsigned lf = LOOKUP_FOLLOW;
	struct path p;
	long err;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (flags & AT_SYMLINK_NOFOLLOW)
		lf = 0;
	if (flags & AT_EMPTY_PATH)
		lf |= LOOKUP_EMPTY;
	err = user_path(dfd, uname, lf, &p);
	if (err < 0)
		return err;
	err = chown_path(&p, uid, gid);
	path_put(&p);
	return err;
}

SYSCALL(chown)
{
	return chown_at(AT_FDCWD, UADDR(a[0]), (uid_t)a[1], (gid_t)a[2], 0);
}

SYSCALL(lchown)
{
	return chown_at(AT_FDCWD, UADDR(a[0]), (uid_t)a[1], (gid_t)a[2], AT_SYMLINK_NOFOLLOW);
}

SYSCALL(fchownat)
{
	return chown_at((int)a[0], UADDR(a[1]), (uid_t)a[2], (gid_t)a[3], (int)a[4]);
}

SYSCALL(fchown)
{
	struct file *f = fd_get_file((int)a[0]);
	long err;

	if (f == NULL)
		return -EBADF;
	err = (f->f_flags & O_PATH) ? -EBADF :
	      chown_path(&f->f_path, (uid_t)a[1], (gid_t)a[2]);
	fput(f);
	return err;
}

static long access_path(const struct path *p, int mode)
{
	struct inode *inode = p->dentry->d_inode;
	long err = 0;

	if (mode == 0)
		return 0;
	if ((mode & MAY_WRITE) && !S_ISLNK(inode->i_mode) && !S_ISCHR(inode->i_mode) &&
	    !S_ISBLK(inode->i_mode) && !S_ISFIFO(inode->i_mode) && !S_ISSOCK(inode->i_mode))
		err = mnt_want_write(p);
	if (err == 0)
		err = inode_permission(inode, mode);
	return err;
}

/* faccessat2: checks with the real ids unless AT_EACCESS. May sleep. */
static long do_faccessat(struct task *t, int dfd, uaddr_t uname, int mode, int flags)
{
	uid_t euid = t->euid;
	gid_t egid = t->egid;
	unsigned lf = LOOKUP_FOLLOW;
	struct path p;
	long err;

	if (mode & ~7)
		return -EINVAL;
	if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (flags & AT_SYMLINK_NOFOLLOW)
		lf = 0;
	if (flags & AT_EMPTY_PATH)
		lf |= LOOKUP_EMPTY;
	if (!(flags & AT_EACCESS)) {
		t->euid = t->uid;
		t->egid = t->gid;
	}
	err = user_path(dfd, uname, lf, &p);
	if (err == 0) {
		err = access_path(&p, mode);
		path_put(&p);
	}
	t->euid = euid;
	t->egid = egid;
	return err;
}

SYSCALL(access)
{
	return do_faccessat(t, AT_FDCWD, UADDR(a[0]), (int)a[1], 0);
}

SYSCALL(faccessat)
{
	return do_faccessat(t, (int)a[0], UADDR(a[1]), (int)a[2], 0);
}

SYSCALL(faccessat2)
{
	return do_faccessat(t, (int)a[0], UADDR(a[1]), (int)a[2], (int)a[3]);
}

SYSCALL(umask)
{
	umode_t old;

	if (t->fs == NULL)
		return 022;
	old = t->fs->umask;
	t->fs->umask = (umode_t)a[0] & 0777;
	return old;
}

static bool valid_nsec(s64 ns)
{
	return (ns >= 0 && ns <= 999999999) || ns == UTIME_NOW || ns == UTIME_OMIT;
}

/* Applies one utimensat time to *t (UTIME_OMIT: leaves it out of *valid). */
static void utime_pick(const struct __kernel_timespec *ts, unsigned bit, struct ktimespec *t,
		       unsigned *valid)
{
	if (ts->tv_nsec == UTIME_OMIT) {
		*valid &= ~bit;
		return;
	}
	if (ts->tv_nsec == UTIME_NOW)
		return;
	t->sec = ts->tv_sec;
	t->nsec = ts->tv_nsec;
}

/* Sets atime/mtime of p from ts (NULL: both now), with utimensat's rules. */
static long utimes_path(const struct path *p, const struct __kernel_timespec *ts)
{
	struct inode *inode = p->dentry->d_inode;
	struct iattr attr = { .valid = ATTR_ATIME | ATTR_MTIME };
	struct ktimespec now = current_time();
	bool explicit = false;
	long err = mnt_want_write(p);

	if (err < 0)
		return err;
	attr.atime = attr.mtime = now;
	if (ts != NULL) {
		utime_pick(&ts[0], ATTR_ATIME, &attr.atime, &attr.valid);
		utime_pick(&ts[1], ATTR_MTIME, &attr.mtime, &attr.valid);
		/* Linux's ATTR_TIMES_SET: any times but both UTIME_NOW (NULL's
		 * equal) are the owner's to set, a NOW/OMIT mix included. */
		explicit = ts[0].tv_nsec != UTIME_NOW || ts[1].tv_nsec != UTIME_NOW;
	}
	if (!inode_owner_or_capable(inode)) {
		if (explicit)
			return -EPERM;
		if (inode_permission(inode, MAY_WRITE) < 0)
			return -EACCES;
	}
	return notify_change(p->dentry, &attr);
}

static long do_utimensat(int dfd, uaddr_t uname, const struct __kernel_timespec *ts, int flags)
{
	unsigned lf = (flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW;
	struct file *f;
	struct path p;
	long err;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (ts && (!valid_nsec(ts[0].tv_nsec) || !valid_nsec(ts[1].tv_nsec)))
		return -EINVAL;
	if (ts && ts[0].tv_nsec == UTIME_OMIT && ts[1].tv_nsec == UTIME_OMIT)
		return 0;
	if (uaddr_is_null(uname)) {	/* futimens: the Linux syscall takes a NULL path */
		if (dfd == AT_FDCWD)
			return -EFAULT;
		if (flags)
			return -EINVAL;
		f = fd_get_file(dfd);
		if (f == NULL)
			return -EBADF;
		/* Linux's fdget() does not see O_PATH files here. */
		err = (f->f_flags & O_PATH) ? -EBADF : utimes_path(&f->f_path, ts);
		fput(f);
		return err;
	}
	if (flags & AT_EMPTY_PATH)
		lf |= LOOKUP_EMPTY;
	err = user_path(dfd, uname, lf, &p);
	if (err < 0)
		return err;
	err = utimes_path(&p, ts);
	path_put(&p);
	return err;
}

SYSCALL(utimensat)
{
	struct __kernel_timespec ts[2];
	uaddr_t uts = UADDR(a[2]);

	if (!uaddr_is_null(uts) && copy_from_user(ts, uts, sizeof(ts)) < 0)
		return -EFAULT;
	return do_utimensat((int)a[0], UADDR(a[1]), !uaddr_is_null(uts) ? ts : NULL, (int)a[3]);
}

SYSCALL(utimes)
{
	struct __kernel_old_timeval tv[2];
	struct __kernel_timespec ts[2];
	uaddr_t utv = UADDR(a[1]);
	int i;

	if (uaddr_is_null(utv))
		return do_utimensat(AT_FDCWD, UADDR(a[0]), NULL, 0);
	if (copy_from_user(tv, utv, sizeof(tv)) < 0)
		return -EFAULT;
	for (i = 0; i < 2; i++) {
		if (tv[i].tv_usec < 0 || tv[i].tv_usec >= 1000000)
			return -EINVAL;
		ts[i].tv_sec = tv[i].tv_sec;
		ts[i].tv_nsec = tv[i].tv_usec * 1000;
	}
	return do_utimensat(AT_FDCWD, UADDR(a[0]), ts, 0);
}

SYSCALL(utime)
{
	struct utimbuf ub;
	struct __kernel_timespec ts[2];
	uaddr_t uub = UADDR(a[1]);

	if (uaddr_is_null(uub))
		return do_utimensat(AT_FDCWD, UADDR(a[0]), NULL, 0);
	if (copy_from_user(&ub, uub, sizeof(ub)) < 0)
		return -EFAULT;
	ts[0].tv_sec = ub.actime;
	ts[1].tv_sec = ub.modtime;
	ts[0].tv_nsec = ts[1].tv_nsec = 0;
	return do_utimensat(AT_FDCWD, UADDR(a[0]), ts, 0);
}
