/*
 * ubd.c - kernel half of the user-mode block device (UML's ubd).
 *
 * Each ubdN=file on the command line becomes a block device ubda, ubdb...
 * (major 98, 16 minors per disk, as in UML) backed by a host file.  A bio
 * becomes a struct ubd_io queued to the host I/O thread
 * (os-Linux/drivers/ubd_host.c); its completion comes back as OS_IRQ_UBD
 * and the handler ends the bio.
 */
#include "kernel/blkdev.h"
#include "kernel/init.h"
#include "kernel/page.h"
#include "kernel/sched.h"
#include "shared/os.h"

#define UBD_MAJOR	98

struct ubd {
	struct block_device bdev;
	int fd;
	const char *file;
};

static struct ubd ubd_devs[MAX_UBD];

static void ubd_submit(struct block_device *bdev, struct bio *bio)
{
	struct ubd *ubd = bdev->private_data;
	struct ubd_io *io;
	int err;

	if (bio->op == BIO_WRITE && bdev->read_only) {
		blk_complete(bio, -EROFS);
		return;
	}
	io = kzalloc(sizeof(*io));
	if (!io) {
		blk_complete(bio, -ENOMEM);
		return;
	}
	io->fd = ubd->fd;
	io->op = bio->op == BIO_READ ? UBD_OP_READ :
		 bio->op == BIO_WRITE ? UBD_OP_WRITE : UBD_OP_FLUSH;
	io->offset = bio->offset;
	io->len = bio->len;
	io->buf = bio->buf;
	io->cookie = bio;
	err = os_ubd_submit(io);
	if (err) {
		kfree(io);
		blk_complete(bio, err);
	}
}

static const struct block_device_operations ubd_ops = {
	.submit = ubd_submit,
};

static void ubd_irq(void)
{
	struct ubd_io *io;

	while (os_ubd_complete(&io) == 0) {
		struct bio *bio = io->cookie;
		int err = 0;

		if (io->result < 0)
			err = (int)io->result;
		else if (io->op != UBD_OP_FLUSH && (u64)io->result != io->len)
			err = -EIO;
		kfree(io);
		blk_complete(bio, err);
	}
}

/* One message, on stderr whatever the loglevel, then exit 1 (as UML). */
static void __noreturn ubd_fail(int i, const char *file, const char *what, int err)
{
	os_print_err("ubd%d: cannot %s '%s': %s\n", i, what, file, os_strerror(err));
	os_exit(1);
}

/*
 * Opens ubdN's file.  An image that may not be written (a read-only
 * file, a read-only host filesystem) is used read-only, with a warning,
 * as UML does.  Returns the fd; *ro tells which way.
 */
static int ubd_open(int i, const char *file, bool *ro)
{
	int fd = os_open_file(file, *ro ? OS_OPEN_RDONLY : OS_OPEN_RDWR);

	if (fd == -EACCES || fd == -EROFS || fd == -EPERM) {
		int rfd = os_open_file(file, OS_OPEN_RDONLY);

		if (rfd >= 0) {
			printk(KERN_WARNING "ubd%d: '%s' is not writable (%s): using it read-only\n",
			       i, file, os_strerror(fd));
			*ro = true;
			return rfd;
		}
	}
	if (fd < 0)
		ubd_fail(i, file, "open", fd);
	return fd;
}

static void ubd_setup_one(int i)
{
	struct ubd *ubd = &ubd_devs[i];
	bool ro = boot_params.ubd_ro[i];
	u64 size;
	int fd, err;

	ubd->file = boot_params.ubd[i];
	fd = ubd_open(i, ubd->file, &ro);
	err = os_lock_file(fd, !ro);
	if (err == -EAGAIN) {
		os_print_err("ubd%d: '%s' is in use by another instance (locked)\n", i, ubd->file);
		os_exit(1);
	}
	if (err)
		ubd_fail(i, ubd->file, "lock", err);
	err = os_file_size(fd, &size);
	if (err)
		ubd_fail(i, ubd->file, "get the size of", err);
	ubd->fd = fd;
	ksnprintf(ubd->bdev.name, sizeof(ubd->bdev.name), "ubd%c", 'a' + i);
	ubd->bdev.dev = MKDEV(UBD_MAJOR, 16 * i);
	ubd->bdev.size = size;
	ubd->bdev.read_only = ro;
	ubd->bdev.ops = &ubd_ops;
	ubd->bdev.private_data = ubd;
	err = register_blkdev(&ubd->bdev);
	if (err)
		ubd_fail(i, ubd->file, "register", err);
	printk(KERN_INFO "%s: %s, %llu bytes%s\n", ubd->bdev.name, ubd->file,
	       (unsigned long long)size, ro ? ", read-only" : "");
}

/* Sets up every ubdN= disk; exits ./linux with status 1 on any error. */
void ubd_init(void)
{
	bool any = false;
	int i, err;

	for (i = 0; i < MAX_UBD; i++) {
		if (!boot_params.ubd[i])
			continue;
		ubd_setup_one(i);
		any = true;
	}
	if (!any)
		return;
	irq_register(OS_IRQ_UBD, ubd_irq);
	err = os_ubd_thread_start();
	if (err) {
		os_print_err("ubd: cannot start the I/O thread: %s\n", os_strerror(err));
		os_exit(1);
	}
}
