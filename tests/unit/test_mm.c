/* unit-sources: mm/page_alloc.c mm/slab.c mm/pgtable.c mm/mmap.c mm/fault.c mm/uaccess.c mm/filemap.c mm/vmalloc.c */
/*
 * test_mm.c - address spaces over a fake physmem: mmap placement and
 * its errors, munmap/mprotect splitting, brk, faults (anonymous, stack
 * growth, protection), fork copy-on-write, file mappings through the
 * page cache, guest memory access (copy_{to,from}_user,
 * strncpy_from_user) and the flush of PTE changes into the stub.
 *
 * The platform is a fake: arch_mm_apply() executes the batched map ops
 * against a model of the host process's mappings (address -> physmem
 * offset and protection) and logs them, so a test can check both that
 * the host ends up mirroring the page tables exactly and how the ops
 * were batched.  Every scenario ends with mm_put and a leak check on
 * nr_free_pages().
 *
 * Only kernel headers are included (they clash with libc's); the few
 * libc functions used are declared here.
 */
#include "kernel/mm.h"
#include "kernel/fs.h"
#include "kernel/sched.h"
#include "kernel/kernel.h"
#include "kernel/stats.h"
#include "kernel/platform.h"
#include <linux/mman.h>

int printf(const char *fmt, ...);
int sprintf(char *buf, const char *fmt, ...);
int vprintf(const char *fmt, va_list ap);
void *aligned_alloc(size_t align, size_t n);
void free(void *p);
void abort(void);

#define PHYSMEM (64ULL << 20)

static int failures, count;

static void check(int ok, const char *name, const char *why)
{
	count++;
	if (ok) {
		printf("ok %d %s\n", count, name);
	} else {
		printf("not ok %d %s: %s\n", count, name, why);
		failures++;
	}
}

/* ---- fakes: kernel ---- */

/* No vmalloc window here: kmalloc's fragmentation fallback fails, as the
 * tests of it in test_page_alloc.c expect only there. */
void *os_vm_reserve(uint64_t size) { (void)size; return NULL; }
int os_vm_map(void *addr, int fd, uint64_t off, uint64_t len) { (void)addr; (void)fd; (void)off; (void)len; return -1; }
void os_vm_unmap(void *addr, uint64_t len) { (void)addr; (void)len; }
void os_physmem_populate(void *addr, uint64_t len) { (void)addr; (void)len; }

static struct task task0;
struct task *current = &task0;

void panic(const char *fmt, ...)
{
	va_list ap;

	printf("not ok panic: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	abort();
}

void printk(const char *fmt, ...)
{
	va_list ap;

	printf("# printk: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

struct file *fget(struct file *f)
{
	f->f_count++;
	return f;
}

/* No memfd here: no file is sealed. */
bool memfd_write_sealed(const struct file *f) { (void)f; return false; }
bool path_noexec(const struct path *p) { (void)p; return false; }

void fput(struct file *f)
{
	if (f->f_count <= 0)
		panic("fput of a dead file");
	f->f_count--;
}

struct file *fd_get_file(int fd) { return NULL; }

/* fs/open.c's, as there: a writer refuses the deny, the deny counts. */
int deny_write_access(struct file *f)
{
	if (f->f_inode->i_writecount > 0)
		return -ETXTBSY;
	f->f_inode->i_denywrite++;
	return 0;
}

void allow_write_access(struct file *f)
{
	f->f_inode->i_denywrite--;
}

/* ---- fakes: a file of FILE_SIZE bytes, data[i] = file_byte(i) ---- */

#define FILE_SIZE (3 * 4096 + 100)
static u8 file_data[FILE_SIZE];
static int file_writes;

static u8 file_byte(u64 i) { return (u8)(i * 7 + (i >> 12) + 1); }

static ssize_t ffile_read(struct file *f, struct uio *u, loff_t *pos)
{
	size_t n = u->len - u->done;

	if (*pos >= FILE_SIZE)
		return 0;
	n = min(n, (size_t)(FILE_SIZE - *pos));
	memcpy(u->kbuf + u->done, file_data + *pos, n);
	u->done += n;
	*pos += (loff_t)n;
	return (ssize_t)n;
}

static ssize_t ffile_write(struct file *f, struct uio *u, loff_t *pos)
{
	size_t n = u->len - u->done;

	if (*pos >= FILE_SIZE)
		return 0;
	n = min(n, (size_t)(FILE_SIZE - *pos));
	memcpy(file_data + *pos, u->kbuf + u->done, n);
	u->done += n;
	*pos += (loff_t)n;
	file_writes++;
	return (ssize_t)n;
}

static const struct file_operations ffile_ops = { .read = ffile_read, .write = ffile_write };
static struct inode finode;
static struct file ffile;

static void file_reset(void)
{
	for (u64 i = 0; i < FILE_SIZE; i++)
		file_data[i] = file_byte(i);
	memset(&finode, 0, sizeof(finode));
	finode.i_size = FILE_SIZE;
	finode.i_mode = S_IFREG | 0644;
	finode.i_fop = &ffile_ops;
	INIT_LIST_HEAD(&finode.i_pages);
	memset(&ffile, 0, sizeof(ffile));
	ffile.f_count = 1;
	ffile.f_mode = FMODE_READ | FMODE_WRITE;
	ffile.f_inode = &finode;
	ffile.f_op = &ffile_ops;
	file_writes = 0;
}

/* ---- fakes: the platform and a model of its host mappings ---- */

#define HOST_SLOTS (1 << 16)
static struct hmap {
	u64 addr;		/* page address + 1; 0 empty; ~0 deleted */
	u64 off, prot;
} host[HOST_SLOTS];
static int stub_runs, model_errors;
static struct map_op oplog[8192];
static int noplog;

static struct hmap *host_find(u64 addr, bool create)
{
	u64 h = (addr >> PAGE_SHIFT) * 0x9E3779B97F4A7C15ULL >> 48;
	struct hmap *tomb = NULL;

	for (int i = 0; i < HOST_SLOTS; i++, h = (h + 1) & (HOST_SLOTS - 1)) {
		struct hmap *e = &host[h];

		if (e->addr == addr + 1)
			return e;
		if (e->addr == ~0ULL && !tomb)
			tomb = e;
		if (e->addr == 0) {
			if (!create)
				return NULL;
			e = tomb ? tomb : e;
			e->addr = addr + 1;
			return e;
		}
	}
	panic("host model full");
}

static void host_apply(const struct map_op *op)
{
	for (u64 a = op->addr; a < op->addr + op->len; a += PAGE_SIZE) {
		struct hmap *e;

		switch (op->op) {
		case MAP_OP_MMAP:
		case MAP_OP_MMAP_POPULATE:
			e = host_find(a, true);
			e->off = op->off + (a - op->addr);
			e->prot = op->prot;
			break;
		case MAP_OP_MUNMAP:
			e = host_find(a, false);
			if (e)
				e->addr = ~0ULL;
			break;
		case MAP_OP_MPROTECT:
			e = host_find(a, false);
			if (!e)
				model_errors++;	/* the host says ENOMEM */
			else
				e->prot = op->prot;
			break;
		default:
			model_errors++;
		}
	}
}

static void host_clear(void)
{
	memset(host, 0, sizeof(host));
}

/* The platform's side, as mm/ sees it (include/kernel/platform.h). */
struct fake_host {
	bool alive;
};

static struct fake_host fake_host = { true };	/* not kmalloc'd: the leak checks count pages */

int arch_mm_init(struct mm *mm)
{
	mm->host = &fake_host;
	return 0;
}

void arch_mm_destroy(struct mm *mm)
{
	mm->host = NULL;
	host_clear();
}

void arch_mm_exec(struct mm *to, struct mm *from)
{
	(void)to;
	(void)from;
}

static int shootdowns;

/* A running host side is stopped: the change waits for the next flush. */
void arch_mm_shootdown(struct mm *mm)
{
	if (mm->running) {
		shootdowns++;
		mm->running = NULL;
	}
}

int arch_mm_apply(struct mm *mm, const struct map_op *ops, unsigned int n)
{
	struct fake_host *h = mm->host;

	if (!h || !h->alive)
		return -ESRCH;
	if (mm->running)
		model_errors++;		/* the host side must be stopped */
	stub_runs++;
	if (n == 0 || n > MAP_BATCH_MAX) {
		model_errors++;
		return 0;
	}
	for (unsigned int i = 0; i < n; i++) {
		if (ops[i].len == 0 || (ops[i].addr & ~PAGE_MASK) ||
		    (ops[i].len & ~PAGE_MASK) || ops[i].addr + ops[i].len > TASK_SIZE)
			model_errors++;
		host_apply(&ops[i]);
		if (noplog < (int)ARRAY_SIZE(oplog))
			oplog[noplog++] = ops[i];
	}
	return 0;
}

/* ---- helpers ---- */

static u64 start_free;

static void setup_physmem(void)
{
	physmem_base = aligned_alloc(PAGE_SIZE, PHYSMEM);
	physmem_size = PHYSMEM;
	/* All zero, as a fresh memfd (page_alloc_init's contract: frames
	 * never handed out are zero-filled).  Recycled frames are dirtied by
	 * the tests themselves (test_faults checks they come back zeroed). */
	memset(physmem_base, 0, PHYSMEM);
	page_alloc_init(0);
}

/* A new mm with a (fake) host side, current's. */
static struct mm *new_mm(void)
{
	struct mm *mm = mm_alloc();

	if (!mm)
		panic("mm_alloc");
	task0.mm = mm;
	host_clear();
	noplog = 0;
	stub_runs = 0;
	model_errors = 0;
	return mm;
}

static void put_mm(struct mm *mm, const char *what)
{
	char name[128];

	mm_put(mm);
	sprintf(name, "%s: mm_put frees every page (leak check)", what);
	check(nr_free_pages() == start_free, name, "nr_free_pages differs");
}

static long map(struct mm *mm, u64 addr, u64 len, int prot, int flags)
{
	return mm_mmap(mm, addr, len, prot, flags | MAP_ANONYMOUS, NULL, 0);
}

static int nvmas(struct mm *mm)
{
	struct vma *v;
	int n = 0;

	list_for_each_entry(v, &mm->vmas, list)
		n++;
	return n;
}

static bool vma_is(struct mm *mm, u64 start, u64 end)
{
	struct vma *v = find_vma(mm, start);

	return v && v->start == start && v->end == end;
}

static bool vmas_sorted_disjoint(struct mm *mm)
{
	struct vma *v;
	u64 last = 0;

	list_for_each_entry(v, &mm->vmas, list) {
		if (v->start >= v->end || v->start < last || (v->start & ~PAGE_MASK) ||
		    (v->end & ~PAGE_MASK))
			return false;
		last = v->end;
	}
	return true;
}

static pte_t pte_of(struct mm *mm, u64 addr)
{
	pte_t *e = pte_lookup(mm, addr, false);

	return e && (*e & PTE_PRESENT) ? *e : 0;
}

static u64 host_prot(pte_t e)
{
	return ((e & PTE_READ) ? PROT_READ : 0) | ((e & PTE_WRITE) ? PROT_WRITE : 0) |
	       ((e & PTE_EXEC) ? PROT_EXEC : 0);
}

/* Does the host model mirror mm's page tables exactly over [lo, hi)? */
static bool host_matches(struct mm *mm, u64 lo, u64 hi)
{
	for (u64 a = lo; a < hi; a += PAGE_SIZE) {
		pte_t e = pte_of(mm, a);
		struct hmap *h = host_find(a, false);

		if (!e != !h)
			return false;
		if (e && (h->off != (e & PAGE_MASK) || h->prot != host_prot(e)))
			return false;
	}
	return model_errors == 0;
}

static long put_bytes(u64 addr, const void *src, size_t n) { return copy_to_user(UADDR(addr), src, n); }

static u8 peek(struct mm *mm, u64 addr)
{
	u8 b = 0xcc;

	mm_copy_from(mm, &b, UADDR(addr), 1);
	return b;
}

static bool range_is(struct mm *mm, u64 addr, size_t n, u8 val)
{
	static u8 buf[1 << 16];

	while (n) {
		size_t c = min(n, sizeof(buf));

		if (mm_copy_from(mm, buf, UADDR(addr), c))
			return false;
		for (size_t i = 0; i < c; i++)
			if (buf[i] != val)
				return false;
		addr += c;
		n -= c;
	}
	return true;
}

static bool fill_user(u64 addr, size_t n, u8 val)
{
	static u8 buf[1 << 16];

	memset(buf, val, sizeof(buf));
	while (n) {
		size_t c = min(n, sizeof(buf));

		if (copy_to_user(UADDR(addr), buf, c))
			return false;
		addr += c;
		n -= c;
	}
	return true;
}

/* Warm the slab so VMA and mm allocations later take no fresh pages. */
static void warm_up(void)
{
	static void *p[4096];

	for (int i = 0; i < 4096; i++)
		p[i] = kmalloc(i % 2 ? sizeof(struct vma) : sizeof(struct mm));
	for (int i = 0; i < 4096; i++)
		kfree(p[i]);
	start_free = nr_free_pages();
}

#define P PAGE_SIZE
#define RW (PROT_READ | PROT_WRITE)
#define PRIV MAP_PRIVATE

/* ---- mmap ---- */

static void test_mmap_placement(void)
{
	struct mm *mm = new_mm();
	long a, b, c, d;

	a = map(mm, 0, 3 * P, RW, PRIV);
	check(a > 0 && !(a & ~PAGE_MASK) && (u64)a + 3 * P <= mm->mmap_base,
	      "mmap without hint: page aligned, below mmap_base", "bad address");
	check(a > 0 && (u64)a + 3 * P == mm->mmap_base, "first mmap sits right below mmap_base",
	      "not top-down");
	b = map(mm, 0, 5 * P, RW, PRIV);
	check(b > 0 && (u64)b + 5 * P <= (u64)a, "second mmap goes below the first (top-down)",
	      "bad address");
	check(vma_is(mm, (u64)a, (u64)a + 3 * P) && vma_is(mm, (u64)b, (u64)b + 5 * P),
	      "each mmap makes one VMA of its length", "wrong VMAs");
	c = map(mm, 0x10000000, 2 * P, RW, PRIV);
	check(c == 0x10000000, "free hint is honoured", "hint ignored");
	d = map(mm, 0x10000000 + P, 2 * P, RW, PRIV);
	check(d > 0 && (d + 2 * (long)P <= 0x10000000 || d >= 0x10000000 + 2 * (long)P),
	      "occupied hint: placed elsewhere without overlap", "overlaps");
	d = map(mm, 0x20000123, 100, RW, PRIV);
	check(d > 0 && !(d & ~PAGE_MASK), "unaligned hint gives an aligned address", "bad");
	d = map(mm, 0x1000, P, RW, PRIV);
	check(d >= 0x10000, "hint below mmap_min_addr is not used", "mapped low");
	check(vmas_sorted_disjoint(mm), "VMAs sorted and disjoint", "not");
	check(map(mm, 0, 0, RW, PRIV) == -EINVAL, "len 0 is -EINVAL", "wrong");
	check(mm_mmap(mm, 0, P, RW, PRIV | MAP_ANONYMOUS, NULL, 123) == -EINVAL,
	      "unaligned offset is -EINVAL", "wrong");
	check(map(mm, 0, TASK_SIZE + P, RW, PRIV) == -ENOMEM, "len beyond TASK_SIZE is -ENOMEM",
	      "wrong");
	check(map(mm, 0, ~0ULL, RW, PRIV) == -ENOMEM, "len 2^64-1 is -ENOMEM (no wrap)", "wrong");
	check(map(mm, 0x1000, P, RW, PRIV | MAP_FIXED) == -EPERM, "MAP_FIXED at 0x1000 is -EPERM",
	      "wrong");
	check(map(mm, 0, P, RW, PRIV | MAP_FIXED) == -EPERM, "MAP_FIXED at 0 is -EPERM", "wrong");
	check(map(mm, 0x30000010, P, RW, PRIV | MAP_FIXED) == -EINVAL,
	      "MAP_FIXED unaligned is -EINVAL", "wrong");
	check(map(mm, TASK_SIZE - P, 2 * P, RW, PRIV | MAP_FIXED) == -ENOMEM,
	      "MAP_FIXED past TASK_SIZE is -ENOMEM (as Linux)", "wrong errno");
	check(map(mm, ~0ULL & PAGE_MASK, 2 * P, RW, PRIV | MAP_FIXED) < 0,
	      "MAP_FIXED with wrapping end fails", "mapped");
	put_mm(mm, "placement");
}

static void test_mmap_fixed(void)
{
	struct mm *mm = new_mm();
	const u64 X = 0x40000000;
	long r;

	map(mm, X, 4 * P, RW, PRIV | MAP_FIXED);
	check(fill_user(X, 4 * P, 0xaa), "anonymous mapping is writable", "EFAULT");
	r = map(mm, X + P, 2 * P, PROT_READ, PRIV | MAP_FIXED);
	check(r == (long)X + (long)P, "MAP_FIXED over a mapping returns addr", "wrong");
	check(range_is(mm, X + P, 2 * P, 0) && range_is(mm, X, P, 0xaa) &&
	      range_is(mm, X + 3 * P, P, 0xaa), "MAP_FIXED replaced the middle with zeros only",
	      "contents wrong");
	check(nvmas(mm) == 3 && vma_is(mm, X, X + P) && vma_is(mm, X + P, X + 3 * P) &&
	      vma_is(mm, X + 3 * P, X + 4 * P), "MAP_FIXED splits the old VMA around the new",
	      "wrong VMAs");
	check(mm_copy_to(mm, UADDR(X + P), "x", 1) == -EFAULT, "replacement has its own protection",
	      "writable");
	r = map(mm, X + 3 * P, 2 * P, RW, PRIV | MAP_FIXED | MAP_FIXED_NOREPLACE);
	check(r == -EEXIST, "MAP_FIXED_NOREPLACE on a partial overlap is -EEXIST", "wrong");
	check(range_is(mm, X + 3 * P, P, 0xaa) && nvmas(mm) == 3,
	      "failed NOREPLACE changed nothing", "changed");
	r = map(mm, X + 4 * P, 2 * P, RW, PRIV | MAP_FIXED | MAP_FIXED_NOREPLACE);
	check(r == (long)(X + 4 * P), "MAP_FIXED_NOREPLACE on a free range maps", "wrong");
	check(map(mm, 0x8000, P, RW, PRIV | MAP_FIXED | MAP_FIXED_NOREPLACE) == -EPERM,
	      "NOREPLACE below mmap_min_addr is -EPERM", "wrong");
	check(vmas_sorted_disjoint(mm), "VMAs sorted and disjoint", "not");
	put_mm(mm, "MAP_FIXED");
}

/* ---- munmap, mprotect, brk ---- */

static void test_munmap(void)
{
	struct mm *mm = new_mm();
	const u64 X = 0x40000000;
	u64 before;

	map(mm, X, 3 * P, RW, PRIV | MAP_FIXED);
	fill_user(X, 3 * P, 0x11);
	before = nr_free_pages();
	check(mm_munmap(mm, X + P, P) == 0, "munmap of the middle page", "failed");
	check(nvmas(mm) == 2 && vma_is(mm, X, X + P) && vma_is(mm, X + 2 * P, X + 3 * P),
	      "munmap in the middle leaves two VMAs with a hole", "wrong VMAs");
	check(peek(mm, X + P) == 0xcc && mm_copy_to(mm, UADDR(X + P), "x", 1) == -EFAULT,
	      "the hole is unmapped (EFAULT, not refaulted)", "still mapped");
	check(range_is(mm, X, P, 0x11) && range_is(mm, X + 2 * P, P, 0x11),
	      "munmap keeps the neighbours' contents", "corrupted");
	check(nr_free_pages() == before + 1, "munmap frees the page", "not freed");
	check(mm_munmap(mm, X + 1, P) == -EINVAL, "unaligned munmap is -EINVAL", "wrong");
	check(mm_munmap(mm, X, 0) == -EINVAL, "munmap len 0 is -EINVAL", "wrong");
	check(mm_munmap(mm, TASK_SIZE - P, 2 * P) == -EINVAL, "munmap past TASK_SIZE is -EINVAL",
	      "wrong");
	check(mm_munmap(mm, 0x50000000, 10 * P) == 0, "munmap of nothing is 0", "wrong");
	check(mm_munmap(mm, X - 5 * P, 100 * P) == 0 && nvmas(mm) == 0,
	      "munmap across several VMAs and holes removes them all", "left some");
	mm_flush(mm);
	check(host_matches(mm, X - 8 * P, X + 8 * P), "host mirrors the tables after munmap",
	      "host differs");
	put_mm(mm, "munmap");
}

static void test_mprotect(void)
{
	struct mm *mm = new_mm();
	const u64 X = 0x40000000;
	int ops;

	map(mm, X, 4 * P, RW, PRIV | MAP_FIXED);
	fill_user(X, 4 * P, 0x22);
	mm_flush(mm);
	check(host_matches(mm, X, X + 4 * P), "host mirrors fresh anonymous pages", "differs");
	noplog = 0;
	check(mm_mprotect(mm, X + P, 2 * P, PROT_READ) == 0, "mprotect of the middle", "failed");
	check(nvmas(mm) == 3 && vma_is(mm, X, X + P) && vma_is(mm, X + P, X + 3 * P) &&
	      vma_is(mm, X + 3 * P, X + 4 * P), "mprotect splits into three VMAs", "wrong VMAs");
	check(mm_copy_to(mm, UADDR(X + P), "x", 1) == -EFAULT && mm_copy_to(mm, UADDR(X + 3 * P - 1), "x", 1) ==
	      -EFAULT, "read-only part rejects writes", "writable");
	check(mm_copy_to(mm, UADDR(X), "y", 1) == 0 && mm_copy_to(mm, UADDR(X + 3 * P), "y", 1) == 0,
	      "outer parts stay writable", "not writable");
	check(range_is(mm, X + P, 2 * P, 0x22), "mprotect keeps the contents", "changed");
	mm_flush(mm);
	ops = 0;
	for (int i = 0; i < noplog; i++)
		if (oplog[i].op == MAP_OP_MPROTECT && oplog[i].addr >= X + P &&
		    oplog[i].addr + oplog[i].len <= X + 3 * P && oplog[i].prot == PROT_READ)
			ops++;
	check(ops == 1 && noplog == 1, "prot change flushes as one mprotect op of 2 pages",
	      "other ops");
	check(host_matches(mm, X, X + 4 * P), "host mirrors the tables after mprotect", "differs");

	check(mm_mprotect(mm, X, 4 * P, PROT_NONE) == 0 && peek(mm, X) == 0xcc,
	      "PROT_NONE rejects reads", "readable");
	check(mm_mprotect(mm, X, 4 * P, RW) == 0 && peek(mm, X + 2 * P) == 0x22,
	      "mprotect back to RW: contents intact", "lost");
	mm_munmap(mm, X + 2 * P, P);
	check(mm_mprotect(mm, X, 4 * P, PROT_READ) == -ENOMEM, "mprotect over a hole is -ENOMEM",
	      "wrong");
	check(mm_copy_to(mm, UADDR(X), "z", 1) == 0, "failed mprotect changed nothing before the hole",
	      "became read-only");
	check(mm_mprotect(mm, X + 1, P, PROT_READ) == -EINVAL, "unaligned mprotect is -EINVAL",
	      "wrong");
	check(mm_mprotect(mm, X, P, 0x1000) == -EINVAL, "unknown prot bits are -EINVAL", "wrong");
	check(mm_mprotect(mm, X, 0, PROT_READ) == 0, "mprotect len 0 is 0", "wrong");
	check(mm_mprotect(mm, 0x70000000, P, PROT_READ) == -ENOMEM,
	      "mprotect of unmapped memory is -ENOMEM", "wrong");
	mm_flush(mm);
	check(host_matches(mm, X, X + 4 * P), "host mirrors the tables at the end", "differs");
	put_mm(mm, "mprotect");
}

static void test_brk(void)
{
	struct mm *mm = new_mm();
	const u64 B = 0x600000;

	mm->brk_start = mm->brk = B;
	check(mm_brk(mm, 0) == (long)B, "brk(0) reports the current break", "wrong");
	check(mm_brk(mm, B + 3 * P + 5) == (long)(B + 3 * P + 5), "brk grows", "refused");
	check(fill_user(B, 3 * P + 5, 0x33), "the grown heap is writable", "EFAULT");
	check(peek(mm, B + 4 * P) == 0xcc, "nothing mapped past the break's page", "mapped");
	check(mm_brk(mm, B + 8 * P) == (long)(B + 8 * P) && range_is(mm, B, 3 * P + 5, 0x33) &&
	      range_is(mm, B + 4 * P, 4 * P, 0), "brk grows again; old contents kept, new zero",
	      "wrong");
	check(nvmas(mm) == 1, "heap stays one VMA as it grows", "several");
	check(mm_brk(mm, B + P + 1) == (long)(B + P + 1), "brk shrinks", "refused");
	check(peek(mm, B + 2 * P) == 0xcc && peek(mm, B + P + 100) == 0x33,
	      "shrunk: pages past the break are gone, the break's page stays", "wrong");
	check(mm_brk(mm, B + 4 * P) == (long)(B + 4 * P) && range_is(mm, B + 2 * P, 2 * P, 0),
	      "regrown heap reads zeros", "old data");
	check(mm_brk(mm, B - P) == (long)(B + 4 * P), "brk below brk_start is refused", "moved");
	map(mm, B + 10 * P, P, RW, PRIV | MAP_FIXED);
	check(mm_brk(mm, B + 12 * P) == (long)(B + 4 * P), "brk into a mapping is refused",
	      "moved");
	check(mm_brk(mm, TASK_SIZE + P) == (long)(B + 4 * P), "brk past TASK_SIZE is refused",
	      "moved");
	check(mm_brk(mm, B) == (long)B && peek(mm, B) == 0xcc, "brk back to brk_start unmaps all",
	      "wrong");
	put_mm(mm, "brk");
}

/* ---- faults ---- */

static void test_faults(void)
{
	struct mm *mm = new_mm();
	const u64 X = 0x40000000, S = 0x7f0000000000ULL;
	u64 old_pfn;
	pte_t e;
	int r;

	map(mm, X, 4 * P, RW, PRIV | MAP_FIXED);
	map(mm, X + 8 * P, P, PROT_READ, PRIV | MAP_FIXED);
	map(mm, X + 10 * P, P, PROT_NONE, PRIV | MAP_FIXED);
	r = handle_mm_fault(mm, X + P + 17, false);
	e = pte_of(mm, X + P);
	check(r == 0 && e && (e & PTE_READ), "read fault maps a readable page", "not mapped");
	check(range_is(mm, X + P, P, 0), "anonymous page is zeroed", "dirty (physmem garbage)");
	/* A recycled frame: written, unmapped (freed: the allocator hands
	 * the last freed frame out first), faulted in again. */
	old_pfn = pte_of(mm, X + P) >> PAGE_SHIFT;
	memset(page_address(pfn_to_page(old_pfn)), 0x77, P);
	check(mm_munmap(mm, X + P, P) == 0 && map(mm, X + P, P, RW, PRIV | MAP_FIXED) == (long)(X + P) &&
	      handle_mm_fault(mm, X + P, true) == 0 && (pte_of(mm, X + P) >> PAGE_SHIFT) == old_pfn &&
	      range_is(mm, X + P, P, 0),
	      "a freed and faulted-again anonymous page (the same frame) is zeroed", "old contents");
	check(handle_mm_fault(mm, X + 2 * P, true) == 0 && (pte_of(mm, X + 2 * P) & PTE_WRITE),
	      "write fault maps a writable page", "not writable");
	check(handle_mm_fault(mm, X + 4 * P, false) == -EFAULT, "fault past a VMA is -EFAULT",
	      "wrong");
	check(handle_mm_fault(mm, 0x1000, false) == -EFAULT, "fault at 0x1000 is -EFAULT",
	      "wrong");
	check(handle_mm_fault(mm, TASK_SIZE, false) == -EFAULT &&
	      handle_mm_fault(mm, ~0ULL, true) == -EFAULT, "fault at/after TASK_SIZE is -EFAULT",
	      "wrong");
	check(handle_mm_fault(mm, X + 8 * P, true) == -EACCES,
	      "write fault on a read-only VMA is -EACCES", "wrong");
	check(handle_mm_fault(mm, X + 8 * P, false) == 0, "read fault on a read-only VMA maps",
	      "wrong");
	check(handle_mm_fault(mm, X + 10 * P, false) == -EACCES, "fault on PROT_NONE is -EACCES",
	      "wrong");
	check(handle_mm_fault(mm, X + 2 * P, true) == 0, "fault on a mapped page is 0", "wrong");

	/* Stack: a growsdown VMA extends down to 8 MiB on faults just below it. */
	map(mm, S - 16 * P, 16 * P, RW, PRIV | MAP_FIXED | MAP_GROWSDOWN);
	check(handle_mm_fault(mm, S - 16 * P - 100, true) == 0 && vma_is(mm, S - 17 * P, S),
	      "fault just below the stack grows it", "not grown");
	check(handle_mm_fault(mm, S - (1 << 20), true) == 0 && vma_is(mm, S - (1 << 20), S),
	      "fault 1 MiB below the top grows the stack", "not grown");
	check(handle_mm_fault(mm, S - (8 << 20), true) == 0, "stack may reach 8 MiB", "refused");
	check(handle_mm_fault(mm, S - (8 << 20) - P, true) == -EFAULT,
	      "stack beyond 8 MiB is -EFAULT", "grown");
	check(handle_mm_fault(mm, X + 5 * P, false) == -EFAULT,
	      "a non-growsdown VMA does not grow down", "grown");
	map(mm, S - (12 << 20), P, RW, PRIV | MAP_FIXED | MAP_GROWSDOWN);
	map(mm, S - (12 << 20) - 3 * P, P, RW, PRIV | MAP_FIXED);
	check(handle_mm_fault(mm, S - (12 << 20) - 2 * P, true) == -EFAULT,
	      "stack growth that would touch the VMA below is refused (guard gap)",
	      "grown into the gap");
	check(vma_is(mm, S - (12 << 20), S - (12 << 20) + P), "refused growth left the VMA alone",
	      "changed");
	/* Linux's guard gap is 1 MiB; growth that keeps it is fine. */
	map(mm, S - (24 << 20), P, RW, PRIV | MAP_FIXED | MAP_GROWSDOWN);
	map(mm, S - (26 << 20), P, RW, PRIV | MAP_FIXED);
	check(handle_mm_fault(mm, S - (26 << 20) + P + (512 << 10), true) == -EFAULT,
	      "stack growth to 512 KiB above the VMA below is refused (1 MiB gap)", "grown");
	check(handle_mm_fault(mm, S - (25 << 20) + P, true) == 0,
	      "stack growth that keeps a 1 MiB gap works", "refused");
	/* The lowest mapping may not grow below mmap_min_addr (page 0). */
	map(mm, 0x10000, 16 * P, RW, PRIV | MAP_FIXED | MAP_GROWSDOWN);
	check(handle_mm_fault(mm, 0x10, true) == -EFAULT && vma_is(mm, 0x10000, 0x20000),
	      "a stack at mmap_min_addr does not grow to page 0", "grown");
	check(handle_mm_fault(mm, 0xffff, true) == -EFAULT, "nor just below mmap_min_addr",
	      "grown");
	check(vmas_sorted_disjoint(mm), "VMAs sorted and disjoint", "not");
	mm_flush(mm);
	check(host_matches(mm, X, X + 12 * P) && host_matches(mm, S - (8 << 20) - P, S),
	      "host mirrors the faulted pages", "differs");
	put_mm(mm, "faults");
}

/* ---- fork ---- */

static void test_fork_cow(void)
{
	struct mm *par = new_mm(), *child;
	const u64 X = 0x40000000, Y = 0x50000000;
	char buf[32];
	pte_t pe, ce, ce2;
	u64 pframe;

	map(par, X, 2 * P, RW, PRIV | MAP_FIXED);
	map(par, Y, P, RW, MAP_SHARED | MAP_FIXED);
	mm_copy_to(par, UADDR(X + 100), "parent data", 12);
	mm_copy_to(par, UADDR(Y), "shared", 7);
	mm_flush(par);
	pframe = pte_of(par, X) & PAGE_MASK;
	child = mm_fork(par);
	check(child != NULL, "mm_fork succeeds", "NULL");
	pe = pte_of(par, X);
	ce = pte_of(child, X);
	check(pe && ce && (pe & PAGE_MASK) == (ce & PAGE_MASK),
	      "after fork parent and child map the same frame", "different");
	check(!(pe & PTE_WRITE) && !(ce & PTE_WRITE), "the shared private frame is read-only in both",
	      "writable");
	check(mm_copy_from(child, buf, UADDR(X + 100), 12) == 0 && !strcmp(buf, "parent data"),
	      "child reads the parent's data", "wrong");
	check(nvmas(child) == nvmas(par) && vma_is(child, X, X + 2 * P),
	      "child has the same VMAs", "different");
	check(child->brk == par->brk && child->mmap_base == par->mmap_base,
	      "child inherits brk and mmap_base", "different");

	check(mm_copy_to(child, UADDR(X + 100), "CHILD!", 6) == 0, "child write succeeds", "EFAULT");
	ce2 = pte_of(child, X);
	check((ce2 & PAGE_MASK) != (pe & PAGE_MASK) && (ce2 & PTE_WRITE),
	      "child write fault gives the child its own writable frame", "same frame");
	check(mm_copy_from(child, buf, UADDR(X + 100), 12) == 0 && !strcmp(buf, "CHILD! data"),
	      "child's copy has the old content plus its write", "wrong");
	check(mm_copy_from(par, buf, UADDR(X + 100), 12) == 0 && !strcmp(buf, "parent data") &&
	      (pte_of(par, X) & PAGE_MASK) == pframe, "parent's page is unchanged", "changed");
	check(mm_copy_to(par, UADDR(X + 100), "PARENT", 6) == 0 && mm_copy_from(child, buf, UADDR(X + 100), 12) == 0
	      && !strcmp(buf, "CHILD! data"), "parent write does not show in the child", "leaked");

	check(mm_copy_to(child, UADDR(Y), "SHARED", 7) == 0 && mm_copy_from(par, buf, UADDR(Y), 7) == 0 &&
	      !strcmp(buf, "SHARED"), "MAP_SHARED anonymous memory is shared after fork",
	      "not shared");
	mm_flush(par);
	check(host_matches(par, X, X + 2 * P) && host_matches(par, Y, Y + P),
	      "host mirrors the parent after fork and COW", "differs");
	mm_put(child);
	check(mm_copy_from(par, buf, UADDR(Y), 7) == 0 && !strcmp(buf, "SHARED"),
	      "shared memory survives the child's exit", "gone");
	put_mm(par, "fork");
}

/* ---- file mappings ---- */

static void test_file_mappings(void)
{
	struct mm *mm;
	const u64 X = 0x40000000, Y = 0x48000000, Z = 0x4c000000;
	u8 buf[256];
	bool ok = true;
	long r;

	file_reset();
	mm = new_mm();
	r = mm_mmap(mm, X, 5 * P, PROT_READ, PRIV | MAP_FIXED, &ffile, 0);
	check(r == (long)X && ffile.f_count == 2, "file mmap takes a file reference", "wrong");
	for (u64 i = 0; i < FILE_SIZE; i += 97) {
		if (mm_copy_from(mm, buf, UADDR(X + i), 1) || buf[0] != file_byte(i))
			ok = false;
	}
	check(ok, "file mapping reads the file's bytes", "wrong");
	check(mm_copy_from(mm, buf, UADDR(X + FILE_SIZE), 10) == 0 && buf[0] == 0 && buf[9] == 0,
	      "bytes past EOF in the last page read as zeros", "garbage");
	check(mm_copy_from(mm, buf, UADDR(X + 4 * P), 1) == -EFAULT,
	      "a page wholly past EOF faults (SIGBUS), no access", "readable");
	check(mm_copy_to(mm, UADDR(X), "w", 1) == -EFAULT, "read-only file mapping rejects writes",
	      "writable");

	r = mm_mmap(mm, Y, 2 * P, RW, PRIV | MAP_FIXED, &ffile, P);
	check(r == (long)Y && peek(mm, Y) == file_byte(P) && peek(mm, Y + P + 5) == file_byte(2 * P + 5),
	      "mapping at an offset starts at that file page", "wrong");
	check(mm_copy_to(mm, UADDR(Y), "private", 7) == 0 && peek(mm, X + P) == file_byte(P) &&
	      file_data[P] == file_byte(P), "private writable mapping does not change the file",
	      "file changed");

	r = mm_mmap(mm, Z, P, RW, MAP_SHARED | MAP_FIXED, &ffile, 0);
	check(r == (long)Z && mm_copy_to(mm, UADDR(Z + 10), "SHARED", 6) == 0, "shared file mapping writable",
	      "failed");
	check(peek(mm, X + 10) == 'S', "shared write shows in another mapping of the file",
	      "not shared");
	check(mm_munmap(mm, Z, P) == 0 && !memcmp(file_data + 10, "SHARED", 6),
	      "munmap of a shared mapping writes the data back", "not written");
	check(mm_munmap(mm, X, 5 * P) == 0 && mm_munmap(mm, Y, 2 * P) == 0 && ffile.f_count == 1,
	      "munmap drops the file references", "leaked");

	/* Fork with a file mapping: the child holds its own reference. */
	mm_mmap(mm, X, 2 * P, PROT_READ, PRIV | MAP_FIXED, &ffile, 0);
	peek(mm, X);
	{
		struct mm *child = mm_fork(mm);

		check(child && ffile.f_count == 3 && peek(child, X + 1) == file_byte(1),
		      "fork shares file mappings with a reference each", "wrong");
		if (child)
			mm_put(child);
	}
	mm_put(mm);
	check(ffile.f_count == 1, "mm_put drops the file references", "leaked");
	filemap_drop(&finode);
	check(nr_free_pages() == start_free, "file mappings: every page freed (leak check)", "leak");
}

static bool pte_present_at(struct mm *mm, u64 addr)
{
	pte_t *e = pte_lookup(mm, addr, false);

	return e && (*e & PTE_PRESENT);
}

/*
 * Mapping ahead: a read-only file mapping gets the pages the page cache
 * holds (mm_prefault_cached, exec's), reading nothing; a small private
 * writable one is copied whole at its first fault.
 */
static void test_map_ahead(void)
{
	struct mm *mm, *other;
	const u64 X = 0x40000000, Y = 0x48000000, W = 0x4c000000;
	bool all = true, none = true;

	file_reset();
	mm = new_mm();
	mm_mmap(mm, X, 5 * P, PROT_READ | PROT_EXEC, PRIV | MAP_FIXED, &ffile, 0);
	mm_prefault_cached(mm, X);
	for (u64 a = X; a < X + 5 * P; a += P)
		none = none && !pte_present_at(mm, a);
	check(none && list_empty(&finode.i_pages),
	      "prefault of an uncached file maps nothing and reads nothing", "mapped or read");

	other = new_mm();	/* fills the cache: its fault reads the window */
	mm_mmap(other, X, 4 * P, PROT_READ, PRIV | MAP_FIXED, &ffile, 0);
	check(peek(other, X + 3) == file_byte(3), "a fault in another mm reads the file", "wrong");
	mm_prefault_cached(mm, X + 2 * P + 17);
	for (u64 a = X; a < X + 4 * P; a += P)
		all = all && pte_present_at(mm, a);
	check(all && !pte_present_at(mm, X + 4 * P),
	      "prefault maps every cached page of the mapping, none past EOF", "wrong pages");
	check(peek(mm, X + 3 * P + 7) == file_byte(3 * P + 7) &&
	      mm_copy_from(mm, (u8[1]){ 0 }, UADDR(X + 4 * P), 1) == -EFAULT,
	      "prefaulted pages read the file; past EOF still faults", "wrong");
	check(mm->rss == 4, "prefaulted pages count in rss", "wrong rss");

	mm_mmap(mm, W, 2 * P, RW, PRIV | MAP_FIXED, &ffile, 0);
	mm_prefault_cached(mm, W);
	check(!pte_present_at(mm, W) && !pte_present_at(mm, W + P),
	      "prefault leaves writable mappings to their faults", "mapped");

	mm_mmap(mm, Y, 4 * P, RW, PRIV | MAP_FIXED, &ffile, 0);
	check(mm_copy_to(mm, UADDR(Y + P + 1), "Q", 1) == 0 && pte_present_at(mm, Y) &&
	      pte_present_at(mm, Y + 3 * P),
	      "a small private writable mapping is copied whole at its first fault", "one page");
	check(peek(mm, Y + P + 1) == 'Q' && peek(mm, Y + 3 * P + 5) == file_byte(3 * P + 5) &&
	      file_data[P + 1] == file_byte(P + 1) && peek(other, X + P + 1) == file_byte(P + 1),
	      "its copies are private: the file and the cache keep their bytes", "shared");
	mm_put(other);
	mm_put(mm);
	filemap_drop(&finode);
	check(nr_free_pages() == start_free && ffile.f_count == 1,
	      "map ahead: every page and reference freed", "leak");
}

/*
 * A bigger fake file, BIG_PAGES pages, byte i = file_byte(i): the page
 * cache's readahead windows (32 pages) and the frames they take.
 */
#define BIG_PAGES	40

static ssize_t bfile_read(struct file *f, struct uio *u, loff_t *pos)
{
	size_t n = u->len;

	(void)f;
	if (*pos >= BIG_PAGES * 4096)
		return 0;
	n = min(n, (size_t)(BIG_PAGES * 4096 - *pos));
	for (size_t i = 0; i < n; i++)
		((u8 *)u->kbuf)[i] = file_byte((u64)*pos + i);
	*pos += (loff_t)n;
	return (ssize_t)n;
}

static const struct file_operations bfile_ops = { .read = bfile_read, .write = ffile_write };
static struct inode binode;
static struct file bfile;

static void bfile_reset(void)
{
	memset(&binode, 0, sizeof(binode));
	binode.i_size = BIG_PAGES * 4096;
	binode.i_mode = S_IFREG | 0644;
	binode.i_fop = &bfile_ops;
	INIT_LIST_HEAD(&binode.i_pages);
	memset(&bfile, 0, sizeof(bfile));
	bfile.f_count = 1;
	bfile.f_mode = FMODE_READ;
	bfile.f_inode = &binode;
	bfile.f_op = &bfile_ops;
}

/* The cached pages [first, first + n) of binode are all there, in
 * consecutive frames. */
static bool cached_consecutive(u64 first, unsigned n)
{
	struct page *pg[64];
	bool ok = filemap_find_cached(&binode, first, n, pg) == n;

	for (unsigned i = 0; i < n; i++) {
		if (pg[i] && i && page_to_pfn(pg[i]) != page_to_pfn(pg[0]) + i)
			ok = false;
		if (pg[i])
			page_put(pg[i]);
	}
	return ok;
}

/* The mmap ops of the last flush. */
static int flush_mmaps(struct mm *mm)
{
	int n = 0;

	noplog = 0;
	mm_flush(mm);
	for (int i = 0; i < noplog; i++)
		if (oplog[i].op == MAP_OP_MMAP || oplog[i].op == MAP_OP_MMAP_POPULATE)
			n++;
	return n;
}

/*
 * The free lists hold single frames scattered over memory (every other
 * one of a run taken and freed), as after a while of use: a page
 * allocated alone then lands anywhere.  Returns the frames kept.
 */
static void fragment(struct page **keep, int n)
{
	for (int i = 0; i < n; i++) {
		struct page *p = alloc_pages(0);

		if (i % 2)
			keep[i / 2] = p;
		else
			page_put(p);
	}
}

/*
 * A fault reads its readahead window into consecutive frames (the
 * fault's own run, or one the page cache takes itself), so a later
 * mapping of the cached file is one host mmap per window, not one per
 * page (the fork+exec regression of the direct page-cache fill); and a
 * small private writable mapping's copies are consecutive too.
 */
static void test_readahead_frames(void)
{
	struct page *keep[64];
	struct mm *mm, *other;
	const u64 X = 0x40000000, Y = 0x48000000, Z = 0x4c000000;
	bool consec = true;

	bfile_reset();
	fragment(keep, 128);
	mm = new_mm();
	mm_mmap(mm, X, BIG_PAGES * P, PROT_READ | PROT_EXEC, PRIV | MAP_FIXED, &bfile, 0);
	check(peek(mm, X + 5 * P + 3) == file_byte(5 * P + 3), "a fault reads the big file",
	      "wrong");
	check(cached_consecutive(0, 32), "a fault's readahead window sits in consecutive frames",
	      "scattered");
	other = new_mm();
	mm_mmap(other, X, BIG_PAGES * P, PROT_READ | PROT_EXEC, PRIV | MAP_FIXED, &bfile, 0);
	mm_prefault_cached(other, X);
	check(flush_mmaps(other) == 1 && pte_present_at(other, X + 31 * P),
	      "exec's prefault of the cached window is one host mmap", "one per page");

	mm_mmap(mm, Z, BIG_PAGES * P, PROT_READ, MAP_SHARED | MAP_FIXED, &bfile, 0);
	check(peek(mm, Z + 33 * P) == file_byte(33 * P) && cached_consecutive(32, 8),
	      "a window read with no spare frames takes consecutive ones", "scattered");

	mm_mmap(mm, Y, 8 * P, RW, PRIV | MAP_FIXED, &bfile, 0);
	check(peek(mm, Y + 2 * P) == file_byte(2 * P), "private writable copy reads the file",
	      "wrong");
	for (u64 a = Y + P; a < Y + 8 * P; a += P)
		consec = consec && (pte_of(mm, a) & PAGE_MASK) == (pte_of(mm, a - P) & PAGE_MASK) + P;
	check(consec, "a small private writable mapping's copies are consecutive", "scattered");
	mm_put(other);
	mm_put(mm);
	filemap_drop(&binode);
	for (int i = 0; i < 64; i++)
		page_put(keep[i]);
	check(nr_free_pages() == start_free && bfile.f_count == 1,
	      "readahead frames: every page and reference freed", "leak");
}

/* A shared mapping made writable by mprotect after a read fault. */
static void test_shared_mprotect_writeback(void)
{
	struct mm *mm;
	const u64 Z = 0x4c000000;

	file_reset();
	mm = new_mm();
	mm_mmap(mm, Z, P, PROT_READ, MAP_SHARED | MAP_FIXED, &ffile, 0);
	check(peek(mm, Z + 20) == file_byte(20), "read-only shared file mapping reads", "wrong");
	check(mm_mprotect(mm, Z, P, RW) == 0 && mm_copy_to(mm, UADDR(Z + 20), "MPROT", 5) == 0,
	      "shared file mapping writable after mprotect", "EFAULT");
	check(mm_munmap(mm, Z, P) == 0 && !memcmp(file_data + 20, "MPROT", 5),
	      "writes after mprotect(RW) of a shared mapping reach the file", "lost");
	mm_put(mm);
	filemap_drop(&finode);
	check(nr_free_pages() == start_free && ffile.f_count == 1,
	      "shared mprotect: every page and reference freed", "leak");
}

/* ---- guest memory access ---- */

static void test_uaccess(void)
{
	struct mm *mm = new_mm();
	const u64 X = 0x40000000;
	static char big[3 * 4096], back[3 * 4096];
	char s[64];

	map(mm, X, 3 * P, RW, PRIV | MAP_FIXED);
	map(mm, X + 4 * P, P, PROT_READ, PRIV | MAP_FIXED);
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)(i * 13 + 5);
	check(copy_to_user(UADDR(X + 100), big, 2 * P + 50) == 0, "copy_to_user across page boundaries",
	      "EFAULT");
	check(copy_from_user(back, UADDR(X + 100), 2 * P + 50) == 0 && !memcmp(big, back, 2 * P + 50),
	      "copy_from_user reads it back", "different");
	check(copy_to_user(UADDR(X + 3 * P - 2), "abcd", 4) == -EFAULT,
	      "copy_to_user running into a hole is -EFAULT", "wrong");
	check(copy_from_user(back, UADDR(X + 3 * P + 10), 1) == -EFAULT, "copy_from_user unmapped is -EFAULT",
	      "wrong");
	check(copy_from_user(back, UADDR(0), 1) == -EFAULT, "copy_from_user NULL is -EFAULT", "wrong");
	check(copy_to_user(UADDR(X + 4 * P), "x", 1) == -EFAULT, "copy_to_user read-only is -EFAULT",
	      "wrong");
	check(copy_from_user(back, UADDR(X + 4 * P), 8) == 0, "copy_from_user read-only works", "EFAULT");
	check(copy_from_user(back, UADDR(TASK_SIZE - 2), 4) == -EFAULT &&
	      copy_to_user(UADDR(TASK_SIZE), "x", 1) == -EFAULT, "beyond TASK_SIZE is -EFAULT", "wrong");
	check(copy_from_user(back, UADDR(~0ULL - 1), 4) == -EFAULT, "wrapping range is -EFAULT", "wrong");
	check(copy_from_user(back, UADDR(X), 0) == 0 && copy_to_user(UADDR(X + 3 * P + 5), "", 0) == 0,
	      "zero-length copies succeed", "failed");
	check(clear_user(UADDR(X + 100), 2 * P) == 0 && range_is(mm, X + 100, 2 * P, 0) &&
	      peek(mm, X + 100 + 2 * P) == (u8)big[2 * P], "clear_user zeroes exactly its range",
	      "wrong");

	copy_to_user(UADDR(X + P - 3), "hello", 6);
	check(strncpy_from_user(s, UADDR(X + P - 3), sizeof(s)) == 5 && !strcmp(s, "hello"),
	      "strncpy_from_user across a page boundary", "wrong");
	check(strncpy_from_user(s, UADDR(X + P - 3), 6) == 5, "string of n-1 bytes fits", "wrong");
	check(strncpy_from_user(s, UADDR(X + P - 3), 5) == -ENAMETOOLONG,
	      "string of n bytes is -ENAMETOOLONG", "wrong");
	check(strncpy_from_user(s, UADDR(X + 9 * P), sizeof(s)) == -EFAULT, "unmapped string is -EFAULT",
	      "wrong");
	memset(s, 'a', sizeof(s));
	copy_to_user(UADDR(X + 3 * P - 10), s, 10);	/* no NUL before the hole */
	check(strncpy_from_user(s, UADDR(X + 3 * P - 10), sizeof(s)) == -EFAULT,
	      "string running into a hole is -EFAULT", "wrong");
	check(strncpy_from_user(s, UADDR(TASK_SIZE - 1), 10) == -EFAULT, "string at TASK_SIZE-1 is -EFAULT",
	      "wrong");
	put_mm(mm, "uaccess");
}

/* ---- the flush into the stub ---- */

static void test_flush_batching(void)
{
	struct mm *mm = new_mm();
	const u64 X = 0x40000000;
	bool populate_ok = true;
	int runs = 1, mm_ops = 0;
	bool prot_ok = true, cover = true;
	u64 lo = ~0ULL, hi = 0;

	map(mm, X, 16 * P, RW, PRIV | MAP_FIXED);
	for (u64 a = X; a < X + 16 * P; a += P)
		handle_mm_fault(mm, a, true);
	for (u64 a = X + P; a < X + 16 * P; a += P)
		if ((pte_of(mm, a) & PAGE_MASK) != (pte_of(mm, a - P) & PAGE_MASK) + P)
			runs++;
	noplog = 0;
	check(mm_flush(mm) == 0, "mm_flush succeeds", "error");
	for (int i = 0; i < noplog; i++) {
		if (oplog[i].op != MAP_OP_MMAP_POPULATE)
			continue;
		mm_ops++;
		if (oplog[i].prot != (PROT_READ | PROT_WRITE))
			prot_ok = false;
		lo = min(lo, oplog[i].addr);
		hi = max(hi, oplog[i].addr + oplog[i].len);
	}
	check(noplog == mm_ops && lo == X && hi == X + 16 * P,
	      "16 pages faulted writable flush as populating mmap ops over them", "other ops");
	check(mm_ops == runs, "one mmap op per physically contiguous run", "not coalesced");
	printf("# 16 pages in %d physically contiguous run(s)\n", runs);
	check(prot_ok, "mmap ops carry the VMA's protection", "wrong prot");
	check(host_matches(mm, X, X + 16 * P), "host mirrors the 16 pages", "differs");

	noplog = 0;
	stub_runs = 0;
	check(mm_flush(mm) == 0 && noplog == 0 && stub_runs == 0,
	      "a flush with nothing changed does not run the stub", "ran");

	noplog = 0;
	mm_munmap(mm, X, 16 * P);
	mm_flush(mm);
	check(noplog == 1 && oplog[0].op == MAP_OP_MUNMAP && oplog[0].addr == X &&
	      oplog[0].len == 16 * P, "munmap of 16 pages flushes as one munmap op", "other ops");
	check(host_matches(mm, X, X + 16 * P), "host has them unmapped", "differs");

	/* More ops than one batch takes: applied in several batches. */
	for (u64 i = 0; i < 1000; i++) {
		map(mm, X + 2 * i * P, P, i % 2 ? RW : PROT_READ, PRIV | MAP_FIXED);
		handle_mm_fault(mm, X + 2 * i * P, false);
	}
	noplog = 0;
	stub_runs = 0;
	check(mm_flush(mm) == 0, "flush of 1000 scattered pages succeeds", "error");
	check(stub_runs > 1 && noplog >= 1000, "more ops than MAP_BATCH_MAX run in several batches",
	      "one batch");
	check(host_matches(mm, X, X + 2000 * P), "host mirrors all 1000 pages", "differs");
	for (int i = 0; i < noplog; i++) {
		bool mmap = oplog[i].op == MAP_OP_MMAP || oplog[i].op == MAP_OP_MMAP_POPULATE;

		if (mmap && oplog[i].len != P)
			cover = false;
		/* A fault's page is populated in a writable VMA only. */
		if (mmap && (oplog[i].op == MAP_OP_MMAP_POPULATE) != !!(oplog[i].prot & PROT_WRITE))
			populate_ok = false;
	}
	check(cover, "address-discontiguous pages are not merged", "merged across a gap");
	check(populate_ok, "faulted pages are populated in writable VMAs only", "wrong op kind");
	put_mm(mm, "flush");
}

/*
 * A host side that runs guest code while the kernel changes the tables
 * (another thread of the process, or another process's fork): changes
 * that only add access wait for the next flush, changes that take access
 * away stop it first (arch_mm_shootdown), and a flush never runs while
 * it runs (model_errors).
 */
static void test_shootdown(void)
{
	struct mm *mm = new_mm(), *child;
	const u64 X = 0x50000000;

	map(mm, X, 4 * P, RW, PRIV | MAP_FIXED);
	handle_mm_fault(mm, X, true);
	handle_mm_fault(mm, X + P, false);
	mm_flush(mm);
	shootdowns = 0;
	mm->running = &task0;
	handle_mm_fault(mm, X + 2 * P, true);
	check(shootdowns == 0 && mm->running, "a fresh page does not stop the running host side",
	      "stopped");
	check(mm_mprotect(mm, X + 2 * P, P, PROT_READ | PROT_WRITE | PROT_EXEC) == 0 &&
	      shootdowns == 0, "mprotect that adds exec does not stop it", "stopped");
	check(mm_mprotect(mm, X, P, PROT_READ) == 0 && shootdowns == 1 && !mm->running,
	      "mprotect that takes write away stops it", "still running");
	mm->running = &task0;
	check(mm_munmap(mm, X + P, P) == 0 && shootdowns == 2 && !mm->running,
	      "munmap of a mapped page stops it", "still running");
	mm->running = &task0;
	map(mm, X + 64 * P, P, RW, PRIV | MAP_FIXED);
	check(mm_munmap(mm, X + 64 * P, P) == 0 && shootdowns == 2 && mm->running,
	      "munmap of a page never mapped does not", "stopped");
	child = mm_fork(mm);
	check(child && shootdowns == 3 && !mm->running,
	      "fork write-protecting the parent's pages stops it", "still running");
	check(mm_flush(mm) == 0 && model_errors == 0 && host_matches(mm, X, X + 4 * P),
	      "the next flush mirrors every change", "differs");
	if (child)
		mm_put(child);
	put_mm(mm, "shootdown");
}

/* ---- the program file (ETXTBSY) ---- */

static void test_exe_file(void)
{
	struct mm *mm, *child;

	file_reset();
	mm = mm_alloc();
	finode.i_writecount = 1;
	check(mm_set_exe_file(mm, &ffile) == -ETXTBSY && !mm->exe_file && ffile.f_count == 1,
	      "a file open for writing cannot be an mm's program", "wrong");
	finode.i_writecount = 0;
	check(mm_set_exe_file(mm, &ffile) == 0 && mm->exe_file == &ffile &&
	      finode.i_denywrite == 1 && ffile.f_count == 2,
	      "exec denies writes and takes a reference", "wrong counts");
	child = mm_fork(mm);
	check(child && child->exe_file == &ffile && finode.i_denywrite == 2 && ffile.f_count == 3,
	      "a fork runs it too", "wrong counts");
	mm_put(child);
	check(finode.i_denywrite == 1 && ffile.f_count == 2, "the fork's end lets go of it", "wrong counts");
	put_mm(mm, "exe_file parent");
	check(finode.i_denywrite == 0 && ffile.f_count == 1, "the last one's end allows writes again", "wrong counts");
}

int main(void)
{
	setup_physmem();
	warm_up();
	test_mmap_placement();
	test_mmap_fixed();
	test_munmap();
	test_mprotect();
	test_brk();
	test_faults();
	test_fork_cow();
	test_file_mappings();
	test_shared_mprotect_writeback();
	test_map_ahead();
	test_readahead_frames();
	test_uaccess();
	test_flush_batching();
	test_shootdown();
	test_exe_file();
	printf("%d checks, %d failed\n", count, failures);
	free(physmem_base);
	return failures != 0;
}

/* Page cache reclaim walks the filesystems' inodes: there are none mounted here. */
void iterate_inodes(void (*fn)(struct inode *inode, void *arg), void *arg)
{
	(void)fn;
	(void)arg;
}

/* Live object counters (kernel/printk.c defines them in the kernel). */
struct live_counts live, live_kernel;
int leak_test_kind = -1;	/* leak_test= is off: leak_test_fire is never called */
bool leak_test_fire(void) { return false; }
LIST_HEAD(all_tasks);		/* mm_truncate_mappings walks it: no tasks here */
struct kstat_counters kstat;	/* mm/fault.c counts faults (drivers/mconsole/stats.c) */
