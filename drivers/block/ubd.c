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
#include "kernel/fs.h"
#include "kernel/stats.h"
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
	if (io->op == UBD_OP_READ) {
		kstat.disk_reads++;
		kstat.disk_read_bytes += io->len;
	} else if (io->op == UBD_OP_WRITE) {
		kstat.disk_writes++;
		kstat.disk_write_bytes += io->len;
	}
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

/* Makes disk i of an open, locked file: 0 or -errno (the fd is the caller's then). */
static int ubd_register(int i, const char *file, int fd, bool ro, u64 size)
{
	struct ubd *ubd = &ubd_devs[i];
	int err;

	memset(ubd, 0, sizeof(*ubd));
	ubd->file = file;
	ubd->fd = fd;
	ksnprintf(ubd->bdev.name, sizeof(ubd->bdev.name), "ubd%c", 'a' + i);
	ubd->bdev.dev = MKDEV(UBD_MAJOR, 16 * i);
	ubd->bdev.size = size;
	ubd->bdev.read_only = ro;
	ubd->bdev.ops = &ubd_ops;
	ubd->bdev.private_data = ubd;
	err = register_blkdev(&ubd->bdev);
	if (err) {
		ubd->file = NULL;
		return err;
	}
	printk(KERN_INFO "%s: %s, %llu bytes%s\n", ubd->bdev.name, file,
	       (unsigned long long)size, ro ? ", read-only" : "");
	return 0;
}

static bool ubd_irq_ready;

static int ubd_start_io(void)
{
	if (!ubd_irq_ready) {
		irq_register(OS_IRQ_UBD, ubd_irq);
		ubd_irq_ready = true;
	}
	return os_ubd_thread_start();
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
	err = ubd_register(i, ubd->file, fd, ro, size);
	if (err)
		ubd_fail(i, ubd->file, "register", err);
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
	err = ubd_start_io();
	if (err) {
		os_print_err("ubd: cannot start the I/O thread: %s\n", os_strerror(err));
		os_exit(1);
	}
}

/*
 * The crash path: lets the I/O thread finish what it was given, then
 * fsyncs every disk.  Host calls only; nothing here sleeps in the kernel.
 */
void ubd_emergency_flush(void)
{
	os_ubd_drain(2000);
	for (int i = 0; i < MAX_UBD; i++)
		if (ubd_devs[i].file && !ubd_devs[i].bdev.read_only)
			os_fsync(ubd_devs[i].fd);
}

/* "ubdN..." or "ubdX...": the disk number, *rest after it; -1 if none. */
static int ubd_number(const char *s, const char **rest)
{
	int n;

	if (strncmp(s, "ubd", 3))
		return -1;
	s += 3;
	if (*s >= 'a' && *s <= 'p') {
		n = *s++ - 'a';
	} else if (*s >= '0' && *s <= '9') {
		n = *s++ - '0';
		if (*s >= '0' && *s <= '9')
			n = n * 10 + (*s++ - '0');
	} else {
		return -1;
	}
	*rest = s;
	return n < MAX_UBD ? n : -1;
}

/* Opens, locks and registers a hot-plugged disk: 0 or -errno, *what the step. */
static int ubd_hotplug_open(int n, const char *file, bool ro, const char **what)
{
	u64 size;
	int fd, err;

	*what = "start the I/O thread for";
	err = ubd_start_io();
	if (err)
		return err;
	*what = "open";
	fd = os_open_file(file, ro ? OS_OPEN_RDONLY : OS_OPEN_RDWR);
	if (fd < 0)
		return fd;
	*what = "lock (in use by another instance?)";
	err = os_lock_file(fd, !ro);
	if (!err) {
		*what = "get the size of";
		err = os_file_size(fd, &size);
	}
	if (!err) {
		*what = "register";
		err = ubd_register(n, file, fd, ro, size);
	}
	if (err)
		os_close(fd);
	return err;
}

int ubd_config(const char *spec, char *msg, size_t len)
{
	static char files[MAX_UBD][256];	/* the hot-plugged disks' names */
	const char *p, *what;
	bool ro = false;
	int n = ubd_number(spec, &p), err;

	for (; n >= 0 && *p && *p != '='; p++) {
		if (*p == 'r')
			ro = true;
		else if (*p != 's')
			n = -1;
	}
	if (n < 0 || *p != '=' || !p[1]) {
		ksnprintf(msg, len, "expected ubdN[r]=FILE with N 0-15 or a-p");
		return -EINVAL;
	}
	if (ubd_devs[n].file) {
		ksnprintf(msg, len, "ubd%c is already configured (%s)", 'a' + n, ubd_devs[n].file);
		return -EEXIST;
	}
	if (kstrlcpy(files[n], p + 1, sizeof(files[n])) >= sizeof(files[n])) {
		ksnprintf(msg, len, "file name too long");
		return -ENAMETOOLONG;
	}
	err = ubd_hotplug_open(n, files[n], ro, &what);
	if (err) {
		ksnprintf(msg, len, "cannot %s '%s': %s", what, files[n], os_strerror(err));
		return err;
	}
	err = devtmpfs_create_node(ubd_devs[n].bdev.name, S_IFBLK | 0660, ubd_devs[n].bdev.dev);
	if (err && err != -EEXIST)
		printk(KERN_WARNING "%s: no /dev node: error %d\n", ubd_devs[n].bdev.name, -err);
	return 0;
}

int ubd_get_config(const char *name, char *msg, size_t len)
{
	const char *p;
	int n = ubd_number(name, &p);

	if (n < 0 || *p) {
		ksnprintf(msg, len, "expected ubdN with N 0-15 or a-p");
		return -EINVAL;
	}
	ksnprintf(msg, len, "%s", ubd_devs[n].file ? ubd_devs[n].file : "");
	return 0;
}

int ubd_remove(const char *name, char *msg, size_t len)
{
	char path[32];
	const char *p;
	int n = ubd_number(name, &p);
	struct ubd *ubd;

	if (n < 0 || *p) {
		ksnprintf(msg, len, "expected ubdN with N 0-15 or a-p");
		return -EINVAL;
	}
	ubd = &ubd_devs[n];
	if (!ubd->file) {
		ksnprintf(msg, len, "ubd%c does not exist", 'a' + n);
		return -ENODEV;
	}
	if (ubd->bdev.openers > 0) {
		ksnprintf(msg, len, "%s is in use (mounted or open)", ubd->bdev.name);
		return -EBUSY;
	}
	sync_blockdev(&ubd->bdev);
	invalidate_bdev(&ubd->bdev);
	unregister_blkdev(&ubd->bdev);
	ksnprintf(path, sizeof(path), "/dev/%s", ubd->bdev.name);
	kern_unlink(path);	/* gone already if the guest removed it */
	os_close(ubd->fd);	/* which drops the host lock */
	printk(KERN_INFO "%s: removed\n", ubd->bdev.name);
	ubd->file = NULL;
	return 0;
}
