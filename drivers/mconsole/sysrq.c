/*
 * sysrq.c - the magic SysRq keys, as Linux's drivers/tty/sysrq.c names
 * them, reached through mconsole's "sysrq <letter>".  Every action
 * reports through printk, so its output is in the kernel log and in the
 * mconsole answer alike.  Stack dumps walk the saved frame pointers of
 * each task's kernel stack (the kernel is built with frame pointers) and
 * name the functions with the host's addr2line.
 */
#include "kernel/sched.h"
#include "kernel/mm.h"
#include "kernel/fs.h"
#include "kernel/page.h"
#include "kernel/init.h"
#include "kernel/oops.h"
#include "shared/os.h"
#include "mconsole.h"

#define MAX_FRAMES 32

/* Return addresses on t's kernel stack, innermost first. */
static int stack_pcs(struct task *t, u64 *pcs, int max)
{
	u64 lo = (u64)t->kstack, hi = lo + t->kstack_size, fp;
	int n = 0;

	if (!t->kstack)
		return 0;
	if (t == current) {
		fp = (u64)__builtin_frame_address(0);
	} else {
		u64 *sp = (u64 *)t->ctx.rsp;

		if ((u64)sp < lo || (u64)(sp + 7) > hi)
			return 0;
		pcs[n++] = sp[6];	/* switch_to's return, into schedule() */
		fp = sp[5];		/* schedule()'s saved rbp */
	}
	while (n < max && fp >= lo && fp + 16 <= hi && !(fp & 7)) {
		u64 *f = (u64 *)fp;

		if (!f[1])
			break;
		pcs[n++] = f[1];
		if (f[0] <= fp)
			break;
		fp = f[0];
	}
	return n;
}

static const char *state_name(enum task_state s)
{
	switch (s) {
	case TASK_RUNNING: return "R (running)";
	case TASK_USER: return "R (running)";	/* in user mode */
	case TASK_INTERRUPTIBLE: return "S (sleeping)";
	case TASK_UNINTERRUPTIBLE: return "D (disk sleep)";
	case TASK_ZOMBIE: return "Z (zombie)";
	default: return "X (dead)";
	}
}

/*
 * Where t's guest code is.  A task stopped in a seccomp notification has
 * only its arguments, number and rip in t->regs (mm->partial): its rsp
 * there is an older event's, so it is said to be unknown rather than
 * fetched, which would change how its call is answered.  ptrace's
 * partial events bring rsp with them (event.partial_sp).
 */
static void mc_show_guest_regs(struct mc_out *o, struct task *t)
{
	const char *sc = oops_syscall_desc(t);

	mc_printf(o, "guest: rip %016llx", (unsigned long long)t->regs.rip);
	if (t->mm->partial == t && !t->event.partial_sp)
		mc_printf(o, " rsp unknown (a seccomp notification)");
	else
		mc_printf(o, " rsp %016llx", (unsigned long long)t->regs.rsp);
	mc_printf(o, "%s%s\n", sc ? " in syscall " : "", sc ? sc : "");
}

void mc_show_stack(struct mc_out *o, struct task *t)
{
	static char sym[MAX_FRAMES * 160];
	u64 pcs[MAX_FRAMES];
	int n = stack_pcs(t, pcs, MAX_FRAMES);

	mc_printf(o, "task:%-15s state:%s pid:%d ppid:%d%s\n", t->comm, state_name(t->state),
		  t->pid, t->parent ? t->parent->pid : 0, t->mm ? "" : " (kernel thread)");
	if (t->mm)
		mc_show_guest_regs(o, t);
	mc_printf(o, "Call Trace:\n");
	if (n > 0 && os_symbolize(pcs, n, sym, sizeof(sym)) > 0)
		mc_write(o, sym, strlen(sym));
	else
		for (int i = 0; i < n; i++)
			mc_printf(o, " [<%016llx>]\n", (unsigned long long)pcs[i]);
}

static void show_tasks(bool blocked_only)
{
	struct mc_out o = { 0 };
	struct task *t;

	list_for_each_entry(t, &all_tasks, tasks) {
		if (t->pid == 0 || t->state == TASK_DEAD)
			continue;
		if (blocked_only && t->state != TASK_UNINTERRUPTIBLE)
			continue;
		mc_show_stack(&o, t);
	}
	/* Line by line: one printk formats at most 1 KiB. */
	for (size_t i = 0, start = 0; i < o.len; i++) {
		if (o.buf[i] == '\n') {
			printk("%.*s\n", (int)(i - start), o.buf + start);
			start = i + 1;
		}
	}
	kfree(o.buf);
}

static void show_mem(void)
{
	u64 free = nr_free_pages();

	printk("Mem-Info:\n%llu pages RAM\n%llu pages free\n%llu pages in use\n",
	       (unsigned long long)nr_pages, (unsigned long long)free,
	       (unsigned long long)(nr_pages - free));
}

static void signal_all(int sig)
{
	struct task *t;

	list_for_each_entry(t, &all_tasks, tasks)
		if (t->mm && t->tgid != 1 && t->state != TASK_ZOMBIE && t->state != TASK_DEAD)
			send_sig(t, sig);
}

static const char sysrq_help[] =
	"sysrq: HELP : loglevel(0-9) reboot(b) crash(c) terminate-all-tasks(e) "
	"kill-all-tasks(i) show-memory-usage(m) poweroff(o) sync(s) show-task-states(t) "
	"unmount(u) show-blocked-tasks(w)\n";

void handle_sysrq(char key)
{
	switch (key) {
	case '0' ... '9':
		console_loglevel = key - '0';
		printk(KERN_EMERG "sysrq: Changing Loglevel\nsysrq: Loglevel set to %d\n", key - '0');
		break;
	case 'b':
		printk(KERN_EMERG "sysrq: Resetting\n");
		os_request_restart();	/* no sync: what 'b' means */
		os_exit(0);
	case 'c':
		printk(KERN_EMERG "sysrq: Trigger a crash\n");
		oops_inject();
		break;
	case 'e':
		printk(KERN_EMERG "sysrq: Terminate All Tasks\n");
		signal_all(SIGTERM);
		break;
	case 'i':
		printk(KERN_EMERG "sysrq: Kill All Tasks\n");
		signal_all(SIGKILL);
		break;
	case 'm':
		printk(KERN_EMERG "sysrq: Show Memory\n");
		show_mem();
		break;
	case 'o':
		printk(KERN_EMERG "sysrq: Power Off\n");
		machine_halt(0);
	case 's':
		printk(KERN_EMERG "sysrq: Emergency Sync\n");
		sync_all();
		printk(KERN_EMERG "Emergency Sync complete\n");
		break;
	case 't':
		printk(KERN_EMERG "sysrq: Show State\n");
		show_tasks(false);
		break;
	case 'u':
		printk(KERN_EMERG "sysrq: Emergency Remount R/O\n");
		emergency_remount_ro();
		printk(KERN_EMERG "Emergency Remount complete\n");
		break;
	case 'w':
		printk(KERN_EMERG "sysrq: Show Blocked State\n");
		show_tasks(true);
		break;
	default:
		printk(KERN_EMERG "%s", sysrq_help);
		break;
	}
}
