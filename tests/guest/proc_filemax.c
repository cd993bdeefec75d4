/*
 * proc_filemax.c - /proc/sys/fs/file-nr, file-max and nr_open as Linux
 * has them: file-nr is "open\t0\tmax" with max file-max's value; an
 * RLIMIT_NOFILE hard limit above nr_open is EPERM even for root, one at
 * nr_open is not; nr_open refuses values below 64 and words, file-max
 * words and negative numbers (EINVAL), and neither changes then.  What
 * the machine-wide limit does (ENFILE) is the boot test file_max: here
 * the host's limit is shared, so nothing is written that would change it.
 * Runs as root.
 */
#include "t.h"
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/resource.h>

static int get(const char *file, char *buf, size_t len)
{
	int fd = open(file, O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, len - 1) : -1;

	buf[n > 0 ? n : 0] = '\0';
	if (fd >= 0)
		close(fd);
	return n > 0 ? 0 : -1;
}

/* Writes v: 0, or -1 with errno. */
static int put(const char *file, const char *v)
{
	int fd = open(file, O_WRONLY);
	ssize_t n;
	int e;

	if (fd < 0)
		return -1;
	n = write(fd, v, strlen(v));
	e = errno;
	close(fd);
	errno = e;
	return n == (ssize_t)strlen(v) ? 0 : -1;
}

int main(void)
{
	char nr[128], max[64], open_s[64], again[64];
	unsigned long long a, b, c, m, nro;
	struct rlimit old, r;

	t_start();
	if (access("/proc/self/status", F_OK) != 0)	/* as init in ./linux */
		mount("proc", "/proc", "proc", 0, NULL);
	check(get("/proc/sys/fs/file-nr", nr, sizeof(nr)) == 0 &&
	      get("/proc/sys/fs/file-max", max, sizeof(max)) == 0 &&
	      get("/proc/sys/fs/nr_open", open_s, sizeof(open_s)) == 0,
	      "file-nr, file-max and nr_open read", "%s", strerror(errno));
	{
		int n = -1;

		sscanf(nr, "%llu\t%llu\t%llu\n%n", &a, &b, &c, &n);
		m = strtoull(max, NULL, 10);
		check(n == (int)strlen(nr) && strchr(nr, '\t') != NULL,
		      "file-nr: three numbers, tab-separated", "'%s'", nr);
		check(a > 0 && b == 0 && c == m, "file-nr: open files, 0, file-max",
		      "'%s' file-max %llu", nr, m);
	}
	nro = strtoull(open_s, NULL, 10);
	check(nro >= 64, "nr_open: at least 64", "%llu", nro);

	getrlimit(RLIMIT_NOFILE, &old);
	r.rlim_cur = old.rlim_cur;
	r.rlim_max = nro + 1;
	CHECK_ERR(setrlimit(RLIMIT_NOFILE, &r), EPERM, "RLIMIT_NOFILE above nr_open: EPERM");
	r.rlim_cur = nro + 1;
	CHECK_ERR(setrlimit(RLIMIT_NOFILE, &r), EPERM, "soft and hard above nr_open: EPERM");
	r.rlim_cur = old.rlim_cur;	/* the limit it had, within nr_open, is taken */
	r.rlim_max = old.rlim_max;
	CHECK_OK(setrlimit(RLIMIT_NOFILE, &r), "a hard limit within nr_open");

	errno = 0;
	check(put("/proc/sys/fs/nr_open", "10") < 0 && errno == EINVAL,
	      "nr_open: 10 refused", "errno %d", errno);
	errno = 0;
	check(put("/proc/sys/fs/nr_open", "many") < 0 && errno == EINVAL,
	      "nr_open: a word refused", "errno %d", errno);
	errno = 0;
	check(put("/proc/sys/fs/file-max", "lots") < 0 && errno == EINVAL,
	      "file-max: a word refused", "errno %d", errno);
	errno = 0;
	check(put("/proc/sys/fs/file-max", "-5") < 0 && errno == EINVAL,
	      "file-max: a negative number refused", "errno %d", errno);
	get("/proc/sys/fs/nr_open", again, sizeof(again));
	check(!strcmp(again, open_s), "nr_open unchanged", "'%s' -> '%s'", open_s, again);
	get("/proc/sys/fs/file-max", again, sizeof(again));
	check(!strcmp(again, max), "file-max unchanged", "'%s' -> '%s'", max, again);
	return t_done();
}
