/*
 * eth.c - the Ethernet interfaces eth0..eth7 (ethN= on the command line)
 * and the ip= configuration of the first one, kernel half.
 *
 * Each ethN= value goes whole to the host half (os_net_open, which parses
 * the transport and its options and starts the transport's thread); an
 * interface that cannot start stops the boot with the reason, never a
 * silent dead interface.  Frames to the host: os_net_send; from the host:
 * the OS_IRQ_NET handler polls every interface (os_net_recv until
 * -EAGAIN) and hands each frame to eth_rcv (net/arp.c).
 *
 * ip= as Linux's nfsroot.txt: ip=ADDR::GW:MASK::ethN (fields past the
 * first optional), ip=off/none, ip=dhcp (not served by the kernel here:
 * it leaves the interface up without an address for udhcpc).  Without
 * ip=, a slirp interface takes slirp's own plan (10.0.2.15/24, gateway
 * 10.0.2.2), as QEMU users expect; other transports come up unaddressed.
 */
#include "kernel/kernel.h"
#include "kernel/init.h"
#include "kernel/inet.h"
#include "kernel/page.h"
#include "shared/os.h"
#include "shared/net.h"

struct eth_priv {
	struct netdevice dev;
	struct net_open_info info;
};

static struct eth_priv *eths[NET_MAX_IF];
static u8 rx_buf[NET_FRAME_MAX];

static int eth_xmit_frame(struct netdevice *dev, struct sk_buff *skb)
{
	int r = os_net_send(dev->host_idx, skb->data, skb->len);

	kfree_skb(skb);
	return r;
}

static int eth_xmit(struct netdevice *dev, struct sk_buff *skb)
{
	return eth_xmit_ip(dev, skb);
}

static void eth_poll(struct netdevice *dev)
{
	int64_t n;

	while ((n = os_net_recv(dev->host_idx, rx_buf, sizeof(rx_buf))) >= 0) {
		struct sk_buff *skb = alloc_skb((u32)n, MAX_HEADER);

		if (skb == NULL) {
			dev->stats.rx_dropped++;
			continue;
		}
		memcpy(skb_put(skb, (u32)n), rx_buf, (u32)n);
		skb->dev = dev;
		eth_rcv(dev, skb);
	}
}

/* Gives dev an address and mask, with its on-link route. */
static void eth_set_addr(struct netdevice *dev, u32 ip, u32 mask)
{
	dev->ip = ip;
	dev->mask = mask;
	route_add(ip & mask, mask, 0, dev, 0);
	arp_announce(dev);
}

static int eth_add(int i, const char *spec)
{
	struct eth_priv *e = kzalloc(sizeof(*e));
	char err[160];
	int r;

	if (e == NULL)
		return -ENOMEM;
	r = os_net_open(i, spec, &e->info, err, sizeof(err));
	if (r < 0) {
		printk(KERN_ERR "eth%d=%s: %s\n", i, spec, err);
		kfree(e);
		return r;
	}
	ksnprintf(e->dev.name, sizeof(e->dev.name), "eth%d", i);
	e->dev.flags = IFF_UP | IFF_BROADCAST | IFF_RUNNING | IFF_MULTICAST;
	e->dev.mtu = e->info.mtu;
	memcpy(e->dev.addr, e->info.mac, 6);
	e->dev.xmit = eth_xmit;
	e->dev.xmit_frame = eth_xmit_frame;
	e->dev.poll = eth_poll;
	e->dev.host_idx = i;
	e->dev.priv = e;
	register_netdevice(&e->dev);
	eths[i] = e;
	printk("eth%d: %s, %02x:%02x:%02x:%02x:%02x:%02x\n", i, e->info.transport, e->info.mac[0],
	       e->info.mac[1], e->info.mac[2], e->info.mac[3], e->info.mac[4], e->info.mac[5]);
	return 0;
}

/* ip=ADDR::GW:MASK::DEV (the fields of nfsroot.txt; hostname and autoconf ignored). */
static int parse_ip_static(const char *s, u32 *ip, u32 *gw, u32 *mask, int *dev)
{
	const char *f[7] = { 0 };
	char buf[128];
	char *p = buf;
	int n = 0;

	kstrlcpy(buf, s, sizeof(buf));
	f[n++] = p;
	while (*p && n < 7) {
		if (*p == ':') {
			*p = 0;
			f[n++] = p + 1;
		}
		p++;
	}
	if (inet_parse_dotted(f[0], ip) < 0)
		return -EINVAL;
	*gw = 0;
	*mask = 0;
	*dev = 0;
	if (n > 2 && f[2][0] && inet_parse_dotted(f[2], gw) < 0)
		return -EINVAL;
	if (n > 3 && f[3][0] && inet_parse_dotted(f[3], mask) < 0)
		return -EINVAL;
	if (n > 5 && f[5][0]) {
		if (strncmp(f[5], "eth", 3) || f[5][3] < '0' || f[5][3] > '7' || f[5][4])
			return -EINVAL;
		*dev = f[5][3] - '0';
	}
	if (*mask == 0)
		*mask = IPV4(255, 255, 255, 0);
	return 0;
}

static void eth_configure(void)
{
	const char *ipv = boot_params.ip;
	u32 ip, gw, mask;
	int d, i;

	if (ipv && (!strcmp(ipv, "off") || !strcmp(ipv, "none") || !strcmp(ipv, "dhcp")))
		return;
	if (ipv) {
		if (parse_ip_static(ipv, &ip, &gw, &mask, &d) < 0 || eths[d] == NULL) {
			printk(KERN_ERR "ip=%s: expected ADDR::GW:MASK::ethN naming an interface\n", ipv);
			os_exit(1);
		}
		eth_set_addr(&eths[d]->dev, ip, mask);
		if (gw)
			route_add(0, 0, gw, &eths[d]->dev, 0);
		return;
	}
	for (i = 0; i < NET_MAX_IF; i++) {
		struct eth_priv *e = eths[i];

		if (e == NULL || strcmp(e->info.transport, "slirp"))
			continue;
		eth_set_addr(&e->dev, e->info.slirp_guest, e->info.slirp_mask);
		route_add(0, 0, e->info.slirp_host, &e->dev, 0);
		return;				/* one default route: the first slirp */
	}
}

/* Starts every ethN= interface; exits ./linux with status 1 on any error. */
void eth_init(void)
{
	int i;

	for (i = 0; i < NET_MAX_IF; i++)
		if (boot_params.eth[i] && eth_add(i, boot_params.eth[i]) < 0)
			os_exit(1);
	eth_configure();
}
