/*
 * mem.c - the memory character devices of major 1: null (3), zero (5),
 * full (7), random (8), urandom (9) and kmsg (11, in kernel/printk.c), with Linux semantics (mem(4),
 * null(4), full(4), random(4)).  random and urandom both read the host's
 * getrandom(2), which never blocks once the host has booted.
 */
#include "kernel/kernel.h"
#include "kernel/fs.h"
#include "kernel/init.h"
#include "shared/os.h"

#define MEM_MAJOR	1

extern const struct file_operations kmsg_fops;
#define MEM_CHUNK	256

/* Moves every byte of u as consumed, the way /dev/null eats writes. */
static ssize_t mem_write_discard(struct file *f, struct uio *u, loff_t *pos)
{
	size_t n = u->len - u->done;

	u->done = u->len;
	return (ssize_t)n;
}

static ssize_t null_read(struct file *f, struct uio *u, loff_t *pos)
{
	return 0;
}

static ssize_t zero_read(struct file *f, struct uio *u, loff_t *pos)
{
	size_t start = u->done;
	long err;

	while (u->done < u->len) {
		size_t n = min(u->len - u->done, (size_t)65536);

		err = uio_zero_out(u, n);
		if (err < 0)
			return u->done > start ? (ssize_t)(u->done - start) : err;
	}
	return (ssize_t)(u->done - start);
}

static ssize_t full_write(struct file *f, struct uio *u, loff_t *pos)
{
	return u->len == u->done ? 0 : -ENOSPC;
}

static ssize_t random_read(struct file *f, struct uio *u, loff_t *pos)
{
	u8 buf[MEM_CHUNK];
	size_t start = u->done;
	long err;

	while (u->done < u->len) {
		size_t n = min(u->len - u->done, sizeof(buf));

		os_getrandom(buf, n);
		err = uio_copy_out(u, buf, n);
		if (err < 0) {
			memset(buf, 0, sizeof(buf));
			return u->done > start ? (ssize_t)(u->done - start) : err;
		}
	}
	memset(buf, 0, sizeof(buf));
	return (ssize_t)(u->done - start);
}

/* Linux's null_lseek: every seek succeeds and lands at 0. */
static loff_t mem_llseek(struct file *f, loff_t off, int whence)
{
	f->f_pos = 0;
	return 0;
}

static unsigned mem_poll(struct file *f, struct poll_table *pt)
{
	return POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM;
}

static const struct file_operations null_fops = {
	.read = null_read, .write = mem_write_discard,
	.llseek = mem_llseek, .poll = mem_poll,
};
static const struct file_operations zero_fops = {
	.read = zero_read, .write = mem_write_discard,
	.llseek = mem_llseek, .poll = mem_poll,
};
static const struct file_operations full_fops = {
	.read = zero_read, .write = full_write,
	.llseek = mem_llseek, .poll = mem_poll,
};
static const struct file_operations random_fops = {
	.read = random_read, .write = mem_write_discard,
	.llseek = mem_llseek, .poll = mem_poll,
};

/* Picks the minor's operations; -ENXIO for a minor we do not have. */
static int mem_open(struct inode *inode, struct file *f)
{
	switch (MINOR(inode->i_rdev)) {
	case 3:
		f->f_op = &null_fops;
		return 0;
	case 5:
		f->f_op = &zero_fops;
		return 0;
	case 7:
		f->f_op = &full_fops;
		return 0;
	case 8:
	case 9:
		f->f_op = &random_fops;
		return 0;
	case 11:
		f->f_op = &kmsg_fops;	/* kernel/printk.c */
		return f->f_op->open(inode, f);
	}
	return -ENXIO;
}

static const struct file_operations mem_fops = {
	.open = mem_open,
};

/* Registers major 1; the nodes are made by devtmpfs. */
void mem_devices_init(void)
{
	int err = register_chrdev(MEM_MAJOR, "mem", &mem_fops);

	if (err < 0)
		printk(KERN_ERR "mem: cannot register major %d: %d\n", MEM_MAJOR, err);
}
