/*
 * vdso.h - the guest vDSO and its vvar page (arch/um/kernel/vdso.c): the
 * clock model both the vDSO and clock_gettime evaluate.
 */
#ifndef KERNEL_VDSO_H
#define KERNEL_VDSO_H

#include "kernel/types.h"

struct mm;
struct vma;

int vdso_init(void);			/* at boot, after tmpfs: 0 or -errno */
void vdso_release(void);		/* at halt, after the last process */
/* Maps [vvar][vdso] at a random address of mm and sets mm->vdso_base: 0 or -errno. */
int vdso_map(struct mm *mm);
const char *vdso_vma_name(const struct vma *v);	/* "[vdso]", "[vvar]" or NULL */
void vvar_update(void);			/* at every timer interrupt */
/* The guest's CLOCK_MONOTONIC and its coarse form, in ns since boot. */
u64 vdso_mono_ns(void);
u64 vdso_mono_coarse_ns(void);
s64 vdso_real_offset_ns(void);		/* CLOCK_REALTIME - CLOCK_MONOTONIC */
void vdso_set_realtime(u64 real_ns);	/* clock_settime(CLOCK_REALTIME) */
void vdso_set_timezone(int minuteswest, int dsttime);	/* settimeofday's tz */

#endif
