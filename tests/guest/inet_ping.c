/*
 * inet_ping.c - ICMP echo to 127.0.0.1 two ways.  A ping socket
 * (SOCK_DGRAM, IPPROTO_ICMP), which net.ipv4.ping_group_range governs:
 * the program sets the range itself, so the outcome does not depend on
 * the host's setting (natively it first moves to a network namespace of
 * its own, where the sysctl is private; inside ./linux the kernel is the
 * guest's own): "1 0" (Linux's default) refuses with EACCES, "0 0" lets
 * group 0 in.  A raw ICMP socket (SOCK_RAW, root only).  The replies
 * carry our identifier, sequence and payload, with a valid checksum.
 * Not root: visible skips.
 */
#include "inet.h"
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <sched.h>
#include <sys/mount.h>

static uint16_t csum(const void *p, size_t n)
{
	const unsigned char *c = p;
	uint32_t s = 0;

	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(c[i] << 8 | c[i + 1]);
	if (n & 1)
		s += (uint32_t)c[n - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return htons((uint16_t)~s);
}

static void echo_req(struct icmphdr *h, char *payload, uint16_t id, uint16_t seq)
{
	memset(h, 0, sizeof(*h));
	h->type = ICMP_ECHO;
	h->un.echo.id = htons(id);
	h->un.echo.sequence = htons(seq);
	memcpy(payload, "ping payload 0123", 17);
	h->checksum = csum(h, sizeof(*h) + 17);
}

static int set_range(const char *v)
{
	int fd = open("/proc/sys/net/ipv4/ping_group_range", O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, v, strlen(v));
	close(fd);
	return n == (ssize_t)strlen(v) ? 0 : -1;
}

int main(void)
{
	struct sockaddr_in dst = lo4(0);
	unsigned char pkt[sizeof(struct icmphdr) + 17], in[256];
	struct icmphdr *h = (struct icmphdr *)pkt, *r;
	int fd;
	ssize_t n;

	net_start();
	if (geteuid() != 0) {
		skip("ping socket", "not root: cannot set net.ipv4.ping_group_range");
		skip("raw ICMP socket", "not root");
		return t_done();
	}
	if (unshare(CLONE_NEWNET) == 0)	/* natively: a private sysctl and lo */
		lo_up();
	if (access("/proc/sys", F_OK) != 0)	/* as init inside ./linux: no /proc yet */
		mount("proc", "/proc", "proc", 0, NULL);
	check(set_range("1 0") == 0, "ping_group_range \"1 0\"", "%s", strerror(errno));
	CHECK_ERR(socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP), EACCES, "ping socket refused: EACCES");
	check(set_range("0 0") == 0, "ping_group_range \"0 0\"", "%s", strerror(errno));
	fd = socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
	check(fd >= 0, "ping socket for group 0", "%s", strerror(errno));
	echo_req(h, (char *)(h + 1), 0, 1);
	check(sendto(fd, pkt, sizeof(pkt), 0, SA(&dst), sizeof(dst)) == (ssize_t)sizeof(pkt),
	      "ping socket: send an echo request", "%s", strerror(errno));
	n = recv(fd, in, sizeof(in), 0);
	r = (struct icmphdr *)in;
	check(n == (ssize_t)sizeof(pkt) && r->type == ICMP_ECHOREPLY && ntohs(r->un.echo.sequence) == 1 &&
	      !memcmp(in + sizeof(*r), "ping payload 0123", 17) && csum(in, sizeof(pkt)) == 0,
	      "ping socket: the reply, without IP header", "%zd", n);
	close(fd);
	set_range("1 0");
	fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
	check(fd >= 0, "raw ICMP socket", "%s", strerror(errno));
	echo_req(h, (char *)(h + 1), 0x4242, 7);
	check(sendto(fd, pkt, sizeof(pkt), 0, SA(&dst), sizeof(dst)) == (ssize_t)sizeof(pkt),
	      "raw: send an echo request", "%s", strerror(errno));
	/* A raw socket sees every ICMP packet: our request first, then the reply. */
	for (int i = 0; i < 20; i++) {
		struct iphdr *ip = (struct iphdr *)in;

		if (!(wait_ev(fd, POLLIN, 5000) & POLLIN))
			break;
		n = recv(fd, in, sizeof(in), 0);
		if (n < (ssize_t)sizeof(*ip) || n < ip->ihl * 4 + (ssize_t)sizeof(*r))
			continue;
		r = (struct icmphdr *)(in + ip->ihl * 4);
		if (r->type != ICMP_ECHOREPLY || ntohs(r->un.echo.id) != 0x4242)
			continue;
		check(ip->version == 4 && ip->protocol == IPPROTO_ICMP && ip->saddr == htonl(INADDR_LOOPBACK),
		      "raw: the reply has an IPv4 header from 127.0.0.1", "bad header");
		check(n - ip->ihl * 4 == (ssize_t)sizeof(pkt) && ntohs(r->un.echo.sequence) == 7 &&
		      !memcmp((char *)(r + 1), "ping payload 0123", 17), "raw: id, sequence and payload echoed",
		      "%zd", n);
		check(csum(r, sizeof(pkt)) == 0, "raw: the reply's checksum is valid", "bad checksum");
		close(fd);
		return t_done();
	}
	check(0, "raw: an echo reply", "none came");
	close(fd);
	return t_done();
}
