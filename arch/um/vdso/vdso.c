/*
 * vdso.c - the guest's vDSO: clock_gettime, gettimeofday, time and getcpu
 * without a trap into the kernel.  A position-independent shared object
 * with no libc (vdso.lds), embedded in ./linux and mapped into every
 * process (arch/um/kernel/vdso.c); it reads the vvar page just below
 * itself (include/shared/vvar.h).  Clocks it does not compute (the CPU-time
 * clocks, bad ids) and a page without a calibration go to the syscall, so
 * errors are the kernel's.
 */
#include "shared/vvar.h"

#define CLOCK_REALTIME		0
#define CLOCK_MONOTONIC		1
#define CLOCK_MONOTONIC_RAW	4
#define CLOCK_REALTIME_COARSE	5
#define CLOCK_MONOTONIC_COARSE	6
#define CLOCK_BOOTTIME		7
#define CLOCK_TAI		11

#define NR_gettimeofday		96
#define NR_time			201
#define NR_clock_gettime	228
#define NSEC			1000000000ULL

struct vdso_timespec { long tv_sec, tv_nsec; };
struct vdso_timeval { long tv_sec, tv_usec; };
struct vdso_timezone { int tz_minuteswest, tz_dsttime; };
/* The x86_64 struct timespec, timeval (<linux/time_types.h>, <linux/time.h>), timezone. */
_Static_assert(sizeof(struct vdso_timespec) == 16 && __builtin_offsetof(struct vdso_timespec, tv_nsec) == 8,
	       "struct timespec: 16 bytes, tv_nsec at 8");
_Static_assert(sizeof(struct vdso_timeval) == 16 && __builtin_offsetof(struct vdso_timeval, tv_usec) == 8,
	       "struct timeval: 16 bytes, tv_usec at 8");
_Static_assert(sizeof(struct vdso_timezone) == 8 && __builtin_offsetof(struct vdso_timezone, tz_dsttime) == 4,
	       "struct timezone: 8 bytes, tz_dsttime at 4");

/* Defined by vdso.lds one page below the image. */
extern const struct vvar_data vvar_page __attribute__((visibility("hidden")));

static long vdso_syscall2(long nr, long a, long b)
{
	long ret;

	__asm__ __volatile__("syscall" : "=a"(ret) : "a"(nr), "D"(a), "S"(b)
			     : "rcx", "r11", "memory");
	return ret;
}

/*
 * The time on clock clk in ns, from a consistent snapshot of the page:
 * 0 and *ns set, or -1 when the syscall must answer.
 */
static int vdso_read(int clk, uint64_t *ns)
{
	const struct vvar_data *v = &vvar_page;
	uint32_t seq;
	uint64_t t;

	do {
		seq = v->seq;
		__asm__ __volatile__("" ::: "memory");
		if (seq & 1)
			continue;
		if (!v->use_tsc)
			return -1;
		switch (clk) {
		case CLOCK_MONOTONIC: case CLOCK_MONOTONIC_RAW: case CLOCK_BOOTTIME:
			t = vvar_mono_at(v, vvar_rdtsc());
			break;
		case CLOCK_REALTIME: case CLOCK_TAI:
			t = vvar_mono_at(v, vvar_rdtsc()) + (uint64_t)v->real_off_ns;
			break;
		case CLOCK_MONOTONIC_COARSE:
			t = v->coarse_mono_ns;
			break;
		case CLOCK_REALTIME_COARSE:
			t = v->coarse_mono_ns + (uint64_t)v->real_off_ns;
			break;
		default:
			return -1;
		}
		__asm__ __volatile__("" ::: "memory");
	} while (seq & 1 || v->seq != seq);
	*ns = t;
	return 0;
}

int __vdso_clock_gettime(int clk, struct vdso_timespec *ts)
{
	uint64_t ns;

	if (vdso_read(clk, &ns) < 0)
		return (int)vdso_syscall2(NR_clock_gettime, clk, (long)ts);
	ts->tv_sec = (long)(ns / NSEC);
	ts->tv_nsec = (long)(ns % NSEC);
	return 0;
}

int __vdso_gettimeofday(struct vdso_timeval *tv, struct vdso_timezone *tz)
{
	uint64_t ns;

	if (vdso_read(CLOCK_REALTIME, &ns) < 0)
		return (int)vdso_syscall2(NR_gettimeofday, (long)tv, (long)tz);
	if (tv) {
		tv->tv_sec = (long)(ns / NSEC);
		tv->tv_usec = (long)(ns % NSEC / 1000);
	}
	if (tz) {	/* sys_tz, as settimeofday left it */
		tz->tz_minuteswest = vvar_page.tz_minuteswest;
		tz->tz_dsttime = vvar_page.tz_dsttime;
	}
	return 0;
}

long __vdso_time(long *t)
{
	uint64_t ns;
	long s;

	if (vdso_read(CLOCK_REALTIME, &ns) < 0)
		return vdso_syscall2(NR_time, (long)t, 0);
	s = (long)(ns / NSEC);
	if (t)
		*t = s;
	return s;
}

/* One CPU, one node: what getcpu(2) answers here. */
long __vdso_getcpu(unsigned *cpu, unsigned *node, void *unused)
{
	(void)unused;
	if (cpu)
		*cpu = 0;
	if (node)
		*node = 0;
	return 0;
}

/* The unversioned names Linux's vDSO exports too. */
int clock_gettime(int, struct vdso_timespec *) __attribute__((weak, alias("__vdso_clock_gettime")));
int gettimeofday(struct vdso_timeval *, struct vdso_timezone *)
	__attribute__((weak, alias("__vdso_gettimeofday")));
long time(long *) __attribute__((weak, alias("__vdso_time")));
long getcpu(unsigned *, unsigned *, void *) __attribute__((weak, alias("__vdso_getcpu")));
