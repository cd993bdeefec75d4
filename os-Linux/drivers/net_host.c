/*
 * net_host.c - host half of the Ethernet interfaces (include/shared/net.h).
 *
 * One thread per interface runs its transport:
 *   slirp   libslirp's user-mode NAT (10.0.2.0/24, host 10.0.2.2, DNS
 *           10.0.2.3, its DHCP server; IPv6 fec0::/64 by router
 *           advertisements, host fec0::2, DNS fec0::3; hostfwd= port
 *           forwards); every
 *           libslirp call happens on that thread, which polls slirp's
 *           sockets and an eventfd the kernel thread writes when it queued
 *           frames;
 *   tuntap  an existing tap device (or one created where permitted);
 *   mcast   frames as UDP datagrams to a multicast group, as UML's mcast
 *           transport: every instance on the group shares one LAN;
 *   pcap    a host interface through libpcap, as UML's pcap transport:
 *           frames captured on it (incoming only, with the BPF filter if
 *           given) go to the guest, the guest's are injected on it.
 * Frames from the kernel wait in a bounded queue (tx) for the thread;
 * frames for the kernel in another (rx), and the thread raises
 * OS_IRQ_NET.  loss=/dup=/reorder= percentages are applied to both
 * directions here; capture=FILE writes every frame, both ways, as a pcap
 * file (the classic format, LINKTYPE_ETHERNET).
 *
 * libslirp and libpcap are not linked: they (and glib, dbus, systemd,
 * gcrypt... behind them) would be loaded and relocated at every start.
 * The first interface of either transport dlopen()s its library
 * (host_lib_load); a host without it gets a boot error naming the
 * library and its package.  The headers give the functions' types.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <netinet/in.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <slirp/libslirp.h>
#include <pcap/pcap.h>
#include "shared/os.h"
#include "shared/net.h"

#define QUEUE_LEN	512
#define MAX_FWD		16
#define MAX_SLIRP_FDS	256

struct frame {
	uint32_t len;
	uint8_t data[NET_FRAME_MAX];
};

struct fqueue {
	struct frame *f;
	unsigned head, count;
};

enum transport { T_SLIRP, T_TUNTAP, T_MCAST, T_PCAP };

struct hostfwd {
	int udp;
	struct in_addr host;
	int host_port, guest_port;
};

struct nif {
	bool open;
	enum transport kind;
	pthread_t thread;
	pthread_mutex_t lock;
	struct fqueue tx, rx;
	int wake_fd;			/* eventfd: tx frames queued, or stop */
	volatile int stop;
	/* options */
	uint8_t mac[6];
	int loss, dup, reorder;		/* percent */
	FILE *capture;
	/* One frame held back to reorder, for each direction (0 to the
	 * kernel, 1 from it): a frame is only ever reordered with frames
	 * going its own way, never sent back where it came from. */
	struct frame held[2];
	bool holding[2];
	unsigned rng;
	/* tuntap, mcast */
	int fd, rfd;
	struct sockaddr_in group;
	/* pcap: its fd is fd and rfd, closed by pcap_close */
	pcap_t *pcap;
	/* slirp */
	Slirp *slirp;
	struct hostfwd fwd[MAX_FWD];
	int nfwd;
	struct pollfd pfds[MAX_SLIRP_FDS];
	int npfds;
	struct slirp_timer *timers;
};

static struct nif ifs[NET_MAX_IF];

/* ---- the transports' libraries, loaded on first use ---- */

#define SLIRP_FUNCS(X) X(slirp_new) X(slirp_add_hostfwd) X(slirp_cleanup) X(slirp_pollfds_fill) \
	X(slirp_pollfds_poll) X(slirp_input)
#define PCAP_FUNCS(X) X(pcap_activate) X(pcap_close) X(pcap_compile) X(pcap_create) X(pcap_datalink) \
	X(pcap_dispatch) X(pcap_freecode) X(pcap_get_selectable_fd) X(pcap_geterr) X(pcap_inject) \
	X(pcap_set_immediate_mode) X(pcap_set_promisc) X(pcap_set_snaplen) X(pcap_setdirection) \
	X(pcap_setfilter) X(pcap_setnonblock) X(pcap_statustostr)
#define FUNC_PTR(f) __typeof__(f) *f;

static struct { bool loaded; SLIRP_FUNCS(FUNC_PTR) } lib_slirp;
static struct { bool loaded; PCAP_FUNCS(FUNC_PTR) } lib_pcap;
static pthread_mutex_t lib_lock = PTHREAD_MUTEX_INITIALIZER;

struct host_lib {
	const char *what, *package;
	const char *const *sonames;	/* tried in order */
	bool *loaded;
	const char *const *names;	/* the functions, NULL-ended */
	void **ptrs;			/* where each one goes */
};

#define FUNC_NAME(f) #f,
#define FUNC_SLOT(s, f) (void *)&s.f,
#define SLIRP_SLOT(f) FUNC_SLOT(lib_slirp, f)
#define PCAP_SLOT(f) FUNC_SLOT(lib_pcap, f)

/* Opens the library and resolves every function, or says which one is
 * missing in err; a library already loaded costs the lock only.  The
 * handle is never closed: its functions live as long as the process. */
static int host_lib_load(const struct host_lib *l, char *err, size_t errlen)
{
	char why[160] = "";
	void *h = NULL;
	int i, r = 0;

	pthread_mutex_lock(&lib_lock);
	if (*l->loaded)
		goto out;
	for (i = 0; l->sonames[i] && h == NULL; i++) {
		h = dlopen(l->sonames[i], RTLD_NOW | RTLD_LOCAL);
		if (h == NULL && i == 0)
			snprintf(why, sizeof(why), "%s", dlerror());
	}
	if (h == NULL) {
		snprintf(err, errlen, "%s: cannot load the library: %s (Debian's package %s)", l->what, why,
			 l->package);
		r = -ENOENT;
		goto out;
	}
	for (i = 0; l->names[i]; i++) {
		void *f = dlsym(h, l->names[i]);

		if (f == NULL) {
			snprintf(err, errlen, "%s: %s has no %s (too old?)", l->what, l->sonames[0], l->names[i]);
			dlclose(h);
			r = -ENOENT;
			goto out;
		}
		memcpy(l->ptrs[i], &f, sizeof(f));
	}
	*l->loaded = true;
out:
	pthread_mutex_unlock(&lib_lock);
	return r;
}

static int slirp_lib_load(char *err, size_t errlen)
{
	static const char *const sonames[] = { "libslirp.so.0", "libslirp.so", NULL };
	static const char *const names[] = { SLIRP_FUNCS(FUNC_NAME) NULL };
	static void *ptrs[] = { SLIRP_FUNCS(SLIRP_SLOT) NULL };
	static const struct host_lib l = { "slirp", "libslirp0", sonames, &lib_slirp.loaded, names, ptrs };

	return host_lib_load(&l, err, errlen);
}

static int pcap_lib_load(char *err, size_t errlen)
{
	static const char *const sonames[] = { "libpcap.so.0.8", "libpcap.so.1", "libpcap.so", NULL };
	static const char *const names[] = { PCAP_FUNCS(FUNC_NAME) NULL };
	static void *ptrs[] = { PCAP_FUNCS(PCAP_SLOT) NULL };
	static const struct host_lib l = { "pcap", "libpcap0.8", sonames, &lib_pcap.loaded, names, ptrs };

	return host_lib_load(&l, err, errlen);
}

/* ---- queues and impairments ---- */

static int fq_init(struct fqueue *q)
{
	q->f = calloc(QUEUE_LEN, sizeof(*q->f));
	q->head = q->count = 0;
	return q->f ? 0 : -ENOMEM;
}

static bool fq_put(struct fqueue *q, const void *p, uint32_t len)
{
	struct frame *f;

	if (q->count == QUEUE_LEN || len > NET_FRAME_MAX)
		return false;
	f = &q->f[(q->head + q->count) % QUEUE_LEN];
	memcpy(f->data, p, len);
	f->len = len;
	q->count++;
	return true;
}

static bool fq_get(struct fqueue *q, struct frame *out)
{
	if (q->count == 0)
		return false;
	*out = q->f[q->head];
	q->head = (q->head + 1) % QUEUE_LEN;
	q->count--;
	return true;
}

static int roll(struct nif *n)
{
	n->rng = n->rng * 1103515245u + 12345u;
	return (int)((n->rng >> 16) % 100);
}

static void capture_write(struct nif *n, const void *p, uint32_t len)
{
	struct timespec ts;
	uint32_t rec[4];

	if (n->capture == NULL)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	rec[0] = (uint32_t)ts.tv_sec;
	rec[1] = (uint32_t)(ts.tv_nsec / 1000);
	rec[2] = rec[3] = len;
	fwrite(rec, sizeof(rec), 1, n->capture);
	fwrite(p, len, 1, n->capture);
	fflush(n->capture);
}

/*
 * Passes a frame through the impairments: calls out(n, frame) zero, one
 * or two times (duplication), perhaps after the next one going the same
 * way, dir (reordering).  Caller holds n->lock.
 */
static void impair(struct nif *n, int dir, const uint8_t *p, uint32_t len,
		   void (*out)(struct nif *, const uint8_t *, uint32_t))
{
	struct frame *held = &n->held[dir];

	if (n->loss && roll(n) < n->loss)
		return;
	if (n->reorder && !n->holding[dir] && roll(n) < n->reorder && len <= NET_FRAME_MAX) {
		memcpy(held->data, p, len);
		held->len = len;
		n->holding[dir] = true;
		return;
	}
	out(n, p, len);
	if (n->dup && roll(n) < n->dup)
		out(n, p, len);
	if (n->holding[dir]) {
		n->holding[dir] = false;
		out(n, held->data, held->len);
	}
}

/* To the kernel: the rx queue and the IRQ.  Caller holds n->lock. */
static void rx_out(struct nif *n, const uint8_t *p, uint32_t len)
{
	capture_write(n, p, len);
	if (fq_put(&n->rx, p, len))
		os_raise_irq(OS_IRQ_NET);
}

static void deliver(struct nif *n, const uint8_t *p, uint32_t len)
{
	pthread_mutex_lock(&n->lock);
	impair(n, 0, p, len, rx_out);
	pthread_mutex_unlock(&n->lock);
}

/* ---- slirp ---- */

struct slirp_timer {
	struct slirp_timer *next;
	SlirpTimerCb cb;
	void *cb_opaque;
	int64_t expire_ms;		/* -1: not armed */
};

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static ssize_t sl_send_packet(const void *buf, size_t len, void *opaque)
{
	deliver(opaque, buf, (uint32_t)len);
	return (ssize_t)len;
}

static void sl_guest_error(const char *msg, void *opaque)
{
	(void)msg;
	(void)opaque;		/* a misbehaving guest packet: slirp drops it */
}

static int64_t sl_clock_get_ns(void *opaque)
{
	(void)opaque;
	return now_ns();
}

static void *sl_timer_new(SlirpTimerCb cb, void *cb_opaque, void *opaque)
{
	struct nif *n = opaque;
	struct slirp_timer *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return NULL;
	t->cb = cb;
	t->cb_opaque = cb_opaque;
	t->expire_ms = -1;
	t->next = n->timers;
	n->timers = t;
	return t;
}

static void sl_timer_free(void *timer, void *opaque)
{
	struct nif *n = opaque;
	struct slirp_timer **pp;

	for (pp = &n->timers; *pp; pp = &(*pp)->next)
		if (*pp == timer) {
			*pp = ((struct slirp_timer *)timer)->next;
			free(timer);
			return;
		}
}

static void sl_timer_mod(void *timer, int64_t expire_ms, void *opaque)
{
	(void)opaque;
	((struct slirp_timer *)timer)->expire_ms = expire_ms;
}

static void sl_register_poll_fd(int fd, void *opaque) { (void)fd; (void)opaque; }
static void sl_unregister_poll_fd(int fd, void *opaque) { (void)fd; (void)opaque; }

static void sl_notify(void *opaque)
{
	struct nif *n = opaque;
	uint64_t one = 1;

	if (write(n->wake_fd, &one, sizeof(one)) < 0)
		return;			/* the counter is full: the thread is awake anyway */
}

static const SlirpCb slirp_cb = {
	.send_packet = sl_send_packet,
	.guest_error = sl_guest_error,
	.clock_get_ns = sl_clock_get_ns,
	.timer_new = sl_timer_new,
	.timer_free = sl_timer_free,
	.timer_mod = sl_timer_mod,
	.register_poll_fd = sl_register_poll_fd,
	.unregister_poll_fd = sl_unregister_poll_fd,
	.notify = sl_notify,
};

static int sl_add_poll(int fd, int events, void *opaque)
{
	struct nif *n = opaque;
	struct pollfd *p;

	if (n->npfds == MAX_SLIRP_FDS)
		return -1;
	p = &n->pfds[n->npfds];
	p->fd = fd;
	p->events = (short)(((events & SLIRP_POLL_IN) ? POLLIN : 0) |
			    ((events & SLIRP_POLL_OUT) ? POLLOUT : 0) |
			    ((events & SLIRP_POLL_PRI) ? POLLPRI : 0));
	p->revents = 0;
	return n->npfds++;
}

static int sl_get_revents(int idx, void *opaque)
{
	struct nif *n = opaque;
	short r;
	int ev = 0;

	if (idx < 0 || idx >= n->npfds)
		return 0;
	r = n->pfds[idx].revents;
	if (r & POLLIN) ev |= SLIRP_POLL_IN;
	if (r & POLLOUT) ev |= SLIRP_POLL_OUT;
	if (r & POLLPRI) ev |= SLIRP_POLL_PRI;
	if (r & POLLERR) ev |= SLIRP_POLL_ERR;
	if (r & POLLHUP) ev |= SLIRP_POLL_HUP;
	return ev;
}

static void sl_run_timers(struct nif *n)
{
	int64_t ms = now_ns() / 1000000;
	struct slirp_timer *t;

	for (t = n->timers; t; t = t->next)
		if (t->expire_ms >= 0 && t->expire_ms <= ms) {
			t->expire_ms = -1;
			t->cb(t->cb_opaque);
		}
}

static int slirp_start(struct nif *n, char *err, size_t errlen)
{
	SlirpConfig cfg;
	int i;

	memset(&cfg, 0, sizeof(cfg));
	cfg.version = 1;
	cfg.in_enabled = true;
	inet_pton(AF_INET, "10.0.2.0", &cfg.vnetwork);
	inet_pton(AF_INET, "255.255.255.0", &cfg.vnetmask);
	inet_pton(AF_INET, "10.0.2.2", &cfg.vhost);
	inet_pton(AF_INET, "10.0.2.15", &cfg.vdhcp_start);
	inet_pton(AF_INET, "10.0.2.3", &cfg.vnameserver);
	/* IPv6 as QEMU sets it: fec0::/64, the host fec0::2 (the host's ::1), DNS fec0::3;
	 * libslirp answers Router and Neighbour Solicitations */
	cfg.in6_enabled = true;
	inet_pton(AF_INET6, "fec0::", &cfg.vprefix_addr6);
	cfg.vprefix_len = 64;
	inet_pton(AF_INET6, "fec0::2", &cfg.vhost6);
	inet_pton(AF_INET6, "fec0::3", &cfg.vnameserver6);
	cfg.vhostname = "linux";
	cfg.if_mtu = 1500;
	cfg.if_mru = 1500;
	n->slirp = lib_slirp.slirp_new(&cfg, &slirp_cb, n);
	if (n->slirp == NULL) {
		snprintf(err, errlen, "slirp: libslirp could not start (slirp_new failed)");
		return -EIO;
	}
	for (i = 0; i < n->nfwd; i++) {
		struct hostfwd *f = &n->fwd[i];
		struct in_addr guest;

		inet_pton(AF_INET, "10.0.2.15", &guest);
		if (lib_slirp.slirp_add_hostfwd(n->slirp, f->udp, f->host, f->host_port, guest, f->guest_port) < 0) {
			snprintf(err, errlen, "slirp: hostfwd %s port %d: libslirp cannot listen on the host (in use?)",
				 f->udp ? "udp" : "tcp", f->host_port);
			lib_slirp.slirp_cleanup(n->slirp);
			n->slirp = NULL;
			return -EADDRINUSE;
		}
	}
	return 0;
}

static void slirp_loop_once(struct nif *n)
{
	uint32_t timeout = 100;
	struct frame f;
	int r;

	n->npfds = 0;
	sl_add_poll(n->wake_fd, SLIRP_POLL_IN, n);
	lib_slirp.slirp_pollfds_fill(n->slirp, &timeout, sl_add_poll, n);
	if (timeout > 100)
		timeout = 100;
	r = poll(n->pfds, (nfds_t)n->npfds, (int)timeout);
	if (n->pfds[0].revents & POLLIN) {
		uint64_t v;

		if (read(n->wake_fd, &v, sizeof(v)) < 0)
			v = 0;
	}
	lib_slirp.slirp_pollfds_poll(n->slirp, r < 0, sl_get_revents, n);
	sl_run_timers(n);
	for (;;) {
		bool got;

		pthread_mutex_lock(&n->lock);
		got = fq_get(&n->tx, &f);
		pthread_mutex_unlock(&n->lock);
		if (!got)
			break;
		lib_slirp.slirp_input(n->slirp, f.data, (int)f.len);
	}
}

/* ---- tuntap and mcast ---- */

static int tap_open(struct nif *n, const char *name, char *err, size_t errlen)
{
	struct ifreq ifr;
	int fd;

	if (strlen(name) >= IFNAMSIZ || name[0] == 0) {
		snprintf(err, errlen, "tuntap: %s is not a device name (1-15 characters)", name);
		return -EINVAL;
	}
	fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "tuntap: cannot open /dev/net/tun: %s", strerror(errno));
		return -errno;
	}
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		int e = errno;

		snprintf(err, errlen, "tuntap: cannot attach to tap %s: %s", name, strerror(e));
		close(fd);
		return -e;
	}
	n->fd = n->rfd = fd;
	return 0;
}

static int mcast_open(struct nif *n, const char *addr, int port, int ttl, char *err, size_t errlen)
{
	struct ip_mreq mreq;
	struct sockaddr_in any;
	int fd, one = 1, loop = 1;

	memset(&n->group, 0, sizeof(n->group));
	n->group.sin_family = AF_INET;
	n->group.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, addr, &n->group.sin_addr) != 1) {
		snprintf(err, errlen, "mcast: bad group address %s", addr);
		return -EINVAL;
	}
	if (!IN_MULTICAST(ntohl(n->group.sin_addr.s_addr))) {
		snprintf(err, errlen, "mcast: %s is not a multicast group (224.0.0.0/4)", addr);
		return -EINVAL;
	}
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(err, errlen, "mcast: socket: %s", strerror(errno));
		return -errno;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one));
	memset(&any, 0, sizeof(any));
	any.sin_family = AF_INET;
	any.sin_port = n->group.sin_port;
	any.sin_addr.s_addr = htonl(INADDR_ANY);
	mreq.imr_multiaddr = n->group.sin_addr;
	mreq.imr_interface.s_addr = htonl(INADDR_ANY);
	if (bind(fd, (struct sockaddr *)&any, sizeof(any)) < 0) {
		int e = errno;

		snprintf(err, errlen, "mcast: cannot bind UDP port %d for %s: %s", port, addr, strerror(e));
		close(fd);
		return -e;
	}
	if (setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mreq, sizeof(mreq)) < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof(ttl)) < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &loop, sizeof(loop)) < 0) {
		int e = errno;

		snprintf(err, errlen, "mcast: cannot join %s:%d: %s", addr, port, strerror(e));
		close(fd);
		return -e;
	}
	n->fd = n->rfd = fd;
	return 0;
}

/*
 * ethN=pcap,IFACE[,FILTER][,promisc|nopromisc]: a capture handle on IFACE
 * that also injects; the reasons libpcap gives are passed on, with the
 * two common ones said plainly (no such interface, no permission).
 */
static int pcap_open_if(struct nif *n, char **args, int nargs, char *err, size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	const char *ifname = nargs > 0 ? args[0] : "";
	const char *filter = nargs > 1 && args[1][0] ? args[1] : NULL;
	struct bpf_program prog;
	int promisc = 1, r, i;
	pcap_t *p;

	if (!ifname[0]) {
		snprintf(err, errlen, "pcap needs a host interface: ethN=pcap,IFACE[,FILTER]");
		return -EINVAL;
	}
	for (i = 2; i < nargs; i++) {
		if (!strcmp(args[i], "promisc"))
			promisc = 1;
		else if (!strcmp(args[i], "nopromisc"))
			promisc = 0;
		else {
			snprintf(err, errlen, "pcap: unknown option %s (promisc, nopromisc)", args[i]);
			return -EINVAL;
		}
	}
	p = lib_pcap.pcap_create(ifname, ebuf);
	if (p == NULL) {
		snprintf(err, errlen, "pcap: cannot open %s: %s", ifname, ebuf);
		return -ENODEV;
	}
	lib_pcap.pcap_set_snaplen(p, 65535);
	lib_pcap.pcap_set_promisc(p, promisc);
	lib_pcap.pcap_set_immediate_mode(p, 1);
	r = lib_pcap.pcap_activate(p);
	if (r < 0) {
		int e = r == PCAP_ERROR_NO_SUCH_DEVICE ? -ENODEV : r == PCAP_ERROR_PERM_DENIED ? -EPERM : -EIO;

		if (r == PCAP_ERROR_NO_SUCH_DEVICE)
			snprintf(err, errlen, "pcap: no such host interface %s", ifname);
		else if (r == PCAP_ERROR_PERM_DENIED)
			snprintf(err, errlen, "pcap: %s: permission denied (capturing needs root or "
				 "CAP_NET_RAW and CAP_NET_ADMIN): %s", ifname, lib_pcap.pcap_geterr(p));
		else
			snprintf(err, errlen, "pcap: cannot open %s: %s (%s)", ifname, lib_pcap.pcap_statustostr(r),
				 lib_pcap.pcap_geterr(p));
		lib_pcap.pcap_close(p);
		return e;
	}
	if (lib_pcap.pcap_datalink(p) != DLT_EN10MB) {
		snprintf(err, errlen, "pcap: %s is not an Ethernet interface", ifname);
		lib_pcap.pcap_close(p);
		return -EINVAL;
	}
	lib_pcap.pcap_setdirection(p, PCAP_D_IN);	/* not the host's own frames out of it */
	if (filter) {
		if (lib_pcap.pcap_compile(p, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) < 0) {
			snprintf(err, errlen, "pcap: bad filter '%s': %s", filter, lib_pcap.pcap_geterr(p));
			lib_pcap.pcap_close(p);
			return -EINVAL;
		}
		r = lib_pcap.pcap_setfilter(p, &prog);
		lib_pcap.pcap_freecode(&prog);
		if (r < 0) {
			snprintf(err, errlen, "pcap: cannot set the filter '%s': %s", filter, lib_pcap.pcap_geterr(p));
			lib_pcap.pcap_close(p);
			return -EINVAL;
		}
	}
	if (lib_pcap.pcap_setnonblock(p, 1, ebuf) < 0 || (n->fd = lib_pcap.pcap_get_selectable_fd(p)) < 0) {
		snprintf(err, errlen, "pcap: %s cannot be polled: %s", ifname, ebuf);
		lib_pcap.pcap_close(p);
		return -EIO;
	}
	n->rfd = n->fd;
	n->pcap = p;
	return 0;
}

static void pcap_frame(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct nif *n = (struct nif *)user;

	if (h->caplen == h->len && h->caplen >= 14 && h->caplen <= NET_FRAME_MAX)
		deliver(n, bytes, h->caplen);
}

/* Sends a frame on the tap or the group (thread side). */
static void fd_send(struct nif *n, const uint8_t *p, uint32_t len)
{
	ssize_t r;

	if (n->kind == T_PCAP)
		r = lib_pcap.pcap_inject(n->pcap, p, len);
	else if (n->kind == T_MCAST)
		r = sendto(n->fd, p, len, 0, (struct sockaddr *)&n->group, sizeof(n->group));
	else
		r = write(n->fd, p, len);
	(void)r;		/* a frame the host refuses is a lost frame */
}

static void fd_loop_once(struct nif *n)
{
	struct pollfd p[2] = { { n->rfd, POLLIN, 0 }, { n->wake_fd, POLLIN, 0 } };
	uint8_t buf[65536];
	struct frame f;

	if (poll(p, 2, 200) > 0 && (p[0].revents & POLLIN) && n->kind == T_PCAP) {
		lib_pcap.pcap_dispatch(n->pcap, 64, pcap_frame, (u_char *)n);
	} else if ((p[0].revents & POLLIN) && n->kind != T_PCAP) {
		ssize_t r = read(n->rfd, buf, sizeof(buf));

		/* mcast: our own frames come back (loop is on for the other instances here) */
		if (r >= 14 && !(n->kind == T_MCAST && memcmp(buf + 6, n->mac, 6) == 0) &&
		    r <= NET_FRAME_MAX)
			deliver(n, buf, (uint32_t)r);
	}
	if (p[1].revents & POLLIN) {
		uint64_t v;

		if (read(n->wake_fd, &v, sizeof(v)) < 0)
			v = 0;
	}
	for (;;) {
		bool got;

		pthread_mutex_lock(&n->lock);
		got = fq_get(&n->tx, &f);
		pthread_mutex_unlock(&n->lock);
		if (!got)
			break;
		fd_send(n, f.data, f.len);
	}
}

static void *net_thread(void *arg)
{
	struct nif *n = arg;

	while (!n->stop) {
		if (n->kind == T_SLIRP)
			slirp_loop_once(n);
		else
			fd_loop_once(n);
	}
	return NULL;
}

/* ---- options ---- */

static int parse_mac(const char *s, uint8_t *mac)
{
	unsigned v[6];
	int i;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]) != 6)
		return -EINVAL;
	for (i = 0; i < 6; i++) {
		if (v[i] > 255)
			return -EINVAL;
		mac[i] = (uint8_t)v[i];
	}
	return (mac[0] & 1) ? -EINVAL : 0;	/* a multicast address is no station's */
}

static int parse_pct(const char *s, int *out)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == 0 || *end || v < 0 || v > 100)
		return -EINVAL;
	*out = (int)v;
	return 0;
}

/* hostfwd=tcp|udp:[HOSTADDR]:HOSTPORT-[GUESTADDR]:GUESTPORT */
static int parse_hostfwd(struct nif *n, const char *s)
{
	struct hostfwd *f;
	char haddr[64] = "", gaddr[64] = "";
	int hport, gport;
	const char *rest;

	if (n->nfwd == MAX_FWD)
		return -ENOSPC;
	f = &n->fwd[n->nfwd];
	if (!strncmp(s, "tcp:", 4))
		f->udp = 0;
	else if (!strncmp(s, "udp:", 4))
		f->udp = 1;
	else
		return -EINVAL;
	rest = s + 4;
	if (sscanf(rest, "%63[^:]:%d-%63[^:]:%d", haddr, &hport, gaddr, &gport) != 4 &&
	    sscanf(rest, ":%d-%63[^:]:%d", &hport, gaddr, &gport) != 3 &&
	    sscanf(rest, "%63[^:]:%d-:%d", haddr, &hport, &gport) != 3 &&
	    sscanf(rest, ":%d-:%d", &hport, &gport) != 2)
		return -EINVAL;
	if (hport <= 0 || hport > 65535 || gport <= 0 || gport > 65535)
		return -EINVAL;
	f->host.s_addr = htonl(INADDR_ANY);
	if (haddr[0] && inet_pton(AF_INET, haddr, &f->host) != 1)
		return -EINVAL;
	f->host_port = hport;
	f->guest_port = gport;
	n->nfwd++;
	return 0;
}

static int parse_common(struct nif *n, const char *opt, char *err, size_t errlen)
{
	if (!strncmp(opt, "mac=", 4)) {
		if (parse_mac(opt + 4, n->mac) < 0) {
			snprintf(err, errlen, "bad mac=%s (expected XX:XX:XX:XX:XX:XX, unicast)", opt + 4);
			return -EINVAL;
		}
	} else if (!strncmp(opt, "capture=", 8)) {
		uint32_t hdr[6] = { 0xa1b2c3d4, 0x00040002, 0, 0, 65535, 1 /* LINKTYPE_ETHERNET */ };

		n->capture = fopen(opt + 8, "we");
		if (n->capture == NULL) {
			snprintf(err, errlen, "capture=%s: %s", opt + 8, strerror(errno));
			return -errno;
		}
		fwrite(hdr, sizeof(hdr), 1, n->capture);
		fflush(n->capture);
	} else if (!strncmp(opt, "loss=", 5) || !strncmp(opt, "dup=", 4) || !strncmp(opt, "reorder=", 8)) {
		const char *v = strchr(opt, '=') + 1;
		int *dst = opt[0] == 'l' ? &n->loss : opt[0] == 'd' ? &n->dup : &n->reorder;

		if (parse_pct(v, dst) < 0) {
			snprintf(err, errlen, "bad %s (expected a percentage 0-100)", opt);
			return -EINVAL;
		}
	} else {
		snprintf(err, errlen, "unknown option %s", opt);
		return -EINVAL;
	}
	return 0;
}

/* A common option's name (a pcap filter may hold '=' too: "len >= 100"). */
static bool is_option(const char *tok)
{
	return !strncmp(tok, "mac=", 4) || !strncmp(tok, "capture=", 8) || !strncmp(tok, "loss=", 5) ||
	       !strncmp(tok, "dup=", 4) || !strncmp(tok, "reorder=", 8);
}

static int parse_spec(struct nif *n, int idx, char *spec, char **args, int *nargs, char *err,
		      size_t errlen)
{
	char *save = NULL, *tok;
	int k = 0;

	tok = strtok_r(spec, ",", &save);
	if (tok == NULL) {
		snprintf(err, errlen, "empty transport");
		return -EINVAL;
	}
	if (!strcmp(tok, "slirp"))
		n->kind = T_SLIRP;
	else if (!strcmp(tok, "tuntap") || !strcmp(tok, "tap"))
		n->kind = T_TUNTAP;
	else if (!strcmp(tok, "mcast"))
		n->kind = T_MCAST;
	else if (!strcmp(tok, "pcap"))
		n->kind = T_PCAP;
	else {
		snprintf(err, errlen, "unknown transport %s (slirp, tuntap, mcast, pcap)", tok);
		return -EINVAL;
	}
	while ((tok = strtok_r(NULL, ",", &save)) != NULL) {
		int r;

		if (!strncmp(tok, "hostfwd=", 8) && n->kind == T_SLIRP) {
			if (parse_hostfwd(n, tok + 8) < 0) {
				snprintf(err, errlen, "bad %s (expected hostfwd=tcp|udp:[ADDR]:PORT-:PORT)", tok);
				return -EINVAL;
			}
			continue;
		}
		if (strchr(tok, '=') == NULL || (n->kind == T_PCAP && !is_option(tok))) {
			if (k == 4) {
				snprintf(err, errlen, "too many arguments");
				return -EINVAL;
			}
			args[k++] = tok;
			continue;
		}
		r = parse_common(n, tok, err, errlen);
		if (r < 0)
			return r;
	}
	*nargs = k;
	(void)idx;
	return 0;
}

static int transport_open(struct nif *n, char **args, int nargs, char *err, size_t errlen)
{
	int r;

	switch (n->kind) {
	case T_SLIRP:
		if (nargs) {
			snprintf(err, errlen, "slirp takes no argument %s", args[0]);
			return -EINVAL;
		}
		r = slirp_lib_load(err, errlen);
		return r < 0 ? r : slirp_start(n, err, errlen);
	case T_TUNTAP:
		if (nargs != 1) {
			snprintf(err, errlen, "tuntap needs the name of a tap device: ethN=tuntap,TAP");
			return -EINVAL;
		}
		return tap_open(n, args[0], err, errlen);
	case T_MCAST: {
		long port = 1102, ttl = 1;
		char *end;

		if (nargs > 1 && args[1][0]) {
			port = strtol(args[1], &end, 10);
			if (*end || port < 1 || port > 65535) {
				snprintf(err, errlen, "mcast: bad port %s (1-65535)", args[1]);
				return -EINVAL;
			}
		}
		if (nargs > 2 && args[2][0]) {
			ttl = strtol(args[2], &end, 10);
			if (*end || ttl < 0 || ttl > 255) {
				snprintf(err, errlen, "mcast: bad TTL %s (0-255)", args[2]);
				return -EINVAL;
			}
		}
		if (nargs > 3) {
			snprintf(err, errlen, "mcast takes at most ADDR,PORT,TTL");
			return -EINVAL;
		}
		return mcast_open(n, nargs > 0 && args[0][0] ? args[0] : "239.192.168.1", (int)port, (int)ttl,
				  err, errlen);
	}
	case T_PCAP:
		r = pcap_lib_load(err, errlen);
		return r < 0 ? r : pcap_open_if(n, args, nargs, err, errlen);
	}
	return -EINVAL;
}

int os_net_open(int idx, const char *spec, struct net_open_info *info, char *err, size_t errlen)
{
	struct nif *n;
	char *copy, *args[4];
	int nargs = 0, r;
	bool opened = false;
	sigset_t all, old;
	static const char *const names[] = { "slirp", "tuntap", "mcast", "pcap" };

	if (idx < 0 || idx >= NET_MAX_IF || ifs[idx].open) {
		snprintf(err, errlen, "no interface slot %d", idx);
		return -EINVAL;
	}
	n = &ifs[idx];
	memset(n, 0, sizeof(*n));
	n->fd = n->rfd = n->wake_fd = -1;
	/* QEMU's locally administered default, one per interface and instance */
	n->mac[0] = 0x52; n->mac[1] = 0x54; n->mac[2] = 0x00; n->mac[3] = 0x12;
	n->mac[4] = (uint8_t)(getpid() & 0xff);
	n->mac[5] = (uint8_t)(0x56 + idx);
	n->rng = (unsigned)getpid() * 2654435761u + (unsigned)idx;
	copy = strdup(spec);
	if (copy == NULL)
		return -ENOMEM;
	r = parse_spec(n, idx, copy, args, &nargs, err, errlen);
	if (r == 0 && (fq_init(&n->tx) < 0 || fq_init(&n->rx) < 0))
		r = -ENOMEM;
	if (r == 0) {
		n->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		r = n->wake_fd < 0 ? -errno : transport_open(n, args, nargs, err, errlen);
		opened = r == 0;
	}
	if (r == 0) {
		pthread_mutex_init(&n->lock, NULL);
		sigfillset(&all);
		pthread_sigmask(SIG_SETMASK, &all, &old);
		r = -pthread_create(&n->thread, NULL, net_thread, n);
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		if (r < 0) {
			snprintf(err, errlen, "cannot start its thread: %s", strerror(-r));
			pthread_mutex_destroy(&n->lock);
		}
	}
	free(copy);
	if (r < 0) {			/* nothing stays open: a failed hot-plug can be retried */
		if (opened && n->slirp)
			lib_slirp.slirp_cleanup(n->slirp);
		if (opened && n->pcap)
			lib_pcap.pcap_close(n->pcap);
		else if (opened && n->fd >= 0)
			close(n->fd);
		n->slirp = NULL;
		n->pcap = NULL;
		n->fd = n->rfd = -1;
		if (n->wake_fd >= 0)
			close(n->wake_fd);
		if (n->capture)
			fclose(n->capture);
		free(n->tx.f);
		free(n->rx.f);
		n->capture = NULL;
		return r;
	}
	n->open = true;
	memcpy(info->mac, n->mac, 6);
	info->mtu = 1500;
	snprintf(info->transport, sizeof(info->transport), "%s", names[n->kind]);
	if (n->kind == T_SLIRP) {
		info->slirp_net = htonl(0x0a000200);
		info->slirp_mask = htonl(0xffffff00);
		info->slirp_host = htonl(0x0a000202);
		info->slirp_dns = htonl(0x0a000203);
		info->slirp_guest = htonl(0x0a00020f);
	}
	return 0;
}

/* To the host: the tx queue and the thread's eventfd.  Caller holds n->lock. */
static void tx_out(struct nif *n, const uint8_t *p, uint32_t len)
{
	capture_write(n, p, len);
	fq_put(&n->tx, p, len);
}

int os_net_send(int idx, const void *frame, uint32_t len)
{
	struct nif *n;
	uint64_t one = 1;
	bool full;

	if (idx < 0 || idx >= NET_MAX_IF || !ifs[idx].open)
		return -ENODEV;
	if (len > NET_FRAME_MAX)
		return -EMSGSIZE;
	n = &ifs[idx];
	pthread_mutex_lock(&n->lock);
	full = n->tx.count == QUEUE_LEN;
	if (!full)
		impair(n, 1, frame, len, tx_out);
	pthread_mutex_unlock(&n->lock);
	if (full)
		return -ENOBUFS;
	if (write(n->wake_fd, &one, sizeof(one)) < 0)
		return 0;		/* the counter is full: the thread is awake anyway */
	return 0;
}

int64_t os_net_recv(int idx, void *buf, uint32_t len)
{
	struct nif *n;
	struct frame f;
	bool got;

	if (idx < 0 || idx >= NET_MAX_IF || !ifs[idx].open)
		return -ENODEV;
	n = &ifs[idx];
	pthread_mutex_lock(&n->lock);
	got = fq_get(&n->rx, &f);
	pthread_mutex_unlock(&n->lock);
	if (!got)
		return -EAGAIN;
	if (f.len > len)
		f.len = len;
	memcpy(buf, f.data, f.len);
	return f.len;
}

/* Stops n's thread and frees everything it had (the kernel no longer calls in). */
static void nif_close(struct nif *n)
{
	uint64_t one = 1;

	if (!n->open)
		return;
	n->stop = 1;
	while (write(n->wake_fd, &one, sizeof(one)) < 0 && errno == EINTR)
		;
	pthread_join(n->thread, NULL);	/* it polls with a timeout: it sees stop soon */
	n->open = false;
	if (n->slirp)
		lib_slirp.slirp_cleanup(n->slirp);	/* closes slirp's sockets, frees its timers */
	n->slirp = NULL;
	while (n->timers) {
		struct slirp_timer *t = n->timers;

		n->timers = t->next;
		free(t);
	}
	if (n->pcap)
		lib_pcap.pcap_close(n->pcap);		/* its fd with it */
	else if (n->fd >= 0)
		close(n->fd);
	n->pcap = NULL;
	n->fd = n->rfd = -1;
	close(n->wake_fd);
	if (n->capture)
		fclose(n->capture);
	n->capture = NULL;
	free(n->tx.f);
	free(n->rx.f);
	n->tx.f = n->rx.f = NULL;
	pthread_mutex_destroy(&n->lock);
}

void os_net_close(int idx)
{
	if (idx >= 0 && idx < NET_MAX_IF)
		nif_close(&ifs[idx]);
}

