/*
 * mem.c - host memory: the physmem file, kernel stacks, FPU state size,
 * and random bytes.
 */
#include <errno.h>
#include <cpuid.h>
#include <sys/mman.h>
#include <sys/random.h>
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

/* An upper bound of the XSAVE area ptrace hands out: CPUID leaf 0xD. */
int os_xstate_size(void)
{
	unsigned a, b, c, d;

	if (!__get_cpuid_count(0xd, 0, &a, &b, &c, &d) || c < 512 + 64)
		return 512 + 64;
	return c;
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

