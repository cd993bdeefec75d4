/*
 * proc_stat_counts.c - /proc/stat's `processes` (tasks created since
 * boot) and `ctxt` (context switches) are real counts: 30 forks raise
 * processes by at least 30, 300 pipe round trips with a child (each
 * blocks both sides: two switches at least) raise ctxt by at least 600.
 * Lower bounds only: natively the rest of the host counts too.
 */
#include "t.h"
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/wait.h>

/* The value of /proc/stat's line NAME, or -1. */
static long long stat_field(const char *name)
{
	char buf[8192], *p;
	long long v = -1;
	ssize_t n;
	int fd = open("/proc/stat", O_RDONLY);

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	for (p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, name, strlen(name)) && p[strlen(name)] == ' ')
			sscanf(p + strlen(name) + 1, "%lld", &v);
	return v;
}

int main(void)
{
	long long procs0, procs1, ctxt0, ctxt1;
	int to[2], from[2], st, i;
	pid_t c;
	char x = 'x';

	t_start();
	if (access("/proc/stat", F_OK) != 0)	/* as init inside ./linux: no /proc yet */
		mount("proc", "/proc", "proc", 0, NULL);
	procs0 = stat_field("processes");
	ctxt0 = stat_field("ctxt");
	check(procs0 > 0 && ctxt0 > 0, "processes and ctxt read", "processes %lld ctxt %lld",
	      procs0, ctxt0);
	for (i = 0; i < 30; i++) {
		c = fork();
		if (c == 0)
			_exit(0);
		if (c < 0 || waitpid(c, &st, 0) != c)
			break;
	}
	check(i == 30, "30 forks", "stopped at %d: %s", i, strerror(errno));
	procs1 = stat_field("processes");
	check(procs1 - procs0 >= 30, "processes counts the forks", "%lld then %lld", procs0, procs1);

	if (pipe(to) < 0 || pipe(from) < 0)
		return 1;
	c = fork();
	if (c == 0) {
		close(to[1]);
		close(from[0]);
		while (read(to[0], &x, 1) == 1 && write(from[1], &x, 1) == 1)
			;
		_exit(0);
	}
	close(to[0]);
	close(from[1]);
	ctxt0 = stat_field("ctxt");
	for (i = 0; i < 300; i++)
		if (write(to[1], &x, 1) != 1 || read(from[0], &x, 1) != 1)
			break;
	ctxt1 = stat_field("ctxt");
	check(i == 300, "300 round trips", "stopped at %d", i);
	check(ctxt1 - ctxt0 >= 600, "ctxt counts the switches", "%lld then %lld", ctxt0, ctxt1);
	close(to[1]);
	waitpid(c, &st, 0);
	check(stat_field("processes") >= procs1 + 1, "processes never goes back", "went back");
	return t_done();
}
