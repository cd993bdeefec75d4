/*
 * chan.h - contract between the console and serial line driver
 * (drivers/tty/line.c) and its host half (os-Linux/drivers/chan_host.c).
 *
 * A channel is the host side of one line: a pair of host fds, a host pty
 * (pts) or a loopback TCP listener (port).  Its reader thread queues
 * what arrives and raises OS_IRQ_LINE; the IRQ handler drains every line
 * with os_chan_read() and looks at os_chan_state(): whether a host peer
 * is attached (a pts client has the slave open, a port client is
 * connected) and how many times one attached (a new number after a
 * peer left means the guest's side was hung up).
 */
#ifndef SHARED_CHAN_H
#define SHARED_CHAN_H

#include <stdint.h>

#define OS_CHAN_FD	1	/* fd:IN,fd:OUT */
#define OS_CHAN_PTS	2	/* a new host pty; its slave's name is returned */
#define OS_CHAN_PORT	3	/* 127.0.0.1:port, one client at a time, in turn */

/* Opens a channel: its id (>= 0) or -errno; name gets the pts device. */
int os_chan_open(int kind, int in, int out, int port, char *name, uint64_t namelen);
/* Starts its reader thread (once): 0 or -errno. */
int os_chan_start(int id);
/* Takes queued input: the count, -EAGAIN when empty, 0 at end of input. */
int64_t os_chan_read(int id, uint8_t *buf, uint64_t len);
/* Writes to the peer: len (dropped when no peer is attached or it is full), -errno. */
int64_t os_chan_write(int id, const uint8_t *buf, uint64_t len);
/* 1 with a peer attached, else 0; *gen counts the attaches so far. */
int os_chan_state(int id, uint32_t *gen);
/* The peer's window size (pts: TIOCSWINSZ on the slave; port: telnet NAWS), -ENOTTY when it has none. */
int os_chan_winsize(int id, uint16_t *rows, uint16_t *cols);

#endif
