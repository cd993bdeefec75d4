/*
 * unix_seqpacket.c - AF_UNIX edge cases beyond unix.c: seqpacket over a
 * bound listener (accept, SO_TYPE), records with MSG_PEEK, MSG_TRUNC
 * (the record's real length), MSG_WAITALL (still one record), empty
 * records that are not end of file, FIONREAD (all queued bytes), shutdown(SHUT_WR) seen as
 * end of file and POLLRDHUP, EPIPE after one's own shutdown, connecting
 * a seqpacket socket to a stream listener (EPROTOTYPE), accept on a
 * socket that does not listen (EINVAL); datagrams of zero length and
 * disconnecting a datagram socket with AF_UNSPEC.
 */
#include "t.h"
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>

static void addr_of(struct sockaddr_un *a, const char *path)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	snprintf(a->sun_path, sizeof(a->sun_path), "%s", path);
}

static void test_listener(const char *dir)
{
	struct sockaddr_un a, b;
	char path[300], path2[300], buf[64];
	int l, c, s, n, type = 0, st;
	socklen_t len = sizeof(type);

	snprintf(path, sizeof(path), "%s/seq.sock", dir);
	unlink(path);
	addr_of(&a, path);
	l = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	CHECK_ERR(accept(l, NULL, NULL), EINVAL, "accept before listen: EINVAL");
	CHECK_OK(bind(l, (struct sockaddr *)&a, sizeof(a)), "bind a seqpacket socket");
	CHECK_OK(listen(l, 4), "listen");
	c = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	CHECK_OK(connect(c, (struct sockaddr *)&a, sizeof(a)), "connect");
	s = accept(l, NULL, NULL);
	check(s >= 0, "accept", "errno %d", errno);
	check(getsockopt(s, SOL_SOCKET, SO_TYPE, &type, &len) == 0 && type == SOCK_SEQPACKET,
	      "the accepted socket is SOCK_SEQPACKET", "type %d", type);
	send(c, "hello", 5, 0);
	send(c, "world!", 6, 0);
	n = 0;
	ioctl(s, FIONREAD, &n);
	check(n == 11, "FIONREAD: every queued byte (as a stream, 11)", "%d", n);
	n = (int)recv(s, buf, sizeof(buf), MSG_PEEK);
	check(n == 5, "MSG_PEEK sees the first record", "%d", n);
	n = (int)recv(s, buf, 2, MSG_TRUNC);
	check(n == 5, "MSG_TRUNC returns the record's real length", "%d", n);
	n = (int)recv(s, buf, sizeof(buf), MSG_WAITALL);
	check(n == 6 && !memcmp(buf, "world!", 6), "MSG_WAITALL still takes one record", "%d", n);
	check(send(c, "", 0, 0) == 0, "an empty record is sent", "errno %d", errno);
	send(c, "after", 5, 0);
	n = (int)recv(s, buf, sizeof(buf), 0);
	check(n == 0, "the empty record reads as 0", "%d", n);
	n = (int)recv(s, buf, sizeof(buf), 0);
	check(n == 5, "and is not the end: the next record follows", "%d", n);
	CHECK_OK(shutdown(c, SHUT_WR), "shutdown(SHUT_WR)");
	{
		struct pollfd p = { .fd = s, .events = POLLIN | POLLRDHUP };

		check(poll(&p, 1, 1000) == 1 && (p.revents & POLLRDHUP), "the peer sees POLLRDHUP",
		      "%#x", p.revents);
	}
	check(recv(s, buf, sizeof(buf), 0) == 0, "and end of file", "errno %d", errno);
	signal(SIGPIPE, SIG_IGN);
	CHECK_ERR(send(c, "x", 1, 0), EPIPE, "a send after one's own SHUT_WR: EPIPE");
	check(send(s, "back", 4, 0) == 4 && recv(c, buf, sizeof(buf), 0) == 4,
	      "the other direction still works", "errno %d", errno);
	close(c);
	close(s);
	/* A stream listener does not take a seqpacket client. */
	snprintf(path2, sizeof(path2), "%s/stream.sock", dir);
	unlink(path2);
	addr_of(&b, path2);
	st = socket(AF_UNIX, SOCK_STREAM, 0);
	bind(st, (struct sockaddr *)&b, sizeof(b));
	listen(st, 1);
	c = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	CHECK_ERR(connect(c, (struct sockaddr *)&b, sizeof(b)), EPROTOTYPE,
		  "seqpacket to a stream listener: EPROTOTYPE");
	close(c);
	close(st);
	close(l);
	unlink(path);
	unlink(path2);
}

static void test_dgram_edges(void)
{
	struct sockaddr sa = { .sa_family = AF_UNSPEC };
	struct pollfd p;
	char buf[16];
	int sv[2], n, q = -1;

	socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
	check(send(sv[0], "", 0, 0) == 0, "a datagram of zero bytes is sent", "errno %d", errno);
	p.fd = sv[1];
	p.events = POLLIN;
	check(poll(&p, 1, 0) == 1 && (p.revents & POLLIN), "and makes the peer readable", "%#x", p.revents);
	ioctl(sv[1], FIONREAD, &q);
	check(q == 0, "FIONREAD says 0", "%d", q);
	n = (int)recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT);
	check(n == 0, "it reads as 0 bytes", "%d errno %d", n, errno);
	CHECK_ERR(recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT), EAGAIN, "and is gone");
	CHECK_OK(connect(sv[0], &sa, sizeof(sa)), "connect(AF_UNSPEC) disconnects");
	CHECK_ERR(send(sv[0], "x", 1, 0), ENOTCONN, "then send: ENOTCONN");
	close(sv[0]);
	close(sv[1]);
}

int main(void)
{
	char dir[256];

	t_start();
	snprintf(dir, sizeof(dir), "%s/unix_seqpacket.XXXXXX", t_tmpdir());
	if (!mkdtemp(dir)) {
		printf("not ok 0 mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	test_listener(dir);
	test_dgram_edges();
	rmdir(dir);
	return t_done();
}
