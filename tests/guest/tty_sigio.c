/*
 * tty_sigio.c - signal-driven I/O on terminals and sockets (the issue's
 * "SIGIO/F_SETOWN/F_SETSIG/O_ASYNC on ttys, pipes and sockets"; sigio.c
 * has pipes): O_ASYNC on a pty master signals when the slave writes, on
 * the slave when a line is typed (canonical: only a whole line), with
 * F_SETSIG's signal and si_fd/si_band; on an AF_UNIX socket when data
 * arrives; nothing after O_ASYNC is cleared.
 */
#include "pty.h"
#include <sys/socket.h>

static volatile sig_atomic_t count, last_fd, last_band;

static void on_sig(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	count++;
	last_fd = si->si_fd;
	last_band = (int)si->si_band;
}

static void async_on(int fd, int sig)
{
	fcntl(fd, F_SETOWN, getpid());
	if (sig)
		fcntl(fd, F_SETSIG, sig);
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_ASYNC);
}

/* Waits (bounded) until count passes before. */
static void wait_count(int before)
{
	for (int i = 0; i < 2000 && count == before; i++)
		usleep(1000);
}

int main(void)
{
	struct sigaction sa = { .sa_sigaction = on_sig, .sa_flags = SA_SIGINFO };
	struct termios t;
	char buf[64];
	int m, s, sv[2], before;

	t_start();
	if (pty_setup() < 0)
		printf("# devpts: %s\n", strerror(errno));
	sigaction(SIGIO, &sa, NULL);
	sigaction(SIGRTMIN + 1, &sa, NULL);
	m = pty_pair(&s, O_RDWR | O_NOCTTY);
	tcgetattr(s, &t);
	t.c_lflag &= ~ECHO;
	tcsetattr(s, TCSANOW, &t);
	async_on(m, SIGRTMIN + 1);
	before = count;
	write(s, "out", 3);
	wait_count(before);
	check(count == before + 1 && last_fd == m, "the master gets F_SETSIG's signal when the slave writes",
	      "count %d fd %d", (int)count - before, (int)last_fd);
	check(last_band & POLLIN, "si_band has POLLIN", "%#x", (int)last_band);
	read(m, buf, sizeof(buf));
	async_on(s, 0);
	before = count;
	write(m, "par", 3);
	usleep(50000);
	pty_drain(s, buf, sizeof(buf));
	check(count == before, "canonical slave: no SIGIO for a partial line", "%d", (int)count - before);
	write(m, "t\n", 2);
	wait_count(before);
	check(count == before + 1, "SIGIO on the slave for a whole line", "count %d", (int)count - before);
	read(s, buf, sizeof(buf));
	fcntl(s, F_SETFL, fcntl(s, F_GETFL) & ~O_ASYNC);
	before = count;
	write(m, "again\n", 6);
	usleep(50000);
	check(count == before, "no SIGIO once O_ASYNC is cleared", "%d", (int)count - before);
	read(s, buf, sizeof(buf));
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	async_on(sv[1], SIGRTMIN + 1);
	before = count;
	write(sv[0], "sock", 4);
	wait_count(before);
	check(count == before + 1 && last_fd == sv[1], "an AF_UNIX socket signals on data", "count %d fd %d",
	      (int)count - before, (int)last_fd);
	return t_done();
}
