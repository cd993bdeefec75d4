/*
 * inet_reuseaddr.c - TIME_WAIT and SO_REUSEADDR: the side that closes
 * first keeps its port in TIME_WAIT, so binding that port again fails
 * with EADDRINUSE, while a socket with SO_REUSEADDR may bind and listen
 * there (the TIME_WAIT socket must have had it too, as Linux checks
 * both), and accept new connections.
 */
#include "inet.h"

int main(void)
{
	struct sockaddr_in a;
	char c1;
	int l, c, s, fd, on = 1, v;
	socklen_t len = sizeof(v);

	net_start();
	l = socket(AF_INET, SOCK_STREAM, 0);
	CHECK_OK(setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)), "the server sets SO_REUSEADDR");
	a = lo4(0);
	CHECK_OK(bind(l, SA(&a), sizeof(a)), "bind");
	len = sizeof(a);
	getsockname(l, SA(&a), &len);
	CHECK_OK(listen(l, 4), "listen");
	c = connect4(&a);
	s = accept(l, NULL, NULL);
	check(c >= 0 && s >= 0, "connected", "%s", strerror(errno));
	close(l);
	close(s);			/* the server closes first: its port goes to TIME_WAIT */
	check(read(c, &c1, 1) == 0, "client sees EOF", "no EOF");
	close(c);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	len = sizeof(v);
	CHECK_OK(getsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &v, &len), "getsockopt SO_REUSEADDR");
	check(v == 0, "SO_REUSEADDR off by default", "%d", v);
	CHECK_ERR(bind(fd, SA(&a), sizeof(a)), EADDRINUSE, "bind over TIME_WAIT without SO_REUSEADDR");
	close(fd);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	CHECK_OK(setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)), "set SO_REUSEADDR");
	len = sizeof(v);
	getsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &v, &len);
	check(v == 1, "SO_REUSEADDR reads back 1", "%d", v);
	CHECK_OK(bind(fd, SA(&a), sizeof(a)), "bind over TIME_WAIT with SO_REUSEADDR");
	CHECK_OK(listen(fd, 4), "listen there");
	c = connect4(&a);
	s = accept(fd, NULL, NULL);
	check(c >= 0 && s >= 0 && write(c, "k", 1) == 1 && read(s, &c1, 1) == 1 && c1 == 'k',
	      "the new listener carries a connection", "%s", strerror(errno));
	close(c);
	close(s);
	close(fd);
	return t_done();
}
