/*
 * memfd.c - memfd_create(2) and sealing: flags and name rules, a memfd
 * as a growable file shared through mmap and across fork, F_GET_SEALS
 * and F_ADD_SEALS (F_SEAL_SEAL by default without MFD_ALLOW_SEALING),
 * and what F_SEAL_WRITE, F_SEAL_GROW and F_SEAL_SHRINK refuse.
 */
#include "t.h"
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

int main(void)
{
	char name[300], buf[16];
	int fd, f2;
	struct stat st;

	t_start();
	CHECK_ERR(memfd_create("x", 0x100), EINVAL, "unknown flag EINVAL");
	memset(name, 'n', sizeof(name));
	name[250] = 0;
	CHECK_ERR(memfd_create(name, 0), EINVAL, "a 250-byte name EINVAL");
	name[249] = 0;
	fd = memfd_create(name, 0);
	CHECK_OK(fd, "a 249-byte name");
	close(fd);
	CHECK_ERR(syscall(SYS_memfd_create, (void *)8, 0), EFAULT, "bad name pointer EFAULT");
	fd = memfd_create("test", MFD_CLOEXEC);
	CHECK_OK(fd, "memfd_create MFD_CLOEXEC");
	check(fcntl(fd, F_GETFD) == FD_CLOEXEC, "close-on-exec", "no");
	check((fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDWR, "O_RDWR", "%#x", fcntl(fd, F_GETFL));
	fstat(fd, &st);
	check(S_ISREG(st.st_mode) && st.st_size == 0 && st.st_nlink == 0, "a regular, empty, unlinked file",
	      "mode %o nlink %lu", st.st_mode, (unsigned long)st.st_nlink);
	check(fcntl(fd, F_GET_SEALS) == F_SEAL_SEAL, "without MFD_ALLOW_SEALING: F_SEAL_SEAL", "%d",
	      fcntl(fd, F_GET_SEALS));
	CHECK_ERR(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE), EPERM, "no sealing allowed: EPERM");
	check(write(fd, "hello", 5) == 5, "write", "no");
	CHECK_OK(ftruncate(fd, 8192), "grow with ftruncate");
	char *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	check(m != MAP_FAILED && memcmp(m, "hello", 5) == 0, "mmap sees the written data", "no");
	pid_t c = fork();
	if (c == 0) {
		memcpy(m + 4096, "child", 5);
		_exit(0);
	}
	waitpid(c, NULL, 0);
	pread(fd, buf, 5, 4096);
	check(memcmp(buf, "child", 5) == 0, "a child's store through the shared mapping", "no");
	munmap(m, 8192);
	close(fd);

	fd = memfd_create("sealed", MFD_ALLOW_SEALING);
	check(fcntl(fd, F_GET_SEALS) == 0, "MFD_ALLOW_SEALING: no seals", "%d", fcntl(fd, F_GET_SEALS));
	write(fd, "0123456789", 10);
	CHECK_ERR(fcntl(fd, F_ADD_SEALS, 0x1000), EINVAL, "unknown seal EINVAL");
	CHECK_OK(fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK), "F_SEAL_SHRINK");
	CHECK_ERR(ftruncate(fd, 5), EPERM, "shrink refused");
	CHECK_OK(ftruncate(fd, 20), "grow still allowed");
	CHECK_OK(fcntl(fd, F_ADD_SEALS, F_SEAL_GROW), "F_SEAL_GROW");
	CHECK_ERR(ftruncate(fd, 30), EPERM, "grow refused");
	CHECK_ERR(pwrite(fd, "x", 1, 20), EPERM, "a write past the end refused");
	check(pwrite(fd, "x", 1, 19) == 1, "a write inside is fine", "no");
	CHECK_OK(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE), "F_SEAL_WRITE");
	CHECK_ERR(pwrite(fd, "y", 1, 0), EPERM, "writes refused");
	check(mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) == MAP_FAILED && errno == EPERM,
	      "a shared writable mapping refused", "errno %d", errno);
	void *ro = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	check(ro != MAP_FAILED, "a read-only mapping is fine", "errno %d", errno);
	munmap(ro, 4096);
	check(fcntl(fd, F_GET_SEALS) == (F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE), "F_GET_SEALS", "%#x",
	      fcntl(fd, F_GET_SEALS));
	CHECK_OK(fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL), "F_SEAL_SEAL");
	CHECK_ERR(fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK), EPERM, "no more seals");
	check(pread(fd, buf, 10, 0) == 10 && memcmp(buf, "0123456789", 10) == 0, "reads still work", "no");
	f2 = open("/dev/null", O_RDONLY);
	CHECK_ERR(fcntl(f2, F_GET_SEALS), EINVAL, "F_GET_SEALS on another file EINVAL");
	close(f2);
	close(fd);
	return t_done();
}
