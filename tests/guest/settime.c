/*
 * settime.c - setting the clock, error paths only (a native run must not
 * move the host's clock): clock_settime of MONOTONIC or an unknown clock
 * EINVAL, a bad time EINVAL, a bad pointer EFAULT, a user EPERM;
 * settimeofday(NULL, NULL) as root 0, as a user EPERM; adjtimex reads the
 * clock (its time agrees with gettimeofday), a user may not change it;
 * clock_adjtime of MONOTONIC is EOPNOTSUPP, of no clock EINVAL.
 */
#include "t.h"
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timex.h>
#include <sys/wait.h>
#include <time.h>

static int as_user(void)
{
	struct timespec ts;
	struct timex tx;

	if (setresuid(1000, 1000, 1000))
		return 10;
	clock_gettime(CLOCK_REALTIME, &ts);
	if (clock_settime(CLOCK_REALTIME, &ts) != -1 || errno != EPERM)
		return 11;
	if (syscall(SYS_settimeofday, NULL, NULL) != -1 || errno != EPERM)
		return 12;
	memset(&tx, 0, sizeof(tx));
	tx.modes = ADJ_FREQUENCY;
	if (adjtimex(&tx) != -1 || errno != EPERM)
		return 13;
	memset(&tx, 0, sizeof(tx));
	return adjtimex(&tx) >= 0 ? 0 : 14;
}

int main(void)
{
	struct timespec ts = { 1000, 0 };
	struct timex tx;
	struct timeval tv;
	int st;

	t_start();
	CHECK_ERR(clock_settime(CLOCK_MONOTONIC, &ts), EINVAL, "MONOTONIC cannot be set");
	CHECK_ERR(clock_settime(12345, &ts), EINVAL, "no such clock");
	CHECK_ERR(clock_settime(CLOCK_PROCESS_CPUTIME_ID, &ts), EINVAL, "a CPU clock cannot be set");
	CHECK_ERR(syscall(SYS_clock_settime, CLOCK_REALTIME, (void *)8), EFAULT, "bad pointer");
	ts.tv_nsec = 1000000000;
	CHECK_ERR(clock_settime(CLOCK_REALTIME, &ts), EINVAL, "nsec 1e9");
	ts.tv_sec = -5;
	ts.tv_nsec = 0;
	CHECK_ERR(clock_settime(CLOCK_REALTIME, &ts), EINVAL, "before the epoch");
	CHECK_OK(syscall(SYS_settimeofday, NULL, NULL), "settimeofday(NULL, NULL)");
	tv.tv_sec = 1000;
	tv.tv_usec = 1000000;
	CHECK_ERR(settimeofday(&tv, NULL), EINVAL, "settimeofday usec 1e6");
	CHECK_ERR(syscall(SYS_settimeofday, (void *)8, NULL), EFAULT, "settimeofday bad pointer");
	memset(&tx, 0, sizeof(tx));
	long r = adjtimex(&tx);
	gettimeofday(&tv, NULL);
	check(r >= 0 && tv.tv_sec - tx.time.tv_sec <= 1 && tv.tv_sec >= tx.time.tv_sec, "adjtimex reads the time",
	      "r %ld, %ld vs %ld", r, (long)tx.time.tv_sec, (long)tv.tv_sec);
	CHECK_ERR(syscall(SYS_adjtimex, (void *)8), EFAULT, "adjtimex bad pointer");
	memset(&tx, 0, sizeof(tx));
	CHECK_ERR(clock_adjtime(CLOCK_MONOTONIC, &tx), EOPNOTSUPP, "clock_adjtime MONOTONIC");
	CHECK_ERR(clock_adjtime(12345, &tx), EINVAL, "clock_adjtime of no clock");
	pid_t pid = fork();
	if (pid == 0)
		_exit(as_user());
	waitpid(pid, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "a user: EPERM to set, reading is fine", "step %d",
	      WEXITSTATUS(st));
	return t_failed != 0;
}
