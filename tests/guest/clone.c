/*
 * clone.c - raw threads made with clone(2) and no pthread library: the
 * flags glibc and musl use, tids and the thread group, futex wait/wake
 * between threads, CLONE_CHILD_CLEARTID woken at thread exit, a thread's
 * exit leaving the group alive, exit_group ending every thread, and the
 * flag combinations Linux rejects.  Children use raw syscalls only: they
 * share the parent's TLS (no CLONE_SETTLS), so no libc state is touched.
 */
#include "t.h"
#include <linux/futex.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define STACK_SIZE (64 * 1024)
#define THREAD_FLAGS (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | \
		      CLONE_SYSVSEM | CLONE_CHILD_CLEARTID)

/* A raw syscall that leaves errno alone: the threads share the parent's TLS. */
static long rsys(long n, long a, long b, long c, long d)
{
	long r;
	register long r10 __asm__("r10") = d;

	__asm__ volatile("syscall" : "=a"(r) : "0"(n), "D"(a), "S"(b), "d"(c), "r"(r10)
			 : "rcx", "r11", "memory");
	return r;
}

static long sys_futex(volatile int *uaddr, int op, int val, const struct timespec *ts)
{
	return rsys(SYS_futex, (long)uaddr, op, val, (long)ts);
}

static void *new_stack(void)
{
	void *p = mmap(NULL, STACK_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	return p == MAP_FAILED ? NULL : (char *)p + STACK_SIZE;
}

/* Waits until *tid is 0: the kernel clears it and wakes us at thread exit. */
static void join_tid(volatile int *tid)
{
	int v;

	while ((v = *tid) != 0)
		sys_futex(tid, FUTEX_WAIT, v, NULL);
}

struct shared {
	volatile int flag;		/* futex word */
	volatile int child_tid, child_pid, child_ppid;
	volatile int counter;
	volatile int ptid, ctid;
};

static int thread_fn(void *arg)
{
	struct shared *s = arg;

	s->child_tid = (int)rsys(SYS_gettid, 0, 0, 0, 0);
	s->child_pid = (int)rsys(SYS_getpid, 0, 0, 0, 0);
	s->child_ppid = (int)rsys(SYS_getppid, 0, 0, 0, 0);
	/* Wait for the parent's go, then answer on the same word. */
	while (s->flag == 0)
		sys_futex(&s->flag, FUTEX_WAIT_PRIVATE, 0, NULL);
	s->counter = 42;
	s->flag = 2;
	sys_futex(&s->flag, FUTEX_WAKE_PRIVATE, 1, NULL);
	rsys(SYS_exit, 0, 0, 0, 0);	/* only this thread */
	return 0;
}

static void test_thread(void)
{
	static struct shared s;
	void *stack = new_stack();
	int tid;

	/* As glibc: one word for both, set by the parent, cleared at exit. */
	tid = clone(thread_fn, stack, THREAD_FLAGS | CLONE_PARENT_SETTID, &s, &s.ctid, NULL, &s.ctid);
	check(tid > 0, "clone a thread", "clone returned %d errno %d", tid, errno);
	if (tid <= 0)
		return;
	check(s.ctid == tid, "CLONE_PARENT_SETTID", "ctid %d tid %d", s.ctid, tid);
	s.flag = 1;
	sys_futex(&s.flag, FUTEX_WAKE_PRIVATE, 1, NULL);
	while (s.flag != 2)
		sys_futex(&s.flag, FUTEX_WAIT_PRIVATE, 1, NULL);
	check(s.counter == 42, "thread wrote shared memory", "counter %d", s.counter);
	join_tid(&s.ctid);
	check(s.ctid == 0, "CLONE_CHILD_CLEARTID cleared and woke", "ctid %d", s.ctid);
	check(s.child_tid == tid, "gettid in the thread is clone's result", "%d vs %d",
	      s.child_tid, tid);
	check(s.child_pid == getpid(), "getpid in the thread is the tgid", "%d vs %d",
	      s.child_pid, getpid());
	check(s.child_ppid == getppid(), "getppid in the thread is the process's", "%d vs %d",
	      s.child_ppid, getppid());
	check(tid != getpid(), "a thread has its own tid", "same");
	CHECK_ERR(waitpid(tid, NULL, __WALL | WNOHANG), ECHILD, "a thread is not a child");
}

static int spin_fn(void *arg)
{
	struct shared *s = arg;

	__atomic_add_fetch(&s->counter, 1, __ATOMIC_SEQ_CST);
	for (;;)
		sys_futex(&s->flag, FUTEX_WAIT_PRIVATE, 0, NULL);
	return 0;
}

/* exit_group from one thread ends all of them; the parent sees one exit. */
static void test_exit_group(void)
{
	pid_t pid = fork();
	int st = 0;

	if (pid == 0) {
		static struct shared s;

		for (int i = 0; i < 20; i++)
			if (clone(spin_fn, new_stack(), THREAD_FLAGS & ~CLONE_CHILD_CLEARTID, &s) < 0)
				_exit(10);
		while (s.counter != 20)
			sched_yield();
		syscall(SYS_exit_group, 7);
		_exit(11);
	}
	waitpid(pid, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 7, "exit_group with 20 threads",
	      "status %#x", st);
	CHECK_ERR(waitpid(-1, NULL, __WALL | WNOHANG), ECHILD, "nothing left to reap");
}

static int leader_exit_fn(void *arg)
{
	struct shared *s = arg;

	while (s->flag == 0)
		sys_futex(&s->flag, FUTEX_WAIT_PRIVATE, 0, NULL);
	rsys(SYS_exit_group, 5, 0, 0, 0);
	return 0;
}

/* The leader exits first: the process lives on until its last thread. */
static void test_leader_exits_first(void)
{
	pid_t pid = fork();
	int st = 0;

	if (pid == 0) {
		static struct shared s;

		if (clone(leader_exit_fn, new_stack(), THREAD_FLAGS & ~CLONE_CHILD_CLEARTID, &s) < 0)
			_exit(10);
		s.flag = 1;
		sys_futex(&s.flag, FUTEX_WAKE_PRIVATE, 1, NULL);
		syscall(SYS_exit, 3);	/* the leader alone */
	}
	check(waitpid(pid, &st, 0) == pid, "waitpid for a process whose leader exited first",
	      "errno %d", errno);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 5,
	      "its status is exit_group's from the last thread", "status %#x", st);
}

static int sig_thread_fn(void *arg)
{
	struct shared *s = arg;
	sigset_t set;
	siginfo_t si;

	s->child_tid = (int)rsys(SYS_gettid, 0, 0, 0, 0);
	set = (sigset_t){ { 1UL << (SIGUSR1 - 1) } };
	s->flag = 1;
	sys_futex(&s->flag, FUTEX_WAKE_PRIVATE, 1, NULL);
	/* SIGUSR1 is blocked in every thread (inherited): only sigwaitinfo takes it. */
	s->counter = (int)rsys(SYS_rt_sigtimedwait, (long)&set, (long)&si, 0, 8);
	s->child_pid = si.si_code;
	rsys(SYS_exit, 0, 0, 0, 0);
	return 0;
}

/* tgkill reaches the chosen thread; it takes the signal, not the leader. */
static void tgkill_checks(void)
{
	static struct shared s;
	sigset_t set, old;
	int tid;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, &old);
	tid = clone(sig_thread_fn, new_stack(), THREAD_FLAGS | CLONE_CHILD_SETTID, &s, NULL,
		    NULL, &s.ctid);
	while (s.flag == 0)
		sys_futex(&s.flag, FUTEX_WAIT_PRIVATE, 0, NULL);
	check(s.ctid == tid, "CLONE_CHILD_SETTID", "ctid %d tid %d", s.ctid, tid);
	CHECK_OK(syscall(SYS_tgkill, getpid(), tid, SIGUSR1), "tgkill a thread");
	join_tid(&s.ctid);
	check(s.counter == SIGUSR1 && s.child_pid == SI_TKILL, "the thread took it",
	      "sig %d code %d", s.counter, s.child_pid);
	sigpending(&set);
	check(!sigismember(&set, SIGUSR1), "nothing left pending in the leader", "pending");
	CHECK_ERR(syscall(SYS_tgkill, getpid() + 100000, getpid(), 0), ESRCH,
		  "tgkill with the wrong tgid");
	CHECK_ERR(syscall(SYS_tgkill, 0, getpid(), 0), EINVAL, "tgkill tgid 0");
	CHECK_ERR(syscall(SYS_tgkill, getpid(), -1, 0), EINVAL, "tgkill tid -1");
	CHECK_ERR(syscall(SYS_tgkill, getpid(), getpid(), 99), EINVAL, "tgkill signal 99");
	CHECK_ERR(syscall(SYS_tgkill, getpid(), 4000000, 99), ESRCH,
		  "tgkill looks the thread up before checking the signal");
	CHECK_OK(syscall(SYS_tkill, getpid(), 0), "tkill signal 0 to self");
	sigprocmask(SIG_SETMASK, &old, NULL);
}

/*
 * In a child: inside ./linux the test is init, whose signal rules differ.
 * The child's check counts come back through a shared page.
 */
static void test_tgkill(void)
{
	int *counts = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
			   -1, 0);
	pid_t pid = fork();
	int st = 0;

	if (pid == 0) {
		tgkill_checks();
		counts[0] = t_num;
		counts[1] = t_failed;
		_exit(0);
	}
	waitpid(pid, &st, 0);
	if (counts[0] > t_num) {	/* the child's checks count as ours */
		t_num = counts[0];
		t_failed = counts[1];
	}
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0 && counts[0] == t_num,
	      "tgkill checks ran in a child", "status %#x", st);
	munmap(counts, 4096);
}

static long raw_clone(unsigned long flags)
{
	/* Only combinations that fail: a success would fork without a stack. */
	return syscall(SYS_clone, flags, NULL, NULL, NULL, 0);
}

static long raw_clone3(struct clone_args *ca, size_t size)
{
	return syscall(SYS_clone3, ca, size);
}

/* The combinations Linux rejects, in copy_process()'s order. */
static void test_bad_flags(void)
{
	struct clone_args ca;
	char big[128];

	CHECK_ERR(raw_clone(CLONE_THREAD | CLONE_VM), EINVAL, "CLONE_THREAD without SIGHAND");
	CHECK_ERR(raw_clone(CLONE_SIGHAND), EINVAL, "CLONE_SIGHAND without VM");
	CHECK_ERR(raw_clone(CLONE_THREAD | CLONE_SIGHAND), EINVAL,
		  "CLONE_THREAD|SIGHAND without VM");
	CHECK_ERR(raw_clone(CLONE_NEWNS | CLONE_FS), EINVAL, "CLONE_NEWNS with CLONE_FS");
	CHECK_ERR(raw_clone(CLONE_NEWUSER | CLONE_FS), EINVAL, "CLONE_NEWUSER with CLONE_FS");
	CHECK_ERR(raw_clone(CLONE_VM | CLONE_SIGHAND | CLONE_THREAD | CLONE_NEWPID), EINVAL,
		  "CLONE_THREAD with CLONE_NEWPID");
	CHECK_ERR(raw_clone(CLONE_VM | CLONE_SETTLS | SIGCHLD | CLONE_SIGHAND | CLONE_THREAD |
			    CLONE_NEWUSER), EINVAL, "CLONE_THREAD with CLONE_NEWUSER");

	memset(&ca, 0, sizeof(ca));
	CHECK_ERR(raw_clone3(&ca, 32), EINVAL, "clone3 size below VER0");
	CHECK_ERR(raw_clone3(&ca, 8192), E2BIG, "clone3 size above a page");
	memset(big, 0, sizeof(big));
	big[100] = 1;
	memcpy(big, &ca, sizeof(ca));
	CHECK_ERR(raw_clone3((struct clone_args *)big, sizeof(big)), E2BIG,
		  "clone3 nonzero bytes past the struct");
	CHECK_ERR(raw_clone3(NULL, sizeof(ca)), EFAULT, "clone3 bad pointer");
	ca.flags = 1ULL << 40;
	CHECK_ERR(raw_clone3(&ca, sizeof(ca)), EINVAL, "clone3 unknown flag");
	ca.flags = SIGCHLD;
	CHECK_ERR(raw_clone3(&ca, sizeof(ca)), EINVAL, "clone3 signal in flags");
	ca.flags = CLONE_DETACHED;
	CHECK_ERR(raw_clone3(&ca, sizeof(ca)), EINVAL, "clone3 CLONE_DETACHED");
	ca.flags = 0;
	ca.exit_signal = 65;
	CHECK_ERR(raw_clone3(&ca, sizeof(ca)), EINVAL, "clone3 exit_signal 65");
	ca.exit_signal = SIGCHLD;
	ca.flags = CLONE_VM | CLONE_SIGHAND | CLONE_THREAD;
	CHECK_ERR(raw_clone3(&ca, sizeof(ca)), EINVAL, "clone3 thread with an exit signal");
	ca.flags = CLONE_PARENT;
	CHECK_ERR(raw_clone3(&ca, sizeof(ca)), EINVAL, "clone3 CLONE_PARENT with an exit signal");
	ca.flags = 0;
	ca.stack = 4096;
	CHECK_ERR(raw_clone3(&ca, sizeof(ca)), EINVAL, "clone3 stack without a size");
	ca.stack = 0;
	ca.stack_size = 4096;
	CHECK_ERR(raw_clone3(&ca, sizeof(ca)), EINVAL, "clone3 stack size without a stack");
	ca.stack_size = 0;
	ca.flags = CLONE_SIGHAND | CLONE_VM | CLONE_CLEAR_SIGHAND;
	CHECK_ERR(raw_clone3(&ca, sizeof(ca)), EINVAL, "clone3 CLEAR_SIGHAND with SIGHAND");
}

/* Legacy clone does not check the exit signal; waitpid(__WALL) reaps the child. */
static void test_legacy_exit_signal(void)
{
	long pid = syscall(SYS_clone, 100, NULL, NULL, NULL, 0);
	int st = 0;

	if (pid == 0)
		_exit(3);
	check(pid > 0 && waitpid((pid_t)pid, &st, __WALL) == pid && WIFEXITED(st) &&
	      WEXITSTATUS(st) == 3, "clone with exit signal 100 is accepted", "pid %ld errno %d",
	      pid, errno);
	CHECK_ERR(syscall(SYS_clone, CLONE_VM | CLONE_SIGHAND | CLONE_THREAD | CLONE_SETTLS, NULL,
			  NULL, NULL, 0xffff800000000000UL), EPERM, "CLONE_SETTLS in the kernel half");
	CHECK_ERR(syscall(SYS_clone, CLONE_PIDFD | CLONE_PARENT_SETTID, NULL, NULL, NULL, 0),
		  EINVAL, "CLONE_PIDFD with CLONE_PARENT_SETTID");
}

/* clone3 as a plain fork, and CLONE_CLEAR_SIGHAND resetting a handler. */
static void on_usr2(int sig) { (void)sig; }

static void test_clone3_fork(void)
{
	struct clone_args ca;
	struct sigaction sa = { 0 };
	int st = 0;
	long pid;

	sa.sa_handler = on_usr2;
	sigaction(SIGUSR2, &sa, NULL);
	memset(&ca, 0, sizeof(ca));
	ca.flags = CLONE_CLEAR_SIGHAND;
	ca.exit_signal = SIGCHLD;
	pid = raw_clone3(&ca, sizeof(ca));
	if (pid == 0) {
		struct sigaction cur;

		sigaction(SIGUSR2, NULL, &cur);
		_exit(cur.sa_handler == SIG_DFL ? 0 : 1);
	}
	check(pid > 0 && waitpid((pid_t)pid, &st, 0) == pid && WIFEXITED(st) &&
	      WEXITSTATUS(st) == 0, "clone3 CLONE_CLEAR_SIGHAND child has SIG_DFL",
	      "pid %ld status %#x", pid, st);
	signal(SIGUSR2, SIG_DFL);
}

int main(void)
{
	t_start();
	test_thread();
	test_exit_group();
	test_leader_exits_first();
	test_tgkill();
	test_bad_flags();
	test_clone3_fork();
	test_legacy_exit_signal();
	return t_done();
}
