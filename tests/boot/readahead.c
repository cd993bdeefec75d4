/*
 * readahead.c - read patterns for the readahead boot test.
 *
 *   readahead make FILE            writes the test file: pseudo-random data
 *                                  with two holes and a size that ends
 *                                  inside a block
 *   readahead read PAT FILE [DISK] reads FILE in pattern PAT (seq64k,
 *                                  seq4k, seqodd, random, backward) and
 *                                  writes the bytes it got to stdout, in
 *                                  the order read; with DISK, drops the
 *                                  caches first and prints to stderr
 *                                  "STAT PAT reads=R sectors=S asked=B":
 *                                  DISK's read requests and sectors from
 *                                  /proc/diskstats during the pattern
 *                                  and the bytes the pattern asked for.
 *
 * Natively (no DISK) the output is the oracle: the boot test compares
 * the sha256 of each pattern's bytes with the host's.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FILE_SIZE	(24L * 1024 * 1024 + 12345)
#define HOLE1		(1L << 20)		/* [HOLE1, HOLE1 + HOLE1_LEN) never written */
#define HOLE1_LEN	(200L << 10)
#define HOLE2		((8L << 20) + 5000)
#define HOLE2_LEN	((1L << 20) + 3)

static char buf[1 << 16];

static int in_hole(long off)
{
	return (off >= HOLE1 && off < HOLE1 + HOLE1_LEN) || (off >= HOLE2 && off < HOLE2 + HOLE2_LEN);
}

static int make(const char *path)
{
	unsigned long x = 88172645463325252UL;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0)
		return 1;
	for (long off = 0; off < FILE_SIZE; ) {
		long n = FILE_SIZE - off < 4096 ? FILE_SIZE - off : 4096, w = 0;

		for (long i = 0; i < n; i++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			buf[i] = (char)x;
		}
		/* the bytes outside the holes, a run at a time */
		for (long i = 0; i < n; i = w) {
			int hole = in_hole(off + i);

			for (w = i; w < n && in_hole(off + w) == hole; w++)
				;
			if (!hole && pwrite(fd, buf + i, (size_t)(w - i), off + i) != w - i)
				return 1;
		}
		off += n;
	}
	if (ftruncate(fd, FILE_SIZE) < 0 || fsync(fd) < 0 || close(fd) < 0)
		return 1;
	return 0;
}

/* The disk's read requests and sectors, from /proc/diskstats. */
static int disk_reads(const char *disk, unsigned long long *reads, unsigned long long *sectors)
{
	FILE *f = fopen("/proc/diskstats", "r");
	char line[512], name[64];
	unsigned long long r, m, s;
	int found = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%*u %*u %63s %llu %llu %llu", name, &r, &m, &s) == 4 &&
		    !strcmp(name, disk)) {
			*reads = r;
			*sectors = s;
			found = 1;
		}
	fclose(f);
	return found ? 0 : -1;
}

static int drop_caches(void)
{
	int fd;

	sync();
	fd = open("/proc/sys/vm/drop_caches", O_WRONLY);
	if (fd < 0)
		return -1;
	if (write(fd, "3\n", 2) != 2) {
		close(fd);
		return -1;
	}
	return close(fd);
}

/* Reads n bytes at off (pread), writes what came to stdout: the count, or -1. */
static long piece(int fd, long off, long n)
{
	long got = pread(fd, buf, (size_t)n, off);

	if (got < 0 || fwrite(buf, 1, (size_t)got, stdout) != (size_t)got)
		return -1;
	return got;
}

static long pattern(const char *pat, int fd, long *asked)
{
	long total = 0, got, chunk = 0;

	if (!strcmp(pat, "seq64k"))
		chunk = 65536;
	else if (!strcmp(pat, "seq4k"))
		chunk = 4096;
	else if (!strcmp(pat, "seqodd"))
		chunk = 10000;
	if (chunk) {
		while ((got = read(fd, buf, (size_t)chunk)) > 0) {
			if (fwrite(buf, 1, (size_t)got, stdout) != (size_t)got)
				return -1;
			total += got;
		}
		*asked = total;
		return got < 0 ? -1 : total;
	}
	if (!strcmp(pat, "random")) {
		unsigned long x = 12345;

		/* 24 pieces of 4 KiB at scattered offsets, then one across
		 * the end of the file and one past it. */
		for (int i = 0; i < 24; i++) {
			x = x * 6364136223846793005UL + 1442695040888963407UL;
			if ((got = piece(fd, (long)((x >> 17) % (FILE_SIZE - 4096)), 4096)) < 0)
				return -1;
			total += got;
		}
		if ((got = piece(fd, FILE_SIZE - 1000, 4096)) != 1000 ||
		    piece(fd, FILE_SIZE + 100, 4096) != 0)
			return -1;
		*asked = 26 * 4096;
		return total + got;
	}
	if (!strcmp(pat, "backward")) {
		for (long off = FILE_SIZE / 65536 * 65536; off >= 0; off -= 65536) {
			if ((got = piece(fd, off, 65536)) < 0)
				return -1;
			total += got;
		}
		*asked = total;
		return total;
	}
	return -1;
}

static int do_read(const char *pat, const char *path, const char *disk)
{
	unsigned long long r0 = 0, s0 = 0, r1 = 0, s1 = 0;
	long asked = 0, got;
	int fd;

	if (disk && (drop_caches() < 0 || disk_reads(disk, &r0, &s0) < 0)) {
		fprintf(stderr, "readahead: no drop_caches or diskstats\n");
		return 1;
	}
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 1;
	got = pattern(pat, fd, &asked);
	close(fd);
	if (got < 0 || fflush(stdout) != 0) {
		fprintf(stderr, "readahead: %s failed\n", pat);
		return 1;
	}
	if (disk) {
		if (disk_reads(disk, &r1, &s1) < 0)
			return 1;
		fprintf(stderr, "STAT %s reads=%llu sectors=%llu asked=%ld\n", pat, r1 - r0, s1 - s0,
			asked);
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "make"))
		return make(argv[2]);
	if ((argc == 4 || argc == 5) && !strcmp(argv[1], "read"))
		return do_read(argv[2], argv[3], argc == 5 ? argv[4] : NULL);
	fprintf(stderr, "usage: readahead make FILE | read PAT FILE [DISK]\n");
	return 2;
}
