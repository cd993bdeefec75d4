/*
 * mount.c - mount(2) and friends on tmpfs trees in a scratch folder:
 * nosuid/nodev/noexec enforced and shown, remount ro/rw and a bind
 * remount, bind and recursive bind mounts, MS_MOVE, umount2 with EBUSY
 * and MNT_DETACH, /proc/self/mountinfo, then pivot_root in a child.
 * Natively it runs in a private mount namespace of its own (it needs
 * root); inside ./linux, as init, in the only one.
 */
#include "t.h"
#include <fcntl.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

static char base[512];

static const char *P(const char *rel)
{
	static char bufs[4][600];
	static int i;

	i = (i + 1) % 4;
	snprintf(bufs[i], sizeof(bufs[i]), "%s/%s", base, rel);
	return bufs[i];
}

static void put(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);

	if (fd >= 0) {
		write(fd, text, strlen(text));
		close(fd);
	}
}

/* The options field of mountinfo's line for the mount at path ("" if none). */
static const char *mount_field(const char *path, int field)
{
	static char line[1024], out[256];
	FILE *f = fopen("/proc/self/mountinfo", "r");

	out[0] = 0;
	while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
		char *tok[8], *save;
		int n = 0;

		for (char *s = strtok_r(line, " ", &save); s != NULL && n < 8; s = strtok_r(NULL, " ", &save))
			tok[n++] = s;
		if (n >= 6 && !strcmp(tok[4], path))
			snprintf(out, sizeof(out), "%s", tok[field]);	/* the last one wins */
	}
	if (f != NULL)
		fclose(f);
	return out;
}

static int run_prog(const char *path)
{
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		execl(path, path, "--true", (char *)NULL);
		_exit(errno == EACCES ? 42 : 43);
	}
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void test_flags(void)
{
	int fd, r;
	void *m;

	mkdir(P("a"), 0755);
	CHECK_OK(mount("tmpfs", P("a"), "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=755"),
		 "mount tmpfs nosuid,nodev,noexec");
	check(!strcmp(mount_field(P("a"), 5), "rw,nosuid,nodev,noexec,relatime"),
	      "mountinfo options", "got '%s'", mount_field(P("a"), 5));
	check(!strcmp(mount_field(P("a"), 3), "/"), "mountinfo root", "got '%s'", mount_field(P("a"), 3));
	{
		struct statfs sf;

		check(statfs(P("a"), &sf) == 0 && (sf.f_flags & (ST_NOSUID | ST_NODEV | ST_NOEXEC |
			ST_RDONLY | ST_RELATIME)) == (ST_NOSUID | ST_NODEV | ST_NOEXEC | ST_RELATIME) &&
		      sf.f_type == 0x01021994 && sf.f_bsize == 4096, "statfs flags and type",
		      "flags %lx type %lx", (long)sf.f_flags, (long)sf.f_type);
	}
	/* A copy of this program, run with --true it exits 0. */
	{
		char buf[65536];
		int in = open("/proc/self/exe", O_RDONLY), out = open(P("a/prog"), O_WRONLY | O_CREAT, 0755);
		ssize_t n;

		while (in >= 0 && out >= 0 && (n = read(in, buf, sizeof(buf))) > 0)
			write(out, buf, (size_t)n);
		close(in);
		close(out);
	}
	r = run_prog(P("a/prog"));
	check(r == 42, "noexec: execve EACCES", "child status %d", r);
	fd = open(P("a/prog"), O_RDONLY);
	m = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	check(m == MAP_FAILED && errno == EPERM, "noexec: mmap PROT_EXEC EPERM", "errno %d", errno);
	m = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	check(m != MAP_FAILED, "noexec: mmap PROT_READ works", "errno %d", errno);
	if (m != MAP_FAILED)
		munmap(m, 4096);
	close(fd);
	CHECK_OK(mknod(P("a/null"), S_IFCHR | 0666, makedev(1, 3)), "mknod a char device");
	CHECK_ERR(open(P("a/null"), O_RDWR), EACCES, "nodev: open EACCES");
	CHECK_OK(mount(NULL, P("a"), NULL, MS_REMOUNT | MS_NOSUID, NULL), "remount nosuid only");
	check(!strcmp(mount_field(P("a"), 5), "rw,nosuid,relatime"), "options after remount",
	      "got '%s'", mount_field(P("a"), 5));
	r = run_prog(P("a/prog"));
	check(r == 0, "exec works now", "child status %d", r);
	fd = open(P("a/null"), O_RDWR);
	check(fd >= 0 && write(fd, "x", 1) == 1, "the device opens now", "errno %d", errno);
	close(fd);
	CHECK_OK(mount(NULL, P("a"), NULL, MS_REMOUNT | MS_RDONLY, NULL), "remount ro");
	CHECK_ERR(open(P("a/new"), O_WRONLY | O_CREAT, 0644), EROFS, "ro: create EROFS");
	check(!strncmp(mount_field(P("a"), 5), "ro", 2), "ro shown", "got '%s'", mount_field(P("a"), 5));
	CHECK_OK(mount(NULL, P("a"), NULL, MS_REMOUNT, NULL), "remount rw");
	fd = open(P("a/new"), O_WRONLY | O_CREAT, 0644);
	CHECK_OK(fd, "rw again");
	close(fd);
	CHECK_ERR(mount(NULL, P("a/new"), NULL, MS_REMOUNT, NULL), EINVAL, "remount of a non-root");
}

static void test_bind(void)
{
	struct stat x, y;
	int fd, r;

	mkdir(P("a/sub"), 0755);
	put(P("a/sub/f"), "bound");
	mkdir(P("b"), 0755);
	CHECK_OK(mount(P("a/sub"), P("b"), NULL, MS_BIND, NULL), "bind a/sub on b");
	check(stat(P("b/f"), &x) == 0 && stat(P("a/sub/f"), &y) == 0 && x.st_ino == y.st_ino &&
	      x.st_dev == y.st_dev, "the same file through both", "ino differ");
	put(P("b/g"), "via b");
	check(access(P("a/sub/g"), F_OK) == 0, "a file made through the bind", "errno %d", errno);
	check(!strcmp(mount_field(P("b"), 3), "/sub"), "mountinfo root of the bind", "got '%s'",
	      mount_field(P("b"), 3));
	CHECK_OK(mount(NULL, P("b"), NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL), "bind remount ro");
	CHECK_ERR(open(P("b/h"), O_WRONLY | O_CREAT, 0644), EROFS, "the bind is read-only");
	fd = open(P("a/sub/h"), O_WRONLY | O_CREAT, 0644);
	CHECK_OK(fd, "the original is not");
	close(fd);
	r = run_prog(P("b/../a/prog"));
	check(r == 0, "a path through .. of a bind", "status %d", r);

	/* A mount inside, then a plain and a recursive bind of the whole tree. */
	mkdir(P("a/sub/inner"), 0755);
	CHECK_OK(mount("tmpfs", P("a/sub/inner"), "tmpfs", 0, NULL), "mount inside");
	put(P("a/sub/inner/x"), "inner");
	mkdir(P("c"), 0755);
	mkdir(P("d"), 0755);
	CHECK_OK(mount(P("a"), P("c"), NULL, MS_BIND, NULL), "bind without MS_REC");
	CHECK_ERR(access(P("c/sub/inner/x"), F_OK), ENOENT, "the inner mount is not there");
	CHECK_OK(mount(P("a"), P("d"), NULL, MS_BIND | MS_REC, NULL), "bind with MS_REC");
	check(access(P("d/sub/inner/x"), F_OK) == 0, "the inner mount came along", "errno %d", errno);
	CHECK_ERR(umount(P("a")), EBUSY, "umount with mounts inside");
	CHECK_OK(umount(P("b")), "umount the bind");
	check(access(P("b/f"), F_OK) != 0 && access(P("a/sub/f"), F_OK) == 0, "gone there, kept here",
	      "errno %d", errno);

	/* MS_MOVE */
	mkdir(P("e"), 0755);
	CHECK_OK(mount(P("c"), P("e"), NULL, MS_MOVE, NULL), "MS_MOVE");
	check(access(P("e/prog"), F_OK) == 0 && access(P("c/prog"), F_OK) != 0, "moved", "errno %d", errno);
	CHECK_ERR(mount(P("e"), P("e/sub"), NULL, MS_MOVE, NULL), ELOOP, "MS_MOVE into itself");
	CHECK_ERR(mount(P("a/sub"), P("c"), NULL, MS_MOVE, NULL), EINVAL, "MS_MOVE of a non-mount");

	/* Busy and lazy umounts. */
	fd = open(P("e/sub/f"), O_RDONLY);
	CHECK_ERR(umount(P("e")), EBUSY, "umount with an open file");
	CHECK_OK(umount2(P("e"), MNT_DETACH), "MNT_DETACH");
	{
		char buf[16] = { 0 };

		check(read(fd, buf, sizeof(buf)) == 5 && !strcmp(buf, "bound"), "the open file still reads",
		      "got '%s'", buf);
	}
	check(mount_field(P("e"), 0)[0] == 0, "gone from mountinfo", "still there");
	close(fd);
	CHECK_OK(umount2(P("d"), MNT_DETACH), "MNT_DETACH with mounts under it");
	check(mount_field(P("d/sub/inner"), 0)[0] == 0, "its children went too", "still there");
	CHECK_ERR(umount2(P("a"), 0x100), EINVAL, "umount2 unknown flag");
	CHECK_ERR(umount(P("a/sub")), EINVAL, "umount of a non-mount");
}

static void test_pivot(void)
{
	int st;
	pid_t pid;

	mkdir(P("a/oldroot"), 0755);
	put(P("a/marker"), "new root");
	pid = fork();
	if (pid == 0) {
		char buf[32] = { 0 };
		int fd, bad = 0;

		if (syscall(SYS_pivot_root, P("a"), P("a/oldroot")) != 0)
			_exit(10 + errno % 100);
		chdir("/");
		fd = open("/marker", O_RDONLY);
		bad |= fd < 0 || read(fd, buf, sizeof(buf)) != 8 || strcmp(buf, "new root");
		bad |= (access("/oldroot/proc", F_OK) != 0) << 1;
		bad |= (syscall(SYS_pivot_root, "/", "/oldroot") == 0) << 2;	/* EBUSY */
		bad |= (umount2("/oldroot", MNT_DETACH) != 0) << 3;
		_exit(bad);
	}
	check(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "pivot_root: new / , old root at /oldroot", "status %d", WEXITSTATUS(st));
}

int main(int argc, char **argv)
{
	t_start();
	if (argc > 1 && !strcmp(argv[1], "--true"))
		return 0;
	if (getpid() == 1) {	/* init inside ./linux: nothing mounted yet */
		mount("proc", "/proc", "proc", 0, NULL);
	} else if (unshare(CLONE_NEWNS) != 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) {
		printf("cannot make a mount namespace: %s\n", strerror(errno));
		return 1;
	}
	t_path(base, sizeof(base), "mnt");
	mkdir(base, 0755);
	CHECK_ERR(mount("tmpfs", P("none"), "tmpfs", 0, NULL), ENOENT, "mount on nothing");
	CHECK_ERR(mount("tmpfs", base, "nosuchfs", 0, NULL), ENODEV, "unknown type");
	CHECK_ERR(mount(NULL, base, NULL, MS_BIND, NULL), EINVAL, "bind without a source");
	test_flags();
	test_bind();
	test_pivot();
	return t_done();
}
