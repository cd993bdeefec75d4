/*
 * mapsum.c - maps each file named on the command line read-only, sums
 * its bytes and prints "NAME SUM": exercises the page cache, and with
 * files larger than the machine's memory its reclaim.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		int fd = open(argv[i], O_RDONLY);
		struct stat st;
		unsigned long sum = 0;
		unsigned char *p;

		if (fd < 0 || fstat(fd, &st) < 0) {
			perror(argv[i]);
			return 1;
		}
		p = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (p == MAP_FAILED) {
			perror("mmap");
			return 1;
		}
		for (off_t j = 0; j < st.st_size; j++)
			sum += p[j];
		printf("%s %lu\n", argv[i], sum);
		munmap(p, st.st_size);
		close(fd);
	}
	return 0;
}
