/*
 * fs_ofdfork.c - open file description locks (F_OFD_*) across fork: the
 * child shares the parent's description, so it owns the parent's lock
 * (a conflicting F_OFD_SETLK through the inherited fd succeeds and
 * converts it) while a description the child opens itself conflicts
 * (EAGAIN) and F_OFD_GETLK names the lock with l_pid -1; the child's
 * close of its copy or its exit releases nothing, the last close does;
 * a POSIX lock and an OFD lock of the same process conflict; OFD
 * commands need l_pid 0 (EINVAL otherwise).
 */
#include "t.h"
#include "fs.h"
#include <sys/wait.h>

static int lk(int fd, int cmd, short type, off_t start, off_t len)
{
	struct flock fl = { .l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len };

	return fcntl(fd, cmd, &fl);
}

/* Runs fn in a child: its exit status. */
static int child(int (*fn)(int), int fd)
{
	int st;
	pid_t pid = fork();

	if (pid == 0)
		_exit(fn(fd));
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int c_same(int fd)
{
	return lk(fd, F_OFD_SETLK, F_WRLCK, 0, 10) < 0 ? errno : 0;
}

static int c_own(int fd)
{
	int f2 = open("f", O_RDWR);

	(void)fd;
	return lk(f2, F_OFD_SETLK, F_RDLCK, 5, 1) < 0 ? errno : 0;
}

static int c_getlk(int fd)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 100 };
	int f2 = open("f", O_RDWR);

	(void)fd;
	if (fcntl(f2, F_OFD_GETLK, &fl) < 0)
		return 100 + errno;
	if (fl.l_type != F_WRLCK)
		return 1;
	if (fl.l_pid != -1)
		return 2;
	if (fl.l_start != 0 || fl.l_len != 10)
		return 3;
	return 0;
}

static int c_close(int fd)
{
	close(fd);
	return 0;
}

int main(void)
{
	struct flock fl;
	int fd, f2, r;

	t_start();
	fs_scratch("fs_ofdfork");
	CHECK_OK(fs_put("f", "0123456789abcdef"), "create");
	fd = open("f", O_RDWR);
	CHECK_OK(lk(fd, F_OFD_SETLK, F_RDLCK, 0, 10), "parent: OFD read lock of 0-9");
	r = child(c_same, fd);
	check(r == 0, "child, inherited fd: a write lock over it converts it (same owner)", "%d", r);
	r = child(c_own, fd);
	check(r == EAGAIN, "child, its own open: conflicts, EAGAIN", "%d", r);
	r = child(c_getlk, fd);
	check(r == 0, "child's F_OFD_GETLK: the write lock, 0-9, l_pid -1", "%d", r);
	r = child(c_close, fd);
	check(r == 0, "child closes its copy and exits", "%d", r);
	f2 = open("f", O_RDWR);
	CHECK_ERR(lk(f2, F_OFD_SETLK, F_RDLCK, 0, 1), EAGAIN, "the lock is still held");
	CHECK_ERR(lk(f2, F_SETLK, F_RDLCK, 0, 1), EAGAIN, "a POSIX lock of this process conflicts with it");
	CHECK_OK(lk(f2, F_SETLK, F_WRLCK, 20, 5), "a POSIX lock elsewhere");
	CHECK_ERR(lk(fd, F_OFD_SETLK, F_WRLCK, 22, 1), EAGAIN, "an OFD lock over this process's POSIX lock");
	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_RDLCK;
	fl.l_pid = 1;
	CHECK_ERR(fcntl(f2, F_OFD_SETLK, &fl), EINVAL, "F_OFD_SETLK with l_pid set: EINVAL");
	CHECK_ERR(fcntl(f2, F_OFD_GETLK, &fl), EINVAL, "F_OFD_GETLK with l_pid set: EINVAL");
	close(fd);
	CHECK_OK(lk(f2, F_OFD_SETLK, F_RDLCK, 0, 1), "the last close released it");
	close(f2);
	return t_done();
}
