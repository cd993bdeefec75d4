/*
 * pipe.c - pipes and FIFOs (pipe(7), fifo(7)).
 *
 * A struct pipe is a byte ring (64 KiB, F_SETPIPE_SZ changes it) with
 * reader and writer counts and two wait queues: readers sleep on
 * rd_wait, writers on wr_wait; wake-ups name what changed (POLLIN on
 * rd_wait, POLLOUT on wr_wait) for epoll and O_ASYNC callbacks.  A
 * kmutex serialises the copies, which may sleep on guest page faults.
 * A writer with O_DIRECT makes packets (pipe(2) "packet mode"): each
 * write of up to PIPE_BUF bytes is one record, a read returns at most one
 * record and drops what did not fit, and, as Linux gives every packet a
 * page buffer, a pipe holds at most size / PAGE_SIZE packets.
 *
 * pipe(2) makes an inode on a private pseudo superblock (pipefs) and two
 * files over it; the pipe goes away with its last file.  A FIFO is an
 * S_IFIFO inode of a real filesystem: def_fifo_fops attaches opens to
 * inode->i_pipe, allocated by the first opener and freed by the last.
 */
#include "kernel/kernel.h"
#include "kernel/fs.h"
#include "kernel/init.h"
#include "kernel/mm.h"
#include "kernel/page.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/syscalls.h"
#include "uapi/linux/capability.h"
#include "internal.h"
#include "uapi/asm/ioctls.h"

#define PIPE_SIZE	65536u		/* the default */
#define PIPE_MAX_SIZE	1048576u	/* /proc/sys/fs/pipe-max-size's default */

/* What F_SETPIPE_SZ gives without privilege (/proc/sys/fs/pipe-max-size). */
u32 pipe_max_size = PIPE_MAX_SIZE;
#define PIPE_BUF	4096u
#define PIPE_RD_KEY	(POLLIN | POLLRDNORM)
#define PIPE_WR_KEY	(POLLOUT | POLLWRNORM)
#define PIPEFS_MAGIC	0x50495045
#define PIPEFS_DEV	MKDEV(0, 0xffff0)

struct pipe {
	u8 *buf;
	u32 size;		/* bytes in buf, a power of two */
	struct pipe_pkt { u32 start, len; } *pkts;	/* O_DIRECT records, or NULL */
	u32 pkt_head, pkt_tail;	/* free-running indices into pkts */
	u32 head, tail;		/* free-running; head - tail bytes queued */
	int readers, writers;
	unsigned r_counter, w_counter;	/* opens so far, for FIFO open waits */
	struct wait_queue rd_wait, wr_wait;
	struct kmutex lock;	/* held across copies (they may fault) */
};

static const struct file_operations pipe_fops;
static struct super_block pipe_sb;
static u64 pipe_ino;

static struct pipe *pipe_alloc(void)
{
	struct pipe *p = kzalloc(sizeof(*p));

	if (p == NULL)
		return NULL;
	p->size = PIPE_SIZE;
	p->buf = kmalloc(PIPE_SIZE);
	if (p->buf == NULL) {
		kfree(p);
		return NULL;
	}
	init_waitqueue(&p->rd_wait);
	init_waitqueue(&p->wr_wait);
	kmutex_init(&p->lock);
	live.pipes++;
	return p;
}

#define PIPE_MAX_PKTS	(PIPE_MAX_SIZE / PAGE_SIZE)

static void pipe_free(struct pipe *p)
{
	kfree(p->pkts);
	kfree(p->buf);
	if (leak_test(pipes))
		return;
	kfree(p);
	live.pipes--;
}

/* Frees the inode's pipe once no file uses it. */
static void pipe_release_if_unused(struct inode *inode)
{
	struct pipe *p = inode->i_pipe;

	if (p == NULL || p->readers > 0 || p->writers > 0)
		return;
	inode->i_pipe = NULL;
	pipe_free(p);
	if (inode->i_sb == &pipe_sb)
		inode->i_nlink = 0;	/* the last iput evicts it */
}

/* Copies up to n queued bytes out; returns bytes or -EFAULT. */
static long pipe_copy_out(struct pipe *p, struct uio *u, u32 n)
{
	u32 off = p->tail & (p->size - 1);
	u32 first = min(n, p->size - off);
	long err;

	err = uio_copy_out(u, p->buf + off, first);
	if (err == 0 && n > first)
		err = uio_copy_out(u, p->buf, n - first);
	if (err < 0)
		return err;
	p->tail += n;
	return n;
}

static long pipe_copy_in(struct pipe *p, struct uio *u, u32 n)
{
	u32 off = p->head & (p->size - 1);
	u32 first = min(n, p->size - off);
	long err;

	err = uio_copy_in(u, p->buf + off, first);
	if (err == 0 && n > first)
		err = uio_copy_in(u, p->buf, n - first);
	if (err < 0)
		return err;
	p->head += n;
	return n;
}

static struct pipe_pkt *pipe_front_pkt(struct pipe *p)
{
	if (p->pkts == NULL || p->pkt_head == p->pkt_tail)
		return NULL;
	return &p->pkts[p->pkt_tail % PIPE_MAX_PKTS];
}

/* Copies out plain bytes up to the next packet, or one packet. Bytes or -EFAULT. */
static long pipe_read_some(struct pipe *p, struct uio *u)
{
	struct pipe_pkt *pk = pipe_front_pkt(p);
	size_t want = u->len - u->done;
	long ret;

	if (pk == NULL || pk->start != p->tail)
		return pipe_copy_out(p, u, (u32)min((size_t)((pk ? pk->start : p->head) - p->tail), want));
	ret = pipe_copy_out(p, u, (u32)min((size_t)pk->len, want));
	if (ret >= 0) {
		p->tail += pk->len - (u32)ret;	/* the rest of the packet is dropped */
		p->pkt_tail++;
	}
	return ret;
}

/* Reads what is queued: bytes, 0 with no writers left, or -errno. May sleep. */
static ssize_t pipe_read(struct file *f, struct uio *u, loff_t *pos)
{
	struct pipe *p = f->f_inode->i_pipe;
	long ret;

	if (u->done == u->len)
		return 0;
	kmutex_lock(&p->lock);
	for (;;) {
		if (p->head != p->tail) {
			ret = pipe_read_some(p, u);
			wake_up_poll(&p->wr_wait, PIPE_WR_KEY);
			break;
		}
		ret = 0;
		if (p->writers == 0)
			break;
		ret = -EAGAIN;
		if (f->f_flags & O_NONBLOCK)
			break;
		kmutex_unlock(&p->lock);
		ret = sleep_on(&p->rd_wait, true);
		kmutex_lock(&p->lock);
		if (ret)
			break;
	}
	kmutex_unlock(&p->lock);
	return ret;
}

/* How many bytes the writer may put in now (0: it must wait). */
static u32 pipe_write_room(struct pipe *p, size_t total, size_t left)
{
	u32 space = p->size - (p->head - p->tail);

	if (total <= PIPE_BUF)		/* atomic: all at once or wait */
		return space >= left ? (u32)left : 0;
	return (u32)min((size_t)space, left);
}

/* Room for the next packet of a packet-mode write (0: wait). */
static u32 pipe_packet_room(struct pipe *p, size_t left)
{
	u32 n = (u32)min(left, (size_t)PIPE_BUF);

	if (p->pkt_head - p->pkt_tail >= p->size / PAGE_SIZE || p->size - (p->head - p->tail) < n)
		return 0;
	return n;
}

static long pipe_packet_in(struct pipe *p, struct uio *u, u32 n)
{
	u32 start = p->head;
	long ret;

	if (p->pkts == NULL) {
		p->pkts = kcalloc(PIPE_MAX_PKTS, sizeof(*p->pkts));
		if (p->pkts == NULL)
			return -ENOMEM;
	}
	ret = pipe_copy_in(p, u, n);
	if (ret >= 0) {
		p->pkts[p->pkt_head % PIPE_MAX_PKTS] = (struct pipe_pkt){ start, n };
		p->pkt_head++;
	}
	return ret;
}

static long pipe_broken(void)
{
	send_sig_thread(current, SIGPIPE);	/* the writing thread's, as Linux */
	return -EPIPE;
}

/*
 * Writes all of u unless interrupted, non-blocking or the readers go
 * away (SIGPIPE, -EPIPE).  Returns bytes written or -errno.  May sleep.
 */
static ssize_t pipe_write(struct file *f, struct uio *u, loff_t *pos)
{
	struct pipe *p = f->f_inode->i_pipe;
	size_t start = u->done, total = u->len - u->done;
	long ret = 0;
	u32 n;

	kmutex_lock(&p->lock);
	while (u->done < u->len) {
		if (p->readers == 0) {
			ret = pipe_broken();
			break;
		}
		n = (f->f_flags & O_DIRECT) ? pipe_packet_room(p, u->len - u->done) :
					      pipe_write_room(p, total, u->len - u->done);
		if (n > 0) {
			ret = (f->f_flags & O_DIRECT) ? pipe_packet_in(p, u, n) : pipe_copy_in(p, u, n);
			wake_up_poll(&p->rd_wait, PIPE_RD_KEY);
			if (ret < 0)
				break;
			continue;
		}
		ret = -EAGAIN;
		if (f->f_flags & O_NONBLOCK)
			break;
		kmutex_unlock(&p->lock);
		ret = sleep_on(&p->wr_wait, true);
		kmutex_lock(&p->lock);
		if (ret)
			break;
	}
	kmutex_unlock(&p->lock);
	if (u->done > start)
		return (ssize_t)(u->done - start);
	return ret;
}

static unsigned pipe_poll(struct file *f, struct poll_table *pt)
{
	struct pipe *p = f->f_inode->i_pipe;
	unsigned mask = 0;
	u32 used = p->head - p->tail;

	poll_wait(f, &p->rd_wait, pt);
	poll_wait(f, &p->wr_wait, pt);
	if (f->f_mode & FMODE_READ) {
		if (used > 0)
			mask |= POLLIN | POLLRDNORM;
		/* A FIFO reports hang-up only once a writer came and went. */
		if (p->writers == 0 && p->w_counter != (unsigned)(uintptr_t)f->private_data)
			mask |= POLLHUP;
	}
	if (f->f_mode & FMODE_WRITE) {
		if (p->size - used >= PIPE_BUF &&
		    (!(f->f_flags & O_DIRECT) || p->pkt_head - p->pkt_tail < p->size / PAGE_SIZE))
			mask |= POLLOUT | POLLWRNORM;
		if (p->readers == 0)
			mask |= POLLERR;
	}
	return mask;
}

static long pipe_ioctl(struct file *f, unsigned cmd, u64 arg)
{
	struct pipe *p = f->f_inode->i_pipe;
	int n = (int)(p->head - p->tail);

	if (cmd != FIONREAD)
		return -ENOTTY;
	return put_user(n, UADDR(arg)) ? -EFAULT : 0;
}

/* Moves the queued bytes into a new ring of size bytes; 0 or -errno. */
static long pipe_resize(struct pipe *p, u32 size)
{
	u32 used = p->head - p->tail, first;
	u8 *buf;

	if (size < used || size / PAGE_SIZE < p->pkt_head - p->pkt_tail)
		return -EBUSY;
	buf = kmalloc(size);
	if (buf == NULL)
		return -ENOMEM;
	first = min(used, p->size - (p->tail & (p->size - 1)));
	memcpy(buf, p->buf + (p->tail & (p->size - 1)), first);
	memcpy(buf + first, p->buf, used - first);
	kfree(p->buf);
	p->buf = buf;
	p->size = size;
	for (u32 i = p->pkt_tail; i != p->pkt_head; i++)
		p->pkts[i % PIPE_MAX_PKTS].start -= p->tail;
	p->tail = 0;
	p->head = used;
	wake_up_poll(&p->wr_wait, PIPE_WR_KEY);
	return 0;
}

/*
 * F_GETPIPE_SZ, F_SETPIPE_SZ: the size (rounded up to a power of two
 * pages); EPERM past pipe-max-size without privilege, EBUSY if the data
 * queued would not fit; EBADF for a file that is not a pipe.
 */
long pipe_fcntl(struct file *f, unsigned cmd, long arg)
{
	struct pipe *p = f->f_inode ? f->f_inode->i_pipe : NULL;
	u32 size = PAGE_SIZE;
	long err;

	if (p == NULL || f->f_op != &pipe_fops)
		return -EBADF;
	if (cmd == F_GETPIPE_SZ)
		return p->size;
	if ((unsigned long)arg > (1UL << 31))
		return -EINVAL;
	while (size < (unsigned long)arg)
		size <<= 1;
	if (size > pipe_max_size && size > p->size &&
	    !(current->cap_effective & (1ULL << CAP_SYS_RESOURCE)))
		return -EPERM;	/* Linux: only growing past it needs CAP_SYS_RESOURCE */
	if (size == p->size)
		return size;
	kmutex_lock(&p->lock);
	err = pipe_resize(p, size);
	kmutex_unlock(&p->lock);
	return err < 0 ? err : size;
}

static loff_t pipe_llseek(struct file *f, loff_t off, int whence)
{
	return -ESPIPE;
}

/* Whether f is an open pipe or FIFO (what splice and tee need at one end). */
bool file_is_pipe(const struct file *f)
{
	return f->f_op == &pipe_fops && f->f_inode != NULL && f->f_inode->i_pipe != NULL;
}

/*
 * For splice into the pipe f: waits for room (unless nonblock) and
 * returns how many bytes a write may put in now without sleeping, or
 * -EAGAIN, -EPIPE (with SIGPIPE) when no reader is left, -ERESTARTSYS.
 * May sleep.
 */
long pipe_splice_room(struct file *f, bool nonblock)
{
	struct pipe *p = f->f_inode->i_pipe;
	long ret;

	for (;;) {
		if (p->readers == 0)
			return pipe_broken();
		ret = p->size - (p->head - p->tail);
		if (ret > 0)
			return ret;
		if (nonblock || (f->f_flags & O_NONBLOCK))
			return -EAGAIN;
		ret = sleep_on(&p->wr_wait, true);
		if (ret)
			return ret;
	}
}

/*
 * For splice out of the pipe f: waits for data (unless nonblock) and
 * returns how many bytes are queued, 0 once no writer is left, or
 * -EAGAIN, -ERESTARTSYS.  May sleep.
 */
long pipe_splice_avail(struct file *f, bool nonblock)
{
	struct pipe *p = f->f_inode->i_pipe;
	long ret;

	for (;;) {
		if (p->head != p->tail)
			return p->head - p->tail;
		if (p->writers == 0)
			return 0;
		if (nonblock || (f->f_flags & O_NONBLOCK))
			return -EAGAIN;
		ret = sleep_on(&p->rd_wait, true);
		if (ret)
			return ret;
	}
}

/*
 * tee(2): copies up to len queued bytes of pipe in to pipe out without
 * consuming them: bytes, 0 when in is empty with no writers, or -errno.
 * May sleep.
 */
long pipe_tee(struct file *in, struct file *out, size_t len, bool nonblock)
{
	struct pipe *ip = in->f_inode->i_pipe, *op = out->f_inode->i_pipe;
	long avail, room;
	u32 n, i;

	if (ip == op)
		return -EINVAL;
	for (;;) {
		avail = pipe_splice_avail(in, nonblock);
		if (avail <= 0)
			return avail;
		room = pipe_splice_room(out, nonblock);
		if (room < 0)
			return room;
		/* In address order, so two tees the other way round cannot deadlock. */
		kmutex_lock(ip < op ? &ip->lock : &op->lock);
		kmutex_lock(ip < op ? &op->lock : &ip->lock);
		/* Either may have changed while we slept: take what is there now. */
		n = (u32)min((size_t)(ip->head - ip->tail), len);
		n = min(n, op->size - (op->head - op->tail));
		for (i = 0; i < n; i++)
			op->buf[(op->head + i) & (op->size - 1)] =
				ip->buf[(ip->tail + i) & (ip->size - 1)];
		op->head += n;
		kmutex_unlock(&ip->lock);
		kmutex_unlock(&op->lock);
		if (n > 0) {
			wake_up_poll(&op->rd_wait, PIPE_RD_KEY);
			return n;
		}
	}
}

static void pipe_release(struct inode *inode, struct file *f)
{
	struct pipe *p = inode->i_pipe;

	if (p == NULL)
		return;
	if (f->f_mode & FMODE_READ)
		p->readers--;
	if (f->f_mode & FMODE_WRITE)
		p->writers--;
	wake_up(&p->rd_wait);
	wake_up(&p->wr_wait);
	pipe_release_if_unused(inode);
}

static const struct file_operations pipe_fops = {
	.read = pipe_read,
	.write = pipe_write,
	.llseek = pipe_llseek,
	.poll = pipe_poll,
	.ioctl = pipe_ioctl,
	.release = pipe_release,
};

/* ---- FIFOs ---- */

/* Sleeps until *counter moves past seen; 0 or -ERESTARTSYS. May sleep. */
static int fifo_wait(struct wait_queue *wq, unsigned *counter, unsigned seen)
{
	return wait_event_interruptible(*wq, *counter != seen);
}

static int fifo_open_read(struct pipe *p, struct file *f)
{
	unsigned seen = p->w_counter;

	p->readers++;
	p->r_counter++;
	f->private_data = (void *)(uintptr_t)seen;
	wake_up(&p->wr_wait);
	if (p->writers > 0 || (f->f_flags & O_NONBLOCK))
		return 0;
	return fifo_wait(&p->rd_wait, &p->w_counter, seen);
}

static int fifo_open_write(struct pipe *p, struct file *f)
{
	unsigned seen = p->r_counter;

	if (p->readers == 0 && (f->f_flags & O_NONBLOCK))
		return -ENXIO;
	p->writers++;
	p->w_counter++;
	wake_up(&p->rd_wait);
	if (p->readers > 0)
		return 0;
	return fifo_wait(&p->wr_wait, &p->r_counter, seen);
}

/*
 * Opens a FIFO with fifo(7) blocking rules: a reader waits for a writer
 * and a writer for a reader, unless O_NONBLOCK (then a lone writer gets
 * -ENXIO); O_RDWR never waits.  0 or -errno.  May sleep.
 */
static int fifo_open(struct inode *inode, struct file *f)
{
	struct pipe *p = inode->i_pipe;
	int err;

	if (p == NULL) {
		p = pipe_alloc();
		if (p == NULL)
			return -ENOMEM;
		inode->i_pipe = p;
	}
	f->f_op = &pipe_fops;
	switch (f->f_mode & (FMODE_READ | FMODE_WRITE)) {
	case FMODE_READ:
		err = fifo_open_read(p, f);
		break;
	case FMODE_WRITE:
		err = fifo_open_write(p, f);
		break;
	default:
		p->readers++;
		p->writers++;
		p->r_counter++;
		p->w_counter++;
		f->private_data = (void *)(uintptr_t)p->w_counter;
		wake_up(&p->rd_wait);
		wake_up(&p->wr_wait);
		return 0;
	}
	if (err == 0)
		return 0;
	if (err != -ENXIO) {	/* interrupted: undo our count */
		if (f->f_mode & FMODE_READ)
			p->readers--;
		else
			p->writers--;
	}
	f->f_op = &def_fifo_fops;
	pipe_release_if_unused(inode);
	return err;
}

const struct file_operations def_fifo_fops = {
	.open = fifo_open,
};

/* ---- pipe(2) ---- */

static struct inode *pipe_inode_alloc(void)
{
	struct inode *inode = new_inode(&pipe_sb);

	if (inode == NULL)
		return NULL;
	inode->i_pipe = pipe_alloc();
	if (inode->i_pipe == NULL) {
		kfree(inode);
		return NULL;
	}
	inode->i_ino = ++pipe_ino;
	inode->i_mode = S_IFIFO | 0600;
	inode->i_nlink = 1;
	inode->i_uid = current ? current->euid : 0;
	inode->i_gid = current ? current->egid : 0;
	inode->i_atime = inode->i_mtime = inode->i_ctime = current_time();
	inode->i_fop = &pipe_fops;
	inode->i_pipe->readers = 1;
	inode->i_pipe->writers = 1;
	inode->i_pipe->r_counter = inode->i_pipe->w_counter = 1;
	inode_insert(inode);
	return inode;
}

static struct vfsmount *pipe_mnt;

/*
 * The path of a new pipe: an unhashed dentry "pipe:[ino]" under the
 * pipefs root, so that a pipe is a file like any other to fstatat,
 * fchmod, *at() calls and /proc/PID/fd.  Takes over the caller's inode
 * reference; NULL on ENOMEM.
 */
static struct dentry *pipe_dentry(struct inode *inode)
{
	char name[32];
	int n = ksnprintf(name, sizeof(name), "pipe:[%llu]", (unsigned long long)inode->i_ino);
	struct dentry *d = d_alloc(pipe_mnt->mnt_root, name, n);

	if (d == NULL)
		return NULL;
	list_del(&d->d_child);		/* never found by name; freed at the last dput */
	d_instantiate(d, inode);
	return d;
}

/* A file over the pipe at d; takes an inode reference.  ERR_PTR on failure. */
static struct file *pipe_file(struct dentry *d, unsigned mode, unsigned flags)
{
	struct file *f = file_alloc();

	if (IS_ERR(f))
		return f;
	f->f_flags = flags | (mode == FMODE_READ ? O_RDONLY : O_WRONLY);
	f->f_mode = mode;
	f->f_op = &pipe_fops;
	f->f_inode = d->d_inode;
	ihold(d->d_inode);
	f->f_path.mnt = pipe_mnt;
	f->f_path.dentry = dget(d);
	return f;
}

/* True for the files pipe(2) made (they have no name anywhere). */
bool pipe_is_anonymous(const struct file *f)
{
	return f->f_path.mnt != NULL && f->f_path.mnt == pipe_mnt;
}

/* Makes the two files of a new pipe; 0, -ENFILE or -ENOMEM. */
static int pipe_create(struct file **files, unsigned flags)
{
	struct inode *inode = pipe_inode_alloc();
	struct dentry *d;
	int err;

	if (inode == NULL)
		return -ENOMEM;
	d = pipe_dentry(inode);
	if (d == NULL) {
		inode->i_pipe->readers = inode->i_pipe->writers = 0;
		pipe_release_if_unused(inode);
		iput(inode);
		return -ENOMEM;
	}
	files[0] = pipe_file(d, FMODE_READ, flags);
	err = IS_ERR(files[0]) ? (int)PTR_ERR(files[0]) : 0;
	if (err)
		goto out_dentry;
	files[1] = pipe_file(d, FMODE_WRITE, flags);
	err = IS_ERR(files[1]) ? (int)PTR_ERR(files[1]) : 0;
	if (err)
		goto out_read;
	dput(d);		/* the files hold it now */
	return 0;
out_read:
	fput(files[0]);		/* readers drop to 0; the writer count stays */
out_dentry:
	if (inode->i_pipe != NULL) {
		inode->i_pipe->readers = 0;
		inode->i_pipe->writers = 0;
		pipe_release_if_unused(inode);
	}
	dput(d);
	return err;
}

static void pipe_undo_fd(int fd)
{
	struct file *f = fd_detach(fd);

	if (f != NULL)
		fput(f);
}

static long do_pipe2(uaddr_t ufds, int flags)
{
	struct file *files[2];
	int fds[2];
	int cloexec = (flags & O_CLOEXEC) != 0;
	long err;

	if (flags & ~(O_CLOEXEC | O_NONBLOCK | O_DIRECT))
		return -EINVAL;
	err = pipe_create(files, flags & (O_NONBLOCK | O_DIRECT));
	if (err)
		return err;
	fds[0] = fd_install(files[0], cloexec);
	if (fds[0] < 0) {
		fput(files[0]);
		fput(files[1]);
		return fds[0];
	}
	fds[1] = fd_install(files[1], cloexec);
	if (fds[1] < 0) {
		pipe_undo_fd(fds[0]);
		fput(files[1]);
		return fds[1];
	}
	if (copy_to_user(ufds, fds, sizeof(fds))) {
		pipe_undo_fd(fds[1]);
		pipe_undo_fd(fds[0]);
		return -EFAULT;
	}
	return 0;
}

/* pipe2(fds, flags): O_DIRECT makes both ends packet-mode. */
long sys_pipe2(struct task *t, const long *a)
{
	uaddr_t ufds = UADDR(a[0]);
	int flags = (int)a[1];

	return do_pipe2(ufds, flags);
}

long sys_pipe(struct task *t, const long *a)
{
	uaddr_t ufds = UADDR(a[0]);

	return do_pipe2(ufds, 0);
}

static const struct super_operations pipefs_sops = {
	.evict_inode = NULL,
};

/* Sets up the pipefs pseudo superblock. */
void pipe_init(void)
{
	INIT_LIST_HEAD(&pipe_sb.inodes);
	INIT_LIST_HEAD(&pipe_sb.s_list);
	pipe_sb.s_dev = PIPEFS_DEV;
	pipe_sb.s_magic = PIPEFS_MAGIC;
	pipe_sb.s_blocksize = PAGE_SIZE;
	pipe_sb.s_op = &pipefs_sops;
	pipe_sb.s_root = new_inode(&pipe_sb);
	if (pipe_sb.s_root == NULL)
		panic("pipefs: out of memory");
	pipe_sb.s_root->i_ino = 1;
	pipe_sb.s_root->i_mode = S_IFDIR | 0500;
	pipe_sb.s_root->i_nlink = 2;
	inode_insert(pipe_sb.s_root);
	pipe_mnt = mnt_alloc(&pipe_sb, "pipefs");
	if (pipe_mnt == NULL)
		panic("pipefs: out of memory");
	live_kernel.inodes++;		/* its root, kept for the whole run */
	live_kernel.dentries++;
	live_kernel.mounts++;
}
