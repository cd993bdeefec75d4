/*
 * ramfs.c - in-memory filesystems: ramfs, tmpfs and devtmpfs.
 *
 * Everything lives in the inode cache: a linked inode with no references
 * stays cached (fs/inode.c), so the inodes themselves are the filesystem.
 * Each inode's i_private is a struct ramfs_inode: a directory keeps a
 * list of named entries (each pointing at an inode, counted by i_nlink),
 * a regular file a two-level table of kmalloc'd pages (holes are NULL),
 * a symlink its target.  Device nodes and FIFOs get def_chr_fops and
 * def_fifo_fops.
 *
 * devtmpfs is one instance made at boot by ramfs_init(), so drivers can
 * add nodes before any root exists; every devtmpfs mount shows it.
 *
 * tmpfs takes Linux's options: size= (bytes with k/m/g/t suffixes or a
 * percentage of RAM), nr_blocks=, nr_inodes=, mode=, uid=, gid=; by
 * default half of RAM in pages and as many inodes, as Linux.  Data pages
 * past the size and inodes past nr_inodes are ENOSPC; remount changes
 * the two limits (never below what is in use, never for an unlimited
 * instance) and ignores mode/uid/gid, as Linux 6.x does.  ramfs and the
 * kernel's private instance (memfd, System V shm) have no limits.
 * A per-superblock kmutex serialises file data, whose copies may sleep.
 */
#include "kernel/kernel.h"
#include "kernel/fs.h"
#include "kernel/init.h"
#include "kernel/blkdev.h"
#include "kernel/page.h"
#include "kernel/sched.h"
#include "kernel/xattr.h"

#define RAMFS_MAGIC	0x858458f6
#define TMPFS_MAGIC	0x01021994
#define BOGO_DIRENT	20		/* tmpfs's directory size per entry */
#define RAMFS_LEAF	(PAGE_SIZE / sizeof(void *))
#define RAMFS_TOP_MAX	4096u
#define RAMFS_MAX_PAGES	((u64)RAMFS_TOP_MAX * RAMFS_LEAF)
#define RAMFS_MAX_SIZE	(RAMFS_MAX_PAGES * PAGE_SIZE)	/* 8 GiB */

struct ramfs_dirent {
	struct list_head list;
	struct inode *inode;		/* counted by inode->i_nlink */
	u64 id;				/* readdir cookie, increasing in list order */
	int len;
	char name[];
};

struct ramfs_inode {
	struct list_head entries;	/* directory: struct ramfs_dirent */
	u64 next_id;
	struct inode *parent;		/* directory: for "..", not a reference */
	u8 ***top;			/* regular file: top[i][j] is a page */
	u32 ntop;
	char *target;			/* symlink */
	struct simple_xattrs xattrs;	/* tmpfs, devtmpfs: fs/simple_xattr.c */
};

struct ramfs_sb {
	u64 next_ino;
	u64 pages;			/* data pages in use */
	u64 inodes;			/* inodes alive, the root included */
	u64 max_pages, max_inodes;	/* tmpfs's size= and nr_inodes=; 0: none */
	/* What the mount asked for, for /proc/mounts (Linux shows these). */
	umode_t mode;
	uid_t uid;
	gid_t gid;
	bool is_tmpfs;
	struct kmutex lock;		/* file data */
};

static const struct inode_operations ramfs_dir_iops, ramfs_file_iops;
static const struct file_operations ramfs_dir_fops, ramfs_file_fops;
static struct super_block devtmpfs_sb;
static bool devtmpfs_ready;

static struct ramfs_inode *RI(struct inode *inode)
{
	return inode->i_private;
}

static struct ramfs_sb *RSB(struct super_block *sb)
{
	return sb->s_fs_info;
}

/* ---- inodes ---- */

static void ramfs_set_fops(struct inode *inode)
{
	switch (inode->i_mode & S_IFMT) {
	case S_IFDIR:
		inode->i_op = &ramfs_dir_iops;
		inode->i_fop = &ramfs_dir_fops;
		break;
	case S_IFREG:
		inode->i_op = &ramfs_file_iops;
		inode->i_fop = &ramfs_file_fops;
		break;
	case S_IFCHR:
		inode->i_op = &ramfs_file_iops;
		inode->i_fop = &def_chr_fops;
		break;
	case S_IFBLK:
		inode->i_op = &ramfs_file_iops;
		inode->i_fop = &def_blk_fops;
		break;
	case S_IFIFO:
		inode->i_op = &ramfs_file_iops;
		inode->i_fop = &def_fifo_fops;
		break;
	default:		/* symlinks, sockets */
		inode->i_op = &ramfs_file_iops;
		break;
	}
}

/* A new inode of sb with one reference, in the cache; ERR_PTR(-ENOSPC)
 * past nr_inodes, ERR_PTR(-ENOMEM). */
static struct inode *ramfs_new_inode(struct super_block *sb, struct inode *dir,
				     umode_t mode, dev_t rdev)
{
	struct ramfs_sb *sbi = RSB(sb);
	struct inode *inode;
	struct ramfs_inode *ri;

	if (sbi->max_inodes && sbi->inodes >= sbi->max_inodes)
		return ERR_PTR(-ENOSPC);
	inode = new_inode(sb);
	ri = kzalloc(sizeof(*ri));
	if (inode == NULL || ri == NULL) {
		kfree(inode);
		kfree(ri);
		return ERR_PTR(-ENOMEM);
	}
	sbi->inodes++;
	INIT_LIST_HEAD(&ri->entries);
	inode->i_private = ri;
	inode->i_ino = ++RSB(sb)->next_ino;
	inode->i_mode = mode;
	inode->i_rdev = rdev;
	inode->i_nlink = S_ISDIR(mode) ? 2 : 1;
	inode->i_uid = current ? current->euid : 0;
	inode->i_gid = current ? current->egid : 0;
	if (dir != NULL && (dir->i_mode & S_ISGID)) {
		inode->i_gid = dir->i_gid;
		if (S_ISDIR(mode))
			inode->i_mode |= S_ISGID;
	}
	if (S_ISDIR(mode)) {
		inode->i_size = 2 * BOGO_DIRENT;
		ri->parent = dir ? dir : inode;
	}
	inode->i_atime = inode->i_mtime = inode->i_ctime = current_time();
	ramfs_set_fops(inode);
	inode_insert(inode);
	if (sb == &devtmpfs_sb)
		live_kernel.inodes++;	/* the one instance lives as long as the kernel */
	return inode;
}

/* Data pages of every mount: [0] ramfs and devtmpfs, [1] tmpfs (and memfd). */
static u64 ramfs_all_pages[2];

/* Counts n more (or fewer) data pages on sb. */
static void ramfs_count_pages(struct super_block *sb, long n)
{
	RSB(sb)->pages += (u64)n;
	ramfs_all_pages[RSB(sb)->is_tmpfs] += (u64)n;
}

/* /proc/meminfo: tmpfs pages (Shmem, in Cached too) and ramfs pages (Cached). */
void ramfs_page_stats(u64 *shmem, u64 *ramfs)
{
	*shmem = ramfs_all_pages[1];
	*ramfs = ramfs_all_pages[0];
}

/* Frees a regular file's pages from page index first on. */
static void ramfs_free_pages(struct inode *inode, u64 first)
{
	struct ramfs_inode *ri = RI(inode);
	u64 i, j;

	for (i = first / RAMFS_LEAF; i < ri->ntop; i++) {
		if (ri->top[i] == NULL)
			continue;
		for (j = (i == first / RAMFS_LEAF) ? first % RAMFS_LEAF : 0; j < RAMFS_LEAF; j++) {
			if (ri->top[i][j] == NULL)
				continue;
			kfree(ri->top[i][j]);
			ri->top[i][j] = NULL;
			ramfs_count_pages(inode->i_sb, -1);
			inode->i_blocks -= PAGE_SIZE / 512;
		}
		if (i * RAMFS_LEAF >= first) {
			kfree(ri->top[i]);
			ri->top[i] = NULL;
		}
	}
}

static void ramfs_evict_inode(struct inode *inode)
{
	struct ramfs_inode *ri = RI(inode);
	struct ramfs_dirent *de, *tmp;

	if (ri == NULL)
		return;
	if (inode->i_sb->s_fs_info != NULL)
		RSB(inode->i_sb)->inodes--;
	if (inode->i_sb == &devtmpfs_sb)
		live_kernel.inodes--;
	if (S_ISREG(inode->i_mode) && ri->top != NULL) {
		ramfs_free_pages(inode, 0);
		kfree(ri->top);
	}
	list_for_each_entry_safe(de, tmp, &ri->entries, list)
		kfree(de);
	kfree(ri->target);
	simple_xattrs_free(&ri->xattrs);
	kfree(ri);
	inode->i_private = NULL;
}

static int ramfs_read_inode(struct inode *inode)
{
	return -ESTALE;		/* every live inode is in the cache */
}

/* ---- directory entries ---- */

static struct ramfs_dirent *dir_find(struct inode *dir, const char *name, int len)
{
	struct ramfs_dirent *de;

	list_for_each_entry(de, &RI(dir)->entries, list)
		if (de->len == len && memcmp(de->name, name, len) == 0)
			return de;
	return NULL;
}

static struct ramfs_dirent *dirent_alloc(const char *name, int len)
{
	struct ramfs_dirent *de;

	if (len <= 0 || len > NAME_MAX)
		return NULL;
	de = kmalloc(sizeof(*de) + len + 1);
	if (de == NULL)
		return NULL;
	memcpy(de->name, name, len);
	de->name[len] = '\0';
	de->len = len;
	return de;
}

static void dir_touch(struct inode *dir)
{
	dir->i_mtime = dir->i_ctime = current_time();
}

/* Links de (naming inode) into dir; cannot fail. */
static void dir_insert(struct inode *dir, struct ramfs_dirent *de, struct inode *inode)
{
	de->inode = inode;
	de->id = RI(dir)->next_id++;
	list_add_tail(&de->list, &RI(dir)->entries);
	dir->i_size += BOGO_DIRENT;
	dir_touch(dir);
}

static void dir_remove(struct inode *dir, struct ramfs_dirent *de)
{
	list_del(&de->list);
	kfree(de);
	dir->i_size -= BOGO_DIRENT;
	dir_touch(dir);
}

static struct inode *ramfs_lookup(struct inode *dir, const char *name, int len)
{
	struct ramfs_dirent *de = dir_find(dir, name, len);

	if (de == NULL)
		return ERR_PTR(-ENOENT);
	ihold(de->inode);
	return de->inode;
}

/* Makes a new inode of mode named name in dir: a reference or ERR_PTR. */
static struct inode *ramfs_make(struct inode *dir, const char *name, int len,
				umode_t mode, dev_t rdev)
{
	struct ramfs_dirent *de;
	struct inode *inode;

	if (len > NAME_MAX)
		return ERR_PTR(-ENAMETOOLONG);
	if (dir_find(dir, name, len))
		return ERR_PTR(-EEXIST);
	de = dirent_alloc(name, len);
	if (de == NULL)
		return ERR_PTR(-ENOMEM);
	inode = ramfs_new_inode(dir->i_sb, dir, mode, rdev);
	if (IS_ERR(inode)) {
		kfree(de);
		return inode;
	}
	dir_insert(dir, de, inode);
	if (S_ISDIR(mode))
		dir->i_nlink++;
	return inode;
}

static struct inode *ramfs_create(struct inode *dir, const char *name, int len, umode_t mode)
{
	return ramfs_make(dir, name, len, (mode & ~S_IFMT) | S_IFREG, 0);
}

/* O_TMPFILE: a regular inode in no directory, with no link. */
static struct inode *ramfs_tmpfile(struct inode *dir, umode_t mode)
{
	struct inode *inode = ramfs_new_inode(dir->i_sb, dir, (mode & ~S_IFMT) | S_IFREG, 0);

	if (IS_ERR(inode))
		return inode;
	inode->i_nlink = 0;
	return inode;
}

static struct inode *ramfs_mkdir(struct inode *dir, const char *name, int len, umode_t mode)
{
	return ramfs_make(dir, name, len, (mode & ~S_IFMT) | S_IFDIR, 0);
}

static struct inode *ramfs_mknod(struct inode *dir, const char *name, int len,
				 umode_t mode, dev_t rdev)
{
	switch (mode & S_IFMT) {
	case 0:
		mode |= S_IFREG;
		break;
	case S_IFREG:
	case S_IFCHR:
	case S_IFBLK:
	case S_IFIFO:
	case S_IFSOCK:
		break;
	default:
		return ERR_PTR(-EINVAL);
	}
	return ramfs_make(dir, name, len, mode, S_ISCHR(mode) || S_ISBLK(mode) ? rdev : 0);
}

static struct inode *ramfs_symlink(struct inode *dir, const char *name, int len,
				   const char *target)
{
	size_t tlen = strlen(target);
	char *copy;
	struct inode *inode;

	if (tlen == 0 || tlen >= PATH_MAX)
		return ERR_PTR(tlen ? -ENAMETOOLONG : -ENOENT);
	copy = kmalloc(tlen + 1);
	if (copy == NULL)
		return ERR_PTR(-ENOMEM);
	memcpy(copy, target, tlen + 1);
	inode = ramfs_make(dir, name, len, S_IFLNK | 0777, 0);
	if (IS_ERR(inode)) {
		kfree(copy);
		return inode;
	}
	RI(inode)->target = copy;
	inode->i_size = tlen;
	return inode;
}

static int ramfs_link(struct inode *old, struct inode *dir, const char *name, int len)
{
	struct ramfs_dirent *de;

	if (len > NAME_MAX)
		return -ENAMETOOLONG;
	if (dir_find(dir, name, len))
		return -EEXIST;
	if (S_ISDIR(old->i_mode))
		return -EPERM;
	de = dirent_alloc(name, len);
	if (de == NULL)
		return -ENOMEM;
	dir_insert(dir, de, old);
	old->i_nlink++;
	old->i_ctime = current_time();
	return 0;
}

static int ramfs_unlink(struct inode *dir, const char *name, int len, struct inode *victim)
{
	struct ramfs_dirent *de = dir_find(dir, name, len);

	if (de == NULL)
		return -ENOENT;
	if (S_ISDIR(de->inode->i_mode))
		return -EISDIR;
	victim = de->inode;
	dir_remove(dir, de);
	victim->i_nlink--;
	victim->i_ctime = current_time();
	return 0;
}

static int ramfs_rmdir(struct inode *dir, const char *name, int len, struct inode *victim)
{
	struct ramfs_dirent *de = dir_find(dir, name, len);

	if (de == NULL)
		return -ENOENT;
	victim = de->inode;
	if (!S_ISDIR(victim->i_mode))
		return -ENOTDIR;
	if (!list_empty(&RI(victim)->entries))
		return -ENOTEMPTY;
	dir_remove(dir, de);
	victim->i_nlink = 0;
	victim->i_ctime = current_time();
	dir->i_nlink--;
	return 0;
}

/* Drops the entry ndir/de that a rename replaces. */
static void rename_drop_target(struct inode *ndir, struct ramfs_dirent *de)
{
	struct inode *victim = de->inode;

	dir_remove(ndir, de);
	if (S_ISDIR(victim->i_mode)) {
		victim->i_nlink = 0;
		ndir->i_nlink--;
	} else {
		victim->i_nlink--;
	}
	victim->i_ctime = current_time();
}

/* RENAME_EXCHANGE: the two entries swap inodes (both exist). */
static int ramfs_exchange(struct inode *odir, struct ramfs_dirent *ode, struct inode *ndir,
			  struct ramfs_dirent *nde)
{
	struct inode *src = ode->inode, *tgt = nde->inode;

	ode->inode = tgt;
	nde->inode = src;
	if (odir != ndir) {
		if (S_ISDIR(src->i_mode)) {
			RI(src)->parent = ndir;
			odir->i_nlink--;
			ndir->i_nlink++;
		}
		if (S_ISDIR(tgt->i_mode)) {
			RI(tgt)->parent = odir;
			ndir->i_nlink--;
			odir->i_nlink++;
		}
	}
	src->i_ctime = tgt->i_ctime = current_time();
	dir_touch(odir);
	dir_touch(ndir);
	return 0;
}

static int ramfs_rename(struct inode *odir, const char *oname, int olen,
			struct inode *ndir, const char *nname, int nlen, unsigned flags)
{
	struct ramfs_dirent *ode = dir_find(odir, oname, olen);
	struct ramfs_dirent *nde = dir_find(ndir, nname, nlen);
	struct ramfs_dirent *de;
	struct inode *inode, *wh = NULL;

	if (ode == NULL)
		return -ENOENT;
	inode = ode->inode;
	if (nde != NULL && nde->inode == inode)
		return 0;	/* rename(2): hard links to one file: no-op */
	if (flags & RENAME_EXCHANGE)
		return nde != NULL ? ramfs_exchange(odir, ode, ndir, nde) : -ENOENT;
	if (nde != NULL && S_ISDIR(nde->inode->i_mode) &&
	    !list_empty(&RI(nde->inode)->entries))
		return -ENOTEMPTY;
	de = dirent_alloc(nname, nlen);
	if (de == NULL)
		return nlen > NAME_MAX ? -ENAMETOOLONG : -ENOMEM;
	if (flags & RENAME_WHITEOUT) {
		wh = ramfs_new_inode(odir->i_sb, odir, S_IFCHR, 0);
		if (IS_ERR(wh)) {
			kfree(de);
			return (int)PTR_ERR(wh);
		}
	}
	/* Nothing fails from here on. */
	if (nde != NULL)
		rename_drop_target(ndir, nde);
	if (wh != NULL) {
		ode->inode = wh;	/* the old name now names the whiteout */
		dir_touch(odir);
		iput(wh);		/* the entry keeps it, as ramfs_make's do */
	} else {
		dir_remove(odir, ode);
	}
	dir_insert(ndir, de, inode);
	if (S_ISDIR(inode->i_mode) && odir != ndir) {
		odir->i_nlink--;
		ndir->i_nlink++;
		RI(inode)->parent = ndir;
	}
	inode->i_ctime = current_time();
	return 0;
}

static int ramfs_readlink(struct inode *inode, char *buf, int size)
{
	const char *t = RI(inode)->target;
	int len;

	if (!S_ISLNK(inode->i_mode) || t == NULL)
		return -EINVAL;
	len = (int)min(strlen(t), (size_t)size);
	memcpy(buf, t, len);
	return len;
}

/* ---- file data ---- */

/* The page at index idx, made (zeroed) if create; NULL for a hole or ENOMEM. */
static u8 *ramfs_page(struct inode *inode, u64 idx, bool create)
{
	struct ramfs_inode *ri = RI(inode);
	u64 t = idx / RAMFS_LEAF, l = idx % RAMFS_LEAF;
	u8 ***top;
	u32 n;

	if (t >= ri->ntop) {
		if (!create || t >= RAMFS_TOP_MAX)
			return NULL;
		for (n = ri->ntop ? ri->ntop : 8; n <= t; n *= 2)
			;
		n = min(n, RAMFS_TOP_MAX);
		top = kzalloc(n * sizeof(*top));
		if (top == NULL)
			return NULL;
		if (ri->ntop)
			memcpy(top, ri->top, ri->ntop * sizeof(*top));
		kfree(ri->top);
		ri->top = top;
		ri->ntop = n;
	}
	if (ri->top[t] == NULL) {
		if (!create)
			return NULL;
		ri->top[t] = kzalloc(PAGE_SIZE);
		if (ri->top[t] == NULL)
			return NULL;
	}
	if (ri->top[t][l] == NULL && create) {
		struct ramfs_sb *sbi = RSB(inode->i_sb);

		if (sbi->max_pages && sbi->pages >= sbi->max_pages)
			return NULL;	/* size=: the writer gets ENOSPC */
		ri->top[t][l] = kzalloc(PAGE_SIZE);
		if (ri->top[t][l] != NULL) {
			ramfs_count_pages(inode->i_sb, 1);
			inode->i_blocks += PAGE_SIZE / 512;
		}
	}
	return ri->top[t][l];
}

static ssize_t ramfs_do_read(struct inode *inode, struct uio *u, loff_t *pos)
{
	size_t start = u->done;
	u64 p = (u64)*pos, end;
	long err = 0;

	if (*pos < 0)
		return -EINVAL;
	if (p >= inode->i_size)
		return 0;
	end = min(inode->i_size, p + (u->len - u->done));
	while (p < end) {
		u64 off = p % PAGE_SIZE, n = min(PAGE_SIZE - off, end - p);
		u8 *page = ramfs_page(inode, p / PAGE_SIZE, false);

		err = page ? uio_copy_out(u, page + off, n) : uio_zero_out(u, n);
		if (err < 0)
			break;
		p += n;
	}
	*pos = (loff_t)p;
	if (u->done > start)
		return (ssize_t)(u->done - start);
	return err;
}

static ssize_t ramfs_read(struct file *f, struct uio *u, loff_t *pos)
{
	struct inode *inode = f->f_inode;
	struct ramfs_sb *sbi = RSB(inode->i_sb);
	ssize_t ret;

	kmutex_lock(&sbi->lock);
	ret = ramfs_do_read(inode, u, pos);
	kmutex_unlock(&sbi->lock);
	return ret;
}

static ssize_t ramfs_do_write(struct inode *inode, struct uio *u, loff_t *pos)
{
	size_t start = u->done;
	u64 p = (u64)*pos, end;
	long err = 0;

	if (*pos < 0)
		return -EINVAL;
	if (p >= RAMFS_MAX_SIZE)
		return -EFBIG;
	if (__builtin_add_overflow(p, (u64)(u->len - u->done), &end) || end > RAMFS_MAX_SIZE)
		end = RAMFS_MAX_SIZE;
	while (p < end) {
		u64 off = p % PAGE_SIZE, n = min(PAGE_SIZE - off, end - p);
		u8 *page = ramfs_page(inode, p / PAGE_SIZE, true);

		err = page ? uio_copy_in(u, page + off, n) : -ENOSPC;
		if (err < 0)
			break;
		p += n;
		if (p > inode->i_size)
			inode->i_size = p;
	}
	*pos = (loff_t)p;
	if (u->done == start)
		return err;
	inode->i_mtime = inode->i_ctime = current_time();
	return (ssize_t)(u->done - start);
}

static ssize_t ramfs_write(struct file *f, struct uio *u, loff_t *pos)
{
	struct inode *inode = f->f_inode;
	struct ramfs_sb *sbi = RSB(inode->i_sb);
	ssize_t ret;

	kmutex_lock(&sbi->lock);
	if (f->f_flags & O_APPEND)
		*pos = (loff_t)inode->i_size;
	ret = ramfs_do_write(inode, u, pos);
	kmutex_unlock(&sbi->lock);
	return ret;
}

/* Cuts or extends a regular file to size; the cut tail is zeroed. */
static int ramfs_truncate(struct inode *inode, u64 size)
{
	u64 keep = DIV_ROUND_UP(size, PAGE_SIZE);
	u8 *page;

	if (size > RAMFS_MAX_SIZE)
		return -EFBIG;
	if (size < inode->i_size) {
		if (RI(inode)->top != NULL)
			ramfs_free_pages(inode, keep);
		page = (size % PAGE_SIZE) ? ramfs_page(inode, size / PAGE_SIZE, false) : NULL;
		if (page != NULL)
			memset(page + size % PAGE_SIZE, 0, PAGE_SIZE - size % PAGE_SIZE);
	}
	inode->i_size = size;
	inode->i_mtime = current_time();
	return 0;
}

static int ramfs_setattr(struct inode *inode, struct iattr *attr)
{
	struct ramfs_sb *sbi = RSB(inode->i_sb);
	int err = 0;

	if (attr->valid & ATTR_SIZE) {
		if (!S_ISREG(inode->i_mode))
			return S_ISDIR(inode->i_mode) ? -EISDIR : -EINVAL;
		kmutex_lock(&sbi->lock);
		err = ramfs_truncate(inode, attr->size);
		kmutex_unlock(&sbi->lock);
		if (err)
			return err;
	}
	setattr_copy(inode, attr);
	return 0;
}

static int ramfs_fsync(struct file *f)
{
	return 0;
}

/* ---- readdir ---- */

static unsigned dtype_of(umode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFDIR:	return DT_DIR;
	case S_IFREG:	return DT_REG;
	case S_IFLNK:	return DT_LNK;
	case S_IFCHR:	return DT_CHR;
	case S_IFBLK:	return DT_BLK;
	case S_IFIFO:	return DT_FIFO;
	case S_IFSOCK:	return DT_SOCK;
	}
	return DT_UNKNOWN;
}

/*
 * Emits ".", ".." and the entries from ctx->pos on.  pos 0 and 1 are the
 * dots; pos n + 2 is the first entry whose id is at least n, so entries
 * removed meanwhile do not shift the others.
 */
static int ramfs_iterate(struct file *f, struct dir_context *ctx)
{
	struct inode *dir = f->f_inode;
	struct ramfs_dirent *de;

	if (ctx->pos == 0) {
		if (ctx->actor(ctx, ".", 1, dir->i_ino, DT_DIR))
			return 0;
		ctx->pos = 1;
	}
	if (ctx->pos == 1) {
		if (ctx->actor(ctx, "..", 2, RI(dir)->parent->i_ino, DT_DIR))
			return 0;
		ctx->pos = 2;
	}
	list_for_each_entry(de, &RI(dir)->entries, list) {
		if (de->id + 2 < (u64)ctx->pos)
			continue;
		if (ctx->actor(ctx, de->name, de->len, de->inode->i_ino,
			       dtype_of(de->inode->i_mode)))
			return 0;
		ctx->pos = (loff_t)de->id + 3;
	}
	return 0;
}

/* ---- superblocks ---- */

/* Linux's shmem_statfs: the limits and what is left of them; an
 * unlimited instance (ramfs) reports zeros, as Linux's ramfs. */
static int ramfs_statfs(struct super_block *sb, struct kstatfs *st)
{
	struct ramfs_sb *sbi = RSB(sb);

	memset(st, 0, sizeof(*st));
	st->f_type = sb->s_magic;
	st->f_bsize = PAGE_SIZE;
	st->f_frsize = PAGE_SIZE;
	st->f_namelen = NAME_MAX;
	if (sbi->max_pages) {
		st->f_blocks = sbi->max_pages;
		st->f_bfree = st->f_bavail = sbi->max_pages > sbi->pages ? sbi->max_pages - sbi->pages : 0;
	}
	if (sbi->max_inodes) {
		st->f_files = sbi->max_inodes;
		st->f_ffree = sbi->max_inodes > sbi->inodes ? sbi->max_inodes - sbi->inodes : 0;
	}
	return 0;
}

/*
 * Frees every inode of sb and its private data.  The tree is not in use
 * (unmount checked): the references left are the directory entries' own,
 * which go with it.
 */
static void ramfs_put_super(struct super_block *sb)
{
	struct inode *inode, *tmp;

	list_for_each_entry_safe(inode, tmp, &sb->inodes, i_hash) {
		list_del(&inode->i_hash);
		list_del(&inode->i_hnode);
		live.inodes--;
		ramfs_evict_inode(inode);
		posix_acl_forget(inode);
		kfree(inode);
	}
	kfree(sb->s_fs_info);
	sb->s_fs_info = NULL;
}

static int ramfs_remount(struct super_block *sb, const char *data);
static void ramfs_show_options(struct super_block *sb, char *buf, size_t size);

static const struct super_operations ramfs_sops = {
	.remount = ramfs_remount,
	.show_options = ramfs_show_options,
	.read_inode = ramfs_read_inode,
	.evict_inode = ramfs_evict_inode,
	.put_super = ramfs_put_super,
	.statfs = ramfs_statfs,
};

/* A mount of the shared devtmpfs instance: nothing of its own to free. */
static const struct super_operations devtmpfs_mnt_sops = {
	.read_inode = ramfs_read_inode,
	.evict_inode = ramfs_evict_inode,
	.statfs = ramfs_statfs,
};

/* What one mount or remount of tmpfs asked for. */
struct ramfs_opts {
	u64 pages, inodes;
	bool seen_pages, seen_inodes;
	umode_t mode;
	uid_t uid;
	gid_t gid;
};

/* A size with Linux's memparse suffixes (k m g t p e), or a percentage of
 * RAM for size=: the bytes into *out; -EINVAL if malformed. */
static int parse_size(const char *v, bool percent_ok, unsigned long long *out)
{
	static const char units[] = "kmgtpe";
	unsigned long long n = 0, mul = 1;
	const char *p = v;

	if (*p < '0' || *p > '9')
		return -EINVAL;
	for (; *p >= '0' && *p <= '9'; p++)
		if (__builtin_mul_overflow(n, 10, &n) || __builtin_add_overflow(n, (u64)(*p - '0'), &n))
			return -EINVAL;
	if (*p == '%' && percent_ok && p[1] == 0) {
		*out = nr_pages * PAGE_SIZE / 100 * min(n, (u64)0xffffffffULL);
		return 0;
	}
	if (*p != 0) {
		const char *u = strchr(units, *p | 0x20);

		if (u == NULL || p[1] != 0)
			return -EINVAL;
		for (long i = 0; i <= u - units; i++)
			mul <<= 10;
	}
	if (__builtin_mul_overflow(n, mul, out))
		return -EINVAL;
	return 0;
}

/* One option of tmpfs's: 0 or -EINVAL (unknown or malformed, as Linux). */
static int ramfs_opt(const char *opt, struct ramfs_opts *o)
{
	const char *eq = strchr(opt, '=');
	const char *v = eq ? eq + 1 : "";
	size_t klen = eq ? (size_t)(eq - opt) : strlen(opt);
	unsigned long long n;

#define KEY(k)	(klen == sizeof(k) - 1 && memcmp(opt, k, klen) == 0)
	if (KEY("size") || KEY("nr_blocks")) {
		if (parse_size(v, KEY("size"), &n) < 0)
			return -EINVAL;
		o->pages = KEY("size") ? DIV_ROUND_UP(n, PAGE_SIZE) : n;
		o->seen_pages = true;
	} else if (KEY("nr_inodes")) {
		if (parse_size(v, false, &n) < 0)
			return -EINVAL;
		o->inodes = n;
		o->seen_inodes = true;
	} else if (KEY("mode") && kstrtou64(v, 8, &n) == 0) {
		o->mode = (umode_t)(n & 07777);
	} else if (KEY("uid") && kstrtou64(v, 10, &n) == 0 && n < 0xffffffffULL) {
		o->uid = (uid_t)n;
	} else if (KEY("gid") && kstrtou64(v, 10, &n) == 0 && n < 0xffffffffULL) {
		o->gid = (gid_t)n;
	} else if (!(KEY("huge") || KEY("mpol") || KEY("inode32") || KEY("inode64") ||
		     KEY("noswap") || KEY("quota") || KEY("usrquota") || KEY("grpquota"))) {
		return -EINVAL;
	}
#undef KEY
	return 0;
}

/* Parses a comma-separated option string into o: 0 or -EINVAL. */
static int ramfs_parse(const char *data, struct ramfs_opts *o)
{
	char opt[64];
	const char *p = data, *e;
	size_t n;

	while (p != NULL && *p != '\0') {
		e = strchr(p, ',');
		n = e ? (size_t)(e - p) : strlen(p);
		if (n >= sizeof(opt))
			return -EINVAL;
		memcpy(opt, p, n);
		opt[n] = '\0';
		if (n > 0 && ramfs_opt(opt, o) < 0) {
			printk(KERN_ERR "tmpfs: Bad value or unknown parameter '%s'\n", opt);
			return -EINVAL;
		}
		p = e ? e + 1 : NULL;
	}
	return 0;
}

static int ramfs_fill(struct super_block *sb, const char *data, u64 magic, umode_t mode)
{
	struct ramfs_sb *sbi = kzalloc(sizeof(*sbi));
	struct ramfs_opts o = { .mode = mode };
	struct inode *root;
	int err;

	if (sbi == NULL)
		return -ENOMEM;
	if (magic == TMPFS_MAGIC) {
		o.pages = nr_pages / 2;		/* Linux's defaults: half of RAM */
		o.inodes = nr_pages / 2;
		err = ramfs_parse(data, &o);
		if (err < 0) {
			kfree(sbi);
			return err;
		}
	}
	kmutex_init(&sbi->lock);
	sbi->max_pages = o.pages;
	sbi->max_inodes = o.inodes;
	sbi->mode = o.mode;
	sbi->uid = o.uid;
	sbi->gid = o.gid;
	sbi->is_tmpfs = magic == TMPFS_MAGIC;
	sb->s_fs_info = sbi;
	sb->s_magic = magic;
	sb->s_blocksize = PAGE_SIZE;
	sb->s_op = &ramfs_sops;
	root = ramfs_new_inode(sb, NULL, S_IFDIR | o.mode, 0);
	if (IS_ERR(root)) {
		kfree(sbi);
		sb->s_fs_info = NULL;
		return (int)PTR_ERR(root);
	}
	root->i_uid = o.uid;
	root->i_gid = o.gid;
	sb->s_root = root;
	return 0;
}

/*
 * tmpfs remount: new size=/nr_inodes= limits, refused (EINVAL) below
 * what is in use or on an unlimited instance; mode/uid/gid ignored, as
 * Linux's shmem_reconfigure.  Validates everything before changing.
 */
static int ramfs_remount(struct super_block *sb, const char *data)
{
	struct ramfs_sb *sbi = RSB(sb);
	struct ramfs_opts o = { 0 };
	int err;

	if (!sbi->is_tmpfs)
		return 0;
	err = ramfs_parse(data, &o);
	if (err < 0)
		return err;
	if (o.seen_pages && o.pages && (!sbi->max_pages || o.pages < sbi->pages))
		return -EINVAL;
	if (o.seen_inodes && o.inodes && (!sbi->max_inodes || o.inodes < sbi->inodes))
		return -EINVAL;
	if (o.seen_pages)
		sbi->max_pages = o.pages;
	if (o.seen_inodes)
		sbi->max_inodes = o.inodes;
	return 0;
}

/* The options Linux's shmem_show_options adds to /proc/mounts: those that
 * differ from the defaults. */
static void ramfs_show_options(struct super_block *sb, char *buf, size_t size)
{
	struct ramfs_sb *sbi = RSB(sb);
	size_t n = strlen(buf);

	if (!sbi->is_tmpfs)
		return;
	if (sbi->max_pages != nr_pages / 2 && n < size)
		n += (size_t)ksnprintf(buf + n, size - n, ",size=%lluk",
				       (unsigned long long)(sbi->max_pages * (PAGE_SIZE / 1024)));
	if (sbi->max_inodes != nr_pages / 2 && n < size)
		n += (size_t)ksnprintf(buf + n, size - n, ",nr_inodes=%llu",
				       (unsigned long long)sbi->max_inodes);
	if (sbi->mode != 01777 && n < size)
		n += (size_t)ksnprintf(buf + n, size - n, ",mode=%03o", (unsigned)sbi->mode);
	if (sbi->uid != 0 && n < size)
		n += (size_t)ksnprintf(buf + n, size - n, ",uid=%u", (unsigned)sbi->uid);
	if (sbi->gid != 0 && n < size)
		ksnprintf(buf + n, size - n, ",gid=%u", (unsigned)sbi->gid);
}

/* The kernel's own tmpfs instance (memfd, System V shm): no limits, as
 * Linux's internal shm mount. */
void tmpfs_unlimit(struct super_block *sb)
{
	RSB(sb)->max_pages = 0;
	RSB(sb)->max_inodes = 0;
}

static int ramfs_fill_super(struct super_block *sb, const char *data, bool silent)
{
	return ramfs_fill(sb, data, RAMFS_MAGIC, 0755);
}

/* ---- extended attributes (tmpfs and devtmpfs; ramfs has none, as on Linux) ---- */

static int ramfs_xattr_get(struct inode *inode, int index, const char *name, void *buf,
			   size_t size)
{
	return simple_xattr_get(&RI(inode)->xattrs, index, name, buf, size);
}

static int ramfs_xattr_set(struct inode *inode, int index, const char *name,
			   const void *value, size_t size, int flags)
{
	return simple_xattr_set(&RI(inode)->xattrs, index, name, value, size, flags);
}

static int ramfs_xattr_list(struct inode *inode, xattr_list_fn fn, void *arg)
{
	return simple_xattr_list(&RI(inode)->xattrs, fn, arg);
}

static const struct xattr_operations tmpfs_xattr_ops = {
	.get = ramfs_xattr_get,
	.set = ramfs_xattr_set,
	.list = ramfs_xattr_list,
};

static int tmpfs_fill_super(struct super_block *sb, const char *data, bool silent)
{
	sb->s_xattr = &tmpfs_xattr_ops;
	return ramfs_fill(sb, data, TMPFS_MAGIC, 01777);
}

/* Every devtmpfs mount shows the one instance made at boot. */
static int devtmpfs_fill_super(struct super_block *sb, const char *data, bool silent)
{
	if (!devtmpfs_ready)
		return -ENODEV;
	if (devtmpfs_sb.s_dev == 0)
		devtmpfs_sb.s_dev = sb->s_dev;
	sb->s_fs_info = devtmpfs_sb.s_fs_info;
	sb->s_magic = devtmpfs_sb.s_magic;
	sb->s_blocksize = PAGE_SIZE;
	sb->s_op = &devtmpfs_mnt_sops;
	ihold(devtmpfs_sb.s_root);
	sb->s_root = devtmpfs_sb.s_root;
	return 0;
}

static struct file_system_type ramfs_type = {
	.name = "ramfs", .fill_super = ramfs_fill_super,
};
static struct file_system_type tmpfs_type = {
	.name = "tmpfs", .fill_super = tmpfs_fill_super,
};
static struct file_system_type devtmpfs_type = {
	.name = "devtmpfs", .fill_super = devtmpfs_fill_super, .single = true,
};

static const struct inode_operations ramfs_dir_iops = {
	.lookup = ramfs_lookup,
	.create = ramfs_create,
	.mkdir = ramfs_mkdir,
	.mknod = ramfs_mknod,
	.symlink = ramfs_symlink,
	.link = ramfs_link,
	.unlink = ramfs_unlink,
	.rmdir = ramfs_rmdir,
	.rename = ramfs_rename,
	.setattr = ramfs_setattr,
	.tmpfile = ramfs_tmpfile,
};

static const struct inode_operations ramfs_file_iops = {
	.readlink = ramfs_readlink,
	.setattr = ramfs_setattr,
};

static const struct file_operations ramfs_dir_fops = {
	.iterate = ramfs_iterate,
	.fsync = ramfs_fsync,
};

/* tmpfs as Linux's shmem: allocation and PUNCH_HOLE only. */
static long ramfs_fallocate(struct file *f, int mode, loff_t off, loff_t len)
{
	return generic_fallocate(f, mode, off, len, FALLOC_FL_PUNCH_HOLE);
}

static const struct file_operations ramfs_file_fops = {
	.fallocate = ramfs_fallocate,
	.read = ramfs_read,
	.write = ramfs_write,
	.fsync = ramfs_fsync,
};

/* ---- devtmpfs nodes ---- */

/* The directory for the path's parent, made as needed; *last is the name. */
static struct inode *devtmpfs_parent(const char *name, const char **last)
{
	struct inode *dir = devtmpfs_sb.s_root, *sub;
	struct ramfs_dirent *de;
	const char *slash;

	while ((slash = strchr(name, '/')) != NULL) {
		if (slash == name) {
			name++;
			continue;
		}
		de = dir_find(dir, name, (int)(slash - name));
		if (de != NULL) {
			if (!S_ISDIR(de->inode->i_mode))
				return ERR_PTR(-ENOTDIR);
			dir = de->inode;
		} else {
			sub = ramfs_mkdir(dir, name, (int)(slash - name), 0755);
			if (IS_ERR(sub))
				return sub;
			iput(sub);
			dir = sub;
		}
		name = slash + 1;
	}
	*last = name;
	return dir;
}

/* Makes /dev/<name> in devtmpfs: 0, -EEXIST, -ENODEV before boot set it up. */
int devtmpfs_create_node(const char *name, umode_t mode, dev_t dev)
{
	const char *last;
	struct inode *dir, *inode;

	if (!devtmpfs_ready)
		return -ENODEV;
	dir = devtmpfs_parent(name, &last);
	if (IS_ERR(dir))
		return (int)PTR_ERR(dir);
	if (*last == '\0')
		return -EINVAL;
	inode = ramfs_mknod(dir, last, (int)strlen(last), mode, dev);
	if (IS_ERR(inode))
		return (int)PTR_ERR(inode);
	inode->i_uid = 0;
	inode->i_gid = 0;
	iput(inode);
	return 0;
}

/* Makes the directory /dev/<name> in devtmpfs: 0 or -errno. */
static int devtmpfs_mkdir(const char *name)
{
	struct inode *inode = ramfs_mkdir(devtmpfs_sb.s_root, name, (int)strlen(name), 0755);

	if (IS_ERR(inode))
		return (int)PTR_ERR(inode);
	iput(inode);
	return 0;
}

static void devtmpfs_add_blkdevs(void)
{
	struct block_device *bdev;

	list_for_each_entry(bdev, &all_blkdevs, list)
		devtmpfs_create_node(bdev->name, S_IFBLK | 0660, bdev->dev);
}

static const struct {
	const char *name;
	umode_t mode;
	unsigned major, minor;
} devtmpfs_nodes[] = {
	{ "console", 0600, 5, 1 }, { "tty", 0666, 5, 0 }, { "ptmx", 0666, 5, 2 },
	{ "null", 0666, 1, 3 }, { "zero", 0666, 1, 5 }, { "full", 0666, 1, 7 },
	{ "random", 0666, 1, 8 }, { "urandom", 0666, 1, 9 }, { "kmsg", 0644, 1, 11 },
};

static int devtmpfs_setup(void)
{
	size_t i;
	int err;

	INIT_LIST_HEAD(&devtmpfs_sb.inodes);
	devtmpfs_sb.s_xattr = &tmpfs_xattr_ops;
	INIT_LIST_HEAD(&devtmpfs_sb.s_list);
	err = ramfs_fill(&devtmpfs_sb, NULL, TMPFS_MAGIC, 0755);
	if (err)
		return err;
	tmpfs_unlimit(&devtmpfs_sb);	/* /dev: device nodes, no size to show */
	RSB(&devtmpfs_sb)->is_tmpfs = false;
	devtmpfs_ready = true;
	for (i = 0; i < ARRAY_SIZE(devtmpfs_nodes); i++)
		devtmpfs_create_node(devtmpfs_nodes[i].name, S_IFCHR | devtmpfs_nodes[i].mode,
				     MKDEV(devtmpfs_nodes[i].major, devtmpfs_nodes[i].minor));
	devtmpfs_mkdir("pts");		/* where devpts is mounted */
	devtmpfs_add_blkdevs();
	return 0;
}

/* Mounts the devtmpfs instance on /dev of the root: 0 or -errno. May sleep. */
int devtmpfs_mount(void)
{
	if (!devtmpfs_ready)
		return -ENODEV;
	devtmpfs_add_blkdevs();		/* disks registered since setup */
	return vfs_mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
}

/* Registers ramfs, tmpfs and devtmpfs and makes the devtmpfs instance. */
void ramfs_init(void)
{
	int err;

	register_filesystem(&ramfs_type);
	register_filesystem(&tmpfs_type);
	register_filesystem(&devtmpfs_type);
	err = devtmpfs_setup();
	if (err)
		printk(KERN_ERR "devtmpfs: setup failed: %d\n", err);
}
