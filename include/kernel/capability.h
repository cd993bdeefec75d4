/* capability.h - capability sets of a task (kernel/capability.c). */
#ifndef KERNEL_CAPABILITY_H
#define KERNEL_CAPABILITY_H

#include "kernel/types.h"

struct task;

void cap_init_task(struct task *t);	/* from its euid: all or nothing */
void cap_exec(struct task *t);
void cap_setuid_fixup(struct task *t, uid_t old_r, uid_t old_e, uid_t old_s);
long cap_bset_read(struct task *t, unsigned long cap);
long cap_bset_drop(struct task *t, unsigned long cap);

#endif
