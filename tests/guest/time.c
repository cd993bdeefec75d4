/* time.c - clocks and sleeping. */
#include "t.h"
#include <sys/time.h>
#include <time.h>
#include <signal.h>
#include <sys/wait.h>

static long long ns(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* A nanosleep stopped and continued (no handler) goes on sleeping: it returns 0 after the full time. */
static void test_stop_cont(void)
{
	int fds[2], st = -1;
	pid_t pid;
	char r = 0;

	if (pipe(fds) < 0)
		return;
	pid = fork();
	if (pid == 0) {
		struct timespec req = { 0, 300 * 1000 * 1000 };
		long long t0 = ns(CLOCK_MONOTONIC);
		int ret = nanosleep(&req, NULL);
		char c = (ret == 0 && ns(CLOCK_MONOTONIC) - t0 >= 300000000LL) ? 'y' : 'n';

		write(fds[1], &c, 1);
		_exit(0);
	}
	usleep(50000);
	kill(pid, SIGSTOP);
	usleep(50000);
	kill(pid, SIGCONT);
	read(fds[0], &r, 1);
	waitpid(pid, &st, 0);
	check(r == 'y', "nanosleep resumes after SIGSTOP/SIGCONT", "got %c", r);
	close(fds[0]);
	close(fds[1]);
}

int main(void)
{
	struct timespec ts;

	t_start();
	CHECK_OK(clock_gettime(CLOCK_MONOTONIC, &ts), "clock_gettime MONOTONIC");
	int mono = 1;
	long long prev = ns(CLOCK_MONOTONIC);
	for (int i = 0; i < 1000; i++) {
		long long now = ns(CLOCK_MONOTONIC);
		mono &= now >= prev;
		prev = now;
	}
	check(mono, "monotonic never goes back", "went back");
	CHECK_OK(clock_gettime(CLOCK_REALTIME, &ts), "clock_gettime REALTIME");
	check(ts.tv_sec > 1600000000, "realtime after 2020", "sec %ld", (long)ts.tv_sec);
	struct timeval tv;
	CHECK_OK(gettimeofday(&tv, NULL), "gettimeofday");
	check(tv.tv_sec - ts.tv_sec <= 1 && ts.tv_sec - tv.tv_sec <= 1, "gettimeofday agrees", "differs");
	check(time(NULL) - ts.tv_sec <= 1, "time() agrees", "differs");
	CHECK_OK(clock_getres(CLOCK_MONOTONIC, &ts), "clock_getres");
	check(ts.tv_sec == 0 && ts.tv_nsec > 0 && ts.tv_nsec <= 10000000, "resolution <= 10ms", "%ld", ts.tv_nsec);
	long long t0 = ns(CLOCK_MONOTONIC);
	struct timespec req = { 0, 10 * 1000 * 1000 };
	CHECK_OK(nanosleep(&req, NULL), "nanosleep 10ms");
	long long dt = ns(CLOCK_MONOTONIC) - t0;
	check(dt >= 10000000, "slept at least 10ms", "%lld ns", dt);
	check(dt < 2000000000, "slept less than 2s", "%lld ns", dt);
	t0 = ns(CLOCK_MONOTONIC);
	req.tv_nsec = 50 * 1000 * 1000;
	clock_nanosleep(CLOCK_MONOTONIC, 0, &req, NULL);
	check(ns(CLOCK_MONOTONIC) - t0 >= 50000000, "clock_nanosleep 50ms", "short");
	CHECK_ERR(nanosleep(&(struct timespec){ 0, 1000000000 }, NULL), EINVAL, "nanosleep bad nsec");
	long long c0 = ns(CLOCK_PROCESS_CPUTIME_ID);
	for (volatile long i = 0; i < 20000000; i++)
		;
	check(ns(CLOCK_PROCESS_CPUTIME_ID) > c0, "process CPU time advances", "no");
	test_stop_cont();
	return t_done();
}
