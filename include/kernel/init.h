/*
 * init.h - boot: the parsed command line and the init hooks of each
 * subsystem, called in order by start_kernel (kernel/main.c).
 */
#ifndef KERNEL_INIT_H
#define KERNEL_INIT_H

#include "kernel/types.h"

#define UTS_RELEASE_UM "6.1.0-um"	/* uname -r, linux --version */
#define MAX_UBD 16
/*
 * Linux's limits on what the command line hands to init: 32 argv entries
 * (argv[0] included) and 32 environment strings (HOME=/ and TERM=linux,
 * which the kernel adds unless the command line sets them, included).
 * Linux panics at boot past them ("Too many boot env vars at ..."); we
 * refuse the command line the same way, with exit status 2.
 */
#define MAX_INIT_ARGS 32
#define MAX_INIT_ENVS 32

/*
 * max_procs=: every guest process is a host process (its stub), so the
 * guest's process count is capped for every user, root included, and a
 * fork bomb gets EAGAIN instead of the host's pid space.  Not given, it is
 * 4096, or half the host's RLIMIT_NPROC for our user when that is lower.
 */
#define MAX_PROCS_DEFAULT 4096
#define MAX_PROCS_LIMIT 65536
#define UMID_MAX 64

/* A console's or serial line's host channel (drivers/tty/line.c). */
enum chan_kind { CHAN_UNSET, CHAN_NULL, CHAN_FD, CHAN_PTS, CHAN_PORT };
struct chan_spec {
	u8 kind;			/* enum chan_kind */
	int in, out;			/* CHAN_FD: host fds */
	u16 port;			/* CHAN_PORT: 127.0.0.1:port */
};
#define NR_CON	16			/* con0..con15, UML's MAX_TTYS */
#define NR_SSL	64			/* ssl0..ssl63, UML's NR_PORTS */

struct boot_params {
	u64 mem;			/* bytes, default 256M */
	const char *eth[8];		/* ethN=: the transport and its options, or NULL */
	const char *ip;			/* ip=: NULL, off, dhcp or ADDR::GW:MASK::ethN */
	const char *ubd[MAX_UBD];	/* host files ("cow,backing" too), or NULL */
	bool ubd_ro[MAX_UBD];
	u8 ubd_flags[MAX_UBD];		/* UBD_F_* of shared/ubd.h: r s d c */
	const char *root;		/* default /dev/ubda */
	const char *rootfstype;		/* NULL: detect */
	const char *rootflags;		/* the root's mount data (hostfs: the host directory) */
	bool root_ro;			/* "ro" */
	const char *init;		/* NULL: the usual list */
	int loglevel;
	const char *mode;		/* "ptrace" (also "seccomp" later) */
	bool seccomp_notif_off;		/* seccomp_notif=off */
	int pin;			/* host CPU to run on; -1 auto, -2 off */
	const char *umid;		/* mconsole: uml_dir/umid; NULL: random */
	const char *uml_dir;		/* NULL: ~/.uml */
	const char *test_crash;		/* test-only injected bug: segv, bug, ill */
	const char *test_crash_syscall;	/* ... fired by the first guest call of this */
	char test_crash_buf[64];	/* their storage: argv stays as given (restarts) */
	int leak_test;			/* leak_test=KIND: enum live_kind, or -1 */
	int panic_timeout;		/* panic=N; OOPS_PANIC_UNSET: exit at once */
	bool panic_set;
	bool oops_core;			/* oops=core: leave a host core file */
	bool ignore_loglevel;
	bool printk_time;		/* printk.time=1: timestamps on stderr too */
	const char *strace;		/* strace=FILTER */
	const char *strace_file;	/* strace_file=PATH (default stderr) */
	u32 max_procs;			/* guest processes at most, root too; 0: not given */
	int con_in, con_out;		/* con0=fd:IN,fd:OUT host fds (0, 1); -1 with con0=null, pts, port: */
	/*
	 * UML's channels: conN= (con1.. are /dev/tty1..), sslN= (/dev/ttyS0..);
	 * con=/ssl= give every line of the kind without one of its own.  con[0]
	 * is resolved (con0=, else con=, else fd:0,fd:1).
	 */
	struct chan_spec con[NR_CON], ssl[NR_SSL], con_all, ssl_all;
	const char *hostfs;		/* hostfs=DIR: hostfs mounts stay below it; NULL: "/" */
	const char *argv[MAX_INIT_ARGS + 2];	/* init's argv[1..] */
	int argc;
	const char *envp[MAX_INIT_ENVS + 2];	/* init's environment */
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
int ubd_add(int n, const char *spec, int flags);	/* ubdN=spec, UBD_F_*; -errno */
void ext2_init(void);
void ramfs_init(void);			/* ramfs, tmpfs, devtmpfs */
void mqueue_init(void);			/* the mqueue filesystem (ipc/mqueue.c) */
void proc_init(void);			/* the proc filesystem type */
void hostfs_init(void);			/* hostfs (fs/hostfs/) */
void sysfs_init(void);			/* sysfs (fs/sysfs/) */
void mem_devices_init(void);		/* /dev/null, zero, full, random, urandom */
void pipe_init(void);
void net_init(void);			/* net/dev.c: loopback, the backlog IRQ */
void eth_init(void);			/* drivers/net: ethN= and ip=; exits on error */
/* ip=dhcp: the kernel's DHCP client, from init's thread before the root is mounted. May sleep. */
void ipconfig_run(void);
/* mconsole: config ethN=SPEC (hot-plug), config ethN, remove ethN: 0 or -errno, msg the answer. */
int eth_config(const char *spec, char *msg, size_t len);
int eth_get_config(const char *name, char *msg, size_t len);
int eth_remove(const char *name, char *msg, size_t len);
void vfs_init(void);
int devtmpfs_mount(void);		/* on /dev of the root */
void debug_init(void);			/* kernel/oops.c: panic=, oops=, strace=, mconsole */
void mconsole_init(void);		/* uml_dir/umid/mconsole; a warning if it cannot */

#endif
