/*
 * internal.h - what the VFS core files in fs/ share among themselves and
 * nobody else needs: the path walker's state, the dentry cache helpers,
 * mount bookkeeping and the permission check.
 *
 * Layers: super.c (filesystem types, superblocks) < dcache.c (dentries)
 * < mount.c (vfsmounts) < namei.c (path walk, namespace syscalls)
 * < file.c (open files, fd tables) < open.c, read_write.c, stat.c, ...
 */
#ifndef FS_INTERNAL_H
#define FS_INTERNAL_H

#include "kernel/kernel.h"
#include "kernel/fs.h"

struct task;

/* lseek whence values and O_ASYNC (from <linux/fs.h> and <asm/fcntl.h>). */
#ifndef SEEK_SET
#define SEEK_SET	0
#define SEEK_CUR	1
#define SEEK_END	2
#define SEEK_DATA	3
#define SEEK_HOLE	4
#endif
#ifndef O_ASYNC
#define O_ASYNC		FASYNC
#endif

#ifndef S_IXGRP			/* hidden from host unit tests by glibc */
#define S_IXGRP		00010
#endif

/* Mount flags kept in vfsmount.mnt_flags. */
#define MNT_RDONLY	0x1
#define MNT_NOSUID	0x2
#define MNT_NODEV	0x4
#define MNT_NOEXEC	0x8
#define MNT_NOATIME	0x10
#define MNT_NODIRATIME	0x20
#define MNT_STRICTATIME	0x40		/* else relatime, Linux's default */
#define MNT_NOSYMFOLLOW	0x80
#define MNT_DETACHED	0x1000		/* umount -l: out of the tree, freed when unused */
#define MNT_EXPIRY_MARK	0x2000		/* umount2(MNT_EXPIRE) marked it; any use (path_put) clears it */

/* Permission masks for inode_permission. */
#define MAY_EXEC	1
#define MAY_WRITE	2
#define MAY_READ	4

/* Path walk flags. */
#define LOOKUP_FOLLOW		0x01	/* follow a symlink at the end */
#define LOOKUP_DIRECTORY	0x02	/* the result must be a directory */
#define LOOKUP_EMPTY		0x04	/* "" means the dirfd itself */
/* openat2's RESOLVE_* as walk flags. */
#define LOOKUP_NO_SYMLINKS	0x10	/* any symlink: -ELOOP */
#define LOOKUP_NO_MAGICLINKS	0x20	/* a magic link (/proc/PID/fd/N): -ELOOP */
#define LOOKUP_NO_XDEV		0x40	/* crossing a mount: -EXDEV */
#define LOOKUP_BENEATH		0x80	/* leaving the start directory: -EXDEV */
#define LOOKUP_IN_ROOT		0x100	/* the start directory is "/" */
#define LOOKUP_CACHED		0x200	/* only what the dcache has, else -EAGAIN */
#define LOOKUP_IS_SCOPED	(LOOKUP_BENEATH | LOOKUP_IN_ROOT)

/* Kinds of final component. */
enum { LAST_NORM, LAST_ROOT, LAST_DOT, LAST_DOTDOT };

/*
 * One path walk.  nd->path and nd->root are references, released by
 * nd_release; nd->last points into nd->buf, the current path text.
 */
struct nameidata {
	struct path path;
	struct path root;
	unsigned flags;
	int links;
	char *buf;
	const char *last;
	int last_len;
	int last_type;
	bool trailing_slash;
};

/* super.c */
struct file_system_type *get_fs_type(const char *name);
struct file_system_type *next_fs_type(struct file_system_type *p);
struct super_block *sb_alloc(void);
void sb_free(struct super_block *sb);
void sb_register(struct super_block *sb);
void sb_unregister(struct super_block *sb);
void sb_begin_kill(struct super_block *sb);
void sb_end_kill(struct super_block *sb);
int sync_sb(struct super_block *sb);

void for_each_mount(void (*fn)(struct vfsmount *mnt, void *arg), void *arg);
void prune_icache_sb(struct super_block *sb);
void d_shrink_unused(struct dentry *root);

/* dcache.c */
struct dentry *d_alloc(struct dentry *parent, const char *name, int len);
bool d_dead(const struct dentry *d);
struct dentry *d_alloc_root(struct inode *root_inode);
struct dentry *d_lookup(struct dentry *dir, const char *name, int len);
void d_cache_negative(struct dentry *dir, const char *name, int len);
void d_instantiate(struct dentry *d, struct inode *inode);
struct dentry *d_add_child(struct dentry *parent, const char *name, int len,
			   struct inode *inode);
void d_delete(struct dentry *d);
void d_move(struct dentry *d, struct dentry *newparent, const char *name, int len);
bool d_unhashed(const struct dentry *d);
void path_replace(struct path *slot, const struct path *p);
bool d_is_ancestor(struct dentry *anc, struct dentry *d);
bool d_tree_busy(struct dentry *root, int extra);
struct dentry *d_tree_next(struct dentry *d, struct dentry *root);
int d_nr_children(struct dentry *d);
void d_prune_tree(struct dentry *root);

/* mount.c */
extern struct vfsmount *root_mnt;
struct vfsmount *mnt_alloc(struct super_block *sb, const char *devname);
struct vfsmount *lookup_mnt(const struct path *p);
void mnt_reap_detached(void);
bool mnt_is_rdonly(const struct vfsmount *mnt);
int mnt_want_write(const struct path *p);

/* namei.c */
int inode_permission(struct inode *inode, int mask);
void tmpfs_unlimit(struct super_block *sb);	/* fs/ramfs/ramfs.c */
bool inode_owner_or_capable(const struct inode *inode);
void nd_init(struct nameidata *nd, unsigned flags);
void nd_release(struct nameidata *nd);
int nd_start(struct nameidata *nd, int dfd, const char *name);
int link_path_walk(struct nameidata *nd, const char *name);
int walk_last(struct nameidata *nd);
int path_parent(struct nameidata *nd, int dfd, const char *name);
int path_parent_flags(struct nameidata *nd, int dfd, const char *name, unsigned flags);
int nd_jump_link(struct nameidata *nd, struct dentry *link);
bool d_is_magic_link(const struct dentry *d);
int walk_follow_link(struct nameidata *nd, struct dentry *link);
struct dentry *lookup_child(struct dentry *dir, const char *name, int len);
void follow_mounts(struct path *p);
int kern_path(int dfd, const char *name, unsigned flags, struct path *out);
int user_path(int dfd, uaddr_t uname, unsigned flags, struct path *out);
char *getname(uaddr_t uname, bool empty_ok);
void putname(char *name);
void task_root(struct path *out);

/* cwd.c */
int d_path(const struct path *p, const struct path *root, char *buf, int size);

/* file.c */
int fd_install_at(int fd, struct file *f, bool cloexec);
struct file *fd_detach(int fd);

/* open.c */
struct file *dentry_open(const struct path *p, int flags);
void io_account_rw(long ret, bool write);	/* /proc/PID/io (fs/read_write.c) */
int fsize_exceeded(void);	/* SIGXFSZ and -EFBIG (fs/read_write.c) */
struct file *do_filp_open(int dfd, const char *name, int flags, umode_t mode);
struct file *do_file_open(int dfd, const char *name, int flags, umode_t mode, unsigned lf);
int notify_change(struct dentry *d, struct iattr *attr);
int do_truncate(struct dentry *d, u64 len);
/* fs/xattr.c: set-id bits and file capabilities a write or truncation drops. */
int dentry_remove_privs(struct dentry *d);
int file_remove_privs(struct file *f);

/* read_write.c */
ssize_t vfs_read(struct file *f, struct uio *u, loff_t *pos);
ssize_t vfs_write(struct file *f, struct uio *u, loff_t *pos);

/* stat.c */
int vfs_statfs(struct super_block *sb, struct kstatfs *st);

/* in at *ipos to out at *opos through a kernel buffer, max_chunk at a time,
 * until a short read or write: bytes moved, or -errno if none (fs/read_write.c). */
long copy_chunks(struct file *in, loff_t *ipos, struct file *out, loff_t *opos,
		 size_t count, size_t max_chunk);

#endif
