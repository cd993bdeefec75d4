/*
 * dynamic.c - a dynamically linked program (PT_INTERP: ld.so and libc.so
 * from the host, copied into the image): loading, relocation, TLS, malloc
 * and stdio through the shared libc.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static __thread int tls_counter = 40;

int main(int argc, char **argv)
{
	char *s = malloc(64);

	tls_counter += 2;
	snprintf(s, 64, "dynamic %s %d", argc > 1 ? argv[1] : "-", tls_counter);
	puts(s);
	free(s);
	return strcmp(getenv("DYNTEST") ? getenv("DYNTEST") : "", "yes") ? 1 : 5;
}
