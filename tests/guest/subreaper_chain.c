/*
 * subreaper_chain: reparenting through a chain of subreapers
 * (top, a subreaper; mid, a subreaper below it; then a plain process and
 * a leaf): when the plain process dies the leaf goes to mid, the nearest
 * live subreaper; when mid dies the leaf goes to top; the new parent's
 * wait reaps it (with the exit status) and it gets SIGCHLD for it;
 * PR_SET_CHILD_SUBREAPER takes any nonzero value as 1.
 */
#include "t.h"
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>

static int rd(int fd)
{
	int v = -1;

	return read(fd, &v, sizeof(v)) == sizeof(v) ? v : -1;
}

static void wr(int fd, int v)
{
	write(fd, &v, sizeof(v));
}

static volatile sig_atomic_t got_chld;

static void on_chld(int s)
{
	(void)s;
	got_chld++;
}

int main(void)
{
	int up[2], down[2], v = -1, st;
	pid_t top = getpid(), mid, leaf;
	siginfo_t si;

	t_start();
	CHECK_OK(prctl(PR_SET_CHILD_SUBREAPER, 42), "PR_SET_CHILD_SUBREAPER 42");
	check(prctl(PR_GET_CHILD_SUBREAPER, &v) == 0 && v == 1, "reads back as 1", "%d", v);
	pipe(up);
	pipe(down);
	signal(SIGCHLD, on_chld);
	mid = fork();
	if (mid == 0) {
		pid_t plain, me = getpid();

		prctl(PR_SET_CHILD_SUBREAPER, 1);
		plain = fork();
		if (plain == 0) {
			pid_t self = getpid();	/* plain is 0 in here */
			pid_t l = fork();

			if (l == 0) {
				pid_t pp;

				while ((pp = getppid()) == self || pp == 0)
					usleep(1000);
				wr(up[1], pp == me ? 1 : pp == top ? 2 : 3);
				rd(down[0]);	/* mid will die now */
				while (getppid() == me)
					usleep(1000);
				wr(up[1], getppid() == top ? 2 : 3);
				rd(down[0]);
				_exit(9);
			}
			wr(up[1], l);
			_exit(0);	/* the leaf is orphaned */
		}
		waitpid(plain, NULL, 0);
		rd(down[0]);		/* top says: die, with the leaf unreaped */
		_exit(5);
	}
	leaf = rd(up[0]);
	check(leaf > 0, "the leaf exists", "%d", leaf);
	check(rd(up[0]) == 1, "the orphaned leaf goes to mid, the nearest subreaper", "no");
	wr(down[1], 0);			/* one of mid and leaf reads it... */
	wr(down[1], 0);			/* ... and the other this one */
	check(waitpid(mid, &st, 0) == mid && WEXITSTATUS(st) == 5, "mid exits", "%#x", st);
	check(rd(up[0]) == 2, "then the leaf goes to top", "no");
	got_chld = 0;
	wr(down[1], 0);
	memset(&si, 0, sizeof(si));
	CHECK_OK(waitid(P_PID, (id_t)leaf, &si, WEXITED), "top reaps the leaf");
	check(si.si_status == 9 && si.si_code == CLD_EXITED, "with its exit status 9", "%d %d",
	      si.si_code, si.si_status);
	check(got_chld >= 1, "top got SIGCHLD for its adopted child", "%d", got_chld);
	CHECK_ERR(waitpid(-1, &st, WNOHANG), ECHILD, "no children left");
	return t_done();
}
