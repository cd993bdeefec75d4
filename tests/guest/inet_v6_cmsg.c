/*
 * inet_v6_cmsg.c - IPv6 UDP with control messages: IPV6_RECVPKTINFO
 * (the destination ::1 and lo's index), IPV6_RECVHOPLIMIT (the socket's
 * IPV6_UNICAST_HOPS, or a per-datagram IPV6_HOPLIMIT), IPV6_RECVTCLASS
 * (IPV6_TCLASS), an IPV6_PKTINFO source on send, and the EINVALs of a
 * bad hop limit in a cmsg or an option.
 */
#include "inet.h"
#include <net/if.h>

struct got {
	int pktinfo, hops, tclass;
	struct in6_pktinfo pi;
	int hl, tc;
};

static ssize_t recv_cmsgs(int fd, char *buf, size_t n, struct got *g)
{
	char cb[256];
	struct iovec iov = { buf, n };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cb, .msg_controllen = sizeof(cb) };
	struct cmsghdr *c;
	ssize_t r = recvmsg(fd, &m, 0);

	memset(g, 0, sizeof(*g));
	for (c = CMSG_FIRSTHDR(&m); r >= 0 && c; c = CMSG_NXTHDR(&m, c)) {
		if (c->cmsg_level != IPPROTO_IPV6)
			continue;
		if (c->cmsg_type == IPV6_PKTINFO) {
			g->pktinfo++;
			memcpy(&g->pi, CMSG_DATA(c), sizeof(g->pi));
		} else if (c->cmsg_type == IPV6_HOPLIMIT) {
			g->hops++;
			memcpy(&g->hl, CMSG_DATA(c), sizeof(int));
		} else if (c->cmsg_type == IPV6_TCLASS) {
			g->tclass++;
			memcpy(&g->tc, CMSG_DATA(c), sizeof(int));
		}
	}
	return r;
}

static ssize_t send_cmsg(int fd, const struct sockaddr_in6 *to, int type, const void *v, size_t vlen)
{
	char cb[CMSG_SPACE(sizeof(struct in6_pktinfo))];
	struct iovec iov = { "cm", 2 };
	struct msghdr m = { .msg_name = (void *)to, .msg_namelen = sizeof(*to), .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = cb, .msg_controllen = CMSG_SPACE(vlen) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);

	memset(cb, 0, sizeof(cb));
	c->cmsg_level = IPPROTO_IPV6;
	c->cmsg_type = type;
	c->cmsg_len = CMSG_LEN(vlen);
	memcpy(CMSG_DATA(c), v, vlen);
	return sendmsg(fd, &m, 0);
}

int main(void)
{
	struct sockaddr_in6 a = lo6(0), b = lo6(0);
	struct got g;
	char buf[16];
	int x, y, on = 1, v;
	ssize_t n;
	unsigned lo;
	struct in6_pktinfo pi;

	net_start();
	if (!have_ipv6())
		return t_done();
	lo = if_nametoindex("lo");
	x = bound6(SOCK_DGRAM, &a);
	y = bound6(SOCK_DGRAM, &b);
	CHECK_OK(setsockopt(y, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on, sizeof(on)), "IPV6_RECVPKTINFO");
	CHECK_OK(setsockopt(y, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &on, sizeof(on)), "IPV6_RECVHOPLIMIT");
	CHECK_OK(setsockopt(y, IPPROTO_IPV6, IPV6_RECVTCLASS, &on, sizeof(on)), "IPV6_RECVTCLASS");
	sendto(x, "one", 3, 0, SA(&b), sizeof(b));
	n = recv_cmsgs(y, buf, sizeof(buf), &g);
	check(n == 3 && g.pktinfo == 1 && g.hops == 1 && g.tclass == 1,
	      "one of each cmsg", "%d %d %d", g.pktinfo, g.hops, g.tclass);
	check(IN6_IS_ADDR_LOOPBACK(&g.pi.ipi6_addr) && g.pi.ipi6_ifindex == (int)lo, "IPV6_PKTINFO: ::1 on lo",
	      "ifindex %d", g.pi.ipi6_ifindex);
	check(g.hl == 64 && g.tc == 0, "hop limit 64, traffic class 0", "%d %d", g.hl, g.tc);

	v = 7;
	setsockopt(x, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &v, sizeof(v));
	v = 0x28;
	CHECK_OK(setsockopt(x, IPPROTO_IPV6, IPV6_TCLASS, &v, sizeof(v)), "IPV6_TCLASS 0x28");
	sendto(x, "two", 3, 0, SA(&b), sizeof(b));
	n = recv_cmsgs(y, buf, sizeof(buf), &g);
	check(n == 3 && g.hl == 7 && g.tc == 0x28,
	      "the socket's hop limit and class arrive", "%d %d", g.hl, g.tc);

	v = 3;
	check(send_cmsg(x, &b, IPV6_HOPLIMIT, &v, sizeof(v)) == 2, "sendmsg with IPV6_HOPLIMIT 3", "%s", strerror(errno));
	n = recv_cmsgs(y, buf, sizeof(buf), &g);
	check(n == 2 && g.hl == 3, "it wins over the option", "%d", g.hl);
	memset(&pi, 0, sizeof(pi));
	pi.ipi6_addr = in6addr_loopback;
	check(send_cmsg(x, &b, IPV6_PKTINFO, &pi, sizeof(pi)) == 2, "sendmsg with IPV6_PKTINFO ::1", "%s", strerror(errno));
	n = recv_cmsgs(y, buf, sizeof(buf), &g);
	check(n == 2 && IN6_IS_ADDR_LOOPBACK(&g.pi.ipi6_addr), "arrives", "%d", g.pktinfo);
	v = 256;
	CHECK_ERR(send_cmsg(x, &b, IPV6_HOPLIMIT, &v, sizeof(v)), EINVAL, "IPV6_HOPLIMIT 256 in a cmsg: EINVAL");
	CHECK_ERR(setsockopt(x, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &v, sizeof(v)), EINVAL, "IPV6_UNICAST_HOPS 256: EINVAL");
	v = -2;
	CHECK_ERR(setsockopt(x, IPPROTO_IPV6, IPV6_TCLASS, &v, sizeof(v)), EINVAL, "IPV6_TCLASS -2: EINVAL");
	v = -1;
	CHECK_OK(setsockopt(x, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &v, sizeof(v)), "IPV6_UNICAST_HOPS -1: the default");
	socklen_t len = sizeof(v);
	getsockopt(x, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &v, &len);
	check(v == 64, "reads 64 again", "%d", v);
	on = 0;
	setsockopt(y, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on, sizeof(on));
	setsockopt(y, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &on, sizeof(on));
	setsockopt(y, IPPROTO_IPV6, IPV6_RECVTCLASS, &on, sizeof(on));
	sendto(x, "off", 3, 0, SA(&b), sizeof(b));
	n = recv_cmsgs(y, buf, sizeof(buf), &g);
	check(n == 3 && g.pktinfo + g.hops + g.tclass == 0, "turned off: none",
	      "%d", g.pktinfo + g.hops + g.tclass);
	close(x);
	close(y);
	return t_done();
}
