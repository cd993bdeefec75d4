/*
 * ipc.h - System V IPC (ipc/): shared memory, semaphores and message
 * queues, each kind a table of objects named by key and id.
 *
 * Layers: ipc/util.c keeps the tables (ids, keys, ipc_perm, permission
 * checks, the get/create protocol all three share); ipc/shm.c, sem.c
 * and msg.c are the kinds and their syscalls; ipc/proc.c writes
 * /proc/sysvipc files and the limits under /proc/sys/kernel.
 *
 * Lifetimes: an object is in its table from creation until IPC_RMID
 * (for shm: until the last detach after IPC_RMID).  A task that sleeps
 * on one (semop, msgsnd, msgrcv) holds a reference (perm.refs), so an
 * object removed meanwhile stays in memory until that task has seen
 * `deleted` and returned -EIDRM.
 */
#ifndef KERNEL_IPC_H
#define KERNEL_IPC_H

#include "kernel/types.h"
#include "kernel/list.h"

#define IPCMNI		32768	/* ids are seq * IPCMNI + slot */

struct kern_ipc_perm {
	int id;
	s32 key;
	uid_t uid, cuid;
	gid_t gid, cgid;
	u32 mode;		/* low 9 bits; shm adds SHM_DEST, SHM_LOCKED */
	u16 seq;
	bool deleted;		/* removed from its table */
	int refs;		/* the table's + sleepers'; see ipc_put */
	void (*free)(struct kern_ipc_perm *p);	/* at the last ipc_put */
};

struct ipc_ids {
	int in_use;		/* objects in the table */
	int cap;		/* slots allocated */
	int max_idx;		/* highest slot in use, or -1 */
	u16 seq;		/* of the next object */
	struct kern_ipc_perm **slot;
};

/* What sys_*get passes to ipcget. */
struct ipc_params {
	s32 key;
	int flg;
	u64 size;		/* shm: bytes; sem: nsems */
};
struct ipc_ops {
	int (*create)(struct ipc_params *p);	/* id or -errno */
	int (*more_checks)(struct kern_ipc_perm *perm, struct ipc_params *p);
};

/* The three tables (ipc/shm.c, sem.c, msg.c). */
extern struct ipc_ids shm_ids, sem_ids, msg_ids;

long ipcget(struct ipc_ids *ids, const struct ipc_ops *ops, struct ipc_params *p);
/* The object with id, or NULL; no reference is taken. */
struct kern_ipc_perm *ipc_obtain(struct ipc_ids *ids, int id);
/* The object in slot idx (SHM_STAT and the like), or NULL. */
struct kern_ipc_perm *ipc_obtain_idx(struct ipc_ids *ids, int idx);
/* Puts a new object in the table, owned by current: its id or -ENOSPC. */
int ipc_addid(struct ipc_ids *ids, struct kern_ipc_perm *perm, s32 key, u32 mode, int limit);
/* Takes perm out of its table and drops the table's reference. */
void ipc_rmid(struct ipc_ids *ids, struct kern_ipc_perm *perm);
void ipc_get(struct kern_ipc_perm *perm);
void ipc_put(struct kern_ipc_perm *perm);
/* 0 if current may access perm as flag's rwx bits ask (S_IRUGO...), else -EACCES. */
int ipcperms(struct kern_ipc_perm *perm, int flag);
/* 0 if current owns perm or is root (IPC_SET, IPC_RMID), else -EPERM. */
int ipc_owner_check(struct kern_ipc_perm *perm);
struct ipc64_perm;
void ipc_fill_perm(const struct kern_ipc_perm *perm, struct ipc64_perm *out);
/* IPC_SET: uid, gid and the mode's low 9 bits from in. */
void ipc_set_perm(struct kern_ipc_perm *perm, const struct ipc64_perm *in);
/* The object after slot *pos (start at -1), for /proc/sysvipc; NULL at the end. */
struct kern_ipc_perm *ipc_next(struct ipc_ids *ids, int *pos);
s64 ipc_now(void);		/* seconds, CLOCK_REALTIME */

/* Limits, as /proc/sys/kernel shows and sets them (ipc/proc.c). */
struct ipc_limits {
	u64 shmmax, shmall;
	int shmmni;
	int semmsl, semmns, semopm, semmni;
	int msgmax, msgmnb, msgmni;
};
extern struct ipc_limits ipc_lim;

/* Hooks: a process's last thread exits (SEM_UNDO); the machine halts. */
struct signal_struct;
void exit_sem(struct signal_struct *sg);
void ipc_shutdown(void);	/* every object removed, before the leak check */
void sem_shutdown(void);
void msg_shutdown(void);

/* /proc/sysvipc/{shm,sem,msg}, as procfs's show functions. */
struct proc_buf;
struct task;
int show_sysvipc_shm(struct proc_buf *b, struct task *unused);
int show_sysvipc_sem(struct proc_buf *b, struct task *unused);
int show_sysvipc_msg(struct proc_buf *b, struct task *unused);
u64 shm_total_pages(void);
/* /proc/sys/kernel's IPC limits (ipc/proc.c). */
#define IPC_SYSCTL(X) X(shmmax) X(shmall) X(shmmni) X(sem) X(msgmax) X(msgmnb) X(msgmni)
#define IPC_SYSCTL_DECL(n) int show_##n(struct proc_buf *b, struct task *t); \
	int store_##n(const char *buf, size_t len);
IPC_SYSCTL(IPC_SYSCTL_DECL)

/* Access bits ipcperms() takes, as Linux's S_IRUGO... */
#define S_IRUGO		0444
#define S_IWUGO		0222
#define S_IXUGO		0111

#endif
