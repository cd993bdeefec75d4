/*
 * init.h - boot: the parsed command line and the init hooks of each
 * subsystem, called in order by start_kernel (kernel/main.c).
 */
#ifndef KERNEL_INIT_H
#define KERNEL_INIT_H

#include "kernel/types.h"

#define UTS_RELEASE_UM "6.1.0-um"	/* uname -r, linux --version */
#define MAX_UBD 16
#define MAX_INIT_ARGS 64

struct boot_params {
	u64 mem;			/* bytes, default 256M */
	const char *ubd[MAX_UBD];	/* host files, or NULL */
	bool ubd_ro[MAX_UBD];
	const char *root;		/* default /dev/ubda */
	const char *rootfstype;		/* NULL: detect */
	bool root_ro;			/* "ro" */
	const char *init;		/* NULL: the usual list */
	int loglevel;
	const char *mode;		/* "ptrace" (also "seccomp" later) */
	int pin;			/* host CPU to run on; -1 auto, -2 off */
	const char *argv[MAX_INIT_ARGS + 2];	/* init's argv[1..] */
	int argc;
	const char *envp[MAX_INIT_ARGS + 2];	/* init's environment */
	int envc;
	char cmdline[4096];		/* /proc/cmdline */
};

extern struct boot_params boot_params;

/*
 * Parses the host argv into bp.  Returns 0, or -EINVAL after writing a
 * message naming the bad word into err.  Pure: unit-tested on the host.
 */
int parse_params(int argc, char **argv, struct boot_params *bp, char *err, size_t errlen);

void start_kernel(int argc, char **argv) __attribute__((noreturn));

/* Subsystem init hooks. */
void ubd_init(void);			/* disks from boot_params; exits on error */
void ext2_init(void);
void ramfs_init(void);			/* ramfs, tmpfs, devtmpfs */
void proc_init(void);			/* the proc filesystem type */
void mem_devices_init(void);		/* /dev/null, zero, full, random, urandom */
void pipe_init(void);
void vfs_init(void);
int devtmpfs_mount(void);		/* on /dev of the root */

#endif
