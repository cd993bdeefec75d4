/*
 * capability.c - capabilities: capget, capset, and what uid changes do
 * to them.  Each task has effective, permitted and inheritable sets (and
 * the bounding set prctl reads).  A root process starts with every
 * capability; Linux's rules for uid changes (capabilities(7), "Effect of
 * user ID changes on capabilities") drop them; exec gives a process the
 * full sets again when it runs as root, otherwise what the file's
 * capabilities (security.capability, fs/xattr.c) grant, and set-id files
 * their owner's ids (fs/exec.c).  Permission checks elsewhere in the kernel still ask
 * for euid 0.
 */
#include "kernel/kernel.h"
#include "kernel/capability.h"
#include "kernel/groups.h"
#include "kernel/mm.h"
#include "kernel/sched.h"
#include "kernel/syscalls.h"
#include "kernel/xattr.h"
#include "uapi/linux/capability.h"

#define CAP_FULL	((1ULL << (CAP_LAST_CAP + 1)) - 1)

void cap_init_task(struct task *t)
{
	u64 all = t->euid == 0 ? CAP_FULL : 0;

	t->cap_effective = t->cap_permitted = all;
	t->cap_inheritable = 0;
	t->cap_bset = CAP_FULL;
}

/*
 * The credentials exec gives (Linux's cap_bprm_creds_from_file): euid/egid
 * are the file's set-id owner or the caller's own (file_euid/file_egid).
 * File capabilities fc (NULL: none) give permitted (fP & bounding set) |
 * (fI & pI), all raised when the file's effective bit is set; such a file
 * whose fP the bounding set cuts is -EPERM, as Linux refuses a
 * "capability-dumb" program less than it asks for.  Root, real or
 * effective, gets the bounding set | pI permitted, effective as euid 0,
 * except a set-user-ID-root file with capabilities run by another user,
 * which gets only the file's.
 * A change of the effective ids (an egid outside the groups) or
 * capabilities gained, under no_new_privs or with the fs context shared
 * outside the process (unsafe_share, unless CAP_SETUID), is taken back:
 * the ids become the real ones and no capability is gained.  Sets
 * c->secure (AT_SECURE) as Linux's secureexec: ids other than the real
 * ones, or, for a real uid other than 0, capabilities raised or permitted.
 */
int cap_exec_prepare(const struct task *t, struct exec_cred *c, uid_t file_euid,
		     gid_t file_egid, bool unsafe_share, const struct fcaps *fc)
{
	bool setid = file_euid != t->uid || file_egid != t->gid;
	bool changed = file_euid != t->euid || !in_group_p(file_egid);
	bool effective = false;

	c->euid = file_euid;
	c->egid = file_egid;
	c->permitted = 0;
	if (fc) {
		effective = fc->effective;
		c->permitted = (t->cap_bset & fc->permitted) | (t->cap_inheritable & fc->inheritable);
		if (effective && (fc->permitted & ~c->permitted))
			return -EPERM;
	}
	if (!(fc && file_euid == 0 && t->uid != 0) && (t->uid == 0 || file_euid == 0)) {
		c->permitted = t->cap_bset | t->cap_inheritable;
		/* Decided by the euid before any taking back, as Linux does. */
		if (file_euid == 0)
			effective = true;
	}
	if ((changed || (c->permitted & ~t->cap_permitted)) &&
	    (t->no_new_privs || (unsafe_share && t->euid != 0))) {
		c->euid = t->uid;
		c->egid = t->gid;
		c->permitted &= t->cap_permitted;
	}
	c->effective = effective ? c->permitted : 0;
	c->secure = setid || (t->uid != 0 && (effective || c->permitted));
	return 0;
}

/*
 * Gives t the credentials c: the saved ids follow the effective ones, as
 * at every exec.  A process whose ids differ from its real ones is not
 * dumpable (suid_dumpable 0), others are again; a privileged exec forgets
 * the parent-death signal, so that the parent cannot signal it.
 */
void cap_exec_commit(struct task *t, const struct exec_cred *c)
{
	if (c->secure || c->euid != t->euid || c->egid != t->egid ||
	    (c->permitted & ~t->cap_permitted))
		t->pdeath_signal = 0;
	t->euid = t->suid = c->euid;
	t->egid = t->sgid = c->egid;
	t->cap_permitted = c->permitted;
	t->cap_effective = c->effective;
	t->signal->dumpable = t->euid == t->uid && t->egid == t->gid;
}

/* After a uid change from (r, e, s): capabilities(7)'s rules (no keepcaps). */
void cap_setuid_fixup(struct task *t, uid_t r, uid_t e, uid_t s)
{
	if ((r == 0 || e == 0 || s == 0) && t->uid != 0 && t->euid != 0 && t->suid != 0) {
		t->cap_permitted = t->cap_effective = 0;
		return;
	}
	if (e == 0 && t->euid != 0)
		t->cap_effective = 0;
	if (e != 0 && t->euid == 0)
		t->cap_effective = t->cap_permitted;
}

/*
 * The header's version: 1 (one 32-bit word of each set), 2 and 3 (two).
 * Another version: -EINVAL, and the header says the one preferred.
 */
static int cap_version(uaddr_t hdrp, struct __user_cap_header_struct *h, int *words)
{
	u32 v3 = _LINUX_CAPABILITY_VERSION_3;

	if (copy_from_user(h, hdrp, sizeof(*h)))
		return -EFAULT;
	if (h->version == _LINUX_CAPABILITY_VERSION_1) {
		*words = _LINUX_CAPABILITY_U32S_1;
		return 0;
	}
	if (h->version == _LINUX_CAPABILITY_VERSION_2 || h->version == _LINUX_CAPABILITY_VERSION_3) {
		*words = _LINUX_CAPABILITY_U32S_3;
		return 0;
	}
	return put_user(v3, hdrp) ? -EFAULT : -EINVAL;
}

SYSCALL(capget)
{
	uaddr_t hdrp = UADDR(a[0]), datap = UADDR(a[1]);
	struct __user_cap_header_struct h;
	struct __user_cap_data_struct d[2];
	struct task *p;
	int words, err = cap_version(hdrp, &h, &words);

	if (err)
		return err;
	if (h.pid < 0)
		return -EINVAL;
	p = h.pid ? find_task(h.pid) : t;
	if (p == NULL || p->mm == NULL)
		return -ESRCH;
	if (uaddr_is_null(datap))
		return 0;	/* a version probe */
	for (int i = 0; i < 2; i++) {
		d[i].effective = (u32)(p->cap_effective >> (32 * i));
		d[i].permitted = (u32)(p->cap_permitted >> (32 * i));
		d[i].inheritable = (u32)(p->cap_inheritable >> (32 * i));
	}
	return copy_to_user(datap, d, (size_t)words * sizeof(d[0])) ? -EFAULT : 0;
}

static u64 cap_join(const struct __user_cap_data_struct *d, int words, int which)
{
	u64 v = 0;

	for (int i = 0; i < words; i++) {
		u32 w = which == 0 ? d[i].effective : which == 1 ? d[i].permitted : d[i].inheritable;

		v |= (u64)w << (32 * i);
	}
	return v & CAP_FULL;
}

/*
 * Linux's cap_capset: only the caller's own sets (pid 0 or its own);
 * permitted may only shrink, effective stay within it, inheritable within
 * the old inheritable plus permitted (CAP_SETPCAP: within the bounding set).
 */
SYSCALL(capset)
{
	uaddr_t hdrp = UADDR(a[0]);
	struct __user_cap_header_struct h;
	struct __user_cap_data_struct d[2];
	u64 e, pm, in;
	int words, err = cap_version(hdrp, &h, &words);

	if (err)
		return err;
	if (h.pid != 0 && h.pid != t->pid)
		return -EPERM;
	if (copy_from_user(d, UADDR(a[1]), (size_t)words * sizeof(d[0])))
		return -EFAULT;
	e = cap_join(d, words, 0);
	pm = cap_join(d, words, 1);
	in = cap_join(d, words, 2);
	if (words == 1) {	/* version 1 leaves the upper words as they were */
		e |= t->cap_effective & ~0xffffffffULL;
		pm |= t->cap_permitted & ~0xffffffffULL;
		in |= t->cap_inheritable & ~0xffffffffULL;
	}
	if ((pm & ~t->cap_permitted) || (e & ~pm))
		return -EPERM;
	if (in & ~(t->cap_inheritable | t->cap_permitted) &&
	    (!(t->cap_effective & (1ULL << CAP_SETPCAP)) || (in & ~t->cap_bset)))
		return -EPERM;
	t->cap_effective = e;
	t->cap_permitted = pm;
	t->cap_inheritable = in;
	return 0;
}

/* PR_CAPBSET_READ: 1 or 0; a capability past CAP_LAST_CAP is -EINVAL. */
long cap_bset_read(struct task *t, unsigned long cap)
{
	if (cap > CAP_LAST_CAP)
		return -EINVAL;
	return (t->cap_bset >> cap) & 1;
}

/* PR_CAPBSET_DROP: needs CAP_SETPCAP. */
long cap_bset_drop(struct task *t, unsigned long cap)
{
	if (cap > CAP_LAST_CAP)
		return -EINVAL;
	if (!(t->cap_effective & (1ULL << CAP_SETPCAP)))
		return -EPERM;
	t->cap_bset &= ~(1ULL << cap);
	return 0;
}
