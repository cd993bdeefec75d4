/*
 * ipconfig.c - ip= at boot, as Linux's net/ipv4/ipconfig.c: a static
 * configuration, or a kernel DHCP client (RFC 2131) that configures the
 * address, netmask, default gateway and name servers before init runs.
 *
 * Forms (Documentation/admin-guide/nfs/nfsroot.rst):
 *   ip=off | none                      no configuration
 *   ip=dhcp | on | any                 DHCP on every interface that came up
 *   ip=ethN:dhcp                       DHCP on ethN only
 *   ip=CLIENT:SERVER:GW:MASK:HOST:DEV:AUTOCONF:DNS0:DNS1
 *                                      every field optional; AUTOCONF dhcp,
 *                                      on or any asks DHCP, off/none or empty
 *                                      with a CLIENT is static; HOST sets the
 *                                      host name (else DHCP's option 12 does)
 * bootp and rarp are refused by name (not built).  Without ip=, the first
 * slirp interface takes slirp's plan (10.0.2.15/24 via 10.0.2.2, DNS
 * 10.0.2.3), as QEMU users expect.
 *
 * The client builds and parses its frames itself (as Linux's does, the
 * wire part in dhcp.c), below IP: the interfaces have no address yet, so the request leaves
 * from 0.0.0.0 to the broadcast address with the broadcast flag set, and
 * eth.c hands every received frame to ipconfig_rcv while it listens.
 * DISCOVER on each candidate, the first OFFER wins, REQUEST, ACK; each
 * step waits 1, 2, 4 then 4 s for its answer, and with no answer the
 * boot goes on unconfigured with a message (Linux's "Auto-configuration
 * of network failed").  The resolver is udhcpc's business, not ours: the
 * name servers go to /proc/net/pnp, as Linux writes them, for a script
 * (ln -s /proc/net/pnp /etc/resolv.conf works).
 */
#include "kernel/kernel.h"
#include "kernel/init.h"
#include "kernel/sched.h"
#include "kernel/wait.h"
#include "shared/os.h"
#include "uapi/linux/utsname.h"
#include "eth.h"
#include "dhcp.h"

#define DNS_MAX		DHCP_DNS_MAX

static const u8 bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

/* What /proc/net/pnp shows: the method, domain, name servers, server. */
static struct {
	bool dhcp;			/* "#PROTO: DHCP", else "#MANUAL" */
	char domain[64];
	u32 dns[DNS_MAX];
	u32 server;
} pnp;

/* The client's state while ipconfig_run waits. */
bool ipconfig_listening;
static struct wait_queue ic_wait = WAIT_QUEUE_INIT(ic_wait);
static unsigned ic_candidates;		/* bit i: ethi */
static u32 ic_xid;
static int ic_want;			/* the message type waited for */
static struct netdevice *ic_dev;	/* the device the offer came on */
static bool ic_got, ic_nak;
static struct dhcp_lease ic_offer;	/* the offer taken, then its ACK */
static bool ic_host_set;		/* ip= named the host: DHCP's name is not taken */

/* ---- the exchange ---- */

/* Sends a DISCOVER or (for ic_offer) a REQUEST on dev, broadcast. */
static void dhcp_send(struct netdevice *dev, u8 type, u32 secs)
{
	struct sk_buff *skb = alloc_skb(DHCP_MSG_LEN, MAX_HEADER);
	struct ethhdr_hw { u8 dest[6], src[6]; u16 proto; } __attribute__((packed)) *eh;

	if (skb == NULL)
		return;				/* a lost DISCOVER: the next try sends again */
	dhcp_build(skb_put(skb, DHCP_MSG_LEN), type, ic_xid, dev->addr, secs, &ic_offer);
	eh = (struct ethhdr_hw *)skb_push(skb, ETH_HLEN);
	memcpy(eh->dest, bcast, 6);
	memcpy(eh->src, dev->addr, 6);
	eh->proto = cpu_to_be16(ETH_P_IP);
	dev->stats.tx_packets++;
	dev->stats.tx_bytes += skb->len;
	if (dev->xmit_frame(dev, skb) < 0)
		dev->stats.tx_dropped++;
}

bool ipconfig_rcv(struct netdevice *dev, const u8 *f, u32 len)
{
	struct dhcp_lease l;
	int type;

	if (!(ic_candidates & (1u << dev->host_idx)))
		return false;
	type = dhcp_parse(f, len, ic_xid, dev->addr, &l);
	if (type <= 0)
		return type == 0;		/* ours to drop, or the stack's */
	if (ic_got || (ic_dev != NULL && dev != ic_dev))
		return true;			/* a second offer, or on another interface */
	if (type == DHCP_NAK && ic_want == DHCP_ACK) {
		ic_nak = true;
		wake_up(&ic_wait);
		return true;
	}
	if (type != ic_want || (type == DHCP_OFFER && l.server == 0))
		return true;
	if (type == DHCP_ACK && l.server == 0)
		l.server = ic_offer.server;
	ic_offer = l;
	ic_dev = dev;
	ic_got = true;
	wake_up(&ic_wait);
	return true;
}

/* Sends type on each candidate (or ic_dev) and waits for the answer: true if it came. */
static bool dhcp_exchange(u8 type, u64 start)
{
	static const int wait_s[] = { 1, 2, 4, 4 };

	for (unsigned t = 0; t < ARRAY_SIZE(wait_s); t++) {
		u64 now = os_monotonic_ns(), deadline = now + (u64)wait_s[t] * 1000000000ULL;
		u32 secs = (u32)((now - start) / 1000000000ULL);

		ic_got = ic_nak = false;
		ic_want = type == DHCP_DISCOVER ? DHCP_OFFER : DHCP_ACK;
		for (int i = 0; i < NET_MAX_IF; i++)
			if ((ic_candidates & (1u << i)) && (ic_dev == NULL || ic_dev == eth_dev(i)))
				dhcp_send(eth_dev(i), type, secs);
		while (!ic_got && !ic_nak && os_monotonic_ns() < deadline)
			sleep_on_timeout(&ic_wait, false, deadline);
		if (ic_got || ic_nak)
			return ic_got;
	}
	return false;
}

static void ip_str(char *buf, size_t n, u32 a)
{
	a = be32_to_cpu(a);
	ksnprintf(buf, n, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
}

/*
 * DHCP on the candidates, from init's thread before the root is mounted
 * (where Linux's ip_auto_config runs).  May sleep; never fails the boot.
 */
void ipconfig_run(void)
{
	u64 start = os_monotonic_ns();
	char a[16], m[16], g[16], s[16];
	struct netdevice *dev;
	int tries;

	if (ic_candidates == 0)
		return;
	ic_xid = (u32)(start ^ (start >> 32)) ^ 0x5eed1e55u;
	ipconfig_listening = true;
	printk(KERN_INFO "IP-Config: sending DHCP requests\n");
	for (tries = 0; tries < 3; tries++) {
		ic_dev = NULL;
		if (!dhcp_exchange(DHCP_DISCOVER, start))
			break;
		if (dhcp_exchange(DHCP_REQUEST, start))
			break;
		ic_got = false;			/* a NAK or silence: start over */
		ic_xid++;
	}
	ipconfig_listening = false;
	if (!ic_got) {
		printk(KERN_ERR "IP-Config: no DHCP answer in %llu s: auto-configuration of network failed\n",
		       (unsigned long long)((os_monotonic_ns() - start) / 1000000000ULL));
		ic_candidates = 0;
		return;
	}
	dev = ic_dev;
	if (ic_offer.mask == 0 || (~be32_to_cpu(ic_offer.mask) & (~be32_to_cpu(ic_offer.mask) + 1)))
		ic_offer.mask = IPV4(255, 255, 255, 0);	/* none or not contiguous */
	eth_set_addr(dev, ic_offer.yiaddr, ic_offer.mask);
	if (ic_offer.gw && (ic_offer.gw & ic_offer.mask) == (ic_offer.yiaddr & ic_offer.mask))
		route_add(0, 0, ic_offer.gw, dev, 0);
	pnp.dhcp = true;
	pnp.server = ic_offer.server;
	memcpy(pnp.dns, ic_offer.dns, sizeof(pnp.dns));
	kstrlcpy(pnp.domain, ic_offer.domain, sizeof(pnp.domain));
	ip_str(a, sizeof(a), ic_offer.yiaddr);
	ip_str(m, sizeof(m), ic_offer.mask);
	ip_str(g, sizeof(g), ic_offer.gw);
	ip_str(s, sizeof(s), ic_offer.server);
	printk(KERN_INFO "IP-Config: Got DHCP answer from %s, my address is %s\n", s, a);
	printk(KERN_INFO "IP-Config: Complete:\n");
	printk(KERN_INFO "     device=%s, hwaddr=%02x:%02x:%02x:%02x:%02x:%02x, ipaddr=%s, mask=%s, gw=%s\n",
	       dev->name, dev->addr[0], dev->addr[1], dev->addr[2], dev->addr[3], dev->addr[4],
	       dev->addr[5], a, m, g);
	if (!ic_host_set && ic_offer.host[0] && utsname_set_nodename(ic_offer.host) < 0)
		ic_offer.host[0] = 0;
	printk(KERN_INFO "     host=%s, domain=%s, bootserver=%s\n", utsname_get()->nodename, pnp.domain, s);
	for (int i = 0; i < DNS_MAX; i++)
		if (pnp.dns[i]) {
			ip_str(a, sizeof(a), pnp.dns[i]);
			printk(KERN_INFO "     nameserver%d=%s\n", i, a);
		}
	ic_candidates = 0;
}

size_t net_proc_pnp(char *buf, size_t len)
{
	size_t n;
	char a[16];

	n = (size_t)ksnprintf(buf, len, pnp.dhcp ? "#PROTO: DHCP\n" : "#MANUAL\n");
	if (pnp.domain[0] && n < len)
		n += (size_t)ksnprintf(buf + n, len - n, "domain %s\n", pnp.domain);
	for (int i = 0; i < DNS_MAX && n < len; i++)
		if (pnp.dns[i]) {
			ip_str(a, sizeof(a), pnp.dns[i]);
			n += (size_t)ksnprintf(buf + n, len - n, "nameserver %s\n", a);
		}
	if (pnp.server && n < len) {
		ip_str(a, sizeof(a), pnp.server);
		n += (size_t)ksnprintf(buf + n, len - n, "bootserver %s\n", a);
	}
	return min(n, len);
}

/* ---- ip= ---- */

/* "ethN" with N 0-7: N, else -1. */
static int dev_number(const char *s)
{
	if (strncmp(s, "eth", 3) || s[3] < '0' || s[3] > '7' || s[4])
		return -1;
	return s[3] - '0';
}

enum { AC_NONE, AC_OFF, AC_DHCP, AC_BAD };

static int autoconf_kind(const char *s)
{
	if (!strcmp(s, ""))
		return AC_NONE;
	if (!strcmp(s, "off") || !strcmp(s, "none"))
		return AC_OFF;
	if (!strcmp(s, "dhcp") || !strcmp(s, "on") || !strcmp(s, "any") || !strcmp(s, "both"))
		return AC_DHCP;
	return AC_BAD;
}

static void __attribute__((noreturn)) ip_bad(const char *ipv, const char *why)
{
	printk(KERN_ERR "ip=%s: %s\n", ipv, why);
	os_exit(1);
}

/* DHCP on ethN (dev >= 0) or on every interface up: only marks them, ipconfig_run asks. */
static void want_dhcp(const char *ipv, int dev)
{
	for (int i = 0; i < NET_MAX_IF; i++)
		if (eth_dev(i) && (dev < 0 || dev == i))
			ic_candidates |= 1u << i;
	if (ic_candidates == 0)
		ip_bad(ipv, dev < 0 ? "DHCP needs an interface (ethN=)" : "DHCP on an interface that no ethN= made");
}

/* Runs in eth_init, once every ethN= interface is up. */
void ipconfig_setup(const char *ipv)
{
	const char *f[10] = { 0 };
	char buf[160];
	char *p = buf;
	u32 ip = 0, gw = 0, mask = 0;
	int n = 0, dev = 0, ac;

	if (ipv == NULL) {			/* slirp's own plan on the first slirp */
		for (int i = 0; i < NET_MAX_IF; i++) {
			const struct net_open_info *in = eth_info(i);

			if (in == NULL || strcmp(in->transport, "slirp"))
				continue;
			eth_set_addr(eth_dev(i), in->slirp_guest, in->slirp_mask);
			route_add(0, 0, in->slirp_host, eth_dev(i), 0);
			pnp.dns[0] = in->slirp_dns;
			return;
		}
		return;
	}
	ac = autoconf_kind(ipv);
	if (ac == AC_OFF)
		return;
	if (ac == AC_DHCP) {
		want_dhcp(ipv, -1);
		return;
	}
	if (!strcmp(ipv, "bootp") || !strcmp(ipv, "rarp"))
		ip_bad(ipv, "only DHCP is built (ip=dhcp)");
	if (strlen(ipv) >= sizeof(buf))
		ip_bad(ipv, "too long");
	kstrlcpy(buf, ipv, sizeof(buf));
	f[n++] = p;
	for (; *p && n < 10; p++)
		if (*p == ':') {
			*p = 0;
			f[n++] = p + 1;
		}
	if (n == 2 && dev_number(f[0]) >= 0) {	/* ip=ethN:dhcp */
		if (autoconf_kind(f[1]) != AC_DHCP)
			ip_bad(ipv, "expected ethN:dhcp");
		want_dhcp(ipv, dev_number(f[0]));
		return;
	}
	if (n > 4 && f[4][0]) {		/* the host name, as Linux sets it from ip= */
		if (utsname_set_nodename(f[4]) < 0)
			ip_bad(ipv, "the host name field is too long (64 at most)");
		ic_host_set = true;
	}
	if (n > 5 && f[5][0] && (dev = dev_number(f[5])) < 0)
		ip_bad(ipv, "the device field must be ethN, N 0-7");
	ac = n > 6 ? autoconf_kind(f[6]) : AC_NONE;
	if (ac == AC_BAD)
		ip_bad(ipv, "autoconf must be dhcp, on, any, off or none (BOOTP and RARP are not built)");
	if (ac == AC_DHCP) {
		want_dhcp(ipv, n > 5 && f[5][0] ? dev : -1);
		return;
	}
	if (f[0][0] == 0) {
		if (ac == AC_OFF)
			return;
		ip_bad(ipv, "expected CLIENT::GW:MASK::ethN, or dhcp");
	}
	if (inet_parse_dotted(f[0], &ip) < 0 || (n > 2 && f[2][0] && inet_parse_dotted(f[2], &gw) < 0) ||
	    (n > 3 && f[3][0] && inet_parse_dotted(f[3], &mask) < 0) ||
	    (n > 7 && f[7][0] && inet_parse_dotted(f[7], &pnp.dns[0]) < 0) ||
	    (n > 8 && f[8][0] && inet_parse_dotted(f[8], &pnp.dns[1]) < 0))
		ip_bad(ipv, "expected ADDR::GW:MASK::ethN naming an interface (dotted addresses)");
	if (eth_dev(dev) == NULL)
		ip_bad(ipv, "expected ADDR::GW:MASK::ethN naming an interface");
	if (mask == 0)
		mask = IPV4(255, 255, 255, 0);
	if (n > 1 && f[1][0] && inet_parse_dotted(f[1], &pnp.server) < 0)
		pnp.server = 0;
	eth_set_addr(eth_dev(dev), ip, mask);
	if (gw)
		route_add(0, 0, gw, eth_dev(dev), 0);
}
