/*
 * inet_tcp_halfclose.c - half-close: after shutdown(SHUT_WR) the peer
 * reads EOF (again and again) but can still send, and we still receive;
 * poll reports POLLIN|POLLRDHUP at the peer; a write after SHUT_WR is EPIPE.
 */
#include "inet.h"

int main(void)
{
	char buf[64];
	int c, s, ev;

	net_start();
	signal(SIGPIPE, SIG_IGN);
	check(tcp_pair(&c, &s) == 0, "connected pair", "%s", strerror(errno));
	check(write(c, "request", 7) == 7, "client sends", "short write");
	CHECK_OK(shutdown(c, SHUT_WR), "client shuts down writing");
	check(read_full(s, buf, 7) == 7 && !memcmp(buf, "request", 7), "server reads the request", "bad read");
	ev = wait_ev(s, POLLIN | POLLRDHUP, 5000);
	check((ev & (POLLIN | POLLRDHUP)) == (POLLIN | POLLRDHUP) && !(ev & POLLHUP),
	      "server polls POLLIN|POLLRDHUP, no POLLHUP", "revents %#x", ev);
	check(read(s, buf, sizeof(buf)) == 0, "server reads EOF", "no EOF");
	check(read(s, buf, sizeof(buf)) == 0, "EOF again", "no EOF");
	check(write(s, "reply", 5) == 5, "server still writes", "short write");
	CHECK_OK(shutdown(s, SHUT_WR), "server shuts down writing");
	check(read_full(c, buf, 5) == 5 && !memcmp(buf, "reply", 5), "client reads the reply", "bad read");
	check(read(c, buf, sizeof(buf)) == 0, "client reads EOF", "no EOF");
	CHECK_ERR(write(c, "x", 1), EPIPE, "write after SHUT_WR");
	ev = wait_ev(c, POLLIN | POLLOUT | POLLRDHUP, 5000);
	check((ev & POLLHUP) && (ev & POLLIN), "both directions closed: POLLHUP|POLLIN", "revents %#x", ev);
	close(c);
	close(s);
	return t_done();
}
