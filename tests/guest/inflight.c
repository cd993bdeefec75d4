/*
 * inflight.c - several processes in flight at once: guest code that
 * computes in user mode does not hold up the syscalls of the others.
 *
 * Two spinners compute in user mode, without a syscall, until the rest
 * is done; meanwhile one process makes 20,000 getppid calls and two
 * others play 2,000 rounds of pipe ping-pong, checking every byte.  Then
 * a hand-off that only works if a spinning process and a process in
 * syscalls run together: a spinner waits in user mode for a word in
 * shared memory that the other sets after 1,000 syscalls, and that one
 * waits (in sched_yield calls) for the spinner's answer.  A kernel that
 * served one guest at a time and switched only at its ticks would pass
 * too, a hundred times slower (minutes); the output shows no times.
 * Last, threads of one process, which share one host side: a thread
 * spinning in user mode must let the other thread's syscalls through
 * (the tick preempts it), and stops when that thread tells it to.
 */
#include "t.h"
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/wait.h>

struct shared {
	volatile int done;		/* the spinners stop */
	volatile uint64_t spins[2];	/* their progress */
	volatile int ask, answer;	/* the hand-off */
};

static struct shared *sh;

static uint64_t lcg(uint64_t x)
{
	return x * 6364136223846793005ULL + 1442695040888963407ULL;
}

static void spinner(int i)
{
	uint64_t x = (uint64_t)i;

	while (!sh->done) {
		for (int k = 0; k < 1000; k++)
			x = lcg(x);
		sh->spins[i]++;
	}
	_exit(x == 0xdeadbeef ? 3 : 0);	/* uses x, so the loop stays */
}

static void caller(void)
{
	pid_t parent = getppid();

	for (int i = 0; i < 20000; i++)
		if (getppid() != parent)
			_exit(1);
	_exit(0);
}

static void pong(int in, int out)
{
	unsigned char c;

	for (int i = 0; i < 2000; i++) {
		if (read(in, &c, 1) != 1 || c != (unsigned char)i)
			_exit(1);
		c = (unsigned char)(c + 1);
		if (write(out, &c, 1) != 1)
			_exit(1);
	}
	_exit(0);
}

/* 2,000 round trips; 0 when every byte came back right. */
static int ping(int out, int in)
{
	unsigned char c;

	for (int i = 0; i < 2000; i++) {
		c = (unsigned char)i;
		if (write(out, &c, 1) != 1 || read(in, &c, 1) != 1 ||
		    c != (unsigned char)(i + 1))
			return -1;
	}
	return 0;
}

static int status_of(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void test_together(void)
{
	int p2c[2], c2p[2], r;
	pid_t spin[2], call, pp;

	sh->done = 0;
	for (int i = 0; i < 2; i++) {
		sh->spins[i] = 0;
		spin[i] = fork();
		if (spin[i] == 0)
			spinner(i);
	}
	call = fork();
	if (call == 0)
		caller();
	if (pipe(p2c) < 0 || pipe(c2p) < 0) {
		check(0, "pipes", "errno %d", errno);
		return;
	}
	pp = fork();
	if (pp == 0) {
		close(p2c[1]);
		close(c2p[0]);
		pong(p2c[0], c2p[1]);
	}
	close(p2c[0]);
	close(c2p[1]);
	r = ping(p2c[1], c2p[0]);
	check(r == 0, "2000 pipe round trips while two processes spin", "a byte came back wrong");
	check(status_of(pp) == 0, "the ping-pong partner saw every byte", "it failed");
	check(status_of(call) == 0, "20000 getppid calls while two processes spin", "wrong answer");
	close(p2c[1]);
	close(c2p[0]);
	sh->done = 1;
	for (int i = 0; i < 2; i++) {
		char name[64];

		snprintf(name, sizeof(name), "spinner %d computed all along and stops", i);
		check(status_of(spin[i]) == 0 && sh->spins[i] > 0, name, "spins %llu",
		      (unsigned long long)sh->spins[i]);
	}
}

static void test_handoff(void)
{
	pid_t spin, sys;
	int st;

	sh->ask = sh->answer = 0;
	spin = fork();
	if (spin == 0) {		/* user mode only, until asked */
		while (!sh->ask)
			;
		sh->answer = sh->ask + 1;
		_exit(0);
	}
	sys = fork();
	if (sys == 0) {
		pid_t parent = getppid();

		for (int i = 0; i < 1000; i++)
			if (getppid() != parent)
				_exit(1);
		sh->ask = 41;
		while (!sh->answer)
			sched_yield();
		_exit(sh->answer == 42 ? 0 : 2);
	}
	st = status_of(sys);
	check(st == 0, "a process in syscalls and one spinning in user mode hand off",
	      "status %d", st);
	check(status_of(spin) == 0, "the spinner saw the question and answered", "it failed");
}

static volatile int thread_go, thread_stop;

static void *spin_thread(void *arg)
{
	uint64_t x = 1, *n = arg;

	thread_go = 1;
	while (!thread_stop) {
		x = lcg(x);
		++*n;
	}
	return (void *)(uintptr_t)(x == 0xdeadbeef);
}

static void test_threads(void)
{
	pthread_t th;
	uint64_t spins = 0;
	pid_t me = getpid();
	int bad = 0;
	void *ret = (void *)1;

	thread_go = thread_stop = 0;
	if (pthread_create(&th, NULL, spin_thread, &spins) != 0) {
		check(0, "pthread_create", "failed");
		return;
	}
	while (!thread_go)
		sched_yield();
	for (int i = 0; i < 20; i++)
		if (getpid() != me)
			bad++;
	check(bad == 0, "20 syscalls of one thread while another thread of its process spins",
	      "%d wrong", bad);
	thread_stop = 1;
	check(pthread_join(th, &ret) == 0 && ret == NULL && spins > 0,
	      "the spinning thread saw the stop and was joined", "ret %p spins %llu", ret,
	      (unsigned long long)spins);
}

int main(void)
{
	t_start();
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		check(0, "shared memory", "errno %d", errno);
		return 1;
	}
	test_together();
	test_handoff();
	test_threads();
	return t_done();
}
