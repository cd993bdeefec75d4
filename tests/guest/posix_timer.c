/*
 * posix_timer.c - timer_create and friends through the raw syscalls (the
 * kernel's ids): SIGEV_SIGNAL on MONOTONIC, REALTIME and BOOTTIME with
 * si_code SI_TIMER, si_timerid and si_value; the default sigevent (SIGALRM,
 * the id as value); absolute times; SIGEV_NONE read back by timer_gettime;
 * a periodic timer whose signal stays blocked counts overruns (si_overrun
 * and timer_getoverrun agree); settime's old value, disarming; a forked
 * child has none; every error Linux gives.
 */
#include "t.h"
#include <signal.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>

static long tcreate(clockid_t clk, struct sigevent *ev, int *id)
{
	return syscall(SYS_timer_create, clk, ev, id);
}
static long tset(int id, int flags, const struct itimerspec *nv, struct itimerspec *old)
{
	return syscall(SYS_timer_settime, id, flags, nv, old);
}
static long tget(int id, struct itimerspec *cur)
{
	return syscall(SYS_timer_gettime, id, cur);
}
static long tdel(int id) { return syscall(SYS_timer_delete, id); }

static struct itimerspec its(long ms, long ims)
{
	struct itimerspec v = { { ims / 1000, ims % 1000 * 1000000 }, { ms / 1000, ms % 1000 * 1000000 } };

	return v;
}

static struct sigevent sev(int notify, int sig, long value)
{
	struct sigevent e;

	memset(&e, 0, sizeof(e));
	e.sigev_notify = notify;
	e.sigev_signo = sig;
	e.sigev_value.sival_ptr = (void *)value;
	return e;
}

/* Waits (blocked) for sig from timer id: 0 and info, or -1 after 10 s. */
static int wait_timer(int sig, siginfo_t *info)
{
	sigset_t s;
	struct timespec to = { 10, 0 };

	sigemptyset(&s);
	sigaddset(&s, sig);
	return sigtimedwait(&s, info, &to) == sig ? 0 : -1;
}

static void one_clock(clockid_t clk, const char *name)
{
	struct sigevent e = sev(SIGEV_SIGNAL, SIGRTMIN, 0x1234);
	struct itimerspec v = its(20, 0);
	siginfo_t info;
	int id = -1;
	char n[80];

	snprintf(n, sizeof(n), "%s: create", name);
	CHECK_OK(tcreate(clk, &e, &id), n);
	tset(id, 0, &v, NULL);
	snprintf(n, sizeof(n), "%s: SI_TIMER with its id and value", name);
	check(wait_timer(SIGRTMIN, &info) == 0 && info.si_code == SI_TIMER && info.si_timerid == id &&
	      info.si_value.sival_ptr == (void *)0x1234 && info.si_overrun == 0, n,
	      "code %d id %d/%d value %p overrun %d", info.si_code, info.si_timerid, id,
	      info.si_value.sival_ptr, info.si_overrun);
	tdel(id);
}

static void check_errors(void)
{
	struct sigevent e = sev(SIGEV_SIGNAL, SIGUSR1, 0);
	struct itimerspec v = its(10, 0), cur;
	int id;

	CHECK_ERR(tcreate(123, NULL, &id), EINVAL, "unknown clock");
	CHECK_ERR(tcreate(CLOCK_MONOTONIC_RAW, NULL, &id), EOPNOTSUPP, "MONOTONIC_RAW: no timers");
	CHECK_ERR(tcreate(CLOCK_MONOTONIC_COARSE, NULL, &id), EOPNOTSUPP, "MONOTONIC_COARSE: no timers");
	e.sigev_notify = 99;
	CHECK_ERR(tcreate(CLOCK_MONOTONIC, &e, &id), EINVAL, "unknown sigev_notify");
	e = sev(SIGEV_SIGNAL, 0, 0);
	CHECK_ERR(tcreate(CLOCK_MONOTONIC, &e, &id), EINVAL, "signal 0");
	e = sev(SIGEV_SIGNAL, 65, 0);
	CHECK_ERR(tcreate(CLOCK_MONOTONIC, &e, &id), EINVAL, "signal 65");
	e = sev(SIGEV_THREAD_ID, SIGUSR1, 0);
	e._sigev_un._tid = 0x3ffffff0;
	CHECK_ERR(tcreate(CLOCK_MONOTONIC, &e, &id), EINVAL, "SIGEV_THREAD_ID: no such thread");
	e._sigev_un._tid = getppid() > 1 ? getppid() : 0x3ffffff1;
	CHECK_ERR(tcreate(CLOCK_MONOTONIC, &e, &id), EINVAL, "SIGEV_THREAD_ID: another process");
	CHECK_ERR(tcreate(CLOCK_MONOTONIC, (void *)8, &id), EFAULT, "bad sigevent pointer");
	CHECK_ERR(tcreate(CLOCK_MONOTONIC, NULL, (void *)8), EFAULT, "bad id pointer");
	CHECK_OK(tcreate(CLOCK_MONOTONIC, NULL, &id), "create for the errors below");
	CHECK_ERR(tset(id, 0, NULL, NULL), EINVAL, "settime NULL value");
	CHECK_ERR(tset(id, 0, (void *)8, NULL), EFAULT, "settime bad value pointer");
	v.it_value.tv_nsec = 1000000000;
	CHECK_ERR(tset(id, 0, &v, NULL), EINVAL, "settime nsec 1e9");
	v = its(10, 0);
	v.it_interval.tv_sec = -1;
	CHECK_ERR(tset(id, 0, &v, NULL), EINVAL, "settime negative interval");
	CHECK_ERR(tset(id + 1000, 0, &v, NULL), EINVAL, "settime unknown id");
	CHECK_ERR(tget(id + 1000, &cur), EINVAL, "gettime unknown id");
	CHECK_ERR(tget(id, (void *)8), EFAULT, "gettime bad pointer");
	CHECK_ERR(syscall(SYS_timer_getoverrun, id + 1000), EINVAL, "getoverrun unknown id");
	CHECK_OK(tdel(id), "delete");
	CHECK_ERR(tdel(id), EINVAL, "delete twice");
	CHECK_ERR(tget(id, &cur), EINVAL, "gettime after delete");
}

/* After exec: the timer is gone, ITIMER_REAL is not. */
static int after_exec(const char *id_s)
{
	struct itimerspec cur;
	struct itimerval it;

	if (tget(atoi(id_s), &cur) != -1 || errno != EINVAL)
		return 1;
	getitimer(ITIMER_REAL, &it);
	return it.it_value.tv_sec > 0 ? 0 : 2;
}

static void check_exec(const char *self)
{
	int st, id = -1;
	pid_t pid = fork();

	if (pid == 0) {
		char buf[16];
		struct itimerval it = { { 0, 0 }, { 100, 0 } };
		struct itimerspec v = its(100000, 0);

		tcreate(CLOCK_MONOTONIC, NULL, &id);
		tset(id, 0, &v, NULL);
		setitimer(ITIMER_REAL, &it, NULL);
		snprintf(buf, sizeof(buf), "%d", id);
		execl(self, self, "after-exec", buf, (char *)NULL);
		_exit(3);
	}
	waitpid(pid, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "exec deletes POSIX timers, keeps ITIMER_REAL", "step %d",
	      WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}

int main(int argc, char **argv)
{
	sigset_t all;
	siginfo_t info;
	struct itimerspec v, cur, old;
	struct sigevent e;
	int id, id2;

	if (argc == 3 && !strcmp(argv[1], "after-exec"))
		return after_exec(argv[2]);
	t_start();
	sigemptyset(&all);
	sigaddset(&all, SIGRTMIN);
	sigaddset(&all, SIGALRM);
	sigaddset(&all, SIGUSR1);
	sigprocmask(SIG_BLOCK, &all, NULL);

	one_clock(CLOCK_MONOTONIC, "MONOTONIC");
	one_clock(CLOCK_REALTIME, "REALTIME");
	one_clock(CLOCK_BOOTTIME, "BOOTTIME");

	/* No sigevent: SIGALRM with the id as si_value. */
	CHECK_OK(tcreate(CLOCK_MONOTONIC, NULL, &id), "create with no sigevent");
	v = its(10, 0);
	tset(id, 0, &v, NULL);
	check(wait_timer(SIGALRM, &info) == 0 && info.si_code == SI_TIMER && info.si_value.sival_int == id,
	      "default: SIGALRM, value = id", "value %d id %d", info.si_value.sival_int, id);

	/* Absolute expiry on CLOCK_MONOTONIC. */
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	v = its(0, 0);
	v.it_value.tv_sec = now.tv_sec + (now.tv_nsec + 20000000) / 1000000000;
	v.it_value.tv_nsec = (now.tv_nsec + 20000000) % 1000000000;
	CHECK_OK(tset(id, TIMER_ABSTIME, &v, NULL), "settime TIMER_ABSTIME");
	check(wait_timer(SIGALRM, &info) == 0, "absolute timer fires", "no signal");
	v.it_value.tv_sec = 1;		/* long past: fires at once */
	v.it_value.tv_nsec = 0;
	tset(id, TIMER_ABSTIME, &v, NULL);
	check(wait_timer(SIGALRM, &info) == 0, "absolute time in the past fires at once", "no signal");

	/* settime's old value, and disarming. */
	v = its(5000, 1000);
	tset(id, 0, &v, NULL);
	tget(id, &cur);
	check(cur.it_value.tv_sec >= 4 && cur.it_value.tv_sec <= 5 && cur.it_interval.tv_sec == 1,
	      "gettime: about 5 s left, 1 s period", "%ld s, %ld s", (long)cur.it_value.tv_sec,
	      (long)cur.it_interval.tv_sec);
	v = its(0, 0);
	tset(id, 0, &v, &old);
	check(old.it_value.tv_sec >= 4 && old.it_interval.tv_sec == 1, "settime returns the old value", "%ld",
	      (long)old.it_value.tv_sec);
	tget(id, &cur);
	check(cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0, "disarmed: 0 left", "not 0");
	tdel(id);

	/* SIGEV_NONE: nothing is sent, gettime tells the state. */
	e = sev(SIGEV_NONE, 0, 0);
	CHECK_OK(tcreate(CLOCK_MONOTONIC, &e, &id), "create SIGEV_NONE");
	v = its(30, 0);
	tset(id, 0, &v, NULL);
	tget(id, &cur);
	check(cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec > 0, "SIGEV_NONE armed: time left", "none");
	usleep(60000);
	tget(id, &cur);
	check(cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0, "SIGEV_NONE one-shot expired: 0", "%ld",
	      cur.it_value.tv_nsec);
	v = its(10, 10);
	tset(id, 0, &v, NULL);
	usleep(35000);
	tget(id, &cur);
	check(cur.it_value.tv_nsec > 0 && cur.it_value.tv_nsec <= 10000000, "SIGEV_NONE periodic: next period",
	      "%ld", cur.it_value.tv_nsec);
	tdel(id);

	/* Overruns while the signal waits, blocked. */
	e = sev(SIGEV_SIGNAL, SIGUSR1, 7);
	tcreate(CLOCK_MONOTONIC, &e, &id);
	v = its(1, 1);
	tset(id, 0, &v, NULL);
	usleep(50000);
	check(wait_timer(SIGUSR1, &info) == 0 && info.si_overrun > 0, "a blocked periodic timer counts overruns",
	      "overrun %d", info.si_overrun);
	long ov = syscall(SYS_timer_getoverrun, id);
	check(ov == info.si_overrun, "timer_getoverrun = the delivered si_overrun", "%ld vs %d", ov,
	      info.si_overrun);
	v = its(0, 0);
	tset(id, 0, &v, NULL);
	tdel(id);

	/* Ids are the process's own: a child has no timers. */
	tcreate(CLOCK_MONOTONIC, NULL, &id);
	tcreate(CLOCK_MONOTONIC, NULL, &id2);
	check(id2 != id, "two timers, two ids", "same");
	pid_t pid = fork();
	if (pid == 0)
		_exit(tget(id, &cur) == -1 && errno == EINVAL ? 0 : 1);
	int st;
	waitpid(pid, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "a forked child has no timers", "status %x", st);
	tdel(id);
	tdel(id2);

	/* A 1 ns period on an ignored signal, and on a blocked one: no storm. */
	signal(SIGUSR2, SIG_IGN);
	e = sev(SIGEV_SIGNAL, SIGUSR2, 0);
	tcreate(CLOCK_MONOTONIC, &e, &id);
	e = sev(SIGEV_SIGNAL, SIGUSR1, 0);
	tcreate(CLOCK_MONOTONIC, &e, &id2);
	v = its(0, 0);
	v.it_value.tv_nsec = v.it_interval.tv_nsec = 1;
	tset(id, 0, &v, NULL);
	tset(id2, 0, &v, NULL);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	usleep(100000);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	check(t1.tv_sec - t0.tv_sec < 5, "1 ns periodic timers: the process goes on", "took %ld s",
	      (long)(t1.tv_sec - t0.tv_sec));
	check(wait_timer(SIGUSR1, &info) == 0 && info.si_overrun > 0, "the blocked one counted overruns",
	      "overrun %d", info.si_overrun);
	tdel(id);
	tdel(id2);

	check_errors();
	check_exec(argv[0]);
	return t_failed != 0;
}
