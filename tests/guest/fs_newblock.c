/*
 * fs_newblock.c - writes that allocate new blocks read back exactly what
 * was written and zeros everywhere else: a partial-block write into a
 * new file, past a hole, into a hole inside the file, a full-block
 * write, writes whose buffer runs into an unmapped page (the count
 * stops there, as Linux's copy does, and the rest of the new block the
 * copy fell short in reads as zeros, never as the disk's old bytes), and a write
 * whose source is a mapping of the very blocks being allocated.  Before
 * that it fills free blocks with a pattern (a file written, synced and
 * removed), so old bytes would show.  With "write" or "check" it only
 * writes or only checks the files in $TMPDIR/newblock: the boot test
 * newblock_remount checks them again after a reboot.
 */
#define _GNU_SOURCE
#include "t.h"
#include "fs.h"
#include <sys/mman.h>

#define PG	4096

static unsigned char *buf, *got;

static unsigned char pat(size_t i, unsigned seed)
{
	return (unsigned char)((i * 13 + seed * 5) % 251 + 1);
}

/* The expected byte at i of file `seed` whose data lies in [a, b). */
static unsigned char want(size_t i, unsigned seed, size_t a, size_t b)
{
	return i >= a && i < b ? pat(i - a, seed) : 0;
}

/* Compares the file name (size bytes) with data in [a, b), zeros elsewhere. */
static void verify(const char *name, size_t size, unsigned seed, size_t a, size_t b)
{
	int fd = open(name, O_RDONLY);
	struct stat st;
	size_t i, bad = size;

	if (fd < 0 || fstat(fd, &st) < 0) {
		check(0, name, "open/fstat errno %d", errno);
		return;
	}
	check((size_t)st.st_size == size, name, "size %lld, want %zu", (long long)st.st_size, size);
	if (pread(fd, got, size, 0) != (ssize_t)size) {
		check(0, name, "pread errno %d", errno);
		close(fd);
		return;
	}
	for (i = 0; i < size && bad == size; i++)
		if (got[i] != want(i, seed, a, b))
			bad = i;
	check(bad == size, name, "byte %zu is 0x%02x, want 0x%02x", bad,
	      bad < size ? got[bad] : 0, bad < size ? want(bad, seed, a, b) : 0);
	close(fd);
}

/* Writes n pattern bytes (seed) at off of name, opened with flags. */
static ssize_t put(const char *name, int flags, size_t off, size_t n, unsigned seed)
{
	int fd = open(name, O_WRONLY | O_CREAT | flags, 0644);
	ssize_t r;

	if (fd < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		buf[i] = pat(i, seed);
	r = pwrite(fd, buf, n, (off_t)off);
	close(fd);
	return r;
}

/* Free blocks full of 0xab: a file written, synced and removed. */
static void dirty_free_blocks(void)
{
	int fd = open("junk", O_WRONLY | O_CREAT | O_TRUNC, 0644);

	memset(buf, 0xab, 1 << 20);
	check(fd >= 0 && write(fd, buf, 1 << 20) == 1 << 20 && fsync(fd) == 0, "junk written",
	      "errno %d", errno);
	close(fd);
	CHECK_OK(unlink("junk"), "junk removed");
	sync();
}

/* A write of 2 pages from a buffer whose second page is unmapped. */
static ssize_t put_faulting(const char *name, size_t off, size_t skew, unsigned seed)
{
	unsigned char *m = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int fd = open(name, O_WRONLY | O_CREAT, 0644);
	ssize_t r;

	if (m == MAP_FAILED || fd < 0)
		return -2;
	for (size_t i = skew; i < PG; i++)
		m[i] = pat(i - skew, seed);
	munmap(m + PG, PG);
	errno = 0;
	r = pwrite(fd, m + skew, 2 * PG, (off_t)off);
	if (r < 0)
		r = -errno;
	close(fd);
	munmap(m, PG);
	return r;
}

/* A write whose source maps the file's own hole, at the same place. */
static void put_from_self(void)
{
	int fd = open("self", O_RDWR | O_CREAT | O_TRUNC, 0644);
	unsigned char *m;

	check(fd >= 0 && ftruncate(fd, 16 * PG) == 0, "self truncated", "errno %d", errno);
	m = mmap(NULL, 16 * PG, PROT_READ, MAP_SHARED, fd, 0);
	check(m != MAP_FAILED, "self mapped", "errno %d", errno);
	if (m != MAP_FAILED) {
		check(pwrite(fd, m + 4 * PG, 2 * PG, 4 * PG) == 2 * PG, "self written from itself",
		      "errno %d", errno);
		munmap(m, 16 * PG);
	}
	close(fd);
}

static void do_write(void)
{
	ssize_t r;

	dirty_free_blocks();
	check(put("a", O_TRUNC, 5000, 100, 1) == 100, "a: 100 bytes at 5000", "errno %d", errno);
	check(put("b", O_TRUNC, 0, 65539, 2) == 65539, "b: 64 KiB + 3", "errno %d", errno);
	check(put("b", 0, 200000, 10, 3) == 10, "b: 10 bytes past a hole", "errno %d", errno);
	check(put("c", O_TRUNC, 0, 0, 4) == 0 && truncate("c", 1 << 20) == 0,
	      "c: a 1 MiB hole", "errno %d", errno);
	check(put("c", 0, 300001, 7, 5) == 7, "c: 7 bytes into the hole", "errno %d", errno);
	check(put("d", O_TRUNC, 0, 8 * PG, 6) == 8 * PG, "d: 8 whole pages", "errno %d", errno);
	r = put_faulting("e", 0, 0, 7);
	check(r == PG, "e: stops at the unmapped page", "got %zd", r);
	r = put_faulting("f", PG + 100, PG - 100, 8);
	check(r == 100, "f: the 100 bytes before the unmapped page", "got %zd", r);
	check(put("g", O_TRUNC, 0, 0, 0) == 0 && truncate("g", 16 * PG) == 0, "g: a 64 KiB hole",
	      "errno %d", errno);
	r = put_faulting("g", 2 * PG, 0, 9);
	check(r == PG, "g: hole filled up to the unmapped page", "got %zd", r);
	put_from_self();
}

static void do_check(void)
{
	verify("a", 5100, 1, 5000, 5100);
	verify("c", 1 << 20, 5, 300001, 300008);
	verify("d", 8 * PG, 6, 0, 8 * PG);
	verify("e", PG, 7, 0, PG);
	verify("f", PG + 200, 8, PG + 100, PG + 200);
	verify("g", 16 * PG, 9, 2 * PG, 3 * PG);
	verify("self", 16 * PG, 0, 0, 0);
	/* b: the first write's bytes, a hole, then the second's. */
	{
		int fd = open("b", O_RDONLY);
		size_t i, bad = 200010;

		check(fd >= 0 && pread(fd, got, 200011, 0) == 200010, "b read", "errno %d", errno);
		for (i = 0; i < 200010 && bad == 200010; i++) {
			unsigned char w = i < 65539 ? pat(i, 2) : i >= 200000 ? pat(i - 200000, 3) : 0;

			if (got[i] != w)
				bad = i;
		}
		check(bad == 200010, "b", "byte %zu differs", bad);
		close(fd);
	}
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "all";
	char dir[4096];

	t_start();
	buf = malloc(1 << 20);
	got = malloc(1 << 20);
	if (!strcmp(mode, "all")) {
		fs_scratch("newblock");
	} else {
		snprintf(dir, sizeof(dir), "%s/newblock", t_tmpdir());
		if ((!strcmp(mode, "write") && mkdir(dir, 0755) < 0) || chdir(dir) < 0) {
			printf("not ok 0 %s: %s\n", dir, strerror(errno));
			return 1;
		}
	}
	if (strcmp(mode, "check"))
		do_write();
	if (strcmp(mode, "write"))
		do_check();
	return t_done();
}
