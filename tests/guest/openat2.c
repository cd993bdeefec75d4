/*
 * openat2.c - openat2(2): struct open_how sizes and checks, each
 * RESOLVE_* flag on a small tree (escapes by "..", absolute names and
 * symlinks, magic links, mount crossings); the /proc/PID/fd magic links
 * reopening what they stand for (a pipe, an unlinked file); O_TMPFILE
 * with linkat (AT_EMPTY_PATH and /proc/self/fd), on the scratch disk and
 * on tmpfs.
 */
#include "t.h"
#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>

static char dir[512];

static long openat2_(int dfd, const char *path, struct open_how *how, size_t size)
{
	return syscall(SYS_openat2, dfd, path, how, size);
}

static long o2(int dfd, const char *path, unsigned long long flags, unsigned long long resolve)
{
	struct open_how how = { .flags = flags, .resolve = resolve };

	return openat2_(dfd, path, &how, sizeof(how));
}

static void put(const char *name, const char *text)
{
	char p[600];
	int fd;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0) {
		write(fd, text, strlen(text));
		close(fd);
	}
}

/* Reads fd from the start into buf: the text, "" on failure.  Closes fd. */
static const char *slurp(long fd, char *buf, size_t size)
{
	ssize_t n;

	buf[0] = 0;
	if (fd < 0)
		return buf;
	n = pread((int)fd, buf, size - 1, 0);
	buf[n > 0 ? n : 0] = 0;
	close((int)fd);
	return buf;
}

static void make_tree(void)
{
	char p[600];

	t_path(dir, sizeof(dir), "o2tree");
	mkdir(dir, 0755);
	snprintf(p, sizeof(p), "%s/sub", dir);
	mkdir(p, 0755);
	put("file", "top");
	put("sub/f", "inner");
	snprintf(p, sizeof(p), "%s/rel", dir);
	symlink("sub/f", p);
	snprintf(p, sizeof(p), "%s/abs", dir);
	symlink("/sub/f", p);
	snprintf(p, sizeof(p), "%s/up", dir);
	symlink("../o2tree/file", p);
}

static void test_how(int d)
{
	struct {
		struct open_how how;
		unsigned long long extra;
	} big = { { .flags = O_RDONLY }, 0 };
	struct open_how how = { .flags = O_RDONLY };
	char page[8192];

	CHECK_OK(openat2_(d, "file", &how, sizeof(how)), "openat2 size 24");
	CHECK_ERR(openat2_(d, "file", &how, 23), EINVAL, "size 23");
	CHECK_ERR(openat2_(d, "file", &how, 0), EINVAL, "size 0");
	CHECK_OK(openat2_(d, "file", &big.how, sizeof(big)), "size 32, zero tail");
	big.extra = 1;
	CHECK_ERR(openat2_(d, "file", &big.how, sizeof(big)), E2BIG, "size 32, non-zero tail");
	memset(page, 0, sizeof(page));
	memcpy(page, &how, sizeof(how));
	CHECK_ERR(openat2_(d, "file", (struct open_how *)page, 4097), E2BIG, "size past a page");
	CHECK_ERR(openat2_(d, "file", (struct open_how *)8, sizeof(how)), EFAULT, "bad how pointer");
	CHECK_ERR(o2(d, "file", 1ULL << 40, 0), EINVAL, "unknown flag bit");
	CHECK_ERR(o2(d, "file", O_RDONLY, 0x40), EINVAL, "unknown resolve bit");
	CHECK_ERR(o2(d, "file", O_RDONLY, RESOLVE_BENEATH | RESOLVE_IN_ROOT), EINVAL,
		  "BENEATH with IN_ROOT");
	how.mode = 0644;
	CHECK_ERR(openat2_(d, "file", &how, sizeof(how)), EINVAL, "mode without O_CREAT");
	how.flags = O_CREAT | O_WRONLY;
	how.mode = 010644;
	CHECK_ERR(openat2_(d, "new", &how, sizeof(how)), EINVAL, "mode with a type bit");
	CHECK_ERR(o2(d, "file", O_PATH | O_RDWR, 0), EINVAL, "O_PATH with O_RDWR");
	CHECK_ERR(o2(d, "newdir", O_CREAT | O_DIRECTORY, 0), EINVAL, "O_CREAT with O_DIRECTORY");
	CHECK_ERR(o2(d, "file", O_RDWR | O_CREAT, RESOLVE_CACHED), EAGAIN, "RESOLVE_CACHED with O_CREAT");
	CHECK_ERR(o2(d, "file", O_RDWR | O_TRUNC, RESOLVE_CACHED), EAGAIN, "RESOLVE_CACHED with O_TRUNC");
	CHECK_OK(o2(d, ".", O_RDONLY, RESOLVE_CACHED), "RESOLVE_CACHED of .");
	CHECK_ERR(o2(-5, "file", O_RDONLY, 0), EBADF, "bad dirfd");
	CHECK_ERR(o2(d, "nothing", O_RDONLY, 0), ENOENT, "missing file");
}

static void test_resolve(int d)
{
	char buf[64];

	check(!strcmp(slurp(o2(d, "sub/f", O_RDONLY, RESOLVE_BENEATH), buf, sizeof(buf)), "inner"),
	      "BENEATH: a name below", "got '%s'", buf);
	check(!strcmp(slurp(o2(d, "sub/../file", O_RDONLY, RESOLVE_BENEATH), buf, sizeof(buf)), "top"),
	      "BENEATH: .. that stays inside", "got '%s'", buf);
	CHECK_ERR(o2(d, "../o2tree/file", O_RDONLY, RESOLVE_BENEATH), EXDEV, "BENEATH: .. out");
	CHECK_ERR(o2(d, "/etc", O_RDONLY, RESOLVE_BENEATH), EXDEV, "BENEATH: absolute name");
	CHECK_ERR(o2(d, "abs", O_RDONLY, RESOLVE_BENEATH), EXDEV, "BENEATH: absolute symlink");
	CHECK_ERR(o2(d, "up", O_RDONLY, RESOLVE_BENEATH), EXDEV, "BENEATH: symlink with ..");
	check(!strcmp(slurp(o2(d, "rel", O_RDONLY, RESOLVE_BENEATH), buf, sizeof(buf)), "inner"),
	      "BENEATH: relative symlink", "got '%s'", buf);

	check(!strcmp(slurp(o2(d, "/sub/f", O_RDONLY, RESOLVE_IN_ROOT), buf, sizeof(buf)), "inner"),
	      "IN_ROOT: / is the dirfd", "got '%s'", buf);
	check(!strcmp(slurp(o2(d, "abs", O_RDONLY, RESOLVE_IN_ROOT), buf, sizeof(buf)), "inner"),
	      "IN_ROOT: absolute symlink inside", "got '%s'", buf);
	check(!strcmp(slurp(o2(d, "../../../file", O_RDONLY, RESOLVE_IN_ROOT), buf, sizeof(buf)), "top"),
	      "IN_ROOT: .. stops at the root", "got '%s'", buf);
	CHECK_ERR(o2(d, "up", O_RDONLY, RESOLVE_IN_ROOT), ENOENT, "IN_ROOT: ../o2tree is not there");

	CHECK_ERR(o2(d, "rel", O_RDONLY, RESOLVE_NO_SYMLINKS), ELOOP, "NO_SYMLINKS: final symlink");
	CHECK_ERR(o2(d, "rel/x", O_RDONLY, RESOLVE_NO_SYMLINKS), ELOOP, "NO_SYMLINKS: on the way");
	CHECK_OK(o2(d, "rel", O_PATH | O_NOFOLLOW, RESOLVE_NO_SYMLINKS), "NO_SYMLINKS: O_NOFOLLOW");
	CHECK_ERR(o2(d, "rel", O_RDONLY | O_NOFOLLOW, 0), ELOOP, "O_NOFOLLOW on a symlink");
	CHECK_OK(o2(d, "rel", O_RDONLY, RESOLVE_NO_MAGICLINKS), "NO_MAGICLINKS: plain symlink");
}

static void test_magic(int d)
{
	char p[64], buf[64];
	struct stat a, b;
	int pfd[2], fd;

	snprintf(p, sizeof(p), "/proc/self/fd/%d", d);
	CHECK_ERR(o2(AT_FDCWD, p, O_RDONLY, RESOLVE_NO_MAGICLINKS), ELOOP, "NO_MAGICLINKS: fd link");
	CHECK_ERR(o2(AT_FDCWD, p, O_RDONLY, RESOLVE_NO_SYMLINKS), ELOOP, "NO_SYMLINKS: fd link");
	fd = (int)o2(AT_FDCWD, p, O_RDONLY | O_DIRECTORY, 0);
	CHECK_OK(fd, "fd link of a directory reopens");
	check(fstat(fd, &a) == 0 && fstat(d, &b) == 0 && a.st_ino == b.st_ino, "same directory",
	      "ino differ");
	close(fd);
	CHECK_ERR(o2(AT_FDCWD, "/proc", O_RDONLY, RESOLVE_NO_XDEV), EXDEV, "NO_XDEV: into /proc");
	CHECK_ERR(o2(AT_FDCWD, "/proc/self/..", O_RDONLY, RESOLVE_NO_XDEV), EXDEV, "NO_XDEV: /proc/self");
	fd = (int)o2(AT_FDCWD, "/proc", O_RDONLY, 0);
	CHECK_OK(o2(fd, "self/..", O_RDONLY | O_DIRECTORY, RESOLVE_NO_XDEV), "NO_XDEV: inside one mount");
	CHECK_ERR(o2(fd, "..", O_RDONLY, RESOLVE_NO_XDEV), EXDEV, "NO_XDEV: .. out of a mount");
	close(fd);

	/* A pipe through its magic link: the same pipe. */
	CHECK_OK(pipe(pfd), "pipe");
	write(pfd[1], "via-fd", 6);
	snprintf(p, sizeof(p), "/proc/self/fd/%d", pfd[0]);
	fd = open(p, O_RDONLY | O_NONBLOCK);
	CHECK_OK(fd, "open the pipe's fd link");
	memset(buf, 0, sizeof(buf));
	check(read(fd, buf, sizeof(buf)) == 6 && !strcmp(buf, "via-fd"), "reads the same pipe",
	      "got '%s'", buf);
	close(fd);
	close(pfd[0]);
	close(pfd[1]);

	/* An unlinked file is still reachable through its link. */
	put("gone", "ghost");
	snprintf(buf, sizeof(buf), "%s", "gone");
	fd = openat(d, "gone", O_RDONLY);
	unlinkat(d, "gone", 0);
	snprintf(p, sizeof(p), "/proc/self/fd/%d", fd);
	check(!strcmp(slurp(open(p, O_RDONLY), buf, sizeof(buf)), "ghost"), "unlinked file reopens",
	      "got '%s'", buf);
	check(stat(p, &a) == 0 && fstat(fd, &b) == 0 && a.st_ino == b.st_ino && a.st_nlink == 0,
	      "stat through the link", "nlink %ld", (long)a.st_nlink);
	CHECK_ERR(linkat(fd, "", d, "back", AT_EMPTY_PATH), ENOENT, "linkat of an unlinked file");
	close(fd);
	chdir(dir);
	check(!strcmp(slurp(open("/proc/self/cwd/sub/f", O_RDONLY), buf, sizeof(buf)), "inner"),
	      "/proc/self/cwd/...", "got '%s'", buf);
	chdir("/");
}

static int count_entries(const char *path)
{
	DIR *dp = opendir(path);
	struct dirent *e;
	int n = 0;

	if (dp == NULL)
		return -1;
	while ((e = readdir(dp)) != NULL)
		n++;
	closedir(dp);
	return n;
}

static void test_tmpfile(const char *where, const char *tag)
{
	char name[128], p[600], q[600], buf[64];
	struct stat st;
	int fd, before, d;

	snprintf(p, sizeof(p), "%s/tmpf", where);
	mkdir(p, 0755);
	d = open(p, O_RDONLY | O_DIRECTORY);
	before = count_entries(p);
	fd = open(p, O_TMPFILE | O_RDWR, 0640);
	snprintf(name, sizeof(name), "%s: O_TMPFILE", tag);
	CHECK_OK(fd, name);
	snprintf(name, sizeof(name), "%s: unnamed, no link", tag);
	check(write(fd, "tmpdata", 7) == 7 && fstat(fd, &st) == 0 && st.st_nlink == 0 &&
	      S_ISREG(st.st_mode) && (st.st_mode & 0777) == 0640 && count_entries(p) == before,
	      name, "nlink %ld mode %o entries %d/%d", (long)st.st_nlink, st.st_mode,
	      count_entries(p), before);
	snprintf(name, sizeof(name), "%s: linkat AT_EMPTY_PATH", tag);
	CHECK_OK(linkat(fd, "", d, "named", AT_EMPTY_PATH), name);
	snprintf(q, sizeof(q), "%s/named", p);
	snprintf(name, sizeof(name), "%s: the name has the data", tag);
	check(!strcmp(slurp(open(q, O_RDONLY), buf, sizeof(buf)), "tmpdata") &&
	      fstat(fd, &st) == 0 && st.st_nlink == 1, name, "got '%s' nlink %ld", buf,
	      (long)st.st_nlink);
	close(fd);

	fd = open(p, O_TMPFILE | O_WRONLY, 0600);
	snprintf(q, sizeof(q), "/proc/self/fd/%d", fd);
	snprintf(name, sizeof(name), "%s: linkat of /proc/self/fd/N", tag);
	CHECK_OK(linkat(AT_FDCWD, q, d, "named2", AT_SYMLINK_FOLLOW), name);
	snprintf(name, sizeof(name), "%s: second name exists", tag);
	check(fstatat(d, "named2", &st, 0) == 0 && st.st_nlink == 1, name, "errno %d", errno);
	close(fd);

	fd = open(p, O_TMPFILE | O_RDWR | O_EXCL, 0600);
	snprintf(name, sizeof(name), "%s: O_TMPFILE|O_EXCL cannot be linked", tag);
	CHECK_ERR(linkat(fd, "", d, "named3", AT_EMPTY_PATH), ENOENT, name);
	close(fd);

	snprintf(name, sizeof(name), "%s: O_TMPFILE read-only", tag);
	CHECK_ERR(open(p, O_TMPFILE | O_RDONLY, 0600), EINVAL, name);
	snprintf(name, sizeof(name), "%s: O_TMPFILE|O_CREAT", tag);
	CHECK_ERR(open(p, O_TMPFILE | O_CREAT | O_RDWR, 0600), EINVAL, name);
	snprintf(q, sizeof(q), "%s/named", p);
	snprintf(name, sizeof(name), "%s: O_TMPFILE on a file", tag);
	CHECK_ERR(open(q, O_TMPFILE | O_RDWR, 0600), ENOTDIR, name);
	snprintf(q, sizeof(q), "%s/none", p);
	snprintf(name, sizeof(name), "%s: O_TMPFILE on nothing", tag);
	CHECK_ERR(open(q, O_TMPFILE | O_RDWR, 0600), ENOENT, name);
	unlinkat(d, "named", 0);
	unlinkat(d, "named2", 0);
	close(d);
	rmdir(p);
}

int main(void)
{
	int d;

	t_start();
	if (getpid() == 1) {	/* init inside ./linux: nothing mounted yet */
		mount("proc", "/proc", "proc", 0, NULL);
		mkdir("/dev/shm", 01777);
		mount("tmpfs", "/dev/shm", "tmpfs", 0, NULL);
	}
	make_tree();
	d = open(dir, O_RDONLY | O_DIRECTORY);
	CHECK_OK(d, "open the tree");
	test_how(d);
	test_resolve(d);
	test_magic(d);
	test_tmpfile(t_tmpdir(), "disk");
	test_tmpfile("/dev/shm", "tmpfs");
	return t_done();
}
