/*
 * notif.c - seccomp mode's fast path: seccomp user notification.
 *
 * With a listener, the guest thread's filter answers the calls of
 * STUB_SC_NOTIF_NRS (include/shared/stub.h) with SECCOMP_RET_USER_NOTIF:
 * the host stops the thread inside the syscall and queues a notification
 * (number, arguments, where it returns to) on the listener, an fd only
 * the kernel holds (taken with pidfd_getfd at the stub's start; the
 * stub's copy is closed before any guest code runs).  The kernel serves
 * it like a trapped syscall whose registers are not all known (the
 * event's partial flag, arch/um/kernel/process.c) and answers with
 * SECCOMP_IOCTL_NOTIF_SEND: the host returns the value from the syscall.
 * No signal frame, no sigreturn, no register copy.  Whatever needs the
 * whole register set first completes it (seccomp.c, sc_complete): a
 * preemption signal interrupts the waiting call, the handler reports the
 * registers as for any trap, and the result is put in rax.
 *
 * The trap handler's own wait, its FUTEX_WAIT, is a notification too, the
 * "bell": the kernel then waits on the listeners alone (ppoll), learns of
 * every request from them, and answers the bell when the thread may run.
 *
 * Nothing of the guest's is trusted: a notification from another thread
 * than the stub's guest thread, or a call outside the set, is answered
 * -ENOSYS; a bell is only a hint (the request is still read from the
 * word and the frame, and checked, by seccomp.c).
 */
#include "notif.h"
#include "kernel/kernel.h"
#include "kernel/string.h"
#include "uapi/asm/unistd_64.h"

#define AUDIT_ARCH_X86_64_ 0xc000003eU

bool seccomp_notif = true;
struct scn_stats scn_stats;

bool scn_fast_nr(int nr)
{
	return arch_args_only_nr(nr);
}

void scn_init(struct scn *n)
{
	memset(n, 0, sizeof(*n));
	n->fd = -1;
}

void scn_request(struct stub_sc_ctl *c)
{
	c->notif = seccomp_notif ? 1 : 0;
}

int scn_attach(struct scn *n, int pid, const struct stub_sc_ctl *c)
{
	int listener = c->listener;	/* read once: no guest code ran yet */
	int fd;

	n->bell = c->bell;
	if (listener != 0)	/* the stub has no other free fd */
		return -EINVAL;
	fd = os_scn_take(pid, listener);
	if (fd < 0)
		return fd;
	n->fd = fd;
	return 0;
}

void scn_detach(struct scn *n)
{
	os_scn_close(n->fd);
	scn_init(n);
}

static bool is_bell(const struct scn *n, const struct os_scn_req *r)
{
	return r->ip == n->bell && r->nr == __NR_futex && r->args[0] == STUB_SC_REGION &&
	       r->args[1] == 0;
}

/* What scn_take and scn_take_wait do with the notification in *req. */
static int take_one(struct scn *n, bool requested, int tid, struct os_scn_req *req)
{
	if (is_bell(n, req)) {
		scn_stats.bells++;
		n->bell_due = false;
		if (requested) {	/* answered when the thread may run */
			n->bell_held = true;
			n->bell_id = req->id;
		} else {		/* an old one, or a forged one: go on */
			os_scn_send(n->fd, req->id, 0);
		}
		return 0;
	}
	if ((int)req->pid != tid || req->arch != AUDIT_ARCH_X86_64_ || !scn_fast_nr(req->nr) ||
	    req->ip >= 0xffff800000000000ULL || n->held) {	/* the vsyscall page traps */
		os_scn_send(n->fd, req->id, -ENOSYS);	/* cannot be: the filter says otherwise */
		return 0;
	}
	n->held = true;
	n->doomed = false;
	n->id = req->id;
	n->ip = req->ip;
	scn_stats.calls++;
	return 1;
}

int scn_take(struct scn *n, bool requested, int tid, struct os_scn_req *req)
{
	int r;

	if (n->fd < 0)
		return 0;
	r = os_scn_recv(n->fd, req);
	if (r == -ENOENT || r == -EINTR)
		return 0;		/* the thread left the call before we took it */
	if (r < 0)
		return r;
	return take_one(n, requested, tid, req);
}

int scn_take_wait(struct scn *n, const volatile u32 *word, int tid, struct os_scn_req *req,
		  u32 seq)
{
	int r = os_scn_recv_wait(n->fd, req, seq);

	if (r == -EINTR)
		return r;
	if (r < 0)		/* a signal, a stub's death, a thread that left the call */
		return 0;
	scn_stats.waits++;
	return take_one(n, __atomic_load_n(word, __ATOMIC_ACQUIRE) == STUB_SC_REQ, tid, req);
}

int scn_reply(struct scn *n, s64 val)
{
	int r;

	n->held = false;
	if (n->doomed)		/* the signal may win over the reply: not sent */
		return -ENOENT;
	r = os_scn_send(n->fd, n->id, val);
	if (r == 0)
		scn_stats.replies++;
	return r;
}

void scn_ring(struct scn *n, bool blocking_ok)
{
	struct os_scn_req req;
	short rev;

	if (n->fd < 0)
		return;
	/* The bell may still be on its way (the request was seen by its
	 * word first): take it if it is there; else the wait answers it. */
	if (!n->bell_held && n->bell_due && blocking_ok &&
	    os_scn_wait(&n->fd, 1, &rev, 0, false, os_sc_child_seq()) > 0 && (rev & 1))
		scn_take(n, true, -1, &req);
	if (n->bell_held) {
		n->bell_held = false;
		os_scn_send(n->fd, n->bell_id, 0);
	}
}

void scn_show(char *buf, size_t len)
{
	ksnprintf(buf, len, "notif %s\nnotif_calls %llu\nnotif_replies %llu\n"
		  "notif_completions %llu\nnotif_lost %llu\nnotif_bells %llu\n"
		  "notif_recv_waits %llu\n",
		  seccomp_notif ? "on" : "off", (unsigned long long)scn_stats.calls,
		  (unsigned long long)scn_stats.replies,
		  (unsigned long long)scn_stats.completions,
		  (unsigned long long)scn_stats.lost, (unsigned long long)scn_stats.bells,
		  (unsigned long long)scn_stats.waits);
}
