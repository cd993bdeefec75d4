/*
 * vvar.h - the page the kernel shares read-only with every guest process,
 * just below its vDSO (arch/um/vdso/), and keeps current (arch/um/kernel/
 * vdso.c).  The guest's clocks are one function of the TSC:
 *
 *	monotonic(tsc) = mono_ns + ((tsc - tsc_base) * mult) >> VVAR_SHIFT
 *	realtime(tsc)  = monotonic(tsc) + real_off_ns
 *
 * which the kernel's clock_gettime evaluates too, so the vDSO and the
 * syscall agree to the nanosecond.  The kernel re-anchors it at every tick,
 * continuously (monotonic never steps back) and slewing mult towards the
 * host's CLOCK_MONOTONIC.  A writer makes seq odd while it changes the page
 * (a seqlock: readers retry); use_tsc is 0 while the kernel has no
 * calibration or the host's TSC is not its clocksource, and the vDSO then
 * makes the syscall.
 */
#ifndef SHARED_VVAR_H
#define SHARED_VVAR_H

#include <stdint.h>

#define VVAR_SHIFT	32

struct vvar_data {
	volatile uint32_t seq;
	uint32_t use_tsc;
	uint64_t tsc_base;
	uint64_t mono_ns;	/* the guest's CLOCK_MONOTONIC at tsc_base */
	uint64_t mult;
	int64_t real_off_ns;	/* CLOCK_REALTIME - CLOCK_MONOTONIC */
	uint64_t coarse_mono_ns;	/* at the last update, for the _COARSE clocks */
	int32_t tz_minuteswest, tz_dsttime;	/* settimeofday's time zone (sys_tz) */
};

/* lfence orders rdtsc after the loads before it (Linux's rdtsc_ordered). */
static inline uint64_t vvar_rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ __volatile__("lfence; rdtsc" : "=a"(lo), "=d"(hi) :: "memory");
	return ((uint64_t)hi << 32) | lo;
}

/* The monotonic time at tsc from one consistent snapshot of the page. */
static inline uint64_t vvar_mono_at(const struct vvar_data *v, uint64_t tsc)
{
	uint64_t d = tsc > v->tsc_base ? tsc - v->tsc_base : 0;	/* a CPU a bit behind */

	return v->mono_ns + (uint64_t)(((unsigned __int128)d * v->mult) >> VVAR_SHIFT);
}

#endif
