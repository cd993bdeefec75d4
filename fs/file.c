/*
 * file.c - open files and fd tables.
 *
 * A struct file is one open of an inode: it holds a reference on its
 * path (f_path, may be empty for pipes) and on its inode (f_inode), both
 * dropped with the file's last fput, after f_op->release.  An fd table
 * (struct files) maps small integers to file references; tasks share it
 * after clone(CLONE_FILES) and copy it after fork.  Also here: dup*,
 * fcntl (its locks are fs/locks.c's).
 */
#include "kernel/kernel.h"
#include "kernel/fs.h"
#include "kernel/mm.h"
#include "kernel/page.h"
#include "kernel/sched.h"
#include "kernel/syscalls.h"
#include "internal.h"
#include "kernel/fsnotify.h"
#include "uapi/linux/resource.h"
#include "uapi/linux/capability.h"

#define FILES_INIT	64

/*
 * The caller's RLIMIT_NOFILE soft limit: fds are numbered below it
 * (Linux's alloc_fd end and dup2/F_DUPFD bound); the table grows to it.
 */
static int nofile(void)
{
	u64 n = current ? task_rlimit(current, RLIMIT_NOFILE) : sysctl_nr_open;

	return (int)min(n, (u64)sysctl_nr_open);
}

u64 files_max = NR_FILE;
LIST_HEAD(all_files);
unsigned int sysctl_nr_open = NR_OPEN;

/* fs.file-max's default, as Linux's files_maxfiles_init: a tenth of memory in KiB. */
void files_stat_init(u64 mem_bytes)
{
	files_max = max(mem_bytes / 1024 / 10, (u64)NR_FILE);
}

/*
 * Returns a new file with one reference and nothing else set, or
 * ERR_PTR: -ENFILE when fs.file-max files are open and the caller lacks
 * CAP_SYS_ADMIN (Linux's alloc_empty_file; every open file counts,
 * root's too), -ENOMEM.
 */
struct file *file_alloc(void)
{
	static u64 warned = ~0ULL;	/* Linux rate-limits it; here once per limit */
	struct file *f;

	if ((u64)live.files >= files_max && current != NULL &&
	    !(current->cap_effective & (1ULL << CAP_SYS_ADMIN))) {
		if (warned != files_max)
			printk(KERN_INFO "VFS: file-max limit %llu reached\n",
			       (unsigned long long)files_max);
		warned = files_max;
		return ERR_PTR(-ENFILE);
	}
	f = kzalloc(sizeof(*f));
	if (f == NULL)
		return ERR_PTR(-ENOMEM);
	f->f_count = 1;
	if (current) {
		f->f_uid = current->euid;
		f->f_gid = current->egid;
	}
	list_add(&f->f_all, &all_files);
	live.files++;
	return f;
}

/* Takes another reference on f. */
struct file *fget(struct file *f)
{
	f->f_count++;
	return f;
}

/*
 * Drops a reference; the last one calls f_op->release and drops the
 * inode and path references.  May sleep.
 */
void fput(struct file *f)
{
	BUG_ON(f->f_count <= 0);
	if (--f->f_count > 0)
		return;
	fsnotify_close(f);
	if (f->f_ep != NULL)
		eventpoll_release(f);
	if (f->f_async != NULL)
		fasync_release(f);
	locks_remove_file(f);
	if (f->f_mode & FMODE_COUNTED) {
		if (f->f_mode & FMODE_WRITE)
			f->f_inode->i_writecount--;
		else if (f->f_mode & FMODE_READ)
			f->f_inode->i_readcount--;
	}
	if (f->f_mode & FMODE_MNT_WRITE) {
		f->f_path.mnt->mnt_writers--;
		f->f_path.mnt->mnt_sb->s_writers--;
	}
	if (f->f_op != NULL && f->f_op->release != NULL)
		f->f_op->release(f->f_inode, f);
	if (f->f_inode != NULL)
		iput(f->f_inode);
	if (f->f_path.dentry != NULL)
		path_put(&f->f_path);
	list_del(&f->f_all);
	if (leak_test(files))
		return;
	live.files--;
	if (f->f_path.mnt != NULL && (f->f_path.mnt->mnt_flags & MNT_DETACHED)) {
		kfree(f);
		mnt_reap_detached();	/* the last user of a umount -l'd tree? */
		return;
	}
	kfree(f);
}

static int files_grow(struct files *fs, int want)
{
	int n = fs->max_fds ? fs->max_fds : FILES_INIT;
	struct file **fd;
	u8 *ce;

	while (n <= want)
		n *= 2;
	if (n > (int)sysctl_nr_open)
		n = (int)sysctl_nr_open;
	if (want >= n)
		return -EMFILE;
	fd = kcalloc((size_t)n, sizeof(*fd));
	ce = kcalloc((size_t)n, 1);
	if (fd == NULL || ce == NULL) {
		kfree(fd);
		kfree(ce);
		return -ENOMEM;
	}
	if (fs->max_fds) {
		memcpy(fd, fs->fd, (size_t)fs->max_fds * sizeof(*fd));
		memcpy(ce, fs->cloexec, (size_t)fs->max_fds);
	}
	kfree(fs->fd);
	kfree(fs->cloexec);
	fs->fd = fd;
	fs->cloexec = ce;
	fs->max_fds = n;
	return 0;
}

/* Returns an empty fd table with one reference, or NULL. */
struct files *files_alloc(void)
{
	struct files *fs = kzalloc(sizeof(*fs));

	if (fs == NULL)
		return NULL;
	fs->count = 1;
	if (files_grow(fs, 0) < 0) {
		kfree(fs);
		return NULL;
	}
	return fs;
}

/* Returns a copy of old (for fork) sharing its open files, or NULL. */
struct files *files_dup(struct files *old)
{
	struct files *fs = files_alloc();
	int i;

	if (fs == NULL)
		return NULL;
	if (old->max_fds > fs->max_fds && files_grow(fs, old->max_fds - 1) < 0) {
		files_put(fs);
		return NULL;
	}
	for (i = 0; i < old->max_fds; i++) {
		if (old->fd[i] != NULL)
			fs->fd[i] = fget(old->fd[i]);
		fs->cloexec[i] = old->cloexec[i];
	}
	return fs;
}

/*
 * An fd of table files that held f was closed: the process's POSIX
 * locks on the inode go (whichever fd set them), then the reference.
 * May sleep.
 */
void filp_close(struct file *f, struct files *files)
{
	locks_remove_posix(f, files);
	fput(f);
}

/* Drops a reference; the last closes every file.  May sleep. */
void files_put(struct files *fs)
{
	int i;

	if (fs == NULL || --fs->count > 0)
		return;
	for (i = 0; i < fs->max_fds; i++) {
		struct file *f = fs->fd[i];

		fs->fd[i] = NULL;
		if (f != NULL)
			filp_close(f, fs);
	}
	kfree(fs->fd);
	kfree(fs->cloexec);
	kfree(fs);
}

static struct files *cur_files(void)
{
	return current ? current->files : NULL;
}

/* Returns the file at fd of the current task (a new reference), or NULL. */
struct file *fd_get_file(int fd)
{
	struct files *fs = cur_files();

	if (fs == NULL || fd < 0 || fd >= fs->max_fds || fs->fd[fd] == NULL)
		return NULL;
	return fget(fs->fd[fd]);
}

/* The lowest free fd >= start and below RLIMIT_NOFILE, growing the table: fd or -EMFILE. */
static int fd_alloc_from(struct files *fs, int start)
{
	int fd, err, limit = nofile();

	for (fd = start; fd < fs->max_fds && fd < limit; fd++)
		if (fs->fd[fd] == NULL)
			return fd;
	fd = max(start, fs->max_fds);
	if (fd >= limit)
		return -EMFILE;
	err = files_grow(fs, fd);
	return err < 0 ? err : fd;
}

static int fd_install_from(struct file *f, int start, bool cloexec)
{
	struct files *fs = cur_files();
	int fd;

	fd = fs == NULL ? -EMFILE : fd_alloc_from(fs, start);
	if (fd < 0)
		return fd;
	fs->fd[fd] = f;
	fs->cloexec[fd] = cloexec;
	return fd;
}

/*
 * Installs f at the lowest free fd of the current task and returns it,
 * taking over the caller's reference.  On failure (-EMFILE, -ENOMEM)
 * the reference stays with the caller.
 */
int fd_install(struct file *f, int cloexec)
{
	return fd_install_from(f, 0, cloexec);
}

/*
 * Installs f at fd, closing what was there (dup2): fd or -EBADF/-ENOMEM.
 * Takes over the caller's reference in every case.  May sleep.
 */
int fd_install_at(int fd, struct file *f, bool cloexec)
{
	struct files *fs = cur_files();
	struct file *old;
	int err;

	if (fs == NULL || fd < 0 || fd >= nofile()) {
		fput(f);
		return -EBADF;
	}
	if (fd >= fs->max_fds && (err = files_grow(fs, fd)) < 0) {
		fput(f);
		return err;
	}
	old = fs->fd[fd];
	fs->fd[fd] = f;
	fs->cloexec[fd] = cloexec;
	if (old != NULL)
		filp_close(old, fs);
	return fd;
}

/* Removes fd from the current table and returns its file reference, or NULL. */
struct file *fd_detach(int fd)
{
	struct files *fs = cur_files();
	struct file *f;

	if (fs == NULL || fd < 0 || fd >= fs->max_fds || fs->fd[fd] == NULL)
		return NULL;
	f = fs->fd[fd];
	fs->fd[fd] = NULL;
	fs->cloexec[fd] = 0;
	return f;
}

/* Closes every fd marked close-on-exec.  May sleep. */
void files_close_on_exec(struct files *fs)
{
	int i;

	for (i = 0; i < fs->max_fds; i++) {
		struct file *f = fs->fd[i];

		if (f == NULL || !fs->cloexec[i])
			continue;
		fs->fd[i] = NULL;
		fs->cloexec[i] = 0;
		filp_close(f, fs);
	}
}

#define CLOSE_RANGE_UNSHARE	(1U << 1)	/* <linux/close_range.h> */
#define CLOSE_RANGE_CLOEXEC	(1U << 2)

/*
 * close_range(first, last, flags): closes (or with CLOSE_RANGE_CLOEXEC
 * marks close-on-exec) every open fd in [first, last]; with
 * CLOSE_RANGE_UNSHARE a table shared with other tasks is copied first.
 * May sleep.
 */
SYSCALL(close_range)
{
	unsigned first = (unsigned)a[0], last = (unsigned)a[1], flags = (unsigned)a[2];
	struct files *fs = t->files;
	unsigned i;

	if ((flags & ~(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC)) || first > last)
		return -EINVAL;
	if ((flags & CLOSE_RANGE_UNSHARE) && fs->count > 1) {
		struct files *copy = files_dup(fs);

		if (copy == NULL)
			return -ENOMEM;
		t->files = copy;
		files_put(fs);
		fs = copy;
	}
	for (i = first; i <= last && i < (unsigned)fs->max_fds; i++) {
		struct file *f = fs->fd[i];

		if (f == NULL)
			continue;
		if (flags & CLOSE_RANGE_CLOEXEC) {
			fs->cloexec[i] = 1;
			continue;
		}
		fs->fd[i] = NULL;
		fs->cloexec[i] = 0;
		filp_close(f, fs);
	}
	return 0;
}

SYSCALL(dup)
{
	struct file *f = fd_get_file((int)a[0]);

	long fd;

	if (f == NULL)
		return -EBADF;
	fd = fd_install(f, 0);
	if (fd < 0)
		fput(f);
	return fd;
}

static long do_dup3(int oldfd, int newfd, int flags)
{
	struct file *f;

	if (flags & ~O_CLOEXEC)
		return -EINVAL;
	if (newfd < 0 || newfd >= nofile())
		return -EBADF;		/* as Linux: past RLIMIT_NOFILE too */
	f = fd_get_file(oldfd);
	if (f == NULL)
		return -EBADF;
	return fd_install_at(newfd, f, flags & O_CLOEXEC);
}

SYSCALL(dup3)
{
	if ((int)a[0] == (int)a[1])
		return -EINVAL;
	return do_dup3((int)a[0], (int)a[1], (int)a[2]);
}

SYSCALL(dup2)
{
	int oldfd = (int)a[0], newfd = (int)a[1];

	if (oldfd == newfd) {
		struct file *f = fd_get_file(oldfd);

		if (f == NULL)
			return -EBADF;
		fput(f);
		return newfd;
	}
	return do_dup3(oldfd, newfd, 0);
}

static long fcntl_dupfd(struct file *f, int start, bool cloexec)
{
	int fd = fd_install_from(fget(f), start, cloexec);

	if (fd < 0)
		fput(f);
	return fd;
}

#define SETFL_MASK	(O_APPEND | O_NONBLOCK | O_ASYNC | O_DIRECT | O_NOATIME)

/* What fcntl may do on an O_PATH file, as on Linux. */
static bool fcntl_path_ok(unsigned cmd)
{
	return cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC || cmd == F_GETFD ||
	       cmd == F_SETFD || cmd == F_GETFL;
}

static long fcntl_file(struct task *t, int fd, struct file *f, unsigned cmd, long arg)
{
	if ((f->f_flags & O_PATH) && !fcntl_path_ok(cmd))
		return -EBADF;
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		/* Linux reads the start as an unsigned int, bounded by RLIMIT_NOFILE. */
		if ((unsigned)arg >= (unsigned)nofile())
			return -EINVAL;
		return fcntl_dupfd(f, (int)(unsigned)arg, cmd == F_DUPFD_CLOEXEC);
	case F_GETFD:
		return t->files->cloexec[fd] ? FD_CLOEXEC : 0;
	case F_SETFD:
		t->files->cloexec[fd] = (arg & FD_CLOEXEC) ? 1 : 0;
		return 0;
	case F_GETFL:
		return f->f_flags;
	case F_SETFL:
		/* Linux: O_NOATIME only for the owner; O_ASYNC only where the
		 * file has ->fasync, which disk files and directories lack. */
		if ((arg & O_NOATIME) && !(f->f_flags & O_NOATIME) &&
		    !inode_owner_or_capable(f->f_inode))
			return -EPERM;
		if (S_ISREG(f->f_inode->i_mode) || S_ISDIR(f->f_inode->i_mode))
			arg &= ~(long)O_ASYNC;
		if ((arg & O_DIRECT) && (f->f_mode & FMODE_COUNTED) && !(f->f_mode & FMODE_CAN_ODIRECT))
			return -EINVAL;		/* as open(O_DIRECT) would */
		if (((unsigned)arg ^ f->f_flags) & O_ASYNC) {
			long err = fasync_set(f, fd, (arg & O_ASYNC) != 0);

			if (err < 0)
				return err;
		}
		f->f_flags = (f->f_flags & ~(unsigned)SETFL_MASK) | ((unsigned)arg & SETFL_MASK);
		return 0;
	case F_GETLK: case F_SETLK: case F_SETLKW:
	case F_OFD_GETLK: case F_OFD_SETLK: case F_OFD_SETLKW:
		return fcntl_lock(f, cmd, UADDR(arg));
	case F_SETLEASE:
		return fcntl_setlease(f, fd, arg);
	case F_GETLEASE:
		return fcntl_getlease(f);
	case F_GETOWN: case F_SETOWN: case F_GETSIG: case F_SETSIG:
	case F_GETOWN_EX: case F_SETOWN_EX:
		return fasync_fcntl(f, cmd, arg);
	case F_SETPIPE_SZ: case F_GETPIPE_SZ:
		return pipe_fcntl(f, cmd, arg);
	case F_ADD_SEALS: case F_GET_SEALS:
		return memfd_fcntl(f, cmd, arg);
	default:
		return -EINVAL;
	}
}

SYSCALL(fcntl)
{
	int fd = (int)a[0];
	unsigned cmd = (unsigned)a[1];
	struct file *f = fd_get_file(fd);
	long ret;

	if (f == NULL)
		return -EBADF;
	ret = fcntl_file(t, fd, f, cmd, a[2]);
	fput(f);
	return ret;
}
