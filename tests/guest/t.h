/*
 * t.h - the tiny test harness shared by the guest programs.
 *
 * Each program prints `ok N name` or `not ok N name: why` per check, in
 * a text that does not depend on pids, addresses or times, so the output
 * of a native run and of a run inside ./linux can be compared line by
 * line.  It exits 0 when every check passed.  stdout is unbuffered so a
 * fork never duplicates pending output.
 */
#ifndef GUEST_T_H
#define GUEST_T_H

#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int t_num, t_failed;

__attribute__((format(printf, 3, 4)))
static void check(int cond, const char *name, const char *fmt, ...)
{
	va_list ap;

	t_num++;
	if (cond) {
		printf("ok %d %s\n", t_num, name);
		return;
	}
	t_failed++;
	printf("not ok %d %s: ", t_num, name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* A check that cannot run here (a CPU feature missing): `skip N name: why`,
 * which tests/guest/run reports as a SKIP line that the summary counts. */
__attribute__((unused)) static void skip(const char *name, const char *why)
{
	printf("skip %d %s: %s\n", ++t_num, name, why);
}

/* A syscall result: expect success (>= 0). */
#define CHECK_OK(expr, name) do { long r_ = (long)(expr); int e_ = errno; \
	check(r_ >= 0, name, "%s returned %ld errno %d (%s)", #expr, r_, e_, strerror(e_)); \
	} while (0)
/* A syscall result: expect -1 with errno E. */
#define CHECK_ERR(expr, E, name) do { errno = 0; long r_ = (long)(expr); int e_ = errno; \
	check(r_ == -1 && e_ == (E), name, "%s returned %ld errno %d (%s), want %s", \
	      #expr, r_, e_, strerror(e_), #E); } while (0)

static void t_start(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
}

static int t_done(void)
{
	printf("%s: %d checks, %d failed\n", t_failed ? "FAILED" : "PASSED", t_num, t_failed);
	return t_failed ? 1 : 0;
}

/* A scratch folder: $TMPDIR (the native runner sets it) or /tmp. */
static const char *t_tmpdir(void)
{
	const char *d = getenv("TMPDIR");

	return d && *d ? d : "/tmp";
}

__attribute__((unused)) static void t_path(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", t_tmpdir(), name);
}

#endif
