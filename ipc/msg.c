/*
 * msg.c - System V message queues: msgget, msgsnd, msgrcv, msgctl.
 *
 * A queue is a list of messages (type, bytes) bounded by msg_qbytes in
 * bytes and, as Linux, in number of messages too.  Senders and
 * receivers sleep on the queue's one wait queue and retry after every
 * change.  A signal ends the wait with -ERESTARTNOHAND (-EINTR for a
 * handler, never restarted: signal(7)); removal with -EIDRM.
 */
#include "kernel/kernel.h"
#include "kernel/ipc.h"
#include "kernel/fs.h"
#include "kernel/mm.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/syscalls.h"
#include "uapi/linux/ipc.h"
#include "../fs/proc/internal.h"

struct msg_msg {
	struct list_head list;
	long mtype;
	size_t size;
	char text[];
};

struct msg_queue {
	struct kern_ipc_perm perm;	/* first: the table holds &perm */
	s64 stime, rtime, ctime;
	u64 cbytes, qnum, qbytes;
	pid_t lspid, lrpid;
	struct list_head messages;
	struct wait_queue wq;		/* senders and receivers */
};

struct ipc_ids msg_ids = { .max_idx = -1 };
static long msg_hdrs, msg_bytes;	/* every queue's, for MSG_INFO */

enum { SEARCH_ANY, SEARCH_EQUAL, SEARCH_NOTEQUAL, SEARCH_LESSEQUAL, SEARCH_NUMBER };

static struct msg_queue *msq_of(struct kern_ipc_perm *p)
{
	return (struct msg_queue *)p;
}

static struct msg_queue *msq_lookup(int id)
{
	struct kern_ipc_perm *p = ipc_obtain(&msg_ids, id);

	return p ? msq_of(p) : NULL;
}

static void msg_unlink(struct msg_queue *q, struct msg_msg *m)
{
	list_del(&m->list);
	q->qnum--;
	q->cbytes -= m->size;
	msg_hdrs--;
	msg_bytes -= (long)m->size;
}

static void msq_free(struct kern_ipc_perm *p)
{
	struct msg_queue *q = msq_of(p);

	while (!list_empty(&q->messages)) {
		struct msg_msg *m = list_first_entry(&q->messages, struct msg_msg, list);

		msg_unlink(q, m);
		kfree(m);
	}
	kfree(q);
}

static void msq_rmid(struct msg_queue *q)
{
	wake_up(&q->wq);
	ipc_rmid(&msg_ids, &q->perm);
}

static int msq_create(struct ipc_params *p)
{
	struct msg_queue *q = kzalloc(sizeof(*q));
	int id;

	if (!q)
		return -ENOMEM;
	INIT_LIST_HEAD(&q->messages);
	init_waitqueue(&q->wq);
	q->perm.free = msq_free;
	id = ipc_addid(&msg_ids, &q->perm, p->key, (u32)p->flg, ipc_lim.msgmni);
	if (id < 0) {
		kfree(q);
		return id;
	}
	q->qbytes = (u64)ipc_lim.msgmnb;
	q->ctime = ipc_now();
	return id;
}

static const struct ipc_ops msg_ops = { msq_create, NULL };

SYSCALL(msgget)
{
	struct ipc_params p = { .key = (s32)a[0], .flg = (int)a[1] };

	return ipcget(&msg_ids, &msg_ops, &p);
}

/* Room for one more message of size bytes (Linux's msg_fits_inqueue). */
static bool msg_fits(struct msg_queue *q, size_t size)
{
	return size + q->cbytes <= q->qbytes && 1 + q->qnum <= q->qbytes;
}

/* Sleeps on q; 0, or -EIDRM / -ERESTARTNOHAND.  May sleep. */
static long msq_sleep(struct msg_queue *q)
{
	int r = sleep_on(&q->wq, true);

	if (q->perm.deleted)
		return -EIDRM;
	return r ? -ERESTARTNOHAND : 0;
}

static long do_msgsnd(int id, uaddr_t msgp, size_t msgsz, int flg)
{
	struct msg_queue *q;
	struct msg_msg *m;
	long mtype, r;

	if (copy_from_user(&mtype, msgp, sizeof(mtype)))
		return -EFAULT;
	if (msgsz > (size_t)ipc_lim.msgmax || (long)msgsz < 0 || id < 0)
		return -EINVAL;
	if (mtype < 1)
		return -EINVAL;
	m = kmalloc(sizeof(*m) + msgsz);
	if (!m)
		return -ENOMEM;
	m->mtype = mtype;
	m->size = msgsz;
	r = -EFAULT;
	if (copy_from_user(m->text, uaddr_off(msgp, sizeof(long)), msgsz))
		goto out_free;
	r = -EINVAL;
	q = msq_lookup(id);
	if (!q)
		goto out_free;
	if ((r = ipcperms(&q->perm, S_IWUGO)) < 0)
		goto out_free;
	ipc_get(&q->perm);
	while (!msg_fits(q, msgsz)) {
		r = -EAGAIN;
		if (flg & IPC_NOWAIT)
			goto out_put;
		if ((r = msq_sleep(q)) < 0)
			goto out_put;
	}
	list_add_tail(&m->list, &q->messages);
	q->qnum++;
	q->cbytes += msgsz;
	msg_hdrs++;
	msg_bytes += (long)msgsz;
	q->lspid = current->tgid;
	q->stime = ipc_now();
	wake_up(&q->wq);
	ipc_put(&q->perm);
	return 0;
out_put:
	ipc_put(&q->perm);
out_free:
	kfree(m);
	return r;
}

SYSCALL(msgsnd)
{
	return do_msgsnd((int)a[0], UADDR(a[1]), (size_t)a[2], (int)a[3]);
}

/* The message msgrcv takes (Linux's find_msg), or NULL. */
static struct msg_msg *find_msg(struct msg_queue *q, long *type, int mode)
{
	struct msg_msg *m, *found = NULL;
	long count = 0;

	list_for_each_entry(m, &q->messages, list) {
		switch (mode) {
		case SEARCH_ANY:
			return m;
		case SEARCH_EQUAL:
			if (m->mtype == *type)
				return m;
			break;
		case SEARCH_NOTEQUAL:
			if (m->mtype != *type)
				return m;
			break;
		case SEARCH_NUMBER:
			if (count++ == *type)
				return m;
			break;
		default:	/* the lowest type <= *type, the first of them */
			if (m->mtype <= *type && (!found || m->mtype < found->mtype))
				found = m;
			break;
		}
	}
	return found;
}

static int convert_mode(long *type, int flg)
{
	if (flg & MSG_COPY)
		return SEARCH_NUMBER;
	if (*type == 0)
		return SEARCH_ANY;
	if (*type < 0) {
		*type = *type == (-0x7fffffffffffffffL - 1) ? 0x7fffffffffffffffL : -*type;
		return SEARCH_LESSEQUAL;
	}
	return (flg & MSG_EXCEPT) ? SEARCH_NOTEQUAL : SEARCH_EQUAL;
}

/* The message is ours (taken off q, or a copy for MSG_COPY): to the guest. */
static long msg_copy_out(struct msg_msg *m, uaddr_t msgp, size_t bufsz)
{
	size_t n = min(bufsz, m->size);

	if (copy_to_user(msgp, &m->mtype, sizeof(long)) ||
	    copy_to_user(uaddr_off(msgp, sizeof(long)), m->text, n))
		return -EFAULT;
	return (long)n;
}

/* Waits for a message that matches: it (off the queue unless copying) or -errno. May sleep. */
static struct msg_msg *msg_take(struct msg_queue *q, long type, int mode, size_t bufsz, int flg)
{
	struct msg_msg *m;
	long r;

	for (;;) {
		m = find_msg(q, &type, mode);
		if (m)
			break;
		if (flg & IPC_NOWAIT)
			return ERR_PTR(-ENOMSG);
		if ((r = msq_sleep(q)) < 0)
			return ERR_PTR(r);
	}
	if (bufsz < m->size && !(flg & MSG_NOERROR))
		return ERR_PTR(-E2BIG);
	if (flg & MSG_COPY) {
		struct msg_msg *c = kmalloc(sizeof(*c) + m->size);

		if (!c)
			return ERR_PTR(-ENOMEM);
		memcpy(c, m, sizeof(*c) + m->size);
		return c;
	}
	msg_unlink(q, m);
	q->rtime = ipc_now();
	q->lrpid = current->tgid;
	wake_up(&q->wq);		/* room for senders */
	return m;
}

static long do_msgrcv(int id, uaddr_t msgp, size_t bufsz, long type, int flg)
{
	struct msg_queue *q;
	struct msg_msg *m;
	int mode;
	long r;

	if (id < 0 || (long)bufsz < 0)
		return -EINVAL;
	if ((flg & MSG_COPY) && (!(flg & IPC_NOWAIT) || (flg & MSG_EXCEPT)))
		return -EINVAL;
	mode = convert_mode(&type, flg);
	q = msq_lookup(id);
	if (!q)
		return -EINVAL;
	if ((r = ipcperms(&q->perm, S_IRUGO)) < 0)
		return r;
	ipc_get(&q->perm);
	m = msg_take(q, type, mode, bufsz, flg);
	ipc_put(&q->perm);
	if (IS_ERR(m))
		return PTR_ERR(m);
	r = msg_copy_out(m, msgp, bufsz);
	kfree(m);
	return r;
}

SYSCALL(msgrcv)
{
	return do_msgrcv((int)a[0], UADDR(a[1]), (size_t)a[2], (long)a[3], (int)a[4]);
}

static long msg_stat(int id, int cmd, uaddr_t buf)
{
	struct kern_ipc_perm *p;
	struct msqid64_ds ds;
	struct msg_queue *q;
	long r;

	p = cmd == IPC_STAT ? ipc_obtain(&msg_ids, id) : ipc_obtain_idx(&msg_ids, id);
	if (!p)
		return -EINVAL;
	if (cmd != MSG_STAT_ANY && (r = ipcperms(p, S_IRUGO)) < 0)
		return r;
	q = msq_of(p);
	memset(&ds, 0, sizeof(ds));
	ipc_fill_perm(p, &ds.msg_perm);
	ds.msg_stime = q->stime;
	ds.msg_rtime = q->rtime;
	ds.msg_ctime = q->ctime;
	ds.msg_cbytes = q->cbytes;
	ds.msg_qnum = q->qnum;
	ds.msg_qbytes = q->qbytes;
	ds.msg_lspid = q->lspid;
	ds.msg_lrpid = q->lrpid;
	if (copy_to_user(buf, &ds, sizeof(ds)))
		return -EFAULT;
	return cmd == IPC_STAT ? 0 : p->id;
}

static long msg_info(int cmd, uaddr_t buf)
{
	struct msginfo mi = {
		.msgpool = MSGPOOL, .msgmap = MSGMAP, .msgmax = ipc_lim.msgmax,
		.msgmnb = ipc_lim.msgmnb, .msgmni = ipc_lim.msgmni, .msgssz = MSGSSZ,
		.msgtql = MSGTQL, .msgseg = MSGSEG,
	};

	if (cmd == MSG_INFO) {
		mi.msgpool = msg_ids.in_use;
		mi.msgmap = (int)msg_hdrs;
		mi.msgtql = (int)msg_bytes;
	}
	if (copy_to_user(buf, &mi, sizeof(mi)))
		return -EFAULT;
	return msg_ids.max_idx < 0 ? 0 : msg_ids.max_idx;
}

/* IPC_SET and IPC_RMID; raising msg_qbytes past msgmnb is root's. */
static long msg_down(int id, int cmd, uaddr_t buf)
{
	struct msqid64_ds ds;
	struct msg_queue *q;
	long r;

	if (cmd == IPC_SET && copy_from_user(&ds, buf, sizeof(ds)))
		return -EFAULT;
	q = msq_lookup(id);
	if (!q)
		return -EINVAL;
	if ((r = ipc_owner_check(&q->perm)) < 0)
		return r;
	if (cmd == IPC_RMID) {
		msq_rmid(q);
		return 0;
	}
	if (ds.msg_qbytes > (unsigned long)ipc_lim.msgmnb && current->euid != 0)
		return -EPERM;
	ipc_set_perm(&q->perm, &ds.msg_perm);
	q->qbytes = ds.msg_qbytes;
	q->ctime = ipc_now();
	wake_up(&q->wq);		/* a larger queue lets senders in */
	return 0;
}

SYSCALL(msgctl)
{
	int id = (int)a[0], cmd = (int)a[1];
	uaddr_t buf = UADDR(a[2]);

	if (id < 0 && cmd != IPC_INFO && cmd != MSG_INFO)
		return -EINVAL;
	switch (cmd) {
	case IPC_INFO:
	case MSG_INFO:
		return msg_info(cmd, buf);
	case IPC_STAT:
	case MSG_STAT:
	case MSG_STAT_ANY:
		return msg_stat(id, cmd, buf);
	case IPC_SET:
	case IPC_RMID:
		return msg_down(id, cmd, buf);
	default:
		return -EINVAL;
	}
}

void msg_shutdown(void)
{
	struct kern_ipc_perm *p;
	int pos = -1;

	while ((p = ipc_next(&msg_ids, &pos)) != NULL)
		msq_rmid(msq_of(p));
}

int show_sysvipc_msg(struct proc_buf *b, struct task *unused)
{
	struct kern_ipc_perm *p;
	int pos = -1;

	pb_printf(b, "       key      msqid perms      cbytes       qnum lspid lrpid   uid   gid  cuid  cgid      stime      rtime      ctime\n");
	while ((p = ipc_next(&msg_ids, &pos)) != NULL) {
		struct msg_queue *q = msq_of(p);

		pb_printf(b, "%10d %10d  %4o  %10llu %10llu %5d %5d %5u %5u %5u %5u %10lld %10lld %10lld\n",
			  p->key, p->id, p->mode, (unsigned long long)q->cbytes,
			  (unsigned long long)q->qnum, q->lspid, q->lrpid, p->uid, p->gid, p->cuid,
			  p->cgid, (long long)q->stime, (long long)q->rtime, (long long)q->ctime);
	}
	return 0;
}
