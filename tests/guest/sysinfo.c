/*
 * sysinfo.c - sysinfo(2): uptime (a started second counts) agrees with
 * /proc/uptime, memory figures are consistent (free <= total, in
 * mem_unit), procs is at least one (it is machine-wide: other processes
 * come and go, so nothing finer is stable natively), and a bad pointer is
 * EFAULT.
 */
#include "t.h"
#include <sys/mount.h>
#include <sys/sysinfo.h>
#include <sys/syscall.h>

int main(void)
{
	struct sysinfo a;
	double up = 0;

	t_start();
	if (getpid() == 1)
		mount("proc", "/proc", "proc", 0, NULL);
	CHECK_OK(sysinfo(&a), "sysinfo");
	FILE *f = fopen("/proc/uptime", "r");
	if (f) {
		fscanf(f, "%lf", &up);
		fclose(f);
	}
	check(a.uptime >= 1 && a.uptime >= (long)up && a.uptime <= (long)up + 2, "uptime matches /proc/uptime",
	      "%ld vs %f", a.uptime, up);
	check(a.mem_unit >= 1 && a.totalram > 0 && a.freeram > 0 && a.freeram <= a.totalram &&
	      a.totalswap >= a.freeswap, "memory figures consistent", "total %lu free %lu unit %u",
	      a.totalram, a.freeram, a.mem_unit);
	check(a.procs >= 1, "procs >= 1", "%u", a.procs);
	CHECK_ERR(syscall(SYS_sysinfo, (void *)8), EFAULT, "bad pointer");
	return t_failed != 0;
}
