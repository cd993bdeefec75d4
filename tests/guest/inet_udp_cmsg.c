/*
 * inet_udp_cmsg.c - control messages on UDP sends (ip(7)): an IP_TTL or
 * IP_TOS cmsg sets that one datagram's TTL or TOS (the receiver's
 * IP_RECVTTL/IP_RECVTOS show it; the next plain send has the socket's
 * own again); IP_TTL 0 or 256 and an IP_TTL of the wrong size are
 * EINVAL, an IPPROTO_IP cmsg type sendmsg does not know is EINVAL; the
 * receiver gets every control message it asked for, in Linux's order
 * (IP_TTL before IP_TOS), and MSG_CTRUNC when its buffer holds only the
 * first.
 */
#include "inet.h"

/* Sends one byte to dst with one IPPROTO_IP cmsg of type (len bytes of val). */
static ssize_t send_cmsg(int fd, const struct sockaddr_in *dst, int type, const void *val, size_t len)
{
	char b = 'c';
	union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } cb;
	struct iovec iov = { &b, 1 };
	struct msghdr m = { .msg_name = (void *)dst, .msg_namelen = sizeof(*dst), .msg_iov = &iov,
			    .msg_iovlen = 1, .msg_control = cb.buf, .msg_controllen = CMSG_SPACE(len) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);

	memset(&cb, 0, sizeof(cb));
	c->cmsg_level = IPPROTO_IP;
	c->cmsg_type = type;
	c->cmsg_len = CMSG_LEN(len);
	memcpy(CMSG_DATA(c), val, len);
	return sendmsg(fd, &m, 0);
}

struct got {
	int ttl, tos, n, first, flags;	/* -1: none; n cmsgs, the first one's type */
};

static struct got recv_cmsgs(int fd, size_t room)
{
	char buf[16], cb[256];
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cb, .msg_controllen = room };
	struct cmsghdr *c;
	struct got g = { -1, -1, 0, -1, 0 };

	if (recvmsg(fd, &m, 0) < 0)
		return g;
	g.flags = m.msg_flags;
	for (c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
		if (g.n++ == 0)
			g.first = c->cmsg_type;
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TTL && c->cmsg_len == CMSG_LEN(sizeof(int)))
			memcpy(&g.ttl, CMSG_DATA(c), sizeof(int));
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TOS && c->cmsg_len == CMSG_LEN(1))
			g.tos = *(unsigned char *)CMSG_DATA(c);
	}
	return g;
}

int main(void)
{
	struct sockaddr_in r;
	int rs, s, on = 1, v;
	unsigned char tosb = 0x20;
	struct got g;

	net_start();
	rs = bound4(SOCK_DGRAM, &r);
	s = socket(AF_INET, SOCK_DGRAM, 0);
	CHECK_OK(setsockopt(rs, IPPROTO_IP, IP_RECVTTL, &on, sizeof(on)), "IP_RECVTTL on");
	CHECK_OK(setsockopt(rs, IPPROTO_IP, IP_RECVTOS, &on, sizeof(on)), "IP_RECVTOS on");

	v = 9;
	check(send_cmsg(s, &r, IP_TTL, &v, sizeof(v)) == 1, "sendmsg with an IP_TTL 9 cmsg", "%s", strerror(errno));
	g = recv_cmsgs(rs, 256);
	check(g.ttl == 9, "arrives with TTL 9", "%d", g.ttl);
	check(g.n == 2 && g.first == IP_TTL && g.tos == 0, "IP_TTL then IP_TOS (0), nothing else",
	      "%d cmsgs, first %d, tos %d", g.n, g.first, g.tos);
	check(sendto(s, "p", 1, 0, SA(&r), sizeof(r)) == 1, "a plain send", "%s", strerror(errno));
	g = recv_cmsgs(rs, 256);
	check(g.ttl == 64, "the socket's TTL again (64)", "%d", g.ttl);

	v = 0x10;
	check(send_cmsg(s, &r, IP_TOS, &v, sizeof(v)) == 1, "sendmsg with an IP_TOS 0x10 cmsg (an int)", "%s",
	      strerror(errno));
	g = recv_cmsgs(rs, 256);
	check(g.tos == 0x10 && g.ttl == 64, "arrives with TOS 0x10, TTL 64", "tos %#x ttl %d", g.tos, g.ttl);
	check(send_cmsg(s, &r, IP_TOS, &tosb, 1) == 1, "IP_TOS as one byte (0x20)", "%s", strerror(errno));
	g = recv_cmsgs(rs, 256);
	check(g.tos == 0x20, "arrives with TOS 0x20", "%#x", g.tos);

	check(send_cmsg(s, &r, IP_TTL, &v, sizeof(v)) == 1, "TTL 16", "%s", strerror(errno));
	g = recv_cmsgs(rs, CMSG_SPACE(sizeof(int)));
	check(g.n == 1 && g.ttl == 16 && (g.flags & MSG_CTRUNC), "room for one cmsg: IP_TTL, then MSG_CTRUNC",
	      "%d cmsgs, ttl %d, flags %#x", g.n, g.ttl, g.flags);

	v = 0;
	CHECK_ERR(send_cmsg(s, &r, IP_TTL, &v, sizeof(v)), EINVAL, "IP_TTL cmsg 0");
	v = 256;
	CHECK_ERR(send_cmsg(s, &r, IP_TTL, &v, sizeof(v)), EINVAL, "IP_TTL cmsg 256");
	CHECK_ERR(send_cmsg(s, &r, IP_TTL, &tosb, 1), EINVAL, "IP_TTL cmsg of one byte");
	v = 1;
	CHECK_ERR(send_cmsg(s, &r, IP_RECVTTL, &v, sizeof(v)), EINVAL, "an IPPROTO_IP cmsg sendmsg does not take");
	check(sendto(s, "q", 1, 0, SA(&r), sizeof(r)) == 1, "sends still work", "%s", strerror(errno));
	g = recv_cmsgs(rs, 256);
	check(g.ttl == 64, "it arrives", "ttl %d", g.ttl);
	CHECK_ERR(recv(rs, &v, sizeof(v), MSG_DONTWAIT), EAGAIN, "nothing else: the refused sends sent nothing");
	close(s);
	close(rs);
	return t_done();
}
