/*
 * fs_execveat.c - execveat(2) and fexecve: a name relative to a directory
 * fd runs as /dev/fd/N/name (AT_EXECFN), an fd itself with AT_EMPTY_PATH
 * (an O_PATH fd too) as /dev/fd/N with the file's own name as comm;
 * errors: "" without AT_EMPTY_PATH ENOENT, AT_SYMLINK_NOFOLLOW on a
 * symlink ELOOP, unknown flags EINVAL, a relative name against a file fd
 * ENOTDIR, a bad fd EBADF, a directory EACCES, a file without execute
 * permission EACCES, a script through a close-on-exec fd ENOENT (its
 * interpreter could not open it).  Execute permission alone (0711)
 * lets another user run a program.
 */
#include "t.h"
#include "fs.h"
#include <sys/auxv.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define NOBODY	65534

static char self[4096];

/* The child side: argv = self, "child", EXECFN, COMM. */
static int child(char **argv)
{
	const char *fn = (const char *)getauxval(AT_EXECFN);
	char comm[17] = "";

	prctl(PR_GET_NAME, comm, 0, 0, 0);
	if (!fn || strcmp(fn, argv[2]) != 0) {
		printf("child: AT_EXECFN %s, want %s\n", fn ? fn : "(none)", argv[2]);
		return 1;
	}
	if (strcmp(comm, argv[3]) != 0) {
		printf("child: comm %s, want %s\n", comm, argv[3]);
		return 1;
	}
	return 42;
}

/* execveat in a child: 42 when the program ran and saw execfn and comm,
 * 100 + errno when execveat failed. */
static int run(int dfd, const char *path, int flags, const char *execfn, const char *comm,
	       uid_t uid)
{
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		char *argv[] = { self, "child", (char *)execfn, (char *)comm, NULL };

		if (uid && (setresgid(uid, uid, uid) < 0 || setresuid(uid, uid, uid) < 0))
			_exit(99);
		syscall(SYS_execveat, dfd, path, argv, environ, flags);
		_exit(100 + errno);
	}
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 200 + WTERMSIG(st);
}

/* Copies the open file in (from its start) to a new file to. */
static int copy(int in, const char *to, mode_t mode)
{
	char buf[65536];
	ssize_t n;
	int out;

	if (in < 0 || lseek(in, 0, SEEK_SET) < 0)
		return -1;
	out = open(to, O_CREAT | O_WRONLY | O_TRUNC, mode);
	if (out < 0)
		return -1;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			return -1;
	close(out);
	return n == 0 ? chmod(to, mode) : -1;
}

int main(int argc, char **argv)
{
	char cwd[4096], path[4096 + 64], fn[64];
	int dfd, fd, pfd, r, me;

	if (argc == 4 && strcmp(argv[1], "child") == 0)
		return child(argv);
	t_start();
	me = open(argv[0], O_RDONLY | O_CLOEXEC);
	fs_scratch("fs_execveat");
	if (!getcwd(cwd, sizeof(cwd)))
		return 2;
	snprintf(self, sizeof(self), "%s/prog", cwd);
	CHECK_OK(copy(me, "prog", 0755), "copy of the program");
	CHECK_OK(copy(me, "noexec", 0644), "a copy without execute permission");
	CHECK_OK(copy(me, "xonly", 0711), "a copy with execute permission only");
	CHECK_OK(fs_put("script", "#!/bin/sh\nexit 0\n"), "a script");
	CHECK_OK(chmod("script", 0755), "chmod");
	CHECK_OK(symlink("prog", "link"), "a symlink");
	chmod(cwd, 0755);

	r = run(AT_FDCWD, self, 0, self, "prog", 0);
	check(r == 42, "AT_FDCWD and a full path", "%d", r);
	r = run(AT_FDCWD, "prog", 0, "prog", "prog", 0);
	check(r == 42, "AT_FDCWD and a relative path", "%d", r);
	dfd = open(".", O_RDONLY | O_DIRECTORY);
	snprintf(fn, sizeof(fn), "/dev/fd/%d/prog", dfd);
	r = run(dfd, "prog", 0, fn, "prog", 0);
	check(r == 42, "relative to a directory fd: AT_EXECFN /dev/fd/N/prog", "%d", r);
	r = run(dfd, self, 0, self, "prog", 0);
	check(r == 42, "a full path ignores the fd", "%d", r);
	snprintf(fn, sizeof(fn), "/dev/fd/%d/link", dfd);
	r = run(dfd, "link", 0, fn, "link", 0);
	check(r == 42, "a symlink is followed", "%d", r);
	r = run(dfd, "link", AT_SYMLINK_NOFOLLOW, fn, "link", 0);
	check(r == 100 + ELOOP, "AT_SYMLINK_NOFOLLOW on a symlink: ELOOP", "%d", r);
	fd = open("prog", O_RDONLY);
	snprintf(fn, sizeof(fn), "/dev/fd/%d", fd);
	r = run(fd, "", AT_EMPTY_PATH, fn, "prog", 0);
	check(r == 42, "AT_EMPTY_PATH: /dev/fd/N, comm from the file", "%d", r);
	r = run(fd, "", 0, fn, "prog", 0);
	check(r == 100 + ENOENT, "\"\" without AT_EMPTY_PATH: ENOENT", "%d", r);
	r = run(fd, "prog", 0, fn, "prog", 0);
	check(r == 100 + ENOTDIR, "a name relative to a file fd: ENOTDIR", "%d", r);
	r = run(fd, "", 0x8000, fn, "prog", 0);
	check(r == 100 + ENOENT, "unknown flags and \"\": ENOENT first", "%d", r);
	r = run(dfd, "prog", 0x8000, fn, "prog", 0);
	check(r == 100 + EINVAL, "unknown flags: EINVAL", "%d", r);
	close(fd);
	pfd = open("prog", O_PATH);
	snprintf(fn, sizeof(fn), "/dev/fd/%d", pfd);
	r = run(pfd, "", AT_EMPTY_PATH, fn, "prog", 0);
	check(r == 42, "AT_EMPTY_PATH on an O_PATH fd", "%d", r);
	close(pfd);
	r = run(dfd, "", AT_EMPTY_PATH, "-", "-", 0);
	check(r == 100 + EACCES, "AT_EMPTY_PATH on a directory: EACCES", "%d", r);
	r = run(1000, "", AT_EMPTY_PATH, "-", "-", 0);
	check(r == 100 + EBADF, "a bad fd: EBADF", "%d", r);
	r = run(dfd, "noexec", 0, "-", "-", 0);
	check(r == 100 + EACCES, "no execute permission: EACCES", "%d", r);
	r = run(dfd, "missing", 0, "-", "-", 0);
	check(r == 100 + ENOENT, "a missing name: ENOENT", "%d", r);
	fd = open("script", O_RDONLY | O_CLOEXEC);
	r = run(fd, "", AT_EMPTY_PATH, "-", "-", 0);
	check(r == 100 + ENOENT, "a script through a close-on-exec fd: ENOENT", "%d", r);
	close(fd);
	snprintf(path, sizeof(path), "%s/xonly", cwd);
	r = run(AT_FDCWD, path, 0, path, "xonly", NOBODY);
	check(r == 42, "nobody runs a 0711 program", "%d", r);
	close(dfd);
	return t_done();
}
