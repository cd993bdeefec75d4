/*
 * uapi/linux/if_packet.h - <linux/if_packet.h>: struct sockaddr_ll and
 * the packet types of AF_PACKET sockets (packet(7)), checked against the
 * x86_64 ABI.
 */
#ifndef UAPI_LINUX_IF_PACKET_H
#define UAPI_LINUX_IF_PACKET_H

#include <stddef.h>
#include <linux/if_packet.h>

_Static_assert(sizeof(struct sockaddr_ll) == 20, "struct sockaddr_ll (<linux/if_packet.h>): 20 bytes");
_Static_assert(offsetof(struct sockaddr_ll, sll_protocol) == 2, "sockaddr_ll.sll_protocol at 2");
_Static_assert(offsetof(struct sockaddr_ll, sll_ifindex) == 4, "sockaddr_ll.sll_ifindex at 4");
_Static_assert(offsetof(struct sockaddr_ll, sll_hatype) == 8, "sockaddr_ll.sll_hatype at 8");
_Static_assert(offsetof(struct sockaddr_ll, sll_pkttype) == 10, "sockaddr_ll.sll_pkttype at 10");
_Static_assert(offsetof(struct sockaddr_ll, sll_halen) == 11, "sockaddr_ll.sll_halen at 11");
_Static_assert(offsetof(struct sockaddr_ll, sll_addr) == 12, "sockaddr_ll.sll_addr at 12");

#endif
