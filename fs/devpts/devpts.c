/*
 * devpts.c - the devpts filesystem: /dev/pts/ptmx and one character
 * node /dev/pts/N (major 136, minor N) per live pseudo-terminal.
 *
 * Every mount is a new instance with its own index space, as on Linux
 * since 4.7 (newinstance is accepted and implied).  The directory is
 * made from the instance's entry list at each lookup and readdir; the
 * pty driver (drivers/tty/pty.c) adds an entry when /dev/ptmx is opened
 * and takes it away when the master closes.  Options (mount(8)
 * "devpts"): uid=, gid=, mode= for new nodes, ptmxmode= for pts/ptmx,
 * max= for the number of ptys, newinstance.
 */
#include "kernel/kernel.h"
#include "kernel/fs.h"
#include "kernel/mm.h"
#include "kernel/sched.h"
#include "kernel/devpts.h"
#include "../internal.h"

#define DEVPTS_SUPER_MAGIC	0x1cd1	/* <linux/magic.h> */
#define DEVPTS_ROOT_INO		1
#define DEVPTS_PTMX_INO		2
#define DEVPTS_FIRST_INO	3	/* /dev/pts/N is ino N + 3, as on Linux */
#define PTY_SLAVE_MAJOR		136
#define DEVPTS_MAX		4096	/* Linux's kernel.pty.max default */

struct devpts_fs {
	struct super_block *sb;
	struct list_head entries;	/* struct devpts_entry, ascending index */
	bool setuid, setgid;
	uid_t uid;
	gid_t gid;
	umode_t mode, ptmxmode;
	int max;
};

static const struct inode_operations devpts_dir_iops;
static const struct file_operations devpts_dir_fops;
static const struct inode_operations devpts_node_iops;

static struct devpts_entry *entry_find(struct devpts_fs *fs, int index)
{
	struct devpts_entry *e;

	list_for_each_entry(e, &fs->entries, list)
		if (e->index == index)
			return e;
	return NULL;
}

static int devpts_read_inode(struct inode *inode)
{
	struct devpts_fs *fs = inode->i_sb->s_fs_info;
	struct devpts_entry *e;

	inode->i_nlink = 1;
	inode->i_atime = inode->i_mtime = inode->i_ctime = current_time();
	if (inode->i_ino == DEVPTS_ROOT_INO) {
		inode->i_mode = S_IFDIR | 0755;
		inode->i_nlink = 2;
		inode->i_op = &devpts_dir_iops;
		inode->i_fop = &devpts_dir_fops;
		return 0;
	}
	inode->i_op = &devpts_node_iops;
	inode->i_fop = &def_chr_fops;
	if (inode->i_ino == DEVPTS_PTMX_INO) {
		inode->i_mode = S_IFCHR | fs->ptmxmode;
		inode->i_rdev = MKDEV(5, 2);
		return 0;
	}
	e = entry_find(fs, (int)(inode->i_ino - DEVPTS_FIRST_INO));
	if (e == NULL)
		return -ENOENT;
	inode->i_mode = S_IFCHR | fs->mode;
	inode->i_uid = e->uid;
	inode->i_gid = e->gid;
	inode->i_rdev = MKDEV(PTY_SLAVE_MAJOR, (unsigned)e->index);
	return 0;
}

static int devpts_setattr(struct inode *inode, struct iattr *attr)
{
	if (attr->valid & ATTR_SIZE)
		return -EINVAL;
	setattr_copy(inode, attr);
	return 0;
}

static const struct inode_operations devpts_node_iops = {
	.setattr = devpts_setattr,
};

/* "0" .. "4095" without leading zeros: the index, else -1. */
static int name_to_index(const char *name, int len)
{
	int n = 0, i;

	if (len < 1 || len > 7 || (name[0] == '0' && len > 1))
		return -1;
	for (i = 0; i < len; i++) {
		if (name[i] < '0' || name[i] > '9')
			return -1;
		n = n * 10 + (name[i] - '0');
	}
	return n;
}

static struct inode *devpts_lookup(struct inode *dir, const char *name, int len)
{
	struct devpts_fs *fs = dir->i_sb->s_fs_info;
	int index;

	if (len == 4 && memcmp(name, "ptmx", 4) == 0)
		return iget(dir->i_sb, DEVPTS_PTMX_INO);
	index = name_to_index(name, len);
	if (index < 0 || entry_find(fs, index) == NULL)
		return ERR_PTR(-ENOENT);
	return iget(dir->i_sb, DEVPTS_FIRST_INO + (u64)index);
}

static const struct inode_operations devpts_dir_iops = {
	.lookup = devpts_lookup,
};

/* Positions: 0 ".", 1 "..", 2 "ptmx", 3 + N for /dev/pts/N. */
static int devpts_iterate(struct file *f, struct dir_context *ctx)
{
	struct devpts_fs *fs = f->f_inode->i_sb->s_fs_info;
	struct devpts_entry *e;
	char name[12];

	if (ctx->pos == 0) {
		if (ctx->actor(ctx, ".", 1, DEVPTS_ROOT_INO, DT_DIR))
			return 0;
		ctx->pos = 1;
	}
	if (ctx->pos == 1) {
		if (ctx->actor(ctx, "..", 2, DEVPTS_ROOT_INO, DT_DIR))
			return 0;
		ctx->pos = 2;
	}
	if (ctx->pos == 2) {
		if (ctx->actor(ctx, "ptmx", 4, DEVPTS_PTMX_INO, DT_CHR))
			return 0;
		ctx->pos = 3;
	}
	list_for_each_entry(e, &fs->entries, list) {
		if (DEVPTS_FIRST_INO + e->index < ctx->pos)
			continue;
		if (ctx->actor(ctx, name, ksnprintf(name, sizeof(name), "%d", e->index),
			       DEVPTS_FIRST_INO + (u64)e->index, DT_CHR))
			return 0;
		ctx->pos = DEVPTS_FIRST_INO + e->index + 1;
	}
	return 0;
}

static const struct file_operations devpts_dir_fops = {
	.iterate = devpts_iterate,
};

/*
 * Forgets the cached dentries and inodes of sb's nodes that are gone, so
 * that a reused index gets a fresh node: an unused one is freed, one an
 * open file still holds is unhashed (the file keeps it, no lookup finds
 * it).  Never sleeps: devpts inodes have nothing to write back.
 */
static int prune_mount(struct vfsmount *mnt, void *arg)
{
	struct devpts_fs *fs = arg;
	struct dentry *root = mnt->mnt_root, *d, *next;
	int index;

	if (mnt->mnt_sb != fs->sb)
		return 0;
	list_for_each_entry_safe(d, next, &root->d_children, d_child) {
		index = name_to_index(d->d_name, d->d_len);
		if (index < 0 || entry_find(fs, index) != NULL)
			continue;
		if (d_tree_busy(d, 0)) {
			d_delete(d);
			continue;
		}
		list_del(&d->d_child);
		d_prune_tree(d);
		root->d_count--;	/* d's reference on its parent */
	}
	return 0;
}

static void devpts_prune(struct devpts_fs *fs)
{
	mounts_for_each(prune_mount, fs);
	evict_inodes(fs->sb);
}

int devpts_new_index(struct devpts_fs *fs, struct devpts_entry *e, void *priv)
{
	struct devpts_entry *p;
	struct list_head *before = &fs->entries;
	int index = 0;

	list_for_each_entry(p, &fs->entries, list) {
		if (p->index != index) {
			before = &p->list;
			break;
		}
		index++;
	}
	if (index >= fs->max)
		return -ENOSPC;
	devpts_prune(fs);
	e->index = index;
	e->priv = priv;
	e->uid = fs->setuid ? fs->uid : current->euid;
	e->gid = fs->setgid ? fs->gid : current->egid;
	list_add_tail(&e->list, before);	/* before the first larger index */
	return 0;
}

void devpts_kill_index(struct devpts_fs *fs, struct devpts_entry *e)
{
	if (e->priv == NULL)
		return;
	list_del(&e->list);
	e->priv = NULL;
	devpts_prune(fs);
}

void *devpts_get_priv(struct inode *inode)
{
	struct devpts_entry *e;

	if (inode->i_sb == NULL || inode->i_sb->s_magic != DEVPTS_SUPER_MAGIC ||
	    inode->i_ino < DEVPTS_FIRST_INO)
		return NULL;
	e = entry_find(inode->i_sb->s_fs_info, (int)(inode->i_ino - DEVPTS_FIRST_INO));
	return e != NULL ? e->priv : NULL;
}

static bool is_devpts_root(const struct path *p)
{
	return p->dentry->d_sb != NULL && p->dentry->d_sb->s_magic == DEVPTS_SUPER_MAGIC &&
	       p->mnt != NULL && p->mnt->mnt_root == p->dentry;
}

struct devpts_fs *devpts_acquire(struct file *ptmx, struct path *root)
{
	struct dentry *d = ptmx->f_path.dentry, *pts;
	struct path p;

	if (d != NULL && d->d_sb != NULL && d->d_sb->s_magic == DEVPTS_SUPER_MAGIC) {
		p.mnt = ptmx->f_path.mnt;
		p.dentry = p.mnt->mnt_root;
		path_get(&p);
		*root = p;
		return p.dentry->d_sb->s_fs_info;
	}
	if (d == NULL || d->d_parent == NULL)
		return ERR_PTR(-ENODEV);
	pts = lookup_child(d->d_parent, "pts", 3);
	if (IS_ERR(pts))
		return ERR_PTR(-ENODEV);
	p.mnt = ptmx->f_path.mnt;
	p.dentry = pts;			/* the lookup's reference */
	follow_mounts(&p);
	if (!is_devpts_root(&p)) {
		path_put(&p);
		return ERR_PTR(-ENODEV);
	}
	*root = p;
	return p.dentry->d_sb->s_fs_info;
}

/* ---- the filesystem ---- */

/* Parses an octal or decimal number option; false if malformed. */
static bool opt_num(const char *s, int len, int base, u32 *out)
{
	u32 v = 0;
	int i, dig;

	if (len <= 0)
		return false;
	for (i = 0; i < len; i++) {
		dig = s[i] - '0';
		if (dig < 0 || dig >= base || v > (0xffffffffu - (u32)dig) / (u32)base)
			return false;
		v = v * (u32)base + (u32)dig;
	}
	*out = v;
	return true;
}

/* One "name=value" or "name": 0 or -EINVAL. */
static int parse_opt(struct devpts_fs *fs, const char *o, int len)
{
	int nlen = 0, vlen;
	const char *v;
	u32 n;

	while (nlen < len && o[nlen] != '=')
		nlen++;
	v = nlen < len ? o + nlen + 1 : NULL;
	vlen = v ? len - nlen - 1 : 0;

#define OPT(s) (nlen == (int)sizeof(s) - 1 && memcmp(o, s, sizeof(s) - 1) == 0)
	if (OPT("newinstance") && v == NULL)
		return 0;
	if (v == NULL)
		return -EINVAL;
	if (OPT("uid") && opt_num(v, vlen, 10, &n)) {
		fs->setuid = true;
		fs->uid = n;
	} else if (OPT("gid") && opt_num(v, vlen, 10, &n)) {
		fs->setgid = true;
		fs->gid = n;
	} else if (OPT("mode") && opt_num(v, vlen, 8, &n) && n <= 07777) {
		fs->mode = (umode_t)n;
	} else if (OPT("ptmxmode") && opt_num(v, vlen, 8, &n) && n <= 07777) {
		fs->ptmxmode = (umode_t)n;
	} else if (OPT("max") && opt_num(v, vlen, 10, &n)) {
		fs->max = n < DEVPTS_MAX ? (int)n : DEVPTS_MAX;
	} else {
		return -EINVAL;
	}
#undef OPT
	return 0;
}

static int parse_opts(struct devpts_fs *fs, const char *data)
{
	const char *p = data, *comma;
	int len, err;

	while (p != NULL && *p != '\0') {
		comma = strchr(p, ',');
		len = comma ? (int)(comma - p) : (int)strlen(p);
		if (len > 0) {
			err = parse_opt(fs, p, len);
			if (err)
				return err;
		}
		p = comma ? comma + 1 : NULL;
	}
	return 0;
}

static int devpts_statfs(struct super_block *sb, struct kstatfs *st)
{
	st->f_bsize = 4096;
	st->f_namelen = NAME_MAX;
	return 0;
}

/* The ptys hold their instance's mount root: none is left here. */
static void devpts_put_super(struct super_block *sb)
{
	kfree(sb->s_fs_info);
	sb->s_fs_info = NULL;
}

static const struct super_operations devpts_sops = {
	.read_inode = devpts_read_inode,
	.statfs = devpts_statfs,
	.put_super = devpts_put_super,
};

static int devpts_fill_super(struct super_block *sb, const char *data, bool silent)
{
	struct devpts_fs *fs = kzalloc(sizeof(*fs));
	struct inode *root;
	int err;

	if (fs == NULL)
		return -ENOMEM;
	INIT_LIST_HEAD(&fs->entries);
	fs->sb = sb;
	fs->mode = 0600;
	fs->ptmxmode = 0;
	fs->max = DEVPTS_MAX;
	err = parse_opts(fs, data);
	if (err) {
		kfree(fs);
		return err;
	}
	sb->s_magic = DEVPTS_SUPER_MAGIC;
	sb->s_blocksize = 4096;
	sb->s_op = &devpts_sops;
	sb->s_fs_info = fs;
	root = iget(sb, DEVPTS_ROOT_INO);
	if (IS_ERR(root)) {
		sb->s_fs_info = NULL;
		kfree(fs);
		return (int)PTR_ERR(root);
	}
	sb->s_root = root;
	return 0;
}

static struct file_system_type devpts_fs_type = {
	.name = "devpts",
	.requires_dev = false,
	.fill_super = devpts_fill_super,
};

/* Registers the "devpts" filesystem type. */
void devpts_init(void)
{
	register_filesystem(&devpts_fs_type);
}
