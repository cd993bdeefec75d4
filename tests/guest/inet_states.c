/*
 * inet_states.c - calls in the wrong TCP state: ENOTCONN for recv
 * before a connection and on a listener, EPIPE for send; EISCONN for
 * connect on a connected socket or a listener; sendto with an address
 * on a connected socket ignores the address, as Linux; EALREADY while a
 * connect is in progress; EINVAL for bind or listen on a connected
 * socket; the states TCP_INFO reports along the way.
 */
#include "inet.h"

int main(void)
{
	struct sockaddr_in a, b, other;
	char buf[4];
	int fd, l, c, s, l0, st, x, y;

	net_start();
	fd = socket(AF_INET, SOCK_STREAM, 0);
	st = tcp_state(fd);
	check(st == TCP_CLOSE, "new socket is CLOSE", "%d", st);
	CHECK_ERR(recv(fd, buf, 1, 0), ENOTCONN, "recv before connecting");
	CHECK_ERR(read(fd, buf, 1), ENOTCONN, "read before connecting");
	CHECK_ERR(send(fd, "x", 1, MSG_NOSIGNAL), EPIPE, "send before connecting");
	l = listener4(&a, 4);
	CHECK_ERR(connect(l, SA(&a), sizeof(a)), EISCONN, "connect on a listener");
	CHECK_ERR(recv(l, buf, 1, 0), ENOTCONN, "recv on a listener");
	c = connect4(&a);
	s = accept(l, NULL, NULL);
	CHECK_ERR(connect(c, SA(&a), sizeof(a)), EISCONN, "connect when connected");
	other = lo4(9);
	check(sendto(c, "x", 1, 0, SA(&other), sizeof(other)) == 1, "sendto on connected TCP ignores the address",
	      "%s", strerror(errno));
	check(read(s, buf, 1) == 1, "the byte goes to the peer", "no");
	b = lo4(0);
	CHECK_ERR(bind(c, SA(&b), sizeof(b)), EINVAL, "bind a connected socket");
	CHECK_ERR(listen(c, 1), EINVAL, "listen on a connected socket");
	st = tcp_state(c);
	check(st == TCP_ESTABLISHED, "connected socket is ESTABLISHED", "%d", st);
	shutdown(c, SHUT_WR);
	wait_ev(s, POLLIN, 5000);
	x = tcp_state(c);
	y = tcp_state(s);
	check((x == TCP_FIN_WAIT1 || x == TCP_FIN_WAIT2) && y == TCP_CLOSE_WAIT,
	      "after SHUT_WR: FIN_WAIT1/2 and CLOSE_WAIT", "%d %d", x, y);
	close(s);
	wait_ev(c, POLLIN, 5000);
	x = tcp_state(c);
	check(x == TCP_TIME_WAIT || x == TCP_CLOSE, "then the active closer leaves FIN_WAIT2", "%d", x);
	close(c);

	/* A connection in progress: a listener whose queue is full (backlog 0 holds one). */
	l0 = listener4(&b, 0);
	c = connect4(&b);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	CHECK_ERR(connect(fd, SA(&b), sizeof(b)), EINPROGRESS, "connect to a full queue: EINPROGRESS");
	CHECK_ERR(connect(fd, SA(&b), sizeof(b)), EALREADY, "again: EALREADY");
	CHECK_ERR(connect(fd, SA(&a), sizeof(a)), EALREADY, "elsewhere: EALREADY");
	st = tcp_state(fd);
	check(st == TCP_SYN_SENT, "SYN_SENT", "%d", st);
	CHECK_ERR(recv(fd, buf, 1, 0), EAGAIN, "recv while connecting: EAGAIN");
	close(fd);
	close(c);
	close(l0);
	close(l);
	return t_done();
}
