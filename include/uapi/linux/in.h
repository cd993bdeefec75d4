/*
 * uapi/linux/in.h - <linux/in.h>: struct sockaddr_in, IPPROTO_*, the
 * IPPROTO_IP option numbers, and <linux/tcp.h>'s IPPROTO_TCP option
 * numbers (TCP_NODELAY...).  The layouts the kernel copies to or from
 * guests, checked here against the x86_64 ABI.
 */
#ifndef UAPI_LINUX_IN_H
#define UAPI_LINUX_IN_H

#include <stddef.h>
#include <linux/in.h>
#include <linux/tcp.h>

_Static_assert(sizeof(struct sockaddr_in) == 16, "struct sockaddr_in (<linux/in.h>): 16 bytes");
_Static_assert(offsetof(struct sockaddr_in, sin_family) == 0, "struct sockaddr_in.sin_family at 0");
_Static_assert(offsetof(struct sockaddr_in, sin_port) == 2, "struct sockaddr_in.sin_port at 2");
_Static_assert(offsetof(struct sockaddr_in, sin_addr) == 4, "struct sockaddr_in.sin_addr at 4");
/* struct tcp_info (getsockopt TCP_INFO): the layout of <linux/tcp.h> in Linux 6.1. */
_Static_assert(sizeof(struct in_pktinfo) == 12, "struct in_pktinfo (<linux/in.h>): 12 bytes");
_Static_assert(offsetof(struct in_pktinfo, ipi_spec_dst) == 4, "struct in_pktinfo.ipi_spec_dst at 4");
_Static_assert(offsetof(struct in_pktinfo, ipi_addr) == 8, "struct in_pktinfo.ipi_addr at 8");
_Static_assert(sizeof(struct tcp_info) == 232, "struct tcp_info (<linux/tcp.h>): 232 bytes");
_Static_assert(offsetof(struct tcp_info, tcpi_rto) == 8, "struct tcp_info.tcpi_rto at 8");
_Static_assert(offsetof(struct tcp_info, tcpi_snd_mss) == 16, "struct tcp_info.tcpi_snd_mss at 16");
_Static_assert(offsetof(struct tcp_info, tcpi_unacked) == 24, "struct tcp_info.tcpi_unacked at 24");
_Static_assert(offsetof(struct tcp_info, tcpi_pmtu) == 60, "struct tcp_info.tcpi_pmtu at 60");
_Static_assert(offsetof(struct tcp_info, tcpi_rtt) == 68, "struct tcp_info.tcpi_rtt at 68");
_Static_assert(offsetof(struct tcp_info, tcpi_snd_cwnd) == 80, "struct tcp_info.tcpi_snd_cwnd at 80");
_Static_assert(offsetof(struct tcp_info, tcpi_total_retrans) == 100, "struct tcp_info.tcpi_total_retrans at 100");

#endif
