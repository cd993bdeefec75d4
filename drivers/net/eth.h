/*
 * eth.h - between the Ethernet driver (eth.c) and the boot-time IP
 * configuration (ipconfig.c), both in drivers/net/.
 */
#ifndef DRIVERS_NET_ETH_H
#define DRIVERS_NET_ETH_H

#include "kernel/inet.h"
#include "shared/net.h"

/* Interface i (0..NET_MAX_IF-1) and what its host half said, or NULL. */
struct netdevice *eth_dev(int i);
const struct net_open_info *eth_info(int i);
/* Gives dev an address and mask, with its on-link route, and announces it. */
void eth_set_addr(struct netdevice *dev, u32 ip, u32 mask);

/* ipconfig.c: ip= at boot (static now; DHCP later, from init's thread). */
void ipconfig_setup(const char *ipv);
/* A frame from dev while DHCP runs: true if it was the client's (consumed). */
bool ipconfig_rcv(struct netdevice *dev, const u8 *frame, u32 len);
extern bool ipconfig_listening;

#endif
