/*
 * vfork_kill.c - a parent waiting in vfork for its child is killed by
 * SIGKILL at once,
 * while the child lives on.
 */
#include "t.h"
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

int main(void)
{
	int p[2], st;
	pid_t a, c = 0;

	t_start();
	prctl(PR_SET_CHILD_SUBREAPER, 1);	/* the orphaned vfork child comes to us */
	pipe(p);
	a = fork();
	if (a == 0) {
		pid_t v = vfork();

		if (v == 0) {	/* shares a's memory: only raw calls, then _exit */
			struct timespec ts = { 30, 0 };
			static pid_t me;

			me = (pid_t)syscall(SYS_getpid);
			syscall(SYS_write, p[1], &me, sizeof(me));
			syscall(SYS_nanosleep, &ts, NULL);
			syscall(SYS_write, p[1], "done", 4);
			syscall(SYS_exit, 0);
		}
		_exit(0);
	}
	/* Find the vfork child: a's only child, through /proc would need it
	 * mounted; wait instead until a is asleep in vfork, then kill it. */
	struct timespec pause = { 0, 200000000 };
	nanosleep(&pause, NULL);
	CHECK_OK(kill(a, SIGKILL), "SIGKILL the waiting parent");
	check(waitpid(a, &st, 0) == a && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL,
	      "it dies at once, its vfork child still asleep", "status %x", st);
	read(p[0], &c, sizeof(c));
	char buf[8];
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	check(read(p[0], buf, sizeof(buf)) == -1 && errno == EAGAIN, "the vfork child lives on", "it finished");
	kill(c, SIGKILL);
	check(waitpid(c, &st, 0) == c, "and is reaped by us, its subreaper", "not ours");
	return t_failed != 0;
}
