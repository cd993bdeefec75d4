/*
 * proclimits.c - /proc/self/limits in Linux's layout, each row agreeing
 * with getrlimit (also after setrlimit), and the headers of
 * /proc/partitions and /proc/swaps.
 */
#include "t.h"
#include <sys/mount.h>
#include <sys/resource.h>

static const char *names[] = {
	"Max cpu time", "Max file size", "Max data size", "Max stack size", "Max core file size",
	"Max resident set", "Max processes", "Max open files", "Max locked memory",
	"Max address space", "Max file locks", "Max pending signals", "Max msgqueue size",
	"Max nice priority", "Max realtime priority", "Max realtime timeout",
};

static void fmt(char *buf, size_t n, rlim_t v)
{
	if (v == RLIM_INFINITY)
		snprintf(buf, n, "unlimited");
	else
		snprintf(buf, n, "%llu", (unsigned long long)v);
}

static void check_limits(const char *tag)
{
	char line[256], want[256], cur[32], max[32], name[64];
	FILE *f = fopen("/proc/self/limits", "r");
	int i, good = 0;

	snprintf(name, sizeof(name), "%s: header", tag);
	check(f != NULL && fgets(line, sizeof(line), f) != NULL &&
	      !strcmp(line, "Limit                     Soft Limit           Hard Limit           Units     \n"),
	      name, "got '%s'", f ? line : "no file");
	for (i = 0; f != NULL && i < 16 && fgets(line, sizeof(line), f) != NULL; i++) {
		struct rlimit r;

		getrlimit(i, &r);
		fmt(cur, sizeof(cur), r.rlim_cur);
		fmt(max, sizeof(max), r.rlim_max);
		snprintf(want, sizeof(want), "%-25s %-20s %-20s ", names[i], cur, max);
		if (!strncmp(line, want, strlen(want)))
			good++;
		else
			printf("# row %d: '%s' want '%s'\n", i, line, want);
	}
	snprintf(name, sizeof(name), "%s: 16 rows as getrlimit says", tag);
	check(good == 16, name, "%d good", good);
	if (f != NULL)
		fclose(f);
}

int main(void)
{
	struct rlimit r = { 100, 200 };
	char line[256];
	FILE *f;

	t_start();
	if (getpid() == 1)	/* init inside ./linux: nothing mounted yet */
		mount("proc", "/proc", "proc", 0, NULL);
	check_limits("before");
	setrlimit(RLIMIT_NOFILE, &r);
	r.rlim_cur = 12345;
	r.rlim_max = RLIM_INFINITY;
	getrlimit(RLIMIT_FSIZE, &r);
	r.rlim_cur = 1 << 20;
	setrlimit(RLIMIT_FSIZE, &r);
	check_limits("after setrlimit");
	f = fopen("/proc/partitions", "r");
	check(f != NULL && fgets(line, sizeof(line), f) && !strcmp(line, "major minor  #blocks  name\n") &&
	      fgets(line, sizeof(line), f) && !strcmp(line, "\n"), "/proc/partitions header", "got '%s'", line);
	if (f)
		fclose(f);
	f = fopen("/proc/swaps", "r");
	check(f != NULL && fgets(line, sizeof(line), f) &&
	      !strcmp(line, "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n"), "/proc/swaps header",
	      "got '%s'", line);
	if (f)
		fclose(f);
	return t_done();
}
