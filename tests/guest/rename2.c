/*
 * rename2.c - renameat2(2): RENAME_NOREPLACE, RENAME_EXCHANGE (files,
 * a file with a directory across parents: link counts and '..'),
 * RENAME_WHITEOUT, and the flag and name errors; on the scratch disk and
 * on tmpfs.
 */
#include "t.h"
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE	(1 << 0)
#define RENAME_EXCHANGE		(1 << 1)
#define RENAME_WHITEOUT		(1 << 2)
#endif

static int d;
static const char *tag;

static long ren(const char *a, const char *b, unsigned flags)
{
	return syscall(SYS_renameat2, d, a, d, b, flags);
}

static void put(const char *name, const char *text)
{
	int fd = openat(d, name, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd >= 0) {
		write(fd, text, strlen(text));
		close(fd);
	}
}

static const char *get(const char *name)
{
	static char buf[64];
	int fd = openat(d, name, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

	buf[n > 0 ? n : 0] = 0;
	if (fd >= 0)
		close(fd);
	return buf;
}

static long nlink(const char *name)
{
	struct stat st;

	return fstatat(d, name, &st, AT_SYMLINK_NOFOLLOW) == 0 ? (long)st.st_nlink : -1;
}

static ino_t ino(const char *name)
{
	struct stat st;

	return fstatat(d, name, &st, AT_SYMLINK_NOFOLLOW) == 0 ? st.st_ino : 0;
}

#define T(name) ({ static char b_[96]; snprintf(b_, sizeof(b_), "%s: %s", tag, name); b_; })

static void test_noreplace(void)
{
	put("a", "A");
	put("b", "B");
	CHECK_ERR(ren("a", "b", RENAME_NOREPLACE), EEXIST, T("NOREPLACE onto a file"));
	check(!strcmp(get("b"), "B") && !strcmp(get("a"), "A"), T("nothing moved"), "b '%s'", get("b"));
	CHECK_OK(ren("a", "c", RENAME_NOREPLACE), T("NOREPLACE to a free name"));
	check(!strcmp(get("c"), "A") && ino("a") == 0, T("moved"), "c '%s'", get("c"));
	CHECK_ERR(ren("c", ".", RENAME_NOREPLACE), EEXIST, T("NOREPLACE onto ."));
	CHECK_OK(ren("c", "b", 0), T("plain rename replaces"));
	check(!strcmp(get("b"), "A") && ino("c") == 0, T("replaced at once"), "b '%s'", get("b"));
	unlinkat(d, "b", 0);
}

static void test_exchange(void)
{
	ino_t di, pi, qi;
	long p0, q0;

	put("e1", "one");
	put("e2", "two");
	CHECK_OK(ren("e1", "e2", RENAME_EXCHANGE), T("EXCHANGE two files"));
	check(!strcmp(get("e1"), "two") && !strcmp(get("e2"), "one"), T("contents swapped"),
	      "e1 '%s'", get("e1"));
	CHECK_OK(ren("e1", "e1", RENAME_EXCHANGE), T("EXCHANGE with itself"));
	CHECK_ERR(ren("e1", "missing", RENAME_EXCHANGE), ENOENT, T("EXCHANGE with nothing"));
	CHECK_ERR(ren("missing", "e1", RENAME_EXCHANGE), ENOENT, T("EXCHANGE from nothing"));

	/* A directory and a file in two parents. */
	mkdirat(d, "p", 0755);
	mkdirat(d, "q", 0755);
	mkdirat(d, "p/dir", 0755);
	put("q/file", "qf");
	p0 = nlink("p");
	q0 = nlink("q");
	di = ino("p/dir");
	pi = ino("p");
	qi = ino("q");
	CHECK_OK(ren("p/dir", "q/file", RENAME_EXCHANGE), T("EXCHANGE a dir and a file"));
	check(ino("q/file") == di && !strcmp(get("p/dir"), "qf"), T("swapped across parents"),
	      "ino %lu", (unsigned long)ino("q/file"));
	check(nlink("p") == p0 - 1 && nlink("q") == q0 + 1, T("parents' link counts"),
	      "p %ld->%ld q %ld->%ld", p0, nlink("p"), q0, nlink("q"));
	check(ino("q/file/..") == qi && ino("q/file/..") != pi, T("'..' follows the directory"),
	      "'..' is %lu", (unsigned long)ino("q/file/.."));
	CHECK_ERR(ren("q", "q/file", RENAME_EXCHANGE), EINVAL, T("EXCHANGE with its own child"));
	CHECK_ERR(ren("q/file", "q", RENAME_EXCHANGE), EINVAL, T("EXCHANGE with its parent"));
	CHECK_ERR(ren("p/dir/", "e1", RENAME_EXCHANGE), ENOTDIR, T("EXCHANGE file/ with a slash"));
	CHECK_OK(ren("q/file/", "p", RENAME_EXCHANGE), T("EXCHANGE two dirs, slashes"));
	check(ino("p") == di && ino("q/file") == pi, T("two dirs swapped"), "p %lu",
	      (unsigned long)ino("p"));
	CHECK_OK(ren("q/file", "p", RENAME_EXCHANGE), T("and back"));

	CHECK_ERR(ren("e1", "e2", RENAME_EXCHANGE | RENAME_NOREPLACE), EINVAL,
		  T("EXCHANGE with NOREPLACE"));
	CHECK_ERR(ren("e1", "e2", RENAME_EXCHANGE | RENAME_WHITEOUT), EINVAL,
		  T("EXCHANGE with WHITEOUT"));
	CHECK_ERR(ren("e1", "e2", 8), EINVAL, T("unknown flag"));
	unlinkat(d, "p/dir", 0);
	unlinkat(d, "q/file", AT_REMOVEDIR);
	unlinkat(d, "p", AT_REMOVEDIR);
	unlinkat(d, "q", AT_REMOVEDIR);
	unlinkat(d, "e1", 0);
	unlinkat(d, "e2", 0);
}

static void test_whiteout(void)
{
	struct stat st;

	put("w1", "white");
	CHECK_OK(ren("w1", "w2", RENAME_WHITEOUT), T("WHITEOUT"));
	check(fstatat(d, "w1", &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISCHR(st.st_mode) &&
	      major(st.st_rdev) == 0 && minor(st.st_rdev) == 0, T("old name is a 0:0 char device"),
	      "mode %o rdev %lx", st.st_mode, (unsigned long)st.st_rdev);
	check(!strcmp(get("w2"), "white"), T("new name has the file"), "got '%s'", get("w2"));
	put("w3", "three");
	CHECK_OK(ren("w2", "w3", RENAME_WHITEOUT), T("WHITEOUT over a file"));
	check(!strcmp(get("w3"), "white") && fstatat(d, "w2", &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	      S_ISCHR(st.st_mode), T("replaced, whiteout left"), "w3 '%s'", get("w3"));
	CHECK_ERR(ren("nope", "w4", RENAME_WHITEOUT), ENOENT, T("WHITEOUT of nothing"));
	unlinkat(d, "w1", 0);
	unlinkat(d, "w2", 0);
	unlinkat(d, "w3", 0);
}

static void run(const char *where, const char *name)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/ren2", where);
	mkdir(p, 0755);
	d = open(p, O_RDONLY | O_DIRECTORY);
	tag = name;
	check(d >= 0, T("scratch dir"), "errno %d", errno);
	test_noreplace();
	test_exchange();
	test_whiteout();
	close(d);
	check(rmdir(p) == 0, T("all gone"), "errno %d", errno);
}

int main(void)
{
	t_start();
	if (getpid() == 1) {	/* init inside ./linux: nothing mounted yet */
		mkdir("/dev/shm", 01777);
		mount("tmpfs", "/dev/shm", "tmpfs", 0, NULL);
	}
	run(t_tmpdir(), "disk");
	run("/dev/shm", "tmpfs");
	return t_done();
}
