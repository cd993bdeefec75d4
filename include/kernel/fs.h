/*
 * fs.h - the VFS.
 *
 * Layers, bottom up: block devices and the buffer cache (blkdev.h);
 * filesystems, which fill in inodes and implement inode_operations and
 * file_operations (fs/ext2, fs/ramfs); the VFS core in fs/: the inode
 * table, the dentry cache, mounts and path walk (fs/namei.c), open files
 * and fd tables (fs/file.c); the file syscalls (the other files of fs/).
 *
 * Locking: none, the kernel is uniprocessor and non-preemptive; but any
 * operation that reads a disk may sleep, and another task may run then.
 * A filesystem serialises its own metadata with a kmutex.
 */
#ifndef KERNEL_FS_H
#define KERNEL_FS_H

#include "kernel/wait.h"
#include "uapi/linux/stat.h"
#include "uapi/asm/stat.h"
#include "uapi/linux/fcntl.h"
#include "uapi/linux/time_types.h"
#include "uapi/asm-generic/poll.h"

/*
 * Host unit tests compile kernel code against glibc's stdint.h, which
 * defines __GLIBC__ and so hides these in <linux/stat.h>.
 */
#ifndef S_IFMT
#define S_IFMT		00170000
#define S_IFSOCK	0140000
#define S_IFLNK		0120000
#define S_IFREG		0100000
#define S_IFBLK		0060000
#define S_IFDIR		0040000
#define S_IFCHR		0020000
#define S_IFIFO		0010000
#define S_ISUID		0004000
#define S_ISGID		0002000
#define S_ISVTX		0001000
#define S_ISLNK(m)	(((m) & S_IFMT) == S_IFLNK)
#define S_ISREG(m)	(((m) & S_IFMT) == S_IFREG)
#define S_ISDIR(m)	(((m) & S_IFMT) == S_IFDIR)
#define S_ISCHR(m)	(((m) & S_IFMT) == S_IFCHR)
#define S_ISBLK(m)	(((m) & S_IFMT) == S_IFBLK)
#define S_ISFIFO(m)	(((m) & S_IFMT) == S_IFIFO)
#define S_ISSOCK(m)	(((m) & S_IFMT) == S_IFSOCK)
#endif

#define NAME_MAX	255
#define PATH_MAX	4096
#define MAX_SYMLINKS	40

/* d_type values for getdents64. */
#define DT_UNKNOWN	0
#define DT_FIFO		1
#define DT_CHR		2
#define DT_DIR		4
#define DT_BLK		6
#define DT_REG		8
#define DT_LNK		10
#define DT_SOCK		12

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE	(1 << 0)	/* <linux/fs.h> */
#define RENAME_EXCHANGE		(1 << 1)
#define RENAME_WHITEOUT		(1 << 2)
#endif

struct kstatfs;
struct file_lock_context;
struct path;
struct inode;
struct file;
struct super_block;
struct dentry;
struct page;

struct ktimespec {
	s64 sec;
	s64 nsec;
};

/*
 * The last guest page a copy reached: its PTE and the value that
 * translation was made from (mm/uaccess.c, mm_copy_to_tlb).  Zero is
 * empty.
 */
struct user_tlb {
	struct mm *mm;
	u64 page;
	u64 *pte;
	u64 val;
};

/*
 * A guest or kernel buffer for read and write.  Filesystems move bytes
 * only with uio_copy_out/uio_copy_in, so one path serves read(2) into
 * guest memory and kernel_read into a kernel buffer.
 */
struct uio {
	bool kernel;		/* kbuf, else ubuf */
	u8 *kbuf;
	uaddr_t ubuf;
	size_t len;		/* bytes requested */
	size_t done;		/* bytes moved so far */
	struct user_tlb tlb;	/* ubuf's last page, for uio_copy_out */
};
/* Copy n bytes to/from the next part of the buffer; 0 or -EFAULT. */
long uio_copy_out(struct uio *u, const void *src, size_t n);
long uio_copy_in(struct uio *u, void *dst, size_t n);
long uio_zero_out(struct uio *u, size_t n);
/* True if uio_copy_in(u, .., n) can neither fault nor sleep. */
bool uio_in_present(struct uio *u, size_t n);

/* Attributes to change, for setattr (chmod, chown, truncate, utimes). */
#define ATTR_MODE	0x01
#define ATTR_UID	0x02
#define ATTR_GID	0x04
#define ATTR_SIZE	0x08
#define ATTR_ATIME	0x10
#define ATTR_MTIME	0x20
#define ATTR_CTIME	0x40
struct iattr {
	unsigned valid;
	umode_t mode;
	uid_t uid;
	gid_t gid;
	u64 size;
	struct ktimespec atime, mtime, ctime;
};

struct inode_operations {
	/* Finds name in dir: a new inode reference, or ERR_PTR(-ENOENT). */
	struct inode *(*lookup)(struct inode *dir, const char *name, int len);
	/* Create entries; each returns the new inode (a reference) or ERR_PTR. */
	struct inode *(*create)(struct inode *dir, const char *name, int len, umode_t mode);
	struct inode *(*mkdir)(struct inode *dir, const char *name, int len, umode_t mode);
	struct inode *(*mknod)(struct inode *dir, const char *name, int len,
			       umode_t mode, dev_t rdev);
	struct inode *(*symlink)(struct inode *dir, const char *name, int len,
				 const char *target);
	int (*link)(struct inode *old, struct inode *dir, const char *name, int len);
	/* Remove the entry name, which refers to victim. */
	int (*unlink)(struct inode *dir, const char *name, int len, struct inode *victim);
	int (*rmdir)(struct inode *dir, const char *name, int len, struct inode *victim);
	/*
	 * Move; if the target exists it is replaced (VFS checked types).
	 * flags: RENAME_EXCHANGE swaps the two (both exist); RENAME_WHITEOUT
	 * leaves a whiteout (char device 0:0) at the old name, in one step.
	 */
	int (*rename)(struct inode *odir, const char *oname, int olen,
		      struct inode *ndir, const char *nname, int nlen, unsigned flags);
	/* Copies the target into buf (not NUL terminated): length or -errno. */
	int (*readlink)(struct inode *inode, char *buf, int size);
	/*
	 * A magic link (procfs fd/N, exe, cwd, root): the object it stands
	 * for, into *out (a reference), which the walk jumps to whatever its
	 * readlink text says.  0 or -errno.
	 */
	int (*get_link)(struct inode *inode, struct path *out);
	int (*setattr)(struct inode *inode, struct iattr *attr);
	/* O_TMPFILE: a new inode of mode in dir's filesystem with no name (i_nlink 0). */
	struct inode *(*tmpfile)(struct inode *dir, umode_t mode);
};

/* getdents64 callback: returns 0 to go on, nonzero when the buffer is full. */
struct dir_context;
typedef int (*filldir_t)(struct dir_context *ctx, const char *name, int len,
			 u64 ino, unsigned dtype);
struct dir_context {
	filldir_t actor;
	loff_t pos;		/* filesystem-defined cookie; the fs updates it */
};

/*
 * poll: f_op->poll calls poll_wait() for each queue it may be woken from,
 * then returns the ready events (POLLIN... from <asm-generic/poll.h>).
 * pt is NULL when the caller only wants the events.  What poll_wait does
 * with a queue is the caller's: poll/select put the task on it, epoll
 * and O_ASYNC a callback entry (qproc).  Wakers that know what changed
 * say so with wake_up_poll(wq, POLLIN...), so callbacks can ignore
 * wake-ups for events they do not watch.
 */
struct file;
struct poll_table;
typedef void (*poll_queue_proc)(struct file *f, struct wait_queue *wq, struct poll_table *pt);
struct poll_table {
	poll_queue_proc qproc;
};
void poll_wait(struct file *f, struct wait_queue *wq, struct poll_table *pt);
/* The events of f now (f_op->poll without waiting; default: readable, writable). */
unsigned vfs_poll(struct file *f, struct poll_table *pt);

struct proc_buf;	/* procfs's text buffer (fs/proc/buf.c), for show_fdinfo */

struct file_operations {
	int (*open)(struct inode *inode, struct file *f);
	void (*release)(struct inode *inode, struct file *f);
	/* read/write advance *pos; return bytes or -errno.  May sleep. */
	ssize_t (*read)(struct file *f, struct uio *u, loff_t *pos);
	ssize_t (*write)(struct file *f, struct uio *u, loff_t *pos);
	loff_t (*llseek)(struct file *f, loff_t off, int whence);	/* NULL: generic */
	int (*iterate)(struct file *f, struct dir_context *ctx);
	long (*ioctl)(struct file *f, unsigned cmd, u64 arg);
	unsigned (*poll)(struct file *f, struct poll_table *pt);
	int (*fsync)(struct file *f);
	/* A VMA mapping f was made (mmap, fork, split) or is going: System V shm counts them. */
	void (*vm_open)(struct file *f);
	void (*vm_close)(struct file *f);
	/* fallocate(2) after the VFS checks; most call generic_fallocate. */
	long (*fallocate)(struct file *f, int mode, loff_t off, loff_t len);
	/* /proc/PID/fdinfo/N's lines after mnt_id and ino (Linux's). */
	void (*show_fdinfo)(struct file *f, struct proc_buf *b);
	/* Fills the page cache pages pages[0..n) (consecutive indexes from
	 * pages[0]->index; bytes past the end read as zeros) straight from
	 * the disk: 0 or -errno.  NULL: the cache fills through read.  Called
	 * without the filesystem's locks.  May sleep. */
	int (*readpages)(struct inode *inode, struct page **pages, unsigned n);
};

/* procfs's text buffer (fs/proc/buf.c), for show_fdinfo. */
void pb_printf(struct proc_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

struct inode {
	u64 i_ino;
	umode_t i_mode;
	u32 i_nlink;
	uid_t i_uid;
	gid_t i_gid;
	u64 i_size;
	u64 i_blocks;		/* 512-byte units */
	dev_t i_rdev;
	struct ktimespec i_atime, i_mtime, i_ctime;
	int i_count;		/* references: dentries, open files, callers */
	bool i_dirty;		/* the fs must write it back */
	struct super_block *i_sb;
	const struct inode_operations *i_op;
	const struct file_operations *i_fop;
	struct list_head i_hash;	/* sb->inodes */
	struct list_head i_hnode;	/* inode_hashtable chain, by (sb, ino) */
	struct list_head i_lru;		/* unused and linked: inode_lru (fs/inode.c) */
	struct list_head i_pages;	/* page cache pages (struct page.lru) */
	u64 i_ra_next;		/* page cache: the index after the last miss's window */
	void *i_private;	/* the filesystem's own */
	struct pipe *i_pipe;	/* FIFOs */
	struct dentry *i_dentry;	/* a directory's one hashed dentry (no reference) */
	u32 i_seals;		/* memfd F_SEAL_* (fs/memfd.c) */
	struct file_lock_context *i_flctx;	/* fs/locks.c, or NULL */
	int i_readcount, i_writecount;	/* open files: read-only / writable (leases) */
	int i_denywrite;	/* address spaces running it (mm->exe_file): no writer (ETXTBSY) */
	bool i_linkable;	/* O_TMPFILE without O_EXCL: linkat may name it */
	/* No set-id bits nor file capabilities: writes need not look
	 * (Linux's S_NOSEC); cleared by a mode or security.* change. */
	bool i_nosec;
	/* POSIX ACLs read from the xattrs (a reference each), NULL for none,
	 * or ACL_NOT_CACHED until first needed (fs/posix_acl.c). */
	struct posix_acl *i_acl, *i_default_acl;
};

struct super_operations {
	/* Fill in a new inode for ino (i_ino and i_sb are set): 0 or -errno. */
	int (*read_inode)(struct inode *inode);
	int (*write_inode)(struct inode *inode);	/* May sleep. */
	/* Last reference gone: free on-disk if i_nlink == 0, release private. */
	void (*evict_inode)(struct inode *inode);
	int (*sync_fs)(struct super_block *sb);	/* write everything back */
	void (*put_super)(struct super_block *sb);
	int (*statfs)(struct super_block *sb, struct kstatfs *st);
	/* MS_REMOUNT's option string: checked, then applied; 0 or -errno. */
	int (*remount)(struct super_block *sb, const char *data);
	/* Appends the filesystem's options to /proc/mounts' buf (",size=..."). */
	void (*show_options)(struct super_block *sb, char *buf, size_t size);
	/* drop_caches and memory pressure: frees what the filesystem caches
	 * besides dentries, inodes and buffers (ext2's directory name
	 * indexes); returns the bytes freed.  Never sleeps. */
	u64 (*free_cached)(struct super_block *sb);
};

struct block_device;

struct super_block {
	dev_t s_dev;
	u64 s_magic;
	unsigned s_blocksize;
	u64 s_maxbytes;			/* largest file size; 0: MAX_LFS_FILESIZE */
	bool s_rdonly;
	int s_writers;			/* files open for writing on it: remount ro is EBUSY */
	struct block_device *s_bdev;	/* or NULL */
	const struct super_operations *s_op;
	struct inode *s_root;		/* a reference */
	struct list_head inodes;	/* cached inodes */
	void *s_fs_info;
	struct list_head s_list;	/* all superblocks */
	struct file_system_type *s_type;	/* set when mounted */
	/* A walk of all superblocks that sleeps (sync) holds a count so the
	 * superblock stays on the list and in memory; s_umount keeps its
	 * teardown out of a sync in progress (fs/super.c). */
	int s_count;			/* 1 while mounted, +1 per walker */
	bool s_dying;			/* torn down: walkers skip it */
	struct kmutex s_umount;
	/* Extended attributes and ACLs (kernel/xattr.h), or NULL: none. */
	const struct xattr_operations *s_xattr;
};

struct file_system_type {
	const char *name;
	bool requires_dev;
	/* One instance (devtmpfs): a new mount shows the mounted one's superblock and tree. */
	bool single;
	/* Fill sb (s_dev, s_bdev set): set s_op, s_root; 0 or -errno. */
	int (*fill_super)(struct super_block *sb, const char *data, bool silent);
	struct file_system_type *next;
};

struct kstatfs {
	u64 f_type, f_bsize, f_blocks, f_bfree, f_bavail, f_files, f_ffree;
	u64 f_namelen, f_frsize, f_flags;
};

/* Inode cache (fs/inode.c). */
struct inode *iget(struct super_block *sb, u64 ino);	/* reads via read_inode */
struct inode *new_inode(struct super_block *sb);	/* for fs create paths */
void inode_insert(struct inode *inode);			/* after new_inode + ino */
void ihold(struct inode *inode);
void iput(struct inode *inode);		/* May sleep (write back, evict). */
void mark_inode_dirty(struct inode *inode);
void setattr_copy(struct inode *inode, const struct iattr *attr);
void iterate_inodes(void (*fn)(struct inode *inode, void *arg), void *arg);
/* The memory-pressure shrinkers (fs/dcache.c, fs/inode.c): free up to nr
 * of the least recently used unused dentries / clean inodes of the disk
 * filesystems; how many were freed.  Never sleep. */
u64 shrink_dcache_lru(u64 nr);
u64 prune_icache_lru(u64 nr);
extern u64 nr_unused_dentries, nr_unused_inodes, nr_negative_dentries;
u64 reclaim_memory(u64 want);	/* the allocator's reclaim hook (fs/drop_caches.c) */
void reclaim_writeback(void);	/* write back, then reclaim.  May sleep. */
void wakeup_flusher(void);	/* bdflush now (fs/buffer.c).  Never sleeps. */
extern unsigned sysctl_dirty_writeback_centisecs;	/* vm.dirty_writeback_centisecs */
void bdflush_period_changed(void);	/* after a write of it.  Never sleeps. */
int write_inode_now(struct inode *inode);
struct ktimespec current_time(void);
int sync_all(void);			/* every fs and block device. May sleep. */
void emergency_remount_ro(void);	/* SysRq u.  May sleep. */
void drop_caches(int what);		/* 1 page cache, 2 dentries+inodes. Never sleeps. */
int evict_inodes(struct super_block *sb);	/* free unused ones; returns # busy */
bool sb_has_unlinked(struct super_block *sb);	/* an unlinked inode still in use */
int sync_inodes_sb(struct super_block *sb);	/* write back sb's dirty inodes. May sleep. */
void register_filesystem(struct file_system_type *fs);

/* Dentries, mounts, paths (fs/namei.c, fs/mount.c). */
struct dentry {
	int d_count;
	char *d_name;
	int d_len;
	struct inode *d_inode;		/* a reference; NULL for a negative dentry */
	struct dentry *d_parent;	/* a reference, or self at a root */
	struct list_head d_children, d_child;
	int d_mounted;			/* mounts on it, in any mount of its tree */
	struct super_block *d_sb;
	struct list_head d_lru;		/* unused and cached: dentry_lru (fs/dcache.c) */
	struct list_head d_hash;	/* the (parent, name) hash chain (fs/dcache.c) */
};

/*
 * A mount: a tree (mnt_root, any directory of mnt_sb: bind mounts share
 * a superblock) hung over mnt_mountpoint of mnt_parent.  Which mount
 * covers a dentry is found by (parent mount, dentry): lookup_mnt.
 */
struct vfsmount {
	struct dentry *mnt_root;
	struct dentry *mnt_mountpoint;
	struct vfsmount *mnt_parent;
	struct super_block *mnt_sb;
	int mnt_flags;			/* MNT_* (fs/internal.h) */
	int mnt_id;			/* /proc/PID/mountinfo */
	int mnt_writers;		/* files open for writing through it (FMODE_MNT_WRITE) */
	struct list_head mnt_list;
	char *mnt_devname;
};

struct path {
	struct vfsmount *mnt;
	struct dentry *dentry;
};

struct fs_struct {
	int count;
	struct path root, pwd;
	umode_t umask;
};

void path_get(struct path *p);
void path_put(struct path *p);
struct dentry *dget(struct dentry *d);
void dput(struct dentry *d);

/* Open files (fs/file.c). */
struct file {
	int f_count;
	unsigned f_flags;	/* O_* as given to open, less creation flags */
	unsigned f_mode;	/* FMODE_READ | FMODE_WRITE */
	loff_t f_pos;
	struct path f_path;
	struct inode *f_inode;
	const struct file_operations *f_op;
	void *private_data;
	struct fasync *f_async;		/* O_ASYNC owner and signal (fs/fasync.c), or NULL */
	struct epitem *f_ep;		/* epoll items watching this file (fs/eventpoll.c) */
	uid_t f_uid;		/* the opener's euid/egid (Linux's f_cred, for linkat) */
	gid_t f_gid;
	struct list_head f_all;	/* all_files, from file_alloc to the last fput */
};
/* Every open file (fs/file.c): umount tells which mount a file is open through. */
extern struct list_head all_files;
#define FMODE_READ	1
#define FMODE_WRITE	2
#define FMODE_COUNTED	4	/* counted in i_readcount/i_writecount by dentry_open */
#define FMODE_CAN_ODIRECT 8	/* O_DIRECT allowed: ext2/3/4 and tmpfs files, block devices */
#define FMODE_MNT_WRITE	16	/* counted in mnt_writers/s_writers (Linux's mnt_want_write) */

/* A new file with one reference: ERR_PTR(-ENFILE) past fs.file-max, -ENOMEM. */
struct file *file_alloc(void);
/*
 * fs.file-max (Linux's files_stat.max_files: at most that many files open
 * in the system, CAP_SYS_ADMIN exempt; by default a tenth of memory in
 * KiB, at least NR_FILE) and fs.nr_open (the ceiling of RLIMIT_NOFILE and
 * of an fd table), both root-writable in /proc/sys/fs.
 */
#define NR_FILE		8192
#define NR_OPEN_MIN	64		/* BITS_PER_LONG, as Linux's sysctl_nr_open_min */
#define NR_OPEN_MAX	2147483584u	/* INT_MAX rounded down to BITS_PER_LONG */
extern u64 files_max;
extern unsigned int sysctl_nr_open;
void files_stat_init(u64 mem_bytes);	/* at boot, with the memory size */
struct file *fget(struct file *f);
void fput(struct file *f);		/* May sleep (release). */
/* A program file an address space runs (Linux's exe_file_deny_write_access):
 * -ETXTBSY while it is open for writing, else no write open or truncate of
 * it succeeds until allow_write_access. */
int deny_write_access(struct file *f);
void allow_write_access(struct file *f);

/*
 * fd tables grow on demand up to the caller's RLIMIT_NOFILE, which can
 * never exceed fs.nr_open (sysctl_nr_open, NR_OPEN by default).
 */
#define NR_OPEN 1048576
struct files {
	int count;
	int max_fds;
	struct file **fd;
	u8 *cloexec;
};

struct files *files_alloc(void);
struct files *files_dup(struct files *old);
void files_put(struct files *files);
struct file *fd_get_file(int fd);		/* a new reference, or NULL */
int fd_install(struct file *f, int cloexec);	/* takes the reference; fd or -EMFILE */
struct file *fd_detach(int fd);		/* takes fd out of the table: its reference, or NULL */
void filp_close(struct file *f, struct files *files);	/* an fd of files closed: fput. May sleep. */
void files_close_on_exec(struct files *files);

/* Kernel-internal opens and reads (exec, boot). */
struct file *vfs_open(const char *path, int flags, umode_t mode);
ssize_t kernel_read(struct file *f, void *buf, size_t n, loff_t pos);
ssize_t kernel_write(struct file *f, const void *buf, size_t n, loff_t pos);
int vfs_mount(const char *dev, const char *dir, const char *type, unsigned long flags,
	      const char *data);
int mount_root(const char *dev, const char *type, bool ro, const char *data);
int umount_all(void);			/* shutdown: sync, put_super each, children first */
int mounts_for_each(int (*fn)(struct vfsmount *mnt, void *arg), void *arg);
int mnt_path(struct vfsmount *mnt, char *buf, int size);	/* d_path of the mount point */
int mnt_root_path(struct vfsmount *mnt, char *buf, int size);	/* mnt_root within its fs */
/* "rw,nosuid,nodev,noexec,relatime" of /proc/mounts into buf. */
void mnt_options(const struct vfsmount *mnt, char *buf, int size);
bool path_noexec(const struct path *p);	/* on a noexec mount */
bool path_nosuid(const struct path *p);	/* on a nosuid mount */

/* Character devices (fs/char_dev.c): open by major/minor. */
int register_chrdev(unsigned major, const char *name, const struct file_operations *fops);
int chrdev_open(struct inode *inode, struct file *f);
/* Data pages of tmpfs mounts (meminfo's Shmem) and of ramfs/devtmpfs ones. */
void ramfs_page_stats(u64 *shmem, u64 *ramfs);
/* Make a node under /dev (devtmpfs); usable once devtmpfs is up. */
int devtmpfs_create_node(const char *name, umode_t mode, dev_t dev);
long kern_unlink(const char *path);	/* May sleep. */
struct vfsmount *kern_mount(const char *type);	/* private, unattached. May sleep. */
void kern_umount(struct vfsmount *mnt);	/* nothing in it in use. May sleep. */

/* fallocate modes (<linux/falloc.h>). */
#define FALLOC_FL_KEEP_SIZE		0x01
#define FALLOC_FL_PUNCH_HOLE		0x02
#define FALLOC_FL_NO_HIDE_STALE		0x04
#define FALLOC_FL_COLLAPSE_RANGE	0x08
#define FALLOC_FL_ZERO_RANGE		0x10
#define FALLOC_FL_INSERT_RANGE		0x20
#define FALLOC_FL_UNSHARE_RANGE		0x40

/* generic helpers for filesystems */
long generic_fallocate(struct file *f, int mode, loff_t off, loff_t len, unsigned supported);
loff_t generic_file_llseek(struct file *f, loff_t off, int whence);
loff_t generic_file_llseek_size(struct file *f, loff_t off, int whence, loff_t maxsize,
				loff_t size);
extern const struct file_operations def_chr_fops, def_fifo_fops;
extern const struct file_operations def_blk_fops;	/* block device nodes (fs/block_dev.c) */
bool pipe_is_anonymous(const struct file *f);	/* made by pipe(2) */
/* splice and tee (fs/splice.c) on pipes (fs/pipe.c).  May sleep. */
bool file_is_pipe(const struct file *f);
long pipe_splice_room(struct file *f, bool nonblock);
long pipe_splice_avail(struct file *f, bool nonblock);
long pipe_tee(struct file *in, struct file *out, size_t len, bool nonblock);
long pipe_fcntl(struct file *f, unsigned cmd, long arg);	/* F_{SET,GET}PIPE_SZ */

/* Advisory locks (fs/locks.c). */
long fcntl_lock(struct file *f, unsigned cmd, uaddr_t uarg);
void locks_remove_posix(struct file *f, struct files *files);
void locks_remove_file(struct file *f);
struct lock_info {
	int id;
	const char *kind;	/* "POSIX ", "OFDLCK", "FLOCK ", "LEASE " as /proc/locks prints them */
	const char *lease_state;	/* leases: "ACTIVE    " or "BREAKING  "; else NULL */
	bool write, unlck, to_eof, range;
	pid_t pid;		/* -1 for OFD locks */
	dev_t dev;
	u64 ino, start, end;
};
void locks_for_each(void (*fn)(void *arg, const struct lock_info *li), void *arg);

/* The last reference to f is going: drop its epoll items and O_ASYNC state. */
void eventpoll_release(struct file *f);
void fasync_release(struct file *f);
void fasync_lease_break(struct file *f, int fd);	/* fs/fasync.c */
/* Leases (fs/locks.c): F_SETLEASE/F_GETLEASE, and the breaker every open
 * and truncate calls: 0, -EWOULDBLOCK (O_NONBLOCK) or -ERESTARTSYS.
 * May sleep. */
long fcntl_setlease(struct file *f, int fd, long arg);
long fcntl_getlease(struct file *f);
int break_lease(struct inode *inode, unsigned flags);
extern int lease_break_time;	/* /proc/sys/fs/lease-break-time, seconds */
extern u32 pipe_max_size;	/* /proc/sys/fs/pipe-max-size, bytes (fs/pipe.c) */
/* fcntl F_SETOWN/F_GETOWN/F_SETSIG/F_GETSIG/F_{SET,GET}OWN_EX (fs/fasync.c). */
long fasync_fcntl(struct file *f, unsigned cmd, long arg);
/* O_ASYNC was switched on or off for f: 0 or -errno. */
int fasync_set(struct file *f, int fd, bool on);

/*
 * Files with no name in any filesystem (eventfd, epoll, timerfd,
 * signalfd, sockets): a new file over inode (or the shared anonymous
 * inode when NULL) named name ("[eventfd]", "socket:[7]"), with fops,
 * priv and open flags (O_RDWR...).  Takes over the caller's inode
 * reference.  ERR_PTR(-ENOMEM) on failure.
 */
struct file *anon_file_create(const char *name, const struct file_operations *fops,
			      void *priv, unsigned flags, struct inode *inode);
/* A new inode on the anonymous pseudo filesystem, with mode; NULL on ENOMEM. */
struct inode *anon_inode_new(umode_t mode);
/* fd_install for a new anonymous file; on failure the file is put. */
int anon_fd_install(struct file *f, bool cloexec);
loff_t noop_llseek(struct file *f, loff_t off, int whence);	/* returns f_pos */
bool anon_file_is(const struct file *f);	/* made by anon_file_create */
/* memfd sealing (fs/memfd.c): fcntl F_ADD_SEALS/F_GET_SEALS; mmap's check. */
long memfd_fcntl(struct file *f, unsigned cmd, long arg);
bool memfd_write_sealed(const struct file *f);
/* A sealed kernel-made memfd holding data, opened read-only: ERR_PTR on failure. */
struct file *memfd_kernel_file(const char *name, const void *data, size_t len);
struct file *shmem_kernel_file(const char *name, u64 size);	/* ERR_PTR. May sleep. */
/* AF_UNIX names in the filesystem (fs/sockpath.c).  May sleep. */
int vfs_mksock(const char *name, struct path *out);
int vfs_find_sock(const char *name, struct path *out);

/* Kernel-side mkdir etc, for boot-time setup (fs/namei.c). */
long kern_mkdirat(int dfd, const char *path, umode_t mode);
long kern_mknodat(int dfd, const char *path, umode_t mode, dev_t dev);

#endif
