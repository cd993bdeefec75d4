/*
 * udp.c - AF_INET datagram sockets: UDP (RFC 768, udp(7)), raw sockets
 * (raw(7): SOCK_RAW, a copy of every packet of their protocol, IP header
 * included; IP_HDRINCL sends one whole) and ICMP "ping" sockets
 * (SOCK_DGRAM + IPPROTO_ICMP: echo requests out, the replies with their
 * identifier in, as Linux's net/ipv4/ping.c).
 *
 * All three keep received datagrams as skbs on isk->rxq (skb->data at
 * what recvmsg returns, skb->saddr/sport the source), bounded by
 * SO_RCVBUF; udp_socks holds every bound UDP and ping socket (a ping
 * socket's "port" is its echo identifier), raw_socks every raw one.
 */
#include "kernel/kernel.h"
#include "kernel/fs.h"
#include "kernel/groups.h"
#include "kernel/inet.h"
#include "kernel/net.h"
#include "kernel/mm.h"
#include "kernel/page.h"
#include "kernel/sched.h"
#include "shared/os.h"
#include "uapi/asm-generic/poll.h"
#include "uapi/asm/ioctls.h"

LIST_HEAD(udp_socks);
LIST_HEAD(raw_socks);
#define UDP_HDR		8
#define UDP_MAX		(65535 - 20 - UDP_HDR)
#define SKB_TRUESIZE(n)	((n) + 256)	/* what a queued datagram costs against SO_RCVBUF */

static const struct proto_ops inet_dgram_ops;

static struct inet_sock *inet_sk(struct socket *sock)
{
	return sock->sk;
}

static bool is_ping(const struct inet_sock *isk)
{
	return isk->type == SOCK_DGRAM && (isk->protocol == IPPROTO_ICMP || isk->protocol == IPPROTO_ICMPV6);
}

/* ---- ports ---- */

static bool udp_port_clash(struct inet_sock *isk, const struct in6k *addr, u16 port, bool reuse)
{
	struct inet_sock *o;

	list_for_each_entry(o, &udp_socks, link) {
		if (o == isk || o->sport != port || is_ping(o) != is_ping(isk))
			continue;
		if (!inet_addr_overlap(o->family, o->v6only, &o->saddr, isk->family, isk->v6only, addr))
			continue;
		if (reuse && o->sock && o->sock->reuseaddr)
			continue;
		if (isk->sock->reuseport && o->sock && o->sock->reuseport && o->sock->uid == isk->sock->uid)
			continue;	/* socket(7): both SO_REUSEPORT, one owner */
		return true;
	}
	return false;
}

static int udp_bind_port(struct inet_sock *isk, const struct in6k *addr, u16 port)
{
	bool reuse = isk->sock->reuseaddr;
	u32 start, i, range = INET_PORT_HIGH - INET_PORT_LOW + 1;

	if (port == 0) {
		os_getrandom(&start, sizeof(start));
		for (i = 0; i < range; i++) {
			u16 p = cpu_to_be16((u16)(INET_PORT_LOW + (start + i) % range));

			if (!udp_port_clash(isk, addr, p, false)) {
				port = p;
				break;
			}
		}
		if (port == 0)
			return -EADDRINUSE;
	} else if (udp_port_clash(isk, addr, port, reuse)) {
		return -EADDRINUSE;
	}
	isk->saddr = *addr;
	isk->sport = port;
	if (!isk->on_list) {
		list_add_tail(&isk->link, &udp_socks);
		isk->on_list = true;
	}
	return 0;
}

/* ---- receive ---- */

/* Queues skb (data at what the reader gets) on isk; owns skb. */
static void dgram_queue(struct inet_sock *isk, struct sk_buff *skb)
{
	u32 cost = SKB_TRUESIZE(skb->len);

	if (isk->rx_bytes + cost > (u32)isk->sock->rcvbuf || (isk->shutdown & RCV_SHUTDOWN)) {
		isk->drops++;
		kfree_skb(skb);
		return;
	}
	isk->rx_bytes += cost;
	skb->dropcount = isk->sock->rxq_ovfl ? (u32)isk->drops : 0;
	list_add_tail(&skb->list, &isk->rxq);
	wake_up_poll(&isk->wq, POLLIN | POLLRDNORM);
}

static bool udp_match(const struct inet_sock *isk, const struct sk_buff *skb, u16 sport, u16 dport)
{
	if (is_ping(isk) || isk->sport != dport)
		return false;
	if (in6_is_mapped(&skb->daddr6) && skb->daddr == 0xffffffff) {
		if (!inet_addr_match(isk->family, isk->v6only, &in6k_any, &skb->daddr6))
			return false;	/* the limited broadcast reaches every bound address */
	} else if (!inet_addr_match(isk->family, isk->v6only, &isk->saddr, &skb->daddr6)) {
		return false;
	}
	if (isk->connected && (!in6_eq(&isk->daddr, &skb->saddr6) || isk->dport != sport))
		return false;
	return true;
}

/* SO_REUSEPORT: among the unconnected sockets bound as best is, the flow's hash picks one. */
static struct inet_sock *reuseport_pick(struct inet_sock *best, const struct sk_buff *skb)
{
	struct inet_sock *isk;
	u32 n = 0, k;

#define SAME_GROUP(o) ((o)->sock && (o)->sock->reuseport && !(o)->connected && !is_ping(o) && \
		       (o)->sport == best->sport && in6_eq(&(o)->saddr, &best->saddr) && \
		       (o)->sock->uid == best->sock->uid)
	list_for_each_entry(isk, &udp_socks, link)
		if (SAME_GROUP(isk))
			n++;
	k = reuseport_index(&skb->saddr6, skb->sport, n);
	list_for_each_entry(isk, &udp_socks, link)
		if (SAME_GROUP(isk) && k-- == 0)
			return isk;
#undef SAME_GROUP
	return best;
}

/* A datagram from IPv4 (v6 false) or IPv6, skb->saddr6/daddr6 set. */
static void udp_inet_rcv(struct sk_buff *skb, bool v6)
{
	const struct udphdr_w *uh = (const struct udphdr_w *)skb->data;
	struct inet_sock *isk, *best = NULL;
	bool bcast;
	u32 ulen, psum;

	if (v6)
		bcast = in6_is_multicast(&skb->daddr6);
	else
		bcast = skb->daddr == 0xffffffff || (skb->daddr & 0xf0) == 0xe0 || !ip_is_local(skb->daddr) ||
			(skb->dev && skb->daddr == (skb->dev->ip | ~skb->dev->mask));
	if (skb->len < UDP_HDR || (ulen = be16_to_cpu(uh->len)) < UDP_HDR || ulen > skb->len)
		goto drop;
	skb_trim(skb, ulen);
	psum = v6 ? csum_pseudo6(&skb->saddr6, &skb->daddr6, IPPROTO_UDP, skb->len) :
		    csum_pseudo(skb->saddr, skb->daddr, IPPROTO_UDP, (u16)skb->len);
	/* IPv6 makes the checksum mandatory (RFC 8200 8.1): a zero one is dropped */
	if ((v6 && uh->check == 0) ||
	    (uh->check != 0 && !skb->csum_off && csum_fold(csum_partial(skb->data, skb->len, psum)) != 0))
		goto drop;
	skb->sport = uh->source;
	skb->dport = uh->dest;
	list_for_each_entry(isk, &udp_socks, link) {
		if (!udp_match(isk, skb, uh->source, uh->dest))
			continue;
		if (bcast) {		/* every listener of a broadcast gets a copy */
			struct sk_buff *c = skb_copy(skb);

			if (c) {
				skb_pull(c, UDP_HDR);
				dgram_queue(isk, c);
			}
			best = isk;
			continue;
		}
		if (best == NULL || (isk->connected && !best->connected) ||
		    (!in6_is_any(&isk->saddr) && in6_is_any(&best->saddr) && isk->connected == best->connected))
			best = isk;
	}
	if (bcast)
		goto drop;
	if (best != NULL && best->sock && best->sock->reuseport && !best->connected)
		best = reuseport_pick(best, skb);
	if (best == NULL) {
		skb_push(skb, skb->nhlen);	/* the error quotes the IP header */
		if (v6)
			icmp6_send(skb, ICMPV6_DEST_UNREACH, ICMPV6_PORT_UNREACH, 0);
		else
			icmp_send(skb, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, 0);
		goto drop;
	}
	skb_pull(skb, UDP_HDR);
	dgram_queue(best, skb);
	return;
drop:
	kfree_skb(skb);
}

void udp_rcv(struct sk_buff *skb)
{
	udp_inet_rcv(skb, false);
}

void udp_v6_rcv(struct sk_buff *skb)
{
	udp_inet_rcv(skb, true);
}

void udp_err(const struct in6k *saddr, const struct in6k *daddr, const u8 *l4, int err)
{
	const struct udphdr_w *uh = (const struct udphdr_w *)l4;
	struct inet_sock *isk;

	list_for_each_entry(isk, &udp_socks, link) {
		if (is_ping(isk) || isk->sport != uh->source)
			continue;
		/* udp(7): errors reach only connected sockets, or IP_RECVERR ones */
		if (!(isk->connected && in6_eq(&isk->daddr, daddr) && isk->dport == uh->dest) &&
		    !isk->recverr)
			continue;
		if (!inet_addr_match(isk->family, isk->v6only, &isk->saddr, saddr))
			continue;
		isk->err = err;
		wake_up_poll(&isk->wq, POLLERR);
	}
}

bool raw_has_proto(u8 proto)
{
	struct inet_sock *isk;

	list_for_each_entry(isk, &raw_socks, link)
		if (isk->protocol == proto || isk->protocol == IPPROTO_RAW)
			return true;
	return false;
}

/* An echo reply for a ping socket (data at the ICMP header). */
static void ping_rcv(struct sk_buff *skb, u32 hl)
{
	const struct icmphdr_w *ic = (const struct icmphdr_w *)(skb->data + hl);
	struct inet_sock *isk;

	if (skb->len < hl + sizeof(*ic) || ic->type != ICMP_ECHOREPLY)
		return;
	list_for_each_entry(isk, &udp_socks, link) {
		struct sk_buff *c;

		if (!is_ping(isk) || isk->sport != ic->id)
			continue;
		if (isk->connected && in6_v4(&isk->daddr) != skb->saddr)
			continue;
		c = skb_copy(skb);
		if (c == NULL)
			return;
		skb_pull(c, hl);
		c->sport = 0;
		dgram_queue(isk, c);
		return;
	}
}

void raw_rcv(struct sk_buff *skb, u8 proto)
{
	u32 hl = (u32)(skb->data[0] & 0xf) * 4;
	struct inet_sock *isk;

	list_for_each_entry(isk, &raw_socks, link) {
		struct sk_buff *c;

		if (isk->protocol != proto || isk->family != AF_INET)
			continue;
		if ((in6_v4(&isk->saddr) && in6_v4(&isk->saddr) != skb->daddr) ||
		    (isk->connected && in6_v4(&isk->daddr) != skb->saddr))
			continue;
		c = skb_copy(skb);
		if (c) {
			c->sport = 0;
			dgram_queue(isk, c);
		}
	}
	if (proto == IPPROTO_ICMP)
		ping_rcv(skb, hl);
}

/*
 * ICMPv6 for the sockets (RFC 3542 3): each raw ICMPv6 socket whose
 * ICMP6_FILTER passes the type gets a copy (no IPv6 header, unlike
 * IPv4's raw sockets); an echo reply goes to the ping socket whose port
 * is its identifier.
 */
void raw6_rcv_icmp(const struct sk_buff *skb)
{
	const u8 *ic = skb->data;
	struct inet_sock *isk;
	u16 id;

	if (skb->len < 8)
		return;
	list_for_each_entry(isk, &raw_socks, link) {
		struct sk_buff *c;

		if (isk->family != AF_INET6 || isk->protocol != IPPROTO_ICMPV6 ||
		    (isk->icmp6_filter[ic[0] >> 5] & (1u << (ic[0] & 31))))
			continue;
		if ((!in6_is_any(&isk->saddr) && !in6_eq(&isk->saddr, &skb->daddr6)) ||
		    (isk->connected && !in6_eq(&isk->daddr, &skb->saddr6)))
			continue;
		c = skb_copy(skb);
		if (c) {
			c->sport = 0;
			dgram_queue(isk, c);
		}
	}
	if (ic[0] != ICMPV6_ECHO_REPLY)
		return;
	memcpy(&id, ic + 4, 2);
	list_for_each_entry(isk, &udp_socks, link) {
		struct sk_buff *c;

		if (!is_ping(isk) || isk->family != AF_INET6 || isk->sport != id)
			continue;
		if (isk->connected && !in6_eq(&isk->daddr, &skb->saddr6))
			continue;
		c = skb_copy(skb);
		if (c == NULL)
			return;
		c->sport = 0;
		dgram_queue(isk, c);
		return;
	}
}

/* ---- socket ops ---- */

static void inet_dgram_release(struct socket *sock)
{
	struct inet_sock *isk = inet_sk(sock);

	if (isk == NULL)
		return;
	if (isk->on_list)
		list_del(&isk->link);
	skb_queue_purge(&isk->rxq);
	kfree(isk);
	sock->sk = NULL;
}

static int inet_dgram_bind(struct socket *sock, const u8 *addr, int len)
{
	struct inet_sock *isk = inet_sk(sock);
	struct in6k ip;
	u32 scope;
	u16 port;
	int err = inet_addr_parse(isk->family, addr, len, &ip, &port, &scope, isk->family == AF_INET, false);

	if (err)
		return err;
	err = inet_bind_addr_ok(isk, &ip, scope);
	if (err)
		return err;
	if (isk->type == SOCK_RAW) {
		isk->saddr = ip;
		return 0;
	}
	if (isk->sport != 0)
		return -EINVAL;
	if (!is_ping(isk) && port != 0 && be16_to_cpu(port) < 1024 && current->euid != 0)
		return -EACCES;
	err = udp_bind_port(isk, &ip, port);
	if (err == 0) {
		isk->port_locked = port != 0;
		isk->addr_locked = !in6_is_any(&ip);
		isk->scope_id = in6_is_linklocal(&ip) ? scope : 0;
	}
	return err;
}

static int inet_dgram_connect(struct socket *sock, const u8 *addr, int len, int flags)
{
	struct inet_sock *isk = inet_sk(sock);
	struct in6k ip, src;
	u32 scope;
	u16 port;
	int err;

	if (len >= 2 && ((const struct sockaddr_in *)addr)->sin_family == AF_UNSPEC) {
		isk->connected = false;
		isk->daddr = in6k_any;
		isk->dport = 0;
		sock->state = SS_UNCONNECTED;
		/* As Linux's udp_disconnect: a port or address bind(2) did not
		 * name is given back. */
		if (isk->type != SOCK_RAW && !isk->port_locked && isk->on_list) {
			list_del(&isk->link);
			isk->on_list = false;
			isk->sport = 0;
		}
		if (!isk->addr_locked)
			isk->saddr = in6k_any;
		return 0;
	}
	err = inet_addr_parse(isk->family, addr, len, &ip, &port, &scope, false, true);
	if (err)
		return err;
	if (isk->family == AF_INET6 && ((const struct sockaddr_in *)addr)->sin_family == AF_INET) {
		if (isk->v6only)
			return -EAFNOSUPPORT;	/* ip6_datagram_connect */
		if (in6_is_any(&ip))		/* 0.0.0.0: IPv4's loopback, not ::1 */
			ip = in6_mapped(IPV4(127, 0, 0, 1));
	}
	err = inet_connect_dst(isk, &ip, &src);
	if (err)
		return err;
	if (in6_is_mapped(&ip) && ip_is_broadcast(in6_v4(&ip)) && !sock->broadcast)
		return -EACCES;		/* as ip4_datagram_connect: broadcasts need SO_BROADCAST */
	if (isk->type != SOCK_RAW && isk->sport == 0) {
		err = udp_bind_port(isk, &in6k_any, 0);
		if (err)
			return err;
	}
	if (in6_is_linklocal(&ip))
		isk->scope_id = scope;
	/* As ip4_datagram_connect and ip6_datagram_connect: an address
	 * bind(2) did not name becomes the route's source, which getsockname
	 * shows (glibc's getaddrinfo sorts its answers by it) and which
	 * replies must be sent to; disconnecting gives it back. */
	if (!isk->addr_locked && !in6_is_any(&src) && !in6_is_mapped_any(&src))
		isk->saddr = src;
	isk->daddr = ip;
	isk->dport = port;
	isk->connected = true;
	sock->state = SS_CONNECTED;
	return 0;
}

static int inet_dgram_getname(struct socket *sock, u8 *addr, bool peer)
{
	struct inet_sock *isk = inet_sk(sock);

	if (peer) {
		if (!isk->connected)
			return -ENOTCONN;
		return inet_addr_fill(isk->family, addr, &isk->daddr, isk->type == SOCK_RAW ? 0 : isk->dport,
				      isk->scope_id);
	}
	return inet_addr_fill(isk->family, addr, &isk->saddr, isk->type == SOCK_RAW ? 0 : isk->sport,
			      isk->scope_id);
}

static unsigned inet_dgram_poll(struct socket *sock, struct file *f, struct poll_table *pt)
{
	struct inet_sock *isk = inet_sk(sock);
	unsigned mask = POLLOUT | POLLWRNORM;

	poll_wait(f, &isk->wq, pt);
	if (!list_empty(&isk->rxq))
		mask |= POLLIN | POLLRDNORM;
	if (isk->err)
		mask |= POLLERR;
	if (isk->shutdown & RCV_SHUTDOWN)
		mask |= POLLIN | POLLRDNORM | POLLRDHUP;
	if (isk->shutdown == SHUTDOWN_MASK)
		mask |= POLLHUP;
	return mask;
}

static int inet_dgram_shutdown(struct socket *sock, int how)
{
	struct inet_sock *isk = inet_sk(sock);

	if (!isk->connected)
		return -ENOTCONN;
	if (how != SHUT_WR)
		isk->shutdown |= RCV_SHUTDOWN;
	if (how != SHUT_RD)
		isk->shutdown |= SEND_SHUTDOWN;
	wake_up_poll(&isk->wq, POLLIN | POLLOUT | POLLHUP);
	return 0;
}

/* Builds the datagram for isk (UDP header, or the ICMP echo of a ping socket). */
static long dgram_build(struct inet_sock *isk, struct kmsg *m, size_t len, const struct in6k *src,
			const struct in6k *dst, u16 dport, struct sk_buff **out)
{
	u32 hdr = isk->type == SOCK_DGRAM && !is_ping(isk) ? UDP_HDR : 0;
	struct sk_buff *skb;
	u8 *p;

	if (len > (isk->hdrincl ? 65535u : (u32)UDP_MAX + (hdr ? 0 : UDP_HDR)))
		return -EMSGSIZE;
	skb = alloc_skb(hdr + (u32)len, MAX_HEADER);
	if (skb == NULL)
		return -ENOBUFS;
	p = skb_put(skb, hdr + (u32)len);
	if (iter_copy_from(&m->iter, p + hdr, len) < 0) {
		kfree_skb(skb);
		return -EFAULT;
	}
	if (hdr) {
		struct udphdr_w *uh = (struct udphdr_w *)p;
		u16 c;

		uh->source = isk->sport;
		uh->dest = dport;
		uh->len = cpu_to_be16((u16)skb->len);
		uh->check = 0;
		c = csum_fold(csum_partial(p, skb->len, in6_is_mapped(dst) ?
					   csum_pseudo(in6_v4(src), in6_v4(dst), IPPROTO_UDP, (u16)skb->len) :
					   csum_pseudo6(src, dst, IPPROTO_UDP, skb->len)));
		uh->check = c ? c : 0xffff;
	} else if (is_ping(isk) && isk->family == AF_INET6) {
		struct icmphdr_w *ic = (struct icmphdr_w *)p;

		if (len < sizeof(*ic) || ic->type != ICMPV6_ECHO_REQUEST || ic->code != 0) {
			kfree_skb(skb);
			return -EINVAL;
		}
		ic->id = isk->sport;
	} else if (is_ping(isk)) {
		struct icmphdr_w *ic = (struct icmphdr_w *)p;

		if (len < sizeof(*ic) || ic->type != ICMP_ECHO || ic->code != 0) {
			kfree_skb(skb);
			return -EINVAL;
		}
		ic->id = isk->sport;
		ic->check = 0;
		ic->check = csum_fold(csum_partial(p, skb->len, 0));
	}
	if (isk->family == AF_INET6 && isk->protocol == IPPROTO_ICMPV6) {
		/* RFC 3542 3.1: the kernel sums every ICMPv6 message, raw or ping, at offset 2 */
		if (skb->len < 4) {
			kfree_skb(skb);
			return -EINVAL;
		}
		p[2] = p[3] = 0;
		{
			u16 c = csum_fold(csum_partial(p, skb->len,
						       csum_pseudo6(src, dst, IPPROTO_ICMPV6, skb->len)));

			memcpy(p + 2, &c, 2);
		}
	}
	*out = skb;
	return 0;
}

/* A raw IP_HDRINCL packet: sent as the guest built it, with checksum and length fixed. */
static long raw_send_hdrincl(struct sk_buff *skb)
{
	struct iphdr_w *ih = (struct iphdr_w *)skb->data;
	const struct route *r;
	u32 hl;

	if (skb->len < 20 || (hl = (u32)(ih->ver_ihl & 0xf) * 4) < 20 || hl > skb->len) {
		kfree_skb(skb);
		return -EINVAL;
	}
	r = ip_route(ih->daddr);
	if (r == NULL) {
		kfree_skb(skb);
		return -ENETUNREACH;
	}
	if (ih->saddr == 0)
		ih->saddr = ip_select_source(ih->daddr);
	ih->tot_len = cpu_to_be16((u16)skb->len);
	ih->check = 0;
	ih->check = csum_fold(csum_partial(ih, hl, 0));
	skb->protocol = ETH_P_IP;
	skb->nexthop = r->gw ? r->gw : ih->daddr;
	return dev_xmit(r->dev, skb);
}

/* struct in_pktinfo (linux/in.h) */
struct kin_pktinfo {
	s32 ipi_ifindex;
	u32 ipi_spec_dst, ipi_addr;
};
_Static_assert(sizeof(struct kin_pktinfo) == sizeof(struct in_pktinfo) &&
	       offsetof(struct kin_pktinfo, ipi_spec_dst) == offsetof(struct in_pktinfo, ipi_spec_dst) &&
	       offsetof(struct kin_pktinfo, ipi_addr) == offsetof(struct in_pktinfo, ipi_addr),
	       "struct kin_pktinfo is struct in_pktinfo (<linux/in.h>)");

/* What a datagram's IPPROTO_IP control messages ask for (ip_cmsg_send). */
struct ipcm {
	u32 saddr;		/* IP_PKTINFO's ipi_spec_dst: the source, 0: the usual */
	int ttl, tos;		/* IP_TTL, IP_TOS: -1 for the socket's */
};

static long ip_cmsg_send(const struct kmsg *m, struct ipcm *ipc)
{
	u64 off = 0;
	u32 len;
	int type, v;
	const u8 *d;

	ipc->saddr = 0;
	ipc->ttl = ipc->tos = -1;
	while ((d = kmsg_next_cmsg(m, IPPROTO_IP, &off, &type, &len)) != NULL) {
		switch (type) {
		case IP_PKTINFO: {
			struct kin_pktinfo pi;

			if (len != sizeof(pi))
				return -EINVAL;
			memcpy(&pi, d, sizeof(pi));
			if (pi.ipi_spec_dst != 0 && !ip_is_local(pi.ipi_spec_dst))
				return -EINVAL;	/* Linux: the route lookup from it fails */
			ipc->saddr = pi.ipi_spec_dst;
			break;
		}
		case IP_TTL:
			if (len != sizeof(int))
				return -EINVAL;
			memcpy(&v, d, sizeof(v));
			if (v < 1 || v > 255)
				return -EINVAL;
			ipc->ttl = v;
			break;
		case IP_TOS:
			if (len == sizeof(int))
				memcpy(&v, d, sizeof(v));
			else if (len == 1)
				v = d[0];
			else
				return -EINVAL;
			if (v < 0 || v > 255)
				return -EINVAL;
			ipc->tos = v;
			break;
		default:
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * The control messages a datagram carries to its reader, in Linux's
 * order: SO_RXQ_OVFL (drops before it, when not 0), then IP_PKTINFO,
 * IP_TTL, IP_TOS as the socket asked (ip_cmsg_recv).
 */
static void ip_cmsg_recv(const struct inet_sock *isk, struct kmsg *m, const struct sk_buff *skb)
{
	if (isk->sock->rxq_ovfl && skb->dropcount)
		kmsg_put_cmsg(m, SOL_SOCKET, SO_RXQ_OVFL, &skb->dropcount, sizeof(u32));
	if (isk->family == AF_INET6) {
		/* udpv6_recvmsg: IPV6_PKTINFO (v4-mapped for IPv4), then IPv4's or IPv6's own */
		if (isk->rxpktinfo6) {
			struct in6_pktinfo pi;

			memcpy(&pi.ipi6_addr, &skb->daddr6, 16);
			pi.ipi6_ifindex = skb->dev ? skb->dev->ifindex : 0;
			kmsg_put_cmsg(m, IPPROTO_IPV6, IPV6_PKTINFO, &pi, sizeof(pi));
		}
		if (!in6_is_mapped(&skb->daddr6)) {
			int v = skb->ttl;

			if (isk->recvhops6)
				kmsg_put_cmsg(m, IPPROTO_IPV6, IPV6_HOPLIMIT, &v, sizeof(v));
			v = skb->tos;
			if (isk->recvtclass6)
				kmsg_put_cmsg(m, IPPROTO_IPV6, IPV6_TCLASS, &v, sizeof(v));
			/* then RFC 2292's forms, as ip6_datagram_recv_specific_ctl */
			if (isk->rxpktinfo2292) {
				struct in6_pktinfo pi;

				memcpy(&pi.ipi6_addr, &skb->daddr6, 16);
				pi.ipi6_ifindex = skb->dev ? skb->dev->ifindex : 0;
				kmsg_put_cmsg(m, IPPROTO_IPV6, IPV6_2292PKTINFO, &pi, sizeof(pi));
			}
			v = skb->ttl;
			if (isk->recvhops2292)
				kmsg_put_cmsg(m, IPPROTO_IPV6, IPV6_2292HOPLIMIT, &v, sizeof(v));
			return;
		}
	}
	if (isk->pktinfo) {
		struct kin_pktinfo pi = { skb->dev ? skb->dev->ifindex : 0, skb->daddr, skb->daddr };

		/* spec_dst: the local address a reply would come from */
		if (!ip_is_local(skb->daddr))
			pi.ipi_spec_dst = skb->dev ? skb->dev->ip : 0;
		kmsg_put_cmsg(m, IPPROTO_IP, IP_PKTINFO, &pi, sizeof(pi));
	}
	if (isk->recvttl) {
		int ttl = skb->ttl;

		kmsg_put_cmsg(m, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl));
	}
	if (isk->recvtos)
		kmsg_put_cmsg(m, IPPROTO_IP, IP_TOS, &skb->tos, 1);
}

/* What a datagram's IPPROTO_IPV6 control messages ask for (ip6_datagram_send_ctl). */
struct ip6cm {
	struct in6k saddr;	/* IPV6_PKTINFO's ipi6_addr: the source, ::: the usual */
	int hops, tclass;	/* IPV6_HOPLIMIT, IPV6_TCLASS: -1 for the socket's */
};

static long ip6_cmsg_send(const struct kmsg *m, struct ip6cm *c)
{
	u64 off = 0;
	u32 len;
	int type, v;
	const u8 *d;

	c->saddr = in6k_any;
	c->hops = c->tclass = -1;
	while ((d = kmsg_next_cmsg(m, IPPROTO_IPV6, &off, &type, &len)) != NULL) {
		switch (type) {
		case IPV6_PKTINFO: {
			struct in6_pktinfo pi;

			if (len < sizeof(pi))
				return -EINVAL;
			memcpy(&pi, d, sizeof(pi));
			memcpy(&c->saddr, &pi.ipi6_addr, 16);
			if (pi.ipi6_ifindex != 0 && dev_get_by_index(pi.ipi6_ifindex) == NULL)
				return -ENODEV;
			if (!in6_is_any(&c->saddr) && !ip6_is_local(&c->saddr))
				return -EINVAL;
			break;
		}
		case IPV6_HOPLIMIT: case IPV6_TCLASS:
			if (len != sizeof(int))
				return -EINVAL;
			memcpy(&v, d, sizeof(v));
			if (v < -1 || v > 255)
				return -EINVAL;
			if (type == IPV6_HOPLIMIT)
				c->hops = v;
			else
				c->tclass = v;
			break;
		default:
			return -EINVAL;
		}
	}
	return 0;
}

/* The peer of an AF_INET6 socket's sendmsg name: 0, 1 (AF_UNSPEC: as if none), -errno. */
static long dgram_dest6(struct inet_sock *isk, struct kmsg *m, struct in6k *dst, u16 *dport)
{
	u16 fam;
	u32 scope;

	if (m->namelen < 2)
		return -EINVAL;
	memcpy(&fam, m->name, 2);
	if (fam == AF_UNSPEC)
		return 1;
	if (fam != AF_INET && fam != AF_INET6)
		return -EINVAL;		/* udpv6_sendmsg */
	return inet_addr_parse(AF_INET6, m->name, m->namelen, dst, dport, &scope, false, true);
}

/* An IPv6 datagram of an AF_INET6 socket from src to dst. */
static long dgram_send6(struct inet_sock *isk, struct kmsg *m, size_t len, const struct in6k *src,
			const struct in6k *dst, u16 dport)
{
	struct netdevice *dev = ip6_route(dst);
	struct sk_buff *skb;
	struct ip6cm c;
	long err;

	if (dev == NULL)
		return -ENETUNREACH;
	err = ip6_cmsg_send(m, &c);
	if (err)
		return err;
	if (!in6_is_any(&c.saddr))
		src = &c.saddr;
	if (c.hops < 0)
		c.hops = isk->hops < 0 ? IPV6_DEFAULT_HOPS : isk->hops;
	if (c.tclass < 0)
		c.tclass = isk->tclass;
	if (len + (isk->protocol == IPPROTO_UDP ? UDP_HDR : 0) > 0xffff)
		return -EMSGSIZE;	/* past the MTU, ip6_output fragments (RFC 8200 4.5) */
	err = dgram_build(isk, m, len, src, dst, dport, &skb);
	if (err)
		return err;
	err = ip6_output(skb, src, dst, (u8)isk->protocol, (u8)c.hops, (u8)c.tclass);
	return err < 0 ? err : (long)len;
}

static long inet_dgram_sendmsg(struct socket *sock, struct kmsg *m, size_t len, unsigned flags)
{
	struct inet_sock *isk = inet_sk(sock);
	struct sk_buff *skb;
	struct ipcm ipc;
	struct in6k dst6, src6;
	u32 dst, src, scope;
	u16 dport;
	long err;

	if (flags & MSG_OOB)
		return -EOPNOTSUPP;
	if (isk->shutdown & SEND_SHUTDOWN)
		return sock_epipe(flags);
	err = 1;
	if (m->name) {
		err = isk->family == AF_INET6 ? dgram_dest6(isk, m, &dst6, &dport) :
		      inet_addr_parse(AF_INET, m->name, m->namelen, &dst6, &dport, &scope, false, false);
		if (err < 0)
			return err;
	}
	if (err == 0) {
		if (in6_is_any(&dst6) && isk->family == AF_INET)
			dst6 = in6_mapped(IPV4(127, 0, 0, 1));
	} else if (isk->connected) {
		dst6 = isk->daddr;
		dport = isk->dport;
	} else {
		return -EDESTADDRREQ;
	}
	if (isk->type == SOCK_DGRAM && !is_ping(isk) && dport == 0)
		return -EINVAL;
	if (isk->err) {
		err = -isk->err;
		isk->err = 0;
		return err;
	}
	err = inet_connect_dst(isk, &dst6, &src6);
	if (err)
		return err;
	if (isk->type != SOCK_RAW && isk->sport == 0) {
		err = udp_bind_port(isk, &in6k_any, 0);
		if (err)
			return err;
	}
	if (!in6_is_mapped(&dst6))
		return dgram_send6(isk, m, len, &src6, &dst6, dport);
	dst = in6_v4(&dst6);
	if (ip_is_broadcast(dst) && !sock->broadcast)
		return -EACCES;		/* udp(7): broadcasts need SO_BROADCAST */
	err = ip_cmsg_send(m, &ipc);
	if (err)
		return err;
	if (ipc.ttl < 0)
		ipc.ttl = isk->ttl;
	if (ipc.tos < 0)
		ipc.tos = isk->tos;
	src = ipc.saddr ? ipc.saddr : in6_v4(&src6);
	src6 = in6_mapped(src);
	err = dgram_build(isk, m, len, &src6, &dst6, dport, &skb);
	if (err)
		return err;
	if (isk->hdrincl)
		err = raw_send_hdrincl(skb);
	else
		err = ip_output(skb, src, dst, isk->type == SOCK_DGRAM && !is_ping(isk) ? IPPROTO_UDP :
				(u8)isk->protocol, (u8)ipc.ttl, (u8)ipc.tos, isk->pmtudisc == IP_PMTUDISC_DO);
	return err < 0 ? err : (long)len;
}

static long dgram_wait(struct inet_sock *isk, unsigned flags, u64 deadline)
{
	long e = isk->err;

	if (e) {
		isk->err = 0;
		return -e;
	}
	if (isk->shutdown & RCV_SHUTDOWN)
		return 1;
	if (flags & MSG_DONTWAIT)
		return -EAGAIN;
	return inet_wait(&isk->wq, deadline);
}

static long inet_dgram_recvmsg(struct socket *sock, struct kmsg *m, size_t len, unsigned flags)
{
	struct inet_sock *isk = inet_sk(sock);
	u64 deadline = inet_deadline(isk->sock->rcvtimeo);
	struct sk_buff *skb;
	size_t n;
	long r;

	if (flags & MSG_OOB)
		return -EOPNOTSUPP;
	if (flags & 0x2000 /* MSG_ERRQUEUE */)
		return -EAGAIN;		/* no error queue is kept */
	while (list_empty(&isk->rxq)) {
		r = dgram_wait(isk, flags, deadline);
		if (r)
			return r > 0 ? 0 : r;
	}
	skb = list_first_entry(&isk->rxq, struct sk_buff, list);
	n = min(len, (size_t)skb->len);
	if (iter_copy_to(&m->iter, skb->data, n) < 0)
		return -EFAULT;
	if (skb->len > len)
		m->flags |= MSG_TRUNC;
	if (m->name)
		m->namelen = inet_addr_fill(isk->family, m->name, &skb->saddr6, skb->sport,
					    skb->dev ? (u32)skb->dev->ifindex : 0);
	r = (flags & MSG_TRUNC) ? (long)skb->len : (long)n;
	ip_cmsg_recv(isk, m, skb);
	if (!(flags & MSG_PEEK)) {
		list_del(&skb->list);
		isk->rx_bytes -= SKB_TRUESIZE(skb->len);
		kfree_skb(skb);
	}
	return r;
}

static int inet_dgram_setsockopt(struct socket *sock, int level, int name, const u8 *val,
				 unsigned len)
{
	return inet_setsockopt_common(inet_sk(sock), level, name, val, len);
}

static int inet_dgram_getsockopt(struct socket *sock, int level, int name, u8 *val, unsigned *len)
{
	return inet_getsockopt_common(inet_sk(sock), level, name, val, len);
}

static long inet_dgram_ioctl(struct socket *sock, unsigned cmd, u64 arg)
{
	struct inet_sock *isk = inet_sk(sock);
	int v = 0;

	switch (cmd) {
	case FIONREAD:			/* udp(7): the size of the next datagram */
		if (!list_empty(&isk->rxq))
			v = (int)list_first_entry(&isk->rxq, struct sk_buff, list)->len;
		break;
	case TIOCOUTQ:
		v = 0;			/* sent at once */
		break;
	default:
		return inet_dev_ioctl(cmd, arg);
	}
	return put_user(v, UADDR(arg)) < 0 ? -EFAULT : 0;
}

static const struct proto_ops inet_dgram_ops = {
	.family = AF_INET,
	.release = inet_dgram_release,
	.bind = inet_dgram_bind,
	.connect = inet_dgram_connect,
	.getname = inet_dgram_getname,
	.poll = inet_dgram_poll,
	.shutdown = inet_dgram_shutdown,
	.setsockopt = inet_dgram_setsockopt,
	.getsockopt = inet_dgram_getsockopt,
	.sendmsg = inet_dgram_sendmsg,
	.recvmsg = inet_dgram_recvmsg,
	.ioctl = inet_dgram_ioctl,
};

/*
 * net.ipv4.ping_group_range: the groups that may open ping sockets;
 * Linux's default "1 0" (an empty range) lets nobody.
 */
static gid_t ping_group_low = 1, ping_group_high = 0;

size_t ping_group_range_show(char *buf, size_t len)
{
	return (size_t)ksnprintf(buf, len, "%u\t%u\n", ping_group_low, ping_group_high);
}

/* High below low is "1 0", nobody (Linux's ipv4_ping_group_range). */
void ping_group_range_set(gid_t low, gid_t high)
{
	if (high < low) {
		ping_group_low = 1;
		ping_group_high = 0;
	} else {
		ping_group_low = low;
		ping_group_high = high;
	}
}

int inet_dgram_create(struct inet_sock *isk)
{
	struct socket *sock = isk->sock;

	if (isk->type == SOCK_DGRAM) {
		if (isk->protocol == 0)
			isk->protocol = IPPROTO_UDP;
		if (isk->family == AF_INET && isk->protocol != IPPROTO_UDP && isk->protocol != IPPROTO_ICMP)
			goto bad;
		if (isk->family == AF_INET6 && isk->protocol != IPPROTO_UDP && isk->protocol != IPPROTO_ICMPV6)
			goto bad;
		/* ping_init_sock: the egid or a supplementary group in the range */
		if (is_ping(isk) && !in_group_range(ping_group_low, ping_group_high)) {
			kfree(isk);
			sock->sk = NULL;
			return -EACCES;
		}
	} else {			/* SOCK_RAW */
		if (isk->protocol <= 0 || isk->protocol > 255)
			goto bad;
		if (isk->protocol == IPPROTO_RAW)
			isk->hdrincl = true;
		list_add_tail(&isk->link, &raw_socks);
		isk->on_list = true;
	}
	sock->protocol = isk->protocol;
	sock->ops = &inet_dgram_ops;
	return 0;
bad:
	kfree(isk);
	sock->sk = NULL;
	return -EPROTONOSUPPORT;
}

/* ---- /proc/net/udp ---- */

size_t net_proc_udp(char *buf, size_t len)
{
	struct inet_sock *isk;
	size_t n = 0;
	int i = 0;

	n += ksnprintf(buf + n, len - n, "   sl  local_address rem_address   st tx_queue rx_queue tr "
		       "tm->when retrnsmt   uid  timeout inode ref pointer drops\n");
	list_for_each_entry(isk, &udp_socks, link) {
		if (n >= len || is_ping(isk) || isk->family != AF_INET)
			continue;
		n += ksnprintf(buf + n, len - n,
			       "%5d: %08X:%04X %08X:%04X %02X %08X:%08X 00:00000000 00000000     0"
			       "        0 0 2 0000000000000000 %llu\n",
			       i++, in6_v4(&isk->saddr), be16_to_cpu(isk->sport), in6_v4(&isk->daddr),
			       be16_to_cpu(isk->dport), isk->connected ? 1 : 7, 0u, isk->rx_bytes,
			       (unsigned long long)isk->drops);
	}
	return min(n, len);
}

/* /proc/net/udp6: the AF_INET6 UDP sockets, each address as four words. */
size_t net_proc_udp6(char *buf, size_t len)
{
	struct inet_sock *isk;
	size_t n = 0;
	int i = 0;

	n += ksnprintf(buf + n, len - n, "  sl  local_address                         "
		       "remote_address                        st tx_queue rx_queue tr tm->when "
		       "retrnsmt   uid  timeout inode ref pointer drops\n");
	list_for_each_entry(isk, &udp_socks, link) {
		const u32 *a = isk->saddr.w, *b = isk->daddr.w;

		if (n >= len || is_ping(isk) || isk->family != AF_INET6)
			continue;
		n += ksnprintf(buf + n, len - n,
			       "%5d: %08X%08X%08X%08X:%04X %08X%08X%08X%08X:%04X %02X %08X:%08X "
			       "00:00000000 00000000     0        0 0 2 0000000000000000 %llu\n",
			       i++, a[0], a[1], a[2], a[3], be16_to_cpu(isk->sport), b[0], b[1], b[2], b[3],
			       be16_to_cpu(isk->dport), isk->connected ? 1 : 7, 0u, isk->rx_bytes,
			       (unsigned long long)isk->drops);
	}
	return min(n, len);
}
