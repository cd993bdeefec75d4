/*
 * tty_queues.c - a terminal's queues through a pty: FIONREAD/TIOCINQ
 * count only whole lines in canonical mode and every byte in raw mode;
 * TIOCOUTQ on the master; TCFLSH's TCIFLUSH, TCOFLUSH and TCIOFLUSH
 * (EINVAL otherwise); TCXONC's TCOOFF/TCOON (output held, then released)
 * and TCIOFF/TCION (the STOP and START characters sent), EINVAL
 * otherwise; tcdrain returning.
 */
#include "pty.h"

static int m, s;

static int inq(int fd)
{
	int n = -1;

	return ioctl(fd, TIOCINQ, &n) < 0 ? -errno : n;
}

static void raw(bool on)
{
	struct termios t;

	tcgetattr(s, &t);
	if (on)
		t.c_lflag &= ~(ICANON | ECHO);
	else
		t.c_lflag |= ICANON;
	t.c_lflag &= ~ECHO;
	tcsetattr(s, TCSANOW, &t);
}

int main(void)
{
	char buf[256];
	int n, q;

	t_start();
	if (pty_setup() < 0)
		printf("# devpts: %s\n", strerror(errno));
	m = pty_pair(&s, O_RDWR | O_NOCTTY);
	raw(false);
	write(m, "abc", 3);
	usleep(1000);
	check(inq(s) == 0, "canonical: a partial line is not counted", "%d", inq(s));
	write(m, "de\nfg", 5);
	for (int i = 0; i < 100 && inq(s) == 0; i++)
		usleep(1000);
	check(inq(s) == 6, "canonical: one whole line counted (6)", "%d", inq(s));
	n = 0;
	check(ioctl(s, FIONREAD, &n) == 0 && n == 6, "FIONREAD is TIOCINQ", "%d", n);
	check(read(s, buf, sizeof(buf)) == 6, "the line reads", "errno %d", errno);
	check(inq(s) == 0, "then nothing whole is left", "%d", inq(s));
	raw(true);
	check(inq(s) == 2, "raw mode counts the pending bytes (2)", "%d", inq(s));
	check(tcflush(s, TCIFLUSH) == 0 && inq(s) == 0, "TCIFLUSH drops the input", "%d", inq(s));
	/* The master's view: bytes the slave wrote and nobody read. */
	write(s, "12345", 5);
	q = 0;
	for (int i = 0; i < 100 && q != 5; i++) {
		ioctl(m, TIOCINQ, &q);
		usleep(1000);
	}
	check(q == 5, "the master's TIOCINQ counts the slave's output", "%d", q);
	check(ioctl(s, TIOCOUTQ, &q) == 0 && q >= 0, "TIOCOUTQ on the slave", "errno %d", errno);
	check(tcflush(s, TCOFLUSH) == 0, "TCOFLUSH on the slave", "errno %d", errno);
	n = pty_drain(m, buf, sizeof(buf));
	check(n == 5, "what the master has not read stays (Linux)", "'%s'", buf);
	write(m, "xy", 2);
	write(s, "zz", 2);
	usleep(10000);
	check(tcflush(s, TCIOFLUSH) == 0 && inq(s) == 0, "TCIOFLUSH drops input", "%d", inq(s));
	pty_drain(m, buf, sizeof(buf));
	CHECK_ERR(tcflush(s, 3), EINVAL, "TCFLSH 3: EINVAL");
	CHECK_ERR(ioctl(s, TCFLSH, -1), EINVAL, "TCFLSH -1: EINVAL");
	/* Flow control from the slave's side. */
	check(tcflow(s, TCOOFF) == 0, "TCOOFF", "errno %d", errno);
	{
		int fl = fcntl(s, F_GETFL);

		fcntl(s, F_SETFL, fl | O_NONBLOCK);
		CHECK_ERR(write(s, "held", 4), EAGAIN, "a non-blocking write while stopped: EAGAIN");
		fcntl(s, F_SETFL, fl);
	}
	pid_t w = fork();

	if (w == 0)
		_exit(write(s, "held", 4) == 4 ? 0 : 1);	/* waits for TCOON */
	check(pty_drain(m, buf, sizeof(buf)) == 0, "a blocking write waits while stopped", "'%s'", buf);
	check(tcflow(s, TCOON) == 0, "TCOON", "errno %d", errno);
	waitpid(w, NULL, 0);
	n = pty_drain(m, buf, sizeof(buf));
	check(n == 4 && !strcmp(buf, "held"), "then its bytes come", "'%s'", buf);
	check(tcflow(s, TCIOFF) == 0 && pty_drain(m, buf, sizeof(buf)) == 1 && buf[0] == 023,
	      "TCIOFF sends STOP (^S)", "'%s'", vis(buf));
	check(tcflow(s, TCION) == 0 && pty_drain(m, buf, sizeof(buf)) == 1 && buf[0] == 021,
	      "TCION sends START (^Q)", "'%s'", vis(buf));
	CHECK_ERR(tcflow(s, 7), EINVAL, "TCXONC 7: EINVAL");
	check(tcdrain(s) == 0, "tcdrain returns", "errno %d", errno);
	return t_done();
}
