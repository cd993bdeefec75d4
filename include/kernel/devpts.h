/*
 * devpts.h - the devpts filesystem (fs/devpts/devpts.c) as the pty driver
 * (drivers/tty/pty.c) sees it: an instance hands out indexes, shows one
 * node /dev/pts/N per live pty and finds a pty again from its node.
 */
#ifndef KERNEL_DEVPTS_H
#define KERNEL_DEVPTS_H

#include "kernel/kernel.h"

struct devpts_fs;
struct file;
struct inode;
struct path;

/* One pty's node in an instance; the pty embeds it. */
struct devpts_entry {
	struct list_head list;		/* the instance's entries, by index */
	int index;
	uid_t uid;
	gid_t gid;
	void *priv;			/* the pty */
};

/*
 * The instance a ptmx file belongs to: its own when it is /dev/pts/ptmx,
 * else the devpts mounted at "pts" beside it (Documentation's rule for
 * /dev/ptmx).  Fills root with a reference to the instance's mount root,
 * which keeps it mounted.  ERR_PTR(-ENODEV) when there is none.
 */
struct devpts_fs *devpts_acquire(struct file *ptmx, struct path *root);
/* Gives e the lowest free index and its node: 0, or -ENOSPC past max=. */
int devpts_new_index(struct devpts_fs *fs, struct devpts_entry *e, void *priv);
/* Takes e's node away (the master closed); idempotent. */
void devpts_kill_index(struct devpts_fs *fs, struct devpts_entry *e);
/* The pty behind a /dev/pts/N inode, or NULL (not devpts, or gone). */
void *devpts_get_priv(struct inode *inode);
void devpts_init(void);

#endif
