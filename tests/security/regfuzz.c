/*
 * regfuzz.c - a seeded fuzzer of the register state the kernel finds at
 * guest stops.  Each child loads random selectors into DS/ES/FS/GS, and
 * sometimes an fs or gs base of its own (wrfsbase, kernel-half ones that
 * ptrace cannot set included), sets random flags (TF, AC, DF, NT...), then leaves by a far jump, far call,
 * iretq or plain jump, with random selectors, rip, rsp and flags, into
 * one of a set of triggers: a syscall, int $0x80, int3, ud2, sysenter,
 * hlt, a fresh page touched (a fault the kernel serves with the stub's op
 * loop), a vsyscall, a spin until the timer preempts it, or a random
 * address.  The children die or exit; the kernel must survive each, never
 * see a stub killed by its seccomp filter (the runner checks the log) and
 * leave the disk clean.
 *
 * Usage (as init): regfuzz SEED SECS [v]     v: print each child's plan.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define LAND	0x100000ULL	/* the triggers, below 4 GiB for 32-bit code */
#define FRESH	0x200000ULL	/* 2 MiB never touched */
#define SLOT	0x40

static uint64_t rs;
static uint64_t rnd(void)
{
	rs ^= rs << 13;
	rs ^= rs >> 7;
	rs ^= rs << 17;
	return rs;
}

/* Byte sequences that mean something in 64-bit and in 32-bit mode. */
static const struct { const char *name; unsigned char code[24]; unsigned len; } triggers[] = {
	{ "touch", { 0xc7, 0x05, 0x00, 0x00, 0x20, 0x00, 0x41, 0x41, 0x41, 0x41, 0xeb, 0xfe }, 12 },
	/* the same with DS and ES loaded with 0x2b, as 32-bit code needs */
	{ "ds-touch", { 0xb8, 0x2b, 0, 0, 0, 0x8e, 0xd8, 0x8e, 0xc0, 0xc7, 0x05, 0x00, 0x00, 0x20,
			0x00, 0x41, 0x41, 0x41, 0x41, 0xeb, 0xfe }, 21 },
	{ "syscall", { 0xb8, 0x27, 0, 0, 0, 0x0f, 0x05, 0xeb, 0xfe }, 9 },
	{ "int80", { 0xb8, 0x14, 0, 0, 0, 0xcd, 0x80, 0xeb, 0xfe }, 9 },
	{ "int3", { 0xcc, 0xeb, 0xfe }, 3 },
	{ "ud2", { 0x0f, 0x0b }, 2 },
	{ "sysenter", { 0x0f, 0x34, 0xeb, 0xfe }, 4 },
	{ "spin", { 0xeb, 0xfe }, 2 },
	{ "hlt", { 0xf4 }, 1 },
	{ "vsyscall", { 0x48, 0xc7, 0xc0, 0x00, 0x00, 0x60, 0xff, 0xff, 0xd0, 0xeb, 0xfe }, 11 },
	{ "exit", { 0x0f, 0xa2, 0xb8, 0x3c, 0, 0, 0, 0x31, 0xff, 0x0f, 0x05, 0xeb, 0xfe }, 13 },
};
#define NTRIG (sizeof(triggers) / sizeof(triggers[0]))

static uint16_t pick_sel(void)
{
	static const uint16_t sels[] = { 0, 3, 0x23, 0x2b, 0x33, 0x1b, 0x10, 0x8, 0x18, 0x53, 0x63 };

	if (rnd() % 8 == 0)
		return (uint16_t)rnd();
	return sels[rnd() % (sizeof(sels) / sizeof(sels[0]))];
}

static uint64_t pick_flags(void)
{
	static const uint64_t bits[] = { 0x100, 0x400, 0x40000, 0x4000, 0x3000, 0x200, 0x1, 0x800,
					 0x200000, 0x10000, 0x80000, 0x100000 };
	uint64_t f = 0x202;

	for (int i = rnd() % 4; i > 0; i--)
		f |= bits[rnd() % (sizeof(bits) / sizeof(bits[0]))];
	return rnd() % 16 == 0 ? rnd() : f;
}

static uint64_t pick_target(unsigned *trig)
{
	static const uint64_t odd[] = { 0, 0x10, 0x7fc000000000ULL, 0x7fc000000010ULL,
					0x7fc000100000ULL, 0xffffffffff600000ULL,
					0xffffffffff600400ULL, 0x800000000000ULL,
					0xffffffff81000000ULL };

	*trig = rnd() % NTRIG;
	if (rnd() % 6 == 0) {
		*trig = NTRIG;
		return rnd() % 2 ? odd[rnd() % (sizeof(odd) / sizeof(odd[0]))] : rnd();
	}
	return LAND + *trig * SLOT;
}

static void put_triggers(void)
{
	unsigned char *l = mmap((void *)LAND, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
				MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);

	if (l == MAP_FAILED || mmap((void *)FRESH, 2 << 20, PROT_READ | PROT_WRITE,
				    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
		_exit(90);
	memset(l, 0xf4, 4096);		/* hlt between the slots */
	for (unsigned i = 0; i < NTRIG; i++)
		memcpy(l + i * SLOT, triggers[i].code, triggers[i].len);
}

static void load_seg(int which, uint16_t sel)
{
	switch (which) {
	case 0: __asm__ volatile("mov %0, %%ds" :: "r"(sel)); break;
	case 1: __asm__ volatile("mov %0, %%es" :: "r"(sel)); break;
	case 2: __asm__ volatile("mov %0, %%fs" :: "r"(sel)); break;
	case 3: __asm__ volatile("mov %0, %%gs" :: "r"(sel)); break;
	}
}

struct far_ptr {
	uint64_t off;
	uint16_t sel;
} __attribute__((packed));
static struct far_ptr fp;

/* The child: a random plan, carried out.  Never returns. */
static void __attribute__((noreturn)) child(int verbose)
{
	unsigned nseg = rnd() % 4, trig, how = rnd() % 4;
	uint64_t flags = pick_flags(), target = pick_target(&trig), rsp;
	uint16_t cs = rnd() % 3 ? (rnd() % 2 ? 0x23 : 0x33) : pick_sel();
	uint16_t ss = rnd() % 3 ? 0x2b : pick_sel();
	static const char *hows[] = { "ljmp", "lcall", "iretq", "jmp" };

	rsp = rnd() % 4 ? FRESH + (1 << 20) + (rnd() % 4096) : rnd();
	if (verbose)
		printf("plan: %u segment loads, flags %#llx, %s to %#x:%#llx (%s) rsp %#llx ss %#x\n",
		       nseg, (unsigned long long)flags, hows[how], cs, (unsigned long long)target,
		       trig < NTRIG ? triggers[trig].name : "random", (unsigned long long)rsp, ss);
	/* A spinning child ends by SIGALRM, delivered onto whatever rsp it has. */
	setitimer(ITIMER_REAL, &(struct itimerval){ .it_value = { 0, 20000 } }, NULL);
	put_triggers();
	for (unsigned i = 0; i < nseg; i++)
		load_seg(rnd() % 4, pick_sel());
	/* Bases the guest loads itself, a kernel-half one ptrace cannot set
	 * included: the op loop must run (and the guest resume) with them. */
	if (rnd() % 4 == 0) {
		static const uint64_t bases[] = { 0, 0x10000, 0xffff888000000000ULL,
						  0xffffffffff600000ULL, 0x7ffffffff000ULL };
		uint64_t b = bases[rnd() % (sizeof(bases) / sizeof(bases[0]))];

		if (rnd() % 2)
			__asm__ volatile("wrfsbase %0" :: "r"(b));
		else
			__asm__ volatile("wrgsbase %0" :: "r"(b));
	}
	fp.off = target;
	fp.sel = cs;
	switch (how) {
	case 0:
		__asm__ volatile("push %0\n popfq\n mov %1, %%rsp\n .byte 0x48, 0xff, 0x28"
				 :: "r"(flags), "r"(rsp), "a"(&fp) : "memory");
		break;
	case 1:
		__asm__ volatile("push %0\n popfq\n mov %1, %%rsp\n .byte 0x48, 0xff, 0x18"
				 :: "r"(flags), "r"(rsp), "a"(&fp) : "memory");
		break;
	case 2:
		__asm__ volatile("push %0\n push %1\n push %2\n push %3\n push %4\n iretq"
				 :: "r"((uint64_t)ss), "r"(rsp), "r"(flags), "r"((uint64_t)cs),
				    "r"(target) : "memory");
		break;
	default:
		__asm__ volatile("push %0\n popfq\n mov %1, %%rsp\n jmp *%2"
				 :: "r"(flags), "r"(rsp), "r"(target) : "memory");
	}
	__builtin_unreachable();
}

/* The file system still works: a file written, synced and read back. */
static int fs_works(void)
{
	char buf[64] = "", want[] = "regfuzz was here\n";
	int fd = open("/regfuzz.txt", O_CREAT | O_TRUNC | O_RDWR, 0644);

	if (fd < 0 || write(fd, want, sizeof(want) - 1) != (ssize_t)sizeof(want) - 1 ||
	    fsync(fd) < 0 || pread(fd, buf, sizeof(buf), 0) != (ssize_t)sizeof(want) - 1) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	close(fd);
	return !strcmp(buf, want);
}

int main(int argc, char **argv)
{
	unsigned long seed = argc > 1 ? strtoul(argv[1], NULL, 0) : 1;
	long secs = argc > 2 ? atol(argv[2]) : 10;
	int verbose = argc > 3 && argv[3][0] == 'v';
	unsigned long n = 0, signaled = 0, exited = 0;
	struct timespec start, now;

	setvbuf(stdout, NULL, _IONBF, 0);
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		int st;
		pid_t p;

		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec >= secs)
			break;
		rs = seed * 0x9e3779b97f4a7c15ULL + ++n;
		rnd();
		if (verbose)
			printf("child %lu: ", n);
		p = fork();
		if (p < 0) {
			printf("regfuzz: fork failed\n");
			return 1;
		}
		if (p == 0)
			child(verbose);
		if (waitpid(p, &st, 0) != p) {
			printf("regfuzz: waitpid failed\n");
			return 1;
		}
		if (WIFSIGNALED(st))
			signaled++;
		else
			exited++;
	}
	if (!fs_works()) {
		printf("regfuzz: the file system stopped working after %lu children\n", n);
		return 1;
	}
	printf("regfuzz: kernel alive after %lu children (seed %lu): %lu killed, %lu exited\n",
	       n, seed, signaled, exited);
	return 0;
}
