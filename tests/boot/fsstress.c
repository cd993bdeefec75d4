/*
 * fsstress.c - a deterministic file system workout for the ext4 boot test.
 *
 * Usage: fsstress DIR OPS SEED
 * Creates DIR and nested folders under it, then OPS operations chosen by
 * a seeded generator: create, append, truncate (shorter and longer),
 * rename (within and across folders, over existing files), hard link,
 * symlink, unlink, mkdir/rmdir; first two files written in alternating
 * chunks (many extents: a deep extent tree), one then truncated in the
 * middle and appended to.  Run natively and inside ./linux with the same
 * arguments, the two trees must be identical byte for byte.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAXF 4096

static unsigned long long state;
static char names[MAXF][128];
static int nnames;
static const char *top;

static unsigned rnd(unsigned n)
{
	state = state * 6364136223846793005ull + 1442695040888963407ull;
	return (unsigned)((state >> 33) % n);
}

static void die(const char *what, const char *path)
{
	fprintf(stderr, "fsstress: %s %s: %s\n", what, path, strerror(errno));
	exit(1);
}

static void fill(char *buf, size_t n, unsigned tag)
{
	size_t i;

	for (i = 0; i < n; i++)
		buf[i] = (char)('a' + (i * 7 + tag) % 26);
}

static void write_at(const char *path, int flags, size_t len, unsigned tag)
{
	static char buf[65536];
	int fd = open(path, O_WRONLY | O_CREAT | flags, 0644);

	if (fd < 0)
		die("open", path);
	fill(buf, len, tag);
	if (write(fd, buf, len) != (ssize_t)len)
		die("write", path);
	close(fd);
}

static void path_of(char *out, size_t n, int dir, const char *leaf)
{
	snprintf(out, n, "%s/d%d/e%d/%s", top, dir % 8, dir / 8 % 2, leaf);
}

static void add_name(const char *p)
{
	if (nnames < MAXF)
		snprintf(names[nnames++], sizeof(names[0]), "%s", p);
}

static void drop_name(int i)
{
	memcpy(names[i], names[--nnames], sizeof(names[0]));
}

static void big_files(void)
{
	char a[64], b[64], buf[4096];
	int fa, fb, i;

	snprintf(a, sizeof(a), "%s/bigA", top);
	snprintf(b, sizeof(b), "%s/bigB", top);
	fa = open(a, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	fb = open(b, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fa < 0 || fb < 0)
		die("open", a);
	for (i = 0; i < 1200; i++) {
		fill(buf, sizeof(buf), (unsigned)i);
		if (write(fa, buf, 1024) != 1024 || write(fb, buf, 1024) != 1024)
			die("write", a);
	}
	close(fa);
	close(fb);
	if (truncate(a, 600 * 1024 + 77) < 0)
		die("truncate", a);
	write_at(a, O_APPEND, 5000, 3);
}

static void one_op(int i)
{
	char p[128], q[128], leaf[32];
	unsigned op = rnd(100);
	int k = nnames ? (int)rnd((unsigned)nnames) : -1;

	snprintf(leaf, sizeof(leaf), "f%d", i);
	path_of(p, sizeof(p), (int)rnd(16), leaf);
	if (op < 35 || k < 0) {
		write_at(p, O_TRUNC, rnd(6000), (unsigned)i);
		add_name(p);
	} else if (op < 45) {
		write_at(names[k], O_APPEND, rnd(3000), (unsigned)i);
	} else if (op < 55) {
		if (truncate(names[k], rnd(9000)) < 0)
			die("truncate", names[k]);
	} else if (op < 68) {
		if (rename(names[k], p) < 0)
			die("rename", names[k]);
		snprintf(names[k], sizeof(names[0]), "%s", p);
	} else if (op < 76) {
		if (link(names[k], p) < 0)
			die("link", names[k]);
		add_name(p);
	} else if (op < 80) {
		snprintf(q, sizeof(q), "../../%s", names[k] + strlen(top) + 1);
		if (symlink(q, p) < 0)
			die("symlink", p);
	} else if (op < 97) {
		if (unlink(names[k]) < 0)
			die("unlink", names[k]);
		drop_name(k);
	} else {
		snprintf(q, sizeof(q), "%s/d%d/sub%d", top, (int)rnd(8), i);
		if (mkdir(q, 0755) < 0)
			die("mkdir", q);
		if (rnd(2) && rmdir(q) < 0)
			die("rmdir", q);
	}
}

int main(int argc, char **argv)
{
	char p[128];
	int ops, i;

	if (argc != 4)
		return 2;
	top = argv[1];
	ops = atoi(argv[2]);
	state = strtoull(argv[3], NULL, 10);
	if (mkdir(top, 0755) < 0)
		die("mkdir", top);
	for (i = 0; i < 16; i++) {
		snprintf(p, sizeof(p), "%s/d%d", top, i % 8);
		if (mkdir(p, 0755) < 0 && errno != EEXIST)
			die("mkdir", p);
		snprintf(p, sizeof(p), "%s/d%d/e%d", top, i % 8, i / 8);
		if (mkdir(p, 0755) < 0)
			die("mkdir", p);
	}
	big_files();
	for (i = 0; i < ops; i++)
		one_op(i);
	sync();
	printf("fsstress: %d operations, %d names\n", ops, nnames);
	return 0;
}
