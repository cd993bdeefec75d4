/*
 * fs_appendrace.c - O_APPEND between processes: four writers, each with
 * its own open file, append 300 records of 64 bytes at once; the file
 * ends with every record whole (none torn, none overwriting another),
 * each writer's in its own order, and the size the sum.  Writers sharing
 * one O_APPEND file description after fork do the same.  Without
 * O_APPEND, writers each at their own offset 0 overwrite one another.
 */
#include "t.h"
#include "fs.h"
#include <sched.h>
#include <sys/wait.h>

#define WRITERS	4
#define RECS	300
#define RECLEN	64

static void record(char *r, int w, int i)
{
	memset(r, 'a' + w, RECLEN);
	snprintf(r, RECLEN, "%d:%05d:", w, i);
	r[strlen(r)] = 'a' + w;
	r[RECLEN - 1] = '\n';
}

/* Writer w: RECS records to fd (or a new open of name, flags). */
static void writer(int w, int fd, const char *name, int flags)
{
	char r[RECLEN];

	if (fd < 0)
		fd = open(name, flags);
	if (fd < 0)
		_exit(2);
	for (int i = 0; i < RECS; i++) {
		record(r, w, i);
		if (write(fd, r, RECLEN) != RECLEN)
			_exit(3);
		if (i % 50 == 0)
			sched_yield();
	}
	_exit(0);
}

/* Starts the writers and waits: how many failed. */
static int run(int fd, const char *name, int flags)
{
	int bad = 0, st;

	for (int w = 0; w < WRITERS; w++)
		if (fork() == 0)
			writer(w, fd, name, flags);
	for (int w = 0; w < WRITERS; w++)
		if (wait(&st) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
			bad++;
	return bad;
}

/* Every record whole and each writer's in order: 0, or the bad record's index + 1. */
static long verify(const char *name, long *size)
{
	int next[WRITERS] = { 0 };
	char r[RECLEN], want[RECLEN];
	int fd = open(name, O_RDONLY);
	long n = 0;

	*size = fs_size(name);
	if (fd < 0)
		return -1;
	while (read(fd, r, RECLEN) == RECLEN) {
		int w = r[0] - '0';

		n++;
		if (w < 0 || w >= WRITERS)
			return n;
		record(want, w, next[w]);
		if (memcmp(r, want, RECLEN) != 0)
			return n;
		next[w]++;
	}
	close(fd);
	for (int w = 0; w < WRITERS; w++)
		if (next[w] != RECS)
			return 100000 + w;
	return 0;
}

int main(void)
{
	long size, bad;
	int fd;

	t_start();
	fs_scratch("fs_appendrace");
	CHECK_OK(fs_put("own", ""), "create");
	check(run(-1, "own", O_WRONLY | O_APPEND) == 0, "four writers, each its own O_APPEND open", "-");
	bad = verify("own", &size);
	check(bad == 0, "every record whole, each writer's in order", "record %ld", bad);
	check(size == (long)WRITERS * RECS * RECLEN, "size: the sum of the writes", "%ld", size);

	fd = open("shared", O_WRONLY | O_APPEND | O_CREAT | O_TRUNC, 0644);
	CHECK_OK(fd, "create shared");
	check(run(fd, NULL, 0) == 0, "four writers sharing one O_APPEND description", "-");
	close(fd);
	bad = verify("shared", &size);
	check(bad == 0, "shared: every record whole, in order", "record %ld", bad);
	check(size == (long)WRITERS * RECS * RECLEN, "shared: size the sum", "%ld", size);

	CHECK_OK(fs_put("plain", ""), "create plain");
	check(run(-1, "plain", O_WRONLY) == 0, "four writers without O_APPEND", "-");
	size = fs_size("plain");
	check(size == (long)RECS * RECLEN, "without O_APPEND they overwrite: one writer's size",
	      "%ld", size);
	return t_done();
}
