/*
 * notif.h - seccomp mode's notification path (notif.c): the state one
 * stub's listener keeps, for arch/um/seccomp/seccomp.c.
 */
#ifndef ARCH_UM_SECCOMP_NOTIF_H
#define ARCH_UM_SECCOMP_NOTIF_H

#include "kernel/types.h"
#include "shared/os.h"
#include "shared/stub.h"
#include "kernel/platform.h"

struct scn {
	int fd;			/* the listener (the kernel's fd), -1: none */
	bool held;		/* a guest call waits in the host for its reply */
	bool doomed;		/* ...and a preemption signal went to it first */
	u64 id, ip;		/* its cookie, the address after its syscall */
	bool bell_held;		/* the handler waits in its bell for the reply */
	bool bell_due;		/* a request came by its word: its bell follows */
	u64 bell_id;
	u64 bell;		/* the handler's futex return address */
};

struct scn_stats {
	u64 calls;		/* guest calls served as notifications */
	u64 replies;		/* ...answered with SECCOMP_IOCTL_NOTIF_SEND */
	u64 completions;	/* ...whose registers were fetched by a trap */
	u64 lost;		/* ...whose thread had left the call (a signal) */
	u64 bells;		/* the trap handler's bells */
	u64 waits;		/* notifications waited for in the receive itself */
};

extern struct scn_stats scn_stats;

void scn_init(struct scn *n);
/* At the start, before guest code: asks the stub for a listener. */
void scn_request(struct stub_sc_ctl *c);
/* Takes the stub's listener (its first request): 0 or -errno. */
int scn_attach(struct scn *n, int pid, const struct stub_sc_ctl *c);
void scn_detach(struct scn *n);
/* One notification of n.  requested: its word says REQ.  1: a guest call
 * in *req (held now); 0: none or a bell (answered, or held); -errno. */
int scn_take(struct scn *n, bool requested, int tid, struct os_scn_req *req);
/* The same, waiting in the receive for n's next notification (the one
 * listener that can bring an event); word: its thread's control word.
 * -EINTR: an IRQ is pending. */
int scn_take_wait(struct scn *n, const volatile u32 *word, int tid, struct os_scn_req *req,
		  u32 seq);
/* Answers the held guest call: 0, or -ENOENT when its thread left it. */
int scn_reply(struct scn *n, s64 val);
/* The thread may run: its bell is answered (now, or when it comes). */
void scn_ring(struct scn *n, bool blocking_ok);
bool scn_fast_nr(int nr);
void scn_show(char *buf, size_t len);	/* /proc/platform's lines */

#endif
