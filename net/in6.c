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

