/*
 * base.c - /proc/<pid>: one directory per process, its files rendered
 * from the task (stat, status, cmdline...), its symlinks (exe, cwd,
 * root) and fd/, a symlink per open file.  Formats follow proc(5) and
 * Linux's fs/proc/array.c field order.
 */
#include "kernel/cputime.h"
#include "kernel/mm.h"
#include "kernel/page.h"
#include "kernel/vdso.h"
#include "kernel/groups.h"
#include "kernel/net.h"
#include "uapi/asm/unistd_64.h"
#include "uapi/linux/capability.h"
#include "../internal.h"
#include "internal.h"

#define TICK_NS		(1000000000ULL / 100)	/* USER_HZ */
#define PF_KTHREAD	0x00200000
#define ARG_MAX_SHOW	(128u << 10)

static unsigned long long ticks(u64 ns)
{
	return (unsigned long long)(ns / TICK_NS);
}

static char state_char(const struct task *t)
{
	if (t->state == TASK_ZOMBIE)
		return 'Z';
	if (t->state == TASK_DEAD)
		return 'X';
	if (t->signal->stop_sig && t->stopped)
		return 'T';
	if (t->state == TASK_RUNNING || t->state == TASK_USER)
		return 'R';
	if (t->state == TASK_UNINTERRUPTIBLE)
		return t->kthread_fn != NULL ? 'I' : 'D';	/* Linux's idle kernel threads */
	return 'S';
}

static const char *state_name(char c)
{
	switch (c) {
	case 'R': return "R (running)";
	case 'S': return "S (sleeping)";
	case 'D': return "D (disk sleep)";
	case 'T': return "T (stopped)";
	case 'Z': return "Z (zombie)";
	case 'I': return "I (idle)";
	default: return "X (dead)";
	}
}

static int nr_threads(const struct task *t)
{
	return t->signal->live > 0 ? t->signal->live : 1;
}

/* Sizes of an address space, in bytes. */
struct mm_sizes {
	u64 vsize, data, stack, exe, lib;
	u64 start_code, end_code;
};

/* The lowest mapping of a file: the executable, as exec maps it first. */
static struct vma *exe_vma(struct mm *mm)
{
	struct vma *v;

	list_for_each_entry(v, &mm->vmas, list)
		if (v->file != NULL)
			return v;
	return NULL;
}

static void mm_sizes(struct mm *mm, struct mm_sizes *s)
{
	struct vma *v, *exe = exe_vma(mm);

	memset(s, 0, sizeof(*s));
	list_for_each_entry(v, &mm->vmas, list) {
		u64 len = v->end - v->start;

		s->vsize += len;
		if (v->flags & VM_GROWSDOWN)
			s->stack += len;
		else if (v->file != NULL && exe != NULL && v->file->f_inode == exe->file->f_inode)
			s->exe += len;
		else if (v->file != NULL)
			s->lib += len;
		else
			s->data += len;
		if (s->start_code == 0 && v->file != NULL && (v->flags & VM_EXEC)) {
			s->start_code = v->start;
			s->end_code = v->end;
		}
	}
}

/* Signals that t ignores (ign) or catches (cgt). */
static void sig_masks(const struct task *t, u64 *ign, u64 *cgt)
{
	*ign = *cgt = 0;
	if (t->sighand == NULL)
		return;
	for (int i = 0; i < KNSIG; i++) {
		u64 h = t->sighand->action[i].handler;

		if (h == 1)
			*ign |= 1ULL << i;
		else if (h != 0)
			*cgt |= 1ULL << i;
	}
}


static void stat_head(struct proc_buf *b, struct task *t)
{
	struct task *parent = group_parent(t);
	pid_t ppid = parent != NULL ? parent->tgid : 0;
	u64 start = t->start_ns > ktime_boot_ns() ? t->start_ns - ktime_boot_ns() : 0;

	cputime_sync(t);
	pb_printf(b, "%d (%s) %c %d %d %d 0 -1 %u 0 0 0 0 %llu %llu %llu %llu 20 0 %d 0 %llu ",
		  t->pid, t->comm, state_char(t), ppid, t->pgid, t->sid,
		  t->kthread_fn != NULL ? PF_KTHREAD : 0, ticks(t->utime_ns), ticks(t->stime_ns),
		  ticks(t->signal->cutime_ns), ticks(t->signal->cstime_ns), nr_threads(t),
		  ticks(start));
}

static int show_stat(struct proc_buf *b, struct task *t)
{
	struct mm *mm = t->mm;
	struct mm_sizes s = { 0 };
	u64 ign, cgt;

	if (mm != NULL)
		mm_sizes(mm, &s);
	sig_masks(t, &ign, &cgt);
	stat_head(b, t);
	pb_printf(b, "%llu %llu 18446744073709551615 %llu %llu %llu 0 0 ",
		  (unsigned long long)s.vsize, (unsigned long long)(mm ? mm->rss : 0),
		  (unsigned long long)s.start_code, (unsigned long long)s.end_code,
		  (unsigned long long)(mm ? mm->stack_start : 0));
	pb_printf(b, "%llu %llu %llu %llu 0 0 0 %d 0 0 0 0 0 0 ",
		  (unsigned long long)t->pending.signal, (unsigned long long)t->blocked,
		  (unsigned long long)ign, (unsigned long long)cgt, t->exit_signal);
	if (mm == NULL) {
		pb_printf(b, "0 0 0 0 0 0 0 %d\n", t->state == TASK_ZOMBIE ? t->exit_code : 0);
		return 0;
	}
	pb_printf(b, "0 0 %llu %llu %llu %llu %llu %d\n", (unsigned long long)mm->brk_start,
		  (unsigned long long)mm->arg_start, (unsigned long long)mm->arg_end,
		  (unsigned long long)mm->env_start, (unsigned long long)mm->env_end,
		  t->state == TASK_ZOMBIE ? t->exit_code : 0);
	return 0;
}

static void status_mm(struct proc_buf *b, struct mm *mm)
{
	struct mm_sizes s;

	mm_sizes(mm, &s);
	pb_printf(b, "VmPeak:\t%8llu kB\nVmSize:\t%8llu kB\nVmLck:\t%8llu kB\n",
		  (unsigned long long)s.vsize / 1024, (unsigned long long)s.vsize / 1024,
		  (unsigned long long)mm_locked_bytes(mm) / 1024);
	pb_printf(b, "VmHWM:\t%8llu kB\nVmRSS:\t%8llu kB\n",
		  (unsigned long long)mm->rss * 4, (unsigned long long)mm->rss * 4);
	pb_printf(b, "VmData:\t%8llu kB\nVmStk:\t%8llu kB\nVmExe:\t%8llu kB\n"
		  "VmLib:\t%8llu kB\nVmSwap:\t       0 kB\n",
		  (unsigned long long)s.data / 1024, (unsigned long long)s.stack / 1024,
		  (unsigned long long)s.exe / 1024, (unsigned long long)s.lib / 1024);
}

static int show_status(struct proc_buf *b, struct task *t)
{
	struct task *parent = group_parent(t);
	pid_t ppid = parent != NULL ? parent->tgid : 0;
	u64 ign, cgt;

	pb_printf(b, "Name:\t%s\nUmask:\t%04o\nState:\t%s\nTgid:\t%d\nNgid:\t0\nPid:\t%d\n"
		  "PPid:\t%d\nTracerPid:\t0\n", t->comm, t->fs ? t->fs->umask : 022,
		  state_name(state_char(t)), t->tgid, t->pid, ppid);
	char groups[256];

	groups_format(t, groups, sizeof(groups));
	pb_printf(b, "Uid:\t%u\t%u\t%u\t%u\nGid:\t%u\t%u\t%u\t%u\nFDSize:\t%d\nGroups:\t%s\n",
		  t->uid, t->euid, t->suid, t->euid, t->gid, t->egid, t->sgid, t->egid,
		  t->files ? t->files->max_fds : 0, groups);
	if (t->mm != NULL)
		status_mm(b, t->mm);
	sig_masks(t, &ign, &cgt);
	pb_printf(b, "Threads:\t%d\nSigPnd:\t%016llx\nShdPnd:\t%016llx\n"
		  "SigBlk:\t%016llx\nSigIgn:\t%016llx\nSigCgt:\t%016llx\n", nr_threads(t),
		  (unsigned long long)t->pending.signal,
		  (unsigned long long)t->signal->shared_pending.signal,
		  (unsigned long long)t->blocked,
		  (unsigned long long)ign, (unsigned long long)cgt);
	pb_printf(b, "CapInh:\t%016llx\nCapPrm:\t%016llx\nCapEff:\t%016llx\n"
		  "CapBnd:\t%016llx\nCapAmb:\t%016llx\nNoNewPrivs:\t%d\n",
		  (unsigned long long)t->cap_inheritable, (unsigned long long)t->cap_permitted,
		  (unsigned long long)t->cap_effective, (unsigned long long)t->cap_bset, 0ULL,
		  t->no_new_privs);
	return 0;
}

/* /proc/PID/limits, in Linux's proc_pid_limits layout. */
static int show_limits(struct proc_buf *b, struct task *t)
{
	static const struct { const char *name, *unit; } lim[TASK_RLIMITS] = {
		{ "Max cpu time", "seconds" }, { "Max file size", "bytes" },
		{ "Max data size", "bytes" }, { "Max stack size", "bytes" },
		{ "Max core file size", "bytes" }, { "Max resident set", "bytes" },
		{ "Max processes", "processes" }, { "Max open files", "files" },
		{ "Max locked memory", "bytes" }, { "Max address space", "bytes" },
		{ "Max file locks", "locks" }, { "Max pending signals", "signals" },
		{ "Max msgqueue size", "bytes" }, { "Max nice priority", NULL },
		{ "Max realtime priority", NULL }, { "Max realtime timeout", "us" },
	};
	char cur[24], max[24];
	int i;

	pb_printf(b, "%-25s %-20s %-20s %-10s\n", "Limit", "Soft Limit", "Hard Limit", "Units");
	for (i = 0; i < TASK_RLIMITS; i++) {
		const struct krlimit *r = &t->signal->rlim[i];

		if (r->cur == ~0ULL)	/* RLIM_INFINITY */
			kstrlcpy(cur, "unlimited", sizeof(cur));
		else
			ksnprintf(cur, sizeof(cur), "%llu", (unsigned long long)r->cur);
		if (r->max == ~0ULL)	/* RLIM_INFINITY */
			kstrlcpy(max, "unlimited", sizeof(max));
		else
			ksnprintf(max, sizeof(max), "%llu", (unsigned long long)r->max);
		pb_printf(b, "%-25s %-20s %-20s ", lim[i].name, cur, max);
		if (lim[i].unit != NULL)
			pb_printf(b, "%-10s", lim[i].unit);
		pb_printf(b, "\n");
	}
	return 0;
}

static int show_statm(struct proc_buf *b, struct task *t)
{
	struct mm_sizes s = { 0 };

	if (t->mm != NULL)
		mm_sizes(t->mm, &s);
	pb_printf(b, "%llu %llu 0 %llu 0 %llu 0\n", (unsigned long long)s.vsize / PAGE_SIZE,
		  (unsigned long long)(t->mm ? t->mm->rss : 0), (unsigned long long)s.exe / PAGE_SIZE,
		  (unsigned long long)(s.data + s.stack) / PAGE_SIZE);
	return 0;
}

/* Copies [lo, hi) of t's memory into the text.  May sleep: t is not used after. */
static int show_range(struct proc_buf *b, struct task *t, bool env)
{
	struct mm *mm = t->mm;
	u64 lo, hi, n;
	char *tmp;

	if (mm == NULL)
		return 0;
	lo = env ? mm->env_start : mm->arg_start;
	hi = env ? mm->env_end : mm->arg_end;
	if (lo == 0 || hi <= lo)
		return 0;
	n = min(hi - lo, (u64)ARG_MAX_SHOW);
	tmp = kmalloc(n);
	if (tmp == NULL)
		return -ENOMEM;
	mm_get(mm);
	if (mm_copy_from(mm, tmp, UADDR(lo), n) == 0)	/* else unmapped: an empty text */
		pb_write(b, tmp, n);
	mm_put(mm);
	kfree(tmp);
	return 0;
}

static int show_cmdline(struct proc_buf *b, struct task *t)
{
	return show_range(b, t, false);
}

/* Linux checks who may read the environment at open (environ_open). */
static int may_open_environ(struct task *t)
{
	return current->euid != 0 && current->euid != t->euid ? -EACCES : 0;
}

static int show_environ(struct proc_buf *b, struct task *t)
{
	return show_range(b, t, true);
}

static int show_comm(struct proc_buf *b, struct task *t)
{
	pb_printf(b, "%s\n", t->comm);
	return 0;
}

/* Appends s with space, tab, newline and backslash escaped as \ooo, as Linux's mounts. */
static void pb_escape(struct proc_buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\\')
			pb_printf(b, "\\%03o", (unsigned)(u8)*s);
		else
			pb_write(b, s, 1);
	}
}

struct mounts_ctx {
	struct proc_buf *b;
	char *path;
	char *root;		/* mountinfo's root field */
	char opts[256];
};

static int show_one_mount(struct vfsmount *mnt, void *arg)
{
	struct mounts_ctx *c = arg;
	struct file_system_type *type = mnt->mnt_sb->s_type;
	int off = mnt_path(mnt, c->path, PATH_MAX);

	if (off < 0)
		return 0;	/* not visible from here */
	pb_escape(c->b, mnt->mnt_devname ? mnt->mnt_devname : "none");
	pb_write(c->b, " ", 1);
	pb_escape(c->b, c->path + off);
	mnt_options(mnt, c->opts, sizeof(c->opts));
	/* /proc/mounts: the mount's options, then the superblock's. */
	if (mnt->mnt_sb->s_op != NULL && mnt->mnt_sb->s_op->show_options != NULL)
		mnt->mnt_sb->s_op->show_options(mnt->mnt_sb, c->opts, sizeof(c->opts));
	pb_printf(c->b, " %s %s 0 0\n", type ? type->name : "unknown", c->opts);
	return 0;
}

/* One line of mountinfo (proc(5)): ids, device, root, mount point, options. */
static int show_one_mountinfo(struct vfsmount *mnt, void *arg)
{
	struct mounts_ctx *c = arg;
	struct file_system_type *type = mnt->mnt_sb->s_type;
	int off = mnt_path(mnt, c->path, PATH_MAX), roff;

	if (off < 0)
		return 0;	/* not visible from here */
	pb_printf(c->b, "%d %d %u:%u ", mnt->mnt_id,
		  mnt->mnt_parent == mnt ? 1 : mnt->mnt_parent->mnt_id,
		  MAJOR(mnt->mnt_sb->s_dev), MINOR(mnt->mnt_sb->s_dev));
	roff = mnt_root_path(mnt, c->root, PATH_MAX);
	pb_escape(c->b, roff < 0 ? "/" : c->root + roff);
	pb_write(c->b, " ", 1);
	pb_escape(c->b, c->path + off);
	mnt_options(mnt, c->opts, sizeof(c->opts));
	pb_printf(c->b, " %s - %s ", c->opts, type ? type->name : "unknown");
	pb_escape(c->b, mnt->mnt_devname ? mnt->mnt_devname : "none");
	kstrlcpy(c->opts, mnt->mnt_sb->s_rdonly ? "ro" : "rw", sizeof(c->opts));
	if (mnt->mnt_sb->s_op != NULL && mnt->mnt_sb->s_op->show_options != NULL)
		mnt->mnt_sb->s_op->show_options(mnt->mnt_sb, c->opts, sizeof(c->opts));
	pb_printf(c->b, " %s\n", c->opts);
	return 0;
}

static int show_mountinfo(struct proc_buf *b, struct task *t)
{
	struct mounts_ctx c = { b, kmalloc(PATH_MAX), kmalloc(PATH_MAX), "" };

	if (c.path != NULL && c.root != NULL)
		mounts_for_each(show_one_mountinfo, &c);
	kfree(c.path);
	kfree(c.root);
	return c.path == NULL || c.root == NULL ? -ENOMEM : 0;
}

static int show_mounts(struct proc_buf *b, struct task *t)
{
	struct mounts_ctx c = { b, kmalloc(PATH_MAX), NULL, "" };

	if (c.path == NULL)
		return -ENOMEM;
	mounts_for_each(show_one_mount, &c);
	kfree(c.path);
	return 0;
}

/* Writes the path of f (as the caller sees it), or its Linux pseudo-name, into buf. */
static int file_name(struct file *f, char *buf, int size)
{
	struct inode *inode = f->f_inode;
	char s[64];

	if (f->f_path.dentry != NULL && !pipe_is_anonymous(f) && !anon_file_is(f))
		return proc_path_link(&f->f_path, buf, size);
	if (inode != NULL && S_ISFIFO(inode->i_mode))
		ksnprintf(s, sizeof(s), "pipe:[%llu]", (unsigned long long)inode->i_ino);
	else if (inode != NULL && S_ISSOCK(inode->i_mode))
		ksnprintf(s, sizeof(s), "socket:[%llu]", (unsigned long long)inode->i_ino);
	else if (anon_file_is(f))	/* "[eventfd]", "[eventpoll]"... */
		ksnprintf(s, sizeof(s), "anon_inode:%s", f->f_path.dentry->d_name);
	else
		ksnprintf(s, sizeof(s), "anon_inode:[%llu]",
			  (unsigned long long)(inode ? inode->i_ino : 0));
	return proc_link_copy(buf, size, s);
}

static void maps_line(struct proc_buf *b, struct vma *v, struct mm *mm, char *path)
{
	const char *special = vdso_vma_name(v);	/* Linux's are not files */
	struct inode *inode = v->file && !special ? v->file->f_inode : NULL;
	dev_t dev = inode ? inode->i_sb->s_dev : 0;
	size_t start = b->len;
	int n = 0;

	pb_printf(b, "%08llx-%08llx %c%c%c%c %08llx %02x:%02x %llu ",
		  (unsigned long long)v->start, (unsigned long long)v->end,
		  v->flags & VM_READ ? 'r' : '-', v->flags & VM_WRITE ? 'w' : '-',
		  v->flags & VM_EXEC ? 'x' : '-', v->flags & VM_SHARED && !special ? 's' : 'p',
		  (unsigned long long)(inode ? v->pgoff * PAGE_SIZE : 0), MAJOR(dev), MINOR(dev),
		  (unsigned long long)(inode ? inode->i_ino : 0));
	if (special != NULL)
		n = ksnprintf(path, PATH_MAX, "%s", special);
	else if (v->file != NULL)
		n = file_name(v->file, path, PATH_MAX - 1);
	else if (v->start <= mm->brk && v->end > mm->brk_start && mm->brk > mm->brk_start)
		n = ksnprintf(path, PATH_MAX, "[heap]");
	else if (v->flags & VM_GROWSDOWN)
		n = ksnprintf(path, PATH_MAX, "[stack]");
	if (n > 0) {
		while (b->len - start < 73 && !b->err)
			pb_write(b, " ", 1);
		pb_write(b, path, (size_t)n);
	}
	pb_write(b, "\n", 1);
}

static int show_maps(struct proc_buf *b, struct task *t)
{
	char *path;
	struct vma *v;

	if (t->mm == NULL)
		return 0;
	path = kmalloc(PATH_MAX);
	if (path == NULL)
		return -ENOMEM;
	list_for_each_entry(v, &t->mm->vmas, list)
		maps_line(b, v, t->mm, path);
	kfree(path);
	return 0;
}

/*
 * /proc/PID/smaps and smaps_rollup: what the page tables map, page by
 * page.  A page's map count is its references less the page cache's own
 * (a cache page) or its references (an anonymous page: after fork the
 * parent's and the child's PTEs share it until one writes).  Pss divides
 * each page by its map count, in 1/4096ths of a byte as Linux's
 * PSS_SHIFT.  An anonymous page is dirty (it was mapped writable at the
 * fault: the host does not say reads from writes), a cache page when
 * PG_DIRTY says so.  Every present page was touched, so Referenced is Rss.
 */
#define PSS_SHIFT	12

struct mem_stats {
	u64 rss, pss, pss_dirty, pss_anon, pss_file;
	u64 shared_clean, shared_dirty, private_clean, private_dirty;
	u64 anon, locked;
	bool vma_locked;
};

static void smaps_pte(struct mm *mm, u64 addr, pte_t *e, void *arg)
{
	struct mem_stats *ms = arg;
	u64 pfn = (*e & PAGE_MASK) >> PAGE_SHIFT, pss;
	struct page *p;
	bool anon, dirty;
	int maps;

	if (!(*e & PTE_PRESENT) || pfn >= nr_pages)
		return;
	p = pfn_to_page(pfn);
	anon = p->owner == NULL;
	maps = anon ? p->refcount : p->refcount - 1;
	if (maps < 1)
		maps = 1;
	dirty = anon || (p->flags & PG_DIRTY);
	pss = ((u64)PAGE_SIZE << PSS_SHIFT) / (u64)maps;
	ms->rss += PAGE_SIZE;
	ms->pss += pss;
	if (dirty)
		ms->pss_dirty += pss;
	if (anon) {
		ms->anon += PAGE_SIZE;
		ms->pss_anon += pss;
	} else {
		ms->pss_file += pss;
	}
	if (maps > 1)
		*(dirty ? &ms->shared_dirty : &ms->shared_clean) += PAGE_SIZE;
	else
		*(dirty ? &ms->private_dirty : &ms->private_clean) += PAGE_SIZE;
	if (ms->vma_locked)
		ms->locked += pss;
}

static void smaps_vma(struct mm *mm, struct vma *v, struct mem_stats *ms)
{
	ms->vma_locked = (v->flags & VM_LOCKED) != 0;
	pte_walk(mm, v->start, v->end, smaps_pte, ms);
}

static void smaps_kb(struct proc_buf *b, const char *name, u64 bytes)
{
	pb_printf(b, "%-16s%8llu kB\n", name, (unsigned long long)(bytes >> 10));
}

/* The lines smaps and smaps_rollup share, from Rss to Locked. */
static void smaps_lines(struct proc_buf *b, const struct mem_stats *ms, bool rollup)
{
	smaps_kb(b, "Rss:", ms->rss);
	smaps_kb(b, "Pss:", ms->pss >> PSS_SHIFT);
	smaps_kb(b, "Pss_Dirty:", ms->pss_dirty >> PSS_SHIFT);
	if (rollup) {
		smaps_kb(b, "Pss_Anon:", ms->pss_anon >> PSS_SHIFT);
		smaps_kb(b, "Pss_File:", ms->pss_file >> PSS_SHIFT);
		smaps_kb(b, "Pss_Shmem:", 0);
	}
	smaps_kb(b, "Shared_Clean:", ms->shared_clean);
	smaps_kb(b, "Shared_Dirty:", ms->shared_dirty);
	smaps_kb(b, "Private_Clean:", ms->private_clean);
	smaps_kb(b, "Private_Dirty:", ms->private_dirty);
	smaps_kb(b, "Referenced:", ms->rss);
	smaps_kb(b, "Anonymous:", ms->anon);
	smaps_kb(b, "KSM:", 0);
	smaps_kb(b, "LazyFree:", 0);
	smaps_kb(b, "AnonHugePages:", 0);
	smaps_kb(b, "ShmemPmdMapped:", 0);
	smaps_kb(b, "FilePmdMapped:", 0);
	smaps_kb(b, "Shared_Hugetlb:", 0);
	smaps_kb(b, "Private_Hugetlb:", 0);
	smaps_kb(b, "Swap:", 0);
	smaps_kb(b, "SwapPss:", 0);
	smaps_kb(b, "Locked:", ms->locked >> PSS_SHIFT);
}

/* VmFlags: Linux's two-letter names of the flags a VMA has here. */
static void smaps_flags(struct proc_buf *b, const struct vma *v)
{
	static const struct { u32 flag; char name[3]; } names[] = {
		{ VM_READ, "rd" }, { VM_WRITE, "wr" }, { VM_EXEC, "ex" }, { VM_SHARED, "sh" },
		{ VM_MAYREAD, "mr" }, { VM_MAYWRITE, "mw" }, { VM_MAYEXEC, "me" },
		{ VM_GROWSDOWN, "gd" }, { VM_LOCKED, "lo" },
	};

	pb_printf(b, "VmFlags:");
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		if (v->flags & names[i].flag)
			pb_printf(b, " %s", names[i].name);
		if (names[i].flag == VM_MAYEXEC && (v->flags & VM_SHARED))
			pb_printf(b, " ms");	/* VM_MAYSHARE */
	}
	if (v->flags & VM_ACCOUNT)	/* committed memory (overcommit) */
		pb_printf(b, " ac");
	pb_printf(b, " \n");
}

static int show_smaps(struct proc_buf *b, struct task *t)
{
	struct vma *v;
	char *path;

	if (t->mm == NULL)
		return 0;
	path = kmalloc(PATH_MAX);
	if (path == NULL)
		return -ENOMEM;
	list_for_each_entry(v, &t->mm->vmas, list) {
		struct mem_stats ms = { 0 };

		maps_line(b, v, t->mm, path);
		smaps_vma(t->mm, v, &ms);
		smaps_kb(b, "Size:", v->end - v->start);
		smaps_kb(b, "KernelPageSize:", PAGE_SIZE);
		smaps_kb(b, "MMUPageSize:", PAGE_SIZE);
		smaps_lines(b, &ms, false);
		pb_printf(b, "%-16s%8d\n", "THPeligible:", 0);
		smaps_flags(b, v);
	}
	kfree(path);
	return 0;
}

/* smaps_rollup: the sums over every VMA under one header spanning them all. */
static int show_smaps_rollup(struct proc_buf *b, struct task *t)
{
	struct mem_stats ms = { 0 };
	u64 lo = 0, hi = 0;
	struct vma *v;
	size_t start;

	if (t->mm == NULL)
		return 0;
	list_for_each_entry(v, &t->mm->vmas, list) {
		if (lo == 0)
			lo = v->start;
		hi = v->end;
		smaps_vma(t->mm, v, &ms);
	}
	start = b->len;
	pb_printf(b, "%08llx-%08llx ---p 00000000 00:00 0", (unsigned long long)lo,
		  (unsigned long long)hi);
	while (b->len - start < 73 && !b->err)
		pb_write(b, " ", 1);
	pb_printf(b, "[rollup]\n");
	smaps_lines(b, &ms, true);
	return 0;
}

/*
 * /proc/PID/pagemap: a 64-bit word per virtual page, at offset
 * (address / PAGE_SIZE) * 8 (Documentation/admin-guide/mm/pagemap.rst):
 * bit 63 present, 62 swapped (never: no swap), 61 a file or shared page,
 * 56 mapped exactly once, bits 0-54 the frame number, zero unless the
 * opener had CAP_SYS_ADMIN (Linux 4.2+).  Soft-dirty (55) is not tracked:
 * clear_refs is not offered, as on a Linux without CONFIG_MEM_SOFT_DIRTY.
 * The task is found again at every read, the walk holds its mm.
 */
#define PM_PFN_MASK	((1ULL << 55) - 1)
#define PM_MMAP_EXCL	(1ULL << 56)
#define PM_FILE		(1ULL << 61)
#define PM_PRESENT	(1ULL << 63)
#define PM_CHUNK	512

struct pagemap_file {
	pid_t pid;
	bool show_pfn;
};

static u64 pagemap_entry(struct mm *mm, u64 addr, bool show_pfn)
{
	pte_t *e = pte_lookup(mm, addr, false);
	u64 pfn, ent;
	struct page *p;
	int maps;

	if (e == NULL || !(*e & PTE_PRESENT))
		return 0;
	pfn = (*e & PAGE_MASK) >> PAGE_SHIFT;
	if (pfn >= nr_pages)
		return 0;
	p = pfn_to_page(pfn);
	maps = p->owner != NULL ? p->refcount - 1 : p->refcount;
	ent = PM_PRESENT | (show_pfn ? pfn & PM_PFN_MASK : 0);
	if (p->owner != NULL)
		ent |= PM_FILE;
	if (maps <= 1)
		ent |= PM_MMAP_EXCL;
	return ent;
}

static int pagemap_open(struct inode *inode, struct file *f)
{
	struct pagemap_file *pf;
	struct proc_id id;

	proc_decode(inode->i_ino, &id);
	if (proc_task(id.pid) == NULL)
		return -ENOENT;
	pf = kzalloc(sizeof(*pf));
	if (pf == NULL)
		return -ENOMEM;
	pf->pid = id.pid;
	pf->show_pfn = (current->cap_effective & (1ULL << CAP_SYS_ADMIN)) != 0;
	f->private_data = pf;
	return 0;
}

static void pagemap_release(struct inode *inode, struct file *f)
{
	kfree(f->private_data);
	f->private_data = NULL;
}

/* Whole entries from an aligned position, as Linux's pagemap_read (else EINVAL). */
static ssize_t pagemap_read(struct file *f, struct uio *u, loff_t *pos)
{
	struct pagemap_file *pf = f->private_data;
	size_t count = u->len - u->done, done = 0;
	u64 vpn, end_vpn = TASK_SIZE >> PAGE_SHIFT;
	struct task *t;
	struct mm *mm;
	u64 *buf;

	if (*pos < 0 || (*pos % 8) || (count % 8))
		return -EINVAL;
	t = proc_task(pf->pid);
	if (count == 0 || t == NULL || t->mm == NULL)
		return 0;
	vpn = (u64)*pos / 8;
	if (vpn >= end_vpn)
		return 0;
	buf = kmalloc(PM_CHUNK * sizeof(u64));
	if (buf == NULL)
		return -ENOMEM;
	mm = t->mm;
	mm_get(mm);
	while (done < count && vpn < end_vpn) {
		size_t n = min((count - done) / 8, (size_t)PM_CHUNK), i;

		n = (size_t)min((u64)n, end_vpn - vpn);
		for (i = 0; i < n; i++)
			buf[i] = pagemap_entry(mm, (vpn + i) << PAGE_SHIFT, pf->show_pfn);
		if (uio_copy_out(u, buf, n * 8) < 0) {	/* may fault, so not during the walk */
			if (done == 0)
				done = (size_t)-EFAULT;
			break;
		}
		done += n * 8;
		vpn += n;
	}
	mm_put(mm);
	kfree(buf);
	if ((ssize_t)done < 0)
		return (ssize_t)done;
	*pos += (loff_t)done;
	return (ssize_t)done;
}

static const struct file_operations pagemap_fops = {
	.open = pagemap_open,
	.release = pagemap_release,
	.read = pagemap_read,
	.fsync = proc_fsync,
};

/*
 * Writes the path of p as the calling task sees it into buf: its
 * length, or -errno.  A removed file reads "name (deleted)", as Linux.
 */
int proc_path_link(const struct path *p, char *buf, int size)
{
	char *tmp = kmalloc(PATH_MAX);
	struct path root;
	int off, n;

	if (tmp == NULL)
		return -ENOMEM;
	task_root(&root);
	off = d_path(p, &root, tmp, PATH_MAX);
	path_put(&root);
	if (off == -ENOENT && p->dentry != NULL) {
		ksnprintf(tmp, PATH_MAX, "/%s (deleted)", p->dentry->d_name);
		off = 0;
	}
	n = off < 0 ? off : proc_link_copy(buf, size, tmp + off);
	kfree(tmp);
	return n;
}

static struct file *task_file(struct task *t, int fd)
{
	struct files *fs = t->files;

	if (fs == NULL || fd < 0 || fd >= fs->max_fds)
		return NULL;
	return fs->fd[fd];
}

/* The mode of /proc/<pid>/fd/<fd>: a symlink, -ENOENT if fd is not open. */
int proc_pid_fd_mode(struct task *t, int fd)
{
	struct file *f = task_file(t, fd);
	int mode = S_IFLNK;

	if (f == NULL)
		return -ENOENT;
	if (f->f_mode & FMODE_READ)
		mode |= 0500;
	if (f->f_mode & FMODE_WRITE)
		mode |= 0300;
	return mode;
}

/* readlink of /proc/<pid>/fd/<fd>: the length, or -errno. */
int proc_fd_link(struct task *t, int fd, char *buf, int size)
{
	struct file *f = task_file(t, fd);

	if (f == NULL)
		return -ENOENT;
	return file_name(f, buf, size);
}

/*
 * /proc/<pid>/fdinfo/<fd>: Linux's four lines (the flags in octal with
 * O_CLOEXEC for a close-on-exec descriptor), then what the file's kind
 * adds (eventfd, epoll, timerfd, signalfd, inotify: f_op->show_fdinfo).
 */
int proc_fdinfo_show(struct proc_buf *b, struct task *t, int fd)
{
	struct file *f = task_file(t, fd);
	unsigned flags;

	if (f == NULL)
		return -ENOENT;
	flags = f->f_flags | (t->files->cloexec[fd] ? O_CLOEXEC : 0);
	pb_printf(b, "pos:\t%lld\nflags:\t0%o\nmnt_id:\t%d\nino:\t%llu\n", (long long)f->f_pos,
		  flags, f->f_path.mnt != NULL ? f->f_path.mnt->mnt_id : 0,
		  (unsigned long long)(f->f_inode != NULL ? f->f_inode->i_ino : 0));
	if (f->f_op != NULL && f->f_op->show_fdinfo != NULL)
		f->f_op->show_fdinfo(f, b);
	return 0;
}

/* The object of /proc/<pid>/fd/<fd>, for the walk to jump to. */
int proc_fd_path(struct task *t, int fd, struct path *out)
{
	struct file *f = task_file(t, fd);

	if (f == NULL || f->f_path.dentry == NULL)
		return -ENOENT;
	*out = f->f_path;
	path_get(out);
	return 0;
}

static int copy_path(const struct path *p, struct path *out)
{
	if (p == NULL || p->dentry == NULL)
		return -ENOENT;
	*out = *p;
	path_get(out);
	return 0;
}

static int path_exe(struct task *t, struct path *out)
{
	struct vma *v = t->mm ? exe_vma(t->mm) : NULL;

	return copy_path(v != NULL ? &v->file->f_path : NULL, out);
}

static int path_cwd(struct task *t, struct path *out)
{
	return copy_path(t->fs != NULL ? &t->fs->pwd : NULL, out);
}

static int path_root(struct task *t, struct path *out)
{
	return copy_path(t->fs != NULL ? &t->fs->root : NULL, out);
}

static int link_exe(struct task *t, char *buf, int size)
{
	struct vma *v = t->mm ? exe_vma(t->mm) : NULL;

	if (v == NULL)
		return -ENOENT;
	return file_name(v->file, buf, size);
}

static int link_cwd(struct task *t, char *buf, int size)
{
	if (t->fs == NULL || t->fs->pwd.dentry == NULL)
		return -ENOENT;
	return proc_path_link(&t->fs->pwd, buf, size);
}

static int link_root(struct task *t, char *buf, int size)
{
	if (t->fs == NULL || t->fs->root.dentry == NULL)
		return -ENOENT;
	return proc_path_link(&t->fs->root, buf, size);
}

/* /proc/<pid>/io: the process's counters, its live threads' and what
 * exited threads and reaped children left in the signal struct. */
static int show_io(struct proc_buf *b, struct task *t)
{
	struct task_io_accounting io = t->signal->ioac;
	struct task *q;

	for_each_thread(t->signal, q)
		if (q->state != TASK_DEAD && q->state != TASK_ZOMBIE)
			ioac_add(&io, &q->ioac);
	pb_printf(b, "rchar: %llu\nwchar: %llu\nsyscr: %llu\nsyscw: %llu\n",
		  (unsigned long long)io.rchar, (unsigned long long)io.wchar,
		  (unsigned long long)io.syscr, (unsigned long long)io.syscw);
	pb_printf(b, "read_bytes: %llu\nwrite_bytes: %llu\ncancelled_write_bytes: %llu\n",
		  (unsigned long long)io.read_bytes, (unsigned long long)io.write_bytes,
		  (unsigned long long)io.cancelled_write_bytes);
	return 0;
}

/* Where a read or write on fd sleeps, named as Linux 6.18 names it. */
static const char *wchan_file(struct task *t, int fd, bool write)
{
	struct file *f = task_file(t, fd);
	struct socket *sock;
	umode_t m;

	if (f == NULL || f->f_inode == NULL)
		return NULL;
	m = f->f_inode->i_mode;
	if (S_ISFIFO(m) && pipe_is_anonymous(f))
		return write ? "anon_pipe_write" : "anon_pipe_read";
	if (S_ISFIFO(m))
		return write ? "fifo_pipe_write" : "fifo_pipe_read";
	sock = S_ISSOCK(m) ? sock_from_file(f) : NULL;
	if (sock != NULL && sock->family == AF_UNIX && sock->type == SOCK_STREAM)
		return write ? "sock_alloc_send_pskb" : "unix_stream_read_generic";
	if (sock != NULL)
		return write ? "sock_alloc_send_pskb" : "__skb_wait_for_more_packets";
	if (S_ISCHR(m))
		return "wait_woken";		/* n_tty_read, n_tty_write */
	if (f->f_path.dentry != NULL && !strcmp(f->f_path.dentry->d_name, "[signalfd]"))
		return "signalfd_read_iter";
	if (f->f_path.dentry != NULL && !strcmp(f->f_path.dentry->d_name, "inotify"))
		return "wait_woken";
	return "do_wait_intr_irq";		/* eventfd, timerfd */
}

/*
 * The Linux function a sleeping task would wait in, from the syscall it
 * sleeps in (and for reads and writes the kind of file): Linux 6.18's
 * names as its /proc/PID/wchan prints them, without the compiler's
 * ".isra.0"-style suffixes.  NULL: no better name than the generic one.
 */
static const char *wchan_syscall(struct task *t)
{
	switch (t->regs.orig_rax) {
	case __NR_nanosleep: case __NR_clock_nanosleep:
		return "hrtimer_nanosleep";
	case __NR_poll: case __NR_ppoll: case __NR_select: case __NR_pselect6:
		return "poll_schedule_timeout";
	case __NR_epoll_wait: case __NR_epoll_pwait: case __NR_epoll_pwait2:
		return "do_epoll_wait";
	case __NR_futex:
		return "futex_do_wait";
	case __NR_pause:
		return "__do_sys_pause";
	case __NR_rt_sigsuspend:
		return "sigsuspend";
	case __NR_rt_sigtimedwait:
		return "do_sigtimedwait";
	case __NR_wait4: case __NR_waitid:
		return "do_wait";
	case __NR_vfork: case __NR_clone: case __NR_clone3:
		return "kernel_clone";
	case __NR_flock:
		return "locks_lock_inode_wait";
	case __NR_fcntl:
		return "fcntl_setlk";
	case __NR_msgrcv: case __NR_msgsnd:
		return t->regs.orig_rax == __NR_msgrcv ? "do_msgrcv" : "do_msgsnd";
	case __NR_semop: case __NR_semtimedop:
		return "__do_semtimedop";
	case __NR_accept: case __NR_accept4:
		return "inet_csk_accept";
	case __NR_recvfrom: case __NR_recvmsg: case __NR_recvmmsg:
		return wchan_file(t, (int)t->regs.rdi, false);
	case __NR_sendto: case __NR_sendmsg: case __NR_sendmmsg:
		return wchan_file(t, (int)t->regs.rdi, true);
	case __NR_read: case __NR_readv: case __NR_pread64: case __NR_preadv:
		return wchan_file(t, (int)t->regs.rdi, false);
	case __NR_write: case __NR_writev: case __NR_pwrite64: case __NR_pwritev:
		return wchan_file(t, (int)t->regs.rdi, true);
	case __NR_open: case __NR_openat: case __NR_openat2:
		return "wait_for_partner";	/* a FIFO waiting for its other end */
	}
	return NULL;
}

/* /proc/<pid>/wchan: "0" for a task that is not asleep, as Linux. */
static int show_wchan(struct proc_buf *b, struct task *t)
{
	const char *name = NULL;

	if ((t->state == TASK_INTERRUPTIBLE || t->state == TASK_UNINTERRUPTIBLE) && t != current) {
		if (t->in_syscall)
			name = wchan_syscall(t);
		if (name == NULL)
			name = t->state == TASK_UNINTERRUPTIBLE ? "io_schedule" : "schedule_timeout";
	}
	pb_printf(b, "%s", name != NULL ? name : "0");
	return 0;
}

#define FILE(name, mode, fn)	{ name, S_IFREG | (mode), -1, fn, NULL }
#define MAGIC(name, fn, pfn)	{ name, S_IFLNK | 0777, -1, NULL, fn, NULL, pfn }

/*
 * The entries of /proc/<pid>; "fd" and "task" are directories with
 * dynamic entries: the open fds, the threads (each /proc/<tid> again).
 */
const struct proc_node proc_pid_nodes[] = {
	FILE("stat", 0444, show_stat),
	FILE("status", 0444, show_status),
	FILE("statm", 0444, show_statm),
	FILE("limits", 0444, show_limits),
	FILE("cmdline", 0444, show_cmdline),
	FILE("comm", 0444, show_comm),
	{ "environ", S_IFREG | 0400, -1, show_environ, .may_open = may_open_environ },
	FILE("mounts", 0444, show_mounts),
	FILE("mountinfo", 0444, show_mountinfo),
	FILE("maps", 0444, show_maps),
	MAGIC("exe", link_exe, path_exe),
	MAGIC("cwd", link_cwd, path_cwd),
	MAGIC("root", link_root, path_root),
	FILE("io", 0400, show_io),
	FILE("wchan", 0444, show_wchan),
	FILE("smaps", 0444, show_smaps),
	FILE("smaps_rollup", 0444, show_smaps_rollup),
	{ "pagemap", S_IFREG | 0400, -1, NULL, NULL, NULL, NULL, &pagemap_fops },
	{ "fdinfo", S_IFDIR | 0555, -1, NULL, NULL },
	{ "fd", S_IFDIR | 0500, -1, NULL, NULL },
	{ "task", S_IFDIR | 0555, -1, NULL, NULL },
};
const int proc_pid_fdinfo_idx = ARRAY_SIZE(proc_pid_nodes) - 3;
const int proc_pid_fd_idx = ARRAY_SIZE(proc_pid_nodes) - 2;
const int proc_pid_task_idx = ARRAY_SIZE(proc_pid_nodes) - 1;
const int proc_pid_nr = ARRAY_SIZE(proc_pid_nodes);
