/*
 * uapi/linux/in6.h - <linux/in6.h>: struct sockaddr_in6, struct
 * in6_addr, the IPPROTO_IPV6 option numbers and the IPv6 extension
 * header protocol numbers; <linux/ipv6.h>'s struct in6_pktinfo.  The
 * layouts the kernel copies to or from guests, checked here against
 * the x86_64 ABI.
 */
#ifndef UAPI_LINUX_IN6_H
#define UAPI_LINUX_IN6_H

#include <stddef.h>
#include <linux/in6.h>
#include <linux/ipv6.h>

_Static_assert(sizeof(struct sockaddr_in6) == 28, "struct sockaddr_in6 (<linux/in6.h>): 28 bytes");
_Static_assert(offsetof(struct sockaddr_in6, sin6_port) == 2, "struct sockaddr_in6.sin6_port at 2");
_Static_assert(offsetof(struct sockaddr_in6, sin6_flowinfo) == 4, "struct sockaddr_in6.sin6_flowinfo at 4");
_Static_assert(offsetof(struct sockaddr_in6, sin6_addr) == 8, "struct sockaddr_in6.sin6_addr at 8");
_Static_assert(offsetof(struct sockaddr_in6, sin6_scope_id) == 24, "struct sockaddr_in6.sin6_scope_id at 24");
_Static_assert(sizeof(struct in6_pktinfo) == 20, "struct in6_pktinfo (<linux/ipv6.h>): 20 bytes");
/* The shortest sockaddr_in6 Linux takes (RFC 2133's, without sin6_scope_id). */
#define SIN6_LEN_RFC2133	24

#endif
