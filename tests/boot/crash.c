/*
 * crash.c - a guest program that dies on purpose, for the exit-status
 * tests: `crash segv` writes to NULL (status 128+11 from ./linux when it
 * is init), `crash exit N` exits with N.
 */
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "segv"))
		*(volatile int *)0 = 1;
	if (argc > 2 && !strcmp(argv[1], "exit"))
		return atoi(argv[2]);
	return 0;
}
