/*
 * memfd_seals.c - sealing against mappings and descriptors (memfd_create(2),
 * fcntl(2) "File Sealing"): F_SEAL_WRITE is refused (EBUSY) while a
 * shared writable mapping exists and taken once it is gone; after it a
 * read-only shared mapping cannot be made writable (mprotect: EACCES)
 * while a private one can; F_SEAL_FUTURE_WRITE stops write(2) and new
 * shared writable mappings but leaves an existing one writable; seals
 * are the file's (seen through a second open of /proc/self/fd/N), and a
 * read-only descriptor cannot add them (EPERM); ftruncate to the same
 * size and fallocate past the end under SHRINK/GROW.
 */
#include "t.h"
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/syscall.h>

#ifndef F_SEAL_FUTURE_WRITE
#define F_SEAL_FUTURE_WRITE 0x0010
#endif

static int new_memfd(const char *name)
{
	int fd = (int)syscall(SYS_memfd_create, name, MFD_ALLOW_SEALING);

	if (fd >= 0 && ftruncate(fd, 8192) < 0)
		return -1;
	return fd;
}

static void test_write_seal(void)
{
	int fd = new_memfd("w");
	char *p, *q;

	p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	check(p != MAP_FAILED, "a shared writable mapping", "errno %d", errno);
	p[0] = 'a';
	CHECK_ERR(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE), EBUSY, "F_SEAL_WRITE while it exists: EBUSY");
	munmap(p, 8192);
	check(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE) == 0, "taken once it is unmapped", "errno %d", errno);
	p = mmap(NULL, 8192, PROT_READ, MAP_SHARED, fd, 0);
	check(p != MAP_FAILED && p[0] == 'a', "a read-only shared mapping sees the data", "errno %d", errno);
	CHECK_ERR(mprotect(p, 8192, PROT_READ | PROT_WRITE), EACCES, "mprotect it writable: EACCES");
	q = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	check(q != MAP_FAILED, "a private writable mapping is allowed", "errno %d", errno);
	if (q != MAP_FAILED) {
		q[0] = 'b';
		check(p[0] == 'a', "its writes stay private", "%c", p[0]);
		munmap(q, 8192);
	}
	munmap(p, 8192);
	close(fd);
}

static void test_future_write(void)
{
	int fd = new_memfd("fw");
	char *p, *q;

	p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	check(fcntl(fd, F_ADD_SEALS, F_SEAL_FUTURE_WRITE) == 0, "F_SEAL_FUTURE_WRITE with a mapping",
	      "errno %d", errno);
	check(fcntl(fd, F_GET_SEALS) == F_SEAL_FUTURE_WRITE, "F_GET_SEALS shows it", "%#x",
	      fcntl(fd, F_GET_SEALS));
	CHECK_ERR(pwrite(fd, "x", 1, 0), EPERM, "write(2) then: EPERM");
	q = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	check(q == MAP_FAILED && errno == EPERM, "a new shared writable mapping: EPERM", "errno %d", errno);
	p[1] = 'k';
	check(p[1] == 'k', "the existing mapping stays writable", "%c", p[1]);
	munmap(p, 8192);
	close(fd);
}

static void test_descriptors(void)
{
	int fd = new_memfd("d"), ro, rw;
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	ro = open(path, O_RDONLY);
	rw = open(path, O_RDWR);
	check(ro >= 0 && rw >= 0, "reopened through /proc/self/fd", "errno %d", errno);
	CHECK_ERR(fcntl(ro, F_ADD_SEALS, F_SEAL_GROW), EPERM, "a read-only descriptor cannot seal: EPERM");
	check(fcntl(rw, F_ADD_SEALS, F_SEAL_GROW | F_SEAL_SHRINK) == 0, "a writable second open can",
	      "errno %d", errno);
	check(fcntl(fd, F_GET_SEALS) == (F_SEAL_GROW | F_SEAL_SHRINK), "the seals are the file's",
	      "%#x", fcntl(fd, F_GET_SEALS));
	check(fcntl(ro, F_GET_SEALS) == (F_SEAL_GROW | F_SEAL_SHRINK), "F_GET_SEALS through the read-only one",
	      "%#x", fcntl(ro, F_GET_SEALS));
	check(ftruncate(fd, 8192) == 0, "ftruncate to the same size is fine", "errno %d", errno);
	CHECK_ERR(fallocate(fd, 0, 8192, 4096), EPERM, "fallocate past the end under F_SEAL_GROW: EPERM");
	check(fallocate(fd, 0, 0, 4096) == 0, "fallocate inside is fine", "errno %d", errno);
	CHECK_ERR(fcntl(fd, F_ADD_SEALS, 0x1000), EINVAL, "an unknown seal bit: EINVAL");
	close(ro);
	close(rw);
	close(fd);
}

int main(void)
{
	t_start();
	if (getpid() == 1)
		mount("proc", "/proc", "proc", 0, NULL);
	test_write_seal();
	test_future_write();
	test_descriptors();
	return t_done();
}
