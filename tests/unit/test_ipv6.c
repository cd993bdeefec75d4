/* unit-sources: net/in6.c net/skbuff.c net/checksum.c */
/*
 * test_ipv6.c - the pure pieces of IPv6: v4-mapped addresses, the
 * dual-stack address sets a bound socket covers (who takes a packet,
 * which binds clash on a port), RFC 5952 text, the IPv6 pseudo-header
 * checksum (against a hand-summed UDP datagram), and fragment
 * reassembly: in order, out of order, overlapping (RFC 5722: dropped),
 * a bad length, an atomic fragment, the 60 s expiry, no leak; IPv6 on
 * Ethernet: EUI-64 link-local and SLAAC addresses, solicited-node groups
 * and 33:33 MACs, Neighbour Discovery messages parsed (malformed ones
 * refused), the neighbour cache's state machine (RFC 4861 7.3) and
 * SLAAC's valid-lifetime rule (RFC 4862 5.5.3 e).
 *
 * Only kernel headers are included (they clash with libc's); the few
 * libc functions used are declared here.
 */
#include "kernel/kernel.h"
#include "kernel/inet.h"
#include "kernel/net.h"

int printf(const char *fmt, ...);
void *malloc(size_t n);
void free(void *p);
void *memset(void *s, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memcpy(void *d, const void *s, size_t n);
int strcmp(const char *a, const char *b);
typedef __builtin_va_list va_list;
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/* ---- fakes ---- */
struct live_counts live;
int leak_test_kind = -1;	/* leak_test= is off: leak_test_fire is never called */
bool leak_test_fire(void) { return false; }
void *kmalloc(size_t n) { return malloc(n); }
void *kzalloc(size_t n) { void *p = malloc(n); if (p) memset(p, 0, n); return p; }
void kfree(const void *p) { free((void *)p); }
void panic(const char *fmt, ...) { printf("panic %s\n", fmt); __builtin_trap(); }
int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	__builtin_va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	__builtin_va_end(ap);
	return n;
}

static int num, failed;

static void ok(int cond, const char *what)
{
	num++;
	if (!cond)
		failed++;
	printf("%s %d %s\n", cond ? "ok" : "not ok", num, what);
}

static struct in6k A(const u8 *b)
{
	struct in6k a;

	memcpy(a.b, b, 16);
	return a;
}

static const u8 DOC1[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
static const u8 DOC2[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };

static void test_addresses(void)
{
	struct in6k m = in6_mapped(IPV4(127, 0, 0, 1)), any = in6k_any, lo = in6k_loopback;
	struct in6k d1 = A(DOC1), d2 = A(DOC2), many = in6_mapped(IPV4(10, 0, 0, 1));
	char buf[46];

	many.w[3] = 0;		/* ::ffff:0.0.0.0 */
	ok(in6_is_mapped(&m) && in6_v4(&m) == IPV4(127, 0, 0, 1) && m.b[10] == 0xff && m.b[11] == 0xff,
	   "127.0.0.1 maps to ::ffff:127.0.0.1");
	ok(in6_is_any(&any) && !in6_is_mapped(&any) && in6_is_any((struct in6k[]){ in6_mapped(0) }),
	   "0.0.0.0 maps to the wildcard ::");
	ok(in6_is_loopback(&lo) && !in6_is_loopback(&m) && in6_is_mapped_any(&many), "::1, ::ffff:0.0.0.0");

	/* who takes a packet to dst */
	ok(inet_addr_match(AF_INET, false, &any, &m) && !inet_addr_match(AF_INET, false, &any, &lo),
	   "AF_INET 0.0.0.0 takes IPv4, not IPv6");
	ok(inet_addr_match(AF_INET6, false, &any, &m) && inet_addr_match(AF_INET6, false, &any, &lo),
	   "dual-stack [::] takes both");
	ok(!inet_addr_match(AF_INET6, true, &any, &m) && inet_addr_match(AF_INET6, true, &any, &lo),
	   "V6ONLY [::] takes IPv6 only");
	ok(inet_addr_match(AF_INET6, false, &many, &m) && !inet_addr_match(AF_INET6, false, &many, &lo),
	   "[::ffff:0.0.0.0] takes IPv4 only");
	ok(inet_addr_match(AF_INET6, false, &d1, &d1) && !inet_addr_match(AF_INET6, false, &d1, &d2),
	   "a specific address takes itself only");

	/* which binds of one port clash */
	ok(inet_addr_overlap(AF_INET6, false, &any, AF_INET, false, &any), "[::] and 0.0.0.0 clash");
	ok(!inet_addr_overlap(AF_INET6, true, &any, AF_INET, false, &any), "V6ONLY [::] and 0.0.0.0 do not");
	ok(inet_addr_overlap(AF_INET6, false, &any, AF_INET, false, &m), "[::] and 127.0.0.1 clash");
	ok(!inet_addr_overlap(AF_INET6, true, &any, AF_INET, false, &m), "V6ONLY [::] and 127.0.0.1 do not");
	ok(inet_addr_overlap(AF_INET6, true, &any, AF_INET6, false, &lo), "V6ONLY [::] and [::1] clash");
	ok(!inet_addr_overlap(AF_INET, false, &any, AF_INET6, false, &lo), "0.0.0.0 and [::1] do not");
	ok(!inet_addr_overlap(AF_INET6, false, &d1, AF_INET6, false, &d2) &&
	   inet_addr_overlap(AF_INET6, false, &d1, AF_INET6, false, &d1), "two addresses: only if equal");
	ok(inet_addr_overlap(AF_INET6, false, &many, AF_INET, false, &any) &&
	   !inet_addr_overlap(AF_INET6, false, &many, AF_INET6, true, &any), "[::ffff:0.0.0.0] is IPv4's wildcard");

	/* RFC 5952 text */
	in6_ntop(&lo, buf);
	ok(!strcmp(buf, "::1"), "::1");
	in6_ntop(&any, buf);
	ok(!strcmp(buf, "::"), "::");
	in6_ntop(&d1, buf);
	ok(!strcmp(buf, "2001:db8::1"), "2001:db8::1");
	in6_ntop(&m, buf);
	ok(!strcmp(buf, "::ffff:127.0.0.1"), "::ffff:127.0.0.1");
	{
		const u8 b[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1 };
		const u8 c[16] = { 0xfe, 0x80, [8] = 0x50, 0x54, 0, 0xff, 0xfe, 0x12, 0x34, 0x56 };
		struct in6k x = A(b), y = A(c);

		in6_ntop(&x, buf);
		ok(!strcmp(buf, "2001:db8:0:1::1"), "the longest zero run is the one shortened");
		in6_ntop(&y, buf);
		ok(!strcmp(buf, "fe80::5054:ff:fe12:3456"), "a link-local address from a MAC");
	}
}

/* A UDP datagram [::1]:1234 -> [::1]:5678 "hi", summed by hand (RFC 8200 8.1). */
static void test_checksum(void)
{
	u8 d[10] = { 0x04, 0xd2, 0x16, 0x2e, 0x00, 0x0a, 0, 0, 'h', 'i' };
	struct in6k lo = in6k_loopback;
	u32 s = 1 + 1 + 10 + 17;	/* ::1 twice, the length, next header */
	u16 c, want;

	s += 0x04d2 + 0x162e + 0x000a + 0x6869;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	want = (u16)~s;
	c = csum_fold(csum_partial(d, sizeof(d), csum_pseudo6(&lo, &lo, IPPROTO_UDP, sizeof(d))));
	ok(be16_to_cpu(c) == want, "IPv6 pseudo-header checksum of a UDP datagram");
	memcpy(d + 6, &c, 2);
	ok(csum_fold(csum_partial(d, sizeof(d), csum_pseudo6(&lo, &lo, IPPROTO_UDP, sizeof(d)))) == 0,
	   "and it verifies to 0");
}

/* Fragment n of a datagram id: IPv6 header + fragment header + bytes [off, off+len) of payload. */
static struct sk_buff *frag(u32 id, u32 off, u32 len, bool more, const u8 *payload)
{
	struct sk_buff *skb = alloc_skb(IPV6_HDR + 8 + len, 0);
	u8 *p = skb_put(skb, IPV6_HDR + 8 + len);
	struct in6k s = A(DOC1), d = A(DOC2);
	u16 ow = (u16)(off | (more ? 1 : 0));

	memset(p, 0, IPV6_HDR + 8);
	p[0] = 0x60;
	p[4] = (u8)((8 + len) >> 8);
	p[5] = (u8)(8 + len);
	p[6] = IPPROTO_FRAGMENT;
	p[7] = 64;
	memcpy(p + 8, &s, 16);
	memcpy(p + 24, &d, 16);
	p[40] = IPPROTO_UDP;
	p[42] = (u8)(ow >> 8);
	p[43] = (u8)ow;
	memcpy(p + 44, &id, 4);
	memcpy(p + 48, payload + off, len);
	return skb;
}

static bool whole(struct sk_buff *skb, const u8 *payload, u32 n)
{
	bool good = skb != NULL && skb->len == IPV6_HDR + n && skb->data[6] == IPPROTO_UDP &&
		    skb->data[4] == (u8)(n >> 8) && skb->data[5] == (u8)n &&
		    memcmp(skb->data + IPV6_HDR, payload, n) == 0;

	if (skb)
		kfree_skb(skb);
	return good;
}

static void test_frags(void)
{
	static u8 payload[3000];
	struct sk_buff *r;
	u32 i;

	for (i = 0; i < sizeof(payload); i++)
		payload[i] = (u8)(i * 7 + 3);
	r = ip6_defrag(frag(1, 0, 1232, true, payload), IPV6_HDR, 6, 0);
	ok(r == NULL && ip6_frag_count() == 1, "first fragment: held");
	r = ip6_defrag(frag(1, 1232, 1232, true, payload), IPV6_HDR, 6, 1);
	ok(r == NULL, "second: still a hole at the end");
	r = ip6_defrag(frag(1, 2464, 536, false, payload), IPV6_HDR, 6, 2);
	ok(whole(r, payload, 3000) && ip6_frag_count() == 0, "the last completes 3000 bytes, upper layer UDP");

	r = ip6_defrag(frag(2, 2464, 536, false, payload), IPV6_HDR, 6, 3);
	r = r ? r : ip6_defrag(frag(2, 1232, 1232, true, payload), IPV6_HDR, 6, 4);
	r = r ? r : ip6_defrag(frag(2, 0, 1232, true, payload), IPV6_HDR, 6, 5);
	ok(whole(r, payload, 3000), "out of order: the same datagram");

	ip6_defrag(frag(3, 0, 1232, true, payload), IPV6_HDR, 6, 6);
	r = ip6_defrag(frag(3, 1224, 1232, true, payload), IPV6_HDR, 6, 7);
	ok(r == NULL && ip6_frag_count() == 0, "an overlapping fragment drops the datagram (RFC 5722)");
	r = ip6_defrag(frag(3, 2464, 536, false, payload), IPV6_HDR, 6, 8);
	ok(r == NULL, "its last fragment alone completes nothing");

	r = ip6_defrag(frag(4, 0, 1001, true, payload), IPV6_HDR, 6, 9);
	ok(r == NULL && ip6_frag_count() == 1, "a non-final fragment not a multiple of 8: dropped (id 3's last one still waits)");

	r = ip6_defrag(frag(5, 0, 100, false, payload), IPV6_HDR, 6, 10);
	ok(whole(r, payload, 100), "an atomic fragment (RFC 6946) is the packet itself");

	ip6_defrag(frag(6, 0, 1232, true, payload), IPV6_HDR, 6, 11);
	ok(ip6_frag_count() == 2, "two queues held");
	r = ip6_defrag(frag(7, 0, 8, true, payload), IPV6_HDR, 6, 61ULL * 1000000000);
	ok(r == NULL && ip6_frag_count() == 1, "after 60 s the old queues went");
	r = ip6_defrag(frag(7, 8, 8, false, payload), IPV6_HDR, 6, 61ULL * 1000000000 + 1);
	ok(whole(r, payload, 16) && ip6_frag_count() == 0, "the new one completes");
}

/* ---- IPv6 on Ethernet: interface ids, groups, ND messages, the cache, SLAAC ---- */

static const u8 mac1[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

static void test_eth_addresses(void)
{
	static const u8 ll[16] = { 0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x50, 0x54, 0x00, 0xff, 0xfe, 0x12, 0x34, 0x56 };
	static const u8 pfx[16] = { 0xfe, 0xc0, 0, 0, 0, 0, 0, 0, 9, 9, 9, 9, 9, 9, 9, 9 };
	static const u8 glob[16] = { 0xfe, 0xc0, 0, 0, 0, 0, 0, 0, 0x50, 0x54, 0x00, 0xff, 0xfe, 0x12, 0x34, 0x56 };
	static const u8 sn[16] = { 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff, 0x12, 0x34, 0x56 };
	static const u8 mm[6] = { 0x33, 0x33, 0xff, 0x12, 0x34, 0x56 };
	static const u8 uni[6] = { 0x02, 0, 0, 0, 0, 1 };	/* a local MAC: the U/L bit clears */
	struct in6k a = in6_linklocal(mac1), p = A(pfx), g = in6_eui64(&p, mac1), s = in6_solicited_node(&g);
	struct in6k l2 = in6_linklocal(uni);
	u8 m[6];
	char b[46];

	ok(memcmp(a.b, ll, 16) == 0, "link-local: fe80:: and the modified EUI-64 (U/L bit inverted, ff:fe)");
	in6_ntop(&a, b);
	ok(strcmp(b, "fe80::5054:ff:fe12:3456") == 0, "link-local in text");
	ok(l2.b[8] == 0 && l2.b[15] == 1, "a locally administered MAC gives a U/L bit of 0");
	ok(memcmp(g.b, glob, 16) == 0, "SLAAC: the prefix's 64 bits and the interface id");
	ok(memcmp(s.b, sn, 16) == 0, "solicited-node group ff02::1:ff and the low 24 bits");
	in6_multicast_mac(&s, m);
	ok(memcmp(m, mm, 6) == 0, "multicast MAC: 33:33 and the low 32 bits (RFC 2464 7)");
	ok(in6_prefix_match(&g, &p, 65) && !in6_prefix_match(&g, &p, 66) && in6_prefix_match(&g, &a, 0),
	   "prefix match at 65 bits, not at 66 (0x50 against 0x09), always at 0");
	p = in6_prefix(&g, 10);
	ok(p.b[0] == 0xfe && p.b[1] == 0xc0 && p.w[1] == 0 && p.w[3] == 0, "prefix: bits past plen cleared");
	ok(in6_is_sitelocal(&g) && !in6_is_sitelocal(&a) && in6_is_linklocal(&a), "site-local and link-local scopes");
}

static u32 put_opt(u8 *p, u8 type, u8 len8)
{
	p[0] = type;
	p[1] = len8;
	return (u32)len8 * 8;
}

static void test_nd_parse(void)
{
	u8 m[128];
	struct nd_msg nd;
	u32 n;

	/* an RA as libslirp sends it: lifetime 1800 s, source link-layer, a prefix fec0::/64 with L and A, MTU */
	memset(m, 0, sizeof(m));
	m[0] = ND_ROUTER_ADVERT;
	m[4] = 64;
	m[6] = 0x07;
	m[7] = 0x08;
	n = 16;
	put_opt(m + n, ND_OPT_SOURCE_LL, 1);
	memcpy(m + n + 2, mac1, 6);
	n += 8;
	put_opt(m + n, ND_OPT_PREFIX, 4);
	m[n + 2] = 64;
	m[n + 3] = ND_PREFIX_ONLINK | ND_PREFIX_AUTO;
	m[n + 4] = 0; m[n + 5] = 1; m[n + 6] = 0x51; m[n + 7] = 0x80;	/* 86400 */
	m[n + 8] = 0; m[n + 9] = 0; m[n + 10] = 0x38; m[n + 11] = 0x40;	/* 14400 */
	m[n + 16] = 0xfe;
	m[n + 17] = 0xc0;
	n += 32;
	put_opt(m + n, ND_OPT_MTU, 1);
	m[n + 6] = 0x05; m[n + 7] = 0xdc;
	n += 8;
	put_opt(m + n, 99, 1);		/* unknown: skipped */
	n += 8;
	ok(nd_parse(m, n, &nd) == 0 && nd.type == ND_ROUTER_ADVERT && nd.router_lifetime == 1800 &&
	   nd.hop_limit == 64, "RA: parsed, router lifetime 1800");
	ok(nd.has_lladdr && memcmp(nd.lladdr, mac1, 6) == 0, "RA: its source link-layer address");
	ok(nd.nr_prefix == 1 && nd.prefix[0].plen == 64 && nd.prefix[0].valid == 86400 &&
	   nd.prefix[0].preferred == 14400 && nd.prefix[0].flags == (ND_PREFIX_ONLINK | ND_PREFIX_AUTO) &&
	   nd.prefix[0].prefix.b[0] == 0xfe && nd.prefix[0].prefix.b[1] == 0xc0, "RA: the prefix, flags, lifetimes");
	ok(nd.mtu == 1500, "RA: the MTU option");
	ok(nd_parse(m, 12, &nd) == -EINVAL, "RA shorter than 16 bytes: malformed");
	m[17] = 0;			/* the link-layer option's length 0 (RFC 4861 4.6) */
	ok(nd_parse(m, n, &nd) == -EINVAL, "an option of length 0: malformed");
	m[17] = 1;
	ok(nd_parse(m, n - 1, &nd) == -EINVAL, "an option past the end: malformed");
	m[1] = 1;
	ok(nd_parse(m, n, &nd) == -EINVAL, "ICMP code not 0: malformed");
	m[1] = 0;

	/* an NS for fec0::2 with a source option; an NA with a target option and its flags */
	memset(m, 0, sizeof(m));
	m[0] = ND_NEIGHBOR_SOLICIT;
	m[8] = 0xfe;
	m[9] = 0xc0;
	m[23] = 2;
	put_opt(m + 24, ND_OPT_SOURCE_LL, 1);
	memcpy(m + 26, mac1, 6);
	ok(nd_parse(m, 32, &nd) == 0 && nd.type == ND_NEIGHBOR_SOLICIT && nd.target.b[15] == 2 && nd.has_lladdr,
	   "NS: target and source link-layer address");
	m[0] = ND_NEIGHBOR_ADVERT;
	m[4] = ND_NA_SOLICITED | ND_NA_OVERRIDE;
	ok(nd_parse(m, 32, &nd) == 0 && !nd.has_lladdr, "NA: a source option is not its target link-layer address");
	m[24] = ND_OPT_TARGET_LL;
	ok(nd_parse(m, 32, &nd) == 0 && nd.has_lladdr && nd.na_flags == (ND_NA_SOLICITED | ND_NA_OVERRIDE),
	   "NA: target link-layer address and flags");
	m[8] = 0xff;
	ok(nd_parse(m, 32, &nd) == -EINVAL, "NA for a multicast target: malformed");
	ok(nd_parse(m, 20, &nd) == -EINVAL, "NA shorter than 24 bytes: malformed");
	m[0] = ICMPV6_ECHO_REQUEST;
	ok(nd_parse(m, 32, &nd) == -EINVAL, "not an ND message");
}

static void test_nd_cache(void)
{
	static const u8 mac2[6] = { 0x52, 0x54, 0, 0, 0, 2 };
	struct nd_entry e;
	u64 t = 1000000000ULL;
	bool sol;

	memset(&e, 0, sizeof(e));
	ok(nd_output(&e, t, &sol) == ND_ACT_QUEUE && sol && e.state == ND_INCOMPLETE && e.probes == 1,
	   "first packet: INCOMPLETE, queued, a multicast solicitation");
	ok(nd_output(&e, t, &sol) == ND_ACT_QUEUE && !sol, "second packet: queued, no new solicitation");
	ok(nd_timer(&e, t + ND_RETRANS_NS / 2) == ND_ACT_NONE, "INCOMPLETE: nothing before RetransTimer");
	ok(nd_timer(&e, t + ND_RETRANS_NS) == ND_ACT_SOLICIT_MCAST && e.probes == 2, "INCOMPLETE: retransmits");
	ok(nd_timer(&e, t + 2 * ND_RETRANS_NS) == ND_ACT_SOLICIT_MCAST && e.probes == 3, "third solicitation");
	ok(nd_timer(&e, t + 3 * ND_RETRANS_NS) == ND_ACT_FAIL, "no answer to 3: the entry fails");

	memset(&e, 0, sizeof(e));
	nd_output(&e, t, &sol);
	ok(nd_advert(&e, NULL, ND_NA_SOLICITED, t) == ND_ACT_NONE && e.state == ND_INCOMPLETE,
	   "INCOMPLETE: an NA without a link-layer address is ignored");
	ok(nd_advert(&e, mac1, ND_NA_SOLICITED | ND_NA_ROUTER, t) == ND_ACT_SEND && e.state == ND_REACHABLE &&
	   memcmp(e.mac, mac1, 6) == 0 && e.router, "solicited NA: REACHABLE, the queue goes out");
	ok(nd_output(&e, t, &sol) == ND_ACT_SEND && e.state == ND_REACHABLE, "REACHABLE: sent");
	ok(nd_timer(&e, t + ND_REACHABLE_NS) == ND_ACT_NONE && e.state == ND_STALE, "after ReachableTime: STALE");
	t += ND_REACHABLE_NS;
	ok(nd_output(&e, t, &sol) == ND_ACT_SEND && e.state == ND_DELAY, "STALE: sent, DELAY");
	ok(nd_timer(&e, t + ND_DELAY_NS - 1) == ND_ACT_NONE && e.state == ND_DELAY, "DELAY: waits 5 s");
	ok(nd_timer(&e, t + ND_DELAY_NS) == ND_ACT_SOLICIT_UCAST && e.state == ND_PROBE && e.probes == 1,
	   "DELAY to PROBE: a unicast solicitation");
	t += ND_DELAY_NS;
	ok(nd_advert(&e, mac1, ND_NA_SOLICITED, t) == ND_ACT_NONE && e.state == ND_REACHABLE,
	   "PROBE: a solicited NA confirms: REACHABLE");
	ok(nd_advert(&e, mac2, 0, t) == ND_ACT_NONE && e.state == ND_STALE && memcmp(e.mac, mac1, 6) == 0,
	   "REACHABLE: an NA with another MAC and no override: STALE, MAC kept");
	ok(nd_advert(&e, mac2, ND_NA_OVERRIDE, t) == ND_ACT_NONE && e.state == ND_STALE &&
	   memcmp(e.mac, mac2, 6) == 0, "override, unsolicited: the new MAC, STALE");
	nd_output(&e, t, &sol);
	nd_timer(&e, t + ND_DELAY_NS);
	nd_timer(&e, t + ND_DELAY_NS + ND_RETRANS_NS);
	nd_timer(&e, t + ND_DELAY_NS + 2 * ND_RETRANS_NS);
	ok(e.state == ND_PROBE && e.probes == 3 &&
	   nd_timer(&e, t + ND_DELAY_NS + 3 * ND_RETRANS_NS) == ND_ACT_FAIL, "PROBE: 3 unanswered: fails");

	memset(&e, 0, sizeof(e));
	ok(nd_advert(&e, mac1, ND_NA_SOLICITED, t) == ND_ACT_NONE && e.state == ND_NONE,
	   "an NA for an address not in the cache makes no entry");
	ok(nd_lladdr_seen(&e, mac1, t) == ND_ACT_NONE && e.state == ND_STALE, "an NS's source address: STALE");
	e.state = ND_REACHABLE;
	ok(nd_lladdr_seen(&e, mac1, t) == ND_ACT_NONE && e.state == ND_REACHABLE, "the same MAC: no change");
	ok(nd_lladdr_seen(&e, mac2, t) == ND_ACT_NONE && e.state == ND_STALE && memcmp(e.mac, mac2, 6) == 0,
	   "another MAC: recorded, STALE");
	memset(&e, 0, sizeof(e));
	nd_output(&e, t, &sol);
	ok(nd_lladdr_seen(&e, mac1, t) == ND_ACT_SEND && e.state == ND_STALE, "INCOMPLETE resolved by an NS: sent");
}

static void test_slaac(void)
{
	ok(slaac_valid_lifetime(100, 86400) == 86400, "valid lifetime over 2 h: taken");
	ok(slaac_valid_lifetime(100, 200) == 200, "over what remains: taken");
	ok(slaac_valid_lifetime(3600, 60) == 3600, "remaining at most 2 h: kept (RFC 4862 5.5.3 e 2)");
	ok(slaac_valid_lifetime(86400, 60) == 7200, "remaining over 2 h, short advertised: 2 h");
	ok(slaac_valid_lifetime(86400, 0) == 7200, "lifetime 0 cannot kill the address at once");
	ok(slaac_valid_lifetime(0xffffffff, 0xffffffff) == 0xffffffff, "infinity stays");
}

int main(void)
{
	test_addresses();
	test_checksum();
	test_frags();
	test_eth_addresses();
	test_nd_parse();
	test_nd_cache();
	test_slaac();
	ok(live.skbs == 0, "no buffer leaked");
	printf("%d of %d checks failed\n", failed, num);
	return failed != 0;
}
