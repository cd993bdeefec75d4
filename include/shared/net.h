/*
 * net.h - contract between the Ethernet driver (drivers/net/eth.c) and
 * its host half (os-Linux/drivers/net_host.c), one interface per ethN=.
 *
 * os_net_open() parses the whole ethN= value (the transport and its
 * arguments, then ,mac= ,capture= ,loss= ,reorder= ,dup=) and starts the
 * transport's host thread; a transport that cannot start fails here with
 * a message in err.  Frames to the host go through os_net_send(); frames
 * from the host are queued by the thread, which raises OS_IRQ_NET; the
 * IRQ handler drains os_net_recv() until -EAGAIN.  Loss, duplication and
 * reordering (for tests) and the pcap capture file apply to both
 * directions, in the host half.
 */
#ifndef SHARED_NET_H
#define SHARED_NET_H

#include <stdint.h>
#include <stddef.h>

#define NET_MAX_IF	8
#define NET_FRAME_MAX	1518	/* Ethernet without FCS, 1500 bytes of payload */

struct net_open_info {
	uint8_t mac[6];
	uint32_t mtu;
	char transport[16];		/* "slirp", "tuntap", "mcast", "pcap" */
	/* slirp: the network it emulates (network order), for the default configuration */
	uint32_t slirp_net, slirp_mask, slirp_host, slirp_dns, slirp_guest;
};

/* Opens interface idx from spec: 0, or -errno with a message in err. */
int os_net_open(int idx, const char *spec, struct net_open_info *info, char *err, size_t errlen);
/* Queues one frame for the host: 0 or -errno (-ENOBUFS when the queue is full). */
int os_net_send(int idx, const void *frame, uint32_t len);
/* Takes the next frame from the host into buf: its length, or -EAGAIN. */
int64_t os_net_recv(int idx, void *buf, uint32_t len);
/* Stops interface idx's thread and frees its transport (hot-unplug); nothing if not open. */
void os_net_close(int idx);

#endif
