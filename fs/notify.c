/*
 * notify.c - inotify: inotify_init1, inotify_add_watch, inotify_rm_watch,
 * and the events the VFS reports to it.
 *
 * Layers: the VFS calls the fsnotify_* hooks (include/kernel/fsnotify.h)
 * after a name operation, an open, a read or write, an attribute change
 * or a last close; each finds the watches on the inode (and, for events
 * of a file, on its parent directory, with the file's name) and queues
 * a struct inotify_event on the watch's instance, which read(2), poll
 * and FIONREAD serve.  Watches are few, so they are one list scanned per
 * event; with no watch at all every hook is one test.
 *
 * A watch holds a reference to its inode; it goes with inotify_rm_watch,
 * IN_ONESHOT's first event, the inode's last link (IN_DELETE_SELF then
 * IN_IGNORED, as Linux does when the last dentry goes) and the instance's
 * last close.
 */
#include "kernel/kernel.h"
#include "kernel/fs.h"
#include "kernel/fsnotify.h"
#include "kernel/page.h"
#include "kernel/mm.h"
#include "kernel/sched.h"
#include "kernel/syscalls.h"
#include "internal.h"
#include "uapi/asm/ioctls.h"
#include "uapi/linux/inotify.h"

#define INOTIFY_MAX_EVENTS	16384	/* fs.inotify.max_queued_events */
#define INOTIFY_MAX_WATCHES	8192	/* fs.inotify.max_user_watches, here per instance */
/* Linux's ALL_INOTIFY_BITS: a mask with none of them is EINVAL. */
#define ALL_INOTIFY_BITS (IN_ALL_EVENTS | IN_UNMOUNT | IN_Q_OVERFLOW | IN_IGNORED | IN_ONLYDIR | \
			  IN_DONT_FOLLOW | IN_EXCL_UNLINK | IN_MASK_ADD | IN_MASK_CREATE | \
			  IN_ISDIR | IN_ONESHOT)

struct inotify_dev {
	struct list_head watches;	/* struct inotify_watch.dev_link */
	struct list_head events;	/* struct inotify_kevent */
	struct wait_queue wq;
	int nr_events, nr_watches;
	u64 bytes;			/* for FIONREAD */
	int last_wd;
};

struct inotify_watch {
	struct list_head link;		/* all_watches */
	struct list_head dev_link;
	struct inotify_dev *dev;
	struct inode *inode;		/* a reference */
	int wd;
	u32 mask;
};

struct inotify_kevent {
	struct list_head list;
	struct inotify_event ev;	/* ev.len: the name's padded length */
	char name[];
};

static LIST_HEAD(all_watches);
int fsnotify_nr_watches;
static u32 move_cookie;
static const struct file_operations inotify_fops;

static size_t event_size(const struct inotify_kevent *e)
{
	return sizeof(struct inotify_event) + e->ev.len;
}

/* Linux's inotify_merge: the same event as the last one queued is not queued again. */
static bool same_as_last(struct inotify_dev *dev, int wd, u32 mask, u32 cookie,
			 const char *name, int len)
{
	struct inotify_kevent *l;

	if (list_empty(&dev->events))
		return false;
	l = list_entry(dev->events.prev, struct inotify_kevent, list);
	if (l->ev.wd != wd || l->ev.mask != mask || l->ev.cookie != cookie)
		return false;
	if (!name)
		return l->ev.len == 0;
	return l->ev.len != 0 && strncmp(l->name, name, (size_t)len) == 0 && l->name[len] == 0;
}

static void queue_event(struct inotify_dev *dev, int wd, u32 mask, u32 cookie,
			const char *name, int len)
{
	u32 plen = name ? ALIGN_UP((u32)len + 1, sizeof(struct inotify_event)) : 0;
	struct inotify_kevent *e;

	if (same_as_last(dev, wd, mask, cookie, name, len))
		return;
	if (dev->nr_events >= INOTIFY_MAX_EVENTS) {
		if (same_as_last(dev, -1, IN_Q_OVERFLOW, 0, NULL, 0))
			return;
		wd = -1;
		mask = IN_Q_OVERFLOW;
		cookie = 0;
		name = NULL;
		plen = 0;
	}
	e = kzalloc(sizeof(*e) + plen);
	if (!e)
		return;		/* an event lost to memory pressure, as Linux may */
	e->ev.wd = wd;
	e->ev.mask = mask;
	e->ev.cookie = cookie;
	e->ev.len = plen;
	if (name)
		memcpy(e->name, name, (size_t)len);
	list_add_tail(&e->list, &dev->events);
	dev->nr_events++;
	dev->bytes += event_size(e);
	wake_up_poll(&dev->wq, POLLIN | POLLRDNORM);
}

/* Takes w away; IN_IGNORED is queued unless the instance itself is going. */
static void watch_remove(struct inotify_watch *w, bool ignored)
{
	if (ignored)
		queue_event(w->dev, w->wd, IN_IGNORED, 0, NULL, 0);
	list_del(&w->link);
	list_del(&w->dev_link);
	w->dev->nr_watches--;
	fsnotify_nr_watches--;
	iput(w->inode);
	kfree(w);
}

/*
 * Delivers event bits mask (IN_ISDIR added by the caller) to every watch
 * on inode that asks for them; name is set when inode is the directory
 * of the file the event is about.  unlinked: that file has no name left
 * (IN_EXCL_UNLINK watches skip it).
 */
static void notify_inode(struct inode *inode, u32 mask, u32 cookie, const char *name, int len,
			 bool unlinked)
{
	struct inotify_watch *w, *n;

	list_for_each_entry_safe(w, n, &all_watches, link) {
		if (w->inode != inode || !(w->mask & mask & IN_ALL_EVENTS))
			continue;
		if (name && unlinked && (w->mask & IN_EXCL_UNLINK))
			continue;
		queue_event(w->dev, w->wd, mask & (IN_ALL_EVENTS | IN_ISDIR) & (w->mask | IN_ISDIR),
			    cookie, name, len);
		if (w->mask & IN_ONESHOT)
			watch_remove(w, true);
	}
}

static u32 isdir(const struct inode *inode)
{
	return S_ISDIR(inode->i_mode) ? IN_ISDIR : 0;
}

/* An event about the file at dentry d: to its own watches and to its directory's. */
static void notify_dentry(struct dentry *d, u32 mask)
{
	struct inode *inode = d->d_inode;

	if (!inode)
		return;
	mask |= isdir(inode);
	if (d->d_parent && d->d_parent != d && d->d_parent->d_inode)
		notify_inode(d->d_parent->d_inode, mask, 0, d->d_name, d->d_len,
			     inode->i_nlink == 0);
	notify_inode(inode, mask, 0, NULL, 0, false);
}

/* The inode's last name went: IN_DELETE_SELF, then its watches go (IN_IGNORED). */
static void notify_gone(struct inode *inode)
{
	struct inotify_watch *w, *n;

	if (inode->i_nlink != 0 && !S_ISDIR(inode->i_mode))
		return;		/* a removed directory is gone whatever its count says */
	notify_inode(inode, IN_DELETE_SELF, 0, NULL, 0, false);	/* no IN_ISDIR, as Linux */
	list_for_each_entry_safe(w, n, &all_watches, link)
		if (w->inode == inode)
			watch_remove(w, true);
}

void __fsnotify_create(struct inode *dir, const char *name, int len, struct inode *inode)
{
	notify_inode(dir, IN_CREATE | isdir(inode), 0, name, len, false);
}

void __fsnotify_inode(struct inode *inode, u32 mask)
{
	notify_inode(inode, mask | isdir(inode), 0, NULL, 0, false);
}

/* After unlink/rmdir of name in dir, which was victim (still referenced). */
void __fsnotify_delete(struct inode *dir, const char *name, int len, struct inode *victim)
{
	u32 d = isdir(victim);

	if (!d)
		notify_inode(victim, IN_ATTRIB, 0, NULL, 0, false);
	notify_gone(victim);
	notify_inode(dir, IN_DELETE | d, 0, name, len, false);
}

/* After a rename; target is the inode the new name replaced, or NULL. */
void __fsnotify_move(struct inode *odir, const char *oname, int olen, struct inode *ndir,
		     const char *nname, int nlen, struct inode *src, struct inode *target)
{
	u32 cookie = ++move_cookie, d = isdir(src);

	notify_inode(odir, IN_MOVED_FROM | d, cookie, oname, olen, false);
	notify_inode(ndir, IN_MOVED_TO | d, cookie, nname, nlen, false);
	if (target && !isdir(target))
		notify_inode(target, IN_ATTRIB, 0, NULL, 0, false);
	notify_inode(src, IN_MOVE_SELF, 0, NULL, 0, false);	/* no IN_ISDIR, as Linux */
	if (target)
		notify_gone(target);
}

void __fsnotify_file(struct file *f, u32 mask)
{
	if (f->f_path.dentry && f->f_op != &inotify_fops)
		notify_dentry(f->f_path.dentry, mask);
}

/* notify_change's attributes, as Linux's fsnotify_change. */
void __fsnotify_change(struct dentry *d, unsigned valid)
{
	u32 mask = 0;

	if (valid & (ATTR_UID | ATTR_GID | ATTR_MODE))
		mask |= IN_ATTRIB;
	if (valid & ATTR_SIZE)
		mask |= IN_MODIFY;
	if ((valid & (ATTR_ATIME | ATTR_MTIME)) == (ATTR_ATIME | ATTR_MTIME))
		mask |= IN_ATTRIB;
	else if (valid & ATTR_ATIME)
		mask |= IN_ACCESS;
	else if (valid & ATTR_MTIME)
		mask |= IN_MODIFY;
	if (mask)
		notify_dentry(d, mask);
}

/*
 * sb is going (umount): its watches end with IN_UNMOUNT then IN_IGNORED,
 * as Linux's fsnotify_unmount_inodes, and drop their inode references
 * before the inodes are freed.  May sleep (iput).
 */
void __fsnotify_unmount(struct super_block *sb)
{
	struct inotify_watch *w;
	struct inode *inode;

again:	/* in the order of sb's inode list, as Linux walks s_inodes */
	list_for_each_entry(inode, &sb->inodes, i_hash) {
		list_for_each_entry(w, &all_watches, link) {
			if (w->inode != inode)
				continue;
			queue_event(w->dev, w->wd, IN_UNMOUNT | isdir(inode), 0, NULL, 0);
			watch_remove(w, true);	/* may free inode: look again */
			goto again;
		}
	}
}

/* ---- the instance: a file ---- */

/* Whole events into u; -EINVAL if the first does not fit.  May sleep. */
static ssize_t inotify_read(struct file *f, struct uio *u, loff_t *pos)
{
	struct inotify_dev *dev = f->private_data;
	size_t done = 0;
	int r;

	while (list_empty(&dev->events)) {
		if (f->f_flags & O_NONBLOCK)
			return -EAGAIN;
		r = sleep_on(&dev->wq, true);
		if (r)
			return r;
	}
	while (!list_empty(&dev->events)) {
		struct inotify_kevent *e = list_first_entry(&dev->events, struct inotify_kevent, list);
		size_t n = event_size(e);

		if (u->len - u->done < n)
			break;
		if (uio_copy_out(u, &e->ev, n) < 0)
			return done ? (ssize_t)done : -EFAULT;
		list_del(&e->list);
		dev->nr_events--;
		dev->bytes -= n;
		done += n;
		kfree(e);
	}
	return done ? (ssize_t)done : -EINVAL;
}

static unsigned inotify_poll(struct file *f, struct poll_table *pt)
{
	struct inotify_dev *dev = f->private_data;

	poll_wait(f, &dev->wq, pt);
	return list_empty(&dev->events) ? 0 : POLLIN | POLLRDNORM;
}

static long inotify_ioctl(struct file *f, unsigned cmd, u64 arg)
{
	struct inotify_dev *dev = f->private_data;
	int n = (int)dev->bytes;

	if (cmd != FIONREAD)
		return -ENOTTY;
	return put_user(n, UADDR(arg)) < 0 ? -EFAULT : 0;
}

static void inotify_release(struct inode *inode, struct file *f)
{
	struct inotify_dev *dev = f->private_data;

	while (!list_empty(&dev->watches))
		watch_remove(list_first_entry(&dev->watches, struct inotify_watch, dev_link), false);
	while (!list_empty(&dev->events)) {
		struct inotify_kevent *e = list_first_entry(&dev->events, struct inotify_kevent, list);

		list_del(&e->list);
		kfree(e);
	}
	kfree(dev);
}

/* Linux's inotify_show_fdinfo, without the file handle (Linux leaves it
 * out too where the filesystem cannot encode one). */
static void inotify_show_fdinfo(struct file *f, struct proc_buf *b)
{
	struct inotify_dev *dev = f->private_data;
	struct inotify_watch *w;

	list_for_each_entry(w, &dev->watches, dev_link)
		pb_printf(b, "inotify wd:%x ino:%llx sdev:%x mask:%x ignored_mask:0\n", w->wd,
			  (unsigned long long)w->inode->i_ino,
			  w->inode->i_sb ? (unsigned)w->inode->i_sb->s_dev : 0,
			  w->mask & IN_ALL_EVENTS);
}

static const struct file_operations inotify_fops = {
	.show_fdinfo = inotify_show_fdinfo,
	.read = inotify_read,
	.poll = inotify_poll,
	.ioctl = inotify_ioctl,
	.llseek = noop_llseek,
	.release = inotify_release,
};

SYSCALL(inotify_init1)
{
	int flags = (int)a[0];
	struct inotify_dev *dev;
	struct file *f;

	if (flags & ~(IN_CLOEXEC | IN_NONBLOCK))
		return -EINVAL;
	dev = kzalloc(sizeof(*dev));
	if (!dev)
		return -ENOMEM;
	INIT_LIST_HEAD(&dev->watches);
	INIT_LIST_HEAD(&dev->events);
	init_waitqueue(&dev->wq);
	f = anon_file_create("inotify", &inotify_fops, dev, O_RDONLY | (flags & O_NONBLOCK), NULL);
	if (IS_ERR(f)) {
		kfree(dev);
		return PTR_ERR(f);
	}
	return anon_fd_install(f, (flags & IN_CLOEXEC) != 0);
}

SYSCALL(inotify_init)
{
	long b[1] = { 0 };

	return sys_inotify_init1(t, b);
}

/* The instance behind fd: a new file reference, or ERR_PTR(-EBADF/-EINVAL). */
static struct file *inotify_fget(int fd)
{
	struct file *f = fd_get_file(fd);

	if (!f)
		return ERR_PTR(-EBADF);
	if (f->f_op != &inotify_fops) {
		fput(f);
		return ERR_PTR(-EINVAL);
	}
	return f;
}

/* Adds or updates dev's watch on inode: its wd or -errno. */
static long watch_set(struct inotify_dev *dev, struct inode *inode, u32 mask)
{
	struct inotify_watch *w;

	list_for_each_entry(w, &dev->watches, dev_link) {
		if (w->inode != inode)
			continue;
		if (mask & IN_MASK_CREATE)
			return -EEXIST;
		w->mask = (mask & IN_MASK_ADD) ? w->mask | mask : mask;
		w->mask &= ~(u32)(IN_MASK_ADD | IN_MASK_CREATE);
		return w->wd;
	}
	if (dev->nr_watches >= INOTIFY_MAX_WATCHES)
		return -ENOSPC;
	w = kzalloc(sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->dev = dev;
	ihold(inode);
	w->inode = inode;
	w->mask = mask & ~(u32)(IN_MASK_ADD | IN_MASK_CREATE);
	w->wd = ++dev->last_wd;
	list_add_tail(&w->link, &all_watches);
	list_add_tail(&w->dev_link, &dev->watches);
	dev->nr_watches++;
	fsnotify_nr_watches++;
	return w->wd;
}

/* inotify_add_watch(fd, path, mask), its checks in Linux's order.  May sleep. */
SYSCALL(inotify_add_watch)
{
	u32 mask = (u32)a[2];
	unsigned lf = 0;
	struct path p;
	struct file *f;
	char *name;
	long r;

	if ((mask & IN_MASK_ADD) && (mask & IN_MASK_CREATE))
		return -EINVAL;
	if (!(mask & ALL_INOTIFY_BITS))
		return -EINVAL;
	f = inotify_fget((int)a[0]);
	if (IS_ERR(f))
		return PTR_ERR(f);
	if (!(mask & IN_DONT_FOLLOW))
		lf |= LOOKUP_FOLLOW;
	if (mask & IN_ONLYDIR)
		lf |= LOOKUP_DIRECTORY;
	name = getname(UADDR(a[1]), false);
	r = IS_ERR(name) ? PTR_ERR(name) : kern_path(AT_FDCWD, name, lf, &p);
	if (!IS_ERR(name))
		putname(name);
	if (r == 0) {
		r = inode_permission(p.dentry->d_inode, MAY_READ);
		if (r == 0)
			r = watch_set(f->private_data, p.dentry->d_inode, mask);
		path_put(&p);
	}
	fput(f);
	return r;
}

SYSCALL(inotify_rm_watch)
{
	struct file *f = inotify_fget((int)a[0]);
	struct inotify_dev *dev;
	struct inotify_watch *w;
	int wd = (int)a[1];

	if (IS_ERR(f))
		return PTR_ERR(f);
	dev = f->private_data;
	list_for_each_entry(w, &dev->watches, dev_link) {
		if (w->wd == wd) {
			watch_remove(w, true);
			fput(f);
			return 0;
		}
	}
	fput(f);
	return -EINVAL;
}
