/*
 * falloc.c - fallocate(2).
 *
 * The VFS checks the mode and the range as Linux's vfs_fallocate does,
 * then calls f_op->fallocate; a filesystem says which modes it has and
 * hands the work to generic_fallocate, which does it through the
 * filesystem's own read, write and setattr:
 *   - 0 / KEEP_SIZE: the bytes of the range inside the file are
 *     rewritten as they are (holes read as zeros, so their blocks get
 *     allocated), the rest written as zeros unless KEEP_SIZE;
 *   - PUNCH_HOLE, ZERO_RANGE: zeros written over the range (the blocks
 *     stay allocated: what reads back is what Linux gives);
 *   - COLLAPSE_RANGE, INSERT_RANGE: block-aligned, the tail moved down
 *     or up by copying, the size changed by len.
 * Writing through the filesystem keeps the page cache and the journal
 * right for free; it is slower than moving extents, which only COLLAPSE
 * and INSERT of large files would notice.
 */
#include "kernel/kernel.h"
#include "kernel/fs.h"
#include "kernel/mm.h"
#include "kernel/sched.h"
#include "kernel/syscalls.h"
#include "internal.h"

/* The modes proper; FALLOC_FL_WRITE_ZEROES (0x80, Linux 6.17) is not one here. */
#define FALLOC_FL_MODE_MASK	(FALLOC_FL_PUNCH_HOLE | FALLOC_FL_COLLAPSE_RANGE | \
				 FALLOC_FL_ZERO_RANGE | FALLOC_FL_INSERT_RANGE | \
				 FALLOC_FL_UNSHARE_RANGE)
#define FALLOC_CHUNK		65536
#define MAX_LFS_FILESIZE	0x7fffffffffffffffLL

/* Reads or writes n bytes at pos through f_op, whatever f's open mode. */
static long falloc_io(struct file *f, void *buf, size_t n, loff_t pos, bool write)
{
	struct uio u = { .kernel = true, .kbuf = buf, .len = n };
	ssize_t r;

	r = write ? f->f_op->write(f, &u, &pos) : f->f_op->read(f, &u, &pos);
	if (r >= 0 && write)
		filemap_update(f->f_inode, (u64)pos - (u64)r, (u64)r);
	if (r < 0)
		return r;
	return (size_t)r == n ? 0 : (write ? -ENOSPC : -EIO);
}

/* Rewrites [off, end) of the file as it reads (zeros past EOF). */
static long rewrite_range(struct file *f, u8 *buf, loff_t off, loff_t end, bool zero)
{
	while (off < end) {
		size_t n = (size_t)min((u64)(end - off), (u64)FALLOC_CHUNK);
		loff_t size = (loff_t)f->f_inode->i_size;
		long err = 0;

		memset(buf, 0, n);
		if (!zero && off < size)
			err = falloc_io(f, buf, (size_t)min((u64)n, (u64)(size - off)), off, false);
		if (err == 0)
			err = falloc_io(f, buf, n, off, true);
		if (err < 0)
			return err;
		off += (loff_t)n;
	}
	return 0;
}

/* Copies n bytes from from to to (the ranges may overlap), in the right order. */
static long move_bytes(struct file *f, u8 *buf, loff_t from, loff_t to, loff_t n)
{
	while (n > 0) {
		size_t c = (size_t)min((u64)n, (u64)FALLOC_CHUNK);
		loff_t src = to > from ? from + n - (loff_t)c : from;
		loff_t dst = to > from ? to + n - (loff_t)c : to;
		long err = falloc_io(f, buf, c, src, false);

		if (err == 0)
			err = falloc_io(f, buf, c, dst, true);
		if (err < 0)
			return err;
		n -= (loff_t)c;
		if (to < from) {
			from += (loff_t)c;
			to += (loff_t)c;
		}
	}
	return 0;
}

static int set_size(struct file *f, u64 size)
{
	return do_truncate(f->f_path.dentry, size);
}

/*
 * Does mode on [off, off + len) of f if supported (a mask of FALLOC_FL_*
 * bits the filesystem accepts) has it: 0 or -errno.  May sleep.
 */
long generic_fallocate(struct file *f, int mode, loff_t off, loff_t len, unsigned supported)
{
	struct inode *inode = f->f_inode;
	loff_t size = (loff_t)inode->i_size, end = off + len;
	unsigned bs = inode->i_sb->s_blocksize ? inode->i_sb->s_blocksize : PAGE_SIZE;
	u8 *buf;
	long err;

	if ((unsigned)mode & ~(supported | FALLOC_FL_KEEP_SIZE))
		return -EOPNOTSUPP;
	if (mode & (FALLOC_FL_COLLAPSE_RANGE | FALLOC_FL_INSERT_RANGE)) {
		if ((off | len) & (bs - 1))
			return -EINVAL;
		if ((mode & FALLOC_FL_COLLAPSE_RANGE) && end >= size)
			return -EINVAL;
		if ((mode & FALLOC_FL_INSERT_RANGE) &&
		    (off >= size || len > MAX_LFS_FILESIZE - size))
			return -EINVAL;
	}
	buf = kmalloc(FALLOC_CHUNK);
	if (buf == NULL)
		return -ENOMEM;
	if (!list_empty(&inode->i_pages))
		filemap_writeback(inode);	/* reads see shared mappings' bytes */
	if (mode & FALLOC_FL_PUNCH_HOLE) {
		err = off < size ? rewrite_range(f, buf, off, min(end, size), true) : 0;
	} else if (mode & FALLOC_FL_COLLAPSE_RANGE) {
		err = move_bytes(f, buf, end, off, size - end);
		if (err == 0)
			err = set_size(f, (u64)(size - len));
	} else if (mode & FALLOC_FL_INSERT_RANGE) {
		err = set_size(f, (u64)(size + len));
		if (err == 0)
			err = move_bytes(f, buf, off, end, size - off);
		if (err == 0)
			err = rewrite_range(f, buf, off, end, true);
	} else {
		bool zero = mode & FALLOC_FL_ZERO_RANGE;
		loff_t stop = (mode & FALLOC_FL_KEEP_SIZE) ? min(end, size) : end;

		err = off < stop ? rewrite_range(f, buf, off, stop, zero) : 0;
	}
	kfree(buf);
	return err;
}

/* Linux's vfs_fallocate checks, then the filesystem.  May sleep. */
static long vfs_fallocate(struct file *f, int mode, loff_t off, loff_t len)
{
	struct inode *inode = f->f_inode;
	int excl = FALLOC_FL_COLLAPSE_RANGE | FALLOC_FL_INSERT_RANGE | FALLOC_FL_UNSHARE_RANGE;

	if (off < 0 || len <= 0)
		return -EINVAL;
	/* One mode at most, KEEP_SIZE only where it means something (Linux 6.11+). */
	switch (mode & FALLOC_FL_MODE_MASK) {
	case 0:
	case FALLOC_FL_UNSHARE_RANGE:
	case FALLOC_FL_ZERO_RANGE:
		break;
	case FALLOC_FL_PUNCH_HOLE:
		if (!(mode & FALLOC_FL_KEEP_SIZE))
			return -EOPNOTSUPP;
		break;
	case FALLOC_FL_COLLAPSE_RANGE:
	case FALLOC_FL_INSERT_RANGE:
		if (mode & FALLOC_FL_KEEP_SIZE)
			return -EOPNOTSUPP;
		break;
	default:
		return -EOPNOTSUPP;
	}
	if ((unsigned)mode & ~(unsigned)(FALLOC_FL_MODE_MASK | FALLOC_FL_KEEP_SIZE))
		return -EOPNOTSUPP;
	if (!(f->f_mode & FMODE_WRITE))
		return -EBADF;
	if ((f->f_flags & O_APPEND) && (mode & (FALLOC_FL_MODE_MASK & ~FALLOC_FL_UNSHARE_RANGE)))
		return -EPERM;
	if (inode == NULL)
		return -ENODEV;
	if (S_ISFIFO(inode->i_mode))
		return -ESPIPE;
	if (S_ISDIR(inode->i_mode))
		return -EISDIR;
	if (!S_ISREG(inode->i_mode))
		return -ENODEV;
	if (off > MAX_LFS_FILESIZE - len)
		return -EFBIG;
	if (inode->i_sb->s_maxbytes && (u64)(off + len) > inode->i_sb->s_maxbytes)
		return -EFBIG;
	if ((inode->i_seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)) &&
	    (mode & (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_ZERO_RANGE | excl)))
		return -EPERM;
	if ((inode->i_seals & F_SEAL_GROW) && !(mode & FALLOC_FL_KEEP_SIZE) &&
	    (u64)(off + len) > inode->i_size)
		return -EPERM;
	if (f->f_op == NULL || f->f_op->fallocate == NULL)
		return -EOPNOTSUPP;
	return f->f_op->fallocate(f, mode, off, len);
}

/* fallocate(fd, mode, offset, len) */
SYSCALL(fallocate)
{
	struct file *f = fd_get_file((int)a[0]);
	long ret;

	if (f == NULL)
		return -EBADF;
	ret = (f->f_flags & O_PATH) ? -EBADF : vfs_fallocate(f, (int)a[1], a[2], a[3]);
	fput(f);
	return ret;
}
