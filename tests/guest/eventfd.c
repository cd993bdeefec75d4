/*
 * eventfd.c - eventfd(2): counter and semaphore modes, blocking and
 * non-blocking reads and writes at both ends of the range, bad sizes
 * and values, flags, poll and select readiness, a reader woken by
 * another process.
 */
#include "t.h"
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static void test_counter(void)
{
	int e = eventfd(5, EFD_NONBLOCK);
	uint64_t v = 0;

	CHECK_OK(e, "eventfd(5, NONBLOCK)");
	check(read(e, &v, 8) == 8 && v == 5, "read takes the count", "v=%llu", (unsigned long long)v);
	CHECK_ERR(read(e, &v, 8), EAGAIN, "empty: EAGAIN");
	v = 3;
	write(e, &v, 8);
	write(e, &v, 8);
	v = 0;
	check(read(e, &v, 8) == 8 && v == 6, "writes add up", "v=%llu", (unsigned long long)v);
	CHECK_ERR(read(e, &v, 4), EINVAL, "read of 4 bytes EINVAL");
	CHECK_ERR(write(e, &v, 4), EINVAL, "write of 4 bytes EINVAL");
	v = UINT64_MAX;
	CHECK_ERR(write(e, &v, 8), EINVAL, "write of 2^64-1 EINVAL");
	v = UINT64_MAX - 1;
	check(write(e, &v, 8) == 8, "write up to the maximum", "failed");
	v = 1;
	CHECK_ERR(write(e, &v, 8), EAGAIN, "past the maximum: EAGAIN");
	struct pollfd pf = { .fd = e, .events = POLLIN | POLLOUT };
	check(poll(&pf, 1, 0) == 1 && pf.revents == POLLIN, "full: readable, not writable", "revents %#x",
	      pf.revents);
	read(e, &v, 8);
	pf.revents = 0;
	check(poll(&pf, 1, 0) == 1 && pf.revents == POLLOUT, "empty: writable only", "revents %#x", pf.revents);
	v = 0;
	check(write(e, &v, 8) == 8, "write of 0 is allowed", "failed");
	CHECK_ERR(read(e, &v, 8), EAGAIN, "and leaves it empty");
	char big[16] = { 0 };
	v = 9;
	write(e, &v, 8);
	check(read(e, big, 16) == 8, "a 16-byte read returns 8", "no");
	check(lseek(e, 0, SEEK_SET) == 0, "lseek is a no-op", "errno %d", errno);
	close(e);
}

static void test_semaphore(void)
{
	int e = eventfd(3, EFD_SEMAPHORE | EFD_NONBLOCK | EFD_CLOEXEC);
	uint64_t v;
	int n = 0;

	CHECK_OK(e, "eventfd SEMAPHORE");
	check(fcntl(e, F_GETFD) == FD_CLOEXEC, "EFD_CLOEXEC", "no");
	check((fcntl(e, F_GETFL) & (O_NONBLOCK | O_ACCMODE)) == (O_NONBLOCK | O_RDWR), "O_RDWR|O_NONBLOCK",
	      "flags %#x", fcntl(e, F_GETFL));
	while (read(e, &v, 8) == 8) {
		if (v != 1)
			break;
		n++;
	}
	check(n == 3 && errno == EAGAIN, "semaphore: three reads of 1, then EAGAIN", "n=%d", n);
	close(e);
}

static void test_flags(void)
{
	CHECK_ERR(eventfd(0, 0x4), EINVAL, "unknown flag EINVAL");
	int e = syscall(SYS_eventfd, 2);
	uint64_t v;

	CHECK_OK(e, "old eventfd syscall");
	check(read(e, &v, 8) == 8 && v == 2, "old eventfd: initial value", "v=%llu", (unsigned long long)v);
	close(e);
}

static void test_blocking(void)
{
	int e = eventfd(0, 0);
	uint64_t v = 0;
	pid_t c = fork();

	if (c == 0) {
		uint64_t one = 42;

		usleep(20000);
		write(e, &one, 8);
		_exit(0);
	}
	check(read(e, &v, 8) == 8 && v == 42, "blocking read woken by another process", "v=%llu",
	      (unsigned long long)v);
	waitpid(c, NULL, 0);
	v = UINT64_MAX - 1;
	write(e, &v, 8);
	c = fork();
	if (c == 0) {
		uint64_t x;

		usleep(20000);
		read(e, &x, 8);
		_exit(0);
	}
	v = 7;
	check(write(e, &v, 8) == 8, "blocking write woken by a read", "failed");
	waitpid(c, NULL, 0);
	fd_set rs;
	FD_ZERO(&rs);
	FD_SET(e, &rs);
	struct timeval tv = { 0, 0 };
	check(select(e + 1, &rs, NULL, NULL, &tv) == 1 && FD_ISSET(e, &rs), "select: readable", "no");
	read(e, &v, 8);
	check(v == 7, "the blocked write landed", "v=%llu", (unsigned long long)v);
	close(e);
}

int main(void)
{
	t_start();
	test_counter();
	test_semaphore();
	test_flags();
	test_blocking();
	return t_done();
}
