/*
 * anon_inodes.c - files with no name in any filesystem: epoll, eventfd,
 * timerfd, signalfd (which share one inode, as on Linux) and sockets
 * (one S_IFSOCK inode each, made by net/socket.c).
 *
 * Like pipes (fs/pipe.c) each file gets an unhashed dentry under the
 * root of a private pseudo mount ("anon_inode:[eventfd]" is what
 * /proc/PID/fd shows on Linux), so that fstat, fchmod and *at() calls
 * treat these files like any other.  The pseudo mount is made at first use.
 */
#include "kernel/kernel.h"
#include "kernel/fs.h"
#include "kernel/mm.h"
#include "kernel/page.h"
#include "kernel/sched.h"
#include "internal.h"

#define ANON_INODE_FS_MAGIC	0x09041934
#define ANONFS_DEV		MKDEV(0, 0xffff1)

static struct super_block anon_sb;
static struct vfsmount *anon_mnt;
static struct inode *anon_inode;	/* shared by epoll, eventfd, timerfd, signalfd */
static u64 anon_ino;

static const struct super_operations anon_sops = {
	.evict_inode = NULL,
};

/* 0, or -ENOMEM if the pseudo filesystem cannot be set up. */
static int anon_init(void)
{
	if (anon_mnt != NULL)
		return 0;
	INIT_LIST_HEAD(&anon_sb.inodes);
	INIT_LIST_HEAD(&anon_sb.s_list);
	anon_sb.s_dev = ANONFS_DEV;
	anon_sb.s_magic = ANON_INODE_FS_MAGIC;
	anon_sb.s_blocksize = PAGE_SIZE;
	anon_sb.s_op = &anon_sops;
	anon_sb.s_root = new_inode(&anon_sb);
	anon_inode = new_inode(&anon_sb);
	if (anon_sb.s_root == NULL || anon_inode == NULL)
		return -ENOMEM;
	anon_sb.s_root->i_ino = ++anon_ino;
	anon_sb.s_root->i_mode = S_IFDIR | 0500;
	anon_sb.s_root->i_nlink = 2;
	inode_insert(anon_sb.s_root);
	anon_inode->i_ino = ++anon_ino;
	anon_inode->i_mode = 0600;	/* no file type, as Linux's anon inode */
	anon_inode->i_nlink = 1;
	anon_inode->i_atime = anon_inode->i_mtime = anon_inode->i_ctime = current_time();
	inode_insert(anon_inode);
	anon_mnt = mnt_alloc(&anon_sb, "anon_inodefs");
	if (anon_mnt == NULL)
		return -ENOMEM;
	/* Its root, the shared inode and the mount live as long as the kernel (kernel/leak.c). */
	live_kernel.inodes += 2;
	live_kernel.dentries++;
	live_kernel.mounts++;
	return 0;
}

struct inode *anon_inode_new(umode_t mode)
{
	struct inode *inode;

	if (anon_init() < 0)
		return NULL;
	inode = new_inode(&anon_sb);
	if (inode == NULL)
		return NULL;
	inode->i_ino = ++anon_ino;
	inode->i_mode = mode;
	inode->i_nlink = 0;		/* freed at the last iput */
	inode->i_uid = current ? current->euid : 0;
	inode->i_gid = current ? current->egid : 0;
	inode->i_atime = inode->i_mtime = inode->i_ctime = current_time();
	inode_insert(inode);
	return inode;
}

struct file *anon_file_create(const char *name, const struct file_operations *fops,
			      void *priv, unsigned flags, struct inode *inode)
{
	struct dentry *d;
	struct file *f;

	if (anon_init() < 0) {
		iput(inode);
		return ERR_PTR(-ENOMEM);
	}
	if (inode == NULL) {
		inode = anon_inode;
		ihold(inode);
	}
	d = d_alloc(anon_mnt->mnt_root, name, (int)strlen(name));
	if (d == NULL) {
		iput(inode);
		return ERR_PTR(-ENOMEM);
	}
	list_del(&d->d_child);		/* never found by name; freed at the last dput */
	d_instantiate(d, inode);	/* the dentry takes the caller's reference */
	f = file_alloc();
	if (IS_ERR(f)) {
		dput(d);
		return f;
	}
	f->f_flags = flags;
	f->f_mode = ((flags & O_ACCMODE) != O_WRONLY ? FMODE_READ : 0) |
		    ((flags & O_ACCMODE) != O_RDONLY ? FMODE_WRITE : 0);
	f->f_op = fops;
	f->private_data = priv;
	f->f_inode = inode;
	ihold(inode);
	f->f_path.mnt = anon_mnt;
	f->f_path.dentry = d;		/* the dentry reference moves to the file */
	return f;
}

int anon_fd_install(struct file *f, bool cloexec)
{
	int fd = fd_install(f, cloexec);

	if (fd < 0)
		fput(f);
	return fd;
}

/* lseek on epoll, eventfd, timerfd and signalfd files: nothing moves (noop_llseek). */
loff_t noop_llseek(struct file *f, loff_t off, int whence)
{
	return f->f_pos;
}

/* True for the files made here (their names are pseudo-names, not paths). */
bool anon_file_is(const struct file *f)
{
	return anon_mnt != NULL && f->f_path.mnt == anon_mnt;
}
