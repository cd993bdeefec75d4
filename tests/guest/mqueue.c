/*
 * mqueue.c - POSIX message queues: mq_open (O_CREAT, O_EXCL, attributes
 * and their limits, bad names), priority order (FIFO within one),
 * EMSGSIZE both ways, O_NONBLOCK (EAGAIN), mq_timedsend and
 * mq_timedreceive timing out (ETIMEDOUT) and refusing bad timeouts,
 * mq_getsetattr, mq_notify by signal (once, only on an empty queue,
 * EBUSY for a second process, removal), poll on a descriptor, a
 * receiver in a child woken by the parent, mq_unlink while open, the
 * status line read(2) returns, /proc/sys/fs/mqueue, and the mqueue
 * filesystem mounted: queues listed, stat, read, created and removed.
 */
#include "t.h"
#include <fcntl.h>
#include <mqueue.h>
#include <poll.h>
#include <signal.h>
#include <dirent.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

static char qname[64];

static struct timespec soon(long ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += ms * 1000000;
	ts.tv_sec += ts.tv_nsec / 1000000000;
	ts.tv_nsec %= 1000000000;
	return ts;
}

static void test_open(void)
{
	struct mq_attr at = { .mq_maxmsg = 4, .mq_msgsize = 64 }, got;
	mqd_t q, q2;

	CHECK_ERR(mq_open(qname, O_RDWR), ENOENT, "missing: ENOENT");
	CHECK_ERR(syscall(SYS_mq_open, "", O_RDWR | O_CREAT, 0600, NULL), ENOENT, "empty name: ENOENT");
	CHECK_ERR(syscall(SYS_mq_open, "a/b", O_RDWR | O_CREAT, 0600, NULL), EACCES, "a '/' inside: EACCES");
	char longn[300];
	memset(longn, 'n', 299);
	longn[299] = 0;
	CHECK_ERR(syscall(SYS_mq_open, longn, O_RDWR | O_CREAT, 0600, NULL), ENAMETOOLONG, "long name: ENAMETOOLONG");
	struct mq_attr bad = { .mq_maxmsg = 0, .mq_msgsize = 8 };
	CHECK_ERR(mq_open(qname, O_RDWR | O_CREAT, 0600, &bad), EINVAL, "maxmsg 0: EINVAL");
	bad.mq_maxmsg = 70000;
	CHECK_ERR(mq_open(qname, O_RDWR | O_CREAT, 0600, &bad), EINVAL, "maxmsg past the hard limit: EINVAL");
	CHECK_ERR(syscall(SYS_mq_open, qname + 1, O_RDWR | O_CREAT, 0600, (void *)8), EFAULT, "bad attr: EFAULT");
	q = mq_open(qname, O_RDWR | O_CREAT | O_EXCL, 0600, &at);
	CHECK_OK(q, "mq_open O_CREAT|O_EXCL");
	CHECK_ERR(mq_open(qname, O_RDWR | O_CREAT | O_EXCL, 0600, &at), EEXIST, "again: EEXIST");
	q2 = mq_open(qname, O_RDONLY);
	CHECK_OK(q2, "open it again read-only");
	check(mq_getattr(q, &got) == 0 && got.mq_maxmsg == 4 && got.mq_msgsize == 64 && got.mq_curmsgs == 0 &&
	      got.mq_flags == 0, "mq_getattr", "maxmsg %ld msgsize %ld", got.mq_maxmsg, got.mq_msgsize);
	CHECK_ERR(mq_send(q2, "x", 1, 0), EBADF, "send on a read-only descriptor: EBADF");
	CHECK_ERR(mq_send(0x7ff0, "x", 1, 0), EBADF, "bad descriptor: EBADF");
	CHECK_ERR(mq_send(1, "x", 1, 0), EBADF, "not a queue: EBADF");
	mq_close(q2);
	mq_close(q);
	mqd_t d = mq_open(qname, O_RDWR);
	check(mq_getattr(d, &got) == 0 && got.mq_maxmsg == 4, "the queue outlives its descriptors", "%ld",
	      got.mq_maxmsg);
	mq_close(d);
	char name2[80];
	snprintf(name2, sizeof(name2), "%s-def", qname);
	d = mq_open(name2, O_RDWR | O_CREAT, 0600, NULL);
	check(mq_getattr(d, &got) == 0 && got.mq_maxmsg == 10 && got.mq_msgsize == 8192,
	      "no attributes: 10 of 8192 bytes", "%ld %ld", got.mq_maxmsg, got.mq_msgsize);
	mq_close(d);
	mq_unlink(name2);
}

static void test_messages(void)
{
	mqd_t q = mq_open(qname, O_RDWR | O_NONBLOCK);
	char buf[64];
	unsigned prio;
	struct mq_attr a;

	check(mq_send(q, "low", 4, 1) == 0 && mq_send(q, "high", 5, 9) == 0 && mq_send(q, "mid1", 5, 5) == 0 &&
	      mq_send(q, "mid2", 5, 5) == 0, "four sent", "errno %d", errno);
	CHECK_ERR(mq_send(q, "full", 5, 0), EAGAIN, "full, O_NONBLOCK: EAGAIN");
	char big[65] = { 0 };
	CHECK_ERR(mq_send(q, big, 65, 0), EMSGSIZE, "longer than msgsize: EMSGSIZE");
	CHECK_ERR(mq_send(q, "x", 1, 32768), EINVAL, "priority 32768: EINVAL");
	CHECK_ERR(mq_receive(q, buf, 63, &prio), EMSGSIZE, "buffer below msgsize: EMSGSIZE");
	const char *want[] = { "high", "mid1", "mid2", "low" };
	unsigned wantp[] = { 9, 5, 5, 1 };
	int order = 1;
	for (int i = 0; i < 4; i++) {
		ssize_t n = mq_receive(q, buf, sizeof(buf), &prio);

		if (n != (ssize_t)strlen(want[i]) + 1 || strcmp(buf, want[i]) || prio != wantp[i])
			order = 0;
	}
	check(order, "priority order, FIFO within one", "wrong");
	CHECK_ERR(mq_receive(q, buf, sizeof(buf), &prio), EAGAIN, "empty, O_NONBLOCK: EAGAIN");
	struct mq_attr na = { .mq_flags = 0 }, oa;
	check(mq_setattr(q, &na, &oa) == 0 && oa.mq_flags == O_NONBLOCK, "mq_setattr clears O_NONBLOCK", "%ld",
	      oa.mq_flags);
	na.mq_flags = O_APPEND;
	CHECK_ERR(mq_setattr(q, &na, &oa), EINVAL, "other flags: EINVAL");
	struct timespec ts = soon(50);
	CHECK_ERR(mq_timedreceive(q, buf, sizeof(buf), &prio, &ts), ETIMEDOUT, "timedreceive times out");
	ts.tv_nsec = 1000000000;
	CHECK_ERR(mq_timedreceive(q, buf, sizeof(buf), &prio, &ts), EINVAL, "bad timeout: EINVAL");
	for (int i = 0; i < 4; i++)
		mq_send(q, "f", 2, 0);
	ts = soon(50);
	CHECK_ERR(mq_timedsend(q, "f", 2, 0, &ts), ETIMEDOUT, "timedsend on a full queue times out");
	struct timespec past = { 1, 0 };
	CHECK_ERR(mq_timedsend(q, "f", 2, 0, &past), ETIMEDOUT, "a deadline in the past: ETIMEDOUT at once");
	mq_getattr(q, &a);
	check(a.mq_curmsgs == 4 && a.mq_flags == 0, "curmsgs 4", "%ld", a.mq_curmsgs);
	char st[128] = { 0 };
	check(read(q, st, sizeof(st)) > 0 && strncmp(st, "QSIZE:8 ", 8) == 0, "read: the status line", "'%s'", st);
	struct pollfd p = { q, POLLIN | POLLOUT, 0 };
	check(poll(&p, 1, 0) == 1 && p.revents == POLLIN, "full: POLLIN only", "%#x", p.revents);
	while (mq_timedreceive(q, buf, sizeof(buf), NULL, &past) > 0)
		;
	p.revents = 0;
	check(poll(&p, 1, 0) == 1 && p.revents == POLLOUT, "empty: POLLOUT only", "%#x", p.revents);
	mq_close(q);
}

static volatile int notified, notified_val, notified_code;
static void on_notify(int sig, siginfo_t *si, void *uc)
{
	notified++;
	notified_val = si->si_value.sival_int;
	notified_code = si->si_code;
}

static void test_notify(void)
{
	mqd_t q = mq_open(qname, O_RDWR);
	struct sigaction sa = { .sa_sigaction = on_notify, .sa_flags = SA_SIGINFO };
	struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR1 };
	char buf[64];
	int st;
	pid_t c;

	sigaction(SIGUSR1, &sa, NULL);
	ev.sigev_value.sival_int = 99;
	check(mq_notify(q, &ev) == 0, "mq_notify SIGEV_SIGNAL", "errno %d", errno);
	c = fork();
	if (c == 0) {
		struct sigevent e2 = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR2 };

		_exit(mq_notify(q, &e2) == -1 && errno == EBUSY ? 0 : 1);
	}
	waitpid(c, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "another process: EBUSY", "%#x", st);
	char s[128] = { 0 };
	read(q, s, sizeof(s));
	check(strstr(s, "NOTIFY:0 ") && strstr(s, "SIGNO:10 "), "status shows the registration", "'%s'", s);
	mq_send(q, "a", 2, 0);
	check(notified == 1 && notified_val == 99 && notified_code == SI_MESGQ, "a message on the empty queue: the signal",
	      "n %d val %d code %d", notified, notified_val, notified_code);
	mq_send(q, "b", 2, 0);
	mq_receive(q, buf, sizeof(buf), NULL);
	mq_receive(q, buf, sizeof(buf), NULL);
	mq_send(q, "c", 2, 0);
	check(notified == 1, "only once: the registration went", "%d", notified);
	mq_receive(q, buf, sizeof(buf), NULL);
	mq_notify(q, &ev);
	mq_send(q, "d", 2, 0);
	mq_send(q, "e", 2, 0);
	check(notified == 2, "registered again: one more", "%d", notified);
	mq_notify(q, &ev);
	check(mq_notify(q, NULL) == 0, "mq_notify(NULL) removes it", "errno %d", errno);
	mq_receive(q, buf, sizeof(buf), NULL);
	mq_receive(q, buf, sizeof(buf), NULL);
	mq_send(q, "f", 2, 0);
	check(notified == 2, "no signal after removal", "%d", notified);
	mq_receive(q, buf, sizeof(buf), NULL);
	ev.sigev_notify = 77;
	CHECK_ERR(mq_notify(q, &ev), EINVAL, "unknown sigev_notify: EINVAL");
	ev.sigev_notify = SIGEV_SIGNAL;
	ev.sigev_signo = 65;
	CHECK_ERR(mq_notify(q, &ev), EINVAL, "signal 65: EINVAL");
	CHECK_ERR(syscall(SYS_mq_notify, q, (void *)8), EFAULT, "bad sigevent: EFAULT");
	signal(SIGUSR1, SIG_DFL);
	mq_close(q);
}

static void test_child(void)
{
	mqd_t q = mq_open(qname, O_RDWR);
	char buf[64];
	int st;
	pid_t c;

	c = fork();
	if (c == 0) {
		unsigned pr = 0;
		ssize_t n = mq_receive(q, buf, sizeof(buf), &pr);

		_exit(n == 6 && strcmp(buf, "hello") == 0 && pr == 3 ? 0 : 1);
	}
	mq_send(q, "hello", 6, 3);
	waitpid(c, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "a blocked receiver in a child gets it", "%#x", st);
	check(mq_unlink(qname) == 0, "mq_unlink while open", "errno %d", errno);
	CHECK_ERR(mq_open(qname, O_RDWR), ENOENT, "the name is gone");
	check(mq_send(q, "still", 6, 0) == 0 && mq_receive(q, buf, sizeof(buf), NULL) == 6,
	      "the open descriptor still works", "errno %d", errno);
	CHECK_ERR(mq_unlink(qname), ENOENT, "unlink again: ENOENT");
	mq_close(q);
}

static void test_proc(void)
{
	static const char *const files[] = { "msg_max", "msgsize_max", "msg_default", "msgsize_default", "queues_max" };
	static const char *const want[] = { "10\n", "8192\n", "10\n", "8192\n", "256\n" };

	for (int i = 0; i < 5; i++) {
		char path[80], b[32] = { 0 };
		int fd;

		snprintf(path, sizeof(path), "/proc/sys/fs/mqueue/%s", files[i]);
		fd = open(path, O_RDONLY);
		read(fd, b, sizeof(b) - 1);
		close(fd);
		check(strcmp(b, want[i]) == 0, files[i], "'%s'", b);
	}
}

/* The mqueue filesystem: queues listed, created, opened and removed through it. */
static void test_fs(void)
{
	char mp[256], path[300], name[64], b[128] = { 0 };
	struct dirent *de;
	struct mq_attr a;
	int found = 0, fd;
	mqd_t q;
	DIR *d;

	t_path(mp, sizeof(mp), "mqfs");
	mkdir(mp, 0755);
	if (mount("none", mp, "mqueue", 0, NULL) < 0) {
		check(0, "mount -t mqueue", "errno %d", errno);
		return;
	}
	snprintf(name, sizeof(name), "t-mqfs-%d", getpid());
	snprintf(path, sizeof(path), "%s/%s", mp, name);
	q = mq_open(qname, O_RDWR | O_CREAT, 0640, NULL);
	mq_send(q, "abc", 4, 0);
	d = opendir(mp);
	while (d && (de = readdir(d)) != NULL)
		found += strcmp(de->d_name, qname + 1) == 0;
	if (d)
		closedir(d);
	check(found == 1, "mq_open's queue is listed", "%d", found);
	snprintf(b, sizeof(b), "%s%s", mp, qname);
	struct stat st;
	check(stat(b, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0777) == 0640, "stat: a file with its mode",
	      "errno %d mode %o", errno, st.st_mode);
	fd = open(b, O_RDONLY);
	memset(b, 0, sizeof(b));
	check(fd >= 0 && read(fd, b, sizeof(b)) > 0 && strncmp(b, "QSIZE:4 ", 8) == 0, "read: the status line",
	      "'%s'", b);
	close(fd);
	check(mq_unlink(qname) == 0, "mq_unlink", "errno %d", errno);
	snprintf(b, sizeof(b), "%s%s", mp, qname);
	CHECK_ERR(stat(b, &st), ENOENT, "gone from the mount");
	mq_close(q);
	fd = open(path, O_CREAT | O_RDWR, 0600);
	check(fd >= 0, "creat in the mount makes a queue", "errno %d", errno);
	close(fd);
	char qn[80];
	snprintf(qn, sizeof(qn), "/%s", name);
	q = mq_open(qn, O_RDWR);
	check(q >= 0 && mq_getattr(q, &a) == 0 && a.mq_maxmsg == 10, "mq_open finds it, default attributes",
	      "errno %d", errno);
	mq_close(q);
	check(unlink(path) == 0, "rm in the mount", "errno %d", errno);
	CHECK_ERR(mq_open(qn, O_RDWR), ENOENT, "is mq_unlink");
	check(umount(mp) == 0, "umount", "errno %d", errno);
	rmdir(mp);
}

int main(void)
{
	t_start();
	if (getpid() == 1)
		mount("proc", "/proc", "proc", 0, NULL);
	snprintf(qname, sizeof(qname), "/t-mq-%d", getpid());
	test_open();
	test_messages();
	test_notify();
	test_child();
	test_proc();
	test_fs();
	return t_done();
}
