/*
 * pidfd: clone3 with CLONE_PIDFD, pidfd_open, pidfd_send_signal and
 * waitid(P_PIDFD); a pidfd polls readable once its process has exited;
 * the errors of each (EINVAL flags, EBADF, ESRCH once reaped, EINVAL
 * for a thread's tid to pidfd_open).
 */
#include "t.h"
#include <linux/sched.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

static int pidfd_send_signal(int fd, int sig, siginfo_t *info, unsigned flags)
{
	return (int)syscall(SYS_pidfd_send_signal, fd, sig, info, flags);
}

static void *idle(void *arg)
{
	*(volatile pid_t *)arg = (pid_t)syscall(SYS_gettid);
	pause();
	return NULL;
}

int main(void)
{
	struct clone_args a = { .flags = CLONE_PIDFD, .exit_signal = SIGCHLD };
	int pidfd = -1, fd2, st;
	struct pollfd p;
	siginfo_t si;
	pthread_t th;
	volatile pid_t tid = 0;
	long pid;

	t_start();
	a.pidfd = (uintptr_t)&pidfd;
	pid = syscall(SYS_clone3, &a, sizeof(a));
	if (pid == 0) {
		pause();
		_exit(1);
	}
	check(pid > 0 && pidfd >= 0, "clone3 CLONE_PIDFD gives a pidfd", "pid %ld fd %d", pid, pidfd);
	check(fcntl(pidfd, F_GETFD) == FD_CLOEXEC, "the pidfd is close-on-exec", "flags %d",
	      fcntl(pidfd, F_GETFD));
	p.fd = pidfd;
	p.events = POLLIN;
	check(poll(&p, 1, 0) == 0, "not readable while the child runs", "revents %#x", p.revents);
	CHECK_ERR(pidfd_send_signal(pidfd, SIGTERM, NULL, 0x100), EINVAL, "pidfd_send_signal unknown flag");
	CHECK_ERR(pidfd_send_signal(0, SIGTERM, NULL, 0), EBADF, "pidfd_send_signal on stdin");
	CHECK_ERR(pidfd_send_signal(pidfd, 65, NULL, 0), EINVAL, "pidfd_send_signal signal 65");
	CHECK_OK(pidfd_send_signal(pidfd, 0, NULL, 0), "signal 0 probes");
	memset(&si, 0, sizeof(si));
	check(waitid(P_PIDFD, (id_t)pidfd, &si, WEXITED | WNOHANG) == 0 && si.si_pid == 0,
	      "waitid WNOHANG while it runs: 0, si_pid 0", "si_pid %d", si.si_pid);
	CHECK_OK(pidfd_send_signal(pidfd, SIGTERM, NULL, 0), "pidfd_send_signal SIGTERM");
	check(poll(&p, 1, 5000) == 1 && (p.revents & POLLIN), "readable once it has exited",
	      "revents %#x", p.revents);
	memset(&si, 0, sizeof(si));
	CHECK_OK(waitid(P_PIDFD, (id_t)pidfd, &si, WEXITED), "waitid(P_PIDFD)");
	check(si.si_pid == pid && si.si_code == CLD_KILLED && si.si_status == SIGTERM,
	      "it died of SIGTERM", "pid %d code %d status %d", si.si_pid, si.si_code, si.si_status);
	CHECK_ERR(pidfd_send_signal(pidfd, SIGTERM, NULL, 0), ESRCH, "signal after the reap: ESRCH");
	CHECK_ERR(waitid(P_PIDFD, (id_t)pidfd, &si, WEXITED), ECHILD, "waitid again: ECHILD");
	CHECK_ERR(waitid(P_PIDFD, 0, &si, WEXITED), EBADF, "waitid(P_PIDFD) on stdin");
	close(pidfd);

	/* pidfd_open of a child; of a thread's tid; of nothing. */
	pid = fork();
	if (pid == 0) {
		pause();
		_exit(1);
	}
	fd2 = (int)syscall(SYS_pidfd_open, pid, 0);
	check(fd2 >= 0, "pidfd_open of a child", "errno %d", errno);
	CHECK_ERR(syscall(SYS_pidfd_open, pid, 1), EINVAL, "pidfd_open flags 1");
	CHECK_ERR(syscall(SYS_pidfd_open, -1, 0), EINVAL, "pidfd_open(-1)");
	pthread_create(&th, NULL, idle, (void *)&tid);
	while (!tid)
		sched_yield();
	CHECK_ERR(syscall(SYS_pidfd_open, tid, 0), ENOENT, "pidfd_open of a thread's tid");
	pthread_cancel(th);
	pthread_join(th, NULL);
	memset(&si, 0, sizeof(si));
	si.si_signo = SIGUSR1;
	si.si_code = SI_QUEUE;
	si.si_value.sival_int = 5;
	si.si_code = SI_KERNEL;
	CHECK_ERR(pidfd_send_signal(fd2, SIGUSR1, &si, 0), EPERM, "SI_KERNEL info to another: EPERM");
	si.si_code = SI_QUEUE;
	CHECK_OK(pidfd_send_signal(fd2, SIGKILL, NULL, 0), "SIGKILL through pidfd_open's fd");
	check(waitpid((pid_t)pid, &st, 0) == pid && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL,
	      "the child was killed", "%#x", st);
	CHECK_ERR(syscall(SYS_pidfd_open, pid, 0), ESRCH, "pidfd_open of a reaped pid");
	close(fd2);
	/* pidfd_send_signal to oneself with a siginfo of our own. */
	fd2 = (int)syscall(SYS_pidfd_open, getpid(), 0);
	signal(SIGUSR1, SIG_IGN);
	CHECK_OK(pidfd_send_signal(fd2, SIGUSR1, &si, 0), "to oneself with SI_QUEUE info");
	si.si_code = SI_KERNEL;
	CHECK_OK(pidfd_send_signal(fd2, SIGUSR1, &si, 0), "SI_KERNEL info to oneself is allowed");
	si.si_code = SI_QUEUE;
	si.si_signo = SIGUSR2;
	CHECK_ERR(pidfd_send_signal(fd2, SIGUSR1, &si, 0), EINVAL, "si_signo differs: EINVAL");
	return t_done();
}
