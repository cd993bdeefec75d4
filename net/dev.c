/*
 * dev.c - network devices, the loopback device and the receive backlog.
 *
 * A device is a struct netdevice on netdev_list with an xmit op; the
 * loopback device's xmit hands the packet straight back to netif_rx().
 * netif_rx() only queues: the backlog is run by the OS_IRQ_NET handler
 * (at the next interrupt point: the return to a guest, the idle loop),
 * so a protocol's output never re-enters its own input, and a task that
 * sends and then sleeps finds the answer processed when it wakes.
 *
 * Devices come and go (ethN hot-plug through mconsole): each is
 * refcounted, one reference while registered and one per sk_buff that
 * names it, so a packet still queued in a socket, the fragment queue or
 * the backlog never points at freed memory; unregister_netdevice() takes
 * away what names the device by itself (routes, ARP entries, the
 * backlog's frames) and the last reference frees it.
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
	skb_set_dev(skb, dev);
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
	dev->ifindex = next_ifindex++;	/* never reused: a stale ifindex finds nothing */
	dev->refcnt = 1;
	dev->dead = false;
	list_add_tail(&dev->link, &netdev_list);
	return 0;
}

void unregister_netdevice(struct netdevice *dev)
{
	struct sk_buff *skb, *t;

	BUG_ON(dev->dead || dev == &loopback_dev);
	list_del(&dev->link);
	dev->flags &= ~(unsigned)(IFF_UP | IFF_RUNNING);
	route_flush_dev(dev, false);
	arp_flush_dev(dev);
	addrconf_dev_down(dev);
	dev->ip = dev->mask = 0;
	list_for_each_entry_safe(skb, t, &backlog, list)
		if (skb->dev == dev) {
			list_del(&skb->list);
			backlog_len--;
			kfree_skb(skb);
		}
	dev->dead = true;
	live.dead_netdevs++;
	dev_put(dev);			/* the registration's reference */
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
	skb_set_dev(skb, dev);
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
		if (skb->dev->dead) {
			kfree_skb(skb);		/* received before its device went */
			continue;
		}
		skb->dev->stats.rx_packets++;
		skb->dev->stats.rx_bytes += skb->len;
		if (skb->protocol == ETH_P_IP)
			ip_rcv(skb);
		else if (skb->protocol == ETH_P_IPV6)
			ip6_rcv(skb);
		else
			kfree_skb(skb);
	}
}

void net_init(void)
{
	register_netdevice(&loopback_dev);
	route_add(IPV4(127, 0, 0, 0), IPV4(255, 0, 0, 0), 0, &loopback_dev, 0);
	ipv6_init();
	irq_register(OS_IRQ_NET, net_rx_action);
}

void net_quiesce(void)
{
	struct tcp_sock *t;

	net_rx_action();
	ip_frag_expire(~0ULL);
	ndisc_quiesce();
	list_for_each_entry(t, &tcp_socks, hash_link) {
		skb_queue_purge(&t->ooo);
		t->ooo_bytes = 0;
		skb_queue_purge(&t->rcvq.q);	/* an orphan's unread bytes */
		t->rcvq.len = 0;
		skb_queue_purge(&t->sndq.q);	/* ... and unsent ones */
		t->sndq.len = 0;
	}
}

size_t net_proc_dev(char *buf, size_t len)
{
	struct netdevice *d;
	size_t n;

	n = (size_t)ksnprintf(buf, len, "Inter-|   Receive                            "
			      "                    |  Transmit\n"
			      " face |bytes    packets errs drop fifo frame compressed multicast|"
			      "bytes    packets errs drop fifo colls carrier compressed\n");
	list_for_each_entry(d, &netdev_list, link) {
		const struct net_stats *s = &d->stats;

		if (n >= len)
			break;
		n += (size_t)ksnprintf(buf + n, len - n,
				       "%6s: %7llu %7llu %4llu %4llu    0     0          0         0 "
				       "%8llu %7llu    0 %4llu    0     0       0          0\n", d->name,
				       (unsigned long long)s->rx_bytes, (unsigned long long)s->rx_packets,
				       (unsigned long long)s->rx_errors, (unsigned long long)s->rx_dropped,
				       (unsigned long long)s->tx_bytes, (unsigned long long)s->tx_packets,
				       (unsigned long long)s->tx_dropped);
	}
	return min(n, len);
}
