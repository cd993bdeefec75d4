/*
 * privesc.c - a hostile guest that tries to gain rights inside the guest
 * through the memory-mapping syscalls (issue 5, E3).
 *
 * Usage (as init):  privesc passwd
 *   As uid 1000, opens the root-owned 0644 /etc/passwd read-only, maps it
 *   MAP_SHARED read-only and tries every road to a writable view of it:
 *   mprotect(PROT_WRITE) (Linux: EACCES, the mapping never had
 *   VM_MAYWRITE), mmap(MAP_SHARED, PROT_WRITE) of the read-only fd
 *   (EACCES), MAP_SHARED_VALIDATE, a read-only mapping split by mprotect
 *   of one page.  If any succeeds it writes "pwned" through the mapping and
 *   msyncs, as the exploit did; the runner then checks the disk image.
 *   A private mapping may become writable (copy-on-write) but its writes
 *   must not reach the file.
 * Prints `ok NAME` / `not ok NAME: why` and exits 0 when every check passed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"


/* The exploit's last step: write through a mapping that should not allow it. */
static void pwn(char *m)
{
	memcpy(m, "pwned", 5);
	msync(m, 4096, MS_SYNC);
}

static void as_user(void)
{
	char *m, *p;
	int fd, r;

	if (setresgid(1000, 1000, 1000) < 0 || setresuid(1000, 1000, 1000) < 0) {
		printf("not ok drop-privileges: %s\n", strerror(errno));
		exit(1);
	}
	fd = open("/etc/passwd", O_RDWR);
	check(fd < 0 && errno == EACCES, "open-rdwr-refused", "open(O_RDWR) gave %d errno %d", fd, errno);
	fd = open("/etc/passwd", O_RDONLY);
	if (fd < 0) {
		printf("not ok open-rdonly: %s\n", strerror(errno));
		exit(1);
	}
	m = mmap(NULL, 8192, PROT_READ, MAP_SHARED, fd, 0);
	check(m != MAP_FAILED, "map-shared-readonly", "mmap: %s", strerror(errno));
	if (m == MAP_FAILED)
		exit(1);
	errno = 0;
	r = mprotect(m, 4096, PROT_READ | PROT_WRITE);
	check(r == -1 && errno == EACCES, "mprotect-write-refused",
	      "mprotect(PROT_WRITE) of a shared read-only file mapping gave %d errno %d", r, errno);
	if (r == 0)
		pwn(m);
	errno = 0;
	r = mprotect(m + 4096, 4096, PROT_WRITE);
	check(r == -1 && errno == EACCES, "mprotect-split-refused", "gave %d errno %d", r, errno);
	if (r == 0)
		pwn(m + 4096);
	check(mprotect(m, 8192, PROT_READ | PROT_EXEC) == 0, "mprotect-exec-allowed",
	      "PROT_EXEC (the fd allows it): %s", strerror(errno));
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	check(p == MAP_FAILED && errno == EACCES, "mmap-shared-write-refused", "gave %p errno %d", p, errno);
	if (p != MAP_FAILED)
		pwn(p);
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED_VALIDATE, fd, 0);
	check(p == MAP_FAILED && errno == EACCES, "mmap-validate-write-refused", "gave %p errno %d", p, errno);
	if (p != MAP_FAILED)
		pwn(p);
	/* Private: writable by copy-on-write, the file untouched. */
	p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	check(p != MAP_FAILED && mprotect(p, 4096, PROT_READ | PROT_WRITE) == 0,
	      "private-mprotect-write", "%s", strerror(errno));
	if (p != MAP_FAILED) {
		memcpy(p, "priv!", 5);
		msync(p, 4096, MS_SYNC);
		check(!memcmp(m, "root:", 5), "private-write-stays-private",
		      "the shared view shows '%.5s'", m);
	}
	check(!memcmp(m, "root:", 5), "file-unchanged", "/etc/passwd begins '%.5s'", m);
	exit(failed ? 1 : 0);
}

static int mode_passwd(void)
{
	char buf[16] = "";
	int st, fd;
	pid_t pid = fork();

	if (pid == 0)
		as_user();
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st)) {
		printf("not ok user-child: status %#x\n", pid < 0 ? -1 : st);
		failed++;
	}
	fd = open("/etc/passwd", O_RDONLY);
	check(fd >= 0 && read(fd, buf, 5) == 5 && !memcmp(buf, "root:", 5), "read-back",
	      "/etc/passwd reads '%.5s'", buf);
	sync();
	return failed ? 1 : 0;
}

int main(int argc, char **argv)
{
	int r = 2;

	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc == 2 && !strcmp(argv[1], "passwd"))
		r = mode_passwd();
	else
		fprintf(stderr, "usage: privesc passwd\n");
	checks_done();
	return r;
}
