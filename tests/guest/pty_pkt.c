/*
 * pty_pkt.c - packet mode (TIOCPKT, tty_ioctl(4)): the master's reads
 * carry a TIOCPKT_DATA byte before data, or a lone status byte for the
 * slave's flushes (TCFLSH), output stops and starts (TCXONC, ^S/^Q) and
 * IXON switching (NOSTOP/DOSTOP); poll shows a status as POLLPRI.
 */
#include "pty.h"

static int m, s;

/* One read on the master within a short wait: its length, buf filled. */
static int mread(unsigned char *buf, int size)
{
	struct pollfd p = { .fd = m, .events = POLLIN | POLLPRI };

	if (poll(&p, 1, 500) != 1)
		return -2;
	return (int)read(m, buf, (size_t)size);
}

static void expect_status(const char *name, int want)
{
	unsigned char buf[16];
	int n = mread(buf, sizeof(buf));

	check(n == 1 && buf[0] == want, name, "read %d bytes, first %#x, want %#x", n,
	      n > 0 ? buf[0] : 0, want);
}

int main(void)
{
	unsigned char buf[64];
	struct pollfd p = { .events = POLLIN | POLLPRI };
	struct termios t;
	int on = 1, v = -1, n;

	t_start();
	check(pty_setup() == 0, "devpts on /dev/pts", "%s", strerror(errno));
	m = pty_pair(&s, O_RDWR | O_NOCTTY);
	CHECK_OK(ioctl(m, TIOCGPKT, &v), "TIOCGPKT");
	check(v == 0, "packet mode starts off", "%d", v);
	CHECK_OK(ioctl(m, TIOCPKT, &on), "TIOCPKT on");
	ioctl(m, TIOCGPKT, &v);
	check(v == 1, "TIOCGPKT says on", "%d", v);
	CHECK_ERR(ioctl(s, TIOCPKT, &on), ENOTTY, "TIOCPKT on the slave: ENOTTY");

	CHECK_OK(write(s, "data", 4), "slave writes");
	n = mread(buf, sizeof(buf));
	check(n == 5 && buf[0] == TIOCPKT_DATA && memcmp(buf + 1, "data", 4) == 0,
	      "data after a TIOCPKT_DATA byte", "%d %#x", n, n > 0 ? buf[0] : 0);
	p.fd = m;
	check(poll(&p, 1, 0) == 0, "nothing pending", "%#x", p.revents);

	tcflush(s, TCIFLUSH);
	p.revents = 0;
	check(poll(&p, 1, 0) == 1 && (p.revents & POLLPRI), "a status is POLLPRI", "%#x", p.revents);
	expect_status("TCIFLUSH: FLUSHREAD", TIOCPKT_FLUSHREAD);
	tcflush(s, TCOFLUSH);
	expect_status("TCOFLUSH: FLUSHWRITE", TIOCPKT_FLUSHWRITE);
	tcflush(s, TCIOFLUSH);
	expect_status("TCIOFLUSH: both", TIOCPKT_FLUSHREAD | TIOCPKT_FLUSHWRITE);
	tcflow(s, TCOOFF);
	expect_status("TCOOFF: STOP", TIOCPKT_STOP);
	tcflow(s, TCOON);
	expect_status("TCOON: START", TIOCPKT_START);
	if (write(m, "\x13", 1) != 1)
		perror("write");
	expect_status("^S: STOP", TIOCPKT_STOP);
	if (write(m, "\x11", 1) != 1)
		perror("write");
	expect_status("^Q: START", TIOCPKT_START);

	tcgetattr(s, &t);
	t.c_iflag &= ~IXON;
	tcsetattr(s, TCSANOW, &t);
	expect_status("IXON off: NOSTOP", TIOCPKT_NOSTOP);
	t.c_iflag |= IXON;
	tcsetattr(s, TCSANOW, &t);
	expect_status("IXON on: DOSTOP", TIOCPKT_DOSTOP);
	t.c_lflag &= ~ECHO;
	tcsetattr(s, TCSANOW, &t);
	p.revents = 0;
	check(poll(&p, 1, 50) == 0, "other termios changes: no status", "%#x", p.revents);

	on = 0;
	CHECK_OK(ioctl(m, TIOCPKT, &on), "TIOCPKT off");
	CHECK_OK(write(s, "raw", 3), "slave writes");
	n = mread(buf, sizeof(buf));
	check(n == 3 && memcmp(buf, "raw", 3) == 0, "plain data again", "%d", n);
	close(s);
	close(m);
	return t_done();
}
