/*
 * mremap_flags: growing in place, MREMAP_MAYMOVE (contents kept, old
 * range gone), MREMAP_FIXED to a chosen address (what was there
 * replaced), MREMAP_DONTUNMAP (the old range stays mapped and reads
 * zeros), shrinking, and the errors Linux gives for each combination.
 */
#include "t.h"
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#define PG 4096

static sigjmp_buf jb;
static void on_segv(int sig) { (void)sig; siglongjmp(jb, 1); }

static int readable(volatile char *p)
{
	if (sigsetjmp(jb, 1))
		return 0;
	(void)*p;
	return 1;
}

int main(void)
{
	char *a, *b, *c, *hole;

	t_start();
	signal(SIGSEGV, on_segv);
	/* A reserved hole to grow into, then the mapping at its start. */
	hole = mmap(NULL, 16 * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(hole, 16 * PG);
	a = mmap(hole, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	memset(a, 'a', 2 * PG);
	b = mremap(a, 2 * PG, 4 * PG, 0);
	check(b == a, "grows in place when the space is free", "%p vs %p", (void *)b, (void *)a);
	check(b[PG] == 'a' && b[3 * PG] == 0, "old bytes kept, new ones zero", "%d %d", b[PG], b[3 * PG]);
	c = mmap(a + 4 * PG, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CHECK_ERR(mremap(a, 4 * PG, 8 * PG, 0), ENOMEM, "no room to grow without MAYMOVE");
	b = mremap(a, 4 * PG, 8 * PG, MREMAP_MAYMOVE);
	check(b != MAP_FAILED && b != a && b[PG] == 'a', "MAYMOVE moves it, bytes kept", "%p", (void *)b);
	check(!readable(a), "the old range is gone", "still mapped");
	check(readable(c), "the neighbour stays", "gone");
	munmap(c, PG);

	/* MREMAP_FIXED onto an existing mapping replaces it. */
	c = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(c, 'c', 4 * PG);
	a = mremap(b, 8 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, c + PG);
	check(a == c + PG && a[0] == 'a' && c[0] == 'c' && c[3 * PG] == 'c',
	      "FIXED: moved onto c+1 page, the rest of c kept", "%p", (void *)a);
	CHECK_ERR(mremap(a, PG, PG, MREMAP_FIXED, c + 3 * PG), EINVAL, "FIXED without MAYMOVE");
	CHECK_ERR(mremap(a, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, a + PG), EINVAL,
		  "FIXED onto an overlapping range");
	CHECK_ERR(mremap(a, PG, PG, MREMAP_MAYMOVE | MREMAP_FIXED, c + 3 * PG + 1), EINVAL,
		  "FIXED to an unaligned address");

	/* DONTUNMAP: the old range stays, reading zeros. */
	b = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(b, 'd', 2 * PG);
	/* (the raw call: this glibc's wrapper refuses the flag itself) */
	a = (char *)syscall(SYS_mremap, b, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0);
	check(a != MAP_FAILED && a != b && a[0] == 'd' && a[PG + 5] == 'd',
	      "DONTUNMAP: the bytes moved", "%p", (void *)a);
	check(readable(b) && b[0] == 0 && b[PG] == 0, "the old range still mapped, zeros", "%d",
	      readable(b) ? b[0] : -1);
	CHECK_ERR(syscall(SYS_mremap, a, 2 * PG, 2 * PG, MREMAP_DONTUNMAP, 0), EINVAL,
		  "DONTUNMAP without MAYMOVE");
	CHECK_ERR(syscall(SYS_mremap, a, 2 * PG, 4 * PG, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0), EINVAL,
		  "DONTUNMAP with a new size");

	/* Shrinking and the other errors. */
	c = mremap(a, 2 * PG, PG, 0);
	check(c == a && readable(a) && !readable(a + PG), "shrinking unmaps the tail", "%p", (void *)c);
	CHECK_ERR(mremap(a + 1, PG, PG, 0), EINVAL, "unaligned old address");
	CHECK_ERR(mremap(a, PG, 0, MREMAP_MAYMOVE), EINVAL, "new size 0");
	CHECK_ERR(mremap(a, PG, PG, 8), EINVAL, "an unknown flag");
	CHECK_ERR(mremap(a + 64 * PG * 1024, PG, 2 * PG, MREMAP_MAYMOVE), EFAULT, "nothing mapped there");
	return t_done();
}
