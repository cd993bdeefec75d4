/*
 * proc_task: /proc/self/task lists every thread's tid; each
 * /proc/PID/task/TID/status says its own Pid and the process's Tgid,
 * Threads: counts them all, and SigBlk/SigCgt/SigIgn show the mask and
 * the handlers in Linux's hex form; /proc/PID/task/TID/comm is the
 * thread's name (pthread_setname_np), /proc/PID/status the leader's.
 */
#include "t.h"
#include <dirent.h>
#include <pthread.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/syscall.h>

#define N 3

static pthread_barrier_t bar;
static volatile pid_t tids[N];

static void *worker(void *arg)
{
	long i = (long)arg;
	sigset_t s;
	char name[16];

	tids[i] = (pid_t)syscall(SYS_gettid);
	sigemptyset(&s);
	sigaddset(&s, SIGUSR2);
	pthread_sigmask(SIG_BLOCK, &s, NULL);	/* only the workers block it */
	snprintf(name, sizeof(name), "worker-%ld", i);
	pthread_setname_np(pthread_self(), name);
	pthread_barrier_wait(&bar);
	pthread_barrier_wait(&bar);
	return NULL;
}

static int field(const char *path, const char *key, char *out, size_t len)
{
	char line[256];
	FILE *f = fopen(path, "r");
	int found = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, strlen(key)) && line[strlen(key)] == ':') {
			snprintf(out, len, "%s", line + strlen(key) + 1);
			out[strcspn(out, "\n")] = 0;
			found = 1;
		}
	fclose(f);
	return found;
}

static void on_usr1(int sig) { (void)sig; }

int main(void)
{
	pthread_t th[N];
	char path[256], v[128], want[64];
	struct dirent *de;
	int seen = 0, leader = 0, i;
	DIR *d;

	t_start();
	if (access("/proc/self/status", F_OK) != 0)	/* as init in ./linux */
		mount("proc", "/proc", "proc", 0, NULL);
	signal(SIGUSR1, on_usr1);
	signal(SIGWINCH, SIG_IGN);
	pthread_barrier_init(&bar, NULL, N + 1);
	for (i = 0; i < N; i++)
		pthread_create(&th[i], NULL, worker, (void *)(long)i);
	pthread_barrier_wait(&bar);

	d = opendir("/proc/self/task");
	check(d != NULL, "opendir /proc/self/task", "errno %d", errno);
	while (d && (de = readdir(d))) {
		pid_t t = atoi(de->d_name);

		if (t == getpid())
			leader++;
		for (i = 0; i < N; i++)
			seen += t == tids[i];
	}
	if (d)
		closedir(d);
	check(leader == 1 && seen == N, "it lists the leader and the three threads", "%d %d", leader, seen);
	CHECK_OK(field("/proc/self/status", "Threads", v, sizeof(v)) && atoi(v) == N + 1 ? 0 : -1,
		 "Threads: 4");
	for (i = 0; i < N; i++) {
		snprintf(path, sizeof(path), "/proc/%d/task/%d/status", getpid(), tids[i]);
		check(field(path, "Pid", v, sizeof(v)) && atoi(v) == tids[i], "task status: Pid is the tid",
		      "%s", v);
		check(field(path, "Tgid", v, sizeof(v)) && atoi(v) == getpid(),
		      "task status: Tgid is the process", "%s", v);
		check(field(path, "SigBlk", v, sizeof(v)) && !strcmp(v, "\t0000000000000800"),
		      "task status: SigBlk has SIGUSR2 (bit 11)", "%s", v);
		snprintf(want, sizeof(want), "worker-%d", i);
		snprintf(path, sizeof(path), "/proc/%d/task/%d/comm", getpid(), tids[i]);
		{
			FILE *f = fopen(path, "r");

			v[0] = 0;
			if (f) {
				fgets(v, sizeof(v), f);
				fclose(f);
			}
			v[strcspn(v, "\n")] = 0;
		}
		check(!strcmp(v, want), "task comm is the thread's name", "%s", v);
	}
	check(field("/proc/self/status", "SigBlk", v, sizeof(v)) && !strcmp(v, "\t0000000000000000"),
	      "the leader blocks nothing", "%s", v);
	check(field("/proc/self/status", "SigCgt", v, sizeof(v)) && (strtoull(v, NULL, 16) & 0x200),
	      "SigCgt has SIGUSR1 (bit 9)", "%s", v);
	check(field("/proc/self/status", "SigIgn", v, sizeof(v)) && (strtoull(v, NULL, 16) & (1 << 27)),
	      "SigIgn has SIGWINCH (bit 27)", "%s", v);
	snprintf(path, sizeof(path), "/proc/%d/task/%d/status", getpid(), getpid());
	check(field(path, "Name", v, sizeof(v)) && !strcmp(v, "\tproc_task"), "the leader's task Name",
	      "%s", v);
	pthread_barrier_wait(&bar);
	for (i = 0; i < N; i++)
		pthread_join(th[i], NULL);
	snprintf(path, sizeof(path), "/proc/%d/task/%d/status", getpid(), tids[0]);
	/* Linux wakes a join before the thread leaves /proc: give it a moment. */
	for (i = 0; i < 2000 && (access(path, F_OK) == 0 ||
				  !field("/proc/self/status", "Threads", v, sizeof(v)) || atoi(v) != 1); i++)
		usleep(1000);
	check(access(path, F_OK) != 0, "an exited thread's task entry is gone", "still there");
	check(field("/proc/self/status", "Threads", v, sizeof(v)) && atoi(v) == 1, "Threads: 1 again",
	      "%s", v);
	return t_done();
}
