/*
 * line.c - UML's consoles and serial lines over host channels: conN=
 * (con1.. are /dev/tty1.., char major 4 minors 1-15) and sslN= (/dev/ttyS0..,
 * major 4 minors 64-127), each a tty with the full line discipline of
 * drivers/tty/tty.c.  con0 is the console (drivers/tty/console.c); it
 * comes here when its channel is pts or port:.  /dev/tty0 (4, 0) is the
 * current virtual console, which is con0: there is no switching.
 *
 * A line named on the command line (conN=, sslN=) gets its channel at
 * boot: a pts line prints the host pty it got, as UML ("Serial line 0
 * assigned device '/dev/pts/5'"), a port: line listens on 127.0.0.1.  A
 * line that only con=/ssl= covers gets its channel when the guest first
 * opens it, as UML opens channels.  An fd: line starts reading its input
 * at the first open.
 *
 * The host half (os-Linux/drivers/chan_host.c) raises OS_IRQ_LINE; the
 * handler looks at every line: when the host peer left (a telnet client
 * closed, `screen` detached) the line hangs up (tty_vhangup: SIGHUP to
 * the session, reads see end of file, writes EIO); when a peer is there
 * again the line works again.  Opening a line with no peer waits for one
 * (a serial open waiting for carrier), unless O_NONBLOCK.  It follows the
 * peer's window size (a pts client's, a telnet client's NAWS) into the
 * tty, which signals SIGWINCH on a change.  Then it feeds the queued input
 * to the line discipline while it has room.
 */
#include "kernel/kernel.h"
#include "kernel/fs.h"
#include "kernel/init.h"
#include "kernel/mm.h"
#include "kernel/sched.h"
#include "kernel/tty.h"
#include "shared/os.h"

#define TTY_MAJOR	4
#define SSL_MINOR	64

struct line {
	struct tty tty;
	int index;			/* N of conN or sslN */
	bool serial;
	int chan;			/* host channel id; -1 for null */
	int kind;			/* enum chan_kind */
	bool connected;			/* a host peer is attached */
	u32 gen;			/* its attach count when last looked at */
	bool throttled;
	struct wait_queue open_wait;	/* opens waiting for a peer */
};

static struct line *cons[NR_CON], *ssls[NR_SSL];

static int line_write(struct tty *tty, const u8 *buf, int len)
{
	struct line *l = tty->driver_data;
	int64_t n;

	if (l->chan < 0)
		return len;		/* null: output is dropped */
	n = os_chan_write(l->chan, buf, (u64)len);
	return n < 0 ? (int)n : len;
}

/* Feeds queued host input to the line discipline while it has room. */
static void line_drain(struct line *l)
{
	struct tty *tty = &l->tty;
	u8 buf[256];
	int64_t n;
	int room;

	for (;;) {
		room = tty_receive_room(tty);
		if (room <= 0) {
			l->throttled = true;
			return;
		}
		n = os_chan_read(l->chan, buf, min((size_t)room, sizeof(buf)));
		if (n == 0) {
			if (!tty->eof)
				tty_set_eof(tty);
			return;
		}
		if (n < 0)
			return;
		if (l->connected)
			tty_receive(tty, buf, (int)n);
	}
}

static void line_unthrottle(struct tty *tty)
{
	struct line *l = tty->driver_data;

	if (!l->throttled)
		return;
	l->throttled = false;
	line_drain(l);
}

static const struct tty_driver_ops line_ops = {
	.write = line_write,
	.unthrottle = line_unthrottle,
};

/*
 * The peer's window size, when it has one (a pts client's TIOCSWINSZ, a
 * telnet client's NAWS): a change is the guest's (TIOCGWINSZ, SIGWINCH to
 * the foreground group).
 */
static void line_winsize(struct line *l)
{
	u16 rows, cols;

	if (os_chan_winsize(l->chan, &rows, &cols) == 0)
		tty_resize(&l->tty, rows, cols);
}

/* A peer left (hang up the line) or came (it works again). */
static void line_peer(struct line *l)
{
	bool connected;
	u32 gen;
	int r;

	r = os_chan_state(l->chan, &gen);
	if (r < 0)
		return;
	connected = r > 0;
	if (l->connected && (!connected || gen != l->gen)) {
		l->connected = false;
		tty_vhangup(&l->tty);
	}
	if (connected && !l->connected) {
		tty_unhangup(&l->tty);
		line_winsize(l);
		l->connected = true;
		wake_up(&l->open_wait);
	}
	l->gen = gen;
}

static void line_irq_one(struct line *l)
{
	if (l == NULL || l->chan < 0)
		return;
	line_peer(l);
	if (l->connected)
		line_winsize(l);
	line_drain(l);
}

static void line_irq(void)
{
	int i;

	for (i = 0; i < NR_CON; i++)
		line_irq_one(cons[i]);
	for (i = 0; i < NR_SSL; i++)
		line_irq_one(ssls[i]);
}

/*
 * Announces what the host side of l is, as UML does, into the log and on
 * the host's stderr even when `quiet` keeps KERN_INFO off it: without the
 * name no one can attach.
 */
static void line_announce(struct line *l, const char *dev)
{
	const char *what = l->serial ? "Serial line" : "Virtual console";
	char msg[128];

	if (l->kind == CHAN_PTS)
		ksnprintf(msg, sizeof(msg), "%s %d assigned device '%s'\n", what, l->index, dev);
	else if (l->kind == CHAN_PORT)
		ksnprintf(msg, sizeof(msg), "%s %d listening on 127.0.0.1 port %s (telnet 127.0.0.1 %s)\n",
			  what, l->index, dev, dev);
	else
		return;
	printk(KERN_INFO "%s", msg);
	if (console_loglevel <= 6)
		console_write(msg, (int)strlen(msg));
}

static int line_open_chan(struct line *l, const struct chan_spec *c)
{
	static const int kinds[] = { [CHAN_FD] = OS_CHAN_FD, [CHAN_PTS] = OS_CHAN_PTS,
				     [CHAN_PORT] = OS_CHAN_PORT };
	char dev[64];
	int id, err;

	l->kind = c->kind;
	if (c->kind == CHAN_NULL) {
		l->chan = -1;
		l->connected = true;
		return 0;
	}
	id = os_chan_open(kinds[c->kind], c->in, c->out, c->port, dev, sizeof(dev));
	if (id < 0)
		return id;
	l->chan = id;
	if (c->kind == CHAN_PORT)
		ksnprintf(dev, sizeof(dev), "%u", c->port);
	line_announce(l, dev);
	err = c->kind == CHAN_FD ? 0 : os_chan_start(id);
	if (err < 0)
		return err;
	l->connected = os_chan_state(id, &l->gen) > 0;
	return 0;
}

/* Makes line N of its kind on channel c: the line, or an ERR_PTR. */
static struct line *line_create(bool serial, int index, const struct chan_spec *c)
{
	struct line *l = kzalloc(sizeof(*l));
	int err;

	if (l == NULL)
		return ERR_PTR(-ENOMEM);
	l->serial = serial;
	l->index = index;
	init_waitqueue(&l->open_wait);
	tty_register(&l->tty, TTY_CONSOLE, &line_ops);
	l->tty.driver_data = l;
	l->tty.winsize.ws_row = 24;
	l->tty.winsize.ws_col = 80;
	tty_init_termios(&l->tty);
	err = line_open_chan(l, c);
	if (err < 0) {
		tty_unregister(&l->tty);
		kfree(l);
		return ERR_PTR(err);
	}
	(serial ? ssls : cons)[index] = l;
	return l;
}

/* The line behind minor (made now if only con=/ssl= covers it), or an ERR_PTR. */
static struct line *line_get(unsigned minor)
{
	bool serial = minor >= SSL_MINOR;
	int index = serial ? (int)(minor - SSL_MINOR) : (int)minor;
	const struct chan_spec *all = serial ? &boot_params.ssl_all : &boot_params.con_all;
	struct line *l;

	if ((serial && index >= NR_SSL) || (!serial && index >= NR_CON))
		return ERR_PTR(-ENODEV);
	l = serial ? ssls[index] : cons[index];
	if (l != NULL)
		return l;
	if (all->kind == CHAN_UNSET)
		return ERR_PTR(-ENODEV);
	l = line_create(serial, index, all);
	if (IS_ERR(l))
		printk(KERN_ERR "%s%d: cannot open its channel: %s\n", serial ? "ssl" : "con",
		       index, os_strerror((int)PTR_ERR(l)));
	return l;
}

/* Waits for a host peer unless O_NONBLOCK: 0 or -ERESTARTSYS. */
static int line_wait_peer(struct line *l, struct file *f)
{
	if (l->chan >= 0 && l->kind == CHAN_FD)
		os_chan_start(l->chan);
	if (f->f_flags & O_NONBLOCK)
		return 0;
	return wait_event_interruptible(l->open_wait, l->connected);
}

/* Opens /dev/ttyN (N from 1) or /dev/ttySN; /dev/tty0 is the console's. */
static int line_dev_open(struct inode *inode, struct file *f)
{
	unsigned minor = MINOR(inode->i_rdev);
	struct line *l;
	int err;

	if (minor == 0)
		return console_open_file(f);
	l = line_get(minor);
	if (IS_ERR(l))
		return (int)PTR_ERR(l);
	err = line_wait_peer(l, f);
	if (err)
		return err;
	return tty_open_file(&l->tty, f, false);
}

static const struct file_operations line_fops = {
	.open = line_dev_open,
};

/* con0 on a pts or port: channel: the console's tty (made at boot). */
struct tty *line_console_tty(void)
{
	return cons[0] ? &cons[0]->tty : NULL;
}

/* Opens con0's line for /dev/console when it is one: 0, -ENODEV or a wait's error. */
int line_console_open(struct file *f)
{
	int err;

	if (cons[0] == NULL)
		return -ENODEV;
	err = line_wait_peer(cons[0], f);
	return err ? err : tty_open_file(&cons[0]->tty, f, false);
}

static void line_node(bool serial, int index)
{
	char name[16];

	ksnprintf(name, sizeof(name), serial ? "ttyS%d" : "tty%d", index);
	devtmpfs_create_node(name, S_IFCHR | 0620,
			     MKDEV(TTY_MAJOR, serial ? SSL_MINOR + index : index));
}

/* Makes the lines named on the command line; exits on a channel that cannot open. */
static void line_boot(bool serial, int index, const struct chan_spec *c)
{
	struct line *l;

	if (c->kind == CHAN_UNSET)
		return;
	l = line_create(serial, index, c);
	if (IS_ERR(l)) {
		os_print_err("linux: %s%d=: cannot open its channel%s: %s\n", serial ? "ssl" : "con",
			     index, c->kind == CHAN_PORT ? " (127.0.0.1 port)" : "",
			     os_strerror((int)PTR_ERR(l)));
		os_exit(1);
	}
}

void line_init(void)
{
	const struct chan_spec *c0 = &boot_params.con[0];
	int i, err;

	irq_register(OS_IRQ_LINE, line_irq);
	if (c0->kind == CHAN_PTS || c0->kind == CHAN_PORT)
		line_boot(false, 0, c0);
	for (i = 1; i < NR_CON; i++)
		line_boot(false, i, &boot_params.con[i]);
	for (i = 0; i < NR_SSL; i++)
		line_boot(true, i, &boot_params.ssl[i]);
	err = register_chrdev(TTY_MAJOR, "ttyS", &line_fops);
	if (err < 0) {
		printk(KERN_ERR "line: cannot register major %d: %d\n", TTY_MAJOR, err);
		return;
	}
	devtmpfs_create_node("tty0", S_IFCHR | 0620, MKDEV(TTY_MAJOR, 0));
	for (i = 1; i < NR_CON; i++)
		if (boot_params.con[i].kind != CHAN_UNSET || boot_params.con_all.kind != CHAN_UNSET)
			line_node(false, i);
	for (i = 0; i < NR_SSL; i++)
		if (boot_params.ssl[i].kind != CHAN_UNSET || boot_params.ssl_all.kind != CHAN_UNSET)
			line_node(true, i);
}
