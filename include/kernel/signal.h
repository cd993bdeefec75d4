/* signal.h - guest signals: numbers from the uapi, sets of 64. */
#ifndef KERNEL_SIGNAL_H
#define KERNEL_SIGNAL_H

#include "kernel/list.h"
#include "uapi/linux/signal.h"
#include "uapi/asm-generic/siginfo.h"

#undef NSIG
#define KNSIG		64
typedef sigset_t ksigset_t;	/* unsigned long: 64 signals */
#define sigmask(sig)	(1ULL << ((sig) - 1))
#define SIG_KERNEL_ONLY	(sigmask(SIGKILL) | sigmask(SIGSTOP))

/*
 * struct sigaction as rt_sigaction(2) passes it on x86_64 (Linux's
 * struct sigaction of include/linux/signal_types.h with
 * __ARCH_HAS_SA_RESTORER; the uapi has no usable definition).
 */
struct k_sigaction {
	u64 handler;
	u64 flags;
	u64 restorer;
	ksigset_t mask;
};
_Static_assert(sizeof(struct k_sigaction) == 32 && offsetof(struct k_sigaction, flags) == 8 &&
	       offsetof(struct k_sigaction, restorer) == 16 && offsetof(struct k_sigaction, mask) == 24,
	       "struct sigaction of rt_sigaction(2), x86_64: 32 bytes");

struct sighand {
	int count;
	struct k_sigaction action[KNSIG];
};

struct sigqueue {
	struct list_head list;
	siginfo_t info;
};

struct sigpending {
	ksigset_t signal;
	struct list_head queue;		/* struct sigqueue, for siginfo */
};

struct task;
int send_signal(struct task *t, int sig, siginfo_t *info);	/* 0 or -errno */
int send_signal_thread(struct task *t, int sig, siginfo_t *info);
int send_sig(struct task *t, int sig);		/* SI_KERNEL info, to the process */
int send_sig_thread(struct task *t, int sig);	/* the same, to the thread */
bool user_process_alive(struct task *t);	/* t leads a live user process */
int altstack_set(struct task *t, const stack_t *n, u64 sp);	/* sigaltstack(2) without the copies */
void zap_other_threads(struct task *except);	/* SIGKILL to the rest of its group */
int kill_pgrp(pid_t pgid, int sig, siginfo_t *info);
/* kernel/exit.c: no member but ignored has a parent in another group of its session. */
bool pgrp_orphaned(pid_t pgid, struct task *ignored);
bool signal_pending(struct task *t);
bool fatal_signal_pending(struct task *t);	/* SIGKILL, or its group is dying */
void force_sig_fault(int sig, int code, u64 addr);
void do_signal(void);		/* before returning to the guest */
/* arch/um: build the handler's frame; 0 or -EFAULT. */
int arch_setup_frame(struct task *t, int sig, struct k_sigaction *ka, siginfo_t *info,
		     ksigset_t oldmask);
struct sighand *sighand_alloc(void);
void sighand_put(struct sighand *sh);
void flush_signal_handlers(struct task *t);	/* at exec */
void flush_signal_handlers_only(struct sighand *sh);
/* signalfd (fs/signalfd.c): take a pending signal of mask; a signal was queued for t. */
int dequeue_signal_mask(struct task *t, ksigset_t mask, siginfo_t *info);
void signalfd_notify(struct task *t);
siginfo_t *pending_timer_info(struct task *t, bool group, int id);	/* POSIX timers */

#endif
