/*
 * groups.c - supplementary groups: setgroups/getgroups (sorted, size 0
 * counts, a short buffer EINVAL, more than 65536 EINVAL, EFAULT), kept
 * across fork, shown in /proc/self/status, used for file permissions (a
 * non-root user reads a 0640 file through a supplementary group, not
 * without it), and setgroups needs root (EPERM).
 */
#include "t.h"
#include <fcntl.h>
#include <grp.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>

static int child_ok(int (*fn)(void))
{
	int st;
	pid_t pid = fork();

	if (pid == 0)
		_exit(fn());
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 100;
}

static char path[256];

static int as_user_with_group(void)
{
	gid_t g[1] = { 4242 };

	if (setgroups(1, g) || setresgid(1000, 1000, 1000) || setresuid(1000, 1000, 1000))
		return 10;
	if (open(path, O_RDONLY) < 0)
		return 11;
	if (open(path, O_WRONLY) >= 0 || errno != EACCES)
		return 12;
	gid_t h[1] = { 5 };
	if (setgroups(1, h) != -1 || errno != EPERM)
		return 13;
	return 0;
}

static int as_user_without(void)
{
	if (setgroups(0, NULL) || setresgid(1000, 1000, 1000) || setresuid(1000, 1000, 1000))
		return 10;
	return open(path, O_RDONLY) < 0 && errno == EACCES ? 0 : 11;
}

static int child_sees(void)
{
	gid_t out[8];

	return getgroups(8, out) == 3 && out[0] == 3 ? 0 : 1;
}

int main(void)
{
	gid_t g[3] = { 7, 3, 5 }, out[8];
	int n, fd;

	t_start();
	if (getpid() == 1)
		mount("proc", "/proc", "proc", 0, NULL);
	CHECK_OK(setgroups(3, g), "setgroups 3");
	check(getgroups(0, NULL) == 3, "getgroups(0) counts", "other");
	n = getgroups(8, out);
	check(n == 3 && out[0] == 3 && out[1] == 5 && out[2] == 7, "getgroups: sorted", "%d: %u %u %u", n,
	      out[0], out[1], out[2]);
	CHECK_ERR(getgroups(2, out), EINVAL, "getgroups: buffer too small");
	CHECK_ERR(getgroups(-1, out), EINVAL, "getgroups(-1)");
	CHECK_ERR(getgroups(8, (void *)8), EFAULT, "getgroups bad buffer");
	CHECK_ERR(setgroups(65537, g), EINVAL, "setgroups 65537");
	CHECK_ERR(setgroups(2, (void *)8), EFAULT, "setgroups bad buffer");
	check(child_ok(child_sees) == 0, "a forked child has them", "no");

	char line[256] = "";
	FILE *f = fopen("/proc/self/status", "r");
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "Groups:", 7))
			break;
	if (f)
		fclose(f);
	check(!strcmp(line, "Groups:\t3 5 7 \n"), "/proc/self/status Groups:", "'%s'", line);

	t_path(path, sizeof(path), "groupfile");
	fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0640);
	fchown(fd, 0, 4242);
	fchmod(fd, 0640);
	close(fd);
	chmod(t_tmpdir(), 0755);
	check(child_ok(as_user_with_group) == 0, "a supplementary group grants the group bits; setgroups EPERM",
	      "step %d", child_ok(as_user_with_group));
	check(child_ok(as_user_without) == 0, "without it: EACCES", "step %d", child_ok(as_user_without));
	unlink(path);
	CHECK_OK(setgroups(0, NULL), "setgroups(0) clears");
	check(getgroups(0, NULL) == 0, "none left", "some");
	return t_failed != 0;
}
