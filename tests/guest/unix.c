/*
 * unix.c - AF_UNIX sockets: socket(2) arguments, bind in the filesystem
 * (a socket inode, EADDRINUSE, ECONNREFUSED after close) and the
 * abstract namespace, autobind, names, stream connect/accept/backlog,
 * EOF, shutdown, EPIPE/SIGPIPE and MSG_NOSIGNAL, MSG_PEEK, MSG_DONTWAIT,
 * MSG_WAITALL, datagrams with MSG_TRUNC and sender addresses, seqpacket
 * boundaries, socket options, FIONREAD, poll readiness, read/write.
 */
#include "t.h"
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

static socklen_t mkaddr(struct sockaddr_un *a, const char *path)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	strncpy(a->sun_path, path, sizeof(a->sun_path) - 1);
	return sizeof(*a);
}

static socklen_t mkabstract(struct sockaddr_un *a, const char *name)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	memcpy(a->sun_path + 1, name, strlen(name));
	return offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name);
}

static volatile sig_atomic_t got_pipe;
static void on_pipe(int sig) { got_pipe++; }

static void test_socket_args(void)
{
	int s;

	CHECK_ERR(socket(AF_UNIX, SOCK_STREAM | 0x1000000, 0), EINVAL, "unknown type flag EINVAL");
	CHECK_ERR(socket(AF_UNIX, 9, 0), ESOCKTNOSUPPORT, "SOCK_PACKET-like type ESOCKTNOSUPPORT");
	CHECK_ERR(socket(AF_UNIX, SOCK_STREAM, 7), EPROTONOSUPPORT, "protocol 7 EPROTONOSUPPORT");
	CHECK_ERR(socket(200, SOCK_STREAM, 0), EAFNOSUPPORT, "family 200 EAFNOSUPPORT");
	s = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	CHECK_OK(s, "socket(AF_UNIX, STREAM|NONBLOCK|CLOEXEC)");
	check((fcntl(s, F_GETFL) & O_NONBLOCK) && fcntl(s, F_GETFD) == FD_CLOEXEC, "flags applied", "no");
	struct stat st;
	fstat(s, &st);
	check(S_ISSOCK(st.st_mode), "fstat: S_IFSOCK", "mode %o", st.st_mode);
	int v = 0;
	socklen_t l = sizeof(v);
	getsockopt(s, SOL_SOCKET, SO_TYPE, &v, &l);
	check(v == SOCK_STREAM && l == sizeof(int), "SO_TYPE", "%d", v);
	getsockopt(s, SOL_SOCKET, SO_DOMAIN, &v, &l);
	check(v == AF_UNIX, "SO_DOMAIN", "%d", v);
	getsockopt(s, SOL_SOCKET, SO_SNDBUF, &v, &l);
	check(v == 212992, "default SO_SNDBUF", "%d", v);
	v = 4096;
	setsockopt(s, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v));
	getsockopt(s, SOL_SOCKET, SO_SNDBUF, &v, &l);
	check(v == 8192, "SO_SNDBUF set 4096 reads 8192", "%d", v);
	CHECK_ERR(getsockopt(s, SOL_SOCKET, 9999, &v, &l), ENOPROTOOPT, "unknown option ENOPROTOOPT");
	CHECK_ERR(getsockopt(s, 6 /* TCP */, 1, &v, &l), EOPNOTSUPP, "level TCP on AF_UNIX EOPNOTSUPP");
	CHECK_ERR(getsockopt(0, SOL_SOCKET, SO_TYPE, &v, &l), ENOTSOCK, "getsockopt on stdin ENOTSOCK");
	CHECK_ERR(listen(s, 1), EINVAL, "listen unbound EINVAL");
	CHECK_ERR(accept(s, NULL, NULL), EINVAL, "accept not listening EINVAL");
	CHECK_ERR(accept4(s, NULL, NULL, 0x10), EINVAL, "accept4 bad flags EINVAL");
	struct sockaddr_un a;
	l = sizeof(a);
	CHECK_OK(getsockname(s, (struct sockaddr *)&a, &l), "getsockname unbound");
	check(l == sizeof(sa_family_t) && a.sun_family == AF_UNIX, "unbound name: family only", "len %u", l);
	l = sizeof(a);
	CHECK_ERR(getpeername(s, (struct sockaddr *)&a, &l), ENOTCONN, "getpeername unconnected ENOTCONN");
	CHECK_ERR(send(s, "x", 1, 0), ENOTCONN, "send unconnected ENOTCONN");
	CHECK_ERR(lseek(s, 0, SEEK_SET), ESPIPE, "lseek ESPIPE");
	struct pollfd pf = { s, POLLIN | POLLOUT, 0 };
	poll(&pf, 1, 0);
	check(pf.revents == (POLLOUT | POLLHUP), "fresh stream socket polls OUT|HUP", "%#x", pf.revents);
	close(s);
}

static void test_bind(void)
{
	char path[200];
	struct sockaddr_un a, b;
	socklen_t l;
	int s = socket(AF_UNIX, SOCK_STREAM, 0), s2 = socket(AF_UNIX, SOCK_STREAM, 0), c;
	struct stat st;

	t_path(path, sizeof(path), "sock1");
	unlink(path);
	mkaddr(&a, path);
	CHECK_ERR(bind(s, (struct sockaddr *)&a, 1), EINVAL, "bind addrlen 1 EINVAL");
	CHECK_ERR(bind(s, (struct sockaddr *)&a, 200), EINVAL, "bind addrlen 200 EINVAL");
	a.sun_family = AF_INET;
	CHECK_ERR(bind(s, (struct sockaddr *)&a, sizeof(a)), EINVAL, "bind wrong family EINVAL");
	a.sun_family = AF_UNIX;
	CHECK_OK(bind(s, (struct sockaddr *)&a, sizeof(a)), "bind a path");
	check(stat(path, &st) == 0 && S_ISSOCK(st.st_mode), "the path is a socket inode", "mode %o", st.st_mode);
	CHECK_ERR(bind(s, (struct sockaddr *)&a, sizeof(a)), EADDRINUSE, "bind twice to the path EADDRINUSE");
	struct sockaddr_un other;
	char opath[200];
	t_path(opath, sizeof(opath), "sock1-other");
	unlink(opath);
	mkaddr(&other, opath);
	CHECK_ERR(bind(s, (struct sockaddr *)&other, sizeof(other)), EINVAL, "bound socket, new path EINVAL");
	unlink(opath);
	CHECK_ERR(bind(s2, (struct sockaddr *)&a, sizeof(a)), EADDRINUSE, "bind an existing path EADDRINUSE");
	l = sizeof(b);
	getsockname(s, (struct sockaddr *)&b, &l);
	check(l == offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1 && strcmp(b.sun_path, path) == 0,
	      "getsockname: the path, length with one NUL", "len %u", l);
	c = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK_ERR(connect(c, (struct sockaddr *)&a, sizeof(a)), ECONNREFUSED, "connect to a non-listener ECONNREFUSED");
	CHECK_OK(listen(s, 5), "listen");
	int v;
	l = sizeof(v);
	getsockopt(s, SOL_SOCKET, SO_ACCEPTCONN, &v, &l);
	check(v == 1, "SO_ACCEPTCONN", "%d", v);
	close(s);
	CHECK_ERR(connect(c, (struct sockaddr *)&a, sizeof(a)), ECONNREFUSED, "connect after the listener closed ECONNREFUSED");
	unlink(path);
	CHECK_ERR(connect(c, (struct sockaddr *)&a, sizeof(a)), ENOENT, "connect to a missing path ENOENT");
	t_path(path, sizeof(path), "plainfile");
	close(open(path, O_CREAT | O_WRONLY, 0600));
	mkaddr(&a, path);
	CHECK_ERR(connect(c, (struct sockaddr *)&a, sizeof(a)), ECONNREFUSED, "connect to a regular file ECONNREFUSED");
	unlink(path);

	/* abstract names */
	l = mkabstract(&a, "ipc-test-abstract");
	CHECK_OK(bind(s2, (struct sockaddr *)&a, l), "bind abstract");
	int s3 = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK_ERR(bind(s3, (struct sockaddr *)&a, l), EADDRINUSE, "abstract name in use EADDRINUSE");
	socklen_t l2 = sizeof(b);
	getsockname(s2, (struct sockaddr *)&b, &l2);
	check(l2 == l && b.sun_path[0] == 0 && memcmp(b.sun_path + 1, "ipc-test-abstract", 17) == 0,
	      "abstract getsockname", "len %u", l2);
	listen(s2, 1);
	CHECK_OK(connect(c, (struct sockaddr *)&a, l), "connect abstract");
	int acc = accept(s2, NULL, NULL);
	CHECK_OK(acc, "accept abstract");
	l2 = sizeof(b);
	getsockname(acc, (struct sockaddr *)&b, &l2);
	check(l2 == l, "accepted socket has the listener's name", "len %u", l2);
	l2 = sizeof(b);
	getpeername(c, (struct sockaddr *)&b, &l2);
	check(l2 == l, "client's peer name: the listener's", "len %u", l2);
	l2 = sizeof(b);
	getpeername(acc, (struct sockaddr *)&b, &l2);
	check(l2 == sizeof(sa_family_t), "server's peer: unbound client", "len %u", l2);
	/* autobind */
	a.sun_family = AF_UNIX;
	CHECK_OK(bind(s3, (struct sockaddr *)&a, sizeof(sa_family_t)), "autobind (addrlen 2)");
	l2 = sizeof(b);
	getsockname(s3, (struct sockaddr *)&b, &l2);
	check(l2 == 8 && b.sun_path[0] == 0, "autobind: 5-char abstract name", "len %u", l2);
	close(s2);
	close(s3);
	close(c);
	close(acc);
	l = mkabstract(&a, "ipc-test-abstract");
	s2 = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK_OK(bind(s2, (struct sockaddr *)&a, l), "abstract name free again after close");
	close(s2);
}

static void test_stream(void)
{
	int sv[2], n;
	char buf[64];

	CHECK_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), "socketpair stream");
	check(write(sv[0], "hello", 5) == 5, "write", "no");
	n = recv(sv[1], buf, sizeof(buf), MSG_PEEK);
	check(n == 5 && memcmp(buf, "hello", 5) == 0, "MSG_PEEK", "n=%d", n);
	int q = 0;
	ioctl(sv[1], FIONREAD, &q);
	check(q == 5, "FIONREAD after peek", "%d", q);
	n = read(sv[1], buf, 3);
	check(n == 3 && memcmp(buf, "hel", 3) == 0, "partial read", "n=%d", n);
	write(sv[0], " world", 6);
	n = read(sv[1], buf, sizeof(buf));
	check(n == 8 && memcmp(buf, "lo world", 8) == 0, "stream joins writes", "n=%d", n);
	CHECK_ERR(recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT), EAGAIN, "MSG_DONTWAIT on empty EAGAIN");
	pid_t c = fork();
	if (c == 0) {
		for (int i = 0; i < 4; i++) {
			usleep(5000);
			write(sv[0], "abcd", 4);
		}
		_exit(0);
	}
	n = recv(sv[1], buf, 16, MSG_WAITALL);
	check(n == 16, "MSG_WAITALL gathers 16 bytes from 4 writes", "n=%d", n);
	waitpid(c, NULL, 0);
	struct pollfd pf = { sv[1], POLLIN | POLLOUT | POLLRDHUP, 0 };
	poll(&pf, 1, 0);
	check(pf.revents == POLLOUT, "connected, idle: OUT", "%#x", pf.revents);
	CHECK_OK(shutdown(sv[0], SHUT_WR), "shutdown SHUT_WR");
	CHECK_ERR(shutdown(sv[0], 5), EINVAL, "shutdown bad how EINVAL");
	poll(&pf, 1, 0);
	check(pf.revents == (POLLIN | POLLOUT | POLLRDHUP), "peer shut writing: IN|OUT|RDHUP", "%#x", pf.revents);
	check(read(sv[1], buf, sizeof(buf)) == 0, "EOF after SHUT_WR", "no");
	struct sigaction sa = { 0 };
	sa.sa_handler = on_pipe;
	sigaction(SIGPIPE, &sa, NULL);
	errno = 0;
	n = write(sv[0], "x", 1);
	check(n == -1 && errno == EPIPE && got_pipe == 1, "write after SHUT_WR: EPIPE and SIGPIPE", "n=%d pipe %d",
	      n, (int)got_pipe);
	n = send(sv[0], "x", 1, MSG_NOSIGNAL);
	check(n == -1 && errno == EPIPE && got_pipe == 1, "MSG_NOSIGNAL: EPIPE, no signal", "pipe %d", (int)got_pipe);
	write(sv[1], "left", 4);
	close(sv[1]);
	n = read(sv[0], buf, sizeof(buf));
	check(n == 4, "data sent before close can be read", "n=%d", n);
	check(read(sv[0], buf, sizeof(buf)) == 0, "then EOF", "no");
	pf.fd = sv[0];
	poll(&pf, 1, 0);
	check(pf.revents == (POLLIN | POLLOUT | POLLHUP | POLLRDHUP), "peer closed: IN|OUT|HUP|RDHUP", "%#x", pf.revents);
	close(sv[0]);

	/* closing with unread data resets the peer */
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	write(sv[0], "unread", 6);
	close(sv[1]);
	CHECK_ERR(read(sv[0], buf, sizeof(buf)), ECONNRESET, "peer closed with data unread: ECONNRESET");
	check(read(sv[0], buf, sizeof(buf)) == 0, "then EOF", "no");
	close(sv[0]);
}

static void test_backlog(void)
{
	char path[200];
	struct sockaddr_un a;
	int l = socket(AF_UNIX, SOCK_STREAM, 0), c[4], r[4];

	t_path(path, sizeof(path), "backlog");
	unlink(path);
	mkaddr(&a, path);
	bind(l, (struct sockaddr *)&a, sizeof(a));
	listen(l, 1);
	for (int i = 0; i < 4; i++) {
		c[i] = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
		r[i] = connect(c[i], (struct sockaddr *)&a, sizeof(a)) == 0 ? 0 : errno;
	}
	check(r[0] == 0 && r[1] == 0 && r[2] == EAGAIN && r[3] == EAGAIN, "backlog 1: two queue, then EAGAIN",
	      "%d %d %d %d", r[0], r[1], r[2], r[3]);
	CHECK_ERR(connect(c[0], (struct sockaddr *)&a, sizeof(a)), EAGAIN, "connect again, backlog full: EAGAIN first");
	struct pollfd pf = { l, POLLIN, 0 };
	check(poll(&pf, 1, 0) == 1 && pf.revents == POLLIN, "listener readable with a pending connection", "%#x", pf.revents);
	int s = accept4(l, NULL, NULL, SOCK_CLOEXEC);
	check(s >= 0 && fcntl(s, F_GETFD) == FD_CLOEXEC, "accept4 SOCK_CLOEXEC", "no");
	CHECK_ERR(connect(c[0], (struct sockaddr *)&a, sizeof(a)), EISCONN, "connect again with room EISCONN");
	check(connect(c[2], (struct sockaddr *)&a, sizeof(a)) == 0, "room again after accept", "errno %d", errno);
	/* the client may write before accept */
	write(c[1], "early", 5);
	int s1 = accept(l, NULL, NULL);
	char buf[8];
	check(read(s1, buf, 8) == 5, "data written before accept arrives", "no");
	int v;
	socklen_t vl = sizeof(v);
	getsockopt(s1, SOL_SOCKET, SO_ACCEPTCONN, &v, &vl);
	check(v == 0, "accepted: SO_ACCEPTCONN 0", "%d", v);
	int fl = fcntl(l, F_GETFL);
	accept(l, NULL, NULL) >= 0 ? (void)0 : (void)0;
	fcntl(l, F_SETFL, fl | O_NONBLOCK);
	CHECK_ERR(accept(l, NULL, NULL), EAGAIN, "nonblocking accept with none pending EAGAIN");
	/* a pending connection dropped by the listener's close */
	int c5 = socket(AF_UNIX, SOCK_STREAM, 0);
	connect(c5, (struct sockaddr *)&a, sizeof(a));
	close(l);
	CHECK_ERR(read(c5, buf, 8), ECONNRESET, "listener closed before accept: ECONNRESET");
	for (int i = 0; i < 4; i++)
		close(c[i]);
	close(c5);
	close(s);
	close(s1);
	unlink(path);
}

static void test_dgram(void)
{
	char p1[200], p2[200];
	struct sockaddr_un a1, a2, from;
	socklen_t fl;
	int d1 = socket(AF_UNIX, SOCK_DGRAM, 0), d2 = socket(AF_UNIX, SOCK_DGRAM, 0), n;
	char buf[64];

	t_path(p1, sizeof(p1), "dg1");
	t_path(p2, sizeof(p2), "dg2");
	unlink(p1);
	unlink(p2);
	mkaddr(&a1, p1);
	mkaddr(&a2, p2);
	CHECK_OK(bind(d1, (struct sockaddr *)&a1, sizeof(a1)), "bind dgram");
	CHECK_ERR(listen(d1, 1), EOPNOTSUPP, "listen on dgram EOPNOTSUPP");
	CHECK_ERR(send(d2, "x", 1, 0), ENOTCONN, "dgram send without address ENOTCONN");
	check(sendto(d2, "first", 5, 0, (struct sockaddr *)&a1, sizeof(a1)) == 5, "sendto unbound sender", "no");
	fl = sizeof(from);
	n = recvfrom(d1, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl);
	check(n == 5 && fl == 0, "from an unbound sender: no address", "n=%d len %u", n, fl);
	bind(d2, (struct sockaddr *)&a2, sizeof(a2));
	sendto(d2, "second message", 14, 0, (struct sockaddr *)&a1, sizeof(a1));
	fl = sizeof(from);
	n = recvfrom(d1, buf, 6, 0, (struct sockaddr *)&from, &fl);
	check(n == 6 && strcmp(from.sun_path, p2) == 0, "sender's address; short read", "n=%d", n);
	CHECK_ERR(recv(d1, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN, "the rest of a datagram is dropped");
	sendto(d2, "0123456789", 10, 0, (struct sockaddr *)&a1, sizeof(a1));
	struct iovec iov = { buf, 4 };
	struct msghdr mh = { 0 };
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	n = recvmsg(d1, &mh, MSG_TRUNC);
	check(n == 10 && (mh.msg_flags & MSG_TRUNC), "MSG_TRUNC: the real length and the flag", "n=%d flags %#x", n,
	      mh.msg_flags);
	CHECK_OK(connect(d2, (struct sockaddr *)&a1, sizeof(a1)), "connect dgram");
	check(send(d2, "c", 1, 0) == 1, "send on a connected dgram", "no");
	n = recv(d1, buf, sizeof(buf), 0);
	check(n == 1, "recv it", "n=%d", n);
	/* queue limit from an unconnected sender */
	int d3 = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0), sent = 0;
	while (sendto(d3, "q", 1, 0, (struct sockaddr *)&a1, sizeof(a1)) == 1 && sent < 100)
		sent++;
	check(sent == 11 && errno == EAGAIN, "datagram queue holds 11, then EAGAIN", "sent %d errno %d", sent, errno);
	struct pollfd pf = { d1, POLLIN, 0 };
	check(poll(&pf, 1, 0) == 1 && pf.revents == POLLIN, "dgram readable", "%#x", pf.revents);
	int q = 0;
	ioctl(d1, FIONREAD, &q);
	check(q == 1, "FIONREAD: next datagram's size", "%d", q);
	close(d3);
	/* a socket connected elsewhere refuses others */
	int d4 = socket(AF_UNIX, SOCK_DGRAM, 0);
	CHECK_OK(connect(d1, (struct sockaddr *)&a2, sizeof(a2)), "connect d1 to d2");
	CHECK_ERR(sendto(d4, "z", 1, 0, (struct sockaddr *)&a1, sizeof(a1)), EPERM,
		  "send to a dgram socket connected to another EPERM");
	close(d1);
	CHECK_ERR(send(d2, "z", 1, 0), ECONNREFUSED, "send to a closed peer ECONNREFUSED");
	CHECK_ERR(send(d2, "z", 1, 0), ENOTCONN, "then ENOTCONN");
	struct stat st;
	check(stat(p1, &st) == 0, "the socket file stays after close", "gone");
	close(d2);
	close(d4);
	unlink(p1);
	unlink(p2);
	/* socketpair dgram */
	int sv[2];
	socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
	send(sv[0], "ab", 2, 0);
	send(sv[0], "cde", 3, 0);
	check(recv(sv[1], buf, 64, 0) == 2 && recv(sv[1], buf, 64, 0) == 3, "dgram pair keeps boundaries", "no");
	int big = 300000;
	char *mem = calloc(1, big);
	CHECK_ERR(send(sv[0], mem, big, 0), EMSGSIZE, "datagram over SO_SNDBUF EMSGSIZE");
	free(mem);
	close(sv[0]);
	close(sv[1]);
}

static void test_seqpacket(void)
{
	int sv[2], n;
	char buf[64];

	CHECK_OK(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), "socketpair seqpacket");
	send(sv[0], "one", 3, 0);
	send(sv[0], "three", 5, 0);
	n = recv(sv[1], buf, sizeof(buf), 0);
	check(n == 3, "seqpacket: first record", "n=%d", n);
	n = recv(sv[1], buf, 2, 0);
	check(n == 2, "seqpacket: short read of a record", "n=%d", n);
	CHECK_ERR(recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT), EAGAIN, "rest of the record dropped");
	struct sigaction sa = { 0 };
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	close(sv[0]);
	check(recv(sv[1], buf, sizeof(buf), 0) == 0, "seqpacket: EOF after close", "no");
	CHECK_ERR(send(sv[1], "x", 1, 0), EPIPE, "seqpacket: send to closed EPIPE");
	close(sv[1]);
	int s = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	CHECK_ERR(send(s, "x", 1, 0), ENOTCONN, "unconnected seqpacket send ENOTCONN");
	close(s);
}

int main(void)
{
	t_start();
	test_socket_args();
	test_bind();
	test_stream();
	test_backlog();
	test_dgram();
	test_seqpacket();
	return t_done();
}
