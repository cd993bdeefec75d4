/*
 * subreaper: PR_SET_CHILD_SUBREAPER and reparenting: an orphan goes to
 * the nearest live subreaper ancestor (not init), whose wait reaps it
 * and whose getppid it sees; fork does not pass the mark on
 * (PR_GET_CHILD_SUBREAPER 0 in a child); PR_SET_PDEATHSIG sends the
 * signal asked when the parent dies, and the orphan comes to the
 * subreaper.
 */
#include "t.h"
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>

static int pipe_int_read(int fd)
{
	int v = -1;

	if (read(fd, &v, sizeof(v)) != sizeof(v))
		return -1;
	return v;
}

int main(void)
{
	int p[2], st, v = -1;
	pid_t mid, orphan, me = getpid();
	siginfo_t si;

	t_start();
	CHECK_OK(prctl(PR_SET_CHILD_SUBREAPER, 1), "PR_SET_CHILD_SUBREAPER");
	check(prctl(PR_GET_CHILD_SUBREAPER, &v) == 0 && v == 1, "PR_GET_CHILD_SUBREAPER 1", "%d", v);
	pipe(p);
	mid = fork();
	if (mid == 0) {
		int c = -1;

		prctl(PR_GET_CHILD_SUBREAPER, &c);
		orphan = fork();
		if (orphan == 0) {
			/* Wait for the middle process to die, then say who our parent is. */
			while (getppid() != me)
				usleep(1000);
			v = getppid();
			write(p[1], &v, sizeof(v));
			pause();
			_exit(0);
		}
		write(p[1], &orphan, sizeof(orphan));
		write(p[1], &c, sizeof(c));
		_exit(5);
	}
	orphan = pipe_int_read(p[0]);
	check(pipe_int_read(p[0]) == 0, "fork does not pass the subreaper mark on", "it does");
	check(waitpid(mid, &st, 0) == mid && WEXITSTATUS(st) == 5, "the middle process exits", "%#x", st);
	check(pipe_int_read(p[0]) == me, "the orphan's parent is now the subreaper", "other");
	kill(orphan, SIGTERM);
	memset(&si, 0, sizeof(si));
	check(waitid(P_PID, (id_t)orphan, &si, WEXITED) == 0 && si.si_code == CLD_KILLED &&
	      si.si_status == SIGTERM, "the subreaper reaps it", "code %d", si.si_code);

	/* PR_SET_PDEATHSIG: a child told when its parent (the middle one) dies. */
	mid = fork();
	if (mid == 0) {
		pid_t c = fork();

		if (c == 0) {
			sigset_t s;
			int sig = 0;

			sigemptyset(&s);
			sigaddset(&s, SIGUSR1);
			sigprocmask(SIG_BLOCK, &s, NULL);
			prctl(PR_SET_PDEATHSIG, SIGUSR1);
			write(p[1], &sig, sizeof(sig));	/* armed */
			sigwait(&s, &sig);
			write(p[1], &sig, sizeof(sig));
			_exit(0);
		}
		pipe_int_read(p[0]);	/* (we read our own pipe: wait for "armed") */
		_exit(0);
	}
	waitpid(mid, &st, 0);
	check(pipe_int_read(p[0]) == SIGUSR1, "PDEATHSIG came when the parent died", "no");
	check(waitpid(-1, &st, 0) > 0 && WIFEXITED(st), "the orphan was ours to reap", "%#x", st);
	CHECK_OK(prctl(PR_SET_CHILD_SUBREAPER, 0), "clear the mark");
	check(prctl(PR_GET_CHILD_SUBREAPER, &v) == 0 && v == 0, "PR_GET_CHILD_SUBREAPER 0", "%d", v);
	CHECK_ERR(prctl(PR_GET_CHILD_SUBREAPER, (int *)8), EFAULT, "PR_GET_CHILD_SUBREAPER bad pointer");
	return t_done();
}
