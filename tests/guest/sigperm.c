/*
 * sigperm: who may signal whom, as Linux's kill_ok_by_cred: an
 * unprivileged process gets EPERM from kill (signal 0 included), tgkill,
 * rt_sigqueueinfo, rt_tgsigqueueinfo and pidfd_send_signal aimed at a
 * root process, except SIGCONT within its session; it may queue itself
 * a siginfo with a non-negative si_code or SI_TKILL (only another
 * process is refused that; SI_TKILL reads back as SI_USER); a process of the same uid may be signalled; root may
 * signal anyone.  ESRCH comes before EPERM for a missing target.
 */
#include "t.h"
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif

static long qinfo(pid_t pid, int sig, int code)
{
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	si.si_signo = sig;
	si.si_code = code;
	si.si_pid = getpid();
	return syscall(SYS_rt_sigqueueinfo, pid, sig, &si);
}

static long tgqinfo(pid_t tgid, pid_t tid, int sig, int code)
{
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	si.si_signo = sig;
	si.si_code = code;
	return syscall(SYS_rt_tgsigqueueinfo, tgid, tid, sig, &si);
}

static int expect(long r, int e)
{
	return e ? (r == -1 && errno == e) : r == 0;
}

/* The unprivileged side; returns the number of the first step that failed. */
static int nobody(pid_t root, int pidfd, pid_t peer)
{
	sigset_t set;
	siginfo_t si;

	if (!expect(kill(root, SIGUSR1), EPERM))
		return 1;
	if (!expect(kill(root, 0), EPERM))
		return 2;
	if (!expect(syscall(SYS_tgkill, root, root, SIGUSR1), EPERM))
		return 3;
	if (!expect(qinfo(root, SIGUSR1, SI_QUEUE), EPERM))
		return 4;
	if (!expect(tgqinfo(root, root, SIGUSR1, SI_QUEUE), EPERM))
		return 5;
	if (!expect(syscall(SYS_pidfd_send_signal, pidfd, SIGUSR1, NULL, 0), EPERM))
		return 6;
	if (!expect(kill(root, SIGCONT), 0))
		return 7;		/* same session */
	if (!expect(kill(0x3ffffff0, SIGUSR1), ESRCH))
		return 8;
	if (!expect(syscall(SYS_tgkill, root, 0x3ffffff0, SIGUSR1), ESRCH))
		return 9;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	if (!expect(qinfo(getpid(), SIGUSR2, SI_USER), 0))
		return 10;		/* to itself: any si_code */
	memset(&si, 0, sizeof(si));
	if (sigwaitinfo(&set, &si) != SIGUSR2 || si.si_code != SI_USER)
		return 11;
	if (!expect(tgqinfo(getpid(), (pid_t)syscall(SYS_gettid), SIGUSR2, SI_TKILL), 0))
		return 12;
	if (sigwaitinfo(&set, &si) != SIGUSR2 || si.si_code != SI_USER)
		return 13;		/* Linux hands a queued SI_TKILL back as SI_USER */
	if (!expect(kill(peer, 0), 0) || !expect(kill(peer, SIGUSR2), 0))
		return 14;		/* the same uid */
	if (!expect(qinfo(peer, SIGUSR2, SI_USER), EPERM))
		return 15;		/* a kernel-looking code to another process */
	if (!expect(qinfo(peer, SIGUSR2, SI_QUEUE), 0))
		return 16;
	return 0;
}

int main(void)
{
	pid_t root = getpid(), peer, kid;
	int pidfd, st, r, ready[2];
	sigset_t set;
	char c;

	t_start();
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);	/* nothing gets through anyway */
	pidfd = (int)syscall(SYS_pidfd_open, root, 0);
	check(pidfd >= 0, "pidfd of ourselves", "errno %d", errno);
	/*
	 * The peer says when it is nobody with SIGUSR2 blocked: before that,
	 * nobody's kill of it is EPERM and a SIGUSR2 would kill it.
	 */
	check(pipe(ready) == 0, "a pipe", "errno %d", errno);
	peer = fork();
	if (peer == 0) {
		sigset_t s2;

		close(ready[0]);
		if (setresuid(65534, 65534, 65534) != 0)
			_exit(100);
		sigemptyset(&s2);
		sigaddset(&s2, SIGUSR2);
		sigprocmask(SIG_BLOCK, &s2, NULL);
		if (write(ready[1], "r", 1) != 1)
			_exit(101);
		for (;;)
			pause();
	}
	close(ready[1]);
	check(read(ready[0], &c, 1) == 1, "the peer is nobody with SIGUSR2 blocked", "it exited");
	close(ready[0]);
	kid = fork();
	if (kid == 0) {
		if (setresuid(65534, 65534, 65534) != 0)
			_exit(100);
		_exit(nobody(root, pidfd, peer));
	}
	st = -1;
	if (waitpid(kid, &st, 0) != kid)
		st = -1;
	r = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	check(r == 0, "an unprivileged process's signals, step by step", "step %d", r);
	/* Another session: SIGCONT is refused too. */
	kid = fork();
	if (kid == 0) {
		setsid();
		if (setresuid(65534, 65534, 65534) != 0)
			_exit(100);
		_exit(expect(kill(root, SIGCONT), EPERM) ? 0 : 1);
	}
	st = -1;
	if (waitpid(kid, &st, 0) != kid)
		st = -1;
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "SIGCONT from another session: EPERM", "%#x",
	      st);
	CHECK_OK(kill(peer, 0), "root may signal nobody's process");
	CHECK_OK(qinfo(peer, SIGUSR2, SI_QUEUE), "and queue it a siginfo");
	CHECK_ERR(qinfo(peer, SIGUSR2, SI_USER), EPERM, "but not a non-negative si_code, even root");
	CHECK_ERR(tgqinfo(peer, peer, SIGUSR2, SI_TKILL), EPERM, "nor SI_TKILL, even root");
	CHECK_OK(kill(peer, SIGKILL), "SIGKILL it");
	st = -1;
	if (waitpid(peer, &st, 0) != peer)
		st = -1;
	check(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "it died of SIGKILL", "%#x", st);
	return t_done();
}
