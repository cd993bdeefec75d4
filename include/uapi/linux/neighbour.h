/*
 * uapi/linux/neighbour.h - <linux/neighbour.h>: struct ndmsg, the NDA_*
 * attributes and NUD_* states of RTM_NEWNEIGH/GETNEIGH (rtnetlink(7)),
 * checked against the x86_64 ABI.
 */
#ifndef UAPI_LINUX_NEIGHBOUR_H
#define UAPI_LINUX_NEIGHBOUR_H

#include <stddef.h>
#include <linux/neighbour.h>

_Static_assert(sizeof(struct ndmsg) == 12, "struct ndmsg: 12 bytes");
_Static_assert(offsetof(struct ndmsg, ndm_ifindex) == 4, "ndmsg.ndm_ifindex at 4");
_Static_assert(offsetof(struct ndmsg, ndm_state) == 8, "ndmsg.ndm_state at 8");
_Static_assert(NDA_DST == 1 && NDA_LLADDR == 2, "NDA_DST 1, NDA_LLADDR 2");
_Static_assert(NUD_REACHABLE == 0x02 && NUD_STALE == 0x04 && NTF_ROUTER == 0x80, "NUD_*, NTF_ROUTER");

#endif
