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
 *   bench tcpstream MIB  a child sends MIB MiB over a TCP loopback connection
 *                        in 64 KiB writes, the parent reads them -> BENCH tcpstream mib_per_s=...
 *   bench tcppong N      N one-byte round trips over TCP loopback (TCP_NODELAY)
 *   bench tcpsend ADDR PORT MIB  send MIB MiB to a receiver at ADDR:PORT (the
 *                        host, through slirp), timed until its EOF -> BENCH tcpsend mib_per_s=...
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
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
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

/* Sets lo up if it is down: as init, nobody else has (Linux and UML leave
 * it down until userspace brings it up). */
static void lo_up(void)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0)
		return;
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) == 0 && !(ifr.ifr_flags & IFF_UP)) {
		ifr.ifr_flags |= IFF_UP;
		ioctl(fd, SIOCSIFFLAGS, &ifr);
	}
	close(fd);
}

/* A TCP connection over 127.0.0.1: *c the client end, *s the accepted one. */
static int tcp_pair(int *c, int *s)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	int l, one = 1;

	lo_up();
	l = socket(AF_INET, SOCK_STREAM, 0);
	if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(l, 1) < 0 ||
	    getsockname(l, (struct sockaddr *)&a, &len) < 0)
		return -1;
	*c = socket(AF_INET, SOCK_STREAM, 0);
	if (*c < 0 || connect(*c, (struct sockaddr *)&a, sizeof(a)) < 0)
		return -1;
	*s = accept(l, NULL, NULL);
	close(l);
	setsockopt(*c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	setsockopt(*s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return *s < 0 ? -1 : 0;
}

/* Writes mib MiB to fd in 64 KiB writes; 0 or -1. */
static int send_mib(int fd, long mib)
{
	static char buf[65536];

	for (long i = 0; i < mib * 16; i++)
		for (size_t put = 0; put < sizeof(buf);) {
			ssize_t w = write(fd, buf + put, sizeof(buf) - put);

			if (w <= 0)
				return -1;
			put += (size_t)w;
		}
	return 0;
}

static void bench_tcpstream(long mib)
{
	static char buf[65536];
	long long got = 0;
	ssize_t r;
	int c, s;

	if (tcp_pair(&c, &s) < 0) {
		printf("BENCH tcpstream error\n");
		return;
	}
	double t0 = now_ns();
	pid_t pid = fork();

	if (pid == 0) {
		close(s);
		_exit(send_mib(c, mib) < 0);
	}
	close(c);
	while ((r = read(s, buf, sizeof(buf))) > 0)
		got += r;
	double t = now_ns() - t0;
	waitpid(pid, NULL, 0);
	if (got != mib * 1048576LL) {
		printf("BENCH tcpstream error\n");
		return;
	}
	printf("BENCH tcpstream mib_per_s=%.1f n=%ld\n", mib / (t / 1e9), mib);
}

static void bench_tcppong(long n)
{
	int c, s;

	if (tcp_pair(&c, &s) < 0) {
		printf("BENCH tcppong error\n");
		return;
	}
	int a[2] = { c, s }, b[2] = { c, s };
	pingpong("tcppong", a, b, n);
}

static void bench_tcpsend(const char *addr, int port, long mib)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	char buf[256];
	int c = socket(AF_INET, SOCK_STREAM, 0);

	inet_pton(AF_INET, addr, &a.sin_addr);
	double t0 = now_ns();
	if (c < 0 || connect(c, (struct sockaddr *)&a, sizeof(a)) < 0 || send_mib(c, mib) < 0 ||
	    shutdown(c, SHUT_WR) < 0) {
		printf("BENCH tcpsend error\n");
		return;
	}
	while (read(c, buf, sizeof(buf)) > 0)	/* the receiver closes once it has it all */
		;
	printf("BENCH tcpsend mib_per_s=%.1f n=%ld\n", mib / ((now_ns() - t0) / 1e9), mib);
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
	else if (!strcmp(mode, "epoll"))
		bench_epoll(n, argc > 3 ? atol(argv[3]) : 0);
	else if (!strcmp(mode, "tcpstream"))
		bench_tcpstream(n);
	else if (!strcmp(mode, "tcppong"))
		bench_tcppong(n);
	else if (!strcmp(mode, "tcpsend") && argc > 4)
		bench_tcpsend(argv[2], atoi(argv[3]), atol(argv[4]) > 0 ? atol(argv[4]) : 1);
	else {
		fprintf(stderr, "usage: bench init|getppid N|forkexec N|pagefault N|pipepong N|unixpong N|epoll N IDLE|tcpstream MIB|tcppong N|tcpsend ADDR PORT MIB|exit\n");
		finish(2);
	}
	finish(0);
}
