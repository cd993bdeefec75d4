/* unit-sources: fs/super.c fs/dcache.c fs/mount.c fs/namei.c fs/nameops.c fs/cwd.c fs/file.c fs/open.c fs/read_write.c fs/stat.c fs/readdir.c fs/inode.c fs/ramfs/ramfs.c fs/posix_acl.c fs/simple_xattr.c fs/xattr.c */
/*
 * test_vfs.c - the VFS core on top of the real inode cache and tmpfs,
 * driven through the syscall entries the way a guest would: path walk
 * with "." and "..", symlinks (middle, end, loops), mount crossing both
 * ways, getcwd, the create/unlink/rename rules and open/read/write of an
 * unlinked file.  Guest memory is host memory here: copy_*_user are
 * memcpy, so a guest pointer is just a host pointer.
 *
 * Kernel headers and libc clash (dev_t, loff_t), so this file declares
 * the few libc functions it needs instead of including their headers.
 */
#include "kernel/fs.h"
#include "kernel/blkdev.h"
#include "kernel/init.h"
#include "kernel/mm.h"
#include "kernel/page.h"
#include "kernel/sched.h"
#include "kernel/syscalls.h"
#include <linux/mount.h>
#include "../../fs/internal.h"
#include "kernel/fsnotify.h"

int printf(const char *fmt, ...);
int vprintf(const char *fmt, va_list ap);
int vsnprintf(char *buf, size_t n, const char *fmt, va_list ap);
void *malloc(size_t n);
void *calloc(size_t n, size_t m);
void free(void *p);
void abort(void);
char *strdup(const char *s);
unsigned long long strtoull(const char *s, char **end, int base);

/* ---- fakes for what the sources call ---- */

static struct signal_struct init_signal;	/* its limits */
static struct task init_task = { .signal = &init_signal };
struct task *current = &init_task;
struct list_head all_tasks = LIST_HEAD_INIT(all_tasks);	/* pivot_root walks it */
u64 nr_pages = 65536;
LIST_HEAD(all_blkdevs);
const struct file_operations def_chr_fops, def_fifo_fops, def_blk_fops;

void *kmalloc(size_t n) { return malloc(n ? n : 1); }
void *kzalloc(size_t n) { return calloc(1, n ? n : 1); }
void *kcalloc(size_t n, size_t m) { return calloc(n ? n : 1, m ? m : 1); }
void kfree(const void *p) { free((void *)p); }
char *kstrdup(const char *s) { return strdup(s); }
uint64_t os_realtime_ns(void) { return 1700000000ULL * 1000000000ULL; }
u64 vdso_mono_ns(void) { return 0; }
s64 vdso_real_offset_ns(void) { return (s64)(1700000000ULL * 1000000000ULL); }
uint64_t os_monotonic_ns(void) { return 1; }
void kmutex_lock(struct kmutex *m) { m->locked = true; }
void kmutex_unlock(struct kmutex *m) { m->locked = false; }
int sync_blockdev(struct block_device *b) { return 0; }
void invalidate_bdev(struct block_device *b) { }
struct block_device *blkdev_lookup(dev_t d) { return NULL; }
bool signal_pending(struct task *t) { return false; }
/* Supplementary groups (kernel/groups.c) and signals are not linked in. */
bool in_group_p(gid_t gid) { return current->egid == gid; }
int send_signal(struct task *t, int sig, siginfo_t *info) { (void)t; (void)sig; (void)info; return 0; }
/* epoll, O_ASYNC and pipes are not linked in: the fd layer's hooks do nothing. */
void eventpoll_release(struct file *f) { (void)f; }
void mm_truncate_mappings(struct inode *inode, u64 size) { (void)inode; (void)size; }
void fasync_release(struct file *f) { (void)f; }
int fasync_set(struct file *f, int fd, bool on) { (void)f; (void)fd; (void)on; return 0; }
long fasync_fcntl(struct file *f, unsigned cmd, long arg) { (void)f; (void)cmd; (void)arg; return -EINVAL; }
long pipe_fcntl(struct file *f, unsigned cmd, long arg) { (void)f; (void)cmd; (void)arg; return -EBADF; }
/* vmsplice's pipe side (fs/pipe.c): no file here is a pipe. */
bool file_is_pipe(const struct file *f) { (void)f; return false; }
long pipe_splice_room(struct file *f, bool nonblock) { (void)f; (void)nonblock; return -EBADF; }
long pipe_splice_avail(struct file *f, bool nonblock) { (void)f; (void)nonblock; return -EBADF; }
long memfd_fcntl(struct file *f, unsigned cmd, long arg) { (void)f; (void)cmd; (void)arg; return -EINVAL; }
/* fs/locks.c is the guest tests' (tests/guest/locks.c): no locks here. */
void locks_remove_file(struct file *f) { (void)f; }
long fcntl_setlease(struct file *f, int fd, long arg) { (void)f; (void)fd; (void)arg; return -EINVAL; }
long fcntl_getlease(struct file *f) { (void)f; return 2; /* F_UNLCK */ }
int break_lease(struct inode *inode, unsigned flags) { (void)inode; (void)flags; return 0; }
void locks_remove_posix(struct file *f, struct files *fs) { (void)f; (void)fs; }
long fcntl_lock(struct file *f, unsigned cmd, uaddr_t u) { (void)f; (void)cmd; (void)u; return -EINVAL; }

size_t kstrlcpy(char *d, const char *s, size_t size)
{
	size_t n = strlen(s);

	if (size) {
		size_t c = n < size - 1 ? n : size - 1;
		memcpy(d, s, c);
		d[c] = '\0';
	}
	return n;
}

int kstrtou64(const char *s, int base, unsigned long long *out)
{
	char *end;

	*out = strtoull(s, &end, base);
	return *end ? -EINVAL : 0;
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

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	abort();
}

long copy_from_user(void *dst, uaddr_t src, size_t n)
{
	if (uaddr_is_null(src))
		return -EFAULT;
	memcpy(dst, (void *)(uintptr_t)uaddr_val(src), n);
	return 0;
}

long copy_to_user(uaddr_t dst, const void *src, size_t n)
{
	if (uaddr_is_null(dst))
		return -EFAULT;
	memcpy((void *)(uintptr_t)uaddr_val(dst), src, n);
	return 0;
}

/* Host memory stands in for guest memory: all of it is accessible. */
u64 user_access_prefix(struct mm *mm, u64 addr, u64 len, bool write)
{
	return len;
}

bool user_range_present(struct mm *mm, u64 addr, u64 len, bool write)
{
	return true;
}

/* inotify (fs/notify.c) is not linked: no watch is ever added. */
int fsnotify_nr_watches;
void __fsnotify_create(struct inode *dir, const char *name, int len, struct inode *inode) { }
void __fsnotify_inode(struct inode *inode, u32 mask) { }
void __fsnotify_delete(struct inode *dir, const char *name, int len, struct inode *victim) { }
void __fsnotify_move(struct inode *odir, const char *oname, int olen, struct inode *ndir,
		     const char *nname, int nlen, struct inode *src, struct inode *target) { }
void __fsnotify_file(struct file *f, u32 mask) { }
void __fsnotify_change(struct dentry *d, unsigned valid) { }
void __fsnotify_unmount(struct super_block *sb) { }

long clear_user(uaddr_t dst, size_t n)
{
	memset((void *)(uintptr_t)uaddr_val(dst), 0, n);
	return 0;
}

/* uio_copy_out's and uio_zero_out's copy: no page tables to cache here. */
long mm_copy_to_tlb(struct mm *mm, struct user_tlb *tlb, uaddr_t dst, const void *src, size_t n)
{
	if (src)
		return copy_to_user(dst, src, n);
	return clear_user(dst, n);
}

long strncpy_from_user(char *dst, uaddr_t src, size_t n)
{
	size_t len;

	if (uaddr_is_null(src))
		return -EFAULT;
	len = strnlen((const char *)(uintptr_t)uaddr_val(src), n);
	if (len == n)
		return -ENAMETOOLONG;
	memcpy(dst, (const char *)(uintptr_t)uaddr_val(src), len + 1);
	return (long)len;
}

/* A "disk" for mount_root: its fs type fills a tmpfs. */
static struct block_device fake_disk = { .name = "ubda", .dev = MKDEV(98, 0) };

struct block_device *blkdev_by_name(const char *name)
{
	return strcmp(name, "ubda") == 0 || strcmp(name, "/dev/ubda") == 0 ? &fake_disk : NULL;
}

static int diskfs_fill(struct super_block *sb, const char *data, bool silent)
{
	struct file_system_type *tmpfs = get_fs_type("tmpfs");

	return tmpfs->fill_super(sb, data, silent);
}

static struct file_system_type diskfs = {
	.name = "diskfs", .requires_dev = true, .fill_super = diskfs_fill,
};

/* ---- helpers ---- */

#define UTIME_OMIT_T	((1L << 30) - 2L)

static int failures, testno;

static void check(bool ok, const char *name, const char *fmt, ...)
{
	char why[256] = "";
	va_list ap;

	testno++;
	if (ok) {
		printf("ok %d %s\n", testno, name);
		return;
	}
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	printf("not ok %d %s: %s\n", testno, name, why);
	failures++;
}

#define U(p)	((long)(uintptr_t)(p))
#define CALL(name, ...) ({ long __a[6] = { __VA_ARGS__ }; sys_##name(current, __a); })
#define EXPECT(name, call, want) do { long __r = (call); \
	check(__r == (want), name, "got %ld, want %ld", __r, (long)(want)); } while (0)

static long xopen(const char *p, int flags, int mode)
{
	return CALL(openat, AT_FDCWD, U(p), flags, mode);
}

static u64 ino_of(const char *p, bool follow)
{
	struct stat st;
	long r = follow ? CALL(stat, U(p), U(&st)) : CALL(lstat, U(p), U(&st));

	return r < 0 ? 0 : st.st_ino;
}

static const char *cwd(void)
{
	static char buf[PATH_MAX];
	long r = CALL(getcwd, U(buf), sizeof(buf));

	return r < 0 ? "(error)" : buf;
}

/* ---- tests ---- */

static void setup(void)
{
	static struct fs_struct fs = { .count = 1, .umask = 022 };

	init_task.fs = &fs;
	init_task.files = files_alloc();
	vfs_init();
	ramfs_init();
	register_filesystem(&diskfs);
	EXPECT("mount_root", mount_root("ubda", NULL, false, NULL), 0);
}

static void test_walk(void)
{
	EXPECT("mkdir /a", CALL(mkdir, U("/a"), 0755), 0);
	EXPECT("mkdir /a/b", CALL(mkdir, U("/a/b"), 0755), 0);
	EXPECT("mkdir exists", CALL(mkdir, U("/a/b/"), 0755), -EEXIST);
	EXPECT("mkdir no parent", CALL(mkdir, U("/x/y"), 0755), -ENOENT);
	check(ino_of("/a/b/../b/./..", true) == ino_of("/a", true), "dotdot", "inode differs");
	check(ino_of("/..", true) == ino_of("/", true), "dotdot at root", "went above root");
	check(ino_of("//a///b//", true) == ino_of("/a/b", true), "slashes", "inode differs");
	EXPECT("empty path", CALL(mkdir, U(""), 0755), -ENOENT);
	long fd = xopen("/a/f", O_CREAT | O_WRONLY, 0644);
	check(fd >= 0, "creat /a/f", "fd %ld", fd);
	CALL(close, fd);
	EXPECT("enotdir middle", xopen("/a/f/x", O_RDONLY, 0), -ENOTDIR);
	EXPECT("enotdir trailing", xopen("/a/f/", O_RDONLY, 0), -ENOTDIR);
	EXPECT("o_directory", xopen("/a/f", O_RDONLY | O_DIRECTORY, 0), -ENOTDIR);
	EXPECT("enoent", xopen("/a/nope", O_RDONLY, 0), -ENOENT);
	EXPECT("o_excl", xopen("/a/f", O_CREAT | O_EXCL | O_WRONLY, 0644), -EEXIST);
	EXPECT("dir for write", xopen("/a", O_WRONLY, 0), -EISDIR);

	char longname[300];
	memset(longname, 'n', sizeof(longname));
	longname[0] = '/';
	longname[299] = '\0';
	EXPECT("name too long", xopen(longname, O_RDONLY, 0), -ENAMETOOLONG);
}

static void test_symlinks(void)
{
	char buf[64] = "";

	EXPECT("symlink abs", CALL(symlink, U("/a/b"), U("/lb")), 0);
	EXPECT("symlink rel", CALL(symlink, U("b/.."), U("/a/rel")), 0);
	EXPECT("symlink loop1", CALL(symlink, U("/loop2"), U("/loop1")), 0);
	EXPECT("symlink loop2", CALL(symlink, U("/loop1"), U("/loop2")), 0);
	EXPECT("symlink dangling", CALL(symlink, U("/a/newfile"), U("/dang")), 0);
	check(ino_of("/lb", true) == ino_of("/a/b", true), "follow at end", "inode differs");
	check(ino_of("/lb", false) != ino_of("/a/b", true), "lstat no follow", "followed");
	check(ino_of("/lb/..", true) == ino_of("/a", true), "follow in middle", "inode differs");
	check(ino_of("/a/rel", true) == ino_of("/a", true), "relative target", "inode differs");
	EXPECT("eloop", xopen("/loop1", O_RDONLY, 0), -ELOOP);
	EXPECT("eloop middle", xopen("/loop1/x", O_RDONLY, 0), -ELOOP);
	EXPECT("o_nofollow", xopen("/lb", O_RDONLY | O_NOFOLLOW, 0), -ELOOP);
	EXPECT("readlink", CALL(readlink, U("/lb"), U(buf), sizeof(buf)), 4);
	check(memcmp(buf, "/a/b", 4) == 0, "readlink text", "got %.4s", buf);
	EXPECT("readlink non-link", CALL(readlink, U("/a"), U(buf), sizeof(buf)), -EINVAL);
	long fd = xopen("/dang", O_CREAT | O_WRONLY, 0644);
	check(fd >= 0, "creat through dangling symlink", "fd %ld", fd);
	CALL(close, fd);
	check(ino_of("/a/newfile", true) != 0, "dangling target made", "missing");
	EXPECT("mkdir over symlink", CALL(mkdir, U("/lb"), 0755), -EEXIST);
	EXPECT("o_creat|o_excl symlink", xopen("/dang", O_CREAT | O_EXCL | O_WRONLY, 0644), -EEXIST);
}

static void test_cwd_and_mounts(void)
{
	long fd;

	EXPECT("chdir", CALL(chdir, U("/a/b")), 0);
	check(strcmp(cwd(), "/a/b") == 0, "getcwd", "got %s", cwd());
	EXPECT("getcwd erange", CALL(getcwd, U(cwd()), 3), -ERANGE);
	EXPECT("mkdir m", CALL(mkdir, U("m"), 0755), 0);
	EXPECT("mount tmpfs", CALL(mount, U("none"), U("m"), U("tmpfs"), 0, 0), 0);
	EXPECT("mkdir in mount", CALL(mkdir, U("m/inner"), 0755), 0);
	check(ino_of("/a/b/m/inner/../..", true) == ino_of("/a/b", true), "dotdot crosses up",
	      "inode differs");
	EXPECT("chdir inner", CALL(chdir, U("m/inner")), 0);
	check(strcmp(cwd(), "/a/b/m/inner") == 0, "getcwd across mount", "got %s", cwd());
	EXPECT("umount busy", CALL(umount2, U("/a/b/m"), 0), -EBUSY);
	EXPECT("link across mounts", CALL(link, U("/a/f"), U("x")), -EXDEV);
	EXPECT("rename across mounts", CALL(rename, U("/a/f"), U("x")), -EXDEV);
	EXPECT("rmdir mountpoint", CALL(rmdir, U("/a/b/m")), -EBUSY);
	EXPECT("chdir out", CALL(chdir, U("../../..")), 0);
	check(strcmp(cwd(), "/a") == 0, "getcwd after ..", "got %s", cwd());
	fd = xopen("/a/b/m/file", O_CREAT | O_RDWR, 0600);
	check(fd >= 0, "create in mount", "fd %ld", fd);
	EXPECT("umount busy file", CALL(umount2, U("/a/b/m"), 0), -EBUSY);
	CALL(close, fd);
	EXPECT("umount not root", CALL(umount2, U("/a/b/m/inner"), 0), -EINVAL);
	EXPECT("umount", CALL(umount2, U("/a/b/m"), 0), 0);
	EXPECT("gone after umount", xopen("/a/b/m/file", O_RDONLY, 0), -ENOENT);
	EXPECT("remount ro", CALL(mount, 0, U("/"), 0, MS_REMOUNT | MS_RDONLY, 0), 0);
	EXPECT("erofs", CALL(mkdir, U("/ro"), 0755), -EROFS);
	EXPECT("remount rw", CALL(mount, 0, U("/"), 0, MS_REMOUNT, 0), 0);
	EXPECT("chroot", CALL(chroot, U("/a")), 0);
	check(ino_of("/..", true) == ino_of("/", true) && ino_of("/f", true) != 0,
	      "dotdot stops at chroot", "escaped");
	/* Undo the chroot from outside, as nothing inside can. */
	struct path top = { root_mnt, root_mnt->mnt_root };
	path_replace(&init_task.fs->root, &top);
	check(ino_of("/a/f", true) != 0, "back from chroot", "still inside");
}

static void test_names(void)
{
	EXPECT("chdir /", CALL(chdir, U("/")), 0);
	EXPECT("unlink dir", CALL(unlink, U("/a/b")), -EISDIR);
	EXPECT("rmdir file", CALL(rmdir, U("/a/f")), -ENOTDIR);
	EXPECT("rmdir dot", CALL(rmdir, U("/a/b/.")), -EINVAL);
	EXPECT("rmdir nonempty", CALL(rmdir, U("/a")), -ENOTEMPTY);
	EXPECT("link dir", CALL(link, U("/a/b"), U("/bl")), -EPERM);
	EXPECT("link", CALL(link, U("/a/f"), U("/a/f2")), 0);
	check(ino_of("/a/f", true) == ino_of("/a/f2", true), "link same inode", "differs");
	EXPECT("rename into subtree", CALL(rename, U("/a"), U("/a/b/c")), -EINVAL);
	EXPECT("rename file over dir", CALL(rename, U("/a/f"), U("/a/b")), -EISDIR);
	EXPECT("rename dir over file", CALL(rename, U("/a/b"), U("/a/f")), -ENOTDIR);
	EXPECT("renameat2 noreplace", CALL(renameat2, AT_FDCWD, U("/a/f"), AT_FDCWD,
					   U("/a/f2"), 1), -EEXIST);
	EXPECT("rename hard links", CALL(rename, U("/a/f"), U("/a/f2")), 0);
	EXPECT("mkdir d2", CALL(mkdir, U("/d2"), 0755), 0);
	EXPECT("mkdir d2/x", CALL(mkdir, U("/d2/x"), 0755), 0);
	EXPECT("rename over nonempty", CALL(rename, U("/a/b"), U("/d2")), -ENOTEMPTY);
	u64 ino = ino_of("/a/f", true);
	EXPECT("rename file", CALL(rename, U("/a/f"), U("/d2/moved")), 0);
	check(ino_of("/d2/moved", true) == ino && ino_of("/a/f", true) == 0,
	      "rename moves", "ino %llu", (unsigned long long)ino_of("/d2/moved", true));
	EXPECT("rename dir", CALL(rename, U("/d2/x"), U("/a/b/x")), 0);
	EXPECT("rmdir moved", CALL(rmdir, U("/a/b/x")), 0);
	EXPECT("rmdir gone", CALL(rmdir, U("/a/b/x")), -ENOENT);
	EXPECT("unlinkat removedir", CALL(unlinkat, AT_FDCWD, U("/d2/moved"), AT_REMOVEDIR),
	       -ENOTDIR);
}

static void test_unlinked_file(void)
{
	static char out[16];	/* static: below TASK_SIZE, as guest buffers are */
	struct stat st;
	long fd = xopen("/tmpf", O_CREAT | O_RDWR | O_TRUNC, 0644);

	check(fd >= 0, "open tmpf", "fd %ld", fd);
	EXPECT("write", CALL(write, fd, U("hello"), 5), 5);
	EXPECT("unlink open file", CALL(unlink, U("/tmpf")), 0);
	EXPECT("gone", xopen("/tmpf", O_RDONLY, 0), -ENOENT);
	EXPECT("lseek", CALL(lseek, fd, 0, SEEK_SET), 0);
	EXPECT("read after unlink", CALL(read, fd, U(out), sizeof(out)), 5);
	check(memcmp(out, "hello", 5) == 0, "data kept", "got %.5s", out);
	EXPECT("fstat", CALL(fstat, fd, U(&st)), 0);
	check(st.st_nlink == 0 && st.st_size == 5, "fstat unlinked", "nlink %lu size %ld",
	      (unsigned long)st.st_nlink, (long)st.st_size);
	EXPECT("close", CALL(close, fd), 0);
	EXPECT("close again", CALL(close, fd), -EBADF);
}

static void test_getdents(void)
{
	char buf[512];
	long fd = xopen("/a", O_RDONLY | O_DIRECTORY, 0), n, off;
	int seen = 0;

	check(fd >= 0, "open dir", "fd %ld", fd);
	EXPECT("getdents small", CALL(getdents64, fd, U(buf), 8), -EINVAL);
	n = CALL(getdents64, fd, U(buf), sizeof(buf));
	for (off = 0; off < n; ) {
		u16 reclen;
		const char *name = buf + off + 19;

		memcpy(&reclen, buf + off + 16, 2);
		if (strcmp(name, "b") == 0 || strcmp(name, "f2") == 0 || strcmp(name, ".") == 0)
			seen++;
		off += reclen;
	}
	check(n > 0 && seen == 3, "getdents names", "n %ld seen %d", n, seen);
	EXPECT("getdents end", CALL(getdents64, fd, U(buf), sizeof(buf)), 0);
	CALL(close, fd);
	fd = xopen("/a/f2", O_RDONLY, 0);
	EXPECT("getdents notdir", CALL(getdents64, fd, U(buf), sizeof(buf)), -ENOTDIR);
	CALL(close, fd);
}

static void test_fds_and_attrs(void)
{
	static char pbuf[8];	/* static: below TASK_SIZE, as guest buffers are */
	struct __kernel_timespec ts[2] = { { 1000, 5 }, { 2000, UTIME_OMIT_T } };
	struct stat st;
	long fd = xopen("/a/f2", O_RDWR | O_APPEND | O_CLOEXEC, 0), fd2;

	check(fd >= 0, "open append", "fd %ld", fd);
	EXPECT("getfd cloexec", CALL(fcntl, fd, F_GETFD, 0), FD_CLOEXEC);
	EXPECT("getfl", CALL(fcntl, fd, F_GETFL, 0), O_RDWR | O_APPEND | O_LARGEFILE);
	fd2 = CALL(fcntl, fd, F_DUPFD, 10);
	EXPECT("dupfd", fd2, 10);
	EXPECT("dup2", CALL(dup2, fd, 20), 20);
	EXPECT("dup3 same", CALL(dup3, fd, fd, 0), -EINVAL);
	EXPECT("bad cmd", CALL(fcntl, fd, 9999, 0), -EINVAL);
	EXPECT("append write", CALL(write, 20, U("xy"), 2), 2);
	EXPECT("append write 2", CALL(write, fd, U("abc"), 3), 3);
	EXPECT("size after append", (CALL(fstat, fd, U(&st)), st.st_size), 5);
	EXPECT("pread", CALL(pread64, fd, U(pbuf), 2, 3), 2);
	EXPECT("lseek neg", CALL(lseek, fd, -1, SEEK_SET), -EINVAL);
	EXPECT("utimensat", CALL(utimensat, AT_FDCWD, U("/a/f2"), U(ts), 0), 0);
	CALL(stat, U("/a/f2"), U(&st));
	check(st.st_atime == 1000 && st.st_atime_nsec == 5 && st.st_mtime != 2000,
	      "utimensat times", "atime %ld mtime %ld", (long)st.st_atime, (long)st.st_mtime);
	EXPECT("chmod", CALL(chmod, U("/a/f2"), 0600), 0);
	CALL(stat, U("/a/f2"), U(&st));
	check((st.st_mode & 07777) == 0600 && S_ISREG(st.st_mode), "chmod mode", "%o", st.st_mode);
	EXPECT("access", CALL(access, U("/a/f2"), 6), 0);
	EXPECT("access x", CALL(access, U("/a/f2"), 1), -EACCES);
	init_task.euid = init_task.uid = 1000;
	EXPECT("eacces as user", xopen("/a/f2", O_RDONLY, 0), -EACCES);
	EXPECT("chmod as user", CALL(chmod, U("/a/f2"), 0666), -EPERM);
	init_task.euid = init_task.uid = 0;
	EXPECT("truncate", CALL(truncate, U("/a/f2"), 3), 0);
	EXPECT("size after truncate", (CALL(stat, U("/a/f2"), U(&st)), st.st_size), 3);
	CALL(close, 10);
	CALL(close, 20);
	CALL(close, fd);
}

int main(void)
{
	for (int i = 0; i < TASK_RLIMITS; i++)
		init_signal.rlim[i] = (struct krlimit){ ~0ULL, ~0ULL };	/* RLIM_INFINITY */
	init_signal.rlim[7 /* RLIMIT_NOFILE */] = (struct krlimit){ 1024, 4096 };
	setup();
	test_walk();
	test_symlinks();
	test_cwd_and_mounts();
	test_names();
	test_unlinked_file();
	test_getdents();
	test_fds_and_attrs();
	printf("%d failures\n", failures);
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

/* Live object counters (kernel/printk.c defines them in the kernel). */
struct live_counts live, live_kernel;
int leak_test_kind = -1;	/* leak_test= is off: leak_test_fire is never called */
bool leak_test_fire(void) { return false; }
