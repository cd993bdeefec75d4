/*
 * ip.c - IPv4 (RFC 791): input checks and local delivery, output with
 * routing and fragmentation, the routing table, and ICMP (RFC 792): echo
 * replies, destination unreachable and time exceeded sent, errors
 * received passed to the transport they are about (frag-needed lowers
 * the path MTU of TCP, RFC 1191).  No forwarding: a packet for an address
 * that is not ours is dropped, as with net.ipv4.ip_forward=0.
 */
#include "kernel/kernel.h"
#include "kernel/inet.h"
#include "shared/os.h"

#define IP_HDR	20

struct route route_table[MAX_ROUTES];
int nr_routes;
static u16 ip_next_id;

/* ---- routes ---- */

static int mask_len(u32 mask)
{
	int n = 0;

	for (mask = be32_to_cpu(mask); mask; mask <<= 1)
		n++;
	return n;
}

int route_add(u32 dst, u32 mask, u32 gw, struct netdevice *dev, int metric)
{
	int i;

	if ((dst & ~mask) != 0)
		return -EINVAL;
	for (i = 0; i < nr_routes; i++)
		if (route_table[i].dst == dst && route_table[i].mask == mask &&
		    route_table[i].metric == metric && route_table[i].dev == dev)
			return -EEXIST;
	if (nr_routes == MAX_ROUTES)
		return -ENOBUFS;
	route_table[nr_routes++] = (struct route){ dst, mask, gw, dev, metric, 0 };
	return 0;
}

int route_del(u32 dst, u32 mask, struct netdevice *dev)
{
	int i;

	for (i = 0; i < nr_routes; i++) {
		struct route *r = &route_table[i];

		if (r->dst == dst && r->mask == mask && (dev == NULL || r->dev == dev)) {
			memmove(r, r + 1, (size_t)(nr_routes - i - 1) * sizeof(*r));
			nr_routes--;
			return 0;
		}
	}
	return -ESRCH;
}

void route_flush_dev(struct netdevice *dev, bool gateways_only)
{
	int i = 0;

	while (i < nr_routes) {
		struct route *r = &route_table[i];

		if (r->dev == dev && (r->gw || !gateways_only)) {
			memmove(r, r + 1, (size_t)(nr_routes - i - 1) * sizeof(*r));
			nr_routes--;
			continue;
		}
		i++;
	}
}

const struct route *ip_route(u32 daddr)
{
	const struct route *best = NULL;
	static struct route local;
	int i;

	if (ip_is_local(daddr) && (daddr & IPV4(255, 0, 0, 0)) != IPV4(127, 0, 0, 0)) {
		/* our own address on another device: delivered through loopback */
		local = (struct route){ daddr, 0xffffffff, 0, &loopback_dev, 0, daddr };
		return &local;
	}
	for (i = 0; i < nr_routes; i++) {
		const struct route *r = &route_table[i];

		if ((daddr & r->mask) != r->dst || !(r->dev->flags & IFF_UP))
			continue;
		if (best == NULL || mask_len(r->mask) > mask_len(best->mask) ||
		    (r->mask == best->mask && r->metric < best->metric))
			best = r;
	}
	return best;
}

bool ip_is_local(u32 addr)
{
	struct netdevice *d;

	if ((addr & IPV4(255, 0, 0, 0)) == IPV4(127, 0, 0, 0) || addr == 0xffffffff)
		return true;
	list_for_each_entry(d, &netdev_list, link) {
		if (d->ip == 0)
			continue;
		if (d->ip == addr || (d->flags & IFF_BROADCAST && addr == (d->ip | ~d->mask)))
			return true;
	}
	return false;
}

bool ip_is_broadcast(u32 addr)
{
	struct netdevice *d;

	if (addr == 0xffffffff)
		return true;
	list_for_each_entry(d, &netdev_list, link)
		if (d->ip != 0 && d->mask != 0xffffffff && addr == (d->ip | ~d->mask))
			return true;
	return false;
}

u32 ip_select_source(u32 daddr)
{
	const struct route *r = ip_route(daddr);

	if (r == NULL)
		return 0;
	if (r->src)
		return r->src;
	if (r->dev == &loopback_dev && (daddr & IPV4(255, 0, 0, 0)) == IPV4(127, 0, 0, 0))
		return daddr;		/* 127.x answers from itself, as Linux */
	return r->dev->ip;
}

/* ---- output ---- */

static void ip_build_header(struct sk_buff *skb, u32 saddr, u32 daddr, u8 proto, u8 ttl, u8 tos,
			    u16 id, u16 frag)
{
	struct iphdr_w *ih = (struct iphdr_w *)skb_push(skb, IP_HDR);

	ih->ver_ihl = 0x45;
	ih->tos = tos;
	ih->tot_len = cpu_to_be16((u16)skb->len);
	ih->id = cpu_to_be16(id);
	ih->frag_off = cpu_to_be16(frag);
	ih->ttl = ttl;
	ih->protocol = proto;
	ih->saddr = saddr;
	ih->daddr = daddr;
	ih->check = 0;
	ih->check = csum_fold(csum_partial(ih, IP_HDR, 0));
	skb->protocol = ETH_P_IP;
	skb->saddr = saddr;
	skb->daddr = daddr;
}

/* Sends the transport payload of skb in fragments of the device's MTU. */
static int ip_fragment(struct sk_buff *skb, struct netdevice *dev, u32 saddr, u32 daddr, u8 proto,
		       u8 ttl, u8 tos, u16 id)
{
	u32 chunk = ((dev->mtu - IP_HDR) / 8) * 8, off;
	int err = 0;

	for (off = 0; off < skb->len && err == 0; off += chunk) {
		u32 n = min(chunk, skb->len - off);
		struct sk_buff *f = alloc_skb(n, MAX_HEADER);
		u16 frag = (u16)(off / 8);

		if (f == NULL) {
			err = -ENOBUFS;
			break;
		}
		memcpy(skb_put(f, n), skb->data + off, n);
		if (off + n < skb->len)
			frag |= IP_MF;
		ip_build_header(f, saddr, daddr, proto, ttl, tos, id, frag);
		f->nexthop = skb->nexthop;
		err = dev_xmit(dev, f);
	}
	kfree_skb(skb);
	return err;
}

int ip_output(struct sk_buff *skb, u32 saddr, u32 daddr, u8 proto, u8 ttl, u8 tos, bool df)
{
	const struct route *r = ip_route(daddr);
	struct netdevice *dev;
	u16 id = ip_next_id++;

	if (r == NULL) {
		kfree_skb(skb);
		return -ENETUNREACH;
	}
	dev = r->dev;
	if (saddr == 0)
		saddr = ip_select_source(daddr);
	if (skb->csum_off && !(dev->flags & IFF_LOOPBACK)) {
		u16 c = 0;

		if (skb->csum_off + 2u <= skb->len) {
			memcpy(skb->data + skb->csum_off, &c, 2);
			c = csum_fold(csum_partial(skb->data, skb->len,
						   csum_pseudo(saddr, daddr, proto, (u16)skb->len)));
			memcpy(skb->data + skb->csum_off, &c, 2);
		}
		skb->csum_off = 0;
	}
	if (skb->len + IP_HDR > dev->mtu) {
		if (df) {
			kfree_skb(skb);
			return -EMSGSIZE;
		}
		skb->nexthop = r->gw ? r->gw : daddr;
		return ip_fragment(skb, dev, saddr, daddr, proto, ttl, tos, id);
	}
	ip_build_header(skb, saddr, daddr, proto, ttl, tos, id, df ? IP_DF : 0);
	skb->nexthop = r->gw ? r->gw : daddr;
	return dev_xmit(dev, skb);
}

/* ---- ICMP ---- */

static void icmp_reply(struct sk_buff *in, const struct iphdr_w *ih)
{
	struct sk_buff *skb = alloc_skb(in->len, MAX_HEADER);
	struct icmphdr_w *ic;

	if (skb == NULL)
		return;
	memcpy(skb_put(skb, in->len), in->data, in->len);
	ic = (struct icmphdr_w *)skb->data;
	ic->type = ICMP_ECHOREPLY;
	ic->check = 0;
	ic->check = csum_fold(csum_partial(skb->data, skb->len, 0));
	ip_output(skb, ih->daddr, ih->saddr, IPPROTO_ICMP, IP_DEFAULT_TTL, ih->tos, false);
}

void icmp_send(struct sk_buff *in, u8 type, u8 code, u32 info)
{
	const struct iphdr_w *ih = (const struct iphdr_w *)in->data;
	u32 hl = (u32)(ih->ver_ihl & 0xf) * 4, n = min(in->len, hl + 8);
	struct sk_buff *skb;
	struct icmphdr_w *ic;

	/* Never about an ICMP error, a fragment past the first, or a broadcast (RFC 1122 3.2.2). */
	if (ih->protocol == IPPROTO_ICMP && in->len >= hl + 1 && in->data[hl] != ICMP_ECHO)
		return;
	if ((be16_to_cpu(ih->frag_off) & IP_OFFMASK) || ih->daddr == 0xffffffff)
		return;
	skb = alloc_skb(sizeof(*ic) + n, MAX_HEADER);
	if (skb == NULL)
		return;
	ic = (struct icmphdr_w *)skb_put(skb, sizeof(*ic));
	ic->type = type;
	ic->code = code;
	ic->id = 0;
	ic->seq = cpu_to_be16((u16)info);
	memcpy(skb_put(skb, n), in->data, n);
	ic->check = 0;
	ic->check = csum_fold(csum_partial(skb->data, skb->len, 0));
	ip_output(skb, ip_is_local(ih->daddr) && ih->daddr != 0xffffffff ? ih->daddr : 0, ih->saddr,
		  IPPROTO_ICMP, IP_DEFAULT_TTL, 0, false);
}

/* An ICMP error: hand it to the transport named in the quoted header. */
static void icmp_error_rcv(struct sk_buff *skb, const struct icmphdr_w *ic)
{
	const struct iphdr_w *inner = (const struct iphdr_w *)(ic + 1);
	u32 hl;

	if (skb->len < sizeof(*ic) + IP_HDR + 8)
		return;
	hl = (u32)(inner->ver_ihl & 0xf) * 4;
	if (hl < IP_HDR || skb->len < sizeof(*ic) + hl + 8)
		return;
	icmp_err_notify(inner->protocol, inner, (const u8 *)inner + hl, ic->type, ic->code,
			be16_to_cpu(ic->seq));
}

void icmp_err_notify(u8 proto, const struct iphdr_w *inner, const u8 *l4, u8 type, u8 code, u32 info)
{
	int err = EHOSTUNREACH;
	u32 mtu = 0;

	if (type == ICMP_DEST_UNREACH) {
		if (code == ICMP_PORT_UNREACH || code == 2 /* protocol */)
			err = ECONNREFUSED;
		else if (code == 0)
			err = ENETUNREACH;
		else if (code == ICMP_FRAG_NEEDED) {
			err = EMSGSIZE;
			mtu = info;
		}
	} else if (type != ICMP_TIME_EXCEEDED) {
		return;
	}
	struct in6k s6 = in6_mapped(inner->saddr), d6 = in6_mapped(inner->daddr);

	if (proto == IPPROTO_TCP)
		tcp_err(&s6, &d6, l4, err, mtu);
	else if (proto == IPPROTO_UDP)
		udp_err(&s6, &d6, l4, err);
}

static void icmp_rcv(struct sk_buff *skb, const struct iphdr_w *ih)
{
	const struct icmphdr_w *ic = (const struct icmphdr_w *)skb->data;

	if (skb->len < sizeof(*ic) || csum_fold(csum_partial(skb->data, skb->len, 0)) != 0)
		return;
	if (ic->type == ICMP_ECHO && ih->daddr != 0xffffffff)
		icmp_reply(skb, ih);
	else if (ic->type == ICMP_DEST_UNREACH || ic->type == ICMP_TIME_EXCEEDED)
		icmp_error_rcv(skb, ic);
}

/* ---- input ---- */

/* The IP header of skb if it is sound (RFC 1122 3.2.1), else NULL. */
static const struct iphdr_w *ip_check(struct sk_buff *skb)
{
	const struct iphdr_w *ih = (const struct iphdr_w *)skb->data;
	u32 hl, tot;

	if (skb->len < IP_HDR || (ih->ver_ihl >> 4) != 4)
		return NULL;
	hl = (u32)(ih->ver_ihl & 0xf) * 4;
	tot = be16_to_cpu(ih->tot_len);
	if (hl < IP_HDR || tot < hl || tot > skb->len)
		return NULL;
	if (csum_fold(csum_partial(ih, hl, 0)) != 0)
		return NULL;
	skb_trim(skb, tot);
	return ih;
}

static void ip_local_deliver(struct sk_buff *skb)
{
	const struct iphdr_w *ih = (const struct iphdr_w *)skb->data;
	u32 hl = (u32)(ih->ver_ihl & 0xf) * 4;
	u8 proto = ih->protocol;

	skb->saddr = ih->saddr;
	skb->daddr = ih->daddr;
	skb->saddr6 = in6_mapped(ih->saddr);
	skb->daddr6 = in6_mapped(ih->daddr);
	skb->ttl = ih->ttl;
	skb->tos = ih->tos;
	skb->nhlen = (u16)hl;
	raw_rcv(skb, proto);
	skb_pull(skb, hl);
	switch (proto) {
	case IPPROTO_TCP:
		tcp_v4_rcv(skb);
		return;
	case IPPROTO_UDP:
		udp_rcv(skb);
		return;
	case IPPROTO_ICMP:
		icmp_rcv(skb, ih);
		break;
	default:
		skb_push(skb, hl);
		if (!raw_has_proto(proto))
			icmp_send(skb, ICMP_DEST_UNREACH, 2 /* protocol unreachable */, 0);
		break;
	}
	kfree_skb(skb);
}

void ip_rcv(struct sk_buff *skb)
{
	const struct iphdr_w *ih = ip_check(skb);

	if (ih == NULL || !ip_is_local(ih->daddr)) {
		if (ih == NULL)
			skb->dev->stats.rx_errors++;
		kfree_skb(skb);
		return;
	}
	if (be16_to_cpu(ih->frag_off) & (IP_MF | IP_OFFMASK)) {
		skb = ip_defrag(skb, os_monotonic_ns());
		if (skb == NULL)
			return;
	}
	ip_local_deliver(skb);
}

size_t net_proc_route(char *buf, size_t len)
{
	size_t n;
	int i;

	n = (size_t)ksnprintf(buf, len, "%-127s\n", "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\t"
			      "Metric\tMask\t\tMTU\tWindow\tIRTT");
	for (i = 0; i < nr_routes && n < len; i++) {
		const struct route *r = &route_table[i];
		char line[128];

		if (r->dev->flags & IFF_LOOPBACK)
			continue;	/* 127/8 is in Linux's local table, not shown here */
		ksnprintf(line, sizeof(line), "%s\t%08X\t%08X\t%04X\t0\t0\t%d\t%08X\t0\t0\t0",
			  r->dev->name, r->dst, r->gw, 1 | (r->gw ? 2 : 0), r->metric, r->mask);
		n += (size_t)ksnprintf(buf + n, len - n, "%-127s\n", line);
	}
	return min(n, len);
}
