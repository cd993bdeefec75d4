/*
 * fs_seekdir.c - reading directories: telldir/seekdir return to the same
 * entry, rewinddir starts over, every name seen once, lseek to a
 * getdents64 d_off resumes there; getdents64 with a buffer too small for
 * one entry (EINVAL), on a file (ENOTDIR), a bad fd or bad buffer.
 */
#include "t.h"
#include "fs.h"
#include <dirent.h>
#include <sys/syscall.h>

#define N 60

int main(void)
{
	char name[32], seen[N] = { 0 }, buf[4096], after[256];
	struct dirent *de;
	long pos = -1;
	int i, count = 0, dups = 0, fd;
	DIR *d;

	t_start();
	fs_scratch("fs_seekdir");
	mkdir("d", 0755);
	for (i = 0; i < N; i++) {
		snprintf(name, sizeof(name), "d/file%02d", i);
		fs_put(name, "x");
	}
	d = opendir("d");
	check(d != NULL, "opendir", "errno %d", errno);
	after[0] = 0;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		i = atoi(de->d_name + 4);
		if (i >= 0 && i < N) {
			dups += seen[i]++;
			count++;
		}
		if (count == 20) {
			pos = telldir(d);
			de = readdir(d);
			if (de) {
				snprintf(after, sizeof(after), "%s", de->d_name);
				i = atoi(de->d_name + 4);
				if (de->d_name[0] != '.' && i >= 0 && i < N) {
					dups += seen[i]++;
					count++;
				}
			}
		}
	}
	check(count == N && dups == 0, "each name once", "count %d dups %d", count, dups);
	seekdir(d, pos);
	de = readdir(d);
	check(de && !strcmp(de->d_name, after), "seekdir returns to the entry", "got %s want %s",
	      de ? de->d_name : "(end)", after);
	rewinddir(d);
	count = 0;
	while ((de = readdir(d)) != NULL)
		count++;
	check(count == N + 2, "rewinddir reads all again", "count %d", count);
	closedir(d);
	fd = open("d", O_RDONLY | O_DIRECTORY);
	{
		long n = syscall(SYS_getdents64, fd, buf, 200);
		struct { unsigned long long ino; long long off; unsigned short reclen; unsigned char type; char name[]; } *e;
		char first_after[256];

		check(n > 0, "getdents64 small buffer", "n %ld errno %d", n, errno);
		e = (void *)buf;
		lseek(fd, e->off, SEEK_SET);
		n = syscall(SYS_getdents64, fd, buf, sizeof(buf));
		e = (void *)buf;
		snprintf(first_after, sizeof(first_after), "%s", n > 0 ? e->name : "");
		lseek(fd, 0, SEEK_SET);
		n = syscall(SYS_getdents64, fd, buf, sizeof(buf));
		e = (void *)buf;
		e = (void *)(buf + e->reclen);
		check(n > 0 && !strcmp(e->name, first_after), "lseek to d_off resumes at the next entry",
		      "got %s want %s", n > 0 ? e->name : "", first_after);
	}
	lseek(fd, 0, SEEK_SET);
	CHECK_ERR(syscall(SYS_getdents64, fd, buf, 10), EINVAL, "buffer smaller than an entry");
	lseek(fd, 0, SEEK_SET);
	CHECK_ERR(syscall(SYS_getdents64, fd, (void *)8, sizeof(buf)), EFAULT, "bad buffer");
	close(fd);
	fd = open("d/file00", O_RDONLY);
	CHECK_ERR(syscall(SYS_getdents64, fd, buf, sizeof(buf)), ENOTDIR, "getdents64 on a file");
	close(fd);
	CHECK_ERR(syscall(SYS_getdents64, -1, buf, sizeof(buf)), EBADF, "getdents64 -1");
	fd = open("d", O_RDONLY | O_DIRECTORY);
	while (syscall(SYS_getdents64, fd, buf, sizeof(buf)) > 0)
		;
	check(syscall(SYS_getdents64, fd, buf, sizeof(buf)) == 0, "0 at the end", "errno %d", errno);
	close(fd);
	return t_done();
}
