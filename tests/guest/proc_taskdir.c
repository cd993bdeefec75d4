/*
 * proc_taskdir.c - /proc/<pid>/task/<tid>/ as Linux's tid_base_stuff:
 * the per-thread files (stat, status, maps, smaps, fd/...) but no "task"
 * of its own, in lookups and in its listing (else `ls -lR /proc` would
 * walk task/N/task/N/... into the same directory again), for the leader
 * and for a second thread; /proc/<pid>/task itself lists both.
 */
#include "t.h"
#include <dirent.h>
#include <pthread.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>

static pthread_barrier_t bar;
static pid_t other;

static void *thread(void *arg)
{
	other = (pid_t)syscall(SYS_gettid);
	pthread_barrier_wait(&bar);	/* known */
	pthread_barrier_wait(&bar);	/* done with */
	return NULL;
}

/* Whether the directory lists name. */
static int lists(const char *dir, const char *name)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int found = 0;

	while (d != NULL && (de = readdir(d)) != NULL)
		found |= !strcmp(de->d_name, name);
	if (d != NULL)
		closedir(d);
	return found;
}

static void one(pid_t tid, const char *who)
{
	char dir[64], path[96], name[128];
	struct stat st;

	snprintf(dir, sizeof(dir), "/proc/%d/task/%d", getpid(), tid);
	snprintf(path, sizeof(path), "%s/task", dir);
	snprintf(name, sizeof(name), "%s: task/TID/task does not exist", who);
	CHECK_ERR(stat(path, &st), ENOENT, name);
	snprintf(name, sizeof(name), "%s: task/TID lists no task", who);
	check(!lists(dir, "task") && lists(dir, "stat"), name, "listing");
	snprintf(path, sizeof(path), "%s/stat", dir);
	snprintf(name, sizeof(name), "%s: task/TID/stat is there", who);
	CHECK_OK(stat(path, &st), name);
	snprintf(path, sizeof(path), "%s/smaps", dir);
	snprintf(name, sizeof(name), "%s: task/TID/smaps is there", who);
	CHECK_OK(stat(path, &st), name);
	snprintf(path, sizeof(path), "%s/fd", dir);
	snprintf(name, sizeof(name), "%s: task/TID/fd is a directory", who);
	check(stat(path, &st) == 0 && S_ISDIR(st.st_mode), name, "%s", strerror(errno));
}

int main(void)
{
	char dir[64], n[16];
	pthread_t th;

	t_start();
	if (access("/proc/self/status", F_OK) != 0)	/* as init in ./linux */
		mount("proc", "/proc", "proc", 0, NULL);
	pthread_barrier_init(&bar, NULL, 2);
	pthread_create(&th, NULL, thread, NULL);
	pthread_barrier_wait(&bar);
	snprintf(dir, sizeof(dir), "/proc/%d/task", getpid());
	snprintf(n, sizeof(n), "%d", getpid());
	check(lists(dir, n), "task lists the leader", "%s", n);
	snprintf(n, sizeof(n), "%d", other);
	check(lists(dir, n), "task lists the second thread", "%s", n);
	check(lists("/proc/self", "task"), "/proc/self has task", "listing");
	one(getpid(), "leader");
	one(other, "thread");
	pthread_barrier_wait(&bar);
	pthread_join(th, NULL);
	return t_done();
}
