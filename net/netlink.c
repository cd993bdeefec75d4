/*
 * netlink.c - AF_NETLINK sockets of NETLINK_ROUTE (netlink(7),
 * rtnetlink(7)), enough for `ip link`, `ip addr` and `ip route` of
 * busybox and iproute2: dumps of links, IPv4 addresses and routes, and
 * the requests that change them (RTM_NEWLINK/SETLINK up, down and MTU;
 * RTM_NEWADDR/DELADDR, one IPv4 address per device; RTM_NEWROUTE/
 * DELROUTE in the main table).
 *
 * A request is answered at once: the replies are datagrams (each at most
 * a page of messages, a dump ends with NLMSG_DONE) queued on the socket
 * for recvmsg; NLMSG_ERROR carries errors and, with NLM_F_ACK, the
 * acknowledgement.  No multicast groups (no events are sent) and no other
 * netlink protocols (EPROTONOSUPPORT).  Changes need root.
 */
#include "kernel/kernel.h"
#include "kernel/fs.h"
#include "kernel/inet.h"
#include "kernel/mm.h"
#include "kernel/net.h"
#include "kernel/page.h"
#include "kernel/sched.h"
#include "shared/os.h"
#include "uapi/asm-generic/poll.h"
#include "uapi/linux/if.h"
#include "uapi/linux/rtnetlink.h"
#include "uapi/linux/neighbour.h"

#define NL_DGRAM_MAX	4096
#define ARPHRD_ETHER_NUM 1
#define ARPHRD_LOOPBACK_NUM 772

struct nl_sock {
	struct socket *sock;
	u32 portid;
	struct list_head rxq;		/* reply datagrams */
	struct wait_queue wq;
	u32 groups;
};

/* The reply being built: datagrams of whole messages. */
struct nl_reply {
	struct nl_sock *nl;
	struct sk_buff *cur;
	u32 seq;
	int err;
};

static u32 next_portid = 0x80000000;

static struct sk_buff *reply_room(struct nl_reply *r, u32 need)
{
	if (r->cur && skb_tailroom(r->cur) < need) {
		list_add_tail(&r->cur->list, &r->nl->rxq);
		r->cur = NULL;
	}
	if (r->cur == NULL) {
		r->cur = alloc_skb(max(need, (u32)NL_DGRAM_MAX), 0);
		if (r->cur == NULL)
			r->err = -ENOBUFS;
	}
	return r->cur;
}

/* Starts a message of type with a family header of hlen bytes: the header, or NULL. */
static struct nlmsghdr *msg_start(struct nl_reply *r, u16 type, u16 flags, u32 hlen)
{
	struct sk_buff *skb = reply_room(r, 512);
	struct nlmsghdr *h;

	if (skb == NULL)
		return NULL;
	h = (struct nlmsghdr *)skb_put(skb, NLMSG_HDRLEN + NLMSG_ALIGN(hlen));
	memset(h, 0, NLMSG_HDRLEN + NLMSG_ALIGN(hlen));
	h->nlmsg_type = type;
	h->nlmsg_flags = flags;
	h->nlmsg_seq = r->seq;
	h->nlmsg_pid = r->nl->portid;
	return h;
}

static void put_attr(struct nl_reply *r, u16 type, const void *data, u32 len)
{
	struct rtattr *a = (struct rtattr *)skb_put(r->cur, RTA_SPACE(len));

	memset(a, 0, RTA_SPACE(len));
	a->rta_type = type;
	a->rta_len = (u16)RTA_LENGTH(len);
	memcpy(RTA_DATA(a), data, len);
}

static void msg_end(struct nl_reply *r, struct nlmsghdr *h)
{
	h->nlmsg_len = (u32)(r->cur->data + r->cur->len - (u8 *)h);
}

static void put_u32_attr(struct nl_reply *r, u16 type, u32 v)
{
	put_attr(r, type, &v, 4);
}

static void reply_done(struct nl_reply *r, bool dump)
{
	if (dump) {
		struct nlmsghdr *h = msg_start(r, NLMSG_DONE, NLM_F_MULTI, 4);

		if (h)
			msg_end(r, h);
	}
	if (r->cur) {
		list_add_tail(&r->cur->list, &r->nl->rxq);
		r->cur = NULL;
	}
	wake_up_poll(&r->nl->wq, POLLIN | POLLRDNORM);
}

/* NLMSG_ERROR: err (0 is the ACK) and the request's header. */
static void reply_error(struct nl_reply *r, const struct nlmsghdr *req, int err)
{
	struct nlmsghdr *h = msg_start(r, NLMSG_ERROR, 0, sizeof(struct nlmsgerr));
	struct nlmsgerr *e;

	if (h == NULL)
		return;
	e = NLMSG_DATA(h);
	e->error = err;
	e->msg = *req;
	msg_end(r, h);
}

/* ---- links, addresses, routes ---- */

static void fill_link(struct nl_reply *r, struct netdevice *d, u16 flags)
{
	static const u8 bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	struct nlmsghdr *h = msg_start(r, RTM_NEWLINK, flags, sizeof(struct ifinfomsg));
	struct ifinfomsg *ifi;
	u8 oper;

	if (h == NULL)
		return;
	ifi = NLMSG_DATA(h);
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_type = (d->flags & IFF_LOOPBACK) ? ARPHRD_LOOPBACK_NUM : ARPHRD_ETHER_NUM;
	ifi->ifi_index = d->ifindex;
	ifi->ifi_flags = d->flags | ((d->flags & IFF_UP) ? IFF_LOWER_UP : 0);
	ifi->ifi_change = 0xffffffff;
	put_attr(r, IFLA_IFNAME, d->name, (u32)strlen(d->name) + 1);
	put_u32_attr(r, IFLA_MTU, d->mtu);
	put_u32_attr(r, IFLA_TXQLEN, 1000);
	oper = (d->flags & IFF_UP) ? (d->flags & IFF_LOOPBACK ? IF_OPER_UNKNOWN : IF_OPER_UP) :
	       IF_OPER_DOWN;
	put_attr(r, IFLA_OPERSTATE, &oper, 1);
	put_attr(r, IFLA_QDISC, "noqueue", 8);
	put_attr(r, IFLA_ADDRESS, d->addr, 6);
	put_attr(r, IFLA_BROADCAST, (d->flags & IFF_LOOPBACK) ? d->addr : bcast, 6);
	msg_end(r, h);
}

static int prefix_len(u32 mask)
{
	int n = 0;

	for (mask = be32_to_cpu(mask); mask & 0x80000000; mask <<= 1)
		n++;
	return n;
}

static u32 prefix_mask(int len)
{
	return len <= 0 ? 0 : cpu_to_be32(len >= 32 ? 0xffffffff : ~(0xffffffffu >> len));
}

static void fill_addr(struct nl_reply *r, struct netdevice *d, u16 flags)
{
	struct nlmsghdr *h = msg_start(r, RTM_NEWADDR, flags, sizeof(struct ifaddrmsg));
	struct ifaddrmsg *ifa;
	u32 bc = d->ip | ~d->mask;

	if (h == NULL)
		return;
	ifa = NLMSG_DATA(h);
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = (u8)prefix_len(d->mask);
	ifa->ifa_flags = IFA_F_PERMANENT;
	ifa->ifa_scope = (d->flags & IFF_LOOPBACK) ? RT_SCOPE_HOST : RT_SCOPE_UNIVERSE;
	ifa->ifa_index = (u32)d->ifindex;
	put_attr(r, IFA_ADDRESS, &d->ip, 4);
	put_attr(r, IFA_LOCAL, &d->ip, 4);
	if (d->flags & IFF_BROADCAST)
		put_attr(r, IFA_BROADCAST, &bc, 4);
	put_attr(r, IFA_LABEL, d->name, (u32)strlen(d->name) + 1);
	msg_end(r, h);
}

/* Seconds from now to the monotonic deadline t (0: forever, 0xffffffff). */
static u32 secs_left(u64 t, u64 now)
{
	return t == 0 ? 0xffffffff : t > now ? (u32)((t - now) / 1000000000) : 0;
}

/* One of the device's IPv6 addresses, as Linux's inet6_fill_ifaddr. */
static void fill_addr6(struct nl_reply *r, struct netdevice *d, int i, u16 flags)
{
	struct nlmsghdr *h = msg_start(r, RTM_NEWADDR, flags, sizeof(struct ifaddrmsg));
	struct ifaddrmsg *ifa;
	const struct in6k *a = &d->ip6[i];
	struct ifa_cacheinfo ci;
	u64 now = os_monotonic_ns();

	if (h == NULL)
		return;
	ifa = NLMSG_DATA(h);
	ifa->ifa_family = AF_INET6;
	ifa->ifa_prefixlen = d->ip6_plen[i];
	ifa->ifa_flags = d->ip6_flags[i];
	ifa->ifa_scope = in6_is_loopback(a) ? RT_SCOPE_HOST : in6_is_linklocal(a) ? RT_SCOPE_LINK :
			 in6_is_sitelocal(a) ? RT_SCOPE_SITE : RT_SCOPE_UNIVERSE;
	ifa->ifa_index = (u32)d->ifindex;
	put_attr(r, IFA_ADDRESS, a, 16);
	memset(&ci, 0, sizeof(ci));
	ci.ifa_valid = secs_left(d->ip6_valid[i], now);
	ci.ifa_prefered = secs_left(d->ip6_pref[i], now);
	put_attr(r, IFA_CACHEINFO, &ci, sizeof(ci));
	put_u32_attr(r, IFA_FLAGS, d->ip6_flags[i]);
	msg_end(r, h);
}

/* lo's addresses' routes (::1/128, metric 256, as Linux's addrconf). */
static void fill_route6_lo(struct nl_reply *r, struct netdevice *d, int i, u16 flags)
{
	struct nlmsghdr *h = msg_start(r, RTM_NEWROUTE, flags, sizeof(struct rtmsg));
	struct rtmsg *rtm;
	struct in6k dst = in6_prefix(&d->ip6[i], d->ip6_plen[i]);

	if (h == NULL)
		return;
	rtm = NLMSG_DATA(h);
	rtm->rtm_family = AF_INET6;
	rtm->rtm_dst_len = d->ip6_plen[i];
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = RTPROT_KERNEL;
	rtm->rtm_scope = RT_SCOPE_UNIVERSE;
	rtm->rtm_type = RTN_UNICAST;
	put_u32_attr(r, RTA_TABLE, RT_TABLE_MAIN);
	put_attr(r, RTA_DST, &dst, 16);
	put_u32_attr(r, RTA_PRIORITY, 256);
	put_u32_attr(r, RTA_OIF, (u32)d->ifindex);
	msg_end(r, h);
}

/* An IPv6 route of the table (net/ndisc.c), as Linux's rt6_fill_node. */
static void fill_route6(struct nl_reply *r, const struct route6 *rt, u16 flags)
{
	struct nlmsghdr *h = msg_start(r, RTM_NEWROUTE, flags, sizeof(struct rtmsg));
	struct rtmsg *rtm;

	if (h == NULL)
		return;
	rtm = NLMSG_DATA(h);
	rtm->rtm_family = AF_INET6;
	rtm->rtm_dst_len = rt->plen;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = rt->proto;
	rtm->rtm_scope = RT_SCOPE_UNIVERSE;
	rtm->rtm_type = RTN_UNICAST;
	put_u32_attr(r, RTA_TABLE, RT_TABLE_MAIN);
	if (rt->plen)
		put_attr(r, RTA_DST, &rt->dst, 16);
	if (!in6_is_any(&rt->gw))
		put_attr(r, RTA_GATEWAY, &rt->gw, 16);
	put_u32_attr(r, RTA_PRIORITY, (u32)rt->metric);
	put_u32_attr(r, RTA_OIF, (u32)rt->dev->ifindex);
	if (rt->expires) {
		struct rta_cacheinfo ci;
		u64 now = os_monotonic_ns();

		memset(&ci, 0, sizeof(ci));
		ci.rta_expires = rt->expires > now ? (s32)min((rt->expires - now) / 10000000, (u64)0x7fffffff) : 0;
		put_attr(r, RTA_CACHEINFO, &ci, sizeof(ci));	/* in USER_HZ (100) ticks */
	}
	msg_end(r, h);
}

static void fill_route(struct nl_reply *r, const struct route *rt, u16 flags)
{
	struct nlmsghdr *h = msg_start(r, RTM_NEWROUTE, flags, sizeof(struct rtmsg));
	struct rtmsg *rtm;

	if (h == NULL)
		return;
	rtm = NLMSG_DATA(h);
	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = (u8)prefix_len(rt->mask);
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = rt->gw ? RTPROT_BOOT : RTPROT_KERNEL;
	rtm->rtm_scope = rt->gw ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
	rtm->rtm_type = RTN_UNICAST;
	put_u32_attr(r, RTA_TABLE, RT_TABLE_MAIN);
	if (rt->mask)
		put_attr(r, RTA_DST, &rt->dst, 4);
	if (rt->gw)
		put_attr(r, RTA_GATEWAY, &rt->gw, 4);
	else if (rt->dev->ip)
		put_attr(r, RTA_PREFSRC, &rt->dev->ip, 4);
	if (rt->metric)
		put_u32_attr(r, RTA_PRIORITY, (u32)rt->metric);
	put_u32_attr(r, RTA_OIF, (u32)rt->dev->ifindex);
	msg_end(r, h);
}

/* One neighbour entry, as Linux's neigh_fill_info: state a NUD_* value. */
static void fill_neigh(struct nl_reply *r, u8 family, const struct netdevice *d, u16 state,
		       u8 flags, const void *dst, u32 dstlen, const u8 *mac)
{
	struct nlmsghdr *h = msg_start(r, RTM_NEWNEIGH, NLM_F_MULTI, sizeof(struct ndmsg));
	struct ndmsg *nd;

	if (h == NULL)
		return;
	nd = NLMSG_DATA(h);
	nd->ndm_family = family;
	nd->ndm_ifindex = d->ifindex;
	nd->ndm_state = state;
	nd->ndm_flags = flags;
	nd->ndm_type = RTN_UNICAST;
	put_attr(r, NDA_DST, dst, dstlen);
	if (state != NUD_INCOMPLETE)
		put_attr(r, NDA_LLADDR, mac, 6);
	msg_end(r, h);
}

/* The ARP cache (ip neigh). */
static void dump_neigh4(struct nl_reply *r)
{
	struct netdevice *d;
	u32 ip;
	u8 mac[6];
	int i, st;

	for (i = 0; arp_neigh(i, &d, &ip, mac, &st); i++)
		if (st != NUD_NONE)
			fill_neigh(r, AF_INET, d, (u16)st, 0, &ip, 4, mac);
}

/* The IPv6 neighbour cache (ip -6 neigh). */
static void dump_neigh6(struct nl_reply *r)
{
	static const u16 nud[] = { [ND_NONE] = NUD_NONE, [ND_INCOMPLETE] = NUD_INCOMPLETE,
				   [ND_REACHABLE] = NUD_REACHABLE, [ND_STALE] = NUD_STALE,
				   [ND_DELAY] = NUD_DELAY, [ND_PROBE] = NUD_PROBE };
	struct netdevice *d;
	struct in6k a;
	u8 mac[6];
	int i, st;
	bool router;

	for (i = 0; ndisc_neigh(i, &d, &a, mac, &st, &router); i++)
		if (d != NULL && st != ND_NONE)
			fill_neigh(r, AF_INET6, d, nud[st], router ? NTF_ROUTER : 0, &a, 16, mac);
}

static void dump(struct nl_reply *r, u16 type, u8 family)
{
	struct netdevice *d;
	int i;

	switch (type) {
	case RTM_GETLINK:
		list_for_each_entry(d, &netdev_list, link)
			fill_link(r, d, NLM_F_MULTI);
		break;
	case RTM_GETADDR:
		if (family == AF_UNSPEC || family == AF_INET)
			list_for_each_entry(d, &netdev_list, link)
				if (d->ip)
					fill_addr(r, d, NLM_F_MULTI);
		if (family == AF_UNSPEC || family == AF_INET6)
			list_for_each_entry(d, &netdev_list, link)
				for (i = 0; (d->flags & IFF_UP) && i < d->nr_ip6; i++)
					fill_addr6(r, d, i, NLM_F_MULTI);
		break;
	case RTM_GETNEIGH:
		if (family == AF_UNSPEC || family == AF_INET)
			dump_neigh4(r);
		if (family == AF_UNSPEC || family == AF_INET6)
			dump_neigh6(r);
		break;
	case RTM_GETROUTE:
		if (family == AF_UNSPEC || family == AF_INET)
			for (i = 0; i < nr_routes; i++)
				if (!(route_table[i].dev->flags & IFF_LOOPBACK))
					fill_route(r, &route_table[i], NLM_F_MULTI);
		if (family == AF_UNSPEC || family == AF_INET6)
		{
			for (i = 0; (loopback_dev.flags & IFF_UP) && i < loopback_dev.nr_ip6; i++)
				fill_route6_lo(r, &loopback_dev, i, NLM_F_MULTI);
			for (i = 0; i < nr_routes6; i++)
				if (route6_table[i].dev->flags & IFF_UP)
					fill_route6(r, &route6_table[i], NLM_F_MULTI);
		}
		break;
	}
	reply_done(r, true);
}

/* The attribute of type in the attributes after a family header: its data, or NULL. */
static const void *find_attr(const struct nlmsghdr *h, u32 hlen, u16 type, u32 want)
{
	const u8 *p = (const u8 *)NLMSG_DATA(h) + NLMSG_ALIGN(hlen);
	const u8 *end = (const u8 *)h + h->nlmsg_len;

	while (p + sizeof(struct rtattr) <= end) {
		const struct rtattr *a = (const struct rtattr *)p;

		if (a->rta_len < sizeof(*a) || p + a->rta_len > end)
			return NULL;
		if (a->rta_type == type && RTA_PAYLOAD(a) >= want)
			return RTA_DATA(a);
		p += RTA_ALIGN(a->rta_len);
	}
	return NULL;
}

static int set_link(const struct nlmsghdr *h)
{
	const struct ifinfomsg *ifi = NLMSG_DATA(h);
	struct netdevice *d = dev_get_by_index(ifi->ifi_index);
	const u32 *mtu;
	unsigned change = ifi->ifi_change ? ifi->ifi_change : 0xffffffff;

	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*ifi)))
		return -EINVAL;
	if (d == NULL) {
		const char *name = find_attr(h, sizeof(*ifi), IFLA_IFNAME, 1);

		d = name ? dev_get_by_name(name) : NULL;
		if (d == NULL)
			return -ENODEV;
	}
	mtu = find_attr(h, sizeof(*ifi), IFLA_MTU, 4);
	if (mtu && (*mtu < 68 || *mtu > 65536))
		return -EINVAL;
	if (mtu)
		d->mtu = *mtu;
	if (change & IFF_UP) {
		bool up = (ifi->ifi_flags & IFF_UP) != 0;

		if (up != !!(d->flags & IFF_UP)) {
			d->flags = up ? d->flags | IFF_UP : d->flags & ~IFF_UP;
			if (!up && !(d->flags & IFF_LOOPBACK))
				route_flush_dev(d, false);
			if (up)
				addrconf_dev_up(d);
			else
				addrconf_dev_down(d);
			if (up && d->ip && !(d->flags & IFF_LOOPBACK)) {
				route_add(d->ip & d->mask, d->mask, 0, d, 0);
				arp_announce(d);
			}
		}
	}
	return 0;
}

static int set_addr(const struct nlmsghdr *h, bool add)
{
	const struct ifaddrmsg *ifa = NLMSG_DATA(h);
	struct netdevice *d = dev_get_by_index((int)ifa->ifa_index);
	const u32 *a;

	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*ifa)))
		return -EINVAL;
	if (ifa->ifa_family == AF_INET6) {
		const struct in6k *a6 = find_attr(h, sizeof(*ifa), IFA_LOCAL, 16);

		if (a6 == NULL)
			a6 = find_attr(h, sizeof(*ifa), IFA_ADDRESS, 16);
		if (d == NULL)
			return -ENODEV;
		if (a6 == NULL || ifa->ifa_prefixlen > 128)
			return -EINVAL;
		return add ? addrconf_add(d, a6, ifa->ifa_prefixlen, (h->nlmsg_flags & NLM_F_EXCL) != 0) :
			     addrconf_del(d, a6, ifa->ifa_prefixlen);
	}
	if (ifa->ifa_family != AF_INET)
		return -EAFNOSUPPORT;
	if (d == NULL)
		return -ENODEV;
	if (ifa->ifa_prefixlen > 32)
		return -EINVAL;
	a = find_attr(h, sizeof(*ifa), IFA_LOCAL, 4);
	if (a == NULL)
		a = find_attr(h, sizeof(*ifa), IFA_ADDRESS, 4);
	if (a == NULL)
		return -EINVAL;
	if (!add) {
		if (d->ip != *a)
			return -EADDRNOTAVAIL;
		route_flush_dev(d, false);	/* its subnet, and gateways no longer on a link */
		d->ip = 0;
		return 0;
	}
	if (d->ip == *a && d->mask == prefix_mask(ifa->ifa_prefixlen))
		return (h->nlmsg_flags & NLM_F_EXCL) ? -EEXIST : 0;
	if (d->ip && d->ip != *a && !(d->flags & IFF_LOOPBACK))
		return -EEXIST;		/* one IPv4 address per device here */
	if (d->ip && !(d->flags & IFF_LOOPBACK))
		route_del(d->ip & d->mask, d->mask, d);
	d->ip = *a;
	d->mask = prefix_mask(ifa->ifa_prefixlen);
	if (!(d->flags & IFF_LOOPBACK)) {
		route_add(d->ip & d->mask, d->mask, 0, d, 0);
		arp_announce(d);
	}
	return 0;
}

/* ip -6 route add/del: a static route (RTPROT_BOOT, metric 1024 unless given), as Linux's ip6_route_add. */
static int set_route6(const struct nlmsghdr *h, bool add)
{
	const struct rtmsg *rtm = NLMSG_DATA(h);
	const struct in6k *dst = find_attr(h, sizeof(*rtm), RTA_DST, 16);
	const struct in6k *gw = find_attr(h, sizeof(*rtm), RTA_GATEWAY, 16);
	const u32 *oif = find_attr(h, sizeof(*rtm), RTA_OIF, 4);
	const u32 *prio = find_attr(h, sizeof(*rtm), RTA_PRIORITY, 4);
	struct netdevice *d = NULL;
	struct in6k nh;

	if (rtm->rtm_dst_len > 128)
		return -EINVAL;
	if (oif && (d = dev_get_by_index((int)*oif)) == NULL)
		return -ENODEV;
	if (!add)
		return route6_del(dst ? dst : &in6k_any, rtm->rtm_dst_len, gw, d);
	if (d == NULL) {
		if (gw == NULL || (d = ip6_route_nh(gw, &nh)) == NULL || (d->flags & IFF_LOOPBACK))
			return -ENETUNREACH;
	}
	if (gw && (in6_is_multicast(gw) || in6_is_mapped(gw)))
		return -EINVAL;
	return route6_add(dst ? dst : &in6k_any, rtm->rtm_dst_len, gw ? gw : &in6k_any, d,
			  prio && *prio ? (int)*prio : 1024, RTPROT_BOOT, 0);
}

static int set_route(const struct nlmsghdr *h, bool add)
{
	const struct rtmsg *rtm = NLMSG_DATA(h);
	const u32 *dst, *gw, *oif, *prio;
	struct netdevice *d = NULL;
	u32 mask;

	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*rtm)))
		return -EINVAL;
	if (rtm->rtm_family == AF_INET6)
		return set_route6(h, add);
	if (rtm->rtm_family != AF_INET)
		return -EAFNOSUPPORT;
	if (rtm->rtm_dst_len > 32)
		return -EINVAL;
	mask = prefix_mask(rtm->rtm_dst_len);
	dst = find_attr(h, sizeof(*rtm), RTA_DST, 4);
	gw = find_attr(h, sizeof(*rtm), RTA_GATEWAY, 4);
	oif = find_attr(h, sizeof(*rtm), RTA_OIF, 4);
	prio = find_attr(h, sizeof(*rtm), RTA_PRIORITY, 4);
	if (oif && (d = dev_get_by_index((int)*oif)) == NULL)
		return -ENODEV;
	if (!add)
		return route_del(dst ? *dst & mask : 0, mask, d);
	if (d == NULL) {
		const struct route *via = gw ? ip_route(*gw) : NULL;

		if (via == NULL)
			return -ENETUNREACH;
		d = via->dev;
	}
	if (dst && (*dst & ~mask))
		return -EINVAL;
	return route_add(dst ? *dst : 0, mask, gw ? *gw : 0, d, prio ? (int)*prio : 0);
}

/* One request message: its replies queued. */
static void nl_request(struct nl_sock *nl, const struct nlmsghdr *h)
{
	struct nl_reply r = { nl, NULL, h->nlmsg_seq, 0 };
	u16 type = h->nlmsg_type;
	int err = -EOPNOTSUPP;

	if (!(h->nlmsg_flags & NLM_F_REQUEST) || type < NLMSG_MIN_TYPE)
		return;
	if ((type == RTM_GETLINK || type == RTM_GETADDR || type == RTM_GETROUTE || type == RTM_GETNEIGH) &&
	    (h->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP) {
		const u8 *fam = NLMSG_DATA(h);

		dump(&r, type, h->nlmsg_len > NLMSG_HDRLEN ? fam[0] : AF_UNSPEC);
		return;
	}
	if (type == RTM_GETLINK) {
		const struct ifinfomsg *ifi = NLMSG_DATA(h);
		struct netdevice *d = h->nlmsg_len >= NLMSG_LENGTH(sizeof(*ifi)) ?
				      dev_get_by_index(ifi->ifi_index) : NULL;
		const char *name = d ? NULL : find_attr(h, sizeof(*ifi), IFLA_IFNAME, 1);

		if (d == NULL && name)
			d = dev_get_by_name(name);
		if (d) {
			fill_link(&r, d, 0);
			reply_done(&r, false);
			return;
		}
		err = -ENODEV;
	} else if (type == RTM_NEWLINK || type == RTM_SETLINK || type == RTM_NEWADDR ||
		   type == RTM_DELADDR || type == RTM_NEWROUTE || type == RTM_DELROUTE) {
		if (current->euid != 0)
			err = -EPERM;
		else if (type == RTM_NEWLINK || type == RTM_SETLINK)
			err = set_link(h);
		else if (type == RTM_NEWADDR || type == RTM_DELADDR)
			err = set_addr(h, type == RTM_NEWADDR);
		else
			err = set_route(h, type == RTM_NEWROUTE);
	}
	if (err || (h->nlmsg_flags & NLM_F_ACK))
		reply_error(&r, h, err);
	reply_done(&r, false);
}

/* ---- socket ops ---- */

static void nl_release(struct socket *sock)
{
	struct nl_sock *nl = sock->sk;

	if (nl == NULL)
		return;
	skb_queue_purge(&nl->rxq);
	kfree(nl);
	sock->sk = NULL;
}

static int nl_bind(struct socket *sock, const u8 *addr, int len)
{
	struct nl_sock *nl = sock->sk;
	struct sockaddr_nl sa;

	if (len < (int)sizeof(sa))
		return -EINVAL;
	memcpy(&sa, addr, sizeof(sa));
	if (sa.nl_family != AF_NETLINK)
		return -EINVAL;
	if (sa.nl_pid)
		nl->portid = sa.nl_pid;
	nl->groups = sa.nl_groups;	/* kept; no events are sent */
	return 0;
}

static int nl_connect(struct socket *sock, const u8 *addr, int len, int flags)
{
	return nl_bind(sock, addr, len);
}

static int nl_getname(struct socket *sock, u8 *addr, bool peer)
{
	struct nl_sock *nl = sock->sk;
	struct sockaddr_nl sa;

	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	if (!peer) {
		sa.nl_pid = nl->portid;
		sa.nl_groups = nl->groups;
	}
	memcpy(addr, &sa, sizeof(sa));
	return (int)sizeof(sa);
}

static unsigned nl_poll(struct socket *sock, struct file *f, struct poll_table *pt)
{
	struct nl_sock *nl = sock->sk;

	poll_wait(f, &nl->wq, pt);
	return POLLOUT | POLLWRNORM | (list_empty(&nl->rxq) ? 0 : POLLIN | POLLRDNORM);
}

static long nl_sendmsg(struct socket *sock, struct kmsg *m, size_t len, unsigned flags)
{
	struct nl_sock *nl = sock->sk;
	u8 *buf;
	size_t off = 0;

	if (len > 65536)
		return -EMSGSIZE;
	buf = kmalloc(len ? len : 1);
	if (buf == NULL)
		return -ENOBUFS;
	if (iter_copy_from(&m->iter, buf, len) < 0) {
		kfree(buf);
		return -EFAULT;
	}
	while (off + NLMSG_HDRLEN <= len) {
		const struct nlmsghdr *h = (const struct nlmsghdr *)(buf + off);

		if (h->nlmsg_len < NLMSG_HDRLEN || h->nlmsg_len > len - off)
			break;
		nl_request(nl, h);
		off += NLMSG_ALIGN(h->nlmsg_len);
	}
	kfree(buf);
	return (long)len;
}

static long nl_recvmsg(struct socket *sock, struct kmsg *m, size_t len, unsigned flags)
{
	struct nl_sock *nl = sock->sk;
	struct sk_buff *skb;
	size_t n;
	long r;

	while (list_empty(&nl->rxq)) {
		if (flags & MSG_DONTWAIT)
			return -EAGAIN;
		r = sleep_on(&nl->wq, true);
		if (r)
			return r;
	}
	skb = list_first_entry(&nl->rxq, struct sk_buff, list);
	n = min(len, (size_t)skb->len);
	if (iter_copy_to(&m->iter, skb->data, n) < 0)
		return -EFAULT;
	if (skb->len > len)
		m->flags |= MSG_TRUNC;
	if (m->name)
		m->namelen = nl_getname(sock, m->name, true);
	r = (flags & MSG_TRUNC) ? (long)skb->len : (long)n;
	if (!(flags & MSG_PEEK)) {
		list_del(&skb->list);
		kfree_skb(skb);
	}
	return r;
}

static int nl_setsockopt(struct socket *sock, int level, int name, const u8 *val, unsigned len)
{
	if (level == 270 /* SOL_NETLINK */)
		return 0;	/* NETLINK_EXT_ACK, _CAP_ACK...: replies are plain either way */
	return -ENOPROTOOPT;
}

static const struct proto_ops nl_ops = {
	.family = AF_NETLINK,
	.release = nl_release,
	.bind = nl_bind,
	.connect = nl_connect,
	.getname = nl_getname,
	.poll = nl_poll,
	.setsockopt = nl_setsockopt,
	.sendmsg = nl_sendmsg,
	.recvmsg = nl_recvmsg,
};

/*
 * Queues a datagram from the kernel (port 0) on a netlink socket, as
 * Linux's netlink_sendskb: mq_notify's SIGEV_THREAD cookie.  0, -ECONNREFUSED
 * (not a netlink socket) or -ENOBUFS.
 */
int netlink_deliver(struct socket *sock, const void *data, u32 len)
{
	struct nl_sock *nl;
	struct sk_buff *skb;

	if (sock->ops != &nl_ops || sock->sk == NULL)
		return -ECONNREFUSED;
	nl = sock->sk;
	skb = alloc_skb(len, 0);
	if (skb == NULL)
		return -ENOBUFS;
	memcpy(skb_put(skb, len), data, len);
	list_add_tail(&skb->list, &nl->rxq);
	wake_up_poll(&nl->wq, POLLIN | POLLRDNORM);
	return 0;
}

bool sock_is_netlink(struct socket *sock)
{
	return sock->ops == &nl_ops;
}

int netlink_family_create(struct socket *sock, int type, int protocol, bool kern)
{
	struct nl_sock *nl;

	if (type != SOCK_RAW && type != SOCK_DGRAM)
		return -ESOCKTNOSUPPORT;
	if (protocol != NETLINK_ROUTE)
		return -EPROTONOSUPPORT;
	nl = kzalloc(sizeof(*nl));
	if (nl == NULL)
		return -ENOMEM;
	nl->sock = sock;
	nl->portid = next_portid++;
	INIT_LIST_HEAD(&nl->rxq);
	init_waitqueue(&nl->wq);
	sock->sk = nl;
	sock->ops = &nl_ops;
	return 0;
}
