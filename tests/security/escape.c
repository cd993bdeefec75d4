/*
 * escape.c - a hostile guest that tries to leave ./linux through the stub
 * process its address space lives in (the ptrace platform).
 *
 * Usage (as init):  escape MODE [ARGS]
 *   stubsys MARKER CREATE  jump to `syscall` instructions inside the stub's
 *                          code with host-looking syscalls: getpid, open of
 *                          host paths, unlink of the host file MARKER,
 *                          creation of the host file CREATE, write to fd 1,
 *                          mmap of the host physmem fd; and run the stub's
 *                          op loop ourselves with ops we wrote.  Every call
 *                          must be emulated by our kernel.
 *   stubdata               scribble over the stub data pages, then make the
 *                          kernel run the op loop (mmap/munmap/mprotect,
 *                          fork): our memory must stay intact.
 *   highmap                mmap/mprotect/munmap/mremap/brk/madvise at and
 *                          above TASK_SIZE, MAP_FIXED over the stub: all
 *                          must fail and the stub must survive.
 *   traps                  int3, ud2, hlt, cli, in/out, int $0x80, int
 *                          $0x81, sysenter, div by 0, vsyscall write,
 *                          jumps to 0, into the stub data and non-canonical
 *                          addresses: each child gets the right signal.
 *   die SIG                die from a fault as init (the runner checks the
 *                          exit status of ./linux is 128+SIG).
 * Prints `ok NAME` / `not ok NAME: why` lines, `info ...` lines for what
 * was observed, and exits 0 when every check passed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
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
#include <ucontext.h>
#include <unistd.h>

#define TASK_SIZE	0x7fc000000000ULL
#define STUB_START	0x7fc000000000ULL
#define STUB_DATA	(STUB_START + 0x100000ULL)
#define STUB_DATA_LEN	(4 * 4096)
#define STUB_CODE_SCAN	0x1000		/* the stub's text: its first page */
#define BAD		0x1000ULL	/* unmapped: any use of it faults */

#include "check.h"


/* --- jumping into the stub with chosen registers ------------------------- */

/* What do_jump loads: rax and the six argument registers, rip, rsp, and
 * the value for every other register (rbx rbp r12-r15). */
struct jregs {
	uint64_t rax, rdi, rsi, rdx, r10, r8, r9, rip, rsp, fill;
};
struct jregs J;
void do_jump(void) __attribute__((noreturn));
__asm__(".text\n.globl do_jump\n.type do_jump,@function\ndo_jump:\n"
	"	lea J(%rip), %r11\n"
	"	mov 72(%r11), %rbx\n"
	"	mov %rbx, %rbp\n mov %rbx, %r12\n mov %rbx, %r13\n"
	"	mov %rbx, %r14\n mov %rbx, %r15\n"
	"	mov 0(%r11), %rax\n mov 8(%r11), %rdi\n mov 16(%r11), %rsi\n"
	"	mov 24(%r11), %rdx\n mov 32(%r11), %r10\n mov 40(%r11), %r8\n"
	"	mov 48(%r11), %r9\n mov 64(%r11), %rsp\n mov 56(%r11), %rcx\n"
	"	jmp *%rcx\n");

/* Where the child's handler leaves what it saw, in a shared page. */
struct result {
	int have;
	int sig;
	int code;
	int probed;		/* 1: the probe page was readable, 2: it faulted */
	uint64_t rax, rip, addr;
};
static struct result *res;
static volatile uint64_t probe_addr;	/* read by the handler, if set */

static void catch_handler(int sig, siginfo_t *si, void *uc_)
{
	ucontext_t *uc = uc_;

	if (res->have) {		/* the probe faulted */
		res->probed = 2;
		_exit(0);
	}
	res->have = 1;
	res->sig = sig;
	res->code = si->si_code;
	res->addr = sig == SIGTRAP ? ((volatile uint64_t *)STUB_DATA)[1] : (uint64_t)si->si_addr;
	res->rax = uc->uc_mcontext.gregs[REG_RAX];
	res->rip = uc->uc_mcontext.gregs[REG_RIP];
	if (probe_addr) {
		(void)*(volatile char *)probe_addr;
		res->probed = 1;
	}
	_exit(0);
}

static void catch_all(void)
{
	static char altstack[65536];
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };
	struct sigaction sa;
	int sigs[] = { SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE, SIGSYS };

	/* Fault in what the handler touches now: a fault later makes the
	 * kernel run the stub's op loop, which rewrites the data pages. */
	memset(altstack, 0, sizeof(altstack));
	memset(res, 0, sizeof(*res));
	sigaltstack(&ss, NULL);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = catch_handler;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
	for (unsigned i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}

/* Runs fn in a child; returns its wait status, res holds what it caught. */
static int in_child(void (*fn)(void *), void *arg)
{
	int st = 0;
	pid_t p;

	memset(res, 0, sizeof(*res));
	p = fork();
	if (p < 0)
		return -1;
	if (p == 0) {
		alarm(5);
		fn(arg);
		_exit(0);
	}
	if (waitpid(p, &st, 0) < 0)
		return -1;
	return st;
}

static void jump_child(void *arg)
{
	(void)arg;
	catch_all();
	do_jump();
}

/* The addresses of the `syscall` instructions (0f 05) in the stub code. */
static int find_syscalls(uint64_t *out, int max)
{
	const unsigned char *p = (const unsigned char *)STUB_START;
	int n = 0;

	for (uint64_t i = 0; i + 1 < STUB_CODE_SCAN && n < max; i++)
		if (p[i] == 0x0f && p[i + 1] == 0x05)
			out[n++] = STUB_START + i;
	return n;
}

/* Jumps to the syscall at `at` with nr and args.  Returns the result
 * if the instruction after the syscall faulted with rax untouched, -10000
 * if the handler ran elsewhere, or -20000 - exit status if none ran. */
static long stub_call(uint64_t at, long nr, long a, long b, long c, long d, long e, long f)
{
	int st;

	J = (struct jregs){ nr, a, b, c, d, e, f, at, BAD, BAD };
	st = in_child(jump_child, NULL);
	if (!res->have)
		return -20000 - (WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
	return res->rip == at + 2 ? (long)res->rax : -10000;
}

#define PROBE_ADDR 0x3f000000000ULL	/* nothing is mapped there */

static void mode_stubsys(const char *marker, const char *create)
{
	uint64_t at[32];
	int n, i, npid = 0, nprobed = 0, host_fd_opened = 0;
	static const char msg[] = "stub-write-reached-guest-console\n";
	const char *host_paths[] = { "/etc/shadow", "/proc/1/environ", "/proc/self/maps",
				     marker };
	char name[64];

	close(3);	/* the stub's physmem fd number: none in the guest */
	n = find_syscalls(at, 32);
	printf("info found %d syscall instructions in the stub\n", n);
	check(n > 0, "stubsys/found", "no 0f 05 in [%#llx, +%#x)",
	      (unsigned long long)STUB_START, STUB_CODE_SCAN);
	for (i = 0; i < n; i++) {
		long r;

		/* getpid: the child's guest pid, never the stub's host pid. */
		r = stub_call(at[i], SYS_getpid, 0, 0, 0, 0, 0, 0);
		if (r > -10000) {
			npid++;
			snprintf(name, sizeof(name), "stubsys/getpid@%d", i);
			check(r > 1 && r < 1000, name, "got %ld", r);
		}
		for (unsigned k = 0; k < sizeof(host_paths) / sizeof(host_paths[0]); k++) {
			r = stub_call(at[i], SYS_open, (long)host_paths[k], O_RDONLY, 0, 0, 0, 0);
			if (r >= 0) {
				host_fd_opened++;
				printf("info syscall@%d: open %s gave fd %ld\n", i, host_paths[k], r);
			}
		}
		stub_call(at[i], SYS_unlink, (long)marker, 0, 0, 0, 0, 0);
		stub_call(at[i], SYS_open, (long)create, O_CREAT | O_WRONLY, 0644, 0, 0, 0);
		stub_call(at[i], SYS_write, 1, (long)msg, sizeof(msg) - 1, 0, 0, 0);
		/* The host's fd 3 is all of physmem: map it at PROBE_ADDR, then
		 * the handler reads there.  Emulated, the guest has no fd 3. */
		probe_addr = PROBE_ADDR;
		r = stub_call(at[i], SYS_mmap, PROBE_ADDR, 4096, PROT_READ, MAP_SHARED | MAP_FIXED,
			      3, 0);
		probe_addr = 0;
		snprintf(name, sizeof(name), "stubsys/mmap-physmem-fd@%d", i);
		if (res->probed)
			nprobed++;
		check(res->probed != 1 && (r == -EBADF || r <= -10000), name,
		      "mmap(fd 3) through the stub gave %ld, probe %d", r, res->probed);
	}
	printf("info %d of %d jumps returned a result we could read\n", npid, n);
	check(nprobed > 0, "stubsys/probed", "no jump came back to probe the mapping");
	check(host_fd_opened == 0, "stubsys/no-host-files", "%d opens of host paths succeeded",
	      host_fd_opened);
	check(access(marker, F_OK) < 0 && access(create, F_OK) < 0, "stubsys/guest-view",
	      "the host paths exist in the guest?");
}

/* Runs the stub's op loop ourselves with ops of our choice. */
struct stub_op { uint64_t op, addr, len, prot, off; };
struct stub_data_hdr {
	uint64_t nops, err, failed, run_ops, stack_top, pad[3];
	struct stub_op ops[4];
};

static char *oploop_page;

/* In the child: our own stub's data pages, our ops, then the jump. */
static void oploop_child(void *arg)
{
	volatile struct stub_data_hdr *d = (void *)STUB_DATA;

	(void)arg;
	catch_all();
	/* Map physmem offset 0 (kernel memory) over our page, read-write,
	 * and unmap our own stack page. */
	/* J first: its copy-on-write fault makes the kernel run the op loop,
	 * which resets the ops. */
	J = (struct jregs){ 0, 0, 0, 0, 0, 0, 0, d->run_ops, d->stack_top, BAD };
	d->ops[0] = (struct stub_op){ 1, (uint64_t)oploop_page, 4096, PROT_READ | PROT_WRITE, 0 };
	d->ops[1] = (struct stub_op){ 2, (uint64_t)&d & ~4095ULL, 4096, 0, 0 };
	d->err = 0;
	d->nops = 2;
	do_jump();
}

static void mode_oploop(void)
{
	volatile struct stub_data_hdr *d = (void *)STUB_DATA;
	int st;

	oploop_page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	printf("info stub op loop at %#llx, stack %#llx\n", (unsigned long long)d->run_ops,
	       (unsigned long long)d->stack_top);
	if (d->run_ops < STUB_START || d->run_ops >= STUB_START + STUB_CODE_SCAN) {
		printf("info stub data has no op loop address: skipping the op-loop attack\n");
		return;
	}
	close(3);
	strcpy(oploop_page, "guest page contents");
	st = in_child(oploop_child, NULL);
	printf("info op loop: handler %d sig %d rax %lld at %#llx, child status %#x\n", res->have,
	       res->sig, (long long)res->rax, (unsigned long long)res->rip, st);
	check(res->have && (res->sig == SIGTRAP || res->sig == SIGSEGV), "oploop/signal",
	      "handler %d signal %d status %#x", res->have, res->sig, st);
	/* The stub wrote the first failure into its data page: the emulated
	 * mmap of fd 3 fails with EBADF and the loop stops there. */
	check((int64_t)res->addr == -EBADF || res->sig == SIGSEGV, "oploop/emulated",
	      "the op loop's mmap returned %lld", (long long)res->addr);
	check(strcmp(oploop_page, "guest page contents") == 0, "oploop/page-intact",
	      "our page now holds '%.20s'", oploop_page);
}

/* --- stubdata ------------------------------------------------------------ */

static uint64_t rnd_state = 88172645463325252ULL;
static uint64_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

static int data_readonly;	/* seccomp mode: the data pages cannot be written */

static void write_data(void *a) { (void)a; *(volatile uint64_t *)STUB_DATA = 0; }

static void scribble(int how)
{
	volatile uint64_t *w = (void *)STUB_DATA;
	uint64_t self = (uint64_t)&scribble & ~4095ULL;

	if (data_readonly)
		return;
	for (unsigned i = 0; i < STUB_DATA_LEN / 8; i++) {
		switch (how % 4) {
		case 0: w[i] = rnd(); break;
		case 1: w[i] = ~0ULL; break;
		case 2: w[i] = i % 5 == 0 ? 1 : i % 5 == 1 ? self : i % 5 == 2 ? 4096 :
			       i % 5 == 3 ? 7 : 0; break;	/* mmap ops over our code */
		case 3: w[i] = i == 0 ? 0x190 : (i % 5 == 1 ? 3 : 0); break;
		}
	}
}

static int check_pattern(const unsigned char *p, size_t len, unsigned char seed)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] != (unsigned char)(seed + i * 7))
			return 0;
	return 1;
}

static void fill_pattern(unsigned char *p, size_t len, unsigned char seed)
{
	for (size_t i = 0; i < len; i++)
		p[i] = (unsigned char)(seed + i * 7);
}

static void mode_stubdata(void)
{
	size_t len = 64 * 4096;
	unsigned char *keep = mmap(NULL, len, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int ok = 1, round, st;

	if (keep == MAP_FAILED) {
		check(0, "stubdata/setup", "mmap: %s", strerror(errno));
		return;
	}
	fill_pattern(keep, len, 3);
	/* Under seccomp the data pages are read-only (the mm thread's
	 * operations): a write to them kills the writer. */
	st = in_child(write_data, NULL);
	data_readonly = WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV;
	printf("info the data pages are %s\n", data_readonly ? "read-only" : "writable");
	check(WIFSIGNALED(st) ? data_readonly : WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "stubdata/probe", "status %#x", st);
	for (round = 0; round < 200 && ok; round++) {
		unsigned char *p;

		scribble(round);
		p = mmap(NULL, 16 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED) {
			ok = 0;
			printf("info round %d: mmap: %s\n", round, strerror(errno));
			break;
		}
		fill_pattern(p, 16 * 4096, (unsigned char)round);
		scribble(round + 1);
		mprotect(p, 8 * 4096, PROT_READ);
		scribble(round + 2);
		if (!check_pattern(p, 16 * 4096, (unsigned char)round)) {
			ok = 0;
			printf("info round %d: new mapping corrupted\n", round);
		}
		munmap(p + 4 * 4096, 4 * 4096);
		scribble(round + 3);
		munmap(p, 16 * 4096);
		/* Unmapping part of keep and mapping it back changes PTEs too. */
		munmap(keep + 32 * 4096, 4096);
		if (mmap(keep + 32 * 4096, 4096, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
			ok = 0;
		fill_pattern(keep + 32 * 4096, 4096, (unsigned char)(3 + 32 * 4096 * 7));
		if (!check_pattern(keep, len, 3)) {
			ok = 0;
			printf("info round %d: long-lived mapping corrupted\n", round);
		}
	}
	check(ok, "stubdata/memory-intact", "after %d rounds", round);
	/* A fork makes a new stub and COW-protects everything: scribble in
	 * both, then each writes and checks. */
	scribble(0);
	pid_t p = fork();
	if (p == 0) {
		scribble(2);
		keep[0] ^= 0xff;
		scribble(1);
		_exit(keep[1] == (unsigned char)(3 + 7) && keep[0] == (unsigned char)~3 ? 0 : 1);
	}
	waitpid(p, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "stubdata/fork-child", "status %#x", st);
	check(check_pattern(keep, len, 3), "stubdata/fork-parent", "parent memory changed");
	/* The kernel must not read or write the stub through our pointers. */
	errno = 0;
	long r = write(1, (void *)STUB_START, 16);
	check(r == -1 && errno == EFAULT, "stubdata/write-from-stub-efault", "write gave %ld %s",
	      r, strerror(errno));
	int fd = open("/bin/busybox", O_RDONLY);
	errno = 0;
	r = read(fd, (void *)STUB_DATA, 64);
	check(r == -1 && errno == EFAULT, "stubdata/read-into-stub-efault", "read gave %ld %s",
	      r, strerror(errno));
	r = read(fd, (void *)(STUB_START + 0x5000), 64);
	check(r == -1, "stubdata/read-into-stub-bss", "read gave %ld", r);
	close(fd);
}

/* --- highmap ------------------------------------------------------------- */

static int errin(long r, int e1, int e2, int e3)
{
	return r == -1 && (errno == e1 || errno == e2 || errno == e3);
}

static void mode_highmap(void)
{
	const unsigned char *code = (const unsigned char *)STUB_START;
	unsigned char before[64];
	uint64_t addrs[] = { TASK_SIZE, STUB_DATA, TASK_SIZE + 0x200000, 0x7ffffffff000ULL,
			     0x800000000000ULL, 0xffff800000000000ULL, TASK_SIZE - 4096 };
	char name[96];
	void *p;
	long r;

	memcpy(before, code, sizeof(before));
	for (unsigned i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++) {
		uint64_t a = addrs[i];
		size_t len = a == TASK_SIZE - 4096 ? 2 * 4096 : 4096;	/* straddles the top */

		errno = 0;
		p = mmap((void *)a, len, PROT_READ | PROT_WRITE | PROT_EXEC,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		snprintf(name, sizeof(name), "highmap/mmap-fixed@%#llx", (unsigned long long)a);
		check(p == MAP_FAILED && (errno == ENOMEM || errno == EINVAL || errno == EPERM), name,
		      "gave %p errno %s", p, strerror(errno));
		p = mmap((void *)a, len, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS |
			 MAP_FIXED_NOREPLACE, -1, 0);
		snprintf(name, sizeof(name), "highmap/mmap-noreplace@%#llx", (unsigned long long)a);
		check(p == MAP_FAILED, name, "gave %p", p);
		p = mmap((void *)a, len, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		snprintf(name, sizeof(name), "highmap/mmap-hint@%#llx", (unsigned long long)a);
		check(p == MAP_FAILED || (uint64_t)p + len <= TASK_SIZE, name, "gave %p", p);
		if (p != MAP_FAILED)
			munmap(p, len);
		errno = 0;
		r = mprotect((void *)a, len, PROT_NONE);
		snprintf(name, sizeof(name), "highmap/mprotect@%#llx", (unsigned long long)a);
		check(errin(r, ENOMEM, EINVAL, EPERM), name, "gave %ld %s", r, strerror(errno));
		errno = 0;
		r = munmap((void *)a, len);
		snprintf(name, sizeof(name), "highmap/munmap@%#llx", (unsigned long long)a);
		/* Linux: EINVAL above TASK_SIZE; 0 (nothing to do) would be
		 * harmless only if the stub stays: checked below. */
		check(errin(r, EINVAL, ENOMEM, EPERM) || (r == 0 && a == TASK_SIZE - 4096), name,
		      "gave %ld %s", r, strerror(errno));
		/* Linux: ENOMEM for a range with holes.  Not on the straddling
		 * range: our stack ends at TASK_SIZE, its top page would go. */
		if (a == TASK_SIZE - 4096)
			continue;
		errno = 0;
		r = madvise((void *)a, len, MADV_DONTNEED);
		if (r != -1 || errno != ENOMEM)
			printf("info madvise(%#llx, DONTNEED) gave %ld %s (Linux: ENOMEM)\n",
			       (unsigned long long)a, r, r ? strerror(errno) : "");
	}
	/* munmap of everything up to the top. */
	errno = 0;
	r = munmap((void *)(TASK_SIZE - 0x100000), 0x200000);
	check(errin(r, EINVAL, ENOMEM, EPERM), "highmap/munmap-across-top", "gave %ld %s", r,
	      strerror(errno));
	errno = 0;
	r = munmap((void *)0x10000, 0xffffffffffff0000ULL);
	check(r == -1, "highmap/munmap-huge", "gave %ld %s", r, strerror(errno));
	/* mremap into or across the stub. */
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	errno = 0;
	void *q = mremap(p, 4096, 4096, MREMAP_MAYMOVE | MREMAP_FIXED, (void *)TASK_SIZE);
	check(q == MAP_FAILED, "highmap/mremap-fixed-stub", "gave %p", q);
	q = mremap(p, 4096, 0x10000000000ULL, MREMAP_MAYMOVE);
	check(q == MAP_FAILED || (uint64_t)q + 0x10000000000ULL <= TASK_SIZE,
	      "highmap/mremap-grow", "gave %p", q);
	if (q != MAP_FAILED)
		p = q;
	munmap(p, 4096);
	/* Our stack is the mapping just below TASK_SIZE (in ./linux): it
	 * cannot grow up into the stub. */
	errno = 0;
	q = mremap((void *)(TASK_SIZE - 4096), 4096, 8192, 0);
	check(q == MAP_FAILED, "highmap/mremap-grow-into-stub", "gave %p", q);
	/* brk to and beyond the top. */
	void *cur = sbrk(0);
	r = syscall(SYS_brk, TASK_SIZE + 0x100000);
	check((uint64_t)r <= TASK_SIZE, "highmap/brk-top", "brk gave %#lx", r);
	syscall(SYS_brk, cur);
	/* The stub is intact and still works for us. */
	check(memcmp(before, code, sizeof(before)) == 0, "highmap/stub-code-intact", "changed");
	p = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p != MAP_FAILED)
		memset(p, 0x5a, 1 << 20);
	check(p != MAP_FAILED && ((unsigned char *)p)[12345] == 0x5a, "highmap/still-maps",
	      "mmap after the attempts failed");
}

/* --- traps ---------------------------------------------------------------- */

static void t_int3(void *a) { (void)a; __asm__ volatile("int3"); }
static void t_ud2(void *a) { (void)a; __asm__ volatile("ud2"); }
static void t_hlt(void *a) { (void)a; __asm__ volatile("hlt"); }
static void t_cli(void *a) { (void)a; __asm__ volatile("cli"); }
static void t_in(void *a) { (void)a; __asm__ volatile("inb $0x80, %%al" ::: "rax"); }
static void t_int81(void *a) { (void)a; __asm__ volatile("int $0x81"); }
static void t_sysenter(void *a) { (void)a; __asm__ volatile("sysenter"); }
static void t_null(void *a) { (void)a; ((void (*)(void))0)(); }
static void t_noncanon(void *a) { (void)a; ((void (*)(void))0x800000000000ULL)(); }
static void t_stubdata_exec(void *a) { (void)a; ((void (*)(void))STUB_DATA)(); }
static void t_vsyscall_write(void *a) { (void)a; *(volatile long *)0xffffffffff600000ULL = 1; }
static void t_kernel_read(void *a) { (void)a; (void)*(volatile long *)0xffffffff81000000ULL; }
static void t_stubcode_write(void *a) { (void)a; *(volatile char *)STUB_START = 0xcc; }
static void t_div0(void *a)
{
	int q, z = 0;

	(void)a;
	__asm__ volatile("mov $1, %%eax\n cltd\n idivl %1" : "=a"(q) : "r"(z) : "rdx");
	printf("%d\n", q);
}
static void t_int80(void *a)
{
	long rax = (long)(uintptr_t)a, ret;

	/* 32-bit syscall numbers with junk arguments: 20 = getpid, 1 = exit
	 * (a 64-bit table would read these as writev and write). */
	__asm__ volatile("mov $0x1000, %%rbx\n mov $-1, %%rcx\n mov $0, %%rdx\n"
			 "int $0x80" : "=a"(ret) : "a"(rax) : "rbx", "rcx", "rdx", "memory");
	printf("info int $0x80 eax=%ld returned %ld\n", rax, ret);
	_exit(ret == -ENOSYS ? 42 : 43);
}
static void t_syscall_badnr(void *a)
{
	long ret;

	(void)a;
	__asm__ volatile("syscall" : "=a"(ret) : "a"(0x7fffffffffffffffL) : "rcx", "r11", "memory");
	_exit(ret == -ENOSYS ? 42 : 43);
}

struct trap_case {
	const char *name;
	void (*fn)(void *);
	void *arg;
	int sig;		/* expected death signal, or 0 */
	int alt;		/* another acceptable one */
	int exitcode;		/* expected exit code when sig == 0 */
};

static void mode_traps(void)
{
	static const struct trap_case cases[] = {
		{ "int3", t_int3, 0, SIGTRAP, 0, 0 },
		{ "ud2", t_ud2, 0, SIGILL, 0, 0 },
		{ "hlt", t_hlt, 0, SIGSEGV, 0, 0 },
		{ "cli", t_cli, 0, SIGSEGV, 0, 0 },
		{ "inb", t_in, 0, SIGSEGV, 0, 0 },
		{ "int81", t_int81, 0, SIGSEGV, 0, 0 },
		{ "sysenter", t_sysenter, 0, SIGSEGV, SIGILL, 0 },
		{ "jump-null", t_null, 0, SIGSEGV, 0, 0 },
		{ "jump-noncanonical", t_noncanon, 0, SIGSEGV, 0, 0 },
		{ "exec-stubdata", t_stubdata_exec, 0, SIGSEGV, 0, 0 },
		{ "write-vsyscall", t_vsyscall_write, 0, SIGSEGV, 0, 0 },
		{ "read-kernel-half", t_kernel_read, 0, SIGSEGV, 0, 0 },
		{ "write-stubcode", t_stubcode_write, 0, SIGSEGV, 0, 0 },
		{ "div0", t_div0, 0, SIGFPE, 0, 0 },
		{ "syscall-badnr", t_syscall_badnr, 0, 0, 0, 42 },
	};
	char name[64];
	int st;

	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct trap_case *c = &cases[i];

		st = in_child(c->fn, c->arg);
		snprintf(name, sizeof(name), "traps/%s", c->name);
		if (c->sig)
			check(WIFSIGNALED(st) && (WTERMSIG(st) == c->sig || WTERMSIG(st) == c->alt),
			      name, "status %#x, want death by signal %d", st, c->sig);
		else
			check(WIFEXITED(st) && WEXITSTATUS(st) == c->exitcode, name,
			      "status %#x, want exit %d", st, c->exitcode);
	}
	/* int $0x80: Linux with IA32 emulation runs the 32-bit call, without
	 * it the process gets SIGSEGV; -ENOSYS is also acceptable here.  What
	 * must not happen is the call being run as the 64-bit syscall of that
	 * number (20 = writev, 1 = write, 60 = exit, 39 = getpid). */
	long nrs[] = { 20, 1, 4, 39, 60, 0x7fffffff };
	for (unsigned i = 0; i < sizeof(nrs) / sizeof(nrs[0]); i++) {
		st = in_child(t_int80, (void *)nrs[i]);
		snprintf(name, sizeof(name), "traps/int80-eax%ld", nrs[i]);
		printf("info int $0x80 eax=%ld: status %#x\n", nrs[i], st);
		check((WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV) ||
		      (WIFEXITED(st) && WEXITSTATUS(st) == 42) ||
		      (nrs[i] == 39 && WIFEXITED(st) && WEXITSTATUS(st) == 43) ||
		      (nrs[i] == 1 && WIFEXITED(st)), name, "status %#x", st);
	}
	/* Everything still works. */
	pid_t p = fork();
	if (p == 0)
		_exit(7);
	waitpid(p, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 7, "traps/still-forks", "status %#x", st);
}

/* --- tf: the trap flag set while the kernel runs the op loop ------------- */

static void clear_tf(int sig, siginfo_t *si, void *uc_)
{
	ucontext_t *uc = uc_;

	(void)sig;
	(void)si;
	uc->uc_mcontext.gregs[REG_EFL] &= ~0x100LL;
}

/* munmap (or mprotect to PROT_NONE) with TF set: the single-step trap must
 * not cut the kernel's op loop short, or the host keeps the old mapping. */
static void tf_child(void *arg)
{
	long nr = (long)(uintptr_t)arg;
	struct sigaction sa;
	volatile char *a = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long ret;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = clear_tf;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGTRAP, &sa, NULL);
	a[0] = 's';
	__asm__ volatile("pushf\n orq $0x100, (%%rsp)\n popf\n syscall\n nop\n nop"
			 : "=a"(ret) : "a"(nr), "D"(a), "S"(4096L), "d"(PROT_NONE)
			 : "rcx", "r11", "memory");
	if (ret != 0)
		_exit(3);
	res->have = 2;
	(void)a[0];		/* must fault: the page is gone */
	_exit(0);
}

static void mode_tf(void)
{
	long nrs[] = { SYS_munmap, SYS_mprotect };
	const char *names[] = { "tf/munmap", "tf/mprotect" };

	for (int i = 0; i < 2; i++) {
		int st = in_child(tf_child, (void *)(uintptr_t)nrs[i]);

		check(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, names[i],
		      "status %#x: %s", st, WIFEXITED(st) && WEXITSTATUS(st) == 0 ?
		      "the page is still mapped in the host after the call" : "");
	}
}

static void mode_die(int sig)
{
	switch (sig) {
	case SIGILL: __asm__ volatile("ud2"); break;
	case SIGTRAP: __asm__ volatile("int3"); break;
	case SIGSEGV: __asm__ volatile("hlt"); break;
	case SIGFPE: t_div0(NULL); break;
	case SIGBUS: break;
	}
	printf("still alive after signal %d\n", sig);
	exit(1);
}

/*
 * Seccomp mode's own attacks (run in both modes): a request forged in the
 * guest thread's control page (at STUB_SC_REGION, mapped in seccomp mode
 * only), and a forged rt_sigreturn through the stub's own rt_sigreturn
 * that blocks every host signal, then spins, or sleeps in a host
 * FUTEX_WAIT on its control word (through the stub's futex syscall).
 * Each child must die (killed by the kernel, or by the fault of a page
 * that is not there), and the kernel must go on serving the parent.
 */
#define SC_REGION	(STUB_START + 0x200000ULL)

static void forge_request(void *arg)
{
	volatile uint64_t *c = (volatile uint64_t *)SC_REGION;

	(void)arg;
	c[4] = BAD;				/* the frame: not in the region */
	__atomic_store_n((volatile uint32_t *)c, 1, __ATOMIC_SEQ_CST);	/* the word: a request */
	for (;;)
		__asm__ volatile("pause");	/* no syscall: the kernel finds it itself */
}

/* The stub's `mov $15, %eax; syscall`: its rt_sigreturn. */
static uint64_t find_sigreturn(void)
{
	static const unsigned char seq[] = { 0xb8, 0x0f, 0, 0, 0, 0x0f, 0x05 };
	const unsigned char *p = (const unsigned char *)STUB_START;

	for (uint64_t i = 0; i + sizeof(seq) < STUB_CODE_SCAN; i++)
		if (!memcmp(p + i, seq, sizeof(seq)))
			return STUB_START + i;
	return 0;
}

/* The stub's `mov $202, %eax; syscall`: its futex call (the syscall's address). */
static uint64_t find_futex(void)
{
	static const unsigned char seq[] = { 0xb8, 0xca, 0, 0, 0, 0x0f, 0x05 };
	const unsigned char *p = (const unsigned char *)STUB_START;

	for (uint64_t i = 0; i + sizeof(seq) < STUB_CODE_SCAN; i++)
		if (!memcmp(p + i, seq, sizeof(seq)))
			return STUB_START + i + 5;
	return 0;
}

extern char spin_here[];
__asm__(".text\nspin_here:\n	pause\n	jmp spin_here\n");

/* arg: the stub's rt_sigreturn; futex_at: 0 to spin, or the stub's futex
 * syscall to sleep in (FUTEX_WAIT on the word while it reads 0, RUN). */
static uint64_t futex_at;

static void forge_sigreturn_block(void *arg)
{
	static char stack[65536] __attribute__((aligned(16)));
	ucontext_t *uc = (ucontext_t *)(stack + 32768);
	uint64_t at = (uint64_t)(uintptr_t)arg;
	uint64_t *sp = (uint64_t *)(stack + 16384);

	memset(uc, 0, sizeof(*uc));
	uc->uc_mcontext.gregs[REG_RIP] = (greg_t)spin_here;
	if (futex_at) {
		sp[0] = (uint64_t)spin_here;	/* where its ret goes if it wakes */
		uc->uc_mcontext.gregs[REG_RIP] = (greg_t)futex_at;
		uc->uc_mcontext.gregs[REG_RAX] = 202;
		uc->uc_mcontext.gregs[REG_RDI] = (greg_t)SC_REGION;
		uc->uc_mcontext.gregs[REG_RSI] = 0;	/* FUTEX_WAIT */
		uc->uc_mcontext.gregs[REG_RDX] = 0;
		uc->uc_mcontext.gregs[REG_R10] = 0;	/* no timeout */
	}
	uc->uc_mcontext.gregs[REG_RSP] = (greg_t)sp;
	uc->uc_mcontext.gregs[REG_CSGSFS] = 0x33 | (0x2bL << 48);
	memset(&uc->uc_sigmask, 0xff, 8);	/* every host signal blocked */
	__asm__ volatile("mov %0, %%rsp\n"
			 "jmp *%1\n" :: "r"(uc), "r"(at) : "memory");
}

static void mode_scforge(void)
{
	uint64_t at = find_sigreturn();
	int st;
	pid_t p;

	st = in_child(forge_request, NULL);
	check(WIFSIGNALED(st) && (WTERMSIG(st) == SIGKILL || WTERMSIG(st) == SIGSEGV),
	      "scforge/request", "child status %#x", st);
	check(getppid() == 0, "scforge/served-after-request", "getppid %d", (int)getppid());
	check(at != 0, "scforge/found-sigreturn", "no mov $15, %%eax; syscall in the stub");
	if (!at)
		return;
	for (int sleep = 0; sleep < 2; sleep++) {
		futex_at = sleep ? find_futex() : 0;
		if (sleep)
			check(futex_at != 0, "scforge/found-futex",
			      "no mov $202, %%eax; syscall in the stub");
		if (sleep && !futex_at)
			return;
		p = fork();
		if (p == 0) {
			forge_sigreturn_block((void *)(uintptr_t)at);
			_exit(3);
		}
		check(p > 0, "scforge/fork", "fork: %d", (int)p);
		if (p < 0)
			return;
		usleep(200000);
		kill(p, SIGKILL);	/* the kernel must stop a thread that blocked its signals */
		check(waitpid(p, &st, 0) == p && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL,
		      sleep ? "scforge/sigreturn-block-sleep" : "scforge/sigreturn-block",
		      "child status %#x", st);
		check(getppid() == 0, "scforge/served-after", "getppid %d", (int)getppid());
	}
}

/*
 * A correct guest on a host too busy to run it (tests/security/freeze.c
 * holds one of its threads meanwhile): two processes compute for secs
 * seconds of their clock, each taking a SIGALRM every 20 ms (the kernel
 * stops the thread for each), and each must finish with the right sum.
 */
static volatile sig_atomic_t alarms;
static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

static void mode_compute(int secs)
{
	struct itimerval it = { { 0, 20000 }, { 0, 20000 } };
	struct timespec t0, t;
	uint64_t x = 1, n = 0, want = 1;
	pid_t child = fork();
	int st;

	signal(SIGALRM, on_alarm);
	setitimer(ITIMER_REAL, &it, NULL);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (child > 0)
		printf("compute: started\n");
	do {
		for (int i = 0; i < 100000; i++)
			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		n++;
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while (t.tv_sec - t0.tv_sec < secs);
	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, NULL);
	for (uint64_t k = 0; k < n * 100000; k++)	/* the same sum, again */
		want = want * 6364136223846793005ULL + 1442695040888963407ULL;
	if (child == 0)
		_exit(x == want ? 0 : 1);
	check(child > 0, "compute/fork", "fork: %d", (int)child);
	check(x == want, "compute/sum", "%#llx, want %#llx", (unsigned long long)x,
	      (unsigned long long)want);
	check(child > 0 && waitpid(child, &st, 0) == child && WIFEXITED(st) &&
	      WEXITSTATUS(st) == 0, "compute/child", "child status %#x", st);
	check(getppid() == 0, "compute/served-after", "getppid %d", (int)getppid());
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	res = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (res == MAP_FAILED || argc < 2) {
		fprintf(stderr, "usage: escape stubsys|oploop|stubdata|highmap|traps|die SIG\n");
		return 2;
	}
	if (!strcmp(argv[1], "stubsys") && argc == 4)
		mode_stubsys(argv[2], argv[3]);
	else if (!strcmp(argv[1], "oploop"))
		mode_oploop();
	else if (!strcmp(argv[1], "stubdata"))
		mode_stubdata();
	else if (!strcmp(argv[1], "highmap"))
		mode_highmap();
	else if (!strcmp(argv[1], "tf"))
		mode_tf();
	else if (!strcmp(argv[1], "traps"))
		mode_traps();
	else if (!strcmp(argv[1], "scforge"))
		mode_scforge();
	else if (!strcmp(argv[1], "compute") && argc == 3)
		mode_compute(atoi(argv[2]));
	else if (!strcmp(argv[1], "die") && argc == 3)
		mode_die(atoi(argv[2]));
	else
		return 2;
	return checks_done();
}
