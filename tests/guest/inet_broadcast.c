/*
 * inet_broadcast.c - SO_BROADCAST: off by default; a datagram to a
 * broadcast address (255.255.255.255, or the loopback net's
 * 127.255.255.255) is EACCES without it; with it the send is allowed.
 */
#include "inet.h"

int main(void)
{
	struct sockaddr_in b = lo4(9);
	int s, v = -1, on = 1;
	socklen_t len = sizeof(v);

	net_start();
	s = socket(AF_INET, SOCK_DGRAM, 0);
	CHECK_OK(getsockopt(s, SOL_SOCKET, SO_BROADCAST, &v, &len), "get SO_BROADCAST");
	check(v == 0, "off by default", "%d", v);
	b.sin_addr.s_addr = htonl(INADDR_BROADCAST);
	CHECK_ERR(sendto(s, "b", 1, 0, SA(&b), sizeof(b)), EACCES, "to 255.255.255.255 without it: EACCES");
	b.sin_addr.s_addr = inet_addr("127.255.255.255");
	CHECK_ERR(sendto(s, "b", 1, 0, SA(&b), sizeof(b)), EACCES, "to 127.255.255.255 without it: EACCES");
	CHECK_OK(setsockopt(s, SOL_SOCKET, SO_BROADCAST, &on, sizeof(on)), "set SO_BROADCAST");
	len = sizeof(v);
	getsockopt(s, SOL_SOCKET, SO_BROADCAST, &v, &len);
	check(v == 1, "reads back 1", "%d", v);
	check(sendto(s, "b", 1, 0, SA(&b), sizeof(b)) == 1, "to 127.255.255.255 with it", "%s", strerror(errno));
	close(s);
	s = socket(AF_INET, SOCK_DGRAM, 0);
	CHECK_ERR(connect(s, SA(&b), sizeof(b)), EACCES, "connect to a broadcast address without it: EACCES");
	close(s);
	return t_done();
}
