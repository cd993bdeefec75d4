/*
 * groups.c - supplementary groups: getgroups, setgroups, in_group_p.
 *
 * A task's groups are a sorted, refcounted array (struct group_info)
 * shared with its children until one of them calls setgroups, which
 * makes a new one; the last put frees it.
 */
#include "kernel/kernel.h"
#include "kernel/groups.h"
#include "kernel/mm.h"
#include "kernel/page.h"
#include "kernel/sched.h"
#include "kernel/syscalls.h"

#define NGROUPS_MAX	65536

struct group_info {
	int usage;		/* tasks holding it */
	int ngroups;
	gid_t gid[];		/* sorted */
};

struct group_info *groups_get(struct group_info *g)
{
	if (g)
		g->usage++;
	return g;
}

void groups_put(struct group_info *g)
{
	if (g && --g->usage == 0)
		kfree(g);
}

/* Whether gid is current's effective gid or one of its groups. */
bool in_group_range(gid_t low, gid_t high)
{
	struct group_info *g = current ? current->groups : NULL;
	int i;

	if (current == NULL || (current->egid >= low && current->egid <= high))
		return true;
	for (i = 0; g && i < g->ngroups; i++)
		if (g->gid[i] >= low && g->gid[i] <= high)
			return true;
	return false;
}

bool in_group_p(gid_t gid)
{
	struct group_info *g = current ? current->groups : NULL;
	int lo = 0, hi = g ? g->ngroups : 0;

	if (current == NULL || current->egid == gid)
		return true;
	while (lo < hi) {		/* binary search, as Linux's groups_search */
		int mid = lo + (hi - lo) / 2;

		if (g->gid[mid] == gid)
			return true;
		if (g->gid[mid] < gid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

SYSCALL(getgroups)
{
	int size = (int)a[0];
	struct group_info *g = t->groups;
	int n = g ? g->ngroups : 0;

	if (size < 0)
		return -EINVAL;
	if (size == 0)
		return n;
	if (size < n)
		return -EINVAL;
	if (n && copy_to_user(UADDR(a[1]), g->gid, (size_t)n * sizeof(gid_t)))
		return -EFAULT;
	return n;
}

static void sort_gids(gid_t *v, int n)
{
	for (int i = 1; i < n; i++) {	/* insertion sort: lists are short */
		gid_t x = v[i];
		int j = i;

		for (; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

/* Needs CAP_SETGID (euid 0 here): -EPERM; more than NGROUPS_MAX: -EINVAL. */
SYSCALL(setgroups)
{
	size_t n = (size_t)a[0];
	struct group_info *g;

	if (n > NGROUPS_MAX)
		return -EINVAL;
	if (t->euid != 0)
		return -EPERM;
	g = kmalloc(sizeof(*g) + n * sizeof(gid_t));
	if (g == NULL)
		return -ENOMEM;
	g->usage = 1;
	g->ngroups = (int)n;
	if (n && copy_from_user(g->gid, UADDR(a[1]), n * sizeof(gid_t))) {
		kfree(g);
		return -EFAULT;
	}
	sort_gids(g->gid, (int)n);
	groups_put(t->groups);
	t->groups = g;
	return 0;
}

/* The groups as /proc/PID/status prints them ("1 5 7 "), into buf. */
int groups_format(struct task *p, char *buf, int size)
{
	struct group_info *g = p->groups;
	int len = 0;

	buf[0] = '\0';
	for (int i = 0; g && i < g->ngroups && len < size - 12; i++)
		len += ksnprintf(buf + len, (size_t)(size - len), "%u ", g->gid[i]);
	return len;
}
