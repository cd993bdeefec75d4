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

bool ipv6_bindv6only;

int inet_addr_parse(int family, const u8 *addr, int len, struct in6k *ip, u16 *port, u32 *scope,
		    bool allow_unspec, bool v4ok)
{
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;
	u16 fam;

	*scope = 0;
	if (len < 2)
		return -EINVAL;
	memcpy(&fam, addr, 2);
	if (family == AF_INET || (v4ok && fam == AF_INET)) {
		if (len < (int)sizeof(sin))
			return -EINVAL;
		memcpy(&sin, addr, sizeof(sin));
		if (sin.sin_family != AF_INET && !(allow_unspec && sin.sin_family == AF_UNSPEC))
			return -EAFNOSUPPORT;
		*ip = in6_mapped(sin.sin_addr.s_addr);
		*port = sin.sin_port;
		return 0;
	}
	if (len < SIN6_LEN_RFC2133)
		return -EINVAL;
	memset(&sin6, 0, sizeof(sin6));
	memcpy(&sin6, addr, min((size_t)len, sizeof(sin6)));
	if (sin6.sin6_family != AF_INET6)
		return -EAFNOSUPPORT;
	memcpy(ip, &sin6.sin6_addr, 16);
	*port = sin6.sin6_port;
	if (len >= (int)sizeof(sin6))
		*scope = sin6.sin6_scope_id;
	return 0;
}

int inet_addr_fill(int family, u8 *addr, const struct in6k *ip, u16 port, u32 scope)
{
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;

	if (family == AF_INET) {
		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		sin.sin_port = port;
		sin.sin_addr.s_addr = in6_v4(ip);
		memcpy(addr, &sin, sizeof(sin));
		return (int)sizeof(sin);
	}
	memset(&sin6, 0, sizeof(sin6));
	sin6.sin6_family = AF_INET6;
	sin6.sin6_port = port;
	memcpy(&sin6.sin6_addr, ip, 16);
	sin6.sin6_scope_id = in6_is_linklocal(ip) ? scope : 0;
	memcpy(addr, &sin6, sizeof(sin6));
	return (int)sizeof(sin6);
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

/* IPPROTO_IPV6 options (ipv6(7)) of an AF_INET6 socket. */
static int set_ipv6_opt(struct inet_sock *isk, int name, int v)
{
	switch (name) {
	case IPV6_V6ONLY:
		if (isk->sport != 0 || (isk->tp && isk->tp->sport != 0))
			return -EINVAL;		/* bound already */
		isk->v6only = v != 0;
		if (isk->tp)
			isk->tp->v6only = isk->v6only;
		return 0;
	case IPV6_UNICAST_HOPS:
		if (v < -1 || v > 255)
			return -EINVAL;
		isk->hops = v;
		break;
	case IPV6_TCLASS:
		if (v < -1 || v > 255)
			return -EINVAL;
		isk->tclass = v < 0 ? 0 : (u8)v;
		break;
	case IPV6_RECVPKTINFO:	isk->rxpktinfo6 = v != 0; return 0;
	case IPV6_RECVHOPLIMIT:	isk->recvhops6 = v != 0; return 0;
	case IPV6_RECVTCLASS:	isk->recvtclass6 = v != 0; return 0;
	case IPV6_2292PKTINFO:	isk->rxpktinfo2292 = v != 0; return 0;
	case IPV6_2292HOPLIMIT:	isk->recvhops2292 = v != 0; return 0;
	case IPV6_RECVERR:	isk->recverr = v != 0; return 0;
	case IPV6_MTU_DISCOVER:
		if (v < IP_PMTUDISC_DONT || v > IP_PMTUDISC_OMIT)
			return -EINVAL;
		isk->pmtudisc = v;
		return 0;
	default:
		return -ENOPROTOOPT;
	}
	if (isk->tp) {
		isk->tp->hops6 = isk->hops < 0 ? 0 : (u8)isk->hops;
		isk->tp->tclass6 = isk->tclass;
	}
	return 0;
}

static int get_ipv6_opt(const struct inet_sock *isk, int name, int *v)
{
	switch (name) {
	case IPV6_V6ONLY:	*v = isk->v6only; break;
	case IPV6_UNICAST_HOPS:	*v = isk->hops < 0 ? IPV6_DEFAULT_HOPS : isk->hops; break;
	case IPV6_TCLASS:	*v = isk->tclass; break;
	case IPV6_RECVPKTINFO:	*v = isk->rxpktinfo6; break;
	case IPV6_RECVHOPLIMIT:	*v = isk->recvhops6; break;
	case IPV6_RECVTCLASS:	*v = isk->recvtclass6; break;
	case IPV6_2292PKTINFO:	*v = isk->rxpktinfo2292; break;
	case IPV6_2292HOPLIMIT:	*v = isk->recvhops2292; break;
	case IPV6_RECVERR:	*v = isk->recverr; break;
	case IPV6_MTU_DISCOVER:	*v = isk->pmtudisc; break;
	default:		return -ENOPROTOOPT;
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
	if (level == IPPROTO_IPV6 && isk->family == AF_INET6) {
		if (get_int(val, len, &v) < 0)
			return -EINVAL;
		return set_ipv6_opt(isk, name, v);
	}
	if (isk->family == AF_INET6 && isk->type == SOCK_RAW && isk->protocol == IPPROTO_ICMPV6) {
		if (level == IPPROTO_ICMPV6 && name == 1 /* ICMP6_FILTER */) {
			memset(isk->icmp6_filter, 0, sizeof(isk->icmp6_filter));
			memcpy(isk->icmp6_filter, val, min(len, (unsigned)sizeof(isk->icmp6_filter)));
			return 0;
		}
		if (level == 255 /* SOL_RAW */ && name == IPV6_CHECKSUM) {
			/* ICMPv6 is always summed at offset 2; an odd offset is EINVAL as on Linux */
			if (get_int(val, len, &v) < 0)
				return -EINVAL;
			return v > 0 && (v & 1) ? -EINVAL : 0;
		}
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
	} else if (level == IPPROTO_IPV6 && isk->family == AF_INET6) {
		int r = get_ipv6_opt(isk, name, &v);

		if (r)
			return r;
	} else {
		return -EOPNOTSUPP;	/* Linux's ip_getsockopt for any other level */
	}
	memcpy(val, &v, sizeof(v));
	*len = sizeof(v);
	return 0;
}

/* ---- TCP ports and lookup ---- */

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
static bool tcp_port_clash(struct tcp_sock *tp, const struct in6k *addr, u16 port)
{
	struct tcp_sock *t;

	list_for_each_entry(t, &tcp_socks, hash_link) {
		if (t == tp || t->sport != port ||
		    !inet_addr_overlap(t->family, t->v6only, &t->saddr, tp->family, tp->v6only, addr))
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
static int tcp_bind_port(struct tcp_sock *tp, const struct in6k *addr, u16 port)
{
	u32 start, i, range = PORT_HIGH - PORT_LOW + 1;

	if (port != 0) {
		if (tcp_port_clash(tp, addr, port))
			return -EADDRINUSE;
		tp->saddr = *addr;
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
			tp->saddr = *addr;
			tp->sport = p;
			tcp_hash(tp);
			return 0;
		}
	}
	return -EADDRINUSE;
}

/* Which of n sockets of a SO_REUSEPORT group takes the flow from saddr:sport. */
u32 reuseport_index(const struct in6k *saddr, u16 sport, u32 n)
{
	u32 h = (saddr->w[0] ^ saddr->w[1] ^ saddr->w[2] ^ saddr->w[3] ^ ((u32)sport << 16 | sport)) *
		0x9e3779b1u;

	return (h >> 16) % n;
}

/*
 * The endpoint for a segment from saddr:sport to daddr:dport: the
 * connection with that four-tuple, else the listener on dport whose
 * address takes daddr (one bound to daddr itself before a wildcard).
 */
static struct tcp_sock *tcp_lookup(const struct in6k *saddr, u16 sport, const struct in6k *daddr,
				   u16 dport)
{
	struct tcp_sock *t, *listener = NULL;
	u32 n = 0, k;

	list_for_each_entry(t, &tcp_socks, hash_link) {
		if (t->sport != dport)
			continue;
		if (t->state == TCP_LISTEN) {
			if (!inet_addr_match(t->family, t->v6only, &t->saddr, daddr))
				continue;
			if (listener == NULL || (in6_eq(&t->saddr, daddr) && !in6_eq(&listener->saddr, daddr)))
				listener = t;
		} else if (t->state != TCP_CLOSED && t->dport == sport && in6_eq(&t->daddr, saddr) &&
			   in6_eq(&t->saddr, daddr)) {
			return t;
		}
	}
	if (listener == NULL || !listener->reuseport)
		return listener;
	/* SO_REUSEPORT: the flow's hash picks one listener of the group. */
#define SAME_GROUP(t) ((t)->state == TCP_LISTEN && (t)->sport == dport && \
		       in6_eq(&(t)->saddr, &listener->saddr) && (t)->family == listener->family && \
		       (t)->reuseport && (t)->uid == listener->uid)
	list_for_each_entry(t, &tcp_socks, hash_link)
		if (SAME_GROUP(t))
			n++;
	k = reuseport_index(saddr, sport, n);
	list_for_each_entry(t, &tcp_socks, hash_link)
		if (SAME_GROUP(t) && k-- == 0)
			return t;
#undef SAME_GROUP
	return listener;
}

/* ---- TCP engine hooks ---- */

/* A segment of tp's out by IPv4 (v4-mapped addresses) or IPv6. */
static void tcp_xmit(struct tcp_sock *tp, struct sk_buff *skb)
{
	struct tcphdr_w *th = (struct tcphdr_w *)skb->data;

	th->check = 0;
	skb->csum_off = offsetof(struct tcphdr_w, check);	/* the IP layer sums it, but not for lo */
	if (in6_is_mapped(&skb->daddr6)) {
		u32 daddr = in6_v4(&skb->daddr6), saddr = in6_v4(&skb->saddr6);

		if (saddr == 0)
			saddr = ip_select_source(daddr);
		ip_output(skb, saddr, daddr, IPPROTO_TCP, tp->ttl ? tp->ttl : IP_DEFAULT_TTL, tp->tos, true);
		return;
	}
	if (in6_is_any(&skb->saddr6) && ip6_select_source(&skb->daddr6, &skb->saddr6) < 0) {
		kfree_skb(skb);
		return;
	}
	ip6_output(skb, &skb->saddr6, &skb->daddr6, IPPROTO_TCP, tp->hops6 ? tp->hops6 : IPV6_DEFAULT_HOPS,
		   tp->tclass6);
}

static void tcp_destroy(struct tcp_sock *tp)
{
	tcp_unhash(tp);
	tcp_free(tp);
}

static u32 tcp_route_mtu(struct tcp_sock *tp)
{
	const struct route *r;
	struct netdevice *dev;

	if (in6_is_mapped(&tp->daddr)) {
		r = ip_route(in6_v4(&tp->daddr));
		return r ? r->dev->mtu : 0;
	}
	/* The engine takes 20 bytes of IP header off: the 20 more of IPv6 are taken here. */
	dev = ip6_route(&tp->daddr);
	return dev ? dev->mtu - (IPV6_HDR - 20) : 0;
}

static struct tcp_sock *tcp_child(struct tcp_sock *lp);
static const struct tcp_ops tcp_inet_ops = { tcp_xmit, tcp_child, tcp_destroy, tcp_route_mtu };

static struct tcp_sock *tcp_child(struct tcp_sock *lp)
{
	struct tcp_sock *c = tcp_alloc(&tcp_inet_ops, NULL);

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
	c->hops6 = lp->hops6;
	c->tclass6 = lp->tclass6;
	c->linger0 = lp->linger0;
	c->family = lp->family;
	c->v6only = lp->v6only;
	c->hashed = true;
	list_add(&c->hash_link, &tcp_socks);
	return c;
}

/* A segment from IPv4 or IPv6 (skb->saddr6/daddr6 set, data at the TCP header). */
static void tcp_inet_rcv(struct sk_buff *skb, u32 psum)
{
	const struct tcphdr_w *th = (const struct tcphdr_w *)skb->data;
	struct tcp_sock *tp;

	if (skb->len < sizeof(*th) ||
	    (!skb->csum_off &&		/* not from this host over loopback: verify */
	     csum_fold(csum_partial(skb->data, skb->len, psum)) != 0)) {
		kfree_skb(skb);
		return;
	}
	tp = tcp_lookup(&skb->saddr6, th->source, &skb->daddr6, th->dest);
	if (tp == NULL) {
		tcp_reset_reply(skb, tcp_xmit);
		kfree_skb(skb);
		return;
	}
	tcp_rcv(tp, skb);
}

void tcp_v4_rcv(struct sk_buff *skb)
{
	tcp_inet_rcv(skb, csum_pseudo(skb->saddr, skb->daddr, IPPROTO_TCP, (u16)skb->len));
}

void tcp_v6_rcv(struct sk_buff *skb)
{
	tcp_inet_rcv(skb, csum_pseudo6(&skb->saddr6, &skb->daddr6, IPPROTO_TCP, skb->len));
}

void tcp_err(const struct in6k *saddr, const struct in6k *daddr, const u8 *l4, int err, u32 mtu)
{
	const struct tcphdr_w *th = (const struct tcphdr_w *)l4;
	struct tcp_sock *tp = tcp_lookup(daddr, th->dest, saddr, th->source);

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
	isk->family = sock->family;
	isk->v6only = sock->family == AF_INET6 && ipv6_bindv6only;
	isk->hops = -1;
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

/* Whether ip may be bound by a socket of family: 0, -EINVAL, -EADDRNOTAVAIL. */
int inet_bind_addr_ok(const struct inet_sock *isk, const struct in6k *ip, u32 scope)
{
	if (in6_is_any(ip))
		return 0;
	if (in6_is_mapped(ip)) {
		u32 v4 = in6_v4(ip);

		if (isk->family == AF_INET6 && isk->v6only)
			return -EINVAL;		/* Linux's __inet6_bind */
		if (v4 != 0 && !ip_is_local(v4) && (v4 & 0xf0) != 0xe0)
			return -EADDRNOTAVAIL;
		return 0;
	}
	if (in6_is_linklocal(ip) && scope == 0)
		return -EINVAL;			/* a link-local address needs its interface */
	if (scope != 0 && dev_get_by_index((int)scope) == NULL)
		return -ENODEV;
	if (!ip6_is_local(ip) && !in6_is_multicast(ip))
		return -EADDRNOTAVAIL;
	return 0;
}

/* The address and port bind(2) names, checked: 0 or -errno. */
static int inet_bind_check(struct inet_sock *isk, const u8 *addr, int len, struct in6k *ip, u16 *port)
{
	u32 scope;
	int err = inet_addr_parse(isk->family, addr, len, ip, port, &scope, isk->family == AF_INET, false);

	if (err)
		return err;
	if (isk->family == AF_INET && ((const struct sockaddr_in *)addr)->sin_family == AF_UNSPEC &&
	    !in6_is_any(ip))
		return -EAFNOSUPPORT;
	err = inet_bind_addr_ok(isk, ip, scope);
	if (err)
		return err;
	if (*port != 0 && be16_to_cpu(*port) < 1024 && current->euid != 0)
		return -EACCES;
	isk->scope_id = in6_is_linklocal(ip) ? scope : 0;
	return 0;
}

static int inet_stream_bind(struct socket *sock, const u8 *addr, int len)
{
	struct inet_sock *isk = inet_sk(sock);
	struct in6k ip;
	u16 port;
	int err = inet_bind_check(isk, addr, len, &ip, &port);

	if (err)
		return err;
	if (isk->tp->sport != 0 || isk->tp->state != TCP_CLOSED)
		return -EINVAL;
	take_reuse(sock, isk->tp);
	isk->tp->v6only = isk->v6only;
	err = tcp_bind_port(isk->tp, &ip, port);
	if (err == 0) {
		isk->sport = isk->tp->sport, isk->saddr = ip;
		isk->port_locked = port != 0;	/* kept over a failed connect */
		isk->addr_locked = !in6_is_any(&ip);
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

/*
 * The peer connect(2) names, made usable: the wildcard means this host
 * (127.0.0.1, ::1), an AF_INET6 socket reaches IPv4 only by a
 * v4-mapped address and not under IPV6_V6ONLY; *src the source the
 * socket's bound address or the route gives.  0, -ENETUNREACH.
 */
int inet_connect_dst(struct inet_sock *isk, struct in6k *ip, struct in6k *src)
{
	const struct in6k *bound = &isk->saddr;

	if (in6_is_any(ip) || in6_is_mapped_any(ip))
		*ip = isk->family == AF_INET || in6_is_mapped(bound) || in6_is_mapped(ip) ?
			in6_mapped(IPV4(127, 0, 0, 1)) : in6k_loopback;
	if (in6_is_mapped(ip)) {
		u32 s4;

		if (isk->family == AF_INET6 && isk->v6only)
			return -ENETUNREACH;
		if (!in6_is_v4(bound) || ip_route(in6_v4(ip)) == NULL)
			return -ENETUNREACH;	/* bound to an IPv6 address, or no route */
		s4 = in6_v4(bound) ? in6_v4(bound) : ip_select_source(in6_v4(ip));
		*src = in6_mapped(s4);		/* :: if the device has no address yet */
		return 0;
	}
	if (in6_is_mapped(bound))
		return -ENETUNREACH;		/* bound to an IPv4 address */
	if (!in6_is_any(bound)) {
		if (ip6_route(ip) == NULL)
			return -ENETUNREACH;
		*src = *bound;
		return 0;
	}
	return ip6_select_source(ip, src);
}

static int inet_stream_connect(struct socket *sock, const u8 *addr, int len, int flags)
{
	struct inet_sock *isk = inet_sk(sock);
	struct tcp_sock *tp = isk->tp;
	struct in6k ip, src;
	u32 scope;
	u16 port;
	int err;

	if (len >= 2 && ((const struct sockaddr_in *)addr)->sin_family == AF_UNSPEC) {
		if (tp->state != TCP_CLOSED && tp->state != TCP_LISTEN)
			tcp_abort(tp, 0);
		sock->state = SS_UNCONNECTED;
		return 0;
	}
	err = inet_addr_parse(isk->family, addr, len, &ip, &port, &scope, false, false);
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
			tp->saddr = isk->saddr = in6k_any;
	}
	err = inet_connect_dst(isk, &ip, &src);
	if (err)
		return err;
	if (in6_is_any(&src))
		return -ENETUNREACH;
	if (port == 0)
		return -ECONNREFUSED;
	if (tp->sport == 0) {
		take_reuse(sock, tp);
		tp->v6only = isk->v6only;
		err = tcp_bind_port(tp, &in6k_any, 0);
		if (err)
			return -EAGAIN;	/* no ephemeral port: Linux says EADDRNOTAVAIL... */
	}
	if (tcp_lookup(&ip, port, &src, tp->sport) != NULL &&
	    tcp_lookup(&ip, port, &src, tp->sport)->state != TCP_LISTEN)
		return -EADDRNOTAVAIL;
	tp->saddr = src;
	tp->daddr = ip;
	tp->dport = port;
	isk->saddr = src;
	isk->sport = tp->sport;
	isk->daddr = ip;
	if (in6_is_linklocal(&ip))
		isk->scope_id = scope;
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
		tp->v6only = isk->v6only;
		err = tcp_bind_port(tp, &in6k_any, 0);
		if (err)
			return err;
		isk->sport = tp->sport;
	}
	if (tp->state == TCP_CLOSED && tcp_port_clash(tp, &tp->saddr, tp->sport))
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
		return inet_addr_fill(tp->family, addr, &tp->daddr, tp->dport, inet_sk(sock)->scope_id);
	}
	return inet_addr_fill(tp->family, addr, &tp->saddr, tp->sport, inet_sk(sock)->scope_id);
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
	if (sock->family == AF_INET6 && type == SOCK_RAW && protocol != IPPROTO_ICMPV6)
		return -EPROTONOSUPPORT;	/* raw IPv6 sockets: ICMPv6 only */
	isk = inet_sock_new(sock, type, protocol);
	if (isk == NULL)
		return -ENOMEM;
	sock->sk = isk;
	if (type == SOCK_STREAM) {
		isk->protocol = IPPROTO_TCP;
		sock->protocol = IPPROTO_TCP;
		isk->tp = tcp_alloc(&tcp_inet_ops, isk);
		if (isk->tp == NULL) {
			kfree(isk);
			sock->sk = NULL;
			return -ENOMEM;
		}
		isk->tp->ttl = isk->ttl;
		isk->tp->family = isk->family;
		isk->tp->v6only = isk->v6only;
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
		if (t->family != AF_INET)
			continue;
		n += ksnprintf(buf + n, len - n,
			       "%4d: %08X:%04X %08X:%04X %02X %08X:%08X 00:00000000 00000000     0"
			       "        0 0 1 0000000000000000\n",
			       i++, in6_v4(&t->saddr), be16_to_cpu(t->sport), in6_v4(&t->daddr),
			       be16_to_cpu(t->dport), st[t->state], t->sndq.len, t->rcvq.len);
	}
	return min(n, len);
}

/* /proc/net/tcp6: the AF_INET6 sockets (v4-mapped peers too), each address as four words. */
size_t net_proc_tcp6(char *buf, size_t len)
{
	const u8 *st = linux_tcp_state;
	struct tcp_sock *t;
	size_t n = 0;
	int i = 0;

	n += ksnprintf(buf + n, len - n, "  sl  local_address                         "
		       "remote_address                        st tx_queue rx_queue tr tm->when "
		       "retrnsmt   uid  timeout inode\n");
	list_for_each_entry(t, &tcp_socks, hash_link) {
		const u32 *a = t->saddr.w, *b = t->daddr.w;

		if (n >= len)
			break;
		if (t->family != AF_INET6)
			continue;
		n += ksnprintf(buf + n, len - n,
			       "%4d: %08X%08X%08X%08X:%04X %08X%08X%08X%08X:%04X %02X %08X:%08X "
			       "00:00000000 00000000     0        0 0 1 0000000000000000\n",
			       i++, a[0], a[1], a[2], a[3], be16_to_cpu(t->sport), b[0], b[1], b[2], b[3],
			       be16_to_cpu(t->dport), st[t->state], t->sndq.len, t->rcvq.len);
	}
	return min(n, len);
}
