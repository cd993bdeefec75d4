/*
 * uapi/linux/if.h - the structures of the SIOC* ioctls (netdevice(7),
 * <linux/if.h>, <linux/route.h>).  Those headers include glibc's
 * <sys/socket.h> outside the kernel, so the layouts are written here
 * from them (x86_64) and checked against the sizes and offsets there;
 * the ioctl numbers come from <linux/sockios.h> itself.
 */
#ifndef UAPI_LINUX_IF_H
#define UAPI_LINUX_IF_H

#include <stddef.h>
#include <linux/sockios.h>

struct ksockaddr {			/* struct sockaddr */
	unsigned short sa_family;
	char sa_data[14];
};

struct kifreq {				/* struct ifreq */
	char ifr_name[16];
	union {
		struct ksockaddr addr;	/* ifr_addr, ifr_netmask, ifr_broadaddr, ifr_hwaddr */
		short flags;		/* ifr_flags */
		int ivalue;		/* ifr_ifindex, ifr_metric, ifr_mtu, ifr_qlen */
		char newname[16];
		unsigned long long map[3];	/* struct ifmap: the union's size and alignment */
	} u;
};

struct kifconf {			/* struct ifconf */
	int ifc_len;
	int __pad;
	unsigned long long ifc_buf;
};

struct krtentry {			/* struct rtentry */
	unsigned long rt_pad1;
	struct ksockaddr rt_dst, rt_gateway, rt_genmask;
	unsigned short rt_flags;
	short rt_pad2;
	unsigned long rt_pad3;
	unsigned long rt_pad4;
	short rt_metric;
	unsigned long long rt_dev;	/* char * */
	unsigned long rt_mtu, rt_window;
	unsigned short rt_irtt;
};
#define RTF_UP		0x0001
#define RTF_GATEWAY	0x0002
#define RTF_HOST	0x0004

_Static_assert(sizeof(struct kifreq) == 40, "struct ifreq: 40 bytes");
_Static_assert(offsetof(struct kifreq, u) == 16, "struct ifreq.ifr_ifru at 16");
_Static_assert(sizeof(struct kifconf) == 16, "struct ifconf: 16 bytes");
_Static_assert(offsetof(struct kifconf, ifc_buf) == 8, "struct ifconf.ifc_buf at 8");
_Static_assert(sizeof(struct krtentry) == 120, "struct rtentry: 120 bytes");
_Static_assert(offsetof(struct krtentry, rt_dst) == 8, "struct rtentry.rt_dst at 8");
_Static_assert(offsetof(struct krtentry, rt_gateway) == 24, "struct rtentry.rt_gateway at 24");
_Static_assert(offsetof(struct krtentry, rt_genmask) == 40, "struct rtentry.rt_genmask at 40");
_Static_assert(offsetof(struct krtentry, rt_flags) == 56, "struct rtentry.rt_flags at 56");
_Static_assert(offsetof(struct krtentry, rt_metric) == 80, "struct rtentry.rt_metric at 80");
_Static_assert(offsetof(struct krtentry, rt_dev) == 88, "struct rtentry.rt_dev at 88");

#endif
