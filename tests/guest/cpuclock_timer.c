/*
 * cpuclock_timer: POSIX timers and clock_nanosleep on CPU clocks of other
 * processes and threads.  A timer on a spinning child's process clock
 * (clock_getcpuclockid) signals when the child has used that CPU time;
 * clock_nanosleep waits on a child's clock, on the caller's own process
 * clock (a spinning thread makes it run) and on another thread's clock,
 * relative and TIMER_ABSTIME, interrupted with what is left; and the
 * errors: EOPNOTSUPP for the clocks with no sleep, EINVAL for a thread's
 * own clock and bad ids, ESRCH for timer_settime once the process whose
 * clock it is has gone.
 */
#include "t.h"
#include <pthread.h>
#include <signal.h>
#include <time.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>

#define MS 1000000LL

static clockid_t proc_clock(pid_t pid, int which) { return (clockid_t)((~(unsigned)pid << 3) | which); }
static clockid_t thread_clock(pid_t tid, int which) { return (clockid_t)((~(unsigned)tid << 3) | 4 | which); }

static long long now_ns(clockid_t c)
{
	struct timespec ts;

	if (clock_gettime(c, &ts) != 0)
		return -1;
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static struct timespec ts_of(long long ns)
{
	struct timespec ts = { ns / 1000000000LL, ns % 1000000000LL };

	return ts;
}

static volatile int stop_spin;
static volatile pid_t spinner_tid;

static void *spinner(void *arg)
{
	(void)arg;
	spinner_tid = (pid_t)syscall(SYS_gettid);
	while (!stop_spin)
		;
	return NULL;
}

static pid_t spinning_child(void)
{
	pid_t pid = fork();

	if (pid == 0)
		for (;;)
			;
	return pid;
}

static void on_alarm(int sig) { (void)sig; }

/* A timer on the child's process clock: its signal after that CPU time. */
static void timers_on_child(pid_t child, clockid_t c)
{
	struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR1 };
	struct itimerspec its = { .it_value = ts_of(50 * MS) }, cur;
	siginfo_t si;
	timer_t tm;
	long long at;
	int n;

	ev.sigev_value.sival_int = 77;
	CHECK_OK(timer_create(c, &ev, &tm), "timer_create on the child's CPU clock");
	CHECK_OK(timer_settime(tm, 0, &its, NULL), "arm it for 50 ms of the child's CPU");
	n = sigwaitinfo(&(sigset_t){ { 1UL << (SIGUSR1 - 1) } }, &si);
	at = now_ns(c);
	check(n == SIGUSR1 && si.si_code == SI_TIMER && si.si_value.sival_int == 77,
	      "SIGUSR1 with SI_TIMER and the value", "sig %d code %d", n, si.si_code);
	check(at >= 50 * MS, "the child had used 50 ms", "%lld ns", at);
	CHECK_OK(timer_gettime(tm, &cur), "timer_gettime");
	check(cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0, "a one-shot is disarmed after",
	      "%ld.%09ld", (long)cur.it_value.tv_sec, cur.it_value.tv_nsec);
	its.it_value = ts_of(20 * MS);
	its.it_interval = ts_of(20 * MS);
	CHECK_OK(timer_settime(tm, 0, &its, NULL), "periodic, 20 ms of CPU");
	for (n = 0; n < 3; n++)
		if (sigwaitinfo(&(sigset_t){ { 1UL << (SIGUSR1 - 1) } }, &si) != SIGUSR1)
			break;
	check(n == 3, "three periods came", "%d", n);
	check(now_ns(c) - at >= 60 * MS, "after 60 ms more of the child's CPU", "%lld", now_ns(c) - at);
	its.it_value = ts_of(now_ns(c) - 1);	/* already past: at once */
	its.it_interval = ts_of(0);
	CHECK_OK(timer_settime(tm, TIMER_ABSTIME, &its, NULL), "absolute, in the past");
	n = sigwaitinfo(&(sigset_t){ { 1UL << (SIGUSR1 - 1) } }, &si);
	check(n == SIGUSR1, "fires at once", "%d", n);
	its.it_value = ts_of(3600 * 1000 * MS);
	CHECK_OK(timer_settime(tm, 0, &its, NULL), "armed for an hour");
	CHECK_OK(timer_gettime(tm, &cur), "timer_gettime armed");
	check(cur.it_value.tv_sec > 3500 && cur.it_value.tv_sec <= 3600, "about an hour left",
	      "%ld", (long)cur.it_value.tv_sec);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	CHECK_OK(timer_gettime(tm, &cur), "timer_gettime after the child is reaped");
	check(cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0, "nothing left to count",
	      "%ld.%09ld", (long)cur.it_value.tv_sec, cur.it_value.tv_nsec);
	CHECK_ERR(timer_settime(tm, 0, &its, NULL), ESRCH, "timer_settime: the process is gone");
	CHECK_OK(timer_delete(tm), "timer_delete");
}

/* clock_nanosleep on the child's clock, relative and absolute. */
static void sleeps_on_child(clockid_t c)
{
	struct timespec req = ts_of(30 * MS), rem;
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval it = { .it_value = { 0, 50000 } };
	long long before = now_ns(c), r;

	r = clock_nanosleep(c, 0, &req, NULL);
	check(r == 0 && now_ns(c) - before >= 30 * MS, "relative sleep on the child's clock",
	      "r %lld, %lld ns", r, now_ns(c) - before);
	req = ts_of(now_ns(c) + 30 * MS);
	r = clock_nanosleep(c, TIMER_ABSTIME, &req, NULL);
	check(r == 0 && now_ns(c) >= req.tv_sec * 1000000000LL + req.tv_nsec,
	      "absolute sleep on the child's clock", "r %lld", r);
	req = ts_of(1);
	check(clock_nanosleep(c, TIMER_ABSTIME, &req, NULL) == 0, "absolute, in the past", "no");
	/* Interrupted by a handler: EINTR and what is left. */
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	req = ts_of(100000 * MS);
	r = clock_nanosleep(c, 0, &req, &rem);
	check(r == EINTR, "interrupted: EINTR", "%lld", r);
	check(rem.tv_sec >= 90 && rem.tv_sec < 100, "rem says what is left", "%ld",
	      (long)rem.tv_sec);
	setitimer(ITIMER_REAL, &it, NULL);
	req = ts_of(now_ns(c) + 100000 * MS);
	r = clock_nanosleep(c, TIMER_ABSTIME, &req, NULL);
	check(r == EINTR, "absolute interrupted: EINTR", "%lld", r);
}

/* The caller's own process clock, and another thread's. */
static void sleeps_in_process(void)
{
	struct timespec req = ts_of(40 * MS);
	pthread_t th;
	long long before, r;
	clockid_t tc;

	stop_spin = 0;
	pthread_create(&th, NULL, spinner, NULL);
	while (!spinner_tid)
		sched_yield();
	before = now_ns(CLOCK_PROCESS_CPUTIME_ID);
	r = clock_nanosleep(CLOCK_PROCESS_CPUTIME_ID, 0, &req, NULL);
	check(r == 0 && now_ns(CLOCK_PROCESS_CPUTIME_ID) - before >= 40 * MS,
	      "sleep on the own process clock (a thread spins)", "r %lld", r);
	r = syscall(SYS_clock_nanosleep, proc_clock(0, 2), 0, &req, NULL);
	check(r == 0, "the same by pid 0", "%lld errno %d", r, errno);
	pthread_getcpuclockid(th, &tc);
	before = now_ns(tc);
	r = clock_nanosleep(tc, 0, &req, NULL);
	check(r == 0 && now_ns(tc) - before >= 40 * MS, "sleep on another thread's clock",
	      "r %lld", r);
	stop_spin = 1;
	pthread_join(th, NULL);
}

static void errors(pid_t other)
{
	struct timespec req = ts_of(MS), bad = { 0, 1000000000 };
	struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR2 };
	pid_t me = (pid_t)syscall(SYS_gettid), gone = fork();
	timer_t tm;
	clockid_t c;

	if (gone == 0)
		_exit(0);
	waitpid(gone, NULL, 0);		/* a pid with no process */
	CHECK_ERR(syscall(SYS_clock_nanosleep, CLOCK_THREAD_CPUTIME_ID, 0, &req, NULL), EOPNOTSUPP,
		  "raw: thread CPU clock has no sleep");
	check(clock_nanosleep(CLOCK_THREAD_CPUTIME_ID, 0, &req, NULL) == EINVAL,
	      "glibc: thread CPU clock EINVAL", "other");
	CHECK_ERR(syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC_RAW, 0, &req, NULL), EOPNOTSUPP,
		  "MONOTONIC_RAW has no sleep");
	CHECK_ERR(syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC_COARSE, 0, &req, NULL), EOPNOTSUPP,
		  "MONOTONIC_COARSE has no sleep");
	CHECK_ERR(syscall(SYS_clock_nanosleep, CLOCK_REALTIME_COARSE, 0, NULL, NULL), EOPNOTSUPP,
		  "REALTIME_COARSE: EOPNOTSUPP before the pointer");
	CHECK_ERR(syscall(SYS_clock_nanosleep, 99, 0, &req, NULL), EINVAL, "no such clock");
	CHECK_ERR(syscall(SYS_clock_nanosleep, thread_clock(0, 2), 0, &req, NULL), EINVAL,
		  "own thread clock (tid 0)");
	CHECK_ERR(syscall(SYS_clock_nanosleep, thread_clock(me, 2), 0, &req, NULL), EINVAL,
		  "own thread clock (own tid)");
	CHECK_ERR(syscall(SYS_clock_nanosleep, thread_clock(other, 2), 0, &req, NULL), EINVAL,
		  "another process's thread clock");
	CHECK_ERR(syscall(SYS_clock_nanosleep, proc_clock(gone, 2), 0, &req, NULL), EINVAL,
		  "no such process");
	CHECK_ERR(syscall(SYS_clock_nanosleep, proc_clock(0x3ffffff0, 2), 0, &req, NULL), EINVAL,
		  "a pid too big for the encoding (a bad clock)");
	CHECK_ERR(syscall(SYS_clock_nanosleep, proc_clock(0, 3), 0, &req, NULL), EOPNOTSUPP,
		  "which 3 (a clock fd)");
	CHECK_ERR(syscall(SYS_clock_nanosleep, proc_clock(other, 2), 0, (void *)8, NULL), EFAULT,
		  "bad timespec pointer");
	CHECK_ERR(syscall(SYS_clock_nanosleep, proc_clock(gone, 2), 0, (void *)8, NULL),
		  EFAULT, "EFAULT before the clock's own checks");
	CHECK_ERR(syscall(SYS_clock_nanosleep, thread_clock(me, 2), 0, (void *)8, NULL),
		  EFAULT, "EFAULT before the own-thread check");
	CHECK_ERR(syscall(SYS_clock_nanosleep, proc_clock(other, 2), 0, &bad, NULL), EINVAL,
		  "tv_nsec 1e9");
	check(clock_getcpuclockid(0x3ffffff0, &c) == ESRCH, "clock_getcpuclockid(no pid) ESRCH",
	      "other");
	check(clock_getcpuclockid(other, &c) == 0 && c == proc_clock(other, 2),
	      "clock_getcpuclockid(another process)", "%d", (int)c);
	CHECK_ERR(timer_create(proc_clock(gone, 2), &ev, &tm), EINVAL,
		  "timer_create: no such process");
	CHECK_ERR(timer_create(thread_clock(other, 2), &ev, &tm), EINVAL,
		  "timer_create: another process's thread");
	CHECK_ERR(timer_create(proc_clock(other, 4), &ev, &tm), EINVAL, "timer_create: which 4");
	CHECK_OK(timer_create(proc_clock(other, 0), &ev, &tm), "timer_create: its PROF clock");
	CHECK_OK(timer_delete(tm), "timer_delete");
}

int main(void)
{
	sigset_t set;
	pid_t child;
	clockid_t c;

	t_start();
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);

	child = spinning_child();
	check(clock_getcpuclockid(child, &c) == 0, "clock_getcpuclockid(child)", "failed");
	errors(child);
	sleeps_on_child(c);
	timers_on_child(child, c);
	sleeps_in_process();
	return t_done();
}
