/*
 * inet_fork_share.c - a TCP socket shared by fork and dup: both
 * processes write into one stream; closing one descriptor sends no FIN
 * while another is open (the peer reads no EOF), the last close does;
 * shutdown acts on the connection at once, whoever holds it.
 */
#include "inet.h"

int main(void)
{
	char buf[16];
	int c, s, d, st;
	pid_t pid;

	net_start();
	check(tcp_pair(&c, &s) == 0, "connected pair", "%s", strerror(errno));
	pid = fork();
	if (pid == 0)
		_exit(write(c, "child;", 6) == 6 ? 0 : 1);
	st = reap(pid);
	check(st == 0, "the child writes and exits (closing its copy)", "%d", st);
	check(read_full(s, buf, 6) == 6 && !memcmp(buf, "child;", 6), "its bytes arrive", "differ");
	check(!(wait_ev(s, POLLIN | POLLRDHUP, 100) & POLLRDHUP), "no FIN: the parent still holds it", "FIN");
	check(write(c, "parent", 6) == 6 && read_full(s, buf, 6) == 6 && !memcmp(buf, "parent", 6),
	      "the parent's bytes follow", "differ");
	d = dup(c);
	close(c);
	check(write(d, "dup", 3) == 3 && read_full(s, buf, 3) == 3, "the dup still works", "%s", strerror(errno));
	pid = fork();
	if (pid == 0) {
		shutdown(d, SHUT_WR);
		_exit(0);
	}
	reap(pid);
	check(read(s, buf, sizeof(buf)) == 0, "a child's shutdown ends the stream for everyone", "no EOF");
	CHECK_ERR(send(d, "x", 1, MSG_NOSIGNAL), EPIPE, "the parent's write: EPIPE");
	close(d);
	close(s);
	return t_done();
}
