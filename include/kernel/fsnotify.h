/*
 * fsnotify.h - the VFS's hooks for inotify (fs/notify.c).  Each is one
 * test while no watch exists anywhere, so the VFS calls them freely:
 * after a name was created, linked, removed or moved, after a
 * successful open, read, write, attribute change, and at the last close
 * of a file.  Names are (pointer, length), not NUL-terminated.
 */
#ifndef KERNEL_FSNOTIFY_H
#define KERNEL_FSNOTIFY_H

#include "kernel/fs.h"
#include "uapi/linux/inotify.h"

extern int fsnotify_nr_watches;

void __fsnotify_create(struct inode *dir, const char *name, int len, struct inode *inode);
void __fsnotify_inode(struct inode *inode, u32 mask);
void __fsnotify_delete(struct inode *dir, const char *name, int len, struct inode *victim);
void __fsnotify_move(struct inode *odir, const char *oname, int olen, struct inode *ndir,
		     const char *nname, int nlen, struct inode *src, struct inode *target);
void __fsnotify_file(struct file *f, u32 mask);
void __fsnotify_change(struct dentry *d, unsigned valid);

static inline void fsnotify_create(struct inode *dir, const char *name, int len, struct inode *inode)
{
	if (fsnotify_nr_watches)
		__fsnotify_create(dir, name, len, inode);
}

/* An event about inode itself (link(2) changing its count: IN_ATTRIB). */
static inline void fsnotify_inode(struct inode *inode, u32 mask)
{
	if (fsnotify_nr_watches)
		__fsnotify_inode(inode, mask);
}

static inline void fsnotify_delete(struct inode *dir, const char *name, int len, struct inode *victim)
{
	if (fsnotify_nr_watches)
		__fsnotify_delete(dir, name, len, victim);
}

static inline void fsnotify_move(struct inode *odir, const char *oname, int olen, struct inode *ndir,
				 const char *nname, int nlen, struct inode *src, struct inode *target)
{
	if (fsnotify_nr_watches)
		__fsnotify_move(odir, oname, olen, ndir, nname, nlen, src, target);
}

/* IN_OPEN, IN_ACCESS, IN_MODIFY about an open file. */
static inline void fsnotify_file(struct file *f, u32 mask)
{
	if (fsnotify_nr_watches)
		__fsnotify_file(f, mask);
}

/* The last close: IN_CLOSE_WRITE or IN_CLOSE_NOWRITE by the open mode. */
static inline void fsnotify_close(struct file *f)
{
	if (fsnotify_nr_watches)
		__fsnotify_file(f, (f->f_mode & FMODE_WRITE) ? IN_CLOSE_WRITE : IN_CLOSE_NOWRITE);
}

/* notify_change applied attr->valid to d's inode. */
static inline void fsnotify_change(struct dentry *d, unsigned valid)
{
	if (fsnotify_nr_watches)
		__fsnotify_change(d, valid);
}

#endif
