/*
 * mq_notify.c - mq_notify(3) semantics: SIGEV_THREAD through glibc (its
 * AF_NETLINK helper: the function runs in a new thread), the raw
 * SIGEV_THREAD protocol (the 32-byte cookie sent back on the netlink
 * socket, last byte NOTIFY_WOKENUP or NOTIFY_REMOVED), SIGEV_SIGNAL and
 * SIGEV_NONE: EBUSY for a second registration, removal by
 * mq_notify(NULL), by close and by the notification itself, notification
 * only when a message reaches an empty queue, none while a receiver
 * waits; and the error paths of the syscall.
 */
#include "t.h"
#include <fcntl.h>
#include <linux/netlink.h>
#include <mqueue.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

/* <linux/mqueue.h> (its struct mq_attr clashes with <mqueue.h>'s). */
#define NOTIFY_NONE	0
#define NOTIFY_WOKENUP	1
#define NOTIFY_REMOVED	2
#define NOTIFY_COOKIE_LEN	32

static char qname[64];
static sem_t ran;
static pthread_t main_thread;
static volatile int thread_val, thread_other;

static mqd_t qopen(void)
{
	struct mq_attr at = { .mq_maxmsg = 4, .mq_msgsize = 16 };

	mq_unlink(qname);
	return mq_open(qname, O_RDWR | O_CREAT | O_EXCL, 0600, &at);
}

static int sem_wait_long(sem_t *s)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 20;	/* a guard against a hang, not a timing check */
	while (sem_timedwait(s, &ts) < 0)
		if (errno != EINTR)
			return -1;
	return 0;
}

static void notified(union sigval v)
{
	thread_val = v.sival_int;
	thread_other = !pthread_equal(pthread_self(), main_thread);
	sem_post(&ran);
}

static void test_glibc_thread(void)
{
	struct sigevent ev = { .sigev_notify = SIGEV_THREAD };
	char buf[16];
	mqd_t q = qopen();

	main_thread = pthread_self();
	sem_init(&ran, 0, 0);
	ev.sigev_notify_function = notified;
	ev.sigev_value.sival_int = 4242;
	check(mq_notify(q, &ev) == 0, "glibc SIGEV_THREAD registers", "errno %d", errno);
	CHECK_ERR(mq_notify(q, &ev), EBUSY, "a second SIGEV_THREAD registration is EBUSY");
	check(mq_send(q, "x", 1, 0) == 0, "send to the empty queue", "errno %d", errno);
	check(sem_wait_long(&ran) == 0, "the notification function ran", "errno %d", errno);
	check(thread_val == 4242 && thread_other, "with its sigval, in another thread",
	      "val %d other %d", thread_val, thread_other);
	mq_receive(q, buf, sizeof(buf), NULL);
	check(mq_notify(q, &ev) == 0, "registration is free again after it fired", "errno %d", errno);
	check(mq_notify(q, NULL) == 0, "mq_notify(NULL) removes it", "errno %d", errno);
	mq_send(q, "y", 1, 0);
	check(mq_notify(q, &ev) == 0, "a registration on a non-empty queue", "errno %d", errno);
	mq_send(q, "z", 1, 0);
	mq_receive(q, buf, sizeof(buf), NULL);
	mq_receive(q, buf, sizeof(buf), NULL);
	thread_val = 0;
	mq_send(q, "w", 1, 0);
	check(sem_wait_long(&ran) == 0 && thread_val == 4242,
	      "fires only when a message reaches the emptied queue", "val %d", thread_val);
	mq_close(q);
	mq_unlink(qname);
}

/* The raw protocol: a netlink socket of our own gets the cookie back. */
static long raw_notify(mqd_t q, int sock, void *cookie)
{
	struct sigevent ev;

	memset(&ev, 0, sizeof(ev));
	ev.sigev_notify = SIGEV_THREAD;
	ev.sigev_signo = sock;
	ev.sigev_value.sival_ptr = cookie;
	return syscall(SYS_mq_notify, q, &ev);
}

static int read_cookie(int sock, unsigned char *out)
{
	return (int)recv(sock, out, NOTIFY_COOKIE_LEN + 8, MSG_DONTWAIT);
}

static void test_raw_thread(void)
{
	unsigned char cookie[NOTIFY_COOKIE_LEN], got[NOTIFY_COOKIE_LEN + 8];
	int nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, 0), n;
	char buf[16];
	mqd_t q = qopen();

	for (int i = 0; i < NOTIFY_COOKIE_LEN; i++)
		cookie[i] = (unsigned char)(0x30 + i);
	check(raw_notify(q, nl, cookie) == 0, "raw SIGEV_THREAD registers", "errno %d", errno);
	CHECK_ERR(read_cookie(nl, got), EAGAIN, "nothing on the socket before a message");
	mq_send(q, "a", 1, 0);
	n = read_cookie(nl, got);
	check(n == NOTIFY_COOKIE_LEN && !memcmp(got, cookie, NOTIFY_COOKIE_LEN - 1) &&
	      got[NOTIFY_COOKIE_LEN - 1] == NOTIFY_WOKENUP,
	      "the cookie comes back with NOTIFY_WOKENUP", "n %d last %d", n, got[NOTIFY_COOKIE_LEN - 1]);
	mq_receive(q, buf, sizeof(buf), NULL);
	check(raw_notify(q, nl, cookie) == 0 && mq_notify(q, NULL) == 0, "register, then remove", "errno %d", errno);
	n = read_cookie(nl, got);
	check(n == NOTIFY_COOKIE_LEN && got[NOTIFY_COOKIE_LEN - 1] == NOTIFY_REMOVED,
	      "mq_notify(NULL) sends NOTIFY_REMOVED", "n %d last %d", n, got[NOTIFY_COOKIE_LEN - 1]);
	check(raw_notify(q, nl, cookie) == 0, "register again", "errno %d", errno);
	mq_close(q);
	n = read_cookie(nl, got);
	check(n == NOTIFY_COOKIE_LEN && got[NOTIFY_COOKIE_LEN - 1] == NOTIFY_REMOVED,
	      "closing the queue sends NOTIFY_REMOVED", "n %d last %d", n, got[NOTIFY_COOKIE_LEN - 1]);
	CHECK_ERR(read_cookie(nl, got), EAGAIN, "and only once");
	close(nl);
	mq_unlink(qname);
}

static void test_errors(void)
{
	unsigned char cookie[NOTIFY_COOKIE_LEN] = { 0 };
	int nl = socket(AF_NETLINK, SOCK_RAW, 0), p[2], us[2];
	struct sigevent ev;
	mqd_t q = qopen();

	pipe(p);
	socketpair(AF_UNIX, SOCK_DGRAM, 0, us);
	CHECK_ERR(raw_notify(q, p[0], cookie), ENOTSOCK, "SIGEV_THREAD on a pipe: ENOTSOCK");
	CHECK_ERR(raw_notify(q, us[0], cookie), EINVAL, "on an AF_UNIX socket: EINVAL");
	CHECK_ERR(raw_notify(q, 999, cookie), EBADF, "on a closed fd: EBADF");
	CHECK_ERR(raw_notify(q, nl, (void *)8), EFAULT, "a bad cookie pointer: EFAULT");
	CHECK_ERR(raw_notify(p[0], nl, cookie), EBADF, "a pipe as the queue: EBADF");
	memset(&ev, 0, sizeof(ev));
	ev.sigev_notify = 77;
	CHECK_ERR(syscall(SYS_mq_notify, q, &ev), EINVAL, "an unknown sigev_notify: EINVAL");
	ev.sigev_notify = SIGEV_SIGNAL;
	ev.sigev_signo = 65;
	CHECK_ERR(syscall(SYS_mq_notify, q, &ev), EINVAL, "signal 65: EINVAL");
	CHECK_ERR(syscall(SYS_mq_notify, q, (void *)8), EFAULT, "a bad sigevent pointer: EFAULT");
	CHECK_ERR(syscall(SYS_mq_notify, 999, NULL), EBADF, "a closed queue fd: EBADF");
	check(syscall(SYS_mq_notify, q, NULL) == 0, "removing no registration is fine", "errno %d", errno);
	close(p[0]);
	close(p[1]);
	close(us[0]);
	close(us[1]);
	close(nl);
	mq_close(q);
	mq_unlink(qname);
}

static volatile sig_atomic_t usr1;

static void on_usr1(int sig)
{
	(void)sig;
	usr1++;
}

/* The state letter of /proc/PID/stat. */
static char proc_state(pid_t pid)
{
	char path[64], buf[256], *p;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "r");
	if (f == NULL)
		return '?';
	p = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
	fclose(f);
	return p && p[1] == ' ' ? p[2] : '?';
}

static void test_signal_none(void)
{
	struct sigevent sig = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR1 };
	struct sigevent none = { .sigev_notify = SIGEV_NONE };
	char buf[16];
	sigset_t m, old;
	pid_t pid;
	int st;
	mqd_t q = qopen();

	signal(SIGUSR1, on_usr1);
	sigemptyset(&m);
	sigaddset(&m, SIGUSR1);
	check(mq_notify(q, &none) == 0, "SIGEV_NONE registers", "errno %d", errno);
	pid = fork();
	if (pid == 0)
		_exit(mq_notify(q, &sig) == -1 && errno == EBUSY ? 0 : 1);
	waitpid(pid, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "another process gets EBUSY", "status %#x", st);
	mq_send(q, "n", 1, 0);
	check(usr1 == 0, "SIGEV_NONE sends no signal", "%d", (int)usr1);
	mq_receive(q, buf, sizeof(buf), NULL);
	check(mq_notify(q, &sig) == 0, "and is removed by the message", "errno %d", errno);

	/* A receiver waiting takes the message: no notification. */
	pid = fork();
	if (pid == 0)
		_exit(mq_receive(q, buf, sizeof(buf), NULL) == 1 ? 0 : 1);
	for (int i = 0; i < 1000000 && proc_state(pid) != 'S'; i++)
		sched_yield();	/* bounded: a missing /proc fails the checks below */
	mq_send(q, "r", 1, 0);
	waitpid(pid, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the waiting receiver got the message", "status %#x", st);
	check(usr1 == 0, "no signal while a receiver waited", "%d", (int)usr1);
	sigprocmask(SIG_BLOCK, &m, &old);
	mq_send(q, "s", 1, 0);
	sigsuspend(&old);
	sigprocmask(SIG_SETMASK, &old, NULL);
	check(usr1 == 1, "the registration stayed: the next message signals", "%d", (int)usr1);
	mq_send(q, "t", 1, 0);
	check(usr1 == 1, "only once", "%d", (int)usr1);
	mq_close(q);
	mq_unlink(qname);
}

int main(void)
{
	t_start();
	if (getpid() == 1)
		mount("proc", "/proc", "proc", 0, NULL);
	snprintf(qname, sizeof(qname), "/mq_notify_t%d", getpid());
	test_glibc_thread();
	test_raw_thread();
	test_errors();
	test_signal_none();
	return t_done();
}
