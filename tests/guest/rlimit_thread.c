/*
 * rlimit_thread.c - resource limits belong to the process, not the
 * thread: a limit a thread sets binds the main thread (RLIMIT_NOFILE
 * makes its open fail with EMFILE), prlimit through a thread's tid reads
 * and sets the same set, and a forked child starts with the process's.
 */
#include "t.h"
#include <fcntl.h>
#include <pthread.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static volatile pid_t tid;
static volatile int phase;

static void *thread(void *arg)
{
	struct rlimit r = { 20, 4096 };

	tid = (pid_t)syscall(SYS_gettid);
	setrlimit(RLIMIT_NOFILE, &r);
	phase = 1;
	while (phase != 2)
		usleep(1000);
	return arg;
}

int main(void)
{
	struct rlimit r, old;
	pthread_t th;
	int fds[64], n = 0, st;

	t_start();
	getrlimit(RLIMIT_NOFILE, &old);
	pthread_create(&th, NULL, thread, NULL);
	while (phase != 1)
		usleep(1000);
	getrlimit(RLIMIT_NOFILE, &r);
	check(r.rlim_cur == 20, "a thread's setrlimit is the main thread's", "%lu", (unsigned long)r.rlim_cur);
	while (n < 64 && (fds[n] = open("/", O_RDONLY)) >= 0)
		n++;
	check(n < 64 && errno == EMFILE && fds[n - 1] == 19, "the main thread hits it: EMFILE at fd 20", "n %d errno %d",
	      n, errno);
	for (int i = 0; i < n; i++)
		close(fds[i]);
	struct rlimit nr = { 30, 4096 }, got;
	CHECK_OK(prlimit(tid, RLIMIT_NOFILE, &nr, &got), "prlimit through the thread's tid");
	check(got.rlim_cur == 20, "it read the process's old limit", "%lu", (unsigned long)got.rlim_cur);
	getrlimit(RLIMIT_NOFILE, &r);
	check(r.rlim_cur == 30, "and set the process's", "%lu", (unsigned long)r.rlim_cur);
	pid_t pid = fork();
	if (pid == 0) {
		getrlimit(RLIMIT_NOFILE, &r);
		_exit(r.rlim_cur == 30 ? 0 : 1);
	}
	waitpid(pid, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "a child starts with them", "status %x", st);
	phase = 2;
	pthread_join(th, NULL);
	setrlimit(RLIMIT_NOFILE, &old);
	CHECK_ERR(prlimit(0x3ffffff0, RLIMIT_NOFILE, NULL, &got), ESRCH, "prlimit of no process");
	CHECK_ERR(prlimit(0, 99, NULL, &got), EINVAL, "resource 99");
	return t_failed != 0;
}
