/*
 * tcp.c - the TCP protocol engine (RFC 9293), without sockets.
 *
 * An endpoint is a struct tcp_sock: the sequence variables of RFC 9293
 * 3.3.1, a send queue holding every byte from snd_una on (so any range can
 * be sent again), an in-order receive queue and an out-of-order list, all
 * of sk_buffs, so that a byte is copied once on the way in (from the
 * writer) and once on the way out (to the reader): segments share the
 * send queue's buffers, the receive queue keeps the segments'.
 * Layers in this file, bottom up:
 *   the queues and options; segment output (tcp_xmit_range builds one
 *   segment of the send queue, tcp_push sends as windows, cwnd and Nagle
 *   allow);
 *   timers (retransmission RFC 6298 with backoff, delayed ACK, keepalive,
 *   TIME_WAIT); input (tcp_rcv: the "segment arrives" steps of RFC 9293
 *   3.10.7, ACK processing with NewReno fast retransmit/recovery RFC 6582,
 *   in-order and out-of-order data with SACK blocks RFC 2018, FIN);
 *   user calls (connect, listen, send, recv, shutdown, close).
 * It sends through tp->ops->xmit and learns nothing of IP but the
 * addresses, so tests/unit/test_tcp.c wires two endpoints back to back.
 * Wake-ups go to tp->wq with the poll mask that changed.
 */
#include "kernel/kernel.h"
#include "kernel/inet.h"
#include "kernel/page.h"
#include "shared/os.h"
#include "uapi/asm-generic/poll.h"

u64 tcp_timewait_ns = TCP_TIMEWAIT;

#define TCPOPT_EOL	0
#define TCPOPT_NOP	1
#define TCPOPT_MSS	2
#define TCPOPT_WS	3
#define TCPOPT_SACK_OK	4
#define TCPOPT_SACK	5
#define TCPOPT_TS	8
#define TCP_HDR		20
#define TCP_DUPACK_THRESH 3
#define TCP_FIN_TIMEOUT	(60ULL * 1000000000)
#define TCP_WINDOW_MAX	65535u

static const char *const state_names[] = {
	"CLOSED", "LISTEN", "SYN_SENT", "SYN_RECV", "ESTABLISHED", "FIN_WAIT1",
	"FIN_WAIT2", "CLOSE_WAIT", "CLOSING", "LAST_ACK", "TIME_WAIT",
};

const char *tcp_state_name(enum tcp_state s)
{
	return (unsigned)s < ARRAY_SIZE(state_names) ? state_names[s] : "?";
}

u32 tcp_time_stamp(void)
{
	return (u32)(os_monotonic_ns() / 1000000);
}

/* ---- the receive queue ---- */

#define RCVQ_PACK	4096	/* the buffer small segments are packed into */

/*
 * Appends len in-order bytes at p.  *skbp, when not NULL, is the buffer p
 * lies in: a segment that fills at least half of its buffer is kept as it
 * is (*skbp becomes NULL: the queue owns it), so the bytes are copied
 * only once, to the reader.  Smaller ones are copied into the tail, so a
 * peer sending tiny segments cannot make the queue hold a buffer per byte
 * (the memory stays within about twice the bytes, as Linux's coalescing).
 * Returns the bytes taken: all of them unless cap or memory runs out.
 */
static u32 rcvq_add(struct tcp_sock *tp, struct sk_buff **skbp, const u8 *p, u32 len)
{
	struct skb_bytes *q = &tp->rcvq;
	struct sk_buff *skb = skbp ? *skbp : NULL, *tail;
	u32 done = 0;

	len = min(len, q->cap - q->len);
	if (len == 0)
		return 0;
	if (skb != NULL && len >= 1024 && 2 * len >= skb->size) {
		skb_pull(skb, (u32)(p - skb->data));
		skb_trim(skb, len);
		skb_set_dev(skb, NULL);		/* the device may go while it waits */
		list_add_tail(&skb->list, &q->q);
		q->len += len;
		*skbp = NULL;
		return len;
	}
	while (done < len) {
		u32 n;

		tail = list_empty(&q->q) ? NULL : list_entry(q->q.prev, struct sk_buff, list);
		if (tail == NULL || skb_tailroom(tail) == 0) {
			tail = alloc_skb(max(len - done, (u32)RCVQ_PACK), 0);
			if (tail == NULL)
				break;			/* as if lost: the peer sends it again */
			list_add_tail(&tail->list, &q->q);
		}
		n = min(len - done, skb_tailroom(tail));
		memcpy(skb_put(tail, n), p + done, n);
		done += n;
	}
	q->len += done;
	return done;
}

/* Drops the first n bytes (n <= len). */
static void rcvq_drop(struct skb_bytes *q, u32 n)
{
	q->len -= n;
	while (n > 0) {
		struct sk_buff *skb = list_first_entry(&q->q, struct sk_buff, list);
		u32 k = min(n, skb->len);

		skb_pull(skb, k);
		n -= k;
		if (skb->len == 0) {
			list_del(&skb->list);
			kfree_skb(skb);
		}
	}
}

static void rcvq_purge(struct skb_bytes *q)
{
	skb_queue_purge(&q->q);
	q->len = 0;
}

/* ---- the send queue ---- */

#define SNDQ_HEADROOM	(MAX_HEADER + TCP_HDR + 40)	/* IP's, TCP's and its options */
#define SNDQ_SMALL	4096	/* a write of less goes into the tail buffer */
#define SNDQ_PACK	16384	/* ... which holds at most this for small writes */

static struct sk_buff *last_skb(struct skb_bytes *q)
{
	return list_empty(&q->q) ? NULL : list_entry(q->q.prev, struct sk_buff, list);
}

/*
 * The buffer the next rem bytes of a write go into: the tail when they
 * fit or are few, else a new one of up to an MSS (so the segments that
 * start at a buffer's start can share it).  A tail is left unfilled only
 * for a write of at least SNDQ_SMALL bytes, by less than those bytes or
 * SNDQ_PACK: the memory stays within a few times the bytes queued.
 */
static struct sk_buff *sndq_tail(struct tcp_sock *tp, u32 rem)
{
	struct skb_bytes *q = &tp->sndq;
	struct sk_buff *t = last_skb(q);
	u32 cap;

	if (t != NULL && skb_tailroom(t) > 0 && (skb_tailroom(t) >= rem || rem < SNDQ_SMALL))
		return t;
	if (t != NULL && t->len == 0) {		/* all of it acknowledged: no use */
		list_del(&t->list);
		kfree_skb(t);
	}
	cap = min(rem >= SNDQ_SMALL ? 65536u : SNDQ_PACK, tp->mss);
	t = alloc_skb(max(cap, 512u), SNDQ_HEADROOM);
	if (t == NULL)
		return NULL;
	t->seq = tp->snd_una + q->len;
	list_add_tail(&t->list, &q->q);
	return t;
}

/*
 * Drops the first n bytes (acknowledged) and the buffers they empty (a
 * writer copying into one holds its own reference: tcp_send_copy).
 */
static void sndq_drop(struct skb_bytes *q, u32 n)
{
	struct sk_buff *skb, *t;

	q->len -= n;
	list_for_each_entry_safe(skb, t, &q->q, list) {
		u32 k = min(n, skb->len);

		skb_pull(skb, k);
		skb->seq += k;
		n -= k;
		if (skb->len == 0) {
			list_del(&skb->list);
			kfree_skb(skb);
		}
		if (n == 0)
			break;
	}
}

/* The buffer holding byte seq (queued), or NULL. */
static struct sk_buff *sndq_find(struct tcp_sock *tp, u32 seq)
{
	struct sk_buff *skb;

	list_for_each_entry(skb, &tp->sndq.q, list)
		if (seq_lt(seq, skb->seq + skb->len))
			return seq_ge(seq, skb->seq) ? skb : NULL;
	return NULL;
}

/* Copies n queued bytes from seq (in skb, sndq_find's) into p. */
static void sndq_peek(struct tcp_sock *tp, struct sk_buff *skb, u32 seq, u8 *p, u32 n)
{
	while (n > 0) {
		u32 off = seq - skb->seq, k = min(n, skb->len - off);

		memcpy(p, skb->data + off, k);
		p += k;
		seq += k;
		n -= k;
		skb = list_entry(skb->list.next, struct sk_buff, list);
	}
}

/* ---- timers ---- */

static void rtx_fire(struct ktimer *t);
static void delack_fire(struct ktimer *t);
static void keep_fire(struct ktimer *t);
static void tw_fire(struct ktimer *t);

static u64 now_ns(void)
{
	return os_monotonic_ns();
}

static void rtx_arm(struct tcp_sock *tp)
{
	u64 rto = tp->rto << min(tp->retries, 20);

	ktimer_start(&tp->rtx_timer, now_ns() + min(rto, TCP_RTO_MAX));
}

static void keep_arm(struct tcp_sock *tp, u64 secs)
{
	if (tp->keepalive)
		ktimer_start(&tp->keep_timer, now_ns() + secs * 1000000000ULL);
}

static void timers_cancel(struct tcp_sock *tp)
{
	ktimer_cancel(&tp->rtx_timer);
	ktimer_cancel(&tp->delack_timer);
	ktimer_cancel(&tp->keep_timer);
	ktimer_cancel(&tp->tw_timer);
}

struct tcp_sock *tcp_alloc(const struct tcp_ops *ops, void *owner)
{
	struct tcp_sock *tp = kzalloc(sizeof(*tp));

	if (tp == NULL)
		return NULL;
	tp->ops = ops;
	tp->owner = owner;
	init_waitqueue(&tp->wq);
	INIT_LIST_HEAD(&tp->ooo);
	INIT_LIST_HEAD(&tp->rcvq.q);
	INIT_LIST_HEAD(&tp->sndq.q);
	INIT_LIST_HEAD(&tp->synq);
	INIT_LIST_HEAD(&tp->acceptq);
	INIT_LIST_HEAD(&tp->child_link);
	INIT_LIST_HEAD(&tp->hash_link);
	ktimer_init(&tp->rtx_timer, rtx_fire, tp);
	ktimer_init(&tp->delack_timer, delack_fire, tp);
	ktimer_init(&tp->keep_timer, keep_fire, tp);
	ktimer_init(&tp->tw_timer, tw_fire, tp);
	tp->sndbuf = tp->rcvbuf = 212992;
	tp->rto = TCP_RTO_INIT;
	tp->mss = TCP_MSS_DEFAULT;
	tp->pmtu = 65535;
	tp->keepidle = 7200;
	tp->keepintvl = 75;
	tp->keepcnt = 9;
	return tp;
}

void tcp_free(struct tcp_sock *tp)
{
	timers_cancel(tp);
	rcvq_purge(&tp->sndq);
	rcvq_purge(&tp->rcvq);
	skb_queue_purge(&tp->ooo);
	list_del(&tp->child_link);
	kfree(tp);
}

static void tcp_wake(struct tcp_sock *tp, unsigned mask)
{
	wake_up_poll(&tp->wq, mask);
}

/* Moves tp to CLOSED; an orphan (or an embryo nobody accepted) is destroyed. */
static void tcp_set_closed(struct tcp_sock *tp)
{
	tp->state = TCP_CLOSED;
	timers_cancel(tp);
	skb_queue_purge(&tp->ooo);
	tp->ooo_bytes = 0;
	tcp_wake(tp, POLLIN | POLLOUT | POLLHUP | POLLERR | POLLRDHUP);
	if (tp->parent != NULL) {
		tp->parent->nr_syn--;
		tp->parent = NULL;
		list_del(&tp->child_link);
		tp->orphan = true;
	}
	if (tp->orphan)
		tp->ops->destroy(tp);
}

/* ---- output ---- */

/*
 * The window: the free space of the in-order queue.  Out-of-order data is
 * not taken off: it lies inside what we offered (tcp_data trims it to the
 * window) and lands in the queue at its own place, so the right edge does
 * not move back while a hole is open, and the duplicate ACKs that ask for
 * the hole carry an unchanged window, as RFC 5681's definition of a
 * duplicate ACK needs for fast retransmit.
 */
static u32 rcv_window(const struct tcp_sock *tp)
{
	u32 space = tp->rcvq.cap ? tp->rcvq.cap - tp->rcvq.len : tp->rcvbuf;

	return min(space, TCP_WINDOW_MAX << tp->rcv_wscale);
}

static u32 our_mss(const struct tcp_sock *tp)
{
	u32 m = min(tp->pmtu, 65535u) - 40;

	return tp->mss_clamp ? min(m, tp->mss_clamp) : m;
}

/* Writes our options for a segment with flags into o: their length. */
static u32 build_options(struct tcp_sock *tp, u8 *o, u8 flags)
{
	u32 n = 0;
	int i;

	if (flags & TH_SYN) {
		u32 mss = our_mss(tp);

		o[n++] = TCPOPT_MSS; o[n++] = 4;
		o[n++] = (u8)(mss >> 8); o[n++] = (u8)mss;
		if (!(flags & TH_ACK) || tp->ws_ok) {
			o[n++] = TCPOPT_NOP; o[n++] = TCPOPT_WS; o[n++] = 3;
			o[n++] = tp->rcv_wscale;
		}
		if (!(flags & TH_ACK) || tp->sack_ok) {
			o[n++] = TCPOPT_NOP; o[n++] = TCPOPT_NOP;
			o[n++] = TCPOPT_SACK_OK; o[n++] = 2;
		}
	}
	if ((flags & TH_SYN && !(flags & TH_ACK)) || tp->ts_ok) {
		u32 v = cpu_to_be32(tcp_time_stamp()), e = cpu_to_be32(tp->ts_recent);

		o[n++] = TCPOPT_NOP; o[n++] = TCPOPT_NOP;
		o[n++] = TCPOPT_TS; o[n++] = 10;
		memcpy(o + n, &v, 4); memcpy(o + n + 4, &e, 4);
		n += 8;
	}
	if (!(flags & TH_SYN) && tp->sack_ok && tp->nr_sacks > 0) {
		int max = tp->ts_ok ? 3 : 4, k = min(tp->nr_sacks, max);

		o[n++] = TCPOPT_NOP; o[n++] = TCPOPT_NOP;
		o[n++] = TCPOPT_SACK; o[n++] = (u8)(2 + 8 * k);
		for (i = 0; i < k; i++) {
			u32 s = cpu_to_be32(tp->sacks[i].start), e = cpu_to_be32(tp->sacks[i].end);

			memcpy(o + n, &s, 4); memcpy(o + n + 4, &e, 4);
			n += 8;
		}
	}
	return n;
}

/* Sends one segment: seq, flags, len bytes of the send queue at seq. */
static void tcp_xmit(struct tcp_sock *tp, u32 seq, u8 flags, u32 len)
{
	u8 opts[40];
	u32 olen = build_options(tp, opts, flags), wnd;
	struct sk_buff *skb, *from = len ? sndq_find(tp, seq) : NULL;
	struct tcphdr_w *th;

	if (len && from == NULL)
		return;			/* not queued (cannot be): sent as lost */
	/*
	 * The payload is a queued buffer's start and nothing else shares
	 * that buffer (so nobody needs the bytes in front of it): the
	 * segment shares it, headers pushed in front; else a copy.
	 */
	if (len && from->seq == seq && len <= from->len && from->users == 1 &&
	    skb_headroom(from) >= TCP_HDR + olen + MAX_HEADER) {
		skb = skb_share(from, len);
		if (skb == NULL)
			return;		/* as a lost segment: the timer recovers */
		th = (struct tcphdr_w *)skb_push(skb, TCP_HDR + olen);
		from = NULL;
	} else {
		skb = alloc_skb(TCP_HDR + olen + len, MAX_HEADER);
		if (skb == NULL)
			return;
		th = (struct tcphdr_w *)skb_put(skb, TCP_HDR + olen + len);
	}
	memset(th, 0, TCP_HDR);
	th->source = tp->sport;
	th->dest = tp->dport;
	th->seq = cpu_to_be32(seq);
	th->ack_seq = (flags & TH_ACK) ? cpu_to_be32(tp->rcv_nxt) : 0;
	th->doff = (u8)(((TCP_HDR + olen) / 4) << 4);
	th->flags = flags;
	wnd = rcv_window(tp);
	if (flags & TH_SYN)
		th->window = cpu_to_be16((u16)min(wnd, TCP_WINDOW_MAX));
	else
		th->window = cpu_to_be16((u16)min(wnd >> tp->rcv_wscale, TCP_WINDOW_MAX));
	if (!(flags & TH_SYN) && seq_gt(tp->rcv_nxt + (wnd & ~((1u << tp->rcv_wscale) - 1)), tp->rcv_adv))
		tp->rcv_adv = tp->rcv_nxt + (wnd & ~((1u << tp->rcv_wscale) - 1));
	memcpy(th + 1, opts, olen);
	if (from != NULL)
		sndq_peek(tp, from, seq, (u8 *)(th + 1) + olen, len);
	skb->saddr6 = tp->saddr;
	skb->daddr6 = tp->daddr;
	skb->seq = seq;
	if (flags & TH_ACK) {
		tp->unacked = 0;
		ktimer_cancel(&tp->delack_timer);
	}
	tp->ops->xmit(tp, skb);
}

static void tcp_send_ack(struct tcp_sock *tp)
{
	tcp_xmit(tp, tp->snd_nxt, TH_ACK, 0);
}

void tcp_send_ack_now(struct tcp_sock *tp)
{
	tcp_send_ack(tp);
}

static void tcp_send_syn(struct tcp_sock *tp)
{
	tcp_xmit(tp, tp->iss, tp->state == TCP_SYN_RECV ? TH_SYN | TH_ACK : TH_SYN, 0);
}

/* The sequence number of our FIN (after every queued byte). */
static u32 fin_seq(const struct tcp_sock *tp)
{
	return tp->snd_una + tp->sndq.len - (tp->fin_acked ? 1 : 0);
}

/*
 * Sends one segment from seq: at most maxdata bytes of the send queue (and
 * an MSS), with our FIN when it reaches the end of a closed queue.
 * Returns the sequence numbers it used.
 */
static u32 tcp_xmit_range(struct tcp_sock *tp, u32 seq, u32 maxdata)
{
	u32 data_end = fin_seq(tp);
	u32 n = seq_lt(seq, data_end) ? min(maxdata, data_end - seq) : 0;
	u8 flags = TH_ACK;

	n = min(n, tp->mss);
	if (n > 0) {			/* to the end of its buffer, which it may then share */
		struct sk_buff *b = sndq_find(tp, seq);

		if (b != NULL)
			n = min(n, b->seq + b->len - seq);
	}
	if (tp->fin_queued && seq + n == data_end)
		flags |= TH_FIN;
	if (n > 0 && seq + n == data_end)
		flags |= TH_PSH;
	if (n == 0 && !(flags & TH_FIN))
		return 0;
	tcp_xmit(tp, seq, flags, n);
	return n + ((flags & TH_FIN) ? 1 : 0);
}

/*
 * Limited transmit (RFC 3042): each of the first two duplicate ACKs lets
 * one new segment out beyond cwnd, so that a small window still brings
 * the three duplicates fast retransmit needs instead of a timeout.
 */
static u32 limited_transmit(const struct tcp_sock *tp)
{
	return tp->in_recovery ? 0 : min(tp->dupacks, 2u) * tp->mss;
}

void tcp_push(struct tcp_sock *tp, bool more)
{
	if (tp->state != TCP_ESTABLISHED && tp->state != TCP_CLOSE_WAIT &&
	    tp->state != TCP_FIN_WAIT1 && tp->state != TCP_CLOSING && tp->state != TCP_LAST_ACK)
		return;
	for (;;) {
		u32 end = fin_seq(tp) + (tp->fin_queued ? 1 : 0);
		u32 flight = tp->snd_nxt - tp->snd_una;
		u32 wnd = min(tp->snd_wnd, tp->cwnd + limited_transmit(tp));
		u32 avail = seq_lt(tp->snd_nxt, end) ? end - tp->snd_nxt : 0;
		u32 usable = wnd > flight ? wnd - flight : 0;
		u32 data = seq_lt(tp->snd_nxt, fin_seq(tp)) ? fin_seq(tp) - tp->snd_nxt : 0;
		u32 sent;

		if (avail == 0)
			break;
		if (usable == 0 && !(data == 0 && tp->fin_queued))
			break;
		/* Nagle (RFC 896): a small segment waits for the ACK of what is in flight. */
		if (data > 0 && data < tp->mss && min(usable, data) == data && flight > 0 &&
		    (!tp->nodelay || more || tp->cork) && !tp->fin_queued)
			break;
		if (data > 0 && usable < min(data, tp->mss) && usable < tp->max_window / 2 && flight > 0)
			break;			/* silly window avoidance (RFC 9293 3.8.6.2.1) */
		sent = tcp_xmit_range(tp, tp->snd_nxt, min(usable, data));
		if (sent == 0)
			break;
		if (!tp->rtt_timing && !tp->ts_ok) {
			tp->rtt_timing = true;
			tp->rtt_seq = tp->snd_nxt;
			tp->rtt_start = now_ns();
		}
		tp->snd_nxt += sent;
		if (seq_gt(tp->snd_nxt, tp->snd_max))
			tp->snd_max = tp->snd_nxt;
		if (!ktimer_armed(&tp->rtx_timer))
			rtx_arm(tp);
	}
	/* A zero window with data waiting: the retransmission timer probes it. */
	if (tp->snd_wnd == 0 && tp->sndq.len > 0 && !ktimer_armed(&tp->rtx_timer))
		rtx_arm(tp);
}

/* ---- timers ---- */

static void tcp_enter_loss(struct tcp_sock *tp)
{
	u32 flight = tp->snd_max - tp->snd_una;

	tp->ssthresh = max(flight / 2, 2 * tp->mss);
	tp->cwnd = tp->mss;
	tp->in_recovery = false;
	tp->dupacks = 0;
	tp->recover = tp->snd_max;
	tp->rtt_timing = false;
	tp->snd_nxt = tp->snd_una;	/* go back: resend from the first unacknowledged */
}

static void rtx_fire(struct ktimer *t)
{
	struct tcp_sock *tp = t->data;

	if (tp->state == TCP_SYN_SENT || tp->state == TCP_SYN_RECV) {
		if (++tp->retries > TCP_SYN_RETRIES) {
			tcp_abort(tp, tp->soft_err ? tp->soft_err : ETIMEDOUT);
			return;
		}
		tcp_send_syn(tp);
		rtx_arm(tp);
		return;
	}
	if (tp->snd_una == tp->snd_max) {
		if (tp->snd_wnd == 0 && tp->sndq.len > 0) {
			/*
			 * Zero-window probe: an old sequence number, which the
			 * peer must answer with an ACK carrying its window
			 * (Linux's tcp_xmit_probe_skb).
			 */
			tp->retries = min(tp->retries + 1, 6);
			tcp_xmit(tp, tp->snd_una - 1, TH_ACK, 0);
			rtx_arm(tp);
		}
		return;
	}
	if (++tp->retries > TCP_RETRIES) {
		tcp_abort(tp, ETIMEDOUT);
		return;
	}
	tp->stats_retrans++;
	tp->rexmit_stamp = tcp_time_stamp();
	tcp_enter_loss(tp);
	tp->snd_nxt += tcp_xmit_range(tp, tp->snd_una, tp->mss);
	rtx_arm(tp);
	tcp_push(tp, false);
}

static void delack_fire(struct ktimer *t)
{
	struct tcp_sock *tp = t->data;

	if (tp->state >= TCP_ESTABLISHED)
		tcp_send_ack(tp);
}

static void keep_fire(struct ktimer *t)
{
	struct tcp_sock *tp = t->data;

	if (tp->state != TCP_ESTABLISHED && tp->state != TCP_CLOSE_WAIT)
		return;
	if (tp->keep_probes >= (int)tp->keepcnt) {
		tcp_abort(tp, ETIMEDOUT);
		return;
	}
	tp->keep_probes++;
	tcp_xmit(tp, tp->snd_una - 1, TH_ACK, 0);	/* an old seq: the peer answers with an ACK */
	keep_arm(tp, tp->keepintvl);
}

static void tw_fire(struct ktimer *t)
{
	struct tcp_sock *tp = t->data;

	if (tp->state == TCP_FIN_WAIT2 && !tp->orphan)
		return;
	tcp_set_closed(tp);
}

static void enter_time_wait(struct tcp_sock *tp)
{
	tp->state = TCP_TIME_WAIT;
	ktimer_cancel(&tp->rtx_timer);
	ktimer_cancel(&tp->keep_timer);
	ktimer_cancel(&tp->delack_timer);
	ktimer_start(&tp->tw_timer, now_ns() + tcp_timewait_ns);
	tcp_wake(tp, POLLIN | POLLRDHUP | POLLHUP);
}

void tcp_set_keepalive(struct tcp_sock *tp, bool on)
{
	tp->keepalive = on;
	if (!on)
		ktimer_cancel(&tp->keep_timer);
	else if (tp->state == TCP_ESTABLISHED || tp->state == TCP_CLOSE_WAIT)
		keep_arm(tp, tp->keepidle);
}

/* ---- input: options ---- */

struct tcp_opts {
	u32 mss;
	int wscale;			/* -1: none */
	bool sack_ok, ts;
	u32 tsval, tsecr;
	int nr_sacks;
	struct sack_block sacks[TCP_SACK_MAX];
};

static u32 get_be32(const u8 *p)
{
	u32 v;

	memcpy(&v, p, 4);
	return be32_to_cpu(v);
}

static void parse_options(const u8 *o, u32 len, struct tcp_opts *to)
{
	u32 i = 0;

	memset(to, 0, sizeof(*to));
	to->wscale = -1;
	while (i < len) {
		u8 kind = o[i], l;

		if (kind == TCPOPT_EOL)
			break;
		if (kind == TCPOPT_NOP) {
			i++;
			continue;
		}
		if (i + 1 >= len || (l = o[i + 1]) < 2 || i + l > len)
			break;			/* malformed: ignore the rest */
		if (kind == TCPOPT_MSS && l == 4)
			to->mss = ((u32)o[i + 2] << 8) | o[i + 3];
		else if (kind == TCPOPT_WS && l == 3)
			to->wscale = min(o[i + 2], TCP_MAX_WSCALE);
		else if (kind == TCPOPT_SACK_OK && l == 2)
			to->sack_ok = true;
		else if (kind == TCPOPT_TS && l == 10) {
			to->ts = true;
			to->tsval = get_be32(o + i + 2);
			to->tsecr = get_be32(o + i + 6);
		} else if (kind == TCPOPT_SACK && (l - 2) % 8 == 0) {
			u32 k;

			for (k = 0; k < (u32)(l - 2) / 8 && to->nr_sacks < TCP_SACK_MAX; k++) {
				to->sacks[to->nr_sacks].start = get_be32(o + i + 2 + 8 * k);
				to->sacks[to->nr_sacks].end = get_be32(o + i + 6 + 8 * k);
				to->nr_sacks++;
			}
		}
		i += l;
	}
}

/* Takes the route's MTU as the path MTU before the MSS is offered. */
static void route_pmtu(struct tcp_sock *tp)
{
	if (tp->ops->route_mtu) {
		u32 m = tp->ops->route_mtu(tp);

		if (m >= 68)
			tp->pmtu = min(tp->pmtu, m);
	}
}

/* Settles the options of the handshake (both sides' SYNs seen). */
static void negotiate(struct tcp_sock *tp, const struct tcp_opts *to, bool active)
{
	u32 mss = to->mss ? to->mss : TCP_MSS_DEFAULT;

	tp->ws_ok = to->wscale >= 0 && (active ? tp->ws_ok : true);
	tp->snd_wscale = tp->ws_ok ? (u8)to->wscale : 0;
	if (!tp->ws_ok)
		tp->rcv_wscale = 0;
	tp->sack_ok = to->sack_ok && (active ? tp->sack_ok : true);
	tp->ts_ok = to->ts && (active ? tp->ts_ok : true);
	if (tp->ts_ok)
		tp->ts_recent = to->tsval;
	mss = min(mss, our_mss(tp));
	if (tp->ts_ok)
		mss -= 12;
	tp->mss = max(mss, 64u);
	tp->cwnd = 10 * tp->mss;	/* RFC 6928 initial window */
	tp->ssthresh = 0x7fffffff;
}

static u8 wscale_for(u32 rcvbuf)
{
	u8 s = 0;

	while (s < TCP_MAX_WSCALE && (rcvbuf >> s) > TCP_WINDOW_MAX)
		s++;
	return s;
}

/* ---- input: RTT and ACKs ---- */

static void rtt_sample(struct tcp_sock *tp, u64 r)
{
	if (r == 0)
		r = 1000000 / 4;	/* below the clock's grain */
	if (!tp->rtt_valid) {
		tp->srtt = r;
		tp->rttvar = r / 2;
		tp->rtt_valid = true;
	} else {
		u64 d = tp->srtt > r ? tp->srtt - r : r - tp->srtt;

		tp->rttvar = (3 * tp->rttvar + d) / 4;
		tp->srtt = (7 * tp->srtt + r) / 8;
	}
	tp->rto = tp->srtt + max(4 * tp->rttvar, 1000000ULL);
	tp->rto = min(max(tp->rto, TCP_RTO_MIN), TCP_RTO_MAX);
}

static void cong_on_ack(struct tcp_sock *tp, u32 acked)
{
	if (tp->cwnd < tp->ssthresh) {
		tp->cwnd += min(acked, tp->mss);	/* slow start, RFC 5681 3.1 (L=1) */
		return;
	}
	tp->bytes_acked += acked;
	if (tp->bytes_acked >= tp->cwnd) {
		tp->bytes_acked -= tp->cwnd;
		tp->cwnd += tp->mss;
	}
}

/* A cumulative ACK of new data: drops it from the send queue. */
static void ack_new_data(struct tcp_sock *tp, u32 ack, const struct tcp_opts *to)
{
	u32 acked = ack - tp->snd_una;
	u32 data = min(acked, tp->sndq.len);

	/*
	 * An echo older than our last retransmission may come from the ACK
	 * of a duplicate (an unacceptable segment is answered with the old
	 * TS.Recent): it would measure the whole recovery, not the path.
	 */
	if (tp->ts_ok && to->ts && to->tsecr != 0 && seq_ge(to->tsecr, tp->rexmit_stamp))
		rtt_sample(tp, (u64)(tcp_time_stamp() - to->tsecr) * 1000000);
	else if (tp->rtt_timing && seq_ge(ack, tp->rtt_seq))
		rtt_sample(tp, now_ns() - tp->rtt_start);
	if (tp->rtt_timing && seq_ge(ack, tp->rtt_seq))
		tp->rtt_timing = false;
	if (tp->fin_queued && acked > tp->sndq.len)
		tp->fin_acked = true;
	sndq_drop(&tp->sndq, data);
	tp->snd_una = ack;
	if (seq_lt(tp->snd_nxt, ack))
		tp->snd_nxt = ack;
	tp->retries = 0;
	tp->dupacks = 0;
	tp->last_advance = acked;
	if (tp->in_recovery) {
		if (seq_ge(ack, tp->recover)) {		/* full ACK: leave recovery */
			tp->in_recovery = false;
			tp->cwnd = min(tp->ssthresh, max(tp->snd_max - tp->snd_una, tp->mss) + tp->mss);
		} else {				/* partial ACK: resend the next hole */
			tcp_xmit_range(tp, tp->snd_una, tp->mss);
			tp->stats_retrans++;
			tp->rexmit_stamp = tcp_time_stamp();
			tp->cwnd = tp->cwnd > acked ? tp->cwnd - acked + tp->mss : tp->mss;
		}
	} else {
		cong_on_ack(tp, acked);
	}
	if (tp->snd_una == tp->snd_max)
		ktimer_cancel(&tp->rtx_timer);
	else
		rtx_arm(tp);
	if (data > 0)
		tcp_wake(tp, POLLOUT | POLLWRNORM);
}

/*
 * The duplicate ACKs that mean a loss: three, or fewer when fewer than
 * four segments are out and nothing new can be sent to bring more (early
 * retransmit, RFC 5827 3.1).
 */
static u32 dupack_thresh(const struct tcp_sock *tp)
{
	u32 flight = tp->snd_max - tp->snd_una;
	u32 oseg = (flight + tp->mss - 1) / tp->mss;
	u32 unsent = fin_seq(tp) - tp->snd_max;
	bool can_send = unsent > 0 && tp->snd_wnd > flight;

	if (oseg < TCP_DUPACK_THRESH + 1 && !can_send && oseg > 1)
		return oseg - 1;
	return TCP_DUPACK_THRESH;
}

static void dup_ack(struct tcp_sock *tp)
{
	u32 flight = tp->snd_max - tp->snd_una;

	if (tp->in_recovery) {
		tp->cwnd += tp->mss;		/* inflate for each segment that left */
		return;
	}
	if (++tp->dupacks != dupack_thresh(tp))
		return;
	/*
	 * RFC 6582 3.2 step 2: not again for duplicates of what an earlier
	 * recovery or timeout resent, unless the ACK heuristic of its 4.2
	 * says these are for a new loss: the last ACK that advanced moved
	 * by at most four segments (the go-back-N resending after a timeout
	 * makes ACKs jump over what the receiver already held).
	 */
	if (!seq_gt(tp->snd_una, tp->recover) &&
	    !(tp->cwnd > tp->mss && tp->last_advance <= 4 * tp->mss))
		return;
	tp->ssthresh = max(flight / 2, 2 * tp->mss);
	tp->recover = tp->snd_max;
	tp->in_recovery = true;
	tp->stats_retrans++;
	tp->rexmit_stamp = tcp_time_stamp();
	tcp_xmit_range(tp, tp->snd_una, tp->mss);
	tp->cwnd = tp->ssthresh + 3 * tp->mss;
}

/* Step five of RFC 9293 3.10.7.4 for synchronized states: false to drop. */
static bool tcp_ack(struct tcp_sock *tp, const struct tcphdr_w *th, u32 seq, u32 dlen,
		    const struct tcp_opts *to)
{
	u32 ack = be32_to_cpu(th->ack_seq);
	u32 wnd = (u32)be16_to_cpu(th->window) << tp->snd_wscale;

	if (seq_gt(ack, tp->snd_max)) {
		tcp_send_ack(tp);		/* acknowledges what we never sent */
		return false;
	}
	if (seq_lt(ack, tp->snd_una - tp->max_window) && tp->max_window)
		return false;			/* too old (RFC 5961 5.2) */
	if (seq_gt(ack, tp->snd_una)) {
		ack_new_data(tp, ack, to);
	} else if (ack == tp->snd_una && dlen == 0 && !(th->flags & (TH_SYN | TH_FIN)) &&
		   wnd == tp->snd_wnd && tp->snd_max != tp->snd_una) {
		dup_ack(tp);
	}
	if (seq_lt(tp->snd_wl1, seq) || (tp->snd_wl1 == seq && seq_le(tp->snd_wl2, ack))) {
		bool opened = wnd > tp->snd_wnd;

		tp->snd_wnd = wnd;
		tp->snd_wl1 = seq;
		tp->snd_wl2 = ack;
		tp->max_window = max(tp->max_window, wnd);
		if (opened && tp->snd_una == tp->snd_max)
			ktimer_cancel(&tp->rtx_timer);
	}
	return true;
}

/* ---- input: data ---- */

/* Rebuilds the SACK blocks from the out-of-order queue (most recent first is not kept). */
static void update_sacks(struct tcp_sock *tp)
{
	struct sk_buff *skb;
	int n = 0;

	list_for_each_entry(skb, &tp->ooo, list) {
		if (n > 0 && tp->sacks[n - 1].end == skb->seq) {
			tp->sacks[n - 1].end = skb->end_seq;
			continue;
		}
		if (n == TCP_SACK_MAX)
			break;
		tp->sacks[n].start = skb->seq;
		tp->sacks[n].end = skb->end_seq;
		n++;
	}
	tp->nr_sacks = n;
}

/*
 * Appends in-order bytes (in *skbp, which rcvq_add may keep); then
 * whatever of the out-of-order queue now fits.
 */
static void data_in_order(struct tcp_sock *tp, struct sk_buff **skbp, const u8 *p, u32 len)
{
	struct sk_buff *skb, *n;

	tp->rcv_nxt += rcvq_add(tp, skbp, p, len);
	list_for_each_entry_safe(skb, n, &tp->ooo, list) {
		struct sk_buff *held = skb;

		if (seq_gt(skb->seq, tp->rcv_nxt))
			break;
		list_del(&skb->list);
		tp->ooo_bytes -= skb->len;
		if (seq_gt(skb->end_seq, tp->rcv_nxt)) {
			u32 skip = tp->rcv_nxt - skb->seq;

			tp->rcv_nxt += rcvq_add(tp, &held, skb->data + skip, skb->len - skip);
		}
		kfree_skb(held);
	}
}

/* Keeps an out-of-order segment (data = payload) in seq order; owns skb. */
static void data_out_of_order(struct tcp_sock *tp, struct sk_buff *skb)
{
	struct sk_buff *pos;

	list_for_each_entry(pos, &tp->ooo, list) {
		if (seq_le(pos->seq, skb->seq) && seq_ge(pos->end_seq, skb->end_seq)) {
			kfree_skb(skb);		/* a duplicate of what we hold */
			return;
		}
		if (seq_gt(pos->seq, skb->seq))
			break;
	}
	if (tp->ooo_bytes + skb->len > tp->rcvbuf) {
		kfree_skb(skb);
		return;
	}
	list_add_tail(&skb->list, &pos->list);
	tp->ooo_bytes += skb->len;
}

/*
 * Step seven: the segment's text (payload at p..p+len in *skbp, seq its
 * first byte); *skbp becomes NULL when the receive queue keeps it.
 */
static void tcp_data(struct tcp_sock *tp, struct sk_buff **skbp, u32 seq, const u8 *p, u32 len)
{
	u32 wnd = rcv_window(tp);

	if (seq_lt(seq, tp->rcv_nxt)) {		/* trim what we have */
		u32 d = tp->rcv_nxt - seq;

		if (d >= len)
			return;
		p += d;
		len -= d;
		seq = tp->rcv_nxt;
	}
	if (seq_gt(seq + len, tp->rcv_nxt + wnd))
		len = seq_gt(tp->rcv_nxt + wnd, seq) ? tp->rcv_nxt + wnd - seq : 0;
	if (len == 0)
		return;
	if (seq == tp->rcv_nxt) {
		data_in_order(tp, skbp, p, len);
		tcp_wake(tp, POLLIN | POLLRDNORM);
	} else {
		struct sk_buff *c = alloc_skb(len, 0);

		if (c == NULL)
			return;
		memcpy(skb_put(c, len), p, len);
		c->seq = seq;
		c->end_seq = seq + len;
		data_out_of_order(tp, c);
	}
	update_sacks(tp);
}

/* Step eight: an in-order FIN. */
static void tcp_fin(struct tcp_sock *tp)
{
	tp->rcv_nxt++;
	tp->fin_rcvd = true;
	switch (tp->state) {
	case TCP_SYN_RECV:
	case TCP_ESTABLISHED:
		tp->state = TCP_CLOSE_WAIT;
		break;
	case TCP_FIN_WAIT1:
		tp->state = TCP_CLOSING;
		break;
	case TCP_FIN_WAIT2:
		enter_time_wait(tp);
		break;
	default:
		break;
	}
	tcp_wake(tp, POLLIN | POLLRDNORM | POLLRDHUP);
}

/* ---- input: state machine ---- */

static void send_reset(struct tcp_sock *tp, u32 seq, u32 ack, bool with_ack)
{
	struct sk_buff *skb = alloc_skb(TCP_HDR, MAX_HEADER);
	struct tcphdr_w *th;

	if (skb == NULL)
		return;
	th = (struct tcphdr_w *)skb_put(skb, TCP_HDR);
	memset(th, 0, TCP_HDR);
	th->source = tp->sport;
	th->dest = tp->dport;
	th->seq = cpu_to_be32(seq);
	th->ack_seq = with_ack ? cpu_to_be32(ack) : 0;
	th->doff = 5 << 4;
	th->flags = TH_RST | (with_ack ? TH_ACK : 0);
	skb->saddr6 = tp->saddr;
	skb->daddr6 = tp->daddr;
	tp->ops->xmit(tp, skb);
}

void tcp_reset_reply(struct sk_buff *in, void (*xmit)(struct tcp_sock *, struct sk_buff *))
{
	const struct tcphdr_w *th = (const struct tcphdr_w *)in->data;
	u32 hlen = (u32)(th->doff >> 4) * 4;
	struct tcp_sock fake;

	if (th->flags & TH_RST)
		return;
	memset(&fake, 0, sizeof(fake));
	fake.saddr = in->daddr6;
	fake.daddr = in->saddr6;
	fake.sport = th->dest;
	fake.dport = th->source;
	fake.ops = &(struct tcp_ops){ .xmit = xmit };
	if (th->flags & TH_ACK) {
		send_reset(&fake, be32_to_cpu(th->ack_seq), 0, false);
	} else {
		u32 len = in->len - hlen + ((th->flags & TH_SYN) ? 1 : 0) + ((th->flags & TH_FIN) ? 1 : 0);

		send_reset(&fake, 0, be32_to_cpu(th->seq) + len, true);
	}
}

static u32 new_iss(void)
{
	u32 v;

	os_getrandom(&v, sizeof(v));
	return v;
}

static int size_queues(struct tcp_sock *tp)
{
	if (tp->sndq.cap == 0)
		tp->sndq.cap = tp->sndbuf;
	if (tp->rcvq.cap == 0)
		tp->rcvq.cap = tp->rcvbuf;
	return 0;
}

/* A SYN on a listener: a new embryo in SYN-RECEIVED (the SYN queue). */
static void listen_syn(struct tcp_sock *lp, struct sk_buff *skb, const struct tcphdr_w *th,
		       const struct tcp_opts *to)
{
	struct tcp_sock *c;

	if (lp->nr_syn + lp->nr_accept >= lp->backlog + 1)
		return;				/* queues full: drop, the peer retries */
	c = lp->ops->child(lp);
	if (c == NULL)
		return;
	c->saddr = skb->daddr6;
	c->daddr = skb->saddr6;
	c->sport = th->dest;
	c->dport = th->source;
	c->irs = be32_to_cpu(th->seq);
	c->rcv_nxt = c->irs + 1;
	c->iss = new_iss();
	c->snd_una = c->snd_nxt = c->snd_max = c->recover = c->iss;
	c->snd_wnd = be16_to_cpu(th->window);
	c->snd_wl1 = c->irs;
	c->rcv_wscale = wscale_for(c->rcvbuf);
	route_pmtu(c);
	negotiate(c, to, false);
	c->state = TCP_SYN_RECV;
	c->parent = lp;
	list_add_tail(&c->child_link, &lp->synq);
	lp->nr_syn++;
	if (size_queues(c) < 0) {
		tcp_set_closed(c);
		return;
	}
	c->rcv_adv = c->rcv_nxt + rcv_window(c);
	c->rtt_start = now_ns();
	tcp_send_syn(c);
	c->snd_nxt = c->snd_max = c->iss + 1;
	rtx_arm(c);
}

static void tcp_rcv_listen(struct tcp_sock *tp, struct sk_buff *skb, const struct tcphdr_w *th,
			   const struct tcp_opts *to)
{
	if (th->flags & TH_RST)
		return;
	if (th->flags & TH_ACK) {
		tcp_reset_reply(skb, tp->ops->xmit);
		return;
	}
	if (th->flags & TH_SYN)
		listen_syn(tp, skb, th, to);
}

static void established(struct tcp_sock *tp)
{
	tp->state = TCP_ESTABLISHED;
	tp->retries = 0;
	ktimer_cancel(&tp->rtx_timer);
	keep_arm(tp, tp->keepidle);
	tcp_wake(tp, POLLOUT | POLLWRNORM);
}

static void tcp_rcv_syn_sent(struct tcp_sock *tp, struct sk_buff *skb, const struct tcphdr_w *th,
			     const struct tcp_opts *to)
{
	u32 ack = be32_to_cpu(th->ack_seq), seq = be32_to_cpu(th->seq);
	bool ack_ok = (th->flags & TH_ACK) && seq_gt(ack, tp->iss) && seq_le(ack, tp->snd_max);

	if ((th->flags & TH_ACK) && !ack_ok) {
		if (!(th->flags & TH_RST))
			tcp_reset_reply(skb, tp->ops->xmit);
		return;
	}
	if (th->flags & TH_RST) {
		if (ack_ok)
			tcp_abort(tp, ECONNREFUSED);
		return;
	}
	if (!(th->flags & TH_SYN))
		return;
	tp->irs = seq;
	tp->rcv_nxt = seq + 1;
	tp->snd_wl1 = seq;
	negotiate(tp, to, true);
	tp->snd_wnd = be16_to_cpu(th->window);	/* never scaled in a SYN */
	tp->max_window = tp->snd_wnd;
	if (!ack_ok) {				/* simultaneous open */
		tp->state = TCP_SYN_RECV;
		tcp_xmit(tp, tp->iss, TH_SYN | TH_ACK, 0);
		return;
	}
	tp->snd_una = ack;
	tp->snd_wl2 = ack;
	if (to->ts && to->tsecr)
		rtt_sample(tp, (u64)(tcp_time_stamp() - to->tsecr) * 1000000);
	else if (tp->retries == 0)
		rtt_sample(tp, now_ns() - tp->rtt_start);
	tp->rtt_timing = false;
	established(tp);
	tcp_send_ack(tp);
}

/* Step one: is the segment acceptable (RFC 9293 3.10.7.4, the table)? */
static bool seq_acceptable(const struct tcp_sock *tp, u32 seq, u32 seglen)
{
	u32 wnd = rcv_window(tp);

	if (seq_gt(tp->rcv_adv, tp->rcv_nxt + wnd))
		wnd = tp->rcv_adv - tp->rcv_nxt;	/* never shrink what we offered */
	if (seglen == 0)
		return wnd == 0 ? seq == tp->rcv_nxt : seq_between(seq, tp->rcv_nxt, tp->rcv_nxt + wnd) ||
							seq == tp->rcv_nxt + wnd;
	if (wnd == 0)
		return false;
	return seq_between(seq, tp->rcv_nxt, tp->rcv_nxt + wnd) ||
	       seq_between(seq + seglen - 1, tp->rcv_nxt, tp->rcv_nxt + wnd);
}

/* Steps two and three: RST and SYN in a synchronized state.  False: stop. */
static bool check_rst_syn(struct tcp_sock *tp, const struct tcphdr_w *th, u32 seq)
{
	if (th->flags & TH_RST) {
		if (seq != tp->rcv_nxt) {
			tcp_send_ack(tp);	/* challenge ACK (RFC 5961 3.2) */
			return false;
		}
		if (tp->state == TCP_SYN_RECV && tp->parent != NULL) {
			tcp_set_closed(tp);	/* back to LISTEN: the embryo goes */
			return false;
		}
		tp->err = (tp->state == TCP_CLOSE_WAIT || tp->state == TCP_ESTABLISHED ||
			   tp->state == TCP_FIN_WAIT1 || tp->state == TCP_FIN_WAIT2) ? ECONNRESET :
			  tp->state == TCP_SYN_RECV ? ECONNREFUSED : 0;
		if (tp->state == TCP_TIME_WAIT || tp->state == TCP_CLOSING || tp->state == TCP_LAST_ACK)
			tp->err = 0;
		tcp_set_closed(tp);
		return false;
	}
	if (th->flags & TH_SYN) {
		tcp_send_ack(tp);		/* RFC 5961 4.2 */
		return false;
	}
	return true;
}

/* Step five for the closing states: our FIN acknowledged? */
static bool ack_state_changes(struct tcp_sock *tp)
{
	bool fin_acked = tp->fin_acked;

	switch (tp->state) {
	case TCP_FIN_WAIT1:
		if (fin_acked) {
			tp->state = TCP_FIN_WAIT2;
			if (tp->orphan)
				ktimer_start(&tp->tw_timer, now_ns() + TCP_FIN_TIMEOUT);
			tcp_wake(tp, POLLOUT);
		}
		break;
	case TCP_CLOSING:
		if (fin_acked)
			enter_time_wait(tp);
		break;
	case TCP_LAST_ACK:
		if (fin_acked) {
			tcp_set_closed(tp);
			return false;
		}
		break;
	default:
		break;
	}
	return true;
}

/* SYN-RECEIVED, on an acceptable ACK: established, on the accept queue. */
static bool syn_recv_ack(struct tcp_sock *tp, struct sk_buff *skb, const struct tcphdr_w *th)
{
	u32 ack = be32_to_cpu(th->ack_seq);
	struct tcp_sock *lp = tp->parent;

	if (!seq_gt(ack, tp->snd_una) || seq_gt(ack, tp->snd_max)) {
		tcp_reset_reply(skb, tp->ops->xmit);
		return false;
	}
	if (tp->rtt_timing || tp->retries == 0)
		rtt_sample(tp, now_ns() - tp->rtt_start);
	tp->rtt_timing = false;
	tp->snd_una = ack;
	tp->snd_wnd = (u32)be16_to_cpu(th->window) << tp->snd_wscale;
	tp->max_window = tp->snd_wnd;
	tp->snd_wl1 = be32_to_cpu(th->seq);
	tp->snd_wl2 = ack;
	established(tp);
	if (lp != NULL) {
		list_del(&tp->child_link);
		list_add_tail(&tp->child_link, &lp->acceptq);
		lp->nr_syn--;
		lp->nr_accept++;
		tcp_wake(lp, POLLIN | POLLRDNORM);
	}
	return true;
}

/* *skbp becomes NULL when its data is kept on the receive queue (th and payload stay valid). */
static void tcp_rcv_synced(struct tcp_sock *tp, struct sk_buff **skbp, const struct tcphdr_w *th,
			   const struct tcp_opts *to, const u8 *payload, u32 dlen)
{
	u32 seq = be32_to_cpu(th->seq);
	u32 seglen = dlen + ((th->flags & TH_FIN) ? 1 : 0) + ((th->flags & TH_SYN) ? 1 : 0);

	if (!seq_acceptable(tp, seq, seglen)) {
		if (!(th->flags & TH_RST))
			tcp_send_ack(tp);
		return;
	}
	if (!check_rst_syn(tp, th, seq))
		return;
	if (!(th->flags & TH_ACK))
		return;
	if (tp->state == TCP_SYN_RECV && !syn_recv_ack(tp, *skbp, th))
		return;
	/* RFC 7323 4.3: only a newer TSval at the left edge updates TS.Recent. */
	if (to->ts && seq_le(seq, tp->rcv_nxt) && seq_ge(to->tsval, tp->ts_recent))
		tp->ts_recent = to->tsval;
	if (!tcp_ack(tp, th, seq, dlen, to) || !ack_state_changes(tp))
		return;
	if (tp->state == TCP_TIME_WAIT) {
		if (th->flags & TH_FIN) {	/* the peer resent its FIN: our ACK was lost */
			tcp_send_ack(tp);
			ktimer_start(&tp->tw_timer, now_ns() + tcp_timewait_ns);
		}
		return;
	}
	tp->keep_probes = 0;
	keep_arm(tp, tp->keepidle);
	if (dlen > 0 && tp->orphan && (tp->state == TCP_FIN_WAIT1 || tp->state == TCP_FIN_WAIT2) &&
	    seq_gt(seq + dlen, tp->rcv_nxt)) {
		/* New data for a socket the application closed: nobody will
		 * read it.  RST, so the peer's next write gets EPIPE (Linux's
		 * tcp_rcv_state_process, RFC 9293 3.10.7.4). */
		tcp_abort(tp, 0);
		return;
	}
	if (dlen > 0 && (tp->state == TCP_ESTABLISHED || tp->state == TCP_FIN_WAIT1 ||
			 tp->state == TCP_FIN_WAIT2))
		tcp_data(tp, skbp, seq, payload, dlen);
	if ((th->flags & TH_FIN) && !tp->fin_rcvd && seq + dlen == tp->rcv_nxt)
		tcp_fin(tp);
	if (seglen > 0) {
		bool ooo = !list_empty(&tp->ooo) || seq != tp->rcv_nxt - seglen;

		/* Delayed ACK (RFC 9293 3.8.6.3): every second full segment, or 40 ms. */
		if (ooo || (th->flags & TH_FIN) || ++tp->unacked >= 2 || dlen < tp->mss || tp->quickacks > 0) {
			if (tp->quickacks > 0 && dlen > 0)
				tp->quickacks--;
			tcp_send_ack(tp);
		}
		else if (!ktimer_armed(&tp->delack_timer))
			ktimer_start(&tp->delack_timer, now_ns() + TCP_DELACK);
	}
	tcp_push(tp, false);
}

void tcp_rcv(struct tcp_sock *tp, struct sk_buff *skb)
{
	const struct tcphdr_w *th = (const struct tcphdr_w *)skb->data;
	u32 hlen = (u32)(th->doff >> 4) * 4;
	struct tcp_opts to;

	if (skb->len < TCP_HDR || hlen < TCP_HDR || hlen > skb->len)
		goto out;
	parse_options(skb->data + TCP_HDR, hlen - TCP_HDR, &to);
	switch (tp->state) {
	case TCP_CLOSED:
		tcp_reset_reply(skb, tp->ops->xmit);
		break;
	case TCP_LISTEN:
		tcp_rcv_listen(tp, skb, th, &to);
		break;
	case TCP_SYN_SENT:
		tcp_rcv_syn_sent(tp, skb, th, &to);
		break;
	default:
		tcp_rcv_synced(tp, &skb, th, &to, skb->data + hlen, skb->len - hlen);
		break;
	}
out:
	kfree_skb(skb);
}

/* ---- user calls ---- */

void tcp_reinit(struct tcp_sock *tp)
{
	timers_cancel(tp);
	skb_queue_purge(&tp->ooo);
	tp->ooo_bytes = 0;
	rcvq_purge(&tp->sndq);
	rcvq_purge(&tp->rcvq);
	tp->fin_queued = tp->fin_acked = tp->fin_rcvd = false;
	tp->iss = tp->snd_una = tp->snd_nxt = tp->snd_max = 0;
	tp->snd_wnd = tp->snd_wl1 = tp->snd_wl2 = tp->max_window = 0;
	tp->irs = tp->rcv_nxt = tp->rcv_adv = 0;
	tp->snd_wscale = tp->rcv_wscale = 0;
	tp->ws_ok = tp->ts_ok = tp->sack_ok = false;
	tp->ts_recent = 0;
	tp->unacked = 0;
	tp->nr_sacks = 0;
	tp->mss = TCP_MSS_DEFAULT;
	tp->pmtu = 65535;
	tp->cwnd = tp->ssthresh = tp->recover = tp->dupacks = 0;
	tp->in_recovery = false;
	tp->bytes_acked = tp->last_advance = 0;
	tp->srtt = tp->rttvar = 0;
	tp->rto = TCP_RTO_INIT;
	tp->rtt_valid = tp->rtt_timing = false;
	tp->retries = 0;
	tp->rexmit_stamp = 0;
	tp->keep_probes = 0;
	tp->err = tp->soft_err = 0;
	tp->stats_retrans = 0;
	tp->state = TCP_CLOSED;
}

int tcp_connect(struct tcp_sock *tp)
{
	if (tp->state != TCP_CLOSED)
		return -EISCONN;
	if (size_queues(tp) < 0)
		return -ENOMEM;
	tp->iss = new_iss();
	tp->snd_una = tp->snd_max = tp->recover = tp->iss;
	tp->rcv_wscale = wscale_for(tp->rcvbuf);
	route_pmtu(tp);
	tp->ws_ok = tp->sack_ok = tp->ts_ok = true;	/* offered; negotiate() settles */
	tp->state = TCP_SYN_SENT;
	tp->err = 0;
	tp->retries = 0;
	tp->rtt_start = now_ns();
	tcp_send_syn(tp);
	tp->snd_nxt = tp->snd_max = tp->iss + 1;
	rtx_arm(tp);
	return 0;
}

int tcp_listen(struct tcp_sock *tp, int backlog)
{
	if (tp->state != TCP_CLOSED && tp->state != TCP_LISTEN)
		return -EINVAL;
	tp->state = TCP_LISTEN;
	tp->backlog = backlog;
	return 0;
}

struct tcp_sock *tcp_accept(struct tcp_sock *lp)
{
	struct tcp_sock *c;

	if (list_empty(&lp->acceptq))
		return NULL;
	c = list_first_entry(&lp->acceptq, struct tcp_sock, child_link);
	list_del(&c->child_link);
	c->parent = NULL;
	lp->nr_accept--;
	return c;
}

u32 tcp_send_room(const struct tcp_sock *tp)
{
	return tp->sndq.cap - tp->sndq.len;
}

static long copy_from_kbuf(void *ctx, u8 *dst, u32 len)
{
	const u8 **p = ctx;

	memcpy(dst, *p, len);
	*p += len;
	return 0;
}

long tcp_send(struct tcp_sock *tp, const u8 *buf, u32 n)
{
	return tcp_send_copy(tp, n, copy_from_kbuf, &buf);
}

/*
 * Queues up to n bytes, copied in through copy buffer by buffer.  A copy
 * may sleep, and input meanwhile may drop the buffer being filled (all
 * its bytes acknowledged): the writer holds a reference across the copy
 * and puts the buffer back at the tail.  A failed copy ends it: the
 * bytes before it are queued and counted; with none, the error.
 */
long tcp_send_copy(struct tcp_sock *tp, u32 n, long (*copy)(void *ctx, u8 *dst, u32 len), void *ctx)
{
	struct skb_bytes *q = &tp->sndq;
	u32 done = 0;
	long err = 0;

	if (tp->err)
		return -tp->err;
	if (tp->fin_queued || (tp->state != TCP_ESTABLISHED && tp->state != TCP_CLOSE_WAIT))
		return -EPIPE;
	n = min(n, q->cap - q->len);
	while (done < n) {
		struct sk_buff *t = sndq_tail(tp, n - done);
		u32 k;

		if (t == NULL) {
			err = -ENOMEM;
			break;
		}
		k = min(n - done, skb_tailroom(t));
		t->users++;
		err = copy(ctx, t->data + t->len, k);
		if (list_empty(&t->list)) {	/* dropped meanwhile: ours is the last reference */
			t->seq = tp->snd_una + q->len;
			list_add_tail(&t->list, &q->q);
		} else {
			kfree_skb(t);		/* the queue keeps its own */
		}
		if (err < 0)
			break;
		skb_put(t, k);
		q->len += k;
		done += k;
	}
	return done ? (long)done : err;
}

/*
 * Copies up to n queued bytes out through copy, buffer by buffer (a copy
 * may sleep: input meanwhile only appends).  A copy that fails ends it:
 * the bytes copied before are taken and counted, as Linux's tcp_recvmsg;
 * with none, the error.
 */
long tcp_recv_copy(struct tcp_sock *tp, u32 n, long (*copy)(void *ctx, const u8 *src, u32 len),
		   void *ctx, bool peek)
{
	struct skb_bytes *q = &tp->rcvq;
	struct sk_buff *skb;
	u32 done = 0;
	long err = 0;

	n = min(n, q->len);
	skb = list_empty(&q->q) ? NULL : list_first_entry(&q->q, struct sk_buff, list);
	while (done < n) {
		u32 k = min(n - done, skb->len);

		err = copy(ctx, skb->data, k);
		if (err < 0)
			break;
		done += k;
		skb = list_entry(skb->list.next, struct sk_buff, list);
	}
	if (done == 0)
		return err;
	if (!peek)
		rcvq_drop(q, done);
	return done;
}

static long copy_to_kbuf(void *ctx, const u8 *src, u32 len)
{
	u8 **p = ctx;

	memcpy(*p, src, len);
	*p += len;
	return 0;
}

u32 tcp_recv(struct tcp_sock *tp, u8 *buf, u32 n, bool peek)
{
	return (u32)tcp_recv_copy(tp, n, copy_to_kbuf, &buf, peek);
}

void tcp_rcv_space(struct tcp_sock *tp)
{
	u32 wnd = rcv_window(tp);
	u32 offered = seq_gt(tp->rcv_adv, tp->rcv_nxt) ? tp->rcv_adv - tp->rcv_nxt : 0;

	if (tp->state < TCP_ESTABLISHED || tp->state == TCP_CLOSE_WAIT || tp->fin_rcvd)
		return;
	/* RFC 9293 3.8.6.2.2: announce when it grew by an MSS or half the buffer. */
	if (wnd > offered && wnd - offered >= min(tp->rcvq.cap / 2, 2 * tp->mss))
		tcp_send_ack(tp);
}

void tcp_shutdown_send(struct tcp_sock *tp)
{
	if (tp->fin_queued)
		return;
	switch (tp->state) {
	case TCP_ESTABLISHED:
		tp->state = TCP_FIN_WAIT1;
		break;
	case TCP_CLOSE_WAIT:
		tp->state = TCP_LAST_ACK;
		break;
	case TCP_SYN_RECV:
		tp->state = TCP_FIN_WAIT1;
		break;
	default:
		return;
	}
	tp->fin_queued = true;
	tcp_push(tp, false);
}

void tcp_abort(struct tcp_sock *tp, int err)
{
	if (tp->state >= TCP_SYN_RECV && tp->state != TCP_TIME_WAIT)
		send_reset(tp, tp->snd_nxt, 0, false);
	tp->err = err;
	tcp_set_closed(tp);
}

static void close_listener(struct tcp_sock *tp)
{
	struct tcp_sock *c, *n;

	list_for_each_entry_safe(c, n, &tp->synq, child_link)
		tcp_abort(c, ECONNRESET);
	list_for_each_entry_safe(c, n, &tp->acceptq, child_link) {
		list_del(&c->child_link);
		c->parent = NULL;
		c->orphan = true;
		tp->nr_accept--;
		tcp_abort(c, ECONNRESET);
	}
}

void tcp_unlisten(struct tcp_sock *tp)
{
	if (tp->state != TCP_LISTEN)
		return;
	close_listener(tp);
	tp->state = TCP_CLOSED;
	tcp_wake(tp, POLLIN | POLLHUP);
}

void tcp_close(struct tcp_sock *tp)
{
	tp->orphan = true;
	switch (tp->state) {
	case TCP_LISTEN:
		close_listener(tp);
		tcp_set_closed(tp);
		return;
	case TCP_CLOSED:
	case TCP_SYN_SENT:
		tcp_set_closed(tp);
		return;
	default:
		break;
	}
	/* Unread data or SO_LINGER 0: reset, as Linux (RFC 2525 2.17). */
	if (tp->rcvq.len > 0 || tp->linger0) {
		tcp_abort(tp, 0);
		return;
	}
	tcp_shutdown_send(tp);
	if (tp->state == TCP_FIN_WAIT2)
		ktimer_start(&tp->tw_timer, now_ns() + TCP_FIN_TIMEOUT);
}

void tcp_icmp_error(struct tcp_sock *tp, int err, u32 mtu)
{
	if (mtu) {
		if (mtu >= 68 && mtu < tp->pmtu) {
			tp->pmtu = mtu;
			tp->mss = min(tp->mss, mtu - 40 - (tp->ts_ok ? 12 : 0));
			tp->snd_nxt = tp->snd_una;	/* resend at the new size */
			tcp_push(tp, false);
		}
		return;
	}
	/* Linux's tcp_v4_err: an ICMP error ends a connect (ECONNREFUSED,
	 * EHOSTUNREACH, ENETUNREACH...); later it is only remembered. */
	if (tp->state == TCP_SYN_SENT) {
		tcp_abort(tp, err);
		return;
	}
	tp->soft_err = err;
}

unsigned tcp_poll_mask(const struct tcp_sock *tp)
{
	unsigned mask = 0;

	if (tp->state == TCP_LISTEN)
		return list_empty(&tp->acceptq) ? 0 : POLLIN | POLLRDNORM;
	if (tp->err)
		mask |= POLLERR;
	if (tp->state == TCP_CLOSED || (tp->fin_queued && tp->fin_rcvd))
		mask |= POLLHUP;
	if (tp->fin_rcvd || tp->state == TCP_CLOSED)
		mask |= POLLIN | POLLRDNORM | POLLRDHUP;
	if (tp->rcvq.len > 0)
		mask |= POLLIN | POLLRDNORM;
	if (tp->state == TCP_SYN_SENT || tp->state == TCP_SYN_RECV)
		return mask;
	if (tp->state != TCP_CLOSED && !tp->fin_queued) {
		if (tcp_send_room(tp) >= min(tp->sndq.cap / 2, 65536u) || tp->sndq.cap == 0)
			mask |= POLLOUT | POLLWRNORM;
	} else if (tp->state == TCP_CLOSED) {
		mask |= POLLOUT | POLLWRNORM;
	}
	return mask;
}
