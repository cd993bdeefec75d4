/*
 * clone3_tid: clone3's set_tid and exit_signal as Linux: set_tid picks
 * the child's pid (root only: EPERM otherwise, EEXIST for a pid in use,
 * even a zombie's, EINVAL out of range or for more levels than there are
 * pid namespaces, EFAULT for a bad array); a thread can be given its tid;
 * exit_signal SIGUSR1 is sent with CLD_EXITED's siginfo, found by
 * __WCLONE only, not reaped automatically when SIGCHLD is ignored; and a
 * child that execs has its exit signal turned back into SIGCHLD, and one
 * whose parent exec'd since the fork sends SIGCHLD (but stays a __WCLONE
 * child).
 */
#include "t.h"
#include <linux/sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static long clone3(struct clone_args *a)
{
	return syscall(SYS_clone3, a, sizeof(*a));
}

/* A free pid well above what this run uses, found by probing with kill. */
static pid_t free_pid(pid_t from)
{
	for (pid_t p = from; p < from + 1000; p++)
		if (kill(p, 0) == -1 && errno == ESRCH && getpgid(p) == -1)
			return p;
	return -1;
}

static long clone_tid(pid_t *tids, uint64_t n, uint64_t flags, uint64_t sig)
{
	struct clone_args a = { .flags = flags, .exit_signal = sig,
				.set_tid = (uintptr_t)tids, .set_tid_size = n };
	long r = clone3(&a);

	if (r == 0)
		_exit(0);
	return r;
}

static int tid_in_thread;

/* clone3 for a thread that exits at once, in raw code: the child runs on
 * the new stack with nothing to return to. */
static long clone3_thread_exit(struct clone_args *a)
{
	long ret;

	__asm__ volatile("syscall\n\t"
			 "test %%rax, %%rax\n\t"
			 "jnz 1f\n\t"
			 "mov $60, %%eax\n\t"	/* SYS_exit: this thread only */
			 "xor %%edi, %%edi\n\t"
			 "syscall\n\t"
			 "1:"
			 : "=a"(ret)
			 : "a"((long)SYS_clone3), "D"(a), "S"(sizeof(*a))
			 : "rcx", "r11", "memory");
	return ret;
}

static int nobody_try(pid_t want)
{
	long r = clone_tid(&want, 1, 0, SIGCHLD);

	if (r > 0)
		waitpid((pid_t)r, NULL, 0);
	return r == -1 && errno == EPERM ? 0 : 1;
}

int main(int argc, char **argv)
{
	pid_t want, tids[2], z;
	long r;
	int st;
	sigset_t set;
	siginfo_t si;

	t_start();
	if (argc > 2) {		/* the exec'd parent below: release the child */
		sigemptyset(&set);
		sigaddset(&set, SIGUSR1);
		sigaddset(&set, SIGCHLD);
		write(atoi(argv[2]), "x", 1);
		memset(&si, 0, sizeof(si));
		r = sigwaitinfo(&set, &si);
		if (r != SIGCHLD)
			return 1;
		if (waitpid(-1, &st, WNOHANG) != -1 || errno != ECHILD)
			return 2;	/* still a SIGUSR1 child to wait for */
		return waitpid(-1, &st, __WCLONE) > 0 && WEXITSTATUS(st) == 3 ? 0 : 3;
	}
	if (argc > 1)
		return 0;		/* the exec'd child below */
	want = free_pid(20000);
	check(want > 0, "a free pid to ask for", "none");
	tids[0] = want;
	r = clone_tid(tids, 1, 0, SIGCHLD);
	check(r == want, "set_tid gives the child that pid", "%ld want %d", r, want);
	st = -1;
	check(waitpid(want, &st, 0) == want && WIFEXITED(st), "and it is reaped by it", "%#x", st);
	z = fork();
	if (z == 0)
		_exit(0);
	while (waitid(P_PID, (id_t)z, &si, WEXITED | WNOWAIT) != 0)
		;			/* a zombie now */
	tids[0] = z;
	CHECK_ERR(clone_tid(tids, 1, 0, SIGCHLD), EEXIST, "a zombie's pid: EEXIST");
	waitpid(z, NULL, 0);
	tids[0] = getpid();
	CHECK_ERR(clone_tid(tids, 1, 0, SIGCHLD), EEXIST, "our own pid: EEXIST");
	tids[0] = 0;
	CHECK_ERR(clone_tid(tids, 1, 0, SIGCHLD), EINVAL, "pid 0: EINVAL");
	tids[0] = -3;
	CHECK_ERR(clone_tid(tids, 1, 0, SIGCHLD), EINVAL, "pid -3: EINVAL");
	tids[0] = 4194304;
	CHECK_ERR(clone_tid(tids, 1, 0, SIGCHLD), EINVAL, "pid 4194304 (PID_MAX_LIMIT): EINVAL");
	tids[0] = want;
	tids[1] = want + 1;
	CHECK_ERR(clone_tid(tids, 2, 0, SIGCHLD), EINVAL, "two levels without pid namespaces");
	CHECK_ERR(clone_tid((pid_t *)8, 1, 0, SIGCHLD), EFAULT, "set_tid unreadable: EFAULT");
	CHECK_ERR(clone_tid(tids, 1, CLONE_SIGHAND, SIGCHLD), EINVAL,
		  "the flag checks come first");
	/* Unprivileged: EPERM, checked after the range. */
	if ((z = fork()) == 0) {
		if (getuid() == 0 && setresuid(65534, 65534, 65534) != 0)
			_exit(100);
		tids[0] = 0;
		if (clone_tid(tids, 1, 0, SIGCHLD) != -1 || errno != EINVAL)
			_exit(2);
		_exit(nobody_try(want));
	}
	st = -1;
	if (waitpid(z, &st, 0) != z)
		st = -1;
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "unprivileged: EINVAL for pid 0, then EPERM",
	      "%#x", st);
	/* A thread with a chosen tid. */
	want = free_pid(want + 1);
	tids[0] = want;
	{
		char *stk = mmap(NULL, 65536, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		struct clone_args a = { .flags = CLONE_VM | CLONE_SIGHAND | CLONE_THREAD | CLONE_FS |
						 CLONE_FILES | CLONE_CHILD_CLEARTID,
					.child_tid = (uintptr_t)&tid_in_thread,
					.stack = (uintptr_t)stk, .stack_size = 65536,
					.set_tid = (uintptr_t)tids, .set_tid_size = 1 };

		tid_in_thread = -1;
		r = clone3_thread_exit(&a);
		check(r == want, "a thread gets its set_tid", "%ld want %d", r, want);
		while (__atomic_load_n(&tid_in_thread, __ATOMIC_SEQ_CST) != 0)
			syscall(SYS_futex, &tid_in_thread, 0 /* FUTEX_WAIT */, -1, NULL, NULL, 0);
	}

	/* exit_signal SIGUSR1: the signal, its siginfo, __WCLONE. */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);
	{
		struct clone_args a = { .exit_signal = SIGUSR1 };

		r = clone3(&a);
		if (r == 0)
			_exit(6);
	}
	memset(&si, 0, sizeof(si));
	check(sigwaitinfo(&set, &si) == SIGUSR1 && si.si_pid == r && si.si_code == CLD_EXITED &&
	      si.si_status == 6, "exit_signal SIGUSR1 with CLD_EXITED, pid, status",
	      "signo %d code %d status %d", si.si_signo, si.si_code, si.si_status);
	CHECK_ERR(waitpid((pid_t)r, &st, WNOHANG), ECHILD, "plain waitpid does not see it");
	check(waitpid((pid_t)r, &st, __WCLONE) == r && WEXITSTATUS(st) == 6, "__WCLONE reaps it",
	      "%#x", st);
	/* SIGCHLD ignored: a SIGCHLD child is reaped at once, a SIGUSR1 one is not. */
	signal(SIGCHLD, SIG_IGN);
	{
		struct clone_args a = { .exit_signal = SIGUSR1 };

		r = clone3(&a);
		if (r == 0)
			_exit(7);
	}
	sigwaitinfo(&set, &si);
	check(waitpid((pid_t)r, &st, __WCLONE) == r && WEXITSTATUS(st) == 7,
	      "SIGCHLD ignored does not reap a SIGUSR1 child", "errno %d", errno);
	signal(SIGCHLD, SIG_DFL);
	/* exec turns the exit signal back into SIGCHLD. */
	fflush(stdout);
	{
		struct clone_args a = { .exit_signal = SIGUSR1 };

		r = clone3(&a);
		if (r == 0) {
			execl(argv[0], argv[0], "exec", (char *)NULL);
			_exit(127);
		}
	}
	memset(&si, 0, sizeof(si));
	check(sigwaitinfo(&set, &si) == SIGCHLD && si.si_pid == r,
	      "a child that exec'd signals SIGCHLD", "signo %d", si.si_signo);
	check(waitpid((pid_t)r, &st, 0) == r && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "and plain waitpid finds it", "%#x", st);
	/* exit signal 0 too: after its exec the child is a SIGCHLD child. */
	{
		struct clone_args a = { .exit_signal = 0 };

		r = clone3(&a);
		if (r == 0) {
			execl(argv[0], argv[0], "exec", (char *)NULL);
			_exit(127);
		}
	}
	memset(&si, 0, sizeof(si));
	check(sigwaitinfo(&set, &si) == SIGCHLD && si.si_pid == r &&
	      waitpid((pid_t)r, &st, 0) == r && WEXITSTATUS(st) == 0,
	      "exit signal 0, then exec: SIGCHLD and plain waitpid", "signo %d", si.si_signo);
	/* The parent's exec: its SIGUSR1 child then signals SIGCHLD. */
	{
		pid_t mid = fork();

		if (mid == 0) {
			int p[2];
			char fd[16];
			struct clone_args a = { .exit_signal = SIGUSR1 };

			pipe(p);
			r = clone3(&a);
			if (r == 0) {
				char c;

				close(p[1]);
				read(p[0], &c, 1);
				_exit(3);
			}
			snprintf(fd, sizeof(fd), "%d", p[1]);
			execl(argv[0], argv[0], "parent", fd, (char *)NULL);
			_exit(127);
		}
		st = -1;
		if (waitpid(mid, &st, 0) != mid)
			st = -1;
		check(WIFEXITED(st) && WEXITSTATUS(st) == 0,
		      "after the parent's exec its SIGUSR1 child signals SIGCHLD", "%#x", st);
	}
	return t_done();
}
