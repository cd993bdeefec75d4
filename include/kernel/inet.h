/*
 * inet.h - the IPv4 stack under AF_INET sockets: packet buffers
 * (net/skbuff.c), network devices and the receive backlog (net/dev.c),
 * IPv4, routes and ICMP (net/ip.c), UDP (net/udp.c), the TCP protocol
 * engine (net/tcp.c, pure: no sockets, testable back to back on the
 * host) and the sockets over them (net/af_inet.c).
 *
 * Addresses and ports are kept in network byte order (as on the wire and
 * in struct sockaddr_in), everything else in host order.  Layers talk
 * downwards by calls (tcp -> ip_output -> dev_xmit) and upwards through
 * the backlog: a device's received frame is queued by netif_rx() and
 * handled at the next interrupt point (OS_IRQ_NET), never inside the
 * sender's call, so a protocol never sees its own input re-entered.
 */
#ifndef KERNEL_INET_H
#define KERNEL_INET_H

#include "kernel/types.h"
#include "kernel/list.h"
#include "kernel/timer.h"
#include "kernel/wait.h"
#include "uapi/linux/in.h"
#include "uapi/linux/in6.h"

static inline u16 cpu_to_be16(u16 x) { return __builtin_bswap16(x); }
static inline u16 be16_to_cpu(u16 x) { return __builtin_bswap16(x); }
static inline u32 cpu_to_be32(u32 x) { return __builtin_bswap32(x); }
static inline u32 be32_to_cpu(u32 x) { return __builtin_bswap32(x); }
/* a.b.c.d as a network-order address. */
#define IPV4(a, b, c, d) __builtin_bswap32(((u32)(a) << 24) | ((u32)(b) << 16) | ((u32)(c) << 8) | (u32)(d))

#define ETH_P_IP	0x0800
#define ETH_P_ARP	0x0806
#define ETH_P_IPV6	0x86DD

/*
 * A 128-bit address (struct in6_addr), the form every control block
 * (TCP, UDP, the lookup lists) keeps: an IPv4 address is held
 * v4-mapped (::ffff:a.b.c.d) as Linux's dual-stack sockets do, and the
 * wildcard of either family is all zeros (::).
 */
struct in6k {
	union {
		u8 b[16];
		u16 h[8];
		u32 w[4];
	};
};
static inline bool in6_is_any(const struct in6k *a)
{
	return (a->w[0] | a->w[1] | a->w[2] | a->w[3]) == 0;
}
static inline bool in6_eq(const struct in6k *a, const struct in6k *b)
{
	return a->w[0] == b->w[0] && a->w[1] == b->w[1] && a->w[2] == b->w[2] && a->w[3] == b->w[3];
}
static inline bool in6_is_mapped(const struct in6k *a)
{
	return a->w[0] == 0 && a->w[1] == 0 && a->w[2] == __builtin_bswap32(0xffff);
}
static inline bool in6_is_loopback(const struct in6k *a)
{
	return a->w[0] == 0 && a->w[1] == 0 && a->w[2] == 0 && a->w[3] == __builtin_bswap32(1);
}
static inline bool in6_is_linklocal(const struct in6k *a)
{
	return a->b[0] == 0xfe && (a->b[1] & 0xc0) == 0x80;
}
static inline bool in6_is_multicast(const struct in6k *a) { return a->b[0] == 0xff; }
/* fec0::/10, the deprecated site-local prefix (RFC 3879) libslirp still advertises. */
static inline bool in6_is_sitelocal(const struct in6k *a)
{
	return a->b[0] == 0xfe && (a->b[1] & 0xc0) == 0xc0;
}
/* The v4-mapped form of v4 (network order); 0.0.0.0 gives ::, the wildcard. */
static inline struct in6k in6_mapped(u32 v4)
{
	struct in6k a = { .w = { 0, 0, 0, 0 } };

	if (v4 != 0) {
		a.w[2] = __builtin_bswap32(0xffff);
		a.w[3] = v4;
	}
	return a;
}
/* The IPv4 address of a v4-mapped (or wildcard) address. */
static inline u32 in6_v4(const struct in6k *a) { return a->w[3]; }
/* Whether a is an IPv4 address as the control blocks keep them (mapped, or the wildcard). */
static inline bool in6_is_v4(const struct in6k *a) { return in6_is_mapped(a) || in6_is_any(a); }
extern const struct in6k in6k_any, in6k_loopback;

/* ---- checksums (net/checksum.c) ---- */
/* The 32-bit one's complement sum of n bytes added to sum. */
u32 csum_partial(const void *p, size_t n, u32 sum);
/* Folds a sum to the 16-bit checksum field value (complemented). */
u16 csum_fold(u32 sum);
/* The TCP/UDP pseudo-header sum (addresses in network order). */
u32 csum_pseudo(u32 saddr, u32 daddr, u8 proto, u16 len);
/* The IPv6 pseudo-header sum (RFC 8200 8.1). */
u32 csum_pseudo6(const struct in6k *saddr, const struct in6k *daddr, u8 proto, u32 len);

/* ---- wire headers ---- */
struct iphdr_w {
	u8 ver_ihl, tos;
	u16 tot_len, id, frag_off;
	u8 ttl, protocol;
	u16 check;
	u32 saddr, daddr;
} __attribute__((packed));
#define IP_DF		0x4000
#define IP_MF		0x2000
#define IP_OFFMASK	0x1fff

struct udphdr_w {
	u16 source, dest, len, check;
} __attribute__((packed));

struct tcphdr_w {
	u16 source, dest;
	u32 seq, ack_seq;
	u8 doff;		/* data offset in the high 4 bits */
	u8 flags;
	u16 window, check, urg_ptr;
} __attribute__((packed));
#define TH_FIN	0x01
#define TH_SYN	0x02
#define TH_RST	0x04
#define TH_PSH	0x08
#define TH_ACK	0x10
#define TH_URG	0x20

struct icmphdr_w {
	u8 type, code;
	u16 check;
	u16 id, seq;		/* echo; for errors: unused / next-hop MTU */
} __attribute__((packed));
#define ICMP_ECHOREPLY		0
#define ICMP_DEST_UNREACH	3
#define ICMP_ECHO		8
#define ICMP_TIME_EXCEEDED	11
#define ICMP_PORT_UNREACH	3
#define ICMP_FRAG_NEEDED	4

/* ---- packet buffers (net/skbuff.c) ---- */
struct netdevice;
struct sk_buff {
	struct list_head list;
	struct netdevice *dev;		/* received on, or to send on */
	u16 protocol;			/* ETH_P_*, host order */
	u8 *head, *data;		/* buffer, first valid byte */
	u32 len, size;			/* valid bytes from data; buffer size */
	u32 saddr, daddr;		/* IPv4 addresses (network order), once parsed */
	struct in6k saddr6, daddr6;	/* the same, 128 bits (v4-mapped for IPv4): TCP, UDP */
	u8 nexthdr;			/* IPv6: the upper-layer protocol, once parsed */
	u32 nexthop;			/* output: the route's gateway or daddr */
	struct in6k nexthop6;		/* IPv6 output: the router or daddr (ip6_output) */
	u8 ttl, tos;
	u32 seq, end_seq;		/* TCP: the segment's sequence range */
	u16 sport, dport;		/* UDP: the ports (network order), once parsed */
	u16 nhlen;			/* the IP header's length, once parsed */
	u32 dropcount;			/* datagram: the socket's drops when it was queued */
	/*
	 * Output: the offset in the transport header of a checksum not yet
	 * computed (0: none), which ip_output fills unless the packet goes
	 * out on loopback; input: still set, it came over loopback from
	 * this host and needs no verifying (Linux's CHECKSUM_PARTIAL on lo).
	 */
	u8 csum_off;
	/*
	 * Sharing (skb_share): users counts the references to this buffer
	 * (kfree_skb drops one); a sharer's head/data point into owner's
	 * bytes, which it keeps alive, and it has no tailroom.
	 */
	u32 users;
	struct sk_buff *owner;
};
/* A buffer for size bytes after headroom bytes of room for headers, or NULL. */
struct sk_buff *alloc_skb(u32 size, u32 headroom);
void kfree_skb(struct sk_buff *skb);
struct sk_buff *skb_copy(const struct sk_buff *skb);	/* NULL if out of memory */
/* A buffer sharing skb's first len bytes and its headroom (NULL if out of memory). */
struct sk_buff *skb_share(struct sk_buff *skb, u32 len);
u8 *skb_put(struct sk_buff *skb, u32 n);	/* n bytes at the tail */
u8 *skb_push(struct sk_buff *skb, u32 n);	/* n bytes of headroom */
void skb_pull(struct sk_buff *skb, u32 n);	/* drop n bytes at the front */
void skb_trim(struct sk_buff *skb, u32 len);
static inline u32 skb_headroom(const struct sk_buff *skb) { return (u32)(skb->data - skb->head); }
static inline u32 skb_tailroom(const struct sk_buff *skb)
{
	return skb->owner ? 0 : skb->size - skb_headroom(skb) - skb->len;	/* a sharer's tail is not its own */
}
void skb_queue_purge(struct list_head *q);
#define MAX_HEADER	128		/* headroom every protocol reserves */

/* ---- devices (net/dev.c) ---- */
#define IFNAMSIZ	16
#define IFF_UP		0x1
#define IFF_BROADCAST	0x2
#define IFF_LOOPBACK	0x8
#define IFF_RUNNING	0x40
#define IFF_MULTICAST	0x1000

struct net_stats {
	u64 rx_packets, tx_packets, rx_bytes, tx_bytes, rx_dropped, tx_dropped, rx_errors;
};
struct netdevice {
	struct list_head link;
	char name[IFNAMSIZ];
	int ifindex;
	unsigned flags;
	u32 mtu;
	u8 addr[6];
	u32 ip, mask;			/* the IPv4 address, network order; 0 none */
	struct in6k ip6[4];		/* IPv6 addresses (valid while the device is up) */
	u8 ip6_plen[4];			/* their prefix lengths */
	u8 ip6_flags[4];		/* IFA_F_* (TENTATIVE while DAD runs, PERMANENT, else SLAAC's) */
	u64 ip6_valid[4], ip6_pref[4];	/* SLAAC: monotonic ns the lifetimes end (0: forever) */
	u64 ip6_dad[4];			/* DAD: when a tentative address's NS went out */
	int nr_ip6;
	int rs_sent;			/* Router Solicitations sent since the link came up */
	u64 rs_next;			/* when the next one goes (0: no more) */
	struct net_stats stats;
	/* Sends skb (owns it): 0 or -errno. */
	int (*xmit)(struct netdevice *dev, struct sk_buff *skb);
	void (*poll)(struct netdevice *dev);	/* takes the host's frames (the IRQ) */
	/* Ethernet: sends a whole frame (owns skb): 0 or -errno. */
	int (*xmit_frame)(struct netdevice *dev, struct sk_buff *skb);
	int host_idx;			/* ethN: the host half's interface */
	void *priv;
	/*
	 * References: one while registered, one per sk_buff whose dev it is
	 * (skb_set_dev); the last dev_put of an unregistered device calls
	 * release (NULL: a static device, never freed).
	 */
	int refcnt;
	bool dead;			/* unregistered: no longer on netdev_list */
	void (*release)(struct netdevice *dev);
};
extern struct list_head netdev_list;
void dev_hold(struct netdevice *dev);
void dev_put(struct netdevice *dev);
/* Sets skb->dev (NULL allowed), moving the reference from the old device to the new. */
void skb_set_dev(struct sk_buff *skb, struct netdevice *dev);
struct netdevice *dev_get_by_index(int ifindex);
struct netdevice *dev_get_by_name(const char *name);
int register_netdevice(struct netdevice *dev);
/*
 * Takes dev off the list (by name and index it is gone), down, without
 * address, routes or ARP entries, and drops its frames waiting in the
 * backlog; the memory goes with the last reference (dev->release).
 */
void unregister_netdevice(struct netdevice *dev);
/* Sends skb (an IP packet) on dev; frees it on error. */
int dev_xmit(struct netdevice *dev, struct sk_buff *skb);
/* Queues a received packet for the protocols (handled at the next IRQ point). */
void netif_rx(struct sk_buff *skb);
/* Runs the backlog now (the OS_IRQ_NET handler). */
void net_rx_action(void);
extern struct netdevice loopback_dev;
void net_init(void);
/* At halt: runs the backlog and drops what only waited for more (fragments, out-of-order data). */
void net_quiesce(void);

/* ---- Ethernet and ARP (net/arp.c) ---- */
#define ETH_HLEN	14
/* Sends the IP packet skb on an Ethernet device, resolving skb->nexthop. */
int eth_xmit_ip(struct netdevice *dev, struct sk_buff *skb);
/* A received frame (data at the Ethernet header): queued for IP, or ARP answered. */
void eth_rcv(struct netdevice *dev, struct sk_buff *skb);
/* Announces dev's address (a gratuitous ARP request, RFC 5227 3). */
void arp_announce(struct netdevice *dev);
/* Forgets dev's ARP entries, dropping the packets that waited on them. */
void arp_flush_dev(struct netdevice *dev);
/* AF_PACKET (net/packet.c): a copy of a received frame for the packet sockets. */
void packet_rcv(struct netdevice *dev, const struct sk_buff *frame);
size_t net_proc_arp(char *buf, size_t len);
bool arp_neigh(int i, struct netdevice **dev, u32 *ip, u8 *mac, int *state);
/* /proc/net/pnp: how ip= configured the machine, its name servers (drivers/net/ipconfig.c). */
size_t net_proc_pnp(char *buf, size_t len);

/* ---- IPv4 (net/ip.c) ---- */
struct route {
	u32 dst, mask, gw;		/* network order; gw 0: on-link */
	struct netdevice *dev;
	int metric;
	u32 src;			/* preferred source, 0: the device's */
};
#define MAX_ROUTES 32
extern struct route route_table[MAX_ROUTES];
extern int nr_routes;
/* The route to daddr, or NULL (-ENETUNREACH). */
const struct route *ip_route(u32 daddr);
int route_add(u32 dst, u32 mask, u32 gw, struct netdevice *dev, int metric);
int route_del(u32 dst, u32 mask, struct netdevice *dev);
/* Drops dev's routes (only those through a gateway), as Linux when its address or link goes. */
void route_flush_dev(struct netdevice *dev, bool gateways_only);
/* Ephemeral ports, both protocols (net.ipv4.ip_local_port_range, read-only here). */
#define INET_PORT_LOW	32768
#define INET_PORT_HIGH	60999

/* Whether addr is one of ours (a device address, 127/8, broadcast). */
bool ip_is_local(u32 addr);
/* Whether addr is a broadcast address: limited, or a device's subnet's (127.255.255.255 too). */
bool ip_is_broadcast(u32 addr);
/* The source address for a packet to daddr, or 0. */
u32 ip_select_source(u32 daddr);
/*
 * Sends skb (data = the transport header and payload) from saddr (0:
 * chosen from the route) to daddr with protocol, TTL and TOS; fragments
 * past the route's MTU unless df.  Owns skb.  0 or -errno.
 */
int ip_output(struct sk_buff *skb, u32 saddr, u32 daddr, u8 proto, u8 ttl, u8 tos, bool df);
void ip_rcv(struct sk_buff *skb);
/* Sends an ICMP error about the IP packet in skb (data at its IP header). */
void icmp_send(struct sk_buff *skb, u8 type, u8 code, u32 info);
#define IP_DEFAULT_TTL	64

/* Upcalls from ip_rcv: each owns skb (data at the transport header). */
void udp_rcv(struct sk_buff *skb);
void udp_v6_rcv(struct sk_buff *skb);
void tcp_v4_rcv(struct sk_buff *skb);
void tcp_v6_rcv(struct sk_buff *skb);
void raw_rcv(struct sk_buff *skb, u8 proto);	/* a copy for raw/ICMP sockets */
/* An ICMPv6 message (data at its header, saddr6/daddr6 set): copies for raw and ping sockets. */
void raw6_rcv_icmp(const struct sk_buff *skb);
bool raw_has_proto(u8 proto);		/* a raw socket takes proto */
void icmp_err_notify(u8 proto, const struct iphdr_w *inner, const u8 *l4, u8 type, u8 code, u32 info);
/* An ICMP or ICMPv6 error about a datagram/segment we sent from saddr to daddr (its transport header at l4). */
void udp_err(const struct in6k *saddr, const struct in6k *daddr, const u8 *l4, int err);
void tcp_err(const struct in6k *saddr, const struct in6k *daddr, const u8 *l4, int err, u32 mtu);

/* ---- IPv6 (net/ipv6.c) ---- */
struct ipv6hdr_w {
	u32 ver_tc_flow;		/* version 6, traffic class, flow label */
	u16 payload_len;
	u8 nexthdr, hop_limit;
	struct in6k saddr, daddr;
} __attribute__((packed));
#define IPV6_HDR		40
#define ICMPV6_DEST_UNREACH	1
#define ICMPV6_PKT_TOOBIG	2
#define ICMPV6_TIME_EXCEED	3
#define ICMPV6_PARAMPROB	4
#define ICMPV6_ECHO_REQUEST	128
#define ICMPV6_ECHO_REPLY	129
#define ICMPV6_NOROUTE		0
#define ICMPV6_ADM_PROHIBITED	1
#define ICMPV6_ADDR_UNREACH	3
#define ICMPV6_PORT_UNREACH	4
#define IPV6_DEFAULT_HOPS	64
/* Whether a is one of our addresses (::1, or a device's while it is up). */
bool ip6_is_local(const struct in6k *a);
/* The device a packet to daddr leaves by, or NULL (-ENETUNREACH). */
struct netdevice *ip6_route(const struct in6k *daddr);
/* The source for a packet to daddr into *src: 0 or -ENETUNREACH/-EADDRNOTAVAIL. */
int ip6_select_source(const struct in6k *daddr, struct in6k *src);
/* Sends skb (data = the upper-layer header) from saddr to daddr; owns skb.  0 or -errno. */
int ip6_output(struct sk_buff *skb, const struct in6k *saddr, const struct in6k *daddr, u8 proto,
	       u8 hops, u8 tclass);
void ip6_rcv(struct sk_buff *skb);
/* Sends an ICMPv6 error about the IPv6 packet in skb (data at its IPv6 header). */
void icmp6_send(struct sk_buff *skb, u8 type, u8 code, u32 info);
/* ::ffff:0.0.0.0 (an AF_INET6 socket's "any IPv4 address"). */
bool in6_is_mapped_any(const struct in6k *a);
/*
 * IPv6 reassembly (pure, net/in6.c): a fragment (skb->data at its IPv6
 * header, the fragment header at off, the next-header field naming it at
 * nhoff): the whole packet (no fragment header, payload_len set) once
 * complete, else NULL.  Owns skb.
 */
struct sk_buff *ip6_defrag(struct sk_buff *skb, u32 off, u32 nhoff, u64 now);
int ip6_frag_count(void);		/* queues held, for tests */
/* ::1 on lo (at boot). */
void ipv6_init(void);
/* The text form of a (RFC 5952: lower case, the longest run of zeros as ::) into buf (46 bytes). */
void in6_ntop(const struct in6k *a, char *buf);
/* /proc/net/if_inet6 */
size_t net_proc_if_inet6(char *buf, size_t len);

/*
 * IPv6 on Ethernet (RFC 2464, 4861, 4862), pure pieces (net/in6.c,
 * tests/unit/test_ipv6.c): interface identifiers, the multicast MAC
 * and solicited-node group of an address, Neighbour Discovery messages
 * parsed, the neighbour cache's state machine and SLAAC's lifetime rule.
 */
#define IN6_F_DADFAILED		0x08	/* the values of IFA_F_* (if_addr.h) */
#define IN6_F_TENTATIVE		0x40
#define IN6_F_PERMANENT		0x80
#define ND_ROUTER_SOLICIT	133
#define ND_ROUTER_ADVERT	134
#define ND_NEIGHBOR_SOLICIT	135
#define ND_NEIGHBOR_ADVERT	136
#define ND_REDIRECT		137
#define ND_OPT_SOURCE_LL	1
#define ND_OPT_TARGET_LL	2
#define ND_OPT_PREFIX		3
#define ND_OPT_MTU		5
#define ND_NA_ROUTER		0x80	/* the first byte of an NA's flags word */
#define ND_NA_SOLICITED		0x40
#define ND_NA_OVERRIDE		0x20
#define ND_PREFIX_ONLINK	0x80
#define ND_PREFIX_AUTO		0x40
#define ND_MAX_PREFIXES		4
/* The link-local fe80::/64 address with mac's modified EUI-64 interface id (RFC 4291 2.5.1, app. A). */
struct in6k in6_linklocal(const u8 *mac);
/* prefix's first 64 bits with mac's interface id (RFC 4862 5.5.3 d). */
struct in6k in6_eui64(const struct in6k *prefix, const u8 *mac);
/* ff02::1:ffXX:XXXX, the solicited-node group of a (RFC 4291 2.7.1). */
struct in6k in6_solicited_node(const struct in6k *a);
/* 33:33 and a's low 32 bits, the Ethernet address of multicast a (RFC 2464 7). */
void in6_multicast_mac(const struct in6k *a, u8 *mac);
/* Whether a's first plen bits are prefix's. */
bool in6_prefix_match(const struct in6k *a, const struct in6k *prefix, int plen);
/* a with the bits past plen cleared. */
struct in6k in6_prefix(const struct in6k *a, int plen);

/* An ND message (data from the ICMPv6 header, len bytes) parsed: 0, or -EINVAL if malformed. */
struct nd_msg {
	u8 type;
	struct in6k target;		/* NS, NA */
	u8 na_flags;			/* NA: ND_NA_* */
	bool has_lladdr;		/* a source (NS, RS, RA) or target (NA) link-layer option */
	u8 lladdr[6];
	/* RA */
	u8 hop_limit, ra_flags;
	u16 router_lifetime;		/* seconds; 0: not a default router */
	u32 reachable_ms, retrans_ms;
	u32 mtu;			/* 0: no MTU option */
	int nr_prefix;
	struct nd_prefix {
		struct in6k prefix;
		u8 plen, flags;		/* ND_PREFIX_* */
		u32 valid, preferred;	/* seconds; 0xffffffff: forever */
	} prefix[ND_MAX_PREFIXES];
};
int nd_parse(const u8 *p, u32 len, struct nd_msg *m);

/* The neighbour cache's state machine (RFC 4861 7.3.2, appendix C). */
enum nd_state { ND_NONE, ND_INCOMPLETE, ND_REACHABLE, ND_STALE, ND_DELAY, ND_PROBE };
#define ND_RETRANS_NS		(1000ULL * 1000000)	/* RetransTimer: 1 s */
#define ND_REACHABLE_NS		(30ULL * 1000000000)	/* REACHABLE_TIME: 30 s */
#define ND_DELAY_NS		(5ULL * 1000000000)	/* DELAY_FIRST_PROBE_TIME: 5 s */
#define ND_MAX_MCAST_SOLICIT	3
#define ND_MAX_UCAST_SOLICIT	3
struct nd_entry {
	enum nd_state state;
	u8 mac[6];
	bool router;			/* the last NA had its R flag */
	int probes;			/* solicitations sent in INCOMPLETE or PROBE */
	u64 when;			/* the state's start, or the last solicitation */
};
/* What the cache's owner does after an event. */
enum nd_action {
	ND_ACT_NONE,
	ND_ACT_SEND,			/* send the packet (and those queued) to e->mac */
	ND_ACT_QUEUE,			/* queue the packet until the address resolves */
	ND_ACT_SOLICIT_MCAST,		/* send a multicast NS (to the solicited-node group) */
	ND_ACT_SOLICIT_UCAST,		/* send a unicast NS to e->mac */
	ND_ACT_FAIL,			/* unreachable: drop what waited, free the entry */
};
/* A packet to e's address: SEND, or QUEUE (with SOLICIT_MCAST first for a new entry, *solicit). */
enum nd_action nd_output(struct nd_entry *e, u64 now, bool *solicit);
/* Time passed: NONE, SOLICIT_MCAST, SOLICIT_UCAST or FAIL. */
enum nd_action nd_timer(struct nd_entry *e, u64 now);
/* A Neighbour Advertisement for e's address (lladdr may be NULL): NONE or SEND (flush the queue). */
enum nd_action nd_advert(struct nd_entry *e, const u8 *lladdr, u8 flags, u64 now);
/* An NS, RS or RA from e's address with a source link-layer option: NONE or SEND. */
enum nd_action nd_lladdr_seen(struct nd_entry *e, const u8 *lladdr, u64 now);
/*
 * SLAAC (RFC 4862 5.5.3 e): an address's new valid lifetime (seconds)
 * from an RA's, given what remains of the old: the RA's if over two
 * hours or over what remains, else what remains if at most two hours,
 * else two hours.
 */
u32 slaac_valid_lifetime(u32 remaining, u32 advertised);

/*
 * Neighbour Discovery and address configuration (net/ndisc.c): the
 * IPv6 neighbour cache of Ethernet devices, NS/NA, DAD, RS/RA and the
 * SLAAC addresses, the IPv6 routes.
 */
/* A device came up: its link-local address (tentative: DAD), then Router Solicitations. */
void addrconf_dev_up(struct netdevice *dev);
/* ip -6 addr add/del: a static address (DAD, its prefix route): 0 or -errno (EEXIST only if excl). */
int addrconf_add(struct netdevice *dev, const struct in6k *a, int plen, bool excl);
int addrconf_del(struct netdevice *dev, const struct in6k *a, int plen);
/* A device went down or away: its IPv6 addresses, routes and neighbours go. */
void addrconf_dev_down(struct netdevice *dev);
/* Sends the IPv6 packet skb on an Ethernet device to skb->nexthop6 (resolving it). */
int ndisc_xmit(struct netdevice *dev, struct sk_buff *skb);
/* An ND message (types 133-137) received (data at the ICMPv6 header, saddr6/daddr6 set). */
void ndisc_rcv(struct sk_buff *skb);
/* A usable (not tentative) source address of dev for daddr (RFC 6724 in short): 0 or -EADDRNOTAVAIL. */
int ip6_dev_source(struct netdevice *dev, const struct in6k *daddr, struct in6k *src);
/* ip6_output on a given device to a given next hop (ND's own messages, fragments). */
int ip6_output_dev(struct sk_buff *skb, struct netdevice *dev, const struct in6k *nexthop,
		   const struct in6k *saddr, const struct in6k *daddr, u8 proto, u8 hops, u8 tclass);
/* Slot i of the neighbour cache (false past the end; *dev NULL, *state ND_NONE: a free slot). */
bool ndisc_neigh(int i, struct netdevice **dev, struct in6k *a, u8 *mac, int *state, bool *router);
/* At halt: the packets waiting on a neighbour's resolution go. */
void ndisc_quiesce(void);
/* Whether dev listens to multicast group a (all-nodes, its addresses' solicited-node groups). */
bool ip6_mc_member(struct netdevice *dev, const struct in6k *a);
/* The IPv6 routes (main table) */
struct route6 {
	struct in6k dst, gw;		/* gw :: on-link */
	u8 plen;
	u8 proto;			/* RTPROT_KERNEL (2), RTPROT_RA (9), RTPROT_BOOT (3) */
	struct netdevice *dev;
	int metric;
	u64 expires;			/* monotonic ns, 0: never */
};
#define MAX_ROUTES6 16
extern struct route6 route6_table[MAX_ROUTES6];
extern int nr_routes6;
/* The device and next hop for daddr, or NULL (-ENETUNREACH). */
struct netdevice *ip6_route_nh(const struct in6k *daddr, struct in6k *nexthop);
int route6_add(const struct in6k *dst, int plen, const struct in6k *gw, struct netdevice *dev, int metric,
	       u8 proto, u64 expires);
int route6_del(const struct in6k *dst, int plen, const struct in6k *gw, struct netdevice *dev);
size_t net_proc_tcp6(char *buf, size_t len);
size_t net_proc_udp6(char *buf, size_t len);

/*
 * IPv4 reassembly (pure, net/ipfrag.c): collects fragments keyed by
 * (saddr, daddr, id, proto); returns the whole datagram (data at its
 * IP header) when the last hole fills, else NULL.  Owns skb.
 */
struct sk_buff *ip_defrag(struct sk_buff *skb, u64 now);
void ip_frag_expire(u64 now);		/* drops queues older than 30 s */
int ip_frag_count(void);		/* queues held, for tests */

/* ---- TCP (net/tcp.c) ---- */
enum tcp_state {
	TCP_CLOSED, TCP_LISTEN, TCP_SYN_SENT, TCP_SYN_RECV, TCP_ESTABLISHED,
	TCP_FIN_WAIT1, TCP_FIN_WAIT2, TCP_CLOSE_WAIT, TCP_CLOSING, TCP_LAST_ACK,
	TCP_TIME_WAIT,
};

/* seq arithmetic modulo 2^32 (RFC 9293 3.4). */
static inline bool seq_lt(u32 a, u32 b) { return (s32)(a - b) < 0; }
static inline bool seq_le(u32 a, u32 b) { return (s32)(a - b) <= 0; }
static inline bool seq_gt(u32 a, u32 b) { return (s32)(a - b) > 0; }
static inline bool seq_ge(u32 a, u32 b) { return (s32)(a - b) >= 0; }
/* a <= x < b, in sequence space. */
static inline bool seq_between(u32 x, u32 a, u32 b) { return seq_le(a, x) && seq_lt(x, b); }

/* A byte ring: the send queue (from snd_una) and the in-order receive queue. */
/*
 * A byte stream in a list of sk_buffs (data = the bytes still queued),
 * len the bytes, cap the most it may hold.  The receive queue holds the
 * segments' own buffers (the window is cap - len), so a segment is copied
 * once, to the reader; small ones are packed into the tail instead
 * (net/tcp.c rcvq_add).  The send queue holds the bytes from snd_una in
 * buffers with room for the headers in front (seq: the first byte's
 * number), so a segment that is one buffer's start goes out sharing it
 * (skb_share), and the writer's copy is the only one (net/tcp.c sndq_*).
 */
struct skb_bytes {
	struct list_head q;
	u32 cap, len;
};

struct tcp_sock;
struct tcp_ops {
	/* Hands a finished segment (data = TCP header) to IP; owns skb. */
	void (*xmit)(struct tcp_sock *tp, struct sk_buff *skb);
	/* A new embryo for a SYN on listener lp (copies lp's settings), or NULL. */
	struct tcp_sock *(*child)(struct tcp_sock *lp);
	/* tp reached CLOSED and nobody holds it (orphan): free it. */
	void (*destroy)(struct tcp_sock *tp);
	/* The MTU of the route to tp->daddr (NULL: tp->pmtu as set). */
	u32 (*route_mtu)(struct tcp_sock *tp);
};

#define TCP_MAX_WSCALE	14
#define TCP_SACK_MAX	4
struct sack_block { u32 start, end; };

struct tcp_sock {
	enum tcp_state state;
	struct in6k saddr, daddr;	/* v4-mapped for IPv4; saddr :: when bound to any */
	int family;			/* its socket's, AF_INET or AF_INET6 */
	bool v6only;			/* IPV6_V6ONLY: no IPv4 through an AF_INET6 socket */
	u16 sport, dport;		/* network order */
	const struct tcp_ops *ops;
	void *owner;			/* the socket's (af_inet) */
	struct wait_queue wq;		/* readers, writers, pollers, connect, accept */
	bool orphan;			/* the socket is closed; destroy at CLOSED */
	int err;			/* pending error (SO_ERROR), positive */
	int soft_err;			/* ICMP error seen while connecting */

	/* send side */
	u32 iss, snd_una, snd_nxt, snd_max, snd_wnd, snd_wl1, snd_wl2;
	u32 max_window;
	struct skb_bytes sndq;		/* bytes [snd_una, snd_una + len) */
	u32 sndbuf;
	bool fin_queued;		/* shutdown(SHUT_WR)/close: FIN after the data */
	bool fin_acked;			/* ... and the peer acknowledged it */
	u32 mss;			/* send MSS: the peer's, less options */
	u32 mss_clamp;			/* TCP_MAXSEG, 0: none */
	u32 pmtu;			/* path MTU (ICMP frag needed lowers it) */
	u8 snd_wscale, rcv_wscale;
	bool ws_ok, ts_ok, sack_ok;
	bool nodelay, cork;

	/* receive side */
	u32 irs, rcv_nxt, rcv_adv;	/* rcv_adv: right edge last advertised */
	struct skb_bytes rcvq;
	u32 rcvbuf;
	struct list_head ooo;		/* out-of-order skbs, sorted by seq */
	u32 ooo_bytes;
	bool fin_rcvd;
	u32 ts_recent;
	u32 unacked;			/* full segments received since our last ACK */
	u32 quickacks;			/* TCP_QUICKACK: segments still ACKed at once */
	bool pingpong;			/* TCP_QUICKACK 0: delayed ACKs (reads back 0) */
	struct sack_block sacks[TCP_SACK_MAX];
	int nr_sacks;

	/* congestion control (RFC 5681, NewReno RFC 6582) */
	u32 cwnd, ssthresh, recover, dupacks;
	bool in_recovery;
	u32 bytes_acked;		/* congestion avoidance counter */
	u32 last_advance;		/* bytes the last ACK that moved snd_una acked */

	/* retransmission (RFC 6298), in ns */
	u64 srtt, rttvar, rto;
	bool rtt_valid, rtt_timing;
	u32 rtt_seq;
	u64 rtt_start;
	int retries;
	u32 rexmit_stamp;		/* TS clock at the last retransmission */
	struct ktimer rtx_timer, delack_timer, keep_timer, tw_timer;

	/* keepalive */
	bool keepalive;
	u32 keepidle, keepintvl, keepcnt;	/* s, s, probes */
	int keep_probes;

	/* linger (the socket layer waits; abort when linger0) */
	bool linger0;

	/* listening */
	struct tcp_sock *parent;	/* an embryo's listener, while queued */
	struct list_head child_link;	/* on the parent's synq or acceptq */
	struct list_head synq, acceptq;
	int backlog, nr_syn, nr_accept;

	struct list_head hash_link;	/* the owner's lookup list */
	bool reuseaddr;			/* SO_REUSEADDR of its socket (or listener) */
	bool reuseport;			/* SO_REUSEPORT of its socket, when bound */
	unsigned uid;			/* its socket's owner (SO_REUSEPORT groups) */
	u8 ttl, tos;			/* IP_TTL, IP_TOS */
	u8 hops6, tclass6;		/* IPV6_UNICAST_HOPS (0: the default), IPV6_TCLASS */
	bool hashed;
	u64 stats_retrans;
};

/* An initialised CLOSED endpoint (rings unallocated): NULL if out of memory. */
struct tcp_sock *tcp_alloc(const struct tcp_ops *ops, void *owner);
void tcp_free(struct tcp_sock *tp);
/* Active open to daddr:dport from saddr:sport: 0 or -errno. */
int tcp_connect(struct tcp_sock *tp);
/* A CLOSED endpoint whose connection failed or ended, made new for another connect (options kept). */
void tcp_reinit(struct tcp_sock *tp);
int tcp_listen(struct tcp_sock *tp, int backlog);
/* A listener stops: its embryos and unaccepted children are reset; tp is CLOSED. */
void tcp_unlisten(struct tcp_sock *tp);
/* One incoming segment for tp (data = TCP header, checksum checked); owns skb. */
void tcp_rcv(struct tcp_sock *tp, struct sk_buff *skb);
/* Answers a segment that found no endpoint with a RST (RFC 9293 3.10.7.1). */
void tcp_reset_reply(struct sk_buff *skb, void (*xmit)(struct tcp_sock *, struct sk_buff *));
/* Queues up to n bytes from buf for sending: the count taken (0: full), or -errno. */
long tcp_send(struct tcp_sock *tp, const u8 *buf, u32 n);
/*
 * The same without a bounce buffer: copy(ctx, dst, len) fills the send
 * ring's free space in place (one or two pieces), returning 0 or -errno;
 * on an error nothing is taken.  The count taken, or -errno.
 */
long tcp_send_copy(struct tcp_sock *tp, u32 n, long (*copy)(void *ctx, u8 *dst, u32 len), void *ctx);
/* Up to n received bytes handed to copy(ctx, src, len) in place; dropped unless peek or an error. */
long tcp_recv_copy(struct tcp_sock *tp, u32 n, long (*copy)(void *ctx, const u8 *src, u32 len),
		   void *ctx, bool peek);
/* Room in the send queue now. */
u32 tcp_send_room(const struct tcp_sock *tp);
/* Pushes queued data as the windows and Nagle allow (after tcp_send). */
void tcp_push(struct tcp_sock *tp, bool more);
/* Takes (or peeks) up to n received bytes into buf: the count. */
u32 tcp_recv(struct tcp_sock *tp, u8 *buf, u32 n, bool peek);
/* An ACK now (TCP_QUICKACK with ACKs owed). */
void tcp_send_ack_now(struct tcp_sock *tp);
/* After a read: tell the peer about a window that opened. */
void tcp_rcv_space(struct tcp_sock *tp);
static inline u32 tcp_readable(const struct tcp_sock *tp) { return tp->rcvq.len; }
/* shutdown(SHUT_WR): FIN after the queued data. */
void tcp_shutdown_send(struct tcp_sock *tp);
/* The socket is closed: FIN (or RST with unread data or linger 0); tp becomes an orphan. */
void tcp_close(struct tcp_sock *tp);
/* Sends a RST and moves to CLOSED with err. */
void tcp_abort(struct tcp_sock *tp, int err);
/* Takes an established child off the listener's accept queue, or NULL. */
struct tcp_sock *tcp_accept(struct tcp_sock *lp);
void tcp_set_keepalive(struct tcp_sock *tp, bool on);
/* ICMP for tp: -ECONNREFUSED..., or a new path MTU. */
void tcp_icmp_error(struct tcp_sock *tp, int err, u32 mtu);
const char *tcp_state_name(enum tcp_state s);
/* The poll mask of tp (POLLIN, POLLOUT, POLLHUP...). */
unsigned tcp_poll_mask(const struct tcp_sock *tp);
/* Milliseconds the TCP timestamp clock shows. */
u32 tcp_time_stamp(void);

#define TCP_RTO_MIN	(200ULL * 1000000)	/* Linux's 200 ms; RFC 6298 says 1 s */
#define TCP_RTO_MAX	(120ULL * 1000000000)
#define TCP_RTO_INIT	(1000ULL * 1000000)
#define TCP_DELACK	(40ULL * 1000000)
#define TCP_TIMEWAIT	(60ULL * 1000000000)	/* 2 MSL as Linux: 60 s */
#define TCP_RETRIES	15
#define TCP_SYN_RETRIES	6
extern u64 tcp_timewait_ns;		/* TCP_TIMEWAIT; tests shorten it */


/* ---- AF_INET sockets (net/af_inet.c, net/udp.c) ---- */
struct socket;
struct inet_sock {
	struct socket *sock;
	int family;			/* AF_INET or AF_INET6 */
	int type, protocol;
	struct in6k saddr, daddr;	/* bound (:: any) and connected addresses, v4-mapped for IPv4 */
	u32 scope_id;			/* IPv6: the bound interface of a link-local address */
	bool v6only;			/* IPV6_V6ONLY */
	int hops;			/* IPV6_UNICAST_HOPS, -1: the default (64) */
	u8 tclass;			/* IPV6_TCLASS */
	bool rxpktinfo6, recvhops6, recvtclass6;	/* IPV6_RECVPKTINFO, _RECVHOPLIMIT, _RECVTCLASS */
	bool rxpktinfo2292, recvhops2292;	/* RFC 2292's IPV6_2292PKTINFO, _2292HOPLIMIT (busybox ping) */
	u32 icmp6_filter[8];		/* ICMP6_FILTER of a raw ICMPv6 socket: a set bit blocks the type */
	u16 sport, dport;		/* network order */
	bool connected;			/* datagram: connect(2) named a peer */
	u8 ttl, tos;
	bool hdrincl, recverr, pktinfo, recvttl, recvtos;
	bool snd_busy, rcv_busy;	/* stream: a sendmsg/recvmsg is copying (stream_lock) */
	int lock_waiters;
	int pmtudisc;
	bool linger;
	int linger_secs;
	unsigned shutdown;		/* RCV_SHUTDOWN, SEND_SHUTDOWN */
	struct tcp_sock *tp;		/* SOCK_STREAM */
	/* datagram, raw and ping sockets */
	struct list_head rxq;
	u32 rx_bytes;
	struct wait_queue wq;
	int err;
	struct list_head link;		/* on udp_socks or raw_socks */
	bool on_list;
	bool port_locked, addr_locked;	/* bind(2) named a port / an address (not 0) */
	u64 drops;
};
extern struct list_head tcp_socks, udp_socks, raw_socks;
int inet_family_create(struct socket *sock, int type, int protocol, bool kern);
int inet_dgram_create(struct inet_sock *isk);
/* Which of n sockets of a SO_REUSEPORT group takes the flow from saddr:sport (net order). */
u32 reuseport_index(const struct in6k *saddr, u16 sport, u32 n);
/* net.ipv4.ping_group_range (net/udp.c): /proc/sys text and its writer. */
size_t ping_group_range_show(char *buf, size_t len);
#define PING_GID_MAX	0x7fffffff	/* Linux's GID_T_MAX, (gid_t)~0U >> 1 */
void ping_group_range_set(gid_t low, gid_t high);	/* net/udp.c: sets ops */
/*
 * The sockaddr in addr (len bytes) for a socket of family: a
 * sockaddr_in (AF_INET sockets; v4ok: an AF_INET6 socket's datagram
 * peer too) or a sockaddr_in6, into *ip (v4-mapped for IPv4), *port
 * and *scope: 0, -EINVAL, -EAFNOSUPPORT.
 */
int inet_addr_parse(int family, const u8 *addr, int len, struct in6k *ip, u16 *port, u32 *scope,
		    bool allow_unspec, bool v4ok);
/* Fills a sockaddr_in (AF_INET) or sockaddr_in6 (AF_INET6) for ip:port: its length. */
int inet_addr_fill(int family, u8 *addr, const struct in6k *ip, u16 port, u32 scope);
/* Whether a socket of family (v6only) bound to bound takes packets to dst. */
/* Whether isk may bind ip (scope: sin6_scope_id): 0, -EINVAL, -EADDRNOTAVAIL, -ENODEV. */
int inet_bind_addr_ok(const struct inet_sock *isk, const struct in6k *ip, u32 scope);
/* connect(2)'s peer for isk made usable (:: is this host), with the source: 0, -ENETUNREACH. */
int inet_connect_dst(struct inet_sock *isk, struct in6k *ip, struct in6k *src);
bool inet_addr_match(int family, bool v6only, const struct in6k *bound, const struct in6k *dst);
/* Whether two bound sockets' address sets overlap (a port clash). */
bool inet_addr_overlap(int fa, bool v6a, const struct in6k *a, int fb, bool v6b, const struct in6k *b);
/* net.ipv6.bindv6only: IPV6_V6ONLY of new AF_INET6 sockets. */
extern bool ipv6_bindv6only;
/* a.b.c.d into *ip (network order): 0 or -EINVAL. */
int inet_parse_dotted(const char *s, u32 *ip);
/* SOL_SOCKET/SOL_IP options every AF_INET socket has; -ENOPROTOOPT if not one. */
int inet_setsockopt_common(struct inet_sock *isk, int level, int name, const u8 *val, unsigned len);
int inet_getsockopt_common(struct inet_sock *isk, int level, int name, u8 *val, unsigned *len);
/* SIOC* ioctls of devices and routes (net/devinet.c); -ENOIOCTLCMD if not one. */
long inet_dev_ioctl(unsigned cmd, u64 arg);
#define ENOIOCTLCMD	515
/* The deadline of a SO_RCVTIMEO/SO_SNDTIMEO in µs (sock->rcvtimeo; 0: none), from now. */
u64 inet_deadline(u64 timeo_us);
/* Sleeps on wq until woken or deadline: 0, -EAGAIN (timed out), -EINTR/-ERESTARTSYS. */
int inet_wait(struct wait_queue *wq, u64 deadline);
void udp_init(void);
/* Proc tables (fs/proc): each writes lines into buf, returns the length. */
size_t net_proc_tcp(char *buf, size_t len);
size_t net_proc_udp(char *buf, size_t len);
size_t net_proc_dev(char *buf, size_t len);
size_t net_proc_route(char *buf, size_t len);

#endif
