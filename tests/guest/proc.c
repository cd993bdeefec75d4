/*
 * proc.c - processes: fork/wait4 status, vfork, pipes between parent and
 * child, execve with argv/envp and the auxiliary vector, exit codes,
 * kill and WTERMSIG, pid relations.
 */
#include "t.h"
#include <signal.h>
#include <sys/auxv.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

static int exec_child(int argc, char **argv)
{
	/* Runs after execve: report what arrived, in a fixed text. */
	printf("child argc=%d", argc);
	for (int i = 1; i < argc; i++)
		printf(" [%s]", argv[i]);
	printf(" GUEST_VAR=%s\n", getenv("GUEST_VAR") ? getenv("GUEST_VAR") : "(unset)");
	unsigned long pagesz = getauxval(AT_PAGESZ);
	check(pagesz == 4096, "AT_PAGESZ is 4096", "got %lu", pagesz);
	check(getauxval(AT_RANDOM) != 0, "AT_RANDOM present", "zero");
	check(getauxval(AT_ENTRY) != 0, "AT_ENTRY present", "zero");
	check(getauxval(AT_PHDR) != 0 && getauxval(AT_PHNUM) > 0, "AT_PHDR/AT_PHNUM present", "zero");
	check(getauxval(AT_UID) == getuid() && getauxval(AT_EUID) == geteuid(), "AT_UID matches getuid", "no");
	const char *fn = (const char *)getauxval(AT_EXECFN);
	check(fn && !strcmp(fn, argv[0]), "AT_EXECFN is the path", "got %s", fn ? fn : "(null)");
	return t_failed ? 3 : 0;
}

static void test_fork_wait(void)
{
	int st;
	pid_t me = getpid();
	pid_t pid = fork();

	if (pid == 0)
		_exit(getppid() == me ? 42 : 1);
	CHECK_OK(pid, "fork");
	check(pid != me, "child pid differs", "same");
	pid_t w = wait4(pid, &st, 0, NULL);
	check(w == pid, "wait4 returns child pid", "got other");
	check(WIFEXITED(st) && WEXITSTATUS(st) == 42, "exit status 42 and getppid ok",
	      "status %#x", st);
	CHECK_ERR(wait4(-1, &st, 0, NULL), ECHILD, "wait4 with no children");
	CHECK_ERR(wait4(-1, &st, WNOHANG, NULL), ECHILD, "WNOHANG with no children");
	int codes[] = { 0, 1, 7, 255, 256, 300 };
	for (unsigned i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		pid = fork();
		if (pid == 0)
			exit(codes[i]);
		waitpid(pid, &st, 0);
		char name[64];
		snprintf(name, sizeof(name), "exit(%d) gives %d", codes[i], codes[i] & 255);
		check(WIFEXITED(st) && WEXITSTATUS(st) == (codes[i] & 255), name, "status %#x", st);
	}
}

static void test_vfork(void)
{
	volatile int shared = 0;
	int st;
	pid_t pid = vfork();

	if (pid == 0) {
		shared = 5;
		_exit(3);
	}
	waitpid(pid, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 3, "vfork child _exit(3)", "status %#x", st);
	check(shared == 5, "vfork shares memory", "shared=%d", shared);
}

static void test_pipe(void)
{
	int p2c[2], c2p[2], st;
	char buf[64] = "";

	CHECK_OK(pipe(p2c), "pipe 1");
	CHECK_OK(pipe(c2p), "pipe 2");
	pid_t pid = fork();
	if (pid == 0) {
		char in[64] = "";
		close(p2c[1]);
		close(c2p[0]);
		ssize_t n = read(p2c[0], in, sizeof(in) - 1);
		for (ssize_t i = 0; i < n; i++)
			if (in[i] >= 'a' && in[i] <= 'z')
				in[i] -= 32;
		write(c2p[1], in, n);
		char x;
		_exit(read(p2c[0], &x, 1) == 0 ? 0 : 9);	/* EOF once the parent closes */
	}
	close(p2c[0]);
	close(c2p[1]);
	write(p2c[1], "ping pong", 9);
	ssize_t n = read(c2p[0], buf, sizeof(buf) - 1);
	check(n == 9 && !strcmp(buf, "PING PONG"), "pipe round trip", "got '%s'", buf);
	close(p2c[1]);
	waitpid(pid, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child saw EOF", "status %#x", st);
	check(read(c2p[0], buf, 1) == 0, "parent sees EOF", "no");
	close(c2p[0]);
	CHECK_OK(pipe(p2c), "pipe 3");
	close(p2c[0]);
	signal(SIGPIPE, SIG_IGN);
	CHECK_ERR(write(p2c[1], "x", 1), EPIPE, "write to pipe without reader");
	signal(SIGPIPE, SIG_DFL);
	close(p2c[1]);
}

static void test_exec(const char *self)
{
	int st, fds[2];
	pid_t pid;

	pipe(fds);
	pid = fork();
	if (pid == 0) {
		char *argv[] = { (char *)self, "--exec-child", "one", "two words", "", NULL };
		char *envp[] = { "GUEST_VAR=hello env", "OTHER=1", NULL };
		execve(self, argv, envp);
		_exit(127);
	}
	waitpid(pid, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "exec'd child checks passed", "status %#x", st);
	close(fds[0]);
	close(fds[1]);
}

static void test_kill(void)
{
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		for (;;)
			pause();
	}
	CHECK_OK(kill(pid, SIGTERM), "kill SIGTERM");
	waitpid(pid, &st, 0);
	check(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM, "WTERMSIG is SIGTERM", "status %#x", st);
	pid = fork();
	if (pid == 0) {
		for (;;)
			pause();
	}
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	check(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "WTERMSIG is SIGKILL", "status %#x", st);
	CHECK_ERR(kill(pid, 0), ESRCH, "kill of reaped pid");
	pid = fork();
	if (pid == 0) {
		*(volatile int *)0 = 1;
		_exit(0);
	}
	waitpid(pid, &st, 0);
	check(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, "child killed by SIGSEGV", "status %#x", st);
	pid = fork();
	if (pid == 0)
		_exit(0);
	/* WNOHANG on a live or zombie child. */
	usleep(20000);
	check(waitpid(pid, &st, WNOHANG) == pid, "WNOHANG reaps zombie", "no");
}

static void test_ids(void)
{
	check(getpid() == getpid(), "getpid stable", "no");
	check(gettid() == getpid(), "gettid equals pid", "no");
	check(getpid() > 0, "getpid positive", "no");
	int st;
	pid_t me = getpid(), pid = fork();
	if (pid == 0)
		_exit(getppid() == me && getpid() != me ? 0 : 1);
	waitpid(pid, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child getppid is parent pid", "status %#x", st);
}

/* Runs path with one argument; returns what it printed (first line). */
static int run_capture(const char *path, char *out, size_t len)
{
	int fds[2], st = -1;
	pid_t pid;
	ssize_t n;

	if (pipe(fds) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], 1);
		execl(path, path, "arg1", (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	n = read(fds[0], out, len - 1);
	out[n > 0 ? n : 0] = '\0';
	close(fds[0]);
	waitpid(pid, &st, 0);
	return st;
}

/* "#!" scripts run through their interpreter, with its optional argument. */
static void test_script(void)
{
	char path[512], out[256];
	FILE *f;
	int st;

	t_path(path, sizeof(path), "guest-script.sh");
	f = fopen(path, "w");
	fputs("#!/bin/sh -e\necho \"script $1 $0\" | sed 's|/.*/||'\nexit 3\n", f);
	fclose(f);
	chmod(path, 0755);
	st = run_capture(path, out, sizeof(out));
	check(!strcmp(out, "script arg1 guest-script.sh\n"), "#! script runs with its argument",
	      "printed '%s'", out);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 3, "#! script exit status", "status %#x", st);
	unlink(path);
}

int main(int argc, char **argv)
{
	t_start();
	if (argc > 1 && !strcmp(argv[1], "--exec-child"))
		return exec_child(argc, argv);
	test_fork_wait();
	test_vfork();
	test_pipe();
	test_exec(argv[0]);
	test_kill();
	test_ids();
	test_script();
	return t_done();
}
