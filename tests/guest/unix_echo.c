/*
 * unix_echo.c - a 1,000-connection echo server over AF_UNIX driven by
 * epoll: the server (parent) accepts non-blocking, echoes what each
 * connection sends and counts the hang-ups; the client (child) opens
 * every connection first, then sends on each and checks each echo.
 * Every wait is bounded; counts are printed, never times.
 */
#include "t.h"
#include <fcntl.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

#define N 1000

static struct sockaddr_un addr;

static int client(void)
{
	static int fd[N];
	char buf[32], want[32];
	int ok = 0;

	for (int i = 0; i < N; i++) {
		fd[i] = socket(AF_UNIX, SOCK_STREAM, 0);
		if (fd[i] < 0 || connect(fd[i], (struct sockaddr *)&addr, sizeof(addr)) < 0)
			return 2;
	}
	for (int i = 0; i < N; i++) {
		int n = snprintf(want, sizeof(want), "message %d", i);

		if (write(fd[i], want, n) != n)
			return 3;
	}
	for (int i = 0; i < N; i++) {
		int n = snprintf(want, sizeof(want), "message %d", i), got = 0;
		struct pollfd pf = { fd[i], POLLIN, 0 };

		while (got < n && poll(&pf, 1, 10000) == 1) {
			int r = read(fd[i], buf + got, sizeof(buf) - got);

			if (r <= 0)
				break;
			got += r;
		}
		if (got == n && memcmp(buf, want, n) == 0)
			ok++;
	}
	for (int i = 0; i < N; i++)
		close(fd[i]);
	return ok == N ? 0 : 4;
}

static void serve(int l, int *accepted, int *echoed, int *closed)
{
	int ep = epoll_create1(EPOLL_CLOEXEC);
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = l }, out[64];
	char buf[64];
	int idle = 0;

	epoll_ctl(ep, EPOLL_CTL_ADD, l, &ev);
	while (*closed < N && idle < 3) {
		int n = epoll_wait(ep, out, 64, 5000);

		idle = n == 0 ? idle + 1 : 0;
		for (int i = 0; i < n; i++) {
			int fd = out[i].data.fd, c;

			if (fd == l) {
				while ((c = accept4(l, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
					struct epoll_event ce = { .events = EPOLLIN | EPOLLRDHUP, .data.fd = c };

					epoll_ctl(ep, EPOLL_CTL_ADD, c, &ce);
					(*accepted)++;
				}
				continue;
			}
			int r = read(fd, buf, sizeof(buf));
			if (r > 0) {
				if (write(fd, buf, r) == r)
					(*echoed)++;
			} else if (r == 0) {
				epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
				close(fd);
				(*closed)++;
			}
		}
	}
	close(ep);
}

int main(void)
{
	char path[200];
	int l, accepted = 0, echoed = 0, closed = 0, st = 0;
	struct rlimit rl;

	t_start();
	getrlimit(RLIMIT_NOFILE, &rl);
	check(rl.rlim_cur >= N + 10, "enough fds for 1000 connections", "limit %llu",
	      (unsigned long long)rl.rlim_cur);
	t_path(path, sizeof(path), "echo.sock");
	unlink(path);
	memset(&addr, 0, sizeof(addr));
	addr.sun_family = AF_UNIX;
	strncpy(addr.sun_path, path, sizeof(addr.sun_path) - 1);
	l = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	CHECK_OK(bind(l, (struct sockaddr *)&addr, sizeof(addr)), "bind");
	CHECK_OK(listen(l, N + 24), "listen with a backlog over 1000");
	pid_t c = fork();
	if (c == 0) {
		close(l);
		_exit(client());
	}
	serve(l, &accepted, &echoed, &closed);
	waitpid(c, &st, 0);
	check(accepted == N, "1000 connections accepted", "%d", accepted);
	check(echoed == N, "1000 messages echoed", "%d", echoed);
	check(closed == N, "1000 hang-ups seen", "%d", closed);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the client got every echo back", "status %#x", st);
	close(l);
	unlink(path);
	return t_done();
}
