/*
 * inet_sigpipe.c - writing to a TCP connection the peer closed: the
 * first write is accepted, the peer answers with a RST, later writes
 * fail with EPIPE and raise SIGPIPE (caught here), once per write;
 * MSG_NOSIGNAL gives EPIPE without the signal; with SIGPIPE at its
 * default a child writing there dies of it.
 */
#include "inet.h"

static volatile sig_atomic_t pipes;

static void on_pipe(int sig)
{
	(void)sig;
	pipes++;
}

/* Writes until a write fails (the RST arrived); that write's errno. */
static int write_until_error(int fd, int flags)
{
	for (int i = 0; i < 200; i++) {
		if (send(fd, "data", 4, flags) < 0)
			return errno;
		usleep(5000);
	}
	return 0;
}

int main(void)
{
	int c, s, e, st;
	pid_t pid;

	net_start();
	signal(SIGPIPE, on_pipe);
	check(tcp_pair(&c, &s) == 0, "connected pair", "%s", strerror(errno));
	close(s);
	e = write_until_error(c, 0);
	check(e == EPIPE || e == ECONNRESET, "writes end in an error", "%s", strerror(e));
	if (e == ECONNRESET) {		/* the RST was reported first; the next write is EPIPE */
		pipes = 0;
		e = send(c, "x", 1, 0) < 0 ? errno : 0;
	}
	check(e == EPIPE, "EPIPE", "%s", strerror(e));
	check(pipes == 1, "one SIGPIPE", "%d", (int)pipes);
	CHECK_ERR(write(c, "x", 1), EPIPE, "write again: EPIPE");
	check(pipes == 2, "a second SIGPIPE", "%d", (int)pipes);
	CHECK_ERR(send(c, "x", 1, MSG_NOSIGNAL), EPIPE, "send MSG_NOSIGNAL: EPIPE");
	check(pipes == 2, "no signal with MSG_NOSIGNAL", "%d", (int)pipes);
	pid = fork();
	if (pid == 0) {
		signal(SIGPIPE, SIG_DFL);
		write(c, "x", 1);
		_exit(0);
	}
	st = reap(pid);
	check(st == 128 + SIGPIPE, "default action kills the writer", "status %d", st);
	close(c);

	check(tcp_pair(&c, &s) == 0, "a second pair", "%s", strerror(errno));
	close(s);
	e = write_until_error(c, MSG_NOSIGNAL);
	if (e == ECONNRESET)
		e = send(c, "x", 1, MSG_NOSIGNAL) < 0 ? errno : 0;
	check(e == EPIPE && pipes == 2, "MSG_NOSIGNAL all along: EPIPE, no signal", "%s, %d", strerror(e),
	      (int)pipes);
	close(c);
	return t_done();
}
