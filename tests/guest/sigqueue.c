/*
 * sigqueue.c - rt_sigqueueinfo and rt_tgsigqueueinfo: sigqueue delivers
 * SI_QUEUE with its value and the sender's pid; pthread_sigqueue reaches
 * the thread named; a forged si_code (SI_USER, SI_TKILL, kernel codes) is
 * allowed only to itself, EPERM to another process; bad pids ESRCH, bad
 * ids EINVAL, bad pointers EFAULT; signal 0 checks only.
 */
#include "t.h"
#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static volatile int got_code, got_val, got_pid;
static volatile pid_t got_tid;

static void on_sig(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	got_code = si->si_code;
	got_val = si->si_value.sival_int;
	got_pid = si->si_pid;
	got_tid = (pid_t)syscall(SYS_gettid);
}

static volatile int stop;
static volatile pid_t thread_tid;

static void *waiter(void *arg)
{
	thread_tid = (pid_t)syscall(SYS_gettid);
	while (!stop)
		usleep(1000);
	return arg;
}

int main(void)
{
	struct sigaction sa;
	union sigval v = { .sival_int = 42 };
	siginfo_t si;
	pthread_t th;
	int p[2], st;
	char c;

	t_start();
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sig;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR1, &sa, NULL);
	CHECK_OK(sigqueue(getpid(), SIGUSR1, v), "sigqueue to itself");
	check(got_code == SI_QUEUE && got_val == 42 && got_pid == getpid(), "SI_QUEUE, its value, its pid",
	      "code %d val %d pid %d", got_code, got_val, got_pid);

	pthread_create(&th, NULL, waiter, NULL);
	while (!thread_tid)
		usleep(1000);
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	sigprocmask(SIG_BLOCK, &s, NULL);	/* only the thread can take it */
	got_tid = 0;
	v.sival_int = 7;
	CHECK_OK(pthread_sigqueue(th, SIGUSR1, v), "pthread_sigqueue");
	for (int i = 0; i < 2000 && got_tid == 0; i++)
		usleep(1000);
	check(got_tid == thread_tid && got_val == 7, "the named thread takes it", "tid %d want %d", (int)got_tid,
	      (int)thread_tid);
	stop = 1;
	pthread_join(th, NULL);
	sigprocmask(SIG_UNBLOCK, &s, NULL);

	memset(&si, 0, sizeof(si));
	si.si_code = SI_USER;
	CHECK_OK(syscall(SYS_rt_sigqueueinfo, getpid(), SIGUSR1, &si), "a forged SI_USER to itself");
	pipe(p);
	pid_t pid = fork();
	if (pid == 0) {
		read(p[0], &c, 1);
		_exit(0);
	}
	CHECK_ERR(syscall(SYS_rt_sigqueueinfo, pid, SIGUSR1, &si), EPERM, "SI_USER to another process");
	si.si_code = SI_TKILL;
	CHECK_ERR(syscall(SYS_rt_sigqueueinfo, pid, SIGUSR1, &si), EPERM, "SI_TKILL to another process");
	si.si_code = SI_KERNEL;
	CHECK_ERR(syscall(SYS_rt_sigqueueinfo, pid, SIGUSR1, &si), EPERM, "SI_KERNEL to another process");
	si.si_code = SI_QUEUE;
	CHECK_OK(syscall(SYS_rt_sigqueueinfo, pid, 0, &si), "SI_QUEUE, signal 0, to another process");
	write(p[1], "x", 1);
	waitpid(pid, &st, 0);
	CHECK_ERR(syscall(SYS_rt_sigqueueinfo, 0x3ffffff0, SIGUSR1, &si), ESRCH, "no such process");
	CHECK_ERR(syscall(SYS_rt_sigqueueinfo, getpid(), SIGUSR1, (void *)8), EFAULT, "bad siginfo");
	CHECK_ERR(syscall(SYS_rt_tgsigqueueinfo, 0, 1, SIGUSR1, &si), EINVAL, "tgsigqueueinfo tgid 0");
	CHECK_ERR(syscall(SYS_rt_tgsigqueueinfo, getpid(), 0x3ffffff0, SIGUSR1, &si), ESRCH,
		  "tgsigqueueinfo no such thread");
	return t_failed != 0;
}
