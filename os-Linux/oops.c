/*
 * oops.c - host half of crash reports, restarts and symbol lookup.
 *
 * A kernel bug ends here: fatal_handler (signal.c) passes the host
 * signal and its saved registers to os_oops; panic() (kernel/printk.c)
 * calls os_panic.  Both print a report in the shape of Linux's oops on
 * stderr (the headline, the task, the registers, the call trace, the
 * guest syscall), let the kernel write back what is safe
 * (kern_oops_writeback), remove the umid directory, then do what the
 * command line asked: exit with OOPS_EXIT_STATUS (the default), leave a
 * core (oops=core), stay for a debugger (panic=0) or restart (panic=N
 * after N seconds, at once when negative).
 *
 * Robustness in a crashed process: no malloc, static buffers, frames
 * read with process_vm_readv (a bad frame pointer is an error, not a
 * second fault), names from the host's addr2line run in a child (fork
 * and exec), so nothing of the broken process's state is trusted for
 * symbols.  A fault while reporting ends the process at once.
 */
/* Paths are cut at their buffers on purpose; the lengths that matter are checked. */
#pragma GCC diagnostic ignored "-Wformat-truncation"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>

#include "shared/os.h"
#include "shared/kern_util.h"

extern char __executable_start[];
static volatile sig_atomic_t restart_requested, in_oops;
static char exe_path[4096];

int os_open_log(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);

	return fd < 0 ? -errno : fd;
}

void os_request_restart(void)
{
	restart_requested = 1;
}

static void out(const char *s)
{
	os_write_all(2, s, strlen(s));
}

/* Reads one word of our own memory without faulting: 0 or -1. */
static int safe_read(uint64_t addr, uint64_t *val)
{
	struct iovec local = { val, sizeof(*val) }, remote = { (void *)addr, sizeof(*val) };

	return syscall(SYS_process_vm_readv, getpid(), &local, 1, &remote, 1, 0) ==
	       sizeof(*val) ? 0 : -1;
}

static const char *exe(void)
{
	if (!exe_path[0]) {
		ssize_t n = readlink("/proc/self/exe", exe_path, sizeof(exe_path) - 1);

		exe_path[n > 0 ? n : 0] = '\0';
	}
	return exe_path;
}

/* Runs addr2line -f -C on the addresses; its output into buf. */
static int run_addr2line(const uint64_t *pcs, int n, char *buf, int len)
{
	static char args[64][24];
	char *argv[64 + 6];
	int p[2], got = 0, st, i;
	pid_t pid;

	if (n > 64)
		n = 64;
	argv[0] = "addr2line"; argv[1] = "-f"; argv[2] = "-C"; argv[3] = "-e";
	argv[4] = (char *)exe();
	for (i = 0; i < n; i++) {
		/* A return address: look up the call before it. */
		snprintf(args[i], sizeof(args[i]), "%#lx",
			 (unsigned long)(pcs[i] - 1 - (uint64_t)__executable_start));
		argv[5 + i] = args[i];
	}
	argv[5 + n] = NULL;
	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		dup2(p[1], 1);
		dup2(null, 2);
		dup2(null, 0);
		execv("/usr/bin/addr2line", argv);
		execvp("addr2line", argv);
		_exit(127);
	}
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		return -1;
	}
	for (int tries = 0; tries < 1000; tries++) {
		struct pollfd pfd = { p[0], POLLIN, 0 };
		ssize_t r;
		int pr = poll(&pfd, 1, 10000);

		if (pr < 0 && errno == EINTR)
			continue;	/* the timer still ticks */
		if (pr <= 0)
			break;
		r = read(p[0], buf + got, len - 1 - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0 || (got += (int)r) >= len - 1)
			break;
	}
	buf[got] = '\0';
	close(p[0]);
	kill(pid, SIGKILL);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return got;
}

static char *next_line(char **s)
{
	char *l = *s, *nl;

	if (!l || !*l)
		return NULL;
	nl = strchr(l, '\n');
	if (nl) {
		*nl = '\0';
		*s = nl + 1;
	} else {
		*s = NULL;
	}
	return l;
}

int os_symbolize(const uint64_t *pcs, int n, char *outbuf, uint64_t outlen)
{
	static char raw[16384];
	char *s = raw;
	uint64_t used = 0;
	int i, have = run_addr2line(pcs, n, raw, sizeof(raw)) > 0;

	outbuf[0] = '\0';
	for (i = 0; i < n && used + 1 < outlen; i++) {
		char *fn = have ? next_line(&s) : NULL, *where = have ? next_line(&s) : NULL;
		const char *slash;
		char *disc = where ? strstr(where, " (discriminator") : NULL;

		if (disc)
			*disc = '\0';
		if (where && !strncmp(where, SRCTOP, strlen(SRCTOP)))
			where += strlen(SRCTOP);	/* the build's own tree */
		else if (where && (slash = strstr(where, "/os-Linux/")) == NULL)
			for (const char *d = "arch/ kernel/ mm/ fs/ drivers/ net/ "; *d; ) {
				char top[16];
				int k = 0;

				while (*d != ' ')
					top[k++] = *d++;
				top[k] = '\0';
				d++;
				if ((slash = strstr(where, top)) != NULL) {
					where = (char *)slash;	/* path from the source top */
					break;
				}
			}
		else if (where)
			where = (char *)slash + 1;
		if (fn && strcmp(fn, "??"))
			used += snprintf(outbuf + used, outlen - used, " %s (%s) [<%016lx>]\n", fn,
					 where ? where : "?", (unsigned long)pcs[i]);
		else
			used += snprintf(outbuf + used, outlen - used, " [<%016lx>] ?\n",
					 (unsigned long)pcs[i]);
	}
	return used < outlen ? (int)used : (int)outlen - 1;
}

/* Return addresses from the frame-pointer chain at fp. */
static int walk_frames(uint64_t fp, uint64_t *pcs, int max)
{
	int n = 0;

	while (n < max && fp && !(fp & 7)) {
		uint64_t next, ret;

		if (safe_read(fp, &next) || safe_read(fp + 8, &ret) || !ret)
			break;
		pcs[n++] = ret;
		if (next <= fp || next - fp > (1 << 20))
			break;
		fp = next;
	}
	return n;
}

static void print_trace(uint64_t fp, uint64_t first_pc)
{
	static char sym[64 * 200];
	uint64_t pcs[48];
	int n = 0;

	if (first_pc)
		pcs[n++] = first_pc + 1;	/* the faulting instruction itself */
	n += walk_frames(fp, pcs + n, 48 - n);
	out("Call Trace:\n <TASK>\n");
	os_symbolize(pcs, n, sym, sizeof(sym));
	out(sym);
	out(" </TASK>\n");
}

/* Interrupts stop here: the report is the last thing the kernel does. */
static void block_irqs(void)
{
	sigset_t set;

	sigfillset(&set);
	sigdelset(&set, SIGSEGV);
	sigdelset(&set, SIGBUS);
	sigdelset(&set, SIGILL);
	sigdelset(&set, SIGFPE);
	sigdelset(&set, SIGABRT);
	sigprocmask(SIG_BLOCK, &set, NULL);
}

static void kernel_lines(void)
{
	static char buf[512];

	kern_oops_task(buf, sizeof(buf));
	out(buf);
}

static void print_regs(const mcontext_t *m)
{
	static char buf[1024], sym[256];
	const greg_t *g = m->gregs;
	uint64_t rip = (uint64_t)g[REG_RIP] + 1;	/* the instruction, not a return */

	os_symbolize(&rip, 1, sym, sizeof(sym));
	out("RIP:");
	out(sym);
	snprintf(buf, sizeof(buf),
		 "RSP: %016llx EFLAGS: %08llx\n"
		 "RAX: %016llx RBX: %016llx RCX: %016llx\n"
		 "RDX: %016llx RSI: %016llx RDI: %016llx\n"
		 "RBP: %016llx R08: %016llx R09: %016llx\n"
		 "R10: %016llx R11: %016llx R12: %016llx\n"
		 "R13: %016llx R14: %016llx R15: %016llx\n",
		 g[REG_RSP], g[REG_EFL], g[REG_RAX], g[REG_RBX], g[REG_RCX],
		 g[REG_RDX], g[REG_RSI], g[REG_RDI], g[REG_RBP], g[REG_R8], g[REG_R9],
		 g[REG_R10], g[REG_R11], g[REG_R12], g[REG_R13], g[REG_R14], g[REG_R15]);
	out(buf);
}

/* Kills the stub processes (our children) so a restart leaves none behind. */
static void kill_children(void)
{
	char path[64], buf[4096];
	struct dirent *de;
	DIR *d = opendir("/proc/self/task");

	while (d && (de = readdir(d)) != NULL) {
		int fd, n;
		char *p, *end;

		snprintf(path, sizeof(path), "/proc/self/task/%s/children", de->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		n = (int)read(fd, buf, sizeof(buf) - 1);
		close(fd);
		buf[n > 0 ? n : 0] = '\0';
		for (p = buf; *p; p = end) {
			long pid = strtol(p, &end, 10);

			if (end == p)
				break;
			kill((pid_t)pid, SIGKILL);
			waitpid((pid_t)pid, NULL, __WALL);
		}
	}
	if (d)
		closedir(d);
}

/* Starts ./linux again with the arguments it was given. */
static void __attribute__((noreturn)) reexec(void)
{
	static char cmdline[65536];
	static char *argv[4096];
	int fd = open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC), n = 0, argc = 0;

	if (fd >= 0) {
		ssize_t r;

		while (n < (int)sizeof(cmdline) - 1 &&
		       (r = read(fd, cmdline + n, sizeof(cmdline) - 1 - n)) > 0)
			n += (int)r;
		close(fd);
	}
	cmdline[n] = '\0';
	for (int i = 0; i < n && argc < 4095; i += (int)strlen(cmdline + i) + 1)
		argv[argc++] = cmdline + i;
	argv[argc] = NULL;
	sigset_t none;

	kill_children();
	os_console_restore();
	syscall(SYS_close_range, 3, ~0U, 0);
	sigemptyset(&none);		/* exec keeps the mask: start clean */
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (argc)
		execv(exe()[0] ? exe() : "/proc/self/exe", argv);
	out("linux: cannot restart: exec failed\n");
	_exit(1);
}

/* On every os_exit: the umid directory goes, and a restart happens now. */
void os_shutdown_host(void)
{
	os_umid_remove();
	if (restart_requested)
		reexec();
}

static void __attribute__((noreturn)) oops_end(int sig)
{
	static char buf[256];

	kern_oops_writeback();
	os_umid_remove();
	if (kern_oops_core) {
		struct rlimit rl;
		sigset_t set;

		getrlimit(RLIMIT_CORE, &rl);
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_CORE, &rl);
		snprintf(buf, sizeof(buf), "linux: leaving a core file (signal %d)\n", sig);
		out(buf);
		signal(sig, SIG_DFL);
		sigemptyset(&set);
		sigaddset(&set, sig);
		sigprocmask(SIG_UNBLOCK, &set, NULL);
		raise(sig);
		_exit(128 + sig);
	}
	if (kern_panic_timeout == OOPS_PANIC_UNSET)
		_exit(OOPS_EXIT_STATUS);
	if (kern_panic_timeout == 0) {
		snprintf(buf, sizeof(buf),
			 "linux: staying up for a debugger (panic=0): gdb -p %d\n", (int)getpid());
		out(buf);
		sigset_t term;

		signal(SIGTERM, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		sigemptyset(&term);
		sigaddset(&term, SIGTERM);
		sigaddset(&term, SIGINT);
		sigprocmask(SIG_UNBLOCK, &term, NULL);
		for (;;)
			pause();
	}
	if (kern_panic_timeout > 0) {
		snprintf(buf, sizeof(buf), "Rebooting in %d seconds..\n", kern_panic_timeout);
		out(buf);
		sleep((unsigned)kern_panic_timeout);
	}
	reexec();
}

static void oops_tail(int sig)
{
	static char buf[512];

	kern_oops_syscall(buf, sizeof(buf));
	out(buf);
	out("---[ end trace 0000000000000000 ]---\n");
}

static const char *oops_headline(int sig, const siginfo_t *si, const mcontext_t *m,
				 char *buf, int len)
{
	unsigned long addr = (unsigned long)si->si_addr;
	int write = (m->gregs[REG_ERR] & 2) != 0;

	switch (sig) {
	case SIGSEGV:
		if (si->si_code == SI_KERNEL)
			snprintf(buf, len, "Oops: general protection fault: 0000 [#1]\n");
		else
			snprintf(buf, len, "BUG: %s, address: %016lx\n#PF: supervisor %s access "
				 "in kernel mode\nOops: 0000 [#1]\n",
				 addr < 4096 ? "kernel NULL pointer dereference" :
				 "unable to handle page fault for address", addr,
				 write ? "write" : "read");
		return buf;
	case SIGILL:
		return "Oops: invalid opcode: 0000 [#1]\n";
	case SIGBUS:
		return "Oops: bus error: 0000 [#1]\n";
	case SIGFPE:
		return "Oops: divide error: 0000 [#1]\n";
	default:
		snprintf(buf, len, "Oops: host signal %d in the kernel [#1]\n", sig);
		return buf;
	}
}

void os_oops(int sig, siginfo_t *si, void *ucv)
{
	static char buf[512];
	ucontext_t *uc = ucv;
	const mcontext_t *m = &uc->uc_mcontext;

	if (in_oops++) {
		out("linux: fault while reporting a kernel crash\n");
		_exit(OOPS_EXIT_STATUS);
	}
	block_irqs();
	os_console_restore();
	out(oops_headline(sig, si, m, buf, sizeof(buf)));
	kernel_lines();
	print_regs(m);
	print_trace((uint64_t)m->gregs[REG_RBP], (uint64_t)m->gregs[REG_RIP]);
	oops_tail(sig);
	out("Kernel panic - not syncing: Fatal exception\n");
	oops_end(sig);
}

void os_panic(void)
{
	if (in_oops++)
		_exit(OOPS_EXIT_STATUS);
	block_irqs();
	os_console_restore();
	kernel_lines();
	print_trace((uint64_t)__builtin_frame_address(0), 0);
	oops_tail(SIGABRT);
	oops_end(SIGABRT);
}
