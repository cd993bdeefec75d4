/*
 * xattrs.c - the guest half of boot tests xattr_ext2 and xattr_ext4: sets
 * attributes and ACLs of every kind on the image (in the inode body, in
 * an external block, many at once, removed again, on a file then deleted,
 * default ACLs inherited), reads back attributes the host's mkfs -d wrote
 * (/host-made), writes one of two inodes sharing an xattr block (/s1,
 * /s2: copy on write), and prints what it did; the host then reads the
 * image with debugfs and runs e2fsck -fn.
 * Usage: xattrs DIR
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

static int bad;

static void must(int ok, const char *what)
{
	if (!ok) {
		printf("FAIL %s: %s\n", what, strerror(errno));
		bad = 1;
	}
}

static char *path(const char *dir, const char *name)
{
	static char buf[4][512];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", dir, name);
	return buf[i];
}

static void touch(const char *p, mode_t mode)
{
	int fd = open(p, O_CREAT | O_WRONLY | O_TRUNC, mode);

	must(fd >= 0, p);
	close(fd);
}

/* An ACL value from "tag perm id" triples. */
static size_t acl(uint8_t *buf, const uint32_t *t, int n)
{
	uint32_t v = 2;

	memcpy(buf, &v, 4);
	for (int i = 0; i < n; i++) {
		uint16_t tag = (uint16_t)t[3 * i], perm = (uint16_t)t[3 * i + 1];
		uint32_t id = t[3 * i + 2];

		memcpy(buf + 4 + 8 * i, &tag, 2);
		memcpy(buf + 6 + 8 * i, &perm, 2);
		memcpy(buf + 8 + 8 * i, &id, 4);
	}
	return 4 + 8 * (size_t)n;
}

/* /s1 and /s2 share one xattr block (the host set it up): writing /s2's
 * attributes must leave /s1's block as it was. */
static void shared(void)
{
	char v[400];
	ssize_t n;

	if (access("/s2", F_OK) != 0)
		return;
	n = getxattr("/s2", "user.shared", v, sizeof(v));
	printf("s2 shared before=%zd\n", n);
	must(setxattr("/s2", "user.cow", "c", 1, 0) == 0, "s2 cow");
	n = getxattr("/s1", "user.shared", v, sizeof(v));
	printf("s1 shared after=%zd cow=%zd\n", n, getxattr("/s1", "user.cow", v, sizeof(v)));
	n = getxattr("/s2", "user.shared", v, sizeof(v));
	printf("s2 shared after=%zd cow=%zd\n", n, getxattr("/s2", "user.cow", v, sizeof(v)));
}

static void host_made(void)
{
	char v[64] = "";
	ssize_t n = getxattr("/host-made", "user.from", v, sizeof(v) - 1);

	printf("host-made user.from=%s\n", n >= 0 ? v : strerror(errno));
	n = getxattr("/host-made", "system.posix_acl_access", v, sizeof(v));
	printf("host-made acl bytes=%zd\n", n);
}

int main(int argc, char **argv)
{
	const char *d = argc > 1 ? argv[1] : "/x";
	uint8_t a[256], big[700];
	char name[32];

	setvbuf(stdout, NULL, _IONBF, 0);
	umask(022);
	mkdir(d, 0755);
	touch(path(d, "small"), 0644);
	must(setxattr(path(d, "small"), "user.a", "1", 1, 0) == 0, "user.a");
	must(setxattr(path(d, "small"), "user.b", "22", 2, 0) == 0, "user.b");
	touch(path(d, "big"), 0644);
	memset(big, 'B', sizeof(big));
	must(setxattr(path(d, "big"), "user.big", big, sizeof(big), 0) == 0, "user.big");
	must(setxattr(path(d, "big"), "trusted.t", "T", 1, 0) == 0, "trusted.t");
	must(setxattr(path(d, "big"), "security.s", "S", 1, 0) == 0, "security.s");
	touch(path(d, "acl"), 0644);
	{
		uint32_t e[] = { 1, 6, 0, 2, 4, 1000, 4, 4, 0, 0x10, 4, 0, 0x20, 0, 0 };
		must(setxattr(path(d, "acl"), "system.posix_acl_access", a, acl(a, e, 5), 0) == 0,
		     "acl");
	}
	mkdir(path(d, "dir"), 0755);
	{
		uint32_t e[] = { 1, 7, 0, 4, 5, 0, 8, 7, 100, 0x10, 7, 0, 0x20, 0, 0 };
		must(setxattr(path(d, "dir"), "system.posix_acl_default", a, acl(a, e, 5), 0) == 0,
		     "default acl");
	}
	touch(path(d, "dir/child"), 0666);
	mkdir(path(d, "dir/sub"), 0777);
	touch(path(d, "gone"), 0644);
	must(setxattr(path(d, "gone"), "user.big", big, sizeof(big), 0) == 0, "gone big");
	must(unlink(path(d, "gone")) == 0, "unlink gone");
	touch(path(d, "many"), 0644);
	for (int i = 0; i < 20; i++) {
		snprintf(name, sizeof(name), "user.k%02d", i);
		must(setxattr(path(d, "many"), name, "0123456789abcdefghijklmnopqrst", 30, 0) == 0,
		     name);
	}
	touch(path(d, "rm"), 0644);
	must(setxattr(path(d, "rm"), "user.x", big, 600, 0) == 0, "rm x");
	must(setxattr(path(d, "rm"), "user.y", "y", 1, 0) == 0, "rm y");
	must(removexattr(path(d, "rm"), "user.x") == 0, "rm -x");
	must(removexattr(path(d, "rm"), "user.y") == 0, "rm -y");
	/* two inodes with equal block contents share one block */
	touch(path(d, "twin1"), 0644);
	touch(path(d, "twin2"), 0644);
	memset(big, 'W', sizeof(big));
	must(setxattr(path(d, "twin1"), "user.twin", big, 600, 0) == 0, "twin1");
	must(setxattr(path(d, "twin2"), "user.twin", big, 600, 0) == 0, "twin2");
	touch(path(d, "twin3"), 0644);
	must(setxattr(path(d, "twin3"), "user.twin", big, 600, 0) == 0, "twin3");
	must(setxattr(path(d, "twin3"), "user.more", big, 200, 0) == 0, "twin3 more");
	/* a hard link shares the inode and so its attributes */
	must(link(path(d, "small"), path(d, "small2")) == 0, "link");
	host_made();
	shared();
	sync();
	printf("%s\n", bad ? "xattrs: FAILED" : "xattrs: done");
	return bad;
}
