/*
 * uapi/linux/rtnetlink.h - <linux/netlink.h> and <linux/rtnetlink.h>:
 * the netlink header, sockaddr_nl and the NETLINK_ROUTE messages of
 * links, addresses and routes (rtnetlink(7)), checked against the x86_64
 * ABI.
 */
#ifndef UAPI_LINUX_RTNETLINK_H
#define UAPI_LINUX_RTNETLINK_H

#include <stddef.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

_Static_assert(sizeof(struct nlmsghdr) == 16, "struct nlmsghdr: 16 bytes");
_Static_assert(sizeof(struct nlmsgerr) == 20, "struct nlmsgerr: 20 bytes");
_Static_assert(sizeof(struct sockaddr_nl) == 12, "struct sockaddr_nl: 12 bytes");
_Static_assert(offsetof(struct sockaddr_nl, nl_pid) == 4, "sockaddr_nl.nl_pid at 4");
_Static_assert(sizeof(struct rtattr) == 4, "struct rtattr: 4 bytes");
_Static_assert(sizeof(struct ifinfomsg) == 16, "struct ifinfomsg: 16 bytes");
_Static_assert(offsetof(struct ifinfomsg, ifi_index) == 4, "ifinfomsg.ifi_index at 4");
_Static_assert(sizeof(struct ifaddrmsg) == 8, "struct ifaddrmsg: 8 bytes");
_Static_assert(offsetof(struct ifaddrmsg, ifa_index) == 4, "ifaddrmsg.ifa_index at 4");
_Static_assert(sizeof(struct rtmsg) == 12, "struct rtmsg: 12 bytes");

#endif
