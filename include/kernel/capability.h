/* capability.h - capability sets of a task (kernel/capability.c). */
#ifndef KERNEL_CAPABILITY_H
#define KERNEL_CAPABILITY_H

#include "kernel/types.h"

struct task;
struct fcaps;

void cap_init_task(struct task *t);	/* from its euid: all or nothing */
/* The credentials an exec gives, computed before its point of no return. */
struct exec_cred {
	uid_t euid;
	gid_t egid;
	u64 permitted, effective;
	bool secure;		/* AT_SECURE: the loader distrusts the environment */
};

/* 0, or -EPERM for file capabilities fc (NULL: none) the bounding set cuts. */
int cap_exec_prepare(const struct task *t, struct exec_cred *c, uid_t file_euid,
		     gid_t file_egid, bool unsafe_share, const struct fcaps *fc);
void cap_exec_commit(struct task *t, const struct exec_cred *c);
void cap_setuid_fixup(struct task *t, uid_t old_r, uid_t old_e, uid_t old_s);
long cap_bset_read(struct task *t, unsigned long cap);
long cap_bset_drop(struct task *t, unsigned long cap);

#endif
