/*
 * inet_udp_refused.c - ICMP port unreachable on UDP: a connected socket
 * sending to a port nobody has gets ECONNREFUSED on its next call (recv
 * or send), reported once (SO_ERROR then 0); poll shows POLLERR; an
 * unconnected socket's sendto to such a port reports nothing.
 */
#include "inet.h"

int main(void)
{
	struct sockaddr_in a, closed;
	char buf[8];
	int fd, u, e, ev;
	socklen_t len;

	net_start();
	u = bound4(SOCK_DGRAM, &closed);
	close(u);		/* a port that was just free: nobody listens there */
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	CHECK_OK(connect(fd, SA(&closed), sizeof(closed)), "connect UDP to the closed port");
	check(send(fd, "knock", 5, 0) == 5, "the send itself succeeds", "%s", strerror(errno));
	ev = wait_ev(fd, POLLIN, 5000);
	check(ev & POLLERR, "POLLERR once the ICMP error came back", "revents %#x", ev);
	CHECK_ERR(recv(fd, buf, sizeof(buf), 0), ECONNREFUSED, "recv: ECONNREFUSED");
	CHECK_ERR(recv(fd, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN, "reported once");
	check(send(fd, "knock", 5, 0) == 5, "send again", "%s", strerror(errno));
	wait_ev(fd, POLLIN, 5000);
	CHECK_ERR(send(fd, "knock", 5, 0), ECONNREFUSED, "the next send: ECONNREFUSED");
	check(send(fd, "knock", 5, 0) == 5, "send again", "%s", strerror(errno));
	wait_ev(fd, POLLIN, 5000);
	len = sizeof(e);
	e = -1;
	CHECK_OK(getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &len), "getsockopt SO_ERROR");
	check(e == ECONNREFUSED, "SO_ERROR ECONNREFUSED", "%d", e);
	len = sizeof(e);
	getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &len);
	check(e == 0, "then 0", "%d", e);
	close(fd);
	fd = bound4(SOCK_DGRAM, &a);
	check(sendto(fd, "knock", 5, 0, SA(&closed), sizeof(closed)) == 5, "unconnected sendto", "%s",
	      strerror(errno));
	check(sendto(fd, "knock", 5, 0, SA(&closed), sizeof(closed)) == 5, "no error reported to it", "%s",
	      strerror(errno));
	CHECK_ERR(recv(fd, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN, "recv: EAGAIN, no error");
	close(fd);
	return t_done();
}
