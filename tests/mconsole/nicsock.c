/*
 * nicsock.c - sockets that outlive a hot-unplugged NIC (tests/mconsole
 * nic_hotplug).  Run in the guest once eth1 has 10.0.2.15 behind slirp:
 * a UDP socket bound to that address and a packet socket on eth1 each
 * get an answer queued (slirp's DNS server answers a query), then the
 * program waits for eth1 to go (and for /tmp/go) and reads what it holds, a packet whose
 * device is gone, and tries the address again.  Linux's answers after
 * the unplug: the queued data still reads, sending from the old address
 * finds no route (ENETUNREACH), binding to it EADDRNOTAVAIL.
 */
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <linux/if_ether.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

static const char *err_name(int e)
{
	switch (e) {
	case 0: return "ok";
	case ENETUNREACH: return "ENETUNREACH";
	case ENETDOWN: return "ENETDOWN";
	case EADDRNOTAVAIL: return "EADDRNOTAVAIL";
	case EINVAL: return "EINVAL";
	case ENODEV: return "ENODEV";
	case ENXIO: return "ENXIO";
	default: return strerror(e);
	}
}

static struct sockaddr_in in4(const char *a, int port)
{
	struct sockaddr_in s;

	memset(&s, 0, sizeof(s));
	s.sin_family = AF_INET;
	s.sin_port = htons((unsigned short)port);
	inet_pton(AF_INET, a, &s.sin_addr);
	return s;
}

static int ifindex(int fd, const char *name)
{
	struct ifreq r;

	memset(&r, 0, sizeof(r));
	snprintf(r.ifr_name, sizeof(r.ifr_name), "%s", name);
	return ioctl(fd, SIOCGIFINDEX, &r) < 0 ? 0 : r.ifr_ifindex;
}

static int readable(int fd, int ms)
{
	struct pollfd p = { fd, POLLIN, 0 };

	return poll(&p, 1, ms) == 1;
}

int main(void)
{
	/* a DNS query for "example." (any answer will do, even an error) */
	static const unsigned char q[] = { 0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0,
					   7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0, 0, 1, 0, 1 };
	struct sockaddr_in me = in4("10.0.2.15", 0), dns = in4("10.0.2.3", 53), host = in4("10.0.2.2", 9);
	struct sockaddr_ll ll;
	socklen_t sl = sizeof(ll);
	unsigned char buf[2048];
	int u, p, t, idx, i;
	ssize_t n;

	u = socket(AF_INET, SOCK_DGRAM, 0);
	p = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_IP));
	idx = ifindex(u, "eth1");
	if (u < 0 || p < 0 || idx == 0 || bind(u, (struct sockaddr *)&me, sizeof(me)) < 0) {
		printf("setup failed: %s (ifindex %d)\n", strerror(errno), idx);
		return 1;
	}
	memset(&ll, 0, sizeof(ll));
	ll.sll_family = AF_PACKET;
	ll.sll_protocol = htons(ETH_P_IP);
	ll.sll_ifindex = idx;
	if (bind(p, (struct sockaddr *)&ll, sizeof(ll)) < 0) {
		printf("packet bind: %s\n", strerror(errno));
		return 1;
	}
	for (i = 0; i < 5 && !readable(u, 0); i++) {
		sendto(u, q, sizeof(q), 0, (struct sockaddr *)&dns, sizeof(dns));
		readable(u, 2000);
	}
	printf("queued udp=%d packet=%d\n", readable(u, 0), readable(p, 0));
	fflush(stdout);
	while (ifindex(u, "eth1") != 0)
		usleep(100000);
	printf("eth1 gone\n");
	fflush(stdout);
	while (access("/tmp/go", F_OK) != 0)	/* the test looks at the kernel log first */
		usleep(100000);
	n = recvfrom(p, buf, sizeof(buf), MSG_DONTWAIT, (struct sockaddr *)&ll, &sl);
	printf("packet read: %s, from the old eth1: %d\n", n > 0 ? "data" : err_name(errno),
	       n > 0 && ll.sll_ifindex == idx);
	n = recv(u, buf, sizeof(buf), MSG_DONTWAIT);
	printf("udp read: %s\n", n > 0 ? "data" : err_name(errno));
	n = sendto(u, q, sizeof(q), 0, (struct sockaddr *)&dns, sizeof(dns));
	printf("udp send from the old address: %s\n", n >= 0 ? "ok" : err_name(errno));
	t = socket(AF_INET, SOCK_DGRAM, 0);
	me.sin_port = 0;
	printf("bind to the old address: %s\n",
	       bind(t, (struct sockaddr *)&me, sizeof(me)) == 0 ? "ok" : err_name(errno));
	close(t);
	t = socket(AF_INET, SOCK_STREAM, 0);
	printf("tcp connect to the host: %s\n",
	       connect(t, (struct sockaddr *)&host, sizeof(host)) == 0 ? "ok" : err_name(errno));
	return 0;
}
