/*
 * devinet.c - the SIOC* ioctls on any AF_INET socket (netdevice(7)):
 * list interfaces, read and set their flags, address, netmask, MTU and
 * hardware address, and add or delete routes (SIOCADDRT/SIOCDELRT, the
 * route(8) of net-tools and busybox).  Setting needs root, as
 * CAP_NET_ADMIN would.
 */
#include "kernel/kernel.h"
#include "kernel/inet.h"
#include "kernel/mm.h"
#include "kernel/sched.h"
#include "uapi/linux/if.h"

#define ARPHRD_ETHER	1
#define ARPHRD_LOOPBACK	772

static u32 sa_addr(const struct ksockaddr *sa)
{
	u32 a;

	memcpy(&a, sa->sa_data + 2, 4);
	return a;
}

static void sa_fill(struct ksockaddr *sa, u32 a)
{
	memset(sa, 0, sizeof(*sa));
	sa->sa_family = 2 /* AF_INET */;
	memcpy(sa->sa_data + 2, &a, 4);
}

static long dev_ifconf(u64 arg)
{
	struct kifconf ifc;
	struct netdevice *d;
	int done = 0;

	if (copy_from_user(&ifc, UADDR(arg), sizeof(ifc)) < 0)
		return -EFAULT;
	list_for_each_entry(d, &netdev_list, link) {
		struct kifreq r;

		if (d->ip == 0)
			continue;	/* SIOCGIFCONF lists the interfaces with an address */
		if (ifc.ifc_buf != 0) {
			if (done + (int)sizeof(r) > ifc.ifc_len)
				break;
			memset(&r, 0, sizeof(r));
			kstrlcpy(r.ifr_name, d->name, sizeof(r.ifr_name));
			sa_fill(&r.u.addr, d->ip);
			if (copy_to_user(UADDR(ifc.ifc_buf + (u64)done), &r, sizeof(r)) < 0)
				return -EFAULT;
		}
		done += (int)sizeof(r);
	}
	ifc.ifc_len = done;
	return copy_to_user(UADDR(arg), &ifc, sizeof(ifc)) < 0 ? -EFAULT : 0;
}

static long dev_get(struct netdevice *d, unsigned cmd, struct kifreq *r)
{
	switch (cmd) {
	case SIOCGIFFLAGS:	r->u.flags = (short)d->flags; break;
	case SIOCGIFADDR:
		if (d->ip == 0)
			return -EADDRNOTAVAIL;
		sa_fill(&r->u.addr, d->ip);
		break;
	case SIOCGIFNETMASK:
		if (d->ip == 0)
			return -EADDRNOTAVAIL;
		sa_fill(&r->u.addr, d->mask);
		break;
	case SIOCGIFBRDADDR:
		if (d->ip == 0)
			return -EADDRNOTAVAIL;
		sa_fill(&r->u.addr, (d->flags & IFF_BROADCAST) ? (d->ip | ~d->mask) : 0);
		break;
	case SIOCGIFDSTADDR:
		if (d->ip == 0)
			return -EADDRNOTAVAIL;
		sa_fill(&r->u.addr, d->ip);
		break;
	case SIOCGIFMTU:	r->u.ivalue = (int)d->mtu; break;
	case SIOCGIFINDEX:	r->u.ivalue = d->ifindex; break;
	case SIOCGIFMETRIC:	r->u.ivalue = 0; break;
	case SIOCGIFTXQLEN:	r->u.ivalue = (d->flags & IFF_LOOPBACK) ? 1000 : 1000; break;
	case SIOCGIFHWADDR:
		memset(&r->u.addr, 0, sizeof(r->u.addr));
		r->u.addr.sa_family = (d->flags & IFF_LOOPBACK) ? ARPHRD_LOOPBACK : ARPHRD_ETHER;
		memcpy(r->u.addr.sa_data, d->addr, 6);
		break;
	case SIOCGIFMAP:	memset(&r->u, 0, sizeof(r->u)); break;
	default:		return -ENOIOCTLCMD;
	}
	return 0;
}

/* Replaces the on-link route of d after its address or mask changed. */
static void dev_subnet_route(struct netdevice *d, u32 old_ip, u32 old_mask)
{
	if (d->flags & IFF_LOOPBACK)
		return;
	if (old_ip)
		route_flush_dev(d, false);
	if (d->ip && (d->flags & IFF_UP))
		route_add(d->ip & d->mask, d->mask, 0, d, 0);
}

static u32 default_mask(u32 ip)
{
	u8 first = (u8)(be32_to_cpu(ip) >> 24);

	return first < 128 ? IPV4(255, 0, 0, 0) : first < 192 ? IPV4(255, 255, 0, 0) :
	       IPV4(255, 255, 255, 0);
}

static long dev_set(struct netdevice *d, unsigned cmd, struct kifreq *r)
{
	u32 old_ip = d->ip, old_mask = d->mask, a;

	if (current->euid != 0)
		return -EPERM;
	switch (cmd) {
	case SIOCSIFFLAGS: {
		unsigned keep = IFF_LOOPBACK | IFF_RUNNING | IFF_BROADCAST | IFF_MULTICAST;
		unsigned nf = ((unsigned)(unsigned short)r->u.flags & ~keep) | (d->flags & keep);
		bool was_up = d->flags & IFF_UP;

		d->flags = nf;
		if (d->flags & IFF_LOOPBACK)
			return 0;
		if (was_up != !!(d->flags & IFF_UP)) {
			if (was_up)
				addrconf_dev_down(d);
			else
				addrconf_dev_up(d);
		}
		if (!(d->flags & IFF_UP))
			route_flush_dev(d, false);	/* as Linux: a down link keeps no route */
		else if (d->ip)
			route_add(d->ip & d->mask, d->mask, 0, d, 0);
		return 0;
	}
	case SIOCSIFADDR:
		a = sa_addr(&r->u.addr);
		d->ip = a;
		if (a && (old_ip == 0 || (old_ip & old_mask) != (a & old_mask)))
			d->mask = default_mask(a);
		dev_subnet_route(d, old_ip, old_mask);
		return 0;
	case SIOCSIFNETMASK:
		a = sa_addr(&r->u.addr);
		if (~be32_to_cpu(a) & (~be32_to_cpu(a) + 1))
			return -EINVAL;		/* not contiguous */
		d->mask = a;
		dev_subnet_route(d, old_ip, old_mask);
		return 0;
	case SIOCSIFMTU:
		if (r->u.ivalue < 68 || r->u.ivalue > 65536)
			return -EINVAL;
		d->mtu = (u32)r->u.ivalue;
		return 0;
	case SIOCSIFBRDADDR:
		return 0;		/* the broadcast address follows from the mask here */
	}
	return -ENOIOCTLCMD;
}

static long dev_ifreq(unsigned cmd, u64 arg)
{
	struct kifreq r;
	struct netdevice *d;
	long err;

	if (copy_from_user(&r, UADDR(arg), sizeof(r)) < 0)
		return -EFAULT;
	if (cmd == SIOCGIFNAME) {
		d = dev_get_by_index(r.u.ivalue);
		if (d == NULL)
			return -ENODEV;
		kstrlcpy(r.ifr_name, d->name, sizeof(r.ifr_name));
		return copy_to_user(UADDR(arg), &r, sizeof(r)) < 0 ? -EFAULT : 0;
	}
	r.ifr_name[sizeof(r.ifr_name) - 1] = 0;
	d = dev_get_by_name(r.ifr_name);
	if (d == NULL)
		return -ENODEV;
	err = dev_get(d, cmd, &r);
	if (err == 0)
		return copy_to_user(UADDR(arg), &r, sizeof(r)) < 0 ? -EFAULT : 0;
	if (err != -ENOIOCTLCMD)
		return err;
	return dev_set(d, cmd, &r);
}

static long route_ioctl(unsigned cmd, u64 arg)
{
	struct krtentry rt;
	struct netdevice *d = NULL;
	u32 dst, mask, gw;
	char name[IFNAMSIZ];

	if (current->euid != 0)
		return -EPERM;
	if (copy_from_user(&rt, UADDR(arg), sizeof(rt)) < 0)
		return -EFAULT;
	dst = sa_addr(&rt.rt_dst);
	mask = (rt.rt_flags & RTF_HOST) ? 0xffffffff : sa_addr(&rt.rt_genmask);
	gw = (rt.rt_flags & RTF_GATEWAY) ? sa_addr(&rt.rt_gateway) : 0;
	if (rt.rt_dev != 0) {
		if (strncpy_from_user(name, UADDR(rt.rt_dev), sizeof(name)) < 0)
			return -EFAULT;
		name[sizeof(name) - 1] = 0;
		d = dev_get_by_name(name);
		if (d == NULL)
			return -ENODEV;
	}
	if (cmd == SIOCDELRT)
		return route_del(dst & mask, mask, d);
	if (d == NULL) {			/* the device that reaches the gateway */
		const struct route *r = ip_route(gw ? gw : dst);

		if (r == NULL)
			return -ENETUNREACH;
		d = r->dev;
	}
	if ((dst & ~mask) != 0)
		return -EINVAL;
	return route_add(dst, mask, gw, d, rt.rt_metric > 0 ? rt.rt_metric - 1 : 0);
}

long inet_dev_ioctl(unsigned cmd, u64 arg)
{
	switch (cmd) {
	case SIOCGIFCONF:
		return dev_ifconf(arg);
	case SIOCADDRT: case SIOCDELRT:
		return route_ioctl(cmd, arg);
	case SIOCGIFNAME: case SIOCGIFFLAGS: case SIOCSIFFLAGS: case SIOCGIFADDR: case SIOCSIFADDR:
	case SIOCGIFNETMASK: case SIOCSIFNETMASK: case SIOCGIFBRDADDR: case SIOCSIFBRDADDR:
	case SIOCGIFDSTADDR: case SIOCGIFMTU: case SIOCSIFMTU: case SIOCGIFINDEX: case SIOCGIFMETRIC:
	case SIOCGIFTXQLEN: case SIOCGIFHWADDR: case SIOCGIFMAP:
		return dev_ifreq(cmd, arg);
	}
	return -ENOTTY;
}
