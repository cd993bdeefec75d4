/*
 * ipv6.c - IPv6 (RFC 8200) on the devices that have IPv6 addresses
 * (today: ::1/128 on lo): the header out and in, extension headers
 * skipped on input (hop-by-hop, routing with no segments left,
 * destination options) and fragments reassembled (net/in6.c), local delivery to TCP, UDP and
 * ICMPv6 (RFC 4443): echo requests answered, destination unreachable
 * sent for a UDP port nobody has, errors received handed to the
 * transport they are about.  No forwarding, as with
 * net.ipv6.conf.all.forwarding=0.
 */
#include "kernel/kernel.h"
#include "kernel/inet.h"
#include "kernel/page.h"
#include "shared/os.h"

#define FRAG_HDR	8

/* ---- addresses and routes ---- */

void ipv6_init(void)
{
	loopback_dev.ip6[0] = in6k_loopback;
	loopback_dev.ip6_plen[0] = 128;
	loopback_dev.ip6_flags[0] = IN6_F_PERMANENT;
	loopback_dev.nr_ip6 = 1;
}

bool ip6_is_local(const struct in6k *a)
{
	struct netdevice *d;
	int i;

	list_for_each_entry(d, &netdev_list, link) {
		if (!(d->flags & IFF_UP))
			continue;
		for (i = 0; i < d->nr_ip6; i++)
			if (in6_eq(&d->ip6[i], a) && !(d->ip6_flags[i] & IN6_F_TENTATIVE))
				return true;
	}
	return false;
}

struct netdevice *ip6_route(const struct in6k *daddr)
{
	struct in6k nh;

	return ip6_route_nh(daddr, &nh);
}

int ip6_select_source(const struct in6k *daddr, struct in6k *src)
{
	struct netdevice *dev = ip6_route(daddr);

	if (dev == NULL)
		return -ENETUNREACH;
	if (dev->flags & IFF_LOOPBACK) {
		*src = *daddr;		/* a local destination answers from itself */
		return 0;
	}
	return ip6_dev_source(dev, daddr, src);
}

/* ---- output ---- */

static u32 ip6_frag_id;

static void ip6_header(struct ipv6hdr_w *h, u32 plen, u8 nexthdr, u8 hops, u8 tclass, const struct in6k *s,
		       const struct in6k *d)
{
	h->ver_tc_flow = cpu_to_be32(6u << 28 | (u32)tclass << 20);
	h->payload_len = cpu_to_be16((u16)plen);
	h->nexthdr = nexthdr;
	h->hop_limit = hops;
	h->saddr = *s;
	h->daddr = *d;
}

/*
 * skb's payload (the upper-layer header and data, checksummed) in
 * fragments that fit dev's MTU (RFC 8200 4.5): each an IPv6 header, a
 * fragment header and a multiple of 8 bytes (the last: the rest).
 */
static int ip6_fragment(struct sk_buff *skb, struct netdevice *dev, const struct in6k *nexthop,
			const struct in6k *s, const struct in6k *d, u8 proto, u8 hops, u8 tclass)
{
	u32 unit = (dev->mtu - IPV6_HDR - FRAG_HDR) & ~7u, off, id = cpu_to_be32(++ip6_frag_id);
	int err = 0;

	for (off = 0; off < skb->len && err == 0; off += unit) {
		u32 n = min(unit, skb->len - off);
		bool more = off + n < skb->len;
		struct sk_buff *f = alloc_skb(IPV6_HDR + FRAG_HDR + n, MAX_HEADER);
		u8 *fh;
		u16 ow = cpu_to_be16((u16)(off | (more ? 1 : 0)));

		if (f == NULL) {
			err = -ENOBUFS;
			break;
		}
		ip6_header((struct ipv6hdr_w *)skb_put(f, IPV6_HDR), FRAG_HDR + n, IPPROTO_FRAGMENT, hops, tclass, s, d);
		fh = skb_put(f, FRAG_HDR);
		fh[0] = proto;
		fh[1] = 0;
		memcpy(fh + 2, &ow, 2);
		memcpy(fh + 4, &id, 4);
		memcpy(skb_put(f, n), skb->data + off, n);
		f->protocol = ETH_P_IPV6;
		f->saddr6 = *s;
		f->daddr6 = *d;
		f->nexthop6 = *nexthop;
		err = dev_xmit(dev, f);
	}
	kfree_skb(skb);
	return err;
}

int ip6_output_dev(struct sk_buff *skb, struct netdevice *dev, const struct in6k *nexthop,
		   const struct in6k *saddr, const struct in6k *daddr, u8 proto, u8 hops, u8 tclass)
{
	struct in6k s = *saddr, d = *daddr, nh = *nexthop;	/* they may point into skb */
	u32 plen = skb->len;

	if (plen > 0xffff) {
		kfree_skb(skb);
		return -EMSGSIZE;
	}
	if (skb->csum_off && !(dev->flags & IFF_LOOPBACK)) {
		u16 c = 0;

		if (skb->csum_off + 2u <= skb->len) {
			memcpy(skb->data + skb->csum_off, &c, 2);
			c = csum_fold(csum_partial(skb->data, skb->len, csum_pseudo6(&s, &d, proto, plen)));
			memcpy(skb->data + skb->csum_off, &c, 2);
		}
		skb->csum_off = 0;
	}
	if (plen + IPV6_HDR > dev->mtu) {
		if (dev->mtu < IPV6_MIN_MTU) {
			kfree_skb(skb);
			return -EMSGSIZE;
		}
		return ip6_fragment(skb, dev, &nh, &s, &d, proto, hops, tclass);
	}
	ip6_header((struct ipv6hdr_w *)skb_push(skb, IPV6_HDR), plen, proto, hops, tclass, &s, &d);
	skb->protocol = ETH_P_IPV6;
	skb->saddr6 = s;
	skb->daddr6 = d;
	skb->nexthop6 = nh;
	return dev_xmit(dev, skb);
}

int ip6_output(struct sk_buff *skb, const struct in6k *saddr, const struct in6k *daddr, u8 proto,
	       u8 hops, u8 tclass)
{
	struct in6k nh;
	struct netdevice *dev = ip6_route_nh(daddr, &nh);

	if (dev == NULL) {
		kfree_skb(skb);
		return -ENETUNREACH;
	}
	return ip6_output_dev(skb, dev, &nh, saddr, daddr, proto, hops, tclass);
}

/* ---- ICMPv6 ---- */

struct icmp6hdr_w {
	u8 type, code;
	u16 check;
	u32 data;			/* echo: id and sequence; errors: MTU, pointer or unused */
} __attribute__((packed));

static void icmp6_xmit(struct sk_buff *skb, const struct in6k *saddr, const struct in6k *daddr)
{
	struct icmp6hdr_w *ic = (struct icmp6hdr_w *)skb->data;

	ic->check = 0;
	ic->check = csum_fold(csum_partial(skb->data, skb->len,
					   csum_pseudo6(saddr, daddr, IPPROTO_ICMPV6, skb->len)));
	ip6_output(skb, saddr, daddr, IPPROTO_ICMPV6, IPV6_DEFAULT_HOPS, 0);
}

void icmp6_send(struct sk_buff *in, u8 type, u8 code, u32 info)
{
	const struct ipv6hdr_w *h = (const struct ipv6hdr_w *)in->data;
	u32 n = min(in->len, (u32)(IPV6_MIN_MTU - IPV6_HDR - sizeof(struct icmp6hdr_w)));
	struct in6k src, dst;
	struct icmp6hdr_w *ic;
	struct sk_buff *skb;

	if (in->len < IPV6_HDR)
		return;
	src = h->daddr;
	dst = h->saddr;
	/* RFC 4443 2.4 (e): never about an error, to a multicast or unspecified source */
	if (in6_is_any(&dst) || in6_is_multicast(&dst))
		return;
	if (in6_is_multicast(&src) && type != ICMPV6_PKT_TOOBIG)
		return;
	if (in->nexthdr == IPPROTO_ICMPV6 && in->len > in->nhlen && in->data[in->nhlen] < 128)
		return;
	if (!ip6_is_local(&src) && ip6_select_source(&dst, &src) < 0)
		return;
	skb = alloc_skb(sizeof(*ic) + n, MAX_HEADER);
	if (skb == NULL)
		return;
	ic = (struct icmp6hdr_w *)skb_put(skb, sizeof(*ic));
	ic->type = type;
	ic->code = code;
	ic->data = cpu_to_be32(info);
	memcpy(skb_put(skb, n), in->data, n);
	icmp6_xmit(skb, &src, &dst);
}

/* An error about a packet we sent: to the transport named in the quoted header. */
static void icmp6_error_rcv(const struct sk_buff *skb, const struct icmp6hdr_w *ic)
{
	const struct ipv6hdr_w *inner = (const struct ipv6hdr_w *)(ic + 1);
	const u8 *l4 = (const u8 *)(inner + 1);
	struct in6k is, id;
	int err = EHOSTUNREACH;
	u32 mtu = 0;

	if (skb->len < sizeof(*ic) + IPV6_HDR + 8)
		return;
	switch (ic->type) {
	case ICMPV6_DEST_UNREACH:
		if (ic->code == ICMPV6_PORT_UNREACH)
			err = ECONNREFUSED;
		else if (ic->code == ICMPV6_NOROUTE)
			err = ENETUNREACH;
		else if (ic->code == ICMPV6_ADM_PROHIBITED)
			err = EACCES;
		break;
	case ICMPV6_PKT_TOOBIG:
		err = EMSGSIZE;
		mtu = be32_to_cpu(ic->data);
		if (mtu < IPV6_MIN_MTU)
			mtu = IPV6_MIN_MTU;
		mtu -= IPV6_HDR - 20;	/* the TCP engine takes IPv4's 20 off */
		break;
	case ICMPV6_TIME_EXCEED:
		break;
	case ICMPV6_PARAMPROB:
		err = EPROTO;
		break;
	default:
		return;
	}
	is = inner->saddr;
	id = inner->daddr;
	if (inner->nexthdr == IPPROTO_TCP)
		tcp_err(&is, &id, l4, err, mtu);
	else if (inner->nexthdr == IPPROTO_UDP)
		udp_err(&is, &id, l4, err);
}

static void icmp6_rcv(struct sk_buff *skb)
{
	struct icmp6hdr_w *ic = (struct icmp6hdr_w *)skb->data;
	struct in6k src, dst;
	struct sk_buff *r;

	if (skb->len < sizeof(*ic) ||
	    csum_fold(csum_partial(skb->data, skb->len,
				   csum_pseudo6(&skb->saddr6, &skb->daddr6, IPPROTO_ICMPV6, skb->len))) != 0)
		return;
	raw6_rcv_icmp(skb);
	if (ic->type >= ND_ROUTER_SOLICIT && ic->type <= ND_REDIRECT) {
		ndisc_rcv(skb);
	} else if (ic->type == ICMPV6_ECHO_REQUEST) {
		/* RFC 4443 4.2: the reply carries the request's data; from the address it was sent to */
		if (in6_is_multicast(&skb->daddr6) || in6_is_any(&skb->saddr6))
			return;
		r = skb_copy(skb);
		if (r == NULL)
			return;
		src = skb->daddr6;
		dst = skb->saddr6;
		r->csum_off = 0;
		((struct icmp6hdr_w *)r->data)->type = ICMPV6_ECHO_REPLY;
		icmp6_xmit(r, &src, &dst);
	} else if (ic->type < 128) {
		icmp6_error_rcv(skb, ic);
	}
}

/* ---- input ---- */

/* Whether a unicast packet to a received on dev is ours: a usable address, or a tentative one of dev's (ND). */
static bool ip6_dev_accepts(struct netdevice *dev, const struct in6k *a, u8 nexthdr)
{
	int i;

	if (ip6_is_local(a))
		return true;
	for (i = 0; dev && nexthdr == IPPROTO_ICMPV6 && i < dev->nr_ip6; i++)
		if (in6_eq(&dev->ip6[i], a))
			return true;	/* tentative: only ND looks at it (RFC 4862 5.4) */
	return false;
}

static void ip6_deliver(struct sk_buff *skb);

void ip6_rcv(struct sk_buff *skb)
{
	const struct ipv6hdr_w *h = (const struct ipv6hdr_w *)skb->data;
	struct in6k hs, hd;
	u32 plen;

	if (skb->len < IPV6_HDR || (be32_to_cpu(h->ver_tc_flow) >> 28) != 6 ||
	    (plen = be16_to_cpu(h->payload_len)) + IPV6_HDR > skb->len) {
		skb->dev->stats.rx_errors++;
		kfree_skb(skb);
		return;
	}
	skb_trim(skb, IPV6_HDR + plen);
	hs = h->saddr;
	hd = h->daddr;
	if (in6_is_multicast(&hs) ||
	    !(in6_is_multicast(&hd) ? ip6_mc_member(skb->dev, &hd) : ip6_dev_accepts(skb->dev, &hd, h->nexthdr))) {
		kfree_skb(skb);
		return;
	}
	ip6_deliver(skb);
}

/* Walks the extension headers to the upper layer and hands skb to it. */
static void ip6_deliver(struct sk_buff *skb)
{
	const struct ipv6hdr_w *h = (const struct ipv6hdr_w *)skb->data;
	u32 off = IPV6_HDR;
	u8 nh = h->nexthdr;
	u32 field = 6;			/* the offset of the next-header field naming nh */

	for (;;) {
		if (nh == IPPROTO_HOPOPTS || nh == IPPROTO_DSTOPTS || nh == IPPROTO_ROUTING) {
			u32 hl;

			if (off + 8 > skb->len)
				goto drop;
			hl = ((u32)skb->data[off + 1] + 1) * 8;
			if (off + hl > skb->len)
				goto drop;
			if (nh == IPPROTO_HOPOPTS && off != IPV6_HDR)
				goto drop;
			if (nh == IPPROTO_ROUTING && skb->data[off + 3] != 0) {
				/* segments left: we do not forward (RFC 8200 4.4) */
				skb->nexthdr = nh;
				skb->nhlen = (u16)off;
				icmp6_send(skb, ICMPV6_PARAMPROB, 0, off + 2);
				goto drop;
			}
			field = off;
			nh = skb->data[off];
			off += hl;
			continue;
		}
		if (nh == IPPROTO_FRAGMENT) {
			if (off + FRAG_HDR > skb->len)
				goto drop;
			skb = ip6_defrag(skb, off, field, os_monotonic_ns());
			if (skb == NULL)
				return;
			h = (const struct ipv6hdr_w *)skb->data;
			off = IPV6_HDR;		/* walk the reassembled packet from the start */
			nh = h->nexthdr;
			field = 6;
			continue;
		}
		break;
	}
	skb->saddr6 = h->saddr;
	skb->daddr6 = h->daddr;
	skb->saddr = skb->daddr = 0;
	skb->ttl = h->hop_limit;
	skb->tos = (u8)(be32_to_cpu(h->ver_tc_flow) >> 20);
	skb->nhlen = (u16)off;
	skb->nexthdr = nh;
	skb_pull(skb, off);
	switch (nh) {
	case IPPROTO_TCP:
		tcp_v6_rcv(skb);
		return;
	case IPPROTO_UDP:
		udp_v6_rcv(skb);
		return;
	case IPPROTO_ICMPV6:
		icmp6_rcv(skb);
		break;
	case IPPROTO_NONE:
		break;
	default:
		skb_push(skb, off);
		icmp6_send(skb, ICMPV6_PARAMPROB, 1 /* unrecognised next header */,
			   field);
		break;
	}
drop:
	kfree_skb(skb);
}

/* ---- /proc/net/if_inet6 ---- */

size_t net_proc_if_inet6(char *buf, size_t len)
{
	struct netdevice *d;
	size_t n = 0;
	int i, j;

	list_for_each_entry(d, &netdev_list, link) {
		if (!(d->flags & IFF_UP))
			continue;
		for (i = 0; i < d->nr_ip6 && n < len; i++) {
			const struct in6k *a = &d->ip6[i];
			int scope = in6_is_loopback(a) ? 0x10 : in6_is_linklocal(a) ? 0x20 :
				    in6_is_sitelocal(a) ? 0x40 : 0;

			for (j = 0; j < 16; j++)
				n += (size_t)ksnprintf(buf + n, len - n, "%02x", a->b[j]);
			n += (size_t)ksnprintf(buf + n, len - n, " %02x %02x %02x %02x %8s\n", d->ifindex,
					       d->ip6_plen[i], scope, d->ip6_flags[i], d->name);
		}
	}
	return min(n, len);
}
