/*
 * futex_requeue: FUTEX_REQUEUE and FUTEX_CMP_REQUEUE move waiters from
 * one word to another (woken there later), FUTEX_WAKE_OP changes a second
 * word and wakes on a comparison, WAIT_BITSET/WAKE_BITSET wake only the
 * waiters whose bits meet, and timeouts on both clocks (relative WAIT,
 * absolute WAIT_BITSET with and without FUTEX_CLOCK_REALTIME).
 */
#include "t.h"
#include <linux/futex.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <time.h>

static uint32_t f1, f2;
static volatile int woke[8];
static volatile int started;

static long futex(uint32_t *u, int op, uint32_t val, void *ts_or_n, uint32_t *u2, uint32_t v3)
{
	return syscall(SYS_futex, u, op, val, ts_or_n, u2, v3);
}

struct waiter { int id; uint32_t *word; uint32_t bits; volatile int tid; };

static void *wait_thread(void *arg)
{
	struct waiter *w = arg;

	w->tid = (int)syscall(SYS_gettid);
	__atomic_add_fetch(&started, 1, __ATOMIC_SEQ_CST);
	while (futex(w->word, FUTEX_WAIT_BITSET_PRIVATE, 0, NULL, NULL, w->bits) != 0 &&
	       errno == EINTR)
		;
	woke[w->id] = 1;
	return NULL;
}

static int count_woken(int n)
{
	int c = 0;

	for (int i = 0; i < n; i++)
		c += woke[i];
	return c;
}

static void settle(void)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };

	nanosleep(&ts, NULL);
}

/* The state letter of thread tid (/proc/self/task/TID/stat), or 0. */
static char task_state(int tid)
{
	char path[64], buf[512], *p;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : 0;
}

/*
 * Waits until the n waiters not yet woken sleep in the kernel (state S),
 * up to 5 s: on a loaded host a thread that said it started may not have
 * reached its FUTEX_WAIT yet.
 */
static void settle_waiters(struct waiter *w, int n)
{
	for (int tries = 0; tries < 5000; tries++) {
		int asleep = 0;

		for (int i = 0; i < n; i++)
			asleep += woke[w[i].id] || task_state(w[i].tid) == 'S';
		if (asleep == n)
			break;
		usleep(1000);
	}
	settle();
}

static void start(pthread_t *th, struct waiter *w, int n, uint32_t *word, uint32_t bits)
{
	started = 0;
	memset((void *)woke, 0, sizeof(woke));
	for (int i = 0; i < n; i++) {
		w[i] = (struct waiter){ i, word, bits ? bits : 0xffffffffu };
		pthread_create(&th[i], NULL, wait_thread, &w[i]);
	}
	while (started < n)
		sched_yield();
	settle_waiters(w, n);
}

/* Waits (up to 5 s) until want of the first n waiters say they woke, then a
 * moment more, for one woken that should not have been. */
static void await_woken(int n, int want)
{
	for (int tries = 0; tries < 5000 && count_woken(n) < want; tries++)
		usleep(1000);
	settle();
}

static long wake_all(uint32_t *word, int n)
{
	long total = 0, r;

	for (int tries = 0; tries < 100 && total < n; tries++) {
		r = futex(word, FUTEX_WAKE_PRIVATE, INT32_MAX, NULL, NULL, 0);
		if (r > 0)
			total += r;
		else
			settle();
	}
	return total;
}

int main(void)
{
	struct waiter w[8];
	pthread_t th[8];
	struct timespec ts, now;
	long r;
	int i;

	t_start();
	/* REQUEUE: wake 1, move 2, leave 1. */
	start(th, w, 4, &f1, 0);
	r = futex(&f1, FUTEX_REQUEUE_PRIVATE, 1, (void *)2, &f2, 0);
	check(r == 3, "REQUEUE returns woken + requeued", "%ld", r);
	await_woken(4, 1);
	check(count_woken(4) == 1, "one woken by REQUEUE", "%d", count_woken(4));
	r = futex(&f2, FUTEX_WAKE_PRIVATE, INT32_MAX, NULL, NULL, 0);
	check(r == 2, "two wait on the second word now", "%ld", r);
	r = futex(&f1, FUTEX_WAKE_PRIVATE, INT32_MAX, NULL, NULL, 0);
	check(r == 1, "one left on the first", "%ld", r);
	for (i = 0; i < 4; i++)
		pthread_join(th[i], NULL);

	/* CMP_REQUEUE: EAGAIN when the word changed, else as REQUEUE. */
	start(th, w, 3, &f1, 0);
	CHECK_ERR(futex(&f1, FUTEX_CMP_REQUEUE_PRIVATE, 0, (void *)1, &f2, 5), EAGAIN,
		  "CMP_REQUEUE with the wrong value");
	r = futex(&f1, FUTEX_CMP_REQUEUE_PRIVATE, 0, (void *)INT32_MAX, &f2, 0);
	check(r == 3, "CMP_REQUEUE 0 woken, all moved", "%ld", r);
	check(wake_all(&f2, 3) == 3, "all three woken from the second word", "no");
	for (i = 0; i < 3; i++)
		pthread_join(th[i], NULL);
	r = futex(&f1, FUTEX_CMP_REQUEUE_PRIVATE, 0, (void *)1, &f1, 0);
	check(r == 0, "CMP_REQUEUE onto the same word, nobody waiting: 0", "%ld errno %d", r, errno);
	CHECK_ERR(futex(&f1, FUTEX_CMP_REQUEUE_PRIVATE, 0, (void *)-1, &f2, 0), EINVAL,
		  "CMP_REQUEUE with a negative count");

	/* WAKE_OP: *f2 = op(*f2, arg); wake f1; wake f2 if old f2 cmp cmparg. */
	f2 = 5;
	start(th, w, 2, &f1, 0);
	r = futex(&f1, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1, &f2,
		  FUTEX_OP(FUTEX_OP_ADD, 3, FUTEX_OP_CMP_GT, 4));
	check(r == 1 && f2 == 8, "WAKE_OP ADD 3: one woken, the word 8", "r %ld f2 %u", r, f2);
	wake_all(&f1, 1);
	for (i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	f2 = 0;
	start(th, w, 2, &f2, 0);
	r = futex(&f1, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1, &f2,
		  FUTEX_OP(FUTEX_OP_SET, 0, FUTEX_OP_CMP_EQ, 0));
	check(r == 1, "WAKE_OP: old value 0 == 0 wakes one on the second word", "%ld", r);
	f2 = 0;
	wake_all(&f2, 1);
	for (i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	f2 = 1;
	r = futex(&f1, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1, &f2,
		  FUTEX_OP((FUTEX_OP_OR | FUTEX_OP_OPARG_SHIFT), 3, FUTEX_OP_CMP_NE, 0));
	check(r == 0 && f2 == 9, "WAKE_OP OR 1<<3", "r %ld f2 %u", r, f2);
	CHECK_ERR(futex(&f1, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1, &f2, (7u << 28)), ENOSYS,
		  "WAKE_OP with an unknown op");

	/* BITSET: only the waiters whose bits meet. */
	f1 = 0;
	start(th, w, 2, &f1, 1);
	for (i = 2; i < 4; i++) {
		w[i] = (struct waiter){ i, &f1, 2 };
		pthread_create(&th[i], NULL, wait_thread, &w[i]);
	}
	while (started < 4)
		sched_yield();
	settle_waiters(w, 4);
	r = futex(&f1, FUTEX_WAKE_BITSET_PRIVATE, INT32_MAX, NULL, NULL, 2);
	check(r == 2, "WAKE_BITSET 2 wakes the two with bit 2", "%ld", r);
	await_woken(4, 2);
	check(!woke[0] && !woke[1] && woke[2] && woke[3], "the right two", "%d%d%d%d", woke[0],
	      woke[1], woke[2], woke[3]);
	r = futex(&f1, FUTEX_WAKE_BITSET_PRIVATE, INT32_MAX, NULL, NULL, 1);
	check(r == 2, "WAKE_BITSET 1 the others", "%ld", r);
	for (i = 0; i < 4; i++)
		pthread_join(th[i], NULL);

	/* Timeouts. */
	ts = (struct timespec){ 0, 30 * 1000 * 1000 };
	CHECK_ERR(futex(&f1, FUTEX_WAIT_PRIVATE, 0, &ts, NULL, 0), ETIMEDOUT, "WAIT 30 ms times out");
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_nsec += 30 * 1000 * 1000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	CHECK_ERR(futex(&f1, FUTEX_WAIT_BITSET_PRIVATE, 0, &ts, NULL, ~0u), ETIMEDOUT,
		  "WAIT_BITSET absolute MONOTONIC");
	clock_gettime(CLOCK_MONOTONIC, &now);
	check(now.tv_sec > ts.tv_sec || (now.tv_sec == ts.tv_sec && now.tv_nsec >= ts.tv_nsec),
	      "not before the deadline", "early");
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 30 * 1000 * 1000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	CHECK_ERR(futex(&f1, FUTEX_WAIT_BITSET_PRIVATE | FUTEX_CLOCK_REALTIME, 0, &ts, NULL, ~0u),
		  ETIMEDOUT, "WAIT_BITSET absolute REALTIME");
	clock_gettime(CLOCK_REALTIME, &now);
	check(now.tv_sec > ts.tv_sec || (now.tv_sec == ts.tv_sec && now.tv_nsec >= ts.tv_nsec),
	      "not before the realtime deadline", "early");
	ts = (struct timespec){ 0, 0 };
	CHECK_ERR(futex(&f1, FUTEX_WAIT_BITSET_PRIVATE, 0, &ts, NULL, ~0u), ETIMEDOUT,
		  "absolute deadline in the past");
	return t_done();
}
