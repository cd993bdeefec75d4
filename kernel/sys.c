/*
 * sys.c - identity, process groups and sessions, limits, uname and the
 * other small syscalls about the machine.
 */
#include "kernel/cputime.h"
#include "kernel/sched.h"
#include "kernel/capability.h"
#include "kernel/mm.h"
#include "kernel/fs.h"
#include "kernel/syscalls.h"
#include "kernel/init.h"
#include "uapi/linux/utsname.h"
#include "uapi/linux/resource.h"
#include "uapi/linux/reboot.h"
#include "uapi/linux/sysinfo.h"
#include "uapi/linux/prctl.h"
#include "uapi/linux/random.h"

static struct new_utsname utsname = {
	.sysname = "Linux",
	.nodename = "(none)",
	.release = UTS_RELEASE_UM,
	.version = "#1 SMP",
	.machine = "x86_64",
	.domainname = "(none)",
};

_Static_assert(TASK_RLIMITS == RLIM_NLIMITS, "struct task holds every rlimit");

/*
 * What init starts with, as Linux's INIT_RLIMITS: RLIMIT_NOFILE 1024
 * soft / 4096 hard (INR_OPEN_CUR/MAX), RLIMIT_CORE 0 soft / unlimited
 * hard, an 8 MiB stack.  RLIMIT_NPROC is half of max_procs=, as
 * Linux's is half of max_threads.
 */
static struct krlimit rlim_defaults[RLIM_NLIMITS];

void rlimits_init(void)
{
	for (int i = 0; i < RLIM_NLIMITS; i++)
		rlim_defaults[i] = (struct krlimit){ RLIM_INFINITY, RLIM_INFINITY };
	rlim_defaults[RLIMIT_STACK].cur = 8 << 20;
	rlim_defaults[RLIMIT_NOFILE] = (struct krlimit){ 1024, 4096 };
	rlim_defaults[RLIMIT_NPROC] = (struct krlimit){ boot_params.max_procs / 2,
						       boot_params.max_procs / 2 };
	rlim_defaults[RLIMIT_CORE].cur = 0;
	rlim_defaults[RLIMIT_MEMLOCK] = (struct krlimit){ 8 << 20, 8 << 20 };
	rlim_defaults[RLIMIT_SIGPENDING] = (struct krlimit){ 4096, 4096 };
	rlim_defaults[RLIMIT_MSGQUEUE] = (struct krlimit){ 819200, 819200 };
	/* Tasks made before this (none but the idle task) take them too. */
	struct task *t;

	list_for_each_entry(t, &all_tasks, tasks)
		rlimits_init_task(t);
}

void rlimits_init_task(struct task *t)
{
	memcpy(t->signal->rlim, rlim_defaults, sizeof(t->signal->rlim));
}

/*
 * Linux's do_prlimit checks: soft above hard -EINVAL; RLIMIT_NOFILE above
 * fs.nr_open -EPERM even for root; raising a hard limit needs
 * CAP_SYS_RESOURCE (euid 0 here) -EPERM.
 */
static int rlimit_check(struct task *t, unsigned r, u64 cur, u64 max)
{
	if (cur > max)
		return -EINVAL;
	if (r == RLIMIT_NOFILE && max > sysctl_nr_open)
		return -EPERM;
	if (max > t->signal->rlim[r].max && current->euid != 0)
		return -EPERM;
	return 0;
}

SYSCALL(getpid) { return t->tgid; }
SYSCALL(gettid) { return t->pid; }
SYSCALL(getppid)
{
	struct task *p = group_parent(t);

	return p ? p->tgid : 0;
}
SYSCALL(getuid) { return t->uid; }
SYSCALL(geteuid) { return t->euid; }
SYSCALL(getgid) { return t->gid; }
SYSCALL(getegid) { return t->egid; }

SYSCALL(setuid)
{
	uid_t uid = (uid_t)a[0];

	uid_t r = t->uid, e = t->euid, s = t->suid;

	if (t->euid == 0) {
		t->uid = t->euid = t->suid = uid;
	} else {
		if (uid != t->uid && uid != t->suid)
			return -EPERM;
		t->euid = uid;
	}
	cap_setuid_fixup(t, r, e, s);
	return 0;
}

SYSCALL(setgid)
{
	gid_t gid = (gid_t)a[0];

	if (t->euid == 0) {
		t->gid = t->egid = t->sgid = gid;
		return 0;
	}
	if (gid != t->gid && gid != t->sgid)
		return -EPERM;
	t->egid = gid;
	return 0;
}

static bool id_ok(struct task *t, u32 id, u32 r, u32 e, u32 s)
{
	return id == (u32)-1 || t->euid == 0 || id == r || id == e || id == s;
}

SYSCALL(setresuid)
{
	uid_t r = (uid_t)a[0], e = (uid_t)a[1], s = (uid_t)a[2];

	if (!id_ok(t, r, t->uid, t->euid, t->suid) || !id_ok(t, e, t->uid, t->euid, t->suid) ||
	    !id_ok(t, s, t->uid, t->euid, t->suid))
		return -EPERM;
	uid_t or = t->uid, oe = t->euid, os = t->suid;

	if (r != (uid_t)-1) t->uid = r;
	if (e != (uid_t)-1) t->euid = e;
	if (s != (uid_t)-1) t->suid = s;
	cap_setuid_fixup(t, or, oe, os);
	return 0;
}

SYSCALL(setresgid)
{
	gid_t r = (gid_t)a[0], e = (gid_t)a[1], s = (gid_t)a[2];

	if (t->euid != 0 && (!id_ok(t, r, t->gid, t->egid, t->sgid) ||
			     !id_ok(t, e, t->gid, t->egid, t->sgid) ||
			     !id_ok(t, s, t->gid, t->egid, t->sgid)))
		return -EPERM;
	if (r != (gid_t)-1) t->gid = r;
	if (e != (gid_t)-1) t->egid = e;
	if (s != (gid_t)-1) t->sgid = s;
	return 0;
}

SYSCALL(setreuid)
{
	long b[3] = { a[0], a[1], -1 };

	return sys_setresuid(t, b);
}

SYSCALL(setregid)
{
	long b[3] = { a[0], a[1], -1 };

	return sys_setresgid(t, b);
}

SYSCALL(getresuid)
{
	if (put_user(t->uid, UADDR(a[0])) || put_user(t->euid, UADDR(a[1])) || put_user(t->suid, UADDR(a[2])))
		return -EFAULT;
	return 0;
}

SYSCALL(getresgid)
{
	if (put_user(t->gid, UADDR(a[0])) || put_user(t->egid, UADDR(a[1])) || put_user(t->sgid, UADDR(a[2])))
		return -EFAULT;
	return 0;
}

SYSCALL(getpgid)
{
	pid_t pid = (pid_t)a[0];
	struct task *p = pid ? find_task(pid) : t;

	return p ? p->pgid : -ESRCH;
}

SYSCALL(getpgrp) { return t->pgid; }

SYSCALL(setpgid)
{
	pid_t pid = (pid_t)a[0], pgid = (pid_t)a[1];
	struct task *p = pid ? find_task(pid) : t, *q;

	/* As Linux: a pgid of 0 means the pid, so setpgid(-1, 0) is -EINVAL. */
	if (pgid < 0 || (pgid == 0 && pid < 0))
		return -EINVAL;
	if (p)
		p = p->group_leader;	/* a process's group: all its threads */
	if (!p || (p->signal != t->signal && p->parent != t->group_leader))
		return -ESRCH;
	if (p->pid == p->sid)
		return -EPERM;		/* a session leader */
	if (p->sid != t->sid)
		return -EPERM;
	if (!pgid)
		pgid = p->pid;
	if (pgid != p->pid) {
		bool found = false;

		list_for_each_entry(q, &all_tasks, tasks)
			if (q->pgid == pgid && q->sid == t->sid && q->state != TASK_DEAD)
				found = true;
		if (!found)
			return -EPERM;
	}
	for_each_thread(p->signal, q)
		q->pgid = pgid;
	return 0;
}

SYSCALL(getsid)
{
	pid_t pid = (pid_t)a[0];
	struct task *p = pid ? find_task(pid) : t;

	return p ? p->sid : -ESRCH;
}

SYSCALL(setsid)
{
	struct task *q;

	list_for_each_entry(q, &all_tasks, tasks)
		if (q->pgid == t->tgid && q->state != TASK_DEAD)
			return -EPERM;
	for_each_thread(t->signal, q)		/* the process's, in every thread */
		q->sid = q->pgid = t->tgid;
	t->signal->no_ctty = false;
	return t->tgid;
}

SYSCALL(uname)
{
	return copy_to_user(UADDR(a[0]), &utsname, sizeof(utsname)) ? -EFAULT : 0;
}

static long set_name(struct task *t, char *dst, uaddr_t src, long len)
{
	char buf[__NEW_UTS_LEN + 1];

	if (t->euid != 0)
		return -EPERM;
	if (len < 0 || len > __NEW_UTS_LEN)
		return -EINVAL;
	if (copy_from_user(buf, src, len))
		return -EFAULT;
	buf[len] = '\0';
	memcpy(dst, buf, len + 1);
	return 0;
}

SYSCALL(sethostname) { return set_name(t, utsname.nodename, UADDR(a[0]), a[1]); }
SYSCALL(setdomainname) { return set_name(t, utsname.domainname, UADDR(a[0]), a[1]); }

SYSCALL(getrlimit)
{
	unsigned r = (unsigned)a[0];
	struct rlimit l;

	if (r >= RLIM_NLIMITS)
		return -EINVAL;
	l.rlim_cur = t->signal->rlim[r].cur;
	l.rlim_max = t->signal->rlim[r].max;
	return copy_to_user(UADDR(a[1]), &l, sizeof(l)) ? -EFAULT : 0;
}

SYSCALL(setrlimit)
{
	unsigned r = (unsigned)a[0];
	struct rlimit n;
	int err;

	if (r >= RLIM_NLIMITS)
		return -EINVAL;
	if (copy_from_user(&n, UADDR(a[1]), sizeof(n)))
		return -EFAULT;
	err = rlimit_check(t, r, n.rlim_cur, n.rlim_max);
	if (err)
		return err;
	t->signal->rlim[r] = (struct krlimit){ n.rlim_cur, n.rlim_max };
	return 0;
}

/* Another process's limits: the caller must be root or that process's user. */
static bool may_prlimit(struct task *t, struct task *target)
{
	return t == target || t->euid == 0 ||
	       (t->uid == target->uid && t->uid == target->euid && t->uid == target->suid &&
		t->gid == target->gid && t->gid == target->egid && t->gid == target->sgid);
}

SYSCALL(prlimit64)
{
	pid_t pid = (pid_t)a[0];
	unsigned r = (unsigned)a[1];
	uaddr_t nl = UADDR(a[2]), ol = UADDR(a[3]);
	struct rlimit64 n, o;
	struct task *target = pid ? find_task(pid) : t;
	int err;

	if (r >= RLIM_NLIMITS)
		return -EINVAL;
	if (!target || !target->mm)
		return -ESRCH;
	if (!may_prlimit(t, target))
		return -EPERM;
	if (!uaddr_is_null(nl)) {
		if (copy_from_user(&n, nl, sizeof(n)))
			return -EFAULT;
		err = rlimit_check(target, r, n.rlim_cur, n.rlim_max);
		if (err)
			return err;
	}
	o.rlim_cur = target->signal->rlim[r].cur;
	o.rlim_max = target->signal->rlim[r].max;
	if (!uaddr_is_null(ol) && copy_to_user(ol, &o, sizeof(o)))
		return -EFAULT;
	if (!uaddr_is_null(nl))
		target->signal->rlim[r] = (struct krlimit){ n.rlim_cur, n.rlim_max };
	return 0;
}

SYSCALL(getrusage)
{
	int who = (int)a[0];
	struct rusage ru;
	u64 u, s;

	if (who != RUSAGE_SELF && who != RUSAGE_CHILDREN && who != RUSAGE_THREAD)
		return -EINVAL;
	memset(&ru, 0, sizeof(ru));
	if (who == RUSAGE_CHILDREN) {
		u = t->signal->cutime_ns;
		s = t->signal->cstime_ns;
	} else if (who == RUSAGE_SELF) {
		thread_group_times(t, &u, &s);
	} else {
		cputime_sync(t);
		u = t->utime_ns;
		s = t->stime_ns;
	}
	ru.ru_utime.tv_sec = u / 1000000000ULL;
	ru.ru_utime.tv_usec = (u % 1000000000ULL) / 1000;
	ru.ru_stime.tv_sec = s / 1000000000ULL;
	ru.ru_stime.tv_usec = (s % 1000000000ULL) / 1000;
	if (t->mm)
		ru.ru_maxrss = (long)(t->mm->rss * 4);
	return copy_to_user(UADDR(a[1]), &ru, sizeof(ru)) ? -EFAULT : 0;
}

SYSCALL(sysinfo)
{
	struct sysinfo si;
	struct task *p;

	u64 up = os_monotonic_ns() - ktime_boot_ns();

	memset(&si, 0, sizeof(si));
	/* Linux rounds a started second up; procs counts threads (nr_threads). */
	si.uptime = (long)((up + 999999999ULL) / 1000000000ULL);
	si.totalram = physmem_size;
	si.freeram = nr_free_pages() * PAGE_SIZE;
	si.mem_unit = 1;
	list_for_each_entry(p, &all_tasks, tasks)
		if (p->state != TASK_ZOMBIE && p->state != TASK_DEAD)
			si.procs++;
	return copy_to_user(UADDR(a[0]), &si, sizeof(si)) ? -EFAULT : 0;
}

SYSCALL(reboot)
{
	unsigned m1 = (unsigned)a[0], m2 = (unsigned)a[1], cmd = (unsigned)a[2];

	if (m1 != LINUX_REBOOT_MAGIC1 || (m2 != LINUX_REBOOT_MAGIC2 &&
	    m2 != LINUX_REBOOT_MAGIC2A && m2 != LINUX_REBOOT_MAGIC2B &&
	    m2 != LINUX_REBOOT_MAGIC2C))
		return -EINVAL;
	if (t->euid != 0)
		return -EPERM;
	switch (cmd) {
	case LINUX_REBOOT_CMD_POWER_OFF:
	case LINUX_REBOOT_CMD_HALT:
		printk(KERN_INFO "reboot: %s\n", cmd == LINUX_REBOOT_CMD_POWER_OFF ?
		       "Power down" : "System halted");
		machine_halt(0);
	case LINUX_REBOOT_CMD_RESTART:
	case LINUX_REBOOT_CMD_RESTART2:		/* the command string is not used */
		printk(KERN_INFO "reboot: Restarting system\n");
		machine_restart();
	case LINUX_REBOOT_CMD_CAD_ON:
	case LINUX_REBOOT_CMD_CAD_OFF:
		cad_enabled = cmd == LINUX_REBOOT_CMD_CAD_ON;	/* kernel/reboot.c */
		return 0;
	default:
		return -EINVAL;
	}
}

SYSCALL(getrandom)
{
	uaddr_t buf = UADDR(a[0]);
	size_t len = (size_t)a[1];
	unsigned flags = (unsigned)a[2];
	u8 tmp[256];
	size_t done = 0;

	if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	if ((flags & (GRND_INSECURE | GRND_RANDOM)) == (GRND_INSECURE | GRND_RANDOM))
		return -EINVAL;		/* as Linux: they contradict each other */
	if (len > 33554431)
		len = 33554431;
	while (done < len) {
		size_t c = min(len - done, sizeof(tmp));

		os_getrandom(tmp, c);
		if (copy_to_user(uaddr_off(buf, done), tmp, c))
			return done ? (long)done : -EFAULT;
		done += c;
	}
	return (long)done;
}

SYSCALL(personality)
{
	unsigned p = (unsigned)a[0];

	if (p == 0xffffffff || p == 0)
		return 0;
	return -EINVAL;
}

SYSCALL(sched_yield)
{
	need_resched = true;
	schedule();
	return 0;
}

SYSCALL(getcpu)
{
	unsigned zero = 0;

	if (a[0] && put_user(zero, UADDR(a[0])))
		return -EFAULT;
	if (a[1] && put_user(zero, UADDR(a[1])))
		return -EFAULT;
	return 0;
}

SYSCALL(set_tid_address)
{
	t->clear_child_tid = UADDR(a[0]);
	return t->pid;
}

SYSCALL(set_robust_list)
{
	if ((size_t)a[1] != 24)		/* sizeof(struct robust_list_head) */
		return -EINVAL;
	t->robust_list = UADDR(a[0]);
	t->robust_len = a[1];
	return 0;
}

/*
 * Linux's ptrace_may_access(PTRACE_MODE_READ_REALCREDS): the caller's own
 * process, CAP_SYS_PTRACE (uid 0 here), or a dumpable process whose every
 * uid and gid are the caller's real ones.
 */
static bool may_read_task(struct task *t, struct task *p)
{
	if (t->signal == p->signal || t->uid == 0)
		return true;
	return t->uid == p->uid && t->uid == p->euid && t->uid == p->suid &&
	       t->gid == p->gid && t->gid == p->egid && t->gid == p->sgid && p->signal->dumpable;
}

SYSCALL(get_robust_list)
{
	struct task *p = a[0] ? find_task((pid_t)a[0]) : t;

	if (!p || (p->mm == NULL && p->state != TASK_ZOMBIE))
		return -ESRCH;
	if (!may_read_task(t, p))
		return -EPERM;
	if (put_user(p->robust_list, UADDR(a[1])) || put_user(p->robust_len, UADDR(a[2])))
		return -EFAULT;
	return 0;
}

SYSCALL(rseq)
{
	return -ENOSYS;
}

/* The machine's names, as uname(2) reports them; read-only for callers. */
const struct new_utsname *utsname_get(void)
{
	return &utsname;
}

/* The host name the kernel itself sets (ip=, DHCP): 0, or -EINVAL if too long or empty. */
int utsname_set_nodename(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > __NEW_UTS_LEN)
		return -EINVAL;
	memcpy(utsname.nodename, name, n + 1);
	return 0;
}
