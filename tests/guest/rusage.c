/*
 * rusage.c - getrusage and times with threads and children: RUSAGE_SELF
 * counts a spinning thread's CPU time, RUSAGE_THREAD only the caller's;
 * RUSAGE_CHILDREN is 0 until a child is waited for, then holds its time
 * (and that of the grandchild it waited for); wait4 reports the child's
 * own; times() agrees; bad who EINVAL, bad pointer EFAULT.
 */
#include "t.h"
#include <pthread.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <time.h>

static long long us(struct timeval tv) { return tv.tv_sec * 1000000LL + tv.tv_usec; }

static void spin_cpu(long long want_us)
{
	struct timespec a, b;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a);
	do
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b);
	while ((b.tv_sec - a.tv_sec) * 1000000LL + (b.tv_nsec - a.tv_nsec) / 1000 < want_us);
}

static void *worker(void *arg)
{
	spin_cpu(200000);
	return arg;
}

int main(void)
{
	struct rusage self, thr, ch;
	pthread_t th;
	int st;

	t_start();
	getrusage(RUSAGE_CHILDREN, &ch);
	check(us(ch.ru_utime) + us(ch.ru_stime) == 0, "no children's time yet", "%lld", us(ch.ru_utime));
	pthread_create(&th, NULL, worker, NULL);
	pthread_join(th, NULL);
	getrusage(RUSAGE_SELF, &self);
	getrusage(RUSAGE_THREAD, &thr);
	check(us(self.ru_utime) + us(self.ru_stime) >= 200000, "RUSAGE_SELF counts the thread's 200 ms", "%lld",
	      us(self.ru_utime) + us(self.ru_stime));
	check(us(thr.ru_utime) + us(thr.ru_stime) < 150000, "RUSAGE_THREAD: the caller's own, less", "%lld",
	      us(thr.ru_utime) + us(thr.ru_stime));

	pid_t pid = fork();
	if (pid == 0) {
		pid_t g = fork();
		if (g == 0) {
			spin_cpu(200000);
			_exit(0);
		}
		waitpid(g, NULL, 0);
		spin_cpu(100000);
		_exit(0);
	}
	struct rusage w;
	check(wait4(pid, &st, 0, &w) == pid, "wait4", "failed");
	check(us(w.ru_utime) + us(w.ru_stime) >= 300000, "wait4's rusage: the child and its waited grandchild",
	      "%lld", us(w.ru_utime) + us(w.ru_stime));
	getrusage(RUSAGE_CHILDREN, &ch);
	check(us(ch.ru_utime) + us(ch.ru_stime) >= 300000, "RUSAGE_CHILDREN after the wait", "%lld",
	      us(ch.ru_utime) + us(ch.ru_stime));
	struct tms t;
	long hz = sysconf(_SC_CLK_TCK);
	times(&t);
	check(hz == 100 && t.tms_cutime + t.tms_cstime >= 29 && t.tms_utime + t.tms_stime >= 19,
	      "times() agrees (in 1/100 s)", "hz %ld cu %ld u %ld", hz, (long)(t.tms_cutime + t.tms_cstime),
	      (long)(t.tms_utime + t.tms_stime));
	CHECK_ERR(getrusage(5, &self), EINVAL, "getrusage who 5");
	CHECK_ERR(syscall(SYS_getrusage, RUSAGE_SELF, (void *)8), EFAULT, "bad pointer");
	return t_failed != 0;
}
