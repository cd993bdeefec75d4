/*
 * robust_perm.c - get_robust_list: its own list (libc registers one,
 * 24-byte head); another process's as root; as another user EPERM; an
 * unused pid ESRCH; bad pointers EFAULT; set_robust_list of a wrong
 * size EINVAL.
 */
#include "t.h"
#include <sys/syscall.h>
#include <sys/wait.h>

int main(void)
{
	void *head = NULL;
	size_t len = 0;
	int p[2], st;
	char c;

	t_start();
	CHECK_OK(syscall(SYS_get_robust_list, 0, &head, &len), "get_robust_list(0)");
	check(head != NULL && len == 24, "libc's list, 24 bytes", "%p %zu", head, len);
	CHECK_ERR(syscall(SYS_get_robust_list, 0x3ffffff0, &head, &len), ESRCH, "unused pid");
	CHECK_ERR(syscall(SYS_get_robust_list, 0, (void *)8, &len), EFAULT, "bad head pointer");
	CHECK_ERR(syscall(SYS_set_robust_list, head, 23), EINVAL, "set_robust_list size 23");
	pipe(p);
	pid_t root_child = fork();
	if (root_child == 0) {
		read(p[0], &c, 1);
		_exit(0);
	}
	CHECK_OK(syscall(SYS_get_robust_list, root_child, &head, &len), "root reads another process's");
	pid_t pid = fork();
	if (pid == 0) {
		if (setresuid(1000, 1000, 1000))
			_exit(10);
		if (syscall(SYS_get_robust_list, root_child, &head, &len) != -1 || errno != EPERM)
			_exit(11);
		_exit(syscall(SYS_get_robust_list, 0, &head, &len) == 0 ? 0 : 12);
	}
	waitpid(pid, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "another user's process: EPERM; its own fine", "step %d",
	      WEXITSTATUS(st));
	write(p[1], "x", 1);
	waitpid(root_child, NULL, 0);
	return t_failed != 0;
}
