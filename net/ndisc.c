/*
 * ndisc.c - IPv6 on Ethernet devices: Neighbour Discovery (RFC 4861),
 * stateless address autoconfiguration (RFC 4862) and the IPv6 routes.
 *
 * At link up a device gets its link-local address fe80::/64 with the
 * modified EUI-64 of its MAC (tentative: one Neighbour Solicitation from
 * :: to its solicited-node group; no answer in a second and it is ours),
 * the fe80::/64 route, then Router Solicitations to ff02::2 (three, four
 * seconds apart, until a router answers).  A Router Advertisement gives a
 * default route through the router's link-local address (its lifetime),
 * on-link prefix routes and, for each autonomous /64 prefix, an address
 * of the prefix and the interface id (tentative, DAD as above) whose
 * lifetimes follow RFC 4862 5.5.3; an address whose valid lifetime ends
 * goes, one past its preferred lifetime is kept but not chosen as source.
 *
 * The neighbour cache maps an on-link IPv6 address to a MAC through the
 * state machine of net/in6.c (INCOMPLETE, REACHABLE, STALE, DELAY,
 * PROBE): packets to an unresolved neighbour wait (at most 3) while
 * multicast solicitations go out, and are dropped with the entry when
 * none is answered.  NS for our addresses are answered (solicited,
 * override, with our MAC), NA update the cache; RS are ignored (we are a
 * host).  Multicast destinations map to 33:33 MACs (RFC 2464 7).  One
 * ktimer drives it all, every 250 ms while anything waits.
 */
#include "kernel/kernel.h"
#include "kernel/inet.h"
#include "kernel/page.h"
#include "shared/os.h"

#define NCACHE		32
#define NQUEUE		3
#define TICK_NS		(250ULL * 1000000)
#define RS_INTERVAL	(4ULL * 1000000000)	/* RTR_SOLICITATION_INTERVAL (RFC 4861 10) */
#define RS_MAX		3			/* MAX_RTR_SOLICITATIONS */
#define DAD_NS		ND_RETRANS_NS		/* DupAddrDetectTransmits 1, RetransTimer 1 s */
#define NS_PER_S	1000000000ULL
#define RTPROT_KERNEL_	2
#define RTPROT_RA_	9

struct neigh6 {
	struct nd_entry e;
	struct netdevice *dev;		/* NULL: a free slot */
	struct in6k addr;
	struct list_head pending;
	int npending;
};

static struct neigh6 ncache[NCACHE];
struct route6 route6_table[MAX_ROUTES6];
int nr_routes6;
static struct ktimer tick;
static bool tick_ready;

static const struct in6k all_nodes = { .b = { 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 } };
static const struct in6k all_routers = { .b = { 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2 } };

static void tick_fn(struct ktimer *t);

static void tick_arm(void)
{
	if (!tick_ready) {
		ktimer_init(&tick, tick_fn, NULL);
		tick_ready = true;
	}
	if (!ktimer_armed(&tick))
		ktimer_start(&tick, os_monotonic_ns() + TICK_NS);
}

static bool is_eth(const struct netdevice *dev)
{
	return !(dev->flags & IFF_LOOPBACK) && dev->xmit_frame != NULL;
}

/* ---- routes ---- */

int route6_add(const struct in6k *dst, int plen, const struct in6k *gw, struct netdevice *dev, int metric,
	       u8 proto, u64 expires)
{
	struct in6k d = in6_prefix(dst, plen);
	int i;

	if (plen < 0 || plen > 128)
		return -EINVAL;
	for (i = 0; i < nr_routes6; i++) {
		struct route6 *r = &route6_table[i];

		if (r->plen == plen && in6_eq(&r->dst, &d) && r->dev == dev && r->metric == metric) {
			if (proto == RTPROT_RA_ && r->proto == RTPROT_RA_) {
				r->gw = *gw;	/* a router's advertisement renews its route */
				r->expires = expires;
				return 0;
			}
			return -EEXIST;
		}
	}
	if (nr_routes6 >= MAX_ROUTES6)
		return -ENOBUFS;
	route6_table[nr_routes6++] = (struct route6){ d, *gw, (u8)plen, proto, dev, metric, expires };
	if (expires)
		tick_arm();
	return 0;
}

static void route6_remove(int i)
{
	route6_table[i] = route6_table[--nr_routes6];
}

int route6_del(const struct in6k *dst, int plen, const struct in6k *gw, struct netdevice *dev)
{
	struct in6k d = in6_prefix(dst, plen);
	int i;

	for (i = 0; i < nr_routes6; i++) {
		struct route6 *r = &route6_table[i];

		if (r->plen == plen && in6_eq(&r->dst, &d) && (dev == NULL || r->dev == dev) &&
		    (gw == NULL || in6_eq(&r->gw, gw))) {
			route6_remove(i);
			return 0;
		}
	}
	return -ESRCH;
}

/* The first up Ethernet device with IPv6 (a link-scope destination without its interface). */
static struct netdevice *first_ip6_dev(void)
{
	struct netdevice *d;

	list_for_each_entry(d, &netdev_list, link)
		if ((d->flags & IFF_UP) && is_eth(d) && d->nr_ip6 > 0)
			return d;
	return NULL;
}

struct netdevice *ip6_route_nh(const struct in6k *daddr, struct in6k *nexthop)
{
	const struct route6 *best = NULL;
	struct netdevice *d;
	int i;

	*nexthop = *daddr;
	/* Our own addresses are reached through loopback, as Linux's local table. */
	if (ip6_is_local(daddr))
		return (loopback_dev.flags & IFF_UP) ? &loopback_dev : NULL;
	if (in6_is_multicast(daddr) || in6_is_linklocal(daddr))
		return first_ip6_dev();
	for (i = 0; i < nr_routes6; i++) {
		const struct route6 *r = &route6_table[i];

		if (!(r->dev->flags & IFF_UP) || !in6_prefix_match(daddr, &r->dst, r->plen))
			continue;
		if (best == NULL || r->plen > best->plen || (r->plen == best->plen && r->metric < best->metric))
			best = r;
	}
	if (best == NULL)
		return NULL;
	if (!in6_is_any(&best->gw))
		*nexthop = best->gw;
	d = best->dev;
	return d;
}

/* ---- addresses ---- */

static int addr_find(const struct netdevice *dev, const struct in6k *a)
{
	int i;

	for (i = 0; i < dev->nr_ip6; i++)
		if (in6_eq(&dev->ip6[i], a))
			return i;
	return -1;
}

static void addr_remove(struct netdevice *dev, int i)
{
	int last = --dev->nr_ip6;

	dev->ip6[i] = dev->ip6[last];
	dev->ip6_plen[i] = dev->ip6_plen[last];
	dev->ip6_flags[i] = dev->ip6_flags[last];
	dev->ip6_valid[i] = dev->ip6_valid[last];
	dev->ip6_pref[i] = dev->ip6_pref[last];
	dev->ip6_dad[i] = dev->ip6_dad[last];
}

bool ip6_mc_member(struct netdevice *dev, const struct in6k *a)
{
	int i;

	if (in6_eq(a, &all_nodes))
		return true;
	for (i = 0; i < dev->nr_ip6; i++) {
		struct in6k s = in6_solicited_node(&dev->ip6[i]);

		if (in6_eq(a, &s))
			return true;
	}
	return false;
}

/* A usable (not tentative) address of dev for a packet to daddr: 0, or -EADDRNOTAVAIL. */
int ip6_dev_source(struct netdevice *dev, const struct in6k *daddr, struct in6k *src)
{
	u64 now = os_monotonic_ns();
	int i, best = -1, score = -1;

	for (i = 0; i < dev->nr_ip6; i++) {
		const struct in6k *a = &dev->ip6[i];
		int s;

		if (dev->ip6_flags[i] & IN6_F_TENTATIVE)
			continue;
		/* RFC 6724 in short: the destination's scope, then a preferred address, then the longest match */
		if (in6_is_linklocal(daddr) || (in6_is_multicast(daddr) && (daddr->b[1] & 0xf) <= 2))
			s = in6_is_linklocal(a) ? 4 : 1;
		else
			s = in6_is_linklocal(a) ? 1 : 3;
		if (dev->ip6_pref[i] && now >= dev->ip6_pref[i])
			s--;			/* deprecated */
		if (!in6_is_linklocal(a) && in6_prefix_match(daddr, a, dev->ip6_plen[i]))
			s += 2;
		if (s > score) {
			score = s;
			best = i;
		}
	}
	if (best < 0)
		return -EADDRNOTAVAIL;
	*src = dev->ip6[best];
	return 0;
}

/* ---- sending ND messages ---- */

/* An ICMPv6 ND message of n bytes at p from src to dst on dev, hop limit 255. */
static void nd_send(struct netdevice *dev, const struct in6k *src, const struct in6k *dst, const u8 *p, u32 n)
{
	struct sk_buff *skb = alloc_skb(n, MAX_HEADER);
	u16 c;

	if (skb == NULL)
		return;
	memcpy(skb_put(skb, n), p, n);
	skb->data[2] = skb->data[3] = 0;
	c = csum_fold(csum_partial(skb->data, n, csum_pseudo6(src, dst, IPPROTO_ICMPV6, n)));
	memcpy(skb->data + 2, &c, 2);
	ip6_output_dev(skb, dev, dst, src, dst, IPPROTO_ICMPV6, 255, 0);
}

static u32 put_lladdr(u8 *p, u8 type, const u8 *mac)
{
	p[0] = type;
	p[1] = 1;
	memcpy(p + 2, mac, 6);
	return 8;
}

/*
 * A Neighbour Solicitation for target on dev: multicast (to its
 * solicited-node group) or unicast to dst; from src (:: for DAD, with no
 * source link-layer option then).
 */
static void ns_send(struct netdevice *dev, const struct in6k *src, const struct in6k *target, const struct in6k *dst)
{
	u8 m[32];
	u32 n = 24;
	struct in6k d = dst ? *dst : in6_solicited_node(target);

	memset(m, 0, sizeof(m));
	m[0] = ND_NEIGHBOR_SOLICIT;
	memcpy(m + 8, target->b, 16);
	if (!in6_is_any(src))
		n += put_lladdr(m + 24, ND_OPT_SOURCE_LL, dev->addr);
	nd_send(dev, src, &d, m, n);
}

static void na_send(struct netdevice *dev, const struct in6k *target, const struct in6k *dst, u8 flags)
{
	u8 m[32];

	memset(m, 0, sizeof(m));
	m[0] = ND_NEIGHBOR_ADVERT;
	m[4] = flags;
	memcpy(m + 8, target->b, 16);
	put_lladdr(m + 24, ND_OPT_TARGET_LL, dev->addr);
	nd_send(dev, target, dst, m, sizeof(m));
}

static void rs_send(struct netdevice *dev)
{
	struct in6k src = in6k_any;
	u8 m[16];
	u32 n = 8;

	memset(m, 0, sizeof(m));
	m[0] = ND_ROUTER_SOLICIT;
	if (ip6_dev_source(dev, &all_routers, &src) == 0)
		n += put_lladdr(m + 8, ND_OPT_SOURCE_LL, dev->addr);
	nd_send(dev, &src, &all_routers, m, n);
}

/* Starts DAD for a new tentative address (index i of dev). */
static void dad_start(struct netdevice *dev, int i)
{
	dev->ip6_flags[i] |= IN6_F_TENTATIVE;
	dev->ip6_dad[i] = os_monotonic_ns();
	ns_send(dev, &in6k_any, &dev->ip6[i], NULL);
	tick_arm();
}

static int addr_add(struct netdevice *dev, const struct in6k *a, int plen, u8 flags, u64 valid, u64 pref)
{
	int i = dev->nr_ip6;

	if (i >= (int)ARRAY_SIZE(dev->ip6))
		return -ENOBUFS;
	dev->ip6[i] = *a;
	dev->ip6_plen[i] = (u8)plen;
	dev->ip6_flags[i] = flags;
	dev->ip6_valid[i] = valid;
	dev->ip6_pref[i] = pref;
	dev->nr_ip6++;
	dad_start(dev, i);
	return 0;
}

int addrconf_add(struct netdevice *dev, const struct in6k *a, int plen, bool excl)
{
	int err;

	if (in6_is_multicast(a) || in6_is_any(a) || in6_is_mapped(a) || plen < 0 || plen > 128)
		return -EINVAL;
	if (addr_find(dev, a) >= 0)
		return excl ? -EEXIST : 0;
	if (dev->flags & IFF_LOOPBACK) {
		int i = dev->nr_ip6;

		if (i >= (int)ARRAY_SIZE(dev->ip6))
			return -ENOBUFS;
		dev->ip6[i] = *a;
		dev->ip6_plen[i] = (u8)plen;
		dev->ip6_flags[i] = IN6_F_PERMANENT;
		dev->ip6_valid[i] = dev->ip6_pref[i] = 0;
		dev->nr_ip6++;
		return 0;
	}
	if (!is_eth(dev))
		return -EOPNOTSUPP;
	err = addr_add(dev, a, plen, IN6_F_PERMANENT, 0, 0);
	if (err == 0 && plen < 128)
		route6_add(a, plen, &in6k_any, dev, 256, RTPROT_KERNEL_, 0);
	return err;
}

int addrconf_del(struct netdevice *dev, const struct in6k *a, int plen)
{
	int i = addr_find(dev, a), j;

	if (i < 0 || dev->ip6_plen[i] != plen)
		return -EADDRNOTAVAIL;
	addr_remove(dev, i);
	for (j = 0; j < dev->nr_ip6; j++)
		if (dev->ip6_plen[j] == plen && in6_prefix_match(&dev->ip6[j], a, plen))
			return 0;		/* the prefix route still serves another address */
	route6_del(a, plen, NULL, dev);
	return 0;
}

/* ---- the neighbour cache ---- */

static void neigh_free(struct neigh6 *n)
{
	skb_queue_purge(&n->pending);
	n->npending = 0;
	n->dev = NULL;
	n->e.state = ND_NONE;
}

static struct neigh6 *neigh_lookup(struct netdevice *dev, const struct in6k *a, bool create)
{
	struct neigh6 *free = NULL, *stale = NULL;
	int i;

	for (i = 0; i < NCACHE; i++) {
		struct neigh6 *n = &ncache[i];

		if (n->dev == dev && in6_eq(&n->addr, a))
			return n;
		if (n->dev == NULL && free == NULL)
			free = n;
		if (n->dev && n->e.state == ND_STALE && (stale == NULL || n->e.when < stale->e.when))
			stale = n;
	}
	if (!create)
		return NULL;
	if (free == NULL && stale != NULL) {
		neigh_free(stale);
		free = stale;
	}
	if (free == NULL)
		return NULL;
	memset(free, 0, sizeof(*free));
	free->dev = dev;
	free->addr = *a;
	INIT_LIST_HEAD(&free->pending);
	return free;
}

static void eth_send6(struct netdevice *dev, struct sk_buff *skb, const u8 *dest)
{
	u8 *eh = skb_push(skb, ETH_HLEN);

	memcpy(eh, dest, 6);
	memcpy(eh + 6, dev->addr, 6);
	eh[12] = ETH_P_IPV6 >> 8;
	eh[13] = ETH_P_IPV6 & 0xff;
	dev->stats.tx_packets++;
	dev->stats.tx_bytes += skb->len;
	if (dev->xmit_frame(dev, skb) < 0)
		dev->stats.tx_dropped++;
}

static void neigh_flush(struct neigh6 *n)
{
	struct sk_buff *skb, *t;

	list_for_each_entry_safe(skb, t, &n->pending, list) {
		list_del(&skb->list);
		eth_send6(n->dev, skb, n->e.mac);
	}
	n->npending = 0;
}

/* The source for a solicitation prompted by skb (RFC 4861 7.2.2): its own if ours, else one of dev's. */
static void solicit(struct neigh6 *n, bool mcast)
{
	struct in6k src = in6k_any;

	if (!list_empty(&n->pending)) {
		const struct sk_buff *q = list_first_entry(&n->pending, struct sk_buff, list);

		if (addr_find(n->dev, &q->saddr6) >= 0 && !(n->dev->ip6_flags[addr_find(n->dev, &q->saddr6)] &
							    IN6_F_TENTATIVE))
			src = q->saddr6;
	}
	if (in6_is_any(&src) && ip6_dev_source(n->dev, &n->addr, &src) < 0)
		return;				/* no usable address yet: the timer tries again */
	ns_send(n->dev, &src, &n->addr, mcast ? NULL : &n->addr);
}

/* The neighbour never answered: what waited goes, its senders told, as Linux's ndisc_error_report. */
static void neigh_fail(struct neigh6 *n)
{
	LIST_HEAD(dead);
	struct sk_buff *skb, *t;

	while (!list_empty(&n->pending)) {
		skb = list_first_entry(&n->pending, struct sk_buff, list);
		list_del(&skb->list);
		list_add_tail(&skb->list, &dead);
	}
	n->npending = 0;
	n->dev = NULL;
	n->e.state = ND_NONE;
	list_for_each_entry_safe(skb, t, &dead, list) {
		const struct ipv6hdr_w *h = (const struct ipv6hdr_w *)skb->data;

		list_del(&skb->list);
		if (skb->len >= IPV6_HDR + 8) {
			const u8 *l4 = skb->data + IPV6_HDR;
			struct in6k s = h->saddr, d = h->daddr;

			if (h->nexthdr == IPPROTO_TCP)
				tcp_err(&s, &d, l4, EHOSTUNREACH, 0);
			else if (h->nexthdr == IPPROTO_UDP)
				udp_err(&s, &d, l4, EHOSTUNREACH);
		}
		kfree_skb(skb);
	}
}

int ndisc_xmit(struct netdevice *dev, struct sk_buff *skb)
{
	struct neigh6 *n;
	bool sol;
	u8 mac[6];

	if (in6_is_multicast(&skb->nexthop6)) {
		in6_multicast_mac(&skb->nexthop6, mac);
		eth_send6(dev, skb, mac);
		return 0;
	}
	n = neigh_lookup(dev, &skb->nexthop6, true);
	if (n == NULL) {
		kfree_skb(skb);
		return -ENOBUFS;
	}
	switch (nd_output(&n->e, os_monotonic_ns(), &sol)) {
	case ND_ACT_SEND:
		eth_send6(dev, skb, n->e.mac);
		tick_arm();			/* DELAY runs to PROBE */
		return 0;
	default:
		break;
	}
	if (n->npending >= NQUEUE) {
		struct sk_buff *old = list_first_entry(&n->pending, struct sk_buff, list);

		list_del(&old->list);
		kfree_skb(old);
		n->npending--;
	}
	list_add_tail(&skb->list, &n->pending);
	n->npending++;
	if (sol)
		solicit(n, true);
	tick_arm();
	return 0;
}

/* ---- receiving ND messages ---- */

static void dad_failed(struct netdevice *dev, int i)
{
	char b[46];

	in6_ntop(&dev->ip6[i], b);
	printk(KERN_WARNING "%s: IPv6 duplicate address %s detected!\n", dev->name, b);
	addr_remove(dev, i);
}

static void ns_rcv(struct netdevice *dev, const struct sk_buff *skb, const struct nd_msg *m)
{
	int i = addr_find(dev, &m->target);
	bool dad = in6_is_any(&skb->saddr6);
	struct neigh6 *n;

	if (dad && (in6_is_multicast(&skb->daddr6) ? skb->daddr6.b[11] != 1 : true))
		return;				/* DAD goes to a solicited-node group (7.1.1) */
	if (dad && m->has_lladdr)
		return;
	if (i < 0)
		return;				/* not for us (we proxy nothing) */
	if (dev->ip6_flags[i] & IN6_F_TENTATIVE) {
		if (dad)
			dad_failed(dev, i);	/* another node wants it too (RFC 4862 5.4.3) */
		return;
	}
	if (dad) {
		na_send(dev, &m->target, &all_nodes, ND_NA_OVERRIDE);
		return;
	}
	if (m->has_lladdr) {
		n = neigh_lookup(dev, &skb->saddr6, true);
		if (n != NULL && nd_lladdr_seen(&n->e, m->lladdr, os_monotonic_ns()) == ND_ACT_SEND)
			neigh_flush(n);
	}
	na_send(dev, &m->target, &skb->saddr6, ND_NA_SOLICITED | ND_NA_OVERRIDE);
}

static void na_rcv(struct netdevice *dev, const struct sk_buff *skb, const struct nd_msg *m)
{
	int i = addr_find(dev, &m->target);
	struct neigh6 *n;

	if ((m->na_flags & ND_NA_SOLICITED) && in6_is_multicast(&skb->daddr6))
		return;				/* 7.1.2 */
	if (i >= 0) {
		if (dev->ip6_flags[i] & IN6_F_TENTATIVE)
			dad_failed(dev, i);
		return;				/* another host claims one of ours: we keep it */
	}
	n = neigh_lookup(dev, &m->target, false);
	if (n != NULL && nd_advert(&n->e, m->has_lladdr ? m->lladdr : NULL, m->na_flags,
				   os_monotonic_ns()) == ND_ACT_SEND)
		neigh_flush(n);
}

/* An address's lifetime (seconds from now) as a deadline; 0 for infinity. */
static u64 deadline(u64 now, u32 s)
{
	return s == 0xffffffff ? 0 : now + (u64)s * NS_PER_S;
}

static void prefix_rcv(struct netdevice *dev, const struct nd_prefix *pi, u64 now)
{
	struct in6k a;
	int i;

	if (in6_is_linklocal(&pi->prefix) || in6_is_multicast(&pi->prefix))
		return;
	if (pi->flags & ND_PREFIX_ONLINK) {
		if (pi->valid == 0)
			route6_del(&pi->prefix, pi->plen, NULL, dev);
		else
			route6_add(&pi->prefix, pi->plen, &in6k_any, dev, 256, RTPROT_RA_, deadline(now, pi->valid));
	}
	/* RFC 4862 5.5.3: an autonomous prefix of 64 bits, the preferred lifetime within the valid one */
	if (!(pi->flags & ND_PREFIX_AUTO) || pi->preferred > pi->valid || pi->plen != 64)
		return;
	a = in6_eui64(&pi->prefix, dev->addr);
	i = addr_find(dev, &a);
	if (i < 0) {
		if (pi->valid != 0)
			addr_add(dev, &a, 64, 0, deadline(now, pi->valid), deadline(now, pi->preferred));
		return;
	}
	if (dev->ip6_flags[i] & IN6_F_PERMANENT)
		return;
	{
		u32 rem = dev->ip6_valid[i] == 0 ? 0xffffffff :
			  dev->ip6_valid[i] > now ? (u32)min((dev->ip6_valid[i] - now) / NS_PER_S, (u64)0xfffffffe) : 0;
		u32 v = slaac_valid_lifetime(rem, pi->valid);

		dev->ip6_valid[i] = deadline(now, v);
		dev->ip6_pref[i] = deadline(now, pi->preferred);
	}
}

static void ra_rcv(struct netdevice *dev, const struct sk_buff *skb, const struct nd_msg *m)
{
	u64 now = os_monotonic_ns();
	int i;

	if (!in6_is_linklocal(&skb->saddr6))
		return;				/* 6.1.2: from the router's link-local address */
	if (m->has_lladdr) {
		struct neigh6 *n = neigh_lookup(dev, &skb->saddr6, true);

		if (n != NULL && nd_lladdr_seen(&n->e, m->lladdr, now) == ND_ACT_SEND)
			neigh_flush(n);
	}
	dev->rs_next = 0;			/* a router answered */
	if (m->router_lifetime)
		route6_add(&in6k_any, 0, &skb->saddr6, dev, 1024, RTPROT_RA_,
			   now + (u64)m->router_lifetime * NS_PER_S);
	else
		route6_del(&in6k_any, 0, &skb->saddr6, dev);
	if (m->mtu >= IPV6_MIN_MTU && m->mtu < dev->mtu)
		dev->mtu = m->mtu;
	for (i = 0; i < m->nr_prefix; i++)
		prefix_rcv(dev, &m->prefix[i], now);
}

void ndisc_rcv(struct sk_buff *skb)
{
	struct netdevice *dev = skb->dev;
	struct nd_msg m;

	/* 6.1, 7.1: hop limit 255 (not forwarded), well formed */
	if (dev == NULL || !is_eth(dev) || skb->ttl != 255 || nd_parse(skb->data, skb->len, &m) < 0)
		return;
	if (in6_is_any(&skb->saddr6) && m.type != ND_NEIGHBOR_SOLICIT)
		return;
	switch (m.type) {
	case ND_NEIGHBOR_SOLICIT:
		ns_rcv(dev, skb, &m);
		break;
	case ND_NEIGHBOR_ADVERT:
		na_rcv(dev, skb, &m);
		break;
	case ND_ROUTER_ADVERT:
		ra_rcv(dev, skb, &m);
		break;
	default:
		break;				/* RS: for routers; redirects: not followed */
	}
}

bool ndisc_neigh(int i, struct netdevice **dev, struct in6k *a, u8 *mac, int *state, bool *router)
{
	const struct neigh6 *n;

	if (i < 0 || i >= NCACHE)
		return false;
	n = &ncache[i];
	*dev = n->dev;
	*a = n->addr;
	memcpy(mac, n->e.mac, 6);
	*state = n->dev ? (int)n->e.state : ND_NONE;
	*router = n->e.router;
	return true;
}

/* ---- link up and down, the timer ---- */

void addrconf_dev_up(struct netdevice *dev)
{
	struct in6k ll, pfx = in6k_any;
	int i;

	if (!is_eth(dev) || !(dev->flags & IFF_UP))
		return;
	for (i = 0; i < dev->nr_ip6; i++)
		dad_start(dev, i);		/* configured while the link was down */
	ll = in6_linklocal(dev->addr);
	if (addr_find(dev, &ll) < 0)
		addr_add(dev, &ll, 64, IN6_F_PERMANENT, 0, 0);
	pfx.b[0] = 0xfe;
	pfx.b[1] = 0x80;
	route6_add(&pfx, 64, &in6k_any, dev, 256, RTPROT_KERNEL_, 0);
	dev->rs_sent = 0;
	dev->rs_next = os_monotonic_ns() + DAD_NS;	/* once the link-local address is ours */
	tick_arm();
}

void addrconf_dev_down(struct netdevice *dev)
{
	int i;

	if (dev->flags & IFF_LOOPBACK)
		return;
	dev->nr_ip6 = 0;
	dev->rs_next = 0;
	for (i = nr_routes6 - 1; i >= 0; i--)
		if (route6_table[i].dev == dev)
			route6_remove(i);
	for (i = 0; i < NCACHE; i++)
		if (ncache[i].dev == dev)
			neigh_free(&ncache[i]);
}

void ndisc_quiesce(void)
{
	int i;

	for (i = 0; i < NCACHE; i++)
		if (ncache[i].dev != NULL && !list_empty(&ncache[i].pending)) {
			skb_queue_purge(&ncache[i].pending);
			ncache[i].npending = 0;
		}
}

static bool dev_tick(struct netdevice *dev, u64 now)
{
	bool busy = false;
	int i;

	for (i = dev->nr_ip6 - 1; i >= 0; i--) {
		if (dev->ip6_valid[i] && now >= dev->ip6_valid[i]) {
			addr_remove(dev, i);	/* its valid lifetime ended */
			continue;
		}
		if (dev->ip6_flags[i] & IN6_F_TENTATIVE) {
			if (now - dev->ip6_dad[i] >= DAD_NS)
				dev->ip6_flags[i] &= (u8)~IN6_F_TENTATIVE;	/* nobody objected */
			else
				busy = true;
		}
		if (dev->ip6_valid[i])
			busy = true;
	}
	if (dev->rs_next && now >= dev->rs_next) {
		struct in6k src, ll = in6_linklocal(dev->addr);

		if (addr_find(dev, &ll) < 0) {
			dev->rs_next = 0;		/* its DAD failed: no solicitations (RFC 4862 5.4.5) */
		} else if (ip6_dev_source(dev, &all_routers, &src) < 0) {
			dev->rs_next = now + TICK_NS;	/* the link-local address is still tentative */
		} else {
			rs_send(dev);
			dev->rs_next = ++dev->rs_sent < RS_MAX ? now + RS_INTERVAL : 0;
		}
	}
	return busy || dev->rs_next;
}

static void tick_fn(struct ktimer *t)
{
	u64 now = os_monotonic_ns();
	struct netdevice *d;
	bool busy = false;
	int i;

	list_for_each_entry(d, &netdev_list, link)
		if (is_eth(d) && (d->flags & IFF_UP))
			busy |= dev_tick(d, now);
	for (i = nr_routes6 - 1; i >= 0; i--) {
		if (route6_table[i].expires == 0)
			continue;
		if (now >= route6_table[i].expires)
			route6_remove(i);
		else
			busy = true;
	}
	for (i = 0; i < NCACHE; i++) {
		struct neigh6 *n = &ncache[i];

		if (n->dev == NULL)
			continue;
		switch (nd_timer(&n->e, now)) {
		case ND_ACT_SOLICIT_MCAST:
			solicit(n, true);
			break;
		case ND_ACT_SOLICIT_UCAST:
			solicit(n, false);
			break;
		case ND_ACT_FAIL:
			neigh_fail(n);
			break;
		default:
			break;
		}
		if (n->dev != NULL && n->e.state != ND_STALE)
			busy = true;
	}
	if (busy)
		ktimer_start(t, now + TICK_NS);
}
