/*
 * faultaround: anonymous memory touched in order or sparsely, as Linux
 * shows it.  The kernel may map pages ahead of a sequential run of faults
 * (mm/fault.c): they must read zero, count as resident (RSS, mincore) only
 * up to a small window past the last touch, never for a sparse pattern
 * (every 64th page of a big mapping: RSS grows by exactly what was
 * touched), and behave like any other page under fork (copy-on-write,
 * each side sees its own writes), mprotect, munmap, MADV_DONTNEED, and a
 * MAP_GROWSDOWN stack that grows down one page at a time.
 */
#include "t.h"
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#define PG 4096L
#define AHEAD 16		/* the most pages a kernel may map past a touch */

static char statm_buf[128];

/* Resident pages of this process (/proc/self/statm's second field). */
static long rss(void)
{
	int fd = open("/proc/self/statm", O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, statm_buf, sizeof(statm_buf) - 1);
	char *p = statm_buf;

	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return -1;
	statm_buf[n] = 0;
	while (*p && *p != ' ')
		p++;
	return strtol(p, NULL, 10);
}

static char *map_anon(long pages, int flags)
{
	char *p = mmap(NULL, pages * PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | flags, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	madvise(p, pages * PG, MADV_NOHUGEPAGE);	/* 4 KiB pages natively too */
	return p;
}

static unsigned char vec[65536 / 4];

/* How many pages of [p, p + pages) mincore says are resident; -1 on error. */
static long resident(char *p, long pages)
{
	long n = 0;

	if (pages > (long)sizeof(vec) || mincore(p, pages * PG, vec) < 0)
		return -1;
	for (long i = 0; i < pages; i++)
		n += vec[i] & 1;
	return n;
}

static sigjmp_buf jb;
static volatile int segv;

static void on_segv(int sig)
{
	(void)sig;
	segv++;
	siglongjmp(jb, 1);
}

/* Whether writing *p faults (SIGSEGV). */
static int write_faults(char *p)
{
	int before = segv;

	if (sigsetjmp(jb, 1) == 0)
		*(volatile char *)p = 1;
	return segv != before;
}

static void sequential(void)
{
	const long N = 1024, T = 256;
	char *p = map_anon(N, 0);
	long r0, r1, res;
	int ok = 1;

	check(p != NULL, "mmap of 4 MiB", "failed");
	if (!p)
		return;
	r0 = rss();
	for (long i = 0; i < T; i++)
		p[i * PG] = (char)(i + 1);
	r1 = rss();
	check(r1 - r0 >= T && r1 - r0 <= T + AHEAD,
	      "sequential touches: RSS grows by what was touched, plus at most a small window",
	      "grew by %ld for %ld pages", r1 - r0, T);
	for (long i = 0; i < T; i++)
		ok &= p[i * PG] == (char)(i + 1) && p[i * PG + PG - 1] == 0;
	check(ok, "sequential touches: every page holds its write, the rest of it zero", "wrong");
	res = resident(p, N);
	check(res >= T && res <= T + AHEAD, "mincore: the touched pages (and at most the window) resident",
	      "%ld resident", res);
	check(resident(p, T) == T, "mincore: every touched page resident", "not");
	check(resident(p + (T + AHEAD) * PG, N - T - AHEAD) == 0,
	      "mincore: nothing resident past the window", "resident");
	ok = 1;
	for (long i = T; i < T + AHEAD; i++)
		ok &= p[i * PG] == 0 && p[i * PG + 100] == 0;
	check(ok, "pages just past the touches read zero", "garbage");
	munmap(p, N * PG);
}

static void sparse(void)
{
	const long N = 16384, STRIDE = 64;	/* 64 MiB, every 64th page */
	char *p = map_anon(N, 0);
	long r0, r1, res;

	check(p != NULL, "mmap of 64 MiB", "failed");
	if (!p)
		return;
	r0 = rss();
	for (long i = 0; i < N; i += STRIDE)
		p[i * PG] = 1;
	r1 = rss();
	check(r1 - r0 == N / STRIDE, "sparse touches (every 64th page): RSS grows by exactly the touched pages",
	      "grew by %ld for %ld pages", r1 - r0, N / STRIDE);
	res = resident(p, N);
	check(res == N / STRIDE, "sparse touches: mincore shows the touched pages only", "%ld resident", res);
	/* Descending touches: none of them is next after the previous one. */
	r0 = rss();
	for (long i = N - 2; i > 0; i -= STRIDE)
		p[i * PG] = 2;
	r1 = rss();
	check(r1 - r0 == (N - 2 + STRIDE - 1) / STRIDE,
	      "descending sparse touches: RSS grows by exactly the touched pages",
	      "grew by %ld", r1 - r0);
	munmap(p, N * PG);
}

static void forked(void)
{
	const long N = 128, T = 40;
	char *p = map_anon(N, 0);
	int to_child[2], to_parent[2], st = 0, ok = 1;
	char c = 0;
	pid_t pid;

	check(p != NULL, "mmap for fork", "failed");
	if (!p || pipe(to_child) < 0 || pipe(to_parent) < 0)
		return;
	for (long i = 0; i < T; i++)
		p[i * PG] = 'p';
	pid = fork();
	if (pid == 0) {
		int bad = 0;

		/* Touched and mapped-ahead pages alike: the child's own copies. */
		for (long i = 0; i < T + AHEAD; i++) {
			bad |= p[i * PG] != (i < T ? 'p' : 0);
			p[i * PG] = 'c';
		}
		if (write(to_parent[1], "x", 1) != 1 || read(to_child[0], &c, 1) != 1)
			_exit(3);
		for (long i = 0; i < T + AHEAD; i++)
			bad |= p[i * PG] != 'c';
		_exit(bad ? 1 : 0);
	}
	check(pid > 0, "fork", "failed");
	if (pid < 0)
		return;
	check(read(to_parent[0], &c, 1) == 1, "the child wrote its pages", "no word");
	for (long i = 0; i < T + AHEAD; i++)
		ok &= p[i * PG] == (i < T ? 'p' : 0);
	check(ok, "fork: the parent does not see the child's writes (touched and next pages)", "it does");
	for (long i = 0; i < T + AHEAD; i++)
		p[i * PG] = 'q';
	if (write(to_child[1], "y", 1) != 1)
		st = -1;
	waitpid(pid, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "fork: the child saw the parent's data, then only its own writes", "status 0x%x", st);
	ok = 1;
	for (long i = 0; i < T + AHEAD; i++)
		ok &= p[i * PG] == 'q';
	check(ok, "fork: the parent keeps its own writes", "lost");
	close(to_child[0]);
	close(to_child[1]);
	close(to_parent[0]);
	close(to_parent[1]);
	munmap(p, N * PG);
}

/* 20 pages touched in order, then the calls over [18, 40). */
static void over_window(void)
{
	const long N = 64, T = 20;
	char *p = map_anon(N, 0);
	long r0;
	int ok = 1;

	check(p != NULL, "mmap for mprotect", "failed");
	if (!p)
		return;
	for (long i = 0; i < T; i++)
		p[i * PG] = 'a';
	CHECK_OK(mprotect(p + 18 * PG, 22 * PG, PROT_READ), "mprotect read-only over the next pages");
	check(p[18 * PG] == 'a' && p[25 * PG] == 0 && p[39 * PG] == 0,
	      "read-only pages read their data or zero", "wrong");
	check(write_faults(p + 18 * PG) && write_faults(p + 25 * PG) && write_faults(p + 39 * PG),
	      "writes to the read-only pages fault", "they do not");
	check(!write_faults(p + 40 * PG) && !write_faults(p + 17 * PG), "writes beside them work", "fault");
	CHECK_OK(mprotect(p + 18 * PG, 22 * PG, PROT_READ | PROT_WRITE), "mprotect back to read-write");
	check(!write_faults(p + 25 * PG) && p[25 * PG] == 1, "writable again", "not");
	munmap(p, N * PG);

	p = map_anon(N, 0);
	if (!p)
		return;
	for (long i = 0; i < T; i++)
		p[i * PG] = 'b';
	r0 = rss();
	CHECK_OK(munmap(p + 18 * PG, 22 * PG), "munmap over the next pages");
	check(r0 - rss() >= 2 && r0 - rss() <= 2 + AHEAD, "munmap: RSS drops by the touched and next pages",
	      "dropped by %ld", r0 - rss());
	check(write_faults(p + 18 * PG) && write_faults(p + 30 * PG), "unmapped pages fault", "they do not");
	for (long i = 0; i < 18; i++)
		ok &= p[i * PG] == 'b';
	check(ok, "the pages below keep their data", "lost");
	munmap(p, N * PG);

	p = map_anon(N, 0);
	if (!p)
		return;
	for (long i = 0; i < T; i++)
		p[i * PG] = 'd';
	r0 = rss();
	CHECK_OK(madvise(p + 10 * PG, 30 * PG, MADV_DONTNEED), "MADV_DONTNEED over touched and next pages");
	check(r0 - rss() >= 10 && r0 - rss() <= 10 + AHEAD, "MADV_DONTNEED: RSS drops by those pages",
	      "dropped by %ld", r0 - rss());
	check(resident(p, 10) == 10 && resident(p + 10 * PG, 30) == 0, "mincore after MADV_DONTNEED",
	      "wrong");
	ok = 1;
	for (long i = 0; i < 10; i++)
		ok &= p[i * PG] == 'd';
	for (long i = 10; i < 40; i++)
		ok &= p[i * PG] == 0;
	check(ok, "MADV_DONTNEED: pages below keep their data, the rest read zero again", "wrong");
	munmap(p, N * PG);
}

/* The lowest address of the mapping that holds a (from /proc/self/maps). */
static unsigned long vma_start(unsigned long a)
{
	static char buf[16384];
	int fd = open("/proc/self/maps", O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	char *l = buf;

	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	while (*l) {
		char *end;
		unsigned long lo = strtoul(l, &end, 16), hi = strtoul(end + 1, NULL, 16);

		if (lo <= a && a < hi)
			return lo;
		l = strchr(l, '\n');
		if (!l)
			break;
		l++;
	}
	return 0;
}

static void growsdown(void)
{
	/* One page of MAP_GROWSDOWN high in a 2 MiB hole of our own. */
	char *hole = mmap(NULL, 512 * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *top, *p;
	long r0, r1;
	int ok = 1;

	check(hole != MAP_FAILED, "mmap of a hole", "failed");
	if (hole == MAP_FAILED)
		return;
	munmap(hole, 512 * PG);
	top = hole + 480 * PG;
	p = mmap(top, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN | MAP_FIXED,
		 -1, 0);
	check(p == top, "mmap MAP_GROWSDOWN", "got %p", (void *)p);
	if (p != top)
		return;
	r0 = rss();
	for (long i = 0; i < 32; i++)		/* the page, then 31 below it, in order */
		top[-i * PG] = (char)(i + 1);
	r1 = rss();
	check(vma_start((unsigned long)top) == (unsigned long)(top - 31 * PG),
	      "the stack grew down to the lowest touch only", "starts at %#lx, lowest touch %p",
	      vma_start((unsigned long)top), (void *)(top - 31 * PG));
	check(r1 - r0 == 32, "growing down: RSS grows by the touched pages only", "grew by %ld", r1 - r0);
	for (long i = 0; i < 32; i++)
		ok &= top[-i * PG] == (char)(i + 1) && top[-i * PG + 1] == 0;
	check(ok, "growing down: each page holds its write", "wrong");
	munmap(top - 31 * PG, 32 * PG);
}

int main(void)
{
	t_start();
	if (access("/proc/self/status", F_OK) != 0)	/* as init in ./linux */
		mount("proc", "/proc", "proc", 0, NULL);
	check(rss() > 0, "/proc/self/statm reads", "no");
	signal(SIGSEGV, on_segv);
	sequential();
	sparse();
	forked();
	over_window();
	growsdown();
	return t_done();
}
