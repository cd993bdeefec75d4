/*
 * bench.c - the workloads of `make bench`, one static binary that runs the
 * same way natively, inside ./linux and inside Debian's UML.
 *
 *   bench getppid N      N getppid round trips          -> BENCH getppid ns_per_op=...
 *   bench forkexec N     N x (fork, execve self `exit`, wait) -> BENCH forkexec us_per_op=...
 *   bench pagefault N    touch N fresh anonymous pages  -> BENCH pagefault ns_per_op=...
 *   bench pipepong N     N one-byte round trips parent<->child over two pipes
 *   bench unixpong N     the same over an AF_UNIX stream socketpair
 *   bench pipebw MIB     MIB MiB written in 64 KiB writes into a pipe a child
 *                        reads in 64 KiB reads: time per MiB
 *   bench epoll N IDLE   N x (write 10 eventfds, epoll_wait gets 10, read them)
 *                        with IDLE more eventfds watched but never ready
 *   bench clock N        N clock_gettime(CLOCK_MONOTONIC) calls (the vDSO
 *                        where the kernel maps one, else a syscall)
 *   bench forkexit N     N x (fork, child _exit, wait)
 *   bench fsync MIB      write MIB MiB in 64 KiB writes, then fsync: per MiB
 *   bench read MIB       write MIB MiB, then read them back in 64 KiB reads
 *                        (from the page cache): per MiB
 *   bench smallfile N    N x (create, write 1 KiB, close), then stat each and
 *                        unlink each: per file
 *   bench shell N BB     BB sh -c 'a loop of N commands `BB true`' (BB: the
 *                        busybox binary), fork + execve + wait of it: per command
 *   bench futexpong N    N futex wake+wait round trips between two threads
 *   bench pthread N      N x (pthread_create, pthread_join)
 *   bench vdso N         N clock_gettime(CLOCK_MONOTONIC) through libc (the vDSO)
 *   bench handoff N      16 threads in a ring pass one token N times
 *                        (sem_post to the next, sem_wait for its own)
 *   bench sleep N MS     N nanosleeps of MS ms: the mean time past the deadline
 *   bench floor-futex N  the hardware floors (natively only): N futex
 *   bench floor-signal N ping-pongs between two processes on one CPU; N
 *   bench floor-spin N   ud2 -> SIGILL handler -> sigreturn; N round trips
 *                        of two processes spinning on one word, on two CPUs
 *   bench init           print `BENCH init` at once (boot-to-init marker)
 *   bench exit           exit 0 (the execve target of forkexec)
 *
 * When it runs as pid 1 with BENCH_POWEROFF=1 in its environment (given
 * on the kernel command line), it powers the machine off when done, so a
 * kernel that panics when init exits (UML) still ends cleanly.  Never as
 * anything but pid 1: it must not power off the host.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <linux/futex.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/ioctl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <sys/ucontext.h>
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

/* Throughput: mib MiB from this process to a child through one pipe. */
static void bench_pipebw(long mib)
{
	enum { CHUNK = 64 * 1024 };
	static char buf[CHUNK];
	long total = mib * 1024 * 1024, left;
	int p[2], st;
	ssize_t r;

	if (pipe(p) < 0) {
		printf("BENCH pipebw error\n");
		return;
	}
	memset(buf, 'b', sizeof(buf));
	double t0 = now_ns();
	pid_t pid = fork();
	if (pid == 0) {
		close(p[1]);
		for (left = total; left > 0; left -= r)
			if ((r = read(p[0], buf, CHUNK)) <= 0)
				_exit(1);
		_exit(0);
	}
	close(p[0]);
	for (left = total; left > 0; left -= r)
		if ((r = write(p[1], buf, left < CHUNK ? left : CHUNK)) <= 0)
			break;
	close(p[1]);
	if (pid < 0 || left > 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st)) {
		printf("BENCH pipebw error\n");
		return;
	}
	printf("BENCH pipebw us_per_op=%.1f n=%ld\n", (now_ns() - t0) / mib / 1000, mib);
}

/* lo up when it is not (as init inside a kernel; natively it is). */
static void lo_up(void)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	if (fd >= 0 && ioctl(fd, SIOCGIFFLAGS, &ifr) == 0 && !(ifr.ifr_flags & IFF_UP)) {
		ifr.ifr_flags |= IFF_UP;
		ioctl(fd, SIOCSIFFLAGS, &ifr);
	}
	if (fd >= 0)
		close(fd);
}

/* A connected TCP pair over 127.0.0.1: *c the client end, *s the accepted one. */
static int tcp_pair(int *c, int *s)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	int l = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	lo_up();
	if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(l, 1) < 0 ||
	    getsockname(l, (struct sockaddr *)&a, &len) < 0)
		return -1;
	*c = socket(AF_INET, SOCK_STREAM, 0);
	if (*c < 0 || connect(*c, (struct sockaddr *)&a, sizeof(a)) < 0)
		return -1;
	*s = accept(l, NULL, NULL);
	close(l);
	if (*s < 0)
		return -1;
	setsockopt(*c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	setsockopt(*s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return 0;
}

/* One-byte round trip between two processes over a loopback TCP connection. */
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

/* n MiB from one process to another over loopback TCP, 64 KiB writes: time per MiB. */
static void bench_tcpstream(long n)
{
	static char buf[65536];
	long total = n << 20, got = 0;
	int c, s;

	if (tcp_pair(&c, &s) < 0) {
		printf("BENCH tcpstream error\n");
		return;
	}
	memset(buf, 'x', sizeof(buf));
	double t0 = now_ns();
	pid_t pid = fork();

	if (pid == 0) {
		close(s);
		for (long done = 0; done < total; ) {
			ssize_t w = write(c, buf, sizeof(buf));

			if (w <= 0)
				_exit(1);
			done += w;
		}
		_exit(0);
	}
	close(c);
	while (got < total) {
		ssize_t r = read(s, buf, sizeof(buf));

		if (r <= 0) {
			printf("BENCH tcpstream error\n");
			return;
		}
		got += r;
	}
	double t = now_ns() - t0;
	waitpid(pid, NULL, 0);
	close(s);
	printf("BENCH tcpstream us_per_op=%.1f n=%ld mib_per_s=%.1f\n", t / n / 1000, n, n / (t / 1e9));
}

/* eth0 at 10.0.2.15/24 and up when it has no address (UML as init: nobody configured it). */
static void eth0_up(void)
{
	struct ifreq ifr;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ifr.ifr_addr;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0)
		return;
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "eth0");
	if (ioctl(fd, SIOCGIFADDR, &ifr) < 0) {
		memset(&ifr, 0, sizeof(ifr));
		strcpy(ifr.ifr_name, "eth0");
		sin->sin_family = AF_INET;
		sin->sin_addr.s_addr = inet_addr("10.0.2.15");
		ioctl(fd, SIOCSIFADDR, &ifr);
		sin->sin_addr.s_addr = inet_addr("255.255.255.0");
		ioctl(fd, SIOCSIFNETMASK, &ifr);
	}
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "eth0");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) == 0 && !(ifr.ifr_flags & IFF_UP)) {
		ifr.ifr_flags |= IFF_UP;
		ioctl(fd, SIOCSIFFLAGS, &ifr);
	}
	close(fd);
}

/*
 * n MiB to HOST:PORT in 64 KiB writes, then the end of the stream and
 * the peer's (every byte taken): time per MiB.  Inside a kernel the
 * host's loopback is 10.0.2.2 behind slirp.
 */
static void bench_tcpsend(long n, const char *host, int port)
{
	static char buf[65536];
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	long total = n << 20;
	int c = -1;

	lo_up();
	eth0_up();
	a.sin_addr.s_addr = inet_addr(host);
	for (int tries = 0; tries < 50; tries++) {	/* the link may still be coming up */
		c = socket(AF_INET, SOCK_STREAM, 0);
		if (c >= 0 && connect(c, (struct sockaddr *)&a, sizeof(a)) == 0)
			break;
		close(c);
		c = -1;
		usleep(100000);
	}
	if (c < 0) {
		printf("BENCH tcpsend error connect\n");
		return;
	}
	memset(buf, 'x', sizeof(buf));
	double t0 = now_ns();
	for (long done = 0; done < total; ) {
		ssize_t w = write(c, buf, sizeof(buf));

		if (w <= 0) {
			printf("BENCH tcpsend error write\n");
			return;
		}
		done += w;
	}
	shutdown(c, SHUT_WR);
	while (read(c, buf, sizeof(buf)) > 0)
		;
	double t = now_ns() - t0;
	close(c);
	printf("BENCH tcpsend us_per_op=%.1f n=%ld mib_per_s=%.1f\n", t / n / 1000, n, n / (t / 1e9));
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

static void bench_clock(long n)
{
	struct timespec ts;
	double t0 = now_ns();

	for (long i = 0; i < n; i++)
		clock_gettime(CLOCK_MONOTONIC, &ts);
	printf("BENCH clock ns_per_op=%.1f n=%ld\n", (now_ns() - t0) / n, n);
}

static void bench_forkexit(long n)
{
	double t0 = now_ns();

	for (long i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid == 0)
			_exit(0);
		int st;
		if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st)) {
			printf("BENCH forkexit error\n");
			return;
		}
	}
	printf("BENCH forkexit us_per_op=%.1f n=%ld\n", (now_ns() - t0) / n / 1000, n);
}

enum { CHUNK = 64 * 1024 };
static char chunk[CHUNK];

/* Writes mib MiB to a new file in the current directory; returns its fd. */
static int write_file(const char *name, const char *path, long mib, int do_fsync, double *ns)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);

	if (fd < 0) {
		printf("BENCH %s error\n", name);
		return -1;
	}
	memset(chunk, 'w', sizeof(chunk));
	double t0 = now_ns();
	for (long i = 0; i < mib * (1024 * 1024 / CHUNK); i++)
		if (write(fd, chunk, CHUNK) != CHUNK) {
			printf("BENCH %s error\n", name);
			close(fd);
			return -1;
		}
	if (do_fsync && fsync(fd) < 0) {
		printf("BENCH %s error\n", name);
		close(fd);
		return -1;
	}
	*ns = now_ns() - t0;
	return fd;
}

static void bench_fsync(long mib)
{
	double ns;
	int fd = write_file("fsync", "bench.fsync", mib, 1, &ns);

	if (fd < 0)
		return;
	close(fd);
	unlink("bench.fsync");
	printf("BENCH fsync us_per_op=%.1f n=%ld\n", ns / mib / 1000, mib);
}

static void bench_read(long mib)
{
	double ns;
	int fd = write_file("read", "bench.read", mib, 0, &ns);

	if (fd < 0)
		return;
	double t0 = now_ns();
	long got = 0;
	ssize_t r;
	if (lseek(fd, 0, SEEK_SET) != 0) {
		printf("BENCH read error\n");
		return;
	}
	while ((r = read(fd, chunk, CHUNK)) > 0)
		got += r;
	ns = now_ns() - t0;
	close(fd);
	unlink("bench.read");
	if (r < 0 || got != mib * 1024 * 1024) {
		printf("BENCH read error\n");
		return;
	}
	printf("BENCH read us_per_op=%.1f n=%ld\n", ns / mib / 1000, mib);
}

/* Drops the clean caches (/proc/sys/vm/drop_caches, as root), /proc
 * mounted first when we are init inside a kernel: 0 or -1. */
static int drop_caches(void)
{
	int fd;

	if (getpid() == 1)
		mount("proc", "/proc", "proc", 0, NULL);
	sync();
	fd = open("/proc/sys/vm/drop_caches", O_WRONLY);
	if (fd < 0 || write(fd, "3\n", 2) != 2) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/* mib MiB written and fsync'ed, the caches dropped, then read back: per MiB. */
static void bench_readcold(long mib)
{
	double ns;
	int fd = write_file("readcold", "bench.cold", mib, 1, &ns);
	long got = 0;
	ssize_t r;

	if (fd < 0)
		return;
	close(fd);
	fd = open("bench.cold", O_RDONLY);
	/* Not root (natively): the file's own pages go by fadvise instead. */
	if (fd >= 0 && drop_caches() < 0)
		posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	if (fd < 0) {
		printf("BENCH readcold error\n");
		unlink("bench.cold");
		return;
	}
	double t0 = now_ns();
	while ((r = read(fd, chunk, CHUNK)) > 0)
		got += r;
	ns = now_ns() - t0;
	close(fd);
	unlink("bench.cold");
	if (r < 0 || got != mib * 1024 * 1024) {
		printf("BENCH readcold error\n");
		return;
	}
	printf("BENCH readcold us_per_op=%.1f n=%ld\n", ns / mib / 1000, mib);
}

/* mib MiB written in 64 KiB writes and fsync'ed (seqwrite 64: the 64 MiB row). */
static void bench_seqwrite(long mib)
{
	double ns;
	int fd = write_file("seqwrite", "bench.seq", mib, 1, &ns);

	if (fd < 0)
		return;
	close(fd);
	unlink("bench.seq");
	printf("BENCH seqwrite us_per_op=%.1f n=%ld\n", ns / mib / 1000, mib);
}

/* busybox tar xf TARBALL into a fresh folder, synced: per MiB of tarball. */
static void bench_untar(const char *tarball, const char *bb)
{
	struct stat st;
	pid_t c;
	int status;

	if (stat(tarball, &st) < 0 || st.st_size < 1024 * 1024 || mkdir("bench.untar", 0755) < 0) {
		printf("BENCH untar error\n");
		return;
	}
	double t0 = now_ns();
	c = fork();
	if (c == 0) {
		if (chdir("bench.untar") == 0)
			execl(bb, "tar", "xf", tarball, (char *)NULL);
		_exit(127);
	}
	if (c < 0 || waitpid(c, &status, 0) != c || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		printf("BENCH untar error\n");
		return;
	}
	sync();
	double t = now_ns() - t0;
	c = fork();		/* the tree goes again: busybox rm -rf */
	if (c == 0) {
		execl(bb, "rm", "-rf", "bench.untar", (char *)NULL);
		_exit(127);
	}
	if (c > 0)
		waitpid(c, &status, 0);
	printf("BENCH untar us_per_op=%.1f n=%lld\n", t / (st.st_size / 1048576.0) / 1000,
	       (long long)(st.st_size >> 20));
}

static void bench_smallfile_named(const char *label, long n);

static void bench_smallfile(long n)
{
	bench_smallfile_named("smallfile", n);
}

/* N x (create, write 1 KiB, close), then stat and unlink each: per file. */
static void bench_smallfile_named(const char *label, long n)
{
	char name[64];

	memset(chunk, 's', 1024);
	if (mkdir("bench.small", 0755) < 0) {
		printf("BENCH %s error\n", label);
		return;
	}
	double t0 = now_ns();
	for (long i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "bench.small/f%ld", i);
		int fd = open(name, O_WRONLY | O_CREAT | O_EXCL, 0644);
		if (fd < 0 || write(fd, chunk, 1024) != 1024 || close(fd) < 0) {
			printf("BENCH %s error\n", label);
			return;
		}
	}
	for (long i = 0; i < n; i++) {
		struct stat st;

		snprintf(name, sizeof(name), "bench.small/f%ld", i);
		if (stat(name, &st) < 0 || st.st_size != 1024 || unlink(name) < 0) {
			printf("BENCH %s error\n", label);
			return;
		}
	}
	double t = now_ns() - t0;
	rmdir("bench.small");
	printf("BENCH %s us_per_op=%.1f n=%ld\n", label, t / n / 1000, n);
}

static void bench_shell(long n, const char *bb)
{
	char script[512];

	snprintf(script, sizeof(script),
		 "i=0; while [ $i -lt %ld ]; do %s true || exit 1; i=$((i+1)); done", n, bb);
	double t0 = now_ns();
	pid_t pid = fork();
	if (pid == 0) {
		char *argv[] = { "sh", "-c", script, NULL };
		char *envp[] = { "PATH=/bin:/sbin:/usr/bin", NULL };
		execve(bb, argv, envp);
		_exit(127);
	}
	int st;
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st)) {
		printf("BENCH shell error\n");
		return;
	}
	printf("BENCH shell us_per_op=%.1f n=%ld\n", (now_ns() - t0) / n / 1000, n);
}

/* --- the hardware floors, natively ------------------------------------- */

static int on_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set);
}

static long futex(volatile int *w, int op, int val)
{
	return syscall(SYS_futex, w, op, val, NULL, NULL, 0);
}

/* One round trip: the parent wakes the child (word 1), the child wakes
 * the parent back (word 0), both on CPU 0, so each trip is two futex
 * wakes, two futex waits and two context switches. */
static void bench_floor_futex(long n)
{
	volatile int *w = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (w == MAP_FAILED || on_cpu(0) < 0) {
		printf("BENCH floor-futex error\n");
		return;
	}
	pid_t pid = fork();
	if (pid == 0) {
		for (long i = 0; i < n; i++) {
			while (w[1] == 0)
				futex(&w[1], FUTEX_WAIT, 0);
			w[1] = 0;
			w[0] = 1;
			futex(&w[0], FUTEX_WAKE, 1);
		}
		_exit(0);
	}
	double t0 = now_ns();
	for (long i = 0; i < n; i++) {
		w[1] = 1;
		futex(&w[1], FUTEX_WAKE, 1);
		while (w[0] == 0)
			futex(&w[0], FUTEX_WAIT, 0);
		w[0] = 0;
	}
	double t = now_ns() - t0;
	waitpid(pid, NULL, 0);
	printf("BENCH floor-futex ns_per_op=%.1f n=%ld\n", t / n, n);
}

static void on_sigill(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)si;
	((ucontext_t *)uc)->uc_mcontext.gregs[REG_RIP] += 2;	/* over the ud2 */
}

static void bench_floor_signal(long n)
{
	struct sigaction sa = { .sa_sigaction = on_sigill, .sa_flags = SA_SIGINFO };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGILL, &sa, NULL);
	double t0 = now_ns();
	for (long i = 0; i < n; i++)
		__asm__ volatile("ud2" ::: "memory");
	printf("BENCH floor-signal ns_per_op=%.1f n=%ld\n", (now_ns() - t0) / n, n);
}

/* Two processes on CPUs 0 and 1 hand a token back and forth by spinning
 * on one shared word: the cost of the cache line crossing twice. */
static void bench_floor_spin(long n)
{
	volatile long *w = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (w == MAP_FAILED || sysconf(_SC_NPROCESSORS_ONLN) < 2) {
		printf("BENCH floor-spin error\n");
		return;
	}
	pid_t pid = fork();
	if (pid == 0) {
		if (on_cpu(1) < 0)
			_exit(1);
		for (long i = 0; i < n; i++) {
			while (*w != 2 * i + 1)
				__builtin_ia32_pause();
			*w = 2 * i + 2;
		}
		_exit(0);
	}
	if (on_cpu(0) < 0) {
		printf("BENCH floor-spin error\n");
		kill(pid, SIGKILL);
		return;
	}
	/* The first trip waits for the child to start: not timed. */
	*w = 1;
	while (*w != 2)
		__builtin_ia32_pause();
	double t0 = now_ns();
	for (long i = 1; i < n; i++) {
		*w = 2 * i + 1;
		while (*w != 2 * i + 2)
			__builtin_ia32_pause();
	}
	double t = now_ns() - t0;
	int st;
	waitpid(pid, &st, 0);
	if (n < 2 || !WIFEXITED(st) || WEXITSTATUS(st)) {
		printf("BENCH floor-spin error\n");
		return;
	}
	printf("BENCH floor-spin ns_per_op=%.1f n=%ld\n", t / (n - 1), n);
}

/* Threads (issue #7): futex, pthread_create, the vDSO, a 16-thread ring, sleeps. */
static atomic_int fword;

static long tfutex(atomic_int *w, int op, int val)
{
	return syscall(SYS_futex, w, op | FUTEX_PRIVATE_FLAG, val, NULL, NULL, 0);
}

/* Waits until *w == want, sleeping on the futex. */
static void futex_await(atomic_int *w, int want)
{
	int v;

	while ((v = atomic_load(w)) != want)
		tfutex(w, FUTEX_WAIT, v);
}

static long pong_n;

static void *futex_ponger(void *arg)
{
	for (long i = 0; i < pong_n; i++) {
		futex_await(&fword, 1);
		atomic_store(&fword, 0);
		tfutex(&fword, FUTEX_WAKE, 1);
	}
	return arg;
}

static void bench_futexpong(long n)
{
	pthread_t th;

	pong_n = n;
	pthread_create(&th, NULL, futex_ponger, NULL);
	double t0 = now_ns();
	for (long i = 0; i < n; i++) {
		atomic_store(&fword, 1);
		tfutex(&fword, FUTEX_WAKE, 1);
		futex_await(&fword, 0);
	}
	double t = now_ns() - t0;
	pthread_join(th, NULL);
	printf("BENCH futexpong ns_per_op=%.1f n=%ld\n", t / n, n);
}

static void *nothing(void *arg)
{
	return arg;
}

static void bench_pthread(long n)
{
	double t0 = now_ns();

	for (long i = 0; i < n; i++) {
		pthread_t th;

		if (pthread_create(&th, NULL, nothing, NULL) != 0 || pthread_join(th, NULL) != 0) {
			printf("BENCH pthread error\n");
			return;
		}
	}
	printf("BENCH pthread us_per_op=%.2f n=%ld\n", (now_ns() - t0) / n / 1000, n);
}

static void bench_vdso(long n)
{
	struct timespec ts;
	double t0 = now_ns();

	for (long i = 0; i < n; i++)
		clock_gettime(CLOCK_MONOTONIC, &ts);
	printf("BENCH vdso ns_per_op=%.1f n=%ld\n", (now_ns() - t0) / n, n);
}

enum { RING = 16 };
static sem_t ring[RING];
static atomic_long passes;
static long ring_n;

static void *ring_member(void *arg)
{
	long i = (long)arg;

	for (;;) {
		sem_wait(&ring[i]);
		long done = atomic_fetch_add(&passes, 1) + 1;

		sem_post(&ring[(i + 1) % RING]);
		if (done >= ring_n)
			return NULL;
	}
}

static void bench_handoff(long n)
{
	pthread_t th[RING];

	ring_n = n;
	for (int i = 0; i < RING; i++)
		sem_init(&ring[i], 0, 0);
	for (long i = 0; i < RING; i++)
		pthread_create(&th[i], NULL, ring_member, (void *)i);
	double t0 = now_ns();
	sem_post(&ring[0]);
	for (int i = 0; i < RING; i++)
		pthread_join(th[i], NULL);
	printf("BENCH handoff ns_per_op=%.1f n=%ld\n", (now_ns() - t0) / n, n);
}

static void bench_sleep(long n, long ms)
{
	struct timespec req = { ms / 1000, ms % 1000 * 1000000 };
	double late = 0;

	for (long i = 0; i < n; i++) {
		double t0 = now_ns();

		nanosleep(&req, NULL);
		late += now_ns() - t0 - ms * 1e6;
	}
	printf("BENCH sleep%ldms us_per_op=%.1f n=%ld\n", ms, late / n / 1000, n);
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
	else if (!strcmp(mode, "pipebw"))
		bench_pipebw(n);
	else if (!strcmp(mode, "unixpong"))
		bench_unixpong(n);
	else if (!strcmp(mode, "tcppong"))
		bench_tcppong(n);
	else if (!strcmp(mode, "tcpstream"))
		bench_tcpstream(n);
	else if (!strcmp(mode, "tcpsend"))
		bench_tcpsend(n, argc > 3 ? argv[3] : "10.0.2.2", argc > 4 ? atoi(argv[4]) : 0);
	else if (!strcmp(mode, "epoll"))
		bench_epoll(n, argc > 3 ? atol(argv[3]) : 0);
	else if (!strcmp(mode, "clock"))
		bench_clock(n);
	else if (!strcmp(mode, "forkexit"))
		bench_forkexit(n);
	else if (!strcmp(mode, "fsync"))
		bench_fsync(n);
	else if (!strcmp(mode, "read"))
		bench_read(n);
	else if (!strcmp(mode, "smallfile"))
		bench_smallfile(n);
	else if (!strcmp(mode, "files10k"))
		bench_smallfile_named("files10k", n);
	else if (!strcmp(mode, "seqwrite"))
		bench_seqwrite(n);
	else if (!strcmp(mode, "readcold"))
		bench_readcold(n);
	else if (!strcmp(mode, "untar"))
		bench_untar(argc > 3 ? argv[3] : "/bench/tree.tar", argc > 4 ? argv[4] : "/bin/busybox");
	else if (!strcmp(mode, "shell"))
		bench_shell(n, argc > 3 ? argv[3] : "/bin/busybox");
	else if (!strcmp(mode, "futexpong"))
		bench_futexpong(n);
	else if (!strcmp(mode, "pthread"))
		bench_pthread(n);
	else if (!strcmp(mode, "vdso"))
		bench_vdso(n);
	else if (!strcmp(mode, "handoff"))
		bench_handoff(n);
	else if (!strcmp(mode, "sleep"))
		bench_sleep(n, argc > 3 ? atol(argv[3]) : 1);
	else if (!strcmp(mode, "floor-futex"))
		bench_floor_futex(n);
	else if (!strcmp(mode, "floor-signal"))
		bench_floor_signal(n);
	else if (!strcmp(mode, "floor-spin"))
		bench_floor_spin(n);
	else {
		fprintf(stderr, "usage: bench init|getppid N|clock N|forkexit N|forkexec N|pagefault N|pipepong N|unixpong N|tcppong N|tcpstream N|tcpsend N [HOST PORT]|pipebw MIB|epoll N IDLE|fsync MIB|read MIB|readcold MIB|seqwrite MIB|smallfile N|files10k N|untar 1 TARBALL BUSYBOX|shell N BUSYBOX|floor-futex N|floor-signal N|floor-spin N|exit\n");
		finish(2);
	}
	finish(0);
}
