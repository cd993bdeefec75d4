/*
 * stub.h - the layout shared by the kernel and the stub process.
 *
 * Every guest address space is a host process running the stub program,
 * linked at STUB_START.  The guest owns [0, TASK_SIZE); above it sit the
 * stub's code and its data pages, which are physmem pages the kernel can
 * write.  The kernel fills stub_data with mapping operations, points the
 * stub at stub_run_ops with registers it builds itself and lets it run to
 * its int3.  The guest can write the data pages too: the kernel reads the
 * addresses below once, at the stub's first stop, before guest code ran.
 */
#ifndef SHARED_STUB_H
#define SHARED_STUB_H

#include <stdint.h>

#define TASK_SIZE	0x7fc000000000ULL
#define STUB_START	0x7fc000000000ULL
#define STUB_CODE	STUB_START
#define STUB_DATA	(STUB_START + 0x100000ULL)
#define STUB_DATA_PAGES	4
#define STUB_PHYSMEM_FD	3

/* Exit codes of a stub that could not start. */
#define STUB_EXIT_NODATA	100	/* mapping its data pages failed */
#define STUB_EXIT_NOFILTER	101	/* installing its seccomp filter failed */
#define STUB_EXIT_TRACED	120	/* PTRACE_TRACEME failed: traced already */

#define STUB_OP_MMAP	1
#define STUB_OP_MUNMAP	2
#define STUB_OP_MPROTECT 3
#define STUB_OP_MMAP_POPULATE 4	/* STUB_OP_MMAP with MAP_POPULATE: the host's page
					 * tables filled now, not at the guest's touches */

struct stub_op {
	uint64_t op, addr, len, prot, off;
};

#define STUB_MAX_OPS ((STUB_DATA_PAGES * 4096 - 64) / sizeof(struct stub_op))

struct stub_data {
	uint64_t nops;
	int64_t err;		/* first failure, or 0 */
	uint64_t failed;	/* index of the failing op */
	uint64_t run_ops;	/* address of the stub's op loop (set by the stub) */
	uint64_t stack_top;	/* stack for the op loop (set by the stub) */
	uint64_t ops_done;	/* address after the op loop's final int3 */
	uint64_t sc_oploop;	/* seccomp mode: the register-only op loop */
	uint64_t sc_oploop_done;	/* seccomp mode: the address after its int3 */
	struct stub_op ops[STUB_MAX_OPS];
};

/*
 * Seccomp mode (arch/um/seccomp): the stub process has two threads.  The
 * leader is the mm thread, traced by the kernel, which only ever runs
 * the register-only op loop over the data pages, mapped read-only there.
 * The other thread runs guest code under a filter that traps every
 * syscall; its signal handler reports each trap, fault or preemption in
 * the control page of its region and waits on the futex word there.  The
 * region (physmem, guest-writable) is the control page, then the
 * thread's sigaltstack, which holds the host's signal frame.
 */
#define STUB_SC_REGION		(STUB_START + 0x200000ULL)
#define STUB_SC_REGION_PAGES	16
#define STUB_SC_REGION_SIZE	(STUB_SC_REGION_PAGES * 4096ULL)
#define STUB_SC_STACK		(STUB_SC_REGION + 4096)	/* the sigaltstack */
#define STUB_SC_RUN		0	/* state: the kernel let the thread run */
#define STUB_SC_REQ		1	/* state: the handler waits for the kernel */

struct stub_sc_ctl {
	uint32_t state;		/* the futex word */
	uint32_t signo;		/* what the handler reports: */
	int32_t code;		/* si_code */
	int32_t nr;		/* SIGSYS: si_syscall */
	uint64_t addr;		/* si_addr (SIGSYS: si_call_addr) */
	uint32_t arch;		/* SIGSYS: si_arch */
	int32_t tid;		/* the guest thread (written once, at its start) */
	uint64_t frame;		/* the ucontext the host wrote */
	uint64_t fs_base, gs_base;	/* read at the trap; loaded at the resume */
	/* At the start only, before guest code (arch/um/seccomp/notif.c): */
	uint32_t notif;		/* the kernel asks for a listener (1) */
	int32_t listener;	/* the stub's fd of it, until the kernel took it */
	uint64_t bell;		/* the address after the handler's futex syscall */
	/* While the kernel spins for requests (seccomp.c, spin_for_event): how
	 * many pauses the handler looks for the reply before it sleeps (a
	 * hint only: the handler takes at most STUB_SC_SPIN_MAX). */
	uint32_t spin;
};
#define STUB_SC_SPIN_ITERS	128	/* about 5 us of pause */
#define STUB_SC_SPIN_MAX	256

/*
 * The syscalls that seccomp mode with a listener takes as notifications
 * (arch/um/seccomp/notif.c): those that need only their arguments and
 * give a return value, none of which reads or changes registers other
 * than the result.  Never rt_sigreturn, clone, fork, vfork, execve,
 * arch_prctl, sigaltstack (it reads the stack pointer), exit, exit_group
 * or restart_syscall; nor getpgrp, the stub's hello (arch/um/stub/stub.c),
 * which must trap.  Whatever else needs the registers (a signal to
 * deliver, which a kill or an unblocking rt_sigprocmask may make due; a
 * restart after a handler; the FPU state; another thread of the process
 * taking the host side while the call blocks) fetches them through the
 * trap path first (process.c, regs_complete), so a blocking call (wait4,
 * accept, flock, splice...) keeps the trap path's signal and restart
 * rules exactly.  Not futex: its waits block while another thread of the
 * process needs the host side, which then has to fetch the registers
 * anyway (measured: two such completions per futex ping-pong round trip,
 * each a signal and a trap more than the trap path).  The numbers are
 * below STUB_SC_NOTIF_LIMIT: the filter tests them as a bitmap.
 */
#define STUB_SC_NOTIF_NRS						\
	0 /* read */, 1 /* write */, 2 /* open */, 3 /* close */,	\
	4 /* stat */, 5 /* fstat */, 6 /* lstat */, 7 /* poll */,	\
	8 /* lseek */, 13 /* rt_sigaction */, 14 /* rt_sigprocmask */,	\
	16 /* ioctl */, 17 /* pread64 */, 18 /* pwrite64 */,	\
	19 /* readv */, 20 /* writev */, 21 /* access */,	\
	22 /* pipe */, 23 /* select */, 24 /* sched_yield */,	\
	32 /* dup */, 33 /* dup2 */, 35 /* nanosleep */,	\
	39 /* getpid */, 40 /* sendfile */, 41 /* socket */,	\
	42 /* connect */, 43 /* accept */, 44 /* sendto */,	\
	45 /* recvfrom */, 46 /* sendmsg */, 47 /* recvmsg */,	\
	48 /* shutdown */, 49 /* bind */, 50 /* listen */,	\
	51 /* getsockname */, 52 /* getpeername */,	\
	53 /* socketpair */, 54 /* setsockopt */, 55 /* getsockopt */,	\
	61 /* wait4 */, 62 /* kill */, 63 /* uname */, 72 /* fcntl */,	\
	73 /* flock */, 74 /* fsync */, 75 /* fdatasync */,	\
	76 /* truncate */, 77 /* ftruncate */, 78 /* getdents */,	\
	79 /* getcwd */, 80 /* chdir */, 81 /* fchdir */,	\
	82 /* rename */, 83 /* mkdir */, 84 /* rmdir */,	\
	85 /* creat */, 86 /* link */, 87 /* unlink */,	\
	88 /* symlink */, 89 /* readlink */, 90 /* chmod */,	\
	91 /* fchmod */, 92 /* chown */, 93 /* fchown */,	\
	94 /* lchown */, 95 /* umask */, 96 /* gettimeofday */,	\
	97 /* getrlimit */, 98 /* getrusage */, 99 /* sysinfo */,	\
	100 /* times */, 102 /* getuid */, 104 /* getgid */,	\
	107 /* geteuid */, 108 /* getegid */, 109 /* setpgid */,	\
	110 /* getppid */, 115 /* getgroups */,	\
	118 /* getresuid */, 120 /* getresgid */, 121 /* getpgid */,	\
	124 /* getsid */, 133 /* mknod */, 137 /* statfs */,	\
	138 /* fstatfs */, 162 /* sync */, 186 /* gettid */,	\
	191 /* getxattr */, 192 /* lgetxattr */, 193 /* fgetxattr */,	\
	194 /* listxattr */, 195 /* llistxattr */,	\
	196 /* flistxattr */, 201 /* time */,	\
	204 /* sched_getaffinity */, 217 /* getdents64 */,	\
	221 /* fadvise64 */, 228 /* clock_gettime */,	\
	230 /* clock_nanosleep */, 232 /* epoll_wait */,	\
	233 /* epoll_ctl */, 234 /* tgkill */, 247 /* waitid */,	\
	257 /* openat */, 258 /* mkdirat */, 259 /* mknodat */,	\
	260 /* fchownat */, 262 /* newfstatat */, 263 /* unlinkat */,	\
	264 /* renameat */, 265 /* linkat */, 266 /* symlinkat */,	\
	267 /* readlinkat */, 268 /* fchmodat */, 269 /* faccessat */,	\
	270 /* pselect6 */, 271 /* ppoll */, 275 /* splice */,	\
	276 /* tee */, 280 /* utimensat */, 281 /* epoll_pwait */,	\
	283 /* timerfd_create */, 285 /* fallocate */,	\
	286 /* timerfd_settime */, 287 /* timerfd_gettime */,	\
	288 /* accept4 */, 290 /* eventfd2 */, 291 /* epoll_create1 */,	\
	292 /* dup3 */, 293 /* pipe2 */, 302 /* prlimit64 */,	\
	306 /* syncfs */, 309 /* getcpu */, 316 /* renameat2 */,	\
	318 /* getrandom */, 326 /* copy_file_range */,	\
	332 /* statx */, 439 /* faccessat2 */, 441 /* epoll_pwait2 */
#define STUB_SC_NOTIF_LIMIT	448

#endif
