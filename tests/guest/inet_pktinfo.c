/*
 * inet_pktinfo.c - IP_PKTINFO on UDP: a socket bound to INADDR_ANY
 * learns, per datagram, the destination address (127.0.0.1 or
 * 127.0.0.5) and the interface (lo: index 1); sending with an
 * IP_PKTINFO cmsg picks the source address.
 */
#include "inet.h"

static int recv_info(int fd, struct in_pktinfo *pi, struct sockaddr_in *from)
{
	char buf[16], cb[CMSG_SPACE(sizeof(*pi))];
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr m = { .msg_name = from, .msg_namelen = sizeof(*from), .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = cb, .msg_controllen = sizeof(cb) };
	struct cmsghdr *c;

	if (recvmsg(fd, &m, 0) < 0)
		return -1;
	for (c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c))
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
			memcpy(pi, CMSG_DATA(c), sizeof(*pi));
			return 0;
		}
	return -2;
}

int main(void)
{
	struct sockaddr_in any = lo4(0), to, from;
	struct in_pktinfo pi;
	socklen_t len = sizeof(any);
	char cb[CMSG_SPACE(sizeof(pi))];
	int r, s, on = 1;

	net_start();
	r = socket(AF_INET, SOCK_DGRAM, 0);
	any.sin_addr.s_addr = htonl(INADDR_ANY);
	CHECK_OK(bind(r, SA(&any), sizeof(any)), "bind INADDR_ANY");
	getsockname(r, SA(&any), &len);
	CHECK_OK(setsockopt(r, IPPROTO_IP, IP_PKTINFO, &on, sizeof(on)), "IP_PKTINFO on");
	s = socket(AF_INET, SOCK_DGRAM, 0);
	to = lo4(ntohs(any.sin_port));
	sendto(s, "a", 1, 0, SA(&to), sizeof(to));
	check(recv_info(r, &pi, &from) == 0, "a cmsg with the datagram", "none");
	check(pi.ipi_addr.s_addr == htonl(INADDR_LOOPBACK) && pi.ipi_ifindex == 1,
	      "to 127.0.0.1 on interface 1 (lo)", "%x if %d", pi.ipi_addr.s_addr, pi.ipi_ifindex);
	to.sin_addr.s_addr = inet_addr("127.0.0.5");
	sendto(s, "b", 1, 0, SA(&to), sizeof(to));
	check(recv_info(r, &pi, &from) == 0 && pi.ipi_addr.s_addr == inet_addr("127.0.0.5"),
	      "to 127.0.0.5", "%x", pi.ipi_addr.s_addr);
	check(from.sin_addr.s_addr == inet_addr("127.0.0.5") || from.sin_addr.s_addr == htonl(INADDR_LOOPBACK),
	      "from a loopback source", "%x", from.sin_addr.s_addr);

	/* Choose the source with a cmsg. */
	struct iovec iov = { "c", 1 };
	struct msghdr m = { .msg_name = &to, .msg_namelen = sizeof(to), .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = cb, .msg_controllen = sizeof(cb) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);

	c->cmsg_level = IPPROTO_IP;
	c->cmsg_type = IP_PKTINFO;
	c->cmsg_len = CMSG_LEN(sizeof(pi));
	memset(&pi, 0, sizeof(pi));
	pi.ipi_spec_dst.s_addr = inet_addr("127.0.0.9");
	memcpy(CMSG_DATA(c), &pi, sizeof(pi));
	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	check(sendmsg(s, &m, 0) == 1, "sendmsg with IP_PKTINFO source 127.0.0.9", "%s", strerror(errno));
	check(recv_info(r, &pi, &from) == 0 && from.sin_addr.s_addr == inet_addr("127.0.0.9"),
	      "the receiver sees source 127.0.0.9", "%x", from.sin_addr.s_addr);
	close(r);
	close(s);
	return t_done();
}
