/*
 * errors.c - error paths: bad pointers give EFAULT and the kernel lives
 * on, missing names, wrong types, bad fds, and execve of files that are
 * not programs (a truncated ELF, garbage) gives ENOEXEC.
 */
#include "t.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static char dir[256];

static void write_file(const char *path, const void *buf, size_t len, mode_t mode)
{
	int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, mode);

	if (fd < 0 || write(fd, buf, len) != (ssize_t)len)
		printf("# could not write %s\n", path);
	close(fd);
	chmod(path, mode);
}

static void test_efault(void)
{
	char f[512];
	int fds[2];

	snprintf(f, sizeof(f), "%s/data", dir);
	write_file(f, "some bytes here\n", 16, 0644);
	int fd = open(f, O_RDWR);
	/* Raw syscalls: glibc's fortified wrappers must not get in the way. */
	CHECK_ERR(syscall(SYS_read, fd, (void *)1, 10), EFAULT, "read into (void*)1");
	CHECK_ERR(syscall(SYS_read, fd, (void *)-4096L, 10), EFAULT, "read into kernel half");
	CHECK_ERR(syscall(SYS_write, fd, (void *)1, 10), EFAULT, "write from (void*)1");
	CHECK_ERR(syscall(SYS_open, (void *)1, O_RDONLY), EFAULT, "open of bad path pointer");
	CHECK_ERR(syscall(SYS_fstat, fd, (void *)8), EFAULT, "fstat into bad pointer");
	CHECK_ERR(syscall(SYS_pipe, (void *)16), EFAULT, "pipe into bad pointer");
	CHECK_ERR(syscall(SYS_clock_gettime, 1, (void *)16), EFAULT, "clock_gettime bad pointer");
	CHECK_ERR(syscall(SYS_uname, (void *)16), EFAULT, "uname bad pointer");
	/* The kernel is still there: a normal read works after all that. */
	char buf[32] = "";
	check(pread(fd, buf, 4, 0) == 4 && !memcmp(buf, "some", 4), "still alive after EFAULTs", "read failed");
	CHECK_OK(pipe(fds), "pipe");
	CHECK_ERR(syscall(SYS_write, fds[1], (void *)1, 10), EFAULT, "pipe write from bad pointer");
	close(fds[0]);
	close(fds[1]);
	close(fd);
	unlink(f);
}

static void test_names(void)
{
	char f[512], g[512];

	snprintf(f, sizeof(f), "%s/missing", dir);
	CHECK_ERR(open(f, O_RDONLY), ENOENT, "open missing");
	CHECK_ERR(unlink(f), ENOENT, "unlink missing");
	snprintf(f, sizeof(f), "%s/file", dir);
	write_file(f, "x", 1, 0644);
	snprintf(g, sizeof(g), "%s/file/below", dir);
	CHECK_ERR(open(g, O_RDONLY), ENOTDIR, "path through a file");
	CHECK_ERR(mkdir(g, 0755), ENOTDIR, "mkdir below a file");
	CHECK_ERR(rmdir(f), ENOTDIR, "rmdir of a file");
	CHECK_ERR(open(dir, O_WRONLY), EISDIR, "open dir for writing");
	CHECK_ERR(unlink(dir), EISDIR, "unlink of a dir");
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	char buf[8];
	CHECK_ERR(read(fd, buf, sizeof(buf)), EISDIR, "read of a dir");
	close(fd);
	CHECK_ERR(open(f, O_RDONLY | O_DIRECTORY), ENOTDIR, "O_DIRECTORY on a file");
	CHECK_ERR(read(999, buf, 1), EBADF, "read bad fd");
	CHECK_ERR(close(-1), EBADF, "close -1");
	CHECK_ERR(lseek(999, 0, SEEK_SET), EBADF, "lseek bad fd");
	CHECK_ERR(dup2(999, 5), EBADF, "dup2 bad fd");
	CHECK_ERR(open("", O_RDONLY), ENOENT, "open empty path");
	CHECK_ERR(syscall(SYS_lseek, 0 + open(f, O_RDONLY), 0, 99), EINVAL, "lseek bad whence");
	unlink(f);
}

static int exec_errno(const char *path)
{
	char *argv[] = { (char *)path, NULL };
	char *envp[] = { NULL };
	int fds[2], err = 0;

	/* In a child, so a wrongly successful exec cannot take us over. */
	if (pipe(fds) < 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		close(fds[0]);
		execve(path, argv, envp);
		err = errno;
		write(fds[1], &err, sizeof(err));
		_exit(0);
	}
	close(fds[1]);
	if (read(fds[0], &err, sizeof(err)) != sizeof(err))
		err = -1;	/* exec succeeded */
	close(fds[0]);
	waitpid(pid, NULL, 0);
	return err;
}

static void test_exec(const char *self)
{
	char f[512], img[4096];
	int fd = open(self, O_RDONLY);
	ssize_t n = read(fd, img, sizeof(img));

	close(fd);
	check(n == sizeof(img) && !memcmp(img, "\177ELF", 4), "read own ELF", "n=%zd", n);
	snprintf(f, sizeof(f), "%s/trunc16", dir);
	write_file(f, img, 16, 0755);
	int e = exec_errno(f);
	check(e == ENOEXEC, "execve ELF cut to 16 bytes", "errno %d (%s)", e, strerror(e));
	snprintf(f, sizeof(f), "%s/trunc64", dir);
	write_file(f, img, 64, 0755);
	e = exec_errno(f);
	check(e == ENOEXEC || e == EIO, "execve ELF header without phdrs", "errno %d (%s)", e, strerror(e));
	printf("# ELF header only: %s\n", e == ENOEXEC ? "ENOEXEC" : "EIO");
	for (int i = 0; i < 512; i++)
		img[i] = (char)(i * 37 + 11);
	snprintf(f, sizeof(f), "%s/garbage", dir);
	write_file(f, img, 512, 0755);
	e = exec_errno(f);
	check(e == ENOEXEC, "execve garbage", "errno %d (%s)", e, strerror(e));
	snprintf(f, sizeof(f), "%s/empty", dir);
	write_file(f, "", 0, 0755);
	e = exec_errno(f);
	check(e == ENOEXEC, "execve empty file", "errno %d (%s)", e, strerror(e));
	snprintf(f, sizeof(f), "%s/noexec", dir);
	write_file(f, "#!/bin/sh\n", 10, 0644);
	e = exec_errno(f);
	check(e == EACCES, "execve without x bit", "errno %d (%s)", e, strerror(e));
	snprintf(f, sizeof(f), "%s/badinterp", dir);
	write_file(f, "#!/nonexistent/interp\n", 22, 0755);
	e = exec_errno(f);
	check(e == ENOENT, "execve script with missing interpreter", "errno %d (%s)", e, strerror(e));
	e = exec_errno(dir);
	check(e == EACCES, "execve of a dir", "errno %d (%s)", e, strerror(e));
	const char *names[] = { "trunc16", "trunc64", "garbage", "empty", "noexec", "badinterp" };
	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(f, sizeof(f), "%s/%s", dir, names[i]);
		unlink(f);
	}
}

int main(int argc, char **argv)
{
	t_start();
	snprintf(dir, sizeof(dir), "%s/guest-errors.%d", t_tmpdir(), (int)getpid());
	if (mkdir(dir, 0755) < 0) {
		perror("mkdir scratch");
		return 1;
	}
	test_efault();
	test_names();
	test_exec(argv[0]);
	CHECK_OK(rmdir(dir), "rmdir scratch");
	return t_done();
}
