/*
 * fault_codes: the siginfo of synchronous faults, as Linux fills it:
 * SEGV_MAPERR and SEGV_ACCERR with the faulting address, BUS_ADRERR past
 * the end of a truncated file mapping, FPE_INTDIV for a division by zero
 * and ILL_ILLOPN for ud2 with the instruction's address.
 */
#include "t.h"
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>

static sigjmp_buf jb;
static volatile int got_sig, got_code;
static void *volatile got_addr;

static void handler(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	got_sig = sig;
	got_code = si->si_code;
	got_addr = si->si_addr;
	siglongjmp(jb, 1);
}

/* Runs fn; the signal, code and address it faulted with (0 if none). */
static int fault(void (*fn)(void *), void *arg)
{
	got_sig = got_code = 0;
	got_addr = NULL;
	if (sigsetjmp(jb, 1) == 0)
		fn(arg);
	return got_sig;
}

static void do_read(void *p) { (void)*(volatile char *)p; }
static void do_write(void *p) { *(volatile char *)p = 1; }
static void do_div(void *p)
{
	volatile int z = 0, x = (int)(intptr_t)p;

	x = x / z;
	(void)x;
}
extern char ud2_here[];
static void do_ud2(void *p)
{
	(void)p;
	__asm__ volatile("ud2_here: ud2");
}

int main(void)
{
	struct sigaction sa;
	char path[4096];
	char *m;
	int fd;

	t_start();
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = handler;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGFPE, &sa, NULL);
	sigaction(SIGILL, &sa, NULL);

	m = mmap(NULL, 8192, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(m + 4096, 4096);
	check(fault(do_read, m + 4096 + 12) == SIGSEGV && got_code == SEGV_MAPERR &&
	      got_addr == m + 4096 + 12, "unmapped read: SEGV_MAPERR at the address",
	      "sig %d code %d addr %p", got_sig, got_code, got_addr);
	check(fault(do_write, m + 7) == SIGSEGV && got_code == SEGV_ACCERR && got_addr == m + 7,
	      "write to PROT_READ: SEGV_ACCERR at the address", "sig %d code %d", got_sig, got_code);
	mprotect(m, 4096, PROT_NONE);
	check(fault(do_read, m + 100) == SIGSEGV && got_code == SEGV_ACCERR && got_addr == m + 100,
	      "read of PROT_NONE: SEGV_ACCERR", "sig %d code %d", got_sig, got_code);
	check(fault(do_read, (void *)16) == SIGSEGV && got_code == SEGV_MAPERR &&
	      got_addr == (void *)16, "NULL+16: SEGV_MAPERR", "code %d addr %p", got_code, got_addr);
	check(fault(do_read, (void *)0x8000000000000000ULL) == SIGSEGV && got_code == SI_KERNEL &&
	      got_addr == NULL, "a non-canonical address: SI_KERNEL, address 0",
	      "code %d addr %p", got_code, got_addr);
	munmap(m, 4096);

	t_path(path, sizeof(path), "fault_codes.dat");
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	check(ftruncate(fd, 8192) == 0, "a two-page file", "errno %d", errno);
	m = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	m[0] = 'x';
	check(fault(do_read, m + 4096) == 0, "the second page reads", "sig %d", got_sig);
	check(fault(do_read, m + 2 * 4096 + 5) == SIGBUS && got_code == BUS_ADRERR &&
	      got_addr == m + 2 * 4096 + 5, "past the file's end: BUS_ADRERR",
	      "sig %d code %d addr %p", got_sig, got_code, got_addr);
	check(ftruncate(fd, 100) == 0, "truncated to 100 bytes", "errno %d", errno);
	check(fault(do_read, m + 50) == 0, "the first page still reads", "sig %d", got_sig);
	check(m[200] == 0, "zero past the end within the last page", "%d", m[200]);
	check(fault(do_write, m + 4096 + 1) == SIGBUS && got_code == BUS_ADRERR &&
	      got_addr == m + 4096 + 1, "the truncated page: BUS_ADRERR", "sig %d code %d",
	      got_sig, got_code);
	munmap(m, 3 * 4096);
	close(fd);
	unlink(path);

	check(fault(do_div, (void *)7) == SIGFPE && got_code == FPE_INTDIV, "7 / 0: FPE_INTDIV",
	      "sig %d code %d", got_sig, got_code);
	check(fault(do_ud2, NULL) == SIGILL && got_code == ILL_ILLOPN && got_addr == ud2_here,
	      "ud2: ILL_ILLOPN at the instruction", "sig %d code %d addr %p want %p", got_sig,
	      got_code, got_addr, (void *)ud2_here);
	return t_done();
}
