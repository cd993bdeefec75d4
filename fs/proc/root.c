/*
 * root.c - procfs: the filesystem, its inodes and directories.
 *
 * Inode numbers say what an inode is (see proc_ino), so read_inode can
 * rebuild any inode from its number: 1 + index for the static tree
 * (/proc, /proc/sys...; misc.c's table), and pid << 32 | entry << 16 | fd
 * for /proc/<pid> and what is under it (base.c's table).  Directories
 * list their table entries, then their dynamic ones: the live processes
 * under /proc, the open fds under /proc/<pid>/fd, the threads under
 * /proc/<pid>/task (each one's directory is /proc/<tid>, which lookups
 * find but /proc does not list, as Linux).
 *
 * The dentry cache keeps looked-up names until their tree goes away,
 * which for /proc/<pid> would keep dead processes visible; so every
 * procfs operation first drops the cached /proc/<pid> trees nobody is
 * using, and the inodes that leaves unused.  A name still cached is
 * found without asking us, so stat("/proc/<dead pid>") may succeed
 * until the next procfs operation; opening its files fails (-ENOENT).
 */
#include "kernel/init.h"
#include "kernel/page.h"
#include "../internal.h"
#include "internal.h"

#define PID_SHIFT	32
#define ENTRY_SHIFT	16
#define FD_ENTRY	0xffffu
#define FDINFO_ENTRY	0xfffeu
#define DYN_POS		0x10000	/* readdir position of the first dynamic entry */
#define TASK_BIT	(1ULL << 62)	/* a thread's tree under .../task/<tid> */

static const struct inode_operations proc_dir_iops;
static const struct file_operations proc_dir_fops;
static const struct inode_operations proc_file_iops;

/* The inode number of id. */
u64 proc_ino(const struct proc_id *id)
{
	u64 pid = (u64)id->pid << PID_SHIFT | (id->in_task ? TASK_BIT : 0);

	switch (id->kind) {
	case PK_PID:
		return pid | ((u64)(id->idx + 1) << ENTRY_SHIFT);
	case PK_FD:
		return pid | ((u64)FD_ENTRY << ENTRY_SHIFT) | (u64)id->fd;
	case PK_FDINFO:
		return pid | ((u64)FDINFO_ENTRY << ENTRY_SHIFT) | (u64)id->fd;
	default:
		return (u64)id->idx + 1;
	}
}

/* Fills id from an inode number made by proc_ino. */
void proc_decode(u64 ino, struct proc_id *id)
{
	unsigned entry = (unsigned)(ino >> ENTRY_SHIFT) & 0xffff;

	memset(id, 0, sizeof(*id));
	id->in_task = (ino & TASK_BIT) != 0;
	id->pid = (pid_t)((ino & ~TASK_BIT) >> PID_SHIFT);
	if (id->pid == 0) {
		id->kind = PK_STATIC;
		id->idx = (int)ino - 1;
	} else if (entry == FD_ENTRY || entry == FDINFO_ENTRY) {
		id->kind = entry == FD_ENTRY ? PK_FD : PK_FDINFO;
		id->fd = (int)(ino & 0xffff);
	} else {
		id->kind = PK_PID;
		id->idx = (int)entry - 1;
	}
}

/* The live task pid (zombies included), or NULL. */
struct task *proc_task(pid_t pid)
{
	struct task *t;

	if (pid <= 0)
		return NULL;
	t = find_task(pid);
	return t != NULL && t->state != TASK_DEAD ? t : NULL;
}

/* Parses a decimal name without sign or leading zeros into *out. */
bool proc_name_to_num(const char *name, int len, int *out)
{
	long v = 0;

	if (len <= 0 || len > 9 || (name[0] == '0' && len > 1))
		return false;
	for (int i = 0; i < len; i++) {
		if (name[i] < '0' || name[i] > '9')
			return false;
		v = v * 10 + (name[i] - '0');
	}
	*out = (int)v;
	return true;
}

/* Copies the NUL-terminated s as a readlink result: its length (truncated to size). */
int proc_link_copy(char *buf, int size, const char *s)
{
	int n = (int)strlen(s);

	if (n > size)
		n = size;
	memcpy(buf, s, (size_t)n);
	return n;
}

static const struct proc_node *id_node(const struct proc_id *id)
{
	if (id->kind == PK_STATIC && id->idx >= 0 && id->idx < proc_root_nr)
		return &proc_root_nodes[id->idx];
	if (id->kind == PK_PID && id->idx >= 0 && id->idx < proc_pid_nr)
		return &proc_pid_nodes[id->idx];
	return NULL;
}

/* The mode of id, or -ENOENT if it does not exist (any more). */
static int id_mode(const struct proc_id *id, struct task **tp)
{
	const struct proc_node *node = id_node(id);

	*tp = NULL;
	if (id->kind != PK_STATIC) {
		*tp = proc_task(id->pid);
		if (*tp == NULL)
			return -ENOENT;
	}
	if (id->kind == PK_FD)
		return proc_pid_fd_mode(*tp, id->fd);
	if (id->kind == PK_FDINFO)
		return proc_pid_fd_mode(*tp, id->fd) < 0 ? -ENOENT : S_IFREG | 0444;
	if (id->kind == PK_PID && id->idx == -1)
		return S_IFDIR | 0555;
	return node != NULL ? (int)node->mode : -ENOENT;
}

static int proc_read_inode(struct inode *inode)
{
	struct proc_id id;
	struct task *t;
	int mode;

	proc_decode(inode->i_ino, &id);
	mode = id_mode(&id, &t);
	if (mode < 0)
		return mode;
	inode->i_mode = (umode_t)mode;
	inode->i_nlink = S_ISDIR(mode) ? 2 : 1;
	inode->i_uid = t != NULL ? t->euid : 0;
	inode->i_gid = t != NULL ? t->egid : 0;
	inode->i_atime = inode->i_mtime = inode->i_ctime = current_time();
	if (S_ISDIR(mode)) {
		inode->i_op = &proc_dir_iops;
		inode->i_fop = &proc_dir_fops;
	} else if (S_ISLNK(mode)) {
		const struct proc_node *node = id_node(&id);

		inode->i_op = id.kind == PK_FD || (node != NULL && node->path != NULL)
			      ? &proc_magic_iops : &proc_link_iops;
	} else {
		const struct proc_node *node = id_node(&id);

		inode->i_op = &proc_file_iops;
		inode->i_fop = node != NULL && node->fops != NULL ? node->fops : &proc_text_fops;
	}
	return 0;
}

/* The inode of id: a new reference, or ERR_PTR(-ENOENT...). */
struct inode *proc_iget(struct super_block *sb, const struct proc_id *id)
{
	struct inode *inode = iget(sb, proc_ino(id));
	struct task *t;

	if (IS_ERR(inode) || id->kind == PK_STATIC)
		return inode;
	t = proc_task(id->pid);		/* a reused pid: the new owner */
	if (t != NULL) {
		inode->i_uid = t->euid;
		inode->i_gid = t->egid;
	}
	return inode;
}

/* ---- dropping dead /proc/<pid> trees from the caches ---- */

static bool dentry_is_pid(struct dentry *d)
{
	int pid;

	return proc_name_to_num(d->d_name, d->d_len, &pid);
}

static int prune_mount(struct vfsmount *mnt, void *arg)
{
	struct dentry *root = mnt->mnt_root, *d, *next;

	if (mnt->mnt_sb != arg)
		return 0;
	list_for_each_entry_safe(d, next, &root->d_children, d_child) {
		if (!dentry_is_pid(d) || d_tree_busy(d, 0))
			continue;
		list_del(&d->d_child);
		d_prune_tree(d);	/* d's children drop their counts on d */
		root->d_count--;	/* d's reference on its parent */
	}
	return 0;
}

/*
 * Forgets the unused cached /proc/<pid> trees of sb, so that a dead
 * process does not linger in the dentry cache.  Every procfs operation
 * calls it.  Does not sleep.
 */
void proc_prune(struct super_block *sb)
{
	mounts_for_each(prune_mount, sb);
	evict_inodes(sb);
}

/* ---- directories ---- */

static struct inode *lookup_dynamic(struct inode *dir, const struct proc_id *did,
				    const char *name, int len)
{
	struct proc_id id = { 0 };
	int n;

	if (!proc_name_to_num(name, len, &n))
		return ERR_PTR(-ENOENT);
	if (did->kind == PK_STATIC && did->idx == 0) {
		id.kind = PK_PID;
		id.idx = -1;
		id.pid = n;
		if (proc_task(n) == NULL)
			return ERR_PTR(-ENOENT);
		return proc_iget(dir->i_sb, &id);
	}
	if (did->kind == PK_PID && did->idx == proc_pid_task_idx) {	/* /proc/<pid>/task */
		struct task *leader = proc_task(did->pid), *t = proc_task(n);

		if (leader == NULL || t == NULL || t->signal != leader->signal)
			return ERR_PTR(-ENOENT);
		id.kind = PK_PID;
		id.idx = -1;
		id.pid = n;
		id.in_task = true;	/* its own inodes: a directory has one name */
		return proc_iget(dir->i_sb, &id);
	}
	if (did->kind == PK_PID && (did->idx == proc_pid_fd_idx || did->idx == proc_pid_fdinfo_idx)) {
		id.kind = did->idx == proc_pid_fd_idx ? PK_FD : PK_FDINFO;	/* fd/, fdinfo/ */
		id.pid = did->pid;
		id.in_task = did->in_task;
		id.fd = n;
		if (proc_task(did->pid) == NULL ||
		    proc_pid_fd_mode(proc_task(did->pid), n) < 0)
			return ERR_PTR(-ENOENT);
		return proc_iget(dir->i_sb, &id);
	}
	return ERR_PTR(-ENOENT);
}

/*
 * Entry i of the directory did is not there: /proc/<tgid>/task/<tid>/
 * has no "task" of its own (Linux's tid_base_stuff), else that directory
 * would name itself again below itself.
 */
static bool entry_hidden(const struct proc_id *did, int i)
{
	return did->kind == PK_PID && did->in_task && i == proc_pid_task_idx;
}

/* The table a directory's entries come from, and its index there. */
static const struct proc_node *dir_table(const struct proc_id *did, int *nr)
{
	if (did->kind == PK_STATIC) {
		*nr = proc_root_nr;
		return proc_root_nodes;
	}
	*nr = proc_pid_nr;
	return proc_pid_nodes;
}

static struct inode *proc_lookup(struct inode *dir, const char *name, int len)
{
	const struct proc_node *tab;
	struct proc_id did, id;
	int nr;

	proc_decode(dir->i_ino, &did);
	proc_prune(dir->i_sb);
	if (did.kind != PK_STATIC && proc_task(did.pid) == NULL)
		return ERR_PTR(-ENOENT);
	tab = dir_table(&did, &nr);
	for (int i = 0; i < nr; i++) {
		if (tab[i].parent != did.idx || (int)strlen(tab[i].name) != len ||
		    memcmp(tab[i].name, name, (size_t)len) != 0 || entry_hidden(&did, i))
			continue;
		id = did;
		id.idx = i;
		return proc_iget(dir->i_sb, &id);
	}
	return lookup_dynamic(dir, &did, name, len);
}

static unsigned mode_dtype(umode_t mode)
{
	if (S_ISDIR(mode))
		return DT_DIR;
	return S_ISLNK(mode) ? DT_LNK : DT_REG;
}

static u64 parent_ino(const struct proc_id *did)
{
	struct proc_id p = *did;

	if (did->kind == PK_STATIC) {
		p.idx = did->idx == 0 ? 0 : proc_root_nodes[did->idx].parent;
	} else if (did->idx == -1 && did->in_task) {
		struct task *t = proc_task(did->pid);

		p.in_task = false;	/* /proc/<tgid>/task */
		p.pid = t != NULL ? t->tgid : did->pid;
		p.idx = proc_pid_task_idx;
	} else if (did->idx == -1) {
		return PROC_ROOT_INO;
	} else {
		p.idx = proc_pid_nodes[did->idx].parent;
	}
	return proc_ino(&p);
}

/* Emits the table entries of the directory; positions 2, 3, ... */
static int iterate_table(const struct proc_id *did, struct dir_context *ctx)
{
	const struct proc_node *tab;
	int nr, k = 0;

	tab = dir_table(did, &nr);
	for (int i = 0; i < nr; i++) {
		struct proc_id id = *did;

		if (tab[i].parent != did->idx || entry_hidden(did, i))
			continue;
		if (2 + k++ < ctx->pos)
			continue;
		id.idx = i;
		if (ctx->actor(ctx, tab[i].name, (int)strlen(tab[i].name), proc_ino(&id),
			       mode_dtype(tab[i].mode)))
			return 1;
		ctx->pos = 2 + k;
	}
	return 0;
}

/* The smallest process id >= from, or 0. */
static pid_t next_process(pid_t from)
{
	struct task *t;
	pid_t best = 0;

	list_for_each_entry(t, &all_tasks, tasks) {
		if (t->pid <= 0 || t->pid != t->tgid || t->state == TASK_DEAD)
			continue;
		if (t->pid >= from && (best == 0 || t->pid < best))
			best = t->pid;
	}
	return best;
}

static void iterate_pids(struct dir_context *ctx)
{
	struct proc_id id = { .kind = PK_PID, .idx = -1 };
	char name[16];
	pid_t pid;

	while ((pid = next_process((pid_t)(ctx->pos - DYN_POS))) != 0) {
		id.pid = pid;
		if (ctx->actor(ctx, name, ksnprintf(name, sizeof(name), "%d", pid),
			       proc_ino(&id), DT_DIR))
			return;
		ctx->pos = DYN_POS + pid + 1;
	}
}

static void iterate_fds(const struct proc_id *did, struct dir_context *ctx)
{
	bool info = did->idx == proc_pid_fdinfo_idx;
	struct proc_id id = { .kind = info ? PK_FDINFO : PK_FD, .pid = did->pid,
			      .in_task = did->in_task };
	struct task *t = proc_task(did->pid);
	char name[16];

	for (int fd = (int)(ctx->pos - DYN_POS); t != NULL && t->files && fd < t->files->max_fds; fd++) {
		if (proc_pid_fd_mode(t, fd) < 0)
			continue;
		id.fd = fd;
		if (ctx->actor(ctx, name, ksnprintf(name, sizeof(name), "%d", fd),
			       proc_ino(&id), info ? DT_REG : DT_LNK))
			return;
		ctx->pos = DYN_POS + fd + 1;
	}
}

/* The smallest tid >= from among the threads of t's group, or 0. */
static pid_t next_thread(struct task *t, pid_t from)
{
	struct task *q;
	pid_t best = 0;

	for_each_thread(t->signal, q) {
		if (q->state == TASK_DEAD || (q->state == TASK_ZOMBIE && q != t->signal->leader))
			continue;
		if (q->pid >= from && (best == 0 || q->pid < best))
			best = q->pid;
	}
	return best;
}

static void iterate_threads(const struct proc_id *did, struct dir_context *ctx)
{
	struct proc_id id = { .kind = PK_PID, .idx = -1, .in_task = true };
	struct task *t = proc_task(did->pid);
	char name[16];
	pid_t tid;

	while (t != NULL && (tid = next_thread(t, (pid_t)(ctx->pos - DYN_POS))) != 0) {
		id.pid = tid;
		if (ctx->actor(ctx, name, ksnprintf(name, sizeof(name), "%d", tid),
			       proc_ino(&id), DT_DIR))
			return;
		ctx->pos = DYN_POS + tid + 1;
	}
}

static int proc_iterate(struct file *f, struct dir_context *ctx)
{
	struct inode *dir = f->f_inode;
	struct proc_id did;

	proc_decode(dir->i_ino, &did);
	proc_prune(dir->i_sb);
	if (did.kind != PK_STATIC && proc_task(did.pid) == NULL)
		return -ENOENT;
	if (ctx->pos == 0) {
		if (ctx->actor(ctx, ".", 1, dir->i_ino, DT_DIR))
			return 0;
		ctx->pos = 1;
	}
	if (ctx->pos == 1) {
		if (ctx->actor(ctx, "..", 2, parent_ino(&did), DT_DIR))
			return 0;
		ctx->pos = 2;
	}
	if (ctx->pos < DYN_POS && iterate_table(&did, ctx))
		return 0;
	if (ctx->pos < DYN_POS)
		ctx->pos = DYN_POS;
	if (did.kind == PK_STATIC && did.idx == 0)
		iterate_pids(ctx);
	else if (did.kind == PK_PID && (did.idx == proc_pid_fd_idx || did.idx == proc_pid_fdinfo_idx))
		iterate_fds(&did, ctx);
	else if (did.kind == PK_PID && did.idx == proc_pid_task_idx)
		iterate_threads(&did, ctx);
	return 0;
}

static const struct inode_operations proc_dir_iops = {
	.lookup = proc_lookup,
};

static const struct file_operations proc_dir_fops = {
	.iterate = proc_iterate,
	.fsync = proc_fsync,
};

/* ---- symlinks ---- */

static int proc_readlink(struct inode *inode, char *buf, int size)
{
	const struct proc_node *node;
	struct proc_id id;
	struct task *t = NULL;

	proc_decode(inode->i_ino, &id);
	proc_prune(inode->i_sb);
	if (id.kind != PK_STATIC) {
		t = proc_task(id.pid);
		if (t == NULL)
			return -ENOENT;
	}
	if (id.kind == PK_FD)
		return proc_fd_link(t, id.fd, buf, size);
	node = id_node(&id);
	if (node == NULL || node->link == NULL)
		return -EINVAL;
	return node->link(t, buf, size);
}

/* The object a magic link (fd/N, exe, cwd, root) stands for. */
static int proc_get_link(struct inode *inode, struct path *out)
{
	const struct proc_node *node;
	struct proc_id id;
	struct task *t;

	proc_decode(inode->i_ino, &id);
	t = proc_task(id.pid);
	if (t == NULL)
		return -ENOENT;
	if (id.kind == PK_FD)
		return proc_fd_path(t, id.fd, out);
	node = id_node(&id);
	if (node == NULL || node->path == NULL)
		return -EINVAL;
	return node->path(t, out);
}

const struct inode_operations proc_link_iops = {
	.readlink = proc_readlink,
};

const struct inode_operations proc_magic_iops = {
	.readlink = proc_readlink,
	.get_link = proc_get_link,
};

/*
 * Regular files: a size change (O_TRUNC, as `echo 3 >drop_caches` opens
 * them) is accepted and ignored, as on Linux; the rest is kept in memory.
 */
static int proc_file_setattr(struct inode *inode, struct iattr *attr)
{
	attr->valid &= ~(unsigned)ATTR_SIZE;
	setattr_copy(inode, attr);
	return 0;
}

static const struct inode_operations proc_file_iops = {
	.setattr = proc_file_setattr,
};

/* ---- the filesystem ---- */

static int proc_statfs(struct super_block *sb, struct kstatfs *st)
{
	st->f_bsize = PAGE_SIZE;
	return 0;
}

static const struct super_operations proc_sops = {
	.read_inode = proc_read_inode,
	.statfs = proc_statfs,
};

static int proc_fill_super(struct super_block *sb, const char *data, bool silent)
{
	struct proc_id id = { .kind = PK_STATIC, .idx = 0 };
	struct inode *root;

	sb->s_magic = PROC_SUPER_MAGIC;
	sb->s_blocksize = PAGE_SIZE;
	sb->s_op = &proc_sops;
	root = proc_iget(sb, &id);
	if (IS_ERR(root))
		return (int)PTR_ERR(root);
	sb->s_root = root;
	return 0;
}

static struct file_system_type proc_fs_type = {
	.name = "proc",
	.requires_dev = false,
	.fill_super = proc_fill_super,
};

/* Registers the "proc" filesystem type. */
void proc_init(void)
{
	register_filesystem(&proc_fs_type);
	proc_loadavg_init();
}
