/*
 * fs_pipemax.c - /proc/sys/fs/pipe-max-size and F_SETPIPE_SZ: the file
 * reads as a number of bytes (a power of two, 1 MiB by default); a user
 * without CAP_SYS_RESOURCE may grow a pipe up to it but not past it
 * (EPERM), and cannot write the file (EACCES); past 2^31 is EINVAL.
 * (Root's growing past it is not compared: the host may run this
 * without CAP_SYS_RESOURCE.)  Mounts /proc itself when it is init inside
 * ./linux.
 */
#include "t.h"
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/wait.h>

#define NOBODY	65534

static int nobody(int (*fn)(unsigned long), unsigned long max)
{
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		if (setresgid(NOBODY, NOBODY, NOBODY) < 0 || setresuid(NOBODY, NOBODY, NOBODY) < 0)
			_exit(200);
		_exit(fn(max));
	}
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int grow_to(unsigned long max)
{
	int p[2];

	if (pipe(p) < 0)
		return 100;
	if (fcntl(p[0], F_SETPIPE_SZ, max) != (long)max)
		return 1;
	if (fcntl(p[1], F_GETPIPE_SZ) != (long)max)
		return 2;
	return 0;
}

static int grow_past(unsigned long max)
{
	int p[2];

	if (pipe(p) < 0)
		return 100;
	return fcntl(p[0], F_SETPIPE_SZ, 2 * max) < 0 ? errno : 0;
}

static int write_it(unsigned long max)
{
	int fd = open("/proc/sys/fs/pipe-max-size", O_WRONLY);

	(void)max;
	return fd < 0 ? errno : 0;
}

int main(void)
{
	unsigned long max = 0;
	char buf[64];
	int fd, r;
	ssize_t n;

	t_start();
	if (getpid() == 1)
		mount("proc", "/proc", "proc", 0, NULL);
	fd = open("/proc/sys/fs/pipe-max-size", O_RDONLY);
	CHECK_OK(fd, "open /proc/sys/fs/pipe-max-size");
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	check(sscanf(buf, "%lu", &max) == 1 && max >= 4096 && (max & (max - 1)) == 0,
	      "a power of two", "%s", buf);
	check(max == 1048576, "1 MiB (the default)", "%lu", max);
	r = nobody(grow_to, max);
	check(r == 0, "nobody grows a pipe up to it", "%d", r);
	r = nobody(grow_past, max);
	check(r == EPERM, "nobody past it: EPERM", "%d", r);
	r = nobody(write_it, max);
	check(r == EACCES, "nobody cannot write the file: EACCES", "%d", r);
	{ int q[2]; pipe(q); CHECK_ERR(fcntl(q[0], F_SETPIPE_SZ, (1UL << 31) + 1), EINVAL, "past 2^31: EINVAL"); }
	return t_done();
}
