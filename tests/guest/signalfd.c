/*
 * signalfd.c - signalfd(2)/signalfd4: reading blocked signals as
 * 128-byte signalfd_siginfo records (signo, code, pid, uid, SIGCHLD's
 * status), several in one read, updating the mask,
 * flags and errors, and a signalfd under epoll and poll.
 */
#include "t.h"
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static void on_sig(int sig) { }

static void handle(int sig)
{
	struct sigaction sa = { 0 };

	sa.sa_handler = on_sig;
	sigaction(sig, &sa, NULL);
}

int main(void)
{
	sigset_t m;
	struct signalfd_siginfo si[4];
	int fd, n;

	t_start();
	check(sizeof(struct signalfd_siginfo) == 128, "signalfd_siginfo is 128 bytes", "%zu",
	      sizeof(struct signalfd_siginfo));
	handle(SIGUSR1);
	handle(SIGUSR2);
	handle(SIGRTMIN + 1);
	sigemptyset(&m);
	sigaddset(&m, SIGUSR1);
	sigaddset(&m, SIGUSR2);
	sigaddset(&m, SIGCHLD);
	sigaddset(&m, SIGRTMIN + 1);
	sigprocmask(SIG_BLOCK, &m, NULL);

	CHECK_ERR(signalfd(-1, &m, 0x100), EINVAL, "bad flags EINVAL");
	CHECK_ERR(syscall(SYS_signalfd4, -1, &m, 4, 0), EINVAL, "sizemask 4 EINVAL");
	CHECK_ERR(syscall(SYS_signalfd4, -1, NULL, 8, 0), EFAULT, "NULL mask EFAULT");
	CHECK_ERR(signalfd(0, &m, 0), EINVAL, "stdin is no signalfd EINVAL");
	CHECK_ERR(signalfd(999, &m, 0), EBADF, "bad fd EBADF");
	fd = signalfd(-1, &m, SFD_NONBLOCK | SFD_CLOEXEC);
	CHECK_OK(fd, "signalfd NONBLOCK|CLOEXEC");
	check(fcntl(fd, F_GETFD) == FD_CLOEXEC, "SFD_CLOEXEC", "no");
	CHECK_ERR(read(fd, si, sizeof(si)), EAGAIN, "nothing pending: EAGAIN");
	CHECK_ERR(read(fd, si, 100), EINVAL, "a read under 128 bytes EINVAL");

	kill(getpid(), SIGUSR1);
	n = read(fd, si, sizeof(si));
	check(n == 128 && si[0].ssi_signo == SIGUSR1 && si[0].ssi_code == SI_USER, "kill: SIGUSR1, SI_USER",
	      "n=%d signo %u code %d", n, si[0].ssi_signo, si[0].ssi_code);
	check(si[0].ssi_pid == (uint32_t)getpid() && si[0].ssi_uid == getuid(), "kill: pid and uid",
	      "pid %u uid %u", si[0].ssi_pid, si[0].ssi_uid);
	kill(getpid(), SIGRTMIN + 1);
	kill(getpid(), SIGUSR2);
	n = read(fd, si, sizeof(si));
	check(n == 256, "two pending: one read returns both", "n=%d", n);
	check(si[0].ssi_signo == SIGUSR2 && si[1].ssi_signo == (uint32_t)SIGRTMIN + 1, "lowest first",
	      "%u %u", si[0].ssi_signo, si[1].ssi_signo);
	check(si[1].ssi_code == SI_USER && si[1].ssi_pid == (uint32_t)getpid(), "real-time signal: SI_USER, pid",
	      "code %d", si[1].ssi_code);

	pid_t c = fork();
	if (c == 0)
		_exit(7);
	struct pollfd pf = { .fd = fd, .events = POLLIN };
	check(poll(&pf, 1, 5000) == 1 && pf.revents == POLLIN, "poll: SIGCHLD makes it readable", "revents %#x",
	      pf.revents);
	n = read(fd, si, sizeof(si));
	check(n == 128 && si[0].ssi_signo == SIGCHLD && si[0].ssi_code == CLD_EXITED && si[0].ssi_status == 7 &&
	      si[0].ssi_pid == (uint32_t)c, "SIGCHLD: CLD_EXITED, status 7, the child's pid",
	      "n=%d signo %u code %d status %d", n, si[0].ssi_signo, si[0].ssi_code, si[0].ssi_status);
	waitpid(c, NULL, 0);

	/* under epoll, the signal sent by another process */
	int ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 9 };
	epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
	check(epoll_wait(ep, &ev, 1, 0) == 0, "epoll: nothing yet", "ready");
	pid_t parent = getpid();
	c = fork();
	if (c == 0) {
		usleep(20000);
		kill(parent, SIGUSR2);
		_exit(0);
	}
	n = epoll_wait(ep, &ev, 1, 5000);
	check(n == 1 && ev.data.u64 == 9, "epoll_wait woken by a signal for the signalfd", "n=%d", n);
	n = read(fd, si, 128);
	check(n == 128 && si[0].ssi_signo == SIGUSR2, "read after epoll: SIGUSR2", "n=%d", n);
	waitpid(c, NULL, 0);
	/* SIGCHLD of that child is pending too */
	read(fd, si, sizeof(si));
	check(epoll_wait(ep, &ev, 1, 0) == 0, "epoll: drained", "ready");

	/* change the mask: SIGUSR1 only */
	sigset_t m1;
	sigemptyset(&m1);
	sigaddset(&m1, SIGUSR1);
	check(signalfd(fd, &m1, 0) == fd, "update returns the same fd", "no");
	kill(getpid(), SIGUSR2);
	CHECK_ERR(read(fd, si, sizeof(si)), EAGAIN, "SIGUSR2 no longer in the mask");
	sigset_t pend;
	sigpending(&pend);
	check(sigismember(&pend, SIGUSR2), "SIGUSR2 stays pending", "gone");
	sigaddset(&m1, SIGKILL);
	check(signalfd(fd, &m1, 0) == fd, "SIGKILL in the mask is ignored", "errno %d", errno);
	close(ep);
	close(fd);
	return t_done();
}
