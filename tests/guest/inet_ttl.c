/*
 * inet_ttl.c - IP_TTL: 64 by default (net.ipv4.ip_default_ttl), set
 * values read back, 0 and 256 are EINVAL, -1 restores the default; with
 * IP_RECVTTL the receiver gets the TTL of each datagram in a cmsg, so a
 * datagram sent with TTL 7 arrives saying 7. IP_TOS round trip.
 */
#include "inet.h"

static int geti(int fd, int opt)
{
	int v = -1;
	socklen_t len = sizeof(v);

	getsockopt(fd, IPPROTO_IP, opt, &v, &len);
	return v;
}

static int seti(int fd, int opt, int v)
{
	return setsockopt(fd, IPPROTO_IP, opt, &v, sizeof(v));
}

/* Receives one datagram; the TTL its cmsg says, or -1. */
static int recv_ttl(int fd)
{
	char buf[16], cb[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cb, .msg_controllen = sizeof(cb) };
	struct cmsghdr *c;
	int ttl = -1;

	if (recvmsg(fd, &m, 0) < 0)
		return -2;
	for (c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c))
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TTL && c->cmsg_len == CMSG_LEN(sizeof(int)))
			memcpy(&ttl, CMSG_DATA(c), sizeof(ttl));
	return ttl;
}

int main(void)
{
	struct sockaddr_in r;
	int rs, s, t, v;

	net_start();
	s = socket(AF_INET, SOCK_DGRAM, 0);
	check(geti(s, IP_TTL) == 64, "IP_TTL 64 by default", "%d", geti(s, IP_TTL));
	CHECK_OK(seti(s, IP_TTL, 7), "set IP_TTL 7");
	check(geti(s, IP_TTL) == 7, "reads back 7", "%d", geti(s, IP_TTL));
	CHECK_ERR(seti(s, IP_TTL, 0), EINVAL, "IP_TTL 0");
	CHECK_ERR(seti(s, IP_TTL, 256), EINVAL, "IP_TTL 256");
	CHECK_OK(seti(s, IP_TTL, 255), "IP_TTL 255");
	CHECK_OK(seti(s, IP_TTL, -1), "IP_TTL -1");
	check(geti(s, IP_TTL) == 64, "-1 restores the default", "%d", geti(s, IP_TTL));
	rs = bound4(SOCK_DGRAM, &r);
	CHECK_OK(seti(rs, IP_RECVTTL, 1), "IP_RECVTTL on the receiver");
	check(sendto(s, "d", 1, 0, SA(&r), sizeof(r)) == 1, "send with the default TTL", "%s", strerror(errno));
	t = recv_ttl(rs);
	check(t == 64, "arrives with TTL 64", "%d", t);
	seti(s, IP_TTL, 7);
	check(sendto(s, "d", 1, 0, SA(&r), sizeof(r)) == 1, "send with TTL 7", "%s", strerror(errno));
	t = recv_ttl(rs);
	check(t == 7, "arrives with TTL 7", "%d", t);
	seti(rs, IP_RECVTTL, 0);
	sendto(s, "d", 1, 0, SA(&r), sizeof(r));
	t = recv_ttl(rs);
	check(t == -1, "no cmsg once IP_RECVTTL is off", "%d", t);
	CHECK_OK(seti(s, IP_TOS, 0x10), "IP_TOS 0x10");
	v = geti(s, IP_TOS);
	check(v == 0x10, "IP_TOS reads back", "%#x", v);
	close(rs);
	close(s);
	s = socket(AF_INET, SOCK_STREAM, 0);
	check(geti(s, IP_TTL) == 64, "TCP: IP_TTL 64 too", "%d", geti(s, IP_TTL));
	close(s);
	return t_done();
}
