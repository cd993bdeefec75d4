/*
 * ptrace.c - the ptrace platform's host half: stub processes.
 *
 * A stub process is a tiny static program (arch/um/stub) exec'd from a
 * sealed memfd, traced by the kernel thread.  Its start: the child of a
 * vfork-style clone asks to be traced, turns off address randomisation (so
 * the host stack and vDSO sit above the stub, where the stub unmaps them),
 * puts the physmem fd at STUB_PHYSMEM_FD and execs the stub.  At the exec
 * stop the kernel passes the offset of the stub's data pages in rdi; the
 * stub maps them, unmaps the rest of the host's gifts, closes every other
 * fd, installs its seccomp filter and stops with int3.
 *
 * os_stub_run_ops() is the one place the stub runs its own code with real
 * host syscalls (PTRACE_CONT): every register is built here from nothing,
 * and any stop but the op loop's final int3 kills the stub.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <elf.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include "shared/os.h"
#include "shared/stub.h"

#ifndef PTRACE_SYSEMU
#define PTRACE_SYSEMU 31
#endif
#ifndef PTRACE_GET_SYSCALL_INFO
#define PTRACE_GET_SYSCALL_INFO 0x420e
#endif
#define AUDIT_ARCH_X86_64_ 0xc000003eU

/* Our own preemption signals that may still be pending when the op loop
 * starts: each makes one stop there.  More than this is not ours. */
#define OPLOOP_MAX_NOISE 8

_Static_assert(sizeof(struct os_regs) == sizeof(struct user_regs_struct),
	       "os_regs must match user_regs_struct");

static int stub_memfd = -1;

struct child_args {
	int physmem_fd;
};

static int stub_memfd_get(const void *image, uint64_t len)
{
	int fd;

	if (stub_memfd >= 0)
		return stub_memfd;
	fd = memfd_create("linux-stub", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return -errno;
	if (os_write_all(fd, image, len) != (int64_t)len ||
	    fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) < 0) {
		int e = errno ? -errno : -EIO;

		close(fd);
		return e;
	}
	stub_memfd = fd;
	return fd;
}

/* Runs in the vfork child: only async-signal-safe calls until exec. */
static int stub_child(void *arg)
{
	struct child_args *ca = arg;
	static char *const argv[] = { "linux-stub", NULL };
	static char *const envp[] = { NULL };

	/* EPERM: ./linux and its children are traced already (strace -f). */
	if (ptrace(PTRACE_TRACEME, 0, 0, 0) < 0)
		_exit(STUB_EXIT_TRACED);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* Its own process group: a terminal's ^C or a `timeout` that signals
	 * ./linux's group must not stop a stub in the middle of its op loop
	 * (a stop there kills it).  Host signals reach the kernel only. */
	setpgid(0, 0);
	personality(ADDR_NO_RANDOMIZE);
	/* dup2 onto itself would keep FD_CLOEXEC: clear it by hand then. */
	if (ca->physmem_fd == STUB_PHYSMEM_FD ? fcntl(STUB_PHYSMEM_FD, F_SETFD, 0) < 0 :
	    dup2(ca->physmem_fd, STUB_PHYSMEM_FD) < 0)
		_exit(121);
	syscall(SYS_execveat, stub_memfd, "", argv, envp, AT_EMPTY_PATH);
	_exit(122);
}

/* What a stub's death before its first stop means, as -errno. */
static int start_failure(int status)
{
	if (!WIFEXITED(status))
		return -ECHILD;
	switch (WEXITSTATUS(status)) {
	case STUB_EXIT_TRACED: return -EPERM;
	case STUB_EXIT_NODATA: return -ENOMEM;
	case STUB_EXIT_NOFILTER: return -ENOSYS;
	}
	return -ECHILD;
}

static int wait_stopped(int pid, int want)
{
	int status;

	for (;;) {
		if (waitpid(pid, &status, __WALL) < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (WIFSTOPPED(status) && WSTOPSIG(status) == want)
			return 0;
		if (!WIFSTOPPED(status))
			return start_failure(status);
		os_print_err("stub %d: unexpected stop %d\n", pid, WSTOPSIG(status));
		return -EINVAL;
	}
}

int os_stub_start(const void *image, uint64_t image_len, int physmem_fd, uint64_t data_off,
		  int64_t sc_region_off)
{
	static char *stack;
	struct child_args ca = { physmem_fd };
	struct user_regs_struct regs;
	int pid, err;

	err = stub_memfd_get(image, image_len);
	if (err < 0)
		return err;
	if (!stack && !(stack = malloc(65536)))
		return -ENOMEM;
	pid = clone(stub_child, stack + 65536, CLONE_VM | CLONE_VFORK | SIGCHLD, &ca);
	if (pid < 0)
		return -errno;
	err = wait_stopped(pid, SIGTRAP);		/* the exec stop */
	if (err < 0)
		goto fail;
	if (ptrace(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_EXITKILL | PTRACE_O_TRACESYSGOOD) < 0 ||
	    ptrace(PTRACE_GETREGS, pid, 0, &regs) < 0)
		goto fail_errno;
	regs.rdi = data_off;
	regs.rsi = sc_region_off < 0 ? 0 : (uint64_t)sc_region_off;
	regs.rdx = sc_region_off >= 0;		/* seccomp mode */
	if (ptrace(PTRACE_SETREGS, pid, 0, &regs) < 0 || ptrace(PTRACE_CONT, pid, 0, 0) < 0)
		goto fail_errno;
	err = wait_stopped(pid, SIGTRAP);		/* the stub's int3 */
	if (err < 0)
		goto fail;
	return pid;
fail_errno:
	err = -errno;
fail:
	os_stub_kill(pid);
	return err;
}

void os_stub_kill(int pid)
{
	if (pid <= 0)
		return;
	kill(pid, SIGKILL);
	while (waitpid(pid, NULL, __WALL) < 0 && errno == EINTR)
		;
}


/*
 * A guest may load any canonical fs/gs base itself with wrfsbase/wrgsbase,
 * a kernel-half one included (Linux allows it; only a use of it faults),
 * but PTRACE_SETREGS refuses such a base with EIO.  So the registers are
 * written without it: everything up to ss with a short NT_PRSTATUS
 * regset, the settable base(s) and the selectors one by one; a base that
 * cannot be set must be the one the stub already holds (the guest put it
 * there), else -EINVAL.
 */
static int set_regs_keep_bases(int pid, const struct os_regs *regs)
{
	static const size_t base_off[2] = { offsetof(struct os_regs, fs_base),
					    offsetof(struct os_regs, gs_base) };
	static const size_t sel_off[4] = { offsetof(struct os_regs, ds), offsetof(struct os_regs, es),
					   offsetof(struct os_regs, fs), offsetof(struct os_regs, gs) };
	struct iovec iov = { (void *)regs, offsetof(struct os_regs, fs_base) };

	if (ptrace(PTRACE_SETREGSET, pid, NT_PRSTATUS, &iov) < 0)
		return -errno;
	for (int i = 0; i < 2; i++) {
		uint64_t want = *(const uint64_t *)((const char *)regs + base_off[i]);
		long have;

		if (want < OS_BASE_LIMIT) {
			if (ptrace(PTRACE_POKEUSER, pid, base_off[i], want) < 0)
				return -errno;
			continue;
		}
		errno = 0;
		have = ptrace(PTRACE_PEEKUSER, pid, base_off[i], 0);
		if (errno)
			return -errno;
		if ((uint64_t)have != want)
			return -EINVAL;
	}
	for (int i = 0; i < 4; i++)
		if (ptrace(PTRACE_POKEUSER, pid, sel_off[i],
			   *(const uint64_t *)((const char *)regs + sel_off[i])) < 0)
			return -errno;
	return 0;
}

int os_stub_set_regs(int pid, const struct os_regs *regs)
{
	if (regs->fs_base >= OS_BASE_LIMIT || regs->gs_base >= OS_BASE_LIMIT)
		return set_regs_keep_bases(pid, regs);
	return ptrace(PTRACE_SETREGS, pid, 0, regs) < 0 ? -errno : 0;
}

int os_stub_get_regs(int pid, struct os_regs *regs)
{
	return ptrace(PTRACE_GETREGS, pid, 0, regs) < 0 ? -errno : 0;
}

/* Returns the bytes transferred or -errno. */
int os_stub_get_xstate(int pid, void *buf, uint64_t len)
{
	struct iovec iov = { buf, len };

	if (ptrace(PTRACE_GETREGSET, pid, NT_X86_XSTATE, &iov) < 0)
		return -errno;
	return iov.iov_len;
}

int os_stub_set_xstate(int pid, const void *buf, uint64_t len)
{
	struct iovec iov = { (void *)buf, len };

	return ptrace(PTRACE_SETREGSET, pid, NT_X86_XSTATE, &iov) < 0 ? -errno : 0;
}

int os_stub_resume(int pid, int sysemu)
{
	return ptrace(sysemu ? PTRACE_SYSEMU : PTRACE_CONT, pid, 0, 0) < 0 ? -errno : 0;
}

int os_stub_set_rax(int pid, uint64_t rax)
{
	return ptrace(PTRACE_POKEUSER, pid, offsetof(struct user_regs_struct, rax), rax) < 0 ?
	       -errno : 0;
}

/*
 * The syscall stop's call: whether it is a 64-bit syscall (an int $0x80,
 * a sysenter, or a syscall from a 32-bit code segment is a compat syscall
 * to the host; the host kernel knows which entry it took and says so),
 * and its number, arguments, address and stack pointer (ev->info), which
 * spare a PTRACE_GETREGS for a call that needs nothing else.
 */
static void syscall_info(int pid, struct os_event *ev)
{
	struct {		/* struct ptrace_syscall_info, up to its entry */
		uint8_t op, pad[3];
		uint32_t arch;
		uint64_t ip, sp;
		uint64_t nr, args[6];
	} info;
	long n = ptrace(PTRACE_GET_SYSCALL_INFO, pid, sizeof(info), &info);

	ev->compat = 1;
	ev->info = 0;
	if (n < (long)offsetof(__typeof__(info), ip))
		return;
	ev->compat = info.arch != AUDIT_ARCH_X86_64_;
	if (ev->compat || n < (long)sizeof(info) || info.op != 1 /* PTRACE_SYSCALL_INFO_ENTRY */ ||
	    info.nr > INT32_MAX)	/* an odd number: the registers, as they are */
		return;
	ev->info = 1;
	ev->nr = (int)info.nr;
	ev->ip = info.ip;
	ev->sp = info.sp;
	memcpy(ev->args, info.args, sizeof(ev->args));
}

static void decode_stop(int pid, int sig, struct os_event *ev)
{
	siginfo_t si;

	ev->sig = sig;
	ev->code = 0;
	ev->addr = 0;
	ev->nr = 0;
	ev->from_us = 0;
	ev->info = 0;
	if (sig == (SIGTRAP | 0x80)) {
		ev->kind = OS_EV_SYSCALL;
		syscall_info(pid, ev);
		return;
	}
	ev->kind = OS_EV_SIGNAL;
	ev->compat = 0;
	if (ptrace(PTRACE_GETSIGINFO, pid, 0, &si) == 0) {
		ev->code = si.si_code;
		ev->addr = (uint64_t)si.si_addr;	/* si_call_addr for SIGSYS */
		if (sig == SIGSYS)
			ev->nr = si.si_syscall;
		ev->from_us = si.si_code == SI_USER && si.si_pid == getpid();
	}
}

int os_stub_wait(int pid, struct os_event *ev, int interruptible)
{
	int status;

	for (;;) {
		if (waitpid(pid, &status, __WALL) >= 0)
			break;
		if (errno != EINTR)
			return -errno;
		if (interruptible)
			return -EINTR;
	}
	if (WIFSTOPPED(status)) {
		decode_stop(pid, WSTOPSIG(status), ev);
		return 0;
	}
	ev->kind = OS_EV_EXITED;
	ev->status = status;
	return 0;
}

/*
 * The platform's one host wait: the next stop or death of any child.
 * Returns its pid (ev filled in), 0 if block is 0 and there is none,
 * -EINTR if an IRQ is pending or comes before an event does (race-free,
 * see os_wait_any() in signal.c), -ECHILD when there is no child.
 */
int os_stub_wait_any(struct os_event *ev, int block)
{
	int status = 0, pid;

	do {
		if (block)
			pid = os_wait_any(&status, __WALL);
		else if ((pid = waitpid(-1, &status, __WALL | WNOHANG)) < 0)
			pid = -errno;
	} while (!block && pid == -EINTR);
	if (pid <= 0)
		return pid;
	if (WIFSTOPPED(status)) {
		decode_stop(pid, WSTOPSIG(status), ev);
		return pid;
	}
	ev->kind = OS_EV_EXITED;
	ev->status = status;
	return pid;
}

void os_stub_interrupt(int pid)
{
	kill(pid, SIGVTALRM);
}

/* Kills a stub that stopped where it must not, with its process group (the
 * stub alone, unless it escaped and forked), and reaps it.  The pid is
 * still ours: the stub has not been reaped. */
static void stub_kill_group(int pid)
{
	kill(-pid, SIGKILL);
	os_stub_kill(pid);
}

/*
 * The op loop's registers, built from nothing: 64-bit user code and stack
 * segments, null data segments and bases, only IF in the flags (no TF, AC,
 * DF), rip at the op loop, rsp on the stub's own stack, no syscall to
 * restart.  Not one value comes from the guest (but a base ptrace cannot
 * write, see oploop_regs_keep_bases()).
 */
static void oploop_regs(const struct os_stub_entry *e, struct user_regs_struct *r)
{
	memset(r, 0, sizeof(*r));
	r->rip = e->run_ops;
	r->rsp = e->stack_top;
	r->cs = OS_USER_CS;
	r->ss = OS_USER_DS;
	r->eflags = 0x202;
	r->orig_rax = (uint64_t)-1;
}

/*
 * The op loop's registers when the stub holds a guest fs/gs base ptrace
 * cannot write (OS_BASE_LIMIT): everything but that base from scratch.
 * The short NT_PRSTATUS regset stops before the bases; it takes the
 * layout of the stub's current mode, so CS goes first (POKEUSER always
 * takes the 64-bit layout).  The op loop never addresses memory through
 * %fs or %gs (the Makefile checks), so the base kept cannot steer it.
 */
static int oploop_regs_keep_bases(int pid, struct user_regs_struct *r)
{
	static const size_t base_off[2] = { offsetof(struct user_regs_struct, fs_base),
					    offsetof(struct user_regs_struct, gs_base) };
	static const size_t sel_off[4] = { offsetof(struct user_regs_struct, ds),
					   offsetof(struct user_regs_struct, es),
					   offsetof(struct user_regs_struct, fs),
					   offsetof(struct user_regs_struct, gs) };
	struct iovec iov = { r, offsetof(struct user_regs_struct, fs_base) };

	if (ptrace(PTRACE_POKEUSER, pid, offsetof(struct user_regs_struct, cs), OS_USER_CS) < 0 ||
	    ptrace(PTRACE_SETREGSET, pid, NT_PRSTATUS, &iov) < 0)
		return -errno;
	for (int i = 0; i < 4; i++)
		if (ptrace(PTRACE_POKEUSER, pid, sel_off[i], 0) < 0)
			return -errno;
	for (int i = 0; i < 2; i++) {
		long have;

		errno = 0;
		have = ptrace(PTRACE_PEEKUSER, pid, base_off[i], 0);
		if (errno)
			return -errno;
		if ((uint64_t)have < OS_BASE_LIMIT && ptrace(PTRACE_POKEUSER, pid, base_off[i], 0) < 0)
			return -errno;
	}
	return 0;
}

/* Whether a stop is the op loop's final int3. */
static int oploop_done(int pid, const struct os_stub_entry *e, const struct os_event *ev)
{
	struct user_regs_struct r;

	if (ev->kind != OS_EV_SIGNAL || ev->sig != SIGTRAP || ev->code != SI_KERNEL)
		return 0;
	if (ptrace(PTRACE_GETREGS, pid, 0, &r) < 0)
		return 0;
	return r.rip == e->ops_done && r.cs == OS_USER_CS && r.ss == OS_USER_DS;
}

/*
 * Runs the stub's op loop over the operations in its data pages, under
 * PTRACE_CONT.  Returns 0 at its final int3.  Any other stop (a fault, a
 * signal that is not our own preemption signal, too many of those) kills
 * the stub: -EPERM, ev says what stopped it.  -ESRCH: the stub died (ev is
 * OS_EV_EXITED, its wait status: SIGSYS is its seccomp filter).
 */
int os_stub_run_ops(int pid, const struct os_stub_entry *e, int keep_bases,
		    struct os_event *ev)
{
	struct user_regs_struct regs;
	int noise = 0, r;

	oploop_regs(e, &regs);
	if (keep_bases)
		r = oploop_regs_keep_bases(pid, &regs);
	else
		r = ptrace(PTRACE_SETREGS, pid, 0, &regs) < 0 ? -errno : 0;
	if (r < 0 || ptrace(PTRACE_CONT, pid, 0, 0) < 0) {
		ev->kind = OS_EV_SIGNAL;
		ev->sig = 0;
		ev->code = r;
		stub_kill_group(pid);
		return -EPERM;
	}
	for (;;) {
		r = os_stub_wait(pid, ev, 0);
		if (r < 0 || ev->kind == OS_EV_EXITED)
			return -ESRCH;
		if (oploop_done(pid, e, ev))
			return 0;
		if (ev->kind != OS_EV_SIGNAL || ev->sig != SIGVTALRM || !ev->from_us ||
		    ++noise > OPLOOP_MAX_NOISE || ptrace(PTRACE_CONT, pid, 0, 0) < 0)
			break;
	}
	stub_kill_group(pid);
	return -EPERM;
}
