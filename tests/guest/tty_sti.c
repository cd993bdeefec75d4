/*
 * tty_sti.c - TIOCSTI with CAP_SYS_ADMIN: bytes pushed into a terminal's
 * input (one it has open, its controlling one or not) are read back as
 * typed, echoed to the master, a pushed newline ending a canonical line;
 * a bad pointer is EFAULT.  Without the capability the answer depends on
 * the host's dev.tty.legacy_tiocsti (./linux behaves as 0: EIO), so it
 * is not compared here.
 */
#include "pty.h"

static int m, s;

static void push(int fd, const char *text)
{
	for (; *text; text++)
		if (ioctl(fd, TIOCSTI, text) < 0)
			printf("# TIOCSTI '%c': %s\n", *text, strerror(errno));
}

/* In a session with the slave as its controlling terminal. */
static int own_tty(void)
{
	char buf[64];
	int n;

	if (pty_take_ctty(s) < 0)
		return 99;
	push(s, "ls\n");
	n = (int)read(s, buf, sizeof(buf));
	check(n == 3 && !memcmp(buf, "ls\n", 3), "pushed into its own terminal: read back", "%d", n);
	return t_failed;
}

int main(void)
{
	char buf[64];
	int n;

	t_start();
	if (geteuid() != 0) {
		skip("TIOCSTI", "needs CAP_SYS_ADMIN");
		return t_done();
	}
	pty_open_ctty_pair(&m, &s);
	push(s, "hi\n");
	n = (int)read(s, buf, sizeof(buf));
	check(n == 3 && !memcmp(buf, "hi\n", 3), "pushed into a terminal not its own: read back", "%d", n);
	n = pty_drain(m, buf, sizeof(buf));
	check(!strcmp(buf, "hi\r\n"), "and echoed to the master", "'%s'", vis(buf));
	push(s, "ab");
	write(m, "c\n", 2);
	n = (int)read(s, buf, sizeof(buf));
	check(n == 4 && !memcmp(buf, "abc\n", 4), "pushed bytes and typed ones make one line", "%d", n);
	CHECK_ERR(ioctl(s, TIOCSTI, (char *)8), EFAULT, "a bad pointer: EFAULT");
	pty_in_child(own_tty, "the session's checks");
	return t_done();
}
