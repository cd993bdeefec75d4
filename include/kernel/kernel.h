/* kernel.h - everyday kernel helpers: printk, panic, errors, arithmetic. */
#ifndef KERNEL_KERNEL_H
#define KERNEL_KERNEL_H

#include "kernel/types.h"
#include "kernel/string.h"
#include "uapi/asm-generic/errno.h"

#define ERESTARTSYS	512	/* kernel-internal, as in Linux */
#define ERESTARTNOINTR	513
#define ERESTARTNOHAND	514
#define ERESTART_RESTARTBLOCK 516

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define min(a, b)	((a) < (b) ? (a) : (b))
#define max(a, b)	((a) > (b) ? (a) : (b))
#define ALIGN_UP(x, a)	(((x) + (a) - 1) & ~((u64)(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((u64)(a) - 1))
#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))
#define container_of(p, type, member) \
	((type *)((char *)(p) - offsetof(type, member)))
#define unlikely(x)	__builtin_expect(!!(x), 0)
#define likely(x)	__builtin_expect(!!(x), 1)
#define __noreturn	__attribute__((noreturn))

#define MAX_ERRNO	4095
static inline void *ERR_PTR(long e) { return (void *)e; }
static inline long PTR_ERR(const void *p) { return (long)p; }
static inline bool IS_ERR(const void *p)
{
	return (unsigned long)p >= (unsigned long)-MAX_ERRNO;
}
static inline bool IS_ERR_OR_NULL(const void *p) { return !p || IS_ERR(p); }

/* Log levels, as in Linux; a message without a prefix is KERN_INFO. */
#define KERN_EMERG	"\0010"
#define KERN_ERR	"\0013"
#define KERN_WARNING	"\0014"
#define KERN_NOTICE	"\0015"
#define KERN_INFO	"\0016"
#define KERN_DEBUG	"\0017"
#define KERN_CONT	"\001c"	/* continues the previous line */

void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void vprintk(const char *fmt, va_list ap);
int ksnprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* The uname(2) names (kernel/sys.c), struct new_utsname of <linux/utsname.h>. */
struct new_utsname;
const struct new_utsname *utsname_get(void);
/* Sets the host name from inside the kernel (ip=, DHCP): 0 or -EINVAL. */
int utsname_set_nodename(const char *name);

#define BUG_ON(c) do { if (unlikely(c)) \
	panic("BUG at %s:%d: %s", __FILE__, __LINE__, #c); } while (0)

extern int console_loglevel;
/* A hook that sees every message printed (the mconsole answers with them). */
void printk_set_hook(void (*hook)(const char *s, size_t n));

/*
 * Live objects of the refcounted kinds, checked when the machine halts
 * (kernel/leak.c): once every process is gone and every filesystem is
 * unmounted, only what the kernel itself keeps for its whole run may be
 * left (live_kernel: the pipefs root, the devtmpfs instance).  Adding a
 * kind: a field here, a line in LIVE_KINDS, ++ where one is created and,
 * where it is freed, `if (leak_test(KIND)) return;` then --: the boot
 * test leak_kinds boots with leak_test=KIND for each kind and wants the
 * halt report to name it.  Tasks are checked apart (the halting task,
 * kernel threads and unreaped zombies remain), pages from mem_map, futex
 * waiters from the futex hash.
 */
struct live_counts {
	long tasks, mms, files, pipes, dentries, inodes;
	long sockets;		/* net/socket.c */
	long skbs;		/* net/skbuff.c: packet buffers */
	long dead_netdevs;	/* net/dev.c: unregistered devices not yet released */
	long ipc;		/* System V shm segments, semaphore sets, message queues (ipc/) */
	long superblocks;	/* fs/super.c */
	long mounts;		/* fs/mount.c */
	long epitems;		/* fs/eventpoll.c: watched files */
	long posix_timers;	/* kernel/posix-timers.c */
	long pidfds;		/* kernel/pidfd.c */
	long xattrs;		/* fs/simple_xattr.c: in-memory extended attributes */
	long vmallocs;		/* mm/vmalloc.c: areas */
};
#define LIVE_KINDS(X) X(mms) X(files) X(pipes) X(dentries) X(inodes) X(sockets) X(skbs) \
	X(dead_netdevs) X(ipc) X(superblocks) X(mounts) X(epitems) X(posix_timers) X(pidfds) \
	X(xattrs) X(vmallocs)
extern struct live_counts live, live_kernel;
#define LIVE_ENUM(k) LIVE_##k,
enum live_kind { LIVE_KINDS(LIVE_ENUM) NR_LIVE_KINDS };
#undef LIVE_ENUM
extern const char *const live_kind_names[NR_LIVE_KINDS];
/*
 * leak_test=KIND (test only): the first object of KIND to be freed is
 * kept instead, not counted down, so the halt report must name KIND.
 * leak_test(k) is true that once; use it where the object is freed.
 */
extern int leak_test_kind;	/* enum live_kind, or -1 */
bool leak_test_fire(void);
#define leak_test(k) (unlikely(leak_test_kind == LIVE_##k) && leak_test_fire())
void check_leaks(void);		/* at halt: logs "leak: ..." lines */
long futex_waiters(void);	/* kernel/futex.c: waiters queued on the hash */

#endif
