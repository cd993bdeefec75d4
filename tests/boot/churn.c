/*
 * churn.c - the long-running workload of the boot test `longrun`:
 * ROUNDS times, fork a child that execs this program again ("child"
 * mode), which maps anonymous memory, grows it with mremap, maps a file
 * privately, writes into all of it, unmaps it and reports through a pipe
 * before exiting; the parent reads the report and reaps the child.
 * Prints "churn: N rounds ok" and exits 0 when every round worked.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static int child(int fd)
{
	size_t len = 64 * 1024, big = 256 * 1024;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *q, *f;
	int file;

	if (p == MAP_FAILED)
		return 10;
	memset(p, 1, len);
	q = mremap(p, len, big, MREMAP_MAYMOVE);
	if (q == MAP_FAILED)
		return 11;
	memset(q + len, 2, big - len);
	if (q[0] != 1 || q[big - 1] != 2)
		return 12;
	file = open("/proc/self/exe", O_RDONLY);
	if (file < 0)
		return 13;
	f = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE, file, 0);
	close(file);
	if (f == MAP_FAILED || memcmp(f, "\177ELF", 4) != 0)
		return 14;
	f[100] = 'x';			/* a private copy of a cached page */
	if (munmap(f, 8192) || munmap(q, big))
		return 15;
	return write(fd, "k", 1) == 1 ? 0 : 16;
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 2000;

	if (argc > 2 && strcmp(argv[1], "child") == 0)
		return child(atoi(argv[2]));
	for (int i = 0; i < rounds; i++) {
		int pfd[2], st;
		char c = 0, fdarg[16];
		pid_t pid;

		if (pipe(pfd)) {
			printf("churn: round %d: pipe failed\n", i);
			return 1;
		}
		pid = fork();
		if (pid < 0) {
			printf("churn: round %d: fork failed\n", i);
			return 1;
		}
		if (pid == 0) {
			close(pfd[0]);
			snprintf(fdarg, sizeof(fdarg), "%d", pfd[1]);
			execl("/proc/self/exe", argv[0], "child", fdarg, (char *)NULL);
			_exit(20);
		}
		close(pfd[1]);
		if (read(pfd[0], &c, 1) != 1 || c != 'k') {
			waitpid(pid, &st, 0);
			printf("churn: round %d: no report, child status %#x\n", i, st);
			return 1;
		}
		close(pfd[0]);
		if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			printf("churn: round %d: child status %#x\n", i, st);
			return 1;
		}
	}
	printf("churn: %d rounds ok\n", rounds);
	return 0;
}
