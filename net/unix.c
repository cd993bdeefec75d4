/*
 * unix.c - AF_UNIX sockets (unix(7)): stream, datagram and seqpacket.
 *
 * Each socket has a struct unix_sock.  Data moves as unix_skb buffers
 * on the receiver's queue; each carries the sender's credentials and
 * address and any files passed with SCM_RIGHTS.  A stream connect
 * makes an "embryo" unix_sock for the server side, queued on the
 * listener until accept(2) gives it a socket; the two ends point at
 * each other (peer, a reference).  Names are a node in the filesystem
 * (fs/sockpath.c) or an abstract name (a leading NUL byte); bound
 * sockets are on one list.
 *
 * Flow control: buffers a socket sent that are still unread count in its
 * wmem (their bytes plus a fixed overhead each), limited by its SO_SNDBUF; a datagram receiver also holds at
 * most max_dgram_qlen (10) messages from senders it is not connected
 * to.  Wake-ups: a socket's wq for its readers, pollers and senders
 * waiting for room; peer_wait for datagram senders waiting for its queue
 * and for connects waiting for the backlog.
 *
 * Files in flight (SCM_RIGHTS) can make cycles no process can reach (a
 * socket sent over itself, two sockets sent over each other, then
 * closed).  unix_gc(), run when a socket is closed while files are in
 * flight, finds the sockets whose every file reference is in flight and
 * that no reachable socket's queue holds, and purges their queues.  Like
 * Linux's it runs a little later (a kernel thread, 10 ms on), so that the
 * closes that usually follow (the other end of the cycle) are done.
 */
#include "kernel/kernel.h"
#include "kernel/fs.h"
#include "kernel/mm.h"
#include "kernel/net.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "uapi/asm/ioctls.h"
#include "uapi/linux/un.h"

#define UNIX_ADDR_MAX	((int)sizeof(struct sockaddr_un))	/* 110 */
#define UNIX_PATH_OFF	2	/* offsetof(struct sockaddr_un, sun_path) */
#define MAX_DGRAM_QLEN	10	/* net.unix.max_dgram_qlen */
#define SKB_MAX		65536	/* largest stream buffer */
#define SKB_OVERHEAD	512	/* bytes charged per buffer beyond its data */
#define SIOCINQ		FIONREAD
#define SIOCOUTQ	0x5411	/* TIOCOUTQ */

enum { U_CLOSE, U_LISTEN, U_CONNECTED };

struct unix_addr {
	int refcnt;
	int len;
	u8 name[UNIX_ADDR_MAX];
};

struct unix_sock;
struct unix_skb {
	struct list_head list;
	struct unix_sock *sender;	/* a reference; truesize counts in its wmem */
	size_t truesize;		/* len plus bookkeeping, as Linux charges it */
	struct unix_addr *addr;		/* the sender's name, or NULL */
	struct kucred cred;
	struct file **fp;		/* SCM_RIGHTS files, references */
	int nfp;
	size_t len, off;		/* off: bytes a stream reader took */
	u8 data[];
};

struct unix_sock {
	struct socket *sock;		/* NULL for an embryo and after close */
	int type, state;
	int refcnt;			/* the socket (or listener queue), peers, skbs */
	struct unix_sock *peer;		/* a reference */
	struct list_head recvq;		/* struct unix_skb */
	int rcv_count;
	struct list_head acceptq;	/* embryos, while listening */
	struct list_head accept_link;
	int backlog, nr_accept;
	struct unix_addr *addr;
	struct path path;		/* the bound filesystem node */
	struct list_head bound_link;	/* on unix_bound while bound */
	struct list_head all_link;	/* on unix_all */
	struct wait_queue wq, peer_wait;
	unsigned shutdown;
	int err;
	struct kucred peercred;
	bool has_peercred, passcred, dead;
	size_t wmem;
	int inflight;			/* its file is in flight this many times */
	int gc_refs;
	bool gc_cand, gc_alive;
};

static LIST_HEAD(unix_bound);
static LIST_HEAD(unix_all);
static int unix_inflight_total;
static bool gc_running;
static unsigned autobind_next;
static const struct proto_ops unix_stream_ops, unix_dgram_ops, unix_seqpacket_ops;

static void unix_gc_schedule(void);

/* ---- objects ---- */

static struct unix_sock *unix_sock_new(int type)
{
	struct unix_sock *u = kzalloc(sizeof(*u));

	if (u == NULL)
		return NULL;
	u->type = type;
	u->refcnt = 1;
	INIT_LIST_HEAD(&u->recvq);
	INIT_LIST_HEAD(&u->acceptq);
	INIT_LIST_HEAD(&u->accept_link);
	INIT_LIST_HEAD(&u->bound_link);
	init_waitqueue(&u->wq);
	init_waitqueue(&u->peer_wait);
	list_add(&u->all_link, &unix_all);
	return u;
}

static void addr_put(struct unix_addr *a)
{
	if (a != NULL && --a->refcnt == 0)
		kfree(a);
}

static struct unix_sock *unix_get(struct unix_sock *u)
{
	u->refcnt++;
	return u;
}

static void unix_put(struct unix_sock *u)
{
	if (u == NULL || --u->refcnt > 0)
		return;
	list_del(&u->all_link);
	addr_put(u->addr);
	kfree(u);
}

static struct unix_sock *unix_from_file(struct file *f)
{
	struct socket *s = sock_from_file(f);

	return (s != NULL && s->family == AF_UNIX) ? s->sk : NULL;
}

/* Counts the unix sockets among fp as in flight (delta +1) or back (-1). */
static void unix_inflight(struct file **fp, int n, int delta)
{
	int i;

	for (i = 0; i < n; i++) {
		struct unix_sock *u = fp[i] ? unix_from_file(fp[i]) : NULL;

		if (u != NULL) {
			u->inflight += delta;
			unix_inflight_total += delta;
		}
	}
}

static void skb_free(struct unix_skb *skb)
{
	int i;

	unix_inflight(skb->fp, skb->nfp, -1);
	for (i = 0; i < skb->nfp; i++)
		fput(skb->fp[i]);
	kfree(skb->fp);
	if (skb->sender) {
		skb->sender->wmem -= skb->truesize;
		wake_up_poll(&skb->sender->wq, POLLOUT | POLLWRNORM);
		unix_put(skb->sender);
	}
	addr_put(skb->addr);
	kfree(skb);
}

static void current_cred(struct kucred *c, bool effective)
{
	c->pid = (u32)current->tgid;
	c->uid = effective ? current->euid : current->uid;
	c->gid = effective ? current->egid : current->gid;
}

static size_t u_sndbuf(struct unix_sock *u)
{
	return u->sock ? (size_t)u->sock->sndbuf : SOCK_DEFAULT_BUF;
}

/* A buffer of len bytes from u, with the files and credentials of scm. */
static struct unix_skb *skb_alloc(struct unix_sock *u, size_t len, struct scm *scm)
{
	struct unix_skb *skb = kmalloc(sizeof(*skb) + (len ? len : 1));

	if (skb == NULL)
		return NULL;
	memset(skb, 0, sizeof(*skb));
	skb->len = len;
	skb->sender = unix_get(u);
	if (u->addr) {
		skb->addr = u->addr;
		u->addr->refcnt++;
	}
	if (scm && scm->has_creds)
		skb->cred = scm->creds;
	else
		current_cred(&skb->cred, false);
	if (scm && scm->nfp) {
		skb->fp = scm->fp;
		skb->nfp = scm->nfp;
		scm->fp = NULL;
		scm->nfp = 0;
		unix_inflight(skb->fp, skb->nfp, +1);
	}
	/* Small messages cost more than their bytes (no flood of 1-byte
	 * messages carrying 253 files each can pin the kernel's memory). */
	skb->truesize = len + SKB_OVERHEAD + (size_t)skb->nfp * sizeof(struct file *);
	u->wmem += skb->truesize;
	return skb;
}

static void skb_queue(struct unix_sock *to, struct unix_skb *skb)
{
	list_add_tail(&skb->list, &to->recvq);
	to->rcv_count++;
	wake_up_poll(&to->wq, POLLIN | POLLRDNORM);
}

static bool recvq_full(struct unix_sock *u)
{
	return u->rcv_count > MAX_DGRAM_QLEN;
}

/*
 * A datagram queue that was full has room again: wake the senders
 * blocked on it, and the pollers of every socket connected to it (they
 * wait on their own queue, so no entry outlives the receiver).
 */
static void unix_queue_room(struct unix_sock *u)
{
	struct unix_sock *s;

	wake_up_poll(&u->peer_wait, POLLOUT | POLLWRNORM);
	list_for_each_entry(s, &unix_all, all_link)
		if (s->peer == u && s != u->peer)
			wake_up_poll(&s->wq, POLLOUT | POLLWRNORM);
}

static void skb_unlink(struct unix_sock *u, struct unix_skb *skb)
{
	bool was_full = recvq_full(u);

	list_del(&skb->list);
	u->rcv_count--;
	if (was_full && u->type != SOCK_STREAM)
		unix_queue_room(u);
	else
		wake_up_poll(&u->peer_wait, POLLOUT | POLLWRNORM);
}

/* ---- names ---- */

/*
 * Checks a sockaddr_un and makes it canonical: a filesystem name is cut
 * at its first NUL (the length then counts one NUL), an abstract one
 * keeps every byte.  Returns the length or -EINVAL.
 */
static int unix_mkname(const u8 *addr, int len, struct unix_addr *out)
{
	if (len <= UNIX_PATH_OFF || len > UNIX_ADDR_MAX || *(const u16 *)addr != AF_UNIX)
		return -EINVAL;
	memset(out->name, 0, sizeof(out->name));
	memcpy(out->name, addr, (size_t)len);
	if (addr[UNIX_PATH_OFF] != 0) {
		int n = (int)strnlen((const char *)out->name + UNIX_PATH_OFF, (size_t)(len - UNIX_PATH_OFF));

		len = UNIX_PATH_OFF + n + 1;
		if (len > UNIX_ADDR_MAX)
			len = UNIX_ADDR_MAX;	/* 108 bytes, no NUL: still a name */
	}
	out->len = len;
	return len;
}

static bool is_abstract(const struct unix_addr *a)
{
	return a->name[UNIX_PATH_OFF] == 0;
}

/* The C string of a filesystem name (sun_path may fill all 108 bytes). */
static void addr_path(const struct unix_addr *a, char *buf)
{
	int n = a->len - UNIX_PATH_OFF;

	memcpy(buf, a->name + UNIX_PATH_OFF, (size_t)n);
	buf[n] = 0;
}

static struct unix_sock *find_abstract(const struct unix_addr *a)
{
	struct unix_sock *u;

	list_for_each_entry(u, &unix_bound, bound_link)
		if (u->addr->len == a->len && is_abstract(u->addr) &&
		    memcmp(u->addr->name, a->name, (size_t)a->len) == 0)
			return u;
	return NULL;
}

/* The socket bound to the name in addr: a reference, or ERR_PTR. May sleep. */
static struct unix_sock *unix_find(const u8 *addr, int len, int type)
{
	struct unix_addr a;
	struct unix_sock *u, *found = NULL;
	struct path p;
	char path[UNIX_ADDR_MAX];
	int err = unix_mkname(addr, len, &a);

	if (err < 0)
		return ERR_PTR(err);
	if (is_abstract(&a)) {
		found = find_abstract(&a);
	} else {
		addr_path(&a, path);
		err = vfs_find_sock(path, &p);
		if (err < 0)
			return ERR_PTR(err);
		list_for_each_entry(u, &unix_bound, bound_link)
			if (u->path.dentry && u->path.dentry->d_inode == p.dentry->d_inode)
				found = u;
		path_put(&p);
	}
	if (found == NULL)
		return ERR_PTR(-ECONNREFUSED);
	if (found->type != type)
		return ERR_PTR(-EPROTOTYPE);
	return unix_get(found);
}

static struct unix_addr *addr_new(void)
{
	struct unix_addr *a = kzalloc(sizeof(*a));

	if (a)
		a->refcnt = 1;
	return a;
}

/* Binds u to an unused abstract name "\0xxxxx" (Linux's autobind). */
static int unix_autobind(struct unix_sock *u)
{
	struct unix_addr *a;
	unsigned tries;

	if (u->addr)
		return 0;
	a = addr_new();
	if (a == NULL)
		return -ENOMEM;
	*(u16 *)a->name = AF_UNIX;
	a->len = UNIX_PATH_OFF + 6;
	for (tries = 0; tries < 0x100000; tries++) {
		ksnprintf((char *)a->name + UNIX_PATH_OFF + 1, 6, "%05x", autobind_next++ & 0xfffff);
		a->name[UNIX_PATH_OFF] = 0;
		if (find_abstract(a) == NULL) {
			u->addr = a;
			list_add(&u->bound_link, &unix_bound);
			return 0;
		}
	}
	kfree(a);
	return -ENOSPC;
}

/*
 * Binding a bound socket: Linux makes the node first, so an existing
 * path is EADDRINUSE; anything else is EINVAL.  May sleep.
 */
static int unix_rebind_error(const struct unix_addr *a)
{
	char path[UNIX_ADDR_MAX];
	struct path p;
	int err;

	if (is_abstract(a))
		return -EINVAL;
	addr_path(a, path);
	err = vfs_find_sock(path, &p);
	if (err == 0)
		path_put(&p);
	return err == -ENOENT || err == -ENOTDIR ? -EINVAL : -EADDRINUSE;
}

static int unix_bind(struct socket *sock, const u8 *addr, int len)
{
	struct unix_sock *u = sock->sk;
	struct unix_addr *a;
	char path[UNIX_ADDR_MAX];
	int err;

	if (len == UNIX_PATH_OFF && *(const u16 *)addr == AF_UNIX)
		return u->addr ? -EINVAL : unix_autobind(u);
	a = addr_new();
	if (a == NULL)
		return -ENOMEM;
	err = unix_mkname(addr, len, a);
	if (err >= 0 && u->addr)
		err = unix_rebind_error(a);
	if (err >= 0 && is_abstract(a) && find_abstract(a))
		err = -EADDRINUSE;
	if (err >= 0 && !is_abstract(a)) {
		addr_path(a, path);
		err = vfs_mksock(path, &u->path);
		if (err >= 0 && u->addr) {	/* another bind won while we slept */
			path_put(&u->path);
			memset(&u->path, 0, sizeof(u->path));
			err = -EINVAL;
		}
	}
	if (err < 0) {
		kfree(a);
		return err;
	}
	u->addr = a;
	list_add(&u->bound_link, &unix_bound);
	return 0;
}

static int unix_getname(struct socket *sock, u8 *addr, bool peer)
{
	struct unix_sock *u = sock->sk;
	struct unix_addr *a;

	if (peer) {
		if (u->peer == NULL)
			return -ENOTCONN;
		u = u->peer;
	}
	a = u->addr;
	if (a == NULL) {
		*(u16 *)addr = AF_UNIX;
		return UNIX_PATH_OFF;
	}
	memcpy(addr, a->name, (size_t)a->len);
	return a->len;
}

/* ---- connections ---- */

static int unix_listen(struct socket *sock, int backlog)
{
	struct unix_sock *u = sock->sk;

	if (u->type == SOCK_DGRAM)
		return -EOPNOTSUPP;
	if (u->addr == NULL || u->state == U_CONNECTED)
		return -EINVAL;
	u->backlog = backlog;
	if (u->state != U_LISTEN) {
		u->state = U_LISTEN;
		current_cred(&u->peercred, true);
		u->has_peercred = true;
	}
	wake_up(&u->peer_wait);		/* a larger backlog may admit waiting connects */
	return 0;
}

/* Waits while the listener's queue is full: 0, -EAGAIN, -ECONNREFUSED, -ERESTARTSYS. */
static int wait_for_backlog(struct unix_sock *other, bool nonblock)
{
	while (other->nr_accept > other->backlog) {
		int r;

		if (nonblock)
			return -EAGAIN;
		r = sleep_on(&other->peer_wait, true);
		if (r)
			return r;
		if (other->dead || other->state != U_LISTEN)
			return -ECONNREFUSED;
	}
	return 0;
}

/* Links u and embryo e as the two ends of a new connection. */
static void unix_link(struct unix_sock *u, struct unix_sock *e, struct unix_sock *listener)
{
	e->peer = unix_get(u);
	u->peer = unix_get(e);
	if (listener->addr) {
		e->addr = listener->addr;
		listener->addr->refcnt++;
	}
	current_cred(&e->peercred, true);
	e->has_peercred = true;
	u->peercred = listener->peercred;
	u->has_peercred = listener->has_peercred;
	e->passcred = listener->passcred;
	e->state = u->state = U_CONNECTED;
	u->sock->state = SS_CONNECTED;
}

static int unix_stream_connect(struct socket *sock, const u8 *addr, int len, int flags)
{
	struct unix_sock *u = sock->sk, *other, *e;
	int err;

	if (u->passcred && u->addr == NULL && (err = unix_autobind(u)) < 0)
		return err;
	other = unix_find(addr, len, u->type);
	if (IS_ERR(other))
		return (int)PTR_ERR(other);
	err = -ECONNREFUSED;
	if (other->state != U_LISTEN || other->dead)
		goto out;
	err = wait_for_backlog(other, flags != 0);
	if (err)
		goto out;
	/* Linux looks at our own state last, after the listener's backlog. */
	err = u->state == U_CONNECTED ? -EISCONN : -EINVAL;
	if (u->state != U_CLOSE)
		goto out;
	err = -ENOMEM;
	e = unix_sock_new(u->type);
	if (e == NULL)
		goto out;
	unix_link(u, e, other);
	list_add_tail(&e->accept_link, &other->acceptq);
	other->nr_accept++;
	wake_up_poll(&other->wq, POLLIN | POLLRDNORM);
	err = 0;
out:
	unix_put(other);
	return err;
}

static int unix_dgram_connect(struct socket *sock, const u8 *addr, int len, int flags)
{
	struct unix_sock *u = sock->sk, *other;
	int err;

	if (len >= 2 && *(const u16 *)addr == AF_UNSPEC) {
		unix_put(u->peer);
		u->peer = NULL;
		sock->state = SS_UNCONNECTED;
		return 0;
	}
	if (u->passcred && u->addr == NULL && (err = unix_autobind(u)) < 0)
		return err;
	other = unix_find(addr, len, u->type);
	if (IS_ERR(other))
		return (int)PTR_ERR(other);
	if (other->peer != NULL && other->peer != u) {
		unix_put(other);
		return -EPERM;
	}
	unix_put(u->peer);
	u->peer = other;
	sock->state = SS_CONNECTED;
	return 0;
}

static int unix_socketpair(struct socket *a, struct socket *b)
{
	struct unix_sock *ua = a->sk, *ub = b->sk;

	ua->peer = unix_get(ub);
	ub->peer = unix_get(ua);
	current_cred(&ua->peercred, true);
	ub->peercred = ua->peercred;
	ua->has_peercred = ub->has_peercred = true;
	if (ua->type != SOCK_DGRAM) {
		ua->state = ub->state = U_CONNECTED;
		a->state = b->state = SS_CONNECTED;
	}
	return 0;
}

static int unix_accept(struct socket *sock, struct socket *newsock, int flags)
{
	struct unix_sock *u = sock->sk, *e;

	if (u->type == SOCK_DGRAM)
		return -EOPNOTSUPP;
	if (u->state != U_LISTEN)
		return -EINVAL;
	while (list_empty(&u->acceptq)) {
		int r;

		if (flags)
			return -EAGAIN;
		r = sleep_on(&u->wq, true);
		if (r)
			return r;
		if (u->state != U_LISTEN)
			return -EINVAL;
	}
	e = list_first_entry(&u->acceptq, struct unix_sock, accept_link);
	list_del(&e->accept_link);
	u->nr_accept--;
	wake_up(&u->peer_wait);
	e->sock = newsock;
	newsock->sk = e;
	newsock->state = SS_CONNECTED;
	return 0;
}

static int unix_shutdown(struct socket *sock, int how)
{
	struct unix_sock *u = sock->sk, *peer = u->peer;
	unsigned mode = ((unsigned)how + 1) & SHUTDOWN_MASK;

	u->shutdown |= mode;
	wake_up(&u->wq);
	if (peer && u->type != SOCK_DGRAM) {
		unsigned pm = ((mode & RCV_SHUTDOWN) ? SEND_SHUTDOWN : 0) |
			      ((mode & SEND_SHUTDOWN) ? RCV_SHUTDOWN : 0);

		peer->shutdown |= pm;
		wake_up(&peer->wq);
		wake_up(&peer->peer_wait);
	}
	return 0;
}

static void unix_unbind(struct unix_sock *u)
{
	list_del(&u->bound_link);
	if (u->path.dentry) {
		path_put(&u->path);
		memset(&u->path, 0, sizeof(u->path));
	}
}

static void unix_purge(struct unix_sock *u)
{
	while (!list_empty(&u->recvq)) {
		struct unix_skb *skb = list_first_entry(&u->recvq, struct unix_skb, list);

		skb_unlink(u, skb);
		skb_free(skb);
	}
}

/* Closes u (a socket or a never-accepted embryo) and drops its own reference. */
static void unix_release_sock(struct unix_sock *u, bool embryo)
{
	struct unix_sock *peer = u->peer;

	unix_unbind(u);
	u->dead = true;
	u->state = U_CLOSE;
	u->shutdown = SHUTDOWN_MASK;
	if (peer && u->type != SOCK_DGRAM && peer->peer == u) {
		peer->shutdown = SHUTDOWN_MASK;
		if (!list_empty(&u->recvq) || embryo)
			peer->err = ECONNRESET;
		wake_up(&peer->wq);
		wake_up(&peer->peer_wait);
	}
	u->peer = NULL;
	unix_put(peer);
	unix_purge(u);
	while (!list_empty(&u->acceptq)) {
		struct unix_sock *e = list_first_entry(&u->acceptq, struct unix_sock, accept_link);

		list_del(&e->accept_link);
		u->nr_accept--;
		unix_release_sock(e, true);
	}
	wake_up(&u->wq);
	wake_up(&u->peer_wait);
	unix_put(u);
}

static void unix_release(struct socket *sock)
{
	struct unix_sock *u = sock->sk;

	if (u == NULL)
		return;
	u->sock = NULL;
	sock->sk = NULL;
	unix_release_sock(u, false);
	if (unix_inflight_total > 0)
		unix_gc_schedule();
}

/* ---- sending ---- */

static long unix_stream_send_chunk(struct unix_sock *u, struct unix_sock *peer, struct kmsg *m,
				   size_t n)
{
	struct unix_skb *skb = skb_alloc(u, n, &m->scm);

	if (skb == NULL)
		return -ENOMEM;
	if (iter_copy_from(&m->iter, skb->data, n) < 0) {
		skb_free(skb);
		return -EFAULT;
	}
	skb_queue(peer, skb);
	return 0;
}

/* Sleeps until u may send more: 0, -EAGAIN, -ERESTARTSYS.  May sleep. */
static int wait_for_room(struct unix_sock *u, size_t need, unsigned flags)
{
	if (u->wmem + need <= u_sndbuf(u) || u->wmem == 0)
		return 0;
	if (flags & MSG_DONTWAIT)
		return -EAGAIN;
	return sleep_on(&u->wq, true);
}

static long unix_stream_sendmsg(struct socket *sock, struct kmsg *m, size_t len, unsigned flags)
{
	struct unix_sock *u = sock->sk;
	size_t sent = 0;
	long err = 0;

	if (flags & MSG_OOB)
		return -EOPNOTSUPP;
	if (m->name)
		return u->state == U_CONNECTED ? -EISCONN : -EOPNOTSUPP;
	if (u->peer == NULL || u->state != U_CONNECTED)
		return -ENOTCONN;
	do {
		struct unix_sock *peer = u->peer;
		size_t n = min(len - sent, (size_t)SKB_MAX);

		if ((u->shutdown & SEND_SHUTDOWN) || peer == NULL || peer->dead ||
		    (peer->shutdown & RCV_SHUTDOWN)) {
			err = sock_epipe(flags);
			break;
		}
		n = min(n, u_sndbuf(u) / 2);
		err = wait_for_room(u, n, flags);
		if (err == 0 && u->wmem + n > u_sndbuf(u) && u->wmem != 0)
			continue;	/* woken, but not for room: look again */
		if (err == 0)
			err = unix_stream_send_chunk(u, peer, m, n);
		if (err)
			break;
		sent += n;
	} while (sent < len);
	return sent > 0 ? (long)sent : err;
}

/* The receiver of a datagram: a reference, or ERR_PTR. */
static struct unix_sock *dgram_target(struct unix_sock *u, struct kmsg *m)
{
	if (m->name)
		return unix_find(m->name, m->namelen, u->type);
	if (u->peer == NULL)
		return ERR_PTR(-ENOTCONN);
	return unix_get(u->peer);
}

/* Checks other may take a datagram from u now, waiting for room: 0 or -errno. */
static long dgram_wait_other(struct unix_sock *u, struct unix_sock *other, size_t len,
			     unsigned flags)
{
	for (;;) {
		int r;

		if (other->dead) {
			if (u->peer == other) {
				unix_put(u->peer);
				u->peer = NULL;
			}
			return u->type == SOCK_SEQPACKET ? sock_epipe(flags) : -ECONNREFUSED;
		}
		if (other->peer != NULL && other->peer != u)
			return -EPERM;
		if (other->shutdown & RCV_SHUTDOWN)
			return sock_epipe(flags);
		if (other->peer != u && recvq_full(other)) {
			if (flags & MSG_DONTWAIT)
				return -EAGAIN;
			r = sleep_on(&other->peer_wait, true);
		} else if (u->wmem != 0 && u->wmem + len > u_sndbuf(u)) {
			if (flags & MSG_DONTWAIT)
				return -EAGAIN;
			r = sleep_on(&u->wq, true);
		} else {
			return 0;
		}
		if (r)
			return r;
	}
}

static long unix_dgram_sendmsg(struct socket *sock, struct kmsg *m, size_t len, unsigned flags)
{
	struct unix_sock *u = sock->sk, *other;
	struct unix_skb *skb;
	long err;

	if (flags & MSG_OOB)
		return -EOPNOTSUPP;
	if (u->type == SOCK_SEQPACKET) {
		if (u->state != U_CONNECTED)
			return -ENOTCONN;
		m->name = NULL;
	}
	if (u->shutdown & SEND_SHUTDOWN)
		return sock_epipe(flags);
	if (len > u_sndbuf(u) - 32)
		return -EMSGSIZE;
	if (u->passcred && u->addr == NULL && (err = unix_autobind(u)) < 0)
		return err;
	other = dgram_target(u, m);
	if (IS_ERR(other))
		return PTR_ERR(other);
	err = dgram_wait_other(u, other, len, flags);
	if (err)
		goto out;
	err = -ENOMEM;
	skb = skb_alloc(u, len, &m->scm);
	if (skb == NULL)
		goto out;
	err = -EFAULT;
	if (iter_copy_from(&m->iter, skb->data, len) < 0) {
		skb_free(skb);
		goto out;
	}
	skb_queue(other, skb);
	err = (long)len;
out:
	unix_put(other);
	return err;
}

/* ---- receiving ---- */

/* Hands the skb's credentials and (moving or, peeking, sharing) its files to m. */
static void recv_scm(struct unix_sock *u, struct kmsg *m, struct unix_skb *skb, bool peek)
{
	int i;

	m->scm.creds = skb->cred;
	m->passcred = u->passcred;
	if (skb->nfp == 0 || m->scm.nfp)
		return;
	if (peek) {
		m->scm.fp = kcalloc((size_t)skb->nfp, sizeof(struct file *));
		if (m->scm.fp == NULL)
			return;
		for (i = 0; i < skb->nfp; i++)
			m->scm.fp[i] = fget(skb->fp[i]);
		m->scm.nfp = skb->nfp;
		return;
	}
	unix_inflight(skb->fp, skb->nfp, -1);
	m->scm.fp = skb->fp;
	m->scm.nfp = skb->nfp;
	skb->fp = NULL;
	skb->nfp = 0;
}

static void recv_name(struct kmsg *m, struct unix_skb *skb)
{
	m->namelen = 0;
	if (m->name && skb->addr) {
		memcpy(m->name, skb->addr->name, (size_t)skb->addr->len);
		m->namelen = skb->addr->len;
	}
}

/* Sleeps for data: 0 to look again, 1 for end of file, or -errno. May sleep. */
static int recv_wait(struct unix_sock *u, unsigned flags, bool eof_if_unconnected)
{
	int e = u->err;

	if (e) {
		u->err = 0;
		return -e;
	}
	if ((u->shutdown & RCV_SHUTDOWN) || (eof_if_unconnected && u->state != U_CONNECTED))
		return 1;
	if (flags & MSG_DONTWAIT)
		return -EAGAIN;
	return sleep_on(&u->wq, true);
}

static long unix_dgram_recvmsg(struct socket *sock, struct kmsg *m, size_t len, unsigned flags)
{
	struct unix_sock *u = sock->sk;
	struct unix_skb *skb;
	bool peek = (flags & MSG_PEEK) != 0;
	size_t n;
	int r;

	if (flags & MSG_OOB)
		return -EOPNOTSUPP;
	if (u->type == SOCK_SEQPACKET && u->state == U_CLOSE && !u->dead && list_empty(&u->recvq))
		return -ENOTCONN;
	while (list_empty(&u->recvq)) {
		r = recv_wait(u, flags, u->type == SOCK_SEQPACKET);
		if (r)
			return r > 0 ? 0 : r;
	}
	skb = list_first_entry(&u->recvq, struct unix_skb, list);
	n = min(len, skb->len);
	if (iter_copy_to(&m->iter, skb->data, n) < 0)
		return -EFAULT;
	if (skb->len > len)
		m->flags |= MSG_TRUNC;
	recv_name(m, skb);
	recv_scm(u, m, skb, peek);
	r = (flags & MSG_TRUNC) ? (int)skb->len : (int)n;
	if (!peek) {
		skb_unlink(u, skb);
		skb_free(skb);
	}
	return r;
}

/* Copies from one stream buffer; returns the bytes taken or -EFAULT. */
static long stream_take(struct unix_sock *u, struct kmsg *m, struct unix_skb *skb, size_t skip,
			size_t want, bool peek)
{
	size_t n = min(want, skb->len - skb->off - skip);

	if (iter_copy_to(&m->iter, skb->data + skb->off + skip, n) < 0)
		return -EFAULT;
	recv_scm(u, m, skb, peek);
	if (!peek) {
		skb->off += n;
		if (skb->off == skb->len) {
			skb_unlink(u, skb);
			skb_free(skb);
		}
	}
	return (long)n;
}

static long unix_stream_recvmsg(struct socket *sock, struct kmsg *m, size_t len, unsigned flags)
{
	struct unix_sock *u = sock->sk;
	size_t copied = 0, target = (flags & MSG_WAITALL) ? len : 1;
	bool peek = (flags & MSG_PEEK) != 0;

	if (flags & MSG_OOB)
		return -EOPNOTSUPP;
	if (u->state == U_LISTEN)
		return -EINVAL;
	if (len == 0)
		return 0;
	while (copied < len) {
		struct unix_skb *skb = NULL, *pos;
		size_t skip = copied;
		bool had_fds;
		long n;
		int r;

		list_for_each_entry(pos, &u->recvq, list) {	/* peeking skips what it copied */
			size_t left = pos->len - pos->off;

			if (!peek || skip < left) {
				skb = pos;
				break;
			}
			skip -= left;
		}
		if (skb == NULL) {
			if (copied >= target)
				break;
			r = recv_wait(u, flags | (copied ? MSG_DONTWAIT : 0), false);
			if (r == -EAGAIN && copied && !(flags & MSG_DONTWAIT) && (flags & MSG_WAITALL))
				r = sleep_on(&u->wq, true);
			if (r == 0)
				continue;
			if (copied)
				break;
			return r > 0 ? 0 : r;
		}
		if (copied > 0 && skb->nfp > 0)
			break;			/* files start a new read */
		had_fds = skb->nfp > 0;
		n = stream_take(u, m, skb, peek ? skip : 0, len - copied, peek);
		if (n < 0)
			return copied ? (long)copied : n;
		copied += (size_t)n;
		if (had_fds)
			break;
	}
	return (long)copied;
}

/* ---- readiness, ioctls, options ---- */

static bool unix_writable(struct unix_sock *u)
{
	return u->state != U_LISTEN && u->wmem * 4 <= u_sndbuf(u);
}

static unsigned unix_poll(struct socket *sock, struct file *f, struct poll_table *pt)
{
	struct unix_sock *u = sock->sk;
	unsigned mask = 0;

	poll_wait(f, &u->wq, pt);
	if (u->err)
		mask |= POLLERR;
	if (u->shutdown == SHUTDOWN_MASK)
		mask |= POLLHUP;
	if (u->shutdown & RCV_SHUTDOWN)
		mask |= POLLRDHUP | POLLIN | POLLRDNORM;
	if (!list_empty(&u->recvq) || !list_empty(&u->acceptq))
		mask |= POLLIN | POLLRDNORM;
	if (u->state == U_CLOSE)
		mask |= POLLHUP;
	if (unix_writable(u))
		mask |= POLLOUT | POLLWRNORM | POLLWRBAND;
	return mask;
}

static unsigned unix_dgram_poll(struct socket *sock, struct file *f, struct poll_table *pt)
{
	struct unix_sock *u = sock->sk, *other = u->peer;
	unsigned mask = 0;
	bool writable;

	poll_wait(f, &u->wq, pt);
	if (u->err)
		mask |= POLLERR;
	if (u->shutdown & RCV_SHUTDOWN)
		mask |= POLLRDHUP | POLLIN | POLLRDNORM;
	if (u->shutdown == SHUTDOWN_MASK)
		mask |= POLLHUP;
	if (!list_empty(&u->recvq))
		mask |= POLLIN | POLLRDNORM;
	if (u->type == SOCK_SEQPACKET && u->state == U_CLOSE)
		mask |= POLLHUP;
	writable = unix_writable(u);
	if (writable && other && other->peer != u && !other->dead && recvq_full(other))
		writable = false;	/* unix_queue_room wakes our wq */
	if (writable)
		mask |= POLLOUT | POLLWRNORM | POLLWRBAND;
	return mask;
}

static long unix_ioctl(struct socket *sock, unsigned cmd, u64 arg)
{
	struct unix_sock *u = sock->sk;
	struct unix_skb *skb;
	int n = 0;

	switch (cmd) {
	case SIOCINQ:
		if (u->state == U_LISTEN)
			return -EINVAL;
		list_for_each_entry(skb, &u->recvq, list) {
			n += (int)(skb->len - skb->off);
			if (u->type == SOCK_DGRAM)
				break;
		}
		break;
	case SIOCOUTQ:
		n = (int)u->wmem;
		break;
	default:
		return -ENOTTY;
	}
	return put_user(n, UADDR(arg)) < 0 ? -EFAULT : 0;
}

static int unix_setsockopt(struct socket *sock, int level, int name, const u8 *val, unsigned len)
{
	struct unix_sock *u = sock->sk;

	if (level != SOL_SOCKET)
		return -EOPNOTSUPP;
	switch (name) {
	case SO_PASSCRED:
		if (len < sizeof(int))
			return -EINVAL;
		u->passcred = *(const int *)val != 0;
		return 0;
	case SO_LINGER: case SO_RCVLOWAT: case SO_RCVTIMEO_OLD: case SO_SNDTIMEO_OLD:
		return 0;	/* accepted; AF_UNIX behaviour does not depend on them here */
	}
	return -ENOPROTOOPT;
}

static int unix_getsockopt(struct socket *sock, int level, int name, u8 *val, unsigned *len)
{
	struct unix_sock *u = sock->sk;
	int *iv = (int *)val;

	if (level != SOL_SOCKET)
		return -EOPNOTSUPP;
	*len = sizeof(int);
	switch (name) {
	case SO_ERROR:
		*iv = u->err;
		u->err = 0;
		return 0;
	case SO_PASSCRED:
		*iv = u->passcred;
		return 0;
	case SO_ACCEPTCONN:
		*iv = u->state == U_LISTEN;
		return 0;
	case SO_PEERCRED: {
		struct kucred none = { 0, (u32)-1, (u32)-1 };

		memcpy(val, u->has_peercred ? &u->peercred : &none, sizeof(struct kucred));
		*len = sizeof(struct kucred);
		return 0;
	}
	}
	return -ENOPROTOOPT;
}

static const struct proto_ops unix_stream_ops = {
	.family = AF_UNIX,
	.release = unix_release,
	.bind = unix_bind,
	.connect = unix_stream_connect,
	.socketpair = unix_socketpair,
	.accept = unix_accept,
	.getname = unix_getname,
	.poll = unix_poll,
	.listen = unix_listen,
	.shutdown = unix_shutdown,
	.setsockopt = unix_setsockopt,
	.getsockopt = unix_getsockopt,
	.sendmsg = unix_stream_sendmsg,
	.recvmsg = unix_stream_recvmsg,
	.ioctl = unix_ioctl,
};

static const struct proto_ops unix_seqpacket_ops = {
	.family = AF_UNIX,
	.release = unix_release,
	.bind = unix_bind,
	.connect = unix_stream_connect,
	.socketpair = unix_socketpair,
	.accept = unix_accept,
	.getname = unix_getname,
	.poll = unix_dgram_poll,
	.listen = unix_listen,
	.shutdown = unix_shutdown,
	.setsockopt = unix_setsockopt,
	.getsockopt = unix_getsockopt,
	.sendmsg = unix_dgram_sendmsg,
	.recvmsg = unix_dgram_recvmsg,
	.ioctl = unix_ioctl,
};

static const struct proto_ops unix_dgram_ops = {
	.family = AF_UNIX,
	.release = unix_release,
	.bind = unix_bind,
	.connect = unix_dgram_connect,
	.socketpair = unix_socketpair,
	.accept = unix_accept,
	.getname = unix_getname,
	.poll = unix_dgram_poll,
	.listen = unix_listen,
	.shutdown = unix_shutdown,
	.setsockopt = unix_setsockopt,
	.getsockopt = unix_getsockopt,
	.sendmsg = unix_dgram_sendmsg,
	.recvmsg = unix_dgram_recvmsg,
	.ioctl = unix_ioctl,
};

int unix_family_create(struct socket *sock, int type, int protocol, bool kern)
{
	struct unix_sock *u;

	if (protocol != 0 && protocol != AF_UNIX)
		return -EPROTONOSUPPORT;
	switch (type) {
	case SOCK_STREAM:
		sock->ops = &unix_stream_ops;
		break;
	case SOCK_RAW:
		type = SOCK_DGRAM;	/* as Linux */
		sock->type = type;
		/* fall through */
	case SOCK_DGRAM:
		sock->ops = &unix_dgram_ops;
		break;
	case SOCK_SEQPACKET:
		sock->ops = &unix_seqpacket_ops;
		break;
	default:
		return -ESOCKTNOSUPPORT;
	}
	u = unix_sock_new(type);
	if (u == NULL)
		return -ENOMEM;
	u->sock = sock;
	sock->sk = u;
	return 0;
}

/* ---- garbage collection of files in flight ---- */

/* Calls fn on every unix socket whose file is in a queue u holds. */
static void for_each_inflight_child(struct unix_sock *u, void (*fn)(struct unix_sock *c))
{
	struct unix_skb *skb;
	struct unix_sock *e;
	int i;

	list_for_each_entry(skb, &u->recvq, list)
		for (i = 0; i < skb->nfp; i++) {
			struct unix_sock *c = unix_from_file(skb->fp[i]);

			if (c != NULL && c->gc_cand)
				fn(c);
		}
	list_for_each_entry(e, &u->acceptq, accept_link)
		for_each_inflight_child(e, fn);
}

static void dec_refs(struct unix_sock *c)
{
	c->gc_refs--;
}

static void mark_alive(struct unix_sock *c)
{
	if (c->gc_alive)
		return;
	c->gc_alive = true;
	for_each_inflight_child(c, mark_alive);
}

/* Moves u's queued buffers (and its embryos') onto hit. */
static void gc_collect(struct unix_sock *u, struct list_head *hit)
{
	struct unix_sock *e;

	while (!list_empty(&u->recvq)) {
		struct unix_skb *skb = list_first_entry(&u->recvq, struct unix_skb, list);

		skb_unlink(u, skb);
		list_add_tail(&skb->list, hit);
	}
	list_for_each_entry(e, &u->acceptq, accept_link)
		gc_collect(e, hit);
}

static void unix_gc(void)
{
	struct unix_sock *u;
	LIST_HEAD(hit);

	if (gc_running)
		return;
	gc_running = true;
	list_for_each_entry(u, &unix_all, all_link) {
		struct file *f = u->sock ? u->sock->file : NULL;

		u->gc_cand = f != NULL && u->inflight > 0 && f->f_count == u->inflight;
		u->gc_refs = u->inflight;
		u->gc_alive = false;
	}
	list_for_each_entry(u, &unix_all, all_link)
		if (u->gc_cand)
			for_each_inflight_child(u, dec_refs);
	list_for_each_entry(u, &unix_all, all_link)
		if (u->gc_cand && u->gc_refs > 0)
			mark_alive(u);
	list_for_each_entry(u, &unix_all, all_link)
		if (u->gc_cand && !u->gc_alive)
			gc_collect(u, &hit);
	while (!list_empty(&hit)) {	/* the fputs close the garbage sockets */
		struct unix_skb *skb = list_first_entry(&hit, struct unix_skb, list);

		list_del(&skb->list);
		skb_free(skb);
	}
	gc_running = false;
}

static bool gc_scheduled;

/* Gives the closer a moment to finish its closes (the other ends of a cycle). */
static void unix_gc_thread(void *arg)
{
	sleep_until(os_monotonic_ns() + 10000000ULL, false);
	gc_scheduled = false;
	unix_gc();
}

/* Runs the collector soon in a kernel thread (or now if none can be made). */
static void unix_gc_schedule(void)
{
	if (gc_scheduled)
		return;
	gc_scheduled = true;
	if (kthread_create(unix_gc_thread, NULL, "unix_gc") == NULL) {
		gc_scheduled = false;
		unix_gc();
	}
}
