/*
 * check.h - the check helper the hostile-guest programs share: one line
 * `ok NAME` or `not ok NAME: why` per check, and a last line
 * `PASSED|FAILED: N checks, N failed` that tests/security/run reads.
 */
#ifndef SECURITY_CHECK_H
#define SECURITY_CHECK_H

#include <stdarg.h>
#include <stdio.h>

static int failed, nchecks;

__attribute__((format(printf, 3, 4)))
static void check(int cond, const char *name, const char *fmt, ...)
{
	va_list ap;

	nchecks++;
	if (cond) {
		printf("ok %s\n", name);
		return;
	}
	failed++;
	printf("not ok %s: ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* The last line; the exit status of main. */
static int checks_done(void)
{
	printf("%s: %d checks, %d failed\n", failed ? "FAILED" : "PASSED", nchecks, failed);
	return failed != 0;
}

#endif
