/*
 * shm.c - System V shared memory: shmget, shmat, shmdt, shmctl.
 *
 * A segment keeps its pages in a tmpfs file on the kernel's private
 * instance (shmem_kernel_file), so they are physmem pages of the page
 * cache that every attach maps MAP_SHARED: fork inherits attaches as it
 * does any shared file mapping, exec and exit drop them with the mm.
 * Each shmat opens a new file on that inode whose f_op counts the VMAs
 * mapping it (vm_open/vm_close, called by mm/mmap.c for mmap, fork and
 * splits): that count is shm_nattch, as in Linux.  IPC_RMID marks the
 * segment SHM_DEST and makes its key private; it goes when nattch is 0.
 */
#include "kernel/kernel.h"
#include "kernel/ipc.h"
#include "kernel/fs.h"
#include "kernel/mm.h"
#include "kernel/sched.h"
#include "kernel/syscalls.h"
#include "kernel/overflow.h"
#include "uapi/linux/ipc.h"
#include "uapi/linux/mman.h"
#include "../fs/internal.h"
#include "../fs/proc/internal.h"

struct shmid_kernel {
	struct kern_ipc_perm perm;	/* first: the table holds &perm */
	struct file *file;		/* the tmpfs file with the pages */
	u64 segsz;
	s64 atim, dtim, ctim;
	pid_t cprid, lprid;
	u64 nattch;			/* VMAs mapping it */
};

struct ipc_ids shm_ids = { .max_idx = -1 };
static u64 shm_tot;			/* pages of every segment */
static struct file_operations shm_attach_fops;

static struct shmid_kernel *shm_of(struct kern_ipc_perm *p)
{
	return (struct shmid_kernel *)p;
}

static struct shmid_kernel *shm_lookup(int id)
{
	struct kern_ipc_perm *p = ipc_obtain(&shm_ids, id);

	return p ? shm_of(p) : NULL;
}

static u64 shm_pages(const struct shmid_kernel *shp)
{
	return DIV_ROUND_UP(shp->segsz, PAGE_SIZE);
}

/* The last reference: the pages go with the file. May sleep. */
static void shm_free(struct kern_ipc_perm *p)
{
	struct shmid_kernel *shp = shm_of(p);

	shm_tot -= shm_pages(shp);
	fput(shp->file);
	kfree(shp);
}

/* Removed from the table once marked for destruction and unattached. */
static void shm_maybe_destroy(struct shmid_kernel *shp)
{
	if (shp->nattch == 0 && (shp->perm.mode & SHM_DEST) && !shp->perm.deleted)
		ipc_rmid(&shm_ids, &shp->perm);
}

static void shm_vm_open(struct file *f)
{
	struct shmid_kernel *shp = f->private_data;

	shp->atim = ipc_now();
	shp->lprid = current->tgid;
	shp->nattch++;
}

static void shm_vm_close(struct file *f)
{
	struct shmid_kernel *shp = f->private_data;

	shp->dtim = ipc_now();
	shp->lprid = current->tgid;
	shp->nattch--;
	shm_maybe_destroy(shp);
}

static bool is_shm_attach(const struct file *f)
{
	return f && f->f_op == &shm_attach_fops;
}

static int shm_create(struct ipc_params *p)
{
	u64 size = p->size, pages = DIV_ROUND_UP(size, PAGE_SIZE);
	struct shmid_kernel *shp;
	char name[24];
	int id;

	if (size < SHMMIN || size > ipc_lim.shmmax)
		return -EINVAL;
	if (p->flg & SHM_HUGETLB)
		return -EINVAL;		/* no huge pages here */
	if (shm_tot + pages < shm_tot || shm_tot + pages > ipc_lim.shmall)
		return -ENOSPC;
	shp = kzalloc(sizeof(*shp));
	if (!shp)
		return -ENOMEM;
	ksnprintf(name, sizeof(name), "SYSV%08x", (u32)p->key);
	shp->file = shmem_kernel_file(name, size);
	if (IS_ERR(shp->file)) {
		id = (int)PTR_ERR(shp->file);
		kfree(shp);
		return id;
	}
	shp->perm.free = shm_free;
	id = ipc_addid(&shm_ids, &shp->perm, p->key, (u32)p->flg, ipc_lim.shmmni);
	if (id < 0) {
		fput(shp->file);
		kfree(shp);
		return id;
	}
	if (!shm_attach_fops.read) {	/* tmpfs's own, counting VMAs */
		shm_attach_fops = *shp->file->f_op;
		shm_attach_fops.vm_open = shm_vm_open;
		shm_attach_fops.vm_close = shm_vm_close;
	}
	shp->segsz = size;
	shp->cprid = current->tgid;
	shp->ctim = ipc_now();
	shm_tot += pages;
	return id;
}

static int shm_more_checks(struct kern_ipc_perm *perm, struct ipc_params *p)
{
	return shm_of(perm)->segsz < p->size ? -EINVAL : 0;
}

static const struct ipc_ops shm_ops = { shm_create, shm_more_checks };

SYSCALL(shmget)
{
	struct ipc_params p = { .key = (s32)a[0], .size = (u64)a[1], .flg = (int)a[2] };

	return ipcget(&shm_ids, &shm_ops, &p);
}

/* An attach file over the segment's inode, readable or read-write. */
static struct file *shm_attach_file(struct shmid_kernel *shp, bool rdonly)
{
	struct file *f = dentry_open(&shp->file->f_path, rdonly ? O_RDONLY : O_RDWR);

	if (IS_ERR(f))
		return f;
	f->f_op = &shm_attach_fops;
	f->private_data = shp;
	return f;
}

/* Where shmat maps: 0 (the kernel picks), addr, or -EINVAL (Linux's do_shmat). */
static long shmat_addr(u64 addr, int flg)
{
	if (!addr)
		return (flg & SHM_REMAP) ? -EINVAL : 0;
	if (addr & (SHMLBA - 1)) {
		if (!(flg & SHM_RND))
			return -EINVAL;
		addr &= ~(u64)(SHMLBA - 1);
		if (!addr && (flg & SHM_REMAP))
			return -EINVAL;
	}
	return (long)addr;
}

/* Validate, then map: the address or -errno.  May sleep. */
static long do_shmat(struct task *t, int id, u64 uaddr, int flg)
{
	struct shmid_kernel *shp;
	int prot = PROT_READ, acc = S_IRUGO, mflags = MAP_SHARED;
	long addr = shmat_addr(uaddr, flg), r;
	struct file *f;
	u64 end;

	if (addr < 0)
		return addr;
	if (id < 0)
		return -EINVAL;
	if (!(flg & SHM_RDONLY)) {
		prot |= PROT_WRITE;
		acc |= S_IWUGO;
	}
	if (flg & SHM_EXEC) {
		prot |= PROT_EXEC;
		acc |= S_IXUGO;
	}
	shp = shm_lookup(id);
	if (!shp)
		return -EINVAL;
	if ((r = ipcperms(&shp->perm, acc)) < 0)
		return r;
	if (addr) {
		struct vma *v = find_vma(t->mm, (u64)addr);

		if (check_add_overflow((u64)addr, shp->segsz, &end))
			return -EINVAL;
		if (!(flg & SHM_REMAP) && v && v->start < end)
			return -EINVAL;
		mflags |= MAP_FIXED;
	}
	f = shm_attach_file(shp, flg & SHM_RDONLY);
	if (IS_ERR(f))
		return PTR_ERR(f);
	ipc_get(&shp->perm);		/* mm_mmap may sleep */
	r = mm_mmap(t->mm, (u64)addr, shp->segsz, prot, mflags, f, 0);
	fput(f);
	ipc_put(&shp->perm);
	return r;
}

SYSCALL(shmat)
{
	return do_shmat(t, (int)a[0], (u64)a[1], (int)a[2]);
}

/*
 * shmdt(addr): addr must start a VMA of an attach (offset 0); every VMA
 * of that segment's inode in [addr, addr + size) whose offset matches
 * its distance from addr is unmapped, as Linux's shmdt does.
 */
SYSCALL(shmdt)
{
	u64 addr = (u64)a[0], size, end, p;
	struct inode *inode;
	struct vma *v;
	long r;

	if (addr & ~PAGE_MASK)
		return -EINVAL;
	v = find_vma(t->mm, addr);
	if (!v || v->start != addr || !is_shm_attach(v->file) || v->pgoff != 0)
		return -EINVAL;
	inode = v->file->f_inode;
	size = ALIGN_UP(inode->i_size, PAGE_SIZE);
	if (check_add_overflow(addr, size, &end))
		end = TASK_SIZE;
	for (p = addr; p < end && (v = find_vma(t->mm, p)) != NULL && v->start < end; ) {
		u64 vs = v->start, ve = min(v->end, end);

		p = v->end;
		if (!is_shm_attach(v->file) || v->file->f_inode != inode ||
		    v->pgoff != (vs - addr) >> PAGE_SHIFT)
			continue;
		r = mm_munmap(t->mm, vs, ve - vs);
		if (r < 0)
			return r;
	}
	return 0;
}

static void shm_fill(struct shmid_kernel *shp, struct shmid64_ds *ds)
{
	memset(ds, 0, sizeof(*ds));
	ipc_fill_perm(&shp->perm, &ds->shm_perm);
	ds->shm_segsz = shp->segsz;
	ds->shm_atime = shp->atim;
	ds->shm_dtime = shp->dtim;
	ds->shm_ctime = shp->ctim;
	ds->shm_cpid = shp->cprid;
	ds->shm_lpid = shp->lprid;
	ds->shm_nattch = shp->nattch;
}

static long shm_info_cmd(int cmd, uaddr_t buf)
{
	if (cmd == IPC_INFO) {
		struct shminfo64 si = { .shmmax = ipc_lim.shmmax, .shmmin = SHMMIN,
			.shmmni = (unsigned long)ipc_lim.shmmni, .shmseg = SHMMNI,
			.shmall = ipc_lim.shmall };

		if (copy_to_user(buf, &si, sizeof(si)))
			return -EFAULT;
	} else {
		struct shm_info si = { .used_ids = shm_ids.in_use, .shm_tot = shm_tot };
		struct kern_ipc_perm *p;
		int pos = -1;

		while ((p = ipc_next(&shm_ids, &pos)) != NULL)
			si.shm_rss += shm_of(p)->file->f_inode->i_blocks / (PAGE_SIZE / 512);
		if (copy_to_user(buf, &si, sizeof(si)))
			return -EFAULT;
	}
	return shm_ids.max_idx < 0 ? 0 : shm_ids.max_idx;
}

/* IPC_STAT, SHM_STAT, SHM_STAT_ANY: 0, or the id for the *_STAT forms. */
static long shm_stat(int id, int cmd, uaddr_t buf)
{
	struct shmid_kernel *shp;
	struct shmid64_ds ds;
	struct kern_ipc_perm *p;
	long r;

	p = cmd == IPC_STAT ? ipc_obtain(&shm_ids, id) : ipc_obtain_idx(&shm_ids, id);
	if (!p)
		return -EINVAL;
	shp = shm_of(p);
	if (cmd != SHM_STAT_ANY && (r = ipcperms(p, S_IRUGO)) < 0)
		return r;
	shm_fill(shp, &ds);
	if (copy_to_user(buf, &ds, sizeof(ds)))
		return -EFAULT;
	return cmd == IPC_STAT ? 0 : p->id;
}

/* IPC_SET, IPC_RMID, SHM_LOCK, SHM_UNLOCK: the owner's (or root's). */
static long shm_down(int id, int cmd, uaddr_t buf)
{
	struct shmid64_ds ds;
	struct shmid_kernel *shp;
	long r;

	if (cmd == IPC_SET && copy_from_user(&ds, buf, sizeof(ds)))
		return -EFAULT;
	shp = shm_lookup(id);
	if (!shp)
		return -EINVAL;
	if ((r = ipc_owner_check(&shp->perm)) < 0)
		return r;
	switch (cmd) {
	case IPC_SET:
		ipc_set_perm(&shp->perm, &ds.shm_perm);
		shp->ctim = ipc_now();
		break;
	case IPC_RMID:
		shp->perm.mode |= SHM_DEST;
		shp->perm.key = IPC_PRIVATE;	/* no longer found by key */
		shm_maybe_destroy(shp);
		break;
	case SHM_LOCK:
		shp->perm.mode |= SHM_LOCKED;
		break;
	default:
		shp->perm.mode &= ~(u32)SHM_LOCKED;
		break;
	}
	return 0;
}

SYSCALL(shmctl)
{
	int id = (int)a[0], cmd = (int)a[1];
	uaddr_t buf = UADDR(a[2]);

	if (id < 0 && cmd != IPC_INFO && cmd != SHM_INFO)
		return -EINVAL;
	switch (cmd) {
	case IPC_INFO:
	case SHM_INFO:
		return shm_info_cmd(cmd, buf);
	case IPC_STAT:
	case SHM_STAT:
	case SHM_STAT_ANY:
		return shm_stat(id, cmd, buf);
	case IPC_SET:
	case IPC_RMID:
	case SHM_LOCK:
	case SHM_UNLOCK:
		return shm_down(id, cmd, buf);
	default:
		return -EINVAL;
	}
}

u64 shm_total_pages(void)
{
	return shm_tot;
}

/* /proc/sysvipc/shm, in Linux's columns. */
int show_sysvipc_shm(struct proc_buf *b, struct task *unused)
{
	struct kern_ipc_perm *p;
	int pos = -1;

	pb_printf(b, "       key      shmid perms                  size  cpid  lpid nattch   uid   gid  cuid  cgid      atime      dtime      ctime                   rss                  swap\n");
	while ((p = ipc_next(&shm_ids, &pos)) != NULL) {
		struct shmid_kernel *shp = shm_of(p);

		pb_printf(b, "%10d %10d  %4o %21llu %5d %5d  %5llu %5u %5u %5u %5u %10lld %10lld %10lld %21llu %21llu\n",
			  p->key, p->id, p->mode, (unsigned long long)shp->segsz, shp->cprid,
			  shp->lprid, (unsigned long long)shp->nattch, p->uid, p->gid, p->cuid,
			  p->cgid, (long long)shp->atim, (long long)shp->dtim, (long long)shp->ctim,
			  (unsigned long long)(shp->file->f_inode->i_blocks * 512), 0ULL);
	}
	return 0;
}
