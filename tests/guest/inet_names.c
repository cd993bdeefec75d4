/*
 * inet_names.c - getsockname and getpeername on TCP: an unbound socket
 * is 0.0.0.0:0, the two ends of a connection mirror each other, an
 * unconnected socket has no peer (ENOTCONN), a short buffer is filled
 * partly and told the true length, a bad pointer is EFAULT.
 */
#include "inet.h"

static int same(const struct sockaddr_in *x, const struct sockaddr_in *y)
{
	return x->sin_family == y->sin_family && x->sin_port == y->sin_port &&
	       x->sin_addr.s_addr == y->sin_addr.s_addr;
}

int main(void)
{
	struct sockaddr_in a, cs, cp, ss, sp, z;
	socklen_t len;
	unsigned char part[4];
	int fd, l, c, s;

	net_start();
	fd = socket(AF_INET, SOCK_STREAM, 0);
	len = sizeof(z);
	memset(&z, 0xff, sizeof(z));
	CHECK_OK(getsockname(fd, SA(&z), &len), "getsockname of an unbound socket");
	check(len == sizeof(z) && z.sin_family == AF_INET && z.sin_port == 0 && z.sin_addr.s_addr == 0,
	      "is 0.0.0.0:0", "len %u", len);
	len = sizeof(z);
	CHECK_ERR(getpeername(fd, SA(&z), &len), ENOTCONN, "getpeername unconnected");
	l = listener4(&a, 2);
	len = sizeof(z);
	CHECK_ERR(getpeername(l, SA(&z), &len), ENOTCONN, "getpeername of a listener");
	c = connect4(&a);
	s = accept(l, NULL, NULL);
	len = sizeof(cs); getsockname(c, SA(&cs), &len);
	len = sizeof(cp); getpeername(c, SA(&cp), &len);
	len = sizeof(ss); getsockname(s, SA(&ss), &len);
	len = sizeof(sp); getpeername(s, SA(&sp), &len);
	check(same(&cp, &a), "client's peer is the listener's address", "differs");
	check(same(&ss, &a), "accepted socket's name is the listener's address", "differs");
	check(same(&sp, &cs), "server's peer is the client's name", "differs");
	check(cs.sin_addr.s_addr == htonl(INADDR_LOOPBACK) && cs.sin_port != 0 && cs.sin_port != a.sin_port,
	      "client was bound to 127.0.0.1 and a port of its own", "bad");
	len = sizeof(part);
	memset(part, 0, sizeof(part));
	CHECK_OK(getsockname(c, (struct sockaddr *)part, &len), "getsockname into 4 bytes");
	check(len == sizeof(struct sockaddr_in) && !memcmp(part, &cs, 4), "truncated, true length back", "len %u", len);
	len = sizeof(z);
	CHECK_ERR(getsockname(c, (struct sockaddr *)8, &len), EFAULT, "getsockname bad buffer");
	CHECK_ERR(getsockname(c, SA(&z), (socklen_t *)8), EFAULT, "getsockname bad length pointer");
	len = (socklen_t)-1;
	CHECK_ERR(getsockname(c, SA(&z), &len), EINVAL, "getsockname negative length");
	CHECK_ERR(getpeername(0x7fff, SA(&z), &len), EBADF, "getpeername bad fd");
	close(fd);
	close(c);
	close(s);
	close(l);
	return t_done();
}
