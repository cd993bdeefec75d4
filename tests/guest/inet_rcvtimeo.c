/*
 * inet_rcvtimeo.c - SO_RCVTIMEO and SO_SNDTIMEO on TCP and UDP: the
 * values read back as set, a recv with nothing to read fails with EAGAIN
 * after the timeout (not before data that does come), accept honours it
 * too, a tv_usec out of range is EDOM, a short optlen EINVAL.
 */
#include "inet.h"
#include <sys/time.h>

int main(void)
{
	struct timeval tv = { 0, 200000 }, got;
	struct sockaddr_in a;
	socklen_t len;
	char buf[8];
	int c, s, u, l;
	pid_t pid;

	net_start();
	check(tcp_pair(&c, &s) == 0, "connected pair", "%s", strerror(errno));
	len = sizeof(got);
	CHECK_OK(getsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &got, &len), "get SO_RCVTIMEO");
	check(got.tv_sec == 0 && got.tv_usec == 0 && len == sizeof(got), "none by default", "%ld.%06ld",
	      (long)got.tv_sec, (long)got.tv_usec);
	CHECK_OK(setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)), "set SO_RCVTIMEO 0.2 s");
	len = sizeof(got);
	getsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &got, &len);
	check(got.tv_sec == 0 && got.tv_usec == 200000, "reads back 0.2 s", "%ld.%06ld", (long)got.tv_sec,
	      (long)got.tv_usec);
	CHECK_ERR(recv(s, buf, sizeof(buf), 0), EAGAIN, "recv times out: EAGAIN");
	CHECK_ERR(read(s, buf, sizeof(buf)), EAGAIN, "read times out too");
	pid = fork();
	if (pid == 0) {
		usleep(20000);
		_exit(write(c, "late", 4) == 4 ? 0 : 1);
	}
	tv.tv_sec = 20;
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	check(read(s, buf, sizeof(buf)) == 4, "data before the timeout is read", "%s", strerror(errno));
	reap(pid);
	tv.tv_sec = 0;
	tv.tv_usec = 1000000;
	CHECK_ERR(setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)), EDOM, "tv_usec 1000000: EDOM");
	CHECK_ERR(setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, 4), EINVAL, "optlen 4: EINVAL");
	tv.tv_sec = 3;
	tv.tv_usec = 500000;
	CHECK_OK(setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)), "set SO_SNDTIMEO");
	len = sizeof(got);
	getsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &got, &len);
	check(got.tv_sec == 3 && got.tv_usec == 500000, "SO_SNDTIMEO reads back", "%ld.%06ld",
	      (long)got.tv_sec, (long)got.tv_usec);

	u = bound4(SOCK_DGRAM, &a);
	tv.tv_sec = 0;
	tv.tv_usec = 100000;
	CHECK_OK(setsockopt(u, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)), "UDP SO_RCVTIMEO");
	CHECK_ERR(recvfrom(u, buf, sizeof(buf), 0, NULL, NULL), EAGAIN, "UDP recvfrom times out");
	l = listener4(&a, 1);
	setsockopt(l, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	CHECK_ERR(accept(l, NULL, NULL), EAGAIN, "accept times out");
	close(l);
	close(u);
	close(c);
	close(s);
	return t_done();
}
