/*
 * nettool.c - the two ends of a TCP transfer for tests/net, built static
 * so the same program runs on the host and inside ./linux:
 *
 *   nettool recv PORT [OUTFILE]      listen on 0.0.0.0:PORT, accept a
 *                                    connection, read it to EOF (into
 *                                    OUTFILE if given), print
 *                                    "received N fnv HEX"; a connection
 *                                    that closes without a byte (a
 *                                    sender's attempt that failed, seen
 *                                    through a NAT) is noted on stderr
 *                                    and the next one is awaited
 *   nettool send HOST PORT FILE      connect (retrying refusals and
 *   nettool send HOST PORT -n BYTES  unreachable routes for up to 40 s),
 *                                    send FILE or BYTES of a fixed
 *                                    pattern, shut down writing, wait for
 *                                    the peer's EOF, print "sent N fnv HEX"
 *
 *   nettool udprecv6 PORT            bind [::]:PORT (UDP), receive one
 *                                    datagram, print "received N fnv HEX"
 *   nettool udpsend6 ADDR PORT BYTES send one datagram of BYTES of the
 *                                    pattern to [ADDR]:PORT five times a
 *                                    second apart (the receiver keeps the
 *                                    first), print "sent N fnv HEX"
 *
 * HEX is FNV-1a 64 over the bytes, so the two lines match when the
 * stream (or datagram) arrived intact.  Every run gives up after NETTOOL_TIMEOUT
 * seconds (default 150) with exit status 3.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static uint64_t fnv(uint64_t h, const unsigned char *p, size_t n)
{
	while (n--) {
		h ^= *p++;
		h *= 1099511628211ULL;
	}
	return h;
}

static void die(const char *what)
{
	fprintf(stderr, "nettool: %s: %s\n", what, strerror(errno));
	exit(2);
}

static int do_recv(int port, const char *out)
{
	static unsigned char buf[65536];
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	uint64_t h = 14695981039346656037ULL, n = 0;
	int l = socket(AF_INET, SOCK_STREAM, 0), s, fd = -1, on = 1;
	ssize_t r;

	if (l < 0)
		die("socket");
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (bind(l, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(l, 1) < 0)
		die("bind/listen");
	if (out && (fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0)
		die(out);
	printf("listening\n");
	fflush(stdout);
	for (;;) {
		s = accept(l, NULL, NULL);
		if (s < 0)
			die("accept");
		while ((r = read(s, buf, sizeof(buf))) > 0) {
			h = fnv(h, buf, (size_t)r);
			n += (uint64_t)r;
			if (fd >= 0 && write(fd, buf, (size_t)r) != r)
				die("write");
		}
		if (r < 0)
			die("read");
		if (n > 0)
			break;
		fprintf(stderr, "nettool: a connection closed without data; waiting for another\n");
		close(s);
	}
	if (fd >= 0 && close(fd) < 0)
		die("close");
	/* Reported before the close, so that a sender that saw our EOF finds it. */
	printf("received %llu fnv %016llx\n", (unsigned long long)n, (unsigned long long)h);
	fflush(stdout);
	close(s);
	return 0;
}

static int connect_retry(const char *host, int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	time_t end = time(NULL) + 40;

	if (inet_pton(AF_INET, host, &a.sin_addr) != 1) {
		fprintf(stderr, "nettool: bad address %s\n", host);
		exit(2);
	}
	for (;;) {
		int c = socket(AF_INET, SOCK_STREAM, 0);

		if (c < 0)
			die("socket");
		if (connect(c, (struct sockaddr *)&a, sizeof(a)) == 0)
			return c;
		if ((errno != ECONNREFUSED && errno != EHOSTUNREACH && errno != ENETUNREACH &&
		     errno != ETIMEDOUT) || time(NULL) >= end)
			die("connect");
		close(c);
		usleep(200000);
	}
}

static int do_send(const char *host, int port, const char *file, uint64_t bytes)
{
	static unsigned char buf[65536];
	uint64_t h = 14695981039346656037ULL, n = 0;
	int c = connect_retry(host, port), fd = -1;

	if (file && (fd = open(file, O_RDONLY)) < 0)
		die(file);
	for (;;) {
		size_t want = sizeof(buf);
		ssize_t r;

		if (fd >= 0) {
			r = read(fd, buf, want);
			if (r < 0)
				die("read");
		} else {
			if (bytes - n < want)
				want = (size_t)(bytes - n);
			for (size_t i = 0; i < want; i++)
				buf[i] = (unsigned char)(((n + i) * 2654435761u) >> 13 ^ (n + i) / 251);
			r = (ssize_t)want;
		}
		if (r == 0)
			break;
		for (ssize_t put = 0; put < r;) {
			ssize_t w = write(c, buf + put, (size_t)(r - put));

			if (w < 0)
				die("write");
			put += w;
		}
		h = fnv(h, buf, (size_t)r);
		n += (uint64_t)r;
	}
	if (shutdown(c, SHUT_WR) < 0)
		die("shutdown");
	while (read(c, buf, sizeof(buf)) > 0)
		;
	close(c);
	printf("sent %llu fnv %016llx\n", (unsigned long long)n, (unsigned long long)h);
	return 0;
}

static int do_udprecv6(int port)
{
	static unsigned char buf[65536];
	struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_port = htons((uint16_t)port) };
	int s = socket(AF_INET6, SOCK_DGRAM, 0);
	ssize_t r;

	if (s < 0)
		die("socket");
	if (bind(s, (struct sockaddr *)&a, sizeof(a)) < 0)
		die("bind");
	r = recv(s, buf, sizeof(buf), 0);
	if (r < 0)
		die("recv");
	printf("received %zd fnv %016llx\n", r,
	       (unsigned long long)fnv(14695981039346656037ULL, buf, (size_t)r));
	return 0;
}

static int do_udpsend6(const char *host, int port, size_t n)
{
	static unsigned char buf[65536];
	struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_port = htons((uint16_t)port) };
	int s = socket(AF_INET6, SOCK_DGRAM, 0), i;
	size_t k;

	if (s < 0)
		die("socket");
	if (n > sizeof(buf) || inet_pton(AF_INET6, host, &a.sin6_addr) != 1) {
		fprintf(stderr, "nettool: bad address or size\n");
		return 2;
	}
	for (k = 0; k < n; k++)
		buf[k] = (unsigned char)(k * 7 + k / 251);
	for (i = 0; i < 5; i++) {
		if (sendto(s, buf, n, 0, (struct sockaddr *)&a, sizeof(a)) != (ssize_t)n)
			die("sendto");
		sleep(1);
	}
	printf("sent %zu fnv %016llx\n", n, (unsigned long long)fnv(14695981039346656037ULL, buf, n));
	return 0;
}

static void on_alarm(int sig)
{
	static const char msg[] = "nettool: timed out\n";

	(void)sig;
	if (write(2, msg, sizeof(msg) - 1) < 0)
		_exit(3);
	_exit(3);
}

int main(int argc, char **argv)
{
	const char *t = getenv("NETTOOL_TIMEOUT");

	signal(SIGALRM, on_alarm);
	alarm(t ? (unsigned)atoi(t) : 150);
	if (argc >= 3 && !strcmp(argv[1], "recv"))
		return do_recv(atoi(argv[2]), argc > 3 ? argv[3] : NULL);
	if (argc == 6 && !strcmp(argv[1], "send") && !strcmp(argv[4], "-n"))
		return do_send(argv[2], atoi(argv[3]), NULL, strtoull(argv[5], NULL, 0));
	if (argc == 5 && !strcmp(argv[1], "send"))
		return do_send(argv[2], atoi(argv[3]), argv[4], 0);
	if (argc == 3 && !strcmp(argv[1], "udprecv6"))
		return do_udprecv6(atoi(argv[2]));
	if (argc == 5 && !strcmp(argv[1], "udpsend6"))
		return do_udpsend6(argv[2], atoi(argv[3]), strtoul(argv[4], NULL, 0));
	fprintf(stderr, "usage: nettool recv PORT [OUTFILE] | send HOST PORT FILE | send HOST PORT -n BYTES | udprecv6 PORT | udpsend6 ADDR PORT BYTES\n");
	return 2;
}
