/*
 * locks.c - advisory file locks: fcntl record locks (POSIX and OFD) and
 * flock(2).
 *
 * An inode that has ever been locked gets a lock context (i_flctx) with
 * two lists, one for byte-range locks, one for flock locks, and one wait
 * queue; the context is freed again when it holds no lock and no
 * sleeper.  Each lock has an owner, and locks of one owner never
 * conflict with each other:
 *   - POSIX (F_SETLK): the fd table of the process; released when the
 *     process closes any fd of the inode (filp_close) or exits;
 *   - OFD (F_OFD_SETLK): the open file; released at its last fput;
 *   - flock: the open file too, on a list of its own (flock and record
 *     locks do not see each other, as on Linux).
 * Setting a record lock merges it with the owner's adjacent or
 * overlapping locks of the same type and splits those of the other type;
 * both new pieces are allocated before anything changes, so the request
 * either happens whole or fails with -ENOMEM.  Any change wakes every
 * sleeper of the context, which re-checks.  A POSIX sleeper notes whose
 * lock blocks it (blocked_posix); following those notes from the owner
 * it would wait for back to itself is a deadlock, -EDEADLK, as Linux
 * finds it (at most MAX_DEADLK_ITERATIONS steps, OFD locks not followed).
 *
 * Leases (F_SETLEASE) sit on a third list, owned by an open file.  An
 * open (or truncate) that conflicts with one (any open with a write
 * lease, a writing one with a read lease) breaks it: the holder gets its
 * signal (fasync_lease_break), the lease shows BREAKING with its target
 * type, and the opener sleeps on the context's queue until the holder
 * gives way (F_SETLEASE to the target, or close) or lease-break-time
 * seconds pass, after which the lease is lowered by force; an O_NONBLOCK
 * opener gets -EWOULDBLOCK at once, the break still under way.
 */
#include "kernel/kernel.h"
#include "kernel/fs.h"
#include "kernel/mm.h"
#include "kernel/sched.h"
#include "kernel/syscalls.h"
#include "internal.h"

#define OFFSET_MAX	((u64)0x7fffffffffffffffULL)
#define MAX_DEADLK_ITERATIONS	10

enum lock_kind { FL_POSIX, FL_OFD, FL_FLOCK };

struct file_lock {
	struct list_head link;
	enum lock_kind kind;
	short type;		/* F_RDLCK or F_WRLCK */
	u64 start, end;		/* inclusive bytes; end OFFSET_MAX: to any EOF */
	void *owner;		/* POSIX: struct files; OFD and flock: struct file */
	pid_t pid;		/* the setter's tgid (what F_GETLK reports) */
};

struct file_lock_context {
	struct list_head posix;		/* POSIX and OFD record locks */
	struct list_head flock;
	struct list_head leases;	/* struct file_lease */
	struct wait_queue wq;
	int sleepers;
};

struct file_lease {
	struct list_head link;
	struct file *file;	/* the owner; no reference: the lease goes at its last fput */
	int fd;			/* for the break signal's si_fd */
	short type;		/* F_RDLCK or F_WRLCK */
	short target;		/* while breaking: F_RDLCK or F_UNLCK */
	bool breaking;
	u64 deadline;		/* monotonic ns: lowered by force then */
	pid_t pid;
};

int lease_break_time = 45;	/* seconds, as Linux's default */

/* A POSIX request asleep: owner waits for a lock of blocker. */
struct lock_sleeper {
	struct list_head link;
	void *owner, *blocker;
};
static struct list_head blocked_posix = LIST_HEAD_INIT(blocked_posix);

static struct file_lock_context *lock_ctx(struct inode *inode, bool create)
{
	struct file_lock_context *ctx = inode->i_flctx;

	if (ctx != NULL || !create)
		return ctx;
	ctx = kzalloc(sizeof(*ctx));
	if (ctx == NULL)
		return NULL;
	INIT_LIST_HEAD(&ctx->posix);
	INIT_LIST_HEAD(&ctx->flock);
	INIT_LIST_HEAD(&ctx->leases);
	init_waitqueue(&ctx->wq);
	inode->i_flctx = ctx;
	return ctx;
}

/* Frees the context once it holds nothing. */
static void lock_ctx_trim(struct inode *inode)
{
	struct file_lock_context *ctx = inode->i_flctx;

	if (ctx == NULL || ctx->sleepers || !list_empty(&ctx->posix) ||
	    !list_empty(&ctx->flock) || !list_empty(&ctx->leases))
		return;
	inode->i_flctx = NULL;
	kfree(ctx);
}

static bool locks_overlap(const struct file_lock *a, u64 start, u64 end)
{
	return a->start <= end && start <= a->end;
}

static bool types_conflict(short a, short b)
{
	return a == F_WRLCK || b == F_WRLCK;
}

/* The first lock on list of another owner that conflicts with the request. */
static struct file_lock *find_conflict(struct list_head *list, void *owner, short type,
				       u64 start, u64 end)
{
	struct file_lock *fl;

	list_for_each_entry(fl, list, link) {
		if (fl->owner != owner && locks_overlap(fl, start, end) &&
		    types_conflict(fl->type, type))
			return fl;
	}
	return NULL;
}

static struct file_lock *lock_alloc(enum lock_kind kind, short type, u64 start, u64 end,
				    void *owner)
{
	struct file_lock *fl = kzalloc(sizeof(*fl));

	if (fl == NULL)
		return NULL;
	fl->kind = kind;
	fl->type = type;
	fl->start = start;
	fl->end = end;
	fl->owner = owner;
	fl->pid = current ? current->tgid : 0;
	INIT_LIST_HEAD(&fl->link);
	return fl;
}

static void lock_free(struct file_lock *fl)
{
	list_del(&fl->link);
	kfree(fl);
}

/*
 * Applies a record lock request of owner to list (the conflicts were
 * checked): merges, trims, splits the owner's locks.  *newp and *splitp
 * are preallocated; the ones used are set to NULL.  Never fails.
 */
static void posix_apply(struct list_head *list, struct file_lock **newp,
			struct file_lock **splitp, void *owner, short type, u64 start, u64 end)
{
	struct file_lock *fl, *tmp;

	if (type != F_UNLCK) {
		/* Same-type locks touching the range melt into the new one. */
		list_for_each_entry_safe(fl, tmp, list, link) {
			if (fl->owner != owner || fl->type != type)
				continue;
			if ((start > 0 && fl->end < start - 1) ||
			    (end < OFFSET_MAX && fl->start > end + 1))
				continue;
			start = min(start, fl->start);
			end = max(end, fl->end);
			lock_free(fl);
		}
	}
	list_for_each_entry_safe(fl, tmp, list, link) {
		if (fl->owner != owner || !locks_overlap(fl, start, end))
			continue;
		if (fl->start < start && fl->end > end) {
			struct file_lock *right = *splitp;

			*splitp = NULL;
			*right = *fl;
			right->start = end + 1;
			fl->end = start - 1;
			list_add(&right->link, &fl->link);
			break;		/* nothing else of this owner can overlap */
		}
		if (fl->start < start)
			fl->end = start - 1;
		else if (fl->end > end)
			fl->start = end + 1;
		else
			lock_free(fl);
	}
	if (type != F_UNLCK) {
		(*newp)->start = start;
		(*newp)->end = end;
		list_add_tail(&(*newp)->link, list);
		*newp = NULL;
	}
}

/* The owner a sleeping POSIX owner waits for, or NULL. */
static void *posix_waits_for(void *owner)
{
	struct lock_sleeper *s;

	list_for_each_entry(s, &blocked_posix, link) {
		if (s->owner == owner)
			return s->blocker;
	}
	return NULL;
}

static bool posix_deadlock(void *me, void *blocker)
{
	int i;

	for (i = 0; i < MAX_DEADLK_ITERATIONS && blocker != NULL; i++) {
		if (blocker == me)
			return true;
		blocker = posix_waits_for(blocker);
	}
	return false;
}

/* Sleeps on ctx until a change; POSIX sleepers note their blocker. */
static int lock_sleep(struct file_lock_context *ctx, void *owner, struct file_lock *blocker)
{
	struct lock_sleeper s = { .owner = owner, .blocker = blocker->owner };
	bool noted = blocker->kind == FL_POSIX;
	int err;

	if (noted)
		list_add(&s.link, &blocked_posix);
	ctx->sleepers++;
	err = sleep_on(&ctx->wq, true);
	ctx->sleepers--;
	if (noted)
		list_del(&s.link);
	return err;
}

/*
 * Sets (or with F_UNLCK, clears) a record lock on inode for owner,
 * sleeping while another owner's lock conflicts if wait: 0, -EAGAIN,
 * -EDEADLK, -ENOMEM or -ERESTARTSYS.  May sleep.
 */
static int posix_lock(struct inode *inode, enum lock_kind kind, void *owner, short type,
		      u64 start, u64 end, bool wait)
{
	struct file_lock_context *ctx = lock_ctx(inode, type != F_UNLCK);
	struct file_lock *newl = NULL, *split = NULL, *c;
	int err = 0;

	if (ctx == NULL)
		return type == F_UNLCK ? 0 : -ENOMEM;
	for (;;) {
		c = type == F_UNLCK ? NULL : find_conflict(&ctx->posix, owner, type, start, end);
		if (c == NULL)
			break;
		err = -EAGAIN;
		if (!wait)
			goto out;
		err = -EDEADLK;
		if (kind == FL_POSIX && c->kind == FL_POSIX && posix_deadlock(owner, c->owner))
			goto out;
		err = lock_sleep(ctx, owner, c);
		if (err < 0)
			goto out;
	}
	err = -ENOMEM;
	newl = lock_alloc(kind, type, start, end, owner);
	split = lock_alloc(kind, type, start, end, owner);
	if (newl == NULL || split == NULL)
		goto out;
	/* Nothing fails from here. */
	posix_apply(&ctx->posix, &newl, &split, owner, type, start, end);
	wake_up(&ctx->wq);
	err = 0;
out:
	kfree(newl);
	kfree(split);
	lock_ctx_trim(inode);
	return err;
}

/* Turns struct flock's range, read from f's point of view, into [*start, *end]. */
static int flock_range(struct file *f, const struct flock *l, u64 *start, u64 *end)
{
	s64 base, s;

	switch (l->l_whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = f->f_pos;
		break;
	case SEEK_END:
		base = (s64)f->f_inode->i_size;
		break;
	default:
		return -EINVAL;
	}
	if (l->l_start > (s64)OFFSET_MAX - base)
		return -EOVERFLOW;
	s = base + l->l_start;
	if (s < 0)
		return -EINVAL;
	if (l->l_len > 0) {
		if (l->l_len - 1 > (s64)OFFSET_MAX - s)
			return -EOVERFLOW;
		*start = (u64)s;
		*end = (u64)(s + l->l_len - 1);
	} else if (l->l_len < 0) {
		if (s + l->l_len < 0)
			return -EINVAL;
		*start = (u64)(s + l->l_len);
		*end = (u64)s - 1;
	} else {
		*start = (u64)s;
		*end = OFFSET_MAX;
	}
	return 0;
}

static bool is_ofd_cmd(unsigned cmd)
{
	return cmd == F_OFD_GETLK || cmd == F_OFD_SETLK || cmd == F_OFD_SETLKW;
}

/* F_GETLK: the first conflicting lock, or l_type F_UNLCK. */
static int posix_test(struct file *f, void *owner, struct flock *l, u64 start, u64 end)
{
	struct file_lock_context *ctx = lock_ctx(f->f_inode, false);
	struct file_lock *c = NULL;

	if (ctx != NULL)
		c = find_conflict(&ctx->posix, owner, l->l_type, start, end);
	if (c == NULL) {
		l->l_type = F_UNLCK;
		return 0;
	}
	l->l_type = c->type;
	l->l_whence = SEEK_SET;
	l->l_start = (s64)c->start;
	l->l_len = c->end == OFFSET_MAX ? 0 : (s64)(c->end - c->start + 1);
	l->l_pid = c->kind == FL_OFD ? -1 : c->pid;
	return 0;
}

/*
 * fcntl F_GETLK, F_SETLK, F_SETLKW and their F_OFD_ forms on f (not
 * O_PATH): 0 or -errno.  May sleep.
 */
long fcntl_lock(struct file *f, unsigned cmd, uaddr_t uarg)
{
	bool ofd = is_ofd_cmd(cmd);
	void *owner = ofd ? (void *)f : (void *)current->files;
	struct flock l;
	u64 start, end;
	int err;

	if (copy_from_user(&l, uarg, sizeof(l)) < 0)
		return -EFAULT;
	if (ofd && l.l_pid != 0)
		return -EINVAL;
	err = flock_range(f, &l, &start, &end);
	if (err < 0)
		return err;
	if (cmd == F_GETLK || cmd == F_OFD_GETLK) {
		if (l.l_type != F_RDLCK && l.l_type != F_WRLCK)
			return -EINVAL;
		posix_test(f, owner, &l, start, end);
		return copy_to_user(uarg, &l, sizeof(l)) < 0 ? -EFAULT : 0;
	}
	switch (l.l_type) {
	case F_RDLCK:
		if (!(f->f_mode & FMODE_READ))
			return -EBADF;
		break;
	case F_WRLCK:
		if (!(f->f_mode & FMODE_WRITE))
			return -EBADF;
		break;
	case F_UNLCK:
		break;
	default:
		return -EINVAL;
	}
	return posix_lock(f->f_inode, ofd ? FL_OFD : FL_POSIX, owner, l.l_type, start, end,
			  cmd == F_SETLKW || cmd == F_OFD_SETLKW);
}

/* flock(2) on f: LOCK_SH, LOCK_EX, LOCK_UN, | LOCK_NB.  May sleep. */
static int flock_file(struct file *f, int op)
{
	struct inode *inode = f->f_inode;
	struct file_lock_context *ctx;
	struct file_lock *fl, *mine = NULL, *c;
	short type = (op & ~LOCK_NB) == LOCK_SH ? F_RDLCK
		   : (op & ~LOCK_NB) == LOCK_EX ? F_WRLCK : F_UNLCK;
	int err;

	ctx = lock_ctx(inode, type != F_UNLCK);
	if (ctx == NULL)
		return type == F_UNLCK ? 0 : -ENOMEM;
	list_for_each_entry(fl, &ctx->flock, link) {
		if (fl->owner == f) {
			mine = fl;
			break;
		}
	}
	err = 0;
	if (mine != NULL && mine->type == type)
		goto out;
	if (mine != NULL) {
		/* A conversion is an unlock and a new lock, as on Linux. */
		lock_free(mine);
		wake_up(&ctx->wq);
	}
	if (type == F_UNLCK)
		goto out;
	err = -ENOMEM;
	mine = lock_alloc(FL_FLOCK, type, 0, OFFSET_MAX, f);
	if (mine == NULL)
		goto out;
	while ((c = find_conflict(&ctx->flock, f, type, 0, OFFSET_MAX)) != NULL) {
		err = -EWOULDBLOCK;
		if (op & LOCK_NB)
			break;
		err = lock_sleep(ctx, f, c);
		if (err < 0)
			break;
	}
	if (c != NULL) {
		kfree(mine);
		goto out;
	}
	list_add_tail(&mine->link, &ctx->flock);
	err = 0;
out:
	lock_ctx_trim(inode);
	return err;
}

SYSCALL(flock)
{
	int op = (int)a[1], cmd = op & ~LOCK_NB;
	struct file *f;
	long err;

	if (cmd != LOCK_SH && cmd != LOCK_EX && cmd != LOCK_UN)
		return -EINVAL;
	f = fd_get_file((int)a[0]);
	if (f == NULL)
		return -EBADF;
	err = -EBADF;
	if ((f->f_flags & O_PATH) || f->f_inode == NULL)
		goto out;
	err = flock_file(f, op);
out:
	fput(f);
	return err;
}

/* ---- leases ---- */

static struct file_lease *lease_of(struct file_lock_context *ctx, struct file *f)
{
	struct file_lease *l;

	if (ctx == NULL)
		return NULL;
	list_for_each_entry(l, &ctx->leases, link)
		if (l->file == f)
			return l;
	return NULL;
}

/* Sets l to type (F_UNLCK frees it); a break reaching its target ends. */
static void lease_change(struct inode *inode, struct file_lease *l, short type)
{
	if (type == F_UNLCK) {
		list_del(&l->link);
		kfree(l);
	} else {
		l->type = type;
		if (l->breaking && type == l->target)
			l->breaking = false;
	}
	wake_up(&inode->i_flctx->wq);
}

/* Linux's check_conflicting_open and the other leases: 0 or -EAGAIN. */
static int lease_conflicts(struct inode *inode, struct file *f, short type)
{
	struct file_lease *l;
	int self_w = (f->f_mode & FMODE_WRITE) ? 1 : 0;
	int self_r = !self_w && (f->f_mode & FMODE_READ) ? 1 : 0;

	if (type == F_RDLCK && inode->i_writecount > 0)
		return -EAGAIN;
	if (type == F_WRLCK && (inode->i_writecount != self_w || inode->i_readcount != self_r))
		return -EAGAIN;
	if (inode->i_flctx == NULL)
		return 0;
	list_for_each_entry(l, &inode->i_flctx->leases, link) {
		if (l->file == f)
			continue;
		if (l->breaking || type == F_WRLCK || l->type == F_WRLCK)
			return -EAGAIN;
	}
	return 0;
}

/*
 * F_SETLEASE on f (through fd): F_RDLCK, F_WRLCK or F_UNLCK.  Only on a
 * regular file the caller owns (or root: CAP_LEASE); makes the caller the
 * file's F_SETOWN owner, as Linux.  0 or -errno.
 */
long fcntl_setlease(struct file *f, int fd, long arg)
{
	struct inode *inode = f->f_inode;
	struct file_lock_context *ctx;
	struct file_lease *l;
	int err;

	if (arg != F_RDLCK && arg != F_WRLCK && arg != F_UNLCK)
		return -EINVAL;
	if (!S_ISREG(inode->i_mode))
		return -EINVAL;
	if (current->euid != 0 && current->euid != inode->i_uid)
		return -EACCES;
	l = lease_of(inode->i_flctx, f);
	if (arg == F_UNLCK) {
		if (l == NULL)
			return -EAGAIN;		/* Linux: nothing to remove */
		lease_change(inode, l, F_UNLCK);
		lock_ctx_trim(inode);
		return 0;
	}
	if (l != NULL && l->breaking && arg > l->target)
		return -EAGAIN;			/* may only give way while broken */
	err = lease_conflicts(inode, f, (short)arg);
	if (err < 0)
		return err;
	err = (int)fasync_fcntl(f, F_SETOWN, current->tgid);
	if (err < 0)
		return err;
	if (l != NULL) {
		lease_change(inode, l, (short)arg);
		l->fd = fd;
		return 0;
	}
	ctx = lock_ctx(inode, true);
	l = ctx ? kzalloc(sizeof(*l)) : NULL;
	if (l == NULL)
		return -ENOMEM;
	l->file = f;
	l->fd = fd;
	l->type = (short)arg;
	l->pid = current->tgid;
	list_add_tail(&l->link, &ctx->leases);
	return 0;
}

/* F_GETLEASE: the lease f holds (its target while broken), or F_UNLCK. */
long fcntl_getlease(struct file *f)
{
	struct file_lease *l = lease_of(f->f_inode ? f->f_inode->i_flctx : NULL, f);

	if (l == NULL)
		return F_UNLCK;
	return l->breaking ? l->target : l->type;
}

/* The leases an open with flags breaks: marks them, signals their holders;
 * lowers those past their deadline.  True if one still stands in the way. */
static bool leases_start_break(struct inode *inode, bool write)
{
	struct file_lock_context *ctx = inode->i_flctx;
	struct file_lease *l, *tmp;
	u64 now = os_monotonic_ns();
	bool blocked = false;

	list_for_each_entry_safe(l, tmp, &ctx->leases, link) {
		short target = write ? F_UNLCK : F_RDLCK;

		if (!write && l->type == F_RDLCK)
			continue;		/* readers share with read leases */
		if (!l->breaking) {
			l->breaking = true;
			l->target = target;
			l->deadline = now + (u64)(lease_break_time > 0 ? lease_break_time : 0) * 1000000000ULL;
			fasync_lease_break(l->file, l->fd);
		} else if (target < l->target) {
			l->target = target;	/* a writer now: all the way down */
		}
		if (now >= l->deadline) {
			lease_change(inode, l, l->target);	/* the holder took too long */
			continue;
		}
		blocked = true;
	}
	return blocked;
}

/* The earliest deadline of the context's breaking leases. */
static u64 leases_deadline(struct file_lock_context *ctx)
{
	struct file_lease *l;
	u64 d = ~0ULL;

	list_for_each_entry(l, &ctx->leases, link)
		if (l->breaking && l->deadline < d)
			d = l->deadline;
	return d;
}

/*
 * Breaks the leases an open (or truncate) of inode with flags conflicts
 * with, waiting for their holders as Linux's __break_lease: 0, or
 * -EWOULDBLOCK for O_NONBLOCK, or -ERESTARTSYS for a signal.  May sleep.
 */
int break_lease(struct inode *inode, unsigned flags)
{
	bool write = (flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC);
	struct file_lock_context *ctx = inode->i_flctx;
	int err = 0;

	if (ctx == NULL || list_empty(&ctx->leases))
		return 0;
	ctx->sleepers++;
	while (leases_start_break(inode, write)) {
		if (flags & O_NONBLOCK) {
			err = -EWOULDBLOCK;
			break;
		}
		err = sleep_on_timeout(&ctx->wq, true, leases_deadline(ctx));
		if (err == -ERESTARTSYS)
			break;
		err = 0;
	}
	ctx->sleepers--;
	lock_ctx_trim(inode);
	return err;
}

static void remove_owned(struct inode *inode, struct list_head *list, void *owner,
			 enum lock_kind kind)
{
	struct file_lock *fl, *tmp;
	bool changed = false;

	list_for_each_entry_safe(fl, tmp, list, link) {
		if (fl->owner == owner && fl->kind == kind) {
			lock_free(fl);
			changed = true;
		}
	}
	if (changed)
		wake_up(&inode->i_flctx->wq);
}

/* The process of fd table files closed an fd of f: its POSIX locks go. */
void locks_remove_posix(struct file *f, struct files *files)
{
	struct inode *inode = f->f_inode;

	if (inode == NULL || inode->i_flctx == NULL)
		return;
	remove_owned(inode, &inode->i_flctx->posix, files, FL_POSIX);
	lock_ctx_trim(inode);
}

/* The last reference to f is going: its OFD and flock locks go. */
void locks_remove_file(struct file *f)
{
	struct inode *inode = f->f_inode;

	if (inode == NULL || inode->i_flctx == NULL)
		return;
	remove_owned(inode, &inode->i_flctx->posix, f, FL_OFD);
	remove_owned(inode, &inode->i_flctx->flock, f, FL_FLOCK);
	{
		struct file_lease *l = lease_of(inode->i_flctx, f);

		if (l != NULL)
			lease_change(inode, l, F_UNLCK);
	}
	lock_ctx_trim(inode);
}

struct locks_walk {
	void (*fn)(void *arg, const struct lock_info *li);
	void *arg;
	int id;
};

static void locks_inode(struct inode *inode, void *arg)
{
	struct locks_walk *w = arg;
	struct file_lock_context *ctx = inode->i_flctx;
	struct list_head *lists[2];
	struct file_lock *fl;
	int i;

	if (ctx == NULL)
		return;
	lists[0] = &ctx->flock;
	lists[1] = &ctx->posix;
	for (i = 0; i < 2; i++) {
		list_for_each_entry(fl, lists[i], link) {
			struct lock_info li = {
				.id = ++w->id, .kind = fl->kind == FL_POSIX ? "POSIX "
						     : fl->kind == FL_OFD ? "OFDLCK" : "FLOCK ",
				.write = fl->type == F_WRLCK, .pid = fl->kind == FL_OFD ? -1 : fl->pid,
				.dev = inode->i_sb->s_dev, .ino = inode->i_ino, .start = fl->start,
				.end = fl->end, .to_eof = fl->end == OFFSET_MAX, .range = fl->kind != FL_FLOCK,
			};

			w->fn(w->arg, &li);
		}
	}
	{
		struct file_lease *l;

		list_for_each_entry(l, &ctx->leases, link) {
			short type = l->breaking ? l->target : l->type;
			struct lock_info li = {
				.id = ++w->id, .kind = "LEASE ",
				.lease_state = l->breaking ? "BREAKING  " : "ACTIVE    ",
				.write = type == F_WRLCK, .unlck = type == F_UNLCK, .pid = l->pid,
				.dev = inode->i_sb->s_dev, .ino = inode->i_ino,
			};

			w->fn(w->arg, &li);
		}
	}
}

/* Calls fn for every lock held now (/proc/locks).  fn must not sleep. */
void locks_for_each(void (*fn)(void *arg, const struct lock_info *li), void *arg)
{
	struct locks_walk w = { fn, arg, 0 };

	iterate_inodes(locks_inode, &w);
}
