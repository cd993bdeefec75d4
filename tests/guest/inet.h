/*
 * inet.h - helpers shared by the inet_*.c and net_*.c guest programs:
 * loopback addresses, a listener on a port the kernel picks, connected
 * TCP pairs, whole reads and writes, and a checksum for transfers.
 *
 * Nothing printed may depend on a port number or a time: the programs
 * bind port 0, learn the port with getsockname and print only verdicts.
 * Every program arms an alarm so that a stack that loses a wake-up kills
 * the program (a visible FAIL) instead of hanging the runner, and sets
 * lo up if it is down (see lo_up).
 */
#ifndef GUEST_INET_H
#define GUEST_INET_H

#include "t.h"
#include <arpa/inet.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

/* Sets lo up if it is down, as an init script would (Linux leaves it
 * down until userspace brings it up; these programs run as init inside
 * ./linux).  Natively it is up already and nothing changes. */
__attribute__((unused)) static void lo_up(void)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0)
		return;
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) == 0 && !(ifr.ifr_flags & IFF_UP)) {
		ifr.ifr_flags |= IFF_UP;
		ioctl(fd, SIOCSIFFLAGS, &ifr);
	}
	close(fd);
}

/* As init (pid 1, as these programs run inside ./linux) a signal with
 * the default action is ignored, so the alarm needs a handler. */
__attribute__((unused)) static void on_alarm(int sig)
{
	static const char msg[] = "not ok: timed out (a wake-up was lost?)\n";

	(void)sig;
	if (write(1, msg, sizeof(msg) - 1) < 0)
		_exit(3);
	_exit(3);
}

__attribute__((unused)) static void net_start(void)
{
	t_start();
	signal(SIGALRM, on_alarm);
	alarm(30);
	lo_up();
}

/* 127.0.0.1:port (host order). */
__attribute__((unused)) static struct sockaddr_in lo4(int port)
{
	struct sockaddr_in a;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

#define SA(p) ((struct sockaddr *)(p))

/* A socket of type bound to 127.0.0.1 on a port the kernel picks; *a
 * gets the bound address.  -1 on failure. */
__attribute__((unused)) static int bound4(int type, struct sockaddr_in *a)
{
	socklen_t len = sizeof(*a);
	int fd = socket(AF_INET, type, 0);

	if (fd < 0)
		return -1;
	*a = lo4(0);
	if (bind(fd, SA(a), sizeof(*a)) < 0 || getsockname(fd, SA(a), &len) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* A TCP listener on 127.0.0.1:<ephemeral>. */
__attribute__((unused)) static int listener4(struct sockaddr_in *a, int backlog)
{
	int fd = bound4(SOCK_STREAM, a);

	if (fd >= 0 && listen(fd, backlog) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

__attribute__((unused)) static int connect4(const struct sockaddr_in *a)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd >= 0 && connect(fd, (const struct sockaddr *)a, sizeof(*a)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* A connected TCP pair over loopback: *c the connecting end, *s the
 * accepted one.  0, or -1 (both -1) on failure. */
__attribute__((unused)) static int tcp_pair(int *c, int *s)
{
	struct sockaddr_in a;
	int l = listener4(&a, 4);

	*c = *s = -1;
	if (l < 0)
		return -1;
	*c = connect4(&a);
	if (*c >= 0)
		*s = accept(l, NULL, NULL);
	close(l);
	if (*s < 0) {
		if (*c >= 0)
			close(*c);
		*c = -1;
		return -1;
	}
	return 0;
}

/* Reads exactly n bytes unless EOF or an error comes first; the count. */
__attribute__((unused)) static ssize_t read_full(int fd, void *buf, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = read(fd, (char *)buf + got, n - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return got ? (ssize_t)got : r;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

__attribute__((unused)) static ssize_t write_full(int fd, const void *buf, size_t n)
{
	size_t put = 0;

	while (put < n) {
		ssize_t r = write(fd, (const char *)buf + put, n - put);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return put ? (ssize_t)put : r;
		put += (size_t)r;
	}
	return (ssize_t)put;
}

/* FNV-1a over a running state (start with 14695981039346656037). */
__attribute__((unused)) static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *c = p;

	while (n--) {
		h ^= *c++;
		h *= 1099511628211ULL;
	}
	return h;
}
#define FNV_INIT 14695981039346656037ULL

/* The byte at offset i of a deterministic stream (not periodic in 2^k). */
__attribute__((unused)) static unsigned char pattern(uint64_t i)
{
	return (unsigned char)((i * 2654435761u) >> 13 ^ i / 251);
}

/* Waits for fd to show any of events, up to ms; the revents (0: none). */
__attribute__((unused)) static int wait_ev(int fd, short events, int ms)
{
	struct pollfd p = { .fd = fd, .events = events };

	if (fd < 0)		/* a socket that failed to open: do not sleep on it */
		return POLLNVAL;
	return poll(&p, 1, ms) == 1 ? p.revents : 0;
}

/* Reaps a child; its exit status, or 128+signal. */
__attribute__((unused)) static int reap(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* The TCP state (TCP_INFO's tcpi_state: TCP_ESTABLISHED, TCP_SYN_SENT...). */
__attribute__((unused)) static int tcp_state(int fd)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	memset(&ti, 0, sizeof(ti));
	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) < 0)
		return -1;
	return ti.tcpi_state;
}

/* [::1]:port (host order). */
__attribute__((unused)) static struct sockaddr_in6 lo6(int port)
{
	struct sockaddr_in6 a;

	memset(&a, 0, sizeof(a));
	a.sin6_family = AF_INET6;
	a.sin6_port = htons((uint16_t)port);
	a.sin6_addr = in6addr_loopback;
	return a;
}

/* An AF_INET6 socket of type bound to *a (port 0: one the kernel picks, learnt into *a); -1 on error. */
__attribute__((unused)) static int bound6(int type, struct sockaddr_in6 *a)
{
	socklen_t len = sizeof(*a);
	int fd = socket(AF_INET6, type, 0);

	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)a, sizeof(*a)) < 0 ||
	    getsockname(fd, (struct sockaddr *)a, &len) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* A TCP listener on [::1] and a port the kernel picks (into *a); -1 on error. */
__attribute__((unused)) static int listener6(struct sockaddr_in6 *a, int backlog)
{
	int fd;

	*a = lo6(0);
	fd = bound6(SOCK_STREAM, a);
	if (fd >= 0 && listen(fd, backlog) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Whether this machine has AF_INET6 and ::1 (else the program says skip and stops). */
__attribute__((unused)) static int have_ipv6(void)
{
	struct sockaddr_in6 a = lo6(0);
	int fd = bound6(SOCK_DGRAM, &a);

	if (fd < 0) {
		skip("inet6", errno == EAFNOSUPPORT ? "no AF_INET6 here" : "no ::1 here");
		return 0;
	}
	close(fd);
	return 1;
}

#endif
