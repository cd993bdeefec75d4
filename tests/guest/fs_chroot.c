/*
 * fs_chroot.c - chroot(2): a user without CAP_SYS_CHROOT gets EPERM, a
 * file ENOTDIR, a missing name ENOENT, a directory without search
 * permission EACCES (for that user); after chroot "/" is the new root
 * and ".." at it stays there, absolute symlinks resolve inside it, and
 * the kernel names a working directory outside it "(unreachable)/..."
 * (glibc's getcwd: ENOENT); the
 * working directory is not changed, so "." still reaches the old tree
 * (chroot(2)'s documented escape), and an fd opened before leads out
 * with fchdir.  A child inherits the root.
 */
#include "t.h"
#include "fs.h"
#include <sys/syscall.h>
#include <sys/wait.h>

#define NOBODY	65534

static int nobody_chroot(const char *p)
{
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		if (setresgid(NOBODY, NOBODY, NOBODY) < 0 || setresuid(NOBODY, NOBODY, NOBODY) < 0)
			_exit(200);
		_exit(chroot(p) < 0 ? errno : 0);
	}
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int main(void)
{
	char cwd[4096], jail[4200], buf[4200];
	struct stat a, b;
	int st, r;

	t_start();
	fs_scratch("fs_chroot");
	if (!getcwd(cwd, sizeof(cwd)))
		return 2;
	chmod(cwd, 0755);
	snprintf(jail, sizeof(jail), "%s/jail", cwd);
	CHECK_OK(mkdir(jail, 0755), "mkdir jail");
	snprintf(buf, sizeof(buf), "%s/jail/inside", cwd);
	CHECK_OK(fs_put(buf, "in"), "a file inside");
	snprintf(buf, sizeof(buf), "%s/jail/abs", cwd);
	CHECK_OK(symlink("/inside", buf), "an absolute symlink inside");
	CHECK_OK(fs_put("outside", "out"), "a file outside");
	CHECK_OK(mkdir("closed", 0700), "a directory only root may search");

	r = nobody_chroot(jail);
	check(r == EPERM, "nobody: EPERM", "%d", r);
	CHECK_ERR(chroot("outside"), ENOTDIR, "a file: ENOTDIR");
	CHECK_ERR(chroot("missing"), ENOENT, "a missing name: ENOENT");
	CHECK_ERR(chroot(""), ENOENT, "an empty name: ENOENT");

	pid_t pid = fork();
	if (pid == 0) {
		int out = open(".", O_RDONLY | O_DIRECTORY);
		char w[4200];

		if (chroot(jail) < 0)
			_exit(10);
		if (stat("/inside", &a) < 0)
			_exit(11);
		if (stat("/..", &b) < 0 || stat("/", &a) < 0 || a.st_ino != b.st_ino)
			_exit(12);
		if (stat("/abs", &a) < 0 || a.st_size != 2)
			_exit(13);
		if (access("./outside", F_OK) < 0)
			_exit(14);	/* the cwd is still outside: chroot did not chdir */
		if (getcwd(w, sizeof(w)) != NULL || errno != ENOENT)
			_exit(15);	/* glibc: ENOENT for a cwd outside the root */
		if (syscall(SYS_getcwd, w, sizeof(w)) < 0 || strncmp(w, "(unreachable)/", 14) != 0)
			_exit(16);	/* which the kernel names "(unreachable)/..." */
		if (chdir("/") < 0 || access("outside", F_OK) == 0)
			_exit(17);
		if (getcwd(w, sizeof(w)) == NULL || strcmp(w, "/") != 0)
			_exit(18);
		if (fchdir(out) < 0 || access("outside", F_OK) < 0)
			_exit(19);	/* an fd from before leads out */
		pid_t g = fork();
		if (g == 0)
			_exit(stat("/inside", &a) == 0 ? 0 : 1);
		int gs;
		waitpid(g, &gs, 0);
		if (!WIFEXITED(gs) || WEXITSTATUS(gs) != 0)
			_exit(20);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "root: inside the jail, \"..\" stays, symlinks inside, cwd and fds lead out, a child inherits",
	      "step %d", WEXITSTATUS(st));
	CHECK_OK(stat("outside", &a), "the parent's root unchanged");
	return t_done();
}
