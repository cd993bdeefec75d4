/*
 * sysinfo.c - sysinfo(2): uptime (a started second counts) agrees with
 * /proc/uptime, memory figures are consistent (free <= total, in
 * mem_unit), procs counts threads (a new thread and a new process each
 * add one), and a bad pointer is EFAULT.
 */
#include "t.h"
#include <pthread.h>
#include <sys/mount.h>
#include <sys/sysinfo.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static int go;
static void *idle(void *arg)
{
	while (!__atomic_load_n(&go, __ATOMIC_SEQ_CST))
		usleep(1000);
	return arg;
}

int main(void)
{
	struct sysinfo a, b, c;
	double up = 0;
	pthread_t th;
	int p[2];
	char ch;

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
	pthread_create(&th, NULL, idle, NULL);
	sysinfo(&b);
	pipe(p);
	pid_t pid = fork();
	if (pid == 0) {
		read(p[0], &ch, 1);
		_exit(0);
	}
	sysinfo(&c);
	check(b.procs >= a.procs + 1 && c.procs >= b.procs + 1, "a thread and a process each count",
	      "%u %u %u", a.procs, b.procs, c.procs);
	write(p[1], "x", 1);
	waitpid(pid, NULL, 0);
	__atomic_store_n(&go, 1, __ATOMIC_SEQ_CST);
	pthread_join(th, NULL);
	CHECK_ERR(syscall(SYS_sysinfo, (void *)8), EFAULT, "bad pointer");
	return t_failed != 0;
}
