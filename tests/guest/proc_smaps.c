/*
 * proc_smaps.c - /proc/self/smaps, smaps_rollup and pagemap against the
 * pages this program touches: every VMA of maps has its smaps block with
 * the fields procps' pmap -X and psutil read; the figures add up (the
 * four Shared/Private kinds make Rss, Pss <= Rss <= Size); pages written
 * show in Rss, Private_Dirty and Anonymous, become Shared_Dirty after a
 * fork; a shared file mapping is "sh"; pagemap's present bit agrees with
 * Rss page for page, its exclusive and file bits with the kind of page,
 * its frame numbers are hidden without CAP_SYS_ADMIN; misaligned reads
 * are EINVAL.  Only relations are printed: the sizes differ by kernel.
 */
#include "t.h"
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/capability.h>

#define PG 4096
#define NPAGES 64

static char maps_buf[1 << 20], smaps_buf[1 << 21], roll_buf[8192];

static ssize_t slurp(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n, got = 0;

	if (fd < 0)
		return -1;
	while ((size_t)got < len - 1 && (n = read(fd, buf + got, len - 1 - got)) > 0)
		got += n;
	close(fd);
	buf[got] = '\0';
	return got;
}

/* A VMA header line: "start-end perms ..." (the smaps blocks start with one). */
static int is_header(const char *line)
{
	unsigned long a, b;
	char perms[8];

	return sscanf(line, "%lx-%lx %7s", &a, &b, perms) == 3 && strlen(perms) == 4;
}

/* The value of "Name:" in the block at blk (up to the next header), -1 if absent. */
static long field(const char *blk, const char *name)
{
	size_t n = strlen(name);
	const char *l = strchr(blk, '\n');

	while (l != NULL && *++l != '\0') {
		if (is_header(l))
			break;
		if (strncmp(l, name, n) == 0 && l[n] == ':')
			return strtol(l + n + 1, NULL, 10);
		l = strchr(l, '\n');
	}
	return -1;
}

/* The VmFlags line of the block, or "". */
static const char *vmflags(const char *blk, char *out, size_t len)
{
	const char *l = strstr(blk, "\nVmFlags:");
	size_t k = 0;

	out[0] = '\0';
	if (l == NULL)
		return out;
	for (l += 9; *l && *l != '\n' && k < len - 2; l++)
		out[k++] = *l;
	out[k++] = ' ';
	out[k] = '\0';
	return out;
}

/* The block of smaps whose VMA holds addr, or NULL. */
static const char *block_of(const char *smaps, uintptr_t addr)
{
	const char *l = smaps;

	while (l && *l) {
		unsigned long a, b;

		if (is_header(l) && sscanf(l, "%lx-%lx", &a, &b) == 2 && a <= addr && addr < b)
			return l;
		l = strchr(l, '\n');
		if (l)
			l++;
	}
	return NULL;
}

static const char *const fields[] = {
	"Size", "KernelPageSize", "MMUPageSize", "Rss", "Pss", "Pss_Dirty", "Shared_Clean",
	"Shared_Dirty", "Private_Clean", "Private_Dirty", "Referenced", "Anonymous", "LazyFree",
	"AnonHugePages", "ShmemPmdMapped", "FilePmdMapped", "Shared_Hugetlb", "Private_Hugetlb",
	"Swap", "SwapPss", "Locked", "THPeligible",
};

static void check_blocks(void)
{
	const char *m = maps_buf, *s = smaps_buf;
	int vmas = 0, same = 1, complete = 1, adds = 1, order = 1;
	char why[256] = "";

	while (*m) {
		const char *me = strchr(m, '\n');
		size_t ml = me ? (size_t)(me - m) : strlen(m);
		unsigned long a, b;

		while (*s && !is_header(s)) {
			s = strchr(s, '\n');
			s = s ? s + 1 : "";
		}
		vmas++;
		if (strncmp(m, s, ml) != 0 || s[ml] != '\n') {
			if (same)
				snprintf(why, sizeof(why), "maps line %d '%.*s' not in smaps", vmas,
					 (int)ml, m);
			same = 0;
			break;
		}
		for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
			if (field(s, fields[i]) < 0 && complete) {
				complete = 0;
				snprintf(why, sizeof(why), "VMA %d has no %s", vmas, fields[i]);
			}
		if (strstr(s, "\nVmFlags:") == NULL)
			complete = 0;
		sscanf(m, "%lx-%lx", &a, &b);
		long size = field(s, "Size"), rss = field(s, "Rss"), pss = field(s, "Pss");
		long kinds = field(s, "Shared_Clean") + field(s, "Shared_Dirty") +
			     field(s, "Private_Clean") + field(s, "Private_Dirty");
		if (size != (long)((b - a) / 1024) || rss > size || pss > rss || kinds != rss ||
		    field(s, "Anonymous") > rss || field(s, "Referenced") > rss ||
		    field(s, "Locked") > rss || field(s, "Pss_Dirty") > pss) {
			if (adds)
				snprintf(why, sizeof(why), "VMA %d: Size %ld (%lu) Rss %ld Pss %ld kinds %ld",
					 vmas, size, (b - a) / 1024, rss, pss, kinds);
			adds = 0;
		}
		if (field(s, "Rss") >= 0 && strstr(s, "\nSize:") > strstr(s, "\nRss:"))
			order = 0;
		s = strchr(s, '\n') + 1;
		m = me ? me + 1 : "";
	}
	check(vmas > 3, "smaps: maps lists VMAs", "%d", vmas);
	check(same, "smaps: every VMA of maps has its block, same header line", "%s", why);
	check(complete, "smaps: every block has the fields pmap -X reads", "%s", why);
	check(adds, "smaps: Size is the VMA, Pss <= Rss <= Size, the four kinds add to Rss", "%s", why);
	check(order, "smaps: Size comes before Rss", "order");
}

static uint64_t pm_entry(int fd, const void *addr)
{
	uint64_t e = 0;

	if (pread(fd, &e, 8, (off_t)((uintptr_t)addr / PG * 8)) != 8)
		return ~0ULL;
	return e;
}

#define PRESENT(e)	(((e) >> 63) & 1)
#define SWAP(e)		(((e) >> 62) & 1)
#define FILEPG(e)	(((e) >> 61) & 1)
#define EXCL(e)		(((e) >> 56) & 1)
#define PFN(e)		((e) & ((1ULL << 55) - 1))

/* Pages of [p, p + n pages) that pagemap says are present. */
static long present_pages(int fd, const char *p, int n)
{
	uint64_t e[NPAGES];
	long c = 0;

	if (n > NPAGES || pread(fd, e, n * 8, (off_t)((uintptr_t)p / PG * 8)) != n * 8)
		return -1;
	for (int i = 0; i < n; i++)
		c += PRESENT(e[i]);
	return c;
}

static int set_sys_admin(int on)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d) < 0)
		return -1;
	if (on)
		d[0].effective |= d[0].permitted & (1u << CAP_SYS_ADMIN);
	else
		d[0].effective &= ~(1u << CAP_SYS_ADMIN);
	return (int)syscall(SYS_capset, &h, d);
}

static int has_sys_admin(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	return syscall(SYS_capget, &h, d) == 0 && (d[0].effective & (1u << CAP_SYS_ADMIN));
}

int main(void)
{
	char path[256], fl[512];
	const char *blk;
	char *anon, *far, *shf;
	int pm, fd, pfd[2];
	uint64_t e;

	t_start();
	if (access("/proc/self/status", F_OK) != 0)	/* as init in ./linux */
		mount("proc", "/proc", "proc", 0, NULL);
	/* A region between two PROT_NONE pages, so no neighbour merges with it. */
	anon = mmap(NULL, (NPAGES + 2) * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (anon == MAP_FAILED || mprotect(anon + PG, NPAGES * PG, PROT_READ | PROT_WRITE) < 0) {
		printf("mmap failed: %s\n", strerror(errno));
		return 1;
	}
	anon += PG;
	for (int i = 0; i < 8; i++)
		anon[i * PG] = 1;
	far = mmap(NULL, 256 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	far[0] = 1;
	t_path(path, sizeof(path), "proc_smaps.dat");
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	for (int i = 0; i < 4; i++) {
		memset(fl, 'a' + i, sizeof(fl));
		for (int k = 0; k < PG / (int)sizeof(fl); k++)
			if (write(fd, fl, sizeof(fl)) != sizeof(fl))
				return 1;
	}
	fsync(fd);	/* written back: its pages are clean */
	shf = mmap(NULL, 4 * PG, PROT_READ, MAP_SHARED, fd, 0);
	volatile char sink = shf[0] + shf[PG] + shf[2 * PG] + shf[3 * PG];
	(void)sink;

	CHECK_OK(slurp("/proc/self/maps", maps_buf, sizeof(maps_buf)), "maps reads");
	CHECK_OK(slurp("/proc/self/smaps", smaps_buf, sizeof(smaps_buf)), "smaps reads");
	check_blocks();

	blk = block_of(smaps_buf, (uintptr_t)anon);
	check(blk != NULL, "smaps: the anonymous region has a block", "none");
	if (blk != NULL) {
		long rss = field(blk, "Rss");

		check(field(blk, "Size") == NPAGES * 4, "anon: Size is the region", "%ld",
		      field(blk, "Size"));
		check(rss >= 8 * 4, "anon: 8 pages written are in Rss", "Rss %ld", rss);
		check(field(blk, "Private_Dirty") >= 8 * 4, "anon: and Private_Dirty", "%ld",
		      field(blk, "Private_Dirty"));
		check(field(blk, "Anonymous") == rss, "anon: all of Rss is Anonymous", "%ld of %ld",
		      field(blk, "Anonymous"), rss);
		check(field(blk, "Pss") == rss, "anon: Pss is Rss (nothing shared)", "%ld of %ld",
		      field(blk, "Pss"), rss);
		check(field(blk, "Swap") == 0, "anon: no Swap", "%ld", field(blk, "Swap"));
		vmflags(blk, fl, sizeof(fl));
		check(strstr(fl, " rd wr ") != NULL && strstr(fl, " mr mw me ") != NULL &&
		      strstr(fl, " ac ") != NULL && strstr(fl, " sh ") == NULL,
		      "anon: VmFlags rd wr mr mw me ac", "'%s'", fl);
	}
	blk = block_of(smaps_buf, (uintptr_t)shf);
	check(blk != NULL, "smaps: the shared file mapping has a block", "none");
	if (blk != NULL) {
		check(field(blk, "Rss") >= 4, "file: pages read are in Rss", "%ld", field(blk, "Rss"));
		check(field(blk, "Anonymous") == 0, "file: no Anonymous", "%ld",
		      field(blk, "Anonymous"));
		check(field(blk, "Private_Dirty") + field(blk, "Shared_Dirty") == 0,
		      "file: read only, so clean", "%ld", field(blk, "Private_Dirty"));
		vmflags(blk, fl, sizeof(fl));
		check(strstr(fl, " rd ") != NULL && strstr(fl, " sh ") != NULL &&
		      strstr(fl, " ms ") != NULL && strstr(fl, " wr ") == NULL,
		      "file: VmFlags rd sh ms", "'%s'", fl);
	}
	blk = block_of(smaps_buf, (uintptr_t)&blk);
	vmflags(blk ? blk : "", fl, sizeof(fl));
	check(blk != NULL && strstr(fl, " gd ") != NULL && strstr(fl, " ex ") == NULL,
	      "stack: VmFlags gd, not ex", "'%s'", fl);
	blk = block_of(smaps_buf, (uintptr_t)main);
	vmflags(blk ? blk : "", fl, sizeof(fl));
	check(blk != NULL && strstr(fl, " ex ") != NULL && field(blk, "Rss") > 0,
	      "text: VmFlags ex, Rss > 0", "'%s'", fl);

	CHECK_OK(slurp("/proc/self/smaps_rollup", roll_buf, sizeof(roll_buf)), "smaps_rollup reads");
	check(strstr(roll_buf, "[rollup]\n") != NULL && is_header(roll_buf),
	      "rollup: one header ending [rollup]", "%.80s", roll_buf);
	{
		long rss = field(roll_buf, "Rss"), pss = field(roll_buf, "Pss");
		long an = field(roll_buf, "Anonymous");

		check(rss >= 8 * 4 + 4 && pss <= rss && an <= rss && an >= 8 * 4 &&
		      field(roll_buf, "Pss_Anon") + field(roll_buf, "Pss_File") <= pss + 1 &&
		      field(roll_buf, "Size") < 0 && field(roll_buf, "Swap") == 0,
		      "rollup: sums with Pss_Anon/Pss_File, no Size", "Rss %ld Pss %ld Anon %ld", rss,
		      pss, an);
	}

	pm = open("/proc/self/pagemap", O_RDONLY);
	CHECK_OK(pm, "pagemap opens");
	e = pm_entry(pm, anon);
	check(PRESENT(e) && !SWAP(e) && !FILEPG(e) && EXCL(e),
	      "pagemap: a written anonymous page is present, exclusive, not file", "%llx",
	      (unsigned long long)e);
	e = pm_entry(pm, far + 200 * PG);
	check(e == 0, "pagemap: an untouched page is 0", "%llx", (unsigned long long)e);
	e = pm_entry(pm, (void *)(uintptr_t)PG);
	check(e == 0, "pagemap: an unmapped page is 0", "%llx", (unsigned long long)e);
	e = pm_entry(pm, shf);
	check(PRESENT(e) && FILEPG(e), "pagemap: a page of a shared file mapping is a file page",
	      "%llx", (unsigned long long)e);
	blk = block_of(smaps_buf, (uintptr_t)anon);
	check(blk != NULL && present_pages(pm, anon, NPAGES) * 4 == field(blk, "Rss"),
	      "pagemap: present pages of the region are its Rss", "%ld pages, Rss %ld",
	      present_pages(pm, anon, NPAGES), blk ? field(blk, "Rss") : -1);
	{
		uint64_t two[2];
		off_t off = (off_t)((uintptr_t)anon / PG * 8);

		CHECK_ERR(pread(pm, two, 4, off), EINVAL, "pagemap: a read of 4 bytes is EINVAL");
		CHECK_ERR(pread(pm, two, 8, off + 4), EINVAL, "pagemap: a misaligned offset is EINVAL");
		check(pread(pm, two, 0, off) == 0, "pagemap: a read of 0 bytes is 0", "errno %d", errno);
		check(pread(pm, two, 16, (off_t)((1ULL << 47) / PG * 8)) == 0,
		      "pagemap: past the address space is the end", "errno %d", errno);
		check(lseek(pm, off, SEEK_SET) == off && read(pm, two, 16) == 16 && PRESENT(two[0]) &&
		      lseek(pm, 0, SEEK_CUR) == off + 16, "pagemap: read advances the offset",
		      "%llx", (unsigned long long)two[0]);
	}
	{	/* frame numbers: only with CAP_SYS_ADMIN at open */
		int had = has_sys_admin(), pm2;
		uint64_t e1, e2;

		e1 = pm_entry(pm, anon);
		set_sys_admin(0);
		pm2 = open("/proc/self/pagemap", O_RDONLY);
		e2 = pm_entry(pm2, anon);
		set_sys_admin(1);
		check((PFN(e1) != 0) == had, "pagemap: frame shown iff the opener has CAP_SYS_ADMIN",
		      "pfn %llx had %d", (unsigned long long)PFN(e1), had);
		check(PRESENT(e2) && PFN(e2) == 0, "pagemap: frame hidden without CAP_SYS_ADMIN",
		      "%llx", (unsigned long long)e2);
		close(pm2);
	}

	/* After fork the written pages are shared with the child until one writes. */
	if (pipe(pfd) < 0)
		return 1;
	pid_t pid = fork();
	if (pid == 0) {
		char c;

		close(pfd[1]);
		if (read(pfd[0], &c, 1) < 0)
			_exit(1);
		_exit(anon[0] == 1 ? 0 : 2);
	}
	close(pfd[0]);
	CHECK_OK(slurp("/proc/self/smaps", smaps_buf, sizeof(smaps_buf)), "smaps after fork");
	blk = block_of(smaps_buf, (uintptr_t)anon);
	if (blk != NULL) {
		long rss = field(blk, "Rss"), pss = field(blk, "Pss");

		check(field(blk, "Shared_Dirty") >= 8 * 4, "fork: written pages are Shared_Dirty",
		      "%ld", field(blk, "Shared_Dirty"));
		check(pss < rss && pss * 2 >= field(blk, "Shared_Dirty"),
		      "fork: Pss counts a shared page half", "Pss %ld Rss %ld", pss, rss);
	} else {
		check(0, "fork: the region has a block", "none");
	}
	e = pm_entry(pm, anon);
	check(PRESENT(e) && !EXCL(e), "pagemap: a page shared with the child is not exclusive",
	      "%llx", (unsigned long long)e);
	anon[0] = 2;	/* copy on write: ours again */
	e = pm_entry(pm, anon);
	check(PRESENT(e) && EXCL(e), "pagemap: written after fork, exclusive again", "%llx",
	      (unsigned long long)e);
	close(pfd[1]);
	int st;
	waitpid(pid, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "fork: the child kept its copy", "%x", st);

	/* mlock'ed memory is Locked. */
	if (mlock(anon, NPAGES * PG) == 0) {
		slurp("/proc/self/smaps", smaps_buf, sizeof(smaps_buf));
		blk = block_of(smaps_buf, (uintptr_t)anon);
		vmflags(blk ? blk : "", fl, sizeof(fl));
		check(blk != NULL && field(blk, "Locked") == field(blk, "Pss") &&
		      field(blk, "Locked") > 0 && strstr(fl, " lo ") != NULL,
		      "mlock: Locked is Pss, VmFlags lo", "Locked %ld Pss %ld '%s'",
		      blk ? field(blk, "Locked") : -1, blk ? field(blk, "Pss") : -1, fl);
		munlock(anon, NPAGES * PG);
	} else {
		check(errno == EPERM || errno == ENOMEM, "mlock refused", "%s", strerror(errno));
	}
	close(pm);
	close(fd);
	unlink(path);
	return t_done();
}
