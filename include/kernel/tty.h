/*
 * tty.h - terminals.  drivers/tty/tty.c is the line discipline (canonical
 * and raw input, echo, signals to the foreground process group) over a
 * driver that moves bytes; drivers/tty/console.c is the driver for the
 * host's stdin/stdout.
 */
#ifndef KERNEL_TTY_H
#define KERNEL_TTY_H

#include "kernel/wait.h"
#include "uapi/asm/termbits.h"
#include "uapi/asm/termios.h"
#include "uapi/asm/ioctls.h"

struct tty;
struct file;
struct tty_driver_ops {
	/* Write bytes to the device; returns bytes taken. */
	int (*write)(struct tty *tty, const u8 *buf, int len);
	/* Optional: the reader made room after tty_receive_room() hit 0. */
	void (*unthrottle)(struct tty *tty);
	/* Optional: bytes write() takes now; 0 makes a writer wait on write_wait. */
	int (*write_room)(struct tty *tty);
	/* Optional: driver ioctls (pty master); -ENOIOCTLCMD if not one. */
	long (*ioctl)(struct tty *tty, struct file *f, unsigned cmd, u64 arg);
	/* Optional: a file on tty was closed (openers already dropped). */
	void (*close)(struct tty *tty, struct file *f);
};

enum tty_type { TTY_CONSOLE, TTY_PTY_MASTER, TTY_PTY_SLAVE };

#define TTY_BUF 4096
struct tty {
	struct termios termios;
	struct winsize winsize;
	const struct tty_driver_ops *ops;
	u8 ibuf[TTY_BUF];		/* input after the line discipline */
	int ihead, itail, icanon_lines;
	u8 line[TTY_BUF];		/* the line being edited (canonical) */
	int line_len;
	struct wait_queue read_wait, write_wait;
	pid_t pgrp, session;
	int openers;
	void *driver_data;
	/* Line discipline state (drivers/tty/tty.c). */
	u8 iflags[TTY_BUF];		/* per ibuf slot: TTY_F_DELIM, TTY_F_EOF */
	int icount;			/* bytes in ibuf */
	int column, canon_column;	/* output column; where the line began */
	bool lnext;			/* the next byte is literal (VLNEXT) */
	bool stopped;			/* output stopped by VSTOP (IXON) */
	bool eof;			/* the device has no more input */
	bool hung_up;			/* the device is gone: writes fail with EIO */
	bool receiving, wake_pending;	/* in tty_receive: one reader wake-up at its end */
	u8 echo_buf[256];		/* echo output, processed, not yet written */
	int echo_len;
	/* Kind, pairing and the flags the tty ioctls keep. */
	enum tty_type type;
	struct tty *link;		/* a pty's other end, else NULL */
	struct list_head list;		/* all_ttys, for /dev/tty and session exits */
	bool excl;			/* TIOCEXCL: only root may open it again */
	bool packet;			/* master: TIOCPKT mode */
	u8 pktstatus;			/* slave: TIOCPKT_* events for the master's reader */
	bool other_closed;		/* master: no slave file is open */
};

/* The driver's receive path: feed bytes typed on the device. */
void tty_receive(struct tty *tty, const u8 *buf, int len);
/* How many bytes tty_receive can take now; 0 means wait for unthrottle. */
int tty_receive_room(struct tty *tty);
/* The device's input ended: readers see end of file once it is drained. */
void tty_set_eof(struct tty *tty);
void tty_hangup(struct tty *tty);	/* the other end went away (host stdout closed) */
/* Attach an opening file to tty (ctty rules unless noctty); 0 or -errno. */
int tty_open_file(struct tty *tty, struct file *f, bool noctty);
extern const struct file_operations tty_fops;
/* Sets Linux's default termios; ptys' masters get the raw master termios. */
void tty_init_termios(struct tty *tty);
/* Initialises tty's queues and kind and links it on all_ttys (done once). */
void tty_register(struct tty *tty, enum tty_type type, const struct tty_driver_ops *ops);
void tty_unregister(struct tty *tty);
/* The controlling terminal of current's session, or NULL. */
struct tty *tty_current_ctty(void);
/* A session leader's process ended: its terminal goes, SIGHUP to the foreground. */
void tty_session_exit(pid_t sid);
/* Hangs tty up as the close of a pty master does (SIGHUP to its session). */
void tty_vhangup(struct tty *tty);
/* The host terminal changed size: update winsize, SIGWINCH the foreground. */
void tty_resize(struct tty *tty, u16 rows, u16 cols);
/* Pseudo-terminals (drivers/tty/pty.c). */
struct inode;
int ptmx_open(struct inode *inode, struct file *f);	/* /dev/ptmx, /dev/pts/ptmx */
int pty_slave_open(struct inode *inode, struct file *f);	/* /dev/pts/N (major 136) */
int pty_open_ctty(struct tty *slave, struct file *f);	/* /dev/tty naming a slave */
void pty_init(void);
void console_init(void);
int console_open_file(struct file *f);	/* /dev/console, /dev/tty0: con0 */
/* Consoles con1.. and serial lines (drivers/tty/line.c). */
void line_init(void);
struct tty *line_console_tty(void);	/* con0's line (pts, port:), or NULL */
int line_console_open(struct file *f);
/* A hung-up line has a host peer again: it reads and writes afresh. */
void tty_unhangup(struct tty *tty);
void console_write(const char *buf, int len);	/* printk's path */

#endif
