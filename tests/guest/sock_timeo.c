/*
 * sock_timeo.c - SO_RCVTIMEO and SO_SNDTIMEO on AF_UNIX sockets:
 * getsockopt of the default and of a set value, EINVAL/EDOM for bad
 * ones, recv/read/accept/send giving up with EAGAIN once the time is
 * out (stream and datagram), a negative time meaning do not wait, data
 * arriving in time, and signals: with a timeout set a handler ends the
 * call with EINTR even under SA_RESTART, without one it restarts.
 */
#include "t.h"
#include <signal.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>

static int set_tv(int fd, int opt, long sec, long usec)
{
	struct timeval tv = { sec, usec };

	return setsockopt(fd, SOL_SOCKET, opt, &tv, sizeof(tv));
}

/* Waits (without timing) until pid sleeps: /proc/PID/stat says S. */
static int wait_sleeping(pid_t pid)
{
	char path[64], buf[256], *r;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	for (int i = 0; i < 20000; i++) {
		FILE *f = fopen(path, "r");

		if (f) {
			buf[0] = 0;
			fgets(buf, sizeof(buf), f);
			fclose(f);
			r = strrchr(buf, ')');
			if (r && r[1] == ' ' && r[2] == 'S')
				return 1;
		}
		usleep(1000);
	}
	return 0;
}

static void on_usr1(int sig)
{
}

static void test_opts(void)
{
	int sv[2];
	struct timeval tv;
	socklen_t len = sizeof(tv);

	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	check(getsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, &len) == 0 && len == sizeof(tv) &&
	      tv.tv_sec == 0 && tv.tv_usec == 0, "default: 0 (forever)", "%ld.%06ld len %u", (long)tv.tv_sec,
	      (long)tv.tv_usec, len);
	check(set_tv(sv[0], SO_RCVTIMEO, 1, 200000) == 0, "set SO_RCVTIMEO 1.2 s", "errno %d", errno);
	len = sizeof(tv);
	check(getsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, &len) == 0 && tv.tv_sec == 1 &&
	      tv.tv_usec == 200000, "reads back", "%ld.%06ld", (long)tv.tv_sec, (long)tv.tv_usec);
	len = sizeof(tv);
	check(getsockopt(sv[0], SOL_SOCKET, SO_SNDTIMEO, &tv, &len) == 0 && tv.tv_sec == 0 &&
	      tv.tv_usec == 0, "SO_SNDTIMEO apart", "%ld", (long)tv.tv_sec);
	CHECK_ERR(set_tv(sv[0], SO_RCVTIMEO, 0, 1000000), EDOM, "usec 1000000: EDOM");
	CHECK_ERR(set_tv(sv[0], SO_RCVTIMEO, 0, -1), EDOM, "negative usec: EDOM");
	CHECK_ERR(setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, 8), EINVAL, "short option: EINVAL");
	CHECK_ERR(setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, (void *)8, sizeof(tv)), EFAULT, "bad pointer: EFAULT");
	check(set_tv(sv[0], SO_RCVTIMEO, -5, 0) == 0, "negative seconds accepted", "errno %d", errno);
	len = sizeof(tv);
	getsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, &len);
	check(tv.tv_sec == 0 && tv.tv_usec == 0, "and read back as 0", "%ld.%06ld", (long)tv.tv_sec, (long)tv.tv_usec);
	char c;
	CHECK_ERR(recv(sv[0], &c, 1, 0), EAGAIN, "which does not wait: EAGAIN");
	close(sv[0]);
	close(sv[1]);
}

static void test_timeouts(void)
{
	int sv[2], d[2];
	char c, big[4096];

	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	set_tv(sv[0], SO_RCVTIMEO, 0, 100000);
	CHECK_ERR(recv(sv[0], &c, 1, 0), EAGAIN, "stream recv times out: EAGAIN");
	CHECK_ERR(read(sv[0], &c, 1), EAGAIN, "read too");
	write(sv[1], "ab", 2);
	check(recv(sv[0], big, 10, MSG_WAITALL) == 2, "MSG_WAITALL returns what came in time", "errno %d", errno);
	/* A full socket: send gives up. */
	set_tv(sv[1], SO_SNDTIMEO, 0, 100000);
	memset(big, 'x', sizeof(big));
	long total = 0, n;
	while ((n = send(sv[1], big, sizeof(big), MSG_DONTWAIT)) > 0)
		total += n;
	errno = 0;
	n = send(sv[1], big, sizeof(big), 0);
	check(n == -1 && errno == EAGAIN, "stream send on a full socket times out: EAGAIN", "%ld errno %d", n, errno);
	close(sv[0]);
	close(sv[1]);
	socketpair(AF_UNIX, SOCK_DGRAM, 0, d);
	set_tv(d[0], SO_RCVTIMEO, 0, 100000);
	CHECK_ERR(recv(d[0], &c, 1, 0), EAGAIN, "datagram recv times out: EAGAIN");
	close(d[0]);
	close(d[1]);
	/* accept */
	struct sockaddr_un a = { AF_UNIX };
	int l = socket(AF_UNIX, SOCK_STREAM, 0);
	snprintf(a.sun_path + 1, sizeof(a.sun_path) - 1, "timeo-%d", getpid());
	bind(l, (struct sockaddr *)&a, sizeof(a));
	listen(l, 1);
	set_tv(l, SO_RCVTIMEO, 0, 100000);
	CHECK_ERR(accept(l, NULL, NULL), EAGAIN, "accept times out: EAGAIN");
	close(l);
}

static void test_in_time_and_signals(void)
{
	int sv[2], st;
	char buf[8];
	pid_t parent = getpid(), c;
	struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = SA_RESTART };

	sigaction(SIGUSR1, &sa, NULL);
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	set_tv(sv[0], SO_RCVTIMEO, 30, 0);
	c = fork();
	if (c == 0) {
		wait_sleeping(parent);
		write(sv[1], "hi", 2);
		_exit(0);
	}
	check(recv(sv[0], buf, sizeof(buf), 0) == 2, "data within the timeout", "errno %d", errno);
	waitpid(c, &st, 0);
	c = fork();
	if (c == 0) {
		wait_sleeping(parent);
		kill(parent, SIGUSR1);
		_exit(0);
	}
	CHECK_ERR(recv(sv[0], buf, sizeof(buf), 0), EINTR, "a timeout set: a handler gives EINTR despite SA_RESTART");
	waitpid(c, &st, 0);
	set_tv(sv[0], SO_RCVTIMEO, 0, 0);
	c = fork();
	if (c == 0) {
		wait_sleeping(parent);
		kill(parent, SIGUSR1);
		usleep(1000);
		wait_sleeping(parent);
		write(sv[1], "ok", 2);
		_exit(0);
	}
	check(recv(sv[0], buf, sizeof(buf), 0) == 2, "no timeout: SA_RESTART restarts the recv", "errno %d", errno);
	waitpid(c, &st, 0);
	close(sv[0]);
	close(sv[1]);
	signal(SIGUSR1, SIG_DFL);
}

int main(void)
{
	t_start();
	if (getpid() == 1)
		mount("proc", "/proc", "proc", 0, NULL);
	test_opts();
	test_timeouts();
	test_in_time_and_signals();
	return t_done();
}
