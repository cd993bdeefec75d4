/*
 * dhcp.h - the DHCP client's messages on the wire (RFC 2131, RFC 2132),
 * pure functions over buffers (drivers/net/dhcp.c) for ipconfig.c and
 * the unit test.  Addresses in network order.
 */
#ifndef DRIVERS_NET_DHCP_H
#define DRIVERS_NET_DHCP_H

#include "kernel/types.h"

#define DHCP_DISCOVER	1
#define DHCP_OFFER	2
#define DHCP_REQUEST	3
#define DHCP_ACK	5
#define DHCP_NAK	6
#define DHCP_DNS_MAX	3
#define DHCP_MSG_LEN	(20 + 8 + 300)	/* IP + UDP + RFC 951's 300-byte message */

struct dhcp_lease {
	u32 yiaddr, server, mask, gw, dns[DHCP_DNS_MAX];
	char domain[64], host[65];
};

/*
 * Writes a DISCOVER, or a REQUEST for req's address from req's server,
 * as an IPv4/UDP packet from 0.0.0.0:68 to 255.255.255.255:67 into buf
 * (DHCP_MSG_LEN bytes): its length.
 */
u32 dhcp_build(u8 *buf, u8 type, u32 xid, const u8 *mac, u32 secs, const struct dhcp_lease *req);
/*
 * A received Ethernet frame: -1 if it is not for the DHCP client's port
 * (the stack may have it), 0 if it is but is not an answer to (xid, mac)
 * or is malformed, else the answer's message type with *out filled.
 */
int dhcp_parse(const u8 *frame, u32 len, u32 xid, const u8 *mac, struct dhcp_lease *out);

#endif
