/*
 * console.c - the console driver: a tty over the host's stdin/stdout.
 *
 * The host half (os-Linux/console.c) puts the host terminal in raw mode
 * and queues typed bytes; OS_IRQ_CONSOLE runs console_irq(), which feeds
 * them to the line discipline as long as it has room (else it waits for
 * the reader's unthrottle).  Guest output goes to host fd 1 (con0=fd:0,
 * fd:1, UML's default; con0=fd:IN,fd:OUT picks others, con0=null has no
 * input and drops output); kernel messages (console_write, printk's
 * path) go to host fd 2.
 *
 * A host SIGWINCH comes in as OS_IRQ_WINCH: the console takes the host
 * terminal's new size and its foreground group gets SIGWINCH.
 *
 * With con0=pts or con0=port: the console is con0's line instead
 * (drivers/tty/line.c, which also has con1.. and the serial lines).
 *
 * Char major 5: minor 0 is /dev/tty (the opener's controlling terminal,
 * whichever it is), minor 1 is /dev/console, minor 2 is /dev/ptmx.
 */
#include "kernel/kernel.h"
#include "kernel/fs.h"
#include "kernel/sched.h"
#include "kernel/tty.h"
#include "kernel/init.h"
#include "shared/os.h"

#define TTYAUX_MAJOR	5

static struct tty console_tty;
static int console_out = 1;	/* con0=fd:IN,fd:OUT; -1 for con0=null */
static bool console_throttled;
static bool console_crlf;	/* stderr is the raw host terminal */

static int console_tty_write(struct tty *tty, const u8 *buf, int len)
{
	int64_t n;

	if (console_out < 0)
		return len;		/* con0=null: output is dropped */
	n = os_write_all(console_out, buf, (u64)len);

	if (n < 0) {
		/* The host's stdout is gone (a closed pipe): hang the console up. */
		tty_hangup(tty);
		return (int)n;
	}
	return n > 0 ? (int)n : len;
}

/* Drains the host queue into the line discipline while it has room. */
static void console_irq(void)
{
	struct tty *tty = &console_tty;
	u8 buf[256];
	int room;
	int64_t n;

	for (;;) {
		room = tty_receive_room(tty);
		if (room <= 0) {
			console_throttled = true;
			return;
		}
		n = os_console_read(buf, min((size_t)room, sizeof(buf)));
		if (n == 0) {
			if (!tty->eof)
				tty_set_eof(tty);
			return;
		}
		if (n < 0)
			return;
		tty_receive(tty, buf, (int)n);
	}
}

static void console_unthrottle(struct tty *tty)
{
	if (!console_throttled)
		return;
	console_throttled = false;
	console_irq();
}

static const struct tty_driver_ops console_ops = {
	.write = console_tty_write,
	.unthrottle = console_unthrottle,
};

static void console_winch_irq(void)
{
	u16 rows, cols;

	if (os_console_winsize(&rows, &cols) == 0)
		tty_resize(&console_tty, rows, cols);
}

/* Opens the console (con0) for /dev/console and /dev/tty0. */
int console_open_file(struct file *f)
{
	if (line_console_tty() != NULL)
		return line_console_open(f);	/* con0=pts, con0=port: */
	return tty_open_file(&console_tty, f, false);
}

/*
 * Opens /dev/tty (minor 0: -ENXIO for a process without a controlling
 * terminal), /dev/console (1) or /dev/ptmx (2, a new pty pair).
 */
static int ttyaux_open(struct inode *inode, struct file *f)
{
	struct tty *ctty;

	switch (MINOR(inode->i_rdev)) {
	case 0:
		ctty = tty_current_ctty();
		if (ctty == NULL)
			return -ENXIO;
		return ctty->type == TTY_PTY_SLAVE ? pty_open_ctty(ctty, f) :
			tty_open_file(ctty, f, true);
	case 1:
		return console_open_file(f);
	case 2:
		return ptmx_open(inode, f);
	}
	return -ENXIO;
}

static const struct file_operations ttyaux_fops = {
	.open = ttyaux_open,
};

/* Writes a kernel message to the host's stderr, CR-LF on a raw terminal. */
void console_write(const char *buf, int len)
{
	const char *p = buf, *end = buf + len, *nl;

	if (!console_crlf) {
		os_write_all(2, buf, (u64)len);
		return;
	}
	while (p < end) {
		for (nl = p; nl < end && *nl != '\n'; nl++)
			;
		os_write_all(2, p, (u64)(nl - p));
		if (nl == end)
			break;
		os_write_all(2, "\r\n", 2);
		p = nl + 1;
	}
}

/* Sets up the console tty over host fds 0 and 1 and registers major 5. */
void console_init(void)
{
	struct tty *tty = &console_tty;
	u16 rows = 24, cols = 80;
	int err;

	tty_register(tty, TTY_CONSOLE, &console_ops);
	console_out = boot_params.con_out;
	os_console_winsize(&rows, &cols);
	tty->winsize.ws_row = rows;
	tty->winsize.ws_col = cols;
	tty_init_termios(tty);
	/*
	 * The console is a terminal to the guest either way, but when the
	 * host side is a file or pipe (CI logs, scripted input) its output
	 * keeps plain \n and typed-in input is not echoed back.  The guest
	 * can still change both with TCSETS.
	 */
	if (console_out < 0 || os_isatty(console_out) <= 0)
		tty->termios.c_oflag &= ~ONLCR;
	if (boot_params.con_in < 0 || os_isatty(boot_params.con_in) <= 0)
		tty->termios.c_lflag &= ~(ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE);
	irq_register(OS_IRQ_CONSOLE, console_irq);
	irq_register(OS_IRQ_WINCH, console_winch_irq);
	err = 0;
	if (boot_params.con_in >= 0)
		err = os_console_init(boot_params.con_in, console_out);
	if (err < 0)
		printk(KERN_WARNING "console: host input unavailable: %d\n", err);
	else if (boot_params.con_in >= 0)
		console_crlf = os_isatty(boot_params.con_in) > 0 && os_isatty(2) > 0;
	err = register_chrdev(TTYAUX_MAJOR, "tty", &ttyaux_fops);
	if (err < 0)
		printk(KERN_ERR "console: cannot register major %d: %d\n", TTYAUX_MAJOR, err);
	line_init();
}
