/*
 * copy_xdev.c - copy_file_range across mounts, as Linux 5.19 and later
 * decide it: neither tmpfs nor ext2/4 has a copy_file_range of its own,
 * so files on two superblocks are EXDEV (two tmpfs mounts, tmpfs and the
 * disk, /proc and tmpfs) while a bind mount of one filesystem (another
 * mount, the same superblock) copies.  EXDEV comes after the checks on
 * the files themselves (EISDIR, EINVAL, EBADF) and before those on
 * offsets and lengths (a length of 0 or an offset past EOF is still
 * EXDEV); an unknown flag is EINVAL first of all.
 */
#include "t.h"
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>

static char base[256];

static const char *P(const char *name)
{
	static char buf[4][512];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", base, name);
	return buf[i];
}

static int mkfile(const char *name, const char *text, int flags)
{
	int fd = open(P(name), O_RDWR | O_CREAT | O_TRUNC, 0644);

	if (fd >= 0 && text)
		write(fd, text, strlen(text));
	if (fd >= 0 && flags != O_RDWR) {
		close(fd);
		fd = open(P(name), flags);
	}
	return fd;
}

static long cfr(int in, loff_t ipos, int out, loff_t opos, size_t len, unsigned flags)
{
	return copy_file_range(in, &ipos, out, &opos, len, flags);
}

int main(void)
{
	int f1, g, h, y, z, gro, gap, dir2, proc;
	char buf[16] = { 0 };

	t_start();
	if (getpid() == 1) {	/* init inside ./linux */
		mkdir("/proc", 0555);
		mount("proc", "/proc", "proc", 0, NULL);
	} else if (unshare(CLONE_NEWNS) != 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) {
		printf("cannot make a mount namespace: %s\n", strerror(errno));
		return 1;
	}
	snprintf(base, sizeof(base), "%s/copy_xdev.%d", t_tmpdir(), (int)getpid());
	CHECK_OK(mkdir(base, 0755), "a scratch dir on the disk");
	mkdir(P("t1"), 0755);
	mkdir(P("t2"), 0755);
	mkdir(P("b1"), 0755);
	CHECK_OK(mount("tmpfs", P("t1"), "tmpfs", 0, NULL), "one tmpfs");
	CHECK_OK(mount("tmpfs", P("t2"), "tmpfs", 0, NULL), "another tmpfs");
	CHECK_OK(mount(P("t1"), P("b1"), NULL, MS_BIND, NULL), "a bind mount of the first");

	f1 = mkfile("t1/f1", "0123456789", O_RDWR);
	g = mkfile("t2/g", NULL, O_RDWR);
	h = mkfile("h", "abcdef", O_RDWR);
	y = mkfile("b1/y", NULL, O_RDWR);
	z = mkfile("t1/z", NULL, O_RDWR);
	gro = mkfile("t2/ro", NULL, O_RDONLY);
	gap = mkfile("t2/ap", NULL, O_WRONLY | O_APPEND);
	dir2 = open(P("t2"), O_RDONLY | O_DIRECTORY);
	proc = open("/proc/self/status", O_RDONLY);
	check(f1 >= 0 && g >= 0 && h >= 0 && y >= 0 && z >= 0 && gro >= 0 && gap >= 0 && dir2 >= 0 &&
	      proc >= 0, "the files", "-");

	CHECK_ERR(cfr(f1, 0, g, 0, 5, 0), EXDEV, "two tmpfs mounts: EXDEV");
	CHECK_ERR(cfr(f1, 0, h, 0, 5, 0), EXDEV, "tmpfs to the disk: EXDEV");
	CHECK_ERR(cfr(h, 0, f1, 0, 5, 0), EXDEV, "the disk to tmpfs: EXDEV");
	CHECK_ERR(cfr(proc, 0, g, 0, 5, 0), EXDEV, "/proc to tmpfs: EXDEV");
	check(cfr(f1, 2, y, 0, 5, 0) == 5 && pread(y, buf, sizeof(buf) - 1, 0) == 5 &&
	      !strcmp(buf, "23456"), "through a bind mount: copied", "'%s'", buf);
	check(cfr(f1, 0, z, 0, 5, 0) == 5, "within one tmpfs: copied", "-");
	CHECK_ERR(cfr(f1, 0, g, 0, 0, 0), EXDEV, "length 0: still EXDEV");
	CHECK_ERR(cfr(f1, 100, g, 0, 5, 0), EXDEV, "past EOF: still EXDEV");
	CHECK_ERR(cfr(f1, -1, g, 0, 5, 0), EXDEV, "offset -1: EXDEV before EOVERFLOW");
	CHECK_ERR(cfr(f1, 0, g, 0, 5, 1), EINVAL, "a flag: EINVAL first");
	CHECK_ERR(cfr(f1, 0, gro, 0, 5, 0), EBADF, "into a read-only fd: EBADF before EXDEV");
	CHECK_ERR(cfr(f1, 0, gap, 0, 5, 0), EBADF, "into O_APPEND: EBADF before EXDEV");
	CHECK_ERR(cfr(gap, 0, f1, 0, 5, 0), EBADF, "from a write-only fd: EBADF before EXDEV");
	CHECK_ERR(cfr(f1, 0, dir2, 0, 5, 0), EISDIR, "into a directory: EISDIR before EBADF");

	close(f1); close(g); close(h); close(y); close(z); close(gro); close(gap); close(dir2);
	close(proc);
	CHECK_OK(umount(P("b1")), "umount the bind mount");
	CHECK_OK(umount(P("t2")), "umount t2");
	CHECK_OK(umount(P("t1")), "umount t1");
	unlink(P("h"));
	rmdir(P("t1"));
	rmdir(P("t2"));
	rmdir(P("b1"));
	rmdir(base);
	return t_done();
}
