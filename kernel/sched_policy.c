/*
 * sched_policy.c - what a task asks of the scheduler: nice values
 * (getpriority/setpriority), policies and real-time priorities
 * (sched_setscheduler and friends) and CPU affinity.  All are checked and
 * kept as Linux does, inherited at fork (SCHED_RESET_ON_FORK resets a
 * real-time policy and a negative nice); the scheduler itself runs every
 * task alike on the one CPU, CPU 0, which is therefore the only CPU an
 * affinity mask may name.
 */
#include "kernel/kernel.h"
#include "kernel/mm.h"
#include "kernel/sched.h"
#include "kernel/syscalls.h"
#include "uapi/linux/resource.h"
#include "uapi/linux/sched.h"
#include "uapi/linux/sched_types.h"

#define MAX_RT_PRIO	99
#define RR_TIMESLICE_NS	100000000ULL	/* Linux's sched_rr_timeslice_ms: 100 */
#define CPUMASK_BYTES	8		/* one long: nr_cpu_ids <= 64 */

/* The process or thread pid names (0: the caller), or NULL. */
static struct task *sched_task(struct task *t, pid_t pid)
{
	struct task *p = pid ? find_task(pid) : t;

	if (p == NULL || p->mm == NULL || p->state == TASK_ZOMBIE || p->state == TASK_DEAD)
		return NULL;
	return p;
}

/* Linux's check_same_owner, or CAP_SYS_NICE (euid 0). */
static bool may_sched(struct task *t, struct task *p)
{
	return t->euid == 0 || t->euid == p->euid || t->euid == p->uid;
}

/*
 * Linux's getpriority/setpriority over PRIO_PROCESS, PRIO_PGRP and
 * PRIO_USER: each task matched gets fn.  -EINVAL for which, -ESRCH when
 * none matches, else fn's worst result (for set: EPERM before EACCES).
 */
static long prio_each(struct task *t, int which, int who, long (*fn)(struct task *, struct task *, long),
		      long arg)
{
	struct task *q;
	long r = -ESRCH, one;

	if (which < PRIO_PROCESS || which > PRIO_USER)
		return -EINVAL;
	if (who == 0)
		who = which == PRIO_PROCESS ? t->pid : which == PRIO_PGRP ? t->pgid : (int)t->uid;
	list_for_each_entry(q, &all_tasks, tasks) {
		if (q->mm == NULL || q->state == TASK_ZOMBIE || q->state == TASK_DEAD)
			continue;
		if (which == PRIO_PROCESS ? q->pid != who : which == PRIO_PGRP ? q->pgid != who :
		    q->uid != (uid_t)who)
			continue;
		one = fn(t, q, arg);
		if (r == -ESRCH || (one < 0 && r >= 0) || (r < 0 && one < 0 && one == -EPERM) ||
		    (r >= 0 && one > r))
			r = one;
	}
	return r;
}

static long prio_get(struct task *t, struct task *q, long arg)
{
	return 20 - q->nice;		/* the syscall's 1..40 form of the highest */
}

static long prio_set(struct task *t, struct task *q, long nice)
{
	if (!may_sched(t, q))
		return -EPERM;
	if (nice < q->nice && t->euid != 0)
		return -EACCES;		/* raising priority needs CAP_SYS_NICE */
	q->nice = (int)nice;
	return 0;
}

SYSCALL(getpriority)
{
	return prio_each(t, (int)a[0], (int)a[1], prio_get, 0);
}

SYSCALL(setpriority)
{
	long nice = (int)a[2];

	nice = nice < -20 ? -20 : nice > 19 ? 19 : nice;
	return prio_each(t, (int)a[0], (int)a[1], prio_set, nice);
}

static bool policy_valid(int policy)
{
	return policy == SCHED_NORMAL || policy == SCHED_FIFO || policy == SCHED_RR ||
	       policy == SCHED_BATCH || policy == SCHED_IDLE;
}

static bool policy_rt(int policy)
{
	return policy == SCHED_FIFO || policy == SCHED_RR;
}

/* Linux's __sched_setscheduler checks, then the change.  policy -1 keeps it. */
static long setscheduler(struct task *t, pid_t pid, int policy, uaddr_t param)
{
	bool reset = false;
	struct task *p;
	int prio;

	if (uaddr_is_null(param) || pid < 0)
		return -EINVAL;
	if (get_user(prio, param))
		return -EFAULT;
	p = sched_task(t, pid);
	if (p == NULL)
		return -ESRCH;
	if (policy < 0) {
		policy = p->policy;
		reset = p->reset_on_fork;
	} else {
		reset = (policy & SCHED_RESET_ON_FORK) != 0;
		policy &= ~SCHED_RESET_ON_FORK;
		if (!policy_valid(policy))
			return -EINVAL;
	}
	if (prio < 0 || prio > MAX_RT_PRIO || policy_rt(policy) != (prio != 0))
		return -EINVAL;
	if (t->euid != 0 && (policy_rt(policy) || !may_sched(t, p) ||
			     (p->reset_on_fork && !reset)))
		return -EPERM;
	p->policy = policy;
	p->rt_priority = prio;
	p->reset_on_fork = reset;
	return 0;
}

SYSCALL(sched_setscheduler)
{
	if ((int)a[1] < 0)
		return -EINVAL;
	return setscheduler(t, (pid_t)a[0], (int)a[1], UADDR(a[2]));
}

SYSCALL(sched_setparam)
{
	return setscheduler(t, (pid_t)a[0], -1, UADDR(a[1]));
}

SYSCALL(sched_getscheduler)
{
	struct task *p;

	if ((pid_t)a[0] < 0)
		return -EINVAL;
	p = sched_task(t, (pid_t)a[0]);
	if (p == NULL)
		return -ESRCH;
	return p->policy | (p->reset_on_fork ? SCHED_RESET_ON_FORK : 0);
}

SYSCALL(sched_getparam)
{
	uaddr_t param = UADDR(a[1]);
	struct task *p;

	if (uaddr_is_null(param) || (pid_t)a[0] < 0)
		return -EINVAL;
	p = sched_task(t, (pid_t)a[0]);
	if (p == NULL)
		return -ESRCH;
	return put_user(p->rt_priority, param) ? -EFAULT : 0;
}

SYSCALL(sched_get_priority_max)
{
	int policy = (int)a[0];

	if (policy_rt(policy))
		return MAX_RT_PRIO;
	return policy_valid(policy) || policy == SCHED_DEADLINE ? 0 : -EINVAL;
}

SYSCALL(sched_get_priority_min)
{
	int policy = (int)a[0];

	if (policy_rt(policy))
		return 1;
	return policy_valid(policy) || policy == SCHED_DEADLINE ? 0 : -EINVAL;
}

/* Linux's __checkparam_dl: runtime <= deadline <= period, in range. */
static bool dl_params_valid(const struct sched_attr *at)
{
	u64 period = at->sched_period ? at->sched_period : at->sched_deadline;

	if (at->sched_deadline == 0 || at->sched_runtime < (1ULL << 10))
		return false;		/* DL_SCALE: runtimes are in 1024 ns units */
	if ((at->sched_deadline | at->sched_period) & (1ULL << 63))
		return false;
	if (period < at->sched_deadline || at->sched_deadline < at->sched_runtime)
		return false;
	/* sched_dl_period_min_us 100, sched_dl_period_max_us 1 << 22 */
	return period >= 100000ULL && period <= (1ULL << 22) * 1000ULL;
}

/* The attributes p has now (Linux's get_params and sched_getattr). */
static void get_attr(struct task *p, struct sched_attr *at)
{
	at->sched_policy = (u32)p->policy;
	if (p->reset_on_fork)
		at->sched_flags |= SCHED_FLAG_RESET_ON_FORK;
	if (policy_rt(p->policy))
		at->sched_priority = (u32)p->rt_priority;
	else
		at->sched_nice = p->nice;
}

/*
 * sched_setattr: Linux's sched_copy_attr (a versioned struct: size 0 is
 * VER0, a wrong size is -E2BIG with the size the kernel knows written
 * back), then __sched_setscheduler's checks in its order.  A fair policy
 * takes sched_nice as well; SCHED_DEADLINE passes the parameter checks and
 * then fails admission (-EBUSY): this scheduler has no deadline bandwidth.
 */
SYSCALL(sched_setattr)
{
	uaddr_t uattr = UADDR(a[1]);
	pid_t pid = (pid_t)a[0];
	struct sched_attr at;
	u32 size, known = sizeof(at);
	int policy, prio;
	bool reset;
	struct task *p;
	u8 tail[64];

	if (uaddr_is_null(uattr) || pid < 0 || (unsigned int)a[2])
		return -EINVAL;
	if (get_user(size, uattr))
		return -EFAULT;
	if (size == 0)
		size = SCHED_ATTR_SIZE_VER0;
	if (size > PAGE_SIZE || size < SCHED_ATTR_SIZE_VER0)
		goto e2big;
	memset(&at, 0, sizeof(at));
	if (copy_from_user(&at, uattr, min(size, known)))
		return -EFAULT;
	for (u32 off = known; off < size; off += sizeof(tail)) {
		u32 n = min(size - off, (u32)sizeof(tail));

		if (copy_from_user(tail, uaddr_off(uattr, off), n))
			return -EFAULT;
		for (u32 i = 0; i < n; i++)
			if (tail[i])
				goto e2big;
	}
	if ((at.sched_flags & (SCHED_FLAG_UTIL_CLAMP_MIN | SCHED_FLAG_UTIL_CLAMP_MAX)) &&
	    size < SCHED_ATTR_SIZE_VER1)
		return -EINVAL;
	at.sched_nice = at.sched_nice < -20 ? -20 : at.sched_nice > 19 ? 19 : at.sched_nice;
	if ((int)at.sched_policy < 0)
		return -EINVAL;
	p = sched_task(t, pid);
	if (p == NULL)
		return -ESRCH;
	if (at.sched_flags & SCHED_FLAG_KEEP_PARAMS) {
		at.sched_priority = 0;
		at.sched_nice = 0;
		if (policy_rt(p->policy))
			at.sched_priority = (u32)p->rt_priority;
		else
			at.sched_nice = p->nice;
	}
	if (at.sched_flags & SCHED_FLAG_KEEP_POLICY) {
		policy = p->policy;
		reset = p->reset_on_fork;
	} else {
		policy = (int)at.sched_policy;
		reset = (at.sched_flags & SCHED_FLAG_RESET_ON_FORK) != 0;
		if (!policy_valid(policy) && policy != SCHED_DEADLINE)
			return -EINVAL;
	}
	if (at.sched_flags & ~(u64)SCHED_FLAG_ALL)
		return -EINVAL;
	if (at.sched_priority > MAX_RT_PRIO)
		return -EINVAL;
	prio = (int)at.sched_priority;
	if ((policy == SCHED_DEADLINE && !dl_params_valid(&at)) || policy_rt(policy) != (prio != 0))
		return -EINVAL;
	if (t->euid != 0 && ((policy != SCHED_DEADLINE && !policy_rt(policy) && at.sched_nice < p->nice) ||
			     policy_rt(policy) || policy == SCHED_DEADLINE ||
			     (p->policy == SCHED_IDLE && policy != SCHED_IDLE) ||
			     !may_sched(t, p) || (p->reset_on_fork && !reset)))
		return -EPERM;
	if (at.sched_flags & (SCHED_FLAG_UTIL_CLAMP_MIN | SCHED_FLAG_UTIL_CLAMP_MAX))
		return -EOPNOTSUPP;	/* as Linux without CONFIG_UCLAMP_TASK */
	if (policy == SCHED_DEADLINE)
		return -EBUSY;
	p->reset_on_fork = reset;
	if (at.sched_flags & SCHED_FLAG_KEEP_PARAMS)
		return 0;		/* Linux then leaves policy and parameters alone */
	p->policy = policy;
	p->rt_priority = prio;
	if (!policy_rt(policy))
		p->nice = at.sched_nice;
	return 0;
e2big:
	return put_user(known, uattr) ? -EFAULT : -E2BIG;
}

/* sched_getattr: as much of the struct as both sides know, size set to it,
 * the rest of the caller's usize bytes zeroed. */
SYSCALL(sched_getattr)
{
	uaddr_t uattr = UADDR(a[1]);
	u32 usize = (u32)a[2];
	struct sched_attr at;
	struct task *p;

	if (uaddr_is_null(uattr) || (pid_t)a[0] < 0 || usize > PAGE_SIZE ||
	    usize < SCHED_ATTR_SIZE_VER0 || (unsigned int)a[3])
		return -EINVAL;
	p = sched_task(t, (pid_t)a[0]);
	if (p == NULL)
		return -ESRCH;
	memset(&at, 0, sizeof(at));
	get_attr(p, &at);
	at.size = min(usize, (u32)sizeof(at));
	if (copy_to_user(uattr, &at, at.size))
		return -EFAULT;
	/* copy_struct_to_user: what the caller has past our struct is zeroed */
	if (usize > at.size && clear_user(uaddr_off(uattr, at.size), usize - at.size))
		return -EFAULT;
	return 0;
}

/* FIFO has no slice (0); RR Linux's 100 ms; the others a tick here. */
SYSCALL(sched_rr_get_interval)
{
	struct task *p;
	u64 ns;
	struct __kernel_timespec ts;

	if ((pid_t)a[0] < 0)
		return -EINVAL;
	p = sched_task(t, (pid_t)a[0]);
	if (p == NULL)
		return -ESRCH;
	ns = p->policy == SCHED_FIFO ? 0 : p->policy == SCHED_RR ? RR_TIMESLICE_NS : 1000000000ULL / HZ;
	ts.tv_sec = (s64)(ns / 1000000000ULL);
	ts.tv_nsec = (s64)(ns % 1000000000ULL);
	return copy_to_user(UADDR(a[1]), &ts, sizeof(ts)) ? -EFAULT : 0;
}

/*
 * Linux's sched_getaffinity: len must hold nr_cpu_ids bits and be a
 * multiple of a long; the mask's own size (one long) is copied and
 * returned, the rest of the buffer left alone.
 */
SYSCALL(sched_getaffinity)
{
	size_t len = (size_t)a[1];
	u64 mask = 1;			/* CPU 0 */

	if (len * 8 < 1 || (len & 7))
		return -EINVAL;
	if (sched_task(t, (pid_t)a[0]) == NULL)
		return -ESRCH;
	if (copy_to_user(UADDR(a[2]), &mask, CPUMASK_BYTES))
		return -EFAULT;
	return CPUMASK_BYTES;
}

/* Only masks that include CPU 0 can run anywhere: any other is -EINVAL. */
SYSCALL(sched_setaffinity)
{
	size_t len = (size_t)a[1];
	u64 mask = 0;
	struct task *p = sched_task(t, (pid_t)a[0]);

	if (p == NULL)
		return -ESRCH;
	if (copy_from_user(&mask, UADDR(a[2]), len < CPUMASK_BYTES ? len : CPUMASK_BYTES))
		return -EFAULT;
	if (!may_sched(t, p))
		return -EPERM;
	return (mask & 1) ? 0 : -EINVAL;
}

/* fork: the child's scheduling state from the parent's (reset if asked). */
void sched_fork_policy(struct task *c, struct task *p)
{
	c->nice = p->nice;
	c->policy = p->policy;
	c->rt_priority = p->rt_priority;
	c->reset_on_fork = false;
	if (p->reset_on_fork) {
		if (policy_rt(c->policy)) {
			c->policy = SCHED_NORMAL;	/* and nice 0, as sched_fork */
			c->rt_priority = 0;
			c->nice = 0;
		}
		if (c->nice < 0)
			c->nice = 0;
	}
}
