/*
 * skbuff.c - packet buffers: one kmalloc'd block holding the struct and
 * the bytes, with headroom so each layer can push its header in front.
 * live.skbs counts them for the leak check at halt.
 */
#include "kernel/kernel.h"
#include "kernel/inet.h"
#include "kernel/page.h"

/*
 * Device references (net/dev.c registers and unregisters): here, next to
 * the buffers that hold most of them, so what links skbuff.c links these.
 */
void dev_hold(struct netdevice *dev)
{
	dev->refcnt++;
}

void dev_put(struct netdevice *dev)
{
	BUG_ON(dev->refcnt <= 0);
	if (--dev->refcnt > 0 || !dev->dead)
		return;
	if (leak_test(dead_netdevs))
		return;
	live.dead_netdevs--;
	if (dev->release)
		dev->release(dev);
}

void skb_set_dev(struct sk_buff *skb, struct netdevice *dev)
{
	struct netdevice *old = skb->dev;

	if (dev)
		dev_hold(dev);
	skb->dev = dev;
	if (old)
		dev_put(old);
}

struct sk_buff *alloc_skb(u32 size, u32 headroom)
{
	u32 total;
	struct sk_buff *skb;

	if (__builtin_add_overflow(size, headroom, &total) || total > (1u << 20))
		return NULL;
	skb = kmalloc(sizeof(*skb) + total);
	if (skb == NULL)
		return NULL;
	memset(skb, 0, sizeof(*skb));
	INIT_LIST_HEAD(&skb->list);
	skb->head = (u8 *)(skb + 1);
	skb->data = skb->head + headroom;
	skb->size = total;
	skb->users = 1;
	live.skbs++;
	return skb;
}

/*
 * The sharer sees the same bytes without a copy (TCP's send queue hands
 * a segment's payload to IP this way): it may push headers into the
 * headroom, so the caller shares only a buffer nobody else shares
 * (users == 1), whose headroom holds nothing anyone still needs.
 */
struct sk_buff *skb_share(struct sk_buff *skb, u32 len)
{
	struct sk_buff *n;

	BUG_ON(len > skb->len || skb->owner != NULL);
	n = kmalloc(sizeof(*n));
	if (n == NULL)
		return NULL;
	memset(n, 0, sizeof(*n));
	INIT_LIST_HEAD(&n->list);
	n->head = skb->head;
	n->data = skb->data;
	n->len = len;
	n->size = skb_headroom(skb) + len;	/* no tailroom: the bytes after are not its */
	n->users = 1;
	n->owner = skb;
	skb->users++;
	live.skbs++;
	return n;
}

void kfree_skb(struct sk_buff *skb)
{
	if (skb == NULL)
		return;
	BUG_ON(skb->users == 0);
	if (--skb->users > 0)
		return;
	skb_set_dev(skb, NULL);
	if (leak_test(skbs))
		return;
	live.skbs--;
	if (skb->owner != NULL)
		kfree_skb(skb->owner);
	kfree(skb);
}

struct sk_buff *skb_copy(const struct sk_buff *skb)
{
	struct sk_buff *n = alloc_skb(skb->len, skb_headroom(skb));

	if (n == NULL)
		return NULL;
	memcpy(skb_put(n, skb->len), skb->data, skb->len);
	skb_set_dev(n, skb->dev);
	n->protocol = skb->protocol;
	n->saddr = skb->saddr;
	n->daddr = skb->daddr;
	n->saddr6 = skb->saddr6;
	n->daddr6 = skb->daddr6;
	n->nexthdr = skb->nexthdr;
	n->nhlen = skb->nhlen;
	n->sport = skb->sport;
	n->dport = skb->dport;
	n->ttl = skb->ttl;
	n->tos = skb->tos;
	n->seq = skb->seq;
	n->end_seq = skb->end_seq;
	return n;
}

u8 *skb_put(struct sk_buff *skb, u32 n)
{
	u8 *p = skb->data + skb->len;

	BUG_ON(n > skb_tailroom(skb));
	skb->len += n;
	return p;
}

u8 *skb_push(struct sk_buff *skb, u32 n)
{
	BUG_ON(n > skb_headroom(skb));
	skb->data -= n;
	skb->len += n;
	return skb->data;
}

void skb_pull(struct sk_buff *skb, u32 n)
{
	BUG_ON(n > skb->len);
	skb->data += n;
	skb->len -= n;
}

void skb_trim(struct sk_buff *skb, u32 len)
{
	if (len < skb->len)
		skb->len = len;
}

void skb_queue_purge(struct list_head *q)
{
	struct sk_buff *skb, *n;

	list_for_each_entry_safe(skb, n, q, list) {
		list_del(&skb->list);
		kfree_skb(skb);
	}
}
