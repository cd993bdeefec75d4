/* unit-sources: fs/ext2/super.c fs/ext2/balloc.c fs/ext2/inode.c fs/ext2/bmap.c fs/ext2/dir.c fs/ext2/dindex.c fs/ext2/file.c fs/ext2/namei.c fs/ext2/csum.c fs/ext2/extents.c fs/ext2/journal.c fs/ext2/inline.c fs/buffer.c fs/inode.c fs/ext2/xattr.c fs/ext2/orphan.c fs/posix_acl.c drivers/block/blkdev.c */
/*
 * test_ext2.c - ext2, the buffer cache, the inode cache and blk_rw against
 * real images made by mkfs.ext2 -d, checked afterwards by e2fsck -fn and
 * debugfs.  The block device is a fake that does synchronous pread/pwrite
 * on the image and completes at once, so nothing ever sleeps.
 *
 * The kernel headers and libc's clash (dev_t, loff_t), so this file uses
 * only kernel headers and declares the few libc functions it calls.
 */
#include "kernel/blkdev.h"
#include "kernel/fs.h"
#include "kernel/page.h"
#include "kernel/sched.h"
#include "kernel/init.h"
#include "kernel/xattr.h"
#include "uapi/linux/xattr.h"

int printf(const char *fmt, ...);
int vprintf(const char *fmt, va_list ap);
int snprintf(char *s, size_t n, const char *fmt, ...);
void *malloc(size_t n);
void *calloc(size_t n, size_t m);
void free(void *p);
void abort(void);
int system(const char *cmd);
int open(const char *path, int flags, ...);
int close(int fd);
long read(int fd, void *buf, size_t n);
long pread(int fd, void *buf, size_t n, long off);
long pwrite(int fd, const void *buf, size_t n, long off);
int ftruncate(int fd, long len);
int fsync(int fd);
char *mkdtemp(char *tmpl);
char *strcpy(char *d, const char *s);
char *strstr(const char *h, const char *n);
long strtol(const char *s, char **end, int base);
long lseek(int fd, long off, int whence);
int *__errno_location(void);

/* ---- fakes of the kernel around the code under test ---- */

struct task *current;
struct live_counts live, live_kernel;
int leak_test_kind = -1;	/* leak_test= is off: leak_test_fire is never called */
bool leak_test_fire(void) { return false; }
bool need_resched;
static struct file_system_type *ext2_type;
static int printk_errors;
static char printk_log[16384];	/* what printk said since the last printk_clear */
static size_t printk_len;
int vsnprintf(char *s, size_t n, const char *f, va_list a);

static void printk_clear(void)
{
	printk_len = 0;
	printk_log[0] = 0;
}

void *kmalloc(size_t n) { return malloc(n ? n : 1); }
void *kzalloc(size_t n) { return calloc(1, n ? n : 1); }
void *kcalloc(size_t n, size_t m) { return calloc(n ? n : 1, m ? m : 1); }
void kfree(const void *p) { free((void *)p); }

void printk(const char *fmt, ...)
{
	va_list ap;

	if (fmt[0] == '\001') {
		printk_errors += fmt[1] <= '3';
		fmt += 2;
	}
	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	va_start(ap, fmt);
	if (printk_len < sizeof(printk_log) - 1)
		printk_len += (size_t)vsnprintf(printk_log + printk_len,
						sizeof(printk_log) - printk_len, fmt, ap);
	if (printk_len > sizeof(printk_log) - 1)
		printk_len = sizeof(printk_log) - 1;
	va_end(ap);
}

int sleep_on(struct wait_queue *wq, bool intr)
{
	printf("not ok: sleep_on called with synchronous I/O\n");
	abort();
}
void wake_up(struct wait_queue *wq) { }
void kmutex_lock(struct kmutex *m)
{
	if (m->locked) {
		printf("not ok: kmutex deadlock\n");
		abort();
	}
	m->locked = true;
}
void kmutex_unlock(struct kmutex *m) { m->locked = false; }
struct task *kthread_create(void (*fn)(void *), void *arg, const char *name) { return NULL; }
int sleep_until(u64 deadline, bool intr) { return 0; }
int sleep_on_timeout(struct wait_queue *wq, bool intr, u64 deadline) { return 0; }
size_t kstrlcpy(char *dst, const char *src, size_t size)
{
	size_t n = strlen(src);

	if (size) {
		size_t c = n < size - 1 ? n : size - 1;

		memcpy(dst, src, c);
		dst[c] = 0;
	}
	return n;
}
/* FITRIM's copies: no guest here, every address faults. */
long copy_from_user(void *dst, uaddr_t src, size_t n) { (void)dst; (void)src; (void)n; return -EFAULT; }
long copy_to_user(uaddr_t dst, const void *src, size_t n) { (void)dst; (void)src; (void)n; return -EFAULT; }
u64 os_monotonic_ns(void) { return 0; }
u64 os_realtime_ns(void) { return 1700000000ull * 1000000000ull; }
u64 vdso_mono_ns(void) { return 0; }
s64 vdso_real_offset_ns(void) { return (s64)(1700000000ull * 1000000000ull); }
int sync_all(void) { return 0; }
void register_filesystem(struct file_system_type *fs) { ext2_type = fs; }
loff_t generic_file_llseek(struct file *f, loff_t off, int whence) { return -EINVAL; }
const struct file_operations def_chr_fops, def_fifo_fops, def_blk_fops;

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
bool uio_in_present(struct uio *u, size_t n) { (void)u; (void)n; return true; }
long uio_zero_out(struct uio *u, size_t n)
{
	memset(u->kbuf + u->done, 0, n);
	u->done += n;
	return 0;
}

/* What the buffer cache sees as free memory (nr_free_pages). */
static u64 fake_free_pages = (256ULL << 20) / PAGE_SIZE;

/* Requests the fake disk served: reads and writes, and how many were vectored. */
static long fake_reads, fake_writes, fake_vec, fake_flushes;

/* The fake disk: synchronous host I/O on an image file. */
static void fake_submit(struct block_device *bdev, struct bio *bio)
{
	int fd = (int)(long)bdev->private_data;
	long n = 0;

	fake_reads += bio->op == BIO_READ;
	fake_writes += bio->op == BIO_WRITE;
	fake_vec += bio->nsegs > 0;
	fake_flushes += bio->op == BIO_FLUSH;
	if (bio->nsegs) {	/* vectored: each piece follows the last on disk */
		for (unsigned i = 0; i < bio->nsegs && n >= 0; i++) {
			long off = (long)bio->offset + n, r;

			r = bio->op == BIO_READ ? pread(fd, bio->segs[i].buf, bio->segs[i].len, off) :
			    pwrite(fd, bio->segs[i].buf, bio->segs[i].len, off);
			n = r == (long)bio->segs[i].len ? n + r : -1;
		}
	} else if (bio->op == BIO_READ)
		n = pread(fd, bio->buf, bio->len, (long)bio->offset);
	else if (bio->op == BIO_WRITE)
		n = pwrite(fd, bio->buf, bio->len, (long)bio->offset);
	else
		n = fsync(fd) == 0 ? (long)bio->len : -1;
	blk_complete(bio, n == (long)bio->len ? 0 : -EIO);
}
static const struct block_device_operations fake_ops = { .submit = fake_submit };

/* ---- test helpers ---- */

static int tests, failures;
static char dir[64];

static void check(bool ok, const char *name, const char *why)
{
	tests++;
	if (ok) {
		printf("ok %d %s\n", tests, name);
	} else {
		failures++;
		printf("not ok %d %s: %s\n", tests, name, why);
	}
}

static int sh(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

static u8 *host_file(const char *path, long *len)
{
	int fd = open(path, 0);
	long n;
	u8 *buf;

	if (fd < 0)
		return NULL;
	n = lseek(fd, 0, 2);
	buf = malloc((size_t)n + 1);
	*len = pread(fd, buf, (size_t)n, 0);
	close(fd);
	return buf;
}

static struct block_device bdev;
static int disk_fd = -1;
static int ndev;

static struct super_block *mount_image(const char *img, int *errp)
{
	struct super_block *sb = calloc(1, sizeof(*sb));
	u64 size;
	int err;

	disk_fd = open(img, 2);
	size = (u64)lseek(disk_fd, 0, 2);
	memset(&bdev, 0, sizeof(bdev));
	snprintf(bdev.name, sizeof(bdev.name), "ubd%c", 'a' + ndev);
	bdev.dev = MKDEV(98, 16 * ndev++);
	bdev.size = size;
	bdev.ops = &fake_ops;
	bdev.private_data = (void *)(long)disk_fd;
	bdev.ra_kb = 128;		/* as register_blkdev sets them */
	bdev.ra_next = ~0ULL;
	INIT_LIST_HEAD(&bdev.list);
	INIT_LIST_HEAD(&sb->inodes);
	sb->s_bdev = &bdev;
	sb->s_dev = bdev.dev;
	err = ext2_type->fill_super(sb, NULL, false);
	*errp = err;
	if (err) {
		close(disk_fd);
		free(sb);
		return NULL;
	}
	return sb;
}

static void umount_image(struct super_block *sb)
{
	iput(sb->s_root);
	sb->s_op->sync_fs(sb);
	sb->s_op->put_super(sb);
	close(disk_fd);
	free(sb);
}

/* Walks an absolute-free path from the root: a reference or ERR_PTR. */
static struct inode *walk(struct super_block *sb, const char *path)
{
	struct inode *cur = sb->s_root, *next;
	const char *p = path;

	ihold(cur);
	while (*p) {
		const char *e = strchr(p, '/');
		int len = e ? (int)(e - p) : (int)strlen(p);

		next = cur->i_op->lookup(cur, p, len);
		iput(cur);
		if (IS_ERR(next))
			return next;
		cur = next;
		p += len + (e ? 1 : 0);
	}
	return cur;
}

static long file_read(struct inode *inode, void *buf, size_t n, loff_t pos)
{
	struct file f = { .f_inode = inode };
	struct uio u = { .kernel = true, .kbuf = buf, .len = n };

	return inode->i_fop->read(&f, &u, &pos);
}

static long file_write(struct inode *inode, const void *buf, size_t n, loff_t pos)
{
	struct file f = { .f_inode = inode };
	struct uio u = { .kernel = true, .kbuf = (u8 *)buf, .len = n };

	return inode->i_fop->write(&f, &u, &pos);
}

/* True if the file at path in the image has exactly data. */
static bool same_as(struct super_block *sb, const char *path, const u8 *data, long len)
{
	struct inode *inode = walk(sb, path);
	u8 *buf;
	long n;
	bool ok;

	if (IS_ERR(inode) || (long)inode->i_size != len)
		return false;
	buf = malloc((size_t)len + 16);
	n = file_read(inode, buf, (size_t)len + 16, 0);
	ok = n == len && !memcmp(buf, data, (size_t)len);
	free(buf);
	iput(inode);
	return ok;
}

struct names {
	struct dir_context ctx;
	char all[4096];
	int count;
};

static int collect(struct dir_context *ctx, const char *name, int len, u64 ino, unsigned t)
{
	struct names *n = (struct names *)ctx;
	size_t l = strlen(n->all);

	if (l + (size_t)len + 2 < sizeof(n->all)) {
		memcpy(n->all + l, name, (size_t)len);
		n->all[l + (size_t)len] = ' ';
		n->all[l + (size_t)len + 1] = 0;
	}
	n->count++;
	return 0;
}

static bool has_name(struct names *n, const char *name)
{
	char pat[300];
	size_t l;

	snprintf(pat, sizeof(pat), " %s ", name);
	l = strlen(pat);
	for (const char *p = n->all; *p; p++)
		if (!strncmp(p, pat, l))
			return true;
	return false;
}

static void list_dir(struct inode *d, struct names *n)
{
	struct file f = { .f_inode = d };

	memset(n, 0, sizeof(*n));
	n->all[0] = ' ';
	n->ctx.actor = collect;
	d->i_fop->iterate(&f, &n->ctx);
}

static void make_tree(void)
{
	sh("mkdir -p %s/src/a/b/c %s/src/empty && cd %s/src && printf 'hello world\\n' > hello.txt"
	   " && seq 1 100000 > big && ln -s hello.txt link"
	   " && ln -s /%0100d long && echo deep > a/b/c/deep.txt"
	   " && echo other > a/other && for i in $(seq 1 60); do : > a/f$i; done",
	   dir, dir, dir, 7);
}

static void test_read(struct super_block *sb, const char *tag)
{
	struct inode *inode;
	struct names n;
	char buf[256], path[128];
	long len;
	u8 *big;
	int r;

	snprintf(path, sizeof(path), "%s/src/big", dir);
	big = host_file(path, &len);
	check(same_as(sb, "hello.txt", (const u8 *)"hello world\n", 12), tag, "read hello.txt");
	check(same_as(sb, "big", big, len), tag, "read big (double indirect)");
	check(same_as(sb, "a/b/c/deep.txt", (const u8 *)"deep\n", 5), tag, "nested read");
	inode = walk(sb, "link");
	r = IS_ERR(inode) ? -1 : inode->i_op->readlink(inode, buf, sizeof(buf));
	check(r == 9 && !memcmp(buf, "hello.txt", 9), tag, "fast symlink");
	iput(IS_ERR(inode) ? NULL : inode);
	inode = walk(sb, "long");
	r = IS_ERR(inode) ? -1 : inode->i_op->readlink(inode, buf, sizeof(buf));
	check(r == 101 && buf[0] == '/' && buf[100] == '7', tag, "slow symlink");
	iput(IS_ERR(inode) ? NULL : inode);
	check(PTR_ERR(walk(sb, "nope")) == -ENOENT, tag, "lookup ENOENT");
	list_dir(sb->s_root, &n);
	check(has_name(&n, ".") && has_name(&n, "..") && has_name(&n, "big") &&
	      has_name(&n, "lost+found") && has_name(&n, "empty"), tag, "readdir root");
	inode = walk(sb, "a");
	list_dir(inode, &n);
	check(n.count == 64 && has_name(&n, "f60") && has_name(&n, "other"), tag, "readdir a");
	iput(inode);
	free(big);
}

static struct inode *mk(struct inode *d, const char *name, umode_t mode)
{
	return d->i_op->create(d, name, (int)strlen(name), mode);
}

static void test_files(struct super_block *sb, const char *tag)
{
	struct inode *root = sb->s_root, *f, *d;
	u8 *data = malloc(3 << 20), *back = malloc(3 << 20);
	struct iattr ia = { 0 };
	long r;
	size_t i;

	for (i = 0; i < (3u << 20); i++)
		data[i] = (u8)(i * 7 + i / 1000);
	f = mk(root, "new.txt", 0644);
	check(!IS_ERR(f) && S_ISREG(f->i_mode), tag, "create");
	r = file_write(f, data, 10000, 0);
	check(r == 10000 && f->i_size == 10000, tag, "write 10000");
	iput(f);
	check(same_as(sb, "new.txt", data, 10000), tag, "read back new.txt");
	f = mk(root, "huge", 0600);
	r = file_write(f, data, 3 << 20, 0);
	check(r == (3 << 20), tag, "write 3 MiB");
	r = file_write(f, "tail", 4, 70ll << 20);	/* triple indirect with 1K blocks */
	check(r == 4 && f->i_size == (70ull << 20) + 4, tag, "sparse write at 70 MiB");
	r = file_read(f, back, 4096, 40ll << 20);
	check(r == 4096 && back[0] == 0 && back[4095] == 0, tag, "hole reads zeros");
	ia.valid = ATTR_SIZE;
	ia.size = 300000;
	check(f->i_op->setattr(f, &ia) == 0 && f->i_size == 300000, tag, "truncate shrink");
	ia.size = 1 << 20;
	check(f->i_op->setattr(f, &ia) == 0, tag, "truncate grow");
	r = file_read(f, back, 1 << 20, 0);
	check(r == (1 << 20) && !memcmp(back, data, 300000) && back[300000] == 0 &&
	      back[(1 << 20) - 1] == 0, tag, "grown file: old data then zeros");
	iput(f);

	/* unlink, mkdir, rmdir */
	f = walk(sb, "hello.txt");
	check(root->i_op->unlink(root, "hello.txt", 9, f) == 0 && f->i_nlink == 0, tag, "unlink");
	iput(f);
	check(PTR_ERR(walk(sb, "hello.txt")) == -ENOENT, tag, "unlinked is gone");
	d = root->i_op->mkdir(root, "d1", 2, 0755);
	check(!IS_ERR(d) && d->i_nlink == 2 && S_ISDIR(d->i_mode), tag, "mkdir");
	f = mk(d, "x", 0644);
	check(root->i_op->rmdir(root, "d1", 2, d) == -ENOTEMPTY, tag, "rmdir ENOTEMPTY");
	check(d->i_op->unlink(d, "x", 1, f) == 0, tag, "unlink in subdir");
	iput(f);
	check(root->i_op->rmdir(root, "d1", 2, d) == 0, tag, "rmdir");
	iput(d);
	free(data);
	free(back);
}

static void test_names(struct super_block *sb, const char *tag)
{
	struct inode *root = sb->s_root, *f, *a, *d, *x;
	char buf[300], target[200];
	int r;

	a = walk(sb, "a");
	/* rename a file within a dir, across dirs, over an existing file */
	check(a->i_op->rename(a, "other", 5, a, "other2", 6, 0) == 0, tag, "rename same dir");
	check(same_as(sb, "a/other2", (const u8 *)"other\n", 6), tag, "renamed content");
	check(a->i_op->rename(a, "other2", 6, root, "moved", 5, 0) == 0, tag, "rename across");
	f = walk(sb, "a/f1");
	check(root->i_op->rename(root, "moved", 5, a, "f1", 2, 0) == 0 && f->i_nlink == 0,
	      tag, "rename replaces target");
	iput(f);
	check(same_as(sb, "a/f1", (const u8 *)"other\n", 6), tag, "replaced content");
	/* rename a directory to another parent: '..' and link counts */
	d = walk(sb, "a/b");
	r = (int)root->i_nlink;
	check(a->i_op->rename(a, "b", 1, root, "bdir", 4, 0) == 0 && (int)root->i_nlink == r + 1 &&
	      a->i_nlink == 2, tag, "rename dir across");
	x = walk(sb, "bdir/..");
	check(!IS_ERR(x) && x->i_ino == 2, tag, "'..' fixed after rename");
	iput(IS_ERR(x) ? NULL : x);
	check(same_as(sb, "bdir/c/deep.txt", (const u8 *)"deep\n", 5), tag, "moved dir content");
	/* rename a directory over an empty one */
	check(root->i_op->rename(root, "bdir", 4, root, "empty", 5, 0) == 0 &&
	      (int)root->i_nlink == r, tag, "rename dir over empty dir");
	iput(d);
	/* links and symlinks */
	f = walk(sb, "big");
	check(root->i_op->link(f, a, "biglink", 7) == 0 && f->i_nlink == 2, tag, "link");
	iput(f);
	f = root->i_op->symlink(root, "s1", 2, "a/f1");
	r = IS_ERR(f) ? -1 : f->i_op->readlink(f, buf, sizeof(buf));
	check(r == 4 && !memcmp(buf, "a/f1", 4), tag, "symlink fast");
	iput(IS_ERR(f) ? NULL : f);
	memset(target, 'q', 150);
	target[150] = 0;
	f = root->i_op->symlink(root, "s2", 2, target);
	r = IS_ERR(f) ? -1 : f->i_op->readlink(f, buf, sizeof(buf));
	check(r == 150 && !memcmp(buf, target, 150), tag, "symlink slow");
	iput(IS_ERR(f) ? NULL : f);
	f = root->i_op->mknod(root, "tty", 3, S_IFCHR | 0600, MKDEV(4, 64));
	check(!IS_ERR(f) && f->i_rdev == MKDEV(4, 64), tag, "mknod old encoding");
	iput(IS_ERR(f) ? NULL : f);
	f = root->i_op->mknod(root, "bigdev", 6, S_IFBLK | 0600, MKDEV(300, 70000));
	iput(IS_ERR(f) ? NULL : f);
	f = root->i_op->mknod(root, "fifo", 4, S_IFIFO | 0600, 0);
	check(!IS_ERR(f) && f->i_fop == &def_fifo_fops, tag, "mknod fifo");
	iput(IS_ERR(f) ? NULL : f);
	/* many entries: the directory grows past one block */
	for (r = 0; r < 200; r++) {
		snprintf(buf, sizeof(buf), "many-entries-file-%03d", r);
		f = mk(a, buf, 0644);
		iput(IS_ERR(f) ? NULL : f);
	}
	x = walk(sb, "a/many-entries-file-199");
	check(!IS_ERR(x), tag, "directory grew");
	iput(IS_ERR(x) ? NULL : x);
	iput(a);
}

static bool debugfs_cat(const char *img, const char *path, const char *want)
{
	char out[128];
	long len;
	u8 *got;
	bool ok;

	snprintf(out, sizeof(out), "%s/cat.out", dir);
	sh("debugfs -R 'cat %s' %s > %s 2>/dev/null", path, img, out);
	got = host_file(out, &len);
	ok = got && len == (long)strlen(want) && !memcmp(got, want, (size_t)len);
	free(got);
	return ok;
}

/* One image made by mkfs.TYPE (ext2 without dir_index; ext4 with the host's defaults). */
static void test_image(const char *type, int bs)
{
	char img[128], tag[32];
	struct super_block *sb;
	struct inode *f;
	int err;

	snprintf(tag, sizeof(tag), "%s-%d", type, bs);
	snprintf(img, sizeof(img), "%s/img%s-%d", dir, type, bs);
	sh("rm -f %s && mkfs.%s -q -F -b %d %s -d %s/src %s %d", img, type, bs,
	   strcmp(type, "ext2") ? "" : "-O ^dir_index", dir, img, 32768 * 1024 / bs);
	sb = mount_image(img, &err);
	check(sb != NULL, tag, "mount");
	if (!sb)
		return;
	test_read(sb, tag);
	test_files(sb, tag);
	test_names(sb, tag);
	umount_image(sb);
	check(printk_errors == 0, tag, "no errors logged");
	check(sh("e2fsck -fn %s > %s/fsck.log 2>&1 || { cat %s/fsck.log; exit 1; }", img, dir, dir) == 0, tag,
	      "e2fsck -fn clean");
	check(debugfs_cat(img, "/a/f1", "other\n"), tag, "debugfs sees renamed file");
	check(debugfs_cat(img, "/empty/c/deep.txt", "deep\n"), tag, "debugfs sees the moved directory");
	check(sh("debugfs -R 'ls -p /' %s 2>/dev/null | grep -q '/empty/' && "
		 "! debugfs -R 'ls -p /' %s 2>/dev/null | grep -q '/bdir/'", img, img) == 0,
	      tag, "debugfs: the renamed-over name is gone");
	sb = mount_image(img, &err);
	check(sb != NULL, tag, "remount");
	if (!sb)
		return;
	f = walk(sb, "a/biglink");
	check(!IS_ERR(f) && f->i_nlink == 2, tag, "link persisted");
	iput(IS_ERR(f) ? NULL : f);
	f = walk(sb, "bigdev");
	check(!IS_ERR(f) && f->i_rdev == MKDEV(300, 70000), tag, "mknod new encoding persisted");
	iput(IS_ERR(f) ? NULL : f);
	umount_image(sb);
	check(sh("e2fsck -fn %s > %s/fsck.log 2>&1 || { cat %s/fsck.log; exit 1; }", img, dir, dir) == 0, tag,
	      "e2fsck -fn clean after remount");
}

static void test_bad_images(void)
{
	char img[128];
	int err = 0;

	snprintf(img, sizeof(img), "%s/bad", dir);
	sh("head -c 1048576 /dev/urandom > %s", img);
	check(!mount_image(img, &err) && err == -EINVAL, "bad", "garbage image -> EINVAL");
	sh("head -c 200000 %s/imgext2-1024 > %s", dir, img);
	check(!mount_image(img, &err) && err == -EINVAL, "bad", "truncated image -> EINVAL");
	sh("cp %s/imgext2-1024 %s && printf '\\377\\377\\377\\377' | dd of=%s bs=1 seek=%d conv=notrunc"
	   " 2>/dev/null", dir, img, img, 2048 + 8);	/* group 0's inode table */
	check(!mount_image(img, &err) && err == -EINVAL, "bad", "bad group descriptor -> EINVAL");
	sh("cp %s/imgext2-1024 %s && printf '\\200' | dd of=%s bs=1 seek=%d conv=notrunc 2>/dev/null",
	   dir, img, img, 1024 + 96 + 2);	/* an unknown incompat feature (0x800000) */
	check(!mount_image(img, &err) && err == -EINVAL, "bad", "unknown incompat -> EINVAL");
	printk_errors = 0;
}

/* Flips byte off of img (a copy of src) with xor 0xff. */
static void corrupt_copy(const char *src, const char *img, long off)
{
	sh("cp %s %s && python3 -c \"import sys; f=open('%s','r+b'); f.seek(%ld); b=f.read(1);"
	   " f.seek(%ld); f.write(bytes([b[0]^255]))\"", src, img, img, off, off);
}

/* The byte offset of inode path's slot in img (from debugfs imap). */
static long inode_offset(const char *img, const char *path, int bs)
{
	char out[128];
	long len, blk = -1, off = -1;
	u8 *text;
	char *p;

	snprintf(out, sizeof(out), "%s/imap.out", dir);
	sh("debugfs -R 'imap %s' %s 2>/dev/null | awk '/located/ {print $4, $6}' | tr -d , > %s",
	   path, img, out);
	text = host_file(out, &len);
	if (!text || len <= 0)
		return -1;
	text[len - 1] = 0;
	blk = strtol((char *)text, &p, 10);
	off = strtol(p, NULL, 16);
	free(text);
	return blk * bs + off;
}

/* Corrupt ext4 images: every checksum is checked, features are obeyed. */
static void test_bad_ext4(void)
{
	char src[128], img[128];
	struct super_block *sb;
	struct inode *f;
	long off;
	int err = 0;

	snprintf(src, sizeof(src), "%s/ext4src", dir);
	snprintf(img, sizeof(img), "%s/ext4bad", dir);
	sh("rm -f %s && mkfs.ext4 -q -F -b 1024 -d %s/src %s 16384", src, dir, src);
	corrupt_copy(src, img, 1024 + 0x78);	/* the volume name, not the checksum */
	check(!mount_image(img, &err) && err == -EINVAL, "ext4-bad", "superblock checksum -> EINVAL");
	corrupt_copy(src, img, 2048 + 64 + 12);	/* group 1's free block count */
	check(!mount_image(img, &err) && err == -EINVAL, "ext4-bad", "descriptor checksum -> EINVAL");
	off = inode_offset(src, "/hello.txt", 1024);
	corrupt_copy(src, img, off + 0x10);	/* its mtime */
	sb = mount_image(img, &err);
	check(sb != NULL, "ext4-bad", "mount with a bad inode");
	if (sb) {
		f = walk(sb, "hello.txt");
		check(IS_ERR(f) && PTR_ERR(f) == -EIO, "ext4-bad", "inode checksum -> EIO");
		iput(IS_ERR(f) ? NULL : f);
		f = walk(sb, "big");
		check(!IS_ERR(f), "ext4-bad", "other inodes still read");
		iput(IS_ERR(f) ? NULL : f);
		umount_image(sb);
	}
	sh("cp %s %s && debugfs -w -R 'feature FEATURE_R23' %s >/dev/null 2>&1", src, img, img);
	/* an unknown ro_compat feature */
	sb = mount_image(img, &err);
	check(sb != NULL && sb->s_rdonly, "ext4-bad", "unknown ro_compat -> read-only mount");
	if (sb)
		umount_image(sb);
	sh("cp %s %s && debugfs -w -R 'set_bg 1 inode_bitmap 0' %s >/dev/null 2>&1 &&"
	   " debugfs -w -R 'set_bg 1 checksum calc' %s >/dev/null 2>&1", src, img, img, img);
	check(!mount_image(img, &err) && err == -EINVAL, "ext4-bad", "bitmap over the superblock -> EINVAL");
	printk_errors = 0;
}

/* ---- a seeded corruption harness: never a crash, a hang or a leak ---- */

static unsigned long long fz_state;
static int fz_seen;

static unsigned fz_rnd(unsigned n)
{
	fz_state = fz_state * 6364136223846793005ull + 1442695040888963407ull;
	return (unsigned)((fz_state >> 33) % n);
}

/* Reads everything under d (bounded), as find + cat would. */
static void fz_walk(struct inode *d, int depth)
{
	struct names *n = malloc(sizeof(*n));
	char *p, *e, buf[4096];

	if (depth > 6 || fz_seen > 3000) {
		free(n);
		return;
	}
	list_dir(d, n);
	for (p = n->all + 1; *p; p = e + 1) {
		struct inode *c;
		loff_t pos;

		e = strchr(p, ' ');
		if (!e)
			break;
		if ((e - p == 1 && p[0] == '.') || (e - p == 2 && p[0] == '.' && p[1] == '.'))
			continue;
		fz_seen++;
		c = d->i_op->lookup(d, p, (int)(e - p));
		if (IS_ERR(c))
			continue;
		if (S_ISDIR(c->i_mode) && c->i_fop)
			fz_walk(c, depth + 1);
		else if (S_ISREG(c->i_mode) && c->i_fop)
			for (pos = 0; pos < 256 << 10 && file_read(c, buf, sizeof(buf), pos) > 0; )
				pos += sizeof(buf);
		else if (S_ISLNK(c->i_mode) && c->i_op->readlink)
			c->i_op->readlink(c, buf, sizeof(buf));
		iput(c);
	}
	free(n);
}

/* Changes a corrupt filesystem a little: each call may fail, none may crash. */
static void fz_change(struct super_block *sb)
{
	struct inode *root = sb->s_root, *f, *d;
	char data[5000];

	memset(data, 'z', sizeof(data));
	f = root->i_op->create(root, "fz", 2, 0644);
	if (!IS_ERR(f)) {
		file_write(f, data, sizeof(data), 0);
		iput(f);
	}
	d = root->i_op->mkdir(root, "fzd", 3, 0755);
	iput(IS_ERR(d) ? NULL : d);
	f = walk(sb, "a/f2");
	if (!IS_ERR(f)) {
		d = walk(sb, "a");
		if (!IS_ERR(d)) {
			d->i_op->unlink(d, "f2", 2, f);
			iput(d);
		}
		iput(f);
	}
}

/*
 * Copies src, flips random bytes in the metadata blocks listed in blocks
 * (superblock, descriptors, bitmaps, inode tables, directories, the
 * journal's first block), mounts, reads everything, changes a little.
 */
static void fz_one(const char *src, const long *blocks, int nblocks, int bs, unsigned seed,
		   int *mounted, int *refused)
{
	char img[128];
	struct super_block *sb;
	int i, err = 0, fd;

	snprintf(img, sizeof(img), "%s/fuzz", dir);
	sh("cp %s %s", src, img);
	fd = open(img, 2);
	fz_state = seed;
	for (i = 0; i < 6; i++) {
		long off = blocks[fz_rnd((unsigned)nblocks)] * bs + fz_rnd((unsigned)bs);
		u8 b;

		if (pread(fd, &b, 1, off) == 1) {
			b ^= (u8)(1 + fz_rnd(255));
			pwrite(fd, &b, 1, off);
		}
	}
	close(fd);
	sb = mount_image(img, &err);
	if (!sb) {
		*refused += err == -EINVAL || err == -EIO || err == -EROFS;
		return;
	}
	(*mounted)++;
	fz_seen = 0;
	fz_walk(sb->s_root, 0);
	if (!sb->s_rdonly)
		fz_change(sb);
	umount_image(sb);
}

/* The metadata blocks of img: a list of block numbers read from dumpe2fs/debugfs. */
static int fz_blocks(const char *img, long *v, int max)
{
	char out[128];
	long len;
	u8 *text;
	char *p;
	int n = 0;

	snprintf(out, sizeof(out), "%s/blocks.out", dir);
	sh("{ dumpe2fs %s 2>/dev/null | sed -n 's/.*\\(superblock\\|descriptors\\|bitmap\\|table\\) at \\([0-9]*\\).*/\\2/p';"
	   " dumpe2fs %s 2>/dev/null | sed -n 's/.*Inode table at \\([0-9]*\\)-.*/\\1/p' | while read b; do"
	   " echo $((b+1)) $((b+2)) $((b+3)); done;"
	   " for d in / /a /a/b /empty; do debugfs -R \"blocks $d\" %s 2>/dev/null; done;"
	   " debugfs -R 'bmap <8> 0' %s 2>/dev/null;"
	   " o=$(dumpe2fs -h %s 2>/dev/null | sed -n 's/^Orphan file inode: *//p');"
	   " [ -z \"$o\" ] || debugfs -R \"bmap <$o> 0\" %s 2>/dev/null; } | tr ' ' '\\n' | grep -v '^$' > %s",
	   img, img, img, img, img, img, out);
	text = host_file(out, &len);
	if (!text)
		return 0;
	text[len > 0 ? len - 1 : 0] = 0;
	for (p = (char *)text; *p && n < max; ) {
		long b = strtol(p, &p, 10);

		if (b > 0 || n == 0)
			v[n++] = b;
		while (*p == '\n')
			p++;
	}
	free(text);
	return n;
}

#define FZ_SEEDS 30

/* A seeded corruption run over ext2, ext4 without and with metadata_csum, with an orphan file. */
static void test_fuzz(void)
{
	static const char *const mk[] = {
		"mkfs.ext2 -q -F -b 1024", "mkfs.ext4 -q -F -b 1024 -O ^metadata_csum",
		"mkfs.ext4 -q -F -b 1024", "mkfs.ext4 -q -F -b 4096 -O ^metadata_csum",
		"mkfs.ext4 -q -F -b 1024 -O orphan_file",
	};
	char src[128], tag[32];
	long blocks[512];
	unsigned k, seed;

	for (k = 0; k < ARRAY_SIZE(mk); k++) {
		int bs = strstr(mk[k], "4096") ? 4096 : 1024, n, mounted = 0, refused = 0;

		snprintf(src, sizeof(src), "%s/fuzzsrc", dir);
		snprintf(tag, sizeof(tag), "fuzz-%u", k);
		sh("rm -f %s && %s -d %s/src %s %d", src, mk[k], dir, src, 16384 * 1024 / bs);
		n = fz_blocks(src, blocks, 512);
		check(n > 10, tag, "metadata blocks found");
		if (n <= 10)
			continue;
		for (seed = 1; seed <= FZ_SEEDS; seed++)
			fz_one(src, blocks, n, bs, seed * 7919 + k, &mounted, &refused);
		printf("# %s: %d mounted, %d refused of %d\n", mk[k], mounted, refused, FZ_SEEDS);
		check(mounted + refused == FZ_SEEDS && mounted > 0, tag,
		      "every corrupt image refused cleanly or mounted and survived");
	}
	printk_errors = 0;
}


/* ---- inline-data directories: read as ext4 stores them, corruption is EIO ---- */

/* A listing that takes one entry per iterate call: the position carries the rest. */
struct slow {
	struct names n;
	bool taken;
};

static int one_at_a_time(struct dir_context *ctx, const char *name, int len, u64 ino, unsigned t)
{
	struct slow *s = (struct slow *)ctx;

	if (s->taken)
		return 1;	/* full: the caller comes back from ctx->pos */
	s->taken = true;
	return collect(ctx, name, len, ino, t);
}

static int list_slowly(struct inode *d, struct names *out)
{
	struct slow s;
	struct file f = { .f_inode = d };
	int err = 0, calls = 0;

	if (IS_ERR(d))
		return (int)PTR_ERR(d);
	memset(&s, 0, sizeof(s));
	s.n.all[0] = ' ';
	s.n.ctx.actor = one_at_a_time;
	do {
		s.taken = false;
		err = d->i_fop->iterate(&f, &s.n.ctx);
	} while (!err && s.taken && ++calls < 100);
	iput(d);
	*out = s.n;
	return err;
}

/* Lists dir path of sb into n: 0 or the error of the lookup or the listing. */
static int inline_list(struct super_block *sb, const char *path, struct names *n)
{
	struct inode *d = walk(sb, path);
	struct file f = { .f_inode = d };
	int err;

	memset(n, 0, sizeof(*n));
	if (IS_ERR(d))
		return (int)PTR_ERR(d);
	n->all[0] = ' ';
	n->ctx.actor = collect;
	err = d->i_fop->iterate(&f, &n->ctx);
	iput(d);
	return err;
}

/* xors the bytes at off (n of them) of img, a copy of src, with x. */
static void poke(const char *src, const char *img, long off, int n, u8 x)
{
	int fd;

	sh("cp %s %s", src, img);
	fd = open(img, 2);
	for (int i = 0; i < n; i++) {
		u8 b;

		if (pread(fd, &b, 1, off + i) == 1) {
			b ^= x;
			pwrite(fd, &b, 1, off + i);
		}
	}
	close(fd);
}

static void test_inline(void)
{
	static const char *const dirs[] = { "/a/b", "/a/b/c", "/empty" };
	char src[128], img[128];
	struct super_block *sb;
	struct inode *c, *b;
	struct names n;
	long off[3];
	int err = 0, mounted = 0, k;

	snprintf(src, sizeof(src), "%s/inlinesrc", dir);
	snprintf(img, sizeof(img), "%s/inlinebad", dir);
	sh("rm -f %s && mkfs.ext4 -q -F -b 1024 -I 256 -O inline_data,^metadata_csum -d %s/src %s 16384",
	   src, dir, src);
	for (k = 0; k < 3; k++) {
		char cmd[300];

		off[k] = inode_offset(src, dirs[k], 1024);
		snprintf(cmd, sizeof(cmd), "debugfs -R 'stat %s' %s 2>/dev/null | grep -q 'Flags: 0x10000000'",
			 dirs[k], src);
		check(off[k] > 0 && sh("%s", cmd) == 0, "inline", "the image has inline directories");
	}
	sb = mount_image(src, &err);
	check(sb && sb->s_rdonly, "inline", "inline_data mounts read-only");
	if (sb) {
		test_read(sb, "inline");
		check(inline_list(sb, "a/b", &n) == 0 && n.count == 3 && has_name(&n, ".") &&
		      has_name(&n, "..") && has_name(&n, "c"), "inline", "readdir of an inline dir");
		check(list_slowly(walk(sb, "a/b/c"), &n) == 0 && n.count == 3 && has_name(&n, "deep.txt") &&
		      has_name(&n, ".") && has_name(&n, ".."), "inline", "readdir one entry at a time");
		check(inline_list(sb, "empty", &n) == 0 && n.count == 2, "inline", "an empty inline dir");
		b = walk(sb, "a/b");
		c = walk(sb, "a/b/c/..");
		check(!IS_ERR(b) && !IS_ERR(c) && b->i_ino == c->i_ino, "inline", "'..' of an inline dir");
		iput(IS_ERR(c) ? NULL : c);
		c = IS_ERR(b) ? ERR_PTR(-ENOENT) : b->i_op->lookup(b, ".", 1);
		check(!IS_ERR(c) && c->i_ino == b->i_ino, "inline", "'.' of an inline dir");
		iput(IS_ERR(c) ? NULL : c);
		iput(IS_ERR(b) ? NULL : b);
		check(PTR_ERR(walk(sb, "a/b/nope")) == -ENOENT, "inline", "ENOENT in an inline dir");
		c = walk(sb, "empty");
		b = IS_ERR(c) ? ERR_PTR(-ENOENT) : c->i_op->create(c, "x", 1, 0644);
		check(PTR_ERR(b) == -EROFS, "inline", "create in an inline dir -> EROFS");
		iput(IS_ERR(b) ? NULL : b);
		iput(IS_ERR(c) ? NULL : c);
		umount_image(sb);
	}
	check(printk_errors == 0, "inline", "no errors logged");
	/* i_block is at 0x28 of the slot: the parent, then the first entry's inode, rec_len. */
	poke(src, img, off[0] + 0x28 + 8, 1, 0x0a);	/* "c", alone in /a/b: rec_len 56 -> 50 */
	sb = mount_image(img, &err);
	if (sb) {
		check(PTR_ERR(walk(sb, "a/b/c")) == -EIO, "inline-bad", "bad rec_len: lookup EIO");
		check(inline_list(sb, "a/b", &n) == -EIO, "inline-bad", "bad rec_len: readdir EIO");
		check(same_as(sb, "a/other", (const u8 *)"other\n", 6), "inline-bad", "the rest reads");
		umount_image(sb);
	}
	poke(src, img, off[2] + 4, 1, 60 ^ 100);		/* /empty: i_size 60 -> 100, system.data "" */
	sb = mount_image(img, &err);
	if (sb) {
		check(inline_list(sb, "empty", &n) == -EIO, "inline-bad", "short system.data: readdir EIO");
		umount_image(sb);
	}
	poke(src, img, off[1] + 0x28, 4, 0xff);		/* /a/b/c: parent 0xffff.... */
	sb = mount_image(img, &err);
	if (sb) {
		check(PTR_ERR(walk(sb, "a/b/c/deep.txt")) == -EIO, "inline-bad", "bad parent: EIO");
		umount_image(sb);
	}
	check(sb != NULL, "inline-bad", "corrupt inline dirs mount");
	/* Seeded: random bytes of the inline dirs' i_block and in-inode xattrs. */
	for (unsigned seed = 1; seed <= 60; seed++) {
		long at;

		fz_state = seed * 104729u;
		k = (int)fz_rnd(3);
		at = off[k] + (fz_rnd(2) ? 0x28 + (long)fz_rnd(60) : 0x80 + (long)fz_rnd(128));
		poke(src, img, at, 1 + (int)fz_rnd(3), (u8)(1 + fz_rnd(255)));
		sb = mount_image(img, &err);
		if (!sb)
			continue;
		mounted++;
		fz_seen = 0;
		fz_walk(sb->s_root, 0);
		umount_image(sb);
	}
	check(mounted == 60, "inline-fuzz", "every image with a corrupt inline dir mounted and survived");
	printk_errors = 0;
}

/* ---- htree: hashes against debugfs, inserts with splits and a second level ---- */

int ext2_dx_hash(const char *name, int len, unsigned ver, const u32 *seed, u32 *out);

/*
 * ext2_dx_hash agrees with debugfs dx_hash (which knows the three signed
 * versions), with and without a seed; the unsigned variants differ only on
 * bytes above 0x7f (e2fsck checks them on an unsigned image below).
 */
static void test_dx_hash(const char *img)
{
	static const char *const algs[] = { "legacy", "half_md4", "tea" };
	static const char *const names[] = { "a", "hello", "h\303\251llo-\377\200",
		"a-name-longer-than-thirty-two-bytes-for-two-md4-rounds",
		"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef-z" };
	static const u8 uuid[16] = { 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
				     0x10, 0x32, 0x54, 0x76, 0x98, 0xba, 0xdc, 0xfe };
	char out[128], want[64];
	int bad = 0, runs = 0;

	snprintf(out, sizeof(out), "%s/hash.out", dir);
	for (unsigned v = 0; v < 3; v++)
		for (int withseed = 0; withseed < 2; withseed++)
			for (unsigned i = 0; i < ARRAY_SIZE(names); i++) {
				u32 seed[4], h = 0;
				long len;
				u8 *got;

				memcpy(seed, uuid, 16);
				if (!withseed)
					memset(seed, 0, 16);
				sh("debugfs -R 'dx_hash -h %s %s \"%s\"' %s 2>/dev/null"
				   " | LC_ALL=C sed -n 's/.* is \\(0x[0-9a-f]*\\).*/\\1/p' > %s", algs[v],
				   withseed ? "-s 01234567-89ab-cdef-1032-547698badcfe" : "",
				   names[i], img, out);
				got = host_file(out, &len);
				ext2_dx_hash(names[i], (int)strlen(names[i]), v, seed, &h);
				snprintf(want, sizeof(want), "0x%x\n", h);
				runs++;
				if (!got || len != (long)strlen(want) || memcmp(got, want, (size_t)len)) {
					bad++;
					printf("# %s seed %d '%s': ours %s", algs[v], withseed, names[i], want);
				}
				free(got);
			}
	check(runs == 30 && bad == 0, "htree", "hashes match debugfs dx_hash");
	for (unsigned v = 0; v < 3; v++) {
		u32 s1, u1, s2, u2;

		ext2_dx_hash(names[1], 5, v, NULL, &s1);
		ext2_dx_hash(names[1], 5, v + 3, NULL, &u1);
		ext2_dx_hash(names[2], (int)strlen(names[2]), v, NULL, &s2);
		ext2_dx_hash(names[2], (int)strlen(names[2]), v + 3, NULL, &u2);
		check(s1 == u1 && s2 != u2, algs[v], "unsigned variant differs only on high bytes");
	}
	{
		u32 h;

		check(ext2_dx_hash("x", 1, 6, NULL, &h) == -EINVAL, "htree", "unknown hash version -> EINVAL");
	}
}

/* Name i of the big directory: lengths 10..209, some bytes above 0x7f (signedness). */
static int htree_name(char *buf, int i, int gen)
{
	int len = snprintf(buf, 256, "%s%05d-g%d-", i % 7 ? "f" : "\303\251", i, gen);
	int want = 10 + (i * 37) % 200;

	for (; len < want; len++)
		buf[len] = (char)('a' + (i + len) % 26);
	buf[len] = 0;
	return len;
}

struct htree_seen {
	struct dir_context ctx;
	u8 *seen;		/* per name index: listed how many times */
	int n, others, bad;
};

static int htree_collect(struct dir_context *ctx, const char *name, int len, u64 ino, unsigned t)
{
	struct htree_seen *s = (struct htree_seen *)ctx;
	char want[256], *end;
	long i;

	if ((len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.')) {
		s->others++;
		return 0;
	}
	i = strtol(name + (name[0] == 'f' ? 1 : 2), &end, 10);
	if (i < 0 || i >= s->n || end[0] != '-' || end[1] != 'g' ||
	    htree_name(want, (int)i, end[2] - '0') != len || memcmp(want, name, (size_t)len)) {
		s->bad++;
		return 0;
	}
	s->seen[i]++;
	return 0;
}

/* gen[i]: 0 absent, else the generation of name i that must exist. */
static bool htree_verify(struct super_block *sb, const u8 *gen, int n, const char *tag)
{
	struct inode *d = walk(sb, "big");
	struct htree_seen s = { .seen = calloc(1, (size_t)n), .n = n };
	struct file f = { .f_inode = d };
	int i, lost = 0, ghosts = 0, wrong = 0;
	char name[256];

	if (IS_ERR(d)) {
		check(false, tag, "big/ found");
		free(s.seen);
		return false;
	}
	for (i = 0; i < n; i++) {
		for (int g = 1; g <= 2; g++) {
			int len = htree_name(name, i, g);
			struct inode *c = d->i_op->lookup(d, name, len);
			bool there = !IS_ERR(c);

			if (there)
				iput(c);
			if (there && gen[i] != g)
				ghosts++;
			else if (!there && gen[i] == g)
				lost++;
			else if (!there && PTR_ERR(c) != -ENOENT)
				wrong++;
		}
	}
	s.ctx.actor = htree_collect;
	d->i_fop->iterate(&f, &s.ctx);
	for (i = 0; i < n; i++)
		wrong += s.seen[i] != (gen[i] ? 1 : 0);
	iput(d);
	check(lost == 0 && ghosts == 0, tag, "every name found by lookup, none deleted found");
	check(wrong == 0 && s.bad == 0 && s.others == 2, tag, "every name listed once by readdir");
	free(s.seen);
	return !lost && !ghosts && !wrong && !s.bad;
}

/*
 * Thousands of files in one directory of a fresh mkfs.ext4 image (1K
 * blocks: leaves split early and the root fills, growing a second index
 * level): deletes and re-adds, then e2fsck (htree structure, hash
 * order), debugfs's view of the index, and a remount.
 */
static void test_htree(const char *tag, int bs, const char *opts, const char *tune, int n,
		       const char *levels)
{
	char img[128], name[256];
	u8 *gen = calloc(1, (size_t)n);
	struct super_block *sb;
	struct inode *d, *c;
	int i, len, err, fails = 0;

	snprintf(img, sizeof(img), "%s/htree-%s", dir, tag);
	sh("rm -f %s && mkfs.ext4 -q -F -b %d -N %d %s %s %d && IMG=%s && %s", img, bs, n + 2000, opts,
	   img, (64 << 20) / bs, img, tune);
	sb = mount_image(img, &err);
	check(sb != NULL, tag, "mount");
	if (!sb)
		goto out;
	d = sb->s_root->i_op->mkdir(sb->s_root, "big", 3, 0755);
	check(!IS_ERR(d), tag, "mkdir big");
	if (IS_ERR(d)) {
		umount_image(sb);
		goto out;
	}
	for (i = 0; i < n; i++) {		/* create all */
		len = htree_name(name, i, 1);
		c = mk(d, name, (umode_t)(S_IFREG | 0644));
		fails += IS_ERR(c);
		if (!IS_ERR(c)) {
			gen[i] = 1;
			iput(c);
		}
	}
	check(fails == 0, tag, "create thousands of files");
	for (i = 0; i < n; i += 3) {		/* delete a third */
		len = htree_name(name, i, 1);
		c = d->i_op->lookup(d, name, len);
		err = IS_ERR(c) ? (int)PTR_ERR(c) : d->i_op->unlink(d, name, len, c);
		if (!IS_ERR(c))
			iput(c);
		fails += err != 0;
		if (!err)
			gen[i] = 0;
	}
	len = htree_name(name, 1, 2);
	check(d->i_op->unlink(d, name, len, d) == -ENOENT, tag, "unlink of an absent name -> ENOENT");
	for (i = 0; i < n; i += 6) {		/* re-add half of them, renamed */
		htree_name(name, i, 2);
		c = mk(d, name, (umode_t)(S_IFREG | 0644));
		fails += IS_ERR(c);
		if (!IS_ERR(c)) {
			gen[i] = 2;
			iput(c);
		}
	}
	check(fails == 0, tag, "deletes and re-adds");
	iput(d);
	htree_verify(sb, gen, n, tag);
	umount_image(sb);
	check(printk_errors == 0, tag, "no errors logged");
	check(sh("e2fsck -fn %s > %s/fsck.log 2>&1 || { cat %s/fsck.log; exit 1; }", img, dir, dir) == 0,
	      tag, "e2fsck -fn clean (htree structure and hash order)");
	check(sh("debugfs -R 'htree /big' %s 2>/dev/null | grep -q 'Indirect levels: %s'", img, levels) == 0,
	      tag, "debugfs: /big is still an htree, with the expected index levels");
	check(sh("[ $(debugfs -R 'htree /big' %s 2>/dev/null | grep -c '^Reading directory block') -gt 8 ]",
		 img) == 0, tag, "debugfs: the index has many leaves");
	sb = mount_image(img, &err);
	check(sb != NULL, tag, "remount");
	if (!sb)
		goto out;
	htree_verify(sb, gen, n, tag);
	umount_image(sb);
	check(sh("e2fsck -fn %s > %s/fsck.log 2>&1 || { cat %s/fsck.log; exit 1; }", img, dir, dir) == 0,
	      tag, "e2fsck -fn clean after remount");
out:
	free(gen);
}

/*
 * A create/rename/unlink storm in one directory of n entries: on ext2
 * without dir_index the directory stays linear and goes through the
 * in-memory name index (fs/ext2/dindex.c), which the shrinker drops in
 * the middle (free_cached, as drop_caches and memory pressure) and the
 * next operation rebuilds; on ext4 it is an htree.  Holes (every third
 * name unlinked), reuse of the freed space (names created again with the
 * same or a longer name), renames inside the directory; then every name
 * looked up (the deleted ones must be ENOENT), readdir, e2fsck -fn, and
 * the same after a remount.
 */
static void test_storm(const char *tag, const char *mkfs, int n)
{
	char img[128], name[256], name2[256];
	u8 *gen = calloc(1, (size_t)n);
	struct super_block *sb;
	struct inode *d, *c;
	int i, len, len2, err, fails = 0;
	u64 freed;

	printk_errors = 0;
	snprintf(img, sizeof(img), "%s/storm-%s", dir, tag);
	sh("rm -f %s && %s -q -F -b 1024 -N %d %s %d", img, mkfs, n + 2000, img, 96 << 10);
	sb = mount_image(img, &err);
	check(sb != NULL, tag, "mount");
	if (!sb)
		goto out;
	d = sb->s_root->i_op->mkdir(sb->s_root, "big", 3, 0755);
	check(!IS_ERR(d), tag, "mkdir big");
	if (IS_ERR(d)) {
		umount_image(sb);
		goto out;
	}
	for (i = 0; i < n; i++) {
		len = htree_name(name, i, 1);
		c = d->i_op->lookup(d, name, len);	/* absent: ENOENT, as a create's lookup */
		fails += !IS_ERR(c) || PTR_ERR(c) != -ENOENT;
		if (!IS_ERR(c))
			iput(c);
		c = mk(d, name, (umode_t)(S_IFREG | 0644));
		fails += IS_ERR(c);
		if (!IS_ERR(c)) {
			gen[i] = 1;
			iput(c);
		}
	}
	check(fails == 0, tag, "storm: every absent name ENOENT, then created");
	for (i = 0; i < n; i += 3) {		/* holes: a third unlinked */
		len = htree_name(name, i, 1);
		c = d->i_op->lookup(d, name, len);
		err = IS_ERR(c) ? (int)PTR_ERR(c) : d->i_op->unlink(d, name, len, c);
		if (!IS_ERR(c))
			iput(c);
		fails += err != 0;
		if (!err)
			gen[i] = 0;
	}
	check(fails == 0, tag, "storm: a third unlinked");
	freed = sb->s_op->free_cached ? sb->s_op->free_cached(sb) : 0;
	if (strstr(tag, "ext2"))
		check(freed > 0, tag, "storm: the linear directory had a name index, the shrinker freed it");
	else
		check(freed == 0, tag, "storm: an htree directory has no name index");
	for (i = 1; i < n; i += 5) {		/* renames in place: generation 1 -> 2 */
		if (gen[i] != 1)
			continue;
		len = htree_name(name, i, 1);
		len2 = htree_name(name2, i, 2);
		err = d->i_op->rename(d, name, len, d, name2, len2, 0);
		fails += err != 0;
		if (!err)
			gen[i] = 2;
	}
	check(fails == 0, tag, "storm: renames inside the directory");
	for (i = 0; i < n; i += 6) {		/* deleted names created again, same name */
		len = htree_name(name, i, 1);
		c = mk(d, name, (umode_t)(S_IFREG | 0644));
		fails += IS_ERR(c);
		if (!IS_ERR(c)) {
			gen[i] = 1;
			iput(c);
		}
		c = d->i_op->lookup(d, name, len);		/* found at once */
		fails += IS_ERR(c);
		if (!IS_ERR(c))
			iput(c);
	}
	for (i = 3; i < n; i += 6) {		/* the other holes: a longer name (generation 2) */
		len = htree_name(name, i, 2);
		c = mk(d, name, (umode_t)(S_IFREG | 0644));
		fails += IS_ERR(c);
		if (!IS_ERR(c)) {
			gen[i] = 2;
			iput(c);
		}
	}
	check(fails == 0, tag, "storm: deleted names created again, found at once");
	iput(d);
	htree_verify(sb, gen, n, tag);
	umount_image(sb);
	check(printk_errors == 0, tag, "storm: no errors logged");
	check(sh("e2fsck -fn %s > %s/fsck.log 2>&1 || { cat %s/fsck.log; exit 1; }", img, dir, dir) == 0,
	      tag, "storm: e2fsck -fn clean");
	sb = mount_image(img, &err);
	check(sb != NULL, tag, "storm: remount");
	if (!sb)
		goto out;
	htree_verify(sb, gen, n, tag);
	umount_image(sb);
	check(printk_errors == 0, tag, "storm: no errors logged after the remount");
out:
	sh("rm -f %s", img);
	free(gen);
}

/* A corrupt index (bad indirect_levels, a count of 0) is -EIO, never followed. */
static void test_htree_corrupt(const char *src)
{
	static const struct { long off; const char *val, *what; } cases[] = {
		{ 0x1e, "\\005", "indirect_levels beyond the limit" },
		{ 0x22, "\\000\\000", "an index count of 0" },
		{ 0x22, "\\001\\000\\377\\377\\377\\177", "the one index entry pointing past the end" },
	};
	char img[128], out[128], name[256];
	long blk = -1, len;
	u8 *text;

	snprintf(img, sizeof(img), "%s/htree-bad", dir);
	snprintf(out, sizeof(out), "%s/bmap.out", dir);
	sh("debugfs -R 'bmap /big 0' %s > %s 2>/dev/null", src, out);
	text = host_file(out, &len);
	if (text && len > 0)
		blk = strtol((char *)text, NULL, 10);
	free(text);
	check(blk > 0, "htree-corrupt", "found the root block");
	for (unsigned k = 0; k < ARRAY_SIZE(cases) && blk > 0; k++) {
		struct super_block *sb;
		struct inode *d, *c;
		int err, r1, r2;

		sh("cp %s %s && printf '%s' | dd of=%s bs=1 seek=%ld conv=notrunc status=none",
		   src, img, cases[k].val, img, blk * 1024 + cases[k].off);
		sb = mount_image(img, &err);
		if (!sb) {
			check(false, "htree-corrupt", "mount");
			continue;
		}
		d = walk(sb, "big");
		if (IS_ERR(d)) {
			check(false, "htree-corrupt", "big/ found");
			umount_image(sb);
			continue;
		}
		htree_name(name, 1, 1);
		c = d->i_op->lookup(d, name, (int)strlen(name));
		r1 = IS_ERR(c) ? (int)PTR_ERR(c) : 0;
		iput(IS_ERR(c) ? NULL : c);
		c = mk(d, "new-name", (umode_t)(S_IFREG | 0644));
		r2 = IS_ERR(c) ? (int)PTR_ERR(c) : 0;
		iput(IS_ERR(c) ? NULL : c);
		iput(d);
		umount_image(sb);
		check(r1 == -EIO && r2 == -EIO, "htree-corrupt", cases[k].what);
	}
	printk_errors = 0;
}

void qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static int collide_name(char *buf, unsigned i)
{
	return snprintf(buf, 256, "%0180d%07u", 0, i);
}

/*
 * Names found to share a legacy hash, two by two, in a 1K directory: leaf
 * splits fall between equal hashes, so the index gets continuation
 * entries (odd hashes) and lookups must follow them into the next leaf.
 */
static void test_htree_collide(void)
{
	const unsigned n = 1u << 20, want = 800;
	u64 *v = malloc(n * sizeof(*v));
	unsigned *pick = malloc(want * sizeof(*pick)), npick = 0, i;
	char img[128], name[256];
	struct super_block *sb;
	struct inode *d, *c;
	int err, fails = 0, lost = 0;

	for (i = 0; i < n; i++) {
		u32 h;
		int len = collide_name(name, i);

		ext2_dx_hash(name, len, 0, NULL, &h);
		v[i] = (u64)h << 32 | i;
	}
	qsort(v, n, sizeof(*v), cmp_u64);
	for (i = 0; i + 1 < n && npick + 2 <= want; i++)
		if (v[i] >> 32 == v[i + 1] >> 32) {
			pick[npick++] = (unsigned)v[i];
			pick[npick++] = (unsigned)v[i + 1];
			i++;
		}
	free(v);
	check(npick >= 200, "htree-collide", "found hash collisions");
	snprintf(img, sizeof(img), "%s/htree-collide", dir);
	sh("rm -f %s && mkfs.ext4 -q -F -b 1024 %s 16384 && tune2fs -E hash_alg=legacy %s >/dev/null",
	   img, img, img);
	sb = mount_image(img, &err);
	check(sb != NULL, "htree-collide", "mount");
	if (!sb)
		goto out;
	d = sb->s_root->i_op->mkdir(sb->s_root, "big", 3, 0755);
	for (i = 0; i < npick && !IS_ERR(d); i++) {	/* in a scrambled order */
		collide_name(name, pick[(i * 7919u) % npick]);
		c = mk(d, name, (umode_t)(S_IFREG | 0644));
		fails += IS_ERR(c);
		iput(IS_ERR(c) ? NULL : c);
	}
	for (i = 0; i < npick && !IS_ERR(d); i++) {
		int len = collide_name(name, pick[i]);

		c = d->i_op->lookup(d, name, len);
		lost += IS_ERR(c);
		iput(IS_ERR(c) ? NULL : c);
	}
	check(!IS_ERR(d) && fails == 0 && lost == 0, "htree-collide",
	      "names with equal hashes created and found");
	for (i = 0; i < npick && !IS_ERR(d); i += 2) {	/* one of each pair goes */
		int len = collide_name(name, pick[i]);

		c = d->i_op->lookup(d, name, len);
		fails += IS_ERR(c) || d->i_op->unlink(d, name, len, c) != 0;
		iput(IS_ERR(c) ? NULL : c);
	}
	for (i = 1; i < npick && !IS_ERR(d); i += 2) {
		int len = collide_name(name, pick[i]);

		c = d->i_op->lookup(d, name, len);
		lost += IS_ERR(c);
		iput(IS_ERR(c) ? NULL : c);
		collide_name(name, pick[i - 1]);
		c = d->i_op->lookup(d, name, len);
		lost += !IS_ERR(c);
		iput(IS_ERR(c) ? NULL : c);
	}
	check(!IS_ERR(d) && fails == 0 && lost == 0, "htree-collide",
	      "the other name of each pair found after the deletes");
	iput(IS_ERR(d) ? NULL : d);
	umount_image(sb);
	check(sh("e2fsck -fn %s > %s/fsck.log 2>&1 || { cat %s/fsck.log; exit 1; }", img, dir, dir) == 0,
	      "htree-collide", "e2fsck -fn clean");
	check(sh("debugfs -R 'htree /big' %s 2>/dev/null | grep -Eq 'Hash 0x[0-9a-f]*[13579bdf],'", img) == 0,
	      "htree-collide", "the index has continuation entries (odd hashes)");
out:
	free(pick);
	printk_errors = 0;
}


/* ---- extended attributes (fs/ext2/xattr.c) ---- */

static int xa_set(struct inode *i, const char *name, const void *v, size_t n, int flags)
{
	return i->i_sb->s_xattr->set(i, XATTR_INDEX_USER, name, v, n, flags);
}

static int xa_get(struct inode *i, const char *name, void *buf, size_t n)
{
	return i->i_sb->s_xattr->get(i, XATTR_INDEX_USER, name, buf, n);
}

static int xa_count_fn(void *arg, int index, const char *name, size_t len)
{
	(void)index; (void)name; (void)len;
	++*(int *)arg;
	return 0;
}

static int xa_count(struct inode *i)
{
	int n = 0;

	return i->i_sb->s_xattr->list(i, xa_count_fn, &n) ? -1 : n;
}

/* Fills one inode's attributes until -ENOSPC, then empties them again. */
static void test_xattr_fill(struct super_block *sb, const char *tag)
{
	struct inode *f = mk(sb->s_root, "xfill", S_IFREG | 0644);
	char name[32], v[100], back[100];
	int n = 0, err = 0, bad = 0;

	memset(v, 'v', sizeof(v));
	while (n < 1000 && (err = xa_set(f, (snprintf(name, sizeof(name), "a%03d", n), name), v,
				       sizeof(v), XATTR_CREATE)) == 0)
		n++;
	check(err == -ENOSPC && n > 4, tag, "xattrs fill up to ENOSPC");
	check(xa_count(f) == n, tag, "all listed");
	for (int k = 0; k < n; k++) {
		snprintf(name, sizeof(name), "a%03d", k);
		bad |= xa_get(f, name, back, sizeof(back)) != (int)sizeof(v) || memcmp(back, v, sizeof(v));
	}
	check(!bad, tag, "every value reads back");
	check(xa_set(f, "a000", v, 50, XATTR_CREATE) == -EEXIST, tag, "EEXIST");
	check(xa_set(f, "zzz", v, 1, XATTR_REPLACE) == -ENODATA, tag, "ENODATA");
	check(xa_get(f, "a000", back, 10) == -ERANGE, tag, "ERANGE");
	check(xa_set(f, "big", v, sb->s_blocksize + 1, 0) == -ENOSPC, tag, "a value over a block: ENOSPC");
	check(f->i_blocks == sb->s_blocksize / 512, tag, "an xattr block (in i_blocks)");
	for (int k = 0; k < n; k++) {
		snprintf(name, sizeof(name), "a%03d", k);
		bad |= xa_set(f, name, NULL, 0, XATTR_REPLACE) != 0;
	}
	check(!bad && xa_count(f) == 0, tag, "all removed");
	check(f->i_blocks == 0, tag, "the block is freed");
	xa_set(f, "keep", "k", 1, 0);
	xa_set(f, "blk", v, sizeof(v), 0);
	{
		char bigv[600];
		memset(bigv, 'B', sizeof(bigv));
		xa_set(f, "inblock", bigv, sizeof(bigv), 0);
	}
	iput(f);
	f = mk(sb->s_root, "xgone", S_IFREG | 0644);
	xa_set(f, "x", v, sizeof(v), 0);
	{
		char bigv[600] = { 0 };
		xa_set(f, "y", bigv, sizeof(bigv), 0);
	}
	check(f->i_blocks != 0, tag, "xgone has a block");
	sb->s_root->i_op->unlink(sb->s_root, "xgone", 5, f);
	iput(f);	/* evicted: the block is freed (e2fsck checks) */
}

static void test_xattr_image(const char *type, int bs)
{
	char img[128], tag[32];
	struct super_block *sb;
	struct inode *f;
	int err;

	snprintf(tag, sizeof(tag), "xattr-%s-%d", type, bs);
	snprintf(img, sizeof(img), "%s/x%s-%d", dir, type, bs);
	sh("rm -f %s && truncate -s %dM %s && mkfs.%s -q -F -b %d %s", img, 8 * (bs / 1024) + 8, img, type, bs, img);
	sb = mount_image(img, &err);
	check(sb != NULL, tag, "mount");
	if (!sb)
		return;
	test_xattr_fill(sb, tag);
	umount_image(sb);
	check(printk_errors == 0, tag, "no errors logged");
	check(sh("e2fsck -fn %s > %s/fsck.log 2>&1 || { cat %s/fsck.log; exit 1; }", img, dir, dir) == 0,
	      tag, "e2fsck -fn clean");
	check(sh("[ \"$(debugfs -R 'ea_get -V /xfill user.keep' %s 2>/dev/null)\" = k ]", img) == 0, tag,
	      "debugfs reads user.keep");
	check(sh("debugfs -R 'ea_list /xfill' %s 2>/dev/null | grep -q 'user.inblock (600)'", img) == 0, tag,
	      "debugfs reads the block's attribute");
	sb = mount_image(img, &err);
	if (!sb)
		return;
	f = walk(sb, "xfill");
	check(!IS_ERR(f) && xa_count(f) == 3, tag, "attributes persisted");
	iput(IS_ERR(f) ? NULL : f);
	umount_image(sb);
}

/* Corrupt xattr blocks and bodies: -EIO or a value, never a crash (ASan). */
static void test_xattr_corrupt(const char *type)
{
	char src[128], img[128], cmds[128], val[128];
	struct super_block *sb;
	long blk = -1, len, ioff;
	int err, eio = 0, runs = 0;
	u8 *text;

	snprintf(src, sizeof(src), "%s/xc-%s", dir, type);
	snprintf(img, sizeof(img), "%s/xc-%s-bad", dir, type);
	snprintf(cmds, sizeof(cmds), "%s/xc.cmds", dir);
	snprintf(val, sizeof(val), "%s/xc.val", dir);
	sh("head -c 700 /dev/zero | tr '\\0' V > %s && printf 'write /etc/hostname f\\n"
	   "ea_set f user.small s\\nea_set -f %s f user.big\\nea_set f trusted.t tt\\n' > %s && rm -f %s && "
	   "mkfs.%s -q -F -b 1024 %s 8192 && debugfs -w -f %s %s >/dev/null 2>&1", val, val, cmds, src,
	   type, src, cmds, src);
	sh("debugfs -R 'stat /f' %s 2>/dev/null | sed -n 's/.*File ACL: \\([0-9]*\\).*/\\1/p' > %s", src, val);
	text = host_file(val, &len);
	if (text && len > 0)
		blk = strtol((char *)text, NULL, 10);
	free(text);
	ioff = inode_offset(src, "/f", 1024);
	check(blk > 0 && ioff > 0, type, "xattr block and inode found");
	if (blk <= 0 || ioff <= 0)
		return;
	for (int k = 0; k < 96; k++) {
		/* a byte of the block's header and entries, or of the inode body's entries */
		long off = k < 64 ? blk * 1024 + (k * 7) % 120 : ioff + 160 + (k * 5) % 96;
		struct inode *f;
		char buf[800];

		corrupt_copy(src, img, off);
		sb = mount_image(img, &err);
		if (!sb)
			continue;
		f = walk(sb, "f");
		if (!IS_ERR(f)) {
			int r1 = xa_get(f, "big", buf, sizeof(buf));
			int r2 = xa_count(f);
			int r3 = xa_set(f, "new", "n", 1, 0);

			eio += r1 == -EIO || r2 < 0 || r3 == -EIO;
			runs++;
			iput(f);
		}
		umount_image(sb);
	}
	check(runs > 0 && eio > 0, type, "corrupt xattrs: -EIO, no crash");
	printk_errors = 0;
}

/* A block-numbered pattern: byte i of block b. */
static u8 pat(u64 b, unsigned i)
{
	return (u8)(b * 7 + i / 512 + 1);
}

static bool block_is(const u8 *p, u64 b, unsigned bs)
{
	for (unsigned i = 0; i < bs; i++)
		if (p[i] != pat(b, i))
			return false;
	return true;
}

/* Readahead's window sizes: Linux's get_init_ra_size and doubling. */
static void test_ra_windows(void)
{
	check(ra_init_blocks(1, 32) == 4 && ra_init_blocks(4, 32) == 8 &&
	      ra_init_blocks(16, 32) == 32 && ra_init_blocks(3, 128) == 16,
	      "readahead: the first window from the request", "not 4x small, 2x middling, else max");
	check(ra_init_blocks(64, 32) == 64 && ra_init_blocks(5, 0) == 5,
	      "readahead: the first window holds the request at least", "smaller than the request");
	check(ra_next_blocks(8, 32) == 16 && ra_next_blocks(16, 32) == 32 &&
	      ra_next_blocks(20, 32) == 32 && ra_next_blocks(32, 32) == 32,
	      "readahead: each next window doubles, up to the limit", "not doubled or past the limit");
}

/* Whether blocks [from, to) of bd are all cached (want) or none is (!want). */
static bool blocks_cached(struct block_device *bd, u64 from, u64 to, unsigned bs, bool want)
{
	for (u64 b = from; b < to; b++) {
		struct buffer_head *bh = bget_cached(bd, b, bs);

		brelse(bh);
		if ((bh != NULL) != want)
			return false;
	}
	return true;
}

/*
 * The buffer cache's readahead on a fake disk (requests complete at
 * once): a sequential file read comes in windows that double up to
 * read_ahead_kb, the next one sent when the reader reaches the marker;
 * a random pattern reads what it asks for; the file's end bounds it;
 * read_ahead_kb 0 turns it off.
 */
static void test_readahead(struct block_device *bd, unsigned bs)
{
	struct buffer_head *bh;
	u64 b, base;
	int ok = 1;

	for (b = 0; b < 1024 && ok; b++) {	/* every block its pattern, on disk */
		u8 blk[4096];

		for (unsigned i = 0; i < bs && i < sizeof(blk); i++)
			blk[i] = pat(b, i);
		ok = pwrite((int)(long)bd->private_data, blk, bs, (long)(b * bs)) == (long)bs;
	}
	buffer_drop_clean();
	fake_reads = 0;
	bd->ra_next = ~0ULL;
	/* 64 KiB reads (16 blocks) of a 512-block file from block 0. */
	for (b = 0; b < 512 && ok; b++) {
		bh = bread_file(bd, b, bs, (u32)(16 - b % 16), b == 0, 512 - b);
		ok = bh && block_is(bh->b_data, b, bs);
		brelse(bh);
		if (b == 16)	/* the marker: the window after the first went out */
			ok = ok && blocks_cached(bd, 32, 64, bs, true);
	}
	check(ok, "readahead: sequential bytes right, the next window sent at the marker",
	      "wrong bytes, or the window after the marker not read");
	check(fake_reads <= 512 * bs / (128 << 10) + 2, "readahead: sequential in 128 KiB windows",
	      "more requests than 128 KiB windows make");
	check(blocks_cached(bd, 512, 520, bs, false), "readahead: none past the file's end",
	      "blocks past the end were read");

	buffer_drop_clean();
	base = buffer_cache_bytes();
	fake_reads = 0;
	for (b = 0; b < 8; b++)		/* scattered 1-block reads */
		brelse(bread_file(bd, 700 - b * 37, bs, 1, false, 100));
	check(fake_reads == 8 && buffer_cache_bytes() == base + 8ull * bs,
	      "readahead: a random pattern reads only its blocks", "read ahead on random misses");

	buffer_drop_clean();
	bd->ra_kb = 0;
	fake_reads = 0;
	for (b = 0; b < 32; b++)
		brelse(bread_file(bd, b, bs, 1, b == 0, 512));
	check(fake_reads == 32 && blocks_cached(bd, 32, 40, bs, false),
	      "readahead: read_ahead_kb 0 reads only what is asked", "read ahead with it off");
	bd->ra_kb = 128;
	buffer_drop_clean();
}

/*
 * fs/buffer.c on its own: dirty runs go out as one vectored request each
 * and land in place; readahead reads a run straight into the buffers;
 * reclaim frees the coldest clean buffers and never a dirty or referenced
 * one; short of free memory a new buffer frees cold ones first instead of
 * growing the cache; past the dirty limit a writer writes back first.
 */
/*
 * The device file's coherence helpers (fs/block_dev.c's view of the
 * cache): buffers of two sizes over the same bytes, one dirty, one
 * clean, one being read in; overlay lays the cached bytes over a range
 * read from the disk, update gives new bytes (or zeros) to them, over
 * any offset and length.
 */
static void test_bdev_cache(void)
{
	static struct block_device bd;
	struct buffer_head *a, *b, *c;
	u8 buf[8192];
	int fd, ok = 1;
	char path[128];

	snprintf(path, sizeof(path), "%s/bdevcache.img", dir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || ftruncate(fd, 1 << 20) < 0) {
		check(false, "bdev cache: image", "cannot make it");
		return;
	}
	snprintf(bd.name, sizeof(bd.name), "bdevc");
	bd.size = 1 << 20;
	bd.ops = &fake_ops;
	bd.private_data = (void *)(long)fd;
	INIT_LIST_HEAD(&bd.list);
	a = getblk(&bd, 1, 4096);		/* bytes 4096..8191, dirty */
	memset(a->b_data, 'a', 4096);
	mark_buffer_dirty(a);
	b = bread(&bd, 9, 1024);		/* 9216..10239, clean (zeros) */
	c = getblk(&bd, 12, 1024);		/* 12288..13311, not up to date */
	memset(c->b_data, 'c', 1024);
	check(a && b && c && (bd.cached_sizes & (4096 | 1024)) == (4096 | 1024),
	      "bdev cache: sizes recorded", "cached_sizes misses a size");
	memset(buf, 'd', sizeof(buf));
	bdev_cache_overlay(&bd, 4000, buf, 8192);	/* 4000..12191 */
	for (int i = 0; i < 8192; i++) {
		u64 o = 4000 + (u64)i;
		u8 want = o >= 4096 && o < 8192 ? 'a' : o >= 9216 && o < 10240 ? 0 : 'd';

		ok &= buf[i] == want;
	}
	check(ok, "bdev cache: overlay takes dirty and clean buffers' bytes",
	      "the read did not show the cached bytes");
	memset(buf, 'n', sizeof(buf));
	bdev_cache_update(&bd, 8000, buf, 1500);	/* 8000..9499: a's tail, b's head */
	check(a->b_data[3903] == 'a' && a->b_data[3904] == 'n' && a->b_data[4095] == 'n' &&
	      a->b_dirty && b->b_data[0] == 'n' && b->b_data[283] == 'n' && b->b_data[284] == 0 &&
	      !b->b_dirty, "bdev cache: update reaches both sizes, dirtiness kept",
	      "the buffers did not take the written bytes");
	bdev_cache_update(&bd, 12288, buf, 512);
	check(c->b_data[0] == 'c', "bdev cache: a buffer not up to date is left alone",
	      "update wrote into a buffer that is not up to date");
	bdev_cache_update(&bd, 4096, NULL, 1024);
	check(a->b_data[0] == 0 && a->b_data[1023] == 0 && a->b_data[1024] == 'a',
	      "bdev cache: update with zeros (discard)", "the zeros did not reach the buffer");
	bdev_cache_wait_reads(&bd, 0, 1 << 20);	/* nothing in flight: returns */
	brelse(a);
	brelse(b);
	brelse(c);
	sync_blockdev(&bd);
	invalidate_bdev(&bd);
	close(fd);
}

static void test_buffer_cache(void)
{
	static struct block_device bd;
	const unsigned bs = 4096, nblk = 1024;
	char path[128];
	u8 *host;
	long len;
	struct buffer_head *bh;
	u64 base, b;
	int fd, ok;

	buffer_drop_clean();
	base = buffer_cache_bytes();
	snprintf(path, sizeof(path), "%s/bcache.img", dir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || ftruncate(fd, (long)nblk * bs) < 0) {
		check(false, "bcache: image", "cannot make it");
		return;
	}
	snprintf(bd.name, sizeof(bd.name), "bcache");
	bd.size = (u64)nblk * bs;
	bd.ops = &fake_ops;
	bd.private_data = (void *)(long)fd;
	bd.ra_kb = 128;
	bd.ra_next = ~0ULL;
	INIT_LIST_HEAD(&bd.list);

	/* 64 dirty blocks, 0..31 and 40..71: two runs (128 KiB each: one request a run). */
	for (b = 0; b < 72; b++) {
		if (b >= 32 && b < 40)
			continue;
		bh = getblk(&bd, b, bs);
		if (!bh)
			break;
		for (unsigned i = 0; i < bs; i++)
			bh->b_data[i] = pat(b, i);
		mark_buffer_dirty(bh);
		brelse(bh);
	}
	check(buffer_cache_bytes() == base + 64ull * bs, "bcache: 64 buffers cached",
	      "Buffers is not 64 blocks more");
	fake_writes = fake_vec = fake_flushes = 0;
	ok = sync_blockdev(&bd);
	check(ok == 0 && fake_writes == 2 && fake_vec == 2, "bcache: two runs, two vectored writes",
	      "sync_blockdev did not write one request per contiguous run");
	check(fake_flushes == 1, "bcache: the sync flushes once", "not one flush");
	ok = sync_blockdev(&bd);
	check(ok == 0 && fake_flushes == 1, "bcache: no flush with nothing written since the last",
	      "a second sync of a clean device flushed again");
	bh = getblk(&bd, 71, bs);	/* the hottest already: the LRU order below stays */
	mark_buffer_dirty(bh);
	brelse(bh);
	ok = sync_blockdev(&bd);
	check(ok == 0 && fake_flushes == 2, "bcache: a write makes the next sync flush",
	      "a sync after a write did not flush");
	host = host_file(path, &len);
	ok = host && len == (long)nblk * bs;
	for (b = 0; ok && b < 72; b++)
		ok = (b >= 32 && b < 40) ? host[b * bs] == 0 : block_is(host + b * bs, b, bs);
	check(ok, "bcache: the runs landed in place", "the image does not hold the blocks written");
	free(host);

	/* Reclaim: 8 pages' worth goes, the coldest (blocks 0..7); a dirty one stays. */
	bh = getblk(&bd, 50, bs);	/* referenced: stays */
	check(bh != NULL, "bcache: getblk of a cached block", "NULL");
	bh->b_data[0] ^= 0xff;
	mark_buffer_dirty(bh);
	check(buffer_shrink(8) == 8 && buffer_cache_bytes() == base + 56ull * bs,
	      "bcache: buffer_shrink(8) frees 8 pages", "not 8 pages freed");
	fake_reads = 0;
	brelse(bread(&bd, 0, bs));
	check(fake_reads == 1, "bcache: the coldest went first", "block 0 was still cached");
	buffer_shrink(~0ULL);
	check(buffer_cache_bytes() == base + bs, "bcache: reclaim spares the dirty buffer",
	      "a dirty or referenced buffer was freed, or clean ones kept");
	bh->b_data[0] ^= 0xff;
	brelse(bh);
	sync_blockdev(&bd);

	/* Readahead: sequential misses read the next blocks with one vectored request each. */
	buffer_drop_clean();
	fake_reads = fake_vec = 0;
	ok = 1;
	for (b = 0; b < 32; b++) {
		bh = bread(&bd, b, bs);
		ok = ok && bh && (b >= 32 || block_is(bh->b_data, b, bs));
		brelse(bh);
	}
	/* block 0 alone (it continues nothing), then windows of 4, 8, 16, 32 */
	check(ok && fake_reads <= 6 && fake_vec >= 1, "bcache: readahead in vectored runs",
	      "a sequential read took a request per block or read wrong bytes");
	test_readahead(&bd, bs);

	/* No free memory to spare: new buffers replace cold clean ones. */
	buffer_drop_clean();
	fake_free_pages = 0;
	for (b = 100; b < 400; b++)
		brelse(bread(&bd, b, bs));
	check(buffer_cache_bytes() <= base + 128ull * bs, "bcache: no growth without free memory",
	      "the cache grew past free memory");
	fake_free_pages = (256ULL << 20) / PAGE_SIZE;

	/* The dirty limit (a fifth of 256 MiB) holds: a writer past it writes back. */
	buffer_drop_clean();
	physmem_size = 1ULL << 20;	/* limit 204 KiB: 51 blocks */
	fake_writes = 0;
	for (b = 400; b < 600; b++) {
		bh = getblk(&bd, b, bs);
		if (!bh)
			break;
		memset(bh->b_data, 0x5a, bs);
		mark_buffer_dirty(bh);
		brelse(bh);
	}
	check(fake_writes > 0 && buffer_cache_bytes() - base <= 200ull * bs,
	      "bcache: past the dirty limit a writer writes back", "nothing written before sync");
	physmem_size = 256ULL << 20;
	check(sync_blockdev(&bd) == 0, "bcache: sync", "error");
	buffer_drop_clean();
	invalidate_bdev(&bd);
	close(fd);
}

/* ---- orphans: unlinked inodes still open, listed for the mount after a crash ---- */

u32 ext2_crc32c(u32 crc, const void *buf, size_t len);

/* True if debugfs says inode ino of img is free in the inode bitmap. */
static bool ino_free(const char *img, unsigned long ino)
{
	return sh("debugfs -R 'testi <%lu>' %s 2>&1 | grep -q 'not in use'", ino, img) == 0;
}

static bool fsck_clean(const char *img)
{
	return sh("e2fsck -fn %s > %s/fsck.log 2>&1 || { cat %s/fsck.log; exit 1; }", img, dir, dir) == 0;
}

static bool has_feature(const char *img, const char *feature)
{
	return sh("dumpe2fs -h %s 2>/dev/null | grep '^Filesystem features:' | grep -qw %s",
		  img, feature) == 0;
}

/*
 * Two files unlinked while held and a directory removed while held, the
 * journal committed, the image copied (a crash at that moment); one file
 * is released before the copy, so its listing is undone.  The copy mounts,
 * replays its journal and frees the other two; e2fsck is clean on both.
 */
static void test_orphan_crash(const char *tag, bool ofile)
{
	const char *opts = ofile ? "-O orphan_file" : "-O ^orphan_file";
	char img[128], crash[128], want[64];
	struct super_block *sb;
	struct inode *root, *a, *b, *c, *d;
	unsigned long ia, ib, ic, id;
	int err;

	snprintf(img, sizeof(img), "%s/orph-%s", dir, tag);
	snprintf(crash, sizeof(crash), "%s/orph-%s-crash", dir, tag);
	sh("rm -f %s && mkfs.ext4 -q -F -b 1024 %s -d %s/src %s 16384", img, opts, dir, img);
	sb = mount_image(img, &err);
	check(sb != NULL, tag, "mount");
	if (!sb)
		return;
	root = sb->s_root;
	a = walk(sb, "big");
	b = walk(sb, "hello.txt");
	c = mk(root, "scratch", 0600);
	d = root->i_op->mkdir(root, "gone", 4, 0755);
	if (IS_ERR(a) || IS_ERR(b) || IS_ERR(c) || IS_ERR(d)) {
		check(false, tag, "files found");
		return;
	}
	check(file_write(c, "0123456789", 10, 0) == 10, tag, "write scratch");
	ia = a->i_ino, ib = b->i_ino, ic = c->i_ino, id = d->i_ino;
	check(root->i_op->unlink(root, "big", 3, a) == 0 &&
	      root->i_op->unlink(root, "hello.txt", 9, b) == 0 &&
	      root->i_op->unlink(root, "scratch", 7, c) == 0 &&
	      root->i_op->rmdir(root, "gone", 4, d) == 0, tag, "unlink and rmdir of held inodes");
	iput(c);	/* released: freed now, off the list */
	check(sb->s_op->sync_fs(sb) == 0, tag, "commit");
	check(sh("cp %s %s", img, crash) == 0, tag, "crash copy");
	if (ofile)
		check(has_feature(crash, "orphan_present"), tag, "orphan_present set while listed");
	else
		check(sh("dumpe2fs -h %s 2>/dev/null | grep -q '^First orphan inode:'", crash) == 0,
		      tag, "s_last_orphan set while listed");
	iput(a);
	iput(b);
	iput(d);
	umount_image(sb);
	check(printk_errors == 0, tag, "no errors logged");
	check(fsck_clean(img), tag, "e2fsck -fn clean after the release");
	check(ino_free(img, ia) && ino_free(img, ib) && ino_free(img, ic) && ino_free(img, id), tag,
	      "released inodes free");
	check(!has_feature(img, "orphan_present"), tag, "orphan_present clear at unmount");

	printk_clear();
	sb = mount_image(crash, &err);
	check(sb != NULL, tag, "crashed copy mounts");
	if (!sb)
		return;
	snprintf(want, sizeof(want), "orphan %s: 3 inodes freed, 0 truncated",
		 ofile ? "file" : "list");
	check(strstr(printk_log, want) != NULL, tag, want);
	check(!sb->s_rdonly, tag, "read-write");
	umount_image(sb);
	check(printk_errors == 0, tag, "no errors logged after the crash");
	check(fsck_clean(crash), tag, "e2fsck -fn clean after the orphans went");
	check(ino_free(crash, ia) && ino_free(crash, ib) && ino_free(crash, id), tag,
	      "the crash's orphans freed");
	check(!has_feature(crash, "orphan_present") &&
	      sh("dumpe2fs -h %s 2>/dev/null | grep -q '^First orphan inode:'", crash) != 0, tag,
	      "lists empty");
}

/* Reads a little-endian u32 at off of img (0 on failure). */
static u32 img_u32(const char *img, long off)
{
	int fd = open(img, 0);
	u32 v = 0;

	if (fd >= 0) {
		if (pread(fd, &v, 4, off) != 4)
			v = 0;
		close(fd);
	}
	return v;
}

/* Writes the entries ents[0..n) into orphan file block pblk of img and reseals its checksum. */
static void orphan_block_set(const char *img, unsigned long oino, u64 pblk, int bs, const u32 *ents,
			     int n, bool reseal)
{
	int fd = open(img, 2);
	u8 *b = calloc(1, (size_t)bs), uuid[16];
	u32 crc, gen = 0, ino = (u32)oino;

	pread(fd, b, (size_t)bs, (long)pblk * bs);
	pread(fd, uuid, 16, 1024 + 0x68);
	memcpy(b, ents, (size_t)n * 4);
	if (reseal) {
		long ioff = 0;
		char path[8];

		snprintf(path, sizeof(path), "<%lu>", oino);
		ioff = inode_offset(img, path, bs);
		pread(fd, &gen, 4, ioff + 0x64);
		crc = ext2_crc32c(ext2_crc32c(~0u, uuid, 16), &ino, 4);
		crc = ext2_crc32c(crc, &gen, 4);
		crc = ext2_crc32c(crc, &pblk, 8);
		crc = ext2_crc32c(crc, b, (size_t)bs - 8);
		memcpy(b + bs - 4, &crc, 4);
	}
	pwrite(fd, b, (size_t)bs, (long)pblk * bs);
	close(fd);
	free(b);
}

/* The number printed after "label" by a host command (-1 if none). */
static long host_number(const char *cmd, const char *img)
{
	char out[128];
	long len, v = -1;
	u8 *text;

	snprintf(out, sizeof(out), "%s/num.out", dir);
	sh(cmd, img, out);
	text = host_file(out, &len);
	if (text && len > 0)
		v = strtol((char *)text, NULL, 10);
	free(text);
	return v;
}

/*
 * An orphan file as a crashed Linux leaves it, made with debugfs: an
 * unlinked inode and one whose truncate was cut short listed, and
 * orphan_present set.  The mount frees the first, trims the second and
 * clears the entries (their checksum right: e2fsck checks it); broken
 * orphan blocks or entries make a read-only mount or a refusal, never a
 * crash.
 */
static void test_orphan_file(void)
{
	static const char *tag = "orphan-file";
	char src[128], img[128], cmds[128];
	struct super_block *sb;
	struct inode *f;
	long oino, pblk, i1, i2;
	u32 ents[2];
	int err;

	snprintf(src, sizeof(src), "%s/of-src", dir);
	snprintf(img, sizeof(img), "%s/of-img", dir);
	snprintf(cmds, sizeof(cmds), "%s/of.cmds", dir);
	sh("rm -f %s && mkfs.ext4 -q -F -b 1024 -O orphan_file %s 16384 && "
	   "printf 'write %s/src/big orphan1\\nwrite %s/src/big orphan2\\n' > %s && "
	   "debugfs -w -f %s %s >/dev/null 2>&1", src, src, dir, dir, cmds, cmds, src);
	oino = host_number("dumpe2fs -h %s 2>/dev/null | sed -n 's/^Orphan file inode: *//p' > %s", src);
	i1 = host_number("debugfs -R 'stat /orphan1' %s 2>/dev/null | sed -n 's/^Inode: \\([0-9]*\\).*/\\1/p' > %s", src);
	i2 = host_number("debugfs -R 'stat /orphan2' %s 2>/dev/null | sed -n 's/^Inode: \\([0-9]*\\).*/\\1/p' > %s", src);
	snprintf(cmds, sizeof(cmds), "debugfs -R 'bmap <%ld> 0' %%s 2>/dev/null > %%s", oino);
	pblk = host_number(cmds, src);
	check(oino > 0 && pblk > 0 && i1 > 0 && i2 > 0, tag, "orphan file and files found");
	if (oino <= 0 || pblk <= 0 || i1 <= 0 || i2 <= 0)
		return;
	snprintf(cmds, sizeof(cmds), "%s/of.cmds", dir);
	sh("printf 'unlink /orphan1\\nsif <%ld> links_count 0\\nsif /orphan2 size 10\\n"
	   "feature orphan_present\\n' > %s && debugfs -w -f %s %s >/dev/null 2>&1", i1, cmds, cmds, src);
	ents[0] = (u32)i1;
	ents[1] = (u32)i2;
	orphan_block_set(src, (unsigned long)oino, (u64)pblk, 1024, ents, 2, true);
	check(has_feature(src, "orphan_present"), tag, "orphan_present set by debugfs");

	sh("cp %s %s", src, img);
	printk_clear();
	sb = mount_image(img, &err);
	check(sb != NULL && !sb->s_rdonly, tag, "mount read-write");
	if (!sb)
		return;
	check(strstr(printk_log, "orphan file: 1 inodes freed, 1 truncated") != NULL, tag,
	      "orphans processed");
	f = walk(sb, "orphan2");
	check(!IS_ERR(f) && f->i_size == 10, tag, "orphan2 kept its 10 bytes");
	iput(IS_ERR(f) ? NULL : f);
	umount_image(sb);
	check(printk_errors == 0, tag, "no errors logged");
	check(fsck_clean(img), tag, "e2fsck -fn clean");
	check(ino_free(img, (unsigned long)i1), tag, "orphan1 freed");
	check(!has_feature(img, "orphan_present"), tag, "orphan_present cleared");
	check(img_u32(img, pblk * 1024) == 0 && img_u32(img, pblk * 1024 + 4) == 0, tag,
	      "entries cleared");
	check(sh("debugfs -R 'stat /orphan2' %s 2>/dev/null | grep -q 'Blockcount: 2$'", img) == 0,
	      tag, "orphan2 trimmed to one block");

	/* A bad checksum or magic: read-only, the orphans left for e2fsck. */
	for (int k = 0; k < 2; k++) {
		sh("cp %s %s", src, img);
		if (k == 0)	/* the first entry changed, the checksum not */
			orphan_block_set(img, (unsigned long)oino, (u64)pblk, 1024, ents + 1, 1, false);
		else
			sh("printf '\\377' | dd of=%s bs=1 seek=%ld conv=notrunc status=none", img,
			   pblk * 1024 + 1024 - 8);
		sb = mount_image(img, &err);
		check(sb != NULL && sb->s_rdonly, tag, k ? "bad magic: read-only" : "bad checksum: read-only");
		if (sb) {
			f = walk(sb, "orphan2");
			check(!IS_ERR(f), tag, "still readable");
			iput(IS_ERR(f) ? NULL : f);
			umount_image(sb);
		}
		check(img_u32(img, pblk * 1024 + 4) == (u32)i2, tag, "the entries left alone");
	}
	/* An entry naming a reserved inode or one past the end: refused (-EIO). */
	for (int k = 0; k < 2; k++) {
		u32 bad[1] = { k ? 0x7fffffffu : 5u };

		sh("cp %s %s", src, img);
		orphan_block_set(img, (unsigned long)oino, (u64)pblk, 1024, bad, 1, true);
		sb = mount_image(img, &err);
		check(sb == NULL && err == -EIO, tag, k ? "entry past the inodes: -EIO" :
		      "entry naming a reserved inode: -EIO");
		if (sb)
			umount_image(sb);
	}
	/* orphan_present without the orphan file: read-only. */
	sh("cp %s %s && debugfs -w -R 'feature ^orphan_file' %s >/dev/null 2>&1", src, img, img);
	sb = mount_image(img, &err);
	check(sb != NULL && sb->s_rdonly, tag, "orphan_present without orphan_file: read-only");
	if (sb)
		umount_image(sb);
	printk_errors = 0;
}

/* ---- ea_inode: xattr values in inodes of their own ---- */

/*
 * The EA inodes in use in img (EA_INODE_FL, links 1) among the first 64:
 * their count, the last one's number in *last.
 */
static int ea_inodes(const char *img, long *last)
{
	char cmd[512];
	long n;

	sh("for i in $(seq 11 64); do echo \"stat <$i>\"; done > %s/ea.cmds", dir);
	snprintf(cmd, sizeof(cmd), "debugfs -f %s/ea.cmds %%s 2>/dev/null | awk '"
		 "/^Inode:/ { ino = $2; ea = 0; for (k = 1; k < NF; k++) if ($k == \"Flags:\") {"
		 " f = $(k + 1); sub(/^0x/, \"\", f); d = substr(f, length(f) - 5, 1);"
		 " ea = length(f) >= 6 && index(\"2367abef\", d) > 0 } } "
		 "/^Links:/ { if (ea && $2 >= 1) { n++; last = ino } } "
		 "END { print n + 0, last + 0 }' > %%s", dir);
	n = host_number(cmd, img);
	if (last) {
		char out[128];
		long len;
		u8 *text;

		snprintf(out, sizeof(out), "%s/num.out", dir);
		text = host_file(out, &len);
		*last = 0;
		if (text && len > 0) {
			char *p;

			strtol((char *)text, &p, 10);
			*last = strtol(p, NULL, 10);
		}
		free(text);
	}
	return (int)n;
}

static void ea_fill(u8 *v, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		v[i] = (u8)(i * 31 + i / 251 + seed);
}

/*
 * A 64 KiB value and one just over a block go to EA inodes, a small one
 * stays in the body; read back before and after a remount and by debugfs;
 * replaced, removed, and the owner deleted: each EA inode freed when its
 * last reference goes, e2fsck -fn clean after every kind of change (it
 * checks the entry hashes, the value hash, the reference counts and the
 * owners' i_blocks charged with the values).
 */
static void test_ea_inode(int bs)
{
	char img[128], tag[32], out[128];
	struct super_block *sb;
	struct inode *f, *g, *root;
	u8 *v = malloc(65536), *back = malloc(65537), *host;
	long len, last = 0;
	int err;

	snprintf(tag, sizeof(tag), "ea-inode-%d", bs);
	snprintf(img, sizeof(img), "%s/ea-%d", dir, bs);
	snprintf(out, sizeof(out), "%s/ea.out", dir);
	sh("rm -f %s && mkfs.ext4 -q -F -b %d -O ea_inode %s %d", img, bs, img, 16384 * 1024 / bs);
	sb = mount_image(img, &err);
	check(sb != NULL && !sb->s_rdonly, tag, "ea_inode image mounts read-write");
	if (!sb)
		goto out;
	root = sb->s_root;
	f = mk(root, "f", 0644);
	g = mk(root, "g", 0644);
	ea_fill(v, 65536, 1);
	check(xa_set(f, "big", v, 65536, 0) == 0, tag, "set a 64 KiB value");
	check(xa_set(f, "mid", v + 7, (size_t)bs + 10, 0) == 0, tag, "set a value over a block");
	check(xa_set(f, "small", "s", 1, 0) == 0, tag, "set a small value");
	check(xa_get(f, "big", back, 65536) == 65536 && !memcmp(back, v, 65536), tag,
	      "64 KiB value read back");
	check(xa_get(f, "big", NULL, 0) == 65536, tag, "size query");
	check(xa_get(f, "big", back, 100) == -ERANGE, tag, "short buffer: -ERANGE");
	check(xa_get(f, "mid", back, 65536) == bs + 10 && !memcmp(back, v + 7, (size_t)bs + 10),
	      tag, "value over a block read back");
	check(xa_set(g, "gbig", v, 30000, 0) == 0, tag, "set a value on g");
	iput(f);
	iput(g);
	umount_image(sb);
	check(printk_errors == 0, tag, "no errors logged");
	check(fsck_clean(img), tag, "e2fsck -fn clean after the sets");
	check(ea_inodes(img, NULL) == 3, tag, "three EA inodes in use");
	sh("debugfs -R 'ea_get -f %s /f user.big' %s >/dev/null 2>&1", out, img);
	host = host_file(out, &len);
	check(host && len == 65536 && !memcmp(host, v, 65536), tag, "debugfs reads the 64 KiB value");
	free(host);

	sb = mount_image(img, &err);
	check(sb != NULL, tag, "remount");
	if (!sb)
		goto out;
	root = sb->s_root;
	f = walk(sb, "f");
	g = walk(sb, "g");
	if (IS_ERR(f) || IS_ERR(g)) {
		check(false, tag, "files found");
		goto out;
	}
	check(xa_get(f, "big", back, 65536) == 65536 && !memcmp(back, v, 65536), tag,
	      "64 KiB value read after the remount");
	check(xa_count(f) == 3, tag, "three attributes listed");
	ea_fill(v, 65536, 2);
	check(xa_set(f, "big", v, 40000, XATTR_REPLACE) == 0, tag, "replace the 64 KiB value");
	check(xa_get(f, "big", back, 65536) == 40000 && !memcmp(back, v, 40000), tag,
	      "replaced value read back");
	check(xa_set(f, "mid", NULL, 0, XATTR_REPLACE) == 0, tag, "remove the value over a block");
	check(xa_get(f, "mid", back, 100) == -ENODATA, tag, "removed: -ENODATA");
	iput(f);
	check(root->i_op->unlink(root, "g", 1, g) == 0, tag, "unlink g");
	iput(g);
	umount_image(sb);
	check(printk_errors == 0, tag, "no errors logged after the changes");
	check(fsck_clean(img), tag, "e2fsck -fn clean after replace, remove and unlink");
	check(ea_inodes(img, &last) == 1 && last > 0, tag, "the old EA inodes freed, one left");
	sh("debugfs -R 'ea_get -f %s /f user.big' %s >/dev/null 2>&1", out, img);
	host = host_file(out, &len);
	check(host && len == 40000 && !memcmp(host, v, 40000), tag, "debugfs reads the new value");
	free(host);

	/* Broken bytes in the EA inode or in the entry naming it: an error, never a crash. */
	{
		char path[16];
		long eoff, foff = inode_offset(img, "/f", bs);
		int runs = 0, eio = 0;

		snprintf(path, sizeof(path), "<%ld>", last);
		eoff = inode_offset(img, path, bs);
		snprintf(out, sizeof(out), "%s/ea-%d-bad", dir, bs);
		check(eoff > 0 && foff > 0, tag, "EA inode and owner found");
		for (int k = 0; eoff > 0 && foff > 0 && k < 48; k++) {
			/* the EA inode's fields and extent root, or the owner's in-body entries */
			long off = k < 32 ? eoff + (k * 13) % 160 : foff + 160 + (k * 5) % 96;

			corrupt_copy(img, out, off);
			sb = mount_image(out, &err);
			if (!sb)
				continue;
			f = walk(sb, "f");
			if (!IS_ERR(f)) {
				int r1 = xa_get(f, "big", back, 65536);
				int r2 = xa_set(f, "other", "o", 1, 0);
				int r3 = xa_set(f, "big", NULL, 0, 0);

				eio += r1 == -EIO || r2 == -EIO || r3 == -EIO;
				runs++;
				iput(f);
			}
			umount_image(sb);
		}
		check(runs > 0 && eio > 0, tag, "corrupt EA inodes: -EIO, no crash");
		printk_errors = 0;
	}

	/* Broken: the value's inode without EA_INODE_FL: -EIO, no crash. */
	snprintf(out, sizeof(out), "%s/ea-%d-bad", dir, bs);
	sh("cp %s %s && debugfs -w -R 'sif <%ld> flags 0x80000' %s >/dev/null 2>&1", img, out, last,
	   out);
	sb = mount_image(out, &err);
	if (sb) {
		f = walk(sb, "f");
		check(!IS_ERR(f) && xa_get(f, "big", back, 65536) == -EIO, tag,
		      "value inode without EA_INODE_FL: -EIO");
		check(!IS_ERR(f) && xa_set(f, "other", "o", 1, 0) == -EIO, tag,
		      "and a change of that inode's attributes: -EIO");
		iput(IS_ERR(f) ? NULL : f);
		umount_image(sb);
	} else {
		check(false, tag, "mount of the broken copy");
	}
	printk_errors = 0;

	/* The host's EA inode (debugfs ea_set, charged by e2fsck -fy), read, then removed by us. */
	snprintf(out, sizeof(out), "%s/ea.out", dir);
	sh("head -c %d /dev/urandom > %s && debugfs -w -R 'ea_set -f %s /f user.host' %s >/dev/null 2>&1"
	   " && e2fsck -fy %s >/dev/null 2>&1", bs, out, out, img, img);
	host = host_file(out, &len);
	check(ea_inodes(img, NULL) == 2 && fsck_clean(img), tag, "debugfs made an EA inode");
	sb = mount_image(img, &err);
	check(sb != NULL, tag, "mount after debugfs");
	if (!sb) {
		free(host);
		goto out;
	}
	f = walk(sb, "f");
	check(!IS_ERR(f) && host && xa_get(f, "host", back, 65536) == bs &&
	      !memcmp(back, host, (size_t)bs), tag, "the host's EA inode value read");
	free(host);
	if (!IS_ERR(f)) {
		check(xa_set(f, "host", NULL, 0, 0) == 0, tag, "remove the host's value");
		iput(f);
	}
	umount_image(sb);
	check(fsck_clean(img), tag, "e2fsck -fn clean after removing the host's value");
	check(ea_inodes(img, NULL) == 1, tag, "its EA inode freed");
	printk_errors = 0;
out:
	free(v);
	free(back);
}

/*
 * 64 KiB values on a small ea_inode filesystem until it is full: -ENOSPC,
 * nothing half made left behind (e2fsck -fn clean), every value set
 * before still read back.
 */
static void test_ea_inode_enospc(void)
{
	static const char *tag = "ea-inode-enospc";
	char img[128], name[16];
	struct super_block *sb;
	struct inode *f;
	u8 *v = malloc(65536), *back = malloc(65536);
	int err, n = 0, r = 0, bad = 0;

	snprintf(img, sizeof(img), "%s/ea-full", dir);
	sh("rm -f %s && mkfs.ext4 -q -F -b 1024 -O ea_inode,^has_journal %s 2048", img, img);
	sb = mount_image(img, &err);
	check(sb != NULL, tag, "mount");
	if (!sb)
		goto out;
	f = mk(sb->s_root, "f", 0644);
	for (n = 0; n < 64 && !IS_ERR(f); n++) {
		ea_fill(v, 65536, (unsigned)n);
		snprintf(name, sizeof(name), "v%d", n);
		r = xa_set(f, name, v, 65536, 0);
		if (r)
			break;
	}
	check(r == -ENOSPC && n > 3, tag, "-ENOSPC once full");
	for (int i = 0; i < n && !IS_ERR(f); i++) {
		ea_fill(v, 65536, (unsigned)i);
		snprintf(name, sizeof(name), "v%d", i);
		bad += xa_get(f, name, back, 65536) != 65536 || memcmp(back, v, 65536);
	}
	check(bad == 0, tag, "the values set before read back");
	iput(IS_ERR(f) ? NULL : f);
	umount_image(sb);
	check(printk_errors == 0, tag, "no errors logged");
	check(fsck_clean(img), tag, "e2fsck -fn clean: no half-made EA inode");
out:
	free(v);
	free(back);
}

/* Without ea_inode, a value over a block is -ENOSPC as on Linux. */
static void test_ea_inode_off(void)
{
	char img[128];
	struct super_block *sb;
	struct inode *f;
	u8 v[2000] = { 0 };
	int err;

	snprintf(img, sizeof(img), "%s/ea-off", dir);
	sh("rm -f %s && mkfs.ext4 -q -F -b 1024 %s 8192", img, img);
	sb = mount_image(img, &err);
	check(sb != NULL, "ea-inode-off", "mount");
	if (!sb)
		return;
	f = mk(sb->s_root, "f", 0644);
	check(!IS_ERR(f) && xa_set(f, "big", v, sizeof(v), 0) == -ENOSPC, "ea-inode-off",
	      "a value over a block: -ENOSPC");
	iput(IS_ERR(f) ? NULL : f);
	umount_image(sb);
	check(fsck_clean(img), "ea-inode-off", "e2fsck -fn clean");
}

/*
 * crc32c: the standard check value (inverted before and after, as
 * ext2_crc32c is the raw update), and the CPU's instruction path against
 * the table over lengths and alignments around the 8-byte steps.
 */
u32 ext2_crc32c(u32 crc, const void *buf, size_t len);	/* fs/ext2/ext2.h's */
/* The free block count dumpe2fs reads from the image's superblock, or -1. */
static long image_free_blocks(const char *img)
{
	char out[160];
	long n = -1;
	int fd, i;

	snprintf(out, sizeof(out), "%s/free.txt", dir);
	if (sh("dumpe2fs -h %s 2>/dev/null | sed -n 's/^Free blocks: *//p' > %s", img, out) != 0)
		return -1;
	fd = open(out, 0);
	if (fd >= 0) {
		char buf[32] = { 0 };

		if (read(fd, buf, sizeof(buf) - 1) > 0 && buf[0] >= '0' && buf[0] <= '9')
			for (n = 0, i = 0; buf[i] >= '0' && buf[i] <= '9'; i++)
				n = n * 10 + (buf[i] - '0');
		close(fd);
	}
	return n;
}

/*
 * Truncate and delete of block-mapped files whose blocks are not one run:
 * two files written a block each in turn (their blocks interleave, so
 * every run is one block, indirect blocks between), then a stretch written
 * at once (a long run), then interleaved again into the double indirect
 * tree; one truncated mid-file, both deleted.  Each step leaves bitmaps
 * and counts exact (e2fsck), the kept bytes intact, and the free count
 * back where it started.
 */
static void test_trunc_runs(int bs)
{
	char img[128], tag[32];
	struct super_block *sb;
	struct inode *root, *a, *b;
	struct iattr ia = { .valid = ATTR_SIZE };
	int n = bs == 1024 ? 300 : 600;	/* both ways into the double indirect tree */
	size_t size = (size_t)(2 * n + 64) * (size_t)bs;
	u8 *data = malloc(size), *back = malloc(size);
	long f0, pos = 0, keep = 300 * 1024 + 300;
	bool wrote = true;
	int err, i;

	snprintf(tag, sizeof(tag), "trunc-runs-%d", bs);
	snprintf(img, sizeof(img), "%s/trunc-%d", dir, bs);
	sh("rm -f %s && mkfs.ext2 -q -F -b %d %s %d", img, bs, img, 16384 * 1024 / bs);
	f0 = image_free_blocks(img);
	for (i = 0; i < (int)size; i++)
		data[i] = (u8)(i * 13 + i / 777);
	sb = mount_image(img, &err);
	check(sb != NULL && f0 > 0, tag, "mount");
	if (!sb)
		goto out;
	root = sb->s_root;
	a = mk(root, "a", 0644);
	b = mk(root, "b", 0644);
	for (i = 0; i < n && wrote; i++, pos += bs)
		wrote = file_write(a, data + pos, (size_t)bs, pos) == bs &&
			file_write(b, data, (size_t)bs, pos) == bs;
	wrote = wrote && file_write(a, data + pos, (size_t)(64 * bs), pos) == 64 * bs;
	pos += 64 * bs;
	for (i = 0; i < n && wrote; i++, pos += bs)
		wrote = file_write(a, data + pos, (size_t)bs, pos) == bs &&
			file_write(b, data, (size_t)bs, pos) == bs;
	check(wrote, tag, "interleaved writes");
	ia.size = (u64)keep;
	check(a->i_op->setattr(a, &ia) == 0 && a->i_size == (u64)keep, tag, "truncate mid-run");
	check(file_read(a, back, size, 0) == keep && !memcmp(back, data, (size_t)keep), tag,
	      "kept bytes intact");
	iput(a);
	iput(b);
	umount_image(sb);
	check(printk_errors == 0, tag, "no errors logged");
	check(fsck_clean(img), tag, "e2fsck -fn clean after the truncate");
	sb = mount_image(img, &err);
	check(sb != NULL, tag, "remount");
	if (!sb)
		goto out;
	root = sb->s_root;
	a = walk(sb, "a");
	b = walk(sb, "b");
	check(!IS_ERR(a) && !IS_ERR(b) && root->i_op->unlink(root, "a", 1, a) == 0 &&
	      root->i_op->unlink(root, "b", 1, b) == 0, tag, "unlink both");
	if (!IS_ERR(a))
		iput(a);
	if (!IS_ERR(b))
		iput(b);
	umount_image(sb);
	check(printk_errors == 0, tag, "no errors logged after the unlinks");
	check(fsck_clean(img), tag, "e2fsck -fn clean after the unlinks");
	check(image_free_blocks(img) == f0, tag, "every block free again");
out:
	free(data);
	free(back);
}

/*
 * Writes into new blocks over freed ones whose old bytes (0xab) are
 * still on the disk: the bytes around a partial write past the end and
 * one into a hole inside the file read back as zeros, before and after
 * a remount; e2fsck clean.
 */
static void test_newblock(const char *type, int bs)
{
	char img[128], tag[32];
	struct super_block *sb;
	struct inode *root, *f;
	u8 *junk = malloc(64 * (size_t)bs), *back = malloc(4 * (size_t)bs);
	struct iattr ia = { .valid = ATTR_SIZE };
	int err;

	snprintf(tag, sizeof(tag), "newblock-%s-%d", type, bs);
	snprintf(img, sizeof(img), "%s/newblock-%s-%d", dir, type, bs);
	sh("rm -f %s && mkfs.%s -q -F -b %d %s %d", img, type, bs, img, 8192 * 1024 / bs);
	memset(junk, 0xab, 64 * (size_t)bs);
	sb = mount_image(img, &err);
	check(sb != NULL, tag, "mount");
	if (!sb)
		goto out;
	root = sb->s_root;
	f = mk(root, "junk", 0644);
	check(!IS_ERR(f) && file_write(f, junk, 64 * (size_t)bs, 0) == 64 * bs, tag, "junk written");
	iput(f);
	umount_image(sb);
	sb = mount_image(img, &err);
	check(sb != NULL, tag, "remount");
	if (!sb)
		goto out;
	root = sb->s_root;
	f = walk(sb, "junk");
	check(!IS_ERR(f) && root->i_op->unlink(root, "junk", 4, f) == 0, tag, "junk removed");
	iput(f);
	f = mk(root, "n", 0644);
	check(file_write(f, "data", 4, bs + 10) == 4 && f->i_size == (u64)bs + 14, tag,
	      "4 bytes into the second block");
	/* A hole inside the file (grown by truncate), filled partly. */
	ia.size = 4 * (u64)bs;
	check(f->i_op->setattr(f, &ia) == 0, tag, "grown to 4 blocks");
	check(file_write(f, "hole", 4, 3 * bs + 100) == 4, tag, "4 bytes into the hole");
	check(file_read(f, back, 4 * (size_t)bs, 0) == 4 * bs && back[2 * bs] == 0 &&
	      back[3 * bs] == 0 && back[3 * bs + 99] == 0 && !memcmp(back + 3 * bs + 100, "hole", 4) &&
	      back[3 * bs + 104] == 0 && back[4 * bs - 1] == 0, tag, "zeros around the hole's write");
	memset(junk, 0, 64);
	check(file_read(f, back, 2 * (size_t)bs, 0) == 2 * bs && !memcmp(back, junk, 64) &&
	      back[bs - 1] == 0 && back[bs + 9] == 0 && !memcmp(back + bs + 10, "data", 4) &&
	      back[bs + 14] == 0 && back[2 * bs - 1] == 0, tag, "zeros around the write");
	iput(f);
	umount_image(sb);
	sb = mount_image(img, &err);
	check(sb != NULL, tag, "remount 2");
	if (!sb)
		goto out;
	f = walk(sb, "n");
	check(!IS_ERR(f) && file_read(f, back, 4 * (size_t)bs, 0) == 4 * bs && back[0] == 0 &&
	      back[bs - 1] == 0 && back[bs + 9] == 0 && !memcmp(back + bs + 10, "data", 4) &&
	      back[bs + 14] == 0 && back[2 * bs] == 0 && back[3 * bs + 99] == 0 &&
	      !memcmp(back + 3 * bs + 100, "hole", 4) && back[4 * bs - 1] == 0, tag,
	      "zeros around the writes after a remount");
	iput(IS_ERR(f) ? NULL : f);
	umount_image(sb);
	check(printk_errors == 0, tag, "no errors logged");
	check(fsck_clean(img), tag, "e2fsck -fn clean");
out:
	free(junk);
	free(back);
}

u32 ext2_crc32c_sw(u32 crc, const void *buf, size_t len);

static void test_crc32c(void)
{
	static u8 buf[4096 + 16];
	bool same = true;

	check(~ext2_crc32c(~0u, "123456789", 9) == 0xE3069283u, "crc32c", "check value");
	check(~ext2_crc32c_sw(~0u, "123456789", 9) == 0xE3069283u, "crc32c", "table check value");
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (u8)(i * 131 + (i >> 7));
	for (size_t off = 0; off < 9; off++)
		for (size_t len = 0; len + off <= sizeof(buf); len += len < 40 ? 1 : 509)
			same &= ext2_crc32c(0x12345678u, buf + off, len) ==
				ext2_crc32c_sw(0x12345678u, buf + off, len);
	check(same, "crc32c", "fast path equals the table at every length and alignment");
}

int main(void)
{
	char img[128];

	strcpy(dir, "/tmp/test_ext2.XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	ext2_init();
	make_tree();
	test_crc32c();
	test_image("ext2", 1024);
	test_image("ext2", 4096);
	test_image("ext4", 1024);
	test_image("ext4", 4096);
	test_bad_images();
	test_bad_ext4();
	test_xattr_image("ext2", 1024);
	test_xattr_image("ext4", 4096);
	test_xattr_corrupt("ext2");
	test_xattr_corrupt("ext4");
	test_fuzz();
	test_inline();
	test_ra_windows();
	test_buffer_cache();
	test_bdev_cache();
	snprintf(img, sizeof(img), "%s/imgext4-1024", dir);
	test_dx_hash(img);
	test_htree("htree-1k", 1024, "", "true", 3000, "1");
	/* tea, and the unsigned variant: s_flags (superblock byte 0x160) says unsigned */
	test_htree("htree-1k-tea-unsigned", 1024, "-O ^metadata_csum",
		   "tune2fs -E hash_alg=tea $IMG >/dev/null && printf '\\002' |"
		   " dd bs=1 seek=1376 conv=notrunc status=none of=$IMG", 2500, "1");
	snprintf(img, sizeof(img), "%s/htree-htree-1k-tea-unsigned", dir);
	test_htree_corrupt(img);
	test_htree_collide();
	test_storm("storm-ext2-linear", "mkfs.ext2 -O ^dir_index", 20000);
	test_storm("storm-ext4", "mkfs.ext4", 20000);
	test_htree("htree-4k-legacy", 4096, "", "tune2fs -E hash_alg=legacy $IMG >/dev/null", 2000, "0");
	test_orphan_crash("orphan-chain", false);
	test_orphan_crash("orphan-filecrash", true);
	test_orphan_file();
	test_ea_inode(1024);
	test_ea_inode(4096);
	test_ea_inode_off();
	test_ea_inode_enospc();
	test_trunc_runs(1024);
	test_trunc_runs(4096);
	test_newblock("ext2", 1024);
	test_newblock("ext4", 4096);
	sh("[ -n \"$KEEP_EXT2_TEST\" ] || rm -rf %s", dir);
	printf("%d tests, %d failures\n", tests, failures);
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

/* The buffer cache sizes itself from the machine's memory and what is free. */
u64 physmem_size = 256ULL << 20;
u64 nr_free_pages(void) { return fake_free_pages; }
/* ext2_readpages' page frames (no page cache here: never called). */
u8 *physmem_base;
struct page *mem_map;
/* fs/posix_acl.c's calls into the VFS (the ACL cache is not exercised here). */
bool in_group_p(gid_t gid) { (void)gid; return false; }
int notify_change(struct dentry *d, struct iattr *attr) { (void)d; (void)attr; return -EPERM; }
