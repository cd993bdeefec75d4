/*
 * exit_group_blocked: exit_group called by a thread that is not the
 * leader ends a group whose other threads are blocked in the kernel (a
 * futex wait, a pipe read, a nanosleep, sigsuspend, poll, and the leader
 * in waitpid); the parent sees exit_group's status once and nothing
 * else.  A thread's own exit (SYS_exit) while the others sleep leaves
 * the group running; SIGKILL from outside ends a group blocked the same
 * way; and a clear_child_tid futex waiter is woken by a thread's exit.
 */
#include "t.h"
#include <linux/futex.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/prctl.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

static int fword, pfd[2];
static volatile int ready;

static void *in_futex(void *a)
{
	__sync_fetch_and_add(&ready, 1);
	syscall(SYS_futex, &fword, FUTEX_WAIT, 0, NULL, NULL, 0);
	return a;
}

static void *in_read(void *a)
{
	char c;

	__sync_fetch_and_add(&ready, 1);
	read(pfd[0], &c, 1);
	return a;
}

static void *in_sleep(void *a)
{
	struct timespec ts = { 1000, 0 };

	__sync_fetch_and_add(&ready, 1);
	nanosleep(&ts, NULL);
	return a;
}

static void *in_sigsuspend(void *a)
{
	sigset_t none;

	sigemptyset(&none);
	__sync_fetch_and_add(&ready, 1);
	sigsuspend(&none);
	return a;
}

static void *in_poll(void *a)
{
	struct pollfd p = { .fd = pfd[0], .events = POLLIN };

	__sync_fetch_and_add(&ready, 1);
	poll(&p, 1, -1);
	return a;
}

static void *(*const blockers[])(void *) = { in_futex, in_read, in_sleep, in_sigsuspend, in_poll };
#define NBLOCK (int)(sizeof(blockers) / sizeof(blockers[0]))

static void start_blockers(void)
{
	pthread_t th;

	pipe(pfd);
	for (int i = 0; i < NBLOCK; i++)
		if (pthread_create(&th, NULL, blockers[i], NULL) != 0)
			_exit(20);
	while (ready < NBLOCK)
		sched_yield();
	usleep(20000);			/* let them reach their waits */
}

static void *exiter(void *a)
{
	usleep(20000);
	syscall(SYS_exit_group, (int)(intptr_t)a);
	return NULL;
}

static void *lone_exit(void *a)
{
	syscall(SYS_exit, 0);		/* this thread only */
	return a;
}

int main(void)
{
	pthread_t th;
	pid_t pid;
	int st;

	t_start();
	/* The grandchild below is orphaned: as a subreaper we get it natively
	 * as init does inside ./linux. */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	/* exit_group from a thread while the leader waits for a child. */
	int kp[2];

	pipe(kp);
	pid = fork();
	if (pid == 0) {
		pid_t kid = fork();

		if (kid == 0) {
			char ch;

			close(kp[1]);	/* EOF once the whole group is gone */
			read(kp[0], &ch, 1);
			_exit(44);
		}
		start_blockers();
		pthread_create(&th, NULL, exiter, (void *)(intptr_t)23);
		waitpid(kid, NULL, 0);	/* the leader blocks here */
		_exit(1);
	}
	close(kp[0]);
	close(kp[1]);
	st = -1;
	if (waitpid(pid, &st, 0) != pid)
		st = -1;
	check(WIFEXITED(st) && WEXITSTATUS(st) == 23,
	      "exit_group from a thread ends five blocked threads and the leader", "%#x", st);
	st = -1;
	if (waitpid(-1, &st, 0) <= 0)
		st = -1;
	check(WIFEXITED(st) && WEXITSTATUS(st) == 44,
	      "the orphaned grandchild saw the group's pipe close and came to us", "%#x", st);
	CHECK_ERR(waitpid(-1, NULL, __WALL | WNOHANG), ECHILD, "nothing else to reap");

	/* One thread's exit leaves the group running. */
	pid = fork();
	if (pid == 0) {
		ready = 0;
		start_blockers();
		pthread_create(&th, NULL, lone_exit, NULL);
		pthread_join(th, NULL);	/* clear_child_tid wakes the join */
		fword = 1;
		syscall(SYS_futex, &fword, FUTEX_WAKE, 1, NULL, NULL, 0);
		_exit(31);
	}
	st = -1;
	if (waitpid(pid, &st, 0) != pid)
		st = -1;
	check(WIFEXITED(st) && WEXITSTATUS(st) == 31,
	      "a thread's own exit leaves the group; the join is woken", "%#x", st);

	/* SIGKILL from outside a group blocked in the kernel. */
	int rp[2];

	pipe(rp);
	pid = fork();
	if (pid == 0) {
		ready = 0;
		start_blockers();
		write(rp[1], "r", 1);
		for (;;)
			pause();
	}
	char c;

	read(rp[0], &c, 1);
	kill(pid, SIGKILL);
	st = -1;
	if (waitpid(pid, &st, 0) != pid)
		st = -1;
	check(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "SIGKILL ends the blocked group",
	      "%#x", st);

	/* exit_group's status is the low byte. */
	pid = fork();
	if (pid == 0) {
		ready = 0;
		start_blockers();
		pthread_create(&th, NULL, exiter, (void *)(intptr_t)0x1234);
		for (;;)
			pause();
	}
	st = -1;
	if (waitpid(pid, &st, 0) != pid)
		st = -1;
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0x34, "exit_group(0x1234) is status 0x34", "%#x",
	      st);
	return t_done();
}
