/*
 * nproc_bomb: a fork bomb under RLIMIT_NPROC: an unprivileged process
 * group whose every member forks until fork fails gets EAGAIN at the
 * limit (it never grows past it), the kernel goes on serving, root
 * kills the whole group, reaps every member (orphans come back to us,
 * a subreaper), and forks again.  The limit counts every process of the
 * user, so only bounds are printed, and the bomb runs as a uid of its own
 * (BOMB_UID, no account): as nobody, the tests that run ./linux as nobody
 * at the same time on a shared host counted against it natively and the
 * bomb could not grow.
 */
#include "t.h"
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>

#define LIMIT 24
#define BOMB_UID 64999

int main(void)
{
	struct rlimit rl = { LIMIT, LIMIT };
	int rep[2], st, reaped = 0, others = 0;
	pid_t boss, r;
	char c = 0;

	t_start();
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	pipe(rep);
	boss = fork();
	if (boss == 0) {
		setpgid(0, 0);
		if (setrlimit(RLIMIT_NPROC, &rl) != 0 || setresuid(BOMB_UID, BOMB_UID, BOMB_UID) != 0)
			_exit(100);
		close(rep[0]);
		for (;;) {
			pid_t p = fork();

			if (p < 0) {
				char e = errno == EAGAIN ? 'E' : 'X';

				write(rep[1], &e, 1);
				for (;;)
					pause();
			}
		}
	}
	setpgid(boss, boss);
	close(rep[1]);
	check(read(rep[0], &c, 1) == 1 && c == 'E', "the bomb's forks fail with EAGAIN", "got %c", c);
	/* The kernel still serves us while the bomb waits at its limit. */
	r = fork();
	if (r == 0)
		_exit(3);
	check(waitpid(r, &st, 0) == r && WEXITSTATUS(st) == 3, "root forks beside the bomb", "%#x", st);
	/* Kill the group until nothing is left, reaping as they die. */
	for (;;) {
		kill(-boss, SIGKILL);
		r = waitpid(-1, &st, 0);
		if (r < 0)
			break;
		if (WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL)
			reaped++;
		else
			others++;
	}
	check(errno == ECHILD, "every member reaped", "errno %d", errno);
	check(reaped >= 2 && reaped <= LIMIT, "the bomb never grew past RLIMIT_NPROC", "%d members",
	      reaped);
	check(others == 0, "each died of SIGKILL", "%d others", others);
	r = fork();
	if (r == 0)
		_exit(4);
	check(waitpid(r, &st, 0) == r && WEXITSTATUS(st) == 4, "and forks after it", "%#x", st);
	return t_done();
}
