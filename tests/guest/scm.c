/*
 * scm.c - control messages on AF_UNIX: passing fds with SCM_RIGHTS
 * (over stream and datagram, to another process, several at once, a
 * socket passed over itself and cycles that only the in-flight
 * garbage collector can free, MSG_CTRUNC when the buffer is short,
 * MSG_CMSG_CLOEXEC, MSG_PEEK), SCM_CREDENTIALS with SO_PASSCRED,
 * SO_PEERCRED, and the errors: a bad fd, too many fds, a bad cmsg_len,
 * credentials of another process.
 */
#include "t.h"
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

static int send_fds(int s, const int *fds, int n, int flags)
{
	char c = 'F';
	struct iovec iov = { &c, 1 };
	union { char buf[CMSG_SPACE(sizeof(int) * 300)]; struct cmsghdr align; } u;
	struct msghdr mh = { 0 };
	struct cmsghdr *cm;

	memset(&u, 0, sizeof(u));
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = u.buf;
	mh.msg_controllen = CMSG_SPACE(sizeof(int) * n);
	cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int) * n);
	memcpy(CMSG_DATA(cm), fds, sizeof(int) * n);
	return sendmsg(s, &mh, flags);
}

/* Receives one byte and up to max fds (control room for room fds); returns the fd count or -1. */
static int recv_fds(int s, int *fds, int room, int flags, int *msgflags)
{
	char c;
	struct iovec iov = { &c, 1 };
	union { char buf[CMSG_SPACE(sizeof(int) * 16)]; struct cmsghdr align; } u;
	struct msghdr mh = { 0 };
	struct cmsghdr *cm;
	int n = 0;

	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = u.buf;
	mh.msg_controllen = room ? CMSG_SPACE(sizeof(int) * room) : 0;
	if (recvmsg(s, &mh, flags) < 0)
		return -1;
	if (msgflags)
		*msgflags = mh.msg_flags;
	for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm))
		if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS) {
			n = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
			memcpy(fds, CMSG_DATA(cm), sizeof(int) * n);
		}
	return n;
}

static void test_rights(void)
{
	int sv[2], p[2], got[16], n, fl = 0;
	char buf[16];

	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	pipe(p);
	CHECK_OK(send_fds(sv[0], &p[1], 1, 0), "send a pipe's write end");
	n = recv_fds(sv[1], got, 4, 0, &fl);
	check(n == 1 && got[0] != p[1] && fl == 0, "received one fd, a new number", "n=%d", n);
	write(got[0], "via", 3);
	check(read(p[0], buf, 3) == 3 && memcmp(buf, "via", 3) == 0, "the passed fd is the same pipe", "no");
	check(fcntl(got[0], F_GETFD) == 0, "no close-on-exec by default", "no");
	close(got[0]);

	int three[3] = { p[0], p[1], sv[0] };
	send_fds(sv[0], three, 3, 0);
	n = recv_fds(sv[1], got, 4, MSG_CMSG_CLOEXEC, NULL);
	check(n == 3 && fcntl(got[0], F_GETFD) == FD_CLOEXEC, "three fds, MSG_CMSG_CLOEXEC", "n=%d", n);
	struct stat a, b;
	fstat(got[2], &a);
	fstat(sv[0], &b);
	check(a.st_ino == b.st_ino && S_ISSOCK(a.st_mode), "a socket can be passed too", "no");
	for (int i = 0; i < n; i++)
		close(got[i]);

	send_fds(sv[0], three, 3, 0);
	n = recv_fds(sv[1], got, 1, 0, &fl);
	check(n == 2 && (fl & MSG_CTRUNC), "CMSG_SPACE of one int holds two of three: MSG_CTRUNC", "n=%d flags %#x", n, fl);
	close(got[0]);
	close(got[1]);
	send_fds(sv[0], three, 1, 0);
	n = recv_fds(sv[1], got, 0, 0, &fl);
	check(n == 0 && (fl & MSG_CTRUNC), "no control buffer: MSG_CTRUNC, the fd dropped", "flags %#x", fl);

	send_fds(sv[0], &p[0], 1, 0);
	n = recv_fds(sv[1], got, 4, MSG_PEEK, NULL);
	check(n == 1, "MSG_PEEK also installs the fds", "n=%d", n);
	close(got[0]);
	n = recv_fds(sv[1], got, 4, 0, NULL);
	check(n == 1, "and a real read gets them again", "n=%d", n);
	close(got[0]);

	/* data after a message with fds is not glued onto it */
	send_fds(sv[0], &p[0], 1, 0);
	write(sv[0], "tail", 4);
	char big[16];
	struct iovec iov = { big, sizeof(big) };
	union { char buf[CMSG_SPACE(sizeof(int) * 4)]; struct cmsghdr align; } u;
	struct msghdr mh = { 0 };
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = u.buf;
	mh.msg_controllen = sizeof(u.buf);
	n = recvmsg(sv[1], &mh, 0);
	check(n == 1, "a read stops after the message that carried fds", "n=%d", n);
	close(*(int *)CMSG_DATA(CMSG_FIRSTHDR(&mh)));
	check(read(sv[1], big, sizeof(big)) == 4, "the next read gets the rest", "no");

	int bad = 999;
	CHECK_ERR(send_fds(sv[0], &bad, 1, 0), EBADF, "SCM_RIGHTS with a bad fd EBADF");
	int many[254];
	for (int i = 0; i < 254; i++)
		many[i] = p[0];
	CHECK_ERR(send_fds(sv[0], many, 254, 0), EINVAL, "254 fds EINVAL");
	CHECK_OK(send_fds(sv[0], many, 253, 0), "253 fds");
	n = recv_fds(sv[1], got, 0, 0, &fl);
	check(fl & MSG_CTRUNC, "253 fds dropped unread", "no");
	/* a bad cmsg_len */
	char c = 'x';
	struct iovec iv = { &c, 1 };
	struct { struct cmsghdr h; int fd; } cm = { { 200, SOL_SOCKET, SCM_RIGHTS }, 0 };
	struct msghdr m2 = { 0 };
	m2.msg_iov = &iv;
	m2.msg_iovlen = 1;
	m2.msg_control = &cm;
	m2.msg_controllen = sizeof(cm);
	CHECK_ERR(sendmsg(sv[0], &m2, 0), EINVAL, "cmsg_len past the buffer EINVAL");
	cm.h.cmsg_len = CMSG_LEN(sizeof(int));
	cm.h.cmsg_type = 77;
	CHECK_ERR(sendmsg(sv[0], &m2, 0), EINVAL, "unknown SOL_SOCKET cmsg type EINVAL");
	close(p[0]);
	close(p[1]);
	close(sv[0]);
	close(sv[1]);
}

static void test_other_process(void)
{
	int sv[2], p[2];
	char buf[32];

	socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
	pipe(p);
	pid_t c = fork();
	if (c == 0) {
		int fd, n;

		close(sv[0]);
		n = recv_fds(sv[1], &fd, 1, 0, NULL);
		if (n == 1)
			write(fd, "from child", 10);
		_exit(n == 1 ? 0 : 1);
	}
	close(sv[1]);
	send_fds(sv[0], &p[1], 1, 0);
	close(p[1]);
	int st;
	waitpid(c, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child received an fd over a datagram", "status %#x", st);
	int n = read(p[0], buf, sizeof(buf));
	check(n == 10 && memcmp(buf, "from child", 10) == 0, "the child wrote through it", "n=%d", n);
	check(read(p[0], buf, sizeof(buf)) == 0, "and every copy of the write end is closed", "no");
	close(p[0]);
	close(sv[0]);
}

/*
 * Whether the pipe read end fd sees EOF once the garbage collector has
 * freed the cycle holding its write end.  Linux runs its collector as
 * deferred work and skips a request while a collection is in progress, so
 * a cycle closed just then waits for the next trigger: give it one (a
 * socket closed) every 100 ms, as a busy system would, for 10 s at most.
 */
static int collected(int fd)
{
	struct pollfd pfd = { fd, POLLIN, 0 };
	char c;

	for (int i = 0; i < 100; i++) {
		if (poll(&pfd, 1, 100) == 1)
			return read(fd, &c, 1) == 0;
		close(socket(AF_UNIX, SOCK_DGRAM, 0));
	}
	return 0;
}

static void test_cycles(void)
{
	int sv[2], a[2], b[2], p[2];
	char buf[4];

	/* a socket sent over itself, then closed: only the collector frees it */
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	pipe(p);
	send_fds(sv[0], &sv[1], 1, 0);	/* sv[1] sits in its own queue */
	send_fds(sv[0], &p[1], 1, 0);	/* and so does the pipe's write end */
	close(sv[0]);
	close(sv[1]);
	close(p[1]);
	/* only the collector can drop sv[1]'s queue, and with it the last write end */
	check(collected(p[0]), "self-referencing pair collected: the pipe it held is closed", "no");
	close(p[0]);
	/* two pairs holding each other */
	socketpair(AF_UNIX, SOCK_DGRAM, 0, a);
	socketpair(AF_UNIX, SOCK_DGRAM, 0, b);
	pipe(p);
	send_fds(a[0], &b[1], 1, 0);
	send_fds(b[0], &a[1], 1, 0);
	send_fds(a[0], &p[1], 1, 0);
	close(p[1]);
	close(a[0]);
	close(a[1]);
	close(b[0]);
	close(b[1]);
	check(collected(p[0]), "a cycle of two pairs collected", "no");
	close(p[0]);
	/* in flight but still reachable: not collected */
	socketpair(AF_UNIX, SOCK_STREAM, 0, a);
	socketpair(AF_UNIX, SOCK_STREAM, 0, b);
	send_fds(a[0], &b[0], 1, 0);
	close(b[0]);
	int x = socket(AF_UNIX, SOCK_STREAM, 0);
	close(x);		/* a close runs the collector */
	int got;
	check(recv_fds(a[1], &got, 1, 0, NULL) == 1, "reachable in-flight socket kept", "no");
	write(b[1], "ok", 2);
	check(read(got, buf, 2) == 2, "and still works", "no");
	close(got);
	close(a[0]);
	close(a[1]);
	close(b[1]);
}

static void test_creds(void)
{
	int sv[2], on = 1;
	struct ucred uc;
	socklen_t l = sizeof(uc);
	char c = 'c', cbuf[CMSG_SPACE(sizeof(struct ucred))];
	struct iovec iov = { &c, 1 };
	struct msghdr mh = { 0 };
	struct cmsghdr *cm;

	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	CHECK_OK(getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &uc, &l), "SO_PEERCRED");
	check(l == sizeof(uc) && uc.pid == getpid() && uc.uid == geteuid() && uc.gid == getegid(),
	      "SO_PEERCRED of a socketpair: ourselves", "pid match %d", uc.pid == getpid());
	setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof(on));
	int v = 0;
	l = sizeof(v);
	getsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &v, &l);
	check(v == 1, "SO_PASSCRED reads back", "%d", v);
	pid_t child = fork();
	if (child == 0) {
		write(sv[0], "k", 1);
		_exit(0);
	}
	waitpid(child, NULL, 0);
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cbuf;
	mh.msg_controllen = sizeof(cbuf);
	recvmsg(sv[1], &mh, 0);
	cm = CMSG_FIRSTHDR(&mh);
	check(cm && cm->cmsg_type == SCM_CREDENTIALS, "SO_PASSCRED: credentials come along", "none");
	if (cm) {
		memcpy(&uc, CMSG_DATA(cm), sizeof(uc));
		check(uc.pid == (pid_t)child && uc.uid == getuid(), "the sender's pid and uid", "pid match %d",
		      uc.pid == child);
	}
	/* explicit credentials */
	uc.pid = getpid();
	uc.uid = getuid();
	uc.gid = getgid();
	mh.msg_controllen = sizeof(cbuf);
	cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_CREDENTIALS;
	cm->cmsg_len = CMSG_LEN(sizeof(uc));
	memcpy(CMSG_DATA(cm), &uc, sizeof(uc));
	CHECK_OK(sendmsg(sv[0], &mh, 0), "send SCM_CREDENTIALS");
	mh.msg_controllen = sizeof(cbuf);
	recvmsg(sv[1], &mh, 0);
	cm = CMSG_FIRSTHDR(&mh);
	memcpy(&uc, CMSG_DATA(cm), sizeof(uc));
	check(uc.pid == getpid(), "explicit credentials received", "no");
	uc.pid = 4000000;
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_CREDENTIALS;
	cm->cmsg_len = CMSG_LEN(sizeof(uc));
	memcpy(CMSG_DATA(cm), &uc, sizeof(uc));
	mh.msg_controllen = sizeof(cbuf);
	CHECK_ERR(sendmsg(sv[0], &mh, 0), ESRCH, "credentials of no process ESRCH");
	close(sv[0]);
	close(sv[1]);
}

int main(void)
{
	t_start();
	test_rights();
	test_other_process();
	test_cycles();
	test_creds();
	return t_done();
}
