/*
 * pipe_packet.c - pipes in packet mode (pipe2 O_DIRECT, or F_SETFL
 * O_DIRECT on the write end): one write is one packet, a read returns
 * one packet and drops what did not fit, writes over PIPE_BUF are split,
 * a 64 KiB pipe holds 16 packets, and a plain pipe joins writes.
 */
#include "t.h"
#include <fcntl.h>
#include <poll.h>

int main(void)
{
	int p[2], n;
	char buf[8192];

	t_start();
	CHECK_OK(pipe2(p, O_DIRECT | O_NONBLOCK), "pipe2 O_DIRECT");
	check(fcntl(p[1], F_GETFL) & O_DIRECT, "F_GETFL shows O_DIRECT", "no");
	write(p[1], "hello", 5);
	write(p[1], "abc", 3);
	write(p[1], "0123456789", 10);
	check(read(p[0], buf, sizeof(buf)) == 5, "first packet alone", "no");
	check(read(p[0], buf, sizeof(buf)) == 3, "second packet alone", "no");
	n = read(p[0], buf, 4);
	check(n == 4 && memcmp(buf, "0123", 4) == 0, "short read of a packet", "n=%d", n);
	CHECK_ERR(read(p[0], buf, sizeof(buf)), EAGAIN, "the rest of that packet is gone");
	memset(buf, 'x', sizeof(buf));
	check(write(p[1], buf, 5000) == 5000, "a 5000-byte write", "no");
	check(read(p[0], buf, sizeof(buf)) == 4096, "split: first PIPE_BUF", "no");
	check(read(p[0], buf, sizeof(buf)) == 904, "then the remainder", "no");
	int k = 0;
	while (write(p[1], "z", 1) == 1 && k < 100)
		k++;
	check(k == 16 && errno == EAGAIN, "16 packets fill a 64 KiB pipe", "k=%d", k);
	struct pollfd pf = { p[1], POLLOUT, 0 };
	check(poll(&pf, 1, 0) == 0, "full of packets: not writable", "%#x", pf.revents);
	for (int i = 0; i < 16; i++)
		read(p[0], buf, sizeof(buf));
	close(p[0]);
	close(p[1]);
	pipe(p);
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	fcntl(p[1], F_SETFL, O_DIRECT);
	write(p[1], "ab", 2);
	write(p[1], "cd", 2);
	check(read(p[0], buf, sizeof(buf)) == 2, "F_SETFL O_DIRECT on the writer: packets", "no");
	read(p[0], buf, sizeof(buf));
	fcntl(p[1], F_SETFL, 0);
	write(p[1], "ab", 2);
	write(p[1], "cd", 2);
	check(read(p[0], buf, sizeof(buf)) == 4, "plain writes join again", "no");
	close(p[0]);
	close(p[1]);
	return t_done();
}
