/*
 * chan_host.c - host half of consoles and serial lines (drivers/tty/line.c's
 * partner, contract in include/shared/chan.h).
 *
 * Each channel has a ring of input bytes filled by a reader thread (all
 * signals blocked) that raises OS_IRQ_LINE, and a peer: the output fd
 * (fd:), the pty master (pts: the peer is whoever has the slave open) or
 * the accepted TCP client (port:).  A pts or port peer can come and go:
 * `connected` says whether one is there and `gen` counts the arrivals.
 *
 *   fd    reads IN until end of file; writes go to OUT (blocking, as the
 *         console's).
 *   pts   a new host pty in raw mode.  A client closing the slave shows as
 *         POLLHUP on the master; the thread then polls every 100 ms until a
 *         new client opens it (the hang-up clears).  Writes never block:
 *         what the pty cannot hold is dropped.
 *   port  a listener on 127.0.0.1 (lines on the same port share it); the
 *         thread accepts one client, reads it until it closes, then takes
 *         the next.  Writes go to the client without blocking; with no
 *         client, output is dropped.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "shared/os.h"

#define CHAN_RING	4096
#define CHAN_MAX	(16 + 64)	/* NR_CON + NR_SSL */

struct chan {
	int kind;
	int in, out;			/* fd: the host fds; pts: both the master */
	int listener;			/* port: the listening socket (shared) */
	int port;
	int client;			/* port: the connected client, or -1 */
	pthread_mutex_t lock;
	pthread_cond_t space;		/* the reader waits here while the ring is full */
	uint8_t ring[CHAN_RING];
	uint64_t head, tail;
	int eof;			/* fd: the input ended */
	int connected;			/* a peer is attached */
	uint32_t gen;			/* attaches so far */
	int started;
};

static struct chan *chans[CHAN_MAX];
static int nchans;
static pthread_mutex_t chans_lock = PTHREAD_MUTEX_INITIALIZER;

static struct chan *chan_of(int id)
{
	return id >= 0 && id < nchans ? chans[id] : NULL;
}

/* A listener on 127.0.0.1:port, shared with the channels already on it. */
static int port_listener(int port)
{
	struct sockaddr_in sa;
	int i, fd, one = 1;

	for (i = 0; i < nchans; i++)
		if (chans[i]->kind == OS_CHAN_PORT && chans[i]->port == port)
			return chans[i]->listener;
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 4) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

/* A new host pty in raw mode: the master, and the slave's name in name. */
static int pts_open(char *name, uint64_t namelen)
{
	struct termios t;
	int fd = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (grantpt(fd) < 0 || unlockpt(fd) < 0 || ptsname_r(fd, name, namelen) != 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	if (tcgetattr(fd, &t) == 0) {
		cfmakeraw(&t);
		tcsetattr(fd, TCSANOW, &t);
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	return fd;
}

int os_chan_open(int kind, int in, int out, int port, char *name, uint64_t namelen)
{
	struct chan *c;
	int fd = -1, id;

	if (namelen)
		name[0] = '\0';
	pthread_mutex_lock(&chans_lock);
	if (nchans == CHAN_MAX) {
		pthread_mutex_unlock(&chans_lock);
		return -ENOSPC;
	}
	if (kind == OS_CHAN_PTS)
		fd = pts_open(name, namelen);
	else if (kind == OS_CHAN_PORT)
		fd = port_listener(port);
	else if (kind != OS_CHAN_FD)
		fd = -EINVAL;
	if (fd < 0 && kind != OS_CHAN_FD) {
		pthread_mutex_unlock(&chans_lock);
		return fd;
	}
	c = calloc(1, sizeof(*c));
	if (c == NULL) {
		pthread_mutex_unlock(&chans_lock);
		return -ENOMEM;	/* a pts master is kept: boot is failing anyway */
	}
	c->kind = kind;
	c->in = kind == OS_CHAN_FD ? in : fd;
	c->out = kind == OS_CHAN_FD ? out : fd;
	c->listener = kind == OS_CHAN_PORT ? fd : -1;
	if (kind == OS_CHAN_PORT)
		c->in = c->out = -1;
	c->port = port;
	c->client = -1;
	c->connected = kind != OS_CHAN_PORT;
	c->gen = c->connected;
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->space, NULL);
	id = nchans;
	chans[nchans++] = c;
	pthread_mutex_unlock(&chans_lock);
	return id;
}

/* Queues n bytes, waiting while the ring is full (the kernel drains it). */
static void chan_queue(struct chan *c, const uint8_t *buf, uint64_t n)
{
	pthread_mutex_lock(&c->lock);
	while (n > 0) {
		while (c->head - c->tail == CHAN_RING)
			pthread_cond_wait(&c->space, &c->lock);
		while (n > 0 && c->head - c->tail < CHAN_RING) {
			c->ring[c->head % CHAN_RING] = *buf++;
			c->head++;
			n--;
		}
		pthread_mutex_unlock(&c->lock);
		os_raise_irq(OS_IRQ_LINE);
		pthread_mutex_lock(&c->lock);
	}
	pthread_mutex_unlock(&c->lock);
}

static void chan_set_peer(struct chan *c, int connected, int client)
{
	pthread_mutex_lock(&c->lock);
	c->connected = connected;
	if (connected)
		c->gen++;
	if (c->kind == OS_CHAN_PORT) {
		if (!connected && c->client >= 0)
			close(c->client);
		c->client = connected ? client : -1;
	}
	pthread_mutex_unlock(&c->lock);
	os_raise_irq(OS_IRQ_LINE);
}

static void fd_reader(struct chan *c)
{
	uint8_t buf[512];
	ssize_t n;

	for (;;) {
		n = read(c->in, buf, sizeof(buf));
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			break;
		chan_queue(c, buf, (uint64_t)n);
	}
	pthread_mutex_lock(&c->lock);
	c->eof = 1;
	pthread_mutex_unlock(&c->lock);
	os_raise_irq(OS_IRQ_LINE);
}

static void pts_reader(struct chan *c)
{
	struct timespec ts = { 0, 100 * 1000 * 1000 };
	struct pollfd p = { .fd = c->in, .events = POLLIN };
	uint8_t buf[512];
	ssize_t n;

	for (;;) {
		if (poll(&p, 1, -1) < 0)
			continue;
		if (p.revents & POLLIN) {
			n = read(c->in, buf, sizeof(buf));
			if (n > 0) {
				chan_queue(c, buf, (uint64_t)n);
				continue;
			}
		}
		if (!(p.revents & (POLLHUP | POLLERR)))
			continue;
		chan_set_peer(c, 0, -1);
		do		/* until a new client opens the slave */
			nanosleep(&ts, NULL);
		while (poll(&p, 1, 0) >= 0 && (p.revents & POLLHUP));
		chan_set_peer(c, 1, -1);
	}
}

static void port_reader(struct chan *c)
{
	uint8_t buf[512];
	ssize_t n;
	int fd;

	for (;;) {
		fd = accept4(c->listener, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED || errno == EAGAIN)
				continue;
			return;
		}
		chan_set_peer(c, 1, fd);
		for (;;) {
			n = read(fd, buf, sizeof(buf));
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			chan_queue(c, buf, (uint64_t)n);
		}
		chan_set_peer(c, 0, -1);
	}
}

static void *chan_thread(void *arg)
{
	struct chan *c = arg;

	if (c->kind == OS_CHAN_FD)
		fd_reader(c);
	else if (c->kind == OS_CHAN_PTS)
		pts_reader(c);
	else
		port_reader(c);
	return NULL;
}

int os_chan_start(int id)
{
	struct chan *c = chan_of(id);
	pthread_attr_t attr;
	pthread_t thr;
	sigset_t all, old;
	int err;

	if (c == NULL)
		return -EINVAL;
	if (c->started || (c->kind == OS_CHAN_FD && c->in < 0))
		return 0;
	c->started = 1;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	err = pthread_create(&thr, &attr, chan_thread, c);
	pthread_attr_destroy(&attr);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err)
		c->started = 0;
	return -err;
}

int64_t os_chan_read(int id, uint8_t *buf, uint64_t len)
{
	struct chan *c = chan_of(id);
	uint64_t n = 0;
	int eof;

	if (c == NULL)
		return -EINVAL;
	pthread_mutex_lock(&c->lock);
	while (n < len && c->tail != c->head) {
		buf[n++] = c->ring[c->tail % CHAN_RING];
		c->tail++;
	}
	if (n > 0)
		pthread_cond_signal(&c->space);
	eof = c->eof;
	pthread_mutex_unlock(&c->lock);
	if (n > 0 || len == 0)
		return (int64_t)n;
	return eof ? 0 : -EAGAIN;
}

int64_t os_chan_write(int id, const uint8_t *buf, uint64_t len)
{
	struct chan *c = chan_of(id);
	ssize_t n;
	uint64_t off = 0;
	int fd;

	if (c == NULL)
		return -EINVAL;
	if (c->kind == OS_CHAN_FD)
		return c->out < 0 ? (int64_t)len : os_write_all(c->out, buf, len);
	pthread_mutex_lock(&c->lock);
	fd = c->kind == OS_CHAN_PORT ? c->client : c->out;
	while (fd >= 0 && c->connected && off < len) {
		if (c->kind == OS_CHAN_PORT)
			n = send(fd, buf + off, len - off, MSG_DONTWAIT | MSG_NOSIGNAL);
		else
			n = write(fd, buf + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;		/* full or gone: the rest is dropped */
		off += (uint64_t)n;
	}
	pthread_mutex_unlock(&c->lock);
	return (int64_t)len;
}

int os_chan_state(int id, uint32_t *gen)
{
	struct chan *c = chan_of(id);
	int connected;

	if (c == NULL)
		return -EINVAL;
	pthread_mutex_lock(&c->lock);
	connected = c->connected;
	*gen = c->gen;
	pthread_mutex_unlock(&c->lock);
	return connected;
}

int os_chan_winsize(int id, uint16_t *rows, uint16_t *cols)
{
	struct chan *c = chan_of(id);
	struct winsize ws;

	if (c == NULL || c->kind != OS_CHAN_PTS)
		return -ENOTTY;
	if (ioctl(c->in, TIOCGWINSZ, &ws) < 0 || ws.ws_row == 0)
		return -ENOTTY;
	*rows = ws.ws_row;
	*cols = ws.ws_col;
	return 0;
}
