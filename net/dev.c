/*
 * dev.c - network devices, the loopback device and the receive backlog.
 *
 * A device is a struct netdevice on netdev_list with an xmit op; the
 * loopback device's xmit hands the packet straight back to netif_rx().
 * netif_rx() only queues: the backlog is run by the OS_IRQ_NET handler
 * (at the next interrupt point: the return to a guest, the idle loop),
 * so a protocol's output never re-enters its own input, and a task that
 * sends and then sleeps finds the answer processed when it wakes.
 */
#include "kernel/kernel.h"
#include "kernel/inet.h"
#include "kernel/sched.h"
#include "shared/os.h"

LIST_HEAD(netdev_list);
static LIST_HEAD(backlog);
static int backlog_len;
static int next_ifindex = 1;
#define BACKLOG_MAX	1000	/* net.core.netdev_max_backlog */

static int loopback_xmit(struct netdevice *dev, struct sk_buff *skb)
{
	dev->stats.tx_packets++;
	dev->stats.tx_bytes += skb->len;
	skb->dev = dev;
	netif_rx(skb);
	return 0;
}

struct netdevice loopback_dev = {
	.name = "lo",
	.flags = IFF_UP | IFF_LOOPBACK | IFF_RUNNING,
	.mtu = 65536,
	.ip = IPV4(127, 0, 0, 1),
	.mask = IPV4(255, 0, 0, 0),
	.xmit = loopback_xmit,
};

int register_netdevice(struct netdevice *dev)
{
	if (dev_get_by_name(dev->name) != NULL)
		return -EEXIST;
	dev->ifindex = next_ifindex++;
	list_add_tail(&dev->link, &netdev_list);
	return 0;
}

struct netdevice *dev_get_by_index(int ifindex)
{
	struct netdevice *d;

	list_for_each_entry(d, &netdev_list, link)
		if (d->ifindex == ifindex)
			return d;
	return NULL;
}

struct netdevice *dev_get_by_name(const char *name)
{
	struct netdevice *d;

	list_for_each_entry(d, &netdev_list, link)
		if (strncmp(d->name, name, IFNAMSIZ) == 0)
			return d;
	return NULL;
}

int dev_xmit(struct netdevice *dev, struct sk_buff *skb)
{
	if (!(dev->flags & IFF_UP)) {
		dev->stats.tx_dropped++;
		kfree_skb(skb);
		return -ENETDOWN;
	}
	skb->dev = dev;
	return dev->xmit(dev, skb);
}

void netif_rx(struct sk_buff *skb)
{
	if (backlog_len >= BACKLOG_MAX) {
		skb->dev->stats.rx_dropped++;
		kfree_skb(skb);
		return;
	}
	list_add_tail(&skb->list, &backlog);
	backlog_len++;
	os_raise_irq(OS_IRQ_NET);
}

void net_rx_action(void)
{
	struct netdevice *d;

	list_for_each_entry(d, &netdev_list, link)
		if (d->poll)
			d->poll(d);
	while (!list_empty(&backlog)) {
		struct sk_buff *skb = list_first_entry(&backlog, struct sk_buff, list);

		list_del(&skb->list);
		backlog_len--;
		skb->dev->stats.rx_packets++;
		skb->dev->stats.rx_bytes += skb->len;
		if (skb->protocol == ETH_P_IP)
			ip_rcv(skb);
		else
			kfree_skb(skb);
	}
}

void net_init(void)
{
	register_netdevice(&loopback_dev);
	route_add(IPV4(127, 0, 0, 0), IPV4(255, 0, 0, 0), 0, &loopback_dev, 0);
	irq_register(OS_IRQ_NET, net_rx_action);
}

void net_quiesce(void)
{
	struct tcp_sock *t;

	net_rx_action();
	ip_frag_expire(~0ULL);
	list_for_each_entry(t, &tcp_socks, hash_link) {
		skb_queue_purge(&t->ooo);
		t->ooo_bytes = 0;
	}
}
