/*
 * inet_udp_overflow.c - a UDP receiver that does not keep up: with a
 * small SO_RCVBUF, a burst of 2000 datagrams overflows it; the sends all
 * succeed, some datagrams are dropped, every one that arrives is whole
 * and in order, and SO_RXQ_OVFL counts the drops (on a datagram queued after them).
 */
#include "inet.h"

#ifndef SO_RXQ_OVFL
#define SO_RXQ_OVFL 40
#endif

int main(void)
{
	struct sockaddr_in r;
	char buf[1200], cb[CMSG_SPACE(sizeof(uint32_t))];
	int rs, s, sent = 0, got = 0, order = 1, whole = 1, last = -1, small = 4096, on = 1;
	uint32_t dropped = 0;

	net_start();
	rs = bound4(SOCK_DGRAM, &r);
	CHECK_OK(setsockopt(rs, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small)), "small SO_RCVBUF");
	CHECK_OK(setsockopt(rs, SOL_SOCKET, SO_RXQ_OVFL, &on, sizeof(on)), "SO_RXQ_OVFL on");
	s = socket(AF_INET, SOCK_DGRAM, 0);
	connect(s, SA(&r), sizeof(r));
	for (int i = 0; i < 2000; i++) {
		memset(buf, 'a' + i % 26, 1000);
		memcpy(buf, &i, sizeof(i));
		sent += send(s, buf, 1000, 0) == 1000;
	}
	check(sent == 2000, "2000 sends succeed", "%d", sent);
	for (;;) {
		struct iovec iov = { buf, sizeof(buf) };
		struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cb, .msg_controllen = sizeof(cb) };
		struct cmsghdr *c;
		ssize_t n = recvmsg(rs, &m, MSG_DONTWAIT);
		int k;

		if (n < 0)
			break;
		got++;
		memcpy(&k, buf, sizeof(k));
		whole &= n == 1000 && buf[999] == 'a' + k % 26;
		order &= k > last;
		last = k;
		for (c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c))
			if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_RXQ_OVFL)
				memcpy(&dropped, CMSG_DATA(c), sizeof(dropped));
	}
	/* The drop count rides on datagrams queued after the drops. */
	{
		struct iovec iov = { buf, sizeof(buf) };
		struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cb, .msg_controllen = sizeof(cb) };
		struct cmsghdr *c;

		send(s, "late", 4, 0);
		if (recvmsg(rs, &m, 0) == 4)
			for (c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c))
				if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_RXQ_OVFL)
					memcpy(&dropped, CMSG_DATA(c), sizeof(dropped));
	}
	check(got > 0 && got < 2000, "some arrive, some are dropped", "%d arrived", got);
	check(whole, "each one whole", "a cut datagram");
	check(order, "in order", "reordered");
	check(dropped > 0 && dropped + (uint32_t)got <= 2000, "SO_RXQ_OVFL counts drops", "%u dropped, %d got",
	      dropped, got);
	close(s);
	close(rs);
	return t_done();
}
