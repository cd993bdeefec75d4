/* kern_util.h - the host side calls into the kernel only through these. */
#ifndef SHARED_KERN_UTIL_H
#define SHARED_KERN_UTIL_H

void start_kernel(int argc, char **argv) __attribute__((noreturn));

/*
 * The crash path (os-Linux/oops.c) asks the kernel (kernel/oops.c) for
 * its part of the report.  Each writes a NUL-terminated line into buf
 * without sleeping, allocating or taking locks: the kernel may be broken.
 */
int kern_oops_task(char *buf, int len);		/* "CPU: 0 PID: ... Comm: ..." */
int kern_oops_syscall(char *buf, int len);	/* the guest syscall, or "" */
void kern_oops_writeback(void);		/* finish queued disk writes, fsync */
/* Policy from the command line: panic=N (unset: OOPS_PANIC_UNSET), oops=core. */
#define OOPS_PANIC_UNSET (-2147483647 - 1)
extern int kern_panic_timeout;
extern int kern_oops_core;
#define OOPS_EXIT_STATUS 70	/* sysexits' EX_SOFTWARE: a bug in the kernel */

#endif
