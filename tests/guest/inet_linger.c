/*
 * inet_linger.c - SO_LINGER: off by default, reads back as set; with
 * l_onoff 1 and l_linger 0 a close aborts the connection with a RST: the
 * peer's read fails with ECONNRESET (then returns 0), its write with
 * EPIPE; closing with unread data also sends a RST; a normal close
 * gives the peer EOF.
 */
#include "inet.h"

int main(void)
{
	struct linger lg = { 1, 0 }, got;
	socklen_t len = sizeof(got);
	char buf[8];
	int c, s, ev;

	net_start();
	signal(SIGPIPE, SIG_IGN);
	check(tcp_pair(&c, &s) == 0, "connected pair", "%s", strerror(errno));
	CHECK_OK(getsockopt(c, SOL_SOCKET, SO_LINGER, &got, &len), "get SO_LINGER");
	check(got.l_onoff == 0 && got.l_linger == 0 && len == sizeof(got), "off by default", "%d %d",
	      got.l_onoff, got.l_linger);
	CHECK_OK(setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)), "set linger {1, 0}");
	len = sizeof(got);
	getsockopt(c, SOL_SOCKET, SO_LINGER, &got, &len);
	check(got.l_onoff == 1 && got.l_linger == 0, "reads back {1, 0}", "%d %d", got.l_onoff, got.l_linger);
	CHECK_ERR(setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, 4), EINVAL, "optlen 4: EINVAL");
	close(c);
	ev = wait_ev(s, POLLIN, 5000);
	check((ev & (POLLIN | POLLERR | POLLHUP)) == (POLLIN | POLLERR | POLLHUP), "peer polls POLLIN|POLLERR|POLLHUP",
	      "revents %#x", ev);
	CHECK_ERR(read(s, buf, sizeof(buf)), ECONNRESET, "peer's read: ECONNRESET");
	check(read(s, buf, sizeof(buf)) == 0, "then 0", "not 0");
	CHECK_ERR(write(s, "x", 1), EPIPE, "peer's write: EPIPE");
	close(s);

	check(tcp_pair(&c, &s) == 0, "a second pair", "%s", strerror(errno));
	check(write(c, "unread", 6) == 6, "send bytes the peer never reads", "short");
	check(wait_ev(s, POLLIN, 5000) & POLLIN, "they arrive", "no");
	close(s);
	CHECK_ERR(read(c, buf, sizeof(buf)), ECONNRESET, "closing with unread data resets");
	close(c);

	check(tcp_pair(&c, &s) == 0, "a third pair", "%s", strerror(errno));
	close(c);
	check(read(s, buf, sizeof(buf)) == 0, "a normal close: EOF", "not EOF");
	close(s);
	return t_done();
}
