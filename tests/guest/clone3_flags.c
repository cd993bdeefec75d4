/*
 * clone3_flags: the flag sets clone3 and clone reject, as Linux does
 * (copy_process and clone3_args_valid): EINVAL for inconsistent sets,
 * E2BIG/EINVAL for sizes, EFAULT for a bad argument pointer, EINVAL for
 * a stack outside the address space (access_ok); and two
 * valid ones (a plain child with exit_signal, CLONE_PARENT_SETTID).
 */
#include "t.h"
#include <linux/sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

static long clone3(struct clone_args *a, size_t size)
{
	return syscall(SYS_clone3, a, size);
}

/* clone3 with these flags and exit_signal must fail with errno e. */
static void reject(uint64_t flags, uint64_t exit_signal, int e, const char *name)
{
	struct clone_args a = { .flags = flags, .exit_signal = exit_signal };
	long r;

	errno = 0;
	r = clone3(&a, sizeof(a));
	if (r == 0)
		_exit(99);	/* a child that should not exist */
	if (r > 0)
		waitpid((pid_t)r, NULL, __WALL);
	check(r == -1 && errno == e, name, "returned %ld errno %d (%s)", r, errno, strerror(errno));
}

int main(void)
{
	struct clone_args a;
	char big[8192];
	int st = -1, ptid = 0;
	long r;

	t_start();
	reject(CLONE_SIGHAND, SIGCHLD, EINVAL, "CLONE_SIGHAND without CLONE_VM");
	reject(CLONE_THREAD | CLONE_VM, 0, EINVAL, "CLONE_THREAD without CLONE_SIGHAND");
	reject(CLONE_NEWNS | CLONE_FS, SIGCHLD, EINVAL, "CLONE_NEWNS with CLONE_FS");
	reject(CLONE_NEWUSER | CLONE_FS, SIGCHLD, EINVAL, "CLONE_NEWUSER with CLONE_FS");
	reject(CLONE_THREAD | CLONE_SIGHAND | CLONE_VM, SIGCHLD, EINVAL,
	       "CLONE_THREAD with an exit signal");
	reject(CLONE_PARENT | CLONE_SIGHAND | CLONE_VM | CLONE_THREAD, SIGCHLD, EINVAL,
	       "CLONE_PARENT|CLONE_THREAD with an exit signal");
	reject(0, 65, EINVAL, "exit signal 65");
	reject(0, 1ULL << 32, EINVAL, "exit signal above 32 bits");
	reject(CLONE_DETACHED, SIGCHLD, EINVAL, "CLONE_DETACHED in clone3");
	reject(CLONE_PIDFD | CLONE_DETACHED, SIGCHLD, EINVAL, "CLONE_PIDFD|CLONE_DETACHED");
	reject(CLONE_NEWPID | CLONE_THREAD | CLONE_SIGHAND | CLONE_VM, 0, EINVAL,
	       "CLONE_NEWPID|CLONE_THREAD");
	reject(CLONE_NEWUSER | CLONE_THREAD | CLONE_SIGHAND | CLONE_VM, 0, EINVAL,
	       "CLONE_NEWUSER|CLONE_THREAD");
	reject(1ULL << 40, SIGCHLD, EINVAL, "an unknown flag bit");

	memset(&a, 0, sizeof(a));
	a.exit_signal = SIGCHLD;
	a.stack = (uintptr_t)big;	/* a stack without its size */
	CHECK_ERR(clone3(&a, sizeof(a)), EINVAL, "stack without stack_size");
	a.stack = 0;
	a.stack_size = 4096;		/* a size without a stack */
	CHECK_ERR(clone3(&a, sizeof(a)), EINVAL, "stack_size without stack");
	a.stack = UINT64_MAX - 4095;	/* stack + stack_size wraps */
	a.stack_size = 8192;
	CHECK_ERR(clone3(&a, sizeof(a)), EINVAL, "stack + stack_size wraps");
	a.stack = 1ULL << 60;		/* a stack above the address space */
	a.stack_size = 4096;
	CHECK_ERR(clone3(&a, sizeof(a)), EINVAL, "stack above the address space");
	a.stack = 0;
	a.stack_size = 0;
	CHECK_ERR(clone3(&a, 63), EINVAL, "size below CLONE_ARGS_SIZE_VER0");
	CHECK_ERR(clone3(&a, 0), EINVAL, "size 0");
	CHECK_ERR(clone3(&a, 8192), E2BIG, "size above a page");
	memset(big, 0, sizeof(big));
	memcpy(big, &a, sizeof(a));
	big[sizeof(a) + 8] = 1;		/* nonzero bytes past what the kernel knows */
	CHECK_ERR(clone3((struct clone_args *)big, sizeof(a) + 16), E2BIG, "unknown nonzero tail");
	CHECK_ERR(clone3((struct clone_args *)8, sizeof(a)), EFAULT, "bad pointer");
	a.set_tid_size = 1;		/* set_tid NULL */
	CHECK_ERR(clone3(&a, sizeof(a)), EINVAL, "set_tid_size without set_tid");
	a.set_tid_size = 40;
	CHECK_ERR(clone3(&a, sizeof(a)), EINVAL, "set_tid_size above the nesting level");
	a.set_tid_size = 0;
	a.flags = CLONE_PARENT_SETTID;
	a.parent_tid = (uintptr_t)&ptid;
	r = clone3(&a, 64);		/* the version 0 size is enough */
	if (r == 0)
		_exit(7);
	check(r > 0 && ptid == r, "CLONE_PARENT_SETTID with a VER0 size", "r %ld ptid %d", r, ptid);
	check(waitpid((pid_t)r, &st, 0) == r && WIFEXITED(st) && WEXITSTATUS(st) == 7,
	      "the child exits 7 to its SIGCHLD wait", "%#x", st);
	a.flags = 0;
	a.exit_signal = 0;		/* no signal: only __WALL/__WCLONE find it */
	r = clone3(&a, sizeof(a));
	if (r == 0)
		_exit(8);
	check(waitpid((pid_t)r, &st, 0) == -1 && errno == ECHILD,
	      "a child with exit signal 0 is not found by plain waitpid", "errno %d", errno);
	check(waitpid((pid_t)r, &st, __WALL) == r && WEXITSTATUS(st) == 8, "__WALL finds it", "%#x", st);

	/* The legacy clone: CLONE_PIDFD with CLONE_PARENT_SETTID shares the field. */
	CHECK_ERR(syscall(SYS_clone, CLONE_PIDFD | CLONE_PARENT_SETTID | SIGCHLD, 0, &ptid, 0, 0),
		  EINVAL, "clone: CLONE_PIDFD|CLONE_PARENT_SETTID");
	CHECK_ERR(syscall(SYS_clone, CLONE_SIGHAND | SIGCHLD, 0, 0, 0, 0), EINVAL,
		  "clone: CLONE_SIGHAND without CLONE_VM");
	CHECK_ERR(syscall(SYS_clone, CLONE_PIDFD | SIGCHLD, 0, (void *)8, 0, 0), EFAULT,
		  "clone: CLONE_PIDFD with a bad pointer");
	r = syscall(SYS_clone, CLONE_PIDFD | SIGCHLD, 0, &ptid, 0, 0);
	if (r == 0)
		_exit(9);
	check(r > 0 && ptid > 2 && waitid(P_PIDFD, (id_t)ptid, &(siginfo_t){ 0 }, WEXITED) == 0,
	      "clone: CLONE_PIDFD through parent_tid, waitid(P_PIDFD)", "r %ld fd %d errno %d", r,
	      ptid, errno);
	/* A clone child with a non-SIGCHLD signal: __WCLONE. */
	signal(SIGUSR2, SIG_IGN);
	r = syscall(SYS_clone, SIGUSR2, 0, 0, 0, 0);
	if (r == 0)
		_exit(10);
	check(waitpid((pid_t)r, &st, __WCLONE) == r && WEXITSTATUS(st) == 10,
	      "__WCLONE finds a SIGUSR2 child", "%#x errno %d", st, errno);
	return t_done();
}
