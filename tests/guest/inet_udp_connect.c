/*
 * inet_udp_connect.c - connected UDP: send and write without an
 * address, getpeername, only the peer's datagrams are received (others
 * are dropped), sendto another address still works, connect with
 * AF_UNSPEC dissolves the association (ENOTCONN again; a port that
 * bind picked is given up too), reconnecting
 * elsewhere is allowed.
 */
#include "inet.h"

int main(void)
{
	struct sockaddr_in a, b, o, peer, unspec;
	socklen_t len;
	char buf[16];
	int sa, sb, so;
	ssize_t n;

	net_start();
	sa = bound4(SOCK_DGRAM, &a);
	sb = bound4(SOCK_DGRAM, &b);
	so = bound4(SOCK_DGRAM, &o);
	CHECK_OK(connect(sa, SA(&b), sizeof(b)), "connect UDP a to b");
	len = sizeof(peer);
	CHECK_OK(getpeername(sa, SA(&peer), &len), "getpeername");
	check(peer.sin_port == b.sin_port, "peer is b", "differs");
	check(send(sa, "hello", 5, 0) == 5, "send without an address", "%s", strerror(errno));
	check(write(sa, "again", 5) == 5, "write", "%s", strerror(errno));
	len = sizeof(peer);
	n = recvfrom(sb, buf, sizeof(buf), 0, SA(&peer), &len);
	check(n == 5 && !memcmp(buf, "hello", 5) && peer.sin_port == a.sin_port, "b gets it from a", "%zd", n);
	n = recv(sb, buf, sizeof(buf), 0);
	check(n == 5 && !memcmp(buf, "again", 5), "and the write", "%zd", n);
	check(sendto(so, "stranger", 8, 0, SA(&a), sizeof(a)) == 8, "another socket sends to a", "%s",
	      strerror(errno));
	check(sendto(sb, "fromb", 5, 0, SA(&a), sizeof(a)) == 5, "b sends to a", "%s", strerror(errno));
	n = recv(sa, buf, sizeof(buf), 0);
	check(n == 5 && !memcmp(buf, "fromb", 5), "a receives only b's", "%zd", n);
	CHECK_ERR(recv(sa, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN, "the stranger's was dropped");
	check(sendto(sa, "other", 5, 0, SA(&o), sizeof(o)) == 5, "sendto another address while connected",
	      "%s", strerror(errno));
	n = recv(so, buf, sizeof(buf), 0);
	check(n == 5, "it arrives", "%zd", n);
	memset(&unspec, 0, sizeof(unspec));
	unspec.sin_family = AF_UNSPEC;
	CHECK_OK(connect(sa, SA(&unspec), sizeof(unspec)), "connect AF_UNSPEC");
	len = sizeof(peer);
	CHECK_ERR(getpeername(sa, SA(&peer), &len), ENOTCONN, "no peer any more");
	len = sizeof(a);
	getsockname(sa, SA(&a), &len);
	check(a.sin_port == 0, "the port bind(0) picked is released, as Linux", "port kept");
	CHECK_ERR(send(sa, "x", 1, 0), EDESTADDRREQ, "send without an address again");
	check(sendto(sa, "re", 2, 0, SA(&o), sizeof(o)) == 2 && recv(so, buf, sizeof(buf), 0) == 2,
	      "sendto picks a new one", "%s", strerror(errno));
	len = sizeof(a);
	getsockname(sa, SA(&a), &len);
	check(sendto(so, "now", 3, 0, SA(&a), sizeof(a)) == 3 && recv(sa, buf, sizeof(buf), 0) == 3,
	      "anyone may send to a again", "%s", strerror(errno));
	CHECK_OK(connect(sa, SA(&o), sizeof(o)), "connect elsewhere");
	check(send(sa, "z", 1, 0) == 1 && recv(so, buf, sizeof(buf), 0) == 1, "sends go there", "%s", strerror(errno));
	close(sa);
	close(sb);
	close(so);
	return t_done();
}
