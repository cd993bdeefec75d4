/*
 * prctl.c - prctl(2): the options glibc, musl, Python and the usual
 * daemons use, each with Linux's argument checks (unused arguments must be
 * 0 where Linux says so; anything else -EINVAL).
 *
 * Per thread: the name, PR_SET_PDEATHSIG (the signal a process gets when
 * its parent dies, kernel/exit.c), keepcaps, no_new_privs, the timer
 * slack, the bounding set.  Per process: the dumpable flag, THP disable
 * and PR_SET_CHILD_SUBREAPER (orphans below it are reparented to it, not
 * to init).
 */
#include "kernel/kernel.h"
#include "kernel/capability.h"
#include "kernel/mm.h"
#include "kernel/sched.h"
#include "kernel/syscalls.h"
#include "uapi/linux/prctl.h"

#define TIMER_SLACK_DEFAULT	50000	/* ns, Linux's */

static long prctl_name(struct task *t, int opt, uaddr_t p)
{
	char name[16];

	if (opt == PR_GET_NAME)
		return copy_to_user(p, t->comm, sizeof(t->comm)) ? -EFAULT : 0;
	memset(name, 0, sizeof(name));
	for (size_t i = 0; i < sizeof(name) - 1; i++) {	/* a longer name is cut, as Linux */
		if (get_user(name[i], uaddr_off(p, i)))
			return -EFAULT;
		if (name[i] == '\0')
			break;
	}
	kstrlcpy(t->comm, name, sizeof(t->comm));
	return 0;
}

/* PR_CAP_AMBIENT: no ambient set is kept (nothing can be raised into it). */
static long prctl_ambient(struct task *t, unsigned long op, unsigned long cap, const long *a)
{
	if (a[3] || a[4])
		return -EINVAL;
	if (op == PR_CAP_AMBIENT_CLEAR_ALL)
		return cap ? -EINVAL : 0;
	if (cap > 40 /* CAP_LAST_CAP */)
		return -EINVAL;
	switch (op) {
	case PR_CAP_AMBIENT_IS_SET:
	case PR_CAP_AMBIENT_LOWER:
		return 0;
	case PR_CAP_AMBIENT_RAISE:	/* needs it in permitted and inheritable */
		return ((t->cap_permitted & t->cap_inheritable) >> cap) & 1 ? 0 : -EPERM;
	default:
		return -EINVAL;
	}
}

/* The options that only read or set a flag. */
static long prctl_flags(struct task *t, int opt, const long *a)
{
	unsigned long v = (unsigned long)a[1];

	switch (opt) {
	case PR_GET_DUMPABLE:
		return t->signal->dumpable;
	case PR_SET_DUMPABLE:
		if (v > 1)
			return -EINVAL;
		t->signal->dumpable = (int)v;
		return 0;
	case PR_GET_KEEPCAPS:
		return t->keepcaps;
	case PR_SET_KEEPCAPS:
		if (v > 1)
			return -EINVAL;
		t->keepcaps = v;
		return 0;
	case PR_GET_NO_NEW_PRIVS:
		return a[1] || a[2] || a[3] || a[4] ? -EINVAL : t->no_new_privs;
	case PR_SET_NO_NEW_PRIVS:
		if (v != 1 || a[2] || a[3] || a[4])
			return -EINVAL;
		t->no_new_privs = true;
		return 0;
	case PR_GET_THP_DISABLE:
		return a[1] || a[2] || a[3] || a[4] ? -EINVAL : t->signal->thp_disable;
	case PR_SET_THP_DISABLE:
		if (a[2] || a[3] || a[4])
			return -EINVAL;
		t->signal->thp_disable = v != 0;
		return 0;
	case PR_SET_CHILD_SUBREAPER:
		t->signal->is_child_subreaper = v != 0;
		return 0;
	case PR_GET_TIMERSLACK:
		return t->timer_slack_ns ? (long)t->timer_slack_ns : TIMER_SLACK_DEFAULT;
	case PR_SET_TIMERSLACK:
		t->timer_slack_ns = (long)v <= 0 ? 0 : v;
		return 0;
	case PR_GET_SECCOMP:
		return 0;		/* no seccomp filter of the guest's own */
	default:
		return -EINVAL;
	}
}

SYSCALL(prctl)
{
	int opt = (int)a[0];
	uaddr_t p = UADDR(a[1]);
	int v;

	switch (opt) {
	case PR_SET_NAME:
	case PR_GET_NAME:
		return prctl_name(t, opt, p);
	case PR_SET_PDEATHSIG:
		if ((unsigned long)a[1] > KNSIG)
			return -EINVAL;
		t->pdeath_signal = (int)a[1];
		return 0;
	case PR_GET_PDEATHSIG:
		return put_user(t->pdeath_signal, p) ? -EFAULT : 0;
	case PR_GET_CHILD_SUBREAPER:
		v = t->signal->is_child_subreaper;
		return put_user(v, p) ? -EFAULT : 0;
	case PR_GET_TID_ADDRESS: {
		u64 addr = uaddr_val(t->clear_child_tid);

		return put_user(addr, p) ? -EFAULT : 0;
	}
	case PR_CAPBSET_READ:
		return cap_bset_read(t, (unsigned long)a[1]);
	case PR_CAPBSET_DROP:
		return cap_bset_drop(t, (unsigned long)a[1]);
	case PR_CAP_AMBIENT:
		return prctl_ambient(t, (unsigned long)a[1], (unsigned long)a[2], a);
	default:
		return prctl_flags(t, opt, a);
	}
}
