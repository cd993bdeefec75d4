/* unit-sources: drivers/mconsole/protocol.c kernel/lib.c */
/*
 * test_mconsole.c - the request checks of UML's mconsole protocol
 * (mconsole_parse): a good version-2 request, a bad magic (a version 0
 * client), another version, lengths too large or beyond the datagram,
 * a NUL inside, a datagram shorter than the header.
 */
#include "kernel/kernel.h"
#include "shared/mconsole.h"
#include "../../drivers/mconsole/mconsole.h"

int printf(const char *fmt, ...);
char *strstr(const char *h, const char *n);
void *malloc(size_t n);
void free(void *p);
void *kmalloc(size_t n) { return malloc(n); }
void kfree(const void *p) { free((void *)p); }

static int failures, count;

static void check(int ok, const char *what)
{
	count++;
	if (!ok) {
		failures++;
		printf("not ok %d %s\n", count, what);
	} else {
		printf("ok %d %s\n", count, what);
	}
}

static size_t make(struct mconsole_request *r, const char *cmd)
{
	memset(r, 0, sizeof(*r));
	r->magic = MCONSOLE_MAGIC;
	r->version = MCONSOLE_VERSION;
	r->len = (u32)strlen(cmd);
	memcpy(r->data, cmd, r->len);
	return sizeof(*r);
}

int main(void)
{
	struct mconsole_request r;
	char cmd[MCONSOLE_MAX_DATA];
	const char *e;
	size_t n;

	n = make(&r, "proc meminfo");
	e = mconsole_parse(&r, n, cmd);
	check(e == NULL && !strcmp(cmd, "proc meminfo"), "a version 2 request");
	n = make(&r, "version");
	e = mconsole_parse(&r, offsetof(struct mconsole_request, data) + 7, cmd);
	check(e == NULL && !strcmp(cmd, "version"), "a datagram just long enough");
	e = mconsole_parse(&r, offsetof(struct mconsole_request, data) + 6, cmd);
	check(e != NULL && cmd[0] == '\0', "a length beyond the datagram");
	r.magic = 0x12345678;
	e = mconsole_parse(&r, n, cmd);
	check(e != NULL && strstr(e, "Version 0"), "another magic: a version 0 client");
	make(&r, "version");
	r.version = 3;
	check(mconsole_parse(&r, n, cmd) != NULL, "version 3 refused");
	make(&r, "version");
	r.len = MCONSOLE_MAX_DATA;
	check(mconsole_parse(&r, n, cmd) != NULL, "length MCONSOLE_MAX_DATA refused");
	r.len = 0xffffffffu;
	check(mconsole_parse(&r, n, cmd) != NULL, "a huge length refused");
	make(&r, "ver");
	r.len = 7;		/* "ver\0\0\0\0" */
	check(mconsole_parse(&r, n, cmd) != NULL, "a NUL inside refused");
	check(mconsole_parse(&r, 8, cmd) != NULL, "shorter than the header");
	make(&r, "");
	check(mconsole_parse(&r, n, cmd) == NULL && cmd[0] == '\0', "an empty command parses");
	printf("%d tests, %d failures\n", count, failures);
	return failures != 0;
}
