/*
 * notif_calls.c - the calls that seccomp mode answers as notifications
 * (STUB_SC_NOTIF_NRS): file-system, process and socket calls with their
 * error paths, and every one of them that blocks interrupted by a signal
 * with and without SA_RESTART, with a handler that runs and without one
 * (stopped and continued: a transparent restart); a signal that a call
 * makes due (kill of oneself, an unblocking sigprocmask) runs its handler
 * before the call returns.  Natively and in ./linux, the same output.
 */
#include "t.h"
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <dirent.h>
#include <linux/stat.h>

#define BAD_PTR ((void *)1)

static char dir[256];
static volatile sig_atomic_t handled;
static int hpipe[2];	/* the handler says it ran: one byte */

static void on_usr1(int s)
{
	char c = 'h';

	(void)s;
	handled++;
	if (write(hpipe[1], &c, 1) != 1)
		_exit(90);
}

static void set_handler(int restart)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sa.sa_flags = restart ? SA_RESTART : 0;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
}

/* The state letter of pid in /proc/pid/stat, or 0. */
static char proc_state(pid_t pid)
{
	char f[64], buf[512], *p;
	int fd;
	ssize_t n;

	snprintf(f, sizeof(f), "/proc/%d/stat", (int)pid);
	fd = open(f, O_RDONLY);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	p = strrchr(buf, ')');
	return p != NULL && p[1] == ' ' ? p[2] : 0;
}

/* Waits until pid is in state st; 0 when it is. */
static int wait_state(pid_t pid, char st)
{
	for (int i = 0; i < 20000; i++) {
		if (proc_state(pid) == st)
			return 0;
		usleep(500);
	}
	return -1;
}

/*
 * The peer of a blocking call in the parent: waits until the parent
 * sleeps, interrupts it (how: 'h' SIGUSR1 and waits for its handler's
 * byte; 's' SIGSTOP, then SIGCONT once stopped, and waits until it sleeps
 * again), then does what completes the call: done().  Exits 0 if all went.
 */
static void peer(char how, void (*done)(void *), void *arg)
{
	pid_t pp = getppid();
	char c;

	if (wait_state(pp, 'S') < 0)
		_exit(80);
	if (how == 'h') {
		kill(pp, SIGUSR1);
		if (read(hpipe[0], &c, 1) != 1)
			_exit(81);
	} else {
		kill(pp, SIGSTOP);
		if (wait_state(pp, 'T') < 0)
			_exit(82);
		kill(pp, SIGCONT);
		if (wait_state(pp, 'S') < 0)
			_exit(83);
	}
	if (done)
		done(arg);
	_exit(0);
}

static int reap(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* The case's name: call/how, how one of "restart", "eintr", "stop". */
static const char *how_name(char how, int restart)
{
	return how == 's' ? "stop" : restart ? "restart" : "eintr";
}

/* ---- wait4 and waitid: the peer is the child waited for ---- */

static void blocking_wait(int use_waitid, char how, int restart)
{
	char name[64];
	pid_t c;
	long r;
	int e;

	snprintf(name, sizeof(name), "%s/%s", use_waitid ? "waitid" : "wait4", how_name(how, restart));
	set_handler(restart);
	handled = 0;
	c = fork();
	if (c == 0)
		peer(how, NULL, NULL);	/* its exit completes the wait */
	if (use_waitid) {
		siginfo_t si;

		memset(&si, 0, sizeof(si));
		r = waitid(P_PID, (id_t)c, &si, WEXITED);
		e = errno;
		if (r == 0)
			r = si.si_pid == c && si.si_code == CLD_EXITED ? c : -2;
	} else {
		int st = -1;

		r = wait4(c, &st, 0, NULL);
		e = errno;
	}
	if (how == 'h' && !restart) {
		check(r == -1 && e == EINTR && handled == 1, name, "returned %ld errno %d handled %d",
		      r, e, (int)handled);
		check(reap(c) == 0, name, "the peer failed");
	} else {
		check(r == c && handled == (how == 'h'), name, "returned %ld errno %d handled %d",
		      r, e, (int)handled);
	}
}

/* ---- accept on an AF_UNIX socket: the peer connects ---- */

static struct sockaddr_un un;

static void do_connect(void *arg)
{
	int s = socket(AF_UNIX, SOCK_STREAM, 0);

	(void)arg;
	if (s < 0 || connect(s, (struct sockaddr *)&un, sizeof(un)) < 0)
		_exit(84);
	close(s);
}

static void blocking_accept(int four, char how, int restart)
{
	char name[64];
	int l, a, e;
	pid_t c;

	snprintf(name, sizeof(name), "%s/%s", four ? "accept4" : "accept", how_name(how, restart));
	set_handler(restart);
	handled = 0;
	l = socket(AF_UNIX, SOCK_STREAM, 0);
	memset(&un, 0, sizeof(un));
	un.sun_family = AF_UNIX;
	snprintf(un.sun_path, sizeof(un.sun_path), "%s/sock", dir);
	unlink(un.sun_path);
	if (l < 0 || bind(l, (struct sockaddr *)&un, sizeof(un)) < 0 || listen(l, 4) < 0) {
		check(0, name, "setup: errno %d", errno);
		return;
	}
	c = fork();
	if (c == 0)
		peer(how, do_connect, NULL);
	a = four ? accept4(l, NULL, NULL, SOCK_CLOEXEC) : accept(l, NULL, NULL);
	e = errno;
	if (how == 'h' && !restart)
		check(a == -1 && e == EINTR && handled == 1, name, "returned %d errno %d handled %d",
		      a, e, (int)handled);
	else
		check(a >= 0 && handled == (how == 'h') &&
		      (!four || (fcntl(a, F_GETFD) & FD_CLOEXEC)), name,
		      "returned %d errno %d handled %d", a, e, (int)handled);
	check(reap(c) == 0, name, "the peer failed");
	if (a >= 0)
		close(a);
	close(l);
	unlink(un.sun_path);
}

/* ---- flock: the peer holds the lock, then drops it ---- */

static int lockfd_peer;

static void do_unlock(void *arg)
{
	(void)arg;
	flock(lockfd_peer, LOCK_UN);
}

static void blocking_flock(char how, int restart)
{
	char name[64], path[300], c1;
	int fd, r, e, ready[2];
	pid_t c;

	snprintf(name, sizeof(name), "flock/%s", how_name(how, restart));
	snprintf(path, sizeof(path), "%s/lock", dir);
	set_handler(restart);
	handled = 0;
	if (pipe(ready) < 0)
		return;
	c = fork();
	if (c == 0) {
		lockfd_peer = open(path, O_RDWR | O_CREAT, 0600);
		if (lockfd_peer < 0 || flock(lockfd_peer, LOCK_EX) < 0)
			_exit(85);
		if (write(ready[1], "r", 1) != 1)
			_exit(86);
		peer(how, do_unlock, NULL);
	}
	if (read(ready[0], &c1, 1) != 1) {
		check(0, name, "the peer did not lock");
		return;
	}
	close(ready[0]);
	close(ready[1]);
	fd = open(path, O_RDWR);
	r = flock(fd, LOCK_EX);
	e = errno;
	if (how == 'h' && !restart)
		check(r == -1 && e == EINTR && handled == 1, name, "returned %d errno %d handled %d",
		      r, e, (int)handled);
	else
		check(r == 0 && handled == (how == 'h'), name, "returned %d errno %d handled %d",
		      r, e, (int)handled);
	check(reap(c) == 0, name, "the peer failed");
	close(fd);
}

/* ---- splice from an empty pipe: the peer writes to it ---- */

static int spl_in[2];

static void do_feed(void *arg)
{
	(void)arg;
	if (write(spl_in[1], "spliced", 7) != 7)
		_exit(87);
}

static void blocking_splice(char how, int restart)
{
	char name[64], buf[16];
	int out[2], e;
	ssize_t r;
	pid_t c;

	snprintf(name, sizeof(name), "splice/%s", how_name(how, restart));
	set_handler(restart);
	handled = 0;
	if (pipe(spl_in) < 0 || pipe(out) < 0)
		return;
	c = fork();
	if (c == 0)
		peer(how, do_feed, NULL);
	r = splice(spl_in[0], NULL, out[1], NULL, 64, 0);
	e = errno;
	if (how == 'h' && !restart) {
		check(r == -1 && e == EINTR && handled == 1, name, "returned %zd errno %d handled %d",
		      r, e, (int)handled);
	} else {
		memset(buf, 0, sizeof(buf));
		check(r == 7 && handled == (how == 'h') && read(out[0], buf, sizeof(buf)) == 7 &&
		      !strcmp(buf, "spliced"), name, "returned %zd errno %d handled %d", r, e,
		      (int)handled);
	}
	check(reap(c) == 0, name, "the peer failed");
	close(spl_in[0]);
	close(spl_in[1]);
	close(out[0]);
	close(out[1]);
}

/* ---- signals a call makes due: delivered before it returns ---- */

static void due_signals(void)
{
	sigset_t s, old;
	char c;

	set_handler(1);
	handled = 0;
	check(kill(getpid(), SIGUSR1) == 0 && handled == 1, "kill self: handler ran before return",
	      "handled %d", (int)handled);
	check(read(hpipe[0], &c, 1) == 1, "kill self: handler's byte", "none");
	handled = 0;
	check(syscall(SYS_tgkill, getpid(), gettid(), SIGUSR1) == 0 && handled == 1,
	      "tgkill self: handler ran before return", "handled %d", (int)handled);
	check(read(hpipe[0], &c, 1) == 1, "tgkill self: handler's byte", "none");
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	handled = 0;
	sigprocmask(SIG_BLOCK, &s, &old);
	kill(getpid(), SIGUSR1);
	check(handled == 0, "blocked: not delivered", "handled %d", (int)handled);
	sigpending(&s);
	check(sigismember(&s, SIGUSR1) == 1, "blocked: pending", "not pending");
	check(sigprocmask(SIG_SETMASK, &old, NULL) == 0 && handled == 1,
	      "unblocked: handler ran before sigprocmask returned", "handled %d", (int)handled);
	check(read(hpipe[0], &c, 1) == 1, "unblock: handler's byte", "none");
}

/* ---- error paths and results ---- */

static void fs_calls(void)
{
	char p[300], q[300];
	struct stat st;
	struct statx sx;
	struct statfs sf;
	struct timespec ts[2] = { { 1000, 0 }, { 2000, 0 } }, bad[2] = { { 0, 1000000000 }, { 0, 0 } };
	char dbuf[4096];
	int fd, dfd, ro;
	mode_t m;

	dfd = open(dir, O_RDONLY | O_DIRECTORY);
	CHECK_OK(mkdirat(dfd, "d", 0750), "mkdirat");
	CHECK_ERR(mkdirat(dfd, "d", 0750), EEXIST, "mkdirat: exists");
	CHECK_ERR(mkdirat(-1, "d", 0750), EBADF, "mkdirat: bad fd");
	CHECK_ERR(mkdirat(dfd, BAD_PTR, 0750), EFAULT, "mkdirat: bad path");
	CHECK_ERR(mkdirat(dfd, "nope/d", 0750), ENOENT, "mkdirat: no parent");
	snprintf(p, sizeof(p), "%s/m", dir);
	CHECK_OK(mkdir(p, 0700), "mkdir");
	CHECK_OK(rmdir(p), "rmdir");
	CHECK_ERR(rmdir(p), ENOENT, "rmdir: gone");
	fd = openat(dfd, "f", O_RDWR | O_CREAT, 0644);
	CHECK_OK(fd, "openat");
	CHECK_OK(write(fd, "0123456789", 10), "write");
	CHECK_OK(ftruncate(fd, 4), "ftruncate");
	CHECK_OK(fstat(fd, &st), "fstat");
	check(st.st_size == 4, "ftruncate: size", "size %lld", (long long)st.st_size);
	CHECK_ERR(ftruncate(fd, -1), EINVAL, "ftruncate: negative");
	CHECK_ERR(ftruncate(-1, 0), EBADF, "ftruncate: bad fd");
	ro = openat(dfd, "f", O_RDONLY);
	CHECK_ERR(ftruncate(ro, 0), EINVAL, "ftruncate: read-only fd");
	snprintf(p, sizeof(p), "%s/f", dir);
	CHECK_OK(truncate(p, 2), "truncate");
	CHECK_OK(stat(p, &st), "stat");
	check(st.st_size == 2, "truncate: size", "size %lld", (long long)st.st_size);
	CHECK_ERR(truncate(BAD_PTR, 0), EFAULT, "truncate: bad path");
	CHECK_OK(fsync(fd), "fsync");
	CHECK_OK(fdatasync(fd), "fdatasync");
	CHECK_ERR(fsync(-1), EBADF, "fsync: bad fd");
	CHECK_ERR(fdatasync(12345), EBADF, "fdatasync: bad fd");
	CHECK_OK(fchmod(fd, 0600), "fchmod");
	CHECK_OK(fstat(fd, &st), "fstat after fchmod");
	check((st.st_mode & 07777) == 0600, "fchmod: mode", "mode %o", st.st_mode & 07777);
	CHECK_ERR(fchmod(-1, 0600), EBADF, "fchmod: bad fd");
	CHECK_OK(fchmodat(dfd, "f", 0640, 0), "fchmodat");
	CHECK_OK(stat(p, &st), "stat after fchmodat");
	check((st.st_mode & 07777) == 0640, "fchmodat: mode", "mode %o", st.st_mode & 07777);
	CHECK_ERR(fchmodat(dfd, "nope", 0640, 0), ENOENT, "fchmodat: missing");
	CHECK_ERR(chmod(BAD_PTR, 0600), EFAULT, "chmod: bad path");
	CHECK_OK(fchown(fd, getuid(), getgid()), "fchown: to oneself");
	CHECK_ERR(fchown(-1, 0, 0), EBADF, "fchown: bad fd");
	CHECK_OK(fchownat(dfd, "f", (uid_t)-1, (gid_t)-1, 0), "fchownat: no change");
	CHECK_ERR(fchownat(dfd, "nope", 0, 0, 0), ENOENT, "fchownat: missing");
	CHECK_ERR(fchownat(dfd, "f", 0, 0, 0x12345), EINVAL, "fchownat: bad flags");
	CHECK_OK(utimensat(dfd, "f", ts, 0), "utimensat");
	CHECK_OK(stat(p, &st), "stat after utimensat");
	check(st.st_atime == 1000 && st.st_mtime == 2000, "utimensat: times", "%lld %lld",
	      (long long)st.st_atime, (long long)st.st_mtime);
	CHECK_ERR(utimensat(dfd, "f", bad, 0), EINVAL, "utimensat: bad nsec");
	CHECK_ERR(utimensat(-1, "f", ts, 0), EBADF, "utimensat: bad fd");
	CHECK_ERR(syscall(SYS_utimensat, dfd, "f", BAD_PTR, 0), EFAULT, "utimensat: bad times");
	CHECK_OK(statx(dfd, "f", 0, STATX_SIZE | STATX_MODE, &sx), "statx");
	check(sx.stx_size == 2 && (sx.stx_mode & 07777) == 0640, "statx: fields", "size %llu mode %o",
	      (unsigned long long)sx.stx_size, sx.stx_mode & 07777);
	CHECK_ERR(statx(dfd, "f", 0x40000000, STATX_SIZE, &sx), EINVAL, "statx: bad flags");
	CHECK_ERR(statx(dfd, "f", 0, STATX_SIZE, BAD_PTR), EFAULT, "statx: bad buffer");
	CHECK_ERR(statx(dfd, "f", 0, 0x80000000U, &sx), EINVAL, "statx: reserved mask bit");
	CHECK_OK(fstatfs(fd, &sf), "fstatfs");
	CHECK_ERR(fstatfs(-1, &sf), EBADF, "fstatfs: bad fd");
	CHECK_ERR(fstatfs(fd, BAD_PTR), EFAULT, "fstatfs: bad buffer");
	CHECK_OK(statfs(dir, &sf), "statfs");
	CHECK_ERR(statfs("/nope/nope", &sf), ENOENT, "statfs: missing");
	CHECK_OK(renameat2(dfd, "f", dfd, "g", 0), "renameat2");
	CHECK_ERR(fstatat(dfd, "f", &st, 0), ENOENT, "renameat2: old name gone");
	CHECK_OK(openat(dfd, "h", O_WRONLY | O_CREAT, 0600), "openat h");
	CHECK_ERR(renameat2(dfd, "g", dfd, "h", RENAME_NOREPLACE), EEXIST, "renameat2: noreplace");
	CHECK_ERR(renameat2(dfd, "g", dfd, "h", RENAME_NOREPLACE | RENAME_EXCHANGE), EINVAL,
		  "renameat2: bad flags");
	CHECK_ERR(renameat2(dfd, "nope", dfd, "x", 0), ENOENT, "renameat2: missing");
	CHECK_OK(renameat(dfd, "h", dfd, "i"), "renameat");
	snprintf(q, sizeof(q), "%s/j", dir);
	snprintf(p, sizeof(p), "%s/i", dir);
	CHECK_OK(rename(p, q), "rename");
	CHECK_OK(linkat(dfd, "j", dfd, "k", 0), "linkat");
	CHECK_ERR(linkat(dfd, "j", dfd, "k", 0), EEXIST, "linkat: exists");
	CHECK_OK(symlinkat("j", dfd, "s"), "symlinkat");
	CHECK_OK(mknodat(dfd, "fifo", S_IFIFO | 0600, 0), "mknodat: fifo");
	CHECK_ERR(mknodat(dfd, "fifo", S_IFIFO | 0600, 0), EEXIST, "mknodat: exists");
	CHECK_OK(fchdir(dfd), "fchdir");
	CHECK_OK(chdir("d"), "chdir");
	CHECK_ERR(chdir("nope"), ENOENT, "chdir: missing");
	CHECK_ERR(fchdir(fd), ENOTDIR, "fchdir: not a directory");
	CHECK_OK(chdir("/"), "chdir /");
	CHECK_ERR(syscall(SYS_getdents64, dfd, dbuf, 1), EINVAL, "getdents64: buffer too small");
	CHECK_ERR(syscall(SYS_getdents64, fd, dbuf, sizeof(dbuf)), ENOTDIR, "getdents64: a file");
	CHECK_ERR(syscall(SYS_getdents, -1, dbuf, sizeof(dbuf)), EBADF, "getdents: bad fd");
	CHECK_ERR(syscall(SYS_getdents, dfd, BAD_PTR, sizeof(dbuf)), EFAULT, "getdents: bad buffer");
	{
		long n = syscall(SYS_getdents64, dfd, dbuf, sizeof(dbuf)), names = 0;

		for (long off = 0; n > 0 && off < n;) {
			struct dirent64 *d = (struct dirent64 *)(dbuf + off);

			names += d->d_name[0] != '.';
			off += d->d_reclen;
		}
		check(names == 6, "getdents64: entries", "%ld entries (n %ld)", names, n);
	}
	CHECK_ERR(unlinkat(dfd, "d", 0), EISDIR, "unlinkat: a directory");
	CHECK_OK(unlinkat(dfd, "d", AT_REMOVEDIR), "unlinkat: removedir");
	CHECK_ERR(unlinkat(dfd, "j", 0x1000), EINVAL, "unlinkat: bad flags");
	CHECK_ERR(unlinkat(-1, "j", 0), EBADF, "unlinkat: bad fd");
	for (const char *const *n = (const char *const[]){ "g", "j", "k", "s", "fifo", NULL }; *n; n++)
		CHECK_OK(unlinkat(dfd, *n, 0), "unlinkat");
	CHECK_ERR(unlinkat(dfd, "g", 0), ENOENT, "unlinkat: gone");
	m = umask(027);
	check(umask(m) == 027, "umask: the old value back", "wrong");
	close(fd);
	close(ro);
	close(dfd);
}

static void proc_calls(void)
{
	struct rlimit rl;
	struct sigaction sa;
	sigset_t s;
	int st;

	sigemptyset(&s);
	CHECK_ERR(wait4(-1, &st, WNOHANG, NULL), ECHILD, "wait4: no children");
	CHECK_ERR(wait4(-1, &st, 0x100, NULL), EINVAL, "wait4: bad options");
	CHECK_ERR(waitid(P_ALL, 0, NULL, 0), EINVAL, "waitid: no options");
	CHECK_ERR(kill(getpid(), 12345), EINVAL, "kill: bad signal");
	CHECK_OK(kill(getpid(), 0), "kill: probe");
	CHECK_ERR(sigaction(SIGKILL, &(struct sigaction){ .sa_handler = SIG_IGN }, NULL), EINVAL,
		  "rt_sigaction: SIGKILL");
	CHECK_ERR(syscall(SYS_rt_sigaction, SIGUSR2, NULL, &sa, 4), EINVAL, "rt_sigaction: bad size");
	CHECK_ERR(syscall(SYS_rt_sigprocmask, 99, &s, NULL, 8), EINVAL, "rt_sigprocmask: bad how");
	CHECK_ERR(syscall(SYS_rt_sigprocmask, SIG_BLOCK, BAD_PTR, NULL, 8), EFAULT,
		  "rt_sigprocmask: bad set");
	CHECK_OK(getrlimit(RLIMIT_NOFILE, &rl), "getrlimit");
	CHECK_ERR(getrlimit(RLIMIT_NOFILE, BAD_PTR), EFAULT, "getrlimit: bad buffer");
	CHECK_ERR(prlimit(0, 1000, NULL, &rl), EINVAL, "prlimit64: bad resource");
	CHECK_ERR(setpgid(0, -1), EINVAL, "setpgid: negative");
	check(getpgid(0) == getpgrp(), "getpgid(0) is getpgrp", "differ");
	check(getsid(0) == getsid(getpid()), "getsid(0) is getsid(self)", "differ");
	CHECK_ERR(getpgid(0x3fffffff), ESRCH, "getpgid: no such process");
}

static void sock_calls(void)
{
	struct sockaddr_un a;
	socklen_t len = sizeof(a);
	int sv[2], s, v = 0;

	CHECK_ERR(socket(12345, SOCK_STREAM, 0), EAFNOSUPPORT, "socket: bad family");
	CHECK_ERR(socket(AF_UNIX, 12345, 0), EINVAL, "socket: bad type");
	CHECK_ERR(bind(-1, (struct sockaddr *)&a, sizeof(a)), EBADF, "bind: bad fd");
	CHECK_ERR(listen(0x7fff, 1), EBADF, "listen: bad fd");
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK_OK(s, "socket");
	CHECK_ERR(accept(s, NULL, NULL), EINVAL, "accept: not listening");
	memset(&a, 0, sizeof(a));
	a.sun_family = AF_UNIX;
	snprintf(a.sun_path, sizeof(a.sun_path), "%s/nope", dir);
	CHECK_ERR(connect(s, (struct sockaddr *)&a, sizeof(a)), ENOENT, "connect: no such socket");
	CHECK_ERR(getsockopt(s, 12345, 1, &v, &len), EOPNOTSUPP, "getsockopt: bad level");
	CHECK_ERR(shutdown(s, 99), EINVAL, "shutdown: bad how");
	CHECK_ERR(getpeername(s, (struct sockaddr *)&a, &len), ENOTCONN, "getpeername: not connected");
	close(s);
	CHECK_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), "socketpair");
	CHECK_OK(shutdown(sv[0], SHUT_WR), "shutdown");
	{
		char c;

		check(read(sv[1], &c, 1) == 0, "shutdown: the peer reads EOF", "not EOF");
	}
	CHECK_ERR(syscall(SYS_socketpair, AF_UNIX, SOCK_STREAM, 0, BAD_PTR), EFAULT, "socketpair: bad buffer");
	close(sv[0]);
	close(sv[1]);
}

int main(void)
{
	const char *tmp = t_tmpdir();
	pid_t c;

	t_start();
	if (getpid() == 1)	/* as init in ./linux: the peers read /proc/PID/stat */
		mount("proc", "/proc", "proc", 0, NULL);
	/* In a child: init (pid 1 in ./linux) ignores SIGSTOP. */
	c = fork();
	if (c > 0)
		return reap(c);
	snprintf(dir, sizeof(dir), "%s/notif_calls.%d", tmp, (int)getpid());
	if (mkdir(dir, 0700) < 0 || pipe(hpipe) < 0) {
		printf("setup failed: %s\n", strerror(errno));
		return 1;
	}
	fs_calls();
	proc_calls();
	sock_calls();
	due_signals();
	for (int w = 0; w < 2; w++) {
		blocking_wait(w, 'h', 1);
		blocking_wait(w, 'h', 0);
		blocking_wait(w, 's', 1);
	}
	for (int f = 0; f < 2; f++) {
		blocking_accept(f, 'h', 1);
		blocking_accept(f, 'h', 0);
		blocking_accept(f, 's', 1);
	}
	blocking_flock('h', 1);
	blocking_flock('h', 0);
	blocking_flock('s', 1);
	blocking_splice('h', 1);
	blocking_splice('h', 0);
	blocking_splice('s', 1);
	{
		char p[300];

		snprintf(p, sizeof(p), "%s/lock", dir);
		unlink(p);
	}
	rmdir(dir);
	return t_done();
}
