/*
 * cputime.c - CPU time: what each thread's guest code ran (utime, from the
 * host's accounting of its stub) and its syscalls took (stime, measured in
 * arch/um/kernel/syscall.c); the CPU-time clocks over them; and what fires
 * on them, checked whenever a guest stops (a trap, a fault, the tick):
 * ITIMER_VIRTUAL (user time), ITIMER_PROF (user + system), RLIMIT_CPU
 * (SIGXCPU each second past the soft limit, SIGKILL at the hard one), and
 * POSIX timers and clock_nanosleep on CPU clocks (kernel/posix-timers.c).
 */
#include "kernel/kernel.h"
#include "kernel/cputime.h"
#include "kernel/mm.h"
#include "kernel/platform.h"
#include "kernel/posix-timers.h"
#include "kernel/sched.h"
#include "uapi/linux/resource.h"
#include "uapi/linux/time.h"

#define NSEC	1000000000ULL

/*
 * Linux's encoding (include/linux/posix-timers_types.h): a negative
 * clockid_t is ~pid << 3 | thread << 2 | which; 0 names the caller.
 */
int cpu_clock_decode(int clk, struct cpu_clock *c)
{
	struct task *p;
	pid_t pid;

	if (clk == CLOCK_PROCESS_CPUTIME_ID || clk == CLOCK_THREAD_CPUTIME_ID) {
		c->thread = clk == CLOCK_THREAD_CPUTIME_ID;
		c->pid = c->thread ? current->pid : current->tgid;
		c->which = CPUCLOCK_SCHED;
		return 0;
	}
	if (clk >= 0)
		return 1;
	c->which = clk & 3;
	c->thread = (clk & 4) != 0;
	pid = ~(clk >> 3);
	if (c->which > CPUCLOCK_SCHED)
		return -EINVAL;
	if (pid == 0) {
		c->pid = c->thread ? current->pid : current->tgid;
		return 0;
	}
	p = find_task(pid);
	if (p == NULL || p->state == TASK_DEAD || (p->mm == NULL && p->state != TASK_ZOMBIE))
		return -EINVAL;
	/* A thread clock of the caller's own process; a process clock of a leader. */
	if (c->thread ? p->signal != current->signal : p->group_leader != p)
		return -EINVAL;
	c->pid = pid;
	return 0;
}

long cpu_clock_sample(const struct cpu_clock *c, u64 *ns)
{
	struct task *p = find_task(c->pid);
	u64 u, s;

	if (p == NULL)
		return -ESRCH;
	if (c->thread) {
		cputime_sync(p);
		u = p->utime_ns;
		s = p->stime_ns;
	} else {
		thread_group_times(p, &u, &s);
	}
	*ns = c->which == CPUCLOCK_VIRT ? u : u + s;
	return 0;
}

/*
 * A process whose one thread is alone on its mm needs no sample of its
 * stub's CPU clock (a host syscall) at every stop: whatever the clock
 * gains between two samples is that thread's.  So with no CPU timer armed
 * its stops take a sample at most LAZY_NS of wall time apart, and
 * cputime_sync() catches up before anything reads the thread's utime or
 * another thread (or exec, or exit) takes the mm.
 */
#define LAZY_NS	1000000ULL

/* Charges t what t's stub ran since the last sample (wall_ns if unknown). */
static void sample(struct task *t, u64 wall_ns)
{
	struct mm *mm = t->mm;
	int who = 0;
	s64 now = mm && platform->cputime ? platform->cputime(mm, &who) : -1;

	if (now >= 0 && mm->cputime_pid == who) {
		t->utime_ns += (u64)now >= mm->cputime_seen ? (u64)now - mm->cputime_seen : 0;
	} else {
		t->utime_ns += wall_ns;	/* a new stub: from the next stop on */
		if (mm)
			mm->cputime_pid = now >= 0 ? who : 0;
	}
	if (now >= 0)
		mm->cputime_seen = (u64)now;
	if (mm) {
		mm->cputime_lazy = NULL;
		mm->cputime_at = os_monotonic_ns();
	}
}

static bool cputimers_armed(struct task *t)
{
	struct signal_struct *sig = t->signal;

	return sig->it_virt.expires || sig->it_prof.expires ||
	       sig->rlim[RLIMIT_CPU].cur != RLIM_INFINITY ||
	       sig->rlim[RLIMIT_CPU].max != RLIM_INFINITY || !list_empty(&sig->posix_timers) ||
	       posix_cpu_others_any();
}

void cputime_sync(struct task *t)
{
	if (t->mm && t->mm->cputime_lazy == t)
		sample(t, 0);
}

void account_guest(struct task *t, u64 wall_ns, u64 now)
{
	struct mm *mm = t->mm;

	if (mm && mm->cputime_lazy && mm->cputime_lazy != t)
		cputime_sync(mm->cputime_lazy);	/* its time, before t's */
	if (mm && mm->users == 1 && mm->cputime_pid && !cputimers_armed(t) &&
	    now - mm->cputime_at < LAZY_NS) {
		mm->cputime_lazy = t;
		return;
	}
	sample(t, wall_ns);
	cputimers_check(t);
}

/* One interval timer on the process's CPU time: its signal when due. */
static void cpu_itimer_fire(struct task *t, struct cpu_itimer *it, u64 now, int sig)
{
	if (it->expires == 0 || now < it->expires)
		return;
	if (it->interval == 0) {
		it->expires = 0;
	} else {	/* the next period after now (Linux counts the missed ones as lost) */
		u64 missed = (now - it->expires) / it->interval;

		it->expires += (missed + 1) * it->interval;
	}
	send_sig(t, sig);
}

/*
 * RLIMIT_CPU, as Linux's check_process_timers: at the hard limit SIGKILL;
 * at the soft limit SIGXCPU, and the soft limit moves a second on (up to
 * the hard one), so SIGXCPU comes again each second.
 */
static void rlimit_cpu_check(struct task *t, u64 now)
{
	struct krlimit *l = &t->signal->rlim[RLIMIT_CPU];

	if (l->max != RLIM_INFINITY && now >= l->max * NSEC) {
		send_sig(t, SIGKILL);
		return;
	}
	if (l->cur == RLIM_INFINITY || now < l->cur * NSEC)
		return;
	send_sig(t, SIGXCPU);
	if (l->cur < l->max)
		l->cur++;
}

void cputimers_check(struct task *t)
{
	struct signal_struct *sig = t->signal;
	u64 u, s;

	posix_cpu_others_check(t);
	if (sig->it_virt.expires == 0 && sig->it_prof.expires == 0 &&
	    sig->rlim[RLIMIT_CPU].cur == RLIM_INFINITY && sig->rlim[RLIMIT_CPU].max == RLIM_INFINITY &&
	    list_empty(&sig->posix_timers))
		return;
	thread_group_times(t, &u, &s);
	cpu_itimer_fire(t, &sig->it_virt, u, SIGVTALRM);
	cpu_itimer_fire(t, &sig->it_prof, u + s, SIGPROF);
	rlimit_cpu_check(t, u + s);
	posix_cpu_timers_check(t);
}

static struct cpu_itimer *cpu_itimer_of(struct task *t, int which, u64 *now)
{
	u64 u, s;

	thread_group_times(t, &u, &s);
	*now = which == ITIMER_VIRTUAL ? u : u + s;
	return which == ITIMER_VIRTUAL ? &t->signal->it_virt : &t->signal->it_prof;
}

void cpu_itimer_get(struct task *t, int which, u64 *value, u64 *interval)
{
	u64 now;
	struct cpu_itimer *it = cpu_itimer_of(t, which, &now);

	*interval = it->interval;
	if (it->expires == 0)
		*value = 0;
	else	/* at least a microsecond while armed, as getitimer(2) rounds */
		*value = it->expires > now ? it->expires - now : 1000;
}

void cpu_itimer_set(struct task *t, int which, u64 value, u64 interval)
{
	u64 now;
	struct cpu_itimer *it = cpu_itimer_of(t, which, &now);

	it->interval = interval;
	it->expires = value ? now + value : 0;
}
