/*
 * freeze.c - a host program that plays a host too busy to run a guest
 * thread: it finds the stub of the ./linux whose command line names
 * MARK, holds the stub's guest thread in a ptrace stop for SECS seconds
 * (PTRACE_SEIZE + PTRACE_INTERRUPT, the thread alone: the kernel traces
 * the stub's other thread), then lets it go with any signal it stopped
 * for.  The kernel's preemption signal stays unanswered meanwhile, as on
 * a loaded host; the guest must not be killed for it.
 *
 * Usage: freeze MARK SECS      exit 0 once it held a thread that long,
 *                              2 if it found none, 3 if it cannot trace
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

static int read_file(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return -1;
	n = fread(buf, 1, len - 1, f);
	fclose(f);
	buf[n] = 0;
	return (int)n;
}

/* Whether pid's command line has an argument containing mark. */
static int cmdline_has(int pid, const char *mark)
{
	char path[64], buf[8192];
	int n;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	n = read_file(path, buf, sizeof(buf));
	for (int i = 0; i < n; i += (int)strlen(buf + i) + 1)
		if (strstr(buf + i, mark))
			return 1;
	return 0;
}

/* Its TracerPid (the kernel traces a stub's mm thread), or -1. */
static int tracer_of(int pid)
{
	char path[64], buf[4096], *p;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	if (read_file(path, buf, sizeof(buf)) <= 0 || !(p = strstr(buf, "\nTracerPid:")))
		return -1;
	return atoi(p + 11);
}

static int ppid_of(int pid)
{
	char path[64], buf[1024], *p;
	int pp;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (read_file(path, buf, sizeof(buf)) <= 0 || !(p = strrchr(buf, ')')))
		return -1;
	return sscanf(p + 1, " %*c %d", &pp) == 1 ? pp : -1;
}

/* A stub of that ./linux (its child and tracee) with two threads: its
 * guest thread's tid, or 0. */
static int find_guest_thread(const char *mark)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int found = 0;

	while (d && !found && (e = readdir(d))) {
		int pid = atoi(e->d_name), pp, tid = 0, n = 0;
		char path[64];
		DIR *t;
		struct dirent *te;

		if (pid <= 0 || (pp = ppid_of(pid)) <= 0 || tracer_of(pid) != pp ||
		    !cmdline_has(pp, mark))
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task", pid);
		if (!(t = opendir(path)))
			continue;
		while ((te = readdir(t))) {
			int x = atoi(te->d_name);

			if (x > 0) {
				n++;
				if (x != pid)
					tid = x;
			}
		}
		closedir(t);
		if (n == 2)
			found = tid;
	}
	if (d)
		closedir(d);
	return found;
}

int main(int argc, char **argv)
{
	int tid = 0, st, sig = 0;
	unsigned secs;

	if (argc != 3)
		return 2;
	secs = (unsigned)atoi(argv[2]);
	for (int i = 0; i < 600 && !tid; i++) {
		tid = find_guest_thread(argv[1]);
		if (!tid)
			usleep(50000);
	}
	if (!tid) {
		fprintf(stderr, "freeze: no stub of %s\n", argv[1]);
		return 2;
	}
	sleep(1);		/* the guest computes by now */
	if (ptrace(PTRACE_SEIZE, tid, 0, 0) < 0 || ptrace(PTRACE_INTERRUPT, tid, 0, 0) < 0) {
		fprintf(stderr, "freeze: cannot trace %d: %s\n", tid, strerror(errno));
		return 3;
	}
	if (waitpid(tid, &st, __WALL) != tid || !WIFSTOPPED(st)) {
		fprintf(stderr, "freeze: thread %d did not stop (%#x)\n", tid, st);
		return 2;
	}
	if ((st >> 16) == 0 && WSTOPSIG(st) != SIGTRAP)
		sig = WSTOPSIG(st);	/* a signal-delivery stop: passed on at the end */
	printf("freeze: holding thread %d for %u s\n", tid, secs);
	fflush(stdout);
	sleep(secs);
	if (ptrace(PTRACE_DETACH, tid, 0, (void *)(long)sig) < 0) {
		fprintf(stderr, "freeze: detach %d: %s\n", tid, strerror(errno));
		return 2;
	}
	printf("freeze: released thread %d\n", tid);
	return 0;
}
