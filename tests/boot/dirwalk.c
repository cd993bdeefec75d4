/*
 * dirwalk.c - lists the tree under argv[1] the same way on any file system
 * (run natively on the host tree and inside ./linux on an image made from
 * it, outputs compared): one line per name, sorted, with its type, mode,
 * size, link count of non-directories and the FNV-1a hash of a file's
 * bytes or a symlink's target.  On the way it checks each directory's
 * listing as getdents64 returns it, one small buffer at a time: "." and
 * ".." once each, d_ino and d_type agreeing with lstat, and every d_off a
 * position that lseek accepts and from which the listing resumes at the
 * next entry (and 0 rewinds to the first).  A failed check prints a line
 * starting with "BAD".
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAXENT 512

struct ent {
	char name[256];
	uint64_t ino;
	int64_t off;
	unsigned char type;
};

static struct ent ents[MAXENT];

static uint32_t fnv(uint32_t h, const unsigned char *p, size_t n)
{
	while (n--)
		h = (h ^ *p++) * 16777619u;
	return h;
}

/* The first entry getdents64 returns from position pos: 1, 0 at the end, -1. */
static int first_from(int fd, int64_t pos, char *name, size_t len)
{
	char buf[300];
	long n;

	if (lseek(fd, pos, SEEK_SET) != pos)
		return -1;
	n = syscall(SYS_getdents64, fd, buf, sizeof(buf));
	if (n < 0)
		return -1;
	if (n == 0)
		return 0;
	snprintf(name, len, "%s", ((struct dirent64 *)buf)->d_name);
	return 1;
}

/* Reads dir fd's entries into ents, a small buffer at a time: the count or -1. */
static int read_all(int fd, const char *path)
{
	char buf[300];
	int n = 0;
	long got;

	while ((got = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
		for (long off = 0; off < got; ) {
			struct dirent64 *d = (struct dirent64 *)(buf + off);

			if (n == MAXENT) {
				printf("BAD %s: more than %d entries\n", path, MAXENT);
				return -1;
			}
			snprintf(ents[n].name, sizeof(ents[n].name), "%s", d->d_name);
			ents[n].ino = d->d_ino;
			ents[n].off = d->d_off;
			ents[n].type = d->d_type;
			n++;
			off += d->d_reclen;
		}
	}
	if (got < 0) {
		printf("BAD %s: getdents64: %s\n", path, strerror(errno));
		return -1;
	}
	return n;
}

/* Every d_off resumes at the next entry; 0 rewinds. */
static void check_offsets(int fd, const char *path, int n)
{
	char name[256];
	int r;

	for (int i = 0; i < n; i++) {
		r = first_from(fd, ents[i].off, name, sizeof(name));
		if (i + 1 < n ? r != 1 || strcmp(name, ents[i + 1].name) : r != 0)
			printf("BAD %s: d_off of %s does not resume at the next entry\n",
			       path, ents[i].name);
	}
	if (n && (first_from(fd, 0, name, sizeof(name)) != 1 || strcmp(name, ents[0].name)))
		printf("BAD %s: position 0 does not rewind\n", path);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct ent *)a)->name, ((const struct ent *)b)->name);
}

static unsigned char dtype_of(mode_t m)
{
	return S_ISREG(m) ? DT_REG : S_ISDIR(m) ? DT_DIR : S_ISLNK(m) ? DT_LNK :
	       S_ISCHR(m) ? DT_CHR : S_ISBLK(m) ? DT_BLK : S_ISFIFO(m) ? DT_FIFO : DT_SOCK;
}

static void show(const char *path, const char *rel, const struct stat *st)
{
	unsigned char buf[65536];
	uint32_t h = 2166136261u;
	ssize_t got;
	int fd;

	printf("%s %c %o %lld", rel, S_ISDIR(st->st_mode) ? 'd' : S_ISLNK(st->st_mode) ? 'l' :
	       S_ISREG(st->st_mode) ? 'f' : 'o', (unsigned)(st->st_mode & 07777),
	       S_ISDIR(st->st_mode) ? 0LL : (long long)st->st_size);
	if (S_ISLNK(st->st_mode)) {
		got = readlink(path, (char *)buf, sizeof(buf));
		printf(" -> %.*s", (int)(got < 0 ? 0 : got), (char *)buf);
	} else if (S_ISREG(st->st_mode)) {
		fd = open(path, O_RDONLY);
		while (fd >= 0 && (got = read(fd, buf, sizeof(buf))) > 0)
			h = fnv(h, buf, (size_t)got);
		printf(" links %lu fnv %08x%s", (unsigned long)st->st_nlink, h, fd < 0 ? " BAD open" : "");
		if (fd >= 0)
			close(fd);
	}
	printf("\n");
}

static void walk(const char *path, const char *rel, int top)
{
	struct ent *mine;
	struct stat st, self, parent;
	char sub[4096], subrel[4096], up[4096];
	int fd, n, dots = 0, dotdots = 0, i;

	fd = open(path, O_RDONLY | O_DIRECTORY);
	if (fd < 0 || fstat(fd, &self)) {
		printf("BAD %s: cannot open\n", rel);
		return;
	}
	snprintf(up, sizeof(up), "%s/..", path);
	if (stat(up, &parent))
		printf("BAD %s: no ..\n", rel);
	n = read_all(fd, rel);
	if (n < 0) {
		close(fd);
		return;
	}
	check_offsets(fd, rel, n);
	close(fd);
	mine = malloc(sizeof(*mine) * (size_t)(n ? n : 1));
	if (!mine)
		return;
	memcpy(mine, ents, sizeof(*mine) * (size_t)n);
	qsort(mine, (size_t)n, sizeof(*mine), by_name);
	for (i = 0; i < n; i++) {
		if (!strcmp(mine[i].name, ".")) {
			dots++;
			if (mine[i].ino != self.st_ino)
				printf("BAD %s: d_ino of .\n", rel);
			continue;
		}
		if (!strcmp(mine[i].name, "..")) {
			dotdots++;
			if (!top && mine[i].ino != parent.st_ino)
				printf("BAD %s: d_ino of ..\n", rel);
			continue;
		}
		snprintf(sub, sizeof(sub), "%s/%s", path, mine[i].name);
		snprintf(subrel, sizeof(subrel), "%s/%s", rel, mine[i].name);
		if (lstat(sub, &st)) {
			printf("BAD %s: listed, lstat fails\n", subrel);
			continue;
		}
		if (st.st_ino != mine[i].ino)
			printf("BAD %s: d_ino %llu, st_ino %llu\n", subrel,
			       (unsigned long long)mine[i].ino, (unsigned long long)st.st_ino);
		if (mine[i].type != DT_UNKNOWN && mine[i].type != dtype_of(st.st_mode))
			printf("BAD %s: d_type %u\n", subrel, mine[i].type);
		show(sub, subrel, &st);
		if (S_ISDIR(st.st_mode))
			walk(sub, subrel, 0);
	}
	if (dots != 1 || dotdots != 1)
		printf("BAD %s: %d . and %d ..\n", rel, dots, dotdots);
	free(mine);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: dirwalk DIR\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	walk(argv[1], ".", 1);
	return 0;
}
