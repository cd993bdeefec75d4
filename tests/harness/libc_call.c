/*
 * libc_call.c - a kernel-side file that calls a libc routine (strdup),
 * compiled like kernel code by `make boundary-probe`, which must refuse
 * to link it: tests/harness/run checks that the build fails and names it.
 */
#include <kernel/string.h>

char *strdup(const char *s);

char *boundary_probe_dup(const char *s)
{
	return strdup(s);
}
