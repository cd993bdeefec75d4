/*
 * net_errors.c - socket(2), bind(2) and connect(2) error paths for
 * AF_INET: unknown families EAFNOSUPPORT, a protocol that does not fit
 * the type EPROTONOSUPPORT, unknown types and flags EINVAL, an address
 * length too short EINVAL, a wrong family in the address EAFNOSUPPORT,
 * bad pointers EFAULT, a bad fd EBADF.
 */
#include "inet.h"

int main(void)
{
	struct sockaddr_in a = lo4(0), l;
	struct sockaddr_in6 six;
	int fd, ln, x;

	net_start();
	CHECK_ERR(socket(12345, SOCK_STREAM, 0), EAFNOSUPPORT, "socket family 12345");
	CHECK_ERR(socket(AF_MAX + 1, SOCK_DGRAM, 0), EAFNOSUPPORT, "socket family AF_MAX+1");
	CHECK_ERR(socket(-1, SOCK_STREAM, 0), EAFNOSUPPORT, "socket family -1");
	CHECK_ERR(socket(AF_INET, SOCK_STREAM, IPPROTO_UDP), EPROTONOSUPPORT, "stream socket with IPPROTO_UDP");
	CHECK_ERR(socket(AF_INET, SOCK_DGRAM, IPPROTO_TCP), EPROTONOSUPPORT, "datagram socket with IPPROTO_TCP");
	CHECK_ERR(socket(AF_INET, SOCK_STREAM, 250), EPROTONOSUPPORT, "stream socket protocol 250");
	CHECK_ERR(socket(AF_INET, 99, 0), EINVAL, "socket type 99");
	CHECK_ERR(socket(AF_INET, SOCK_STREAM | 0x40000000, 0), EINVAL, "socket unknown flag");
	fd = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
	check(fd >= 0, "IPPROTO_TCP explicitly", "%s", strerror(errno));
	close(fd);
	fd = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
	check(fd >= 0, "IPPROTO_UDP explicitly", "%s", strerror(errno));
	close(fd);

	fd = socket(AF_INET, SOCK_STREAM, 0);
	CHECK_ERR(bind(fd, SA(&a), sizeof(a) - 1), EINVAL, "bind addrlen 15");
	CHECK_ERR(bind(fd, SA(&a), 0), EINVAL, "bind addrlen 0");
	CHECK_ERR(bind(fd, SA(&a), -1), EINVAL, "bind addrlen -1");
	CHECK_ERR(bind(fd, (struct sockaddr *)8, sizeof(a)), EFAULT, "bind bad pointer");
	memset(&six, 0, sizeof(six));
	six.sin6_family = AF_INET6;
	CHECK_ERR(bind(fd, SA(&six), sizeof(six)), EAFNOSUPPORT, "bind an AF_INET6 address");
	a.sin_family = AF_UNIX;
	CHECK_ERR(bind(fd, SA(&a), sizeof(a)), EAFNOSUPPORT, "bind an AF_UNIX family");
	a.sin_family = AF_INET;
	CHECK_ERR(connect(fd, SA(&a), sizeof(a) - 1), EINVAL, "connect addrlen 15");
	CHECK_ERR(connect(fd, (struct sockaddr *)8, sizeof(a)), EFAULT, "connect bad pointer");
	six.sin6_port = htons(1);
	CHECK_ERR(connect(fd, SA(&six), sizeof(six)), EAFNOSUPPORT, "connect to an AF_INET6 address");
	CHECK_ERR(connect(999, SA(&a), sizeof(a)), EBADF, "connect bad fd");
	CHECK_ERR(bind(999, SA(&a), sizeof(a)), EBADF, "bind bad fd");
	ln = listener4(&l, 1);
	x = connect4(&l);
	CHECK_ERR(accept(ln, (struct sockaddr *)8, (socklen_t *)8), EFAULT, "accept bad length pointer");
	close(x);
	close(ln);
	CHECK_ERR(setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, NULL, 4), EFAULT, "setsockopt NULL value");
	ln = sizeof(int);
	CHECK_ERR(getsockopt(fd, SOL_SOCKET, SO_TYPE, (void *)8, (socklen_t *)&ln), EFAULT, "getsockopt bad buffer");
	CHECK_ERR(getsockopt(fd, SOL_SOCKET, SO_TYPE, &ln, NULL), EFAULT, "getsockopt NULL length");
	CHECK_ERR(send(fd, (void *)8, 1, MSG_NOSIGNAL), EPIPE, "send on an unconnected TCP socket: EPIPE");
	close(fd);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	CHECK_ERR(sendto(fd, "x", 1, 0, SA(&six), sizeof(six)), EAFNOSUPPORT, "UDP sendto an AF_INET6 address");
	a.sin_port = 0;
	CHECK_ERR(sendto(fd, "x", 1, 0, SA(&a), sizeof(a)), EINVAL, "UDP sendto port 0");
	close(fd);
	return t_done();
}
