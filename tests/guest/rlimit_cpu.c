/*
 * rlimit_cpu.c - RLIMIT_CPU: past the soft limit SIGXCPU, with the soft
 * limit moved a second on; at the hard limit SIGKILL.  Soft 1 s, hard
 * 2 s: one SIGXCPU (getrlimit then says 2), then SIGKILL; soft = hard:
 * SIGKILL with no SIGXCPU; no handler: SIGXCPU's default action kills.
 * The limit is the process's: set in a thread, it binds the spinning
 * main thread.
 */
#include "t.h"
#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>

static int out_fd;

static void on_xcpu(int sig)
{
	struct rlimit r;
	char c;

	(void)sig;
	getrlimit(RLIMIT_CPU, &r);
	c = (char)('0' + r.rlim_cur);
	write(out_fd, &c, 1);
}

static void spin(void)
{
	struct timespec a, b;
	volatile unsigned long x = 0;

	clock_gettime(CLOCK_MONOTONIC, &a);
	for (;;) {		/* 60 s of wall time at most */
		x++;
		if ((x & 0xfffff) == 0) {
			clock_gettime(CLOCK_MONOTONIC, &b);
			if (b.tv_sec - a.tv_sec > 60)
				_exit(3);
		}
	}
}

static rlim_t soft_v, hard_v;

static void *set_limit(void *arg)
{
	struct rlimit r = { soft_v, hard_v };

	setrlimit(RLIMIT_CPU, &r);
	return arg;
}

/* A child with RLIMIT_CPU soft/hard (set from a thread), a SIGXCPU handler if handle. */
static int run(rlim_t soft, rlim_t hard, int handle, char *seen, size_t len)
{
	int p[2], st;
	pid_t pid;
	ssize_t n;

	pipe(p);
	pid = fork();
	if (pid == 0) {
		pthread_t th;

		close(p[0]);
		out_fd = p[1];
		if (handle)
			signal(SIGXCPU, on_xcpu);
		soft_v = soft;
		hard_v = hard;
		pthread_create(&th, NULL, set_limit, NULL);
		pthread_join(th, NULL);
		spin();
	}
	close(p[1]);
	n = read(p[0], seen, len - 1);
	seen[n > 0 ? n : 0] = '\0';
	close(p[0]);
	waitpid(pid, &st, 0);
	return st;
}

int main(void)
{
	char seen[16];
	int st;

	t_start();
	st = run(1, 2, 1, seen, sizeof(seen));
	check(strcmp(seen, "2") == 0, "soft 1 hard 2: one SIGXCPU, soft limit then 2", "saw '%s'", seen);
	check(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "then SIGKILL at the hard limit", "status %x", st);
	st = run(1, 1, 1, seen, sizeof(seen));
	check(seen[0] == '\0' && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL,
	      "soft = hard: SIGKILL, no SIGXCPU", "saw '%s' status %x", seen, st);
	st = run(1, RLIM_INFINITY, 0, seen, sizeof(seen));
	check(WIFSIGNALED(st) && WTERMSIG(st) == SIGXCPU, "no handler: SIGXCPU kills", "status %x", st);

	struct rlimit r = { 5, 2 };
	CHECK_ERR(setrlimit(RLIMIT_CPU, &r), EINVAL, "soft above hard");
	return t_failed != 0;
}
