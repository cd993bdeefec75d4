/*
 * hostfs.c - a guest that tries to reach host files outside the
 * directory given to hostfs.  Run as init with the shared directory
 * SHARE (mounted at /mnt) holding: sub/a ("inside"), esc -> ../secret,
 * abs -> HOSTSECRET, updir -> .., and HOSTSECRET a host file next to it.
 * Usage: hostfs HOSTSECRET
 * Prints ok/not ok lines; the host checks afterwards that nothing
 * outside SHARE changed or appeared.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "check.h"

static int reads_secret(const char *path)
{
	char buf[64] = { 0 };
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

	if (fd >= 0)
		close(fd);
	return n > 0 && strstr(buf, "SECRET") != NULL;
}

int main(int argc, char **argv)
{
	const char *secret = argc > 1 ? argv[1] : "/nonexistent";
	char p[512];
	int fd, i;

	setvbuf(stdout, NULL, _IONBF, 0);
	mount("proc", "/proc", "proc", 0, NULL);
	check(mount("none", "/mnt", "hostfs", 0, "/") == 0, "mount hostfs", "errno %d", errno);
	check(reads_secret("/mnt/sub/a") == 0 && access("/mnt/sub/a", R_OK) == 0, "inside file",
	      "errno %d", errno);
	check(!reads_secret("/mnt/esc"), "../ symlink resolved in the guest", "read the secret");
	check(!reads_secret("/mnt/abs"), "absolute symlink resolved in the guest", "read the secret");
	snprintf(p, sizeof(p), "/mnt/updir/%s", strrchr(secret, '/') + 1);
	check(!reads_secret(p), "symlink to .. stays in the guest", "read the secret");
	check(!reads_secret("/mnt/../secret") && !reads_secret("/mnt/sub/../../secret"),
	      ".. leaves the mount for the guest's /", "read the secret");
	for (i = 0; i < 40; i++) {	/* deep .. chains */
		char q[600] = "/mnt/sub";

		for (int k = 0; k <= i; k++)
			strcat(q, "/..");
		strcat(q, "/secret");
		if (reads_secret(q))
			break;
	}
	check(i == 40, "no chain of .. reaches the host", "depth %d", i);
	/* Symlinks the guest makes are the guest's to resolve. */
	check(symlink(secret, "/mnt/mine") == 0 && !reads_secret("/mnt/mine"),
	      "a new symlink to the host path", "read the secret");
	check(symlink("../../../../../../..", "/mnt/sub/deep") == 0 &&
	      !reads_secret("/mnt/sub/deep/secret"), "a new symlink of ..s", "read the secret");
	/* Renames and links out of the mount are cross-device here. */
	check(rename("/mnt/sub", "/outside") == -1 && errno == EXDEV, "rename out: EXDEV",
	      "errno %d", errno);
	fd = open("/guestfile", O_CREAT | O_WRONLY, 0644);
	close(fd);
	check(link("/guestfile", "/mnt/linked") == -1 && errno == EXDEV, "link in: EXDEV",
	      "errno %d", errno);
	/* openat2 under a hostfs dir fd, and magic links of hostfs files. */
	fd = open("/mnt/sub", O_RDONLY | O_DIRECTORY);
	{
		struct { unsigned long long flags, mode, resolve; } how = { O_RDONLY, 0, 0x08 };

		check(syscall(SYS_openat2, fd, "../esc", &how, sizeof(how)) == -1 && errno == EXDEV,
		      "openat2 BENEATH .. : EXDEV", "errno %d", errno);
	}
	snprintf(p, sizeof(p), "/proc/self/fd/%d/../../secret", fd);
	check(!reads_secret(p), "fd link then ..", "read the secret");
	close(fd);
	/* Mounts that name places outside. */
	check(mount("none", "/tmp", "hostfs", 0, "../..") == -1, "mount -o ../..", "mounted");
	snprintf(p, sizeof(p), "%s", secret);
	*strrchr(p, '/') = 0;
	check(mount("none", "/tmp", "hostfs", 0, p) == -1 || !reads_secret("/tmp/secret"),
	      "mount -o the host parent", "reached the secret");
	umount("/tmp");
	/* Writes: the secret's name in every form the guest can give. */
	fd = open("/mnt/esc", O_WRONLY | O_TRUNC);
	if (fd >= 0) {
		write(fd, "pwned", 5);
		close(fd);
	}
	fd = open("/mnt/abs", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0) {
		write(fd, "pwned", 5);
		close(fd);
	}
	check(umount("/mnt") == 0, "umount", "errno %d", errno);
	return checks_done();
}
