/* unit-sources: net/tcp.c net/skbuff.c net/checksum.c */
/*
 * test_tcp.c - the TCP engine back to back: two endpoints (a listener's
 * child and a connecting socket) joined by a simulated wire that can
 * lose, duplicate and reorder segments, on a fake clock that jumps to
 * the next timer when the wire is idle.  Covers sequence arithmetic, the
 * checksum, the handshake and option negotiation, bulk transfer in both
 * directions under loss, segments sharing the send queue's buffers, the
 * receive queue packing tiny segments, half-close, close and TIME_WAIT, RST on a port
 * nobody listens on, zero-window probing, retransmission give-up and
 * keepalive, and reset on close with unread data.
 */
#include "kernel/kernel.h"
#include "kernel/inet.h"
#include "uapi/asm-generic/poll.h"

int printf(const char *fmt, ...);
extern void *stdout;
int setvbuf(void *f, char *buf, int mode, size_t size);
void *malloc(size_t n);
void free(void *p);
void *memset(void *s, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memcpy(void *d, const void *s, size_t n);

/* ---- fakes: memory, clock, randomness, timers, wake-ups ---- */
static u64 now;
struct live_counts live;
int leak_test_kind = -1;	/* leak_test= is off: leak_test_fire is never called */
bool leak_test_fire(void) { return false; }
static u32 rng = 12345;

void *kmalloc(size_t n) { return malloc(n); }
void *kzalloc(size_t n) { void *p = malloc(n); if (p) memset(p, 0, n); return p; }
void kfree(const void *p) { free((void *)p); }
uint64_t os_monotonic_ns(void) { return now; }
static u32 rnd(void) { rng = rng * 1103515245 + 12345; return (rng >> 8) & 0xffffff; }
void os_getrandom(void *buf, uint64_t len)
{
	u8 *b = buf;
	uint64_t i;

	for (i = 0; i < len; i++)
		b[i] = (u8)rnd();
}
void panic(const char *fmt, ...) { printf("panic %s\n", fmt); __builtin_trap(); }
void wake_up_poll(struct wait_queue *wq, unsigned key) { }

static LIST_HEAD(timers);
void ktimer_start(struct ktimer *t, u64 expires)
{
	struct ktimer *pos;

	if (ktimer_armed(t))
		list_del(&t->link);
	t->expires = expires;
	list_for_each_entry(pos, &timers, link)
		if (pos->expires > expires)
			break;
	list_add_tail(&t->link, &pos->link);
}
bool ktimer_cancel(struct ktimer *t)
{
	bool armed = ktimer_armed(t);

	list_del(&t->link);
	return armed;
}

/* ---- harness ---- */
static int failed, num;
static void ok(int cond, const char *name)
{
	num++;
	printf("%s %d %s\n", cond ? "ok" : "not ok", num, name);
	if (!cond)
		failed++;
}

/* ---- the wire ---- */
/* The engine is family-neutral: these endpoints talk over IPv6 addresses (2001:db8::1, ::2). */
static const struct in6k A_ADDR = { .b = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 } };
static const struct in6k B_ADDR = { .b = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 } };
struct pkt {
	struct list_head link;
	struct sk_buff *skb;
	u64 at;
};
static LIST_HEAD(wire);
static int loss_pct, dup_pct, reorder_pct, hold_pct;
static struct sk_buff *held;		/* hold_pct: a segment sent after the next one */
static bool blackhole;
static int drop_data;			/* drop the next N segments that carry data */
static long rto_fires;			/* retransmission timeouts of every endpoint */
static long sent_segs, dropped;
static long data_segs, shared_segs;	/* segments with data; of those, sharing the send queue's bytes */
#define MAX_EPS 16
static struct tcp_sock *eps[MAX_EPS];		/* every endpoint alive */
static int destroyed;

static void put_on_wire(struct sk_buff *skb, u64 delay)
{
	struct pkt *p = malloc(sizeof(*p)), *pos;

	p->skb = skb;
	p->at = now + delay;
	list_for_each_entry(pos, &wire, link)
		if (pos->at > p->at)
			break;
	list_add_tail(&p->link, &pos->link);
}

static void fill_csum(struct sk_buff *skb)
{
	struct tcphdr_w *th = (struct tcphdr_w *)skb->data;

	th->check = 0;
	th->check = csum_fold(csum_partial(skb->data, skb->len,
					   csum_pseudo6(&skb->saddr6, &skb->daddr6, IPPROTO_TCP, skb->len)));
}

static void xmit(struct tcp_sock *tp, struct sk_buff *skb)
{
	u64 delay = 100000;		/* 0.1 ms one way */

	sent_segs++;
	if (skb->len > (u32)(((struct tcphdr_w *)skb->data)->doff >> 4) * 4) {
		data_segs++;
		shared_segs += skb->owner != NULL;
	}
	fill_csum(skb);
	if (drop_data > 0 && skb->len > (u32)(((struct tcphdr_w *)skb->data)->doff >> 4) * 4) {
		drop_data--;
		dropped++;
		kfree_skb(skb);
		return;
	}
	if (blackhole || (int)(rnd() % 100) < loss_pct) {
		dropped++;
		kfree_skb(skb);
		return;
	}
	if ((int)(rnd() % 100) < dup_pct) {
		struct sk_buff *c = skb_copy(skb);

		if (c)
			put_on_wire(c, delay + 50000);
	}
	if ((int)(rnd() % 100) < reorder_pct)
		delay += 300000;
	/* As the host transports' reorder=: one segment held back until the next. */
	if (hold_pct && held == NULL && (int)(rnd() % 100) < hold_pct) {
		held = skb;
		return;
	}
	put_on_wire(skb, delay);
	if (held) {
		put_on_wire(held, delay);
		held = NULL;
	}
}

static void ep_add(struct tcp_sock *tp)
{
	int i;

	for (i = 0; i < MAX_EPS; i++)
		if (eps[i] == NULL) {
			eps[i] = tp;
			return;
		}
}

static void destroy(struct tcp_sock *tp)
{
	int i;

	for (i = 0; i < MAX_EPS; i++)
		if (eps[i] == tp)
			eps[i] = NULL;
	destroyed++;
	tcp_free(tp);
}

static struct tcp_sock *child(struct tcp_sock *lp);
static const struct tcp_ops ops = { xmit, child, destroy };

static struct tcp_sock *child(struct tcp_sock *lp)
{
	struct tcp_sock *c = tcp_alloc(&ops, NULL);

	c->rcvbuf = lp->rcvbuf;
	c->pmtu = lp->pmtu;
	c->sndbuf = lp->sndbuf;
	ep_add(c);
	return c;
}

/* The endpoint a segment is for: the exact four-tuple, else a listener. */
static struct tcp_sock *demux(struct sk_buff *skb)
{
	const struct tcphdr_w *th = (const struct tcphdr_w *)skb->data;
	struct tcp_sock *l = NULL;
	int i;

	for (i = 0; i < MAX_EPS; i++) {
		struct tcp_sock *t = eps[i];

		if (t == NULL || t->sport != th->dest || !in6_eq(&t->saddr, &skb->daddr6))
			continue;
		if (t->state == TCP_LISTEN)
			l = t;
		else if (t->dport == th->source && in6_eq(&t->daddr, &skb->saddr6))
			return t;
	}
	return l;
}

/* Delivers what is on the wire until due; false when the wire is empty. */
static bool wire_step(void)
{
	struct pkt *p;
	struct sk_buff *skb;
	struct tcp_sock *tp;

	if (list_empty(&wire))
		return false;
	p = list_first_entry(&wire, struct pkt, link);
	if (p->at > now)
		now = p->at;
	list_del(&p->link);
	skb = p->skb;
	free(p);
	if (csum_fold(csum_partial(skb->data, skb->len,
				   csum_pseudo6(&skb->saddr6, &skb->daddr6, IPPROTO_TCP, skb->len))) != 0) {
		printf("# bad checksum on the wire\n");
		failed++;
	}
	tp = demux(skb);
	if (tp)
		tcp_rcv(tp, skb);
	else
{
		tcp_reset_reply(skb, xmit);
		kfree_skb(skb);
	}
	return true;
}

/* Runs the wire and the timers until cond() or the fake clock passes limit. */
static void run_until(bool (*cond)(void), u64 limit)
{
	while (!(cond && cond()) && now < limit) {
		u64 next_timer = list_empty(&timers) ? ~0ULL :
				 list_first_entry(&timers, struct ktimer, link)->expires;
		u64 next_pkt = list_empty(&wire) ? ~0ULL :
			       list_first_entry(&wire, struct pkt, link)->at;

		if (min(next_timer, next_pkt) > limit) {
			now = limit;
			break;
		}
		if (next_timer <= next_pkt) {
			struct ktimer *t = list_first_entry(&timers, struct ktimer, link);

			if (t->expires > now)
				now = t->expires;
			list_del(&t->link);
			for (int i = 0; i < MAX_EPS; i++)
				if (eps[i] && t == &eps[i]->rtx_timer)
					rto_fires++;
			t->fn(t);
		} else {
			wire_step();
		}
	}
}

static struct tcp_sock *listener, *client, *server;
static u32 client_pmtu = 65535;

static bool client_established(void)
{
	return client->state == TCP_ESTABLISHED && !list_empty(&listener->acceptq);
}

/* A listener on B:80 and a client A:port connected to it; server accepted. */
static void setup_pair(u16 port, u32 rcvbuf)
{
	listener = tcp_alloc(&ops, NULL);
	listener->saddr = B_ADDR;
	listener->sport = cpu_to_be16(80);
	listener->rcvbuf = listener->sndbuf = rcvbuf;
	listener->pmtu = client_pmtu;
	tcp_listen(listener, 8);
	ep_add(listener);
	client = tcp_alloc(&ops, NULL);
	client->saddr = A_ADDR;
	client->daddr = B_ADDR;
	client->sport = cpu_to_be16(port);
	client->dport = cpu_to_be16(80);
	client->rcvbuf = client->sndbuf = rcvbuf;
	client->pmtu = client_pmtu;
	ep_add(client);
	tcp_connect(client);
	run_until(client_established, now + 60ULL * 1000000000);
	server = tcp_accept(listener);
}

static void close_listener(void)
{
	tcp_close(listener);
	listener = NULL;
}

static void test_seq(void)
{
	ok(seq_lt(0xfffffff0u, 0x10), "seq_lt across the wrap");
	ok(seq_gt(0x10, 0xfffffff0u), "seq_gt across the wrap");
	ok(seq_le(5, 5) && seq_ge(5, 5) && !seq_lt(5, 5), "seq_le/ge equal");
	ok(seq_between(0xffffffffu, 0xfffffff0u, 0x20), "seq_between across the wrap");
	ok(!seq_between(0x20, 0xfffffff0u, 0x20), "seq_between excludes the end");
}

static u8 *pattern(size_t n, u32 seed);

static void test_csum(void)
{
	/* RFC 1071 section 3's example words: 0001 f203 f4f5 f6f7 sum to ddf2. */
	u8 b[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
	u16 c = csum_fold(csum_partial(b, sizeof(b), 0));

	ok(be16_to_cpu(c) == (u16)~0xddf2, "RFC 1071 example checksum");
	ok(csum_partial("\x12", 1, 0) == 0x1200, "odd length pads with zero");

	/* The word-at-a-time sum against RFC 1071's definition: any length, alignment, seed. */
	u8 *buf = pattern(4096 + 8, 5);
	int bad = 0;

	for (int i = 0; i < 2000; i++) {
		size_t off = rnd() % 8, n = rnd() % 4096;
		u32 seed = rnd() * 977u, ref = seed;
		u64 r = seed;

		for (size_t k = 0; k + 1 < n; k += 2)
			r += (u32)((buf[off + k] << 8) | buf[off + k + 1]);
		if (n & 1)
			r += (u32)buf[off + n - 1] << 8;
		while (r >> 32)
			r = (r & 0xffffffff) + (r >> 32);
		ref = (u32)r;
		if (csum_fold(csum_partial(buf + off, n, seed)) != csum_fold(ref))
			bad++;
	}
	ok(bad == 0, "word-at-a-time checksum equals the 16-bit definition (2000 random buffers)");
	free(buf);
}

static u8 *pattern(size_t n, u32 seed)
{
	u8 *p = malloc(n);
	size_t i;

	for (i = 0; i < n; i++) {
		seed = seed * 1664525 + 1013904223;
		p[i] = (u8)(seed >> 24);
	}
	return p;
}

/* Moves n bytes from src to dst through the engines; returns bytes received intact. */
static size_t transfer(struct tcp_sock *src, struct tcp_sock *dst, const u8 *data, size_t n, u8 *out)
{
	size_t sent = 0, got = 0;
	u64 limit = now + 600ULL * 1000000000;

	while (got < n && now < limit) {
		long w = tcp_send(src, data + sent, (u32)min(n - sent, (size_t)65536));

		if (w > 0) {
			sent += (size_t)w;
			tcp_push(src, false);
		}
		if (!wire_step()) {
			run_until(NULL, list_empty(&timers) ? now :	/* fire the next timer */
				  list_first_entry(&timers, struct ktimer, link)->expires);
			if (list_empty(&wire) && list_empty(&timers))
				break;
		}
		if (tcp_readable(dst)) {
			got += tcp_recv(dst, out + got, (u32)(n - got), false);
			tcp_rcv_space(dst);
		}
		if (w < 0)
			break;
	}
	return got;
}

static void test_handshake(void)
{
	setup_pair(40000, 212992);
	ok(client->state == TCP_ESTABLISHED, "client established");
	ok(server != NULL && server->state == TCP_ESTABLISHED, "server accepted, established");
	ok(client->ws_ok && server->ws_ok && client->snd_wscale == server->rcv_wscale &&
	   server->rcv_wscale > 0, "window scaling negotiated");
	ok(client->ts_ok && server->ts_ok, "timestamps negotiated");
	ok(client->sack_ok && server->sack_ok, "SACK permitted both ways");
	ok(client->mss == 65535 - 40 - 12 && server->mss == client->mss, "MSS from the SYN options");
	ok(listener->nr_accept == 0 && listener->nr_syn == 0, "listener queues empty after accept");
}

static void test_bulk(int loss, int dup, int reorder, const char *what)
{
	size_t n = 1 << 20;
	u8 *data = pattern(n, 7), *out = malloc(n);
	size_t got;

	loss_pct = loss; dup_pct = dup; reorder_pct = reorder;
	got = transfer(client, server, data, n, out);
	printf("# %s: %ld segments, %ld dropped, %llu retransmissions\n", what, sent_segs, dropped,
	       (unsigned long long)client->stats_retrans);
	ok(got == n && memcmp(data, out, n) == 0, what);
	got = transfer(server, client, data, n / 2, out);
	if (got != n / 2)
		printf("# got %zu: server %s una %u nxt %u max %u wnd %u cwnd %u sndq %u err %d; client %s rcv_nxt %u ooo %u rcvq %u\n",
		       got, tcp_state_name(server->state), server->snd_una, server->snd_nxt, server->snd_max,
		       server->snd_wnd, server->cwnd, server->sndq.len, server->err, tcp_state_name(client->state),
		       client->rcv_nxt, client->ooo_bytes, client->rcvq.len);
	if (got != n / 2)
		printf("# now %llu rtx armed %d retries %d rto %llu timers %d wire %d\n", (unsigned long long)now, ktimer_armed(&server->rtx_timer), server->retries, (unsigned long long)server->rto, !list_empty(&timers), !list_empty(&wire));
	ok(got == n / 2 && memcmp(data, out, n / 2) == 0, "the other direction too");
	loss_pct = dup_pct = reorder_pct = 0;
	free(data);
	free(out);
}

/*
 * 64 KiB writes on a 64 KiB path: every data segment shares the send
 * queue's buffer (no copy on the way out), and the bytes still arrive
 * intact although the sender has dropped its own reference by then.
 */
static void test_shared_segments(void)
{
	size_t n = 4 << 20;
	u8 *data = pattern(n, 11), *out = malloc(n);
	size_t got;

	data_segs = shared_segs = 0;
	got = transfer(client, server, data, n, out);
	printf("# %ld data segments, %ld of them sharing the send queue's buffers\n", data_segs, shared_segs);
	ok(got == n && memcmp(data, out, n) == 0, "4 MiB in 64 KiB writes, intact");
	ok(data_segs > 0 && shared_segs == data_segs, "every segment shared its bytes with the send queue");
	free(data);
	free(out);
}

/*
 * A peer of 1-byte segments (TCP_NODELAY writes of one byte) to a reader
 * that does not read: the receive queue packs them, so its buffers stay
 * few (not one per byte); the bytes come out in order.
 */
static void test_tiny_segments(void)
{
	enum { N = 20000 };
	u8 *out = malloc(N);
	long before = live.skbs, segs = sent_segs;
	u32 got;
	int i, bad = 0;

	client->nodelay = true;
	for (i = 0; i < N; i++) {
		u8 b = (u8)(i * 7);

		if (tcp_send(client, &b, 1) != 1)
			break;
		tcp_push(client, false);
		while (wire_step())
			;
	}
	printf("# %d bytes in %ld segments; buffers: %ld more than before\n", i, sent_segs - segs,
	       live.skbs - before);
	ok(i == N && server->rcvq.len == N && sent_segs - segs >= N, "20000 1-byte segments queued unread");
	ok(live.skbs - before <= 2 * (N / 4096 + 2), "... in a few packed buffers, not one per segment");
	got = tcp_recv(server, out, N, false);
	for (i = 0; i < (int)got; i++)
		bad += out[i] != (u8)(i * 7);
	ok(got == N && bad == 0, "... read back in order");
	client->nodelay = false;
	free(out);
}

static void test_close(void)
{
	u8 buf[16];
	struct tcp_sock *c = client;

	tcp_shutdown_send(client);
	run_until(NULL, now + 1000000000ULL);
	ok(client->state == TCP_FIN_WAIT2, "active closer in FIN_WAIT2");
	ok(server->state == TCP_CLOSE_WAIT && (tcp_poll_mask(server) & POLLRDHUP), "peer sees EOF");
	ok(tcp_recv(server, buf, sizeof(buf), false) == 0, "read at EOF gives 0");
	ok(tcp_send(server, (const u8 *)"late", 4) == 4, "half-close: the peer still sends");
	tcp_push(server, false);
	run_until(NULL, now + 1000000000ULL);
	ok(tcp_recv(client, buf, sizeof(buf), false) == 4 && memcmp(buf, "late", 4) == 0,
	   "half-closed side still receives");
	tcp_close(server);
	run_until(NULL, now + 1000000000ULL);
	ok(client->state == TCP_TIME_WAIT, "active closer in TIME_WAIT");
	server = NULL;
	if (client->state != TCP_TIME_WAIT) {
		printf("# client in %s\n", tcp_state_name(client->state));
		return;
	}
	tcp_close(client);	/* the socket goes; the endpoint stays in TIME_WAIT */
	ok(c->state == TCP_TIME_WAIT, "orphan stays in TIME_WAIT");
	destroyed = 0;
	run_until(NULL, now + TCP_TIMEWAIT + 1000000000ULL);
	ok(destroyed == 1, "TIME_WAIT ends after 2 MSL and frees the endpoint");
	client = NULL;
	close_listener();
}

static void test_refused(void)
{
	struct tcp_sock *c = tcp_alloc(&ops, NULL);

	c->saddr = A_ADDR;
	c->daddr = B_ADDR;
	c->sport = cpu_to_be16(40100);
	c->dport = cpu_to_be16(81);
	ep_add(c);
	tcp_connect(c);
	run_until(NULL, now + 1000000000ULL);
	ok(c->state == TCP_CLOSED && c->err == ECONNREFUSED, "RST from a closed port: ECONNREFUSED");
	tcp_close(c);

	/* An ICMP host unreachable (or ARP giving up) ends a connect, as Linux's tcp_v4_err. */
	c = tcp_alloc(&ops, NULL);
	c->saddr = A_ADDR;
	c->daddr = B_ADDR;
	c->sport = cpu_to_be16(40101);
	c->dport = cpu_to_be16(81);
	ep_add(c);
	blackhole = true;
	tcp_connect(c);
	tcp_icmp_error(c, EHOSTUNREACH, 0);
	blackhole = false;
	ok(c->state == TCP_CLOSED && c->err == EHOSTUNREACH, "ICMP host unreachable in SYN_SENT: EHOSTUNREACH");
	tcp_close(c);
}

static bool client_window_closed(void)
{
	return client->snd_wnd == 0;
}

static void test_zero_window(void)
{
	size_t n = 300000, got = 0;
	u8 *data = pattern(n, 3), *out = malloc(n);
	long w;
	u64 t0, limit;

	setup_pair(40200, 65536);
	w = tcp_send(client, data, (u32)n);
	tcp_push(client, false);
	run_until(client_window_closed, now + 5000000000ULL);
	ok(client->snd_wnd == 0 && tcp_readable(server) > 0, "the receiver's window closes");
	t0 = sent_segs;
	run_until(NULL, now + 3000000000ULL);
	ok(sent_segs > (long)t0, "zero-window probes go out");
	limit = now + 100ULL * 1000000000;
	while (got < n && now < limit) {
		got += tcp_recv(server, out + got, (u32)(n - got), false);
		tcp_rcv_space(server);
		if ((size_t)w < n) {
			long k = tcp_send(client, data + w, (u32)(n - (size_t)w));

			if (k > 0)
				w += k;
			tcp_push(client, false);
		}
		if (!wire_step())
			run_until(NULL, list_empty(&timers) ? now :
				  list_first_entry(&timers, struct ktimer, link)->expires);
	}
	if (got != n)
		printf("# got %zu of %zu: client una %u nxt %u wnd %u sndq %u; server rcv_nxt %u rcvq %u\n", got, n,
		       client->snd_una, client->snd_nxt, client->snd_wnd, client->sndq.len, server->rcv_nxt,
		       server->rcvq.len);
	ok(got == n && memcmp(data, out, n) == 0, "window reopens, data intact");
	free(data);
	free(out);
	tcp_abort(client, 0);
	tcp_close(client);
	run_until(NULL, now + 1000000000ULL);
	ok(server->state == TCP_CLOSED && server->err == ECONNRESET, "abort: the peer gets ECONNRESET");
	tcp_close(server);
	close_listener();
	run_until(NULL, now + 1000000000ULL);
}

static void test_give_up(void)
{
	setup_pair(40300, 212992);
	blackhole = true;
	tcp_send(client, (const u8 *)"hello", 5);
	tcp_push(client, false);
	run_until(NULL, now + 3600ULL * 1000000000);
	ok(client->state == TCP_CLOSED && client->err == ETIMEDOUT, "retransmissions give up: ETIMEDOUT");
	ok(client->stats_retrans >= TCP_RETRIES, "retransmitted with backoff until then");
	blackhole = false;
	tcp_close(client);
	tcp_abort(server, 0);
	tcp_close(server);
	close_listener();
	run_until(NULL, now + 1000000000ULL);
}

static void test_keepalive(void)
{
	setup_pair(40400, 212992);
	client->keepidle = 10;
	client->keepintvl = 2;
	client->keepcnt = 3;
	tcp_set_keepalive(client, true);
	run_until(NULL, now + 30ULL * 1000000000);
	ok(client->state == TCP_ESTABLISHED, "keepalive probes answered: still up");
	blackhole = true;
	run_until(NULL, now + 60ULL * 1000000000);
	ok(client->state == TCP_CLOSED && client->err == ETIMEDOUT, "keepalive: a dead peer times out");
	blackhole = false;
	tcp_close(client);
	tcp_abort(server, 0);
	tcp_close(server);
	close_listener();
	run_until(NULL, now + 1000000000ULL);
}

static void test_unread_reset(void)
{
	setup_pair(40500, 212992);
	tcp_send(server, (const u8 *)"unread", 6);
	tcp_push(server, false);
	run_until(NULL, now + 1000000000ULL);
	ok(tcp_readable(client) == 6, "data waits unread");
	tcp_close(client);
	run_until(NULL, now + 1000000000ULL);
	ok(server->state == TCP_CLOSED && server->err == ECONNRESET, "close with unread data resets");
	tcp_close(server);
	close_listener();
	run_until(NULL, now + 1000000000ULL);
}

/*
 * One segment lost from a flight of two: limited transmit (RFC 3042)
 * sends new data on the first two duplicate ACKs, the third brings fast
 * retransmit; the duplicates carry an unchanged window although the
 * receiver holds out-of-order data (else they are not duplicates).
 */
static void test_small_window_loss(void)
{
	size_t n = 20 * 1448;
	u8 *data = pattern(n, 11), *out = malloc(n);
	long rto0 = rto_fires;
	u64 t0;
	size_t got;

	client_pmtu = 1500;
	setup_pair(40600, 212992);
	got = transfer(client, server, data, 1448, out);	/* the peer's window settled */
	client->cwnd = 2 * client->mss;
	client->ssthresh = 2 * client->mss;	/* congestion avoidance: cwnd stays small */
	t0 = now;
	drop_data = 1;
	got = transfer(client, server, data, n, out);
	ok(got == n && memcmp(data, out, n) == 0, "a loss in a two-segment window: intact");
	ok(client->stats_retrans == 1 && rto_fires == rto0,
	   "... recovered by fast retransmit after limited transmit, no timeout");
	ok(now - t0 < TCP_RTO_MIN, "... before a timeout could have fired (fake clock)");
	free(data);
	free(out);
	client_pmtu = 65535;
	tcp_abort(client, 0);
	tcp_close(client);
	tcp_close(server);
	close_listener();
	run_until(NULL, now + 1000000000ULL);
}

int main(void)
{
	int i, left = 0;

	setvbuf(stdout, NULL, 2 /* _IONBF */, 0);
	test_seq();
	test_csum();
	test_handshake();
	test_bulk(0, 0, 0, "1 MiB over a clean wire, intact");
	test_shared_segments();
	test_tiny_segments();
	test_close();
	client_pmtu = 1500;
	setup_pair(40050, 212992);
	ok(client->mss == 1500 - 40 - 12, "MSS follows a 1500-byte path");
	test_bulk(0, 0, 0, "1 MiB in 1448-byte segments, intact");
	test_bulk(5, 2, 5, "1 MiB with 5% loss, 2% duplication, 5% reordering, intact");
	test_bulk(20, 5, 20, "1 MiB with 20% loss, 5% duplication, 20% reordering, intact");
	hold_pct = 5;			/* net/lossy_stream's link: loss=5,reorder=5 */
	test_bulk(5, 0, 0, "1 MiB with 5% loss, 5% of segments after the next one, intact");
	hold_pct = 0;
	test_close();
	client_pmtu = 65535;
	test_refused();
	test_zero_window();
	test_give_up();
	test_keepalive();
	test_unread_reset();
	test_small_window_loss();
	run_until(NULL, now + TCP_TIMEWAIT * 2);
	for (i = 0; i < MAX_EPS; i++)
		left += eps[i] != NULL;
	ok(left == 0, "every endpoint freed at the end");
	ok(list_empty(&wire) && live.skbs == 0, "no buffer leaked");
	printf("%d of %d checks failed\n", failed, num);
	return failed != 0;
}
