/*
 * auxv: the auxiliary vector a static program gets: page size, clock
 * ticks, the program headers where the ELF header says, the entry point
 * _start, AT_BASE 0 with no interpreter, the ids, AT_SECURE 0, 16 random
 * bytes, AT_EXECFN the path exec'd, AT_PLATFORM "x86_64", AT_HWCAP the
 * CPUID features, AT_SYSINFO_EHDR an ELF image, AT_MINSIGSTKSZ large
 * enough, and the vector's end right after.
 */
#include "t.h"
#include <elf.h>
#include <cpuid.h>
#include <sys/auxv.h>
#include <sys/wait.h>

extern char _start[];
extern const Elf64_Ehdr __ehdr_start;

int main(int argc, char **argv, char **envp)
{
	unsigned a, b, c, d;
	const Elf64_Ehdr *vd;
	char **e = envp;
	Elf64_auxv_t *av;
	const char *fn;
	int n = 0;

	(void)argc;
	t_start();
	check(getauxval(AT_PAGESZ) == 4096, "AT_PAGESZ", "%lu", getauxval(AT_PAGESZ));
	check(getauxval(AT_CLKTCK) == 100, "AT_CLKTCK", "%lu", getauxval(AT_CLKTCK));
	check(getauxval(AT_PHDR) == (unsigned long)&__ehdr_start + __ehdr_start.e_phoff,
	      "AT_PHDR where the ELF header says", "%#lx", getauxval(AT_PHDR));
	check(getauxval(AT_PHENT) == sizeof(Elf64_Phdr) && getauxval(AT_PHNUM) == __ehdr_start.e_phnum,
	      "AT_PHENT and AT_PHNUM", "%lu %lu", getauxval(AT_PHENT), getauxval(AT_PHNUM));
	check(getauxval(AT_ENTRY) == (unsigned long)_start, "AT_ENTRY is _start", "%#lx",
	      getauxval(AT_ENTRY));
	check(getauxval(AT_BASE) == 0, "AT_BASE 0 without an interpreter", "%#lx", getauxval(AT_BASE));
	check(getauxval(AT_FLAGS) == 0, "AT_FLAGS 0", "%lu", getauxval(AT_FLAGS));
	check(getauxval(AT_UID) == getuid() && getauxval(AT_EUID) == geteuid() &&
	      getauxval(AT_GID) == getgid() && getauxval(AT_EGID) == getegid(), "the ids", "differ");
	check(getauxval(AT_SECURE) == 0, "AT_SECURE 0", "%lu", getauxval(AT_SECURE));
	check(getauxval(AT_RANDOM) != 0, "AT_RANDOM present", "no");
	fn = (const char *)getauxval(AT_EXECFN);
	check(fn && !strcmp(fn, argv[0]), "AT_EXECFN is the path given to execve", "%s vs %s",
	      fn ? fn : "(null)", argv[0]);
	check(getauxval(AT_PLATFORM) && !strcmp((char *)getauxval(AT_PLATFORM), "x86_64"),
	      "AT_PLATFORM x86_64", "other");
	__cpuid(1, a, b, c, d);
	while (*e)
		e++;
	/* (static glibc rewrites its own copy of AT_HWCAP: the raw vector) */
	for (av = (Elf64_auxv_t *)(e + 1); av->a_type != AT_NULL; av++)
		if (av->a_type == AT_HWCAP)
			break;
	check(av->a_type == AT_HWCAP && av->a_un.a_val == d, "AT_HWCAP is CPUID.1:EDX", "%#lx vs %#x",
	      (unsigned long)av->a_un.a_val, d);
	e = envp;
	vd = (const Elf64_Ehdr *)getauxval(AT_SYSINFO_EHDR);
	check(vd && !memcmp(vd->e_ident, ELFMAG, SELFMAG) && vd->e_type == ET_DYN,
	      "AT_SYSINFO_EHDR is an ELF shared object (the vDSO)", "no");
	check(getauxval(AT_MINSIGSTKSZ) >= 1024 && getauxval(AT_MINSIGSTKSZ) <= 64 * 1024,
	      "AT_MINSIGSTKSZ plausible", "%lu", getauxval(AT_MINSIGSTKSZ));
	check(getauxval(AT_HWCAP2) == (getauxval(AT_HWCAP2) & 3), "AT_HWCAP2 only known bits", "%#lx",
	      getauxval(AT_HWCAP2));
	while (*e)
		e++;
	for (av = (Elf64_auxv_t *)(e + 1); av->a_type != AT_NULL; av++)
		n++;
	check(n >= 18 && n <= 30, "the vector right after envp, ending with AT_NULL", "%d entries", n);
	errno = 0;
	check(getauxval(12345) == 0 && errno == ENOENT, "an absent type: 0, ENOENT", "errno %d", errno);
	return t_done();
}
