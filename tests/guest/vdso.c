/*
 * vdso.c - the vDSO: AT_SYSINFO_EHDR names an ELF shared object exporting
 * __vdso_clock_gettime, __vdso_gettimeofday, __vdso_time and
 * __vdso_getcpu under LINUX_2.6, shown as [vdso] (r-xp) above [vvar] in
 * /proc/self/maps; its clocks sit between syscalls read before and after
 * (never earlier, never later) and never go back; the CPU-time clocks and
 * bad ids fall back to the kernel (-EINVAL raw); a child after fork has it
 * at the same address; the vvar page cannot be made writable.
 */
#include "t.h"
#include <elf.h>
#include <sched.h>
#include <stdint.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>

typedef int (*cgt_fn)(clockid_t, struct timespec *);
typedef int (*gtod_fn)(struct timeval *, void *);
typedef long (*time_fn)(long *);
typedef long (*getcpu_fn)(unsigned *, unsigned *, void *);

static const Elf64_Sym *symtab;
static const char *strtab;
static const Elf64_Word *hashtab;
static const Elf64_Half *versym;
static const Elf64_Verdef *verdef;
static uintptr_t bias;

/* Reads the dynamic section of the image at base: 0 or -1. */
static int vdso_parse(uintptr_t base)
{
	const Elf64_Ehdr *eh = (const void *)base;
	const Elf64_Phdr *ph = (const void *)(base + eh->e_phoff);
	const Elf64_Dyn *dyn = NULL;

	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) || eh->e_type != ET_DYN)
		return -1;
	bias = 0;
	for (int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type == PT_LOAD && ph[i].p_offset == 0)
			bias = base - ph[i].p_vaddr;
		if (ph[i].p_type == PT_DYNAMIC)
			dyn = (const void *)(base + ph[i].p_offset);
	}
	for (; dyn && dyn->d_tag != DT_NULL; dyn++) {
		uintptr_t p = bias + dyn->d_un.d_ptr;

		switch (dyn->d_tag) {
		case DT_SYMTAB: symtab = (const void *)p; break;
		case DT_STRTAB: strtab = (const void *)p; break;
		case DT_HASH: hashtab = (const void *)p; break;
		case DT_VERSYM: versym = (const void *)p; break;
		case DT_VERDEF: verdef = (const void *)p; break;
		}
	}
	return symtab && strtab && hashtab && versym && verdef ? 0 : -1;
}

/* Whether symbol i has version name (its verdef entry). */
static int sym_version_is(int i, const char *name)
{
	const Elf64_Verdef *d = verdef;
	int ndx = versym[i] & 0x7fff;

	for (;;) {
		if (!(d->vd_flags & VER_FLG_BASE) && (d->vd_ndx & 0x7fff) == ndx) {
			const Elf64_Verdaux *aux = (const void *)((const char *)d + d->vd_aux);

			return strcmp(strtab + aux->vda_name, name) == 0;
		}
		if (d->vd_next == 0)
			return 0;
		d = (const void *)((const char *)d + d->vd_next);
	}
}

static void *vdso_sym(const char *name, const char *version)
{
	Elf64_Word nsyms = hashtab[1];

	for (Elf64_Word i = 0; i < nsyms; i++) {
		const Elf64_Sym *s = &symtab[i];

		if (ELF64_ST_TYPE(s->st_info) != STT_FUNC || s->st_shndx == SHN_UNDEF)
			continue;
		if (strcmp(strtab + s->st_name, name) == 0 && sym_version_is((int)i, version))
			return (void *)(bias + s->st_value);
	}
	return NULL;
}

static uint64_t ts_ns(const struct timespec *ts)
{
	return (uint64_t)ts->tv_sec * 1000000000ULL + (uint64_t)ts->tv_nsec;
}

/* Syscall, vDSO, syscall on clk: the vDSO's value lies between the two. */
static void check_between(cgt_fn cgt, clockid_t clk, const char *name)
{
	struct timespec a, b, c;
	int bad = 0, r = 0;

	for (int i = 0; i < 2000 && !bad; i++) {
		syscall(SYS_clock_gettime, clk, &a);
		r = cgt(clk, &b);
		syscall(SYS_clock_gettime, clk, &c);
		bad = r != 0 || ts_ns(&b) < ts_ns(&a) || ts_ns(&c) < ts_ns(&b);
	}
	check(!bad, name, "r %d: %lld.%09ld %lld.%09ld %lld.%09ld", r, (long long)a.tv_sec,
	      a.tv_nsec, (long long)b.tv_sec, b.tv_nsec, (long long)c.tv_sec, c.tv_nsec);
}

static void check_monotonic(cgt_fn cgt)
{
	struct timespec prev, now;
	int back = 0;

	cgt(CLOCK_MONOTONIC, &prev);
	for (int i = 0; i < 200000 && !back; i++) {
		cgt(CLOCK_MONOTONIC, &now);
		back = ts_ns(&now) < ts_ns(&prev);
		prev = now;
	}
	check(!back, "monotonic never goes back", "went back");
}

/* The [vdso] and [vvar] lines of /proc/self/maps. */
static void check_maps(uintptr_t base)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512], perms[8];
	unsigned long lo, hi, vvar_lo = 0, vdso_lo = 0;
	int vdso_ok = 0;

	while (f && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) != 3)
			continue;
		if (strstr(line, "[vdso]")) {
			vdso_lo = lo;
			vdso_ok = strcmp(perms, "r-xp") == 0 && strstr(line, " 00:00 0 ");
		}
		if (strstr(line, "[vvar]") && vvar_lo == 0)
			vvar_lo = lo;
	}
	if (f)
		fclose(f);
	check(vdso_lo == base, "[vdso] at AT_SYSINFO_EHDR", "%lx vs %lx", vdso_lo, (unsigned long)base);
	check(vdso_ok, "[vdso] r-xp, no file", "no such line");
	check(vvar_lo != 0 && vvar_lo < base, "[vvar] below [vdso]", "vvar %lx", vvar_lo);
	if (vvar_lo)
		CHECK_ERR(mprotect((void *)vvar_lo, 4096, PROT_READ | PROT_WRITE), EACCES,
			  "vvar cannot become writable");
}

int main(void)
{
	uintptr_t base = getauxval(AT_SYSINFO_EHDR);
	cgt_fn cgt;
	gtod_fn gtod;
	time_fn tm;
	getcpu_fn gc;

	t_start();
	if (getpid() == 1)	/* init inside ./linux: nothing mounted yet */
		mount("proc", "/proc", "proc", 0, NULL);
	check(base != 0, "AT_SYSINFO_EHDR given", "0");
	if (base == 0 || vdso_parse(base) < 0) {
		check(0, "vDSO is an ELF shared object", "cannot parse it");
		return 1;
	}
	cgt = (cgt_fn)vdso_sym("__vdso_clock_gettime", "LINUX_2.6");
	gtod = (gtod_fn)vdso_sym("__vdso_gettimeofday", "LINUX_2.6");
	tm = (time_fn)vdso_sym("__vdso_time", "LINUX_2.6");
	gc = (getcpu_fn)vdso_sym("__vdso_getcpu", "LINUX_2.6");
	check(cgt && gtod && tm && gc, "the four symbols at LINUX_2.6", "%p %p %p %p",
	      (void *)cgt, (void *)gtod, (void *)tm, (void *)gc);
	check(vdso_sym("__vdso_clock_gettime", "LINUX_2.5") == NULL, "no other version", "found");
	if (!(cgt && gtod && tm && gc))
		return 1;
	check_maps(base);
	check_between(cgt, CLOCK_MONOTONIC, "CLOCK_MONOTONIC between syscalls");
	check_between(cgt, CLOCK_REALTIME, "CLOCK_REALTIME between syscalls");
	check_between(cgt, CLOCK_BOOTTIME, "CLOCK_BOOTTIME between syscalls");
	check_monotonic(cgt);

	struct timespec c1, p1;
	struct timeval tv1, tv2, tv3;
	long t1, t2, t3, tout = 0;

	cgt(CLOCK_MONOTONIC_COARSE, &c1);
	cgt(CLOCK_MONOTONIC, &p1);
	check(ts_ns(&c1) <= ts_ns(&p1), "coarse not ahead of precise", "coarse later");
	syscall(SYS_gettimeofday, &tv1, NULL);
	check(gtod(&tv2, NULL) == 0, "gettimeofday returns 0", "nonzero");
	syscall(SYS_gettimeofday, &tv3, NULL);
	check(timercmp(&tv1, &tv2, <=) && timercmp(&tv2, &tv3, <=), "gettimeofday between syscalls",
	      "out of order");
	check(gtod(NULL, NULL) == 0, "gettimeofday(NULL, NULL)", "nonzero");
	t1 = syscall(SYS_time, NULL);
	t2 = tm(&tout);
	t3 = syscall(SYS_time, NULL);
	check(t1 <= t2 && t2 <= t3 && tout == t2, "time between syscalls and stored", "%ld %ld %ld", t1, t2, t3);
	check(tm(NULL) >= t3, "time(NULL)", "earlier");

	struct timespec cpu;
	check(cgt(CLOCK_PROCESS_CPUTIME_ID, &cpu) == 0 && ts_ns(&cpu) > 0,
	      "CLOCK_PROCESS_CPUTIME_ID through the kernel", "failed");
	check(cgt(CLOCK_THREAD_CPUTIME_ID, &cpu) == 0, "CLOCK_THREAD_CPUTIME_ID through the kernel", "failed");
	check(cgt(12345, &cpu) == -EINVAL, "bad clock id: raw -EINVAL", "other");

	cpu_set_t one;
	unsigned cpu_v = 99, node_v = 99, cpu_s = 98;

	sched_getaffinity(0, sizeof(one), &one);
	for (int i = 0; i < CPU_SETSIZE; i++)
		if (CPU_ISSET(i, &one)) {
			CPU_ZERO(&one);
			CPU_SET(i, &one);
			break;
		}
	sched_setaffinity(0, sizeof(one), &one);
	check(gc(&cpu_v, &node_v, NULL) == 0, "getcpu returns 0", "nonzero");
	syscall(SYS_getcpu, &cpu_s, NULL, NULL);
	check(cpu_v == cpu_s && CPU_ISSET(cpu_v, &one) && node_v == 0, "getcpu: the CPU it runs on",
	      "vdso %u syscall %u node %u", cpu_v, cpu_s, node_v);
	check(gc(NULL, NULL, NULL) == 0, "getcpu(NULL, NULL)", "nonzero");

	pid_t pid = fork();
	if (pid == 0) {
		struct timespec ts;

		_exit(getauxval(AT_SYSINFO_EHDR) == base && cgt(CLOCK_MONOTONIC, &ts) == 0 ? 0 : 1);
	}
	int st = -1;
	waitpid(pid, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "after fork, at the same address", "status %x", st);
	return t_failed != 0;
}
