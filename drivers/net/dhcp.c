/*
 * dhcp.c - DHCP messages (RFC 2131 on BOOTP's RFC 951 format, options of
 * RFC 2132) built and parsed in plain buffers, below IP: the client has
 * no address yet, so it writes its own IP and UDP headers and reads the
 * server's from the Ethernet frame.  Every length in a received frame is
 * checked against the frame before it is used: a server's packet can be
 * anything.
 */
#include "kernel/kernel.h"
#include "kernel/inet.h"
#include "dhcp.h"

struct bootp {
	u8 op, htype, hlen, hops;
	u32 xid;
	u16 secs, flags;
	u32 ciaddr, yiaddr, siaddr, giaddr;
	u8 chaddr[16];
	u8 sname[64];
	u8 file[128];
	u8 cookie[4];
	u8 options[];
} __attribute__((packed));
_Static_assert(sizeof(struct bootp) == 240, "BOOTP header with the magic cookie");

static const u8 magic[4] = { 99, 130, 83, 99 };

static void put_opt(u8 **p, u8 code, const void *v, u8 len)
{
	*(*p)++ = code;
	*(*p)++ = len;
	memcpy(*p, v, len);
	*p += len;
}

u32 dhcp_build(u8 *buf, u8 type, u32 xid, const u8 *mac, u32 secs, const struct dhcp_lease *req)
{
	static const u8 params[] = { 1, 3, 6, 12, 15, 26 };	/* mask, router, DNS, host, domain, MTU */
	struct iphdr_w *ih = (struct iphdr_w *)buf;
	struct udphdr_w *uh = (struct udphdr_w *)(ih + 1);
	struct bootp *b = (struct bootp *)(uh + 1);
	u16 maxsz = cpu_to_be16(576);
	u8 *o;

	memset(buf, 0, DHCP_MSG_LEN);
	ih->ver_ihl = 0x45;
	ih->tot_len = cpu_to_be16(DHCP_MSG_LEN);
	ih->ttl = 64;
	ih->protocol = 17;
	ih->daddr = 0xffffffff;
	ih->check = csum_fold(csum_partial(ih, 20, 0));
	uh->source = cpu_to_be16(68);
	uh->dest = cpu_to_be16(67);
	uh->len = cpu_to_be16(DHCP_MSG_LEN - 20);
	uh->check = 0;			/* optional over IPv4 (RFC 768) */
	b->op = 1;			/* BOOTREQUEST */
	b->htype = 1;
	b->hlen = 6;
	b->xid = xid;
	b->secs = cpu_to_be16((u16)min(secs, 65535u));
	b->flags = cpu_to_be16(0x8000);	/* broadcast the answer: we have no address yet */
	memcpy(b->chaddr, mac, 6);
	memcpy(b->cookie, magic, 4);
	o = b->options;
	put_opt(&o, 53, &type, 1);
	if (type == DHCP_REQUEST) {
		put_opt(&o, 50, &req->yiaddr, 4);
		put_opt(&o, 54, &req->server, 4);
	}
	put_opt(&o, 55, params, sizeof(params));
	put_opt(&o, 57, &maxsz, 2);
	*o = 255;
	return DHCP_MSG_LEN;
}

/* A string option into dst, cut to its size (a NUL inside ends it too). */
static void opt_string(char *dst, size_t size, const u8 *v, u8 l)
{
	size_t m = min((size_t)l, size - 1);

	memcpy(dst, v, m);
	dst[m] = 0;
}

/* One option into the lease; *type for option 53. */
static void opt_take(struct dhcp_lease *out, int *type, u8 code, const u8 *v, u8 l)
{
	switch (code) {
	case 53: if (l == 1) *type = v[0]; break;
	case 54: if (l == 4) memcpy(&out->server, v, 4); break;
	case 1: if (l == 4) memcpy(&out->mask, v, 4); break;
	case 3: if (l >= 4) memcpy(&out->gw, v, 4); break;
	case 6:
		for (int k = 0; k < DHCP_DNS_MAX && 4 * k + 4 <= l; k++)
			memcpy(&out->dns[k], v + 4 * k, 4);
		break;
	case 12: opt_string(out->host, sizeof(out->host), v, l); break;
	case 15: opt_string(out->domain, sizeof(out->domain), v, l); break;
	}
}

/* The options (n bytes at o): the message type, or 0 if none or one runs past the end. */
static int dhcp_options(const u8 *o, u32 n, struct dhcp_lease *out)
{
	int type = 0;
	u32 i = 0;

	while (i < n && o[i] != 255) {
		if (o[i] == 0) {		/* pad */
			i++;
			continue;
		}
		if (i + 2 > n || i + 2 + o[i + 1] > n)
			return 0;
		opt_take(out, &type, o[i], o + i + 2, o[i + 1]);
		i += 2u + o[i + 1];
	}
	return type;
}

int dhcp_parse(const u8 *f, u32 len, u32 xid, const u8 *mac, struct dhcp_lease *out)
{
	const struct iphdr_w *ih = (const struct iphdr_w *)(f + ETH_HLEN);
	const struct udphdr_w *uh;
	const struct bootp *b;
	u32 hl, off, end;
	int type;

	if (len < ETH_HLEN + 20 + 8 || f[12] != 0x08 || f[13] != 0x00 || (ih->ver_ihl >> 4) != 4 ||
	    ih->protocol != 17 || (be16_to_cpu(ih->frag_off) & (IP_MF | IP_OFFMASK)))
		return -1;
	hl = (u32)(ih->ver_ihl & 15) * 4;
	off = ETH_HLEN + hl;
	if (hl < 20 || off + 8 > len)
		return -1;
	uh = (const struct udphdr_w *)(f + off);
	if (uh->dest != cpu_to_be16(68) || uh->source != cpu_to_be16(67))
		return -1;
	end = off + be16_to_cpu(uh->len);	/* the UDP length, not the frame's padding */
	if (be16_to_cpu(uh->len) < 8 + sizeof(*b) || end > len)
		return 0;
	b = (const struct bootp *)(uh + 1);
	if (b->op != 2 || b->xid != xid || b->htype != 1 || b->hlen != 6 || memcmp(b->chaddr, mac, 6) ||
	    memcmp(b->cookie, magic, 4))
		return 0;
	memset(out, 0, sizeof(*out));
	type = dhcp_options(b->options, end - (off + 8 + (u32)sizeof(*b)), out);
	if (type == DHCP_NAK)
		return type;
	if (b->yiaddr == 0 || (type != DHCP_OFFER && type != DHCP_ACK))
		return 0;
	out->yiaddr = b->yiaddr;
	return type;
}
