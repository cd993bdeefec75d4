/*
 * hostcalls.c - a hostile guest that makes the host syscalls of issue #11
 * from ordinary guest code and checks that each one reached only its own
 * kernel (any platform: they must never run on the host).
 *
 * Usage (as init):  hostcalls HOSTDIR
 *   HOSTDIR is a host folder the runner made: it holds `prog`, a host
 *   program that would create HOSTDIR/exec-ran; the runner checks
 *   afterwards that no host file appeared there.
 * Checks: open/creat of a host path, execve of a host program, ptrace of
 * pid 1 and PTRACE_TRACEME then a fork, kill of every pid the guest can
 * name but itself, sockets that stay inside the guest (AF_INET without
 * ethN= reaches nothing, nor AF_INET6, AF_PACKET/NETLINK see only lo), mmap of
 * fd 3 (./linux's physmem fd on the host), /proc/self/mem beyond the
 * guest's mappings and /proc/self/maps with no host mapping in it.
 * (Filling the host's vm.max_map_count is not here: each new mapping
 * costs this kernel time that grows with the mappings already made, about
 * 10 ms at 2,000, so 65,530 would take hours.)  Prints `ok`/`not ok` lines and PASSED/FAILED (check.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

static void host_paths(const char *dir)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/created", dir);
	int fd = open(path, O_CREAT | O_WRONLY, 0644);
	check(fd < 0 && errno == ENOENT, "open-host-path", "open(%s, O_CREAT) = %d errno %d", path, fd, errno);
	if (fd >= 0)
		close(fd);
	snprintf(path, sizeof(path), "%s/prog", dir);
	pid_t pid = fork();
	if (pid == 0) {
		char *argv[] = { path, NULL };
		execve(path, argv, NULL);
		_exit(errno == ENOENT ? 0 : 1);
	}
	int st;
	check(pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "execve-host-path", "execve of the host's %s did not fail with ENOENT", path);
}

static void ptrace_calls(void)
{
	long r = ptrace(PTRACE_ATTACH, 1, 0, 0);

	check(r < 0, "ptrace-attach-1", "PTRACE_ATTACH of pid 1 = %ld", r);
	pid_t pid = fork();
	if (pid == 0) {
		/* Whatever this kernel does with TRACEME, the host tracer of
		 * this process is ./linux itself and must stay so. */
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		_exit(0);
	}
	int st;
	check(pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st), "ptrace-traceme",
	      "a child after PTRACE_TRACEME did not exit normally (status %#x)", st);
}

/* kill() of pids the guest cannot have: ./linux's host pid is a number in
 * this range too; the guest kernel's pids are all it can reach. */
static void kill_pids(void)
{
	int bad = 0;
	pid_t me = getpid();

	for (pid_t p = 2; p < 4 * 1024 * 1024 && p > 0; p = p < 100000 ? p + 1 : p * 2) {
		if (p == me)
			continue;
		if (kill(p, 0) == 0)
			bad++;
	}
	check(bad == 0, "kill-pids", "%d pids other than our own answer kill(pid, 0)", bad);
}

/*
 * Sockets are the guest kernel's own, never the host's: without ethN= an
 * AF_INET socket reaches nothing off the machine (no route: ENETUNREACH),
 * AF_PACKET and AF_NETLINK see only the guest's loopback (no eth0, no host
 * interface), and AF_INET6 reaches nothing but ::1 (no IPv6 route off lo).
 */
static void sockets(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(80) };
	int fd;

	a.sin_addr.s_addr = htonl(0xc0000201);	/* 192.0.2.1, TEST-NET-1 */
	fd = socket(AF_INET, SOCK_STREAM, 0);
	check(fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0 && errno == ENETUNREACH,
	      "socket-inet", "a guest TCP socket without ethN= got out (fd %d, errno %d)", fd, errno);
	if (fd >= 0)
		close(fd);
	{
		struct sockaddr_in6 a6 = { .sin6_family = AF_INET6, .sin6_port = htons(80) };

		a6.sin6_addr.s6_addr[0] = 0x20;	/* 2001:db8::1, the documentation prefix */
		a6.sin6_addr.s6_addr[1] = 0x01;
		a6.sin6_addr.s6_addr[2] = 0x0d;
		a6.sin6_addr.s6_addr[3] = 0xb8;
		a6.sin6_addr.s6_addr[15] = 1;
		fd = socket(AF_INET6, SOCK_DGRAM, 0);
		check(fd >= 0 && sendto(fd, "x", 1, 0, (struct sockaddr *)&a6, sizeof(a6)) < 0 && errno == ENETUNREACH,
		      "socket-inet6", "a guest IPv6 datagram got out (fd %d, errno %d)", fd, errno);
	}
	if (fd >= 0)
		close(fd);
	fd = socket(17 /* AF_PACKET */, SOCK_RAW, 0);
	check(fd >= 0 && if_nametoindex("eth0") == 0 && if_nametoindex("lo") == 1, "socket-packet",
	      "AF_PACKET socket %d errno %d, eth0 index %u: a host interface is visible", fd, errno,
	      if_nametoindex("eth0"));
	if (fd >= 0)
		close(fd);
	fd = socket(AF_NETLINK, SOCK_RAW, 0);
	check(fd >= 0, "socket-netlink", "socket(AF_NETLINK) = %d errno %d", fd, errno);
	if (fd >= 0)
		close(fd);
}

static void fd3(void)
{
	void *p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, 3, 0);

	check(p == MAP_FAILED && errno == EBADF, "mmap-fd3", "mmap of fd 3 = %p errno %d", p, errno);
	char c;
	ssize_t r = read(3, &c, 1);
	check(r < 0 && errno == EBADF, "read-fd3", "read of fd 3 = %zd errno %d", r, errno);
}

static void proc_mem(void)
{
	int fd = open("/proc/self/mem", O_RDONLY);

	if (fd < 0) {
		/* No /proc mounted or no mem file: nothing of the host there either. */
		check(errno == ENOENT, "proc-self-mem", "open = errno %d", errno);
	} else {
		static const uint64_t addrs[] = { 0x7ffffffff000ULL, 0x800000000000ULL, 0xffff800000000000ULL,
						  0xffffffffff600000ULL, 0x1000 };
		int bad = 0;
		char buf[16];

		for (unsigned i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++) {
			/* The stub's own pages, the host kernel, page zero:
			 * none is guest memory. */
			ssize_t r = pread(fd, buf, sizeof(buf), (off_t)addrs[i]);
			if (r > 0) {
				printf("info /proc/self/mem read %zd bytes at %#llx\n", r, (unsigned long long)addrs[i]);
				bad++;
			}
		}
		check(bad == 0, "proc-self-mem", "%d reads outside the guest's mappings returned data", bad);
		close(fd);
	}
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	int host = 0;

	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, "memfd") || strstr(line, "stub") || strstr(line, "physmem"))
			host++;
	if (f)
		fclose(f);
	check(host == 0, "proc-self-maps", "%d lines of /proc/self/maps name a host mapping", host);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: hostcalls HOSTDIR\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IONBF, 0);
	host_paths(argv[1]);
	ptrace_calls();
	kill_pids();
	sockets();
	fd3();
	proc_mem();
	return checks_done();
}
