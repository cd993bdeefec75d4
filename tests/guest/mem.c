/*
 * mem.c - memory: brk, anonymous mmap/munmap, mprotect faults, private
 * and shared file mappings, copy-on-write after fork.
 */
#include "t.h"
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/wait.h>

static sigjmp_buf jb;
static volatile int faults, last_code;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	faults++;
	last_code = si->si_code;
	siglongjmp(jb, 1);
}

/* 1 if writing (or reading) *p faults. */
static int faults_on(volatile char *p, int write)
{
	int before = faults;

	if (sigsetjmp(jb, 1) == 0) {
		if (write)
			*p = 1;
		else
			(void)*p;
	}
	return faults != before;
}

static void test_brk(void)
{
	char *a = sbrk(0);
	char *b = sbrk(40960);

	check(a == b, "sbrk returns old break", "differs");
	check(sbrk(0) == a + 40960, "break moved", "no");
	memset(b, 0x5a, 40960);
	int good = 1;
	for (int i = 0; i < 40960; i++)
		good &= b[i] == 0x5a;
	check(good, "brk memory usable", "bad content");
	sbrk(-40960);
	check(sbrk(0) == a, "brk shrinks", "no");
}

static void test_anon(void)
{
	size_t len = 1 << 20;
	unsigned char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	check(p != MAP_FAILED, "mmap anon 1M", "failed");
	int zero = 1;
	for (size_t i = 0; i < len; i += 512)
		zero &= p[i] == 0;
	check(zero, "fresh anon memory is zero", "not zero");
	for (size_t i = 0; i < len; i++)
		p[i] = (unsigned char)(i * 7);
	int good = 1;
	for (size_t i = 0; i < len; i++)
		good &= p[i] == (unsigned char)(i * 7);
	check(good, "anon write/read back", "mismatch");
	CHECK_OK(munmap(p, len), "munmap");
	check(faults_on((char *)p, 0), "read after munmap faults", "no fault");
	check(last_code == SEGV_MAPERR, "SEGV_MAPERR", "code %d", last_code);
	p = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	p[4096] = 9;
	CHECK_OK(mprotect(p + 4096, 4096, PROT_READ), "mprotect read-only");
	check(!faults_on((char *)p + 4096, 0) && p[4096] == 9, "read-only still readable", "faulted");
	check(faults_on((char *)p + 4096, 1), "write to read-only faults", "no fault");
	check(last_code == SEGV_ACCERR, "SEGV_ACCERR", "code %d", last_code);
	check(!faults_on((char *)p, 1) && !faults_on((char *)p + 8192, 1), "neighbours writable", "faulted");
	CHECK_OK(mprotect(p + 4096, 4096, PROT_NONE), "mprotect none");
	check(faults_on((char *)p + 4096, 0), "PROT_NONE read faults", "no fault");
	munmap(p, 3 * 4096);
	check(mmap((void *)4096, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0) != MAP_FAILED ||
	      errno == EPERM || errno == EACCES, "mmap low address handled", "errno %d", errno);
	CHECK_ERR((long)mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), EINVAL, "mmap length 0");
	CHECK_ERR(munmap((void *)4097, 4096), EINVAL, "munmap unaligned");
}

static void test_file_map(void)
{
	char path[512], buf[16];

	snprintf(path, sizeof(path), "%s/guest-mem.%d", t_tmpdir(), (int)getpid());
	int fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0644);
	char content[8192];
	for (int i = 0; i < 8192; i++)
		content[i] = 'a' + i % 26;
	write(fd, content, sizeof(content));
	char *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	check(m != MAP_FAILED, "mmap file MAP_PRIVATE", "failed");
	check(!memcmp(m, content, 8192), "private mapping shows file", "differs");
	m[0] = 'X';
	pread(fd, buf, 1, 0);
	check(buf[0] == 'a', "private write stays private", "file changed");
	munmap(m, 8192);
	m = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 4096);
	check(m != MAP_FAILED && m[0] == content[4096], "mapping at offset 4096", "wrong");
	munmap(m, 4096);
	m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	check(m != MAP_FAILED, "mmap file MAP_SHARED", "failed");
	m[1] = 'Y';
	msync(m, 8192, MS_SYNC);
	pread(fd, buf, 2, 0);
	check(buf[1] == 'Y', "shared write reaches file", "got %c", buf[1]);
	pwrite(fd, "Z", 1, 2);
	check(m[2] == 'Z', "file write shows in shared map", "got %c", m[2]);
	munmap(m, 8192);
	close(fd);
	unlink(path);
}

static void test_cow(void)
{
	static char data[3 * 4096];
	char *heap = malloc(100000);
	int st;

	memset(data, 'p', sizeof(data));
	memset(heap, 'h', 100000);
	pid_t pid = fork();
	if (pid == 0) {
		int ok = data[5000] == 'p' && heap[99999] == 'h';
		memset(data, 'c', sizeof(data));
		memset(heap, 'c', 100000);
		_exit(ok && data[5000] == 'c' ? 0 : 1);
	}
	waitpid(pid, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child sees parent data, writes its copy", "status %#x", st);
	check(data[0] == 'p' && data[sizeof(data) - 1] == 'p' && heap[50000] == 'h',
	      "parent unchanged after child writes", "changed");
	data[0] = 'q';
	check(data[0] == 'q', "parent can write after fork", "no");
	free(heap);
}

/* /dev/zero maps as zero-filled memory; MAP_SHARED of it is shared with a fork child. */
static void test_dev_zero(void)
{
	int fd = open("/dev/zero", O_RDWR);
	volatile char *p;
	pid_t pid;
	int st = -1;

	if (fd < 0) {
		check(0, "open /dev/zero", "errno %d", errno);
		return;
	}
	p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	check(p != MAP_FAILED && p[0] == 0 && p[8191] == 0, "mmap /dev/zero private", "failed");
	if (p != MAP_FAILED)
		munmap((void *)p, 8192);
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	check(p != MAP_FAILED, "mmap /dev/zero shared", "failed");
	if (p == MAP_FAILED)
		return;
	pid = fork();
	if (pid == 0) {
		p[100] = 42;
		_exit(0);
	}
	waitpid(pid, &st, 0);
	check(p[100] == 42, "shared /dev/zero page seen by parent", "got %d", p[100]);
	munmap((void *)p, 4096);
	close(fd);
}

/* madvise: DONTNEED gives private anonymous pages back as zeros; holes are ENOMEM. */
static void test_madvise(void)
{
	char *p = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		check(0, "mmap for madvise", "errno %d", errno);
		return;
	}
	memset(p, 7, 3 * 4096);
	CHECK_OK(madvise(p, 4096, MADV_DONTNEED), "madvise DONTNEED");
	check(p[0] == 0 && p[4095] == 0 && p[4096] == 7, "DONTNEED page reads back zero",
	      "%d %d %d", p[0], p[4095], p[4096]);
	munmap(p + 4096, 4096);
	CHECK_ERR(madvise(p, 3 * 4096, MADV_NORMAL), ENOMEM, "madvise over a hole");
	CHECK_ERR(madvise(p, 4096, 12345), EINVAL, "madvise unknown advice");
	munmap(p, 3 * 4096);
}

int main(void)
{
	struct sigaction sa = { 0 };

	t_start();
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigaction(SIGSEGV, &sa, NULL);
	test_brk();
	test_anon();
	test_file_map();
	test_cow();
	test_dev_zero();
	test_madvise();
	return t_done();
}
