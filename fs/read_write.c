/*
 * read_write.c - moving bytes: the uio helpers filesystems use, read,
 * write and their positional and vectored forms, lseek and sendfile.
 *
 * Every transfer becomes a struct uio (a guest or a kernel buffer) that
 * vfs_read/vfs_write hand to f_op->read/write after the access checks.
 */
#include "kernel/kernel.h"
#include "kernel/fs.h"
#include "kernel/mm.h"
#include "kernel/page.h"
#include "kernel/sched.h"
#include "kernel/syscalls.h"
#include "kernel/overflow.h"
#include "uapi/linux/uio.h"
#include "uapi/linux/resource.h"
#include "internal.h"
#include "kernel/fsnotify.h"

/* The most one read or write moves, as Linux's MAX_RW_COUNT. */
#define MAX_RW_COUNT	(0x7fffffffL & (long)PAGE_MASK)
#define SENDFILE_CHUNK	(16 * 1024)
#define MAX_LFS_FILESIZE 0x7fffffffffffffffLL

/* The largest position a file of f's filesystem can have. */
static loff_t file_maxbytes(struct file *f)
{
	struct super_block *sb = f->f_inode ? f->f_inode->i_sb : NULL;

	return sb && sb->s_maxbytes ? (loff_t)sb->s_maxbytes : MAX_LFS_FILESIZE;
}

/* Copies n bytes from src into the next part of u: 0 or -EFAULT. May sleep. */
long uio_copy_out(struct uio *u, const void *src, size_t n)
{
	if (n > u->len - u->done)
		return -EFAULT;
	if (u->kernel)
		memcpy(u->kbuf + u->done, src, n);
	else if (mm_copy_to_tlb(current->mm, &u->tlb, uaddr_off(u->ubuf, u->done), src, n) < 0)
		return -EFAULT;
	u->done += n;
	return 0;
}

/* Copies the next n bytes of u into dst: 0 or -EFAULT. May sleep. */
long uio_copy_in(struct uio *u, void *dst, size_t n)
{
	if (n > u->len - u->done)
		return -EFAULT;
	if (u->kernel)
		memcpy(dst, u->kbuf + u->done, n);
	else if (copy_from_user(dst, uaddr_off(u->ubuf, u->done), n) < 0)
		return -EFAULT;
	u->done += n;
	return 0;
}

bool uio_in_present(struct uio *u, size_t n)
{
	if (u->kernel)
		return true;
	return user_range_present(current->mm, uaddr_val(u->ubuf) + u->done, n, false);
}

/* Fills the next n bytes of u with zeros: 0 or -EFAULT. May sleep. */
long uio_zero_out(struct uio *u, size_t n)
{
	if (n > u->len - u->done)
		return -EFAULT;
	if (u->kernel)
		memset(u->kbuf + u->done, 0, n);
	else if (mm_copy_to_tlb(current->mm, &u->tlb, uaddr_off(u->ubuf, u->done), NULL, n) < 0)
		return -EFAULT;
	u->done += n;
	return 0;
}

/*
 * Whether positions mean anything for f: files with their own llseek,
 * and regular files, directories, block devices and symlinks.  Pipes,
 * FIFOs, sockets and character devices without llseek are not
 * (lseek/pread/pwrite give -ESPIPE).
 */
static bool file_seekable(struct file *f)
{
	umode_t m = f->f_inode ? f->f_inode->i_mode : 0;

	/* Pipes, FIFOs and sockets are streams (Linux leaves FMODE_PREAD
	 * off): pread/pwrite give -ESPIPE whatever their llseek says. */
	if (S_ISFIFO(m) || S_ISSOCK(m))
		return false;
	if (f->f_op != NULL && f->f_op->llseek != NULL)
		return true;
	return S_ISREG(m) || S_ISDIR(m) || S_ISBLK(m) || S_ISLNK(m);
}

/* Reads into u from *pos through f_op->read: bytes or -errno.  May sleep. */
ssize_t vfs_read(struct file *f, struct uio *u, loff_t *pos)
{
	if (!(f->f_mode & FMODE_READ))
		return -EBADF;
	if (f->f_inode && S_ISDIR(f->f_inode->i_mode))
		return -EISDIR;
	if (f->f_op == NULL || f->f_op->read == NULL)
		return -EINVAL;
	if (u->len > (size_t)MAX_RW_COUNT)
		u->len = MAX_RW_COUNT;
	/* Shared writable mappings of the file: let the read see them. */
	if (f->f_inode && S_ISREG(f->f_inode->i_mode) && !list_empty(&f->f_inode->i_pages))
		filemap_writeback(f->f_inode);
	ssize_t r = f->f_op->read(f, u, pos);

	if (r > 0)
		fsnotify_file(f, IN_ACCESS);
	return r;
}

/*
 * Past RLIMIT_FSIZE: SIGXFSZ to the process, as Linux's send_sig(SIGXFSZ,
 * current, 0) (SI_USER from itself), and -EFBIG.
 */
int fsize_exceeded(void)
{
	siginfo_t info;

	memset(&info, 0, sizeof(info));
	info.si_signo = SIGXFSZ;
	info.si_code = SI_USER;
	info.si_pid = current->tgid;
	info.si_uid = current->uid;
	send_signal(current, SIGXFSZ, &info);
	return -EFBIG;
}

/* Writes u at *pos (the end for O_APPEND): bytes or -errno.  May sleep. */
ssize_t vfs_write(struct file *f, struct uio *u, loff_t *pos)
{
	if (!(f->f_mode & FMODE_WRITE))
		return -EBADF;
	if (f->f_op == NULL || f->f_op->write == NULL)
		return -EINVAL;
	if (u->len > (size_t)MAX_RW_COUNT)
		u->len = MAX_RW_COUNT;
	ssize_t r;
	loff_t start;

	if ((f->f_flags & O_APPEND) && f->f_inode && S_ISREG(f->f_inode->i_mode))
		*pos = (loff_t)f->f_inode->i_size;
	/* Linux's generic_write_checks: nothing at or past RLIMIT_FSIZE or the largest file. */
	if (f->f_inode && S_ISREG(f->f_inode->i_mode) && u->len > 0) {
		loff_t max = file_maxbytes(f);
		u64 lim = current ? task_rlimit(current, RLIMIT_FSIZE) : RLIM_INFINITY;

		if (lim != RLIM_INFINITY) {
			if ((u64)*pos >= lim)
				return fsize_exceeded();
			if (u->len > lim - (u64)*pos)
				u->len = (size_t)(lim - (u64)*pos);
		}

		if (*pos >= max)
			return -EFBIG;
		if (u->len > (u64)(max - *pos))
			u->len = (size_t)(max - *pos);
	}
	if (f->f_inode && S_ISREG(f->f_inode->i_mode) && u->len > 0) {
		int err = file_remove_privs(f);

		if (err)
			return err;
	}
	start = *pos;
	r = f->f_op->write(f, u, pos);
	/* Mapped pages of the file show what was written. */
	if (r > 0 && f->f_inode && S_ISREG(f->f_inode->i_mode))
		filemap_update(f->f_inode, (u64)start, (u64)r);
	if (r > 0)
		fsnotify_file(f, IN_MODIFY);
	return r;
}

/* Reads n bytes at pos into a kernel buffer: bytes or -errno.  May sleep. */
ssize_t kernel_read(struct file *f, void *buf, size_t n, loff_t pos)
{
	struct uio u = { .kernel = true, .kbuf = buf, .len = n };

	return vfs_read(f, &u, &pos);
}

/* Writes n bytes at pos from a kernel buffer: bytes or -errno.  May sleep. */
ssize_t kernel_write(struct file *f, const void *buf, size_t n, loff_t pos)
{
	struct uio u = { .kernel = true, .kbuf = (u8 *)buf, .len = n };

	return vfs_write(f, &u, &pos);
}

/*
 * Linux's rw_verify_area: a position that is negative or whose end
 * wraps past the largest loff_t is -EINVAL.
 */
static int rw_verify_area(loff_t pos, size_t count)
{
	loff_t end;

	if ((ssize_t)count < 0 || pos < 0 || check_add_overflow(pos, (loff_t)count, &end))
		return -EINVAL;
	return 0;
}

/*
 * A guest transfer of n bytes at buf, checked in Linux's order: the file
 * mode (-EBADF), the whole range inside the guest's address space before
 * any byte moves (access_ok: -EFAULT, so a length of -1 or 2^62 writes
 * nothing), the position (-EINVAL).  A range that starts mapped and runs
 * into a hole below TASK_SIZE moves the mapped prefix, as Linux's copy
 * stops at the first fault and returns a short count.  May sleep.
 */
/* Counts one read (or write) call that moved ret bytes, or failed, in
 * the caller's /proc/PID/io (Linux's add_rchar and inc_syscr). */
void io_account_rw(long ret, bool write)
{
	struct task_io_accounting *io;

	if (current == NULL)
		return;
	io = &current->ioac;
	if (write) {
		io->syscw++;
		io->wchar += ret > 0 ? (u64)ret : 0;
	} else {
		io->syscr++;
		io->rchar += ret > 0 ? (u64)ret : 0;
	}
}

/* rw_user without the accounting (readv's segments). */
static ssize_t rw_user_seg(struct file *f, uaddr_t buf, size_t n, loff_t *pos, bool write)
{
	struct uio u = { .kernel = false, .ubuf = buf, .len = n };
	u64 ok;
	int err;

	if (!(f->f_mode & (write ? FMODE_WRITE : FMODE_READ)))
		return -EBADF;
	if (!guest_range_ok(uaddr_val(buf), n))
		return -EFAULT;
	err = rw_verify_area(*pos, n);
	if (err)
		return err;
	/* O_DIRECT on a disk: positions and lengths in 512-byte sectors (the
	 * logical block size), a write's buffer 4-byte aligned (the DMA
	 * alignment; ext4 serves a misaligned read buffered); tmpfs takes
	 * anything, as Linux's. */
	if ((f->f_flags & O_DIRECT) && S_ISREG(f->f_inode->i_mode) && f->f_inode->i_sb->s_bdev != NULL &&
	    ((((u64)*pos | n) & 511) || (write && (uaddr_val(buf) & 3))))
		return -EINVAL;
	ok = user_access_prefix(current->mm, uaddr_val(buf), n, !write);
	if (ok > 0 && ok < n)
		u.len = (size_t)ok;
	return write ? vfs_write(f, &u, pos) : vfs_read(f, &u, pos);
}

/* One read/write/pread/pwrite: counted as Linux's vfs_read counts, once
 * the mode and range checks passed. */
static ssize_t rw_user(struct file *f, uaddr_t buf, size_t n, loff_t *pos, bool write)
{
	ssize_t ret = rw_user_seg(f, buf, n, pos, write);

	if (ret != -EBADF && ret != -EFAULT && ret != -EINVAL)
		io_account_rw(ret, write);
	return ret;
}

static long do_rw(int fd, uaddr_t buf, size_t n, bool write)
{
	struct file *f;
	long ret;

	f = fd_get_file(fd);
	if (f == NULL)
		return -EBADF;
	ret = rw_user(f, buf, n, &f->f_pos, write);
	fput(f);
	return ret;
}

SYSCALL(read)
{
	return do_rw((int)a[0], UADDR(a[1]), (size_t)a[2], false);
}

SYSCALL(write)
{
	return do_rw((int)a[0], UADDR(a[1]), (size_t)a[2], true);
}

/* pread64/pwrite64: a negative position is -EINVAL before the fd is looked at. */
static long do_prw(int fd, uaddr_t buf, size_t n, loff_t pos, bool write)
{
	struct file *f;
	long ret;

	if (pos < 0)
		return -EINVAL;
	f = fd_get_file(fd);
	if (f == NULL)
		return -EBADF;
	ret = -ESPIPE;
	if (file_seekable(f))
		ret = rw_user(f, buf, n, &pos, write);
	fput(f);
	return ret;
}

SYSCALL(pread64)
{
	return do_prw((int)a[0], UADDR(a[1]), (size_t)a[2], (loff_t)a[3], false);
}

SYSCALL(pwrite64)
{
	return do_prw((int)a[0], UADDR(a[1]), (size_t)a[2], (loff_t)a[3], true);
}

/*
 * Copies and checks an iovec array as Linux's import_iovec: more than
 * UIO_MAXIOV (IOV_MAX) segments or a negative length is -EINVAL, a
 * segment outside the guest's space -EFAULT, and the lengths are cut so
 * that their sum is at most MAX_RW_COUNT.  The array (kmalloc'd) or
 * ERR_PTR.
 */
static struct iovec *iov_import(uaddr_t uiov, unsigned long cnt)
{
	struct iovec *iov;
	size_t total = 0, bytes;
	unsigned long i;

	if (cnt > UIO_MAXIOV)
		return ERR_PTR(-EINVAL);
	if (check_mul_overflow((size_t)cnt, sizeof(*iov), &bytes))
		return ERR_PTR(-EINVAL);
	iov = kcalloc(cnt ? (size_t)cnt : 1, sizeof(*iov));
	if (iov == NULL)
		return ERR_PTR(-ENOMEM);
	if (copy_from_user(iov, uiov, bytes) < 0) {
		kfree(iov);
		return ERR_PTR(-EFAULT);
	}
	for (i = 0; i < cnt; i++) {
		if ((ssize_t)iov[i].iov_len < 0) {
			kfree(iov);
			return ERR_PTR(-EINVAL);
		}
	}
	for (i = 0; i < cnt; i++) {
		if (!guest_range_ok((u64)(unsigned long)iov[i].iov_base, iov[i].iov_len)) {
			kfree(iov);
			return ERR_PTR(-EFAULT);
		}
		if (iov[i].iov_len > (size_t)MAX_RW_COUNT - total)
			iov[i].iov_len = (size_t)MAX_RW_COUNT - total;
		total += iov[i].iov_len;
	}
	return iov;
}

static long do_rwv(struct file *f, const struct iovec *iov, long cnt, loff_t *pos, bool write)
{
	long total = 0;
	long i;

	for (i = 0; i < cnt; i++) {
		ssize_t r;

		if (iov[i].iov_len == 0)
			continue;
		r = rw_user_seg(f, UADDR(iov[i].iov_base), iov[i].iov_len, pos, write);
		if (r < 0)
			return total > 0 ? total : r;
		total += r;
		if ((size_t)r < iov[i].iov_len || total >= MAX_RW_COUNT)
			break;
	}
	return total;
}

/* The segments first (-EINVAL/-EFAULT), then the file's mode, as Linux's vfs_readv. */
static long sys_rwv(int fd, uaddr_t uiov, unsigned long cnt, loff_t pos, bool positional,
		    bool write)
{
	struct iovec *iov;
	struct file *f;
	long ret;

	if (positional && pos < 0)
		return -EINVAL;
	f = fd_get_file(fd);
	if (f == NULL)
		return -EBADF;
	ret = -ESPIPE;
	if (positional && !file_seekable(f))
		goto out_put;
	iov = iov_import(uiov, cnt);
	ret = PTR_ERR(iov);
	if (IS_ERR(iov))
		goto out_put;
	ret = -EBADF;
	if (f->f_mode & (write ? FMODE_WRITE : FMODE_READ))
		ret = do_rwv(f, iov, (long)cnt, positional ? &pos : &f->f_pos, write);
	kfree(iov);
out_put:
	fput(f);
	io_account_rw(ret, write);	/* Linux's do_readv counts every call on an fd */
	return ret;
}

SYSCALL(readv)
{
	return sys_rwv((int)a[0], UADDR(a[1]), (unsigned long)a[2], 0, false, false);
}

SYSCALL(writev)
{
	return sys_rwv((int)a[0], UADDR(a[1]), (unsigned long)a[2], 0, false, true);
}

#define SPLICE_F_ALL	0x0f		/* <linux/splice.h>: MOVE, NONBLOCK, MORE, GIFT */
#define SPLICE_F_NONBLOCK 0x02

/* Cuts the segments so that they hold at most limit bytes: how many are left. */
static long iov_limit(struct iovec *iov, long cnt, size_t limit)
{
	long i;

	for (i = 0; i < cnt && limit > 0; i++) {
		if (iov[i].iov_len > limit)
			iov[i].iov_len = limit;
		limit -= iov[i].iov_len;
	}
	return i;
}

/*
 * vmsplice(fd, iov, nr_segs, flags), as Linux: fd open for writing gets
 * the guest's segments copied into its pipe, else fd open for reading
 * has its pipe's bytes copied out to them.  Like splice it waits once
 * (unless SPLICE_F_NONBLOCK or O_NONBLOCK: -EAGAIN) for room or for
 * bytes, then moves what fits or what is there; SPLICE_F_GIFT changes
 * nothing, the bytes are copied.  -EBADF for a file that is not a pipe
 * or has neither mode, 0 for no bytes, EOF (0) on an empty pipe with no
 * writer, EPIPE and SIGPIPE with no reader.
 */
SYSCALL(vmsplice)
{
	unsigned flags = (unsigned)a[3];
	unsigned long cnt = (unsigned long)a[2];
	bool nonblock = flags & SPLICE_F_NONBLOCK, write;
	struct iovec *iov;
	struct file *f;
	size_t total = 0;
	long ret, n;
	unsigned long i;

	if (flags & ~SPLICE_F_ALL)
		return -EINVAL;
	f = fd_get_file((int)a[0]);
	if (f == NULL)
		return -EBADF;
	ret = -EBADF;
	write = f->f_mode & FMODE_WRITE;
	if (!write && !(f->f_mode & FMODE_READ))
		goto out_put;
	iov = iov_import(UADDR(a[1]), cnt);
	ret = PTR_ERR(iov);
	if (IS_ERR(iov))
		goto out_put;
	for (i = 0; i < cnt; i++)
		total += iov[i].iov_len;
	ret = 0;
	if (total == 0)
		goto out_free;
	ret = -EBADF;
	if (!file_is_pipe(f))
		goto out_free;
	n = write ? pipe_splice_room(f, nonblock) : pipe_splice_avail(f, nonblock);
	ret = n;
	if (n > 0)
		ret = do_rwv(f, iov, iov_limit(iov, (long)cnt, (size_t)n), &f->f_pos, write);
out_free:
	kfree(iov);
out_put:
	fput(f);
	return ret;
}

/* preadv(fd, iov, cnt, pos_l, pos_h): on x86_64 pos_l holds the whole offset. */
SYSCALL(preadv)
{
	return sys_rwv((int)a[0], UADDR(a[1]), (unsigned long)a[2], (loff_t)a[3], true, false);
}

SYSCALL(pwritev)
{
	return sys_rwv((int)a[0], UADDR(a[1]), (unsigned long)a[2], (loff_t)a[3], true, true);
}

/*
 * lseek for files whose positions are byte offsets bounded by i_size:
 * the new position, -EINVAL for a negative one, one past the largest
 * file the filesystem can hold (s_maxbytes, as Linux's vfs_setpos) or a
 * bad whence, -ENXIO for SEEK_DATA/SEEK_HOLE at or past the end.
 */
loff_t generic_file_llseek(struct file *f, loff_t off, int whence)
{
	return generic_file_llseek_size(f, off, whence, file_maxbytes(f),
					f->f_inode ? (loff_t)f->f_inode->i_size : 0);
}

/* The same with the largest position and the end given, as Linux's
 * generic_file_llseek_size (a block device: both its size). */
loff_t generic_file_llseek_size(struct file *f, loff_t off, int whence, loff_t maxsize,
				loff_t size)
{
	loff_t base, npos;

	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = f->f_pos;
		break;
	case SEEK_END:
		base = size;
		break;
	case SEEK_DATA:
	case SEEK_HOLE:
		if (off < 0 || off >= size)
			return -ENXIO;
		npos = whence == SEEK_DATA ? off : size;
		f->f_pos = npos;
		return npos;
	default:
		return -EINVAL;
	}
	if (check_add_overflow(base, off, &npos) || npos < 0 || npos > maxsize)
		return -EINVAL;
	f->f_pos = npos;
	return npos;
}

SYSCALL(lseek)
{
	struct file *f = fd_get_file((int)a[0]);
	loff_t off = (loff_t)a[1];
	int whence = (int)a[2];
	long ret;

	if (f == NULL)
		return -EBADF;
	if (whence < SEEK_SET || whence > SEEK_HOLE)
		ret = -EINVAL;
	else if (f->f_flags & O_PATH)
		ret = -EBADF;
	else if (f->f_op != NULL && f->f_op->llseek != NULL)
		ret = f->f_op->llseek(f, off, whence);
	else if (file_seekable(f))
		ret = generic_file_llseek(f, off, whence);
	else
		ret = -ESPIPE;
	fput(f);
	return ret;
}

#define COPY_CHUNK	65536

/*
 * Moves up to count bytes from in at *ipos to out at *opos (either pos
 * may be the file's f_pos), max_chunk at a time: the bytes moved, or
 * -errno if none.  A short read ends it (a pipe's contents, EOF).
 */
long copy_chunks(struct file *in, loff_t *ipos, struct file *out, loff_t *opos,
			size_t count, size_t max_chunk)
{
	size_t chunk = min(count, (size_t)COPY_CHUNK);
	u8 *buf = kmalloc(chunk ? chunk : 1);
	long total = 0;

	if (buf == NULL)
		return -ENOMEM;
	chunk = min(chunk, max_chunk);
	while ((size_t)total < count) {
		size_t n = min(count - (size_t)total, chunk);
		struct uio ur = { .kernel = true, .kbuf = buf, .len = n };
		struct uio uw = { .kernel = true, .kbuf = buf };
		ssize_t r, w;

		r = vfs_read(in, &ur, ipos);
		if (r <= 0) {
			if (total == 0)
				total = r;
			break;
		}
		uw.len = (size_t)r;
		w = vfs_write(out, &uw, opos);
		if (w < 0 && total == 0)
			total = w;
		if (w <= 0)
			break;
		total += w;
		if (w < r) {
			*ipos -= r - w;		/* a file gives back what was not written */
			break;
		}
		if ((size_t)r < n)
			break;
	}
	kfree(buf);
	return total;
}

/* Copies up to count bytes from in at *ipos to out at its f_pos through a
 * kernel buffer, until a short read or write (fs/splice.c's copy_chunks). */
static long sendfile_copy(struct file *out, struct file *in, loff_t *ipos, size_t count)
{
	return copy_chunks(in, ipos, out, &out->f_pos, count, SENDFILE_CHUNK);
}

/* sendfile(out_fd, in_fd, offset, count) */
SYSCALL(sendfile)
{
	struct file *out = fd_get_file((int)a[0]);
	struct file *in = fd_get_file((int)a[1]);
	uaddr_t uoff = UADDR(a[2]);
	size_t count = (size_t)a[3];
	loff_t pos;
	long ret = -EBADF;

	if (out == NULL || in == NULL)
		goto out;
	if (!(in->f_mode & FMODE_READ) || !(out->f_mode & FMODE_WRITE))
		goto out;
	ret = -EINVAL;
	if ((out->f_flags & O_APPEND) || (ssize_t)count < 0)
		goto out;
	if (count > (size_t)MAX_RW_COUNT)
		count = MAX_RW_COUNT;
	pos = in->f_pos;
	ret = -EFAULT;
	if (!uaddr_is_null(uoff) && get_user(pos, uoff) < 0)
		goto out;
	ret = -ESPIPE;
	if (!uaddr_is_null(uoff) && !file_seekable(in))
		goto out;
	ret = -EINVAL;
	if (pos < 0)
		goto out;
	ret = sendfile_copy(out, in, &pos, count);
	io_account_rw(ret, false);
	io_account_rw(ret, true);
	if (uaddr_is_null(uoff))
		in->f_pos = pos;
	else if (put_user(pos, uoff) < 0)
		ret = -EFAULT;
out:
	if (in != NULL)
		fput(in);
	if (out != NULL)
		fput(out);
	return ret;
}
