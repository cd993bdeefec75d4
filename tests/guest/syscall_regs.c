/*
 * syscall_regs.c - a syscall leaves every register but rax, rcx and r11
 * as it found them: the arguments' registers, the callee-saved ones and
 * r8-r10, for calls the kernel serves from their arguments alone (read,
 * write, getpid, lseek: the ptrace platform answers those with rax only,
 * arch/um/ptrace/ptrace.c, partial events) and for one that needs the
 * whole set (uname is argument-only too; getppid is not in the set).  The
 * buffers are fresh pages, so the kernel's copy faults them in and the
 * mapping change runs the stub's op loop, with registers of its own,
 * between the call and its answer.  Natively and in ./linux, the same
 * output.
 */
#include "t.h"
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/utsname.h>

/* long regs_call(long nr, long a0, long a1, long a2, unsigned long out[12]):
 * the syscall with known values in every other register, and what they
 * hold after it in out: rbx rbp r12 r13 r14 r15 r8 r9 r10 rdi rsi rdx. */
long regs_call(long nr, long a0, long a1, long a2, unsigned long *out);
__asm__(".text\n"
	".globl regs_call\n"
	".type regs_call, @function\n"
	"regs_call:\n"
	"	push %rbx\n push %rbp\n push %r12\n push %r13\n push %r14\n push %r15\n"
	"	push %r8\n"
	"	mov %rdi, %rax\n mov %rsi, %rdi\n mov %rdx, %rsi\n mov %rcx, %rdx\n"
	"	movabs $0x1010101010101010, %r10\n"
	"	movabs $0x0808080808080808, %r8\n"
	"	movabs $0x0909090909090909, %r9\n"
	"	movabs $0xb0b0b0b0b0b0b0b0, %rbx\n"
	"	movabs $0xb1b1b1b1b1b1b1b1, %rbp\n"
	"	movabs $0x1212121212121212, %r12\n"
	"	movabs $0x1313131313131313, %r13\n"
	"	movabs $0x1414141414141414, %r14\n"
	"	movabs $0x1515151515151515, %r15\n"
	"	syscall\n"
	"	mov (%rsp), %r11\n"
	"	mov %rbx, 0(%r11)\n mov %rbp, 8(%r11)\n mov %r12, 16(%r11)\n"
	"	mov %r13, 24(%r11)\n mov %r14, 32(%r11)\n mov %r15, 40(%r11)\n"
	"	mov %r8, 48(%r11)\n mov %r9, 56(%r11)\n mov %r10, 64(%r11)\n"
	"	mov %rdi, 72(%r11)\n mov %rsi, 80(%r11)\n mov %rdx, 88(%r11)\n"
	"	pop %r8\n"
	"	pop %r15\n pop %r14\n pop %r13\n pop %r12\n pop %rbp\n pop %rbx\n"
	"	ret\n"
	".size regs_call, .-regs_call\n");

static const char *const names[12] = { "rbx", "rbp", "r12", "r13", "r14", "r15",
				       "r8", "r9", "r10", "rdi", "rsi", "rdx" };

/* 0 if every register came back, else the index + 1 of the first that did not. */
static int changed(const unsigned long *out, long a0, long a1, long a2)
{
	const unsigned long want[12] = {
		0xb0b0b0b0b0b0b0b0UL, 0xb1b1b1b1b1b1b1b1UL, 0x1212121212121212UL,
		0x1313131313131313UL, 0x1414141414141414UL, 0x1515151515151515UL,
		0x0808080808080808UL, 0x0909090909090909UL, 0x1010101010101010UL,
		(unsigned long)a0, (unsigned long)a1, (unsigned long)a2,
	};

	for (int i = 0; i < 12; i++)
		if (out[i] != want[i])
			return i + 1;
	return 0;
}

static void one(const char *name, long nr, long a0, long a1, long a2, long want)
{
	unsigned long out[12];
	long r = regs_call(nr, a0, a1, a2, out);
	int bad = changed(out, a0, a1, a2);

	check(r == want && !bad, name, "returned %ld (want %ld), %s 0x%lx", r, want,
	      bad ? names[bad - 1] : "-", bad ? out[bad - 1] : 0UL);
}

static char *fresh_page(void)
{
	char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

int main(void)
{
	struct utsname u;
	int p[2];
	char *buf;

	setvbuf(stdout, NULL, _IONBF, 0);
	if (pipe(p) < 0 || write(p[1], "abcdefgh", 8) != 8) {
		check(0, "pipe", "errno %d", errno);
		return 1;
	}
	buf = fresh_page();
	one("read into a fresh page", SYS_read, p[0], (long)buf, 4, 4);
	check(buf && !memcmp(buf, "abcd", 4), "the bytes read", "%.4s", buf ? buf : "");
	buf = fresh_page();
	one("write from a fresh page", SYS_write, p[1], (long)buf, 16, 16);
	one("read the rest", SYS_read, p[0], (long)fresh_page(), 64, 20);
	one("getpid", SYS_getpid, 0, 0, 0, getpid());
	one("lseek on a pipe", SYS_lseek, p[0], 0, SEEK_CUR, -ESPIPE);
	check(write(p[1], "x", 1) == 1, "one more byte", "errno %d", errno);
	one("read to a bad address", SYS_read, p[0], 8, 1, -EFAULT);
	one("uname", SYS_uname, (long)fresh_page(), 0, 0, 0);
	uname(&u);
	one("getppid", SYS_getppid, 0, 0, 0, getppid());
	return t_failed ? 1 : 0;
}
