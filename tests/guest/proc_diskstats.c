/*
 * proc_diskstats.c - /proc/diskstats and /sys/block/<disk>/stat for the
 * disk that holds the scratch folder: its line has Linux 5.5+'s 17
 * counters after major, minor and name; the disk was read (we run from
 * it); 1 MiB written and fsync'ed adds at least one write request and
 * 2048 sectors; /sys/block/<disk>/stat has the same 17 counters, each
 * between what diskstats said before and after it (the host's disk is
 * shared, so only such relations are printed), and inflight two numbers.
 */
#include "t.h"
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#define NF 17

static char buf[1 << 16];

static int slurp(const char *path)
{
	int fd = open(path, O_RDONLY);
	ssize_t n, got = 0;

	if (fd < 0)
		return -1;
	while ((size_t)got < sizeof(buf) - 1 && (n = read(fd, buf + got, sizeof(buf) - 1 - got)) > 0)
		got += n;
	close(fd);
	buf[got] = '\0';
	return (int)got;
}

/* The counters of maj:min in /proc/diskstats: how many there were, name into name. */
static int disk_line(unsigned maj, unsigned min, char *name, unsigned long long *f)
{
	char *l = buf;

	if (slurp("/proc/diskstats") < 0)
		return -1;
	for (; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		unsigned a, b;
		int off, n = 0, k;

		char *end = strchr(l, '\n');

		if (sscanf(l, "%u %u %31s%n", &a, &b, name, &off) != 3 || a != maj || b != min)
			continue;
		if (end != NULL)
			*end = '\0';	/* the numbers of this line only */
		l += off;
		while (n < NF + 2 && sscanf(l, " %llu%n", &f[n], &k) == 1) {
			l += k;
			n++;
		}
		return *l == '\0' ? n : -2;
	}
	return 0;
}

int main(void)
{
	unsigned long long a[NF + 2], b[NF + 2], s[NF + 2];
	char name[32], path[256], data[65536];
	struct stat st;
	int n, fd, between = 1, k;

	t_start();
	if (access("/proc/self/status", F_OK) != 0) {	/* as init in ./linux */
		mount("proc", "/proc", "proc", 0, NULL);
		mount("sysfs", "/sys", "sysfs", 0, NULL);
	}
	if (stat(t_tmpdir(), &st) < 0 || major(st.st_dev) == 0) {
		printf("the scratch folder is on no disk\n");
		return 1;
	}
	n = disk_line(major(st.st_dev), minor(st.st_dev), name, a);
	check(n == NF, "diskstats: the disk's line has 17 counters", "%d", n);
	if (n != NF)
		return t_done();
	check(a[0] > 0 && a[2] >= a[0], "diskstats: the disk was read, at least a sector a read",
	      "reads %llu sectors %llu", a[0], a[2]);
	check(a[4] == 0 || a[6] >= a[4], "diskstats: at least a sector a write", "%llu %llu",
	      a[4], a[6]);

	t_path(path, sizeof(path), "proc_diskstats.dat");
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	for (int i = 0; i < 16; i++) {
		memset(data, 'a' + i, sizeof(data));
		if (write(fd, data, sizeof(data)) != sizeof(data))
			return 1;
	}
	CHECK_OK(fsync(fd), "fsync");
	close(fd);
	n = disk_line(major(st.st_dev), minor(st.st_dev), name, b);
	check(n == NF && b[4] > a[4], "diskstats: writing and fsync add write requests",
	      "%llu -> %llu", a[4], b[4]);
	check(n == NF && b[6] >= a[6] + 2048, "diskstats: and at least the 2048 sectors written",
	      "%llu -> %llu", a[6], b[6]);

	snprintf(path, sizeof(path), "/sys/block/%s/stat", name);
	check(slurp(path) > 0, "sysfs: the disk's stat reads", "%s", strerror(errno));
	{
		char *p = buf;

		char *end = strchr(p, '\n');

		if (end != NULL)
			*end = '\0';
		for (k = 0; k < NF + 2; k++) {
			int used;

			if (sscanf(p, " %llu%n", &s[k], &used) != 1)
				break;
			p += used;
		}
		check(k == NF && end != NULL && *p == '\0', "sysfs: stat has 17 counters", "%d", k);
	}
	n = disk_line(major(st.st_dev), minor(st.st_dev), name, a);
	for (int i = 0; i < NF; i++)
		if (i != 8 && (s[i] < b[i] || s[i] > a[i]))	/* 8: in flight now */
			between = 0;
	check(n == NF && between, "sysfs: each counter between diskstats before and after", "x");
	snprintf(path, sizeof(path), "/sys/block/%s/inflight", name);
	{
		unsigned long long r, w;

		check(slurp(path) > 0 && sscanf(buf, " %llu %llu", &r, &w) == 2,
		      "sysfs: inflight has reads and writes", "'%s'", buf);
	}
	t_path(path, sizeof(path), "proc_diskstats.dat");
	unlink(path);
	return t_done();
}
