/*
 * arp.c - Ethernet framing and ARP (RFC 826) for IPv4 over Ethernet
 * devices (IPv6's frames, ethertype 0x86DD, are net/ndisc.c's on output
 * and go to ip6_rcv on input).
 *
 * The neighbour cache maps next-hop addresses to MAC addresses.  An
 * entry is INCOMPLETE while requests are out (three, a second apart;
 * packets for it wait, at most 3, then are dropped), REACHABLE for 60 s
 * after a reply or a request from that host, then STALE: used, but
 * refreshed by a new request on next use.  Gratuitous requests announce
 * an address when it is configured.  Timers: one ktimer sweeps the cache
 * each second.
 */
#include "kernel/kernel.h"
#include "kernel/inet.h"
#include "uapi/linux/neighbour.h"
#include "kernel/page.h"
#include "shared/os.h"

#define ARP_ENTRIES	64
#define ARP_REACHABLE	(60ULL * 1000000000)
#define ARP_RETRY	(1000ULL * 1000000)
#define ARP_TRIES	3
#define ARP_QUEUE	3
#define ARPOP_REQUEST	1
#define ARPOP_REPLY	2

struct ethhdr_w {
	u8 dest[6], source[6];
	u16 proto;
} __attribute__((packed));

struct arphdr_w {
	u16 hw, proto;
	u8 hlen, plen;
	u16 op;
	u8 sha[6];
	u32 sip;
	u8 tha[6];
	u32 tip;
} __attribute__((packed));

enum { N_FREE, N_INCOMPLETE, N_REACHABLE, N_STALE };
struct neigh {
	int state;
	struct netdevice *dev;
	u32 ip;
	u8 mac[6];
	u64 updated;
	int tries;
	struct list_head pending;
	int npending;
};

static struct neigh cache[ARP_ENTRIES];
static struct ktimer sweep_timer;
static bool sweep_ready;
static const u8 bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static void eth_send(struct netdevice *dev, struct sk_buff *skb, const u8 *dest, u16 proto)
{
	struct ethhdr_w *eh = (struct ethhdr_w *)skb_push(skb, ETH_HLEN);

	memcpy(eh->dest, dest, 6);
	memcpy(eh->source, dev->addr, 6);
	eh->proto = cpu_to_be16(proto);
	dev->stats.tx_packets++;
	dev->stats.tx_bytes += skb->len;
	if (dev->xmit_frame(dev, skb) < 0)
		dev->stats.tx_dropped++;
}

static void arp_send(struct netdevice *dev, u16 op, const u8 *tha, u32 tip, const u8 *dest)
{
	struct sk_buff *skb = alloc_skb(sizeof(struct arphdr_w), MAX_HEADER);
	struct arphdr_w *a;

	if (skb == NULL)
		return;
	a = (struct arphdr_w *)skb_put(skb, sizeof(*a));
	a->hw = cpu_to_be16(1);
	a->proto = cpu_to_be16(ETH_P_IP);
	a->hlen = 6;
	a->plen = 4;
	a->op = cpu_to_be16(op);
	memcpy(a->sha, dev->addr, 6);
	a->sip = dev->ip;
	memcpy(a->tha, tha, 6);
	a->tip = tip;
	eth_send(dev, skb, dest, ETH_P_ARP);
}

void arp_announce(struct netdevice *dev)
{
	static const u8 zero[6];

	if (dev->ip)
		arp_send(dev, ARPOP_REQUEST, zero, dev->ip, bcast);
}

static void neigh_flush(struct neigh *n, bool send)
{
	struct sk_buff *skb, *t;

	list_for_each_entry_safe(skb, t, &n->pending, list) {
		list_del(&skb->list);
		if (send)
			eth_send(n->dev, skb, n->mac, ETH_P_IP);
		else
			kfree_skb(skb);
	}
	n->npending = 0;
}

/*
 * Nobody answered for n: its waiting packets are dropped and their
 * senders told the host is unreachable, as Linux's arp_error_report
 * (a local ICMP host unreachable): a connect gets EHOSTUNREACH after
 * the three requests instead of backing its SYNs off for two minutes.
 */
static void neigh_fail(struct neigh *n)
{
	struct sk_buff *skb, *t;
	LIST_HEAD(dead);

	/* Off the entry first: a sender told may send again (a new entry). */
	while (!list_empty(&n->pending)) {
		skb = list_first_entry(&n->pending, struct sk_buff, list);
		list_del(&skb->list);
		list_add_tail(&skb->list, &dead);
	}
	n->npending = 0;
	n->state = N_FREE;
	list_for_each_entry_safe(skb, t, &dead, list) {
		const struct iphdr_w *ih = (const struct iphdr_w *)skb->data;
		u32 hl = skb->len >= sizeof(*ih) ? (u32)(ih->ver_ihl & 0xf) * 4 : 0;

		list_del(&skb->list);
		if (hl >= sizeof(*ih) && skb->len >= hl + 8 && !(be16_to_cpu(ih->frag_off) & IP_OFFMASK))
			icmp_err_notify(ih->protocol, ih, skb->data + hl, ICMP_DEST_UNREACH,
					1 /* host unreachable */, 0);
		kfree_skb(skb);
	}
}

void arp_flush_dev(struct netdevice *dev)
{
	int i;

	for (i = 0; i < ARP_ENTRIES; i++)
		if (cache[i].state != N_FREE && cache[i].dev == dev) {
			neigh_flush(&cache[i], false);
			cache[i].state = N_FREE;
		}
}

static void neigh_sweep(struct ktimer *t)
{
	u64 now = os_monotonic_ns();
	static const u8 zero[6];
	int i;

	for (i = 0; i < ARP_ENTRIES; i++) {
		struct neigh *n = &cache[i];

		if (n->state == N_INCOMPLETE && now - n->updated >= ARP_RETRY) {
			if (++n->tries >= ARP_TRIES) {
				neigh_fail(n);
				continue;
			}
			n->updated = now;
			arp_send(n->dev, ARPOP_REQUEST, zero, n->ip, bcast);
		} else if (n->state == N_REACHABLE && now - n->updated >= ARP_REACHABLE) {
			n->state = N_STALE;
		}
	}
	ktimer_start(t, now + ARP_RETRY);
}

static struct neigh *neigh_find(struct netdevice *dev, u32 ip, bool create)
{
	struct neigh *free = NULL, *oldest = NULL;
	int i;

	if (!sweep_ready) {
		ktimer_init(&sweep_timer, neigh_sweep, NULL);
		ktimer_start(&sweep_timer, os_monotonic_ns() + ARP_RETRY);
		sweep_ready = true;
	}
	for (i = 0; i < ARP_ENTRIES; i++) {
		struct neigh *n = &cache[i];

		if (n->state != N_FREE && n->dev == dev && n->ip == ip)
			return n;
		if (n->state == N_FREE && free == NULL)
			free = n;
		if (n->state == N_STALE && (oldest == NULL || n->updated < oldest->updated))
			oldest = n;
	}
	if (!create)
		return NULL;
	if (free == NULL)
		free = oldest;
	if (free == NULL)
		return NULL;
	memset(free, 0, sizeof(*free));
	free->dev = dev;
	free->ip = ip;
	INIT_LIST_HEAD(&free->pending);
	return free;
}

static void neigh_update(struct netdevice *dev, u32 ip, const u8 *mac, bool create)
{
	struct neigh *n = neigh_find(dev, ip, create);

	if (n == NULL)
		return;
	memcpy(n->mac, mac, 6);
	n->state = N_REACHABLE;
	n->updated = os_monotonic_ns();
	n->tries = 0;
	neigh_flush(n, true);
}

int eth_xmit_ip(struct netdevice *dev, struct sk_buff *skb)
{
	u32 nh = skb->nexthop;
	struct neigh *n;
	static const u8 zero[6];

	if (skb->protocol == ETH_P_IPV6)
		return ndisc_xmit(dev, skb);	/* net/ndisc.c */
	if (nh == 0xffffffff || (dev->mask && nh == (dev->ip | ~dev->mask)) || dev->ip == 0) {
		eth_send(dev, skb, bcast, ETH_P_IP);
		return 0;
	}
	if ((nh & 0xf0) == 0xe0) {		/* multicast: 01:00:5e and the low 23 bits */
		u8 m[6] = { 0x01, 0x00, 0x5e, (u8)((nh >> 8) & 0x7f), (u8)(nh >> 16), (u8)(nh >> 24) };

		eth_send(dev, skb, m, ETH_P_IP);
		return 0;
	}
	n = neigh_find(dev, nh, true);
	if (n == NULL) {
		kfree_skb(skb);
		return -ENOBUFS;
	}
	if (n->state == N_REACHABLE || n->state == N_STALE) {
		if (n->state == N_STALE && os_monotonic_ns() - n->updated >= ARP_REACHABLE * 2) {
			arp_send(dev, ARPOP_REQUEST, n->mac, nh, n->mac);	/* unicast probe */
			n->updated = os_monotonic_ns() - ARP_REACHABLE;
		}
		eth_send(dev, skb, n->mac, ETH_P_IP);
		return 0;
	}
	if (n->npending >= ARP_QUEUE) {
		struct sk_buff *old = list_first_entry(&n->pending, struct sk_buff, list);

		list_del(&old->list);
		kfree_skb(old);
		n->npending--;
	}
	list_add_tail(&skb->list, &n->pending);
	n->npending++;
	if (n->state == N_FREE) {
		n->state = N_INCOMPLETE;
		n->updated = os_monotonic_ns();
		arp_send(dev, ARPOP_REQUEST, zero, nh, bcast);
	}
	return 0;
}

static void arp_rcv(struct netdevice *dev, struct sk_buff *skb)
{
	struct arphdr_w a;

	if (skb->len < sizeof(a))
		return;
	memcpy(&a, skb->data, sizeof(a));
	if (be16_to_cpu(a.hw) != 1 || be16_to_cpu(a.proto) != ETH_P_IP || a.hlen != 6 || a.plen != 4)
		return;
	if (a.sip == 0 || (a.sha[0] & 1))
		return;				/* a probe, or a forged group address */
	/* RFC 826: merge the sender if known; add it if the request is for us. */
	neigh_update(dev, a.sip, a.sha, dev->ip != 0 && a.tip == dev->ip);
	if (be16_to_cpu(a.op) == ARPOP_REQUEST && dev->ip != 0 && a.tip == dev->ip && a.sip != dev->ip)
		arp_send(dev, ARPOP_REPLY, a.sha, a.sip, a.sha);
}

void eth_rcv(struct netdevice *dev, struct sk_buff *skb)
{
	struct ethhdr_w eh;

	if (skb->len < ETH_HLEN) {
		dev->stats.rx_errors++;
		kfree_skb(skb);
		return;
	}
	memcpy(&eh, skb->data, sizeof(eh));
	packet_rcv(dev, skb);
	if (memcmp(eh.dest, dev->addr, 6) != 0 && !(eh.dest[0] & 1)) {
		kfree_skb(skb);			/* another station's unicast */
		return;
	}
	skb_pull(skb, ETH_HLEN);
	skb_set_dev(skb, dev);
	if (be16_to_cpu(eh.proto) == ETH_P_ARP) {
		dev->stats.rx_packets++;
		dev->stats.rx_bytes += skb->len + ETH_HLEN;
		arp_rcv(dev, skb);
		kfree_skb(skb);
		return;
	}
	if (be16_to_cpu(eh.proto) != ETH_P_IP && be16_to_cpu(eh.proto) != ETH_P_IPV6) {
		dev->stats.rx_dropped++;
		kfree_skb(skb);
		return;
	}
	skb->protocol = be16_to_cpu(eh.proto);
	netif_rx(skb);
}

/*
 * Entry i of the cache for RTM_GETNEIGH (ip neigh): false past the end;
 * *state is a NUD_* value, NUD_NONE for a free slot.
 */
bool arp_neigh(int i, struct netdevice **dev, u32 *ip, u8 *mac, int *state)
{
	static const u16 nud[] = { [N_FREE] = NUD_NONE, [N_INCOMPLETE] = NUD_INCOMPLETE,
				   [N_REACHABLE] = NUD_REACHABLE, [N_STALE] = NUD_STALE };
	const struct neigh *n;

	if (i < 0 || i >= ARP_ENTRIES)
		return false;
	n = &cache[i];
	*dev = n->dev;
	*ip = n->ip;
	memcpy(mac, n->mac, 6);
	*state = nud[n->state];
	return true;
}

size_t net_proc_arp(char *buf, size_t len)
{
	size_t n = 0;
	int i;

	n += ksnprintf(buf, len, "IP address       HW type     Flags       HW address            Mask     Device\n");
	for (i = 0; i < ARP_ENTRIES && n < len; i++) {
		struct neigh *e = &cache[i];
		char ip[16];
		u32 a = be32_to_cpu(e->ip);

		if (e->state == N_FREE)
			continue;
		ksnprintf(ip, sizeof(ip), "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
		n += ksnprintf(buf + n, len - n, "%-16s 0x1         0x%x         %02x:%02x:%02x:%02x:%02x:%02x"
			       "     *        %s\n", ip, e->state == N_INCOMPLETE ? 0 : 2,
			       e->mac[0], e->mac[1], e->mac[2], e->mac[3], e->mac[4], e->mac[5], e->dev->name);
	}
	return min(n, len);
}
