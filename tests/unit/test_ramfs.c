/* unit-sources: fs/ramfs/ramfs.c fs/inode.c fs/posix_acl.c fs/simple_xattr.c */
/*
 * test_ramfs.c - ramfs/tmpfs through its operations tables with the real
 * inode cache: create, write, read (holes read as zeros), truncate,
 * readdir, link, rename, unlink, rmdir, symlinks and devtmpfs nodes;
 * tmpfs's in-memory extended attributes (fs/simple_xattr.c).
 *
 * The kernel headers and libc's clash (dev_t, loff_t), so this file uses
 * only kernel headers and declares the few libc functions it calls.
 */
#include "kernel/fs.h"
#include "kernel/blkdev.h"
#include "kernel/init.h"
#include "kernel/page.h"
#include "kernel/sched.h"
#include "kernel/xattr.h"
#include "uapi/linux/xattr.h"

int printf(const char *fmt, ...);
int vprintf(const char *fmt, va_list ap);
void *malloc(size_t n);
void *calloc(size_t n, size_t m);
void free(void *p);
unsigned long long strtoull(const char *s, char **end, int base);

/* ---- fakes ---- */

struct task *current;
struct live_counts live, live_kernel;
int leak_test_kind = -1;	/* leak_test= is off: leak_test_fire is never called */
bool leak_test_fire(void) { return false; }
u64 nr_pages = 65536;
LIST_HEAD(all_blkdevs);
const struct file_operations def_chr_fops, def_fifo_fops, def_blk_fops;
static struct file_system_type *types[4];
static int ntypes;

void *kmalloc(size_t n) { return malloc(n ? n : 1); }
void *kzalloc(size_t n) { return calloc(1, n ? n : 1); }
void *kcalloc(size_t n, size_t m) { return calloc(n ? n : 1, m ? m : 1); }
void kfree(const void *p) { free((void *)p); }
uint64_t os_realtime_ns(void) { return 1700000000ULL * 1000000000ULL; }
u64 vdso_mono_ns(void) { return 0; }
s64 vdso_real_offset_ns(void) { return (s64)(1700000000ULL * 1000000000ULL); }
void kmutex_lock(struct kmutex *m) { m->locked = true; }
void kmutex_unlock(struct kmutex *m) { m->locked = false; }
void register_filesystem(struct file_system_type *fs) { types[ntypes++] = fs; }

int vfs_mount(const char *dev, const char *dir, const char *type, unsigned long flags,
	      const char *data)
{
	return 0;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

void printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("# ");
	vprintf(fmt, ap);
	va_end(ap);
}

int kstrtou64(const char *s, int base, unsigned long long *out)
{
	char *end;

	*out = strtoull(s, &end, base);
	return *end == '\0' && end != s ? 0 : -EINVAL;
}

long uio_copy_out(struct uio *u, const void *src, size_t n)
{
	memcpy(u->kbuf + u->done, src, n);
	u->done += n;
	return 0;
}

long uio_copy_in(struct uio *u, void *dst, size_t n)
{
	memcpy(dst, u->kbuf + u->done, n);
	u->done += n;
	return 0;
}

long uio_zero_out(struct uio *u, size_t n)
{
	memset(u->kbuf + u->done, 0, n);
	u->done += n;
	return 0;
}

/* ---- helpers ---- */

static int failures, count;

static void check(int ok, const char *name)
{
	count++;
	printf("%sok %d %s\n", ok ? "" : "not ", count, name);
	failures += !ok;
}

static struct file_system_type *fs_type(const char *name)
{
	for (int i = 0; i < ntypes; i++)
		if (strcmp(types[i]->name, name) == 0)
			return types[i];
	return NULL;
}

static struct super_block *mount_tmpfs(void)
{
	struct super_block *sb = calloc(1, sizeof(*sb));

	INIT_LIST_HEAD(&sb->inodes);
	if (fs_type("tmpfs")->fill_super(sb, "mode=0700,size=10m", false))
		return NULL;
	return sb;
}

static long file_io(struct inode *inode, bool wr, void *buf, size_t n, loff_t pos)
{
	struct file f = { .f_inode = inode, .f_mode = FMODE_READ | FMODE_WRITE };
	struct uio u = { .kernel = true, .kbuf = buf, .len = n };

	return wr ? inode->i_fop->write(&f, &u, &pos) : inode->i_fop->read(&f, &u, &pos);
}

struct names {
	struct dir_context ctx;
	char buf[512];
	int n, limit;
};

static int collect(struct dir_context *ctx, const char *name, int len, u64 ino, unsigned type)
{
	struct names *nm = (struct names *)ctx;
	size_t l = strlen(nm->buf);

	if (nm->limit && nm->n >= nm->limit)
		return 1;
	memcpy(nm->buf + l, name, len);
	nm->buf[l + len] = ' ';
	nm->buf[l + len + 1] = '\0';
	nm->n++;
	return 0;
}

static const char *list_dir(struct inode *dir, int limit)
{
	static struct names nm;
	struct file f = { .f_inode = dir };

	memset(&nm, 0, sizeof(nm));
	nm.ctx.actor = collect;
	nm.limit = limit;
	dir->i_fop->iterate(&f, &nm.ctx);
	if (limit) {		/* a second call continues from the cookie */
		nm.limit = 0;
		dir->i_fop->iterate(&f, &nm.ctx);
	}
	return nm.buf;
}

static struct inode *look(struct inode *dir, const char *name)
{
	return dir->i_op->lookup(dir, name, (int)strlen(name));
}

/* ---- tests ---- */

static void test_files(struct super_block *sb)
{
	struct inode *root = sb->s_root, *a, *b;
	char buf[10000];
	struct iattr ia = { .valid = ATTR_SIZE, .size = 3 };
	int i, zeros = 1;

	check((root->i_mode & 07777) == 0700 && S_ISDIR(root->i_mode), "mode= option, root dir");
	a = root->i_op->create(root, "a", 1, 0644);
	check(!IS_ERR(a) && S_ISREG(a->i_mode) && a->i_nlink == 1, "create");
	check(PTR_ERR(root->i_op->create(root, "a", 1, 0644)) == -EEXIST, "create existing: EEXIST");
	check(file_io(a, true, "hello", 5, 0) == 5 && a->i_size == 5, "write");
	check(file_io(a, true, "world", 5, 8000) == 5 && a->i_size == 8005, "write past a hole");
	memset(buf, 'x', sizeof(buf));
	check(file_io(a, false, buf, sizeof(buf), 0) == 8005, "read to EOF");
	for (i = 5; i < 8000; i++)
		zeros &= buf[i] == 0;
	check(memcmp(buf, "hello", 5) == 0 && zeros && memcmp(buf + 8000, "world", 5) == 0,
	      "contents, hole reads zeros");
	check(file_io(a, false, buf, 10, 9000) == 0, "read past EOF is 0");
	check(a->i_op->setattr(a, &ia) == 0 && a->i_size == 3 && a->i_blocks == 8, "truncate");
	ia.size = 10;
	a->i_op->setattr(a, &ia);
	file_io(a, false, buf, 10, 0);
	check(memcmp(buf, "hel\0\0\0\0\0\0\0", 10) == 0, "truncate then extend reads zeros");
	b = look(root, "a");
	check(b == a && a->i_count == 2, "lookup returns a reference");
	iput(b);
	check(PTR_ERR(look(root, "zz")) == -ENOENT, "lookup missing: ENOENT");
	iput(a);
}

static void test_dirs(struct super_block *sb)
{
	struct inode *root = sb->s_root, *d, *f, *s, *a;
	char buf[64];
	int n;

	d = root->i_op->mkdir(root, "d", 1, 0755);
	check(!IS_ERR(d) && d->i_nlink == 2 && root->i_nlink == 3, "mkdir link counts");
	f = d->i_op->create(d, "f", 1, 0644);
	check(strcmp(list_dir(d, 0), ". .. f ") == 0, "readdir with dots");
	check(root->i_op->rmdir(root, "d", 1, d) == -ENOTEMPTY, "rmdir non-empty");
	a = look(root, "a");
	check(d->i_op->link(a, d, "hard", 4) == 0 && a->i_nlink == 2, "link");
	check(root->i_op->rename(d, "hard", 4, root, "moved", 5, 0) == 0 &&
	      PTR_ERR(look(d, "hard")) == -ENOENT, "rename across dirs");
	check(strcmp(list_dir(root, 3), ". .. a d moved ") == 0, "readdir resumes at the cookie");
	check(root->i_op->rename(root, "moved", 5, root, "a", 1, 0) == 0 && a->i_nlink == 2,
	      "rename onto a hard link of itself is a no-op");
	check(root->i_op->rename(d, "f", 1, root, "a", 1, 0) == 0 && a->i_nlink == 1 &&
	      look(root, "a") == f, "rename replaces the target");
	iput(f);
	check(root->i_op->unlink(root, "moved", 5, a) == 0 && a->i_nlink == 0, "unlink");
	iput(a);		/* the last reference: evicted */
	s = root->i_op->symlink(root, "ln", 2, "/some/where");
	n = s->i_op->readlink(s, buf, sizeof(buf));
	check(n == 11 && memcmp(buf, "/some/where", 11) == 0 && S_ISLNK(s->i_mode), "symlink");
	iput(s);
	check(root->i_op->rmdir(root, "d", 1, d) == 0 && d->i_nlink == 0 && root->i_nlink == 2,
	      "rmdir empty");
	iput(d);
	check(root->i_op->rename(root, "d", 1, root, "e", 1, 0) == -ENOENT, "rename missing");
	iput(f);
}

static void test_devtmpfs(void)
{
	struct super_block sb = { 0 };
	struct inode *c;

	INIT_LIST_HEAD(&sb.inodes);
	check(fs_type("devtmpfs")->fill_super(&sb, NULL, false) == 0, "devtmpfs mounts");
	c = look(sb.s_root, "null");
	check(!IS_ERR(c) && S_ISCHR(c->i_mode) && c->i_rdev == MKDEV(1, 3) &&
	      (c->i_mode & 0777) == 0666 && c->i_fop == &def_chr_fops, "/dev/null node");
	iput(c);
	check(devtmpfs_create_node("pts/0", S_IFCHR | 0620, MKDEV(136, 0)) == 0, "nested node");
	check(devtmpfs_create_node("null", S_IFCHR | 0666, MKDEV(1, 3)) == -EEXIST, "EEXIST");
	c = look(sb.s_root, "console");
	check(!IS_ERR(c) && (c->i_mode & 0777) == 0600, "/dev/console 0600");
	iput(c);
	iput(sb.s_root);
}


static int xcount(void *arg, int index, const char *name, size_t len)
{
	(void)index; (void)name; (void)len;
	++*(int *)arg;
	return 0;
}

static void test_xattrs(struct super_block *sb)
{
	const struct xattr_operations *xo = sb->s_xattr;
	struct inode *f = sb->s_root->i_op->create(sb->s_root, "xf", 2, S_IFREG | 0644);
	static char big[65536];
	char buf[16];
	int n = 0, err = 0, k;

	check(xo != NULL, "tmpfs has xattrs");
	check(xo->set(f, XATTR_INDEX_USER, "a", "12", 2, XATTR_CREATE) == 0, "set");
	check(xo->get(f, XATTR_INDEX_USER, "a", NULL, 0) == 2, "size query");
	check(xo->get(f, XATTR_INDEX_USER, "a", buf, 1) == -ERANGE, "ERANGE");
	check(xo->get(f, XATTR_INDEX_TRUSTED, "a", buf, 16) == -ENODATA, "indexes apart");
	check(xo->set(f, XATTR_INDEX_USER, "a", "3", 1, XATTR_CREATE) == -EEXIST, "EEXIST");
	check(xo->set(f, XATTR_INDEX_USER, "b", "3", 1, XATTR_REPLACE) == -ENODATA, "ENODATA");
	check(xo->set(f, XATTR_INDEX_USER, "a", "3", 1, XATTR_REPLACE) == 0, "replace");
	check(xo->get(f, XATTR_INDEX_USER, "a", buf, 16) == 1 && buf[0] == '3', "replaced value");
	check(xo->set(f, XATTR_INDEX_TRUSTED, "a", "", 0, 0) == 0, "empty value");
	check(xo->list(f, xcount, &n) == 0 && n == 2, "list");
	for (k = 0; k < 64 && err == 0; k++) {
		char nm[8] = { 'b', (char)('0' + k / 10), (char)('0' + k % 10), 0 };
		err = xo->set(f, XATTR_INDEX_USER, nm, big, sizeof(big), 0);
	}
	check(err == -ENOSPC && k > 8, "a per-inode limit: ENOSPC");
	check(xo->set(f, XATTR_INDEX_USER, "a", NULL, 0, XATTR_REPLACE) == 0, "remove");
	check(xo->set(f, XATTR_INDEX_USER, "a", NULL, 0, XATTR_REPLACE) == -ENODATA, "remove again");
	iput(f);	/* linked: stays, freed with the superblock (ASan checks) */
}

int main(void)
{
	struct super_block *sb;

	ramfs_init();
	check(fs_type("ramfs") && fs_type("tmpfs") && fs_type("devtmpfs"), "three types");
	sb = mount_tmpfs();
	test_files(sb);
	test_dirs(sb);
	test_devtmpfs();
	test_xattrs(sb);
	iput(sb->s_root);
	sb->s_op->put_super(sb);
	free(sb);
	printf("# %d tests, %d failed\n", count, failures);
	return failures != 0;
}

/* The page cache (mm/filemap.c) is not exercised by this test. */
void filemap_drop(struct inode *inode) { (void)inode; }
/* fs/falloc.c is the guest tests' (tests/guest/splice.c, boot ext4_fallocate). */
long generic_fallocate(struct file *f, int mode, loff_t off, loff_t len, unsigned supported)
{
	(void)f; (void)mode; (void)off; (void)len; (void)supported;
	return -EOPNOTSUPP;
}
int filemap_writeback(struct inode *inode) { (void)inode; return 0; }
void filemap_update(struct inode *inode, u64 pos, u64 len) { (void)inode; (void)pos; (void)len; }
/* fs/posix_acl.c's calls into the VFS (the ACL cache is not exercised here). */
bool in_group_p(gid_t gid) { (void)gid; return false; }
int notify_change(struct dentry *d, struct iattr *attr) { (void)d; (void)attr; return -EPERM; }
char *kstrdup(const char *s) { return strdup(s); }
