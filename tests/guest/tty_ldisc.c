/*
 * tty_ldisc.c - the rest of the termios ioctls on a pty slave: the line
 * discipline (TIOCGETD is N_TTY; TIOCSETD to N_TTY works, to an unknown
 * one EINVAL), breaks (tcsendbreak, TCSBRK, TCSBRKP, TIOCSBRK/TIOCCBRK
 * succeed), tcsetattr's TCSANOW/TCSADRAIN keeping pending input and
 * TCSAFLUSH discarding it, the speeds (cfsetospeed/cfgetospeed through
 * the kernel), bad pointers (EFAULT) and a bad action (EINVAL).
 */
#include "pty.h"

int main(void)
{
	struct termios t, u;
	char buf[64];
	int m, s, d = -1, n;

	t_start();
	if (pty_setup() < 0)
		printf("# devpts: %s\n", strerror(errno));
	m = pty_pair(&s, O_RDWR | O_NOCTTY);
	check(ioctl(s, TIOCGETD, &d) == 0 && d == 0, "TIOCGETD: N_TTY (0)", "d %d errno %d", d, errno);
	d = 0;
	check(ioctl(s, TIOCSETD, &d) == 0, "TIOCSETD N_TTY", "errno %d", errno);
	d = 99;
	CHECK_ERR(ioctl(s, TIOCSETD, &d), EINVAL, "TIOCSETD 99: EINVAL");
	CHECK_ERR(ioctl(s, TIOCGETD, (void *)8), EFAULT, "TIOCGETD bad pointer: EFAULT");
	check(tcsendbreak(s, 0) == 0, "tcsendbreak", "errno %d", errno);
	check(ioctl(s, TCSBRK, 1) == 0 && ioctl(s, TCSBRKP, 0) == 0, "TCSBRK, TCSBRKP", "errno %d", errno);
	check(ioctl(s, TIOCSBRK) == 0 && ioctl(s, TIOCCBRK) == 0, "TIOCSBRK, TIOCCBRK", "errno %d", errno);
	tcgetattr(s, &t);
	t.c_lflag &= ~(ICANON | ECHO);
	tcsetattr(s, TCSANOW, &t);
	write(m, "keep", 4);
	usleep(10000);
	check(tcsetattr(s, TCSADRAIN, &t) == 0, "TCSADRAIN", "errno %d", errno);
	n = (int)read(s, buf, sizeof(buf));
	check(n == 4, "TCSANOW and TCSADRAIN keep pending input", "%d", n);
	write(m, "drop", 4);
	usleep(10000);
	check(tcsetattr(s, TCSAFLUSH, &t) == 0, "TCSAFLUSH", "errno %d", errno);
	fcntl(s, F_SETFL, O_NONBLOCK);
	CHECK_ERR(read(s, buf, sizeof(buf)), EAGAIN, "TCSAFLUSH dropped the pending input");
	CHECK_ERR(tcsetattr(s, 7, &t), EINVAL, "tcsetattr with action 7: EINVAL");
	CHECK_ERR(ioctl(s, TCSETS, (void *)8), EFAULT, "TCSETS bad pointer: EFAULT");
	CHECK_ERR(ioctl(s, TCGETS, (void *)8), EFAULT, "TCGETS bad pointer: EFAULT");
	cfsetospeed(&t, B9600);
	cfsetispeed(&t, B9600);
	check(tcsetattr(s, TCSANOW, &t) == 0, "set 9600 baud", "errno %d", errno);
	tcgetattr(s, &u);
	check(cfgetospeed(&u) == B9600 && cfgetispeed(&u) == B9600, "read back as 9600", "%u %u",
	      (unsigned)cfgetospeed(&u), (unsigned)cfgetispeed(&u));
	tcgetattr(m, &u);
	check(cfgetospeed(&u) == B9600, "the master reports the slave's termios", "%u", (unsigned)cfgetospeed(&u));
	CHECK_ERR(ioctl(open("/dev/null", O_RDWR), TCGETS, &u), ENOTTY, "TCGETS on /dev/null: ENOTTY");
	return t_done();
}
