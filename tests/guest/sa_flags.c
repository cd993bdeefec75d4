/*
 * sa_flags: SA_RESETHAND (the handler runs once, then the default),
 * SA_NODEFER (the signal can come again inside its handler), sa_mask
 * during a handler, and sigaltstack: SS_ONSTACK seen from a handler on
 * the alternate stack, EPERM changing it from there, SS_AUTODISARM
 * (disarmed while the handler runs, back after), ENOMEM and EINVAL.
 */
#include "t.h"
#include <signal.h>
#include <stdint.h>
#include <sys/wait.h>

#ifndef SS_AUTODISARM
#define SS_AUTODISARM (1U << 31)
#endif

static volatile int runs, depth, maxdepth, blocked_in;
static char altstack[65536];
static volatile int on_alt, ss_flags_in, ss_eperm;

static void h_count(int sig) { (void)sig; runs++; }

static volatile int total;

/* Raises its signal again from inside, three times in all. */
static void h_nodefer(int sig)
{
	depth++;
	if (depth > maxdepth)
		maxdepth = depth;
	if (++total < 3)
		raise(sig);
	depth--;
}

static void h_mask(int sig)
{
	sigset_t cur;

	(void)sig;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	blocked_in = sigismember(&cur, SIGUSR2) && sigismember(&cur, SIGUSR1);
}

static void h_alt(int sig)
{
	stack_t cur, n = { .ss_sp = altstack, .ss_size = sizeof(altstack) };
	char here;

	(void)sig;
	on_alt = &here >= altstack && &here < altstack + sizeof(altstack);
	sigaltstack(NULL, &cur);
	ss_flags_in = cur.ss_flags;
	ss_eperm = sigaltstack(&n, NULL) == -1 && errno == EPERM;
}

int main(void)
{
	struct sigaction sa;
	stack_t ss, old;
	int st;
	pid_t pid;

	t_start();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = h_count;
	sa.sa_flags = SA_RESETHAND;
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);
	check(runs == 1, "SA_RESETHAND: the handler ran", "%d", runs);
	sigaction(SIGUSR1, NULL, &sa);
	check(sa.sa_handler == SIG_DFL, "then the action is SIG_DFL", "not");
	pid = fork();
	if (pid == 0) {
		sa.sa_handler = h_count;
		sa.sa_flags = SA_RESETHAND;
		sigaction(SIGUSR1, &sa, NULL);
		raise(SIGUSR1);
		raise(SIGUSR1);		/* the default: death */
		_exit(0);
	}
	check(waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) && WTERMSIG(st) == SIGUSR1,
	      "the second SIGUSR1 kills", "%#x", st);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = h_nodefer;
	sa.sa_flags = SA_NODEFER;
	sigaction(SIGUSR2, &sa, NULL);
	raise(SIGUSR2);
	check(maxdepth == 3, "SA_NODEFER: nested three deep", "%d", maxdepth);
	maxdepth = depth = total = 0;
	sa.sa_flags = 0;
	sigaction(SIGUSR2, &sa, NULL);
	raise(SIGUSR2);
	check(maxdepth == 1 && total == 3, "without it: one at a time, after each other",
	      "depth %d runs %d", maxdepth, total);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = h_mask;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGUSR2);
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);
	check(blocked_in, "sa_mask and the signal itself blocked in the handler", "not");

	ss.ss_sp = altstack;
	ss.ss_size = 1024;
	ss.ss_flags = 0;
	CHECK_ERR(sigaltstack(&ss, NULL), ENOMEM, "a stack below MINSIGSTKSZ");
	ss.ss_size = sizeof(altstack);
	ss.ss_flags = 5;
	CHECK_ERR(sigaltstack(&ss, NULL), EINVAL, "unknown ss_flags");
	ss.ss_flags = SS_AUTODISARM;
	CHECK_OK(sigaltstack(&ss, &old), "sigaltstack SS_AUTODISARM");
	check(old.ss_flags == SS_DISABLE, "none before: SS_DISABLE", "%d", old.ss_flags);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = h_alt;
	sa.sa_flags = SA_ONSTACK;
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);
	check(on_alt, "the handler ran on the alternate stack", "not");
	check(ss_flags_in == SS_DISABLE, "AUTODISARM: disabled inside the handler", "%#x",
	      (unsigned)ss_flags_in);
	check(ss_eperm == 0, "so it may be changed there", "EPERM");
	sigaltstack(NULL, &old);
	/* Linux restores the stack from the frame, without the AUTODISARM bit. */
	check(old.ss_flags == 0 && old.ss_sp == altstack, "armed again after the handler",
	      "%#x", (unsigned)old.ss_flags);
	ss.ss_flags = 0;
	CHECK_OK(sigaltstack(&ss, NULL), "plain sigaltstack");
	raise(SIGUSR1);
	check(on_alt && ss_flags_in == SS_ONSTACK, "SS_ONSTACK inside the handler", "%#x",
	      (unsigned)ss_flags_in);
	check(ss_eperm, "changing it there: EPERM", "allowed");
	ss.ss_flags = SS_DISABLE;
	CHECK_OK(sigaltstack(&ss, NULL), "SS_DISABLE");
	raise(SIGUSR1);
	check(!on_alt, "disabled: the handler runs on the normal stack", "on alt");
	return t_done();
}
