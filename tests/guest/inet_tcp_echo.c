/*
 * inet_tcp_echo.c - TCP over 127.0.0.1: a forked server accepts, echoes
 * what it reads until EOF; the client sends messages of several sizes
 * and reads each echo back whole.
 */
#include "inet.h"

static void serve(int l)
{
	char buf[4096];
	ssize_t n;
	int s = accept(l, NULL, NULL);

	if (s < 0)
		_exit(1);
	while ((n = read(s, buf, sizeof(buf))) > 0)
		if (write_full(s, buf, (size_t)n) != n)
			_exit(2);
	_exit(n == 0 ? 0 : 3);
}

int main(void)
{
	static char out[70000], in[70000];
	static const size_t sizes[] = { 1, 5, 1460, 4096, 65536, 70000 };
	struct sockaddr_in a;
	pid_t pid;
	int l, c;

	net_start();
	l = listener4(&a, 4);
	check(l >= 0, "listen on 127.0.0.1:0", "%s", strerror(errno));
	check(ntohs(a.sin_port) != 0, "the kernel picked a port", "port 0");
	pid = fork();
	if (pid == 0)
		serve(l);
	close(l);
	c = connect4(&a);
	check(c >= 0, "connect", "%s", strerror(errno));
	for (size_t i = 0; i < sizeof(out); i++)
		out[i] = (char)pattern(i);
	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		size_t n = sizes[k];
		ssize_t w = write_full(c, out + k, n);
		ssize_t r = read_full(c, in, n);

		check(w == (ssize_t)n && r == (ssize_t)n && !memcmp(in, out + k, n),
		      n == 1 ? "echo 1 byte" : n == 5 ? "echo 5 bytes" : n == 1460 ? "echo 1460 bytes" :
		      n == 4096 ? "echo 4096 bytes" : n == 65536 ? "echo 65536 bytes" : "echo 70000 bytes",
		      "wrote %zd read %zd", w, r);
	}
	CHECK_OK(shutdown(c, SHUT_WR), "shutdown write side");
	check(read(c, in, 1) == 0, "EOF after the server ends", "no EOF");
	check(reap(pid) == 0, "server saw EOF and exited 0", "bad exit");
	close(c);
	return t_done();
}
