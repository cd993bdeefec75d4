/*
 * sched_attr: sched_setattr/sched_getattr as Linux: the versioned struct
 * (size 0 is VER0, sizes out of range are E2BIG with the kernel's size
 * written back, a nonzero unknown tail E2BIG, a zero one accepted), the
 * argument errors (EINVAL, ESRCH, EFAULT), policy and priority checks,
 * SCHED_DEADLINE's parameter checks, the flags (RESET_ON_FORK,
 * KEEP_POLICY, KEEP_PARAMS, unknown bits), nice through a fair policy,
 * getattr's size, agreement with sched_getscheduler/getpriority, and an
 * unprivileged caller's EPERMs.
 */
#include "t.h"
#include <linux/sched.h>
#include <sched.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>

/* <linux/sched/types.h>'s struct (that header's sched_param clashes with libc's). */
struct sched_attr {
	uint32_t size, sched_policy;
	uint64_t sched_flags;
	int32_t sched_nice;
	uint32_t sched_priority;
	uint64_t sched_runtime, sched_deadline, sched_period;
	uint32_t sched_util_min, sched_util_max;
};

static long setattr(pid_t pid, void *at, unsigned int flags)
{
	return syscall(SYS_sched_setattr, pid, at, flags);
}

static long getattr(pid_t pid, void *at, unsigned int size, unsigned int flags)
{
	return syscall(SYS_sched_getattr, pid, at, size, flags);
}

static struct sched_attr attr(unsigned int policy, unsigned int prio, int nice)
{
	struct sched_attr a;

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.sched_policy = policy;
	a.sched_priority = prio;
	a.sched_nice = nice;
	return a;
}

static struct sched_attr dl(uint64_t runtime, uint64_t deadline, uint64_t period)
{
	struct sched_attr a = attr(SCHED_DEADLINE, 0, 0);

	a.sched_runtime = runtime;
	a.sched_deadline = deadline;
	a.sched_period = period;
	return a;
}

/* Run fn in a child with uid/euid 65534; its exit status is the result. */
static int as_nobody(int (*fn)(void))
{
	pid_t pid = fork();
	int st = -1;

	if (pid == 0) {
		if (getuid() == 0 && setresuid(65534, 65534, 65534) != 0)
			_exit(100);
		_exit(fn());
	}
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static int nobody_checks(void)
{
	struct sched_attr a = attr(SCHED_FIFO, 5, 0);

	if (setattr(0, &a, 0) != -1 || errno != EPERM)
		return 1;		/* a real-time policy */
	a = attr(SCHED_OTHER, 0, 5);
	if (setattr(0, &a, 0) != 0)
		return 2;		/* nice up is allowed */
	a = attr(SCHED_OTHER, 0, 0);
	if (setattr(0, &a, 0) != -1 || errno != EPERM)
		return 3;		/* and down is not */
	a = dl(1000000, 10000000, 10000000);
	if (setattr(0, &a, 0) != -1 || errno != EPERM)
		return 4;		/* SCHED_DEADLINE */
	a = dl(1000, 1000000, 1000000);
	if (setattr(1, &a, 0) != -1 || errno != EINVAL)
		return 5;		/* invalid parameters come first */
	a = attr(SCHED_OTHER, 0, 5);
	if (setattr(1, &a, 0) != -1 || errno != EPERM)
		return 6;		/* another user's process */
	a = attr(SCHED_IDLE, 0, 5);
	if (setattr(0, &a, 0) != 0)
		return 7;
	a = attr(SCHED_OTHER, 0, 5);
	if (setattr(0, &a, 0) != -1 || errno != EPERM)
		return 8;		/* out of SCHED_IDLE needs the nice allowed */
	return 0;
}

int main(void)
{
	struct sched_attr a, g;
	unsigned char big[256];
	pid_t pid;
	int st;

	t_start();
	a = attr(SCHED_OTHER, 0, 0);
	CHECK_ERR(setattr(0, NULL, 0), EINVAL, "setattr NULL");
	CHECK_ERR(setattr(-1, &a, 0), EINVAL, "setattr pid -1");
	CHECK_ERR(setattr(0, &a, 1), EINVAL, "setattr flags 1");
	CHECK_ERR(setattr(0, (void *)8, 0), EFAULT, "setattr bad pointer");
	CHECK_ERR(setattr(99999, &a, 0), ESRCH, "setattr unused pid");
	a.size = 47;
	CHECK_ERR(setattr(0, &a, 0), E2BIG, "size 47: E2BIG");
	check(a.size == 56, "the kernel's size is written back", "%u", a.size);
	a.size = 8192;
	CHECK_ERR(setattr(0, &a, 0), E2BIG, "size above a page: E2BIG");
	a = attr(SCHED_OTHER, 0, 0);
	a.size = 0;
	CHECK_OK(setattr(0, &a, 0), "size 0 is VER0");
	a.size = 48;
	CHECK_OK(setattr(0, &a, 0), "size 48 (VER0)");
	memset(big, 0, sizeof(big));
	a.size = 128;
	memcpy(big, &a, sizeof(a));
	CHECK_OK(setattr(0, big, 0), "size 128 with a zero tail");
	big[100] = 1;
	CHECK_ERR(setattr(0, big, 0), E2BIG, "size 128 with a nonzero tail");
	check(((struct sched_attr *)big)->size == 56, "E2BIG writes 56 back", "%u",
	      ((struct sched_attr *)big)->size);

	a = attr(7, 0, 0);
	CHECK_ERR(setattr(0, &a, 0), EINVAL, "policy 7");
	a = attr((unsigned int)-1, 0, 0);
	CHECK_ERR(setattr(0, &a, 0), EINVAL, "policy -1");
	a = attr(SCHED_FIFO, 0, 0);
	CHECK_ERR(setattr(0, &a, 0), EINVAL, "SCHED_FIFO priority 0");
	a = attr(SCHED_RR, 100, 0);
	CHECK_ERR(setattr(0, &a, 0), EINVAL, "SCHED_RR priority 100");
	a = attr(SCHED_OTHER, 1, 0);
	CHECK_ERR(setattr(0, &a, 0), EINVAL, "SCHED_OTHER priority 1");
	a = attr(SCHED_OTHER, 0, 0);
	a.sched_flags = 0x80;
	CHECK_ERR(setattr(0, &a, 0), EINVAL, "an unknown sched_flags bit");
	a.sched_flags = SCHED_FLAG_UTIL_CLAMP_MIN;
	a.size = 48;
	CHECK_ERR(setattr(0, &a, 0), EINVAL, "UTIL_CLAMP with a VER0 size");

	a = dl(1000000, 0, 0);
	CHECK_ERR(setattr(0, &a, 0), EINVAL, "DEADLINE deadline 0");
	a = dl(1000, 1000000, 1000000);
	CHECK_ERR(setattr(0, &a, 0), EINVAL, "DEADLINE runtime below 1024 ns");
	a = dl(2000000, 1000000, 1000000);
	CHECK_ERR(setattr(0, &a, 0), EINVAL, "DEADLINE runtime above deadline");
	a = dl(1000000, 2000000, 1500000);
	CHECK_ERR(setattr(0, &a, 0), EINVAL, "DEADLINE deadline above period");
	a = dl(10000, 50000, 50000);
	CHECK_ERR(setattr(0, &a, 0), EINVAL, "DEADLINE period below 100 us");
	a = dl(1000000, 10000000, 10000000000ULL);
	CHECK_ERR(setattr(0, &a, 0), EINVAL, "DEADLINE period above 4.19 s");
	a = dl(1000000, 1ULL << 63, 0);
	CHECK_ERR(setattr(0, &a, 0), EINVAL, "DEADLINE deadline with bit 63");
	a = dl(1000000, 10000000, 10000000);
	a.sched_priority = 1;
	CHECK_ERR(setattr(0, &a, 0), EINVAL, "DEADLINE with a priority");

	/* Nice through SCHED_OTHER, then a real-time policy and back. */
	a = attr(SCHED_OTHER, 0, 7);
	CHECK_OK(setattr(0, &a, 0), "SCHED_OTHER nice 7");
	check(getpriority(PRIO_PROCESS, 0) == 7, "getpriority sees nice 7", "%d",
	      getpriority(PRIO_PROCESS, 0));
	a = attr(SCHED_BATCH, 0, 40);
	CHECK_OK(setattr(0, &a, 0), "SCHED_BATCH nice 40 is clamped");
	memset(&g, 0xff, sizeof(g));
	CHECK_OK(getattr(0, &g, sizeof(g), 0), "getattr");
	check(g.size == 56 && g.sched_policy == SCHED_BATCH && g.sched_nice == 19 &&
	      g.sched_priority == 0 && g.sched_flags == 0 && g.sched_deadline == 0 &&
	      g.sched_period == 0 && g.sched_util_min == 0 && g.sched_util_max == 0,
	      "getattr: SCHED_BATCH, nice 19", "size %u policy %u nice %d prio %u flags %llx",
	      g.size, g.sched_policy, g.sched_nice, g.sched_priority,
	      (unsigned long long)g.sched_flags);
	a = attr(SCHED_FIFO, 10, 0);
	a.sched_flags = SCHED_FLAG_RESET_ON_FORK;
	CHECK_OK(setattr(0, &a, 0), "SCHED_FIFO 10 with RESET_ON_FORK");
	check(sched_getscheduler(0) == (SCHED_FIFO | SCHED_RESET_ON_FORK),
	      "sched_getscheduler agrees", "%d", sched_getscheduler(0));
	check(getpriority(PRIO_PROCESS, 0) == 19, "a real-time policy keeps nice", "%d",
	      getpriority(PRIO_PROCESS, 0));
	memset(&g, 0, sizeof(g));
	CHECK_OK(getattr(0, &g, 48, 0), "getattr with a VER0 size");
	check(g.size == 48 && g.sched_policy == SCHED_FIFO && g.sched_priority == 10 &&
	      g.sched_flags == SCHED_FLAG_RESET_ON_FORK && g.sched_nice == 0,
	      "getattr: FIFO 10, RESET_ON_FORK, size 48", "size %u policy %u prio %u flags %llx nice %d",
	      g.size, g.sched_policy, g.sched_priority, (unsigned long long)g.sched_flags,
	      g.sched_nice);
	pid = fork();
	if (pid == 0)
		_exit(sched_getscheduler(0) == SCHED_OTHER && getpriority(PRIO_PROCESS, 0) == 0 ? 0 : 1);
	check(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "the fork child is reset to SCHED_OTHER with nice 0", "status %#x", st);
	a = attr(SCHED_RR, 20, 0);
	a.sched_flags = SCHED_FLAG_KEEP_POLICY | SCHED_FLAG_RESET_ON_FORK;
	CHECK_OK(setattr(0, &a, 0), "KEEP_POLICY with a new priority");
	check(sched_getscheduler(0) == (SCHED_FIFO | SCHED_RESET_ON_FORK),
	      "KEEP_POLICY kept SCHED_FIFO", "%d", sched_getscheduler(0));
	memset(&g, 0, sizeof(g));
	getattr(0, &g, sizeof(g), 0);
	check(g.sched_priority == 20, "and took priority 20", "%u", g.sched_priority);
	a = attr(SCHED_RR, 0, 0);
	a.sched_flags = SCHED_FLAG_KEEP_PARAMS | SCHED_FLAG_RESET_ON_FORK;
	CHECK_OK(setattr(0, &a, 0), "KEEP_PARAMS with a new policy");
	memset(&g, 0, sizeof(g));
	getattr(0, &g, sizeof(g), 0);
	check(g.sched_policy == SCHED_FIFO && g.sched_priority == 20,
	      "KEEP_PARAMS changes neither policy nor priority", "policy %u prio %u",
	      g.sched_policy, g.sched_priority);
	a = attr(SCHED_RR, 0, 0);
	a.sched_flags = SCHED_FLAG_KEEP_PARAMS;
	CHECK_OK(setattr(0, &a, 0), "KEEP_PARAMS without RESET_ON_FORK");
	check(sched_getscheduler(0) == SCHED_FIFO, "only the RESET_ON_FORK flag changed", "%d",
	      sched_getscheduler(0));
	a = attr(SCHED_OTHER, 0, 0);
	CHECK_OK(setattr(0, &a, 0), "back to SCHED_OTHER nice 0");

	CHECK_ERR(getattr(0, NULL, 56, 0), EINVAL, "getattr NULL");
	CHECK_ERR(getattr(-1, &g, 56, 0), EINVAL, "getattr pid -1");
	CHECK_ERR(getattr(0, &g, 47, 0), EINVAL, "getattr size 47");
	CHECK_ERR(getattr(0, &g, 8192, 0), EINVAL, "getattr size above a page");
	CHECK_ERR(getattr(0, &g, 56, 1), EINVAL, "getattr flags 1");
	CHECK_ERR(getattr(99999, &g, 56, 0), ESRCH, "getattr unused pid");
	CHECK_ERR(getattr(0, (void *)8, 56, 0), EFAULT, "getattr bad pointer");
	memset(big, 0xaa, sizeof(big));
	CHECK_OK(getattr(0, big, 128, 0), "getattr size 128");
	check(((struct sched_attr *)big)->size == 56 && big[56] == 0 && big[127] == 0 &&
	      big[128] == 0xaa, "size 56, the rest of the 128 zeroed", "size %u byte56 %#x",
	      ((struct sched_attr *)big)->size, big[56]);

	st = as_nobody(nobody_checks);
	check(st == 0, "an unprivileged caller's EPERMs", "step %d", st);
	return t_done();
}
