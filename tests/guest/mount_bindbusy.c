/*
 * mount_bindbusy.c - umount is EBUSY only for what is in use through
 * that mount: a file open, a cwd or a mapping through one bind mount of
 * a tmpfs tree does not keep another bind (or the tree's first mount)
 * from going, while the same through the mount itself does; umount2's
 * MNT_EXPIRE marks, then unmounts an unused mount.  Natively
 * it runs in a private mount namespace of its own (it needs root);
 * inside ./linux, as init, in the only one.
 */
#include "t.h"
#include <fcntl.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>

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
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd >= 0) {
		check(write(fd, text, strlen(text)) == (ssize_t)strlen(text), "put", "%s", strerror(errno));
		close(fd);
	}
}

/* t is a tmpfs with d/f; b1 and b2 bind t/d. */
static void setup(void)
{
	mkdir(P("t"), 0755);
	mkdir(P("b1"), 0755);
	mkdir(P("b2"), 0755);
	CHECK_OK(mount("tmpfs", P("t"), "tmpfs", 0, NULL), "mount tmpfs");
	mkdir(P("t/d"), 0755);
	put(P("t/d/f"), "bound");
	CHECK_OK(mount(P("t/d"), P("b1"), NULL, MS_BIND, NULL), "bind t/d on b1");
	CHECK_OK(mount(P("t/d"), P("b2"), NULL, MS_BIND, NULL), "bind t/d on b2");
}

static void open_file(void)
{
	int fd = open(P("b1/f"), O_RDONLY);
	char buf[8] = { 0 };

	CHECK_OK(fd, "open through b1");
	CHECK_ERR(umount(P("b1")), EBUSY, "b1 busy with a file open through it");
	CHECK_OK(umount(P("b2")), "b2 not busy with a file open through b1");
	CHECK_OK(mount(P("t/d"), P("b2"), NULL, MS_BIND, NULL), "bind b2 again");
	check(read(fd, buf, sizeof(buf)) == 5 && !strcmp(buf, "bound"), "the file reads", "'%s'", buf);
	close(fd);
	CHECK_OK(umount(P("b1")), "b1 once the file is closed");
	CHECK_OK(mount(P("t/d"), P("b1"), NULL, MS_BIND, NULL), "bind b1 again");
}

/* A file of the tree's first mount open: the binds go, the first one not. */
static void open_in_first(void)
{
	int fd = open(P("t/d/f"), O_RDONLY);

	CHECK_OK(fd, "open through t");
	CHECK_OK(umount(P("b1")), "b1 not busy with a file open through t");
	CHECK_OK(umount(P("b2")), "b2 not busy with a file open through t");
	CHECK_ERR(umount(P("t")), EBUSY, "t busy with a file open through it");
	close(fd);
	CHECK_OK(mount(P("t/d"), P("b1"), NULL, MS_BIND, NULL), "bind b1 once more");
	CHECK_OK(mount(P("t/d"), P("b2"), NULL, MS_BIND, NULL), "bind b2 once more");
}

/* A file open through b2, t unmounted first: b2 keeps the tree alive. */
static void last_mount(void)
{
	int fd = open(P("b2/f"), O_RDWR);
	char buf[8] = { 0 };

	CHECK_OK(fd, "open through b2");
	CHECK_OK(umount(P("t")), "t not busy with a file open through b2");
	CHECK_OK(umount(P("b1")), "b1 not busy with a file open through b2");
	CHECK_ERR(umount(P("b2")), EBUSY, "b2, the last, busy");
	check(pread(fd, buf, sizeof(buf), 0) == 5 && !strcmp(buf, "bound"), "the file still reads",
	      "'%s'", buf);
	close(fd);
	CHECK_OK(umount(P("b2")), "b2 once the file is closed");
}

/* A cwd and a mapping through b1 keep b1, not b2. */
static void cwd_and_map(void)
{
	int fd, here = open(".", O_RDONLY | O_DIRECTORY);
	char *m;

	CHECK_OK(mount("tmpfs", P("t"), "tmpfs", 0, NULL), "mount tmpfs again");
	mkdir(P("t/d"), 0755);
	put(P("t/d/f"), "mapped");
	CHECK_OK(mount(P("t/d"), P("b1"), NULL, MS_BIND, NULL), "bind b1");
	CHECK_OK(mount(P("t/d"), P("b2"), NULL, MS_BIND, NULL), "bind b2");
	CHECK_OK(chdir(P("b1")), "chdir into b1");
	CHECK_ERR(umount(P("b1")), EBUSY, "b1 busy as the cwd");
	CHECK_OK(umount(P("b2")), "b2 not busy with the cwd in b1");
	CHECK_OK(fchdir(here), "chdir back");
	CHECK_OK(mount(P("t/d"), P("b2"), NULL, MS_BIND, NULL), "bind b2 again");
	fd = open(P("b2/f"), O_RDONLY);
	m = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	check(m != MAP_FAILED, "map through b2", "%s", strerror(errno));
	close(fd);
	CHECK_ERR(umount(P("b2")), EBUSY, "b2 busy with a mapping");
	CHECK_OK(umount(P("b1")), "b1 not busy with a mapping through b2");
	CHECK_OK(umount(P("t")), "t not busy with a mapping through b2");
	check(m != MAP_FAILED && !memcmp(m, "mapped", 6), "the mapping reads", "-");
	munmap(m, 4096);
	CHECK_OK(umount(P("b2")), "b2 once unmapped");
	close(here);
}

/*
 * umount2(MNT_EXPIRE): EAGAIN and a mark the first time, the umount the
 * second, unless the mount was used in between (a stat through it);
 * EBUSY while in use; EINVAL with MNT_DETACH.
 */
static void expire(void)
{
	struct stat st;
	int fd;

	mkdir(P("x"), 0755);
	CHECK_OK(mount("tmpfs", P("x"), "tmpfs", 0, NULL), "mount x");
	put(P("x/f"), "x");
	CHECK_ERR(umount2(P("x"), MNT_EXPIRE | MNT_DETACH), EINVAL, "expire with detach");
	CHECK_ERR(umount2(P("x"), MNT_EXPIRE), EAGAIN, "expire marks");
	CHECK_OK(umount2(P("x"), MNT_EXPIRE), "expire again unmounts");
	check(stat(P("x/f"), &st) < 0 && errno == ENOENT, "x gone", "%s", strerror(errno));
	CHECK_OK(mount("tmpfs", P("x"), "tmpfs", 0, NULL), "mount x again");
	put(P("x/f"), "x");
	CHECK_ERR(umount2(P("x"), MNT_EXPIRE), EAGAIN, "expire marks x");
	CHECK_OK(stat(P("x/f"), &st), "a use of x");
	CHECK_ERR(umount2(P("x"), MNT_EXPIRE), EAGAIN, "the use took the mark away");
	fd = open(P("x/f"), O_RDONLY);
	CHECK_ERR(umount2(P("x"), MNT_EXPIRE), EBUSY, "expire of a busy mount");
	close(fd);
	CHECK_ERR(umount2(P("x"), MNT_EXPIRE), EAGAIN, "expire marks once closed");
	CHECK_OK(umount2(P("x"), MNT_EXPIRE), "and unmounts");
}

int main(void)
{
	t_start();
	if (getpid() == 1) {	/* init inside ./linux: nothing mounted yet */
		mount("proc", "/proc", "proc", 0, NULL);
	} else if (unshare(CLONE_NEWNS) != 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) {
		printf("cannot make a mount namespace: %s\n", strerror(errno));
		return 1;
	}
	t_path(base, sizeof(base), "mnt");
	mkdir(base, 0755);
	setup();
	open_file();
	open_in_first();
	last_mount();
	cwd_and_map();
	expire();
	return t_done();
}
