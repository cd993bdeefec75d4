/*
 * coredump_status: how children die of each kind of signal.  With
 * RLIMIT_CORE 0 no core is written, so WCOREDUMP is clear even for the
 * core-dumping signals (SIGQUIT, SIGABRT, SIGSEGV, SIGBUS, SIGFPE,
 * SIGILL, SIGTRAP, SIGSYS, SIGXCPU, SIGXFSZ), and waitid says CLD_KILLED
 * for them all, as for SIGTERM or SIGKILL; stop signals stop, and the
 * ignored-by-default ones (SIGCHLD, SIGURG, SIGWINCH) do nothing.
 */
#include "t.h"
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

static const int deadly[] = { SIGQUIT, SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP,
			      SIGSYS, SIGXCPU, SIGXFSZ, SIGTERM, SIGKILL, SIGHUP, SIGINT,
			      SIGPIPE, SIGALRM, SIGUSR1, SIGVTALRM, SIGPROF, 34, 64 };

int main(void)
{
	struct rlimit rl = { 0, 0 };
	char name[64];
	siginfo_t si;
	pid_t pid;
	int st;
	size_t i;

	t_start();
	setrlimit(RLIMIT_CORE, &rl);
	for (i = 0; i < sizeof(deadly) / sizeof(deadly[0]); i++) {
		int sig = deadly[i];

		pid = fork();
		if (pid == 0) {
			raise(sig);
			_exit(100);
		}
		memset(&si, 0, sizeof(si));
		waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT);
		waitpid(pid, &st, 0);
		snprintf(name, sizeof(name), "signal %d kills, no core", sig);
		check(WIFSIGNALED(st) && WTERMSIG(st) == sig && !WCOREDUMP(st), name, "%#x", st);
		snprintf(name, sizeof(name), "signal %d: CLD_KILLED", sig);
		check(si.si_code == CLD_KILLED && si.si_status == sig, name, "code %d status %d",
		      si.si_code, si.si_status);
	}
	pid = fork();
	if (pid == 0) {
		raise(SIGCHLD);
		raise(SIGURG);
		raise(SIGWINCH);
		raise(SIGCONT);
		_exit(7);
	}
	check(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 7,
	      "SIGCHLD, SIGURG, SIGWINCH, SIGCONT are ignored by default", "%#x", st);
	for (i = 0; i < 3; i++) {
		int sig = (int[]){ SIGTSTP, SIGTTIN, SIGTTOU }[i];

		pid = fork();
		if (pid == 0) {
			raise(sig);
			_exit(8);
		}
		check(waitpid(pid, &st, WUNTRACED) == pid && WIFSTOPPED(st) && WSTOPSIG(st) == sig,
		      sig == SIGTSTP ? "SIGTSTP stops" : sig == SIGTTIN ? "SIGTTIN stops" : "SIGTTOU stops",
		      "%#x", st);
		kill(pid, SIGCONT);
		check(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 8,
		      "then goes on after SIGCONT", "%#x", st);
	}
	return t_done();
}
