/*
 * net.h - the socket layer (net/socket.c) and what a protocol family
 * implements (net/unix.c is AF_UNIX; AF_INET and AF_PACKET plug in the
 * same way: a struct net_family with create(), a struct proto_ops).
 *
 * A socket is a file on the anonymous pseudo filesystem with its own
 * S_IFSOCK inode ("socket:[ino]"); the generic syscalls find the struct
 * socket behind an fd, move addresses, iovecs and control messages
 * between guest and kernel, and call the family's ops.  Constants the
 * uapi headers keep kernel-internal (SOCK_*, MSG_*, SCM_*) are written
 * here from socket(2), recv(2) and unix(7).
 */
#ifndef KERNEL_NET_H
#define KERNEL_NET_H

#include "kernel/types.h"
#include "kernel/wait.h"
#include "uapi/linux/socket.h"
#include "uapi/asm/socket.h"

#define AF_UNSPEC	0
#define AF_UNIX		1
#define AF_INET		2
#define AF_INET6	10
#define AF_NETLINK	16
#define AF_PACKET	17
#define NPROTO		46

#define SOCK_STREAM	1
#define SOCK_DGRAM	2
#define SOCK_RAW	3
#define SOCK_SEQPACKET	5
#define SOCK_TYPE_MASK	0xf
#define SOCK_CLOEXEC	02000000
#define SOCK_NONBLOCK	04000

#define MSG_OOB		0x1
#define MSG_PEEK	0x2
#define MSG_DONTROUTE	0x4
#define MSG_CTRUNC	0x8
#define MSG_TRUNC	0x20
#define MSG_DONTWAIT	0x40
#define MSG_EOR		0x80
#define MSG_WAITALL	0x100
#define MSG_NOSIGNAL	0x4000
#define MSG_MORE	0x8000
#define MSG_CMSG_CLOEXEC 0x40000000

#define SCM_RIGHTS	1
#define SCM_CREDENTIALS	2
#define SCM_MAX_FD	253

#define SHUT_RD		0
#define SHUT_WR		1
#define SHUT_RDWR	2
#define RCV_SHUTDOWN	1
#define SEND_SHUTDOWN	2
#define SHUTDOWN_MASK	3

#define SOMAXCONN	4096
#define SOCK_DEFAULT_BUF	212992	/* net.core.wmem_default / rmem_default */
#define SOCK_MAX_BUF		212992	/* net.core.wmem_max / rmem_max */
#define SOCK_MIN_SNDBUF		4608
#define SOCK_MIN_RCVBUF		2304
#define UIO_MAXIOV	1024

/* The guest's struct msghdr, struct cmsghdr and struct ucred (x86_64). */
struct user_msghdr {
	u64 msg_name;
	s32 msg_namelen;
	u32 __pad1;
	u64 msg_iov;
	u64 msg_iovlen;
	u64 msg_control;
	u64 msg_controllen;
	u32 msg_flags;
	u32 __pad2;
};
_Static_assert(sizeof(struct user_msghdr) == 56, "struct msghdr");
struct user_mmsghdr {
	struct user_msghdr msg_hdr;
	u32 msg_len;
	u32 __pad;
};
struct kcmsghdr {
	u64 cmsg_len;
	s32 cmsg_level;
	s32 cmsg_type;
};
_Static_assert(sizeof(struct kcmsghdr) == 16, "struct cmsghdr");
#define KCMSG_ALIGN(n)	(((n) + 7) & ~(u64)7)
#define KCMSG_LEN(n)	(sizeof(struct kcmsghdr) + (n))
#define KCMSG_SPACE(n)	(sizeof(struct kcmsghdr) + KCMSG_ALIGN(n))
struct kucred {
	u32 pid, uid, gid;
};

/* A list of buffers, guest iovecs or one kernel buffer, consumed in order. */
struct kiovec {
	u64 base;
	u64 len;
};
struct iov_iter {
	bool kernel;		/* base is a kernel pointer */
	struct kiovec *iov;
	int nr, idx;
	size_t off;		/* into iov[idx] */
	size_t count;		/* bytes left */
};
/* Copy n bytes (n <= count) to/from the next part; 0 or -EFAULT. */
long iter_copy_to(struct iov_iter *it, const void *src, size_t n);
long iter_copy_from(struct iov_iter *it, void *dst, size_t n);

struct file;
/* What sendmsg's control messages carry (SOL_SOCKET). */
struct scm {
	struct file **fp;	/* SCM_RIGHTS: references */
	int nfp;
	bool has_creds;		/* SCM_CREDENTIALS given */
	struct kucred creds;
	u8 *ctl;		/* send: the whole control buffer, for a protocol's own levels */
	u64 ctl_len;
};
struct kmsg;
void scm_destroy(struct scm *scm);	/* put the files */
/* recv: a protocol adds a control message (len <= 16) for the guest. */
void kmsg_put_cmsg(struct kmsg *m, int level, int type, const void *data, u32 len);
/* send: the next control message of level after *off in m's buffer (data, its length), or NULL. */
const u8 *kmsg_next_cmsg(const struct kmsg *m, int level, u64 *off, int *type, u32 *len);

/* One sendmsg or recvmsg, in kernel form. */
struct kmsg {
	u8 *name;		/* sockaddr buffer of 128 bytes, or NULL */
	int namelen;		/* in: given length; out: the source's length */
	struct iov_iter iter;
	struct scm scm;		/* send: parsed control; recv: to deliver */
	uaddr_t control;	/* recv: the guest's control buffer */
	size_t controllen;	/* recv: in its size, out what was used */
	unsigned flags;		/* recv: MSG_TRUNC, MSG_CTRUNC out */
	bool passcred;		/* recv: deliver scm.creds */
	bool cloexec;		/* recv: MSG_CMSG_CLOEXEC */
	u64 deadline;		/* the call's SO_RCVTIMEO/SO_SNDTIMEO end (sock_sleep), 0 before */
	/* recv: a protocol's control messages (IP_PKTINFO, IP_TTL, SO_RXQ_OVFL...),
	 * written before the SOL_SOCKET credentials and fds */
	struct { int level, type; u32 len; u8 data[20]; } pcmsg[4];	/* up to struct in6_pktinfo */
	int npcmsg;
};

#define SS_UNCONNECTED	1
#define SS_CONNECTING	2
#define SS_CONNECTED	3

struct socket;
struct poll_table;
struct proto_ops {
	int family;
	void (*release)(struct socket *sock);
	int (*bind)(struct socket *sock, const u8 *addr, int len);
	int (*connect)(struct socket *sock, const u8 *addr, int len, int flags);
	int (*socketpair)(struct socket *a, struct socket *b);
	/* Takes a pending connection into newsock (made by the layer). */
	int (*accept)(struct socket *sock, struct socket *newsock, int flags);
	/* Fills addr (128 bytes) with the own or peer address: its length or -errno. */
	int (*getname)(struct socket *sock, u8 *addr, bool peer);
	unsigned (*poll)(struct socket *sock, struct file *f, struct poll_table *pt);
	int (*listen)(struct socket *sock, int backlog);
	int (*shutdown)(struct socket *sock, int how);
	int (*setsockopt)(struct socket *sock, int level, int name, const u8 *val, unsigned len);
	/* Writes up to *len bytes of the value into val and sets *len. */
	int (*getsockopt)(struct socket *sock, int level, int name, u8 *val, unsigned *len);
	long (*sendmsg)(struct socket *sock, struct kmsg *m, size_t len, unsigned flags);
	long (*recvmsg)(struct socket *sock, struct kmsg *m, size_t len, unsigned flags);
	long (*ioctl)(struct socket *sock, unsigned cmd, u64 arg);
	/* A SOL_SOCKET option the layer keeps (SO_KEEPALIVE, SO_RCVBUF...) changed. */
	void (*sockopt_changed)(struct socket *sock, int name);
};

struct socket {
	int family, type, protocol;
	int state;			/* SS_* */
	struct file *file;		/* not a reference: the file owns the socket */
	const struct proto_ops *ops;
	void *sk;			/* the family's own */
	int sndbuf, rcvbuf;		/* SO_SNDBUF/SO_RCVBUF as getsockopt shows them */
	bool reuseaddr, keepalive, broadcast;
	bool reuseport;			/* SO_REUSEPORT */
	bool rxq_ovfl;			/* SO_RXQ_OVFL: datagrams say how many were dropped */
	unsigned uid;			/* creator's euid: who may share a SO_REUSEPORT port */
	u64 rcvtimeo, sndtimeo;		/* SO_RCVTIMEO/SO_SNDTIMEO in us; 0 waits forever */
};

struct net_family {
	int family;
	/* Sets sock->ops and sock->sk for type/protocol: 0 or -errno. */
	int (*create)(struct socket *sock, int type, int protocol, bool kern);
};

/* The socket behind a file, or NULL if it is not one. */
struct socket *sock_from_file(struct file *f);
/* A new socket with a file (O_RDWR | flags' O_NONBLOCK): ERR_PTR on failure. */
struct socket *sock_alloc_file(int family, int type, const struct proto_ops *ops, unsigned flags);
/*
 * Sleeps on wq in a blocking call of a socket whose timeout for that
 * direction is timeo (sock->rcvtimeo or sndtimeo): until woken (0), a
 * signal (-ERESTARTSYS; -EINTR once a timeout is set, never restarted,
 * as Linux's sock_intr_errno) or the call's deadline (-EAGAIN).
 * *deadline is the call's own, 0 before its first sleep.  May sleep.
 */
int sock_sleep(struct wait_queue *wq, u64 timeo, u64 *deadline);
/* Sends SIGPIPE to current unless MSG_NOSIGNAL; returns -EPIPE. */
long sock_epipe(unsigned flags);

int unix_family_create(struct socket *sock, int type, int protocol, bool kern);
int inet_family_create(struct socket *sock, int type, int protocol, bool kern);
int packet_family_create(struct socket *sock, int type, int protocol, bool kern);
int netlink_family_create(struct socket *sock, int type, int protocol, bool kern);
/* A kernel datagram (port 0) onto a netlink socket's queue: 0 or -errno. */
int netlink_deliver(struct socket *sock, const void *data, u32 len);
bool sock_is_netlink(struct socket *sock);

#endif
