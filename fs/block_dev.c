/*
 * block_dev.c - block device special files (/dev/ubda, or any S_IFBLK
 * node made with mknod), with Linux's semantics (block/fops.c,
 * block/ioctl.c as facts).
 *
 * A node's open finds the disk by i_rdev (ENXIO if none).  Its I/O goes
 * to the disk directly in whole 512-byte sectors through a bounce buffer
 * (a partial sector is read, changed and written back), and stays one
 * picture with the buffer cache that a filesystem mounted on the same
 * disk uses: a read lays the cache's newer bytes over what it read, a
 * write gives its bytes to the cached buffers first (bdev_cache_*, in
 * fs/buffer.c).  fsync writes back every dirty buffer of the disk and
 * flushes it, as Linux's blkdev_fsync.
 */
#include "kernel/kernel.h"
#include "kernel/blkdev.h"
#include "kernel/fs.h"
#include "kernel/mm.h"
#include "kernel/sched.h"
#include "uapi/linux/capability.h"
#include "uapi/linux/fs.h"
#include "uapi/linux/hdreg.h"

#define SECTOR		512u
#define BDEV_CHUNK	(128u << 10)	/* bytes a request, at most */

/* The disk's size as its device file sees it: whole sectors, as Linux. */
static u64 bdev_bytes(const struct block_device *bdev)
{
	return bdev->size & ~(u64)(SECTOR - 1);
}

static bool bdev_read_only(const struct block_device *bdev)
{
	return bdev->read_only || bdev->ro_set;
}

static bool bdev_capable(void)
{
	return current == NULL || (current->cap_effective & (1ULL << CAP_SYS_ADMIN));
}

/* Linux's set_init_blocksize: the largest power of two up to a page
 * that divides the size. */
static unsigned bdev_default_bsize(const struct block_device *bdev)
{
	unsigned b = SECTOR;

	while (b < PAGE_SIZE && !(bdev_bytes(bdev) & b))
		b <<= 1;
	return b;
}

static int blkdev_open(struct inode *inode, struct file *f)
{
	struct block_device *bdev = blkdev_lookup(inode->i_rdev);

	if (bdev == NULL)
		return -ENXIO;
	/* O_EXCL without O_CREAT claims the disk: not while mounted or claimed. */
	if (f->f_flags & O_EXCL) {
		if (bdev->mounts > 0 || bdev->holder != NULL)
			return -EBUSY;
		bdev->holder = f;
	}
	/* The first opener (no mount, no open file) finds the default
	 * again, as Linux's blkdev_get_whole; a mount sets its own. */
	if (bdev->openers == 0 || bdev->block_size == 0)
		bdev->block_size = bdev_default_bsize(bdev);
	bdev->openers++;
	f->private_data = bdev;
	return 0;
}

static void blkdev_release(struct inode *inode, struct file *f)
{
	struct block_device *bdev = f->private_data;

	if (bdev->holder == f)
		bdev->holder = NULL;
	bdev->openers--;
}

/* Reads the sectors [off, off + len) as the cache sees them. May sleep. */
static int bdev_read_sectors(struct block_device *bdev, u64 off, u8 *buf, u64 len)
{
	int err = blk_rw(bdev, BIO_READ, off, buf, len);

	if (err == 0)
		bdev_cache_overlay(bdev, off, buf, len);
	return err;
}

/* Writes the sectors [off, off + len) (buf NULL: zeros) to the cache's
 * buffers and the disk. May sleep. */
static int bdev_write_sectors(struct block_device *bdev, u64 off, const u8 *buf, u64 len)
{
	bdev_cache_wait_reads(bdev, off, len);
	bdev_cache_update(bdev, off, buf, len);	/* nothing sleeps in between */
	return blk_rw(bdev, BIO_WRITE, off, (void *)buf, len);
}

/* O_DIRECT: offset, length and buffer aligned to the sector, or EINVAL
 * (Linux's blkdev_dio_invalid with a 512-byte logical block and DMA
 * alignment). */
static bool dio_invalid(const struct uio *u, u64 pos)
{
	u64 addr = u->kernel ? (u64)(uintptr_t)u->kbuf : uaddr_val(u->ubuf);

	return ((pos | u->len | addr) & (SECTOR - 1)) != 0;
}

static ssize_t blkdev_read(struct file *f, struct uio *u, loff_t *pos)
{
	struct block_device *bdev = f->private_data;
	u64 size = bdev_bytes(bdev), p = (u64)*pos, want, done = 0;
	u8 *buf;
	long err = 0;

	if (p >= size || u->len == 0)
		return 0;
	if ((f->f_flags & O_DIRECT) && dio_invalid(u, p))
		return -EINVAL;
	want = min((u64)u->len, size - p);
	buf = kmalloc(BDEV_CHUNK);
	if (buf == NULL)
		return -ENOMEM;
	while (done < want) {
		u64 at = p + done, start = at & ~(u64)(SECTOR - 1), skip = at - start;
		u64 n = min(want - done, BDEV_CHUNK - skip);
		u64 span = (skip + n + SECTOR - 1) & ~(u64)(SECTOR - 1);

		err = bdev_read_sectors(bdev, start, buf, span);
		if (err == 0)
			err = uio_copy_out(u, buf + skip, n);
		if (err)
			break;
		done += n;
	}
	kfree(buf);
	*pos = (loff_t)(p + done);
	return done ? (ssize_t)done : err;
}

/*
 * Writes n bytes of u at `at` (within the disk): the partial sectors at
 * either end are read first.  0 or -errno.  May sleep.
 */
static int bdev_write_piece(struct block_device *bdev, struct uio *u, u8 *buf, u64 at, u64 n)
{
	u64 start = at & ~(u64)(SECTOR - 1), skip = at - start;
	u64 span = (skip + n + SECTOR - 1) & ~(u64)(SECTOR - 1);
	int err;

	if (skip && (err = bdev_read_sectors(bdev, start, buf, SECTOR)) != 0)
		return err;
	if ((skip + n) % SECTOR && (span > SECTOR || !skip) &&
	    (err = bdev_read_sectors(bdev, start + span - SECTOR, buf + span - SECTOR, SECTOR)) != 0)
		return err;
	err = (int)uio_copy_in(u, buf + skip, n);
	if (err)
		return err;
	return bdev_write_sectors(bdev, start, buf, span);
}

static ssize_t blkdev_write(struct file *f, struct uio *u, loff_t *pos)
{
	struct block_device *bdev = f->private_data;
	u64 size = bdev_bytes(bdev), p = (u64)*pos, want, done = 0;
	u8 *buf;
	int err = 0;

	if (bdev_read_only(bdev))
		return -EPERM;
	if (u->len == 0)
		return 0;
	if (p >= size)
		return -ENOSPC;
	if ((f->f_flags & O_DIRECT) && dio_invalid(u, p))
		return -EINVAL;
	want = min((u64)u->len, size - p);	/* straddling the end: short */
	buf = kmalloc(BDEV_CHUNK);
	if (buf == NULL)
		return -ENOMEM;
	while (done < want) {
		u64 at = p + done, n = min(want - done, BDEV_CHUNK - (at % SECTOR));

		err = bdev_write_piece(bdev, u, buf, at, n);
		if (err)
			break;
		done += n;
	}
	kfree(buf);
	*pos = (loff_t)(p + done);
	if (done == 0)
		return err;
	if ((f->f_flags & (O_SYNC | O_DSYNC)) && (err = sync_blockdev(bdev)) != 0)
		return err;
	return (ssize_t)done;	/* a failure after some bytes: the bytes written */
}

/* Linux's fixed_size_llseek: positions within [0, size]; SEEK_DATA and
 * SEEK_HOLE see no holes. */
static loff_t blkdev_llseek(struct file *f, loff_t off, int whence)
{
	loff_t size = (loff_t)bdev_bytes((struct block_device *)f->private_data);

	return generic_file_llseek_size(f, off, whence, size, size);
}

static int blkdev_fsync(struct file *f)
{
	return sync_blockdev(f->private_data);
}

/* BLKDISCARD's and BLKZEROOUT's [start, len) from the guest: 0 or -errno. */
static int get_range(u64 arg, u64 *start, u64 *len)
{
	u64 r[2];

	if (copy_from_user(r, UADDR(arg), sizeof(r)) < 0)
		return -EFAULT;
	*start = r[0];
	*len = r[1];
	return 0;
}

/* Linux's blk_ioctl_discard: the range's data goes (it reads back as zeros). */
static long blkdev_discard(struct file *f, struct block_device *bdev, u64 arg)
{
	u64 start, len, end, done;
	int err;

	if (!(f->f_mode & FMODE_WRITE))
		return -EBADF;
	if (bdev->discard_max == 0)
		return -EOPNOTSUPP;
	if (bdev_read_only(bdev))
		return -EPERM;
	if ((err = get_range(arg, &start, &len)) != 0)
		return err;
	if (len == 0 || ((start | len) & (SECTOR - 1)))
		return -EINVAL;
	if (__builtin_add_overflow(start, len, &end) || end > bdev_bytes(bdev))
		return -EINVAL;
	for (done = 0; done < len; done += min(len - done, bdev->discard_max)) {
		u64 n = min(len - done, bdev->discard_max);

		bdev_cache_wait_reads(bdev, start + done, n);
		bdev_cache_update(bdev, start + done, NULL, n);
		err = blk_rw(bdev, BIO_DISCARD, start + done, NULL, n);
		if (err)
			return err;
	}
	return 0;
}

/* Linux's blk_ioctl_zeroout: zeros written over the range. */
static long blkdev_zeroout(struct file *f, struct block_device *bdev, u64 arg)
{
	u64 start, len, end, done;
	u8 *zeros;
	int err;

	if (!(f->f_mode & FMODE_WRITE))
		return -EBADF;
	if ((err = get_range(arg, &start, &len)) != 0)
		return err;
	if ((start | len) & (SECTOR - 1))
		return -EINVAL;
	end = start + len - 1;
	if (end >= bdev_bytes(bdev) || end < start)
		return -EINVAL;
	if (bdev_read_only(bdev))
		return -EPERM;	/* Linux 6.18 checks it here (the host's loop -r says so) */
	zeros = kzalloc(BDEV_CHUNK);
	if (zeros == NULL)
		return -ENOMEM;
	for (done = 0; done < len && err == 0; done += BDEV_CHUNK) {
		u64 n = min(len - done, (u64)BDEV_CHUNK);

		err = bdev_write_sectors(bdev, start + done, zeros, n);
	}
	kfree(zeros);
	return err;
}

/* BLKBSZSET: CAP_SYS_ADMIN; not while another holds the disk (a
 * filesystem on it); a power of two from a sector to a page. */
static long blkdev_bszset(struct file *f, struct block_device *bdev, u64 arg)
{
	int n;

	if (!bdev_capable())
		return -EACCES;
	if (arg == 0)
		return -EINVAL;
	if (get_user(n, UADDR(arg)) < 0)
		return -EFAULT;
	if (bdev->holder != f && (bdev->mounts > 0 || bdev->holder != NULL))
		return -EBUSY;
	if (n < (int)SECTOR || n > (int)PAGE_SIZE || (n & (n - 1)))
		return -EINVAL;
	bdev->block_size = (unsigned)n;
	return 0;
}

/* HDIO_GETGEO: UML's ubd geometry, 128 heads of 32 sectors. */
static long blkdev_getgeo(struct block_device *bdev, u64 arg)
{
	struct hd_geometry g;

	if (arg == 0)
		return -EINVAL;
	memset(&g, 0, sizeof(g));
	g.heads = 128;
	g.sectors = 32;
	g.cylinders = (unsigned short)(bdev_bytes(bdev) / (128 * 32 * SECTOR));
	return copy_to_user(UADDR(arg), &g, sizeof(g)) < 0 ? -EFAULT : 0;
}

static long put_int(u64 arg, int v)
{
	return put_user(v, UADDR(arg)) < 0 ? -EFAULT : 0;
}

static long put_u64(u64 arg, u64 v)
{
	return put_user(v, UADDR(arg)) < 0 ? -EFAULT : 0;
}

static long blkdev_ioctl(struct file *f, unsigned cmd, u64 arg)
{
	struct block_device *bdev = f->private_data;
	int ro;

	switch (cmd) {
	case BLKGETSIZE64:
		return put_u64(arg, bdev_bytes(bdev));
	case BLKGETSIZE:	/* unsigned long sectors */
		return put_u64(arg, bdev_bytes(bdev) / SECTOR);
	case BLKSSZGET:		/* logical block size */
	case BLKPBSZGET:	/* physical: ubd's files are written in sectors */
	case BLKIOMIN:		/* io_min: the physical block */
		return put_int(arg, (int)SECTOR);
	case BLKIOOPT:		/* no optimal I/O size */
		return put_int(arg, 0);
	case BLKBSZGET:
		return put_int(arg, (int)bdev->block_size);
	case BLKBSZSET:
		return blkdev_bszset(f, bdev, arg);
	case BLKROGET:
		return put_int(arg, bdev_read_only(bdev));
	case BLKRAGET:		/* long sectors */
	case BLKFRAGET:
		return arg == 0 ? -EINVAL : put_u64(arg, (u64)bdev->ra_kb * 1024 / SECTOR);	/* read_ahead_kb */
	case BLKDISCARDZEROES:	/* always 0 since Linux 4.12 */
		return put_int(arg, 0);
	case BLKROSET:
		if (!bdev_capable())
			return -EACCES;
		if (get_user(ro, UADDR(arg)) < 0)
			return -EFAULT;
		bdev->ro_set = ro != 0;	/* a read-only disk stays read-only */
		return 0;
	case BLKFLSBUF:
		if (!bdev_capable())
			return -EACCES;
		sync_blockdev(bdev);
		invalidate_bdev(bdev);
		return 0;
	case BLKDISCARD:
		return blkdev_discard(f, bdev, arg);
	case BLKZEROOUT:
		return blkdev_zeroout(f, bdev, arg);
	case BLKRRPART:		/* ubd disks have no partitions (GENHD_FL_NO_PART) */
		return bdev_capable() ? -EINVAL : -EACCES;
	case HDIO_GETGEO:
		return blkdev_getgeo(bdev, arg);
	}
	return -EINVAL;		/* UML's ubd_ioctl, for what the block layer does not serve */
}

const struct file_operations def_blk_fops = {
	.open = blkdev_open,
	.release = blkdev_release,
	.read = blkdev_read,
	.write = blkdev_write,
	.llseek = blkdev_llseek,
	.ioctl = blkdev_ioctl,
	.fsync = blkdev_fsync,
};
