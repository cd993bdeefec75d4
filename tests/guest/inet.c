/*
 * inet.c - AF_INET over loopback: TCP listen/connect/accept, a 4 MiB
 * stream between two processes carried intact, half-close, refused and
 * non-blocking connects (EINPROGRESS, poll, SO_ERROR), EADDRINUSE and
 * SO_REUSEADDR, EPIPE/SIGPIPE after the peer reset, TCP_NODELAY,
 * FIONREAD; UDP datagrams with their source address, truncation, and
 * ECONNREFUSED on a connected socket whose peer port is closed.
 */
#include "t.h"
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

static struct sockaddr_in lo(int port)
{
	struct sockaddr_in a;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons(port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

static int listener(int port)
{
	struct sockaddr_in a = lo(port);
	int s = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(s, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(s, 8) < 0)
		return -1;
	return s;
}

static unsigned sum_stream(int fd, size_t *total)
{
	unsigned char buf[8192];
	unsigned h = 2166136261u;
	ssize_t n;

	*total = 0;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n; i++)
			h = (h ^ buf[i]) * 16777619u;
		*total += (size_t)n;
	}
	return h;
}

static void test_stream(void)
{
	int l = listener(5601), c, s;
	struct sockaddr_in a = lo(5601), peer;
	socklen_t alen = sizeof(peer);
	size_t total = 0, n = 4 << 20;
	unsigned h = 2166136261u, got;
	pid_t pid;
	int status;

	check(l >= 0, "tcp listen on 127.0.0.1:5601", "errno %d", errno);
	pid = fork();
	if (pid == 0) {
		unsigned char buf[10000];
		size_t sent = 0;

		c = socket(AF_INET, SOCK_STREAM, 0);
		if (connect(c, (struct sockaddr *)&a, sizeof(a)) < 0)
			_exit(1);
		for (unsigned i = 0; sent < n; i++) {
			size_t k = sizeof(buf) < n - sent ? sizeof(buf) : n - sent;

			for (size_t j = 0; j < k; j++)
				buf[j] = (unsigned char)((sent + j) * 7 + ((sent + j) >> 11));
			if (write(c, buf, k) != (ssize_t)k)
				_exit(2);
			sent += k;
		}
		shutdown(c, SHUT_WR);
		if (read(c, buf, 2) != 2 || memcmp(buf, "ok", 2) != 0)
			_exit(3);
		close(c);
		_exit(0);
	}
	s = accept(l, (struct sockaddr *)&peer, &alen);
	check(s >= 0 && alen == sizeof(peer) && peer.sin_addr.s_addr == htonl(INADDR_LOOPBACK),
	      "accept gives the peer's address", "s %d errno %d", s, errno);
	for (size_t i = 0; i < n; i++) {
		unsigned char b = (unsigned char)(i * 7 + (i >> 11));

		h = (h ^ b) * 16777619u;
	}
	got = sum_stream(s, &total);
	check(total == n && got == h, "4 MiB over loopback TCP intact, then EOF", "total %zu", total);
	check(write(s, "ok", 2) == 2, "half-closed peer still receives", "errno %d", errno);
	waitpid(pid, &status, 0);
	check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "writer finished cleanly", "status %x", status);
	close(s);
	close(l);
}

static void test_errors(void)
{
	struct sockaddr_in a = lo(5602), b;
	int c = socket(AF_INET, SOCK_STREAM, 0), l, l2, err;
	socklen_t len = sizeof(err);
	struct pollfd p;

	check(connect(c, (struct sockaddr *)&a, sizeof(a)) < 0 && errno == ECONNREFUSED,
	      "connect to a closed port: ECONNREFUSED", "errno %d", errno);
	close(c);
	c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	check(connect(c, (struct sockaddr *)&a, sizeof(a)) < 0 && errno == EINPROGRESS,
	      "non-blocking connect: EINPROGRESS", "errno %d", errno);
	p.fd = c;
	p.events = POLLOUT;
	check(poll(&p, 1, 5000) == 1 && (p.revents & (POLLOUT | POLLERR)), "poll sees the outcome",
	      "revents %x", p.revents);
	check(getsockopt(c, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == ECONNREFUSED,
	      "SO_ERROR says ECONNREFUSED", "err %d", err);
	close(c);

	l = listener(5603);
	l2 = socket(AF_INET, SOCK_STREAM, 0);
	b = lo(5603);
	check(bind(l2, (struct sockaddr *)&b, sizeof(b)) < 0 && errno == EADDRINUSE,
	      "second bind on a listening port: EADDRINUSE", "errno %d", errno);
	close(l2);
	b.sin_family = AF_UNIX;
	l2 = socket(AF_INET, SOCK_STREAM, 0);
	check(bind(l2, (struct sockaddr *)&b, sizeof(b)) < 0 && errno == EAFNOSUPPORT,
	      "bind with the wrong family: EAFNOSUPPORT", "errno %d", errno);
	check(bind(l2, (struct sockaddr *)&b, 4) < 0 && errno == EINVAL, "bind with a short address: EINVAL",
	      "errno %d", errno);
	close(l2);

	c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	a = lo(5603);
	connect(c, (struct sockaddr *)&a, sizeof(a));
	p.fd = c;
	p.events = POLLOUT;
	check(poll(&p, 1, 5000) == 1 && p.revents == POLLOUT, "non-blocking connect completes: POLLOUT",
	      "revents %x", p.revents);
	{
		int s = accept(l, NULL, NULL), one = 1, v = 0;
		char buf[16];

		check(s >= 0, "accept the non-blocking client", "errno %d", errno);
		check(setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) == 0 &&
		      getsockopt(s, IPPROTO_TCP, TCP_NODELAY, &v, &len) == 0 && v == 1,
		      "TCP_NODELAY set and read back", "v %d", v);
		write(s, "hello", 5);
		p.fd = c;
		p.events = POLLIN;
		poll(&p, 1, 5000);
		check(ioctl(c, FIONREAD, &v) == 0 && v == 5, "FIONREAD counts queued bytes", "v %d", v);
		check(recv(c, buf, sizeof(buf), MSG_PEEK) == 5 && read(c, buf, sizeof(buf)) == 5 &&
		      memcmp(buf, "hello", 5) == 0, "MSG_PEEK then read", "errno %d", errno);
		check(read(c, buf, sizeof(buf)) < 0 && errno == EAGAIN, "empty non-blocking read: EAGAIN",
		      "errno %d", errno);
		write(s, "unread", 6);
		usleep(100000);
		close(c);		/* unread data: a reset */
		usleep(100000);
		signal(SIGPIPE, SIG_IGN);
		{
			ssize_t r1 = write(s, "x", 1);
			int e1 = errno;
			ssize_t r2 = write(s, "x", 1);
			int e2 = errno;

			check((r1 < 0 && e1 == ECONNRESET && r2 < 0 && e2 == EPIPE) ||
			      (r1 == 1 && r2 < 0 && (e2 == ECONNRESET || e2 == EPIPE)),
			      "writes after the peer's reset: ECONNRESET, then EPIPE", "r1 %zd e1 %d r2 %zd e2 %d",
			      r1, e1, r2, e2);
		}
		close(s);
	}
	close(l);
}

static void test_udp(void)
{
	int a = socket(AF_INET, SOCK_DGRAM, 0), b = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in aa = lo(5610), ba = lo(5611), from;
	socklen_t flen = sizeof(from);
	char buf[64];
	ssize_t n;

	check(bind(a, (struct sockaddr *)&aa, sizeof(aa)) == 0 && bind(b, (struct sockaddr *)&ba, sizeof(ba)) == 0,
	      "udp bind two ports", "errno %d", errno);
	check(sendto(a, "datagram", 8, 0, (struct sockaddr *)&ba, sizeof(ba)) == 8, "udp sendto", "errno %d", errno);
	n = recvfrom(b, buf, sizeof(buf), 0, (struct sockaddr *)&from, &flen);
	check(n == 8 && memcmp(buf, "datagram", 8) == 0 && from.sin_port == htons(5610) &&
	      from.sin_addr.s_addr == htonl(INADDR_LOOPBACK), "udp recvfrom gives data and source",
	      "n %zd port %d", n, ntohs(from.sin_port));
	sendto(a, "0123456789", 10, 0, (struct sockaddr *)&ba, sizeof(ba));
	n = recv(b, buf, 4, MSG_TRUNC);
	check(n == 10 && memcmp(buf, "0123", 4) == 0, "MSG_TRUNC gives the datagram's length", "n %zd", n);
	close(b);
	check(connect(a, (struct sockaddr *)&ba, sizeof(ba)) == 0, "udp connect", "errno %d", errno);
	send(a, "x", 1, 0);
	usleep(100000);
	n = recv(a, buf, sizeof(buf), MSG_DONTWAIT);
	check(n < 0 && errno == ECONNREFUSED, "closed peer port: ECONNREFUSED on the connected socket",
	      "n %zd errno %d", n, errno);
	close(a);
}

int main(void)
{
	t_start();
	test_stream();
	test_errors();
	test_udp();
	return t_done();
}
