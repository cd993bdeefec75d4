/*
 * cputime.h - CPU time (kernel/cputime.c): what guests have run, as the
 * host charged it to their stubs, the CPU-time clocks over it, and what
 * fires on it (ITIMER_VIRTUAL/PROF, RLIMIT_CPU, POSIX timers on CPU
 * clocks).
 */
#ifndef KERNEL_CPUTIME_H
#define KERNEL_CPUTIME_H

#include "kernel/types.h"

struct task;

/* A CPU-time clock decoded from a clockid_t (Linux's CPUCLOCK_* encoding). */
enum { CPUCLOCK_PROF, CPUCLOCK_VIRT, CPUCLOCK_SCHED };
struct cpu_clock {
	pid_t pid;		/* the thread or process (group leader) it reads */
	bool thread;
	int which;		/* CPUCLOCK_* */
};

/* 0 and c filled for a CPU clock, 1 for another clock, -EINVAL for a bad one. */
int cpu_clock_decode(int clk, struct cpu_clock *c);
/* Its value now; -ESRCH once its task is gone. */
long cpu_clock_sample(const struct cpu_clock *c, u64 *ns);

/*
 * t's guest ran until now: charge it what the host charged its stub since
 * the last call (wall_ns when the host cannot say), then fire what is due.
 */
void account_guest(struct task *t, u64 wall_ns, u64 now);	/* now: the clock at its end */
/* t's utime up to date (account_guest may leave it behind): before a read. */
void cputime_sync(struct task *t);
void cputimers_check(struct task *t);	/* fires what is due for t's process */

/* ITIMER_VIRTUAL and ITIMER_PROF of t's process: ns left and period. */
void cpu_itimer_get(struct task *t, int which, u64 *value, u64 *interval);
void cpu_itimer_set(struct task *t, int which, u64 value, u64 interval);

#endif
