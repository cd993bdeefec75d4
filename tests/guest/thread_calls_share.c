/*
 * thread_calls_share.c - a thread that makes calls which never sleep
 * (getppid, a write and a read of its own pipe) still lets the other
 * threads of its process run: in ./linux they share one host side and
 * one runs guest code at a time, so the tick must take it from a thread
 * that held it a whole tick while another waits, counted from when it
 * took it, not from its last call (arch_tick in arch/um/kernel/process.c).
 * The main thread spins until the worker runs, then tells it to stop; the
 * worker gives up after a bound far above what one tick allows.
 * Natively and in ./linux, the same output.
 */
#include "t.h"
#include <pthread.h>
#include <sys/syscall.h>

#define BOUND	200000L	/* calls: a second or more of them; a tick is 10 ms */

static volatile int started, stop;
static volatile long calls;
static int p[2];

static void *worker(void *arg)
{
	char c = 'w';

	(void)arg;
	started = 1;
	while (!stop && calls < BOUND) {
		syscall(SYS_getppid);
		if (write(p[1], &c, 1) != 1 || read(p[0], &c, 1) != 1)
			break;
		calls++;
	}
	return NULL;
}

int main(void)
{
	pthread_t th;

	setvbuf(stdout, NULL, _IONBF, 0);
	if (pipe(p) < 0 || pthread_create(&th, NULL, worker, NULL) != 0) {
		check(0, "start", "errno %d", errno);
		return 1;
	}
	while (!started)
		;
	stop = 1;
	pthread_join(th, NULL);
	check(calls < BOUND, "the main thread ran while the worker made calls",
	      "the worker made %ld calls first", calls);
	return t_failed ? 1 : 0;
}
