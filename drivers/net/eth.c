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
 * ip= is drivers/net/ipconfig.c's (static, or the kernel's DHCP client).
 * Interfaces hot-plugged through mconsole (eth_config, eth_remove) come
 * and go at run time.
 */
#include "kernel/kernel.h"
#include "kernel/init.h"
#include "kernel/inet.h"
#include "kernel/page.h"
#include "shared/os.h"
#include "shared/net.h"
#include "eth.h"

struct eth_priv {
	struct netdevice dev;
	struct net_open_info info;
	char *spec;			/* the ethN= value, for "config ethN" */
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
		struct sk_buff *skb;

		if (ipconfig_listening && ipconfig_rcv(dev, rx_buf, (u32)n))
			continue;		/* the boot's DHCP client took it */
		skb = alloc_skb((u32)n, MAX_HEADER);
		if (skb == NULL) {
			dev->stats.rx_dropped++;
			continue;
		}
		memcpy(skb_put(skb, (u32)n), rx_buf, (u32)n);
		skb_set_dev(skb, dev);
		eth_rcv(dev, skb);
	}
}

void eth_set_addr(struct netdevice *dev, u32 ip, u32 mask)
{
	dev->ip = ip;
	dev->mask = mask;
	route_add(ip & mask, mask, 0, dev, 0);
	arp_announce(dev);
}

struct netdevice *eth_dev(int i)
{
	return i >= 0 && i < NET_MAX_IF && eths[i] ? &eths[i]->dev : NULL;
}

const struct net_open_info *eth_info(int i)
{
	return i >= 0 && i < NET_MAX_IF && eths[i] ? &eths[i]->info : NULL;
}

/* The last reference to a removed interface went: its memory goes too. */
static void eth_release(struct netdevice *dev)
{
	struct eth_priv *e = dev->priv;

	printk(KERN_INFO "%s: freed (no packet names it any more)\n", dev->name);
	kfree(e->spec);
	kfree(e);
}

/*
 * Starts interface i from spec.  At boot it comes up at once (ip= or
 * slirp's plan give it an address); hot-plugged it comes down, as a new
 * device on Linux does, for the guest to configure.  On error, msg says
 * why, naming the interface and the transport.
 */
static int eth_add(int i, const char *spec, bool up, char *msg, size_t len)
{
	struct eth_priv *e;
	char err[160];
	int r = -ENOMEM;

	if (eths[i] != NULL) {
		ksnprintf(msg, len, "eth%d already exists (remove eth%d first)", i, i);
		return -EEXIST;
	}
	ksnprintf(msg, len, "eth%d: out of memory", i);
	e = kzalloc(sizeof(*e));
	if (e == NULL)
		return -ENOMEM;
	e->spec = kstrdup(spec);
	if (e->spec == NULL)
		goto out_free;
	r = os_net_open(i, spec, &e->info, err, sizeof(err));
	if (r < 0) {
		ksnprintf(msg, len, "eth%d=%s: %s", i, spec, err);
		goto out_free;
	}
	ksnprintf(e->dev.name, sizeof(e->dev.name), "eth%d", i);
	e->dev.flags = (up ? IFF_UP : 0) | IFF_BROADCAST | IFF_RUNNING | IFF_MULTICAST;
	e->dev.mtu = e->info.mtu;
	memcpy(e->dev.addr, e->info.mac, 6);
	e->dev.xmit = eth_xmit;
	e->dev.xmit_frame = eth_xmit_frame;
	e->dev.poll = eth_poll;
	e->dev.host_idx = i;
	e->dev.priv = e;
	e->dev.release = eth_release;
	r = register_netdevice(&e->dev);
	if (r < 0) {
		ksnprintf(msg, len, "eth%d: a device of that name exists", i);
		goto out_close;
	}
	/* committed: nothing below fails */
	eths[i] = e;
	addrconf_dev_up(&e->dev);	/* up at boot: IPv6 link-local address, router solicitations */
	printk("eth%d: %s, %02x:%02x:%02x:%02x:%02x:%02x\n", i, e->info.transport, e->info.mac[0],
	       e->info.mac[1], e->info.mac[2], e->info.mac[3], e->info.mac[4], e->info.mac[5]);
	return 0;
out_close:
	os_net_close(i);
out_free:
	kfree(e->spec);
	kfree(e);
	return r;
}

/* "ethN" (N 0-7) and what follows it in *rest; -1 if name is not one. */
static int eth_number(const char *name, const char **rest)
{
	if (strncmp(name, "eth", 3) || name[3] < '0' || name[3] > '7')
		return -1;
	*rest = name + 4;
	return name[3] - '0';
}

int eth_config(const char *spec, char *msg, size_t len)
{
	const char *p;
	int i = eth_number(spec, &p);
	int r;

	if (i < 0 || *p != '=') {
		ksnprintf(msg, len, "expected ethN=TRANSPORT,... with N 0-7");
		return -EINVAL;
	}
	r = eth_add(i, p + 1, false, msg, len);
	if (r == 0)
		ksnprintf(msg, len, "eth%d: %s, down", i, eths[i]->info.transport);
	return r;
}

int eth_get_config(const char *name, char *msg, size_t len)
{
	const char *p;
	int i = eth_number(name, &p);

	if (i < 0 || *p) {
		ksnprintf(msg, len, "expected ethN with N 0-7");
		return -EINVAL;
	}
	if (eths[i] == NULL) {
		ksnprintf(msg, len, "eth%d does not exist", i);
		return -ENODEV;
	}
	ksnprintf(msg, len, "%s", eths[i]->spec);
	return 0;
}

/*
 * Unplugs ethN, as UML's mconsole does: refused while the interface is
 * up (UML's net_remove answers -EBUSY for an open device; Linux itself
 * would unregister it anyway).  The host transport stops first, so no
 * frame arrives for a device that is going; then the device leaves the
 * stack (routes, address, ARP entries, queued frames) and its memory goes
 * with the last packet that still names it.
 */
int eth_remove(const char *name, char *msg, size_t len)
{
	const char *p;
	int i = eth_number(name, &p);
	struct eth_priv *e;

	if (i < 0 || *p) {
		ksnprintf(msg, len, "expected ethN with N 0-7");
		return -EINVAL;
	}
	e = eths[i];
	if (e == NULL) {
		ksnprintf(msg, len, "eth%d does not exist", i);
		return -ENODEV;
	}
	if (e->dev.flags & IFF_UP) {
		ksnprintf(msg, len, "eth%d is busy: it is up (ip link set eth%d down first)", i, i);
		return -EBUSY;
	}
	os_net_close(i);
	eths[i] = NULL;
	unregister_netdevice(&e->dev);
	printk(KERN_INFO "eth%d: removed\n", i);
	return 0;
}

/* Starts every ethN= interface; exits ./linux with status 1 on any error. */
void eth_init(void)
{
	int i;

	for (i = 0; i < NET_MAX_IF; i++) {
		char msg[256];

		if (boot_params.eth[i] && eth_add(i, boot_params.eth[i], true, msg, sizeof(msg)) < 0) {
			printk(KERN_ERR "%s\n", msg);
			os_exit(1);
		}
	}
	ipconfig_setup(boot_params.ip);
}
