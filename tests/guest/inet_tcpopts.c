/*
 * inet_tcpopts.c - TCP and socket options as Linux reports them:
 * TCP_NODELAY off then on, TCP_CORK, TCP_QUICKACK, SO_KEEPALIVE and the TCP_KEEP*
 * values (defaults from the sysctls, set and read back, 0 rejected),
 * TCP_MAXSEG on a connection over loopback, SO_TYPE/SO_DOMAIN/
 * SO_PROTOCOL/SO_ACCEPTCONN, unknown options ENOPROTOOPT.
 */
#include "inet.h"

static int geti(int fd, int level, int opt)
{
	int v = -12345;
	socklen_t len = sizeof(v);

	if (getsockopt(fd, level, opt, &v, &len) < 0)
		return -errno - 100000;
	return len == sizeof(v) ? v : -99999;
}

static int seti(int fd, int level, int opt, int v)
{
	return setsockopt(fd, level, opt, &v, sizeof(v));
}

int main(void)
{
	struct sockaddr_in a;
	int c, s, l, fd, v;

	net_start();
	check(tcp_pair(&c, &s) == 0, "connected pair", "%s", strerror(errno));
	check(geti(c, IPPROTO_TCP, TCP_NODELAY) == 0, "TCP_NODELAY off", "%d", geti(c, IPPROTO_TCP, TCP_NODELAY));
	CHECK_OK(seti(c, IPPROTO_TCP, TCP_NODELAY, 1), "set TCP_NODELAY");
	check(geti(c, IPPROTO_TCP, TCP_NODELAY) == 1, "TCP_NODELAY on", "%d", geti(c, IPPROTO_TCP, TCP_NODELAY));
	seti(c, IPPROTO_TCP, TCP_NODELAY, 7);
	check(geti(c, IPPROTO_TCP, TCP_NODELAY) == 1, "any non-zero reads back 1", "%d", geti(c, IPPROTO_TCP, TCP_NODELAY));
	CHECK_OK(seti(c, IPPROTO_TCP, TCP_CORK, 1), "set TCP_CORK");
	check(geti(c, IPPROTO_TCP, TCP_CORK) == 1, "TCP_CORK on", "%d", geti(c, IPPROTO_TCP, TCP_CORK));
	seti(c, IPPROTO_TCP, TCP_CORK, 0);
	check(geti(c, IPPROTO_TCP, TCP_QUICKACK) == 1, "TCP_QUICKACK 1 on a new connection", "%d",
	      geti(c, IPPROTO_TCP, TCP_QUICKACK));
	CHECK_OK(seti(c, IPPROTO_TCP, TCP_QUICKACK, 0), "TCP_QUICKACK 0: ACKs may be delayed");
	check(geti(c, IPPROTO_TCP, TCP_QUICKACK) == 0, "reads back 0", "%d", geti(c, IPPROTO_TCP, TCP_QUICKACK));
	CHECK_OK(seti(c, IPPROTO_TCP, TCP_QUICKACK, 1), "TCP_QUICKACK 1 again");
	check(geti(c, IPPROTO_TCP, TCP_QUICKACK) == 1, "reads back 1", "%d", geti(c, IPPROTO_TCP, TCP_QUICKACK));
	check(write(c, "x", 1) == 1 && read(s, &v, 1) == 1, "data flows after uncorking", "no");
	check(geti(c, SOL_SOCKET, SO_KEEPALIVE) == 0, "SO_KEEPALIVE off", "%d", geti(c, SOL_SOCKET, SO_KEEPALIVE));
	CHECK_OK(seti(c, SOL_SOCKET, SO_KEEPALIVE, 1), "set SO_KEEPALIVE");
	check(geti(c, SOL_SOCKET, SO_KEEPALIVE) == 1, "SO_KEEPALIVE on", "%d", geti(c, SOL_SOCKET, SO_KEEPALIVE));
	check(geti(c, IPPROTO_TCP, TCP_KEEPIDLE) == 7200 && geti(c, IPPROTO_TCP, TCP_KEEPINTVL) == 75 &&
	      geti(c, IPPROTO_TCP, TCP_KEEPCNT) == 9, "keepalive defaults 7200/75/9", "%d/%d/%d",
	      geti(c, IPPROTO_TCP, TCP_KEEPIDLE), geti(c, IPPROTO_TCP, TCP_KEEPINTVL), geti(c, IPPROTO_TCP, TCP_KEEPCNT));
	CHECK_OK(seti(c, IPPROTO_TCP, TCP_KEEPIDLE, 30), "TCP_KEEPIDLE 30");
	CHECK_OK(seti(c, IPPROTO_TCP, TCP_KEEPINTVL, 5), "TCP_KEEPINTVL 5");
	CHECK_OK(seti(c, IPPROTO_TCP, TCP_KEEPCNT, 3), "TCP_KEEPCNT 3");
	check(geti(c, IPPROTO_TCP, TCP_KEEPIDLE) == 30 && geti(c, IPPROTO_TCP, TCP_KEEPINTVL) == 5 &&
	      geti(c, IPPROTO_TCP, TCP_KEEPCNT) == 3, "read back 30/5/3", "differ");
	CHECK_ERR(seti(c, IPPROTO_TCP, TCP_KEEPIDLE, 0), EINVAL, "TCP_KEEPIDLE 0");
	CHECK_ERR(seti(c, IPPROTO_TCP, TCP_KEEPCNT, 0), EINVAL, "TCP_KEEPCNT 0");
	v = geti(c, IPPROTO_TCP, TCP_MAXSEG);
	check(v > 500 && v <= 65483, "TCP_MAXSEG of a loopback connection", "%d", v);
	check(geti(c, SOL_SOCKET, SO_TYPE) == SOCK_STREAM, "SO_TYPE", "%d", geti(c, SOL_SOCKET, SO_TYPE));
	check(geti(c, SOL_SOCKET, SO_DOMAIN) == AF_INET, "SO_DOMAIN", "%d", geti(c, SOL_SOCKET, SO_DOMAIN));
	check(geti(c, SOL_SOCKET, SO_PROTOCOL) == IPPROTO_TCP, "SO_PROTOCOL", "%d", geti(c, SOL_SOCKET, SO_PROTOCOL));
	check(geti(c, SOL_SOCKET, SO_ACCEPTCONN) == 0, "SO_ACCEPTCONN 0 on a connection", "%d",
	      geti(c, SOL_SOCKET, SO_ACCEPTCONN));
	l = listener4(&a, 1);
	check(geti(l, SOL_SOCKET, SO_ACCEPTCONN) == 1, "SO_ACCEPTCONN 1 on a listener", "%d",
	      geti(l, SOL_SOCKET, SO_ACCEPTCONN));
	check(geti(c, SOL_SOCKET, SO_ERROR) == 0, "SO_ERROR 0", "%d", geti(c, SOL_SOCKET, SO_ERROR));
	check(geti(c, IPPROTO_TCP, 9999) == -ENOPROTOOPT - 100000, "unknown TCP option: ENOPROTOOPT", "%d",
	      geti(c, IPPROTO_TCP, 9999));
	check(geti(c, SOL_SOCKET, 9999) == -ENOPROTOOPT - 100000, "unknown socket option: ENOPROTOOPT", "%d",
	      geti(c, SOL_SOCKET, 9999));
	CHECK_ERR(setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &v, 2), EINVAL, "TCP_NODELAY optlen 2");
	CHECK_ERR(setsockopt(c, SOL_SOCKET, SO_KEEPALIVE, (void *)8, 4), EFAULT, "setsockopt bad pointer");
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	check(geti(fd, SOL_SOCKET, SO_TYPE) == SOCK_DGRAM && geti(fd, SOL_SOCKET, SO_PROTOCOL) == IPPROTO_UDP,
	      "UDP: SO_TYPE and SO_PROTOCOL", "%d", geti(fd, SOL_SOCKET, SO_PROTOCOL));
	check(geti(fd, IPPROTO_TCP, TCP_NODELAY) == -EOPNOTSUPP - 100000, "TCP option on UDP: EOPNOTSUPP", "%d",
	      geti(fd, IPPROTO_TCP, TCP_NODELAY));
	close(fd);
	close(l);
	close(c);
	close(s);
	return t_done();
}
