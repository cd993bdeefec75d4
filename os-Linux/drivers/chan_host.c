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
 *         what the pty cannot hold is dropped.  The client's TIOCSWINSZ
 *         on the slave tells the master nothing (its SIGWINCH goes to the
 *         slave's foreground group), so the thread reads the size with
 *         TIOCGWINSZ after each input and every WINSZ_POLL_MS otherwise.
 *   port  a listener on 127.0.0.1 (lines on the same port share it); the
 *         thread accepts one client, reads it until it closes, then takes
 *         the next.  Writes go to the client without blocking; with no
 *         client, output is dropped.  The client is spoken to in telnet
 *         (RFC 854), as UML's port channel does through telnetd: the server
 *         offers WILL ECHO and WILL SUPPRESS-GO-AHEAD (a telnet client
 *         then sends each key and leaves echo to the guest's line
 *         discipline) and asks DO NAWS (RFC 1073: the client reports its
 *         window size, at once and on every resize); commands are taken
 *         out of the input, IAC in the output is doubled, and the CR LF or
 *         CR NUL a client sends for Return is a CR.  A raw client (`nc`)
 *         sees the 9 bytes of the offer once.
 *
 * A peer's window size (rows 0: unknown) is kept in the channel; a change
 * raises OS_IRQ_LINE and os_chan_winsize() reads it.
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
#define WINSZ_POLL_MS	250

/* Telnet (RFC 854, 857, 858, 1073). */
#define IAC	255
#define DONT	254
#define DO	253
#define WONT	252
#define WILL	251
#define SB	250
#define SE	240
#define OPT_ECHO	1
#define OPT_SGA		3
#define OPT_NAWS	31

enum tn_state { TN_DATA, TN_IAC, TN_OPT, TN_SB, TN_SB_IAC, TN_CR };

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
	uint16_t rows, cols;		/* the peer's window; rows 0: unknown */
	/* port: the telnet parser's state, kept across reads. */
	enum tn_state tn;
	uint8_t tn_cmd;			/* the WILL/WONT/DO/DONT being read */
	uint8_t sb[16];			/* a subnegotiation's bytes */
	int sb_len;
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

/* A new window size from the peer: kept, and the kernel told when it changed. */
static void chan_set_winsize(struct chan *c, uint16_t rows, uint16_t cols)
{
	int changed;

	pthread_mutex_lock(&c->lock);
	changed = c->rows != rows || c->cols != cols;
	c->rows = rows;
	c->cols = cols;
	pthread_mutex_unlock(&c->lock);
	if (changed)
		os_raise_irq(OS_IRQ_LINE);
}

/* pts: the size the client last set on the slave (0 x 0 until it sets one). */
static void pts_winsize(struct chan *c)
{
	struct winsize ws;

	if (ioctl(c->in, TIOCGWINSZ, &ws) == 0)
		chan_set_winsize(c, ws.ws_row, ws.ws_col);
}

static void pts_reader(struct chan *c)
{
	struct timespec ts = { 0, 100 * 1000 * 1000 };
	struct pollfd p = { .fd = c->in, .events = POLLIN };
	uint8_t buf[512];
	ssize_t n;
	int r;

	for (;;) {
		r = poll(&p, 1, WINSZ_POLL_MS);
		pts_winsize(c);
		if (r <= 0)
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
		pts_winsize(c);
		chan_set_peer(c, 1, -1);
	}
}

/* Sends a telnet command to the client (under c->lock, as every write). */
static void tn_send(struct chan *c, uint8_t cmd, uint8_t opt)
{
	uint8_t b[3] = { IAC, cmd, opt };

	pthread_mutex_lock(&c->lock);
	if (c->client >= 0)
		(void)!send(c->client, b, sizeof(b), MSG_DONTWAIT | MSG_NOSIGNAL);
	pthread_mutex_unlock(&c->lock);
}

/* The client's WILL/WONT/DO/DONT opt: refuse what the server did not offer. */
static void tn_option(struct chan *c, uint8_t cmd, uint8_t opt)
{
	if (cmd == WILL && opt != OPT_NAWS)
		tn_send(c, DONT, opt);
	else if (cmd == DO && opt != OPT_ECHO && opt != OPT_SGA)
		tn_send(c, WONT, opt);
}

/* A finished subnegotiation: NAWS is width then height, 16 bits each. */
static void tn_subneg(struct chan *c)
{
	if (c->sb_len == 5 && c->sb[0] == OPT_NAWS)
		chan_set_winsize(c, (uint16_t)(c->sb[3] << 8 | c->sb[4]),
				 (uint16_t)(c->sb[1] << 8 | c->sb[2]));
}

/*
 * Takes the telnet commands out of n bytes from the client, in place:
 * the data bytes left.  The state carries over to the next read.
 */
static uint64_t tn_filter(struct chan *c, uint8_t *buf, uint64_t n)
{
	uint64_t i, out = 0;
	uint8_t b;

	for (i = 0; i < n; i++) {
		b = buf[i];
		switch (c->tn) {
		case TN_CR:
			c->tn = TN_DATA;
			if (b == '\n' || b == '\0')
				break;
			/* fall through */
		case TN_DATA:
			if (b == IAC) {
				c->tn = TN_IAC;
			} else {
				buf[out++] = b;
				if (b == '\r')
					c->tn = TN_CR;
			}
			break;
		case TN_IAC:
			c->tn = TN_DATA;
			if (b == IAC) {
				buf[out++] = b;
			} else if (b >= WILL && b <= DONT) {
				c->tn_cmd = b;
				c->tn = TN_OPT;
			} else if (b == SB) {
				c->sb_len = 0;
				c->tn = TN_SB;
			}			/* NOP, GA, BRK...: nothing to do */
			break;
		case TN_OPT:
			tn_option(c, c->tn_cmd, b);
			c->tn = TN_DATA;
			break;
		case TN_SB:
			if (b == IAC)
				c->tn = TN_SB_IAC;
			else if (c->sb_len < (int)sizeof(c->sb))
				c->sb[c->sb_len++] = b;
			break;
		case TN_SB_IAC:
			if (b == SE) {
				tn_subneg(c);
				c->tn = TN_DATA;
			} else {
				if (b == IAC && c->sb_len < (int)sizeof(c->sb))
					c->sb[c->sb_len++] = b;
				c->tn = TN_SB;
			}
			break;
		}
	}
	return out;
}

static void port_reader(struct chan *c)
{
	static const uint8_t offer[] = { IAC, WILL, OPT_ECHO, IAC, WILL, OPT_SGA,
					 IAC, DO, OPT_NAWS };
	uint8_t buf[512];
	uint64_t k;
	ssize_t n;
	int fd;

	for (;;) {
		fd = accept4(c->listener, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED || errno == EAGAIN)
				continue;
			return;
		}
		c->tn = TN_DATA;
		chan_set_winsize(c, 0, 0);
		(void)!send(fd, offer, sizeof(offer), MSG_DONTWAIT | MSG_NOSIGNAL);
		chan_set_peer(c, 1, fd);
		for (;;) {
			n = read(fd, buf, sizeof(buf));
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			k = tn_filter(c, buf, (uint64_t)n);
			if (k > 0)
				chan_queue(c, buf, k);
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

/*
 * Sends to a telnet client without blocking, IAC doubled: the input
 * bytes sent (a doubled IAC counts once), or -1 with errno.
 */
static ssize_t port_send(int fd, const uint8_t *buf, uint64_t len)
{
	static const uint8_t iac2[2] = { IAC, IAC };
	const uint8_t *e = memchr(buf, IAC, len);
	ssize_t n;

	if (e == NULL)
		return send(fd, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL);
	if (e > buf)
		return send(fd, buf, (size_t)(e - buf), MSG_DONTWAIT | MSG_NOSIGNAL);
	n = send(fd, iac2, 2, MSG_DONTWAIT | MSG_NOSIGNAL);
	return n == 2 ? 1 : n < 0 ? -1 : 0;
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
			n = port_send(fd, buf + off, len - off);
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
	int err = -ENOTTY;

	if (c == NULL || c->kind == OS_CHAN_FD)
		return -ENOTTY;
	pthread_mutex_lock(&c->lock);
	if (c->rows != 0 && c->cols != 0) {
		*rows = c->rows;
		*cols = c->cols;
		err = 0;
	}
	pthread_mutex_unlock(&c->lock);
	return err;
}
