/*
 * sem.c - System V semaphores: semget, semop, semtimedop, semctl.
 *
 * A set's sleepers wait on its one queue, each with a sem_queue entry
 * naming the operation it blocked on (GETNCNT and GETZCNT count those,
 * as Linux does since 4.x); every change to the set wakes them all and
 * each one retries its whole array of operations, which applies
 * atomically or not at all (Linux's perform_atomic_semop_slow: ops in
 * order, each seeing the ones before).  semop is never restarted: a
 * signal makes it -EINTR (signal(7)); removal makes sleepers -EIDRM.
 *
 * SEM_UNDO: a process (a thread group: threads share it, as with
 * CLONE_SYSVSEM) keeps one sem_undo per set it used, with an adjustment
 * per semaphore; exit_sem applies them when its last thread exits.
 */
#include "kernel/kernel.h"
#include "kernel/ipc.h"
#include "kernel/fs.h"
#include "kernel/mm.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/syscalls.h"
#include "uapi/linux/ipc.h"
#include "uapi/linux/time_types.h"
#include "../fs/proc/internal.h"

#define NSEC	1000000000ULL

struct ksem {
	int semval;
	pid_t sempid;
};

struct sem_array {
	struct kern_ipc_perm perm;	/* first: the table holds &perm */
	int nsems;
	s64 otime, ctime;
	struct wait_queue wq;		/* sleepers in semop */
	struct list_head pending;	/* their struct sem_queue */
	struct list_head undos;		/* struct sem_undo.list_id */
	struct ksem sems[];
};

struct sem_queue {
	struct list_head list;
	const struct sembuf *blocking;	/* the operation it waits for */
};

/* One process's adjustments for one set. */
struct sem_undo {
	struct list_head list_proc;	/* sem_undo_list.undos */
	struct list_head list_id;	/* sem_array.undos */
	int semid;
	short semadj[];
};

struct sem_undo_list {
	struct list_head undos;
};

struct ipc_ids sem_ids = { .max_idx = -1 };
static long used_sems;

static struct sem_array *sem_of(struct kern_ipc_perm *p)
{
	return (struct sem_array *)p;
}

static struct sem_array *sem_lookup(int id)
{
	struct kern_ipc_perm *p = ipc_obtain(&sem_ids, id);

	return p ? sem_of(p) : NULL;
}

static void undo_free(struct sem_undo *un)
{
	list_del(&un->list_proc);
	list_del(&un->list_id);
	kfree(un);
}

static void sem_free(struct kern_ipc_perm *p)
{
	kfree(sem_of(p));
}

/* IPC_RMID (and halt): sleepers wake to -EIDRM, undo entries go. */
static void sem_rmid(struct sem_array *sma)
{
	while (!list_empty(&sma->undos))
		undo_free(list_first_entry(&sma->undos, struct sem_undo, list_id));
	used_sems -= sma->nsems;
	wake_up(&sma->wq);
	ipc_rmid(&sem_ids, &sma->perm);
}

static int sem_create(struct ipc_params *p)
{
	int nsems = (int)p->size, id;
	struct sem_array *sma;

	if (nsems == 0)
		return -EINVAL;
	if (used_sems + nsems > ipc_lim.semmns)
		return -ENOSPC;
	sma = kzalloc(sizeof(*sma) + (size_t)nsems * sizeof(struct ksem));
	if (!sma)
		return -ENOMEM;
	sma->nsems = nsems;
	init_waitqueue(&sma->wq);
	INIT_LIST_HEAD(&sma->pending);
	INIT_LIST_HEAD(&sma->undos);
	sma->perm.free = sem_free;
	id = ipc_addid(&sem_ids, &sma->perm, p->key, (u32)p->flg, ipc_lim.semmni);
	if (id < 0) {
		kfree(sma);
		return id;
	}
	sma->ctime = ipc_now();
	used_sems += nsems;
	return id;
}

static int sem_more_checks(struct kern_ipc_perm *perm, struct ipc_params *p)
{
	return p->size > (u64)sem_of(perm)->nsems ? -EINVAL : 0;
}

static const struct ipc_ops sem_ops = { sem_create, sem_more_checks };

SYSCALL(semget)
{
	int nsems = (int)a[1];
	struct ipc_params p = { .key = (s32)a[0], .size = (u64)nsems, .flg = (int)a[2] };

	if (nsems < 0 || nsems > ipc_lim.semmsl)
		return -EINVAL;
	return ipcget(&sem_ids, &sem_ops, &p);
}

/* The calling process's undo entry for semid, made on first use: or ERR_PTR. */
static struct sem_undo *find_alloc_undo(int semid)
{
	struct signal_struct *sg = current->signal;
	struct sem_undo_list *ul = sg->sysvsem;
	struct sem_array *sma;
	struct sem_undo *un;

	if (!ul) {
		ul = kzalloc(sizeof(*ul));
		if (!ul)
			return ERR_PTR(-ENOMEM);
		INIT_LIST_HEAD(&ul->undos);
		sg->sysvsem = ul;
	}
	list_for_each_entry(un, &ul->undos, list_proc)
		if (un->semid == semid)
			return un;
	sma = sem_lookup(semid);
	if (!sma)
		return ERR_PTR(-EINVAL);
	un = kzalloc(sizeof(*un) + (size_t)sma->nsems * sizeof(short));
	if (!un)
		return ERR_PTR(-ENOMEM);
	un->semid = semid;
	list_add(&un->list_proc, &ul->undos);
	list_add(&un->list_id, &sma->undos);
	return un;
}

/*
 * Tries the operations: 0 done, 1 would block (*blocking set), or
 * -EAGAIN (IPC_NOWAIT) / -ERANGE; on anything but 0 nothing changed.
 */
static int perform_atomic_semop(struct sem_array *sma, const struct sembuf *sops, int nsops,
				struct sem_undo *un, const struct sembuf **blocking)
{
	const struct sembuf *sop;
	int result;

	for (sop = sops; sop < sops + nsops; sop++) {
		struct ksem *curr = &sma->sems[sop->sem_num];

		result = curr->semval;
		if (!sop->sem_op && result)
			goto would_block;
		result += sop->sem_op;
		if (result < 0)
			goto would_block;
		if (result > SEMVMX)
			goto out_of_range;
		if (sop->sem_flg & SEM_UNDO) {
			int undo = un->semadj[sop->sem_num] - sop->sem_op;

			if (undo < -SEMAEM - 1 || undo > SEMAEM)
				goto out_of_range;
			un->semadj[sop->sem_num] = (short)undo;
		}
		curr->semval = result;
	}
	for (sop = sops; sop < sops + nsops; sop++)
		sma->sems[sop->sem_num].sempid = current->tgid;
	return 0;
out_of_range:
	result = -ERANGE;
	goto undo;
would_block:
	*blocking = sop;
	result = (sop->sem_flg & IPC_NOWAIT) ? -EAGAIN : 1;
undo:
	while (--sop >= sops) {
		sma->sems[sop->sem_num].semval -= sop->sem_op;
		if (sop->sem_flg & SEM_UNDO)
			un->semadj[sop->sem_num] += sop->sem_op;
	}
	return result;
}

/* Sleeps until the operations apply.  0 or -EIDRM/-EINTR/-EAGAIN/-ERANGE.  May sleep. */
static long semop_wait(struct sem_array *sma, int semid, const struct sembuf *sops, int nsops,
		       bool undos, u64 deadline)
{
	struct sem_queue q;
	struct sem_undo *un = NULL;
	long r;

	ipc_get(&sma->perm);
	for (;;) {
		if (sma->perm.deleted) {
			r = -EIDRM;
			break;
		}
		if (undos) {	/* set RMID and a new one may not keep ours */
			un = find_alloc_undo(semid);
			if (IS_ERR(un)) {
				r = PTR_ERR(un) == -EINVAL ? -EIDRM : PTR_ERR(un);
				break;
			}
		}
		r = perform_atomic_semop(sma, sops, nsops, un, &q.blocking);
		if (r <= 0)
			break;
		list_add_tail(&q.list, &sma->pending);
		r = deadline ? sleep_on_timeout(&sma->wq, true, deadline) : sleep_on(&sma->wq, true);
		list_del(&q.list);
		if (r == -ERESTARTSYS || r == -ETIMEDOUT) {
			r = r == -ETIMEDOUT ? -EAGAIN : -EINTR;
			if (!sma->perm.deleted)
				break;
			r = -EIDRM;
			break;
		}
	}
	if (r == 0) {
		sma->otime = ipc_now();
		wake_up(&sma->wq);	/* a change: others may go on */
	}
	ipc_put(&sma->perm);
	return r;
}

/* Reads and checks a relative timeout: the monotonic deadline, or -errno. */
static long sem_deadline(uaddr_t uts, u64 *deadline)
{
	struct __kernel_timespec ts;
	u64 ns;

	*deadline = 0;
	if (uaddr_is_null(uts))
		return 0;
	if (copy_from_user(&ts, uts, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (long long)NSEC)
		return -EINVAL;
	ns = (u64)ts.tv_sec > (~0ULL >> 2) / NSEC ? (~0ULL >> 2) : (u64)ts.tv_sec * NSEC + (u64)ts.tv_nsec;
	*deadline = os_monotonic_ns() + ns;
	return 0;
}

/* Linux's do_semtimedop, its checks in its order. May sleep. */
static long do_semtimedop(int semid, uaddr_t usops, unsigned nsops, uaddr_t uts)
{
	struct sembuf fast[16], *sops = fast;
	struct sem_array *sma;
	bool undos = false, alter = false;
	unsigned max = 0;
	u64 deadline;
	long r;

	if (nsops < 1 || semid < 0)
		return -EINVAL;
	if (nsops > (unsigned)ipc_lim.semopm)
		return -E2BIG;
	if (nsops > ARRAY_SIZE(fast) && !(sops = kcalloc(nsops, sizeof(*sops))))
		return -ENOMEM;
	r = -EFAULT;
	if (copy_from_user(sops, usops, nsops * sizeof(*sops)))
		goto out;
	if ((r = sem_deadline(uts, &deadline)) < 0)
		goto out;
	for (unsigned i = 0; i < nsops; i++) {
		max = max(max, sops[i].sem_num);
		undos |= (sops[i].sem_flg & SEM_UNDO) != 0;
		alter |= sops[i].sem_op != 0;
	}
	r = -EINVAL;
	sma = sem_lookup(semid);
	if (!sma)
		goto out;
	r = -EFBIG;
	if (max >= (unsigned)sma->nsems)
		goto out;
	if ((r = ipcperms(&sma->perm, alter ? S_IWUGO : S_IRUGO)) < 0)
		goto out;
	r = semop_wait(sma, semid, sops, (int)nsops, undos, deadline);
out:
	if (sops != fast)
		kfree(sops);
	return r;
}

SYSCALL(semop)
{
	return do_semtimedop((int)a[0], UADDR(a[1]), (unsigned)a[2], UADDR_NULL);
}

SYSCALL(semtimedop)
{
	return do_semtimedop((int)a[0], UADDR(a[1]), (unsigned)a[2], UADDR(a[3]));
}

/* Tasks blocked on semnum waiting for it to be zero (or to grow). */
static int count_semcnt(struct sem_array *sma, int semnum, bool zero)
{
	struct sem_queue *q;
	int n = 0;

	list_for_each_entry(q, &sma->pending, list)
		if (q->blocking->sem_num == semnum && (zero ? q->blocking->sem_op == 0 :
						       q->blocking->sem_op < 0))
			n++;
	return n;
}

/* SETVAL and SETALL: adjustments of the set's semaphores reset, sleepers retry. */
static void sem_changed(struct sem_array *sma, int semnum)
{
	struct sem_undo *un;

	list_for_each_entry(un, &sma->undos, list_id)
		for (int i = 0; i < sma->nsems; i++)
			if (semnum < 0 || i == semnum)
				un->semadj[i] = 0;
	sma->ctime = ipc_now();
	wake_up(&sma->wq);
}

static long sem_setval(int semid, int semnum, int val)
{
	struct sem_array *sma;
	long r;

	if (val > SEMVMX || val < 0)
		return -ERANGE;
	sma = sem_lookup(semid);
	if (!sma)
		return -EINVAL;
	if (semnum < 0 || semnum >= sma->nsems)
		return -EINVAL;
	if ((r = ipcperms(&sma->perm, S_IWUGO)) < 0)
		return r;
	sma->sems[semnum].semval = val;
	sma->sems[semnum].sempid = current->tgid;
	sem_changed(sma, semnum);
	return 0;
}

/* GETALL and SETALL, through a kernel copy of the values.  May sleep. */
static long sem_all(struct sem_array *sma, int cmd, uaddr_t arr)
{
	int n = sma->nsems;
	u16 *v = kcalloc((size_t)n, sizeof(u16));
	long r = 0;

	if (!v)
		return -ENOMEM;
	ipc_get(&sma->perm);		/* the copies may sleep */
	if (cmd == GETALL) {
		for (int i = 0; i < n; i++)
			v[i] = (u16)sma->sems[i].semval;
		if (copy_to_user(arr, v, (size_t)n * sizeof(u16)))
			r = -EFAULT;
	} else if (copy_from_user(v, arr, (size_t)n * sizeof(u16))) {
		r = -EFAULT;
	} else if (sma->perm.deleted) {
		r = -EIDRM;
	} else {
		for (int i = 0; i < n && !r; i++)
			if (v[i] > SEMVMX)
				r = -ERANGE;
		for (int i = 0; i < n && !r; i++) {
			sma->sems[i].semval = v[i];
			sma->sems[i].sempid = current->tgid;
		}
		if (!r)
			sem_changed(sma, -1);
	}
	ipc_put(&sma->perm);
	kfree(v);
	return r;
}

/* GETVAL, GETPID, GETNCNT, GETZCNT, GETALL, SETALL (Linux's semctl_main). */
static long sem_main(int semid, int semnum, int cmd, uaddr_t arg)
{
	struct sem_array *sma = sem_lookup(semid);
	long r;

	if (!sma)
		return -EINVAL;
	if ((r = ipcperms(&sma->perm, cmd == SETALL ? S_IWUGO : S_IRUGO)) < 0)
		return r;
	if (cmd == GETALL || cmd == SETALL)
		return sem_all(sma, cmd, arg);
	if (semnum < 0 || semnum >= sma->nsems)
		return -EINVAL;
	switch (cmd) {
	case GETVAL:
		return sma->sems[semnum].semval;
	case GETPID:
		return sma->sems[semnum].sempid;
	case GETNCNT:
		return count_semcnt(sma, semnum, false);
	default:
		return count_semcnt(sma, semnum, true);
	}
}

static long sem_stat(int id, int cmd, uaddr_t buf)
{
	struct kern_ipc_perm *p;
	struct semid64_ds ds;
	long r;

	p = cmd == IPC_STAT ? ipc_obtain(&sem_ids, id) : ipc_obtain_idx(&sem_ids, id);
	if (!p)
		return -EINVAL;
	if (cmd != SEM_STAT_ANY && (r = ipcperms(p, S_IRUGO)) < 0)
		return r;
	memset(&ds, 0, sizeof(ds));
	ipc_fill_perm(p, &ds.sem_perm);
	ds.sem_otime = sem_of(p)->otime;
	ds.sem_ctime = sem_of(p)->ctime;
	ds.sem_nsems = (unsigned long)sem_of(p)->nsems;
	if (copy_to_user(buf, &ds, sizeof(ds)))
		return -EFAULT;
	return cmd == IPC_STAT ? 0 : p->id;
}

static long sem_info(int cmd, uaddr_t buf)
{
	struct seminfo si = {
		.semmni = ipc_lim.semmni, .semmns = ipc_lim.semmns, .semmsl = ipc_lim.semmsl,
		.semopm = ipc_lim.semopm, .semvmx = SEMVMX, .semmap = SEMMAP,
		.semmnu = SEMMNU, .semume = SEMUME, .semusz = SEMUSZ, .semaem = SEMAEM,
	};

	if (cmd == SEM_INFO) {
		si.semusz = sem_ids.in_use;
		si.semaem = (int)used_sems;
	}
	if (copy_to_user(buf, &si, sizeof(si)))
		return -EFAULT;
	return sem_ids.max_idx < 0 ? 0 : sem_ids.max_idx;
}

static long sem_down(int semid, int cmd, uaddr_t buf)
{
	struct semid64_ds ds;
	struct sem_array *sma;
	long r;

	if (cmd == IPC_SET && copy_from_user(&ds, buf, sizeof(ds)))
		return -EFAULT;
	sma = sem_lookup(semid);
	if (!sma)
		return -EINVAL;
	if ((r = ipc_owner_check(&sma->perm)) < 0)
		return r;
	if (cmd == IPC_RMID) {
		sem_rmid(sma);
		return 0;
	}
	ipc_set_perm(&sma->perm, &ds.sem_perm);
	sma->ctime = ipc_now();
	return 0;
}

/* semctl(semid, semnum, cmd, arg): arg is the union semun word. */
SYSCALL(semctl)
{
	int semid = (int)a[0], semnum = (int)a[1], cmd = (int)a[2];
	uaddr_t arg = UADDR(a[3]);

	if (semid < 0 && cmd != IPC_INFO && cmd != SEM_INFO)
		return -EINVAL;
	switch (cmd) {
	case IPC_INFO:
	case SEM_INFO:
		return sem_info(cmd, arg);
	case IPC_STAT:
	case SEM_STAT:
	case SEM_STAT_ANY:
		return sem_stat(semid, cmd, arg);
	case GETALL: case GETVAL: case GETPID: case GETNCNT: case GETZCNT: case SETALL:
		return sem_main(semid, semnum, cmd, arg);
	case SETVAL:
		return sem_setval(semid, semnum, (int)a[3]);
	case IPC_RMID:
	case IPC_SET:
		return sem_down(semid, cmd, arg);
	default:
		return -EINVAL;
	}
}

/*
 * The process's last thread is exiting: each adjustment is added to
 * its semaphore, clamped to [0, SEMVMX] as Linux does, and sleepers of
 * the set retry.  Never sleeps.
 */
void exit_sem(struct signal_struct *sg)
{
	struct sem_undo_list *ul = sg->sysvsem;

	if (!ul)
		return;
	while (!list_empty(&ul->undos)) {
		struct sem_undo *un = list_first_entry(&ul->undos, struct sem_undo, list_proc);
		struct sem_array *sma = sem_lookup(un->semid);

		for (int i = 0; sma && i < sma->nsems; i++) {
			int v = sma->sems[i].semval + un->semadj[i];

			if (!un->semadj[i])
				continue;
			sma->sems[i].semval = v < 0 ? 0 : v > SEMVMX ? SEMVMX : v;
			sma->sems[i].sempid = current->tgid;
		}
		if (sma) {
			sma->otime = ipc_now();
			wake_up(&sma->wq);
		}
		undo_free(un);
	}
	kfree(ul);
	sg->sysvsem = NULL;
}

/* Removal of every set at halt (ipc_shutdown calls the table's rmid). */
void sem_shutdown(void)
{
	struct kern_ipc_perm *p;
	int pos = -1;

	while ((p = ipc_next(&sem_ids, &pos)) != NULL)
		sem_rmid(sem_of(p));
}

int show_sysvipc_sem(struct proc_buf *b, struct task *unused)
{
	struct kern_ipc_perm *p;
	int pos = -1;

	pb_printf(b, "       key      semid perms      nsems   uid   gid  cuid  cgid      otime      ctime\n");
	while ((p = ipc_next(&sem_ids, &pos)) != NULL)
		pb_printf(b, "%10d %10d  %4o %10u %5u %5u %5u %5u %10lld %10lld\n", p->key, p->id,
			  p->mode, sem_of(p)->nsems, p->uid, p->gid, p->cuid, p->cgid,
			  (long long)sem_of(p)->otime, (long long)sem_of(p)->ctime);
	return 0;
}
