/*
 * mlock_acct: mlock, mlock2, munlock, mlockall and munlockall as the
 * accounting shows them (VmLck in /proc/self/status, in kB), MLOCK_ONFAULT,
 * MCL_FUTURE locking later mappings, and the errors: EINVAL for flags,
 * ENOMEM for unmapped ranges.  Root, so RLIMIT_MEMLOCK does not refuse.
 */
#include "t.h"
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/syscall.h>

#define PG 4096

static long vmlck(void)
{
	char line[256];
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmLck: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

int main(void)
{
	char *a;
	long base;

	t_start();
	if (access("/proc/self/status", F_OK) != 0)	/* as init in ./linux */
		mount("proc", "/proc", "proc", 0, NULL);
	base = vmlck();
	check(base == 0, "nothing locked at first", "%ld kB", base);
	a = mmap(NULL, 8 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK_OK(mlock(a, 4 * PG), "mlock 4 pages");
	check(vmlck() == 16, "VmLck 16 kB", "%ld", vmlck());
	CHECK_OK(mlock(a + 2 * PG, 4 * PG), "mlock 4 more, 2 overlapping");
	check(vmlck() == 24, "VmLck 24 kB (counted once)", "%ld", vmlck());
	CHECK_OK(munlock(a, PG), "munlock one page");
	check(vmlck() == 20, "VmLck 20 kB", "%ld", vmlck());
	CHECK_OK(syscall(SYS_mlock2, a + 7 * PG, PG, MLOCK_ONFAULT), "mlock2 MLOCK_ONFAULT");
	check(vmlck() == 24, "VmLck 24 kB", "%ld", vmlck());
	CHECK_ERR(syscall(SYS_mlock2, a, PG, 2), EINVAL, "mlock2 unknown flag");
	CHECK_OK(munlockall(), "munlockall");
	check(vmlck() == 0, "nothing locked", "%ld", vmlck());
	CHECK_OK(mlockall(MCL_CURRENT | MCL_FUTURE), "mlockall CURRENT|FUTURE");
	base = vmlck();
	check(base >= 32, "every mapping counted", "%ld", base);
	a = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	check(vmlck() == base + 16, "a new mapping is locked (MCL_FUTURE)", "%ld vs %ld", vmlck(), base);
	munmap(a, 4 * PG);
	check(vmlck() == base, "unmapping it unlocks it", "%ld", vmlck());
	CHECK_OK(munlockall(), "munlockall again");
	check(vmlck() == 0, "nothing locked again", "%ld", vmlck());
	CHECK_ERR(mlockall(0), EINVAL, "mlockall(0)");
	CHECK_ERR(mlockall(MCL_ONFAULT), EINVAL, "mlockall(MCL_ONFAULT) alone");
	CHECK_ERR(mlockall(0x100), EINVAL, "mlockall unknown flag");
	a = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(a + PG, PG);
	CHECK_ERR(mlock(a, 2 * PG), ENOMEM, "mlock over a hole");
	CHECK_ERR(munlock(a, 2 * PG), ENOMEM, "munlock over a hole");
	return t_done();
}
