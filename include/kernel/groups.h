/* groups.h - supplementary groups (kernel/groups.c). */
#ifndef KERNEL_GROUPS_H
#define KERNEL_GROUPS_H

#include "kernel/types.h"

struct group_info;
struct task;

struct group_info *groups_get(struct group_info *g);	/* a new reference (NULL stays NULL) */
void groups_put(struct group_info *g);
bool in_group_p(gid_t gid);		/* current's egid or one of its groups */
bool in_group_range(gid_t low, gid_t high);	/* current's egid or a group in [low, high] */
int groups_format(struct task *p, char *buf, int size);	/* for /proc/PID/status */

#endif
