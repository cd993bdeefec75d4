/*
 * pin.c - which host CPU an instance runs on (pin=), and how instances
 * of one user see each other.
 *
 * Each instance that pins itself holds an flock on a small file
 * cpu<N>.<pid> in the user's registry folder, $XDG_RUNTIME_DIR/linux-um
 * (or /tmp/linux-um-<uid>, made 0700 and checked to be ours).  The lock
 * lives as long as the process: an entry whose file can be locked by
 * someone else is stale and is removed.  pin=auto takes, under a lock on
 * the folder, the allowed CPU the fewest live entries name (on a tie the
 * CPU it runs on, else the lowest), so concurrent instances spread over
 * the CPUs.  Without a usable folder, pin=auto keeps the CPU it starts on.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "shared/os.h"

#define PIN_MAX_CPUS	CPU_SETSIZE

static int registry_fd = -1;		/* our entry, locked while we live */
static char registry_path[PATH_MAX + 64];	/* its name, removed at exit */

/* The registry folder, made if missing; -1 if there is no safe one. */
static int registry_open(char *path, size_t len)
{
	const char *rt = getenv("XDG_RUNTIME_DIR");
	struct stat st;
	int fd;

	if (rt && rt[0] == '/')
		snprintf(path, len, "%s/linux-um", rt);
	else
		snprintf(path, len, "/tmp/linux-um-%u", (unsigned)getuid());
	if (mkdir(path, 0700) < 0 && errno != EEXIST)
		return -1;
	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || st.st_uid != getuid() || (st.st_mode & 022)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Counts the live entries per CPU in the folder; removes stale ones. */
static void registry_count(int dfd, unsigned *count)
{
	DIR *d = fdopendir(dup(dfd));
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		unsigned cpu;
		int pid, fd, n = 0;

		if (sscanf(e->d_name, "cpu%u.%d%n", &cpu, &pid, &n) != 2 || e->d_name[n])
			continue;
		fd = openat(dfd, e->d_name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (flock(fd, LOCK_SH | LOCK_NB) < 0 && errno == EWOULDBLOCK) {
			if (cpu < PIN_MAX_CPUS)
				count[cpu]++;
		} else {
			unlinkat(dfd, e->d_name, 0);	/* its owner is gone */
		}
		close(fd);
	}
	closedir(d);
}

/* Adds our entry for cpu (kept locked until we exit or exec). */
static void registry_add(int dfd, const char *dir, int cpu)
{
	char name[64];
	int fd;

	snprintf(name, sizeof(name), "cpu%d.%d", cpu, (int)getpid());
	fd = openat(dfd, name, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		close(fd);
		return;
	}
	if (registry_fd >= 0)
		close(registry_fd);
	registry_fd = fd;
	snprintf(registry_path, sizeof(registry_path), "%s/%s", dir, name);
}

/* At exit: our entry goes (a killed instance's is removed by the next count). */
void os_pin_forget(void)
{
	if (registry_fd < 0)
		return;
	unlink(registry_path);
	close(registry_fd);
	registry_fd = -1;
}

/* The allowed CPU the fewest entries name; -1 if none is allowed. */
static int least_used(const cpu_set_t *allowed, const unsigned *count)
{
	int here = sched_getcpu(), best = -1;

	for (int c = 0; c < PIN_MAX_CPUS; c++) {
		if (!CPU_ISSET(c, allowed))
			continue;
		if (best < 0 || count[c] < count[best] ||
		    (count[c] == count[best] && c == here))
			best = c;
	}
	return best;
}

static int pin_to(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) < 0)
		return -errno;
	return cpu;
}

int os_cpus_allowed(void)
{
	cpu_set_t allowed;

	if (sched_getaffinity(0, sizeof(allowed), &allowed) < 0)
		return 1;
	return CPU_COUNT(&allowed);
}

/*
 * Pins ./linux to cpu, or (cpu < 0, pin=auto) to the allowed CPU the
 * fewest other instances use, and registers it.  Returns the CPU or -errno.
 */
int os_pin_cpu(int cpu)
{
	static unsigned count[PIN_MAX_CPUS];
	char path[PATH_MAX];
	cpu_set_t allowed;
	int dfd, r;

	if (sched_getaffinity(0, sizeof(allowed), &allowed) < 0)
		return -errno;
	dfd = registry_open(path, sizeof(path));
	if (dfd >= 0)
		flock(dfd, LOCK_EX);	/* choose and register as one step */
	if (cpu < 0) {
		memset(count, 0, sizeof(count));
		if (dfd >= 0)
			registry_count(dfd, count);
		cpu = least_used(&allowed, count);
		if (cpu < 0)
			cpu = sched_getcpu();
	}
	r = cpu < 0 ? -EINVAL : pin_to(cpu);
	if (r >= 0 && dfd >= 0)
		registry_add(dfd, path, cpu);
	if (dfd >= 0)
		close(dfd);	/* drops the folder lock */
	return r;
}
