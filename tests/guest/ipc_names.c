/*
 * ipc_names.c - what the new kinds of file look like from outside:
 * /proc/self/fd links (anon_inode:[eventfd], [eventpoll], [timerfd],
 * [signalfd], socket:[N]), fstat types and inodes, F_GETFL.  As init
 * inside ./linux it mounts /proc first.
 */
#include "t.h"
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mount.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>

static void link_is(int fd, const char *want, int prefix_only, const char *name)
{
	char path[64], buf[128];
	int n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = 0;
	check(n > 0 && (prefix_only ? !strncmp(buf, want, strlen(want)) : !strcmp(buf, want)), name, "got '%s'",
	      buf);
}

int main(void)
{
	sigset_t m;
	int sv[2];
	struct stat st;

	t_start();
	if (getpid() == 1)
		mount("proc", "/proc", "proc", 0, NULL);
	sigemptyset(&m);
	int e = eventfd(0, 0), ep = epoll_create1(0), t = timerfd_create(CLOCK_MONOTONIC, 0);
	int s = signalfd(-1, &m, 0);
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	link_is(e, "anon_inode:[eventfd]", 0, "eventfd link");
	link_is(ep, "anon_inode:[eventpoll]", 0, "epoll link");
	link_is(t, "anon_inode:[timerfd]", 0, "timerfd link");
	link_is(s, "anon_inode:[signalfd]", 0, "signalfd link");
	link_is(sv[0], "socket:[", 1, "socket link");
	fstat(e, &st);
	check((st.st_mode & S_IFMT) == 0 && (st.st_mode & 0777) == 0600, "anon inode: no type, 0600", "mode %o",
	      st.st_mode);
	struct stat a, b;
	fstat(sv[0], &a);
	fstat(sv[1], &b);
	check(S_ISSOCK(a.st_mode) && a.st_ino != b.st_ino, "each socket its own inode", "no");
	fstat(ep, &b);
	check(b.st_ino == st.st_ino && b.st_dev == st.st_dev, "epoll and eventfd share the anon inode", "no");
	check((fcntl(sv[0], F_GETFL) & O_ACCMODE) == O_RDWR, "socket O_RDWR", "%#x", fcntl(sv[0], F_GETFL));
	return t_done();
}
