/*
 * limits.c - resource limits and every table a guest number indexes:
 * RLIMIT_NOFILE (EMFILE at the soft limit, dup2/F_DUPFD past it, raising
 * the hard limit), RLIMIT_NPROC (EAGAIN for a non-root user), WCOREDUMP
 * under RLIMIT_CORE 0, fd numbers, signal numbers, syscall numbers,
 * rlimit resources and clock ids out of range or with high bits set,
 * path lengths (ENAMETOOLONG) and execve's argument limits (E2BIG).
 */
#include "t.h"
#include <fcntl.h>
#include <signal.h>
#include <time.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define SYS(...)	syscall(__VA_ARGS__)

/* Runs fn in a child as uid/gid 65534 (natively as a user, setresuid fails: no matter). */
static int as_nobody(int (*fn)(void))
{
	int st = -1;
	pid_t pid = fork();

	if (pid == 0) {
		if (setresgid(65534, 65534, 65534) == 0)
			setresuid(65534, 65534, 65534);
		_exit(fn());
	}
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 100 + (st & 0x7f);
}

static int nofile_child(void)
{
	struct rlimit rl = { 10, 20 };
	int n = 0, fd;

	if (setrlimit(RLIMIT_NOFILE, &rl))
		return 1;
	for (fd = 3; fd < 64; fd++)
		close(fd);
	while ((fd = dup(0)) >= 0)
		n++;
	if (errno != EMFILE || n != 7)		/* fds 3..9 */
		return 2;
	if (dup2(0, 10) != -1 || errno != EBADF)
		return 3;
	if (dup2(0, 9) != 9)
		return 4;
	if (fcntl(0, F_DUPFD, 10) != -1 || errno != EINVAL)
		return 5;
	if (fcntl(0, F_DUPFD, 5) != -1 || errno != EMFILE)
		return 6;
	if (open("/", O_RDONLY) != -1 || errno != EMFILE)
		return 7;
	close(5);
	if (fcntl(0, F_DUPFD, 5) != 5)
		return 8;
	rl = (struct rlimit){ 30, 30 };
	if (setrlimit(RLIMIT_NOFILE, &rl) != -1 || errno != EPERM)
		return 9;		/* above the hard limit, no CAP_SYS_RESOURCE */
	rl = (struct rlimit){ 30, 20 };
	if (setrlimit(RLIMIT_NOFILE, &rl) != -1 || errno != EINVAL)
		return 10;
	rl = (struct rlimit){ 20, 20 };
	if (setrlimit(RLIMIT_NOFILE, &rl) || dup2(0, 19) != 19)
		return 11;
	return 0;
}

static int nproc_child(void)
{
	struct rlimit rl = { 0, 0 };
	pid_t pid;

	if (setrlimit(RLIMIT_NPROC, &rl))
		return 1;
	pid = fork();
	if (pid == 0)
		_exit(0);
	if (pid > 0) {
		waitpid(pid, NULL, 0);
		return 2;
	}
	return errno == EAGAIN ? 0 : 3;
}

static void test_rlimits(void)
{
	struct rlimit rl;

	check(as_nobody(nofile_child) == 0, "rlimit-nofile", "step %d failed", as_nobody(nofile_child));
	check(as_nobody(nproc_child) == 0, "rlimit-nproc", "step %d failed", as_nobody(nproc_child));
	CHECK_ERR(getrlimit(RLIM_NLIMITS, &rl), EINVAL, "getrlimit-16");
	CHECK_ERR(SYS(SYS_getrlimit, -1, &rl), EINVAL, "getrlimit-minus-1");
	CHECK_ERR(SYS(SYS_prlimit64, 0, 99, NULL, NULL), EINVAL, "prlimit-99");
	CHECK_ERR(SYS(SYS_getrlimit, RLIMIT_CORE, (void *)8), EFAULT, "getrlimit-bad-pointer");
	check(SYS(SYS_getrlimit, 0x100000000L | RLIMIT_CORE, &rl) == 0, "getrlimit-resource-is-int",
	      "%s", strerror(errno));
}

static void test_coredump(void)
{
	struct rlimit rl = { 0, RLIM_INFINITY };
	int st = 0;
	pid_t pid;

	getrlimit(RLIMIT_CORE, &rl);
	rl.rlim_cur = 0;
	setrlimit(RLIMIT_CORE, &rl);
	pid = fork();
	if (pid == 0) {
		*(volatile int *)8 = 1;
		_exit(0);
	}
	waitpid(pid, &st, 0);
	check(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV && !WCOREDUMP(st), "segv-no-core-under-ulimit-c-0",
	      "status %#x", st);
	pid = fork();
	if (pid == 0)
		abort();
	waitpid(pid, &st, 0);
	check(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT && !WCOREDUMP(st), "abrt-no-core-under-ulimit-c-0",
	      "status %#x", st);
}

static void test_indices(void)
{
	struct timespec ts;
	struct sigaction sa = { 0 };

	CHECK_ERR(dup2(0, -1), EBADF, "dup2-minus-1");
	CHECK_ERR(dup2(0, 1 << 30), EBADF, "dup2-2^30");
	CHECK_ERR(fcntl(0, F_DUPFD, -1), EINVAL, "f_dupfd-minus-1");
	CHECK_ERR(fcntl(0, F_DUPFD, 1 << 30), EINVAL, "f_dupfd-2^30");
	CHECK_ERR(close(-1), EBADF, "close-minus-1");
	CHECK_ERR(close(1 << 30), EBADF, "close-2^30");
	CHECK_ERR(SYS(SYS_close, 0x100000063L), EBADF, "close-high-bits");
	CHECK_ERR(SYS(SYS_read, 1 << 30, &ts, 1), EBADF, "read-fd-2^30");
	CHECK_ERR(kill(getpid(), 65), EINVAL, "kill-65");
	CHECK_ERR(kill(getpid(), -1), EINVAL, "kill-minus-1");
	CHECK_ERR(SYS(SYS_rt_sigaction, 0, NULL, NULL, 8), EINVAL, "sigaction-0");
	CHECK_ERR(SYS(SYS_rt_sigaction, 65, NULL, NULL, 8), EINVAL, "sigaction-65");
	CHECK_ERR(SYS(SYS_rt_sigaction, -1, NULL, NULL, 8), EINVAL, "sigaction-minus-1");
	check(SYS(SYS_rt_sigaction, 64, NULL, &sa, 8) == 0, "sigaction-64", "%s", strerror(errno));
	CHECK_ERR(SYS(SYS_rt_sigaction, SIGUSR1, NULL, NULL, 7), EINVAL, "sigaction-setsize-7");
	CHECK_ERR(SYS(SYS_rt_sigprocmask, 0, NULL, NULL, 16), EINVAL, "sigprocmask-setsize-16");
	CHECK_ERR(SYS(SYS_tgkill, getpid(), getpid(), 65), EINVAL, "tgkill-65");
	CHECK_ERR(SYS(-1L), ENOSYS, "syscall-minus-1");
	CHECK_ERR(SYS(1000), ENOSYS, "syscall-1000");
	CHECK_ERR(SYS(0xffffffffL), ENOSYS, "syscall-2^32-1");
	check(SYS(0x100000000L | SYS_getpid) == getpid(), "syscall-number-is-int", "%s", strerror(errno));
	CHECK_ERR(SYS(SYS_clock_gettime, 16, &ts), EINVAL, "clock-16");
	CHECK_ERR(SYS(SYS_clock_gettime, 100, &ts), EINVAL, "clock-100");
	CHECK_ERR(SYS(SYS_clock_gettime, 0x7fffffff, &ts), EINVAL, "clock-int-max");
	CHECK_ERR(SYS(SYS_clock_getres, 12, &ts), EINVAL, "clock_getres-12");
	CHECK_ERR(SYS(SYS_clock_nanosleep, 99, 0, &ts, NULL), EINVAL, "clock_nanosleep-99");
	check(SYS(SYS_clock_gettime, 0x100000000L | CLOCK_REALTIME, &ts) == 0, "clock-id-is-int",
	      "%s", strerror(errno));
}

static void test_paths(const char *self)
{
	static char big[200000];
	char *argv[4] = { (char *)self, "exit0", big, NULL };
	char *envp[20];
	int st, i;
	pid_t pid;

	memset(big, 'a', sizeof(big) - 1);
	big[4096] = 0;
	CHECK_ERR(open(big, O_RDONLY), ENAMETOOLONG, "path-4096");
	big[4096] = 'a';
	big[256] = 0;
	CHECK_ERR(open(big, O_RDONLY), ENAMETOOLONG, "component-256");
	big[256] = 'a';
	big[255] = 0;
	CHECK_ERR(open(big, O_RDONLY), ENOENT, "component-255");
	big[255] = 'a';
	big[131072] = 0;
	CHECK_ERR(execve(self, argv, NULL), E2BIG, "execve-arg-131072");
	big[131071] = 0;
	pid = fork();
	if (pid == 0) {
		execve(self, argv, NULL);
		_exit(99);
	}
	waitpid(pid, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "execve-arg-131071", "status %#x", st);
	for (i = 0; i < 17; i++)
		envp[i] = big;
	envp[17] = NULL;
	CHECK_ERR(execve(self, argv, envp), E2BIG, "execve-over-2M");
	pid = fork();
	if (pid == 0) {
		struct rlimit rl = { 1 << 20, 1 << 20 };

		setrlimit(RLIMIT_STACK, &rl);
		envp[2] = NULL;
		execve(self, argv, envp);
		_exit(errno == E2BIG ? 3 : 4);
	}
	waitpid(pid, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 3, "execve-quarter-of-stack-limit", "status %#x", st);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "exit0"))
		return 0;
	t_start();
	test_rlimits();
	test_coredump();
	test_indices();
	test_paths(argv[0]);
	return t_done();
}
