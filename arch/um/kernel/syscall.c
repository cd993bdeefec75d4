/*
 * syscall.c - the syscall table and dispatcher.
 *
 * One declarative table indexed by the x86-64 syscall number (from the
 * uapi <asm/unistd_64.h>), with each entry's support status and, when
 * partial, a note; tools/syscalls lists them (docs/syscalls.md).  An
 * empty slot returns -ENOSYS and is logged once.
 */
#include "kernel/sched.h"
#include "kernel/syscalls.h"
#include "kernel/kernel.h"
#include "kernel/init.h"
#include "kernel/oops.h"
#include "kernel/stats.h"
#include "uapi/asm/unistd_64.h"

enum sc_status { SC_SUPPORTED = 1, SC_PARTIAL };

struct syscall_entry {
	const char *name;
	long (*fn)(struct task *t, const long *a);
	enum sc_status status;
	const char *note;
};

static const struct syscall_entry syscall_table[NR_SYSCALLS] = {
	[__NR_read] = { "read", sys_read, SC_SUPPORTED },
	[__NR_write] = { "write", sys_write, SC_SUPPORTED },
	[__NR_open] = { "open", sys_open, SC_SUPPORTED },
	[__NR_openat] = { "openat", sys_openat, SC_SUPPORTED },
	[__NR_openat2] = { "openat2", sys_openat2, SC_SUPPORTED },
	[__NR_creat] = { "creat", sys_creat, SC_SUPPORTED },
	[__NR_close] = { "close", sys_close, SC_SUPPORTED },
	[__NR_lseek] = { "lseek", sys_lseek, SC_SUPPORTED },
	[__NR_pread64] = { "pread64", sys_pread64, SC_SUPPORTED },
	[__NR_pwrite64] = { "pwrite64", sys_pwrite64, SC_SUPPORTED },
	[__NR_readv] = { "readv", sys_readv, SC_SUPPORTED },
	[__NR_writev] = { "writev", sys_writev, SC_SUPPORTED },
	[__NR_preadv] = { "preadv", sys_preadv, SC_SUPPORTED },
	[__NR_pwritev] = { "pwritev", sys_pwritev, SC_SUPPORTED },
	[__NR_stat] = { "stat", sys_stat, SC_SUPPORTED },
	[__NR_fstat] = { "fstat", sys_fstat, SC_SUPPORTED },
	[__NR_lstat] = { "lstat", sys_lstat, SC_SUPPORTED },
	[__NR_newfstatat] = { "newfstatat", sys_newfstatat, SC_SUPPORTED },
	[__NR_statx] = { "statx", sys_statx, SC_SUPPORTED },
	[__NR_access] = { "access", sys_access, SC_SUPPORTED },
	[__NR_faccessat] = { "faccessat", sys_faccessat, SC_SUPPORTED },
	[__NR_faccessat2] = { "faccessat2", sys_faccessat2, SC_SUPPORTED },
	[__NR_dup] = { "dup", sys_dup, SC_SUPPORTED },
	[__NR_dup2] = { "dup2", sys_dup2, SC_SUPPORTED },
	[__NR_dup3] = { "dup3", sys_dup3, SC_SUPPORTED },
	[__NR_fcntl] = { "fcntl", sys_fcntl, SC_PARTIAL, "no F_NOTIFY" },
	[__NR_flock] = { "flock", sys_flock, SC_SUPPORTED },
	[__NR_ioctl] = { "ioctl", sys_ioctl, SC_SUPPORTED },
	[__NR_getdents64] = { "getdents64", sys_getdents64, SC_SUPPORTED },
	[__NR_getdents] = { "getdents", sys_getdents, SC_SUPPORTED },
	[__NR_getcwd] = { "getcwd", sys_getcwd, SC_SUPPORTED },
	[__NR_chdir] = { "chdir", sys_chdir, SC_SUPPORTED },
	[__NR_fchdir] = { "fchdir", sys_fchdir, SC_SUPPORTED },
	[__NR_chroot] = { "chroot", sys_chroot, SC_SUPPORTED },
	[__NR_rename] = { "rename", sys_rename, SC_SUPPORTED },
	[__NR_renameat] = { "renameat", sys_renameat, SC_SUPPORTED },
	[__NR_renameat2] = { "renameat2", sys_renameat2, SC_SUPPORTED },
	[__NR_mkdir] = { "mkdir", sys_mkdir, SC_SUPPORTED },
	[__NR_mkdirat] = { "mkdirat", sys_mkdirat, SC_SUPPORTED },
	[__NR_rmdir] = { "rmdir", sys_rmdir, SC_SUPPORTED },
	[__NR_link] = { "link", sys_link, SC_SUPPORTED },
	[__NR_linkat] = { "linkat", sys_linkat, SC_SUPPORTED },
	[__NR_unlink] = { "unlink", sys_unlink, SC_SUPPORTED },
	[__NR_unlinkat] = { "unlinkat", sys_unlinkat, SC_SUPPORTED },
	[__NR_symlink] = { "symlink", sys_symlink, SC_SUPPORTED },
	[__NR_symlinkat] = { "symlinkat", sys_symlinkat, SC_SUPPORTED },
	[__NR_readlink] = { "readlink", sys_readlink, SC_SUPPORTED },
	[__NR_readlinkat] = { "readlinkat", sys_readlinkat, SC_SUPPORTED },
	[__NR_chmod] = { "chmod", sys_chmod, SC_SUPPORTED },
	[__NR_fchmod] = { "fchmod", sys_fchmod, SC_SUPPORTED },
	[__NR_fchmodat] = { "fchmodat", sys_fchmodat, SC_SUPPORTED },
	[__NR_chown] = { "chown", sys_chown, SC_SUPPORTED },
	[__NR_fchown] = { "fchown", sys_fchown, SC_SUPPORTED },
	[__NR_lchown] = { "lchown", sys_lchown, SC_SUPPORTED },
	[__NR_fchownat] = { "fchownat", sys_fchownat, SC_SUPPORTED },
	[__NR_umask] = { "umask", sys_umask, SC_SUPPORTED },
	[__NR_truncate] = { "truncate", sys_truncate, SC_SUPPORTED },
	[__NR_ftruncate] = { "ftruncate", sys_ftruncate, SC_SUPPORTED },
	[__NR_fsync] = { "fsync", sys_fsync, SC_SUPPORTED },
	[__NR_fdatasync] = { "fdatasync", sys_fdatasync, SC_SUPPORTED },
	[__NR_sync] = { "sync", sys_sync, SC_SUPPORTED },
	[__NR_syncfs] = { "syncfs", sys_syncfs, SC_SUPPORTED },
	[__NR_statfs] = { "statfs", sys_statfs, SC_SUPPORTED },
	[__NR_fstatfs] = { "fstatfs", sys_fstatfs, SC_SUPPORTED },
	[__NR_utimensat] = { "utimensat", sys_utimensat, SC_SUPPORTED },
	[__NR_utimes] = { "utimes", sys_utimes, SC_SUPPORTED },
	[__NR_utime] = { "utime", sys_utime, SC_SUPPORTED },
	[__NR_mknod] = { "mknod", sys_mknod, SC_SUPPORTED },
	[__NR_mknodat] = { "mknodat", sys_mknodat, SC_SUPPORTED },
	[__NR_mount] = { "mount", sys_mount, SC_PARTIAL, "one namespace: propagation flags accepted, nothing propagates; a bind's subtree in use through another mount makes it busy" },
	[__NR_umount2] = { "umount2", sys_umount2, SC_PARTIAL, "MNT_FORCE is a plain umount" },
	[__NR_pivot_root] = { "pivot_root", sys_pivot_root, SC_SUPPORTED },
	[__NR_sendfile] = { "sendfile", sys_sendfile, SC_SUPPORTED },
	[__NR_splice] = { "splice", sys_splice, SC_SUPPORTED },
	[__NR_tee] = { "tee", sys_tee, SC_SUPPORTED },
	[__NR_vmsplice] = { "vmsplice", sys_vmsplice, SC_PARTIAL, "the bytes are copied (SPLICE_F_GIFT changes nothing): later changes to the guest's pages do not show in the pipe" },
	[__NR_copy_file_range] = { "copy_file_range", sys_copy_file_range, SC_SUPPORTED },
	[__NR_sync_file_range] = { "sync_file_range", sys_sync_file_range, SC_SUPPORTED },
	[__NR_fallocate] = { "fallocate", sys_fallocate, SC_PARTIAL, "done by rewriting bytes through the filesystem: no unwritten extents (KEEP_SIZE past EOF allocates nothing), PUNCH_HOLE/ZERO_RANGE leave the blocks allocated; no WRITE_ZEROES" },
	[__NR_close_range] = { "close_range", sys_close_range, SC_SUPPORTED },
	[__NR_poll] = { "poll", sys_poll, SC_SUPPORTED },
	[__NR_ppoll] = { "ppoll", sys_ppoll, SC_SUPPORTED },
	[__NR_select] = { "select", sys_select, SC_SUPPORTED },
	[__NR_pselect6] = { "pselect6", sys_pselect6, SC_SUPPORTED },
	[__NR_fadvise64] = { "fadvise64", sys_fadvise64, SC_SUPPORTED },
	[__NR_getxattr] = { "getxattr", sys_getxattr, SC_PARTIAL, "no filesystem stores xattrs: EOPNOTSUPP" },
	[__NR_lgetxattr] = { "lgetxattr", sys_lgetxattr, SC_PARTIAL, "no filesystem stores xattrs: EOPNOTSUPP" },
	[__NR_fgetxattr] = { "fgetxattr", sys_fgetxattr, SC_PARTIAL, "no filesystem stores xattrs: EOPNOTSUPP" },
	[__NR_setxattr] = { "setxattr", sys_setxattr, SC_PARTIAL, "no filesystem stores xattrs: EOPNOTSUPP" },
	[__NR_lsetxattr] = { "lsetxattr", sys_lsetxattr, SC_PARTIAL, "no filesystem stores xattrs: EOPNOTSUPP" },
	[__NR_fsetxattr] = { "fsetxattr", sys_fsetxattr, SC_PARTIAL, "no filesystem stores xattrs: EOPNOTSUPP" },
	[__NR_listxattr] = { "listxattr", sys_listxattr, SC_PARTIAL, "no filesystem stores xattrs: EOPNOTSUPP" },
	[__NR_llistxattr] = { "llistxattr", sys_llistxattr, SC_PARTIAL, "no filesystem stores xattrs: EOPNOTSUPP" },
	[__NR_flistxattr] = { "flistxattr", sys_flistxattr, SC_PARTIAL, "no filesystem stores xattrs: EOPNOTSUPP" },
	[__NR_removexattr] = { "removexattr", sys_removexattr, SC_PARTIAL, "no filesystem stores xattrs: EOPNOTSUPP" },
	[__NR_lremovexattr] = { "lremovexattr", sys_lremovexattr, SC_PARTIAL, "no filesystem stores xattrs: EOPNOTSUPP" },
	[__NR_fremovexattr] = { "fremovexattr", sys_fremovexattr, SC_PARTIAL, "no filesystem stores xattrs: EOPNOTSUPP" },
	[__NR_pipe] = { "pipe", sys_pipe, SC_SUPPORTED },
	[__NR_pipe2] = { "pipe2", sys_pipe2, SC_SUPPORTED },
	[__NR_epoll_create] = { "epoll_create", sys_epoll_create, SC_SUPPORTED },
	[__NR_epoll_create1] = { "epoll_create1", sys_epoll_create1, SC_SUPPORTED },
	[__NR_epoll_ctl] = { "epoll_ctl", sys_epoll_ctl, SC_SUPPORTED },
	[__NR_epoll_wait] = { "epoll_wait", sys_epoll_wait, SC_SUPPORTED },
	[__NR_epoll_pwait] = { "epoll_pwait", sys_epoll_pwait, SC_SUPPORTED },
	[__NR_epoll_pwait2] = { "epoll_pwait2", sys_epoll_pwait2, SC_SUPPORTED },
	[__NR_eventfd] = { "eventfd", sys_eventfd, SC_SUPPORTED },
	[__NR_eventfd2] = { "eventfd2", sys_eventfd2, SC_SUPPORTED },
	[__NR_clock_settime] = { "clock_settime", sys_clock_settime, SC_PARTIAL, "sets the guest's CLOCK_REALTIME only (the host's is never touched)" },
	[__NR_settimeofday] = { "settimeofday", sys_settimeofday, SC_SUPPORTED },
	[__NR_adjtimex] = { "adjtimex", sys_adjtimex, SC_PARTIAL, "reads an unsynchronised clock; only ADJ_SETOFFSET changes it" },
	[__NR_clock_adjtime] = { "clock_adjtime", sys_clock_adjtime, SC_PARTIAL, "CLOCK_REALTIME, as adjtimex" },
	[__NR_rt_sigqueueinfo] = { "rt_sigqueueinfo", sys_rt_sigqueueinfo, SC_SUPPORTED },
	[__NR_rt_tgsigqueueinfo] = { "rt_tgsigqueueinfo", sys_rt_tgsigqueueinfo, SC_SUPPORTED },
	[__NR_mlock] = { "mlock", sys_mlock, SC_PARTIAL, "accounted; nothing is swapped anyway" },
	[__NR_mlock2] = { "mlock2", sys_mlock2, SC_PARTIAL, "accounted; nothing is swapped anyway" },
	[__NR_munlock] = { "munlock", sys_munlock, SC_SUPPORTED },
	[__NR_mlockall] = { "mlockall", sys_mlockall, SC_PARTIAL, "accounted; nothing is swapped anyway" },
	[__NR_munlockall] = { "munlockall", sys_munlockall, SC_SUPPORTED },
	[__NR_pidfd_open] = { "pidfd_open", sys_pidfd_open, SC_PARTIAL, "no PIDFD_THREAD" },
	[__NR_pidfd_send_signal] = { "pidfd_send_signal", sys_pidfd_send_signal, SC_PARTIAL,
				     "flags 0 only" },
	[__NR_timer_create] = { "timer_create", sys_timer_create, SC_PARTIAL, "CPU clocks of the caller's own process only" },
	[__NR_timer_settime] = { "timer_settime", sys_timer_settime, SC_SUPPORTED },
	[__NR_timer_gettime] = { "timer_gettime", sys_timer_gettime, SC_SUPPORTED },
	[__NR_timer_getoverrun] = { "timer_getoverrun", sys_timer_getoverrun, SC_SUPPORTED },
	[__NR_timer_delete] = { "timer_delete", sys_timer_delete, SC_SUPPORTED },
	[__NR_timerfd_create] = { "timerfd_create", sys_timerfd_create, SC_PARTIAL, "CANCEL_ON_SET never fires: the clock cannot be set" },
	[__NR_timerfd_settime] = { "timerfd_settime", sys_timerfd_settime, SC_SUPPORTED },
	[__NR_timerfd_gettime] = { "timerfd_gettime", sys_timerfd_gettime, SC_SUPPORTED },
	[__NR_signalfd] = { "signalfd", sys_signalfd, SC_SUPPORTED },
	[__NR_signalfd4] = { "signalfd4", sys_signalfd4, SC_SUPPORTED },
	[__NR_socket] = { "socket", sys_socket, SC_SUPPORTED },
	[__NR_socketpair] = { "socketpair", sys_socketpair, SC_SUPPORTED },
	[__NR_bind] = { "bind", sys_bind, SC_SUPPORTED },
	[__NR_connect] = { "connect", sys_connect, SC_SUPPORTED },
	[__NR_listen] = { "listen", sys_listen, SC_SUPPORTED },
	[__NR_accept] = { "accept", sys_accept, SC_SUPPORTED },
	[__NR_accept4] = { "accept4", sys_accept4, SC_SUPPORTED },
	[__NR_getsockname] = { "getsockname", sys_getsockname, SC_SUPPORTED },
	[__NR_getpeername] = { "getpeername", sys_getpeername, SC_SUPPORTED },
	[__NR_sendto] = { "sendto", sys_sendto, SC_SUPPORTED },
	[__NR_recvfrom] = { "recvfrom", sys_recvfrom, SC_SUPPORTED },
	[__NR_sendmsg] = { "sendmsg", sys_sendmsg, SC_SUPPORTED },
	[__NR_recvmsg] = { "recvmsg", sys_recvmsg, SC_SUPPORTED },
	[__NR_sendmmsg] = { "sendmmsg", sys_sendmmsg, SC_SUPPORTED },
	[__NR_recvmmsg] = { "recvmmsg", sys_recvmmsg, SC_SUPPORTED },
	[__NR_shutdown] = { "shutdown", sys_shutdown, SC_SUPPORTED },
	[__NR_setsockopt] = { "setsockopt", sys_setsockopt, SC_SUPPORTED },
	[__NR_getsockopt] = { "getsockopt", sys_getsockopt, SC_SUPPORTED },
	[__NR_inotify_init] = { "inotify_init", sys_inotify_init, SC_SUPPORTED },
	[__NR_inotify_init1] = { "inotify_init1", sys_inotify_init1, SC_SUPPORTED },
	[__NR_inotify_add_watch] = { "inotify_add_watch", sys_inotify_add_watch, SC_PARTIAL, "IN_DELETE_SELF comes at the last unlink even while the file is open" },
	[__NR_inotify_rm_watch] = { "inotify_rm_watch", sys_inotify_rm_watch, SC_SUPPORTED },
	[__NR_memfd_create] = { "memfd_create", sys_memfd_create, SC_PARTIAL, "MFD_HUGETLB: EINVAL" },
	[__NR_shmget] = { "shmget", sys_shmget, SC_PARTIAL, "SHM_HUGETLB: EINVAL" },
	[__NR_shmat] = { "shmat", sys_shmat, SC_SUPPORTED },
	[__NR_shmdt] = { "shmdt", sys_shmdt, SC_SUPPORTED },
	[__NR_shmctl] = { "shmctl", sys_shmctl, SC_PARTIAL, "SHM_LOCK only marks the segment (nothing is swapped)" },
	[__NR_semget] = { "semget", sys_semget, SC_SUPPORTED },
	[__NR_semop] = { "semop", sys_semop, SC_SUPPORTED },
	[__NR_semtimedop] = { "semtimedop", sys_semtimedop, SC_SUPPORTED },
	[__NR_semctl] = { "semctl", sys_semctl, SC_PARTIAL, "SEM_UNDO lists are per process (CLONE_SYSVSEM without CLONE_THREAD is not shared)" },
	[__NR_msgget] = { "msgget", sys_msgget, SC_SUPPORTED },
	[__NR_msgsnd] = { "msgsnd", sys_msgsnd, SC_SUPPORTED },
	[__NR_msgrcv] = { "msgrcv", sys_msgrcv, SC_SUPPORTED },
	[__NR_msgctl] = { "msgctl", sys_msgctl, SC_SUPPORTED },
	[__NR_mq_open] = { "mq_open", sys_mq_open, SC_SUPPORTED },
	[__NR_mq_unlink] = { "mq_unlink", sys_mq_unlink, SC_SUPPORTED },
	[__NR_mq_timedsend] = { "mq_timedsend", sys_mq_timedsend, SC_SUPPORTED },
	[__NR_mq_timedreceive] = { "mq_timedreceive", sys_mq_timedreceive, SC_SUPPORTED },
	[__NR_mq_notify] = { "mq_notify", sys_mq_notify, SC_SUPPORTED },
	[__NR_mq_getsetattr] = { "mq_getsetattr", sys_mq_getsetattr, SC_SUPPORTED },
	[__NR_execve] = { "execve", sys_execve, SC_SUPPORTED },
	[__NR_execveat] = { "execveat", sys_execveat, SC_SUPPORTED },
	[__NR_getpid] = { "getpid", sys_getpid, SC_SUPPORTED },
	[__NR_getppid] = { "getppid", sys_getppid, SC_SUPPORTED },
	[__NR_gettid] = { "gettid", sys_gettid, SC_SUPPORTED },
	[__NR_fork] = { "fork", sys_fork, SC_SUPPORTED },
	[__NR_vfork] = { "vfork", sys_vfork, SC_SUPPORTED },
	[__NR_clone] = { "clone", sys_clone, SC_PARTIAL, "no namespaces, CLONE_PIDFD" },
	[__NR_clone3] = { "clone3", sys_clone3, SC_PARTIAL, "no namespaces or cgroups (set_tid: one level); CLONE_PIDFD not with CLONE_THREAD" },
	[__NR_futex] = { "futex", sys_futex, SC_PARTIAL, "no REQUEUE_PI; PI without priority boosting" },
	[__NR_exit] = { "exit", sys_exit, SC_SUPPORTED },
	[__NR_exit_group] = { "exit_group", sys_exit_group, SC_SUPPORTED },
	[__NR_wait4] = { "wait4", sys_wait4, SC_SUPPORTED },
	[__NR_waitid] = { "waitid", sys_waitid, SC_SUPPORTED },
	[__NR_set_tid_address] = { "set_tid_address", sys_set_tid_address, SC_SUPPORTED },
	[__NR_set_robust_list] = { "set_robust_list", sys_set_robust_list, SC_SUPPORTED },
	[__NR_get_robust_list] = { "get_robust_list", sys_get_robust_list, SC_SUPPORTED },
	[__NR_rt_sigaction] = { "rt_sigaction", sys_rt_sigaction, SC_SUPPORTED },
	[__NR_rt_sigprocmask] = { "rt_sigprocmask", sys_rt_sigprocmask, SC_SUPPORTED },
	[__NR_rt_sigreturn] = { "rt_sigreturn", sys_rt_sigreturn, SC_SUPPORTED },
	[__NR_rt_sigpending] = { "rt_sigpending", sys_rt_sigpending, SC_SUPPORTED },
	[__NR_rt_sigsuspend] = { "rt_sigsuspend", sys_rt_sigsuspend, SC_SUPPORTED },
	[__NR_restart_syscall] = { "restart_syscall", sys_restart_syscall, SC_SUPPORTED },
	[__NR_rt_sigtimedwait] = { "rt_sigtimedwait", sys_rt_sigtimedwait, SC_SUPPORTED },
	[__NR_sigaltstack] = { "sigaltstack", sys_sigaltstack, SC_SUPPORTED },
	[__NR_kill] = { "kill", sys_kill, SC_SUPPORTED },
	[__NR_tkill] = { "tkill", sys_tkill, SC_SUPPORTED },
	[__NR_tgkill] = { "tgkill", sys_tgkill, SC_SUPPORTED },
	[__NR_pause] = { "pause", sys_pause, SC_SUPPORTED },
	[__NR_getuid] = { "getuid", sys_getuid, SC_SUPPORTED },
	[__NR_geteuid] = { "geteuid", sys_geteuid, SC_SUPPORTED },
	[__NR_getgid] = { "getgid", sys_getgid, SC_SUPPORTED },
	[__NR_getegid] = { "getegid", sys_getegid, SC_SUPPORTED },
	[__NR_setuid] = { "setuid", sys_setuid, SC_SUPPORTED },
	[__NR_setgid] = { "setgid", sys_setgid, SC_SUPPORTED },
	[__NR_setreuid] = { "setreuid", sys_setreuid, SC_SUPPORTED },
	[__NR_setregid] = { "setregid", sys_setregid, SC_SUPPORTED },
	[__NR_setresuid] = { "setresuid", sys_setresuid, SC_SUPPORTED },
	[__NR_setresgid] = { "setresgid", sys_setresgid, SC_SUPPORTED },
	[__NR_getresuid] = { "getresuid", sys_getresuid, SC_SUPPORTED },
	[__NR_getresgid] = { "getresgid", sys_getresgid, SC_SUPPORTED },
	[__NR_getgroups] = { "getgroups", sys_getgroups, SC_SUPPORTED },
	[__NR_setgroups] = { "setgroups", sys_setgroups, SC_SUPPORTED },
	[__NR_getpgid] = { "getpgid", sys_getpgid, SC_SUPPORTED },
	[__NR_setpgid] = { "setpgid", sys_setpgid, SC_SUPPORTED },
	[__NR_getpgrp] = { "getpgrp", sys_getpgrp, SC_SUPPORTED },
	[__NR_getsid] = { "getsid", sys_getsid, SC_SUPPORTED },
	[__NR_setsid] = { "setsid", sys_setsid, SC_SUPPORTED },
	[__NR_uname] = { "uname", sys_uname, SC_SUPPORTED },
	[__NR_sethostname] = { "sethostname", sys_sethostname, SC_SUPPORTED },
	[__NR_setdomainname] = { "setdomainname", sys_setdomainname, SC_SUPPORTED },
	[__NR_getrlimit] = { "getrlimit", sys_getrlimit, SC_SUPPORTED },
	[__NR_setrlimit] = { "setrlimit", sys_setrlimit, SC_SUPPORTED },
	[__NR_prlimit64] = { "prlimit64", sys_prlimit64, SC_SUPPORTED },
	[__NR_getrusage] = { "getrusage", sys_getrusage, SC_SUPPORTED },
	[__NR_times] = { "times", sys_times, SC_SUPPORTED },
	[__NR_sysinfo] = { "sysinfo", sys_sysinfo, SC_SUPPORTED },
	[__NR_clock_gettime] = { "clock_gettime", sys_clock_gettime, SC_SUPPORTED },
	[__NR_clock_getres] = { "clock_getres", sys_clock_getres, SC_SUPPORTED },
	[__NR_gettimeofday] = { "gettimeofday", sys_gettimeofday, SC_SUPPORTED },
	[__NR_time] = { "time", sys_time, SC_SUPPORTED },
	[__NR_nanosleep] = { "nanosleep", sys_nanosleep, SC_SUPPORTED },
	[__NR_clock_nanosleep] = { "clock_nanosleep", sys_clock_nanosleep, SC_PARTIAL, "not on a process CPU-time clock (EINVAL; Linux sleeps on it)" },
	[__NR_alarm] = { "alarm", sys_alarm, SC_SUPPORTED },
	[__NR_getitimer] = { "getitimer", sys_getitimer, SC_SUPPORTED },
	[__NR_setitimer] = { "setitimer", sys_setitimer, SC_SUPPORTED },
	[__NR_sched_yield] = { "sched_yield", sys_sched_yield, SC_SUPPORTED },
	[__NR_sched_getaffinity] = { "sched_getaffinity", sys_sched_getaffinity, SC_SUPPORTED },
	[__NR_sched_setaffinity] = { "sched_setaffinity", sys_sched_setaffinity, SC_SUPPORTED },
	[__NR_sched_setscheduler] = { "sched_setscheduler", sys_sched_setscheduler, SC_PARTIAL, "kept and reported, the scheduler runs every task alike" },
	[__NR_sched_setparam] = { "sched_setparam", sys_sched_setparam, SC_PARTIAL, "kept and reported, the scheduler runs every task alike" },
	[__NR_sched_getscheduler] = { "sched_getscheduler", sys_sched_getscheduler, SC_SUPPORTED },
	[__NR_sched_getparam] = { "sched_getparam", sys_sched_getparam, SC_SUPPORTED },
	[__NR_sched_get_priority_max] = { "sched_get_priority_max", sys_sched_get_priority_max, SC_SUPPORTED },
	[__NR_sched_get_priority_min] = { "sched_get_priority_min", sys_sched_get_priority_min, SC_SUPPORTED },
	[__NR_sched_rr_get_interval] = { "sched_rr_get_interval", sys_sched_rr_get_interval, SC_SUPPORTED },
	[__NR_capget] = { "capget", sys_capget, SC_SUPPORTED },
	[__NR_capset] = { "capset", sys_capset, SC_PARTIAL, "kept and reported; permission checks use euid 0" },
	[__NR_getcpu] = { "getcpu", sys_getcpu, SC_SUPPORTED },
	[__NR_reboot] = { "reboot", sys_reboot, SC_SUPPORTED },
	[__NR_getrandom] = { "getrandom", sys_getrandom, SC_SUPPORTED },
	[__NR_prctl] = { "prctl", sys_prctl, SC_SUPPORTED },
	[__NR_getpriority] = { "getpriority", sys_getpriority, SC_SUPPORTED },
	[__NR_setpriority] = { "setpriority", sys_setpriority, SC_PARTIAL, "nice kept and reported, no effect on the scheduler" },
	[__NR_personality] = { "personality", sys_personality, SC_SUPPORTED },
	[__NR_syslog] = { "syslog", sys_syslog, SC_SUPPORTED },
	[__NR_membarrier] = { "membarrier", sys_membarrier, SC_PARTIAL, "no RSEQ commands (no rseq); one thread runs at a time, so each barrier has already happened" },
	[__NR_sched_setattr] = { "sched_setattr", sys_sched_setattr, SC_PARTIAL, "kept and reported as sched_setscheduler; SCHED_DEADLINE: -EBUSY (no deadline bandwidth); no utilization clamps (-EOPNOTSUPP)" },
	[__NR_sched_getattr] = { "sched_getattr", sys_sched_getattr, SC_SUPPORTED },
	[__NR_rseq] = { "rseq", sys_rseq, SC_PARTIAL, "not registered: -ENOSYS as a kernel without rseq" },
	[__NR_brk] = { "brk", sys_brk, SC_SUPPORTED },
	[__NR_mmap] = { "mmap", sys_mmap, SC_SUPPORTED },
	[__NR_munmap] = { "munmap", sys_munmap, SC_SUPPORTED },
	[__NR_mprotect] = { "mprotect", sys_mprotect, SC_SUPPORTED },
	[__NR_mremap] = { "mremap", sys_mremap, SC_SUPPORTED },
	[__NR_madvise] = { "madvise", sys_madvise, SC_PARTIAL, "DONTNEED/FREE drop private pages; the rest are hints" },
	[__NR_msync] = { "msync", sys_msync, SC_PARTIAL, "MS_INVALIDATE ignored" },
	[__NR_mincore] = { "mincore", sys_mincore, SC_SUPPORTED },
	[__NR_arch_prctl] = { "arch_prctl", sys_arch_prctl, SC_SUPPORTED },
};

static u8 warned[NR_SYSCALLS / 8];
extern bool strace_on;
void strace_enter(struct task *t, u64 nr, const long *a);
void strace_exit(struct task *t, u64 nr, const long *a, long ret);
static u64 served[NR_SYSCALLS + 1];	/* the last: numbers out of range */

/* Runs the syscall in t's saved registers and stores its result in rax. */
void do_syscall(struct task *t)
{
	u64 nr = (u32)t->regs.orig_rax;	/* Linux reads the number as an int */
	long args[6] = { (long)t->regs.rdi, (long)t->regs.rsi, (long)t->regs.rdx,
			 (long)t->regs.r10, (long)t->regs.r8, (long)t->regs.r9 };
	u64 start = os_monotonic_ns(), off = t->off_cpu_ns;
	long ret;

	t->in_syscall = true;
	served[nr < NR_SYSCALLS ? nr : NR_SYSCALLS]++;
	if (unlikely(boot_params.test_crash_syscall) && nr < NR_SYSCALLS)
		oops_syscall_hook(syscall_table[nr].name);	/* tests only */
	if (strace_on)
		strace_enter(t, nr, args);	/* arch/um/kernel/strace.c */
	/* 32-bit entries (int $0x80) never get here: see refuse_32bit(). */
	if (nr < NR_SYSCALLS && syscall_table[nr].fn) {
		ret = syscall_table[nr].fn(t, args);
	} else {
		if (nr < NR_SYSCALLS && !(warned[nr / 8] & (1 << (nr % 8)))) {
			warned[nr / 8] |= 1 << (nr % 8);
			printk(KERN_DEBUG "%s[%d]: unimplemented syscall %llu\n", t->comm,
			       t->pid, (unsigned long long)nr);
		}
		ret = -ENOSYS;
	}
	t->regs.rax = (u64)ret;
	t->in_syscall = false;
	if (strace_on)
		strace_exit(t, nr, args, ret);
	/* System time: the syscall's duration less the time spent asleep. */
	t->stime_ns += os_monotonic_ns() - start - (t->off_cpu_ns - off);
}

/* How many times syscall nr was served, and its name (NULL if none). */
u64 syscall_count(u64 nr, const char **name)
{
	*name = nr < NR_SYSCALLS ? syscall_table[nr].name : NULL;
	return nr < NR_SYSCALLS ? served[nr] : 0;
}

/* The table entry for nr, for gdb and /proc later; NULL if none. */
const char *syscall_name(u64 nr)
{
	return nr < NR_SYSCALLS ? syscall_table[nr].name : NULL;
}
