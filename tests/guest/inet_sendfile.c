/*
 * inet_sendfile.c - sendfile from a file to a TCP socket, with and
 * without an offset pointer, and splice-free counts: 1 MiB arrives
 * intact (checksum), the offset advances, the file position does not
 * move when an offset is given; sendfile to a listening socket is EPIPE.
 */
#include "inet.h"
#include <sys/sendfile.h>

#define SIZE (1u << 20)

int main(void)
{
	static unsigned char buf[SIZE];
	char path[256];
	uint64_t want = FNV_INIT, got = FNV_INIT;
	struct sockaddr_in a;
	off_t off;
	int f, c, s, l;
	ssize_t n, total = 0;
	pid_t pid;

	net_start();
	signal(SIGPIPE, SIG_IGN);
	t_path(path, sizeof(path), "inet_sendfile.data");
	f = open(path, O_CREAT | O_RDWR | O_TRUNC, 0600);
	for (uint32_t i = 0; i < SIZE; i++)
		buf[i] = pattern(i);
	check(f >= 0 && write_full(f, buf, SIZE) == SIZE, "a 1 MiB file", "%s", strerror(errno));
	want = fnv(want, buf, SIZE);
	check(tcp_pair(&c, &s) == 0, "connected pair", "%s", strerror(errno));
	pid = fork();
	if (pid == 0) {
		off_t o = 0;
		size_t left = SIZE;

		while (left) {
			ssize_t k = sendfile(c, f, &o, left);

			if (k <= 0)
				_exit(1);
			left -= (size_t)k;
		}
		_exit(o == SIZE && lseek(f, 0, SEEK_CUR) == SIZE ? 0 : 2);
	}
	while (total < SIZE && (n = read(s, buf, sizeof(buf))) > 0) {
		got = fnv(got, buf, (size_t)n);
		total += n;
	}
	check(reap(pid) == 0, "sendfile with an offset: it advances, the file position stays", "failed");
	check(total == SIZE && got == want, "1 MiB arrives intact", "%zd bytes", total);
	lseek(f, SIZE - 1000, SEEK_SET);
	n = sendfile(c, f, NULL, 5000);
	check(n == 1000, "sendfile without an offset: from the file position to EOF", "%zd", n);
	check(lseek(f, 0, SEEK_CUR) == SIZE, "the file position advanced", "no");
	check(read_full(s, buf, 1000) == 1000 && buf[999] == pattern(SIZE - 1), "the tail arrives", "differs");
	off = SIZE;
	n = sendfile(c, f, &off, 10);
	check(n == 0, "at EOF: 0", "%zd", n);
	l = listener4(&a, 1);
	off = 0;
	CHECK_ERR(sendfile(l, f, &off, 10), EPIPE, "to a listener: EPIPE");
	close(l);
	close(c);
	close(s);
	close(f);
	unlink(path);
	return t_done();
}
