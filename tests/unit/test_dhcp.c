/* unit-sources: drivers/net/dhcp.c net/checksum.c kernel/lib.c */
/*
 * test_dhcp.c - the kernel DHCP client's messages (drivers/net/dhcp.c):
 * the DISCOVER and REQUEST it builds (headers, checksum, options), and
 * what it makes of a server's frames, good and hostile: answers to
 * another transaction or station, frames that are not DHCP at all,
 * options and lengths that run past the frame (each frame is malloc'd
 * at its exact size, so ASan sees any read beyond it), strings longer
 * than their buffers, more name servers than kept.
 */
#include "kernel/kernel.h"
#include "kernel/inet.h"
#include "../../drivers/net/dhcp.h"

int printf(const char *fmt, ...);
void *malloc(size_t n);
void free(void *p);
void *memchr(const void *s, int c, size_t n);
void *kmalloc(size_t n) { return malloc(n); }	/* kernel/lib.c's kstrdup needs it */

static int failures, count;

static void check(int ok, const char *what)
{
	count++;
	if (!ok) {
		failures++;
		printf("not ok %d %s\n", count, what);
	} else {
		printf("ok %d %s\n", count, what);
	}
}

static const u8 mac[6] = { 0x52, 0x54, 0, 0x12, 0x34, 0x56 };
#define XID 0x11223344u
#define BOOTP_HDR 240

/* Finds option code in a message built by dhcp_build: its value, or NULL. */
static const u8 *find_opt(const u8 *msg, u8 code, u8 *len)
{
	const u8 *o = msg + 28 + BOOTP_HDR, *end = msg + DHCP_MSG_LEN;

	while (o + 2 <= end && *o != 255) {
		if (*o == 0) {
			o++;
			continue;
		}
		if (*o == code) {
			*len = o[1];
			return o + 2;
		}
		o += 2 + o[1];
	}
	return NULL;
}

static void test_build(void)
{
	u8 msg[DHCP_MSG_LEN];
	struct dhcp_lease req = { .yiaddr = IPV4(10, 0, 2, 15), .server = IPV4(10, 0, 2, 2) };
	const u8 *v;
	u8 l = 0;
	u32 n;

	n = dhcp_build(msg, DHCP_DISCOVER, XID, mac, 3, &req);
	check(n == DHCP_MSG_LEN && msg[0] == 0x45 && msg[9] == 17, "DISCOVER: an IPv4 UDP packet");
	check(csum_fold(csum_partial(msg, 20, 0)) == 0, "DISCOVER: the IP checksum is right");
	check(msg[12] == 0 && msg[16] == 255 && msg[19] == 255, "DISCOVER: from 0.0.0.0 to 255.255.255.255");
	check(msg[20] == 0 && msg[21] == 68 && msg[22] == 0 && msg[23] == 67, "DISCOVER: port 68 to 67");
	check(msg[28] == 1 && msg[29] == 1 && msg[30] == 6, "DISCOVER: BOOTREQUEST, Ethernet, 6-byte address");
	check(!memcmp(msg + 28 + 4, &(u32){ XID }, 4), "DISCOVER: carries the xid as given");
	check(msg[28 + 10] == 0x80, "DISCOVER: broadcast flag set");
	check(!memcmp(msg + 28 + 28, mac, 6), "DISCOVER: chaddr is the MAC");
	check(!memcmp(msg + 28 + 236, "\x63\x82\x53\x63", 4), "DISCOVER: the magic cookie");
	v = find_opt(msg, 53, &l);
	check(v && l == 1 && v[0] == DHCP_DISCOVER, "DISCOVER: option 53 says DISCOVER");
	check(find_opt(msg, 50, &l) == NULL, "DISCOVER: asks for no address");
	v = find_opt(msg, 55, &l);
	check(v && l >= 4 && memchr(v, 6, l) && memchr(v, 3, l) && memchr(v, 1, l), "DISCOVER: asks mask, router, DNS");
	n = dhcp_build(msg, DHCP_REQUEST, XID, mac, 70000, &req);
	v = find_opt(msg, 53, &l);
	check(v && v[0] == DHCP_REQUEST, "REQUEST: option 53 says REQUEST");
	v = find_opt(msg, 50, &l);
	check(v && l == 4 && !memcmp(v, "\x0a\x00\x02\x0f", 4), "REQUEST: option 50 is the offered address");
	v = find_opt(msg, 54, &l);
	check(v && l == 4 && !memcmp(v, "\x0a\x00\x02\x02", 4), "REQUEST: option 54 is the server");
	check(msg[28 + 8] == 0xff && msg[28 + 9] == 0xff, "REQUEST: secs saturates at 65535");
}

/*
 * A server's frame: Ethernet, IP, UDP from 67 to 68, BOOTP with yiaddr,
 * then the options opts (olen bytes); udp_extra changes the UDP length
 * field, pad adds bytes after the UDP payload (Ethernet padding).
 */
static u8 *reply(u32 *len, u8 op, u32 xid, const u8 *chaddr, u32 yiaddr, const u8 *opts, u32 olen,
		 int udp_extra, u32 pad)
{
	u32 udp = 8 + BOOTP_HDR + olen, n = 14 + 20 + udp + pad;
	u8 *f = malloc(n);
	u8 *b = f + 14 + 20 + 8;

	memset(f, 0, n);
	memcpy(f, mac, 6);
	f[12] = 0x08;
	f[14] = 0x45;
	f[14 + 2] = (u8)((20 + udp) >> 8);
	f[14 + 3] = (u8)(20 + udp);
	f[14 + 8] = 64;
	f[14 + 9] = 17;
	f[34] = 0; f[35] = 67; f[36] = 0; f[37] = 68;
	f[38] = (u8)((udp + (u32)udp_extra) >> 8);
	f[39] = (u8)(udp + (u32)udp_extra);
	b[0] = op;
	b[1] = 1;
	b[2] = 6;
	memcpy(b + 4, &xid, 4);
	memcpy(b + 16, &yiaddr, 4);
	memcpy(b + 28, chaddr, 6);
	memcpy(b + 236, "\x63\x82\x53\x63", 4);
	memcpy(b + BOOTP_HDR, opts, olen);
	memset(b + BOOTP_HDR + olen, 0xee, pad);	/* garbage after the datagram */
	*len = n;
	return f;
}

static int parse(u8 op, u32 xid, const u8 *chaddr, u32 yiaddr, const u8 *opts, u32 olen, int udp_extra,
		 u32 pad, struct dhcp_lease *l)
{
	u32 n;
	u8 *f = reply(&n, op, xid, chaddr, yiaddr, opts, olen, udp_extra, pad);
	int r = dhcp_parse(f, n, XID, mac, l);

	free(f);
	return r;
}

static void test_parse_good(void)
{
	static const u8 offer[] = { 0, 0, 53, 1, 2, 54, 4, 10, 0, 2, 2, 1, 4, 255, 255, 255, 0,
				    3, 8, 10, 0, 2, 2, 10, 0, 2, 1, 6, 8, 10, 0, 2, 3, 8, 8, 8, 8,
				    15, 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 12, 4, 'v', 'm', '0', '1', 255 };
	static const u8 ack[] = { 53, 1, 5, 54, 4, 10, 0, 2, 2, 255 };
	static const u8 nak[] = { 53, 1, 6, 255 };
	struct dhcp_lease l;

	check(parse(2, XID, mac, IPV4(10, 0, 2, 15), offer, sizeof(offer), 0, 0, &l) == DHCP_OFFER,
	      "OFFER: recognised");
	check(l.yiaddr == IPV4(10, 0, 2, 15) && l.server == IPV4(10, 0, 2, 2), "OFFER: address and server");
	check(l.mask == IPV4(255, 255, 255, 0) && l.gw == IPV4(10, 0, 2, 2), "OFFER: mask, first router");
	check(l.dns[0] == IPV4(10, 0, 2, 3) && l.dns[1] == IPV4(8, 8, 8, 8) && l.dns[2] == 0, "OFFER: two DNS");
	check(!strcmp(l.domain, "example") && !strcmp(l.host, "vm01"), "OFFER: domain and host name");
	check(parse(2, XID, mac, IPV4(10, 0, 2, 15), ack, sizeof(ack), 0, 18, &l) == DHCP_ACK,
	      "ACK: recognised, Ethernet padding after it ignored");
	check(parse(2, XID, mac, 0, nak, sizeof(nak), 0, 0, &l) == DHCP_NAK, "NAK: recognised without an address");
}

static void test_parse_not_ours(void)
{
	static const u8 offer[] = { 53, 1, 2, 54, 4, 10, 0, 2, 2, 255 };
	static const u8 other[6] = { 0x52, 0x54, 0, 0x12, 0x34, 0x57 };
	struct dhcp_lease l;
	u32 n;
	u8 *f;

	check(parse(2, XID + 1, mac, IPV4(10, 0, 2, 15), offer, sizeof(offer), 0, 0, &l) == 0,
	      "another transaction's answer: dropped");
	check(parse(2, XID, other, IPV4(10, 0, 2, 15), offer, sizeof(offer), 0, 0, &l) == 0,
	      "another station's answer: dropped");
	check(parse(1, XID, mac, IPV4(10, 0, 2, 15), offer, sizeof(offer), 0, 0, &l) == 0,
	      "a BOOTREQUEST (another client's): dropped");
	check(parse(2, XID, mac, 0, offer, sizeof(offer), 0, 0, &l) == 0, "an OFFER of no address: dropped");
	f = reply(&n, 2, XID, mac, IPV4(10, 0, 2, 15), offer, sizeof(offer), 0, 0);
	f[14 + 9] = 6;
	check(dhcp_parse(f, n, XID, mac, &l) == -1, "TCP: the stack's");
	f[14 + 9] = 17;
	f[37] = 69;
	check(dhcp_parse(f, n, XID, mac, &l) == -1, "UDP to another port: the stack's");
	f[37] = 68;
	f[14 + 6] = 0x20;
	check(dhcp_parse(f, n, XID, mac, &l) == -1, "a fragment: the stack's");
	f[14 + 6] = 0;
	f[12] = 0x86;
	f[13] = 0xdd;
	check(dhcp_parse(f, n, XID, mac, &l) == -1, "IPv6: the stack's");
	f[12] = 0x08;
	f[13] = 0;
	memcpy(f + 14 + 20 + 8 + 236, "\x63\x82\x53\x64", 4);
	check(dhcp_parse(f, n, XID, mac, &l) == 0, "a bad magic cookie: dropped");
	check(dhcp_parse(f, 41, XID, mac, &l) == -1, "a frame shorter than its headers: the stack's");
	f[14] = 0x4f;
	check(dhcp_parse(f, 14 + 60 + 4, XID, mac, &l) == -1, "an IP header longer than the frame: the stack's");
	free(f);
}

static void test_parse_hostile(void)
{
	static const u8 runs_off[] = { 53, 1, 2, 54, 4, 10, 0, 2, 2, 15, 200, 'x' };
	static const u8 len_only[] = { 53, 1, 2, 54, 4, 10, 0, 2, 2, 6 };
	static const u8 no_type[] = { 54, 4, 10, 0, 2, 2, 255 };
	static const u8 bad_lens[] = { 53, 2, 2, 0, 54, 3, 10, 0, 2, 1, 2, 255, 255, 53, 1, 2, 255 };
	u8 big[2 + 100 + 3 + 2 + 20 + 5];
	struct dhcp_lease l;
	int i;

	check(parse(2, XID, mac, IPV4(10, 0, 2, 15), runs_off, sizeof(runs_off), 0, 0, &l) == 0,
	      "an option running past the end: dropped");
	check(parse(2, XID, mac, IPV4(10, 0, 2, 15), len_only, sizeof(len_only), 0, 0, &l) == 0,
	      "an option code with no length byte: dropped");
	check(parse(2, XID, mac, IPV4(10, 0, 2, 15), no_type, sizeof(no_type), 0, 0, &l) == 0,
	      "no message type: dropped");
	check(parse(2, XID, mac, IPV4(10, 0, 2, 15), bad_lens, sizeof(bad_lens), 0, 0, &l) == DHCP_OFFER &&
	      l.server == 0 && l.mask == 0, "options of the wrong length are ignored, the rest taken");
	check(parse(2, XID, mac, IPV4(10, 0, 2, 15), no_type, sizeof(no_type), 40, 0, &l) == 0,
	      "a UDP length past the frame: dropped");
	check(parse(2, XID, mac, IPV4(10, 0, 2, 15), no_type, sizeof(no_type), -(int)(sizeof(no_type) + 20), 0, &l) == 0,
	      "a UDP length shorter than the BOOTP header: dropped");
	i = 0;
	big[i++] = 15;
	big[i++] = 100;
	memset(big + i, 'd', 100);
	i += 100;
	big[i++] = 53; big[i++] = 1; big[i++] = 2;
	big[i++] = 6; big[i++] = 20;
	for (int k = 0; k < 20; k++)
		big[i++] = (u8)(k + 1);
	big[i++] = 12; big[i++] = 3; big[i++] = 'a'; big[i++] = 0; big[i++] = 'b';
	check(parse(2, XID, mac, IPV4(10, 0, 2, 15), big, (u32)i, 0, 0, &l) == DHCP_OFFER,
	      "long options and no end option: still an OFFER");
	check(strlen(l.domain) == sizeof(l.domain) - 1, "a 100-byte domain is cut to its buffer");
	check(l.dns[0] == IPV4(1, 2, 3, 4) && l.dns[2] == IPV4(9, 10, 11, 12), "five name servers: the first three");
	check(!strcmp(l.host, "a"), "a NUL inside the host name ends it");
}

int main(void)
{
	test_build();
	test_parse_good();
	test_parse_not_ours();
	test_parse_hostile();
	printf("1..%d\n", count);
	return failures ? 1 : 0;
}
