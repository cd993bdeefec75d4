/*
 * clock_abs.c - clock_nanosleep with TIMER_ABSTIME on MONOTONIC, BOOTTIME
 * and REALTIME ends at or after the deadline on that clock (never
 * before), a deadline in the past returns at once, relative sleeps are not
 * short either; CPU-time thread clocks and unknown clocks are EINVAL
 * (returned, not in errno), unknown flag bits ignored, a bad timespec
 * EFAULT/EINVAL.
 */
#include "t.h"
#include <time.h>

static long long ns(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void abs_sleep(clockid_t c, const char *name)
{
	long long dl = ns(c) + 30000000;
	struct timespec ts = { dl / 1000000000LL, dl % 1000000000LL };
	char n[64];
	int r = clock_nanosleep(c, TIMER_ABSTIME, &ts, NULL);

	snprintf(n, sizeof(n), "%s: absolute deadline reached", name);
	check(r == 0 && ns(c) >= dl, n, "r %d, %lld ns early", r, dl - ns(c));
}

int main(void)
{
	struct timespec ts = { 0, 1000000 }, past = { 1, 0 };
	int short_ones = 0;

	t_start();
	abs_sleep(CLOCK_MONOTONIC, "MONOTONIC");
	abs_sleep(CLOCK_BOOTTIME, "BOOTTIME");
	abs_sleep(CLOCK_REALTIME, "REALTIME");
	long long t0 = ns(CLOCK_MONOTONIC);
	check(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &past, NULL) == 0 &&
	      ns(CLOCK_MONOTONIC) - t0 < 1000000000LL, "a past deadline returns at once", "slept");
	for (int i = 0; i < 50; i++) {
		long long a = ns(CLOCK_MONOTONIC);

		clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL);
		short_ones += ns(CLOCK_MONOTONIC) - a < 1000000;
	}
	check(short_ones == 0, "50 relative 1 ms sleeps: none short", "%d short", short_ones);
	check(clock_nanosleep(CLOCK_THREAD_CPUTIME_ID, 0, &ts, NULL) == EINVAL, "thread CPU clock: EINVAL", "other");
	check(clock_nanosleep(12345, 0, &ts, NULL) == EINVAL, "unknown clock: EINVAL", "other");
	check(clock_nanosleep(CLOCK_MONOTONIC, 2, &ts, NULL) == 0, "an unknown flag bit is ignored", "other");
	check(clock_nanosleep(CLOCK_MONOTONIC, 0, (void *)8, NULL) == EFAULT, "bad timespec: EFAULT", "other");
	struct timespec bad = { 0, 1000000000 };
	check(clock_nanosleep(CLOCK_MONOTONIC, 0, &bad, NULL) == EINVAL, "nsec 1e9: EINVAL", "other");
	bad.tv_sec = -1;
	bad.tv_nsec = 0;
	check(clock_nanosleep(CLOCK_MONOTONIC, 0, &bad, NULL) == EINVAL, "negative seconds: EINVAL", "other");
	return t_failed != 0;
}
