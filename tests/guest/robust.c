/*
 * robust.c - what happens to locks when their owner dies, and PI mutexes.
 * A robust mutex held by a thread that exits, and a process-shared one
 * held by a process that is killed, come back EOWNERDEAD to the next
 * locker (the kernel walks the robust list at exit), are made consistent
 * and work again; without pthread_mutex_consistent they become
 * ENOTRECOVERABLE.  Priority-inheritance mutexes (FUTEX_LOCK_PI /
 * UNLOCK_PI) serialise 8 threads and report EDEADLK and EPERM; a robust
 * PI mutex reports its owner's death too.  get/set_robust_list errors.
 */
#include "t.h"
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static pthread_mutex_t rm, pim, rpim;

static void init_mutex(pthread_mutex_t *m, int robust, int pi, int pshared)
{
	pthread_mutexattr_t a;

	pthread_mutexattr_init(&a);
	if (robust)
		pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
	if (pi)
		pthread_mutexattr_setprotocol(&a, PTHREAD_PRIO_INHERIT);
	if (pshared)
		pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
	pthread_mutex_init(m, &a);
	pthread_mutexattr_destroy(&a);
}

static void *lock_and_exit(void *arg)
{
	pthread_mutex_lock(arg);
	return NULL;		/* exits holding it */
}

static void test_robust_thread(pthread_mutex_t *m, const char *what)
{
	pthread_t th;
	char name[96];
	int r;

	pthread_create(&th, NULL, lock_and_exit, m);
	pthread_join(th, NULL);
	r = pthread_mutex_lock(m);
	snprintf(name, sizeof(name), "%s: owner thread exited: EOWNERDEAD", what);
	check(r == EOWNERDEAD, name, "got %d", r);
	snprintf(name, sizeof(name), "%s: made consistent", what);
	check(pthread_mutex_consistent(m) == 0, name, "failed");
	pthread_mutex_unlock(m);
	snprintf(name, sizeof(name), "%s: locks normally after", what);
	check(pthread_mutex_lock(m) == 0 && pthread_mutex_unlock(m) == 0, name, "failed");
}

/* Not made consistent: the next lock is ENOTRECOVERABLE. */
static void test_not_recoverable(void)
{
	pthread_mutex_t m;
	pthread_t th;

	init_mutex(&m, 1, 0, 0);
	pthread_create(&th, NULL, lock_and_exit, &m);
	pthread_join(th, NULL);
	check(pthread_mutex_lock(&m) == EOWNERDEAD, "robust again: EOWNERDEAD", "no");
	pthread_mutex_unlock(&m);
	check(pthread_mutex_lock(&m) == ENOTRECOVERABLE, "unlocked without consistent: "
	      "ENOTRECOVERABLE", "no");
}

/* A process-shared robust mutex whose owner process is killed holding it. */
static void test_robust_process(int pi)
{
	pthread_mutex_t *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	volatile int *locked = (volatile int *)(m + 1);
	pid_t pid;
	int st = 0, r;

	init_mutex(m, 1, pi, 1);
	pid = fork();
	if (pid == 0) {
		pthread_mutex_lock(m);
		*locked = 1;
		for (;;)
			pause();
	}
	while (!*locked)
		usleep(1000);
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	r = pthread_mutex_lock(m);
	check(WIFSIGNALED(st) && r == EOWNERDEAD,
	      pi ? "shared robust PI mutex: owner killed: EOWNERDEAD" :
	      "shared robust mutex: owner killed: EOWNERDEAD", "status %#x r %d", st, r);
	pthread_mutex_consistent(m);
	pthread_mutex_unlock(m);
	munmap(m, 4096);
}

/* A robust mutex some thread waits on while its owner dies: the waiter gets it. */
static volatile int holder_locked, waiter_result = -1;

static void *holder(void *arg)
{
	pthread_mutex_lock(arg);
	holder_locked = 1;
	usleep(20000);		/* the waiter is probably asleep by now; either way works */
	return NULL;
}

static void *contender(void *arg)
{
	waiter_result = pthread_mutex_lock(arg);
	if (waiter_result == EOWNERDEAD)
		pthread_mutex_consistent(arg);
	pthread_mutex_unlock(arg);
	return NULL;
}

static void test_robust_waiter(void)
{
	pthread_mutex_t m;
	pthread_t a, b;

	init_mutex(&m, 1, 0, 0);
	pthread_create(&a, NULL, holder, &m);
	while (!holder_locked)
		usleep(1000);
	pthread_create(&b, NULL, contender, &m);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	check(waiter_result == EOWNERDEAD, "a waiter on a robust mutex gets EOWNERDEAD",
	      "got %d", waiter_result);
}

static long pi_counter;

static void *pi_worker(void *arg)
{
	for (int i = 0; i < 500; i++) {
		pthread_mutex_lock(&pim);
		pi_counter++;
		if (i % 50 == 0)
			sched_yield();	/* hold it while others try: they sleep in LOCK_PI */
		pthread_mutex_unlock(&pim);
	}
	return arg;
}

static void *try_other(void *m)
{
	return (void *)(long)pthread_mutex_trylock(m);
}

static void test_pi(void)
{
	pthread_mutexattr_t a;
	pthread_mutex_t em;
	pthread_t th[8];

	for (int i = 0; i < 8; i++)
		pthread_create(&th[i], NULL, pi_worker, NULL);
	for (int i = 0; i < 8; i++)
		pthread_join(th[i], NULL);
	check(pi_counter == 8 * 500, "PI mutex: 8 x 500 increments", "counter %ld", pi_counter);
	pthread_mutexattr_init(&a);
	pthread_mutexattr_setprotocol(&a, PTHREAD_PRIO_INHERIT);
	pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ERRORCHECK);
	pthread_mutex_init(&em, &a);
	pthread_mutex_lock(&em);
	check(pthread_mutex_lock(&em) == EDEADLK, "error-checking PI mutex: EDEADLK", "no");
	{
		pthread_t th;
		void *r;

		pthread_create(&th, NULL, try_other, &em);
		pthread_join(th, &r);
		check((long)r == EBUSY, "PI trylock of a mutex another thread holds: EBUSY",
		      "got %ld", (long)r);
	}
	pthread_mutex_unlock(&em);
	check(pthread_mutex_unlock(&em) == EPERM, "PI unlock when not owner: EPERM", "no");
	pthread_mutex_destroy(&em);
}

/* The raw PI calls' errors. */
static void test_pi_raw(void)
{
	static uint32_t w;
	pid_t tid = (pid_t)syscall(SYS_gettid);

	w = 0;
	CHECK_OK(syscall(SYS_futex, &w, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0), "LOCK_PI free");
	check(w == (uint32_t)tid, "LOCK_PI stores the tid", "w %#x", w);
	CHECK_ERR(syscall(SYS_futex, &w, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0), EDEADLK,
		  "LOCK_PI by its owner");
	CHECK_ERR(syscall(SYS_futex, &w, FUTEX_TRYLOCK_PI_PRIVATE, 0, NULL, NULL, 0), EDEADLK,
		  "TRYLOCK_PI by its owner");
	CHECK_OK(syscall(SYS_futex, &w, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0), "UNLOCK_PI");
	check(w == 0, "UNLOCK_PI with no waiters clears it", "w %#x", w);
	CHECK_ERR(syscall(SYS_futex, &w, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0), EPERM,
		  "UNLOCK_PI of a free lock");
	w = 0x3ffffff0;		/* a tid nobody has */
	CHECK_ERR(syscall(SYS_futex, &w, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0), ESRCH,
		  "LOCK_PI held by a task that does not exist");
	w = FUTEX_OWNER_DIED;
	CHECK_OK(syscall(SYS_futex, &w, FUTEX_TRYLOCK_PI_PRIVATE, 0, NULL, NULL, 0),
		 "TRYLOCK_PI of a lock whose owner died");
	check(w == (FUTEX_OWNER_DIED | (uint32_t)tid), "keeps FUTEX_OWNER_DIED", "w %#x", w);
	CHECK_ERR(syscall(SYS_futex, (char *)&w + 1, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0),
		  EINVAL, "LOCK_PI misaligned");
}

static void test_robust_list_calls(void)
{
	void *head;
	size_t len;

	CHECK_OK(syscall(SYS_get_robust_list, 0, &head, &len), "get_robust_list of self");
	check(len == 24 && head != NULL, "glibc registered a 24-byte head", "len %zu", len);
	CHECK_ERR(syscall(SYS_set_robust_list, head, 23), EINVAL, "set_robust_list bad size");
	CHECK_ERR(syscall(SYS_get_robust_list, 0, NULL, &len), EFAULT,
		  "get_robust_list bad pointer");
	CHECK_ERR(syscall(SYS_get_robust_list, 4000000, &head, &len), ESRCH,
		  "get_robust_list of no such task");
}

int main(void)
{
	t_start();
	init_mutex(&rm, 1, 0, 0);
	init_mutex(&pim, 0, 1, 0);
	init_mutex(&rpim, 1, 1, 0);
	test_robust_thread(&rm, "robust mutex");
	test_robust_thread(&rpim, "robust PI mutex");
	test_not_recoverable();
	test_robust_process(0);
	test_robust_process(1);
	test_robust_waiter();
	test_pi();
	test_pi_raw();
	test_robust_list_calls();
	return t_done();
}
