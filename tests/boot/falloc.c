/*
 * falloc.c - fallocate(2) on an ext4 file (extents): mode 0 allocates
 * (st_blocks grows, the size follows), PUNCH_HOLE and ZERO_RANGE read back
 * as zeros, COLLAPSE_RANGE and INSERT_RANGE move the tail, each checked
 * against the same edits made on a copy in memory; the unaligned and
 * out-of-range cases are EINVAL.  Writes the expected bytes to EXPECT so
 * the host can compare the two with debugfs.  Exit 0 when all is well.
 * Usage: falloc FILE EXPECT
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define K 1024
static unsigned char want[256 * K], got[256 * K];
static long size;
static int bad;

static void expect(int ok, const char *what)
{
	printf("%s %s\n", ok ? "ok" : "bad", what);
	bad |= !ok;
}

static void compare(int fd, const char *what)
{
	struct stat st;

	expect(fstat(fd, &st) == 0 && st.st_size == size && pread(fd, got, size, 0) == size &&
	       !memcmp(got, want, size), what);
}

int main(int argc, char **argv)
{
	struct stat st;
	long blocks;
	int fd, e;

	if (argc < 3)
		return 2;
	fd = open(argv[1], O_RDWR | O_CREAT | O_TRUNC, 0644);
	for (size = 0; size < 64 * K; size++)
		want[size] = (unsigned char)(size % 251 + 1);
	write(fd, want, size);
	fsync(fd);
	fstat(fd, &st);
	blocks = st.st_blocks;
	expect(fallocate(fd, 0, 64 * K, 64 * K) == 0, "mode 0");
	memset(want + size, 0, 64 * K);
	size += 64 * K;
	fstat(fd, &st);
	expect(st.st_blocks >= blocks + 128, "blocks allocated");
	compare(fd, "mode 0 bytes");
	expect(fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, 200 * K) == 0, "KEEP_SIZE");
	compare(fd, "KEEP_SIZE bytes");
	expect(fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 4 * K, 4 * K) == 0, "PUNCH_HOLE");
	memset(want + 4 * K, 0, 4 * K);
	compare(fd, "PUNCH_HOLE bytes");
	expect(fallocate(fd, FALLOC_FL_ZERO_RANGE, 9 * K, 3 * K) == 0, "ZERO_RANGE");
	memset(want + 9 * K, 0, 3 * K);
	compare(fd, "ZERO_RANGE bytes");
	expect(fallocate(fd, FALLOC_FL_ZERO_RANGE, size - 1, 2 * K) == 0, "ZERO_RANGE past EOF");
	memset(want + size - 1, 0, 2 * K);
	size += 2 * K - 1;
	compare(fd, "ZERO_RANGE grew the file");
	ftruncate(fd, 128 * K);
	size = 128 * K;
	expect(fallocate(fd, FALLOC_FL_COLLAPSE_RANGE, 16 * K, 4 * K) == 0, "COLLAPSE_RANGE");
	memmove(want + 16 * K, want + 20 * K, size - 20 * K);
	size -= 4 * K;
	compare(fd, "COLLAPSE_RANGE bytes");
	expect(fallocate(fd, FALLOC_FL_INSERT_RANGE, 4 * K, 8 * K) == 0, "INSERT_RANGE");
	memmove(want + 12 * K, want + 4 * K, size - 4 * K);
	memset(want + 4 * K, 0, 8 * K);
	size += 8 * K;
	compare(fd, "INSERT_RANGE bytes");
	e = fallocate(fd, FALLOC_FL_COLLAPSE_RANGE, 100, 4 * K) == -1 ? errno : 0;
	expect(e == EINVAL, "COLLAPSE unaligned: EINVAL");
	e = fallocate(fd, FALLOC_FL_COLLAPSE_RANGE, size - 4 * K, 4 * K) == -1 ? errno : 0;
	expect(e == EINVAL, "COLLAPSE to EOF: EINVAL");
	e = fallocate(fd, FALLOC_FL_INSERT_RANGE, size, 4 * K) == -1 ? errno : 0;
	expect(e == EINVAL, "INSERT at EOF: EINVAL");
	close(fd);
	fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	write(fd, want, size);
	close(fd);
	sync();
	return bad;
}
