/*
 * fs_txtbsy.c - ETXTBSY: a program file that a process runs cannot be
 * opened for writing, truncated (truncate(2), O_TRUNC, even with
 * O_RDONLY) while any address space runs it, including a fork of the one
 * that exec'd it; a file open for writing cannot be exec'd.  Reading,
 * renaming and unlinking it stay allowed, and once the last process
 * running it is gone it is writable again.  (A fuzzed child of init that
 * truncated init's own program made init's next page-in a SIGBUS.)
 */
#include "t.h"
#include "fs.h"
#include <signal.h>
#include <sys/mount.h>
#include <sys/wait.h>

/* "hold R W": signal on W that we run, then wait for R to close. */
static int hold(char **argv, int fork_first)
{
	int r = atoi(argv[2]), w = atoi(argv[3]);
	char c;

	if (fork_first) {
		/* The exec'ing process goes; its fork keeps the program busy. */
		pid_t p = fork();

		if (p < 0)
			return 1;
		if (p > 0)
			return 0;
	}
	if (write(w, "x", 1) != 1)
		return 1;
	close(w);
	while (read(r, &c, 1) > 0)
		;
	return 0;
}

/* Copies our own program to name (mode 0755): 0 or -1. */
static int copy_self(const char *name)
{
	char buf[65536];
	int in = open("/proc/self/exe", O_RDONLY), out;
	ssize_t n;

	if (in < 0)
		return -1;
	out = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	if (out < 0)
		return -1;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n)
			return -1;
	close(in);
	close(out);
	return n == 0 ? 0 : -1;
}

/* Starts ./prog hold (forking first if fork_first) and waits until it
 * runs: the pid of the process that exec'd, *release the fd to close. */
static pid_t start_hold(int fork_first, int *release)
{
	int go[2], ready[2];
	char rs[16], ws[16];
	pid_t p;
	char c;

	if (pipe(go) || pipe(ready))
		return -1;
	snprintf(rs, sizeof(rs), "%d", go[0]);
	snprintf(ws, sizeof(ws), "%d", ready[1]);
	p = fork();
	if (p == 0) {
		close(go[1]);
		close(ready[0]);
		execl("./prog", "prog", fork_first ? "holdfork" : "hold", rs, ws, (char *)NULL);
		_exit(127);
	}
	close(go[0]);
	close(ready[1]);
	if (p < 0 || read(ready[0], &c, 1) != 1)
		p = -1;
	close(ready[0]);
	*release = go[1];
	return p;
}

/* Exec's ./prog true in a child: its exit status, or the exec's errno + 100. */
static int try_exec(void)
{
	pid_t p = fork();
	int st;

	if (p == 0) {
		execl("./prog", "prog", "true", (char *)NULL);
		_exit(100 + errno);
	}
	if (p < 0 || waitpid(p, &st, 0) != p || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static void busy_checks(const char *when)
{
	char name[128];
	int fd;

	snprintf(name, sizeof(name), "%s: open O_WRONLY", when);
	CHECK_ERR(open("prog", O_WRONLY), ETXTBSY, name);
	snprintf(name, sizeof(name), "%s: open O_RDWR", when);
	CHECK_ERR(open("prog", O_RDWR), ETXTBSY, name);
	snprintf(name, sizeof(name), "%s: open O_RDONLY|O_TRUNC", when);
	CHECK_ERR(open("prog", O_RDONLY | O_TRUNC), ETXTBSY, name);
	snprintf(name, sizeof(name), "%s: creat", when);
	CHECK_ERR(creat("prog", 0755), ETXTBSY, name);
	snprintf(name, sizeof(name), "%s: truncate", when);
	CHECK_ERR(truncate("prog", 0), ETXTBSY, name);
	snprintf(name, sizeof(name), "%s: open O_RDONLY", when);
	fd = open("prog", O_RDONLY);
	check(fd >= 0, name, "errno %d", errno);
	close(fd);
	snprintf(name, sizeof(name), "%s: size kept", when);
	check(fs_size("prog") > 4096, name, "size %ld", fs_size("prog"));
}

int main(int argc, char **argv)
{
	int release, fd, st;
	pid_t p;

	if (argc == 4 && !strcmp(argv[1], "hold"))
		return hold(argv, 0);
	if (argc == 4 && !strcmp(argv[1], "holdfork"))
		return hold(argv, 1);
	if (argc == 2 && !strcmp(argv[1], "true"))
		return 0;
	t_start();
	if (getpid() == 1)	/* init inside ./linux: nothing mounted yet */
		mount("proc", "/proc", "proc", 0, NULL);
	fs_scratch("fs_txtbsy");
	if (copy_self("prog") < 0) {
		printf("not ok 0 copy of the program: %s\n", strerror(errno));
		return 1;
	}

	/* Our own program, through /proc/self/exe. */
	CHECK_ERR(open("/proc/self/exe", O_WRONLY), ETXTBSY, "own program: open O_WRONLY");
	CHECK_ERR(truncate("/proc/self/exe", 0), ETXTBSY, "own program: truncate");

	/* Not running: writable. */
	fd = open("prog", O_WRONLY);
	check(fd >= 0, "idle: open O_WRONLY", "errno %d", errno);
	/* Open for writing: the exec fails. */
	check(try_exec() == 100 + ETXTBSY, "exec while open for writing: ETXTBSY",
	      "status %d", try_exec());
	close(fd);
	check(try_exec() == 0, "exec once closed", "status %d", try_exec());

	/* Running: every write access is refused. */
	p = start_hold(0, &release);
	check(p > 0, "hold started", "failed");
	busy_checks("running");
	fd = open("prog", O_RDONLY);
	check(fd >= 0 && try_exec() == 0, "exec while running (a reader)", "failed");
	close(fd);
	close(release);
	check(waitpid(p, &st, 0) == p && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "hold exits", "status %#x", st);

	/* Gone: writable again (wait reaped it, so its mm is released). */
	fd = open("prog", O_WRONLY);
	check(fd >= 0, "after exit: open O_WRONLY", "errno %d", errno);
	close(fd);

	/* A fork of the process that exec'd it keeps it busy. */
	p = start_hold(1, &release);
	check(p > 0 && waitpid(p, &st, 0) == p && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "holdfork's parent exits", "failed");
	busy_checks("its fork running");
	close(release);
	/* The fork is not our child (unless we are init, then it is once
	 * orphaned): wait until it lets go. */
	for (int i = 0; i < 20000; i++) {
		fd = open("prog", O_WRONLY);
		if (fd >= 0 || errno != ETXTBSY)
			break;
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		usleep(1000);
	}
	check(fd >= 0, "after the fork exits: open O_WRONLY", "errno %d", errno);
	close(fd);

	/* Rename and unlink are allowed. */
	p = start_hold(0, &release);
	CHECK_OK(rename("prog", "prog2"), "running: rename");
	CHECK_ERR(open("prog2", O_WRONLY), ETXTBSY, "renamed: open O_WRONLY");
	CHECK_OK(unlink("prog2"), "running: unlink");
	close(release);
	waitpid(p, &st, 0);
	return t_done();
}
