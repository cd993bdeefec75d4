/*
 * futex.c - futex(2): every operation glibc uses and its error paths.
 * WAIT's EAGAIN/ETIMEDOUT/EINTR/EINVAL/EFAULT, WAKE counts, WAIT_BITSET
 * with absolute timeouts on both clocks, bitset matching, REQUEUE and
 * CMP_REQUEUE, WAKE_OP's arithmetic and comparisons, shared futexes
 * between processes (the same page at two addresses), private ones not
 * crossing processes.  Waiters are counted, never timed: a waker loops
 * until every waiter it expects has been woken or moved.
 */
#include "t.h"
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

static long futex(volatile uint32_t *uaddr, int op, uint32_t val, const void *ts_or_val2,
		  volatile uint32_t *uaddr2, uint32_t val3)
{
	return syscall(SYS_futex, uaddr, op, val, ts_or_val2, uaddr2, val3);
}

static struct timespec ms(long n)
{
	struct timespec ts = { n / 1000, (n % 1000) * 1000000 };

	return ts;
}

static void test_errors(void)
{
	static uint32_t w = 5;
	struct timespec ts = ms(10), bad = { 0, 1000000000 }, neg = { -1, 0 };
	char *p = (char *)&w;

	CHECK_ERR(futex(&w, FUTEX_WAIT_PRIVATE, 4, NULL, NULL, 0), EAGAIN, "WAIT on a changed value");
	CHECK_ERR(futex(&w, FUTEX_WAIT_PRIVATE, 5, &ts, NULL, 0), ETIMEDOUT, "WAIT times out");
	CHECK_ERR(futex(&w, FUTEX_WAIT, 5, &ts, NULL, 0), ETIMEDOUT, "shared WAIT times out");
	CHECK_ERR(futex((uint32_t *)(p + 1), FUTEX_WAIT_PRIVATE, 5, &ts, NULL, 0), EINVAL,
		  "WAIT misaligned");
	CHECK_ERR(futex((uint32_t *)(p + 2), FUTEX_WAKE, 1, NULL, NULL, 0), EINVAL,
		  "WAKE misaligned");
	CHECK_ERR(futex(NULL, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0), EFAULT, "WAIT on NULL");
	CHECK_ERR(futex((uint32_t *)0x10, FUTEX_WAIT, 0, NULL, NULL, 0), EFAULT,
		  "shared WAIT on an unmapped page");
	CHECK_ERR(futex(&w, FUTEX_WAIT_PRIVATE, 5, &bad, NULL, 0), EINVAL, "WAIT tv_nsec 1e9");
	CHECK_ERR(futex(&w, FUTEX_WAIT_PRIVATE, 5, &neg, NULL, 0), EINVAL, "WAIT negative tv_sec");
	CHECK_ERR(futex(&w, FUTEX_WAIT_PRIVATE, 5, (void *)8, NULL, 0), EFAULT,
		  "WAIT bad timespec pointer");
	CHECK_ERR(futex(&w, FUTEX_WAIT_BITSET_PRIVATE, 5, NULL, NULL, 0), EINVAL,
		  "WAIT_BITSET with bitset 0");
	CHECK_ERR(futex(&w, FUTEX_WAKE_BITSET_PRIVATE, 1, NULL, NULL, 0), EINVAL,
		  "WAKE_BITSET with bitset 0");
	CHECK_ERR(futex(&w, 99, 0, NULL, NULL, 0), ENOSYS, "unknown op");
	CHECK_ERR(futex(&w, FUTEX_FD, 0, NULL, NULL, 0), ENOSYS, "FUTEX_FD is gone");
	CHECK_ERR(futex(&w, FUTEX_WAKE | FUTEX_CLOCK_REALTIME, 1, NULL, NULL, 0), ENOSYS,
		  "CLOCK_REALTIME with WAKE");
	CHECK_ERR(futex(&w, FUTEX_WAIT | FUTEX_CLOCK_REALTIME, 4, NULL, NULL, 0), ENOSYS,
		  "CLOCK_REALTIME with WAIT");
	CHECK_ERR(futex(&w, FUTEX_WAIT_PRIVATE | FUTEX_CLOCK_REALTIME, 5, &bad, NULL, 0), EINVAL,
		  "the timeout is checked before the clock flag");
	CHECK_ERR(futex(&w, FUTEX_REQUEUE_PRIVATE, 1, (void *)-1L, &w, 0), EINVAL,
		  "REQUEUE with a negative count");
	CHECK_ERR(futex(&w, FUTEX_CMP_REQUEUE_PRIVATE, 1, (void *)1L, &w, 4), EAGAIN,
		  "CMP_REQUEUE on a changed value");
	check(futex(&w, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0) == 0, "WAKE with no waiters is 0",
	      "errno %d", errno);
	check(futex(&w, FUTEX_WAKE, INT_MAX, NULL, NULL, 0) == 0, "shared WAKE with no waiters",
	      "errno %d", errno);
}

static void test_abs_timeouts(void)
{
	static uint32_t w;
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	now.tv_nsec += 10 * 1000000;
	if (now.tv_nsec >= 1000000000) {
		now.tv_sec++;
		now.tv_nsec -= 1000000000;
	}
	CHECK_ERR(futex(&w, FUTEX_WAIT_BITSET_PRIVATE, 0, &now, NULL, FUTEX_BITSET_MATCH_ANY),
		  ETIMEDOUT, "WAIT_BITSET absolute CLOCK_MONOTONIC");
	clock_gettime(CLOCK_REALTIME, &now);
	now.tv_sec -= 1;
	CHECK_ERR(futex(&w, FUTEX_WAIT_BITSET_PRIVATE | FUTEX_CLOCK_REALTIME, 0, &now, NULL,
			FUTEX_BITSET_MATCH_ANY), ETIMEDOUT,
		  "WAIT_BITSET absolute CLOCK_REALTIME in the past");
	now = ms(0);
	CHECK_ERR(futex(&w, FUTEX_WAIT_BITSET_PRIVATE, 0, &now, NULL, FUTEX_BITSET_MATCH_ANY),
		  ETIMEDOUT, "WAIT_BITSET at time 0");
}

/* Threads that wait on a word, counting themselves in first. */
struct waitset {
	volatile uint32_t word, word2;
	volatile int entered, done;
	uint32_t bitset;
	long results[8];
};

struct waiter_arg {
	struct waitset *ws;
	int idx;
	int op;
	uint32_t bitset;
};

static void *waiter(void *arg)
{
	struct waiter_arg *a = arg;
	struct waitset *ws = a->ws;
	long r;

	__atomic_add_fetch(&ws->entered, 1, __ATOMIC_SEQ_CST);
	do {
		r = futex(&ws->word, a->op, 0, NULL, NULL, a->bitset);
	} while (r == -1 && errno == EINTR);
	ws->results[a->idx] = r;
	__atomic_add_fetch(&ws->done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

static void start_waiters(struct waitset *ws, pthread_t *th, struct waiter_arg *args, int n,
			  int op, const uint32_t *bitsets)
{
	memset(ws, 0, sizeof(*ws));
	for (int i = 0; i < n; i++) {
		args[i] = (struct waiter_arg){ ws, i, op, bitsets ? bitsets[i] : ~0u };
		pthread_create(&th[i], NULL, waiter, &args[i]);
	}
	while (ws->entered < n)
		sched_yield();
}

/* Wakes on word until `want` waiters woke in all; returns how many calls saw > 0. */
static int wake_all(volatile uint32_t *word, int op, int nr, int want, uint32_t bitset)
{
	int woken = 0;

	while (woken < want) {
		long r = futex(word, op, (uint32_t)nr, NULL, NULL, bitset);

		if (r < 0)
			return -1;
		woken += (int)r;
		if (r == 0)
			sched_yield();
	}
	return woken;
}

static void test_wake_counts(void)
{
	struct waitset ws;
	pthread_t th[8];
	struct waiter_arg args[8];
	int ok = 1;

	start_waiters(&ws, th, args, 4, FUTEX_WAIT_PRIVATE, NULL);
	check(wake_all(&ws.word, FUTEX_WAKE_PRIVATE, 1, 4, 0) == 4, "WAKE 1 four times",
	      "wrong count");
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		ok &= ws.results[i] == 0;
	}
	check(ok, "each WAIT returned 0", "a waiter failed");
}

/* WAKE_BITSET only wakes waiters whose bitset intersects. */
static void test_bitsets(void)
{
	static const uint32_t bits[4] = { 1, 2, 1, 4 };
	struct waitset ws;
	pthread_t th[4];
	struct waiter_arg args[4];

	start_waiters(&ws, th, args, 4, FUTEX_WAIT_BITSET_PRIVATE, bits);
	check(wake_all(&ws.word, FUTEX_WAKE_BITSET_PRIVATE, INT_MAX, 2, 1) == 2,
	      "WAKE_BITSET 1 wakes the two waiters on bit 1", "wrong");
	while (ws.done < 2)
		sched_yield();
	check(ws.done == 2 && ws.results[0] == 0 && ws.results[2] == 0,
	      "only they returned", "done %d", ws.done);
	check(wake_all(&ws.word, FUTEX_WAKE_BITSET_PRIVATE, INT_MAX, 2, 6) == 2,
	      "WAKE_BITSET 6 wakes the rest", "wrong");
	for (int i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
}

/* CMP_REQUEUE moves waiters to word2; a WAKE on word2 then finds them. */
static void test_requeue(void)
{
	struct waitset ws;
	pthread_t th[6];
	struct waiter_arg args[6];
	int moved = 0, woken;

	start_waiters(&ws, th, args, 6, FUTEX_WAIT_PRIVATE, NULL);
	while (moved < 6) {
		long r = futex(&ws.word, FUTEX_CMP_REQUEUE_PRIVATE, 0, (void *)(long)INT_MAX,
			       &ws.word2, 0);

		if (r < 0)
			break;
		moved += (int)r;
		if (r == 0)
			sched_yield();
	}
	check(moved == 6, "CMP_REQUEUE moved 6 waiters", "moved %d", moved);
	check(futex(&ws.word, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0) == 0,
	      "none left on the first word", "some left");
	check(ws.done == 0, "requeued waiters still sleep", "done %d", ws.done);
	woken = wake_all(&ws.word2, FUTEX_WAKE_PRIVATE, 2, 2, 0);
	woken += (int)futex(&ws.word2, FUTEX_REQUEUE_PRIVATE, 1, (void *)3L, &ws.word, 0);
	check(woken == 2 + 4, "REQUEUE: 1 woken + 3 moved, after 2 woken", "got %d", woken);
	woken = wake_all(&ws.word, FUTEX_WAKE_PRIVATE, INT_MAX, 3, 0);
	check(woken == 3, "the rest woken where they were moved", "got %d", woken);
	for (int i = 0; i < 6; i++)
		pthread_join(th[i], NULL);
}

/* WAKE_OP's arithmetic and comparisons, with no waiters. */
static void test_wake_op(void)
{
	static uint32_t a, b;
	struct { int op, oparg, cmp, cmparg; uint32_t before, after; long ret; } c[] = {
		{ FUTEX_OP_SET, 7, FUTEX_OP_CMP_EQ, 0, 0, 7, 0 },
		{ FUTEX_OP_ADD, 5, FUTEX_OP_CMP_GT, 1, 7, 12, 0 },
		{ FUTEX_OP_OR, 0x30, FUTEX_OP_CMP_LT, 0, 12, 0x3c, 0 },
		{ FUTEX_OP_ANDN, 0xc, FUTEX_OP_CMP_NE, 0x3c, 0x3c, 0x30, 0 },
		{ FUTEX_OP_XOR, 0xff, FUTEX_OP_CMP_GE, 0x30, 0x30, 0xcf, 0 },
		{ FUTEX_OP_ADD, -1, FUTEX_OP_CMP_LE, -2, 0xcf, 0xce, 0 },
		{ FUTEX_OP_OPARG_SHIFT | FUTEX_OP_SET, 4, FUTEX_OP_CMP_EQ, 0, 0xce, 16, 0 },
	};
	int ok = 1;

	for (unsigned i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		long r;

		b = c[i].before;
		r = futex(&a, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1L, &b,
			  FUTEX_OP(c[i].op, c[i].oparg, c[i].cmp, c[i].cmparg));
		if (r != c[i].ret || b != c[i].after) {
			printf("# case %u: r %ld errno %d b %#x\n", i, r, errno, b);
			ok = 0;
		}
	}
	check(ok, "WAKE_OP SET/ADD/OR/ANDN/XOR/shift", "a case failed");
	b = 1;
	CHECK_ERR(futex(&a, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1L, &b,
			FUTEX_OP(6, 1, FUTEX_OP_CMP_EQ, 0)), ENOSYS, "WAKE_OP unknown op");
	check(b == 1, "an unknown op writes nothing", "b %u", b);
	CHECK_ERR(futex(&a, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1L, &b,
			FUTEX_OP(FUTEX_OP_SET, 9, 7, 0)), ENOSYS, "WAKE_OP unknown comparison");
	check(b == 9, "... after doing the operation, as Linux", "b %u", b);
	CHECK_ERR(futex(&a, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1L, (uint32_t *)8,
			FUTEX_OP(FUTEX_OP_SET, 1, 0, 0)), EFAULT, "WAKE_OP on a bad uaddr2");
}

/* WAKE_OP wakes the second word's waiters only when the comparison holds. */
static void test_wake_op_waiters(void)
{
	struct waitset ws;
	pthread_t th[2];
	struct waiter_arg args[2];
	static uint32_t other;
	int woken = 0;

	start_waiters(&ws, th, args, 2, FUTEX_WAIT_PRIVATE, NULL);
	/* Waiters sleep on ws.word; wake via uaddr2 = ws.word with the comparison true. */
	while (woken < 2) {
		long r = futex(&other, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1L, &ws.word,
			       FUTEX_OP(FUTEX_OP_ADD, 0, FUTEX_OP_CMP_EQ, 0));

		if (r < 0)
			break;
		woken += (int)r;
		if (r == 0)
			sched_yield();
	}
	check(woken == 2, "WAKE_OP woke uaddr2's waiters when the comparison held", "woken %d",
	      woken);
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	start_waiters(&ws, th, args, 1, FUTEX_WAIT_PRIVATE, NULL);
	check(futex(&other, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1L, &ws.word,
		    FUTEX_OP(FUTEX_OP_ADD, 0, FUTEX_OP_CMP_NE, 0)) == 0 && ws.done == 0,
	      "and not when it failed", "woke");
	wake_all(&ws.word, FUTEX_WAKE_PRIVATE, 1, 1, 0);
	pthread_join(th[0], NULL);
}

static volatile int got_sig;
static void on_usr1(int sig) { got_sig = 1; }

struct intr_arg {
	uint32_t word;
	volatile int tid, result, err;
	int with_timeout;
};

static void *intr_waiter(void *arg)
{
	struct intr_arg *a = arg;
	struct timespec ts = ms(30000);
	long r;

	a->tid = (int)syscall(SYS_gettid);
	r = futex(&a->word, FUTEX_WAIT_PRIVATE, 0, a->with_timeout ? &ts : NULL, NULL, 0);
	a->err = errno;
	a->result = (int)r;
	return NULL;
}

/* A handler without SA_RESTART ends a WAIT with EINTR, with or without a timeout. */
static void test_eintr(int with_timeout)
{
	struct sigaction sa = { 0 };
	static struct intr_arg a;
	pthread_t th;

	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	memset(&a, 0, sizeof(a));
	a.result = 1;
	a.with_timeout = with_timeout;
	pthread_create(&th, NULL, intr_waiter, &a);
	while (a.tid == 0)
		sched_yield();
	while (a.result == 1) {		/* until it is asleep and the signal ends it */
		syscall(SYS_tgkill, getpid(), a.tid, SIGUSR1);
		usleep(2000);
	}
	pthread_join(th, NULL);
	check(a.result == -1 && a.err == EINTR,
	      with_timeout ? "timed WAIT interrupted: EINTR" : "WAIT interrupted: EINTR",
	      "result %d errno %d", a.result, a.err);
	signal(SIGUSR1, SIG_DFL);
}

/* Two mappings of one page: shared futexes meet, private ones do not; across fork too. */
static void test_shared(void)
{
	char path[256];
	volatile uint32_t *x, *y;
	pid_t pid;
	int fd, st = 0, woken = 0;

	t_path(path, sizeof(path), "futex.page");
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || ftruncate(fd, 4096) < 0) {
		check(0, "a file for shared futexes", "errno %d", errno);
		return;
	}
	unlink(path);
	x = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	y = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	x[1] = 0;
	pid = fork();
	if (pid == 0) {
		x[2] = 1;		/* entered */
		long r = futex(&x[1], FUTEX_WAIT, 0, NULL, NULL, 0);

		_exit(r == 0 ? 0 : 1);
	}
	while (y[2] == 0)
		sched_yield();
	/* A private wake on the other mapping must not reach it. */
	check(futex(&y[1], FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0) == 0,
	      "private WAKE does not cross processes", "it did");
	while (woken == 0) {
		long r = futex(&y[1], FUTEX_WAKE, 1, NULL, NULL, 0);

		if (r < 0)
			break;
		woken += (int)r;
		if (r == 0)
			usleep(1000);
	}
	waitpid(pid, &st, 0);
	check(woken == 1 && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "shared WAKE through another mapping of the page wakes the child",
	      "woken %d status %#x", woken, st);
	munmap((void *)x, 4096);
	munmap((void *)y, 4096);
	close(fd);
}

int main(void)
{
	t_start();
	test_errors();
	test_abs_timeouts();
	test_wake_counts();
	test_bitsets();
	test_requeue();
	test_wake_op();
	test_wake_op_waiters();
	test_eintr(0);
	test_eintr(1);
	test_shared();
	return t_done();
}
