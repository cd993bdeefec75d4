/*
 * memfd.c - memfd_create(2) and file sealing (F_ADD_SEALS, F_GET_SEALS).
 *
 * A memfd is a regular file on a private tmpfs instance, made and at once
 * unlinked, so it lives exactly as long as its files and mappings.  Its
 * file and inode operations are tmpfs's with write and setattr wrapped
 * to enforce the seals (inode->i_seals): F_SEAL_WRITE and
 * F_SEAL_FUTURE_WRITE refuse writes, F_SEAL_GROW and F_SEAL_SHRINK size
 * changes, F_SEAL_SEAL further seals; sys_mmap asks memfd_write_sealed
 * before a shared writable mapping.
 */
#include "kernel/kernel.h"
#include "kernel/fs.h"
#include "kernel/mm.h"
#include "kernel/sched.h"
#include "kernel/syscalls.h"
#include "uapi/linux/memfd.h"
#include "internal.h"

#define MEMFD_PREFIX	"memfd:"
#define MEMFD_NAME_MAX	(NAME_MAX - 6)	/* 249: the name after "memfd:" */
#define MFD_NOEXEC_SEAL	0x0008U
#define MFD_EXEC	0x0010U
#define F_SEAL_EXEC	0x0020
#define SEALS_KNOWN	(F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | \
			 F_SEAL_FUTURE_WRITE | F_SEAL_EXEC)
#define MEMFD_DEV	MKDEV(0, 0xffff2)

static struct vfsmount *memfd_mnt;
static struct file_operations memfd_fops;
static struct inode_operations memfd_iops;
static const struct file_operations *tmpfs_fops;
static const struct inode_operations *tmpfs_iops;
static u64 memfd_seq;

static bool is_memfd(const struct file *f)
{
	return f->f_op == &memfd_fops || f->f_inode->i_fop == &memfd_fops;
}

bool memfd_write_sealed(const struct file *f)
{
	return is_memfd(f) && (f->f_inode->i_seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE));
}

static ssize_t memfd_write(struct file *f, struct uio *u, loff_t *pos)
{
	struct inode *inode = f->f_inode;
	loff_t p = (f->f_flags & O_APPEND) ? (loff_t)inode->i_size : *pos;
	u64 end;

	if (inode->i_seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE))
		return -EPERM;
	if ((inode->i_seals & F_SEAL_GROW) &&
	    (__builtin_add_overflow((u64)p, (u64)(u->len - u->done), &end) || end > inode->i_size))
		return -EPERM;
	return tmpfs_fops->write(f, u, pos);
}

/* fallocate past the end grows the file; punching a hole writes it (shmem_fallocate). */
static long memfd_fallocate(struct file *f, int mode, loff_t off, loff_t len)
{
	struct inode *inode = f->f_inode;
	u64 end;

	if ((mode & FALLOC_FL_PUNCH_HOLE) && (inode->i_seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)))
		return -EPERM;
	if ((inode->i_seals & F_SEAL_GROW) && !(mode & FALLOC_FL_KEEP_SIZE) &&
	    (__builtin_add_overflow((u64)off, (u64)len, &end) || end > inode->i_size))
		return -EPERM;
	return tmpfs_fops->fallocate(f, mode, off, len);
}

/*
 * Whether some process maps inode shared with VM_MAYWRITE (Linux's
 * mapping_writably_mapped): F_SEAL_WRITE then fails with EBUSY.
 */
static bool memfd_writably_mapped(const struct inode *inode)
{
	struct task *t;
	struct vma *v;

	list_for_each_entry(t, &all_tasks, tasks) {
		if (t->mm == NULL || t != t->group_leader)
			continue;
		list_for_each_entry(v, &t->mm->vmas, list)
			if (v->file && v->file->f_inode == inode && (v->flags & VM_SHARED) &&
			    (v->flags & VM_MAYWRITE))
				return true;
	}
	return false;
}

static int memfd_setattr(struct inode *inode, struct iattr *attr)
{
	if (attr->valid & ATTR_SIZE) {
		if ((inode->i_seals & F_SEAL_SHRINK) && attr->size < inode->i_size)
			return -EPERM;
		if ((inode->i_seals & F_SEAL_GROW) && attr->size > inode->i_size)
			return -EPERM;
	}
	return tmpfs_iops->setattr(inode, attr);
}

/* The private tmpfs instance, made at first use: 0 or -errno. */
static int memfd_init(void)
{
	struct file_system_type *type;
	struct super_block *sb;

	if (memfd_mnt != NULL)
		return 0;
	type = get_fs_type("tmpfs");
	sb = type ? sb_alloc() : NULL;
	if (sb == NULL)
		return -ENOMEM;
	sb->s_type = type;
	sb->s_dev = MEMFD_DEV;
	if (type->fill_super(sb, NULL, true) < 0 || sb->s_root == NULL) {
		sb_free(sb);
		return -ENOMEM;
	}
	tmpfs_unlimit(sb);	/* Linux's internal shm mount has no size= */
	memfd_mnt = mnt_alloc(sb, "memfd");
	if (memfd_mnt == NULL)
		return -ENOMEM;
	/* Its root, superblock and mount live as long as the kernel (kernel/leak.c). */
	live_kernel.inodes++;
	live_kernel.dentries++;
	live_kernel.superblocks++;
	live_kernel.mounts++;
	return 0;
}

/* Sets up the wrapped operations from the first memfd inode. */
static void memfd_ops_from(struct inode *inode)
{
	if (tmpfs_fops != NULL)
		return;
	tmpfs_fops = inode->i_fop;
	tmpfs_iops = inode->i_op;
	memfd_fops = *tmpfs_fops;
	memfd_fops.write = memfd_write;
	if (tmpfs_fops->fallocate)
		memfd_fops.fallocate = memfd_fallocate;
	memfd_iops = *tmpfs_iops;
	memfd_iops.setattr = memfd_setattr;
}

/* A new unlinked tmpfs inode with a dentry named full: ERR_PTR on failure. */
static struct dentry *memfd_dentry_named(const char *full, umode_t mode)
{
	struct inode *dir = memfd_mnt->mnt_root->d_inode, *inode;
	char tmp[32];
	struct dentry *d;
	int n = ksnprintf(tmp, sizeof(tmp), "%llu", (unsigned long long)++memfd_seq);

	inode = dir->i_op->create(dir, tmp, n, S_IFREG | mode);
	if (IS_ERR(inode))
		return (struct dentry *)inode;
	dir->i_op->unlink(dir, tmp, n, inode);	/* only open files keep it now */
	d = d_alloc(memfd_mnt->mnt_root, full, (int)strlen(full));
	if (d == NULL) {
		iput(inode);
		return ERR_PTR(-ENOMEM);
	}
	list_del(&d->d_child);		/* never found by name */
	d_instantiate(d, inode);
	return d;
}

/* A new memfd inode with a dentry named "memfd:name": ERR_PTR on failure. */
static struct dentry *memfd_dentry(const char *name)
{
	char full[NAME_MAX + 1];
	struct dentry *d;

	ksnprintf(full, sizeof(full), MEMFD_PREFIX "%s", name);
	d = memfd_dentry_named(full, 0777);
	if (IS_ERR(d))
		return d;
	memfd_ops_from(d->d_inode);
	d->d_inode->i_op = &memfd_iops;
	d->d_inode->i_fop = &memfd_fops;	/* a reopen (/proc/self/fd/N) is a memfd too */
	return d;
}

/*
 * A kernel-internal tmpfs file of size bytes named name, on the same
 * private instance (System V shared memory keeps its pages in one, as
 * Linux's shmem_kernel_file_setup): a new file opened O_RDWR, or
 * ERR_PTR.  May sleep.
 */
struct file *shmem_kernel_file(const char *name, u64 size)
{
	struct iattr ia = { .valid = ATTR_SIZE, .size = size };
	struct path p;
	struct file *f;
	int err = memfd_init();

	if (err)
		return ERR_PTR(err);
	p.mnt = memfd_mnt;
	p.dentry = memfd_dentry_named(name, 0600);
	if (IS_ERR(p.dentry))
		return (struct file *)p.dentry;
	err = p.dentry->d_inode->i_op->setattr(p.dentry->d_inode, &ia);
	f = err ? ERR_PTR(err) : dentry_open(&p, O_RDWR | O_LARGEFILE);
	dput(p.dentry);
	return f;
}

SYSCALL(memfd_create)
{
	unsigned flags = (unsigned)a[1];
	char name[MEMFD_NAME_MAX + 2];
	struct path p;
	struct file *f;
	long n, err;

	if (flags & ~(MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_NOEXEC_SEAL | MFD_EXEC))
		return -EINVAL;
	if ((flags & MFD_NOEXEC_SEAL) && (flags & MFD_EXEC))
		return -EINVAL;
	n = strncpy_from_user(name, UADDR(a[0]), sizeof(name));
	if (n == -ENAMETOOLONG)
		return -EINVAL;
	if (n < 0)
		return n;
	if (n > MEMFD_NAME_MAX)
		return -EINVAL;
	err = memfd_init();
	if (err)
		return err;
	p.mnt = memfd_mnt;
	p.dentry = memfd_dentry(name);
	if (IS_ERR(p.dentry))
		return PTR_ERR(p.dentry);
	f = dentry_open(&p, O_RDWR | O_LARGEFILE);
	dput(p.dentry);
	if (IS_ERR(f))
		return PTR_ERR(f);
	f->f_op = &memfd_fops;
	f->f_inode->i_seals = (flags & (MFD_ALLOW_SEALING | MFD_NOEXEC_SEAL)) ? 0 : F_SEAL_SEAL;
	if (flags & MFD_NOEXEC_SEAL) {
		f->f_inode->i_mode &= ~0111;
		f->f_inode->i_seals |= F_SEAL_EXEC;
	}
	return anon_fd_install(f, (flags & MFD_CLOEXEC) != 0);
}

/*
 * A memfd the kernel makes for itself (the vDSO): data written through a
 * read-write file, then every seal set, and a read-only file returned, so
 * a shared mapping of it can never become writable (no VM_MAYWRITE).
 */
struct file *memfd_kernel_file(const char *name, const void *data, size_t len)
{
	struct file *rw, *ro;
	struct path p;
	ssize_t n;
	int err = memfd_init();

	if (err)
		return ERR_PTR(err);
	p.mnt = memfd_mnt;
	p.dentry = memfd_dentry(name);
	if (IS_ERR(p.dentry))
		return (struct file *)p.dentry;
	rw = dentry_open(&p, O_RDWR | O_LARGEFILE);
	ro = IS_ERR(rw) ? rw : dentry_open(&p, O_RDONLY | O_LARGEFILE);
	dput(p.dentry);
	if (IS_ERR(ro))
		goto out_rw;
	n = kernel_write(rw, data, len, 0);
	if (n != (ssize_t)len) {
		fput(ro);
		ro = ERR_PTR(n < 0 ? n : -ENOSPC);
		goto out_rw;
	}
	rw->f_inode->i_seals = F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE;
	ro->f_op = &memfd_fops;
out_rw:
	if (!IS_ERR(rw))
		fput(rw);
	return ro;
}

/* F_ADD_SEALS, F_GET_SEALS: EINVAL on other files, EPERM once sealed or read-only. */
long memfd_fcntl(struct file *f, unsigned cmd, long arg)
{
	struct inode *inode = f->f_inode;
	unsigned seals = (unsigned)arg;

	if (!is_memfd(f))
		return -EINVAL;
	if (cmd == F_GET_SEALS)
		return inode->i_seals;
	if (seals & ~SEALS_KNOWN)
		return -EINVAL;
	if (!(f->f_mode & FMODE_WRITE))
		return -EPERM;
	if (inode->i_seals & F_SEAL_SEAL)
		return -EPERM;
	if ((seals & F_SEAL_WRITE) && !(inode->i_seals & F_SEAL_WRITE) && memfd_writably_mapped(inode))
		return -EBUSY;
	inode->i_seals |= seals;
	return 0;
}
