/*
 * stubfilter.c - the stub process's seccomp filter and the op loop's
 * registers, tested on the host: this program starts the real stub (the
 * image embedded in ./linux, through os-Linux/ptrace.c) and plays the
 * kernel, then does what an escaped guest would: host syscalls from every
 * `syscall` instruction of the stub, and op loop operations outside the
 * guest's range.  Each must kill the stub by SIGSYS; the op loop's own
 * operations must work, whatever registers the stub held before.
 *
 * Built by tests/security/run against os-Linux/ptrace.c and
 * build/stub_blob.o.  Prints ok/not ok lines and PASSED or FAILED.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "shared/os.h"
#include "shared/stub.h"

extern const char stub_image[], stub_image_end[];

#include "check.h"
static int physmem = -1;
static struct stub_data *data;	/* our view of the stub's data pages */


/* What os-Linux/ptrace.c needs from the rest of os-Linux. */
void os_print_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

int64_t os_write_all(int fd, const void *buf, uint64_t len)
{
	uint64_t done = 0;

	while (done < len) {
		ssize_t n = write(fd, (const char *)buf + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -errno;
		done += n;
	}
	return done;
}

/* os_stub_wait_any's host wait; this test has no IRQs to race with. */
int os_wait_any(int *status, int options)
{
	int r = waitpid(-1, status, options);

	return r < 0 ? -errno : r;
}

static int start(struct os_stub_entry *e)
{
	int pid = os_stub_start(stub_image, stub_image_end - stub_image, physmem, 0, -1);

	if (pid > 0) {
		e->run_ops = data->run_ops;
		e->ops_done = data->ops_done;
		e->stack_top = data->stack_top;
	}
	return pid;
}

/* Whether the stub has a host mapping starting at addr. */
static int mapped_at(int pid, unsigned long addr)
{
	char path[64], line[256];
	FILE *f;
	int found = 0;

	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strtoul(line, NULL, 16) == addr)
			found = 1;
	fclose(f);
	return found;
}

static int one_op(int pid, const struct os_stub_entry *e, struct stub_op op, struct os_event *ev)
{
	data->nops = 1;
	data->ops[0] = op;
	data->err = -EINTR;
	return os_stub_run_ops(pid, e, 0, ev);
}

/* The op loop works, from any register state the guest could leave. */
static void test_allowed(void)
{
	struct os_stub_entry e;
	struct os_event ev;
	struct os_regs r;
	int pid = start(&e), ret;

	check(pid > 0, "start", "os_stub_start: %d", pid);
	if (pid <= 0)
		return;
	ret = one_op(pid, &e, (struct stub_op){ STUB_OP_MMAP, 0x10000, 8192, PROT_READ | PROT_WRITE,
						 8 * 4096 }, &ev);
	check(ret == 0 && data->err == 0 && mapped_at(pid, 0x10000) == 1, "oploop/mmap",
	      "run_ops %d, op error %ld, mapped %d", ret, (long)data->err, mapped_at(pid, 0x10000));
	/* A guest's registers at a stop: 32-bit code segment, TF and AC,
	 * odd data segments, rip and rsp anywhere. */
	os_stub_get_regs(pid, &r);
	r.cs = 0x23;
	r.eflags = 0x40302;
	r.rip = 0x10;
	r.rsp = 0x1000;
	r.ds = r.es = 0x2b;
	r.fs = r.gs = 0x23;
	r.orig_rax = 0;
	r.rax = -512;		/* -ERESTARTSYS */
	ret = os_stub_set_regs(pid, &r);
	check(ret == 0, "oploop/guest-regs-set", "SETREGS %d", ret);
	ret = one_op(pid, &e, (struct stub_op){ STUB_OP_MPROTECT, 0x10000, 4096, PROT_READ, 0 }, &ev);
	check(ret == 0 && data->err == 0, "oploop/after-guest-regs",
	      "run_ops %d (stop: signal %d code %d addr %#lx), op error %ld", ret, ev.sig, ev.code,
	      (unsigned long)ev.addr, (long)data->err);
	ret = one_op(pid, &e, (struct stub_op){ STUB_OP_MUNMAP, 0x10000, 8192, 0, 0 }, &ev);
	check(ret == 0 && data->err == 0 && mapped_at(pid, 0x10000) == 0, "oploop/munmap",
	      "run_ops %d, op error %ld", ret, (long)data->err);
	ret = one_op(pid, &e, (struct stub_op){ STUB_OP_MMAP_POPULATE, 0x20000, 8192,
						 PROT_READ | PROT_WRITE, 8 * 4096 }, &ev);
	check(ret == 0 && data->err == 0 && mapped_at(pid, 0x20000) == 1, "oploop/mmap-populate",
	      "run_ops %d, op error %ld, mapped %d", ret, (long)data->err, mapped_at(pid, 0x20000));
	ret = one_op(pid, &e, (struct stub_op){ STUB_OP_MUNMAP, 0, TASK_SIZE, 0, 0 }, &ev);
	check(ret == 0 && data->err == 0, "oploop/munmap-all", "run_ops %d, op error %ld", ret,
	      (long)data->err);
	os_stub_kill(pid);
}

static int died_by_sigsys(int ret, const struct os_event *ev)
{
	return ret == -ESRCH && ev->kind == OS_EV_EXITED && WIFSIGNALED(ev->status) &&
	       WTERMSIG(ev->status) == SIGSYS;
}

/* Operations the kernel never asks for: the filter kills the stub. */
static void test_bad_ops(void)
{
	static const struct { const char *name; struct stub_op op; } cases[] = {
		{ "mmap-stubdata", { STUB_OP_MMAP, STUB_DATA, 4096, PROT_READ | PROT_WRITE, 0 } },
		{ "mmap-stubcode", { STUB_OP_MMAP, STUB_CODE, 4096, PROT_READ | PROT_EXEC, 0 } },
		{ "mmap-across-top", { STUB_OP_MMAP, TASK_SIZE - 4096, 8192, PROT_READ, 0 } },
		{ "mmap-wrapping", { STUB_OP_MMAP, 0x10000, -0x8000ULL, PROT_READ, 0 } },
		{ "mmap-high-len", { STUB_OP_MMAP, 0, 0x100000000000000ULL, PROT_READ, 0 } },
		{ "mmap-prot-sem", { STUB_OP_MMAP, 0x10000, 4096, PROT_READ | 0x8, 0 } },
		{ "mmap-populate-stubdata", { STUB_OP_MMAP_POPULATE, STUB_DATA, 4096, PROT_READ | PROT_WRITE, 0 } },
		{ "mmap-populate-across-top", { STUB_OP_MMAP_POPULATE, TASK_SIZE - 4096, 8192, PROT_READ, 0 } },
		{ "mprotect-stub", { STUB_OP_MPROTECT, STUB_CODE, 4096, PROT_READ | PROT_WRITE, 0 } },
		{ "mprotect-growsdown", { STUB_OP_MPROTECT, 0x10000, 4096, PROT_READ | PROT_GROWSDOWN, 0 } },
		{ "munmap-stub", { STUB_OP_MUNMAP, STUB_CODE, 4096, 0, 0 } },
		{ "munmap-above", { STUB_OP_MUNMAP, 0, TASK_SIZE + 4096, 0, 0 } },
	};
	char name[64];

	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct os_stub_entry e;
		struct os_event ev;
		int pid = start(&e), ret;

		snprintf(name, sizeof(name), "filter/%s", cases[i].name);
		if (pid <= 0) {
			check(0, name, "os_stub_start: %d", pid);
			continue;
		}
		ret = one_op(pid, &e, cases[i].op, &ev);
		check(died_by_sigsys(ret, &ev), name, "run_ops %d, event %d status %#x", ret, ev.kind,
		      ev.status);
		if (ret == 0)
			os_stub_kill(pid);
	}
}

/* The `syscall` instructions (0f 05) in the stub's first code page. */
static int find_syscalls(int pid, unsigned long *at, int max)
{
	unsigned char code[4096];
	char path[64];
	int fd, n = 0;

	snprintf(path, sizeof(path), "/proc/%d/mem", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0 || pread(fd, code, sizeof(code), STUB_CODE) != sizeof(code)) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	for (unsigned i = 0; i + 1 < sizeof(code) && n < max; i++)
		if (code[i] == 0x0f && code[i + 1] == 0x05)
			at[n++] = STUB_CODE + i;
	return n;
}

/* Runs a host syscall at rip under PTRACE_CONT, as an escaped guest would. */
static int escaped_syscall(unsigned long rip, long nr, long a0, long a4, struct os_event *ev)
{
	struct os_stub_entry e;
	struct os_regs r;
	int pid = start(&e);

	if (pid <= 0)
		return pid;
	os_stub_get_regs(pid, &r);
	r.rip = rip;
	r.rax = nr;
	r.rdi = a0;
	r.rsi = 4096;
	r.rdx = PROT_READ | PROT_WRITE;
	r.r10 = MAP_SHARED | MAP_FIXED;
	r.r8 = a4;
	r.r9 = 0;
	r.rsp = e.stack_top;
	r.orig_rax = -1;
	if (os_stub_set_regs(pid, &r) < 0 || os_stub_resume(pid, 0) < 0)
		return -EIO;
	for (;;) {
		if (os_stub_wait(pid, ev, 0) < 0)
			return -EIO;
		if (ev->kind == OS_EV_EXITED)
			return 0;
		/* Anything but death: the syscall ran (or faulted). */
		os_stub_kill(pid);
		return 1;
	}
}

static void test_escaped(void)
{
	struct os_stub_entry e;
	unsigned long at[32];
	struct os_event ev;
	char name[80];
	int pid = start(&e), n, ret;

	if (pid <= 0) {
		check(0, "escaped/start", "os_stub_start: %d", pid);
		return;
	}
	n = find_syscalls(pid, at, 32);
	os_stub_kill(pid);
	check(n >= 2, "escaped/found-syscalls", "%d syscall instructions in the stub's code", n);
	for (int i = 0; i < n; i++) {
		static const struct { const char *what; long nr, a0, a4; } calls[] = {
			{ "getpid", SYS_getpid, 0, 0 },
			{ "open", SYS_open, (long)"/", 0 },
			{ "mmap-fd0", SYS_mmap, 0x10000, 0 },
			{ "mmap-stub", SYS_mmap, STUB_DATA, STUB_PHYSMEM_FD },
		};
		for (unsigned c = 0; c < sizeof(calls) / sizeof(calls[0]); c++) {
			snprintf(name, sizeof(name), "escaped/%s-at-%#lx", calls[c].what, at[i]);
			ret = escaped_syscall(at[i], calls[c].nr, calls[c].a0, calls[c].a4, &ev);
			check(ret == 0 && WIFSIGNALED(ev.status) && WTERMSIG(ev.status) == SIGSYS, name,
			      "result %d, status %#x: want death by SIGSYS", ret, ev.status);
		}
	}
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	physmem = memfd_create("stubfilter-physmem", MFD_CLOEXEC);
	if (physmem < 0 || ftruncate(physmem, 1 << 20) < 0) {
		perror("memfd");
		return 2;
	}
	data = mmap(NULL, STUB_DATA_PAGES * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, physmem, 0);
	if (data == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	test_allowed();
	test_bad_ops();
	test_escaped();
	return checks_done();
}
