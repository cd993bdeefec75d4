/*
 * hostfs.c - a host directory as a filesystem, as UML's hostfs:
 *     mount -t hostfs none /mnt -o /host/dir
 * shows /host/dir (below the hostfs= prefix of the command line, "/" by
 * default) read-write, or read-only with -o ro.
 *
 * Each inode holds an O_PATH descriptor of its host object (i_private);
 * the host half (include/shared/hostfs.h) only ever opens one component
 * under such a descriptor with O_NOFOLLOW, so the guest's "..", symlinks
 * and renames are all resolved by the guest's VFS on its own dentries and
 * nothing outside the mounted directory can be named.  Host symlinks are
 * symlinks here.  Modes, owners and times are the host's, and the host
 * decides every access by the permissions ./linux runs with.  Inodes are
 * keyed by the host inode number; attributes are read again at each
 * lookup and open.  File data goes through a bounce buffer with
 * pread/pwrite on a descriptor reopened for each open file.
 */
#include "kernel/kernel.h"
#include "kernel/fs.h"
#include "kernel/init.h"
#include "kernel/mm.h"
#include "kernel/page.h"
#include "kernel/sched.h"
#include "shared/hostfs.h"

#define HOSTFS_SUPER_MAGIC	0x00c0ffee
#define HOSTFS_CHUNK		65536

struct hostfs_inode {
	int fd;			/* O_PATH on the host */
};

struct hostfs_sb {
	int pending_fd;		/* handed from hostfs_iget to read_inode */
	struct hostfs_stat pending_st;
};

static const struct inode_operations hostfs_dir_iops, hostfs_file_iops, hostfs_link_iops;
static const struct file_operations hostfs_dir_fops, hostfs_file_fops;
static const char *hostfs_prefix = "/";

static int HFD(struct inode *inode)
{
	return ((struct hostfs_inode *)inode->i_private)->fd;
}

static void hostfs_fill(struct inode *inode, const struct hostfs_stat *st)
{
	inode->i_mode = (umode_t)st->mode;
	inode->i_nlink = (u32)st->nlink;
	inode->i_uid = st->uid;
	inode->i_gid = st->gid;
	inode->i_size = st->size;
	inode->i_blocks = st->blocks;
	inode->i_rdev = MKDEV(st->rdev_major, st->rdev_minor);
	inode->i_atime = (struct ktimespec){ st->atime, st->atime_ns };
	inode->i_mtime = (struct ktimespec){ st->mtime, st->mtime_ns };
	inode->i_ctime = (struct ktimespec){ st->ctime, st->ctime_ns };
}

/* Reads the host's attributes again. */
static int hostfs_refresh(struct inode *inode)
{
	struct hostfs_stat st;
	int err = os_hostfs_stat(HFD(inode), &st);

	if (err == 0)
		hostfs_fill(inode, &st);
	return err;
}

static int hostfs_read_inode(struct inode *inode)
{
	struct hostfs_sb *sbi = inode->i_sb->s_fs_info;
	struct hostfs_inode *hi = kzalloc(sizeof(*hi));

	if (hi == NULL || sbi->pending_fd < 0) {
		kfree(hi);
		return hi == NULL ? -ENOMEM : -EIO;
	}
	hi->fd = sbi->pending_fd;
	sbi->pending_fd = -1;
	inode->i_private = hi;
	hostfs_fill(inode, &sbi->pending_st);
	if (S_ISDIR(inode->i_mode)) {
		inode->i_op = &hostfs_dir_iops;
		inode->i_fop = &hostfs_dir_fops;
	} else if (S_ISLNK(inode->i_mode)) {
		inode->i_op = &hostfs_link_iops;
	} else if (S_ISREG(inode->i_mode)) {
		inode->i_op = &hostfs_file_iops;
		inode->i_fop = &hostfs_file_fops;
	} else {
		inode->i_op = &hostfs_file_iops;
		inode->i_fop = S_ISFIFO(inode->i_mode) ? &def_fifo_fops :
			       S_ISBLK(inode->i_mode) ? &def_blk_fops : &def_chr_fops;
	}
	return 0;
}

static void hostfs_evict_inode(struct inode *inode)
{
	struct hostfs_inode *hi = inode->i_private;

	if (hi == NULL)
		return;
	os_hostfs_close(hi->fd);
	kfree(hi);
	inode->i_private = NULL;
}

/* The inode for host descriptor fd (taken over): a reference or ERR_PTR. */
static struct inode *hostfs_iget(struct super_block *sb, int fd)
{
	struct hostfs_sb *sbi = sb->s_fs_info;
	struct hostfs_stat st;
	struct inode *inode;
	int err = os_hostfs_stat(fd, &st);

	if (err < 0) {
		os_hostfs_close(fd);
		return ERR_PTR(err);
	}
	/* read_inode runs without sleeping: nothing else can take pending_fd. */
	sbi->pending_fd = fd;
	sbi->pending_st = st;
	inode = iget(sb, st.ino);
	if (sbi->pending_fd >= 0) {		/* it was cached: refresh it */
		os_hostfs_close(sbi->pending_fd);
		sbi->pending_fd = -1;
		if (!IS_ERR(inode))
			hostfs_fill(inode, &st);
	}
	return inode;
}

/* A NUL-terminated copy of a component; 0 or -ENAMETOOLONG. */
static int cname(char buf[NAME_MAX + 1], const char *name, int len)
{
	if (len <= 0 || len > NAME_MAX)
		return -ENAMETOOLONG;
	memcpy(buf, name, (size_t)len);
	buf[len] = '\0';
	return 0;
}

static struct inode *hostfs_lookup(struct inode *dir, const char *name, int len)
{
	char n[NAME_MAX + 1];
	int fd, err = cname(n, name, len);

	if (err < 0)
		return ERR_PTR(err);
	fd = os_hostfs_lookup(HFD(dir), n);
	if (fd < 0)
		return ERR_PTR(fd == -ELOOP ? -EIO : fd);
	return hostfs_iget(dir->i_sb, fd);
}

/* After a host call made name in dir: its inode, or ERR_PTR. */
static struct inode *made(struct inode *dir, const char *name, int len, int err)
{
	if (err < 0)
		return ERR_PTR(err);
	hostfs_refresh(dir);
	return hostfs_lookup(dir, name, len);
}

static struct inode *hostfs_create(struct inode *dir, const char *name, int len, umode_t mode)
{
	char n[NAME_MAX + 1];
	int err = cname(n, name, len);

	return made(dir, name, len, err ? err : os_hostfs_create(HFD(dir), n, mode));
}

static struct inode *hostfs_mkdir(struct inode *dir, const char *name, int len, umode_t mode)
{
	char n[NAME_MAX + 1];
	int err = cname(n, name, len);

	return made(dir, name, len, err ? err : os_hostfs_mkdir(HFD(dir), n, mode));
}

static struct inode *hostfs_mknod(struct inode *dir, const char *name, int len, umode_t mode,
				  dev_t rdev)
{
	char n[NAME_MAX + 1];
	int err = cname(n, name, len);

	return made(dir, name, len, err ? err : os_hostfs_mknod(HFD(dir), n, mode, MAJOR(rdev),
								 MINOR(rdev)));
}

static struct inode *hostfs_symlink(struct inode *dir, const char *name, int len,
				    const char *target)
{
	char n[NAME_MAX + 1];
	int err = cname(n, name, len);

	return made(dir, name, len, err ? err : os_hostfs_symlink(HFD(dir), n, target));
}

static int hostfs_link(struct inode *old, struct inode *dir, const char *name, int len)
{
	char n[NAME_MAX + 1];
	int err = cname(n, name, len);

	if (err == 0)
		err = os_hostfs_link(HFD(old), HFD(dir), n);
	if (err == 0) {
		hostfs_refresh(old);
		hostfs_refresh(dir);
	}
	return err;
}

static int hostfs_remove(struct inode *dir, const char *name, int len, struct inode *victim,
			 int isdir)
{
	char n[NAME_MAX + 1];
	int err = cname(n, name, len);

	if (err == 0)
		err = os_hostfs_unlink(HFD(dir), n, isdir);
	if (err == 0) {
		hostfs_refresh(dir);
		if (hostfs_refresh(victim) < 0 || isdir)
			victim->i_nlink = 0;
	}
	return err;
}

static int hostfs_unlink(struct inode *dir, const char *name, int len, struct inode *victim)
{
	return hostfs_remove(dir, name, len, victim, 0);
}

static int hostfs_rmdir(struct inode *dir, const char *name, int len, struct inode *victim)
{
	return hostfs_remove(dir, name, len, victim, 1);
}

static int hostfs_rename(struct inode *odir, const char *oname, int olen, struct inode *ndir,
			 const char *nname, int nlen, unsigned flags)
{
	char o[NAME_MAX + 1], n[NAME_MAX + 1];
	int err = cname(o, oname, olen);

	if (err == 0)
		err = cname(n, nname, nlen);
	if (err == 0)
		err = os_hostfs_rename(HFD(odir), o, HFD(ndir), n, flags);
	if (err == 0) {
		hostfs_refresh(odir);
		hostfs_refresh(ndir);
	}
	return err;
}

static int hostfs_readlink(struct inode *inode, char *buf, int size)
{
	return os_hostfs_readlink(HFD(inode), buf, size);
}

static int hostfs_setattr(struct inode *inode, struct iattr *attr)
{
	unsigned what = 0;
	int err;

	if (attr->valid & ATTR_MODE)
		what |= HOSTFS_ATTR_MODE;
	if (attr->valid & (ATTR_UID | ATTR_GID))
		what |= HOSTFS_ATTR_OWNER;
	if (attr->valid & ATTR_SIZE)
		what |= HOSTFS_ATTR_SIZE;
	if (attr->valid & ATTR_ATIME)
		what |= HOSTFS_ATTR_ATIME;
	if ((attr->valid & ATTR_MTIME) && !(attr->valid & ATTR_SIZE))
		what |= HOSTFS_ATTR_MTIME;	/* truncate stamps it on the host */
	err = os_hostfs_setattr(HFD(inode), what, attr->mode,
				(attr->valid & ATTR_UID) ? attr->uid : (u32)-1,
				(attr->valid & ATTR_GID) ? attr->gid : (u32)-1, attr->size,
				attr->atime.sec, (u32)attr->atime.nsec, attr->mtime.sec,
				(u32)attr->mtime.nsec);
	if (err == 0) {
		if (attr->valid & ATTR_SIZE)
			filemap_drop(inode);	/* cached pages past the new end */
		hostfs_refresh(inode);
	}
	return err;
}

/* ---- open files ---- */

static int hostfs_open(struct inode *inode, struct file *f)
{
	int flags = (f->f_mode & FMODE_READ) && (f->f_mode & FMODE_WRITE) ? HOSTFS_RDWR
		    : (f->f_mode & FMODE_WRITE) ? HOSTFS_WRONLY : HOSTFS_RDONLY;
	int fd;

	hostfs_refresh(inode);
	if (S_ISDIR(inode->i_mode))
		return 0;	/* readdir opens its own */
	fd = os_hostfs_reopen(HFD(inode), flags | ((f->f_flags & O_APPEND) ? HOSTFS_APPEND : 0));
	if (fd < 0)
		return fd;
	f->private_data = (void *)(uintptr_t)(fd + 1);
	return 0;
}

static int file_fd(struct file *f)
{
	return (int)(uintptr_t)f->private_data - 1;
}

/*
 * The host descriptor for I/O on f; the page cache's throwaway files
 * (mm/filemap.c: exec and mmap fill pages, msync writes them back) were
 * never opened, so they get one of their own for the call, closed by
 * put_io_fd.
 */
static int get_io_fd(struct file *f, int flags)
{
	return f->private_data != NULL ? file_fd(f) : os_hostfs_reopen(HFD(f->f_inode), flags);
}

static void put_io_fd(struct file *f, int fd)
{
	if (f->private_data == NULL && fd >= 0)
		os_hostfs_close(fd);
}

static void hostfs_release(struct inode *inode, struct file *f)
{
	if (f->private_data != NULL)
		os_hostfs_close(file_fd(f));
}

static ssize_t hostfs_read(struct file *f, struct uio *u, loff_t *pos)
{
	u8 *buf = kmalloc(HOSTFS_CHUNK);
	ssize_t total = 0;
	int fd;

	if (buf == NULL)
		return -ENOMEM;
	fd = get_io_fd(f, HOSTFS_RDONLY);
	if (fd < 0) {
		kfree(buf);
		return fd;
	}
	while (u->done < u->len) {
		size_t n = min(u->len - u->done, (size_t)HOSTFS_CHUNK);
		s64 r = os_hostfs_pread(fd, buf, n, (u64)*pos);

		if (r <= 0) {
			if (r < 0 && total == 0)
				total = r;
			break;
		}
		if (uio_copy_out(u, buf, (size_t)r) < 0) {
			if (total == 0)
				total = -EFAULT;
			break;
		}
		*pos += r;
		total += r;
		if ((size_t)r < n)
			break;
	}
	put_io_fd(f, fd);
	kfree(buf);
	return total;
}

static ssize_t hostfs_write(struct file *f, struct uio *u, loff_t *pos)
{
	struct inode *inode = f->f_inode;
	u8 *buf = kmalloc(HOSTFS_CHUNK);
	ssize_t total = 0;
	int fd;

	if (buf == NULL)
		return -ENOMEM;
	fd = get_io_fd(f, HOSTFS_WRONLY);
	if (fd < 0) {
		kfree(buf);
		return fd;
	}
	if (f->f_flags & O_APPEND) {
		hostfs_refresh(inode);
		*pos = (loff_t)inode->i_size;
	}
	while (u->done < u->len) {
		size_t n = min(u->len - u->done, (size_t)HOSTFS_CHUNK);
		s64 r;

		if (uio_copy_in(u, buf, n) < 0) {
			if (total == 0)
				total = -EFAULT;
			break;
		}
		r = os_hostfs_pwrite(fd, buf, n, (u64)*pos);
		if (r <= 0) {
			if (total == 0)
				total = r < 0 ? r : -EIO;
			break;
		}
		*pos += r;
		total += r;
		if ((size_t)r < n)
			break;
	}
	put_io_fd(f, fd);
	kfree(buf);
	hostfs_refresh(inode);
	return total;
}

static int hostfs_fsync(struct file *f)
{
	return f->private_data != NULL ? os_hostfs_fsync(file_fd(f)) : 0;
}

static loff_t hostfs_llseek(struct file *f, loff_t off, int whence)
{
	hostfs_refresh(f->f_inode);	/* SEEK_END: the host's size now */
	return generic_file_llseek(f, off, whence);
}

/* ".." and "." come from the host too, with its inode numbers. */
static int hostfs_iterate(struct file *f, struct dir_context *ctx)
{
	struct hostfs_dirent *ents = kmalloc(16 * sizeof(*ents));
	int n, i;

	if (ents == NULL)
		return -ENOMEM;
	for (;;) {
		n = os_hostfs_readdir(HFD(f->f_inode), (u64)ctx->pos, ents, 16);
		if (n <= 0)
			break;
		for (i = 0; i < n; i++) {
			if (ctx->actor(ctx, ents[i].name, ents[i].len, ents[i].ino, ents[i].type))
				goto out;
			ctx->pos = (loff_t)ents[i].next;
		}
	}
out:
	kfree(ents);
	return n < 0 ? n : 0;
}

static const struct inode_operations hostfs_dir_iops = {
	.lookup = hostfs_lookup,
	.create = hostfs_create,
	.mkdir = hostfs_mkdir,
	.mknod = hostfs_mknod,
	.symlink = hostfs_symlink,
	.link = hostfs_link,
	.unlink = hostfs_unlink,
	.rmdir = hostfs_rmdir,
	.rename = hostfs_rename,
	.setattr = hostfs_setattr,
};

static const struct inode_operations hostfs_file_iops = {
	.setattr = hostfs_setattr,
};

static const struct inode_operations hostfs_link_iops = {
	.readlink = hostfs_readlink,
	.setattr = hostfs_setattr,
};

static const struct file_operations hostfs_dir_fops = {
	.open = hostfs_open,
	.iterate = hostfs_iterate,
	.fsync = hostfs_fsync,
};

static const struct file_operations hostfs_file_fops = {
	.open = hostfs_open,
	.release = hostfs_release,
	.read = hostfs_read,
	.write = hostfs_write,
	.llseek = hostfs_llseek,
	.fsync = hostfs_fsync,
};

/* ---- the filesystem ---- */

static int hostfs_statfs(struct super_block *sb, struct kstatfs *st)
{
	struct hostfs_statfs hs;
	int err = os_hostfs_statfs(HFD(sb->s_root), &hs);

	if (err < 0)
		return err;
	st->f_bsize = hs.bsize;
	st->f_blocks = hs.blocks;
	st->f_bfree = hs.bfree;
	st->f_bavail = hs.bavail;
	st->f_files = hs.files;
	st->f_ffree = hs.ffree;
	st->f_namelen = hs.namelen;
	st->f_frsize = hs.frsize;
	return 0;
}

static void hostfs_put_super(struct super_block *sb)
{
	kfree(sb->s_fs_info);
	sb->s_fs_info = NULL;
}

static const struct super_operations hostfs_sops = {
	.read_inode = hostfs_read_inode,
	.evict_inode = hostfs_evict_inode,
	.statfs = hostfs_statfs,
	.put_super = hostfs_put_super,
};

/* data: the host directory below hostfs_prefix (default: the prefix itself). */
static int hostfs_fill_super(struct super_block *sb, const char *data, bool silent)
{
	struct hostfs_sb *sbi = kzalloc(sizeof(*sbi));
	struct inode *root;
	int fd;

	if (sbi == NULL)
		return -ENOMEM;
	sbi->pending_fd = -1;
	sb->s_fs_info = sbi;
	sb->s_magic = HOSTFS_SUPER_MAGIC;
	sb->s_blocksize = PAGE_SIZE;
	sb->s_op = &hostfs_sops;
	fd = os_hostfs_root(hostfs_prefix, data != NULL ? data : "");
	if (fd < 0) {
		if (!silent)
			printk(KERN_ERR "hostfs: cannot open '%s' below '%s': error %d\n",
			       data ? data : "", hostfs_prefix, fd);
		kfree(sbi);
		sb->s_fs_info = NULL;
		return fd == -EXDEV ? -EPERM : fd;
	}
	root = hostfs_iget(sb, fd);
	if (IS_ERR(root) || !S_ISDIR(root->i_mode)) {
		if (!IS_ERR(root))
			iput(root);
		kfree(sbi);
		sb->s_fs_info = NULL;
		return IS_ERR(root) ? (int)PTR_ERR(root) : -ENOTDIR;
	}
	sb->s_root = root;
	return 0;
}

static struct file_system_type hostfs_type = {
	.name = "hostfs",
	.requires_dev = false,
	.fill_super = hostfs_fill_super,
};

/* Registers hostfs; hostfs=DIR on the command line confines it to DIR. */
void hostfs_init(void)
{
	if (boot_params.hostfs != NULL)
		hostfs_prefix = boot_params.hostfs;
	register_filesystem(&hostfs_type);
}
