/*
 * blkdev.c - a block device special file as Linux serves it, run as root
 * in the guest: blkdev DISK SIZE RODISK MOUNTED MISSING
 *   DISK     a spare writable disk (/dev/ubdb) of SIZE bytes (the host's
 *            figure), overwritten;
 *   RODISK   a read-only disk (ubdNr=);
 *   MOUNTED  the disk mounted on / (O_EXCL: EBUSY);
 *   MISSING  a node to make for a disk that does not exist (ENXIO).
 * Prints "ok", or "FAIL ..." for each failure and exit status 1.
 * Helpers for the shell's coherence checks:
 *   blkdev pattern SEED N    N bytes of a pattern unique to SEED on stdout
 *   blkdev find DEV FILE     the sector-aligned offsets on DEV where FILE's
 *                            first 4096 bytes are, one a line
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <linux/hdreg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures;
static void *volatile bad_ptr = (void *)8;	/* never mapped */

static void check(const char *what, int ok)
{
	if (!ok) {
		printf("FAIL %s (errno %d %s)\n", what, errno, strerror(errno));
		failures++;
	}
}

/* r == -1 with errno e. */
static void check_err(const char *what, long r, int e)
{
	if (r != -1 || errno != e) {
		printf("FAIL %s: got %ld errno %d, want -1 errno %d\n", what, r, errno, e);
		failures++;
	}
}

static void fill(unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)((i * 131 + seed * 7 + (i >> 9)) & 0xff);
}

static void figures(int fd, uint64_t size)
{
	uint64_t s64 = 0;
	unsigned long sectors = 0;
	int ss = 0, bsz = 0, ro = -1;
	unsigned pbsz = 0, iomin = 0, ioopt = 1;
	struct hd_geometry g;

	check("BLKGETSIZE64", ioctl(fd, BLKGETSIZE64, &s64) == 0 && s64 == size);
	check("BLKGETSIZE", ioctl(fd, BLKGETSIZE, &sectors) == 0 && sectors == size / 512);
	check("BLKSSZGET", ioctl(fd, BLKSSZGET, &ss) == 0 && ss == 512);
	check("BLKPBSZGET", ioctl(fd, BLKPBSZGET, &pbsz) == 0 && pbsz == 512);
	check("BLKIOMIN", ioctl(fd, BLKIOMIN, &iomin) == 0 && iomin == 512);
	check("BLKIOOPT", ioctl(fd, BLKIOOPT, &ioopt) == 0 && ioopt == 0);
	check("BLKBSZGET", ioctl(fd, BLKBSZGET, &bsz) == 0 && bsz == 4096);
	check("BLKROGET", ioctl(fd, BLKROGET, &ro) == 0 && ro == 0);
	long ra = 0;

	check("BLKRAGET", ioctl(fd, BLKRAGET, &ra) == 0 && ra == 256);	/* read_ahead_kb 128 */
	check("BLKDISCARDZEROES", ioctl(fd, BLKDISCARDZEROES, &pbsz) == 0 && pbsz == 0);
	check("HDIO_GETGEO", ioctl(fd, HDIO_GETGEO, &g) == 0 && g.heads == 128 &&
	      g.sectors == 32 && g.cylinders == size / (128 * 32 * 512) && g.start == 0);
	bsz = 1024;
	check("BLKBSZSET 1024", ioctl(fd, BLKBSZSET, &bsz) == 0);
	check("BLKBSZGET 1024", ioctl(fd, BLKBSZGET, &bsz) == 0 && bsz == 1024);
	bsz = 3000;
	check_err("BLKBSZSET 3000", ioctl(fd, BLKBSZSET, &bsz), EINVAL);
	bsz = 4096;
	check("BLKBSZSET 4096", ioctl(fd, BLKBSZSET, &bsz) == 0);
	/* UML's ubd_ioctl answers EINVAL to what the block layer does not know. */
	check_err("unknown ioctl", ioctl(fd, _IO(0x12, 200), 0), EINVAL);
	check_err("TCGETS", ioctl(fd, 0x5401, &bsz), EINVAL);
	check_err("BLKGETSIZE64 bad pointer", ioctl(fd, BLKGETSIZE64, bad_ptr), EFAULT);
	check_err("BLKRRPART", ioctl(fd, BLKRRPART, 0), EINVAL);
	check("BLKFLSBUF", ioctl(fd, BLKFLSBUF, 0) == 0);
	check("SEEK_END", lseek(fd, 0, SEEK_END) == (off_t)size);
	check("SEEK_END -512", lseek(fd, -512, SEEK_END) == (off_t)size - 512);
	check_err("SEEK_SET past the end", lseek(fd, (off_t)size + 1, SEEK_SET), EINVAL);
	check("SEEK_SET 0", lseek(fd, 0, SEEK_SET) == 0);
}

/* Patterns at unaligned offsets and lengths, read back whole and in pieces. */
static void round_trips(int fd, uint64_t size)
{
	static const struct { off_t off; size_t len; } w[] = {
		{ 1, 10 }, { 511, 2 }, { 4097, 10000 }, { 123457, 300000 }, { 65536, 512 },
		{ 1000000, 1 },
	};
	static unsigned char a[300000], b[300000];
	char name[64];

	for (unsigned i = 0; i < sizeof(w) / sizeof(w[0]); i++) {
		fill(a, w[i].len, i + 1);
		snprintf(name, sizeof(name), "pwrite %ld+%zu", (long)w[i].off, w[i].len);
		check(name, pwrite(fd, a, w[i].len, w[i].off) == (ssize_t)w[i].len);
	}
	for (unsigned i = 0; i < sizeof(w) / sizeof(w[0]); i++) {
		fill(a, w[i].len, i + 1);
		memset(b, 0, w[i].len);
		snprintf(name, sizeof(name), "pread %ld+%zu", (long)w[i].off, w[i].len);
		check(name, pread(fd, b, w[i].len, w[i].off) == (ssize_t)w[i].len &&
		      !memcmp(a, b, w[i].len));
	}
	/* Vectored, at an odd offset: three pieces, then read back as one. */
	unsigned char x[100], y[700], z[3000];
	struct iovec iov[3] = { { x, sizeof(x) }, { y, sizeof(y) }, { z, sizeof(z) } };

	fill(x, sizeof(x), 20);
	fill(y, sizeof(y), 21);
	fill(z, sizeof(z), 22);
	check("pwritev", pwritev(fd, iov, 3, 2000003) == 3800);
	check("pread after pwritev", pread(fd, b, 3800, 2000003) == 3800 && !memcmp(b, x, 100) &&
	      !memcmp(b + 100, y, 700) && !memcmp(b + 800, z, 3000));
	memset(b, 0, 3800);
	iov[0].iov_base = b;
	iov[1].iov_base = b + 100;
	iov[2].iov_base = b + 800;
	check("preadv", preadv(fd, iov, 3, 2000003) == 3800 && !memcmp(b, x, 100) &&
	      !memcmp(b + 800, z, 3000));
	check("lseek for writev", lseek(fd, 3000001, SEEK_SET) == 3000001);
	iov[0].iov_base = x;
	iov[1].iov_base = y;
	iov[2].iov_base = z;
	check("writev", writev(fd, iov, 3) == 3800 && lseek(fd, 0, SEEK_CUR) == 3003801);
	check("read after writev", lseek(fd, 3000001, SEEK_SET) == 3000001 &&
	      read(fd, b, 3800) == 3800 && !memcmp(b + 800, z, 3000));
	/* The end of the disk. */
	check("pread at the end", pread(fd, b, 4096, (off_t)size) == 0);
	check("pread past the end", pread(fd, b, 4096, (off_t)size + 4096) == 0);
	check("pread straddling", pread(fd, b, 4096, (off_t)size - 100) == 100);
	check_err("pwrite at the end", pwrite(fd, a, 4096, (off_t)size), ENOSPC);
	fill(a, 4096, 30);
	check("pwrite straddling", pwrite(fd, a, 4096, (off_t)size - 100) == 100);
	check("pread the last bytes", pread(fd, b, 100, (off_t)size - 100) == 100 &&
	      !memcmp(a, b, 100));
	check("pwrite 0 bytes at the end", pwrite(fd, a, 0, (off_t)size) == 0);
	check_err("pread bad buffer", pread(fd, bad_ptr, 4096, 0), EFAULT);
	check_err("pwrite bad buffer", pwrite(fd, bad_ptr, 4096, 0), EFAULT);
	/* A buffer that runs into unmapped memory moves its mapped prefix. */
	unsigned char *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	check("mmap", m != MAP_FAILED && munmap(m + 4096, 4096) == 0);
	fill(m, 4096, 50);
	check("pwrite into a hole: the prefix", pwrite(fd, m, 8192, 7 << 20) == 4096);
	memset(m, 0, 4096);
	check("pread into a hole: the prefix", pread(fd, m, 8192, 7 << 20) == 4096);
	fill(a, 4096, 50);
	check("the prefix's bytes", !memcmp(a, m, 4096));
	munmap(m, 4096);
	check("fsync", fsync(fd) == 0);
	check("fdatasync", fdatasync(fd) == 0);
	check("sync_file_range", sync_file_range(fd, 0, 4096, SYNC_FILE_RANGE_WRITE) == 0);
}

static void direct(const char *disk)
{
	int fd = open(disk, O_RDWR | O_DIRECT);
	unsigned char *p;

	check("open O_DIRECT", fd >= 0);
	if (fd < 0 || posix_memalign((void **)&p, 4096, 16384))
		return;
	fill(p, 8192, 40);
	check("O_DIRECT pwrite", pwrite(fd, p, 8192, 1 << 20) == 8192);
	memset(p, 0, 8192);
	check("O_DIRECT pread", pread(fd, p, 8192, 1 << 20) == 8192);
	unsigned char q[8192];

	fill(q, 8192, 40);
	check("O_DIRECT data", !memcmp(p, q, 8192));
	check_err("O_DIRECT length 1000", pread(fd, p, 1000, 0), EINVAL);
	check_err("O_DIRECT offset 100", pread(fd, p, 512, 100), EINVAL);
	check_err("O_DIRECT buffer +1", pread(fd, p + 1, 512, 0), EINVAL);
	check_err("O_DIRECT write length 1000", pwrite(fd, p, 1000, 0), EINVAL);
	close(fd);
	free(p);
}

static void discard(int fd, uint64_t size)
{
	uint64_t r[2];
	unsigned char a[8192], b[8192];

	memset(a, 0x5a, sizeof(a));
	check("pwrite before zeroout", pwrite(fd, a, 8192, 5 << 20) == 8192);
	r[0] = 5 << 20;
	r[1] = 4096;
	check("BLKZEROOUT", ioctl(fd, BLKZEROOUT, r) == 0);
	memset(a, 0, 4096);
	check("zeros after BLKZEROOUT", pread(fd, b, 8192, 5 << 20) == 8192 &&
	      !memcmp(a, b, 4096) && b[4096] == 0x5a);
	r[0] = 100;
	check_err("BLKZEROOUT misaligned", ioctl(fd, BLKZEROOUT, r), EINVAL);
	r[0] = size;
	r[1] = 512;
	check_err("BLKZEROOUT past the end", ioctl(fd, BLKZEROOUT, r), EINVAL);
	check_err("BLKZEROOUT bad pointer", ioctl(fd, BLKZEROOUT, bad_ptr), EFAULT);
	memset(a, 0x6b, sizeof(a));
	check("pwrite before discard", pwrite(fd, a, 8192, 6 << 20) == 8192);
	r[0] = 6 << 20;
	r[1] = 8192;
	check("BLKDISCARD", ioctl(fd, BLKDISCARD, r) == 0);
	memset(a, 0, sizeof(a));
	check("zeros after BLKDISCARD", pread(fd, b, 8192, 6 << 20) == 8192 && !memcmp(a, b, 8192));
	r[1] = 0;
	check_err("BLKDISCARD length 0", ioctl(fd, BLKDISCARD, r), EINVAL);
	r[1] = 1000;
	check_err("BLKDISCARD misaligned", ioctl(fd, BLKDISCARD, r), EINVAL);
	r[0] = size - 512;
	r[1] = 1024;
	check_err("BLKDISCARD past the end", ioctl(fd, BLKDISCARD, r), EINVAL);
}

static void read_only(int fd, const char *rodisk)
{
	int ro = 1, rofd;

	check("BLKROSET 1", ioctl(fd, BLKROSET, &ro) == 0);
	ro = 0;
	check("BLKROGET after BLKROSET", ioctl(fd, BLKROGET, &ro) == 0 && ro == 1);
	check_err("pwrite after BLKROSET", pwrite(fd, "x", 1, 0), EPERM);
	ro = 0;
	check("BLKROSET 0", ioctl(fd, BLKROSET, &ro) == 0);
	check("pwrite after BLKROSET 0", pwrite(fd, "x", 1, 0) == 1);
	/* Linux lets a read-only disk's node be opened for writing; writes EPERM. */
	rofd = open(rodisk, O_RDWR);
	check("open read-only disk O_RDWR", rofd >= 0);
	check("BLKROGET read-only disk", ioctl(rofd, BLKROGET, &ro) == 0 && ro == 1);
	check_err("write read-only disk", pwrite(rofd, "x", 1, 0), EPERM);
	check("read read-only disk", pread(rofd, &ro, 1, 0) == 1);
	ro = 0;
	check("BLKROSET 0 read-only disk", ioctl(rofd, BLKROSET, &ro) == 0);
	check_err("write read-only disk after BLKROSET 0", pwrite(rofd, "x", 1, 0), EPERM);
	uint64_t r[2] = { 0, 512 };

	check_err("BLKZEROOUT read-only disk", ioctl(rofd, BLKZEROOUT, r), EPERM);
	close(rofd);
}

/* Without CAP_SYS_ADMIN (a child turned nobody, the disk still open): EACCES. */
static void unprivileged(int fd)
{
	int st, v = 1;
	pid_t pid = fork();

	if (pid == 0) {
		int bad = 0;

		if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
			_exit(100);
		bad |= ioctl(fd, BLKROSET, &v) != -1 || errno != EACCES;
		bad |= (ioctl(fd, BLKFLSBUF, 0) != -1 || errno != EACCES) << 1;
		v = 1024;
		bad |= (ioctl(fd, BLKBSZSET, &v) != -1 || errno != EACCES) << 2;
		bad |= (ioctl(fd, BLKRRPART, 0) != -1 || errno != EACCES) << 3;
		bad |= (ioctl(fd, BLKGETSIZE64, &v) != 0) << 4;	/* reading figures is anyone's */
		_exit(bad);
	}
	check("fork for nobody", pid > 0 && waitpid(pid, &st, 0) == pid);
	if (pid > 0 && (!WIFEXITED(st) || WEXITSTATUS(st) != 0)) {
		printf("FAIL nobody's ioctls: status %#x\n", st);
		failures++;
	}
}

static void exclusive(const char *disk, const char *mounted)
{
	int a = open(disk, O_RDONLY | O_EXCL), b;

	check("open O_EXCL", a >= 0);
	check_err("second O_EXCL", open(disk, O_RDONLY | O_EXCL), EBUSY);
	b = open(disk, O_RDONLY);
	check("plain open while held", b >= 0);
	mkdir("/tmp/excl", 0755);
	check_err("mount while held", mount(disk, "/tmp/excl", "ext2", 0, NULL), EBUSY);
	close(b);
	close(a);
	a = open(disk, O_RDONLY | O_EXCL);
	check("O_EXCL after close", a >= 0);
	close(a);
	check_err("O_EXCL of the mounted disk", open(mounted, O_RDONLY | O_EXCL), EBUSY);
	check("F_GETFL has no O_EXCL", (a = open(disk, O_RDONLY | O_EXCL)) >= 0 &&
	      !(fcntl(a, F_GETFL) & O_EXCL));
	close(a);
}

static void nodes(const char *disk, const char *missing)
{
	struct stat st;
	char node[64];
	unsigned char a[4096], b[4096];
	int fd;

	check("stat disk", stat(disk, &st) == 0 && S_ISBLK(st.st_mode) && st.st_size == 0);
	check_err("mknod of a missing disk", mknod(missing, S_IFBLK | 0600, makedev(98, 240)) == 0 ?
		  open(missing, O_RDONLY) : 0, ENXIO);
	unlink(missing);
	/* A node made with mknod elsewhere reaches the same disk. */
	snprintf(node, sizeof(node), "%s-node", missing);
	unlink(node);
	check("mknod on the root", mknod(node, S_IFBLK | 0600, st.st_rdev) == 0);
	fd = open(node, O_RDONLY);
	check("open the mknod node", fd >= 0);
	fill(a, 4096, 1);
	check("read through the mknod node", pread(fd, b, 10, 1) == 10 && !memcmp(a, b, 10));
	close(fd);
	unlink(node);
}

static int pattern(unsigned seed, size_t n)
{
	unsigned char b[4096];

	for (size_t done = 0; done < n; done += sizeof(b)) {
		size_t k = n - done < sizeof(b) ? n - done : sizeof(b);

		for (size_t i = 0; i < k; i++)	/* xorshift: no two seeds alike */
			b[i] = (unsigned char)((seed = seed ^ (seed << 13), seed ^= seed >> 17,
						seed ^= seed << 5) >> 24);
		if (fwrite(b, 1, k, stdout) != k)
			return 1;
	}
	return 0;
}

static int find(const char *dev, const char *file)
{
	static unsigned char want[4096], buf[1 << 20];
	int fd = open(file, O_RDONLY), dfd = open(dev, O_RDONLY);
	off_t at = 0;
	ssize_t n;
	int found = 0;

	if (fd < 0 || dfd < 0 || read(fd, want, sizeof(want)) != sizeof(want)) {
		perror("find");
		return 1;
	}
	while ((n = pread(dfd, buf, sizeof(buf), at)) > 0) {
		for (ssize_t i = 0; i + 4096 <= n; i += 512) {
			if (!memcmp(buf + i, want, 4096)) {
				printf("%lld\n", (long long)(at + i));
				found++;
			}
		}
		at += n - 4096 + 512;	/* a match across the seam */
		if (n < 4096 + 512)
			break;
	}
	return found ? 0 : 1;
}

int main(int argc, char **argv)
{
	uint64_t size;
	int fd;

	if (argc == 4 && !strcmp(argv[1], "pattern"))
		return pattern((unsigned)strtoul(argv[2], NULL, 0) | 1, strtoul(argv[3], NULL, 0));
	if (argc == 4 && !strcmp(argv[1], "find"))
		return find(argv[2], argv[3]);

	if (argc != 6) {
		fprintf(stderr, "usage: blkdev DISK SIZE RODISK MOUNTED MISSING\n");
		return 2;
	}
	size = strtoull(argv[2], NULL, 0);
	fd = open(argv[1], O_RDWR);
	check("open", fd >= 0);
	if (fd < 0)
		return 1;
	figures(fd, size);
	round_trips(fd, size);
	nodes(argv[1], argv[5]);
	direct(argv[1]);
	discard(fd, size);
	read_only(fd, argv[3]);
	unprivileged(fd);
	exclusive(argv[1], argv[4]);
	check("fsync at the end", fsync(fd) == 0);
	close(fd);
	printf(failures ? "%d failures\n" : "ok\n", failures);
	return failures ? 1 : 0;
}
