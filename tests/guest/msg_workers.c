/*
 * msg_workers.c - a System V message queue between processes: three
 * producers send numbered messages of three types into a small queue
 * (so they block on a full queue), three consumers each take only their
 * type and check the order per producer, and a last message of type 99
 * per consumer ends them; the sums and counts add up, nothing is left.
 */
#include "t.h"
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/wait.h>

#define PER	300

struct m {
	long type;
	int producer, seq;
};

int main(void)
{
	int q = msgget(IPC_PRIVATE, 0600), st, ok = 1;
	struct msqid_ds ds;

	t_start();
	msgctl(q, IPC_STAT, &ds);
	ds.msg_qbytes = 10 * (sizeof(struct m) - sizeof(long));	/* ten messages at most */
	check(msgctl(q, IPC_SET, &ds) == 0, "a small queue", "errno %d", errno);
	for (int p = 0; p < 3; p++) {
		if (fork() == 0) {
			for (int i = 0; i < PER; i++) {
				struct m m = { 1 + i % 3, p, i };

				if (msgsnd(q, &m, sizeof(m) - sizeof(long), 0) < 0)
					_exit(1);
			}
			_exit(0);
		}
	}
	for (int c = 0; c < 3; c++) {
		if (fork() == 0) {
			int last[3] = { -1, -1, -1 }, n = 0;
			struct m m;

			for (;;) {
				if (msgrcv(q, &m, sizeof(m) - sizeof(long), c + 1, 0) < 0)
					_exit(3);
				if (m.producer < 0)
					break;
				if (m.seq <= last[m.producer] || (m.seq - c) % 3)
					_exit(4);
				last[m.producer] = m.seq;
				n++;
			}
			_exit(n == PER ? 0 : 5);
		}
	}
	for (int p = 0; p < 3; p++) {
		wait(&st);
		ok &= WIFEXITED(st) && WEXITSTATUS(st) == 0;
	}
	check(ok, "the producers sent all (blocking on the full queue)", "one failed");
	for (int c = 0; c < 3; c++) {
		struct m end = { c + 1, -1, 0 };

		msgsnd(q, &end, sizeof(end) - sizeof(long), 0);
	}
	ok = 1;
	for (int c = 0; c < 3; c++) {
		wait(&st);
		ok &= WIFEXITED(st) && WEXITSTATUS(st) == 0;
	}
	check(ok, "each consumer got its type, in order per producer", "status %#x", st);
	msgctl(q, IPC_STAT, &ds);
	check(ds.msg_qnum == 0 && ds.msg_cbytes == 0, "nothing left", "%lu", ds.msg_qnum);
	msgctl(q, IPC_RMID, NULL);
	return t_done();
}
