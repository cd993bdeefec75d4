/*
 * tty.h - terminals.  drivers/tty/tty.c is the line discipline (canonical
 * and raw input, echo, signals to the foreground process group) over a
 * driver that moves bytes; drivers/tty/console.c is the driver for the
 * host's stdin/stdout.
 */
#ifndef KERNEL_TTY_H
#define KERNEL_TTY_H

#include "kernel/wait.h"
#include <asm/termbits.h>
#include <asm/ioctls.h>

struct tty;
struct tty_driver_ops {
	/* Write bytes to the device; returns bytes taken. */
	int (*write)(struct tty *tty, const u8 *buf, int len);
};

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
};

/* The driver's receive path: feed bytes typed on the device. */
void tty_receive(struct tty *tty, const u8 *buf, int len);
extern const struct file_operations tty_fops;
void tty_init_termios(struct tty *tty);
void console_init(void);
void console_write(const char *buf, int len);	/* printk's path */

#endif
