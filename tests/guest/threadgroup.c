/*
 * threadgroup.c - a thread group seen from outside: execve from a thread
 * that is not the leader (the others die, it takes the leader's pid), a
 * fatal signal to one thread killing the whole group, SIGSTOP/SIGCONT
 * stopping and continuing every thread (wait4 WUNTRACED/WCONTINUED),
 * SIGKILL ending a group with threads blocked in the kernel, sigsuspend
 * in one thread while another runs, ITIMER_REAL and CPU times belonging
 * to the process, and threads spinning in user mode preempted by the
 * timer (else this program never ends).
 */
#include "t.h"
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <time.h>

static char **saved_argv;
static volatile int spin_stop;

static void *forever(void *arg)
{
	for (;;)
		pause();
	return arg;
}

static void *exec_thread(void *arg)
{
	char pid[16];

	snprintf(pid, sizeof(pid), "%d", getpid());
	execl("/proc/self/exe", saved_argv[0], "after-exec", pid, (char *)NULL);
	_exit(99);
}

/* Runs in the exec'd image: same pid, one thread, the old ones gone. */
static int after_exec(const char *oldpid)
{
	int ok = getpid() == atoi(oldpid) && syscall(SYS_gettid) == getpid();

	return ok ? 42 : 43;
}

static void test_exec_from_thread(void)
{
	pid_t pid = fork();
	int st = 0;

	if (pid == 0) {
		pthread_t th;

		for (int i = 0; i < 3; i++)
			pthread_create(&th, NULL, forever, NULL);
		pthread_create(&th, NULL, exec_thread, NULL);
		for (;;)
			pause();
	}
	waitpid(pid, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 42,
	      "execve from a thread: the program runs with the leader's pid, alone",
	      "status %#x", st);
}

static void *segv_thread(void *arg)
{
	*(volatile int *)0 = 1;
	return arg;
}

static void test_fatal_signal(void)
{
	pid_t pid = fork();
	int st = 0;

	if (pid == 0) {
		pthread_t th;

		for (int i = 0; i < 4; i++)
			pthread_create(&th, NULL, forever, NULL);
		pthread_create(&th, NULL, segv_thread, NULL);
		for (;;)
			pause();
	}
	waitpid(pid, &st, 0);
	check(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV,
	      "a fault in one thread kills the whole process", "status %#x", st);
}

static volatile long ticks;

static void *counting(void *arg)
{
	for (;;)
		__atomic_add_fetch(&ticks, 1, __ATOMIC_RELAXED);
	return arg;
}

/* SIGSTOP stops every thread, SIGCONT resumes them, SIGKILL ends them. */
static void test_stop_cont(void)
{
	int pfd[2], st = 0;
	pid_t pid;
	char c;

	if (pipe(pfd) < 0)
		return;
	pid = fork();
	if (pid == 0) {
		pthread_t th;

		close(pfd[0]);
		for (int i = 0; i < 3; i++)
			pthread_create(&th, NULL, forever, NULL);
		pthread_create(&th, NULL, counting, NULL);
		if (write(pfd[1], "x", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(pfd[1]);
	if (read(pfd[0], &c, 1) != 1)
		c = 0;
	close(pfd[0]);
	kill(pid, SIGSTOP);
	check(waitpid(pid, &st, WUNTRACED) == pid && WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP,
	      "SIGSTOP to a threaded process: WIFSTOPPED", "status %#x", st);
	kill(pid, SIGCONT);
	check(waitpid(pid, &st, WCONTINUED) == pid && WIFCONTINUED(st),
	      "SIGCONT: WIFCONTINUED", "status %#x", st);
	kill(pid, SIGKILL);
	check(waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL,
	      "SIGKILL ends it with threads sleeping and spinning", "status %#x", st);
}

static volatile int suspended_got;
static void on_usr1(int sig) { suspended_got = sig; }

static void *suspender(void *arg)
{
	sigset_t none;

	sigemptyset(&none);
	sigsuspend(&none);	/* SIGUSR1 is blocked elsewhere: only here it lands */
	return arg;
}

static void test_sigsuspend_thread(void)
{
	struct sigaction sa = { 0 };
	sigset_t set, old;
	pthread_t th;

	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	pthread_create(&th, NULL, suspender, NULL);
	while (suspended_got == 0) {	/* until it is in sigsuspend and takes one */
		kill(getpid(), SIGUSR1);
		usleep(2000);
	}
	pthread_join(th, NULL);
	check(suspended_got == SIGUSR1, "a process signal wakes the thread in sigsuspend",
	      "got %d", suspended_got);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	signal(SIGUSR1, SIG_DFL);
}

static volatile int alarm_tid;
static void on_alrm(int sig) { alarm_tid = (int)syscall(SYS_gettid); }

static void *alarm_taker(void *arg)
{
	sigset_t none;

	sigemptyset(&none);
	pthread_sigmask(SIG_SETMASK, &none, NULL);
	while (!alarm_tid)
		usleep(1000);
	return arg;
}

/* ITIMER_REAL is the process's: set in the leader, taken by the thread that can. */
static void test_itimer(void)
{
	struct sigaction sa = { 0 };
	struct itimerval it = { { 0, 0 }, { 0, 20000 } }, cur;
	sigset_t set, old;
	pthread_t th;
	static int tid;

	sa.sa_handler = on_alrm;
	sigaction(SIGALRM, &sa, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGALRM);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	pthread_create(&th, NULL, alarm_taker, &tid);
	setitimer(ITIMER_REAL, &it, NULL);
	pthread_join(th, NULL);
	check(alarm_tid != 0 && alarm_tid != getpid(), "SIGALRM taken by the unblocked thread",
	      "tid %d", alarm_tid);
	getitimer(ITIMER_REAL, &cur);
	check(cur.it_value.tv_sec == 0 && cur.it_value.tv_usec == 0, "the timer is spent", "left");
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	signal(SIGALRM, SIG_DFL);
}

static void *burn(void *arg)
{
	struct timespec a, b;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a);
	do
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b);
	while ((b.tv_sec - a.tv_sec) * 1000000000L + (b.tv_nsec - a.tv_nsec) < 50000000L);
	return arg;
}

/* A thread's CPU time counts in the process's, and stays after it exits. */
static void test_cpu_times(void)
{
	struct timespec self, proc;
	pthread_t th;

	pthread_create(&th, NULL, burn, NULL);
	pthread_join(th, NULL);
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &self);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &proc);
	check(proc.tv_sec * 1000000000L + proc.tv_nsec >= 50000000L &&
	      (proc.tv_sec > self.tv_sec || proc.tv_nsec > self.tv_nsec),
	      "process CPU time includes an exited thread's", "process %ld.%09ld",
	      (long)proc.tv_sec, proc.tv_nsec);
}

static void *setpgid_thread(void *arg)
{
	*(int *)arg = setpgid(0, 0) == 0 ? 0 : errno;
	return NULL;
}

/* setpgid(0, 0) in a thread makes the process (its pid) a group leader. */
static void test_setpgid_thread(void)
{
	pid_t pid = fork();
	int st = 0;

	if (pid == 0) {
		pthread_t th;
		int err = -1;

		pthread_create(&th, NULL, setpgid_thread, &err);
		pthread_join(th, NULL);
		_exit(err == 0 && getpgrp() == getpid() ? 0 : 1);
	}
	waitpid(pid, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "setpgid(0, 0) in a thread: the process's group is its pid", "status %#x", st);
}

static void *forker(void *arg)
{
	pid_t *pids = arg;
	char *argv[] = { "true", NULL };

	pids[0] = fork();
	if (pids[0] == 0)
		_exit(4);
	/* posix_spawn is CLONE_VM|CLONE_VFORK: this thread waits, the others run. */
	if (posix_spawn(&pids[1], "/bin/true", NULL, NULL, argv, NULL) != 0)
		pids[1] = -1;
	return NULL;
}

/* Children of one thread are the process's: another thread reaps them. */
static void test_children_of_threads(void)
{
	static pid_t pids[2];
	pthread_t th;
	int st = 0, st2 = 0;

	pthread_create(&th, NULL, forker, pids);
	pthread_join(th, NULL);
	check(pids[0] > 0 && waitpid(pids[0], &st, 0) == pids[0] && WIFEXITED(st) &&
	      WEXITSTATUS(st) == 4, "the leader reaps a child a thread forked", "status %#x", st);
	check(pids[1] > 0 && waitpid(pids[1], &st2, 0) == pids[1] && WIFEXITED(st2),
	      "and one it posix_spawn'ed (vfork)", "pid %d status %#x", pids[1], st2);
	CHECK_ERR(waitpid(-1, NULL, WNOHANG), ECHILD, "no children left");
}

static volatile int pipe_tid;
static void on_pipe(int sig) { pipe_tid = (int)syscall(SYS_gettid); }

static void *pipe_watcher(void *arg)
{
	sigset_t none;

	sigemptyset(&none);
	pthread_sigmask(SIG_SETMASK, &none, NULL);
	while (!*(volatile int *)arg)
		usleep(1000);
	return NULL;
}

/* SIGPIPE goes to the thread that wrote, even if it blocks it. */
static void test_sigpipe_thread(void)
{
	struct sigaction sa = { 0 };
	sigset_t set, old, pend;
	static int stop;
	pthread_t th;
	int p[2];

	sa.sa_handler = on_pipe;
	sigaction(SIGPIPE, &sa, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	pthread_create(&th, NULL, pipe_watcher, &stop);
	if (pipe(p) < 0)
		return;
	close(p[0]);
	CHECK_ERR(write(p[1], "x", 1), EPIPE, "write to a pipe with no reader: EPIPE");
	usleep(20000);
	stop = 1;
	pthread_join(th, NULL);
	sigpending(&pend);
	check(pipe_tid == 0 && sigismember(&pend, SIGPIPE),
	      "SIGPIPE stays pending on the writer, not taken by another thread",
	      "taken by %s", pipe_tid ? "a thread" : "nobody, and not pending");
	sigwaitinfo(&set, NULL);
	close(p[1]);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	signal(SIGPIPE, SIG_DFL);
}

static volatile int spin_go = 1;

static void *spinner(void *arg)
{
	while (spin_go)
		;		/* never enters the kernel: only the timer can preempt it */
	return arg;
}

/* A thread spinning in user mode does not starve the other threads. */
static void test_preempt(void)
{
	pthread_t th[2];
	int naps = 0;

	for (int i = 0; i < 2; i++)
		pthread_create(&th[i], NULL, spinner, NULL);
	for (int i = 0; i < 20; i++)
		naps += usleep(1000) == 0;
	spin_go = 0;
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	check(naps == 20, "the main thread runs beside two spinning threads", "naps %d", naps);
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "after-exec") == 0)
		return after_exec(argv[2]);
	saved_argv = argv;
	t_start();
	if (getpid() == 1)	/* init inside ./linux: nothing mounted yet */
		mount("proc", "/proc", "proc", 0, NULL);
	test_exec_from_thread();
	test_fatal_signal();
	test_stop_cont();
	test_sigsuspend_thread();
	test_itimer();
	test_cpu_times();
	test_preempt();
	test_setpgid_thread();
	test_children_of_threads();
	test_sigpipe_thread();
	return t_done();
}
