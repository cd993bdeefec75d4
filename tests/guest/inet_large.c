/*
 * inet_large.c - a 16 MiB TCP transfer over loopback in both directions
 * at once (separate processes write and read each end), with
 * odd write and read sizes; the FNV-1a checksums of what each side got
 * match what the other sent.
 */
#include "inet.h"

#define TOTAL (16u << 20)

static uint64_t send_stream(int fd, uint64_t seed)
{
	static unsigned char buf[50000];
	uint64_t h = FNV_INIT, off = 0;

	while (off < TOTAL) {
		size_t n = 1 + (off * 7 + seed) % sizeof(buf);

		if (n > TOTAL - off)
			n = TOTAL - off;
		for (size_t i = 0; i < n; i++)
			buf[i] = pattern(off + i + seed);
		if (write_full(fd, buf, n) != (ssize_t)n)
			return 0;
		h = fnv(h, buf, n);
		off += n;
	}
	return h;
}

static uint64_t recv_stream(int fd, uint64_t *count)
{
	static unsigned char buf[33333];
	uint64_t h = FNV_INIT;
	ssize_t n;

	*count = 0;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		h = fnv(h, buf, (size_t)n);
		*count += (uint64_t)n;
	}
	return h;
}

/* What send_stream(seed) sends, computed without sending it. */
static uint64_t expected(uint64_t seed)
{
	static unsigned char buf[50000];
	uint64_t h = FNV_INIT, off = 0;

	while (off < TOTAL) {
		size_t n = 1 + (off * 7 + seed) % sizeof(buf);

		if (n > TOTAL - off)
			n = TOTAL - off;
		for (size_t i = 0; i < n; i++)
			buf[i] = pattern(off + i + seed);
		h = fnv(h, buf, n);
		off += n;
	}
	return h;
}

/* Forks a process that sends the stream of seed on fd and shuts down its
 * writing; it exits 0 when the whole stream went out. */
static pid_t sender(int fd, uint64_t seed)
{
	pid_t pid = fork();

	if (pid == 0) {
		int ok = send_stream(fd, seed) == expected(seed);

		shutdown(fd, SHUT_WR);
		_exit(ok ? 0 : 1);
	}
	return pid;
}

int main(void)
{
	uint64_t got, count, peer[2];
	pid_t ours, peers, reader;
	int c, s, p[2];

	net_start();
	alarm(50);
	check(tcp_pair(&c, &s) == 0, "connected pair", "%s", strerror(errno));
	check(pipe(p) == 0, "pipe for the peer's report", "%s", strerror(errno));
	reader = fork();
	if (reader == 0) {		/* the peer's reader */
		close(c);
		peer[0] = recv_stream(s, &peer[1]);
		_exit(write(p[1], peer, sizeof(peer)) == sizeof(peer) ? 0 : 1);
	}
	close(p[1]);
	peers = sender(s, 1);
	close(s);
	ours = sender(c, 2);
	got = recv_stream(c, &count);
	check(reap(ours) == 0, "our 16 MiB written", "writer failed");
	check(reap(peers) == 0, "the peer's 16 MiB written", "writer failed");
	check(reap(reader) == 0 && read_full(p[0], peer, sizeof(peer)) == sizeof(peer),
	      "the peer's reader reports", "no report");
	check(count == TOTAL, "we received 16 MiB", "%llu bytes", (unsigned long long)count);
	check(got == expected(1), "our checksum matches what the peer sent", "differs");
	check(peer[1] == TOTAL, "the peer received 16 MiB", "%llu bytes", (unsigned long long)peer[1]);
	check(peer[0] == expected(2), "the peer's checksum matches what we sent", "differs");
	close(c);
	return t_done();
}
