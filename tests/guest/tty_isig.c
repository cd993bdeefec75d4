/*
 * tty_isig.c - the signal characters (ISIG, termios(3)): VINTR, VQUIT
 * and VSUSP typed on the master signal the slave's foreground group and
 * flush its pending input unless NOFLSH; they are echoed as ^C, ^\ and
 * ^Z with ECHOCTL; a changed VINTR works in place of ^C, a disabled one
 * (_POSIX_VDISABLE) is plain data, and without ISIG they are all data;
 * a canonical line read in pieces, and VEOF in the middle of a line
 * ending a read without a newline.
 */
#include "pty.h"

static int m, s;
static volatile sig_atomic_t got[NSIG];

static void on_sig(int sig)
{
	got[sig]++;
}

static void set_lflag(tcflag_t on, tcflag_t off)
{
	struct termios t;

	tcgetattr(s, &t);
	t.c_lflag = (t.c_lflag | on) & ~off;
	tcsetattr(s, TCSANOW, &t);
}

static void set_cc(int idx, cc_t v)
{
	struct termios t;

	tcgetattr(s, &t);
	t.c_cc[idx] = v;
	tcsetattr(s, TCSANOW, &t);
}

/* Types text on the master and waits until sig came (or a bound). */
static void type_sig(const char *text, int sig)
{
	int before = got[sig];

	write(m, text, strlen(text));
	for (int i = 0; i < 2000 && got[sig] == before; i++)
		usleep(1000);
}

static int session(void)
{
	struct sigaction sa = { .sa_handler = on_sig };
	char buf[128];
	int n;

	if (pty_take_ctty(s) < 0)
		return 99;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGQUIT, &sa, NULL);
	sigaction(SIGTSTP, &sa, NULL);
	set_lflag(ISIG | ICANON | ECHO | ECHOCTL, NOFLSH);
	type_sig("abc\003", SIGINT);
	check(got[SIGINT] == 1, "^C sends SIGINT to the foreground", "%d", got[SIGINT]);
	n = pty_drain(m, buf, sizeof(buf));
	check(n >= 2 && !strcmp(buf + n - 2, "^C"), "echoed as ^C (the output before it may be flushed)",
	      "'%s' (%d)", vis(buf), n);
	write(m, "d\n", 2);
	n = (int)read(s, buf, sizeof(buf));
	check(n == 2 && !memcmp(buf, "d\n", 2), "the partial line abc was flushed", "%d '%.*s'", n, n, buf);
	pty_drain(m, buf, sizeof(buf));
	set_lflag(NOFLSH, 0);
	type_sig("xy\034", SIGQUIT);
	check(got[SIGQUIT] == 1, "^\\ sends SIGQUIT", "%d", got[SIGQUIT]);
	write(m, "z\n", 2);
	n = (int)read(s, buf, sizeof(buf));
	check(n == 4 && !memcmp(buf, "xyz\n", 4), "with NOFLSH the pending input stays", "%d '%.*s'", n, n, buf);
	pty_drain(m, buf, sizeof(buf));
	type_sig("\032", SIGTSTP);
	check(got[SIGTSTP] == 1, "^Z sends SIGTSTP", "%d", got[SIGTSTP]);
	n = pty_drain(m, buf, sizeof(buf));
	check(!strcmp(buf, "^Z"), "echoed as ^Z", "'%s'", vis(buf));
	set_cc(VINTR, 'q');
	type_sig("q", SIGINT);
	check(got[SIGINT] == 2, "a VINTR of 'q' interrupts", "%d", got[SIGINT]);
	write(m, "\003\n", 2);
	n = (int)read(s, buf, sizeof(buf));
	check(n == 2 && buf[0] == 3 && got[SIGINT] == 2, "and ^C is data then", "%d %d", n, got[SIGINT]);
	set_cc(VINTR, _POSIX_VDISABLE);
	write(m, "q\n", 2);
	n = (int)read(s, buf, sizeof(buf));
	check(n == 2 && buf[0] == 'q' && got[SIGINT] == 2, "a disabled VINTR is nothing special", "%d", n);
	set_cc(VINTR, 3);
	set_lflag(0, ISIG);
	write(m, "\003\034\032\n", 4);
	n = (int)read(s, buf, sizeof(buf));
	check(n == 4 && got[SIGINT] == 2 && got[SIGQUIT] == 1 && got[SIGTSTP] == 1,
	      "without ISIG they are all data", "%d", n);
	set_lflag(ISIG, ECHO);
	pty_drain(m, buf, sizeof(buf));
	write(m, "abcdefgh\n", 9);
	n = (int)read(s, buf, 3);
	check(n == 3 && !memcmp(buf, "abc", 3), "a line read 3 bytes at a time: abc", "%d", n);
	n = (int)read(s, buf, 3);
	check(n == 3 && !memcmp(buf, "def", 3), "then def", "%d", n);
	n = (int)read(s, buf, sizeof(buf));
	check(n == 3 && !memcmp(buf, "gh\n", 3), "then the rest with its newline", "%d", n);
	write(m, "12\00434\n", 6);
	n = (int)read(s, buf, sizeof(buf));
	check(n == 2 && !memcmp(buf, "12", 2), "VEOF mid-line ends a read without a newline", "%d", n);
	n = (int)read(s, buf, sizeof(buf));
	check(n == 3 && !memcmp(buf, "34\n", 3), "and the rest is the next line", "%d", n);
	return t_failed;
}

int main(void)
{
	t_start();
	pty_open_ctty_pair(&m, &s);
	pty_in_child(session, "the session's checks");
	return t_done();
}
