/*
 * tty.c - the terminal line discipline (termios(3), Linux's N_TTY).
 *
 * Bytes typed on a device come in through tty_receive(): input mapping
 * (ICRNL, INLCR, IGNCR), flow control (IXON), signal characters (ISIG),
 * then either canonical line editing into tty->line, with completed lines
 * moved into the input ring tty->ibuf, or raw bytes straight into the
 * ring.  Echo is output-processed into tty->echo_buf and written through
 * the driver at the end of each receive.  Guest read(2)/write(2)/ioctl(2)
 * come in through tty_fops; writes are output-processed (OPOST, ONLCR).
 *
 * In the ring each slot has a flag byte: TTY_F_DELIM marks the byte that
 * ends a canonical line (it is returned to the reader), TTY_F_EOF marks a
 * VEOF (^D) that ends a line and is not returned, so ^D on an empty line
 * reads as end of file.
 *
 * A pty pair is two ttys linked by tty->link (drivers/tty/pty.c): what
 * one end's driver writes is received by the other.  The termios, window
 * size and job control ioctls on a master act on its slave, as Linux's
 * tty_pair_get_tty() does.  TIOCPKT status is kept on the slave
 * (pktstatus) and read by the master.
 */
#include "kernel/kernel.h"
#include "kernel/fs.h"
#include "kernel/mm.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/tty.h"
#include "shared/os.h"
#include "uapi/linux/capability.h"

#define TTY_F_DELIM	1
#define TTY_F_EOF	2
#define TTY_VDISABLE	0
#define TTY_WCHUNK	128
#ifndef ENOIOCTLCMD
#define ENOIOCTLCMD	515	/* kernel-internal, as in Linux: not ours */
#endif

static bool cc_is(const struct tty *tty, u8 c, int idx)
{
	u8 cc = tty->termios.c_cc[idx];

	return cc != TTY_VDISABLE && c == cc;
}

static bool is_ctrl(u8 c)
{
	return c < 0x20 || c == 0x7f;
}

/* Sets Linux's default termios (INIT_C_CC and tty_std_termios). */
void tty_init_termios(struct tty *tty)
{
	static const u8 defaults[] = {
		[VINTR] = 3, [VQUIT] = 034, [VERASE] = 0177, [VKILL] = 025,
		[VEOF] = 4, [VTIME] = 0, [VMIN] = 1, [VSTART] = 021,
		[VSTOP] = 023, [VSUSP] = 032, [VREPRINT] = 022,
		[VDISCARD] = 017, [VWERASE] = 027, [VLNEXT] = 026,
	};
	struct termios *t = &tty->termios;

	memset(t, 0, sizeof(*t));
	t->c_iflag = ICRNL | IXON;
	t->c_oflag = OPOST | ONLCR;
	t->c_cflag = B38400 | CS8 | CREAD | HUPCL;
	t->c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN;
	memcpy(t->c_cc, defaults, sizeof(defaults));
}

static LIST_HEAD(all_ttys);

void tty_register(struct tty *tty, enum tty_type type, const struct tty_driver_ops *ops)
{
	init_waitqueue(&tty->read_wait);
	init_waitqueue(&tty->write_wait);
	tty->type = type;
	tty->ops = ops;
	list_add(&tty->list, &all_ttys);
}

/* Takes tty off all_ttys; its files are all closed. */
void tty_unregister(struct tty *tty)
{
	list_del(&tty->list);
}

/* Is tty the controlling terminal of current's session? */
static bool is_ctty(struct tty *tty)
{
	return current != NULL && tty->session > 0 && tty->session == current->sid &&
	       !current->signal->no_ctty;
}

struct tty *tty_current_ctty(void)
{
	struct tty *tty;

	list_for_each_entry(tty, &all_ttys, list)
		if (is_ctty(tty))
			return tty;
	return NULL;
}

/* ---- output processing ---- */

/* Output-processes c into out (up to 8 bytes); returns the count. */
static int opost_char(struct tty *tty, u8 c, u8 *out)
{
	tcflag_t of = tty->termios.c_oflag;
	int n, i;

	if (!(of & OPOST)) {
		out[0] = c;
		return 1;
	}
	switch (c) {
	case '\n':
		if (of & ONLRET)
			tty->column = 0;
		if (!(of & ONLCR))
			break;
		tty->column = 0;
		out[0] = '\r';
		out[1] = '\n';
		return 2;
	case '\r':
		if ((of & ONOCR) && tty->column == 0)
			return 0;
		if (of & OCRNL) {
			c = '\n';
			if (of & ONLRET)
				tty->column = 0;
			break;
		}
		tty->column = 0;
		break;
	case '\t':
		n = 8 - (tty->column & 7);
		tty->column += n;
		if ((of & TABDLY) != XTABS)
			break;
		for (i = 0; i < n; i++)
			out[i] = ' ';
		return n;
	case '\b':
		if (tty->column > 0)
			tty->column--;
		break;
	default:
		if (!is_ctrl(c) && !((tty->termios.c_iflag & IUTF8) && (c & 0xc0) == 0x80))
			tty->column++;
		break;
	}
	out[0] = c;
	return 1;
}

/* Hands len bytes to the driver, all of them unless it refuses. */
/*
 * The device is gone (its host end closed): as after a Linux hangup, reads
 * see end of file and writes fail with EIO, so a writer such as `yes`
 * stops instead of running forever into nothing.
 */
void tty_hangup(struct tty *tty)
{
	tty->hung_up = true;
	tty_set_eof(tty);
	wake_up(&tty->write_wait);
	wake_up(&tty->read_wait);
}

/* Forward: the input queues are emptied by tty_unhangup. */
static void tty_flush_input(struct tty *tty);

void tty_unhangup(struct tty *tty)
{
	tty_flush_input(tty);
	tty->hung_up = false;
	tty->eof = false;
	wake_up(&tty->write_wait);
	wake_up(&tty->read_wait);
}

static void tty_signal_pgrp(struct tty *tty, int sig);

/* Sends sig to the session leader of sid with SI_KERNEL, if it lives. */
static void signal_leader(pid_t sid, int sig)
{
	struct task *t;

	list_for_each_entry(t, &all_tasks, tasks)
		if (t->pid == sid && t->tgid == sid && t->state != TASK_ZOMBIE &&
		    t->state != TASK_DEAD)
			send_sig(t, sig);
}

/*
 * The pty master closed (Linux's tty_vhangup): reads see end of file,
 * writes and ioctls fail with EIO, the session leader gets SIGHUP and
 * SIGCONT, and the session loses its terminal.
 */
void tty_vhangup(struct tty *tty)
{
	tty_hangup(tty);
	if (tty->session > 0) {
		signal_leader(tty->session, SIGHUP);
		signal_leader(tty->session, SIGCONT);
	}
	tty->session = 0;
	tty->pgrp = 0;
}

/*
 * Linux's disassociate_ctty(on_exit): the foreground group of the
 * session's terminal gets SIGHUP and every process of the session loses
 * the terminal.
 */
void tty_session_exit(pid_t sid)
{
	struct tty *tty;

	if (sid <= 0)
		return;
	list_for_each_entry(tty, &all_ttys, list) {
		if (tty->session != sid)
			continue;
		tty_signal_pgrp(tty, SIGHUP);
		tty->session = 0;
		tty->pgrp = 0;
	}
}

/* The host terminal's new size: SIGWINCH to the foreground if it changed. */
void tty_resize(struct tty *tty, u16 rows, u16 cols)
{
	if (tty->winsize.ws_row == rows && tty->winsize.ws_col == cols)
		return;
	tty->winsize.ws_row = rows;
	tty->winsize.ws_col = cols;
	tty_signal_pgrp(tty, SIGWINCH);
}

static void tty_driver_write(struct tty *tty, const u8 *buf, int len)
{
	int n;

	while (len > 0) {
		n = tty->ops->write(tty, buf, len);
		if (n <= 0)
			return;
		buf += n;
		len -= n;
	}
}

static void echo_flush(struct tty *tty)
{
	if (tty->echo_len > 0)
		tty_driver_write(tty, tty->echo_buf, tty->echo_len);
	tty->echo_len = 0;
}

/* Queues c for echo, output-processed. */
static void echo_raw(struct tty *tty, u8 c)
{
	if (tty->echo_len > (int)sizeof(tty->echo_buf) - 8)
		echo_flush(tty);
	tty->echo_len += opost_char(tty, c, tty->echo_buf + tty->echo_len);
}

/* Echoes c, as ^X for control characters under ECHOCTL. */
static void echo_char(struct tty *tty, u8 c)
{
	bool ctl = (tty->termios.c_lflag & ECHOCTL) && is_ctrl(c) &&
		   c != '\t' && c != '\n' && !cc_is(tty, c, VSTART) && !cc_is(tty, c, VSTOP);

	if (ctl) {
		echo_raw(tty, '^');
		echo_raw(tty, c ^ 0x40);
	} else {
		echo_raw(tty, c);
	}
}

/* ---- the input ring ---- */

static void ibuf_put(struct tty *tty, u8 c, u8 flag)
{
	tty->ibuf[tty->ihead] = c;
	tty->iflags[tty->ihead] = flag;
	tty->ihead = (tty->ihead + 1) % TTY_BUF;
	tty->icount++;
}

static void ibuf_consume(struct tty *tty, int n)
{
	tty->itail = (tty->itail + n) % TTY_BUF;
	tty->icount -= n;
}

static void tty_flush_input(struct tty *tty)
{
	tty->ihead = tty->itail = 0;
	tty->icount = 0;
	tty->icanon_lines = 0;
	tty->line_len = 0;
	tty->lnext = false;
}

/*
 * New input is readable: wake the readers, once per tty_receive batch
 * (so O_ASYNC owners get one SIGIO per write, as Linux's n_tty).
 */
static void input_ready(struct tty *tty)
{
	if (tty->receiving)
		tty->wake_pending = true;
	else
		wake_up(&tty->read_wait);
}

/* Moves the edited line and its delimiter into the ring, if it fits. */
static void push_line(struct tty *tty, u8 delim, u8 flag)
{
	int i;

	if (tty->line_len + 1 <= TTY_BUF - tty->icount) {
		for (i = 0; i < tty->line_len; i++)
			ibuf_put(tty, tty->line[i], 0);
		ibuf_put(tty, delim, flag);
		tty->icanon_lines++;
	}
	tty->line_len = 0;
	input_ready(tty);
}

/* ---- canonical editing ---- */

/* Display width of c at column col, as echo drew it. */
static int echo_width(struct tty *tty, u8 c, int col)
{
	if (c == '\t')
		return 8 - (col & 7);
	if (is_ctrl(c))
		return (tty->termios.c_lflag & ECHOCTL) ? 2 : 0;
	if ((tty->termios.c_iflag & IUTF8) && (c & 0xc0) == 0x80)
		return 0;
	return 1;
}

/* Removes the last character of the line and rubs it out on the screen. */
static void erase_char(struct tty *tty)
{
	tcflag_t lf = tty->termios.c_lflag;
	int col, w, i;
	u8 c;

	if (tty->line_len == 0)
		return;
	c = tty->line[--tty->line_len];
	while ((tty->termios.c_iflag & IUTF8) && (c & 0xc0) == 0x80 && tty->line_len > 0)
		c = tty->line[--tty->line_len];
	if (!(lf & ECHO))
		return;
	if (!(lf & ECHOE)) {
		echo_char(tty, tty->termios.c_cc[VERASE]);
		return;
	}
	col = tty->canon_column;
	for (i = 0; i < tty->line_len; i++)
		col += echo_width(tty, tty->line[i], col);
	w = echo_width(tty, c, col);
	for (i = 0; i < w; i++) {
		echo_raw(tty, '\b');
		if (c != '\t') {
			echo_raw(tty, ' ');
			echo_raw(tty, '\b');
		}
	}
}

static void kill_line(struct tty *tty)
{
	tcflag_t lf = tty->termios.c_lflag;

	if ((lf & ECHO) && (lf & ECHOKE) && (lf & ECHOE)) {
		while (tty->line_len > 0)
			erase_char(tty);
		return;
	}
	tty->line_len = 0;
	if (!(lf & ECHO))
		return;
	echo_char(tty, tty->termios.c_cc[VKILL]);
	if (lf & ECHOK)
		echo_raw(tty, '\n');
}

static void erase_word(struct tty *tty)
{
	u8 c;

	while (tty->line_len > 0) {
		c = tty->line[tty->line_len - 1];
		if (c != ' ' && c != '\t')
			break;
		erase_char(tty);
	}
	while (tty->line_len > 0) {
		c = tty->line[tty->line_len - 1];
		if (c == ' ' || c == '\t')
			break;
		erase_char(tty);
	}
}

static void reprint_line(struct tty *tty)
{
	int i;

	if (!(tty->termios.c_lflag & ECHO))
		return;
	echo_char(tty, tty->termios.c_cc[VREPRINT]);
	echo_raw(tty, '\n');
	tty->canon_column = tty->column;
	for (i = 0; i < tty->line_len; i++)
		echo_char(tty, tty->line[i]);
}

/* Adds an ordinary byte to the edited line (dropped once it is full). */
static void canon_add(struct tty *tty, u8 c)
{
	if (tty->line_len >= TTY_BUF - 1)
		return;
	if (tty->line_len == 0)
		tty->canon_column = tty->column;
	tty->line[tty->line_len++] = c;
	if (tty->termios.c_lflag & ECHO)
		echo_char(tty, c);
}

/* VLNEXT: the next byte is data; ECHOCTL shows a ^ until it comes (as n_tty). */
static void literal_next(struct tty *tty)
{
	tcflag_t lf = tty->termios.c_lflag;

	tty->lnext = true;
	if ((lf & ECHO) && (lf & ECHOCTL)) {
		if (tty->line_len == 0)
			tty->canon_column = tty->column;
		echo_raw(tty, '^');
		echo_raw(tty, '\b');
	}
}

/* Handles the editing characters; returns false for an ordinary byte. */
static bool canon_special(struct tty *tty, u8 c)
{
	tcflag_t lf = tty->termios.c_lflag;
	bool iexten = lf & IEXTEN;

	if (cc_is(tty, c, VERASE))
		erase_char(tty);
	else if (cc_is(tty, c, VKILL))
		kill_line(tty);
	else if (iexten && cc_is(tty, c, VWERASE))
		erase_word(tty);
	else if (iexten && cc_is(tty, c, VLNEXT))
		literal_next(tty);
	else if (iexten && cc_is(tty, c, VREPRINT))
		reprint_line(tty);
	else if (cc_is(tty, c, VEOF))
		push_line(tty, c, TTY_F_EOF);
	else if (c == '\n' || cc_is(tty, c, VEOL) || (iexten && cc_is(tty, c, VEOL2))) {
		if ((lf & ECHO) || (c == '\n' && (lf & ECHONL)))
			echo_char(tty, c);
		push_line(tty, c, TTY_F_DELIM);
	} else {
		return false;
	}
	return true;
}

/* ---- signals and flow control ---- */

static void tty_signal_pgrp(struct tty *tty, int sig)
{
	siginfo_t info;

	if (tty->pgrp <= 0)
		return;
	memset(&info, 0, sizeof(info));
	info.si_signo = sig;
	info.si_code = SI_KERNEL;
	kill_pgrp(tty->pgrp, sig, &info);
}

/* ISIG characters: flush (unless NOFLSH), echo, signal the foreground. */
static bool isig_char(struct tty *tty, u8 c)
{
	int sig;

	if (cc_is(tty, c, VINTR))
		sig = SIGINT;
	else if (cc_is(tty, c, VQUIT))
		sig = SIGQUIT;
	else if (cc_is(tty, c, VSUSP))
		sig = SIGTSTP;
	else
		return false;
	if (!(tty->termios.c_lflag & NOFLSH))
		tty_flush_input(tty);
	if (tty->termios.c_lflag & ECHO)
		echo_char(tty, c);
	tty_signal_pgrp(tty, sig);
	return true;
}

/* Packet mode: the master's reader learns of ev (a TIOCPKT_* bit). */
static void pkt_event(struct tty *tty, u8 set, u8 clear)
{
	if (tty->link == NULL || !tty->link->packet)
		return;
	tty->pktstatus = (u8)((tty->pktstatus & ~clear) | set);
	wake_up_poll(&tty->link->read_wait, POLLIN | POLLPRI);
}

static void tty_start(struct tty *tty)
{
	tty->stopped = false;
	pkt_event(tty, TIOCPKT_START, TIOCPKT_STOP);
	wake_up(&tty->write_wait);
}

static void tty_stop(struct tty *tty)
{
	tty->stopped = true;
	pkt_event(tty, TIOCPKT_STOP, TIOCPKT_START);
}

/* IXON: VSTOP/VSTART are eaten; with IXANY any byte restarts output. */
static bool ixon_char(struct tty *tty, u8 c)
{
	if (cc_is(tty, c, VSTOP)) {
		tty_stop(tty);
		return true;
	}
	if (cc_is(tty, c, VSTART)) {
		tty_start(tty);
		return true;
	}
	if (tty->stopped && (tty->termios.c_iflag & IXANY))
		tty_start(tty);
	return false;
}

/* ICRNL, INLCR, IGNCR; returns -1 for a byte to drop. */
static int map_input(struct tty *tty, u8 c)
{
	tcflag_t inf = tty->termios.c_iflag;

	if (inf & ISTRIP)
		c &= 0x7f;
	if (c == '\r') {
		if (inf & IGNCR)
			return -1;
		if (inf & ICRNL)
			return '\n';
	} else if (c == '\n' && (inf & INLCR)) {
		return '\r';
	}
	return c;
}

static void receive_char(struct tty *tty, u8 c)
{
	tcflag_t lf = tty->termios.c_lflag;
	bool canon = lf & ICANON;
	int m;

	if (tty->lnext) {
		tty->lnext = false;
		canon_add(tty, c);
		return;
	}
	if ((tty->termios.c_iflag & IXON) && ixon_char(tty, c))
		return;
	if ((lf & ISIG) && isig_char(tty, c))
		return;
	m = map_input(tty, c);
	if (m < 0)
		return;
	c = (u8)m;
	if (canon) {
		if (!canon_special(tty, c))
			canon_add(tty, c);
		return;
	}
	if (tty->icount >= TTY_BUF)
		return;
	ibuf_put(tty, c, 0);
	if (lf & ECHO)
		echo_char(tty, c);
	input_ready(tty);
}

/* Feeds len bytes typed on the device through the line discipline. */
void tty_receive(struct tty *tty, const u8 *buf, int len)
{
	int i;

	if (!(tty->termios.c_cflag & CREAD))
		return;
	tty->receiving = true;
	for (i = 0; i < len; i++)
		receive_char(tty, buf[i]);
	tty->receiving = false;
	echo_flush(tty);
	if (tty->wake_pending) {
		tty->wake_pending = false;
		wake_up(&tty->read_wait);
	}
}

/* Bytes the driver may feed now without loss; 0 asks it to wait. */
int tty_receive_room(struct tty *tty)
{
	int room;

	if (!(tty->termios.c_lflag & ICANON))
		return TTY_BUF - tty->icount;
	/* With no complete line a newline must still get in: never block. */
	if (tty->icanon_lines == 0)
		return TTY_BUF;
	room = TTY_BUF - tty->icount - tty->line_len - 1;
	return room > 0 ? room : 0;
}

/* Marks the end of input: a partial line becomes readable, then EOF. */
void tty_set_eof(struct tty *tty)
{
	if ((tty->termios.c_lflag & ICANON) && tty->line_len > 0)
		push_line(tty, tty->termios.c_cc[VEOF], TTY_F_EOF);
	tty->eof = true;
	wake_up(&tty->read_wait);
}

/* ---- job control ---- */

static bool sig_ignored_or_blocked(struct task *t, int sig)
{
	if (t->blocked & sigmask(sig))
		return true;
	return t->sighand != NULL && t->sighand->action[sig - 1].handler == 1;
}

static bool session_alive(pid_t sid)
{
	struct task *t;

	list_for_each_entry(t, &all_tasks, tasks)
		if (t->sid == sid && t->state != TASK_ZOMBIE && t->state != TASK_DEAD)
			return true;
	return false;
}

/*
 * A background process group touching its controlling tty gets sig
 * (SIGTTIN or SIGTTOU): 0 to go on, -ERESTARTSYS after signalling, or
 * -EIO for a reader that ignores or blocks SIGTTIN and for an orphaned
 * group, which no one would continue (tty_check_change).
 */
static int tty_job_check(struct tty *tty, int sig)
{
	siginfo_t info;

	if (!is_ctty(tty) || current->mm == NULL)
		return 0;
	if (tty->pgrp <= 0 || current->pgid == tty->pgrp)
		return 0;
	if (sig_ignored_or_blocked(current, sig))
		return sig == SIGTTIN ? -EIO : 0;
	if (pgrp_orphaned(current->pgid, NULL))
		return -EIO;
	memset(&info, 0, sizeof(info));
	info.si_signo = sig;
	info.si_code = SI_KERNEL;
	kill_pgrp(current->pgid, sig, &info);
	return -ERESTARTSYS;
}

/* ---- read ---- */

/* Copies n bytes from the ring tail to u and consumes them; 0 or -EFAULT. */
static long ibuf_copy_out(struct tty *tty, struct uio *u, int n)
{
	int first = min(n, TTY_BUF - tty->itail);
	long err;

	err = uio_copy_out(u, tty->ibuf + tty->itail, first);
	if (err == 0 && n > first)
		err = uio_copy_out(u, tty->ibuf, n - first);
	if (err < 0)
		return err;
	ibuf_consume(tty, n);
	return 0;
}

/* Reads from the next line; returns bytes, 0 at EOF, or -EFAULT. */
static ssize_t read_canon(struct tty *tty, struct uio *u)
{
	size_t want = u->len - u->done;
	int n = 0, i = tty->itail;
	bool line_end = false;
	long err;

	while (n < tty->icount && (size_t)n < want) {
		if (tty->iflags[i] == TTY_F_EOF)
			break;
		n++;
		if (tty->iflags[i] == TTY_F_DELIM) {
			line_end = true;
			break;
		}
		i = (i + 1) % TTY_BUF;
	}
	err = ibuf_copy_out(tty, u, n);
	if (err < 0)
		return err;
	if (!line_end && tty->icount > 0 && tty->iflags[tty->itail] == TTY_F_EOF &&
	    (size_t)n < want) {
		ibuf_consume(tty, 1);	/* the ^D itself is not data */
		line_end = true;
	}
	if (line_end)
		tty->icanon_lines--;
	return n;
}

static bool canon_readable(struct tty *tty)
{
	return tty->icanon_lines > 0 || tty->eof;
}

static ssize_t tty_read_canon(struct tty *tty, struct file *f, struct uio *u)
{
	ssize_t n;
	int err;

	while (!canon_readable(tty)) {
		if (f->f_flags & O_NONBLOCK)
			return -EAGAIN;
		err = sleep_on(&tty->read_wait, true);
		if (err)
			return err;
	}
	if (tty->icanon_lines == 0)
		return 0;		/* end of input */
	n = read_canon(tty, u);
	if (n >= 0 && tty->ops->unthrottle)
		tty->ops->unthrottle(tty);
	return n;
}

/* Waits for input in raw mode; 0, 1 when the read should end, or -errno. */
static int raw_wait(struct tty *tty, struct file *f, size_t got, u64 *deadline)
{
	u8 vmin = tty->termios.c_cc[VMIN], vtime = tty->termios.c_cc[VTIME];
	int err;

	if (tty->other_closed)
		return got ? 1 : -EIO;	/* a master whose slave is closed */
	if (tty->eof || (vmin == 0 && vtime == 0))
		return 1;
	if (f->f_flags & O_NONBLOCK)
		return got ? 1 : -EAGAIN;
	if (vtime == 0 || (vmin > 0 && got == 0)) {
		err = sleep_on(&tty->read_wait, true);
		return err ? (got ? 1 : err) : 0;
	}
	if (*deadline == 0)
		*deadline = os_monotonic_ns() + (u64)vtime * 100000000ULL;
	err = sleep_on_timeout(&tty->read_wait, true, *deadline);
	if (err == -ETIMEDOUT)
		return 1;
	return err ? (got ? 1 : err) : 0;
}

/* Non-canonical read: VMIN bytes, VTIME tenths of a second (termios(3)). */
static ssize_t tty_read_raw(struct tty *tty, struct file *f, struct uio *u)
{
	size_t start = u->done, got, need;
	u64 deadline = 0;
	long err;
	int n;

	need = min((size_t)tty->termios.c_cc[VMIN], u->len - u->done);
	for (;;) {
		n = (int)min((size_t)tty->icount, u->len - u->done);
		if (n > 0) {
			err = ibuf_copy_out(tty, u, n);
			if (err < 0)
				return u->done > start ? (ssize_t)(u->done - start) : err;
			if (tty->termios.c_cc[VMIN] > 0)
				deadline = 0;	/* VTIME is an inter-byte timer */
			if (tty->ops->unthrottle)
				tty->ops->unthrottle(tty);
		}
		got = u->done - start;
		if (u->done == u->len || (need > 0 && got >= need))
			break;
		if (got > 0 && need == 0)
			break;
		err = raw_wait(tty, f, got, &deadline);
		if (err < 0)
			return err;
		if (err > 0)
			break;
	}
	return (ssize_t)(u->done - start);
}

/*
 * A master in packet mode (tty_ioctl(4) TIOCPKT): a pending status is
 * read alone as one byte; data comes after a TIOCPKT_DATA (0) byte.
 */
static ssize_t tty_read_packet(struct tty *tty, struct file *f, struct uio *u)
{
	u8 status;
	long err;

	for (;;) {
		status = tty->link->pktstatus;
		if (status != 0) {
			err = uio_copy_out(u, &status, 1);
			if (err)
				return err;
			tty->link->pktstatus = 0;
			return 1;
		}
		if (tty->icount > 0)
			break;
		if (tty->other_closed)
			return -EIO;
		if (f->f_flags & O_NONBLOCK)
			return -EAGAIN;
		err = sleep_on(&tty->read_wait, true);
		if (err)
			return err;
	}
	status = TIOCPKT_DATA;
	err = uio_copy_out(u, &status, 1);
	if (err)
		return err;
	if (u->done == u->len)
		return 1;
	err = tty_read_raw(tty, f, u);
	return err < 0 ? err : err + 1;
}

static ssize_t tty_read(struct file *f, struct uio *u, loff_t *pos)
{
	struct tty *tty = f->private_data;
	int err;

	err = tty_job_check(tty, SIGTTIN);
	if (err)
		return err;
	if (u->len == u->done)
		return 0;
	if (tty->hung_up && tty->type == TTY_PTY_SLAVE)
		return 0;		/* hung_up_tty_read */
	if (tty->packet && tty->link != NULL)
		return tty_read_packet(tty, f, u);
	if (tty->termios.c_lflag & ICANON)
		return tty_read_canon(tty, f, u);
	return tty_read_raw(tty, f, u);
}

/* ---- write ---- */

static int wait_not_stopped(struct tty *tty, struct file *f)
{
	while (tty->stopped) {
		if (f->f_flags & O_NONBLOCK)
			return -EAGAIN;
		if (sleep_on(&tty->write_wait, true))
			return -ERESTARTSYS;
	}
	return 0;
}

/* A hung-up terminal takes no more output. */
static bool write_gone(struct tty *tty)
{
	return tty->hung_up;
}

/*
 * How many input bytes to take now: all of a chunk when the driver has
 * no limit, else what surely fits after output processing (8 bytes per
 * byte at worst); -EAGAIN or -ERESTARTSYS while it has no room.
 */
static int wait_write_room(struct tty *tty, struct file *f, size_t left)
{
	int room;

	for (;;) {
		if (write_gone(tty))
			return -EIO;
		room = tty->ops->write_room ? tty->ops->write_room(tty) : TTY_WCHUNK * 8;
		if (room > 0)
			break;
		if (f->f_flags & O_NONBLOCK)
			return -EAGAIN;
		if (sleep_on(&tty->write_wait, true))
			return -ERESTARTSYS;
	}
	if (tty->termios.c_oflag & OPOST)
		room = room / 8 > 0 ? room / 8 : 1;
	return (int)min(min(left, (size_t)TTY_WCHUNK), (size_t)room);
}

static ssize_t tty_write(struct file *f, struct uio *u, loff_t *pos)
{
	struct tty *tty = f->private_data;
	u8 in[TTY_WCHUNK], out[TTY_WCHUNK * 8];
	size_t start = u->done;
	int n, i, o;
	long err;

	if (tty->termios.c_lflag & TOSTOP) {
		err = tty_job_check(tty, SIGTTOU);
		if (err)
			return err;
	}
	while (u->done < u->len) {
		err = -EIO;
		if (write_gone(tty))
			goto partial;
		err = wait_not_stopped(tty, f);
		if (err)
			goto partial;
		n = wait_write_room(tty, f, u->len - u->done);
		err = n;
		if (n < 0)
			goto partial;
		err = uio_copy_in(u, in, n);
		if (err)
			goto partial;
		for (i = 0, o = 0; i < n; i++)
			o += opost_char(tty, in[i], out + o);
		tty_driver_write(tty, out, o);
	}
	return (ssize_t)(u->done - start);
partial:
	return u->done > start ? (ssize_t)(u->done - start) : err;
}

static unsigned tty_poll(struct file *f, struct poll_table *pt)
{
	struct tty *tty = f->private_data;
	unsigned mask = 0;
	bool readable;

	poll_wait(f, &tty->read_wait, pt);
	poll_wait(f, &tty->write_wait, pt);
	if (tty->hung_up && tty->type == TTY_PTY_SLAVE)
		return POLLIN | POLLOUT | POLLERR | POLLHUP | POLLRDNORM | POLLWRNORM;
	if (tty->termios.c_lflag & ICANON)
		readable = canon_readable(tty);
	else
		readable = tty->icount > 0 || tty->eof;
	if (readable)
		mask |= POLLIN | POLLRDNORM;
	if (tty->packet && tty->link != NULL && tty->link->pktstatus)
		mask |= POLLPRI | POLLIN | POLLRDNORM;
	if (tty->other_closed)
		mask |= POLLHUP;
	if (!tty->stopped && (tty->ops->write_room == NULL || tty->ops->write_room(tty) > 0))
		mask |= POLLOUT | POLLWRNORM;
	return mask;
}

/* ---- ioctl ---- */

/* Switching ICANON: a partial line or raw bytes become readable input. */
static void tty_mode_change(struct tty *tty, tcflag_t old_lflag)
{
	bool was = old_lflag & ICANON, now = tty->termios.c_lflag & ICANON;
	int i, last;

	if (was && !now) {
		for (i = 0; i < tty->line_len && tty->icount < TTY_BUF; i++)
			ibuf_put(tty, tty->line[i], 0);
		tty->line_len = 0;
		for (i = 0; i < TTY_BUF; i++)
			tty->iflags[i] = 0;
		tty->icanon_lines = 0;
	} else if (!was && now && tty->icount > 0) {
		last = (tty->ihead + TTY_BUF - 1) % TTY_BUF;
		tty->iflags[last] = TTY_F_DELIM;
		tty->icanon_lines = 1;
	}
	wake_up(&tty->read_wait);
}

/* Packet mode: a slave's IXON with ^S/^Q switching on or off (pty_set_termios). */
static void pkt_flow_change(struct tty *tty, const struct termios *old)
{
	bool was = (old->c_iflag & IXON) && old->c_cc[VSTOP] == 023 && old->c_cc[VSTART] == 021;
	bool now = (tty->termios.c_iflag & IXON) && tty->termios.c_cc[VSTOP] == 023 &&
		   tty->termios.c_cc[VSTART] == 021;

	if (was != now)
		pkt_event(tty, now ? TIOCPKT_DOSTOP : TIOCPKT_NOSTOP,
			  TIOCPKT_DOSTOP | TIOCPKT_NOSTOP);
}

static int tty_set_termios(struct tty *tty, uaddr_t arg, unsigned cmd, size_t size)
{
	struct termios2 t2;
	struct termios old = tty->termios;
	int err;

	if (copy_from_user(&t2, arg, size))
		return -EFAULT;
	err = tty_job_check(tty, SIGTTOU);
	if (err)
		return err;
	/* TCSETSW waits for output to drain: ours is written synchronously. */
	if (cmd == TCSETSF || cmd == TCSETSF2)
		tty_flush_input(tty);
	memcpy(&tty->termios, &t2, sizeof(struct termios));
	tty_mode_change(tty, old.c_lflag);
	if (!(tty->termios.c_iflag & IXON) && tty->stopped)
		tty_start(tty);
	pkt_flow_change(tty, &old);
	return 0;
}

static int tty_get_termios(struct tty *tty, uaddr_t arg, size_t size)
{
	struct termios2 t2;

	memset(&t2, 0, sizeof(t2));
	memcpy(&t2, &tty->termios, sizeof(struct termios));
	t2.c_ispeed = t2.c_ospeed = 38400;
	return copy_to_user(arg, &t2, size) ? -EFAULT : 0;
}

/* 0 when pgrp is a group of session sid, -EPERM for another session's, -ESRCH for none. */
static int pgrp_check(pid_t pgrp, pid_t sid)
{
	struct task *t;
	int err = -ESRCH;

	list_for_each_entry(t, &all_tasks, tasks) {
		if (t->pgid != pgrp || t->state == TASK_ZOMBIE || t->state == TASK_DEAD)
			continue;
		if (t->sid == sid)
			return 0;
		err = -EPERM;
	}
	return err;
}

/* TIOCSPGRP (tiocspgrp): real is the tty the file names, or a master's slave. */
static int tty_set_pgrp(struct tty *real, uaddr_t arg)
{
	pid_t pgrp;
	int err;

	err = tty_job_check(real, SIGTTOU);
	if (err == -EIO)
		return -ENOTTY;
	if (err)
		return err;
	if (!is_ctty(real))
		return -ENOTTY;
	if (get_user(pgrp, arg))
		return -EFAULT;
	if (pgrp < 0)
		return -EINVAL;
	err = pgrp_check(pgrp, real->session);
	if (err)
		return err;
	real->pgrp = pgrp;
	return 0;
}

static bool is_session_leader(void)
{
	return current->tgid == current->sid;
}

static void tty_make_ctty(struct tty *tty)
{
	tty->session = current->sid;
	tty->pgrp = current->pgid;
}

/* TIOCSCTTY (tty_ioctl(4)): a session leader takes tty as its terminal. */
static int tty_set_ctty(struct tty *tty, struct file *f, u64 arg)
{
	if (is_ctty(tty) && is_session_leader())
		return 0;
	if (!is_session_leader() || tty_current_ctty() != NULL)
		return -EPERM;
	if (tty->session > 0 && session_alive(tty->session)) {
		if (arg != 1 || current->euid != 0)
			return -EPERM;
		/* Root steals it: the old session just loses it (session_clear_tty), no signal. */
		tty->session = 0;
		tty->pgrp = 0;
	}
	if (!(f->f_mode & FMODE_READ) && current->euid != 0)
		return -EPERM;
	tty_make_ctty(tty);
	return 0;
}

/*
 * TIOCNOTTY: a session leader gives the terminal up, hanging up the
 * group; another process only loses it itself (proc_clear_tty).
 */
static int tty_drop_ctty(struct tty *tty)
{
	if (!is_ctty(tty))
		return -ENOTTY;
	if (!is_session_leader()) {
		current->signal->no_ctty = true;
		return 0;
	}
	tty_signal_pgrp(tty, SIGHUP);
	tty_signal_pgrp(tty, SIGCONT);
	tty->session = 0;
	tty->pgrp = 0;
	return 0;
}

static int tty_set_winsize(struct tty *tty, uaddr_t arg)
{
	struct winsize ws;

	if (copy_from_user(&ws, arg, sizeof(ws)))
		return -EFAULT;
	if (memcmp(&ws, &tty->winsize, sizeof(ws)) == 0)
		return 0;
	tty->winsize = ws;
	tty_signal_pgrp(tty, SIGWINCH);
	return 0;
}

static int tty_put_int(uaddr_t arg, int v)
{
	return put_user(v, arg) ? -EFAULT : 0;
}

/* TCFLSH; a pty's master in packet mode hears of it. */
static int tty_flush_ioctl(struct tty *tty, u64 arg)
{
	if (arg > TCIOFLUSH)
		return -EINVAL;
	if (arg == TCIFLUSH || arg == TCIOFLUSH) {
		tty_flush_input(tty);
		pkt_event(tty, TIOCPKT_FLUSHREAD, 0);
	}
	if (arg == TCOFLUSH || arg == TCIOFLUSH)
		pkt_event(tty, TIOCPKT_FLUSHWRITE, 0);
	return 0;
}

/* TCXONC: suspend or restart output, or send VSTOP/VSTART to the device. */
static int tty_flow_ioctl(struct tty *tty, u64 arg)
{
	u8 c;

	switch (arg) {
	case TCOOFF:
		if (!tty->stopped)
			tty_stop(tty);
		return 0;
	case TCOON:
		if (tty->stopped)
			tty_start(tty);
		return 0;
	case TCIOFF:
	case TCION:
		c = tty->termios.c_cc[arg == TCIOFF ? VSTOP : VSTART];
		if (c != TTY_VDISABLE && !write_gone(tty))
			tty_driver_write(tty, &c, 1);
		return 0;
	}
	return -EINVAL;
}

/*
 * TIOCSTI: as with Linux's dev.tty.legacy_tiocsti=0, only a process with
 * CAP_SYS_ADMIN may push input (into any terminal it has open); others
 * get EIO.
 */
static int tty_sti(struct tty *tty, uaddr_t arg)
{
	u8 c;

	if (!(current->cap_effective & (1ULL << CAP_SYS_ADMIN)))
		return -EIO;
	if (get_user(c, arg))
		return -EFAULT;
	tty_receive(tty, &c, 1);
	return 0;
}

/* Termios and window size; on a master they act on the slave (real). */
static long tty_ioctl_termios(struct tty *real, unsigned cmd, uaddr_t arg)
{
	switch (cmd) {
	case TCGETS:
		return tty_get_termios(real, arg, sizeof(struct termios));
	case TCGETS2:
		return tty_get_termios(real, arg, sizeof(struct termios2));
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
		return tty_set_termios(real, arg, cmd, sizeof(struct termios));
	case TCSETS2:
	case TCSETSW2:
	case TCSETSF2:
		return tty_set_termios(real, arg, cmd, sizeof(struct termios2));
	case TIOCGWINSZ:
		return copy_to_user(arg, &real->winsize, sizeof(real->winsize)) ? -EFAULT : 0;
	case TIOCSWINSZ:
		return tty_set_winsize(real, arg);
	}
	return -ENOIOCTLCMD;
}

/* Job control (tty_jobctrl_ioctl): a master answers for its slave. */
static long tty_ioctl_job(struct tty *tty, struct tty *real, struct file *f,
			  unsigned cmd, u64 arg)
{
	bool mine = tty == real ? is_ctty(real) : true;

	switch (cmd) {
	case TIOCGPGRP:
		return mine ? tty_put_int(UADDR(arg), real->pgrp) : -ENOTTY;
	case TIOCSPGRP:
		return tty_set_pgrp(real, UADDR(arg));
	case TIOCGSID:
		if (!mine || real->session <= 0)
			return -ENOTTY;
		return tty_put_int(UADDR(arg), real->session);
	case TIOCSCTTY:
		return tty_set_ctty(real, f, arg);
	case TIOCNOTTY:
		return tty_drop_ctty(tty);
	}
	return -ENOIOCTLCMD;
}

/* The ioctls that act on the tty the file names, master or not. */
static long tty_ioctl_own(struct tty *tty, unsigned cmd, u64 arg)
{
	uaddr_t p = UADDR(arg);
	int v;

	switch (cmd) {
	case FIONREAD:
		return tty_put_int(p, tty->icount);
	case TIOCOUTQ:
		return tty_put_int(p, 0);	/* output is handed over synchronously */
	case TCFLSH:
		return tty_flush_ioctl(tty, arg);
	case TCXONC:
		return tty_flow_ioctl(tty, arg);
	case TCSBRK:
	case TCSBRKP:
	case TIOCSBRK:
	case TIOCCBRK:
		return 0;		/* drained already; a break means nothing here */
	case TIOCEXCL:
	case TIOCNXCL:
		tty->excl = cmd == TIOCEXCL;
		return 0;
	case TIOCGEXCL:
		return tty_put_int(p, tty->excl);
	case TIOCGETD:
		return tty_put_int(p, 0);	/* N_TTY */
	case TIOCSETD:
		if (get_user(v, p))
			return -EFAULT;
		return v == 0 ? 0 : -EINVAL;	/* N_TTY is the only discipline */
	case TIOCSTI:
		return tty_sti(tty, p);
	}
	return -ENOIOCTLCMD;
}

static long tty_ioctl(struct file *f, unsigned cmd, u64 arg)
{
	struct tty *tty = f->private_data;
	struct tty *real = tty->type == TTY_PTY_MASTER ? tty->link : tty;
	long ret;

	if (tty->hung_up && tty->type == TTY_PTY_SLAVE)
		return cmd == TIOCSPGRP ? -ENOTTY : -EIO;	/* hung_up_tty_ioctl */
	ret = tty_ioctl_termios(real, cmd, UADDR(arg));
	if (ret == -ENOIOCTLCMD)
		ret = tty_ioctl_job(tty, real, f, cmd, arg);
	if (ret == -ENOIOCTLCMD)
		ret = tty_ioctl_own(tty, cmd, arg);
	if (ret == -ENOIOCTLCMD && tty->ops->ioctl != NULL)
		ret = tty->ops->ioctl(tty, f, cmd, arg);
	return ret == -ENOIOCTLCMD ? -ENOTTY : ret;
}

static void tty_release(struct inode *inode, struct file *f)
{
	struct tty *tty = f->private_data;

	if (tty == NULL)
		return;
	if (tty->openers > 0)
		tty->openers--;
	if (tty->ops->close != NULL)
		tty->ops->close(tty, f);
}

/*
 * Attaches f to tty: 0, or -EBUSY for a TIOCEXCL terminal (root
 * excepted).  A session leader with no controlling terminal that opens
 * a terminal nobody controls, for reading, without O_NOCTTY (and not
 * noctty), makes it the session's terminal (tty_open_proc_set_tty).
 */
int tty_open_file(struct tty *tty, struct file *f, bool noctty)
{
	if (tty->excl && tty->openers > 0 && current != NULL && current->euid != 0)
		return -EBUSY;
	f->private_data = tty;
	f->f_op = &tty_fops;
	tty->openers++;
	if (noctty || (f->f_flags & O_NOCTTY) || current == NULL)
		return 0;
	if (!is_session_leader() || tty_current_ctty() != NULL || !(f->f_mode & FMODE_READ))
		return 0;
	if (tty->session > 0 && session_alive(tty->session))
		return 0;
	tty_make_ctty(tty);
	return 0;
}

const struct file_operations tty_fops = {
	.release = tty_release,
	.read = tty_read,
	.write = tty_write,
	.poll = tty_poll,
	.ioctl = tty_ioctl,
};
