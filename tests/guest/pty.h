/*
 * pty.h - helpers for the pseudo-terminal guest programs: a devpts on
 * /dev/pts (mounted when it is not there yet, as inside ./linux with
 * init= a test program) and a master/slave pair.
 */
#ifndef GUEST_PTY_H
#define GUEST_PTY_H

#include "t.h"
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <stdbool.h>
#include <termios.h>

#define DEVPTS_MAGIC 0x1cd1

/* Mounts devpts on /dev/pts unless it is there: 0 or -1. */
static int pty_setup(void)
{
	struct statfs st;

	if (statfs("/dev/pts", &st) == 0 && st.f_type == DEVPTS_MAGIC)
		return 0;
	mkdir("/dev/pts", 0755);
	return mount("devpts", "/dev/pts", "devpts", 0, "ptmxmode=0666,mode=0620");
}

/* A new pair: the master fd, the slave opened with sflags (-1: not opened). */
static int pty_pair(int *slave, int sflags)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY);

	if (m < 0 || grantpt(m) < 0 || unlockpt(m) < 0) {
		printf("not ok 0 pty_pair: %s\n", strerror(errno));
		exit(1);
	}
	*slave = sflags < 0 ? -1 : open(ptsname(m), sflags);
	if (sflags >= 0 && *slave < 0) {
		printf("not ok 0 pty_pair slave: %s\n", strerror(errno));
		exit(1);
	}
	return m;
}

/*
 * The setup of the programs that test a controlling terminal: devpts, and
 * a pair whose slave is opened O_NOCTTY, so that a child can take it.
 */
__attribute__((unused)) static void pty_open_ctty_pair(int *master, int *slave)
{
	if (pty_setup() < 0)
		printf("# devpts: %s\n", strerror(errno));
	*master = pty_pair(slave, O_RDWR | O_NOCTTY);
}

/* A new session with slave as its controlling terminal: 0, or -1 with errno. */
__attribute__((unused)) static int pty_take_ctty(int slave)
{
	setsid();
	return ioctl(slave, TIOCSCTTY, 0);
}

/* Runs fn in a child (its own checks, its result as exit status); one check of that. */
__attribute__((unused)) static void pty_in_child(int (*fn)(void), const char *name)
{
	pid_t pid = fork();
	int st = -1;

	if (pid == 0)
		_exit(fn());
	waitpid(pid, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0, name, "status %#x", st);
}

/* Reads what is there within a short wait: bytes read, 0 for none. */
__attribute__((unused)) static int pty_drain(int fd, char *buf, int size)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int n = 0, r;

	while (n < size - 1 && poll(&p, 1, 200) == 1 && (p.revents & POLLIN)) {
		r = (int)read(fd, buf + n, (size_t)(size - 1 - n));
		if (r <= 0)
			break;
		n += r;
	}
	buf[n] = '\0';
	return n;
}

/* The bytes of s with control characters shown as \xNN, for messages. */
__attribute__((unused)) static const char *vis(const char *s)
{
	static char out[4][512];
	static int k;
	char *o = out[k++ & 3];
	int n = 0;

	for (; *s && n < 500; s++)
		n += (unsigned char)*s < 32 || *s == 127 ?
			sprintf(o + n, "\\x%02x", (unsigned char)*s) : sprintf(o + n, "%c", *s);
	o[n] = '\0';
	return o;
}

#endif
