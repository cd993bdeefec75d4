/*
 * proc_reread.c - a /proc text read again at offset 0 shows the figures
 * of now, as Linux's seq_file renders it again: pread(fd, .., 0) and
 * lseek(0) + read on an open /proc/self/{statm,stat,status,io},
 * /proc/{meminfo,loadavg,uptime} after something they count changed;
 * a pread at another offset than where the last read ended renders
 * again too; a child's stat turns to state Z once it has exited and
 * fails with ESRCH once it is reaped; lseek and fsync as seq_file's.
 */
#include "t.h"
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/wait.h>

static char first[8192], again[8192];

/* The whole text from offset 0 with pread: its length, or -1. */
static long pread_all(int fd, char *buf, size_t size)
{
	long n, got = 0;

	while ((n = pread(fd, buf + got, size - 1 - got, got)) > 0)
		got += n;
	if (n < 0)
		return -1;
	buf[got] = 0;
	return got;
}

/* The whole text with read from the file offset: its length, or -1. */
static long read_all(int fd, char *buf, size_t size)
{
	long n, got = 0;

	while ((n = read(fd, buf + got, size - 1 - got)) > 0)
		got += n;
	if (n < 0)
		return -1;
	buf[got] = 0;
	return got;
}

/* The number after "key" at a line start in text, or -1. */
static long long field(const char *text, const char *key)
{
	size_t kl = strlen(key);

	for (const char *p = text; p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (!strncmp(p, key, kl))
			return strtoll(p + kl, NULL, 10);
	return -1;
}

/* Field n (1-based) of a /proc/PID/stat text, after the comm. */
static long long stat_field(const char *text, int n)
{
	const char *p = strrchr(text, ')');

	if (p == NULL)
		return -1;
	p += 2;			/* field 3, the state */
	for (int i = 3; i < n && p; i++) {
		p = strchr(p, ' ');
		if (p)
			p++;
	}
	return p ? strtoll(p, NULL, 10) : -1;
}

static char *map_touched(size_t len)
{
	char *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (m == MAP_FAILED)
		return NULL;
	for (size_t i = 0; i < len; i += 4096)
		m[i] = 1;
	return m;
}

#define BIG	(8u << 20)	/* 2048 pages */

static void statm_test(void)
{
	int fd = open("/proc/self/statm", O_RDONLY);
	long long size0, rss0;
	char *m;

	CHECK_OK(fd, "statm open");
	check(read_all(fd, first, sizeof(first)) > 0, "statm read", "%s", strerror(errno));
	size0 = strtoll(first, NULL, 10);
	rss0 = strtoll(strchr(first, ' ') + 1, NULL, 10);
	m = map_touched(BIG);
	check(m != NULL, "statm map", "%s", strerror(errno));
	check(pread_all(fd, again, sizeof(again)) > 0, "statm pread", "%s", strerror(errno));
	check(strtoll(again, NULL, 10) - size0 >= BIG / 4096, "statm pread size",
	      "size %s then %s", first, again);
	check(strtoll(strchr(again, ' ') + 1, NULL, 10) - rss0 >= BIG / 4096,
	      "statm pread resident", "%s then %s", first, again);
	munmap(m, BIG);
	check(lseek(fd, 0, SEEK_SET) == 0, "statm lseek", "%s", strerror(errno));
	check(read_all(fd, first, sizeof(first)) > 0, "statm reread", "%s", strerror(errno));
	check(strtoll(again, NULL, 10) - strtoll(first, NULL, 10) >= BIG / 4096,
	      "statm lseek read size", "%s then %s", again, first);
	/* A pread away from where the last read ended renders again, too. */
	m = map_touched(BIG);
	check(pread(fd, again, sizeof(again) - 1, 1) > 0, "statm pread 1", "%s", strerror(errno));
	check(strtoll(again, NULL, 10) > strtoll(first + 1, NULL, 10),
	      "statm pread 1 fresh", "%s then %s", first, again);
	munmap(m, BIG);
	close(fd);
}

/* status and stat: VmSize and vsize move by the mapping. */
static void status_stat_test(void)
{
	int sfd = open("/proc/self/status", O_RDONLY), tfd = open("/proc/self/stat", O_RDONLY);
	long long vm0, vs0;
	char *m;

	CHECK_OK(sfd, "status open");
	CHECK_OK(tfd, "stat open");
	check(read_all(sfd, first, sizeof(first)) > 0, "status read", "%s", strerror(errno));
	vm0 = field(first, "VmSize:");
	check(read_all(tfd, first, sizeof(first)) > 0, "stat read", "%s", strerror(errno));
	vs0 = stat_field(first, 23);
	m = map_touched(BIG);
	check(pread_all(sfd, again, sizeof(again)) > 0, "status pread", "%s", strerror(errno));
	check(field(again, "VmSize:") - vm0 >= BIG / 1024, "status pread VmSize",
	      "%lld then %lld", vm0, field(again, "VmSize:"));
	check(pread_all(tfd, again, sizeof(again)) > 0, "stat pread", "%s", strerror(errno));
	check(stat_field(again, 23) - vs0 >= BIG, "stat pread vsize",
	      "%lld then %lld", vs0, stat_field(again, 23));
	munmap(m, BIG);
	close(sfd);
	close(tfd);
}

/* io: wchar moves by exactly what was written since (nothing printed between). */
static void io_test(void)
{
	int fd = open("/proc/self/io", O_RDONLY), p[2];
	long r0, w, r1;
	long long w0;

	CHECK_OK(fd, "io open");
	CHECK_OK(pipe(p), "io pipe");
	r0 = read_all(fd, first, sizeof(first));
	w = write(p[1], first, 1000);
	r1 = pread_all(fd, again, sizeof(again));
	w0 = field(first, "wchar: ");
	check(r0 > 0 && w == 1000 && r1 > 0, "io reads", "%ld %ld %ld", r0, w, r1);
	check(field(again, "wchar: ") - w0 == 1000, "io pread wchar",
	      "%lld then %lld", w0, field(again, "wchar: "));
	close(p[0]);
	close(p[1]);
	close(fd);
}

/*
 * meminfo changes by itself (natively) or with what the program does:
 * pread at 0 until the text differs, touching a MiB each time; a bounded
 * number of tries, not a time.
 */
static void meminfo_test(const char *path, int tries)
{
	int fd = open(path, O_RDONLY), differs = 0;
	char name[64];

	snprintf(name, sizeof(name), "%s open", path);
	CHECK_OK(fd, name);
	snprintf(name, sizeof(name), "%s read", path);
	check(read_all(fd, first, sizeof(first)) > 0, name, "%s", strerror(errno));
	for (int i = 0; i < tries && !differs; i++) {
		if (map_touched(1u << 20) == NULL)	/* kept: freed at exit */
			break;
		differs = pread_all(fd, again, sizeof(again)) > 0 && strcmp(first, again);
	}
	snprintf(name, sizeof(name), "%s pread fresh", path);
	check(differs, name, "the text stayed '%.60s'", first);
	close(fd);
}

/*
 * uptime: once a newly opened /proc/uptime shows another text than the
 * first read did, time has moved on: a pread at 0 of the first fd must
 * not show the first text either.
 */
static void uptime_test(void)
{
	int fd = open("/proc/uptime", O_RDONLY), nfd;
	long n = 0;

	CHECK_OK(fd, "uptime open");
	check(read_all(fd, first, sizeof(first)) > 0, "uptime read", "%s", strerror(errno));
	do {
		nfd = open("/proc/uptime", O_RDONLY);
		if (nfd < 0 || read_all(nfd, again, sizeof(again)) <= 0)
			break;
		close(nfd);
	} while (!strcmp(first, again) && ++n < 100000000);
	check(strcmp(first, again) != 0, "uptime moves", "stayed '%s'", first);
	check(pread_all(fd, again, sizeof(again)) > 0, "uptime pread", "%s", strerror(errno));
	check(strcmp(first, again) != 0, "uptime pread fresh", "stayed '%s'", first);
	close(fd);
}

/* loadavg: the count of tasks and the last pid change with a fork. */
static void loadavg_test(void)
{
	int fd = open("/proc/loadavg", O_RDONLY), p[2];
	char c;
	pid_t pid;

	CHECK_OK(fd, "loadavg open");
	CHECK_OK(pipe(p), "loadavg pipe");
	check(read_all(fd, first, sizeof(first)) > 0, "loadavg read", "%s", strerror(errno));
	pid = fork();
	if (pid == 0) {
		close(p[1]);
		_exit(read(p[0], &c, 1) == 0 ? 0 : 1);
	}
	check(pread_all(fd, again, sizeof(again)) > 0, "loadavg pread", "%s", strerror(errno));
	check(strcmp(first, again) != 0, "loadavg pread fresh", "stayed '%s'", first);
	close(p[1]);
	waitpid(pid, NULL, 0);
	close(p[0]);
	close(fd);
}

/* A child's stat: S while it waits, Z once it has exited, ESRCH once reaped. */
static void child_test(void)
{
	int p[2], fd;
	char path[64], c;
	siginfo_t si;
	pid_t pid;

	CHECK_OK(pipe(p), "child pipe");
	pid = fork();
	if (pid == 0) {
		close(p[1]);
		_exit(read(p[0], &c, 1) == 0 ? 0 : 1);
	}
	close(p[0]);
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY);
	CHECK_OK(fd, "child stat open");
	check(read_all(fd, first, sizeof(first)) > 0, "child stat read", "%s", strerror(errno));
	close(p[1]);
	CHECK_OK(waitid(P_PID, pid, &si, WEXITED | WNOWAIT), "child waitid");
	check(pread_all(fd, again, sizeof(again)) > 0, "child stat pread", "%s", strerror(errno));
	check(strstr(again, ") Z ") != NULL, "child stat zombie", "'%.40s'", again);
	waitpid(pid, NULL, 0);
	CHECK_ERR(pread(fd, again, sizeof(again), 0), ESRCH, "child stat reaped");
	close(fd);
}

/*
 * lseek and fsync as Linux's seq_file texts: SEEK_SET and SEEK_CUR only
 * (SEEK_END, SEEK_DATA, a negative offset: EINVAL), then a read where
 * the seek went; fsync EINVAL on a text, on /proc itself and on
 * pagemap; a /proc/sys file seeks from its size 0 (default_llseek).
 */
static void seek_test(void)
{
	int fd = open("/proc/self/stat", O_RDONLY), d = open("/proc", O_RDONLY | O_DIRECTORY);
	int pm = open("/proc/self/pagemap", O_RDONLY), sys = open("/proc/sys/kernel/ostype", O_RDONLY);
	char c[2] = { 0 };

	CHECK_OK(fd, "seek open");
	CHECK_ERR(lseek(fd, 0, SEEK_END), EINVAL, "seek SEEK_END");
	CHECK_ERR(lseek(fd, 0, SEEK_DATA), EINVAL, "seek SEEK_DATA");
	CHECK_ERR(lseek(fd, -1, SEEK_SET), EINVAL, "seek negative");
	check(lseek(fd, 2, SEEK_SET) == 2 && lseek(fd, 1, SEEK_CUR) == 3, "seek SET and CUR",
	      "%s", strerror(errno));
	check(read_all(fd, first, sizeof(first)) > 0 && pread_all(fd, again, sizeof(again)) > 3,
	      "seek read", "%s", strerror(errno));
	check(!strncmp(first, again + 3, 8), "seek read from there", "'%.8s' '%.8s'", first, again + 3);
	CHECK_ERR(fsync(fd), EINVAL, "fsync of a text");
	CHECK_ERR(fsync(d), EINVAL, "fsync of /proc");
	CHECK_ERR(fsync(pm), EINVAL, "fsync of pagemap");
	CHECK_OK(sys, "sysctl open");
	check(lseek(sys, 0, SEEK_END) == 0 && lseek(sys, 5, SEEK_END) == 5, "sysctl SEEK_END",
	      "%s", strerror(errno));
	check(lseek(sys, 0, SEEK_SET) == 0 && read(sys, c, 1) == 1 && c[0] == 'L', "sysctl read",
	      "'%s'", c);
	close(sys);
	close(pm);
	close(d);
	close(fd);
}

int main(void)
{
	t_start();
	if (getpid() == 1)	/* init inside ./linux: nothing mounted yet */
		mount("proc", "/proc", "proc", 0, NULL);
	statm_test();
	status_stat_test();
	io_test();
	meminfo_test("/proc/meminfo", 64);
	uptime_test();
	loadavg_test();
	child_test();
	seek_test();
	return t_done();
}
