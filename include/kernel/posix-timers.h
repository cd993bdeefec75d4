/*
 * posix-timers.h - timer_create(2) timers (kernel/posix-timers.c), kept
 * per process on signal_struct.posix_timers.
 */
#ifndef KERNEL_POSIX_TIMERS_H
#define KERNEL_POSIX_TIMERS_H

#include "kernel/cputime.h"
#include "kernel/timer.h"

struct signal_struct;
struct task;

struct k_itimer {
	struct list_head list;		/* on sig->posix_timers */
	struct list_head cpu_node;	/* on another process's CPU clock: the foreign list */
	struct signal_struct *sig;	/* the owner (no reference: it frees its timers) */
	int id;
	int clock;
	int notify, signo;		/* SIGEV_*; the signal */
	u64 value;			/* sigev_value, for si_value */
	pid_t tid;			/* SIGEV_THREAD_ID's thread */
	bool cpu;			/* on a CPU clock: cc, cpu_expires */
	struct cpu_clock cc;
	u64 cpu_expires;		/* that clock's value when due; 0 disarmed */
	struct ktimer kt;		/* the other clocks: monotonic ns */
	u64 interval;
	int overrun_queued;		/* the overrun in the signal last queued */
	int overrun_last;		/* the one before it (delivered) */
};

void posix_timers_exit(struct signal_struct *sig);	/* the process is gone or execs */
void posix_cpu_timers_check(struct task *t);		/* fires the CPU timers due */
/* t's guest ran: fires the timers other processes set on its clocks and
 * wakes the clock_nanosleep()s on them that are due. */
void posix_cpu_others_check(struct task *t);
bool posix_cpu_others_any(void);	/* any timer or sleeper on another process's CPU clock */
/* clock_nanosleep(2) on the CPU clock cc.  May sleep. */
long cpu_clock_nanosleep(const struct cpu_clock *cc, bool abs, u64 ns, uaddr_t rem);

#endif
