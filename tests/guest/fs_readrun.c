/*
 * fs_readrun.c - read(2) and pread of a file with runs of blocks and
 * holes, against a copy the program keeps: every read size that cuts
 * blocks and pages differently (1 byte to 200 KiB), from offsets on and
 * off block and page edges, across holes at every level of an ext2 block
 * map (direct, single, double indirect and a whole missing indirect
 * subtree, on a 1 KiB-block image: 12 KiB, 268 KiB, 64.3 MiB), across
 * EOF, after a shrink to the middle of a block and a regrowth, and into
 * a buffer whose second page is unmapped (the count stops there, as
 * Linux's copy does), and of a file whose blocks interleave with another's.  With the argument "punch" it also punches and
 * zeroes ranges (fallocate), which ext2 does not have: the boot test
 * read_runs runs it so on ext4 images, and natively.
 */
#define _GNU_SOURCE
#include "t.h"
#include "fs.h"
#include <sys/mman.h>

#define MAXSZ	(66u * 1024 * 1024)	/* past the first triple-indirect block */

static unsigned char *shadow, *buf;
static size_t size;
static int fd;

static void fill(unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)((i * 31 + seed * 7 + (i >> 10)) % 251 + 1);
}

static void pw(size_t off, size_t n, unsigned seed)
{
	fill(buf, n, seed);
	check(pwrite(fd, buf, n, (off_t)off) == (ssize_t)n, "pwrite", "errno %d", errno);
	memcpy(shadow + off, buf, n);
	if (off + n > size)
		size = off + n;
}

/* Reads [off, off + len) with preads of chunk bytes and compares it with
 * the shadow (the part past EOF must not come back): 0 if it matches. */
static int read_range(size_t off, size_t len, size_t chunk)
{
	size_t want = off >= size ? 0 : (off + len > size ? size - off : len), got = 0;
	ssize_t r = 0;

	while (got < len && (r = pread(fd, buf + got, chunk < len - got ? chunk : len - got,
				       (off_t)(off + got))) > 0)
		got += (size_t)r;
	return r < 0 || got != want || memcmp(buf, shadow + off, want) != 0;
}

/* Every chunk size over [off, off + len), each from a few starts. */
static void verify_range(const char *what, size_t off, size_t len)
{
	static const size_t chunks[] = { 1, 1000, 1023, 1024, 1025, 4095, 4096, 4097,
					 65536, 65536 + 512, 200000 };
	static const size_t starts[] = { 0, 1, 1023, 4095, 4096 + 17 };
	int bad = 0;

	for (size_t c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
		if (chunks[c] < 1000 && len > 20000)
			continue;	/* byte reads over a long range take too long */
		for (size_t s = 0; s < sizeof(starts) / sizeof(starts[0]); s++)
			if (starts[s] < len && read_range(off + starts[s], len - starts[s], chunks[c]))
				bad++;
	}
	check(!bad, what, "%d of the reads differ", bad);
}

/* The whole file with read(2) in 64 KiB reads, then 1 byte past the end. */
static void verify_all(const char *what)
{
	size_t got = 0;
	ssize_t r;

	check(lseek(fd, 0, SEEK_SET) == 0, what, "lseek: errno %d", errno);
	while ((r = read(fd, buf + got, 65536)) > 0)
		got += (size_t)r;
	check(r == 0 && got == size && memcmp(buf, shadow, size) == 0, what,
	      "read %zd, %zu bytes of %zu", r, got, size);
}

/* A read into a buffer whose second page is unmapped returns what fits
 * before it; a read starting there is EFAULT. */
static void partial_fault(void)
{
	unsigned char *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ssize_t r;

	check(m != MAP_FAILED && munmap(m + 4096, 4096) == 0, "fault buffer", "errno %d", errno);
	r = pread(fd, m + 100, 70000, 4096 - 7);
	check(r == 3996 && memcmp(m + 100, shadow + 4096 - 7, 3996) == 0, "read up to a hole in the buffer",
	      "got %zd", r);
	errno = 0;
	r = pread(fd, m + 4096, 100, 0);
	check(r == -1 && errno == EFAULT, "read into an unmapped page", "got %zd errno %d", r, errno);
	munmap(m, 4096);
}

static void punch(int mode, size_t off, size_t len, const char *what)
{
	int r = fallocate(fd, mode, (off_t)off, (off_t)len);

	check(r == 0, what, "errno %d", errno);
	memset(shadow + off, 0, len);
}

/* A file whose blocks are not consecutive on the disk: its pieces (1 KiB,
 * then 4 KiB) written in turn with another file's, so runs of its block
 * map break every block or every few. */
static void interleaved(void)
{
	int g = open("g", O_RDWR | O_CREAT | O_TRUNC, 0644);
	size_t off = 0;
	int bad = 0;

	fd = open("f2", O_RDWR | O_CREAT | O_TRUNC, 0644);
	check(fd >= 0 && g >= 0, "open two files", "errno %d", errno);
	memset(shadow, 0, MAXSZ);
	size = 0;
	for (unsigned i = 0; i < 600; i++) {
		size_t n = i < 300 ? 1024 : 4096;

		fill(buf, n, 10 + i);
		memcpy(shadow + off, buf, n);
		if (pwrite(fd, buf, n, (off_t)off) != (ssize_t)n || pwrite(g, buf, n, (off_t)off) != (ssize_t)n)
			bad++;
		off += n;
	}
	size = off;
	check(!bad, "written in turn", "%d writes failed", bad);
	verify_range("interleaved, 1 KiB pieces", 0, 300 * 1024);
	verify_range("interleaved, 4 KiB pieces", 280 * 1024, size - 280 * 1024);
	verify_all("interleaved, whole");
	close(g);
	close(fd);
	unlink("g");
	unlink("f2");
}

int main(int argc, char **argv)
{
	int punching = argc > 1 && !strcmp(argv[1], "punch");

	t_start();
	shadow = calloc(MAXSZ, 1);
	buf = malloc(MAXSZ);
	if (!shadow || !buf)
		return 1;
	fs_scratch("fs_readrun");
	fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0644);
	check(fd >= 0, "open", "errno %d", errno);

	/* A run over the direct blocks into the single indirect block, a
	 * hole, data ending mid-block past 268 KiB (double indirect). */
	pw(0, 20000, 1);
	pw(30000, 260000, 2);
	pw(300 * 1024 + 5, 3000, 3);
	verify_range("direct and indirect runs", 0, 40000);
	verify_range("indirect to double indirect", 250 * 1024, size - 250 * 1024);
	verify_all("whole file");

	/* A far write: megabytes of missing indirect subtrees in between,
	 * then data in the triple-indirect range. */
	pw(65 * 1024 * 1024 + 3, 5000, 4);
	pw(20 * 1024 * 1024 - 100, 200, 5);
	verify_range("hole into a lone block", 20 * 1024 * 1024 - 70000, 140000);
	/* Data at the first block of an indirect subtree whose predecessor
	 * is missing (1 KiB blocks: 268 + 100 * 256; 4 KiB: 1036 + 5 * 1024),
	 * read from inside the hole before it. */
	pw((268 + 100 * 256) * 1024ul, 2000, 6);
	verify_range("hole up to an indirect subtree (1 KiB)", (268 + 100 * 256) * 1024ul - 70000, 80000);
	pw((1036 + 5 * 1024) * 4096ul, 2000, 7);
	verify_range("hole up to an indirect subtree (4 KiB)", (1036 + 5 * 1024) * 4096ul - 70000, 80000);
	verify_range("into the triple indirect", 65 * 1024 * 1024 - 70000, size - (65 * 1024 * 1024 - 70000));
	verify_all("sparse file");

	/* EOF: reads that start at, before and after the end. */
	verify_range("across EOF", size - 5000, 10000);
	check(pread(fd, buf, 100, (off_t)size) == 0, "pread at EOF", "errno %d", errno);
	check(pread(fd, buf, 100, (off_t)size + 5000) == 0, "pread past EOF", "errno %d", errno);

	/* Shrink into the middle of a block, then grow: the regrown part and
	 * the cut block's tail read as zeros. */
	check(ftruncate(fd, 280 * 1024 + 333) == 0, "shrink", "errno %d", errno);
	memset(shadow + 280 * 1024 + 333, 0, MAXSZ - (280 * 1024 + 333));
	size = 280 * 1024 + 333;
	verify_range("shrunk", 270 * 1024, 20000);
	check(ftruncate(fd, 3 * 1024 * 1024) == 0, "grow", "errno %d", errno);
	size = 3 * 1024 * 1024;
	verify_range("grown back", 270 * 1024, 80000);
	pw(1024 * 1024 + 10, 100, 8);
	verify_all("written in the regrown hole");

	partial_fault();

	if (punching) {
		punch(FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 8192, 3 * 4096, "punch aligned");
		punch(FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 40000, 70001, "punch unaligned");
		punch(FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE, 150000, 50000, "zero range");
		verify_range("punched", 0, 300 * 1024);
		verify_all("punched, whole");
	}

	close(fd);
	fd = open("f", O_RDONLY);
	check(fd >= 0, "reopen", "errno %d", errno);
	verify_all("reopened");
	close(fd);
	unlink("f");
	interleaved();
	return t_done();
}
