/*
 * proc.c - the System V IPC limits under /proc/sys/kernel, as Linux
 * shows and takes them (shmmax, shmall, shmmni, sem as four numbers,
 * msgmax, msgmnb, msgmni); the tables themselves are
 * /proc/sysvipc/{shm,sem,msg} (show_sysvipc_* in shm.c, sem.c, msg.c).
 */
#include "kernel/kernel.h"
#include "kernel/ipc.h"
#include "../fs/proc/internal.h"

#define INT_MAXV	0x7fffffffULL

static int show_u64(struct proc_buf *b, u64 v)
{
	pb_printf(b, "%llu\n", (unsigned long long)v);
	return 0;
}

int show_shmmax(struct proc_buf *b, struct task *t) { return show_u64(b, ipc_lim.shmmax); }
int show_shmall(struct proc_buf *b, struct task *t) { return show_u64(b, ipc_lim.shmall); }
int show_shmmni(struct proc_buf *b, struct task *t) { return show_u64(b, (u64)ipc_lim.shmmni); }
int show_msgmax(struct proc_buf *b, struct task *t) { return show_u64(b, (u64)ipc_lim.msgmax); }
int show_msgmnb(struct proc_buf *b, struct task *t) { return show_u64(b, (u64)ipc_lim.msgmnb); }
int show_msgmni(struct proc_buf *b, struct task *t) { return show_u64(b, (u64)ipc_lim.msgmni); }

int show_sem(struct proc_buf *b, struct task *t)
{
	pb_printf(b, "%d\t%d\t%d\t%d\n", ipc_lim.semmsl, ipc_lim.semmns, ipc_lim.semopm,
		  ipc_lim.semmni);
	return 0;
}

/* One number within [0, max] into *dst. */
#define STORE_ONE(name, field, type, max)				\
int store_##name(const char *buf, size_t len)				\
{									\
	u64 v;								\
	int r = proc_parse_nums(buf, len, &v, 1, 0, max);			\
									\
	if (r < 0)							\
		return r;						\
	ipc_lim.field = (type)v;					\
	return 0;							\
}
STORE_ONE(shmmax, shmmax, u64, ~0ULL)
STORE_ONE(shmall, shmall, u64, ~0ULL)
STORE_ONE(shmmni, shmmni, int, IPCMNI)
STORE_ONE(msgmax, msgmax, int, INT_MAXV)
STORE_ONE(msgmnb, msgmnb, int, INT_MAXV)
STORE_ONE(msgmni, msgmni, int, IPCMNI)

/* "SEMMSL SEMMNS SEMOPM SEMMNI": all four, SEMMNI at most IPCMNI. */
int store_sem(const char *buf, size_t len)
{
	u64 v[4];
	int r = proc_parse_nums(buf, len, v, 4, 0, INT_MAXV);

	if (r < 0)
		return r;
	if (r != 4 || v[3] > IPCMNI)
		return -EINVAL;
	ipc_lim.semmsl = (int)v[0];
	ipc_lim.semmns = (int)v[1];
	ipc_lim.semopm = (int)v[2];
	ipc_lim.semmni = (int)v[3];
	return 0;
}
