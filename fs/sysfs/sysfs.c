/*
 * sysfs.c - /sys, the subset udev-less userlands read: every block
 * device under /sys/block/<name>/ (size, dev, ro, removable, stat,
 * inflight, queue/...),
 * /sys/devices/system/cpu/{online,possible,present,kernel_max,cpu0/},
 * /sys/dev/block/MAJ:MIN (links to them: busybox mdev -s scans /sys/dev),
 * /sys/kernel/mm/transparent_hugepage/enabled, and the empty /sys/fs/cgroup
 * (a mount point), and every network device under /sys/class/net/<name>/
 * (address, mtu, flags, operstate, carrier, ifindex, type,
 * statistics/...).
 *
 * Nothing is stored: an inode number names a node of the static table
 * (below SYSFS_DISK_BIT), one file of one disk (the disk's dev_t and a
 * file index) or one file of one network device (its ifindex, never
 * reused, and a file index), and a file's text is rendered when it is
 * opened, so it is true at that moment; /sys/block lists the disks
 * registered now (all_blkdevs), hot-plugged ones included, and
 * /sys/class/net the devices on netdev_list.  Read-only, as those files
 * are for anyone but root on Linux.  Linux's /sys/class/net entries are
 * symlinks into /sys/devices/virtual/net or the device's bus; here they
 * are the directories themselves (no bus to place them under).
 */
#include "kernel/kernel.h"
#include "kernel/fs.h"
#include "kernel/blkdev.h"
#include "kernel/init.h"
#include "kernel/mm.h"
#include "kernel/page.h"
#include "kernel/inet.h"

#define SYSFS_MAGIC	0x62656572
#define SYSFS_DISK_BIT	(1ULL << 40)
#define SYSFS_NET_BIT	(1ULL << 41)
#define SYSFS_BUF	256

struct sysfs_node {
	const char *name;
	int parent;		/* index in nodes[]; the root is its own */
	bool dir;
	const char *text;	/* a file's constant text */
};

/* Index 1 is /sys/block, whose children are the disks. */
static const struct sysfs_node nodes[] = {
	{ "", 0, true, NULL },
	{ "block", 0, true, NULL },
	{ "devices", 0, true, NULL },
	{ "system", 2, true, NULL },
	{ "cpu", 3, true, NULL },
	{ "online", 4, false, "0\n" },		/* the kernel is uniprocessor */
	{ "possible", 4, false, "0\n" },
	{ "present", 4, false, "0\n" },
	{ "kernel_max", 4, false, "0\n" },
	{ "cpu0", 4, true, NULL },
	{ "kernel", 0, true, NULL },
	{ "mm", 10, true, NULL },
	{ "transparent_hugepage", 11, true, NULL },
	{ "enabled", 12, false, "always madvise [never]\n" },
	{ "fs", 0, true, NULL },
	{ "cgroup", 14, true, NULL },
	{ "class", 0, true, NULL },
	{ "net", 16, true, NULL },
	{ "dev", 0, true, NULL },
	{ "block", 18, true, NULL },
	{ "char", 18, true, NULL },
};
#define SYSFS_BLOCK	1
#define SYSFS_CLASS_NET	17
#define SYSFS_DEV_BLOCK	19	/* its children: MAJ:MIN links to the disks */

/* The files of /sys/class/net/<dev>/: index 0 is the directory itself. */
enum { NF_DIR, NF_ADDRESS, NF_ADDR_LEN, NF_BROADCAST, NF_MTU, NF_FLAGS, NF_IFINDEX,
       NF_IFLINK, NF_TYPE, NF_OPERSTATE, NF_CARRIER, NF_TXQLEN, NF_STATS, NF_RX_PACKETS,
       NF_TX_PACKETS, NF_RX_BYTES, NF_TX_BYTES, NF_RX_ERRORS, NF_TX_ERRORS, NF_RX_DROPPED,
       NF_TX_DROPPED, NF_NR };
/* A file of a per-object subtree: its name and the index of its directory (0: the object's). */
struct sysfs_file {
	const char *name;
	int parent;
};

static const struct sysfs_file net_files[NF_NR] = {
	[NF_DIR] = { NULL, -1 }, [NF_ADDRESS] = { "address", NF_DIR },
	[NF_ADDR_LEN] = { "addr_len", NF_DIR }, [NF_BROADCAST] = { "broadcast", NF_DIR },
	[NF_MTU] = { "mtu", NF_DIR }, [NF_FLAGS] = { "flags", NF_DIR },
	[NF_IFINDEX] = { "ifindex", NF_DIR }, [NF_IFLINK] = { "iflink", NF_DIR },
	[NF_TYPE] = { "type", NF_DIR }, [NF_OPERSTATE] = { "operstate", NF_DIR },
	[NF_CARRIER] = { "carrier", NF_DIR }, [NF_TXQLEN] = { "tx_queue_len", NF_DIR },
	[NF_STATS] = { "statistics", NF_DIR },
	[NF_RX_PACKETS] = { "rx_packets", NF_STATS }, [NF_TX_PACKETS] = { "tx_packets", NF_STATS },
	[NF_RX_BYTES] = { "rx_bytes", NF_STATS }, [NF_TX_BYTES] = { "tx_bytes", NF_STATS },
	[NF_RX_ERRORS] = { "rx_errors", NF_STATS }, [NF_TX_ERRORS] = { "tx_errors", NF_STATS },
	[NF_RX_DROPPED] = { "rx_dropped", NF_STATS }, [NF_TX_DROPPED] = { "tx_dropped", NF_STATS },
};

/* The files of /sys/block/<disk>/: index 0 is the directory itself. */
enum { DF_DIR, DF_SIZE, DF_DEV, DF_RO, DF_REMOVABLE, DF_QUEUE, DF_LBS, DF_PBS, DF_HWSS,
       DF_ROT, DF_MAXKB, DF_RAKB, DF_DGRAN, DF_DMAX, DF_DMAXHW, DF_DZERO, DF_DALIGN,
       DF_STAT, DF_INFLIGHT, DF_UEVENT, DF_LINK, DF_NR };
static const struct sysfs_file disk_files[DF_NR] = {
	[DF_DIR] = { NULL, -1 }, [DF_SIZE] = { "size", DF_DIR }, [DF_DEV] = { "dev", DF_DIR },
	[DF_RO] = { "ro", DF_DIR }, [DF_REMOVABLE] = { "removable", DF_DIR },
	[DF_QUEUE] = { "queue", DF_DIR }, [DF_LBS] = { "logical_block_size", DF_QUEUE },
	[DF_PBS] = { "physical_block_size", DF_QUEUE }, [DF_HWSS] = { "hw_sector_size", DF_QUEUE },
	[DF_ROT] = { "rotational", DF_QUEUE }, [DF_MAXKB] = { "max_sectors_kb", DF_QUEUE },
	[DF_RAKB] = { "read_ahead_kb", DF_QUEUE },
	[DF_DGRAN] = { "discard_granularity", DF_QUEUE }, [DF_DMAX] = { "discard_max_bytes", DF_QUEUE },
	[DF_DMAXHW] = { "discard_max_hw_bytes", DF_QUEUE },
	[DF_DZERO] = { "discard_zeroes_data", DF_QUEUE }, [DF_DALIGN] = { "discard_alignment", DF_DIR },
	[DF_STAT] = { "stat", DF_DIR },
	[DF_INFLIGHT] = { "inflight", DF_DIR }, [DF_UEVENT] = { "uevent", DF_DIR },
	[DF_LINK] = { NULL, -1 },	/* /sys/dev/block/MAJ:MIN -> ../../block/NAME */
};

static const struct inode_operations sysfs_dir_iops, sysfs_link_iops, sysfs_file_iops;
static const struct file_operations sysfs_dir_fops, sysfs_file_fops;

static u64 disk_ino(dev_t dev, int file)
{
	return SYSFS_DISK_BIT | ((u64)dev << 8) | (u64)file;
}

static struct block_device *ino_disk(u64 ino, int *file)
{
	*file = (int)(ino & 0xff);
	return *file < DF_NR ? blkdev_lookup((dev_t)((ino & ~SYSFS_DISK_BIT) >> 8)) : NULL;
}

static u64 net_ino(const struct netdevice *dev, int file)
{
	return SYSFS_NET_BIT | ((u64)dev->ifindex << 8) | (u64)file;
}

static struct netdevice *ino_net(u64 ino, int *file)
{
	*file = (int)(ino & 0xff);
	return *file < NF_NR ? dev_get_by_index((int)((ino & ~SYSFS_NET_BIT) >> 8)) : NULL;
}

/* Whether the file takes writes: a disk's queue/read_ahead_kb. */
static bool sysfs_writable(u64 ino)
{
	int file;

	return (ino & SYSFS_DISK_BIT) && ino_disk(ino, &file) && file == DF_RAKB;
}

static int sysfs_read_inode(struct inode *inode)
{
	bool dir;

	if (inode->i_ino & SYSFS_NET_BIT) {
		int file;

		if (ino_net(inode->i_ino, &file) == NULL)
			return -ENOENT;
		dir = file == NF_DIR || file == NF_STATS;
	} else if (inode->i_ino & SYSFS_DISK_BIT) {
		int file;

		if (ino_disk(inode->i_ino, &file) == NULL)
			return -ENOENT;
		if (file == DF_LINK) {
			inode->i_mode = S_IFLNK | 0777;
			inode->i_nlink = 1;
			inode->i_size = 0;
			inode->i_atime = inode->i_mtime = inode->i_ctime = current_time();
			inode->i_op = &sysfs_link_iops;
			return 0;
		}
		dir = file == DF_DIR || file == DF_QUEUE;
	} else {
		if (inode->i_ino == 0 || inode->i_ino > ARRAY_SIZE(nodes))
			return -ENOENT;
		dir = nodes[inode->i_ino - 1].dir;
	}
	inode->i_mode = dir ? S_IFDIR | 0755 : S_IFREG | (sysfs_writable(inode->i_ino) ? 0644 : 0444);
	inode->i_nlink = dir ? 2 : 1;
	inode->i_size = dir ? 0 : PAGE_SIZE;	/* as Linux's sysfs attributes */
	inode->i_atime = inode->i_mtime = inode->i_ctime = current_time();
	inode->i_op = dir ? &sysfs_dir_iops : &sysfs_file_iops;
	inode->i_fop = dir ? &sysfs_dir_fops : &sysfs_file_fops;
	return 0;
}

static bool name_eq(const char *s, const char *name, int len)
{
	return (int)strlen(s) == len && !memcmp(s, name, (size_t)len);
}

/*
 * An object's subtree (a disk's, a network device's): the files of its
 * directory file, whose inode numbers are base | index.
 */
static struct inode *files_lookup(struct super_block *sb, const struct sysfs_file *files, int nr,
				  u64 base, int file, const char *name, int len)
{
	for (int i = 1; i < nr; i++)
		if (files[i].parent == file && name_eq(files[i].name, name, len))
			return iget(sb, base | (u64)i);
	return ERR_PTR(-ENOENT);
}

/* Lists them from entry *n on (subdir: the one that is a directory). */
static void files_iterate(struct dir_context *ctx, const struct sysfs_file *files, int nr,
			  u64 base, int file, int subdir, loff_t *n)
{
	for (int i = 1; i < nr; i++) {
		if (files[i].parent != file || (*n)++ < ctx->pos)
			continue;
		if (ctx->actor(ctx, files[i].name, (int)strlen(files[i].name), base | (u64)i,
			       i == subdir ? DT_DIR : DT_REG))
			return;
		ctx->pos = *n;
	}
}

static struct inode *sysfs_lookup(struct inode *dir, const char *name, int len)
{
	struct block_device *b;
	struct netdevice *nd;
	size_t i;
	int file;

	if (dir->i_ino & SYSFS_NET_BIT) {
		nd = ino_net(dir->i_ino, &file);
		if (nd == NULL)
			return ERR_PTR(-ENOENT);
		return files_lookup(dir->i_sb, net_files, NF_NR, net_ino(nd, 0), file, name, len);
	}
	if (dir->i_ino - 1 == SYSFS_CLASS_NET) {
		list_for_each_entry(nd, &netdev_list, link)
			if (name_eq(nd->name, name, len))
				return iget(dir->i_sb, net_ino(nd, NF_DIR));
		return ERR_PTR(-ENOENT);
	}
	if (dir->i_ino & SYSFS_DISK_BIT) {
		b = ino_disk(dir->i_ino, &file);
		if (b == NULL)
			return ERR_PTR(-ENOENT);
		return files_lookup(dir->i_sb, disk_files, DF_NR, disk_ino(b->dev, 0), file, name, len);
	}
	if (dir->i_ino - 1 == SYSFS_BLOCK) {
		list_for_each_entry(b, &all_blkdevs, list)
			if (name_eq(b->name, name, len))
				return iget(dir->i_sb, disk_ino(b->dev, DF_DIR));
		return ERR_PTR(-ENOENT);
	}
	if (dir->i_ino - 1 == SYSFS_DEV_BLOCK) {
		char mm[24];

		list_for_each_entry(b, &all_blkdevs, list) {
			ksnprintf(mm, sizeof(mm), "%u:%u", MAJOR(b->dev), MINOR(b->dev));
			if (name_eq(mm, name, len))
				return iget(dir->i_sb, disk_ino(b->dev, DF_LINK));
		}
		return ERR_PTR(-ENOENT);
	}
	for (i = 1; i < ARRAY_SIZE(nodes); i++)
		if (nodes[i].parent == (int)dir->i_ino - 1 && name_eq(nodes[i].name, name, len))
			return iget(dir->i_sb, i + 1);
	return ERR_PTR(-ENOENT);
}

/* "." and "..", then the entries; ctx->pos counts them. */
static int sysfs_iterate(struct file *f, struct dir_context *ctx)
{
	struct inode *dir = f->f_inode;
	struct block_device *b;
	struct netdevice *nd;
	loff_t n = 2;
	size_t i;
	int file;

	if (ctx->pos == 0 && ctx->actor(ctx, ".", 1, dir->i_ino, DT_DIR))
		return 0;
	if (ctx->pos == 0)
		ctx->pos = 1;
	if (ctx->pos == 1 && ctx->actor(ctx, "..", 2, dir->i_ino, DT_DIR))
		return 0;
	if (ctx->pos == 1)
		ctx->pos = 2;
	if (dir->i_ino & SYSFS_NET_BIT) {
		nd = ino_net(dir->i_ino, &file);
		if (nd != NULL)
			files_iterate(ctx, net_files, NF_NR, net_ino(nd, 0), file, NF_STATS, &n);
	} else if (dir->i_ino - 1 == SYSFS_CLASS_NET) {
		list_for_each_entry(nd, &netdev_list, link) {
			if (n++ < ctx->pos)
				continue;
			if (ctx->actor(ctx, nd->name, (int)strlen(nd->name), net_ino(nd, NF_DIR),
				       DT_DIR))
				return 0;
			ctx->pos = n;
		}
	} else if (dir->i_ino & SYSFS_DISK_BIT) {
		b = ino_disk(dir->i_ino, &file);
		if (b != NULL)
			files_iterate(ctx, disk_files, DF_NR, disk_ino(b->dev, 0), file, DF_QUEUE, &n);
	} else if (dir->i_ino - 1 == SYSFS_DEV_BLOCK) {
		char mm[24];

		list_for_each_entry(b, &all_blkdevs, list) {
			if (n++ < ctx->pos)
				continue;
			ksnprintf(mm, sizeof(mm), "%u:%u", MAJOR(b->dev), MINOR(b->dev));
			if (ctx->actor(ctx, mm, (int)strlen(mm), disk_ino(b->dev, DF_LINK), DT_LNK))
				return 0;
			ctx->pos = n;
		}
	} else if (dir->i_ino - 1 == SYSFS_BLOCK) {
		list_for_each_entry(b, &all_blkdevs, list) {
			if (n++ < ctx->pos)
				continue;
			if (ctx->actor(ctx, b->name, (int)strlen(b->name), disk_ino(b->dev, DF_DIR),
				       DT_DIR))
				return 0;
			ctx->pos = n;
		}
	} else {
		for (i = 1; i < ARRAY_SIZE(nodes); i++) {
			if (nodes[i].parent != (int)dir->i_ino - 1 || n++ < ctx->pos)
				continue;
			if (ctx->actor(ctx, nodes[i].name, (int)strlen(nodes[i].name), i + 1,
				       nodes[i].dir ? DT_DIR : DT_REG))
				return 0;
			ctx->pos = n;
		}
	}
	return 0;
}

/* A disk file's text into buf. */
static void disk_text(struct block_device *b, int file, char *buf)
{
	switch (file) {
	case DF_SIZE:
		ksnprintf(buf, SYSFS_BUF, "%llu\n", (unsigned long long)(b->size / 512));
		break;
	case DF_DEV:
		ksnprintf(buf, SYSFS_BUF, "%u:%u\n", MAJOR(b->dev), MINOR(b->dev));
		break;
	case DF_RO:
		ksnprintf(buf, SYSFS_BUF, "%d\n", b->read_only ? 1 : 0);
		break;
	case DF_LBS: case DF_PBS: case DF_HWSS:
		ksnprintf(buf, SYSFS_BUF, "512\n");
		break;
	case DF_ROT:
		ksnprintf(buf, SYSFS_BUF, "1\n");	/* a file on the host: treat it as a disk */
		break;
	case DF_MAXKB:
		ksnprintf(buf, SYSFS_BUF, "1280\n");
		break;
	case DF_RAKB:
		ksnprintf(buf, SYSFS_BUF, "%u\n", b->ra_kb);
		break;
	case DF_DGRAN:		/* what fstrim and lsblk -D read; 0: no discard (COW) */
		ksnprintf(buf, SYSFS_BUF, "%u\n", b->discard_granularity);
		break;
	case DF_DMAX: case DF_DMAXHW:
		ksnprintf(buf, SYSFS_BUF, "%llu\n", (unsigned long long)b->discard_max);
		break;
	case DF_DZERO: case DF_DALIGN:	/* always 0 since Linux 4.12; no offset */
		ksnprintf(buf, SYSFS_BUF, "0\n");
		break;
	case DF_STAT: {		/* Linux's part_stat_show: 17 fields of width 8 */
		u64 f[BLK_STAT_FIELDS];
		size_t n = 0;

		blk_stat_fields(b, f);
		for (int i = 0; i < BLK_STAT_FIELDS; i++)
			n += (size_t)ksnprintf(buf + n, SYSFS_BUF - n, "%8llu%s",
					       (unsigned long long)f[i],
					       i + 1 < BLK_STAT_FIELDS ? " " : "\n");
		break;
	}
	case DF_UEVENT:		/* what busybox mdev -s names the node from */
		ksnprintf(buf, SYSFS_BUF, "MAJOR=%u\nMINOR=%u\nDEVNAME=%s\nDEVTYPE=disk\n",
			  MAJOR(b->dev), MINOR(b->dev), b->name);
		break;
	case DF_INFLIGHT:	/* reads and writes in flight now */
		ksnprintf(buf, SYSFS_BUF, "%8llu %8llu\n",
			  (unsigned long long)b->stats.op_in_flight[BIO_READ],
			  (unsigned long long)b->stats.op_in_flight[BIO_WRITE]);
		break;
	default:			/* removable */
		ksnprintf(buf, SYSFS_BUF, "0\n");
		break;
	}
}

/*
 * A network device's file's text into buf, as Linux's net-sysfs shows it:
 * flags are the device's own (IFF_RUNNING is the operational state, not a
 * flag), lo's operstate "unknown" (no carrier detection), carrier -EINVAL
 * while the device is down.
 */
static int net_text(struct netdevice *nd, int file, char *buf)
{
	bool lo = nd->flags & IFF_LOOPBACK, up = nd->flags & IFF_UP;
	const struct net_stats *st = &nd->stats;
	u64 v;

	switch (file) {
	case NF_ADDRESS:
	case NF_BROADCAST: {
		static const u8 zero[6], ones[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
		const u8 *a = file == NF_ADDRESS ? (lo ? zero : nd->addr) : (lo ? zero : ones);

		ksnprintf(buf, SYSFS_BUF, "%02x:%02x:%02x:%02x:%02x:%02x\n",
			  a[0], a[1], a[2], a[3], a[4], a[5]);
		return 0;
	}
	case NF_OPERSTATE:
		ksnprintf(buf, SYSFS_BUF, "%s\n", lo ? "unknown" :
			  up && (nd->flags & IFF_RUNNING) ? "up" : "down");
		return 0;
	case NF_CARRIER:
		if (!up)
			return -EINVAL;
		v = (nd->flags & IFF_RUNNING) ? 1 : 0;
		break;
	case NF_ADDR_LEN: v = 6; break;
	case NF_MTU: v = nd->mtu; break;
	case NF_FLAGS:
		ksnprintf(buf, SYSFS_BUF, "0x%x\n", nd->flags & ~(unsigned)IFF_RUNNING);
		return 0;
	case NF_IFINDEX: case NF_IFLINK: v = (u64)nd->ifindex; break;
	case NF_TYPE: v = lo ? 772 : 1; break;	/* ARPHRD_LOOPBACK, ARPHRD_ETHER */
	case NF_TXQLEN: v = 1000; break;		/* Linux's default queue length */
	case NF_RX_PACKETS: v = st->rx_packets; break;
	case NF_TX_PACKETS: v = st->tx_packets; break;
	case NF_RX_BYTES: v = st->rx_bytes; break;
	case NF_TX_BYTES: v = st->tx_bytes; break;
	case NF_RX_ERRORS: v = st->rx_errors; break;
	case NF_RX_DROPPED: v = st->rx_dropped; break;
	case NF_TX_DROPPED: v = st->tx_dropped; break;
	default: v = 0; break;			/* tx_errors: a send either goes or is dropped */
	}
	ksnprintf(buf, SYSFS_BUF, "%llu\n", (unsigned long long)v);
	return 0;
}

/* Renders the file's text now; reads serve it. */
static int sysfs_open(struct inode *inode, struct file *f)
{
	char *buf = kzalloc(SYSFS_BUF);
	int file;

	if (buf == NULL)
		return -ENOMEM;
	if ((f->f_mode & FMODE_WRITE) && !sysfs_writable(inode->i_ino)) {
		kfree(buf);	/* no store: Linux's kernfs fails the open */
		return -EACCES;
	}
	if (inode->i_ino & SYSFS_NET_BIT) {
		struct netdevice *nd = ino_net(inode->i_ino, &file);
		int err = nd == NULL ? -ENOENT : net_text(nd, file, buf);

		if (err == -EINVAL) {
			kfree(buf);	/* read() gives the error, as Linux's */
			buf = NULL;
		} else if (err) {
			kfree(buf);
			return err;
		}
	} else if (inode->i_ino & SYSFS_DISK_BIT) {
		struct block_device *b = ino_disk(inode->i_ino, &file);

		if (b == NULL) {
			kfree(buf);
			return -ENOENT;
		}
		disk_text(b, file, buf);
	} else {
		kstrlcpy(buf, nodes[inode->i_ino - 1].text, SYSFS_BUF);
	}
	f->private_data = buf;
	return 0;
}

static void sysfs_release(struct inode *inode, struct file *f)
{
	kfree(f->private_data);
}

static ssize_t sysfs_read(struct file *f, struct uio *u, loff_t *pos)
{
	const char *text = f->private_data;
	size_t len, n;

	if (text == NULL)
		return -EINVAL;		/* a down device's carrier */
	len = strlen(text);
	if (*pos < 0)
		return -EINVAL;
	if ((u64)*pos >= len)
		return 0;
	n = min(len - (size_t)*pos, u->len - u->done);
	if (uio_copy_out(u, text + *pos, n) < 0)
		return -EFAULT;
	*pos += (loff_t)n;
	return (ssize_t)n;
}

/*
 * A write to read_ahead_kb, as Linux's queue_ra_store: a decimal number
 * (a newline may end it) of KiB, kept in whole pages (what reads show
 * back), -EINVAL for anything else or past UINT_MAX.  Each write(2) is
 * one value.
 */
static ssize_t sysfs_write(struct file *f, struct uio *u, loff_t *pos)
{
	struct block_device *b;
	unsigned long long v;
	char text[32];
	size_t n = u->len - u->done;
	int file;

	b = ino_disk(f->f_inode->i_ino, &file);
	if (b == NULL || file != DF_RAKB)
		return -ENOENT;
	if (n == 0)
		return 0;
	if (n >= sizeof(text))
		return -EINVAL;
	if (uio_copy_in(u, text, n) < 0)
		return -EFAULT;
	text[n] = '\0';
	if (text[n - 1] == '\n')
		text[n - 1] = '\0';
	if (kstrtou64(text, 10, &v) < 0 || v > 0xffffffffULL)
		return -EINVAL;
	b->ra_kb = (u32)(v / (PAGE_SIZE / 1024) * (PAGE_SIZE / 1024));
	*pos += (loff_t)n;
	return (ssize_t)n;
}

/* O_TRUNC (`echo 0 >read_ahead_kb`) is accepted and ignored, as by
 * Linux's kernfs; the rest is kept in memory. */
static int sysfs_file_setattr(struct inode *inode, struct iattr *attr)
{
	attr->valid &= ~(unsigned)ATTR_SIZE;
	setattr_copy(inode, attr);
	return 0;
}

static const struct inode_operations sysfs_file_iops = {
	.setattr = sysfs_file_setattr,
};

static const struct inode_operations sysfs_dir_iops = {
	.lookup = sysfs_lookup,
};

/* /sys/dev/block/MAJ:MIN: relative to /sys/block/NAME, as Linux's point into /sys/devices. */
static int sysfs_readlink(struct inode *inode, char *buf, int size)
{
	char text[64];
	int file, n;
	struct block_device *b = ino_disk(inode->i_ino, &file);

	if (b == NULL || file != DF_LINK)
		return -ENOENT;
	n = ksnprintf(text, sizeof(text), "../../block/%s", b->name);
	if (n > size)
		n = size;
	memcpy(buf, text, (size_t)n);
	return n;
}

static const struct inode_operations sysfs_link_iops = {
	.readlink = sysfs_readlink,
};

static const struct file_operations sysfs_dir_fops = {
	.iterate = sysfs_iterate,
};

static const struct file_operations sysfs_file_fops = {
	.open = sysfs_open,
	.release = sysfs_release,
	.read = sysfs_read,
	.write = sysfs_write,
	.llseek = generic_file_llseek,
};

static const struct super_operations sysfs_sops = {
	.read_inode = sysfs_read_inode,
};

static int sysfs_fill_super(struct super_block *sb, const char *data, bool silent)
{
	struct inode *root;

	sb->s_magic = SYSFS_MAGIC;
	sb->s_blocksize = PAGE_SIZE;
	sb->s_op = &sysfs_sops;
	root = iget(sb, 1);
	if (IS_ERR(root))
		return (int)PTR_ERR(root);
	sb->s_root = root;
	return 0;
}

static struct file_system_type sysfs_type = {
	.name = "sysfs",
	.requires_dev = false,
	.fill_super = sysfs_fill_super,
};

/* Registers the "sysfs" filesystem type. */
void sysfs_init(void)
{
	register_filesystem(&sysfs_type);
}
