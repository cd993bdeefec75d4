/*
 * ubd.c - kernel half of the user-mode block device (UML's ubd).
 *
 * Each ubdN=FILE (or ubdN=COW,BACKING: a UML COW file over a backing
 * file the instance never writes) on the command line becomes a block
 * device ubda, ubdb... (major 98, 16 minors per disk, as in UML).  The host
 * half (os-Linux/drivers/ubd_host.c) opens and locks the files and knows
 * the COW format; a bio becomes a struct ubd_io queued to its I/O thread,
 * the completion comes back as OS_IRQ_UBD and the handler ends the bio.
 * ubd_add() sets up one disk and may be called after boot: mconsole's
 * config/remove (ubd_config, ubd_remove) hot-plug and unplug disks.
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
	struct ubd_disk *disk;	/* the host half's */
	char *file;		/* the image, or the COW file */
};

static struct ubd ubd_devs[MAX_UBD];
static char ubd_why[320];	/* why the last ubd_add failed, for mconsole's reply */

static void ubd_submit(struct block_device *bdev, struct bio *bio)
{
	struct ubd *ubd = bdev->private_data;
	struct ubd_io *io;
	int err;

	if ((bio->op == BIO_WRITE || bio->op == BIO_DISCARD) && bdev->read_only) {
		blk_complete(bio, -EROFS);
		return;
	}
	io = kzalloc(sizeof(*io) + bio->nsegs * sizeof(struct ubd_seg));
	if (!io) {
		blk_complete(bio, -ENOMEM);
		return;
	}
	io->disk = ubd->disk;
	io->op = bio->op == BIO_READ ? UBD_OP_READ :
		 bio->op == BIO_WRITE ? UBD_OP_WRITE :
		 bio->op == BIO_DISCARD ? UBD_OP_DISCARD : UBD_OP_FLUSH;
	io->offset = bio->offset;
	io->len = bio->len;
	io->buf = bio->buf;
	if (bio->nsegs) {
		struct ubd_seg *segs = (struct ubd_seg *)(io + 1);

		for (unsigned i = 0; i < bio->nsegs; i++)
			segs[i] = (struct ubd_seg){ .buf = bio->segs[i].buf, .len = bio->segs[i].len };
		io->segs = segs;
		io->nsegs = (int)bio->nsegs;
	}
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

/* The IRQ handler and the host I/O thread, once, with the first disk. */
static int ubd_start(void)
{
	static bool started;
	int err;

	if (started)
		return 0;
	irq_register(OS_IRQ_UBD, ubd_irq);
	err = os_ubd_thread_start();
	if (err) {
		os_print_err("ubd: cannot start the I/O thread: %s\n", os_strerror(err));
		return err;
	}
	started = true;
	return 0;
}

/*
 * Sets up disk i from SPEC ("FILE" or "COW,BACKING") and FLAGS (UBD_F_*).
 * Returns 0, or -errno after one message on stderr whatever the loglevel.
 */
int ubd_add(int i, const char *spec, int flags)
{
	struct ubd *ubd;
	struct ubd_open_info *info;
	char *file, *backing;
	int err;

	if (i < 0 || i >= MAX_UBD)
		return -EINVAL;
	ubd = &ubd_devs[i];
	if (ubd->disk)
		return -EBUSY;
	err = ubd_start();
	if (err)
		return err;
	file = kstrdup(spec);
	info = kmalloc(sizeof(*info));
	err = -ENOMEM;
	if (!file || !info) {
		os_print_err("ubd%d: no memory for '%s'\n", i, spec);
		goto out_free;
	}
	backing = strchr(file, ',');
	if (backing)
		*backing++ = 0;
	err = os_ubd_open(file, backing, flags, &ubd->disk, info);
	if (err) {
		kstrlcpy(ubd_why, info->why, sizeof(ubd_why));
		os_print_err("ubd%d: %s\n", i, info->why);
		goto out_free;
	}
	if (info->switched)
		printk(KERN_NOTICE "ubd%d: '%s' now names '%s' as its backing file\n", i, file,
		       info->backing);
	if (info->fell_back_ro)
		printk(KERN_WARNING "ubd%d: '%s' is not writable (%s): using it read-only\n", i,
		       file, os_strerror(info->fell_back_ro));
	ksnprintf(ubd->bdev.name, sizeof(ubd->bdev.name), "ubd%c", 'a' + i);
	ubd->bdev.dev = MKDEV(UBD_MAJOR, 16 * i);
	ubd->bdev.size = info->size;
	ubd->bdev.read_only = info->flags & UBD_F_RO;
	/* A file: any length in one punch, reported as Linux's loop does (UINT_MAX >> 9 sectors). */
	ubd->bdev.discard_granularity = info->discard_granularity;
	ubd->bdev.discard_max = info->discard_granularity ? (u64)(0xffffffffu >> 9) << 9 : 0;
	ubd->bdev.ops = &ubd_ops;
	ubd->bdev.private_data = ubd;
	ubd->bdev.unflushed = info->created;	/* a new COW header: not durable yet */
	err = register_blkdev(&ubd->bdev);
	if (err) {
		os_print_err("ubd%d: cannot register '%s': %s\n", i, file, os_strerror(err));
		goto out_free;	/* the host files stay open: ubdN is not reused */
	}
	ubd->file = file;
	printk(KERN_INFO "%s: %s%s%s%s, %llu bytes%s%s\n", ubd->bdev.name, file,
	       info->backing ? " (COW over " : "", info->backing ? info->backing : "",
	       info->backing ? ")" : "", (unsigned long long)info->size,
	       ubd->bdev.read_only ? ", read-only" : "", info->created ? ", COW file created" : "");
	kfree(info);
	return 0;
out_free:
	kfree(info);
	kfree(file);
	return err;
}

/* Sets up every ubdN= disk; exits ./linux with status 1 on any error. */
void ubd_init(void)
{
	int i;

	for (i = 0; i < MAX_UBD; i++) {
		if (boot_params.ubd[i] && ubd_add(i, boot_params.ubd[i], boot_params.ubd_flags[i]))
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
		if (ubd_devs[i].disk && !ubd_devs[i].bdev.read_only)
			os_ubd_sync(ubd_devs[i].disk);
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

/* mconsole `config ubdN[flags]=FILE[,BACKING]`: 0 or -errno, msg says why. */
int ubd_config(const char *spec, char *msg, size_t len)
{
	const char *p;
	int n = ubd_number(spec, &p), flags = 0, err;

	for (; n >= 0 && *p && *p != '='; p++) {
		if (*p == 'r')
			flags |= UBD_F_RO;
		else if (*p == 's')
			flags |= UBD_F_SYNC;
		else if (*p == 'd')
			flags |= UBD_F_NOCOW;
		else if (*p == 'c')
			flags |= UBD_F_SHARED;
		else if (*p != 't')
			n = -1;
	}
	if (n < 0 || *p != '=' || !p[1]) {
		ksnprintf(msg, len, "expected ubdN[rsdct]=FILE[,BACKING] with N 0-15 or a-p");
		return -EINVAL;
	}
	if (ubd_devs[n].disk) {
		ksnprintf(msg, len, "ubd%c is already configured (%s)", 'a' + n,
			  ubd_devs[n].file ? ubd_devs[n].file : "?");
		return -EEXIST;
	}
	ubd_why[0] = '\0';
	err = ubd_add(n, p + 1, flags);
	if (err) {
		if (ubd_why[0])
			ksnprintf(msg, len, "%s", ubd_why);
		else
			ksnprintf(msg, len, "cannot add '%s': %s", p + 1, os_strerror(err));
		return err;
	}
	err = devtmpfs_create_node(ubd_devs[n].bdev.name, S_IFBLK | 0660, ubd_devs[n].bdev.dev);
	if (err && err != -EEXIST)
		printk(KERN_WARNING "%s: no /dev node: error %d\n", ubd_devs[n].bdev.name, -err);
	return 0;
}

/* mconsole `config ubdN`: the disk's file, or nothing. */
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

/* mconsole `remove ubdN`: refused while mounted or open, as UML does. */
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
	blk_drain(&ubd->bdev);	/* a readahead nobody waits for may be in flight */
	invalidate_bdev(&ubd->bdev);
	unregister_blkdev(&ubd->bdev);
	ksnprintf(path, sizeof(path), "/dev/%s", ubd->bdev.name);
	kern_unlink(path);	/* gone already if the guest removed it */
	os_ubd_close(ubd->disk);	/* which drops the host locks */
	printk(KERN_INFO "%s: removed\n", ubd->bdev.name);
	ubd->disk = NULL;
	kfree(ubd->file);
	ubd->file = NULL;
	return 0;
}
