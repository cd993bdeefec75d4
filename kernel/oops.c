/*
 * oops.c - the kernel's half of a crash report.
 *
 * A kernel bug ends in the host half (os-Linux/oops.c): a host signal in
 * the kernel itself (SIGSEGV, SIGBUS, SIGILL, SIGFPE) or panic(), which
 * a failed BUG_ON calls.  The host half prints the registers and the
 * backtrace; this file tells it which task and guest syscall were
 * running, and writes back what is safe: the disk requests already
 * handed to the I/O thread, then an fsync of every disk.  The buffer
 * cache is not written: its dirty blocks may be what the bug broke.
 *
 * test_crash=KIND[,SYSCALL] (test-only) arms a deliberate bug: KIND is
 * segv (a NULL write), bug (a failed BUG_ON) or ill (an invalid opcode);
 * it fires in the first guest SYSCALL of that name, or on sysrq c.
 */
#include "kernel/sched.h"
#include "kernel/init.h"
#include "kernel/oops.h"
#include "kernel/kernel.h"
#include "shared/kern_util.h"

const char *syscall_name(u64 nr);
void ubd_emergency_flush(void);

int kern_panic_timeout = OOPS_PANIC_UNSET;
int kern_oops_core;

const char *oops_syscall_desc(struct task *t)
{
	static char buf[256];
	const char *name;

	if (!t || !t->mm || !t->in_syscall)
		return NULL;
	name = syscall_name(t->regs.orig_rax);
	ksnprintf(buf, sizeof(buf), "%s(%#llx, %#llx, %#llx, %#llx, %#llx, %#llx)",
		  name ? name : "?", (unsigned long long)t->regs.rdi,
		  (unsigned long long)t->regs.rsi, (unsigned long long)t->regs.rdx,
		  (unsigned long long)t->regs.r10, (unsigned long long)t->regs.r8,
		  (unsigned long long)t->regs.r9);
	return buf;
}

int kern_oops_task(char *buf, int len)
{
	const struct task *t = current;

	return ksnprintf(buf, (size_t)len, "CPU: 0 PID: %d Comm: %.16s %s\n",
			 t ? t->pid : -1, t ? t->comm : "?",
			 t && !t->mm ? "(kernel thread)" : "");
}

int kern_oops_syscall(char *buf, int len)
{
	struct task *t = current;
	const char *d = oops_syscall_desc(t);

	if (!d) {
		buf[0] = '\0';
		return 0;
	}
	return ksnprintf(buf, (size_t)len, "Guest syscall in progress: pid %d (%.16s) %s\n",
			 t->pid, t->comm, d);
}

void kern_oops_writeback(void)
{
	ubd_emergency_flush();
}

void strace_init(void);

void debug_init(void)
{
	if (boot_params.panic_set)
		kern_panic_timeout = boot_params.panic_timeout;
	kern_oops_core = boot_params.oops_core;
	strace_init();
	mconsole_init();
}

static volatile int *volatile oops_null;


void oops_inject(void)
{
	const char *kind = boot_params.test_crash ? boot_params.test_crash : "segv";

	if (!strncmp(kind, "bug", 3))
		BUG_ON(kind[0] == 'b');
	if (!strncmp(kind, "ill", 3))
		__builtin_trap();
	/* segv: a NULL pointer write, in asm so that the UBSan build
	 * (make SANITIZE=1) crashes here too instead of reporting it. */
	__asm__ volatile("movl $1, (%0)" : : "r"(oops_null) : "memory");
}

void oops_syscall_hook(const char *name)
{
	const char *want = boot_params.test_crash_syscall;

	if (want && name && !strcmp(want, name))
		oops_inject();
}
