/*
 * pty_termios.c - the line discipline through a pty: canonical editing
 * (VERASE, VKILL, VWERASE, VLNEXT, VEOF, VEOL), the echo variants
 * (ECHO, ECHOE, ECHOK, ECHOKE, ECHONL, ECHOCTL), input and output
 * mapping (ICRNL, INLCR, IGNCR, ISTRIP, OPOST, ONLCR, OCRNL, ONOCR,
 * XTABS), non-canonical VMIN/VTIME, TCSETSF and TCFLSH, IXON ^S/^Q and
 * the termios2 ioctls.  Input is typed on the master; what the slave
 * reads and what the master sees echoed are compared.
 */
#include "pty.h"

/* <asm-generic/termbits.h>, which cannot be included beside <termios.h>. */
struct termios2 {
	tcflag_t c_iflag, c_oflag, c_cflag, c_lflag;
	cc_t c_line;
	cc_t c_cc[19];
	speed_t c_ispeed, c_ospeed;
};

static int m, s;

static void set(tcflag_t iflag, tcflag_t oflag, tcflag_t lflag)
{
	struct termios t;

	tcgetattr(s, &t);
	t.c_iflag = iflag;
	t.c_oflag = oflag;
	t.c_lflag = lflag;
	tcsetattr(s, TCSANOW, &t);
}

static void set_cc(int idx, cc_t v)
{
	struct termios t;

	tcgetattr(s, &t);
	t.c_cc[idx] = v;
	tcsetattr(s, TCSANOW, &t);
}

/* Types in on the master, then reads the slave once and the echo. */
static void type(const char *in, char *got, char *echo)
{
	struct pollfd p = { .fd = s, .events = POLLIN };
	ssize_t r = 0;
	char junk[256];

	pty_drain(m, junk, sizeof(junk));
	if (write(m, in, strlen(in)) < 0)
		perror("write");
	got[0] = '\0';
	if (poll(&p, 1, 500) == 1) {
		r = read(s, got, 255);
		got[r > 0 ? r : 0] = '\0';
	}
	pty_drain(m, echo, 256);
}

static void expect(const char *name, const char *in, const char *want, const char *want_echo)
{
	char got[256], echo[256];

	type(in, got, echo);
	check(strcmp(got, want) == 0, name, "read '%s' want '%s'", vis(got), vis(want));
	if (want_echo != NULL)
		check(strcmp(echo, want_echo) == 0, name, "echo '%s' want '%s'", vis(echo),
		      vis(want_echo));
}

#define CANON (ISIG | ICANON | IEXTEN)

static void test_editing(void)
{
	set(ICRNL, OPOST | ONLCR, CANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE);
	expect("VERASE", "abc\x7f" "d\n", "abd\n", "abc\b \bd\r\n");
	expect("VKILL with ECHOKE", "xyz\x15" "ok\n", "ok\n", "xyz\b \b\b \b\b \bok\r\n");
	expect("VWERASE", "one two\x17" "six\n", "one six\n", "one two\b \b\b \b\b \bsix\r\n");
	expect("VLNEXT", "a\x16\x7f" "b\n", "a\x7f" "b\n", "a^\b^?b\r\n");
	expect("ECHOCTL", "x\x01y\n", "x\x01y\n", "x^Ay\r\n");
	expect("VEOF mid-line", "part\x04", "part", "part");
	expect("VEOF on an empty line", "\x04", "", "");
	set_cc(VEOL, '!');
	expect("VEOL", "stop!", "stop!", "stop!");
	set_cc(VEOL, 0);
	set(ICRNL, OPOST | ONLCR, CANON | ECHO | ECHOK);
	expect("VKILL with ECHOK", "gone\x15" "ok\n", "ok\n", "gone\x15\r\nok\r\n");
	set(ICRNL, OPOST | ONLCR, CANON | ECHO);
	expect("VERASE without ECHOE", "ab\x7f\n", "a\n", "ab\x7f\r\n");
	set(ICRNL, OPOST | ONLCR, CANON | ECHONL);
	expect("ECHONL without ECHO", "secret\n", "secret\n", "\r\n");
	set(ICRNL, OPOST | ONLCR, CANON);
	expect("no echo", "quiet\n", "quiet\n", "");
}

static void test_mapping(void)
{
	set(0, OPOST | ONLCR, CANON | ECHO);
	expect("no ICRNL: CR is data", "a\rb\n", "a\rb\n", NULL);
	set(INLCR | ICRNL, OPOST | ONLCR, ICANON);
	expect("INLCR", "x\ny\r", "x\ry\n", NULL);
	set(IGNCR, OPOST | ONLCR, ICANON);
	expect("IGNCR", "p\rq\n", "pq\n", NULL);
	set(ISTRIP | ICRNL, OPOST | ONLCR, ICANON);
	expect("ISTRIP", "\xc1\n", "A\n", NULL);
}

static void test_output(void)
{
	char buf[256];
	struct {
		const char *name;
		tcflag_t oflag;
		const char *in, *out;
	} cases[] = {
		{ "ONLCR", OPOST | ONLCR, "a\nb", "a\r\nb" },
		{ "no OPOST", ONLCR, "a\nb", "a\nb" },
		{ "OCRNL", OPOST | OCRNL, "a\rb", "a\nb" },
		{ "ONOCR", OPOST | ONOCR, "ab\r\r", "ab\r" },
		{ "XTABS", OPOST | XTABS, "ab\tc", "ab      c" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		set(ICRNL, cases[i].oflag, CANON);
		pty_drain(m, buf, sizeof(buf));
		if (write(s, cases[i].in, strlen(cases[i].in)) < 0)
			perror("write");
		pty_drain(m, buf, sizeof(buf));
		check(strcmp(buf, cases[i].out) == 0, cases[i].name, "'%s' want '%s'", vis(buf),
		      vis(cases[i].out));
	}
}

static void test_raw(void)
{
	struct termios t;
	char buf[16];
	ssize_t r;

	set(0, 0, 0);
	tcgetattr(s, &t);
	t.c_cc[VMIN] = 0;
	t.c_cc[VTIME] = 0;
	tcsetattr(s, TCSANOW, &t);
	r = read(s, buf, sizeof(buf));
	check(r == 0, "VMIN=0 VTIME=0 polls: 0", "%zd", r);
	t.c_cc[VMIN] = 3;
	tcsetattr(s, TCSANOW, &t);
	if (write(m, "abcd", 4) != 4)
		perror("write");
	usleep(20000);
	r = read(s, buf, 2);
	check(r == 2, "VMIN=3, 2 wanted: 2", "%zd", r);
	if (write(m, "e", 1) != 1)
		perror("write");
	r = read(s, buf, sizeof(buf));
	check(r == 3 && memcmp(buf, "cde", 3) == 0, "VMIN bytes", "%zd", r);
	t.c_cc[VMIN] = 0;
	t.c_cc[VTIME] = 1;
	tcsetattr(s, TCSANOW, &t);
	r = read(s, buf, sizeof(buf));
	check(r == 0, "VTIME with nothing typed: 0", "%zd", r);
	if (write(m, "z", 1) != 1)
		perror("write");
	r = read(s, buf, sizeof(buf));
	check(r == 1 && buf[0] == 'z', "VTIME returns what came", "%zd", r);
	expect("raw: no editing", "a\x7f\x15\n", "a\x7f\x15\n", "");
}

static void test_flush(void)
{
	char buf[64];
	int q = -1;

	set(ICRNL, OPOST | ONLCR, CANON);
	if (write(m, "old\n", 4) != 4)
		perror("write");
	usleep(20000);
	CHECK_OK(tcflush(s, TCIFLUSH), "TCFLSH TCIFLUSH");
	ioctl(s, FIONREAD, &q);
	check(q == 0, "input flushed", "%d", q);
	if (write(m, "old\n", 4) != 4)
		perror("write");
	usleep(20000);
	set(ICRNL, OPOST | ONLCR, ICANON);
	struct termios t;
	tcgetattr(s, &t);
	CHECK_OK(tcsetattr(s, TCSAFLUSH, &t), "TCSETSF");
	ioctl(s, FIONREAD, &q);
	check(q == 0, "TCSETSF flushed the input", "%d", q);
	expect("a line after the flush", "new\n", "new\n", NULL);
	(void)buf;
}

static void test_ixon(void)
{
	struct pollfd p = { .events = POLLOUT };
	char buf[64];
	int fl;

	set(ICRNL | IXON, OPOST | ONLCR, CANON);
	if (write(m, "\x13", 1) != 1)	/* ^S */
		perror("write");
	usleep(20000);
	fl = fcntl(s, F_GETFL);
	fcntl(s, F_SETFL, fl | O_NONBLOCK);
	CHECK_ERR(write(s, "x", 1), EAGAIN, "^S stops output");
	p.fd = s;
	check(poll(&p, 1, 0) == 0, "stopped: not writable", "%#x", p.revents);
	if (write(m, "\x11", 1) != 1)	/* ^Q */
		perror("write");
	usleep(20000);
	CHECK_OK(write(s, "y", 1), "^Q restarts it");
	pty_drain(m, buf, sizeof(buf));
	check(strcmp(buf, "y") == 0, "the output after ^Q", "'%s'", vis(buf));
	CHECK_OK(tcflow(s, TCOOFF), "tcflow TCOOFF");
	CHECK_ERR(write(s, "x", 1), EAGAIN, "TCOOFF stops output");
	CHECK_OK(tcflow(s, TCOON), "tcflow TCOON");
	CHECK_OK(write(s, "z", 1), "TCOON restarts it");
	fcntl(s, F_SETFL, fl);
	CHECK_OK(tcflow(s, TCIOFF), "tcflow TCIOFF");
	pty_drain(m, buf, sizeof(buf));
	check(strcmp(buf, "z\x13") == 0, "TCIOFF sends VSTOP", "'%s'", vis(buf));
	CHECK_ERR(tcflow(s, 7), EINVAL, "tcflow: bad action");
	CHECK_ERR(tcflush(s, 7), EINVAL, "tcflush: bad queue");
}

static void test_termios2(void)
{
	struct termios2 t2;
	struct termios t;

	memset(&t2, 0, sizeof(t2));
	CHECK_OK(ioctl(s, TCGETS2, &t2), "TCGETS2");
	tcgetattr(s, &t);
	check(t2.c_lflag == t.c_lflag && t2.c_iflag == t.c_iflag, "TCGETS2 = TCGETS", "%x %x",
	      t2.c_lflag, t.c_lflag);
	t2.c_lflag |= ECHO;
	CHECK_OK(ioctl(s, TCSETS2, &t2), "TCSETS2");
	tcgetattr(s, &t);
	check(t.c_lflag & ECHO, "TCSETS2 took", "%x", t.c_lflag);
	CHECK_OK(tcgetattr(m, &t), "TCGETS on the master");
	check(t.c_lflag & ECHO, "the master's termios are the slave's", "%x", t.c_lflag);
}

int main(void)
{
	t_start();
	check(pty_setup() == 0, "devpts on /dev/pts", "%s", strerror(errno));
	m = pty_pair(&s, O_RDWR | O_NOCTTY);
	test_editing();
	test_mapping();
	test_output();
	test_raw();
	test_flush();
	test_ixon();
	test_termios2();
	return t_done();
}
