/*
 * uaddr_misuse.c - kernel code that misuses guest addresses.  Each PROBE
 * must fail to compile (tests/harness/run builds it once per PROBE with
 * `make uaddr-probe PROBE=N` and expects a type error): a guest address is
 * a uaddr_t, never an integer or a kernel pointer.
 */
#include "kernel/types.h"
#include "kernel/mm.h"
#include "kernel/syscalls.h"

long probe(const long *a);
long probe(const long *a)
{
	char buf[16];
#if PROBE == 1
	/* A raw syscall word passed where a guest address belongs. */
	return copy_from_user(buf, a[1], sizeof(buf));
#elif PROBE == 2
	/* A kernel pointer passed where a guest address belongs. */
	return copy_to_user(buf, "x", 1);
#elif PROBE == 3
	/* Unchecked arithmetic on a guest address. */
	uaddr_t p = UADDR(a[1]);
	return copy_from_user(buf, p + 8, sizeof(buf));
#elif PROBE == 4
	/* An integer assigned to a guest address. */
	uaddr_t p = a[1];
	return copy_from_user(buf, p, sizeof(buf));
#elif PROBE == 5
	/* A guest address used as a truth value. */
	uaddr_t p = UADDR(a[1]);
	return p ? copy_from_user(buf, p, sizeof(buf)) : 0;
#else
	/* The control: the right way compiles. */
	uaddr_t p = UADDR(a[1]);
	return uaddr_is_null(p) ? 0 : copy_from_user(buf, uaddr_off(p, 8), sizeof(buf));
#endif
}
