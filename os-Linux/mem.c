/*
 * mem.c - host memory: the physmem file, kernel stacks, FPU state size,
 * random bytes, and whether the host's TSC is a clock.
 */
#include <errno.h>
#include <cpuid.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sched.h>
#include <unistd.h>
#include "shared/os.h"

/* Creates the physical memory file of size bytes and maps it; returns its fd. */
int os_physmem_create(uint64_t size, void **base)
{
	int fd = memfd_create("linux-physmem", MFD_CLOEXEC);
	void *p;

	if (fd < 0)
		return -errno;
	if (ftruncate(fd, size) < 0)
		goto fail;
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_NORESERVE, fd, 0);
	if (p == MAP_FAILED)
		goto fail;
	*base = p;
	return fd;
fail:
	{
		int e = -errno;

		close(fd);
		return e;
	}
}

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

/* Makes the host back [addr, addr+len) of physmem now, one call instead of a
 * host page fault a page; best effort (a failure leaves the faults). */
void os_physmem_populate(void *addr, uint64_t len)
{
	madvise(addr, len, MADV_POPULATE_WRITE);
}

void *os_alloc_stack(uint64_t size)
{
	char *p = mmap(NULL, size + 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	mprotect(p, 4096, PROT_NONE);		/* the guard page */
	return p + 4096;
}

void os_free_stack(void *base, uint64_t size)
{
	munmap((char *)base - 4096, size + 4096);
}

void *os_vm_reserve(uint64_t size)
{
	void *p = mmap(NULL, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

int os_vm_map(void *addr, int physmem_fd, uint64_t off, uint64_t len)
{
	void *p = mmap(addr, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, physmem_fd, (off_t)off);

	return p == MAP_FAILED ? -errno : 0;
}

void os_vm_unmap(void *addr, uint64_t len)
{
	mmap(addr, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);
}

/* An upper bound of the XSAVE area ptrace hands out: CPUID leaf 0xD,
 * asked once (in a virtual machine CPUID traps to the hypervisor: it
 * was 2.5% of a fork+exit+wait's host CPU time, asked at every exit). */
int os_xstate_size(void)
{
	static int size;
	unsigned a, b, c, d;

	if (size)
		return size;
	if (!__get_cpuid_count(0xd, 0, &a, &b, &c, &d) || c < 512 + 64)
		size = 512 + 64;
	else
		size = (int)c;
	return size;
}

void os_getrandom(void *buf, uint64_t len)
{
	uint8_t *p = buf;

	while (len > 0) {
		ssize_t n = getrandom(p, len, 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			os_print_err("getrandom failed: %d\n", errno);
			os_abort();
		}
		p += n;
		len -= n;
	}
}

uint64_t os_cpu_hwcap(void)
{
	unsigned a, b, c, d;

	if (!__get_cpuid(1, &a, &b, &c, &d))
		return 0;
	return d;
}

/*
 * How many processes the host lets our user have (RLIMIT_NPROC, soft),
 * or -1 when it does not limit us (unlimited, or root, whom the host's
 * check exempts).
 */
int64_t os_host_nproc_limit(void)
{
	struct rlimit rl;

	if (getuid() == 0 || getrlimit(RLIMIT_NPROC, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY)
		return -1;
	return (int64_t)rl.rlim_cur;
}

/*
 * Whether the host's own clocks run on the TSC (its current clocksource):
 * then the TSC is synchronised across CPUs and constant-rate, and the
 * guest's vDSO may compute time from it.
 */
int os_tsc_is_clocksource(void)
{
	char buf[16] = "";
	FILE *f = fopen("/sys/devices/system/clocksource/clocksource0/current_clocksource", "re");

	if (f == NULL)
		return 0;
	if (fgets(buf, sizeof(buf), f) == NULL)
		buf[0] = '\0';
	fclose(f);
	return strcmp(buf, "tsc\n") == 0;
}
