/*
 * rwlock_barrier: pthread rwlocks (readers together, a writer alone,
 * tryrdlock/trywrlock EBUSY, timed locks timing out, writer preference
 * as glibc's PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP), barriers
 * (exactly one PTHREAD_BARRIER_SERIAL_THREAD per round, reused rounds),
 * spinlocks and process-shared semaphores across fork.
 */
#include "t.h"
#include <pthread.h>
#include <semaphore.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>

#define N 6
#define ROUNDS 50

static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static pthread_barrier_t bar;
static pthread_spinlock_t spin;
static volatile int readers_in, max_readers, writer_in, bad;
static volatile int serial[ROUNDS];
static long counter;

static void *reader(void *arg)
{
	(void)arg;
	for (int i = 0; i < 200; i++) {
		pthread_rwlock_rdlock(&rw);
		int n = __atomic_add_fetch(&readers_in, 1, __ATOMIC_SEQ_CST);

		if (n > max_readers)
			max_readers = n;
		if (writer_in)
			bad = 1;
		sched_yield();
		__atomic_sub_fetch(&readers_in, 1, __ATOMIC_SEQ_CST);
		pthread_rwlock_unlock(&rw);
	}
	return NULL;
}

static void *writer(void *arg)
{
	(void)arg;
	for (int i = 0; i < 100; i++) {
		pthread_rwlock_wrlock(&rw);
		writer_in = 1;
		if (readers_in)
			bad = 1;
		writer_in = 0;
		pthread_rwlock_unlock(&rw);
		sched_yield();
	}
	return NULL;
}

static void *rounds(void *arg)
{
	(void)arg;
	for (int r = 0; r < ROUNDS; r++) {
		if (pthread_barrier_wait(&bar) == PTHREAD_BARRIER_SERIAL_THREAD)
			__atomic_add_fetch(&serial[r], 1, __ATOMIC_SEQ_CST);
		pthread_spin_lock(&spin);
		counter++;
		pthread_spin_unlock(&spin);
	}
	return NULL;
}

static void *hold_read(void *arg)
{
	(void)arg;
	pthread_rwlock_rdlock(&rw);
	pthread_barrier_wait(&bar);
	pthread_barrier_wait(&bar);
	pthread_rwlock_unlock(&rw);
	return NULL;
}

int main(void)
{
	pthread_t th[N];
	struct timespec ts;
	sem_t *sem;
	int i, ok = 1, st;
	pid_t pid;

	t_start();
	for (i = 0; i < N; i++)
		pthread_create(&th[i], NULL, i < 2 ? writer : reader, NULL);
	for (i = 0; i < N; i++)
		pthread_join(th[i], NULL);
	check(!bad, "a writer never meets a reader", "it did");
	check(max_readers >= 1 && max_readers <= N - 2, "readers share the lock", "%d", max_readers);

	pthread_barrier_init(&bar, NULL, 2);
	pthread_create(&th[0], NULL, hold_read, NULL);
	pthread_barrier_wait(&bar);
	check(pthread_rwlock_tryrdlock(&rw) == 0, "tryrdlock beside a reader", "busy");
	pthread_rwlock_unlock(&rw);
	check(pthread_rwlock_trywrlock(&rw) == EBUSY, "trywrlock beside a reader: EBUSY", "got it");
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 20 * 1000 * 1000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	check(pthread_rwlock_timedwrlock(&rw, &ts) == ETIMEDOUT, "timedwrlock times out", "no");
	pthread_barrier_wait(&bar);
	pthread_join(th[0], NULL);
	check(pthread_rwlock_trywrlock(&rw) == 0, "trywrlock once free", "busy");
	check(pthread_rwlock_tryrdlock(&rw) == EBUSY, "tryrdlock beside the writer: EBUSY", "got it");
	check(pthread_rwlock_wrlock(&rw) == EDEADLK, "wrlock twice: EDEADLK", "other");
	pthread_rwlock_unlock(&rw);
	pthread_barrier_destroy(&bar);

	pthread_barrier_init(&bar, NULL, N);
	pthread_spin_init(&spin, PTHREAD_PROCESS_PRIVATE);
	for (i = 0; i < N; i++)
		pthread_create(&th[i], NULL, rounds, NULL);
	for (i = 0; i < N; i++)
		pthread_join(th[i], NULL);
	for (i = 0; i < ROUNDS; i++)
		ok &= serial[i] == 1;
	check(ok, "one serial thread per round, 50 rounds", "not");
	check(counter == N * ROUNDS, "the spinlock kept count", "%ld", counter);
	check(pthread_spin_trylock(&spin) == 0 && pthread_spin_trylock(&spin) == EBUSY,
	      "spin_trylock: then EBUSY", "no");
	pthread_spin_unlock(&spin);

	sem = mmap(NULL, sizeof(*sem), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	sem_init(sem, 1, 0);
	pid = fork();
	if (pid == 0) {
		for (i = 0; i < 10; i++)
			sem_post(sem);
		_exit(0);
	}
	for (i = 0; i < 10; i++)
		sem_wait(sem);
	waitpid(pid, &st, 0);
	check(sem_trywait(sem) == -1 && errno == EAGAIN, "a process-shared semaphore across fork",
	      "left over");
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 20 * 1000 * 1000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	check(sem_timedwait(sem, &ts) == -1 && errno == ETIMEDOUT, "sem_timedwait times out", "no");
	return t_done();
}
