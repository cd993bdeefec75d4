/*
 * notif.c - hostile guests for seccomp mode's notification fast path
 * (arch/um/seccomp/notif.c), run in both modes:
 *
 *   race     two threads of one process making fast calls (pipe ping,
 *            getppid, gettid) with callee-saved and vector registers full
 *            of patterns while a third thread shoots signals at them: every
 *            result, every register and every byte must survive the
 *            completions (the trap path a signal forces on a notification)
 *   die      a process killed while one of its threads waits in a fast
 *            call (by another thread's exit_group, by SIGKILL from its
 *            parent, by its own kill): it dies, the kernel goes on
 *   stubargs fast calls whose pointers aim at the stub (its code, the
 *            data pages, the control region) fail with EFAULT; a bell
 *            forged at the stub's futex syscall returns to the guest or
 *            kills only its process
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "check.h"

#define STUB_START	0x7fc000000000ULL
#define STUB_DATA	0x7fc000100000ULL
#define SC_REGION	(STUB_START + 0x200000ULL)
#define ITER		20000

static long raw3(long nr, long a, long b, long c)
{
	long r;

	__asm__ volatile("syscall" : "=a"(r) : "0"(nr), "D"(a), "S"(b), "d"(c)
			 : "rcx", "r11", "memory");
	return r;
}

/* getppid with rbx, rbp, r12-r15 and xmm0 set to patterns: 0 if every
 * one came back. */
static int regs_survive(uint64_t seed)
{
	uint64_t out[7], r;
	uint64_t in = seed * 0x9e3779b97f4a7c15ULL;
	uint64_t x[2] __attribute__((aligned(16))) = { in ^ 1, in ^ 2 }, y[2] __attribute__((aligned(16)));

	__asm__ volatile(
		"push %%rbp\n"
		"movdqa (%[x]), %%xmm0\n"
		"mov %[in], %%rbx\n lea 1(%[in]), %%rbp\n lea 2(%[in]), %%r12\n"
		"lea 3(%[in]), %%r13\n lea 4(%[in]), %%r14\n lea 5(%[in]), %%r15\n"
		"mov $110, %%eax\n syscall\n"
		"mov %%rbx, 0(%[o])\n mov %%rbp, 8(%[o])\n mov %%r12, 16(%[o])\n"
		"mov %%r13, 24(%[o])\n mov %%r14, 32(%[o])\n mov %%r15, 40(%[o])\n"
		"mov %%rax, 48(%[o])\n"
		"movdqa %%xmm0, (%[y])\n"
		"pop %%rbp\n"
		: "=&a"(r)
		: [in] "r"(in), [o] "r"(out), [x] "r"(x), [y] "r"(y)
		: "rbx", "rcx", "r11", "r12", "r13", "r14", "r15", "xmm0", "memory");
	(void)r;
	for (int i = 0; i < 6; i++)
		if (out[i] != in + (uint64_t)i)
			return 1;
	if (y[0] != x[0] || y[1] != x[1])
		return 2;
	return (long)out[6] == (long)getppid() ? 0 : 3;
}

static pid_t ppid0;
static volatile int stop_shooting;
static volatile long hits;
static pid_t tids[2];

static void on_usr1(int sig)
{
	(void)sig;
	__atomic_add_fetch(&hits, 1, __ATOMIC_RELAXED);
}

struct worker {
	int n, bad_data, bad_regs, bad_tid, errors;
	int p[2];
};

static void *work(void *arg)
{
	struct worker *w = arg;
	pid_t tid = (pid_t)syscall(SYS_gettid);

	tids[w->n] = tid;
	for (int i = 0; i < ITER; i++) {
		uint32_t v = (uint32_t)i ^ (uint32_t)(w->n << 24), got = 0;
		ssize_t r;

		do
			r = write(w->p[1], &v, sizeof(v));
		while (r < 0 && errno == EINTR);
		if (r != sizeof(v))
			w->errors++;
		do
			r = read(w->p[0], &got, sizeof(got));
		while (r < 0 && errno == EINTR);
		if (r != sizeof(got) || got != v)
			w->bad_data++;
		if (regs_survive((uint64_t)i + (uint64_t)w->n * ITER))
			w->bad_regs++;
		if ((pid_t)syscall(SYS_gettid) != tid)
			w->bad_tid++;
	}
	return NULL;
}

static void mode_race(void)
{
	struct sigaction sa;
	struct worker w[2];
	pthread_t th[2];
	long shots = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGUSR1, &sa, NULL);
	for (int i = 0; i < 2; i++) {
		memset(&w[i], 0, sizeof(w[i]));
		w[i].n = i;
		check(pipe(w[i].p) == 0, "race/pipe", "pipe: %s", strerror(errno));
		pthread_create(&th[i], NULL, work, &w[i]);
	}
	/* This thread shoots, as long as both work. */
	while (!stop_shooting) {
		int alive = 0;

		for (int i = 0; i < 2; i++)
			if (tids[i] && syscall(SYS_tgkill, getpid(), tids[i], SIGUSR1) == 0) {
				shots++;
				alive++;
			}
		if (shots > 2000 || (tids[0] && tids[1] && !alive))
			break;
		sched_yield();
	}
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	for (int i = 0; i < 2; i++) {
		check(w[i].bad_data == 0 && w[i].errors == 0, "race/data",
		      "thread %d: %d bad reads, %d failed writes", i, w[i].bad_data, w[i].errors);
		check(w[i].bad_regs == 0, "race/registers", "thread %d: %d calls lost registers",
		      i, w[i].bad_regs);
		check(w[i].bad_tid == 0, "race/gettid", "thread %d: %d wrong tids", i, w[i].bad_tid);
	}
	check(hits > 0 && hits <= shots, "race/signals", "%ld handled of %ld sent", hits, shots);
	check(regs_survive(7) == 0, "race/after", "registers lost after the race");
}

static int wait_status(pid_t p)
{
	int st = -1;

	while (waitpid(p, &st, 0) < 0 && errno == EINTR)
		;
	return st;
}

static void *block_read(void *arg)
{
	int *fd = arg;
	char c;

	read(*fd, &c, 1);	/* never answered: the process dies around it */
	return NULL;
}

static void mode_die(void)
{
	int p[2], st;
	pid_t c;

	/* Another thread's exit_group while one waits in read. */
	check(pipe(p) == 0, "die/pipe", "pipe: %s", strerror(errno));
	c = fork();
	if (c == 0) {
		pthread_t t;

		close(p[1]);
		pthread_create(&t, NULL, block_read, &p[0]);
		usleep(100000);
		syscall(SYS_exit_group, 7);
	}
	close(p[0]);
	st = wait_status(c);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 7, "die/exit_group", "status %#x", st);
	close(p[1]);

	/* SIGKILL from the parent while the only thread waits in read. */
	check(pipe(p) == 0, "die/pipe2", "pipe: %s", strerror(errno));
	c = fork();
	if (c == 0) {
		char ch;

		close(p[1]);
		read(p[0], &ch, 1);
		_exit(1);
	}
	usleep(100000);
	kill(c, SIGKILL);
	st = wait_status(c);
	check(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "die/sigkill", "status %#x", st);
	close(p[0]);
	close(p[1]);

	/* Its own SIGKILL from one thread while another waits in read. */
	check(pipe(p) == 0, "die/pipe3", "pipe: %s", strerror(errno));
	c = fork();
	if (c == 0) {
		pthread_t t;

		close(p[1]);
		pthread_create(&t, NULL, block_read, &p[0]);
		usleep(50000);
		kill(getpid(), SIGKILL);
		_exit(1);
	}
	st = wait_status(c);
	check(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "die/self", "status %#x", st);
	close(p[0]);
	close(p[1]);
	check(getppid() == ppid0 && regs_survive(3) == 0, "die/served-after", "getppid %d",
	      (int)getppid());
}

/* The stub's `mov $202, %eax; syscall`: its handler's futex. */
static uint64_t find_futex(void)
{
	static const unsigned char seq[] = { 0xb8, 0xca, 0, 0, 0, 0x0f, 0x05 };
	const unsigned char *p = (const unsigned char *)STUB_START;

	for (uint64_t i = 0; i + sizeof(seq) < 65536; i++)
		if (!memcmp(p + i, seq, sizeof(seq)))
			return STUB_START + i;
	return 0;
}

/* Calls the stub's futex syscall with FUTEX_WAIT on addr: whatever it
 * returns, back here (its `ret` takes our return address). */
static long forged_bell(uint64_t at, uint64_t addr)
{
	long r;

	__asm__ volatile("lea 1f(%%rip), %%rcx\n"
			 "push %%rcx\n"
			 "jmp *%[at]\n"
			 "1:\n"
			 : "=a"(r)
			 : [at] "r"(at + 5), "a"(202L), "D"(addr), "S"(0L), "d"(1L)
			 : "rcx", "r8", "r9", "r10", "r11", "memory");
	return r;
}

static void mode_stubargs(void)
{
	static const struct { const char *what; uint64_t at; } aim[] = {
		{ "code", STUB_START }, { "data", STUB_DATA }, { "region", SC_REGION },
		{ "region-stack", SC_REGION + 8192 },
	};
	int p[2], st;
	uint64_t at;
	pid_t c;

	check(pipe(p) == 0, "stubargs/pipe", "pipe: %s", strerror(errno));
	for (size_t i = 0; i < sizeof(aim) / sizeof(aim[0]); i++) {
		char name[64];
		long r;

		write(p[1], "abcdefgh", 8);
		r = raw3(SYS_read, p[0], (long)aim[i].at, 8);
		snprintf(name, sizeof(name), "stubargs/read-into-%s", aim[i].what);
		check(r == -EFAULT, name, "read returned %ld", r);
		if (r != 8) {	/* drain it */
			char tmp[8];

			read(p[0], tmp, 8);
		}
		r = raw3(SYS_write, p[1], (long)aim[i].at, 8);
		snprintf(name, sizeof(name), "stubargs/write-from-%s", aim[i].what);
		check(r == -EFAULT, name, "write returned %ld", r);
		r = raw3(SYS_fstat, 0, (long)aim[i].at, 0);
		snprintf(name, sizeof(name), "stubargs/fstat-into-%s", aim[i].what);
		check(r == -EFAULT, name, "fstat returned %ld", r);
		r = raw3(SYS_clock_gettime, CLOCK_MONOTONIC, (long)aim[i].at, 0);
		snprintf(name, sizeof(name), "stubargs/clock-into-%s", aim[i].what);
		check(r == -EFAULT, name, "clock_gettime returned %ld", r);
		r = raw3(SYS_getrandom, (long)aim[i].at, 16, 0);
		snprintf(name, sizeof(name), "stubargs/getrandom-into-%s", aim[i].what);
		check(r == -EFAULT, name, "getrandom returned %ld", r);
	}
	check(regs_survive(11) == 0, "stubargs/served-after", "registers lost");
	if (getpid() != 1) {	/* natively: no stub to scan */
		printf("# not init: the forged bells need the stub\n");
		return;
	}
	at = find_futex();
	check(at != 0, "stubargs/found-futex", "no mov $202, %%eax; syscall in the stub");
	if (!at)
		return;
	/* A bell on the guest thread's own word: the call returns here. */
	c = fork();
	if (c == 0) {
		long r = forged_bell(at, SC_REGION);

		_exit(r == 0 || r == -EAGAIN || r == -EFAULT || r == -ENOSYS ? 0 : 10);
	}
	st = wait_status(c);
	check((WIFEXITED(st) && WEXITSTATUS(st) == 0) || WIFSIGNALED(st), "stubargs/bell-own-word",
	      "status %#x", st);
	/* On another word: the filter kills the process, or the call fails. */
	c = fork();
	if (c == 0) {
		static uint32_t word;	/* 0: a FUTEX_WAIT for 1 returns at once */
		long r = forged_bell(at, (uint64_t)&word);

		_exit(r == 0 || r == -EAGAIN || r == -EFAULT || r == -ENOSYS ? 0 : 10);
	}
	st = wait_status(c);
	check((WIFEXITED(st) && WEXITSTATUS(st) == 0) || WIFSIGNALED(st), "stubargs/bell-other-word",
	      "status %#x", st);
	check(getppid() == ppid0 && regs_survive(13) == 0, "stubargs/served-after-bells",
	      "getppid %d", (int)getppid());
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	ppid0 = getppid();
	if (argc < 2)
		return 2;
	if (!strcmp(argv[1], "race"))
		mode_race();
	else if (!strcmp(argv[1], "die"))
		mode_die();
	else if (!strcmp(argv[1], "stubargs"))
		mode_stubargs();
	else
		return 2;
	return checks_done();
}
