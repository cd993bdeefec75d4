/*
 * pty_winch.c - window size: a pty starts at 0x0; TIOCSWINSZ on the
 * master (as a terminal emulator does on resize) is seen by TIOCGWINSZ
 * on the slave, and the slave's foreground process group gets SIGWINCH
 * once per change; setting the same size again sends nothing.
 */
#include "pty.h"

static volatile sig_atomic_t winches;

static void on_winch(int sig)
{
	winches++;
}

/* The child: a session on the slave; reports each size it is told of. */
static void child(const char *name, int out)
{
	struct winsize ws;
	sigset_t set, old;
	char line[64];
	int s, i;

	setsid();
	s = open(name, O_RDWR);		/* becomes the controlling terminal */
	signal(SIGWINCH, on_winch);
	sigemptyset(&set);
	sigaddset(&set, SIGWINCH);
	sigprocmask(SIG_BLOCK, &set, &old);
	if (write(out, "R", 1) != 1)
		_exit(2);
	for (i = 0; i < 2; i++) {
		while (winches == i)
			sigsuspend(&old);
		ioctl(s, TIOCGWINSZ, &ws);
		snprintf(line, sizeof(line), "%d %dx%d\n", (int)winches, ws.ws_row, ws.ws_col);
		if (write(out, line, strlen(line)) < 0)
			_exit(2);
	}
	_exit(0);
}

int main(void)
{
	struct winsize ws = { 0 }, big = { .ws_row = 50, .ws_col = 132 };
	struct winsize small = { .ws_row = 10, .ws_col = 40 };
	char buf[64];
	int m, s, pfd[2], st = -1;
	pid_t pid;

	t_start();
	check(pty_setup() == 0, "devpts on /dev/pts", "%s", strerror(errno));
	m = pty_pair(&s, O_RDWR | O_NOCTTY);
	CHECK_OK(ioctl(s, TIOCGWINSZ, &ws), "TIOCGWINSZ");
	check(ws.ws_row == 0 && ws.ws_col == 0, "a pty starts at 0x0", "%dx%d", ws.ws_row, ws.ws_col);
	CHECK_ERR(ioctl(s, TIOCGWINSZ, NULL), EFAULT, "TIOCGWINSZ NULL: EFAULT");
	CHECK_ERR(ioctl(m, TIOCSWINSZ, (void *)8), EFAULT, "TIOCSWINSZ bad pointer: EFAULT");
	if (pipe(pfd) < 0)
		return 1;
	pid = fork();
	if (pid == 0) {
		close(pfd[0]);
		child(ptsname(m), pfd[1]);
	}
	close(pfd[1]);
	check(read(pfd[0], buf, 1) == 1, "child on the slave", "");
	CHECK_OK(ioctl(m, TIOCSWINSZ, &big), "TIOCSWINSZ on the master");
	memset(buf, 0, sizeof(buf));
	check(read(pfd[0], buf, 10) > 0 && strcmp(buf, "1 50x132\n") == 0, "SIGWINCH, new size",
	      "'%s'", vis(buf));
	CHECK_OK(ioctl(m, TIOCSWINSZ, &big), "the same size again");
	CHECK_OK(ioctl(s, TIOCSWINSZ, &small), "TIOCSWINSZ on the slave");
	memset(buf, 0, sizeof(buf));
	check(read(pfd[0], buf, 10) > 0 && strcmp(buf, "2 10x40\n") == 0,
	      "one SIGWINCH per change", "'%s'", vis(buf));
	waitpid(pid, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child done", "%#x", st);
	ioctl(m, TIOCGWINSZ, &ws);
	check(ws.ws_row == 10 && ws.ws_col == 40, "the master sees the slave's size", "%dx%d",
	      ws.ws_row, ws.ws_col);
	close(s);
	close(m);
	return t_done();
}
