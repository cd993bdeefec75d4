/*
 * pidfd.h - file descriptors that name a process (kernel/pidfd.c):
 * pidfd_open, CLONE_PIDFD, pidfd_send_signal, waitid(P_PIDFD).
 */
#ifndef KERNEL_PIDFD_H
#define KERNEL_PIDFD_H

#include "kernel/types.h"

struct file;
struct task;

/* A new pidfd for the process p leads, installed in current's table: the fd or -errno. */
int pidfd_create(struct task *p, unsigned flags);
/*
 * The process fd names: its leader, or NULL once reaped.  -EBADF (in
 * *err) when fd is not a pidfd.  *nonblock: opened with PIDFD_NONBLOCK.
 */
struct task *pidfd_task(int fd, int *err, bool *nonblock);
/* A process has exited: pidfds on it poll readable. */
void pidfd_notify_exit(void);

#endif
