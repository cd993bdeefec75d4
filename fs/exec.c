/*
 * exec.c - execve: replace the current program.
 *
 * Steps: gather argv/envp into a kernel buffer; open the file; "#!"
 * scripts restart with their interpreter; for ELF, validate the headers
 * and every program header (bad or missing ones: -ENOEXEC, as Linux); the point of no return; then build a new mm (PT_LOAD segments
 * as private file mappings plus zeroed bss, the interpreter if PT_INTERP,
 * the stack with argv, envp and auxv) and switch the task over to it.
 */
#include "kernel/sched.h"
#include "kernel/mm.h"
#include "kernel/vdso.h"
#include "kernel/posix-timers.h"
#include "kernel/fs.h"
#include "kernel/syscalls.h"
#include "kernel/kernel.h"
#include "kernel/capability.h"
#include "kernel/xattr.h"
#include "internal.h"
#include "kernel/groups.h"
#include "kernel/platform.h"
#include "uapi/linux/elf.h"
#include "uapi/linux/auxvec.h"
#include "uapi/linux/mman.h"
#include "uapi/linux/resource.h"
#include "kernel/overflow.h"

#define MAX_ARG_STRINGS	0x7fffffff
#define STACK_TOP	TASK_SIZE
#define ELF_ET_DYN_BASE	0x555555554000ULL
#define MAX_PHDRS	(65536 / sizeof(struct elf64_phdr))

void vfork_release(struct task *t);

/* The new program's strings, gathered before the old one is gone. */
/* Linux's longest single argument or environment string, its NUL included. */
#define MAX_ARG_STRLEN	(PAGE_SIZE * 32)

struct bprm {
	char *buf;		/* argv strings, then envp strings, NUL separated */
	size_t len, cap;
	int argc, envc;
	char *filename;		/* as given (execveat: /dev/fd/N[/name]), for AT_EXECFN */
	char comm[16];		/* execveat of an fd itself: the file's name, for comm */
	bool fd_hidden;		/* execveat of a close-on-exec fd: no path a script could open */
	size_t limit;		/* strings + pointers at most (arg_limit) */
	size_t nstr;
	char *interp;		/* for #! scripts: interpreter path */
	int depth;
	struct exec_cred cred;	/* what the new program runs as (exec_creds) */
};

struct elf_image {
	struct file *file;
	struct elf64_hdr eh;
	struct elf64_phdr *ph;
	u64 bias;		/* load address of vaddr 0 */
};

/*
 * Linux's bprm_stack_limits: argv and envp strings and their pointers
 * may take a quarter of RLIMIT_STACK, at most 6 MiB (3/4 of _STK_LIM) and
 * at least ARG_MAX (32 pages); past it execve is -E2BIG.
 */
static size_t arg_limit(void)
{
	u64 stack = task_rlimit(current, RLIMIT_STACK) / 4;

	return (size_t)max(min(stack, (u64)6 << 20), (u64)32 * PAGE_SIZE);
}

/* Room for n more bytes at the end of b->buf: 0 or -ENOMEM. */
static int bprm_grow(struct bprm *b, size_t n)
{
	size_t cap;
	char *nb;

	if (b->len + n <= b->cap)
		return 0;
	cap = max(b->cap * 2, b->len + n + 4096);
	nb = kmalloc(cap);
	if (!nb)
		return -ENOMEM;
	memcpy(nb, b->buf, b->len);
	kfree(b->buf);
	b->buf = nb;
	b->cap = cap;
	return 0;
}

/* Whether one more string of n bytes (and its NUL and pointer) fits. */
static bool bprm_fits(struct bprm *b, size_t n)
{
	size_t need;

	if (!b->limit)
		b->limit = arg_limit();
	return !check_add_overflow(b->len, n + 1 + sizeof(u64) * (b->nstr + 1), &need) &&
	       need <= b->limit;
}

static int bprm_add(struct bprm *b, const char *s, size_t n, bool front)
{
	int r;

	if (!bprm_fits(b, n))
		return -E2BIG;
	r = bprm_grow(b, n + 1);
	if (r)
		return r;
	b->nstr++;
	if (front) {
		memmove(b->buf + n + 1, b->buf, b->len);
		memcpy(b->buf, s, n);
		b->buf[n] = '\0';
	} else {
		memcpy(b->buf + b->len, s, n);
		b->buf[b->len + n] = '\0';
	}
	b->len += n + 1;
	return 0;
}

/*
 * Appends one guest string to b, a page at a time straight into b->buf
 * (no bounce buffer: a 32-page one was an order-5 allocation per exec,
 * which fails when memory is fragmented).  Longer than MAX_ARG_STRLEN
 * with its NUL, or past the limit: -E2BIG.
 */
static long copy_string_user(struct bprm *b, uaddr_t s)
{
	size_t done = 0;

	for (;;) {
		long len;
		int r;

		if (!bprm_fits(b, done))
			return -E2BIG;
		r = bprm_grow(b, done + PAGE_SIZE + 1);
		if (r)
			return r;
		len = strncpy_from_user(b->buf + b->len + done, uaddr_off(s, done), PAGE_SIZE);
		if (len < 0 && len != -ENAMETOOLONG)
			return len;
		done += len < 0 ? PAGE_SIZE : (size_t)len;
		if (done + 1 > MAX_ARG_STRLEN)
			return -E2BIG;
		if (len >= 0)
			break;
	}
	if (!bprm_fits(b, done))
		return -E2BIG;
	b->buf[b->len + done] = '\0';
	b->len += done + 1;
	b->nstr++;
	return 0;
}

/* Copies a NULL-terminated guest array of strings; returns the count. */
static long copy_strings_user(struct bprm *b, uaddr_t arr)
{
	long n = 0, r = 0;

	for (; !uaddr_is_null(arr); n++) {
		u64 p;

		if (get_user(p, uaddr_index(arr, (u64)n, 8))) {
			r = -EFAULT;
			break;
		}
		if (!p)
			break;
		r = copy_string_user(b, UADDR(p));
		if (r)
			break;
	}
	return r ? r : n;
}

static int copy_strings_kernel(struct bprm *b, const char *const *v)
{
	int n = 0;

	for (; v && v[n]; n++) {
		int r = bprm_add(b, v[n], strlen(v[n]), false);

		if (r)
			return r;
	}
	return n;
}

static long read_exact(struct file *f, void *buf, size_t n, loff_t pos)
{
	ssize_t r = kernel_read(f, buf, n, pos);

	if (r < 0)
		return r;
	return (size_t)r == n ? 0 : -EIO;
}

/*
 * The file to run (Linux's do_open_execat): path relative to dfd (lf:
 * LOOKUP_EMPTY for AT_EMPTY_PATH; nofollow: AT_SYMLINK_NOFOLLOW, a
 * symlink is -ELOOP), a regular file (else -EACCES) with execute
 * permission for current (ACLs included; read permission is not needed),
 * not on a noexec mount: the file open for reading, or ERR_PTR.
 */
static struct file *open_exec_at(int dfd, const char *path, bool nofollow, unsigned lf)
{
	struct path p;
	struct inode *i;
	struct file *f;
	int err = kern_path(dfd, path, lf | (nofollow ? 0 : LOOKUP_FOLLOW), &p);

	if (err)
		return ERR_PTR(err);
	i = p.dentry->d_inode;
	if (S_ISLNK(i->i_mode))
		err = -ELOOP;
	else if (!S_ISREG(i->i_mode) || !(i->i_mode & 0111) || path_noexec(&p))
		err = -EACCES;
	else
		err = inode_permission(i, MAY_EXEC);
	f = err ? ERR_PTR(err) : dentry_open(&p, O_RDONLY | O_LARGEFILE);
	path_put(&p);
	return f;
}

static struct file *open_exec(const char *path)
{
	return open_exec_at(AT_FDCWD, path, false, 0);
}

/* Whether current's fs context is shared with another process (CLONE_FS). */
static bool fs_shared_outside(void)
{
	struct task *t = current, *th;
	int n = 0;

	if (!t->fs)
		return false;
	list_for_each_entry(th, &t->signal->threads, thread_node)
		if (th->fs == t->fs)
			n++;
	return t->fs->count > n;
}

/*
 * The credentials the program in f runs with (Linux's bprm_fill_uid): a
 * set-user-ID file makes its owner the effective uid, a set-group-ID file
 * that its group may execute its group the effective gid (set-group-ID
 * without group execute marks mandatory locking, not privilege).  Not on
 * a nosuid mount, nor under no_new_privs.  f is the ELF file: a script's
 * own set-id bits never count, as in Linux.  File capabilities
 * (security.capability; not on a nosuid mount) and AT_SECURE follow
 * (kernel/capability.c).  0, or -EINVAL for a malformed capability value,
 * -EPERM for capabilities the bounding set does not allow.
 */
static int exec_creds(struct bprm *b, struct file *f)
{
	struct task *t = current;
	struct inode *i = f->f_inode;
	uid_t euid = t->euid;
	gid_t egid = t->egid;
	struct fcaps fc;
	int err = -ENODATA;

	if (!path_nosuid(&f->f_path) && !t->no_new_privs) {
		if (i->i_mode & S_ISUID)
			euid = i->i_uid;
		if ((i->i_mode & (S_ISGID | 0010)) == (S_ISGID | 0010))
			egid = i->i_gid;
	}
	if (!path_nosuid(&f->f_path))
		err = vfs_get_fcaps(i, &fc);
	if (err && err != -ENODATA)
		return err;
	return cap_exec_prepare(t, &b->cred, euid, egid, fs_shared_outside(),
				err ? NULL : &fc);
}

/* Checks one PT_LOAD header against the rules Linux's loader enforces. */
static bool phdr_ok(const struct elf64_phdr *p)
{
	u64 end;

	if (p->p_filesz > p->p_memsz)
		return false;
	if (p->p_align > 1 && ((p->p_vaddr - p->p_offset) & (PAGE_SIZE - 1)))
		return false;
	if (__builtin_add_overflow(p->p_vaddr, p->p_memsz, &end) || end > TASK_SIZE)
		return false;
	if (__builtin_add_overflow(p->p_offset, p->p_filesz, &end))
		return false;
	return true;
}

/* Reads and validates an ELF image's headers.  0, -ENOEXEC or -EIO. */
static int elf_read_headers(struct elf_image *im)
{
	struct elf64_hdr *eh = &im->eh;
	size_t sz;
	ssize_t n;

	n = kernel_read(im->file, eh, sizeof(*eh), 0);
	if (n < 0)
		return (int)n;
	if ((size_t)n < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG))
		return -ENOEXEC;
	if (eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_ident[EI_DATA] != ELFDATA2LSB ||
	    eh->e_machine != EM_X86_64 || (eh->e_type != ET_EXEC && eh->e_type != ET_DYN) ||
	    eh->e_phentsize != sizeof(struct elf64_phdr) || eh->e_phnum < 1 ||
	    eh->e_phnum > MAX_PHDRS)
		return -ENOEXEC;
	sz = (size_t)eh->e_phnum * sizeof(struct elf64_phdr);
	im->ph = kmalloc(sz);
	if (!im->ph)
		return -ENOMEM;
	/* Linux's load_elf_phdrs() failing is -ENOEXEC, whatever the cause. */
	if (read_exact(im->file, im->ph, sz, (loff_t)eh->e_phoff))
		return -ENOEXEC;
	for (int i = 0; i < eh->e_phnum; i++)
		if (im->ph[i].p_type == PT_LOAD && !phdr_ok(&im->ph[i]))
			return -ENOEXEC;
	return 0;
}

/* Total span of the PT_LOAD segments, for placing an ET_DYN image. */
static u64 elf_span(struct elf_image *im, u64 *lo)
{
	u64 l = ~0ULL, h = 0;

	for (int i = 0; i < im->eh.e_phnum; i++) {
		struct elf64_phdr *p = &im->ph[i];

		if (p->p_type != PT_LOAD)
			continue;
		l = min(l, ALIGN_DOWN(p->p_vaddr, PAGE_SIZE));
		h = max(h, ALIGN_UP(p->p_vaddr + p->p_memsz, PAGE_SIZE));
	}
	*lo = l;
	return h > l ? h - l : 0;
}

static int seg_prot(u32 flags)
{
	return ((flags & PF_R) ? PROT_READ : 0) | ((flags & PF_W) ? PROT_WRITE : 0) |
	       ((flags & PF_X) ? PROT_EXEC : 0);
}

/* Maps one PT_LOAD segment into mm.  Returns 0 or -errno. */
static int map_segment(struct mm *mm, struct elf_image *im, struct elf64_phdr *p)
{
	u64 va = im->bias + p->p_vaddr, start = ALIGN_DOWN(va, PAGE_SIZE);
	u64 off = ALIGN_DOWN(p->p_offset, PAGE_SIZE);
	u64 fend = va + p->p_filesz, mend = va + p->p_memsz;
	int prot = seg_prot(p->p_flags);
	long r;

	if (p->p_filesz) {
		r = mm_mmap(mm, start, fend - start, prot, MAP_PRIVATE | MAP_FIXED, im->file, off);
		if (r < 0)
			return (int)r;
	}
	if (mend > fend && (fend & ~PAGE_MASK) && p->p_filesz) {
		/*
		 * The bss begins inside the last file page: zero the rest of
		 * that page, as Linux does (ld.so's early malloc relies on it).
		 */
		u64 n = PAGE_SIZE - (fend & ~PAGE_MASK);
		static const u8 zeros[PAGE_SIZE];
		struct vma *v = find_vma(mm, fend);
		u32 saved = v->flags;

		v->flags |= VM_WRITE;
		r = mm_copy_to(mm, UADDR(fend), zeros, n);
		v->flags = saved;
		if (r)
			return (int)r;
	}
	if (ALIGN_UP(mend, PAGE_SIZE) > ALIGN_UP(fend, PAGE_SIZE)) {
		u64 bss = p->p_filesz ? ALIGN_UP(fend, PAGE_SIZE) : start;

		r = mm_mmap(mm, bss, ALIGN_UP(mend, PAGE_SIZE) - bss, prot,
			    MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS, NULL, 0);
		if (r < 0)
			return (int)r;
	}
	return 0;
}

/* Maps every segment; sets *brk to the end of the highest one. */
static int elf_map(struct mm *mm, struct elf_image *im, u64 *brk)
{
	for (int i = 0; i < im->eh.e_phnum; i++) {
		struct elf64_phdr *p = &im->ph[i];
		int r;

		if (p->p_type != PT_LOAD || p->p_memsz == 0)
			continue;
		r = map_segment(mm, im, p);
		if (r)
			return r;
		if (brk)
			*brk = max(*brk, ALIGN_UP(im->bias + p->p_vaddr + p->p_memsz, PAGE_SIZE));
	}
	return 0;
}

static u64 elf_phdr_addr(struct elf_image *im)
{
	for (int i = 0; i < im->eh.e_phnum; i++)
		if (im->ph[i].p_type == PT_PHDR)
			return im->bias + im->ph[i].p_vaddr;
	for (int i = 0; i < im->eh.e_phnum; i++) {
		struct elf64_phdr *p = &im->ph[i];

		if (p->p_type == PT_LOAD && p->p_offset <= im->eh.e_phoff &&
		    im->eh.e_phoff < p->p_offset + p->p_filesz)
			return im->bias + p->p_vaddr + (im->eh.e_phoff - p->p_offset);
	}
	return 0;
}

struct stack_builder {
	struct mm *mm;
	u64 sp;
	int err;
};

static u64 push_bytes(struct stack_builder *sb, const void *p, size_t n)
{
	sb->sp -= n;
	if (!sb->err && mm_copy_to(sb->mm, UADDR(sb->sp), p, n))
		sb->err = -EFAULT;
	return sb->sp;
}

/* Records where argv and envp strings lie on the new stack (/proc/<pid>/cmdline). */
static void set_arg_env(struct mm *mm, struct bprm *b, u64 strings)
{
	size_t argbytes = 0;

	for (int i = 0; i < b->argc; i++)
		argbytes += strlen(b->buf + argbytes) + 1;
	mm->arg_start = strings;
	mm->arg_end = mm->env_start = strings + argbytes;
	mm->env_end = strings + b->len;
}

/* Lays out strings, pointers and auxv on the new stack; returns the sp. */
static u64 build_stack(struct stack_builder *sb, struct bprm *b, struct elf_image *im,
		       u64 interp_base)
{
	u64 execfn, platform, random, *vec, *v;
	u8 rnd[16];
	size_t nvec = 1 + b->argc + 1 + b->envc + 1 + 2 * 24;
	char *s = b->buf;
	u64 strings;

	execfn = push_bytes(sb, b->filename, strlen(b->filename) + 1);
	strings = push_bytes(sb, b->buf, b->len);
	set_arg_env(sb->mm, b, strings);
	platform = push_bytes(sb, "x86_64", 7);
	os_getrandom(rnd, sizeof(rnd));
	sb->sp &= ~15ULL;
	random = push_bytes(sb, rnd, sizeof(rnd));
	vec = kcalloc(nvec, sizeof(u64));
	if (!vec) {
		sb->err = -ENOMEM;
		return 0;
	}
	v = vec;
	*v++ = b->argc;
	for (int i = 0; i < b->argc + b->envc; i++) {
		if (i == b->argc)
			*v++ = 0;		/* end of argv */
		*v++ = strings + (u64)(s - b->buf);
		s += strlen(s) + 1;
	}
	if (b->envc == 0)
		*v++ = 0;		/* end of argv when no envp follows */
	*v++ = 0;			/* end of envp */
#define AUX(k, val) do { *v++ = (k); *v++ = (val); } while (0)
	if (sb->mm->vdso_base)
		AUX(AT_SYSINFO_EHDR, sb->mm->vdso_base);
	AUX(AT_HWCAP, os_cpu_hwcap());
	AUX(AT_PAGESZ, PAGE_SIZE);
	AUX(AT_CLKTCK, 100);
	AUX(AT_PHDR, elf_phdr_addr(im));
	AUX(AT_PHENT, sizeof(struct elf64_phdr));
	AUX(AT_PHNUM, im->eh.e_phnum);
	AUX(AT_BASE, interp_base);
	AUX(AT_FLAGS, 0);
	AUX(AT_ENTRY, im->bias + im->eh.e_entry);
	AUX(AT_UID, current->uid);
	AUX(AT_EUID, b->cred.euid);
	AUX(AT_GID, current->gid);
	AUX(AT_EGID, b->cred.egid);
	AUX(AT_SECURE, b->cred.secure);
	AUX(AT_RANDOM, random);
	AUX(AT_HWCAP2, 0);
	AUX(AT_EXECFN, execfn);
	AUX(AT_PLATFORM, platform);
	AUX(AT_MINSIGSTKSZ, (u64)os_xstate_size() + 1024);
	AUX(AT_NULL, 0);
#undef AUX
	sb->sp = (sb->sp - (size_t)(v - vec) * 8) & ~15ULL;
	if (!sb->err && mm_copy_to(sb->mm, UADDR(sb->sp), vec, (size_t)(v - vec) * 8))
		sb->err = -EFAULT;
	kfree(vec);
	return sb->sp;
}

static void elf_image_free(struct elf_image *im)
{
	kfree(im->ph);
	if (im->file && !IS_ERR(im->file))
		fput(im->file);
}

/*
 * The read-only segments of the program and its interpreter, and the
 * vDSO, are mapped now from the page cache where they are in it: each
 * would otherwise be a fault (a host round trip) within the program's
 * first microseconds.  The writable ones are left to their first fault
 * (fault.c copies a small data segment whole then).
 */
static void prefault_image(struct mm *mm, struct elf_image *im, struct elf_image *in)
{
	struct elf_image *both[2] = { im, in->file ? in : NULL };

	for (int k = 0; k < 2 && both[k]; k++)
		for (int i = 0; i < both[k]->eh.e_phnum; i++) {
			struct elf64_phdr *p = &both[k]->ph[i];

			if (p->p_type == PT_LOAD && p->p_filesz && !(p->p_flags & PF_W))
				mm_prefault_cached(mm, both[k]->bias + p->p_vaddr);
		}
	if (mm->vdso_base) {
		mm_prefault_cached(mm, mm->vdso_base - PAGE_SIZE);	/* [vvar] */
		mm_prefault_cached(mm, mm->vdso_base);
	}
}

/* Builds the new address space.  Returns 0 and fills entry/sp, or -errno. */
static int build_mm(struct mm *mm, struct elf_image *im, struct elf_image *in,
		    struct bprm *b, u64 *entry, u64 *sp)
{
	struct stack_builder sb = { mm, STACK_TOP, 0 };
	u64 brk = 0, lo, span;
	long r;

	if (im->eh.e_type == ET_DYN) {
		elf_span(im, &lo);
		im->bias = ELF_ET_DYN_BASE - lo;
	}
	r = elf_map(mm, im, &brk);
	if (r)
		return (int)r;
	mm->brk_start = mm->brk = brk;
	*entry = im->bias + im->eh.e_entry;
	if (in->file) {
		span = elf_span(in, &lo);
		r = mm_mmap(mm, 0, span, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
		if (r < 0)
			return (int)r;
		in->bias = (u64)r - lo;
		r = elf_map(mm, in, NULL);
		if (r)
			return (int)r;
		*entry = in->bias + in->eh.e_entry;
	}
	r = mm_mmap(mm, STACK_TOP - (128 << 10), 128 << 10, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_GROWSDOWN, NULL, 0);
	if (r < 0)
		return (int)r;
	mm->stack_start = STACK_TOP;
	r = vdso_map(mm);
	if (r < 0)
		return (int)r;
	*sp = build_stack(&sb, b, im, in->file ? in->bias : 0);
	if (sb.err == 0)
		prefault_image(mm, im, in);
	return sb.err;
}

/* Opens and validates the interpreter of im, if it has one. */
static int load_interp(struct elf_image *im, struct elf_image *in)
{
	for (int i = 0; i < im->eh.e_phnum; i++) {
		struct elf64_phdr *p = &im->ph[i];
		char *path;
		int r;

		if (p->p_type != PT_INTERP)
			continue;
		if (p->p_filesz < 2 || p->p_filesz > PATH_MAX)
			return -ENOEXEC;
		path = kmalloc(p->p_filesz);
		if (!path)
			return -ENOMEM;
		r = (int)read_exact(im->file, path, p->p_filesz, (loff_t)p->p_offset);
		if (!r && path[p->p_filesz - 1] != '\0')
			r = -ENOEXEC;
		if (!r) {
			in->file = open_exec(path);
			if (IS_ERR(in->file)) {
				r = (int)PTR_ERR(in->file);
				in->file = NULL;
			}
		}
		kfree(path);
		if (!r)
			r = elf_read_headers(in);
		if (!r && in->eh.e_type != ET_DYN)
			r = -ELIBBAD;
		return r;
	}
	return 0;
}

/* Replaces current's program with the new mm: the point of no return. */
static void exec_commit(struct mm *mm, struct bprm *b, u64 entry, u64 sp)
{
	struct task *t = current;
	struct mm *old = t->mm;
	const char *base = b->comm[0] ? b->comm : b->filename, *p;

	de_thread();
	posix_timers_exit(t->signal);	/* exec deletes them (itimers stay) */
	cap_exec_commit(t, &b->cred);
	if (old) {
		futex_mm_release(t);
		arch_fpu_sync(t);
		if (old->loaded == t)
			old->loaded = NULL;
		mm_take_host(mm, old);
	}
	t->mm = mm;
	vfork_release(t);
	if (old)
		mm_put(old);
	files_close_on_exec(t->files);
	flush_signal_handlers(t);
	for (p = base; *p; p++)
		if (*p == '/')
			base = p + 1;
	kstrlcpy(t->comm, base, sizeof(t->comm));
	arch_start_thread(t, entry, sp);
}

static int do_execve_file(struct bprm *b, const char *path);
static int exec_file(struct bprm *b, struct file *f, const char *path);

/* "#!interp [arg]": argv becomes interp, [arg], path, argv[1..]. */
static int exec_script(struct bprm *b, const char *path, const char *hdr, size_t n)
{
	char line[256], *i, *e, *arg = NULL;
	size_t len = 0, argv0;
	int r;

	if (++b->depth > 5)	/* Linux: an ELF after at most 5 scripts */
		return -ELOOP;
	while (len < n && len < sizeof(line) - 1 && hdr[len] != '\n')
		len++;
	memcpy(line, hdr, len);
	line[len] = '\0';
	for (i = line + 2; *i == ' ' || *i == '\t'; i++)
		;
	if (!*i)
		return -ENOEXEC;
	for (e = i; *e && *e != ' ' && *e != '\t'; e++)
		;
	if (*e) {
		*e++ = '\0';
		while (*e == ' ' || *e == '\t')
			e++;
		if (*e) {
			arg = e;
			for (e = arg + strlen(arg); e > arg && (e[-1] == ' ' || e[-1] == '\t'); e--)
				e[-1] = '\0';
		}
	}
	/* Drop the old argv[0], then push path, arg and interp in front. */
	argv0 = b->argc ? strlen(b->buf) + 1 : 0;
	if (argv0) {
		memmove(b->buf, b->buf + argv0, b->len - argv0);
		b->len -= argv0;
		b->argc--;
	}
	r = bprm_add(b, path, strlen(path), true);
	if (!r && arg)
		r = bprm_add(b, arg, strlen(arg), true);
	if (!r)
		r = bprm_add(b, i, strlen(i), true);
	if (r)
		return r;
	b->argc += arg ? 3 : 2;
	return do_execve_file(b, i);
}

static int do_execve_file(struct bprm *b, const char *path)
{
	struct file *f = open_exec(path);

	if (IS_ERR(f))
		return (int)PTR_ERR(f);
	return exec_file(b, f, path);
}

/* Runs f (path: its name for a script's interpreter); takes the reference. */
static int exec_file(struct bprm *b, struct file *f, const char *path)
{
	struct elf_image im = { 0 }, in = { 0 };
	struct mm *mm = NULL;
	char hdr[256];
	ssize_t n;
	u64 entry = 0, sp = 0;
	int r;

	im.file = f;
	n = kernel_read(im.file, hdr, sizeof(hdr), 0);
	if (n < 0) {
		r = (int)n;
		goto out;
	}
	if (n >= 2 && hdr[0] == '#' && hdr[1] == '!') {
		fput(im.file);
		im.file = NULL;
		/* Linux's BINPRM_FLAGS_PATH_INACCESSIBLE: the interpreter
		 * could not open /dev/fd/N once the fd is closed by exec. */
		if (b->fd_hidden)
			return -ENOENT;
		return exec_script(b, path, hdr, (size_t)n);
	}
	r = elf_read_headers(&im);
	if (!r)
		r = load_interp(&im, &in);
	if (r)
		goto out;
	r = exec_creds(b, im.file);
	if (r)
		goto out;
	r = -ENOMEM;
	mm = mm_alloc();
	if (!mm)
		goto out;
	r = mm_set_exe_file(mm, im.file);
	if (!r)
		r = build_mm(mm, &im, &in, b, &entry, &sp);
	if (r) {
		mm_put(mm);
		goto out;
	}
	exec_commit(mm, b, entry, sp);
	r = 0;
out:
	elf_image_free(&im);
	elf_image_free(&in);
	return r;
}

static void bprm_free(struct bprm *b)
{
	kfree(b->buf);
	kfree(b->filename);
}

/* execve from kernel strings (starting init).  0 or -errno. */
int kernel_execve(const char *path, const char *const argv[], const char *const envp[])
{
	struct bprm b = { 0 };
	int r;

	b.filename = kstrdup(path);
	if (!b.filename)
		return -ENOMEM;
	r = copy_strings_kernel(&b, argv);
	if (r >= 0) {
		b.argc = r;
		r = copy_strings_kernel(&b, envp);
	}
	if (r >= 0) {
		b.envc = r;
		r = do_execve_file(&b, path);
	}
	bprm_free(&b);
	return r;
}

/*
 * execve/execveat from guest strings.  Relative to an fd (not AT_FDCWD,
 * a relative path) the program's name is /dev/fd/N/path, or /dev/fd/N
 * for AT_EMPTY_PATH's empty path, as Linux's alloc_bprm names it; then
 * comm is the file's own name (Linux 6.13+).
 */
static long do_execve_user(int dfd, uaddr_t upath, uaddr_t uargv, uaddr_t uenvp, int flags)
{
	struct bprm b = { 0 };
	unsigned lf = (flags & AT_EMPTY_PATH) ? LOOKUP_EMPTY : 0;
	char *name = kmalloc(PATH_MAX);
	struct file *f;
	long r;

	b.filename = kmalloc(PATH_MAX + 32);
	if (!b.filename || !name) {
		r = -ENOMEM;
		goto out;
	}
	r = strncpy_from_user(name, upath, PATH_MAX);
	if (r == 0 && !(flags & AT_EMPTY_PATH))
		r = -ENOENT;
	else if (r >= 0 && (flags & ~(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW)))
		r = -EINVAL;	/* after the name, as Linux's do_open_execat */
	if (r < 0)
		goto out;
	if (dfd == AT_FDCWD || name[0] == '/')
		kstrlcpy(b.filename, name, PATH_MAX);
	else if (name[0] == '\0')
		ksnprintf(b.filename, PATH_MAX + 32, "/dev/fd/%d", dfd);
	else
		ksnprintf(b.filename, PATH_MAX + 32, "/dev/fd/%d/%s", dfd, name);
	if (dfd != AT_FDCWD && name[0] != '/') {
		struct files *fs = current->files;

		b.fd_hidden = dfd >= 0 && dfd < fs->max_fds && fs->cloexec[dfd];
	}
	/* The file first, then the strings, as Linux's do_execveat_common. */
	f = open_exec_at(dfd, name, flags & AT_SYMLINK_NOFOLLOW, lf);
	if (IS_ERR(f)) {
		r = PTR_ERR(f);
		goto out;
	}
	if (name[0] == '\0')
		kstrlcpy(b.comm, f->f_path.dentry->d_name, sizeof(b.comm));
	r = copy_strings_user(&b, uargv);
	if (r >= 0) {
		b.argc = (int)r;
		r = copy_strings_user(&b, uenvp);
	}
	if (r < 0) {
		fput(f);
		goto out;
	}
	b.envc = (int)r;
	r = exec_file(&b, f, b.filename);
out:
	kfree(name);
	bprm_free(&b);
	return r;
}

/* An exec that ran out of memory before it replaced anything is tried
 * once more after dirty data was written back and the caches dropped. */
static long execve_retry(int dfd, uaddr_t upath, uaddr_t uargv, uaddr_t uenvp, int flags)
{
	long r = do_execve_user(dfd, upath, uargv, uenvp, flags);

	if (r == -ENOMEM && !signal_pending(current)) {
		reclaim_writeback();
		r = do_execve_user(dfd, upath, uargv, uenvp, flags);
	}
	return r;
}

SYSCALL(execve)
{
	return execve_retry(AT_FDCWD, UADDR(a[0]), UADDR(a[1]), UADDR(a[2]), 0);
}

SYSCALL(execveat)
{
	return execve_retry((int)a[0], UADDR(a[1]), UADDR(a[2]), UADDR(a[3]), (int)a[4]);
}
