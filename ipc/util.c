/*
 * util.c - what the three System V IPC kinds share: tables of objects
 * named by id (seq * IPCMNI + slot, so a stale id of a reused slot
 * misses), lookup by key, the ipcget protocol (IPC_PRIVATE, IPC_CREAT,
 * IPC_EXCL), ipc_perm and its permission checks (svipc(7)), reference
 * counts, and the limits /proc/sys/kernel shows.
 */
#include "kernel/kernel.h"
#include "kernel/ipc.h"
#include "kernel/page.h"
#include "kernel/fs.h"
#include "kernel/sched.h"
#include "uapi/linux/ipc.h"

/* Linux's defaults (ipc/util.h, <linux/shm.h>, <linux/sem.h>, <linux/msg.h>). */
struct ipc_limits ipc_lim = {
	.shmmax = SHMMAX, .shmall = SHMALL, .shmmni = SHMMNI,
	.semmsl = SEMMSL, .semmns = SEMMNS, .semopm = SEMOPM, .semmni = SEMMNI,
	.msgmax = MSGMAX, .msgmnb = MSGMNB, .msgmni = MSGMNI,
};

s64 ipc_now(void)
{
	return current_time().sec;
}

static int ipc_grow(struct ipc_ids *ids)
{
	int ncap = ids->cap ? ids->cap * 2 : 16;
	struct kern_ipc_perm **ns;

	if (ncap > IPCMNI)
		ncap = IPCMNI;
	if (ncap <= ids->cap)
		return -ENOSPC;
	ns = kcalloc((size_t)ncap, sizeof(*ns));
	if (!ns)
		return -ENOMEM;
	if (ids->slot) {
		memcpy(ns, ids->slot, (size_t)ids->cap * sizeof(*ns));
		kfree(ids->slot);
	}
	ids->slot = ns;
	ids->cap = ncap;
	return 0;
}

int ipc_addid(struct ipc_ids *ids, struct kern_ipc_perm *perm, s32 key, u32 mode, int limit)
{
	struct task *t = current;
	int idx;

	if (ids->in_use >= limit)
		return -ENOSPC;
	for (idx = 0; idx < ids->cap && ids->slot[idx]; idx++)
		;
	if (idx == ids->cap && ipc_grow(ids) < 0)
		return -ENOSPC;
	perm->key = key;
	perm->mode = mode & 0777;
	perm->uid = perm->cuid = t->euid;
	perm->gid = perm->cgid = t->egid;
	perm->seq = ids->seq;
	ids->seq = (u16)((ids->seq + 1) % (0x7fffffff / IPCMNI));
	perm->id = perm->seq * IPCMNI + idx;
	perm->deleted = false;
	perm->refs = 1;			/* the table's */
	live.ipc++;
	ids->slot[idx] = perm;
	ids->in_use++;
	if (idx > ids->max_idx)
		ids->max_idx = idx;
	return perm->id;
}

struct kern_ipc_perm *ipc_obtain_idx(struct ipc_ids *ids, int idx)
{
	if (idx < 0 || idx >= ids->cap)
		return NULL;
	return ids->slot[idx];
}

struct kern_ipc_perm *ipc_obtain(struct ipc_ids *ids, int id)
{
	struct kern_ipc_perm *p;

	if (id < 0)
		return NULL;
	p = ipc_obtain_idx(ids, id % IPCMNI);
	return p && p->id == id ? p : NULL;
}

static struct kern_ipc_perm *ipc_findkey(struct ipc_ids *ids, s32 key)
{
	for (int i = 0; i <= ids->max_idx; i++)
		if (ids->slot[i] && ids->slot[i]->key == key)
			return ids->slot[i];
	return NULL;
}

void ipc_rmid(struct ipc_ids *ids, struct kern_ipc_perm *perm)
{
	int idx = perm->id % IPCMNI;

	ids->slot[idx] = NULL;
	ids->in_use--;
	while (ids->max_idx >= 0 && !ids->slot[ids->max_idx])
		ids->max_idx--;
	perm->deleted = true;
	ipc_put(perm);
}

void ipc_get(struct kern_ipc_perm *perm)
{
	perm->refs++;
}

void ipc_put(struct kern_ipc_perm *perm)
{
	if (--perm->refs == 0) {
		if (leak_test(ipc))
			return;
		live.ipc--;
		perm->free(perm);
	}
}

/* Linux's ipcperms(): owner, group or other bits; root passes (CAP_IPC_OWNER). */
int ipcperms(struct kern_ipc_perm *perm, int flag)
{
	struct task *t = current;
	int requested = (flag >> 6) | (flag >> 3) | flag;
	int granted = (int)perm->mode;

	if (t->euid == perm->cuid || t->euid == perm->uid)
		granted >>= 6;
	else if (t->egid == perm->cgid || t->egid == perm->gid)
		granted >>= 3;
	if ((requested & ~granted & 0007) && t->euid != 0)
		return -EACCES;
	return 0;
}

int ipc_owner_check(struct kern_ipc_perm *perm)
{
	struct task *t = current;

	if (t->euid == 0 || t->euid == perm->cuid || t->euid == perm->uid)
		return 0;
	return -EPERM;
}

void ipc_fill_perm(const struct kern_ipc_perm *perm, struct ipc64_perm *out)
{
	memset(out, 0, sizeof(*out));
	out->key = perm->key;
	out->uid = perm->uid;
	out->gid = perm->gid;
	out->cuid = perm->cuid;
	out->cgid = perm->cgid;
	out->mode = perm->mode;
	out->seq = perm->seq;
}

void ipc_set_perm(struct kern_ipc_perm *perm, const struct ipc64_perm *in)
{
	perm->uid = in->uid;
	perm->gid = in->gid;
	perm->mode = (perm->mode & ~0777u) | (in->mode & 0777);
}

struct kern_ipc_perm *ipc_next(struct ipc_ids *ids, int *pos)
{
	while (++*pos <= ids->max_idx)
		if (ids->slot[*pos])
			return ids->slot[*pos];
	return NULL;
}

/*
 * The get protocol of shmget, semget and msgget (Linux's ipcget): a new
 * object for IPC_PRIVATE or an unknown key with IPC_CREAT, -ENOENT for
 * an unknown key without it; for a known key -EEXIST with IPC_CREAT |
 * IPC_EXCL, then the kind's checks (a size or count too large), then
 * the permission the flag's mode bits ask for.  Returns the id.
 */
long ipcget(struct ipc_ids *ids, const struct ipc_ops *ops, struct ipc_params *p)
{
	struct kern_ipc_perm *perm;
	int err;

	if (p->key == IPC_PRIVATE)
		return ops->create(p);
	perm = ipc_findkey(ids, p->key);
	if (!perm)
		return (p->flg & IPC_CREAT) ? ops->create(p) : -ENOENT;
	if ((p->flg & IPC_CREAT) && (p->flg & IPC_EXCL))
		return -EEXIST;
	if (ops->more_checks && (err = ops->more_checks(perm, p)) < 0)
		return err;
	err = ipcperms(perm, p->flg);
	return err < 0 ? err : perm->id;
}

/*
 * Every object goes at halt, once no process is left to use them (the
 * halting one's SEM_UNDO adjustments are dropped with its sets), so the
 * leak check sees their pages and files freed.  May sleep.
 */
void ipc_shutdown(void)
{
	struct ipc_ids *all[] = { &shm_ids, &sem_ids, &msg_ids };
	struct kern_ipc_perm *p;
	int pos = -1;

	if (current->signal)
		exit_sem(current->signal);
	while ((p = ipc_next(&shm_ids, &pos)) != NULL)
		ipc_rmid(&shm_ids, p);	/* nothing is attached any more */
	sem_shutdown();
	msg_shutdown();
	mq_shutdown();
	for (unsigned k = 0; k < ARRAY_SIZE(all); k++) {
		kfree(all[k]->slot);
		all[k]->slot = NULL;
		all[k]->cap = 0;
	}
}
