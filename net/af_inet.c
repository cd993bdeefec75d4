/*
 * af_inet.c - AF_INET sockets (ip(7), tcp(7)): the family, addresses and
 * ports, the options every AF_INET socket has, and SOCK_STREAM over the
 * TCP engine (net/tcp.c).  Datagram, raw and ping sockets are in
 * net/udp.c.
 *
 * A stream socket's struct inet_sock holds a struct tcp_sock; the engine
 * keeps running after close(2) (FIN_WAIT, TIME_WAIT: the endpoint is an
 * orphan) and frees it through tcp_destroy once it reaches CLOSED.  Every
 * tcp_sock with a local port is on tcp_socks, the demultiplexing list:
 * a segment goes to the exact four-tuple, else to a listener on its port.
 * Blocking calls sleep on tp->wq, which the engine wakes with the poll
 * mask that changed; SO_RCVTIMEO/SO_SNDTIMEO bound those sleeps.
 */
#include "kernel/kernel.h"
#include "kernel/fs.h"
#include "kernel/inet.h"
#include "kernel/net.h"
#include "kernel/mm.h"
#include "kernel/page.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "shared/os.h"
#include "uapi/asm-generic/poll.h"
#include "uapi/asm/ioctls.h"

LIST_HEAD(tcp_socks);
#define PORT_LOW	INET_PORT_LOW	/* net.ipv4.ip_local_port_range */
#define PORT_HIGH	INET_PORT_HIGH
#define SIOCINQ		FIONREAD
#define SIOCOUTQ	TIOCOUTQ

struct klinger {		/* struct linger of socket(7) */
	s32 l_onoff, l_linger;
};
_Static_assert(sizeof(struct klinger) == 8 && offsetof(struct klinger, l_linger) == 4,
	       "struct linger (socket(7), glibc <bits/socket.h>): two ints");

static const struct proto_ops inet_stream_ops;

/* ---- addresses, waits, common options ---- */

int inet_addr_parse(const u8 *addr, int len, u32 *ip, u16 *port, bool allow_unspec)
{
	struct sockaddr_in sin;

	if (len < (int)sizeof(sin))
		return -EINVAL;
	memcpy(&sin, addr, sizeof(sin));
	if (sin.sin_family != AF_INET && !(allow_unspec && sin.sin_family == AF_UNSPEC))
		return -EAFNOSUPPORT;
	*ip = sin.sin_addr.s_addr;
	*port = sin.sin_port;
	return 0;
}

int inet_addr_fill(u8 *addr, u32 ip, u16 port)
{
	struct sockaddr_in sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = port;
	sin.sin_addr.s_addr = ip;
	memcpy(addr, &sin, sizeof(sin));
	return (int)sizeof(sin);
}

int inet_parse_dotted(const char *s, u32 *ip)
{
	u32 v = 0, part;
	int i;

	for (i = 0; i < 4; i++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		for (part = 0; *s >= '0' && *s <= '9'; s++) {
			part = part * 10 + (u32)(*s - '0');
			if (part > 255)
				return -EINVAL;
		}
		v = (v << 8) | part;
		if (i < 3 && *s++ != '.')
			return -EINVAL;
	}
	if (*s)
		return -EINVAL;
	*ip = cpu_to_be32(v);
	return 0;
}

u64 inet_deadline(u64 timeo_us)
{
	return timeo_us ? os_monotonic_ns() + timeo_us * 1000 : 0;
}

int inet_wait(struct wait_queue *wq, u64 deadline)
{
	int r;

	if (deadline == 0) {
		r = sleep_on(wq, true);
		return r;
	}
	r = sleep_on_timeout(wq, true, deadline);
	if (r == -ETIMEDOUT)
		return -EAGAIN;
	return r == -ERESTARTSYS ? -EINTR : r;	/* a timed sleep is not restarted (socket(7)) */
}

static int get_int(const u8 *val, unsigned len, int *v)
{
	if (len < sizeof(int))
		return -EINVAL;
	memcpy(v, val, sizeof(int));
	return 0;
}

static int set_ip_opt(struct inet_sock *isk, int name, int v)
{
	switch (name) {
	case IP_TTL:
		if (v == -1)
			v = IP_DEFAULT_TTL;
		if (v < 1 || v > 255)
			return -EINVAL;
		isk->ttl = (u8)v;
		break;
	case IP_TOS:
		isk->tos = (u8)v;
		break;
	case IP_HDRINCL:
		if (isk->type != SOCK_RAW)
			return -ENOPROTOOPT;
		isk->hdrincl = v != 0;
		break;
	case IP_RECVERR:	isk->recverr = v != 0; break;
	case IP_PKTINFO:	isk->pktinfo = v != 0; break;
	case IP_RECVTTL:	isk->recvttl = v != 0; break;
	case IP_RECVTOS:	isk->recvtos = v != 0; break;
	case IP_MTU_DISCOVER:
		if (v < IP_PMTUDISC_DONT || v > IP_PMTUDISC_OMIT)
			return -EINVAL;
		isk->pmtudisc = v;
		break;
	default:
		return -ENOPROTOOPT;
	}
	if (isk->tp) {
		isk->tp->ttl = isk->ttl;
		isk->tp->tos = isk->tos;
	}
	return 0;
}

int inet_setsockopt_common(struct inet_sock *isk, int level, int name, const u8 *val, unsigned len)
{
	struct klinger l;
	int v = 0;

	if (level == SOL_SOCKET) {
		switch (name) {
		case SO_LINGER:
			if (len < sizeof(l))
				return -EINVAL;
			memcpy(&l, val, sizeof(l));
			isk->linger = l.l_onoff != 0;
			isk->linger_secs = l.l_linger < 0 ? 0 : l.l_linger;
			if (isk->tp)
				isk->tp->linger0 = isk->linger && isk->linger_secs == 0;
			return 0;
		case SO_PRIORITY: case SO_OOBINLINE: case SO_RCVLOWAT:
			return get_int(val, len, &v);	/* kept by nothing here: accepted */
		}
		return -ENOPROTOOPT;
	}
	if (level != IPPROTO_IP)
		return -ENOPROTOOPT;
	if (len == 0)
		return -EINVAL;
	if (len >= sizeof(int))
		memcpy(&v, val, sizeof(int));
	else
		v = val[0];		/* ip(7): a byte is accepted for the int options */
	return set_ip_opt(isk, name, v);
}

int inet_getsockopt_common(struct inet_sock *isk, int level, int name, u8 *val, unsigned *len)
{
	int v;

	if (level == SOL_SOCKET) {
		switch (name) {
		case SO_LINGER: {
			struct klinger l = { isk->linger, isk->linger_secs };

			memcpy(val, &l, sizeof(l));
			*len = sizeof(l);
			return 0;
		}
		case SO_ERROR:
			v = isk->tp ? isk->tp->err : isk->err;
			if (isk->tp) {
				if (!v)
					v = isk->tp->soft_err;
				isk->tp->err = isk->tp->soft_err = 0;
			} else {
				isk->err = 0;
			}
			break;
		case SO_ACCEPTCONN:
			v = isk->tp && isk->tp->state == TCP_LISTEN;
			break;
		default:
			return -ENOPROTOOPT;
		}
	} else if (level == IPPROTO_IP) {
		switch (name) {
		case IP_TTL:		v = isk->ttl; break;
		case IP_TOS:		v = isk->tos; break;
		case IP_HDRINCL:	v = isk->hdrincl; break;
		case IP_RECVERR:	v = isk->recverr; break;
		case IP_PKTINFO:	v = isk->pktinfo; break;
		case IP_RECVTTL:	v = isk->recvttl; break;
		case IP_RECVTOS:	v = isk->recvtos; break;
		case IP_MTU_DISCOVER:	v = isk->pmtudisc; break;
		default:		return -ENOPROTOOPT;
		}
	} else {
		return -EOPNOTSUPP;	/* Linux's ip_getsockopt for any other level */
	}
	memcpy(val, &v, sizeof(v));
	*len = sizeof(v);
	return 0;
}

/* ---- TCP ports and lookup ---- */

static bool addr_overlap(u32 a, u32 b)
{
	return a == 0 || b == 0 || a == b;
}

/* The socket's SO_REUSEADDR/SO_REUSEPORT as tp binds. */
static void take_reuse(const struct socket *sock, struct tcp_sock *tp)
{
	tp->reuseaddr = sock->reuseaddr;
	tp->reuseport = sock->reuseport;
	tp->uid = sock->uid;
}

/*
 * Whether binding tp to addr:port would clash: SO_REUSEADDR as Linux
 * (never with a listener), SO_REUSEPORT when both have it and one user
 * owns both (socket(7)).
 */
static bool tcp_port_clash(struct tcp_sock *tp, u32 addr, u16 port)
{
	struct tcp_sock *t;

	list_for_each_entry(t, &tcp_socks, hash_link) {
		if (t == tp || t->sport != port || !addr_overlap(t->saddr, addr))
			continue;
		if (tp->reuseport && t->reuseport && tp->uid == t->uid)
			continue;
		if (tp->reuseaddr && t->state != TCP_LISTEN &&
		    (t->reuseaddr || t->state == TCP_TIME_WAIT))
			continue;
		return true;
	}
	return false;
}

static void tcp_hash(struct tcp_sock *tp)
{
	if (!tp->hashed) {
		list_add(&tp->hash_link, &tcp_socks);
		tp->hashed = true;
	}
}

static void tcp_unhash(struct tcp_sock *tp)
{
	if (tp->hashed) {
		list_del(&tp->hash_link);
		tp->hashed = false;
	}
}

/* Binds tp to addr:port (port 0: an ephemeral one): 0, -EADDRINUSE. */
static int tcp_bind_port(struct tcp_sock *tp, u32 addr, u16 port)
{
	u32 start, i, range = PORT_HIGH - PORT_LOW + 1;

	if (port != 0) {
		if (tcp_port_clash(tp, addr, port))
			return -EADDRINUSE;
		tp->saddr = addr;
		tp->sport = port;
		tcp_hash(tp);
		return 0;
	}
	os_getrandom(&start, sizeof(start));
	for (i = 0; i < range; i++) {
		u16 p = cpu_to_be16((u16)(PORT_LOW + (start + i) % range));
		struct tcp_sock *t;
		bool used = false;

		list_for_each_entry(t, &tcp_socks, hash_link)
			if (t->sport == p)
				used = true;
		if (!used) {
			tp->saddr = addr;
			tp->sport = p;
			tcp_hash(tp);
			return 0;
		}
	}
	return -EADDRINUSE;
}

/* Which of n sockets of a SO_REUSEPORT group takes the flow from saddr:sport. */
u32 reuseport_index(u32 saddr, u16 sport, u32 n)
{
	u32 h = (saddr ^ ((u32)sport << 16 | sport)) * 0x9e3779b1u;

	return (h >> 16) % n;
}

static struct tcp_sock *tcp_lookup(u32 saddr, u16 sport, u32 daddr, u16 dport)
{
	struct tcp_sock *t, *listener = NULL;
	u32 n = 0, k;

	list_for_each_entry(t, &tcp_socks, hash_link) {
		if (t->sport != dport)
			continue;
		if (t->state == TCP_LISTEN) {
			if ((t->saddr == daddr && (listener == NULL || listener->saddr == 0)) ||
			    (t->saddr == 0 && listener == NULL))
				listener = t;
		} else if (t->state != TCP_CLOSED && t->dport == sport && t->daddr == saddr &&
			   t->saddr == daddr) {
			return t;
		}
	}
	if (listener == NULL || !listener->reuseport)
		return listener;
	/* SO_REUSEPORT: the flow's hash picks one listener of the group. */
	list_for_each_entry(t, &tcp_socks, hash_link)
		if (t->state == TCP_LISTEN && t->sport == dport && t->saddr == listener->saddr &&
		    t->reuseport && t->uid == listener->uid)
			n++;
	k = reuseport_index(saddr, sport, n);
	list_for_each_entry(t, &tcp_socks, hash_link)
		if (t->state == TCP_LISTEN && t->sport == dport && t->saddr == listener->saddr &&
		    t->reuseport && t->uid == listener->uid && k-- == 0)
			return t;
	return listener;
}

/* ---- TCP engine hooks ---- */

static void tcp_v4_xmit(struct tcp_sock *tp, struct sk_buff *skb)
{
	struct tcphdr_w *th = (struct tcphdr_w *)skb->data;
	u32 saddr = skb->saddr ? skb->saddr : ip_select_source(skb->daddr);

	th->check = 0;
	skb->csum_off = offsetof(struct tcphdr_w, check);	/* ip_output sums it, but not for lo */
	ip_output(skb, saddr, skb->daddr, IPPROTO_TCP, tp->ttl ? tp->ttl : IP_DEFAULT_TTL, tp->tos,
		  true);
}

static void tcp_destroy(struct tcp_sock *tp)
{
	tcp_unhash(tp);
	tcp_free(tp);
}

static u32 tcp_v4_route_mtu(struct tcp_sock *tp)
{
	const struct route *r = ip_route(tp->daddr);

	return r ? r->dev->mtu : 0;
}

static struct tcp_sock *tcp_child(struct tcp_sock *lp);
static const struct tcp_ops tcp_v4_ops = { tcp_v4_xmit, tcp_child, tcp_destroy, tcp_v4_route_mtu };

static struct tcp_sock *tcp_child(struct tcp_sock *lp)
{
	struct tcp_sock *c = tcp_alloc(&tcp_v4_ops, NULL);

	if (c == NULL)
		return NULL;
	c->rcvbuf = lp->rcvbuf;
	c->sndbuf = lp->sndbuf;
	c->nodelay = lp->nodelay;
	c->mss_clamp = lp->mss_clamp;
	c->keepalive = lp->keepalive;
	c->keepidle = lp->keepidle;
	c->keepintvl = lp->keepintvl;
	c->keepcnt = lp->keepcnt;
	c->reuseaddr = lp->reuseaddr;
	c->reuseport = lp->reuseport;
	c->uid = lp->uid;
	c->ttl = lp->ttl;
	c->tos = lp->tos;
	c->linger0 = lp->linger0;
	c->hashed = true;
	list_add(&c->hash_link, &tcp_socks);
	return c;
}

void tcp_v4_rcv(struct sk_buff *skb)
{
	const struct tcphdr_w *th = (const struct tcphdr_w *)skb->data;
	struct tcp_sock *tp;

	if (skb->len < sizeof(*th) ||
	    (!skb->csum_off &&		/* not from this host over loopback: verify */
	     csum_fold(csum_partial(skb->data, skb->len,
				    csum_pseudo(skb->saddr, skb->daddr, IPPROTO_TCP, (u16)skb->len))) != 0)) {
		kfree_skb(skb);
		return;
	}
	tp = tcp_lookup(skb->saddr, th->source, skb->daddr, th->dest);
	if (tp == NULL) {
		tcp_reset_reply(skb, tcp_v4_xmit);
		kfree_skb(skb);
		return;
	}
	tcp_rcv(tp, skb);
}

void tcp_v4_err(const struct iphdr_w *inner, const u8 *l4, int err, u32 mtu)
{
	const struct tcphdr_w *th = (const struct tcphdr_w *)l4;
	struct tcp_sock *tp = tcp_lookup(inner->daddr, th->dest, inner->saddr, th->source);

	if (tp == NULL || tp->state == TCP_LISTEN)
		return;
	tcp_icmp_error(tp, err, mtu);
	wake_up_poll(&tp->wq, POLLERR);
}

/* ---- stream socket ops ---- */

static struct inet_sock *inet_sk(struct socket *sock)
{
	return sock->sk;
}

static struct inet_sock *inet_sock_new(struct socket *sock, int type, int protocol)
{
	struct inet_sock *isk = kzalloc(sizeof(*isk));

	if (isk == NULL)
		return NULL;
	isk->sock = sock;
	isk->type = type;
	isk->protocol = protocol;
	isk->ttl = IP_DEFAULT_TTL;
	isk->pmtudisc = IP_PMTUDISC_WANT;
	INIT_LIST_HEAD(&isk->rxq);
	INIT_LIST_HEAD(&isk->link);
	init_waitqueue(&isk->wq);
	return isk;
}

/* Waits, for SO_LINGER with a timeout, until the peer has everything. May sleep. */
static void linger_wait(struct inet_sock *isk)
{
	struct tcp_sock *tp = isk->tp;
	u64 deadline = os_monotonic_ns() + (u64)isk->linger_secs * 1000000000ULL;

	while ((tp->state == TCP_FIN_WAIT1 || tp->state == TCP_CLOSING || tp->state == TCP_LAST_ACK) &&
	       !tp->fin_acked) {
		if (inet_wait(&tp->wq, deadline) != 0)
			break;
	}
}

static void inet_stream_release(struct socket *sock)
{
	struct inet_sock *isk = inet_sk(sock);
	struct tcp_sock *tp;

	if (isk == NULL)
		return;
	tp = isk->tp;
	if (tp != NULL) {
		tp->owner = NULL;
		tp->linger0 = isk->linger && isk->linger_secs == 0;
		if (isk->linger && isk->linger_secs > 0 && tp->state >= TCP_ESTABLISHED) {
			tcp_shutdown_send(tp);
			linger_wait(isk);
			tp = isk->tp;
		}
		tcp_close(tp);
	}
	kfree(isk);
	sock->sk = NULL;
}

static int inet_bind_check(struct inet_sock *isk, const u8 *addr, int len, u32 *ip, u16 *port)
{
	int err = inet_addr_parse(addr, len, ip, port, true);

	if (err)
		return err;
	if (((struct sockaddr_in *)addr)->sin_family == AF_UNSPEC && *ip != 0)
		return -EAFNOSUPPORT;
	if (*ip != 0 && !ip_is_local(*ip) && (*ip & 0xf0) != 0xe0)
		return -EADDRNOTAVAIL;
	if (*port != 0 && be16_to_cpu(*port) < 1024 && current->euid != 0)
		return -EACCES;
	return 0;
}

static int inet_stream_bind(struct socket *sock, const u8 *addr, int len)
{
	struct inet_sock *isk = inet_sk(sock);
	u32 ip;
	u16 port;
	int err = inet_bind_check(isk, addr, len, &ip, &port);

	if (err)
		return err;
	if (isk->tp->sport != 0 || isk->tp->state != TCP_CLOSED)
		return -EINVAL;
	take_reuse(sock, isk->tp);
	err = tcp_bind_port(isk->tp, ip, port);
	if (err == 0) {
		isk->sport = isk->tp->sport, isk->saddr = ip;
		isk->port_locked = port != 0;	/* kept over a failed connect */
		isk->addr_locked = ip != 0;
	}
	return err;
}

static void apply_bufs(struct socket *sock, struct tcp_sock *tp)
{
	tp->sndbuf = (u32)sock->sndbuf;
	tp->rcvbuf = (u32)sock->rcvbuf;
}

/* Waits for the handshake: 0 when established, -err. May sleep. */
static int connect_wait(struct inet_sock *isk, bool nonblock)
{
	struct tcp_sock *tp = isk->tp;
	u64 deadline = inet_deadline(isk->sock->sndtimeo);

	while (tp->state == TCP_SYN_SENT || tp->state == TCP_SYN_RECV) {
		int r;

		if (nonblock)
			return -EINPROGRESS;
		r = inet_wait(&tp->wq, deadline);
		if (r == -EAGAIN)
			return -EINPROGRESS;
		if (r)
			return r == -ERESTARTSYS ? -EINTR : r;
	}
	if (tp->state == TCP_CLOSED) {
		int e = tp->err ? tp->err : ECONNREFUSED;

		tp->err = 0;
		isk->sock->state = SS_UNCONNECTED;
		return -e;
	}
	isk->sock->state = SS_CONNECTED;
	return 0;
}

static int inet_stream_connect(struct socket *sock, const u8 *addr, int len, int flags)
{
	struct inet_sock *isk = inet_sk(sock);
	struct tcp_sock *tp = isk->tp;
	u32 ip, src;
	u16 port;
	int err;

	if (len >= 2 && ((const struct sockaddr_in *)addr)->sin_family == AF_UNSPEC) {
		if (tp->state != TCP_CLOSED && tp->state != TCP_LISTEN)
			tcp_abort(tp, 0);
		sock->state = SS_UNCONNECTED;
		return 0;
	}
	err = inet_addr_parse(addr, len, &ip, &port, false);
	if (err)
		return err;
	switch (tp->state) {
	case TCP_SYN_SENT: case TCP_SYN_RECV:
		return (flags & O_NONBLOCK) ? -EALREADY : connect_wait(isk, false);
	case TCP_CLOSED:
		break;
	case TCP_LISTEN:
		return -EISCONN;	/* Linux: any state but CLOSE is EISCONN */
	default:
		/* A non-blocking connect that has completed since: the first
		 * connect after it reports the success, later ones EISCONN. */
		if (sock->state == SS_CONNECTING)
			return connect_wait(isk, true);
		return -EISCONN;
	}
	if (tp->snd_max != 0) {
		/*
		 * This endpoint connected or tried before.  Connected once: EISCONN
		 * for good (Linux's sock->state stays SS_CONNECTED).  A failed
		 * attempt (refused, timed out, or given up with AF_UNSPEC) leaves
		 * the socket unconnected: it may connect again, as on Linux, on a
		 * port of its own if bind named none.  A non-blocking attempt
		 * that failed since reports its error first (inet_stream_connect's
		 * sock_error: the pending error, or ECONNABORTED).
		 */
		if (sock->state == SS_CONNECTED)
			return -EISCONN;
		if (sock->state == SS_CONNECTING) {
			int e = tp->err ? tp->err : ECONNABORTED;

			sock->state = SS_UNCONNECTED;
			tp->err = 0;
			return -e;
		}
		tcp_reinit(tp);
		if (!isk->port_locked) {
			tcp_unhash(tp);
			tp->sport = isk->sport = 0;
		}
		if (!isk->addr_locked)
			tp->saddr = isk->saddr = 0;
	}
	if (ip == 0)
		ip = IPV4(127, 0, 0, 1);	/* INADDR_ANY means this host */
	src = tp->saddr ? tp->saddr : ip_select_source(ip);
	if (src == 0)
		return -ENETUNREACH;
	if (port == 0)
		return -ECONNREFUSED;
	if (tp->sport == 0) {
		take_reuse(sock, tp);
		err = tcp_bind_port(tp, 0, 0);
		if (err)
			return -EAGAIN;	/* no ephemeral port: Linux says EADDRNOTAVAIL... */
	}
	if (tcp_lookup(ip, port, src, tp->sport) != NULL &&
	    tcp_lookup(ip, port, src, tp->sport)->state != TCP_LISTEN)
		return -EADDRNOTAVAIL;
	tp->saddr = src;
	tp->daddr = ip;
	tp->dport = port;
	isk->saddr = src;
	isk->sport = tp->sport;
	isk->daddr = ip;
	isk->dport = port;
	apply_bufs(sock, tp);
	tcp_set_keepalive(tp, sock->keepalive);
	err = tcp_connect(tp);
	if (err)
		return err;
	sock->state = SS_CONNECTING;
	return connect_wait(isk, (flags & O_NONBLOCK) != 0);
}

static int inet_stream_listen(struct socket *sock, int backlog)
{
	struct inet_sock *isk = inet_sk(sock);
	struct tcp_sock *tp = isk->tp;
	int err;

	if (tp->state != TCP_CLOSED && tp->state != TCP_LISTEN)
		return -EINVAL;
	if (tp->sport == 0) {
		take_reuse(sock, tp);
		err = tcp_bind_port(tp, 0, 0);
		if (err)
			return err;
		isk->sport = tp->sport;
	}
	if (tp->state == TCP_CLOSED && tcp_port_clash(tp, tp->saddr, tp->sport))
		return -EADDRINUSE;
	apply_bufs(sock, tp);
	tp->keepalive = sock->keepalive;
	return tcp_listen(tp, backlog);
}

static int inet_stream_accept(struct socket *sock, struct socket *newsock, int flags)
{
	struct inet_sock *isk = inet_sk(sock), *nisk;
	struct tcp_sock *lp = isk->tp, *c;
	u64 deadline = inet_deadline(isk->sock->rcvtimeo);

	if (lp->state != TCP_LISTEN)
		return -EINVAL;
	while ((c = tcp_accept(lp)) == NULL) {
		int r;

		if (flags & O_NONBLOCK)
			return -EAGAIN;
		r = inet_wait(&lp->wq, deadline);
		if (r)
			return r;
		if (lp->state != TCP_LISTEN)
			return -EINVAL;
	}
	nisk = inet_sock_new(newsock, SOCK_STREAM, isk->protocol);
	if (nisk == NULL) {
		tcp_abort(c, 0);
		c->orphan = true;
		tcp_destroy(c);
		return -ENOMEM;
	}
	*nisk = *isk;
	INIT_LIST_HEAD(&nisk->rxq);
	INIT_LIST_HEAD(&nisk->link);
	init_waitqueue(&nisk->wq);
	nisk->sock = newsock;
	nisk->tp = c;
	nisk->saddr = c->saddr;
	nisk->sport = c->sport;
	nisk->daddr = c->daddr;
	nisk->dport = c->dport;
	c->owner = nisk;
	newsock->sk = nisk;
	newsock->protocol = sock->protocol;
	newsock->state = SS_CONNECTED;
	newsock->sndbuf = sock->sndbuf;
	newsock->rcvbuf = sock->rcvbuf;
	newsock->keepalive = sock->keepalive;
	newsock->reuseaddr = sock->reuseaddr;
	newsock->reuseport = sock->reuseport;
	return 0;
}

static int inet_stream_getname(struct socket *sock, u8 *addr, bool peer)
{
	struct tcp_sock *tp = inet_sk(sock)->tp;

	if (peer) {
		if (tp->state == TCP_CLOSED || tp->state == TCP_LISTEN || tp->state == TCP_SYN_SENT)
			return -ENOTCONN;
		return inet_addr_fill(addr, tp->daddr, tp->dport);
	}
	return inet_addr_fill(addr, tp->saddr, tp->sport);
}

static unsigned inet_stream_poll(struct socket *sock, struct file *f, struct poll_table *pt)
{
	struct inet_sock *isk = inet_sk(sock);
	struct tcp_sock *tp = isk->tp;
	unsigned mask;

	poll_wait(f, &tp->wq, pt);
	mask = tcp_poll_mask(tp);
	if (tp->state == TCP_CLOSED && tp->snd_max == 0 && !tp->err)
		mask = POLLOUT | POLLWRNORM | POLLHUP;	/* never connected: as Linux */
	if (isk->shutdown & RCV_SHUTDOWN && tp->state != TCP_LISTEN)
		mask |= POLLIN | POLLRDNORM | POLLRDHUP;
	return mask;
}

static int inet_stream_shutdown(struct socket *sock, int how)
{
	struct inet_sock *isk = inet_sk(sock);
	struct tcp_sock *tp = isk->tp;

	if (tp->state == TCP_LISTEN) {
		if (how == SHUT_WR)
			return -ENOTCONN;
		tcp_unlisten(tp);
		wake_up_poll(&tp->wq, POLLIN | POLLHUP);
		return 0;
	}
	if (tp->state == TCP_CLOSED || tp->state == TCP_SYN_SENT)
		return -ENOTCONN;
	if (how != SHUT_WR)
		isk->shutdown |= RCV_SHUTDOWN;
	if (how != SHUT_RD) {
		isk->shutdown |= SEND_SHUTDOWN;
		tcp_shutdown_send(tp);
	}
	wake_up_poll(&tp->wq, POLLIN | POLLOUT | POLLRDHUP);
	return 0;
}

/* Waits for room to send: 0, -EAGAIN, -EPIPE..., -EINTR. May sleep. */
static long send_wait(struct inet_sock *isk, unsigned flags, u64 deadline)
{
	struct tcp_sock *tp = isk->tp;

	if (tp->err)
		return -tp->err;
	if (flags & MSG_DONTWAIT)
		return -EAGAIN;
	return inet_wait(&tp->wq, deadline);
}

static long stream_send_err(struct inet_sock *isk, unsigned flags)
{
	struct tcp_sock *tp = isk->tp;
	int e;

	if (tp->err) {
		e = tp->err;
		tp->err = 0;
		return -e;
	}
	/* Never connected, or listening: EPIPE (and SIGPIPE), as Linux's
	 * sk_stream_wait_connect gives for any state but SYN_SENT/SYN_RECV. */
	return sock_epipe(flags);
}

/*
 * One sender and one receiver at a time in a stream socket's rings: the
 * copies go straight between the guest's buffers and the rings, and a
 * copy may sleep on a page fault (Linux's lock_sock).  0, or -ERESTARTSYS.
 */
static int stream_lock(struct inet_sock *isk, bool *busy)
{
	while (*busy) {
		int r;

		isk->lock_waiters++;
		r = sleep_on(&isk->tp->wq, true);
		isk->lock_waiters--;
		if (r)
			return r;
	}
	*busy = true;
	return 0;
}

static void stream_unlock(struct inet_sock *isk, bool *busy)
{
	*busy = false;
	if (isk->lock_waiters > 0)
		wake_up_poll(&isk->tp->wq, POLLIN | POLLOUT);
}

static long copy_from_guest(void *it, u8 *dst, u32 len)
{
	return iter_copy_from(it, dst, len) < 0 ? -EFAULT : 0;
}

static long copy_to_guest(void *it, const u8 *src, u32 len)
{
	return iter_copy_to(it, src, len) < 0 ? -EFAULT : 0;
}

static long copy_discard(void *it, const u8 *src, u32 len)
{
	return 0;			/* MSG_TRUNC: the bytes go, unread */
}

static long stream_send(struct inet_sock *isk, struct kmsg *m, size_t len, unsigned flags)
{
	struct tcp_sock *tp = isk->tp;
	u64 deadline = inet_deadline(isk->sock->sndtimeo);
	size_t done = 0;
	long r = 0;

	while (done < len) {
		u32 room = tcp_send_room(tp), n = (u32)min((size_t)room, len - done);

		if (tp->state != TCP_ESTABLISHED && tp->state != TCP_CLOSE_WAIT) {
			/* Bytes already taken: their count now, the error at the next call. */
			if (done == 0)
				r = stream_send_err(isk, flags);
			break;
		}
		if (n == 0) {
			tcp_push(tp, false);
			r = send_wait(isk, flags, deadline);
			if (r)
				break;
			continue;
		}
		r = stream_lock(isk, &isk->snd_busy);
		if (r)
			break;
		r = tcp_send_copy(tp, n, copy_from_guest, &m->iter);
		stream_unlock(isk, &isk->snd_busy);
		if (r < 0)
			break;
		done += (size_t)r;
		tcp_push(tp, (flags & MSG_MORE) || done < len);
	}
	tcp_push(tp, (flags & MSG_MORE) != 0);
	if (done > 0)
		return (long)done;
	return r;
}

static long inet_stream_sendmsg(struct socket *sock, struct kmsg *m, size_t len, unsigned flags)
{
	struct inet_sock *isk = inet_sk(sock);
	struct tcp_sock *tp = isk->tp;
	long r = 0;

	if (flags & MSG_OOB)
		return -EOPNOTSUPP;
	if (tp->state == TCP_SYN_SENT || tp->state == TCP_SYN_RECV) {
		r = connect_wait(isk, (flags & MSG_DONTWAIT) != 0);
		if (r == -EINPROGRESS)
			return -EAGAIN;
		if (r)
			return r;
	}
	if ((isk->shutdown & SEND_SHUTDOWN) || (tp->state != TCP_ESTABLISHED &&
						tp->state != TCP_CLOSE_WAIT) || tp->err)
		return stream_send_err(isk, flags);
	return stream_send(isk, m, len, flags);
}

/* Waits for data: 0 to look again, 1 at end of stream, -errno. May sleep. */
static long recv_wait(struct inet_sock *isk, unsigned flags, u64 deadline)
{
	struct tcp_sock *tp = isk->tp;
	int e = tp->err;

	if (e) {
		tp->err = 0;
		return -e;
	}
	if (tp->fin_rcvd || (isk->shutdown & RCV_SHUTDOWN) || tp->state == TCP_CLOSED)
		return tp->state == TCP_CLOSED && tp->snd_max == 0 ? -ENOTCONN : 1;
	if (flags & MSG_DONTWAIT)
		return -EAGAIN;
	return inet_wait(&tp->wq, deadline);
}

static long stream_recv(struct inet_sock *isk, struct kmsg *m, size_t len, unsigned flags)
{
	struct tcp_sock *tp = isk->tp;
	u64 deadline = inet_deadline(isk->sock->rcvtimeo);
	size_t done = 0, target = (flags & MSG_WAITALL) ? len : 1;
	bool peek = (flags & MSG_PEEK) != 0;
	long r = 0;

	while (done < len) {
		if (tcp_readable(tp) > 0) {
			r = stream_lock(isk, &isk->rcv_busy);
			if (r)
				break;
			r = tcp_recv_copy(tp, (u32)min(len - done, (size_t)0x7fffffff),
					  (flags & MSG_TRUNC) ? copy_discard : copy_to_guest, &m->iter, peek);
			stream_unlock(isk, &isk->rcv_busy);
			if (r < 0)
				break;
			done += (size_t)r;
			r = 0;
			if (peek)
				break;		/* a peek shows what is there, once */
			tcp_rcv_space(tp);
			continue;
		}
		if (done >= target)
			break;
		r = recv_wait(isk, flags, deadline);
		if (r != 0)
			break;
	}
	if (done > 0)
		return (long)done;
	return r > 0 ? 0 : r;
}

static long inet_stream_recvmsg(struct socket *sock, struct kmsg *m, size_t len, unsigned flags)
{
	struct inet_sock *isk = inet_sk(sock);

	if (flags & MSG_OOB)
		return -EINVAL;		/* no urgent data is kept (SO_OOBINLINE off) */
	if (isk->tp->state == TCP_LISTEN)
		return -ENOTCONN;
	if (len == 0)
		return 0;
	return stream_recv(isk, m, len, flags);
}

static int tcp_setopt(struct tcp_sock *tp, int name, int v)
{
	switch (name) {
	case TCP_NODELAY:
		tp->nodelay = v != 0;
		if (tp->nodelay)
			tcp_push(tp, false);
		return 0;
	case TCP_CORK:
		tp->cork = v != 0;
		if (!tp->cork)
			tcp_push(tp, false);
		return 0;
	case TCP_MAXSEG:
		if (v != 0 && (v < 88 || v > 65535))
			return -EINVAL;
		tp->mss_clamp = (u32)v;
		return 0;
	case TCP_KEEPIDLE: case TCP_KEEPINTVL:
		if (v < 1 || v > 32767)
			return -EINVAL;
		if (name == TCP_KEEPIDLE)
			tp->keepidle = (u32)v;
		else
			tp->keepintvl = (u32)v;
		tcp_set_keepalive(tp, tp->keepalive);
		return 0;
	case TCP_KEEPCNT:
		if (v < 1 || v > 127)
			return -EINVAL;
		tp->keepcnt = (u32)v;
		return 0;
	case TCP_QUICKACK:
		/* tcp(7): 1 acknowledges the next segments at once (Linux's quick
		 * ACK count, at most 16), 0 lets ACKs be delayed; not permanent. */
		if (v) {
			tp->pingpong = false;
			tp->quickacks = 16;
			if (tp->unacked > 0 && tp->state >= TCP_ESTABLISHED)
				tcp_send_ack_now(tp);
		} else {
			tp->pingpong = true;
			tp->quickacks = 0;
		}
		return 0;
	}
	return -ENOPROTOOPT;
}

static int inet_stream_setsockopt(struct socket *sock, int level, int name, const u8 *val,
				  unsigned len)
{
	struct inet_sock *isk = inet_sk(sock);
	int v;

	if (level != IPPROTO_TCP)
		return inet_setsockopt_common(isk, level, name, val, len);
	if (get_int(val, len, &v) < 0)
		return -EINVAL;
	return tcp_setopt(isk->tp, name, v);
}

/* Linux's TCP_* state numbers (include/net/tcp_states.h), by enum tcp_state. */
static const u8 linux_tcp_state[] = { 7, 10, 2, 3, 1, 4, 5, 8, 11, 9, 6 };

/* TCP_INFO: the state and the figures this stack keeps (times in us). */
static int tcp_get_info(struct tcp_sock *tp, u8 *val, unsigned *len)
{
	struct tcp_info ti;

	memset(&ti, 0, sizeof(ti));
	ti.tcpi_state = linux_tcp_state[tp->state];
	ti.tcpi_ca_state = tp->in_recovery ? 3 : 0;	/* TCP_CA_Recovery, TCP_CA_Open */
	ti.tcpi_retransmits = (u8)min(tp->retries, 255);
	ti.tcpi_options = (tp->ts_ok ? 1 : 0) | (tp->sack_ok ? 2 : 0) | (tp->ws_ok ? 4 : 0);
	if (tp->ws_ok) {
		ti.tcpi_snd_wscale = tp->snd_wscale & 15;
		ti.tcpi_rcv_wscale = tp->rcv_wscale & 15;
	}
	ti.tcpi_rto = (u32)(tp->rto / 1000);
	ti.tcpi_snd_mss = tp->mss;
	ti.tcpi_rcv_mss = tp->mss;
	ti.tcpi_pmtu = tp->pmtu;
	ti.tcpi_rtt = (u32)(tp->srtt / 1000);
	ti.tcpi_rttvar = (u32)(tp->rttvar / 1000);
	ti.tcpi_snd_ssthresh = tp->mss ? tp->ssthresh / tp->mss : 0;
	ti.tcpi_snd_cwnd = tp->mss ? tp->cwnd / tp->mss : 0;
	ti.tcpi_advmss = tp->mss;
	ti.tcpi_reordering = 3;
	ti.tcpi_unacked = tp->mss ? (tp->snd_max - tp->snd_una + tp->mss - 1) / tp->mss : 0;
	memcpy(val, &ti, sizeof(ti));
	*len = sizeof(ti);
	return 0;
}

static int inet_stream_getsockopt(struct socket *sock, int level, int name, u8 *val, unsigned *len)
{
	struct inet_sock *isk = inet_sk(sock);
	struct tcp_sock *tp = isk->tp;
	int v;

	if (level != IPPROTO_TCP)
		return inet_getsockopt_common(isk, level, name, val, len);
	if (name == TCP_INFO)
		return tcp_get_info(tp, val, len);
	switch (name) {
	case TCP_NODELAY:	v = tp->nodelay; break;
	case TCP_CORK:		v = tp->cork; break;
	case TCP_MAXSEG:	v = (int)(tp->state >= TCP_ESTABLISHED ? tp->mss :
				  tp->mss_clamp ? tp->mss_clamp : TCP_MSS_DEFAULT); break;
	case TCP_KEEPIDLE:	v = (int)tp->keepidle; break;
	case TCP_KEEPINTVL:	v = (int)tp->keepintvl; break;
	case TCP_KEEPCNT:	v = (int)tp->keepcnt; break;
	case TCP_QUICKACK:	v = !tp->pingpong; break;
	default:		return -ENOPROTOOPT;
	}
	memcpy(val, &v, sizeof(v));
	*len = sizeof(v);
	return 0;
}

static long inet_stream_ioctl(struct socket *sock, unsigned cmd, u64 arg)
{
	struct tcp_sock *tp = inet_sk(sock)->tp;
	int v;

	switch (cmd) {
	case SIOCINQ:
		if (tp->state == TCP_LISTEN)
			return -EINVAL;
		v = (int)tcp_readable(tp);
		break;
	case SIOCOUTQ:
		if (tp->state == TCP_LISTEN)
			return -EINVAL;
		v = (int)tp->sndq.len;
		break;
	case SIOCATMARK:
		v = 0;		/* urgent data is not kept apart: never at a mark */
		break;
	default:
		return inet_dev_ioctl(cmd, arg);
	}
	return put_user(v, UADDR(arg)) < 0 ? -EFAULT : 0;
}

static void inet_stream_sockopt_changed(struct socket *sock, int name)
{
	struct tcp_sock *tp = inet_sk(sock)->tp;

	if (name == SO_KEEPALIVE)
		tcp_set_keepalive(tp, sock->keepalive);
	else if (name == SO_REUSEADDR)
		tp->reuseaddr = sock->reuseaddr;
	else if (name == SO_REUSEPORT && tp->sport == 0)
		tp->reuseport = sock->reuseport;
	else if ((name == SO_RCVBUF || name == SO_SNDBUF) && tp->state == TCP_CLOSED)
		apply_bufs(sock, tp);
}

static const struct proto_ops inet_stream_ops = {
	.family = AF_INET,
	.release = inet_stream_release,
	.bind = inet_stream_bind,
	.connect = inet_stream_connect,
	.accept = inet_stream_accept,
	.getname = inet_stream_getname,
	.poll = inet_stream_poll,
	.listen = inet_stream_listen,
	.shutdown = inet_stream_shutdown,
	.setsockopt = inet_stream_setsockopt,
	.getsockopt = inet_stream_getsockopt,
	.sendmsg = inet_stream_sendmsg,
	.recvmsg = inet_stream_recvmsg,
	.ioctl = inet_stream_ioctl,
	.sockopt_changed = inet_stream_sockopt_changed,
};

int inet_family_create(struct socket *sock, int type, int protocol, bool kern)
{
	struct inet_sock *isk;

	if (type == SOCK_STREAM && protocol != 0 && protocol != IPPROTO_TCP)
		return -EPROTONOSUPPORT;
	if (type != SOCK_STREAM && type != SOCK_DGRAM && type != SOCK_RAW)
		return -ESOCKTNOSUPPORT;
	if (type == SOCK_RAW && current->euid != 0)
		return -EPERM;
	isk = inet_sock_new(sock, type, protocol);
	if (isk == NULL)
		return -ENOMEM;
	sock->sk = isk;
	if (type == SOCK_STREAM) {
		isk->protocol = IPPROTO_TCP;
		sock->protocol = IPPROTO_TCP;
		isk->tp = tcp_alloc(&tcp_v4_ops, isk);
		if (isk->tp == NULL) {
			kfree(isk);
			sock->sk = NULL;
			return -ENOMEM;
		}
		isk->tp->ttl = isk->ttl;
		sock->ops = &inet_stream_ops;
		return 0;
	}
	return inet_dgram_create(isk);
}

/* ---- /proc/net/tcp ---- */

size_t net_proc_tcp(char *buf, size_t len)
{
	const u8 *st = linux_tcp_state;
	struct tcp_sock *t;
	size_t n = 0;
	int i = 0;

	n += ksnprintf(buf + n, len - n, "  sl  local_address rem_address   st tx_queue rx_queue tr "
		       "tm->when retrnsmt   uid  timeout inode\n");
	list_for_each_entry(t, &tcp_socks, hash_link) {
		if (n >= len)
			break;
		n += ksnprintf(buf + n, len - n,
			       "%4d: %08X:%04X %08X:%04X %02X %08X:%08X 00:00000000 00000000     0"
			       "        0 0 1 0000000000000000\n",
			       i++, t->saddr, be16_to_cpu(t->sport), t->daddr, be16_to_cpu(t->dport),
			       st[t->state], t->sndq.len, t->rcvq.len);
	}
	return min(n, len);
}
