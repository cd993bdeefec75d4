/*
 * fs_dup3.c - dup, dup2, dup3 and F_DUPFD: dup3 onto itself EINVAL,
 * unknown dup3 flags EINVAL, O_CLOEXEC setting FD_CLOEXEC, dup2 onto
 * itself a no-op (and EBADF if closed), out-of-range targets, the lowest
 * free descriptor, RLIMIT_NOFILE's EMFILE and F_DUPFD's EINVAL.
 */
#include "t.h"
#include "fs.h"
#include <sys/resource.h>
#include <sys/syscall.h>

int main(void)
{
	struct rlimit rl;
	int fd, n, i;

	t_start();
	fs_scratch("fs_dup3");
	fs_put("f", "x");
	fd = open("f", O_RDONLY);
	CHECK_ERR(dup3(fd, fd, 0), EINVAL, "dup3 onto itself");
	CHECK_ERR(dup3(fd, 50, 1), EINVAL, "dup3 unknown flag");
	CHECK_ERR(dup3(fd, 50, O_NONBLOCK), EINVAL, "dup3 O_NONBLOCK");
	n = dup3(fd, 50, O_CLOEXEC);
	check(n == 50 && fcntl(50, F_GETFD) == FD_CLOEXEC, "dup3 O_CLOEXEC", "n %d fd flags %d", n,
	      fcntl(50, F_GETFD));
	n = dup2(fd, 50);
	check(n == 50 && fcntl(50, F_GETFD) == 0, "dup2 replaces and clears CLOEXEC", "flags %d",
	      fcntl(50, F_GETFD));
	check(dup2(fd, fd) == fd, "dup2 onto itself", "errno %d", errno);
	CHECK_ERR(dup2(60, 60), EBADF, "dup2 closed onto itself");
	CHECK_ERR(dup2(-1, 50), EBADF, "dup2 bad old");
	CHECK_ERR(dup2(fd, -1), EBADF, "dup2 negative new");
	getrlimit(RLIMIT_NOFILE, &rl);
	CHECK_ERR(dup2(fd, (int)rl.rlim_cur), EBADF, "dup2 at the limit");
	CHECK_ERR(fcntl(fd, F_DUPFD, (int)rl.rlim_cur), EINVAL, "F_DUPFD at the limit");
	CHECK_ERR(fcntl(fd, F_DUPFD, -1), EINVAL, "F_DUPFD negative");
	n = fcntl(fd, F_DUPFD, 40);
	check(n == 40, "F_DUPFD lowest >= 40", "got %d", n);
	n = fcntl(fd, F_DUPFD_CLOEXEC, 40);
	check(n == 41 && fcntl(n, F_GETFD) == FD_CLOEXEC, "F_DUPFD_CLOEXEC next", "got %d", n);
	close(40);
	n = dup(fd);
	check(n == fd + 1, "dup takes the lowest free", "got %d fd %d", n, fd);
	close(n);
	rl.rlim_cur = 20;
	setrlimit(RLIMIT_NOFILE, &rl);
	for (i = 0; i < 30 && dup(fd) >= 0; i++)
		;
	CHECK_ERR(dup(fd), EMFILE, "dup past RLIMIT_NOFILE");
	CHECK_ERR(fcntl(fd, F_DUPFD, 0), EMFILE, "F_DUPFD past the limit");
	CHECK_ERR(dup2(fd, 20), EBADF, "dup2 beyond the lowered limit");
	check(dup2(fd, 19) == 19, "dup2 inside the limit replaces", "errno %d", errno);
	CHECK_ERR(syscall(SYS_dup3, fd, 55, O_CLOEXEC), EBADF, "dup3 beyond the limit");
	check(fcntl(50, F_GETFD) == 0, "fd above the new limit still open", "errno %d", errno);
	CHECK_ERR(dup(-1), EBADF, "dup -1");
	return t_done();
}
