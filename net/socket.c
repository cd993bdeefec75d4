/*
 * socket.c - the socket layer: socket objects as files and the generic
 * socket syscalls (socket(2), bind, connect, listen, accept4,
 * getsockname, getpeername, sendto/recvfrom, sendmsg/recvmsg and their
 * mmsg forms, shutdown, setsockopt/getsockopt, socketpair).
 *
 * Layers: the syscalls decode guest arguments (addresses into a
 * 128-byte kernel buffer, iovecs into an iov_iter, SOL_SOCKET control
 * messages into a struct scm) and call the family's proto_ops; read(2)
 * and write(2) on a socket are recvmsg/sendmsg without flags.  A family
 * registers in families[] (AF_UNIX: net/unix.c); AF_INET and AF_PACKET
 * are further entries, not a second layer.  Options of SOL_SOCKET that
 * every family shares (SO_TYPE, SO_SNDBUF, ...) are served here, the
 * rest by the family.
 */
#include "kernel/kernel.h"
#include "kernel/fs.h"
#include "kernel/mm.h"
#include "kernel/net.h"
#include "kernel/inet.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/syscalls.h"
#include "uapi/asm/ioctls.h"

#define ADDR_MAX	128	/* sizeof(struct __kernel_sockaddr_storage) */

static const struct net_family unix_family = { AF_UNIX, unix_family_create };
static const struct net_family inet_family = { AF_INET, inet_family_create };
static const struct net_family inet6_family = { AF_INET6, inet_family_create };
static const struct net_family packet_family = { AF_PACKET, packet_family_create };
static const struct net_family netlink_family = { AF_NETLINK, netlink_family_create };
static const struct net_family *families[NPROTO] = {
	[AF_UNIX] = &unix_family,
	[AF_INET] = &inet_family,
	[AF_INET6] = &inet6_family,
	[AF_PACKET] = &packet_family,
	[AF_NETLINK] = &netlink_family,
};

static const struct file_operations socket_fops;

/* ---- buffers ---- */

static long iter_copy(struct iov_iter *it, void *kbuf, size_t n, bool to_iter)
{
	u8 *k = kbuf;

	if (n > it->count)
		return -EFAULT;
	while (n > 0) {
		struct kiovec *v = &it->iov[it->idx];
		size_t chunk = min(n, (size_t)(v->len - it->off));
		long r = 0;

		if (chunk == 0) {
			it->idx++;
			it->off = 0;
			continue;
		}
		if (it->kernel && to_iter)
			memcpy((u8 *)(uintptr_t)v->base + it->off, k, chunk);
		else if (it->kernel)
			memcpy(k, (u8 *)(uintptr_t)v->base + it->off, chunk);
		else if (to_iter)
			r = copy_to_user(uaddr_off(UADDR(v->base), it->off), k, chunk);
		else
			r = copy_from_user(k, uaddr_off(UADDR(v->base), it->off), chunk);
		if (r < 0)
			return -EFAULT;
		k += chunk;
		n -= chunk;
		it->off += chunk;
		it->count -= chunk;
	}
	return 0;
}

long iter_copy_to(struct iov_iter *it, const void *src, size_t n)
{
	return iter_copy(it, (void *)src, n, true);
}

long iter_copy_from(struct iov_iter *it, void *dst, size_t n)
{
	return iter_copy(it, dst, n, false);
}

/* Reads a guest iovec array into it (iov kmalloc'd): 0 or -errno. */
static long iter_import(struct iov_iter *it, uaddr_t uiov, u64 nr)
{
	size_t total = 0;
	u64 i;

	memset(it, 0, sizeof(*it));
	if (nr > UIO_MAXIOV)
		return -EMSGSIZE;
	it->iov = kcalloc(nr ? nr : 1, sizeof(struct kiovec));
	if (it->iov == NULL)
		return -ENOMEM;
	if (nr && copy_from_user(it->iov, uiov, nr * sizeof(struct kiovec)) < 0)
		return -EFAULT;
	for (i = 0; i < nr; i++) {
		if ((s64)it->iov[i].len < 0 ||
		    __builtin_add_overflow(total, it->iov[i].len, &total) ||
		    total > 0x7ffff000)
			return -EINVAL;
	}
	it->nr = (int)nr;
	it->count = total;
	return 0;
}

/* ---- sockets as files ---- */

struct socket *sock_from_file(struct file *f)
{
	return f->f_op == &socket_fops ? f->private_data : NULL;
}

long sock_epipe(unsigned flags)
{
	if (!(flags & MSG_NOSIGNAL))
		send_sig_thread(current, SIGPIPE);	/* the sending thread's, as Linux */
	return -EPIPE;
}

int sock_sleep(struct wait_queue *wq, u64 timeo, u64 *deadline)
{
	int r;

	if (timeo == 0)
		return sleep_on(wq, true);
	if (*deadline == 0)
		*deadline = os_monotonic_ns() + timeo * 1000;
	r = sleep_on_timeout(wq, true, *deadline);
	if (r == -ETIMEDOUT)
		return -EAGAIN;
	return r ? -EINTR : 0;
}

static void kmsg_init(struct kmsg *m, struct socket *sock)
{
	memset(m, 0, sizeof(*m));
}

static ssize_t sock_read(struct file *f, struct uio *u, loff_t *pos)
{
	struct socket *sock = f->private_data;
	struct kiovec v = { u->kernel ? (u64)(uintptr_t)(u->kbuf + u->done) : uaddr_val(uaddr_off(u->ubuf, u->done)),
			    u->len - u->done };
	struct kmsg m;
	long n;

	kmsg_init(&m, sock);
	m.iter = (struct iov_iter){ u->kernel, &v, 1, 0, 0, v.len };
	n = sock->ops->recvmsg(sock, &m, v.len, (f->f_flags & O_NONBLOCK) ? MSG_DONTWAIT : 0);
	scm_destroy(&m.scm);
	if (n > 0)
		u->done += (size_t)min((size_t)n, (size_t)v.len);
	return n;
}

static ssize_t sock_write(struct file *f, struct uio *u, loff_t *pos)
{
	struct socket *sock = f->private_data;
	struct kiovec v = { u->kernel ? (u64)(uintptr_t)(u->kbuf + u->done) : uaddr_val(uaddr_off(u->ubuf, u->done)),
			    u->len - u->done };
	struct kmsg m;
	long n;

	kmsg_init(&m, sock);
	m.iter = (struct iov_iter){ u->kernel, &v, 1, 0, 0, v.len };
	n = sock->ops->sendmsg(sock, &m, v.len, (f->f_flags & O_NONBLOCK) ? MSG_DONTWAIT : 0);
	if (n > 0)
		u->done += (size_t)n;
	return n;
}

static unsigned sock_poll(struct file *f, struct poll_table *pt)
{
	struct socket *sock = f->private_data;

	return sock->ops->poll(sock, f, pt);
}

static long sock_ioctl(struct file *f, unsigned cmd, u64 arg)
{
	struct socket *sock = f->private_data;
	long r = sock->ops->ioctl ? sock->ops->ioctl(sock, cmd, arg) : -ENOTTY;

	/*
	 * As Linux's sock_ioctl: the device and route ioctls (SIOCADDRT to
	 * SIOCGIFMAP and friends) work on a socket of any family; busybox
	 * asks an AF_UNIX one.
	 */
	if ((r == -ENOTTY || r == -ENOIOCTLCMD) && cmd >= 0x890b && cmd <= 0x89ff &&
	    sock->family != AF_INET && sock->family != AF_INET6 && sock->family != AF_PACKET)
		r = inet_dev_ioctl(cmd, arg);
	return r == -ENOIOCTLCMD ? -ENOTTY : r;
}

static loff_t sock_llseek(struct file *f, loff_t off, int whence)
{
	return -ESPIPE;
}

static void sock_release(struct inode *inode, struct file *f)
{
	struct socket *sock = f->private_data;

	if (sock->ops && sock->ops->release)
		sock->ops->release(sock);
	if (leak_test(sockets))
		return;
	kfree(sock);
	live.sockets--;
}

static const struct file_operations socket_fops = {
	.read = sock_read,
	.write = sock_write,
	.poll = sock_poll,
	.ioctl = sock_ioctl,
	.llseek = sock_llseek,
	.release = sock_release,
};

struct socket *sock_alloc_file(int family, int type, const struct proto_ops *ops, unsigned flags)
{
	struct socket *sock = kzalloc(sizeof(*sock));
	struct inode *inode;
	struct file *f;
	char name[32];

	if (sock == NULL)
		return ERR_PTR(-ENOMEM);
	sock->uid = current ? current->euid : 0;
	inode = anon_inode_new(S_IFSOCK | 0777);
	if (inode == NULL) {
		kfree(sock);
		return ERR_PTR(-ENOMEM);
	}
	ksnprintf(name, sizeof(name), "socket:[%llu]", (unsigned long long)inode->i_ino);
	inode->i_private = sock;
	f = anon_file_create(name, &socket_fops, NULL, O_RDWR | (flags & O_NONBLOCK), inode);
	if (IS_ERR(f)) {
		kfree(sock);
		return (struct socket *)f;
	}
	sock->family = family;
	sock->type = type;
	sock->state = SS_UNCONNECTED;
	sock->ops = ops;
	sock->file = f;
	sock->sndbuf = sock->rcvbuf = SOCK_DEFAULT_BUF;
	f->private_data = sock;
	live.sockets++;
	return sock;
}

/* A new socket of family/type: ERR_PTR(-EAFNOSUPPORT...) if none. */
static struct socket *sock_create(int family, int type, int protocol, unsigned flags)
{
	const struct net_family *nf;
	struct socket *sock;
	long err;

	if (family < 0 || family >= NPROTO)
		return ERR_PTR(-EAFNOSUPPORT);
	nf = families[family];
	if (nf == NULL)
		return ERR_PTR(-EAFNOSUPPORT);
	sock = sock_alloc_file(family, type, NULL, flags);
	if (IS_ERR(sock))
		return sock;
	sock->protocol = protocol;
	err = nf->create(sock, type, protocol, false);
	if (err < 0) {
		sock->ops = NULL;
		fput(sock->file);
		return ERR_PTR(err);
	}
	return sock;
}

/* The socket behind fd with a file reference in *fp: -EBADF, -ENOTSOCK. */
static struct socket *sockfd_lookup(int fd, struct file **fp)
{
	struct file *f = fd_get_file(fd);
	struct socket *sock;

	if (f == NULL)
		return ERR_PTR(-EBADF);
	sock = sock_from_file(f);
	if (sock == NULL) {
		fput(f);
		return ERR_PTR(-ENOTSOCK);
	}
	*fp = f;
	return sock;
}

static long check_sock_flags(int type, unsigned *flags)
{
	if ((type & ~(SOCK_TYPE_MASK | SOCK_CLOEXEC | SOCK_NONBLOCK)) != 0)
		return -EINVAL;
	*flags = (type & SOCK_NONBLOCK) ? O_NONBLOCK : 0;
	return 0;
}

SYSCALL(socket)
{
	int family = (int)a[0], type = (int)a[1], protocol = (int)a[2];
	struct socket *sock;
	unsigned flags;
	long err = check_sock_flags(type, &flags);

	if (err)
		return err;
	sock = sock_create(family, type & SOCK_TYPE_MASK, protocol, flags);
	if (IS_ERR(sock))
		return PTR_ERR(sock);
	return anon_fd_install(sock->file, (type & SOCK_CLOEXEC) != 0);
}

SYSCALL(socketpair)
{
	int family = (int)a[0], type = (int)a[1], protocol = (int)a[2];
	uaddr_t usv = UADDR(a[3]);
	struct socket *s1, *s2;
	unsigned flags;
	int fds[2];
	long err = check_sock_flags(type, &flags);

	if (err)
		return err;
	s1 = sock_create(family, type & SOCK_TYPE_MASK, protocol, flags);
	if (IS_ERR(s1))
		return PTR_ERR(s1);
	s2 = sock_create(family, type & SOCK_TYPE_MASK, protocol, flags);
	if (IS_ERR(s2)) {
		fput(s1->file);
		return PTR_ERR(s2);
	}
	err = s1->ops->socketpair ? s1->ops->socketpair(s1, s2) : -EOPNOTSUPP;
	if (err < 0)
		goto out_put;
	err = fds[0] = fd_install(s1->file, (type & SOCK_CLOEXEC) != 0);
	if (err < 0)
		goto out_put;
	err = fds[1] = fd_install(s2->file, (type & SOCK_CLOEXEC) != 0);
	if (err < 0) {
		fput(s2->file);
		goto out_fd0;
	}
	if (copy_to_user(usv, fds, sizeof(fds)) == 0)
		return 0;
	err = -EFAULT;
	fput(fd_detach(fds[1]));
out_fd0:
	fput(fd_detach(fds[0]));
	return err;
out_put:
	fput(s1->file);
	fput(s2->file);
	return err;
}

/* Copies a guest sockaddr into kbuf (ADDR_MAX bytes): 0, -EINVAL, -EFAULT. */
static long move_addr_to_kernel(uaddr_t uaddr, int len, u8 *kbuf)
{
	if (len < 0 || len > ADDR_MAX)
		return -EINVAL;
	memset(kbuf, 0, ADDR_MAX);
	if (len == 0)
		return 0;
	return copy_from_user(kbuf, uaddr, (size_t)len) < 0 ? -EFAULT : 0;
}

/* Writes klen bytes of kaddr to the guest as far as *ulen allows, and klen to *ulen. */
static long move_addr_to_user(const u8 *kaddr, int klen, uaddr_t uaddr, uaddr_t ulen)
{
	int len;

	if (uaddr_is_null(ulen))
		return 0;
	if (get_user(len, ulen) < 0)
		return -EFAULT;
	if (len < 0)
		return -EINVAL;
	if (len > klen)
		len = klen;
	if (len > 0 && copy_to_user(uaddr, kaddr, (size_t)len) < 0)
		return -EFAULT;
	return put_user(klen, ulen) < 0 ? -EFAULT : 0;
}

SYSCALL(bind)
{
	u8 addr[ADDR_MAX];
	struct file *f;
	struct socket *sock = sockfd_lookup((int)a[0], &f);
	long err;

	if (IS_ERR(sock))
		return PTR_ERR(sock);
	err = move_addr_to_kernel(UADDR(a[1]), (int)a[2], addr);
	if (err == 0)
		err = sock->ops->bind ? sock->ops->bind(sock, addr, (int)a[2]) : -EOPNOTSUPP;
	fput(f);
	return err;
}

SYSCALL(connect)
{
	u8 addr[ADDR_MAX];
	struct file *f;
	struct socket *sock = sockfd_lookup((int)a[0], &f);
	long err;

	if (IS_ERR(sock))
		return PTR_ERR(sock);
	err = move_addr_to_kernel(UADDR(a[1]), (int)a[2], addr);
	if (err == 0)
		err = sock->ops->connect(sock, addr, (int)a[2], f->f_flags & O_NONBLOCK);
	fput(f);
	return err;
}

SYSCALL(listen)
{
	struct file *f;
	struct socket *sock = sockfd_lookup((int)a[0], &f);
	int backlog = (int)a[1];
	long err;

	if (IS_ERR(sock))
		return PTR_ERR(sock);
	if ((unsigned)backlog > SOMAXCONN)
		backlog = SOMAXCONN;
	err = sock->ops->listen ? sock->ops->listen(sock, backlog) : -EOPNOTSUPP;
	fput(f);
	return err;
}

static long do_accept4(int fd, uaddr_t uaddr, uaddr_t ulen, int flags)
{
	struct socket *sock, *ns;
	struct file *f;
	u8 addr[ADDR_MAX];
	long err;
	int nfd, len;

	if (flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK))
		return -EINVAL;
	sock = sockfd_lookup(fd, &f);
	if (IS_ERR(sock))
		return PTR_ERR(sock);
	ns = sock_alloc_file(sock->family, sock->type, sock->ops,
			     (flags & SOCK_NONBLOCK) ? O_NONBLOCK : 0);
	err = PTR_ERR(ns);
	if (IS_ERR(ns))
		goto out;
	ns->ops = NULL;		/* no release until accept filled it in */
	err = sock->ops->accept ? sock->ops->accept(sock, ns, f->f_flags & O_NONBLOCK) : -EOPNOTSUPP;
	if (err < 0)
		goto out_ns;
	ns->ops = sock->ops;
	if (!uaddr_is_null(uaddr)) {
		len = ns->ops->getname(ns, addr, true);
		err = len < 0 ? len : move_addr_to_user(addr, len, uaddr, ulen);
		if (err < 0)
			goto out_ns;
	}
	nfd = anon_fd_install(ns->file, (flags & SOCK_CLOEXEC) != 0);
	fput(f);
	return nfd;
out_ns:
	fput(ns->file);
out:
	fput(f);
	return err;
}

SYSCALL(accept4)
{
	return do_accept4((int)a[0], UADDR(a[1]), UADDR(a[2]), (int)a[3]);
}

SYSCALL(accept)
{
	return do_accept4((int)a[0], UADDR(a[1]), UADDR(a[2]), 0);
}

static long do_getname(int fd, uaddr_t uaddr, uaddr_t ulen, bool peer)
{
	u8 addr[ADDR_MAX];
	struct file *f;
	struct socket *sock = sockfd_lookup(fd, &f);
	long len;

	if (IS_ERR(sock))
		return PTR_ERR(sock);
	memset(addr, 0, sizeof(addr));
	len = sock->ops->getname(sock, addr, peer);
	if (len >= 0)
		len = move_addr_to_user(addr, (int)len, uaddr, ulen);
	fput(f);
	return len;
}

SYSCALL(getsockname)
{
	return do_getname((int)a[0], UADDR(a[1]), UADDR(a[2]), false);
}

SYSCALL(getpeername)
{
	return do_getname((int)a[0], UADDR(a[1]), UADDR(a[2]), true);
}

SYSCALL(shutdown)
{
	struct file *f;
	struct socket *sock = sockfd_lookup((int)a[0], &f);
	int how = (int)a[1];
	long err;

	if (IS_ERR(sock))
		return PTR_ERR(sock);
	err = (how < SHUT_RD || how > SHUT_RDWR) ? -EINVAL :
	      sock->ops->shutdown ? sock->ops->shutdown(sock, how) : -EOPNOTSUPP;
	fput(f);
	return err;
}

/* ---- control messages ---- */

void scm_destroy(struct scm *scm)
{
	int i;

	for (i = 0; i < scm->nfp; i++)
		fput(scm->fp[i]);
	kfree(scm->fp);
	scm->fp = NULL;
	scm->nfp = 0;
	kfree(scm->ctl);
	scm->ctl = NULL;
	scm->ctl_len = 0;
}

void kmsg_put_cmsg(struct kmsg *m, int level, int type, const void *data, u32 len)
{
	if (m->npcmsg == (int)ARRAY_SIZE(m->pcmsg) || len > sizeof(m->pcmsg[0].data))
		return;
	m->pcmsg[m->npcmsg].level = level;
	m->pcmsg[m->npcmsg].type = type;
	m->pcmsg[m->npcmsg].len = len;
	memcpy(m->pcmsg[m->npcmsg].data, data, len);
	m->npcmsg++;
}

const u8 *kmsg_next_cmsg(const struct kmsg *m, int level, u64 *off, int *type, u32 *len)
{
	while (m->scm.ctl && *off + sizeof(struct kcmsghdr) <= m->scm.ctl_len) {
		const struct kcmsghdr *h = (const struct kcmsghdr *)(m->scm.ctl + *off);

		*off += KCMSG_ALIGN(h->cmsg_len);	/* scm_parse checked every length */
		if (h->cmsg_level == level) {
			*type = h->cmsg_type;
			*len = (u32)(h->cmsg_len - sizeof(*h));
			return (const u8 *)(h + 1);
		}
	}
	return NULL;
}

static long scm_add_fds(struct scm *scm, const int *fds, int n)
{
	struct file **fp;
	int i;

	if (n <= 0)
		return 0;
	if (scm->nfp + n > SCM_MAX_FD)
		return -EINVAL;
	fp = kcalloc((size_t)(scm->nfp + n), sizeof(*fp));
	if (fp == NULL)
		return -ENOMEM;
	for (i = 0; i < scm->nfp; i++)
		fp[i] = scm->fp[i];
	kfree(scm->fp);
	scm->fp = fp;
	for (i = 0; i < n; i++) {
		struct file *f = fd_get_file(fds[i]);

		if (f == NULL)
			return -EBADF;
		scm->fp[scm->nfp++] = f;
	}
	return 0;
}

/* SCM_CREDENTIALS may name only the sender's own ids unless it is root. */
static long scm_check_creds(const struct kucred *c)
{
	struct task *t = current;

	if (find_task((pid_t)c->pid) == NULL)
		return -ESRCH;
	if (t->euid == 0)
		return 0;
	if ((pid_t)c->pid != t->tgid)
		return -EPERM;
	if (c->uid != t->uid && c->uid != t->euid && c->uid != t->suid)
		return -EPERM;
	if (c->gid != t->gid && c->gid != t->egid && c->gid != t->sgid)
		return -EPERM;
	return 0;
}

static long scm_one(struct scm *scm, const struct kcmsghdr *h, const u8 *data)
{
	size_t dlen = h->cmsg_len - sizeof(*h);

	if (h->cmsg_level != SOL_SOCKET)
		return 0;
	switch (h->cmsg_type) {
	case SCM_RIGHTS:
		return scm_add_fds(scm, (const int *)data, (int)(dlen / sizeof(int)));
	case SCM_CREDENTIALS:
		if (h->cmsg_len != KCMSG_LEN(sizeof(struct kucred)))
			return -EINVAL;
		memcpy(&scm->creds, data, sizeof(scm->creds));
		scm->has_creds = true;
		return scm_check_creds(&scm->creds);
	default:
		return -EINVAL;
	}
}

/* Parses the guest's control buffer into scm: 0 or -errno (scm then destroyed by the caller). */
static long scm_parse(struct scm *scm, uaddr_t uctl, u64 len)
{
	u8 *buf;
	u64 off = 0;
	long err = 0;

	if (len == 0)
		return 0;
	if (len > 0x7fffffff)
		return -ENOBUFS;
	if (len < sizeof(struct kcmsghdr))
		return -EINVAL;
	if (len > 65536)
		return -ENOBUFS;	/* sysctl_optmem_max */
	buf = kmalloc(len);
	if (buf == NULL)
		return -ENOMEM;
	if (copy_from_user(buf, uctl, len) < 0) {
		kfree(buf);
		return -EFAULT;
	}
	while (err == 0 && off + sizeof(struct kcmsghdr) <= len) {
		struct kcmsghdr *h = (struct kcmsghdr *)(buf + off);

		if (h->cmsg_len < sizeof(*h) || h->cmsg_len > len - off) {
			err = -EINVAL;
			break;
		}
		err = scm_one(scm, h, (u8 *)(h + 1));
		off += KCMSG_ALIGN(h->cmsg_len);
	}
	scm->ctl = buf;			/* the protocol's levels: kmsg_next_cmsg */
	scm->ctl_len = off < len ? off : len;
	return err;
}

/* Appends one control message to the guest buffer, truncating with MSG_CTRUNC. */
static long put_cmsg_level(struct kmsg *m, size_t *used, int level, int type, const void *data,
			   size_t dlen)
{
	struct kcmsghdr h = { KCMSG_LEN(dlen), level, type };
	size_t room = m->controllen - *used, cmlen = KCMSG_LEN(dlen);

	if (room < sizeof(h)) {
		m->flags |= MSG_CTRUNC;
		return 0;
	}
	if (room < cmlen) {
		m->flags |= MSG_CTRUNC;
		cmlen = room;
	}
	h.cmsg_len = cmlen;
	if (copy_to_user(uaddr_off(m->control, *used), &h, sizeof(h)) < 0 ||
	    copy_to_user(uaddr_off(m->control, *used + sizeof(h)), data, cmlen - sizeof(h)) < 0)
		return -EFAULT;
	*used += min(KCMSG_SPACE(dlen), room);
	return 0;
}

static long put_cmsg(struct kmsg *m, size_t *used, int type, const void *data, size_t dlen)
{
	return put_cmsg_level(m, used, SOL_SOCKET, type, data, dlen);
}

/* Installs received files as fds in an SCM_RIGHTS message; extra files are dropped. */
static long scm_detach_fds(struct kmsg *m, size_t *used)
{
	size_t room = m->controllen > *used ? m->controllen - *used : 0;
	int fdmax = room > sizeof(struct kcmsghdr) ?
		    (int)((room - sizeof(struct kcmsghdr)) / sizeof(int)) : 0;
	int *fds, n = 0, i;
	long err = 0;

	if (fdmax > m->scm.nfp)
		fdmax = m->scm.nfp;
	fds = kcalloc((size_t)(fdmax ? fdmax : 1), sizeof(int));
	if (fds == NULL)
		return -ENOMEM;
	for (i = 0; i < fdmax; i++) {
		int fd = fd_install(m->scm.fp[i], m->cloexec);

		if (fd < 0) {
			err = fd;
			break;
		}
		m->scm.fp[i] = NULL;	/* the fd table has that reference now */
		fds[n++] = fd;
	}
	if (n > 0)
		err = put_cmsg(m, used, SCM_RIGHTS, fds, (size_t)n * sizeof(int)) ?: err;
	if (n < m->scm.nfp)
		m->flags |= MSG_CTRUNC;
	for (i = 0; i < m->scm.nfp; i++)
		if (m->scm.fp[i] != NULL)
			fput(m->scm.fp[i]);
	m->scm.nfp = 0;
	kfree(fds);
	return err;
}

/* Writes what recvmsg received beside the data: credentials, then fds. */
static long scm_recv(struct kmsg *m)
{
	size_t used = 0;
	long err = 0;

	int i;

	if (uaddr_is_null(m->control)) {
		if (m->scm.nfp > 0 || m->npcmsg > 0)
			m->flags |= MSG_CTRUNC;
		m->controllen = 0;
		return 0;
	}
	for (i = 0; i < m->npcmsg && err == 0; i++)
		err = put_cmsg_level(m, &used, m->pcmsg[i].level, m->pcmsg[i].type, m->pcmsg[i].data,
				     m->pcmsg[i].len);
	if (err == 0 && m->passcred)
		err = put_cmsg(m, &used, SCM_CREDENTIALS, &m->scm.creds, sizeof(m->scm.creds));
	if (err == 0 && m->scm.nfp > 0)
		err = scm_detach_fds(m, &used);
	m->controllen = used;
	return err;
}

/* ---- send and receive ---- */

#define SEND_FLAGS	(MSG_OOB | MSG_DONTROUTE | MSG_DONTWAIT | MSG_EOR | MSG_NOSIGNAL | MSG_MORE | \
			 MSG_CMSG_CLOEXEC | 0x800 /* MSG_CONFIRM */ | 0x20000000 /* MSG_FASTOPEN */)

static long do_sendmsg(struct socket *sock, struct file *f, struct user_msghdr *mh, unsigned flags)
{
	u8 addr[ADDR_MAX];
	struct kmsg m;
	long err;

	kmsg_init(&m, sock);
	if (mh->msg_name != 0 && mh->msg_namelen != 0) {
		err = move_addr_to_kernel(UADDR(mh->msg_name), mh->msg_namelen, addr);
		if (err)
			return err;
		m.name = addr;
		m.namelen = mh->msg_namelen;
	}
	err = iter_import(&m.iter, UADDR(mh->msg_iov), mh->msg_iovlen);
	if (err == 0)
		err = scm_parse(&m.scm, UADDR(mh->msg_control), mh->msg_controllen);
	if (err == 0) {
		if (f->f_flags & O_NONBLOCK)
			flags |= MSG_DONTWAIT;
		err = sock->ops->sendmsg(sock, &m, m.iter.count, flags);
	}
	scm_destroy(&m.scm);
	kfree(m.iter.iov);
	return err;
}

static long do_recvmsg(struct socket *sock, struct file *f, struct user_msghdr *mh, uaddr_t umh,
		       unsigned flags)
{
	u8 addr[ADDR_MAX];
	struct kmsg m;
	long n, err;

	kmsg_init(&m, sock);
	memset(addr, 0, sizeof(addr));
	m.name = mh->msg_name ? addr : NULL;
	m.control = UADDR(mh->msg_control);
	m.controllen = mh->msg_controllen;
	m.cloexec = (flags & MSG_CMSG_CLOEXEC) != 0;
	if (mh->msg_name != 0 && mh->msg_namelen < 0)
		return -EINVAL;
	err = iter_import(&m.iter, UADDR(mh->msg_iov), mh->msg_iovlen);
	if (err)
		goto out;
	if (f->f_flags & O_NONBLOCK)
		flags |= MSG_DONTWAIT;
	n = err = sock->ops->recvmsg(sock, &m, m.iter.count, flags);
	if (n < 0)
		goto out;
	err = scm_recv(&m);
	if (err == 0 && mh->msg_name) {
		int len = min(m.namelen, mh->msg_namelen);

		if (len > 0 && copy_to_user(UADDR(mh->msg_name), addr, (size_t)len) < 0)
			err = -EFAULT;
		mh->msg_namelen = m.namelen;
	} else if (err == 0) {
		mh->msg_namelen = 0;
	}
	mh->msg_controllen = m.controllen;
	mh->msg_flags = m.flags;
	if (uaddr_is_null(UADDR(err)) && !uaddr_is_null(umh) && copy_to_user(umh, mh, sizeof(*mh)) < 0)
		err = -EFAULT;
	if (err == 0)
		err = n;
out:
	scm_destroy(&m.scm);
	kfree(m.iter.iov);
	return err;
}

SYSCALL(sendmsg)
{
	struct user_msghdr mh;
	struct file *f;
	struct socket *sock = sockfd_lookup((int)a[0], &f);
	long err;

	if (IS_ERR(sock))
		return PTR_ERR(sock);
	err = copy_from_user(&mh, UADDR(a[1]), sizeof(mh)) < 0 ? -EFAULT :
	      do_sendmsg(sock, f, &mh, (unsigned)a[2]);
	fput(f);
	return err;
}

SYSCALL(recvmsg)
{
	struct user_msghdr mh;
	struct file *f;
	struct socket *sock = sockfd_lookup((int)a[0], &f);
	long err;

	if (IS_ERR(sock))
		return PTR_ERR(sock);
	err = copy_from_user(&mh, UADDR(a[1]), sizeof(mh)) < 0 ? -EFAULT :
	      do_recvmsg(sock, f, &mh, UADDR(a[1]), (unsigned)a[2]);
	fput(f);
	return err;
}

/* sendto/recvfrom are sendmsg/recvmsg with one buffer (built in kernel memory). */
static long one_buffer_msg(struct user_msghdr *mh, struct kiovec *v, const long *a)
{
	memset(mh, 0, sizeof(*mh));
	v->base = (u64)a[1];
	v->len = (u64)a[2];
	mh->msg_name = (u64)a[4];
	return 0;
}

/* The iovec lives in kernel memory here: import it without a guest copy. */
static long do_onebuf(int fd, const long *a, bool send)
{
	struct user_msghdr mh;
	struct kiovec v;
	struct file *f;
	struct socket *sock = sockfd_lookup(fd, &f);
	u8 addr[ADDR_MAX];
	struct kmsg m;
	unsigned flags = (unsigned)a[3];
	long n;

	if (IS_ERR(sock))
		return PTR_ERR(sock);
	one_buffer_msg(&mh, &v, a);
	kmsg_init(&m, sock);
	if ((s64)v.len < 0)
		v.len = 0x7ffff000;
	m.iter = (struct iov_iter){ false, &v, 1, 0, 0, v.len };
	if (f->f_flags & O_NONBLOCK)
		flags |= MSG_DONTWAIT;
	if (send) {
		n = 0;
		if (a[4] != 0 && (int)a[5] != 0) {
			n = move_addr_to_kernel(UADDR(a[4]), (int)a[5], addr);
			m.name = addr;
			m.namelen = (int)a[5];
		}
		if (n == 0)
			n = sock->ops->sendmsg(sock, &m, v.len, flags);
	} else {
		memset(addr, 0, sizeof(addr));
		m.name = a[4] ? addr : NULL;
		n = sock->ops->recvmsg(sock, &m, v.len, flags);
		if (n >= 0 && a[4] != 0) {
			long e = move_addr_to_user(addr, m.namelen, UADDR(a[4]), UADDR(a[5]));

			if (e < 0)
				n = e;
		}
	}
	scm_destroy(&m.scm);
	fput(f);
	return n;
}

SYSCALL(sendto)
{
	return do_onebuf((int)a[0], a, true);
}

SYSCALL(recvfrom)
{
	return do_onebuf((int)a[0], a, false);
}

/* sendmmsg and recvmmsg: each message in turn; the count done, or the first error. */
static long do_mmsg(const long *a, bool send)
{
	uaddr_t uvec = UADDR(a[1]);
	unsigned vlen = (unsigned)a[2], flags = (unsigned)a[3], i;
	struct file *f;
	struct socket *sock = sockfd_lookup((int)a[0], &f);
	long err = 0;

	if (IS_ERR(sock))
		return PTR_ERR(sock);
	if (vlen > UIO_MAXIOV)
		vlen = UIO_MAXIOV;
	for (i = 0; i < vlen; i++) {
		struct user_mmsghdr mm;
		uaddr_t u = uaddr_off(uvec, (u64)i * sizeof(mm));

		if (copy_from_user(&mm, u, sizeof(mm)) < 0)
			err = -EFAULT;
		else if (send)
			err = do_sendmsg(sock, f, &mm.msg_hdr, flags);
		else
			err = do_recvmsg(sock, f, &mm.msg_hdr, u, flags | (i > 0 ? MSG_DONTWAIT : 0));
		if (err < 0)
			break;
		mm.msg_len = (u32)err;
		if (put_user(mm.msg_len, uaddr_off(u, offsetof(struct user_mmsghdr, msg_len))) < 0) {
			err = -EFAULT;
			break;
		}
		if (!send && (flags & 0x10000))	/* MSG_WAITFORONE */
			flags |= MSG_DONTWAIT;
	}
	fput(f);
	return i > 0 ? (long)i : err;
}

SYSCALL(sendmmsg)
{
	return do_mmsg(a, true);
}

SYSCALL(recvmmsg)
{
	return do_mmsg(a, false);
}

/* ---- options ---- */

static int sock_int_opt(struct socket *sock, int name, int *val)
{
	switch (name) {
	case SO_TYPE:		*val = sock->type; return 0;
	case SO_DOMAIN:		*val = sock->family; return 0;
	case SO_PROTOCOL:	*val = sock->protocol; return 0;
	case SO_SNDBUF:		*val = sock->sndbuf; return 0;
	case SO_RCVBUF:		*val = sock->rcvbuf; return 0;
	case SO_REUSEADDR:	*val = sock->reuseaddr; return 0;
	case SO_REUSEPORT:	*val = sock->reuseport; return 0;
	case SO_RXQ_OVFL:	*val = sock->rxq_ovfl; return 0;
	case SO_KEEPALIVE:	*val = sock->keepalive; return 0;
	case SO_BROADCAST:	*val = sock->broadcast; return 0;
	}
	return -ENOPROTOOPT;
}

static int sock_setsockopt(struct socket *sock, int name, int v)
{
	switch (name) {
	case SO_SNDBUF:
		v = (unsigned)v > SOCK_MAX_BUF ? SOCK_MAX_BUF : v;
		sock->sndbuf = max(v * 2, SOCK_MIN_SNDBUF);
		return 0;
	case SO_RCVBUF:
		v = (unsigned)v > SOCK_MAX_BUF ? SOCK_MAX_BUF : v;
		sock->rcvbuf = max(v * 2, SOCK_MIN_RCVBUF);
		return 0;
	case SO_REUSEADDR:	sock->reuseaddr = v != 0; return 0;
	case SO_REUSEPORT:	sock->reuseport = v != 0; return 0;
	case SO_RXQ_OVFL:	sock->rxq_ovfl = v != 0; return 0;
	case SO_KEEPALIVE:	sock->keepalive = v != 0; return 0;
	case SO_BROADCAST:	sock->broadcast = v != 0; return 0;
	}
	return -ENOPROTOOPT;
}

/* The largest timeout: Linux's MAX_SCHEDULE_TIMEOUT in jiffies, about forever. */
#define SOCK_TIMEO_MAX_SEC	((u64)0x7fffffffffffffffULL / 1000000000ULL)

/*
 * SO_RCVTIMEO/SO_SNDTIMEO (old and new names: the same 16-byte timeval
 * on x86_64), as Linux's sock_set_timeout: EINVAL if short, EDOM for
 * bad microseconds; 0 waits forever; a negative time means do not wait.
 */
static int sock_set_timeout(u64 *timeo, const u8 *val, unsigned len)
{
	const s64 *tv = (const s64 *)val;

	if (len < 16)
		return -EINVAL;
	if (tv[1] < 0 || tv[1] >= 1000000)
		return -EDOM;
	if (tv[0] < 0)
		*timeo = 1;		/* a microsecond: the first sleep times out */
	else if ((u64)tv[0] >= SOCK_TIMEO_MAX_SEC)
		*timeo = 0;
	else
		*timeo = (u64)tv[0] * 1000000 + (u64)tv[1];
	return 0;
}

static bool sock_timeo_opt(struct socket *sock, int name, u64 **timeo)
{
	if (name == SO_RCVTIMEO_OLD || name == SO_RCVTIMEO_NEW)
		*timeo = &sock->rcvtimeo;
	else if (name == SO_SNDTIMEO_OLD || name == SO_SNDTIMEO_NEW)
		*timeo = &sock->sndtimeo;
	else
		return false;
	return true;
}

SYSCALL(setsockopt)
{
	int level = (int)a[1], name = (int)a[2];
	unsigned len = (unsigned)a[4];
	u8 val[64];
	struct file *f;
	struct socket *sock = sockfd_lookup((int)a[0], &f);
	u64 *timeo;
	long err;

	if (IS_ERR(sock))
		return PTR_ERR(sock);
	err = -EINVAL;
	if ((int)len < 0)
		goto out;
	memset(val, 0, sizeof(val));
	err = -EFAULT;
	if (copy_from_user(val, UADDR(a[3]), min(len, (unsigned)sizeof(val))) < 0)
		goto out;
	err = -EOPNOTSUPP;
	if (level == SOL_SOCKET && sock_timeo_opt(sock, name, &timeo)) {
		err = sock_set_timeout(timeo, val, len);
	} else if (level == SOL_SOCKET && sock_int_opt(sock, name, &(int){ 0 }) == 0 &&
	    name != SO_TYPE && name != SO_DOMAIN && name != SO_PROTOCOL) {
		err = len < sizeof(int) ? -EINVAL : sock_setsockopt(sock, name, *(int *)val);
		if (err == 0 && sock->ops->sockopt_changed)
			sock->ops->sockopt_changed(sock, name);
	} else if (sock->ops->setsockopt) {
		err = sock->ops->setsockopt(sock, level, name, val, len);
	}
out:
	fput(f);
	return err;
}

SYSCALL(getsockopt)
{
	int level = (int)a[1], name = (int)a[2], ulen;
	uaddr_t uval = UADDR(a[3]), ulenp = UADDR(a[4]);
	u8 val[256];		/* the largest option: struct tcp_info */
	unsigned len;
	struct file *f;
	struct socket *sock = sockfd_lookup((int)a[0], &f);
	u64 *timeo;
	long err;

	if (IS_ERR(sock))
		return PTR_ERR(sock);
	err = -EFAULT;
	if (get_user(ulen, ulenp) < 0)
		goto out;
	err = -EINVAL;
	if (ulen < 0)
		goto out;
	memset(val, 0, sizeof(val));
	len = sizeof(int);
	err = level == SOL_SOCKET ? sock_int_opt(sock, name, (int *)val) : -ENOPROTOOPT;
	if (level == SOL_SOCKET && sock_timeo_opt(sock, name, &timeo)) {
		s64 tv[2] = { (s64)(*timeo / 1000000), (s64)(*timeo % 1000000) };

		if (*timeo == 1)
			tv[1] = 0;	/* "do not wait" reads back as 0, as on Linux */
		memcpy(val, tv, sizeof(tv));
		len = sizeof(tv);
		err = 0;
	}
	if (err == -ENOPROTOOPT) {
		len = sizeof(val);
		err = sock->ops->getsockopt ? sock->ops->getsockopt(sock, level, name, val, &len) :
					      -EOPNOTSUPP;
	}
	if (err < 0)
		goto out;
	len = min(len, (unsigned)ulen);
	err = -EFAULT;
	ulen = (int)len;
	if (copy_to_user(uval, val, len) < 0 || put_user(ulen, ulenp) < 0)
		goto out;
	err = 0;
out:
	fput(f);
	return err;
}
