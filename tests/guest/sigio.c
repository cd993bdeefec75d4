/*
 * sigio.c - signal-driven I/O: F_SETOWN/F_GETOWN, F_SETSIG/F_GETSIG,
 * F_SETOWN_EX, O_ASYNC by fcntl and FIOASYNC, SIGIO on pipe input,
 * the F_SETSIG signal's si_code, si_band and si_fd, and the errors.
 */
#include "t.h"
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/wait.h>

static volatile sig_atomic_t got_io, got_rt, rt_code, rt_fd;
static volatile long rt_band;

static void on_io(int sig) { got_io++; }

static void on_rt(int sig, siginfo_t *si, void *uc)
{
	got_rt++;
	rt_code = si->si_code;
	rt_fd = si->si_fd;
	rt_band = si->si_band;
}

int main(void)
{
	struct sigaction sa = { 0 };
	int p[2];
	char buf[8];

	t_start();
	sa.sa_handler = on_io;
	sigaction(SIGIO, &sa, NULL);
	sa.sa_sigaction = on_rt;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGRTMIN + 2, &sa, NULL);
	pipe(p);
	check(fcntl(p[0], F_GETOWN) == 0, "F_GETOWN: nobody", "%d", fcntl(p[0], F_GETOWN));
	CHECK_OK(fcntl(p[0], F_SETOWN, getpid()), "F_SETOWN self");
	check(fcntl(p[0], F_GETOWN) == getpid(), "F_GETOWN reads back", "no");
	CHECK_ERR(fcntl(p[0], F_SETOWN, 4000000), ESRCH, "F_SETOWN no such process ESRCH");
	CHECK_ERR(fcntl(p[0], F_SETSIG, -1), EINVAL, "F_SETSIG -1 EINVAL");
	CHECK_ERR(fcntl(p[0], F_SETSIG, 65), EINVAL, "F_SETSIG 65 EINVAL");
	check(fcntl(p[0], F_GETSIG) == 0, "F_GETSIG: 0", "no");

	write(p[1], "a", 1);
	check(got_io == 0, "no SIGIO without O_ASYNC", "got %d", (int)got_io);
	read(p[0], buf, 1);
	CHECK_OK(fcntl(p[0], F_SETFL, fcntl(p[0], F_GETFL) | O_ASYNC), "F_SETFL O_ASYNC");
	check(fcntl(p[0], F_GETFL) & O_ASYNC, "F_GETFL shows O_ASYNC", "no");
	write(p[1], "b", 1);
	check(got_io == 1, "SIGIO on pipe input", "got %d", (int)got_io);
	read(p[0], buf, 1);
	check(got_io == 1, "no SIGIO for reading", "got %d", (int)got_io);

	/* from another process */
	pid_t c = fork();
	if (c == 0) {
		write(p[1], "c", 1);
		_exit(0);
	}
	waitpid(c, NULL, 0);
	check(got_io == 2, "SIGIO when another process writes", "got %d", (int)got_io);
	read(p[0], buf, 1);

	CHECK_OK(fcntl(p[0], F_SETSIG, SIGRTMIN + 2), "F_SETSIG SIGRTMIN+2");
	check(fcntl(p[0], F_GETSIG) == SIGRTMIN + 2, "F_GETSIG reads back", "no");
	write(p[1], "d", 1);
	check(got_rt == 1 && rt_code == POLL_IN && rt_fd == p[0], "F_SETSIG: POLL_IN and si_fd",
	      "got %d code %d fd %d", (int)got_rt, (int)rt_code, (int)rt_fd);
	check(rt_band == (POLLIN | POLLRDNORM), "si_band POLLIN|POLLRDNORM", "%#lx", rt_band);
	read(p[0], buf, 1);

	CHECK_OK(fcntl(p[0], F_SETFL, fcntl(p[0], F_GETFL) & ~O_ASYNC), "O_ASYNC off");
	write(p[1], "e", 1);
	check(got_rt == 1 && got_io == 2, "no signal with O_ASYNC off", "rt %d io %d", (int)got_rt, (int)got_io);
	read(p[0], buf, 1);

	int on = 1;
	fcntl(p[0], F_SETSIG, 0);
	CHECK_OK(ioctl(p[0], FIOASYNC, &on), "FIOASYNC on");
	check(fcntl(p[0], F_GETFL) & O_ASYNC, "FIOASYNC sets O_ASYNC", "no");
	write(p[1], "f", 1);
	check(got_io == 3, "SIGIO after FIOASYNC", "got %d", (int)got_io);
	read(p[0], buf, 1);

	struct f_owner_ex ex = { F_OWNER_PGRP, getpgrp() };
	CHECK_OK(fcntl(p[0], F_SETOWN_EX, &ex), "F_SETOWN_EX process group");
	check(fcntl(p[0], F_GETOWN) == -getpgrp(), "F_GETOWN: minus the group", "%d", fcntl(p[0], F_GETOWN));
	struct f_owner_ex back = { 0, 0 };
	fcntl(p[0], F_GETOWN_EX, &back);
	check(back.type == F_OWNER_PGRP && back.pid == getpgrp(), "F_GETOWN_EX reads back", "type %d", back.type);
	ex.type = 7;
	CHECK_ERR(fcntl(p[0], F_SETOWN_EX, &ex), EINVAL, "F_SETOWN_EX bad type EINVAL");
	close(p[0]);
	close(p[1]);
	return t_done();
}
