/*
 * segments.c - a hostile guest that leaves 64-bit mode, or enters the
 * kernel the 32-bit or the vsyscall way, to run its own code in the stub
 * process with real host syscalls (issue 5, E1 and E2).
 *
 * Usage (as init):  segments MODE [ARGS]
 *   e1 CREATE   the chain as found: a MAP_GROWSDOWN mapping at 0x10000 as
 *               the lowest one and a write at 0x10 (the stack must not grow
 *               below mmap_min_addr); a payload at the op loop's address
 *               truncated to 32 bits when the guest could place one there
 *               (it would create the host file CREATE through a host
 *               syscall); a far return to the 32-bit code segment 0x23 and
 *               a fresh page touched.  The process must die by SIGSEGV.
 *   e2          the same far return and fresh page with nothing at the
 *               truncated address (the stub faulted there forever), several
 *               times, then still forks.
 *   spin        forks children that keep doing e2 until killed (the runner
 *               sends SIGTERM to ./linux: it must shut down).
 *   int80       int $0x80 with 32-bit syscall numbers: SIGSEGV every time.
 *   vsyscall    gettimeofday/time/getcpu through the vsyscall page: the
 *               kernel's answers (a result in a fresh page, cpu 0, a time
 *               between two clock_gettime calls), SIGSEGV for a bad pointer
 *               and a misaligned entry.
 *   sigframe    a handler entered from 32-bit code runs in 64-bit mode.
 *   vfork       a vfork child goes 32-bit and is killed; the parent's
 *               SIGCHLD frame goes onto a fresh alternate stack, so its
 *               first flush runs while the stub still holds the child's
 *               32-bit registers: the parent must live on.
 *   guard       a MAP_GROWSDOWN mapping grows down freely, but not to
 *               within the guard gap (1 MiB) of the mapping below it.
 * Prints `ok NAME` / `not ok NAME: why` and exits 0 when every check passed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define STUB_DATA	0x7fc000100000ULL
#define CODE32		0x100000ULL	/* our 32-bit code, below 4 GiB */
#define FRESH32		0x200000ULL	/* mapped, never touched */
#define VSYSCALL	0xffffffffff600000ULL

#include "check.h"


/* Runs fn in a child with a time limit; returns its wait status. */
static int in_child(void (*fn)(void *), void *arg)
{
	int st = 0;
	pid_t p = fork();

	if (p < 0)
		return -1;
	if (p == 0) {
		alarm(10);
		fn(arg);
		_exit(0);
	}
	if (waitpid(p, &st, 0) < 0)
		return -1;
	return st;
}

static const char *status_str(int st)
{
	static char buf[64];

	if (WIFSIGNALED(st))
		snprintf(buf, sizeof(buf), "killed by signal %d", WTERMSIG(st));
	else
		snprintf(buf, sizeof(buf), "exit %d", WEXITSTATUS(st));
	return buf;
}

/*
 * The payload: 32-bit code that far-jumps back to 64-bit mode and asks the
 * host to create a file (open O_CREAT), then to exit.  Copied to where the
 * stub would land with its rip truncated to 32 bits; the ljmp target is
 * patched to the copy's address + 7.
 */
extern const unsigned char payload[], payload_path[], payload_end[];
__asm__(".data\n"
	".globl payload, payload_path, payload_end\n"
	"payload:\n"
	".code32\n"
	"	ljmp $0x33, $0\n"		/* 7 bytes, target patched */
	".code64\n"
	"	lea payload_path(%rip), %rdi\n"
	"	mov $0101, %esi\n"		/* O_WRONLY | O_CREAT */
	"	mov $0644, %edx\n"
	"	mov $2, %eax\n"			/* open */
	"	syscall\n"
	"	mov $231, %eax\n"		/* exit_group */
	"	xor %edi, %edi\n"
	"	syscall\n"
	"payload_path:\n"
	"	.fill 256, 1, 0\n"
	"payload_end:\n"
	".text\n");

/* 32-bit code at CODE32: usable data segments, touch FRESH32 (a page
 * fault), then spin. */
static void put_code32(void)
{
	unsigned char *c = mmap((void *)CODE32, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
				MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	uint32_t fresh = (uint32_t)FRESH32;

	if (c == MAP_FAILED || mmap((void *)FRESH32, 4096, PROT_READ | PROT_WRITE,
				    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED) {
		printf("info mmap failed: %s\n", strerror(errno));
		_exit(3);
	}
	/* 64-bit code runs with null data segments, 32-bit code cannot:
	 * mov $0x2b, %eax; mov %eax, %ds; mov %eax, %es. */
	memcpy(c, "\xb8\x2b\x00\x00\x00\x8e\xd8\x8e\xc0", 9);
	c[9] = 0xc7; c[10] = 0x05;			/* movl $0x41414141, fresh */
	memcpy(c + 11, &fresh, 4);
	memset(c + 15, 0x41, 4);
	c[19] = 0xeb; c[20] = 0xfe;			/* jmp . */
}

/* A far return to 0x23:CODE32. */
static void __attribute__((noreturn)) go32(void)
{
	__asm__ volatile("pushq $0x23\n pushq %0\n lretq" :: "r"(CODE32) : "memory");
	__builtin_unreachable();
}

static sigjmp_buf jb;
static void segv_jump(int sig)
{
	(void)sig;
	siglongjmp(jb, 1);
}

/* Step (1): whether a write at 0x10 grows the stack at 0x10000 down to 0. */
static int grows_to_zero(void)
{
	void *s = mmap((void *)0x10000, 0x10000, PROT_READ | PROT_WRITE | PROT_EXEC,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_GROWSDOWN, -1, 0);
	struct sigaction sa, old;
	int grew = 0;

	if (s == MAP_FAILED) {
		printf("info MAP_GROWSDOWN at 0x10000 failed: %s\n", strerror(errno));
		return -1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = segv_jump;
	sigaction(SIGSEGV, &sa, &old);
	if (!sigsetjmp(jb, 1)) {
		*(volatile char *)0x10 = 1;
		grew = 1;
	}
	sigaction(SIGSEGV, &old, NULL);
	return grew;
}

static void e1_child(void *arg)
{
	const char *create = arg;
	uint64_t run_ops = ((volatile uint64_t *)STUB_DATA)[3];
	uint64_t at = run_ops & 0xffffffffULL;
	int grew = grows_to_zero();

	printf("info op loop at %#llx, truncated %#llx; stack grew to 0: %d\n",
	       (unsigned long long)run_ops, (unsigned long long)at, grew);
	if (grew == 1 || at >= 0x10000) {
		/* Place the payload where a 32-bit stub would run. */
		unsigned char *p = (unsigned char *)at;
		uint32_t target = (uint32_t)at + 7;

		if (at >= 0x10000 && mmap((void *)(at & ~4095ULL), 8192, PROT_READ | PROT_WRITE |
					  PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
					  -1, 0) == MAP_FAILED)
			_exit(4);
		memcpy(p, payload, payload_end - payload);
		memcpy(p + 1, &target, 4);
		strncpy((char *)p + (payload_path - payload), create, 255);
	}
	put_code32();
	go32();
}

static void mode_e1(const char *create)
{
	int st = in_child(e1_child, (void *)create);

	check(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, "e1/32bit-killed", "%s, want SIGSEGV",
	      status_str(st));
	check(access(create, F_OK) != 0, "e1/no-guest-file",
	      "%s exists in the guest: the payload ran under the guest's kernel?", create);
	pid_t p = fork();
	if (p == 0)
		_exit(grows_to_zero() == 0 ? 0 : 1);
	waitpid(p, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "e1/stack-floor",
	      "a write at 0x10 grew the MAP_GROWSDOWN mapping at 0x10000 (%s)", status_str(st));
}

static void e2_child(void *arg)
{
	(void)arg;
	put_code32();
	go32();
}

static void mode_e2(void)
{
	for (int i = 0; i < 5; i++) {
		int st = in_child(e2_child, NULL);
		char name[32];

		snprintf(name, sizeof(name), "e2/killed-%d", i);
		check(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, name, "%s, want SIGSEGV",
		      status_str(st));
	}
	pid_t p = fork();
	int st;
	if (p == 0)
		_exit(7);
	waitpid(p, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 7, "e2/still-forks", "%s", status_str(st));
}

static void mode_spin(void)
{
	printf("spin: running\n");
	for (;;) {
		int st = in_child(e2_child, NULL);

		if (st == -1)
			sleep(1);
	}
}

static void int80_child(void *arg)
{
	long rax = (long)(uintptr_t)arg, ret;

	__asm__ volatile("mov $0x1000, %%rbx\n mov $-1, %%rcx\n mov $0, %%rdx\n"
			 "int $0x80" : "=a"(ret) : "a"(rax) : "rbx", "rcx", "rdx", "memory");
	printf("info int $0x80 eax=%ld returned %ld\n", rax, ret);
	_exit(42);
}

/* A handler does not save us: the refusal is a fatal SIGSEGV. */
static void int80_handled_child(void *arg)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = segv_jump;
	sigaction(SIGSEGV, &sa, NULL);
	if (!sigsetjmp(jb, 1))
		int80_child(arg);
	_exit(43);
}

static void mode_int80(void)
{
	long nrs[] = { 20, 1, 4, 39, 60, 0x7fffffff };
	char name[48];

	for (unsigned i = 0; i < sizeof(nrs) / sizeof(nrs[0]); i++) {
		int st = in_child(int80_child, (void *)nrs[i]);

		snprintf(name, sizeof(name), "int80/eax%ld", nrs[i]);
		check(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, name, "%s, want SIGSEGV",
		      status_str(st));
	}
	int st = in_child(int80_handled_child, (void *)20);
	check(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, "int80/with-handler", "%s, want SIGSEGV",
	      status_str(st));
}

typedef long (*vgtod_t)(struct timeval *, struct timezone *);
typedef long (*vtime_t)(time_t *);
typedef long (*vgetcpu_t)(unsigned *, unsigned *, void *);

static void vsys_badptr_child(void *arg)
{
	(void)arg;
	((vgtod_t)VSYSCALL)((struct timeval *)0x1000, NULL);
	_exit(0);
}

static void vsys_misaligned_child(void *arg)
{
	(void)arg;
	((vtime_t)(VSYSCALL + 0x401))(NULL);
	_exit(0);
}

static void vsys_read_child(void *arg)
{
	(void)arg;
	printf("info vsyscall page reads %#x\n", *(volatile unsigned char *)VSYSCALL);
	_exit(0);
}

static void mode_vsyscall(void)
{
	/* Fresh pages: present in the guest's page tables only once touched,
	 * so the host could not write there; our kernel can. */
	char *fresh = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			   -1, 0);
	struct timeval *tv = (struct timeval *)fresh;
	time_t *tp = (time_t *)(fresh + 4096);
	unsigned *cpu = (unsigned *)(fresh + 8192), *node = cpu + 1;
	struct timespec a, b;
	long r;
	int st;

	clock_gettime(CLOCK_REALTIME, &a);
	r = ((vgtod_t)VSYSCALL)(tv, NULL);
	clock_gettime(CLOCK_REALTIME, &b);
	check(r == 0 && tv->tv_sec >= a.tv_sec && tv->tv_sec <= b.tv_sec, "vsyscall/gettimeofday",
	      "returned %ld, %ld s, want between %ld and %ld", r, (long)tv->tv_sec,
	      (long)a.tv_sec, (long)b.tv_sec);
	r = ((vtime_t)(VSYSCALL + 0x400))(tp);
	clock_gettime(CLOCK_REALTIME, &b);
	check(r >= a.tv_sec && r <= b.tv_sec && *tp == r, "vsyscall/time",
	      "returned %ld, stored %ld", r, (long)*tp);
	*cpu = *node = 77;
	r = ((vgetcpu_t)(VSYSCALL + 0x800))(cpu, node, NULL);
	check(r == 0 && *cpu == 0 && *node == 0, "vsyscall/getcpu",
	      "returned %ld, cpu %u node %u: the guest has one cpu, 0", r, *cpu, *node);
	st = in_child(vsys_badptr_child, NULL);
	check(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, "vsyscall/bad-pointer", "%s, want SIGSEGV",
	      status_str(st));
	st = in_child(vsys_misaligned_child, NULL);
	check(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, "vsyscall/misaligned", "%s, want SIGSEGV",
	      status_str(st));
	st = in_child(vsys_read_child, NULL);
	check(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, "vsyscall/read", "%s, want SIGSEGV",
	      status_str(st));
}

/* The handler reports its code segment through the exit status. */
static void cs_handler(int sig)
{
	uint16_t cs;

	(void)sig;
	__asm__ volatile("mov %%cs, %0" : "=r"(cs));
	_exit(cs == 0x33 ? 50 : 51);
}

static void sigframe_child(void *arg)
{
	struct sigaction sa;

	(void)arg;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = cs_handler;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);
	put_code32();
	go32();
}

static void mode_sigframe(void)
{
	int st = in_child(sigframe_child, NULL);

	/* Refused (fatal SIGSEGV) or, if a handler ran, in 64-bit mode. */
	check((WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV) ||
	      (WIFEXITED(st) && WEXITSTATUS(st) == 50), "sigframe/64bit-handler", "%s", status_str(st));
}

#define ALTSTACK	0x300000ULL	/* the SIGCHLD handler's stack, never touched */

/* vfork (CLONE_VM | CLONE_VFORK): the child, on its own stack,
 * far-returns to 0x23:CODE32; the parent gets the pid. */
static long vfork_32(void *stack_top)
{
	long ret;

	__asm__ volatile("syscall\n"
			 "test %%rax, %%rax\n"
			 "jnz 1f\n"
			 "pushq $0x23\n"
			 "pushq %[code]\n"
			 "lretq\n"
			 "1:"
			 : "=a"(ret)
			 : "a"((long)SYS_clone), "D"((long)(0x100 | 0x4000 | SIGCHLD)),
			   "S"(stack_top), "d"(0L), [code] "r"(CODE32)
			 : "rcx", "r11", "memory");
	return ret;
}

static volatile int got_chld;
static void on_chld(int sig)
{
	(void)sig;
	got_chld = 1;
}

/*
 * The vfork child goes 32-bit in our address space and is killed.  Its
 * SIGCHLD is delivered to us on an alternate stack not yet mapped, so the
 * kernel changes PTEs for us and flushes them through the op loop before
 * we resume: at that moment the stub still holds the dead child's 32-bit
 * registers.
 */
static void vfork_parent(void *arg)
{
	static char stack[16384] __attribute__((aligned(16)));
	stack_t ss = { .ss_sp = (void *)ALTSTACK, .ss_size = 65536 };
	struct sigaction sa;
	char *fresh;
	long pid;
	int st;

	(void)arg;
	put_code32();
	if (mmap((void *)ALTSTACK, 65536, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED ||
	    sigaltstack(&ss, NULL) < 0)
		_exit(3);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_chld;
	sa.sa_flags = SA_ONSTACK;
	sigaction(SIGCHLD, &sa, NULL);
	pid = vfork_32(stack + sizeof(stack));
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		_exit(4);
	if (!WIFSIGNALED(st) || WTERMSIG(st) != SIGSEGV || !got_chld)
		_exit(5);
	fresh = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	for (int i = 0; i < 256; i++)
		fresh[i * 4096] = 1;
	_exit(0);
}

static void mode_vfork(void)
{
	int st = in_child(vfork_parent, NULL);

	check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "vfork/parent-lives",
	      "%s (3-4: mmap, vfork or wait failed, 5: the child was not killed by SIGSEGV "
	      "or no SIGCHLD)", status_str(st));
}

/* Whether a write at addr faults (SIGSEGV), in a child. */
static void write_child(void *arg)
{
	*(volatile char *)arg = 1;
	_exit(0);
}

static int write_faults(uint64_t addr)
{
	int st = in_child(write_child, (void *)addr);

	return WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV;
}

static void mode_guard(void)
{
	const uint64_t low = 0x50000000, stack = low + (8 << 20);
	void *a = mmap((void *)low, 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	void *s = mmap((void *)stack, 0x10000, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_GROWSDOWN, -1, 0);

	check(a != MAP_FAILED && s != MAP_FAILED, "guard/mmap", "%s", strerror(errno));
	check(!write_faults(stack - 4096), "guard/grows", "a write a page below the stack faulted");
	check(!write_faults(low + (2 << 20)), "guard/grows-far", "a write 6 MiB below faulted");
	check(write_faults(low + 4096 + (512 << 10)), "guard/gap",
	      "a write 512 KiB above the lower mapping grew the stack into its guard gap");
	check(write_faults(low + 4096), "guard/adjacent",
	      "a write just above the lower mapping grew the stack onto it");
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc < 2) {
		fprintf(stderr, "usage: segments e1 CREATE|e2|spin|int80|vsyscall|sigframe|vfork|guard\n");
		return 2;
	}
	if (!strcmp(argv[1], "e1") && argc == 3)
		mode_e1(argv[2]);
	else if (!strcmp(argv[1], "e2"))
		mode_e2();
	else if (!strcmp(argv[1], "spin"))
		mode_spin();
	else if (!strcmp(argv[1], "int80"))
		mode_int80();
	else if (!strcmp(argv[1], "vsyscall"))
		mode_vsyscall();
	else if (!strcmp(argv[1], "sigframe"))
		mode_sigframe();
	else if (!strcmp(argv[1], "vfork"))
		mode_vfork();
	else if (!strcmp(argv[1], "guard"))
		mode_guard();
	else
		return 2;
	return checks_done();
}
