/*
 * fs_tmpfs.c - tmpfs's mount options: size=, nr_inodes=, mode=, uid=,
 * gid= at mount; ENOSPC at each limit; statfs's figures following what
 * is used; /proc/mounts showing the options that differ from the
 * defaults; remount changing the limits (refused below what is in use,
 * or to limit an unlimited instance) and ignoring mode/uid; unknown
 * options refused.  Runs as root (natively too: the test suite's user).
 */
#include "t.h"
#include "fs.h"
#include <sys/mount.h>
#include <sys/statfs.h>

#define TMPFS_MAGIC 0x01021994

static char mp[4096];

/* mp's options in /proc/mounts, or "(none)". */
static const char *mount_opts(void)
{
	static char line[1024], opts[512];
	FILE *f = fopen("/proc/mounts", "r");

	snprintf(opts, sizeof(opts), "(none)");
	while (f && fgets(line, sizeof(line), f)) {
		char dev[256], dir[4096], type[64];

		if (sscanf(line, "%255s %4095s %63s %511s", dev, dir, type, opts) == 4 && !strcmp(dir, mp))
			break;
		snprintf(opts, sizeof(opts), "(none)");
	}
	if (f)
		fclose(f);
	return opts;
}

int main(void)
{
	struct statfs sf;
	struct stat st;
	char name[64], *buf;
	int fd, i, made = 0;
	ssize_t n;

	t_start();
	if (getpid() == 1)	/* init inside ./linux: nothing mounted yet */
		mount("proc", "/proc", "proc", 0, NULL);
	fs_scratch("fs_tmpfs");
	getcwd(mp, sizeof(mp) - 4);
	strcat(mp, "/m");
	mkdir(mp, 0755);
	CHECK_ERR(mount("none", mp, "tmpfs", 0, "size=1m,bogus=1"), EINVAL, "unknown option");
	CHECK_ERR(mount("none", mp, "tmpfs", 0, "size=12q"), EINVAL, "bad size suffix");
	CHECK_OK(mount("none", mp, "tmpfs", 0, "size=1m,nr_inodes=10,mode=750,uid=5,gid=6"), "mount with options");
	check(stat(mp, &st) == 0 && (st.st_mode & 07777) == 0750 && st.st_uid == 5 && st.st_gid == 6,
	      "root mode and owner", "mode %o uid %d gid %d", st.st_mode, st.st_uid, st.st_gid);
	check(!strcmp(mount_opts(), "rw,relatime,size=1024k,nr_inodes=10,mode=750,uid=5,gid=6"),
	      "/proc/mounts options", "got %s", mount_opts());
	CHECK_OK(statfs(mp, &sf), "statfs");
	check(sf.f_type == TMPFS_MAGIC && sf.f_bsize == 4096, "type and block size", "type %lx bsize %ld",
	      (long)sf.f_type, (long)sf.f_bsize);
	check(sf.f_blocks == 256 && sf.f_bfree == 256 && sf.f_bavail == 256, "1 MiB of 4 KiB blocks free",
	      "blocks %lu free %lu", sf.f_blocks, sf.f_bfree);
	check(sf.f_files == 10 && sf.f_ffree == 9, "10 inodes, the root uses one", "files %lu free %lu",
	      sf.f_files, sf.f_ffree);
	chdir(mp);
	for (i = 0; i < 12; i++) {
		snprintf(name, sizeof(name), "f%d", i);
		fd = open(name, O_CREAT | O_WRONLY, 0644);
		if (fd < 0)
			break;
		made++;
		close(fd);
	}
	check(made == 9 && errno == ENOSPC, "ENOSPC past nr_inodes", "made %d errno %d", made, errno);
	CHECK_ERR(mkdir("d", 0755), ENOSPC, "mkdir past nr_inodes");
	CHECK_ERR(symlink("x", "l"), ENOSPC, "symlink past nr_inodes");
	statfs(".", &sf);
	check(sf.f_ffree == 0, "no inodes free", "free %lu", sf.f_ffree);
	unlink("f8");
	statfs(".", &sf);
	check(sf.f_ffree == 1, "unlink frees one", "free %lu", sf.f_ffree);
	buf = calloc(1, 2 << 20);
	fd = open("f0", O_WRONLY);
	n = write(fd, buf, 2 << 20);
	check(n == 1 << 20, "write stops at size=", "wrote %ld", (long)n);
	CHECK_ERR(write(fd, buf, 4096), ENOSPC, "ENOSPC past size=");
	statfs(".", &sf);
	check(sf.f_bfree == 0 && sf.f_bavail == 0, "no blocks free", "free %lu", sf.f_bfree);
	check(fstat(fd, &st) == 0 && st.st_blocks == 2048, "st_blocks of the full file", "blocks %ld",
	      (long)st.st_blocks);
	CHECK_ERR(mount(NULL, mp, NULL, MS_REMOUNT, "size=512k"), EINVAL, "remount below the pages in use");
	CHECK_ERR(mount(NULL, mp, NULL, MS_REMOUNT, "nr_inodes=5"), EINVAL, "remount below the inodes in use");
	CHECK_OK(mount(NULL, mp, NULL, MS_REMOUNT, "size=2m,mode=700,uid=7"), "remount size=2m");
	check(!strcmp(mount_opts(), "rw,relatime,size=2048k,nr_inodes=10,mode=750,uid=5,gid=6"),
	      "remount: new size, mode and uid kept", "got %s", mount_opts());
	check(stat(mp, &st) == 0 && (st.st_mode & 07777) == 0750 && st.st_uid == 5, "root unchanged",
	      "mode %o uid %d", st.st_mode, st.st_uid);
	n = write(fd, buf, 4096);
	check(n == 4096, "room again after remount", "wrote %ld errno %d", (long)n, errno);
	statfs(".", &sf);
	check(sf.f_blocks == 512 && sf.f_bfree == 255, "statfs after remount", "blocks %lu free %lu",
	      sf.f_blocks, sf.f_bfree);
	CHECK_OK(ftruncate(fd, 0), "truncate frees the pages");
	statfs(".", &sf);
	check(sf.f_bfree == 512, "all free again", "free %lu", sf.f_bfree);
	close(fd);
	chdir("..");
	CHECK_OK(umount(mp), "umount");
	CHECK_OK(mount("none", mp, "tmpfs", 0, NULL), "mount with defaults");
	check(!strcmp(mount_opts(), "rw,relatime"), "defaults not shown", "got %s", mount_opts());
	statfs(mp, &sf);
	check(sf.f_blocks > 0 && sf.f_blocks == sf.f_files && sf.f_ffree == sf.f_files - 1,
	      "defaults: as many inodes as pages (half of RAM)", "blocks %lu files %lu free %lu",
	      sf.f_blocks, sf.f_files, sf.f_ffree);
	check(stat(mp, &st) == 0 && (st.st_mode & 07777) == 01777, "default mode 1777", "mode %o", st.st_mode);
	CHECK_OK(mount(NULL, mp, NULL, MS_REMOUNT, "size=10%"), "remount size=10%");
	statfs(mp, &sf);
	check(sf.f_blocks * 5 <= sf.f_files + 5 && sf.f_blocks * 5 + 5 >= sf.f_files, "10% is a fifth of the default",
	      "blocks %lu files %lu", sf.f_blocks, sf.f_files);
	umount(mp);
	CHECK_OK(mount("none", mp, "tmpfs", 0, "size=0,nr_inodes=0"), "mount unlimited");
	statfs(mp, &sf);
	check(sf.f_blocks == 0 && sf.f_files == 0, "unlimited: zeros", "blocks %lu files %lu", sf.f_blocks, sf.f_files);
	CHECK_ERR(mount(NULL, mp, NULL, MS_REMOUNT, "size=1m"), EINVAL, "cannot limit an unlimited instance");
	umount(mp);
	free(buf);
	return t_done();
}
