/*
 * packet.c - AF_PACKET sockets (packet(7)): whole frames of Ethernet
 * devices, as DHCP clients (udhcpc) and packet sniffers use them.
 *
 * SOCK_RAW sees and sends frames with their Ethernet header; SOCK_DGRAM
 * without it (the kernel strips or builds it from the sockaddr_ll).  A
 * socket takes frames of its protocol (ETH_P_ALL: every one) on its bound
 * device (ifindex 0: every Ethernet device); received frames are copied to
 * it from eth_rcv before the protocols see them.  Root only, as
 * CAP_NET_RAW.  No BPF filters (SO_ATTACH_FILTER says ENOPROTOOPT) and no
 * mmap'd rings.
 */
#include "kernel/kernel.h"
#include "kernel/fs.h"
#include "kernel/inet.h"
#include "kernel/mm.h"
#include "kernel/net.h"
#include "kernel/page.h"
#include "kernel/sched.h"
#include "uapi/asm-generic/poll.h"
#include "uapi/asm/ioctls.h"
#include "uapi/linux/if_packet.h"

#define ETH_P_ALL_NUM	0x0003
#define SKB_COST(n)	((n) + 256)

struct packet_sock {
	struct socket *sock;
	int type;
	u16 proto;			/* network order; 0: none until bound */
	int ifindex;			/* 0: any device */
	struct list_head link;
	struct list_head rxq;
	u32 rx_bytes;
	u64 drops;
	struct wait_queue wq;
};

static LIST_HEAD(packet_socks);
static const struct proto_ops packet_ops;

static u8 pkttype_of(const struct netdevice *dev, const u8 *dest)
{
	if (memcmp(dest, "\xff\xff\xff\xff\xff\xff", 6) == 0)
		return PACKET_BROADCAST;
	if (dest[0] & 1)
		return PACKET_MULTICAST;
	return memcmp(dest, dev->addr, 6) == 0 ? PACKET_HOST : PACKET_OTHERHOST;
}

/* A copy of a received frame (data at its Ethernet header) for each packet socket that wants it. */
void packet_rcv(struct netdevice *dev, const struct sk_buff *frame)
{
	struct packet_sock *ps;
	u16 proto;

	if (frame->len < ETH_HLEN || list_empty(&packet_socks))
		return;
	memcpy(&proto, frame->data + 12, 2);
	list_for_each_entry(ps, &packet_socks, link) {
		struct sk_buff *c;

		if (ps->proto == 0 || (ps->proto != cpu_to_be16(ETH_P_ALL_NUM) && ps->proto != proto))
			continue;
		if (ps->ifindex && ps->ifindex != dev->ifindex)
			continue;
		if (ps->rx_bytes + SKB_COST(frame->len) > (u32)ps->sock->rcvbuf) {
			ps->drops++;
			continue;
		}
		c = skb_copy(frame);
		if (c == NULL)
			continue;
		skb_set_dev(c, dev);
		c->sport = proto;		/* the frame's type, for sll_protocol */
		c->ttl = pkttype_of(dev, frame->data);
		memcpy(&c->seq, frame->data + 6, 4);	/* the source MAC, for sll_addr */
		memcpy(&c->end_seq, frame->data + 10, 2);
		if (ps->type == SOCK_DGRAM)
			skb_pull(c, ETH_HLEN);
		ps->rx_bytes += SKB_COST(c->len);
		list_add_tail(&c->list, &ps->rxq);
		wake_up_poll(&ps->wq, POLLIN | POLLRDNORM);
	}
}

static int ll_parse(const u8 *addr, int len, struct sockaddr_ll *sll)
{
	if (len < (int)offsetof(struct sockaddr_ll, sll_addr))
		return -EINVAL;
	memset(sll, 0, sizeof(*sll));
	memcpy(sll, addr, min((size_t)len, sizeof(*sll)));
	if (sll->sll_family != AF_PACKET)
		return -EINVAL;
	return 0;
}

static int ll_fill(u8 *addr, const struct netdevice *dev, u16 proto, u8 pkttype, const u8 *mac)
{
	struct sockaddr_ll sll;

	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = proto;
	sll.sll_ifindex = dev ? dev->ifindex : 0;
	sll.sll_hatype = dev && (dev->flags & IFF_LOOPBACK) ? 772 : 1;	/* ARPHRD_LOOPBACK, ARPHRD_ETHER */
	sll.sll_pkttype = pkttype;
	sll.sll_halen = 6;
	if (mac)
		memcpy(sll.sll_addr, mac, 6);
	else if (dev)
		memcpy(sll.sll_addr, dev->addr, 6);
	memcpy(addr, &sll, sizeof(sll));
	return (int)sizeof(sll);
}

static void packet_release(struct socket *sock)
{
	struct packet_sock *ps = sock->sk;

	if (ps == NULL)
		return;
	list_del(&ps->link);
	skb_queue_purge(&ps->rxq);
	kfree(ps);
	sock->sk = NULL;
}

static int packet_bind(struct socket *sock, const u8 *addr, int len)
{
	struct packet_sock *ps = sock->sk;
	struct sockaddr_ll sll;
	int err = ll_parse(addr, len, &sll);

	if (err)
		return err;
	if (sll.sll_ifindex && dev_get_by_index(sll.sll_ifindex) == NULL)
		return -ENODEV;
	ps->ifindex = sll.sll_ifindex;
	if (sll.sll_protocol)
		ps->proto = sll.sll_protocol;
	return 0;
}

static int packet_getname(struct socket *sock, u8 *addr, bool peer)
{
	struct packet_sock *ps = sock->sk;

	if (peer)
		return -EOPNOTSUPP;
	return ll_fill(addr, ps->ifindex ? dev_get_by_index(ps->ifindex) : NULL, ps->proto, 0, NULL);
}

static unsigned packet_poll(struct socket *sock, struct file *f, struct poll_table *pt)
{
	struct packet_sock *ps = sock->sk;

	poll_wait(f, &ps->wq, pt);
	return POLLOUT | POLLWRNORM | (list_empty(&ps->rxq) ? 0 : POLLIN | POLLRDNORM);
}

static long packet_sendmsg(struct socket *sock, struct kmsg *m, size_t len, unsigned flags)
{
	struct packet_sock *ps = sock->sk;
	struct sockaddr_ll sll;
	struct netdevice *dev;
	struct sk_buff *skb;
	int ifindex = ps->ifindex;
	u16 proto = ps->proto;
	long err;

	memset(&sll, 0, sizeof(sll));
	if (m->name) {
		err = ll_parse(m->name, m->namelen, &sll);
		if (err)
			return err;
		ifindex = sll.sll_ifindex;
		proto = sll.sll_protocol;
	} else if (ps->type == SOCK_DGRAM) {
		return -EDESTADDRREQ;	/* the destination MAC comes with each datagram */
	}
	dev = dev_get_by_index(ifindex);
	if (dev == NULL)
		return -ENXIO;
	if (dev->xmit_frame == NULL)
		return -EOPNOTSUPP;	/* loopback carries no frames here */
	if (!(dev->flags & IFF_UP))
		return -ENETDOWN;
	if (len + (ps->type == SOCK_DGRAM ? ETH_HLEN : 0) > dev->mtu + ETH_HLEN)
		return -EMSGSIZE;
	if (ps->type == SOCK_RAW && len < ETH_HLEN)
		return -EINVAL;
	skb = alloc_skb((u32)len, MAX_HEADER);
	if (skb == NULL)
		return -ENOBUFS;
	if (iter_copy_from(&m->iter, skb_put(skb, (u32)len), len) < 0) {
		kfree_skb(skb);
		return -EFAULT;
	}
	if (ps->type == SOCK_DGRAM) {
		u8 *eh = skb_push(skb, ETH_HLEN);

		memcpy(eh, sll.sll_halen >= 6 ? sll.sll_addr : (const u8 *)"\xff\xff\xff\xff\xff\xff", 6);
		memcpy(eh + 6, dev->addr, 6);
		memcpy(eh + 12, &proto, 2);
	}
	dev->stats.tx_packets++;
	dev->stats.tx_bytes += skb->len;
	err = dev->xmit_frame(dev, skb);
	return err < 0 ? err : (long)len;
}

static long packet_recvmsg(struct socket *sock, struct kmsg *m, size_t len, unsigned flags)
{
	struct packet_sock *ps = sock->sk;
	struct sk_buff *skb;
	u8 mac[6];
	size_t n;
	long r;

	while (list_empty(&ps->rxq)) {
		if (flags & MSG_DONTWAIT)
			return -EAGAIN;
		r = sleep_on(&ps->wq, true);
		if (r)
			return r;
	}
	skb = list_first_entry(&ps->rxq, struct sk_buff, list);
	n = min(len, (size_t)skb->len);
	if (iter_copy_to(&m->iter, skb->data, n) < 0)
		return -EFAULT;
	if (skb->len > len)
		m->flags |= MSG_TRUNC;
	if (m->name) {
		memcpy(mac, &skb->seq, 4);
		memcpy(mac + 4, &skb->end_seq, 2);
		m->namelen = ll_fill(m->name, skb->dev, skb->sport, skb->ttl, mac);
	}
	r = (flags & MSG_TRUNC) ? (long)skb->len : (long)n;
	if (!(flags & MSG_PEEK)) {
		list_del(&skb->list);
		ps->rx_bytes -= SKB_COST(skb->len);
		kfree_skb(skb);
	}
	return r;
}

static int packet_setsockopt(struct socket *sock, int level, int name, const u8 *val, unsigned len)
{
	return -ENOPROTOOPT;
}

static long packet_ioctl(struct socket *sock, unsigned cmd, u64 arg)
{
	struct packet_sock *ps = sock->sk;
	int v;

	if (cmd == FIONREAD) {
		v = list_empty(&ps->rxq) ? 0 : (int)list_first_entry(&ps->rxq, struct sk_buff, list)->len;
		return put_user(v, UADDR(arg)) < 0 ? -EFAULT : 0;
	}
	return inet_dev_ioctl(cmd, arg);
}

static const struct proto_ops packet_ops = {
	.family = AF_PACKET,
	.release = packet_release,
	.bind = packet_bind,
	.getname = packet_getname,
	.poll = packet_poll,
	.setsockopt = packet_setsockopt,
	.sendmsg = packet_sendmsg,
	.recvmsg = packet_recvmsg,
	.ioctl = packet_ioctl,
};

int packet_family_create(struct socket *sock, int type, int protocol, bool kern)
{
	struct packet_sock *ps;

	if (type != SOCK_RAW && type != SOCK_DGRAM)
		return -ESOCKTNOSUPPORT;
	if (current->euid != 0)
		return -EPERM;
	ps = kzalloc(sizeof(*ps));
	if (ps == NULL)
		return -ENOMEM;
	ps->sock = sock;
	ps->type = type;
	ps->proto = (u16)protocol;	/* packet(7): protocol in network order */
	INIT_LIST_HEAD(&ps->rxq);
	init_waitqueue(&ps->wq);
	list_add_tail(&ps->link, &packet_socks);
	sock->sk = ps;
	sock->ops = &packet_ops;
	return 0;
}
