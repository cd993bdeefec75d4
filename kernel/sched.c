/*
 * sched.c - tasks, the run queue and the idle loop.
 *
 * Uniprocessor round robin.  The run queue holds every runnable task
 * except the idle task (pid 0), which runs only when nothing else can;
 * it takes interrupts, serves the guests' events (arch_events: one host
 * wait for the events of every guest thread in TASK_USER) and sleeps in
 * the host.  Guest threads of different processes run at once; one that
 * keeps its host side from another thread of its process for a tick is
 * preempted (arch_tick).
 */
#include "kernel/sched.h"
#include "kernel/mm.h"
#include "kernel/vdso.h"
#include "kernel/fs.h"
#include "kernel/kernel.h"
#include "kernel/capability.h"
#include "kernel/groups.h"
#include "kernel/stats.h"

#define KSTACK_SIZE (64 * 1024)

struct task *current;
bool need_resched;
u64 jiffies;
LIST_HEAD(all_tasks);
static LIST_HEAD(run_queue);
LIST_HEAD(user_tasks);
static LIST_HEAD(dead_tasks);
static struct task idle_task;
static struct signal_struct idle_signal;
static pid_t last_pid;
static int xstate_size;
static void (*irq_handlers[32])(void);
static u64 switch_ns;		/* the clock at the last switch that needed it */

void task_enqueue(struct task *t)
{
	if (list_empty(&t->run_list) && t != &idle_task)
		list_add_tail(&t->run_list, &run_queue);
}

void wake_up_task(struct task *t)
{
	if (t->state == TASK_INTERRUPTIBLE || t->state == TASK_UNINTERRUPTIBLE) {
		t->state = TASK_RUNNING;
		task_enqueue(t);
		if (current == &idle_task || current->mm)
			need_resched = true;
	}
}

/* t's guest code stopped with an event: it runs again in the kernel. */
void wake_up_user(struct task *t)
{
	if (t->state != TASK_USER)
		return;
	t->state = TASK_RUNNING;
	list_del(&t->run_list);
	task_enqueue(t);
	if (current == &idle_task || current->mm)
		need_resched = true;
}

struct task *find_task(pid_t pid)
{
	struct task *t;

	list_for_each_entry(t, &all_tasks, tasks)
		if (t->pid == pid && t->state != TASK_DEAD)
			return t;
	return NULL;
}

/* A pid number still taken: a task's, or a live process group's or session's
 * (Linux frees a struct pid only when nothing refers to it). */
bool pid_in_use(pid_t pid)
{
	struct task *t;

	list_for_each_entry(t, &all_tasks, tasks)
		if (t->state != TASK_DEAD && (t->pid == pid || t->pgid == pid || t->sid == pid))
			return true;
	return false;
}

pid_t alloc_pid(void)
{
	kstat.forks++;		/* every new task takes one */
	for (;;) {
		if (++last_pid >= PID_MAX)
			last_pid = 2;
		if (!pid_in_use(last_pid))
			return last_pid;
	}
}

/* The pid alloc_pid handed out last (/proc/loadavg's last field). */
pid_t pid_last(void)
{
	return last_pid;
}

/* A new task with a kernel stack and FPU buffer; not runnable.  NULL on failure. */
struct task *task_alloc(void)
{
	struct task *t = kzalloc(sizeof(*t));

	if (!t)
		return NULL;
	t->kstack_size = KSTACK_SIZE;
	t->kstack = os_alloc_stack(KSTACK_SIZE);
	t->xstate = kzalloc(xstate_size);
	t->signal = signal_alloc(t);	/* its own group until clone says otherwise */
	if (!t->kstack || !t->xstate || !t->signal) {
		if (t->kstack)
			os_free_stack(t->kstack, KSTACK_SIZE);
		kfree(t->xstate);
		kfree(t->signal);
		kfree(t);
		return NULL;
	}
	t->group_leader = t;
	t->pid = t->tgid = alloc_pid();
	t->state = TASK_UNINTERRUPTIBLE;
	rlimits_init_task(t);		/* fork copies the parent's over these */
	cap_init_task(t);
	INIT_LIST_HEAD(&t->run_list);
	INIT_LIST_HEAD(&t->children);
	INIT_LIST_HEAD(&t->sibling);
	INIT_LIST_HEAD(&t->pending.queue);
	list_add_tail(&t->thread_node, &t->signal->threads);
	init_waitqueue(&t->wait_child);
	itimer_init(t);
	t->start_ns = os_monotonic_ns();
	list_add_tail(&t->tasks, &all_tasks);
	live.tasks++;
	return t;
}

/* Releases a task that will never run again (a reaped zombie). */
void task_free(struct task *t)
{
	t->state = TASK_DEAD;
	list_del(&t->tasks);
	list_del(&t->sibling);
	timer_disarm(t);
	list_del(&t->thread_node);
	INIT_LIST_HEAD(&t->thread_node);
	if (t == current) {		/* can't free the stack we run on */
		list_add(&t->tasks, &dead_tasks);
		return;
	}
	signal_put(t->signal);
	sighand_put(t->sighand);	/* kept so a zombie leader's group can be signalled */
	while (!list_empty(&t->pending.queue)) {
		struct sigqueue *q = list_first_entry(&t->pending.queue, struct sigqueue, list);

		list_del(&q->list);
		kfree(q);
	}
	os_free_stack(t->kstack, t->kstack_size);
	kfree(t->xstate);
	groups_put(t->groups);
	kfree(t);
	live.tasks--;
}

static void free_dead_tasks(void)
{
	while (!list_empty(&dead_tasks)) {
		struct task *t = list_first_entry(&dead_tasks, struct task, tasks);

		list_del(&t->tasks);
		INIT_LIST_HEAD(&t->tasks);
		INIT_LIST_HEAD(&t->sibling);
		task_free(t);
	}
}

static void kthread_entry(void)
{
	current->kthread_fn(current->kthread_arg);
	do_exit(0);
}

struct task *kthread_create(void (*fn)(void *), void *arg, const char *name)
{
	struct task *t = task_alloc();

	if (!t)
		return NULL;
	kstrlcpy(t->comm, name, sizeof(t->comm));
	t->kthread_fn = fn;
	t->kthread_arg = arg;
	t->parent = &idle_task;
	arch_task_init_kernel(t, kthread_entry);
	t->state = TASK_UNINTERRUPTIBLE;
	wake_up_task(t);
	return t;
}

/* Picks the next task and switches to it.  Returns when current runs again. */
void schedule(void)
{
	struct task *prev = current, *next;

	need_resched = false;
	if (prev->state == TASK_RUNNING && prev != &idle_task) {
		list_del(&prev->run_list);
		list_add_tail(&prev->run_list, &run_queue);
	} else if (prev->state == TASK_USER) {
		list_del(&prev->run_list);
		list_add_tail(&prev->run_list, &user_tasks);
	} else if (prev->state != TASK_RUNNING) {
		list_del(&prev->run_list);
	}
	next = list_empty(&run_queue) ? &idle_task :
		list_first_entry(&run_queue, struct task, run_list);
	if (next == prev)
		return;
	current = next;
	kstat.context_switches++;
	/* Time scheduled out counts only inside a syscall (do_syscall takes
	 * it off the system time): one clock read per switch out of or into
	 * such a task, none otherwise (the idle task, a task whose guest code
	 * runs).  The switch that brings prev back read the clock for it. */
	if (prev->in_syscall || next->in_syscall)
		switch_ns = os_monotonic_ns();
	if (prev->in_syscall) {
		prev->switched_out_at = switch_ns;
		switch_to(&prev->ctx, &next->ctx);
		prev->off_cpu_ns += switch_ns - prev->switched_out_at;
	} else {
		switch_to(&prev->ctx, &next->ctx);
	}
	free_dead_tasks();
}

void irq_register(u32 bit, void (*handler)(void))
{
	irq_handlers[__builtin_ctz(bit)] = handler;
}

/* Runs the handlers of every interrupt the host signalled. */
void irq_process(void)
{
	u32 bits;

	while ((bits = os_irq_take()) != 0) {
		while (bits) {
			int i = __builtin_ctz(bits);

			bits &= bits - 1;
			if (irq_handlers[i])
				irq_handlers[i]();
		}
	}
}

/* The periodic tick and the one-shot host timer both come here. */
static void timer_irq(void)
{
	u64 now = os_monotonic_ns();

	jiffies = (now - ktime_boot_ns()) / (1000000000ULL / HZ);
	ktimers_run(now);
	vvar_update();
	if (!list_empty(&run_queue) && current != &idle_task)
		need_resched = true;
	arch_tick();
}

/* The idle task's loop: take interrupts, run tasks, sleep in the host. */
static void __noreturn idle_loop(void)
{
	for (;;) {
		irq_process();
		free_dead_tasks();
		if (!list_empty(&run_queue))
			schedule();
		else if (list_empty(&user_tasks) || !arch_events(true))
			os_idle_wait();
	}
}

/* Makes the boot thread the idle task; tasks can be created after this. */
void sched_start_prepare(void)
{
	xstate_size = os_xstate_size();
	idle_task.state = TASK_RUNNING;
	kstrlcpy(idle_task.comm, "swapper", sizeof(idle_task.comm));
	INIT_LIST_HEAD(&idle_task.run_list);
	INIT_LIST_HEAD(&idle_task.children);
	INIT_LIST_HEAD(&idle_task.sibling);
	INIT_LIST_HEAD(&idle_task.pending.queue);
	INIT_LIST_HEAD(&idle_task.tasks);
	init_waitqueue(&idle_task.wait_child);
	idle_signal.count = idle_signal.live = 1;
	idle_signal.leader = &idle_task;
	INIT_LIST_HEAD(&idle_signal.threads);
	INIT_LIST_HEAD(&idle_signal.shared_pending.queue);
	INIT_LIST_HEAD(&idle_signal.posix_timers);
	init_waitqueue(&idle_signal.thread_exit);
	list_add(&idle_task.thread_node, &idle_signal.threads);
	idle_task.signal = &idle_signal;
	idle_task.group_leader = &idle_task;
	rlimits_init_task(&idle_task);	/* its group's: the defaults */
	itimer_init(&idle_task);
	current = &idle_task;
	irq_register(OS_IRQ_TIMER, timer_irq);
}

/* Runs the idle loop on the boot thread.  Never returns. */
void __noreturn sched_idle(void)
{
	idle_loop();
}
