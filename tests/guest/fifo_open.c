/*
 * fifo_open.c - FIFO open and end-of-file rules (fifo(7), open(2)): a
 * non-blocking read-only open succeeds with no writer, a non-blocking
 * write-only open fails with ENXIO until a reader exists, O_RDWR never
 * blocks; a blocking open for reading waits for a writer (and the other
 * way round); a reader sees end of file and POLLHUP once the last writer
 * closes, and not before a writer ever came (its reads give 0 then too); a writer with no reader
 * gets EPIPE and SIGPIPE; the data of a FIFO is gone when the last end closes.
 */
#include "t.h"
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

static volatile sig_atomic_t pipes;

static void on_pipe(int sig)
{
	(void)sig;
	pipes++;
}

int main(void)
{
	char path[300], buf[16];
	struct pollfd p;
	int r, w, rw, st, n;
	pid_t pid;

	t_start();
	snprintf(path, sizeof(path), "%s/fifo_open.%d", t_tmpdir(), getpid());
	unlink(path);
	CHECK_OK(mkfifo(path, 0600), "mkfifo");
	CHECK_ERR(mkfifo(path, 0600), EEXIST, "mkfifo again: EEXIST");
	CHECK_ERR(open(path, O_WRONLY | O_NONBLOCK), ENXIO, "a non-blocking writer with no reader: ENXIO");
	r = open(path, O_RDONLY | O_NONBLOCK);
	check(r >= 0, "a non-blocking reader opens alone", "errno %d", errno);
	p.fd = r;
	p.events = POLLIN;
	n = poll(&p, 1, 0);
	check(n == 0, "no writer ever came: no POLLHUP yet", "n %d revents %#x", n, p.revents);
	check(read(r, buf, sizeof(buf)) == 0, "but its read sees no writer: 0", "errno %d", errno);
	w = open(path, O_WRONLY | O_NONBLOCK);
	check(w >= 0, "now a non-blocking writer opens", "errno %d", errno);
	write(w, "abc", 3);
	check(read(r, buf, sizeof(buf)) == 3, "data through it", "errno %d", errno);
	close(w);
	n = poll(&p, 1, 0);
	check(n == 1 && (p.revents & POLLHUP), "the last writer gone: POLLHUP", "revents %#x", p.revents);
	check(read(r, buf, sizeof(buf)) == 0, "and end of file", "errno %d", errno);
	close(r);
	rw = open(path, O_RDWR);
	check(rw >= 0, "O_RDWR opens without a peer", "errno %d", errno);
	write(rw, "x", 1);
	check(read(rw, buf, 1) == 1, "and reads its own write", "errno %d", errno);
	write(rw, "left", 4);
	close(rw);
	r = open(path, O_RDONLY | O_NONBLOCK);
	check(read(r, buf, sizeof(buf)) == 0, "the data died with the last end", "errno %d", errno);
	close(r);
	/* Blocking opens wait for the other end. */
	pid = fork();
	if (pid == 0) {
		int fd = open(path, O_WRONLY);	/* waits for the reader below */

		_exit(fd >= 0 && write(fd, "hi", 2) == 2 ? 0 : 1);
	}
	r = open(path, O_RDONLY);
	check(r >= 0, "a blocking reader and a blocking writer meet", "errno %d", errno);
	n = (int)read(r, buf, sizeof(buf));
	check(n == 2, "the writer's data", "%d", n);
	waitpid(pid, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the writer succeeded", "status %#x", st);
	check(read(r, buf, sizeof(buf)) == 0, "then end of file", "errno %d", errno);
	/* A writer whose reader left. */
	w = open(path, O_WRONLY | O_NONBLOCK);
	close(r);
	signal(SIGPIPE, on_pipe);
	CHECK_ERR(write(w, "z", 1), EPIPE, "writing with no reader: EPIPE");
	check(pipes == 1, "and SIGPIPE", "%d", (int)pipes);
	p.fd = w;
	p.events = POLLOUT;
	n = poll(&p, 1, 0);
	check(n == 1 && (p.revents & POLLERR), "the writer polls POLLERR", "revents %#x", p.revents);
	close(w);
	unlink(path);
	return t_done();
}
