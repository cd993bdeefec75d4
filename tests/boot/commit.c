/*
 * commit.c - asks for MB megabytes of memory one way and says what the
 * kernel answered, never touching the memory (overcommit accounting:
 * only what is committed is at stake):
 *     commit MB mmap|noreserve|readonly|mprotect|brk|measure
 * mmap: private writable anonymous; noreserve: the same with
 * MAP_NORESERVE; readonly: PROT_READ (not committed); mprotect: PROT_READ
 * then made writable; brk: the heap grown by sbrk; measure: mmap, then
 * prints how much Committed_AS grew, in kB.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static long committed_kb(void)
{
	char line[128];
	long v = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	while (f != NULL && fgets(line, sizeof(line), f))
		if (sscanf(line, "Committed_AS: %ld kB", &v) == 1)
			break;
	if (f != NULL)
		fclose(f);
	return v;
}

int main(int argc, char **argv)
{
	size_t len;
	void *p;

	if (argc != 3)
		return 2;
	len = strtoul(argv[1], NULL, 10) << 20;
	if (!strcmp(argv[2], "brk")) {
		p = sbrk((intptr_t)len);
		printf("brk %s\n", p == (void *)-1 ? strerror(errno) : "ok");
		return 0;
	}
	if (!strcmp(argv[2], "measure")) {
		long before = committed_kb(), after;

		p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		after = committed_kb();
		printf("measure %s grew %ld\n", p == MAP_FAILED ? strerror(errno) : "ok", after - before);
		return 0;
	}
	p = mmap(NULL, len, !strcmp(argv[2], "readonly") || !strcmp(argv[2], "mprotect") ?
		 PROT_READ : PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | (!strcmp(argv[2], "noreserve") ? MAP_NORESERVE : 0),
		 -1, 0);
	if (p != MAP_FAILED && !strcmp(argv[2], "mprotect") &&
	    mprotect(p, len, PROT_READ | PROT_WRITE) < 0) {
		printf("mprotect %s\n", strerror(errno));
		return 0;
	}
	printf("%s %s\n", argv[2], p == MAP_FAILED ? strerror(errno) : "ok");
	return 0;
}
