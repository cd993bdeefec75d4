/*
 * signal.c - signals: handlers and siginfo, SIGCHLD, blocking and
 * pending, the mask during and after a handler, catching SIGSEGV from a
 * write to NULL and leaving the handler with siglongjmp.
 */
#include "t.h"
#include <setjmp.h>
#include <signal.h>
#include <sys/wait.h>

static volatile sig_atomic_t got, got_code, chld, blocked_in_handler;
static sigjmp_buf jb;
static volatile void *fault_addr;

static void on_usr1(int sig, siginfo_t *si, void *uc)
{
	sigset_t cur;

	got = sig;
	got_code = si->si_code;
	sigprocmask(SIG_SETMASK, NULL, &cur);
	blocked_in_handler = sigismember(&cur, SIGUSR1);
}

static void on_chld(int sig)
{
	chld++;
}

static volatile sig_atomic_t usr2;
static void on_usr2(int sig)
{
	usr2++;
}

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	fault_addr = si->si_addr;
	siglongjmp(jb, 1);
}

static void test_handler(void)
{
	struct sigaction sa = { 0 };
	sigset_t cur;

	sa.sa_sigaction = on_usr1;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	CHECK_OK(sigaction(SIGUSR1, &sa, NULL), "sigaction SIGUSR1");
	raise(SIGUSR1);
	check(got == SIGUSR1, "handler ran", "got %d", (int)got);
	check(got_code == SI_TKILL, "si_code SI_TKILL", "got %d", (int)got_code);
	check(blocked_in_handler, "signal blocked inside its handler", "not blocked");
	sigprocmask(SIG_SETMASK, NULL, &cur);
	check(!sigismember(&cur, SIGUSR1), "mask restored after handler", "still blocked");
	struct sigaction old;
	sigaction(SIGUSR1, NULL, &old);
	check(old.sa_sigaction == on_usr1 && (old.sa_flags & SA_SIGINFO), "sigaction reads back", "no");
	got = 0;
	kill(getpid(), SIGUSR1);
	check(got == SIGUSR1 && got_code == SI_USER, "kill to self: SI_USER", "got %d code %d",
	      (int)got, (int)got_code);
}

static void test_mask(void)
{
	sigset_t set, pend, old;

	got = 0;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	CHECK_OK(sigprocmask(SIG_BLOCK, &set, &old), "block SIGUSR1");
	raise(SIGUSR1);
	check(got == 0, "blocked signal not delivered", "delivered");
	sigpending(&pend);
	check(sigismember(&pend, SIGUSR1), "sigpending shows it", "not pending");
	CHECK_OK(sigprocmask(SIG_SETMASK, &old, NULL), "unblock");
	check(got == SIGUSR1, "delivered on unblock", "got %d", (int)got);
	sigpending(&pend);
	check(!sigismember(&pend, SIGUSR1), "no longer pending", "pending");
	/* SIGKILL and SIGSTOP cannot be blocked or caught. */
	sigfillset(&set);
	sigprocmask(SIG_SETMASK, &set, &old);
	sigprocmask(SIG_SETMASK, NULL, &set);
	check(!sigismember(&set, SIGKILL) && !sigismember(&set, SIGSTOP), "SIGKILL/SIGSTOP unblockable", "blocked");
	sigprocmask(SIG_SETMASK, &old, NULL);
	struct sigaction sa = { 0 };
	sa.sa_handler = on_chld;
	CHECK_ERR(sigaction(SIGKILL, &sa, NULL), EINVAL, "sigaction SIGKILL");
	/* Ignored signals are discarded. */
	signal(SIGUSR2, SIG_IGN);
	raise(SIGUSR2);
	sigpending(&pend);
	check(!sigismember(&pend, SIGUSR2), "ignored signal not left pending", "pending");
	sa.sa_handler = on_usr2;
	sigaction(SIGUSR2, &sa, NULL);
	check(usr2 == 0, "ignored signal discarded, not delivered later", "handler ran %d times", (int)usr2);
	raise(SIGUSR2);
	check(usr2 == 1, "handled signal delivered after SIG_IGN", "handler ran %d times", (int)usr2);
	signal(SIGUSR2, SIG_DFL);
}

static void test_chld(void)
{
	struct sigaction sa = { 0 };
	int st;

	sa.sa_handler = on_chld;
	sigaction(SIGCHLD, &sa, NULL);
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	waitpid(pid, &st, 0);
	check(chld == 1, "SIGCHLD handler ran once", "count %d", (int)chld);
	signal(SIGCHLD, SIG_DFL);
}

static void test_segv(void)
{
	struct sigaction sa = { 0 };
	sigset_t cur;

	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO;
	CHECK_OK(sigaction(SIGSEGV, &sa, NULL), "sigaction SIGSEGV");
	volatile int faulted = 0;

	if (sigsetjmp(jb, 1) == 0)
		*(volatile int *)0 = 1;
	else
		faulted = 1;
	check(faulted, "write to NULL faults", "no fault");
	check(fault_addr == NULL, "si_addr is NULL", "other address");
	sigprocmask(SIG_SETMASK, NULL, &cur);
	check(!sigismember(&cur, SIGSEGV), "siglongjmp restored mask", "SIGSEGV still blocked");
	if (sigsetjmp(jb, 1) == 0)
		*(volatile int *)0x1000 = 2;
	check(fault_addr == (void *)0x1000, "si_addr of a second fault", "wrong address");
	signal(SIGSEGV, SIG_DFL);
}

static void on_alt(int sig)
{
	int local;
	stack_t ss;

	sigaltstack(NULL, &ss);
	got = (ss.ss_flags & SS_ONSTACK) && (char *)&local >= (char *)ss.ss_sp &&
	      (char *)&local < (char *)ss.ss_sp + ss.ss_size;
}

static void test_altstack(void)
{
	static char stack[65536];
	stack_t ss = { .ss_sp = stack, .ss_size = sizeof(stack) };
	struct sigaction sa = { 0 };

	CHECK_OK(sigaltstack(&ss, NULL), "sigaltstack");
	sa.sa_handler = on_alt;
	sa.sa_flags = SA_ONSTACK;
	sigaction(SIGUSR2, &sa, NULL);
	got = 0;
	raise(SIGUSR2);
	check(got == 1, "handler on the alternate stack", "not on it");
}

/* sigtimedwait: takes a blocked pending signal; times out with EAGAIN. */
static void test_sigtimedwait(void)
{
	sigset_t set, old;
	siginfo_t si;
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	int r;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, &old);
	r = sigtimedwait(&set, &si, &ts);
	check(r == -1 && errno == EAGAIN, "sigtimedwait times out", "r %d errno %d", r, errno);
	kill(getpid(), SIGUSR1);
	r = sigtimedwait(&set, &si, &ts);
	check(r == SIGUSR1 && si.si_signo == SIGUSR1 && si.si_code == SI_USER,
	      "sigtimedwait takes a pending signal", "r %d code %d", r, si.si_code);
	pid_t child = fork();
	if (child == 0) {
		usleep(20000);
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	r = sigwaitinfo(&set, &si);
	check(r == SIGUSR1 && si.si_pid == child, "sigwaitinfo wakes for a sent signal",
	      "r %d", r);
	waitpid(child, NULL, 0);
	sigprocmask(SIG_SETMASK, &old, NULL);
}

int main(void)
{
	t_start();
	test_handler();
	test_mask();
	test_chld();
	test_segv();
	test_altstack();
	test_sigtimedwait();
	return t_done();
}
