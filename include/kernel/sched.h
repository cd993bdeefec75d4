/*
 * sched.h - tasks and the scheduler.
 *
 * A task is a kernel thread of control with its own kernel stack.  A task
 * with an mm runs guest code through the platform (arch/um); a task
 * without one is a kernel thread.  `current` is the running task.  A task
 * whose guest code runs is TASK_USER: it waits, off the run queue, for
 * its next event, which the event loop collects (arch_events).
 */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

#include "kernel/wait.h"
#include "kernel/signal.h"
#include "kernel/timer.h"
#include "kernel/platform.h"
#include "shared/os.h"

enum task_state {
	TASK_RUNNING,
	TASK_INTERRUPTIBLE,
	TASK_UNINTERRUPTIBLE,
	TASK_USER,		/* its guest code runs: off the run queue until its next event */
	TASK_ZOMBIE,		/* exited, waiting for its parent's wait4 */
	TASK_DEAD,
};

/* Saved kernel context for switch_to (arch/um/kernel/switch.S). */
struct context {
	u64 rsp;
};

struct fs_struct;
struct files;
struct task;

/*
 * Resource limits (getrlimit/setrlimit/prlimit64), one set per process
 * (the thread group shares it, as Linux's signal_struct), inherited at fork: RLIM_NLIMITS of <linux/resource.h>.
 */
#define TASK_RLIMITS	16
struct krlimit {
	u64 cur, max;
};

/*
 * What the threads of one process share (Linux's signal_struct): the
 * group's pending signals, its stop and exit state, ITIMER_REAL and the
 * CPU times of threads that are gone.  Handlers are in the sighand, which
 * CLONE_SIGHAND shares.  Every task of the group holds a reference
 * (count), from clone until it is freed; live counts those not yet
 * exited.  The leader stays a zombie until the last thread has exited.
 */
/* /proc/PID/io's counters (Linux's struct task_io_accounting): bytes
 * through the read and write syscalls (rchar/wchar) and their calls,
 * bytes the block layer read for the task, bytes of cache it dirtied,
 * dirty bytes it threw away before they were written. */
struct task_io_accounting {
	u64 rchar, wchar, syscr, syscw;
	u64 read_bytes, write_bytes, cancelled_write_bytes;
};

static inline void ioac_add(struct task_io_accounting *dst, const struct task_io_accounting *src)
{
	dst->rchar += src->rchar;
	dst->wchar += src->wchar;
	dst->syscr += src->syscr;
	dst->syscw += src->syscw;
	dst->read_bytes += src->read_bytes;
	dst->write_bytes += src->write_bytes;
	dst->cancelled_write_bytes += src->cancelled_write_bytes;
}

struct signal_struct {
	int count;			/* tasks referring to it */
	int live;			/* threads that have not exited */
	struct task *leader;
	struct list_head threads;	/* task->thread_node, leader first */
	u32 self_exec_id;		/* execs so far: a child's parent_exec_id is checked against it */
	struct sigpending shared_pending;	/* process-directed signals */
	bool group_exit;		/* exit_group or a fatal signal: all die */
	int group_exit_code;		/* their wait status */
	struct task *group_exec_task;	/* an exec is killing the others */
	struct wait_queue thread_exit;	/* woken when a thread exits */
	int stop_sig;			/* the group is stopped by it, or 0 */
	bool stop_report, cont_report;	/* for wait4 WUNTRACED / WCONTINUED */
	struct ktimer itimer_real;	/* ITIMER_REAL / alarm (kernel/time.c) */
	u64 itimer_real_interval;
	u64 utime_ns, stime_ns;		/* of exited threads */
	u64 cutime_ns, cstime_ns;	/* of reaped children */
	struct task_io_accounting ioac;	/* of exited threads and reaped children */
	struct krlimit rlim[TASK_RLIMITS];	/* kernel/sys.c */
	/* On the process's CPU time (kernel/cputime.c): expires 0 is disarmed. */
	struct cpu_itimer {
		u64 expires, interval;	/* process CPU ns */
	} it_virt, it_prof;
	struct list_head posix_timers;	/* struct k_itimer (kernel/posix-timers.c) */
	int next_timer_id;
	int dumpable;			/* PR_SET_DUMPABLE (kernel/prctl.c) */
	bool thp_disable, is_child_subreaper;
	bool no_ctty;			/* TIOCNOTTY by a non-leader: no terminal, its session keeps it */
	struct sem_undo_list *sysvsem;	/* SEM_UNDO adjustments (ipc/sem.c), or NULL */
};

struct task {
	pid_t pid, tgid, pgid, sid;
	enum task_state state;
	char comm[16];
	struct context ctx;
	void *kstack;
	u64 kstack_size;
	struct list_head run_list;	/* on the run queue while runnable */
	struct list_head tasks;		/* all tasks */

	struct mm *mm;			/* NULL for kernel threads */
	struct files *files;
	struct fs_struct *fs;
	struct sighand *sighand;
	struct signal_struct *signal;	/* thread group, shared by CLONE_THREAD */
	struct task *group_leader;	/* signal->leader, kept in step */
	struct list_head thread_node;	/* on signal->threads */

	struct os_regs regs;		/* guest registers while in the kernel */
	struct plat_event event;	/* what its guest code last stopped with */
	u8 *xstate;			/* guest FPU/SSE/AVX state, os_xstate_size() */
	bool xstate_valid;		/* xstate holds the task's state */
	u32 xstate_len;			/* bytes of it the host gave us */

	struct task *parent;
	struct list_head children, sibling;
	struct wait_queue wait_child;	/* parent sleeps here in wait4 */
	struct task *vfork_parent;	/* released at exec or exit */
	bool vfork_done;
	int exit_code;			/* wait status */
	int exit_signal;		/* sent to parent at exit (SIGCHLD) */
	u32 parent_exec_id;		/* the parent's self_exec_id at fork: SIGCHLD if it exec'd since */
	uid_t uid, euid, suid;
	gid_t gid, egid, sgid;
	u64 cap_effective, cap_permitted, cap_inheritable, cap_bset;	/* kernel/capability.c */
	int pdeath_signal;		/* PR_SET_PDEATHSIG: sent when the parent dies */
	bool keepcaps, no_new_privs;
	u64 timer_slack_ns;		/* 0: the default */
	int nice, policy, rt_priority;	/* kernel/sched_policy.c */
	bool reset_on_fork;
	struct group_info *groups;	/* supplementary groups, or NULL (kernel/groups.c) */
	bool oom_victim;		/* killed by the OOM killer (mm/oom.c) */

	bool stopped;			/* parked in a group stop */
	struct sigpending pending;	/* thread-directed signals */
	u64 altstack_sp, altstack_size;
	int altstack_flags;
	sigset_t blocked, saved_mask;
	sigset_t real_blocked;		/* the mask rt_sigtimedwait lifted, while it waits */
	bool init_killable;		/* init took a fault: its signals may kill it */
	bool restore_mask;
	uaddr_t clear_child_tid, robust_list;
	u64 robust_len;
	struct futex_restart {		/* a timed FUTEX_WAIT, for restart_fn */
		uaddr_t uaddr;
		u32 val, bitset;
		int flags;
	} futex_restart;

	long (*restart_fn)(struct task *t);	/* for restart_syscall */
	u64 restart_deadline;		/* a nanosleep's, for restart_fn */
	uaddr_t restart_rem;
	int restart_clock;		/* a CPU-clock clock_nanosleep's clockid */
	bool timed_out;			/* a timed sleep's timer fired */
	bool killable;			/* its uninterruptible sleep ends for SIGKILL */
	u64 utime_ns, stime_ns, start_ns;
	struct task_io_accounting ioac;	/* /proc/PID/io (fs/read_write.c, fs/buffer.c) */
	u64 oom_retry_jiffies;		/* its last fault retried after write-back (mm/oom.c) */
	u64 off_cpu_ns, switched_out_at;	/* time spent scheduled out */
	void (*kthread_fn)(void *);
	void *kthread_arg;
	bool in_syscall;			/* in do_syscall (crash reports, stack) */
	/* What a sleeping task waits for (do_sleep): for debuggers (lx-waitq). */
	struct wait_queue *sleep_wq;		/* NULL: a plain timed sleep, or poll */
	u64 sleep_deadline;			/* monotonic ns, 0: none */
};

extern struct task *current;
extern bool need_resched;
extern u64 jiffies;
#define HZ 100

void sched_init(void);
void sched_fork_policy(struct task *c, struct task *p);	/* kernel/sched_policy.c */
void schedule(void);			/* May sleep (that is what it does). */
void wake_up_task(struct task *t);
void task_enqueue(struct task *t);
struct task *task_alloc(void);		/* kstack, xstate, pid; not runnable */
void task_free(struct task *t);
struct task *find_task(pid_t pid);
#define PID_MAX 4194304		/* Linux's PID_MAX_LIMIT: pids are below it */
pid_t alloc_pid(void);
pid_t pid_last(void);		/* the last pid alloc_pid gave */
bool pid_in_use(pid_t pid);
struct task *kthread_create(void (*fn)(void *), void *arg, const char *name);
extern struct list_head all_tasks;

/* Sleep until the monotonic deadline; -ERESTARTSYS on a signal. May sleep. */
int sleep_until(u64 deadline_ns, bool interruptible);
u64 ktime_boot_ns(void);		/* monotonic time of boot */

/* Interrupts: take what the host signalled and run the handlers. */
void irq_process(void);
void irq_register(u32 bit, void (*handler)(void));

/* Thread groups (kernel/fork.c, kernel/exit.c). */
struct signal_struct *signal_alloc(struct task *leader);
void signal_put(struct signal_struct *sig);
bool thread_group_alive(struct task *t);	/* some thread has not exited */
void thread_group_times(struct task *t, u64 *utime, u64 *stime);
struct task *group_parent(struct task *t);	/* the process's parent, or NULL */
void de_thread(void);			/* exec: the other threads die.  May sleep. */
#define for_each_thread(sig, t) list_for_each_entry(t, &(sig)->threads, thread_node)

/* kernel/futex.c: at exit and exec, before the mm goes. */
void futex_mm_release(struct task *t);
int futex_wake(uaddr_t uaddr, bool shared, int nr, u32 bitset);

/* Resource limits (kernel/sys.c). */
void rlimits_init_task(struct task *t);	/* the defaults init starts with */
static inline u64 task_rlimit(const struct task *t, int r)
{
	return t->signal->rlim[r].cur;
}

/* kernel/exit.c, kernel/fork.c */
void do_exit(int status) __noreturn;	/* status is a wait status */
void do_exit_group(int status) __noreturn;
long do_fork(unsigned long flags, uaddr_t newsp, uaddr_t ptid, uaddr_t ctid, u64 tls);

/* A task's own timers (kernel/time.c): set up at creation, cancelled at exit. */
void itimer_init(struct task *t);
void timer_disarm(struct task *t);
void sched_start_prepare(void);
void sched_idle(void) __noreturn;

/* Power off: sync disks, restore the terminal, leave with status. */
extern bool system_halting;		/* set once machine_halt has begun */
void machine_halt(int status) __noreturn;
void machine_restart(void) __noreturn;	/* reboot: ./linux runs again, same arguments */
void ctrl_alt_del(void);		/* kernel/reboot.c: SIGINT to init, or a restart if enabled */
extern bool cad_enabled;		/* reboot(2) LINUX_REBOOT_CMD_CAD_ON */

/* arch/um: context switch and the guest run loop. */
void switch_to(struct context *prev, struct context *next);
void arch_task_init_kernel(struct task *t, void (*entry)(void));
void userspace_loop(void) __noreturn;
void ret_from_fork(void) __noreturn;
void arch_fpu_sync(struct task *t);	/* fetch the FPU state from the host side */
void arch_fpu_dirty(struct task *t);	/* t->xstate changed: load it on resume */
/* The event loop (arch/um/kernel/process.c): called by the scheduler. */
bool arch_events(bool block);		/* serve the guests' events; false: none came */
void arch_tick(void);			/* the timer tick: preempt guest threads */
extern struct list_head user_tasks;	/* TASK_USER tasks, on their run_list */
void wake_up_user(struct task *t);	/* its guest code stopped: TASK_RUNNING */

#endif
