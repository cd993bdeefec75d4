/*
 * inet_servers.c - a forking server and many clients at once: eight
 * client processes each open a connection, send a numbered request of
 * a different size and read the reply the server's child computes (the
 * sum of the bytes); all replies are right, all children exit 0.
 */
#include "inet.h"

#define CLIENTS 8

static void server_child(int s)
{
	unsigned char buf[4096];
	uint32_t len, sum = 0, got = 0;

	if (read_full(s, &len, 4) != 4)
		_exit(1);
	while (got < len) {
		ssize_t n = read(s, buf, sizeof(buf) < len - got ? sizeof(buf) : len - got);

		if (n <= 0)
			_exit(2);
		for (ssize_t i = 0; i < n; i++)
			sum += buf[i];
		got += (uint32_t)n;
	}
	_exit(write_full(s, &sum, 4) == 4 ? 0 : 3);
}

static int client(const struct sockaddr_in *a, int k)
{
	static unsigned char buf[200000];
	uint32_t len = 1000u + (uint32_t)k * 23456u, sum = 0, reply;
	int c = connect4(a);

	if (c < 0)
		return 1;
	for (uint32_t i = 0; i < len; i++)
		sum += buf[i] = pattern(i + (uint64_t)k);
	if (write_full(c, &len, 4) != 4 || write_full(c, buf, len) != (ssize_t)len)
		return 2;
	if (read_full(c, &reply, 4) != 4)
		return 3;
	return reply == sum ? 0 : 4;
}

int main(void)
{
	struct sockaddr_in a;
	pid_t kids[CLIENTS], srv[CLIENTS];
	int l, bad = 0;

	net_start();
	l = listener4(&a, CLIENTS);
	check(l >= 0, "listener", "%s", strerror(errno));
	for (int k = 0; k < CLIENTS; k++) {
		kids[k] = fork();
		if (kids[k] == 0)
			_exit(client(&a, k));
	}
	for (int k = 0; k < CLIENTS; k++) {
		int s = accept(l, NULL, NULL);

		if (s < 0) {
			bad++;
			srv[k] = -1;
			continue;
		}
		srv[k] = fork();
		if (srv[k] == 0)
			server_child(s);
		close(s);
	}
	check(bad == 0, "eight connections accepted", "%d failed", bad);
	bad = 0;
	for (int k = 0; k < CLIENTS; k++)
		bad += reap(kids[k]) != 0;
	check(bad == 0, "every client got the right sum", "%d wrong", bad);
	bad = 0;
	for (int k = 0; k < CLIENTS; k++)
		bad += srv[k] < 0 || reap(srv[k]) != 0;
	check(bad == 0, "every server child exited 0", "%d failed", bad);
	close(l);
	return t_done();
}
