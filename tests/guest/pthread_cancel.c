/*
 * pthread_cancel: deferred cancellation at the cancellation points
 * (read on an empty pipe, nanosleep, pthread_cond_wait), cleanup handlers run in order and
 * the condvar's mutex retaken, PTHREAD_CANCEL_DISABLE holding it off
 * until enabled again, asynchronous cancellation of a spinning thread,
 * and PTHREAD_CANCELED from join.
 */
#include "t.h"
#include <pthread.h>
#include <time.h>

static int pfd[2];
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static volatile int stage, cleanups[4], ncleanup, mutex_held_in_cleanup;
static volatile int passed_disabled;

static void cleanup(void *arg)
{
	cleanups[ncleanup++] = (int)(long)arg;
}

static void unlock_cleanup(void *arg)
{
	(void)arg;
	mutex_held_in_cleanup = pthread_mutex_trylock(&mu) == EBUSY;	/* we hold it */
	pthread_mutex_unlock(&mu);
}

static void *in_read(void *arg)
{
	char c;

	(void)arg;
	pthread_cleanup_push(cleanup, (void *)1);
	pthread_cleanup_push(cleanup, (void *)2);
	stage = 1;
	read(pfd[0], &c, 1);
	pthread_cleanup_pop(0);
	pthread_cleanup_pop(0);
	return (void *)7;
}

static void *in_sleep(void *arg)
{
	struct timespec ts = { 100, 0 };

	(void)arg;
	stage = 1;
	nanosleep(&ts, NULL);
	return (void *)7;
}

static void *in_cond(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&mu);
	pthread_cleanup_push(unlock_cleanup, NULL);
	stage = 1;
	for (;;)
		pthread_cond_wait(&cv, &mu);
	pthread_cleanup_pop(0);
	return NULL;
}

static void *disabled(void *arg)
{
	struct timespec ts = { 0, 50 * 1000 * 1000 };

	(void)arg;
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);
	stage = 1;
	while (stage != 2)
		sched_yield();
	nanosleep(&ts, NULL);		/* a cancellation point, but disabled */
	passed_disabled = 1;
	pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, NULL);
	pthread_testcancel();
	passed_disabled = 2;
	return NULL;
}

static void *spin_async(void *arg)
{
	(void)arg;
	pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, NULL);
	stage = 1;
	for (;;)
		;
	return NULL;
}

static void *run(void *(*fn)(void *))
{
	pthread_t th;
	void *ret = NULL;
	struct timespec ts = { 0, 20 * 1000 * 1000 };

	stage = 0;
	pthread_create(&th, NULL, fn, NULL);
	while (!stage)
		sched_yield();
	nanosleep(&ts, NULL);
	pthread_cancel(th);
	if (fn == disabled)
		stage = 2;
	pthread_join(th, &ret);
	return ret;
}

int main(void)
{
	t_start();
	pipe(pfd);
	check(run(in_read) == PTHREAD_CANCELED, "cancelled in read(2)", "not");
	check(ncleanup == 2 && cleanups[0] == 2 && cleanups[1] == 1,
	      "cleanup handlers ran, last pushed first", "%d: %d %d", ncleanup, cleanups[0],
	      cleanups[1]);
	check(run(in_sleep) == PTHREAD_CANCELED, "cancelled in nanosleep", "not");
	check(run(in_cond) == PTHREAD_CANCELED, "cancelled in pthread_cond_wait", "not");
	check(mutex_held_in_cleanup, "the mutex was held again in the cleanup", "not");
	check(pthread_mutex_trylock(&mu) == 0, "and released by it", "still locked");
	pthread_mutex_unlock(&mu);
	check(run(disabled) == PTHREAD_CANCELED && passed_disabled == 1,
	      "PTHREAD_CANCEL_DISABLE: ran on, cancelled at testcancel", "%d", passed_disabled);
	check(run(spin_async) == PTHREAD_CANCELED, "asynchronous cancel of a spinning thread", "not");
	return t_done();
}
