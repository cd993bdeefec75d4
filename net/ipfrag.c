/*
 * ipfrag.c - IPv4 reassembly (RFC 791 3.2, RFC 815's idea of holes):
 * fragments of one datagram (same source, destination, id and protocol)
 * are kept sorted by offset; when the last one has come and no hole is
 * left, a new buffer gets the first fragment's header and every
 * fragment's data.  Overlaps keep the bytes that came first.  A queue
 * lives 30 s (net.ipv4.ipfrag_time); at most 64 queues and 256 KiB are
 * held, beyond which new fragments are dropped.  Where fragments
 * overlap, the bytes of the one at the higher offset are kept.
 */
#include "kernel/kernel.h"
#include "kernel/inet.h"
#include "kernel/page.h"

#define FRAG_TIMEOUT	(30ULL * 1000000000)
#define FRAG_QUEUES	64
#define FRAG_MEM	(256 * 1024)

struct frag_queue {
	struct list_head link;
	u32 saddr, daddr;
	u16 id;
	u8 proto;
	bool last_seen;
	u32 total;			/* payload length, once the last fragment came */
	u32 mem;
	u64 born;
	struct list_head frags;		/* skbs: seq = offset, end_seq = end (payload bytes) */
};

static LIST_HEAD(queues);
static int nr_queues;
static u32 frag_mem;

static void fq_free(struct frag_queue *q)
{
	list_del(&q->link);
	frag_mem -= q->mem;
	skb_queue_purge(&q->frags);
	kfree(q);
	nr_queues--;
}

void ip_frag_expire(u64 now)
{
	struct frag_queue *q, *n;

	list_for_each_entry_safe(q, n, &queues, link)
		if (now == ~0ULL || now - q->born > FRAG_TIMEOUT)
			fq_free(q);
}

int ip_frag_count(void)
{
	return nr_queues;
}

static struct frag_queue *fq_find(const struct iphdr_w *ih, u64 now)
{
	struct frag_queue *q;

	list_for_each_entry(q, &queues, link)
		if (q->saddr == ih->saddr && q->daddr == ih->daddr && q->id == ih->id &&
		    q->proto == ih->protocol)
			return q;
	if (nr_queues >= FRAG_QUEUES)
		return NULL;
	q = kzalloc(sizeof(*q));
	if (q == NULL)
		return NULL;
	q->saddr = ih->saddr;
	q->daddr = ih->daddr;
	q->id = ih->id;
	q->proto = ih->protocol;
	q->born = now;
	INIT_LIST_HEAD(&q->frags);
	list_add(&q->link, &queues);
	nr_queues++;
	return q;
}

/* Whether the fragments cover [0, total) without a hole. */
static bool fq_complete(struct frag_queue *q)
{
	struct sk_buff *f;
	u32 upto = 0;

	if (!q->last_seen)
		return false;
	list_for_each_entry(f, &q->frags, list) {
		if (f->seq > upto)
			return false;
		upto = max(upto, f->end_seq);
	}
	return upto >= q->total;
}

/* One datagram from the queue: the first fragment's header, then the data. */
static struct sk_buff *fq_assemble(struct frag_queue *q)
{
	struct sk_buff *first = list_first_entry(&q->frags, struct sk_buff, list), *f, *skb;
	u32 hl = (u32)(first->data[0] & 0xf) * 4;
	struct iphdr_w *ih;

	skb = alloc_skb(hl + q->total, MAX_HEADER);
	if (skb == NULL)
		return NULL;
	memcpy(skb_put(skb, hl), first->data, hl);
	skb_put(skb, q->total);
	list_for_each_entry(f, &q->frags, list) {
		u32 hl_f = (u32)(f->data[0] & 0xf) * 4;
		u32 end = min(f->end_seq, q->total);

		if (end > f->seq)
			memcpy(skb->data + hl + f->seq, f->data + hl_f, end - f->seq);
	}
	ih = (struct iphdr_w *)skb->data;
	ih->tot_len = cpu_to_be16((u16)min(hl + q->total, 65535u));
	ih->frag_off = 0;
	ih->check = 0;
	ih->check = csum_fold(csum_partial(ih, hl, 0));
	skb_set_dev(skb, first->dev);
	skb->protocol = ETH_P_IP;
	return skb;
}

/* Inserts f by offset. */
static void fq_insert(struct frag_queue *q, struct sk_buff *f)
{
	struct sk_buff *pos;

	list_for_each_entry(pos, &q->frags, list)
		if (pos->seq > f->seq)
			break;
	list_add_tail(&f->list, &pos->list);
	q->mem += f->size;
	frag_mem += f->size;
}

struct sk_buff *ip_defrag(struct sk_buff *skb, u64 now)
{
	const struct iphdr_w *ih = (const struct iphdr_w *)skb->data;
	u32 hl = (u32)(ih->ver_ihl & 0xf) * 4, len = skb->len - hl;
	u16 fo = be16_to_cpu(ih->frag_off);
	u32 off = (u32)(fo & IP_OFFMASK) * 8;
	struct frag_queue *q;
	struct sk_buff *whole;

	ip_frag_expire(now);
	if (off + len > 65535 - hl || ((fo & IP_MF) && (len % 8 != 0 || len == 0)) ||
	    frag_mem + skb->size > FRAG_MEM || (q = fq_find(ih, now)) == NULL) {
		kfree_skb(skb);
		return NULL;
	}
	if (!(fo & IP_MF)) {
		if (q->last_seen && q->total != off + len) {
			fq_free(q);		/* two different ends: drop it all */
			kfree_skb(skb);
			return NULL;
		}
		q->last_seen = true;
		q->total = off + len;
	}
	skb->seq = off;
	skb->end_seq = off + len;
	fq_insert(q, skb);
	if (!fq_complete(q))
		return NULL;
	whole = fq_assemble(q);
	fq_free(q);
	return whole;
}
