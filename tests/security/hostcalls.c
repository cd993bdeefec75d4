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
 * name but itself, socket(AF_INET/AF_INET6/AF_PACKET/AF_NETLINK), mmap of
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

static void sockets(void)
{
	static const struct {
		int family, type;
		const char *name;
	} s[] = {
		{ AF_INET, SOCK_STREAM, "socket-inet" }, { AF_INET6, SOCK_DGRAM, "socket-inet6" },
		{ 17 /* AF_PACKET */, SOCK_RAW, "socket-packet" }, { AF_NETLINK, SOCK_RAW, "socket-netlink" },
	};

	for (unsigned i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
		int fd = socket(s[i].family, s[i].type, 0);

		check(fd < 0 && (errno == EAFNOSUPPORT || errno == EINVAL || errno == EPROTONOSUPPORT),
		      s[i].name, "socket(%d, %d) = %d errno %d: this kernel has no such family", s[i].family,
		      s[i].type, fd, errno);
		if (fd >= 0)
			close(fd);
	}
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
