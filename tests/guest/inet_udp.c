/*
 * inet_udp.c - UDP over 127.0.0.1: sendto/recvfrom keep message
 * boundaries and report the sender, a zero-length datagram arrives as
 * one, datagrams from two senders queue in order, a short read drops
 * the rest of a datagram, MSG_DONTWAIT on empty is EAGAIN, send on an
 * unconnected socket without an address is EDESTADDRREQ, 65507 bytes
 * is the largest datagram, 65508 EMSGSIZE.
 */
#include "inet.h"

int main(void)
{
	static char big[65508], in[65536];
	struct sockaddr_in ra, sa1, sa2, from;
	socklen_t len;
	int r, s1, s2;
	ssize_t n;

	net_start();
	r = bound4(SOCK_DGRAM, &ra);
	s1 = bound4(SOCK_DGRAM, &sa1);
	s2 = bound4(SOCK_DGRAM, &sa2);
	check(r >= 0 && s1 >= 0 && s2 >= 0, "three bound UDP sockets", "%s", strerror(errno));
	check(sendto(s1, "first", 5, 0, SA(&ra), sizeof(ra)) == 5, "sendto 5", "%s", strerror(errno));
	check(sendto(s2, "second!", 7, 0, SA(&ra), sizeof(ra)) == 7, "sendto 7 from another", "%s", strerror(errno));
	check(sendto(s1, "", 0, 0, SA(&ra), sizeof(ra)) == 0, "sendto 0 bytes", "%s", strerror(errno));
	len = sizeof(from);
	n = recvfrom(r, in, sizeof(in), 0, SA(&from), &len);
	check(n == 5 && !memcmp(in, "first", 5), "first datagram", "%zd", n);
	check(len == sizeof(from) && from.sin_port == sa1.sin_port && from.sin_addr.s_addr == htonl(INADDR_LOOPBACK),
	      "from the first sender", "len %u", len);
	len = sizeof(from);
	n = recvfrom(r, in, 3, 0, SA(&from), &len);
	check(n == 3 && !memcmp(in, "sec", 3) && from.sin_port == sa2.sin_port, "second, read short",
	      "%zd", n);
	n = recvfrom(r, in, sizeof(in), 0, NULL, NULL);
	check(n == 0, "the empty datagram: the short read dropped the rest", "%zd", n);
	CHECK_ERR(recvfrom(r, in, sizeof(in), MSG_DONTWAIT, NULL, NULL), EAGAIN, "empty queue: EAGAIN");
	CHECK_ERR(send(s1, "x", 1, 0), EDESTADDRREQ, "send without an address");
	memset(big, 'u', sizeof(big));
	check(sendto(s1, big, 65507, 0, SA(&ra), sizeof(ra)) == 65507, "65507 bytes", "%s", strerror(errno));
	n = recv(r, in, sizeof(in), 0);
	check(n == 65507 && in[65506] == 'u', "arrives whole", "%zd", n);
	CHECK_ERR(sendto(s1, big, 65508, 0, SA(&ra), sizeof(ra)), EMSGSIZE, "65508 bytes: EMSGSIZE");
	CHECK_ERR(sendto(s1, "x", 1, 0, SA(&ra), 4), EINVAL, "sendto addrlen 4");
	CHECK_ERR(sendto(s1, "x", 1, 0, (struct sockaddr *)8, sizeof(ra)), EFAULT, "sendto bad address");
	CHECK_ERR(sendto(s1, (void *)8, 1, 0, SA(&ra), sizeof(ra)), EFAULT, "sendto bad buffer");
	close(r);
	close(s1);
	close(s2);
	return t_done();
}
