/*
 * fs_writeback.c - file data through write-back: a file written in
 * 64 KiB writes past several 1 MiB write-back runs, one written block by
 * block backwards and one in a scrambled order (the dirty buffers then
 * sit out of block order), unaligned overwrites across block boundaries,
 * fsync and fdatasync between them, truncation down to a partial block
 * and back up (the cut bytes read as zeros), a write past a hole, and
 * the error paths (EBADF, EINVAL on a pipe, EFAULT leaving the file as
 * it was).  Every byte is checked against a copy kept in memory.
 *
 * With an argument DIR the files are written there and kept (no checks
 * of errors, no unlink): tests/boot/run writeback_disk compares what
 * reached the disk with a native run's files.
 */
#include "t.h"
#include "fs.h"

#define BIG	(3 * 1024 * 1024 + 1234)	/* past three write-back runs */
#define BLOCKS	1024				/* of 1 KiB, for the scrambled files */

static unsigned char *want_big, *want_rev, *want_mix;

/* The byte at pos of file `seed`: no period a block or a run would hide. */
static unsigned char pattern(unsigned seed, long pos)
{
	unsigned long x = (unsigned long)pos * 2654435761u + seed * 40503u;

	return (unsigned char)(x ^ (x >> 13) ^ (x >> 24));
}

static void fill(unsigned char *p, unsigned seed, long pos, long n)
{
	for (long i = 0; i < n; i++)
		p[i] = pattern(seed, pos + i);
}

/* True when the file at fd holds exactly want[0..n). */
static int same(int fd, const unsigned char *want, long n)
{
	static unsigned char buf[65536];
	long pos = 0;
	struct stat st;

	if (fstat(fd, &st) != 0 || st.st_size != n)
		return 0;
	while (pos < n) {
		ssize_t r = pread(fd, buf, sizeof(buf), pos);

		if (r <= 0 || memcmp(buf, want + pos, (size_t)r) != 0)
			return 0;
		pos += r;
	}
	return pread(fd, buf, 1, n) == 0;
}

static int full_pwrite(int fd, const unsigned char *p, long n, long pos)
{
	return pwrite(fd, p, (size_t)n, pos) == n ? 0 : -1;
}

/* The big file: 64 KiB writes, fsync, two unaligned overwrites, fdatasync. */
static int write_big(int fd)
{
	unsigned char chunk[65536];
	long pos;

	fill(want_big, 1, 0, BIG);
	for (pos = 0; pos < BIG; pos += sizeof(chunk)) {
		long n = BIG - pos < (long)sizeof(chunk) ? BIG - pos : (long)sizeof(chunk);

		memcpy(chunk, want_big + pos, (size_t)n);
		if (write(fd, chunk, (size_t)n) != n)
			return -1;
	}
	if (fsync(fd) != 0)
		return -1;
	/* 5000 bytes across five block boundaries, and one across the 1 MiB mark. */
	fill(want_big + 100000, 7, 100000, 5000);
	fill(want_big + 1048576 - 300, 8, 1048576 - 300, 700);
	if (full_pwrite(fd, want_big + 100000, 5000, 100000) ||
	    full_pwrite(fd, want_big + 1048576 - 300, 700, 1048576 - 300))
		return -1;
	return fdatasync(fd);
}

/* BLOCKS blocks written one at a time, last first. */
static int write_rev(int fd)
{
	fill(want_rev, 2, 0, BLOCKS * 1024L);
	for (long b = BLOCKS - 1; b >= 0; b--)
		if (full_pwrite(fd, want_rev + b * 1024, 1024, b * 1024))
			return -1;
	return fsync(fd);
}

/* BLOCKS blocks in a scrambled order (b * 389 mod 1024 visits each once),
 * half a block at a time, the second halves first. */
static int write_mix(int fd)
{
	fill(want_mix, 3, 0, BLOCKS * 1024L);
	for (int half = 1; half >= 0; half--)
		for (long i = 0; i < BLOCKS; i++) {
			long b = i * 389 % BLOCKS, off = b * 1024 + half * 512;

			if (full_pwrite(fd, want_mix + off, 512, off))
				return -1;
		}
	return fsync(fd);
}

/* Cut to a partial block, grow back (zeros), write past a hole. */
static long cut_and_grow(int fd)
{
	long cut = 2 * 1024 * 1024 + 777, grown = 2 * 1024 * 1024 + 5000;
	long far = 4 * 1024 * 1024;

	if (ftruncate(fd, cut) != 0 || fsync(fd) != 0 || ftruncate(fd, grown) != 0)
		return -1;
	memset(want_big + cut, 0, (size_t)(far + 3000 - cut));
	fill(want_big + far, 9, far, 3000);
	if (full_pwrite(fd, want_big + far, 3000, far) || fsync(fd) != 0)
		return -1;
	return far + 3000;
}

static int open_new(const char *name)
{
	return open(name, O_RDWR | O_CREAT | O_TRUNC, 0644);
}

int main(int argc, char **argv)
{
	int big, rev, mix, p[2];
	long size;

	t_start();
	want_big = calloc(1, 4 * 1024 * 1024 + 3000);
	want_rev = malloc(BLOCKS * 1024);
	want_mix = malloc(BLOCKS * 1024);
	if (!want_big || !want_rev || !want_mix) {
		printf("not ok 0 memory\n");
		return 1;
	}
	if (argc > 1) {
		/* Keep the files in DIR for the boot test's disk comparison. */
		if (chdir(argv[1]) != 0)
			return 2;
		big = open_new("big");
		rev = open_new("rev");
		mix = open_new("mix");
		if (big < 0 || rev < 0 || mix < 0 || write_big(big) || write_rev(rev) ||
		    write_mix(mix) || cut_and_grow(big) < 0)
			return 3;
		return close(big) || close(rev) || close(mix) ? 4 : 0;
	}
	fs_scratch("fs_writeback");
	big = open_new("big");
	rev = open_new("rev");
	mix = open_new("mix");
	check(big >= 0 && rev >= 0 && mix >= 0, "create three files", "%s", strerror(errno));
	CHECK_OK(write_big(big), "big: 64 KiB writes, fsync, overwrites, fdatasync");
	check(same(big, want_big, BIG), "big: every byte back", "differs");
	CHECK_OK(write_rev(rev), "rev: blocks written last first, fsync");
	check(same(rev, want_rev, BLOCKS * 1024L), "rev: every byte back", "differs");
	CHECK_OK(write_mix(mix), "mix: half blocks in a scrambled order, fsync");
	check(same(mix, want_mix, BLOCKS * 1024L), "mix: every byte back", "differs");
	size = cut_and_grow(big);
	check(size > 0, "big: cut, grown, written past a hole, fsync", "%s", strerror(errno));
	check(size > 0 && same(big, want_big, size), "big: cut bytes and the hole read zeros",
	      "differs");
	/* Error paths: none may change a file. */
	CHECK_ERR(fsync(-1), EBADF, "fsync of a bad descriptor");
	CHECK_ERR(fdatasync(1000), EBADF, "fdatasync of a closed descriptor");
	if (pipe(p) == 0) {
		CHECK_ERR(fsync(p[0]), EINVAL, "fsync of a pipe");
		close(p[0]);
		close(p[1]);
	}
	CHECK_ERR(pwrite(rev, (void *)16, 4096, 1000), EFAULT, "pwrite from an unmapped buffer");
	CHECK_ERR(write(mix, (void *)16, 4096), EFAULT, "write from an unmapped buffer");
	check(same(rev, want_rev, BLOCKS * 1024L) && same(mix, want_mix, BLOCKS * 1024L),
	      "files unchanged by the faults", "differs");
	/* A read-only descriptor can be synced; the data stays. */
	{
		int ro = open("rev", O_RDONLY);

		CHECK_OK(fsync(ro), "fsync of a read-only descriptor");
		check(same(ro, want_rev, BLOCKS * 1024L), "rev: still every byte", "differs");
		close(ro);
	}
	CHECK_OK(close(big) | close(rev) | close(mix), "close");
	CHECK_OK(unlink("big") | unlink("rev") | unlink("mix"), "unlink");
	return t_done();
}
