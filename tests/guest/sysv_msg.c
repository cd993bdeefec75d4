/*
 * sysv_msg.c - System V message queues: msgget's key rules, msgsnd and
 * msgrcv by type (0, exact, MSG_EXCEPT, negative: the lowest type up
 * to it), E2BIG and MSG_NOERROR truncation, IPC_NOWAIT (ENOMSG, EAGAIN
 * on a full queue), IPC_STAT counters and IPC_SET of msg_qbytes,
 * MSG_COPY, a blocked receiver woken by a sender and by IPC_RMID, a
 * signal interrupting msgrcv, bad arguments.
 */
#include "t.h"
#include <signal.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/mount.h>
#include <sys/wait.h>

#ifndef MSG_COPY
#define MSG_COPY 040000
#endif

struct m {
	long mtype;
	char text[64];
};

static int snd(int q, long type, const char *s, int flg)
{
	struct m b = { type };

	strcpy(b.text, s);
	return msgsnd(q, &b, strlen(s) + 1, flg);
}

/* Receives; returns the text ("" on error) and sets *type. */
static const char *rcv(int q, long want, int flg, long *type)
{
	static struct m b;
	ssize_t n;

	memset(&b, 0, sizeof(b));
	n = msgrcv(q, &b, sizeof(b.text), want, flg);
	*type = n < 0 ? -errno : b.mtype;
	return n < 0 ? "" : b.text;
}

static void test_types(void)
{
	key_t k = (key_t)(0x5e200000 | (getpid() & 0xffff));
	int q, q2;
	long ty;
	struct msqid_ds ds;

	CHECK_ERR(msgget(k, 0600), ENOENT, "unknown key: ENOENT");
	q = msgget(k, IPC_CREAT | 0600);
	CHECK_OK(q, "msgget IPC_CREAT");
	q2 = msgget(k, 0);
	check(q2 == q, "same key: same queue", "%d %d", q, q2);
	CHECK_ERR(msgget(k, IPC_CREAT | IPC_EXCL), EEXIST, "IPC_EXCL: EEXIST");
	check(snd(q, 3, "three", 0) == 0 && snd(q, 1, "one", 0) == 0 && snd(q, 2, "two", 0) == 0 &&
	      snd(q, 1, "one again", 0) == 0 && snd(q, 5, "five", 0) == 0, "five messages sent", "errno %d", errno);
	check(msgctl(q, IPC_STAT, &ds) == 0 && ds.msg_qnum == 5 && ds.msg_cbytes == 6 + 4 + 4 + 10 + 5,
	      "IPC_STAT: qnum 5, cbytes the text bytes", "qnum %lu cbytes %lu", ds.msg_qnum, ds.msg_cbytes);
	check(ds.msg_lspid == getpid() && ds.msg_lrpid == 0 && ds.msg_qbytes == 16384, "lspid, lrpid, qbytes",
	      "%d %d %lu", ds.msg_lspid, ds.msg_lrpid, ds.msg_qbytes);
	const char *s = rcv(q, 2, 0, &ty);
	check(ty == 2 && strcmp(s, "two") == 0, "type 2: that one", "%ld '%s'", ty, s);
	s = rcv(q, -2, 0, &ty);
	check(ty == 1 && strcmp(s, "one") == 0, "type -2: the lowest up to 2, first of them", "%ld '%s'", ty, s);
	s = rcv(q, 1, MSG_EXCEPT, &ty);
	check(ty == 3 && strcmp(s, "three") == 0, "MSG_EXCEPT 1: the first of another type", "%ld '%s'", ty, s);
	s = rcv(q, 0, 0, &ty);
	check(ty == 1 && strcmp(s, "one again") == 0, "type 0: the first in the queue", "%ld '%s'", ty, s);
	s = rcv(q, 4, IPC_NOWAIT, &ty);
	check(ty == -ENOMSG, "no message of type 4 with IPC_NOWAIT: ENOMSG", "%ld", ty);
	struct m b;
	CHECK_ERR(msgrcv(q, &b, 2, 0, 0), E2BIG, "buffer too small: E2BIG");
	check(msgctl(q, IPC_STAT, &ds) == 0 && ds.msg_qnum == 1, "and the message stays", "%lu", ds.msg_qnum);
	memset(&b, 0, sizeof(b));
	check(msgrcv(q, &b, 0, 5, IPC_NOWAIT | MSG_COPY) == -1 && errno == ENOMSG,
	      "MSG_COPY counts from 0: ENOMSG past the end", "errno %d", errno);
	check(msgrcv(q, &b, sizeof(b.text), 0, IPC_NOWAIT | MSG_COPY) == 5 && b.mtype == 5,
	      "MSG_COPY copies message 0", "type %ld", b.mtype);
	CHECK_ERR(msgrcv(q, &b, sizeof(b.text), 0, MSG_COPY), EINVAL, "MSG_COPY without IPC_NOWAIT: EINVAL");
	memset(&b, 0, sizeof(b));
	check(msgrcv(q, &b, 2, 0, MSG_NOERROR) == 2 && b.mtype == 5 && memcmp(b.text, "fi", 2) == 0 &&
	      b.text[2] == 0, "MSG_NOERROR truncates", "type %ld", b.mtype);
	check(msgctl(q, IPC_STAT, &ds) == 0 && ds.msg_qnum == 0 && ds.msg_cbytes == 0 &&
	      ds.msg_lrpid == getpid(), "empty now; lrpid is us", "qnum %lu", ds.msg_qnum);
	CHECK_ERR(snd(q, 0, "x", 0), EINVAL, "type 0: EINVAL");
	CHECK_ERR(snd(q, -1, "x", 0), EINVAL, "negative type: EINVAL");
	CHECK_ERR(msgsnd(q, &b, 8193, 0), EINVAL, "more than MSGMAX: EINVAL");
	CHECK_ERR(msgsnd(q, (void *)8, 4, 0), EFAULT, "bad buffer: EFAULT");
	CHECK_ERR(msgsnd(-1, &b, 4, 0), EINVAL, "negative id: EINVAL");
	CHECK_ERR(msgrcv(q + 1, &b, 4, 0, 0), EINVAL, "unknown id: EINVAL");
	snd(q, 7, "seven", 0);
	CHECK_ERR(msgrcv(q, (void *)8, 64, 0, 0), EFAULT, "receive into a bad buffer: EFAULT");
	check(msgctl(q, IPC_STAT, &ds) == 0 && ds.msg_qnum == 0, "which still takes the message", "%lu",
	      ds.msg_qnum);
	/* A small queue fills up. */
	ds.msg_qbytes = 10;
	check(msgctl(q, IPC_SET, &ds) == 0, "IPC_SET msg_qbytes 10", "errno %d", errno);
	check(snd(q, 1, "123456789", IPC_NOWAIT) == 0, "10 bytes fit", "errno %d", errno);
	CHECK_ERR(snd(q, 1, "", IPC_NOWAIT), EAGAIN, "full: EAGAIN");
	pid_t c = fork();
	int st;
	if (c == 0)
		_exit(snd(q, 2, "later", 0) == 0 ? 0 : 1);	/* sleeps until room */
	s = rcv(q, 1, 0, &ty);
	waitpid(c, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "a blocked sender goes on once there is room", "%#x", st);
	s = rcv(q, 2, IPC_NOWAIT, &ty);
	check(ty == 2 && strcmp(s, "later") == 0, "its message", "%ld", ty);
	check(msgctl(q, IPC_RMID, NULL) == 0, "IPC_RMID", "errno %d", errno);
	CHECK_ERR(msgctl(q, IPC_STAT, &ds), EINVAL, "gone");
}

static void on_usr1(int sig)
{
}

/* Waits (without timing) until pid sleeps: /proc/PID/stat says S. */
static int wait_sleeping(pid_t pid)
{
	char path[64], buf[256], *r;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	for (int i = 0; i < 20000; i++) {
		FILE *f = fopen(path, "r");

		if (f) {
			buf[0] = 0;
			fgets(buf, sizeof(buf), f);
			fclose(f);
			r = strrchr(buf, ')');
			if (r && r[1] == ' ' && r[2] == 'S')
				return 1;
		}
		usleep(1000);
	}
	return 0;
}

static void test_wakeups(void)
{
	int q = msgget(IPC_PRIVATE, 0600), st, p[2];
	pid_t c;
	char b;

	pipe(p);
	c = fork();
	if (c == 0) {
		long ty;
		const char *s;

		close(p[0]);
		write(p[1], "r", 1);
		s = rcv(q, 9, 0, &ty);
		_exit(ty == 9 && strcmp(s, "nine") == 0 ? 0 : 1);
	}
	read(p[0], &b, 1);
	snd(q, 8, "eight", 0);
	snd(q, 9, "nine", 0);
	waitpid(c, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "a receiver of type 9 gets the one for it", "%#x", st);
	long ty;
	rcv(q, 8, IPC_NOWAIT, &ty);
	check(ty == 8, "type 8 left for us", "%ld", ty);
	c = fork();
	if (c == 0) {
		struct m m;

		write(p[1], "r", 1);
		_exit(msgrcv(q, &m, 64, 0, 0) == -1 && errno == EIDRM ? 0 : 1);
	}
	read(p[0], &b, 1);
	check(wait_sleeping(c), "a receiver sleeps", "never");
	msgctl(q, IPC_RMID, NULL);
	waitpid(c, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "IPC_RMID wakes a receiver: EIDRM", "%#x", st);
	q = msgget(IPC_PRIVATE, 0600);
	c = fork();
	if (c == 0) {
		struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = SA_RESTART };
		struct m m;

		sigaction(SIGUSR1, &sa, NULL);
		write(p[1], "r", 1);
		_exit(msgrcv(q, &m, 64, 0, 0) == -1 && errno == EINTR ? 0 : 1);
	}
	read(p[0], &b, 1);
	check(wait_sleeping(c), "another receiver sleeps", "never");
	kill(c, SIGUSR1);
	waitpid(c, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "a signal: EINTR even with SA_RESTART", "%#x", st);
	c = fork();
	if (c == 0) {
		if (setuid(65534) < 0)
			_exit(9);
		_exit((snd(q, 1, "x", 0) == -1 && errno == EACCES) +
		      2 * (msgctl(q, IPC_RMID, NULL) == -1 && errno == EPERM));
	}
	waitpid(c, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 3, "another user: EACCES, EPERM", "%#x", st);
	msgctl(q, IPC_RMID, NULL);
	close(p[0]);
	close(p[1]);
}

int main(void)
{
	t_start();
	if (getpid() == 1)
		mount("proc", "/proc", "proc", 0, NULL);
	test_types();
	test_wakeups();
	return t_done();
}
