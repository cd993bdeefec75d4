/*
 * fs_fcntl.c - fcntl F_GETFL/F_SETFL/F_GETFD/F_SETFD: the access mode
 * and O_LARGEFILE as Linux reports them, the flags F_SETFL may change
 * (O_APPEND, O_NONBLOCK, O_ASYNC, O_NOATIME, O_DIRECT) and those it
 * ignores (access mode, O_CREAT, O_TRUNC...), unknown commands, a bad fd.
 */
#include "t.h"
#include "fs.h"
#include <signal.h>

/* The kernel's O_LARGEFILE: glibc defines it 0 on x86_64, but Linux
 * sets it in every 64-bit open file's flags and F_GETFL shows it. */
#define K_LARGEFILE 0100000

int main(void)
{
	int fd, fl;

	t_start();
	fs_scratch("fs_fcntl");
	fs_put("f", "x");
	fd = open("f", O_RDONLY);
	fl = fcntl(fd, F_GETFL);
	check(fl == (O_RDONLY | K_LARGEFILE), "O_RDONLY shows O_LARGEFILE", "flags %o", fl);
	close(fd);
	fd = open("f", O_WRONLY | O_APPEND | O_CLOEXEC | O_TRUNC | O_CREAT, 0644);
	fl = fcntl(fd, F_GETFL);
	check(fl == (O_WRONLY | O_APPEND | K_LARGEFILE), "creation flags not kept", "flags %o", fl);
	check(fcntl(fd, F_GETFD) == FD_CLOEXEC, "O_CLOEXEC is FD_CLOEXEC", "fd flags %d", fcntl(fd, F_GETFD));
	CHECK_OK(fcntl(fd, F_SETFD, 0), "F_SETFD 0");
	check(fcntl(fd, F_GETFD) == 0, "cleared", "bad");
	CHECK_OK(fcntl(fd, F_SETFD, 0xff), "F_SETFD other bits");
	check(fcntl(fd, F_GETFD) == FD_CLOEXEC, "only FD_CLOEXEC kept", "got %d", fcntl(fd, F_GETFD));
	close(fd);
	fd = open("f", O_RDWR);
	CHECK_OK(fcntl(fd, F_SETFL, O_RDONLY | O_NONBLOCK | O_TRUNC | O_CREAT | O_EXCL), "F_SETFL mixed");
	fl = fcntl(fd, F_GETFL);
	check(fl == (O_RDWR | O_NONBLOCK | K_LARGEFILE), "only O_NONBLOCK changed", "flags %o", fl);
	CHECK_OK(fcntl(fd, F_SETFL, O_NOATIME), "F_SETFL O_NOATIME as owner");
	fl = fcntl(fd, F_GETFL);
	check(fl == (O_RDWR | O_NOATIME | K_LARGEFILE), "O_NOATIME set, O_NONBLOCK off", "flags %o", fl);
	CHECK_OK(fcntl(fd, F_SETFL, O_APPEND | O_ASYNC), "F_SETFL O_APPEND|O_ASYNC");
	fl = fcntl(fd, F_GETFL);
	/* Linux 6.x: O_ASYNC stays off on a file without fasync (a disk file). */
	check(fl == (O_RDWR | O_APPEND | K_LARGEFILE), "append set, async not on a disk file", "flags %o", fl);
	CHECK_ERR(fcntl(fd, 12345), EINVAL, "unknown command");
	CHECK_ERR(fcntl(-1, F_GETFL), EBADF, "bad fd");
	CHECK_ERR(fcntl(99, F_SETFD, 0), EBADF, "closed fd");
	CHECK_ERR(fcntl(fd, F_SETOWN_EX, (void *)8), EFAULT, "F_SETOWN_EX bad pointer");
	check(fcntl(fd, F_GETOWN) == 0, "F_GETOWN 0", "got %d", fcntl(fd, F_GETOWN));
	CHECK_OK(fcntl(fd, F_SETOWN, getpid()), "F_SETOWN self");
	check(fcntl(fd, F_GETOWN) == getpid(), "F_GETOWN self", "bad");
	check(fcntl(fd, F_GETSIG) == 0, "F_GETSIG 0", "got %d", fcntl(fd, F_GETSIG));
	CHECK_ERR(fcntl(fd, F_SETSIG, 65), EINVAL, "F_SETSIG 65");
	CHECK_OK(fcntl(fd, F_SETSIG, SIGUSR1), "F_SETSIG USR1");
	check(fcntl(fd, F_GETSIG) == SIGUSR1, "F_GETSIG USR1", "got %d", fcntl(fd, F_GETSIG));
	close(fd);
	return t_done();
}
