/*
 * sysv_sem.c - System V semaphores: semget errors, SETVAL/GETVAL,
 * SETALL/GETALL, GETPID, GETNCNT/GETZCNT of blocked processes, atomic
 * arrays of operations, IPC_NOWAIT, semtimedop timing out, SEM_UNDO
 * applied when a process exits (a lock held by a dying child comes
 * back), ERANGE/EFBIG/E2BIG, a sleeper woken with EIDRM by IPC_RMID
 * and with EINTR by a signal even under SA_RESTART.
 */
#include "t.h"
#include <signal.h>
#include <time.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/wait.h>

union semun {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
};

static int sem_set(int id, int n, int v)
{
	union semun u = { .val = v };

	return semctl(id, n, SETVAL, u);
}

/* Waits (without timing) until cmd on semaphore n reports want. */
static int wait_cnt(int id, int n, int cmd, int want)
{
	for (int i = 0; i < 20000; i++) {
		if (semctl(id, n, cmd) == want)
			return 1;
		usleep(1000);
	}
	return 0;
}

static void test_basic(void)
{
	key_t k = (key_t)(0x5e100000 | (getpid() & 0xffff));
	int id, st;
	struct semid_ds ds;
	union semun u;
	unsigned short all[3] = { 1, 2, 3 }, got[3] = { 0 };

	CHECK_ERR(semget(IPC_PRIVATE, 0, 0600), EINVAL, "0 semaphores: EINVAL");
	CHECK_ERR(semget(IPC_PRIVATE, -1, 0600), EINVAL, "negative count: EINVAL");
	CHECK_ERR(semget(IPC_PRIVATE, 32001, 0600), EINVAL, "more than SEMMSL: EINVAL");
	CHECK_ERR(semget(k, 3, 0600), ENOENT, "unknown key: ENOENT");
	id = semget(k, 3, IPC_CREAT | 0600);
	CHECK_OK(id, "semget 3");
	check(semget(k, 2, 0) == id, "fewer on the same key: same set", "no");
	CHECK_ERR(semget(k, 4, 0), EINVAL, "more on the same key: EINVAL");
	CHECK_ERR(semget(k, 3, IPC_CREAT | IPC_EXCL), EEXIST, "IPC_EXCL: EEXIST");
	u.buf = &ds;
	check(semctl(id, 0, IPC_STAT, u) == 0 && ds.sem_nsems == 3 && ds.sem_otime == 0,
	      "IPC_STAT: 3 semaphores, no op yet", "nsems %lu", ds.sem_nsems);
	check(semctl(id, 1, GETVAL) == 0, "start at 0", "%d", semctl(id, 1, GETVAL));
	check(sem_set(id, 1, 5) == 0 && semctl(id, 1, GETVAL) == 5, "SETVAL 5", "%d", semctl(id, 1, GETVAL));
	check(semctl(id, 1, GETPID) == getpid(), "GETPID after SETVAL", "%d", semctl(id, 1, GETPID));
	CHECK_ERR(sem_set(id, 1, 32768), ERANGE, "SETVAL past SEMVMX: ERANGE");
	CHECK_ERR(sem_set(id, 1, -1), ERANGE, "negative SETVAL: ERANGE");
	CHECK_ERR(semctl(id, 3, GETVAL), EINVAL, "semnum out of range: EINVAL");
	u.array = all;
	check(semctl(id, 0, SETALL, u) == 0, "SETALL", "errno %d", errno);
	u.array = got;
	check(semctl(id, 0, GETALL, u) == 0 && got[0] == 1 && got[1] == 2 && got[2] == 3,
	      "GETALL", "%u %u %u", got[0], got[1], got[2]);
	u.array = (unsigned short *)8;
	CHECK_ERR(semctl(id, 0, GETALL, u), EFAULT, "GETALL to a bad pointer: EFAULT");
	/* An array applies all or nothing. */
	struct sembuf two[2] = { { 0, -1, IPC_NOWAIT }, { 2, -4, IPC_NOWAIT } };
	CHECK_ERR(semop(id, two, 2), EAGAIN, "one op cannot: EAGAIN");
	check(semctl(id, 0, GETVAL) == 1, "and the other did not apply", "%d", semctl(id, 0, GETVAL));
	two[1].sem_op = -3;
	check(semop(id, two, 2) == 0, "both can: done", "errno %d", errno);
	check(semctl(id, 0, GETVAL) == 0 && semctl(id, 2, GETVAL) == 0, "both applied", "%d %d",
	      semctl(id, 0, GETVAL), semctl(id, 2, GETVAL));
	struct sembuf seq[2] = { { 1, 1, 0 }, { 1, -3, IPC_NOWAIT } };
	check(semop(id, seq, 2) == 0 && semctl(id, 1, GETVAL) == 0, "ops on one semaphore in order",
	      "errno %d val %d", errno, semctl(id, 1, GETVAL));
	struct sembuf zero = { 0, 0, IPC_NOWAIT };
	check(semop(id, &zero, 1) == 0, "wait-for-zero on 0 returns", "errno %d", errno);
	sem_set(id, 0, 1);
	CHECK_ERR(semop(id, &zero, 1), EAGAIN, "wait-for-zero on 1 with IPC_NOWAIT: EAGAIN");
	struct sembuf big = { 0, 32767, 0 };
	CHECK_ERR(semop(id, &big, 1), ERANGE, "past SEMVMX: ERANGE");
	struct sembuf far = { 3, 1, 0 };
	CHECK_ERR(semop(id, &far, 1), EFBIG, "sem_num out of range: EFBIG");
	struct sembuf many[501];
	memset(many, 0, sizeof(many));
	CHECK_ERR(semop(id, many, 501), E2BIG, "more than SEMOPM ops: E2BIG");
	CHECK_ERR(semop(id, many, 0), EINVAL, "no ops: EINVAL");
	CHECK_ERR(semop(id, (struct sembuf *)8, 1), EFAULT, "ops at a bad pointer: EFAULT");
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	struct sembuf dec = { 2, -1, 0 };
	CHECK_ERR(semtimedop(id, &dec, 1, &ts), EAGAIN, "semtimedop times out: EAGAIN");
	ts.tv_nsec = 1000000000;
	CHECK_ERR(semtimedop(id, &dec, 1, &ts), EINVAL, "bad timeout: EINVAL");
	/* A sleeper counted by GETNCNT, woken by an increment. */
	pid_t c = fork();
	if (c == 0) {
		struct sembuf d = { 2, -2, 0 };

		_exit(semop(id, &d, 1) == 0 ? 0 : 1);
	}
	check(wait_cnt(id, 2, GETNCNT, 1), "GETNCNT counts the sleeper", "%d", semctl(id, 2, GETNCNT));
	check(semctl(id, 2, GETZCNT) == 0, "GETZCNT 0", "%d", semctl(id, 2, GETZCNT));
	struct sembuf inc = { 2, 1, 0 };
	semop(id, &inc, 1);
	check(semctl(id, 2, GETNCNT) == 1 && semctl(id, 2, GETVAL) == 1, "one is not enough", "%d",
	      semctl(id, 2, GETVAL));
	semop(id, &inc, 1);
	waitpid(c, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "two wake it", "status %#x", st);
	check(semctl(id, 2, GETVAL) == 0 && semctl(id, 2, GETPID) == c, "it took them; GETPID is it",
	      "val %d pid ok %d", semctl(id, 2, GETVAL), semctl(id, 2, GETPID) == c);
	c = fork();
	if (c == 0) {
		struct sembuf z = { 0, 0, 0 };

		_exit(semop(id, &z, 1) == 0 ? 0 : 1);
	}
	check(wait_cnt(id, 0, GETZCNT, 1), "GETZCNT counts a wait-for-zero", "%d", semctl(id, 0, GETZCNT));
	sem_set(id, 0, 0);
	waitpid(c, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "SETVAL 0 wakes it", "status %#x", st);
	check(semctl(id, 0, IPC_RMID) == 0, "IPC_RMID", "errno %d", errno);
	CHECK_ERR(semctl(id, 0, GETVAL), EINVAL, "gone: EINVAL");
}

static void test_undo(void)
{
	int id = semget(IPC_PRIVATE, 2, 0600), st;
	pid_t c;

	int hold[2];
	char b = 0;

	sem_set(id, 0, 1);
	pipe(hold);
	c = fork();
	if (c == 0) {
		struct sembuf lock = { 0, -1, SEM_UNDO }, up = { 1, 3, SEM_UNDO };

		semop(id, &lock, 1);
		semop(id, &up, 1);
		read(hold[0], &b, 1);
		_exit(semctl(id, 0, GETVAL) == 0 && semctl(id, 1, GETVAL) == 3 ? 0 : 1);	/* holds it */
	}
	while (semctl(id, 1, GETVAL) != 3)
		usleep(1000);
	check(semctl(id, 0, GETVAL) == 0, "the child holds the lock", "%d", semctl(id, 0, GETVAL));
	write(hold[1], &b, 1);
	close(hold[0]);
	close(hold[1]);
	struct sembuf take = { 0, -1, 0 };
	check(semop(id, &take, 1) == 0, "the lock comes back when its holder exits", "errno %d", errno);
	waitpid(c, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the child held it", "status %#x", st);
	check(semctl(id, 1, GETVAL) == 0, "its +3 undone", "%d", semctl(id, 1, GETVAL));
	check(semctl(id, 1, GETPID) == c, "GETPID: the exiting process undid it", "other");
	/* An adjustment is clamped at 0, and SETVAL clears adjustments. */
	int go[2];

	sem_set(id, 0, 0);
	pipe(go);
	c = fork();
	if (c == 0) {
		struct sembuf up = { 0, 5, SEM_UNDO }, up1 = { 1, 2, SEM_UNDO };

		semop(id, &up, 1);
		semop(id, &up1, 1);
		sem_set(id, 1, 7);	/* clears the adjustment of semaphore 1 */
		read(go[0], &b, 1);	/* exits once the parent took 4 */
		_exit(0);
	}
	struct sembuf down = { 0, -4, 0 };
	semop(id, &down, 1);
	while (semctl(id, 1, GETVAL) != 7)
		usleep(1000);
	write(go[1], &b, 1);
	waitpid(c, &st, 0);
	close(go[0]);
	close(go[1]);
	check(semctl(id, 0, GETVAL) == 0, "undo of +5 after -4: clamped to 0", "%d", semctl(id, 0, GETVAL));
	check(semctl(id, 1, GETVAL) == 7, "SETVAL cleared the other adjustment", "%d", semctl(id, 1, GETVAL));
	semctl(id, 0, IPC_RMID);
}

static void on_usr1(int sig)
{
}

static void test_wakeups(void)
{
	int id = semget(IPC_PRIVATE, 1, 0600), st;
	pid_t c;

	c = fork();
	if (c == 0) {
		struct sembuf d = { 0, -1, 0 };

		_exit(semop(id, &d, 1) == -1 && errno == EIDRM ? 0 : 1);
	}
	check(wait_cnt(id, 0, GETNCNT, 1), "a sleeper", "none");
	semctl(id, 0, IPC_RMID);
	waitpid(c, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "IPC_RMID wakes it with EIDRM", "status %#x", st);
	id = semget(IPC_PRIVATE, 1, 0600);
	c = fork();
	if (c == 0) {
		struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = SA_RESTART };
		struct sembuf d = { 0, -1, 0 };

		sigaction(SIGUSR1, &sa, NULL);
		_exit(semop(id, &d, 1) == -1 && errno == EINTR ? 0 : 1);
	}
	check(wait_cnt(id, 0, GETNCNT, 1), "another sleeper", "none");
	kill(c, SIGUSR1);
	waitpid(c, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "a signal: EINTR even with SA_RESTART", "status %#x", st);
	check(semctl(id, 0, GETNCNT) == 0, "no sleeper left", "%d", semctl(id, 0, GETNCNT));
	/* Another user: no access without the mode's bits. */
	c = fork();
	if (c == 0) {
		struct sembuf d = { 0, 1, 0 };

		if (setuid(65534) < 0)
			_exit(9);
		_exit((semop(id, &d, 1) == -1 && errno == EACCES) +
		      2 * (semctl(id, 0, GETVAL) == -1 && errno == EACCES) +
		      4 * (semctl(id, 0, IPC_RMID) == -1 && errno == EPERM));
	}
	waitpid(c, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 7, "another user: EACCES, EPERM", "status %#x", st);
	semctl(id, 0, IPC_RMID);
}

int main(void)
{
	t_start();
	test_basic();
	test_undo();
	test_wakeups();
	return t_done();
}
