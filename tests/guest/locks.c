/*
 * locks.c - advisory locks: fcntl record locks (POSIX and OFD) between
 * processes, their ranges, merging and splitting, release on close of
 * any fd and on exit, F_SETLKW sleeping, EDEADLK, EINTR; flock(2); and
 * the error paths.
 */
#include "t.h"
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/wait.h>

static char path[512];

static int setlk(int fd, int cmd, short type, off_t start, off_t len)
{
	struct flock l = { .l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len };

	return fcntl(fd, cmd, &l);
}

/* F_GETLK for [start, start+len) with type: the reported lock in *l. */
static int getlk(int fd, int cmd, short type, off_t start, off_t len, struct flock *l)
{
	memset(l, 0, sizeof(*l));
	l->l_type = type;
	l->l_whence = SEEK_SET;
	l->l_start = start;
	l->l_len = len;
	return fcntl(fd, cmd, l);
}

/* Runs fn in a child and returns its exit status (0 when all went well). */
static int in_child(int (*fn)(int arg), int arg)
{
	int st;
	pid_t pid = fork();

	if (pid == 0)
		_exit(fn(arg));
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

#define CHILD_OK(fn, arg, name) do { int s_ = in_child(fn, arg); \
	check(s_ == 0, name, "child status %d", s_); } while (0)

/* Waits until task pid sleeps (state S in /proc/pid/stat); 0 when it does. */
static int wait_sleeping(pid_t pid)
{
	char f[64], buf[256], *p;
	int i, fd;
	ssize_t n;

	snprintf(f, sizeof(f), "/proc/%d/stat", (int)pid);
	for (i = 0; i < 20000; i++) {
		fd = open(f, O_RDONLY);
		if (fd < 0)
			return -1;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n <= 0)
			return -1;
		buf[n] = 0;
		p = strrchr(buf, ')');
		if (p != NULL && p[1] == ' ' && p[2] == 'S')
			return 0;
		usleep(500);
	}
	return -1;
}

static int child_probe(int expect)
{
	int fd = open(path, O_RDWR);
	struct flock l;
	int bad = 0;

	if (fd < 0)
		return 100;
	/* expect: 1 = parent holds [0,100) write, 2 = nothing held. */
	if (getlk(fd, F_GETLK, F_RDLCK, 10, 5, &l) < 0)
		return 101;
	if (expect == 1) {
		bad |= l.l_type != F_WRLCK || l.l_start != 0 || l.l_len != 100 ||
		       l.l_whence != SEEK_SET || l.l_pid != getppid();
		bad |= (setlk(fd, F_SETLK, F_RDLCK, 50, 1) != -1 || errno != EAGAIN) << 1;
		bad |= (setlk(fd, F_SETLK, F_WRLCK, 100, 10) != 0) << 2;	/* past it: free */
	} else {
		bad |= l.l_type != F_UNLCK || l.l_start != 10 || l.l_len != 5;
		bad |= (setlk(fd, F_SETLK, F_WRLCK, 0, 0) != 0) << 1;
	}
	return bad;
}

/* Parent holds [0,40) and [60,100) write (after an unlock of the middle). */
static int child_split(int unused)
{
	int fd = open(path, O_RDWR), bad = 0;
	struct flock l;

	(void)unused;
	if (fd < 0)
		return 100;
	bad |= getlk(fd, F_GETLK, F_WRLCK, 40, 20, &l) != 0 || l.l_type != F_UNLCK;
	bad |= (getlk(fd, F_GETLK, F_WRLCK, 0, 0, &l) != 0 || l.l_type != F_WRLCK ||
		l.l_start != 0 || l.l_len != 40) << 1;
	bad |= (getlk(fd, F_GETLK, F_WRLCK, 50, 0, &l) != 0 || l.l_start != 60 ||
		l.l_len != 40) << 2;
	bad |= (setlk(fd, F_SETLK, F_WRLCK, 40, 20) != 0) << 3;
	return bad;
}

/* Parent holds [0,10) read and [10,20) write: one read lock from 0 to 20 after re-locking. */
static int child_merged(int unused)
{
	int fd = open(path, O_RDWR), bad = 0;
	struct flock l;

	(void)unused;
	if (fd < 0)
		return 100;
	bad |= getlk(fd, F_GETLK, F_WRLCK, 0, 0, &l) != 0 || l.l_type != F_RDLCK ||
	       l.l_start != 0 || l.l_len != 20;
	bad |= (setlk(fd, F_SETLK, F_RDLCK, 5, 10) != 0) << 1;
	return bad;
}

static void test_posix(void)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644), fd2;
	struct flock l;

	CHECK_OK(fd, "open");
	CHECK_OK(setlk(fd, F_SETLK, F_WRLCK, 0, 100), "F_SETLK write [0,100)");
	CHILD_OK(child_probe, 1, "another process sees it, holder's pid, EAGAIN");
	CHECK_OK(getlk(fd, F_GETLK, F_WRLCK, 0, 0, &l), "F_GETLK own lock");
	check(l.l_type == F_UNLCK, "own locks never conflict", "l_type %d", l.l_type);
	CHECK_OK(setlk(fd, F_SETLK, F_UNLCK, 40, 20), "unlock the middle");
	CHILD_OK(child_split, 0, "unlock splits the lock in two");
	CHECK_OK(setlk(fd, F_SETLK, F_UNLCK, 0, 0), "unlock all");
	CHILD_OK(child_probe, 2, "nothing held after unlock");

	CHECK_OK(setlk(fd, F_SETLK, F_RDLCK, 0, 10), "read [0,10)");
	CHECK_OK(setlk(fd, F_SETLK, F_WRLCK, 10, 10), "write [10,20)");
	CHECK_OK(setlk(fd, F_SETLK, F_RDLCK, 10, 10), "write [10,20) to read");
	CHILD_OK(child_merged, 0, "adjacent read locks merge, read is shared");

	/* Closing any fd of the file drops the process's locks. */
	fd2 = open(path, O_RDONLY);
	CHECK_OK(fd2, "second open");
	CHECK_OK(setlk(fd, F_SETLK, F_WRLCK, 0, 100), "lock again");
	CHECK_OK(close(fd2), "close the other fd");
	CHILD_OK(child_probe, 2, "close of any fd releases");
	close(fd);
}

static int child_hold_exit(int unused)
{
	int fd = open(path, O_RDWR);

	(void)unused;
	return fd < 0 || setlk(fd, F_SETLK, F_WRLCK, 0, 0) != 0;
}

static void sig_nop(int s)
{
	(void)s;
}

static int child_intr(int unused)
{
	int fd = open(path, O_RDWR);
	struct sigaction sa = { .sa_handler = sig_nop };

	(void)unused;
	sigaction(SIGALRM, &sa, NULL);		/* no SA_RESTART */
	alarm(1);
	if (setlk(fd, F_SETLKW, F_WRLCK, 0, 1) != -1)
		return 1;
	return errno == EINTR ? 0 : 2;
}

static void test_wait(void)
{
	int fd = open(path, O_RDWR), p[2], st;
	pid_t pid;
	char c;

	check(in_child(child_hold_exit, 0) == 0, "child locks and exits", "failed");
	CHECK_OK(setlk(fd, F_SETLK, F_WRLCK, 0, 0), "exit released the child's lock");
	CHILD_OK(child_intr, 0, "F_SETLKW interrupted: EINTR");

	/* Deadlock: we hold 0, the child holds 1 and sleeps for 0; we ask for 1. */
	CHECK_OK(setlk(fd, F_SETLK, F_UNLCK, 1, 0), "keep only byte 0");
	CHECK_OK(pipe(p), "pipe");
	pid = fork();
	if (pid == 0) {
		int cfd = open(path, O_RDWR);

		if (setlk(cfd, F_SETLK, F_WRLCK, 1, 1) != 0)
			_exit(1);
		write(p[1], "r", 1);
		if (setlk(cfd, F_SETLKW, F_WRLCK, 0, 1) != 0)
			_exit(2);
		_exit(0);
	}
	check(read(p[0], &c, 1) == 1, "child holds byte 1", "no word");
	check(wait_sleeping(pid) == 0, "child sleeps in F_SETLKW", "never slept");
	CHECK_ERR(setlk(fd, F_SETLKW, F_WRLCK, 1, 1), EDEADLK, "F_SETLKW that would deadlock");
	CHECK_ERR(setlk(fd, F_SETLK, F_WRLCK, 1, 1), EAGAIN, "F_SETLK: EAGAIN, not EDEADLK");
	CHECK_OK(setlk(fd, F_SETLK, F_UNLCK, 0, 1), "unlock byte 0");
	check(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "the sleeper got its lock", "status %x", st);
	close(p[0]);
	close(p[1]);
	close(fd);
}

static void test_ofd(void)
{
	int a = open(path, O_RDWR), b = open(path, O_RDWR), c;
	struct flock l;

	CHECK_OK(setlk(a, F_OFD_SETLK, F_WRLCK, 0, 10), "F_OFD_SETLK");
	CHECK_ERR(setlk(b, F_OFD_SETLK, F_WRLCK, 5, 1), EAGAIN, "OFD locks of two opens conflict");
	CHECK_ERR(setlk(b, F_SETLK, F_RDLCK, 5, 1), EAGAIN, "a POSIX lock meets the OFD lock");
	CHECK_OK(getlk(b, F_OFD_GETLK, F_RDLCK, 0, 0, &l), "F_OFD_GETLK");
	check(l.l_type == F_WRLCK && l.l_pid == -1 && l.l_len == 10, "OFD holder: pid -1",
	      "type %d pid %d len %ld", l.l_type, (int)l.l_pid, (long)l.l_len);
	l.l_pid = 1;
	l.l_type = F_RDLCK;
	CHECK_ERR(fcntl(b, F_OFD_SETLK, &l), EINVAL, "F_OFD_SETLK with l_pid set");
	c = dup(a);
	close(a);
	CHECK_ERR(setlk(b, F_OFD_SETLK, F_WRLCK, 5, 1), EAGAIN, "a dup keeps the OFD lock");
	close(c);
	CHECK_OK(setlk(b, F_OFD_SETLK, F_WRLCK, 5, 1), "last close released it");
	close(b);
}

static int child_flock(int fd)
{
	int other = open(path, O_RDONLY);

	if (flock(other, LOCK_SH | LOCK_NB) != -1 || errno != EWOULDBLOCK)
		return 1;
	if (setlk(other, F_SETLK, F_RDLCK, 0, 0) != 0)
		return 2;		/* flock and fcntl locks are apart */
	if (flock(fd, LOCK_UN) != 0)	/* the inherited open file: the same lock */
		return 3;
	if (flock(other, LOCK_SH | LOCK_NB) != 0)
		return 4;
	return 0;
}

static void test_flock(void)
{
	int a = open(path, O_RDWR), b = open(path, O_RDONLY), o = open(path, O_PATH);

	CHECK_OK(flock(a, LOCK_EX), "flock LOCK_EX");
	CHECK_OK(flock(a, LOCK_EX | LOCK_NB), "again on the same file");
	CHECK_ERR(flock(b, LOCK_SH | LOCK_NB), EWOULDBLOCK, "another open: EWOULDBLOCK");
	CHILD_OK(child_flock, a, "flock across fork, apart from fcntl");
	CHECK_OK(flock(b, LOCK_SH | LOCK_NB), "shared after the child unlocked");
	CHECK_OK(flock(a, LOCK_SH | LOCK_NB), "two shared");
	CHECK_ERR(flock(a, LOCK_EX | LOCK_NB), EWOULDBLOCK, "upgrade blocked by the other");
	close(b);
	CHECK_OK(flock(a, LOCK_EX | LOCK_NB), "upgrade once it closed");
	CHECK_ERR(flock(a, 0), EINVAL, "flock op 0");
	CHECK_ERR(flock(a, LOCK_SH | LOCK_EX), EINVAL, "flock two ops");
	CHECK_ERR(flock(-1, LOCK_SH), EBADF, "flock bad fd");
	CHECK_ERR(flock(o, LOCK_SH), EBADF, "flock O_PATH");
	CHECK_OK(flock(a, LOCK_UN), "LOCK_UN");
	CHECK_OK(flock(a, LOCK_UN), "LOCK_UN unlocked");
	close(a);
	close(o);
}

static void test_errors(void)
{
	int ro = open(path, O_RDONLY), wo = open(path, O_WRONLY), o = open(path, O_PATH);
	struct flock l = { .l_type = F_RDLCK, .l_whence = SEEK_SET };

	CHECK_ERR(setlk(ro, F_SETLK, F_WRLCK, 0, 0), EBADF, "write lock on O_RDONLY");
	CHECK_ERR(setlk(wo, F_SETLK, F_RDLCK, 0, 0), EBADF, "read lock on O_WRONLY");
	CHECK_OK(setlk(ro, F_SETLK, F_UNLCK, 0, 0), "unlock on O_RDONLY");
	CHECK_ERR(setlk(o, F_SETLK, F_RDLCK, 0, 0), EBADF, "lock on O_PATH");
	CHECK_ERR(setlk(ro, F_SETLK, 7, 0, 0), EINVAL, "bad l_type");
	CHECK_ERR(getlk(ro, F_GETLK, F_UNLCK, 0, 0, &l), EINVAL, "F_GETLK with F_UNLCK");
	l.l_whence = 9;
	CHECK_ERR(fcntl(ro, F_SETLK, &l), EINVAL, "bad l_whence");
	CHECK_ERR(setlk(ro, F_SETLK, F_RDLCK, -1, 1), EINVAL, "negative start");
	CHECK_ERR(setlk(ro, F_SETLK, F_RDLCK, 5, -6), EINVAL, "l_len reaching below 0");
	CHECK_OK(setlk(ro, F_SETLK, F_RDLCK, 5, -5), "negative l_len: the bytes before");
	CHECK_ERR(setlk(ro, F_SETLK, F_RDLCK, 0x7fffffffffffffffL, 2), EOVERFLOW, "range past the max");
	CHECK_ERR(fcntl(ro, F_SETLK, (void *)8), EFAULT, "bad pointer");
	lseek(ro, 10, SEEK_SET);
	l.l_whence = SEEK_CUR;
	l.l_start = -5;
	l.l_len = 2;
	l.l_type = F_RDLCK;
	CHECK_OK(fcntl(ro, F_SETLK, &l), "SEEK_CUR lock");
	close(ro);
	close(wo);
	close(o);
}

int main(void)
{
	t_start();
	if (getpid() == 1)	/* init inside ./linux: nothing mounted yet */
		mount("proc", "/proc", "proc", 0, NULL);
	t_path(path, sizeof(path), "locks.dat");
	test_posix();
	test_wait();
	test_ofd();
	test_flock();
	test_errors();
	unlink(path);
	return t_done();
}
