/*
 * inet_backlog.c - the listen backlog: with listen(fd, 1) Linux queues
 * backlog+1 connections; the next client's SYN is dropped, so it stays
 * in SYN_SENT (EALREADY on a second connect) until accept makes room and
 * its SYN is retransmitted.  Accepted connections come out in order.
 */
#include "inet.h"

int main(void)
{
	struct sockaddr_in a, name, peer;
	socklen_t len;
	int l, c[3], s, st, ev;

	net_start();
	l = listener4(&a, 1);
	c[0] = connect4(&a);
	c[1] = connect4(&a);
	check(c[0] >= 0 && c[1] >= 0, "two connections fit a backlog of 1", "%s", strerror(errno));
	c[2] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	CHECK_ERR(connect(c[2], SA(&a), sizeof(a)), EINPROGRESS, "third connect in progress");
	st = tcp_state(c[2]);
	check(st == TCP_SYN_SENT, "third stays in SYN_SENT", "state %d", st);
	CHECK_ERR(connect(c[2], SA(&a), sizeof(a)), EALREADY, "connect again: EALREADY");
	for (int i = 0; i < 2; i++) {
		len = sizeof(peer);
		s = accept(l, SA(&peer), &len);
		len = sizeof(name);
		getsockname(c[i], SA(&name), &len);
		check(s >= 0 && peer.sin_port == name.sin_port, i ? "second accepted in order" : "first accepted in order",
		      "%s", strerror(errno));
		close(s);
	}
	ev = wait_ev(c[2], POLLOUT, 20000);
	check(ev == POLLOUT, "the third connects once there is room", "revents %#x", ev);
	s = accept(l, NULL, NULL);
	check(s >= 0, "and is accepted", "%s", strerror(errno));
	st = tcp_state(s);
	check(st == TCP_ESTABLISHED, "ESTABLISHED", "state %d", st);
	st = tcp_state(l);
	check(st == TCP_LISTEN, "the listener is in LISTEN", "state %d", st);
	CHECK_OK(listen(l, 16), "listen again changes the backlog");
	CHECK_ERR(listen(c[0], 1), EINVAL, "listen on a connected socket");
	for (int i = 0; i < 3; i++)
		close(c[i]);
	close(s);
	close(l);
	return t_done();
}
