/*
 * kill_zombie.c - an unreaped zombie still exists for kill(2): signal 0
 * and SIGKILL give 0 (and change nothing: the status reaped is the
 * exit's), and so does tgkill of its leader; once reaped, ESRCH.
 */
#include "t.h"
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>

int main(void)
{
	int p[2], st = -1;
	char c;
	pid_t pid;

	t_start();
	pipe(p);
	pid = fork();
	if (pid == 0)
		_exit(7);
	/* Wait for it to be a zombie without reaping it. */
	siginfo_t si;
	waitid(P_PID, pid, &si, WEXITED | WNOWAIT);
	check(si.si_pid == pid && si.si_status == 7, "the child is a zombie", "waitid");
	CHECK_OK(kill(pid, 0), "kill(zombie, 0) = 0");
	CHECK_OK(kill(pid, SIGKILL), "kill(zombie, SIGKILL) = 0");
	CHECK_OK(kill(pid, SIGSTOP), "kill(zombie, SIGSTOP) = 0");
	CHECK_OK(syscall(SYS_tgkill, pid, pid, 0), "tgkill(zombie leader) = 0");
	CHECK_OK(syscall(SYS_tgkill, pid, pid, SIGTERM), "tgkill(zombie leader, SIGTERM) = 0");
	CHECK_ERR(kill(pid, 99), EINVAL, "kill(zombie, 99) EINVAL");
	check(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 7,
	      "reaped with its exit status, not SIGKILL's", "status %x", st);
	CHECK_ERR(kill(pid, 0), ESRCH, "kill(reaped, 0) ESRCH");
	(void)c;
	return t_failed != 0;
}
