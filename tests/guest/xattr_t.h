/*
 * xattr_t.h - helpers for the xattr_* and acl_* guest programs: scratch
 * folders on the disk filesystem ($TMPDIR: ext4 natively, the image's
 * ext2/ext4 inside ./linux) and on tmpfs (/dev/shm), sorted attribute
 * lists (the order of listxattr is the filesystem's), ACL values in the
 * system.posix_acl_* format, and running a check as another user.
 */
#ifndef GUEST_XATTR_T_H
#define GUEST_XATTR_T_H

#include "t.h"
#include <fcntl.h>
#include <grp.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <stdint.h>

#define NOBODY	65534

/* The folders every program runs its checks in, with a label each. */
static char x_dirs[2][512];
static const char *x_labels[2] = { "disk", "tmpfs" };

__attribute__((unused)) static void x_setup(const char *prog)
{
	snprintf(x_dirs[0], sizeof(x_dirs[0]), "%s/%s.%d", t_tmpdir(), prog, (int)getpid());
	snprintf(x_dirs[1], sizeof(x_dirs[1]), "/dev/shm/%s.%d", prog, (int)getpid());
	for (int i = 0; i < 2; i++) {
		if (mkdir(x_dirs[i], 0777) < 0 || chmod(x_dirs[i], 0777) < 0) {
			perror(x_dirs[i]);
			exit(2);
		}
	}
}

__attribute__((unused)) static void x_cleanup(void)
{
	for (int i = 0; i < 2; i++) {
		if (fork() == 0) {
			execl("/bin/rm", "rm", "-rf", x_dirs[i], (char *)NULL);
			_exit(127);
		}
		wait(NULL);
	}
}

__attribute__((unused)) static void x_path(char *buf, int i, const char *name)
{
	snprintf(buf, 1024, "%s/%s", x_dirs[i], name);
}

/* A fresh file (mode) in folder i; returns its path in buf. */
__attribute__((unused)) static int x_file(char *buf, int i, const char *name, mode_t mode)
{
	int fd;

	x_path(buf, i, name);
	unlink(buf);
	fd = open(buf, O_CREAT | O_WRONLY | O_TRUNC, mode);
	if (fd < 0)
		return -1;
	fchmod(fd, mode);
	close(fd);
	return 0;
}

static int cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* listxattr's names, sorted, joined by commas, into out. */
__attribute__((unused)) static void x_sorted(const char *list, ssize_t len, char *out, size_t outlen)
{
	const char *v[256];
	int n = 0;

	out[0] = 0;
	for (ssize_t off = 0; off < len && n < 256; off += (ssize_t)strlen(list + off) + 1)
		v[n++] = list + off;
	qsort(v, (size_t)n, sizeof(v[0]), cmpstr);
	for (int i = 0; i < n; i++) {
		if (i)
			strncat(out, ",", outlen - strlen(out) - 1);
		strncat(out, v[i], outlen - strlen(out) - 1);
	}
}

/* The sorted list of path's attributes (llistxattr), or "ERR errno". */
__attribute__((unused)) static const char *x_list(const char *path)
{
	static char out[4096];
	char buf[4096];
	ssize_t n = llistxattr(path, buf, sizeof(buf));

	if (n < 0) {
		snprintf(out, sizeof(out), "ERR %d", errno);
		return out;
	}
	x_sorted(buf, n, out, sizeof(out));
	return out;
}

/* ACL values: entries as (tag, perm, id) triples. */
struct x_ace {
	uint16_t tag, perm;
	uint32_t id;
};

#define X_UOBJ	0x01
#define X_USER	0x02
#define X_GOBJ	0x04
#define X_GROUP	0x08
#define X_MASK	0x10
#define X_OTHER	0x20
#define X_UNDEF	0xffffffffu
#define ACL_ACCESS	"system.posix_acl_access"
#define ACL_DEFAULT	"system.posix_acl_default"

/* Encodes n entries into buf: the length. */
__attribute__((unused)) static size_t x_acl(void *buf, const struct x_ace *e, int n)
{
	uint32_t ver = 2;

	memcpy(buf, &ver, 4);
	memcpy((char *)buf + 4, e, (size_t)n * 8);
	return 4 + (size_t)n * 8;
}

/* The ACL named name of path, as text "u::rw-,u:65534:r--,...", or "ERR errno". */
__attribute__((unused)) static const char *x_acl_text(const char *path, const char *name)
{
	static char out[1024];
	unsigned char buf[1024];
	ssize_t n = getxattr(path, name, buf, sizeof(buf));

	if (n < 0) {
		snprintf(out, sizeof(out), "ERR %d", errno);
		return out;
	}
	out[0] = 0;
	for (ssize_t off = 4; off + 8 <= n; off += 8) {
		struct x_ace e;
		char one[64], id[16] = "";
		const char *t = "?";

		memcpy(&e, buf + off, 8);
		switch (e.tag) {
		case X_UOBJ: t = "u"; break;
		case X_USER: t = "u"; snprintf(id, sizeof(id), "%u", e.id); break;
		case X_GOBJ: t = "g"; break;
		case X_GROUP: t = "g"; snprintf(id, sizeof(id), "%u", e.id); break;
		case X_MASK: t = "m"; break;
		case X_OTHER: t = "o"; break;
		}
		snprintf(one, sizeof(one), "%s%s:%s:%c%c%c", off > 4 ? "," : "", t, id,
			 e.perm & 4 ? 'r' : '-', e.perm & 2 ? 'w' : '-', e.perm & 1 ? 'x' : '-');
		strncat(out, one, sizeof(out) - strlen(out) - 1);
	}
	return out;
}

/* Runs fn(arg) in a child as uid/gid (no supplementary groups): its exit
 * status, which fn makes 0 or an errno. */
__attribute__((unused)) static int x_as(uid_t uid, gid_t gid, int (*fn)(void *), void *arg)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		if (setgroups(0, NULL) < 0 || setresgid(gid, gid, gid) < 0 ||
		    setresuid(uid, uid, uid) < 0)
			_exit(99);
		_exit(fn(arg));
	}
	if (pid < 0 || waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

#endif
