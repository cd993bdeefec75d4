/*
 * waitid_opts: waitid with WNOWAIT (the zombie stays), WSTOPPED and
 * WCONTINUED (si_code CLD_STOPPED/CLD_CONTINUED, each reported once),
 * WNOHANG with nothing to report (0 and si_pid 0), CLD_EXITED and
 * CLD_KILLED, wait4 with WUNTRACED/WCONTINUED, and the errors.
 */
#include "t.h"
#include <signal.h>
#include <sys/wait.h>

static pid_t child_pausing(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		for (;;)
			pause();
	}
	return pid;
}

int main(void)
{
	siginfo_t si;
	pid_t pid;
	int st;

	t_start();
	pid = fork();
	if (pid == 0)
		_exit(3);
	memset(&si, 0, sizeof(si));
	CHECK_OK(waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT), "WNOWAIT");
	check(si.si_pid == pid && si.si_code == CLD_EXITED && si.si_status == 3 &&
	      si.si_signo == SIGCHLD, "WNOWAIT reports CLD_EXITED 3", "code %d status %d",
	      si.si_code, si.si_status);
	memset(&si, 0, sizeof(si));
	CHECK_OK(waitid(P_ALL, 0, &si, WEXITED | WNOWAIT), "WNOWAIT again: still there");
	check(si.si_pid == pid, "the same child", "%d", si.si_pid);
	memset(&si, 0, sizeof(si));
	CHECK_OK(waitid(P_PID, (id_t)pid, &si, WEXITED), "now reap it");
	check(si.si_pid == pid && si.si_status == 3, "reaped", "%d", si.si_pid);
	CHECK_ERR(waitid(P_PID, (id_t)pid, &si, WEXITED), ECHILD, "gone: ECHILD");

	pid = child_pausing();
	memset(&si, 0xff, sizeof(si));
	CHECK_OK(waitid(P_PID, (id_t)pid, &si, WEXITED | WSTOPPED | WNOHANG), "WNOHANG, nothing yet");
	check(si.si_pid == 0 && si.si_signo == 0, "si_pid and si_signo 0", "pid %d signo %d",
	      si.si_pid, si.si_signo);
	kill(pid, SIGSTOP);
	memset(&si, 0, sizeof(si));
	CHECK_OK(waitid(P_PID, (id_t)pid, &si, WSTOPPED), "WSTOPPED");
	check(si.si_code == CLD_STOPPED && si.si_status == SIGSTOP, "CLD_STOPPED by SIGSTOP",
	      "code %d status %d", si.si_code, si.si_status);
	memset(&si, 0, sizeof(si));
	CHECK_OK(waitid(P_PID, (id_t)pid, &si, WSTOPPED | WNOHANG), "the stop is reported once");
	check(si.si_pid == 0, "nothing the second time", "%d", si.si_pid);
	kill(pid, SIGCONT);
	memset(&si, 0, sizeof(si));
	CHECK_OK(waitid(P_PID, (id_t)pid, &si, WCONTINUED), "WCONTINUED");
	check(si.si_code == CLD_CONTINUED && si.si_status == SIGCONT, "CLD_CONTINUED, SIGCONT",
	      "code %d status %d", si.si_code, si.si_status);
	kill(pid, SIGSTOP);
	check(waitpid(pid, &st, WUNTRACED) == pid && WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP,
	      "wait4 WUNTRACED", "%#x", st);
	kill(pid, SIGCONT);
	check(waitpid(pid, &st, WCONTINUED) == pid && WIFCONTINUED(st), "wait4 WCONTINUED", "%#x", st);
	kill(pid, SIGTERM);
	memset(&si, 0, sizeof(si));
	CHECK_OK(waitid(P_PID, (id_t)pid, &si, WEXITED), "WEXITED after SIGTERM");
	check(si.si_code == CLD_KILLED && si.si_status == SIGTERM, "CLD_KILLED, SIGTERM",
	      "code %d status %d", si.si_code, si.si_status);

	CHECK_ERR(waitid(P_ALL, 0, &si, 0), EINVAL, "no WEXITED/WSTOPPED/WCONTINUED");
	CHECK_ERR(waitid(P_ALL, 0, &si, WEXITED | 0x100), EINVAL, "an unknown option");
	CHECK_ERR(waitid(7, 0, &si, WEXITED), EINVAL, "idtype 7");
	CHECK_ERR(waitid(P_PID, 0, &si, WEXITED), EINVAL, "P_PID 0");
	CHECK_ERR(waitid(P_ALL, 0, &si, WEXITED), ECHILD, "no children");
	CHECK_ERR(waitpid(-1, &st, WNOWAIT), EINVAL, "wait4 does not take WNOWAIT");
	pid = fork();
	if (pid == 0)
		_exit(0);
	CHECK_ERR(waitid(P_PID, (id_t)pid, (siginfo_t *)8, WEXITED), EFAULT, "bad siginfo pointer");
	CHECK_ERR(waitid(P_PID, (id_t)pid, &si, WEXITED), ECHILD, "reaped even so");
	return t_done();
}
