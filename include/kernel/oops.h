/*
 * oops.h - what the kernel contributes to a crash report (kernel/oops.c):
 * the task and guest syscall that were running, the write-back of what
 * is safe to write, and the test-only injected bug (test_crash=).
 */
#ifndef KERNEL_OOPS_H
#define KERNEL_OOPS_H

#include "kernel/types.h"

struct task;
/* "name(arg, ...)" of the syscall t is serving, or NULL (static buffer). */
const char *oops_syscall_desc(struct task *t);
/* Runs the kernel bug test_crash= chose (a NULL write by default). */
void oops_inject(void);
/* Called by do_syscall: fires the injected bug on its chosen syscall. */
void oops_syscall_hook(const char *name);
#endif
