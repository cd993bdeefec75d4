/*
 * syscalls.h - every syscall entry.  Each takes the calling task and its
 * six raw argument words (rdi, rsi, rdx, r10, r8, r9) and returns a value
 * or -errno.  The table is arch/um/kernel/syscall_table.c.
 * Handlers decode the words into typed locals in their first lines.
 */
#ifndef KERNEL_SYSCALLS_H
#define KERNEL_SYSCALLS_H

#include "kernel/types.h"

struct task;
#define SYSCALL(name) long sys_##name(struct task *t, const long *a)

/* fs/: files, paths, fds (fs/open.c, read_write.c, stat.c, namei.c, ...) */
SYSCALL(read); SYSCALL(write); SYSCALL(open); SYSCALL(openat); SYSCALL(openat2); SYSCALL(creat);
SYSCALL(close); SYSCALL(lseek); SYSCALL(pread64); SYSCALL(pwrite64);
SYSCALL(readv); SYSCALL(writev); SYSCALL(preadv); SYSCALL(pwritev);
SYSCALL(stat); SYSCALL(fstat); SYSCALL(lstat); SYSCALL(newfstatat); SYSCALL(statx);
SYSCALL(access); SYSCALL(faccessat); SYSCALL(faccessat2);
SYSCALL(dup); SYSCALL(dup2); SYSCALL(dup3); SYSCALL(fcntl); SYSCALL(ioctl);
SYSCALL(getdents64); SYSCALL(getdents); SYSCALL(getcwd); SYSCALL(chdir); SYSCALL(fchdir); SYSCALL(chroot);
SYSCALL(rename); SYSCALL(renameat); SYSCALL(renameat2);
SYSCALL(mkdir); SYSCALL(mkdirat); SYSCALL(rmdir);
SYSCALL(link); SYSCALL(linkat); SYSCALL(unlink); SYSCALL(unlinkat);
SYSCALL(symlink); SYSCALL(symlinkat); SYSCALL(readlink); SYSCALL(readlinkat);
SYSCALL(chmod); SYSCALL(fchmod); SYSCALL(fchmodat);
SYSCALL(chown); SYSCALL(fchown); SYSCALL(lchown); SYSCALL(fchownat);
SYSCALL(umask); SYSCALL(truncate); SYSCALL(ftruncate);
SYSCALL(flock); SYSCALL(pivot_root); SYSCALL(splice); SYSCALL(tee); SYSCALL(vmsplice); SYSCALL(copy_file_range);
SYSCALL(sync_file_range); SYSCALL(fallocate); SYSCALL(close_range); SYSCALL(fsync); SYSCALL(fdatasync); SYSCALL(sync); SYSCALL(syncfs);
SYSCALL(statfs); SYSCALL(fstatfs); SYSCALL(utimensat); SYSCALL(utimes); SYSCALL(utime);
SYSCALL(mknod); SYSCALL(mknodat); SYSCALL(mount); SYSCALL(umount2);
SYSCALL(sendfile); SYSCALL(poll); SYSCALL(ppoll); SYSCALL(select); SYSCALL(pselect6);
SYSCALL(fadvise64);
/* fs/xattr.c */
SYSCALL(getxattr); SYSCALL(lgetxattr); SYSCALL(fgetxattr);
SYSCALL(setxattr); SYSCALL(lsetxattr); SYSCALL(fsetxattr);
SYSCALL(listxattr); SYSCALL(llistxattr); SYSCALL(flistxattr);
SYSCALL(removexattr); SYSCALL(lremovexattr); SYSCALL(fremovexattr);
/* fs/pipe.c */
SYSCALL(pipe); SYSCALL(pipe2);
/* fs/eventpoll.c, eventfd.c, timerfd.c, signalfd.c */
SYSCALL(epoll_create); SYSCALL(epoll_create1); SYSCALL(epoll_ctl);
SYSCALL(epoll_wait); SYSCALL(epoll_pwait); SYSCALL(epoll_pwait2);
SYSCALL(eventfd); SYSCALL(eventfd2);
SYSCALL(timerfd_create); SYSCALL(timerfd_settime); SYSCALL(timerfd_gettime);
SYSCALL(signalfd); SYSCALL(signalfd4); SYSCALL(memfd_create);
/* fs/notify.c */
SYSCALL(inotify_init); SYSCALL(inotify_init1); SYSCALL(inotify_add_watch); SYSCALL(inotify_rm_watch);
/* ipc/: System V shared memory, semaphores, message queues */
SYSCALL(shmget); SYSCALL(shmat); SYSCALL(shmdt); SYSCALL(shmctl);
SYSCALL(semget); SYSCALL(semop); SYSCALL(semtimedop); SYSCALL(semctl);
SYSCALL(msgget); SYSCALL(msgsnd); SYSCALL(msgrcv); SYSCALL(msgctl);
SYSCALL(mq_open); SYSCALL(mq_unlink); SYSCALL(mq_timedsend); SYSCALL(mq_timedreceive);
SYSCALL(mq_notify); SYSCALL(mq_getsetattr);
/* net/socket.c */
SYSCALL(socket); SYSCALL(socketpair); SYSCALL(bind); SYSCALL(connect); SYSCALL(listen);
SYSCALL(accept); SYSCALL(accept4); SYSCALL(getsockname); SYSCALL(getpeername);
SYSCALL(sendto); SYSCALL(recvfrom); SYSCALL(sendmsg); SYSCALL(recvmsg);
SYSCALL(sendmmsg); SYSCALL(recvmmsg); SYSCALL(shutdown);
SYSCALL(setsockopt); SYSCALL(getsockopt);
/* fs/exec.c */
SYSCALL(execve); SYSCALL(execveat);

/* kernel/: processes, signals, time, identity, misc */
SYSCALL(getpid); SYSCALL(getppid); SYSCALL(gettid); SYSCALL(fork); SYSCALL(vfork);
SYSCALL(clone); SYSCALL(clone3); SYSCALL(exit); SYSCALL(exit_group);
SYSCALL(wait4); SYSCALL(waitid);
SYSCALL(set_tid_address); SYSCALL(set_robust_list); SYSCALL(get_robust_list);
SYSCALL(futex);
SYSCALL(rt_sigaction); SYSCALL(rt_sigprocmask); SYSCALL(rt_sigreturn);
SYSCALL(rt_sigpending); SYSCALL(rt_sigsuspend); SYSCALL(sigaltstack);
SYSCALL(rt_sigtimedwait); SYSCALL(restart_syscall);
SYSCALL(rt_sigqueueinfo); SYSCALL(rt_tgsigqueueinfo);
SYSCALL(pidfd_open); SYSCALL(pidfd_send_signal);
SYSCALL(mlock); SYSCALL(mlock2); SYSCALL(munlock); SYSCALL(mlockall); SYSCALL(munlockall);
SYSCALL(kill); SYSCALL(tkill); SYSCALL(tgkill); SYSCALL(pause);
SYSCALL(getuid); SYSCALL(geteuid); SYSCALL(getgid); SYSCALL(getegid);
SYSCALL(setuid); SYSCALL(setgid); SYSCALL(setreuid); SYSCALL(setregid);
SYSCALL(setresuid); SYSCALL(setresgid); SYSCALL(getresuid); SYSCALL(getresgid);
SYSCALL(getgroups); SYSCALL(setgroups);
SYSCALL(getpgid); SYSCALL(setpgid); SYSCALL(getpgrp); SYSCALL(getsid); SYSCALL(setsid);
SYSCALL(uname); SYSCALL(sethostname); SYSCALL(setdomainname);
SYSCALL(getrlimit); SYSCALL(setrlimit); SYSCALL(prlimit64);
SYSCALL(getrusage); SYSCALL(times); SYSCALL(sysinfo);
SYSCALL(clock_gettime); SYSCALL(clock_getres); SYSCALL(gettimeofday); SYSCALL(time);
SYSCALL(nanosleep); SYSCALL(clock_nanosleep); SYSCALL(alarm);
SYSCALL(getitimer); SYSCALL(setitimer);
SYSCALL(timer_create); SYSCALL(timer_settime); SYSCALL(timer_gettime);
SYSCALL(clock_settime); SYSCALL(settimeofday); SYSCALL(adjtimex); SYSCALL(clock_adjtime);

SYSCALL(timer_getoverrun); SYSCALL(timer_delete);
SYSCALL(sched_yield); SYSCALL(sched_getaffinity); SYSCALL(getcpu);
SYSCALL(sched_setaffinity); SYSCALL(sched_setscheduler); SYSCALL(sched_setparam);
SYSCALL(sched_getscheduler); SYSCALL(sched_getparam); SYSCALL(sched_get_priority_max);
SYSCALL(sched_get_priority_min); SYSCALL(sched_rr_get_interval); SYSCALL(capget); SYSCALL(capset);
SYSCALL(reboot); SYSCALL(getrandom); SYSCALL(prctl); SYSCALL(getpriority);
SYSCALL(setpriority); SYSCALL(personality); SYSCALL(syslog); SYSCALL(rseq);
SYSCALL(membarrier); SYSCALL(sched_setattr); SYSCALL(sched_getattr);

/* mm/ */
SYSCALL(brk); SYSCALL(mmap); SYSCALL(munmap); SYSCALL(mprotect); SYSCALL(mremap);
SYSCALL(madvise); SYSCALL(msync); SYSCALL(mincore);

/* arch/um/ */
SYSCALL(arch_prctl);

#endif
