/*
 * in6.c - the pure pieces of IPv6 (no devices, no sockets; tested on the
 * host by tests/unit/test_ipv6.c): the address sets a bound socket
 * covers in the dual-stack port space, the text form of an address
 * (RFC 5952), and reassembly of received fragments (RFC 8200 4.5): a
 * few queues keyed by (source, destination, identification), each a
 * 64 KiB buffer with a bitmap of the 8-byte blocks received;
 * overlapping fragments drop the whole datagram (RFC 5722); a queue
 * older than 60 s goes.
 */
#include "kernel/kernel.h"
#include "kernel/inet.h"
#include "kernel/net.h"
#include "kernel/page.h"

#define FRAG_HDR	8
#define FRAG_MAX	8		/* reassembly queues held at once */
#define FRAG_TIMEOUT	(60ULL * 1000000000)	/* RFC 8200 4.5: 60 s */

const struct in6k in6k_any = { .w = { 0, 0, 0, 0 } };
const struct in6k in6k_loopback = { .b = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 } };

/* ::ffff:0.0.0.0, which an AF_INET6 socket binds for "any IPv4 address". */
bool in6_is_mapped_any(const struct in6k *a)
{
	return in6_is_mapped(a) && a->w[3] == 0;
}

bool inet_addr_match(int family, bool v6only, const struct in6k *bound, const struct in6k *dst)
{
	bool v4 = in6_is_mapped(dst);

	if (family == AF_INET && !v4)
		return false;
	if (family == AF_INET6 && v4 && v6only)
		return false;
	if (in6_is_any(bound))
		return true;
	if (in6_is_mapped_any(bound))
		return v4;
	return in6_eq(bound, dst);
}

/* A bound address as the set it covers: every IPv4 address, every IPv6 one, or itself. */
static void addr_set(int fam, bool v6only, const struct in6k *a, bool *all4, bool *all6)
{
	*all4 = (in6_is_any(a) && (fam == AF_INET || !v6only)) || in6_is_mapped_any(a);
	*all6 = fam == AF_INET6 && in6_is_any(a);
}

bool inet_addr_overlap(int fa, bool v6a, const struct in6k *a, int fb, bool v6b, const struct in6k *b)
{
	bool a4, a6, b4, b6;

	addr_set(fa, v6a, a, &a4, &a6);
	addr_set(fb, v6b, b, &b4, &b6);
	if ((a4 && b4) || (a6 && b6))
		return true;
	if (!a4 && !a6 && !b4 && !b6)
		return in6_eq(a, b);
	if (!a4 && !a6)		/* a is one address, b a wildcard */
		return in6_is_mapped(a) ? b4 : b6;
	if (!b4 && !b6)
		return in6_is_mapped(b) ? a4 : a6;
	return false;
}

void in6_ntop(const struct in6k *a, char *buf)
{
	int best = -1, bestlen = 0, i, n = 0;

	if (in6_is_mapped(a)) {
		ksnprintf(buf, 46, "::ffff:%u.%u.%u.%u", a->b[12], a->b[13], a->b[14], a->b[15]);
		return;
	}
	for (i = 0; i < 8;) {		/* the longest run of two or more zero groups */
		int j = i;

		while (j < 8 && a->h[j] == 0)
			j++;
		if (j - i > bestlen && j - i >= 2) {
			best = i;
			bestlen = j - i;
		}
		i = j > i ? j : i + 1;
	}
	for (i = 0; i < 8; i++) {
		if (i == best) {
			n += ksnprintf(buf + n, (size_t)(46 - n), "::");
			i += bestlen - 1;
			continue;
		}
		n += ksnprintf(buf + n, (size_t)(46 - n), "%s%x", n && buf[n - 1] != ':' ? ":" : "",
			       be16_to_cpu(a->h[i]));
	}
	if (n == 0)
		ksnprintf(buf, 46, "::");
}

/* ---- fragments (RFC 8200 4.5), received only ---- */

struct frag6_queue {
	bool used;
	struct in6k saddr, daddr;
	u32 id;
	u64 start;
	u8 *buf;			/* the unfragmentable part (IPv6 header) then the payload */
	u32 unfrag;			/* bytes of the unfragmentable part */
	u32 total;			/* the payload's length, once the last fragment came; 0 before */
	u8 nexthdr;			/* the first fragment's next header */
	u32 nhoff;			/* where the unfragmentable part names the fragment header */
	bool have_first;
	u32 got;			/* payload bytes received (fragments never overlap, RFC 5722) */
	u8 *map;			/* one bit per 8-byte block received */
};
static struct frag6_queue frag6[FRAG_MAX];

static void frag6_free(struct frag6_queue *q)
{
	kfree(q->buf);
	kfree(q->map);
	memset(q, 0, sizeof(*q));
}

#define FRAG6_UNFRAG	(IPV6_HDR + 1024)	/* room for the unfragmentable part */
#define FRAG6_BUF	(FRAG6_UNFRAG + 65535)

struct sk_buff *ip6_defrag(struct sk_buff *skb, u32 off, u32 nhoff, u64 now)
{
	const struct ipv6hdr_w *h = (const struct ipv6hdr_w *)skb->data;
	const u8 *fh = skb->data + off;
	u16 offw = (u16)(fh[2] << 8 | fh[3]);
	u32 foff = (u32)(offw & ~7u), id, flen, i, b;
	bool more = offw & 1;
	struct frag6_queue *q = NULL;
	struct sk_buff *out = NULL;
	struct in6k hs = h->saddr, hd = h->daddr;

	memcpy(&id, fh + 4, 4);
	flen = skb->len - off - FRAG_HDR;
	for (i = 0; i < FRAG_MAX; i++)
		if (frag6[i].used && now - frag6[i].start > FRAG_TIMEOUT)
			frag6_free(&frag6[i]);
	if (foff == 0 && !more) {		/* an atomic fragment (RFC 6946): the packet itself */
		skb->data[nhoff] = fh[0];
		memmove(skb->data + off, skb->data + off + FRAG_HDR, flen);
		skb_trim(skb, skb->len - FRAG_HDR);
		((struct ipv6hdr_w *)skb->data)->payload_len = cpu_to_be16((u16)(skb->len - IPV6_HDR));
		return skb;
	}
	if ((more && (flen & 7)) || foff + flen > 65535 || flen == 0 || off > FRAG6_UNFRAG)
		goto drop;
	for (i = 0; i < FRAG_MAX && q == NULL; i++)
		if (frag6[i].used && frag6[i].id == id && in6_eq(&frag6[i].saddr, &hs) &&
		    in6_eq(&frag6[i].daddr, &hd))
			q = &frag6[i];
	for (i = 0; i < FRAG_MAX && q == NULL; i++)
		if (!frag6[i].used) {
			q = &frag6[i];
			q->buf = kmalloc(FRAG6_BUF);
			q->map = kzalloc(65536 / 8 / 8);
			if (q->buf == NULL || q->map == NULL) {
				frag6_free(q);
				goto drop;
			}
			q->used = true;
			q->saddr = hs;
			q->daddr = hd;
			q->id = id;
			q->start = now;
		}
	if (q == NULL)
		goto drop;			/* all queues busy: the sender retries */
	if ((!more && q->total && q->total != foff + flen) || (q->total && foff + flen > q->total))
		goto bad;
	for (b = foff / 8; b < (foff + flen + 7) / 8; b++)
		if (q->map[b / 8] & (1u << (b % 8)))
			goto bad;		/* overlapping: the whole datagram goes (RFC 5722) */
	for (b = foff / 8; b < (foff + flen + 7) / 8; b++)
		q->map[b / 8] |= (u8)(1u << (b % 8));
	if (foff == 0) {
		q->unfrag = off;
		q->nhoff = nhoff;
		memcpy(q->buf, skb->data, off);
		q->nexthdr = fh[0];
		q->have_first = true;
	}
	memcpy(q->buf + FRAG6_UNFRAG + foff, fh + FRAG_HDR, flen);
	q->got += flen;
	if (!more)
		q->total = foff + flen;
	if (q->have_first && q->total && q->got == q->total) {
		if (q->unfrag + q->total - IPV6_HDR <= 0xffff)
			out = alloc_skb(q->unfrag + q->total, MAX_HEADER);
		if (out != NULL) {
			memcpy(skb_put(out, q->unfrag), q->buf, q->unfrag);
			memcpy(skb_put(out, q->total), q->buf + FRAG6_UNFRAG, q->total);
			((struct ipv6hdr_w *)out->data)->payload_len = cpu_to_be16((u16)(out->len - IPV6_HDR));
			out->data[q->nhoff] = q->nexthdr;
			skb_set_dev(out, skb->dev);
			out->protocol = ETH_P_IPV6;
		}
		frag6_free(q);
	}
	kfree_skb(skb);
	return out;
bad:
	frag6_free(q);
drop:
	kfree_skb(skb);
	return NULL;
}

int ip6_frag_count(void)
{
	int i, n = 0;

	for (i = 0; i < FRAG_MAX; i++)
		n += frag6[i].used;
	return n;
}


/* ---- IPv6 on Ethernet: addresses (RFC 4291, 2464) ---- */

struct in6k in6_eui64(const struct in6k *prefix, const u8 *mac)
{
	struct in6k a = *prefix;

	a.b[8] = mac[0] ^ 0x02;		/* the universal/local bit inverted (RFC 4291 app. A) */
	a.b[9] = mac[1];
	a.b[10] = mac[2];
	a.b[11] = 0xff;
	a.b[12] = 0xfe;
	a.b[13] = mac[3];
	a.b[14] = mac[4];
	a.b[15] = mac[5];
	return a;
}

struct in6k in6_linklocal(const u8 *mac)
{
	struct in6k p = { .w = { 0, 0, 0, 0 } };

	p.b[0] = 0xfe;
	p.b[1] = 0x80;
	return in6_eui64(&p, mac);
}

struct in6k in6_solicited_node(const struct in6k *a)
{
	struct in6k s = { .w = { 0, 0, 0, 0 } };

	s.b[0] = 0xff;
	s.b[1] = 0x02;
	s.b[11] = 0x01;
	s.b[12] = 0xff;
	s.b[13] = a->b[13];
	s.b[14] = a->b[14];
	s.b[15] = a->b[15];
	return s;
}

void in6_multicast_mac(const struct in6k *a, u8 *mac)
{
	mac[0] = 0x33;
	mac[1] = 0x33;
	memcpy(mac + 2, a->b + 12, 4);
}

struct in6k in6_prefix(const struct in6k *a, int plen)
{
	struct in6k r = *a;
	int b;

	for (b = plen < 0 ? 0 : plen; b < 128; b++)
		r.b[b / 8] &= (u8)~(0x80u >> (b % 8));
	return r;
}

bool in6_prefix_match(const struct in6k *a, const struct in6k *prefix, int plen)
{
	struct in6k x = in6_prefix(a, plen), y = in6_prefix(prefix, plen);

	return in6_eq(&x, &y);
}

/* ---- Neighbour Discovery messages (RFC 4861 4) ---- */

static u32 get32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

int nd_parse(const u8 *p, u32 len, struct nd_msg *m)
{
	u32 off;

	memset(m, 0, sizeof(*m));
	if (len < 8 || p[1] != 0)		/* ICMP code 0 (RFC 4861 6.1, 7.1) */
		return -EINVAL;
	m->type = p[0];
	switch (m->type) {
	case ND_ROUTER_SOLICIT:
		off = 8;
		break;
	case ND_ROUTER_ADVERT:
		if (len < 16)
			return -EINVAL;
		m->hop_limit = p[4];
		m->ra_flags = p[5];
		m->router_lifetime = (u16)(p[6] << 8 | p[7]);
		m->reachable_ms = get32(p + 8);
		m->retrans_ms = get32(p + 12);
		off = 16;
		break;
	case ND_NEIGHBOR_SOLICIT:
	case ND_NEIGHBOR_ADVERT:
		if (len < 24)
			return -EINVAL;
		m->na_flags = m->type == ND_NEIGHBOR_ADVERT ? p[4] : 0;
		memcpy(m->target.b, p + 8, 16);
		if (in6_is_multicast(&m->target))
			return -EINVAL;
		off = 24;
		break;
	case ND_REDIRECT:
		if (len < 40)
			return -EINVAL;
		memcpy(m->target.b, p + 8, 16);
		off = 40;
		break;
	default:
		return -EINVAL;
	}
	while (off < len) {
		u32 olen;
		const u8 *o = p + off;

		if (len - off < 2 || o[1] == 0)
			return -EINVAL;		/* an option of length 0 (RFC 4861 4.6) */
		olen = (u32)o[1] * 8;
		if (olen > len - off)
			return -EINVAL;
		switch (o[0]) {
		case ND_OPT_SOURCE_LL:
		case ND_OPT_TARGET_LL:
			/* a source option in an NS/RS/RA, a target one in an NA (redirects: target) */
			if ((o[0] == ND_OPT_TARGET_LL) == (m->type == ND_NEIGHBOR_ADVERT || m->type == ND_REDIRECT) &&
			    olen >= 8) {
				m->has_lladdr = true;
				memcpy(m->lladdr, o + 2, 6);
			}
			break;
		case ND_OPT_PREFIX:
			if (olen != 32)
				return -EINVAL;
			if (m->type == ND_ROUTER_ADVERT && m->nr_prefix < ND_MAX_PREFIXES) {
				struct nd_prefix *pi = &m->prefix[m->nr_prefix++];

				pi->plen = o[2];
				pi->flags = o[3];
				pi->valid = get32(o + 4);
				pi->preferred = get32(o + 8);
				memcpy(pi->prefix.b, o + 16, 16);
				if (pi->plen > 128)
					return -EINVAL;
			}
			break;
		case ND_OPT_MTU:
			if (olen != 8)
				return -EINVAL;
			if (m->type == ND_ROUTER_ADVERT)
				m->mtu = get32(o + 4);
			break;
		default:
			break;			/* unknown options are ignored (RFC 4861 4.6) */
		}
		off += olen;
	}
	return 0;
}

/* ---- the neighbour cache's states (RFC 4861 7.3) ---- */

static void nd_enter(struct nd_entry *e, enum nd_state s, u64 now)
{
	e->state = s;
	e->when = now;
	e->probes = 0;
}

enum nd_action nd_output(struct nd_entry *e, u64 now, bool *solicit)
{
	*solicit = false;
	switch (e->state) {
	case ND_NONE:
		nd_enter(e, ND_INCOMPLETE, now);
		e->probes = 1;
		*solicit = true;
		return ND_ACT_QUEUE;
	case ND_INCOMPLETE:
		return ND_ACT_QUEUE;
	case ND_STALE:
		nd_enter(e, ND_DELAY, now);	/* 7.3.3: sent, and reachability confirmed soon */
		return ND_ACT_SEND;
	case ND_REACHABLE:
	case ND_DELAY:
	case ND_PROBE:
		return ND_ACT_SEND;
	}
	return ND_ACT_NONE;
}

enum nd_action nd_timer(struct nd_entry *e, u64 now)
{
	switch (e->state) {
	case ND_INCOMPLETE:
		if (now - e->when < ND_RETRANS_NS)
			return ND_ACT_NONE;
		if (e->probes >= ND_MAX_MCAST_SOLICIT)
			return ND_ACT_FAIL;
		e->probes++;
		e->when = now;
		return ND_ACT_SOLICIT_MCAST;
	case ND_REACHABLE:
		if (now - e->when >= ND_REACHABLE_NS)
			nd_enter(e, ND_STALE, now);
		return ND_ACT_NONE;
	case ND_DELAY:
		if (now - e->when < ND_DELAY_NS)
			return ND_ACT_NONE;
		nd_enter(e, ND_PROBE, now);
		e->probes = 1;
		return ND_ACT_SOLICIT_UCAST;
	case ND_PROBE:
		if (now - e->when < ND_RETRANS_NS)
			return ND_ACT_NONE;
		if (e->probes >= ND_MAX_UCAST_SOLICIT)
			return ND_ACT_FAIL;
		e->probes++;
		e->when = now;
		return ND_ACT_SOLICIT_UCAST;
	case ND_NONE:
	case ND_STALE:
		break;
	}
	return ND_ACT_NONE;
}

enum nd_action nd_advert(struct nd_entry *e, const u8 *lladdr, u8 flags, u64 now)
{
	bool solicited = flags & ND_NA_SOLICITED, override = flags & ND_NA_OVERRIDE;
	bool changed = lladdr != NULL && memcmp(lladdr, e->mac, 6) != 0;

	switch (e->state) {
	case ND_NONE:
		return ND_ACT_NONE;		/* 7.2.5: no entry: the advertisement is dropped */
	case ND_INCOMPLETE:
		if (lladdr == NULL)
			return ND_ACT_NONE;
		memcpy(e->mac, lladdr, 6);
		nd_enter(e, solicited ? ND_REACHABLE : ND_STALE, now);
		e->router = flags & ND_NA_ROUTER;
		return ND_ACT_SEND;
	default:
		break;
	}
	if (!override && changed) {
		if (e->state == ND_REACHABLE)
			nd_enter(e, ND_STALE, now);
		return ND_ACT_NONE;
	}
	if (changed)
		memcpy(e->mac, lladdr, 6);
	if (solicited)
		nd_enter(e, ND_REACHABLE, now);
	else if (changed)
		nd_enter(e, ND_STALE, now);
	e->router = flags & ND_NA_ROUTER;
	return ND_ACT_NONE;
}

enum nd_action nd_lladdr_seen(struct nd_entry *e, const u8 *lladdr, u64 now)
{
	bool was_incomplete = e->state == ND_INCOMPLETE;

	if (e->state != ND_NONE && !was_incomplete && memcmp(lladdr, e->mac, 6) == 0)
		return ND_ACT_NONE;		/* 7.2.3: the same address: no change */
	memcpy(e->mac, lladdr, 6);
	nd_enter(e, ND_STALE, now);
	return was_incomplete ? ND_ACT_SEND : ND_ACT_NONE;
}

u32 slaac_valid_lifetime(u32 remaining, u32 advertised)
{
	const u32 two_hours = 7200;

	if (advertised > two_hours || advertised > remaining)
		return advertised;
	if (remaining <= two_hours)
		return remaining;
	return two_hours;
}
