/*
 * timerfd.c - timerfd_create/settime/gettime: relative and absolute
 * one-shot timers, intervals and their expiration counts, disarming,
 * gettime and the old value, the clocks (the _ALARM ones need
 * privilege), flags and errors, and a timerfd under epoll.  Counts are
 * printed, never times.
 */
#include "t.h"
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <time.h>

static void ms(struct timespec *ts, long m)
{
	ts->tv_sec = m / 1000;
	ts->tv_nsec = (m % 1000) * 1000000;
}

static void test_errors(void)
{
	struct itimerspec its = { 0 };
	int fd;

	CHECK_ERR(timerfd_create(CLOCK_PROCESS_CPUTIME_ID, 0), EINVAL, "CPU-time clock EINVAL");
	CHECK_ERR(timerfd_create(99, 0), EINVAL, "unknown clock EINVAL");
	CHECK_ERR(timerfd_create(CLOCK_MONOTONIC, 0x10), EINVAL, "bad create flags EINVAL");
	fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	CHECK_OK(fd, "timerfd_create MONOTONIC NONBLOCK|CLOEXEC");
	check(fcntl(fd, F_GETFD) == FD_CLOEXEC, "TFD_CLOEXEC", "no");
	CHECK_ERR(timerfd_settime(fd, 4, &its, NULL), EINVAL, "bad settime flags EINVAL");
	its.it_value.tv_nsec = 1000000000;
	CHECK_ERR(timerfd_settime(fd, 0, &its, NULL), EINVAL, "tv_nsec 1e9 EINVAL");
	its.it_value.tv_nsec = 0;
	its.it_interval.tv_sec = -1;
	CHECK_ERR(timerfd_settime(fd, 0, &its, NULL), EINVAL, "negative interval EINVAL");
	its.it_interval.tv_sec = 0;
	CHECK_ERR(timerfd_settime(999, 0, &its, NULL), EBADF, "settime bad fd EBADF");
	CHECK_ERR(timerfd_settime(0, 0, &its, NULL), EINVAL, "settime on stdin EINVAL");
	CHECK_ERR(timerfd_gettime(999, &its), EBADF, "gettime bad fd EBADF");
	CHECK_ERR(timerfd_settime(fd, 0, NULL, NULL), EFAULT, "settime NULL value EFAULT");
	uint64_t v;
	CHECK_ERR(read(fd, &v, 8), EAGAIN, "disarmed: EAGAIN");
	CHECK_ERR(read(fd, &v, 4), EINVAL, "read of 4 bytes EINVAL");
	CHECK_OK(timerfd_gettime(fd, &its), "gettime disarmed");
	check(its.it_value.tv_sec == 0 && its.it_value.tv_nsec == 0, "disarmed: zero value", "no");
	close(fd);
	int alarm = timerfd_create(CLOCK_REALTIME_ALARM, 0);
	if (geteuid() == 0)
		check(alarm >= 0, "REALTIME_ALARM as root", "errno %d", errno);
	else
		check(alarm < 0 && errno == EPERM, "REALTIME_ALARM needs privilege", "got %d", alarm);
	if (alarm >= 0)
		close(alarm);
	fd = timerfd_create(CLOCK_BOOTTIME, 0);
	CHECK_OK(fd, "timerfd_create BOOTTIME");
	close(fd);
}

static void test_oneshot(void)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, 0);
	struct itimerspec its = { 0 }, old;
	uint64_t v = 0;

	ms(&its.it_value, 30);
	CHECK_OK(timerfd_settime(fd, 0, &its, NULL), "relative one-shot 30 ms");
	CHECK_OK(timerfd_gettime(fd, &old), "gettime armed");
	check(old.it_value.tv_sec == 0 && old.it_value.tv_nsec > 0 && old.it_interval.tv_nsec == 0,
	      "armed: some time left, no interval", "no");
	check(read(fd, &v, 8) == 8 && v == 1, "blocking read: 1 expiration", "v=%llu", (unsigned long long)v);
	CHECK_OK(timerfd_gettime(fd, &old), "gettime expired");
	check(old.it_value.tv_sec == 0 && old.it_value.tv_nsec == 0, "expired one-shot: zero", "no");
	/* disarm before it fires */
	its.it_value.tv_sec = 5;
	timerfd_settime(fd, 0, &its, NULL);
	memset(&its, 0, sizeof(its));
	CHECK_OK(timerfd_settime(fd, 0, &its, &old), "disarm");
	check(old.it_value.tv_sec >= 3 && old.it_value.tv_sec <= 5, "old value: what was left",
	      "sec %ld", (long)old.it_value.tv_sec);
	struct pollfd pf = { .fd = fd, .events = POLLIN };
	check(poll(&pf, 1, 50) == 0, "disarmed: never readable", "revents %#x", pf.revents);
	close(fd);
}

static void test_absolute(void)
{
	int clocks[2] = { CLOCK_MONOTONIC, CLOCK_REALTIME };
	const char *names[2] = { "MONOTONIC", "REALTIME" };

	for (int i = 0; i < 2; i++) {
		int fd = timerfd_create(clocks[i], 0);
		struct itimerspec its = { 0 };
		struct timespec now;
		uint64_t v = 0;
		char name[64];

		clock_gettime(clocks[i], &now);
		its.it_value = now;
		its.it_value.tv_nsec += 20000000;
		if (its.it_value.tv_nsec >= 1000000000) {
			its.it_value.tv_nsec -= 1000000000;
			its.it_value.tv_sec++;
		}
		snprintf(name, sizeof(name), "absolute %s timer fires once", names[i]);
		timerfd_settime(fd, TFD_TIMER_ABSTIME | (i ? TFD_TIMER_CANCEL_ON_SET : 0), &its, NULL);
		check(read(fd, &v, 8) == 8 && v == 1, name, "v=%llu", (unsigned long long)v);
		/* an absolute time in the past fires at once */
		its.it_value.tv_sec = 1;
		its.it_value.tv_nsec = 0;
		timerfd_settime(fd, TFD_TIMER_ABSTIME, &its, NULL);
		snprintf(name, sizeof(name), "absolute %s time in the past: at once", names[i]);
		check(read(fd, &v, 8) == 8 && v == 1, name, "v=%llu", (unsigned long long)v);
		close(fd);
	}
}

static void test_interval(void)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, 0), ep = epoll_create1(0);
	struct itimerspec its = { 0 };
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 5 };
	uint64_t v = 0, total = 0;
	int reads = 0;

	ms(&its.it_value, 10);
	ms(&its.it_interval, 10);
	timerfd_settime(fd, 0, &its, NULL);
	epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
	while (total < 5) {
		int n = epoll_wait(ep, &ev, 1, 2000);

		if (n != 1 || ev.data.u64 != 5)
			break;
		if (read(fd, &v, 8) != 8)
			break;
		total += v;
		reads++;
	}
	check(total >= 5 && reads >= 1, "interval timer under epoll: at least 5 expirations", "total %llu",
	      (unsigned long long)total);
	usleep(50000);
	read(fd, &v, 8);
	check(v >= 2, "expirations pile up while nobody reads", "v=%llu", (unsigned long long)v);
	struct itimerspec cur;
	timerfd_gettime(fd, &cur);
	check(cur.it_interval.tv_nsec == 10000000 && cur.it_interval.tv_sec == 0, "gettime: the interval",
	      "%ld", cur.it_interval.tv_nsec);
	/* re-setting resets the count */
	usleep(30000);
	its.it_value.tv_sec = 10;
	timerfd_settime(fd, 0, &its, NULL);
	int fl = fcntl(fd, F_GETFL);
	fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	CHECK_ERR(read(fd, &v, 8), EAGAIN, "settime drops unread expirations");
	close(fd);
	close(ep);
}

int main(void)
{
	t_start();
	test_errors();
	test_oneshot();
	test_absolute();
	test_interval();
	return t_done();
}
