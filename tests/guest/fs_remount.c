/*
 * fs_remount.c - mount -o remount,ro refuses (EBUSY) while the
 * filesystem has writers, as Linux's sb_prepare_remount_readonly and
 * mnt_make_readonly do: a file open for writing (O_WRONLY, O_RDWR, a
 * MAP_SHARED mapping whose descriptor is closed), an unlinked file still
 * open, a removed directory still someone's cwd; a bind mount's own
 * read-only remount counts only that mount's writers.  Readers, FIFOs
 * and devices opened for writing do not count.  After a refusal the
 * mount is still read-write; once the writers are gone it goes
 * read-only.  Natively in a private mount namespace (it needs root);
 * inside ./linux, as init.
 */
#include "t.h"
#include <fcntl.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
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

static int remount(const char *path, unsigned long flags)
{
	return mount(NULL, path, NULL, MS_REMOUNT | flags, NULL);
}

/* Whether path's mount says read-only (statvfs's ST_RDONLY). */
static int is_ro(const char *path)
{
	struct statvfs sv;

	return statvfs(path, &sv) == 0 && (sv.f_flag & ST_RDONLY) != 0;
}

/* Remount ro must fail with EBUSY and leave the mount writable. */
static void busy(const char *what)
{
	char name[200];
	int fd;

	snprintf(name, sizeof(name), "%s: remount ro EBUSY", what);
	CHECK_ERR(remount(P("a"), MS_RDONLY), EBUSY, name);
	snprintf(name, sizeof(name), "%s: still read-write", what);
	fd = open(P("a/probe"), O_WRONLY | O_CREAT, 0644);
	check(fd >= 0 && !is_ro(P("a")), name, "errno %d", errno);
	close(fd);
	unlink(P("a/probe"));
}

/* Remount ro must work; then back to read-write. */
static void free_to_ro(const char *what)
{
	char name[200];

	snprintf(name, sizeof(name), "%s: remount ro works", what);
	CHECK_OK(remount(P("a"), MS_RDONLY), name);
	snprintf(name, sizeof(name), "%s: read-only now", what);
	check(is_ro(P("a")), name, "not read-only");
	snprintf(name, sizeof(name), "%s: remount rw", what);
	CHECK_OK(remount(P("a"), 0), name);
}

static void test_writers(void)
{
	int fd, fd2;
	void *m;

	fd = open(P("a/f"), O_WRONLY | O_CREAT, 0644);
	busy("O_WRONLY open");
	fd2 = dup(fd);
	close(fd);
	busy("a dup of it");
	close(fd2);
	free_to_ro("closed");

	fd = open(P("a/f"), O_RDWR);
	busy("O_RDWR open");
	close(fd);

	fd = open(P("a/f"), O_RDONLY);
	free_to_ro("O_RDONLY open");
	close(fd);

	fd = open(P("a/f"), O_RDWR);
	ftruncate(fd, 4096);
	m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	check(m != MAP_FAILED, "shared writable mapping", "errno %d", errno);
	busy("MAP_SHARED mapping, fd closed");
	munmap(m, 4096);
	free_to_ro("unmapped");

	fd = open(P("a/f"), O_RDONLY);
	m = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	free_to_ro("read-only mapping");
	if (m != MAP_FAILED)
		munmap(m, 4096);
}

static void test_child(void)
{
	int st, p[2];
	char c;
	pid_t pid;

	pipe(p);
	pid = fork();
	if (pid == 0) {
		int fd = open(P("a/f"), O_WRONLY);

		close(p[0]);
		write(p[1], fd >= 0 ? "y" : "n", 1);
		pause();
		_exit(0);
	}
	close(p[1]);
	check(read(p[0], &c, 1) == 1 && c == 'y', "a child holds a writer", "child said %c", c);
	busy("another process's writer");
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	close(p[0]);
	free_to_ro("that process gone");
}

static void test_unlinked(void)
{
	int fd;

	fd = open(P("a/gone"), O_WRONLY | O_CREAT, 0644);
	write(fd, "x", 1);
	close(fd);
	fd = open(P("a/gone"), O_RDONLY);
	unlink(P("a/gone"));
	busy("unlinked, open for reading");
	close(fd);
	free_to_ro("unlinked one closed");

	mkdir(P("a/dir"), 0755);
	fd = open(".", O_RDONLY | O_DIRECTORY);
	chdir(P("a/dir"));
	rmdir(P("a/dir"));
	busy("removed directory as cwd");
	fchdir(fd);
	close(fd);
	free_to_ro("cwd back");
}

static void test_special(void)
{
	int fd;

	mkfifo(P("a/fifo"), 0644);
	fd = open(P("a/fifo"), O_RDWR);
	check(fd >= 0, "FIFO open read-write", "errno %d", errno);
	free_to_ro("FIFO open for writing");
	close(fd);
	mknod(P("a/null"), S_IFCHR | 0666, makedev(1, 3));
	fd = open(P("a/null"), O_WRONLY);
	check(fd >= 0, "device open for writing", "errno %d", errno);
	free_to_ro("device open for writing");
	close(fd);
}

static void test_bind(void)
{
	int fd;

	mkdir(P("a/sub"), 0755);
	mkdir(P("b"), 0755);
	CHECK_OK(mount(P("a/sub"), P("b"), NULL, MS_BIND, NULL), "bind a/sub on b");
	fd = open(P("b/w"), O_WRONLY | O_CREAT, 0644);
	CHECK_ERR(remount(P("b"), MS_BIND | MS_RDONLY), EBUSY, "bind remount ro with a writer through it");
	check(!is_ro(P("b")), "the bind is still read-write", "read-only");
	CHECK_OK(remount(P("a"), MS_BIND | MS_RDONLY), "the other mount's bind remount ro");
	check(is_ro(P("a")) && !is_ro(P("b")), "only that mount read-only", "a %d b %d", is_ro(P("a")),
	      is_ro(P("b")));
	CHECK_OK(remount(P("a"), MS_BIND), "and back");
	busy("a writer through a bind of the same filesystem");
	close(fd);
	CHECK_OK(remount(P("b"), MS_BIND | MS_RDONLY), "bind remount ro once closed");
	CHECK_OK(remount(P("b"), MS_BIND), "bind back to read-write");
	free_to_ro("after the bind's writer");
	CHECK_OK(umount(P("b")), "umount the bind");
}

int main(void)
{
	t_start();
	if (getpid() == 1) {	/* init inside ./linux */
		mount("proc", "/proc", "proc", 0, NULL);
	} else if (unshare(CLONE_NEWNS) != 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) {
		printf("cannot make a mount namespace: %s\n", strerror(errno));
		return 1;
	}
	t_path(base, sizeof(base), "remount");
	mkdir(base, 0755);
	CHECK_OK(mount("tmpfs", base, "tmpfs", 0, "mode=755"), "scratch tmpfs");
	mkdir(P("a"), 0755);
	CHECK_OK(mount("tmpfs", P("a"), "tmpfs", 0, "mode=755"), "tmpfs on a");
	free_to_ro("nothing open");
	test_writers();
	test_child();
	test_unlinked();
	test_special();
	test_bind();
	CHECK_OK(umount(P("a")), "umount a");
	CHECK_OK(umount(base), "umount the scratch tmpfs");
	return t_done();
}
