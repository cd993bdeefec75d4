/*
 * ranges.c - guest-chosen lengths, offsets and addresses that overflow,
 * wrap or run past the address space (issues 5 and 6): every one must
 * fail (or succeed) exactly as on Linux, without writing a byte it should
 * not, leaking memory or leaving a mapping whose end is below its start.
 * Also the fs base a guest loads itself with wrfsbase.
 */
#include "t.h"
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>

#define SYS(...)	syscall(__VA_ARGS__)
#define BUF		65536

static char *buf;

static int all_bytes(const char *p, size_t n, char c)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != c)
			return 0;
	return 1;
}

/* Every line of /proc/self/maps has start < end. */
static int maps_sane(void)
{
	char line[512];
	FILE *f = fopen("/proc/self/maps", "r");
	int ok = f != NULL;

	while (f && fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;

		if (sscanf(line, "%lx-%lx", &lo, &hi) != 2 || lo >= hi)
			ok = 0;
	}
	if (f)
		fclose(f);
	return ok;
}

static unsigned long stack_end(void)
{
	char line[512];
	unsigned long lo = 0, hi = 0;
	FILE *f = fopen("/proc/self/maps", "r");

	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, "[stack]"))
			sscanf(line, "%lx-%lx", &lo, &hi);
	if (f)
		fclose(f);
	return hi;
}

static void test_mremap(void)
{
	char *p = mmap(NULL, 2 * BUF, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned long se = stack_end(), old;

	munmap(p + BUF, BUF);	/* a hole after p */

	CHECK_ERR(SYS(SYS_mremap, p, 4096, -4096L, MREMAP_MAYMOVE), EINVAL, "mremap-newlen-minus-4096");
	CHECK_ERR(SYS(SYS_mremap, p, 4096, -4096L, 0), EINVAL, "mremap-newlen-minus-4096-inplace");
	CHECK_ERR(SYS(SYS_mremap, p, 4096, -1L, MREMAP_MAYMOVE), EINVAL, "mremap-newlen-minus-1");
	CHECK_ERR(SYS(SYS_mremap, p, 4096, 1L << 47, MREMAP_MAYMOVE), EINVAL, "mremap-newlen-2^47");
	CHECK_ERR(SYS(SYS_mremap, p, -4096L, 8192, MREMAP_MAYMOVE), EINVAL, "mremap-oldlen-minus-4096");
	CHECK_ERR(SYS(SYS_mremap, p, 4096, 0, MREMAP_MAYMOVE), EINVAL, "mremap-newlen-0");
	CHECK_ERR(SYS(SYS_mremap, p + 1, 4096, 8192, MREMAP_MAYMOVE), EINVAL, "mremap-unaligned");
	CHECK_ERR(SYS(SYS_mremap, p, 4096, 8192, 8), EINVAL, "mremap-bad-flag");
	CHECK_ERR(SYS(SYS_mremap, p, 2 * BUF, 4 * BUF, MREMAP_MAYMOVE), EFAULT, "mremap-past-vma");
	check(se != 0, "stack-found", "no [stack] line in /proc/self/maps");
	/* Issue 6: a new length that wraps the stack's end past 2^64. */
	old = se - 4096;
	for (int i = 0; i < 32 && se; i++)
		errno = 0, SYS(SYS_mremap, old, 4096, 0UL - old + 0x10000, 0);
	CHECK_ERR(SYS(SYS_mremap, old, 4096, 0UL - old + 0x10000, 0), EINVAL, "mremap-stack-wrap");
	check(maps_sane(), "maps-start-below-end", "a mapping in /proc/self/maps ends below its start");
	check(stack_end() == se, "stack-unchanged", "[stack] end moved");
	munmap(p, BUF);
}

static void test_rw(void)
{
	char path[256];
	int fd, i;

	t_path(path, sizeof(path), "ranges.dat");
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	check(fd >= 0, "open", "%s", strerror(errno));
	for (i = 0; i < 40000; i++)
		if (write(fd, "0123456789", 10) != 10)
			break;
	lseek(fd, 0, SEEK_SET);
	memset(buf, 'x', BUF);
	CHECK_ERR(SYS(SYS_read, fd, buf, 1L << 62), EFAULT, "read-2^62");
	check(all_bytes(buf, BUF, 'x'), "read-2^62-wrote-nothing", "the buffer changed");
	check(lseek(fd, 0, SEEK_CUR) == 0, "read-2^62-pos", "position moved");
	CHECK_ERR(SYS(SYS_read, fd, buf, -1L), EFAULT, "read-minus-1");
	CHECK_ERR(SYS(SYS_write, fd, buf, -1L), EFAULT, "write-minus-1");
	CHECK_ERR(SYS(SYS_read, fd, buf, 1L << 46), EFAULT, "read-2^46");
	CHECK_ERR(SYS(SYS_read, fd, NULL, 1L << 47), EFAULT, "read-null-2^47");
	CHECK_ERR(SYS(SYS_read, 99, buf, -1L), EBADF, "read-badfd-minus-1");
	CHECK_ERR(SYS(SYS_pread64, fd, buf, 10, -1L), EINVAL, "pread-negative");
	check(all_bytes(buf, BUF, 'x'), "nothing-written", "the buffer changed");
	/* A range that runs into a hole below TASK_SIZE: the mapped prefix. */
	munmap(buf + BUF - 4096, 4096);
	{
		long r = SYS(SYS_read, fd, buf + BUF - 4096 - 100, 1L << 20);

		check(r == 100, "read-into-hole", "read %ld, want 100", r);
		check(lseek(fd, 0, SEEK_CUR) == 100, "read-into-hole-pos", "position %ld",
		      (long)lseek(fd, 0, SEEK_CUR));
		CHECK_ERR(SYS(SYS_read, fd, buf + BUF - 4096, 1L << 20), EFAULT, "read-at-hole");
		r = SYS(SYS_write, fd, buf + BUF - 4096 - 8, 1L << 20);
		check(r == 8, "write-from-hole", "wrote %ld, want 8", r);
	}
	/* Positions. */
	CHECK_ERR(SYS(SYS_pread64, fd, buf, 1, 0x7fffffffffffffffL), EINVAL, "pread-2^63-1");
	check(SYS(SYS_pread64, fd, buf, 0, 0x7fffffffffffffffL) == 0, "pread-2^63-1-count-0",
	      "%s", strerror(errno));
	check(SYS(SYS_pread64, fd, buf, 1, 1L << 62) == 0, "pread-2^62-eof", "%s", strerror(errno));
	CHECK_ERR(SYS(SYS_pwrite64, fd, buf, 1, 1L << 62), EFBIG, "pwrite-2^62");
	CHECK_ERR(SYS(SYS_pwrite64, fd, buf, 1, 0x7fffffffffffffffL), EINVAL, "pwrite-2^63-1");
	CHECK_ERR(lseek(fd, 0x7fffffffffffffffL, SEEK_SET), EINVAL, "lseek-2^63-1");
	CHECK_ERR(lseek(fd, 0x7fffffffffffffffL, SEEK_END), EINVAL, "lseek-end-overflow");
	CHECK_ERR(lseek(fd, -1, SEEK_SET), EINVAL, "lseek-negative");
	check(lseek(fd, 1L << 30, SEEK_SET) == 1L << 30, "lseek-1G", "%s", strerror(errno));
	/* mmap offsets. */
	CHECK_ERR((long)mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, -4096L), EOVERFLOW, "mmap-off-minus-4096");
	CHECK_ERR((long)mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, -4096L), EOVERFLOW, "mmap-shared-off-minus-4096");
	CHECK_ERR((long)mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0x7ffffffffffff000L), EOVERFLOW,
		  "mmap-off-last-page");
	{
		void *m = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0x7fffffffffffe000L);

		check(m != MAP_FAILED, "mmap-off-below-last", "%s", strerror(errno));
		if (m != MAP_FAILED)
			munmap(m, 4096);
	}
	CHECK_ERR((long)mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 1), EINVAL, "mmap-off-unaligned");
	close(fd);
	unlink(path);
}

static void test_vm(void)
{
	char *p = mmap(NULL, BUF, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *brk0 = sbrk(0);

	CHECK_ERR(munmap(p, -1L), EINVAL, "munmap-minus-1");
	CHECK_ERR(munmap(p, 0), EINVAL, "munmap-0");
	CHECK_ERR(munmap(p, 1L << 47), EINVAL, "munmap-2^47");
	CHECK_ERR(munmap(p, -4096L), EINVAL, "munmap-minus-4096");
	p[0] = 1;
	check(p[0] == 1, "munmap-left-it", "the mapping is gone");
	CHECK_ERR((long)mmap(NULL, -4096L, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), ENOMEM, "mmap-len-minus-4096");
	CHECK_ERR((long)mmap(NULL, -1L, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), ENOMEM, "mmap-len-minus-1");
	CHECK_ERR((long)mmap(NULL, 1L << 47, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), ENOMEM, "mmap-len-2^47");
	CHECK_ERR((long)mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), EINVAL, "mmap-len-0");
	CHECK_ERR(mprotect(p, -4096L, PROT_READ), ENOMEM, "mprotect-minus-4096");
	CHECK_ERR(mprotect(p, -1L, PROT_READ), ENOMEM, "mprotect-minus-1");
	CHECK_ERR(madvise(p, -4096L, MADV_DONTNEED), EINVAL, "madvise-minus-4096");
	CHECK_ERR(madvise(p, -1L, MADV_DONTNEED), EINVAL, "madvise-minus-1");
	check(p[0] == 1, "madvise-left-it", "the page was dropped");
	check(msync(p, -1L, MS_SYNC) == 0, "msync-minus-1-empty", "%s", strerror(errno));
	CHECK_ERR(SYS(SYS_mincore, p, -1L, buf), ENOMEM, "mincore-minus-1");
	check(SYS(SYS_brk, -4096L) == (long)brk0, "brk-minus-4096", "brk moved");
	check(maps_sane(), "maps-sane", "a mapping ends below its start");
	munmap(p, BUF);
}

static void test_iov(void)
{
	int fd = open("/dev/null", O_RDWR);
	struct iovec neg[2] = { { buf, 10 }, { buf, (size_t)-1 } };
	struct iovec huge[2] = { { buf, 0x7fffffffffffffffUL }, { buf, 1 } };
	struct iovec two[2];
	char *big;

	CHECK_ERR(SYS(SYS_readv, fd, neg, 2), EINVAL, "readv-negative-len");
	CHECK_ERR(SYS(SYS_writev, fd, neg, 2), EINVAL, "writev-negative-len");
	CHECK_ERR(SYS(SYS_readv, fd, huge, 2), EFAULT, "readv-huge-len");
	CHECK_ERR(SYS(SYS_readv, fd, neg, 1025), EINVAL, "readv-1025-segments");
	CHECK_ERR(SYS(SYS_writev, fd, neg, 1025), EINVAL, "writev-1025-segments");
	CHECK_ERR(SYS(SYS_readv, fd, neg, -1L), EINVAL, "readv-minus-1-segments");
	check(SYS(SYS_readv, fd, neg, 0) == 0, "readv-0-segments", "%s", strerror(errno));
	CHECK_ERR(SYS(SYS_readv, 99, neg, 1), EBADF, "readv-badfd");
	CHECK_ERR(SYS(SYS_readv, fd, (void *)8, 1), EFAULT, "readv-bad-array");
	CHECK_ERR(SYS(SYS_preadv, fd, neg, 1, -1L, 0), EINVAL, "preadv-negative");
	/* The sum is cut to MAX_RW_COUNT (2 GiB - 4 KiB), as Linux. */
	big = mmap(NULL, 1UL << 31, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	check(big != MAP_FAILED, "map-2G", "%s", strerror(errno));
	if (big != MAP_FAILED) {
		long r;

		two[0] = (struct iovec){ big, 0x7ffff000 };
		two[1] = (struct iovec){ big, 0x7ffff000 };
		r = SYS(SYS_writev, fd, two, 2);
		check(r == 0x7ffff000, "writev-sum-clamped", "wrote %ld", r);
		r = SYS(SYS_write, fd, big, 1UL << 31);
		check(r == 0x7ffff000, "write-clamped", "wrote %ld", r);
		munmap(big, 1UL << 31);
	}
	close(fd);
}

/* --- fs base loaded by the guest itself ---------------------------------- */

static unsigned long rdfsbase(void)
{
	unsigned long v;

	__asm__ volatile("rdfsbase %0" : "=r"(v));
	return v;
}

static void wrfsbase(unsigned long v)
{
	__asm__ volatile("wrfsbase %0" :: "r"(v) : "memory");
}

static long raw_getpid(void)
{
	long r;

	__asm__ volatile("syscall" : "=a"(r) : "a"((long)SYS_getpid) : "rcx", "r11", "memory");
	return r;
}

#define KERNEL_HALF	0xffff888000000000UL
#define NONCANONICAL	0x8000000000000000UL
static unsigned long saved_fs;
static sigjmp_buf fs_jb;

static void fs_segv(int sig)
{
	wrfsbase(saved_fs);	/* first: glibc needs its TLS back */
	siglongjmp(fs_jb, 1);
}

/* Runs fn in a child; returns its wait status. */
static int in_child(void (*fn)(void))
{
	int st = -1;
	pid_t pid = fork();

	if (pid == 0) {
		fn();
		_exit(0);
	}
	waitpid(pid, &st, 0);
	return st;
}

static void fs_syscall(void)
{
	unsigned long old = rdfsbase();
	long a, b;

	wrfsbase(KERNEL_HALF);
	a = raw_getpid();
	b = raw_getpid();
	wrfsbase(old);
	_exit(a > 0 && a == b ? 0 : 3);
}

static void fs_use(void)
{
	wrfsbase(KERNEL_HALF);
	__asm__ volatile("movq %%fs:0, %%rax" ::: "rax");
}

static void fs_noncanonical(void)
{
	wrfsbase(NONCANONICAL);
}

static void fs_handled(void)
{
	saved_fs = rdfsbase();
	signal(SIGSEGV, fs_segv);
	if (sigsetjmp(fs_jb, 1) == 0)
		fs_use();
	else
		_exit(7);
	_exit(0);
}

static void test_fsbase(void)
{
	int st;

	st = in_child(fs_syscall);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "wrfsbase-kernel-half-syscalls",
	      "status %#x", st);
	st = in_child(fs_use);
	check(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, "wrfsbase-kernel-half-use-segv",
	      "status %#x", st);
	st = in_child(fs_noncanonical);
	check(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, "wrfsbase-noncanonical-segv",
	      "status %#x", st);
	st = in_child(fs_handled);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 7, "wrfsbase-segv-handler", "status %#x", st);
	CHECK_ERR(SYS(SYS_arch_prctl, 0x1002 /* ARCH_SET_FS */, KERNEL_HALF), EPERM, "arch_prctl-kernel-half");
}

int main(void)
{
	t_start();
	/* As init inside ./linux nothing is mounted yet. */
	if (access("/proc/self/maps", R_OK) != 0)
		mount("proc", "/proc", "proc", 0, NULL);
	buf = mmap(NULL, BUF, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	test_mremap();
	test_rw();
	buf = mmap(NULL, BUF, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	test_vm();
	test_iov();
	test_fsbase();
	return t_done();
}
