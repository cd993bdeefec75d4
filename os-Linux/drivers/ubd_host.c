/*
 * ubd_host.c - host half of the ubd block driver (shared/ubd.h).
 *
 * Two layers:
 *  - disks: os_ubd_open() opens a plain image, or a UML COW file over a
 *    backing file, and takes UML's host lock (flock: exclusive on what
 *    may be written, shared on what is only read, so a backing file is
 *    shared by any number of instances and no instance writes it).
 *  - the I/O thread: with every signal blocked, it takes struct ubd_io
 *    requests from a submit queue, does the I/O on the host files and
 *    puts the request on a completion queue, then raises OS_IRQ_UBD.  The
 *    kernel half drains completions from its IRQ handler.  Both queues
 *    are singly linked FIFOs of small nodes under one mutex; submit never
 *    blocks for long (only on the mutex, which the thread holds for a few
 *    loads).  Only this thread touches a COW bitmap after open.
 *
 * The COW file (UML's version 3, every field big-endian, packed):
 *
 *	0 magic "OOOM"	4 version 3	8 mtime (u32 seconds) of the backing file
 *	12 size (u64) of the backing file	20 sector size	24 alignment
 *	28 format (0: bitmap)	32 backing file path, 4096 bytes, NUL-terminated
 *
 * then, at the header's length rounded up to the alignment, a bitmap of
 * one bit per sector (bit s%8 of byte s/8: set when sector s lives in the
 * COW file), then, at the bitmap's end rounded up to the alignment, the
 * data area: sector s at data offset + s * sector size.  UML makes
 * sector size 512 and alignment 4096; we write the same and read any.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/uio.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "shared/os.h"

#define COW_MAGIC	0x4f4f4f4dU
#define COW_VERSION	3
#define COW_PATH_LEN	4096
#define COW_HDR_LEN	(32 + COW_PATH_LEN)
#define COW_SECTOR	512
#define COW_ALIGN	4096

struct ubd_disk {
	int fd;			/* the image, or the COW file */
	int backing_fd;		/* the COW's backing file, or -1 */
	uint64_t size;		/* bytes the guest sees */
	uint32_t sectorsize;
	uint64_t bitmap_offset, bitmap_len, data_offset;
	uint8_t *bitmap;	/* COW only: the whole bitmap, in memory */
	char *backing;		/* COW only: the backing file's name */
	int dio_fd;		/* the image again with O_DIRECT (writes), or -1 */
	uint32_t dio_align;	/* what its buffers, lengths and offsets align to; 0: off */
	uint64_t hole_lo, hole_hi;	/* written buffered into holes since the last flush */
};

struct ubd_node {
	struct ubd_io *io;
	struct ubd_node *next;
};

struct ubd_fifo {
	struct ubd_node *head, *tail;
};

static pthread_mutex_t ubd_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ubd_cond = PTHREAD_COND_INITIALIZER;
static struct ubd_fifo submit_q, done_q;
static pthread_t ubd_thread;
static int ubd_started;
static int ubd_busy;		/* the thread is doing a request */

static void fifo_push(struct ubd_fifo *q, struct ubd_node *n)
{
	n->next = NULL;
	if (q->tail)
		q->tail->next = n;
	else
		q->head = n;
	q->tail = n;
}

static struct ubd_node *fifo_pop(struct ubd_fifo *q)
{
	struct ubd_node *n = q->head;

	if (n) {
		q->head = n->next;
		if (!q->head)
			q->tail = NULL;
	}
	return n;
}

/*
 * Full-length pread (write == 0) or pwrite, looping on short transfers
 * and EINTR.  Returns the bytes done (short only at end of file) or -errno.
 */
static int64_t full_rw(int fd, int write, void *buf, uint64_t len, uint64_t off)
{
	uint64_t done = 0;
	char *p = buf;

	while (done < len) {
		ssize_t n;

		if (write)
			n = pwrite(fd, p + done, len - done, (off_t)(off + done));
		else
			n = pread(fd, p + done, len - done, (off_t)(off + done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;		/* end of file: a short read */
		done += (uint64_t)n;
	}
	return (int64_t)done;
}

/*
 * Full-length preadv/pwritev of segs[0..n) at off (IOV_MAX at a time),
 * looping on short transfers and EINTR: the bytes done (short only at
 * end of file) or -errno.
 */
static int64_t full_rwv(int fd, int write, const struct ubd_seg *segs, int n, uint64_t off)
{
	struct iovec iov[1024];	/* IOV_MAX: a 1 MiB run of 1 KiB buffers in one call */
	uint64_t done = 0, skip = 0;	/* skip: bytes of segs[0] already done */

	while (n > 0) {
		int k = 0;
		ssize_t r;

		for (; k < n && k < (int)(sizeof(iov) / sizeof(iov[0])); k++) {
			iov[k].iov_base = (char *)segs[k].buf + (k ? 0 : skip);
			iov[k].iov_len = segs[k].len - (k ? 0 : skip);
		}
		if (write)
			r = pwritev(fd, iov, k, (off_t)(off + done));
		else
			r = preadv(fd, iov, k, (off_t)(off + done));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			break;		/* end of file: a short read */
		done += (uint64_t)r;
		skip += (uint64_t)r;
		while (n > 0 && skip >= segs[0].len) {
			skip -= segs[0].len;
			segs++;
			n--;
		}
	}
	return (int64_t)done;
}

static int cow_bit(const struct ubd_disk *d, uint64_t sector)
{
	return (d->bitmap[sector / 8] >> (sector % 8)) & 1;
}

/*
 * A COW read: each run of sectors comes from the COW file's data area
 * when its bits are set, from the backing file when they are clear.
 */
static int64_t cow_read(struct ubd_disk *d, char *buf, uint64_t off, uint64_t len)
{
	uint64_t done = 0;

	while (done < len) {
		uint64_t pos = off + done, s = pos / d->sectorsize;
		int bit = cow_bit(d, s);
		uint64_t end = (s + 1) * d->sectorsize;
		int64_t n;

		while (end < off + len && cow_bit(d, end / d->sectorsize) == bit)
			end += d->sectorsize;
		if (end > off + len)
			end = off + len;
		if (bit)
			n = full_rw(d->fd, 0, buf + done, end - pos, d->data_offset + pos);
		else
			n = full_rw(d->backing_fd, 0, buf + done, end - pos, pos);
		if (n < 0)
			return n;
		if ((uint64_t)n < end - pos)	/* past a file's end reads as zeros */
			memset(buf + done + n, 0, end - pos - (uint64_t)n);
		done += end - pos;
	}
	return (int64_t)done;
}

/*
 * A COW write: whole sectors into the data area, then the bitmap bytes
 * whose bits it sets (after the data, so a bit never names a sector that
 * was not written).  The backing file is never written.
 */
static int64_t cow_write(struct ubd_disk *d, char *buf, uint64_t off, uint64_t len)
{
	uint64_t s0 = off / d->sectorsize, s1 = (off + len) / d->sectorsize, s;
	uint64_t b0 = s0 / 8, b1 = (s1 - 1) / 8;
	int64_t n;
	int changed = 0;

	if (off % d->sectorsize || len % d->sectorsize)
		return -EINVAL;		/* the block layer writes whole sectors */
	n = full_rw(d->fd, 1, buf, len, d->data_offset + off);
	if (n < 0 || (uint64_t)n != len)
		return n < 0 ? n : -EIO;
	for (s = s0; s < s1; s++) {
		if (!cow_bit(d, s)) {
			d->bitmap[s / 8] |= (uint8_t)(1U << (s % 8));
			changed = 1;
		}
	}
	if (changed) {
		n = full_rw(d->fd, 1, d->bitmap + b0, b1 - b0 + 1, d->bitmap_offset + b0);
		if (n < 0 || (uint64_t)n != b1 - b0 + 1)
			return n < 0 ? n : -EIO;
	}
	return (int64_t)len;
}

/*
 * TRIM: the range's blocks go from the host file (fallocate PUNCH_HOLE,
 * the size kept), so it takes no host space; they read back as zeros.
 * A COW disk refuses: a hole there would hide nothing of the backing
 * file's data it already covers, and a cleared bit would show it again.
 */
static int64_t ubd_punch(struct ubd_disk *d, uint64_t offset, uint64_t len)
{
	if (d->bitmap)
		return -EOPNOTSUPP;
	if (len == 0)
		return 0;
	while (fallocate(d->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)offset,
			 (off_t)len) < 0) {
		if (errno != EINTR)
			return -errno;
	}
	return (int64_t)len;
}

/* Whether segs[0..n) at off may go through the O_DIRECT descriptor. */
static int dio_aligned(const struct ubd_disk *d, const struct ubd_seg *segs, int n, uint64_t off)
{
	uint64_t m = (uint64_t)d->dio_align - 1;

	if (!d->dio_align || (off & m))
		return 0;
	for (int i = 0; i < n; i++) {
		if (((uintptr_t)segs[i].buf | segs[i].len) & m)
			return 0;
	}
	return 1;
}

/* Whether the image has a hole (or its end) in [off, off + len): SEEK_HOLE. */
static int has_hole(const struct ubd_disk *d, uint64_t off, uint64_t len)
{
	off_t h = lseek(d->fd, (off_t)off, SEEK_HOLE);

	return h >= 0 && (uint64_t)h < off + len;
}

/*
 * A write to a plain image.  Aligned writes go straight from the
 * kernel's buffers to the host's disk (O_DIRECT): the host neither
 * copies them into its page cache nor writes that copy back at the
 * next fdatasync, which then only has the device's cache to flush.
 * But not into a hole of a sparse image (a fresh mkrootfs one): there
 * the host file system allocates and converts extents for each direct
 * write, with a journal transaction each (bench seqwrite 64 on a sparse
 * image: 9.5-14 ms per MiB direct, 4.0-5.0 buffered); a buffered write
 * lets it allocate the run at once when the flush writes it back, and
 * the flush then drops those pages from the host's cache again.  A file
 * system that refuses a direct write (-EINVAL) turns it off for the disk.
 */
static int64_t plain_write(struct ubd_disk *d, const struct ubd_seg *segs, int n, uint64_t off)
{
	uint64_t len = 0;

	for (int i = 0; i < n; i++)
		len += segs[i].len;
	if (dio_aligned(d, segs, n, off)) {
		int64_t r;

		if (has_hole(d, off, len)) {
			if (d->hole_hi <= d->hole_lo || off < d->hole_lo)
				d->hole_lo = off;
			if (off + len > d->hole_hi)
				d->hole_hi = off + len;
			return full_rwv(d->fd, 1, segs, n, off);
		}
		r = full_rwv(d->dio_fd, 1, segs, n, off);
		if (r != -EINVAL)
			return r;
		d->dio_align = 0;
	}
	return full_rwv(d->fd, 1, segs, n, off);
}

/* The flush: the data and what reaching it needs (a block the host file
 * allocated for it), not the file's times and size; then what went
 * into holes buffered leaves the host's cache, as a direct write would
 * not have been there.  0 or -errno. */
static int64_t ubd_flush(struct ubd_disk *d)
{
	while (fdatasync(d->fd) < 0) {
		if (errno != EINTR)
			return -errno;
	}
	if (d->hole_hi > d->hole_lo)
		posix_fadvise(d->fd, (off_t)d->hole_lo, (off_t)(d->hole_hi - d->hole_lo),
			      POSIX_FADV_DONTNEED);
	d->hole_lo = d->hole_hi = 0;
	return 0;
}

/* A vectored read or write: one host call for a plain file, one a segment for COW. */
static int64_t ubd_do_iov(struct ubd_disk *d, const struct ubd_io *io)
{
	uint64_t off = io->offset, done = 0;
	int64_t n;

	if (!d->bitmap && io->op == UBD_OP_WRITE)
		return plain_write(d, io->segs, io->nsegs, off);
	if (!d->bitmap)
		return full_rwv(d->fd, 0, io->segs, io->nsegs, off);
	if (io->offset > d->size || io->len > d->size - io->offset)
		return -EIO;		/* the bitmap ends at the disk's end */
	for (int i = 0; i < io->nsegs; i++) {
		if (io->op == UBD_OP_READ)
			n = cow_read(d, io->segs[i].buf, off + done, io->segs[i].len);
		else
			n = cow_write(d, io->segs[i].buf, off + done, io->segs[i].len);
		if (n < 0)
			return n;
		done += (uint64_t)n;
		if ((uint64_t)n < io->segs[i].len)
			break;
	}
	return (int64_t)done;
}

static int64_t ubd_do_io(struct ubd_io *io)
{
	struct ubd_disk *d = io->disk;

	if (io->op == UBD_OP_FLUSH)
		return ubd_flush(d);
	if (io->op == UBD_OP_DISCARD)
		return ubd_punch(d, io->offset, io->len);
	if (io->op != UBD_OP_READ && io->op != UBD_OP_WRITE)
		return -EINVAL;
	if (io->nsegs > 0)
		return ubd_do_iov(d, io);
	if (!d->bitmap && io->op == UBD_OP_WRITE)
		return plain_write(d, &(struct ubd_seg){ .buf = io->buf, .len = io->len }, 1,
				   io->offset);
	if (!d->bitmap)
		return full_rw(d->fd, io->op == UBD_OP_WRITE, io->buf, io->len, io->offset);
	if (io->len == 0)
		return 0;
	if (io->offset > d->size || io->len > d->size - io->offset)
		return -EIO;		/* the bitmap ends at the disk's end */
	if (io->op == UBD_OP_READ)
		return cow_read(d, io->buf, io->offset, io->len);
	return cow_write(d, io->buf, io->offset, io->len);
}

/*
 * Runs until ./linux exits: halt has synced and unmounted every disk by
 * then (machine_halt), so no request is in flight when it goes.
 */
__attribute__((noreturn)) static void *ubd_io_thread(void *arg)
{
	struct ubd_node *n;

	(void)arg;
	pthread_mutex_lock(&ubd_lock);
	for (;;) {
		while (!submit_q.head)
			pthread_cond_wait(&ubd_cond, &ubd_lock);
		n = fifo_pop(&submit_q);
		ubd_busy = 1;
		pthread_mutex_unlock(&ubd_lock);
		n->io->result = ubd_do_io(n->io);
		pthread_mutex_lock(&ubd_lock);
		ubd_busy = 0;
		fifo_push(&done_q, n);
		pthread_mutex_unlock(&ubd_lock);
		os_raise_irq(OS_IRQ_UBD);
		pthread_mutex_lock(&ubd_lock);
	}
}

/* Starts the I/O thread once; 0 or -errno. */
int os_ubd_thread_start(void)
{
	sigset_t all, old;
	int err;

	if (ubd_started)
		return 0;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(&ubd_thread, NULL, ubd_io_thread, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err)
		return -err;
	ubd_started = 1;
	return 0;
}

/*
 * The crash path: waits (at most ms) until the I/O thread has taken and
 * done every submitted request.  The kernel thread may have crashed
 * holding the lock, so it is only tried, never waited for.
 */
void os_ubd_drain(int ms)
{
	struct timespec ts = { 0, 1000000 };

	for (int i = 0; i < ms && ubd_started; i++) {
		int idle = 0;

		if (pthread_mutex_trylock(&ubd_lock) == 0) {
			idle = submit_q.head == NULL && !ubd_busy;
			pthread_mutex_unlock(&ubd_lock);
		}
		if (idle)
			return;
		nanosleep(&ts, NULL);
	}
}

/* Queues io for the I/O thread; 0 or -ENOMEM.  Never waits for I/O. */
int os_ubd_submit(struct ubd_io *io)
{
	struct ubd_node *n = malloc(sizeof(*n));

	if (!n)
		return -ENOMEM;
	n->io = io;
	pthread_mutex_lock(&ubd_lock);
	fifo_push(&submit_q, n);
	pthread_cond_signal(&ubd_cond);
	pthread_mutex_unlock(&ubd_lock);
	return 0;
}

/* Takes one finished request into *io: 0, or -EAGAIN when none is left. */
int os_ubd_complete(struct ubd_io **io)
{
	struct ubd_node *n;

	pthread_mutex_lock(&ubd_lock);
	n = fifo_pop(&done_q);
	pthread_mutex_unlock(&ubd_lock);
	if (!n)
		return -EAGAIN;
	*io = n->io;
	free(n);
	return 0;
}


/* --- disks ---------------------------------------------------------------- */

/* The one-line reason a disk cannot be used (truncated if need be). */
__attribute__((format(printf, 2, 3)))
static void set_why(struct ubd_open_info *info, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(info->why, sizeof(info->why), fmt, ap);
	va_end(ap);
}

static uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t get_be64(const uint8_t *p)
{
	return (uint64_t)get_be32(p) << 32 | get_be32(p + 4);
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void put_be64(uint8_t *p, uint64_t v)
{
	put_be32(p, (uint32_t)(v >> 32));
	put_be32(p + 4, (uint32_t)v);
}

static uint64_t round_up(uint64_t v, uint64_t align)
{
	return (v + align - 1) / align * align;
}

/* Where the bitmap and the data start, from size, sector size, alignment. */
static void cow_layout(struct ubd_disk *d, uint32_t align)
{
	d->bitmap_offset = round_up(COW_HDR_LEN, align);
	d->bitmap_len = ((d->size + d->sectorsize - 1) / d->sectorsize + 7) / 8;
	d->data_offset = round_up(d->bitmap_offset + d->bitmap_len, align);
}

static int open_flags(int flags, int rw)
{
	return (rw ? O_RDWR : O_RDONLY) | (flags & UBD_F_SYNC ? O_SYNC : 0) | O_CLOEXEC;
}

static int open_retry(const char *path, int oflags, int mode)
{
	int fd;

	do {
		fd = open(path, oflags, mode);
	} while (fd < 0 && errno == EINTR);
	return fd < 0 ? -errno : fd;
}

/* UML's host lock: exclusive on a file written, shared on one only read. */
static int lock_file(int fd, int exclusive, const char *path, struct ubd_open_info *info)
{
	/*
	 * A few tries over a second: the host releases the lock of an
	 * instance that was just SIGKILLed in a deferred fput, which can come
	 * after its parent's wait returned.  An instance still running holds
	 * it for good and gets the message.
	 */
	for (int i = 0; i < 20; i++) {
		if (flock(fd, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) == 0)
			return 0;
		if (errno != EWOULDBLOCK && errno != EINTR)
			break;
		usleep(50000);
	}
	if (errno == EWOULDBLOCK) {
		snprintf(info->why, sizeof(info->why),
			 "'%s' is in use by another instance (locked)", path);
		return -EAGAIN;
	}
	set_why(info, "cannot lock '%s': %s", path, strerror(errno));
	return -errno;
}

/* The size of a regular file or of a block device. */
/*
 * What a punched hole frees at a time, as Linux's loop driver reports for
 * a file: the block size of the file system holding it (a host block
 * device as the image: not punched, 0).
 */
static uint32_t discard_granularity(int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_blksize <= 0)
		return 0;
	return (uint32_t)st.st_blksize;
}

static int file_size(int fd, uint64_t *size)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return -errno;
	if (S_ISBLK(st.st_mode)) {
		off_t end = lseek(fd, 0, SEEK_END);

		if (end < 0)
			return -errno;
		*size = (uint64_t)end;
		return 0;
	}
	*size = (uint64_t)st.st_size;
	return 0;
}

/* Writes a fresh version 3 header over BACKING (whose stat is st) to fd. */
static int cow_create(struct ubd_disk *d, const char *backing, const struct stat *st)
{
	uint8_t hdr[COW_HDR_LEN];
	char abs[PATH_MAX];
	int64_t n;

	if (!realpath(backing, abs))
		return -errno;
	if (strlen(abs) >= COW_PATH_LEN)
		return -ENAMETOOLONG;
	memset(hdr, 0, sizeof(hdr));
	put_be32(hdr, COW_MAGIC);
	put_be32(hdr + 4, COW_VERSION);
	put_be32(hdr + 8, (uint32_t)st->st_mtime);
	put_be64(hdr + 12, (uint64_t)st->st_size);
	put_be32(hdr + 20, COW_SECTOR);
	put_be32(hdr + 24, COW_ALIGN);
	memcpy(hdr + 32, abs, strlen(abs));
	d->size = (uint64_t)st->st_size;
	d->sectorsize = COW_SECTOR;
	cow_layout(d, COW_ALIGN);
	n = full_rw(d->fd, 1, hdr, sizeof(hdr), 0);
	if (n >= 0 && (uint64_t)n != sizeof(hdr))
		n = -EIO;
	if (n < 0)
		return (int)n;
	/* The bitmap (all clear) and the data area are a hole, as UML's. */
	if (ftruncate(d->fd, (off_t)(d->data_offset + d->size)) < 0)
		return -errno;
	return 0;
}

/*
 * Reads the COW header at the start of d->fd: 1 when it is a COW file
 * (d's layout filled in, its backing path copied to path), 0 when it is
 * not one, -EINVAL with a reason for a COW file we cannot use.
 */
static int cow_read_header(struct ubd_disk *d, const char *file, char *path,
			   uint32_t *mtime, struct ubd_open_info *info)
{
	uint8_t hdr[COW_HDR_LEN];
	int64_t n = full_rw(d->fd, 0, hdr, sizeof(hdr), 0);
	uint32_t version, align, format;

	if (n < 0) {
		set_why(info, "cannot read '%s': %s", file, strerror((int)-n));
		return (int)n;
	}
	if (n < 8 || get_be32(hdr) != COW_MAGIC)
		return 0;
	version = get_be32(hdr + 4);
	if (version == COW_VERSION && (uint64_t)n < sizeof(hdr)) {
		set_why(info, "'%s': the COW header is cut short (%lld bytes)", file, (long long)n);
		return -EINVAL;
	}
	if (version != COW_VERSION || !get_be32(hdr + 32)) {
		set_why(info, "'%s': COW file version %u%s is not supported (only 3)",
			 file, version, version == COW_VERSION ? " with the 64-bit layout" : "");
		return -EINVAL;
	}
	*mtime = get_be32(hdr + 8);
	d->size = get_be64(hdr + 12);
	d->sectorsize = get_be32(hdr + 20);
	align = get_be32(hdr + 24);
	format = get_be32(hdr + 28);
	if (d->sectorsize < 512 || d->sectorsize > 65536 || (d->sectorsize & (d->sectorsize - 1)) ||
	    align == 0 || align > (1U << 20) || format != 0 || d->size > (1ULL << 50) ||
	    !memchr(hdr + 32, 0, COW_PATH_LEN)) {
		set_why(info, "'%s': bad COW header (sector size %u, "
			 "alignment %u, format %u, size %llu)", file, d->sectorsize, align, format,
			 (unsigned long long)d->size);
		return -EINVAL;
	}
	memcpy(path, hdr + 32, COW_PATH_LEN);
	cow_layout(d, align);
	return 1;
}

/* The backing file must be the one the COW file was made over, as UML checks. */
static int cow_check_backing(struct ubd_disk *d, const char *file, const char *backing,
			     uint32_t mtime, const struct stat *st, struct ubd_open_info *info)
{
	if ((uint64_t)st->st_size != d->size) {
		set_why(info, "'%s': the size of the backing file '%s' "
			 "changed since the COW file was made (%llu in the COW header, %llu now)",
			 file, backing, (unsigned long long)d->size, (unsigned long long)st->st_size);
		return -EINVAL;
	}
	if ((uint32_t)st->st_mtime != mtime) {
		set_why(info, "'%s': the backing file '%s' was modified "
			 "since the COW file was made (mtime %u in the COW header, %u now)",
			 file, backing, mtime, (uint32_t)st->st_mtime);
		return -EINVAL;
	}
	return 0;
}

static int open_backing(struct ubd_disk *d, const char *backing, int flags, struct stat *st,
			struct ubd_open_info *info)
{
	int fd = open_retry(backing, open_flags(0, 0), 0);
	int err;

	if (fd < 0) {
		set_why(info, "cannot open the backing file '%s': %s",
			 backing, strerror(-fd));
		return fd;
	}
	d->backing_fd = fd;
	if (fstat(fd, st) < 0) {
		err = -errno;
		set_why(info, "cannot stat '%s': %s", backing, strerror(errno));
		return err;
	}
	if (!S_ISREG(st->st_mode)) {
		set_why(info, "the backing file '%s' is not a regular file", backing);
		return -EINVAL;
	}
	return flags & UBD_F_SHARED ? 0 : lock_file(fd, 0, backing, info);
}

/*
 * Opens the image (or COW file) itself.  A file that may not be written
 * is used read-only, as UML does; a missing COW file is created over
 * BACKING (opened first, so a bad backing file leaves nothing behind).
 */
static int open_image(struct ubd_disk *d, const char *file, const char *backing, int *flags,
		      struct ubd_open_info *info, struct stat *bst)
{
	int fd = open_retry(file, open_flags(*flags, !(*flags & UBD_F_RO)), 0);
	int err;

	if ((fd == -EACCES || fd == -EROFS || fd == -EPERM) && !(*flags & UBD_F_RO)) {
		int rfd = open_retry(file, open_flags(*flags, 0), 0);

		if (rfd >= 0) {
			info->fell_back_ro = fd;
			*flags |= UBD_F_RO;
			fd = rfd;
		}
	}
	if (fd == -ENOENT && backing && !(*flags & UBD_F_RO)) {
		err = open_backing(d, backing, *flags, bst, info);
		if (err)
			return err;
		fd = open_retry(file, open_flags(*flags, 1) | O_CREAT | O_EXCL, 0644);
		if (fd >= 0) {
			d->fd = fd;
			err = cow_create(d, backing, bst);
			if (err) {
				set_why(info, "cannot create the COW file '%s': %s",
					 file, strerror(-err));
				unlink(file);
				return err;
			}
			info->created = 1;
		}
	}
	if (fd < 0) {
		set_why(info, "cannot open '%s': %s", file, strerror(-fd));
		return fd;
	}
	d->fd = fd;
	return 0;
}

/*
 * Opens the plain, writable image d a second time with O_DIRECT, for
 * writes, when its file system says how to align them (statx
 * STATX_DIOALIGN; tmpfs and others that do not: buffered writes only).
 * Reopened through /proc/self/fd, so it is the same file.  Best effort.
 */
static void open_direct(struct ubd_disk *d, int flags)
{
	struct statx stx;
	char path[64];
	uint32_t align;
	int fd;

	if (d->bitmap || (flags & UBD_F_RO) ||
	    statx(d->fd, "", AT_EMPTY_PATH, STATX_DIOALIGN, &stx) < 0 ||
	    !(stx.stx_mask & STATX_DIOALIGN) || !stx.stx_dio_mem_align ||
	    !stx.stx_dio_offset_align)
		return;
	align = stx.stx_dio_mem_align > stx.stx_dio_offset_align ? stx.stx_dio_mem_align :
		stx.stx_dio_offset_align;
	if (align > 4096 || (align & (align - 1)))
		return;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", d->fd);
	fd = open_retry(path, open_flags(flags, 1) | O_DIRECT, 0);
	if (fd < 0)
		return;
	d->dio_fd = fd;
	d->dio_align = align;
}

static void disk_free(struct ubd_disk *d)
{
	if (d->dio_fd >= 0)
		close(d->dio_fd);
	if (d->fd >= 0)
		close(d->fd);
	if (d->backing_fd >= 0)
		close(d->backing_fd);
	free(d->bitmap);
	free(d->backing);
	free(d);
}

/* Whether PATH names the file whose stat is st. */
static int same_file(const char *path, const struct stat *st)
{
	struct stat o;

	return stat(path, &o) == 0 && o.st_dev == st->st_dev && o.st_ino == st->st_ino;
}

/*
 * A backing file named on the command line that is not the header's (a
 * moved or copied image with the same size and mtime): the header is
 * made to name it, as UML does ("switching backing file").
 */
static int cow_switch_backing(struct ubd_disk *d, const char *backing)
{
	uint8_t path[COW_PATH_LEN];
	char abs[PATH_MAX];
	int64_t n;

	if (!realpath(backing, abs))
		return -errno;
	if (strlen(abs) >= COW_PATH_LEN)
		return -ENAMETOOLONG;
	memset(path, 0, sizeof(path));
	memcpy(path, abs, strlen(abs));
	n = full_rw(d->fd, 1, path, sizeof(path), 32);
	if (n >= 0 && (uint64_t)n != sizeof(path))
		n = -EIO;
	return n < 0 ? (int)n : 0;
}

/* Makes an opened COW disk usable: its backing file checked, its bitmap read. */
static int cow_attach(struct ubd_disk *d, const char *file, const char *backing, int flags,
		      struct ubd_open_info *info, char *hdr_path, uint32_t mtime, struct stat *bst)
{
	int64_t n;
	int err;

	if (!backing)
		backing = hdr_path;
	if (d->backing_fd < 0) {
		err = open_backing(d, backing, flags, bst, info);
		if (err)
			return err;
		err = cow_check_backing(d, file, backing, mtime, bst, info);
		if (err)
			return err;
		if (backing != hdr_path && !(flags & UBD_F_RO) && !same_file(hdr_path, bst)) {
			err = cow_switch_backing(d, backing);
			if (err) {
				set_why(info, "'%s': cannot record the new backing file '%s': %s",
					file, backing, strerror(-err));
				return err;
			}
			info->switched = 1;
		}
	}
	d->bitmap = calloc(1, d->bitmap_len ? d->bitmap_len : 1);
	if (!d->bitmap) {
		set_why(info, "'%s': no memory for the COW bitmap", file);
		return -ENOMEM;
	}
	n = full_rw(d->fd, 0, d->bitmap, d->bitmap_len, d->bitmap_offset);
	if (n < 0) {
		set_why(info, "cannot read the COW bitmap of '%s': %s",
			 file, strerror((int)-n));
		return (int)n;
	}
	d->backing = strdup(backing);
	if (!d->backing)
		return -ENOMEM;
	info->backing = d->backing;
	return 0;
}

int os_ubd_open(const char *file, const char *backing, int flags,
		struct ubd_disk **disk, struct ubd_open_info *info)
{
	static char path[COW_PATH_LEN];	/* the header's backing file (one caller: the kernel thread) */
	struct ubd_disk *d = calloc(1, sizeof(*d));
	struct stat bst;
	uint32_t mtime = 0;
	int err, cow = 0;

	memset(info, 0, sizeof(*info));
	if (!d)
		return -ENOMEM;
	d->fd = d->backing_fd = d->dio_fd = -1;
	err = open_image(d, file, backing, &flags, info, &bst);
	if (err)
		goto out_free;
	err = flags & UBD_F_SHARED ? 0 : lock_file(d->fd, !(flags & UBD_F_RO), file, info);
	if (err)
		goto out_free;
	if (info->created)
		cow = 1;
	else if (!(flags & UBD_F_NOCOW))
		cow = cow_read_header(d, file, path, &mtime, info);
	err = cow < 0 ? cow : 0;
	if (!err && backing && !cow) {
		set_why(info, "'%s' exists and is not a COW file", file);
		err = -EINVAL;
	}
	if (!err && cow) {
		err = cow_attach(d, file, backing, flags, info, path, mtime, &bst);
	} else if (!err) {
		err = file_size(d->fd, &d->size);
		if (err)
			set_why(info, "cannot get the size of '%s': %s",
				 file, strerror(-err));
	}
	if (err)
		goto out_free;
	open_direct(d, flags);
	info->size = d->size;
	info->flags = flags;
	info->discard_granularity = d->bitmap ? 0 : discard_granularity(d->fd);
	*disk = d;
	return 0;
out_free:
	disk_free(d);
	return err;
}

/* Makes what was written to d durable (the crash path): 0 or -errno. */
int os_ubd_sync(struct ubd_disk *d)
{
	return fsync(d->fd) < 0 ? -errno : 0;
}

/* Closes d (a hot-unplugged disk, nothing in flight): its host locks go with it. */
void os_ubd_close(struct ubd_disk *d)
{
	disk_free(d);
}
