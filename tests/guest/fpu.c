/*
 * fpu.c - FPU/SSE/AVX state belongs to each task: it survives a switch to
 * another process that loads other values, and a signal handler that
 * clobbers the registers (the signal frame saves and restores them).
 * Register values are set and read back inside one asm block around a
 * raw syscall, so no compiled code can touch them in between.
 */
#include "t.h"
#include <cpuid.h>
#include <signal.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/wait.h>

/* Puts v in xmm8 (and, with AVX, v+1 in ymm8's upper half), runs one
 * syscall, returns what xmm8 then holds; *hi gets ymm8's upper half. */
static uint64_t around_syscall(uint64_t v, long nr, long a0, long a1, long a2, uint64_t *hi,
			       int avx)
{
	uint64_t out, up = v + 1, outhi = 0;
	register long r10 asm("r10") = 0;

	if (avx) {
		asm volatile("vmovq %[v], %%xmm8\n\t"
			     "vmovq %[up], %%xmm9\n\t"
			     "vinsertf128 $1, %%xmm9, %%ymm8, %%ymm8\n\t"
			     "mov %[nr], %%rax\n\t"
			     "syscall\n\t"
			     "vmovq %%xmm8, %[out]\n\t"
			     "vextractf128 $1, %%ymm8, %%xmm9\n\t"
			     "vmovq %%xmm9, %[outhi]\n\t"
			     : [out] "=r"(out), [outhi] "=r"(outhi)
			     : [v] "r"(v), [up] "r"(up), [nr] "r"(nr), "D"(a0), "S"(a1), "d"(a2), "r"(r10)
			     : "rax", "rcx", "r11", "xmm8", "xmm9", "memory");
	} else {
		asm volatile("movq %[v], %%xmm8\n\t"
			     "mov %[nr], %%rax\n\t"
			     "syscall\n\t"
			     "movq %%xmm8, %[out]\n\t"
			     : [out] "=r"(out)
			     : [v] "r"(v), [nr] "r"(nr), "D"(a0), "S"(a1), "d"(a2), "r"(r10)
			     : "rax", "rcx", "r11", "xmm8", "memory");
	}
	*hi = outhi;
	return out;
}

static int have_avx(void)
{
	unsigned a, b, c, d;

	if (!__get_cpuid(1, &a, &b, &c, &d))
		return 0;
	return (c & bit_AVX) && (c & bit_OSXSAVE);
}

/* Two processes ping-pong over pipes, each keeping its own xmm8/ymm8. */
static void test_switch(int avx)
{
	int ab[2], ba[2], ok = 1;
	char c = 'x';
	uint64_t hi, got;
	pid_t pid;

	if (pipe(ab) < 0 || pipe(ba) < 0)
		return;
	pid = fork();
	if (pid == 0) {
		for (int i = 0; i < 50; i++) {
			got = around_syscall(0x2222000000000000ULL + i, SYS_read, ab[0], (long)&c, 1, &hi, avx);
			if (got != 0x2222000000000000ULL + i || (avx && hi != got + 1))
				_exit(1);
			if (write(ba[1], &c, 1) != 1)
				_exit(2);
		}
		_exit(0);
	}
	for (int i = 0; i < 50; i++) {
		if (write(ab[1], &c, 1) != 1)
			ok = 0;
		got = around_syscall(0x1111000000000000ULL + i, SYS_read, ba[0], (long)&c, 1, &hi, avx);
		if (got != 0x1111000000000000ULL + i || (avx && hi != got + 1))
			ok = 0;
	}
	int st = -1;
	waitpid(pid, &st, 0);
	check(ok, avx ? "ymm8 kept across process switches" : "xmm8 kept across process switches",
	      "parent's register changed");
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0, avx ? "child's ymm8 kept too" :
	      "child's xmm8 kept too", "status %#x", st);
}

static void clobber(int sig)
{
	(void)sig;
	asm volatile("pcmpeqd %%xmm8, %%xmm8" ::: "xmm8");	/* all ones */
	asm volatile("ldmxcsr %0" :: "m"((unsigned){ 0x7f80 }));	/* other rounding */
}

/* A handler that clobbers xmm8 and MXCSR: both come back after sigreturn. */
static void test_signal(void)
{
	uint64_t hi, got;
	unsigned mxcsr_before, mxcsr_after;

	signal(SIGUSR1, clobber);
	asm volatile("stmxcsr %0" : "=m"(mxcsr_before));
	got = around_syscall(0x3333333333333333ULL, SYS_kill, getpid(), SIGUSR1, 0, &hi, 0);
	asm volatile("stmxcsr %0" : "=m"(mxcsr_after));
	check(got == 0x3333333333333333ULL, "xmm8 restored after a handler", "got %#lx",
	      (unsigned long)got);
	check(mxcsr_before == mxcsr_after, "MXCSR restored after a handler", "%#x -> %#x",
	      mxcsr_before, mxcsr_after);
	signal(SIGUSR1, SIG_DFL);
}

/* Floating point in two processes at once gives each its own result. */
static void test_compute(void)
{
	pid_t pid = fork();
	volatile double x = 1.0;

	for (int i = 1; i <= 200000; i++)
		x = x * 1.0000001 + (pid == 0 ? 0.5 : 0.25) / i;
	if (pid == 0)
		_exit(x > 1.0 ? 0 : 1);
	int st;
	waitpid(pid, &st, 0);
	check(x > 4.27 && x < 4.28 && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "parallel floating point", "x %f status %#x", x, st);
}

int main(void)
{
	t_start();
	test_switch(0);
	if (have_avx())
		test_switch(1);
	else
		skip("ymm8 kept across process switches", "no AVX on this CPU");
	test_signal();
	test_compute();
	return t_done();
}
