/*
 * bench.c - the workloads of `make bench`, one static binary that runs the
 * same way natively, inside ./linux and inside Debian's UML.
 *
 *   bench getppid N      N getppid round trips          -> BENCH getppid ns_per_op=...
 *   bench forkexec N     N x (fork, execve self `exit`, wait) -> BENCH forkexec us_per_op=...
 *   bench pagefault N    touch N fresh anonymous pages  -> BENCH pagefault ns_per_op=...
 *   bench init           print `BENCH init` at once (boot-to-init marker)
 *   bench exit           exit 0 (the execve target of forkexec)
 *
 * When it runs as pid 1 with BENCH_POWEROFF=1 in its environment (given
 * on the kernel command line), it powers the machine off when done, so a
 * kernel that panics when init exits (UML) still ends cleanly.  Never as
 * anything but pid 1: it must not power off the host.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void finish(int status)
{
	const char *p = getenv("BENCH_POWEROFF");

	fflush(stdout);
	if (getpid() == 1 && p && !strcmp(p, "1")) {
		sync();
		reboot(RB_POWER_OFF);
	}
	exit(status);
}

static void bench_getppid(long n)
{
	double t0 = now_ns();

	for (long i = 0; i < n; i++)
		syscall(SYS_getppid);
	printf("BENCH getppid ns_per_op=%.1f n=%ld\n", (now_ns() - t0) / n, n);
}

static void bench_forkexec(const char *self, long n)
{
	double t0 = now_ns();

	for (long i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid == 0) {
			char *argv[] = { (char *)self, "exit", NULL };
			char *envp[] = { NULL };
			execve(self, argv, envp);
			_exit(127);
		}
		int st;
		if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st)) {
			printf("BENCH forkexec error\n");
			return;
		}
	}
	printf("BENCH forkexec us_per_op=%.1f n=%ld\n", (now_ns() - t0) / n / 1000, n);
}

static void bench_pagefault(long n)
{
	char *p = mmap(NULL, n * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		printf("BENCH pagefault error\n");
		return;
	}
	double t0 = now_ns();
	for (long i = 0; i < n; i++)
		p[i * 4096] = 1;
	printf("BENCH pagefault ns_per_op=%.1f n=%ld\n", (now_ns() - t0) / n, n);
	munmap(p, n * 4096);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	long n = argc > 2 ? atol(argv[2]) : 1000;

	if (n <= 0)
		n = 1;
	if (!strcmp(mode, "exit"))
		return 0;
	if (!strcmp(mode, "init"))
		printf("BENCH init\n");
	else if (!strcmp(mode, "getppid"))
		bench_getppid(n);
	else if (!strcmp(mode, "forkexec"))
		bench_forkexec(argv[0], n);
	else if (!strcmp(mode, "pagefault"))
		bench_pagefault(n);
	else {
		fprintf(stderr, "usage: bench init|getppid N|forkexec N|pagefault N|exit\n");
		finish(2);
	}
	finish(0);
}
