/*
 * mqueue.c - POSIX message queues: mq_open, mq_unlink, mq_timedsend,
 * mq_timedreceive, mq_notify, mq_getsetattr (mq_overview(7)).
 *
 * Queues live in one namespace of names (glibc passes them without the
 * leading '/'); a queue holds a reference for its name and one per open
 * descriptor, so an unlinked queue lives until its last close.  A
 * descriptor is a file: poll sees room and messages, read(2) the status
 * line Linux's mqueue filesystem shows.  Messages are kept in priority
 * order, FIFO within a priority.  Senders and receivers sleep on the
 * queue's one wait queue until an absolute CLOCK_REALTIME deadline.
 * mq_notify registers one process for a signal (SIGEV_SIGNAL, with
 * si_code SI_MESGQ), a netlink datagram (SIGEV_THREAD) or nothing
 * (SIGEV_NONE) when a message reaches an empty queue no receiver waits
 * on; the registration is then removed.  SIGEV_THREAD is glibc's: its
 * sigev_signo is an AF_NETLINK socket and sival_ptr a NOTIFY_COOKIE_LEN
 * byte cookie, sent back on that socket with its last byte set to
 * NOTIFY_WOKENUP on notification or NOTIFY_REMOVED when the registration
 * goes otherwise (mq_notify(NULL), close); glibc's helper thread reads it
 * and starts the user's function in a new thread.
 *
 * The mqueue filesystem (`mount -t mqueue none /dev/mqueue`) is a view
 * of that namespace: its root lists the queues, a lookup makes an inode
 * holding a reference to the queue (dropped when the inode goes),
 * opening one gives a descriptor like mq_open's, creating a file makes
 * a queue with the default attributes and removing one is mq_unlink.
 * A queue that loses its name is taken out of every mount's cache
 * (mqfs_forget), so no view shows a stale entry.
 */
#include "kernel/kernel.h"
#include "kernel/ipc.h"
#include "kernel/fs.h"
#include "kernel/mm.h"
#include "kernel/net.h"
#include "kernel/page.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/syscalls.h"
#include "uapi/linux/mqueue.h"
#include "uapi/linux/time_types.h"
#include "uapi/asm-generic/siginfo.h"
#include "../fs/internal.h"
#include "../fs/proc/internal.h"

#define NSEC		1000000000ULL
#define HARD_MSGMAX	65536
#define HARD_MSGSIZEMAX	(16 * 1024 * 1024)

/* /proc/sys/fs/mqueue, Linux's defaults. */
struct mq_limits mq_lim = { .msg_max = 10, .msgsize_max = 8192, .msg_default = 10,
			    .msgsize_default = 8192, .queues_max = 256 };

struct mq_msg {
	struct list_head list;
	unsigned prio;
	size_t len;
	char data[];
};

struct mqueue {
	struct list_head link;		/* mq_all while it has a name */
	int refs;			/* the name's + each open file's */
	bool linked;
	char name[NAME_MAX + 1];
	umode_t mode;
	uid_t uid;
	gid_t gid;
	long maxmsg, msgsize, curmsgs;
	u64 ino;			/* its inode number in mqueue mounts */
	u64 qsize;			/* bytes of the messages */
	struct list_head msgs;		/* highest priority first */
	struct wait_queue wq;
	int receivers;			/* tasks asleep in mq_timedreceive */
	pid_t notify_pid;		/* the registered process, or 0 */
	struct file *notify_file;	/* the descriptor it registered through */
	struct sigevent notify;
	struct file *notify_sock;	/* SIGEV_THREAD: the netlink socket (a reference) */
	u8 notify_cookie[NOTIFY_COOKIE_LEN];
};

static LIST_HEAD(mq_all);
static int mq_count;
static u64 mq_next_ino = 2;
static const struct file_operations mq_fops;
static struct file_system_type mqueue_fs_type;
static void mqfs_forget(struct mqueue *q);

static void mq_put(struct mqueue *q)
{
	if (--q->refs > 0)
		return;
	while (!list_empty(&q->msgs)) {
		struct mq_msg *m = list_first_entry(&q->msgs, struct mq_msg, list);

		list_del(&m->list);
		kfree(m);
	}
	if (leak_test(ipc))
		return;
	live.ipc--;
	kfree(q);
}

static struct mqueue *mq_find(const char *name)
{
	struct mqueue *q;

	list_for_each_entry(q, &mq_all, link)
		if (strcmp(q->name, name) == 0)
			return q;
	return NULL;
}

static void mq_unlink_q(struct mqueue *q)
{
	list_del(&q->link);
	q->linked = false;
	mq_count--;
	mqfs_forget(q);
	mq_put(q);
}

/* Checks a name: as Linux, empty is ENOENT, one with a '/' EACCES (lookup_one_len). */
static long mq_getname(uaddr_t u, char *name)
{
	long n = strncpy_from_user(name, u, NAME_MAX + 1);

	if (n == -ENAMETOOLONG || n > NAME_MAX)
		return -ENAMETOOLONG;
	if (n < 0)
		return n;
	if (n == 0)
		return -ENOENT;
	if (strchr(name, '/'))
		return -EACCES;
	return 0;
}

/* Permission of current on q for the access bits of mask (4 read, 2 write). */
static int mq_permission(struct mqueue *q, int mask)
{
	struct task *t = current;
	umode_t m = q->mode;

	if (t->euid == 0)
		return 0;
	if (t->euid == q->uid)
		m >>= 6;
	else if (t->egid == q->gid)
		m >>= 3;
	return (mask & ~m & 7) ? -EACCES : 0;
}

/* A new queue named name with attributes attr (NULL: the defaults). */
static struct mqueue *mq_create(const char *name, umode_t mode, const struct mq_attr *attr)
{
	struct task *t = current;
	struct mqueue *q;

	if (attr) {
		if (attr->mq_maxmsg <= 0 || attr->mq_msgsize <= 0)
			return ERR_PTR(-EINVAL);
		if (t->euid == 0 ? (attr->mq_maxmsg > HARD_MSGMAX || attr->mq_msgsize > HARD_MSGSIZEMAX) :
		    (attr->mq_maxmsg > mq_lim.msg_max || attr->mq_msgsize > mq_lim.msgsize_max))
			return ERR_PTR(-EINVAL);
	}
	if (mq_count >= mq_lim.queues_max && t->euid != 0)
		return ERR_PTR(-ENOSPC);
	q = kzalloc(sizeof(*q));
	if (!q)
		return ERR_PTR(-ENOMEM);
	kstrlcpy(q->name, name, sizeof(q->name));
	q->mode = mode & 0777 & ~t->fs->umask;
	q->uid = t->euid;
	q->gid = t->egid;
	q->maxmsg = attr ? attr->mq_maxmsg : mq_lim.msg_default;
	q->msgsize = attr ? attr->mq_msgsize : mq_lim.msgsize_default;
	INIT_LIST_HEAD(&q->msgs);
	init_waitqueue(&q->wq);
	q->refs = 1;
	q->ino = mq_next_ino++;
	q->linked = true;
	list_add_tail(&q->link, &mq_all);
	mq_count++;
	live.ipc++;
	return q;
}

/* The queue to open for name and oflag, with a new reference: or ERR_PTR. */
static struct mqueue *mq_lookup_open(const char *name, int oflag, umode_t mode,
				     const struct mq_attr *attr)
{
	static const int acc[] = { 4, 2, 6 };
	struct mqueue *q = mq_find(name);
	int r;

	if (!q) {
		if (!(oflag & O_CREAT))
			return ERR_PTR(-ENOENT);
		q = mq_create(name, mode, attr);
		if (!IS_ERR(q))
			q->refs++;
		return q;
	}
	if ((oflag & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL))
		return ERR_PTR(-EEXIST);
	if ((oflag & O_ACCMODE) == 3)
		return ERR_PTR(-EINVAL);
	if ((r = mq_permission(q, acc[oflag & O_ACCMODE])) < 0)
		return ERR_PTR(r);
	q->refs++;
	return q;
}

SYSCALL(mq_open)
{
	int oflag = (int)a[1];
	umode_t mode = (umode_t)a[2];
	uaddr_t uattr = UADDR(a[3]);
	struct mq_attr attr, *ap = NULL;
	char name[NAME_MAX + 2];
	struct mqueue *q;
	struct file *f;
	long r;

	if ((oflag & O_CREAT) && !uaddr_is_null(uattr)) {
		if (copy_from_user(&attr, uattr, sizeof(attr)))
			return -EFAULT;
		ap = &attr;
	}
	if ((r = mq_getname(UADDR(a[0]), name)) < 0)
		return r;
	if ((oflag & O_ACCMODE) == 3)
		return -EINVAL;
	q = mq_lookup_open(name, oflag, mode, ap);
	if (IS_ERR(q))
		return PTR_ERR(q);
	f = anon_file_create("mqueue", &mq_fops, q, (unsigned)oflag & (O_ACCMODE | O_NONBLOCK), NULL);
	if (IS_ERR(f)) {
		mq_put(q);
		return PTR_ERR(f);
	}
	return anon_fd_install(f, (oflag & O_CLOEXEC) != 0);
}

SYSCALL(mq_unlink)
{
	char name[NAME_MAX + 2];
	struct mqueue *q;
	long r;

	if ((r = mq_getname(UADDR(a[0]), name)) < 0)
		return r;
	q = mq_find(name);
	if (!q)
		return -ENOENT;
	/* The mqueue directory is sticky: the owner or root only (may_delete). */
	if (t->euid != 0 && t->euid != q->uid)
		return -EPERM;
	mq_unlink_q(q);
	return 0;
}

/* The queue behind fd, with the file (a reference): or ERR_PTR(-EBADF). */
static struct mqueue *mq_fget(int fd, struct file **fp)
{
	struct file *f = fd_get_file(fd);

	if (!f)
		return ERR_PTR(-EBADF);
	if (f->f_op != &mq_fops) {
		fput(f);
		return ERR_PTR(-EBADF);
	}
	*fp = f;
	return f->private_data;
}

/* An absolute CLOCK_REALTIME timeout as a monotonic deadline; 0 for none. */
static long mq_deadline(uaddr_t uts, u64 *deadline)
{
	struct __kernel_timespec ts;
	u64 abs, now;

	*deadline = 0;
	if (uaddr_is_null(uts))
		return 0;
	if (copy_from_user(&ts, uts, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (long long)NSEC)
		return -EINVAL;
	abs = (u64)ts.tv_sec > (~0ULL >> 2) / NSEC ? (~0ULL >> 2) : (u64)ts.tv_sec * NSEC + (u64)ts.tv_nsec;
	now = os_realtime_ns();
	*deadline = os_monotonic_ns() + (abs > now ? abs - now : 0);
	if (*deadline == 0)
		*deadline = 1;
	return 0;
}

/* Sleeps on q: 0, -ETIMEDOUT or -EINTR.  May sleep. */
static long mq_wait(struct mqueue *q, u64 deadline)
{
	int r = deadline ? sleep_on_timeout(&q->wq, true, deadline) : sleep_on(&q->wq, true);

	if (r == -ETIMEDOUT)
		return -ETIMEDOUT;
	return r ? -EINTR : 0;
}

/*
 * Drops q's registration; a SIGEV_THREAD one sends its cookie with last
 * byte how (NOTIFY_WOKENUP, NOTIFY_REMOVED) or nothing (0).
 */
static void mq_notify_clear(struct mqueue *q, u8 how)
{
	struct file *sock = q->notify_sock;

	q->notify_pid = 0;
	q->notify_file = NULL;
	q->notify_sock = NULL;
	if (sock == NULL)
		return;
	if (how) {
		q->notify_cookie[NOTIFY_COOKIE_LEN - 1] = how;
		netlink_deliver(sock_from_file(sock), q->notify_cookie, NOTIFY_COOKIE_LEN);
	}
	fput(sock);
}

/* A message reached an empty queue: the registered process hears of it once. */
static void mq_do_notify(struct mqueue *q)
{
	struct task *p;
	siginfo_t info;

	if (!q->notify_pid || q->curmsgs != 1 || q->receivers)
		return;
	p = find_task(q->notify_pid);
	if (q->notify.sigev_notify == SIGEV_SIGNAL && q->notify.sigev_signo && p &&
	    user_process_alive(p->group_leader)) {
		memset(&info, 0, sizeof(info));
		info.si_signo = q->notify.sigev_signo;
		info.si_code = SI_MESGQ;
		info.si_value = q->notify.sigev_value;
		info.si_pid = current->tgid;
		info.si_uid = current->uid;
		send_signal(p, q->notify.sigev_signo, &info);
	}
	mq_notify_clear(q, NOTIFY_WOKENUP);
}

/*
 * SIGEV_THREAD's half of mq_notify: the cookie at sival_ptr and the
 * netlink socket sigev_signo names (a new reference in *sockp).  Errors
 * as Linux: EFAULT, EBADF, ENOTSOCK, EINVAL (not netlink).
 */
static long mq_notify_thread(const struct sigevent *sev, u8 *cookie, struct file **sockp)
{
	struct socket *sock;
	struct file *f;

	if (copy_from_user(cookie, UADDR((u64)(uintptr_t)sev->sigev_value.sival_ptr),
			   NOTIFY_COOKIE_LEN))
		return -EFAULT;
	f = fd_get_file(sev->sigev_signo);
	if (f == NULL)
		return -EBADF;
	sock = sock_from_file(f);
	if (sock == NULL || !sock_is_netlink(sock)) {
		fput(f);
		return sock == NULL ? -ENOTSOCK : -EINVAL;
	}
	*sockp = f;
	return 0;
}

static void mq_insert(struct mqueue *q, struct mq_msg *m)
{
	struct mq_msg *o;

	list_for_each_entry(o, &q->msgs, list)
		if (o->prio < m->prio)
			break;
	list_add_tail(&m->list, &o->list);	/* before the first of lower priority */
	q->curmsgs++;
	q->qsize += m->len;
}

static long do_mq_timedsend(int fd, uaddr_t buf, size_t len, unsigned prio, uaddr_t uts)
{
	struct mqueue *q;
	struct mq_msg *m;
	struct file *f;
	u64 deadline;
	long r;

	if ((r = mq_deadline(uts, &deadline)) < 0)
		return r;
	if (prio >= MQ_PRIO_MAX)
		return -EINVAL;
	q = mq_fget(fd, &f);
	if (IS_ERR(q))
		return PTR_ERR(q);
	r = -EBADF;
	if (!(f->f_mode & FMODE_WRITE))
		goto out;
	r = -EMSGSIZE;
	if (len > (size_t)q->msgsize)
		goto out;
	r = -ENOMEM;
	if (!(m = kmalloc(sizeof(*m) + len)))
		goto out;
	m->prio = prio;
	m->len = len;
	r = -EFAULT;
	if (copy_from_user(m->data, buf, len))
		goto out_free;
	while (q->curmsgs >= q->maxmsg) {
		r = -EAGAIN;
		if (f->f_flags & O_NONBLOCK)
			goto out_free;
		if ((r = mq_wait(q, deadline)) < 0)
			goto out_free;
	}
	mq_insert(q, m);
	mq_do_notify(q);
	wake_up_poll(&q->wq, POLLIN | POLLRDNORM);
	r = 0;
	goto out;
out_free:
	kfree(m);
out:
	fput(f);
	return r;
}

SYSCALL(mq_timedsend)
{
	return do_mq_timedsend((int)a[0], UADDR(a[1]), (size_t)a[2], (unsigned)a[3], UADDR(a[4]));
}

/* Waits for a message and takes it off q: it, or ERR_PTR.  May sleep. */
static struct mq_msg *mq_take(struct mqueue *q, struct file *f, u64 deadline)
{
	struct mq_msg *m;
	long r;

	while (q->curmsgs == 0) {
		if (f->f_flags & O_NONBLOCK)
			return ERR_PTR(-EAGAIN);
		q->receivers++;
		r = mq_wait(q, deadline);
		q->receivers--;
		if (r < 0)
			return ERR_PTR(r);
	}
	m = list_first_entry(&q->msgs, struct mq_msg, list);
	list_del(&m->list);
	q->curmsgs--;
	q->qsize -= m->len;
	wake_up_poll(&q->wq, POLLOUT | POLLWRNORM);
	return m;
}

static long do_mq_timedreceive(int fd, uaddr_t buf, size_t len, uaddr_t uprio, uaddr_t uts)
{
	struct mqueue *q;
	struct mq_msg *m;
	struct file *f;
	u64 deadline;
	long r;

	if ((r = mq_deadline(uts, &deadline)) < 0)
		return r;
	q = mq_fget(fd, &f);
	if (IS_ERR(q))
		return PTR_ERR(q);
	r = -EBADF;
	if (!(f->f_mode & FMODE_READ))
		goto out;
	r = -EMSGSIZE;
	if (len < (size_t)q->msgsize)
		goto out;
	m = mq_take(q, f, deadline);
	if (IS_ERR(m)) {
		r = PTR_ERR(m);
		goto out;
	}
	r = (long)m->len;
	if (copy_to_user(buf, m->data, m->len) ||
	    (!uaddr_is_null(uprio) && put_user(m->prio, uprio)))
		r = -EFAULT;	/* the message is gone, as on Linux */
	kfree(m);
out:
	fput(f);
	return r;
}

SYSCALL(mq_timedreceive)
{
	return do_mq_timedreceive((int)a[0], UADDR(a[1]), (size_t)a[2], UADDR(a[3]), UADDR(a[4]));
}

SYSCALL(mq_notify)
{
	uaddr_t usev = UADDR(a[1]);
	u8 cookie[NOTIFY_COOKIE_LEN];
	struct file *f, *sock = NULL;
	struct sigevent sev;
	struct mqueue *q;
	long r = 0;

	if (!uaddr_is_null(usev)) {
		if (copy_from_user(&sev, usev, sizeof(sev)))
			return -EFAULT;
		if (sev.sigev_notify != SIGEV_NONE && sev.sigev_notify != SIGEV_SIGNAL &&
		    sev.sigev_notify != SIGEV_THREAD)
			return -EINVAL;
		if (sev.sigev_notify == SIGEV_SIGNAL && (sev.sigev_signo < 0 || sev.sigev_signo > KNSIG))
			return -EINVAL;
		if (sev.sigev_notify == SIGEV_THREAD) {
			r = mq_notify_thread(&sev, cookie, &sock);
			if (r)
				return r;
		}
	}
	q = mq_fget((int)a[0], &f);
	if (IS_ERR(q)) {
		r = PTR_ERR(q);
		goto out_sock;
	}
	if (uaddr_is_null(usev)) {
		if (q->notify_pid == t->tgid)
			mq_notify_clear(q, NOTIFY_REMOVED);
	} else if (q->notify_pid && find_task(q->notify_pid) &&
		   user_process_alive(find_task(q->notify_pid)->group_leader)) {
		r = -EBUSY;
	} else {
		mq_notify_clear(q, 0);	/* a registration whose process is gone */
		q->notify_pid = t->tgid;
		q->notify_file = f;
		q->notify = sev;
		if (sock) {
			memcpy(q->notify_cookie, cookie, sizeof(cookie));
			q->notify_sock = sock;
			sock = NULL;
		}
	}
	fput(f);
out_sock:
	if (sock)
		fput(sock);
	return r;
}

SYSCALL(mq_getsetattr)
{
	uaddr_t unew = UADDR(a[1]), uold = UADDR(a[2]);
	struct mq_attr na, oa;
	struct mqueue *q;
	struct file *f;
	long r = 0;

	if (!uaddr_is_null(unew)) {
		if (copy_from_user(&na, unew, sizeof(na)))
			return -EFAULT;
		if (na.mq_flags & ~(long)O_NONBLOCK)
			return -EINVAL;
	}
	q = mq_fget((int)a[0], &f);
	if (IS_ERR(q))
		return PTR_ERR(q);
	memset(&oa, 0, sizeof(oa));
	oa.mq_flags = f->f_flags & O_NONBLOCK;
	oa.mq_maxmsg = q->maxmsg;
	oa.mq_msgsize = q->msgsize;
	oa.mq_curmsgs = q->curmsgs;
	if (!uaddr_is_null(unew))
		f->f_flags = (f->f_flags & ~(unsigned)O_NONBLOCK) | ((unsigned)na.mq_flags & O_NONBLOCK);
	if (!uaddr_is_null(uold) && copy_to_user(uold, &oa, sizeof(oa)))
		r = -EFAULT;
	fput(f);
	return r;
}

/* Appends "label" and v left-justified in width columns (ksnprintf has no '-'). */
static int field(char *b, int at, const char *label, long long v, int width)
{
	int n = ksnprintf(b + at, 96 - (size_t)at, "%s%lld", label, v);
	int want = (int)strlen(label) + width;

	while (n < want && at + n < 95)
		b[at + n++] = ' ';
	b[at + n] = 0;
	return at + n;
}

/* read(2) of a descriptor: the status line of Linux's mqueue files. */
static ssize_t mq_read(struct file *f, struct uio *u, loff_t *pos)
{
	struct mqueue *q = f->private_data;
	bool sig = q->notify_pid && q->notify.sigev_notify == SIGEV_SIGNAL;
	char line[96];
	size_t len;
	int n;

	n = field(line, 0, "QSIZE:", (long long)q->qsize, 10);
	n = field(line, n, " NOTIFY:", q->notify_pid ? q->notify.sigev_notify : 0, 5);
	n = field(line, n, " SIGNO:", sig ? q->notify.sigev_signo : 0, 5);
	n = field(line, n, " NOTIFY_PID:", q->notify_pid, 6);
	line[n++] = '\n';
	if (*pos >= n)
		return 0;
	len = min((size_t)(n - *pos), u->len - u->done);
	if (uio_copy_out(u, line + *pos, len) < 0)
		return -EFAULT;
	*pos += (loff_t)len;
	return (ssize_t)len;
}

static unsigned mq_poll(struct file *f, struct poll_table *pt)
{
	struct mqueue *q = f->private_data;
	unsigned mask = 0;

	poll_wait(f, &q->wq, pt);
	if (q->curmsgs)
		mask |= POLLIN | POLLRDNORM;
	if (q->curmsgs < q->maxmsg)
		mask |= POLLOUT | POLLWRNORM;
	return mask;
}

static void mq_release(struct inode *inode, struct file *f)
{
	struct mqueue *q = f->private_data;

	if (q->notify_file == f)	/* its registration goes with it */
		mq_notify_clear(q, NOTIFY_REMOVED);
	mq_put(q);
}

/* open(2) of a queue's file in an mqueue mount: a descriptor as mq_open's. */
static int mq_file_open(struct inode *inode, struct file *f)
{
	struct mqueue *q = inode->i_private;

	q->refs++;
	f->private_data = q;
	return 0;
}

static const struct file_operations mq_fops = {
	.open = mq_file_open,
	.read = mq_read,
	.poll = mq_poll,
	.release = mq_release,
};

/* ---- the mqueue filesystem ---- */

static const struct inode_operations mqfs_dir_iops;
static const struct file_operations mqfs_dir_fops;
static const struct super_operations mqfs_sops;

static struct mqueue *mq_find_len(const char *name, int len)
{
	struct mqueue *q;

	list_for_each_entry(q, &mq_all, link)
		if ((int)strlen(q->name) == len && memcmp(q->name, name, (size_t)len) == 0)
			return q;
	return NULL;
}

/* A new inode of sb for q (a reference to q), or NULL. */
static struct inode *mqfs_inode(struct super_block *sb, struct mqueue *q)
{
	struct inode *inode = new_inode(sb);

	if (!inode)
		return NULL;
	inode->i_ino = q->ino;
	inode->i_mode = S_IFREG | q->mode;
	inode->i_uid = q->uid;
	inode->i_gid = q->gid;
	inode->i_nlink = 1;
	inode->i_atime = inode->i_mtime = inode->i_ctime = current_time();
	inode->i_fop = &mq_fops;
	inode->i_private = q;
	q->refs++;
	inode_insert(inode);
	return inode;
}

static struct inode *mqfs_lookup(struct inode *dir, const char *name, int len)
{
	struct mqueue *q = mq_find_len(name, len);
	struct inode *inode;

	if (!q)
		return ERR_PTR(-ENOENT);
	inode = mqfs_inode(dir->i_sb, q);
	return inode ? inode : ERR_PTR(-ENOMEM);
}

static struct inode *mqfs_create(struct inode *dir, const char *name, int len, umode_t mode)
{
	char n[NAME_MAX + 1];
	struct mqueue *q;
	struct inode *inode;
	umode_t saved = current->fs->umask;

	if (len > NAME_MAX)
		return ERR_PTR(-ENAMETOOLONG);
	memcpy(n, name, (size_t)len);
	n[len] = 0;
	current->fs->umask = 0;		/* the VFS applied it already */
	q = mq_create(n, mode, NULL);
	current->fs->umask = saved;
	if (IS_ERR(q))
		return (struct inode *)q;
	inode = mqfs_inode(dir->i_sb, q);
	if (!inode) {
		mq_unlink_q(q);
		return ERR_PTR(-ENOMEM);
	}
	return inode;
}

static int mqfs_unlink(struct inode *dir, const char *name, int len, struct inode *victim)
{
	struct mqueue *q = victim->i_private;

	if (q->linked)
		mq_unlink_q(q);
	return 0;
}

static int mqfs_iterate(struct file *f, struct dir_context *ctx)
{
	struct mqueue *q;
	loff_t i = 2;

	if (ctx->pos == 0) {
		if (ctx->actor(ctx, ".", 1, f->f_inode->i_ino, DT_DIR))
			return 0;
		ctx->pos = 1;
	}
	if (ctx->pos == 1) {
		if (ctx->actor(ctx, "..", 2, f->f_inode->i_ino, DT_DIR))
			return 0;
		ctx->pos = 2;
	}
	list_for_each_entry(q, &mq_all, link) {
		if (i++ < ctx->pos)
			continue;
		if (ctx->actor(ctx, q->name, (int)strlen(q->name), q->ino, DT_REG))
			return 0;
		ctx->pos = i;
	}
	return 0;
}

static void mqfs_evict(struct inode *inode)
{
	if (inode->i_private)
		mq_put(inode->i_private);
}

static int mqfs_fill_super(struct super_block *sb, const char *data, bool silent)
{
	struct inode *root = new_inode(sb);

	if (!root)
		return -ENOMEM;
	sb->s_magic = 0x19800202;	/* MQUEUE_MAGIC */
	sb->s_blocksize = PAGE_SIZE;
	sb->s_op = &mqfs_sops;
	root->i_ino = 1;
	root->i_mode = S_IFDIR | 01777;
	root->i_nlink = 2;
	root->i_atime = root->i_mtime = root->i_ctime = current_time();
	root->i_op = &mqfs_dir_iops;
	root->i_fop = &mqfs_dir_fops;
	inode_insert(root);
	sb->s_root = root;
	return 0;
}

/* Takes q's inodes and cached names out of one mqueue mount. */
static int mqfs_forget_mnt(struct vfsmount *mnt, void *arg)
{
	struct mqueue *q = arg;
	struct inode *inode;
	struct dentry *d;

	if (mnt->mnt_sb->s_type != &mqueue_fs_type)
		return 0;
	list_for_each_entry(inode, &mnt->mnt_sb->inodes, i_hash)
		if (inode->i_private == q)
			inode->i_nlink = 0;	/* freed at its last iput */
	d = d_lookup(mnt->mnt_root, q->name, (int)strlen(q->name));
	if (d) {
		d_delete(d);
		dput(d);
	}
again:	/* cached with no user: free them now */
	list_for_each_entry(inode, &mnt->mnt_sb->inodes, i_hash) {
		if (inode->i_private == q && inode->i_count == 0) {
			ihold(inode);
			iput(inode);
			goto again;
		}
	}
	return 0;
}

static void mqfs_forget(struct mqueue *q)
{
	mounts_for_each(mqfs_forget_mnt, q);
}

static const struct inode_operations mqfs_dir_iops = {
	.lookup = mqfs_lookup,
	.create = mqfs_create,
	.unlink = mqfs_unlink,
};

static const struct file_operations mqfs_dir_fops = {
	.iterate = mqfs_iterate,
};

static const struct super_operations mqfs_sops = {
	.evict_inode = mqfs_evict,
};

static struct file_system_type mqueue_fs_type = {
	.name = "mqueue", .fill_super = mqfs_fill_super,
};

void mqueue_init(void)
{
	register_filesystem(&mqueue_fs_type);
}

/* At halt: every name goes (no descriptor is left open by then). */
void mq_shutdown(void)
{
	while (!list_empty(&mq_all))
		mq_unlink_q(list_first_entry(&mq_all, struct mqueue, link));
}

/* /proc/sys/fs/mqueue. */
#define MQ_SYSCTL_SHOW(n) \
int show_mq_##n(struct proc_buf *b, struct task *t) { pb_printf(b, "%d\n", mq_lim.n); return 0; }
MQ_SYSCTL(MQ_SYSCTL_SHOW)

#define MQ_SYSCTL_STORE(n)						\
int store_mq_##n(const char *buf, size_t len)				\
{									\
	u64 v;								\
									\
	if (proc_parse_nums(buf, len, &v, 1, 1, HARD_MSGSIZEMAX) < 0)	\
		return -EINVAL;						\
	mq_lim.n = (int)v;						\
	return 0;							\
}
MQ_SYSCTL(MQ_SYSCTL_STORE)
