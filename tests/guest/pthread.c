/*
 * pthread.c - glibc's threads, statically linked: 16 threads on a mutex,
 * a condition variable and a barrier; rwlocks, semaphores, thread-local
 * storage, joins with return values, cancellation, recursive and
 * error-checking mutexes, timed waits, pthread_kill to one thread, a
 * process-directed signal taken by the one thread that does not block it,
 * and /proc's view of the threads.
 */
#include "t.h"
#include <dirent.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#define N 16
#define ROUNDS 2000

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static pthread_barrier_t bar;
static long counter;
static __thread long tls_value;
static int after_barrier[N];

static void *worker(void *arg)
{
	long id = (long)arg;

	tls_value = id * 100;
	for (int i = 0; i < ROUNDS; i++) {
		pthread_mutex_lock(&mu);
		counter++;
		pthread_mutex_unlock(&mu);
	}
	pthread_barrier_wait(&bar);
	/* Every thread passed the barrier only once all had counted. */
	pthread_mutex_lock(&mu);
	after_barrier[id] = counter == (long)N * ROUNDS;
	pthread_mutex_unlock(&mu);
	return (void *)(tls_value + 1);
}

static void test_mutex_barrier(void)
{
	pthread_t th[N];
	int ok_ret = 1, ok_bar = 1;

	pthread_barrier_init(&bar, NULL, N);
	for (long i = 0; i < N; i++)
		if (pthread_create(&th[i], NULL, worker, (void *)i) != 0)
			ok_ret = 0;
	for (long i = 0; i < N; i++) {
		void *r;

		pthread_join(th[i], &r);
		ok_ret &= (long)r == i * 100 + 1;
		ok_bar &= after_barrier[i];
	}
	check(ok_ret, "16 threads joined with their own TLS values", "bad return");
	check(counter == (long)N * ROUNDS, "mutex: 16 x 2000 increments", "counter %ld", counter);
	check(ok_bar, "barrier: nobody passed early", "early");
	pthread_barrier_destroy(&bar);
}

/* A bounded queue: 16 producers, 1 consumer, condvars both ways. */
static int queue[4], q_len, produced, consumed_sum;

static void *producer(void *arg)
{
	long id = (long)arg;

	for (int i = 0; i < 100; i++) {
		pthread_mutex_lock(&mu);
		while (q_len == 4)
			pthread_cond_wait(&cv, &mu);
		queue[q_len++] = (int)id;
		produced++;
		pthread_cond_broadcast(&cv);
		pthread_mutex_unlock(&mu);
	}
	return NULL;
}

static void test_condvar(void)
{
	pthread_t th[N];
	int got = 0;

	for (long i = 0; i < N; i++)
		pthread_create(&th[i], NULL, producer, (void *)i);
	pthread_mutex_lock(&mu);
	while (got < N * 100) {
		while (q_len == 0)
			pthread_cond_wait(&cv, &mu);
		consumed_sum += queue[--q_len];
		got++;
		pthread_cond_broadcast(&cv);
	}
	pthread_mutex_unlock(&mu);
	for (int i = 0; i < N; i++)
		pthread_join(th[i], NULL);
	check(produced == N * 100 && consumed_sum == 100 * (N * (N - 1) / 2),
	      "condvar: 1600 items through a queue of 4", "produced %d sum %d", produced,
	      consumed_sum);
}

static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static sem_t sem;
static int rw_data, readers_ok = 1;

static void *rw_worker(void *arg)
{
	long id = (long)arg;

	for (int i = 0; i < 200; i++) {
		if (id % 4 == 0) {
			pthread_rwlock_wrlock(&rw);
			rw_data++;
			rw_data++;
			pthread_rwlock_unlock(&rw);
		} else {
			pthread_rwlock_rdlock(&rw);
			if (rw_data % 2)
				readers_ok = 0;
			pthread_rwlock_unlock(&rw);
		}
	}
	sem_post(&sem);
	return NULL;
}

static void test_rwlock_sem(void)
{
	pthread_t th[N];

	sem_init(&sem, 0, 0);
	for (long i = 0; i < N; i++)
		pthread_create(&th[i], NULL, rw_worker, (void *)i);
	for (int i = 0; i < N; i++)
		sem_wait(&sem);
	for (int i = 0; i < N; i++)
		pthread_join(th[i], NULL);
	check(rw_data == 4 * 200 * 2 && readers_ok, "rwlock: readers never see a half write",
	      "data %d ok %d", rw_data, readers_ok);
	check(sem_trywait(&sem) == -1 && errno == EAGAIN, "semaphore: 16 posts, 16 waits",
	      "left over");
	sem_destroy(&sem);
}

static void *sleeper(void *arg)
{
	for (;;)
		pause();		/* a cancellation point */
	return arg;
}

static void test_cancel(void)
{
	pthread_t th;
	void *r = NULL;

	pthread_create(&th, NULL, sleeper, NULL);
	pthread_cancel(th);
	pthread_join(th, &r);
	check(r == PTHREAD_CANCELED, "pthread_cancel of a thread in pause()", "r %p", r);
}

static void test_mutex_kinds(void)
{
	pthread_mutexattr_t a;
	pthread_mutex_t m;
	struct timespec ts;

	pthread_mutexattr_init(&a);
	pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&m, &a);
	check(pthread_mutex_lock(&m) == 0 && pthread_mutex_lock(&m) == 0 &&
	      pthread_mutex_unlock(&m) == 0 && pthread_mutex_unlock(&m) == 0,
	      "recursive mutex locked twice", "failed");
	pthread_mutex_destroy(&m);
	pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ERRORCHECK);
	pthread_mutex_init(&m, &a);
	pthread_mutex_lock(&m);
	check(pthread_mutex_lock(&m) == EDEADLK, "error-checking mutex: EDEADLK", "no");
	pthread_mutex_unlock(&m);
	check(pthread_mutex_unlock(&m) == EPERM, "error-checking mutex: EPERM unlocked", "no");
	pthread_mutex_destroy(&m);
	pthread_mutexattr_destroy(&a);
	/* A timed wait on a condvar nobody signals: ETIMEDOUT at the deadline. */
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 20 * 1000 * 1000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&mu);
	check(pthread_cond_timedwait(&cv, &mu, &ts) == ETIMEDOUT, "cond_timedwait times out",
	      "no");
	pthread_mutex_unlock(&mu);
	pthread_mutex_lock(&mu);
	check(pthread_mutex_timedlock(&mu, &ts) == ETIMEDOUT, "mutex_timedlock times out",
	      "no");
	pthread_mutex_unlock(&mu);
}

static volatile int usr1_tid, usr2_tid;
static volatile int stop_waiter;

static void on_usr1(int sig) { usr1_tid = (int)syscall(SYS_gettid); }
static void on_usr2(int sig) { usr2_tid = (int)syscall(SYS_gettid); }

static void *unblocked_waiter(void *arg)
{
	sigset_t set;
	int *tid = arg;

	sigemptyset(&set);
	pthread_sigmask(SIG_SETMASK, &set, NULL);	/* takes signals */
	*tid = (int)syscall(SYS_gettid);
	while (!stop_waiter)
		usleep(1000);
	return NULL;
}

/*
 * The leader blocks SIGUSR2; kill() to the process must be taken by the
 * thread that does not block it.  pthread_kill reaches one thread.
 */
static void test_signals(void)
{
	struct sigaction sa = { 0 };
	sigset_t set, old;
	pthread_t th;
	static int tid;

	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_handler = on_usr2;
	sigaction(SIGUSR2, &sa, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	pthread_create(&th, NULL, unblocked_waiter, &tid);
	while (__atomic_load_n(&tid, __ATOMIC_SEQ_CST) == 0)
		usleep(1000);
	kill(getpid(), SIGUSR2);
	while (usr2_tid == 0)
		usleep(1000);
	check(usr2_tid == tid, "kill() taken by the thread that does not block it",
	      "%s", usr2_tid == getpid() ? "the leader took it" : "another tid");
	pthread_kill(th, SIGUSR1);
	while (usr1_tid == 0)
		usleep(1000);
	check(usr1_tid == tid, "pthread_kill reaches its thread", "tid differs");
	sigpending(&set);
	check(!sigismember(&set, SIGUSR1) && !sigismember(&set, SIGUSR2),
	      "nothing left pending for the leader", "pending");
	stop_waiter = 1;
	pthread_join(th, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	signal(SIGUSR1, SIG_DFL);
	signal(SIGUSR2, SIG_DFL);
}

static volatile int proc_go;

static void *idle_thread(void *arg)
{
	while (!proc_go)
		usleep(1000);
	return arg;
}

static int count_tasks(void)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)) != NULL)
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

static int status_field(const char *path, const char *key)
{
	char line[256];
	FILE *f = fopen(path, "r");
	int v = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, key, strlen(key)) == 0)
			v = atoi(line + strlen(key));
	fclose(f);
	return v;
}

static void test_proc(void)
{
	pthread_t th[3];
	char path[64];
	int tid;

	for (int i = 0; i < 3; i++)
		pthread_create(&th[i], NULL, idle_thread, NULL);
	check(count_tasks() == 4, "/proc/self/task lists 4 threads", "%d", count_tasks());
	check(status_field("/proc/self/status", "Threads:") == 4, "status Threads: 4", "%d",
	      status_field("/proc/self/status", "Threads:"));
	tid = (int)syscall(SYS_gettid);
	snprintf(path, sizeof(path), "/proc/self/task/%d/status", tid);
	check(status_field(path, "Pid:") == tid && status_field(path, "Tgid:") == getpid(),
	      "task/<tid>/status Pid and Tgid", "pid %d tgid %d", status_field(path, "Pid:"),
	      status_field(path, "Tgid:"));
	proc_go = 1;
	for (int i = 0; i < 3; i++)
		pthread_join(th[i], NULL);
	/*
	 * A join returns when the kernel clears the thread's tid, which Linux
	 * does as the thread releases its mm, before the task leaves /proc:
	 * a loaded host can still list it for a moment.
	 */
	for (int i = 0; i < 2000 && count_tasks() != 1; i++)
		usleep(1000);
	check(count_tasks() == 1, "/proc/self/task lists 1 thread after the joins", "%d",
	      count_tasks());
}

/* exit() from a thread ends the process with that status. */
static void *exiter(void *arg)
{
	exit(23);
}

static void test_exit_from_thread(void)
{
	pid_t pid = fork();
	int st = 0;

	if (pid == 0) {
		pthread_t th;

		pthread_create(&th, NULL, exiter, NULL);
		for (;;)
			pause();
	}
	waitpid(pid, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 23, "exit() in a thread ends the process",
	      "status %#x", st);
}

int main(void)
{
	t_start();
	if (getpid() == 1)	/* init inside ./linux: nothing mounted yet */
		mount("proc", "/proc", "proc", 0, NULL);
	test_mutex_barrier();
	test_condvar();
	test_rwlock_sem();
	test_cancel();
	test_mutex_kinds();
	test_signals();
	test_proc();
	test_exit_from_thread();
	return t_done();
}
