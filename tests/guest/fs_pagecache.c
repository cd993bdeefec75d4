/*
 * fs_pagecache.c - one file read through read(2) and through mappings
 * while it is written, truncated and punched: after every step the
 * bytes seen by pread, by a fresh MAP_SHARED mapping and by a mapping
 * made before the step must equal a copy the program keeps.  The file
 * crosses the first indirect blocks of a 1 KiB-block ext2 file (12 KiB,
 * 268 KiB) and has holes; the page cache fills it straight from the disk
 * with readahead, so every case of that path is here: holes, the tail
 * past EOF within the last page (zeros), blocks written but not yet on
 * disk, shrink and regrow, a punched range.
 */
#define _GNU_SOURCE
#include "t.h"
#include "fs.h"
#include <sys/mman.h>

#define MAXSZ	(1600 * 1024)

static unsigned char shadow[MAXSZ], buf[MAXSZ];
static size_t size;
static int fd;

static void put(size_t off, const void *p, size_t n)
{
	memcpy(shadow + off, p, n);
	if (off + n > size)
		size = off + n;
}

static void fill(unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)((i * 31 + seed * 7 + (i >> 10)) % 251 + 1);
}

/* Where a differs from b in n bytes, or -1. */
static long differs(const unsigned char *a, const unsigned char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return (long)i;
	return -1;
}

/* pread, a fresh shared mapping, and old (a mapping made earlier, oldlen
 * bytes of it still inside the file) against the shadow. */
static void verify(const char *what, const unsigned char *old, size_t oldlen)
{
	struct stat st;
	size_t got = 0;
	long d;
	ssize_t r;

	check(fstat(fd, &st) == 0 && (size_t)st.st_size == size, what, "size %ld, want %zu",
	      (long)st.st_size, size);
	while (got < size && (r = pread(fd, buf + got, size - got, (off_t)got)) > 0)
		got += (size_t)r;
	d = differs(buf, shadow, size);
	check(got == size && d < 0, what, "pread: %zu bytes, first difference at %ld", got, d);
	if (size) {
		size_t maplen = (size + 4095) & ~(size_t)4095;
		unsigned char *m = mmap(NULL, maplen, PROT_READ, MAP_SHARED, fd, 0);
		long tail = -1;

		check(m != MAP_FAILED, what, "mmap: errno %d", errno);
		if (m == MAP_FAILED)
			return;
		d = differs(m, shadow, size);
		for (size_t i = size; i < maplen; i++)
			if (m[i]) {
				tail = (long)i;
				break;
			}
		check(d < 0 && tail < 0, what, "mapping: first difference at %ld, non-zero past EOF at %ld",
		      d, tail);
		munmap(m, maplen);
	}
	if (old) {
		d = differs(old, shadow, oldlen < size ? oldlen : size);
		check(d < 0, what, "the older mapping: first difference at %ld", d);
	}
}

static void pw(size_t off, size_t n, unsigned seed)
{
	fill(buf, n, seed);
	check(pwrite(fd, buf, n, (off_t)off) == (ssize_t)n, "pwrite", "errno %d", errno);
	put(off, buf, n);
}

int main(void)
{
	unsigned char *m, *p;
	size_t mlen = MAXSZ;

	t_start();
	fs_scratch("fs_pagecache");
	fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0644);
	check(fd >= 0, "open", "errno %d", errno);

	/* Data, a hole of two pages, more data across 12 KiB and 268 KiB,
	 * an odd-sized end. */
	pw(0, 5000, 1);
	pw(13000, 300000, 2);
	pw(400 * 1024 + 123, 777, 3);
	verify("written with holes", NULL, 0);

	/* A mapping made now must see every later change. */
	m = mmap(NULL, mlen, PROT_READ, MAP_SHARED, fd, 0);
	check(m != MAP_FAILED, "long-lived mapping", "errno %d", errno);
	verify("mapped", m, size);

	/* Small writes inside cached pages, inside a hole, across a page edge. */
	pw(4090, 20, 4);
	pw(8192 + 100, 50, 5);
	pw(266 * 1024 + 4000, 9000, 6);
	verify("rewritten in place", m, size);

	/* Through a shared writable mapping, then msync. */
	p = mmap(NULL, 65536, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 65536);
	check(p != MAP_FAILED, "shared writable mapping", "errno %d", errno);
	if (p != MAP_FAILED) {
		fill(buf, 3000, 7);
		memcpy(p + 1000, buf, 3000);
		put(65536 + 1000, buf, 3000);
		check(msync(p, 65536, MS_SYNC) == 0, "msync", "errno %d", errno);
		munmap(p, 65536);
	}
	verify("written through a mapping", m, size);

	/* A private mapping's writes stay private. */
	p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	check(p != MAP_FAILED, "private mapping", "errno %d", errno);
	if (p != MAP_FAILED) {
		memset(p, 0xee, 8192);
		munmap(p, 8192);
	}
	verify("private copy written", m, size);

	/* Shrink to an odd size: the rest of its last page reads as zeros;
	 * grow again: the regrown part is a hole. */
	check(ftruncate(fd, 100 * 1024 + 17) == 0, "shrink", "errno %d", errno);
	memset(shadow + 100 * 1024 + 17, 0, MAXSZ - (100 * 1024 + 17));
	size = 100 * 1024 + 17;
	verify("shrunk", m, size);
	check(ftruncate(fd, 200 * 1024) == 0, "grow", "errno %d", errno);
	size = 200 * 1024;
	verify("grown back", m, size);
	pw(150 * 1024 + 5, 10, 8);
	verify("written in the regrown hole", m, size);

	/* A punched range reads as zeros (where the filesystem has no punch,
	 * ext2 as on Linux, the same bytes are written as zeros). */
	{
		int r = fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 20000, 30000);

		if (r != 0 && errno == EOPNOTSUPP) {
			memset(buf, 0, 30000);
			r = pwrite(fd, buf, 30000, 20000) == 30000 ? 0 : -1;
		}
		check(r == 0, "punch (or zeros written)", "errno %d", errno);
	}
	memset(shadow + 20000, 0, 30000);
	verify("punched", m, size);

	/* Appends that grow the file a page at a time, far past the first
	 * mapping's end, then a large sequential write (readahead windows). */
	for (int i = 0; i < 5; i++)
		pw(size, 4096 + 100, 9 + (unsigned)i);
	pw(300 * 1024, 1200 * 1024, 20);
	verify("appended", m, size);

	/* Reopened: nothing cached by the descriptor. */
	close(fd);
	fd = open("f", O_RDWR);
	check(fd >= 0, "reopen", "errno %d", errno);
	verify("reopened", m, size);
	check(fsync(fd) == 0, "fsync", "errno %d", errno);
	verify("after fsync", m, size);

	munmap(m, mlen);
	close(fd);
	unlink("f");
	return t_done();
}
