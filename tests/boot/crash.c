/*
 * crash.c - a guest program that dies on purpose, for the exit-status
 * tests: `crash segv` writes to NULL (status 128+11 from ./linux when it
 * is init), `crash exit N` exits with N, `crash hog MB [MARKER]` touches
 * MB MiB of fresh memory (for the OOM tests), then with MARKER creates
 * that file and waits to be killed.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/*
 * A mebibyte at a time: one mapping larger than memory is refused at
 * mmap by the overcommit heuristic (vm.overcommit_memory 0), as on Linux.
 */
static int hog(long mb, const char *marker)
{
	for (long m = 0; m < mb; m++) {
		char *p = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			       -1, 0);

		if (p == MAP_FAILED)
			return 2;
		for (long i = 0; i < 1 << 20; i += 4096)
			p[i] = 1;
	}
	if (marker) {
		close(open(marker, O_CREAT | O_WRONLY, 0644));
		for (;;)
			pause();
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "segv"))
		*(volatile int *)0 = 1;
	if (argc > 2 && !strcmp(argv[1], "hog"))
		return hog(atol(argv[2]), argc > 3 ? argv[3] : NULL);
	if (argc > 2 && !strcmp(argv[1], "exit"))
		return atoi(argv[2]);
	return 0;
}
