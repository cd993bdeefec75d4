/*
 * fs_mapbus.c - a file mapping and the file's size: a touch of a page
 * wholly past EOF is SIGBUS (BUS_ADRERR at that address), shared or
 * private, read or write; the tail of the last page past EOF reads as
 * zeros and a store there never reaches the file; ftruncate shrinking a
 * mapped file makes its pages past the new end SIGBUS, growing it again
 * makes them readable as zeros; a mapping made longer than the file
 * SIGBUSes past its end from the start.
 */
#include "t.h"
#include "fs.h"
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>

static sigjmp_buf jb;
static volatile void *fault_addr;
static volatile int fault_code;

static void on_bus(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	fault_addr = si->si_addr;
	fault_code = si->si_code;
	siglongjmp(jb, 1);
}

/* Reads (write 0) or writes (write 1) *p: 0, or 1 for a SIGBUS at p. */
static int touch(volatile char *p, int write, char *out)
{
	fault_addr = NULL;
	if (sigsetjmp(jb, 1))
		return fault_addr == (void *)p && fault_code == BUS_ADRERR ? 1 : 2;
	if (write)
		*p = 'w';
	else
		*out = *p;
	return 0;
}

int main(void)
{
	struct sigaction sa = { 0 };
	long pg = sysconf(_SC_PAGESIZE);
	char buf[64], c = 0;
	char *m, *pm;
	int fd, r;

	t_start();
	fs_scratch("fs_mapbus");
	sa.sa_sigaction = on_bus;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGBUS, &sa, NULL);
	fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK_OK(fd, "open");
	memset(buf, 'a', sizeof(buf));
	for (long i = 0; i < 2 * pg; i += (long)sizeof(buf))
		if (write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf))
			break;
	CHECK_OK(ftruncate(fd, pg + 100), "size one page and 100 bytes");
	m = mmap(NULL, 4 * (size_t)pg, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	check(m != MAP_FAILED, "mmap of four pages (shared)", "%s", strerror(errno));
	pm = mmap(NULL, 4 * (size_t)pg, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	check(pm != MAP_FAILED, "mmap of four pages (private)", "%s", strerror(errno));
	if (m == MAP_FAILED || pm == MAP_FAILED)
		return t_done();

	r = touch(m + 99, 0, &c);
	check(r == 0 && c == 'a', "first page readable", "%d %c", r, c);
	r = touch(m + pg + 99, 0, &c);
	check(r == 0 && c == 'a', "last byte of the file", "%d %c", r, c);
	r = touch(m + pg + 100, 0, &c);
	check(r == 0 && c == 0, "past EOF in the last page: zero", "%d %d", r, c);
	r = touch(m + pg + 200, 1, &c);
	check(r == 0, "a store past EOF in the last page", "%d", r);
	r = touch(m + 2 * pg, 0, &c);
	check(r == 1, "a page wholly past EOF: SIGBUS (read)", "%d", r);
	r = touch(m + 3 * pg + 5, 1, &c);
	check(r == 1, "a page wholly past EOF: SIGBUS (write)", "%d", r);
	r = touch(pm + 2 * pg, 0, &c);
	check(r == 1, "private mapping past EOF: SIGBUS", "%d", r);
	r = touch(pm + 10, 1, &c);
	check(r == 0, "private store in the file", "%d", r);

	CHECK_OK(ftruncate(fd, 50), "shrink to 50 bytes");
	r = touch(m + pg + 10, 0, &c);
	check(r == 1, "after shrinking: the second page SIGBUS", "%d", r);
	r = touch(m + 60, 0, &c);
	check(r == 0 && c == 0, "after shrinking: past the new end in its page, zero", "%d %d", r, c);
	r = touch(m + 10, 0, &c);
	check(r == 0 && c == 'a', "after shrinking: the start still there", "%d %c", r, c);
	r = touch(pm + pg + 10, 0, &c);
	check(r == 1, "after shrinking: private second page SIGBUS", "%d", r);
	CHECK_OK(ftruncate(fd, 3 * pg), "grow to three pages");
	r = touch(m + 2 * pg + 7, 0, &c);
	check(r == 0 && c == 0, "after growing: a new page reads zero", "%d %d", r, c);
	r = touch(m + pg + 200, 0, &c);
	check(r == 0 && c == 0, "the store past the old EOF did not reach the file", "%d %d", r, c);
	r = touch(m + 3 * pg, 0, &c);
	check(r == 1, "the fourth page still SIGBUS", "%d", r);
	CHECK_OK(pread(fd, buf, 1, 10), "pread");
	check(buf[0] == 'a', "the private store did not reach the file", "%c", buf[0]);
	munmap(m, 4 * (size_t)pg);
	munmap(pm, 4 * (size_t)pg);
	close(fd);
	return t_done();
}
