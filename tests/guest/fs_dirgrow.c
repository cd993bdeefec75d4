/*
 * fs_dirgrow.c - getdents64 while the directory changes (POSIX readdir:
 * an entry neither added nor removed during the walk is returned exactly
 * once): 300 names, a walk in small buffers with 300 more created in the
 * middle of it and then 100 of the first ones unlinked; every untouched
 * name seen once, no name twice; a rewind (lseek 0) sees the directory
 * as it is now; the offsets d_off gives resume the walk where they say.
 * On the disk filesystem and on tmpfs.
 */
#include "t.h"
#include "fs.h"
#include <dirent.h>
#include <stdint.h>
#include <sys/syscall.h>

#define N	300

struct ent {
	uint64_t ino;
	int64_t off;
	unsigned short reclen;
	unsigned char type;
	char name[];
};

static int seen[2 * N];
static int others, dups;

/* Reads one buffer of bufsz bytes: the byte count (0 at the end). */
static long walk_some(int fd, size_t bufsz, int64_t *last_off)
{
	char buf[4096];
	long n = syscall(SYS_getdents64, fd, buf, bufsz);

	for (long o = 0; o < n;) {
		struct ent *e = (struct ent *)(buf + o);
		int i;

		o += e->reclen;
		*last_off = e->off;
		if (e->name[0] == '.')
			continue;
		if (sscanf(e->name, "n%d", &i) != 1 || i < 0 || i >= 2 * N) {
			others++;
			continue;
		}
		if (seen[i]++)
			dups++;
	}
	return n;
}

static void grow(const char *label)
{
	char name[32], t[96];
	int64_t off = 0, resume;
	long n;
	int fd, missing = 0, now = 0;

#define L(s) (snprintf(t, sizeof(t), "%s: %s", label, s), t)
	for (int i = 0; i < N; i++) {
		snprintf(name, sizeof(name), "n%d", i);
		fs_put(name, "");
	}
	memset(seen, 0, sizeof(seen));
	others = dups = 0;
	fd = open(".", O_RDONLY | O_DIRECTORY);
	for (int k = 0; k < 5; k++)
		walk_some(fd, 256, &off);
	for (int i = N; i < 2 * N; i++) {
		snprintf(name, sizeof(name), "n%d", i);
		fs_put(name, "");
	}
	/* 100 of the first names go; which were read already depends on the order. */
	for (int i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), "n%d", 3 * i);
		unlink(name);
	}
	while ((n = walk_some(fd, 512, &off)) > 0)
		;
	check(n == 0, L("the walk ends at 0"), "%ld", n);
	for (int i = 0; i < N; i++)
		if (i % 3 != 0 || i >= 300)
			missing += seen[i] != 1;
	check(missing == 0, L("every untouched name exactly once"), "%d missing or repeated", missing);
	check(dups == 0, L("no name twice"), "%d", dups);
	check(others == 0, L("nothing else"), "%d", others);

	CHECK_OK(lseek(fd, 0, SEEK_SET), L("rewind"));
	memset(seen, 0, sizeof(seen));
	dups = 0;
	walk_some(fd, 1024, &resume);
	while (walk_some(fd, 1024, &off) > 0)
		;
	for (int i = 0; i < 2 * N; i++)
		now += seen[i] == 1;
	check(now == 2 * N - 100 && dups == 0, L("after the rewind: the directory as it is now"),
	      "%d names, %d twice", now, dups);
	/* d_off resumes: from the first buffer's last offset, the rest once more. */
	CHECK_OK(lseek(fd, resume, SEEK_SET), L("lseek to a d_off"));
	dups = 0;
	while (walk_some(fd, 1024, &off) > 0)
		;
	now = 0;
	for (int i = 0; i < 2 * N; i++)
		now += seen[i] == 2;
	check(dups > 0 && now == dups, L("resumed at d_off: each later name once more"), "%d/%d",
	      now, dups);
	close(fd);
	for (int i = 0; i < 2 * N; i++) {
		snprintf(name, sizeof(name), "n%d", i);
		unlink(name);
	}
#undef L
}

int main(void)
{
	char shm[64];

	t_start();
	fs_scratch("fs_dirgrow");
	grow("disk");
	snprintf(shm, sizeof(shm), "/dev/shm/fs_dirgrow.%d", (int)getpid());
	if (mkdir(shm, 0755) < 0 || chdir(shm) < 0) {
		printf("not ok 0 /dev/shm: %s\n", strerror(errno));
		return 1;
	}
	grow("tmpfs");
	chdir("/");
	rmdir(shm);
	return t_done();
}
