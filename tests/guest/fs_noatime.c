/*
 * fs_noatime.c - O_NOATIME is the owner's (or CAP_FOWNER's): another
 * user's open with it is EPERM even with read permission, and so is
 * F_SETFL adding it to a descriptor that user opened without it; the
 * owner may do both; root may on anyone's file.
 */
#include "t.h"
#include "fs.h"
#include <sys/wait.h>

#define NOBODY	65534

static const char *target;

static int as_nobody(int how)
{
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		int fd;

		if (setresgid(NOBODY, NOBODY, NOBODY) < 0 || setresuid(NOBODY, NOBODY, NOBODY) < 0)
			_exit(200);
		if (how == 0) {
			fd = open(target, O_RDONLY | O_NOATIME);
			_exit(fd < 0 ? errno : 0);
		}
		fd = open(target, O_RDONLY);
		if (fd < 0)
			_exit(201);
		_exit(fcntl(fd, F_SETFL, O_NOATIME) < 0 ? errno : 0);
	}
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int main(void)
{
	char cwd[4096], roots[4200], mine[4200];
	int fd, r;

	t_start();
	fs_scratch("fs_noatime");
	if (!getcwd(cwd, sizeof(cwd)))
		return 2;
	chmod(cwd, 0755);
	snprintf(roots, sizeof(roots), "%s/roots", cwd);
	snprintf(mine, sizeof(mine), "%s/nobodys", cwd);
	CHECK_OK(fs_put(roots, "r"), "root's file, 0644");
	CHECK_OK(fs_put(mine, "n"), "nobody's file");
	CHECK_OK(chown(mine, NOBODY, NOBODY), "chown");
	target = roots;
	r = as_nobody(0);
	check(r == EPERM, "another's file: open O_NOATIME EPERM", "%d", r);
	r = as_nobody(1);
	check(r == EPERM, "another's file: F_SETFL O_NOATIME EPERM", "%d", r);
	target = mine;
	r = as_nobody(0);
	check(r == 0, "own file: open O_NOATIME", "%d", r);
	r = as_nobody(1);
	check(r == 0, "own file: F_SETFL O_NOATIME", "%d", r);
	fd = open(mine, O_RDONLY | O_NOATIME);
	CHECK_OK(fd, "root on nobody's file (CAP_FOWNER)");
	check(fd < 0 || (fcntl(fd, F_GETFL) & O_NOATIME), "the flag is there", "%x", fcntl(fd, F_GETFL));
	close(fd);
	return t_done();
}
