/*
 * tty_notty.c - TIOCNOTTY (tty_ioctl(4)): a session leader giving its
 * terminal up sends the foreground group SIGHUP and SIGCONT and the
 * whole session loses it (/dev/tty: ENXIO); a process that is not the
 * leader loses it only for itself (no signal; the terminal stays the
 * session's); TIOCNOTTY on a terminal that is not the caller's: ENOTTY.
 */
#include "pty.h"

static int m, s;
static int rep[2];

static volatile sig_atomic_t noted;

static void note(int sig)
{
	char c = sig == SIGHUP ? 'H' : 'C';

	write(rep[1], &c, 1);
	noted++;
}

static int member(void)
{
	int fd;

	fd = open("/dev/tty", O_RDWR);
	check(fd >= 0, "a member opens /dev/tty", "errno %d", errno);
	close(fd);
	check(ioctl(s, TIOCNOTTY) == 0, "a member's TIOCNOTTY succeeds", "errno %d", errno);
	CHECK_ERR(open("/dev/tty", O_RDWR), ENXIO, "the member has no terminal now");
	return t_failed;
}

static int leader(void)
{
	struct sigaction sa = { .sa_handler = note };
	char buf[8];
	pid_t kid;
	int n, st, ready[2];

	setsid();
	if (ioctl(s, TIOCSCTTY, 0) < 0)
		return 100;
	CHECK_ERR(ioctl(m, TIOCNOTTY), ENOTTY, "TIOCNOTTY on the master: ENOTTY");
	kid = fork();
	if (kid == 0)
		_exit(member());
	waitpid(kid, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the member's checks", "status %#x", st);
	check(tcgetsid(s) == getpid(), "the terminal stayed the session's", "%d", tcgetsid(s));
	{
		struct pollfd p = { .fd = rep[0], .events = POLLIN };

		check(poll(&p, 1, 0) == 0, "the member's TIOCNOTTY sent no signal", "one came");
	}
	/* A member of the foreground group (ours) hears the leader's TIOCNOTTY. */
	pipe(ready);
	kid = fork();
	if (kid == 0) {
		sigset_t hc, old;

		sigemptyset(&hc);
		sigaddset(&hc, SIGHUP);
		sigaddset(&hc, SIGCONT);
		sigprocmask(SIG_BLOCK, &hc, &old);
		sigaction(SIGHUP, &sa, NULL);
		sigaction(SIGCONT, &sa, NULL);
		write(ready[1], "r", 1);
		while (noted < 2)
			sigsuspend(&old);
		_exit(0);
	}
	read(ready[0], buf, 1);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGCONT, &sa, NULL);
	check(ioctl(s, TIOCNOTTY) == 0, "the leader's TIOCNOTTY", "errno %d", errno);
	waitpid(kid, &st, 0);
	check(WIFEXITED(st), "the foreground member got two signals and ended", "status %#x", st);
	n = 0;
	{
		struct pollfd p = { .fd = rep[0], .events = POLLIN };
		int hup = 0, cont = 0;

		while (poll(&p, 1, 0) == 1 && read(rep[0], buf, 1) == 1) {
			hup += buf[0] == 'H';
			cont += buf[0] == 'C';
			n++;
		}
		check(hup == 2 && cont == 2, "SIGHUP and SIGCONT to the member and the leader",
		      "hup %d cont %d", hup, cont);
	}
	CHECK_ERR(open("/dev/tty", O_RDWR), ENXIO, "then /dev/tty: ENXIO");
	CHECK_ERR(tcgetsid(s), ENOTTY, "and the terminal has no session");
	CHECK_ERR(ioctl(s, TIOCNOTTY), ENOTTY, "a second TIOCNOTTY: ENOTTY");
	return t_failed;
}

int main(void)
{
	pid_t pid;
	int st;

	t_start();
	if (pty_setup() < 0)
		printf("# devpts: %s\n", strerror(errno));
	m = pty_pair(&s, O_RDWR | O_NOCTTY);
	pipe(rep);
	pid = fork();
	if (pid == 0)
		_exit(leader());
	waitpid(pid, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the session's checks", "status %#x", st);
	return t_done();
}
