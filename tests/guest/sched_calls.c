/*
 * sched_calls.c - the sched_* calls: affinity (the CPU it runs on is in
 * its mask; a mask of just that CPU is accepted, an empty one or one of
 * no CPU EINVAL; an unused pid ESRCH; a length not a multiple of a long
 * EINVAL); policies and priorities (FIFO/RR with 1..99, the others 0,
 * read back by getscheduler/getparam, priority_max/min, rr_get_interval,
 * SCHED_RESET_ON_FORK), nice values through setpriority/getpriority, and
 * every error Linux gives.
 */
#include "t.h"
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#ifndef SCHED_RESET_ON_FORK
#define SCHED_RESET_ON_FORK 0x40000000
#endif

static int in_child(int (*fn)(void))
{
	int st;
	pid_t pid = fork();

	if (pid == 0)
		_exit(fn());
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 100;
}

static int child_policy(void)
{
	struct sched_param sp;

	sched_getparam(0, &sp);
	return sched_getscheduler(0) * 10 + (sp.sched_priority != 0);
}

static int child_user_nice(void)
{
	if (setresuid(1000, 1000, 1000))
		return 10;
	if (setpriority(PRIO_PROCESS, 0, 10))
		return 11;
	if (setpriority(PRIO_PROCESS, 0, 5) != -1 || errno != EACCES)
		return 12;
	struct sched_param sp = { 5 };
	if (sched_setscheduler(0, SCHED_FIFO, &sp) != -1 || errno != EPERM)
		return 13;
	if (sched_setscheduler(1, SCHED_OTHER, &(struct sched_param){ 0 }) != -1 || errno != EPERM)
		return 14;
	return 0;
}

int main(void)
{
	cpu_set_t set, one;
	struct sched_param sp;
	struct timespec ts;
	int cpu = sched_getcpu();

	t_start();
	check(sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) >= 1 && CPU_ISSET(cpu, &set),
	      "the CPU it runs on is in its mask", "cpu %d", cpu);
	long sz = syscall(SYS_sched_getaffinity, 0, sizeof(set), &set);
	check(sz >= 8 && sz % 8 == 0, "the raw call returns the mask's size, in longs", "%ld", sz);
	CHECK_ERR(syscall(SYS_sched_getaffinity, 0x3ffffff0, sizeof(set), &set), ESRCH, "getaffinity unused pid");
	CHECK_ERR(syscall(SYS_sched_getaffinity, 0, 12, &set), EINVAL, "getaffinity length 12");
	CHECK_ERR(syscall(SYS_sched_getaffinity, 0, sizeof(set), (void *)8), EFAULT, "getaffinity bad mask");
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	CHECK_OK(sched_setaffinity(0, sizeof(one), &one), "setaffinity to its own CPU");
	CPU_ZERO(&one);
	CHECK_ERR(sched_setaffinity(0, sizeof(one), &one), EINVAL, "setaffinity empty");
	CPU_SET(1000, &one);
	CHECK_ERR(sched_setaffinity(0, sizeof(one), &one), EINVAL, "setaffinity to no CPU");
	CHECK_ERR(sched_setaffinity(0x3ffffff0, sizeof(set), &set), ESRCH, "setaffinity unused pid");
	sched_setaffinity(0, sizeof(set), &set);

	check(sched_getscheduler(0) == SCHED_OTHER, "SCHED_OTHER at first", "%d", sched_getscheduler(0));
	check(sched_get_priority_max(SCHED_FIFO) == 99 && sched_get_priority_min(SCHED_FIFO) == 1 &&
	      sched_get_priority_max(SCHED_RR) == 99 && sched_get_priority_max(SCHED_OTHER) == 0 &&
	      sched_get_priority_min(SCHED_BATCH) == 0 && sched_get_priority_max(SCHED_IDLE) == 0,
	      "priority ranges", "other");
	CHECK_ERR(sched_get_priority_max(99), EINVAL, "priority_max of no policy");
	CHECK_ERR(sched_get_priority_min(-1), EINVAL, "priority_min(-1)");
	sp.sched_priority = 10;
	CHECK_OK(sched_setscheduler(0, SCHED_FIFO, &sp), "setscheduler FIFO 10");
	sp.sched_priority = 0;
	sched_getparam(0, &sp);
	check(sched_getscheduler(0) == SCHED_FIFO && sp.sched_priority == 10, "read back FIFO 10", "%d %d",
	      sched_getscheduler(0), sp.sched_priority);
	CHECK_OK(sched_rr_get_interval(0, &ts), "rr_get_interval");
	check(ts.tv_sec == 0 && ts.tv_nsec == 0, "FIFO has no time slice", "%ld", ts.tv_nsec);
	sp.sched_priority = 20;
	CHECK_OK(sched_setparam(0, &sp), "setparam 20");
	sched_getparam(0, &sp);
	check(sp.sched_priority == 20 && sched_getscheduler(0) == SCHED_FIFO, "setparam keeps the policy", "%d",
	      sp.sched_priority);
	sp.sched_priority = 5;
	CHECK_OK(sched_setscheduler(0, SCHED_RR, &sp), "setscheduler RR 5");
	sched_rr_get_interval(0, &ts);
	check(ts.tv_sec == 0 && ts.tv_nsec == 100000000, "RR slice: 100 ms", "%ld", ts.tv_nsec);
	check(in_child(child_policy) == SCHED_RR * 10 + 1, "a child keeps RR", "%d", in_child(child_policy));
	CHECK_OK(sched_setscheduler(0, SCHED_RR | SCHED_RESET_ON_FORK, &sp), "RR | RESET_ON_FORK");
	check(sched_getscheduler(0) == (SCHED_RR | SCHED_RESET_ON_FORK), "getscheduler shows the flag", "%x",
	      sched_getscheduler(0));
	check(in_child(child_policy) == 0, "a child of RESET_ON_FORK runs SCHED_OTHER", "%d",
	      in_child(child_policy));
	sp.sched_priority = 0;
	CHECK_OK(sched_setscheduler(0, SCHED_OTHER, &sp), "back to OTHER");

	sp.sched_priority = 0;
	CHECK_ERR(sched_setscheduler(0, SCHED_FIFO, &sp), EINVAL, "FIFO with priority 0");
	sp.sched_priority = 100;
	CHECK_ERR(sched_setscheduler(0, SCHED_RR, &sp), EINVAL, "RR with priority 100");
	sp.sched_priority = 3;
	CHECK_ERR(sched_setscheduler(0, SCHED_BATCH, &sp), EINVAL, "BATCH with priority 3");
	sp.sched_priority = 0;
	CHECK_ERR(sched_setscheduler(0, 77, &sp), EINVAL, "no such policy");
	CHECK_ERR(sched_setscheduler(-1, SCHED_OTHER, &sp), EINVAL, "pid -1");
	CHECK_ERR(syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, NULL), EINVAL, "NULL param");
	CHECK_ERR(syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, (void *)8), EFAULT, "bad param");
	CHECK_ERR(sched_setscheduler(0x3ffffff0, SCHED_OTHER, &sp), ESRCH, "setscheduler unused pid");
	CHECK_ERR(sched_getscheduler(0x3ffffff0), ESRCH, "getscheduler unused pid");
	CHECK_ERR(sched_getscheduler(-5), EINVAL, "getscheduler(-5)");
	CHECK_ERR(syscall(SYS_sched_getparam, 0, NULL), EINVAL, "getparam NULL");
	CHECK_ERR(sched_rr_get_interval(0x3ffffff0, &ts), ESRCH, "rr_get_interval unused pid");
	CHECK_OK(sched_setscheduler(0, SCHED_BATCH, &sp), "BATCH");
	CHECK_OK(sched_setscheduler(0, SCHED_IDLE, &sp), "IDLE");
	CHECK_OK(sched_setscheduler(0, SCHED_OTHER, &sp), "OTHER again");

	CHECK_OK(setpriority(PRIO_PROCESS, 0, 5), "nice 5");
	errno = 0;
	check(getpriority(PRIO_PROCESS, 0) == 5 && errno == 0, "getpriority says 5", "%d", getpriority(PRIO_PROCESS, 0));
	check(syscall(SYS_getpriority, PRIO_PROCESS, 0) == 15, "the raw call says 20 - nice", "other");
	CHECK_OK(setpriority(PRIO_PROCESS, 0, 100), "nice 100 is clamped");
	check(getpriority(PRIO_PROCESS, 0) == 19, "to 19", "%d", getpriority(PRIO_PROCESS, 0));
	CHECK_OK(setpriority(PRIO_PROCESS, 0, 0), "nice 0 (root may raise)");
	CHECK_ERR(setpriority(7, 0, 0), EINVAL, "setpriority which 7");
	CHECK_ERR(setpriority(PRIO_PROCESS, 0x3ffffff0, 0), ESRCH, "setpriority unused pid");
	check(in_child(child_user_nice) == 0, "a user: lower only, no RT, not another's (EACCES/EPERM)", "step %d",
	      in_child(child_user_nice));
	return t_failed != 0;
}
