/*
 * console.c - host half of the console (drivers/tty/console.c's partner).
 *
 * The host terminal is switched to raw mode (the guest's line discipline
 * does all input and output processing) and restored on every exit path.
 * A reader thread with every signal blocked reads the input fd into a
 * locked ring buffer and raises OS_IRQ_CONSOLE; the kernel drains the
 * buffer with os_console_read() from its IRQ handler.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "shared/os.h"

#define CON_RING	8192

static struct {
	pthread_mutex_t lock;
	uint8_t ring[CON_RING];
	uint64_t head, tail;	/* free-running: head - tail bytes queued */
	int eof;
	pthread_cond_t space;	/* the reader waits here while the ring is full */
} con = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.space = PTHREAD_COND_INITIALIZER,
};

static int con_in_fd = -1, con_out_fd = -1;
static struct termios saved_termios;
static volatile sig_atomic_t termios_saved;

/* Restores the host terminal's mode; idempotent, safe on any exit path. */
void os_console_restore(void)
{
	if (!termios_saved)
		return;
	termios_saved = 0;
	tcsetattr(con_in_fd, TCSAFLUSH, &saved_termios);
}

static void console_atexit(void)
{
	os_console_restore();
}

/* Raw mode with no output processing: the guest's ONLCR does that. */
static int console_set_raw(int fd)
{
	struct termios t;

	if (tcgetattr(fd, &saved_termios) < 0)
		return -errno;
	t = saved_termios;
	t.c_iflag &= ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
	t.c_oflag &= ~OPOST;
	t.c_lflag &= ~(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
	t.c_cflag &= ~(CSIZE | PARENB);
	t.c_cflag |= CS8;
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	termios_saved = 1;
	if (tcsetattr(fd, TCSANOW, &t) < 0) {
		termios_saved = 0;
		return -errno;
	}
	return 0;
}

/* Queues n bytes, waiting while the ring is full (the kernel drains it). */
static void console_queue(const uint8_t *buf, uint64_t n)
{
	pthread_mutex_lock(&con.lock);
	while (n > 0) {
		while (con.head - con.tail == CON_RING)
			pthread_cond_wait(&con.space, &con.lock);
		while (n > 0 && con.head - con.tail < CON_RING) {
			con.ring[con.head % CON_RING] = *buf++;
			con.head++;
			n--;
		}
		pthread_mutex_unlock(&con.lock);
		os_raise_irq(OS_IRQ_CONSOLE);
		pthread_mutex_lock(&con.lock);
	}
	pthread_mutex_unlock(&con.lock);
}

static void *console_reader(void *arg)
{
	uint8_t buf[512];
	ssize_t n;

	(void)arg;
	for (;;) {
		n = read(con_in_fd, buf, sizeof(buf));
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			break;
		console_queue(buf, (uint64_t)n);
	}
	pthread_mutex_lock(&con.lock);
	con.eof = 1;
	pthread_mutex_unlock(&con.lock);
	os_raise_irq(OS_IRQ_CONSOLE);
	return NULL;
}

/*
 * Takes over in_fd (raw mode if it is a terminal) and starts the reader
 * thread.  Returns 0 or -errno.
 */
int os_console_init(int in_fd, int out_fd)
{
	pthread_attr_t attr;
	pthread_t thr;
	sigset_t all, old;
	int err;

	con_in_fd = in_fd;
	con_out_fd = out_fd;
	if (isatty(in_fd)) {
		err = console_set_raw(in_fd);
		if (err < 0)
			return err;
		atexit(console_atexit);
	}
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	err = pthread_create(&thr, &attr, console_reader, NULL);
	pthread_attr_destroy(&attr);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err) {
		os_console_restore();
		return -err;
	}
	return 0;
}

/* Takes up to len queued bytes: the count, -EAGAIN when empty, 0 at EOF. */
int64_t os_console_read(uint8_t *buf, uint64_t len)
{
	uint64_t n = 0;
	int eof;

	pthread_mutex_lock(&con.lock);
	while (n < len && con.tail != con.head) {
		buf[n++] = con.ring[con.tail % CON_RING];
		con.tail++;
	}
	if (n > 0)
		pthread_cond_signal(&con.space);
	eof = con.eof;
	pthread_mutex_unlock(&con.lock);
	if (n > 0 || len == 0)
		return (int64_t)n;
	return eof ? 0 : -EAGAIN;
}

/* The host terminal's size, or 24x80 when it is not a terminal. */
int os_console_winsize(uint16_t *rows, uint16_t *cols)
{
	struct winsize ws;
	int fd = con_out_fd >= 0 ? con_out_fd : 1;

	if ((ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0) ||
	    (con_in_fd >= 0 && ioctl(con_in_fd, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0)) {
		*rows = ws.ws_row;
		*cols = ws.ws_col;
		return 0;
	}
	*rows = 24;
	*cols = 80;
	return 0;
}
