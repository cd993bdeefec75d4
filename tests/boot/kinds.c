/*
 * kinds.c - makes and frees one object of every refcounted kind the halt
 * leak check counts (kernel/kernel.h LIVE_KINDS), so that a boot with
 * leak_test=KIND has one of KIND to keep (tests/boot/run leak_kinds).
 * Prints "kinds: ok", or "kinds: STEP: error" and exits 1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mount.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

static void need(int ok, const char *step)
{
	if (!ok) {
		printf("kinds: %s: %s\n", step, strerror(errno));
		exit(1);
	}
}

int main(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct epoll_event ev = { .events = EPOLLIN };
	socklen_t alen = sizeof(a);
	int p[2], sv[2], fd, ep, s, st, id;
	char buf[8];
	pid_t pid;
	long timer;

	/* mms (and a task): a child that exits. */
	pid = fork();
	need(pid >= 0, "fork");
	if (pid == 0)
		_exit(0);
	need(waitpid(pid, &st, 0) == pid && WIFEXITED(st), "waitpid");
	/* pipes, files */
	need(pipe(p) == 0, "pipe");
	/* epitems */
	ep = epoll_create1(0);
	need(ep >= 0, "epoll_create1");
	need(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev) == 0, "epoll_ctl");
	need(close(ep) == 0 && close(p[0]) == 0 && close(p[1]) == 0, "close pipe");
	/* superblocks, mounts, dentries, inodes, xattrs: a tmpfs and a file in it */
	need(mount("kinds", "/mnt", "tmpfs", 0, NULL) == 0, "mount tmpfs");
	fd = open("/mnt/f", O_CREAT | O_RDWR, 0600);
	need(fd >= 0, "open /mnt/f");
	need(fsetxattr(fd, "trusted.kinds", "v", 1, 0) == 0, "fsetxattr");
	need(fremovexattr(fd, "trusted.kinds") == 0, "fremovexattr");
	need(close(fd) == 0 && unlink("/mnt/f") == 0, "unlink /mnt/f");
	need(umount("/mnt") == 0, "umount");
	/* sockets, skbs: a datagram to ourselves on the loopback, a unix pair */
	s = socket(AF_INET, SOCK_DGRAM, 0);
	need(s >= 0, "socket");
	need(bind(s, (struct sockaddr *)&a, sizeof(a)) == 0, "bind");
	need(getsockname(s, (struct sockaddr *)&a, &alen) == 0, "getsockname");
	need(sendto(s, "x", 1, 0, (struct sockaddr *)&a, sizeof(a)) == 1, "sendto");
	need(recv(s, buf, sizeof(buf), 0) == 1, "recv");
	need(close(s) == 0, "close socket");
	need(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) == 0, "socketpair");
	need(write(sv[0], "y", 1) == 1 && read(sv[1], buf, sizeof(buf)) == 1, "unix datagram");
	need(close(sv[0]) == 0 && close(sv[1]) == 0, "close socketpair");
	/* ipc */
	id = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
	need(id >= 0, "shmget");
	need(shmctl(id, IPC_RMID, NULL) == 0, "shmctl IPC_RMID");
	/* posix_timers */
	need(syscall(SYS_timer_create, CLOCK_MONOTONIC, NULL, &timer) == 0, "timer_create");
	need(syscall(SYS_timer_delete, timer) == 0, "timer_delete");
	/* pidfds */
	fd = (int)syscall(SYS_pidfd_open, getpid(), 0);
	need(fd >= 0, "pidfd_open");
	need(close(fd) == 0, "close pidfd");
	printf("kinds: ok\n");
	return 0;
}
