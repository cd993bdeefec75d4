/*
 * seccomp_notif.c - the host half of seccomp mode's notification path
 * (arch/um/seccomp/notif.c): the listener fd of each stub's guest thread,
 * taken from the stub with pidfd_getfd, its ioctls, and the kernel's one
 * host wait while listeners are in use: ppoll over them, which an IRQ or
 * a stub's death (SIGCHLD) interrupts.  No IRQ is slept through: one that
 * comes between the last look at irq_pending and the ppoll moves the
 * thread past the syscall (os_ppoll_irq, signal.c), with no signal mask
 * changed around it.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/seccomp.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include "shared/os.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif
#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS	SECCOMP_IOW(4, __u64)
#endif
#define SYNC_WAKE_UP_	1	/* SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (Linux 6.6) */
#define NOTIF_MAX	128

extern volatile uint32_t irq_pending;	/* signal.c */
long os_ppoll_irq(struct pollfd *fds, unsigned long n, const struct timespec *tp, uint32_t seq,
		  volatile uint32_t *seqword);	/* signal.c */
volatile uint32_t *os_sc_child_word(void);	/* seccomp.c */
long os_ioctl_irq(int fd, unsigned long req, void *arg, uint32_t seq,
		  volatile uint32_t *seqword);	/* signal.c */

int os_scn_probe(void)
{
	unsigned int act = SECCOMP_RET_USER_NOTIF;
	int fd;

	if (syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &act) < 0)
		return -errno;
	fd = (int)syscall(SYS_pidfd_open, getpid(), 0);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

int os_scn_take(int pid, int fd)
{
	int pfd = (int)syscall(SYS_pidfd_open, pid, 0), nfd;

	if (pfd < 0)
		return -errno;
	nfd = (int)syscall(SYS_pidfd_getfd, pfd, fd, 0);	/* O_CLOEXEC by itself */
	if (nfd < 0)
		nfd = -errno;
	close(pfd);
	/* The reply wakes the guest thread on this CPU, where the kernel
	 * was: a pinned ping-pong stays a switch, not a migration.  Older
	 * hosts refuse the flag; nothing else changes. */
	if (nfd >= 0)
		ioctl(nfd, SECCOMP_IOCTL_NOTIF_SET_FLAGS, (unsigned long long)SYNC_WAKE_UP_);
	return nfd;
}

void os_scn_close(int fd)
{
	if (fd >= 0)
		close(fd);
}

static void req_from(struct os_scn_req *r, const struct seccomp_notif *n)
{
	r->id = n->id;
	r->pid = n->pid;
	r->nr = n->data.nr;
	r->arch = n->data.arch;
	r->ip = n->data.instruction_pointer;
	memcpy(r->args, n->data.args, sizeof(r->args));
}

int os_scn_recv(int fd, struct os_scn_req *r)
{
	struct seccomp_notif n;

	memset(&n, 0, sizeof(n));	/* the host insists */
	if (ioctl(fd, SECCOMP_IOCTL_NOTIF_RECV, &n) < 0)
		return -errno;
	req_from(r, &n);
	return 0;
}

/*
 * The wait when fd alone can bring the next event: the receive itself
 * blocks, one host syscall instead of a ppoll and a receive.  No IRQ is
 * slept through (os_ioctl_irq, as os_ppoll_irq): -EINTR for an IRQ,
 * -EAGAIN for a stub's death or another signal (look again).
 */
int os_scn_recv_wait(int fd, struct os_scn_req *r, uint32_t seq)
{
	struct seccomp_notif n;
	long ret;

	memset(&n, 0, sizeof(n));
	ret = os_ioctl_irq(fd, SECCOMP_IOCTL_NOTIF_RECV, &n, seq, os_sc_child_word());
	if (ret == -EINTR)
		return irq_pending ? -EINTR : -EAGAIN;
	if (ret < 0)
		return (int)ret;
	req_from(r, &n);
	return 0;
}

int os_scn_send(int fd, uint64_t id, int64_t val)
{
	struct seccomp_notif_resp s;

	memset(&s, 0, sizeof(s));	/* flags 0: never CONTINUE */
	s.id = id;
	s.val = val;			/* error 0: the call returns val, as it is */
	return ioctl(fd, SECCOMP_IOCTL_NOTIF_SEND, &s) < 0 ? -errno : 0;
}

int os_scn_wait(const int *fds, int n, short *revents, int64_t timeout_ns, int irqs,
		uint32_t seq)
{
	struct pollfd p[NOTIF_MAX];
	struct timespec ts = { 0, 0 }, *tp = NULL;
	long r;

	if (n > NOTIF_MAX)
		n = NOTIF_MAX;
	for (int i = 0; i < n; i++)
		p[i] = (struct pollfd){ fds[i], POLLIN, 0 };
	if (timeout_ns >= 0) {
		ts.tv_sec = timeout_ns / 1000000000;
		ts.tv_nsec = timeout_ns % 1000000000;
		tp = &ts;
	}
	if (timeout_ns == 0 || !irqs) {	/* a signal just ends it early */
		r = ppoll(p, (nfds_t)n, tp, NULL);
		r = r < 0 ? -errno : r;
	} else {
		/* An IRQ or a SIGCHLD that comes before the syscall ends it at
		 * once, one that comes in it interrupts it (signal.c). */
		r = os_ppoll_irq(p, (unsigned long)n, tp, seq, os_sc_child_word());
	}
	if (r < 0)
		return r == -EINTR && irqs && irq_pending ? -EINTR : 0;
	for (int i = 0; i < n; i++)
		revents[i] = p[i].revents;
	return irqs && irq_pending ? -EINTR : (int)r;
}
