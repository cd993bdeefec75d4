/*
 * inet_any.c - addresses on the loopback net: a listener on INADDR_ANY
 * accepts connections to 127.0.0.1 and 127.0.0.2 and the accepted
 * socket's name is the address the client used; a listener on
 * 127.0.0.2 is not reached through 127.0.0.1 (ECONNREFUSED); a client
 * bound to 127.0.0.3 shows that source to the server.
 */
#include "inet.h"

int main(void)
{
	struct sockaddr_in a = lo4(0), t, n, src;
	socklen_t len = sizeof(a);
	int l, c, s, l2;

	net_start();
	l = socket(AF_INET, SOCK_STREAM, 0);
	a.sin_addr.s_addr = htonl(INADDR_ANY);
	CHECK_OK(bind(l, SA(&a), sizeof(a)), "bind INADDR_ANY");
	getsockname(l, SA(&a), &len);
	check(a.sin_addr.s_addr == htonl(INADDR_ANY), "getsockname says 0.0.0.0", "%x", a.sin_addr.s_addr);
	listen(l, 4);
	for (int i = 1; i <= 2; i++) {
		t = lo4(ntohs(a.sin_port));
		t.sin_addr.s_addr = htonl(0x7f000000 | (unsigned)i);
		c = connect4(&t);
		s = accept(l, NULL, NULL);
		len = sizeof(n);
		getsockname(s, SA(&n), &len);
		check(c >= 0 && s >= 0 && n.sin_addr.s_addr == t.sin_addr.s_addr,
		      i == 1 ? "via 127.0.0.1: accepted, named 127.0.0.1" : "via 127.0.0.2: accepted, named 127.0.0.2",
		      "%s %x", strerror(errno), n.sin_addr.s_addr);
		close(c);
		close(s);
	}
	close(l);

	l2 = socket(AF_INET, SOCK_STREAM, 0);
	t = lo4(0);
	t.sin_addr.s_addr = inet_addr("127.0.0.2");
	bind(l2, SA(&t), sizeof(t));
	len = sizeof(t);
	getsockname(l2, SA(&t), &len);
	CHECK_OK(listen(l2, 4), "listen on 127.0.0.2");
	n = lo4(ntohs(t.sin_port));
	c = socket(AF_INET, SOCK_STREAM, 0);
	CHECK_ERR(connect(c, SA(&n), sizeof(n)), ECONNREFUSED, "127.0.0.1 on that port: ECONNREFUSED");
	close(c);
	c = socket(AF_INET, SOCK_STREAM, 0);
	src = lo4(0);
	src.sin_addr.s_addr = inet_addr("127.0.0.3");
	CHECK_OK(bind(c, SA(&src), sizeof(src)), "client binds 127.0.0.3");
	CHECK_OK(connect(c, SA(&t), sizeof(t)), "connects to 127.0.0.2");
	len = sizeof(n);
	s = accept(l2, SA(&n), &len);
	check(s >= 0 && n.sin_addr.s_addr == inet_addr("127.0.0.3"), "the server sees 127.0.0.3", "%x",
	      n.sin_addr.s_addr);
	close(s);
	close(c);
	close(l2);
	return t_done();
}
