/*
 * inet_udp_trunc.c - MSG_TRUNC on UDP: recv with MSG_TRUNC returns the
 * datagram's real length even into a short buffer, recvmsg sets
 * MSG_TRUNC in msg_flags when it cut a datagram, MSG_PEEK|MSG_TRUNC
 * with no buffer learns the size of the next datagram without taking
 * it; FIONREAD gives the size of the next datagram.
 */
#include "inet.h"
#include <sys/ioctl.h>

int main(void)
{
	struct sockaddr_in r;
	struct msghdr m;
	struct iovec iov;
	char buf[8], big[100];
	int rs, s, q;
	ssize_t n;

	net_start();
	rs = bound4(SOCK_DGRAM, &r);
	s = socket(AF_INET, SOCK_DGRAM, 0);
	connect(s, SA(&r), sizeof(r));
	memset(big, 'm', sizeof(big));
	check(send(s, big, 100, 0) == 100 && send(s, big, 40, 0) == 40 && send(s, big, 8, 0) == 8 &&
	      send(s, big, 3, 0) == 3, "four datagrams: 100, 40, 8, 3", "%s", strerror(errno));
	wait_ev(rs, POLLIN, 5000);
	q = -1;
	CHECK_OK(ioctl(rs, FIONREAD, &q), "FIONREAD");
	check(q == 100, "FIONREAD is the next datagram's size", "%d", q);
	n = recv(rs, NULL, 0, MSG_PEEK | MSG_TRUNC);
	check(n == 100, "MSG_PEEK|MSG_TRUNC: 100", "%zd", n);
	n = recv(rs, buf, sizeof(buf), MSG_TRUNC);
	check(n == 100 && buf[7] == 'm', "MSG_TRUNC into 8 bytes: 100", "%zd", n);
	memset(&m, 0, sizeof(m));
	iov.iov_base = buf;
	iov.iov_len = sizeof(buf);
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	n = recvmsg(rs, &m, 0);
	check(n == 8 && (m.msg_flags & MSG_TRUNC), "recvmsg cuts 40 to 8 and says MSG_TRUNC", "%zd flags %#x", n,
	      m.msg_flags);
	m.msg_flags = 0;
	n = recvmsg(rs, &m, 0);
	check(n == 8 && !(m.msg_flags & MSG_TRUNC), "an 8-byte datagram fits: no MSG_TRUNC", "%zd flags %#x", n,
	      m.msg_flags);
	n = recvmsg(rs, &m, MSG_TRUNC);
	check(n == 3 && !(m.msg_flags & MSG_TRUNC), "3 bytes with MSG_TRUNC: 3", "%zd flags %#x", n, m.msg_flags);
	q = -1;
	ioctl(rs, FIONREAD, &q);
	check(q == 0, "FIONREAD 0 when empty", "%d", q);
	close(s);
	close(rs);
	return t_done();
}
