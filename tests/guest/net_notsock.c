/*
 * net_notsock.c - every socket call on a descriptor that is not a
 * socket (a pipe, a regular file) is ENOTSOCK, on a closed one EBADF.
 */
#include "inet.h"
#include <sys/uio.h>

int main(void)
{
	struct sockaddr_in a = lo4(1);
	struct msghdr m;
	socklen_t len = sizeof(a);
	char path[256];
	int p[2], f, v;

	net_start();
	CHECK_OK(pipe(p), "pipe");
	t_path(path, sizeof(path), "net_notsock.file");
	f = open(path, O_CREAT | O_RDWR | O_TRUNC, 0600);
	check(f >= 0, "a regular file", "%s", strerror(errno));
	memset(&m, 0, sizeof(m));
	for (int k = 0; k < 2; k++) {
		int fd = k ? f : p[0];
		const char *what = k ? "file" : "pipe";
		char name[64];

#define NS(expr, call) do { snprintf(name, sizeof(name), "%s on a %s", call, what); \
	CHECK_ERR(expr, ENOTSOCK, name); } while (0)
		NS(bind(fd, SA(&a), sizeof(a)), "bind");
		NS(connect(fd, SA(&a), sizeof(a)), "connect");
		NS(listen(fd, 1), "listen");
		NS(accept(fd, NULL, NULL), "accept");
		NS(accept4(fd, NULL, NULL, SOCK_CLOEXEC), "accept4");
		NS(getsockname(fd, SA(&a), &len), "getsockname");
		NS(getpeername(fd, SA(&a), &len), "getpeername");
		NS(send(fd, "x", 1, 0), "send");
		NS(sendto(fd, "x", 1, 0, SA(&a), sizeof(a)), "sendto");
		NS(recv(fd, &v, 1, MSG_DONTWAIT), "recv");
		NS(recvfrom(fd, &v, 1, MSG_DONTWAIT, NULL, NULL), "recvfrom");
		NS(sendmsg(fd, &m, 0), "sendmsg");
		NS(recvmsg(fd, &m, MSG_DONTWAIT), "recvmsg");
		NS(shutdown(fd, SHUT_RD), "shutdown");
		NS(setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &v, sizeof(v)), "setsockopt");
		NS(getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, &len), "getsockopt");
	}
	close(f);
	unlink(path);
	close(p[1]);
	close(p[0]);
	CHECK_ERR(listen(p[0], 1), EBADF, "listen on a closed fd");
	CHECK_ERR(send(p[0], "x", 1, 0), EBADF, "send on a closed fd");
	CHECK_ERR(getsockopt(p[0], SOL_SOCKET, SO_TYPE, &v, &len), EBADF, "getsockopt on a closed fd");
	return t_done();
}
