/*
 * ids.c - what a program runs as: its real, effective and saved uids,
 * AT_SECURE, and whether the dynamic loader left LD_LIBRARY_PATH in its
 * environment (glibc's ld.so drops it when AT_SECURE is 1).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <unistd.h>

int main(void)
{
	uid_t r, e, s;

	if (getresuid(&r, &e, &s) != 0)
		return 1;
	printf("uid %u %u %u secure %lu LD_LIBRARY_PATH %s\n", r, e, s, getauxval(AT_SECURE),
	       getenv("LD_LIBRARY_PATH") ? "kept" : "dropped");
	return 0;
}
