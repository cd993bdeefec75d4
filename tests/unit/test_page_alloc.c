/* unit-sources: mm/page_alloc.c mm/slab.c mm/vmalloc.c */
/*
 * test_page_alloc.c - the buddy allocator and kmalloc over a fake
 * physmem (a page-aligned malloc'd buffer): every order, buddy merging,
 * exhaustion and recovery, reference counts, disjointness of live
 * blocks, kmalloc size classes and large blocks, kzalloc/kcalloc, and a
 * long random mix of allocations whose contents are checked throughout,
 * and kmalloc's fallback to scattered frames (mm/vmalloc.c) when memory is
 * fragmented.  Physmem is a memfd mapping, as in ./linux, so the
 * fallback's second mapping of a frame aliases it.
 *
 * Only kernel headers are included (they clash with libc's); the few
 * libc functions used are declared here.
 */
#include "kernel/page.h"
#include "kernel/kernel.h"

int printf(const char *fmt, ...);
int sprintf(char *buf, const char *fmt, ...);
int vprintf(const char *fmt, va_list ap);
void *aligned_alloc(size_t align, size_t n);
void *malloc(size_t n);
void free(void *p);
void abort(void);
void *mmap(void *addr, size_t len, int prot, int flags, int fd, long off);
int munmap(void *addr, size_t len);
int memfd_create(const char *name, unsigned int flags);
int ftruncate(int fd, long len);

#define T_PROT_RW	3		/* PROT_READ | PROT_WRITE */
#define T_MAP_SHARED	0x01
#define T_MAP_PRIVATE	0x02
#define T_MAP_FIXED	0x10
#define T_MAP_ANON	0x20
#define T_MAP_FAILED	((void *)-1)

/* ---- fakes ---- */

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

struct live_counts live;	/* vmalloc areas are a refcounted kind (kernel/leak.c) */
int leak_test_kind = -1;	/* leak_test= is off: leak_test_fire is never called */
bool leak_test_fire(void) { return false; }

/* The host side of the vmalloc window, as os-Linux/mem.c does it. */
static int vm_maps;

void *os_vm_reserve(uint64_t size)
{
	void *p = mmap(NULL, size, 0, T_MAP_PRIVATE | T_MAP_ANON, -1, 0);

	return p == T_MAP_FAILED ? NULL : p;
}

int os_vm_map(void *addr, int fd, uint64_t off, uint64_t len)
{
	vm_maps++;
	return mmap(addr, len, T_PROT_RW, T_MAP_SHARED | T_MAP_FIXED, fd, (long)off) == T_MAP_FAILED ? -1 : 0;
}

/* Host backing ahead of use: nothing to do over a test buffer. */
void os_physmem_populate(void *addr, uint64_t len) { (void)addr; (void)len; }
void os_vm_unmap(void *addr, uint64_t len)
{
	mmap(addr, len, 0, T_MAP_PRIVATE | T_MAP_ANON | T_MAP_FIXED, -1, 0);
}

/* ---- helpers ---- */

#define PHYSMEM (32ULL << 20)

static int failures, count;
static u64 initial_free;

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

static u64 rng = 88172645463325252ULL;

static u64 rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/*
 * Zeroes mem_map's bytes, as a fresh memfd is: page_alloc_init's contract
 * (it writes only the entries it needs).
 */
static void zero_mem_map(void)
{
	memset(physmem_base, 0, (PHYSMEM / PAGE_SIZE) * sizeof(struct page));
}

/* A fresh physmem filled with garbage (mem_map zero), and the allocator over it. */
static void fresh_physmem(void)
{
	if (!physmem_base) {
		physmem_fd = memfd_create("test-physmem", 0);
		if (physmem_fd < 0 || ftruncate(physmem_fd, PHYSMEM) < 0)
			abort();
		physmem_base = mmap(NULL, PHYSMEM, T_PROT_RW, T_MAP_SHARED, physmem_fd, 0);
		if (physmem_base == T_MAP_FAILED)
			abort();
	}
	physmem_size = PHYSMEM;
	memset(physmem_base, 0x5a, PHYSMEM);
	zero_mem_map();
	page_alloc_init(0);
	initial_free = nr_free_pages();
}

static void fill(void *p, size_t n, u64 seed)
{
	u8 *b = p;

	for (size_t i = 0; i < n; i++)
		b[i] = (u8)(seed * 131 + i * 7 + (i >> 8));
}

static bool verify(const void *p, size_t n, u64 seed)
{
	const u8 *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i] != (u8)(seed * 131 + i * 7 + (i >> 8)))
			return false;
	return true;
}

static bool in_physmem(const void *p, size_t n)
{
	const u8 *b = p;

	return b >= physmem_base && b + n <= physmem_base + physmem_size;
}

/* ---- the buddy allocator ---- */

static void test_init(void)
{
	u64 map_pages;

	fresh_physmem();
	map_pages = DIV_ROUND_UP(nr_pages * sizeof(struct page), PAGE_SIZE);
	check(nr_pages == PHYSMEM / PAGE_SIZE, "nr_pages covers physmem", "wrong");
	check(initial_free == nr_pages - map_pages, "all frames but mem_map's are free",
	      "wrong count");
	physmem_size = PHYSMEM;
	zero_mem_map();
	page_alloc_init(5 * PAGE_SIZE + 1);
	check(nr_free_pages() == nr_pages - DIV_ROUND_UP(5 * PAGE_SIZE + 1 +
	      nr_pages * sizeof(struct page), PAGE_SIZE),
	      "reserved bytes are not handed out", "wrong count");
}

static void test_orders(void)
{
	char name[96];

	fresh_physmem();
	for (int o = 0; o <= MAX_ORDER; o++) {
		struct page *p = alloc_pages(o);
		u64 n = 1ULL << o;
		bool ok;

		sprintf(name, "order %d allocates", o);
		check(p != NULL, name, "NULL");
		if (!p)
			continue;
		sprintf(name, "order %d: refcount 1, aligned, inside physmem after mem_map", o);
		ok = p->refcount == 1 && (page_to_pfn(p) & (n - 1)) == 0 &&
		     in_physmem(page_address(p), n * PAGE_SIZE) &&
		     (u8 *)page_address(p) >= (u8 *)(mem_map + nr_pages);
		check(ok, name, "bad block");
		sprintf(name, "order %d takes 2^%d frames", o, o);
		check(nr_free_pages() == initial_free - n, name, "wrong free count");
		fill(page_address(p), n * PAGE_SIZE, o);
		check(verify(page_address(p), n * PAGE_SIZE, o), "block is writable", "bad");
		free_pages(p, o);
		sprintf(name, "order %d free restores the count", o);
		check(nr_free_pages() == initial_free, name, "wrong free count");
	}
	check(alloc_pages(MAX_ORDER + 1) == NULL, "order above MAX_ORDER is NULL", "allocated");
	check(nr_free_pages() == initial_free, "failed allocation takes nothing", "count changed");
}

/* How many blocks of order o can be had at once; frees them again. */
static int count_blocks(int o)
{
	static struct page *blk[4096];
	int n = 0;

	while (n < 4096 && (blk[n] = alloc_pages(o)) != NULL)
		n++;
	for (int i = 0; i < n; i++)
		free_pages(blk[i], o);
	return n;
}

static void test_exhaust_and_merge(void)
{
	static struct page *pg[PHYSMEM / PAGE_SIZE];
	static u8 seen[PHYSMEM / PAGE_SIZE];
	int big, n = 0;
	bool distinct = true, contents = true;

	fresh_physmem();
	big = count_blocks(MAX_ORDER);
	check(big >= 1, "some MAX_ORDER blocks at start", "none");
	check(nr_free_pages() == initial_free, "counting blocks leaves count intact", "changed");

	while ((pg[n] = alloc_pages(0)) != NULL)
		n++;
	check((u64)n == initial_free, "every free frame can be allocated as order 0",
	      "wrong number");
	check(nr_free_pages() == 0, "exhausted: free count 0", "nonzero");
	check(alloc_pages(0) == NULL && alloc_pages(3) == NULL, "exhausted: NULL", "allocated");
	memset(seen, 0, sizeof(seen));
	for (int i = 0; i < n; i++) {
		u64 pfn = page_to_pfn(pg[i]);

		if (pfn >= nr_pages || seen[pfn])
			distinct = false;
		else
			seen[pfn] = 1;
		*(u64 *)page_address(pg[i]) = pfn * 3 + 1;
	}
	check(distinct, "all order-0 pages distinct", "duplicate frame");
	for (int i = 0; i < n; i++)
		if (*(u64 *)page_address(pg[i]) != page_to_pfn(pg[i]) * 3 + 1)
			contents = false;
	check(contents, "no page was handed out twice (contents)", "overwritten");

	/* Free in a scrambled order; buddies must still merge completely. */
	for (int i = n - 1; i > 0; i--) {
		int j = (int)(rnd() % (u64)(i + 1));
		struct page *t = pg[i];

		pg[i] = pg[j];
		pg[j] = t;
	}
	for (int i = 0; i < n; i++)
		free_pages(pg[i], 0);
	check(nr_free_pages() == initial_free, "freeing all restores the count", "wrong");
	check(count_blocks(MAX_ORDER) == big, "buddies merge back into MAX_ORDER blocks",
	      "fragmented");
	check(alloc_pages(0) != NULL, "allocation works again after exhaustion", "NULL");
}

static void test_mixed_orders_disjoint(void)
{
	static struct { struct page *p; int o; } live[2000];
	int n = 0, fails = 0, big;
	bool overlap = false;

	fresh_physmem();
	big = count_blocks(MAX_ORDER);
	for (int round = 0; round < 20000; round++) {
		if (n && (rnd() % 3 == 0 || n == 2000)) {
			int i = (int)(rnd() % (u64)n);

			if (!verify(page_address(live[i].p), PAGE_SIZE << live[i].o,
				    page_to_pfn(live[i].p)))
				overlap = true;
			free_pages(live[i].p, live[i].o);
			live[i] = live[--n];
		} else {
			int o = (int)(rnd() % 6);
			struct page *p = alloc_pages(o);

			if (!p) {
				fails++;
				continue;
			}
			fill(page_address(p), PAGE_SIZE << o, page_to_pfn(p));
			live[n].p = p;
			live[n++].o = o;
		}
	}
	for (int i = 0; i < n; i++) {
		if (!verify(page_address(live[i].p), PAGE_SIZE << live[i].o,
			    page_to_pfn(live[i].p)))
			overlap = true;
		for (int j = 0; j < i; j++) {
			u64 a = page_to_pfn(live[i].p), ae = a + (1ULL << live[i].o);
			u64 b = page_to_pfn(live[j].p), be = b + (1ULL << live[j].o);

			if (a < be && b < ae)
				overlap = true;
		}
	}
	check(!overlap, "live blocks of mixed orders never overlap", "overlap/corruption");
	for (int i = 0; i < n; i++)
		free_pages(live[i].p, live[i].o);
	check(nr_free_pages() == initial_free, "mixed orders: all freed, count restored", "leak");
	check(count_blocks(MAX_ORDER) == big, "mixed orders: large blocks allocatable again",
	      "fragmented");
}

static void test_refcounts(void)
{
	struct page *p, *q;

	fresh_physmem();
	p = alloc_pages(0);
	page_get(p);
	check(p->refcount == 2, "page_get raises the count", "wrong");
	page_put(p);
	check(p->refcount == 1 && nr_free_pages() == initial_free - 1,
	      "page_put above zero does not free", "freed");
	page_put(p);
	check(nr_free_pages() == initial_free, "last page_put frees the page", "not freed");
	q = alloc_pages(0);
	check(q != NULL && q->refcount == 1, "a freed page can be allocated again", "bad");
	page_put(q);

	p = alloc_pages(0);
	memset(page_address(p), 0xff, PAGE_SIZE);
	page_put(p);
	bool zero = true;

	for (int i = 0; i < 8 && zero; i++) {
		u8 *b;

		q = alloc_page_zeroed();
		b = page_address(q);
		for (size_t k = 0; k < PAGE_SIZE; k++)
			if (b[k])
				zero = false;
		memset(b, 0xee, PAGE_SIZE);	/* dirty it for the next round */
		page_put(q);
	}
	check(zero, "alloc_page_zeroed returns zeros", "dirty page");
	check(nr_free_pages() == initial_free, "refcount tests leave nothing allocated", "leak");
}

/* ---- kmalloc ---- */

static void test_kmalloc_sizes(void)
{
	static void *p[2049];
	bool ok = true, aligned = true, inside = true;
	u64 before;

	fresh_physmem();	/* the last re-init: slab lists now point into it */
	for (size_t s = 1; s <= 2048; s++) {
		p[s] = kmalloc(s);
		if (!p[s]) {
			ok = false;
			break;
		}
		size_t align = 16;

		while (align > s)
			align >>= 1;
		if ((uintptr_t)p[s] % align)
			aligned = false;
		if (!in_physmem(p[s], s))
			inside = false;
		fill(p[s], s, s);
	}
	check(ok, "kmalloc 1..2048 all succeed", "NULL");
	check(aligned, "kmalloc results are aligned (to 16, or the size's power of two)", "misaligned");
	check(inside, "kmalloc memory lies in physmem", "outside");
	ok = true;
	for (size_t s = 1; s <= 2048 && p[s]; s++)
		if (!verify(p[s], s, s))
			ok = false;
	check(ok, "kmalloc 1..2048 objects hold their contents", "corrupted");
	for (size_t s = 1; s <= 2048 && p[s]; s++)
		kfree(p[s]);

	/* Freed objects are reused: a steady alloc/free cycle takes no pages. */
	before = nr_free_pages();
	for (int r = 0; r < 1000; r++)
		for (size_t s = 1; s <= 2048; s *= 2)
			kfree(kmalloc(s));
	check(nr_free_pages() == before, "alloc/free cycles reuse freed objects", "pages consumed");

	/* kfree(NULL) must not put NULL on a free list: the next two
	 * objects of that size are real and distinct, and no page moved. */
	p[0] = kmalloc(64);
	before = nr_free_pages();
	kfree(p[0]);
	kfree(NULL);
	p[0] = kmalloc(64);
	p[1] = kmalloc(64);
	check(p[0] && p[1] && p[0] != p[1] && nr_free_pages() == before,
	      "kfree(NULL) is a no-op", "a free list or the page count changed");
	kfree(p[0]);
	kfree(p[1]);
	p[0] = kmalloc(0);
	check(p[0] != NULL, "kmalloc(0) returns a freeable pointer", "NULL");
	kfree(p[0]);
}

static void test_kmalloc_large(void)
{
	static const size_t sizes[] = {
		2049, 4095, 4096, 4097, 8192, 12288, 65536 + 5, 1 << 20, (size_t)PAGE_SIZE << MAX_ORDER,
	};
	char name[96];
	u64 before = nr_free_pages();

	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		void *p = kmalloc(sizes[i]);
		u64 pages = before - nr_free_pages();

		sprintf(name, "kmalloc(%zu) succeeds", sizes[i]);
		check(p != NULL, name, "NULL");
		if (!p)
			continue;
		sprintf(name, "kmalloc(%zu) takes enough whole pages", sizes[i]);
		check(pages * PAGE_SIZE >= sizes[i] && ((uintptr_t)p & (PAGE_SIZE - 1)) == 0 &&
		      in_physmem(p, sizes[i]), name, "too few pages or misaligned");
		fill(p, sizes[i], i);
		sprintf(name, "kmalloc(%zu) holds its contents", sizes[i]);
		check(verify(p, sizes[i], i), name, "corrupted");
		kfree(p);
		sprintf(name, "kfree of a %zu-byte block returns its pages", sizes[i]);
		check(nr_free_pages() == before, name, "leak");
	}
	check(kmalloc(((size_t)PAGE_SIZE << MAX_ORDER) + 1) == NULL,
	      "kmalloc above the largest block is NULL", "allocated");
	check(nr_free_pages() == before, "failed large kmalloc takes nothing", "changed");
}

static void test_kzalloc_kcalloc(void)
{
	bool zero = true;
	u8 *p;

	for (size_t s = 1; s <= 8192; s = s * 3 + 1) {
		p = kmalloc(s);
		memset(p, 0xab, s);
		kfree(p);
		p = kzalloc(s);
		for (size_t i = 0; i < s; i++)
			if (p[i])
				zero = false;
		kfree(p);
	}
	check(zero, "kzalloc memory is zeroed even when reused", "dirty");

	p = kcalloc(100, 30);
	zero = p != NULL;
	for (size_t i = 0; p && i < 3000; i++)
		if (p[i])
			zero = false;
	check(zero, "kcalloc(100, 30) is 3000 zeroed bytes", "bad");
	kfree(p);
	check(kcalloc((size_t)1 << 33, (size_t)1 << 32) == NULL, "kcalloc overflow is NULL",
	      "allocated");
	check(kcalloc((size_t)-1, 2) == NULL, "kcalloc(SIZE_MAX, 2) is NULL", "allocated");
}

static void test_kmalloc_mix(void)
{
	static struct { void *p; size_t n; u64 seed; } live[3000];
	int n = 0, nulls = 0;
	bool ok = true;
	u64 before = nr_free_pages();

	for (int round = 0; round < 50000; round++) {
		if (n && (rnd() % 2 == 0 || n == 3000)) {
			int i = (int)(rnd() % (u64)n);

			if (!verify(live[i].p, live[i].n, live[i].seed))
				ok = false;
			kfree(live[i].p);
			live[i] = live[--n];
		} else {
			size_t s = rnd() % 3 == 0 ? 1 + rnd() % 20000 : 1 + rnd() % 600;
			void *p = kmalloc(s);

			if (!p) {
				nulls++;
				continue;
			}
			live[n].p = p;
			live[n].n = s;
			live[n].seed = (u64)round;
			fill(p, s, (u64)round);
			n++;
		}
	}
	for (int i = 0; i < n; i++) {
		if (!verify(live[i].p, live[i].n, live[i].seed))
			ok = false;
		kfree(live[i].p);
	}
	check(nulls == 0, "mixed kmalloc workload never fails", "NULL returned");
	check(ok, "mixed kmalloc workload: no object corrupted another", "corruption");
	/* Slab pages stay with the slab; large blocks must all come back. */
	check(nr_free_pages() + 300 >= before, "mixed kmalloc workload returns its large blocks",
	      "leak");
	for (int i = 0; i < 1000; i++)
		live[i].n = 1 + rnd() % 600;
	for (int pass = 0; pass < 2; pass++) {
		if (pass)
			before = nr_free_pages();
		for (int i = 0; i < 1000; i++)
			live[i].p = kmalloc(live[i].n);
		for (int i = 0; i < 1000; i++)
			kfree(live[i].p);
	}
	check(nr_free_pages() == before, "slab memory freed earlier is reused", "grew");
}

static void test_kmalloc_exhaustion(void)
{
	static void *blk[64];
	int n = 0;
	u64 before = nr_free_pages();

	while (n < 64 && (blk[n] = kmalloc(1 << 20)) != NULL)
		n++;
	check(n > 0 && n < 64, "large kmalloc exhausts memory with NULL", "never NULL");
	while (n > 0)
		kfree(blk[--n]);
	check(nr_free_pages() >= before - 1, "memory recovers after kmalloc exhaustion", "leak");
	blk[0] = kmalloc(1 << 20);
	check(blk[0] != NULL, "large kmalloc works again", "NULL");
	kfree(blk[0]);
}

/*
 * Fragmented memory: every other free frame taken, so no block of two is
 * free.  A 64 KiB kmalloc then comes from 16 scattered frames mapped into
 * the vmalloc window, holds its contents, aliases those frames, and gives
 * them all back at kfree; with the frames free again it is a block.
 */
static void test_kmalloc_fragmented(void)
{
	static struct page *held[PHYSMEM / PAGE_SIZE];
	u64 before = nr_free_pages(), n = 0, i;
	u8 *a, *b;
	bool alias = false;

	while (n < PHYSMEM / PAGE_SIZE && (held[n] = alloc_pages(0)) != NULL)
		n++;
	check(nr_free_pages() == 0, "all frames taken", "some left");
	for (i = 0; i < n; i += 2)
		free_pages(held[i], 0);
	check(alloc_pages(1) == NULL, "no block of two when every other frame is taken", "got one");
	vm_maps = 0;
	a = kmalloc(65536);
	check(a != NULL && is_vmalloc_addr(a), "64 KiB kmalloc of scattered frames", "NULL or a block");
	check(vm_maps == 16, "one host mapping per scattered frame", "other count");
	if (a) {
		fill(a, 65536, 7);
		b = kmalloc(20000);
		check(b != NULL && is_vmalloc_addr(b) && (b >= a + 65536 || b + 20000 <= a),
		      "a second area beside the first", "overlaps or NULL");
		check(live.vmallocs == (b ? 2 : 1), "live.vmallocs counts the areas", "other count");
		if (b) {
			fill(b, 20000, 9);
			check(verify(a, 65536, 7), "the first area is intact", "overwritten");
			kfree(b);
		}
		for (i = 0; i < n; i += 2)
			if (memcmp(page_address(held[i]), a, 64) == 0)
				alias = true;
		check(alias, "the area is the frames' memory", "no frame holds it");
		check(verify(a, 65536, 7), "contents kept", "corrupted");
		kfree(a);
		check(live.vmallocs == 0, "live.vmallocs back to 0 once both are freed", "a leak");
	}
	check(nr_free_pages() == (n + 1) / 2, "kfree gives the frames back", "leak");
	for (i = 1; i < n; i += 2)
		free_pages(held[i], 0);
	check(nr_free_pages() == before, "all frames free again", "leak");
	a = kmalloc(65536);
	check(a != NULL && !is_vmalloc_addr(a), "unfragmented: a block again", "vmalloc or NULL");
	kfree(a);
}

/* Last: a buggy kmalloc may trip UBSan or loop here. */
/*
 * Frames never handed out are zero-filled (physmem all zero, as a fresh
 * memfd): the zeroed allocations skip their memset for them only.  A
 * frame written and freed must come back zeroed from both.
 */
static bool all_bytes(const void *p, size_t n, u8 v)
{
	const u8 *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i] != v)
			return false;
	return true;
}

static void test_zeroed(void)
{
	struct page *run[16], *p;
	bool ok = true;
	u64 free0;
	int n;

	memset(physmem_base, 0, PHYSMEM);
	page_alloc_init(0);
	free0 = nr_free_pages();
	n = alloc_pages_run_zeroed(run, 16);
	check(n == 16, "alloc_pages_run_zeroed gives 16 pages", "fewer");
	for (int i = 0; i < n; i++) {
		ok = ok && all_bytes(page_address(run[i]), PAGE_SIZE, 0);
		memset(page_address(run[i]), 0x5a, PAGE_SIZE);	/* dirty them */
	}
	check(ok, "fresh frames of a zeroed run read zero", "garbage");
	for (int i = 0; i < n; i++)
		page_put(run[i]);
	n = alloc_pages_run_zeroed(run, 16);
	ok = n == 16;
	for (int i = 0; i < n; i++)
		ok = ok && all_bytes(page_address(run[i]), PAGE_SIZE, 0);
	check(ok, "written and freed frames come back zeroed in a run", "old contents");
	for (int i = 0; i < n; i++) {
		memset(page_address(run[i]), 0x6b, PAGE_SIZE);
		page_put(run[i]);
	}
	ok = true;
	for (int i = 0; i < 16; i++) {
		p = alloc_page_zeroed();
		ok = ok && p && all_bytes(page_address(p), PAGE_SIZE, 0);
		run[i] = p;
	}
	check(ok, "alloc_page_zeroed over written and freed frames reads zero", "old contents");
	for (int i = 0; i < 16; i++)
		if (run[i])
			page_put(run[i]);
	/* A frame alloc_pages handed out (contents the caller's) then freed. */
	p = alloc_pages(0);
	memset(page_address(p), 0x11, PAGE_SIZE);
	page_put(p);
	check(alloc_pages_run_zeroed(run, 1) == 1 && run[0] == p &&
	      all_bytes(page_address(p), PAGE_SIZE, 0),
	      "a frame alloc_pages gave out is zeroed when it comes back", "old contents");
	page_put(run[0]);
	check(nr_free_pages() == free0, "zeroed allocations leak nothing", "leak");
}

static void test_kmalloc_huge(void)
{
	check(kmalloc((size_t)1 << 40) == NULL, "kmalloc(1 TiB) is NULL", "allocated");
	check(kmalloc((size_t)-1) == NULL, "kmalloc(SIZE_MAX) is NULL", "allocated");
	check(kcalloc(1, (size_t)-1 / 2 + 2) == NULL, "kcalloc(1, 2^63+1) is NULL", "allocated");
}

int main(void)
{
	test_init();
	test_orders();
	test_exhaust_and_merge();
	test_mixed_orders_disjoint();
	test_refcounts();
	test_kmalloc_sizes();
	test_kmalloc_large();
	test_kzalloc_kcalloc();
	test_kmalloc_mix();
	test_kmalloc_exhaustion();
	test_kmalloc_fragmented();
	test_kmalloc_huge();
	test_zeroed();
	printf("%d checks, %d failed\n", count, failures);
	munmap(physmem_base, PHYSMEM);
	return failures != 0;
}
