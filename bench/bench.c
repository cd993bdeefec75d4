/*
 * bench.c - the workloads of `make bench`, one static binary that runs the
 * same way natively, inside ./linux and inside Debian's UML.
 *
 *   bench getppid N      N getppid round trips          -> BENCH getppid ns_per_op=...
 *   bench forkexec N     N x (fork, execve self `exit`, wait) -> BENCH forkexec us_per_op=...
 *   bench pagefault N    touch N fresh anonymous pages  -> BENCH pagefault ns_per_op=...
 *   bench pipepong N     N one-byte round trips parent<->child over two pipes
 *   bench unixpong N     the same over an AF_UNIX stream socketpair
 *   bench epoll N IDLE   N x (write 10 eventfds, epoll_wait gets 10, read them)
 *                        with IDLE more eventfds watched but never ready
 *   bench write N        N MiB written sequentially + fsync  -> BENCH write us_per_op= (per MiB)
 *   bench readc N        a file of N MiB read again while cached -> BENCH readc us_per_op= (per MiB)
 *   bench files N        N files created, then stat'ed, then unlinked -> BENCH files us_per_op= (per file)
 *                        (the files live in $TMPDIR or /tmp)
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
#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <stdint.h>
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

/* Round trips of one byte between this process and a child over fds a and b. */
static void pingpong(const char *name, int a[2], int b[2], long n)
{
	char c = 'p';
	pid_t pid = fork();

	if (pid == 0) {
		for (long i = 0; i < n; i++)
			if (read(a[1], &c, 1) != 1 || write(b[1], &c, 1) != 1)
				_exit(1);
		_exit(0);
	}
	double t0 = now_ns();
	for (long i = 0; i < n; i++)
		if (write(a[0], &c, 1) != 1 || read(b[0], &c, 1) != 1) {
			printf("BENCH %s error\n", name);
			return;
		}
	double t = now_ns() - t0;
	waitpid(pid, NULL, 0);
	printf("BENCH %s ns_per_op=%.1f n=%ld\n", name, t / n, n);
}

static void bench_pipepong(long n)
{
	int p[2], q[2];

	pipe(p);	/* parent writes p[1], child reads p[0] */
	pipe(q);	/* child writes q[1], parent reads q[0] */
	int a[2] = { p[1], p[0] }, b[2] = { q[0], q[1] };
	pingpong("pipepong", a, b, n);
}

static void bench_unixpong(long n)
{
	int sv[2];

	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	int a[2] = { sv[0], sv[1] }, b[2] = { sv[0], sv[1] };
	pingpong("unixpong", a, b, n);
}

static void bench_epoll(long n, long idle)
{
	enum { ACTIVE = 10 };
	int ep = epoll_create1(0), act[ACTIVE];
	struct epoll_event ev = { .events = EPOLLIN }, out[ACTIVE];
	uint64_t one = 1, v;
	char name[32];

	snprintf(name, sizeof(name), "epoll%ld", idle);
	for (long i = 0; i < idle; i++) {
		int e = eventfd(0, 0);

		ev.data.u64 = 1000000 + i;
		if (e < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, e, &ev) < 0) {
			printf("BENCH %s error\n", name);
			return;
		}
	}
	for (int i = 0; i < ACTIVE; i++) {
		act[i] = eventfd(0, 0);
		ev.data.u64 = (uint64_t)act[i];
		epoll_ctl(ep, EPOLL_CTL_ADD, act[i], &ev);
	}
	double t0 = now_ns();
	for (long i = 0; i < n; i++) {
		for (int j = 0; j < ACTIVE; j++)
			write(act[j], &one, 8);
		int got = epoll_wait(ep, out, ACTIVE, -1);
		for (int j = 0; j < got; j++)
			read((int)out[j].data.u64, &v, 8);
		if (got != ACTIVE) {
			printf("BENCH %s error\n", name);
			return;
		}
	}
	printf("BENCH %s ns_per_op=%.1f n=%ld\n", name, (now_ns() - t0) / n, n);
}

static void scratch(char *buf, size_t n, const char *name)
{
	const char *d = getenv("TMPDIR");

	snprintf(buf, n, "%s/%s", d && *d ? d : "/tmp", name);
}

static int write_mib(const char *path, long mib, int do_fsync)
{
	static char buf[1 << 20];
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	long i;

	memset(buf, 'b', sizeof(buf));
	if (fd < 0)
		return -1;
	for (i = 0; i < mib; i++)
		if (write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf))
			return -1;
	if (do_fsync && fsync(fd) != 0)
		return -1;
	return close(fd);
}

static void bench_write(long mib)
{
	char path[256];
	double t0;

	scratch(path, sizeof(path), "bench.write");
	t0 = now_ns();
	if (write_mib(path, mib, 1) != 0) {
		printf("BENCH write error\n");
		return;
	}
	printf("BENCH write us_per_op=%.1f n=%ld\n", (now_ns() - t0) / mib / 1000, mib);
	unlink(path);
}

static void bench_readc(long mib)
{
	static char buf[1 << 20];
	char path[256];
	double t0 = 0;
	int pass, fd;
	long i;

	scratch(path, sizeof(path), "bench.read");
	if (write_mib(path, mib, 0) != 0) {
		printf("BENCH readc error\n");
		return;
	}
	for (pass = 0; pass < 2; pass++) {	/* the first warms the cache */
		fd = open(path, O_RDONLY);
		t0 = now_ns();
		for (i = 0; fd >= 0 && i < mib; i++)
			if (read(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf))
				break;
		close(fd);
		if (i != mib) {
			printf("BENCH readc error\n");
			return;
		}
	}
	printf("BENCH readc us_per_op=%.1f n=%ld\n", (now_ns() - t0) / mib / 1000, mib);
	unlink(path);
}

static void bench_files(long n)
{
	char dir[256], p[300];
	struct stat st;
	double t0;
	long i;

	scratch(dir, sizeof(dir), "bench.files");
	mkdir(dir, 0755);
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		int fd;

		snprintf(p, sizeof(p), "%s/f%ld", dir, i);
		fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0644);
		if (fd < 0 || close(fd) != 0)
			goto fail;
	}
	for (i = 0; i < n; i++) {
		snprintf(p, sizeof(p), "%s/f%ld", dir, i);
		if (stat(p, &st) != 0)
			goto fail;
	}
	for (i = 0; i < n; i++) {
		snprintf(p, sizeof(p), "%s/f%ld", dir, i);
		if (unlink(p) != 0)
			goto fail;
	}
	printf("BENCH files us_per_op=%.1f n=%ld\n", (now_ns() - t0) / n / 1000, n);
	rmdir(dir);
	return;
fail:
	printf("BENCH files error\n");
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
	else if (!strcmp(mode, "pipepong"))
		bench_pipepong(n);
	else if (!strcmp(mode, "unixpong"))
		bench_unixpong(n);
	else if (!strcmp(mode, "write"))
		bench_write(n);
	else if (!strcmp(mode, "readc"))
		bench_readc(n);
	else if (!strcmp(mode, "files"))
		bench_files(n);
	else if (!strcmp(mode, "epoll"))
		bench_epoll(n, argc > 3 ? atol(argv[3]) : 0);
	else {
		fprintf(stderr, "usage: bench init|getppid N|forkexec N|pagefault N|pipepong N|unixpong N|epoll N IDLE|write N|readc N|files N|exit\n");
		finish(2);
	}
	finish(0);
}
