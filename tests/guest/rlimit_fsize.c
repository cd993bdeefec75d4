/*
 * rlimit_fsize.c - RLIMIT_FSIZE: a write crossing the limit is cut short
 * at it, one at the limit is EFBIG with SIGXFSZ (SI_USER, from the process
 * itself); pwrite past it EFBIG; truncate growing past it EFBIG + SIGXFSZ,
 * shrinking fine; pipes are not files (no limit); the limit is the
 * process's (set by a thread); with SIGXFSZ's default action the writer
 * dies of it.
 */
#include "t.h"
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

/* Large enough for this program's own output when stdout is a file. */
#define LIM (1 << 20)

static volatile sig_atomic_t xfsz, code = -1, from = -1;

static void on_xfsz(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	xfsz++;
	code = si->si_code;
	from = si->si_pid == getpid();
}

static void *limit10(void *arg)
{
	struct rlimit r = { LIM, RLIM_INFINITY };

	setrlimit(RLIMIT_FSIZE, &r);
	return arg;
}

int main(void)
{
	struct sigaction sa;
	char path[256], buf[32];
	int fd, p[2], st;
	pthread_t th;

	t_start();
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_xfsz;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGXFSZ, &sa, NULL);
	t_path(path, sizeof(path), "fsize");
	fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0600);
	pthread_create(&th, NULL, limit10, NULL);
	pthread_join(th, NULL);

	lseek(fd, LIM - 10, SEEK_SET);
	check(write(fd, "0123456789abcdef", 16) == 10, "a write crossing the limit stops at it", "other");
	check(xfsz == 0, "no SIGXFSZ for a short write", "got one");
	CHECK_ERR(write(fd, "x", 1), EFBIG, "a write at the limit: EFBIG");
	check(xfsz == 1 && code == SI_USER && from == 1, "with SIGXFSZ, SI_USER from itself", "%d code %d from %d",
	      (int)xfsz, (int)code, (int)from);
	CHECK_ERR(pwrite(fd, "y", 1, LIM + 100), EFBIG, "pwrite past the limit: EFBIG");
	check(pwrite(fd, "yy", 2, LIM - 1) == 1, "pwrite crossing it: cut short", "other");
	CHECK_ERR(ftruncate(fd, LIM + 1), EFBIG, "ftruncate growing past it: EFBIG");
	check(xfsz == 3, "SIGXFSZ each time", "%d", (int)xfsz);
	CHECK_OK(ftruncate(fd, LIM), "ftruncate to the limit");
	CHECK_OK(ftruncate(fd, 4), "ftruncate shrinking");
	CHECK_ERR(truncate(path, LIM + 50), EFBIG, "truncate growing past it: EFBIG");
	pipe(p);
	check(write(p[1], "0123456789abcdef", 16) == 16, "pipes have no size limit", "short");
	read(p[0], buf, sizeof(buf));
	close(fd);

	pid_t pid = fork();
	if (pid == 0) {
		signal(SIGXFSZ, SIG_DFL);
		fd = open(path, O_WRONLY | O_APPEND);
		lseek(fd, 0, SEEK_END);
		ftruncate(fd, LIM);
		write(fd, "z", 1);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	check(WIFSIGNALED(st) && WTERMSIG(st) == SIGXFSZ, "default action: killed by SIGXFSZ", "status %x", st);
	unlink(path);
	return t_failed != 0;
}
